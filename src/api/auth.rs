//! `/auth/*` and `/me`: the OAuth 2.0 token endpoint (RFC 6749), revocation (RFC 7009),
//! password resets, who a token is, and a person's change to their own name and language.

use actix_web::http::StatusCode;
use actix_web::http::header::{self, CONTENT_TYPE};
use actix_web::{HttpRequest, HttpResponse, get, patch, post, web};
use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use serde::{Deserialize, Serialize};
use serde_json::json;

use super::extract::{Input, Json, MAX_BODY_BYTES, not_null, read_body, unsupported};
use crate::auth::Principal;
use crate::auth::client_address::ClientAddress;
use crate::auth::flows::{self, GrantError, Issued};
use crate::auth::jwt::SubjectKind;
use crate::db::accounts::UserRow;
use crate::domain::account::{AccountChange, Email, Locale, Password, Role};
use crate::error::{ApiError, ApiResult, FieldError};
use crate::service::accounts;
use crate::state::AppState;

/// Parameters of the token endpoint, form-encoded or JSON. Unknown parameters are ignored,
/// as RFC 6749 asks.
#[derive(Debug, Default, Deserialize, utoipa::ToSchema)]
pub struct TokenRequest {
    pub grant_type: Option<String>,
    pub username: Option<String>,
    pub password: Option<String>,
    pub client_id: Option<String>,
    pub client_secret: Option<String>,
    pub refresh_token: Option<String>,
    pub scope: Option<String>,
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct TokenResponse {
    pub access_token: String,
    pub token_type: &'static str,
    pub expires_in: i64,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub refresh_token: Option<String>,
}

/// An RFC 6749 §5.2 error body.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct OAuthError {
    pub error: &'static str,
    pub error_description: String,
}

fn oauth_error(error: GrantError) -> HttpResponse {
    let (status, code, description, basic) = match error {
        GrantError::InvalidRequest(d) => (StatusCode::BAD_REQUEST, "invalid_request", d, false),
        GrantError::InvalidGrant(d) => (StatusCode::BAD_REQUEST, "invalid_grant", d, false),
        GrantError::Unconfirmed => (
            StatusCode::BAD_REQUEST,
            "invalid_grant",
            "confirm your email address first: follow the link in the email we sent to it"
                .to_owned(),
            false,
        ),
        GrantError::UnsupportedGrantType(d) => {
            (StatusCode::BAD_REQUEST, "unsupported_grant_type", d, false)
        }
        GrantError::InvalidClient { basic } => (
            StatusCode::UNAUTHORIZED,
            "invalid_client",
            "client authentication failed".to_owned(),
            basic,
        ),
        GrantError::RateLimited(secs) => {
            return actix_web::ResponseError::error_response(&ApiError::RateLimited {
                retry_after_secs: secs,
            });
        }
        GrantError::Server(e) => return actix_web::ResponseError::error_response(&*e),
    };
    let mut response = HttpResponse::build(status);
    response
        .insert_header((header::CACHE_CONTROL, "no-store"))
        .insert_header((header::PRAGMA, "no-cache"));
    if status == StatusCode::UNAUTHORIZED {
        let scheme = if basic {
            "Basic realm=\"softlanding\""
        } else {
            "Basic realm=\"softlanding\", Bearer realm=\"softlanding\""
        };
        response.insert_header((header::WWW_AUTHENTICATE, scheme));
    }
    response.json(OAuthError {
        error: code,
        error_description: description,
    })
}

fn essence(req: &HttpRequest) -> String {
    req.headers()
        .get(CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.split(';').next())
        .unwrap_or("")
        .trim()
        .to_ascii_lowercase()
}

/// Reads a form-encoded or JSON body of string parameters.
async fn read_params<T: serde::de::DeserializeOwned + Default>(
    req: &HttpRequest,
    payload: web::Payload,
) -> Result<T, Result<HttpResponse, ApiError>> {
    if req
        .headers()
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<usize>().ok())
        .is_some_and(|n| n > MAX_BODY_BYTES)
    {
        return Err(Err(super::extract::too_large()));
    }
    let body = read_body(payload, super::extract::body_timeout(req))
        .await
        .map_err(Err)?;
    let content_type = essence(req);
    let parsed = match content_type.as_str() {
        "application/x-www-form-urlencoded" => serde_urlencoded::from_bytes::<T>(&body)
            .map_err(|e| format!("the form is invalid: {e}")),
        "application/json" => {
            serde_json::from_slice::<T>(&body).map_err(|e| format!("the JSON body is invalid: {e}"))
        }
        "" if body.is_empty() => Ok(T::default()),
        other => return Err(Err(unsupported(other))),
    };
    parsed.map_err(|d| Ok(oauth_error(GrantError::InvalidRequest(d))))
}

