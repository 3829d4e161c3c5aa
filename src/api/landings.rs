//! `/landings`: soft-landing requests, their decisions, audit trail, calendar entry and
//! feedback. The acceptance rules live in [`submit`]; the state machine in
//! [`crate::domain::landing`]; approval takes places in the offer's booking ledger atomically
//! ([`crate::db::landings::take_places`]).

use super::extract::PathId;
use actix_web::http::header;
use actix_web::{HttpResponse, get, post, web};
use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

use super::audit::AuditEvent;
use super::conditional::{etag, with_etag};
use super::extract::{Input, Json, Query};
use super::paging::{Page, decode_cursor, page_limit};
use crate::auth::Principal;
use crate::auth::jwt::SubjectKind;
use crate::auth::policy::landings::{self as policy, ListScope, Subject};
use crate::clock::Clock;
use crate::config::Settings;
use crate::db::landings::{
    self as store, Actor, Decision, Event, LandingRow, ListFilter, NewLanding, Scope, Taken,
};
use crate::db::offers::{self as offers_store, OfferRow};
use crate::db::pool::run;
use crate::db::{DbConnection, clusters, partnerships, smes, write_transaction};
use crate::domain::calendar::{Opening, open_days};
use crate::domain::landing::{IllegalLandingTransition, LandingAction, LandingState, transition};
use crate::domain::offer::{OfferKind, OfferState};
use crate::domain::partnership::PartnershipState;
use crate::domain::sme::Membership;
use crate::domain::values::{Fields, date, dedup, line, text};
use crate::error::{ApiError, ApiResult, FieldError};
use crate::notify::landings::{Known, LandingNotice, NotifyError, calendar_of, notify};
use crate::state::AppState;

/// The longest range a request may name, in calendar days (stays are counted in open days).
const MAX_RANGE_DAYS: i64 = 366;

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct Feedback {
    pub rating: i32,
    pub comment: Option<String>,
    pub at: DateTime<Utc>,
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct LandingView {
    pub id: String,
    pub offer_id: String,
    pub sme_id: String,
    pub host_cluster_id: String,
    pub home_cluster_id: String,
    pub partnership_id: String,
    /// First day, in the host's time zone.
    pub start_date: NaiveDate,
    /// Last day (inclusive).
    pub end_date: NaiveDate,
    pub headcount: i32,
    /// Open days of the offer the landing occupies.
    pub open_days: i32,
    pub purpose: String,
    pub target_market: Option<String>,
    pub requested_services: Vec<String>,
    pub state: LandingState,
    /// The home cluster's note when it endorsed.
    pub endorsement_note: Option<String>,
    /// The host's message when it approved.
    pub message: Option<String>,
    /// Why it was declined, rejected or cancelled.
    pub reason: Option<String>,
    /// The host's account of a completed landing.
    pub outcome: Option<String>,
    pub feedback: Option<Feedback>,
    pub decided_at: Option<DateTime<Utc>>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

impl From<LandingRow> for LandingView {
    fn from(row: LandingRow) -> LandingView {
        LandingView {
            state: row.state(),
            requested_services: row.requested_services(),
            feedback: row.rating.map(|rating| Feedback {
                rating,
                comment: row.feedback_comment.clone(),
                at: row.feedback_at.unwrap_or(row.updated_at).and_utc(),
            }),
            id: row.id,
            offer_id: row.offer_id,
            sme_id: row.sme_id,
            host_cluster_id: row.host_cluster_id,
            home_cluster_id: row.home_cluster_id,
            partnership_id: row.partnership_id,
            start_date: row.start_date,
            end_date: row.end_date,
            headcount: row.headcount,
            open_days: row.open_days,
            purpose: row.purpose,
            target_market: row.target_market,
            endorsement_note: row.endorsement_note,
            message: row.message,
            reason: row.reason,
            outcome: row.outcome,
            decided_at: row.decided_at.map(|t| t.and_utc()),
            created_at: row.created_at.and_utc(),
            updated_at: row.updated_at.and_utc(),
        }
    }
}

fn subject(row: &LandingRow) -> Subject<'_> {
    Subject {
        sme_id: &row.sme_id,
        host_cluster_id: &row.host_cluster_id,
        home_cluster_id: &row.home_cluster_id,
    }
}

fn actor_of(principal: &Principal) -> Actor<'_> {
    Actor {
        id: &principal.id,
        kind: match principal.kind {
            SubjectKind::User => principal.role.as_str(),
            SubjectKind::ApiClient => "api_client",
        },
    }
}

