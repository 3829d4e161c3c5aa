//! The audit trail: who did what to a landing or a partnership, when, and from which state to
//! which. One module for every trail; each trail is a table of the same columns.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::schema::{landing_events, partnership_events};
use super::{DbConnection, new_id, now};
use crate::auth::Principal;
use crate::auth::jwt::SubjectKind;

/// Whose trail an entry belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Trail<'a> {
    Landing(&'a str),
    Partnership(&'a str),
}

/// Who did something.
#[derive(Debug, Clone, Copy)]
pub struct Actor<'a> {
    pub id: &'a str,
    /// `sme_member`, `cluster_manager`, `admin`, `user`, `api_client` or `system`.
    pub kind: &'a str,
}

impl Actor<'_> {
    /// What the sweep does on its own.
    pub const SYSTEM: Actor<'static> = Actor {
        id: "system",
        kind: "system",
    };

    /// A person by role, or an API client (the landing trail).
    pub fn by_role(principal: &Principal) -> Actor<'_> {
        Actor {
            id: &principal.id,
            kind: match principal.kind {
                SubjectKind::User => principal.role.as_str(),
                SubjectKind::ApiClient => "api_client",
            },
        }
    }

    /// A person (`user`) or an API client (the partnership trail, as the contract shows it).
    pub fn by_kind(principal: &Principal) -> Actor<'_> {
        Actor {
            id: &principal.id,
            kind: match principal.kind {
                SubjectKind::User => "user",
                SubjectKind::ApiClient => "api_client",
            },
        }
    }
}

/// One entry, as written.
#[derive(Debug, Clone, Copy)]
pub struct Entry<'a> {
    pub actor: Actor<'a>,
    pub action: &'a str,
    pub from: Option<&'a str>,
    pub to: &'a str,
    pub note: Option<&'a str>,
}

/// One entry, as read.
#[derive(Debug, Clone, Queryable)]
pub struct EventRow {
    pub id: String,
    pub actor_id: String,
    pub actor_kind: String,
    pub action: String,
    pub from_state: Option<String>,
    pub to_state: String,
    pub note: Option<String>,
    pub at: NaiveDateTime,
}

/// The same statement on either trail's table: `$e` is the table's module, `$owner` the column
/// naming whose trail it is.
macro_rules! append {
    ($conn:expr, $e:ident, $owner:ident, $owner_id:expr, $entry:expr) => {{
        use $e as e;
        diesel::insert_into(e::table)
            .values((
                e::id.eq(new_id()),
                e::$owner.eq($owner_id),
                e::actor_id.eq($entry.actor.id),
                e::actor_kind.eq($entry.actor.kind),
                e::action.eq($entry.action),
                e::from_state.eq($entry.from),
                e::to_state.eq($entry.to),
                e::note.eq($entry.note),
                e::at.eq(now()),
            ))
            .execute($conn)
            .map(|_| ())
    }};
}

macro_rules! entries {
    ($conn:expr, $e:ident, $owner:ident, $owner_id:expr, $after:expr, $limit:expr) => {{
        use $e as e;
        e::table
            .filter(e::$owner.eq($owner_id))
            .filter(e::id.gt($after))
            .order(e::id.asc())
            .limit($limit)
            .select((
                e::id,
                e::actor_id,
                e::actor_kind,
                e::action,
                e::from_state,
                e::to_state,
                e::note,
                e::at,
            ))
            .load($conn)
    }};
}

/// Appends `entry` to `trail`.
pub fn record(conn: &mut DbConnection, trail: Trail<'_>, entry: &Entry<'_>) -> QueryResult<()> {
    match trail {
        Trail::Landing(id) => append!(conn, landing_events, landing_id, id, entry),
        Trail::Partnership(id) => append!(conn, partnership_events, partnership_id, id, entry),
    }
}

/// The trail, oldest first: `limit + 1` entries after the entry id `after` at most (all of
/// them without a limit).
pub fn list(
    conn: &mut DbConnection,
    trail: Trail<'_>,
    after: Option<&str>,
    limit: Option<i64>,
) -> QueryResult<Vec<EventRow>> {
    let after = after.unwrap_or("").to_owned();
    let limit = limit.map_or(i64::MAX, |l| l + 1);
    match trail {
        Trail::Landing(id) => entries!(conn, landing_events, landing_id, id, after, limit),
        Trail::Partnership(id) => {
            entries!(conn, partnership_events, partnership_id, id, after, limit)
        }
    }
}

/// An entry of a landing's trail, whole, as it is inserted. `None` writes NULL (not the column's
/// default), as the hand-written column lists do, and PostgreSQL's `COPY` can take the form.
#[derive(Debug, Clone, Insertable)]
#[diesel(table_name = landing_events, treat_none_as_default_value = false)]
pub struct NewLandingEvent {
    pub id: String,
    pub landing_id: crate::domain::ids::LandingId,
    pub actor_id: String,
    pub actor_kind: String,
    pub action: String,
    pub from_state: Option<String>,
    pub to_state: String,
    pub note: Option<String>,
    pub at: NaiveDateTime,
}

/// An entry of a partnership's trail, whole, as it is inserted. `None` writes NULL (not the
/// column's default), as the hand-written column lists do, and PostgreSQL's `COPY` can take the
/// form.
#[derive(Debug, Clone, Insertable)]
#[diesel(table_name = partnership_events, treat_none_as_default_value = false)]
pub struct NewPartnershipEvent {
    pub id: String,
    pub partnership_id: crate::domain::ids::PartnershipId,
    pub actor_id: String,
    pub actor_kind: String,
    pub action: String,
    pub from_state: Option<String>,
    pub to_state: String,
    pub note: Option<String>,
    pub at: NaiveDateTime,
}
