//! The webhook delivery worker. It keeps up to `webhooks.concurrency` deliveries in flight,
//! each its own task, and at most `webhooks.per_endpoint_concurrency` to one endpoint: the claim
//! leaves out endpoints that already have that many, so an endpoint that hangs holds a few
//! slots for `webhooks.timeout_secs` and delays nobody else. Outcomes are recorded in batches,
//! each only while the worker's lease on the row holds, so several workers (in one process or
//! many) never record over one another.
//!
//! One attempt: the endpoint's row is read afresh (a disabled or deleted endpoint's delivery is
//! dropped unattempted, a test event excepted), the URL is checked again, the body is signed
//! with every secret that signs now, and it is POSTed with the Standard Webhooks headers. The HTTP client follows no
//! redirect and uses no proxy; its resolver hands it only permitted addresses
//! ([`GuardedResolver`]). A 2xx answer delivers; 410 gives up and disables the endpoint;
//! anything else (a redirect included) is retried on the schedule, or after `Retry-After` on
//! 429 and 503, and given up once the schedule is spent. An endpoint failing for
//! `disable_after_secs` without one success is disabled, and its cluster's managers mailed.

use std::collections::HashMap;
use std::sync::Arc;
use std::time::Duration;

use chrono::{NaiveDateTime, TimeDelta, Utc};
use rand::Rng;
use reqwest::StatusCode;
use reqwest::header::{CONTENT_TYPE, HeaderMap, RETRY_AFTER};
use secrecy::ExposeSecret;
use tokio::sync::watch;
use tokio::task::JoinSet;
use tokio::time::Instant;

use super::queue::{self, AttemptLog, Claimed, Next, Outcome};
use super::signing::{Sealer, signature_header};
use super::target::{GuardedResolver, TargetRules};
use crate::config::Settings;
use crate::db::webhooks::{self as endpoints, WebhookRow};
use crate::db::{self, Db, DbConnection, DbError};
use crate::metrics::Metrics;
use crate::notify::outbox::Lease;
use crate::state::AppState;

/// Outcomes recorded in one transaction at most.
const FLUSH_BATCH: usize = 128;

/// Longest an outcome waits to be recorded while others are still in flight.
const FLUSH_EVERY: Duration = Duration::from_millis(50);

/// Shortest pause between polls, whatever the configuration says.
const MIN_POLL: Duration = Duration::from_millis(10);

/// Tries at recording outcomes before they are left to their lease.
const RECORD_TRIES: u32 = 3;

/// The longest `Retry-After` honoured: a day.
const MAX_RETRY_AFTER: Duration = Duration::from_secs(86_400);

/// One webhook delivery worker.
pub struct Deliverer {
    id: String,
    db: Db,
    settings: Arc<Settings>,
    inner: Arc<Attempter>,
}

/// What one attempt needs, shared by the attempt tasks.
struct Attempter {
    client: reqwest::Client,
    sealer: Sealer,
    rules: TargetRules,
    timeout: Duration,
    schedule: Vec<u64>,
    metrics: Arc<Metrics>,
}

/// A claimed delivery with its endpoint (if it still exists) and the lease it is held under.
struct Job {
    row: Claimed,
    endpoint: Option<WebhookRow>,
    lease: Lease,
}

impl Deliverer {
    pub fn new(
        db: Db,
        settings: Arc<Settings>,
        metrics: Arc<Metrics>,
    ) -> Result<Deliverer, reqwest::Error> {
        let rules = TargetRules::of(&settings);
        let timeout = Duration::from_secs(settings.webhooks.timeout_secs);
        let client = reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .no_proxy()
            .timeout(timeout)
            .connect_timeout(timeout.min(Duration::from_secs(10)))
            .dns_resolver(GuardedResolver::new(rules))
            .user_agent(concat!("softlanding-webhooks/", env!("CARGO_PKG_VERSION")))
            .pool_max_idle_per_host(settings.webhooks.per_endpoint_concurrency)
            .build()?;
        Ok(Deliverer {
            id: format!("{}-webhooks-{}", std::process::id(), db::new_id()),
            inner: Arc::new(Attempter {
                client,
                sealer: Sealer::from_settings(&settings),
                rules,
                timeout,
                schedule: settings.webhooks.retry_schedule_secs.clone(),
                metrics,
            }),
            db,
            settings,
        })
    }

    pub fn from_state(state: &AppState) -> Result<Deliverer, reqwest::Error> {
        Deliverer::new(
            state.db.clone(),
            state.settings.clone(),
            state.metrics.clone(),
        )
    }

