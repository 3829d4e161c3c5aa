//! `/manage/reports`: the reciprocity with each partner (visitor-days and landings each way,
//! the balance) and the summary of the cluster's landings, over a range chosen in a form (the
//! current calendar year unless chosen), with both as the CSV downloads the API answers.

use actix_web::http::StatusCode;
use actix_web::web;
use chrono::Datelike;
use minijinja::{Value, context};
use serde::{Deserialize, Serialize};

use super::cluster_of;
use crate::api::reports::{
    ReciprocityParams, ReciprocityRow, SummaryParams, SummaryReport, csv_response,
    reciprocity_records, summary_records,
};
use crate::error::{ApiError, FieldError};
use crate::service::reports;
use crate::state::AppState;
use crate::web::forms::{FormErrors, Problem};
use crate::web::render::{OrPage, PageError, PageResult, page_with_status};
use crate::web::session::Visitor;
use crate::web::views::duration;

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.route("/manage/reports", web::get().to(show))
        .route(
            "/manage/reports/reciprocity.csv",
            web::get().to(reciprocity_csv),
        )
        .route("/manage/reports/summary.csv", web::get().to(summary_csv));
}

/// The range of the form, as typed.
#[derive(Debug, Deserialize, Default)]
pub struct RangeQuery {
    from: Option<String>,
    to: Option<String>,
}

impl RangeQuery {
    /// The range typed, or the current calendar year where a bound is left out.
    fn or_this_year(self, state: &AppState) -> (String, String) {
        let today = state.clock.now().date_naive();
        let year = today.year();
        let blank = |v: Option<String>| v.map(|s| s.trim().to_owned()).filter(|s| !s.is_empty());
        (
            blank(self.from).unwrap_or_else(|| format!("{year}-01-01")),
            blank(self.to).unwrap_or_else(|| format!("{year}-12-31")),
        )
    }
}

/// A refused range, in the reader's words at its field.
fn range_errors(visitor: &Visitor, fields: &[FieldError]) -> FormErrors {
    let mut errors = FormErrors::default();
    for f in fields {
        let field = if f.field == "from" { "from" } else { "to" };
        if errors.by_field.contains_key(field) {
            continue;
        }
        let key = if f.message.contains("before") {
            "err-report-backwards"
        } else if f.message.contains("at most") {
            "err-report-too-long"
        } else {
            "err-report-day"
        };
        let message = crate::i18n::text(visitor.locale, key, &[]);
        errors.by_field.insert(field.to_owned(), message.clone());
        errors.summary.push(Problem {
            field: field.to_owned(),
            message,
        });
    }
    errors
}

#[derive(Debug, Serialize)]
struct PartnerLine {
    partner: String,
    country: String,
    state: &'static str,
    hosted_by_us: i64,
    hosted_by_them: i64,
    landings_to_us: i64,
    landings_to_them: i64,
    balance: i64,
}

/// A partnership's figures seen from `mine`: what we hosted, what they hosted.
fn partner_line(r: ReciprocityRow, mine: &str) -> PartnerLine {
    let we_are_a = r.cluster_a.id == mine;
    let (us_hosted, them_hosted, to_us, to_them, other) = if we_are_a {
        (
            r.visitor_days_a_hosted,
            r.visitor_days_b_hosted,
            r.landings_b_to_a,
            r.landings_a_to_b,
            r.cluster_b,
        )
    } else {
        (
            r.visitor_days_b_hosted,
            r.visitor_days_a_hosted,
            r.landings_a_to_b,
            r.landings_b_to_a,
            r.cluster_a,
        )
    };
    PartnerLine {
        partner: other.name,
        country: other.country,
        state: r.partnership_state.as_str(),
        hosted_by_us: us_hosted,
        hosted_by_them: them_hosted,
        landings_to_us: to_us,
        landings_to_them: to_them,
        balance: us_hosted - them_hosted,
    }
}

fn percent(x: Option<f64>) -> Option<String> {
    x.map(|x| format!("{:.1} %", x * 100.0))
}

