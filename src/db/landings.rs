//! Landings, the days approved ones hold in the offer's booking ledger, and their audit trail.

use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;

use super::clusters::ClusterRow;
use super::offers::OfferRow;
use super::schema::{landing_events, landings, offer_day_bookings as ledger, offers};
use super::smes::SmeRow;
use super::{DbConnection, new_id, now};
use crate::domain::landing::LandingState;
use crate::domain::offer::OfferState;

#[derive(Debug, Clone, Queryable, QueryableByName, Selectable)]
#[diesel(table_name = landings)]
pub struct LandingRow {
    pub id: String,
    pub offer_id: String,
    pub sme_id: String,
    pub host_cluster_id: String,
    pub home_cluster_id: String,
    pub partnership_id: String,
    pub requested_by: String,
    pub start_date: NaiveDate,
    pub end_date: NaiveDate,
    pub headcount: i32,
    pub open_days: i32,
    pub purpose: String,
    pub target_market: Option<String>,
    pub requested_services: String,
    pub state: String,
    pub endorsement_note: Option<String>,
    pub message: Option<String>,
    pub reason: Option<String>,
    pub outcome: Option<String>,
    pub rating: Option<i32>,
    pub feedback_comment: Option<String>,
    pub feedback_at: Option<NaiveDateTime>,
    pub decided_at: Option<NaiveDateTime>,
    pub reminder_sent_at: Option<NaiveDateTime>,
    pub version: i32,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
    /// The open days of the range, as [`days_text`] writes them.
    pub days: String,
    /// The offer's `calendar_version` that `days` were counted under.
    pub calendar_version: i32,
}

impl LandingRow {
    pub fn state(&self) -> LandingState {
        // The column's CHECK constraint admits exactly the machine's states.
        LandingState::parse(&self.state).unwrap_or(LandingState::Expired)
    }

    pub fn requested_services(&self) -> Vec<String> {
        serde_json::from_str(&self.requested_services).unwrap_or_default()
    }

    /// The open days of the range; the ledger holds them while the landing is approved,
    /// completed or a no-show.
    pub fn days(&self) -> Vec<NaiveDate> {
        self.days
            .split(',')
            .filter_map(|day| day.parse().ok())
            .collect()
    }
}

/// Days as the `landings.days` column keeps them: ISO dates, comma-separated.
pub fn days_text(days: &[NaiveDate]) -> String {
    days.iter()
        .map(|day| day.format("%Y-%m-%d").to_string())
        .collect::<Vec<_>>()
        .join(",")
}

/// A new landing, checked against every acceptance rule.
#[derive(Debug, Clone)]
pub struct NewLanding {
    pub offer_id: String,
    pub sme_id: String,
    pub host_cluster_id: String,
    pub home_cluster_id: String,
    pub partnership_id: String,
    pub requested_by: String,
    pub start_date: NaiveDate,
    pub end_date: NaiveDate,
    pub headcount: i32,
    /// The open days of the range, ascending.
    pub days: Vec<NaiveDate>,
    /// The offer's `calendar_version` the days were counted under.
    pub calendar_version: i32,
    pub purpose: String,
    pub target_market: Option<String>,
    pub requested_services: Vec<String>,
    pub state: LandingState,
}

pub fn find(conn: &mut DbConnection, id: &str) -> QueryResult<Option<LandingRow>> {
    landings::table
        .find(id)
        .select(LandingRow::as_select())
        .first(conn)
        .optional()
}

/// A landing with what every action on it reads besides the offer.
#[derive(Debug, Clone)]
pub struct LandingParties {
    pub landing: LandingRow,
    /// As read, not locked: for what the emails say of it.
    pub offer: OfferRow,
    /// Whose time zone the landing's dates are in.
    pub host: ClusterRow,
    pub sme: SmeRow,
    /// The SME's home cluster.
    pub home: ClusterRow,
    /// The state of the partnership the landing was requested under.
    pub partnership_state: String,
}

