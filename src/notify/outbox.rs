//! The outbox: messages written in the same transaction as the change that causes them.

use diesel::prelude::*;

use crate::db::schema::outbox;
use crate::db::{DbConnection, new_id, now};

pub struct Attachment {
    pub filename: String,
    pub content_type: String,
    pub content: Vec<u8>,
}

pub struct Email {
    pub to: String,
    pub subject: String,
    pub text: String,
    pub html: String,
    pub attachments: Vec<Attachment>,
}

/// Writes one email to the outbox, in the caller's transaction.
pub fn enqueue_email(
    conn: &mut DbConnection,
    event: &str,
    email: &Email,
    dedupe_key: Option<&str>,
) -> Result<Option<String>, diesel::result::Error> {
    let id = new_id();
    let at = now();
    let payload = serde_json::json!({
        "to": email.to, "subject": email.subject, "text": email.text, "html": email.html,
    });
    diesel::insert_into(outbox::table)
        .values((
            outbox::id.eq(&id),
            outbox::channel.eq("email"),
            outbox::event.eq(event),
            outbox::recipient.eq(&email.to),
            outbox::payload.eq(payload.to_string()),
            outbox::message_id.eq(format!("<{id}@softlanding>")),
            outbox::dedupe_key.eq(dedupe_key),
            outbox::status.eq("pending"),
            outbox::next_attempt_at.eq(at),
            outbox::created_at.eq(at),
            outbox::updated_at.eq(at),
        ))
        .execute(conn)?;
    Ok(Some(id))
}
