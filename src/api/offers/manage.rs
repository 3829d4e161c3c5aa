//! Creating, reading, editing and moving an offer through its states.

use actix_web::http::header;
use actix_web::{HttpResponse, get, patch, post, web};
use serde::Deserialize;

use super::{CreateOffer, OfferView};
use crate::api::conditional::{IfMatch, etag, with_etag};
use crate::api::extract::{ActionPath, Input, Json, PathAction, not_null, nullable};
use crate::auth::{MaybePrincipal, Principal};
use crate::db::offers::{OfferFields, OfferRow};
use crate::domain::ids::{ClusterId, OfferId};
use crate::domain::offer::OfferAction;
use crate::error::{ApiError, ApiResult, FieldError};
use crate::service::offers;
use crate::state::AppState;

/// Creates an offer of the cluster, as a draft.
#[utoipa::path(
    tag = "offers",
    security(("bearer" = [])),
    params(("id" = String, Path, description = "Host cluster id")),
    request_body = CreateOffer,
    responses(
        (status = 201, body = OfferView, headers(("Location" = String), ("ETag" = String))),
        (status = 403, body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 404, body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 422, body = crate::error::Problem, content_type = "application/problem+json")
    )
)]
#[post("/clusters/{id}/offers")]
pub async fn create_offer(
    state: web::Data<AppState>,
    principal: Principal,
    path: web::Path<ClusterId>,
    Json(fields): Json<CreateOffer>,
) -> ApiResult<HttpResponse> {
    let row = offers::create(&state, principal, path.into_inner(), fields).await?;
    Ok(HttpResponse::Created()
        .insert_header((header::LOCATION, format!("/api/v1/offers/{}", row.id)))
        .insert_header((header::ETAG, etag(&row.id, row.version)))
        .json(OfferView::from(row)))
}

/// One offer; published offers are public.
#[utoipa::path(
    tag = "offers",
    params(("id" = String, Path, description = "Offer id")),
    responses(
        (status = 200, body = OfferView, headers(("ETag" = String))),
        (status = 404, body = crate::error::Problem, content_type = "application/problem+json")
    )
)]
#[get("/offers/{id}")]
pub async fn get_offer(
    state: web::Data<AppState>,
    MaybePrincipal(principal): MaybePrincipal,
    path: web::Path<OfferId>,
) -> ApiResult<HttpResponse> {
    let row = offers::get(&state, principal, path.into_inner()).await?;
    let (id, version) = (row.id.clone(), row.version);
    Ok(with_etag(&OfferView::from(row), &id, version))
}

#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PatchOffer {
    #[serde(default, deserialize_with = "not_null")]
    pub kind: Option<String>,
    #[serde(default, deserialize_with = "not_null")]
    pub title: Option<String>,
    #[serde(default, deserialize_with = "not_null")]
    pub description: Option<String>,
    #[serde(default, deserialize_with = "not_null")]
    pub city: Option<String>,
    /// `null` clears it.
    #[serde(default, deserialize_with = "nullable")]
    #[schema(value_type = Option<String>)]
    pub address: Option<Option<String>>,
    #[serde(default, deserialize_with = "not_null")]
    pub capacity: Option<i64>,
    #[serde(default, deserialize_with = "not_null")]
    pub available_from: Option<String>,
    #[serde(default, deserialize_with = "not_null")]
    pub available_until: Option<String>,
    #[serde(default, deserialize_with = "not_null")]
    pub max_stay_days: Option<i64>,
    #[serde(default, deserialize_with = "not_null")]
    pub open_weekdays: Option<Vec<i64>>,
    #[serde(default, deserialize_with = "not_null")]
    pub languages: Option<Vec<String>>,
    #[serde(default, deserialize_with = "not_null")]
    pub sectors: Option<Vec<String>>,
}

/// A patch, checked field by field now and as a whole once applied to the stored offer.
pub struct OfferChanges(PatchOffer);

impl Input for PatchOffer {
    type Parsed = OfferChanges;

