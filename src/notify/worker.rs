//! The outbox worker: every `worker.poll_interval_ms` it claims due email rows with a lease
//! (a short transaction), sends them outside any transaction, a few at a time, each attempt
//! bounded by [`SmtpSettings::attempt_timeout`](crate::config::SmtpSettings::attempt_timeout),
//! then records the outcome only if it still holds the lease: `sent` (for the whole batch in one
//! statement), or one more attempt with exponential backoff and jitter, or `dead` after a
//! permanent refusal or `worker.max_attempts`.
//!
//! A worker that dies leaves its lease to expire; any other worker then claims the rows. A
//! worker never starts a send its lease could expire during, so two workers never hold the same
//! row at once. Delivery is at least once: a crash between the relay's `250` and the update
//! sends that message again, with the same Message-ID, which lets receivers drop the copy.
//! Leases compare wall-clock times written by different workers, so hosts running workers need
//! synchronised clocks (NTP).
//!
//! Every database call runs on the blocking thread pool, never on the async runtime.

use std::sync::{Arc, RwLock};
use std::time::Duration;

use chrono::NaiveDateTime;
use futures_util::StreamExt;
use lettre::message::Mailbox;
use rand::Rng;
use tokio::sync::watch;
use tokio::time::Instant;

use super::mailer::{self, Mailer, MailerError, SendFailure};
use super::mask_address;
use super::outbox::{self, Claimed, Lease};
use crate::config::{Settings, WorkerSettings};
use crate::db::{self, Db, DbConnection, DbError};
use crate::metrics::Metrics;
use crate::state::AppState;

/// Label of the email series in the outbox metrics.
const KIND: &str = "email";

/// Shortest pause between polls, whatever the configuration says.
const MIN_POLL: Duration = Duration::from_millis(10);

/// Tries at recording an outcome before the row is left to its lease.
const RECORD_TRIES: u32 = 3;

/// What became of one claimed row.
enum Outcome {
    Sent,
    Failed {
        failure: SendFailure,
        next: Option<NaiveDateTime>,
    },
    /// Not attempted (lease running short, or shutting down): handed back untouched.
    Released,
}

/// What one batch did.
#[derive(Debug, Clone, Copy, Default)]
struct BatchReport {
    claimed: usize,
    sent: usize,
}

/// One outbox worker. Several may run against the same database, in one process or many.
pub struct Worker {
    id: String,
    db: Db,
    /// Replaced after an attempt is abandoned mid-session: see [`Worker::discard_transport`].
    mailer: RwLock<Arc<Mailer>>,
    from: Mailbox,
    settings: Arc<Settings>,
    metrics: Arc<Metrics>,
}

impl Worker {
    /// A worker with its own identity and its own mail transport (and so its own SMTP
    /// connections). Call it inside a Tokio runtime when the transport is SMTP.
    pub fn new(
        db: Db,
        settings: Arc<Settings>,
        metrics: Arc<Metrics>,
    ) -> Result<Worker, MailerError> {
        Ok(Worker {
            id: format!("{}-{}", std::process::id(), db::new_id()),
            db,
            mailer: RwLock::new(Arc::new(Mailer::from_settings(&settings)?)),
            from: mailer::sender(&settings)?,
            settings,
            metrics,
        })
    }

    /// A further worker sharing the application's database, settings and metrics.
    pub fn from_state(state: &AppState) -> Result<Worker, MailerError> {
        Worker::new(
            state.db.clone(),
            state.settings.clone(),
            state.metrics.clone(),
        )
    }

    /// The id this worker writes into `outbox.leased_by`.
    pub fn id(&self) -> &str {
        &self.id
    }

    /// The bound on one whole delivery attempt.
    fn attempt_timeout(&self) -> Duration {
        self.settings.mail.smtp.attempt_timeout()
    }

    /// How long [`Worker::run`] may take to return once told to stop: one attempt in flight.
    pub fn stop_grace(&self) -> Duration {
        self.attempt_timeout() + Duration::from_secs(1)
    }

    /// Claims one batch of due emails, sends them and records the outcomes; answers how many
    /// rows it claimed (0 when nothing was due or the database was unreachable).
    pub async fn run_once(&self) -> usize {
        self.batch(None).await.claimed
    }

    /// Polls until `shutdown` turns `true` (or its sender is dropped). Rows not yet started
    /// when the signal comes are released for other workers; sends in flight finish.
    pub async fn run(self, mut shutdown: watch::Receiver<bool>) {
        let poll = Duration::from_millis(self.settings.worker.poll_interval_ms).max(MIN_POLL);
        tracing::info!(worker = %self.id, transport = self.transport().kind(), "outbox worker started");
        while !*shutdown.borrow() {
            let report = self.batch(Some(&shutdown)).await;
            let more_due =
                report.claimed >= self.settings.worker.batch_size as usize && report.sent > 0;
            if more_due {
                continue;
            }
            tokio::select! {
                _ = tokio::time::sleep(poll) => {}
                changed = shutdown.changed() => {
                    if changed.is_err() {
                        break;
                    }
                }
            }
        }
        tracing::info!(worker = %self.id, "outbox worker stopped");
    }

