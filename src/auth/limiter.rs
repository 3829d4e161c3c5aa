//! Attempt limits in a sliding window: failed logins per (account, client address), per client
//! address and per account across addresses; SME sign-ups per address; failed password-reset
//! confirmations per address.
//!
//! A check and its count are one step: [`Windows::reserve`] takes a slot in every window it
//! names under one lock, or refuses, so N simultaneous attempts never get past a limit of M < N.
//! The caller then keeps the slot ([`Slot::keep`], a failed login) or gives it back by dropping
//! it (a correct password, or an attempt that was never evaluated).
//!
//! Kept in memory: each instance limits what it sees, which bounds guessing to
//! `instances × limit` per window. Memory is bounded: no window holds more times than its
//! limit, and past [`MAX_KEYS`] keys the expired ones are pruned and then, if still full, the
//! least recently used.

use std::collections::{HashMap, VecDeque};
use std::sync::Mutex;
use std::time::{Duration, Instant};

/// Most keys a [`Windows`] keeps at once.
pub const MAX_KEYS: usize = 100_000;

/// One sliding window per key, each holding the times of the attempts it counts.
pub struct Windows {
    window: Duration,
    keys: Mutex<HashMap<String, VecDeque<Instant>>>,
}

/// A slot taken in one or more windows. Dropped, it is given back; [`Slot::keep`] makes it
/// count until it ages out of the window.
#[must_use = "a slot dropped at once counts nothing"]
pub struct Slot<'a> {
    windows: &'a Windows,
    keys: Vec<String>,
    at: Instant,
    kept: bool,
}

impl Slot<'_> {
    /// Counts the attempt: the slot stays taken for the rest of the window.
    pub fn keep(mut self) {
        self.kept = true;
    }
}

impl Drop for Slot<'_> {
    fn drop(&mut self) {
        if !self.kept {
            self.windows.give_back(&self.keys, self.at);
        }
    }
}

impl Windows {
    pub fn new(window_secs: u64) -> Windows {
        Windows {
            window: Duration::from_secs(window_secs.max(1)),
            keys: Mutex::new(HashMap::new()),
        }
    }

