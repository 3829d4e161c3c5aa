//! What every handler, use case and background task shares: settings, the database pool,
//! metrics, signing keys, the login limits, the hashing gate and the token subjects. Built once
//! at start-up by [`crate::startup`].

use std::sync::Arc;

use crate::auth::hashing::{self, HashGate};
use crate::auth::jwt::JwtKeys;
use crate::auth::limiter::{AddressLimiter, LoginLimiter, LoginLimits};
use crate::clock::Clock;
use crate::config::Settings;
use crate::db::{self, Db};
use crate::metrics::Metrics;
use crate::notify::outbox;

/// What every handler shares.
pub struct AppState {
    pub settings: Arc<Settings>,
    pub db: Db,
    pub metrics: Arc<Metrics>,
    pub keys: JwtKeys,
    pub limiter: LoginLimiter,
    /// Whether token subjects still stand, kept briefly; revocations clear it.
    pub subjects: crate::auth::subjects::Subjects,
    /// The one gate password hashes and verifications of requests go through.
    pub hashing: HashGate,
    /// SME sign-ups per client address.
    pub sign_ups: AddressLimiter,
    /// Failed password-reset confirmations per client address.
    pub reset_failures: AddressLimiter,
    /// What day it is, in any host's time zone.
    pub clock: Arc<Clock>,
}

impl AppState {
    /// The state of a service with these settings over `db`; fails only when the hashing
    /// threads cannot start.
    pub fn new(settings: Settings, db: Db) -> std::io::Result<AppState> {
        Ok(AppState {
            keys: JwtKeys::from_settings(&settings),
            limiter: LoginLimiter::new(
                settings.auth.login_window_secs,
                LoginLimits {
                    per_account_address: settings.auth.login_max_failures_per_account_address,
                    per_address: settings.auth.login_max_failures_per_address,
                    per_account: settings.auth.login_max_failures_per_account,
                },
            ),
            hashing: HashGate::new(
                settings
                    .auth
                    .hash_concurrency
                    .unwrap_or_else(hashing::default_concurrency),
                settings.auth.hash_queue,
            )?,
            sign_ups: AddressLimiter::new(
                settings.auth.login_window_secs,
                settings.auth.sign_up_max_per_address,
            ),
            reset_failures: AddressLimiter::new(
                settings.auth.login_window_secs,
                settings.auth.reset_max_failures_per_address,
            ),
            settings: Arc::new(settings),
            db,
            metrics: Arc::new(Metrics::new()),
            subjects: crate::auth::subjects::Subjects::new(),
            clock: Arc::new(Clock::system()),
        })
    }

    /// Updates the gauges that are read rather than counted: the pool, and the outbox by
    /// status (one `GROUP BY` on the blocking pool; left as they were if the database is away).
    pub async fn refresh_gauges(&self) {
        let counts = db::pool::run(&self.db, |conn| {
            outbox::count_by_status(conn).map_err(db::DbError::from)
        })
        .await;
        match counts {
            Ok(counts) => {
                for (status, count) in counts {
                    self.metrics
                        .outbox_messages
                        .with_label_values(&[status.as_str()])
                        .set(count);
                }
            }
            Err(e) => tracing::warn!(error = %e, "could not count outbox messages"),
        }
        let (in_use, idle) = self.db.state();
        self.metrics
            .pool_connections
            .with_label_values(&["in_use"])
            .set(i64::from(in_use));
        self.metrics
            .pool_connections
            .with_label_values(&["idle"])
            .set(i64::from(idle));
        self.metrics.pool_max.set(i64::from(self.db.max_size()));
    }
}
