//! The outbox table and every query on it: enqueueing an email inside the caller's transaction,
//! listing and retrying for the admin, and the lease-based claim and the outcome updates the
//! [`worker`](super::worker) uses. The claim is the one query that differs per backend; both
//! forms sit side by side in [`claim_due`].
//!
//! Nothing here sends mail or opens a transaction on behalf of a caller.

use std::fmt;
use std::str::FromStr;

use base64::Engine;
use base64::engine::general_purpose::STANDARD as BASE64;
use chrono::{DateTime, NaiveDateTime, Utc};
use diesel::connection::SimpleConnection;
use diesel::prelude::*;
use diesel::result::Error as DieselError;
use diesel::sql_types::{BigInt, Integer, Text, Timestamp};
use serde::{Deserialize, Serialize};

use super::mask_address;
use crate::db::schema::outbox;
use crate::db::{self, DbConnection};

/// The `channel` of outbox rows that are emails.
pub const EMAIL_CHANNEL: &str = "email";

/// Domain part of every Message-ID. Enqueueing takes no settings, and a Message-ID has to be
/// unique rather than routable; `.local` is reserved, so it never collides with a real domain.
pub const MESSAGE_ID_DOMAIN: &str = "softlanding.local";

/// Most rows one [`list`] call answers.
pub const MAX_PAGE: i64 = 100;

/// A file sent along with an email (an `.ics` invitation, a CSV report).
#[derive(Clone, PartialEq, Eq)]
pub struct Attachment {
    pub filename: String,
    pub content_type: String,
    pub content: Vec<u8>,
}

/// One rendered email to one recipient.
#[derive(Clone, PartialEq, Eq)]
pub struct Email {
    pub to: String,
    pub subject: String,
    pub text: String,
    pub html: String,
    pub attachments: Vec<Attachment>,
}

impl fmt::Debug for Email {
    /// Masks the recipient and leaves the bodies out: emails carry links with tokens.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Email")
            .field("to", &mask_address(&self.to))
            .field("subject", &self.subject)
            .field("attachments", &self.attachments.len())
            .finish_non_exhaustive()
    }
}

impl fmt::Debug for Attachment {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Attachment")
            .field("filename", &self.filename)
            .field("content_type", &self.content_type)
            .field("bytes", &self.content.len())
            .finish()
    }
}

/// The rendered message as stored in `outbox.payload` (JSON). The recipient and the
/// Message-ID have columns of their own.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct EmailPayload {
    pub subject: String,
    pub text: String,
    pub html: String,
    #[serde(default)]
    pub attachments: Vec<StoredAttachment>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct StoredAttachment {
    pub filename: String,
    pub content_type: String,
    /// Standard base64 of the bytes.
    pub content_base64: String,
}

impl EmailPayload {
    fn of(email: &Email) -> EmailPayload {
        EmailPayload {
            subject: email.subject.clone(),
            text: email.text.clone(),
            html: email.html.clone(),
            attachments: email
                .attachments
                .iter()
                .map(|a| StoredAttachment {
                    filename: a.filename.clone(),
                    content_type: a.content_type.clone(),
                    content_base64: BASE64.encode(&a.content),
                })
                .collect(),
        }
    }
}

/// Where a message stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum OutboxStatus {
    /// Waiting for its first or next attempt (possibly leased to a worker right now).
    Pending,
    /// Accepted by the relay (or written by the file transport).
    Sent,
    /// Given up: a permanent refusal, or `worker.max_attempts` failed attempts.
    Dead,
}

impl OutboxStatus {
    pub const ALL: [OutboxStatus; 3] = [
        OutboxStatus::Pending,
        OutboxStatus::Sent,
        OutboxStatus::Dead,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            OutboxStatus::Pending => "pending",
            OutboxStatus::Sent => "sent",
            OutboxStatus::Dead => "dead",
        }
    }
}

impl fmt::Display for OutboxStatus {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The status named in a query string or a column was none of `pending`, `sent`, `dead`.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("`{0}` is not an outbox status; use pending, sent or dead")]
pub struct UnknownStatus(pub String);

impl FromStr for OutboxStatus {
    type Err = UnknownStatus;

    fn from_str(s: &str) -> Result<OutboxStatus, UnknownStatus> {
        OutboxStatus::ALL
            .into_iter()
            .find(|status| status.as_str() == s)
            .ok_or_else(|| UnknownStatus(s.to_owned()))
    }
}

