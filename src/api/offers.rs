//! `/clusters/{id}/offers` and `/offers/{id}`: what host clusters offer visiting SMEs, their
//! state machine and their blackout periods.

use super::extract::PathId;
use actix_web::http::header;
use actix_web::{HttpResponse, delete, get, patch, post, web};
use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

use super::conditional::{IfMatch, etag, with_etag};
use super::extract::{Input, Json, not_null, nullable};
use crate::auth::{MaybePrincipal, Principal, policy};
use crate::db::offers::{self as store, BlackoutRow, OfferFields, OfferRow};
use crate::db::pool::run;
use crate::db::{DbConnection, clusters, landings, write_transaction};
use crate::domain::offer::{OfferAction, OfferKind, OfferState, Weekdays, transition};
use crate::domain::values::{Fields, date, dedup, language, line, sector, text};
use crate::error::{ApiError, ApiResult, FieldError};
use crate::state::AppState;

/// The longest an offer's window may be, in days.
const MAX_WINDOW_DAYS: i64 = 3 * 366;

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct OfferView {
    pub id: String,
    pub cluster_id: String,
    pub kind: String,
    pub title: String,
    pub description: String,
    pub city: String,
    pub address: Option<String>,
    pub capacity: i32,
    pub available_from: NaiveDate,
    pub available_until: NaiveDate,
    pub max_stay_days: i32,
    pub open_weekdays: Vec<u8>,
    pub languages: Vec<String>,
    pub sectors: Vec<String>,
    pub state: OfferState,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

impl From<OfferRow> for OfferView {
    fn from(row: OfferRow) -> OfferView {
        OfferView {
            state: row.state(),
            open_weekdays: row.weekdays().list(),
            languages: row.languages(),
            sectors: row.sectors(),
            id: row.id,
            cluster_id: row.cluster_id,
            kind: row.kind,
            title: row.title,
            description: row.description,
            city: row.city,
            address: row.address,
            capacity: row.capacity,
            available_from: row.available_from,
            available_until: row.available_until,
            max_stay_days: row.max_stay_days,
            created_at: row.created_at.and_utc(),
            updated_at: row.updated_at.and_utc(),
        }
    }
}

#[derive(Debug, Default, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CreateOffer {
    /// desk_space, introductions, market_briefing, event_access, meeting_room or mentoring.
    pub kind: Option<String>,
    pub title: Option<String>,
    pub description: Option<String>,
    pub city: Option<String>,
    pub address: Option<String>,
    /// Visitors per open day, at least 1.
    pub capacity: Option<i64>,
    /// First day of the window, in the host's time zone.
    pub available_from: Option<String>,
    /// Last day of the window (inclusive).
    pub available_until: Option<String>,
    /// Longest stay in open days.
    pub max_stay_days: Option<i64>,
    /// ISO weekdays the offer is open on; default Monday to Friday.
    pub open_weekdays: Option<Vec<i64>>,
    /// ISO 639-1 codes.
    pub languages: Option<Vec<String>>,
    pub sectors: Option<Vec<String>>,
}

fn in_range(f: &mut Fields, field: &str, value: Option<i64>, min: i64, max: i64) -> Option<i32> {
    let v = f.required(field, value)?;
    if (min..=max).contains(&v) {
        i32::try_from(v).ok()
    } else {
        f.add(field, format!("must be between {min} and {max}"));
        None
    }
}

impl Input for CreateOffer {
    type Parsed = OfferFields;

