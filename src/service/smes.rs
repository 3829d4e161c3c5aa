//! SMEs: public sign-up ([`sign_up`]), the home cluster's membership decision ([`decide`]), the
//! profile ([`get`], [`update_profile`]), lists for clusters and the admin ([`list`]), and the
//! SME's members ([`invite_member`], [`members`], [`member`]). Who may do what is in
//! [`policy::smes`]; the membership rules in [`crate::domain::sme`].
//!
//! Updates compare-and-set on `version`: authorisation and the caller's precondition run on the
//! row as read inside the transaction, and again if a concurrent writer got in between.

use diesel::result::{DatabaseErrorKind, Error as DieselError};

use super::Tx;
use super::accounts::{self as people, Invitee, Joining};
use super::events::{AccountLink, DomainEvent, LinkKind};
use super::precondition::IfMatch;
use crate::auth::Principal;
use crate::auth::flows;
use crate::auth::policy::smes::{self as policy, ListScope, Subject};
use crate::db::accounts::{self, NewUser, UserRow};
use crate::db::clusters::ClusterRow;
use crate::db::smes::{self as store, ListFilter, NewSme, SmeRow};
use crate::db::{DbConnection, clusters, new_id, now};
use crate::domain::account::Role;
use crate::domain::ids::SmeId;
use crate::domain::sme::{Membership, MembershipAction, ProfileChange, SignUp, transition};
use crate::domain::values::CountryCode;
use crate::error::ApiError;
use crate::state::AppState;

/// Times an update re-reads the row after losing a compare-and-set to a concurrent writer.
const CAS_ATTEMPTS: usize = 3;

fn subject(row: &SmeRow) -> Subject<'_> {
    Subject {
        id: &row.id,
        home_cluster_id: &row.home_cluster_id,
    }
}

fn not_found() -> ApiError {
    ApiError::not_found("SME")
}

fn email_taken() -> ApiError {
    ApiError::conflict(
        "email_taken",
        "an account with this email address exists already",
    )
}

fn unknown_cluster() -> ApiError {
    ApiError::invalid("home_cluster_id", "no cluster has this id")
}

fn contended() -> ApiError {
    ApiError::conflict(
        "concurrent_update",
        "the SME changed repeatedly while this request was applied; retry",
    )
}

fn is_unique_violation(e: &DieselError) -> bool {
    matches!(
        e,
        DieselError::DatabaseError(DatabaseErrorKind::UniqueViolation, _)
    )
}

/// Signs an SME up from the client `address`: the SME (`pending`), its first member with the
/// password hashed, the contact's address confirmation, and word to the home cluster. What
/// cannot succeed (an unknown cluster, a taken address) is refused before the slow hash and
/// does not count against the address's sign-up limit.
pub async fn sign_up(app: &AppState, address: &str, input: SignUp) -> Result<SmeRow, ApiError> {
    let slot = app
        .sign_ups
        .reserve(address)
        .map_err(|wait| ApiError::RateLimited {
            retry_after_secs: wait,
        })?;
    let (cluster_id, email) = (
        input.home_cluster_id.clone(),
        input.contact.email.as_str().to_owned(),
    );
    app.read(move |tx| {
        if clusters::find(tx.conn, &cluster_id)?.is_none() {
            return Err(unknown_cluster());
        }
        if accounts::find_user_by_email(tx.conn, &email)?.is_some() {
            return Err(email_taken());
        }
        Ok(())
    })
    .await?;
    let hash = app
        .hashing
        .hash(input.contact.password.expose().to_owned())
        .await?;
    slot.keep();
    app.write(move |tx| sign_up_in(tx, &input, &hash)).await
}

