//! What happens to a landing after its request: the home cluster endorses or declines, the
//! host approves (taking places in the ledger) or rejects, the SME withdraws, either side
//! cancels (giving the places back), the host records how it went; the sweep expires what
//! stayed undecided and reminds of what starts soon.

use chrono::NaiveDate;

use super::{blackouts_of, ranges, subject};
use crate::auth::Principal;
use crate::auth::policy::landings as policy;
use crate::db::audit::Actor;
use crate::db::landings::{self as store, Decision, Event, LandingRow};
use crate::db::ledger::{self, Taken};
use crate::domain::calendar::open_days;
use crate::domain::ids::LandingId;
use crate::domain::landing::{IllegalLandingTransition, LandingAction, transition};
use crate::domain::offer::OfferState;
use crate::domain::partnership::PartnershipState;
use crate::error::{ApiError, FieldError};
use crate::notify::landings::LandingNotice;
use crate::service::Tx;
use crate::service::events::{DomainEvent, LandingEvent, Parties};
use crate::state::AppState;

/// What an action carries: each action reads the one field the contract gives it.
#[derive(Debug, Default, Clone)]
pub struct ActionInput {
    /// `endorse`: an optional note to the host.
    pub note: Option<String>,
    /// `decline`, `reject`, `cancel`: required.
    pub reason: Option<String>,
    /// `approve`: an optional message to the SME.
    pub message: Option<String>,
    /// `complete`: an optional account of how it went.
    pub outcome: Option<String>,
}

impl ActionInput {
    /// Checks the input against the action: its field, and no other.
    fn for_action(self, action: LandingAction) -> Result<(Decision, Option<String>), ApiError> {
        let field = match action {
            LandingAction::Endorse => Some("note"),
            LandingAction::Decline | LandingAction::Reject | LandingAction::Cancel => {
                Some("reason")
            }
            LandingAction::Approve => Some("message"),
            LandingAction::Complete => Some("outcome"),
            LandingAction::Withdraw | LandingAction::NoShow | LandingAction::Expire => None,
        };
        let given = [
            ("note", &self.note),
            ("reason", &self.reason),
            ("message", &self.message),
            ("outcome", &self.outcome),
        ];
        let mut errors: Vec<FieldError> = given
            .iter()
            .filter(|(name, value)| value.is_some() && Some(*name) != field)
            .map(|(name, _)| {
                FieldError::new(*name, format!("is not a field of {}", action.as_str()))
            })
            .collect();
        if action.needs_reason() && self.reason.is_none() {
            errors.push(FieldError::new("reason", "is required"));
        }
        if !errors.is_empty() {
            return Err(ApiError::validation(errors));
        }
        let note = self
            .note
            .clone()
            .or(self.reason.clone())
            .or(self.message.clone())
            .or(self.outcome.clone());
        let decision = Decision {
            endorsement_note: self.note,
            message: self.message,
            reason: self.reason,
            outcome: self.outcome,
            days: None,
            decided: matches!(
                action,
                LandingAction::Endorse
                    | LandingAction::Decline
                    | LandingAction::Approve
                    | LandingAction::Reject
            ),
        };
        Ok((decision, note))
    }
}

/// Applies `action` to the landing `id` as `actor`, with everything it writes (ledger, audit
/// event, emails) in one transaction.
pub async fn act(
    app: &AppState,
    actor: Principal,
    id: LandingId,
    action: LandingAction,
    input: ActionInput,
) -> Result<LandingRow, ApiError> {
    app.write(move |tx| act_in(tx, &actor, &id, action, input))
        .await
}

fn act_in(
    tx: &mut Tx<'_>,
    principal: &Principal,
    id: &str,
    action: LandingAction,
    input: ActionInput,
) -> Result<LandingRow, ApiError> {
    let parties =
        store::find_with_parties(tx.conn, id)?.ok_or_else(|| ApiError::not_found("landing"))?;
    let row = &parties.landing;
    policy::act(principal, subject(row), action)?;
    let (mut decision, note) = input.for_action(action)?;
    let from = row.state;
    let to = transition(
        from,
        action,
        tx.today_in(&parties.host.timezone),
        row.start_date,
    )
    .map_err(illegal)?;
    if matches!(action, LandingAction::Endorse | LandingAction::Approve) {
        require_active_partnership(parties.partnership_state)?;
    }
    match action {
        LandingAction::Approve => decision.days = Some(approve_places(tx, row)?),
        LandingAction::Cancel => {
            ledger::lock_offer(tx.conn, &row.offer_id)?;
            ledger::release_places(tx.conn, &row.offer_id, row.headcount, &row.days())?;
        }
        _ => {}
    }
    let event = Event {
        actor: Actor::by_role(principal),
        action: action.as_str(),
        note: note.as_deref(),
    };
    let updated = store::set_state(tx.conn, row, to, &decision, &event)?
        .ok_or_else(|| ApiError::changed_meanwhile("landing"))?;
    let what = match action {
        LandingAction::Endorse => Some(LandingNotice::Endorsed),
        LandingAction::Decline => Some(LandingNotice::Declined),
        LandingAction::Approve => Some(LandingNotice::Approved),
        LandingAction::Reject => Some(LandingNotice::Rejected),
        LandingAction::Withdraw => Some(LandingNotice::Withdrawn),
        LandingAction::Cancel => Some(LandingNotice::Cancelled {
            by_host: !principal.member_of_sme(&row.sme_id),
        }),
        LandingAction::Expire => Some(LandingNotice::Expired),
        LandingAction::Complete | LandingAction::NoShow => None,
    };
    if matches!(action, LandingAction::Complete | LandingAction::NoShow) {
        tx.record(DomainEvent::LandingConcluded {
            landing: updated.clone(),
        });
    }
    if let Some(what) = what {
        tx.record(DomainEvent::Landing(Box::new(LandingEvent {
            what,
            landing: updated.clone(),
            note,
            parties: Some(Parties {
                offer: parties.offer,
                host: parties.host,
                sme: Some((parties.sme, parties.home)),
            }),
        })));
    }
    Ok(updated)
}

