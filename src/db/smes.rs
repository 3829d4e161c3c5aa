//! SMEs: rows, queries, and the transactions behind the SME endpoints. Each write takes the
//! write lock up front ([`write_transaction`]) and writes the emails it causes to the outbox in
//! the same transaction: sign-up (the SME, its first member, the home cluster's managers
//! mailed), membership decisions (the SME's contact mailed) and profile changes.
//!
//! Updates compare-and-set on `version`. The caller's `guard` (authorisation, `If-Match`) runs
//! on the row as read inside the transaction, and again if a concurrent writer got in between.
//! Nothing here knows about HTTP: refusals are [`Refusal`]s the caller turns into answers.

use chrono::NaiveDateTime;
use diesel::prelude::*;
use diesel::result::{DatabaseErrorKind, Error as DieselError};
use serde_json::json;

use super::accounts::{self, NewUser};
use super::schema::{smes, users};
use super::{DbConnection, clusters, new_id, now, write_transaction};
use crate::auth::flows::{self, ConfirmationError};
use crate::config::Settings;
use crate::domain::account::Role;
use crate::domain::sme::{
    IllegalTransition, Membership, MembershipAction, ProfileChange, SignUp, transition,
};
use crate::notify::{outbox, templates};

/// Times an update re-reads the row after losing a compare-and-set to a concurrent writer.
const CAS_ATTEMPTS: usize = 3;

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = smes)]
pub struct SmeRow {
    pub id: String,
    pub name: String,
    pub country: String,
    pub sector: String,
    pub website: Option<String>,
    pub employees: Option<i32>,
    pub home_cluster_id: String,
    pub membership: String,
    pub contact_name: String,
    pub contact_email: String,
    pub target_markets: String,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
    pub version: i32,
}

impl SmeRow {
    pub fn membership(&self) -> Membership {
        // The column's CHECK constraint admits exactly the three values.
        Membership::parse(&self.membership).unwrap_or(Membership::Pending)
    }

    pub fn target_markets(&self) -> Vec<String> {
        serde_json::from_str(&self.target_markets).unwrap_or_default()
    }
}

#[derive(Debug, Insertable)]
#[diesel(table_name = smes)]
struct NewSme<'a> {
    id: &'a str,
    name: &'a str,
    country: &'a str,
    sector: &'a str,
    website: Option<&'a str>,
    employees: Option<i32>,
    home_cluster_id: &'a str,
    membership: &'a str,
    contact_name: &'a str,
    contact_email: &'a str,
    target_markets: &'a str,
    created_at: NaiveDateTime,
    updated_at: NaiveDateTime,
    version: i32,
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
}

