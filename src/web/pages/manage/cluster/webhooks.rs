//! `/manage/cluster/webhooks`: the cluster's webhook endpoints — registering one (its `whsec_`
//! secret shown once), editing it (an edit that crosses another says so), deleting it, rotating
//! its secret (the new one shown once), sending a test event — and each endpoint's delivery log,
//! newest first, paged, each delivery with its attempts and a way to deliver it again. The
//! rules (which URLs, which events) are [`crate::service::webhooks`]'.

use actix_web::http::StatusCode;
use actix_web::http::header::{CACHE_CONTROL, HeaderValue};
use actix_web::{HttpResponse, web};
use minijinja::{Value, context};
use secrecy::ExposeSecret;
use serde::{Deserialize, Serialize};

use super::{at, cluster_of};
use crate::db::webhooks::WebhookRow;
use crate::error::{ApiError, FieldError};
use crate::service::precondition::{IfMatch, etag};
use crate::service::webhooks::{
    self as service, Delivery, WebhookFields, WebhookPatch, parse_description, parse_events,
};
use crate::state::AppState;
use crate::web::forms::{FormData, FormErrors, Submitted};
use crate::web::render::{OrPage, PageError, PageResult, page_with_status, see_other_with};
use crate::web::session::Visitor;
use crate::webhooks::{EVENT_TYPES, is_subscribable};

/// Deliveries on one page of the log.
const PAGE: i64 = 20;

/// The first bytes of an answer the log shows.
const ANSWER_BYTES: usize = 200;

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.route("/manage/cluster/webhooks", web::get().to(list))
        .route("/manage/cluster/webhooks", web::post().to(create))
        .route("/manage/cluster/webhooks/{id}", web::get().to(detail))
        .route("/manage/cluster/webhooks/{id}/edit", web::post().to(edit))
        .route(
            "/manage/cluster/webhooks/{id}/delete",
            web::post().to(delete),
        )
        .route(
            "/manage/cluster/webhooks/{id}/rotate",
            web::post().to(rotate),
        )
        .route("/manage/cluster/webhooks/{id}/test", web::post().to(test))
        .route(
            "/manage/cluster/webhooks/{id}/deliveries/{delivery}/redeliver",
            web::post().to(redeliver),
        );
}

/// The wildcard groups (`landing.*`), from the event types the use case accepts.
fn groups() -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for e in EVENT_TYPES {
        if let Some((group, _)) = e.split_once('.') {
            let wildcard = format!("{group}.*");
            if is_subscribable(&wildcard) && !out.contains(&wildcard) {
                out.push(wildcard);
            }
        }
    }
    out
}

/// The choices of the events' checkboxes: each group's wildcard, then its events.
fn event_choices() -> Vec<Value> {
    groups()
        .into_iter()
        .map(|wildcard| {
            let group = wildcard.trim_end_matches(".*").to_owned();
            let events: Vec<&str> = EVENT_TYPES
                .iter()
                .copied()
                .filter(|e| e.starts_with(&format!("{group}.")))
                .collect();
            context! { group, wildcard, events }
        })
        .collect()
}

/// Field errors of a webhook form, in the reader's words.
fn form_errors(visitor: &Visitor, fields: Vec<FieldError>) -> FormErrors {
    let mut errors = FormErrors::from_fields(&fields, visitor);
    for (field, key) in [
        ("events", "err-webhook-events"),
        ("description", "err-webhook-description"),
    ] {
        if errors.by_field.contains_key(field) {
            let message = crate::i18n::text(visitor.locale, key, &[]);
            errors.by_field.insert(field.to_owned(), message.clone());
            for p in errors.summary.iter_mut().filter(|p| p.field == field) {
                p.message = message.clone();
            }
        }
    }
    errors
}

#[derive(Debug, Serialize)]
struct HookView {
    id: String,
    url: String,
    description: Option<String>,
    events: Vec<String>,
    enabled: bool,
    disabled_reason: Option<String>,
    failing_since: Option<String>,
    created_at: String,
    previous_secret_until: Option<String>,
}

