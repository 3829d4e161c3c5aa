//! An offer's blackouts: days it is closed whatever its window and weekdays say.

use actix_web::http::header;
use actix_web::{HttpResponse, delete, get, post, web};
use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

use crate::api::extract::{Input, Json};
use crate::api::paging::Page;
use crate::auth::{MaybePrincipal, Principal};
use crate::db::offers::BlackoutRow;
use crate::domain::ids::{BlackoutId, OfferId};
use crate::domain::values::{Fields, text};
use crate::error::{ApiResult, FieldError};
use crate::service::offers::{self, NewBlackout};
use crate::state::AppState;

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
            id: b.id.into(),
            offer_id: b.offer_id.into(),
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

impl Input for CreateBlackout {
    type Parsed = NewBlackout;

    fn parse(self) -> Result<NewBlackout, Vec<FieldError>> {
        let mut f = Fields::new();
        // A blackout may be as long as the calendar.
        let range = f.date_range(self.start_date, self.end_date, i64::MAX, "");
        let reason = f
            .required("reason", self.reason)
            .and_then(|v| f.check("reason", text(&v, 1, 500)));
        f.finish(|| {
            Some(NewBlackout {
                range: range?,
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
    path: web::Path<OfferId>,
    Json(blackout): Json<CreateBlackout>,
) -> ApiResult<HttpResponse> {
    let row = offers::add_blackout(&state, principal, path.into_inner(), blackout).await?;
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
        (status = 200, body = crate::api::paging::Page<BlackoutView>),
        (status = 404, body = crate::error::Problem, content_type = "application/problem+json")
    )
)]
#[get("/offers/{id}/blackouts")]
pub async fn list_blackouts(
    state: web::Data<AppState>,
    MaybePrincipal(principal): MaybePrincipal,
    path: web::Path<OfferId>,
) -> ApiResult<web::Json<Page<BlackoutView>>> {
    let rows = offers::blackouts(&state, principal, path.into_inner()).await?;
    Ok(web::Json(Page {
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
    path: web::Path<(OfferId, BlackoutId)>,
) -> ApiResult<HttpResponse> {
    let (id, blackout_id) = path.into_inner();
    offers::remove_blackout(&state, principal, id, blackout_id).await?;
    Ok(HttpResponse::NoContent().finish())
}