/// `client_id:client_secret` from HTTP Basic (RFC 6749 §2.3.1).
fn basic_credentials(req: &HttpRequest) -> Option<(String, String)> {
    let value = req.headers().get(header::AUTHORIZATION)?.to_str().ok()?;
    let (scheme, encoded) = value.split_once(' ')?;
    if !scheme.eq_ignore_ascii_case("basic") {
        return None;
    }
    let decoded = String::from_utf8(STANDARD.decode(encoded.trim()).ok()?).ok()?;
    let (id, secret) = decoded.split_once(':')?;
    let unescape = |s: &str| {
        url::form_urlencoded::parse(format!("v={s}").as_bytes())
            .next()
            .map(|(_, v)| v.into_owned())
            .unwrap_or_default()
    };
    let (id, secret) = (unescape(id), unescape(secret));
    // Credentials never hold control characters; such a header names no client.
    if id.chars().chain(secret.chars()).any(char::is_control) {
        return None;
    }
    Some((id, secret))
}

fn required(value: Option<String>, name: &str) -> Result<String, GrantError> {
    let value = value
        .filter(|v| !v.is_empty())
        .ok_or_else(|| GrantError::InvalidRequest(format!("`{name}` is required")))?;
    if value.chars().any(char::is_control) {
        return Err(GrantError::InvalidRequest(format!(
            "`{name}` must not contain control characters"
        )));
    }
    Ok(value)
}

/// Issues access tokens: `password`, `client_credentials` (body or HTTP Basic) and
/// `refresh_token` grants, form-encoded or JSON.
#[utoipa::path(
    tag = "auth",
    request_body(content(
        (TokenRequest = "application/x-www-form-urlencoded"),
        (TokenRequest = "application/json")
    )),
    responses(
        (status = 200, body = TokenResponse),
        (status = 400, body = OAuthError, description = "invalid_request, invalid_grant or unsupported_grant_type"),
        (status = 401, body = OAuthError, description = "invalid_client"),
        (status = 429, body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 503, body = crate::error::Problem, content_type = "application/problem+json",
            description = "`busy`: too many password checks in progress; see `Retry-After`")
    )
)]
#[post("/auth/token")]
pub async fn issue_token(
    req: HttpRequest,
    client: ClientAddress,
    payload: web::Payload,
    state: web::Data<AppState>,
) -> ApiResult<HttpResponse> {
    let params: TokenRequest = match read_params(&req, payload).await {
        Ok(p) => p,
        Err(done) => return done,
    };
    let ClientAddress(address) = client;
    let basic = basic_credentials(&req);
    let grant = params.grant_type.clone().unwrap_or_default();
    let state = state.into_inner();
    let result: Result<Issued, GrantError> = match grant.as_str() {
        "password" => {
            match (
                required(params.username, "username"),
                required(params.password, "password"),
            ) {
                (Ok(username), Ok(password)) => {
                    flows::password_grant(state.clone(), &address, &username, password).await
                }
                (Err(e), _) | (_, Err(e)) => Err(e),
            }
        }
        "client_credentials" => {
            let (from_basic, creds) = match basic {
                Some(pair) => (true, Ok(pair)),
                None => (
                    false,
                    required(params.client_id, "client_id").and_then(|id| {
                        required(params.client_secret, "client_secret").map(|s| (id, s))
                    }),
                ),
            };
            match creds {
                Ok((client_id, secret)) => {
                    accounts::client_credentials(
                        state.clone(),
                        address,
                        client_id,
                        secret,
                        from_basic,
                    )
                    .await
                }
                Err(e) => Err(e),
            }
        }
        "refresh_token" => match required(params.refresh_token, "refresh_token") {
            Ok(presented) => accounts::refresh(state.clone(), presented).await,
            Err(e) => Err(e),
        },
        "" => Err(GrantError::InvalidRequest(
            "`grant_type` is required".into(),
        )),
        other => Err(GrantError::UnsupportedGrantType(format!(
            "`{other}` is not supported; use password, client_credentials or refresh_token"
        ))),
    };
    Ok(match result {
        Ok(issued) => HttpResponse::Ok()
            .insert_header((header::CACHE_CONTROL, "no-store"))
            .insert_header((header::PRAGMA, "no-cache"))
            .json(TokenResponse {
                access_token: issued.access_token,
                token_type: "Bearer",
                expires_in: issued.expires_in,
                refresh_token: issued.refresh_token,
            }),
        Err(e) => oauth_error(e),
    })
}