fn view(h: &WebhookRow) -> HookView {
    HookView {
        id: h.id.clone(),
        url: h.url.clone(),
        description: h.description.clone(),
        events: h.events(),
        enabled: h.enabled,
        disabled_reason: h.disabled_reason.clone(),
        failing_since: h.failing_since.map(at),
        created_at: at(h.created_at),
        previous_secret_until: h.previous_secret_until.map(at),
    }
}

fn no_store(mut response: HttpResponse) -> HttpResponse {
    response
        .headers_mut()
        .insert(CACHE_CONTROL, HeaderValue::from_static("no-store"));
    response
}

async fn show_list(
    state: &AppState,
    visitor: &Visitor,
    values: Value,
    errors: FormErrors,
    status: StatusCode,
) -> PageResult {
    let (who, _) = cluster_of(visitor)?;
    let hooks = service::list(state, who, None, 200)
        .await
        .or_page(visitor)?;
    page_with_status(
        visitor,
        status,
        "manage_webhooks.html",
        context! {
            webhooks => hooks.iter().map(view).collect::<Vec<_>>(),
            choices => event_choices(),
            values => values,
            errors => errors,
        },
    )
}

/// `GET /manage/cluster/webhooks`
pub async fn list(state: web::Data<AppState>, visitor: Visitor) -> PageResult {
    let values = context! { events => Vec::<String>::new() };
    show_list(
        &state,
        &visitor,
        values,
        FormErrors::default(),
        StatusCode::OK,
    )
    .await
}

fn fields_of(data: &FormData) -> Result<WebhookFields, Vec<FieldError>> {
    let mut errors = Vec::new();
    let url = data.get("url");
    if url.is_none() {
        errors.push(FieldError::new("url", "is required"));
    }
    let events = parse_events(data.all("events"))
        .map_err(|e| errors.push(e))
        .ok();
    let description = parse_description(data.get("description"))
        .map_err(|e| errors.push(e))
        .ok();
    match (url, events, description) {
        (Some(url), Some(events), Some(description)) if errors.is_empty() => Ok(WebhookFields {
            url,
            events,
            description,
        }),
        _ => Err(errors),
    }
}

/// The page that shows a secret once: after a registration or a rotation.
fn secret_page(
    visitor: &Visitor,
    hook: &WebhookRow,
    secret: &str,
    status: StatusCode,
) -> PageResult {
    Ok(no_store(page_with_status(
        visitor,
        status,
        "manage_webhook_secret.html",
        context! { webhook => view(hook), secret => secret },
    )?))
}

/// `POST /manage/cluster/webhooks`: registers an endpoint and shows its secret once.
pub async fn create(state: web::Data<AppState>, form: Submitted) -> PageResult {
    let Submitted { visitor, data } = form;
    let (who, _) = cluster_of(&visitor)?;
    let outcome = match fields_of(&data) {
        Ok(fields) => service::create(&state, who, fields).await,
        Err(errors) => Err(ApiError::Validation(errors)),
    };
    match outcome {
        Ok((row, secret)) => secret_page(&visitor, &row, secret.expose_secret(), StatusCode::OK),
        Err(ApiError::Validation(fields)) => {
            let values = context! {
                events => data.all("events"),
                ..Value::from_serialize(data.echo())
            };
            let errors = form_errors(&visitor, fields);
            show_list(
                &state,
                &visitor,
                values,
                errors,
                StatusCode::UNPROCESSABLE_ENTITY,
            )
            .await
        }
        Err(other) => Err(PageError::from_api(other, &visitor)),
    }
}

#[derive(Debug, Deserialize)]
pub struct LogQuery {
    /// The log's next page: deliveries older than this one.
    before: Option<String>,
}

#[derive(Debug, Serialize)]
struct AttemptView {
    at: String,
    status_code: Option<i32>,
    duration_ms: i32,
    error: Option<String>,
    answer: Option<String>,
}

