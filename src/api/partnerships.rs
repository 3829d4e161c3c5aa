//! `/partnerships`: the Business Roaming Agreement between two clusters, its terms, its state
//! machine and its audit trail. Every change mails both clusters' contacts and managers in the
//! same transaction.

use super::extract::PathId;
use actix_web::http::header;
use actix_web::{HttpResponse, get, post, web};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use serde_json::json;

use super::audit::AuditEvent;
use super::conditional::{etag, with_etag};
use super::extract::{Input, Json, Query};
use super::paging::{Page, decode_cursor, page_limit};
use crate::auth::jwt::SubjectKind;
use crate::auth::{Principal, policy};
use crate::config::Settings;
use crate::db::partnerships::{self as store, Actor, PartnershipFilter, PartnershipRow};
use crate::db::pool::run;
use crate::db::{DbConnection, clusters, write_transaction};
use crate::domain::account::Role;
use crate::domain::offer::OfferKind;
use crate::domain::partnership::{PartnershipAction, PartnershipState, Terms, transition};
use crate::domain::values::{Fields, text};
use crate::error::{ApiError, ApiResult, FieldError};
use crate::notify::{outbox, templates};
use crate::state::AppState;

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct PartnershipView {
    pub id: String,
    pub proposer_cluster_id: String,
    pub partner_cluster_id: String,
    pub state: PartnershipState,
    pub terms: Terms,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

fn terms_of(row: &PartnershipRow) -> Terms {
    let services = row.services();
    Terms {
        max_free_days: row.max_free_days,
        services: services
            .iter()
            .filter_map(|s| OfferKind::parse(s).ok())
            .collect(),
        home_endorsement_required: row.home_endorsement_required,
        notes: row.notes.clone(),
    }
}

impl From<PartnershipRow> for PartnershipView {
    fn from(row: PartnershipRow) -> PartnershipView {
        PartnershipView {
            terms: terms_of(&row),
            state: row.state(),
            id: row.id,
            proposer_cluster_id: row.proposer_cluster_id,
            partner_cluster_id: row.partner_cluster_id,
            created_at: row.created_at.and_utc(),
            updated_at: row.updated_at.and_utc(),
        }
    }
}

#[derive(Debug, Default, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct TermsInput {
    /// Working days (Mon–Fri), 1 to 90; default 5.
    pub max_free_days: Option<i64>,
    /// Offer kinds covered; default all.
    pub services: Option<Vec<String>>,
    /// Default false.
    pub home_endorsement_required: Option<bool>,
    pub notes: Option<String>,
}

#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ProposePartnership {
    pub partner_cluster_id: Option<String>,
    pub terms: Option<TermsInput>,
}

pub struct Proposal {
    partner_cluster_id: String,
    terms: Terms,
}

impl Input for ProposePartnership {
    type Parsed = Proposal;

    fn parse(self) -> Result<Proposal, Vec<FieldError>> {
        let mut f = Fields::new();
        let partner = f.required("partner_cluster_id", self.partner_cluster_id);
        let t = self.terms.unwrap_or_default();
        let max_free_days = match t.max_free_days {
            None => Some(Terms::DEFAULT_MAX_FREE_DAYS),
            Some(n) if (1..=90).contains(&n) => i32::try_from(n).ok(),
            Some(_) => {
                f.add("terms.max_free_days", "must be between 1 and 90");
                None
            }
        };
        let services = match t.services {
            None => Some(OfferKind::ALL.to_vec()),
            Some(list) if list.is_empty() => {
                f.add("terms.services", "must name at least one offer kind");
                None
            }
            Some(list) => f
                .each("terms.services", list, 6, OfferKind::parse)
                .map(|mut v| {
                    v.dedup();
                    v
                }),
        };
        let notes = match t.notes {
            Some(n) => f
                .check("terms.notes", text(&n, 0, 2000))
                .map(|n| Some(n).filter(|n| !n.is_empty())),
            None => Some(None),
        };
        f.finish(|| {
            Some(Proposal {
                partner_cluster_id: partner?,
                terms: Terms {
                    max_free_days: max_free_days?,
                    services: services?,
                    home_endorsement_required: t.home_endorsement_required.unwrap_or(false),
                    notes: notes?,
                },
            })
        })
    }
}

