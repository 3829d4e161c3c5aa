//! The coordinator's tools: the email outbox ([`outbox`], [`retry_outbox`]), switching an
//! account off ([`disable_user`]), the network at a glance ([`glance`]), the people of the
//! network ([`users`]) and a new cluster with its first manager ([`create_cluster`]).

use super::accounts::{self as people, Invitee, Joining};
use crate::auth::{Principal, flows, policy};
use crate::db::accounts::{self, UserRow};
use crate::db::admin as store;
use crate::db::clusters::{self as cluster_store, ClusterFields, ClusterRow};
use crate::error::ApiError;
use crate::notify::outbox::{self, OutboxMessage, OutboxPage, OutboxStatus, RetryOutcome};
use crate::state::AppState;

/// Who may use the coordinator's tools: the admin alone.
pub fn authorise(actor: &Principal) -> Result<(), ApiError> {
    policy::admin_only(actor)
}

/// Outbox messages, newest first, `limit` a page.
pub async fn outbox(
    app: &AppState,
    actor: Principal,
    status: Option<OutboxStatus>,
    limit: i64,
    cursor: Option<String>,
) -> Result<OutboxPage, ApiError> {
    authorise(&actor)?;
    app.read(move |tx| Ok(outbox::list(tx.conn, status, limit, cursor.as_deref())?))
        .await
}

/// Puts a dead (or pending) message back in the queue, due now with its attempts reset.
pub async fn retry_outbox(
    app: &AppState,
    actor: Principal,
    id: String,
) -> Result<OutboxMessage, ApiError> {
    authorise(&actor)?;
    match app
        .write(move |tx| Ok(outbox::retry(tx.conn, &id)?))
        .await?
    {
        RetryOutcome::Requeued(message) => Ok(message),
        RetryOutcome::AlreadySent(_) => Err(ApiError::conflict(
            "already_sent",
            "the message was delivered already; nothing to retry",
        )),
        RetryOutcome::NotFound => Err(ApiError::not_found("outbox message")),
    }
}

/// Switches a person's account off: every session, refresh token, unused link and access
/// token of it ends at once.
pub async fn disable_user(app: &AppState, actor: Principal, id: String) -> Result<(), ApiError> {
    policy::users::disable(&actor, &id)?;
    app.write(move |tx| {
        if accounts::find_user(tx.conn, &id)?.is_none() {
            return Err(ApiError::not_found("user"));
        }
        if flows::end_user(tx.conn, &id)? {
            tracing::info!(user_id = %id, "account disabled");
        }
        Ok(())
    })
    .await?;
    app.subjects.clear();
    Ok(())
}

/// The network's figures the coordinator watches: clusters per country, partnerships per
/// state, and the outbox per channel and status. Every list is sorted by its key.
#[derive(Debug, Clone, Default)]
pub struct Glance {
    pub clusters_by_country: Vec<(String, i64)>,
    pub partnerships_by_state: Vec<(String, i64)>,
    /// `(channel, status, count)`: `email` or `webhook`, `pending`, `sent` or `dead`.
    pub outbox: Vec<(String, String, i64)>,
}

/// The counts behind `/admin` (landings come from [`super::reports::summary`]).
pub async fn glance(app: &AppState, actor: Principal) -> Result<Glance, ApiError> {
    authorise(&actor)?;
    app.read(move |tx| {
        let (clusters_by_country, partnerships_by_state, outbox) = store::counts(tx.conn)?;
        Ok(Glance {
            clusters_by_country,
            partnerships_by_state,
            outbox,
        })
    })
    .await
}

/// One person of the network as the coordinator lists them.
#[derive(Debug, Clone)]
pub struct UserEntry {
    pub user: UserRow,
    /// The name of their cluster (managers) or SME (members); `None` for the coordinator.
    pub organisation: Option<String>,
}

/// A page of [`users`].
#[derive(Debug, Clone, Default)]
pub struct UserPage {
    pub items: Vec<UserEntry>,
    /// Pass back as `cursor` for the next page; `None` on the last page.
    pub next_cursor: Option<String>,
}

/// The network's accounts, newest first, `limit` (1 to 100) a page, those whose address
/// contains `email` when given (case-insensitive, as addresses are stored lower-case).
pub async fn users(
    app: &AppState,
    actor: Principal,
    email: Option<String>,
    limit: i64,
    cursor: Option<String>,
) -> Result<UserPage, ApiError> {
    authorise(&actor)?;
    let limit = limit.clamp(1, 100);
    app.read(move |tx| {
        let mut rows = store::users(tx.conn, email.as_deref(), limit + 1, cursor.as_deref())?;
        let next_cursor = if rows.len() as i64 > limit {
            rows.truncate(limit as usize);
            rows.last().map(|u| u.id.clone())
        } else {
            None
        };
        let cluster_ids: Vec<&str> = rows
            .iter()
            .filter_map(|u| u.cluster_id.as_deref())
            .collect();
        let sme_ids: Vec<&str> = rows.iter().filter_map(|u| u.sme_id.as_deref()).collect();
        let (cluster_names, sme_names) =
            store::organisation_names(tx.conn, &cluster_ids, &sme_ids)?;
        let items = rows
            .into_iter()
            .map(|user| {
                let organisation = match (&user.cluster_id, &user.sme_id) {
                    (_, Some(sme)) => sme_names.get(sme).cloned(),
                    (Some(cluster), None) => cluster_names.get(cluster).cloned(),
                    (None, None) => None,
                };
                UserEntry { user, organisation }
            })
            .collect();
        Ok(UserPage { items, next_cursor })
    })
    .await
}

/// Creates a cluster and invites its first manager, both in one transaction: when the
/// invitation cannot be made (the address has an account already), no cluster is left behind.
/// The invitation goes out in the manager's language.
pub async fn create_cluster(
    app: &AppState,
    actor: Principal,
    fields: ClusterFields,
    manager: Invitee,
) -> Result<(ClusterRow, UserRow), ApiError> {
    policy::clusters::create(&actor)?;
    app.write(move |tx| {
        let cluster = cluster_store::insert(tx.conn, &fields)?;
        policy::clusters::change_people(&actor, &cluster.id)?;
        let user = people::invite(
            tx,
            &manager,
            Joining::Cluster {
                id: &cluster.id,
                name: &cluster.name,
            },
        )?;
        Ok((cluster, user))
    })
    .await
}

/// The outbox's channels: emails, and deliveries to partner portals' webhooks.
pub const CHANNELS: [&str; 2] = ["email", "webhook"];

/// [`outbox`], optionally of one channel (`email` or `webhook`) as well.
pub async fn outbox_of(
    app: &AppState,
    actor: Principal,
    channel: Option<&'static str>,
    status: Option<OutboxStatus>,
    limit: i64,
    cursor: Option<String>,
) -> Result<OutboxPage, ApiError> {
    authorise(&actor)?;
    let Some(channel) = channel else {
        return outbox(app, actor, status, limit, cursor).await;
    };
    let limit = limit.clamp(1, 100);
    app.read(move |tx| {
        let mut ids = store::outbox_ids(
            tx.conn,
            channel,
            status.map(OutboxStatus::as_str),
            limit + 1,
            cursor.as_deref(),
        )?;
        let next_cursor = if ids.len() as i64 > limit {
            ids.truncate(limit as usize);
            ids.last().cloned()
        } else {
            None
        };
        let mut items = Vec::with_capacity(ids.len());
        for id in ids {
            if let Some(message) = outbox::get(tx.conn, &id)? {
                items.push(message);
            }
        }
        Ok(OutboxPage { items, next_cursor })
    })
    .await
}
