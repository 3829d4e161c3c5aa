//! `/clusters`: the clusters of the roaming network (public to read; created by the admin,
//! edited by the admin or the cluster's managers) and their managers' invitations.

use actix_web::http::header;
use actix_web::{HttpResponse, delete, get, patch, post, web};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::conditional::{IfMatch, etag, with_etag};
use super::extract::{Input, Json, PathId, Query, not_null, nullable};
use super::paging::{Page, decode_cursor, page_limit};
use crate::auth::Principal;
use crate::db::accounts;
use crate::db::clusters::{ClusterFields, ClusterFilter, ClusterRow};
use crate::domain::account::{Email, Role, locale_field};
use crate::domain::ids::ClusterId;
use crate::domain::values::{CountryCode, Fields, TimeZone, WebUrl, dedup, line, sector, text};
use crate::error::{ApiError, ApiResult, FieldError};
use crate::service::accounts::Invitee;
use crate::service::clusters;
use crate::state::AppState;

/// A cluster as the API shows it.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct ClusterView {
    pub id: String,
    pub name: String,
    pub country: String,
    pub city: String,
    pub timezone: String,
    pub contact_email: String,
    pub website: Option<String>,
    pub description: Option<String>,
    pub sectors: Vec<String>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

impl From<ClusterRow> for ClusterView {
    fn from(row: ClusterRow) -> ClusterView {
        ClusterView {
            sectors: row.sectors(),
            id: row.id.into(),
            name: row.name,
            country: row.country,
            city: row.city,
            timezone: row.timezone,
            contact_email: row.contact_email,
            website: row.website,
            description: row.description,
            created_at: row.created_at.and_utc(),
            updated_at: row.updated_at.and_utc(),
        }
    }
}

#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CreateCluster {
    pub name: Option<String>,
    /// ISO 3166-1 alpha-2.
    pub country: Option<String>,
    pub city: Option<String>,
    /// IANA time zone; calendar days of the cluster's offers are days in this zone.
    pub timezone: Option<String>,
    pub contact_email: Option<String>,
    pub website: Option<String>,
    pub description: Option<String>,
    pub sectors: Option<Vec<String>>,
}

const MAX_SECTORS: usize = 30;

impl Input for CreateCluster {
    type Parsed = ClusterFields;

    fn parse(self) -> Result<ClusterFields, Vec<FieldError>> {
        let mut f = Fields::new();
        let name = f
            .required("name", self.name)
            .and_then(|v| f.check("name", line(&v, 1, 200)));
        let country = f
            .required("country", self.country)
            .and_then(|v| f.check("country", CountryCode::parse(&v)));
        let city = f
            .required("city", self.city)
            .and_then(|v| f.check("city", line(&v, 1, 120)));
        let timezone = f
            .required("timezone", self.timezone)
            .and_then(|v| f.check("timezone", TimeZone::parse(&v)));
        let contact_email = f
            .required("contact_email", self.contact_email)
            .and_then(|v| f.check("contact_email", Email::parse(&v)));
        let website = match self.website {
            Some(w) => f.check("website", WebUrl::parse(&w)).map(Some),
            None => Some(None),
        };
        let description = match self.description {
            Some(d) => f.check("description", text(&d, 0, 5000)).map(Some),
            None => Some(None),
        };
        let sectors = f.each(
            "sectors",
            self.sectors.unwrap_or_default(),
            MAX_SECTORS,
            sector,
        );
        f.finish(|| {
            Some(ClusterFields {
                name: name?,
                country: country?.as_str().to_owned(),
                city: city?,
                timezone: timezone?.name().to_owned(),
                contact_email: contact_email?.as_str().to_owned(),
                website: website?.map(|w| w.as_str().to_owned()),
                description: description?.filter(|d| !d.is_empty()),
                sectors: dedup(sectors?),
            })
        })
    }
}