fn actor_of(principal: &Principal) -> Actor<'_> {
    Actor {
        id: &principal.id,
        kind: match principal.kind {
            SubjectKind::User => "user",
            SubjectKind::ApiClient => "api_client",
        },
    }
}

/// Mails both clusters' contacts and managers about what happened to the partnership.
fn notify_both(
    conn: &mut DbConnection,
    settings: &Settings,
    row: &PartnershipRow,
    action: &str,
    actor_cluster: &str,
    note: Option<&str>,
) -> Result<(), ApiError> {
    let proposer = clusters::find(conn, &row.proposer_cluster_id)?
        .ok_or_else(|| ApiError::internal("a partnership names a missing cluster"))?;
    let partner = clusters::find(conn, &row.partner_cluster_id)?
        .ok_or_else(|| ApiError::internal("a partnership names a missing cluster"))?;
    let actor = if actor_cluster == proposer.id {
        proposer.name.clone()
    } else {
        partner.name.clone()
    };
    let terms = terms_of(row);
    let services: Vec<&str> = terms.services.iter().map(|s| s.as_str()).collect();
    let context = json!({
        "action": action,
        "proposer": proposer.name,
        "partner": partner.name,
        "actor": actor,
        "state": row.state().as_str(),
        "max_free_days": terms.max_free_days,
        "services": services.join(", "),
        "home_endorsement_required": terms.home_endorsement_required,
        "notes": terms.notes,
        "note": note,
        "link": format!("{}/partnerships/{}", settings.server.public_url.trim_end_matches('/'), row.id),
    });
    let mut recipients = clusters::contacts(conn, &proposer)?;
    for r in clusters::contacts(conn, &partner)? {
        if !recipients.contains(&r) {
            recipients.push(r);
        }
    }
    let event = format!("partnership.{action}");
    for to in recipients {
        let email =
            templates::render("partnership_changed", &to, &context).map_err(ApiError::internal)?;
        outbox::enqueue_email(conn, &event, &email, None)?;
    }
    Ok(())
}

/// Proposes the roaming agreement to another cluster, with its terms.
#[utoipa::path(
    tag = "partnerships",
    security(("bearer" = [])),
    request_body = ProposePartnership,
    responses(
        (status = 201, body = PartnershipView, headers(("Location" = String), ("ETag" = String))),
        (status = 403, body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 409, body = crate::error::Problem, content_type = "application/problem+json", description = "The pair already has a partnership that is not final"),
        (status = 422, body = crate::error::Problem, content_type = "application/problem+json")
    )
)]
#[post("/partnerships")]
pub async fn propose(
    state: web::Data<AppState>,
    principal: Principal,
    Json(proposal): Json<ProposePartnership>,
) -> ApiResult<HttpResponse> {
    let settings = state.settings.clone();
    let row = run(&state.db, move |conn| {
        let proposer = policy::partnerships::propose(&principal)?.to_owned();
        write_transaction(conn, |conn| {
            if clusters::find(conn, &proposal.partner_cluster_id)?.is_none() {
                return Err(ApiError::invalid("partner_cluster_id", "names no cluster"));
            }
            if proposal.partner_cluster_id == proposer {
                return Err(ApiError::invalid(
                    "partner_cluster_id",
                    "must be another cluster than the proposer",
                ));
            }
            if store::open_for_pair(conn, &proposer, &proposal.partner_cluster_id)?.is_some() {
                return Err(pair_taken());
            }
            let row = store::insert(
                conn,
                &proposer,
                &proposal.partner_cluster_id,
                &proposal.terms,
            )
            .map_err(|e| match e {
                // Two proposals raced past the check; the partial unique index decides.
                diesel::result::Error::DatabaseError(
                    diesel::result::DatabaseErrorKind::UniqueViolation,
                    _,
                ) => pair_taken(),
                other => ApiError::from(other),
            })?;
            store::record_event(
                conn,
                &row.id,
                &actor_of(&principal),
                "propose",
                None,
                PartnershipState::Proposed,
                proposal.terms.notes.as_deref(),
            )?;
            notify_both(conn, &settings, &row, "proposed", &proposer, None)?;
            Ok::<_, ApiError>(row)
        })
    })
    .await?;
    Ok(HttpResponse::Created()
        .insert_header((header::LOCATION, format!("/api/v1/partnerships/{}", row.id)))
        .insert_header((header::ETAG, etag(&row.id, row.version)))
        .json(PartnershipView::from(row)))
}

