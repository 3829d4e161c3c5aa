//! The webhook use cases: registering an endpoint (its URL checked, its secret made and sealed),
//! listing, editing, deleting, rotating the secret, sending a test event, and the delivery log
//! with redelivery. Who may do what is [`policy::webhooks`]; a URL's rules are
//! [`crate::webhooks::target`]. Names are resolved before the transaction starts, never inside.

use chrono::{NaiveDateTime, TimeDelta};
use secrecy::SecretString;

use super::Tx;
use super::precondition::IfMatch;
use crate::auth::{Principal, policy};
use crate::db::webhooks::{self as store, NewWebhook, WebhookChanges, WebhookRow};
use crate::db::{self};
use crate::domain::values::line;
use crate::error::{ApiError, FieldError};
use crate::state::AppState;
use crate::webhooks::queue::{self, AttemptRow, DeliveryRow};
use crate::webhooks::signing::{Sealer, generate_secret};
use crate::webhooks::target::{Refused, TargetRules};
use crate::webhooks::{self, events};

/// How long a rotated-out secret keeps signing.
pub const ROTATION_OVERLAP: TimeDelta = TimeDelta::hours(24);

/// The longest description.
const MAX_DESCRIPTION: usize = 500;

/// Most event names one subscription lists.
const MAX_EVENTS: usize = 50;

/// What a webhook is registered or edited with, checked.
#[derive(Debug, Clone)]
pub struct WebhookFields {
    pub url: String,
    pub events: Vec<String>,
    pub description: Option<String>,
}

/// A subscription's events: known types or group wildcards, each once, at least one.
pub fn parse_events(raw: Vec<String>) -> Result<Vec<String>, FieldError> {
    if raw.is_empty() {
        return Err(FieldError::new("events", "must list at least one event"));
    }
    if raw.len() > MAX_EVENTS {
        return Err(FieldError::new(
            "events",
            format!("must list at most {MAX_EVENTS} events"),
        ));
    }
    let mut events: Vec<String> = Vec::with_capacity(raw.len());
    for e in raw {
        let e = e.trim().to_owned();
        if !webhooks::is_subscribable(&e) {
            return Err(FieldError::new(
                "events",
                format!(
                    "`{}` is not an event; use one of {} or a group such as `landing.*`",
                    e.chars().take(60).collect::<String>(),
                    webhooks::EVENT_TYPES.join(", ")
                ),
            ));
        }
        if !events.contains(&e) {
            events.push(e);
        }
    }
    Ok(events)
}

/// A description: one line of at most 500 characters; empty is none.
pub fn parse_description(raw: Option<String>) -> Result<Option<String>, FieldError> {
    match raw {
        None => Ok(None),
        Some(d) if d.trim().is_empty() => Ok(None),
        Some(d) => line(&d, 1, MAX_DESCRIPTION)
            .map(Some)
            .map_err(|e| FieldError::new("description", e)),
    }
}

fn url_error(e: Refused) -> ApiError {
    ApiError::validation(vec![FieldError::because(
        "url",
        e.to_string(),
        e.key(),
        vec![],
    )])
}

fn events_json(events: &[String]) -> String {
    serde_json::to_string(events).expect("a list of strings serialises")
}

fn load(tx: &mut Tx<'_>, actor: &Principal, id: &str) -> Result<WebhookRow, ApiError> {
    let row = store::find(tx.conn, id)?.ok_or_else(|| ApiError::not_found("webhook"))?;
    policy::webhooks::manage(actor, &row.cluster_id)?;
    Ok(row)
}

/// Registers a webhook for the caller's cluster; answers it with its secret, shown this once.
pub async fn create(
    app: &AppState,
    actor: Principal,
    fields: WebhookFields,
) -> Result<(WebhookRow, SecretString), ApiError> {
    let cluster_id = policy::webhooks::create(&actor)?.to_owned();
    let url = TargetRules::of(&app.settings)
        .check_resolved(&fields.url)
        .await
        .map_err(url_error)?;
    let sealer = Sealer::from_settings(&app.settings);
    app.write(move |tx| {
        let id = db::new_id();
        let secret = generate_secret();
        let sealed = sealer.seal(&id, &secret);
        let now = tx.clock.stamp();
        let row = store::insert(
            tx.conn,
            &NewWebhook {
                id: &id,
                cluster_id: &cluster_id,
                url: url.as_str(),
                description: fields.description.as_deref(),
                events: &events_json(&fields.events),
                enabled: true,
                secret: &sealed,
                version: 1,
                created_at: now,
                updated_at: now,
            },
        )?;
        tracing::info!(webhook_id = %row.id, cluster_id = %row.cluster_id, "webhook registered");
        Ok((row, secret))
    })
    .await
}

/// A page of the webhooks the caller may see, in id order.
pub async fn list(
    app: &AppState,
    actor: Principal,
    after: Option<String>,
    limit: i64,
) -> Result<Vec<WebhookRow>, ApiError> {
    let cluster = policy::webhooks::list(&actor)?.map(str::to_owned);
    app.read(move |tx| {
        Ok(store::list(
            tx.conn,
            cluster.as_deref(),
            after.as_deref(),
            limit,
        )?)
    })
    .await
}

pub async fn get(app: &AppState, actor: Principal, id: String) -> Result<WebhookRow, ApiError> {
    app.read(move |tx| load(tx, &actor, &id)).await
}

/// An edit: the fields given replace the stored ones.
#[derive(Debug, Clone, Default)]
pub struct WebhookPatch {
    pub url: Option<String>,
    pub events: Option<Vec<String>>,
    /// `Some(None)` clears it.
    pub description: Option<Option<String>>,
    pub enabled: Option<bool>,
}

