//! Webhook deliveries in the outbox, and the log of their attempts. A delivery is one outbox
//! row: `channel = 'webhook'`, `recipient` the endpoint's id, `payload` the exact body that is
//! signed, `message_id` the `webhook-id` (the same on every retry). `sent` means delivered (a
//! 2xx answer), `dead` given up.
//!
//! The claim leases due rows with a lease as the email worker's does ([`crate::notify::outbox`]),
//! endpoint by endpoint, never more to one than its in-flight attempts leave room for, so a slow
//! endpoint's backlog neither fills a batch nor slows the claim. Outcomes are recorded many at a time, and only while the lease
//! still holds.

use chrono::NaiveDateTime;
use diesel::prelude::*;
use diesel::sql_types::{Array, BigInt, Text, Timestamp};

use super::CHANNEL;
use crate::db::schema::{outbox, webhook_attempts};
use crate::db::webhooks::{self as endpoints, WebhookRow};
use crate::db::{self, DbConnection};
use crate::notify::outbox::{Lease, OutboxStatus};

/// The most of an answer's body an attempt keeps.
pub const KEPT_BODY_BYTES: usize = 1024;

#[derive(Insertable)]
#[diesel(table_name = outbox)]
struct NewDelivery<'a> {
    id: &'a str,
    channel: &'a str,
    event: &'a str,
    recipient: &'a str,
    payload: &'a str,
    message_id: String,
    status: &'a str,
    attempts: i32,
    next_attempt_at: NaiveDateTime,
    created_at: NaiveDateTime,
    updated_at: NaiveDateTime,
}

/// Writes one delivery of `body` per endpoint, due now; answers their ids.
pub fn enqueue(
    conn: &mut DbConnection,
    webhook_ids: &[String],
    event: &str,
    body: &str,
    now: NaiveDateTime,
) -> QueryResult<Vec<String>> {
    let ids: Vec<String> = webhook_ids.iter().map(|_| db::new_id()).collect();
    let rows: Vec<NewDelivery<'_>> = ids
        .iter()
        .zip(webhook_ids)
        .map(|(id, webhook)| NewDelivery {
            id,
            channel: CHANNEL,
            event,
            recipient: webhook,
            payload: body,
            message_id: format!("msg_{}", id.replace('-', "")),
            status: OutboxStatus::Pending.as_str(),
            attempts: 0,
            next_attempt_at: now,
            created_at: now,
            updated_at: now,
        })
        .collect();
    match conn {
        // Every approval a portal subscribes to enqueues: one statement kept prepared,
        // whatever the number of endpoints.
        DbConnection::Postgres(c) => pg::InsertDeliveries {
            event,
            body,
            at: now,
            ids: rows.iter().map(|r| r.id).collect(),
            webhooks: rows.iter().map(|r| r.recipient).collect(),
            message_ids: rows.iter().map(|r| r.message_id.as_str()).collect(),
        }
        .execute(c)?,
        // A multi-row insert needs the concrete backend.
        DbConnection::Sqlite(c) => diesel::insert_into(outbox::table)
            .values(&rows)
            .execute(c)?,
    };
    Ok(ids)
}

/// The insert of [`enqueue`] on PostgreSQL, one array per varying column: the text never varies
/// with the number of endpoints, so each connection parses and plans it once (diesel keeps no
/// multi-row `INSERT` prepared).
mod pg {
    use chrono::NaiveDateTime;
    use diesel::QueryResult;
    use diesel::pg::Pg;
    use diesel::query_builder::{AstPass, QueryFragment};
    use diesel::sql_types::{Array, Integer, Nullable, Text, Timestamp};