/// Why a write did not happen, for the caller to answer.
#[derive(Debug, thiserror::Error)]
pub enum Refusal {
    #[error("the SME does not exist")]
    NotFound,
    #[error("the home cluster does not exist")]
    UnknownCluster,
    #[error("the address already has an account")]
    EmailTaken,
    #[error(transparent)]
    Illegal(#[from] IllegalTransition),
    #[error("the SME kept changing while this update was applied")]
    Contended,
    /// An email template did not render: a bug, not the caller's doing.
    #[error(transparent)]
    Email(#[from] templates::RenderError),
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

fn is_unique_violation(e: &DieselError) -> bool {
    matches!(
        e,
        DieselError::DatabaseError(DatabaseErrorKind::UniqueViolation, _)
    )
}

fn sme_link(settings: &Settings, id: &str) -> String {
    format!(
        "{}/smes/{id}",
        settings.server.public_url.trim_end_matches('/')
    )
}

fn employees_text(employees: Option<i32>) -> String {
    employees.map(|n| n.to_string()).unwrap_or_default()
}

/// Refuses, before the password is hashed, a sign-up that cannot succeed: an unknown home
/// cluster, or a contact address that already has an account. [`sign_up`] checks both again
/// in its transaction.
pub fn sign_up_refusal<E>(
    conn: &mut DbConnection,
    home_cluster_id: &str,
    email: &str,
) -> Result<(), E>
where
    E: From<DieselError> + From<Refusal>,
{
    if clusters::find(conn, home_cluster_id)?.is_none() {
        return Err(Refusal::UnknownCluster.into());
    }
    if accounts::find_user_by_email(conn, email)?.is_some() {
        return Err(Refusal::EmailTaken.into());
    }
    Ok(())
}

/// Signs an SME up: the SME (`pending`), its first member with the password already hashed,
/// and a "signed up" email to each manager of the home cluster (to the cluster's contact
/// address when it has no manager yet, so the request is not lost).
#[tracing::instrument(skip_all, fields(home_cluster_id = %input.home_cluster_id))]
pub fn sign_up<E>(
    conn: &mut DbConnection,
    settings: &Settings,
    input: &SignUp,
    password_hash: &str,
) -> Result<SmeRow, E>
where
    E: From<DieselError> + From<Refusal>,
{
    write_transaction(conn, |conn| {
        let cluster =
            clusters::find(conn, &input.home_cluster_id)?.ok_or(Refusal::UnknownCluster)?;
        let email = input.contact.email.as_str();
        if accounts::find_user_by_email(conn, email)?.is_some() {
            return Err(Refusal::EmailTaken.into());
        }
        let id = new_id();
        let at = now();
        let website = input.website.as_ref().map(|w| w.as_str());
        let employees = input.employees.map(|e| e.get());
        diesel::insert_into(smes::table)
            .values(&NewSme {
                id: &id,
                name: &input.name,
                country: input.country.as_str(),
                sector: &input.sector,
                website,
                employees,
                home_cluster_id: &cluster.id,
                membership: Membership::Pending.as_str(),
                contact_name: &input.contact.name,
                contact_email: email,
                target_markets: "[]",
                created_at: at,
                updated_at: at,
                version: 1,
            })
            .execute(conn)?;
        let contact_id = new_id();
        accounts::insert_user(
            conn,
            &NewUser {
                id: &contact_id,
                email,
                name: &input.contact.name,
                password_hash: Some(password_hash),
                role: Role::SmeMember.as_str(),
                cluster_id: None,
                sme_id: Some(&id),
                disabled: false,
                email_confirmed_at: None,
                created_at: at,
                updated_at: at,
            },
        )
        .map_err(|e| {
            // Another sign-up took the address since the check above.
            if is_unique_violation(&e) {
                E::from(Refusal::EmailTaken)
            } else {
                E::from(e)
            }
        })?;
        flows::send_email_confirmation(conn, settings, &contact_id, email, &input.contact.name)
            .map_err(|e| match e {
                ConfirmationError::Db(e) => E::from(e),
                ConfirmationError::Render(e) => E::from(Refusal::from(e)),
            })?;
        let mut recipients = clusters::manager_emails(conn, &cluster.id)?;
        if recipients.is_empty() {
            recipients.push(cluster.contact_email.to_lowercase());
        }
        for to in &recipients {
            let email = templates::render(
                "sme_signed_up",
                to,
                json!({
                    "sme_name": input.name,
                    "country": input.country.as_str(),
                    "sector": input.sector,
                    "website": website.unwrap_or_default(),
                    "employees": employees_text(employees),
                    "contact_name": input.contact.name,
                    "contact_email": email,
                    "cluster_name": cluster.name,
                    "link": sme_link(settings, &id),
                }),
            )
            .map_err(Refusal::from)?;
            outbox::enqueue_email(
                conn,
                "sme.signed_up",
                &email,
                Some(&format!("sme.signed_up:{id}:{to}")),
            )?;
        }
        tracing::info!(sme_id = %id, notified = recipients.len(), "SME signed up");
        Ok(find(conn, &id)?.ok_or(DieselError::NotFound)?)
    })
}

/// Sets the membership `action` leads to and mails the SME's contact the outcome (with the
/// reason, on decline). `guard` authorises the caller on the row as read.
#[tracing::instrument(skip_all, fields(sme_id = %id, action = action.as_str()))]
pub fn decide<E>(
    conn: &mut DbConnection,
    settings: &Settings,
    id: &str,
    action: MembershipAction,
    reason: Option<&str>,
    guard: impl Fn(&SmeRow) -> Result<(), E>,
) -> Result<SmeRow, E>
where
    E: From<DieselError> + From<Refusal>,
{
    write_transaction(conn, |conn| {
        for _ in 0..CAS_ATTEMPTS {
            let row = find(conn, id)?.ok_or(Refusal::NotFound)?;
            guard(&row)?;
            let to = transition(row.membership(), action).map_err(Refusal::from)?;
            let changed = diesel::update(
                smes::table
                    .filter(smes::id.eq(id))
                    .filter(smes::version.eq(row.version)),
            )
            .set((
                smes::membership.eq(to.as_str()),
                smes::version.eq(smes::version + 1),
                smes::updated_at.eq(now()),
            ))
            .execute(conn)?;
            if changed == 0 {
                continue;
            }
            let cluster_name = clusters::find(conn, &row.home_cluster_id)?
                .map(|c| c.name)
                .unwrap_or_default();
            let (template, event) = match to {
                Membership::Verified => ("sme_verified", "sme.verified"),
                _ => ("sme_declined", "sme.declined"),
            };
            let email = templates::render(
                template,
                &row.contact_email,
                json!({
                    "sme_name": row.name,
                    "contact_name": row.contact_name,
                    "cluster_name": cluster_name,
                    "reason": reason.unwrap_or_default(),
                    "link": sme_link(settings, id),
                }),
            )
            .map_err(Refusal::from)?;
            outbox::enqueue_email(conn, event, &email, Some(&format!("{event}:{id}")))?;
            return Ok(find(conn, id)?.ok_or(DieselError::NotFound)?);
        }
        Err(Refusal::Contended.into())
    })
}

/// Applies a profile change. `guard` authorises the caller and checks `If-Match` on the row
/// as read; an empty change answers the row as it is.
#[tracing::instrument(skip_all, fields(sme_id = %id))]
pub fn update_profile<E>(
    conn: &mut DbConnection,
    id: &str,
    change: &ProfileChange,
    guard: impl Fn(&SmeRow) -> Result<(), E>,
) -> Result<SmeRow, E>
where
    E: From<DieselError> + From<Refusal>,
{
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
    };
    write_transaction(conn, |conn| {
        for _ in 0..CAS_ATTEMPTS {
            let row = find(conn, id)?.ok_or(Refusal::NotFound)?;
            guard(&row)?;
            if change.is_empty() {
                return Ok(row);
            }
            let changed = diesel::update(
                smes::table
                    .filter(smes::id.eq(id))
                    .filter(smes::version.eq(row.version)),
            )
            .set((
                &changeset,
                smes::version.eq(smes::version + 1),
                smes::updated_at.eq(now()),
            ))
            .execute(conn)?;
            if changed == 1 {
                return Ok(find(conn, id)?.ok_or(DieselError::NotFound)?);
            }
        }
        Err(Refusal::Contended.into())
    })
}

/// The accounts of an SME, in id order.
pub fn members(conn: &mut DbConnection, sme_id: &str) -> QueryResult<Vec<accounts::UserRow>> {
    users::table
        .filter(users::sme_id.eq(sme_id))
        .order(users::id.asc())
        .select(accounts::UserRow::as_select())
        .load(conn)
}