#[derive(Debug, Default, Deserialize, utoipa::ToSchema)]
pub struct RevokeRequest {
    pub token: Option<String>,
    pub token_type_hint: Option<String>,
}

/// Revokes a refresh token and the session it belongs to (RFC 7009); always 200.
#[utoipa::path(
    tag = "auth",
    request_body(content(
        (RevokeRequest = "application/x-www-form-urlencoded"),
        (RevokeRequest = "application/json")
    )),
    responses((status = 200, description = "Revoked, or nothing to revoke"))
)]
#[post("/auth/revoke")]
pub async fn revoke_token(
    req: HttpRequest,
    payload: web::Payload,
    state: web::Data<AppState>,
) -> ApiResult<HttpResponse> {
    let params: RevokeRequest = match read_params(&req, payload).await {
        Ok(p) => p,
        Err(done) => return done,
    };
    if let Some(token) = params.token.filter(|t| !t.is_empty()) {
        accounts::revoke(&state, token).await?;
    }
    Ok(HttpResponse::Ok()
        .insert_header((header::CACHE_CONTROL, "no-store"))
        .json(json!({})))
}

#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PasswordResetRequest {
    pub email: Option<String>,
}

impl Input for PasswordResetRequest {
    type Parsed = Email;

    fn parse(self) -> Result<Email, Vec<FieldError>> {
        Email::parse(self.email.as_deref().unwrap_or(""))
            .map_err(|m| vec![FieldError::new("email", m)])
    }
}

/// Mails a one-time link to set a new password, if the account exists. Always 202.
#[utoipa::path(
    tag = "auth",
    request_body = PasswordResetRequest,
    responses(
        (status = 202, description = "Accepted; a link is mailed if the account exists"),
        (status = 422, body = crate::error::Problem, content_type = "application/problem+json")
    )
)]
#[post("/auth/password-reset")]
pub async fn password_reset(
    state: web::Data<AppState>,
    Json(email): Json<PasswordResetRequest>,
) -> ApiResult<HttpResponse> {
    accounts::request_password_reset(&state, email).await?;
    Ok(HttpResponse::Accepted().json(json!({
        "detail": "if an account uses this address, a link to set a new password is on its way"
    })))
}

#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PasswordConfirmRequest {
    pub token: Option<String>,
    pub new_password: Option<String>,
}

pub struct PasswordConfirm {
    token: String,
    password: Password,
}

impl Input for PasswordConfirmRequest {
    type Parsed = PasswordConfirm;

    fn parse(self) -> Result<PasswordConfirm, Vec<FieldError>> {
        let mut errors = Vec::new();
        let token = self.token.filter(|t| !t.is_empty());
        if token.is_none() {
            errors.push(FieldError::new("token", "is required"));
        }
        let password = match self.new_password.as_deref() {
            None => {
                errors.push(FieldError::new("new_password", "is required"));
                None
            }
            Some(raw) => Password::parse(raw)
                .map_err(|m| errors.push(FieldError::new("new_password", m)))
                .ok(),
        };
        match (token, password) {
            (Some(token), Some(password)) if errors.is_empty() => {
                Ok(PasswordConfirm { token, password })
            }
            _ => Err(errors),
        }
    }
}