/// The landing with its offer, its host cluster, its SME and the SME's home cluster, and the
/// state of its partnership, in one query.
pub fn find_with_parties(conn: &mut DbConnection, id: &str) -> QueryResult<Option<LandingParties>> {
    use super::schema::{clusters, partnerships, smes};
    let home = diesel::alias!(clusters as home);
    // Positionally in `ClusterRow`'s field order.
    let home_row = home.fields((
        clusters::id,
        clusters::name,
        clusters::country,
        clusters::city,
        clusters::timezone,
        clusters::contact_email,
        clusters::website,
        clusters::description,
        clusters::sectors,
        clusters::version,
        clusters::created_at,
        clusters::updated_at,
    ));
    let found: Option<(LandingRow, OfferRow, ClusterRow, SmeRow, ClusterRow, String)> =
        landings::table
            .inner_join(offers::table.on(offers::id.eq(landings::offer_id)))
            .inner_join(clusters::table.on(clusters::id.eq(landings::host_cluster_id)))
            .inner_join(smes::table.on(smes::id.eq(landings::sme_id)))
            .inner_join(home.on(home.field(clusters::id).eq(smes::home_cluster_id)))
            .inner_join(partnerships::table.on(partnerships::id.eq(landings::partnership_id)))
            .filter(landings::id.eq(id))
            .select((
                LandingRow::as_select(),
                OfferRow::as_select(),
                ClusterRow::as_select(),
                SmeRow::as_select(),
                home_row,
                partnerships::state,
            ))
            .first(conn)
            .optional()?;
    Ok(found.map(
        |(landing, offer, host, sme, home, partnership_state)| LandingParties {
            landing,
            offer,
            host,
            sme,
            home,
            partnership_state,
        },
    ))
}

pub fn insert(conn: &mut DbConnection, new: &NewLanding) -> QueryResult<LandingRow> {
    let id = new_id();
    let at = now();
    let services = serde_json::to_string(&new.requested_services)
        .map_err(|e| diesel::result::Error::SerializationError(Box::new(e)))?;
    diesel::insert_into(landings::table)
        .values((
            landings::id.eq(&id),
            landings::offer_id.eq(&new.offer_id),
            landings::sme_id.eq(&new.sme_id),
            landings::host_cluster_id.eq(&new.host_cluster_id),
            landings::home_cluster_id.eq(&new.home_cluster_id),
            landings::partnership_id.eq(&new.partnership_id),
            landings::requested_by.eq(&new.requested_by),
            landings::start_date.eq(new.start_date),
            landings::end_date.eq(new.end_date),
            landings::headcount.eq(new.headcount),
            landings::open_days.eq(new.days.len() as i32),
            landings::days.eq(days_text(&new.days)),
            landings::calendar_version.eq(new.calendar_version),
            landings::purpose.eq(&new.purpose),
            landings::target_market.eq(&new.target_market),
            landings::requested_services.eq(services),
            landings::state.eq(new.state.as_str()),
            landings::created_at.eq(at),
            landings::updated_at.eq(at),
        ))
        .execute(conn)?;
    landings::table
        .find(&id)
        .select(LandingRow::as_select())
        .first(conn)
}

/// What a transition writes besides the state; `None` leaves a column as it is.
#[derive(Debug, Default, Clone)]
pub struct Decision {
    pub endorsement_note: Option<String>,
    pub message: Option<String>,
    pub reason: Option<String>,
    pub outcome: Option<String>,
    /// The open days an approval takes, as re-counted under the offer's current calendar.
    pub days: Option<(Vec<NaiveDate>, i32)>,
    /// Set when the host or the home cluster decides (or the landing expires).
    pub decided: bool,
}

/// The columns a [`Decision`] writes; `None` leaves a column as it is.
#[derive(AsChangeset)]
#[diesel(table_name = landings)]
pub(crate) struct DecisionColumns<'a> {
    endorsement_note: Option<&'a str>,
    message: Option<&'a str>,
    reason: Option<&'a str>,
    outcome: Option<&'a str>,
    days: Option<String>,
    calendar_version: Option<i32>,
    decided_at: Option<NaiveDateTime>,
}

/// What a transition writes into the audit trail.
pub struct Event<'a> {
    pub actor: &'a Actor<'a>,
    pub action: &'a str,
    pub note: Option<&'a str>,
}

