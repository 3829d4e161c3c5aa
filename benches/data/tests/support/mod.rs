//! A fresh database per test (a SQLite file in a temporary directory, or a new PostgreSQL
//! database when `TEST_DATABASE_URL` is set, dropped afterwards), and the service running on it
//! on a free loopback port.

#![allow(dead_code)] // a toolkit: not every test uses every helper

use std::path::PathBuf;
use std::time::Duration;

use diesel::{Connection, PgConnection, RunQueryDsl};
use serde_json::Value;
use softlanding::config::Settings;
use softlanding::db::{Db, DbConnection};
use softlanding::startup::{Application, StopHandle};

/// A database that exists for one test only.
pub enum FreshDatabase {
    Sqlite {
        dir: tempfile::TempDir,
    },
    Postgres {
        admin_url: String,
        name: String,
        url: String,
        dir: tempfile::TempDir,
    },
}

impl FreshDatabase {
    /// An empty database; on PostgreSQL one of its own, named uniquely, so tests run in parallel.
    pub fn create() -> FreshDatabase {
        match std::env::var("TEST_DATABASE_URL") {
            Ok(admin_url) if !admin_url.is_empty() => {
                let name = format!("softlanding_bench_test_{}", uuid::Uuid::now_v7().simple());
                let mut admin = PgConnection::establish(&admin_url)
                    .expect("TEST_DATABASE_URL must reach a PostgreSQL server");
                diesel::sql_query(format!("CREATE DATABASE \"{name}\""))
                    .execute(&mut admin)
                    .expect("create the test database");
                let mut url = url::Url::parse(&admin_url).expect("TEST_DATABASE_URL is a URL");
                url.set_path(&format!("/{name}"));
                // Loopback needs no TLS.
                if !url.query_pairs().any(|(k, _)| k == "sslmode") {
                    url.query_pairs_mut().append_pair("sslmode", "disable");
                }
                FreshDatabase::Postgres {
                    admin_url,
                    name,
                    url: url.to_string(),
                    dir: tempfile::tempdir().expect("temporary directory"),
                }
            }
            _ => FreshDatabase::Sqlite {
                dir: tempfile::tempdir().expect("temporary directory"),
            },
        }
    }

    pub fn url(&self) -> String {
        match self {
            FreshDatabase::Sqlite { dir } => {
                format!("sqlite://{}", dir.path().join("softlanding.db").display())
            }
            FreshDatabase::Postgres { url, .. } => url.clone(),
        }
    }

    /// The service's data directory (development JWT secret, mail files), beside the database.
    pub fn data_dir(&self) -> PathBuf {
        match self {
            FreshDatabase::Sqlite { dir } | FreshDatabase::Postgres { dir, .. } => {
                dir.path().join("data")
            }
        }
    }
}

impl Drop for FreshDatabase {
    fn drop(&mut self) {
        if let FreshDatabase::Postgres {
            admin_url, name, ..
        } = self
            && let Ok(mut admin) = PgConnection::establish(admin_url)
        {
            let _ = diesel::sql_query(format!("DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)"))
                .execute(&mut admin);
        }
    }
}

/// The service's `config/` directory.
pub fn config_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../config")
}

/// The variables that point the service (or `gen-data`) at `database`, in development.
pub fn settings_env(database: &FreshDatabase) -> Vec<(String, String)> {
    [
        ("SOFTLANDING__ENVIRONMENT", "development".to_owned()),
        ("SOFTLANDING__DATABASE__URL", database.url()),
        ("SOFTLANDING__DATABASE__POOL_SIZE", "4".to_owned()),
        (
            "SOFTLANDING__DATA_DIR",
            database.data_dir().display().to_string(),
        ),
        ("SOFTLANDING__MAIL__TRANSPORT", "file".to_owned()),
        ("SOFTLANDING__LOG__LEVEL", "warn".to_owned()),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_owned(), v))
    .collect()
}

/// The service on a fresh database, listening on a free loopback port.
pub struct Service {
    pub address: String,
    pub client: reqwest::Client,
    db: Db,
    stop: StopHandle,
    // Dropped last: the database outlives the server that uses it.
    pub database: FreshDatabase,
}

impl Drop for Service {
    fn drop(&mut self) {
        self.stop.stop(false);
    }
}

impl Service {
    /// Migrates a fresh database and starts the service on it; must run inside a Tokio runtime.
    pub fn start() -> Service {
        let database = FreshDatabase::create();
        let mut env = settings_env(&database);
        env.extend(
            [
                ("SOFTLANDING__SERVER__HOST", "127.0.0.1"),
                ("SOFTLANDING__SERVER__PORT", "0"),
                ("SOFTLANDING__SERVER__SHUTDOWN_TIMEOUT_SECS", "1"),
            ]
            .map(|(k, v)| (k.to_owned(), v.to_owned())),
        );
        let settings = Settings::load_from(&config_dir(), env)
            .and_then(Settings::finalize)
            .expect("test settings are valid");
        let app = Application::build(settings).expect("the service starts");
        let address = format!("http://127.0.0.1:{}", app.port());
        let db = app.state().db.clone();
        let stop = app.stop_handle();
        tokio::spawn(app.run_until_stopped());
        Service {
            address,
            client: reqwest::Client::builder()
                .timeout(Duration::from_secs(30))
                .build()
                .expect("HTTP client"),
            db,
            stop,
            database,
        }
    }

    /// Runs `f` with a pooled connection on a blocking thread.
    pub async fn with_conn<T: Send + 'static>(
        &self,
        f: impl FnOnce(&mut DbConnection) -> T + Send + 'static,
    ) -> T {
        let db = self.db.clone();
        tokio::task::spawn_blocking(move || {
            let mut conn = db.get().expect("a pooled connection");
            f(&mut conn)
        })
        .await
        .expect("the blocking task finishes")
    }

    /// `GET path`, answered 200 with a JSON body.
    pub async fn get_ok(&self, path: &str) -> Value {
        let response = self
            .client
            .get(format!("{}{path}", self.address))
            .send()
            .await
            .expect("the service answers");
        let status = response.status();
        let text = response.text().await.expect("a body");
        assert_eq!(status.as_u16(), 200, "GET {path}: {text}");
        serde_json::from_str(&text).expect("a JSON body")
    }
}
