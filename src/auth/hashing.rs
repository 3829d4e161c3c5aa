//! The one gate every password hash and verification of a request goes through.
//!
//! An Argon2id hash takes 19 MiB and a core for tens of milliseconds. Unbounded, a crowd of
//! anonymous logins or sign-ups takes every core and hundreds of megabytes at once. The gate
//! runs at most `concurrency` of them at a time, on threads of its own that each keep one hash
//! memory for good (so the memory is allocated once, not 19 MiB per request) and run at a lower
//! scheduling priority than the threads that serve requests, so other requests keep their
//! latency while hashes queue. At most `queue` more callers wait for a turn; the rest are
//! refused at once with [`HashError::Busy`] (503 `busy` with `Retry-After`). The command line's
//! `create-admin` and the data generators hash directly through [`super::password`].

use std::panic::{AssertUnwindSafe, catch_unwind};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, mpsc};

use tokio::sync::{OwnedSemaphorePermit, Semaphore, oneshot};

use super::password::{self, Memory};
use crate::error::ApiError;

/// Seconds a refused caller is asked to wait.
pub const RETRY_AFTER_SECS: u64 = 1;

/// How much lower the hashing threads run than the rest (a nice value, on Linux).
const HASH_NICENESS: i32 = 10;

/// Why a gated hash or verification gave no answer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum HashError {
    /// The gate is full: `concurrency` hashes run and `queue` callers already wait.
    Busy,
    /// The work failed, or its thread died with it.
    Failed(String),
}

impl From<HashError> for ApiError {
    fn from(e: HashError) -> ApiError {
        match e {
            HashError::Busy => ApiError::problem(
                actix_web::http::StatusCode::SERVICE_UNAVAILABLE,
                "busy",
                "too many password checks are in progress; retry shortly",
            )
            .with("retry_after", RETRY_AFTER_SECS),
            HashError::Failed(cause) => ApiError::internal(cause),
        }
    }
}

type Job = Box<dyn FnOnce(&mut Memory) + Send>;

/// Bounds the password hashes and verifications in progress.
pub struct HashGate {
    permits: Arc<Semaphore>,
    waiting: AtomicUsize,
    queue: usize,
    jobs: mpsc::Sender<Job>,
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
    /// Starts `concurrency` (at least 1) hashing threads, and lets `queue` callers wait for
    /// them. The threads end when the gate is dropped.
    pub fn new(concurrency: usize, queue: usize) -> std::io::Result<HashGate> {
        let concurrency = concurrency.max(1);
        let (jobs, receiver) = mpsc::channel::<Job>();
        let receiver = Arc::new(Mutex::new(receiver));
        for i in 0..concurrency {
            let receiver = receiver.clone();
            std::thread::Builder::new()
                .name(format!("hash-{i}"))
                .spawn(move || hash_thread(&receiver))?;
        }
        Ok(HashGate {
            permits: Arc::new(Semaphore::new(concurrency)),
            waiting: AtomicUsize::new(0),
            queue,
            jobs,
        })
    }

    /// Takes a turn: a permit at once when one is free, else a place in the queue and then a
    /// permit, or [`HashError::Busy`] when the queue is full. A caller takes its turn before
    /// the work that leads up to the hash (reading the account), so a crowd beyond the gate
    /// is answered before it reaches the database.
    pub async fn admit(&self) -> Result<Admission<'_>, HashError> {
        let permit = match self.permits.clone().try_acquire_owned() {
            Ok(permit) => permit,
            Err(_) => {
                let queued = self
                    .waiting
                    .fetch_update(Ordering::AcqRel, Ordering::Acquire, |n| {
                        (n < self.queue).then_some(n + 1)
                    });
                if queued.is_err() {
                    return Err(HashError::Busy);
                }
                let _waiting = Waiting(&self.waiting);
                self.permits
                    .clone()
                    .acquire_owned()
                    .await
                    .map_err(|_| HashError::Busy)?
            }
        };
        Ok(Admission { gate: self, permit })
    }

    /// Takes a turn and runs `work` in it ([`Admission::run`]).
    pub async fn run<T, F>(&self, work: F) -> Result<T, HashError>
    where
        T: Send + 'static,
        F: FnOnce(&mut Memory) -> T + Send + 'static,
    {
        self.admit().await?.run(work).await
    }

    /// Hashes a new password into a PHC string.
    pub async fn hash(&self, password: String) -> Result<String, HashError> {
        self.run(move |memory| password::hash_in(&password, memory).map_err(|e| e.to_string()))
            .await?
            .map_err(HashError::Failed)
    }

    /// Takes a turn and verifies a login attempt ([`Admission::verify`]).
    pub async fn verify(&self, attempt: String, stored: Option<String>) -> Result<bool, HashError> {
        self.admit().await?.verify(attempt, stored).await
    }
}