/// Moves the landing from `from` to `to` with the decision's columns and records `event` in its
/// audit trail; `None` (and nothing written) when it was no longer in `from`.
///
/// On PostgreSQL both are one statement: the event is inserted from the updated row, so it
/// exists exactly when the change does, at the cost of one round trip instead of two.
pub fn set_state(
    conn: &mut DbConnection,
    id: &str,
    from: LandingState,
    to: LandingState,
    decision: &Decision,
    event: &Event<'_>,
) -> QueryResult<Option<LandingRow>> {
    let at = now();
    let columns = DecisionColumns {
        endorsement_note: decision.endorsement_note.as_deref(),
        message: decision.message.as_deref(),
        reason: decision.reason.as_deref(),
        outcome: decision.outcome.as_deref(),
        days: decision.days.as_ref().map(|(days, _)| days_text(days)),
        calendar_version: decision.days.as_ref().map(|(_, version)| *version),
        decided_at: decision.decided.then_some(at),
    };
    match conn {
        DbConnection::Postgres(c) => pg::Transition {
            to: to.as_str(),
            at,
            columns: &columns,
            id,
            from: from.as_str(),
            event_id: new_id(),
            event,
        }
        .get_result(c)
        .optional(),
        DbConnection::Sqlite(c) => {
            let updated = diesel::update(
                landings::table
                    .filter(landings::id.eq(id))
                    .filter(landings::state.eq(from.as_str())),
            )
            .set((
                landings::state.eq(to.as_str()),
                landings::version.eq(landings::version + 1),
                landings::updated_at.eq(at),
                columns,
            ))
            .returning(LandingRow::as_returning())
            .get_result(c)
            .optional()?;
            if updated.is_some() {
                record_event(
                    conn,
                    id,
                    event.actor,
                    event.action,
                    Some(from),
                    to,
                    event.note,
                )?;
            }
            Ok(updated)
        }
    }
}

/// Stores the SME's feedback once; `None` when feedback was already given (or the landing is
/// not completed).
pub fn set_feedback(
    conn: &mut DbConnection,
    id: &str,
    rating: i32,
    comment: Option<&str>,
) -> QueryResult<Option<LandingRow>> {
    let at = now();
    let changed = diesel::update(
        landings::table
            .filter(landings::id.eq(id))
            .filter(landings::state.eq(LandingState::Completed.as_str()))
            .filter(landings::rating.is_null()),
    )
    .set((
        landings::rating.eq(rating),
        landings::feedback_comment.eq(comment),
        landings::feedback_at.eq(at),
        landings::version.eq(landings::version + 1),
        landings::updated_at.eq(at),
    ))
    .execute(conn)?;
    if changed == 0 {
        return Ok(None);
    }
    find(conn, id)
}

/// Who did something, for the audit trail.
pub struct Actor<'a> {
    pub id: &'a str,
    pub kind: &'a str,
}

pub fn record_event(
    conn: &mut DbConnection,
    landing_id: &str,
    actor: &Actor<'_>,
    action: &str,
    from: Option<LandingState>,
    to: LandingState,
    note: Option<&str>,
) -> QueryResult<()> {
    diesel::insert_into(landing_events::table)
        .values((
            landing_events::id.eq(new_id()),
            landing_events::landing_id.eq(landing_id),
            landing_events::actor_id.eq(actor.id),
            landing_events::actor_kind.eq(actor.kind),
            landing_events::action.eq(action),
            landing_events::from_state.eq(from.map(|s| s.as_str())),
            landing_events::to_state.eq(to.as_str()),
            landing_events::note.eq(note),
            landing_events::at.eq(now()),
        ))
        .execute(conn)
        .map(|_| ())
}

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = landing_events)]
pub struct EventRow {
    pub id: String,
    pub actor_id: String,
    pub actor_kind: String,
    pub action: String,
    pub from_state: Option<String>,
    pub to_state: String,
    pub note: Option<String>,
    pub at: NaiveDateTime,
}

/// The audit trail, oldest first, in pages of `limit` after the event id `after`.
pub fn events(
    conn: &mut DbConnection,
    landing_id: &str,
    after: Option<&str>,
    limit: i64,
) -> QueryResult<Vec<EventRow>> {
    let mut query = landing_events::table
        .filter(landing_events::landing_id.eq(landing_id))
        .select(EventRow::as_select())
        .order(landing_events::id.asc())
        .limit(limit + 1)
        .into_boxed();
    if let Some(after) = after {
        query = query.filter(landing_events::id.gt(after.to_owned()));
    }
    query.load(conn)
}

