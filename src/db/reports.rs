//! The queries behind the reports: partnerships with their landings aggregated by
//! partnership and direction or by state, host and offer kind, and the durations the summary
//! takes percentiles of. A landing belongs to a range when its stay (`start_date` to
//! `end_date`, days in its host's calendar) shares a day with it. What counts and how figures
//! combine is [`crate::domain::reports`]'s; [`crate::service::reports`] puts them together.

use chrono::NaiveDate;
use diesel::dsl::{case_when, count, count_star, sum};
use diesel::prelude::*;
use diesel::sql_types::{BigInt, Date, Double, Nullable, Text};

use super::DbConnection;
use super::partnerships::PartnershipRow;
use super::schema::{landings, offers, partnerships};
use crate::domain::landing::LandingState;
use crate::domain::partnership::PartnershipState;
use crate::domain::reports::{HOST_DECIDED, USED};
use crate::domain::values::DateRange;

// The summary groups landings by their state and host and by their offer's kind.
diesel::allow_columns_to_appear_in_same_group_by_clause!(
    landings::state,
    landings::host_cluster_id,
    offers::kind,
);

/// Runs a report's queries `f` on one snapshot. On PostgreSQL that is a read-only repeatable-read
/// transaction planned for the report:
///
/// - each statement is planned for its own values (`plan_cache_mode`), so the partial index of
///   used landings (`landings_use`), whose predicate names the states, serves the reciprocity
///   even after the cached statement would have gone generic;
/// - index pages cost what they cost in cache (`random_page_cost` 1.1 instead of 4): reading
///   the narrow report indexes in stay order beats reading the table's 550-byte rows, which the
///   default made the planner prefer;
/// - sorts (the percentiles of a year's decisions) have the memory to stay in memory.
///
/// SQLite reads one snapshot per connection anyway.
pub fn snapshot<T>(
    conn: &mut DbConnection,
    f: impl FnOnce(&mut DbConnection) -> Result<T, crate::error::ApiError>,
) -> Result<T, crate::error::ApiError> {
    match conn {
        DbConnection::Postgres(_) => conn.transaction(|conn| {
            for setting in [
                "SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY",
                "SET LOCAL plan_cache_mode = force_custom_plan",
                "SET LOCAL random_page_cost = 1.1",
                "SET LOCAL work_mem = '64MB'",
            ] {
                diesel::sql_query(setting).execute(conn)?;
            }
            f(conn)
        }),
        DbConnection::Sqlite(_) => f(conn),
    }
}

/// Whose landings a query covers: all, or those a cluster hosted or sent.
#[derive(Debug, Clone, Copy)]
pub enum Landings<'a> {
    All,
    OfCluster(&'a str),
}

fn states(list: &[LandingState]) -> Vec<&'static str> {
    list.iter().map(|s| s.as_str()).collect()
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

/// Used landings ([`USED`]) of one partnership hosted by one side, in the range.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DirectionUse {
    pub partnership_id: String,
    pub host_cluster_id: String,
    pub landings: i64,
    /// Visitor-days of the landings whose whole stay lies in the range (headcount × open
    /// days); those that cross an edge are in [`straddling`].
    pub visitor_days_inside: i64,
}

/// Used landings in `range` by partnership and host; only of the partnerships `only` names,
/// when it does.
pub fn use_by_direction(
    conn: &mut DbConnection,
    range: DateRange,
    only: Option<&[String]>,
) -> QueryResult<Vec<DirectionUse>> {
    let (from, to) = (range.start(), range.end());
    let inside = landings::start_date.ge(from).and(landings::end_date.le(to));
    let mut query = landings::table
        .filter(landings::state.eq_any(states(&USED)))
        .filter(landings::start_date.le(to))
        .filter(landings::end_date.ge(from))
        .group_by((landings::partnership_id, landings::host_cluster_id))
        .select((
            landings::partnership_id,
            landings::host_cluster_id,
            count_star(),
            sum(case_when(inside, landings::headcount * landings::open_days).otherwise(0)),
        ))
        .into_boxed();
    if let Some(ids) = only {
        query = query.filter(landings::partnership_id.eq_any(ids.to_vec()));
    }
    let rows: Vec<(String, String, i64, Option<i64>)> = query.load(conn)?;
    Ok(rows
        .into_iter()
        .map(
            |(partnership_id, host_cluster_id, landings, days)| DirectionUse {
                partnership_id,
                host_cluster_id,
                landings,
                visitor_days_inside: days.unwrap_or(0),
            },
        )
        .collect())
}

