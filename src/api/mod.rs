//! HTTP handlers, one module per resource. Handlers extract and authorise, call the domain
//! and `db`, and map to response types; they hold no SQL and no business rules.

pub mod extract;
pub mod ops;

use actix_web::HttpRequest;
use actix_web::http::StatusCode;
use utoipa::OpenApi;
use utoipa_actix_web::service_config::ServiceConfig;

use crate::error::ApiError;

/// Metadata of the OpenAPI description; paths add themselves as they are registered.
#[derive(OpenApi)]
#[openapi(
    info(
        title = "softlanding",
        description = "The Business Roaming Agreement between European ICT clusters: offers, soft-landing requests and their approval.",
        license(name = "Apache-2.0")
    ),
    components(schemas(crate::error::Problem, crate::error::FieldError)),
    tags(
        (name = "operations", description = "Health, readiness and metrics"),
    )
)]
pub struct ApiDoc;

/// Registers the operational endpoints at the root.
pub fn configure_root(cfg: &mut ServiceConfig) {
    cfg.service(ops::healthz)
        .service(ops::readyz)
        .service(ops::metrics);
}

/// Registers everything under `/api/v1`.
pub fn configure_v1(_cfg: &mut ServiceConfig) {}

/// Answers requests no route took: 405 when the path exists under another method, else 404.
pub async fn fallback(req: HttpRequest) -> Result<actix_web::HttpResponse, ApiError> {
    Err(if req.match_pattern().is_some() {
        ApiError::problem(
            StatusCode::METHOD_NOT_ALLOWED,
            "method_not_allowed",
            format!("{} is not allowed on {}", req.method(), req.path()),
        )
    } else {
        ApiError::problem(
            StatusCode::NOT_FOUND,
            "not_found",
            format!("no route matches {}", req.path()),
        )
    })
}