    /// Takes a slot in every `(key, limit)` window, or none: answers the seconds until the
    /// fullest of them frees one when any is at its limit.
    pub fn reserve(&self, checks: &[(String, usize)]) -> Result<Slot<'_>, u64> {
        let now = Instant::now();
        let mut map = self.keys.lock().unwrap_or_else(|e| e.into_inner());
        let mut wait: Option<u64> = None;
        for (key, limit) in checks {
            if let Some(times) = map.get_mut(key) {
                prune(times, now, self.window);
                if times.len() >= (*limit).max(1)
                    && let Some(oldest) = times.get(times.len() - (*limit).max(1))
                {
                    let until = (*oldest + self.window).saturating_duration_since(now);
                    let secs = until.as_secs().max(1);
                    wait = Some(wait.map_or(secs, |w| w.max(secs)));
                }
            }
        }
        if let Some(secs) = wait {
            return Err(secs);
        }
        self.make_room(&mut map, now, checks.len());
        for (key, _) in checks {
            map.entry(key.clone()).or_default().push_back(now);
        }
        Ok(Slot {
            windows: self,
            keys: checks.iter().map(|(k, _)| k.clone()).collect(),
            at: now,
            kept: false,
        })
    }

    /// Seconds until `key` frees a slot, if it is at `limit`; takes nothing.
    pub fn blocked(&self, key: &str, limit: usize) -> Option<u64> {
        let now = Instant::now();
        let mut map = self.keys.lock().unwrap_or_else(|e| e.into_inner());
        let times = map.get_mut(key)?;
        prune(times, now, self.window);
        let limit = limit.max(1);
        if times.len() < limit {
            return None;
        }
        let oldest = times.get(times.len() - limit)?;
        Some(
            (*oldest + self.window)
                .saturating_duration_since(now)
                .as_secs()
                .max(1),
        )
    }

    /// Counts one attempt against `key` outright.
    pub fn record(&self, key: &str) {
        let now = Instant::now();
        let mut map = self.keys.lock().unwrap_or_else(|e| e.into_inner());
        self.make_room(&mut map, now, 1);
        map.entry(key.to_owned()).or_default().push_back(now);
    }

    /// Forgets everything `key` counted.
    pub fn clear(&self, key: &str) {
        let mut map = self.keys.lock().unwrap_or_else(|e| e.into_inner());
        map.remove(key);
    }

    /// How many keys are kept (expired ones included until the next pruning).
    pub fn len(&self) -> usize {
        self.keys.lock().unwrap_or_else(|e| e.into_inner()).len()
    }

    /// Whether no key is kept.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    fn give_back(&self, keys: &[String], at: Instant) {
        let mut map = self.keys.lock().unwrap_or_else(|e| e.into_inner());
        for key in keys {
            let Some(times) = map.get_mut(key) else {
                continue;
            };
            if let Some(i) = times.iter().rposition(|t| *t == at) {
                times.remove(i);
            }
            if times.is_empty() {
                map.remove(key);
            }
        }
    }

    /// Keeps room for `adding` new keys: prunes expired times, then drops the keys used least
    /// recently (a tenth of them) if that was not enough.
    fn make_room(&self, map: &mut HashMap<String, VecDeque<Instant>>, now: Instant, adding: usize) {
        if map.len() + adding <= MAX_KEYS {
            return;
        }
        let window = self.window;
        map.retain(|_, times| {
            prune(times, now, window);
            !times.is_empty()
        });
        if map.len() + adding <= MAX_KEYS {
            return;
        }
        let mut last_used: Vec<Instant> = map.values().filter_map(|t| t.back().copied()).collect();
        let drop = (MAX_KEYS / 10)
            .max(adding)
            .min(last_used.len().saturating_sub(1));
        let (_, cutoff, _) = last_used.select_nth_unstable(drop);
        let cutoff = *cutoff;
        map.retain(|_, times| times.back().is_some_and(|t| *t >= cutoff));
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

/// How many failed logins each key allows in the window.
#[derive(Debug, Clone, Copy)]
pub struct LoginLimits {
    /// Failures for one account from one client address: the strict limit.
    pub per_account_address: u32,
    /// Failures from one client address, whatever the accounts.
    pub per_address: u32,
    /// Failures for one account from every address together: a much higher ceiling that
    /// slows guessing spread over many addresses without letting a few guesses lock anyone out.
    pub per_account: u32,
}

/// Failed-login limits. An account's owner is refused only by the failures from their own
/// address, or when the account-wide ceiling is reached.
pub struct LoginLimiter {
    limits: LoginLimits,
    windows: Windows,
}

/// A login attempt holding its slots while the password is verified.
pub struct LoginAttempt<'a> {
    slot: Slot<'a>,
    pair_key: Option<String>,
    limiter: &'a LoginLimiter,
}

impl LoginAttempt<'_> {
    /// The password was wrong: the attempt counts in every window.
    pub fn failed(self) {
        self.slot.keep();
    }

    /// The password was right: the slot is given back and this address's failures for the
    /// account are forgotten (those from other addresses, and the address's own, stay).
    pub fn succeeded(self) {
        let LoginAttempt {
            slot,
            pair_key,
            limiter,
        } = self;
        drop(slot);
        if let Some(key) = pair_key {
            limiter.windows.clear(&key);
        }
    }
}

impl LoginLimiter {
    pub fn new(window_secs: u64, limits: LoginLimits) -> LoginLimiter {
        LoginLimiter {
            limits,
            windows: Windows::new(window_secs),
        }
    }

    /// Takes a slot for a login attempt on `account` (when the username is an address at all)
    /// from `address`, or answers the seconds to wait when a limit is reached. Attempts still
    /// being verified hold their slots.
    pub fn reserve(&self, account: Option<&str>, address: &str) -> Result<LoginAttempt<'_>, u64> {
        let mut checks = vec![(
            format!("address:{address}"),
            self.limits.per_address as usize,
        )];
        let pair_key = account.map(|a| format!("pair:{a} {address}"));
        if let (Some(account), Some(pair)) = (account, &pair_key) {
            checks.push((pair.clone(), self.limits.per_account_address as usize));
            checks.push((
                format!("account:{account}"),
                self.limits.per_account as usize,
            ));
        }
        let slot = self.windows.reserve(&checks)?;
        Ok(LoginAttempt {
            slot,
            pair_key,
            limiter: self,
        })
    }
}

/// At most `limit` attempts per client address in the window: SME sign-ups, failed
/// password-reset confirmations.
pub struct AddressLimiter {
    limit: u32,
    windows: Windows,
}

impl AddressLimiter {
    pub fn new(window_secs: u64, limit: u32) -> AddressLimiter {
        AddressLimiter {
            limit,
            windows: Windows::new(window_secs),
        }
    }

