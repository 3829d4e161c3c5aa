//! Users, API clients, refresh tokens and one-time tokens.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use crate::domain::account::{AccountChange, Locale, Role};

use super::schema::{api_clients, one_time_tokens, refresh_tokens, users};
use super::{DbConnection, new_id, now};

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = users)]
pub struct UserRow {
    pub id: String,
    pub email: String,
    pub name: String,
    pub password_hash: Option<String>,
    pub role: Role,
    pub cluster_id: Option<String>,
    pub sme_id: Option<String>,
    pub disabled: bool,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
    /// When the person showed they read mail at `email`; `None` blocks the first login.
    pub email_confirmed_at: Option<NaiveDateTime>,
    /// The person's language; `None` follows their browser.
    pub locale: Option<Locale>,
}

#[derive(Debug, Insertable)]
#[diesel(table_name = users)]
pub struct NewUser<'a> {
    pub id: &'a str,
    pub email: &'a str,
    pub name: &'a str,
    pub password_hash: Option<&'a str>,
    pub role: Role,
    pub cluster_id: Option<&'a str>,
    pub sme_id: Option<&'a str>,
    pub disabled: bool,
    pub email_confirmed_at: Option<NaiveDateTime>,
    /// The person's language; `None` follows their browser.
    pub locale: Option<Locale>,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
}

pub fn find_user_by_email(conn: &mut DbConnection, email: &str) -> QueryResult<Option<UserRow>> {
    users::table
        .filter(users::email.eq(email))
        .select(UserRow::as_select())
        .first(conn)
        .optional()
}

pub fn find_user(conn: &mut DbConnection, id: &str) -> QueryResult<Option<UserRow>> {
    users::table
        .find(id)
        .select(UserRow::as_select())
        .first(conn)
        .optional()
}

pub fn insert_user(conn: &mut DbConnection, user: &NewUser<'_>) -> QueryResult<()> {
    diesel::insert_into(users::table)
        .values(user)
        .execute(conn)
        .map(|_| ())
}

pub fn set_password(conn: &mut DbConnection, user_id: &str, hash: &str) -> QueryResult<()> {
    diesel::update(users::table.find(user_id))
        .set((
            users::password_hash.eq(Some(hash)),
            users::updated_at.eq(now()),
        ))
        .execute(conn)
        .map(|_| ())
}

/// The update form of a person's own account: the fields present change.
#[derive(Debug, AsChangeset)]
#[diesel(table_name = users)]
struct AccountChangeset<'a> {
    name: Option<&'a str>,
    locale: Option<Locale>,
    updated_at: NaiveDateTime,
}

/// Applies `change` to the account `user_id`; answers whether the account exists.
pub fn update_account(
    conn: &mut DbConnection,
    user_id: &str,
    change: &AccountChange,
    at: NaiveDateTime,
) -> QueryResult<bool> {
    diesel::update(users::table.find(user_id))
        .set(&AccountChangeset {
            name: change.name(),
            locale: change.locale(),
            updated_at: at,
        })
        .execute(conn)
        .map(|n| n == 1)
}

/// The languages chosen by the accounts among `addresses` (lower-case, as accounts store
/// them), in one query. An address without an account, or whose person chose no language, is
/// left out.
pub fn locales_of(
    conn: &mut DbConnection,
    addresses: &[String],
) -> QueryResult<Vec<(String, Locale)>> {
    if addresses.is_empty() {
        return Ok(Vec::new());
    }
    let rows: Vec<(String, Option<Locale>)> = users::table
        .filter(users::email.eq_any(addresses))
        .filter(users::locale.is_not_null())
        .select((users::email, users::locale))
        .load(conn)?;
    Ok(rows
        .into_iter()
        .filter_map(|(email, locale)| Some((email, locale?)))
        .collect())
}

/// Makes an existing account an enabled admin with this password.
pub fn promote_to_admin(conn: &mut DbConnection, user_id: &str, hash: &str) -> QueryResult<()> {
    diesel::update(users::table.find(user_id))
        .set((
            users::password_hash.eq(Some(hash)),
            users::role.eq("admin"),
            users::cluster_id.eq(None::<String>),
            users::sme_id.eq(None::<String>),
            users::disabled.eq(false),
            users::updated_at.eq(now()),
        ))
        .execute(conn)
        .map(|_| ())
}

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = refresh_tokens)]
pub struct RefreshRow {
    pub id: String,
    pub family_id: String,
    pub user_id: String,
    pub expires_at: NaiveDateTime,
    pub rotated_at: Option<NaiveDateTime>,
    pub revoked_at: Option<NaiveDateTime>,
}

pub fn insert_refresh(
    conn: &mut DbConnection,
    user_id: &str,
    family_id: &str,
    token_hash: &str,
    expires_at: NaiveDateTime,
) -> QueryResult<()> {
    diesel::insert_into(refresh_tokens::table)
        .values((
            refresh_tokens::id.eq(new_id()),
            refresh_tokens::token_hash.eq(token_hash),
            refresh_tokens::family_id.eq(family_id),
            refresh_tokens::user_id.eq(user_id),
            refresh_tokens::expires_at.eq(expires_at),
            refresh_tokens::created_at.eq(now()),
        ))
        .execute(conn)
        .map(|_| ())
}

