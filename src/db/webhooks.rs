//! Webhook endpoints: their rows and every query on them. Deliveries are outbox rows; their
//! queries are in [`crate::webhooks::queue`].

use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::DbConnection;
use super::schema::{outbox, webhooks};

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = webhooks)]
pub struct WebhookRow {
    pub id: String,
    pub cluster_id: String,
    pub url: String,
    pub description: Option<String>,
    /// JSON array of event types and group wildcards.
    pub events: String,
    pub enabled: bool,
    pub disabled_reason: Option<String>,
    /// Sealed: see [`crate::webhooks::signing::Sealer`].
    pub secret: String,
    pub previous_secret: Option<String>,
    pub previous_secret_until: Option<NaiveDateTime>,
    pub failing_since: Option<NaiveDateTime>,
    pub version: i32,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
}

impl WebhookRow {
    /// The subscribed event types and wildcards, as stored.
    pub fn events(&self) -> Vec<String> {
        serde_json::from_str(&self.events).unwrap_or_default()
    }
}

#[derive(Debug, Insertable)]
#[diesel(table_name = webhooks)]
pub struct NewWebhook<'a> {
    pub id: &'a str,
    pub cluster_id: &'a str,
    pub url: &'a str,
    pub description: Option<&'a str>,
    pub events: &'a str,
    pub enabled: bool,
    pub secret: &'a str,
    pub version: i32,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
}

pub fn insert(conn: &mut DbConnection, new: &NewWebhook<'_>) -> QueryResult<WebhookRow> {
    diesel::insert_into(webhooks::table)
        .values(new)
        .execute(conn)?;
    webhooks::table
        .find(new.id)
        .select(WebhookRow::as_select())
        .first(conn)
}

pub fn find(conn: &mut DbConnection, id: &str) -> QueryResult<Option<WebhookRow>> {
    webhooks::table
        .find(id)
        .select(WebhookRow::as_select())
        .first(conn)
        .optional()
}

/// Up to `limit + 1` webhooks in id order after `after`, of one cluster or (`None`) of all.
pub fn list(
    conn: &mut DbConnection,
    cluster_id: Option<&str>,
    after: Option<&str>,
    limit: i64,
) -> QueryResult<Vec<WebhookRow>> {
    let mut query = webhooks::table
        .select(WebhookRow::as_select())
        .order(webhooks::id.asc())
        .limit(limit + 1)
        .into_boxed();
    if let Some(cluster_id) = cluster_id {
        query = query.filter(webhooks::cluster_id.eq(cluster_id.to_owned()));
    }
    if let Some(after) = after {
        query = query.filter(webhooks::id.gt(after.to_owned()));
    }
    query.load(conn)
}

/// What an edit sets.
#[derive(Debug, Clone)]
pub struct WebhookChanges {
    pub url: String,
    pub description: Option<String>,
    pub events: String,
    pub enabled: bool,
}

/// Applies `changes` if the row is still at `version`; `None` when someone changed it since.
/// Enabling clears the reason it was disabled for and its failing streak.
pub fn update(
    conn: &mut DbConnection,
    id: &str,
    version: i32,
    changes: &WebhookChanges,
    now: NaiveDateTime,
) -> QueryResult<Option<WebhookRow>> {
    let target = webhooks::table
        .find(id)
        .filter(webhooks::version.eq(version));
    let changed = if changes.enabled {
        diesel::update(target)
            .set((
                webhooks::url.eq(&changes.url),
                webhooks::description.eq(&changes.description),
                webhooks::events.eq(&changes.events),
                webhooks::enabled.eq(true),
                webhooks::disabled_reason.eq(None::<String>),
                webhooks::failing_since.eq(None::<NaiveDateTime>),
                webhooks::version.eq(version + 1),
                webhooks::updated_at.eq(now),
            ))
            .execute(conn)?
    } else {
        diesel::update(target)
            .set((
                webhooks::url.eq(&changes.url),
                webhooks::description.eq(&changes.description),
                webhooks::events.eq(&changes.events),
                webhooks::enabled.eq(false),
                webhooks::version.eq(version + 1),
                webhooks::updated_at.eq(now),
            ))
            .execute(conn)?
    };
    if changed == 0 {
        return Ok(None);
    }
    find(conn, id)
}

