//! The reports' snapshot and the partnerships they cover; the figures come from the tallies
//! ([`super::tallies`]). What counts and how figures combine is [`crate::domain::reports`]'s;
//! [`crate::service::reports`] puts them together.

use diesel::prelude::*;

use super::DbConnection;
use super::partnerships::PartnershipRow;
use super::schema::partnerships;
use crate::domain::partnership::PartnershipState;

/// Runs a report's queries `f` on one snapshot, so the tallies and the changes not yet folded
/// into them are read as of one moment (a fold between the two reads would count its changes
/// twice or not at all). On PostgreSQL that is a read-only repeatable-read transaction; on
/// SQLite a transaction's first read fixes its snapshot.
pub fn snapshot<T>(
    conn: &mut DbConnection,
    f: impl FnOnce(&mut DbConnection) -> Result<T, crate::error::ApiError>,
) -> Result<T, crate::error::ApiError> {
    conn.transaction(|conn| {
        if let DbConnection::Postgres(_) = conn {
            diesel::sql_query("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
                .execute(conn)?;
        }
        f(conn)
    })
}

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
    query.load(conn)
}