#[derive(Debug, Serialize)]
struct DeliveryView {
    id: String,
    event: String,
    status: String,
    created_at: String,
    next_attempt_at: String,
    sent_at: Option<String>,
    last_error: Option<String>,
    attempts: Vec<AttemptView>,
}

fn delivery(d: &Delivery) -> DeliveryView {
    let (row, attempts) = d;
    DeliveryView {
        id: row.id.clone(),
        event: row.event.clone(),
        status: row.status.clone(),
        created_at: at(row.created_at),
        next_attempt_at: at(row.next_attempt_at),
        sent_at: row.sent_at.map(at),
        last_error: row.last_error.clone(),
        attempts: attempts
            .iter()
            .map(|a| AttemptView {
                at: at(a.attempted_at),
                status_code: a.status_code,
                duration_ms: a.duration_ms,
                error: a.error.clone(),
                answer: a
                    .response_body
                    .as_ref()
                    .filter(|b| !b.is_empty())
                    .map(|b| b.chars().take(ANSWER_BYTES).collect()),
            })
            .collect(),
    }
}

/// What the endpoint's page shows besides the endpoint and its log.
#[derive(Default)]
struct Shown {
    values: Option<Value>,
    errors: FormErrors,
    conflict: bool,
    /// Why a redelivery was refused, at its delivery: (delivery id, message).
    refused: Option<(String, String)>,
}

async fn show_one(
    state: &AppState,
    visitor: &Visitor,
    id: String,
    before: Option<String>,
    shown: Shown,
    status: StatusCode,
) -> PageResult {
    let (who, _) = cluster_of(visitor)?;
    let hook = service::get(state, who.clone(), id.clone())
        .await
        .or_page(visitor)?;
    let mut log = service::deliveries(state, who, id, before.clone(), PAGE)
        .await
        .or_page(visitor)?;
    let more = log.len() as i64 > PAGE;
    log.truncate(PAGE as usize);
    let next = if more {
        log.last().map(|(d, _)| d.id.clone())
    } else {
        None
    };
    let current = context! {
        url => &hook.url,
        description => hook.description.clone().unwrap_or_default(),
        events => hook.events(),
        enabled => hook.enabled,
    };
    page_with_status(
        visitor,
        status,
        "manage_webhook.html",
        context! {
            webhook => view(&hook),
            etag => etag(&hook.id, hook.version),
            choices => event_choices(),
            values => shown.values.unwrap_or(current),
            errors => shown.errors,
            conflict => shown.conflict,
            deliveries => log.iter().map(delivery).collect::<Vec<_>>(),
            refused => shown.refused.map(|(id, message)| context! { id, message }),
            paged => before.is_some(),
            next => next,
        },
    )
}

/// `GET /manage/cluster/webhooks/{id}`: the endpoint, its form and its delivery log.
pub async fn detail(
    state: web::Data<AppState>,
    visitor: Visitor,
    path: web::Path<String>,
    query: web::Query<LogQuery>,
) -> PageResult {
    let before = query.into_inner().before.filter(|b| !b.trim().is_empty());
    show_one(
        &state,
        &visitor,
        path.into_inner(),
        before,
        Shown::default(),
        StatusCode::OK,
    )
    .await
}

fn patch_of(data: &FormData) -> Result<WebhookPatch, Vec<FieldError>> {
    let f = fields_of(data)?;
    Ok(WebhookPatch {
        url: Some(f.url),
        events: Some(f.events),
        description: Some(f.description),
        enabled: Some(data.get("enabled").is_some()),
    })
}

