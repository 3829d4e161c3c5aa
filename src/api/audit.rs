//! The audit trail's wire shape, shared by partnerships and landings:
//! `{at, actor, action, from_state, to_state, note}`.

use chrono::{DateTime, Utc};
use serde::Serialize;

use crate::db::audit::EventRow;

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct AuditEvent {
    pub at: DateTime<Utc>,
    pub actor: EventActor,
    pub action: String,
    pub from_state: Option<String>,
    pub to_state: String,
    pub note: Option<String>,
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct EventActor {
    pub id: String,
    /// sme_member, cluster_manager, admin, user, api_client, or system (the landing sweep).
    pub kind: String,
}

impl From<EventRow> for AuditEvent {
    fn from(e: EventRow) -> AuditEvent {
        AuditEvent {
            at: e.at.and_utc(),
            actor: EventActor {
                id: e.actor_id,
                kind: e.actor_kind,
            },
            action: e.action,
            from_state: e.from_state,
            to_state: e.to_state,
            note: e.note,
        }
    }
}
