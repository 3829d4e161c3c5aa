//! The token flows of the OAuth 2.0 token endpoint, revocation, password resets and
//! invitations. These run on a blocking thread with a pooled connection; every change and the
//! email it causes are written in one transaction. The password grant and setting a password
//! with a token are async instead: their Argon2 work waits at the hashing gate with no
//! connection held.

use std::sync::Arc;

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use chrono::Duration;
use chrono::NaiveDateTime;

use super::Principal;
use super::crypto::{constant_time_eq, random_token, token_hash};
use super::jwt::{JwtKeys, SubjectKind};
use super::limiter::LoginLimiter;
use super::password;
use crate::config::Settings;
use crate::db::accounts::{self, NewUser, UserRow};
use crate::db::pool::run;
use crate::db::sessions;
use crate::db::{DbConnection, DbError, new_id, now, write_transaction};
use crate::domain::account::{Email, Locale, OneTimePurpose, Password, Role, mask_email};
use crate::error::ApiError;
use crate::state::AppState;

/// What the token endpoint answers on success.
#[derive(Debug)]
pub struct Issued {
    pub access_token: String,
    pub expires_in: i64,
    pub refresh_token: Option<String>,
}

/// RFC 6749 §5.2 errors, plus the limits and failures around them.
#[derive(Debug)]
pub enum GrantError {
    InvalidRequest(String),
    InvalidGrant(String),
    /// `basic` tells whether the client authenticated with HTTP Basic.
    InvalidClient {
        basic: bool,
    },
    UnsupportedGrantType(String),
    /// The password was right, but the address is not confirmed yet.
    Unconfirmed,
    RateLimited(u64),
    Server(Box<ApiError>),
}

impl From<diesel::result::Error> for GrantError {
    fn from(e: diesel::result::Error) -> GrantError {
        GrantError::Server(Box::new(ApiError::from(e)))
    }
}

impl From<DbError> for GrantError {
    fn from(e: DbError) -> GrantError {
        GrantError::Server(Box::new(e.into()))
    }
}

impl From<actix_web::error::BlockingError> for GrantError {
    fn from(e: actix_web::error::BlockingError) -> GrantError {
        GrantError::Server(Box::new(e.into()))
    }
}

impl From<jsonwebtoken::errors::Error> for GrantError {
    fn from(e: jsonwebtoken::errors::Error) -> GrantError {
        GrantError::Server(Box::new(ApiError::internal(e)))
    }
}

fn user_subject(user: &UserRow) -> Result<Principal, GrantError> {
    let role = user.role;
    Ok(Principal {
        id: user.id.clone(),
        kind: SubjectKind::User,
        role,
        cluster_id: user.cluster_id.clone(),
        sme_id: user.sme_id.clone(),
        email: Some(user.email.clone()),
    })
}

/// Issues an access token and a refresh token in `family_id` (a new family when `None`).
fn issue_pair(
    conn: &mut DbConnection,
    keys: &JwtKeys,
    settings: &Settings,
    user: &UserRow,
    family_id: Option<&str>,
) -> Result<Issued, GrantError> {
    let refresh = random_token(32);
    let family = family_id.map(str::to_owned).unwrap_or_else(new_id);
    let ttl = i64::try_from(settings.auth.refresh_token_ttl_secs).unwrap_or(30 * 86_400);
    accounts::insert_refresh(
        conn,
        &user.id,
        &family,
        &token_hash(&refresh),
        now() + Duration::seconds(ttl),
    )?;
    Ok(Issued {
        access_token: keys.issue(user_subject(user)?)?,
        expires_in: keys.ttl_secs(),
        refresh_token: Some(refresh),
    })
}

/// `grant_type=password`: [`check_password`], then a token pair.
pub async fn password_grant(
    state: Arc<AppState>,
    client_address: &str,
    username: &str,
    password_attempt: String,
) -> Result<Issued, GrantError> {
    let user = check_password(&state, client_address, username, password_attempt).await?;
    let issuing = state.clone();
    run(&state.db, move |conn| {
        write_transaction(conn, |conn| {
            issue_pair(conn, &issuing.keys, &issuing.settings, &user, None)
        })
    })
    .await
}

