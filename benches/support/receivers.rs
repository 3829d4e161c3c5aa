//! Webhook receivers for the benchmarks: minimal HTTP/1.1 servers on loopback, one port each,
//! that stand in for partner portals. Each answers every POST with 204 on a kept-alive
//! connection, verifies the Standard Webhooks signature with its endpoint's secret (HMAC-SHA256
//! of `id.timestamp.body`, keyed by the base64 after `whsec_`), and counts deliveries by
//! `webhook-id`, so a duplicate or a bad signature shows. A receiver set to hang accepts
//! connections, reads what comes and never answers, until it is released.
//!
//! Shared by `benches/webhooks.rs` and `benches/approvals.rs` (`--webhooks`).

use std::collections::HashMap;
use std::net::SocketAddr;
use std::sync::atomic::{AtomicBool, AtomicU64, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, OnceLock};
use std::time::{Duration, Instant};

use base64::Engine;
use base64::engine::general_purpose::STANDARD as BASE64;
use hmac::{Hmac, Mac};
use sha2::Sha256;
use tokio::io::{AsyncBufReadExt, AsyncReadExt, AsyncWriteExt, BufReader};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::{Notify, watch};

/// A signed timestamp further than this from the receiver's clock fails, as the Standard
/// Webhooks libraries' verification does.
const TIMESTAMP_TOLERANCE_SECS: i64 = 300;

/// Largest request head or body a receiver reads.
const MAX_REQUEST_BYTES: usize = 1 << 20;

/// One stand-in portal.
pub struct Receiver {
    pub index: usize,
    pub addr: SocketAddr,
    /// The HMAC key (the secret's decoded bytes), known once the endpoint is registered.
    key: OnceLock<Vec<u8>>,
    hang: AtomicBool,
    /// Distinct `webhook-id`s answered 204 with a valid signature.
    delivered: AtomicUsize,
    /// Requests answered (every POST, valid or not).
    requests: AtomicUsize,
    /// A `webhook-id` seen again after it was delivered.
    duplicates: AtomicUsize,
    bad_signatures: AtomicUsize,
    stale_timestamps: AtomicUsize,
    malformed: AtomicUsize,
    /// Connections accepted, and requests read while hanging.
    connections: AtomicUsize,
    hung_requests: AtomicUsize,
    /// Microseconds since the set's epoch of the first and last valid delivery.
    first_us: AtomicU64,
    last_us: AtomicU64,
    seen: Mutex<Seen>,
}

#[derive(Default)]
struct Seen {
    ids: HashMap<String, u32>,
    /// Milliseconds from the event's `timestamp` (when its change committed) to its arrival.
    since_event_ms: Vec<f64>,
}

/// What one receiver saw, at the end.
#[derive(Debug, Clone)]
pub struct Tally {
    pub index: usize,
    pub hang: bool,
    pub delivered: usize,
    pub requests: usize,
    pub duplicates: usize,
    pub bad_signatures: usize,
    pub stale_timestamps: usize,
    pub malformed: usize,
    pub connections: usize,
    pub hung_requests: usize,
    /// Seconds since the epoch of the first and last valid delivery (`None`: none came).
    pub first: Option<f64>,
    pub last: Option<f64>,
    pub ids: Vec<String>,
    pub since_event_ms: Vec<f64>,
}

impl Tally {
    /// Every way a request can have gone wrong, added up.
    pub fn faults(&self) -> usize {
        self.duplicates + self.bad_signatures + self.stale_timestamps + self.malformed
    }
}

/// A set of receivers sharing one clock and one wake-up for progress.
pub struct Receivers {
    pub list: Vec<Arc<Receiver>>,
    epoch: Instant,
    progress: Arc<Notify>,
    release: watch::Sender<bool>,
}

