//! Offers: a host cluster's managers create and edit them ([`create`], [`update`]), move them
//! through their states ([`act`]), and close days with blackouts ([`add_blackout`],
//! [`remove_blackout`]); anyone reads a published offer and its calendar ([`get`],
//! [`blackouts`], [`availability`]). Changes to an offer's calendar take the offer's ledger lock,
//! so they and approvals happen one after the other and never strand an approved landing.

use chrono::NaiveDate;

use super::Tx;
use super::events::DomainEvent;
use super::precondition::IfMatch;
use crate::auth::{Principal, policy};
use crate::db::clusters::ClusterRow;
use crate::db::offers::{self as store, BlackoutRow, OfferFields, OfferRow};
use crate::db::{DbConnection, clusters, ledger};
use crate::domain::calendar::{self, Day, Opening, Stranded};
use crate::domain::ids::{BlackoutId, ClusterId, OfferId};
use crate::domain::offer::{OfferAction, OfferState, transition};
use crate::domain::values::DateRange;
use crate::error::ApiError;
use crate::state::AppState;

/// Longest availability range, in days.
pub const MAX_RANGE_DAYS: i64 = 366;

/// A new blackout, well-formed.
#[derive(Debug, Clone)]
pub struct NewBlackout {
    pub range: DateRange,
    pub reason: String,
}

/// An offer the caller may see: published ones for everyone, the others for the host.
fn load_visible(
    conn: &mut DbConnection,
    principal: Option<&Principal>,
    id: &str,
) -> Result<OfferRow, ApiError> {
    let row = store::find(conn, id)?.ok_or_else(|| ApiError::not_found("offer"))?;
    policy::offers::view(
        principal,
        &row.cluster_id,
        row.state == OfferState::Published,
    )?;
    Ok(row)
}

/// An offer the caller manages, locked with its ledger.
fn load_managed(tx: &mut Tx<'_>, principal: &Principal, id: &str) -> Result<OfferRow, ApiError> {
    ledger::lock_offer(tx.conn, id)?;
    let row = load_visible(tx.conn, Some(principal), id)?;
    policy::offers::manage(principal, &row.cluster_id)?;
    Ok(row)
}

/// Creates a draft offer of the cluster `cluster_id` (its managers).
pub async fn create(
    app: &AppState,
    actor: Principal,
    cluster_id: ClusterId,
    fields: OfferFields,
) -> Result<OfferRow, ApiError> {
    app.write(move |tx| {
        let cluster =
            clusters::find(tx.conn, &cluster_id)?.ok_or_else(|| ApiError::not_found("cluster"))?;
        policy::offers::manage(&actor, &cluster.id)?;
        Ok(store::insert(tx.conn, &cluster.id, &fields)?)
    })
    .await
}

/// The offers of the cluster `cluster_id` in every state, or in `state` only, newest first;
/// at most `limit` (its managers).
pub async fn of_cluster(
    app: &AppState,
    actor: Principal,
    cluster_id: ClusterId,
    state: Option<OfferState>,
    limit: i64,
) -> Result<Vec<OfferRow>, ApiError> {
    app.read(move |tx| {
        policy::offers::manage(&actor, &cluster_id)?;
        Ok(store::of_cluster(tx.conn, &cluster_id, state, limit)?)
    })
    .await
}

/// The offer `id`; published offers are public.
pub async fn get(
    app: &AppState,
    actor: Option<Principal>,
    id: OfferId,
) -> Result<OfferRow, ApiError> {
    app.read(move |tx| load_visible(tx.conn, actor.as_ref(), &id))
        .await
}

