//! The service's time. Rules that depend on the day (a request may not start in the past, a
//! pending landing expires once its start passed, reminders go out days ahead) ask the
//! [`Clock`] in the application state, never the system directly, so a test moves time rather
//! than rewriting dates in the database, and a run that crosses midnight decides consistently.

use std::sync::atomic::{AtomicI64, Ordering};

use chrono::{DateTime, NaiveDate, TimeDelta, Utc};

/// The system's time, moved by an offset that only tests change.
#[derive(Debug, Default)]
pub struct Clock {
    offset_secs: AtomicI64,
}

impl Clock {
    /// The system's time as it is.
    pub fn system() -> Clock {
        Clock::default()
    }

    pub fn now(&self) -> DateTime<Utc> {
        Utc::now() + TimeDelta::seconds(self.offset_secs.load(Ordering::Relaxed))
    }

    /// Now as the database stores it: UTC, to the microsecond.
    pub fn stamp(&self) -> chrono::NaiveDateTime {
        use chrono::SubsecRound;
        self.now().naive_utc().trunc_subsecs(6)
    }

    /// Today in the IANA time zone `timezone` (UTC if the stored name were ever unknown).
    pub fn today_in(&self, timezone: &str) -> NaiveDate {
        let tz: chrono_tz::Tz = timezone.parse().unwrap_or(chrono_tz::UTC);
        self.now().with_timezone(&tz).date_naive()
    }

    /// Moves this clock's time by `by` (forwards or back): for tests.
    pub fn advance(&self, by: TimeDelta) {
        self.offset_secs
            .fetch_add(by.num_seconds(), Ordering::Relaxed);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn time_moves_only_when_told() {
        let clock = Clock::system();
        let today = clock.today_in("Europe/Berlin");
        clock.advance(TimeDelta::days(2));
        assert_eq!(
            clock.today_in("Europe/Berlin"),
            today + chrono::Days::new(2)
        );
        assert_eq!(clock.today_in("Mars/Olympus"), clock.today_in("UTC"));
    }
}