fn notify_failed(e: NotifyError) -> ApiError {
    match e {
        NotifyError::Db(e) => ApiError::from(e),
        other => ApiError::internal(other.to_string()),
    }
}

#[derive(Debug, Default, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CreateLanding {
    pub offer_id: Option<String>,
    /// First day, `YYYY-MM-DD` in the host's time zone; not in the past.
    pub start_date: Option<String>,
    /// Last day (inclusive).
    pub end_date: Option<String>,
    /// Visitors, from 1 to the offer's capacity.
    pub headcount: Option<i64>,
    /// What the SME wants to achieve, 20 to 2000 characters.
    pub purpose: Option<String>,
    pub target_market: Option<String>,
    /// Offer kinds the SME hopes to use.
    pub requested_services: Option<Vec<String>>,
}

/// A request that is well-formed; the rules that need the offer come in [`submit`].
pub struct Request {
    offer_id: String,
    start: NaiveDate,
    end: NaiveDate,
    headcount: i32,
    purpose: String,
    target_market: Option<String>,
    services: Vec<String>,
}

impl Input for CreateLanding {
    type Parsed = Request;

    fn parse(self) -> Result<Request, Vec<FieldError>> {
        let mut f = Fields::new();
        let offer_id = f.required("offer_id", self.offer_id).and_then(|v| {
            f.check(
                "offer_id",
                uuid::Uuid::parse_str(v.trim())
                    .map(|_| v.trim().to_owned())
                    .map_err(|_| "must be an offer id"),
            )
        });
        let start = f
            .required("start_date", self.start_date)
            .and_then(|v| f.check("start_date", date(&v)));
        let end = f
            .required("end_date", self.end_date)
            .and_then(|v| f.check("end_date", date(&v)));
        if let (Some(s), Some(e)) = (start, end) {
            if e < s {
                f.add("end_date", "must not be before start_date");
            } else if (e - s).num_days() >= MAX_RANGE_DAYS {
                f.add("end_date", "a landing spans at most a year");
            }
        }
        let headcount = f.required("headcount", self.headcount).and_then(|h| {
            if (1..=10_000).contains(&h) {
                i32::try_from(h).ok()
            } else {
                f.add(
                    "headcount",
                    "must be at least 1 and at most the offer's capacity",
                );
                None
            }
        });
        let purpose = f.required("purpose", self.purpose).and_then(|v| {
            let n = v.trim().chars().count();
            if (20..=2000).contains(&n) {
                Some(v.trim().to_owned())
            } else {
                f.add(
                    "purpose",
                    format!("must be 20 to 2000 characters (it has {n})"),
                );
                None
            }
        });
        let target_market = match self.target_market {
            Some(t) => f
                .check("target_market", line(&t, 0, 200))
                .map(|t| Some(t).filter(|t| !t.is_empty())),
            None => Some(None),
        };
        let services = f.each(
            "requested_services",
            self.requested_services.unwrap_or_default(),
            6,
            |s: &str| OfferKind::parse(s).map(|k| k.as_str().to_owned()),
        );
        f.finish(|| {
            Some(Request {
                offer_id: offer_id?,
                start: start?,
                end: end?,
                headcount: headcount?,
                purpose: purpose?,
                target_market: target_market?,
                services: dedup(services?),
            })
        })
    }
}

fn opening_of(offer: &OfferRow) -> Opening {
    Opening {
        available_from: offer.available_from,
        available_until: offer.available_until,
        weekdays: offer.weekdays(),
        capacity: offer.capacity,
    }
}

fn blackout_ranges(
    conn: &mut DbConnection,
    offer_id: &str,
) -> Result<Vec<(NaiveDate, NaiveDate, String)>, ApiError> {
    Ok(offers_store::blackouts(conn, offer_id, None)?
        .into_iter()
        .map(|b| (b.start_date, b.end_date, b.reason))
        .collect())
}

