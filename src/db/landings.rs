//! Landings, the days approved ones hold in the offer's booking ledger, and their audit trail.

use crate::domain::ids::{ClusterId, LandingId, OfferId, PartnershipId, SmeId};
use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;

use super::audit::{self, Actor, Entry, Trail};
use super::clusters::ClusterRow;
use super::offers::OfferRow;
use super::schema::{landings, offers};
use super::smes::SmeRow;
use super::{DbConnection, new_id, now, tallies};
use crate::domain::landing::{LandingAction, LandingState};
use crate::domain::partnership::PartnershipState;

#[derive(Debug, Clone, Queryable, QueryableByName, Selectable)]
#[diesel(table_name = landings)]
pub struct LandingRow {
    pub id: LandingId,
    pub offer_id: OfferId,
    pub sme_id: SmeId,
    pub host_cluster_id: ClusterId,
    pub home_cluster_id: ClusterId,
    pub partnership_id: PartnershipId,
    pub requested_by: String,
    pub start_date: NaiveDate,
    pub end_date: NaiveDate,
    pub headcount: i32,
    pub open_days: i32,
    pub purpose: String,
    pub target_market: Option<String>,
    pub requested_services: String,
    pub state: LandingState,
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
    pub fn requested_services(&self) -> Vec<String> {
        serde_json::from_str(&self.requested_services).unwrap_or_default()
    }

    /// The open days of the range; the ledger holds them while the landing is approved,
    /// completed or a no-show.
    pub fn days(&self) -> Vec<NaiveDate> {
        days_of(&self.days)
    }
}

/// Days as [`days_text`] wrote them.
pub fn days_of(text: &str) -> Vec<NaiveDate> {
    text.split(',').filter_map(|day| day.parse().ok()).collect()
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
    pub offer_id: OfferId,
    pub sme_id: SmeId,
    pub host_cluster_id: ClusterId,
    pub home_cluster_id: ClusterId,
    pub partnership_id: PartnershipId,
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
    pub partnership_state: PartnershipState,
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
    let found: Option<(
        LandingRow,
        OfferRow,
        ClusterRow,
        SmeRow,
        ClusterRow,
        PartnershipState,
    )> = landings::table
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

/// Writes the requested landing `new`.
pub fn insert(conn: &mut DbConnection, new: &NewLanding) -> QueryResult<LandingRow> {
    let at = now();
    let services = serde_json::to_string(&new.requested_services)
        .map_err(|e| diesel::result::Error::SerializationError(Box::new(e)))?;
    let form = NewLandingRow {
        id: LandingId::generate(),
        offer_id: new.offer_id.clone(),
        sme_id: new.sme_id.clone(),
        host_cluster_id: new.host_cluster_id.clone(),
        home_cluster_id: new.home_cluster_id.clone(),
        partnership_id: new.partnership_id.clone(),
        requested_by: new.requested_by.clone(),
        start_date: new.start_date,
        end_date: new.end_date,
        headcount: new.headcount,
        open_days: new.days.len() as i32,
        days: days_text(&new.days),
        calendar_version: new.calendar_version,
        purpose: new.purpose.clone(),
        target_market: new.target_market.clone(),
        requested_services: services,
        state: new.state,
        endorsement_note: None,
        message: None,
        reason: None,
        outcome: None,
        rating: None,
        feedback_comment: None,
        feedback_at: None,
        decided_at: None,
        version: 1,
        created_at: at,
        updated_at: at,
    };
    diesel::insert_into(landings::table)
        .values(&form)
        .execute(conn)?;
    let row = landings::table
        .find(&form.id)
        .select(LandingRow::as_select())
        .first(conn)?;
    tallies::record(conn, None, &row, None)?;
    Ok(row)
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
    pub actor: Actor<'a>,
    pub action: &'a str,
    pub note: Option<&'a str>,
}

/// Moves the landing `before` from its state to `to` with the decision's columns, records
/// `event` in its audit trail and what it moves in the reports' tallies; `None` (and nothing
/// written) when it was no longer in that state.
///
/// On PostgreSQL both are one statement: the event is inserted from the updated row, so it
/// exists exactly when the change does, at the cost of one round trip instead of two.
pub fn set_state(
    conn: &mut DbConnection,
    before: &LandingRow,
    to: LandingState,
    decision: &Decision,
    event: &Event<'_>,
) -> QueryResult<Option<LandingRow>> {
    let (id, from) = (before.id.as_str(), before.state);
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
    let updated = match conn {
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
        .optional()?,
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
                audit::record(
                    conn,
                    Trail::Landing(id),
                    &Entry {
                        actor: event.actor,
                        action: event.action,
                        from: Some(from.as_str()),
                        to: to.as_str(),
                        note: event.note,
                    },
                )?;
            }
            updated
        }
    };
    if let Some(after) = &updated {
        let endorsed = (event.action == LandingAction::Endorse.as_str()).then_some(at);
        tallies::record(conn, Some(before), after, endorsed)?;
    }
    Ok(updated)
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
    let after = find(conn, id)?;
    if let Some(after) = &after {
        let mut before = after.clone();
        before.rating = None;
        tallies::record(conn, Some(&before), after, None)?;
    }
    Ok(after)
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
    /// Newest first, and only landings older than `before` (the ids order by creation).
    pub newest_first: bool,
    pub before: Option<String>,
    pub limit: i64,
}

