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
