//! Configuration: `config/default.toml`, then `config/<environment>.toml`, then
//! `SOFTLANDING__<SECTION>__<KEY>` environment variables, each layer overriding the one before.
//!
//! Loading is pure (the environment is passed in), so tests can exercise the layering without
//! touching the process environment. Resolving the development JWT secret and refusing unsafe
//! production settings happen in [`Settings::finalize`], the only place that writes to disk.

use std::collections::HashMap;
use std::fmt;
use std::path::{Path, PathBuf};
use std::time::Duration;

use figment::Figment;
use figment::providers::{Format, Toml};
use figment::value::Value;
use secrecy::{ExposeSecret, SecretString};
use serde::Deserialize;

/// Prefix of every configuration environment variable.
pub const ENV_PREFIX: &str = "SOFTLANDING__";

/// File (inside `data_dir`) that keeps the generated development JWT secret.
pub const DEV_SECRET_FILE: &str = "jwt-secret.dev";

/// Minimum length of a production JWT secret.
pub const MIN_SECRET_LEN: usize = 32;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Environment {
    Development,
    Production,
}

impl Environment {
    pub fn as_str(self) -> &'static str {
        match self {
            Environment::Development => "development",
            Environment::Production => "production",
        }
    }
}

impl fmt::Display for Environment {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Settings {
    pub environment: Environment,
    /// Directory for the SQLite database, the development secret and `.eml` files.
    pub data_dir: PathBuf,
    pub server: ServerSettings,
    pub database: DatabaseSettings,
    pub auth: AuthSettings,
    pub mail: MailSettings,
    pub worker: WorkerSettings,
    pub notify: NotifySettings,
    pub webhooks: WebhookSettings,
    pub log: LogSettings,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ServerSettings {
    pub host: String,
    pub port: u16,
    pub public_url: String,
    /// Seconds in-flight requests get to finish after SIGTERM.
    pub shutdown_timeout_secs: u64,
    /// Seconds a request body may take to arrive whole; a slower one is 408.
    pub body_timeout_secs: u64,
    /// Proxies (addresses or CIDR blocks) whose `X-Forwarded-For` names the client that
    /// attempt limits count; empty, the TCP peer is the client.
    #[serde(default)]
    pub trusted_proxies: crate::auth::client_address::TrustedProxies,
}

#[derive(Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DatabaseSettings {
    /// `sqlite://<path>` or `postgres://...`; may hold a password, so it is never logged whole.
    pub url: SecretString,
    /// Pool size; when absent a default that suits the backend is used.
    pub pool_size: Option<u32>,
    /// Seconds a request waits for a pooled connection before answering 503.
    pub acquire_timeout_secs: u64,
}

impl fmt::Debug for DatabaseSettings {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("DatabaseSettings")
            .field("url", &"[redacted]")
            .field("pool_size", &self.pool_size)
            .finish()
    }
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AuthSettings {
    /// Signing secret for access tokens. Generated into `data_dir` in development when absent.
    pub jwt_secret: Option<SecretString>,
    /// Earlier secrets still accepted for verification while their tokens live out.
    #[serde(default)]
    pub previous_jwt_secrets: Vec<SecretString>,
    pub access_token_ttl_secs: u64,
    pub refresh_token_ttl_secs: u64,
    pub issuer: String,
    pub audience: String,
    /// Failed logins allowed within `login_window_secs` for one account from all addresses
    /// together (a high ceiling), and from one client address whatever the account.
    pub login_max_failures_per_account: u32,
    pub login_max_failures_per_address: u32,
    pub login_window_secs: u64,
    /// Seconds of clock skew tolerated on `exp` and `nbf`.
    pub leeway_secs: u64,
    /// Failed logins allowed within the window for one account from one client address.
    pub login_max_failures_per_account_address: u32,
    /// SME sign-ups allowed per client address within the window.
    pub sign_up_max_per_address: u32,
    /// Failed password-reset confirmations (unknown, used or expired tokens) allowed per
    /// client address within the window.
    pub reset_max_failures_per_address: u32,
    /// Password hashes and verifications run at once; one per core when absent.
    pub hash_concurrency: Option<usize>,
    /// Requests that may wait for a hash beyond those running; the rest are answered 503.
    pub hash_queue: usize,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum MailTransportKind {
    Smtp,
    File,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum SmtpTls {
    None,
    Starttls,
    Tls,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MailSettings {
    pub transport: MailTransportKind,
    pub from: String,
    pub smtp: SmtpSettings,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SmtpSettings {
    pub host: String,
    pub port: u16,
    pub tls: SmtpTls,
    pub username: Option<String>,
    pub password: Option<SecretString>,
    /// Seconds one SMTP exchange may take before it counts as a failed attempt.
    pub timeout_secs: u64,
}

/// Seconds a whole delivery attempt may take beyond the SMTP timeout (connecting, TLS, the
/// message itself) before the worker abandons it.
pub const SEND_MARGIN_SECS: u64 = 2;

impl SmtpSettings {
    /// The bound on one whole delivery attempt: the per-exchange timeout plus
    /// [`SEND_MARGIN_SECS`], so a relay that hangs or trickles only delays the worker.
    pub fn attempt_timeout(&self) -> Duration {
        Duration::from_secs(self.timeout_secs.saturating_add(SEND_MARGIN_SECS))
    }
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct WorkerSettings {
    pub poll_interval_ms: u64,
    pub max_attempts: u32,
    /// Seconds a claimed outbox row stays leased to one worker.
    pub lease_secs: u64,
    pub batch_size: u32,
    /// First retry delay; doubled on every further attempt, with jitter.
    pub backoff_base_secs: u64,
    pub backoff_max_secs: u64,
    /// How often the landing sweep (expiry, reminders) runs.
    pub sweep_interval_secs: u64,
    /// How often the reports' appended tally changes are folded into the tallies.
    pub fold_interval_secs: u64,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NotifySettings {
    pub reminder_days_before: u32,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct WebhookSettings {
    /// Whether endpoints may be on loopback, private and other non-public addresses. Defaults
    /// to `true` in development and `false` in production.
    pub allow_private_targets: Option<bool>,
    /// Key that seals signing secrets at rest (32+ characters). Unset, a key is derived from
    /// the JWT secret, so rotating that secret then makes every webhook secret unreadable.
    #[serde(default)]
    pub secret_key: Option<SecretString>,
    /// Seconds one delivery attempt may take, connecting and answering together.
    pub timeout_secs: u64,
    /// Pause before each attempt, in seconds: the first is the initial attempt's (0, at once),
    /// each later one follows a failure. After the last, the delivery is given up.
    pub retry_schedule_secs: Vec<u64>,
    /// An endpoint whose deliveries have failed for this long, without one success, is disabled.
    pub disable_after_secs: u64,
    /// Deliveries one worker has in flight at most, all endpoints together.
    pub concurrency: usize,
    /// Deliveries in flight to one endpoint at most: a slow endpoint holds only these.
    pub per_endpoint_concurrency: usize,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LogSettings {
    /// `tracing` filter directive used when `RUST_LOG` is not set.
    pub level: String,
    /// Force JSON (`true`) or human (`false`) logs; defaults to JSON in production only.
    pub json: Option<bool>,
}

/// Why the configuration could not be turned into settings the service may run with.
#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    #[error("invalid configuration: {0}")]
    Invalid(String),
    #[error("refusing to start in production: {0}")]
    ProductionRefused(String),
    #[error("cannot prepare the data directory {path}: {source}")]
    DataDir {
        path: PathBuf,
        source: std::io::Error,
    },
}

/// `config/default.toml` and the environment layers as they were when the binary was built.
const EMBEDDED_DEFAULT: &str = include_str!("../config/default.toml");
const EMBEDDED_DEVELOPMENT: &str = include_str!("../config/development.toml");
const EMBEDDED_PRODUCTION: &str = include_str!("../config/production.toml");

impl Settings {
    /// Loads from `config/` in the working directory (or `SOFTLANDING_CONFIG_DIR`) and the
    /// process environment.
    pub fn load() -> Result<Settings, ConfigError> {
        let dir = std::env::var_os("SOFTLANDING_CONFIG_DIR")
            .map(PathBuf::from)
            .unwrap_or_else(|| PathBuf::from("config"));
        Settings::load_from(&dir, std::env::vars())
    }

    /// Loads the layers from `config_dir` and the given environment variables.
    pub fn load_from(
        config_dir: &Path,
        env: impl IntoIterator<Item = (String, String)>,
    ) -> Result<Settings, ConfigError> {
        let overrides = env_overrides(env);
        let environment = overrides
            .get("environment")
            .map(|v| v.to_ascii_lowercase())
            .unwrap_or_else(|| "development".to_owned());
        if environment != "development" && environment != "production" {
            return Err(ConfigError::Invalid(format!(
                "SOFTLANDING__ENVIRONMENT must be `development` or `production`, not `{environment}`"
            )));
        }

        // The defaults are compiled in, so the binary runs on its own from any directory; the
        // files, where they exist, override them.
        let embedded = match environment.as_str() {
            "production" => EMBEDDED_PRODUCTION,
            _ => EMBEDDED_DEVELOPMENT,
        };
        let mut figment = Figment::new()
            .merge(Toml::string(EMBEDDED_DEFAULT))
            .merge(Toml::string(embedded))
            .merge(Toml::file(config_dir.join("default.toml")))
            .merge(Toml::file(config_dir.join(format!("{environment}.toml"))));
        for (key, value) in &overrides {
            let parsed: Value = value.parse().unwrap_or_else(|_| Value::from(value.clone()));
            figment = figment.merge((key.as_str(), parsed));
        }
        figment
            .extract::<Settings>()
            .map_err(|e| ConfigError::Invalid(describe_figment_error(e)))
    }

    /// Makes the settings runnable: generates (or reads back) the development JWT secret and
    /// refuses production settings that are unsafe.
    pub fn finalize(mut self) -> Result<Settings, ConfigError> {
        if self.environment == Environment::Production {
            match &self.auth.jwt_secret {
                None => {
                    return Err(ConfigError::ProductionRefused(
                        "SOFTLANDING__AUTH__JWT_SECRET is not set; a development secret is never used in production".into(),
                    ));
                }
                Some(secret) if secret.expose_secret().len() < MIN_SECRET_LEN => {
                    return Err(ConfigError::ProductionRefused(format!(
                        "SOFTLANDING__AUTH__JWT_SECRET is shorter than {MIN_SECRET_LEN} characters"
                    )));
                }
                Some(_) => {}
            }
            if self.mail.transport == MailTransportKind::File {
                return Err(ConfigError::ProductionRefused(
                    "SOFTLANDING__MAIL__TRANSPORT is `file`; production needs `smtp`".into(),
                ));
            }
        } else if self.auth.jwt_secret.is_none() {
            self.auth.jwt_secret = Some(self.development_secret()?);
        }
        if self.worker.max_attempts == 0 {
            return Err(ConfigError::Invalid(
                "SOFTLANDING__WORKER__MAX_ATTEMPTS must be at least 1".into(),
            ));
        }
        if self.mail.smtp.timeout_secs == 0 {
            return Err(ConfigError::Invalid(
                "SOFTLANDING__MAIL__SMTP__TIMEOUT_SECS must be at least 1".into(),
            ));
        }
        // A worker starts a send only while its lease outlives the attempt, so the lease must
        // be longer than one attempt or nothing would ever be sent.
        if self.worker.lease_secs <= self.mail.smtp.attempt_timeout().as_secs() {
            return Err(ConfigError::Invalid(format!(
                "SOFTLANDING__WORKER__LEASE_SECS must exceed SOFTLANDING__MAIL__SMTP__TIMEOUT_SECS + {SEND_MARGIN_SECS}"
            )));
        }
        self.check_webhooks()?;
        url::Url::parse(&self.server.public_url).map_err(|e| {
            ConfigError::Invalid(format!("SOFTLANDING__SERVER__PUBLIC_URL is not a URL: {e}"))
        })?;
        Ok(self)
    }

    fn check_webhooks(&self) -> Result<(), ConfigError> {
        let w = &self.webhooks;
        let invalid = |what: &str| {
            Err(ConfigError::Invalid(format!(
                "SOFTLANDING__WEBHOOKS__{what}"
            )))
        };
        if w.timeout_secs == 0 {
            return invalid("TIMEOUT_SECS must be at least 1");
        }
        if w.retry_schedule_secs.is_empty() {
            return invalid("RETRY_SCHEDULE_SECS must list at least the first attempt's delay");
        }
        if w.concurrency == 0 || w.per_endpoint_concurrency == 0 {
            return invalid("CONCURRENCY and PER_ENDPOINT_CONCURRENCY must be at least 1");
        }
        if w.secret_key
            .as_ref()
            .is_some_and(|k| k.expose_secret().len() < MIN_SECRET_LEN)
        {
            return invalid("SECRET_KEY must be at least 32 characters");
        }
        // A worker starts an attempt only while its lease outlives it.
        if self.worker.lease_secs <= w.timeout_secs + SEND_MARGIN_SECS {
            return Err(ConfigError::Invalid(format!(
                "SOFTLANDING__WORKER__LEASE_SECS must exceed SOFTLANDING__WEBHOOKS__TIMEOUT_SECS + {SEND_MARGIN_SECS}"
            )));
        }
        Ok(())
    }

    /// Whether webhooks may target loopback and private addresses.
    pub fn allow_private_webhook_targets(&self) -> bool {
        self.webhooks
            .allow_private_targets
            .unwrap_or(self.environment == Environment::Development)
    }

    /// Whether logs are JSON lines.
    pub fn json_logs(&self) -> bool {
        self.log
            .json
            .unwrap_or(self.environment == Environment::Production)
    }

    /// Where the file mail transport writes `.eml` files.
    pub fn mail_dir(&self) -> PathBuf {
        self.data_dir.join("mail")
    }

    /// The signing secret; present once [`Settings::finalize`] succeeded.
    pub fn jwt_secret(&self) -> &SecretString {
        self.auth
            .jwt_secret
            .as_ref()
            .expect("Settings::finalize sets the JWT secret")
    }

    fn development_secret(&self) -> Result<SecretString, ConfigError> {
        let data_dir_error = |source| ConfigError::DataDir {
            path: self.data_dir.clone(),
            source,
        };
        std::fs::create_dir_all(&self.data_dir).map_err(data_dir_error)?;
        let path = self.data_dir.join(DEV_SECRET_FILE);
        match std::fs::read_to_string(&path) {
            Ok(existing) if existing.trim().len() >= MIN_SECRET_LEN => {
                return Ok(SecretString::from(existing.trim().to_owned()));
            }
            Ok(_) => {}
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
            Err(e) => return Err(data_dir_error(e)),
        }
        let secret = crate::auth::crypto::random_token(48);
        write_private(&path, &secret).map_err(data_dir_error)?;
        Ok(SecretString::from(secret))
    }
}

/// Turns `SOFTLANDING__SERVER__PORT=9000` into `("server.port", "9000")`.
fn env_overrides(env: impl IntoIterator<Item = (String, String)>) -> HashMap<String, String> {
    env.into_iter()
        .filter_map(|(key, value)| {
            let rest = key.strip_prefix(ENV_PREFIX)?;
            if rest.is_empty() {
                return None;
            }
            let path = rest
                .split("__")
                .map(|part| part.to_ascii_lowercase())
                .collect::<Vec<_>>()
                .join(".");
            Some((path, value))
        })
        .collect()
}

/// Renders a figment error as one line that names the setting as an operator would set it.
fn describe_figment_error(error: figment::Error) -> String {
    error
        .into_iter()
        .map(|e| {
            let key = if e.path.is_empty() {
                String::new()
            } else {
                format!("{ENV_PREFIX}{}: ", e.path.join("__").to_ascii_uppercase())
            };
            format!("{key}{}", e.kind)
        })
        .collect::<Vec<_>>()
        .join("; ")
}

#[cfg(unix)]
fn write_private(path: &Path, contents: &str) -> std::io::Result<()> {
    use std::io::Write;
    use std::os::unix::fs::OpenOptionsExt;
    let mut file = std::fs::OpenOptions::new()
        .write(true)
        .create(true)
        .truncate(true)
        .mode(0o600)
        .open(path)?;
    file.write_all(contents.as_bytes())
}

#[cfg(not(unix))]
fn write_private(path: &Path, contents: &str) -> std::io::Result<()> {
    std::fs::write(path, contents)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn config_dir() -> PathBuf {
        PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("config")
    }

    fn vars(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
        pairs
            .iter()
            .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
            .collect()
    }

    #[test]
    fn env_keys_become_nested_paths() {
        let map = env_overrides(vars(&[
            ("SOFTLANDING__MAIL__SMTP__HOST", "relay"),
            ("SOFTLANDING__ENVIRONMENT", "production"),
            ("OTHER__THING", "x"),
        ]));
        assert_eq!(map.get("mail.smtp.host").map(String::as_str), Some("relay"));
        assert_eq!(
            map.get("environment").map(String::as_str),
            Some("production")
        );
        assert_eq!(map.len(), 2);
    }

    #[test]
    fn a_worker_lease_must_outlast_one_delivery_attempt() {
        let dir = tempfile::tempdir().unwrap();
        let data_dir = dir.path().display().to_string();
        let load = |lease: &str| {
            Settings::load_from(
                &config_dir(),
                vars(&[
                    ("SOFTLANDING__DATA_DIR", data_dir.as_str()),
                    ("SOFTLANDING__MAIL__SMTP__TIMEOUT_SECS", "15"),
                    ("SOFTLANDING__WORKER__LEASE_SECS", lease),
                ]),
            )
            .and_then(Settings::finalize)
        };
        let err = load("17").unwrap_err();
        assert!(err.to_string().contains("LEASE_SECS"), "{err}");
        assert!(load("18").is_ok());
    }

    #[test]
    fn unknown_environment_is_rejected() {
        let err = Settings::load_from(
            &config_dir(),
            vars(&[("SOFTLANDING__ENVIRONMENT", "staging")]),
        )
        .unwrap_err();
        assert!(err.to_string().contains("staging"), "{err}");
    }
}
