//! What callers read of landings: one, the list, the audit trail, the calendar entry.

use actix_web::http::header;
use actix_web::{HttpResponse, get, web};
use serde::Deserialize;

use super::LandingView;
use crate::api::audit::AuditEvent;
use crate::api::conditional::with_etag;
use crate::api::extract::Query;
use crate::api::paging::{Page, decode_cursor, page_limit};
use crate::auth::Principal;
use crate::domain::ids::LandingId;
use crate::domain::landing::LandingState;
use crate::domain::values::{Fields, date};
use crate::error::{ApiError, ApiResult};
use crate::service::landings::{self, ListQuery};
use crate::state::AppState;

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
    path: web::Path<LandingId>,
) -> ApiResult<HttpResponse> {
    let row = landings::get(&state, principal, path.into_inner()).await?;
    let (id, version) = (row.id.clone(), row.version);
    Ok(with_etag(&LandingView::from(row), &id, version))
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

impl LandingQuery {
    fn parse(self) -> Result<ListQuery, ApiError> {
        let mut f = Fields::new();
        let wanted_state = self.state.and_then(|s| {
            f.check(
                "state",
                LandingState::parse(&s).ok_or(
                    "must be one of pending_endorsement, pending_approval, approved, rejected, declined, withdrawn, cancelled, completed, no_show, expired",
                ),
            )
        });
        let from = self.from.and_then(|v| f.check("from", date(&v)));
        let to = self.to.and_then(|v| f.check("to", date(&v)));
        if let (Some(from), Some(to)) = (from, to)
            && to < from
        {
            f.add("to", "must not be before from");
        }
        let limit = f.check("limit", page_limit(self.limit).map_err(|e| e.message));
        let after = decode_cursor(self.cursor.as_deref())?;
        let limit = f.finish(|| limit).map_err(ApiError::validation)?;
        Ok(ListQuery {
            state: wanted_state,
            offer_id: self.offer_id,
            sme_id: self.sme_id,
            host_cluster_id: self.host_cluster_id,
            home_cluster_id: self.home_cluster_id,
            from,
            to,
            after,
            limit,
            ..ListQuery::default()
        })
    }
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
    let limit = query.limit;
    let query = query.parse();
    let limit = query.as_ref().map_or(limit.unwrap_or(0), |q| q.limit);
    let rows = landings::list(&state, principal, query).await?;
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
    path: web::Path<LandingId>,
    Query(query): Query<PageQuery>,
) -> ApiResult<web::Json<Page<AuditEvent>>> {
    let limit = page_limit(query.limit).map_err(|e| ApiError::validation(vec![e]))?;
    let after = decode_cursor(query.cursor.as_deref())?;
    let rows = landings::events(&state, principal, path.into_inner(), after, limit).await?;
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
    path: web::Path<LandingId>,
) -> ApiResult<HttpResponse> {
    let ics = landings::calendar(&state, principal, path.into_inner()).await?;
    Ok(HttpResponse::Ok()
        .content_type("text/calendar; charset=utf-8")
        .insert_header((
            header::CONTENT_DISPOSITION,
            "attachment; filename=\"landing.ics\"",
        ))
        .body(ics))
}
