//! Idempotency keys: one row per caller and key. A request claims its row before it runs
//! (`status` NULL while it does), then completes it with the response it answered or releases
//! it when it failed, so a later request with the same key can answer the stored response.
//!
//! No transaction spans these steps: every write is a single statement that compare-and-sets
//! on `created_at`, the stamp the claim wrote. A claim that was taken over (abandoned, or
//! expired) therefore can neither complete nor release the row of its successor. The claim
//! itself is an `INSERT ... ON CONFLICT DO NOTHING`, so a PostgreSQL session never sees an
//! aborted statement. Nothing here knows about HTTP: the caller decides what a status means.

use chrono::{NaiveDateTime, TimeDelta};
use diesel::prelude::*;
use diesel::result::Error as DieselError;

use super::DbConnection;
use super::schema::idempotency_keys;

/// How long a key is kept: a row older than this is purged, and a claim finding one replaces it.
pub const KEEP_FOR: TimeDelta = TimeDelta::hours(24);

/// How long a claim may run before another request with its key may take it over: a claim this
/// old belongs to a process that died between claiming and completing.
pub const ABANDONED_AFTER: TimeDelta = TimeDelta::seconds(60);

/// Times a claim retries after losing a race (a row that vanished or was taken over between
/// reading and writing it).
const CLAIM_ATTEMPTS: usize = 3;

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = idempotency_keys)]
pub struct IdempotencyRow {
    pub caller: String,
    pub idempotency_key: String,
    pub fingerprint: String,
    pub status: Option<i32>,
    pub response_body: Option<Vec<u8>>,
    pub response_headers: Option<String>,
    pub created_at: NaiveDateTime,
    pub completed_at: Option<NaiveDateTime>,
}

#[derive(Debug, Insertable)]
#[diesel(table_name = idempotency_keys)]
struct NewClaim<'a> {
    caller: &'a str,
    idempotency_key: &'a str,
    fingerprint: &'a str,
    created_at: NaiveDateTime,
}

/// What a completed request answered. `body` is `None` when the response was not to be kept
/// (it carried a secret shown once): the key is spent, but there is nothing to replay.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredResponse {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: Option<Vec<u8>>,
}

/// The outcome of claiming a key.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Claim {
    /// The key is this request's to run; later writes name the claim by this stamp.
    Claimed(NaiveDateTime),
    /// The key was used with another request (another fingerprint).
    Reused,
    /// A request with this key is still running.
    InProgress,
    /// A request with this key completed; this is what it answered.
    Completed(StoredResponse),
    /// The caller holds as many live keys as it may; a new one must wait for old ones to expire.
    Exhausted,
}

/// Which claim a write is for: the row's key and the stamp its claim wrote.
#[derive(Debug, Clone)]
pub struct ClaimRef {
    pub caller: String,
    pub key: String,
    pub claimed_at: NaiveDateTime,
}

/// Claims `key` for `caller` and a request with this `fingerprint`, at `now`.
///
/// A row older than [`KEEP_FOR`] is replaced as if absent; a row with another fingerprint is
/// [`Claim::Reused`]; a running claim younger than [`ABANDONED_AFTER`] is
/// [`Claim::InProgress`], an older one is taken over; a completed row is replayed.
///
/// A caller holds at most `max_keys` live keys: past that a new key is [`Claim::Exhausted`]
/// (a key it holds still replays).
#[tracing::instrument(skip_all)]
pub fn claim(
    conn: &mut DbConnection,
    caller: &str,
    key: &str,
    fingerprint: &str,
    now: NaiveDateTime,
    max_keys: i64,
) -> Result<Claim, DieselError> {
    let held: i64 = idempotency_keys::table
        .filter(idempotency_keys::caller.eq(caller))
        .filter(idempotency_keys::created_at.gt(now - KEEP_FOR))
        .count()
        .get_result(conn)?;
    if held >= max_keys && find(conn, caller, key)?.is_none() {
        return Ok(Claim::Exhausted);
    }
    for _ in 0..CLAIM_ATTEMPTS {
        if insert_claim(conn, caller, key, fingerprint, now)? {
            return Ok(Claim::Claimed(now));
        }
        let Some(row) = find(conn, caller, key)? else {
            // Released or purged since the insert found it: try again.
            continue;
        };
        if row.created_at <= now - KEEP_FOR {
            if take_over(conn, &row, fingerprint, now)? {
                return Ok(Claim::Claimed(now));
            }
            continue;
        }
        if row.fingerprint != fingerprint {
            return Ok(Claim::Reused);
        }
        let Some(status) = row.status else {
            if row.created_at > now - ABANDONED_AFTER {
                return Ok(Claim::InProgress);
            }
            tracing::info!("taking over an abandoned idempotency claim");
            if take_over(conn, &row, fingerprint, now)? {
                return Ok(Claim::Claimed(now));
            }
            continue;
        };
        let headers = match row.response_headers.as_deref() {
            Some(text) => serde_json::from_str(text)
                .map_err(|e| DieselError::DeserializationError(Box::new(e)))?,
            None => Vec::new(),
        };
        return Ok(Claim::Completed(StoredResponse {
            // The column's CHECK keeps it within 100..=599.
            status: u16::try_from(status).unwrap_or(500),
            headers,
            body: row.response_body,
        }));
    }
    // Lost every race: another request with this key is busy with the row.
    Ok(Claim::InProgress)
}

