//! `/clusters/{id}/api-clients`: partner portals' credentials for the client_credentials grant.
//! The secret is shown once, at creation, and stored only as a hash.

use super::extract::ClientIdPath;
use actix_web::http::header;
use actix_web::{HttpResponse, delete, get, post, web};
use chrono::{DateTime, NaiveDateTime, Utc};
use serde::{Deserialize, Serialize};

use super::extract::{Input, Json};
use super::paging::Page;
use crate::auth::Principal;
use crate::db::accounts::ApiClientRow;
use crate::domain::ids::ClusterId;
use crate::error::{ApiResult, FieldError};
use crate::service::clusters;
use crate::state::AppState;

#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CreateApiClient {
    pub name: Option<String>,
}

impl Input for CreateApiClient {
    type Parsed = String;

    fn parse(self) -> Result<String, Vec<FieldError>> {
        let name = self.name.unwrap_or_default();
        let name = name.trim();
        if name.is_empty() {
            return Err(vec![FieldError::new("name", "is required")]);
        }
        if name.chars().count() > 200 {
            return Err(vec![FieldError::new(
                "name",
                "must be at most 200 characters",
            )]);
        }
        Ok(name.to_owned())
    }
}

fn utc(t: NaiveDateTime) -> DateTime<Utc> {
    t.and_utc()
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct ApiClientView {
    pub id: String,
    pub cluster_id: String,
    pub name: String,
    pub client_id: String,
    pub state: &'static str,
    pub last_used_at: Option<DateTime<Utc>>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

impl From<ApiClientRow> for ApiClientView {
    fn from(row: ApiClientRow) -> ApiClientView {
        ApiClientView {
            id: row.id,
            cluster_id: row.cluster_id,
            name: row.name,
            client_id: row.client_id,
            state: if row.revoked_at.is_some() {
                "revoked"
            } else {
                "active"
            },
            last_used_at: row.last_used_at.map(utc),
            created_at: utc(row.created_at),
            updated_at: utc(row.updated_at),
        }
    }
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct CreatedApiClient {
    #[serde(flatten)]
    pub client: ApiClientView,
    /// Shown once; only its hash is kept.
    pub client_secret: String,
}

/// Creates an API client for the cluster; the answer holds its secret, shown this once.
#[utoipa::path(
    tag = "clusters",
    security(("bearer" = [])),
    params(("id" = String, Path, description = "Cluster id")),
    request_body = CreateApiClient,
    responses(
        (status = 201, body = CreatedApiClient),
        (status = 403, body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 404, body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 422, body = crate::error::Problem, content_type = "application/problem+json")
    )
)]
#[post("/clusters/{id}/api-clients")]
pub async fn create_api_client(
    state: web::Data<AppState>,
    principal: Principal,
    path: web::Path<ClusterId>,
    Json(name): Json<CreateApiClient>,
) -> ApiResult<HttpResponse> {
    let cluster_id = path.into_inner();
    let (row, secret) = clusters::create_api_client(&state, principal, cluster_id, name).await?;
    let location = format!(
        "/api/v1/clusters/{}/api-clients/{}",
        row.cluster_id, row.client_id
    );
    Ok(HttpResponse::Created()
        .insert_header((header::LOCATION, location))
        .insert_header((header::CACHE_CONTROL, "no-store"))
        .json(CreatedApiClient {
            client: row.into(),
            client_secret: secret,
        }))
}

/// Lists the cluster's API clients, revoked ones included; never their secrets.
#[utoipa::path(
    tag = "clusters",
    security(("bearer" = [])),
    params(("id" = String, Path, description = "Cluster id")),
    responses(
        (status = 200, body = Page<ApiClientView>),
        (status = 403, body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 404, body = crate::error::Problem, content_type = "application/problem+json")
    )
)]
#[get("/clusters/{id}/api-clients")]
pub async fn list_api_clients(
    state: web::Data<AppState>,
    principal: Principal,
    path: web::Path<ClusterId>,
) -> ApiResult<web::Json<Page<ApiClientView>>> {
    let rows = clusters::api_clients(&state, principal, path.into_inner()).await?;
    Ok(web::Json(Page {
        items: rows.into_iter().map(Into::into).collect(),
        next_cursor: None,
    }))
}

/// Revokes an API client: its secret no longer obtains tokens.
#[utoipa::path(
    tag = "clusters",
    security(("bearer" = [])),
    params(
        ("id" = String, Path, description = "Cluster id"),
        ("client_id" = String, Path, description = "The client's `client_id`")
    ),
    responses(
        (status = 204, description = "Revoked"),
        (status = 403, body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 404, body = crate::error::Problem, content_type = "application/problem+json")
    )
)]
#[delete("/clusters/{id}/api-clients/{client_id}")]
pub async fn revoke_api_client(
    state: web::Data<AppState>,
    principal: Principal,
    path: web::Path<(ClusterId, ClientIdPath)>,
) -> ApiResult<HttpResponse> {
    let (cluster_id, ClientIdPath(client_id)) = path.into_inner();
    clusters::revoke_api_client(&state, principal, cluster_id, client_id).await?;
    Ok(HttpResponse::NoContent().finish())
}