/// `POST /manage/cluster/webhooks/{id}/edit`: saves the endpoint if nobody changed it since
/// the form was shown.
pub async fn edit(
    state: web::Data<AppState>,
    path: web::Path<String>,
    form: Submitted,
) -> PageResult {
    let Submitted { visitor, data } = form;
    let (who, _) = cluster_of(&visitor)?;
    let id = path.into_inner();
    let if_match = match data.get("etag") {
        Some(tag) => IfMatch::Tags(vec![tag]),
        None => IfMatch::Any,
    };
    let outcome = match patch_of(&data) {
        Ok(patch) => service::update(&state, who, id.clone(), if_match, patch).await,
        Err(errors) => Err(ApiError::Validation(errors)),
    };
    let shown = match outcome {
        Ok(row) => {
            return Ok(see_other_with(
                &visitor,
                &format!("/manage/cluster/webhooks/{}", row.id),
                "flash-webhook-saved",
            ));
        }
        Err(ApiError::Validation(fields)) => Shown {
            values: Some(context! {
                events => data.all("events"),
                enabled => data.get("enabled").is_some(),
                ..Value::from_serialize(data.echo())
            }),
            errors: form_errors(&visitor, fields),
            ..Shown::default()
        },
        Err(ApiError::Problem(p)) if p.status == StatusCode::PRECONDITION_FAILED => Shown {
            conflict: true,
            ..Shown::default()
        },
        Err(other) => return Err(PageError::from_api(other, &visitor)),
    };
    let status = if shown.conflict {
        StatusCode::CONFLICT
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    show_one(&state, &visitor, id, None, shown, status).await
}

/// `POST /manage/cluster/webhooks/{id}/delete`
pub async fn delete(
    state: web::Data<AppState>,
    path: web::Path<String>,
    form: Submitted,
) -> PageResult {
    let Submitted { visitor, .. } = form;
    let (who, _) = cluster_of(&visitor)?;
    service::delete(&state, who, path.into_inner())
        .await
        .or_page(&visitor)?;
    Ok(see_other_with(
        &visitor,
        "/manage/cluster/webhooks",
        "flash-webhook-deleted",
    ))
}

/// `POST /manage/cluster/webhooks/{id}/rotate`: a new secret, shown once.
pub async fn rotate(
    state: web::Data<AppState>,
    path: web::Path<String>,
    form: Submitted,
) -> PageResult {
    let Submitted { visitor, .. } = form;
    let (who, _) = cluster_of(&visitor)?;
    let (row, secret) = service::rotate_secret(&state, who, path.into_inner())
        .await
        .or_page(&visitor)?;
    secret_page(&visitor, &row, secret.expose_secret(), StatusCode::OK)
}

/// `POST /manage/cluster/webhooks/{id}/test`: queues a test event.
pub async fn test(
    state: web::Data<AppState>,
    path: web::Path<String>,
    form: Submitted,
) -> PageResult {
    let Submitted { visitor, .. } = form;
    let (who, _) = cluster_of(&visitor)?;
    let id = path.into_inner();
    service::send_test(&state, who, id.clone())
        .await
        .or_page(&visitor)?;
    Ok(see_other_with(
        &visitor,
        &format!("/manage/cluster/webhooks/{id}#deliveries-heading"),
        "flash-webhook-test-sent",
    ))
}

/// `POST /manage/cluster/webhooks/{id}/deliveries/{delivery}/redeliver`
pub async fn redeliver(
    state: web::Data<AppState>,
    path: web::Path<(String, String)>,
    form: Submitted,
) -> PageResult {
    let Submitted { visitor, .. } = form;
    let (who, _) = cluster_of(&visitor)?;
    let (id, delivery_id) = path.into_inner();
    match service::redeliver(&state, who, id.clone(), delivery_id.clone()).await {
        Ok(_) => Ok(see_other_with(
            &visitor,
            &format!("/manage/cluster/webhooks/{id}#deliveries-heading"),
            "flash-webhook-redelivered",
        )),
        Err(ApiError::Problem(p)) if p.code == "delivery_in_progress" => {
            let shown = Shown {
                refused: Some((
                    delivery_id,
                    crate::i18n::text(visitor.locale, "err-delivery-in-progress", &[]),
                )),
                ..Shown::default()
            };
            show_one(&state, &visitor, id, None, shown, StatusCode::CONFLICT).await
        }
        Err(other) => Err(PageError::from_api(other, &visitor)),
    }
}