    pub(super) struct InsertDeliveries<'a> {
        pub event: &'a str,
        pub body: &'a str,
        pub at: NaiveDateTime,
        pub ids: Vec<&'a str>,
        pub webhooks: Vec<&'a str>,
        pub message_ids: Vec<&'a str>,
    }

    crate::db::constant_pg_statement!(InsertDeliveries);

    impl QueryFragment<Pg> for InsertDeliveries<'_> {
        fn walk_ast<'b>(&'b self, mut out: AstPass<'_, 'b, Pg>) -> QueryResult<()> {
            out.push_sql(
                "INSERT INTO outbox (id, channel, event, recipient, payload, message_id, status, \
                 attempts, next_attempt_at, created_at, updated_at) SELECT id, ",
            );
            out.push_bind_param::<Text, _>(super::CHANNEL)?;
            out.push_sql(", ");
            out.push_bind_param::<Text, _>(self.event)?;
            out.push_sql(", webhook, ");
            out.push_bind_param::<Text, _>(self.body)?;
            out.push_sql(", message_id, ");
            out.push_bind_param::<Text, _>(super::OutboxStatus::Pending.as_str())?;
            out.push_sql(", 0");
            for _ in 0..3 {
                out.push_sql(", ");
                out.push_bind_param::<Timestamp, _>(&self.at)?;
            }
            out.push_sql(" FROM unnest(");
            out.push_bind_param::<Array<Text>, _>(&self.ids)?;
            out.push_sql(", ");
            out.push_bind_param::<Array<Text>, _>(&self.webhooks)?;
            out.push_sql(", ");
            out.push_bind_param::<Array<Text>, _>(&self.message_ids)?;
            out.push_sql(") AS delivery (id, webhook, message_id)");
            Ok(())
        }
    }

    /// The attempts' log of a batch, one array per column, as [`InsertDeliveries`] inserts.
    pub(super) struct InsertAttempts<'a> {
        ids: Vec<&'a str>,
        deliveries: Vec<&'a str>,
        webhooks: Vec<&'a str>,
        at: Vec<NaiveDateTime>,
        codes: Vec<Option<i32>>,
        durations: Vec<i32>,
        errors: Vec<Option<&'a str>>,
        bodies: Vec<Option<&'a str>>,
    }

    impl<'a> InsertAttempts<'a> {
        pub(super) fn of(logs: &[&'a super::AttemptLog]) -> InsertAttempts<'a> {
            InsertAttempts {
                ids: logs.iter().map(|l| l.id.as_str()).collect(),
                deliveries: logs.iter().map(|l| l.delivery_id.as_str()).collect(),
                webhooks: logs.iter().map(|l| l.webhook_id.as_str()).collect(),
                at: logs.iter().map(|l| l.attempted_at).collect(),
                codes: logs.iter().map(|l| l.status_code).collect(),
                durations: logs.iter().map(|l| l.duration_ms).collect(),
                errors: logs.iter().map(|l| l.error.as_deref()).collect(),
                bodies: logs.iter().map(|l| l.response_body.as_deref()).collect(),
            }
        }
    }

    crate::db::constant_pg_statement!(InsertAttempts);

    impl QueryFragment<Pg> for InsertAttempts<'_> {
        fn walk_ast<'b>(&'b self, mut out: AstPass<'_, 'b, Pg>) -> QueryResult<()> {
            out.push_sql(
                "INSERT INTO webhook_attempts (id, delivery_id, webhook_id, attempted_at, \
                 status_code, duration_ms, error, response_body) SELECT * FROM unnest(",
            );
            out.push_bind_param::<Array<Text>, _>(&self.ids)?;
            out.push_sql(", ");
            out.push_bind_param::<Array<Text>, _>(&self.deliveries)?;
            out.push_sql(", ");
            out.push_bind_param::<Array<Text>, _>(&self.webhooks)?;
            out.push_sql(", ");
            out.push_bind_param::<Array<Timestamp>, _>(&self.at)?;
            out.push_sql(", ");
            out.push_bind_param::<Array<Nullable<Integer>>, _>(&self.codes)?;
            out.push_sql(", ");
            out.push_bind_param::<Array<Integer>, _>(&self.durations)?;
            out.push_sql(", ");
            out.push_bind_param::<Array<Nullable<Text>>, _>(&self.errors)?;
            out.push_sql(", ");
            out.push_bind_param::<Array<Nullable<Text>>, _>(&self.bodies)?;
            out.push_sql(")");
            Ok(())
        }
    }
}

pub use crate::notify::outbox::Claimed;

