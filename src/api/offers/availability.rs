//! An offer's calendar of free places.

use actix_web::{get, web};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::api::extract::Query;
use crate::auth::MaybePrincipal;
use crate::domain::ids::OfferId;
use crate::domain::values::{Fields, date};
use crate::error::{ApiError, ApiResult};
use crate::service::offers;
use crate::state::AppState;

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
    path: web::Path<OfferId>,
    Query(query): Query<AvailabilityQuery>,
) -> ApiResult<web::Json<Vec<AvailabilityDay>>> {
    let mut f = Fields::new();
    let from = query.from.and_then(|v| f.check("from", date(&v)));
    let to = query.to.and_then(|v| f.check("to", date(&v)));
    f.finish(|| Some(())).map_err(ApiError::validation)?;
    let days = offers::availability(&state, principal, path.into_inner(), from, to).await?;
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
