//! What templates read: plain, serialisable views of the rows the use cases answer, with
//! their lists decoded and their dates as the calendar days they are.

use minijinja::{Value, context};
use serde::Serialize;

use crate::db::clusters::ClusterRow;
use crate::db::landings::LandingRow;
use crate::db::offers::{ClusterSummaryRow, OfferRow};
use crate::db::smes::SmeRow;
use crate::domain::account::Locale;

/// The languages a form offers (an invitation's, say), as a select lists them: each code with
/// the language's own name.
/// Seconds as days, hours and minutes in `locale`'s words (a report's median and 90th
/// percentile); `None` stays `None`.
pub fn duration(locale: Locale, seconds: Option<i64>) -> Option<String> {
    let s = seconds?;
    if s < 60 {
        return Some(crate::i18n::text(locale, "reports-duration-short", &[]));
    }
    let (days, hours, minutes) = (s / 86_400, (s % 86_400) / 3600, (s % 3600) / 60);
    let args = [
        ("days", crate::i18n::Arg::from(days)),
        ("hours", crate::i18n::Arg::from(hours)),
        ("minutes", crate::i18n::Arg::from(minutes)),
    ];
    Some(crate::i18n::text(locale, "reports-duration", &args))
}

pub fn locale_options() -> Vec<Value> {
    Locale::ALL
        .iter()
        .map(|l| context! { value => l.as_str(), label => l.native_name() })
        .collect()
}

/// An invitation form's values before anything was sent: the invitee's language is the
/// inviting person's own, which they can change.
pub fn invite_defaults(locale: Locale) -> Value {
    context! { invite_locale => locale.as_str() }
}

#[derive(Debug, Serialize)]
pub struct ClusterView {
    pub id: String,
    pub name: String,
    pub country: String,
    pub city: String,
    pub timezone: String,
    pub website: Option<String>,
    pub description: Option<String>,
    pub sectors: Vec<String>,
}

impl From<&ClusterRow> for ClusterView {
    fn from(c: &ClusterRow) -> ClusterView {
        ClusterView {
            id: c.id.to_string(),
            name: c.name.clone(),
            country: c.country.clone(),
            city: c.city.clone(),
            timezone: c.timezone.clone(),
            website: c.website.clone(),
            description: c.description.clone(),
            sectors: c.sectors(),
        }
    }
}

impl From<&ClusterSummaryRow> for ClusterView {
    fn from(c: &ClusterSummaryRow) -> ClusterView {
        ClusterView {
            id: c.id.to_string(),
            name: c.name.clone(),
            country: c.country.clone(),
            city: c.city.clone(),
            timezone: c.timezone.clone(),
            website: None,
            description: None,
            sectors: Vec::new(),
        }
    }
}

#[derive(Debug, Serialize)]
pub struct OfferView {
    pub id: String,
    pub cluster_id: String,
    pub kind: &'static str,
    pub title: String,
    pub description: String,
    pub city: String,
    pub address: Option<String>,
    pub capacity: i32,
    pub available_from: String,
    pub available_until: String,
    pub max_stay_days: i32,
    pub languages: Vec<String>,
    pub sectors: Vec<String>,
    pub state: &'static str,
}

impl From<&OfferRow> for OfferView {
    fn from(o: &OfferRow) -> OfferView {
        OfferView {
            id: o.id.to_string(),
            cluster_id: o.cluster_id.to_string(),
            kind: o.kind.as_str(),
            title: o.title.clone(),
            description: o.description.clone(),
            city: o.city.clone(),
            address: o.address.clone(),
            capacity: o.capacity,
            available_from: o.available_from.to_string(),
            available_until: o.available_until.to_string(),
            max_stay_days: o.max_stay_days,
            languages: o.languages(),
            sectors: o.sectors(),
            state: o.state.as_str(),
        }
    }
}

#[derive(Debug, Serialize)]
pub struct LandingView {
    pub id: String,
    pub offer_id: String,
    pub sme_id: String,
    pub host_cluster_id: String,
    pub home_cluster_id: String,
    pub start_date: String,
    pub end_date: String,
    pub headcount: i32,
    pub open_days: i32,
    pub purpose: String,
    pub target_market: Option<String>,
    pub requested_services: Vec<String>,
    pub state: &'static str,
    pub endorsement_note: Option<String>,
    pub message: Option<String>,
    pub reason: Option<String>,
    pub outcome: Option<String>,
    pub rating: Option<i32>,
    pub feedback_comment: Option<String>,
    pub created_at: String,
}

impl From<&LandingRow> for LandingView {
    fn from(l: &LandingRow) -> LandingView {
        LandingView {
            id: l.id.to_string(),
            offer_id: l.offer_id.to_string(),
            sme_id: l.sme_id.to_string(),
            host_cluster_id: l.host_cluster_id.to_string(),
            home_cluster_id: l.home_cluster_id.to_string(),
            start_date: l.start_date.to_string(),
            end_date: l.end_date.to_string(),
            headcount: l.headcount,
            open_days: l.open_days,
            purpose: l.purpose.clone(),
            target_market: l.target_market.clone(),
            requested_services: serde_json::from_str(&l.requested_services).unwrap_or_default(),
            state: l.state.as_str(),
            endorsement_note: l.endorsement_note.clone(),
            message: l.message.clone(),
            reason: l.reason.clone(),
            outcome: l.outcome.clone(),
            rating: l.rating,
            feedback_comment: l.feedback_comment.clone(),
            created_at: l.created_at.format("%Y-%m-%d %H:%M UTC").to_string(),
        }
    }
}

#[derive(Debug, Serialize)]
pub struct SmeView {
    pub id: String,
    pub name: String,
    pub country: String,
    pub sector: String,
    pub website: Option<String>,
    pub employees: Option<i32>,
    pub home_cluster_id: String,
    pub membership: &'static str,
    pub contact_name: String,
    pub contact_email: String,
    pub target_markets: Vec<String>,
    pub languages: Vec<String>,
}

impl From<&SmeRow> for SmeView {
    fn from(s: &SmeRow) -> SmeView {
        SmeView {
            id: s.id.to_string(),
            name: s.name.clone(),
            country: s.country.clone(),
            sector: s.sector.clone(),
            website: s.website.clone(),
            employees: s.employees,
            home_cluster_id: s.home_cluster_id.to_string(),
            membership: s.membership.as_str(),
            contact_name: s.contact_name.clone(),
            contact_email: s.contact_email.clone(),
            target_markets: s.target_markets(),
            languages: s.languages(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_duration_reads_in_days_hours_and_minutes() {
        assert_eq!(duration(Locale::En, None), None);
        assert_eq!(duration(Locale::En, Some(59)).unwrap(), "under a minute");
        assert_eq!(duration(Locale::En, Some(90_061)).unwrap(), "1 d 1 h 1 min");
    }
}