impl Receivers {
    /// Binds `count` receivers on 127.0.0.1, each on a port of its own; those whose index is
    /// in `hanging` never answer.
    pub async fn start(count: usize, hanging: &[usize]) -> std::io::Result<Receivers> {
        let epoch = Instant::now();
        let progress = Arc::new(Notify::new());
        let (release, released) = watch::channel(false);
        let mut list = Vec::with_capacity(count);
        for index in 0..count {
            let listener = TcpListener::bind("127.0.0.1:0").await?;
            let receiver = Arc::new(Receiver {
                index,
                addr: listener.local_addr()?,
                key: OnceLock::new(),
                hang: AtomicBool::new(hanging.contains(&index)),
                delivered: AtomicUsize::new(0),
                requests: AtomicUsize::new(0),
                duplicates: AtomicUsize::new(0),
                bad_signatures: AtomicUsize::new(0),
                stale_timestamps: AtomicUsize::new(0),
                malformed: AtomicUsize::new(0),
                connections: AtomicUsize::new(0),
                hung_requests: AtomicUsize::new(0),
                first_us: AtomicU64::new(u64::MAX),
                last_us: AtomicU64::new(0),
                seen: Mutex::new(Seen::default()),
            });
            let (r, progress, released) = (receiver.clone(), progress.clone(), released.clone());
            tokio::spawn(async move {
                loop {
                    let Ok((stream, _)) = listener.accept().await else {
                        continue;
                    };
                    let _ = stream.set_nodelay(true);
                    r.connections.fetch_add(1, Ordering::Relaxed);
                    let (r, progress, released) = (r.clone(), progress.clone(), released.clone());
                    tokio::spawn(async move {
                        if r.hang.load(Ordering::Relaxed) {
                            r.hold(stream, released).await;
                        } else {
                            let _ = r.serve(stream, epoch, &progress).await;
                        }
                    });
                }
            });
            list.push(receiver);
        }
        Ok(Receivers {
            list,
            epoch,
            progress,
            release,
        })
    }

    /// The instant the set's times count from.
    pub fn epoch(&self) -> Instant {
        self.epoch
    }

    /// Lets every hanging connection go (they are closed without an answer).
    pub fn release_hanging(&self) {
        let _ = self.release.send(true);
    }

    /// Valid deliveries so far to the receivers in `which`.
    pub fn delivered(&self, which: &[usize]) -> usize {
        which
            .iter()
            .map(|i| self.list[*i].delivered.load(Ordering::Relaxed))
            .sum()
    }

    /// Waits until the receivers in `which` hold `expected` valid deliveries in all, or
    /// `limit` passes; calls `report` about every `every` with the count so far. Answers whether
    /// they all came.
    pub async fn wait_for(
        &self,
        which: &[usize],
        expected: usize,
        limit: Duration,
        every: Duration,
        mut report: impl FnMut(usize),
    ) -> bool {
        let deadline = tokio::time::Instant::now() + limit;
        let mut next_report = tokio::time::Instant::now() + every;
        loop {
            let notified = self.progress.notified();
            let got = self.delivered(which);
            if got >= expected {
                return true;
            }
            let now = tokio::time::Instant::now();
            if now >= deadline {
                return false;
            }
            if now >= next_report {
                report(got);
                next_report = now + every;
            }
            // Woken on progress, but at least every 100 ms so the reports keep their pace.
            let _ = tokio::time::timeout(Duration::from_millis(100), notified).await;
        }
    }

    pub fn tallies(&self) -> Vec<Tally> {
        self.list.iter().map(|r| r.tally()).collect()
    }
}

impl Receiver {
    /// The endpoint's URL for this receiver.
    pub fn url(&self) -> String {
        format!("http://{}/hooks/{}", self.addr, self.index)
    }

    /// Keys verification with the endpoint's secret (`whsec_...`), as the API answered it.
    pub fn set_secret(&self, secret: &str) -> Result<(), String> {
        let encoded = secret
            .strip_prefix("whsec_")
            .ok_or_else(|| format!("the secret `{secret}` does not start with whsec_"))?;
        let key = BASE64
            .decode(encoded)
            .map_err(|e| format!("the secret is not base64 after whsec_: {e}"))?;
        self.key
            .set(key)
            .map_err(|_| "the receiver already has a secret".to_owned())
    }

    pub fn hangs(&self) -> bool {
        self.hang.load(Ordering::Relaxed)
    }

