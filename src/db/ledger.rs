//! The booking ledger: per offer and day, how many visitors approved landings hold. The offer's
//! row lock orders every change to one offer's ledger (approvals, cancellations, capacity edits,
//! blackouts); places are taken and released only here, and read only here.

use chrono::NaiveDate;
use diesel::prelude::*;

use super::DbConnection;
use super::offers::OfferRow;
use super::schema::{offer_day_bookings as ledger, offers};
use crate::domain::offer::OfferState;

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

/// Visitors booked per day of `[from, to]` (days without bookings are absent).
pub fn booked_days(
    conn: &mut DbConnection,
    offer_id: &str,
    from: NaiveDate,
    to: NaiveDate,
) -> QueryResult<Vec<(NaiveDate, i32)>> {
    use ledger as b;
    b::table
        .filter(b::offer_id.eq(offer_id))
        .filter(b::day.between(from, to))
        .order(b::day.asc())
        .select((b::day, b::booked))
        .load(conn)
}

/// Every day of the offer that approved landings hold visitors on, by date.
pub fn held_days(conn: &mut DbConnection, offer_id: &str) -> QueryResult<Vec<(NaiveDate, i32)>> {
    use ledger as b;
    b::table
        .filter(b::offer_id.eq(offer_id))
        .filter(b::booked.gt(0))
        .order(b::day.asc())
        .select((b::day, b::booked))
        .load(conn)
}

/// The hot statements of approvals on PostgreSQL, as constant SQL (see
/// [`super::constant_pg_statement`]): each connection parses and plans them once.
mod pg {
    use chrono::NaiveDate;
    use diesel::QueryResult;
    use diesel::pg::Pg;
    use diesel::query_builder::{AstPass, QueryFragment};
    use diesel::sql_types::{Array, Date, Integer, Nullable, Text};

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

/// A row of the ledger (`offer_day_bookings`), as it is inserted: the visitors approved landings
/// hold on one day of one offer.
#[derive(Debug, Clone, Insertable)]
#[diesel(table_name = super::schema::offer_day_bookings, treat_none_as_default_value = false)]
pub struct NewOfferDayBooking {
    pub offer_id: crate::domain::ids::OfferId,
    pub day: NaiveDate,
    pub booked: i32,
}
