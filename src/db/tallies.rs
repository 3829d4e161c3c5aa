//! The reports' tallies ([`crate::domain::reports::contributions`], summed by month): what a
//! change to a landing moves, appended in the change's transaction; the sweep's folding of those
//! changes into `report_tallies`; the first build from the landings already there; and the
//! reads a report makes, of the tallies and of the landings at a range's ragged edges.

use std::collections::HashMap;

use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;
use diesel::sql_types::{Array, BigInt, Date, Integer, Nullable, Text, Timestamp};

use super::DbConnection;
use super::landings::LandingRow;
use super::schema::{landing_events, landings, offers, report_tallies, report_tally_changes};
use crate::domain::landing::LandingState;
use crate::domain::reports::{
    Dimension, TallyKey, TallyLanding, contributions, month_of, tally_change,
};

fn tally_landing(
    row: &LandingRow,
    kind: String,
    endorsed_at: Option<NaiveDateTime>,
) -> TallyLanding {
    TallyLanding {
        state: row.state,
        start_date: row.start_date,
        days: row.days(),
        headcount: row.headcount,
        partnership_id: row.partnership_id.to_string(),
        host_cluster_id: row.host_cluster_id.to_string(),
        home_cluster_id: row.home_cluster_id.to_string(),
        kind,
        rating: row.rating,
        created_at: row.created_at,
        decided_at: row.decided_at,
        endorsed_at,
    }
}

#[derive(Insertable)]
#[diesel(table_name = report_tally_changes)]
struct NewChange<'a> {
    scope: &'a str,
    month: NaiveDate,
    dimension: &'static str,
    value: &'a str,
    n: i64,
    total: i64,
}

/// Appends what the landing's change from `before` (none: it is new) to `after` moves in the
/// tallies. `endorsed_at` is given when this change is the home cluster's endorsement: the
/// endorsement time is counted once, then, and no other change moves it.
pub fn record(
    conn: &mut DbConnection,
    before: Option<&LandingRow>,
    after: &LandingRow,
    endorsed_at: Option<NaiveDateTime>,
) -> QueryResult<()> {
    // The offer's kind is counted when the landing is new and never moves after, so a change
    // needs no lookup of it.
    let kind = match before {
        None => offers::table
            .find(after.offer_id.as_str())
            .select(offers::kind)
            .first::<String>(conn)?,
        Some(_) => String::new(),
    };
    let before = before.map(|row| tally_landing(row, kind.clone(), None));
    let after = tally_landing(after, kind, endorsed_at);
    let moved = tally_change(before.as_ref(), &after);
    if moved.is_empty() {
        return Ok(());
    }
    let rows: Vec<NewChange<'_>> = moved
        .iter()
        .map(|((month, scope, dimension, value), n, total)| NewChange {
            scope,
            month: *month,
            dimension: dimension.as_str(),
            value,
            n: *n,
            total: *total,
        })
        .collect();
    append(conn, &rows)
}