/// `GET /manage/reports?from=&to=`
pub async fn show(
    state: web::Data<AppState>,
    visitor: Visitor,
    query: web::Query<RangeQuery>,
) -> PageResult {
    let (who, mine) = cluster_of(&visitor)?;
    let (from, to) = query.into_inner().or_this_year(&state);
    let values = context! { from => &from, to => &to };
    let params = ReciprocityParams {
        from: Some(from.clone()),
        to: Some(to.clone()),
        partner_cluster_id: None,
    };
    let (reciprocity, summary) = match reports::overview(&state, who, params.parse()).await {
        Ok(both) => both,
        Err(ApiError::Validation(fields)) => {
            return page_with_status(
                &visitor,
                StatusCode::UNPROCESSABLE_ENTITY,
                "manage_reports.html",
                context! { values, errors => range_errors(&visitor, &fields), shown => false },
            );
        }
        Err(other) => return Err(PageError::from_api(other, &visitor)),
    };
    let summary = SummaryReport::from(summary);
    let partners: Vec<PartnerLine> = reciprocity
        .pairs
        .into_iter()
        .map(|p| partner_line(ReciprocityRow::from(p), mine.as_str()))
        .collect();
    let by_state: Vec<Value> = summary
        .by_state
        .iter()
        .map(|(state, n)| context! { state, count => n.as_i64().unwrap_or_default() })
        .collect();
    let query = serde_urlencoded::to_string([("from", &from), ("to", &to)]).unwrap_or_default();
    page_with_status(
        &visitor,
        StatusCode::OK,
        "manage_reports.html",
        context! {
            values,
            errors => FormErrors::default(),
            shown => true,
            query,
            range => context! { from => summary.from.to_string(), to => summary.to.to_string() },
            partners,
            s => context! {
                landings => summary.landings,
                by_state,
                by_host_country => &summary.by_host_country,
                by_offer_kind => summary.by_offer_kind.iter().map(|k| context! { kind => k.kind.as_str(), landings => k.landings }).collect::<Vec<_>>(),
                approved => summary.approved,
                decided => summary.decided,
                approval_rate => percent(summary.approval_rate),
                decision_count => summary.time_to_decision.count,
                decision_median => duration(visitor.locale, summary.time_to_decision.median_seconds),
                decision_p90 => duration(visitor.locale, summary.time_to_decision.p90_seconds),
                endorsement_count => summary.time_to_endorsement.count,
                endorsement_median => duration(visitor.locale, summary.time_to_endorsement.median_seconds),
                endorsement_p90 => duration(visitor.locale, summary.time_to_endorsement.p90_seconds),
                no_shows => summary.no_shows,
                no_show_rate => percent(summary.no_show_rate),
                ratings => summary.ratings,
                average_rating => summary.average_rating.map(|r| format!("{r:.2}")),
            },
        },
    )
}

/// A download refused for its range is the form with the message at the field.
fn refused(visitor: &Visitor, error: ApiError, values: Value) -> PageResult {
    match error {
        ApiError::Validation(fields) => page_with_status(
            visitor,
            StatusCode::UNPROCESSABLE_ENTITY,
            "manage_reports.html",
            context! {
                values,
                errors => range_errors(visitor, &fields),
                shown => false,
            },
        ),
        other => Err(PageError::from_api(other, visitor)),
    }
}

/// `GET /manage/reports/reciprocity.csv?from=&to=`: the API's reciprocity CSV.
pub async fn reciprocity_csv(
    state: web::Data<AppState>,
    visitor: Visitor,
    query: web::Query<RangeQuery>,
) -> PageResult {
    let (who, _) = cluster_of(&visitor)?;
    let (from, to) = query.into_inner().or_this_year(&state);
    let values = context! { from => &from, to => &to };
    let params = ReciprocityParams {
        from: Some(from),
        to: Some(to),
        partner_cluster_id: None,
    };
    let report = match reports::reciprocity(&state, who, params.parse()).await {
        Ok(r) => r,
        Err(e) => return refused(&visitor, e, values),
    };
    let range = report.range;
    let rows = report.pairs.into_iter().map(ReciprocityRow::from).collect();
    csv_response(
        &format!("reciprocity-{}-{}.csv", range.start(), range.end()),
        reciprocity_records(rows),
    )
    .or_page(&visitor)
}

/// `GET /manage/reports/summary.csv?from=&to=`: the API's summary CSV.
pub async fn summary_csv(
    state: web::Data<AppState>,
    visitor: Visitor,
    query: web::Query<RangeQuery>,
) -> PageResult {
    let (who, _) = cluster_of(&visitor)?;
    let (from, to) = query.into_inner().or_this_year(&state);
    let values = context! { from => &from, to => &to };
    let range = SummaryParams {
        from: Some(from),
        to: Some(to),
    }
    .parse();
    let report = match reports::summary(&state, who, range).await {
        Ok(s) => SummaryReport::from(s),
        Err(e) => return refused(&visitor, e, values),
    };
    csv_response(
        &format!("summary-{}-{}.csv", report.from, report.to),
        summary_records(&report),
    )
    .or_page(&visitor)
}