/// Every acceptance rule of the contract, in the order that tells the caller most: who may
/// ask (403), whether the offer takes requests (409), then every field at once (422).
fn submit(
    conn: &mut DbConnection,
    settings: &Settings,
    clock: &Clock,
    principal: &Principal,
    req: Request,
) -> Result<LandingRow, ApiError> {
    let sme_id = policy::submit(principal)?;
    let sme = smes::find(conn, sme_id)?.ok_or_else(|| ApiError::forbidden("the SME is gone"))?;
    if sme.membership() != Membership::Verified {
        return Err(ApiError::forbidden_because(
            "sme_not_verified",
            "the SME's home cluster has not verified its membership yet",
        ));
    }
    // The contract answers 409 for an offer that is not published (drafts included); ids are
    // random UUIDv7s, so this tells nobody anything they could enumerate.
    let offer = offers_store::find(conn, &req.offer_id)?
        .ok_or_else(|| ApiError::invalid("offer_id", "no offer has this id"))?;
    if offer.state() != OfferState::Published {
        return Err(ApiError::conflict(
            "offer_not_published",
            format!(
                "the offer is {}; it takes no requests",
                offer.state().as_str()
            ),
        ));
    }
    if offer.cluster_id == sme.home_cluster_id {
        return Err(ApiError::forbidden_because(
            "same_cluster",
            "a soft landing is abroad: the offer belongs to the SME's own home cluster",
        ));
    }
    let partnership = partnerships::open_for_pair(conn, &sme.home_cluster_id, &offer.cluster_id)?
        .filter(|p| p.state() == PartnershipState::Active)
        .ok_or_else(|| {
            ApiError::forbidden_because(
                "no_active_partnership",
                "no active partnership joins the SME's home cluster and the offer's cluster",
            )
        })?;
    let covered = partnership.services();
    if !covered.contains(&offer.kind) {
        return Err(ApiError::forbidden_because(
            "service_not_covered",
            format!(
                "the partnership's terms do not cover {} offers (they cover: {})",
                offer.kind,
                covered.join(", ")
            ),
        ));
    }
    let host = clusters::find(conn, &offer.cluster_id)?
        .ok_or_else(|| ApiError::internal("an offer names a missing cluster"))?;

    let mut errors: Vec<FieldError> = Vec::new();
    for (i, service) in req.services.iter().enumerate() {
        if !covered.contains(service) {
            errors.push(FieldError::new(
                format!("requested_services[{i}]"),
                format!(
                    "is not covered by the partnership's terms (they cover: {})",
                    covered.join(", ")
                ),
            ));
        }
    }
    let today = clock.today_in(&host.timezone);
    if req.start < today {
        errors.push(FieldError::new(
            "start_date",
            format!(
                "is in the past: today is {today} in the host's time zone ({})",
                host.timezone
            ),
        ));
    }
    if req.start < offer.available_from {
        errors.push(FieldError::new(
            "start_date",
            format!(
                "is before the offer's window opens ({})",
                offer.available_from
            ),
        ));
    }
    if req.end > offer.available_until {
        errors.push(FieldError::new(
            "end_date",
            format!(
                "is after the offer's window closes ({})",
                offer.available_until
            ),
        ));
    }
    let blackouts = blackout_ranges(conn, &offer.id)?;
    if let Some((s, e, reason)) = blackouts
        .iter()
        .find(|(s, e, _)| *s <= req.end && req.start <= *e)
    {
        errors.push(FieldError::new(
            "start_date",
            format!("the range touches the offer's blackout from {s} to {e} ({reason})"),
        ));
    }
    let ranges: Vec<(NaiveDate, NaiveDate)> = blackouts.iter().map(|(s, e, _)| (*s, *e)).collect();
    let days = open_days(&opening_of(&offer), &ranges, req.start, req.end);
    let max_days = offer.max_stay_days.min(partnership.max_free_days);
    if days.is_empty() && errors.is_empty() {
        errors.push(FieldError::new(
            "end_date",
            "the range holds no open day of the offer",
        ));
    } else if days.len() as i32 > max_days {
        errors.push(FieldError::new(
            "end_date",
            format!(
                "the range holds {} open days; at most {max_days} (the offer allows {}, the partnership's terms {})",
                days.len(),
                offer.max_stay_days,
                partnership.max_free_days
            ),
        ));
    }
    if req.headcount > offer.capacity {
        errors.push(FieldError::new(
            "headcount",
            format!("exceeds the offer's capacity of {}", offer.capacity),
        ));
    }
    if !errors.is_empty() {
        return Err(ApiError::validation(errors));
    }

    let state = if partnership.home_endorsement_required {
        LandingState::PendingEndorsement
    } else {
        LandingState::PendingApproval
    };
    let row = store::insert(
        conn,
        &NewLanding {
            offer_id: offer.id.clone(),
            sme_id: sme.id.clone(),
            host_cluster_id: offer.cluster_id.clone(),
            home_cluster_id: sme.home_cluster_id.clone(),
            partnership_id: partnership.id.clone(),
            requested_by: principal.id.clone(),
            start_date: req.start,
            end_date: req.end,
            headcount: req.headcount,
            days,
            calendar_version: offer.calendar_version,
            purpose: req.purpose,
            target_market: req.target_market,
            requested_services: req.services,
            state,
        },
    )?;
    store::record_event(
        conn,
        &row.id,
        &actor_of(principal),
        "submit",
        None,
        state,
        None,
    )?;
    let known = Known {
        offer: Some(&offer),
        host: Some(&host),
        sme: None,
    };
    notify(conn, settings, &row, LandingNotice::Submitted, None, known).map_err(notify_failed)?;
    Ok(row)
}