fn pair_taken() -> ApiError {
    ApiError::conflict(
        "partnership_exists",
        "these clusters already have a partnership that is proposed, active or suspended",
    )
}

/// An SME member's home cluster, which decides which partnerships they see.
fn home_cluster(
    conn: &mut DbConnection,
    principal: &Principal,
) -> Result<Option<String>, ApiError> {
    match (&principal.role, &principal.sme_id) {
        (Role::SmeMember, Some(sme)) => Ok(store::home_cluster_of(conn, sme)?),
        _ => Ok(None),
    }
}

fn load_visible(
    conn: &mut DbConnection,
    principal: &Principal,
    id: &str,
) -> Result<PartnershipRow, ApiError> {
    let row = store::find(conn, id)?.ok_or_else(|| ApiError::not_found("partnership"))?;
    let home = home_cluster(conn, principal)?;
    policy::partnerships::view(principal, &row, home.as_deref())?;
    Ok(row)
}

#[derive(Debug, Default, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ActionBody {
    pub note: Option<String>,
}

impl Input for ActionBody {
    type Parsed = Option<String>;

    fn parse(self) -> Result<Option<String>, Vec<FieldError>> {
        let mut f = Fields::new();
        let note = match self.note {
            Some(n) => f
                .check("note", text(&n, 0, 2000))
                .map(|n| Some(n).filter(|n| !n.is_empty())),
            None => Some(None),
        };
        f.finish(|| note)
    }
}

async fn act(
    state: web::Data<AppState>,
    principal: Principal,
    id: String,
    action: PartnershipAction,
    note: Option<String>,
) -> ApiResult<HttpResponse> {
    let settings = state.settings.clone();
    let row = run(&state.db, move |conn| {
        write_transaction(conn, |conn| {
            let row = load_visible(conn, &principal, &id)?;
            policy::partnerships::act(&principal, &row, action)?;
            let from = row.state();
            let to = transition(from, action)
                .map_err(|e| ApiError::conflict("illegal_transition", e.to_string()))?;
            let row = store::set_state(conn, &row.id, from, to)?.ok_or_else(|| {
                ApiError::conflict(
                    "illegal_transition",
                    "the partnership changed meanwhile; fetch it again",
                )
            })?;
            store::record_event(
                conn,
                &row.id,
                &actor_of(&principal),
                action.as_str(),
                Some(from),
                to,
                note.as_deref(),
            )?;
            let actor_cluster = principal.cluster_id.clone().unwrap_or_default();
            notify_both(
                conn,
                &settings,
                &row,
                action.past(),
                &actor_cluster,
                note.as_deref(),
            )?;
            Ok::<_, ApiError>(row)
        })
    })
    .await?;
    let (id, version) = (row.id.clone(), row.version);
    Ok(with_etag(&PartnershipView::from(row), &id, version))
}

macro_rules! action_endpoint {
    ($name:ident, $path:literal, $action:expr, $doc:literal) => {
        #[doc = $doc]
        #[utoipa::path(
            tag = "partnerships",
            security(("bearer" = [])),
            params(("id" = String, Path, description = "Partnership id")),
            request_body = ActionBody,
            responses(
                (status = 200, body = PartnershipView),
                (status = 403, body = crate::error::Problem, content_type = "application/problem+json"),
                (status = 404, body = crate::error::Problem, content_type = "application/problem+json"),
                (status = 409, body = crate::error::Problem, content_type = "application/problem+json", description = "Illegal from the current state")
            )
        )]
        #[post($path)]
        pub async fn $name(
            state: web::Data<AppState>,
            principal: Principal,
            path: web::Path<PathId>,
            Json(note): Json<ActionBody>,
        ) -> ApiResult<HttpResponse> {
            act(state, principal, path.into_inner().0, $action, note).await
        }
    };
}

