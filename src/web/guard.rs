//! What every portal response passes through: the same-origin check of unsafe requests (the
//! first half of CSRF protection; the form token is the second, checked by
//! [`super::forms::Form`]), the anonymous form token's cookie, the security headers, and the
//! end of a flash message once shown.

use actix_web::body::{BoxBody, MessageBody};
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::header::{self, HeaderName, HeaderValue};
use actix_web::http::{Method, StatusCode};
use actix_web::middleware::Next;
use actix_web::{Error, HttpMessage, web};

use super::render::{Shown, error_page};
use super::session::{self, AnonymousToken, FLASH_COOKIE};
use crate::auth::crypto::random_token;
use crate::domain::account::Locale;
use crate::state::AppState;

/// No inline script or style, nothing from elsewhere, no frames, forms post only here.
pub const CONTENT_SECURITY_POLICY: &str = "default-src 'none'; script-src 'self'; \
style-src 'self'; img-src 'self'; connect-src 'self'; form-action 'self'; \
frame-ancestors 'none'; base-uri 'none'";

/// Whether an unsafe request comes from a page of this origin: `Sec-Fetch-Site` says so, or,
/// from browsers that do not send it, `Origin` names this host. A request with neither is
/// refused: every browser sends one of them with a form post.
pub fn same_origin(req: &ServiceRequest, public_url: &str) -> bool {
    if let Some(site) = req.headers().get("sec-fetch-site") {
        return site.as_bytes() == b"same-origin";
    }
    let Some(origin) = req
        .headers()
        .get(header::ORIGIN)
        .and_then(|v| v.to_str().ok())
    else {
        return false;
    };
    if origin.trim_end_matches('/') == public_url.trim_end_matches('/') {
        return true;
    }
    let authority = origin
        .split_once("://")
        .map(|(_, rest)| rest)
        .unwrap_or(origin);
    let host = req
        .headers()
        .get(header::HOST)
        .and_then(|v| v.to_str().ok());
    host.is_some_and(|h| h.eq_ignore_ascii_case(authority))
}

/// The portal changes things only through form posts; any other method finds no page (404
/// or 405) and changes nothing, and the API's own addresses answer it as the API does.
fn is_checked(method: &Method) -> bool {
    *method == Method::POST
}

/// The portal's middleware.
pub async fn guard(
    req: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<BoxBody>, Error> {
    let state = req.app_data::<web::Data<AppState>>().cloned();
    let (secure, public_url) = state
        .as_ref()
        .map(|s| (session::is_secure(s), s.settings.server.public_url.clone()))
        .unwrap_or((false, String::new()));
    if is_checked(req.method()) && !same_origin(&req, &public_url) {
        tracing::warn!(path = %req.path(), "cross-site request refused");
        let locale = req
            .headers()
            .get(header::ACCEPT_LANGUAGE)
            .and_then(|v| v.to_str().ok())
            .and_then(Locale::negotiate)
            .unwrap_or_default();
        let shown = Shown {
            locale,
            ..Shown::default()
        };
        let response = error_page(StatusCode::FORBIDDEN, &shown);
        return Ok(with_headers(req.into_response(response)));
    }
    let token_cookie = session::token_cookie_name(secure);
    let existing = req
        .cookie(token_cookie)
        .map(|c| c.value().to_owned())
        .filter(|v| v.len() >= 32);
    // Assets are shared and cached for a year: they never carry a cookie.
    let is_asset = req.path().starts_with("/assets/");
    let fresh = (existing.is_none() && !is_asset).then(|| random_token(32));
    if let Some(token) = existing.clone().or_else(|| fresh.clone()) {
        req.extensions_mut().insert(AnonymousToken(token));
    }
    let had_flash = req.cookie(FLASH_COOKIE).is_some();
    let mut res = next.call(req).await?.map_into_boxed_body();
    if let Some(token) = fresh {
        let _ = res
            .response_mut()
            .add_cookie(&session::cookie(token_cookie, token, secure, None));
    }
    let redirect = res.status().is_redirection();
    if had_flash && !redirect {
        let _ = res
            .response_mut()
            .add_cookie(&session::removal(FLASH_COOKIE, secure));
    }
    Ok(with_headers(res))
}

fn with_headers(mut res: ServiceResponse<BoxBody>) -> ServiceResponse<BoxBody> {
    let headers = res.headers_mut();
    if !headers.contains_key(header::CACHE_CONTROL) {
        // Pages carry a person's data and a form token: never stored by shared caches.
        headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    }
    let mut set = |name: HeaderName, value: &'static str| {
        headers.insert(name, HeaderValue::from_static(value));
    };
    set(header::CONTENT_SECURITY_POLICY, CONTENT_SECURITY_POLICY);
    set(header::X_CONTENT_TYPE_OPTIONS, "nosniff");
    set(header::REFERRER_POLICY, "same-origin");
    set(header::X_FRAME_OPTIONS, "DENY");
    set(
        HeaderName::from_static("cross-origin-opener-policy"),
        "same-origin",
    );
    set(
        HeaderName::from_static("permissions-policy"),
        "camera=(), microphone=(), geolocation=()",
    );
    res
}