/// Edits an offer: `change` turns the stored offer into the new fields (or says which are
/// wrong). Approved landings keep their places, so capacity cannot go below what a day holds,
/// nor may a day that holds visitors close.
pub async fn update<F>(
    app: &AppState,
    actor: Principal,
    id: OfferId,
    if_match: IfMatch,
    change: F,
) -> Result<OfferRow, ApiError>
where
    F: FnOnce(&OfferRow) -> Result<OfferFields, ApiError> + Send + 'static,
{
    app.write(move |tx| {
        let row = load_managed(tx, &actor, &id)?;
        if row.state == OfferState::Archived {
            return Err(ApiError::conflict(
                "offer_archived",
                "an archived offer does not change",
            ));
        }
        if_match.expected_version(&row.id, row.version)?;
        let fields = change(&row)?;
        let held = ledger::held_days(tx.conn, &row.id)?;
        let blackouts = blackout_ranges(tx.conn, &row.id, None)?;
        let opening = Opening {
            available_from: fields.available_from,
            available_until: fields.available_until,
            weekdays: fields.open_weekdays,
            capacity: fields.capacity,
        };
        match calendar::stranded(&held, &opening, &blackouts) {
            Some(Stranded::OverCapacity { day, booked }) => {
                return Err(ApiError::conflict(
                    "capacity_below_bookings",
                    format!(
                        "approved landings hold {booked} places on {day}; capacity cannot go below that"
                    ),
                )
                .with("first_day", day.to_string()));
            }
            Some(Stranded::Closed { day }) => {
                return Err(ApiError::conflict(
                    "days_booked",
                    format!("approved landings hold places on {day}, which the change would close"),
                )
                .with("first_day", day.to_string()));
            }
            None => {}
        }
        store::update(tx.conn, &row.id, row.version, &fields)?
            .ok_or_else(ApiError::precondition_failed)
    })
    .await
}

/// Publishes, pauses or archives an offer (its host's managers).
pub async fn act(
    app: &AppState,
    actor: Principal,
    id: OfferId,
    action: OfferAction,
) -> Result<OfferRow, ApiError> {
    app.write(move |tx| {
        let row = load_visible(tx.conn, Some(&actor), &id)?;
        policy::offers::manage(&actor, &row.cluster_id)?;
        let from = row.state;
        let to = transition(from, action)
            .map_err(|e| ApiError::conflict("illegal_transition", e.to_string()))?;
        let row = store::set_state(tx.conn, &row.id, from, to)?
            .ok_or_else(|| ApiError::changed_meanwhile("offer"))?;
        if to == OfferState::Published {
            tx.record(DomainEvent::OfferPublished { offer: row.clone() });
        }
        Ok(row)
    })
    .await
}

fn blackout_ranges(
    conn: &mut DbConnection,
    offer_id: &str,
    range: Option<(NaiveDate, NaiveDate)>,
) -> Result<Vec<(NaiveDate, NaiveDate)>, ApiError> {
    Ok(store::blackouts(conn, offer_id, range)?
        .into_iter()
        .map(|b| (b.start_date, b.end_date))
        .collect())
}

/// Closes the offer on the days of the blackout, unless approved landings hold one of them.
pub async fn add_blackout(
    app: &AppState,
    actor: Principal,
    id: OfferId,
    blackout: NewBlackout,
) -> Result<BlackoutRow, ApiError> {
    app.write(move |tx| {
        let offer = load_managed(tx, &actor, &id)?;
        let (start, end) = (blackout.range.start(), blackout.range.end());
        let held = ledger::booked_days(tx.conn, &offer.id, start, end)?;
        if let Some((day, _)) = held.iter().find(|(_, booked)| *booked > 0) {
            return Err(ApiError::conflict(
                "days_booked",
                format!("approved landings hold places on {day}; a blackout cannot close it"),
            )
            .with("first_day", day.to_string()));
        }
        Ok(store::insert_blackout(
            tx.conn,
            &offer.id,
            start,
            end,
            &blackout.reason,
        )?)
    })
    .await
}

/// The offer's blackouts, by start date; visible with the offer.
pub async fn blackouts(
    app: &AppState,
    actor: Option<Principal>,
    id: OfferId,
) -> Result<Vec<BlackoutRow>, ApiError> {
    app.read(move |tx| {
        let offer = load_visible(tx.conn, actor.as_ref(), &id)?;
        Ok(store::blackouts(tx.conn, &offer.id, None)?)
    })
    .await
}

