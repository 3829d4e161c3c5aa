//! Whether the subject of a verified access token still stands: the person's account is enabled
//! with the role and organisation the token claims, or the API client is not revoked. A JWT
//! alone would keep working until it expires; this check ends it at once.
//!
//! Each answer is kept for a few seconds, so a burst of requests costs one indexed lookup.
//! Revoking a client, disabling a person or removing a manager clears what this instance
//! keeps; another instance of the service sees the change within [`KEEP`].

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use super::Principal;
use super::jwt::SubjectKind;
use crate::db::{DbConnection, accounts};
use crate::domain::account::Role;

/// How long an answer is kept.
pub const KEEP: Duration = Duration::from_secs(5);

/// Entries kept at the most; past it the cache starts afresh.
const MAX_ENTRIES: usize = 100_000;

/// What an answer is about: the subject and everything its token claims, since two tokens of
/// one person (before and after a change of role) stand or fall apart.
type Key = (SubjectKind, String, Role, Option<String>, Option<String>);

fn key(principal: &Principal) -> Key {
    (
        principal.kind,
        principal.id.clone(),
        principal.role,
        principal.cluster_id.clone(),
        principal.sme_id.clone(),
    )
}

#[derive(Default)]
pub struct Subjects {
    entries: Mutex<HashMap<Key, (bool, Instant)>>,
}

impl Subjects {
    pub fn new() -> Subjects {
        Subjects::default()
    }

    /// The kept answer for `principal`, if it is recent.
    pub fn cached(&self, principal: &Principal) -> Option<bool> {
        let entries = self.entries.lock().unwrap_or_else(|e| e.into_inner());
        entries
            .get(&key(principal))
            .filter(|(_, at)| at.elapsed() < KEEP)
            .map(|(ok, _)| *ok)
    }

    pub fn remember(&self, principal: &Principal, stands: bool) {
        let mut entries = self.entries.lock().unwrap_or_else(|e| e.into_inner());
        if entries.len() >= MAX_ENTRIES {
            entries.clear();
        }
        entries.insert(key(principal), (stands, Instant::now()));
    }

    /// Forgets every kept answer: called after any revocation, so it takes effect at once.
    pub fn clear(&self) {
        self.entries
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .clear();
    }
}

/// Reads whether `principal` still stands, from the database.
pub fn stands(conn: &mut DbConnection, principal: &Principal) -> diesel::QueryResult<bool> {
    match principal.kind {
        SubjectKind::ApiClient => Ok(accounts::live_api_client_cluster(conn, &principal.id)?
            .is_some_and(|cluster| principal.cluster_id.as_deref() == Some(cluster.as_str()))),
        SubjectKind::User => Ok(accounts::user_standing(conn, &principal.id)?.is_some_and(
            |user| {
                !user.disabled
                    && user.role == principal.role
                    && user.cluster_id == principal.cluster_id
                    && user.sme_id == principal.sme_id
            },
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn principal(role: Role, cluster_id: Option<&str>) -> Principal {
        Principal {
            id: "user-1".into(),
            kind: SubjectKind::User,
            role,
            cluster_id: cluster_id.map(str::to_owned),
            sme_id: None,
            email: None,
        }
    }

    #[test]
    fn an_answer_holds_for_the_claims_it_was_given_until_cleared() {
        let subjects = Subjects::new();
        let manager = principal(Role::ClusterManager, Some("cluster-a"));
        let admin = principal(Role::Admin, None);
        subjects.remember(&manager, false);
        assert_eq!(subjects.cached(&manager), Some(false));
        assert_eq!(
            subjects.cached(&admin),
            None,
            "other claims are asked afresh"
        );
        subjects.remember(&admin, true);
        assert_eq!(subjects.cached(&admin), Some(true));
        subjects.clear();
        assert_eq!(subjects.cached(&admin), None);
    }
}
