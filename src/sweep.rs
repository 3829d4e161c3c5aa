//! The periodic sweep `serve` runs beside the outbox worker: pending landings whose start date
//! passed undecided become `expired`, approved landings get their start reminder
//! `notify.reminder_days_before` days ahead, and idempotency keys past their retention go. Both decide per landing in the host's time zone,
//! and both are safe with any number of instances: each change is a compare-and-set in its own
//! transaction together with the emails it causes, so a landing expires once and is reminded
//! once, across restarts and instances.

use std::sync::Arc;
use std::time::Duration;

use chrono::Days;

use crate::clock::Clock;
use crate::config::Settings;
use crate::db::landings::{self as store, Actor, Decision, Event};
use crate::db::{Db, DbConnection, write_transaction};
use crate::domain::landing::{LandingAction, transition};
use crate::error::ApiError;
use crate::notify::landings::{Known, LandingNotice, NotifyError, notify};

/// The audit trail's actor for what the sweep does.
const SYSTEM: Actor<'static> = Actor {
    id: "system",
    kind: "system",
};

/// Most landings one pass looks at per kind of work.
const BATCH: i64 = 500;

#[derive(Debug, thiserror::Error)]
pub enum SweepError {
    #[error(transparent)]
    Db(#[from] diesel::result::Error),
    #[error(transparent)]
    Notify(#[from] NotifyError),
    #[error("{0}")]
    Other(String),
}

impl From<ApiError> for SweepError {
    fn from(e: ApiError) -> SweepError {
        SweepError::Other(e.to_string())
    }
}

/// Expires every pending landing whose start date has passed in its host's time zone; answers
/// how many it expired.
pub fn expire_due(
    conn: &mut DbConnection,
    settings: &Settings,
    clock: &Clock,
) -> Result<usize, SweepError> {
    // No time zone is more than a day ahead of UTC, so landings starting after tomorrow (UTC)
    // cannot be due anywhere; the rest are decided per host below.
    let before = clock.now().date_naive() + Days::new(1);
    let mut expired = 0;
    loop {
        let candidates = store::pending_starting_before(conn, before, BATCH)?;
        let seen = candidates.len();
        let mut progressed = 0;
        for (row, timezone) in candidates {
            let today = clock.today_in(&timezone);
            let Ok(to) = transition(row.state(), LandingAction::Expire, today, row.start_date)
            else {
                continue;
            };
            let done = write_transaction(conn, |conn| {
                let Some(updated) = store::set_state(
                    conn,
                    &row.id,
                    row.state(),
                    to,
                    &Decision {
                        decided: true,
                        ..Decision::default()
                    },
                    &Event {
                        actor: &SYSTEM,
                        action: LandingAction::Expire.as_str(),
                        note: Some("the start date passed undecided"),
                    },
                )?
                else {
                    return Ok::<_, SweepError>(false);
                };
                notify(
                    conn,
                    settings,
                    &updated,
                    LandingNotice::Expired,
                    None,
                    Known::default(),
                )?;
                Ok(true)
            })?;
            if done {
                expired += 1;
                progressed += 1;
            }
        }
        // A full batch with nothing to do holds only landings not yet due in their zone.
        if (seen as i64) < BATCH || progressed == 0 {
            return Ok(expired);
        }
    }
}

/// Writes the start reminders of approved landings that begin within
/// `notify.reminder_days_before` days in their host's time zone (and have not begun); answers
/// how many landings it reminded.
pub fn send_reminders(
    conn: &mut DbConnection,
    settings: &Settings,
    clock: &Clock,
) -> Result<usize, SweepError> {
    let ahead = u64::from(settings.notify.reminder_days_before);
    let utc_today = clock.now().date_naive();
    let from = utc_today - Days::new(1);
    let to = utc_today + Days::new(ahead + 1);
    let mut reminded = 0;
    for (row, timezone) in store::approved_starting_between(conn, from, to)? {
        let today = clock.today_in(&timezone);
        let due = today < row.start_date && row.start_date <= today + Days::new(ahead);
        if !due {
            continue;
        }
        let done = write_transaction(conn, |conn| {
            if !store::claim_reminder(conn, &row.id)? {
                return Ok::<_, SweepError>(false);
            }
            notify(
                conn,
                settings,
                &row,
                LandingNotice::Reminder,
                None,
                Known::default(),
            )?;
            Ok(true)
        })?;
        if done {
            reminded += 1;
        }
    }
    Ok(reminded)
}

/// Runs the sweeps every `worker.sweep_interval_secs` until `stop` turns true.
pub async fn run(
    db: Db,
    settings: Arc<Settings>,
    clock: Arc<Clock>,
    mut stop: tokio::sync::watch::Receiver<bool>,
) {
    let period = Duration::from_secs(settings.worker.sweep_interval_secs.max(1));
    loop {
        let (db2, settings2, clock2) = (db.clone(), settings.clone(), clock.clone());
        let outcome = tokio::task::spawn_blocking(move || {
            let mut conn = db2.get().map_err(|e| SweepError::Other(e.to_string()))?;
            let expired = expire_due(&mut conn, &settings2, &clock2)?;
            let reminded = send_reminders(&mut conn, &settings2, &clock2)?;
            let purged = crate::db::idempotency::purge_expired(
                &mut conn,
                crate::db::now() - crate::db::idempotency::KEEP_FOR,
            )?;
            if purged > 0 {
                tracing::info!(purged, "purged expired idempotency keys");
            }
            Ok::<_, SweepError>((expired, reminded))
        })
        .await;
        match outcome {
            Ok(Ok((0, 0))) => {}
            Ok(Ok((expired, reminded))) => {
                tracing::info!(expired, reminded, "landing sweep")
            }
            Ok(Err(e)) => tracing::warn!(error = %e, "the landing sweep failed; it runs again"),
            Err(e) => tracing::error!(error = %e, "the landing sweep panicked"),
        }
        tokio::select! {
            _ = tokio::time::sleep(period) => {}
            _ = stop.changed() => {}
        }
        if *stop.borrow() {
            return;
        }
    }
}