fn illegal(e: IllegalLandingTransition) -> ApiError {
    let code = match e {
        IllegalLandingTransition::Lapsed { .. } => "landing_expired",
        _ => "illegal_transition",
    };
    ApiError::conflict(code, e.to_string())
}

/// A landing goes ahead only while the agreement it was requested under is in force.
fn require_active_partnership(state: PartnershipState) -> Result<(), ApiError> {
    match state {
        PartnershipState::Active => Ok(()),
        other => Err(ApiError::conflict(
            "partnership_not_active",
            format!(
                "the partnership this landing was requested under is {}",
                other.as_str()
            ),
        )),
    }
}

fn capacity_exhausted(full: NaiveDate, headcount: i32, capacity: i32) -> ApiError {
    ApiError::conflict(
        "capacity_exhausted",
        format!("{full} has fewer than {headcount} free places left (capacity {capacity})"),
    )
    .with("first_full_day", full.to_string())
}

/// Takes the landing's places on every open day of its range, or answers which day is full;
/// answers the days taken, with the offer's calendar version they were counted under.
fn approve_places(tx: &mut Tx<'_>, row: &LandingRow) -> Result<(Vec<NaiveDate>, i32), ApiError> {
    let conn = &mut *tx.conn;
    // The days counted at the request stand while the offer's calendar has not moved since:
    // on PostgreSQL one statement then locks the offer and takes them.
    let mut days = row.days();
    if days.len() as i32 == row.open_days {
        match ledger::lock_and_take_places(
            conn,
            &row.offer_id,
            row.headcount,
            &days,
            row.calendar_version,
        )? {
            Taken::All => return Ok((days, row.calendar_version)),
            Taken::Short {
                first_full,
                capacity,
            } => return Err(capacity_exhausted(first_full, row.headcount, capacity)),
            Taken::Undecided => {}
        }
    }
    let offer = ledger::lock_offer(conn, &row.offer_id)?
        .ok_or_else(|| ApiError::internal("a landing names a missing offer"))?;
    if offer.state == OfferState::Archived {
        return Err(ApiError::conflict(
            "offer_archived",
            "the offer was archived; it hosts no further landings",
        ));
    }
    if offer.calendar_version != row.calendar_version || days.len() as i32 != row.open_days {
        let blackouts = blackouts_of(conn, &offer.id)?;
        days = open_days(
            &offer.opening(),
            &ranges(&blackouts),
            row.start_date,
            row.end_date,
        );
        if days.len() as i32 != row.open_days {
            return Err(ApiError::conflict(
                "calendar_changed",
                format!(
                    "the offer's calendar changed since the request: the range now holds {} open days instead of {}",
                    days.len(),
                    row.open_days
                ),
            ));
        }
    }
    match ledger::take_places(conn, &offer.id, offer.capacity, row.headcount, &days)? {
        Ok(()) => Ok((days, offer.calendar_version)),
        Err(full) => Err(capacity_exhausted(full, row.headcount, offer.capacity)),
    }
}

/// Expires the pending landing `id` if its start date has passed in its host's time zone;
/// answers whether it did (another instance, or a decision, may have come first).
pub async fn expire(app: &AppState, id: LandingId, timezone: String) -> Result<bool, ApiError> {
    app.write(move |tx| {
        let Some(row) = store::find(tx.conn, &id)? else {
            return Ok(false);
        };
        let today = tx.today_in(&timezone);
        let Ok(to) = transition(row.state, LandingAction::Expire, today, row.start_date) else {
            return Ok(false);
        };
        let decision = Decision {
            decided: true,
            ..Decision::default()
        };
        let event = Event {
            actor: Actor::SYSTEM,
            action: LandingAction::Expire.as_str(),
            note: Some("the start date passed undecided"),
        };
        let Some(updated) = store::set_state(tx.conn, &row, to, &decision, &event)? else {
            return Ok(false);
        };
        tx.record(DomainEvent::Landing(Box::new(LandingEvent {
            what: LandingNotice::Expired,
            landing: updated,
            note: None,
            parties: None,
        })));
        Ok(true)
    })
    .await
}

/// Sends the start reminder of the approved landing `row`, once across instances and restarts;
/// answers whether this call sent it.
pub async fn remind(app: &AppState, row: LandingRow) -> Result<bool, ApiError> {
    app.write(move |tx| {
        if !store::claim_reminder(tx.conn, &row.id)? {
            return Ok(false);
        }
        tx.record(DomainEvent::Landing(Box::new(LandingEvent {
            what: LandingNotice::Reminder,
            landing: row,
            note: None,
            parties: None,
        })));
        Ok(true)
    })
    .await
}

/// Pending landings starting before `before` (UTC), with their host's time zone, oldest start
/// first: the candidates of [`expire`].
pub async fn pending_starting_before(
    app: &AppState,
    before: NaiveDate,
    limit: i64,
) -> Result<Vec<(LandingRow, String)>, ApiError> {
    app.read(move |tx| Ok(store::pending_starting_before(tx.conn, before, limit)?))
        .await
}

/// Approved, not yet reminded landings starting in `[from, to]` (UTC), with their host's time
/// zone: the candidates of [`remind`].
pub async fn approved_starting_between(
    app: &AppState,
    from: NaiveDate,
    to: NaiveDate,
) -> Result<Vec<(LandingRow, String)>, ApiError> {
    app.read(move |tx| Ok(store::approved_starting_between(tx.conn, from, to)?))
        .await
}
