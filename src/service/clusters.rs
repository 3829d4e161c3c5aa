//! Clusters of the roaming network: the admin creates them ([`create`]); anyone reads them
//! ([`get`], [`list`]); the admin or the cluster's managers edit them ([`update`]), invite and
//! remove managers ([`invite_manager`], [`remove_manager`]) and hold the cluster's API clients
//! ([`create_api_client`], [`revoke_api_client`]).

use super::accounts::{self as people, Invitee, Joining};
use super::precondition::IfMatch;
use crate::auth::flows;
use crate::auth::{Principal, policy};
use crate::db::DbConnection;
use crate::db::accounts::{self, ApiClientRow, UserRow};
use crate::db::clusters::{self as store, ClusterFields, ClusterFilter, ClusterRow};
use crate::db::webhooks::{self, WebhookRow};
use crate::domain::account::Role;
use crate::domain::ids::ClusterId;
use crate::error::ApiError;
use crate::state::AppState;

fn find(conn: &mut DbConnection, id: &str) -> Result<ClusterRow, ApiError> {
    store::find(conn, id)?.ok_or_else(|| ApiError::not_found("cluster"))
}

/// Creates a cluster (the admin).
pub async fn create(
    app: &AppState,
    actor: Principal,
    fields: ClusterFields,
) -> Result<ClusterRow, ApiError> {
    policy::clusters::create(&actor)?;
    app.write(move |tx| Ok(store::insert(tx.conn, &fields)?))
        .await
}

/// One cluster; clusters are public.
pub async fn get(app: &AppState, id: ClusterId) -> Result<ClusterRow, ApiError> {
    app.read(move |tx| find(tx.conn, &id)).await
}

/// Clusters matching `filter`, `limit + 1` at most; public.
pub async fn list(app: &AppState, filter: ClusterFilter) -> Result<Vec<ClusterRow>, ApiError> {
    app.read(move |tx| Ok(store::list(tx.conn, &filter)?)).await
}

/// Edits a cluster (the admin or its managers): `change` turns the stored cluster into the new
/// fields (or says which are wrong).
pub async fn update<F>(
    app: &AppState,
    actor: Principal,
    id: ClusterId,
    if_match: IfMatch,
    change: F,
) -> Result<ClusterRow, ApiError>
where
    F: FnOnce(&ClusterRow) -> Result<ClusterFields, ApiError> + Send + 'static,
{
    app.write(move |tx| {
        let row = find(tx.conn, &id)?;
        policy::clusters::update(&actor, &row.id)?;
        if_match.expected_version(&row.id, row.version)?;
        let fields = change(&row)?;
        store::update(tx.conn, &row.id, row.version, &fields)?
            .ok_or_else(ApiError::precondition_failed)
    })
    .await
}

/// Invites a manager to the cluster: an account without a password and a mailed set-password
/// link.
pub async fn invite_manager(
    app: &AppState,
    actor: Principal,
    cluster_id: ClusterId,
    who: Invitee,
) -> Result<UserRow, ApiError> {
    app.write(move |tx| {
        let cluster = find(tx.conn, &cluster_id)?;
        policy::clusters::change_people(&actor, &cluster.id)?;
        people::invite(
            tx,
            &who,
            Joining::Cluster {
                id: &cluster.id,
                name: &cluster.name,
            },
        )
    })
    .await
}

/// The cluster's managers (the admin and the cluster's own people).
pub async fn managers(
    app: &AppState,
    actor: Principal,
    cluster_id: ClusterId,
) -> Result<(ClusterId, Vec<UserRow>), ApiError> {
    app.read(move |tx| {
        let cluster = find(tx.conn, &cluster_id)?;
        policy::clusters::manage_people(&actor, &cluster.id)?;
        let managers = store::managers(tx.conn, &cluster.id)?;
        Ok((cluster.id, managers))
    })
    .await
}

/// One manager of the cluster.
pub async fn manager(
    app: &AppState,
    actor: Principal,
    cluster_id: ClusterId,
    user_id: String,
) -> Result<(ClusterId, UserRow), ApiError> {
    app.read(move |tx| {
        let cluster = find(tx.conn, &cluster_id)?;
        policy::clusters::manage_people(&actor, &cluster.id)?;
        let user = accounts::find_user(tx.conn, &user_id)?
            .filter(|u| {
                u.cluster_id.as_deref() == Some(cluster.id.as_str())
                    && u.role == Role::ClusterManager
                    && !u.disabled
            })
            .ok_or_else(|| ApiError::not_found("manager"))?;
        Ok((cluster.id, user))
    })
    .await
}