/// Leases due deliveries, as one short transaction: at most `room` to each endpoint `rooms`
/// names (what its in-flight attempts leave free), at most `per_endpoint` to any other, and at
/// most `limit` in all. Each endpoint's deliveries are found through its own stretch of the
/// webhook due index, so an endpoint with a long backlog (one that hangs, say) costs the others
/// nothing; endpoints are taken in random order, so none is always served last.
pub fn claim(
    conn: &mut DbConnection,
    lease: &Lease,
    now: NaiveDateTime,
    limit: usize,
    rooms: &[(String, usize)],
    per_endpoint: usize,
) -> QueryResult<Vec<Claimed>> {
    let limit = i64::try_from(limit.max(1)).unwrap_or(i64::MAX);
    let per = i64::try_from(per_endpoint.max(1)).unwrap_or(i64::MAX);
    let ids: Vec<&str> = rooms.iter().map(|(id, _)| id.as_str()).collect();
    let room: Vec<i64> = rooms
        .iter()
        .map(|(_, r)| i64::try_from(*r).unwrap_or(i64::MAX))
        .collect();
    match conn {
        DbConnection::Postgres(c) => c.transaction(|c| {
            diesel::sql_query(
                "UPDATE outbox SET leased_until = $1, leased_by = $2, updated_at = $3
                  WHERE id IN (
                        SELECT due.id
                          FROM (SELECT id FROM webhooks ORDER BY random()) w
                          LEFT JOIN unnest($4::text[], $5::bigint[]) AS r (id, room) ON r.id = w.id
                         CROSS JOIN LATERAL (
                               SELECT o.id FROM outbox o
                                WHERE o.channel = 'webhook' AND o.status = 'pending'
                                  AND o.recipient = w.id AND o.next_attempt_at <= $3
                                  AND (o.leased_until IS NULL OR o.leased_until < $3)
                                ORDER BY o.next_attempt_at
                                LIMIT COALESCE(r.room, $6)
                                  FOR UPDATE SKIP LOCKED) due
                         LIMIT $7)
              RETURNING id, event, recipient, payload, message_id, attempts",
            )
            .bind::<Timestamp, _>(lease.until)
            .bind::<Text, _>(&lease.worker)
            .bind::<Timestamp, _>(now)
            .bind::<Array<Text>, _>(&ids)
            .bind::<Array<BigInt>, _>(&room)
            .bind::<BigInt, _>(per)
            .bind::<BigInt, _>(limit)
            .load(c)
        }),
        DbConnection::Sqlite(c) => {
            let rooms_json =
                serde_json::to_string(&rooms.iter().map(|(id, r)| (id, *r)).collect::<Vec<_>>())
                    .map_err(|e| diesel::result::Error::SerializationError(Box::new(e)))?;
            c.immediate_transaction(|c| {
                diesel::sql_query(
                    "UPDATE outbox SET leased_until = ?, leased_by = ?, updated_at = ?
                      WHERE id IN (
                            SELECT d.id FROM (
                                   SELECT id, recipient, row_number() OVER (
                                          PARTITION BY recipient ORDER BY next_attempt_at) AS rank
                                     FROM outbox
                                    WHERE channel = 'webhook' AND status = 'pending'
                                      AND next_attempt_at <= ?
                                      AND (leased_until IS NULL OR leased_until < ?)) d
                              LEFT JOIN (SELECT json_extract(value, '$[0]') AS id,
                                                json_extract(value, '$[1]') AS room
                                           FROM json_each(?)) r ON r.id = d.recipient
                             WHERE d.rank <= COALESCE(r.room, ?)
                             LIMIT ?)
                  RETURNING id, event, recipient, payload, message_id, attempts",
                )
                .bind::<Timestamp, _>(lease.until)
                .bind::<Text, _>(&lease.worker)
                .bind::<Timestamp, _>(now)
                .bind::<Timestamp, _>(now)
                .bind::<Timestamp, _>(now)
                .bind::<Text, _>(&rooms_json)
                .bind::<BigInt, _>(per)
                .bind::<BigInt, _>(limit)
                .load(c)
            })
        }
    }
}

/// One attempt, as the log keeps it.
#[derive(Debug, Clone, Insertable)]
#[diesel(table_name = webhook_attempts)]
pub struct AttemptLog {
    pub id: String,
    pub delivery_id: String,
    pub webhook_id: String,
    pub attempted_at: NaiveDateTime,
    pub status_code: Option<i32>,
    pub duration_ms: i32,
    pub error: Option<String>,
    pub response_body: Option<String>,
}

/// What follows an attempt (or a delivery not attempted).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Next {
    /// A 2xx answer: delivered.
    Delivered,
    /// Failed; try again at this time.
    Retry(NaiveDateTime),
    /// Failed for the last time (the schedule is spent): given up.
    GiveUp,
    /// The endpoint answered 410 Gone: given up, and the endpoint disabled.
    Gone,
    /// Not attempted and given up: the endpoint is disabled or gone.
    Dropped(String),
    /// Not attempted (the worker is stopping, or its lease runs short): handed back as it was.
    Release,
}

/// What became of one claimed delivery.
#[derive(Debug, Clone)]
pub struct Outcome {
    pub delivery_id: String,
    pub webhook_id: String,
    pub log: Option<AttemptLog>,
    pub next: Next,
}

/// The webhooks disabled while recording, for their managers to be told.
pub type Disabled = Vec<WebhookRow>;

