//! `/clusters/{id}/api-clients`: partner portals' credentials for the client_credentials grant.
//! The secret is shown once, at creation, and stored only as a hash.

use super::extract::{ClientIdPath, PathId};
use actix_web::http::header;
use actix_web::{HttpResponse, delete, get, post, web};
use chrono::{DateTime, NaiveDateTime, Utc};
use diesel::prelude::*;
use serde::{Deserialize, Serialize};

use super::extract::{Input, Json};
use super::paging::Page;
use crate::auth::{Principal, flows, policy};
use crate::db::DbConnection;
use crate::db::accounts::{self, ApiClientRow};
use crate::db::pool::run;
use crate::db::schema::clusters;
use crate::error::{ApiError, ApiResult, FieldError};
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

fn cluster_exists(conn: &mut DbConnection, id: &str) -> Result<(), ApiError> {
    let found: Option<String> = clusters::table
        .find(id)
        .select(clusters::id)
        .first(conn)
        .optional()?;
    found
        .map(|_| ())
        .ok_or_else(|| ApiError::not_found("cluster"))
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
    path: web::Path<PathId>,
    Json(name): Json<CreateApiClient>,
) -> ApiResult<HttpResponse> {
    let cluster_id = path.into_inner().0;
    let (row, secret) = run(&state.db, move |conn| {
        cluster_exists(conn, &cluster_id)?;
        policy::api_clients::create(&principal, &cluster_id)?;
        flows::create_api_client(conn, &cluster_id, &name)
    })
    .await?;
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
    path: web::Path<PathId>,
) -> ApiResult<web::Json<Page<ApiClientView>>> {
    let cluster_id = path.into_inner().0;
    let rows = run(&state.db, move |conn| {
        cluster_exists(conn, &cluster_id)?;
        policy::api_clients::list(&principal, &cluster_id)?;
        accounts::list_api_clients(conn, &cluster_id).map_err(ApiError::from)
    })
    .await?;
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
    path: web::Path<(PathId, ClientIdPath)>,
) -> ApiResult<HttpResponse> {
    let (PathId(cluster_id), ClientIdPath(client_id)) = path.into_inner();
    run(&state.db, move |conn| {
        cluster_exists(conn, &cluster_id)?;
        policy::api_clients::revoke(&principal, &cluster_id)?;
        if accounts::revoke_api_client(conn, &cluster_id, &client_id)? {
            Ok(())
        } else {
            Err(ApiError::not_found("API client"))
        }
    })
    .await?;
    // Its access tokens stop working now, not when they expire.
    state.subjects.clear();
    Ok(HttpResponse::NoContent().finish())
}