/// Loads the offer and, on PostgreSQL, locks its row until the transaction ends. Approvals,
/// cancellations, capacity edits and blackouts of one offer take it first, so they happen one
/// after another per offer (and in parallel across offers). SQLite's write lock, taken up front
/// by [`super::write_transaction`], already orders them.
pub fn lock_offer(conn: &mut DbConnection, offer_id: &str) -> QueryResult<Option<OfferRow>> {
    match conn {
        DbConnection::Postgres(pg) => offers::table
            .filter(offers::id.eq(offer_id))
            .select(OfferRow::as_select())
            .for_update()
            .first(pg)
            .optional(),
        DbConnection::Sqlite(_) => offers::table
            .filter(offers::id.eq(offer_id))
            .select(OfferRow::as_select())
            .first(conn)
            .optional(),
    }
}

/// Takes `headcount` places on every day of `days` (sorted, distinct) if each has room under
/// `capacity`; answers the first day without room otherwise, having changed nothing that the
/// caller's transaction will keep (the caller rolls back). Call with the offer locked
/// ([`lock_offer`]).
///
/// The increment is conditional (`booked + headcount <= capacity`) and counted, so even a
/// caller that forgot the lock could not push a day over capacity: PostgreSQL re-checks the
/// condition on the latest row version of a concurrently updated day, and a concurrent insert of
/// the same new day turns into that conditional update.
pub fn take_places(
    conn: &mut DbConnection,
    offer_id: &str,
    capacity: i32,
    headcount: i32,
    days: &[NaiveDate],
) -> QueryResult<Result<(), NaiveDate>> {
    if headcount > capacity {
        return Ok(Err(days.first().copied().unwrap_or_default()));
    }
    let rows = |booked: i32| -> Vec<_> {
        days.iter()
            .map(|day| {
                (
                    ledger::offer_id.eq(offer_id),
                    ledger::day.eq(*day),
                    ledger::booked.eq(booked),
                )
            })
            .collect()
    };
    let taken = match conn {
        // One statement: a day not in the ledger yet is inserted holding the group; a day
        // already in it takes the group only while that keeps it within capacity.
        DbConnection::Postgres(c) => pg::TakePlaces {
            offer_id,
            headcount,
            most_booked: capacity - headcount,
            days,
        }
        .get_results::<NaiveDate>(c)?,
        // SQLite has no multi-row upsert in diesel: make sure every day has a row, then take
        // the places where they fit (in-process statements cost little under its one writer).
        DbConnection::Sqlite(c) => {
            diesel::insert_into(ledger::table)
                .values(&rows(0))
                .on_conflict_do_nothing()
                .execute(c)?;
            diesel::update(
                ledger::table
                    .filter(ledger::offer_id.eq(offer_id))
                    .filter(ledger::day.eq_any(days))
                    .filter(ledger::booked.le(capacity - headcount)),
            )
            .set(ledger::booked.eq(ledger::booked + headcount))
            .returning(ledger::day)
            .get_results::<NaiveDate>(c)?
        }
    };
    if taken.len() == days.len() {
        return Ok(Ok(()));
    }
    // The days that took no places are full; `days` is sorted, so the first missing is the
    // first full day.
    let first_full = days
        .iter()
        .find(|day| !taken.contains(day))
        .copied()
        .unwrap_or_default();
    Ok(Err(first_full))
}

/// What [`lock_and_take_places`] did.
pub enum Taken {
    /// Every day took the group.
    All,
    /// `first_full` did not take it (other days may have): the caller rolls back.
    Short {
        first_full: NaiveDate,
        capacity: i32,
    },
    /// Nothing was taken because the offer is archived or its calendar moved since the
    /// request, or the backend has no such statement: the caller looks at the offer (locked
    /// now on PostgreSQL, under the write lock on SQLite).
    Undecided,
}

/// On PostgreSQL, locks the offer and takes the group's places on `days` in one statement,
/// provided the offer is not archived and its calendar is still at `calendar_version` (so
/// `days`, counted at the request, still stand). The conditions and the lock are in the
/// statement; the increment is the same conditional upsert as [`take_places`]. SQLite answers
/// [`Taken::Undecided`] at once.
pub fn lock_and_take_places(
    conn: &mut DbConnection,
    offer_id: &str,
    headcount: i32,
    days: &[NaiveDate],
    calendar_version: i32,
) -> QueryResult<Taken> {
    let DbConnection::Postgres(c) = conn else {
        return Ok(Taken::Undecided);
    };
    let rows: Vec<(Option<NaiveDate>, i32, i32, String)> = pg::LockAndTakePlaces {
        offer_id,
        headcount,
        days,
        calendar_version,
    }
    .get_results(c)?;
    let Some((_, capacity, version, state)) = rows.first() else {
        return Ok(Taken::Undecided);
    };
    if state == OfferState::Archived.as_str() || *version != calendar_version {
        return Ok(Taken::Undecided);
    }
    let taken: Vec<NaiveDate> = rows.iter().filter_map(|(day, ..)| *day).collect();
    match days.iter().find(|day| !taken.contains(day)) {
        None => Ok(Taken::All),
        Some(first_full) => Ok(Taken::Short {
            first_full: *first_full,
            capacity: *capacity,
        }),
    }
}

