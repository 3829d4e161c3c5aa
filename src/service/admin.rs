//! The coordinator's tools: the email outbox ([`outbox`], [`retry_outbox`]) and switching an
//! account off ([`disable_user`]).

use crate::auth::{Principal, flows, policy};
use crate::db::accounts;
use crate::error::ApiError;
use crate::notify::outbox::{self, OutboxMessage, OutboxPage, OutboxStatus, RetryOutcome};
use crate::state::AppState;

/// Who may use the coordinator's tools: the admin alone.
pub fn authorise(actor: &Principal) -> Result<(), ApiError> {
    policy::admin_only(actor)
}

/// Outbox messages, newest first, `limit` a page.
pub async fn outbox(
    app: &AppState,
    actor: Principal,
    status: Option<OutboxStatus>,
    limit: i64,
    cursor: Option<String>,
) -> Result<OutboxPage, ApiError> {
    authorise(&actor)?;
    app.read(move |tx| Ok(outbox::list(tx.conn, status, limit, cursor.as_deref())?))
        .await
}

/// Puts a dead (or pending) message back in the queue, due now with its attempts reset.
pub async fn retry_outbox(
    app: &AppState,
    actor: Principal,
    id: String,
) -> Result<OutboxMessage, ApiError> {
    authorise(&actor)?;
    match app
        .write(move |tx| Ok(outbox::retry(tx.conn, &id)?))
        .await?
    {
        RetryOutcome::Requeued(message) => Ok(message),
        RetryOutcome::AlreadySent(_) => Err(ApiError::conflict(
            "already_sent",
            "the message was delivered already; nothing to retry",
        )),
        RetryOutcome::NotFound => Err(ApiError::not_found("outbox message")),
    }
}

/// Switches a person's account off: every session, refresh token, unused link and access
/// token of it ends at once.
pub async fn disable_user(app: &AppState, actor: Principal, id: String) -> Result<(), ApiError> {
    policy::users::disable(&actor, &id)?;
    app.write(move |tx| {
        if accounts::find_user(tx.conn, &id)?.is_none() {
            return Err(ApiError::not_found("user"));
        }
        if flows::end_user(tx.conn, &id)? {
            tracing::info!(user_id = %id, "account disabled");
        }
        Ok(())
    })
    .await?;
    app.subjects.clear();
    Ok(())
}
