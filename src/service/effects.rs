//! The one place where what happened turns into what follows: each [`DomainEvent`] a use case
//! recorded becomes outbox rows, inside the use case's transaction (so they exist exactly when
//! the change does). Who is mailed about what, and what they read, is in [`crate::notify`];
//! which partner portals hear of it through their webhooks, in [`crate::webhooks::events`].

use super::events::{DomainEvent, LandingEvent};
use crate::config::Settings;
use crate::db::DbConnection;
use crate::error::ApiError;
use crate::notify::landings::{Known, LandingNotice, NotifyError};
use crate::notify::{accounts, landings, partnerships, smes};
use crate::webhooks;
use crate::webhooks::events::{self as hooks, WebhookEvent};

/// Writes the side effects of `events`, in order.
pub fn apply(
    conn: &mut DbConnection,
    settings: &Settings,
    events: Vec<DomainEvent>,
) -> Result<(), ApiError> {
    for event in events {
        if let Some(hook) = for_portals(conn, settings, &event)? {
            webhooks::events::enqueue(conn, &hook)?;
        }
        match event {
            DomainEvent::Landing(e) => landing(conn, settings, &e).map_err(failed)?,
            DomainEvent::Partnership(e) => partnerships::changed(
                conn,
                settings,
                &e.partnership,
                e.what,
                &e.by_cluster,
                e.note.as_deref(),
            )?,
            DomainEvent::SmeSignedUp { sme, home } => smes::signed_up(conn, settings, &sme, &home)?,
            DomainEvent::SmeDecided {
                sme,
                home_name,
                reason,
            } => smes::decided(conn, settings, &sme, &home_name, reason.as_deref())?,
            // Nobody is mailed about a published offer or a concluded landing; partner
            // portals hear of them.
            DomainEvent::OfferPublished { .. } | DomainEvent::LandingConcluded { .. } => {}
            DomainEvent::LinkIssued(link) => accounts::link_issued(conn, settings, &link)?,
        }
    }
    Ok(())
}

/// What partner portals hear of `event` through their webhooks, if anything.
fn for_portals(
    conn: &mut DbConnection,
    settings: &Settings,
    event: &DomainEvent,
) -> Result<Option<WebhookEvent>, diesel::result::Error> {
    Ok(match event {
        // The reminder is an email to people, not news for a portal.
        DomainEvent::Landing(e) if e.what == LandingNotice::Reminder => None,
        DomainEvent::Landing(e) => Some(hooks::landing(settings, e.what.event(), &e.landing)),
        DomainEvent::LandingConcluded { landing: row } => {
            let kind = format!("landing.{}", row.state.as_str());
            Some(hooks::landing(settings, &kind, row))
        }
        DomainEvent::Partnership(e) => Some(hooks::partnership(settings, e.what, &e.partnership)),
        DomainEvent::OfferPublished { offer } => Some(hooks::offer(conn, settings, offer)?),
        DomainEvent::SmeSignedUp { .. }
        | DomainEvent::SmeDecided { .. }
        | DomainEvent::LinkIssued(_) => None,
    })
}

fn landing(
    conn: &mut DbConnection,
    settings: &Settings,
    e: &LandingEvent,
) -> Result<(), NotifyError> {
    let known = match &e.parties {
        Some(p) => Known {
            offer: Some(&p.offer),
            host: Some(&p.host),
            sme: p.sme.as_ref().map(|(sme, home)| (sme, home)),
        },
        None => Known::default(),
    };
    landings::notify(conn, settings, &e.landing, e.what, e.note.as_deref(), known)
}

fn failed(e: NotifyError) -> ApiError {
    match e {
        NotifyError::Db(e) => ApiError::from(e),
        other => ApiError::internal(other.to_string()),
    }
}
