//! HTTP handlers, one module per resource. Handlers extract and authorise, call the domain
//! and `db`, and map to response types; they hold no SQL and no business rules.

pub mod admin;
pub mod api_clients;
pub mod audit;
pub mod auth;
pub mod clusters;
pub mod conditional;
pub mod extract;
pub mod idempotency;
pub mod landings;
pub mod matches;
pub mod offers;
pub mod ops;
pub mod paging;
pub mod partnerships;
pub mod reports;
pub mod search;
pub mod smes;
pub mod webhooks;

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
    modifiers(&BearerAuth),
    tags(
        (name = "operations", description = "Health, readiness and metrics"),
        (name = "auth", description = "Tokens, sessions and passwords"),
        (name = "clusters", description = "Clusters of the roaming network and their API clients"),
        (name = "partnerships", description = "The roaming agreements between clusters"),
        (name = "offers", description = "What host clusters offer visiting SMEs"),
        (name = "landings", description = "Soft-landing requests, their decisions and audit trail"),
        (name = "admin", description = "The network coordinator's tools"),
        (name = "smes", description = "SMEs: sign-up, membership of their home cluster, profiles and members, matches"),
        (name = "reports", description = "The network's use: reciprocity of each partnership, and how landings fared"),
        (name = "webhooks", description = "Partner portals' endpoints: signed deliveries of what happens to their cluster's landings, partnerships and offers"),
    )
)]
pub struct ApiDoc;

/// Declares the `bearer` security scheme that authenticated operations name.
struct BearerAuth;

impl utoipa::Modify for BearerAuth {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "bearer",
            SecurityScheme::Http(
                HttpBuilder::new()
                    .scheme(HttpAuthScheme::Bearer)
                    .bearer_format("JWT")
                    .build(),
            ),
        );
    }
}

/// Registers the operational endpoints at the root.
pub fn configure_root(cfg: &mut ServiceConfig) {
    cfg.service(ops::healthz)
        .service(ops::readyz)
        .service(ops::metrics);
}

/// Registers everything under `/api/v1`.
pub fn configure_v1(cfg: &mut ServiceConfig) {
    cfg.service(auth::issue_token)
        .service(auth::revoke_token)
        .service(auth::password_reset)
        .service(auth::password_reset_confirm)
        .service(auth::confirm_email)
        .service(auth::me)
        .service(auth::patch_me)
        .service(clusters::create_cluster)
        .service(clusters::list_clusters)
        .service(clusters::get_cluster)
        .service(clusters::patch_cluster)
        .service(clusters::invite_manager)
        .service(clusters::list_managers)
        .service(clusters::get_manager)
        .service(offers::manage::create_offer)
        .service(offers::manage::get_offer)
        .service(offers::manage::patch_offer)
        .service(offers::blackouts::create_blackout)
        .service(offers::blackouts::list_blackouts)
        .service(offers::blackouts::delete_blackout)
        .service(offers::availability::availability)
        // After `blackouts`, which `{action}` would take too.
        .service(offers::manage::act)
        .service(search::search_offers)
        .service(landings::submit::create_landing)
        .service(landings::read::list_landings)
        .service(landings::read::get_landing)
        .service(landings::read::landing_events)
        .service(landings::read::calendar)
        // Before the action endpoint, whose `{action}` would take `feedback` too.
        .service(landings::feedback::feedback)
        .service(landings::actions::act)
        .service(partnerships::propose)
        .service(partnerships::list_partnerships)
        .service(partnerships::get_partnership)
        .service(partnerships::partnership_events)
        .service(partnerships::act)
        .service(api_clients::create_api_client)
        .service(api_clients::list_api_clients)
        .service(api_clients::revoke_api_client)
        .service(admin::list_outbox)
        .service(admin::retry_outbox)
        .service(admin::disable_user)
        .service(clusters::remove_manager)
        .service(smes::sign_up)
        .service(smes::list_smes)
        .service(smes::get_sme)
        .service(smes::patch_sme)
        .service(smes::verify_sme)
        .service(smes::decline_sme)
        .service(smes::invite_member)
        .service(smes::list_members)
        .service(smes::get_member)
        .service(webhooks::create_webhook)
        .service(webhooks::list_webhooks)
        .service(webhooks::get_webhook)
        .service(webhooks::patch_webhook)
        .service(webhooks::delete_webhook)
        .service(webhooks::rotate_secret)
        .service(webhooks::test_webhook)
        .service(webhooks::list_deliveries)
        .service(webhooks::redeliver)
        .service(matches::list_matches)
        .service(reports::reciprocity)
        .service(reports::summary);
}

/// Answers requests no route took: 405 when the path exists under another method, else 404.
pub async fn fallback(req: HttpRequest) -> Result<actix_web::HttpResponse, ApiError> {
    Err(if req.match_pattern().is_some() {
        method_not_allowed(&req)
    } else {
        ApiError::problem(
            StatusCode::NOT_FOUND,
            "not_found",
            format!("no route matches {}", req.path()),
        )
    })
}

/// 405 for a method the address does not take.
pub fn method_not_allowed(req: &HttpRequest) -> ApiError {
    ApiError::problem(
        StatusCode::METHOD_NOT_ALLOWED,
        "method_not_allowed",
        format!("{} is not allowed on {}", req.method(), req.path()),
    )
}

/// The operational addresses at the root, outside `/api/v1`.
pub const ROOT_PATHS: [&str; 4] = ["/healthz", "/readyz", "/metrics", "/openapi.json"];
