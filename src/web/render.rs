//! Rendering pages: the portal's minijinja templates (embedded from `templates/portal/`), the
//! context every page shares (language, person, form token, assets), and the error pages,
//! which look like the rest of the portal and say nothing about why beyond the status.

use std::sync::LazyLock;

use actix_web::http::StatusCode;
use actix_web::http::header::{CONTENT_TYPE, LOCATION};
use actix_web::{HttpResponse, ResponseError};
use minijinja::{Environment, Value, context};
use serde::Serialize;

use super::assets;
use super::session::Visitor;
use crate::domain::account::{Locale, Role};
use crate::error::ApiError;
use crate::service::waiting::NAV_CAP;

macro_rules! templates {
    ($env:ident, $($name:literal),* $(,)?) => {
        $(
            $env.add_template(
                $name,
                include_str!(concat!("../../templates/portal/", $name)),
            )
            .expect("a portal template parses");
        )*
    };
}

static ENV: LazyLock<Environment<'static>> = LazyLock::new(|| {
    let mut env = Environment::new();
    env.set_undefined_behavior(minijinja::UndefinedBehavior::Chainable);
    crate::i18n::register(&mut env);
    // Asset paths are ours, not input: written as they are (no `&#x2f;` for each slash).
    env.add_function("asset", |name: &str| {
        Value::from_safe_string(assets::path(name))
    });
    templates!(
        env,
        "layout.html",
        "macros.html",
        "error.html",
        "home.html",
        "offers.html",
        "offer_results.html",
        "offer.html",
        "calendar.html",
        "clusters.html",
        "cluster.html",
        "sign_in.html",
        "sign_up.html",
        "sign_up_done.html",
        "confirm_email.html",
        "forgot_password.html",
        "set_password.html",
        "landings.html",
        "landing.html",
        "landing_new.html",
        "sme.html",
        "account.html",
        "manage.html",
        "manage_item.html",
        "manage_decided.html",
        "manage_nav.html",
        "manage_smes.html",
        "manage_partnerships.html",
        "manage_partnership.html",
        // The coordinator's pages (/admin).
        "admin_nav.html",
        "admin.html",
        "admin_clusters.html",
        "admin_reports.html",
        "admin_outbox.html",
        "admin_users.html",
    );
    // The managers' offers (/manage/offers).
    templates!(
        env,
        "manage_offers.html",
        "manage_offer_new.html",
        "manage_offer_form.html",
        "manage_offer.html",
        "manage_offer_calendar.html",
    );
    // The managers' cluster and reports pages.
    templates!(
        env,
        "manage_cluster.html",
        "manage_webhooks.html",
        "manage_webhook.html",
        "manage_webhook_secret.html",
        "manage_webhook_fields.html",
        "manage_reports.html",
    );
    env
});

#[derive(Serialize)]
struct Person<'a> {
    name: &'a str,
    email: &'a str,
    role: Role,
    is_sme: bool,
    is_manager: bool,
    is_admin: bool,
}

#[derive(Serialize)]
struct LanguageChoice {
    code: &'static str,
    name: &'static str,
    current: bool,
}

/// The switcher's choices (none where its form could not be posted).
fn languages_for(current: Locale, shown: bool) -> Vec<LanguageChoice> {
    if !shown {
        return Vec::new();
    }
    Locale::ALL
        .iter()
        .map(|l| LanguageChoice {
            code: l.as_str(),
            name: l.native_name(),
            current: *l == current,
        })
        .collect()
}

/// What every page's template can read.
fn shared(visitor: &Visitor) -> Value {
    let person = visitor.session.as_ref().map(|s| Person {
        name: &s.user.name,
        email: &s.user.email,
        role: s.user.role,
        is_sme: s.user.role == Role::SmeMember,
        is_manager: s.user.role == Role::ClusterManager,
        is_admin: s.user.role == Role::Admin,
    });
    let languages = languages_for(visitor.locale, true);
    context! {
        locale => visitor.locale.as_str(),
        languages => languages,
        person => person,
        csrf_token => &visitor.csrf_token,
        here => &visitor.path,
        flash => &visitor.flash,
        waiting => visitor.waiting.and_then(|counts| waiting_badge(counts.iter().sum())),
    }
}

/// What the navigation says of `total` items waiting, nothing when none do. The lists are
/// counted only up to [`NAV_CAP`] each, so from that many on it says "99+".
pub fn waiting_badge(total: i64) -> Option<String> {
    match total {
        ..=0 => None,
        n if n < NAV_CAP => Some(n.to_string()),
        _ => Some(format!("{}+", NAV_CAP - 1)),
    }
}

fn render(template: &str, ctx: Value) -> Result<String, minijinja::Error> {
    ENV.get_template(template)?.render(ctx)
}

/// The page `template` with `ctx` and the shared context, as `status`.
pub fn page_with_status(
    visitor: &Visitor,
    status: StatusCode,
    template: &str,
    ctx: Value,
) -> Result<HttpResponse, PageError> {
    let merged = context! { ..ctx, ..shared(visitor) };
    match render(template, merged) {
        Ok(html) => Ok(html_response(status, html)),
        Err(e) => {
            tracing::error!(template, error = %e, "a portal page did not render");
            Err(PageError::Status(
                StatusCode::INTERNAL_SERVER_ERROR,
                Shown::of(visitor),
            ))
        }
    }
}

/// The page `template` with `ctx`, as 200.
pub fn page(visitor: &Visitor, template: &str, ctx: Value) -> Result<HttpResponse, PageError> {
    page_with_status(visitor, StatusCode::OK, template, ctx)
}