    fn parse(self) -> Result<OfferFields, Vec<FieldError>> {
        let mut f = Fields::new();
        let kind = f
            .required("kind", self.kind)
            .and_then(|k| f.check("kind", OfferKind::parse(&k)));
        let title = f
            .required("title", self.title)
            .and_then(|v| f.check("title", line(&v, 1, 200)));
        let description = f
            .required("description", self.description)
            .and_then(|v| f.check("description", text(&v, 1, 5000)));
        let city = f
            .required("city", self.city)
            .and_then(|v| f.check("city", line(&v, 1, 120)));
        let address = match self.address {
            Some(a) => f
                .check("address", text(&a, 0, 500))
                .map(|a| Some(a).filter(|a| !a.is_empty())),
            None => Some(None),
        };
        let capacity = in_range(&mut f, "capacity", self.capacity, 1, 10_000);
        let from = f
            .required("available_from", self.available_from)
            .and_then(|v| f.check("available_from", date(&v)));
        let until = f
            .required("available_until", self.available_until)
            .and_then(|v| f.check("available_until", date(&v)));
        if let (Some(from), Some(until)) = (from, until) {
            if until < from {
                f.add("available_until", "must not be before available_from");
            } else if (until - from).num_days() > MAX_WINDOW_DAYS {
                f.add("available_until", "the window may span at most three years");
            }
        }
        let max_stay = in_range(&mut f, "max_stay_days", self.max_stay_days, 1, 90);
        let weekdays = match self.open_weekdays {
            Some(days) => f.check("open_weekdays", Weekdays::parse(&days)),
            None => Some(Weekdays::WORKING_DAYS),
        };
        let languages = f.required("languages", self.languages).and_then(|l| {
            if l.is_empty() {
                f.add("languages", "must name at least one language");
                None
            } else {
                f.each("languages", l, 20, language)
            }
        });
        let sectors = f.each("sectors", self.sectors.unwrap_or_default(), 30, sector);
        f.finish(|| {
            Some(OfferFields {
                kind: kind?.as_str().to_owned(),
                title: title?,
                description: description?,
                city: city?,
                address: address?,
                capacity: capacity?,
                available_from: from?,
                available_until: until?,
                max_stay_days: max_stay?,
                open_weekdays: weekdays?,
                languages: dedup(languages?),
                sectors: dedup(sectors?),
            })
        })
    }
}

/// Creates an offer of the cluster, as a draft.
#[utoipa::path(
    tag = "offers",
    security(("bearer" = [])),
    params(("id" = String, Path, description = "Host cluster id")),
    request_body = CreateOffer,
    responses(
        (status = 201, body = OfferView, headers(("Location" = String), ("ETag" = String))),
        (status = 403, body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 404, body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 422, body = crate::error::Problem, content_type = "application/problem+json")
    )
)]
#[post("/clusters/{id}/offers")]
pub async fn create_offer(
    state: web::Data<AppState>,
    principal: Principal,
    path: web::Path<PathId>,
    Json(fields): Json<CreateOffer>,
) -> ApiResult<HttpResponse> {
    let cluster_id = path.into_inner().0;
    let row = run(&state.db, move |conn| {
        let cluster =
            clusters::find(conn, &cluster_id)?.ok_or_else(|| ApiError::not_found("cluster"))?;
        policy::offers::manage(&principal, &cluster.id)?;
        store::insert(conn, &cluster.id, &fields).map_err(ApiError::from)
    })
    .await?;
    Ok(HttpResponse::Created()
        .insert_header((header::LOCATION, format!("/api/v1/offers/{}", row.id)))
        .insert_header((header::ETAG, etag(&row.id, row.version)))
        .json(OfferView::from(row)))
}

/// Loads an offer the caller may see: published ones for everyone, the others for the host.
pub fn load_visible(
    conn: &mut DbConnection,
    principal: Option<&Principal>,
    id: &str,
) -> Result<OfferRow, ApiError> {
    let row = store::find(conn, id)?.ok_or_else(|| ApiError::not_found("offer"))?;
    policy::offers::view(
        principal,
        &row.cluster_id,
        row.state() == OfferState::Published,
    )?;
    Ok(row)
}

