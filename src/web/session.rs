//! Who is asking, as the portal sees it: the [`Visitor`] extractor reads the session cookie,
//! the form token, the language and the flash message of a request. The cookies' names and
//! attributes are decided here, and nowhere else.

use actix_web::cookie::{Cookie, SameSite, time::Duration as CookieDuration};
use actix_web::dev::Payload;
use actix_web::http::header::ACCEPT_LANGUAGE;
use actix_web::{FromRequest, HttpMessage, HttpRequest, web};
use futures_util::future::LocalBoxFuture;

use super::render::PageError;
use crate::auth::Principal;
use crate::domain::account::{Locale, Role};
use crate::service::sessions::{self, Current, LIFETIME};
use crate::state::AppState;

/// The form token of a visitor without a session, kept in a cookie of its own (double
/// submit); the guard sets it on the first visit.
#[derive(Debug, Clone)]
pub struct AnonymousToken(pub String);

/// The language a visitor without an account chose with the switcher.
pub const LANGUAGE_COOKIE: &str = "sl_lang";
/// A message key shown once after a redirect.
pub const FLASH_COOKIE: &str = "sl_flash";

/// The session cookie's name: with the `__Host-` prefix over HTTPS, which binds it to this
/// host and path `/` and requires `Secure`.
pub fn session_cookie_name(secure: bool) -> &'static str {
    if secure {
        "__Host-sl_session"
    } else {
        "sl_session"
    }
}

/// The anonymous form token's cookie name.
pub fn token_cookie_name(secure: bool) -> &'static str {
    if secure {
        "__Host-sl_token"
    } else {
        "sl_token"
    }
}

/// Whether the portal is served over HTTPS (its public URL says so), which makes every
/// cookie `Secure`.
pub fn is_secure(state: &AppState) -> bool {
    state.settings.server.public_url.starts_with("https://")
}

/// A cookie with the portal's attributes: path `/`, HttpOnly, SameSite=Lax, Secure over HTTPS.
pub fn cookie(
    name: &'static str,
    value: String,
    secure: bool,
    max_age: Option<CookieDuration>,
) -> Cookie<'static> {
    let mut c = Cookie::build(name, value)
        .path("/")
        .http_only(true)
        .same_site(SameSite::Lax)
        .secure(secure)
        .finish();
    if let Some(age) = max_age {
        c.set_max_age(age);
    }
    c
}

/// A cookie that removes `name` in the browser.
pub fn removal(name: &'static str, secure: bool) -> Cookie<'static> {
    cookie(name, String::new(), secure, Some(CookieDuration::ZERO))
}

/// The session cookie for a session that just began.
pub fn session_cookie(id: String, secure: bool) -> Cookie<'static> {
    cookie(
        session_cookie_name(secure),
        id,
        secure,
        Some(CookieDuration::seconds(LIFETIME.num_seconds())),
    )
}

/// The portal's view of a request.
#[derive(Debug, Clone)]
pub struct Visitor {
    pub locale: Locale,
    /// The live session, if the visitor is signed in.
    pub session: Option<Current>,
    /// The request carried a session cookie that no longer stands (over, or signed out).
    pub session_ended: bool,
    /// The token forms must send back.
    pub csrf_token: String,
    /// The path and query, for links back here after signing in.
    pub path: String,
    /// A message key to show once.
    pub flash: Option<String>,
    pub secure: bool,
    /// For a cluster's manager: how many items wait for the cluster, by list
    /// ([`crate::service::waiting::Section`]), each counted up to
    /// [`NAV_CAP`](crate::service::waiting::NAV_CAP); the navigation shows their sum.
    pub waiting: Option<[i64; 4]>,
}

impl Visitor {
    /// The signed-in person as the use cases know them.
    pub fn principal(&self) -> Option<Principal> {
        self.session.as_ref().map(Current::principal)
    }

    /// The signed-in person, or a redirect to sign in and come back here.
    pub fn signed_in(&self) -> Result<Principal, PageError> {
        self.principal()
            .ok_or_else(|| PageError::SignIn(self.path.clone()))
    }

    /// The signed-in person when `fits` says they may, a redirect to sign in when nobody is
    /// signed in, and 403 for anyone else.
    fn signed_in_as(&self, fits: impl Fn(&Principal) -> bool) -> Result<Principal, PageError> {
        let who = self.signed_in()?;
        if fits(&who) {
            Ok(who)
        } else {
            Err(PageError::status(
                actix_web::http::StatusCode::FORBIDDEN,
                self,
            ))
        }
    }

