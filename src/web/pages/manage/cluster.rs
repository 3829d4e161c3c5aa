//! `/manage/cluster` and `/manage/reports`: the cluster's profile, managers, API clients and
//! webhooks, and its reports.

use actix_web::web;

/// This area's addresses.
pub fn configure(_cfg: &mut web::ServiceConfig) {}
