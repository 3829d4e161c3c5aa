//! `/webhooks`: a cluster's endpoints for partner portals, their secrets (shown once, at
//! registration and at rotation), test events, and the log of deliveries with redelivery.
//! The handlers call [`crate::service::webhooks`].

use actix_web::http::header;
use actix_web::{HttpResponse, delete, get, patch, post, web};
use chrono::{DateTime, NaiveDateTime, Utc};
use secrecy::{ExposeSecret, SecretString};
use serde::{Deserialize, Serialize};

use super::conditional::{IfMatch, etag, with_etag};
use super::extract::{Input, Json, PathId, Query, not_null, nullable};
use super::paging::{Page, decode_cursor, page_limit};
use crate::auth::Principal;
use crate::db::webhooks::WebhookRow;
use crate::error::{ApiError, ApiResult, FieldError};
use crate::service::webhooks::{
    self as service, Delivery, WebhookFields, WebhookPatch, parse_description, parse_events,
};
use crate::state::AppState;
use crate::webhooks::queue::AttemptRow;

fn utc(t: NaiveDateTime) -> DateTime<Utc> {
    t.and_utc()
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct WebhookView {
    pub id: String,
    pub cluster_id: String,
    pub url: String,
    pub description: Option<String>,
    /// Event types and group wildcards (`landing.*`) it receives.
    pub events: Vec<String>,
    pub enabled: bool,
    /// Why the service disabled it (a 410 answer, five days of failures).
    pub disabled_reason: Option<String>,
    /// Since when deliveries have failed without a success in between.
    pub failing_since: Option<DateTime<Utc>>,
    /// Until when the secret before the last rotation still signs too.
    pub previous_secret_expires_at: Option<DateTime<Utc>>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

impl From<WebhookRow> for WebhookView {
    fn from(row: WebhookRow) -> WebhookView {
        let now = crate::db::now();
        WebhookView {
            events: row.events(),
            previous_secret_expires_at: row
                .previous_secret_until
                .filter(|until| *until > now)
                .map(utc),
            id: row.id,
            cluster_id: row.cluster_id,
            url: row.url,
            description: row.description,
            enabled: row.enabled,
            disabled_reason: row.disabled_reason,
            failing_since: row.failing_since.map(utc),
            created_at: utc(row.created_at),
            updated_at: utc(row.updated_at),
        }
    }
}

/// A webhook with its signing secret: answered at registration and rotation only.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct WebhookWithSecret {
    #[serde(flatten)]
    pub webhook: WebhookView,
    /// `whsec_` and the base64 of 32 random bytes; shown this once.
    pub secret: String,
}

fn with_secret(
    row: WebhookRow,
    secret: &SecretString,
    status: actix_web::http::StatusCode,
) -> HttpResponse {
    let tag = etag(&row.id, row.version);
    let location = format!("/api/v1/webhooks/{}", row.id);
    let mut response = HttpResponse::build(status);
    if status == actix_web::http::StatusCode::CREATED {
        response.insert_header((header::LOCATION, location));
    }
    response
        .insert_header((header::ETAG, tag))
        .insert_header((header::CACHE_CONTROL, "no-store"))
        .json(WebhookWithSecret {
            webhook: row.into(),
            secret: secret.expose_secret().to_owned(),
        })
}

#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CreateWebhook {
    /// Where deliveries are POSTed: https (http only outside production), on a public address.
    pub url: Option<String>,
    /// Event types, or a group such as `landing.*`.
    pub events: Option<Vec<String>>,
    pub description: Option<String>,
}

impl Input for CreateWebhook {
    type Parsed = WebhookFields;