fn html_response(status: StatusCode, html: String) -> HttpResponse {
    HttpResponse::build(status)
        .insert_header((CONTENT_TYPE, "text/html; charset=utf-8"))
        .body(html)
}

/// A 303 to `to`, after a form post.
pub fn see_other(to: &str) -> HttpResponse {
    HttpResponse::SeeOther()
        .insert_header((LOCATION, to))
        .finish()
}

/// A 303 to `to` that shows the message `flash_key` there once.
pub fn see_other_with(visitor: &Visitor, to: &str, flash_key: &'static str) -> HttpResponse {
    let mut response = see_other(to);
    let _ = response.add_cookie(&super::session::cookie(
        super::session::FLASH_COOKIE,
        flash_key.to_owned(),
        visitor.secure,
        None,
    ));
    response
}

/// What an error page shows besides its status: the visitor's language, and the switcher's
/// form token and way back (empty when the request was refused before the visitor was known).
#[derive(Debug, Clone, Default)]
pub struct Shown {
    pub locale: Locale,
    pub token: String,
    pub here: String,
}

impl Shown {
    fn of(visitor: &Visitor) -> Shown {
        Shown {
            locale: visitor.locale,
            token: visitor.csrf_token.clone(),
            here: visitor.path.clone(),
        }
    }
}

/// The error page for `status`, in `locale`, with no person-specific navigation and no detail.
pub fn error_page(status: StatusCode, shown: &Shown) -> HttpResponse {
    let locale = shown.locale;
    // The page words each status it is used for; any other is told as its class.
    let code = match status.as_u16() {
        c @ (400 | 403 | 404 | 405 | 409 | 413 | 422 | 429 | 500 | 503) => c,
        c if c >= 500 => 500,
        _ => 400,
    };
    let ctx = context! {
        locale => locale.as_str(),
        status => code,
        languages => languages_for(locale, !shown.token.is_empty()),
        csrf_token => &shown.token,
        here => if shown.here.is_empty() { "/" } else { shown.here.as_str() },
    };
    match render("error.html", ctx) {
        Ok(html) => html_response(status, html),
        Err(e) => {
            tracing::error!(error = %e, "the error page did not render");
            HttpResponse::build(status)
                .insert_header((CONTENT_TYPE, "text/plain; charset=utf-8"))
                .body(status.canonical_reason().unwrap_or("error"))
        }
    }
}

/// Why a page cannot be shown.
#[derive(Debug)]
pub enum PageError {
    /// Sign in first, then come back to this path.
    SignIn(String),
    /// An error page.
    Status(StatusCode, Shown),
    /// Too many attempts: try again after the seconds given.
    Busy(u64, Shown),
}

impl PageError {
    pub fn status(status: StatusCode, visitor: &Visitor) -> PageError {
        PageError::Status(status, Shown::of(visitor))
    }

    pub fn not_found(visitor: &Visitor) -> PageError {
        PageError::status(StatusCode::NOT_FOUND, visitor)
    }

    /// Too many attempts; try again in `secs` seconds.
    pub fn busy(secs: u64, visitor: &Visitor) -> PageError {
        PageError::Busy(secs, Shown::of(visitor))
    }

    /// A use case's refusal, as a page: 401 sends to sign-in, 404 and 403 look like
    /// themselves, and what is not the visitor's doing is a 500 page (logged where it
    /// happened).
    pub fn from_api(error: ApiError, visitor: &Visitor) -> PageError {
        let status = error.status_code();
        match error {
            ApiError::Unauthorized(_) => PageError::SignIn(visitor.path.clone()),
            ApiError::RateLimited { retry_after_secs } => {
                PageError::busy(retry_after_secs, visitor)
            }
            _ if status.is_server_error() => {
                tracing::error!(error = %error, "a portal page failed");
                PageError::status(status, visitor)
            }
            _ => PageError::status(status, visitor),
        }
    }
}

impl std::fmt::Display for PageError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            PageError::SignIn(_) => f.write_str("sign in first"),
            PageError::Status(status, _) => write!(f, "{status}"),
            PageError::Busy(secs, _) => write!(f, "busy for {secs}s"),
        }
    }
}

impl ResponseError for PageError {
    fn status_code(&self) -> StatusCode {
        match self {
            PageError::SignIn(_) => StatusCode::SEE_OTHER,
            PageError::Status(status, _) => *status,
            PageError::Busy(..) => StatusCode::TOO_MANY_REQUESTS,
        }
    }

    fn error_response(&self) -> HttpResponse {
        match self {
            PageError::SignIn(next) => {
                let to = format!(
                    "/sign-in?{}",
                    serde_urlencoded::to_string([("next", next.as_str())]).unwrap_or_default()
                );
                see_other(&to)
            }
            PageError::Status(status, shown) => error_page(*status, shown),
            PageError::Busy(secs, shown) => {
                let mut response = error_page(StatusCode::TOO_MANY_REQUESTS, shown);
                if let Ok(value) = actix_web::http::header::HeaderValue::from_str(&secs.to_string())
                {
                    response
                        .headers_mut()
                        .insert(actix_web::http::header::RETRY_AFTER, value);
                }
                response
            }
        }
    }
}

/// Turns a use case's error into a page error.
pub trait OrPage<T> {
    fn or_page(self, visitor: &Visitor) -> Result<T, PageError>;
}

impl<T> OrPage<T> for Result<T, ApiError> {
    fn or_page(self, visitor: &Visitor) -> Result<T, PageError> {
        self.map_err(|e| PageError::from_api(e, visitor))
    }
}

pub type PageResult = Result<HttpResponse, PageError>;