/// One offer; published offers are public.
#[utoipa::path(
    tag = "offers",
    params(("id" = String, Path, description = "Offer id")),
    responses(
        (status = 200, body = OfferView, headers(("ETag" = String))),
        (status = 404, body = crate::error::Problem, content_type = "application/problem+json")
    )
)]
#[get("/offers/{id}")]
pub async fn get_offer(
    state: web::Data<AppState>,
    MaybePrincipal(principal): MaybePrincipal,
    path: web::Path<PathId>,
) -> ApiResult<HttpResponse> {
    let id = path.into_inner().0;
    let row = run(&state.db, move |conn| {
        load_visible(conn, principal.as_ref(), &id)
    })
    .await?;
    let (id, version) = (row.id.clone(), row.version);
    Ok(with_etag(&OfferView::from(row), &id, version))
}

#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PatchOffer {
    #[serde(default, deserialize_with = "not_null")]
    pub kind: Option<String>,
    #[serde(default, deserialize_with = "not_null")]
    pub title: Option<String>,
    #[serde(default, deserialize_with = "not_null")]
    pub description: Option<String>,
    #[serde(default, deserialize_with = "not_null")]
    pub city: Option<String>,
    /// `null` clears it.
    #[serde(default, deserialize_with = "nullable")]
    #[schema(value_type = Option<String>)]
    pub address: Option<Option<String>>,
    #[serde(default, deserialize_with = "not_null")]
    pub capacity: Option<i64>,
    #[serde(default, deserialize_with = "not_null")]
    pub available_from: Option<String>,
    #[serde(default, deserialize_with = "not_null")]
    pub available_until: Option<String>,
    #[serde(default, deserialize_with = "not_null")]
    pub max_stay_days: Option<i64>,
    #[serde(default, deserialize_with = "not_null")]
    pub open_weekdays: Option<Vec<i64>>,
    #[serde(default, deserialize_with = "not_null")]
    pub languages: Option<Vec<String>>,
    #[serde(default, deserialize_with = "not_null")]
    pub sectors: Option<Vec<String>>,
}

/// A patch, checked field by field now and as a whole once applied to the stored offer.
pub struct OfferChanges(PatchOffer);

impl Input for PatchOffer {
    type Parsed = OfferChanges;

    fn parse(self) -> Result<OfferChanges, Vec<FieldError>> {
        Ok(OfferChanges(self))
    }
}

impl OfferChanges {
    fn apply(self, row: &OfferRow) -> Result<OfferFields, ApiError> {
        let p = self.0;
        CreateOffer {
            kind: Some(p.kind.unwrap_or_else(|| row.kind.clone())),
            title: Some(p.title.unwrap_or_else(|| row.title.clone())),
            description: Some(p.description.unwrap_or_else(|| row.description.clone())),
            city: Some(p.city.unwrap_or_else(|| row.city.clone())),
            address: p.address.unwrap_or_else(|| row.address.clone()),
            capacity: Some(p.capacity.unwrap_or(i64::from(row.capacity))),
            available_from: Some(
                p.available_from
                    .unwrap_or_else(|| row.available_from.to_string()),
            ),
            available_until: Some(
                p.available_until
                    .unwrap_or_else(|| row.available_until.to_string()),
            ),
            max_stay_days: Some(p.max_stay_days.unwrap_or(i64::from(row.max_stay_days))),
            open_weekdays: Some(
                p.open_weekdays
                    .unwrap_or_else(|| row.weekdays().list().into_iter().map(i64::from).collect()),
            ),
            languages: Some(p.languages.unwrap_or_else(|| row.languages())),
            sectors: Some(p.sectors.unwrap_or_else(|| row.sectors())),
        }
        .parse()
        .map_err(ApiError::validation)
    }
}

