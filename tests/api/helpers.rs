//! `spawn_app()`: the real application on port 0 with a fresh database (SQLite in a temporary
//! directory, or a new PostgreSQL database when `TEST_DATABASE_URL` is set, dropped afterwards)
//! and a real SMTP server on loopback. Typed request helpers live on [`TestApp`], among them
//! [`TestApp::drain_outbox`], which sends what the outbox holds when a test says so instead of
//! leaving the test to wait and guess.

#![allow(dead_code)] // a toolkit: not every test uses every helper

use std::path::PathBuf;
use std::time::Duration;

use diesel::{Connection, PgConnection, RunQueryDsl};
use reqwest::{Method, StatusCode};
use serde_json::Value;
use softlanding::config::Settings;
use softlanding::db::{Backend, Db, DbConnection};
use softlanding::notify::outbox::{self, OutboxStatus};
use softlanding::notify::worker::Worker;
use softlanding::startup::Application;
use softlanding::state::AppState;

use crate::smtp::{ReceivedMail, SmtpServer};

pub const TEST_JWT_SECRET: &str = "test-secret-test-secret-test-secret-0123456789";

/// A database that exists for one test only.
pub enum TestDatabase {
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

impl TestDatabase {
    pub fn create() -> TestDatabase {
        match std::env::var("TEST_DATABASE_URL") {
            Ok(admin_url) if !admin_url.is_empty() => {
                let name = format!("softlanding_test_{}", uuid::Uuid::now_v7().simple());
                let mut admin = PgConnection::establish(&admin_url)
                    .expect("TEST_DATABASE_URL must reach a PostgreSQL server");
                diesel::sql_query(format!("CREATE DATABASE \"{name}\""))
                    .execute(&mut admin)
                    .expect("create the test database");
                let mut url = url::Url::parse(&admin_url).expect("TEST_DATABASE_URL is a URL");
                url.set_path(&format!("/{name}"));
                // Loopback needs no TLS, and libpq without it keeps OpenSSL out of the
                // connections that background threads may still be opening at exit.
                if !url.query_pairs().any(|(k, _)| k == "sslmode") {
                    url.query_pairs_mut().append_pair("sslmode", "disable");
                }
                TestDatabase::Postgres {
                    admin_url,
                    name,
                    url: url.to_string(),
                    dir: tempfile::tempdir().expect("temporary directory"),
                }
            }
            _ => TestDatabase::Sqlite {
                dir: tempfile::tempdir().expect("temporary directory"),
            },
        }
    }

    pub fn url(&self) -> String {
        match self {
            TestDatabase::Sqlite { dir } => {
                format!("sqlite://{}", dir.path().join("softlanding.db").display())
            }
            TestDatabase::Postgres { url, .. } => url.clone(),
        }
    }

    pub fn data_dir(&self) -> PathBuf {
        match self {
            TestDatabase::Sqlite { dir } | TestDatabase::Postgres { dir, .. } => {
                dir.path().to_path_buf()
            }
        }
    }

    pub fn backend(&self) -> Backend {
        match self {
            TestDatabase::Sqlite { .. } => Backend::Sqlite,
            TestDatabase::Postgres { .. } => Backend::Postgres,
        }
    }
}

impl Drop for TestDatabase {
    fn drop(&mut self) {
        if let TestDatabase::Postgres {
            admin_url, name, ..
        } = self
            && let Ok(mut admin) = PgConnection::establish(admin_url)
        {
            let _ = diesel::sql_query(format!("DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)"))
                .execute(&mut admin);
        }
    }
}

/// The configuration a test application runs with; `extra` overrides or adds variables.
pub fn test_settings(db: &TestDatabase, smtp_port: u16, extra: &[(&str, &str)]) -> Settings {
    let mut vars: Vec<(String, String)> = vec![
        ("SOFTLANDING__SERVER__PORT".into(), "0".into()),
        ("SOFTLANDING__DATABASE__URL".into(), db.url()),
        ("SOFTLANDING__DATABASE__POOL_SIZE".into(), "6".into()),
        (
            "SOFTLANDING__DATA_DIR".into(),
            db.data_dir().display().to_string(),
        ),
        (
            "SOFTLANDING__AUTH__JWT_SECRET".into(),
            TEST_JWT_SECRET.into(),
        ),
        ("SOFTLANDING__MAIL__TRANSPORT".into(), "smtp".into()),
        (
            "SOFTLANDING__MAIL__FROM".into(),
            "softlanding@test.invalid".into(),
        ),
        ("SOFTLANDING__MAIL__SMTP__HOST".into(), "127.0.0.1".into()),
        (
            "SOFTLANDING__MAIL__SMTP__PORT".into(),
            smtp_port.to_string(),
        ),
        ("SOFTLANDING__MAIL__SMTP__TLS".into(), "none".into()),
        ("SOFTLANDING__MAIL__SMTP__TIMEOUT_SECS".into(), "2".into()),
        ("SOFTLANDING__WORKER__POLL_INTERVAL_MS".into(), "50".into()),
        ("SOFTLANDING__WORKER__BACKOFF_BASE_SECS".into(), "0".into()),
        ("SOFTLANDING__WORKER__BACKOFF_MAX_SECS".into(), "1".into()),
        // A test folds the reports' tallies itself when it means to
        // (`reports::the_fold_runs_on_its_own_period` lets the service's fold run).
        (
            "SOFTLANDING__WORKER__FOLD_INTERVAL_SECS".into(),
            "3600".into(),
        ),
        (
            "SOFTLANDING__SERVER__SHUTDOWN_TIMEOUT_SECS".into(),
            "1".into(),
        ),
    ];
    for (k, v) in extra {
        vars.retain(|(existing, _)| existing != k);
        vars.push(((*k).to_owned(), (*v).to_owned()));
    }
    Settings::load_from(&config_dir(), vars)
        .and_then(Settings::finalize)
        .expect("test settings are valid")
}

pub fn config_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("config")
}

