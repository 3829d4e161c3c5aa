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
            people_only(principal)
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

    /// Seeing the cluster's managers: the admin, its managers and its API clients.
    pub fn manage_people(principal: &Principal, cluster_id: &str) -> Result<(), ApiError> {
        if principal.is_admin() || principal.manages_cluster(cluster_id) {
            Ok(())
        } else {
            Err(ApiError::forbidden(
                "only the admin and the cluster's managers may manage its managers",
            ))
        }
    }

    /// Inviting or removing a manager: people only (the admin or a human manager). An API
    /// client's secret must never turn into a person's account.
    pub fn change_people(principal: &Principal, cluster_id: &str) -> Result<(), ApiError> {
        manage_people(principal, cluster_id)?;
        people_only(principal)
    }
}

/// People management (managers, SME colleagues, API clients) is for people: an API client gets
/// 403 there.
pub fn people_only(principal: &Principal) -> Result<(), ApiError> {
    only_a_person(
        principal,
        "only a person may manage people and API clients; an API client may not",
    )
}

/// A person passes; an API client gets 403 `people_only`, told why by `detail`.
fn only_a_person(principal: &Principal, detail: &str) -> Result<(), ApiError> {
    if principal.kind == SubjectKind::User {
        Ok(())
    } else {
        Err(ApiError::forbidden_because("people_only", detail))
    }
}

/// A person's own account (name, language): a person's only. An API client has no account
/// of its own to change.
pub mod me {
    use super::*;

    pub fn edit(principal: &Principal) -> Result<(), ApiError> {
        super::only_a_person(
            principal,
            "only a person has a name and a language to change; an API client has not",
        )
    }
}

/// The coordinator's power over accounts.
pub mod users {
    use super::*;

    /// Disabling an account: the admin, never its own (the network would lose its
    /// coordinator by a slip).
    pub fn disable(principal: &Principal, user_id: &str) -> Result<(), ApiError> {
        admin_only(principal)?;
        if principal.id == user_id {
            return Err(ApiError::conflict(
                "cannot_disable_self",
                "an admin cannot disable their own account",
            ));
        }
        Ok(())
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

/// SMEs. An SME is visible to its own members, to its home cluster's managers and API clients
/// (who act with the managers' rights), and to the admin; to anyone else it does not exist (404).
/// Sign-up is public and needs no rule here.
///
/// Deciding membership (verify, decline) belongs to the home cluster. The admin may decide too:
/// the network's coordinator has to be able to unblock an SME whose cluster has no active
/// manager. An SME's own members see their SME but cannot decide about it (403).
pub mod smes {
    use super::*;
    use crate::domain::account::Role;

    /// The SME a rule is about: its id and its home cluster.
    #[derive(Debug, Clone, Copy)]
    pub struct Subject<'a> {
        pub id: &'a str,
        pub home_cluster_id: &'a str,
    }

    /// Which SMEs a list shows the caller.
    #[derive(Debug, Clone, PartialEq, Eq)]
    pub enum ListScope {
        All,
        HomeCluster(String),
    }

    fn visible(principal: &Principal, sme: Subject<'_>) -> bool {
        principal.is_admin()
            || principal.manages_cluster(sme.home_cluster_id)
            || principal.member_of_sme(sme.id)
    }

    fn hidden() -> ApiError {
        ApiError::not_found("SME")
    }

    /// `GET /smes`: the admin sees every SME, a cluster's managers and API clients the SMEs
    /// whose home it is; an SME member has no list (403).
    pub fn list(principal: &Principal) -> Result<ListScope, ApiError> {
        match (principal.role, principal.cluster_id.as_deref()) {
            (Role::Admin, _) => Ok(ListScope::All),
            (Role::ClusterManager, Some(cluster)) => Ok(ListScope::HomeCluster(cluster.to_owned())),
            _ => Err(ApiError::forbidden(
                "SME members see their own SME at /smes/{id}; the list is for clusters",
            )),
        }
    }

    pub fn view(principal: &Principal, sme: Subject<'_>) -> Result<(), ApiError> {
        if visible(principal, sme) {
            Ok(())
        } else {
            Err(hidden())
        }
    }

    /// Editing the profile: everyone who sees the SME.
    pub fn edit(principal: &Principal, sme: Subject<'_>) -> Result<(), ApiError> {
        view(principal, sme)
    }

    /// Verifying or declining the membership: the home cluster and the admin.
    pub fn decide(principal: &Principal, sme: Subject<'_>) -> Result<(), ApiError> {
        view(principal, sme)?;
        if principal.is_admin() || principal.manages_cluster(sme.home_cluster_id) {
            Ok(())
        } else {
            Err(ApiError::forbidden(
                "only the SME's home cluster decides about its membership",
            ))
        }
    }

    /// Inviting a colleague: the SME's members (once the SME is verified), its home cluster's
    /// managers, and the admin; people only.
    pub fn invite_member(
        principal: &Principal,
        sme: Subject<'_>,
        verified: bool,
    ) -> Result<(), ApiError> {
        view(principal, sme)?;
        super::people_only(principal)?;
        if principal.member_of_sme(sme.id) && !verified {
            return Err(ApiError::forbidden_because(
                "sme_not_verified",
                "colleagues can be invited once the home cluster has verified the SME",
            ));
        }
        Ok(())
    }
}

/// Offers: published ones are public; the others are visible only to the host cluster's
/// managers and API clients and to the admin. The host's managers and API clients manage them.
pub mod offers {
    use super::*;