    /// How long [`Deliverer::run`] may take to return once told to stop: one attempt.
    pub fn stop_grace(&self) -> Duration {
        self.inner.timeout + Duration::from_secs(2)
    }

    /// Delivers until `shutdown` turns `true`; attempts in flight then finish and are recorded.
    pub async fn run(self, mut shutdown: watch::Receiver<bool>) {
        let poll = Duration::from_millis(self.settings.worker.poll_interval_ms).max(MIN_POLL);
        let concurrency = self.settings.webhooks.concurrency;
        let per_endpoint = self.settings.webhooks.per_endpoint_concurrency;
        let mut tasks: JoinSet<(String, (Lease, Outcome))> = JoinSet::new();
        let mut in_flight: HashMap<String, usize> = HashMap::new();
        let mut done: Vec<(Lease, Outcome)> = Vec::new();
        let mut last_flush = Instant::now();
        let mut stopping = false;
        tracing::info!(worker = %self.id, "webhook worker started");
        loop {
            stopping = stopping || *shutdown.borrow();
            // Gather what finished meanwhile, without waiting: it frees room to claim into.
            let mut freed = 0;
            while let Some(result) = tasks.try_join_next() {
                collect(result, &mut in_flight, &mut done);
                freed += 1;
            }
            let mut started = 0;
            if !stopping && tasks.len() < concurrency {
                // What each endpoint with attempts in flight has room for.
                let rooms: Vec<(String, usize)> = in_flight
                    .iter()
                    .map(|(id, n)| (id.clone(), per_endpoint.saturating_sub(*n)))
                    .collect();
                let jobs = self.claim(concurrency - tasks.len(), &rooms).await;
                let mut excess = Vec::new();
                for job in jobs {
                    let count = in_flight.entry(job.row.recipient.clone()).or_default();
                    // Another worker's claim may not know this one's attempts: hand it back.
                    if *count >= per_endpoint {
                        excess.push((job.lease.clone(), release(&job.row)));
                        continue;
                    }
                    *count += 1;
                    started += 1;
                    let inner = self.inner.clone();
                    let endpoint = job.row.recipient.clone();
                    tasks.spawn(async move {
                        let lease = job.lease.clone();
                        (endpoint, (lease, inner.run(job).await))
                    });
                }
                if !excess.is_empty() {
                    self.flush_leased(&mut excess).await;
                }
            }
            if done.len() >= FLUSH_BATCH
                || (!done.is_empty() && (started == 0 || last_flush.elapsed() >= FLUSH_EVERY))
            {
                self.flush_leased(&mut done).await;
                last_flush = Instant::now();
            }
            if stopping && tasks.is_empty() {
                break;
            }
            // Claimed something, or room came free since the claim: there may be more due now
            // (an endpoint's deliveries wait for its room, not for the next poll).
            if (started > 0 || freed > 0) && tasks.len() < concurrency {
                continue;
            }
            tokio::select! {
                Some(result) = tasks.join_next(), if !tasks.is_empty() => {
                    collect(result, &mut in_flight, &mut done);
                }
                _ = tokio::time::sleep(poll), if !stopping => {}
                changed = shutdown.changed(), if !stopping => {
                    if changed.is_err() {
                        stopping = true;
                    }
                }
            }
        }
        self.flush_leased(&mut done).await;
        tracing::info!(worker = %self.id, "webhook worker stopped");
    }

    /// Leases up to `limit` due deliveries (to each endpoint of `rooms` no more than its room)
    /// and reads their endpoints.
    async fn claim(&self, limit: usize, rooms: &[(String, usize)]) -> Vec<Job> {
        let now = db::now();
        let lease = Lease {
            worker: self.id.clone(),
            until: now + TimeDelta::seconds(self.settings.worker.lease_secs as i64),
        };
        let (claim_lease, rooms) = (lease.clone(), rooms.to_vec());
        let per_endpoint = self.settings.webhooks.per_endpoint_concurrency;
        let claimed = self
            .blocking(move |conn| {
                let rows = queue::claim(conn, &claim_lease, now, limit, &rooms, per_endpoint)?;
                let mut ids: Vec<String> = rows.iter().map(|r| r.recipient.clone()).collect();
                ids.sort_unstable();
                ids.dedup();
                let found = if ids.is_empty() {
                    Vec::new()
                } else {
                    endpoints::find_many(conn, &ids)?
                };
                Ok((rows, found))
            })
            .await;
        match claimed {
            Ok((rows, found)) => {
                let found: HashMap<String, WebhookRow> =
                    found.into_iter().map(|w| (w.id.clone(), w)).collect();
                rows.into_iter()
                    .map(|row| Job {
                        endpoint: found.get(&row.recipient).cloned(),
                        row,
                        lease: lease.clone(),
                    })
                    .collect()
            }
            Err(e) => {
                tracing::warn!(worker = %self.id, error = %e, "could not claim webhook deliveries");
                Vec::new()
            }
        }
    }