/// Creates a cluster of the network.
#[utoipa::path(
    tag = "clusters",
    security(("bearer" = [])),
    request_body = CreateCluster,
    responses(
        (status = 201, body = ClusterView, headers(("Location" = String), ("ETag" = String))),
        (status = 403, body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 422, body = crate::error::Problem, content_type = "application/problem+json")
    )
)]
#[post("/clusters")]
pub async fn create_cluster(
    state: web::Data<AppState>,
    principal: Principal,
    Json(fields): Json<CreateCluster>,
) -> ApiResult<HttpResponse> {
    let row = clusters::create(&state, principal, fields).await?;
    Ok(HttpResponse::Created()
        .insert_header((header::LOCATION, format!("/api/v1/clusters/{}", row.id)))
        .insert_header((header::ETAG, etag(&row.id, row.version)))
        .json(ClusterView::from(row)))
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
pub struct ClusterQuery {
    /// ISO 3166-1 alpha-2 country.
    pub country: Option<String>,
    /// A sector the cluster lists.
    pub sector: Option<String>,
    pub limit: Option<i64>,
    pub cursor: Option<String>,
}

/// The clusters of the network; public.
#[utoipa::path(
    tag = "clusters",
    params(ClusterQuery),
    responses(
        (status = 200, body = Page<ClusterView>),
        (status = 400, body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 422, body = crate::error::Problem, content_type = "application/problem+json")
    )
)]
#[get("/clusters")]
pub async fn list_clusters(
    state: web::Data<AppState>,
    Query(query): Query<ClusterQuery>,
) -> ApiResult<web::Json<Page<ClusterView>>> {
    let mut f = Fields::new();
    let country = query
        .country
        .and_then(|c| f.check("country", CountryCode::parse(&c)));
    let sector = query.sector.and_then(|s| f.check("sector", sector(&s)));
    let limit = f.check("limit", page_limit(query.limit).map_err(|e| e.message));
    let after = decode_cursor(query.cursor.as_deref())?;
    let filter = f
        .finish(|| {
            Some(ClusterFilter {
                country: country.map(|c| c.as_str().to_owned()),
                sector,
                after,
                limit: limit?,
            })
        })
        .map_err(ApiError::validation)?;
    let limit = filter.limit;
    let rows = clusters::list(&state, filter).await?;
    Ok(web::Json(Page::from_rows(
        rows,
        limit,
        |r| &r.id,
        ClusterView::from,
    )))
}

/// One cluster; public.
#[utoipa::path(
    tag = "clusters",
    params(("id" = String, Path, description = "Cluster id")),
    responses(
        (status = 200, body = ClusterView, headers(("ETag" = String))),
        (status = 404, body = crate::error::Problem, content_type = "application/problem+json")
    )
)]
#[get("/clusters/{id}")]
pub async fn get_cluster(
    state: web::Data<AppState>,
    path: web::Path<ClusterId>,
) -> ApiResult<HttpResponse> {
    let row = clusters::get(&state, path.into_inner()).await?;
    let (id, version) = (row.id.clone(), row.version);
    Ok(with_etag(&ClusterView::from(row), &id, version))
}

#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PatchCluster {
    #[serde(default, deserialize_with = "not_null")]
    pub name: Option<String>,
    #[serde(default, deserialize_with = "not_null")]
    pub country: Option<String>,
    #[serde(default, deserialize_with = "not_null")]
    pub city: Option<String>,
    #[serde(default, deserialize_with = "not_null")]
    pub timezone: Option<String>,
    #[serde(default, deserialize_with = "not_null")]
    pub contact_email: Option<String>,
    /// `null` clears it.
    #[serde(default, deserialize_with = "nullable")]
    #[schema(value_type = Option<String>)]
    pub website: Option<Option<String>>,
    /// `null` clears it.
    #[serde(default, deserialize_with = "nullable")]
    #[schema(value_type = Option<String>)]
    pub description: Option<Option<String>>,
    #[serde(default, deserialize_with = "not_null")]
    pub sectors: Option<Vec<String>>,
}

/// The fields a patch sets; absent ones keep their value.
pub struct ClusterChanges(PatchCluster);

impl Input for PatchCluster {
    type Parsed = ClusterChanges;

    fn parse(self) -> Result<ClusterChanges, Vec<FieldError>> {
        // Parse what is present with the creation rules, to report every bad field now.
        let mut f = Fields::new();
        if let Some(v) = &self.name {
            f.check("name", line(v, 1, 200));
        }
        if let Some(v) = &self.country {
            f.check("country", CountryCode::parse(v));
        }
        if let Some(v) = &self.city {
            f.check("city", line(v, 1, 120));
        }
        if let Some(v) = &self.timezone {
            f.check("timezone", TimeZone::parse(v));
        }
        if let Some(v) = &self.contact_email {
            f.check("contact_email", Email::parse(v));
        }
        if let Some(Some(v)) = &self.website {
            f.check("website", WebUrl::parse(v));
        }
        if let Some(Some(v)) = &self.description {
            f.check("description", text(v, 0, 5000));
        }
        if let Some(v) = &self.sectors {
            f.each("sectors", v.clone(), MAX_SECTORS, sector);
        }
        f.finish(|| Some(ClusterChanges(self)))
    }
}

