//! `/admin`: the coordinator's pages.

use actix_web::web;

/// This area's addresses.
pub fn configure(_cfg: &mut web::ServiceConfig) {}
