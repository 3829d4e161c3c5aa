//! The queries of the coordinator's tools: the network's counts at a glance, a page of the
//! network's accounts with the names of their organisations, and a page of one outbox channel.

use std::collections::HashMap;

use diesel::prelude::*;

use super::DbConnection;
use super::accounts::UserRow;
use super::schema::{clusters, outbox, partnerships, smes, users};

/// Clusters per country, partnerships per state, and outbox messages per channel and status,
/// each sorted by its key.
pub type Counts = (
    Vec<(String, i64)>,
    Vec<(String, i64)>,
    Vec<(String, String, i64)>,
);

pub fn counts(conn: &mut DbConnection) -> QueryResult<Counts> {
    let clusters_by_country = clusters::table
        .group_by(clusters::country)
        .select((clusters::country, diesel::dsl::count_star()))
        .order(clusters::country.asc())
        .load::<(String, i64)>(conn)?;
    let partnerships_by_state = partnerships::table
        .group_by(partnerships::state)
        .select((partnerships::state, diesel::dsl::count_star()))
        .order(partnerships::state.asc())
        .load::<(String, i64)>(conn)?;
    let outbox = outbox::table
        .group_by((outbox::channel, outbox::status))
        .select((outbox::channel, outbox::status, diesel::dsl::count_star()))
        .order((outbox::channel.asc(), outbox::status.asc()))
        .load::<(String, String, i64)>(conn)?;
    Ok((clusters_by_country, partnerships_by_state, outbox))
}

/// Up to `limit` accounts, newest first, before the id `before` when given, whose address
/// contains `email` when given (matched literally and case-insensitively: addresses are stored
/// lower-case).
pub fn users(
    conn: &mut DbConnection,
    email: Option<&str>,
    limit: i64,
    before: Option<&str>,
) -> QueryResult<Vec<UserRow>> {
    let mut query = users::table
        .select(UserRow::as_select())
        .order(users::id.desc())
        .limit(limit)
        .into_boxed();
    if let Some(email) = email {
        let escaped = email
            .to_lowercase()
            .replace('\\', "\\\\")
            .replace('%', "\\%")
            .replace('_', "\\_");
        query = query.filter(users::email.like(format!("%{escaped}%")).escape('\\'));
    }
    if let Some(before) = before {
        query = query.filter(users::id.lt(before.to_owned()));
    }
    query.load(conn)
}

/// The names of the clusters and of the SMEs named, by id.
pub fn organisation_names(
    conn: &mut DbConnection,
    cluster_ids: &[&str],
    sme_ids: &[&str],
) -> QueryResult<(HashMap<String, String>, HashMap<String, String>)> {
    let cluster_names = clusters::table
        .filter(clusters::id.eq_any(cluster_ids))
        .select((clusters::id, clusters::name))
        .load::<(String, String)>(conn)?
        .into_iter()
        .collect();
    let sme_names = smes::table
        .filter(smes::id.eq_any(sme_ids))
        .select((smes::id, smes::name))
        .load::<(String, String)>(conn)?
        .into_iter()
        .collect();
    Ok((cluster_names, sme_names))
}

/// Up to `limit` ids of the outbox's messages on `channel`, newest first, before the id
/// `before` when given, of `status` when given.
pub fn outbox_ids(
    conn: &mut DbConnection,
    channel: &str,
    status: Option<&str>,
    limit: i64,
    before: Option<&str>,
) -> QueryResult<Vec<String>> {
    let mut query = outbox::table
        .filter(outbox::channel.eq(channel.to_owned()))
        .select(outbox::id)
        .order(outbox::id.desc())
        .limit(limit)
        .into_boxed();
    if let Some(status) = status {
        query = query.filter(outbox::status.eq(status.to_owned()));
    }
    if let Some(before) = before {
        query = query.filter(outbox::id.lt(before.to_owned()));
    }
    query.load(conn)
}