pub fn find_refresh(conn: &mut DbConnection, token_hash: &str) -> QueryResult<Option<RefreshRow>> {
    refresh_tokens::table
        .filter(refresh_tokens::token_hash.eq(token_hash))
        .select(RefreshRow::as_select())
        .first(conn)
        .optional()
}

/// Marks a live refresh token rotated; false when another request rotated it first.
pub fn mark_rotated(conn: &mut DbConnection, id: &str) -> QueryResult<bool> {
    diesel::update(
        refresh_tokens::table
            .find(id)
            .filter(refresh_tokens::rotated_at.is_null())
            .filter(refresh_tokens::revoked_at.is_null()),
    )
    .set(refresh_tokens::rotated_at.eq(Some(now())))
    .execute(conn)
    .map(|n| n == 1)
}

pub fn revoke_family(conn: &mut DbConnection, family_id: &str) -> QueryResult<usize> {
    diesel::update(
        refresh_tokens::table
            .filter(refresh_tokens::family_id.eq(family_id))
            .filter(refresh_tokens::revoked_at.is_null()),
    )
    .set(refresh_tokens::revoked_at.eq(Some(now())))
    .execute(conn)
}

pub fn revoke_user_refresh_tokens(conn: &mut DbConnection, user_id: &str) -> QueryResult<usize> {
    diesel::update(
        refresh_tokens::table
            .filter(refresh_tokens::user_id.eq(user_id))
            .filter(refresh_tokens::revoked_at.is_null()),
    )
    .set(refresh_tokens::revoked_at.eq(Some(now())))
    .execute(conn)
}

/// Marks the address of `user_id` confirmed (once; later calls keep the first time).
pub fn confirm_email(conn: &mut DbConnection, user_id: &str) -> QueryResult<()> {
    let at = now();
    diesel::update(
        users::table
            .find(user_id)
            .filter(users::email_confirmed_at.is_null()),
    )
    .set((
        users::email_confirmed_at.eq(Some(at)),
        users::updated_at.eq(at),
    ))
    .execute(conn)
    .map(|_| ())
}

/// Switches an account off. Answers whether it was on.
pub fn disable_user(conn: &mut DbConnection, user_id: &str) -> QueryResult<bool> {
    let at = now();
    diesel::update(users::table.find(user_id).filter(users::disabled.eq(false)))
        .set((users::disabled.eq(true), users::updated_at.eq(at)))
        .execute(conn)
        .map(|n| n == 1)
}

/// The enabled managers of `cluster_id`, by id.
pub fn cluster_manager_ids(conn: &mut DbConnection, cluster_id: &str) -> QueryResult<Vec<String>> {
    users::table
        .filter(users::cluster_id.eq(cluster_id))
        .filter(users::disabled.eq(false))
        .order(users::id.asc())
        .select(users::id)
        .load(conn)
}

/// What the per-request check of a user's access token compares with the token's claims.
#[derive(Debug, Queryable, Selectable)]
#[diesel(table_name = users)]
pub struct UserStanding {
    pub disabled: bool,
    pub role: Role,
    pub cluster_id: Option<String>,
    pub sme_id: Option<String>,
}

pub fn user_standing(conn: &mut DbConnection, user_id: &str) -> QueryResult<Option<UserStanding>> {
    users::table
        .find(user_id)
        .select(UserStanding::as_select())
        .first(conn)
        .optional()
}

/// The cluster of an API client (by its row id) that is not revoked.
pub fn live_api_client_cluster(conn: &mut DbConnection, id: &str) -> QueryResult<Option<String>> {
    api_clients::table
        .find(id)
        .filter(api_clients::revoked_at.is_null())
        .select(api_clients::cluster_id)
        .first(conn)
        .optional()
}

/// Spends every unused one-time token of `user_id` with one of `purposes`, so only the newest
/// link works.
pub fn end_unused_one_time(
    conn: &mut DbConnection,
    user_id: &str,
    purposes: &[&str],
) -> QueryResult<usize> {
    diesel::update(
        one_time_tokens::table
            .filter(one_time_tokens::user_id.eq(user_id))
            .filter(one_time_tokens::purpose.eq_any(purposes))
            .filter(one_time_tokens::used_at.is_null()),
    )
    .set(one_time_tokens::used_at.eq(Some(now())))
    .execute(conn)
}

/// How many one-time tokens of `purpose` were issued to `user_id` since `since`.
pub fn count_one_time_since(
    conn: &mut DbConnection,
    user_id: &str,
    purpose: &str,
    since: NaiveDateTime,
) -> QueryResult<i64> {
    one_time_tokens::table
        .filter(one_time_tokens::user_id.eq(user_id))
        .filter(one_time_tokens::purpose.eq(purpose))
        .filter(one_time_tokens::created_at.gt(since))
        .count()
        .get_result(conn)
}