impl ClusterChanges {
    /// The row's fields with this patch applied, parsed again as a whole.
    fn apply(self, row: &ClusterRow) -> Result<ClusterFields, ApiError> {
        let p = self.0;
        CreateCluster {
            name: Some(p.name.unwrap_or_else(|| row.name.clone())),
            country: Some(p.country.unwrap_or_else(|| row.country.clone())),
            city: Some(p.city.unwrap_or_else(|| row.city.clone())),
            timezone: Some(p.timezone.unwrap_or_else(|| row.timezone.clone())),
            contact_email: Some(p.contact_email.unwrap_or_else(|| row.contact_email.clone())),
            website: p.website.unwrap_or_else(|| row.website.clone()),
            description: p.description.unwrap_or_else(|| row.description.clone()),
            sectors: Some(p.sectors.unwrap_or_else(|| row.sectors())),
        }
        .parse()
        .map_err(ApiError::validation)
    }
}

/// Edits a cluster (the admin or its managers); honours `If-Match`.
#[utoipa::path(
    tag = "clusters",
    security(("bearer" = [])),
    params(
        ("id" = String, Path, description = "Cluster id"),
        ("If-Match" = Option<String>, Header, description = "ETag the change is based on")
    ),
    request_body = PatchCluster,
    responses(
        (status = 200, body = ClusterView, headers(("ETag" = String))),
        (status = 403, body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 404, body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 412, body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 422, body = crate::error::Problem, content_type = "application/problem+json")
    )
)]
#[patch("/clusters/{id}")]
pub async fn patch_cluster(
    state: web::Data<AppState>,
    principal: Principal,
    if_match: IfMatch,
    path: web::Path<ClusterId>,
    Json(changes): Json<PatchCluster>,
) -> ApiResult<HttpResponse> {
    let change = move |row: &ClusterRow| changes.apply(row);
    let row = clusters::update(&state, principal, path.into_inner(), if_match, change).await?;
    let (id, version) = (row.id.clone(), row.version);
    Ok(with_etag(&ClusterView::from(row), &id, version))
}

#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct InviteManager {
    pub email: Option<String>,
    pub name: Option<String>,
    /// The language of the invitation email and of the portal for the new manager: `en`, `de`,
    /// `sv` or `fr`. Without it the portal follows their browser and mail is in English until
    /// they choose.
    pub locale: Option<String>,
}

impl Input for InviteManager {
    type Parsed = Invitee;

    fn parse(self) -> Result<Invitee, Vec<FieldError>> {
        let mut f = Fields::new();
        let email = f
            .required("email", self.email)
            .and_then(|v| f.check("email", Email::parse(&v)));
        let name = f
            .required("name", self.name)
            .and_then(|v| f.check("name", line(&v, 1, 200)));
        let locale = match self.locale {
            None => Some(None),
            Some(code) => locale_field(&mut f, "locale", &code).map(Some),
        };
        f.finish(|| {
            Some(Invitee {
                email: email?,
                name: name?,
                locale: locale?,
            })
        })
    }
}

/// A cluster's manager, invited or active.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct ManagerView {
    pub id: String,
    pub email: String,
    pub name: String,
    pub role: Role,
    pub cluster_id: String,
    /// `invited` until the person sets a password, then `active` (or `disabled`).
    pub state: &'static str,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

impl ManagerView {
    fn of(user: accounts::UserRow, cluster_id: &str) -> ManagerView {
        ManagerView {
            state: if user.disabled {
                "disabled"
            } else if user.password_hash.is_some() {
                "active"
            } else {
                "invited"
            },
            id: user.id,
            email: user.email,
            name: user.name,
            role: Role::ClusterManager,
            cluster_id: cluster_id.to_owned(),
            created_at: user.created_at.and_utc(),
            updated_at: user.updated_at.and_utc(),
        }
    }
}

