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

/// How long an answer is kept.
pub const KEEP: Duration = Duration::from_secs(5);

/// Entries kept at the most; past it the cache starts afresh.
const MAX_ENTRIES: usize = 100_000;

#[derive(Default)]
pub struct Subjects {
    entries: Mutex<HashMap<(SubjectKind, String), (bool, Instant)>>,
}

impl Subjects {
    pub fn new() -> Subjects {
        Subjects::default()
    }

    /// The kept answer for `principal`, if it is recent.
    pub fn cached(&self, principal: &Principal) -> Option<bool> {
        let entries = self.entries.lock().unwrap_or_else(|e| e.into_inner());
        entries
            .get(&(principal.kind, principal.id.clone()))
            .filter(|(_, at)| at.elapsed() < KEEP)
            .map(|(ok, _)| *ok)
    }

    pub fn remember(&self, principal: &Principal, stands: bool) {
        let mut entries = self.entries.lock().unwrap_or_else(|e| e.into_inner());
        if entries.len() >= MAX_ENTRIES {
            entries.clear();
        }
        entries.insert(
            (principal.kind, principal.id.clone()),
            (stands, Instant::now()),
        );
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
                    && user.role == principal.role.as_str()
                    && user.cluster_id == principal.cluster_id
                    && user.sme_id == principal.sme_id
            },
        )),
    }
}