/// Sets a new password with a reset or invitation token; the token works once.
#[utoipa::path(
    tag = "auth",
    request_body = PasswordConfirmRequest,
    responses(
        (status = 204, description = "The password is set; earlier sessions are ended"),
        (status = 422, body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 429, body = crate::error::Problem, content_type = "application/problem+json",
            description = "`rate_limited`: too many unknown tokens from this address; see `Retry-After`"),
        (status = 503, body = crate::error::Problem, content_type = "application/problem+json",
            description = "`busy`: too many password checks in progress; see `Retry-After`")
    )
)]
#[post("/auth/password-reset/confirm")]
pub async fn password_reset_confirm(
    state: web::Data<AppState>,
    ClientAddress(address): ClientAddress,
    Json(input): Json<PasswordConfirmRequest>,
) -> ApiResult<HttpResponse> {
    flows::set_password_with_token(&state, &address, input.token, &input.password).await?;
    Ok(HttpResponse::NoContent().finish())
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct Me {
    pub id: String,
    pub kind: &'static str,
    pub role: Role,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub email: Option<String>,
    /// The person's name (people only).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub cluster_id: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub sme_id: Option<String>,
    /// The language of the person's portal and emails; `null` until they choose one (the
    /// portal then follows the browser, and emails are in English).
    pub locale: Option<Locale>,
}

impl Me {
    fn new(principal: Principal, account: Option<UserRow>) -> Me {
        let (name, locale) = match account {
            Some(user) => (Some(user.name), user.locale),
            None => (None, None),
        };
        Me {
            id: principal.id,
            kind: match principal.kind {
                SubjectKind::User => "user",
                SubjectKind::ApiClient => "api_client",
            },
            role: principal.role,
            email: principal.email,
            name,
            cluster_id: principal.cluster_id,
            sme_id: principal.sme_id,
            locale,
        }
    }
}

/// Who the access token speaks for.
#[utoipa::path(
    tag = "auth",
    security(("bearer" = [])),
    responses(
        (status = 200, body = Me),
        (status = 401, body = crate::error::Problem, content_type = "application/problem+json")
    )
)]
#[get("/me")]
pub async fn me(state: web::Data<AppState>, principal: Principal) -> ApiResult<web::Json<Me>> {
    let account = accounts::account_of(&state, &principal).await?;
    Ok(web::Json(Me::new(principal, account)))
}

/// A person's change to their own account: only the fields present change; neither takes
/// `null`.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PatchMeRequest {
    #[serde(default, deserialize_with = "not_null")]
    #[schema(value_type = String, min_length = 1, max_length = 200)]
    pub name: Option<String>,
    /// `en`, `de`, `sv` or `fr`.
    #[serde(default, deserialize_with = "not_null")]
    #[schema(value_type = Locale)]
    pub locale: Option<String>,
}

impl Input for PatchMeRequest {
    type Parsed = AccountChange;

    fn parse(self) -> Result<AccountChange, Vec<FieldError>> {
        AccountChange::parse(self.name.as_deref(), self.locale.as_deref())
    }
}

/// Changes the caller's own name or language (people only; an API client gets 403
/// `people_only`). The language is that of the portal and of every email the person receives.
#[utoipa::path(
    tag = "auth",
    security(("bearer" = [])),
    request_body = PatchMeRequest,
    responses(
        (status = 200, body = Me),
        (status = 401, body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 403, body = crate::error::Problem, content_type = "application/problem+json",
            description = "`people_only`: an API client has no account to change"),
        (status = 422, body = crate::error::Problem, content_type = "application/problem+json")
    )
)]
#[patch("/me")]
pub async fn patch_me(
    state: web::Data<AppState>,
    principal: Principal,
    Json(change): Json<PatchMeRequest>,
) -> ApiResult<web::Json<Me>> {
    let (name, locale) = change.into_parts();
    let account = accounts::update_me(&state, &principal, name, locale).await?;
    Ok(web::Json(Me::new(principal, Some(account))))
}

#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ConfirmEmailRequest {
    pub token: Option<String>,
}

impl Input for ConfirmEmailRequest {
    type Parsed = String;

    fn parse(self) -> Result<String, Vec<FieldError>> {
        self.token
            .filter(|t| !t.is_empty())
            .ok_or_else(|| vec![FieldError::new("token", "is required")])
    }
}

/// Confirms the address of an SME's sign-up with the token of the emailed link; until then the
/// contact cannot sign in.
#[utoipa::path(
    tag = "auth",
    request_body = ConfirmEmailRequest,
    responses(
        (status = 204, description = "The address is confirmed; the contact can sign in"),
        (status = 422, body = crate::error::Problem, content_type = "application/problem+json")
    )
)]
#[post("/auth/confirm-email")]
pub async fn confirm_email(
    state: web::Data<AppState>,
    Json(token): Json<ConfirmEmailRequest>,
) -> ApiResult<HttpResponse> {
    if accounts::confirm_email(&state, token).await? {
        Ok(HttpResponse::NoContent().finish())
    } else {
        Err(ApiError::invalid(
            "token",
            "is invalid, already used or expired",
        ))
    }
}