    async fn batch(&self, shutdown: Option<&watch::Receiver<bool>>) -> BatchReport {
        // The local deadline is taken before the lease is written, so it never outlives it.
        let deadline = Instant::now() + Duration::from_secs(self.settings.worker.lease_secs);
        let now = db::now();
        let lease = Lease {
            worker: self.id.clone(),
            until: now + chrono::Duration::seconds(clamp_secs(self.settings.worker.lease_secs)),
        };
        let claim_lease = lease.clone();
        let limit = self.settings.worker.batch_size;
        let claimed = match self
            .blocking(move |conn| outbox::claim_due(conn, &claim_lease, now, limit))
            .await
        {
            Ok(rows) => rows,
            Err(e) => {
                tracing::warn!(worker = %self.id, error = %e, "could not claim outbox rows");
                return BatchReport::default();
            }
        };
        if claimed.is_empty() {
            return BatchReport::default();
        }
        tracing::debug!(worker = %self.id, count = claimed.len(), "claimed outbox rows");
        let claimed_count = claimed.len();
        // Deliveries are recorded together once the batch is through: one statement instead of
        // one per email. Every attempt ends before the lease does, so the lease still holds.
        let sent: Vec<String> = futures_util::stream::iter(claimed)
            .map(|row| self.deliver(row, &lease, deadline, shutdown))
            .buffer_unordered(mailer::SMTP_POOL_SIZE as usize)
            .filter_map(std::future::ready)
            .collect()
            .await;
        let sent_count = sent.len();
        if !sent.is_empty() {
            self.record(sent, &lease, Outcome::Sent).await;
        }
        BatchReport {
            claimed: claimed_count,
            sent: sent_count,
        }
    }

    /// Sends one claimed row and records a failure or a release; answers the row's id when it
    /// was sent, for the batch to record.
    async fn deliver(
        &self,
        row: Claimed,
        lease: &Lease,
        deadline: Instant,
        shutdown: Option<&watch::Receiver<bool>>,
    ) -> Option<String> {
        let stopping = shutdown.is_some_and(|s| *s.borrow());
        let outcome = if stopping || Instant::now() + self.attempt_timeout() >= deadline {
            Outcome::Released
        } else {
            match self.attempt(&row).await {
                Ok(()) => Outcome::Sent,
                Err(failure) => {
                    let attempts = row.attempts.saturating_add(1);
                    let next = (!failure.is_permanent()
                        && attempts
                            < i32::try_from(self.settings.worker.max_attempts).unwrap_or(i32::MAX))
                    .then(|| {
                        let delay = backoff(
                            &self.settings.worker,
                            row.attempts,
                            rand::rng().random_range(0.8..=1.2),
                        );
                        db::now() + chrono::Duration::milliseconds(clamp_millis(delay))
                    });
                    Outcome::Failed { failure, next }
                }
            }
        };
        let to = mask_address(&row.recipient);
        match &outcome {
            Outcome::Sent => {
                self.metrics.outbox_sent.with_label_values(&[KIND]).inc();
                tracing::info!(outbox_id = %row.id, event = %row.event, to = %to, attempt = row.attempts + 1, "email sent");
            }
            Outcome::Failed { failure, next } => {
                self.metrics.outbox_failed.with_label_values(&[KIND]).inc();
                match next {
                    Some(next) => tracing::warn!(
                        outbox_id = %row.id, event = %row.event, to = %to, attempt = row.attempts + 1,
                        error = failure.message(), next_attempt_at = %next, "email not sent; will retry"
                    ),
                    None => tracing::error!(
                        outbox_id = %row.id, event = %row.event, to = %to, attempt = row.attempts + 1,
                        error = failure.message(), permanent = failure.is_permanent(),
                        "email not sent; giving up (dead)"
                    ),
                }
            }
            Outcome::Released => {
                tracing::debug!(outbox_id = %row.id, "outbox row released unattempted");
            }
        }
        if matches!(outcome, Outcome::Sent) {
            return Some(row.id);
        }
        self.record(vec![row.id], lease, outcome).await;
        None
    }

    /// One attempt, bounded as a whole so a relay that never answers only delays this row
    /// (lettre bounds connecting, not the conversation).
    async fn attempt(&self, row: &Claimed) -> Result<(), SendFailure> {
        let message = mailer::build_message(&self.from, row)?;
        let transport = self.transport();
        match tokio::time::timeout(self.attempt_timeout(), transport.send(message)).await {
            Ok(result) => result,
            Err(_) => {
                self.discard_transport(&transport);
                Err(SendFailure::Transient(format!(
                    "the relay did not complete the delivery within {} s",
                    self.attempt_timeout().as_secs()
                )))
            }
        }
    }

    fn transport(&self) -> Arc<Mailer> {
        self.mailer
            .read()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
            .clone()
    }