#[tracing::instrument(skip_all, fields(home_cluster_id = %input.home_cluster_id))]
fn sign_up_in(tx: &mut Tx<'_>, input: &SignUp, password_hash: &str) -> Result<SmeRow, ApiError> {
    let conn = &mut *tx.conn;
    let home = clusters::find(conn, &input.home_cluster_id)?.ok_or_else(unknown_cluster)?;
    let email = input.contact.email.as_str();
    if accounts::find_user_by_email(conn, email)?.is_some() {
        return Err(email_taken());
    }
    let id = new_id();
    let at = now();
    store::insert(
        conn,
        &NewSme {
            id: &id,
            name: &input.name,
            country: input.country.as_str(),
            sector: &input.sector,
            website: input.website.as_ref().map(|w| w.as_str()),
            employees: input.employees.map(|e| e.get()),
            home_cluster_id: &home.id,
            membership: Membership::Pending.as_str(),
            contact_name: &input.contact.name,
            contact_email: email,
            target_markets: "[]",
            created_at: at,
            updated_at: at,
            version: 1,
            languages: &serde_json::Value::from(input.languages.codes()).to_string(),
        },
    )?;
    let contact_id = new_id();
    accounts::insert_user(
        conn,
        &NewUser {
            id: &contact_id,
            email,
            name: &input.contact.name,
            password_hash: Some(password_hash),
            role: Role::SmeMember,
            cluster_id: None,
            sme_id: Some(&id),
            disabled: false,
            email_confirmed_at: None,
            locale: input.locale,
            created_at: at,
            updated_at: at,
        },
    )
    .map_err(|e| {
        // Another sign-up took the address since the check above.
        if is_unique_violation(&e) {
            email_taken()
        } else {
            ApiError::from(e)
        }
    })?;
    let token = flows::email_confirmation_token(conn, &contact_id, tx.clock.stamp())?;
    let sme = store::find(conn, &id)?.ok_or_else(|| ApiError::internal("the new SME is gone"))?;
    tx.record(DomainEvent::LinkIssued(AccountLink {
        kind: LinkKind::EmailConfirmation,
        to: email.to_owned(),
        name: input.contact.name.clone(),
        token,
    }));
    tx.record(DomainEvent::SmeSignedUp {
        sme: sme.clone(),
        home,
    });
    Ok(sme)
}

/// The SME `id` if the caller may see it: its members, its home cluster, the admin.
fn load_visible(
    conn: &mut DbConnection,
    principal: &Principal,
    id: &str,
) -> Result<SmeRow, ApiError> {
    let sme = store::find(conn, id)?.ok_or_else(not_found)?;
    policy::view(principal, subject(&sme))?;
    Ok(sme)
}

/// One SME, if the caller may see it (404 otherwise).
pub async fn get(app: &AppState, actor: Principal, id: SmeId) -> Result<SmeRow, ApiError> {
    app.read(move |tx| load_visible(tx.conn, &actor, &id)).await
}

/// A well-formed list query.
#[derive(Debug, Clone, Default)]
pub struct ListQuery {
    pub home_cluster_id: Option<String>,
    pub membership: Option<Membership>,
    pub country: Option<CountryCode>,
    pub after: Option<String>,
    pub limit: i64,
}

/// The SMEs a cluster (its own) or the admin (all) may list, `limit + 1` at most. Who may list
/// is decided before the query's own errors are told.
pub async fn list(
    app: &AppState,
    actor: Principal,
    query: Result<ListQuery, ApiError>,
) -> Result<Vec<SmeRow>, ApiError> {
    let scope = policy::list(&actor)?;
    let query = query?;
    app.read(move |tx| {
        let scoped = match &scope {
            ListScope::All => None,
            ListScope::HomeCluster(cluster) => Some(cluster.as_str()),
        };
        let requested = query.home_cluster_id.as_deref();
        if scoped.is_some() && requested.is_some() && scoped != requested {
            return Ok(Vec::new());
        }
        let filter = ListFilter {
            home_cluster_id: scoped.or(requested),
            membership: query.membership,
            country: query.country.as_ref().map(CountryCode::as_str),
            after: query.after.as_deref(),
        };
        Ok(store::list(tx.conn, &filter, query.limit)?)
    })
    .await
}

/// Changes the SME's profile (whoever sees the SME); an empty change answers it as it is.
pub async fn update_profile(
    app: &AppState,
    actor: Principal,
    id: SmeId,
    if_match: IfMatch,
    change: ProfileChange,
) -> Result<SmeRow, ApiError> {
    app.write(move |tx| {
        for _ in 0..CAS_ATTEMPTS {
            let row = store::find(tx.conn, &id)?.ok_or_else(not_found)?;
            policy::edit(&actor, subject(&row))?;
            if_match.expected_version(&row.id, row.version)?;
            if change.is_empty() {
                return Ok(row);
            }
            if store::update_profile(tx.conn, &id, row.version, &change)? {
                return store::find(tx.conn, &id)?.ok_or_else(not_found);
            }
        }
        Err(contended())
    })
    .await
}