/// A person signing in with a password, by the token endpoint or the portal: the account when
/// the password is right, the account enabled and its address confirmed. A slot in the
/// failed-login limits is taken before the password is verified, so simultaneous guesses
/// cannot pass them, then a turn at the hashing gate. The account is read with a pooled
/// connection that is given back before the verification.
pub async fn check_password(
    state: &AppState,
    client_address: &str,
    username: &str,
    password_attempt: String,
) -> Result<UserRow, GrantError> {
    let email = Email::parse(username).ok();
    let account = email.as_ref().map(Email::as_str);
    let attempt = match state.limiter.reserve(account, client_address) {
        Ok(attempt) => attempt,
        Err(wait) => {
            tracing::warn!(account = %account.map(mask_email).unwrap_or_default(), "login rate limited");
            return Err(GrantError::RateLimited(wait));
        }
    };
    // A turn at the hashing gate comes before the database: beyond it, busy at once.
    let turn = state
        .hashing
        .admit()
        .await
        .map_err(|e| GrantError::Server(Box::new(e.into())))?;
    let user = match &email {
        Some(email) => {
            let email = email.clone();
            run(&state.db, move |conn| {
                accounts::find_user_by_email(conn, email.as_str()).map_err(GrantError::from)
            })
            .await?
        }
        None => None,
    };
    let usable = user.filter(|u| !u.disabled);
    let stored = usable.as_ref().and_then(|u| u.password_hash.clone());
    // Unknown, disabled and not-yet-activated accounts verify against the dummy hash.
    let matches = turn
        .verify(password_attempt, stored)
        .await
        .map_err(|e| GrantError::Server(Box::new(e.into())))?;
    let user = match usable {
        Some(user) if matches => user,
        _ => {
            attempt.failed();
            tracing::info!(account = %account.map(mask_email).unwrap_or_default(), "failed login");
            return Err(GrantError::InvalidGrant(
                "the username or password is wrong".into(),
            ));
        }
    };
    if user.email_confirmed_at.is_none() {
        // The password was right: the slot goes back, and the person learns what to do.
        return Err(GrantError::Unconfirmed);
    }
    attempt.succeeded();
    Ok(user)
}

/// `grant_type=refresh_token`: rotates the token; a token presented after its rotation
/// revokes its whole family, since either the client or a thief holds a copy.
pub fn refresh_grant(
    conn: &mut DbConnection,
    keys: &JwtKeys,
    settings: &Settings,
    presented: &str,
) -> Result<Issued, GrantError> {
    let invalid =
        || GrantError::InvalidGrant("the refresh token is invalid, expired or revoked".into());
    write_transaction(conn, |conn| {
        let Some(row) = accounts::find_refresh(conn, &token_hash(presented))? else {
            return Err(invalid());
        };
        if row.revoked_at.is_some() {
            return Err(invalid());
        }
        if row.rotated_at.is_some() {
            let revoked = accounts::revoke_family(conn, &row.family_id)?;
            tracing::warn!(family = %row.family_id, revoked, "refresh token reused; family revoked");
            return Ok(Err(invalid()));
        }
        if row.expires_at <= now() {
            return Err(invalid());
        }
        let user = match accounts::find_user(conn, &row.user_id)? {
            Some(u) if !u.disabled => u,
            _ => return Err(invalid()),
        };
        if !accounts::mark_rotated(conn, &row.id)? {
            // A concurrent request rotated it first: that is a reuse too.
            accounts::revoke_family(conn, &row.family_id)?;
            return Ok(Err(invalid()));
        }
        issue_pair(conn, keys, settings, &user, Some(&row.family_id)).map(Ok)
    })
    // The reuse branch commits the family's revocation, then reports the error.
    .and_then(|inner| inner)
}