/// One outbox message as the admin sees it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct OutboxMessage {
    pub id: String,
    /// `email`, or `webhook` (a delivery to a partner portal's endpoint).
    pub channel: String,
    /// What caused it (`landing.approved`, `auth.password_reset`...).
    pub event: String,
    /// The email address, or the webhook's id.
    pub recipient: String,
    pub status: OutboxStatus,
    /// Delivery attempts made so far, successful or not.
    pub attempts: i32,
    pub next_attempt_at: DateTime<Utc>,
    pub last_error: Option<String>,
    pub created_at: DateTime<Utc>,
    pub sent_at: Option<DateTime<Utc>>,
    /// The `Message-ID` header every attempt carries, angle brackets included (for a
    /// webhook delivery, its `webhook-id`).
    pub message_id: String,
}

/// The columns behind [`OutboxMessage`], as stored.
#[derive(Queryable, Selectable)]
#[diesel(table_name = outbox)]
struct OutboxRow {
    id: String,
    channel: String,
    event: String,
    recipient: String,
    status: String,
    attempts: i32,
    next_attempt_at: NaiveDateTime,
    last_error: Option<String>,
    created_at: NaiveDateTime,
    sent_at: Option<NaiveDateTime>,
    message_id: String,
}

impl TryFrom<OutboxRow> for OutboxMessage {
    type Error = DieselError;

    fn try_from(row: OutboxRow) -> Result<OutboxMessage, DieselError> {
        Ok(OutboxMessage {
            status: row
                .status
                .parse()
                .map_err(|e| DieselError::DeserializationError(Box::new(e)))?,
            id: row.id,
            channel: row.channel,
            event: row.event,
            recipient: row.recipient,
            attempts: row.attempts,
            next_attempt_at: row.next_attempt_at.and_utc(),
            last_error: row.last_error,
            created_at: row.created_at.and_utc(),
            sent_at: row.sent_at.map(|t| t.and_utc()),
            message_id: row.message_id,
        })
    }
}

/// A page of [`list`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct OutboxPage {
    pub items: Vec<OutboxMessage>,
    /// Pass back as `cursor` for the next page; `None` on the last page.
    pub next_cursor: Option<String>,
}

/// What [`retry`] did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RetryOutcome {
    /// The message is `pending` again with its attempts reset, due now.
    Requeued(OutboxMessage),
    /// The message was delivered already; nothing changed.
    AlreadySent(OutboxMessage),
    NotFound,
}

#[derive(Insertable)]
#[diesel(table_name = outbox)]
struct NewOutboxRow<'a> {
    id: &'a str,
    channel: &'a str,
    event: &'a str,
    recipient: &'a str,
    payload: &'a str,
    message_id: &'a str,
    dedupe_key: Option<&'a str>,
    status: &'a str,
    attempts: i32,
    next_attempt_at: NaiveDateTime,
    created_at: NaiveDateTime,
    updated_at: NaiveDateTime,
}

/// Writes one outbox row for `email`, due now, on the caller's connection and so inside the
/// caller's transaction: the email exists exactly when the change that caused it commits.
///
/// `dedupe_key`, when given, makes the call idempotent: if a row with that key exists (in any
/// status), nothing is inserted and the answer is `Ok(None)`. The conflict is absorbed by
/// `ON CONFLICT DO NOTHING`, so it never aborts the surrounding PostgreSQL transaction. Keys are
/// global, so a caller mailing several people names the recipient in the key.
///
/// The address is parsed when the message is sent: one that cannot be (callers should pass a
/// parsed address) makes the message `dead` at its first attempt. Answers the new row's id.
#[tracing::instrument(skip_all, fields(event = %event, to = %mask_address(&email.to)))]
pub fn enqueue_email(
    conn: &mut DbConnection,
    event: &str,
    email: &Email,
    dedupe_key: Option<&str>,
) -> Result<Option<String>, DieselError> {
    let id = db::new_id();
    let now = db::now();
    let payload = serde_json::to_string(&EmailPayload::of(email))
        .map_err(|e| DieselError::SerializationError(Box::new(e)))?;
    let message_id = format!("<{id}@{MESSAGE_ID_DOMAIN}>");
    let row = NewOutboxRow {
        id: &id,
        channel: EMAIL_CHANNEL,
        event,
        recipient: email.to.trim(),
        payload: &payload,
        message_id: &message_id,
        dedupe_key,
        status: OutboxStatus::Pending.as_str(),
        attempts: 0,
        next_attempt_at: now,
        created_at: now,
        updated_at: now,
    };
    let insert = diesel::insert_into(outbox::table).values(&row);
    // `on_conflict` does not exist on the multi-backend connection: match on the variant.
    let inserted = match (dedupe_key, conn) {
        (None, conn) => insert.execute(conn)?,
        (Some(_), DbConnection::Postgres(c)) => insert
            .on_conflict(outbox::dedupe_key)
            .do_nothing()
            .execute(c)?,
        (Some(_), DbConnection::Sqlite(c)) => insert
            .on_conflict(outbox::dedupe_key)
            .do_nothing()
            .execute(c)?,
    };
    if inserted == 0 {
        tracing::debug!("an email with this dedupe key is already in the outbox");
        return Ok(None);
    }
    tracing::debug!(outbox_id = %id, "email enqueued");
    Ok(Some(id))
}

