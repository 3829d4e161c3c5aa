//! What waits for a cluster's managers, a page at a time and in a few queries whatever its
//! length: requests to approve with the places their days have left, endorsements to give,
//! SMEs to verify, and partnership proposals to answer.

use std::collections::HashMap;

use chrono::NaiveDate;
use diesel::backend::Backend;
use diesel::prelude::*;
use diesel::query_builder::{AstPass, QueryFragment};
use diesel::serialize::ToSql;
use diesel::sql_types::{BigInt, Text};

use super::DbConnection;
use super::partnerships::PartnershipRow;
use super::schema::{clusters, landings, offer_day_bookings, offers, partnerships, smes};
use super::smes::SmeRow;
use crate::domain::ids::{LandingId, OfferId};
use crate::domain::landing::LandingState;

/// Which items of a list to read.
#[derive(Debug, Clone, Copy)]
pub enum Slice<'a> {
    /// `limit` items after the first `offset`, in the list's order.
    Page { limit: i64, offset: i64 },
    /// The item with this id, if it is in the list.
    One(&'a str),
}

/// What a list shows of a pending landing: the columns it reads, not the whole row (the
/// page reads 25 of them, and the rest would only be sent and decoded).
#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = landings)]
pub struct PendingLanding {
    pub id: LandingId,
    pub offer_id: OfferId,
    pub start_date: NaiveDate,
    pub end_date: NaiveDate,
    pub headcount: i32,
    pub open_days: i32,
    pub purpose: String,
    /// The open days, as [`super::landings::days_text`] writes them.
    pub days: String,
}

impl PendingLanding {
    /// The open days of its stay.
    pub fn days(&self) -> Vec<NaiveDate> {
        super::landings::days_of(&self.days)
    }
}

/// A pending landing with the names its row shows.
#[derive(Debug, Clone)]
pub struct Request {
    pub landing: PendingLanding,
    pub offer_title: String,
    pub capacity: i32,
    pub sme_name: String,
}

/// The pending landings of `$state` whose `$cluster` column is `$id`, with the names a row
/// shows, soonest first. A query of its own type per use, not boxed, so each is prepared once
/// per connection.
macro_rules! pending {
    ($state:expr, $cluster:expr, $id:expr) => {
        landings::table
            .inner_join(offers::table)
            .inner_join(smes::table)
            .filter(landings::state.eq($state))
            .filter($cluster.eq($id))
            .select((
                PendingLanding::as_select(),
                offers::title,
                offers::capacity,
                smes::name,
            ))
            .order((landings::start_date.asc(), landings::id.asc()))
    };
}

type RequestRow = (PendingLanding, String, i32, String);

/// Pending landings of `state` hosted by (`hosted`) or sent from the cluster, soonest first.
pub fn requests(
    conn: &mut DbConnection,
    cluster_id: &str,
    state: LandingState,
    hosted: bool,
    slice: Slice<'_>,
) -> QueryResult<Vec<Request>> {
    let (host, home) = (landings::host_cluster_id, landings::home_cluster_id);
    let rows: Vec<RequestRow> = match (hosted, slice) {
        (true, Slice::Page { limit, offset }) => pending!(state, host, cluster_id)
            .limit(limit)
            .offset(offset)
            .load(conn)?,
        (false, Slice::Page { limit, offset }) => pending!(state, home, cluster_id)
            .limit(limit)
            .offset(offset)
            .load(conn)?,
        (true, Slice::One(id)) => pending!(state, host, cluster_id)
            .filter(landings::id.eq(id))
            .load(conn)?,
        (false, Slice::One(id)) => pending!(state, home, cluster_id)
            .filter(landings::id.eq(id))
            .load(conn)?,
    };
    Ok(rows.into_iter().map(request).collect())
}

fn request((landing, offer_title, capacity, sme_name): RequestRow) -> Request {
    Request {
        landing,
        offer_title,
        capacity,
        sme_name,
    }
}

