//! The portal's server-side sessions. A row is found by the SHA-256 of the random id its
//! cookie carries; the row alone signs nobody in. Signing out, a password set from a link,
//! disabling an account and removing a manager delete a person's rows.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::DbConnection;
use super::accounts::UserRow;
use super::schema::{sessions, users};
use super::waiting;

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = sessions)]
pub struct SessionRow {
    pub id_hash: String,
    pub user_id: String,
    pub csrf_token: String,
    pub created_at: NaiveDateTime,
    pub last_seen_at: NaiveDateTime,
    /// The absolute end, whatever the activity.
    pub expires_at: NaiveDateTime,
}

#[derive(Debug, Insertable)]
#[diesel(table_name = sessions)]
pub struct NewSession<'a> {
    pub id_hash: &'a str,
    pub user_id: &'a str,
    pub csrf_token: &'a str,
    pub created_at: NaiveDateTime,
    pub last_seen_at: NaiveDateTime,
    pub expires_at: NaiveDateTime,
}

pub fn insert(conn: &mut DbConnection, session: &NewSession<'_>) -> QueryResult<()> {
    diesel::insert_into(sessions::table)
        .values(session)
        .execute(conn)
        .map(|_| ())
}

/// The session whose id hashes to `id_hash`, its person, and how many items of each list
/// wait for the person's cluster (approvals, endorsements, sign-ups, proposals), each counted
/// up to `CAP`: in one statement, since every page a manager opens shows the counts. A person
/// of no cluster counts nothing.
pub fn find_with_user<const CAP: i64>(
    conn: &mut DbConnection,
    id_hash: &str,
) -> QueryResult<Option<(SessionRow, UserRow, [i64; 4])>> {
    type Counted = (i64, i64, i64, i64);
    let found: Option<(SessionRow, UserRow, Counted)> = sessions::table
        .inner_join(users::table)
        .filter(sessions::id_hash.eq(id_hash))
        .select((
            SessionRow::as_select(),
            UserRow::as_select(),
            (
                waiting::UsersWaiting::<0, CAP>,
                waiting::UsersWaiting::<1, CAP>,
                waiting::UsersWaiting::<2, CAP>,
                waiting::UsersWaiting::<3, CAP>,
            ),
        ))
        .first(conn)
        .optional()?;
    Ok(found.map(|(session, user, c)| (session, user, [c.0, c.1, c.2, c.3])))
}

/// Records activity, for the idle timeout.
pub fn touch(conn: &mut DbConnection, id_hash: &str, at: NaiveDateTime) -> QueryResult<()> {
    diesel::update(sessions::table.find(id_hash))
        .set(sessions::last_seen_at.eq(at))
        .execute(conn)
        .map(|_| ())
}

pub fn delete(conn: &mut DbConnection, id_hash: &str) -> QueryResult<usize> {
    diesel::delete(sessions::table.find(id_hash)).execute(conn)
}

/// Ends every session of `user_id`; answers how many there were.
pub fn delete_for_user(conn: &mut DbConnection, user_id: &str) -> QueryResult<usize> {
    diesel::delete(sessions::table.filter(sessions::user_id.eq(user_id))).execute(conn)
}

/// Ends every session of `user_id` but `keep_hash`.
pub fn delete_others(
    conn: &mut DbConnection,
    user_id: &str,
    keep_hash: &str,
) -> QueryResult<usize> {
    diesel::delete(
        sessions::table
            .filter(sessions::user_id.eq(user_id))
            .filter(sessions::id_hash.ne(keep_hash)),
    )
    .execute(conn)
}

/// Removes sessions past their absolute end or idle since `idle_before`.
pub fn delete_stale(
    conn: &mut DbConnection,
    now: NaiveDateTime,
    idle_before: NaiveDateTime,
) -> QueryResult<usize> {
    diesel::delete(
        sessions::table.filter(
            sessions::expires_at
                .le(now)
                .or(sessions::last_seen_at.lt(idle_before)),
        ),
    )
    .execute(conn)
}
