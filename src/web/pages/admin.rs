//! `/admin`: the coordinator's pages — the network at a glance (here), its clusters and a new
//! one with its first manager ([`clusters`]), the reports of every pair ([`reports`]), the
//! outbox ([`outbox`]) and the people ([`users`]). Each page asks the use case the API's
//! handler asks; the use cases decide who may (the coordinator alone: others get 403).

pub mod clusters;
pub mod outbox;
pub mod reports;
pub mod users;

use actix_web::web;
use chrono::{Datelike, NaiveDate};
use minijinja::context;
use serde::Serialize;

use crate::domain::landing::LandingState;
use crate::domain::reports::MAX_RANGE_DAYS;
use crate::domain::values::DateRange;
use crate::error::ApiError;
use crate::service::{admin, reports as report_cases};
use crate::state::AppState;
use crate::web::render::{OrPage, PageResult, page};
use crate::web::session::Visitor;

/// This area's addresses.
pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.route("/admin", web::get().to(overview))
        .route("/admin/clusters", web::get().to(clusters::list))
        .route("/admin/clusters", web::post().to(clusters::create))
        .route("/admin/clusters/new", web::get().to(clusters::new_form))
        .route("/admin/reports", web::get().to(reports::show))
        .route(
            "/admin/reports/reciprocity.csv",
            web::get().to(reports::reciprocity_csv),
        )
        .route(
            "/admin/reports/summary.csv",
            web::get().to(reports::summary_csv),
        )
        .route("/admin/outbox", web::get().to(outbox::list))
        .route("/admin/outbox/{id}/retry", web::post().to(outbox::retry))
        .route("/admin/users", web::get().to(users::list))
        .route("/admin/users/{id}/disable", web::post().to(users::disable));
}

/// A key and its count, as the overview's lists show them.
#[derive(Debug, Serialize)]
struct Count {
    key: String,
    count: i64,
}

/// One channel of the outbox: how many wait, how many were given up.
#[derive(Debug, Serialize)]
struct Channel {
    channel: &'static str,
    pending: i64,
    dead: i64,
    sent: i64,
}

/// The first and last day of `day`'s month.
pub(crate) fn month_of(day: NaiveDate) -> (NaiveDate, NaiveDate) {
    let first = day.with_day(1).unwrap_or(day);
    let next = first
        .checked_add_months(chrono::Months::new(1))
        .unwrap_or(first);
    (first, next.pred_opt().unwrap_or(first))
}

/// `GET /admin`: the network at a glance, each figure linking on to its page.
pub async fn overview(state: web::Data<AppState>, visitor: Visitor) -> PageResult {
    let who = visitor.admin()?;
    let glance = admin::glance(&state, who.clone()).await.or_page(&visitor)?;
    let (first, last) = month_of(state.clock.today_in("UTC"));
    let month = DateRange::new(first, last, MAX_RANGE_DAYS)
        .map_err(|_| ApiError::internal("a month is a range"));
    let summary = report_cases::summary(&state, who, month)
        .await
        .or_page(&visitor)?;
    let clusters: i64 = glance.clusters_by_country.iter().map(|(_, n)| n).sum();
    let partnerships: i64 = glance.partnerships_by_state.iter().map(|(_, n)| n).sum();
    let channels: Vec<Channel> = admin::CHANNELS
        .into_iter()
        .map(|channel| {
            let count = |status: &str| {
                glance
                    .outbox
                    .iter()
                    .filter(|(c, s, _)| c == channel && s == status)
                    .map(|(_, _, n)| *n)
                    .sum()
            };
            Channel {
                channel,
                pending: count("pending"),
                dead: count("dead"),
                sent: count("sent"),
            }
        })
        .collect();
    let landings_by_state: Vec<Count> = summary
        .by_state
        .iter()
        .filter(|(_, n)| *n > 0)
        .map(|(s, n): &(LandingState, i64)| Count {
            key: s.as_str().to_owned(),
            count: *n,
        })
        .collect();
    let counts = |v: &[(String, i64)]| -> Vec<Count> {
        v.iter()
            .map(|(k, n)| Count {
                key: k.clone(),
                count: *n,
            })
            .collect()
    };
    page(
        &visitor,
        "admin.html",
        context! {
            clusters => clusters,
            clusters_by_country => counts(&glance.clusters_by_country),
            partnerships => partnerships,
            partnerships_by_state => counts(&glance.partnerships_by_state),
            landings => summary.landings,
            landings_by_state => landings_by_state,
            month_from => first.to_string(),
            month_to => last.to_string(),
            channels => channels,
        },
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_month_runs_from_its_first_to_its_last_day() {
        let d = |s: &str| NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap();
        assert_eq!(
            month_of(d("2028-02-17")),
            (d("2028-02-01"), d("2028-02-29"))
        );
        assert_eq!(
            month_of(d("2026-12-31")),
            (d("2026-12-01"), d("2026-12-31"))
        );
    }
}
