//! Clusters: rows, queries and the contacts that the network's emails go to.

use crate::domain::account::Locale;
use crate::domain::ids::ClusterId;
use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::DbConnection;
use super::schema::{clusters, users};

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = clusters)]
pub struct ClusterRow {
    pub id: ClusterId,
    pub name: String,
    pub country: String,
    pub city: String,
    pub timezone: String,
    pub contact_email: String,
    pub website: Option<String>,
    pub description: Option<String>,
    pub sectors: String,
    pub version: i32,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
}

impl ClusterRow {
    pub fn sectors(&self) -> Vec<String> {
        serde_json::from_str(&self.sectors).unwrap_or_default()
    }
}

pub fn find(conn: &mut DbConnection, id: &str) -> QueryResult<Option<ClusterRow>> {
    clusters::table
        .find(id)
        .select(ClusterRow::as_select())
        .first(conn)
        .optional()
}

/// The clusters named, in any order (those that do not exist are left out).
pub fn find_many(conn: &mut DbConnection, ids: &[String]) -> QueryResult<Vec<ClusterRow>> {
    // On SQLite `IN (?, ?, ...)`, which diesel would prepare afresh on every call: kept, one
    // statement per number of ids, which the number of clusters bounds.
    super::Kept(
        clusters::table
            .filter(clusters::id.eq_any(ids))
            .select(ClusterRow::as_select()),
    )
    .load(conn)
}

/// Addresses of the cluster's managers who can log in (disabled accounts excluded).
pub fn manager_emails(conn: &mut DbConnection, cluster_id: &str) -> QueryResult<Vec<String>> {
    users::table
        .filter(users::cluster_id.eq(cluster_id))
        .filter(users::role.eq("cluster_manager"))
        .filter(users::disabled.eq(false))
        .order(users::id.asc())
        .select(users::email)
        .load(conn)
}

/// The cluster's contact address and its managers' addresses, each once.
pub fn contacts(conn: &mut DbConnection, cluster: &ClusterRow) -> QueryResult<Vec<String>> {
    Ok(contact_first(cluster, manager_emails(conn, &cluster.id)?))
}

/// The cluster's contact address, then each of `managers` not already named.
fn contact_first(cluster: &ClusterRow, managers: impl IntoIterator<Item = String>) -> Vec<String> {
    let mut all = vec![cluster.contact_email.to_lowercase()];
    for email in managers {
        if !all.contains(&email) {
            all.push(email);
        }
    }
    all
}

/// Who hears for two clusters: each one's contact address, then its active managers.
#[derive(Debug, Clone)]
pub struct PairContacts {
    pub a: Vec<String>,
    pub b: Vec<String>,
    /// The address of the account `member` named, when it exists.
    pub member: Option<String>,
    /// The language chosen by each account among the people above and the addresses asked
    /// about, where one was chosen.
    pub languages: Vec<(String, Locale)>,
}

/// The contacts of clusters `a` and `b`, the address of the account `member`, and the
/// languages of all of them and of `addresses` (lowercase), in one query.
pub fn contacts_of_pair(
    conn: &mut DbConnection,
    a: &ClusterRow,
    b: &ClusterRow,
    member: &str,
    addresses: &[String],
) -> QueryResult<PairContacts> {
    type Person = (String, Option<String>, String, bool, String, Option<Locale>);
    let people: Vec<Person> = users::table
        .filter(
            users::cluster_id
                .eq_any([&a.id, &b.id])
                .and(users::role.eq("cluster_manager"))
                .and(users::disabled.eq(false))
                .or(users::id.eq(member))
                .or(users::email.eq_any(addresses)),
        )
        .order(users::id.asc())
        .select((
            users::id,
            users::cluster_id,
            users::role,
            users::disabled,
            users::email,
            users::locale,
        ))
        .load(conn)?;
    let of = |cluster: &ClusterRow| {
        let managers = people
            .iter()
            .filter(|(_, id, role, disabled, ..)| {
                id.as_deref() == Some(cluster.id.as_str()) && role == "cluster_manager" && !disabled
            })
            .map(|(.., email, _)| email.clone());
        contact_first(cluster, managers)
    };
    Ok(PairContacts {
        a: of(a),
        b: of(b),
        member: people
            .iter()
            .find(|(id, ..)| id == member)
            .map(|(.., email, _)| email.clone()),
        languages: people
            .iter()
            .filter_map(|(.., email, locale)| Some((email.clone(), (*locale)?)))
            .collect(),
    })
}

/// A cluster as it is written: on creation, and whole on every update.
#[derive(Debug, Clone)]
pub struct ClusterFields {
    pub name: String,
    pub country: String,
    pub city: String,
    pub timezone: String,
    pub contact_email: String,
    pub website: Option<String>,
    pub description: Option<String>,
    pub sectors: Vec<String>,
}