fn append(conn: &mut DbConnection, rows: &[NewChange<'_>]) -> QueryResult<()> {
    match conn {
        // Every approval appends: one statement kept prepared, whatever the number of rows.
        DbConnection::Postgres(c) => pg::AppendChanges {
            scopes: rows.iter().map(|r| r.scope).collect(),
            months: rows.iter().map(|r| r.month).collect(),
            dimensions: rows.iter().map(|r| r.dimension).collect(),
            values: rows.iter().map(|r| r.value).collect(),
            ns: rows.iter().map(|r| r.n).collect(),
            totals: rows.iter().map(|r| r.total).collect(),
        }
        .execute(c)?,
        DbConnection::Sqlite(c) => diesel::insert_into(report_tally_changes::table)
            .values(rows)
            .execute(c)?,
    };
    Ok(())
}

/// The append of [`append`] on PostgreSQL, one array per column: the text never varies with
/// the number of rows, so each connection parses and plans it once (diesel keeps no multi-row
/// `INSERT` prepared).
mod pg {
    use chrono::NaiveDate;
    use diesel::QueryResult;
    use diesel::pg::Pg;
    use diesel::query_builder::{AstPass, QueryFragment};
    use diesel::sql_types::{Array, BigInt, Date, Text};

    pub(super) struct AppendChanges<'a> {
        pub scopes: Vec<&'a str>,
        pub months: Vec<NaiveDate>,
        pub dimensions: Vec<&'a str>,
        pub values: Vec<&'a str>,
        pub ns: Vec<i64>,
        pub totals: Vec<i64>,
    }

    crate::db::constant_pg_statement!(AppendChanges);

    impl QueryFragment<Pg> for AppendChanges<'_> {
        fn walk_ast<'b>(&'b self, mut out: AstPass<'_, 'b, Pg>) -> QueryResult<()> {
            out.push_sql(
                "INSERT INTO report_tally_changes (scope, month, dimension, value, n, total) \
                 SELECT * FROM unnest(",
            );
            out.push_bind_param::<Array<Text>, _>(&self.scopes)?;
            out.push_sql(", ");
            out.push_bind_param::<Array<Date>, _>(&self.months)?;
            out.push_sql(", ");
            out.push_bind_param::<Array<Text>, _>(&self.dimensions)?;
            out.push_sql(", ");
            out.push_bind_param::<Array<Text>, _>(&self.values)?;
            out.push_sql(", ");
            out.push_bind_param::<Array<BigInt>, _>(&self.ns)?;
            out.push_sql(", ");
            out.push_bind_param::<Array<BigInt>, _>(&self.totals)?;
            out.push_sql(")");
            Ok(())
        }
    }
}

/// The most changes one fold moves, so a fold after a burst stays a short transaction.
const FOLD_BATCH: i64 = 50_000;

/// The advisory lock that lets one PostgreSQL fold run at a time (its key is arbitrary; such
/// locks are held per database).
const FOLD_LOCK: i64 = 0x736c_666f_6c64;

/// Folds the appended changes into `report_tallies`; answers how many tally rows it wrote.
/// Safe beside other instances: on PostgreSQL a fold runs only while it holds [`FOLD_LOCK`]
/// (another instance's fold at the same moment folds nothing), so it deletes the oldest
/// changes without locking them row by row first; that lock pass had doubled the fold's cost,
/// and a burst of approvals appends about eleven changes each.
pub fn fold(conn: &mut DbConnection) -> QueryResult<usize> {
    match conn {
        DbConnection::Postgres(_) => super::write_transaction(conn, |c| {
            #[derive(QueryableByName)]
            struct Locked {
                #[diesel(sql_type = diesel::sql_types::Bool)]
                locked: bool,
            }
            let lock = diesel::sql_query("SELECT pg_try_advisory_xact_lock($1) AS locked")
                .bind::<BigInt, _>(FOLD_LOCK)
                .get_result::<Locked>(c)?;
            if !lock.locked {
                return Ok(0);
            }
            diesel::sql_query(
                "WITH moved AS (DELETE FROM report_tally_changes \
                 WHERE id < (SELECT min(id) FROM report_tally_changes) + $1 \
                 RETURNING scope, month, dimension, value, n, total) \
                 INSERT INTO report_tallies (scope, month, dimension, value, n, total) \
                 SELECT scope, month, dimension, value, sum(n), sum(total) FROM moved \
                 GROUP BY scope, month, dimension, value \
                 ON CONFLICT (scope, month, dimension, value) DO UPDATE \
                 SET n = report_tallies.n + excluded.n, total = report_tallies.total + excluded.total",
            )
            .bind::<BigInt, _>(FOLD_BATCH)
            .execute(c)
        }),
        DbConnection::Sqlite(_) => super::write_transaction(conn, |c| {
            let last: Option<i64> = report_tally_changes::table
                .select(diesel::dsl::max(report_tally_changes::id))
                .first(c)?;
            let Some(last) = last else { return Ok(0) };
            let folded = diesel::sql_query(
                "INSERT INTO report_tallies (scope, month, dimension, value, n, total) \
                 SELECT scope, month, dimension, value, sum(n), sum(total) \
                 FROM report_tally_changes WHERE id <= ? \
                 GROUP BY scope, month, dimension, value \
                 ON CONFLICT (scope, month, dimension, value) DO UPDATE \
                 SET n = report_tallies.n + excluded.n, \
                 total = report_tallies.total + excluded.total",
            )
            .bind::<diesel::sql_types::BigInt, _>(last)
            .execute(c)?;
            diesel::delete(report_tally_changes::table.filter(report_tally_changes::id.le(last)))
                .execute(c)?;
            Ok(folded)
        }),
    }
}

