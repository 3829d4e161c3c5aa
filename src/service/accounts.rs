//! Accounts and tokens, as the API's `/auth` and `/me` endpoints (and the portal) use them. The
//! token flows themselves (and their transactions) are in [`crate::auth::flows`]; these run
//! them on the blocking pool. A person's own account (name, language) is changed here.

use std::sync::Arc;

use crate::auth::flows::{self, GrantError, Invitation, InviteError, Issued};
use crate::auth::jwt::SubjectKind;
use crate::auth::{Principal, policy};
use crate::db::accounts::{self as store, UserRow};
use crate::db::pool::run;
use crate::domain::account::{AccountChange, Email, Locale, Role};
use crate::error::ApiError;
use crate::service::Tx;
use crate::service::events::{AccountLink, DomainEvent, LinkKind};
use crate::state::AppState;

/// Whom an invitation is for: an address, a name, and the language of the invitation email and
/// of the portal (`None`: the person's browser's, and English mail until they choose).
#[derive(Debug, Clone)]
pub struct Invitee {
    pub email: Email,
    pub name: String,
    pub locale: Option<Locale>,
}

/// What an invited person joins: a cluster (as its manager) or an SME (as its member), by id
/// and by the name the invitation email gives it.
pub enum Joining<'a> {
    Cluster { id: &'a str, name: &'a str },
    Sme { id: &'a str, name: &'a str },
}

/// Invites `who` in the caller's transaction: an account without a password, and a mailed
/// set-password link (valid 7 days) in their language once the transaction commits. An
/// address that has an account already is 409 `email_taken`.
pub(crate) fn invite(
    tx: &mut Tx<'_>,
    who: &Invitee,
    joining: Joining<'_>,
) -> Result<UserRow, ApiError> {
    let (role, cluster_id, sme_id, organisation) = match joining {
        Joining::Cluster { id, name } => (Role::ClusterManager, Some(id), None, name),
        Joining::Sme { id, name } => (Role::SmeMember, None, Some(id), name),
    };
    let (user_id, token) = flows::invite(
        tx.conn,
        &Invitation {
            email: &who.email,
            name: &who.name,
            role,
            cluster_id,
            sme_id,
            locale: who.locale,
        },
        tx.clock.stamp(),
    )
    .map_err(|e| match e {
        InviteError::Taken => ApiError::conflict(
            "email_taken",
            "an account with this email address exists already",
        ),
        InviteError::Failed(e) => e,
    })?;
    let user = store::find_user(tx.conn, &user_id)?
        .ok_or_else(|| ApiError::internal("the invited account is missing"))?;
    tx.record(DomainEvent::LinkIssued(AccountLink {
        kind: LinkKind::Invitation {
            role,
            organisation: organisation.to_owned(),
        },
        to: user.email.clone(),
        name: user.name.clone(),
        token,
    }));
    Ok(user)
}

/// Runs a token grant's blocking work with a pooled connection.
async fn grant<F>(app: Arc<AppState>, f: F) -> Result<Issued, GrantError>
where
    F: FnOnce(&mut crate::db::DbConnection, &AppState) -> Result<Issued, GrantError>
        + Send
        + 'static,
{
    actix_web::web::block(move || {
        let mut conn = app
            .db
            .get()
            .map_err(|e| GrantError::Server(Box::new(e.into())))?;
        f(&mut conn, &app)
    })
    .await
    .map_err(|e| GrantError::Server(Box::new(ApiError::from(e))))?
}

/// The `client_credentials` grant of a partner portal's API client.
pub async fn client_credentials(
    app: Arc<AppState>,
    address: String,
    client_id: String,
    secret: String,
    basic: bool,
) -> Result<Issued, GrantError> {
    grant(app, move |conn, app| {
        flows::client_credentials_grant(
            conn,
            &app.keys,
            &app.limiter,
            &address,
            &client_id,
            &secret,
            basic,
        )
    })
    .await
}

/// The `refresh_token` grant: a new access token and a rotated refresh token.
pub async fn refresh(app: Arc<AppState>, presented: String) -> Result<Issued, GrantError> {
    grant(app, move |conn, app| {
        flows::refresh_grant(conn, &app.keys, &app.settings, &presented)
    })
    .await
}

/// Revokes a refresh token and the session it belongs to; nothing happens for an unknown one.
pub async fn revoke(app: &AppState, token: String) -> Result<(), ApiError> {
    run(&app.db, move |conn| flows::revoke(conn, &token)).await
}

/// Mails a set-password link if an account uses `email`; tells nobody whether one does.
pub async fn request_password_reset(app: &AppState, email: Email) -> Result<(), ApiError> {
    app.write(move |tx| {
        if let Some((user, token)) = flows::password_reset_token(tx.conn, &email, tx.clock.stamp())?
        {
            tx.record(DomainEvent::LinkIssued(AccountLink {
                kind: LinkKind::PasswordReset,
                to: user.email,
                name: user.name,
                token,
            }));
        }
        Ok(())
    })
    .await
}

/// Confirms the address the one-time `token` was mailed to; `false` when the token is invalid,
/// used or expired.
pub async fn confirm_email(app: &AppState, token: String) -> Result<bool, ApiError> {
    let now = app.clock.stamp();
    run(&app.db, move |conn| flows::confirm_email(conn, &token, now)).await
}

/// The account behind `who`; `None` for an API client, which has none.
pub async fn account_of(app: &AppState, who: &Principal) -> Result<Option<UserRow>, ApiError> {
    if who.kind != SubjectKind::User {
        return Ok(None);
    }
    let id = who.id.clone();
    let user = app
        .read(move |tx| Ok(store::find_user(tx.conn, &id)?))
        .await?;
    user.map(Some).ok_or_else(gone)
}

/// A person changes their own name (trimmed, 1 to 200 characters) or language, which is the
/// language of the portal and of every email they receive from now on; `None` keeps a field.
/// Answers the account as it is afterwards; a bad name is 422 at the field `name`.
pub async fn update_me(
    app: &AppState,
    who: &Principal,
    name: Option<String>,
    locale: Option<Locale>,
) -> Result<UserRow, ApiError> {
    policy::me::edit(who)?;
    let change = AccountChange::new(name.as_deref(), locale).map_err(ApiError::validation)?;
    let id = who.id.clone();
    app.write(move |tx| {
        if !change.is_empty() && !store::update_account(tx.conn, &id, &change, tx.clock.stamp())? {
            return Err(gone());
        }
        store::find_user(tx.conn, &id)?.ok_or_else(gone)
    })
    .await
}

/// A token whose person no longer exists speaks for nobody.
fn gone() -> ApiError {
    ApiError::Unauthorized("the account of this token no longer exists".into())
}