    pub fn view(
        principal: Option<&Principal>,
        cluster_id: &str,
        published: bool,
    ) -> Result<(), ApiError> {
        let insider = principal.is_some_and(|p| p.is_admin() || p.manages_cluster(cluster_id));
        if published || insider {
            Ok(())
        } else {
            Err(ApiError::not_found("offer"))
        }
    }

    pub fn manage(principal: &Principal, cluster_id: &str) -> Result<(), ApiError> {
        if principal.manages_cluster(cluster_id) {
            Ok(())
        } else {
            Err(ApiError::forbidden(
                "only the host cluster's managers may manage its offers",
            ))
        }
    }
}

/// Landings: the SME sees its own, the host cluster those on its offers, the home cluster its
/// SMEs', the admin all; to anyone else a landing does not exist (404). Each action belongs to
/// the parties the state machine names ([`LandingAction::parties`]); the admin, as the
/// network's coordinator, may take any of them. A party that sees a landing but does not own
/// the action gets 403.
pub mod landings {
    use super::*;
    use crate::domain::account::Role;
    use crate::domain::landing::{LandingAction, Party};

    /// The landing a rule is about.
    #[derive(Debug, Clone, Copy)]
    pub struct Subject<'a> {
        pub sme_id: &'a str,
        pub host_cluster_id: &'a str,
        pub home_cluster_id: &'a str,
    }

    /// Whose landings a list shows the caller.
    #[derive(Debug, Clone, PartialEq, Eq)]
    pub enum ListScope {
        All,
        Sme(String),
        Cluster(String),
    }

    /// The parties the caller acts as on this landing (none for the admin or a stranger).
    pub fn parties(principal: &Principal, landing: Subject<'_>) -> Vec<Party> {
        let mut parties = Vec::new();
        if principal.member_of_sme(landing.sme_id) {
            parties.push(Party::Sme);
        }
        if principal.manages_cluster(landing.home_cluster_id) {
            parties.push(Party::Home);
        }
        if principal.manages_cluster(landing.host_cluster_id) {
            parties.push(Party::Host);
        }
        parties
    }

    pub fn view(principal: &Principal, landing: Subject<'_>) -> Result<(), ApiError> {
        if principal.is_admin() || !parties(principal, landing).is_empty() {
            Ok(())
        } else {
            Err(ApiError::not_found("landing"))
        }
    }

    pub fn act(
        principal: &Principal,
        landing: Subject<'_>,
        action: LandingAction,
    ) -> Result<(), ApiError> {
        view(principal, landing)?;
        let allowed = action.parties();
        if principal.is_admin()
            || parties(principal, landing)
                .iter()
                .any(|p| allowed.contains(p))
        {
            return Ok(());
        }
        let owner = match allowed {
            [Party::Home] => "the SME's home cluster",
            [Party::Host] => "the host cluster",
            [Party::Sme] => "the SME",
            _ => "the SME or the host cluster",
        };
        Err(ApiError::forbidden(format!(
            "only {owner} may {} this landing",
            action.as_str()
        )))
    }