/// Gives back the places an approved landing held on `days` (when it is cancelled).
pub fn release_places(
    conn: &mut DbConnection,
    offer_id: &str,
    headcount: i32,
    days: &[NaiveDate],
) -> QueryResult<()> {
    diesel::update(
        ledger::table
            .filter(ledger::offer_id.eq(offer_id))
            .filter(ledger::day.eq_any(days)),
    )
    .set(ledger::booked.eq(ledger::booked - headcount))
    .execute(conn)
    .map(|_| ())
}

/// Whose landings a caller may list.
#[derive(Debug, Clone)]
pub enum Scope {
    All,
    Sme(String),
    /// Landings the cluster hosts or whose SME it is home to.
    Cluster(String),
}

#[derive(Debug, Clone)]
pub struct ListFilter {
    pub scope: Scope,
    pub state: Option<LandingState>,
    pub offer_id: Option<String>,
    pub sme_id: Option<String>,
    pub host_cluster_id: Option<String>,
    pub home_cluster_id: Option<String>,
    /// Landings that end on or after this day.
    pub from: Option<NaiveDate>,
    /// Landings that start on or before this day.
    pub to: Option<NaiveDate>,
    pub after: Option<String>,
    pub limit: i64,
}

pub fn list(conn: &mut DbConnection, filter: &ListFilter) -> QueryResult<Vec<LandingRow>> {
    let mut query = landings::table
        .select(LandingRow::as_select())
        .order(landings::id.asc())
        .limit(filter.limit + 1)
        .into_boxed();
    match &filter.scope {
        Scope::All => {}
        Scope::Sme(id) => query = query.filter(landings::sme_id.eq(id.clone())),
        Scope::Cluster(id) => {
            query = query.filter(
                landings::host_cluster_id
                    .eq(id.clone())
                    .or(landings::home_cluster_id.eq(id.clone())),
            )
        }
    }
    if let Some(state) = filter.state {
        query = query.filter(landings::state.eq(state.as_str()));
    }
    if let Some(id) = &filter.offer_id {
        query = query.filter(landings::offer_id.eq(id.clone()));
    }
    if let Some(id) = &filter.sme_id {
        query = query.filter(landings::sme_id.eq(id.clone()));
    }
    if let Some(id) = &filter.host_cluster_id {
        query = query.filter(landings::host_cluster_id.eq(id.clone()));
    }
    if let Some(id) = &filter.home_cluster_id {
        query = query.filter(landings::home_cluster_id.eq(id.clone()));
    }
    if let Some(from) = filter.from {
        query = query.filter(landings::end_date.ge(from));
    }
    if let Some(to) = filter.to {
        query = query.filter(landings::start_date.le(to));
    }
    if let Some(after) = &filter.after {
        query = query.filter(landings::id.gt(after.clone()));
    }
    query.load(conn)
}

/// Pending landings starting before `before` with their host's time zone, oldest start
/// first: the candidates of the expiry sweep (which decides per host time zone).
pub fn pending_starting_before(
    conn: &mut DbConnection,
    before: NaiveDate,
    limit: i64,
) -> QueryResult<Vec<(LandingRow, String)>> {
    use super::schema::clusters;
    landings::table
        .inner_join(clusters::table.on(clusters::id.eq(landings::host_cluster_id)))
        .filter(landings::state.eq_any([
            LandingState::PendingEndorsement.as_str(),
            LandingState::PendingApproval.as_str(),
        ]))
        .filter(landings::start_date.lt(before))
        .order((landings::start_date.asc(), landings::id.asc()))
        .limit(limit)
        .select((LandingRow::as_select(), clusters::timezone))
        .load(conn)
}

