//! The one-time links people are mailed: an invitation to set a password, an address to
//! confirm, a password to reset.

use serde_json::json;

use super::recipients::Languages;
use super::{outbox, portal_page, templates};
use crate::config::Settings;
use crate::db::DbConnection;
use crate::domain::account::{OneTimePurpose, Role};
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
    portal_page(settings, &format!("/{page}?token={token}"))
}

/// How long a link of `purpose` works, as the email says it: in days when it is whole days,
/// else in hours.
fn expires(purpose: OneTimePurpose) -> serde_json::Value {
    let hours = purpose.lifetime().num_hours();
    if hours % 24 == 0 {
        json!({"unit": "days", "count": hours / 24})
    } else {
        json!({"unit": "hours", "count": hours})
    }
}

/// Mails `e`'s link to its person, in their language.
pub fn link_issued(
    conn: &mut DbConnection,
    settings: &Settings,
    e: &AccountLink,
) -> Result<(), ApiError> {
    let (template, event, page, purpose) = match &e.kind {
        LinkKind::Invitation { .. } => (
            "invitation",
            "auth.invitation",
            "set-password",
            OneTimePurpose::Invitation,
        ),
        LinkKind::EmailConfirmation => (
            "email_confirmation",
            "auth.email_confirmation",
            "confirm-email",
            OneTimePurpose::EmailConfirmation,
        ),
        LinkKind::PasswordReset => (
            "password_reset",
            "auth.password_reset",
            "set-password",
            OneTimePurpose::PasswordReset,
        ),
    };
    let (role, organisation) = match &e.kind {
        LinkKind::Invitation { role, organisation } => (Some(role.as_str()), Some(organisation)),
        _ => (None, None),
    };
    let context = json!({
        "name": e.name,
        "role": role,
        "organisation": organisation,
        "link": link(settings, page, &e.token),
        "expires": expires(purpose),
    });
    let locale = Languages::of(conn, &[&e.to])?.get(&e.to);
    let email = templates::render(template, &e.to, locale, context).map_err(ApiError::internal)?;
    outbox::enqueue_email(conn, event, &email, None)?;
    Ok(())
}