/// Replaces the signing secret; the previous one keeps signing until `previous_until`.
pub fn rotate(
    conn: &mut DbConnection,
    id: &str,
    sealed: &str,
    previous: &str,
    previous_until: NaiveDateTime,
    now: NaiveDateTime,
) -> QueryResult<Option<WebhookRow>> {
    let changed = diesel::update(webhooks::table.find(id))
        .set((
            webhooks::secret.eq(sealed),
            webhooks::previous_secret.eq(Some(previous)),
            webhooks::previous_secret_until.eq(Some(previous_until)),
            webhooks::version.eq(webhooks::version + 1),
            webhooks::updated_at.eq(now),
        ))
        .execute(conn)?;
    if changed == 0 {
        return Ok(None);
    }
    find(conn, id)
}

/// Deletes the webhook with its deliveries (and so their attempts); answers whether it existed.
pub fn delete(conn: &mut DbConnection, id: &str) -> QueryResult<bool> {
    diesel::delete(
        outbox::table
            .filter(outbox::channel.eq(crate::webhooks::CHANNEL))
            .filter(outbox::recipient.eq(id)),
    )
    .execute(conn)?;
    Ok(diesel::delete(webhooks::table.find(id)).execute(conn)? > 0)
}

/// An enabled webhook of one of the clusters, with what it listens to.
#[derive(Debug, Clone, Queryable)]
pub struct Subscriber {
    pub id: String,
    pub cluster_id: String,
    pub events: String,
}

/// The enabled webhooks of `cluster_ids`.
pub fn subscribers(conn: &mut DbConnection, cluster_ids: &[&str]) -> QueryResult<Vec<Subscriber>> {
    webhooks::table
        .filter(webhooks::cluster_id.eq_any(cluster_ids))
        .filter(webhooks::enabled.eq(true))
        .select((webhooks::id, webhooks::cluster_id, webhooks::events))
        .load(conn)
}

/// The webhooks among `ids`, as the delivery needs them.
pub fn find_many(conn: &mut DbConnection, ids: &[String]) -> QueryResult<Vec<WebhookRow>> {
    webhooks::table
        .filter(webhooks::id.eq_any(ids))
        .select(WebhookRow::as_select())
        .load(conn)
}

/// Marks the webhooks among `ids` as delivering again: their failing streak ends.
pub fn mark_succeeding(conn: &mut DbConnection, ids: &[String]) -> QueryResult<usize> {
    diesel::update(
        webhooks::table
            .filter(webhooks::id.eq_any(ids))
            .filter(webhooks::failing_since.is_not_null()),
    )
    .set(webhooks::failing_since.eq(None::<NaiveDateTime>))
    .execute(conn)
}

/// Starts the failing streak of the webhooks among `ids` that were not failing yet.
pub fn mark_failing(
    conn: &mut DbConnection,
    ids: &[String],
    now: NaiveDateTime,
) -> QueryResult<usize> {
    diesel::update(
        webhooks::table
            .filter(webhooks::id.eq_any(ids))
            .filter(webhooks::failing_since.is_null()),
    )
    .set(webhooks::failing_since.eq(Some(now)))
    .execute(conn)
}

/// Disables the enabled webhooks among `ids` that `only_failing_before` (when given) has seen
/// failing since before then; answers those it disabled.
pub fn disable(
    conn: &mut DbConnection,
    ids: &[String],
    reason: &str,
    only_failing_before: Option<NaiveDateTime>,
    now: NaiveDateTime,
) -> QueryResult<Vec<WebhookRow>> {
    let mut candidates = webhooks::table
        .filter(webhooks::id.eq_any(ids))
        .filter(webhooks::enabled.eq(true))
        .select(webhooks::id)
        .into_boxed();
    if let Some(before) = only_failing_before {
        candidates = candidates.filter(webhooks::failing_since.le(before));
    }
    let chosen: Vec<String> = candidates.load(conn)?;
    if chosen.is_empty() {
        return Ok(Vec::new());
    }
    diesel::update(webhooks::table.filter(webhooks::id.eq_any(&chosen)))
        .set((
            webhooks::enabled.eq(false),
            webhooks::disabled_reason.eq(Some(reason)),
            webhooks::version.eq(webhooks::version + 1),
            webhooks::updated_at.eq(now),
        ))
        .execute(conn)?;
    find_many(conn, &chosen)
}
