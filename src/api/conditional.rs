//! ETags on single resources and `If-Match` on updates. The ETag is derived from the row's
//! `version`, which every update increments; updates compare-and-set on it, so two writers
//! holding the same ETag cannot both win.

use std::future::{Ready, ready};

use actix_web::dev::Payload;
use actix_web::http::header::{ETAG, IF_MATCH};
use actix_web::{FromRequest, HttpRequest, HttpResponse};
use serde::Serialize;

use crate::error::ApiError;

/// The strong ETag of a resource at `version`.
pub fn etag(id: &str, version: i32) -> String {
    let digest = crate::auth::crypto::token_hash(&format!("{id}:{version}"));
    format!("\"{}\"", &digest[..20])
}

/// A 200 answer with the resource and its ETag.
pub fn with_etag<T: Serialize>(body: &T, id: &str, version: i32) -> HttpResponse {
    HttpResponse::Ok()
        .insert_header((ETAG, etag(id, version)))
        .json(body)
}

/// The `If-Match` precondition of a request, if it has one.
#[derive(Debug, Clone)]
pub enum IfMatch {
    Absent,
    Any,
    Tags(Vec<String>),
}

impl IfMatch {
    /// The version the update must find, or 412 when the ETag names another one.
    pub fn expected_version(&self, id: &str, current: i32) -> Result<(), ApiError> {
        match self {
            IfMatch::Absent | IfMatch::Any => Ok(()),
            IfMatch::Tags(tags) if tags.iter().any(|t| *t == etag(id, current)) => Ok(()),
            IfMatch::Tags(_) => Err(ApiError::precondition_failed()),
        }
    }
}

impl FromRequest for IfMatch {
    type Error = ApiError;
    type Future = Ready<Result<IfMatch, ApiError>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        let values: Vec<String> = req
            .headers()
            .get_all(IF_MATCH)
            .filter_map(|v| v.to_str().ok())
            .flat_map(|v| v.split(','))
            .map(|t| t.trim().to_owned())
            .filter(|t| !t.is_empty())
            .collect();
        ready(Ok(if values.is_empty() {
            IfMatch::Absent
        } else if values.iter().any(|v| v == "*") {
            IfMatch::Any
        } else {
            IfMatch::Tags(values)
        }))
    }
}