/// `grant_type=client_credentials`: a partner portal's API client.
pub fn client_credentials_grant(
    conn: &mut DbConnection,
    keys: &JwtKeys,
    limiter: &LoginLimiter,
    client_address: &str,
    client_id: &str,
    secret: &str,
    basic: bool,
) -> Result<Issued, GrantError> {
    // The slot is taken before the secret is checked, so simultaneous guesses cannot pass the
    // address's limit.
    let attempt = limiter
        .reserve(None, client_address)
        .map_err(GrantError::RateLimited)?;
    let client = accounts::find_api_client(conn, client_id)?;
    let valid = client.as_ref().is_some_and(|c| {
        c.revoked_at.is_none() && constant_time_eq(&token_hash(secret), &c.secret_hash)
    });
    let Some(client) = client.filter(|_| valid) else {
        attempt.failed();
        return Err(GrantError::InvalidClient { basic });
    };
    attempt.succeeded();
    accounts::touch_api_client(conn, &client.id)?;
    let access_token = keys.issue(Principal {
        id: client.id.clone(),
        kind: SubjectKind::ApiClient,
        role: Role::ClusterManager,
        cluster_id: Some(client.cluster_id.clone()),
        sme_id: None,
        email: None,
    })?;
    Ok(Issued {
        access_token,
        expires_in: keys.ttl_secs(),
        refresh_token: None,
    })
}

/// RFC 7009: revokes the refresh token and the rest of its family. Unknown tokens are ignored.
pub fn revoke(conn: &mut DbConnection, token: &str) -> Result<(), ApiError> {
    if let Some(row) = accounts::find_refresh(conn, &token_hash(token))? {
        accounts::revoke_family(conn, &row.family_id)?;
    }
    Ok(())
}

/// A new API client for `cluster_id`; answers the row and its secret, shown only now.
pub fn create_api_client(
    conn: &mut DbConnection,
    cluster_id: &str,
    name: &str,
) -> Result<(accounts::ApiClientRow, String), ApiError> {
    let client_id = format!(
        "slc_{}",
        URL_SAFE_NO_PAD.encode(uuid::Uuid::now_v7().as_bytes())
    );
    let secret = random_token(32);
    let row =
        accounts::insert_api_client(conn, cluster_id, name, &client_id, &token_hash(&secret))?;
    Ok((row, secret))
}

/// Reset emails one account may be sent in [`RESET_WINDOW`]; past it the request still answers
/// 202, and nothing is sent.
pub const RESET_MAILS_PER_WINDOW: i64 = 3;
const RESET_WINDOW: chrono::Duration = chrono::Duration::hours(1);

/// The purposes whose tokens set a password: a newer one ends the older ones.
const PASSWORD_PURPOSES: [&str; 2] = [
    OneTimePurpose::PasswordReset.as_str(),
    OneTimePurpose::Invitation.as_str(),
];

/// Issues a one-time token of `purpose` for `user_id`, ending the account's earlier unused
/// tokens of the same kind, so only the newest link works; it lives from `now` for its
/// purpose's lifetime. Answers the token.
fn issue_one_time(
    conn: &mut DbConnection,
    user_id: &str,
    purpose: OneTimePurpose,
    now: NaiveDateTime,
) -> Result<String, diesel::result::Error> {
    let kinds: &[&str] = match purpose {
        OneTimePurpose::EmailConfirmation => &[OneTimePurpose::EmailConfirmation.as_str()],
        _ => &PASSWORD_PURPOSES,
    };
    accounts::end_unused_one_time(conn, user_id, kinds)?;
    let token = random_token(32);
    accounts::insert_one_time(
        conn,
        user_id,
        purpose.as_str(),
        &token_hash(&token),
        now + purpose.lifetime(),
    )?;
    Ok(token)
}

