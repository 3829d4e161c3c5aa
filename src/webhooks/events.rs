//! Which domain events partner portals hear of, which clusters hear of each, and what they
//! read. The payload is `{type, timestamp, data}`; `data` is thin (ids, states, dates and the
//! resource's API URL), nothing a party could not already read through the API.
//!
//! A landing's events go to its host and home clusters, a partnership's to both of its
//! clusters, `offer.published` to the host and to every cluster in an active partnership with
//! it. Each subscribed, enabled endpoint of those clusters gets its own delivery.

use chrono::{DateTime, SecondsFormat, Utc};
use serde_json::{Value, json};

use super::queue;
use crate::config::Settings;
use crate::db::landings::LandingRow;
use crate::db::offers::OfferRow;
use crate::db::partnerships::{self, PartnershipRow};
use crate::db::webhooks::{self as store, Subscriber};
use crate::db::{self, DbConnection};

/// One event as partner portals receive it, before it is addressed.
#[derive(Debug, Clone, PartialEq)]
pub struct WebhookEvent {
    pub kind: String,
    /// The clusters party to it.
    pub clusters: Vec<String>,
    pub data: Value,
}

impl WebhookEvent {
    /// The body every endpoint receives, byte for byte (it is what is signed).
    pub fn body(&self, at: DateTime<Utc>) -> String {
        json!({
            "type": self.kind,
            "timestamp": at.to_rfc3339_opts(SecondsFormat::Millis, true),
            "data": self.data,
        })
        .to_string()
    }
}

fn api_url(settings: &Settings, path: &str) -> String {
    format!(
        "{}/api/v1{path}",
        settings.server.public_url.trim_end_matches('/')
    )
}

/// A landing's event `kind`, for its host and home clusters.
pub fn landing(settings: &Settings, kind: &str, row: &LandingRow) -> WebhookEvent {
    WebhookEvent {
        kind: kind.to_owned(),
        clusters: vec![
            row.host_cluster_id.to_string(),
            row.home_cluster_id.to_string(),
        ],
        data: json!({
            "id": row.id,
            "state": row.state.as_str(),
            "offer_id": row.offer_id,
            "sme_id": row.sme_id,
            "host_cluster_id": row.host_cluster_id,
            "home_cluster_id": row.home_cluster_id,
            "partnership_id": row.partnership_id,
            "start_date": row.start_date,
            "end_date": row.end_date,
            "headcount": row.headcount,
            "open_days": row.open_days,
            "url": api_url(settings, &format!("/landings/{}", row.id)),
        }),
    }
}

/// `partnership.<what>`, for both clusters of the partnership.
pub fn partnership(settings: &Settings, what: &str, row: &PartnershipRow) -> WebhookEvent {
    WebhookEvent {
        kind: format!("partnership.{what}"),
        clusters: vec![
            row.proposer_cluster_id.to_string(),
            row.partner_cluster_id.to_string(),
        ],
        data: json!({
            "id": row.id,
            "state": row.state.as_str(),
            "proposer_cluster_id": row.proposer_cluster_id,
            "partner_cluster_id": row.partner_cluster_id,
            "url": api_url(settings, &format!("/partnerships/{}", row.id)),
        }),
    }
}

/// `offer.published`, for the host and every cluster in an active partnership with it.
pub fn offer(
    conn: &mut DbConnection,
    settings: &Settings,
    row: &OfferRow,
) -> Result<WebhookEvent, diesel::result::Error> {
    let mut clusters = vec![row.cluster_id.to_string()];
    clusters.extend(partnerships::active_partners(conn, &row.cluster_id)?);
    Ok(WebhookEvent {
        kind: "offer.published".to_owned(),
        clusters,
        data: json!({
            "id": row.id,
            "state": row.state.as_str(),
            "cluster_id": row.cluster_id,
            "kind": row.kind.as_str(),
            "available_from": row.available_from,
            "available_until": row.available_until,
            "url": api_url(settings, &format!("/offers/{}", row.id)),
        }),
    })
}

/// Writes one delivery per subscribed endpoint of the clusters party to `event`, on the
/// caller's connection (inside the change's transaction). Answers how many were written.
pub fn enqueue(
    conn: &mut DbConnection,
    event: &WebhookEvent,
) -> Result<usize, diesel::result::Error> {
    let mut clusters: Vec<&str> = event.clusters.iter().map(String::as_str).collect();
    clusters.sort_unstable();
    clusters.dedup();
    let endpoints: Vec<String> = store::subscribers(conn, &clusters)?
        .into_iter()
        .filter(|s: &Subscriber| {
            let patterns: Vec<String> = serde_json::from_str(&s.events).unwrap_or_default();
            super::subscribes(&patterns, &event.kind)
        })
        .map(|s| s.id)
        .collect();
    if endpoints.is_empty() {
        return Ok(0);
    }
    let now = db::now();
    let body = event.body(now.and_utc());
    queue::enqueue(conn, &endpoints, &event.kind, &body, now)?;
    tracing::debug!(event = %event.kind, endpoints = endpoints.len(), "webhook deliveries enqueued");
    Ok(endpoints.len())
}

/// The `webhook.test` event for one endpoint.
pub fn test_event(settings: &Settings, webhook_id: &str, cluster_id: &str) -> WebhookEvent {
    WebhookEvent {
        kind: super::TEST_EVENT.to_owned(),
        clusters: vec![cluster_id.to_owned()],
        data: json!({
            "webhook_id": webhook_id,
            "url": api_url(settings, &format!("/webhooks/{webhook_id}")),
        }),
    }
}