/// Inserts a fresh claim; `false` when the caller already has a row for the key.
fn insert_claim(
    conn: &mut DbConnection,
    caller: &str,
    key: &str,
    fingerprint: &str,
    now: NaiveDateTime,
) -> Result<bool, DieselError> {
    let row = NewClaim {
        caller,
        idempotency_key: key,
        fingerprint,
        created_at: now,
    };
    let insert = diesel::insert_into(idempotency_keys::table).values(&row);
    // `on_conflict` does not exist on the multi-backend connection: match on the variant.
    let inserted = match conn {
        DbConnection::Postgres(c) => insert.on_conflict_do_nothing().execute(c)?,
        DbConnection::Sqlite(c) => insert.on_conflict_do_nothing().execute(c)?,
    };
    Ok(inserted == 1)
}

/// The caller's row for `key`, if any.
pub fn find(
    conn: &mut DbConnection,
    caller: &str,
    key: &str,
) -> Result<Option<IdempotencyRow>, DieselError> {
    idempotency_keys::table
        .find((caller, key))
        .select(IdempotencyRow::as_select())
        .first(conn)
        .optional()
}

/// Turns `row` into a fresh claim at `now`, unless another request changed it since it was read.
fn take_over(
    conn: &mut DbConnection,
    row: &IdempotencyRow,
    fingerprint: &str,
    now: NaiveDateTime,
) -> Result<bool, DieselError> {
    let updated = diesel::update(
        idempotency_keys::table
            .find((&row.caller, &row.idempotency_key))
            .filter(idempotency_keys::created_at.eq(row.created_at)),
    )
    .set((
        idempotency_keys::fingerprint.eq(fingerprint),
        idempotency_keys::status.eq(None::<i32>),
        idempotency_keys::response_body.eq(None::<Vec<u8>>),
        idempotency_keys::response_headers.eq(None::<String>),
        idempotency_keys::created_at.eq(now),
        idempotency_keys::completed_at.eq(None::<NaiveDateTime>),
    ))
    .execute(conn)?;
    Ok(updated == 1)
}

/// Records what the claimed request answered; `false` when the claim is no longer this
/// request's (it was taken over or purged), in which case nothing is written.
#[tracing::instrument(skip_all, fields(status = response.status))]
pub fn complete(
    conn: &mut DbConnection,
    claim: &ClaimRef,
    response: &StoredResponse,
    now: NaiveDateTime,
) -> Result<bool, DieselError> {
    let headers = serde_json::to_string(&response.headers)
        .map_err(|e| DieselError::SerializationError(Box::new(e)))?;
    let updated = diesel::update(
        idempotency_keys::table
            .find((&claim.caller, &claim.key))
            .filter(idempotency_keys::created_at.eq(claim.claimed_at))
            .filter(idempotency_keys::status.is_null()),
    )
    .set((
        idempotency_keys::status.eq(Some(i32::from(response.status))),
        idempotency_keys::response_body.eq(response.body.as_deref()),
        idempotency_keys::response_headers.eq(Some(headers)),
        idempotency_keys::completed_at.eq(Some(now)),
    ))
    .execute(conn)?;
    Ok(updated == 1)
}

/// Deletes a running claim so the key may be used again (the request failed in a way worth
/// retrying); `false` when the claim is no longer this request's.
#[tracing::instrument(skip_all)]
pub fn release(conn: &mut DbConnection, claim: &ClaimRef) -> Result<bool, DieselError> {
    let deleted = diesel::delete(
        idempotency_keys::table
            .find((&claim.caller, &claim.key))
            .filter(idempotency_keys::created_at.eq(claim.claimed_at))
            .filter(idempotency_keys::status.is_null()),
    )
    .execute(conn)?;
    Ok(deleted == 1)
}

/// Deletes every key created before `older_than` (completed or not); answers how many.
#[tracing::instrument(skip_all)]
pub fn purge_expired(
    conn: &mut DbConnection,
    older_than: NaiveDateTime,
) -> Result<usize, DieselError> {
    diesel::delete(idempotency_keys::table.filter(idempotency_keys::created_at.lt(older_than)))
        .execute(conn)
}