/// A turn at the gate: a permit to run one hash.
pub struct Admission<'a> {
    gate: &'a HashGate,
    permit: OwnedSemaphorePermit,
}

impl Admission<'_> {
    /// Runs `work` on a hashing thread with that thread's hash memory. The permit goes with
    /// the work, so a request that goes away mid-hash does not let another hash start beside
    /// it.
    pub async fn run<T, F>(self, work: F) -> Result<T, HashError>
    where
        T: Send + 'static,
        F: FnOnce(&mut Memory) -> T + Send + 'static,
    {
        let Admission { gate, permit } = self;
        let (answer, answered) = oneshot::channel();
        let job: Job = Box::new(move |memory| {
            let result = work(memory);
            drop(permit);
            let _ = answer.send(result);
        });
        gate.jobs
            .send(job)
            .map_err(|_| HashError::Failed("the hashing threads are gone".into()))?;
        answered
            .await
            .map_err(|_| HashError::Failed("a password hash failed".into()))
    }

    /// Verifies a login attempt against the stored hash (the dummy hash when `None`).
    pub async fn verify(self, attempt: String, stored: Option<String>) -> Result<bool, HashError> {
        self.run(move |memory| password::verify_in(&attempt, stored.as_deref(), memory))
            .await
    }
}

/// A hashing thread: takes jobs until the gate is dropped. Its memory is made on the first job
/// and kept; a job that panics loses its answer (the caller gets `Failed`), not the thread.
fn hash_thread(jobs: &Mutex<mpsc::Receiver<Job>>) {
    lower_priority();
    let mut memory: Option<Memory> = None;
    loop {
        let job = {
            let receiver = jobs.lock().unwrap_or_else(|e| e.into_inner());
            receiver.recv()
        };
        let Ok(job) = job else {
            return;
        };
        let memory = memory.get_or_insert_with(Memory::new);
        if catch_unwind(AssertUnwindSafe(|| job(memory))).is_err() {
            tracing::error!("a password hash panicked");
        }
    }
}

/// Lowers the calling thread's scheduling priority, so the threads that serve requests come
/// first when every core is busy hashing.
#[cfg(target_os = "linux")]
fn lower_priority() {
    // On Linux, `setpriority(PRIO_PROCESS, 0, ..)` applies to the calling thread only.
    // SAFETY: a plain system call on the current thread; it reads and writes no memory of ours.
    let rc = unsafe { libc::setpriority(libc::PRIO_PROCESS, 0, HASH_NICENESS) };
    if rc != 0 {
        tracing::warn!("could not lower the priority of a hashing thread");
    }
}

#[cfg(not(target_os = "linux"))]
fn lower_priority() {}

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
        let gate = Arc::new(HashGate::new(1, 1).unwrap());
        let (release, hold) = std::sync::mpsc::channel::<()>();
        let first = {
            let gate = gate.clone();
            actix_web::rt::spawn(async move {
                gate.run(move |_| {
                    let _ = hold.recv_timeout(Duration::from_secs(5));
                })
                .await
            })
        };
        actix_web::rt::time::sleep(Duration::from_millis(50)).await;
        let second = {
            let gate = gate.clone();
            actix_web::rt::spawn(async move { gate.run(|_| 2).await })
        };
        actix_web::rt::time::sleep(Duration::from_millis(50)).await;
        assert_eq!(
            gate.run(|_| 3).await,
            Err(HashError::Busy),
            "the queue is full"
        );
        let _ = release.send(());
        assert_eq!(first.await.unwrap(), Ok(()));
        assert_eq!(second.await.unwrap(), Ok(2));
        assert_eq!(gate.run(|_| 4).await, Ok(4), "free again");
    }

    #[actix_web::test]
    async fn a_panicking_hash_fails_its_caller_and_not_the_gate() {
        let gate = HashGate::new(1, 0).unwrap();
        let failed: Result<(), HashError> = gate.run(|_| panic!("boom")).await;
        assert!(matches!(failed, Err(HashError::Failed(_))));
        assert_eq!(gate.run(|_| 5).await, Ok(5));
    }
}