action_endpoint!(
    accept,
    "/partnerships/{id}/accept",
    PartnershipAction::Accept,
    "The invited partner accepts: proposed → active."
);
action_endpoint!(
    decline,
    "/partnerships/{id}/decline",
    PartnershipAction::Decline,
    "The invited partner declines: proposed → declined (final)."
);
action_endpoint!(
    suspend,
    "/partnerships/{id}/suspend",
    PartnershipAction::Suspend,
    "Either side suspends: active → suspended."
);
action_endpoint!(
    resume,
    "/partnerships/{id}/resume",
    PartnershipAction::Resume,
    "Either side resumes: suspended → active."
);
action_endpoint!(
    terminate,
    "/partnerships/{id}/terminate",
    PartnershipAction::Terminate,
    "Either side terminates: active or suspended → terminated (final)."
);

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
pub struct PartnershipQuery {
    /// Partnerships this cluster is party to.
    pub cluster_id: Option<String>,
    /// proposed, active, declined, suspended or terminated.
    pub state: Option<String>,
    pub limit: Option<i64>,
    pub cursor: Option<String>,
}

/// The partnerships the caller may see: all for the admin, its cluster's for a manager,
/// its home cluster's for an SME member.
#[utoipa::path(
    tag = "partnerships",
    security(("bearer" = [])),
    params(PartnershipQuery),
    responses(
        (status = 200, body = Page<PartnershipView>),
        (status = 400, body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 422, body = crate::error::Problem, content_type = "application/problem+json")
    )
)]
#[get("/partnerships")]
pub async fn list_partnerships(
    state: web::Data<AppState>,
    principal: Principal,
    Query(query): Query<PartnershipQuery>,
) -> ApiResult<web::Json<Page<PartnershipView>>> {
    let mut f = Fields::new();
    let wanted_state = query.state.and_then(|s| {
        f.check(
            "state",
            PartnershipState::parse(&s)
                .ok_or("must be one of proposed, active, declined, suspended, terminated"),
        )
    });
    let limit = f.check("limit", page_limit(query.limit).map_err(|e| e.message));
    let after = decode_cursor(query.cursor.as_deref())?;
    let (limit, wanted_state) = f
        .finish(|| Some((limit?, wanted_state)))
        .map_err(ApiError::validation)?;
    let cluster_id = query.cluster_id;
    let rows = run(&state.db, move |conn| {
        let party = if principal.is_admin() {
            None
        } else if let Some(cluster) = &principal.cluster_id {
            Some(cluster.clone())
        } else {
            Some(home_cluster(conn, &principal)?.unwrap_or_default())
        };
        store::list(
            conn,
            &PartnershipFilter {
                party,
                cluster_id,
                state: wanted_state,
                after,
                limit,
            },
        )
        .map_err(ApiError::from)
    })
    .await?;
    Ok(web::Json(Page::from_rows(
        rows,
        limit,
        |r| &r.id,
        PartnershipView::from,
    )))
}

/// One partnership.
#[utoipa::path(
    tag = "partnerships",
    security(("bearer" = [])),
    params(("id" = String, Path, description = "Partnership id")),
    responses(
        (status = 200, body = PartnershipView, headers(("ETag" = String))),
        (status = 404, body = crate::error::Problem, content_type = "application/problem+json")
    )
)]
#[get("/partnerships/{id}")]
pub async fn get_partnership(
    state: web::Data<AppState>,
    principal: Principal,
    path: web::Path<PathId>,
) -> ApiResult<HttpResponse> {
    let id = path.into_inner().0;
    let row = run(&state.db, move |conn| load_visible(conn, &principal, &id)).await?;
    let (id, version) = (row.id.clone(), row.version);
    Ok(with_etag(&PartnershipView::from(row), &id, version))
}

/// The partnership's audit trail, oldest first.
#[utoipa::path(
    tag = "partnerships",
    security(("bearer" = [])),
    params(("id" = String, Path, description = "Partnership id")),
    responses(
        (status = 200, body = Page<AuditEvent>),
        (status = 404, body = crate::error::Problem, content_type = "application/problem+json")
    )
)]
#[get("/partnerships/{id}/events")]
pub async fn partnership_events(
    state: web::Data<AppState>,
    principal: Principal,
    path: web::Path<PathId>,
) -> ApiResult<web::Json<Page<AuditEvent>>> {
    let id = path.into_inner().0;
    let events = run(&state.db, move |conn| {
        let row = load_visible(conn, &principal, &id)?;
        store::events(conn, &row.id).map_err(ApiError::from)
    })
    .await?;
    Ok(web::Json(Page {
        items: events.into_iter().map(AuditEvent::from).collect(),
        next_cursor: None,
    }))
}
