//! The one application error type. Every failure a client can see is rendered as an RFC 9457
//! `application/problem+json` document with a stable `code`; internal causes are logged with the
//! request's span (and so its request id) and answered with an opaque 500.

use std::borrow::Cow;

use actix_web::http::StatusCode;
use actix_web::http::header::{self, HeaderValue};
use actix_web::{HttpResponse, ResponseError};
use serde::Serialize;
use serde_json::{Map, Value};

use crate::db::DbError;

/// Base of every problem `type` URI.
pub const PROBLEM_BASE: &str = "https://softlanding.dev/problems/";

/// One invalid input field, named by its JSON path (`terms.max_free_days`, `sectors[2]`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct FieldError {
    pub field: String,
    pub message: String,
    /// The same message for people, in any language: a message key of the portal's catalog
    /// and its arguments. Not part of the API's answer.
    #[serde(skip)]
    #[schema(ignore)]
    pub reason: Option<Reason>,
}

/// A field error's message key (`err-...` in `locales/*/portal.ftl`) and its arguments.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reason {
    pub key: &'static str,
    pub args: Vec<(&'static str, String)>,
}

impl FieldError {
    pub fn new(field: impl Into<String>, message: impl Into<String>) -> FieldError {
        FieldError {
            field: field.into(),
            message: message.into(),
            reason: None,
        }
    }

    /// An error the portal words in the reader's language with message `key` and `args`.
    pub fn because(
        field: impl Into<String>,
        message: impl Into<String>,
        key: &'static str,
        args: Vec<(&'static str, String)>,
    ) -> FieldError {
        FieldError {
            field: field.into(),
            message: message.into(),
            reason: Some(Reason { key, args }),
        }
    }
}

/// The problem document as it goes over the wire (documented in the OpenAPI description).
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct Problem {
    #[serde(rename = "type")]
    pub kind: String,
    pub title: String,
    pub status: u16,
    pub detail: String,
    pub code: String,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub errors: Vec<FieldError>,
}

#[derive(Debug, thiserror::Error)]
pub enum ApiError {
    /// A client-visible problem with its status, code and extension members.
    #[error("{} {}: {}", .0.status, .0.code, .0.detail)]
    Problem(Box<ProblemDetails>),
    /// 422 with every bad field.
    #[error("validation failed: {0:?}")]
    Validation(Vec<FieldError>),
    /// 401 with `WWW-Authenticate: Bearer`.
    #[error("unauthorized: {0}")]
    Unauthorized(String),
    /// 429 with `Retry-After`.
    #[error("rate limited for {retry_after_secs}s")]
    RateLimited { retry_after_secs: u64 },
    /// Anything the client did not cause. The cause is logged, never sent.
    #[error("internal error: {0}")]
    Internal(String),
}

pub type ApiResult<T> = Result<T, ApiError>;

/// What a [`ApiError::Problem`] carries; boxed to keep `Result`s small.
#[derive(Debug)]
pub struct ProblemDetails {
    pub status: StatusCode,
    pub code: Cow<'static, str>,
    pub detail: String,
    pub extensions: Map<String, Value>,
}

impl ApiError {
    pub fn problem(
        status: StatusCode,
        code: impl Into<Cow<'static, str>>,
        detail: impl Into<String>,
    ) -> ApiError {
        ApiError::Problem(Box::new(ProblemDetails {
            status,
            code: code.into(),
            detail: detail.into(),
            extensions: Map::new(),
        }))
    }

    pub fn bad_request(code: &'static str, detail: impl Into<String>) -> ApiError {
        ApiError::problem(StatusCode::BAD_REQUEST, code, detail)
    }

    pub fn forbidden(detail: impl Into<String>) -> ApiError {
        ApiError::problem(StatusCode::FORBIDDEN, "forbidden", detail)
    }

    /// A 403 with a code of its own, for refusals a client may want to tell apart.
    pub fn forbidden_because(code: &'static str, detail: impl Into<String>) -> ApiError {
        ApiError::problem(StatusCode::FORBIDDEN, code, detail)
    }

    /// 404 for what does not exist or is not visible to the caller; the two look the same.
    pub fn not_found(what: &str) -> ApiError {
        ApiError::problem(
            StatusCode::NOT_FOUND,
            "not_found",
            format!("{what} not found"),
        )
    }

    pub fn conflict(code: &'static str, detail: impl Into<String>) -> ApiError {
        ApiError::problem(StatusCode::CONFLICT, code, detail)
    }

    /// 409 `illegal_transition`: the resource left the state the change was decided on, between
    /// reading it and writing it.
    pub fn changed_meanwhile(what: &str) -> ApiError {
        ApiError::conflict(
            "illegal_transition",
            format!("the {what} changed meanwhile; fetch it again"),
        )
    }