    /// Takes a slot for `address`, or answers the seconds to wait.
    pub fn reserve(&self, address: &str) -> Result<Slot<'_>, u64> {
        self.windows
            .reserve(&[(address.to_owned(), self.limit as usize)])
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn limiter(pair: u32, address: u32, account: u32) -> LoginLimiter {
        LoginLimiter::new(
            60,
            LoginLimits {
                per_account_address: pair,
                per_address: address,
                per_account: account,
            },
        )
    }

    #[test]
    fn failures_from_one_address_do_not_lock_the_account_elsewhere() {
        let limiter = limiter(3, 10, 100);
        for _ in 0..3 {
            limiter
                .reserve(Some("a@x.org"), "1.1.1.1")
                .unwrap()
                .failed();
        }
        let wait = limiter
            .reserve(Some("a@x.org"), "1.1.1.1")
            .err()
            .expect("the pair is at its limit");
        assert!((1..=60).contains(&wait));
        limiter
            .reserve(Some("a@x.org"), "2.2.2.2")
            .expect("another address still tries")
            .succeeded();
        limiter
            .reserve(Some("b@x.org"), "1.1.1.1")
            .expect("another account from the same address")
            .failed();
    }

    #[test]
    fn the_address_and_the_account_ceilings_hold() {
        let limiter = limiter(5, 4, 6);
        for i in 0..4 {
            limiter
                .reserve(Some(&format!("u{i}@x.org")), "1.1.1.1")
                .unwrap()
                .failed();
        }
        assert!(limiter.reserve(Some("new@x.org"), "1.1.1.1").is_err());
        assert!(limiter.reserve(None, "1.1.1.1").is_err());
        for i in 0..6 {
            limiter
                .reserve(Some("a@x.org"), &format!("10.0.0.{i}"))
                .unwrap()
                .failed();
        }
        assert!(
            limiter.reserve(Some("a@x.org"), "10.0.0.99").is_err(),
            "the account-wide ceiling"
        );
    }

    #[test]
    fn slots_in_flight_count_and_come_back_when_dropped() {
        let limiter = limiter(2, 10, 100);
        let first = limiter.reserve(Some("a@x.org"), "1.1.1.1").unwrap();
        let second = limiter.reserve(Some("a@x.org"), "1.1.1.1").unwrap();
        assert!(limiter.reserve(Some("a@x.org"), "1.1.1.1").is_err());
        drop(first);
        second.succeeded();
        let third = limiter.reserve(Some("a@x.org"), "1.1.1.1").unwrap();
        third.failed();
        limiter
            .reserve(Some("a@x.org"), "1.1.1.1")
            .unwrap()
            .failed();
        assert!(limiter.reserve(Some("a@x.org"), "1.1.1.1").is_err());
    }

    #[test]
    fn concurrent_reservations_never_pass_the_limit() {
        let limiter = std::sync::Arc::new(limiter(5, 1000, 1000));
        let threads: Vec<_> = (0..40)
            .map(|_| {
                let limiter = limiter.clone();
                std::thread::spawn(move || match limiter.reserve(Some("a@x.org"), "1.1.1.1") {
                    Ok(attempt) => {
                        std::thread::sleep(Duration::from_millis(5));
                        attempt.failed();
                        true
                    }
                    Err(_) => false,
                })
            })
            .collect();
        let evaluated = threads
            .into_iter()
            .map(|t| t.join().unwrap())
            .filter(|ok| *ok)
            .count();
        assert_eq!(evaluated, 5);
    }

    #[test]
    fn memory_stays_bounded() {
        let windows = Windows::new(60);
        for i in 0..(MAX_KEYS + 10) {
            windows.reserve(&[(format!("k{i}"), 3)]).unwrap().keep();
        }
        assert!(windows.len() <= MAX_KEYS, "{}", windows.len());
        assert!(windows.blocked(&format!("k{}", MAX_KEYS + 9), 1).is_some());
    }

    #[test]
    fn address_limits_count_what_is_kept() {
        let limiter = AddressLimiter::new(60, 2);
        limiter.reserve("1.1.1.1").unwrap().keep();
        drop(limiter.reserve("1.1.1.1").unwrap());
        limiter.reserve("1.1.1.1").unwrap().keep();
        assert!(limiter.reserve("1.1.1.1").is_err());
        assert!(limiter.reserve("2.2.2.2").is_ok());
    }
}