/// Removes a blackout: its days open again.
pub async fn remove_blackout(
    app: &AppState,
    actor: Principal,
    id: OfferId,
    blackout_id: BlackoutId,
) -> Result<(), ApiError> {
    app.write(move |tx| {
        let offer = load_managed(tx, &actor, &id)?;
        if store::delete_blackout(tx.conn, &offer.id, &blackout_id)? {
            Ok(())
        } else {
            Err(ApiError::not_found("blackout"))
        }
    })
    .await
}

/// Per day of `[from, to]` (default: today in the host's time zone and the 29 days after):
/// open or not, capacity, booked and remaining places.
pub async fn availability(
    app: &AppState,
    actor: Option<Principal>,
    id: OfferId,
    from: Option<NaiveDate>,
    to: Option<NaiveDate>,
) -> Result<Vec<Day>, ApiError> {
    app.read(move |tx| {
        let offer = load_visible(tx.conn, actor.as_ref(), &id)?;
        let cluster = clusters::find(tx.conn, &offer.cluster_id)?
            .ok_or_else(|| ApiError::internal("an offer names a missing cluster"))?;
        let from = from.unwrap_or_else(|| tx.today_in(&cluster.timezone));
        let to = match to {
            Some(to) => to,
            None => from
                .checked_add_days(chrono::Days::new(29))
                .ok_or_else(|| ApiError::invalid("from", "is too far in the future"))?,
        };
        if to < from {
            return Err(ApiError::invalid("to", "must not be before from"));
        }
        if (to - from).num_days() + 1 > MAX_RANGE_DAYS {
            return Err(ApiError::invalid(
                "to",
                "the range may span at most 366 days",
            ));
        }
        days_between(tx.conn, &offer, from, to)
    })
    .await
}

/// An offer as its page shows it: with its host, today in the host's time zone, and one month
/// of its calendar.
pub struct OfferMonth {
    pub offer: OfferRow,
    pub host: ClusterRow,
    pub today: NaiveDate,
    /// The month's first and last days.
    pub first: NaiveDate,
    pub last: NaiveDate,
    pub days: Vec<Day>,
}

/// The offer `id` with its host and the calendar of the month that starts on `month`, or of
/// the month it is next open in ([`calendar::first_shown_month`]); one read.
pub async fn month(
    app: &AppState,
    actor: Option<Principal>,
    id: OfferId,
    month: Option<NaiveDate>,
) -> Result<OfferMonth, ApiError> {
    app.read(move |tx| {
        let (offer, host) = visible_with_host(tx.conn, actor.as_ref(), &id)?;
        let today = tx.today_in(&host.timezone);
        let first = month.unwrap_or_else(|| calendar::first_shown_month(&offer.opening(), today));
        let last = calendar::last_of_month(first);
        let days = days_between(tx.conn, &offer, first, last)?;
        Ok(OfferMonth {
            offer,
            host,
            today,
            first,
            last,
            days,
        })
    })
    .await
}

/// The offer `id` with its host cluster, in one read.
pub async fn with_host(
    app: &AppState,
    actor: Option<Principal>,
    id: OfferId,
) -> Result<(OfferRow, ClusterRow), ApiError> {
    app.read(move |tx| visible_with_host(tx.conn, actor.as_ref(), &id))
        .await
}

fn visible_with_host(
    conn: &mut DbConnection,
    actor: Option<&Principal>,
    id: &str,
) -> Result<(OfferRow, ClusterRow), ApiError> {
    let offer = load_visible(conn, actor, id)?;
    let host = clusters::find(conn, &offer.cluster_id)?
        .ok_or_else(|| ApiError::internal("an offer names a missing cluster"))?;
    Ok((offer, host))
}

/// The calendar of `offer` from `from` to `to`, with its blackouts and the places booked.
fn days_between(
    conn: &mut DbConnection,
    offer: &OfferRow,
    from: NaiveDate,
    to: NaiveDate,
) -> Result<Vec<Day>, ApiError> {
    let blackouts = blackout_ranges(conn, &offer.id, Some((from, to)))?;
    let booked = ledger::booked_days(conn, &offer.id, from, to)?;
    Ok(calendar::days(
        &offer.opening(),
        &blackouts,
        &booked,
        from,
        to,
    ))
}