/// Enqueues several emails of one event in one statement, each with its dedupe key (rows whose
/// key is already in the outbox are skipped, as in [`enqueue_email`]). Answers how many were
/// written.
#[tracing::instrument(skip_all, fields(event = %event, count = emails.len()))]
pub fn enqueue_emails(
    conn: &mut DbConnection,
    event: &str,
    emails: &[(Email, String)],
) -> Result<usize, DieselError> {
    if emails.is_empty() {
        return Ok(0);
    }
    let now = db::now();
    let mut owned = Vec::with_capacity(emails.len());
    for (email, _) in emails {
        let id = db::new_id();
        let payload = serde_json::to_string(&EmailPayload::of(email))
            .map_err(|e| DieselError::SerializationError(Box::new(e)))?;
        let message_id = format!("<{id}@{MESSAGE_ID_DOMAIN}>");
        owned.push((id, payload, message_id));
    }
    let rows: Vec<NewOutboxRow<'_>> = emails
        .iter()
        .zip(&owned)
        .map(|((email, key), (id, payload, message_id))| NewOutboxRow {
            id,
            channel: EMAIL_CHANNEL,
            event,
            recipient: email.to.trim(),
            payload,
            message_id,
            dedupe_key: Some(key),
            status: OutboxStatus::Pending.as_str(),
            attempts: 0,
            next_attempt_at: now,
            created_at: now,
            updated_at: now,
        })
        .collect();
    // Multi-row inserts and `on_conflict` exist per backend only: match on the variant.
    let written = match conn {
        DbConnection::Postgres(c) => pg::InsertEmails {
            event,
            at: now,
            ids: rows.iter().map(|r| r.id).collect(),
            recipients: rows.iter().map(|r| r.recipient).collect(),
            payloads: rows.iter().map(|r| r.payload).collect(),
            message_ids: rows.iter().map(|r| r.message_id).collect(),
            dedupe_keys: emails.iter().map(|(_, key)| key.as_str()).collect(),
        }
        .execute(c)?,
        // SQLite cannot batch rows with optional columns; its statements are in-process.
        DbConnection::Sqlite(c) => {
            let mut written = 0;
            for row in &rows {
                written += diesel::insert_into(outbox::table)
                    .values(row)
                    .on_conflict(outbox::dedupe_key)
                    .do_nothing()
                    .execute(c)?;
            }
            written
        }
    };
    tracing::debug!(written, "emails enqueued");
    Ok(written)
}

/// The batch insert of [`enqueue_emails`] on PostgreSQL, one array per column: the text never
/// varies with the number of emails, so each connection parses and plans it once (diesel keeps
/// no multi-row `INSERT` prepared).
mod pg {
    use chrono::NaiveDateTime;
    use diesel::QueryResult;
    use diesel::pg::Pg;
    use diesel::query_builder::{AstPass, QueryFragment};
    use diesel::sql_types::{Array, Text, Timestamp};

