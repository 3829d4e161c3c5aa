//! `POST /landings/{id}/feedback`: the SME's feedback on a completed landing.

use actix_web::{HttpResponse, post, web};
use serde::Deserialize;

use super::{LandingView, created};
use crate::api::extract::{Input, Json};
use crate::auth::Principal;
use crate::domain::ids::LandingId;
use crate::domain::values::{Fields, text};
use crate::error::{ApiError, ApiResult, FieldError};
use crate::service::landings::{self, NewFeedback};
use crate::state::AppState;

#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CreateFeedback {
    /// 1 (poor) to 5 (excellent).
    pub rating: Option<i64>,
    pub comment: Option<String>,
}

impl Input for CreateFeedback {
    type Parsed = CreateFeedback;

    /// Checked by [`CreateFeedback::check`] once the caller is known to see the landing, so a
    /// stranger gets the same 404 whatever it sends.
    fn parse(self) -> Result<CreateFeedback, Vec<FieldError>> {
        Ok(self)
    }
}

impl CreateFeedback {
    /// The feedback, or every problem with it.
    pub fn check(self) -> Result<NewFeedback, Vec<FieldError>> {
        let mut f = Fields::new();
        let rating = f.required("rating", self.rating).and_then(|r| {
            if (1..=5).contains(&r) {
                Some(r as i32)
            } else {
                f.add("rating", "must be from 1 to 5");
                None
            }
        });
        let comment = match self.comment {
            Some(c) => f
                .check("comment", text(&c, 0, 2000))
                .map(|c| Some(c).filter(|c| !c.is_empty())),
            None => Some(None),
        };
        f.finish(|| {
            Some(NewFeedback {
                rating: rating?,
                comment: comment?,
            })
        })
    }
}

/// The SME's feedback on a completed landing, once.
#[utoipa::path(
    tag = "landings",
    security(("bearer" = [])),
    params(("id" = String, Path, description = "Landing id")),
    request_body = CreateFeedback,
    responses(
        (status = 201, body = LandingView, headers(("Location" = String))),
        (status = 403, body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 404, body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 409, body = crate::error::Problem, content_type = "application/problem+json", description = "Not completed, or feedback already given"),
        (status = 422, body = crate::error::Problem, content_type = "application/problem+json")
    )
)]
#[post("/landings/{id}/feedback")]
pub async fn feedback(
    state: web::Data<AppState>,
    principal: Principal,
    path: web::Path<LandingId>,
    Json(input): Json<CreateFeedback>,
) -> ApiResult<HttpResponse> {
    let check = move || input.check().map_err(ApiError::validation);
    let row = landings::give_feedback(&state, principal, path.into_inner(), check).await?;
    Ok(created(row))
}