pub struct TestApp {
    pub address: String,
    pub client: reqwest::Client,
    pub smtp: SmtpServer,
    pub state: actix_web::web::Data<AppState>,
    stop: softlanding::startup::StopHandle,
    /// A worker of the test's own beside the application's: [`TestApp::drain_outbox`] sends
    /// with it.
    worker: Worker,
    /// The newest outbox message of the arrangement ([`TestApp::settle`]): what came after it
    /// is the test's own doing.
    arranged: std::sync::Mutex<Option<String>>,
    // Dropped last: the database outlives the server that uses it.
    pub database: TestDatabase,
}

impl Drop for TestApp {
    fn drop(&mut self) {
        // Stop the server and the outbox worker before the database goes, so no thread of this
        // app is still connecting to it when the process exits.
        self.stop.stop(false);
    }
}

pub async fn spawn_app() -> TestApp {
    spawn_app_with(&[]).await
}

pub async fn spawn_app_with(extra: &[(&str, &str)]) -> TestApp {
    let smtp = SmtpServer::start().await;
    let database = TestDatabase::create();
    let settings = test_settings(&database, smtp.port, extra);
    let app = Application::build(settings).expect("the application builds");
    let address = format!("http://127.0.0.1:{}", app.port());
    let state = app.state();
    let stop = app.stop_handle();
    let worker = Worker::from_state(&state).expect("the test's own outbox worker");
    tokio::spawn(app.run_until_stopped());
    TestApp {
        address,
        client: reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .timeout(Duration::from_secs(30))
            .build()
            .expect("HTTP client"),
        smtp,
        state,
        stop,
        worker,
        arranged: std::sync::Mutex::new(None),
        database,
    }
}

/// A response, read whole.
#[derive(Debug)]
pub struct Reply {
    pub status: StatusCode,
    pub headers: reqwest::header::HeaderMap,
    pub text: String,
}

impl Reply {
    pub fn json(&self) -> Value {
        serde_json::from_str(&self.text).unwrap_or_else(|e| panic!("not JSON ({e}): {}", self.text))
    }

    pub fn header(&self, name: &str) -> Option<String> {
        self.headers
            .get(name)
            .and_then(|v| v.to_str().ok())
            .map(str::to_owned)
    }

    /// Asserts the status and answers the body as JSON.
    #[track_caller]
    pub fn expect(&self, status: u16) -> Value {
        assert_eq!(
            self.status.as_u16(),
            status,
            "unexpected status; body: {}",
            self.text
        );
        if self.text.is_empty() {
            Value::Null
        } else {
            self.json()
        }
    }

    /// Asserts a problem+json answer with this status and code, and answers it.
    #[track_caller]
    pub fn expect_problem(&self, status: u16, code: &str) -> Value {
        let body = self.expect(status);
        assert_eq!(
            self.header("content-type").as_deref(),
            Some("application/problem+json"),
            "problems are problem+json"
        );
        assert_eq!(body["code"], code, "problem body: {body}");
        assert_eq!(body["status"], status);
        assert_eq!(
            body["type"],
            format!("https://softlanding.dev/problems/{code}")
        );
        assert!(body["title"].is_string() && body["detail"].is_string());
        body
    }

    /// The fields a 422 names.
    #[track_caller]
    pub fn invalid_fields(&self) -> Vec<String> {
        let body = self.expect_problem(422, "validation_failed");
        body["errors"]
            .as_array()
            .expect("a 422 lists its errors")
            .iter()
            .map(|e| e["field"].as_str().unwrap_or_default().to_owned())
            .collect()
    }
}

impl TestApp {
    pub fn url(&self, path: &str) -> String {
        format!("{}{}", self.address, path)
    }

    pub fn backend(&self) -> Backend {
        self.database.backend()
    }

    pub fn db(&self) -> Db {
        self.state.db.clone()
    }

