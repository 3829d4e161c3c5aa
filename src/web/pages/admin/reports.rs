//! `/admin/reports`: the reciprocity of every partnership and the summary of the whole
//! network over a range chosen in a form (the current calendar year unless chosen), with CSV
//! downloads of both. The figures come from [`crate::service::reports`]; the CSVs have the
//! API's columns (`GET /reports/reciprocity` and `/reports/summary` with `Accept: text/csv`),
//! written here through the `csv` crate because the API keeps its writer private.

use actix_web::http::StatusCode;
use actix_web::web;
use chrono::{Datelike, NaiveDate};
use minijinja::context;
use serde::{Deserialize, Serialize};

use crate::api::reports::{
    ReciprocityRow, SummaryReport, csv_response, reciprocity_records, summary_records,
};
use crate::domain::landing::LandingState;
use crate::domain::reports::MAX_RANGE_DAYS;
use crate::domain::values::{DateRange, RangeError, date};
use crate::error::{ApiError, FieldError};
use crate::service::reports::{self, ReciprocityQuery};
use crate::state::AppState;
use crate::web::forms::FormErrors;
use crate::web::render::{OrPage, PageError, PageResult, page_with_status};
use crate::web::session::Visitor;
use crate::web::views::duration;

/// The range as the form sends it.
#[derive(Debug, Default, Deserialize)]
pub struct RangeForm {
    from: Option<String>,
    to: Option<String>,
}

/// The range asked for, the current calendar year when neither end is given; each problem
/// at its field.
fn range_of(form: &RangeForm, today: NaiveDate) -> Result<DateRange, Vec<FieldError>> {
    let blank = |v: &Option<String>| v.as_deref().is_none_or(|s| s.trim().is_empty());
    if blank(&form.from) && blank(&form.to) {
        let year = today.year();
        let first = NaiveDate::from_ymd_opt(year, 1, 1).unwrap_or(today);
        let last = NaiveDate::from_ymd_opt(year, 12, 31).unwrap_or(today);
        return DateRange::new(first, last, MAX_RANGE_DAYS).map_err(|_| Vec::new());
    }
    let mut errors = Vec::new();
    let mut day = |field: &'static str, value: &Option<String>| match value
        .as_deref()
        .map(str::trim)
        .filter(|s| !s.is_empty())
    {
        None => {
            errors.push(FieldError::because(
                field,
                "is required",
                "err-required",
                vec![],
            ));
            None
        }
        Some(raw) => match date(raw) {
            Ok(d) => Some(d),
            Err(e) => {
                errors.push(FieldError::because(field, e, "admin-err-date", vec![]));
                None
            }
        },
    };
    let from = day("from", &form.from);
    let to = day("to", &form.to);
    let (Some(from), Some(to)) = (from, to) else {
        return Err(errors);
    };
    DateRange::new(from, to, MAX_RANGE_DAYS).map_err(|e| {
        vec![match e {
            RangeError::Backwards => FieldError::because(
                "to",
                "must not be before from",
                "err-end-before-start",
                vec![],
            ),
            RangeError::TooLong { max_days } => FieldError::because(
                "to",
                "too long",
                "admin-err-range-long",
                vec![("days", max_days.to_string())],
            ),
        }]
    })
}

/// The summary at the top names each field ("From: Enter this information.").
fn named(mut errors: FormErrors, visitor: &Visitor) -> FormErrors {
    for problem in &mut errors.summary {
        let key = if problem.field == "from" {
            "admin-field-from"
        } else {
            "admin-field-to"
        };
        let label = crate::i18n::text(visitor.locale, key, &[]);
        problem.message = format!("{label}: {}", problem.message);
    }
    errors
}

#[derive(Debug, Serialize)]
struct Count {
    key: String,
    count: i64,
}