/// Records `outcomes` in one transaction, each only while `lease` still holds its row: the
/// attempts' log, the rows' new states, each endpoint's failing streak; disables endpoints
/// that answered 410 or have failed since before `disable_before`, and calls `tell` for each
/// (in the same transaction, so their managers' emails exist exactly when they are disabled).
/// Answers the endpoints it disabled.
pub fn record<F>(
    conn: &mut DbConnection,
    lease: &Lease,
    outcomes: &[Outcome],
    disable_before: NaiveDateTime,
    now: NaiveDateTime,
    mut tell: F,
) -> QueryResult<Disabled>
where
    F: FnMut(&mut DbConnection, &WebhookRow) -> QueryResult<()>,
{
    db::write_transaction(conn, |conn| {
        let held: Vec<String> = outbox::table
            .filter(outbox::id.eq_any(outcomes.iter().map(|o| &o.delivery_id)))
            .filter(outbox::leased_by.eq(&lease.worker))
            .filter(outbox::leased_until.eq(lease.until))
            .select(outbox::id)
            .load(conn)?;
        let outcomes: Vec<&Outcome> = outcomes
            .iter()
            .filter(|o| held.contains(&o.delivery_id))
            .collect();
        let logs: Vec<&AttemptLog> = outcomes.iter().filter_map(|o| o.log.as_ref()).collect();
        if !logs.is_empty() {
            match conn {
                // Every batch of deliveries logs its attempts: one statement kept prepared,
                // whatever the batch's size.
                DbConnection::Postgres(c) => pg::InsertAttempts::of(&logs).execute(c)?,
                DbConnection::Sqlite(c) => {
                    let logs: Vec<AttemptLog> = logs.into_iter().cloned().collect();
                    diesel::insert_into(webhook_attempts::table)
                        .values(&logs)
                        .execute(c)?
                }
            };
        }
        let ids_where = |next: fn(&Next) -> bool| -> Vec<String> {
            outcomes
                .iter()
                .filter(|o| next(&o.next))
                .map(|o| o.delivery_id.clone())
                .collect()
        };
        let delivered = ids_where(|n| *n == Next::Delivered);
        if !delivered.is_empty() {
            diesel::update(outbox::table.filter(outbox::id.eq_any(&delivered)))
                .set((
                    outbox::status.eq(OutboxStatus::Sent.as_str()),
                    outbox::attempts.eq(outbox::attempts + 1),
                    outbox::sent_at.eq(Some(now)),
                    outbox::last_error.eq(None::<String>),
                    outbox::leased_until.eq(None::<NaiveDateTime>),
                    outbox::leased_by.eq(None::<String>),
                    outbox::updated_at.eq(now),
                ))
                .execute(conn)?;
        }
        for o in &outcomes {
            let error = o.log.as_ref().and_then(|l| {
                l.error
                    .clone()
                    .or_else(|| l.status_code.map(|s| format!("answered {s}")))
            });
            let target = outbox::table.find(&o.delivery_id);
            match &o.next {
                Next::Delivered => {}
                Next::Retry(at) => {
                    diesel::update(target)
                        .set((
                            outbox::attempts.eq(outbox::attempts + 1),
                            outbox::next_attempt_at.eq(*at),
                            outbox::last_error.eq(error),
                            outbox::leased_until.eq(None::<NaiveDateTime>),
                            outbox::leased_by.eq(None::<String>),
                            outbox::updated_at.eq(now),
                        ))
                        .execute(conn)?;
                }
                Next::GiveUp | Next::Gone => {
                    diesel::update(target)
                        .set((
                            outbox::status.eq(OutboxStatus::Dead.as_str()),
                            outbox::attempts.eq(outbox::attempts + 1),
                            outbox::last_error.eq(error),
                            outbox::leased_until.eq(None::<NaiveDateTime>),
                            outbox::leased_by.eq(None::<String>),
                            outbox::updated_at.eq(now),
                        ))
                        .execute(conn)?;
                }
                Next::Dropped(why) => {
                    diesel::update(target)
                        .set((
                            outbox::status.eq(OutboxStatus::Dead.as_str()),
                            outbox::last_error.eq(Some(why.clone())),
                            outbox::leased_until.eq(None::<NaiveDateTime>),
                            outbox::leased_by.eq(None::<String>),
                            outbox::updated_at.eq(now),
                        ))
                        .execute(conn)?;
                }
                Next::Release => {
                    diesel::update(target)
                        .set((
                            outbox::leased_until.eq(None::<NaiveDateTime>),
                            outbox::leased_by.eq(None::<String>),
                            outbox::updated_at.eq(now),
                        ))
                        .execute(conn)?;
                }
            }
        }
        let endpoints_where = |next: fn(&Next) -> bool| -> Vec<String> {
            let mut ids: Vec<String> = outcomes
                .iter()
                .filter(|o| next(&o.next))
                .map(|o| o.webhook_id.clone())
                .collect();
            ids.sort_unstable();
            ids.dedup();
            ids
        };
        let succeeding = endpoints_where(|n| *n == Next::Delivered);
        if !succeeding.is_empty() {
            endpoints::mark_succeeding(conn, &succeeding)?;
        }
        let failing = endpoints_where(|n| matches!(n, Next::Retry(_) | Next::GiveUp | Next::Gone));
        let mut disabled = Vec::new();
        if !failing.is_empty() {
            endpoints::mark_failing(conn, &failing, now)?;
            let gone = endpoints_where(|n| *n == Next::Gone);
            if !gone.is_empty() {
                disabled.extend(endpoints::disable(
                    conn,
                    &gone,
                    "the endpoint answered 410 Gone",
                    None,
                    now,
                )?);
            }
            disabled.extend(endpoints::disable(
                conn,
                &failing,
                "deliveries failed for five days without one success",
                Some(disable_before),
                now,
            )?);
        }
        for webhook in &disabled {
            tell(conn, webhook)?;
        }
        Ok(disabled)
    })
}

