//! The connection pool. The URL scheme picks the backend up front, so a wrong URL or an
//! unreachable server is reported with its real cause.

use std::fmt;
use std::path::PathBuf;
use std::time::Duration;

use diesel::connection::SimpleConnection;
use diesel::r2d2::{ManageConnection, Pool, PooledConnection};
use diesel::{Connection, PgConnection, SqliteConnection};
use secrecy::ExposeSecret;

use super::DbConnection;
use crate::config::DatabaseSettings;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

impl Backend {
    pub fn name(self) -> &'static str {
        match self {
            Backend::Sqlite => "sqlite",
            Backend::Postgres => "postgres",
        }
    }

    /// SQLite has one writer whatever the pool, so a few connections serve the readers. A
    /// PostgreSQL server does the most when its busy connections are few, about two per core
    /// (the PostgreSQL wiki's `cores × 2 + spindles`): more of them only take turns on the
    /// cores. On 2 cores the approvals benchmark ran a median 1,086 approvals/s over nine runs
    /// with 6 connections (p99 48–56 ms) against 996 over three with 16 (p99 53–60 ms). The
    /// cores counted are this host's, which are the database's too when they share a machine;
    /// set `database.pool_size` otherwise.
    fn default_pool_size(self) -> u32 {
        match self {
            Backend::Sqlite => 8,
            Backend::Postgres => {
                let cores = std::thread::available_parallelism().map_or(2, |n| n.get());
                u32::try_from(cores * 2 + 2)
                    .unwrap_or(u32::MAX)
                    .clamp(4, 64)
            }
        }
    }
}

/// Where to connect, parsed from the database URL.
#[derive(Clone)]
pub enum Target {
    Sqlite(PathBuf),
    Postgres(String),
}

impl Target {
    /// Reads `sqlite://<path>` (relative, or absolute as `sqlite:///abs`) or `postgres://...`.
    pub fn parse(url: &str) -> Result<Target, DbError> {
        let (scheme, rest) = url.split_once("://").ok_or_else(|| {
            DbError::Url("expected `sqlite://<path>` or `postgres://user@host/db`".into())
        })?;
        match scheme.to_ascii_lowercase().as_str() {
            "sqlite" => {
                if rest.is_empty() {
                    return Err(DbError::Url("the sqlite URL names no file".into()));
                }
                Ok(Target::Sqlite(PathBuf::from(rest)))
            }
            "postgres" | "postgresql" => {
                url::Url::parse(url)
                    .map_err(|e| DbError::Url(format!("bad PostgreSQL URL: {e}")))?;
                Ok(Target::Postgres(url.to_owned()))
            }
            other => Err(DbError::Url(format!(
                "unsupported scheme `{other}`: use sqlite://<path> or postgres://..."
            ))),
        }
    }

    pub fn backend(&self) -> Backend {
        match self {
            Target::Sqlite(_) => Backend::Sqlite,
            Target::Postgres(_) => Backend::Postgres,
        }
    }
}

impl fmt::Debug for Target {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Target::Sqlite(path) => write!(f, "sqlite://{}", path.display()),
            Target::Postgres(_) => f.write_str("postgres://[redacted]"),
        }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum DbError {
    #[error("invalid database URL: {0}")]
    Url(String),
    #[error("cannot open the SQLite database {path}: {cause}")]
    SqliteOpen { path: String, cause: String },
    #[error("cannot connect to PostgreSQL: {0}")]
    PostgresConnect(String),
    #[error("database pool: {0}")]
    Pool(String),
    #[error("migrations failed: {0}")]
    Migration(String),
    #[error(transparent)]
    Query(#[from] diesel::result::Error),
    #[error("the blocking task running the query failed: {0}")]
    Blocking(String),
}

impl From<actix_web::error::BlockingError> for DbError {
    fn from(e: actix_web::error::BlockingError) -> DbError {
        DbError::Blocking(e.to_string())
    }
}

/// r2d2 manager that opens the right backend and prepares SQLite connections.
pub struct Manager {
    target: Target,
}

impl Manager {
    pub fn new(target: Target) -> Manager {
        Manager { target }
    }

    /// Opens one connection, reporting the real cause on failure.
    pub fn open(&self) -> Result<DbConnection, DbError> {
        match &self.target {
            Target::Sqlite(path) => {
                let display = path.display().to_string();
                let open_error = |cause: String| DbError::SqliteOpen {
                    path: display.clone(),
                    cause,
                };
                if let Some(parent) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
                    std::fs::create_dir_all(parent).map_err(|e| open_error(e.to_string()))?;
                }
                let mut conn =
                    SqliteConnection::establish(&display).map_err(|e| open_error(e.to_string()))?;
                // busy_timeout first: switching to WAL needs the lock other connections may hold.
                conn.batch_execute(
                    "PRAGMA busy_timeout = 10000;
                     PRAGMA journal_mode = WAL;
                     PRAGMA synchronous = NORMAL;
                     PRAGMA foreign_keys = ON;",
                )
                .map_err(|e| open_error(e.to_string()))?;
                Ok(DbConnection::Sqlite(conn))
            }
            Target::Postgres(url) => PgConnection::establish(url)
                .map(DbConnection::Postgres)
                .map_err(|e| DbError::PostgresConnect(e.to_string().trim().to_owned())),
        }
    }
}

