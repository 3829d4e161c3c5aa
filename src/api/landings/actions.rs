//! `POST /landings/{id}/{action}`: every step of a landing's life after its request, through
//! one endpoint: the action in the path, its one field in the body.

use actix_web::{HttpResponse, post, web};
use serde::Deserialize;

use super::LandingView;
use crate::api::conditional::with_etag;
use crate::api::extract::{ActionPath, Input, Json, PathAction};
use crate::auth::Principal;
use crate::domain::ids::LandingId;
use crate::domain::landing::LandingAction;
use crate::domain::values::{Fields, text};
use crate::error::{ApiResult, FieldError};
use crate::service::landings::{self, ActionInput};
use crate::state::AppState;

impl PathAction for LandingAction {
    fn from_path(segment: &str) -> Option<LandingAction> {
        Some(match segment {
            "endorse" => LandingAction::Endorse,
            "decline" => LandingAction::Decline,
            "approve" => LandingAction::Approve,
            "reject" => LandingAction::Reject,
            "withdraw" => LandingAction::Withdraw,
            "cancel" => LandingAction::Cancel,
            "complete" => LandingAction::Complete,
            "no-show" => LandingAction::NoShow,
            // `expire` is the sweep's alone.
            _ => return None,
        })
    }
}

/// The body of an action: each action reads the one field the contract gives it.
#[derive(Debug, Default, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ActionBody {
    /// `endorse`: an optional note to the host.
    pub note: Option<String>,
    /// `decline`, `reject`, `cancel`: required.
    pub reason: Option<String>,
    /// `approve`: an optional message to the SME.
    pub message: Option<String>,
    /// `complete`: an optional account of how it went.
    pub outcome: Option<String>,
}

impl Input for ActionBody {
    type Parsed = ActionInput;

    fn parse(self) -> Result<ActionInput, Vec<FieldError>> {
        let mut f = Fields::new();
        let clean = |f: &mut Fields, field: &str, v: Option<String>| match v {
            Some(v) => f
                .check(field, text(&v, 0, 2000))
                .map(|v| Some(v).filter(|v| !v.is_empty())),
            None => Some(None),
        };
        let note = clean(&mut f, "note", self.note);
        let reason = clean(&mut f, "reason", self.reason);
        let message = clean(&mut f, "message", self.message);
        let outcome = clean(&mut f, "outcome", self.outcome);
        f.finish(|| {
            Some(ActionInput {
                note: note?,
                reason: reason?,
                message: message?,
                outcome: outcome?,
            })
        })
    }
}

/// Acts on a landing. `endorse` (home cluster, `{note?}`): pending_endorsement → pending_approval.
/// `decline` (home cluster, `{reason}`): → declined. `approve` (host, `{message?}`): takes the
/// places on every open day atomically, → approved, or 409 `capacity_exhausted` with the first
/// full day. `reject` (host, `{reason}`). `withdraw` (the SME, while pending). `cancel` (the SME
/// or the host, `{reason}`, before the start date; frees the places). `complete` (host,
/// `{outcome?}`, on or after the start date). `no-show` (host, on or after the start date).
#[utoipa::path(
    tag = "landings",
    security(("bearer" = [])),
    params(
        ("id" = String, Path, description = "Landing id"),
        ("action" = String, Path, description = "endorse, decline, approve, reject, withdraw, cancel, complete or no-show")
    ),
    request_body = ActionBody,
    responses(
        (status = 200, body = LandingView),
        (status = 403, body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 404, body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 409, body = crate::error::Problem, content_type = "application/problem+json", description = "Illegal from the current state or date; capacity_exhausted"),
        (status = 422, body = crate::error::Problem, content_type = "application/problem+json")
    )
)]
#[post("/landings/{id}/{action}")]
pub async fn act(
    state: web::Data<AppState>,
    principal: Principal,
    path: web::Path<ActionPath<LandingId, LandingAction>>,
    Json(input): Json<ActionBody>,
) -> ApiResult<HttpResponse> {
    let ActionPath { id, action } = path.into_inner();
    let row = landings::act(&state, principal, id, action, input).await?;
    let (id, version) = (row.id.clone(), row.version);
    Ok(with_etag(&LandingView::from(row), &id, version))
}
