//! Partnerships: the Business Roaming Agreement between two clusters. A cluster proposes it
//! with its terms ([`propose`]); the partner accepts or declines, and either side suspends,
//! resumes or terminates it ([`act`]). Every change is in the audit trail and mails both
//! clusters.

use crate::auth::{Principal, policy};
use crate::db::audit::{self, Actor, Entry, EventRow, Trail};
use crate::db::partnerships::{self as store, PartnershipFilter, PartnershipRow};
use crate::db::{DbConnection, clusters};
use crate::domain::account::Role;
use crate::domain::ids::PartnershipId;
use crate::domain::partnership::{PartnershipAction, PartnershipState, Terms, transition};
use crate::error::ApiError;
use crate::service::Tx;
use crate::service::events::{DomainEvent, PartnershipEvent};
use crate::state::AppState;

/// A well-formed proposal.
#[derive(Debug, Clone)]
pub struct Proposal {
    pub partner_cluster_id: String,
    pub terms: Terms,
}

fn pair_taken() -> ApiError {
    ApiError::conflict(
        "partnership_exists",
        "these clusters already have a partnership that is proposed, active or suspended",
    )
}

/// Proposes the roaming agreement to another cluster, with its terms.
pub async fn propose(
    app: &AppState,
    actor: Principal,
    proposal: Proposal,
) -> Result<PartnershipRow, ApiError> {
    let proposer = policy::partnerships::propose(&actor)?.to_owned();
    app.write(move |tx| propose_in(tx, &actor, &proposer, proposal))
        .await
}

fn propose_in(
    tx: &mut Tx<'_>,
    principal: &Principal,
    proposer: &str,
    proposal: Proposal,
) -> Result<PartnershipRow, ApiError> {
    let conn = &mut *tx.conn;
    if clusters::find(conn, &proposal.partner_cluster_id)?.is_none() {
        return Err(ApiError::invalid("partner_cluster_id", "names no cluster"));
    }
    if proposal.partner_cluster_id == proposer {
        return Err(ApiError::invalid(
            "partner_cluster_id",
            "must be another cluster than the proposer",
        ));
    }
    if store::open_for_pair(conn, proposer, &proposal.partner_cluster_id)?.is_some() {
        return Err(pair_taken());
    }
    let row = store::insert(
        conn,
        proposer,
        &proposal.partner_cluster_id,
        &proposal.terms,
    )
    .map_err(|e| match e {
        // Two proposals raced past the check; the partial unique index decides.
        diesel::result::Error::DatabaseError(
            diesel::result::DatabaseErrorKind::UniqueViolation,
            _,
        ) => pair_taken(),
        other => ApiError::from(other),
    })?;
    audit::record(
        conn,
        Trail::Partnership(&row.id),
        &Entry {
            actor: Actor::by_kind(principal),
            action: "propose",
            from: None,
            to: PartnershipState::Proposed.as_str(),
            note: proposal.terms.notes.as_deref(),
        },
    )?;
    tx.record(DomainEvent::Partnership(PartnershipEvent {
        what: "proposed",
        partnership: row.clone(),
        by_cluster: proposer.to_owned(),
        note: None,
    }));
    Ok(row)
}

/// Applies `action` to the partnership `id` as `actor`, with its audit event and emails.
pub async fn act(
    app: &AppState,
    actor: Principal,
    id: PartnershipId,
    action: PartnershipAction,
    note: Option<String>,
) -> Result<PartnershipRow, ApiError> {
    app.write(move |tx| {
        let row = load_visible(tx.conn, &actor, &id)?;
        policy::partnerships::act(&actor, &row, action)?;
        let from = row.state;
        let to = transition(from, action)
            .map_err(|e| ApiError::conflict("illegal_transition", e.to_string()))?;
        let row = store::set_state(tx.conn, &row.id, from, to)?
            .ok_or_else(|| ApiError::changed_meanwhile("partnership"))?;
        audit::record(
            tx.conn,
            Trail::Partnership(&row.id),
            &Entry {
                actor: Actor::by_kind(&actor),
                action: action.as_str(),
                from: Some(from.as_str()),
                to: to.as_str(),
                note: note.as_deref(),
            },
        )?;
        tx.record(DomainEvent::Partnership(PartnershipEvent {
            what: action.past(),
            partnership: row.clone(),
            by_cluster: actor.cluster_id.clone().unwrap_or_default(),
            note,
        }));
        Ok(row)
    })
    .await
}

/// An SME member's home cluster, which decides which partnerships they see.
fn home_cluster(
    conn: &mut DbConnection,
    principal: &Principal,
) -> Result<Option<String>, ApiError> {
    match (&principal.role, &principal.sme_id) {
        (Role::SmeMember, Some(sme)) => Ok(store::home_cluster_of(conn, sme)?),
        _ => Ok(None),
    }
}

fn load_visible(
    conn: &mut DbConnection,
    principal: &Principal,
    id: &str,
) -> Result<PartnershipRow, ApiError> {
    let row = store::find(conn, id)?.ok_or_else(|| ApiError::not_found("partnership"))?;
    let home = home_cluster(conn, principal)?;
    policy::partnerships::view(principal, &row, home.as_deref())?;
    Ok(row)
}

/// The partnership `id`, if the caller may see it (404 otherwise).
pub async fn get(
    app: &AppState,
    actor: Principal,
    id: PartnershipId,
) -> Result<PartnershipRow, ApiError> {
    app.read(move |tx| load_visible(tx.conn, &actor, &id)).await
}

/// A well-formed list query.
#[derive(Debug, Clone)]
pub struct ListQuery {
    /// Partnerships this cluster is party to.
    pub cluster_id: Option<String>,
    pub state: Option<PartnershipState>,
    pub after: Option<String>,
    pub limit: i64,
}

/// The partnerships the caller may see: all for the admin, its cluster's for a manager, its
/// home cluster's for an SME member; `limit + 1` at most.
pub async fn list(
    app: &AppState,
    actor: Principal,
    query: ListQuery,
) -> Result<Vec<PartnershipRow>, ApiError> {
    app.read(move |tx| {
        let party = if actor.is_admin() {
            None
        } else if let Some(cluster) = &actor.cluster_id {
            Some(cluster.clone())
        } else {
            Some(home_cluster(tx.conn, &actor)?.unwrap_or_default())
        };
        Ok(store::list(
            tx.conn,
            &PartnershipFilter {
                party,
                cluster_id: query.cluster_id,
                state: query.state,
                after: query.after,
                limit: query.limit,
            },
        )?)
    })
    .await
}

/// The partnership's audit trail, oldest first.
pub async fn events(
    app: &AppState,
    actor: Principal,
    id: PartnershipId,
) -> Result<Vec<EventRow>, ApiError> {
    app.read(move |tx| {
        let row = load_visible(tx.conn, &actor, &id)?;
        Ok(audit::list(
            tx.conn,
            Trail::Partnership(&row.id),
            None,
            None,
        )?)
    })
    .await
}