pub fn insert(conn: &mut DbConnection, fields: &ClusterFields) -> QueryResult<ClusterRow> {
    let at = super::now();
    let form = NewCluster {
        id: ClusterId::generate(),
        name: fields.name.clone(),
        country: fields.country.clone(),
        city: fields.city.clone(),
        timezone: fields.timezone.clone(),
        contact_email: fields.contact_email.clone(),
        website: fields.website.clone(),
        description: fields.description.clone(),
        sectors: serde_json::to_string(&fields.sectors).unwrap_or_else(|_| "[]".into()),
        version: 1,
        created_at: at,
        updated_at: at,
    };
    diesel::insert_into(clusters::table)
        .values(&form)
        .execute(conn)?;
    clusters::table
        .find(&form.id)
        .select(ClusterRow::as_select())
        .first(conn)
}

/// Writes `fields` if the row is still at `version`; answers the new row, or `None` when
/// another update got there first.
pub fn update(
    conn: &mut DbConnection,
    id: &str,
    version: i32,
    fields: &ClusterFields,
) -> QueryResult<Option<ClusterRow>> {
    let changed = diesel::update(
        clusters::table
            .find(id)
            .filter(clusters::version.eq(version)),
    )
    .set((
        clusters::name.eq(&fields.name),
        clusters::country.eq(&fields.country),
        clusters::city.eq(&fields.city),
        clusters::timezone.eq(&fields.timezone),
        clusters::contact_email.eq(&fields.contact_email),
        clusters::website.eq(&fields.website),
        clusters::description.eq(&fields.description),
        clusters::sectors
            .eq(serde_json::to_string(&fields.sectors).unwrap_or_else(|_| "[]".into())),
        clusters::version.eq(version + 1),
        clusters::updated_at.eq(super::now()),
    ))
    .execute(conn)?;
    if changed == 0 {
        return Ok(None);
    }
    find(conn, id)
}

/// Filters of the public cluster list.
#[derive(Debug, Default)]
pub struct ClusterFilter {
    pub country: Option<String>,
    pub sector: Option<String>,
    pub after: Option<String>,
    pub limit: i64,
}

/// Clusters in id order, `limit + 1` rows so the caller can tell whether more follow.
pub fn list(conn: &mut DbConnection, filter: &ClusterFilter) -> QueryResult<Vec<ClusterRow>> {
    let mut query = clusters::table
        .select(ClusterRow::as_select())
        .order(clusters::id.asc())
        .limit(filter.limit + 1)
        .into_boxed();
    if let Some(country) = &filter.country {
        query = query.filter(clusters::country.eq(country.clone()));
    }
    if let Some(sector) = &filter.sector {
        query = query.filter(clusters::sectors.like(element_pattern(sector)).escape('\\'));
    }
    if let Some(after) = &filter.after {
        query = query.filter(clusters::id.gt(after.clone()));
    }
    query.load(conn)
}

/// A LIKE pattern (escape `\`) matching a JSON array column that holds `label` as one
/// element: labels are stored quoted, so the quoted label cannot match part of another.
pub fn element_pattern(label: &str) -> String {
    let quoted = serde_json::to_string(label).unwrap_or_default();
    format!("%{}%", escape_like(&quoted))
}

/// Escapes `%`, `_` and `\` for a LIKE pattern with `\` as the escape character.
pub fn escape_like(s: &str) -> String {
    s.replace('\\', "\\\\")
        .replace('%', "\\%")
        .replace('_', "\\_")
}

/// The cluster's managers, invited and active.
/// The cluster's managers who are not removed or disabled.
pub fn managers(
    conn: &mut DbConnection,
    cluster_id: &str,
) -> QueryResult<Vec<super::accounts::UserRow>> {
    users::table
        .filter(users::cluster_id.eq(cluster_id))
        .filter(users::role.eq("cluster_manager"))
        .filter(users::disabled.eq(false))
        .order(users::id.asc())
        .select(super::accounts::UserRow::as_select())
        .load(conn)
}

/// A row of `clusters`, whole, as it is inserted. `None` writes NULL (not the column's default), as
/// the hand-written column lists do, and PostgreSQL's `COPY` can take the form.
#[derive(Debug, Clone, Insertable)]
#[diesel(table_name = clusters, treat_none_as_default_value = false)]
pub struct NewCluster {
    pub id: ClusterId,
    pub name: String,
    pub country: String,
    pub city: String,
    pub timezone: String,
    pub contact_email: String,
    pub website: Option<String>,
    pub description: Option<String>,
    /// A JSON list of sector labels.
    pub sectors: String,
    pub version: i32,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
}
