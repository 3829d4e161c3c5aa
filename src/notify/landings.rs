//! Who hears about what happens to a landing, per the contract's notification table, and what
//! they read. Called inside the transaction that makes the change, so the emails exist exactly
//! when the change does. Every message has a dedupe key (landing, event, recipient): an event
//! mails each person at most once, however often the code that raises it runs.

use std::borrow::Cow;

use chrono::NaiveDate;
use diesel::result::Error as DieselError;
use serde_json::json;

use super::ics::{LandingEvent, landing_calendar};
use super::outbox::{Attachment, enqueue_emails};
use super::templates::{self, RenderError};
use crate::config::Settings;
use crate::db::clusters::ClusterRow;
use crate::db::landings::LandingRow;
use crate::db::offers::OfferRow;
use crate::db::smes::SmeRow;
use crate::db::{DbConnection, clusters, offers, smes};
use crate::domain::landing::LandingState;

/// What happened to the landing.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LandingNotice {
    Submitted,
    Endorsed,
    Approved,
    Declined,
    Rejected,
    /// Withdrawn by the SME.
    Withdrawn,
    /// Cancelled by the SME (`by_host = false`) or the host.
    Cancelled {
        by_host: bool,
    },
    Expired,
    /// `reminder_days_before` the start of an approved landing.
    Reminder,
}