/// Edits an offer (the host's managers); honours `If-Match`.
#[utoipa::path(
    tag = "offers",
    security(("bearer" = [])),
    params(
        ("id" = String, Path, description = "Offer id"),
        ("If-Match" = Option<String>, Header, description = "ETag the change is based on")
    ),
    request_body = PatchOffer,
    responses(
        (status = 200, body = OfferView, headers(("ETag" = String))),
        (status = 403, body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 404, body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 409, body = crate::error::Problem, content_type = "application/problem+json", description = "Archived offers do not change"),
        (status = 412, body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 422, body = crate::error::Problem, content_type = "application/problem+json")
    )
)]
#[patch("/offers/{id}")]
pub async fn patch_offer(
    state: web::Data<AppState>,
    principal: Principal,
    if_match: IfMatch,
    path: web::Path<PathId>,
    Json(changes): Json<PatchOffer>,
) -> ApiResult<HttpResponse> {
    let id = path.into_inner().0;
    let row = run(&state.db, move |conn| {
        write_transaction(conn, |conn| {
            // Approvals take the same lock: a capacity or calendar change and an approval of
            // the same offer happen one after the other, so the check below sees every place.
            landings::lock_offer(conn, &id)?;
            let row = load_visible(conn, Some(&principal), &id)?;
            policy::offers::manage(&principal, &row.cluster_id)?;
            if row.state() == OfferState::Archived {
                return Err(ApiError::conflict(
                    "offer_archived",
                    "an archived offer does not change",
                ));
            }
            if_match.expected_version(&row.id, row.version)?;
            let fields = changes.apply(&row)?;
            check_bookings_still_fit(conn, &row, &fields)?;
            store::update(conn, &row.id, row.version, &fields)?
                .ok_or_else(ApiError::precondition_failed)
        })
    })
    .await?;
    let (id, version) = (row.id.clone(), row.version);
    Ok(with_etag(&OfferView::from(row), &id, version))
}

/// Approved landings keep their places: a change may not cut capacity below what a day holds,
/// nor close a day that holds visitors (window or weekdays).
fn check_bookings_still_fit(
    conn: &mut DbConnection,
    row: &OfferRow,
    fields: &OfferFields,
) -> Result<(), ApiError> {
    let held = store::held_days(conn, &row.id)?;
    if let Some((day, booked)) = held.iter().find(|(_, booked)| *booked > fields.capacity) {
        return Err(ApiError::conflict(
            "capacity_below_bookings",
            format!(
                "approved landings hold {booked} places on {day}; capacity cannot go below that"
            ),
        )
        .with("first_day", day.to_string()));
    }
    let blackouts: Vec<(NaiveDate, NaiveDate)> = store::blackouts(conn, &row.id, None)?
        .into_iter()
        .map(|b| (b.start_date, b.end_date))
        .collect();
    let opening = crate::domain::calendar::Opening {
        available_from: fields.available_from,
        available_until: fields.available_until,
        weekdays: fields.open_weekdays,
        capacity: fields.capacity,
    };
    if let Some((day, _)) = held
        .iter()
        .find(|(day, _)| !crate::domain::calendar::is_open(&opening, &blackouts, *day))
    {
        return Err(ApiError::conflict(
            "days_booked",
            format!("approved landings hold places on {day}, which the change would close"),
        )
        .with("first_day", day.to_string()));
    }
    Ok(())
}

async fn act(
    state: web::Data<AppState>,
    principal: Principal,
    id: String,
    action: OfferAction,
) -> ApiResult<HttpResponse> {
    let row = run(&state.db, move |conn| {
        write_transaction(conn, |conn| {
            let row = load_visible(conn, Some(&principal), &id)?;
            policy::offers::manage(&principal, &row.cluster_id)?;
            let from = row.state();
            let to = transition(from, action)
                .map_err(|e| ApiError::conflict("illegal_transition", e.to_string()))?;
            store::set_state(conn, &row.id, from, to)?.ok_or_else(|| {
                ApiError::conflict(
                    "illegal_transition",
                    "the offer changed meanwhile; fetch it again",
                )
            })
        })
    })
    .await?;
    let (id, version) = (row.id.clone(), row.version);
    Ok(with_etag(&OfferView::from(row), &id, version))
}

