//! Clusters: rows, queries and the contacts that the network's emails go to.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::DbConnection;
use super::schema::{clusters, users};

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = clusters)]
pub struct ClusterRow {
    pub id: String,
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
    let mut all = vec![cluster.contact_email.to_lowercase()];
    for email in manager_emails(conn, &cluster.id)? {
        if !all.contains(&email) {
            all.push(email);
        }
    }
    Ok(all)
}