/// Approved landings starting in `[from, to]` that were not reminded yet, with their host's
/// time zone: the candidates for start reminders.
pub fn approved_starting_between(
    conn: &mut DbConnection,
    from: NaiveDate,
    to: NaiveDate,
) -> QueryResult<Vec<(LandingRow, String)>> {
    use super::schema::clusters;
    landings::table
        .inner_join(clusters::table.on(clusters::id.eq(landings::host_cluster_id)))
        .filter(landings::state.eq(LandingState::Approved.as_str()))
        .filter(landings::reminder_sent_at.is_null())
        .filter(landings::start_date.between(from, to))
        .order(landings::id.asc())
        .select((LandingRow::as_select(), clusters::timezone))
        .load(conn)
}

/// Marks the landing reminded; `false` when another sweep (on this instance or another) did it
/// first. Run in the transaction that writes the reminder emails, so they exist exactly once.
pub fn claim_reminder(conn: &mut DbConnection, id: &str) -> QueryResult<bool> {
    diesel::update(
        landings::table
            .filter(landings::id.eq(id))
            .filter(landings::state.eq(LandingState::Approved.as_str()))
            .filter(landings::reminder_sent_at.is_null()),
    )
    .set(landings::reminder_sent_at.eq(now()))
    .execute(conn)
    .map(|n| n == 1)
}

/// The hot statements of approvals on PostgreSQL, as constant SQL. Diesel never keeps a raw
/// `sql_query` prepared (its text could be built at run time), nor an `UPDATE` or a multi-row
/// `INSERT`; these declare that their text never varies, so each connection parses and plans
/// them once.
mod pg {
    use chrono::{NaiveDate, NaiveDateTime};
    use diesel::QueryResult;
    use diesel::pg::Pg;
    use diesel::query_builder::{AstPass, QueryFragment};
    use diesel::sql_types::{Array, Date, Integer, Nullable, Text, Timestamp, Untyped};

    use super::{DecisionColumns, Event};

