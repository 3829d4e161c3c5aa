//! Offers and their blackouts.

use std::collections::HashMap;

use crate::domain::calendar::Opening;
use crate::domain::ids::{BlackoutId, ClusterId, OfferId};
use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;

use super::schema::{offer_blackouts, offers};
use super::{DbConnection, now};
use crate::domain::offer::{OfferKind, OfferState, Weekdays};

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = offers)]
pub struct OfferRow {
    pub id: OfferId,
    pub cluster_id: ClusterId,
    pub kind: OfferKind,
    pub title: String,
    pub description: String,
    pub city: String,
    pub address: Option<String>,
    pub capacity: i32,
    pub available_from: NaiveDate,
    pub available_until: NaiveDate,
    pub max_stay_days: i32,
    pub open_weekdays: String,
    pub languages: String,
    pub sectors: String,
    pub state: OfferState,
    pub version: i32,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
    /// Moves with every edit of the offer and every blackout added or removed.
    pub calendar_version: i32,
}

impl OfferRow {
    pub fn weekdays(&self) -> Weekdays {
        Weekdays::from_db(&self.open_weekdays)
    }

    /// When the offer is open, as the calendar rules read it.
    pub fn opening(&self) -> Opening {
        Opening {
            available_from: self.available_from,
            available_until: self.available_until,
            weekdays: self.weekdays(),
            capacity: self.capacity,
        }
    }

    pub fn languages(&self) -> Vec<String> {
        serde_json::from_str(&self.languages).unwrap_or_default()
    }

    pub fn sectors(&self) -> Vec<String> {
        serde_json::from_str(&self.sectors).unwrap_or_default()
    }
}

/// An offer's editable fields, as written on creation and on every update.
#[derive(Debug, Clone)]
pub struct OfferFields {
    pub kind: OfferKind,
    pub title: String,
    pub description: String,
    pub city: String,
    pub address: Option<String>,
    pub capacity: i32,
    pub available_from: NaiveDate,
    pub available_until: NaiveDate,
    pub max_stay_days: i32,
    pub open_weekdays: Weekdays,
    pub languages: Vec<String>,
    pub sectors: Vec<String>,
}

fn json_list(items: &[String]) -> String {
    serde_json::to_string(items).unwrap_or_else(|_| "[]".into())
}

pub fn find(conn: &mut DbConnection, id: &str) -> QueryResult<Option<OfferRow>> {
    offers::table
        .find(id)
        .select(OfferRow::as_select())
        .first(conn)
        .optional()
}

/// Writes a new draft offer of `cluster_id` with the fields `f`.
pub fn insert(
    conn: &mut DbConnection,
    cluster_id: &ClusterId,
    f: &OfferFields,
) -> QueryResult<OfferRow> {
    let at = now();
    let form = NewOffer {
        id: OfferId::generate(),
        cluster_id: cluster_id.clone(),
        kind: f.kind,
        title: f.title.clone(),
        description: f.description.clone(),
        city: f.city.clone(),
        address: f.address.clone(),
        capacity: f.capacity,
        available_from: f.available_from,
        available_until: f.available_until,
        max_stay_days: f.max_stay_days,
        open_weekdays: f.open_weekdays.to_db(),
        languages: json_list(&f.languages),
        sectors: json_list(&f.sectors),
        state: OfferState::Draft,
        version: 1,
        created_at: at,
        updated_at: at,
    };
    diesel::insert_into(offers::table)
        .values(&form)
        .execute(conn)?;
    offers::table
        .find(&form.id)
        .select(OfferRow::as_select())
        .first(conn)
}

