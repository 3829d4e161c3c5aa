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