/// Requests a soft landing at a partner cluster's offer (a member of a verified SME).
#[utoipa::path(
    tag = "landings",
    security(("bearer" = [])),
    params(("Idempotency-Key" = Option<String>, Header, description = "Makes a retry safe: the same key and body replay the first answer")),
    request_body = CreateLanding,
    responses(
        (status = 201, body = LandingView, headers(("Location" = String), ("ETag" = String))),
        (status = 403, body = crate::error::Problem, content_type = "application/problem+json", description = "Not an SME member, SME not verified, or no active partnership"),
        (status = 409, body = crate::error::Problem, content_type = "application/problem+json", description = "The offer is not published"),
        (status = 422, body = crate::error::Problem, content_type = "application/problem+json")
    )
)]
#[post("/landings")]
pub async fn create_landing(
    state: web::Data<AppState>,
    principal: Principal,
    Json(req): Json<CreateLanding>,
) -> ApiResult<HttpResponse> {
    let (settings, clock) = (state.settings.clone(), state.clock.clone());
    let row = run(&state.db, move |conn| {
        write_transaction(conn, |conn| {
            submit(conn, &settings, &clock, &principal, req)
        })
    })
    .await?;
    Ok(HttpResponse::Created()
        .insert_header((header::LOCATION, format!("/api/v1/landings/{}", row.id)))
        .insert_header((header::ETAG, etag(&row.id, row.version)))
        .json(LandingView::from(row)))
}

fn load_visible(
    conn: &mut DbConnection,
    principal: &Principal,
    id: &str,
) -> Result<LandingRow, ApiError> {
    let row = store::find(conn, id)?.ok_or_else(|| ApiError::not_found("landing"))?;
    policy::view(principal, subject(&row))?;
    Ok(row)
}

/// One landing.
#[utoipa::path(
    tag = "landings",
    security(("bearer" = [])),
    params(("id" = String, Path, description = "Landing id")),
    responses(
        (status = 200, body = LandingView, headers(("ETag" = String))),
        (status = 404, body = crate::error::Problem, content_type = "application/problem+json")
    )
)]
#[get("/landings/{id}")]
pub async fn get_landing(
    state: web::Data<AppState>,
    principal: Principal,
    path: web::Path<PathId>,
) -> ApiResult<HttpResponse> {
    let id = path.into_inner().0;
    let row = run(&state.db, move |conn| load_visible(conn, &principal, &id)).await?;
    let (id, version) = (row.id.clone(), row.version);
    Ok(with_etag(&LandingView::from(row), &id, version))
}

/// The body of an action: each action reads the one field the contract gives it.
#[derive(Debug, Default, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ActionBody {
    /// `endorse`: an optional note to the host.
    pub note: Option<String>,
    /// `decline`, `reject`, `cancel`: required.
    pub reason: Option<String>,
    /// `approve`: an optional message to the SME.
    pub message: Option<String>,
    /// `complete`: an optional account of how it went.
    pub outcome: Option<String>,
}

