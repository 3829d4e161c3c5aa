//! Search: published offers, filtered, with their host cluster; a read model of its own.

use crate::auth::Principal;
use crate::db::offers::{self as store, ClusterSummaryRow, OfferRow, SearchFilter};
use crate::db::partnerships;
use crate::error::ApiError;
use crate::state::AppState;

/// Published offers matching `filter`, `limit + 1` at most. With `eligible_for` (an SME member),
/// only offers of clusters in an active partnership with the member's home cluster.
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
        Ok(store::search(tx.conn, &filter)?)
    })
    .await
}