/// A used landing whose stay crosses an edge of the range: its open days are counted one by
/// one.
#[derive(Debug, Clone, Queryable, QueryableByName)]
pub struct Straddling {
    #[diesel(sql_type = Text)]
    pub partnership_id: String,
    #[diesel(sql_type = Text)]
    pub host_cluster_id: String,
    #[diesel(sql_type = diesel::sql_types::Integer)]
    pub headcount: i32,
    /// [`super::landings::days_text`] of its open days.
    #[diesel(sql_type = Text)]
    pub days: String,
}

impl Straddling {
    pub fn days(&self) -> Vec<NaiveDate> {
        self.days
            .split(',')
            .filter_map(|day| day.parse().ok())
            .collect()
    }
}

/// The used landings in `range` that begin before it or end after it.
///
/// On PostgreSQL the stay as a `daterange` (indexed with GiST, `landings_stay`) finds the
/// landings that hold the range's first or last day; a plain condition on the dates would read
/// every landing before the range, or after it.
pub fn straddling(
    conn: &mut DbConnection,
    range: DateRange,
    only: Option<&[String]>,
) -> QueryResult<Vec<Straddling>> {
    let (from, to) = (range.start(), range.end());
    match conn {
        DbConnection::Postgres(pg) => {
            let used = states(&USED)
                .iter()
                .map(|s| format!("'{s}'"))
                .collect::<Vec<_>>()
                .join(", ");
            let stay = "daterange(start_date, end_date, '[]')";
            let mut sql = format!(
                "SELECT partnership_id, host_cluster_id, headcount, days FROM landings \
                 WHERE state IN ({used}) \
                 AND (({stay} @> $1 AND start_date < $1) OR ({stay} @> $2 AND end_date > $2))"
            );
            let query = |sql: &str| {
                diesel::sql_query(sql.to_owned())
                    .bind::<Date, _>(from)
                    .bind::<Date, _>(to)
            };
            match only {
                Some(ids) => {
                    sql.push_str(" AND partnership_id = ANY($3)");
                    query(&sql)
                        .bind::<diesel::sql_types::Array<Text>, _>(ids.to_vec())
                        .load(pg)
                }
                None => query(&sql).load(pg),
            }
        }
        DbConnection::Sqlite(_) => {
            let mut query = landings::table
                .filter(landings::state.eq_any(states(&USED)))
                .filter(landings::start_date.le(to))
                .filter(landings::end_date.ge(from))
                .filter(landings::start_date.lt(from).or(landings::end_date.gt(to)))
                .select((
                    landings::partnership_id,
                    landings::host_cluster_id,
                    landings::headcount,
                    landings::days,
                ))
                .into_boxed();
            if let Some(ids) = only {
                query = query.filter(landings::partnership_id.eq_any(ids.to_vec()));
            }
            query.load(conn)
        }
    }
}

/// Landings in the range that share a state, a host and an offer kind.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Tally {
    pub state: String,
    pub host_cluster_id: String,
    pub kind: String,
    pub landings: i64,
    pub rating_sum: i64,
    pub ratings: i64,
}

/// Every landing in `range` that `scope` covers, counted by state, host and offer kind, with
/// the sum and number of their feedback ratings.
pub fn tallies(
    conn: &mut DbConnection,
    range: DateRange,
    scope: Landings<'_>,
) -> QueryResult<Vec<Tally>> {
    let (from, to) = (range.start(), range.end());
    let mut query = landings::table
        .inner_join(offers::table)
        .filter(landings::start_date.le(to))
        .filter(landings::end_date.ge(from))
        .group_by((landings::state, landings::host_cluster_id, offers::kind))
        .select((
            landings::state,
            landings::host_cluster_id,
            offers::kind,
            count_star(),
            sum(landings::rating),
            count(landings::rating),
        ))
        .into_boxed();
    if let Landings::OfCluster(cluster) = scope {
        query = query.filter(
            landings::host_cluster_id
                .eq(cluster.to_owned())
                .or(landings::home_cluster_id.eq(cluster.to_owned())),
        );
    }
    let rows: Vec<(String, String, String, i64, Option<i64>, i64)> = query.load(conn)?;
    Ok(rows
        .into_iter()
        .map(
            |(state, host_cluster_id, kind, landings, rating_sum, ratings)| Tally {
                state,
                host_cluster_id,
                kind,
                landings,
                rating_sum: rating_sum.unwrap_or(0),
                ratings,
            },
        )
        .collect())
}