    fn parse(self) -> Result<WebhookFields, Vec<FieldError>> {
        let mut errors = Vec::new();
        let url = match self.url.map(|u| u.trim().to_owned()) {
            Some(u) if !u.is_empty() => Some(u),
            _ => {
                errors.push(FieldError::because(
                    "url",
                    "is required",
                    "err-required",
                    vec![],
                ));
                None
            }
        };
        let events = match self.events {
            None => {
                errors.push(FieldError::new("events", "is required"));
                None
            }
            Some(e) => parse_events(e).map_err(|e| errors.push(e)).ok(),
        };
        let description = parse_description(self.description)
            .map_err(|e| errors.push(e))
            .ok();
        match (url, events, description) {
            (Some(url), Some(events), Some(description)) if errors.is_empty() => {
                Ok(WebhookFields {
                    url,
                    events,
                    description,
                })
            }
            _ => Err(errors),
        }
    }
}

/// Registers a webhook for the caller's cluster. The answer holds its signing secret, shown
/// this once.
#[utoipa::path(
    tag = "webhooks",
    security(("bearer" = [])),
    request_body = CreateWebhook,
    responses(
        (status = 201, body = WebhookWithSecret, headers(("Location" = String), ("ETag" = String))),
        (status = 403, body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 422, body = crate::error::Problem, content_type = "application/problem+json")
    )
)]
#[post("/webhooks")]
pub async fn create_webhook(
    state: web::Data<AppState>,
    principal: Principal,
    Json(fields): Json<CreateWebhook>,
) -> ApiResult<HttpResponse> {
    let (row, secret) = service::create(&state, principal, fields).await?;
    Ok(with_secret(
        row,
        &secret,
        actix_web::http::StatusCode::CREATED,
    ))
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
pub struct PageQuery {
    /// Page size, 1 to 100 (default 20).
    pub limit: Option<i64>,
    /// `next_cursor` of the previous page.
    pub cursor: Option<String>,
}

impl PageQuery {
    fn parse(self) -> Result<(i64, Option<String>), ApiError> {
        let limit = page_limit(self.limit).map_err(|e| ApiError::validation(vec![e]))?;
        Ok((limit, decode_cursor(self.cursor.as_deref())?))
    }
}

/// The webhooks of the caller's cluster (the admin: of every cluster), in creation order.
#[utoipa::path(
    tag = "webhooks",
    security(("bearer" = [])),
    params(PageQuery),
    responses(
        (status = 200, body = Page<WebhookView>),
        (status = 403, body = crate::error::Problem, content_type = "application/problem+json")
    )
)]
#[get("/webhooks")]
pub async fn list_webhooks(
    state: web::Data<AppState>,
    principal: Principal,
    Query(query): Query<PageQuery>,
) -> ApiResult<web::Json<Page<WebhookView>>> {
    let (limit, after) = query.parse()?;
    let rows = service::list(&state, principal, after, limit).await?;
    Ok(web::Json(Page::from_rows(
        rows,
        limit,
        |r| &r.id,
        Into::into,
    )))
}

/// One webhook.
#[utoipa::path(
    tag = "webhooks",
    security(("bearer" = [])),
    params(("id" = String, Path, description = "Webhook id")),
    responses(
        (status = 200, body = WebhookView, headers(("ETag" = String))),
        (status = 404, body = crate::error::Problem, content_type = "application/problem+json")
    )
)]
#[get("/webhooks/{id}")]
pub async fn get_webhook(
    state: web::Data<AppState>,
    principal: Principal,
    path: web::Path<PathId>,
) -> ApiResult<HttpResponse> {
    let row = service::get(&state, principal, path.into_inner().0).await?;
    let (id, version) = (row.id.clone(), row.version);
    Ok(with_etag(&WebhookView::from(row), &id, version))
}

#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PatchWebhook {
    #[serde(default, deserialize_with = "not_null")]
    pub url: Option<String>,
    #[serde(default, deserialize_with = "not_null")]
    pub events: Option<Vec<String>>,
    /// `null` clears it.
    #[serde(default, deserialize_with = "nullable")]
    #[schema(value_type = Option<String>)]
    pub description: Option<Option<String>>,
    /// `false` pauses deliveries; `true` resumes them (after the service disabled it, too).
    #[serde(default, deserialize_with = "not_null")]
    pub enabled: Option<bool>,
}

impl Input for PatchWebhook {
    type Parsed = WebhookPatch;

