//! The queries behind an SME's matches: the active partnerships of its home cluster, the
//! published offers of the partners that could suit it (the few columns a score needs), their
//! blackouts and full days in the window, and the page's offers whole.

use chrono::NaiveDate;
use diesel::prelude::*;

use super::DbConnection;
use super::offers::{ClusterSummaryRow, OfferRow};
use super::partnerships::PartnershipRow;
use super::schema::{clusters, offer_day_bookings, offers, partnerships};
use crate::domain::offer::{OfferState, Weekdays};
use crate::domain::partnership::PartnershipState;

/// The active partnerships `cluster_id` is party to.
pub fn active_partnerships(
    conn: &mut DbConnection,
    cluster_id: &str,
) -> QueryResult<Vec<PartnershipRow>> {
    partnerships::table
        .filter(partnerships::state.eq(PartnershipState::Active.as_str()))
        .filter(
            partnerships::proposer_cluster_id
                .eq(cluster_id)
                .or(partnerships::partner_cluster_id.eq(cluster_id)),
        )
        .select(PartnershipRow::as_select())
        .load(conn)
}

/// What a score needs of an offer.
#[derive(Debug, Clone, Queryable)]
pub struct CandidateRow {
    pub id: String,
    pub cluster_id: String,
    pub kind: String,
    pub capacity: i32,
    pub available_from: NaiveDate,
    pub available_until: NaiveDate,
    pub open_weekdays: String,
    pub languages: String,
    pub sectors: String,
}

impl CandidateRow {
    pub fn weekdays(&self) -> Weekdays {
        Weekdays::from_db(&self.open_weekdays)
    }

    pub fn languages(&self) -> Vec<String> {
        serde_json::from_str(&self.languages).unwrap_or_default()
    }

    pub fn sectors(&self) -> Vec<String> {
        serde_json::from_str(&self.sectors).unwrap_or_default()
    }
}

/// Published offers of `cluster_ids` whose window shares a day with `[from, to]`.
pub fn candidates(
    conn: &mut DbConnection,
    cluster_ids: &[String],
    from: NaiveDate,
    to: NaiveDate,
) -> QueryResult<Vec<CandidateRow>> {
    offers::table
        .filter(offers::state.eq(OfferState::Published.as_str()))
        .filter(offers::cluster_id.eq_any(cluster_ids))
        .filter(offers::available_from.le(to))
        .filter(offers::available_until.ge(from))
        .select((
            offers::id,
            offers::cluster_id,
            offers::kind,
            offers::capacity,
            offers::available_from,
            offers::available_until,
            offers::open_weekdays,
            offers::languages,
            offers::sectors,
        ))
        .load(conn)
}

/// The days of `[from, to]` on which approved landings hold every place of an offer of
/// `offer_ids`, from the booking ledger.
pub fn full_days(
    conn: &mut DbConnection,
    offer_ids: &[String],
    from: NaiveDate,
    to: NaiveDate,
) -> QueryResult<Vec<(String, NaiveDate)>> {
    offer_day_bookings::table
        .inner_join(offers::table)
        .filter(offer_day_bookings::offer_id.eq_any(offer_ids))
        .filter(offer_day_bookings::day.between(from, to))
        .filter(offer_day_bookings::booked.ge(offers::capacity))
        .select((offer_day_bookings::offer_id, offer_day_bookings::day))
        .load(conn)
}

/// The offers named, whole, with their cluster as a search result embeds it; any order.
pub fn with_clusters(
    conn: &mut DbConnection,
    offer_ids: &[String],
) -> QueryResult<Vec<(OfferRow, ClusterSummaryRow)>> {
    offers::table
        .inner_join(clusters::table)
        .filter(offers::id.eq_any(offer_ids))
        .select((
            OfferRow::as_select(),
            (
                clusters::id,
                clusters::name,
                clusters::country,
                clusters::city,
                clusters::timezone,
            ),
        ))
        .load(conn)
}