    /// Requesting a landing: members of an SME (its membership is checked against the data).
    pub fn submit(principal: &Principal) -> Result<&str, ApiError> {
        match (principal.role, principal.sme_id.as_deref()) {
            (Role::SmeMember, Some(sme)) => Ok(sme),
            _ => Err(ApiError::forbidden(
                "only members of an SME request landings",
            )),
        }
    }

    /// Feedback is the visiting SME's own voice.
    pub fn feedback(principal: &Principal, landing: Subject<'_>) -> Result<(), ApiError> {
        view(principal, landing)?;
        if principal.member_of_sme(landing.sme_id) {
            Ok(())
        } else {
            Err(ApiError::forbidden(
                "only the visiting SME gives feedback on its landing",
            ))
        }
    }

    pub fn list(principal: &Principal) -> Result<ListScope, ApiError> {
        match (
            principal.role,
            principal.cluster_id.as_deref(),
            principal.sme_id.as_deref(),
        ) {
            (Role::Admin, _, _) => Ok(ListScope::All),
            (Role::ClusterManager, Some(cluster), _) => Ok(ListScope::Cluster(cluster.to_owned())),
            (Role::SmeMember, _, Some(sme)) => Ok(ListScope::Sme(sme.to_owned())),
            _ => Err(ApiError::forbidden("this account sees no landings")),
        }
    }
}

/// Webhooks: a cluster's managers and its API clients create and run its webhooks; the admin
/// sees and runs every one but creates none (a webhook belongs to a cluster). To anyone else a
/// webhook does not exist (404).
pub mod webhooks {
    use super::*;

    /// The cluster a new webhook belongs to: the caller's.
    pub fn create(principal: &Principal) -> Result<&str, ApiError> {
        match (&principal.role, principal.cluster_id.as_deref()) {
            (crate::domain::account::Role::ClusterManager, Some(cluster_id)) => Ok(cluster_id),
            _ => Err(ApiError::forbidden(
                "webhooks belong to a cluster: its managers and API clients create them",
            )),
        }
    }

    /// Whose webhooks a list shows: every cluster's (`None`, the admin) or one.
    pub fn list(principal: &Principal) -> Result<Option<&str>, ApiError> {
        if principal.is_admin() {
            return Ok(None);
        }
        create(principal).map(Some)
    }

    /// Seeing and running the webhook of `cluster_id`.
    pub fn manage(principal: &Principal, cluster_id: &str) -> Result<(), ApiError> {
        if principal.is_admin() || principal.manages_cluster(cluster_id) {
            Ok(())
        } else {
            Err(ApiError::not_found("webhook"))
        }
    }
}

/// What waits for a cluster's managers: their own cluster's, for them alone.
pub mod waiting {
    use super::*;

    /// The cluster whose waiting items the caller sees.
    pub fn of(principal: &Principal) -> Result<&str, ApiError> {
        match (principal.role, principal.cluster_id.as_deref()) {
            (crate::domain::account::Role::ClusterManager, Some(cluster_id)) => Ok(cluster_id),
            _ => Err(ApiError::forbidden(
                "what waits for a cluster is for its managers",
            )),
        }
    }
}

/// Reports of the network's use: the admin (the coordinator the agreement informs) sees all of
/// it; a cluster's managers and API clients see what concerns their cluster. SME members see
/// no reports (403).
pub mod reports {
    use super::*;
    use crate::domain::account::Role;

    /// Whose use a report covers.
    #[derive(Debug, Clone, PartialEq, Eq)]
    pub enum Scope {
        /// Every partnership and landing.
        All,
        /// The partnerships the cluster is party to, the landings it hosted or sent.
        Cluster(String),
    }

    pub fn view(principal: &Principal) -> Result<Scope, ApiError> {
        match (principal.role, principal.cluster_id.as_deref()) {
            (Role::Admin, _) => Ok(Scope::All),
            (Role::ClusterManager, Some(cluster)) => Ok(Scope::Cluster(cluster.to_owned())),
            _ => Err(ApiError::forbidden(
                "reports are for the network's coordinator and the clusters' managers",
            )),
        }
    }
}