    pub(super) struct InsertEmails<'a> {
        pub event: &'a str,
        pub at: NaiveDateTime,
        pub ids: Vec<&'a str>,
        pub recipients: Vec<&'a str>,
        pub payloads: Vec<&'a str>,
        pub message_ids: Vec<&'a str>,
        pub dedupe_keys: Vec<&'a str>,
    }

    crate::db::constant_pg_statement!(InsertEmails);

    impl QueryFragment<Pg> for InsertEmails<'_> {
        fn walk_ast<'b>(&'b self, mut out: AstPass<'_, 'b, Pg>) -> QueryResult<()> {
            out.push_sql(
                "INSERT INTO outbox (id, channel, event, recipient, payload, message_id, \
                 dedupe_key, status, attempts, next_attempt_at, created_at, updated_at) \
                 SELECT id, ",
            );
            out.push_bind_param::<Text, _>(super::EMAIL_CHANNEL)?;
            out.push_sql(", ");
            out.push_bind_param::<Text, _>(self.event)?;
            out.push_sql(", recipient, payload, message_id, dedupe_key, ");
            out.push_bind_param::<Text, _>(super::OutboxStatus::Pending.as_str())?;
            out.push_sql(", 0");
            for _ in 0..3 {
                out.push_sql(", ");
                out.push_bind_param::<Timestamp, _>(&self.at)?;
            }
            out.push_sql(" FROM unnest(");
            for (n, column) in [
                &self.ids,
                &self.recipients,
                &self.payloads,
                &self.message_ids,
                &self.dedupe_keys,
            ]
            .into_iter()
            .enumerate()
            {
                if n > 0 {
                    out.push_sql(", ");
                }
                out.push_bind_param::<Array<Text>, _>(column)?;
            }
            out.push_sql(
                ") AS email (id, recipient, payload, message_id, dedupe_key) \
                 ON CONFLICT (dedupe_key) DO NOTHING",
            );
            Ok(())
        }
    }
}

/// One message by id.
pub fn get(conn: &mut DbConnection, id: &str) -> Result<Option<OutboxMessage>, DieselError> {
    outbox::table
        .find(id)
        .select(OutboxRow::as_select())
        .first(conn)
        .optional()?
        .map(OutboxMessage::try_from)
        .transpose()
}

/// Messages newest first, optionally of one status. `limit` is clamped to `1..=100`; `cursor`
/// is a `next_cursor` from an earlier page (an unknown cursor just yields older rows or none).
pub fn list(
    conn: &mut DbConnection,
    status: Option<OutboxStatus>,
    limit: i64,
    cursor: Option<&str>,
) -> Result<OutboxPage, DieselError> {
    let limit = limit.clamp(1, MAX_PAGE);
    let mut query = outbox::table
        .select(OutboxRow::as_select())
        .order(outbox::id.desc())
        .limit(limit + 1)
        .into_boxed();
    if let Some(status) = status {
        query = query.filter(outbox::status.eq(status.as_str()));
    }
    if let Some(cursor) = cursor {
        query = query.filter(outbox::id.lt(cursor.to_owned()));
    }
    let mut items = query
        .load::<OutboxRow>(conn)?
        .into_iter()
        .map(OutboxMessage::try_from)
        .collect::<Result<Vec<_>, _>>()?;
    let next_cursor = if items.len() as i64 > limit {
        items.truncate(limit as usize);
        items.last().map(|m| m.id.clone())
    } else {
        None
    };
    Ok(OutboxPage { items, next_cursor })
}

/// Puts a `dead` (or `pending`) message back in the queue: `pending`, attempts reset to 0, due
/// now. A lease a worker holds right now is left alone, so a send in flight is never doubled.
pub fn retry(conn: &mut DbConnection, id: &str) -> Result<RetryOutcome, DieselError> {
    let now = db::now();
    let changed = diesel::update(
        outbox::table
            .find(id)
            .filter(outbox::status.ne(OutboxStatus::Sent.as_str())),
    )
    .set((
        outbox::status.eq(OutboxStatus::Pending.as_str()),
        outbox::attempts.eq(0),
        outbox::next_attempt_at.eq(now),
        outbox::updated_at.eq(now),
    ))
    .execute(conn)?;
    Ok(match get(conn, id)? {
        None => RetryOutcome::NotFound,
        Some(message) if changed == 0 => RetryOutcome::AlreadySent(message),
        Some(message) => {
            tracing::info!(outbox_id = %id, "outbox message requeued");
            RetryOutcome::Requeued(message)
        }
    })
}

/// How many messages are in each status (absent statuses count 0), for the gauge.
pub fn count_by_status(conn: &mut DbConnection) -> Result<Vec<(OutboxStatus, i64)>, DieselError> {
    let rows: Vec<(String, i64)> = outbox::table
        .group_by(outbox::status)
        .select((outbox::status, diesel::dsl::count_star()))
        .load(conn)?;
    Ok(OutboxStatus::ALL
        .into_iter()
        .map(|status| {
            let count = rows
                .iter()
                .filter(|(s, _)| s == status.as_str())
                .map(|(_, n)| *n)
                .sum();
            (status, count)
        })
        .collect())
}

