//! The one-time links people are mailed: an invitation to set a password, an address to
//! confirm, a password to reset.

use serde_json::json;

use super::{outbox, templates};
use crate::config::Settings;
use crate::db::DbConnection;
use crate::domain::account::Role;
use crate::error::ApiError;

/// A one-time link for a person, and what it is for.
#[derive(Debug, Clone)]
pub struct AccountLink {
    pub kind: LinkKind,
    /// The person's address.
    pub to: String,
    pub name: String,
    /// The link's secret, to be mailed and never stored.
    pub token: String,
}

/// What a one-time link does.
#[derive(Debug, Clone)]
pub enum LinkKind {
    /// Sets the first password of an invited account, which joins `organisation` as `role`.
    Invitation { role: Role, organisation: String },
    /// Confirms a new account's address.
    EmailConfirmation,
    /// Sets a new password.
    PasswordReset,
}

fn link(settings: &Settings, page: &str, token: &str) -> String {
    format!(
        "{}/{page}?token={token}",
        settings.server.public_url.trim_end_matches('/')
    )
}

/// Mails `e`'s link to its person.
pub fn link_issued(
    conn: &mut DbConnection,
    settings: &Settings,
    e: &AccountLink,
) -> Result<(), ApiError> {
    let (template, event, context) = match &e.kind {
        LinkKind::Invitation { role, organisation } => (
            "invitation",
            "auth.invitation",
            json!({
                "name": e.name,
                "organisation": organisation,
                "role": match role {
                    Role::Admin => "coordinator",
                    Role::ClusterManager => "cluster manager",
                    Role::SmeMember => "member",
                },
                "link": link(settings, "set-password", &e.token),
                "expires_in": "7 days",
            }),
        ),
        LinkKind::EmailConfirmation => (
            "email_confirmation",
            "auth.email_confirmation",
            json!({
                "name": e.name,
                "link": link(settings, "confirm-email", &e.token),
                "expires_in": "7 days",
            }),
        ),
        LinkKind::PasswordReset => (
            "password_reset",
            "auth.password_reset",
            json!({
                "name": e.name,
                "link": link(settings, "set-password", &e.token),
                "expires_in": "1 hour",
            }),
        ),
    };
    let email = templates::render(template, &e.to, context).map_err(ApiError::internal)?;
    outbox::enqueue_email(conn, event, &email, None)?;
    Ok(())
}