/// A landing as the reports read it, with its offer's kind and its endorsement time.
#[derive(Debug, QueryableByName)]
struct RawLanding {
    #[diesel(sql_type = Text)]
    state: String,
    #[diesel(sql_type = Date)]
    start_date: NaiveDate,
    #[diesel(sql_type = Text)]
    days: String,
    #[diesel(sql_type = Integer)]
    headcount: i32,
    #[diesel(sql_type = Text)]
    partnership_id: String,
    #[diesel(sql_type = Text)]
    host_cluster_id: String,
    #[diesel(sql_type = Text)]
    home_cluster_id: String,
    #[diesel(sql_type = Text)]
    kind: String,
    #[diesel(sql_type = Nullable<Integer>)]
    rating: Option<i32>,
    #[diesel(sql_type = Timestamp)]
    created_at: NaiveDateTime,
    #[diesel(sql_type = Nullable<Timestamp>)]
    decided_at: Option<NaiveDateTime>,
    #[diesel(sql_type = Nullable<Timestamp>)]
    endorsed_at: Option<NaiveDateTime>,
}

impl RawLanding {
    fn into_tally(self) -> Option<TallyLanding> {
        Some(TallyLanding {
            state: LandingState::parse(&self.state)?,
            start_date: self.start_date,
            days: self
                .days
                .split(',')
                .filter_map(|day| day.parse().ok())
                .collect(),
            headcount: self.headcount,
            partnership_id: self.partnership_id,
            host_cluster_id: self.host_cluster_id,
            home_cluster_id: self.home_cluster_id,
            kind: self.kind,
            rating: self.rating,
            created_at: self.created_at,
            decided_at: self.decided_at,
            endorsed_at: self.endorsed_at,
        })
    }
}

const RAW_COLUMNS: &str = "l.state, l.start_date, l.days, l.headcount, l.partnership_id, \
     l.host_cluster_id, l.home_cluster_id, o.kind, l.rating, l.created_at, l.decided_at, \
     (SELECT max(e.at) FROM landing_events e WHERE e.landing_id = l.id AND e.action = 'endorse') \
     AS endorsed_at";

/// Whose landings a report reads.
#[derive(Debug, Clone, Copy)]
pub enum Whose<'a> {
    All,
    /// Those a cluster hosted or sent.
    Cluster(&'a str),
    /// Those of some partnerships.
    Partnerships(&'a [String]),
}

/// The landings `whose` says whose stay shares a day with one of `windows`, or began before
/// `from` and lasts into it.
pub fn landings_at_edges(
    conn: &mut DbConnection,
    windows: &[(NaiveDate, NaiveDate)],
    from: NaiveDate,
    whose: Whose<'_>,
) -> QueryResult<Vec<TallyLanding>> {
    let pg = matches!(conn, DbConnection::Postgres(_));
    let mut n = 0;
    let mut param = || {
        n += 1;
        if pg { format!("${n}") } else { "?".to_owned() }
    };
    // On PostgreSQL the stay as a range is GiST-indexed (`landings_stay`).
    let mut wheres = Vec::new();
    for _ in windows {
        let (a, b) = (param(), param());
        wheres.push(if pg {
            format!("daterange(l.start_date, l.end_date, '[]') && daterange({a}, {b}, '[]')")
        } else {
            format!("(l.end_date >= {a} AND l.start_date <= {b})")
        });
    }
    let (f1, f2) = (param(), param());
    wheres.push(if pg {
        format!("(daterange(l.start_date, l.end_date, '[]') @> {f1}::date AND l.start_date < {f2})")
    } else {
        format!("(l.end_date >= {f1} AND l.start_date < {f2})")
    });
    let mut sql = format!(
        "SELECT {RAW_COLUMNS} FROM landings l JOIN offers o ON o.id = l.offer_id WHERE ({})",
        wheres.join(" OR ")
    );
    match whose {
        Whose::All => {}
        Whose::Cluster(_) => {
            let (a, b) = (param(), param());
            sql.push_str(&format!(
                " AND (l.host_cluster_id = {a} OR l.home_cluster_id = {b})"
            ));
        }
        Whose::Partnerships(ids) => {
            let list: Vec<String> = ids.iter().map(|_| param()).collect();
            if list.is_empty() {
                return Ok(Vec::new());
            }
            sql.push_str(&format!(" AND l.partnership_id IN ({})", list.join(", ")));
        }
    }
    macro_rules! run {
        ($c:expr, $backend:ty) => {{
            let mut q = diesel::sql_query(sql).into_boxed::<$backend>();
            for (a, b) in windows {
                q = q.bind::<Date, _>(*a).bind::<Date, _>(*b);
            }
            q = q.bind::<Date, _>(from).bind::<Date, _>(from);
            match whose {
                Whose::All => {}
                Whose::Cluster(c) => {
                    q = q
                        .bind::<Text, _>(c.to_owned())
                        .bind::<Text, _>(c.to_owned());
                }
                Whose::Partnerships(ids) => {
                    for id in ids {
                        q = q.bind::<Text, _>(id.clone());
                    }
                }
            }
            // One text per shape (how many windows; whose, and how many partnerships): each
            // kept prepared.
            super::Kept(q).load::<RawLanding>($c)?
        }};
    }
    let rows = match conn {
        DbConnection::Postgres(c) => run!(c, diesel::pg::Pg),
        DbConnection::Sqlite(c) => run!(c, diesel::sqlite::Sqlite),
    };
    Ok(rows
        .into_iter()
        .filter_map(RawLanding::into_tally)
        .collect())
}

/// A tally row as a report reads it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Tally {
    pub scope: String,
    pub dimension: Dimension,
    pub value: String,
    pub n: i64,
    pub total: i64,
}

