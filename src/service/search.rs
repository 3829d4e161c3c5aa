//! Search: published offers, filtered, with their host cluster; a read model of its own.

use chrono::NaiveDate;

use crate::auth::Principal;
use crate::db::DbConnection;
use crate::db::offers::{self as store, ClusterSummaryRow, OfferRow, SearchFilter};
use crate::db::partnerships;
use crate::domain::calendar::has_open_day;
use crate::error::ApiError;
use crate::state::AppState;

/// Published offers matching `filter`, `limit + 1` at most, in id order. With `eligible_for`
/// (an SME member), only offers of clusters in an active partnership with the member's home
/// cluster. With a range, only offers open on at least one of its days that have the places
/// on every open day.
pub async fn search(
    app: &AppState,
    eligible_for: Option<Principal>,
    mut filter: SearchFilter,
) -> Result<Vec<(OfferRow, ClusterSummaryRow)>, ApiError> {
    app.read(move |tx| {
        if let Some(sme) = eligible_for.and_then(|p| p.sme_id) {
            let home = partnerships::home_cluster_of(tx.conn, &sme)?.unwrap_or_default();
            filter.clusters_in = Some(partnerships::active_partners(tx.conn, &home)?);
        }
        match filter.range {
            None => Ok(store::search(tx.conn, &filter)?),
            Some((from, to, _)) => open_in_range(tx.conn, filter, (from, to)),
        }
    })
    .await
}

/// The query keeps the offers whose window overlaps the range and whose booked days leave the
/// places; a range whose every day is closed to an offer (its weekdays, its blackouts, the ends
/// of its window) is no landing there, so such an offer is left out here. Pages on until
/// `limit + 1` offers are kept or none are left, so the caller's cursor stays exact.
fn open_in_range(
    conn: &mut DbConnection,
    mut filter: SearchFilter,
    (from, to): (NaiveDate, NaiveDate),
) -> Result<Vec<(OfferRow, ClusterSummaryRow)>, ApiError> {
    let wanted = usize::try_from(filter.limit)
        .unwrap_or(usize::MAX)
        .saturating_add(1);
    let mut kept = Vec::new();
    loop {
        let batch = store::search(conn, &filter)?;
        let last_page = batch.len() < wanted;
        let Some(last) = batch.last().map(|(o, _)| o.id.to_string()) else {
            return Ok(kept);
        };
        let ids: Vec<String> = batch.iter().map(|(o, _)| o.id.to_string()).collect();
        let blackouts = store::blackouts_of_offers(conn, &ids, (from, to))?;
        for (offer, cluster) in batch {
            let closed = blackouts
                .get(offer.id.as_str())
                .map(Vec::as_slice)
                .unwrap_or_default();
            if has_open_day(&offer.opening(), closed, from, to) {
                kept.push((offer, cluster));
                if kept.len() == wanted {
                    return Ok(kept);
                }
            }
        }
        if last_page {
            return Ok(kept);
        }
        filter.after = Some(last);
    }
}