    fn tally(&self) -> Tally {
        let seen = self.seen.lock().expect("receiver state");
        let first = self.first_us.load(Ordering::Relaxed);
        let came = first != u64::MAX;
        Tally {
            index: self.index,
            hang: self.hangs(),
            delivered: self.delivered.load(Ordering::Relaxed),
            requests: self.requests.load(Ordering::Relaxed),
            duplicates: self.duplicates.load(Ordering::Relaxed),
            bad_signatures: self.bad_signatures.load(Ordering::Relaxed),
            stale_timestamps: self.stale_timestamps.load(Ordering::Relaxed),
            malformed: self.malformed.load(Ordering::Relaxed),
            connections: self.connections.load(Ordering::Relaxed),
            hung_requests: self.hung_requests.load(Ordering::Relaxed),
            first: came.then_some(first as f64 / 1e6),
            last: came.then(|| self.last_us.load(Ordering::Relaxed) as f64 / 1e6),
            ids: seen.ids.keys().cloned().collect(),
            since_event_ms: seen.since_event_ms.clone(),
        }
    }

    /// A hanging portal: reads (and counts) requests, answers none, until released.
    async fn hold(&self, mut stream: TcpStream, mut released: watch::Receiver<bool>) {
        let mut buf = vec![0u8; 16 * 1024];
        loop {
            tokio::select! {
                read = stream.read(&mut buf) => match read {
                    Ok(0) | Err(_) => return,
                    Ok(n) => {
                        let heads = buf[..n].windows(5).filter(|w| w == b"POST ").count();
                        self.hung_requests.fetch_add(heads, Ordering::Relaxed);
                    }
                },
                changed = released.changed() => {
                    if changed.is_err() || *released.borrow() {
                        return;
                    }
                }
            }
        }
    }

    /// Serves one kept-alive connection until the client closes it.
    async fn serve(
        &self,
        stream: TcpStream,
        epoch: Instant,
        progress: &Notify,
    ) -> std::io::Result<()> {
        let mut stream = BufReader::new(stream);
        let mut line = String::new();
        loop {
            // The request line; a closed connection ends here.
            line.clear();
            if stream.read_line(&mut line).await? == 0 {
                return Ok(());
            }
            if line.trim().is_empty() {
                continue;
            }
            let mut length = 0usize;
            let mut close = false;
            let (mut id, mut timestamp, mut signature) = (None, None, None);
            let mut head_bytes = line.len();
            loop {
                line.clear();
                let n = stream.read_line(&mut line).await?;
                head_bytes += n;
                if n == 0 || head_bytes > MAX_REQUEST_BYTES {
                    return Ok(());
                }
                let header = line.trim_end();
                if header.is_empty() {
                    break;
                }
                let Some((name, value)) = header.split_once(':') else {
                    continue;
                };
                let value = value.trim();
                match name.trim().to_ascii_lowercase().as_str() {
                    "content-length" => length = value.parse().unwrap_or(usize::MAX),
                    "connection" => close = value.eq_ignore_ascii_case("close"),
                    "webhook-id" => id = Some(value.to_owned()),
                    "webhook-timestamp" => timestamp = Some(value.to_owned()),
                    "webhook-signature" => signature = Some(value.to_owned()),
                    _ => {}
                }
            }
            if length > MAX_REQUEST_BYTES {
                return Ok(());
            }
            let mut body = vec![0u8; length];
            stream.read_exact(&mut body).await?;
            let arrived = epoch.elapsed();
            self.requests.fetch_add(1, Ordering::Relaxed);
            self.check(id, timestamp, signature, &body, arrived, progress);
            let answer: &[u8] = if close {
                b"HTTP/1.1 204 No Content\r\nconnection: close\r\n\r\n"
            } else {
                b"HTTP/1.1 204 No Content\r\n\r\n"
            };
            stream.get_mut().write_all(answer).await?;
            if close {
                return Ok(());
            }
        }
    }