/// The tallies of `scopes` in `dimensions` over the months from `first` to `last` (their first
/// days), folded and not yet folded, summed.
pub fn sum(
    conn: &mut DbConnection,
    scopes: &[String],
    dimensions: &[Dimension],
    first: NaiveDate,
    last: NaiveDate,
) -> QueryResult<Vec<Tally>> {
    let dims: Vec<&str> = dimensions.iter().map(|d| d.as_str()).collect();
    let (first, last) = (month_of(first), month_of(last));
    if scopes.is_empty() || dims.is_empty() {
        return Ok(Vec::new());
    }
    // The folded tallies and the changes not yet folded into them, summed by the database in
    // one statement: after a burst of landings the changes are many rows, their sums few.
    let pg = matches!(conn, DbConnection::Postgres(_));
    let (scope_list, dim_list) = if pg {
        ("ANY($1)".to_owned(), "ANY($4)".to_owned())
    } else {
        let marks = |n: usize| vec!["?"; n].join(", ");
        (
            format!("IN ({})", marks(scopes.len())),
            format!("IN ({})", marks(dims.len())),
        )
    };
    let (scope_in, dim_in) = if pg {
        (format!("= {scope_list}"), format!("= {dim_list}"))
    } else {
        (scope_list, dim_list)
    };
    let (from_mark, to_mark) = if pg { ("$2", "$3") } else { ("?", "?") };
    let part = |table: &str| {
        format!(
            "SELECT scope, dimension, value, n, total FROM {table} \
             WHERE scope {scope_in} AND month BETWEEN {from_mark} AND {to_mark} \
             AND dimension {dim_in}"
        )
    };
    let sql = format!(
        "SELECT scope, dimension, value, CAST(SUM(n) AS BIGINT) AS n, \
         CAST(SUM(total) AS BIGINT) AS total FROM ({} UNION ALL {}) AS t \
         GROUP BY scope, dimension, value",
        part("report_tallies"),
        part("report_tally_changes")
    );
    let rows: Vec<SummedTally> = match conn {
        // The numbered parameters serve both halves.
        // One text, kept prepared.
        DbConnection::Postgres(c) => super::Kept(
            diesel::sql_query(sql)
                .bind::<Array<Text>, _>(scopes)
                .bind::<Date, _>(first)
                .bind::<Date, _>(last)
                .bind::<Array<Text>, _>(&dims),
        )
        .load(c)?,
        DbConnection::Sqlite(c) => {
            let mut q = diesel::sql_query(sql).into_boxed::<diesel::sqlite::Sqlite>();
            for _ in 0..2 {
                for scope in scopes {
                    q = q.bind::<Text, _>(scope.clone());
                }
                q = q.bind::<Date, _>(first).bind::<Date, _>(last);
                for dim in &dims {
                    q = q.bind::<Text, _>(*dim);
                }
            }
            // One text for each number of scopes and of dimensions, kept prepared.
            super::Kept(q).load(c)?
        }
    };
    Ok(rows
        .into_iter()
        .filter_map(|r| {
            Some(Tally {
                dimension: Dimension::parse(&r.dimension)?,
                scope: r.scope,
                value: r.value,
                n: r.n,
                total: r.total,
            })
        })
        .collect())
}