    pub fn precondition_failed() -> ApiError {
        ApiError::problem(
            StatusCode::PRECONDITION_FAILED,
            "precondition_failed",
            "If-Match does not match the current ETag; fetch the resource again",
        )
    }

    pub fn unavailable(detail: impl Into<String>) -> ApiError {
        ApiError::problem(
            StatusCode::SERVICE_UNAVAILABLE,
            "service_unavailable",
            detail,
        )
    }

    pub fn validation(errors: Vec<FieldError>) -> ApiError {
        ApiError::Validation(errors)
    }

    /// One invalid field.
    pub fn invalid(field: impl Into<String>, message: impl Into<String>) -> ApiError {
        ApiError::Validation(vec![FieldError::new(field, message)])
    }

    /// Logs `cause` in the current span and answers an opaque 500.
    pub fn internal(cause: impl std::fmt::Display) -> ApiError {
        tracing::error!(error = %cause, "internal error");
        ApiError::Internal(cause.to_string())
    }

    /// Adds an extension member to a problem (`first_full_day`, `retry_after`...).
    pub fn with(mut self, key: &str, value: impl Into<Value>) -> ApiError {
        if let ApiError::Problem(p) = &mut self {
            p.extensions.insert(key.to_owned(), value.into());
        }
        self
    }

    pub fn code(&self) -> &str {
        match self {
            ApiError::Problem(p) => &p.code,
            ApiError::Validation(_) => "validation_failed",
            ApiError::Unauthorized(_) => "unauthorized",
            ApiError::RateLimited { .. } => "rate_limited",
            ApiError::Internal(_) => "internal_error",
        }
    }

    fn detail(&self) -> String {
        match self {
            ApiError::Problem(p) => p.detail.clone(),
            ApiError::Validation(errors) => match errors.len() {
                1 => format!("{} {}", errors[0].field, errors[0].message),
                n => format!("{n} fields are invalid"),
            },
            ApiError::Unauthorized(detail) => detail.clone(),
            ApiError::RateLimited { retry_after_secs } => {
                format!("too many attempts; retry after {retry_after_secs} seconds")
            }
            ApiError::Internal(_) => {
                "an unexpected error occurred; quote the x-request-id header when reporting it"
                    .to_owned()
            }
        }
    }
}

impl ResponseError for ApiError {
    fn status_code(&self) -> StatusCode {
        match self {
            ApiError::Problem(p) => p.status,
            ApiError::Validation(_) => StatusCode::UNPROCESSABLE_ENTITY,
            ApiError::Unauthorized(_) => StatusCode::UNAUTHORIZED,
            ApiError::RateLimited { .. } => StatusCode::TOO_MANY_REQUESTS,
            ApiError::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    fn error_response(&self) -> HttpResponse {
        let status = self.status_code();
        let mut body = Map::new();
        body.insert(
            "type".into(),
            format!("{PROBLEM_BASE}{}", self.code()).into(),
        );
        body.insert(
            "title".into(),
            status.canonical_reason().unwrap_or("Error").into(),
        );
        body.insert("status".into(), status.as_u16().into());
        body.insert("detail".into(), self.detail().into());
        body.insert("code".into(), self.code().into());
        match self {
            ApiError::Validation(errors) => {
                body.insert(
                    "errors".into(),
                    serde_json::to_value(errors).unwrap_or_default(),
                );
            }
            ApiError::Problem(p) => {
                for (k, v) in &p.extensions {
                    body.entry(k.clone()).or_insert_with(|| v.clone());
                }
            }
            _ => {}
        }
        let mut response = HttpResponse::build(status);
        response.insert_header((
            header::CONTENT_TYPE,
            HeaderValue::from_static("application/problem+json"),
        ));
        match self {
            ApiError::Unauthorized(_) => {
                response.insert_header((
                    header::WWW_AUTHENTICATE,
                    HeaderValue::from_static("Bearer realm=\"softlanding\""),
                ));
            }
            ApiError::RateLimited { retry_after_secs } => {
                response.insert_header((header::RETRY_AFTER, retry_after_secs.to_string()));
            }
            ApiError::Problem(p) if p.status == StatusCode::SERVICE_UNAVAILABLE => {
                response.insert_header((header::RETRY_AFTER, "1"));
            }
            _ => {}
        }
        response.body(Value::Object(body).to_string())
    }
}

impl From<DbError> for ApiError {
    fn from(e: DbError) -> ApiError {
        match e {
            DbError::Pool(cause) => {
                tracing::warn!(error = %cause, "no database connection available");
                ApiError::unavailable("the database is busy; retry shortly")
            }
            other => ApiError::internal(other),
        }
    }
}

impl From<diesel::result::Error> for ApiError {
    fn from(e: diesel::result::Error) -> ApiError {
        ApiError::internal(e)
    }
}

impl From<actix_web::error::BlockingError> for ApiError {
    fn from(e: actix_web::error::BlockingError) -> ApiError {
        ApiError::internal(e)
    }
}
