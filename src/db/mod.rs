//! Storage: the connection type that spans SQLite and PostgreSQL, the pool, migrations and the
//! portable schema. Queries that must differ per backend sit behind an explicit `match` on
//! [`DbConnection`] in the module that needs them. Nothing here knows about HTTP.

/// Declares `$name<'_>` (a `QueryFragment<Pg>` that writes the same SQL text on every call) a
/// constant PostgreSQL statement answering rows of `$sql_type` (or nothing, when left out).
/// Diesel keeps such a statement prepared on each connection, so PostgreSQL parses and plans it
/// once; it never does for a raw `sql_query`, an `UPDATE` or a multi-row `INSERT`, whose text
/// could vary.
macro_rules! constant_pg_statement {
    ($name:ident) => {
        impl diesel::query_builder::QueryId for $name<'_> {
            type QueryId = $name<'static>;
            const HAS_STATIC_QUERY_ID: bool = true;
        }

        impl diesel::RunQueryDsl<diesel::PgConnection> for $name<'_> {}
    };
    ($name:ident, $sql_type:ty) => {
        $crate::db::constant_pg_statement!($name);

        impl diesel::query_builder::Query for $name<'_> {
            type SqlType = $sql_type;
        }
    };
}
pub(crate) use constant_pg_statement;

/// A raw statement (`diesel::sql_query`) that each connection keeps prepared, one per distinct
/// text: diesel never keeps a raw statement, so the database would parse and plan it on every
/// call (on PostgreSQL a report's statements took longer to plan than to run). Only for texts
/// that come in a bounded number of shapes, as each stays prepared for the connection's life.
pub struct Kept<Q>(pub Q);

impl<Q> diesel::query_builder::QueryId for Kept<Q> {
    type QueryId = ();
    const HAS_STATIC_QUERY_ID: bool = false;
}

impl<Q: diesel::query_builder::Query> diesel::query_builder::Query for Kept<Q> {
    type SqlType = Q::SqlType;
}

impl<Q, Conn> diesel::RunQueryDsl<Conn> for Kept<Q> {}

impl<DB, Q> diesel::query_builder::QueryFragment<DB> for Kept<Q>
where
    DB: diesel::backend::Backend,
    Q: diesel::query_builder::QueryFragment<DB>,
{
    fn walk_ast<'b>(
        &'b self,
        mut pass: diesel::query_builder::AstPass<'_, 'b, DB>,
    ) -> diesel::QueryResult<()> {
        self.0.walk_ast(pass.reborrow())
    }

    /// The raw statement calls itself unsafe to keep, as its text is any text; the text of a
    /// kept one is the cache's key, with the types of its binds.
    fn is_safe_to_cache_prepared(&self, _backend: &DB) -> diesel::QueryResult<bool> {
        Ok(true)
    }
}

pub mod accounts;
pub mod admin;
pub mod audit;
pub mod clusters;
pub mod idempotency;
pub mod landings;
pub mod ledger;
pub mod matches;
pub mod migrations;
pub mod offers;
pub mod partnerships;
pub mod pool;
pub mod reports;
pub mod schema;
pub mod sessions;
pub mod smes;
pub mod tallies;
pub mod types;
pub mod waiting;
pub mod webhooks;

use chrono::{NaiveDateTime, SubsecRound, Utc};
use diesel::{PgConnection, SqliteConnection};

pub use pool::{Backend, Db, DbError};

/// One connection to either backend; the database URL's scheme picks the variant.
#[derive(diesel::MultiConnection)]
pub enum DbConnection {
    Postgres(PgConnection),
    Sqlite(SqliteConnection),
}

impl DbConnection {
    pub fn backend(&self) -> Backend {
        match self {
            DbConnection::Postgres(_) => Backend::Postgres,
            DbConnection::Sqlite(_) => Backend::Sqlite,
        }
    }
}

/// The current time as stored: UTC, truncated to microseconds so both backends keep it exactly.
pub fn now() -> NaiveDateTime {
    Utc::now().naive_utc().trunc_subsecs(6)
}

/// A new time-ordered identifier (UUIDv7), stored as TEXT.
pub fn new_id() -> String {
    uuid::Uuid::now_v7().to_string()
}

/// Runs the reads `f` on one snapshot, so what they read belongs to one moment: a report's
/// tallies and the changes not yet folded into them (a fold between the two reads would count
/// its changes twice or not at all), or a page's counts and the lists they count. On
/// PostgreSQL that is a read-only repeatable-read transaction whose statements run on generic
/// plans: PostgreSQL otherwise plans a statement with a bound `LIMIT`, or a report's sums over
/// bound arrays, afresh on every call (0.1 to 0.5 ms each, more than running them), as it cannot
/// cost the generic plan of a `LIMIT` it does not know. These reads are a page's, keyed by
/// ids and bounded, which a generic plan serves as well. On SQLite a transaction's first read
/// fixes its snapshot. PostgreSQL's transaction begins and takes its settings in one round trip.
pub fn snapshot<T, E, F>(conn: &mut DbConnection, f: F) -> Result<T, E>
where
    F: FnOnce(&mut DbConnection) -> Result<T, E>,
    E: From<diesel::result::Error>,
{
    use diesel::Connection;
    use diesel::connection::{AnsiTransactionManager, TransactionManager};
    type Manager = <DbConnection as Connection>::TransactionManager;
    let DbConnection::Postgres(pg) = conn else {
        return conn.transaction(f);
    };
    AnsiTransactionManager::begin_transaction_sql(
        pg,
        "BEGIN ISOLATION LEVEL REPEATABLE READ, READ ONLY; \
         SET LOCAL plan_cache_mode = force_generic_plan",
    )?;
    match f(conn) {
        Ok(value) => {
            Manager::commit_transaction(conn)?;
            Ok(value)
        }
        Err(error) => match Manager::rollback_transaction(conn) {
            Ok(()) | Err(diesel::result::Error::BrokenTransactionManager) => Err(error),
            Err(rollback) => Err(rollback.into()),
        },
    }
}

/// A transaction for work that reads and then writes. On SQLite it takes the write lock before
/// the first read (as `BEGIN IMMEDIATE` would): a deferred transaction that upgrades from
/// reading to writing fails at once with `SQLITE_BUSY` when another writer got there first,
/// whereas waiting for the lock up front is covered by `busy_timeout`. PostgreSQL needs nothing
/// extra; its row locks and `WHERE` re-checks serialise the writers.
pub fn write_transaction<T, E, F>(conn: &mut DbConnection, f: F) -> Result<T, E>
where
    F: FnOnce(&mut DbConnection) -> Result<T, E>,
    E: From<diesel::result::Error>,
{
    use diesel::Connection;
    conn.transaction(|conn| {
        if let DbConnection::Sqlite(sqlite) = conn {
            // A write statement that changes nothing still takes the write lock.
            diesel::RunQueryDsl::execute(
                diesel::sql_query(
                    "UPDATE __diesel_schema_migrations SET version = version WHERE 0 = 1",
                ),
                sqlite,
            )?;
        }
        f(conn)
    })
}