    fn parse(self) -> Result<OfferChanges, Vec<FieldError>> {
        Ok(OfferChanges(self))
    }
}

impl OfferChanges {
    fn apply(self, row: &OfferRow) -> Result<OfferFields, ApiError> {
        let p = self.0;
        CreateOffer {
            kind: Some(p.kind.unwrap_or_else(|| row.kind.as_str().to_owned())),
            title: Some(p.title.unwrap_or_else(|| row.title.clone())),
            description: Some(p.description.unwrap_or_else(|| row.description.clone())),
            city: Some(p.city.unwrap_or_else(|| row.city.clone())),
            address: p.address.unwrap_or_else(|| row.address.clone()),
            capacity: Some(p.capacity.unwrap_or(i64::from(row.capacity))),
            available_from: Some(
                p.available_from
                    .unwrap_or_else(|| row.available_from.to_string()),
            ),
            available_until: Some(
                p.available_until
                    .unwrap_or_else(|| row.available_until.to_string()),
            ),
            max_stay_days: Some(p.max_stay_days.unwrap_or(i64::from(row.max_stay_days))),
            open_weekdays: Some(
                p.open_weekdays
                    .unwrap_or_else(|| row.weekdays().list().into_iter().map(i64::from).collect()),
            ),
            languages: Some(p.languages.unwrap_or_else(|| row.languages())),
            sectors: Some(p.sectors.unwrap_or_else(|| row.sectors())),
        }
        .parse()
        .map_err(ApiError::validation)
    }
}

/// Edits an offer (the host's managers); honours `If-Match`.
#[utoipa::path(
    tag = "offers",
    security(("bearer" = [])),
    params(
        ("id" = String, Path, description = "Offer id"),
        ("If-Match" = Option<String>, Header, description = "ETag the change is based on")
    ),
    request_body = PatchOffer,
    responses(
        (status = 200, body = OfferView, headers(("ETag" = String))),
        (status = 403, body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 404, body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 409, body = crate::error::Problem, content_type = "application/problem+json", description = "Archived offers do not change"),
        (status = 412, body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 422, body = crate::error::Problem, content_type = "application/problem+json")
    )
)]
#[patch("/offers/{id}")]
pub async fn patch_offer(
    state: web::Data<AppState>,
    principal: Principal,
    if_match: IfMatch,
    path: web::Path<OfferId>,
    Json(changes): Json<PatchOffer>,
) -> ApiResult<HttpResponse> {
    let change = move |row: &OfferRow| changes.apply(row);
    let row = offers::update(&state, principal, path.into_inner(), if_match, change).await?;
    let (id, version) = (row.id.clone(), row.version);
    Ok(with_etag(&OfferView::from(row), &id, version))
}

impl PathAction for OfferAction {
    fn from_path(segment: &str) -> Option<OfferAction> {
        Some(match segment {
            "publish" => OfferAction::Publish,
            "pause" => OfferAction::Pause,
            "archive" => OfferAction::Archive,
            _ => return None,
        })
    }
}

/// Moves an offer through its states (its host's managers): `publish` a draft or paused offer;
/// `pause` a published one (it leaves search until published again); `archive` it for good.
#[utoipa::path(
    tag = "offers",
    security(("bearer" = [])),
    params(
        ("id" = String, Path, description = "Offer id"),
        ("action" = String, Path, description = "publish, pause or archive")
    ),
    responses(
        (status = 200, body = OfferView),
        (status = 403, body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 404, body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 409, body = crate::error::Problem, content_type = "application/problem+json", description = "Illegal from the current state")
    )
)]
#[post("/offers/{id}/{action}")]
pub async fn act(
    state: web::Data<AppState>,
    principal: Principal,
    path: web::Path<ActionPath<OfferId, OfferAction>>,
) -> ApiResult<HttpResponse> {
    let ActionPath { id, action } = path.into_inner();
    let row = offers::act(&state, principal, id, action).await?;
    let (id, version) = (row.id.clone(), row.version);
    Ok(with_etag(&OfferView::from(row), &id, version))
}