pub fn insert_one_time(
    conn: &mut DbConnection,
    user_id: &str,
    purpose: &str,
    token_hash: &str,
    expires_at: NaiveDateTime,
) -> QueryResult<()> {
    diesel::insert_into(one_time_tokens::table)
        .values((
            one_time_tokens::id.eq(new_id()),
            one_time_tokens::token_hash.eq(token_hash),
            one_time_tokens::user_id.eq(user_id),
            one_time_tokens::purpose.eq(purpose),
            one_time_tokens::expires_at.eq(expires_at),
            one_time_tokens::created_at.eq(now()),
        ))
        .execute(conn)
        .map(|_| ())
}

/// Whether an unused, unexpired one-time token of one of `purposes` has this hash; reads only.
pub fn one_time_is_live(
    conn: &mut DbConnection,
    token_hash: &str,
    purposes: &[&str],
    now: NaiveDateTime,
) -> QueryResult<bool> {
    use diesel::dsl::exists;
    diesel::select(exists(
        one_time_tokens::table
            .filter(one_time_tokens::token_hash.eq(token_hash))
            .filter(one_time_tokens::purpose.eq_any(purposes))
            .filter(one_time_tokens::used_at.is_null())
            .filter(one_time_tokens::expires_at.gt(now)),
    ))
    .get_result(conn)
}

/// Uses a one-time token of one of `purposes`: answers its user when it is unused and
/// unexpired, and marks it used.
pub fn consume_one_time(
    conn: &mut DbConnection,
    token_hash: &str,
    purposes: &[&str],
    at: NaiveDateTime,
) -> QueryResult<Option<String>> {
    let found: Option<(String, String)> = one_time_tokens::table
        .filter(one_time_tokens::token_hash.eq(token_hash))
        .filter(one_time_tokens::purpose.eq_any(purposes))
        .filter(one_time_tokens::used_at.is_null())
        .filter(one_time_tokens::expires_at.gt(at))
        .select((one_time_tokens::id, one_time_tokens::user_id))
        .first(conn)
        .optional()?;
    let Some((id, user_id)) = found else {
        return Ok(None);
    };
    let claimed = diesel::update(
        one_time_tokens::table
            .find(&id)
            .filter(one_time_tokens::used_at.is_null()),
    )
    .set(one_time_tokens::used_at.eq(Some(at)))
    .execute(conn)?;
    Ok((claimed == 1).then_some(user_id))
}

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = api_clients)]
pub struct ApiClientRow {
    pub id: String,
    pub cluster_id: String,
    pub name: String,
    pub client_id: String,
    pub secret_hash: String,
    pub revoked_at: Option<NaiveDateTime>,
    pub last_used_at: Option<NaiveDateTime>,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
}

pub fn insert_api_client(
    conn: &mut DbConnection,
    cluster_id: &str,
    name: &str,
    client_id: &str,
    secret_hash: &str,
) -> QueryResult<ApiClientRow> {
    let id = new_id();
    let at = now();
    diesel::insert_into(api_clients::table)
        .values((
            api_clients::id.eq(&id),
            api_clients::cluster_id.eq(cluster_id),
            api_clients::name.eq(name),
            api_clients::client_id.eq(client_id),
            api_clients::secret_hash.eq(secret_hash),
            api_clients::created_at.eq(at),
            api_clients::updated_at.eq(at),
        ))
        .execute(conn)?;
    api_clients::table
        .find(&id)
        .select(ApiClientRow::as_select())
        .first(conn)
}

pub fn find_api_client(
    conn: &mut DbConnection,
    client_id: &str,
) -> QueryResult<Option<ApiClientRow>> {
    api_clients::table
        .filter(api_clients::client_id.eq(client_id))
        .select(ApiClientRow::as_select())
        .first(conn)
        .optional()
}

pub fn list_api_clients(
    conn: &mut DbConnection,
    cluster_id: &str,
) -> QueryResult<Vec<ApiClientRow>> {
    api_clients::table
        .filter(api_clients::cluster_id.eq(cluster_id))
        .order(api_clients::id.asc())
        .select(ApiClientRow::as_select())
        .load(conn)
}

pub fn revoke_api_client(
    conn: &mut DbConnection,
    cluster_id: &str,
    client_id: &str,
) -> QueryResult<bool> {
    let at = now();
    diesel::update(
        api_clients::table
            .filter(api_clients::cluster_id.eq(cluster_id))
            .filter(api_clients::client_id.eq(client_id))
            .filter(api_clients::revoked_at.is_null()),
    )
    .set((
        api_clients::revoked_at.eq(Some(at)),
        api_clients::updated_at.eq(at),
    ))
    .execute(conn)
    .map(|n| n == 1)
}

pub fn touch_api_client(conn: &mut DbConnection, id: &str) -> QueryResult<()> {
    diesel::update(api_clients::table.find(id))
        .set(api_clients::last_used_at.eq(Some(now())))
        .execute(conn)
        .map(|_| ())
}