impl LandingNotice {
    pub fn event(self) -> &'static str {
        match self {
            LandingNotice::Submitted => "landing.submitted",
            LandingNotice::Endorsed => "landing.endorsed",
            LandingNotice::Approved => "landing.approved",
            LandingNotice::Declined => "landing.declined",
            LandingNotice::Rejected => "landing.rejected",
            LandingNotice::Withdrawn => "landing.withdrawn",
            LandingNotice::Cancelled { .. } => "landing.cancelled",
            LandingNotice::Expired => "landing.expired",
            LandingNotice::Reminder => "landing.reminder",
        }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum NotifyError {
    #[error(transparent)]
    Db(#[from] DieselError),
    #[error(transparent)]
    Render(#[from] RenderError),
    #[error("a landing names a missing {0}")]
    Missing(&'static str),
}

/// Who receives an email, and in which role (it changes the wording).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Audience {
    Sme,
    Host,
    Home,
}

/// The landing's calendar entry, as served and as attached to the approval email.
pub fn calendar_of(
    conn: &mut DbConnection,
    settings: &Settings,
    landing: &LandingRow,
) -> Result<String, NotifyError> {
    let offer = offers::find(conn, &landing.offer_id)?.ok_or(NotifyError::Missing("offer"))?;
    let host = clusters::find(conn, &landing.host_cluster_id)?
        .ok_or(NotifyError::Missing("host cluster"))?;
    let sme = smes::find(conn, &landing.sme_id)?.ok_or(NotifyError::Missing("SME"))?;
    Ok(calendar(settings, landing, &offer, &host, &sme))
}

fn calendar(
    settings: &Settings,
    landing: &LandingRow,
    offer: &OfferRow,
    host: &ClusterRow,
    sme: &SmeRow,
) -> String {
    landing_calendar(&LandingEvent {
        landing_id: &landing.id,
        offer_title: &offer.title,
        host_name: &host.name,
        sme_name: &sme.name,
        timezone: &host.timezone,
        start_date: landing.start_date,
        end_date: landing.end_date,
        headcount: landing.headcount,
        location: location(offer, &host.country),
        link: link(settings, &landing.id),
        stamp: landing.updated_at.and_utc(),
    })
}

fn location(offer: &OfferRow, country: &str) -> String {
    match &offer.address {
        Some(address) if address.contains(&offer.city) => format!("{address}, {country}"),
        Some(address) => format!("{address}, {}, {country}", offer.city),
        None => format!("{}, {country}", offer.city),
    }
}

fn link(settings: &Settings, landing_id: &str) -> String {
    format!(
        "{}/landings/{landing_id}",
        settings.server.public_url.trim_end_matches('/')
    )
}

fn long_date(day: NaiveDate) -> String {
    day.format("%A %-d %B %Y").to_string()
}

/// Rows the caller already holds, so notifying does not load them again.
#[derive(Debug, Default, Clone, Copy)]
pub struct Known<'a> {
    pub offer: Option<&'a OfferRow>,
    pub host: Option<&'a ClusterRow>,
    /// The SME with its home cluster.
    pub sme: Option<(&'a SmeRow, &'a ClusterRow)>,
}

/// Writes the emails `notice` calls for into the outbox. `note` is the reason, message or note
/// the actor gave.
pub fn notify(
    conn: &mut DbConnection,
    settings: &Settings,
    landing: &LandingRow,
    notice: LandingNotice,
    note: Option<&str>,
    known: Known<'_>,
) -> Result<(), NotifyError> {
    let offer = match known.offer {
        Some(offer) => Cow::Borrowed(offer),
        None => {
            Cow::Owned(offers::find(conn, &landing.offer_id)?.ok_or(NotifyError::Missing("offer"))?)
        }
    };
    let host = match known.host {
        Some(host) => Cow::Borrowed(host),
        None => Cow::Owned(
            clusters::find(conn, &landing.host_cluster_id)?
                .ok_or(NotifyError::Missing("host cluster"))?,
        ),
    };
    let (sme, home) = match known.sme {
        Some((sme, home)) => (Cow::Borrowed(sme), Cow::Borrowed(home)),
        None => {
            let (sme, home) =
                smes::find_with_home(conn, &landing.sme_id)?.ok_or(NotifyError::Missing("SME"))?;
            (Cow::Owned(sme), Cow::Owned(home))
        }
    };

    let contacts = clusters::contacts_of_pair(conn, &host, &home, &landing.requested_by)?;
    let (host_people, home_people) = (contacts.a, contacts.b);
    let mut sme_people = vec![sme.contact_email.to_lowercase()];
    if let Some(member) = contacts.member
        && !sme_people.contains(&member)
    {
        sme_people.push(member);
    }

    use Audience::*;
    use LandingNotice as N;
    // A landing that needs the home cluster's endorsement goes to the home cluster first.
    let endorsement_first = landing.state == LandingState::PendingEndorsement;
    let audiences: Vec<Audience> = match notice {
        N::Submitted if endorsement_first => vec![Home, Sme],
        N::Submitted => vec![Host, Sme],
        N::Endorsed => vec![Host, Sme],
        N::Approved => vec![Sme, Home],
        N::Declined => vec![Sme],
        N::Rejected => vec![Sme, Home],
        N::Withdrawn => vec![Host, Home],
        N::Cancelled { by_host: false } => vec![Host, Home],
        N::Cancelled { by_host: true } => vec![Sme, Home],
        N::Expired => vec![Sme, Host, Home],
        N::Reminder => vec![Sme, Host],
    };

    let (headline, note_label) = match notice {
        N::Submitted => (
            format!("{} asks for a soft landing at {}", sme.name, host.name),
            "Purpose",
        ),
        N::Endorsed => (
            format!(
                "{} endorsed the soft landing of {} at {}",
                home.name, sme.name, host.name
            ),
            "Note",
        ),
        N::Approved => (
            format!("{} approved the soft landing of {}", host.name, sme.name),
            "Message from the host",
        ),
        N::Declined => (
            format!(
                "{} declined to endorse the soft landing of {} at {}",
                home.name, sme.name, host.name
            ),
            "Reason",
        ),
        N::Rejected => (
            format!("{} rejected the soft landing of {}", host.name, sme.name),
            "Reason",
        ),
        N::Withdrawn => (
            format!(
                "{} withdrew its soft-landing request at {}",
                sme.name, host.name
            ),
            "Reason",
        ),
        N::Cancelled { by_host } => (
            format!(
                "{} cancelled the soft landing of {} at {}",
                if by_host { &host.name } else { &sme.name },
                sme.name,
                host.name
            ),
            "Reason",
        ),
        N::Expired => (
            format!(
                "The soft-landing request of {} at {} expired undecided",
                sme.name, host.name
            ),
            "Reason",
        ),
        N::Reminder => (
            format!(
                "Reminder: {} lands at {} on {}",
                sme.name,
                host.name,
                long_date(landing.start_date)
            ),
            "Note",
        ),
    };
    let note = match notice {
        N::Submitted => Some(landing.purpose.clone()),
        N::Expired => Some(format!(
            "no decision was taken before the start date, {}",
            landing.start_date
        )),
        _ => note.map(str::to_owned),
    };

    let calendar = match notice {
        N::Approved => Some(calendar(settings, landing, &offer, &host, &sme)),
        _ => None,
    };
    let mut sent: Vec<String> = Vec::new();
    let mut outgoing = Vec::new();
    for audience in audiences {
        let (people, receipt) = match audience {
            Sme => (&sme_people, notice == N::Submitted),
            Host => (&host_people, false),
            Home => (&home_people, false),
        };
        for to in people {
            if sent.contains(to) {
                continue;
            }
            sent.push(to.clone());
            let context = json!({
                "headline": headline,
                "receipt": receipt,
                "audience": match audience { Sme => "sme", Host => "host", Home => "home" },
                "event": notice.event(),
                "sme": sme.name,
                "host": host.name,
                "home": home.name,
                "offer_title": offer.title,
                "location": location(&offer, &host.country),
                "start_date": long_date(landing.start_date),
                "end_date": long_date(landing.end_date),
                "timezone": host.timezone,
                "headcount": landing.headcount,
                "open_days": landing.open_days,
                "state": landing.state.as_str().replace('_', " "),
                "note_label": note_label,
                "note": note,
                "link": link(settings, &landing.id),
                "with_calendar": calendar.is_some() && audience == Sme,
            });
            let name = if notice == N::Reminder {
                "landing_reminder"
            } else {
                "landing_changed"
            };
            let mut email = templates::render(name, to, &context)?;
            if let (Some(ics), Sme) = (&calendar, audience) {
                email.attachments.push(Attachment {
                    filename: "landing.ics".into(),
                    content_type: "text/calendar; charset=utf-8; method=PUBLISH".into(),
                    content: ics.clone().into_bytes(),
                });
            }
            let key = format!("{}:{}:{}", notice.event(), landing.id, to);
            outgoing.push((email, key));
        }
    }
    enqueue_emails(conn, notice.event(), &outgoing)?;
    Ok(())
}
