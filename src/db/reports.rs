//! The partnerships the reports cover; the figures come from the tallies
//! ([`super::tallies`]). What counts and how figures combine is [`crate::domain::reports`]'s;
//! [`crate::service::reports`] puts them together.

use diesel::prelude::*;

use super::DbConnection;
use super::partnerships::PartnershipRow;
use super::schema::partnerships;
use crate::domain::partnership::PartnershipState;

/// The partnerships that have been in force (active, suspended or terminated: proposals never
/// accepted carry no landings), in id order, with `party` among their clusters and, when
/// given, `other` too.
pub fn partnerships_in_force(
    conn: &mut DbConnection,
    party: Option<&str>,
    other: Option<&str>,
) -> QueryResult<Vec<PartnershipRow>> {
    let mut query = partnerships::table
        .filter(partnerships::state.eq_any([
            PartnershipState::Active.as_str(),
            PartnershipState::Suspended.as_str(),
            PartnershipState::Terminated.as_str(),
        ]))
        .select(PartnershipRow::as_select())
        .order(partnerships::id.asc())
        .into_boxed();
    for cluster in [party, other].into_iter().flatten() {
        query = query.filter(
            partnerships::proposer_cluster_id
                .eq(cluster.to_owned())
                .or(partnerships::partner_cluster_id.eq(cluster.to_owned())),
        );
    }
    // Boxed, so diesel would prepare it afresh on every call; its texts come in four shapes.
    super::Kept(query).load(conn)
}
