//! The one gate every password hash and verification of a request goes through.
//!
//! An Argon2id hash takes 19 MiB and a core for tens of milliseconds. Unbounded, a crowd of
//! anonymous logins or sign-ups takes every core and hundreds of megabytes at once. The gate
//! runs at most `concurrency` of them at a time, each on a blocking thread so the async workers
//! keep serving other requests, lets at most `queue` more wait for their turn, and refuses the
//! rest at once with [`Busy`] (503 `busy` with `Retry-After`). The command line's
//! `create-admin` and the data generators hash directly through [`super::password`].

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use tokio::sync::Semaphore;

use super::password;
use crate::error::ApiError;

/// Seconds a refused caller is asked to wait.
pub const RETRY_AFTER_SECS: u64 = 1;

/// The gate is full: `concurrency` hashes run and `queue` callers already wait.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Busy;

impl From<Busy> for ApiError {
    fn from(_: Busy) -> ApiError {
        ApiError::problem(
            actix_web::http::StatusCode::SERVICE_UNAVAILABLE,
            "busy",
            "too many password checks are in progress; retry shortly",
        )
        .with("retry_after", RETRY_AFTER_SECS)
    }
}

/// Why a gated hash did not produce a hash.
#[derive(Debug)]
pub enum HashError {
    Busy,
    Failed(String),
}

impl From<HashError> for ApiError {
    fn from(e: HashError) -> ApiError {
        match e {
            HashError::Busy => Busy.into(),
            HashError::Failed(cause) => ApiError::internal(cause),
        }
    }
}

/// Bounds the password hashes and verifications in progress.
pub struct HashGate {
    permits: Arc<Semaphore>,
    waiting: AtomicUsize,
    queue: usize,
}

/// Decrements the waiting count when the wait ends, however it ends (the request may be
/// dropped while it waits).
struct Waiting<'a>(&'a AtomicUsize);

impl Drop for Waiting<'_> {
    fn drop(&mut self) {
        self.0.fetch_sub(1, Ordering::AcqRel);
    }
}

impl HashGate {
    /// At most `concurrency` (at least 1) at once, and `queue` waiting.
    pub fn new(concurrency: usize, queue: usize) -> HashGate {
        HashGate {
            permits: Arc::new(Semaphore::new(concurrency.max(1))),
            waiting: AtomicUsize::new(0),
            queue,
        }
    }

    /// Runs `work` on a blocking thread when a permit is free, waiting for one only if fewer
    /// than `queue` callers already wait. The permit is held by the work itself, so a request
    /// that goes away mid-hash does not let another hash start beside it.
    pub async fn run<T, F>(&self, work: F) -> Result<T, Busy>
    where
        T: Send + 'static,
        F: FnOnce() -> T + Send + 'static,
    {
        let permit = match self.permits.clone().try_acquire_owned() {
            Ok(permit) => permit,
            Err(_) => {
                let queued = self
                    .waiting
                    .fetch_update(Ordering::AcqRel, Ordering::Acquire, |n| {
                        (n < self.queue).then_some(n + 1)
                    });
                if queued.is_err() {
                    return Err(Busy);
                }
                let _waiting = Waiting(&self.waiting);
                self.permits
                    .clone()
                    .acquire_owned()
                    .await
                    .map_err(|_| Busy)?
            }
        };
        actix_web::web::block(move || {
            let _permit = permit;
            work()
        })
        .await
        .map_err(|_| Busy)
    }

    /// Hashes a new password into a PHC string.
    pub async fn hash(&self, password: String) -> Result<String, HashError> {
        self.run(move || password::hash(&password).map_err(|e| e.to_string()))
            .await
            .map_err(|Busy| HashError::Busy)?
            .map_err(HashError::Failed)
    }

    /// Verifies a login attempt against the stored hash (the dummy hash when `None`).
    pub async fn verify(&self, attempt: String, stored: Option<String>) -> Result<bool, Busy> {
        self.run(move || password::verify(&attempt, stored.as_deref()))
            .await
    }
}

/// The default concurrency: one hash per core.
pub fn default_concurrency() -> usize {
    std::thread::available_parallelism().map_or(2, |n| n.get())
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    #[actix_web::test]
    async fn beyond_the_pool_and_the_queue_callers_are_refused() {
        let gate = Arc::new(HashGate::new(1, 1));
        let (release, hold) = std::sync::mpsc::channel::<()>();
        let first = {
            let gate = gate.clone();
            actix_web::rt::spawn(async move {
                gate.run(move || {
                    let _ = hold.recv_timeout(Duration::from_secs(5));
                })
                .await
            })
        };
        actix_web::rt::time::sleep(Duration::from_millis(50)).await;
        let second = {
            let gate = gate.clone();
            actix_web::rt::spawn(async move { gate.run(|| 2).await })
        };
        actix_web::rt::time::sleep(Duration::from_millis(50)).await;
        assert_eq!(gate.run(|| 3).await, Err(Busy), "the queue is full");
        let _ = release.send(());
        assert_eq!(first.await.unwrap(), Ok(()));
        assert_eq!(second.await.unwrap(), Ok(2));
        assert_eq!(gate.run(|| 4).await, Ok(4), "free again");
    }
}