/// Writes `f` if the row is still at `version`; `None` when another update came first.
pub fn update(
    conn: &mut DbConnection,
    id: &str,
    version: i32,
    f: &OfferFields,
) -> QueryResult<Option<OfferRow>> {
    let changed = diesel::update(offers::table.find(id).filter(offers::version.eq(version)))
        .set((
            offers::kind.eq(&f.kind),
            offers::title.eq(&f.title),
            offers::description.eq(&f.description),
            offers::city.eq(&f.city),
            offers::address.eq(&f.address),
            offers::capacity.eq(f.capacity),
            offers::available_from.eq(f.available_from),
            offers::available_until.eq(f.available_until),
            offers::max_stay_days.eq(f.max_stay_days),
            offers::open_weekdays.eq(f.open_weekdays.to_db()),
            offers::languages.eq(json_list(&f.languages)),
            offers::sectors.eq(json_list(&f.sectors)),
            offers::version.eq(version + 1),
            offers::calendar_version.eq(offers::calendar_version + 1),
            offers::updated_at.eq(now()),
        ))
        .execute(conn)?;
    if changed == 0 {
        return Ok(None);
    }
    find(conn, id)
}

/// Moves the offer from `from` to `to` if it is still in `from`.
pub fn set_state(
    conn: &mut DbConnection,
    id: &str,
    from: OfferState,
    to: OfferState,
) -> QueryResult<Option<OfferRow>> {
    let changed = diesel::update(
        offers::table
            .find(id)
            .filter(offers::state.eq(from.as_str())),
    )
    .set((
        offers::state.eq(to.as_str()),
        offers::version.eq(offers::version + 1),
        offers::updated_at.eq(now()),
    ))
    .execute(conn)?;
    if changed == 0 {
        return Ok(None);
    }
    find(conn, id)
}

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = offer_blackouts)]
pub struct BlackoutRow {
    pub id: BlackoutId,
    pub offer_id: OfferId,
    pub start_date: NaiveDate,
    pub end_date: NaiveDate,
    pub reason: String,
    pub created_at: NaiveDateTime,
}

pub fn insert_blackout(
    conn: &mut DbConnection,
    offer_id: &str,
    start: NaiveDate,
    end: NaiveDate,
    reason: &str,
) -> QueryResult<BlackoutRow> {
    let form = NewBlackout {
        id: BlackoutId::generate(),
        offer_id: OfferId::from_stored(offer_id.to_owned()),
        start_date: start,
        end_date: end,
        reason: reason.to_owned(),
        created_at: now(),
    };
    diesel::insert_into(offer_blackouts::table)
        .values(&form)
        .execute(conn)?;
    calendar_changed(conn, offer_id)?;
    offer_blackouts::table
        .find(&form.id)
        .select(BlackoutRow::as_select())
        .first(conn)
}

/// The offer's blackouts that touch `[from, to]` (all of them when unbounded), by start.
pub fn blackouts(
    conn: &mut DbConnection,
    offer_id: &str,
    range: Option<(NaiveDate, NaiveDate)>,
) -> QueryResult<Vec<BlackoutRow>> {
    let mut query = offer_blackouts::table
        .filter(offer_blackouts::offer_id.eq(offer_id))
        .order((offer_blackouts::start_date.asc(), offer_blackouts::id.asc()))
        .select(BlackoutRow::as_select())
        .into_boxed();
    if let Some((from, to)) = range {
        query = query
            .filter(offer_blackouts::start_date.le(to))
            .filter(offer_blackouts::end_date.ge(from));
    }
    query.load(conn)
}

/// The blackouts of each of `offer_ids` that touch `[from, to]`, as day ranges by offer.
pub fn blackouts_of_offers(
    conn: &mut DbConnection,
    offer_ids: &[String],
    (from, to): (NaiveDate, NaiveDate),
) -> QueryResult<HashMap<String, Vec<(NaiveDate, NaiveDate)>>> {
    if offer_ids.is_empty() {
        return Ok(HashMap::new());
    }
    let rows: Vec<(OfferId, NaiveDate, NaiveDate)> = offer_blackouts::table
        .filter(offer_blackouts::offer_id.eq_any(offer_ids))
        .filter(offer_blackouts::start_date.le(to))
        .filter(offer_blackouts::end_date.ge(from))
        .select((
            offer_blackouts::offer_id,
            offer_blackouts::start_date,
            offer_blackouts::end_date,
        ))
        .load(conn)?;
    let mut by_offer: HashMap<String, Vec<(NaiveDate, NaiveDate)>> = HashMap::new();
    for (offer, start, end) in rows {
        by_offer
            .entry(offer.to_string())
            .or_default()
            .push((start, end));
    }
    Ok(by_offer)
}

