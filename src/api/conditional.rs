//! ETags on single resources and `If-Match` on updates. The ETag is derived from the row's
//! `version`, which every update increments; updates compare-and-set on it, so two writers
//! holding the same ETag cannot both win.

use std::future::{Ready, ready};

use actix_web::dev::Payload;
use actix_web::http::header::{ETAG, IF_MATCH};
use actix_web::{FromRequest, HttpRequest, HttpResponse};
use serde::Serialize;

use crate::error::ApiError;
pub use crate::service::precondition::{IfMatch, etag};

/// A 200 answer with the resource and its ETag.
pub fn with_etag<T: Serialize>(body: &T, id: &str, version: i32) -> HttpResponse {
    HttpResponse::Ok()
        .insert_header((ETAG, etag(id, version)))
        .json(body)
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
