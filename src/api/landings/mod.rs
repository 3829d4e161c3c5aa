//! `/landings`: soft-landing requests ([`submit`]), their decisions ([`actions`]), the SME's
//! feedback ([`feedback`]) and what callers read ([`read`]). Each handler extracts, calls its
//! use case in [`crate::service::landings`] and maps the result.

pub mod actions;
pub mod feedback;
pub mod read;
pub mod submit;

use actix_web::HttpResponse;
use actix_web::http::header;
use chrono::{DateTime, NaiveDate, Utc};
use serde::Serialize;

use super::conditional::etag;
use crate::db::landings::LandingRow;
use crate::domain::landing::LandingState;

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct Feedback {
    pub rating: i32,
    pub comment: Option<String>,
    pub at: DateTime<Utc>,
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct LandingView {
    pub id: String,
    pub offer_id: String,
    pub sme_id: String,
    pub host_cluster_id: String,
    pub home_cluster_id: String,
    pub partnership_id: String,
    /// First day, in the host's time zone.
    pub start_date: NaiveDate,
    /// Last day (inclusive).
    pub end_date: NaiveDate,
    pub headcount: i32,
    /// Open days of the offer the landing occupies.
    pub open_days: i32,
    pub purpose: String,
    pub target_market: Option<String>,
    pub requested_services: Vec<String>,
    pub state: LandingState,
    /// The home cluster's note when it endorsed.
    pub endorsement_note: Option<String>,
    /// The host's message when it approved.
    pub message: Option<String>,
    /// Why it was declined, rejected or cancelled.
    pub reason: Option<String>,
    /// The host's account of a completed landing.
    pub outcome: Option<String>,
    pub feedback: Option<Feedback>,
    pub decided_at: Option<DateTime<Utc>>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

impl From<LandingRow> for LandingView {
    fn from(row: LandingRow) -> LandingView {
        LandingView {
            state: row.state,
            requested_services: row.requested_services(),
            feedback: row.rating.map(|rating| Feedback {
                rating,
                comment: row.feedback_comment.clone(),
                at: row.feedback_at.unwrap_or(row.updated_at).and_utc(),
            }),
            id: row.id.into(),
            offer_id: row.offer_id.into(),
            sme_id: row.sme_id.into(),
            host_cluster_id: row.host_cluster_id.into(),
            home_cluster_id: row.home_cluster_id.into(),
            partnership_id: row.partnership_id.into(),
            start_date: row.start_date,
            end_date: row.end_date,
            headcount: row.headcount,
            open_days: row.open_days,
            purpose: row.purpose,
            target_market: row.target_market,
            endorsement_note: row.endorsement_note,
            message: row.message,
            reason: row.reason,
            outcome: row.outcome,
            decided_at: row.decided_at.map(|t| t.and_utc()),
            created_at: row.created_at.and_utc(),
            updated_at: row.updated_at.and_utc(),
        }
    }
}

/// 201 with the landing, its address and its ETag.
fn created(row: LandingRow) -> HttpResponse {
    HttpResponse::Created()
        .insert_header((header::LOCATION, format!("/api/v1/landings/{}", row.id)))
        .insert_header((header::ETAG, etag(&row.id, row.version)))
        .json(LandingView::from(row))
}