pub fn list(conn: &mut DbConnection, filter: &ListFilter) -> QueryResult<Vec<LandingRow>> {
    match &filter.scope {
        Scope::All => filtered(filter).select(LandingRow::as_select()).load(conn),
        Scope::Sme(id) => filtered(filter)
            .filter(landings::sme_id.eq(id.clone()))
            .select(LandingRow::as_select())
            .load(conn),
        // A cluster's landings are those it hosts or sends. Asked as one `OR`, no index gives
        // them in id order: SQLite, and PostgreSQL unless the cluster is most of the network
        // (or while it has no statistics), read every landing of the cluster and sort them
        // all before the page is cut, which grows with the cluster's history. Each side alone
        // is a range of its `(cluster, id)` index, read in order and stopped after the page:
        // the page is the first `limit + 1` of the two merged.
        Scope::Cluster(id) => {
            let mut rows: Vec<LandingRow> = filtered(filter)
                .filter(landings::host_cluster_id.eq(id.clone()))
                .select(LandingRow::as_select())
                .load(conn)?;
            rows.extend(
                filtered(filter)
                    .filter(landings::home_cluster_id.eq(id.clone()))
                    .select(LandingRow::as_select())
                    .load::<LandingRow>(conn)?,
            );
            rows.sort_by(|a, b| a.id.as_str().cmp(b.id.as_str()));
            rows.dedup_by(|a, b| a.id == b.id);
            if filter.newest_first {
                rows.reverse();
            }
            rows.truncate(usize::try_from(filter.limit + 1).unwrap_or(usize::MAX));
            Ok(rows)
        }
    }
}

/// The landings `filter` asks for apart from its scope, in its order, `limit + 1` at most.
fn filtered(
    filter: &ListFilter,
) -> landings::BoxedQuery<'static, <DbConnection as Connection>::Backend> {
    let mut query = landings::table.limit(filter.limit + 1).into_boxed();
    query = if filter.newest_first {
        query.order(landings::id.desc())
    } else {
        query.order(landings::id.asc())
    };
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
    if let Some(before) = &filter.before {
        query = query.filter(landings::id.lt(before.clone()));
    }
    query
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
    use chrono::NaiveDateTime;
    use diesel::QueryResult;
    use diesel::pg::Pg;
    use diesel::query_builder::{AstPass, QueryFragment};
    use diesel::sql_types::{Integer, Nullable, Text, Timestamp, Untyped};

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
}

/// A row of `landings`, whole, as it is inserted (where [`NewLanding`] is the request that
/// [`insert`] completes): `reminder_sent_at` starts NULL. `None` writes NULL (not the column's
/// default), as the hand-written column lists do, and PostgreSQL's `COPY` can take the form.
#[derive(Debug, Clone, Insertable)]
#[diesel(table_name = landings, treat_none_as_default_value = false)]
pub struct NewLandingRow {
    pub id: LandingId,
    pub offer_id: OfferId,
    pub sme_id: SmeId,
    pub host_cluster_id: ClusterId,
    pub home_cluster_id: ClusterId,
    pub partnership_id: PartnershipId,
    pub requested_by: String,
    pub start_date: NaiveDate,
    pub end_date: NaiveDate,
    pub headcount: i32,
    /// How many days `days` lists.
    pub open_days: i32,
    /// [`days_text`] of the open days of the range.
    pub days: String,
    /// The offer's `calendar_version` the days were counted under.
    pub calendar_version: i32,
    pub purpose: String,
    pub target_market: Option<String>,
    /// A JSON list of offer kinds.
    pub requested_services: String,
    pub state: LandingState,
    pub endorsement_note: Option<String>,
    pub message: Option<String>,
    pub reason: Option<String>,
    pub outcome: Option<String>,
    pub rating: Option<i32>,
    pub feedback_comment: Option<String>,
    pub feedback_at: Option<NaiveDateTime>,
    pub decided_at: Option<NaiveDateTime>,
    pub version: i32,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
}