    fn parse(self) -> Result<WebhookPatch, Vec<FieldError>> {
        let mut errors = Vec::new();
        let url = match self.url.map(|u| u.trim().to_owned()) {
            Some(u) if u.is_empty() => {
                errors.push(FieldError::because(
                    "url",
                    "must not be empty",
                    "err-required",
                    vec![],
                ));
                None
            }
            other => other,
        };
        let events = match self.events {
            None => None,
            Some(e) => parse_events(e).map_err(|e| errors.push(e)).ok(),
        };
        let description = match self.description {
            None => None,
            Some(d) => parse_description(d).map_err(|e| errors.push(e)).ok(),
        };
        if !errors.is_empty() {
            return Err(errors);
        }
        Ok(WebhookPatch {
            url,
            events,
            description,
            enabled: self.enabled,
        })
    }
}

/// Edits a webhook (its URL, events, description, or `enabled`); honours `If-Match`.
#[utoipa::path(
    tag = "webhooks",
    security(("bearer" = [])),
    params(("id" = String, Path, description = "Webhook id")),
    request_body = PatchWebhook,
    responses(
        (status = 200, body = WebhookView, headers(("ETag" = String))),
        (status = 404, body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 412, body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 422, body = crate::error::Problem, content_type = "application/problem+json")
    )
)]
#[patch("/webhooks/{id}")]
pub async fn patch_webhook(
    state: web::Data<AppState>,
    principal: Principal,
    path: web::Path<PathId>,
    if_match: IfMatch,
    Json(patch): Json<PatchWebhook>,
) -> ApiResult<HttpResponse> {
    let row = service::update(&state, principal, path.into_inner().0, if_match, patch).await?;
    let (id, version) = (row.id.clone(), row.version);
    Ok(with_etag(&WebhookView::from(row), &id, version))
}

/// Deletes a webhook, its pending deliveries and its delivery log.
#[utoipa::path(
    tag = "webhooks",
    security(("bearer" = [])),
    params(("id" = String, Path, description = "Webhook id")),
    responses(
        (status = 204, description = "Deleted"),
        (status = 404, body = crate::error::Problem, content_type = "application/problem+json")
    )
)]
#[delete("/webhooks/{id}")]
pub async fn delete_webhook(
    state: web::Data<AppState>,
    principal: Principal,
    path: web::Path<PathId>,
) -> ApiResult<HttpResponse> {
    service::delete(&state, principal, path.into_inner().0).await?;
    Ok(HttpResponse::NoContent().finish())
}