macro_rules! offer_action {
    ($name:ident, $path:literal, $action:expr, $doc:literal) => {
        #[doc = $doc]
        #[utoipa::path(
            tag = "offers",
            security(("bearer" = [])),
            params(("id" = String, Path, description = "Offer id")),
            responses(
                (status = 200, body = OfferView),
                (status = 403, body = crate::error::Problem, content_type = "application/problem+json"),
                (status = 404, body = crate::error::Problem, content_type = "application/problem+json"),
                (status = 409, body = crate::error::Problem, content_type = "application/problem+json", description = "Illegal from the current state")
            )
        )]
        #[post($path)]
        pub async fn $name(
            state: web::Data<AppState>,
            principal: Principal,
            path: web::Path<PathId>,
        ) -> ApiResult<HttpResponse> {
            act(state, principal, path.into_inner().0, $action).await
        }
    };
}

offer_action!(
    publish_offer,
    "/offers/{id}/publish",
    OfferAction::Publish,
    "Publishes a draft or paused offer."
);
offer_action!(
    pause_offer,
    "/offers/{id}/pause",
    OfferAction::Pause,
    "Pauses a published offer: it leaves search until published again."
);
offer_action!(
    archive_offer,
    "/offers/{id}/archive",
    OfferAction::Archive,
    "Archives an offer for good."
);

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct BlackoutView {
    pub id: String,
    pub offer_id: String,
    pub start_date: NaiveDate,
    pub end_date: NaiveDate,
    pub reason: String,
    pub created_at: DateTime<Utc>,
}

impl From<BlackoutRow> for BlackoutView {
    fn from(b: BlackoutRow) -> BlackoutView {
        BlackoutView {
            id: b.id,
            offer_id: b.offer_id,
            start_date: b.start_date,
            end_date: b.end_date,
            reason: b.reason,
            created_at: b.created_at.and_utc(),
        }
    }
}

#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CreateBlackout {
    pub start_date: Option<String>,
    pub end_date: Option<String>,
    pub reason: Option<String>,
}

pub struct NewBlackout {
    start: NaiveDate,
    end: NaiveDate,
    reason: String,
}

impl Input for CreateBlackout {
    type Parsed = NewBlackout;

    fn parse(self) -> Result<NewBlackout, Vec<FieldError>> {
        let mut f = Fields::new();
        let start = f
            .required("start_date", self.start_date)
            .and_then(|v| f.check("start_date", date(&v)));
        let end = f
            .required("end_date", self.end_date)
            .and_then(|v| f.check("end_date", date(&v)));
        if let (Some(s), Some(e)) = (start, end)
            && e < s
        {
            f.add("end_date", "must not be before start_date");
        }
        let reason = f
            .required("reason", self.reason)
            .and_then(|v| f.check("reason", text(&v, 1, 500)));
        f.finish(|| {
            Some(NewBlackout {
                start: start?,
                end: end?,
                reason: reason?,
            })
        })
    }
}

