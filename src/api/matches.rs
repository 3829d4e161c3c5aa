//! `GET /smes/{id}/matches`: the offers an SME could land at, best first, each with its score
//! and the reasons for it. The handler reads the query and calls
//! [`crate::service::matches`].

use actix_web::{get, web};
use serde::{Deserialize, Serialize};

use super::extract::Query;
use super::paging::{Page, decode_ranked_cursor, encode_ranked_cursor, page_limit};
use super::search::{ClusterSummary, OfferSearchItem};
use crate::auth::Principal;
use crate::domain::ids::SmeId;
use crate::domain::matches::Factor;
use crate::domain::values::{DateRange, Fields, RangeError, date};
use crate::error::{ApiError, ApiResult};
use crate::service::matches::{self, After, Match, MatchQuery};
use crate::service::offers::MAX_RANGE_DAYS;
use crate::state::AppState;

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
pub struct MatchParams {
    /// With `to`: the window an offer needs an open day in, instead of the next 90 days in
    /// the host's calendar. At most 366 days.
    pub from: Option<String>,
    pub to: Option<String>,
    pub limit: Option<i64>,
    pub cursor: Option<String>,
}

impl MatchParams {
    fn parse(self) -> Result<MatchQuery, ApiError> {
        let mut f = Fields::new();
        let (has_from, has_to) = (self.from.is_some(), self.to.is_some());
        let from = self.from.and_then(|v| f.check("from", date(&v)));
        let to = self.to.and_then(|v| f.check("to", date(&v)));
        let window = match (from, to) {
            (Some(from), Some(to)) => match DateRange::new(from, to, MAX_RANGE_DAYS) {
                Ok(range) => Some(range),
                Err(RangeError::Backwards) => {
                    f.add("to", "must not be before from");
                    None
                }
                Err(RangeError::TooLong { max_days }) => {
                    f.add("to", format!("the window may span at most {max_days} days"));
                    None
                }
            },
            (Some(_), None) if !has_to => {
                f.add("to", "is required with from");
                None
            }
            (None, Some(_)) if !has_from => {
                f.add("from", "is required with to");
                None
            }
            _ => None,
        };
        let limit = f.check("limit", page_limit(self.limit).map_err(|e| e.message));
        let after = decode_ranked_cursor(self.cursor.as_deref())?;
        f.finish(|| {
            Some(MatchQuery {
                window,
                after: after.map(|(points, id)| After { points, id }),
                limit: limit?,
            })
        })
        .map_err(ApiError::validation)
    }
}

/// One part of a match's score.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct MatchReason {
    pub factor: Factor,
    /// Why it counted, in words.
    #[schema(example = "SE is a target market")]
    pub detail: String,
    /// What it added to the score.
    pub contribution: f64,
}

/// An offer the SME could land at.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct MatchItem {
    /// The offer as the search answers it, with its host cluster.
    pub offer: OfferSearchItem,
    /// From 0 to 1: the sum of the reasons' contributions.
    pub score: f64,
    pub reasons: Vec<MatchReason>,
}

impl From<Match> for MatchItem {
    fn from(m: Match) -> MatchItem {
        let points = |p: u32| f64::from(p) / f64::from(crate::domain::matches::FULL);
        MatchItem {
            score: m.score.value(),
            reasons: m
                .score
                .reasons
                .into_iter()
                .map(|r| MatchReason {
                    factor: r.factor,
                    detail: r.detail,
                    contribution: points(r.points),
                })
                .collect(),
            offer: OfferSearchItem {
                offer: m.offer.into(),
                cluster: ClusterSummary {
                    id: m.cluster.id.into(),
                    name: m.cluster.name,
                    country: m.cluster.country,
                    city: m.cluster.city,
                    timezone: m.cluster.timezone,
                },
            },
        }
    }
}

/// The published offers of the clusters in an active partnership with the SME's home cluster
/// whose kind the partnership covers and that have an open day in the window (the next 90
/// days, or `[from, to]`), best first: by score, then by offer id. The score (0 to 1) adds
/// weighted parts, each given as a reason: the host country is a target market (0.35), the
/// SME's sector is the offer's (0.30) or the host cluster's (0.15), the offer is held in a
/// language the SME speaks (0.20), and the share of the window's open days with a free place
/// (up to 0.15). Visible to the SME's members, its home cluster and the admin (404 to others).
#[utoipa::path(
    tag = "smes",
    security(("bearer" = [])),
    params(("id" = String, Path, description = "SME id"), MatchParams),
    responses(
        (status = 200, body = Page<MatchItem>),
        (status = 400, body = crate::error::Problem, content_type = "application/problem+json",
            description = "`invalid_cursor`"),
        (status = 401, body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 404, body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 422, body = crate::error::Problem, content_type = "application/problem+json")
    )
)]
#[get("/smes/{id}/matches")]
pub async fn list_matches(
    state: web::Data<AppState>,
    principal: Principal,
    path: web::Path<SmeId>,
    Query(params): Query<MatchParams>,
) -> ApiResult<web::Json<Page<MatchItem>>> {
    let query = params.parse();
    let limit = query.as_ref().map_or(0, |q| q.limit);
    let mut rows = matches::matches(&state, principal, path.into_inner(), query).await?;
    let more = rows.len() as i64 > limit;
    rows.truncate(usize::try_from(limit).unwrap_or(0));
    let next_cursor = if more {
        rows.last()
            .map(|m| encode_ranked_cursor(m.score.points, m.offer.id.as_str()))
    } else {
        None
    };
    Ok(web::Json(Page {
        items: rows.into_iter().map(MatchItem::from).collect(),
        next_cursor,
    }))
}