/// Gives the webhook a new signing secret, shown this once. For 24 hours the old one signs
/// too: each delivery's `webhook-signature` then carries both signatures.
#[utoipa::path(
    tag = "webhooks",
    security(("bearer" = [])),
    params(("id" = String, Path, description = "Webhook id")),
    responses(
        (status = 200, body = WebhookWithSecret),
        (status = 404, body = crate::error::Problem, content_type = "application/problem+json")
    )
)]
#[post("/webhooks/{id}/rotate-secret")]
pub async fn rotate_secret(
    state: web::Data<AppState>,
    principal: Principal,
    path: web::Path<PathId>,
) -> ApiResult<HttpResponse> {
    let (row, secret) = service::rotate_secret(&state, principal, path.into_inner().0).await?;
    Ok(with_secret(row, &secret, actix_web::http::StatusCode::OK))
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct AttemptView {
    pub attempted_at: DateTime<Utc>,
    /// The answer's status; absent when none came (refused address, connection error, timeout).
    pub status_code: Option<i32>,
    pub duration_ms: i32,
    pub error: Option<String>,
    /// The first 1 KB of the answer's body.
    pub response_body: Option<String>,
}

impl From<AttemptRow> for AttemptView {
    fn from(a: AttemptRow) -> AttemptView {
        AttemptView {
            attempted_at: utc(a.attempted_at),
            status_code: a.status_code,
            duration_ms: a.duration_ms,
            error: a.error,
            response_body: a.response_body,
        }
    }
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct DeliveryView {
    pub id: String,
    pub webhook_id: String,
    /// The event type.
    pub event: String,
    /// The `webhook-id` header: the same on every attempt and redelivery.
    pub message_id: String,
    /// `pending`, `delivered` (a 2xx answer) or `failed` (given up).
    pub status: &'static str,
    /// When the next attempt is due, while pending.
    pub next_attempt_at: Option<DateTime<Utc>>,
    pub last_error: Option<String>,
    pub created_at: DateTime<Utc>,
    pub delivered_at: Option<DateTime<Utc>>,
    /// Every attempt, oldest first.
    pub attempts: Vec<AttemptView>,
}

impl From<Delivery> for DeliveryView {
    fn from((row, attempts): Delivery) -> DeliveryView {
        let status = match row.status.as_str() {
            "sent" => "delivered",
            "dead" => "failed",
            _ => "pending",
        };
        DeliveryView {
            next_attempt_at: (status == "pending").then(|| utc(row.next_attempt_at)),
            id: row.id,
            webhook_id: row.recipient,
            event: row.event,
            message_id: row.message_id,
            status,
            last_error: row.last_error,
            created_at: utc(row.created_at),
            delivered_at: row.sent_at.map(utc),
            attempts: attempts.into_iter().map(Into::into).collect(),
        }
    }
}

/// Sends a `webhook.test` event to the endpoint; answers the queued delivery.
#[utoipa::path(
    tag = "webhooks",
    security(("bearer" = [])),
    params(("id" = String, Path, description = "Webhook id")),
    responses(
        (status = 202, body = DeliveryView),
        (status = 404, body = crate::error::Problem, content_type = "application/problem+json")
    )
)]
#[post("/webhooks/{id}/test")]
pub async fn test_webhook(
    state: web::Data<AppState>,
    principal: Principal,
    path: web::Path<PathId>,
) -> ApiResult<HttpResponse> {
    let delivery = service::send_test(&state, principal, path.into_inner().0).await?;
    Ok(HttpResponse::Accepted().json(DeliveryView::from(delivery)))
}

/// The endpoint's deliveries, newest first, each with every attempt.
#[utoipa::path(
    tag = "webhooks",
    security(("bearer" = [])),
    params(("id" = String, Path, description = "Webhook id"), PageQuery),
    responses(
        (status = 200, body = Page<DeliveryView>),
        (status = 404, body = crate::error::Problem, content_type = "application/problem+json")
    )
)]
#[get("/webhooks/{id}/deliveries")]
pub async fn list_deliveries(
    state: web::Data<AppState>,
    principal: Principal,
    path: web::Path<PathId>,
    Query(query): Query<PageQuery>,
) -> ApiResult<web::Json<Page<DeliveryView>>> {
    let (limit, before) = query.parse()?;
    let rows = service::deliveries(&state, principal, path.into_inner().0, before, limit).await?;
    Ok(web::Json(Page::from_rows(
        rows,
        limit,
        |d| &d.0.id,
        Into::into,
    )))
}

/// Sends a delivery again, due now, with the same `webhook-id` and a fresh retry schedule.
#[utoipa::path(
    tag = "webhooks",
    security(("bearer" = [])),
    params(
        ("id" = String, Path, description = "Webhook id"),
        ("delivery_id" = String, Path, description = "Delivery id")
    ),
    responses(
        (status = 202, body = DeliveryView),
        (status = 404, body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 409, body = crate::error::Problem, content_type = "application/problem+json")
    )
)]
#[post("/webhooks/{id}/deliveries/{delivery_id}/redeliver")]
pub async fn redeliver(
    state: web::Data<AppState>,
    principal: Principal,
    path: web::Path<(PathId, PathId)>,
) -> ApiResult<HttpResponse> {
    let (id, delivery) = path.into_inner();
    let delivery = service::redeliver(&state, principal, id.0, delivery.0).await?;
    Ok(HttpResponse::Accepted().json(DeliveryView::from(delivery)))
}