/// `GET /admin/reports`
pub async fn show(
    state: web::Data<AppState>,
    visitor: Visitor,
    form: web::Query<RangeForm>,
) -> PageResult {
    let who = visitor.admin()?;
    let form = form.into_inner();
    let today = state.clock.today_in("UTC");
    let range = match range_of(&form, today) {
        Ok(range) => range,
        Err(errors) => {
            return page_with_status(
                &visitor,
                StatusCode::UNPROCESSABLE_ENTITY,
                "admin_reports.html",
                context! {
                    values => context! { from => form.from, to => form.to },
                    errors => named(FormErrors::from_fields(&errors, &visitor), &visitor),
                    shown => false,
                },
            );
        }
    };
    let (reciprocity, summary) = reports::overview(
        &state,
        who,
        Ok(ReciprocityQuery {
            range,
            partner_cluster_id: None,
        }),
    )
    .await
    .or_page(&visitor)?;
    let summary = SummaryReport::from(summary);
    let rows: Vec<ReciprocityRow> = reciprocity
        .pairs
        .into_iter()
        .map(ReciprocityRow::from)
        .collect();
    let by_state: Vec<Count> = LandingState::ALL
        .iter()
        .map(|s| Count {
            key: s.as_str().to_owned(),
            count: summary
                .by_state
                .get(s.as_str())
                .and_then(|v| v.as_i64())
                .unwrap_or(0),
        })
        .collect();
    let query = serde_urlencoded::to_string([
        ("from", range.start().to_string()),
        ("to", range.end().to_string()),
    ])
    .unwrap_or_default();
    let percent = |x: Option<f64>| x.map(|x| format!("{:.0} %", x * 100.0));
    page_with_status(
        &visitor,
        StatusCode::OK,
        "admin_reports.html",
        context! {
            values => context! { from => range.start().to_string(), to => range.end().to_string() },
            errors => FormErrors::default(),
            shown => true,
            query => query,
            pairs => rows.iter().map(|r| context! {
                id => &r.partnership_id,
                state => r.partnership_state.as_str(),
                a => &r.cluster_a.name,
                a_country => &r.cluster_a.country,
                b => &r.cluster_b.name,
                b_country => &r.cluster_b.country,
                a_to_b => r.landings_a_to_b,
                b_to_a => r.landings_b_to_a,
                a_hosted => r.visitor_days_a_hosted,
                b_hosted => r.visitor_days_b_hosted,
                balance => r.balance,
            }).collect::<Vec<_>>(),
            summary => context! {
                landings => summary.landings,
                by_state => by_state,
                by_host_country => summary.by_host_country.iter().map(|c| Count {
                    key: c.country.clone(), count: c.landings,
                }).collect::<Vec<_>>(),
                by_offer_kind => summary.by_offer_kind.iter().map(|k| Count {
                    key: k.kind.as_str().to_owned(), count: k.landings,
                }).collect::<Vec<_>>(),
                approved => summary.approved,
                decided => summary.decided,
                approval_rate => percent(summary.approval_rate),
                decision_median => duration(visitor.locale, summary.time_to_decision.median_seconds),
                endorsement_median => duration(visitor.locale, summary.time_to_endorsement.median_seconds),
                no_shows => summary.no_shows,
                no_show_rate => percent(summary.no_show_rate),
                ratings => summary.ratings,
                average_rating => summary.average_rating.map(|r| format!("{r:.1}")),
            },
        },
    )
}

/// The range of a CSV link; a bad one is the form's page, with its errors.
fn csv_range(
    state: &AppState,
    visitor: &Visitor,
    form: &RangeForm,
) -> Result<DateRange, PageError> {
    range_of(form, state.clock.today_in("UTC"))
        .map_err(|e| PageError::from_api(ApiError::Validation(e), visitor))
}

/// `GET /admin/reports/reciprocity.csv?from=&to=`
pub async fn reciprocity_csv(
    state: web::Data<AppState>,
    visitor: Visitor,
    form: web::Query<RangeForm>,
) -> PageResult {
    let who = visitor.admin()?;
    let range = csv_range(&state, &visitor, &form)?;
    let report = reports::reciprocity(
        &state,
        who,
        Ok(ReciprocityQuery {
            range,
            partner_cluster_id: None,
        }),
    )
    .await
    .or_page(&visitor)?;
    let rows = report.pairs.into_iter().map(ReciprocityRow::from).collect();
    csv_response(
        &format!("reciprocity-{}-{}.csv", range.start(), range.end()),
        reciprocity_records(rows),
    )
    .or_page(&visitor)
}

/// `GET /admin/reports/summary.csv?from=&to=`
pub async fn summary_csv(
    state: web::Data<AppState>,
    visitor: Visitor,
    form: web::Query<RangeForm>,
) -> PageResult {
    let who = visitor.admin()?;
    let range = csv_range(&state, &visitor, &form)?;
    let report = SummaryReport::from(
        reports::summary(&state, who, Ok(range))
            .await
            .or_page(&visitor)?,
    );
    csv_response(
        &format!("summary-{}-{}.csv", report.from, report.to),
        summary_records(&report),
    )
    .or_page(&visitor)
}
