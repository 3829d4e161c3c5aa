//! The periodic sweeps `serve` runs beside the outbox worker. The landing sweep: pending
//! landings whose start date passed undecided become `expired`, approved landings get their
//! start reminder `notify.reminder_days_before` days ahead, idempotency keys past their
//! retention go, and portal sessions that are over are removed. It decides per landing in the
//! host's time zone and is safe with any number of instances: each change is a compare-and-set
//! in its own transaction together with the emails it causes, so a landing expires once and is
//! reminded once, across restarts and instances. The fold, on a shorter period, moves the
//! reports' appended tally changes into the tallies ([`crate::db::tallies::fold`], itself safe
//! beside other instances).

use std::time::Duration;

use chrono::Days;

use crate::error::ApiError;
use crate::service::landings;
use crate::state::AppState;

/// Most landings one pass looks at per kind of work.
const BATCH: i64 = 500;

/// Expires every pending landing whose start date has passed in its host's time zone; answers
/// how many it expired.
pub async fn expire_due(app: &AppState) -> Result<usize, ApiError> {
    // No time zone is more than a day ahead of UTC, so landings starting after tomorrow (UTC)
    // cannot be due anywhere; the rest are decided per host by the use case.
    let before = app.clock.now().date_naive() + Days::new(1);
    let mut expired = 0;
    loop {
        let candidates = landings::pending_starting_before(app, before, BATCH).await?;
        let seen = candidates.len();
        let mut progressed = 0;
        for (row, timezone) in candidates {
            if landings::expire(app, row.id, timezone).await? {
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
pub async fn send_reminders(app: &AppState) -> Result<usize, ApiError> {
    let ahead = u64::from(app.settings.notify.reminder_days_before);
    let utc_today = app.clock.now().date_naive();
    let from = utc_today - Days::new(1);
    let to = utc_today + Days::new(ahead + 1);
    let mut reminded = 0;
    for (row, timezone) in landings::approved_starting_between(app, from, to).await? {
        let today = app.clock.today_in(&timezone);
        let due = today < row.start_date && row.start_date <= today + Days::new(ahead);
        if due && landings::remind(app, row).await? {
            reminded += 1;
        }
    }
    Ok(reminded)
}

/// Deletes idempotency keys past their retention; answers how many.
async fn purge_idempotency_keys(app: &AppState) -> Result<usize, ApiError> {
    let before = app.clock.stamp() - crate::db::idempotency::KEEP_FOR;
    crate::db::pool::run(&app.db, move |conn| {
        Ok(crate::db::idempotency::purge_expired(conn, before)?)
    })
    .await
}

/// Runs the sweeps every `worker.sweep_interval_secs` until `stop` turns true.
pub async fn run(
    app: actix_web::web::Data<AppState>,
    mut stop: tokio::sync::watch::Receiver<bool>,
) {
    let period = Duration::from_secs(app.settings.worker.sweep_interval_secs.max(1));
    loop {
        let outcome = async {
            let expired = expire_due(&app).await?;
            let reminded = send_reminders(&app).await?;
            let purged = purge_idempotency_keys(&app).await?;
            if purged > 0 {
                tracing::info!(purged, "purged expired idempotency keys");
            }
            let ended = crate::service::sessions::remove_stale(&app).await?;
            if ended > 0 {
                tracing::info!(ended, "removed portal sessions that are over");
            }
            Ok::<_, ApiError>((expired, reminded))
        }
        .await;
        match outcome {
            Ok((0, 0)) => {}
            Ok((expired, reminded)) => tracing::info!(expired, reminded, "landing sweep"),
            Err(e) => tracing::warn!(error = %e, "the landing sweep failed; it runs again"),
        }
        if stopped_during(period, &mut stop).await {
            return;
        }
    }
}

/// Folds the reports' appended tally changes into the tallies every
/// `worker.fold_interval_secs` until `stop` turns true. A report reads the changes not yet
/// folded row by row, so after a burst of landings this keeps its reads short.
pub async fn fold(
    app: actix_web::web::Data<AppState>,
    mut stop: tokio::sync::watch::Receiver<bool>,
) {
    let period = Duration::from_secs(app.settings.worker.fold_interval_secs.max(1));
    loop {
        let folded = crate::db::pool::run(&app.db, |conn| {
            Ok::<_, ApiError>(crate::db::tallies::fold(conn)?)
        })
        .await;
        match folded {
            Ok(0) => {}
            Ok(folded) => tracing::debug!(folded, "folded changes into the reports' tallies"),
            Err(e) => {
                tracing::warn!(error = %e, "folding the reports' tallies failed; it runs again")
            }
        }
        if stopped_during(period, &mut stop).await {
            return;
        }
    }
}

/// Waits `period`, or less if `stop` turns true meanwhile; answers whether it did.
async fn stopped_during(period: Duration, stop: &mut tokio::sync::watch::Receiver<bool>) -> bool {
    tokio::select! {
        _ = tokio::time::sleep(period) => {}
        _ = stop.changed() => {}
    }
    *stop.borrow()
}
