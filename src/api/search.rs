//! `GET /offers`: the public search over published offers, each with its host cluster.

use actix_web::{get, web};
use serde::{Deserialize, Serialize};

use super::extract::Query;
use super::offers::OfferView;
use super::paging::{Page, decode_cursor, page_limit};
use crate::auth::{MaybePrincipal, Principal};
use crate::db::offers::SearchFilter;
use crate::domain::account::Role;
use crate::domain::offer::OfferKind;
use crate::domain::values::{CountryCode, Fields, date, language, line, sector};
use crate::error::{ApiError, ApiResult};
use crate::service::offers::MAX_RANGE_DAYS;
use crate::service::search;
use crate::state::AppState;

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
pub struct SearchQuery {
    /// Host cluster's country (ISO 3166-1 alpha-2).
    pub country: Option<String>,
    pub city: Option<String>,
    pub kind: Option<String>,
    pub sector: Option<String>,
    /// ISO 639-1 language spoken at the offer.
    pub language: Option<String>,
    pub cluster_id: Option<String>,
    /// Words that must all appear in the title or the description.
    pub q: Option<String>,
    /// With `to` (and `headcount`, default 1): only offers with that many free places on
    /// every day of `[from, to]`.
    pub from: Option<String>,
    pub to: Option<String>,
    pub headcount: Option<i64>,
    /// `true` (SME members): only offers of clusters in an active partnership with the
    /// caller's home cluster.
    pub eligible: Option<bool>,
    pub limit: Option<i64>,
    pub cursor: Option<String>,
}

/// The host cluster, as a search result embeds it.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct ClusterSummary {
    pub id: String,
    pub name: String,
    pub country: String,
    pub city: String,
    pub timezone: String,
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct OfferSearchItem {
    #[serde(flatten)]
    pub offer: OfferView,
    pub cluster: ClusterSummary,
}

/// Published offers, filtered; public. Items embed their host cluster.
#[utoipa::path(
    tag = "offers",
    params(SearchQuery),
    responses(
        (status = 200, body = Page<OfferSearchItem>),
        (status = 400, body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 422, body = crate::error::Problem, content_type = "application/problem+json")
    )
)]
#[get("/offers")]
pub async fn search_offers(
    state: web::Data<AppState>,
    MaybePrincipal(principal): MaybePrincipal,
    Query(query): Query<SearchQuery>,
) -> ApiResult<web::Json<Page<OfferSearchItem>>> {
    let (filter, sme) = query.into_filter(principal.as_ref())?;
    let limit = filter.limit;
    let rows = search::search(&state, sme.and(principal), filter).await?;
    Ok(web::Json(Page::from_rows(
        rows,
        limit,
        |(o, _)| &o.id,
        |(o, c)| OfferSearchItem {
            offer: o.into(),
            cluster: ClusterSummary {
                id: c.id.into(),
                name: c.name,
                country: c.country,
                city: c.city,
                timezone: c.timezone,
            },
        },
    )))
}

impl SearchQuery {
    /// The search this query asks for, and the SME whose partners it keeps (`eligible=true`);
    /// 422 naming each bad parameter. The portal's search page reads the same parameters.
    pub fn into_filter(
        self,
        principal: Option<&Principal>,
    ) -> Result<(SearchFilter, Option<String>), ApiError> {
        let query = self;
        let mut f = Fields::new();
        let country = query
            .country
            .and_then(|c| f.check("country", CountryCode::parse(&c)));
        let kind = query
            .kind
            .and_then(|k| f.check("kind", OfferKind::parse(&k)));
        let sector = query.sector.and_then(|s| f.check("sector", sector(&s)));
        let language = query
            .language
            .and_then(|l| f.check("language", language(&l)));
        let city = query.city.and_then(|c| f.check("city", line(&c, 1, 120)));
        let words: Vec<String> = query
            .q
            .as_deref()
            .unwrap_or("")
            .split_whitespace()
            .map(str::to_owned)
            .collect();
        if words.len() > 10 || words.iter().any(|w| w.chars().count() > 60) {
            f.add("q", "may hold at most 10 words of at most 60 characters");
        }
        let from = query.from.and_then(|v| f.check("from", date(&v)));
        let to = query.to.and_then(|v| f.check("to", date(&v)));
        let headcount = match query.headcount {
            Some(h) if (1..=10_000).contains(&h) => i32::try_from(h).ok(),
            Some(_) => {
                f.add("headcount", "must be between 1 and 10000");
                None
            }
            None => Some(1),
        };
        let range = match (from, to) {
            (Some(from), Some(to)) if to < from => {
                f.add("to", "must not be before from");
                None
            }
            (Some(from), Some(to)) if (to - from).num_days() + 1 > MAX_RANGE_DAYS => {
                f.add("to", "the range may span at most 366 days");
                None
            }
            (Some(from), Some(to)) => headcount.map(|h| (from, to, h)),
            (Some(from), None) => headcount.map(|h| (from, from, h)),
            (None, Some(_)) => {
                f.add("from", "is required with to");
                None
            }
            (None, None) => {
                if query.headcount.is_some() && headcount.is_some() {
                    f.add("headcount", "needs from (and to)");
                }
                None
            }
        };
        let eligible = query.eligible.unwrap_or(false);
        let sme = match (principal, eligible) {
            (_, false) => None,
            (Some(p), true) if p.role == Role::SmeMember => p.sme_id.clone(),
            _ => {
                f.add("eligible", "is for SME members: log in as one");
                None
            }
        };
        let limit = f.check("limit", page_limit(query.limit).map_err(|e| e.message));
        let after = decode_cursor(query.cursor.as_deref())?;
        let limit = f.finish(|| limit).map_err(ApiError::validation)?;
        let filter = SearchFilter {
            country: country.map(|c| c.as_str().to_owned()),
            city,
            kind: kind.map(|k| k.as_str().to_owned()),
            sector,
            language,
            cluster_id: query.cluster_id,
            words,
            range,
            clusters_in: None,
            after,
            limit,
        };
        Ok((filter, sme))
    }
}