/// Edits a webhook; honours `If-Match`. A new URL is checked as at registration; enabling
/// again ends the failing streak that disabled it.
pub async fn update(
    app: &AppState,
    actor: Principal,
    id: String,
    if_match: IfMatch,
    patch: WebhookPatch,
) -> Result<WebhookRow, ApiError> {
    let url = match &patch.url {
        Some(raw) => Some(
            TargetRules::of(&app.settings)
                .check_resolved(raw)
                .await
                .map_err(url_error)?
                .to_string(),
        ),
        None => None,
    };
    app.write(move |tx| {
        let row = load(tx, &actor, &id)?;
        if_match.expected_version(&row.id, row.version)?;
        let changes = WebhookChanges {
            url: url.unwrap_or_else(|| row.url.clone()),
            description: patch.description.unwrap_or_else(|| row.description.clone()),
            events: patch
                .events
                .as_deref()
                .map_or_else(|| row.events.clone(), events_json),
            enabled: patch.enabled.unwrap_or(row.enabled),
        };
        store::update(tx.conn, &row.id, row.version, &changes, tx.clock.stamp())?
            .ok_or_else(ApiError::precondition_failed)
    })
    .await
}

/// Deletes a webhook with its deliveries and their log.
pub async fn delete(app: &AppState, actor: Principal, id: String) -> Result<(), ApiError> {
    app.write(move |tx| {
        let row = load(tx, &actor, &id)?;
        store::delete(tx.conn, &row.id)?;
        tracing::info!(webhook_id = %row.id, "webhook deleted");
        Ok(())
    })
    .await
}

/// Gives the webhook a new secret, shown this once; the old one keeps signing for 24 hours
/// (deliveries carry both signatures meanwhile), so a portal can switch without losing one.
pub async fn rotate_secret(
    app: &AppState,
    actor: Principal,
    id: String,
) -> Result<(WebhookRow, SecretString), ApiError> {
    let sealer = Sealer::from_settings(&app.settings);
    app.write(move |tx| {
        let row = load(tx, &actor, &id)?;
        let secret = generate_secret();
        let sealed = sealer.seal(&row.id, &secret);
        // The worker compares the overlap's end with the system's time.
        let now = db::now();
        let until: NaiveDateTime = now + ROTATION_OVERLAP;
        let row = store::rotate(tx.conn, &row.id, &sealed, &row.secret, until, now)?
            .ok_or_else(|| ApiError::not_found("webhook"))?;
        tracing::info!(webhook_id = %row.id, "webhook secret rotated");
        Ok((row, secret))
    })
    .await
}

/// A delivery with its attempts, oldest first.
pub type Delivery = (DeliveryRow, Vec<AttemptRow>);

fn with_attempts(tx: &mut Tx<'_>, rows: Vec<DeliveryRow>) -> Result<Vec<Delivery>, ApiError> {
    let ids: Vec<String> = rows.iter().map(|r| r.id.clone()).collect();
    let mut attempts = queue::attempts_of(tx.conn, &ids)?;
    Ok(rows
        .into_iter()
        .map(|row| {
            let (mine, rest): (Vec<_>, Vec<_>) =
                attempts.drain(..).partition(|a| a.delivery_id == row.id);
            attempts = rest;
            (row, mine)
        })
        .collect())
}

/// Queues a `webhook.test` delivery to the endpoint (enabled or not: testing is how a
/// manager checks an endpoint before turning it on again).
pub async fn send_test(app: &AppState, actor: Principal, id: String) -> Result<Delivery, ApiError> {
    app.write(move |tx| {
        let row = load(tx, &actor, &id)?;
        let event = events::test_event(tx.settings, &row.id, &row.cluster_id);
        // Delivery times are the workers' (the system's), never the test clock's.
        let now = db::now();
        let body = event.body(now.and_utc());
        let ids = queue::enqueue(
            tx.conn,
            std::slice::from_ref(&row.id),
            &event.kind,
            &body,
            now,
        )?;
        let delivery = queue::find_delivery(tx.conn, &row.id, &ids[0])?
            .ok_or_else(|| ApiError::internal("the test delivery just written is missing"))?;
        Ok((delivery, Vec::new()))
    })
    .await
}

/// A page of the endpoint's deliveries, newest first, each with its attempts.
pub async fn deliveries(
    app: &AppState,
    actor: Principal,
    id: String,
    before: Option<String>,
    limit: i64,
) -> Result<Vec<Delivery>, ApiError> {
    app.read(move |tx| {
        let row = load(tx, &actor, &id)?;
        let rows = queue::deliveries(tx.conn, &row.id, before.as_deref(), limit)?;
        with_attempts(tx, rows)
    })
    .await
}

/// Queues a delivery again, due now, with a fresh schedule; 409 while an attempt is in flight.
pub async fn redeliver(
    app: &AppState,
    actor: Principal,
    id: String,
    delivery_id: String,
) -> Result<Delivery, ApiError> {
    app.write(move |tx| {
        let row = load(tx, &actor, &id)?;
        queue::find_delivery(tx.conn, &row.id, &delivery_id)?
            .ok_or_else(|| ApiError::not_found("delivery"))?;
        if !queue::redeliver(tx.conn, &delivery_id, db::now())? {
            return Err(ApiError::conflict(
                "delivery_in_progress",
                "an attempt at this delivery is under way; try again in a moment",
            ));
        }
        let delivery = queue::find_delivery(tx.conn, &row.id, &delivery_id)?
            .ok_or_else(|| ApiError::not_found("delivery"))?;
        let mut found = with_attempts(tx, vec![delivery])?;
        Ok(found.remove(0))
    })
    .await
}