/// Invites a manager to the cluster: an account without a password, and an email with a
/// link to set one (valid 7 days).
#[utoipa::path(
    tag = "clusters",
    security(("bearer" = [])),
    params(("id" = String, Path, description = "Cluster id")),
    request_body = InviteManager,
    responses(
        (status = 201, body = ManagerView, headers(("Location" = String))),
        (status = 403, body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 404, body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 409, body = crate::error::Problem, content_type = "application/problem+json", description = "The address already has an account"),
        (status = 422, body = crate::error::Problem, content_type = "application/problem+json")
    )
)]
#[post("/clusters/{id}/managers")]
pub async fn invite_manager(
    state: web::Data<AppState>,
    principal: Principal,
    path: web::Path<ClusterId>,
    Json(invitation): Json<InviteManager>,
) -> ApiResult<HttpResponse> {
    let user = clusters::invite_manager(&state, principal, path.into_inner(), invitation).await?;
    let cluster_id = user.cluster_id.clone().unwrap_or_default();
    Ok(HttpResponse::Created()
        .insert_header((
            header::LOCATION,
            format!("/api/v1/clusters/{cluster_id}/managers/{}", user.id),
        ))
        .json(ManagerView::of(user, &cluster_id)))
}

/// The cluster's managers (the admin or its managers).
#[utoipa::path(
    tag = "clusters",
    security(("bearer" = [])),
    params(("id" = String, Path, description = "Cluster id")),
    responses(
        (status = 200, body = Page<ManagerView>),
        (status = 403, body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 404, body = crate::error::Problem, content_type = "application/problem+json")
    )
)]
#[get("/clusters/{id}/managers")]
pub async fn list_managers(
    state: web::Data<AppState>,
    principal: Principal,
    path: web::Path<ClusterId>,
) -> ApiResult<web::Json<Page<ManagerView>>> {
    let (cluster_id, users) = clusters::managers(&state, principal, path.into_inner()).await?;
    Ok(web::Json(Page {
        items: users
            .into_iter()
            .map(|u| ManagerView::of(u, &cluster_id))
            .collect(),
        next_cursor: None,
    }))
}

/// One of the cluster's managers.
#[utoipa::path(
    tag = "clusters",
    security(("bearer" = [])),
    params(
        ("id" = String, Path, description = "Cluster id"),
        ("user_id" = String, Path, description = "The manager's id")
    ),
    responses(
        (status = 200, body = ManagerView),
        (status = 403, body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 404, body = crate::error::Problem, content_type = "application/problem+json")
    )
)]
#[get("/clusters/{id}/managers/{user_id}")]
pub async fn get_manager(
    state: web::Data<AppState>,
    principal: Principal,
    path: web::Path<(ClusterId, PathId)>,
) -> ApiResult<web::Json<ManagerView>> {
    let (cluster_id, PathId(user_id)) = path.into_inner();
    let (cluster_id, user) = clusters::manager(&state, principal, cluster_id, user_id).await?;
    Ok(web::Json(ManagerView::of(user, &cluster_id)))
}

/// Removes a manager from the cluster: the account is switched off and every session, refresh
/// token and access token of it ends at once. The last manager stays (409 `last_manager`).
#[utoipa::path(
    tag = "clusters",
    security(("bearer" = [])),
    params(
        ("id" = String, Path, description = "Cluster id"),
        ("user_id" = String, Path, description = "The manager's id")
    ),
    responses(
        (status = 204, description = "Removed; the person's sessions are ended"),
        (status = 403, body = crate::error::Problem, content_type = "application/problem+json",
            description = "Not the admin or a manager of the cluster, or an API client"),
        (status = 404, body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 409, body = crate::error::Problem, content_type = "application/problem+json",
            description = "`last_manager`: a cluster keeps at least one manager")
    )
)]
#[delete("/clusters/{id}/managers/{user_id}")]
pub async fn remove_manager(
    state: web::Data<AppState>,
    principal: Principal,
    path: web::Path<(ClusterId, PathId)>,
) -> ApiResult<HttpResponse> {
    let (cluster_id, PathId(user_id)) = path.into_inner();
    clusters::remove_manager(&state, principal, cluster_id, user_id).await?;
    Ok(HttpResponse::NoContent().finish())
}
