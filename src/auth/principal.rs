//! The authenticated caller, taken from `Authorization: Bearer <access token>`.

use actix_web::dev::Payload;
use actix_web::http::header::AUTHORIZATION;
use actix_web::{FromRequest, HttpRequest, web};

use futures_util::future::LocalBoxFuture;

use super::jwt::SubjectKind;
use super::subjects;
use crate::db::pool::run;
use crate::domain::account::Role;
use crate::error::ApiError;
use crate::state::AppState;

/// A verified caller (or the subject of a token being issued): a person or a partner
/// portal's API client.
#[derive(Debug, Clone)]
pub struct Principal {
    pub id: String,
    pub kind: SubjectKind,
    pub role: Role,
    pub cluster_id: Option<String>,
    pub sme_id: Option<String>,
    pub email: Option<String>,
}

impl Principal {
    pub fn is_admin(&self) -> bool {
        self.role == Role::Admin
    }

    /// Whether the caller manages `cluster_id` (as a manager or as its API client).
    pub fn manages_cluster(&self, cluster_id: &str) -> bool {
        self.role == Role::ClusterManager && self.cluster_id.as_deref() == Some(cluster_id)
    }

    /// Whether the caller is a member of `sme_id`.
    pub fn member_of_sme(&self, sme_id: &str) -> bool {
        self.role == Role::SmeMember && self.sme_id.as_deref() == Some(sme_id)
    }
}

/// The caller named by the request's `Authorization` header: `None` without one, 401 when it
/// is malformed, its token does not verify, or its subject no longer stands (a revoked API
/// client, a disabled account, a manager removed from the cluster).
pub async fn authenticate(req: &HttpRequest) -> Result<Option<Principal>, ApiError> {
    let Some(header) = req.headers().get(AUTHORIZATION) else {
        return Ok(None);
    };
    let value = header
        .to_str()
        .map_err(|_| ApiError::Unauthorized("the Authorization header is unreadable".into()))?;
    let token = match value.split_once(' ') {
        Some((scheme, token)) if scheme.eq_ignore_ascii_case("bearer") => token.trim(),
        _ => {
            return Err(ApiError::Unauthorized(
                "use `Authorization: Bearer <access token>`".into(),
            ));
        }
    };
    let state = req
        .app_data::<web::Data<AppState>>()
        .ok_or_else(|| ApiError::internal("application state is missing"))?;
    let principal = state.keys.verify(token).map_err(|e| {
        tracing::debug!(error = %e, "rejected access token");
        ApiError::Unauthorized("the access token is invalid or expired".into())
    })?;
    let stands = match state.subjects.cached(&principal) {
        Some(stands) => stands,
        None => {
            let checked = principal.clone();
            let stands = run(&state.db, move |conn| {
                subjects::stands(conn, &checked).map_err(ApiError::from)
            })
            .await?;
            state.subjects.remember(&principal, stands);
            stands
        }
    };
    if !stands {
        return Err(ApiError::Unauthorized(
            "the access token was revoked: its client or account is no longer active".into(),
        ));
    }
    Ok(Some(principal))
}

impl FromRequest for Principal {
    type Error = ApiError;
    type Future = LocalBoxFuture<'static, Result<Principal, ApiError>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        let req = req.clone();
        Box::pin(async move {
            authenticate(&req).await.and_then(|p| {
                p.ok_or_else(|| ApiError::Unauthorized("an access token is required".into()))
            })
        })
    }
}

/// A caller that may be anonymous; a token that is present must still be valid.
pub struct MaybePrincipal(pub Option<Principal>);

impl FromRequest for MaybePrincipal {
    type Error = ApiError;
    type Future = LocalBoxFuture<'static, Result<MaybePrincipal, ApiError>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        let req = req.clone();
        Box::pin(async move { authenticate(&req).await.map(MaybePrincipal) })
    }
}