/// Removes a manager from the cluster: the account is disabled and its sessions end. A cluster
/// keeps at least one manager.
pub async fn remove_manager(
    app: &AppState,
    actor: Principal,
    cluster_id: ClusterId,
    user_id: String,
) -> Result<(), ApiError> {
    app.write(move |tx| {
        let cluster = find(tx.conn, &cluster_id)?;
        policy::clusters::change_people(&actor, &cluster.id)?;
        let managers = accounts::cluster_manager_ids(tx.conn, &cluster.id)?;
        if !managers.contains(&user_id) {
            return Err(ApiError::not_found("manager"));
        }
        if managers.len() <= 1 {
            return Err(ApiError::conflict(
                "last_manager",
                "a cluster keeps at least one manager: invite another one first",
            ));
        }
        flows::end_user(tx.conn, &user_id)?;
        tracing::info!(cluster_id = %cluster.id, user_id = %user_id, "manager removed");
        Ok(())
    })
    .await?;
    app.subjects.clear();
    Ok(())
}

/// Creates an API client for the cluster; answers it with its secret, shown this once.
pub async fn create_api_client(
    app: &AppState,
    actor: Principal,
    cluster_id: ClusterId,
    name: String,
) -> Result<(ApiClientRow, String), ApiError> {
    app.write(move |tx| {
        let cluster = find(tx.conn, &cluster_id)?;
        policy::api_clients::create(&actor, &cluster.id)?;
        flows::create_api_client(tx.conn, &cluster.id, &name)
    })
    .await
}

/// The cluster's API clients, revoked ones included.
pub async fn api_clients(
    app: &AppState,
    actor: Principal,
    cluster_id: ClusterId,
) -> Result<Vec<ApiClientRow>, ApiError> {
    app.read(move |tx| {
        let cluster = find(tx.conn, &cluster_id)?;
        policy::api_clients::list(&actor, &cluster.id)?;
        Ok(accounts::list_api_clients(tx.conn, &cluster.id)?)
    })
    .await
}

/// Everything a cluster's managers run from its settings: the cluster, its managers, its API
/// clients and its webhooks (the first `webhooks_limit`), read together. Each part is
/// authorised as its own use case authorises it.
#[derive(Debug, Clone)]
pub struct Administration {
    pub cluster: ClusterRow,
    pub managers: Vec<UserRow>,
    pub api_clients: Vec<ApiClientRow>,
    pub webhooks: Vec<WebhookRow>,
}

/// The cluster's [`Administration`], in one trip to the database.
pub async fn administration(
    app: &AppState,
    actor: Principal,
    cluster_id: ClusterId,
    webhooks_limit: i64,
) -> Result<Administration, ApiError> {
    app.read(move |tx| {
        let cluster = find(tx.conn, &cluster_id)?;
        policy::clusters::manage_people(&actor, &cluster.id)?;
        policy::api_clients::list(&actor, &cluster.id)?;
        policy::webhooks::manage(&actor, &cluster.id)?;
        let managers = store::managers(tx.conn, &cluster.id)?;
        let api_clients = accounts::list_api_clients(tx.conn, &cluster.id)?;
        let webhooks = webhooks::list(tx.conn, Some(&cluster.id), None, webhooks_limit)?;
        Ok(Administration {
            cluster,
            managers,
            api_clients,
            webhooks,
        })
    })
    .await
}

/// Revokes an API client: its secret no longer obtains tokens, and its access tokens stop
/// working now rather than when they expire.
pub async fn revoke_api_client(
    app: &AppState,
    actor: Principal,
    cluster_id: ClusterId,
    client_id: String,
) -> Result<(), ApiError> {
    app.write(move |tx| {
        let cluster = find(tx.conn, &cluster_id)?;
        policy::api_clients::revoke(&actor, &cluster.id)?;
        if accounts::revoke_api_client(tx.conn, &cluster.id, &client_id)? {
            Ok(())
        } else {
            Err(ApiError::not_found("API client"))
        }
    })
    .await?;
    app.subjects.clear();
    Ok(())
}
