//! The portal's sessions: signing in with a password (the same limits, hashing gate and
//! account checks as the token endpoint), finding the person behind a session cookie, and
//! signing out here or everywhere. A session lives at most [`LIFETIME`] and ends after
//! [`IDLE`] without a request.

use chrono::{NaiveDateTime, TimeDelta};

use crate::auth::crypto::{random_token, token_hash};
use crate::auth::flows::{self, GrantError};
use crate::auth::jwt::SubjectKind;
use crate::auth::{Principal, policy};
use crate::db::accounts::UserRow;
use crate::db::pool::run;
use crate::db::sessions::{self, NewSession};
use crate::error::ApiError;
use crate::service::waiting;
use crate::state::AppState;

/// Without a request for this long, a session ends.
pub const IDLE: TimeDelta = TimeDelta::hours(2);
/// A session ends this long after signing in, however active.
pub const LIFETIME: TimeDelta = TimeDelta::hours(12);
/// Activity is written at most this often, so reading pages does not write on every request.
const TOUCH_EVERY: TimeDelta = TimeDelta::minutes(1);

/// A session just begun: the cookie's secret id and the form token that goes with it.
#[derive(Debug)]
pub struct Started {
    pub id: String,
    pub csrf_token: String,
    pub user: UserRow,
}

/// The person behind a live session.
#[derive(Debug, Clone)]
pub struct Current {
    pub id_hash: String,
    pub csrf_token: String,
    pub user: UserRow,
    /// For a cluster's manager: how many items wait for the cluster, by list
    /// ([`crate::service::waiting::Section`]), each counted up to
    /// [`waiting::NAV_CAP`](crate::service::waiting::NAV_CAP); read with the session, since
    /// every page shows their sum in the navigation.
    pub waiting: Option<[i64; 4]>,
}

impl Current {
    /// The caller as the use cases know it.
    pub fn principal(&self) -> Principal {
        principal_of(&self.user)
    }
}

/// The use cases' view of a signed-in person.
pub fn principal_of(user: &UserRow) -> Principal {
    Principal {
        id: user.id.clone(),
        kind: SubjectKind::User,
        role: user.role,
        cluster_id: user.cluster_id.clone(),
        sme_id: user.sme_id.clone(),
        email: Some(user.email.clone()),
    }
}

/// Signs a person in with a password, from `client_address`: a new session, whatever
/// session the browser had before (so a planted id never becomes a signed-in one).
pub async fn sign_in(
    app: &AppState,
    client_address: &str,
    email: &str,
    password: String,
) -> Result<Started, GrantError> {
    let user = flows::check_password(app, client_address, email, password).await?;
    let id = random_token(32);
    let csrf_token = random_token(32);
    let now = app.clock.stamp();
    let (hash, csrf, user_id) = (token_hash(&id), csrf_token.clone(), user.id.clone());
    run(&app.db, move |conn| {
        sessions::insert(
            conn,
            &NewSession {
                id_hash: &hash,
                user_id: &user_id,
                csrf_token: &csrf,
                created_at: now,
                last_seen_at: now,
                expires_at: now + LIFETIME,
            },
        )
        .map_err(ApiError::from)
    })
    .await
    .map_err(|e| GrantError::Server(Box::new(e)))?;
    Ok(Started {
        id,
        csrf_token,
        user,
    })
}

/// The live session whose cookie carries `id`, its activity noted; `None` when there is no
/// such session, it is over, or its account is disabled.
pub async fn resume(app: &AppState, id: &str) -> Result<Option<Current>, ApiError> {
    let hash = token_hash(id);
    let now = app.clock.stamp();
    run(&app.db, move |conn| {
        // The navigation's counts come with the session, in the same statement.
        let found = sessions::find_with_user::<{ waiting::NAV_CAP }>(conn, &hash)?;
        let Some((session, user, counted)) = found else {
            return Ok(None);
        };
        if !is_live(session.expires_at, session.last_seen_at, now) || user.disabled {
            sessions::delete(conn, &hash)?;
            return Ok(None);
        }
        if now - session.last_seen_at >= TOUCH_EVERY {
            sessions::touch(conn, &hash, now)?;
        }
        let waiting = policy::waiting::of(&principal_of(&user))
            .is_ok()
            .then_some(counted);
        Ok(Some(Current {
            id_hash: hash,
            csrf_token: session.csrf_token,
            user,
            waiting,
        }))
    })
    .await
}

/// Whether a session that ends at `expires_at` and was last used at `last_seen_at` stands at
/// `now`.
fn is_live(expires_at: NaiveDateTime, last_seen_at: NaiveDateTime, now: NaiveDateTime) -> bool {
    now < expires_at && now - last_seen_at < IDLE
}

/// Ends the session whose id hashes to `id_hash`.
pub async fn sign_out(app: &AppState, id_hash: String) -> Result<(), ApiError> {
    run(&app.db, move |conn| {
        sessions::delete(conn, &id_hash)
            .map(|_| ())
            .map_err(ApiError::from)
    })
    .await
}

/// Ends every session of the person, in every browser, and their refresh tokens.
pub async fn sign_out_everywhere(app: &AppState, who: &Principal) -> Result<(), ApiError> {
    let user_id = who.id.clone();
    run(&app.db, move |conn| {
        sessions::delete_for_user(conn, &user_id)?;
        crate::db::accounts::revoke_user_refresh_tokens(conn, &user_id)?;
        Ok::<_, ApiError>(())
    })
    .await
}

/// Changes the password of the signed-in person, who proves it with the current one (under
/// the same failed-login limits as signing in). Every other session and every refresh token
/// of the account end; the session `keep` (this one) stays.
pub async fn change_password(
    app: &AppState,
    who: &Principal,
    client_address: &str,
    current: String,
    new: &crate::domain::account::Password,
    keep: String,
) -> Result<(), GrantError> {
    let email = who.email.clone().unwrap_or_default();
    let user = flows::check_password(app, client_address, &email, current).await?;
    if user.id != who.id {
        return Err(GrantError::InvalidGrant("not this account".into()));
    }
    let hash = app
        .hashing
        .hash(new.expose().to_owned())
        .await
        .map_err(|e| GrantError::Server(Box::new(e.into())))?;
    let user_id = user.id;
    run(&app.db, move |conn| {
        crate::db::write_transaction(conn, |conn| {
            crate::db::accounts::set_password(conn, &user_id, &hash)?;
            crate::db::accounts::revoke_user_refresh_tokens(conn, &user_id)?;
            sessions::delete_others(conn, &user_id, &keep)?;
            Ok::<_, ApiError>(())
        })
    })
    .await
    .map_err(|e| GrantError::Server(Box::new(e)))?;
    app.subjects.clear();
    Ok(())
}

/// Removes sessions that are over; the maintenance sweep calls it.
pub async fn remove_stale(app: &AppState) -> Result<usize, ApiError> {
    let now = app.clock.stamp();
    run(&app.db, move |conn| {
        sessions::delete_stale(conn, now, now - IDLE).map_err(ApiError::from)
    })
    .await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_session_ends_when_idle_or_old() {
        let start = chrono::NaiveDate::from_ymd_opt(2027, 3, 1)
            .and_then(|d| d.and_hms_opt(8, 0, 0))
            .expect("a valid time");
        let end = start + LIFETIME;
        assert!(is_live(end, start, start + TimeDelta::minutes(119)));
        assert!(!is_live(end, start, start + IDLE));
        let active = end - TimeDelta::minutes(1);
        assert!(is_live(end, active, end - TimeDelta::seconds(1)));
        assert!(!is_live(end, active, end));
    }
}