/// A worker's hold on the rows it claimed: its id and the instant the hold ends. Outcome
/// updates only apply while both still stand in the row, so a worker never records a result
/// over a row another worker has taken since.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Lease {
    pub worker: String,
    pub until: NaiveDateTime,
}

/// A claimed row (an email, or a webhook delivery), as a worker needs it to send.
#[derive(Debug, Clone, QueryableByName)]
pub struct Claimed {
    #[diesel(sql_type = Text)]
    pub id: String,
    #[diesel(sql_type = Text)]
    pub event: String,
    /// The address, or the webhook's id.
    #[diesel(sql_type = Text)]
    pub recipient: String,
    #[diesel(sql_type = Text)]
    pub payload: String,
    #[diesel(sql_type = Text)]
    pub message_id: String,
    /// Attempts made before this one.
    #[diesel(sql_type = Integer)]
    pub attempts: i32,
}

/// Leases up to `limit` due emails (pending, `next_attempt_at <= now`, no live lease) to
/// `lease.worker` until `lease.until`, and answers them. Runs as its own short transaction.
/// Webhook deliveries have a claim of their own ([`crate::webhooks::queue::claim`]); each walks
/// a due index of its channel alone.
///
/// PostgreSQL skips rows another worker has locked (`FOR UPDATE SKIP LOCKED`), so concurrent
/// workers claim disjoint sets without waiting. SQLite has one writer: the write lock is taken
/// up front (`BEGIN IMMEDIATE`), so the select-and-lease cannot interleave with another claim.
pub fn claim_due(
    conn: &mut DbConnection,
    lease: &Lease,
    now: NaiveDateTime,
    limit: u32,
) -> Result<Vec<Claimed>, DieselError> {
    let limit = i64::from(limit.max(1));
    match conn {
        // Walk the due index in order whatever the statistics say. A burst leaves thousands
        // of rows pending before autovacuum has analysed the table (or after it analysed a table
        // where pending rows were rare); the planner then expects a handful and sorts every
        // pending row on each claim, which slows the worker exactly when it is behind.
        DbConnection::Postgres(c) => c.transaction(|c| {
            c.batch_execute("SET LOCAL enable_bitmapscan = off; SET LOCAL enable_sort = off")?;
            diesel::sql_query(
                "UPDATE outbox SET leased_until = $1, leased_by = $2, updated_at = $3
                  WHERE id IN (
                        SELECT id FROM outbox
                         WHERE channel = 'email' AND status = 'pending' AND next_attempt_at <= $3
                           AND (leased_until IS NULL OR leased_until < $3)
                         ORDER BY next_attempt_at
                         LIMIT $4
                           FOR UPDATE SKIP LOCKED)
              RETURNING id, event, recipient, payload, message_id, attempts",
            )
            .bind::<Timestamp, _>(lease.until)
            .bind::<Text, _>(&lease.worker)
            .bind::<Timestamp, _>(now)
            .bind::<BigInt, _>(limit)
            .load(c)
        }),
        DbConnection::Sqlite(c) => c.immediate_transaction(|c| {
            diesel::sql_query(
                "UPDATE outbox SET leased_until = ?, leased_by = ?, updated_at = ?
                  WHERE id IN (
                        SELECT id FROM outbox
                         WHERE channel = 'email' AND status = 'pending' AND next_attempt_at <= ?
                           AND (leased_until IS NULL OR leased_until < ?)
                         ORDER BY next_attempt_at
                         LIMIT ?)
              RETURNING id, event, recipient, payload, message_id, attempts",
            )
            .bind::<Timestamp, _>(lease.until)
            .bind::<Text, _>(&lease.worker)
            .bind::<Timestamp, _>(now)
            .bind::<Timestamp, _>(now)
            .bind::<Timestamp, _>(now)
            .bind::<BigInt, _>(limit)
            .load(c)
        }),
    }
}

/// The rows among `ids` that `lease` still holds. The lease alone says so: only pending rows are
/// leased, and every outcome clears the lease. Leaving `status` out keeps the planner on the
/// primary key (rather than intersecting it with every pending row of the due index).
macro_rules! held {
    ($ids:expr, $lease:expr) => {
        outbox::table
            .filter(outbox::id.eq_any($ids))
            .filter(outbox::leased_by.eq(&$lease.worker))
            .filter(outbox::leased_until.eq($lease.until))
    };
}