    fn check(
        &self,
        id: Option<String>,
        timestamp: Option<String>,
        signature: Option<String>,
        body: &[u8],
        arrived: Duration,
        progress: &Notify,
    ) {
        let (Some(id), Some(timestamp), Some(signature), Some(key)) =
            (id, timestamp, signature, self.key.get())
        else {
            self.malformed.fetch_add(1, Ordering::Relaxed);
            return;
        };
        let Ok(seconds) = timestamp.parse::<i64>() else {
            self.malformed.fetch_add(1, Ordering::Relaxed);
            return;
        };
        let mut mac = <Hmac<Sha256> as Mac>::new_from_slice(key).expect("any key length");
        mac.update(id.as_bytes());
        mac.update(b".");
        mac.update(timestamp.as_bytes());
        mac.update(b".");
        mac.update(body);
        let expected = format!("v1,{}", BASE64.encode(mac.finalize().into_bytes()));
        if !signature.split(' ').any(|s| s == expected) {
            self.bad_signatures.fetch_add(1, Ordering::Relaxed);
            return;
        }
        if (chrono::Utc::now().timestamp() - seconds).abs() > TIMESTAMP_TOLERANCE_SECS {
            self.stale_timestamps.fetch_add(1, Ordering::Relaxed);
            return;
        }
        let since_event = event_age_ms(body);
        {
            let mut seen = self.seen.lock().expect("receiver state");
            let count = seen.ids.entry(id).or_default();
            *count += 1;
            if *count > 1 {
                self.duplicates.fetch_add(1, Ordering::Relaxed);
                return;
            }
            if let Some(ms) = since_event {
                seen.since_event_ms.push(ms);
            }
        }
        let us = arrived.as_micros() as u64;
        self.first_us.fetch_min(us, Ordering::Relaxed);
        self.last_us.fetch_max(us, Ordering::Relaxed);
        self.delivered.fetch_add(1, Ordering::Relaxed);
        progress.notify_waiters();
    }
}

/// Milliseconds from the body's `"timestamp"` (the event's, millisecond precision) to now.
fn event_age_ms(body: &[u8]) -> Option<f64> {
    const FIELD: &[u8] = b"\"timestamp\":\"";
    let start = body.windows(FIELD.len()).position(|w| w == FIELD)? + FIELD.len();
    let end = start + body[start..].iter().position(|b| *b == b'"')?;
    let text = std::str::from_utf8(&body[start..end]).ok()?;
    let at = chrono::DateTime::parse_from_rfc3339(text).ok()?;
    let age = chrono::Utc::now() - at.with_timezone(&chrono::Utc);
    Some(age.num_microseconds()? as f64 / 1000.0)
}

/// Nearest-rank percentile of sorted values.
pub fn percentile(sorted: &[f64], p: f64) -> f64 {
    if sorted.is_empty() {
        return 0.0;
    }
    let rank = ((p / 100.0) * sorted.len() as f64).ceil() as usize;
    sorted[rank.clamp(1, sorted.len()) - 1]
}

/// Registers the receiver as a webhook of the caller's cluster through the API
/// (`POST /api/v1/webhooks`), subscribed to `events`, and keys its verification with the
/// secret the answer shows. Answers the webhook's id.
pub async fn register(
    client: &reqwest::Client,
    base: &str,
    token: &str,
    receiver: &Receiver,
    events: &[&str],
) -> Result<String, String> {
    let reply = client
        .post(format!("{base}/api/v1/webhooks"))
        .bearer_auth(token)
        .json(&serde_json::json!({
            "url": receiver.url(),
            "events": events,
            "description": format!("benchmark receiver {}", receiver.index),
        }))
        .send()
        .await
        .map_err(|e| format!("POST /api/v1/webhooks: {e}"))?;
    let status = reply.status();
    let body: serde_json::Value = reply
        .json()
        .await
        .map_err(|e| format!("POST /api/v1/webhooks answered {status} without JSON: {e}"))?;
    if status != reqwest::StatusCode::CREATED {
        return Err(format!("POST /api/v1/webhooks answered {status}: {body}"));
    }
    let (Some(id), Some(secret)) = (body["id"].as_str(), body["secret"].as_str()) else {
        return Err(format!(
            "POST /api/v1/webhooks answered no id or secret: {body}"
        ));
    };
    receiver.set_secret(secret)?;
    Ok(id.to_owned())
}
