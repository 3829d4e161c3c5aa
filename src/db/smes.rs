//! SMEs: the row, its insert form and its profile changeset, and their queries. Updates
//! compare-and-set on `version`; the use cases in [`crate::service::smes`] decide what to write.

use crate::domain::ids::{ClusterId, SmeId};
use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::accounts;
use super::schema::{smes, users};
use super::{DbConnection, now};
use crate::domain::sme::{Membership, ProfileChange};

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = smes)]
pub struct SmeRow {
    pub id: SmeId,
    pub name: String,
    pub country: String,
    pub sector: String,
    pub website: Option<String>,
    pub employees: Option<i32>,
    pub home_cluster_id: ClusterId,
    pub membership: Membership,
    pub contact_name: String,
    pub contact_email: String,
    pub target_markets: String,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
    pub version: i32,
    pub languages: String,
}

impl SmeRow {
    pub fn target_markets(&self) -> Vec<String> {
        serde_json::from_str(&self.target_markets).unwrap_or_default()
    }

    /// The ISO 639-1 languages its people work in.
    pub fn languages(&self) -> Vec<String> {
        serde_json::from_str(&self.languages).unwrap_or_default()
    }
}

/// A new SME, as stored.
#[derive(Debug, Insertable)]
#[diesel(table_name = smes)]
pub struct NewSme<'a> {
    pub id: &'a str,
    pub name: &'a str,
    pub country: &'a str,
    pub sector: &'a str,
    pub website: Option<&'a str>,
    pub employees: Option<i32>,
    pub home_cluster_id: &'a str,
    pub membership: &'a str,
    pub contact_name: &'a str,
    pub contact_email: &'a str,
    pub target_markets: &'a str,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
    pub version: i32,
    /// A JSON list of ISO 639-1 codes.
    pub languages: &'a str,
}

#[derive(Debug, AsChangeset)]
#[diesel(table_name = smes)]
struct ProfileChangeset<'a> {
    name: Option<&'a str>,
    country: Option<&'a str>,
    sector: Option<&'a str>,
    website: Option<Option<&'a str>>,
    employees: Option<Option<i32>>,
    target_markets: Option<String>,
    languages: Option<String>,
}

/// The SME with its home cluster, in one query.
pub fn find_with_home(
    conn: &mut DbConnection,
    id: &str,
) -> QueryResult<Option<(SmeRow, super::clusters::ClusterRow)>> {
    use super::schema::clusters;
    smes::table
        .inner_join(clusters::table)
        .filter(smes::id.eq(id))
        .select((
            SmeRow::as_select(),
            super::clusters::ClusterRow::as_select(),
        ))
        .first(conn)
        .optional()
}

pub fn find(conn: &mut DbConnection, id: &str) -> QueryResult<Option<SmeRow>> {
    smes::table
        .find(id)
        .select(SmeRow::as_select())
        .first(conn)
        .optional()
}

/// What `GET /smes` filters on; `after` is the id the previous page ended at.
#[derive(Debug, Default)]
pub struct ListFilter<'a> {
    pub home_cluster_id: Option<&'a str>,
    pub membership: Option<Membership>,
    pub country: Option<&'a str>,
    pub after: Option<&'a str>,
}

/// Up to `limit + 1` SMEs in id order, so the caller can tell whether there is another page.
pub fn list(
    conn: &mut DbConnection,
    filter: &ListFilter<'_>,
    limit: i64,
) -> QueryResult<Vec<SmeRow>> {
    let mut query = smes::table
        .select(SmeRow::as_select())
        .order(smes::id.asc())
        .limit(limit + 1)
        .into_boxed();
    if let Some(cluster) = filter.home_cluster_id {
        query = query.filter(smes::home_cluster_id.eq(cluster.to_owned()));
    }
    if let Some(membership) = filter.membership {
        query = query.filter(smes::membership.eq(membership.as_str()));
    }
    if let Some(country) = filter.country {
        query = query.filter(smes::country.eq(country.to_owned()));
    }
    if let Some(after) = filter.after {
        query = query.filter(smes::id.gt(after.to_owned()));
    }
    query.load(conn)
}

pub fn insert(conn: &mut DbConnection, sme: &NewSme<'_>) -> QueryResult<()> {
    diesel::insert_into(smes::table)
        .values(sme)
        .execute(conn)
        .map(|_| ())
}

/// Sets the membership if the SME is still at `version`; `false` when another writer came first.
pub fn set_membership(
    conn: &mut DbConnection,
    id: &str,
    version: i32,
    to: Membership,
) -> QueryResult<bool> {
    let changed = diesel::update(
        smes::table
            .filter(smes::id.eq(id))
            .filter(smes::version.eq(version)),
    )
    .set((
        smes::membership.eq(to.as_str()),
        smes::version.eq(smes::version + 1),
        smes::updated_at.eq(now()),
    ))
    .execute(conn)?;
    Ok(changed == 1)
}

/// Applies `change` if the SME is still at `version`; `false` when another writer came first.
pub fn update_profile(
    conn: &mut DbConnection,
    id: &str,
    version: i32,
    change: &ProfileChange,
) -> QueryResult<bool> {
    let changeset = ProfileChangeset {
        name: change.name.as_deref(),
        country: change.country.as_ref().map(|c| c.as_str()),
        sector: change.sector.as_deref(),
        website: change
            .website
            .as_ref()
            .map(|w| w.as_ref().map(|w| w.as_str())),
        employees: change.employees.map(|e| e.map(|e| e.get())),
        target_markets: change
            .target_markets
            .as_ref()
            .map(|t| serde_json::Value::from(t.codes()).to_string()),
        languages: change
            .languages
            .as_ref()
            .map(|l| serde_json::Value::from(l.codes()).to_string()),
    };
    let changed = diesel::update(
        smes::table
            .filter(smes::id.eq(id))
            .filter(smes::version.eq(version)),
    )
    .set((
        &changeset,
        smes::version.eq(smes::version + 1),
        smes::updated_at.eq(now()),
    ))
    .execute(conn)?;
    Ok(changed == 1)
}

/// The accounts of an SME, in id order.
pub fn members(conn: &mut DbConnection, sme_id: &str) -> QueryResult<Vec<accounts::UserRow>> {
    users::table
        .filter(users::sme_id.eq(sme_id))
        .order(users::id.asc())
        .select(accounts::UserRow::as_select())
        .load(conn)
}