/// The cluster's requests to approve at `offer_id` whose stay shares a day with `[from, to]`:
/// those whose free places a decision on a landing of those days changes.
pub fn approvals_sharing_days(
    conn: &mut DbConnection,
    cluster_id: &str,
    offer_id: &str,
    from: NaiveDate,
    to: NaiveDate,
) -> QueryResult<Vec<Request>> {
    let rows: Vec<RequestRow> = pending!(
        LandingState::PendingApproval,
        landings::host_cluster_id,
        cluster_id
    )
    .filter(landings::offer_id.eq(offer_id))
    .filter(landings::start_date.le(to))
    .filter(landings::end_date.ge(from))
    .load(conn)?;
    Ok(rows.into_iter().map(request).collect())
}

/// Visitors booked on each (offer, day) the landings' days name.
pub fn booked(
    conn: &mut DbConnection,
    landings: &[&PendingLanding],
) -> QueryResult<HashMap<(String, NaiveDate), i32>> {
    let (Some(from), Some(to)) = (
        landings.iter().map(|l| l.start_date).min(),
        landings.iter().map(|l| l.end_date).max(),
    ) else {
        return Ok(HashMap::new());
    };
    let mut offer_ids: Vec<&str> = landings.iter().map(|l| l.offer_id.as_str()).collect();
    offer_ids.sort_unstable();
    offer_ids.dedup();
    let rows: Vec<(String, NaiveDate, i32)> = offer_day_bookings::table
        .filter(offer_day_bookings::offer_id.eq_any(offer_ids))
        .filter(offer_day_bookings::day.between(from, to))
        .select((
            offer_day_bookings::offer_id,
            offer_day_bookings::day,
            offer_day_bookings::booked,
        ))
        .load(conn)?;
    Ok(rows
        .into_iter()
        .map(|(offer, day, booked)| ((offer, day), booked))
        .collect())
}

/// The cluster's SMEs that wait to be verified, oldest first.
pub fn sign_ups(
    conn: &mut DbConnection,
    cluster_id: &str,
    slice: Slice<'_>,
) -> QueryResult<Vec<SmeRow>> {
    let query = smes::table
        .filter(smes::home_cluster_id.eq(cluster_id))
        .filter(smes::membership.eq("pending"))
        .select(SmeRow::as_select())
        .order(smes::id.asc());
    match slice {
        Slice::Page { limit, offset } => query.limit(limit).offset(offset).load(conn),
        Slice::One(id) => query.filter(smes::id.eq(id)).load(conn),
    }
}

/// Partnerships proposed to the cluster, with the proposer's name, oldest first.
pub fn proposals(
    conn: &mut DbConnection,
    cluster_id: &str,
    slice: Slice<'_>,
) -> QueryResult<Vec<(PartnershipRow, String)>> {
    let query = partnerships::table
        .inner_join(clusters::table.on(clusters::id.eq(partnerships::proposer_cluster_id)))
        .filter(partnerships::partner_cluster_id.eq(cluster_id))
        .filter(partnerships::state.eq("proposed"))
        .select((PartnershipRow::as_select(), clusters::name))
        .order(partnerships::id.asc());
    match slice {
        Slice::Page { limit, offset } => query.limit(limit).offset(offset).load(conn),
        Slice::One(id) => query.filter(partnerships::id.eq(id)).load(conn),
    }
}

/// How many items wait, by kind (approvals, endorsements, sign-ups, proposals), each counted
/// up to its cap in `caps` and no further; in one statement, as every page a manager opens
/// counts them for the navigation. A cap bounds what a count costs however long its list is
/// (a cap of 0 skips that list); [`UNCAPPED`] counts all.
pub fn counts(conn: &mut DbConnection, cluster_id: &str, caps: [i64; 4]) -> QueryResult<[i64; 4]> {
    let query = Counts { cluster_id, caps };
    let counts: (i64, i64, i64, i64) = match conn {
        DbConnection::Postgres(c) => query.get_result(c)?,
        DbConnection::Sqlite(c) => query.get_result(c)?,
    };
    Ok([counts.0, counts.1, counts.2, counts.3])
}

/// A cap of [`counts`] that counts the whole list.
pub const UNCAPPED: i64 = i64::MAX;