/// Closes the offer on the days of `[start_date, end_date]`.
#[utoipa::path(
    tag = "offers",
    security(("bearer" = [])),
    params(("id" = String, Path, description = "Offer id")),
    request_body = CreateBlackout,
    responses(
        (status = 201, body = BlackoutView, headers(("Location" = String))),
        (status = 403, body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 404, body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 422, body = crate::error::Problem, content_type = "application/problem+json")
    )
)]
#[post("/offers/{id}/blackouts")]
pub async fn create_blackout(
    state: web::Data<AppState>,
    principal: Principal,
    path: web::Path<PathId>,
    Json(blackout): Json<CreateBlackout>,
) -> ApiResult<HttpResponse> {
    let id = path.into_inner().0;
    let row = run(&state.db, move |conn| {
        write_transaction(conn, |conn| {
            landings::lock_offer(conn, &id)?;
            let offer = load_visible(conn, Some(&principal), &id)?;
            policy::offers::manage(&principal, &offer.cluster_id)?;
            let held = store::booked_days(conn, &offer.id, blackout.start, blackout.end)?;
            if let Some((day, _)) = held.iter().find(|(_, booked)| *booked > 0) {
                return Err(ApiError::conflict(
                    "days_booked",
                    format!("approved landings hold places on {day}; a blackout cannot close it"),
                )
                .with("first_day", day.to_string()));
            }
            store::insert_blackout(
                conn,
                &offer.id,
                blackout.start,
                blackout.end,
                &blackout.reason,
            )
            .map_err(ApiError::from)
        })
    })
    .await?;
    Ok(HttpResponse::Created()
        .insert_header((
            header::LOCATION,
            format!("/api/v1/offers/{}/blackouts/{}", row.offer_id, row.id),
        ))
        .json(BlackoutView::from(row)))
}

/// The offer's blackouts, by start date; visible with the offer.
#[utoipa::path(
    tag = "offers",
    params(("id" = String, Path, description = "Offer id")),
    responses(
        (status = 200, body = super::paging::Page<BlackoutView>),
        (status = 404, body = crate::error::Problem, content_type = "application/problem+json")
    )
)]
#[get("/offers/{id}/blackouts")]
pub async fn list_blackouts(
    state: web::Data<AppState>,
    MaybePrincipal(principal): MaybePrincipal,
    path: web::Path<PathId>,
) -> ApiResult<web::Json<super::paging::Page<BlackoutView>>> {
    let id = path.into_inner().0;
    let rows = run(&state.db, move |conn| {
        let offer = load_visible(conn, principal.as_ref(), &id)?;
        store::blackouts(conn, &offer.id, None).map_err(ApiError::from)
    })
    .await?;
    Ok(web::Json(super::paging::Page {
        items: rows.into_iter().map(Into::into).collect(),
        next_cursor: None,
    }))
}

/// Removes a blackout: its days open again.
#[utoipa::path(
    tag = "offers",
    security(("bearer" = [])),
    params(
        ("id" = String, Path, description = "Offer id"),
        ("bid" = String, Path, description = "Blackout id")
    ),
    responses(
        (status = 204, description = "Removed"),
        (status = 403, body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 404, body = crate::error::Problem, content_type = "application/problem+json")
    )
)]
#[delete("/offers/{id}/blackouts/{bid}")]
pub async fn delete_blackout(
    state: web::Data<AppState>,
    principal: Principal,
    path: web::Path<(PathId, PathId)>,
) -> ApiResult<HttpResponse> {
    let (PathId(id), PathId(bid)) = path.into_inner();
    run(&state.db, move |conn| {
        // Under the offer's lock, like every change to its calendar.
        write_transaction(conn, |conn| {
            landings::lock_offer(conn, &id)?;
            let offer = load_visible(conn, Some(&principal), &id)?;
            policy::offers::manage(&principal, &offer.cluster_id)?;
            if store::delete_blackout(conn, &offer.id, &bid)? {
                Ok(())
            } else {
                Err(ApiError::not_found("blackout"))
            }
        })
    })
    .await?;
    Ok(HttpResponse::NoContent().finish())
}

