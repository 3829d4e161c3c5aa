//! `/partnerships`: the Business Roaming Agreement between two clusters, its terms, its state
//! machine and its audit trail. The handlers call [`crate::service::partnerships`].

use actix_web::http::header;
use actix_web::{HttpResponse, get, post, web};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::audit::AuditEvent;
use super::conditional::{etag, with_etag};
use super::extract::{ActionPath, Input, Json, PathAction, Query};
use super::paging::{Page, decode_cursor, page_limit};
use crate::auth::Principal;
use crate::db::partnerships::PartnershipRow;
use crate::domain::ids::PartnershipId;
use crate::domain::offer::OfferKind;
use crate::domain::partnership::{PartnershipAction, PartnershipState, Terms};
use crate::domain::values::{Fields, text};
use crate::error::{ApiError, ApiResult, FieldError};
use crate::service::partnerships::{self, Proposal};
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

impl From<PartnershipRow> for PartnershipView {
    fn from(row: PartnershipRow) -> PartnershipView {
        PartnershipView {
            terms: row.terms(),
            state: row.state,
            id: row.id.into(),
            proposer_cluster_id: row.proposer_cluster_id.into(),
            partner_cluster_id: row.partner_cluster_id.into(),
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
    let row = partnerships::propose(&state, principal, proposal).await?;
    Ok(HttpResponse::Created()
        .insert_header((header::LOCATION, format!("/api/v1/partnerships/{}", row.id)))
        .insert_header((header::ETAG, etag(&row.id, row.version)))
        .json(PartnershipView::from(row)))
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

impl PathAction for PartnershipAction {
    fn from_path(segment: &str) -> Option<PartnershipAction> {
        Some(match segment {
            "accept" => PartnershipAction::Accept,
            "decline" => PartnershipAction::Decline,
            "suspend" => PartnershipAction::Suspend,
            "resume" => PartnershipAction::Resume,
            "terminate" => PartnershipAction::Terminate,
            _ => return None,
        })
    }
}

/// Acts on a partnership, with an optional `{note}`. `accept` and `decline` (the invited
/// partner): proposed → active, or → declined (final). `suspend` (either side): active →
/// suspended. `resume` (either side): suspended → active. `terminate` (either side): active or
/// suspended → terminated (final).
#[utoipa::path(
    tag = "partnerships",
    security(("bearer" = [])),
    params(
        ("id" = String, Path, description = "Partnership id"),
        ("action" = String, Path, description = "accept, decline, suspend, resume or terminate")
    ),
    request_body = ActionBody,
    responses(
        (status = 200, body = PartnershipView),
        (status = 403, body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 404, body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 409, body = crate::error::Problem, content_type = "application/problem+json", description = "Illegal from the current state")
    )
)]
#[post("/partnerships/{id}/{action}")]
pub async fn act(
    state: web::Data<AppState>,
    principal: Principal,
    path: web::Path<ActionPath<PartnershipId, PartnershipAction>>,
    Json(note): Json<ActionBody>,
) -> ApiResult<HttpResponse> {
    let ActionPath { id, action } = path.into_inner();
    let row = partnerships::act(&state, principal, id, action, note).await?;
    let (id, version) = (row.id.clone(), row.version);
    Ok(with_etag(&PartnershipView::from(row), &id, version))
}

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
    let query = partnerships::ListQuery {
        cluster_id: query.cluster_id,
        state: wanted_state,
        after,
        limit,
    };
    let rows = partnerships::list(&state, principal, query).await?;
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
    path: web::Path<PartnershipId>,
) -> ApiResult<HttpResponse> {
    let row = partnerships::get(&state, principal, path.into_inner()).await?;
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
    path: web::Path<PartnershipId>,
) -> ApiResult<web::Json<Page<AuditEvent>>> {
    let events = partnerships::events(&state, principal, path.into_inner()).await?;
    Ok(web::Json(Page {
        items: events.into_iter().map(AuditEvent::from).collect(),
        next_cursor: None,
    }))
}
