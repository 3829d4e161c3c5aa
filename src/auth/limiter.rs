//! Failed-login rate limiting per account and per client address, in a sliding window.
//!
//! Kept in memory: each instance limits what it sees, which bounds guessing to
//! `instances × limit` per window. Memory is bounded by pruning old entries.

use std::collections::{HashMap, VecDeque};
use std::sync::Mutex;
use std::time::{Duration, Instant};

const MAX_KEYS: usize = 100_000;

pub struct LoginLimiter {
    window: Duration,
    max_per_account: usize,
    max_per_address: usize,
    failures: Mutex<HashMap<String, VecDeque<Instant>>>,
}

impl LoginLimiter {
    pub fn new(window_secs: u64, max_per_account: u32, max_per_address: u32) -> LoginLimiter {
        LoginLimiter {
            window: Duration::from_secs(window_secs.max(1)),
            max_per_account: max_per_account.max(1) as usize,
            max_per_address: max_per_address.max(1) as usize,
            failures: Mutex::new(HashMap::new()),
        }
    }

    /// Seconds until another attempt is allowed, if either key is over its limit.
    pub fn blocked(&self, account: Option<&str>, address: &str) -> Option<u64> {
        let now = Instant::now();
        let mut map = self.failures.lock().unwrap_or_else(|e| e.into_inner());
        let mut wait = None;
        let checks = [
            (
                account.map(|a| format!("account:{a}")),
                self.max_per_account,
            ),
            (Some(format!("address:{address}")), self.max_per_address),
        ];
        for (key, limit) in checks {
            let Some(key) = key else { continue };
            if let Some(times) = map.get_mut(&key) {
                prune(times, now, self.window);
                if times.len() >= limit
                    && let Some(oldest) = times.front()
                {
                    let until = (*oldest + self.window).saturating_duration_since(now);
                    let secs = until.as_secs().max(1);
                    wait = Some(wait.map_or(secs, |w: u64| w.max(secs)));
                }
            }
        }
        wait
    }

    pub fn record_failure(&self, account: Option<&str>, address: &str) {
        let now = Instant::now();
        let mut map = self.failures.lock().unwrap_or_else(|e| e.into_inner());
        if map.len() >= MAX_KEYS {
            let window = self.window;
            map.retain(|_, times| {
                prune(times, now, window);
                !times.is_empty()
            });
        }
        let keys = [
            account.map(|a| format!("account:{a}")),
            Some(format!("address:{address}")),
        ];
        for key in keys.into_iter().flatten() {
            map.entry(key).or_default().push_back(now);
        }
    }

    /// A successful login clears the account's failures (not the address's).
    pub fn record_success(&self, account: &str) {
        let mut map = self.failures.lock().unwrap_or_else(|e| e.into_inner());
        map.remove(&format!("account:{account}"));
    }
}

fn prune(times: &mut VecDeque<Instant>, now: Instant, window: Duration) {
    while times
        .front()
        .is_some_and(|t| now.saturating_duration_since(*t) >= window)
    {
        times.pop_front();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn blocks_after_the_limit_per_account_and_per_address() {
        let limiter = LoginLimiter::new(60, 3, 5);
        for _ in 0..3 {
            assert!(limiter.blocked(Some("a@x.org"), "1.1.1.1").is_none());
            limiter.record_failure(Some("a@x.org"), "1.1.1.1");
        }
        let wait = limiter
            .blocked(Some("a@x.org"), "2.2.2.2")
            .expect("account blocked");
        assert!((1..=60).contains(&wait));
        assert!(limiter.blocked(Some("b@x.org"), "1.1.1.1").is_none());
        limiter.record_failure(Some("b@x.org"), "1.1.1.1");
        limiter.record_failure(Some("c@x.org"), "1.1.1.1");
        assert!(
            limiter.blocked(Some("d@x.org"), "1.1.1.1").is_some(),
            "address blocked"
        );
        limiter.record_success("a@x.org");
        assert!(limiter.blocked(Some("a@x.org"), "3.3.3.3").is_none());
    }
}