    /// Runs `f` with a pooled connection on a blocking thread: for tests about what is stored,
    /// never to arrange what the API can.
    pub async fn with_conn<T: Send + 'static>(
        &self,
        f: impl FnOnce(&mut DbConnection) -> T + Send + 'static,
    ) -> T {
        let db = self.db();
        tokio::task::spawn_blocking(move || {
            let mut conn = db.get().expect("a pooled connection");
            f(&mut conn)
        })
        .await
        .expect("the blocking task finishes")
    }

    /// Outbox messages still to be sent (those a worker holds included).
    pub async fn pending_outbox(&self) -> i64 {
        self.with_conn(|conn| outbox::count_by_status(conn).expect("count the outbox"))
            .await
            .into_iter()
            .find(|(status, _)| *status == OutboxStatus::Pending)
            .map_or(0, |(_, n)| n)
    }

    /// Sends everything the outbox holds, deterministically: the test's own worker claims and
    /// sends batch after batch until no message is pending; messages the application's worker
    /// holds at that moment are waited for (their attempts are bounded), never guessed at.
    /// Afterwards every message written so far has reached the SMTP server or is dead. Only
    /// for a relay that answers: one that is down keeps messages pending until they die.
    pub async fn drain_outbox(&self) {
        let deadline = tokio::time::Instant::now() + Duration::from_secs(30);
        loop {
            if self.worker.run_once().await > 0 {
                continue;
            }
            let pending = self.pending_outbox().await;
            if pending == 0 {
                return;
            }
            assert!(
                tokio::time::Instant::now() < deadline,
                "the outbox never drained: {pending} messages still pending"
            );
            // The application's worker holds them: its attempt ends within its timeout.
            tokio::time::sleep(Duration::from_millis(10)).await;
        }
    }

    /// Every message the SMTP server received once the outbox is drained.
    pub async fn delivered(&self) -> Vec<ReceivedMail> {
        self.drain_outbox().await;
        self.smtp.messages()
    }

    /// The first message to `recipient` whose subject holds `subject_part`, once the outbox is
    /// drained; panics, naming what did arrive, when there is none.
    pub async fn mail_to(&self, recipient: &str, subject_part: &str) -> ReceivedMail {
        let delivered = self.delivered().await;
        delivered
            .iter()
            .find(|m| {
                m.to.iter().any(|t| t.eq_ignore_ascii_case(recipient))
                    && m.subject().contains(subject_part)
            })
            .cloned()
            .unwrap_or_else(|| {
                let seen: Vec<_> = delivered
                    .iter()
                    .map(|m| format!("{:?} {}", m.to, m.subject()))
                    .collect();
                panic!("no mail to {recipient} with `{subject_part}` was sent; got {seen:?}")
            })
    }

    /// Ends an arrangement: its mail is delivered and forgotten by the SMTP server, and the
    /// outbox's newest message marks where the test's own messages begin.
    pub async fn settle(&self) {
        self.drain_outbox().await;
        self.smtp.clear();
        let newest = self
            .with_conn(|conn| {
                outbox::list(conn, None, 1, None)
                    .expect("list the outbox")
                    .items
                    .first()
                    .map(|m| m.id.clone())
            })
            .await;
        *self.arranged.lock().unwrap() = newest;
    }

    /// Whether the outbox message `id` was written after the arrangement ([`TestApp::settle`]).
    pub fn after_arrangement(&self, id: &str) -> bool {
        match self.arranged.lock().unwrap().as_deref() {
            Some(mark) => id > mark,
            None => true,
        }
    }

    /// Sends a request with an optional bearer token and JSON body.
    pub async fn send(
        &self,
        method: Method,
        path: &str,
        token: Option<&str>,
        body: Option<&Value>,
    ) -> Reply {
        let mut request = self.client.request(method, self.url(path));
        if let Some(token) = token {
            request = request.bearer_auth(token);
        }
        if let Some(body) = body {
            request = request.json(body);
        }
        reply(request).await
    }

    pub async fn get(&self, path: &str, token: Option<&str>) -> Reply {
        self.send(Method::GET, path, token, None).await
    }

    pub async fn post(&self, path: &str, token: Option<&str>, body: &Value) -> Reply {
        self.send(Method::POST, path, token, Some(body)).await
    }

    pub async fn patch(&self, path: &str, token: Option<&str>, body: &Value) -> Reply {
        self.send(Method::PATCH, path, token, Some(body)).await
    }

    pub async fn delete(&self, path: &str, token: Option<&str>) -> Reply {
        self.send(Method::DELETE, path, token, None).await
    }

    /// Sends raw bytes with the given content type.
    pub async fn post_raw(&self, path: &str, content_type: Option<&str>, body: Vec<u8>) -> Reply {
        let mut request = self.client.post(self.url(path)).body(body);
        if let Some(ct) = content_type {
            request = request.header("content-type", ct);
        }
        reply(request).await
    }
}

pub async fn reply(request: reqwest::RequestBuilder) -> Reply {
    let response = request.send().await.expect("the request reaches the app");
    let status = response.status();
    let headers = response.headers().clone();
    let text = response.text().await.expect("a readable body");
    Reply {
        status,
        headers,
        text,
    }
}