/// Each list of what waits: its table, the column that names the cluster, the column of its
/// state and the state that waits (the enums' own names, written into the statements' text).
const LISTS: [(&str, &str, &str, &str); 4] = [
    (
        "landings",
        "host_cluster_id",
        "state",
        LandingState::PendingApproval.as_str(),
    ),
    (
        "landings",
        "home_cluster_id",
        "state",
        LandingState::PendingEndorsement.as_str(),
    ),
    ("smes", "home_cluster_id", "membership", "pending"),
    ("partnerships", "partner_cluster_id", "state", "proposed"),
];

/// The statement of [`counts`]: each list's rows are read up to its cap in a subquery and
/// counted. Its text never varies, so PostgreSQL parses and plans it once per connection.
struct Counts<'a> {
    cluster_id: &'a str,
    caps: [i64; 4],
}

impl diesel::query_builder::QueryId for Counts<'_> {
    type QueryId = Counts<'static>;
    const HAS_STATIC_QUERY_ID: bool = true;
}

impl diesel::query_builder::Query for Counts<'_> {
    type SqlType = (BigInt, BigInt, BigInt, BigInt);
}

impl RunQueryDsl<diesel::PgConnection> for Counts<'_> {}
impl RunQueryDsl<diesel::SqliteConnection> for Counts<'_> {}

impl<DB> QueryFragment<DB> for Counts<'_>
where
    DB: Backend,
    str: ToSql<Text, DB>,
    i64: ToSql<BigInt, DB>,
    DB: diesel::sql_types::HasSqlType<Text> + diesel::sql_types::HasSqlType<BigInt>,
{
    fn walk_ast<'b>(&'b self, mut out: AstPass<'_, 'b, DB>) -> QueryResult<()> {
        out.push_sql("SELECT ");
        for (i, (table, cluster, state, value)) in LISTS.into_iter().enumerate() {
            if i > 0 {
                out.push_sql(", ");
            }
            out.push_sql(&format!(
                "(SELECT COUNT(*) FROM (SELECT 1 FROM {table} WHERE {cluster} = "
            ));
            out.push_bind_param::<Text, _>(self.cluster_id)?;
            out.push_sql(&format!(" AND {state} = '{value}' LIMIT "));
            out.push_bind_param::<BigInt, _>(&self.caps[i])?;
            out.push_sql(&format!(") AS waiting_{i})"));
        }
        Ok(())
    }
}

/// How many items of list `LIST` (approvals, endorsements, sign-ups, proposals) wait for the
/// cluster of the `users` row the query reads, counted up to `CAP`: a subquery of constant
/// text, so the statement that holds it is prepared once per connection.
#[derive(Debug, Clone, Copy)]
pub struct UsersWaiting<const LIST: usize, const CAP: i64>;

impl<const LIST: usize, const CAP: i64> diesel::query_builder::QueryId for UsersWaiting<LIST, CAP> {
    type QueryId = Self;
    const HAS_STATIC_QUERY_ID: bool = true;
}

impl<const LIST: usize, const CAP: i64> diesel::Expression for UsersWaiting<LIST, CAP> {
    type SqlType = BigInt;
}

impl<const LIST: usize, const CAP: i64, QS> diesel::SelectableExpression<QS>
    for UsersWaiting<LIST, CAP>
{
}

impl<const LIST: usize, const CAP: i64, QS> diesel::AppearsOnTable<QS> for UsersWaiting<LIST, CAP> {}

impl<const LIST: usize, const CAP: i64, GB> diesel::expression::ValidGrouping<GB>
    for UsersWaiting<LIST, CAP>
{
    type IsAggregate = diesel::expression::is_aggregate::Never;
}

impl<const LIST: usize, const CAP: i64, DB: Backend> QueryFragment<DB> for UsersWaiting<LIST, CAP> {
    fn walk_ast<'b>(&'b self, mut out: AstPass<'_, 'b, DB>) -> QueryResult<()> {
        let (table, cluster, state, value) = LISTS[LIST];
        out.push_sql(&format!(
            "(SELECT COUNT(*) FROM (SELECT 1 FROM {table} WHERE {cluster} = users.cluster_id \
             AND {state} = '{value}' LIMIT {CAP}) AS waiting_{LIST})"
        ));
        Ok(())
    }
}