    /// Records the outcomes gathered so far, one transaction per lease.
    async fn flush_leased(&self, done: &mut Vec<(Lease, Outcome)>) {
        if done.is_empty() {
            return;
        }
        let mut by_lease: HashMap<NaiveDateTime, (Lease, Vec<Outcome>)> = HashMap::new();
        for (lease, outcome) in done.drain(..) {
            by_lease
                .entry(lease.until)
                .or_insert_with(|| (lease, Vec::new()))
                .1
                .push(outcome);
        }
        for (_, (lease, outcomes)) in by_lease {
            self.record(lease, outcomes).await;
        }
    }

    async fn record(&self, lease: Lease, outcomes: Vec<Outcome>) {
        let outcomes = Arc::new(outcomes);
        let disable_after = self.settings.webhooks.disable_after_secs as i64;
        for attempt in 1..=RECORD_TRIES {
            let (lease, batch, settings) = (lease.clone(), outcomes.clone(), self.settings.clone());
            let result = self
                .blocking(move |conn| {
                    let now = db::now();
                    let before = now - TimeDelta::seconds(disable_after);
                    queue::record(conn, &lease, &batch, before, now, |conn, webhook| {
                        crate::notify::webhooks::disabled(conn, &settings, webhook)
                    })
                })
                .await;
            match result {
                Ok(disabled) => {
                    for w in disabled {
                        tracing::warn!(webhook_id = %w.id, cluster_id = %w.cluster_id, reason = ?w.disabled_reason, "webhook disabled");
                    }
                    return;
                }
                Err(e) if attempt < RECORD_TRIES => {
                    tracing::warn!(error = %e, "could not record webhook outcomes; retrying");
                    tokio::time::sleep(Duration::from_millis(200)).await;
                }
                Err(e) => {
                    tracing::error!(error = %e, count = outcomes.len(), "could not record webhook outcomes; the deliveries return when their lease expires");
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

fn release(row: &Claimed) -> Outcome {
    Outcome {
        delivery_id: row.id.clone(),
        webhook_id: row.recipient.clone(),
        log: None,
        next: Next::Release,
    }
}

fn collect(
    result: Result<(String, (Lease, Outcome)), tokio::task::JoinError>,
    in_flight: &mut HashMap<String, usize>,
    done: &mut Vec<(Lease, Outcome)>,
) {
    match result {
        Ok((endpoint, outcome)) => {
            if let Some(n) = in_flight.get_mut(&endpoint) {
                *n = n.saturating_sub(1);
                if *n == 0 {
                    in_flight.remove(&endpoint);
                }
            }
            done.push(outcome);
        }
        // A panicked attempt leaves its row to its lease; its slot is lost until then only in
        // the count, which the next claim's exclusion tolerates.
        Err(e) => tracing::error!(error = %e, "a webhook attempt task failed"),
    }
}

/// What an answer (or its absence) says.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Answer {
    Delivered,
    Gone,
    Failed { retry_after: Option<Duration> },
}

impl Attempter {
    async fn run(&self, job: Job) -> Outcome {
        let Job { row, endpoint, .. } = job;
        let outcome = |log: Option<AttemptLog>, next: Next| Outcome {
            delivery_id: row.id.clone(),
            webhook_id: row.recipient.clone(),
            log,
            next,
        };
        let endpoint = match endpoint {
            // A test event goes to a disabled endpoint too: it is how a manager checks it
            // before turning it on again.
            Some(e) if e.enabled || row.event == super::TEST_EVENT => e,
            Some(_) => {
                self.count("dropped");
                return outcome(None, Next::Dropped("the endpoint is disabled".into()));
            }
            None => {
                self.count("dropped");
                return outcome(None, Next::Dropped("the endpoint no longer exists".into()));
            }
        };
        let attempted_at = db::now();
        let started = Instant::now();
        let (answer, status, body, error) = match self.send(&endpoint, &row).await {
            Ok((status, headers, body)) => {
                let answer = classify(status, &headers);
                let error = match answer {
                    Answer::Delivered => None,
                    _ if status.is_redirection() => {
                        Some(format!("answered {status}: redirects are not followed"))
                    }
                    _ => Some(format!("answered {status}")),
                };
                (answer, Some(i32::from(status.as_u16())), Some(body), error)
            }
            Err(e) => (Answer::Failed { retry_after: None }, None, None, Some(e)),
        };
        let elapsed = started.elapsed();
        self.metrics.webhook_latency.observe(elapsed.as_secs_f64());
        let log = AttemptLog {
            id: db::new_id(),
            delivery_id: row.id.clone(),
            webhook_id: row.recipient.clone(),
            attempted_at,
            status_code: status,
            duration_ms: i32::try_from(elapsed.as_millis()).unwrap_or(i32::MAX),
            error: error.clone(),
            response_body: body,
        };
        let next = match answer {
            Answer::Delivered => {
                self.count("delivered");
                Next::Delivered
            }
            Answer::Gone => {
                self.count("gone");
                Next::Gone
            }
            Answer::Failed { retry_after } => {
                match next_attempt(
                    &self.schedule,
                    row.attempts + 1,
                    retry_after,
                    rand::rng().random_range(0.8..=1.2),
                ) {
                    Some(delay) => {
                        self.count("failed");
                        tracing::info!(delivery_id = %row.id, webhook_id = %row.recipient, attempt = row.attempts + 1, error = ?error, retry_in_secs = delay.as_secs(), "webhook delivery failed; will retry");
                        Next::Retry(
                            attempted_at + TimeDelta::milliseconds(delay.as_millis() as i64),
                        )
                    }
                    None => {
                        self.count("given_up");
                        tracing::warn!(delivery_id = %row.id, webhook_id = %row.recipient, attempt = row.attempts + 1, error = ?error, "webhook delivery failed; giving up");
                        Next::GiveUp
                    }
                }
            }
        };
        outcome(Some(log), next)
    }

    fn count(&self, outcome: &str) {
        self.metrics
            .webhook_deliveries
            .with_label_values(&[outcome])
            .inc();
    }

    /// POSTs the signed delivery; answers the status, headers and the first 1 KB of the body,
    /// or why no answer came.
    async fn send(
        &self,
        endpoint: &WebhookRow,
        row: &Claimed,
    ) -> Result<(StatusCode, HeaderMap, String), String> {
        let url = self
            .rules
            .check_form(&endpoint.url)
            .map_err(|e| format!("the URL {e}"))?;
        let mut secrets = vec![
            self.sealer
                .open(&endpoint.id, &endpoint.secret)
                .map_err(|e| e.to_string())?,
        ];
        if let (Some(previous), Some(until)) =
            (&endpoint.previous_secret, endpoint.previous_secret_until)
            && until > db::now()
            && let Ok(previous) = self.sealer.open(&endpoint.id, previous)
        {
            secrets.push(previous);
        }
        let exposed: Vec<&str> = secrets.iter().map(|s| s.expose_secret()).collect();
        let timestamp = Utc::now().timestamp();
        let signature =
            signature_header(&exposed, &row.message_id, timestamp, row.payload.as_bytes());
        let request = self
            .client
            .post(url)
            .header(CONTENT_TYPE, "application/json")
            .header("webhook-id", &row.message_id)
            .header("webhook-timestamp", timestamp.to_string())
            .header("webhook-signature", signature)
            .body(row.payload.clone());
        let exchange = async {
            let mut response = request.send().await.map_err(describe)?;
            let status = response.status();
            let headers = response.headers().clone();
            let mut kept: Vec<u8> = Vec::new();
            while kept.len() < queue::KEPT_BODY_BYTES {
                match response.chunk().await {
                    Ok(Some(chunk)) => kept.extend_from_slice(&chunk),
                    Ok(None) => break,
                    // The answer's status is what counts; a body cut short is kept as read.
                    Err(_) => break,
                }
            }
            kept.truncate(queue::KEPT_BODY_BYTES);
            Ok((status, headers, String::from_utf8_lossy(&kept).into_owned()))
        };
        match tokio::time::timeout(self.timeout, exchange).await {
            Ok(result) => result,
            Err(_) => Err(format!("no answer within {} s", self.timeout.as_secs())),
        }
    }
}

/// Why a request got no answer, in a line the delivery log can show.
fn describe(e: reqwest::Error) -> String {
    use std::error::Error;
    let mut text = if e.is_timeout() {
        "no answer in time".to_owned()
    } else if e.is_connect() {
        "could not connect".to_owned()
    } else {
        "the request failed".to_owned()
    };
    let mut source = e.source();
    while let Some(s) = source {
        text = format!("{text}: {s}");
        source = s.source();
    }
    text
}

fn classify(status: StatusCode, headers: &HeaderMap) -> Answer {
    if status.is_success() {
        return Answer::Delivered;
    }
    if status == StatusCode::GONE {
        return Answer::Gone;
    }
    let retry_after = matches!(
        status,
        StatusCode::TOO_MANY_REQUESTS | StatusCode::SERVICE_UNAVAILABLE
    )
    .then(|| {
        headers
            .get(RETRY_AFTER)
            .and_then(|v| v.to_str().ok())
            .and_then(retry_after)
    })
    .flatten();
    Answer::Failed { retry_after }
}

/// A `Retry-After` value: delay-seconds or an HTTP date.
fn retry_after(value: &str) -> Option<Duration> {
    let value = value.trim();
    if let Ok(secs) = value.parse::<u64>() {
        return Some(Duration::from_secs(secs).min(MAX_RETRY_AFTER));
    }
    let at = chrono::DateTime::parse_from_rfc2822(value).ok()?;
    let secs = (at.with_timezone(&Utc) - Utc::now()).num_seconds().max(0) as u64;
    Some(Duration::from_secs(secs).min(MAX_RETRY_AFTER))
}

/// The pause before the next attempt after `failed` failed attempts, or `None` once the
/// schedule is spent. `Retry-After` replaces the schedule's pause; `jitter` (0.8–1.2) spreads
/// the schedule's.
fn next_attempt(
    schedule: &[u64],
    failed: i32,
    retry_after: Option<Duration>,
    jitter: f64,
) -> Option<Duration> {
    let index = usize::try_from(failed).ok()?;
    let pause = *schedule.get(index)?;
    Some(retry_after.unwrap_or_else(|| Duration::from_secs_f64(pause as f64 * jitter)))
}

#[cfg(test)]
mod tests {
    use super::*;

    const SPEC: [u64; 10] = [0, 5, 300, 1800, 7200, 18000, 36000, 50400, 72000, 86400];

    #[test]
    fn the_schedule_is_followed_then_given_up() {
        assert_eq!(
            next_attempt(&SPEC, 1, None, 1.0),
            Some(Duration::from_secs(5))
        );
        assert_eq!(
            next_attempt(&SPEC, 2, None, 1.0),
            Some(Duration::from_secs(300))
        );
        assert_eq!(
            next_attempt(&SPEC, 9, None, 1.0),
            Some(Duration::from_secs(86400))
        );
        assert_eq!(next_attempt(&SPEC, 10, None, 1.0), None);
        assert_eq!(
            next_attempt(&SPEC, 2, None, 0.8),
            Some(Duration::from_secs(240))
        );
    }

    #[test]
    fn retry_after_replaces_the_pause_but_not_the_limit() {
        let wait = Some(Duration::from_secs(42));
        assert_eq!(next_attempt(&SPEC, 1, wait, 1.2), wait);
        assert_eq!(next_attempt(&SPEC, 10, wait, 1.0), None);
    }

    #[test]
    fn answers_are_classified() {
        let none = HeaderMap::new();
        assert_eq!(classify(StatusCode::NO_CONTENT, &none), Answer::Delivered);
        assert_eq!(classify(StatusCode::GONE, &none), Answer::Gone);
        assert_eq!(
            classify(StatusCode::FOUND, &none),
            Answer::Failed { retry_after: None }
        );
        let mut later = HeaderMap::new();
        later.insert(RETRY_AFTER, "120".parse().unwrap());
        assert_eq!(
            classify(StatusCode::TOO_MANY_REQUESTS, &later),
            Answer::Failed {
                retry_after: Some(Duration::from_secs(120))
            }
        );
        assert_eq!(
            classify(StatusCode::SERVICE_UNAVAILABLE, &later),
            Answer::Failed {
                retry_after: Some(Duration::from_secs(120))
            }
        );
        // Only 429 and 503 ask to wait.
        assert_eq!(
            classify(StatusCode::INTERNAL_SERVER_ERROR, &later),
            Answer::Failed { retry_after: None }
        );
    }

    #[test]
    fn retry_after_reads_seconds_and_dates() {
        assert_eq!(retry_after("30"), Some(Duration::from_secs(30)));
        assert_eq!(retry_after("9999999"), Some(MAX_RETRY_AFTER));
        assert_eq!(
            retry_after("Wed, 21 Oct 2015 07:28:00 GMT"),
            Some(Duration::ZERO)
        );
        assert_eq!(retry_after("soon"), None);
    }
}