/// The median and 90th percentile of some durations, in seconds, and how many there were.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct Spread {
    pub count: i64,
    pub median: Option<f64>,
    pub p90: Option<f64>,
}

/// Which durations: submission to the host's decision, or to the home cluster's endorsement.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Duration {
    /// `decided_at − created_at` of the landings the host decided ([`HOST_DECIDED`]).
    HostDecision,
    /// The `endorse` event's time − `created_at`.
    Endorsement,
}

#[derive(QueryableByName)]
struct SpreadRow {
    #[diesel(sql_type = BigInt)]
    n: i64,
    #[diesel(sql_type = Nullable<Double>)]
    median: Option<f64>,
    #[diesel(sql_type = Nullable<Double>)]
    p90: Option<f64>,
}

#[derive(QueryableByName)]
struct Seconds {
    #[diesel(sql_type = Double)]
    s: f64,
}

/// The spread of `which` durations of the landings in `range` that `scope` covers.
///
/// PostgreSQL computes the percentiles itself (`percentile_cont`), over however many landings;
/// SQLite has no percentile function, so it answers the durations in order and
/// [`crate::domain::reports::percentile`] interpolates them the same way.
pub fn spread(
    conn: &mut DbConnection,
    range: DateRange,
    scope: Landings<'_>,
    which: Duration,
) -> QueryResult<Spread> {
    let quoted = |list: &[LandingState]| {
        states(list)
            .iter()
            .map(|s| format!("'{s}'"))
            .collect::<Vec<_>>()
            .join(", ")
    };
    let (at, source, condition) = match which {
        Duration::HostDecision => (
            "l.decided_at",
            "landings l",
            format!(
                "l.decided_at IS NOT NULL AND l.state IN ({})",
                quoted(&HOST_DECIDED)
            ),
        ),
        Duration::Endorsement => (
            "e.at",
            "landing_events e JOIN landings l ON l.id = e.landing_id",
            "e.action = 'endorse'".to_owned(),
        ),
    };
    let cluster = match scope {
        Landings::All => None,
        Landings::OfCluster(c) => Some(c.to_owned()),
    };
    match conn {
        DbConnection::Postgres(pg) => {
            let scoped = if cluster.is_some() {
                " AND (l.host_cluster_id = $3 OR l.home_cluster_id = $3)"
            } else {
                ""
            };
            let sql = format!(
                "SELECT count(*) AS n, \
                 percentile_cont(0.5) WITHIN GROUP (ORDER BY s) AS median, \
                 percentile_cont(0.9) WITHIN GROUP (ORDER BY s) AS p90 \
                 FROM (SELECT EXTRACT(EPOCH FROM ({at} - l.created_at))::float8 AS s \
                 FROM {source} WHERE {condition} \
                 AND l.start_date <= $2 AND l.end_date >= $1{scoped}) durations"
            );
            let query = diesel::sql_query(sql)
                .bind::<Date, _>(range.start())
                .bind::<Date, _>(range.end());
            let row: SpreadRow = match cluster {
                Some(c) => query.bind::<Text, _>(c).get_result(pg)?,
                None => query.get_result(pg)?,
            };
            Ok(Spread {
                count: row.n,
                median: row.median,
                p90: row.p90,
            })
        }
        DbConnection::Sqlite(lite) => {
            let scoped = if cluster.is_some() {
                " AND (l.host_cluster_id = ? OR l.home_cluster_id = ?)"
            } else {
                ""
            };
            let sql = format!(
                "SELECT (julianday({at}) - julianday(l.created_at)) * 86400.0 AS s \
                 FROM {source} WHERE {condition} \
                 AND l.start_date <= ? AND l.end_date >= ?{scoped} ORDER BY s"
            );
            let query = diesel::sql_query(sql)
                .bind::<Date, _>(range.end())
                .bind::<Date, _>(range.start());
            let rows: Vec<Seconds> = match cluster {
                Some(c) => query
                    .bind::<Text, _>(c.clone())
                    .bind::<Text, _>(c)
                    .load(lite)?,
                None => query.load(lite)?,
            };
            let sorted: Vec<f64> = rows.into_iter().map(|r| r.s).collect();
            Ok(Spread {
                count: sorted.len() as i64,
                median: crate::domain::reports::percentile(&sorted, 0.5),
                p90: crate::domain::reports::percentile(&sorted, 0.9),
            })
        }
    }
}