/// The events whose emails carry a live one-time link; once sent, their stored text goes.
pub const SECRET_EVENTS: [&str; 3] = [
    "auth.password_reset",
    "auth.invitation",
    "auth.email_confirmation",
];

/// What a sent message of [`SECRET_EVENTS`] keeps: no link, no token.
const REDACTED_PAYLOAD: &str = r#"{"subject":"(removed after sending)","text":"(removed after sending: the message held a one-time link)","html":"","attachments":[]}"#;

/// Records the deliveries of `ids`, in one statement, and clears the text of those that carried
/// a one-time link (a retry needs it only until it is sent). Answers how many the lease still
/// held; the others were taken over by another worker, whose outcome wins.
pub(crate) fn mark_sent(
    conn: &mut DbConnection,
    ids: &[String],
    lease: &Lease,
    now: NaiveDateTime,
) -> Result<usize, DieselError> {
    let secret = outbox::event.eq_any(SECRET_EVENTS);
    let redacted = diesel::dsl::case_when(secret, REDACTED_PAYLOAD.into_sql::<Text>())
        .otherwise(outbox::payload);
    diesel::update(held!(ids, lease))
        .set((
            outbox::status.eq(OutboxStatus::Sent.as_str()),
            outbox::attempts.eq(outbox::attempts + 1),
            outbox::sent_at.eq(Some(now)),
            outbox::leased_until.eq(None::<NaiveDateTime>),
            outbox::leased_by.eq(None::<String>),
            outbox::updated_at.eq(now),
            outbox::payload.eq(redacted),
        ))
        .execute(conn)
}

/// Records a failed attempt of `ids`: `last_error`, one more attempt, and either the next due
/// time or `dead`. Answers how many the lease still held.
pub(crate) fn mark_failed(
    conn: &mut DbConnection,
    ids: &[String],
    lease: &Lease,
    now: NaiveDateTime,
    error: &str,
    next: Option<NaiveDateTime>,
) -> Result<usize, DieselError> {
    let status = match next {
        Some(_) => OutboxStatus::Pending,
        None => OutboxStatus::Dead,
    };
    diesel::update(held!(ids, lease))
        .set((
            outbox::status.eq(status.as_str()),
            outbox::attempts.eq(outbox::attempts + 1),
            outbox::last_error.eq(Some(error)),
            outbox::next_attempt_at.eq(next.unwrap_or(now)),
            outbox::leased_until.eq(None::<NaiveDateTime>),
            outbox::leased_by.eq(None::<String>),
            outbox::updated_at.eq(now),
        ))
        .execute(conn)
}

/// Gives claimed rows back untouched (no attempt counted), so another worker can take them at
/// once: used for rows a worker will not start before its lease runs short, or at shutdown.
/// Answers how many the lease still held.
pub(crate) fn release(
    conn: &mut DbConnection,
    ids: &[String],
    lease: &Lease,
    now: NaiveDateTime,
) -> Result<usize, DieselError> {
    diesel::update(held!(ids, lease))
        .set((
            outbox::leased_until.eq(None::<NaiveDateTime>),
            outbox::leased_by.eq(None::<String>),
            outbox::updated_at.eq(now),
        ))
        .execute(conn)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn statuses_parse_from_what_they_print() {
        for status in OutboxStatus::ALL {
            assert_eq!(status.as_str().parse::<OutboxStatus>(), Ok(status));
        }
        assert!("delivered".parse::<OutboxStatus>().is_err());
    }

    #[test]
    fn the_payload_keeps_attachments_as_base64() {
        let email = Email {
            to: "alice@example.org".into(),
            subject: "Approved".into(),
            text: "plain".into(),
            html: "<p>html</p>".into(),
            attachments: vec![Attachment {
                filename: "landing.ics".into(),
                content_type: "text/calendar".into(),
                content: b"BEGIN:VCALENDAR".to_vec(),
            }],
        };
        let json = serde_json::to_value(EmailPayload::of(&email)).unwrap();
        assert_eq!(
            json["attachments"][0]["content_base64"],
            "QkVHSU46VkNBTEVOREFS"
        );
        assert!(json.get("to").is_none(), "the recipient has its own column");
        assert!(!format!("{email:?}").contains("alice@"));
    }
}
