//! Partnerships and their audit trail.

use crate::domain::ids::{ClusterId, PartnershipId};
use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::schema::{partnerships, smes};
use super::{DbConnection, now};
use crate::domain::partnership::{PartnershipState, Terms, pair_key};

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = partnerships)]
pub struct PartnershipRow {
    pub id: PartnershipId,
    pub proposer_cluster_id: ClusterId,
    pub partner_cluster_id: ClusterId,
    pub state: PartnershipState,
    pub max_free_days: i32,
    pub services: String,
    pub home_endorsement_required: bool,
    pub notes: Option<String>,
    pub version: i32,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
}

impl PartnershipRow {
    /// The offer kinds the terms cover (`terms.services`), as stored.
    pub fn services(&self) -> Vec<String> {
        // Written from a parsed list by this module only; a row that does not read covers nothing.
        serde_json::from_str(&self.services).unwrap_or_default()
    }

    /// The terms as the domain reads them (kinds that no longer parse are left out).
    pub fn terms(&self) -> Terms {
        Terms {
            max_free_days: self.max_free_days,
            services: self
                .services()
                .iter()
                .filter_map(|s| crate::domain::offer::OfferKind::parse(s).ok())
                .collect(),
            home_endorsement_required: self.home_endorsement_required,
            notes: self.notes.clone(),
        }
    }

    pub fn involves(&self, cluster_id: &str) -> bool {
        self.proposer_cluster_id.as_str() == cluster_id
            || self.partner_cluster_id.as_str() == cluster_id
    }
}

pub fn find(conn: &mut DbConnection, id: &str) -> QueryResult<Option<PartnershipRow>> {
    partnerships::table
        .find(id)
        .select(PartnershipRow::as_select())
        .first(conn)
        .optional()
}

/// The pair's partnership that is not final, if there is one.
pub fn open_for_pair(
    conn: &mut DbConnection,
    a: &str,
    b: &str,
) -> QueryResult<Option<PartnershipRow>> {
    partnerships::table
        .filter(partnerships::pair_key.eq(pair_key(a, b)))
        .filter(partnerships::state.eq_any(["proposed", "active", "suspended"]))
        .select(PartnershipRow::as_select())
        .first(conn)
        .optional()
}

pub fn insert(
    conn: &mut DbConnection,
    proposer: &str,
    partner: &str,
    terms: &Terms,
) -> QueryResult<PartnershipRow> {
    let at = now();
    let services: Vec<&str> = terms.services.iter().map(|s| s.as_str()).collect();
    let form = NewPartnership {
        id: PartnershipId::generate(),
        proposer_cluster_id: ClusterId::from_stored(proposer.to_owned()),
        partner_cluster_id: ClusterId::from_stored(partner.to_owned()),
        pair_key: pair_key(proposer, partner),
        state: PartnershipState::Proposed,
        max_free_days: terms.max_free_days,
        services: serde_json::to_string(&services).unwrap_or_else(|_| "[]".into()),
        home_endorsement_required: terms.home_endorsement_required,
        notes: terms.notes.clone(),
        version: 1,
        created_at: at,
        updated_at: at,
    };
    diesel::insert_into(partnerships::table)
        .values(&form)
        .execute(conn)?;
    partnerships::table
        .find(&form.id)
        .select(PartnershipRow::as_select())
        .first(conn)
}

/// Moves the partnership from `from` to `to` if it is still in `from`; `None` when a
/// concurrent change moved it first.
pub fn set_state(
    conn: &mut DbConnection,
    id: &str,
    from: PartnershipState,
    to: PartnershipState,
) -> QueryResult<Option<PartnershipRow>> {
    let changed = diesel::update(
        partnerships::table
            .find(id)
            .filter(partnerships::state.eq(from.as_str())),
    )
    .set((
        partnerships::state.eq(to.as_str()),
        partnerships::version.eq(partnerships::version + 1),
        partnerships::updated_at.eq(now()),
    ))
    .execute(conn)?;
    if changed == 0 {
        return Ok(None);
    }
    find(conn, id)
}

/// Filters of the partnership list. `party` limits to partnerships of that cluster (the
/// caller's own, for everyone but the admin).
#[derive(Debug, Default)]
pub struct PartnershipFilter {
    pub party: Option<String>,
    pub cluster_id: Option<String>,
    pub state: Option<PartnershipState>,
    pub after: Option<String>,
    pub limit: i64,
}

pub fn list(
    conn: &mut DbConnection,
    filter: &PartnershipFilter,
) -> QueryResult<Vec<PartnershipRow>> {
    let mut query = partnerships::table
        .select(PartnershipRow::as_select())
        .order(partnerships::id.asc())
        .limit(filter.limit + 1)
        .into_boxed();
    for cluster in [&filter.party, &filter.cluster_id].into_iter().flatten() {
        query = query.filter(
            partnerships::proposer_cluster_id
                .eq(cluster.clone())
                .or(partnerships::partner_cluster_id.eq(cluster.clone())),
        );
    }
    if let Some(state) = filter.state {
        query = query.filter(partnerships::state.eq(state.as_str()));
    }
    if let Some(after) = &filter.after {
        query = query.filter(partnerships::id.gt(after.clone()));
    }
    query.load(conn)
}

/// The home cluster of an SME, for its members' view of partnerships.
pub fn home_cluster_of(conn: &mut DbConnection, sme_id: &str) -> QueryResult<Option<String>> {
    smes::table
        .find(sme_id)
        .select(smes::home_cluster_id)
        .first(conn)
        .optional()
}

/// The clusters in an active partnership with `cluster_id`.
pub fn active_partners(conn: &mut DbConnection, cluster_id: &str) -> QueryResult<Vec<String>> {
    let rows: Vec<(String, String)> = partnerships::table
        .filter(partnerships::state.eq(PartnershipState::Active.as_str()))
        .filter(
            partnerships::proposer_cluster_id
                .eq(cluster_id)
                .or(partnerships::partner_cluster_id.eq(cluster_id)),
        )
        .select((
            partnerships::proposer_cluster_id,
            partnerships::partner_cluster_id,
        ))
        .load(conn)?;
    Ok(rows
        .into_iter()
        .map(|(a, b)| if a == cluster_id { b } else { a })
        .collect())
}

/// A row of `partnerships`, whole, as it is inserted. `None` writes NULL (not the column's
/// default), as the hand-written column lists do, and PostgreSQL's `COPY` can take the form.
#[derive(Debug, Clone, Insertable)]
#[diesel(table_name = partnerships, treat_none_as_default_value = false)]
pub struct NewPartnership {
    pub id: PartnershipId,
    pub proposer_cluster_id: ClusterId,
    pub partner_cluster_id: ClusterId,
    /// [`pair_key`] of the two clusters.
    pub pair_key: String,
    pub state: PartnershipState,
    pub max_free_days: i32,
    /// A JSON list of the offer kinds the terms cover.
    pub services: String,
    pub home_endorsement_required: bool,
    pub notes: Option<String>,
    pub version: i32,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
}