/// A tally as [`sum`] reads it: the folded and the appended summed.
#[derive(Debug, QueryableByName)]
struct SummedTally {
    #[diesel(sql_type = Text)]
    scope: String,
    #[diesel(sql_type = Text)]
    dimension: String,
    #[diesel(sql_type = Text)]
    value: String,
    #[diesel(sql_type = BigInt)]
    n: i64,
    #[diesel(sql_type = BigInt)]
    total: i64,
}

/// Builds the tallies from the landings when there are landings but no tallies yet: once, after
/// the tallies were added to a database that already held landings, or after landings were
/// loaded around the use cases. Writers wait meanwhile, so no change is counted twice or
/// missed. Answers how many landings it counted.
pub fn build_if_missing(conn: &mut DbConnection) -> QueryResult<usize> {
    let missing = |conn: &mut DbConnection| -> QueryResult<bool> {
        let any_landing: bool =
            diesel::select(diesel::dsl::exists(landings::table.select(landings::id)))
                .get_result(conn)?;
        let any_tally: bool = diesel::select(diesel::dsl::exists(
            report_tallies::table.select(report_tallies::n),
        ))
        .get_result(conn)?;
        let any_change: bool = diesel::select(diesel::dsl::exists(
            report_tally_changes::table.select(report_tally_changes::id),
        ))
        .get_result(conn)?;
        Ok(any_landing && !any_tally && !any_change)
    };
    if !missing(conn)? {
        return Ok(0);
    }
    let build = |conn: &mut DbConnection| -> QueryResult<usize> {
        if let DbConnection::Postgres(c) = conn {
            diesel::sql_query("LOCK TABLE landings IN SHARE MODE").execute(c)?;
        }
        if !missing(conn)? {
            return Ok(0);
        }
        let endorsed: HashMap<String, NaiveDateTime> = landing_events::table
            .filter(landing_events::action.eq("endorse"))
            .select((landing_events::landing_id, landing_events::at))
            .load::<(String, NaiveDateTime)>(conn)?
            .into_iter()
            .collect();
        let mut sums: HashMap<TallyKey, (i64, i64)> = HashMap::new();
        let mut counted = 0;
        let mut after = String::new();
        loop {
            let page: Vec<(LandingRow, String)> = landings::table
                .inner_join(offers::table)
                .filter(landings::id.gt(&after))
                .order(landings::id.asc())
                .limit(20_000)
                .select((LandingRow::as_select(), offers::kind))
                .load(conn)?;
            let Some((last, _)) = page.last() else { break };
            after = last.id.to_string();
            for (row, kind) in &page {
                let endorsed_at = endorsed.get(row.id.as_str()).copied();
                for c in contributions(&tally_landing(row, kind.clone(), endorsed_at)) {
                    let entry = sums
                        .entry((month_of(c.on), c.scope, c.dimension, c.value))
                        .or_default();
                    entry.0 += c.n;
                    entry.1 += c.total;
                }
            }
            counted += page.len();
        }
        let rows: Vec<NewChange<'_>> = sums
            .iter()
            .map(|((month, scope, dimension, value), (n, total))| NewChange {
                scope,
                month: *month,
                dimension: dimension.as_str(),
                value,
                n: *n,
                total: *total,
            })
            .collect();
        for chunk in rows.chunks(5_000) {
            append(conn, chunk)?;
        }
        Ok(counted)
    };
    super::write_transaction(conn, build)
}