/// A reset link's token for the account of `email` when it exists and is enabled, at most
/// [`RESET_MAILS_PER_WINDOW`] an hour; `None` otherwise, which the caller tells nobody. Runs
/// in the caller's transaction.
pub fn password_reset_token(
    conn: &mut DbConnection,
    email: &Email,
    now: NaiveDateTime,
) -> Result<Option<(UserRow, String)>, ApiError> {
    let Some(user) = accounts::find_user_by_email(conn, email.as_str())? else {
        tracing::info!(account = %email.masked(), "password reset for an unknown account");
        return Ok(None);
    };
    if user.disabled {
        return Ok(None);
    }
    let purpose = OneTimePurpose::PasswordReset;
    let recent =
        accounts::count_one_time_since(conn, &user.id, purpose.as_str(), now - RESET_WINDOW)?;
    if recent >= RESET_MAILS_PER_WINDOW {
        tracing::warn!(account = %email.masked(), "password reset throttled");
        return Ok(None);
    }
    let token = issue_one_time(conn, &user.id, purpose, now)?;
    Ok(Some((user, token)))
}

/// Sets the password of the token's account; the token is spent and every session ends. The
/// link reached the address, so it counts as confirmed. Answers false when the token is
/// unknown, used or expired.
pub fn confirm_password(
    conn: &mut DbConnection,
    token: &str,
    new_password_hash: &str,
    now: NaiveDateTime,
) -> Result<bool, ApiError> {
    write_transaction(conn, |conn| {
        let Some(user_id) =
            accounts::consume_one_time(conn, &token_hash(token), &PASSWORD_PURPOSES, now)?
        else {
            return Ok(false);
        };
        accounts::set_password(conn, &user_id, new_password_hash)?;
        accounts::confirm_email(conn, &user_id)?;
        accounts::revoke_user_refresh_tokens(conn, &user_id)?;
        sessions::delete_for_user(conn, &user_id)?;
        Ok(true)
    })
}

/// The token of `user_id`'s address confirmation link, in the caller's transaction (an SME's
/// sign-up).
pub fn email_confirmation_token(
    conn: &mut DbConnection,
    user_id: &str,
    now: NaiveDateTime,
) -> Result<String, diesel::result::Error> {
    issue_one_time(conn, user_id, OneTimePurpose::EmailConfirmation, now)
}

/// Confirms the address of the token's account. Answers false when the token is unknown,
/// used or expired.
pub fn confirm_email(
    conn: &mut DbConnection,
    token: &str,
    now: NaiveDateTime,
) -> Result<bool, ApiError> {
    write_transaction(conn, |conn| {
        let purposes = [OneTimePurpose::EmailConfirmation.as_str()];
        let Some(user_id) = accounts::consume_one_time(conn, &token_hash(token), &purposes, now)?
        else {
            return Ok(false);
        };
        accounts::confirm_email(conn, &user_id)?;
        Ok(true)
    })
}

/// Switches `user_id` off and ends everything that lets it act: refresh tokens (so every
/// session), unused links, and, through [`super::subjects`], its live access tokens. Answers
/// whether the account was on. Runs in the caller's transaction.
pub fn end_user(conn: &mut DbConnection, user_id: &str) -> Result<bool, diesel::result::Error> {
    let was_on = accounts::disable_user(conn, user_id)?;
    accounts::revoke_user_refresh_tokens(conn, user_id)?;
    sessions::delete_for_user(conn, user_id)?;
    accounts::end_unused_one_time(
        conn,
        user_id,
        &[
            OneTimePurpose::PasswordReset.as_str(),
            OneTimePurpose::Invitation.as_str(),
            OneTimePurpose::EmailConfirmation.as_str(),
        ],
    )?;
    Ok(was_on)
}

/// Whom an invitation is for, and what they join.
pub struct Invitation<'a> {
    pub email: &'a Email,
    pub name: &'a str,
    pub role: Role,
    pub cluster_id: Option<&'a str>,
    pub sme_id: Option<&'a str>,
    /// The language of the invitation email and of the portal; `None` follows the person's
    /// browser (and mails in English until they choose).
    pub locale: Option<Locale>,
}

#[derive(Debug)]
pub enum InviteError {
    /// The address already has an account.
    Taken,
    Failed(ApiError),
}

