//! Authorisation, one function per resource and action. Every handler asks here; none checks
//! roles itself. What a caller may not see is 404; what it sees but may not do is 403.

use super::Principal;
use super::jwt::SubjectKind;
use crate::error::ApiError;

/// The network coordinator's tools (outbox, reports of every pair).
pub fn admin_only(principal: &Principal) -> Result<(), ApiError> {
    if principal.is_admin() {
        Ok(())
    } else {
        Err(ApiError::forbidden(
            "only the network's coordinator may do this",
        ))
    }
}

/// API clients of a cluster: its human managers create, list and revoke them; the admin
/// may list and revoke. A portal's own client cannot mint further clients.
pub mod api_clients {
    use super::*;

    pub fn list(principal: &Principal, cluster_id: &str) -> Result<(), ApiError> {
        if principal.is_admin() || principal.manages_cluster(cluster_id) {
            Ok(())
        } else {
            Err(ApiError::forbidden(
                "only the cluster's managers may manage its API clients",
            ))
        }
    }

    pub fn create(principal: &Principal, cluster_id: &str) -> Result<(), ApiError> {
        if principal.manages_cluster(cluster_id) && principal.kind == SubjectKind::User {
            Ok(())
        } else {
            Err(ApiError::forbidden(
                "only the cluster's managers may create its API clients",
            ))
        }
    }

    pub fn revoke(principal: &Principal, cluster_id: &str) -> Result<(), ApiError> {
        if principal.is_admin()
            || (principal.manages_cluster(cluster_id) && principal.kind == SubjectKind::User)
        {
            Ok(())
        } else {
            Err(ApiError::forbidden(
                "only the cluster's managers may revoke its API clients",
            ))
        }
    }
}

/// Clusters: public to read; the admin creates them; the admin and the cluster's managers
/// (and its API clients, which act with their rights) edit them and invite managers.
pub mod clusters {
    use super::*;

    pub fn create(principal: &Principal) -> Result<(), ApiError> {
        admin_only(principal)
    }

    pub fn update(principal: &Principal, cluster_id: &str) -> Result<(), ApiError> {
        if principal.is_admin() || principal.manages_cluster(cluster_id) {
            Ok(())
        } else {
            Err(ApiError::forbidden(
                "only the admin and the cluster's managers may edit it",
            ))
        }
    }

    pub fn manage_people(principal: &Principal, cluster_id: &str) -> Result<(), ApiError> {
        if principal.is_admin() || principal.manages_cluster(cluster_id) {
            Ok(())
        } else {
            Err(ApiError::forbidden(
                "only the admin and the cluster's managers may manage its managers",
            ))
        }
    }
}

/// Partnerships: proposed by a cluster's managers; the invited partner answers; either side
/// suspends, resumes or terminates. Visible to the admin, to both clusters' managers and to
/// members of SMEs whose home cluster is a party; hidden (404) from everyone else.
pub mod partnerships {
    use super::*;
    use crate::db::partnerships::PartnershipRow;
    use crate::domain::partnership::PartnershipAction;

    /// The cluster on whose behalf the caller proposes.
    pub fn propose(principal: &Principal) -> Result<&str, ApiError> {
        match (&principal.role, principal.cluster_id.as_deref()) {
            (crate::domain::account::Role::ClusterManager, Some(cluster)) => Ok(cluster),
            _ => Err(ApiError::forbidden(
                "only a cluster's managers may propose a partnership",
            )),
        }
    }

    /// Whether the caller may see the partnership; `home_cluster` is an SME member's.
    pub fn view(
        principal: &Principal,
        row: &PartnershipRow,
        home_cluster: Option<&str>,
    ) -> Result<(), ApiError> {
        let party = principal.is_admin()
            || principal
                .cluster_id
                .as_deref()
                .is_some_and(|c| row.involves(c))
            || home_cluster.is_some_and(|c| row.involves(c));
        if party {
            Ok(())
        } else {
            Err(ApiError::not_found("partnership"))
        }
    }

    pub fn act(
        principal: &Principal,
        row: &PartnershipRow,
        action: PartnershipAction,
    ) -> Result<(), ApiError> {
        let side = |cluster: &str| principal.manages_cluster(cluster);
        let allowed = if action.partner_only() {
            side(&row.partner_cluster_id)
        } else {
            side(&row.partner_cluster_id) || side(&row.proposer_cluster_id)
        };
        if allowed {
            Ok(())
        } else if action.partner_only() && side(&row.proposer_cluster_id) {
            Err(ApiError::forbidden(
                "only the invited partner may accept or decline a proposal",
            ))
        } else {
            Err(ApiError::forbidden(
                "only the managers of the partnership's clusters may do this",
            ))
        }
    }
}
