//! `/manage/offers`: a cluster's offers, their blackouts and their month calendar.

use actix_web::web;

/// This area's addresses.
pub fn configure(_cfg: &mut web::ServiceConfig) {}