impl From<diesel::result::Error> for InviteError {
    fn from(e: diesel::result::Error) -> InviteError {
        InviteError::Failed(e.into())
    }
}

/// Creates an account without a password, in the caller's transaction. Answers the new
/// user's id and the token of its set-password link.
pub fn invite(
    conn: &mut DbConnection,
    invitation: &Invitation<'_>,
    now: NaiveDateTime,
) -> Result<(String, String), InviteError> {
    if accounts::find_user_by_email(conn, invitation.email.as_str())?.is_some() {
        return Err(InviteError::Taken);
    }
    let id = new_id();
    let at = now;
    accounts::insert_user(
        conn,
        &NewUser {
            id: &id,
            email: invitation.email.as_str(),
            name: invitation.name,
            password_hash: None,
            role: invitation.role,
            cluster_id: invitation.cluster_id,
            sme_id: invitation.sme_id,
            disabled: false,
            email_confirmed_at: None,
            locale: invitation.locale,
            created_at: at,
            updated_at: at,
        },
    )
    .map_err(|e| match e {
        // A concurrent invitation took the address since the check above.
        diesel::result::Error::DatabaseError(
            diesel::result::DatabaseErrorKind::UniqueViolation,
            _,
        ) => InviteError::Taken,
        other => other.into(),
    })?;
    let token = issue_one_time(conn, &id, OneTimePurpose::Invitation, now)?;
    Ok((id, token))
}

/// Creates an admin, or resets an existing account to an enabled admin with this password.
/// Answers whether the account is new.
pub fn upsert_admin(
    conn: &mut DbConnection,
    email: &Email,
    password: &Password,
) -> Result<bool, ApiError> {
    let hash = password::hash(password.expose()).map_err(ApiError::internal)?;
    write_transaction(conn, |conn| {
        match accounts::find_user_by_email(conn, email.as_str())? {
            Some(user) => {
                accounts::promote_to_admin(conn, &user.id, &hash)?;
                accounts::revoke_user_refresh_tokens(conn, &user.id)?;
                sessions::delete_for_user(conn, &user.id)?;
                Ok(false)
            }
            None => {
                let at = now();
                let name = email.as_str().split('@').next().unwrap_or("admin");
                accounts::insert_user(
                    conn,
                    &NewUser {
                        id: &new_id(),
                        email: email.as_str(),
                        name,
                        password_hash: Some(&hash),
                        role: Role::Admin,
                        cluster_id: None,
                        sme_id: None,
                        disabled: false,
                        email_confirmed_at: Some(at),
                        locale: None,
                        created_at: at,
                        updated_at: at,
                    },
                )?;
                Ok(true)
            }
        }
    })
}

/// Sets a new password with a reset or invitation token. The token is looked up first, so an
/// unknown, used or expired one costs no hash and counts against the client address's failed
/// confirmations; a live token's password is hashed at the hashing gate with no connection
/// held, then [`confirm_password`] spends the token.
pub async fn set_password_with_token(
    state: &AppState,
    client_address: &str,
    token: String,
    new_password: &Password,
) -> Result<(), ApiError> {
    let invalid = || ApiError::invalid("token", "is invalid, already used or expired");
    let slot = state
        .reset_failures
        .reserve(client_address)
        .map_err(|wait| ApiError::RateLimited {
            retry_after_secs: wait,
        })?;
    let hashed = token_hash(&token);
    let now = state.clock.stamp();
    let live = run(&state.db, move |conn| {
        accounts::one_time_is_live(conn, &hashed, &PASSWORD_PURPOSES, now).map_err(ApiError::from)
    })
    .await?;
    if !live {
        slot.keep();
        tracing::info!("password set with an unknown, used or expired token");
        return Err(invalid());
    }
    drop(slot);
    let hash = state.hashing.hash(new_password.expose().to_owned()).await?;
    let now = state.clock.stamp();
    let confirmed = run(&state.db, move |conn| {
        confirm_password(conn, &token, &hash, now)
    })
    .await?;
    if confirmed { Ok(()) } else { Err(invalid()) }
}
