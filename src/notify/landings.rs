//! Who hears about what happens to a landing, per the contract's notification table, and what
//! they read. Called inside the transaction that makes the change, so the emails exist exactly
//! when the change does. Every message has a dedupe key (landing, event, recipient): an event
//! mails each person at most once, however often the code that raises it runs.

use std::borrow::Cow;

use diesel::result::Error as DieselError;
use serde_json::json;

use super::ics::{LandingEvent, landing_calendar};
use super::outbox::{Attachment, enqueue_emails};
use super::portal_page;
use super::recipients::Languages;
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

/// The Fluent messages of a notice: its headline (subject and first line), and the label of
/// the text the actor gave (the purpose of a request, a reason, a note).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Wording {
    pub headline: &'static str,
    pub note_label: &'static str,
}

impl LandingNotice {
    /// Every notice, for tests that go through them all.
    pub const ALL: [LandingNotice; 10] = [
        LandingNotice::Submitted,
        LandingNotice::Endorsed,
        LandingNotice::Approved,
        LandingNotice::Declined,
        LandingNotice::Rejected,
        LandingNotice::Withdrawn,
        LandingNotice::Cancelled { by_host: false },
        LandingNotice::Cancelled { by_host: true },
        LandingNotice::Expired,
        LandingNotice::Reminder,
    ];

    pub fn wording(self) -> Wording {
        let (headline, note_label) = match self {
            LandingNotice::Submitted => ("email-landing-submitted", "email-landing-purpose"),
            LandingNotice::Endorsed => ("email-landing-endorsed", "email-landing-note"),
            LandingNotice::Approved => ("email-landing-approved", "email-landing-host-message"),
            LandingNotice::Declined => ("email-landing-declined", "email-landing-reason"),
            LandingNotice::Rejected => ("email-landing-rejected", "email-landing-reason"),
            LandingNotice::Withdrawn => ("email-landing-withdrawn", "email-landing-reason"),
            LandingNotice::Cancelled { by_host: false } => {
                ("email-landing-cancelled-by-sme", "email-landing-reason")
            }
            LandingNotice::Cancelled { by_host: true } => {
                ("email-landing-cancelled-by-host", "email-landing-reason")
            }
            LandingNotice::Expired => ("email-landing-expired", "email-landing-reason"),
            LandingNotice::Reminder => ("email-landing-reminder", "email-landing-note"),
        };
        Wording {
            headline,
            note_label,
        }
    }

    /// The template of the notice's emails.
    pub fn template(self) -> &'static str {
        match self {
            LandingNotice::Reminder => "landing_reminder",
            _ => "landing_changed",
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
    portal_page(settings, &format!("/landings/{landing_id}"))
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

    // The contact addresses may belong to accounts too: their languages come in the same query.
    let addresses: Vec<String> = [&host.contact_email, &home.contact_email, &sme.contact_email]
        .iter()
        .map(|a| a.trim().to_lowercase())
        .collect();
    let contacts =
        clusters::contacts_of_pair(conn, &host, &home, &landing.requested_by, &addresses)?;
    let languages = Languages::known(contacts.languages);
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

    let wording = notice.wording();
    // The reason of an expiry is the service's, and is written in each reader's language.
    let note = match notice {
        N::Submitted => Some(landing.purpose.as_str()),
        N::Expired => None,
        _ => note,
    };

    let calendar = match notice {
        N::Approved => Some(calendar(settings, landing, &offer, &host, &sme)),
        _ => None,
    };
    let mut recipients: Vec<(Audience, &String)> = Vec::new();
    for audience in audiences {
        let people = match audience {
            Sme => &sme_people,
            Host => &host_people,
            Home => &home_people,
        };
        for to in people {
            if !recipients.iter().any(|(_, known)| *known == to) {
                recipients.push((audience, to));
            }
        }
    }
    let context = json!({
        "headline": wording.headline,
        "note_label": wording.note_label,
        "note": note,
        "event": notice.event(),
        // Who decides first, as the receipt of a request tells the SME.
        "first": if endorsement_first { "home" } else { "host" },
        "sme": sme.name,
        "host": host.name,
        "home": home.name,
        "offer_title": offer.title,
        "location": location(&offer, &host.country),
        // Days in the host's time zone, as the contract counts them.
        "start_date": landing.start_date.to_string(),
        "end_date": landing.end_date.to_string(),
        "timezone": host.timezone,
        "headcount": landing.headcount,
        "open_days": landing.open_days,
        "state": landing.state.as_str(),
        "link": link(settings, &landing.id),
    });
    let mut outgoing = Vec::new();
    for (audience, to) in recipients {
        let with_calendar = calendar.is_some() && audience == Sme;
        let mut email = templates::render(
            notice.template(),
            to,
            languages.get(to),
            minijinja::context! {
                audience => match audience { Sme => "sme", Host => "host", Home => "home" },
                receipt => notice == N::Submitted && audience == Sme,
                with_calendar,
                ..minijinja::Value::from_serialize(&context)
            },
        )?;
        if let (Some(ics), true) = (&calendar, with_calendar) {
            email.attachments.push(Attachment {
                filename: "landing.ics".into(),
                content_type: "text/calendar; charset=utf-8; method=PUBLISH".into(),
                content: ics.clone().into_bytes(),
            });
        }
        let key = format!("{}:{}:{}", notice.event(), landing.id, to);
        outgoing.push((email, key));
    }
    enqueue_emails(conn, notice.event(), &outgoing)?;
    Ok(())
}