/// Longest availability range, in days.
const MAX_RANGE_DAYS: i64 = 366;

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
pub struct AvailabilityQuery {
    /// First day (host's calendar); default today in the host's time zone.
    pub from: Option<String>,
    /// Last day, inclusive; default 29 days after `from`. At most 366 days in all.
    pub to: Option<String>,
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct AvailabilityDay {
    pub date: NaiveDate,
    pub open: bool,
    pub capacity: i32,
    /// Visitors of approved landings on this day.
    pub booked: i32,
    pub remaining: i32,
}

/// Per day of the range: open or not, capacity, booked and remaining places. Days are the
/// host cluster's calendar days; four queries whatever the length of the range.
#[utoipa::path(
    tag = "offers",
    params(("id" = String, Path, description = "Offer id"), AvailabilityQuery),
    responses(
        (status = 200, body = Vec<AvailabilityDay>),
        (status = 400, body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 404, body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 422, body = crate::error::Problem, content_type = "application/problem+json")
    )
)]
#[get("/offers/{id}/availability")]
pub async fn availability(
    state: web::Data<AppState>,
    MaybePrincipal(principal): MaybePrincipal,
    path: web::Path<PathId>,
    super::extract::Query(query): super::extract::Query<AvailabilityQuery>,
) -> ApiResult<web::Json<Vec<AvailabilityDay>>> {
    let mut f = Fields::new();
    let from = query.from.and_then(|v| f.check("from", date(&v)));
    let to = query.to.and_then(|v| f.check("to", date(&v)));
    f.finish(|| Some(())).map_err(ApiError::validation)?;
    let id = path.into_inner().0;
    let clock = state.clock.clone();
    let days = run(&state.db, move |conn| {
        let offer = load_visible(conn, principal.as_ref(), &id)?;
        let cluster = clusters::find(conn, &offer.cluster_id)?
            .ok_or_else(|| ApiError::internal("an offer names a missing cluster"))?;
        let tz: chrono_tz::Tz = cluster.timezone.parse().unwrap_or(chrono_tz::UTC);
        let from = from.unwrap_or_else(|| clock.now().with_timezone(&tz).date_naive());
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
        let blackouts: Vec<(NaiveDate, NaiveDate)> =
            store::blackouts(conn, &offer.id, Some((from, to)))?
                .into_iter()
                .map(|b| (b.start_date, b.end_date))
                .collect();
        let booked = store::booked_days(conn, &offer.id, from, to)?;
        let opening = crate::domain::calendar::Opening {
            available_from: offer.available_from,
            available_until: offer.available_until,
            weekdays: offer.weekdays(),
            capacity: offer.capacity,
        };
        Ok::<_, ApiError>(crate::domain::calendar::days(
            &opening, &blackouts, &booked, from, to,
        ))
    })
    .await?;
    Ok(web::Json(
        days.into_iter()
            .map(|d| AvailabilityDay {
                date: d.date,
                open: d.open,
                capacity: d.capacity,
                booked: d.booked,
                remaining: d.remaining,
            })
            .collect(),
    ))
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
pub struct SearchQuery {
    /// Host cluster's country (ISO 3166-1 alpha-2).
    pub country: Option<String>,
    pub city: Option<String>,
    pub kind: Option<String>,
    pub sector: Option<String>,
    /// ISO 639-1 language spoken at the offer.
    pub language: Option<String>,
    pub cluster_id: Option<String>,
    /// Words that must all appear in the title or the description.
    pub q: Option<String>,
    /// With `to` (and `headcount`, default 1): only offers with that many free places on
    /// every day of `[from, to]`.
    pub from: Option<String>,
    pub to: Option<String>,
    pub headcount: Option<i64>,
    /// `true` (SME members): only offers of clusters in an active partnership with the
    /// caller's home cluster.
    pub eligible: Option<bool>,
    pub limit: Option<i64>,
    pub cursor: Option<String>,
}

/// The host cluster, as a search result embeds it.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct ClusterSummary {
    pub id: String,
    pub name: String,
    pub country: String,
    pub city: String,
    pub timezone: String,
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct OfferSearchItem {
    #[serde(flatten)]
    pub offer: OfferView,
    pub cluster: ClusterSummary,
}

/// Published offers, filtered; public. Items embed their host cluster.
#[utoipa::path(
    tag = "offers",
    params(SearchQuery),
    responses(
        (status = 200, body = super::paging::Page<OfferSearchItem>),
        (status = 400, body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 422, body = crate::error::Problem, content_type = "application/problem+json")
    )
)]
#[get("/offers")]
pub async fn search_offers(
    state: web::Data<AppState>,
    MaybePrincipal(principal): MaybePrincipal,
    super::extract::Query(query): super::extract::Query<SearchQuery>,
) -> ApiResult<web::Json<super::paging::Page<OfferSearchItem>>> {
    use crate::domain::values::CountryCode;
    let mut f = Fields::new();
    let country = query
        .country
        .and_then(|c| f.check("country", CountryCode::parse(&c)));
    let kind = query
        .kind
        .and_then(|k| f.check("kind", OfferKind::parse(&k)));
    let sector = query.sector.and_then(|s| f.check("sector", sector(&s)));
    let language = query
        .language
        .and_then(|l| f.check("language", language(&l)));
    let city = query.city.and_then(|c| f.check("city", line(&c, 1, 120)));
    let words: Vec<String> = query
        .q
        .as_deref()
        .unwrap_or("")
        .split_whitespace()
        .map(str::to_owned)
        .collect();
    if words.len() > 10 || words.iter().any(|w| w.chars().count() > 60) {
        f.add("q", "may hold at most 10 words of at most 60 characters");
    }
    let from = query.from.and_then(|v| f.check("from", date(&v)));
    let to = query.to.and_then(|v| f.check("to", date(&v)));
    let headcount = match query.headcount {
        Some(h) if (1..=10_000).contains(&h) => i32::try_from(h).ok(),
        Some(_) => {
            f.add("headcount", "must be between 1 and 10000");
            None
        }
        None => Some(1),
    };
    let range = match (from, to) {
        (Some(from), Some(to)) if to < from => {
            f.add("to", "must not be before from");
            None
        }
        (Some(from), Some(to)) if (to - from).num_days() + 1 > MAX_RANGE_DAYS => {
            f.add("to", "the range may span at most 366 days");
            None
        }
        (Some(from), Some(to)) => headcount.map(|h| (from, to, h)),
        (Some(from), None) => headcount.map(|h| (from, from, h)),
        (None, Some(_)) => {
            f.add("from", "is required with to");
            None
        }
        (None, None) => {
            if query.headcount.is_some() && headcount.is_some() {
                f.add("headcount", "needs from (and to)");
            }
            None
        }
    };
    let eligible = query.eligible.unwrap_or(false);
    let sme = match (&principal, eligible) {
        (_, false) => None,
        (Some(p), true) if p.role == crate::domain::account::Role::SmeMember => p.sme_id.clone(),
        _ => {
            f.add("eligible", "is for SME members: log in as one");
            None
        }
    };
    let limit = f.check(
        "limit",
        super::paging::page_limit(query.limit).map_err(|e| e.message),
    );
    let after = super::paging::decode_cursor(query.cursor.as_deref())?;
    let limit = f.finish(|| limit).map_err(ApiError::validation)?;
    let filter = store::SearchFilter {
        country: country.map(|c| c.as_str().to_owned()),
        city,
        kind: kind.map(|k| k.as_str().to_owned()),
        sector,
        language,
        cluster_id: query.cluster_id,
        words,
        range,
        clusters_in: None,
        after,
        limit,
    };
    let rows = run(&state.db, move |conn| {
        let mut filter = filter;
        if let Some(sme) = sme {
            let home = crate::db::partnerships::home_cluster_of(conn, &sme)?.unwrap_or_default();
            filter.clusters_in = Some(crate::db::partnerships::active_partners(conn, &home)?);
        }
        store::search(conn, &filter).map_err(ApiError::from)
    })
    .await?;
    Ok(web::Json(super::paging::Page::from_rows(
        rows,
        limit,
        |(o, _)| &o.id,
        |(o, c)| OfferSearchItem {
            offer: o.into(),
            cluster: ClusterSummary {
                id: c.id,
                name: c.name,
                country: c.country,
                city: c.city,
                timezone: c.timezone,
            },
        },
    )))
}