pub fn delete_blackout(conn: &mut DbConnection, offer_id: &str, id: &str) -> QueryResult<bool> {
    let deleted = diesel::delete(
        offer_blackouts::table
            .filter(offer_blackouts::offer_id.eq(offer_id))
            .filter(offer_blackouts::id.eq(id)),
    )
    .execute(conn)?;
    if deleted == 0 {
        return Ok(false);
    }
    calendar_changed(conn, offer_id)?;
    Ok(true)
}

/// Tells approvals that the offer's open days may have changed since a landing was requested
/// (they re-read the calendar when the version moved). Not a change of the offer itself: its
/// `version`, and so its ETag, stays.
fn calendar_changed(conn: &mut DbConnection, offer_id: &str) -> QueryResult<()> {
    diesel::update(offers::table.find(offer_id))
        .set(offers::calendar_version.eq(offers::calendar_version + 1))
        .execute(conn)
        .map(|_| ())
}

/// What a search asks for; every field narrows.
#[derive(Debug, Default, Clone)]
pub struct SearchFilter {
    pub country: Option<String>,
    pub city: Option<String>,
    pub kind: Option<String>,
    pub sector: Option<String>,
    pub language: Option<String>,
    pub cluster_id: Option<String>,
    /// Each word must appear in the title or the description (case-insensitive).
    pub words: Vec<String>,
    /// `[from, to]` and the places wanted on every day of it.
    pub range: Option<(NaiveDate, NaiveDate, i32)>,
    /// Only offers of these clusters (`eligible=true`).
    pub clusters_in: Option<Vec<String>>,
    pub after: Option<String>,
    pub limit: i64,
}

/// The cluster facts a search result embeds.
#[derive(Debug, Clone, Queryable)]
pub struct ClusterSummaryRow {
    pub id: ClusterId,
    pub name: String,
    pub country: String,
    pub city: String,
    pub timezone: String,
}

diesel::define_sql_function!(fn lower(x: diesel::sql_types::Text) -> diesel::sql_types::Text);

/// Published offers matching `filter`, in id order, with their cluster; `limit + 1` rows.
///
/// On PostgreSQL a search for words is planned for its own words. A common word is best
/// found by walking the offers in id order until a page is full, a rare one through the
/// trigram index; the generic plan PostgreSQL moves a cached prepared statement to after five
/// runs cannot tell them apart, and for a common word in one country it probed the index once
/// per cluster, four times slower. Searches without words keep the cached plan: it walks the
/// offers in id order and probes the booking ledger whatever the values, and planning each of
/// them anew cost a third of their throughput.
pub fn search(
    conn: &mut DbConnection,
    filter: &SearchFilter,
) -> QueryResult<Vec<(OfferRow, ClusterSummaryRow)>> {
    match conn {
        DbConnection::Postgres(_) if !filter.words.is_empty() => conn.transaction(|conn| {
            diesel::sql_query("SET LOCAL plan_cache_mode = force_custom_plan").execute(conn)?;
            search_query(conn, filter)
        }),
        _ => search_query(conn, filter),
    }
}

