//! `/admin/*`: the coordinator's view of the outbox (emails and webhook deliveries), and retrying
//! what failed.

use actix_web::{HttpResponse, get, post, web};
use serde::Deserialize;

use super::extract::{PathId, Query};
use super::paging::page_limit;
use crate::auth::Principal;
use crate::error::{ApiError, ApiResult, FieldError};
use crate::notify::outbox::{OutboxMessage, OutboxPage, OutboxStatus};
use crate::service::admin;
use crate::state::AppState;

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
pub struct OutboxQuery {
    /// `pending`, `sent` or `dead`; all when absent.
    pub status: Option<String>,
    /// Page size, 1 to 100 (default 20).
    pub limit: Option<i64>,
    /// `next_cursor` of the previous page.
    pub cursor: Option<String>,
}

/// Outbox messages, newest first.
#[utoipa::path(
    tag = "admin",
    security(("bearer" = [])),
    params(OutboxQuery),
    responses(
        (status = 200, body = OutboxPage),
        (status = 400, body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 401, body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 403, body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 422, body = crate::error::Problem, content_type = "application/problem+json")
    )
)]
#[get("/admin/outbox")]
pub async fn list_outbox(
    state: web::Data<AppState>,
    principal: Principal,
    Query(query): Query<OutboxQuery>,
) -> ApiResult<web::Json<OutboxPage>> {
    admin::authorise(&principal)?;
    let mut errors = Vec::new();
    let status = match query.status.as_deref() {
        None => None,
        Some(s) => s
            .parse::<OutboxStatus>()
            .map_err(|_| {
                errors.push(FieldError::new(
                    "status",
                    "must be one of pending, sent, dead",
                ))
            })
            .ok(),
    };
    let limit = page_limit(query.limit).map_err(|e| errors.push(e)).ok();
    let (Some(limit), true) = (limit, errors.is_empty()) else {
        return Err(ApiError::validation(errors));
    };
    let page = admin::outbox(&state, principal, status, limit, query.cursor).await?;
    Ok(web::Json(page))
}

/// Puts a dead (or pending) message back in the queue, due now with its attempts reset.
#[utoipa::path(
    tag = "admin",
    security(("bearer" = [])),
    params(("id" = String, Path, description = "Outbox message id")),
    responses(
        (status = 200, body = OutboxMessage),
        (status = 403, body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 404, body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 409, body = crate::error::Problem, content_type = "application/problem+json", description = "Already sent")
    )
)]
#[post("/admin/outbox/{id}/retry")]
pub async fn retry_outbox(
    state: web::Data<AppState>,
    principal: Principal,
    path: web::Path<PathId>,
) -> ApiResult<web::Json<OutboxMessage>> {
    let message = admin::retry_outbox(&state, principal, path.into_inner().0).await?;
    Ok(web::Json(message))
}

/// Switches a person's account off: every session, refresh token, unused link and access
/// token of it ends at once, and it can no longer sign in.
#[utoipa::path(
    tag = "admin",
    security(("bearer" = [])),
    params(("id" = String, Path, description = "User id")),
    responses(
        (status = 204, description = "Disabled (or already disabled)"),
        (status = 403, body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 404, body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 409, body = crate::error::Problem, content_type = "application/problem+json",
            description = "`cannot_disable_self`")
    )
)]
#[post("/admin/users/{id}/disable")]
pub async fn disable_user(
    state: web::Data<AppState>,
    principal: Principal,
    path: web::Path<PathId>,
) -> ApiResult<HttpResponse> {
    admin::disable_user(&state, principal, path.into_inner().0).await?;
    Ok(HttpResponse::NoContent().finish())
}