/// The error r2d2 carries; a newtype so it satisfies `std::error::Error`.
#[derive(Debug)]
pub struct ConnectError(String);

impl fmt::Display for ConnectError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for ConnectError {}

impl ManageConnection for Manager {
    type Connection = DbConnection;
    type Error = ConnectError;

    fn connect(&self) -> Result<DbConnection, ConnectError> {
        self.open().map_err(|e| ConnectError(e.to_string()))
    }

    fn is_valid(&self, conn: &mut DbConnection) -> Result<(), ConnectError> {
        conn.batch_execute("SELECT 1")
            .map_err(|e| ConnectError(e.to_string()))
    }

    /// A connection given back by a thread that panicked, or still inside a transaction (a
    /// use case that panicked before it committed), is closed rather than pooled again: the
    /// next request would otherwise run inside that transaction.
    fn has_broken(&self, conn: &mut DbConnection) -> bool {
        use diesel::connection::TransactionManager;
        type Manager = <DbConnection as Connection>::TransactionManager;
        std::thread::panicking()
            || !matches!(
                Manager::transaction_manager_status_mut(conn).transaction_depth(),
                Ok(None)
            )
    }
}

pub type PooledConn = PooledConnection<Manager>;

/// The shared handle to the database: a pool plus the backend it talks to.
#[derive(Clone)]
pub struct Db {
    pool: Pool<Manager>,
    backend: Backend,
}

impl Db {
    /// Connects once directly (so the first error is the real one), then builds the pool.
    pub fn connect(settings: &DatabaseSettings) -> Result<Db, DbError> {
        let target = Target::parse(settings.url.expose_secret())?;
        let backend = target.backend();
        let manager = Manager::new(target);
        let first = manager.open()?;
        drop(first);
        let size = settings
            .pool_size
            .unwrap_or_else(|| backend.default_pool_size())
            .max(1);
        let pool = Pool::builder()
            .max_size(size)
            // Connections open on demand; none are kept warm, so nothing reconnects in the
            // background to a database that went away.
            .min_idle(Some(0))
            .connection_timeout(Duration::from_secs(settings.acquire_timeout_secs.max(1)))
            .test_on_check_out(false)
            .build_unchecked(manager);
        Ok(Db { pool, backend })
    }

    pub fn backend(&self) -> Backend {
        self.backend
    }

    /// A connection from the pool; blocks, so call it from `web::block` or a blocking thread.
    pub fn get(&self) -> Result<PooledConn, DbError> {
        self.pool.get().map_err(|e| DbError::Pool(e.to_string()))
    }

    /// Connections in use and idle, for metrics.
    pub fn state(&self) -> (u32, u32) {
        let state = self.pool.state();
        (
            state.connections - state.idle_connections,
            state.idle_connections,
        )
    }

    pub fn max_size(&self) -> u32 {
        self.pool.max_size()
    }
}

/// Runs `f` with a pooled connection on actix's blocking thread pool.
pub async fn run<T, E, F>(db: &Db, f: F) -> Result<T, E>
where
    F: FnOnce(&mut DbConnection) -> Result<T, E> + Send + 'static,
    T: Send + 'static,
    E: From<DbError> + From<actix_web::error::BlockingError> + Send + 'static,
{
    let db = db.clone();
    // What the closure logs belongs to the request that asked (its request id included).
    let span = tracing::Span::current();
    actix_web::web::block(move || {
        let _in_request = span.enter();
        let mut conn = db.get()?;
        f(&mut conn)
    })
    .await?
}

#[cfg(test)]
mod tests {
    use super::{Backend, Manager, Target};
    use diesel::Connection;
    use diesel::connection::SimpleConnection;
    use diesel::r2d2::ManageConnection;

    #[test]
    fn a_connection_left_inside_a_transaction_is_not_pooled_again() {
        let dir = tempfile::tempdir().expect("a temporary directory");
        let manager = Manager::new(Target::Sqlite(dir.path().join("pool.db")));
        let mut conn = manager.connect().expect("a connection");
        assert!(!manager.has_broken(&mut conn));
        conn.transaction(|conn| {
            assert!(manager.has_broken(conn), "inside a transaction");
            conn.batch_execute("SELECT 1")
        })
        .expect("the transaction commits");
        assert!(!manager.has_broken(&mut conn), "after it committed");
        crate::db::snapshot(&mut conn, |conn| {
            assert!(manager.has_broken(conn), "inside a snapshot");
            Err::<(), _>(diesel::result::Error::NotFound)
        })
        .expect_err("the snapshot's error comes back");
        assert!(!manager.has_broken(&mut conn), "after it rolled back");
    }

    #[test]
    fn postgres_pools_two_connections_per_core_and_sqlite_eight() {
        let cores = std::thread::available_parallelism().map_or(2, |n| n.get());
        let postgres = Backend::Postgres.default_pool_size();
        assert_eq!(postgres, (cores as u32 * 2 + 2).clamp(4, 64));
        assert!(postgres >= 4);
        assert_eq!(Backend::Sqlite.default_pool_size(), 8);
    }
}