fn search_query(
    conn: &mut DbConnection,
    filter: &SearchFilter,
) -> QueryResult<Vec<(OfferRow, ClusterSummaryRow)>> {
    use super::clusters::{element_pattern, escape_like};
    use super::schema::{clusters, offer_day_bookings as b};
    use diesel::dsl::{exists, not};

    let mut query = offers::table
        .inner_join(clusters::table)
        .filter(offers::state.eq(OfferState::Published.as_str()))
        .select((
            OfferRow::as_select(),
            (
                clusters::id,
                clusters::name,
                clusters::country,
                clusters::city,
                clusters::timezone,
            ),
        ))
        .order(offers::id.asc())
        .limit(filter.limit + 1)
        .into_boxed();
    if let Some(country) = &filter.country {
        query = query.filter(clusters::country.eq(country.clone()));
    }
    if let Some(city) = &filter.city {
        query = query.filter(lower(offers::city).eq(city.to_lowercase()));
    }
    if let Some(kind) = &filter.kind {
        query = query.filter(offers::kind.eq(kind.clone()));
    }
    if let Some(cluster_id) = &filter.cluster_id {
        query = query.filter(offers::cluster_id.eq(cluster_id.clone()));
    }
    if let Some(ids) = &filter.clusters_in {
        query = query.filter(offers::cluster_id.eq_any(ids.clone()));
    }
    if let Some(sector) = &filter.sector {
        query = query.filter(offers::sectors.like(element_pattern(sector)).escape('\\'));
    }
    if let Some(language) = &filter.language {
        query = query.filter(
            offers::languages
                .like(element_pattern(language))
                .escape('\\'),
        );
    }
    // Words hold no whitespace, so matching the title and description joined by a space is
    // matching either of them; the joined text is a generated column the database indexes.
    for word in &filter.words {
        let pattern = format!("%{}%", escape_like(&word.to_lowercase()));
        query = query.filter(offers::search_text.like(pattern).escape('\\'));
    }
    if let Some((from, to, headcount)) = filter.range {
        // The window overlaps the range, the offer can hold the group at all, and no day of
        // the range has fewer free places than the group needs.
        query = query
            .filter(offers::available_from.le(to))
            .filter(offers::available_until.ge(from))
            .filter(offers::capacity.ge(headcount))
            .filter(not(exists(
                b::table
                    .filter(b::offer_id.eq(offers::id))
                    .filter(b::day.between(from, to))
                    .filter(b::booked.gt(offers::capacity - headcount)),
            )));
    }
    if let Some(after) = &filter.after {
        query = query.filter(offers::id.gt(after.clone()));
    }
    query.load(conn)
}

/// A row of `offers`, whole, as it is inserted: `search_text` is generated by the database and
/// `calendar_version` starts at its default, 1. `None` writes NULL (not the column's default), as
/// the hand-written column lists do, and PostgreSQL's `COPY` can take the form.
#[derive(Debug, Clone, Insertable)]
#[diesel(table_name = offers, treat_none_as_default_value = false)]
pub struct NewOffer {
    pub id: OfferId,
    pub cluster_id: ClusterId,
    pub kind: OfferKind,
    pub title: String,
    pub description: String,
    pub city: String,
    pub address: Option<String>,
    pub capacity: i32,
    pub available_from: NaiveDate,
    pub available_until: NaiveDate,
    pub max_stay_days: i32,
    /// [`Weekdays::to_db`].
    pub open_weekdays: String,
    /// A JSON list of language codes.
    pub languages: String,
    /// A JSON list of sector labels.
    pub sectors: String,
    pub state: OfferState,
    pub version: i32,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
}

/// A row of `offer_blackouts`, whole, as it is inserted.
#[derive(Debug, Clone, Insertable)]
#[diesel(table_name = offer_blackouts, treat_none_as_default_value = false)]
pub struct NewBlackout {
    pub id: BlackoutId,
    pub offer_id: OfferId,
    pub start_date: NaiveDate,
    pub end_date: NaiveDate,
    pub reason: String,
    pub created_at: NaiveDateTime,
}

/// The offers of `cluster_id` in every state, or in `state` only, newest first; at most
/// `limit` (the managers' list of their offers).
pub fn of_cluster(
    conn: &mut DbConnection,
    cluster_id: &str,
    state: Option<OfferState>,
    limit: i64,
) -> QueryResult<Vec<OfferRow>> {
    let mut query = offers::table
        .filter(offers::cluster_id.eq(cluster_id))
        .order(offers::id.desc())
        .limit(limit)
        .select(OfferRow::as_select())
        .into_boxed();
    if let Some(state) = state {
        query = query.filter(offers::state.eq(state.as_str()));
    }
    query.load(conn)
}