    /// Swaps in a fresh SMTP transport after an abandoned attempt. The abandoned connection
    /// goes back to lettre's pool mid-conversation; reused, it would hang again, or read the
    /// late answer to the old message as the answer to a new command. Dropping the old pool
    /// closes it (and any idle sibling) instead.
    fn discard_transport(&self, stale: &Arc<Mailer>) {
        if !matches!(stale.as_ref(), Mailer::Smtp(_)) {
            return;
        }
        let fresh = match Mailer::from_settings(&self.settings) {
            Ok(fresh) => fresh,
            Err(e) => {
                tracing::warn!(error = %e, "could not renew the SMTP transport");
                return;
            }
        };
        let mut current = self
            .mailer
            .write()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        // Concurrent sends may all time out together: renew once.
        if Arc::ptr_eq(&current, stale) {
            *current = Arc::new(fresh);
            tracing::info!(worker = %self.id, "SMTP connections renewed after an abandoned attempt");
        }
    }

    /// Writes the outcome of `ids` (deliveries are recorded per batch, the rest row by row),
    /// retrying briefly if the database hiccups (a sent row left unmarked would be sent again
    /// once its lease expires).
    async fn record(&self, ids: Vec<String>, lease: &Lease, outcome: Outcome) {
        let outcome = Arc::new(outcome);
        let ids = Arc::new(ids);
        for attempt in 1..=RECORD_TRIES {
            let (ids_, lease_, outcome_) = (ids.clone(), lease.clone(), outcome.clone());
            let result = self
                .blocking(move |conn| {
                    let now = db::now();
                    match outcome_.as_ref() {
                        Outcome::Sent => outbox::mark_sent(conn, &ids_, &lease_, now),
                        Outcome::Failed { failure, next } => {
                            outbox::mark_failed(conn, &ids_, &lease_, now, failure.message(), *next)
                        }
                        Outcome::Released => outbox::release(conn, &ids_, &lease_, now),
                    }
                })
                .await;
            match result {
                Ok(held) if held == ids.len() => return,
                Ok(held) => {
                    tracing::warn!(outbox_ids = ?ids, held, worker = %self.id, "lease lost before the outcome was recorded; the newer holder's outcome stands");
                    return;
                }
                Err(e) if attempt < RECORD_TRIES => {
                    tracing::warn!(outbox_ids = ?ids, error = %e, "could not record the outcome; retrying");
                    tokio::time::sleep(Duration::from_millis(200)).await;
                }
                Err(e) => {
                    tracing::error!(outbox_ids = ?ids, error = %e, "could not record the outcome; the rows return when their lease expires");
                }
            }
        }
    }

    async fn blocking<T, F>(&self, f: F) -> Result<T, DbError>
    where
        F: FnOnce(&mut DbConnection) -> Result<T, diesel::result::Error> + Send + 'static,
        T: Send + 'static,
    {
        db::pool::run(&self.db, move |conn| f(conn).map_err(DbError::from)).await
    }
}

/// The pause before the next attempt after `failed_before` earlier failed attempts:
/// `backoff_base_secs * 2^failed_before`, capped at `backoff_max_secs`, times `jitter`
/// (0.8–1.2, so workers retrying together spread out), and never above the cap.
pub fn backoff(settings: &WorkerSettings, failed_before: i32, jitter: f64) -> Duration {
    let max = settings.backoff_max_secs as f64;
    let exponent = failed_before.clamp(0, 62);
    let raw = (settings.backoff_base_secs as f64 * 2f64.powi(exponent)).min(max);
    Duration::from_secs_f64((raw * jitter).clamp(0.0, max))
}

fn clamp_secs(secs: u64) -> i64 {
    i64::try_from(secs).unwrap_or(i64::MAX / 1_000_000)
}

fn clamp_millis(d: Duration) -> i64 {
    i64::try_from(d.as_millis()).unwrap_or(i64::MAX / 1_000)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn settings(base: u64, max: u64) -> WorkerSettings {
        WorkerSettings {
            poll_interval_ms: 1000,
            max_attempts: 12,
            lease_secs: 60,
            batch_size: 20,
            backoff_base_secs: base,
            backoff_max_secs: max,
            sweep_interval_secs: 60,
            fold_interval_secs: 5,
        }
    }

    #[test]
    fn backoff_doubles_up_to_the_cap() {
        let s = settings(30, 21_600);
        assert_eq!(backoff(&s, 0, 1.0), Duration::from_secs(30));
        assert_eq!(backoff(&s, 1, 1.0), Duration::from_secs(60));
        assert_eq!(backoff(&s, 5, 1.0), Duration::from_secs(960));
        assert_eq!(backoff(&s, 20, 1.0), Duration::from_secs(21_600));
        assert_eq!(backoff(&s, i32::MAX, 1.2), Duration::from_secs(21_600));
    }

    #[test]
    fn jitter_spreads_by_a_fifth_either_way() {
        let s = settings(100, 10_000);
        assert_eq!(backoff(&s, 0, 0.8), Duration::from_secs(80));
        assert_eq!(backoff(&s, 0, 1.2), Duration::from_secs(120));
    }

    #[test]
    fn a_zero_base_retries_at_once() {
        assert_eq!(backoff(&settings(0, 1), 7, 1.2), Duration::ZERO);
    }
}