/// A delivery as its endpoint's log shows it.
#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = outbox)]
pub struct DeliveryRow {
    pub id: String,
    pub event: String,
    pub recipient: String,
    pub message_id: String,
    pub status: String,
    pub attempts: i32,
    pub next_attempt_at: NaiveDateTime,
    pub leased_until: Option<NaiveDateTime>,
    pub last_error: Option<String>,
    pub created_at: NaiveDateTime,
    pub sent_at: Option<NaiveDateTime>,
}

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = webhook_attempts)]
pub struct AttemptRow {
    pub id: String,
    pub delivery_id: String,
    pub attempted_at: NaiveDateTime,
    pub status_code: Option<i32>,
    pub duration_ms: i32,
    pub error: Option<String>,
    pub response_body: Option<String>,
}

/// Up to `limit + 1` deliveries of the endpoint, newest first, older than `before`.
pub fn deliveries(
    conn: &mut DbConnection,
    webhook_id: &str,
    before: Option<&str>,
    limit: i64,
) -> QueryResult<Vec<DeliveryRow>> {
    let mut query = outbox::table
        .filter(outbox::channel.eq(CHANNEL))
        .filter(outbox::recipient.eq(webhook_id.to_owned()))
        .select(DeliveryRow::as_select())
        .order(outbox::id.desc())
        .limit(limit + 1)
        .into_boxed();
    if let Some(before) = before {
        query = query.filter(outbox::id.lt(before.to_owned()));
    }
    query.load(conn)
}

/// The attempts at `delivery_ids`, oldest first.
pub fn attempts_of(
    conn: &mut DbConnection,
    delivery_ids: &[String],
) -> QueryResult<Vec<AttemptRow>> {
    webhook_attempts::table
        .filter(webhook_attempts::delivery_id.eq_any(delivery_ids))
        .select(AttemptRow::as_select())
        .order((
            webhook_attempts::attempted_at.asc(),
            webhook_attempts::id.asc(),
        ))
        .load(conn)
}

/// One delivery of the endpoint.
pub fn find_delivery(
    conn: &mut DbConnection,
    webhook_id: &str,
    delivery_id: &str,
) -> QueryResult<Option<DeliveryRow>> {
    outbox::table
        .find(delivery_id)
        .filter(outbox::channel.eq(CHANNEL))
        .filter(outbox::recipient.eq(webhook_id))
        .select(DeliveryRow::as_select())
        .first(conn)
        .optional()
}

/// Queues a delivery again, due now, with a fresh retry schedule, whatever became of it
/// (delivered ones included: the portal may have lost it). A delivery a worker holds right now
/// is left alone: answers `false`.
pub fn redeliver(
    conn: &mut DbConnection,
    delivery_id: &str,
    now: NaiveDateTime,
) -> QueryResult<bool> {
    let changed = diesel::update(
        outbox::table.find(delivery_id).filter(
            outbox::leased_until
                .is_null()
                .or(outbox::leased_until.lt(now)),
        ),
    )
    .set((
        outbox::status.eq(OutboxStatus::Pending.as_str()),
        outbox::attempts.eq(0),
        outbox::next_attempt_at.eq(now),
        outbox::sent_at.eq(None::<NaiveDateTime>),
        outbox::leased_until.eq(None::<NaiveDateTime>),
        outbox::leased_by.eq(None::<String>),
        outbox::updated_at.eq(now),
    ))
    .execute(conn)?;
    Ok(changed > 0)
}