    /// A signed-in member of an SME, or a redirect to sign in; 403 for anyone else.
    pub fn sme_member(&self) -> Result<Principal, PageError> {
        self.signed_in_as(|p| p.role == Role::SmeMember && p.sme_id.is_some())
    }

    /// A signed-in manager of a cluster, or a redirect to sign in; 403 for anyone else.
    pub fn manager(&self) -> Result<Principal, PageError> {
        self.signed_in_as(|p| p.role == Role::ClusterManager && p.cluster_id.is_some())
    }

    /// The signed-in coordinator, or a redirect to sign in; 403 for anyone else.
    pub fn admin(&self) -> Result<Principal, PageError> {
        self.signed_in_as(|p| p.role == Role::Admin)
    }

    pub fn role(&self) -> Option<Role> {
        self.session.as_ref().map(|s| s.user.role)
    }
}

impl FromRequest for Visitor {
    type Error = actix_web::Error;
    type Future = LocalBoxFuture<'static, Result<Visitor, actix_web::Error>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        let req = req.clone();
        Box::pin(async move {
            let state = req
                .app_data::<web::Data<AppState>>()
                .cloned()
                .ok_or_else(|| actix_web::error::ErrorInternalServerError("no state"))?;
            let secure = is_secure(&state);
            let cookie_id = req
                .cookie(session_cookie_name(secure))
                .map(|c| c.value().to_owned())
                .filter(|v| !v.is_empty());
            let session = match &cookie_id {
                Some(id) => sessions::resume(&state, id).await.map_err(|e| {
                    tracing::error!(error = %e, "cannot read a portal session");
                    actix_web::error::ErrorServiceUnavailable("try again")
                })?,
                None => None,
            };
            let anonymous = req
                .extensions()
                .get::<AnonymousToken>()
                .map(|t| t.0.clone())
                .unwrap_or_default();
            let csrf_token = session
                .as_ref()
                .map(|s| s.csrf_token.clone())
                .unwrap_or(anonymous);
            let locale = session
                .as_ref()
                .and_then(|s| s.user.locale)
                .or_else(|| {
                    req.cookie(LANGUAGE_COOKIE)
                        .and_then(|c| Locale::parse(c.value()))
                })
                .or_else(|| {
                    req.headers()
                        .get(ACCEPT_LANGUAGE)
                        .and_then(|v| v.to_str().ok())
                        .and_then(Locale::negotiate)
                })
                .unwrap_or_default();
            let path = if req.method() == actix_web::http::Method::POST {
                page_of_form(&req)
            } else {
                match req.query_string() {
                    "" => req.path().to_owned(),
                    q => format!("{}?{q}", req.path()),
                }
            };
            let waiting = session.as_ref().and_then(|s| s.waiting);
            Ok(Visitor {
                waiting,
                locale,
                session_ended: cookie_id.is_some() && session.is_none(),
                session,
                csrf_token,
                path,
                flash: req
                    .cookie(FLASH_COOKIE)
                    .map(|c| c.value().to_owned())
                    .filter(|k| k.starts_with("flash-")),
                secure,
            })
        })
    }
}

/// The page a posted form came from, to return to after signing in again: the `Referer` when
/// it is a page of this site, otherwise the address the form posted to without its last part
/// (`/landings/{id}/cancel` → `/landings/{id}`, `/sme/members` → `/sme`).
fn page_of_form(req: &HttpRequest) -> String {
    let host = req
        .headers()
        .get(actix_web::http::header::HOST)
        .and_then(|h| h.to_str().ok())
        .unwrap_or("");
    let from_referer = req
        .headers()
        .get(actix_web::http::header::REFERER)
        .and_then(|r| r.to_str().ok())
        .and_then(|r| url::Url::parse(r).ok())
        .filter(|u| {
            let authority = match u.port() {
                Some(port) => format!("{}:{port}", u.host_str().unwrap_or("")),
                None => u.host_str().unwrap_or("").to_owned(),
            };
            !host.is_empty() && authority.eq_ignore_ascii_case(host)
        })
        .map(|u| match u.query() {
            Some(q) => format!("{}?{q}", u.path()),
            None => u.path().to_owned(),
        });
    from_referer.unwrap_or_else(|| {
        let path = req.path().trim_end_matches('/');
        match path.rsplit_once('/') {
            Some(("", _)) | None => "/".to_owned(),
            Some((parent, _)) => parent.to_owned(),
        }
    })
}
