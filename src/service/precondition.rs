//! What version of a resource a change is based on. Every update compares-and-sets on the
//! row's `version`; a caller that read the resource names the version it saw (as an ETag, the
//! API's `If-Match`), so two writers that saw the same version cannot both win.

use crate::error::ApiError;

/// The strong ETag of a resource at `version`.
pub fn etag(id: &str, version: i32) -> String {
    let digest = crate::auth::crypto::token_hash(&format!("{id}:{version}"));
    format!("\"{}\"", &digest[..20])
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
