//! Forms: a posted form arrives as [`Submitted`], which refuses it unless its token matches
//! the visitor's (the second half of CSRF protection), and field errors become messages at
//! their fields, in the reader's language.

use std::collections::BTreeMap;

use actix_web::dev::Payload;
use actix_web::http::StatusCode;
use actix_web::{FromRequest, HttpRequest, web};
use futures_util::future::LocalBoxFuture;
use serde::Serialize;

use super::render::PageError;
use super::session::Visitor;
use crate::auth::crypto::constant_time_eq;
use crate::error::{ApiError, FieldError};
use crate::i18n::{self, Arg};

/// The largest form the portal reads.
const MAX_FORM_BYTES: usize = 64 * 1024;

/// A form's fields as posted, in order (a name may repeat, as checkboxes do).
#[derive(Debug, Clone, Default)]
pub struct FormData {
    pairs: Vec<(String, String)>,
}

impl FormData {
    pub fn from_pairs(pairs: Vec<(String, String)>) -> FormData {
        FormData { pairs }
    }

    /// The field's value, trimmed; `None` when absent or blank.
    pub fn get(&self, name: &str) -> Option<String> {
        self.pairs
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.trim().to_owned())
            .filter(|v| !v.is_empty())
    }

    /// The field's value exactly as typed (passwords keep their spaces).
    pub fn raw(&self, name: &str) -> Option<String> {
        self.pairs
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.clone())
            .filter(|v| !v.is_empty())
    }

    /// Every non-blank value of a repeated field.
    pub fn all(&self, name: &str) -> Vec<String> {
        self.pairs
            .iter()
            .filter(|(k, v)| k == name && !v.trim().is_empty())
            .map(|(_, v)| v.trim().to_owned())
            .collect()
    }

    /// The fields to show again in a form that failed; secrets are never sent back.
    pub fn echo(&self) -> BTreeMap<String, String> {
        self.pairs
            .iter()
            .filter(|(k, _)| !k.contains("password") && k != "csrf_token" && k != "token")
            .map(|(k, v)| (k.clone(), v.clone()))
            .collect()
    }
}

/// A posted form whose token matched, and who posted it.
pub struct Submitted {
    pub visitor: Visitor,
    pub data: FormData,
}

impl FromRequest for Submitted {
    type Error = actix_web::Error;
    type Future = LocalBoxFuture<'static, Result<Submitted, actix_web::Error>>;

    fn from_request(req: &HttpRequest, payload: &mut Payload) -> Self::Future {
        let req = req.clone();
        let body = web::Bytes::from_request(&req, payload);
        Box::pin(async move {
            let visitor = Visitor::extract(&req).await?;
            let refused = || PageError::status(StatusCode::FORBIDDEN, &visitor);
            let body = body.await.map_err(|_| refused())?;
            if body.len() > MAX_FORM_BYTES {
                return Err(PageError::status(StatusCode::PAYLOAD_TOO_LARGE, &visitor).into());
            }
            let pairs: Vec<(String, String)> = serde_urlencoded::from_bytes(&body)
                .map_err(|_| PageError::status(StatusCode::BAD_REQUEST, &visitor))?;
            let data = FormData::from_pairs(pairs);
            let sent = data.raw("csrf_token").or_else(|| {
                req.headers()
                    .get("x-csrf-token")
                    .and_then(|v| v.to_str().ok())
                    .map(str::to_owned)
            });
            let matches = sent.as_deref().is_some_and(|s| {
                !visitor.csrf_token.is_empty() && constant_time_eq(s, &visitor.csrf_token)
            });
            if !matches {
                tracing::warn!(path = %req.path(), "form refused: missing or wrong form token");
                if visitor.session_ended {
                    return Err(PageError::SignIn(visitor.path.clone()).into());
                }
                return Err(refused().into());
            }
            Ok(Submitted { visitor, data })
        })
    }
}

/// One message at a field, as a form shows it.
#[derive(Debug, Clone, Serialize)]
pub struct Problem {
    pub field: String,
    pub message: String,
}

/// The messages of a failed form: at most one per field (the first), in the reader's
/// language where the rule gave a message key.
#[derive(Debug, Clone, Default, Serialize)]
pub struct FormErrors {
    pub by_field: BTreeMap<String, String>,
    pub summary: Vec<Problem>,
}

impl FormErrors {
    pub fn from_fields(errors: &[FieldError], visitor: &Visitor) -> FormErrors {
        let mut out = FormErrors::default();
        for e in errors {
            // `requested_services[1]` is shown at the checkboxes of `requested_services`.
            let field = e.field.split('[').next().unwrap_or(&e.field).to_owned();
            let message = localise(e, visitor);
            if out.by_field.contains_key(&field) {
                continue;
            }
            out.by_field.insert(field.clone(), message.clone());
            out.summary.push(Problem { field, message });
        }
        out
    }

    /// [`FormErrors::from_fields`] for a second form on a page, whose fields carry `prefix`
    /// (`invite_email` where the use case says `email`).
    pub fn from_prefixed_fields(
        errors: Vec<FieldError>,
        prefix: &str,
        visitor: &Visitor,
    ) -> FormErrors {
        let errors: Vec<FieldError> = errors
            .into_iter()
            .map(|mut f| {
                f.field = format!("{prefix}{}", f.field);
                f
            })
            .collect();
        FormErrors::from_fields(&errors, visitor)
    }

    /// One message at `field`, worded by the portal's message `key`.
    pub fn one(field: &str, key: &str, visitor: &Visitor) -> FormErrors {
        let message = i18n::text(visitor.locale, key, &[]);
        FormErrors {
            by_field: BTreeMap::from([(field.to_owned(), message.clone())]),
            summary: vec![Problem {
                field: field.to_owned(),
                message,
            }],
        }
    }

    pub fn is_empty(&self) -> bool {
        self.summary.is_empty()
    }
}

fn localise(e: &FieldError, visitor: &Visitor) -> String {
    match &e.reason {
        Some(reason) => {
            let args: Vec<(&str, Arg<'_>)> = reason
                .args
                .iter()
                .map(|(k, v)| (*k, Arg::from(v.as_str())))
                .collect();
            i18n::text(visitor.locale, reason.key, &args)
        }
        None => e.message.clone(),
    }
}

/// How a use case's answer to a form turns out: the form again with its errors, or a page
/// error. Validation (422) and conflicts at a field become form errors; the rest is a page.
pub enum Refusal {
    Form(FormErrors),
    Page(PageError),
}

impl Refusal {
    pub fn of(error: ApiError, visitor: &Visitor) -> Refusal {
        match error {
            ApiError::Validation(fields) => {
                Refusal::Form(FormErrors::from_fields(&fields, visitor))
            }
            other => Refusal::Page(PageError::from_api(other, visitor)),
        }
    }
}