/// The home cluster verifies or declines a pending SME (its managers, API clients, the admin);
/// the SME's contact hears of it, with the reason on decline.
pub async fn decide(
    app: &AppState,
    actor: Principal,
    id: SmeId,
    if_match: IfMatch,
    action: MembershipAction,
    reason: Option<String>,
) -> Result<SmeRow, ApiError> {
    app.write(move |tx| {
        for _ in 0..CAS_ATTEMPTS {
            let row = store::find(tx.conn, &id)?.ok_or_else(not_found)?;
            policy::decide(&actor, subject(&row))?;
            if_match.expected_version(&row.id, row.version)?;
            let to = transition(row.membership, action).map_err(|illegal| {
                ApiError::conflict("illegal_transition", illegal.to_string())
                    .with("membership", illegal.from.as_str())
            })?;
            if !store::set_membership(tx.conn, &id, row.version, to)? {
                continue;
            }
            let sme = store::find(tx.conn, &id)?.ok_or_else(not_found)?;
            let home_name = clusters::find(tx.conn, &sme.home_cluster_id)?
                .map(|c| c.name)
                .unwrap_or_default();
            tx.record(DomainEvent::SmeDecided {
                sme: sme.clone(),
                home_name,
                reason,
            });
            return Ok(sme);
        }
        Err(contended())
    })
    .await
}

/// Invites a colleague to a verified SME: an account without a password and a mailed
/// set-password link. The SME's members, its home cluster and the admin may invite. Answers
/// the SME's id with the new account.
pub async fn invite_member(
    app: &AppState,
    actor: Principal,
    id: SmeId,
    who: Invitee,
) -> Result<(SmeId, UserRow), ApiError> {
    app.write(move |tx| {
        let sme = store::find(tx.conn, &id)?.ok_or_else(not_found)?;
        policy::invite_member(
            &actor,
            subject(&sme),
            sme.membership == Membership::Verified,
        )?;
        let user = people::invite(
            tx,
            &who,
            Joining::Sme {
                id: &sme.id,
                name: &sme.name,
            },
        )?;
        Ok((sme.id, user))
    })
    .await
}

/// The SME's members, invited ones included; visible to whoever sees the SME.
pub async fn members(
    app: &AppState,
    actor: Principal,
    id: SmeId,
) -> Result<(SmeId, Vec<UserRow>), ApiError> {
    app.read(move |tx| {
        let sme = load_visible(tx.conn, &actor, &id)?;
        let rows = store::members(tx.conn, &sme.id)?;
        Ok((sme.id, rows))
    })
    .await
}

/// An SME as its own page shows it: the SME, its members and its home cluster, in one read.
pub struct Profile {
    pub sme: SmeRow,
    pub members: Vec<UserRow>,
    pub home: ClusterRow,
}

/// The SME `id` with its members and home cluster, for someone who may see it.
pub async fn profile(app: &AppState, actor: Principal, id: SmeId) -> Result<Profile, ApiError> {
    app.read(move |tx| {
        let sme = load_visible(tx.conn, &actor, &id)?;
        let members = store::members(tx.conn, &sme.id)?;
        let home = clusters::find(tx.conn, &sme.home_cluster_id)?
            .ok_or_else(|| ApiError::internal("an SME names a missing home cluster"))?;
        Ok(Profile { sme, members, home })
    })
    .await
}

/// One member of the SME.
pub async fn member(
    app: &AppState,
    actor: Principal,
    id: SmeId,
    member_id: String,
) -> Result<(SmeId, UserRow), ApiError> {
    app.read(move |tx| {
        let sme = load_visible(tx.conn, &actor, &id)?;
        let user = accounts::find_user(tx.conn, &member_id)?
            .filter(|u| u.sme_id.as_deref() == Some(sme.id.as_str()))
            .ok_or_else(|| ApiError::not_found("member"))?;
        Ok((sme.id, user))
    })
    .await
}