impl Input for ActionBody {
    type Parsed = ActionBody;

    fn parse(self) -> Result<ActionBody, Vec<FieldError>> {
        let mut f = Fields::new();
        let clean = |f: &mut Fields, field: &str, v: Option<String>| match v {
            Some(v) => f
                .check(field, text(&v, 0, 2000))
                .map(|v| Some(v).filter(|v| !v.is_empty())),
            None => Some(None),
        };
        let note = clean(&mut f, "note", self.note);
        let reason = clean(&mut f, "reason", self.reason);
        let message = clean(&mut f, "message", self.message);
        let outcome = clean(&mut f, "outcome", self.outcome);
        f.finish(|| {
            Some(ActionBody {
                note: note?,
                reason: reason?,
                message: message?,
                outcome: outcome?,
            })
        })
    }
}

impl ActionBody {
    /// Checks the body against the action: its field, and no other.
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

fn illegal(e: IllegalLandingTransition) -> ApiError {
    let code = match e {
        IllegalLandingTransition::Lapsed { .. } => "landing_expired",
        _ => "illegal_transition",
    };
    ApiError::conflict(code, e.to_string())
}

/// A landing goes ahead only while the agreement it was requested under is in force.
fn require_active_partnership(state: &str) -> Result<(), ApiError> {
    match PartnershipState::parse(state) {
        Some(PartnershipState::Active) => Ok(()),
        _ => Err(ApiError::conflict(
            "partnership_not_active",
            format!("the partnership this landing was requested under is {state}"),
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
fn approve_places(
    conn: &mut DbConnection,
    row: &LandingRow,
) -> Result<(Vec<NaiveDate>, i32), ApiError> {
    // The days counted at the request stand while the offer's calendar has not moved since:
    // on PostgreSQL one statement then locks the offer and takes them.
    let mut days = row.days();
    if days.len() as i32 == row.open_days {
        match store::lock_and_take_places(
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
    let offer = store::lock_offer(conn, &row.offer_id)?
        .ok_or_else(|| ApiError::internal("a landing names a missing offer"))?;
    if offer.state() == OfferState::Archived {
        return Err(ApiError::conflict(
            "offer_archived",
            "the offer was archived; it hosts no further landings",
        ));
    }
    if offer.calendar_version != row.calendar_version || days.len() as i32 != row.open_days {
        let ranges: Vec<(NaiveDate, NaiveDate)> = blackout_ranges(conn, &offer.id)?
            .into_iter()
            .map(|(s, e, _)| (s, e))
            .collect();
        days = open_days(&opening_of(&offer), &ranges, row.start_date, row.end_date);
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
    match store::take_places(conn, &offer.id, offer.capacity, row.headcount, &days)? {
        Ok(()) => Ok((days, offer.calendar_version)),
        Err(full) => Err(capacity_exhausted(full, row.headcount, offer.capacity)),
    }
}

/// Applies `action` to the landing `id` as `principal`, with everything it writes (ledger,
/// audit event, emails) in one transaction.
pub fn apply(
    conn: &mut DbConnection,
    settings: &Settings,
    clock: &Clock,
    principal: &Principal,
    id: &str,
    action: LandingAction,
    body: ActionBody,
) -> Result<LandingRow, ApiError> {
    write_transaction(conn, |conn| {
        let parties =
            store::find_with_parties(conn, id)?.ok_or_else(|| ApiError::not_found("landing"))?;
        let (row, host) = (&parties.landing, &parties.host);
        policy::act(principal, subject(row), action)?;
        let (mut decision, note) = body.for_action(action)?;
        let from = row.state();
        let to = transition(from, action, clock.today_in(&host.timezone), row.start_date)
            .map_err(illegal)?;
        if matches!(action, LandingAction::Endorse | LandingAction::Approve) {
            require_active_partnership(&parties.partnership_state)?;
        }
        match action {
            LandingAction::Approve => decision.days = Some(approve_places(conn, row)?),
            LandingAction::Cancel => {
                store::lock_offer(conn, &row.offer_id)?;
                store::release_places(conn, &row.offer_id, row.headcount, &row.days())?;
            }
            _ => {}
        }
        let event = Event {
            actor: &actor_of(principal),
            action: action.as_str(),
            note: note.as_deref(),
        };
        let updated =
            store::set_state(conn, &row.id, from, to, &decision, &event)?.ok_or_else(|| {
                ApiError::conflict(
                    "illegal_transition",
                    "the landing changed meanwhile; fetch it again",
                )
            })?;
        let notice = match action {
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
        if let Some(notice) = notice {
            let known = Known {
                offer: Some(&parties.offer),
                host: Some(host),
                sme: Some((&parties.sme, &parties.home)),
            };
            notify(conn, settings, &updated, notice, note.as_deref(), known)
                .map_err(notify_failed)?;
        }
        Ok(updated)
    })
}

async fn act(
    state: web::Data<AppState>,
    principal: Principal,
    id: String,
    action: LandingAction,
    body: ActionBody,
) -> ApiResult<HttpResponse> {
    let (settings, clock) = (state.settings.clone(), state.clock.clone());
    let row = run(&state.db, move |conn| {
        apply(conn, &settings, &clock, &principal, &id, action, body)
    })
    .await?;
    let (id, version) = (row.id.clone(), row.version);
    Ok(with_etag(&LandingView::from(row), &id, version))
}

macro_rules! landing_action {
    ($name:ident, $path:literal, $action:expr, $doc:literal) => {
        #[doc = $doc]
        #[utoipa::path(
            tag = "landings",
            security(("bearer" = [])),
            params(("id" = String, Path, description = "Landing id")),
            request_body = ActionBody,
            responses(
                (status = 200, body = LandingView),
                (status = 403, body = crate::error::Problem, content_type = "application/problem+json"),
                (status = 404, body = crate::error::Problem, content_type = "application/problem+json"),
                (status = 409, body = crate::error::Problem, content_type = "application/problem+json", description = "Illegal from the current state or date; capacity_exhausted"),
                (status = 422, body = crate::error::Problem, content_type = "application/problem+json")
            )
        )]
        #[post($path)]
        pub async fn $name(
            state: web::Data<AppState>,
            principal: Principal,
            path: web::Path<PathId>,
            Json(body): Json<ActionBody>,
        ) -> ApiResult<HttpResponse> {
            act(state, principal, path.into_inner().0, $action, body).await
        }
    };
}

landing_action!(
    endorse,
    "/landings/{id}/endorse",
    LandingAction::Endorse,
    "The home cluster endorses: pending_endorsement → pending_approval. Body `{note?}`."
);
landing_action!(
    decline,
    "/landings/{id}/decline",
    LandingAction::Decline,
    "The home cluster declines: pending_endorsement → declined. Body `{reason}`."
);
landing_action!(
    approve,
    "/landings/{id}/approve",
    LandingAction::Approve,
    "The host approves, taking the places on every open day atomically: pending_approval → approved, or 409 `capacity_exhausted` with the first full day. Body `{message?}`."
);
landing_action!(
    reject,
    "/landings/{id}/reject",
    LandingAction::Reject,
    "The host rejects: pending_approval → rejected. Body `{reason}`."
);
landing_action!(
    withdraw,
    "/landings/{id}/withdraw",
    LandingAction::Withdraw,
    "The SME withdraws a pending request."
);
landing_action!(
    cancel,
    "/landings/{id}/cancel",
    LandingAction::Cancel,
    "The SME or the host cancels an approved landing before its start date, freeing its places. Body `{reason}`."
);
landing_action!(
    complete,
    "/landings/{id}/complete",
    LandingAction::Complete,
    "The host marks an approved landing completed, on or after its start date. Body `{outcome?}`."
);
landing_action!(
    no_show,
    "/landings/{id}/no-show",
    LandingAction::NoShow,
    "The host records that the visitors did not come, on or after the start date."
);

#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CreateFeedback {
    /// 1 (poor) to 5 (excellent).
    pub rating: Option<i64>,
    pub comment: Option<String>,
}

pub struct NewFeedback {
    rating: i32,
    comment: Option<String>,
}

impl Input for CreateFeedback {
    type Parsed = CreateFeedback;

    /// Checked by [`CreateFeedback::check`] once the caller is known to see the landing, so a
    /// stranger gets the same 404 whatever it sends.
    fn parse(self) -> Result<CreateFeedback, Vec<FieldError>> {
        Ok(self)
    }
}

impl CreateFeedback {
    fn check(self) -> Result<NewFeedback, Vec<FieldError>> {
        let mut f = Fields::new();
        let rating = f.required("rating", self.rating).and_then(|r| {
            if (1..=5).contains(&r) {
                Some(r as i32)
            } else {
                f.add("rating", "must be from 1 to 5");
                None
            }
        });
        let comment = match self.comment {
            Some(c) => f
                .check("comment", text(&c, 0, 2000))
                .map(|c| Some(c).filter(|c| !c.is_empty())),
            None => Some(None),
        };
        f.finish(|| {
            Some(NewFeedback {
                rating: rating?,
                comment: comment?,
            })
        })
    }
}

/// The SME's feedback on a completed landing, once.
#[utoipa::path(
    tag = "landings",
    security(("bearer" = [])),
    params(("id" = String, Path, description = "Landing id")),
    request_body = CreateFeedback,
    responses(
        (status = 201, body = LandingView, headers(("Location" = String))),
        (status = 403, body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 404, body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 409, body = crate::error::Problem, content_type = "application/problem+json", description = "Not completed, or feedback already given"),
        (status = 422, body = crate::error::Problem, content_type = "application/problem+json")
    )
)]
#[post("/landings/{id}/feedback")]
pub async fn feedback(
    state: web::Data<AppState>,
    principal: Principal,
    path: web::Path<PathId>,
    Json(input): Json<CreateFeedback>,
) -> ApiResult<HttpResponse> {
    let id = path.into_inner().0;
    let row = run(&state.db, move |conn| {
        write_transaction(conn, |conn| {
            let row = load_visible(conn, &principal, &id)?;
            policy::feedback(&principal, subject(&row))?;
            let input = input.check().map_err(ApiError::validation)?;
            if row.state() != LandingState::Completed {
                return Err(ApiError::conflict(
                    "landing_not_completed",
                    format!(
                        "feedback comes after the landing is completed; it is {}",
                        row.state().as_str()
                    ),
                ));
            }
            let updated =
                store::set_feedback(conn, &row.id, input.rating, input.comment.as_deref())?
                    .ok_or_else(|| {
                        ApiError::conflict(
                            "feedback_exists",
                            "feedback on this landing was already given",
                        )
                    })?;
            store::record_event(
                conn,
                &row.id,
                &actor_of(&principal),
                "feedback",
                Some(LandingState::Completed),
                LandingState::Completed,
                Some(&format!("rating {}", input.rating)),
            )?;
            Ok(updated)
        })
    })
    .await?;
    Ok(HttpResponse::Created()
        .insert_header((header::LOCATION, format!("/api/v1/landings/{}", row.id)))
        .insert_header((header::ETAG, etag(&row.id, row.version)))
        .json(LandingView::from(row)))
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
pub struct LandingQuery {
    /// One of the landing states.
    pub state: Option<String>,
    pub offer_id: Option<String>,
    pub sme_id: Option<String>,
    pub host_cluster_id: Option<String>,
    pub home_cluster_id: Option<String>,
    /// Landings that end on or after this day.
    pub from: Option<String>,
    /// Landings that start on or before this day.
    pub to: Option<String>,
    pub limit: Option<i64>,
    pub cursor: Option<String>,
}

/// The landings the caller may see: the SME its own, host managers those at their offers, home
/// managers their SMEs', the admin all; in creation order.
#[utoipa::path(
    tag = "landings",
    security(("bearer" = [])),
    params(LandingQuery),
    responses(
        (status = 200, body = Page<LandingView>),
        (status = 400, body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 422, body = crate::error::Problem, content_type = "application/problem+json")
    )
)]
#[get("/landings")]
pub async fn list_landings(
    state: web::Data<AppState>,
    principal: Principal,
    Query(query): Query<LandingQuery>,
) -> ApiResult<web::Json<Page<LandingView>>> {
    let scope = match policy::list(&principal)? {
        ListScope::All => Scope::All,
        ListScope::Sme(id) => Scope::Sme(id),
        ListScope::Cluster(id) => Scope::Cluster(id),
    };
    let mut f = Fields::new();
    let wanted_state = query.state.and_then(|s| {
        f.check(
            "state",
            LandingState::parse(&s).ok_or(
                "must be one of pending_endorsement, pending_approval, approved, rejected, declined, withdrawn, cancelled, completed, no_show, expired",
            ),
        )
    });
    let from = query.from.and_then(|v| f.check("from", date(&v)));
    let to = query.to.and_then(|v| f.check("to", date(&v)));
    if let (Some(from), Some(to)) = (from, to)
        && to < from
    {
        f.add("to", "must not be before from");
    }
    let limit = f.check("limit", page_limit(query.limit).map_err(|e| e.message));
    let after = decode_cursor(query.cursor.as_deref())?;
    let limit = f.finish(|| limit).map_err(ApiError::validation)?;
    let filter = ListFilter {
        scope,
        state: wanted_state,
        offer_id: query.offer_id,
        sme_id: query.sme_id,
        host_cluster_id: query.host_cluster_id,
        home_cluster_id: query.home_cluster_id,
        from,
        to,
        after,
        limit,
    };
    let rows = run(&state.db, move |conn| {
        store::list(conn, &filter).map_err(ApiError::from)
    })
    .await?;
    Ok(web::Json(Page::from_rows(
        rows,
        limit,
        |r| &r.id,
        LandingView::from,
    )))
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
pub struct PageQuery {
    pub limit: Option<i64>,
    pub cursor: Option<String>,
}

/// The landing's audit trail, oldest first: who did what, when, from which state to which.
#[utoipa::path(
    tag = "landings",
    security(("bearer" = [])),
    params(("id" = String, Path, description = "Landing id"), PageQuery),
    responses(
        (status = 200, body = Page<AuditEvent>),
        (status = 404, body = crate::error::Problem, content_type = "application/problem+json")
    )
)]
#[get("/landings/{id}/events")]
pub async fn landing_events(
    state: web::Data<AppState>,
    principal: Principal,
    path: web::Path<PathId>,
    Query(query): Query<PageQuery>,
) -> ApiResult<web::Json<Page<AuditEvent>>> {
    let id = path.into_inner().0;
    let limit = page_limit(query.limit).map_err(|e| ApiError::validation(vec![e]))?;
    let after = decode_cursor(query.cursor.as_deref())?;
    let rows = run(&state.db, move |conn| {
        let row = load_visible(conn, &principal, &id)?;
        store::events(conn, &row.id, after.as_deref(), limit).map_err(ApiError::from)
    })
    .await?;
    Ok(web::Json(Page::from_rows(
        rows,
        limit,
        |e| &e.id,
        AuditEvent::from,
    )))
}

/// The approved landing as an iCalendar all-day event in the host's time zone, with the
/// offer's address.
#[utoipa::path(
    tag = "landings",
    security(("bearer" = [])),
    params(("id" = String, Path, description = "Landing id")),
    responses(
        (status = 200, content_type = "text/calendar", body = String),
        (status = 404, body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 409, body = crate::error::Problem, content_type = "application/problem+json", description = "Only approved landings have a calendar entry")
    )
)]
#[get("/landings/{id}/calendar.ics")]
pub async fn calendar(
    state: web::Data<AppState>,
    principal: Principal,
    path: web::Path<PathId>,
) -> ApiResult<HttpResponse> {
    let id = path.into_inner().0;
    let settings = state.settings.clone();
    let ics = run(&state.db, move |conn| {
        let row = load_visible(conn, &principal, &id)?;
        if row.state() != LandingState::Approved {
            return Err(ApiError::conflict(
                "landing_not_approved",
                format!(
                    "only an approved landing has a calendar entry; this one is {}",
                    row.state().as_str()
                ),
            ));
        }
        calendar_of(conn, &settings, &row).map_err(notify_failed)
    })
    .await?;
    Ok(HttpResponse::Ok()
        .content_type("text/calendar; charset=utf-8")
        .insert_header((
            header::CONTENT_DISPOSITION,
            "attachment; filename=\"landing.ics\"",
        ))
        .body(ics))
}