    /// The landing's state change with its decision columns (`NULL` keeps a column) and, from
    /// the updated row, its audit event; answers the updated row, or none if it had left `from`.
    pub(super) struct Transition<'a> {
        pub to: &'a str,
        pub at: NaiveDateTime,
        pub columns: &'a DecisionColumns<'a>,
        pub id: &'a str,
        pub from: &'a str,
        pub event_id: String,
        pub event: &'a Event<'a>,
    }

    constant_pg_statement!(Transition, Untyped);

    impl QueryFragment<Pg> for Transition<'_> {
        fn walk_ast<'b>(&'b self, mut out: AstPass<'_, 'b, Pg>) -> QueryResult<()> {
            let c = self.columns;
            out.push_sql("WITH updated AS (UPDATE landings SET state = ");
            out.push_bind_param::<Text, _>(self.to)?;
            out.push_sql(", version = version + 1, updated_at = ");
            out.push_bind_param::<Timestamp, _>(&self.at)?;
            out.push_sql(", endorsement_note = COALESCE(");
            out.push_bind_param::<Nullable<Text>, _>(&c.endorsement_note)?;
            out.push_sql(", endorsement_note), message = COALESCE(");
            out.push_bind_param::<Nullable<Text>, _>(&c.message)?;
            out.push_sql(", message), reason = COALESCE(");
            out.push_bind_param::<Nullable<Text>, _>(&c.reason)?;
            out.push_sql(", reason), outcome = COALESCE(");
            out.push_bind_param::<Nullable<Text>, _>(&c.outcome)?;
            out.push_sql(", outcome), days = COALESCE(");
            out.push_bind_param::<Nullable<Text>, _>(&c.days)?;
            out.push_sql(", days), calendar_version = COALESCE(");
            out.push_bind_param::<Nullable<Integer>, _>(&c.calendar_version)?;
            out.push_sql(", calendar_version), decided_at = COALESCE(");
            out.push_bind_param::<Nullable<Timestamp>, _>(&c.decided_at)?;
            out.push_sql(", decided_at) WHERE id = ");
            out.push_bind_param::<Text, _>(self.id)?;
            out.push_sql(" AND state = ");
            out.push_bind_param::<Text, _>(self.from)?;
            out.push_sql(
                " RETURNING *), recorded AS (INSERT INTO landing_events \
                 (id, landing_id, actor_id, actor_kind, action, from_state, to_state, note, at) \
                 SELECT ",
            );
            out.push_bind_param::<Text, _>(&self.event_id)?;
            out.push_sql(", id, ");
            out.push_bind_param::<Text, _>(self.event.actor.id)?;
            out.push_sql(", ");
            out.push_bind_param::<Text, _>(self.event.actor.kind)?;
            out.push_sql(", ");
            out.push_bind_param::<Text, _>(self.event.action)?;
            out.push_sql(", ");
            out.push_bind_param::<Text, _>(self.from)?;
            out.push_sql(", ");
            out.push_bind_param::<Text, _>(self.to)?;
            out.push_sql(", ");
            out.push_bind_param::<Nullable<Text>, _>(&self.event.note)?;
            out.push_sql(", ");
            out.push_bind_param::<Timestamp, _>(&self.at)?;
            out.push_sql(" FROM updated) SELECT * FROM updated");
            Ok(())
        }
    }

    /// [`super::lock_and_take_places`]: the offer's lock, its conditions and the ledger upsert;
    /// answers each day taken (or one row without a day when none was) with the offer's
    /// capacity, calendar version and state.
    pub(super) struct LockAndTakePlaces<'a> {
        pub offer_id: &'a str,
        pub headcount: i32,
        pub days: &'a [NaiveDate],
        pub calendar_version: i32,
    }

    constant_pg_statement!(LockAndTakePlaces, (Nullable<Date>, Integer, Integer, Text));

    impl QueryFragment<Pg> for LockAndTakePlaces<'_> {
        fn walk_ast<'b>(&'b self, mut out: AstPass<'_, 'b, Pg>) -> QueryResult<()> {
            out.push_sql(
                "WITH offer AS (SELECT capacity, calendar_version, state FROM offers WHERE id = ",
            );
            out.push_bind_param::<Text, _>(self.offer_id)?;
            out.push_sql(
                " FOR UPDATE), taken AS (INSERT INTO offer_day_bookings (offer_id, day, booked) \
                 SELECT ",
            );
            out.push_bind_param::<Text, _>(self.offer_id)?;
            out.push_sql(", day, ");
            out.push_bind_param::<Integer, _>(&self.headcount)?;
            out.push_sql(" FROM unnest(");
            out.push_bind_param::<Array<Date>, _>(self.days)?;
            out.push_sql(
                ") AS day, offer WHERE offer.state <> 'archived' AND offer.calendar_version = ",
            );
            out.push_bind_param::<Integer, _>(&self.calendar_version)?;
            out.push_sql(" AND offer.capacity >= ");
            out.push_bind_param::<Integer, _>(&self.headcount)?;
            out.push_sql(
                " ON CONFLICT (offer_id, day) DO UPDATE \
                 SET booked = offer_day_bookings.booked + EXCLUDED.booked \
                 WHERE offer_day_bookings.booked + EXCLUDED.booked <= \
                 (SELECT capacity FROM offer) RETURNING day) \
                 SELECT taken.day, offer.capacity, offer.calendar_version, offer.state \
                 FROM offer LEFT JOIN taken ON true",
            );
            Ok(())
        }
    }

    /// The ledger upsert of [`super::take_places`]: each day takes the group while it stays at
    /// or under capacity; answers the days that took it.
    pub(super) struct TakePlaces<'a> {
        pub offer_id: &'a str,
        pub headcount: i32,
        /// The most a day may hold before the group joins it: capacity − headcount.
        pub most_booked: i32,
        pub days: &'a [NaiveDate],
    }

    constant_pg_statement!(TakePlaces, Date);

    impl QueryFragment<Pg> for TakePlaces<'_> {
        fn walk_ast<'b>(&'b self, mut out: AstPass<'_, 'b, Pg>) -> QueryResult<()> {
            out.push_sql("INSERT INTO offer_day_bookings (offer_id, day, booked) SELECT ");
            out.push_bind_param::<Text, _>(self.offer_id)?;
            out.push_sql(", day, ");
            out.push_bind_param::<Integer, _>(&self.headcount)?;
            out.push_sql(" FROM unnest(");
            out.push_bind_param::<Array<Date>, _>(self.days)?;
            out.push_sql(
                ") AS day ON CONFLICT (offer_id, day) DO UPDATE \
                 SET booked = offer_day_bookings.booked + EXCLUDED.booked \
                 WHERE offer_day_bookings.booked <= ",
            );
            out.push_bind_param::<Integer, _>(&self.most_booked)?;
            out.push_sql(" RETURNING day");
            Ok(())
        }
    }
}
