//! The portal: the people's way into softlanding, served beside `/api/v1` by the same binary.
//! Pages are HTML rendered on the server, work without JavaScript, and are enhanced with htmx
//! where it helps. A page handler extracts, calls the same use case as the API (never the API
//! over HTTP), and renders; it holds no rule of its own.
//!
//! - [`session`]: who is asking (session cookie, language, form token);
//! - [`guard`]: same-origin checks, security headers, cookies on every response;
//! - [`forms`]: posted forms, their token check and their errors at the fields;
//! - [`render`]: templates (`templates/portal/`), shared context and error pages;
//! - [`assets`]: htmx, the style sheet and the icon, embedded under hashed names;
//! - [`pages`]: one module per area (public pages, signing in, landings, the SME, the account).

pub mod assets;
pub mod forms;
pub mod guard;
pub mod pages;
pub mod render;
pub mod session;
pub mod views;

use actix_web::middleware::from_fn;
use actix_web::{HttpRequest, HttpResponse, web};

use render::PageError;
use session::Visitor;

/// Registers the portal's pages; mount it after the API so `/api/...` never reaches it.
pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.service(
        web::scope("")
            .wrap(from_fn(guard::guard))
            .route("/assets/{file}", web::get().to(assets::serve))
            .configure(pages::configure)
            .default_service(web::to(not_found)),
    );
}

/// Any other address: the portal's 404 page (405 for a known page and another method); under
/// `/api/` the API's problem document instead.
async fn not_found(req: HttpRequest, visitor: Visitor) -> Result<HttpResponse, actix_web::Error> {
    if req.path() == "/api" || req.path().starts_with("/api/") {
        return crate::api::fallback(req).await.map_err(Into::into);
    }
    if crate::api::ROOT_PATHS.contains(&req.path()) {
        return Err(crate::api::method_not_allowed(&req).into());
    }
    let status = if req.match_pattern().is_some() {
        actix_web::http::StatusCode::METHOD_NOT_ALLOWED
    } else {
        actix_web::http::StatusCode::NOT_FOUND
    };
    Err(PageError::status(status, &visitor).into())
}
