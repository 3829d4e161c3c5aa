//! `POST /landings`: a soft-landing request.

use actix_web::{HttpResponse, post, web};
use serde::Deserialize;

use super::{LandingView, created};
use crate::api::extract::{Input, Json};
use crate::auth::Principal;
use crate::domain::offer::OfferKind;
use crate::domain::values::{Fields, Headcount, dedup, line};
use crate::error::{ApiResult, FieldError};
use crate::service::landings::{self, Submission};
use crate::state::AppState;

/// The longest range a request may name, in calendar days (stays are counted in open days).
const MAX_RANGE_DAYS: i64 = 366;

#[derive(Debug, Default, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CreateLanding {
    pub offer_id: Option<String>,
    /// First day, `YYYY-MM-DD` in the host's time zone; not in the past.
    pub start_date: Option<String>,
    /// Last day (inclusive).
    pub end_date: Option<String>,
    /// Visitors, from 1 to the offer's capacity.
    pub headcount: Option<i64>,
    /// What the SME wants to achieve, 20 to 2000 characters.
    pub purpose: Option<String>,
    pub target_market: Option<String>,
    /// Offer kinds the SME hopes to use.
    pub requested_services: Option<Vec<String>>,
}

impl Input for CreateLanding {
    type Parsed = Submission;

    fn parse(self) -> Result<Submission, Vec<FieldError>> {
        let mut f = Fields::new();
        let offer_id = f.required("offer_id", self.offer_id).and_then(|v| {
            f.check(
                "offer_id",
                uuid::Uuid::parse_str(v.trim())
                    .map(|_| v.trim().to_owned())
                    .map_err(|_| "must be an offer id"),
            )
        });
        let range = f.date_range(
            self.start_date,
            self.end_date,
            MAX_RANGE_DAYS,
            "a landing spans at most a year",
        );
        let headcount = f.required("headcount", self.headcount).and_then(|h| {
            let parsed = Headcount::parse(h).ok();
            if parsed.is_none() {
                f.add_because(
                    "headcount",
                    "must be at least 1 and at most the offer's capacity",
                    "err-headcount",
                    vec![],
                );
            }
            parsed
        });
        let purpose = f.required("purpose", self.purpose).and_then(|v| {
            let n = v.trim().chars().count();
            if (20..=2000).contains(&n) {
                Some(v.trim().to_owned())
            } else {
                f.add_because(
                    "purpose",
                    format!("must be 20 to 2000 characters (it has {n})"),
                    "err-purpose-length",
                    vec![("count", n.to_string())],
                );
                None
            }
        });
        let target_market = match self.target_market {
            Some(t) => f
                .check("target_market", line(&t, 0, 200))
                .map(|t| Some(t).filter(|t| !t.is_empty())),
            None => Some(None),
        };
        let services = f.each(
            "requested_services",
            self.requested_services.unwrap_or_default(),
            6,
            |s: &str| OfferKind::parse(s).map(|k| k.as_str().to_owned()),
        );
        f.finish(|| {
            Some(Submission {
                offer_id: offer_id?,
                range: range?,
                headcount: headcount?,
                purpose: purpose?,
                target_market: target_market?,
                services: dedup(services?),
            })
        })
    }
}

/// Requests a soft landing at a partner cluster's offer (a member of a verified SME).
#[utoipa::path(
    tag = "landings",
    security(("bearer" = [])),
    params(("Idempotency-Key" = Option<String>, Header, description = "Makes a retry safe: the same key and body replay the first answer")),
    request_body = CreateLanding,
    responses(
        (status = 201, body = LandingView, headers(("Location" = String), ("ETag" = String))),
        (status = 403, body = crate::error::Problem, content_type = "application/problem+json", description = "Not an SME member, SME not verified, or no active partnership"),
        (status = 409, body = crate::error::Problem, content_type = "application/problem+json", description = "The offer is not published"),
        (status = 422, body = crate::error::Problem, content_type = "application/problem+json")
    )
)]
#[post("/landings")]
pub async fn create_landing(
    state: web::Data<AppState>,
    principal: Principal,
    Json(request): Json<CreateLanding>,
) -> ApiResult<HttpResponse> {
    let row = landings::submit(&state, principal, request).await?;
    Ok(created(row))
}
