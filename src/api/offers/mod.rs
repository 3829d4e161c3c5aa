//! `/clusters/{id}/offers` and `/offers/{id}`: what host clusters offer visiting SMEs
//! ([`manage`]), their blackout periods ([`blackouts`]) and their calendar of free places
//! ([`availability`]). Search is [`super::search`]. The handlers call
//! [`crate::service::offers`].

pub mod availability;
pub mod blackouts;
pub mod manage;

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

use super::extract::Input;
use crate::db::offers::{OfferFields, OfferRow};
use crate::domain::offer::{OfferKind, OfferState, Weekdays};
use crate::domain::values::{Fields, date, dedup, language, line, sector, text};
use crate::error::FieldError;

/// The longest an offer's window may be, in days.
const MAX_WINDOW_DAYS: i64 = 3 * 366;

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct OfferView {
    pub id: String,
    pub cluster_id: String,
    pub kind: OfferKind,
    pub title: String,
    pub description: String,
    pub city: String,
    pub address: Option<String>,
    pub capacity: i32,
    pub available_from: NaiveDate,
    pub available_until: NaiveDate,
    pub max_stay_days: i32,
    pub open_weekdays: Vec<u8>,
    pub languages: Vec<String>,
    pub sectors: Vec<String>,
    pub state: OfferState,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

impl From<OfferRow> for OfferView {
    fn from(row: OfferRow) -> OfferView {
        OfferView {
            state: row.state,
            open_weekdays: row.weekdays().list(),
            languages: row.languages(),
            sectors: row.sectors(),
            id: row.id.into(),
            cluster_id: row.cluster_id.into(),
            kind: row.kind,
            title: row.title,
            description: row.description,
            city: row.city,
            address: row.address,
            capacity: row.capacity,
            available_from: row.available_from,
            available_until: row.available_until,
            max_stay_days: row.max_stay_days,
            created_at: row.created_at.and_utc(),
            updated_at: row.updated_at.and_utc(),
        }
    }
}

#[derive(Debug, Default, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CreateOffer {
    /// desk_space, introductions, market_briefing, event_access, meeting_room or mentoring.
    pub kind: Option<String>,
    pub title: Option<String>,
    pub description: Option<String>,
    pub city: Option<String>,
    pub address: Option<String>,
    /// Visitors per open day, at least 1.
    pub capacity: Option<i64>,
    /// First day of the window, in the host's time zone.
    pub available_from: Option<String>,
    /// Last day of the window (inclusive).
    pub available_until: Option<String>,
    /// Longest stay in open days.
    pub max_stay_days: Option<i64>,
    /// ISO weekdays the offer is open on; default Monday to Friday.
    pub open_weekdays: Option<Vec<i64>>,
    /// ISO 639-1 codes.
    pub languages: Option<Vec<String>>,
    pub sectors: Option<Vec<String>>,
}

fn in_range(f: &mut Fields, field: &str, value: Option<i64>, min: i64, max: i64) -> Option<i32> {
    let v = f.required(field, value)?;
    if (min..=max).contains(&v) {
        i32::try_from(v).ok()
    } else {
        f.add(field, format!("must be between {min} and {max}"));
        None
    }
}

impl Input for CreateOffer {
    type Parsed = OfferFields;

    fn parse(self) -> Result<OfferFields, Vec<FieldError>> {
        let mut f = Fields::new();
        let kind = f
            .required("kind", self.kind)
            .and_then(|k| f.check("kind", OfferKind::parse(&k)));
        let title = f
            .required("title", self.title)
            .and_then(|v| f.check("title", line(&v, 1, 200)));
        let description = f
            .required("description", self.description)
            .and_then(|v| f.check("description", text(&v, 1, 5000)));
        let city = f
            .required("city", self.city)
            .and_then(|v| f.check("city", line(&v, 1, 120)));
        let address = match self.address {
            Some(a) => f
                .check("address", text(&a, 0, 500))
                .map(|a| Some(a).filter(|a| !a.is_empty())),
            None => Some(None),
        };
        let capacity = in_range(&mut f, "capacity", self.capacity, 1, 10_000);
        let from = f
            .required("available_from", self.available_from)
            .and_then(|v| f.check("available_from", date(&v)));
        let until = f
            .required("available_until", self.available_until)
            .and_then(|v| f.check("available_until", date(&v)));
        if let (Some(from), Some(until)) = (from, until) {
            if until < from {
                f.add("available_until", "must not be before available_from");
            } else if (until - from).num_days() > MAX_WINDOW_DAYS {
                f.add("available_until", "the window may span at most three years");
            }
        }
        let max_stay = in_range(&mut f, "max_stay_days", self.max_stay_days, 1, 90);
        let weekdays = match self.open_weekdays {
            Some(days) => f.check("open_weekdays", Weekdays::parse(&days)),
            None => Some(Weekdays::WORKING_DAYS),
        };
        let languages = f.required("languages", self.languages).and_then(|l| {
            if l.is_empty() {
                f.add("languages", "must name at least one language");
                None
            } else {
                f.each("languages", l, 20, language)
            }
        });
        let sectors = f.each("sectors", self.sectors.unwrap_or_default(), 30, sector);
        f.finish(|| {
            Some(OfferFields {
                kind: kind?,
                title: title?,
                description: description?,
                city: city?,
                address: address?,
                capacity: capacity?,
                available_from: from?,
                available_until: until?,
                max_stay_days: max_stay?,
                open_weekdays: weekdays?,
                languages: dedup(languages?),
                sectors: dedup(sectors?),
            })
        })
    }
}
