//! `/reports`: the reciprocity of each partnership and the summary of the network's landings,
//! as JSON or, with `Accept: text/csv`, as an RFC 4180 CSV download. The handlers read the
//! query, call [`crate::service::reports`] and render its figures.

use actix_web::http::StatusCode;
use actix_web::http::header::{self, HeaderValue};
use actix_web::{HttpRequest, HttpResponse, get, web};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use super::extract::Query;
use crate::auth::Principal;
use crate::domain::landing::LandingState;
use crate::domain::offer::OfferKind;
use crate::domain::partnership::PartnershipState;
use crate::domain::reports::MAX_RANGE_DAYS;
use crate::domain::values::{DateRange, Fields, RangeError, date};
use crate::error::{ApiError, ApiResult};
use crate::service::reports::{self, Durations, PairReport, ReciprocityQuery, Summary};
use crate::state::AppState;

// ---------------------------------------------------------------------------------------------
// Reading the request

/// `from` and `to` as a range of at most [`MAX_RANGE_DAYS`]; each problem named at its field.
fn range_of(f: &mut Fields, from: Option<String>, to: Option<String>) -> Option<DateRange> {
    let from = f
        .required("from", from)
        .and_then(|v| f.check("from", date(&v)));
    let to = f.required("to", to).and_then(|v| f.check("to", date(&v)));
    match DateRange::new(from?, to?, MAX_RANGE_DAYS) {
        Ok(range) => Some(range),
        Err(RangeError::Backwards) => {
            f.add("to", "must not be before from");
            None
        }
        Err(RangeError::TooLong { max_days }) => {
            f.add(
                "to",
                format!("a report spans at most {max_days} days (three years)"),
            );
            None
        }
    }
}

/// What a report is answered as.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Json,
    Csv,
}

/// The format `Accept` prefers: CSV when `text/csv` (or `text/*`) ranks above JSON, JSON
/// otherwise, including without `Accept` and for `*/*`. A media range ranks by its `q`, then by
/// how specific it is, then by its place in the header. 406 when it accepts neither.
pub fn negotiate(req: &HttpRequest) -> Result<Format, ApiError> {
    let header: Vec<String> = req
        .headers()
        .get_all(header::ACCEPT)
        .filter_map(|v| v.to_str().ok())
        .map(str::to_owned)
        .collect();
    if header.is_empty() {
        return Ok(Format::Json);
    }
    // (q, specificity, -position) of the best range matching each format.
    let mut best: [Option<(u16, u8, i64)>; 2] = [None, None];
    for (position, range) in header.iter().flat_map(|h| h.split(',')).enumerate() {
        let mut parts = range.split(';');
        let essence = parts.next().unwrap_or("").trim().to_ascii_lowercase();
        let q = parts
            .filter_map(|p| p.trim().strip_prefix("q=").map(str::to_owned))
            .next()
            .and_then(|q| q.trim().parse::<f32>().ok())
            .map_or(1000, |q| (q.clamp(0.0, 1.0) * 1000.0).round() as u16);
        let rank = |specificity: u8| Some((q, specificity, -(position as i64)));
        let (json, csv) = match essence.as_str() {
            "application/json" => (rank(2), None),
            "application/*" => (rank(1), None),
            "text/csv" => (None, rank(2)),
            "text/*" => (None, rank(1)),
            "*/*" => (rank(0), rank(0)),
            _ => (None, None),
        };
        for (slot, found) in best.iter_mut().zip([json, csv]) {
            if let Some(found) = found
                && slot.is_none_or(|current| found > current)
            {
                *slot = Some(found);
            }
        }
    }
    let acceptable = |r: Option<(u16, u8, i64)>| r.filter(|(q, _, _)| *q > 0);
    match (acceptable(best[0]), acceptable(best[1])) {
        (None, None) => Err(ApiError::problem(
            StatusCode::NOT_ACCEPTABLE,
            "not_acceptable",
            "reports are available as application/json or text/csv",
        )),
        (Some(_), None) => Ok(Format::Json),
        (None, Some(_)) => Ok(Format::Csv),
        (Some(json), Some(csv)) if csv > json => Ok(Format::Csv),
        _ => Ok(Format::Json),
    }
}

/// A CSV download named `name` (the portal's downloads too).
pub fn csv_response(name: &str, records: Vec<Vec<String>>) -> ApiResult<HttpResponse> {
    let mut writer = csv::Writer::from_writer(Vec::new());
    for record in records {
        writer.write_record(&record).map_err(ApiError::internal)?;
    }
    let body = writer.into_inner().map_err(ApiError::internal)?;
    Ok(HttpResponse::Ok()
        .insert_header((header::CONTENT_TYPE, "text/csv; charset=utf-8"))
        .insert_header((
            header::CONTENT_DISPOSITION,
            format!("attachment; filename=\"{name}\""),
        ))
        .insert_header((header::VARY, HeaderValue::from_static("Accept")))
        .body(body))
}

fn json_response(body: &impl Serialize) -> HttpResponse {
    HttpResponse::Ok()
        .insert_header((header::VARY, HeaderValue::from_static("Accept")))
        .json(body)
}

fn figure(x: Option<impl ToString>) -> String {
    x.map(|x| x.to_string()).unwrap_or_default()
}

// ---------------------------------------------------------------------------------------------
// Reciprocity

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
pub struct ReciprocityParams {
    /// First day of the range (`YYYY-MM-DD`, in each host's calendar). Required.
    pub from: Option<String>,
    /// Last day of the range, inclusive; at most 1096 days after `from`. Required.
    pub to: Option<String>,
    /// Only the partnerships with this cluster.
    pub partner_cluster_id: Option<String>,
}

impl ReciprocityParams {
    pub fn parse(self) -> Result<ReciprocityQuery, ApiError> {
        let mut f = Fields::new();
        let range = range_of(&mut f, self.from, self.to);
        let partner_cluster_id = self.partner_cluster_id.and_then(|id| {
            f.check(
                "partner_cluster_id",
                uuid::Uuid::parse_str(id.trim())
                    .map(|u| u.hyphenated().to_string())
                    .map_err(|_| "must be the id of a cluster"),
            )
        });
        f.finish(|| {
            Some(ReciprocityQuery {
                range: range?,
                partner_cluster_id,
            })
        })
        .map_err(ApiError::validation)
    }
}

/// A cluster as a report names it.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct ClusterRef {
    pub id: String,
    pub name: String,
    /// ISO 3166-1 alpha-2.
    pub country: String,
}

/// One partnership's use over the range. Side A proposed the partnership, side B is its
/// partner.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct ReciprocityRow {
    pub partnership_id: String,
    /// The partnership's state today.
    pub partnership_state: PartnershipState,
    pub cluster_a: ClusterRef,
    pub cluster_b: ClusterRef,
    /// Landings of A's SMEs at B's offers (approved, completed or no-show) whose stay shares a
    /// day with the range.
    pub landings_a_to_b: i64,
    pub landings_b_to_a: i64,
    /// Visitors × open days A hosted inside the range.
    pub visitor_days_a_hosted: i64,
    pub visitor_days_b_hosted: i64,
    /// `visitor_days_a_hosted − visitor_days_b_hosted`: positive when A gave more than it got.
    pub balance: i64,
}

impl From<PairReport> for ReciprocityRow {
    fn from(r: PairReport) -> ReciprocityRow {
        let cluster = |c: crate::db::clusters::ClusterRow| ClusterRef {
            id: c.id.into(),
            name: c.name,
            country: c.country,
        };
        ReciprocityRow {
            partnership_id: r.partnership.id.into(),
            partnership_state: r.partnership.state,
            cluster_a: cluster(r.cluster_a),
            cluster_b: cluster(r.cluster_b),
            landings_a_to_b: r.used.landings_a_to_b,
            landings_b_to_a: r.used.landings_b_to_a,
            visitor_days_a_hosted: r.used.visitor_days_a_hosted,
            visitor_days_b_hosted: r.used.visitor_days_b_hosted,
            balance: r.used.balance(),
        }
    }
}

/// The reciprocity report: every partnership the caller may see, whole (`next_cursor` is
/// always null).
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct ReciprocityReport {
    pub from: NaiveDate,
    pub to: NaiveDate,
    pub items: Vec<ReciprocityRow>,
    pub next_cursor: Option<String>,
}

const RECIPROCITY_COLUMNS: [&str; 13] = [
    "partnership_id",
    "partnership_state",
    "cluster_a_id",
    "cluster_a_name",
    "cluster_a_country",
    "cluster_b_id",
    "cluster_b_name",
    "cluster_b_country",
    "landings_a_to_b",
    "landings_b_to_a",
    "visitor_days_a_hosted",
    "visitor_days_b_hosted",
    "balance",
];

/// The reciprocity rows as CSV records, the header first, one column per field.
pub fn reciprocity_records(rows: Vec<ReciprocityRow>) -> Vec<Vec<String>> {
    let mut records = vec![RECIPROCITY_COLUMNS.map(str::to_owned).to_vec()];
    for r in rows {
        records.push(vec![
            r.partnership_id,
            r.partnership_state.as_str().to_owned(),
            r.cluster_a.id,
            r.cluster_a.name,
            r.cluster_a.country,
            r.cluster_b.id,
            r.cluster_b.name,
            r.cluster_b.country,
            r.landings_a_to_b.to_string(),
            r.landings_b_to_a.to_string(),
            r.visitor_days_a_hosted.to_string(),
            r.visitor_days_b_hosted.to_string(),
            r.balance.to_string(),
        ]);
    }
    records
}

/// How each partnership was used in `[from, to]`: the landings in each direction and the
/// visitor-days each side hosted. The admin sees every partnership that has been in force, a
/// cluster's managers and API clients those of their cluster; anyone else gets 403.
/// `Accept: text/csv` answers the same rows as CSV, one column per field (the clusters as
/// `cluster_a_id`, `cluster_a_name`, `cluster_a_country`, ...).
#[utoipa::path(
    tag = "reports",
    security(("bearer" = [])),
    params(ReciprocityParams),
    responses(
        (status = 200, description = "The report; as CSV with `Accept: text/csv`",
            content((ReciprocityReport = "application/json"), (String = "text/csv")),
            headers(("Content-Disposition" = String, description = "With CSV: `attachment; filename=\"reciprocity-<from>-<to>.csv\"`"))),
        (status = 401, body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 403, body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 406, body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 422, body = crate::error::Problem, content_type = "application/problem+json",
            description = "`from` or `to` missing or not a day, `to` before `from`, a range over 1096 days, a malformed `partner_cluster_id`")
    )
)]
#[get("/reports/reciprocity")]
pub async fn reciprocity(
    state: web::Data<AppState>,
    principal: Principal,
    req: HttpRequest,
    Query(params): Query<ReciprocityParams>,
) -> ApiResult<HttpResponse> {
    let format = negotiate(&req)?;
    let report = reports::reciprocity(&state, principal, params.parse()).await?;
    let range = report.range;
    let rows: Vec<ReciprocityRow> = report.pairs.into_iter().map(ReciprocityRow::from).collect();
    match format {
        Format::Json => Ok(json_response(&ReciprocityReport {
            from: range.start(),
            to: range.end(),
            items: rows,
            next_cursor: None,
        })),
        Format::Csv => csv_response(
            &format!("reciprocity-{}-{}.csv", range.start(), range.end()),
            reciprocity_records(rows),
        ),
    }
}

// ---------------------------------------------------------------------------------------------
// Summary

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
pub struct SummaryParams {
    /// First day of the range (`YYYY-MM-DD`, in each host's calendar). Required.
    pub from: Option<String>,
    /// Last day of the range, inclusive; at most 1096 days after `from`. Required.
    pub to: Option<String>,
}

impl SummaryParams {
    pub fn parse(self) -> Result<DateRange, ApiError> {
        let mut f = Fields::new();
        let range = range_of(&mut f, self.from, self.to);
        f.finish(|| range).map_err(ApiError::validation)
    }
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct CountryCount {
    pub country: String,
    pub landings: i64,
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct KindCount {
    pub kind: OfferKind,
    pub landings: i64,
}

/// The median and 90th percentile of a duration, in seconds, over `count` landings; null
/// without any.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct DurationView {
    pub count: i64,
    pub median_seconds: Option<i64>,
    pub p90_seconds: Option<i64>,
}

impl From<Durations> for DurationView {
    fn from(d: Durations) -> DurationView {
        DurationView {
            count: d.count,
            median_seconds: d.median_seconds,
            p90_seconds: d.p90_seconds,
        }
    }
}

/// How the landings whose stay shares a day with `[from, to]` fared.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct SummaryReport {
    pub from: NaiveDate,
    pub to: NaiveDate,
    /// The cluster whose landings (hosted or sent) the summary covers; null for the whole
    /// network (the admin's).
    pub cluster_id: Option<String>,
    /// Landings in the range, in any state.
    pub landings: i64,
    /// Every state, with 0 where there are none.
    #[schema(value_type = Object, example = json!({"approved": 3, "rejected": 1}))]
    pub by_state: serde_json::Map<String, serde_json::Value>,
    /// The most first.
    pub by_host_country: Vec<CountryCount>,
    /// The most first.
    pub by_offer_kind: Vec<KindCount>,
    /// Landings the host approved (approved, completed, no-show, or cancelled after approval).
    pub approved: i64,
    /// Landings the host approved or rejected.
    pub decided: i64,
    /// `approved / decided`, to four decimals; null when nothing was decided.
    pub approval_rate: Option<f64>,
    /// From submission to the host's approval or rejection.
    pub time_to_decision: DurationView,
    /// From submission to the home cluster's endorsement (partnerships that require it).
    pub time_to_endorsement: DurationView,
    pub no_shows: i64,
    /// No-shows over completed and no-show landings; null when there are none.
    pub no_show_rate: Option<f64>,
    /// Feedback ratings given, and their mean (1 to 5, four decimals; null without any).
    pub ratings: i64,
    pub average_rating: Option<f64>,
}

impl From<Summary> for SummaryReport {
    fn from(s: Summary) -> SummaryReport {
        SummaryReport {
            from: s.range.start(),
            to: s.range.end(),
            cluster_id: s.cluster_id,
            landings: s.landings,
            by_state: s
                .by_state
                .iter()
                .map(|(state, n)| (state.as_str().to_owned(), (*n).into()))
                .collect(),
            by_host_country: s
                .by_host_country
                .into_iter()
                .map(|(country, landings)| CountryCount { country, landings })
                .collect(),
            by_offer_kind: s
                .by_offer_kind
                .into_iter()
                .map(|(kind, landings)| KindCount { kind, landings })
                .collect(),
            approved: s.approved,
            decided: s.decided,
            approval_rate: s.approval_rate,
            time_to_decision: s.time_to_decision.into(),
            time_to_endorsement: s.time_to_endorsement.into(),
            no_shows: s.no_shows,
            no_show_rate: s.no_show_rate,
            ratings: s.ratings,
            average_rating: s.average_rating,
        }
    }
}

/// The summary as CSV rows `metric,key,value`: one row per figure, lists one row per entry.
pub fn summary_records(s: &SummaryReport) -> Vec<Vec<String>> {
    let row =
        |metric: &str, key: &str, value: String| vec![metric.to_owned(), key.to_owned(), value];
    let mut out = vec![row("metric", "key", "value".to_owned())];
    out.push(row("from", "", s.from.to_string()));
    out.push(row("to", "", s.to.to_string()));
    out.push(row("cluster_id", "", figure(s.cluster_id.as_ref())));
    out.push(row("landings", "", s.landings.to_string()));
    for state in LandingState::ALL {
        let n = s.by_state.get(state.as_str()).and_then(|v| v.as_i64());
        out.push(row("by_state", state.as_str(), figure(n)));
    }
    for c in &s.by_host_country {
        out.push(row("by_host_country", &c.country, c.landings.to_string()));
    }
    for k in &s.by_offer_kind {
        out.push(row(
            "by_offer_kind",
            k.kind.as_str(),
            k.landings.to_string(),
        ));
    }
    out.push(row("approved", "", s.approved.to_string()));
    out.push(row("decided", "", s.decided.to_string()));
    out.push(row("approval_rate", "", figure(s.approval_rate)));
    for (metric, d) in [
        ("time_to_decision", &s.time_to_decision),
        ("time_to_endorsement", &s.time_to_endorsement),
    ] {
        out.push(row(metric, "count", d.count.to_string()));
        out.push(row(metric, "median_seconds", figure(d.median_seconds)));
        out.push(row(metric, "p90_seconds", figure(d.p90_seconds)));
    }
    out.push(row("no_shows", "", s.no_shows.to_string()));
    out.push(row("no_show_rate", "", figure(s.no_show_rate)));
    out.push(row("ratings", "", s.ratings.to_string()));
    out.push(row("average_rating", "", figure(s.average_rating)));
    out
}

/// How the landings of `[from, to]` fared: by state, host country and offer kind, the host's
/// approval rate, how long decisions and endorsements took (median, 90th percentile), the
/// no-show rate and the average rating. A landing is in the range when its stay shares a day
/// with it (days in its host's calendar). The admin's summary covers the network; a cluster's
/// managers' and API clients' the landings their cluster hosted or sent; anyone else gets 403.
/// `Accept: text/csv` answers rows `metric,key,value`.
#[utoipa::path(
    tag = "reports",
    security(("bearer" = [])),
    params(SummaryParams),
    responses(
        (status = 200, description = "The summary; as CSV with `Accept: text/csv`",
            content((SummaryReport = "application/json"), (String = "text/csv")),
            headers(("Content-Disposition" = String, description = "With CSV: `attachment; filename=\"summary-<from>-<to>.csv\"`"))),
        (status = 401, body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 403, body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 406, body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 422, body = crate::error::Problem, content_type = "application/problem+json",
            description = "`from` or `to` missing or not a day, `to` before `from`, a range over 1096 days")
    )
)]
#[get("/reports/summary")]
pub async fn summary(
    state: web::Data<AppState>,
    principal: Principal,
    req: HttpRequest,
    Query(params): Query<SummaryParams>,
) -> ApiResult<HttpResponse> {
    let format = negotiate(&req)?;
    let report = SummaryReport::from(reports::summary(&state, principal, params.parse()).await?);
    match format {
        Format::Json => Ok(json_response(&report)),
        Format::Csv => csv_response(
            &format!("summary-{}-{}.csv", report.from, report.to),
            summary_records(&report),
        ),
    }
}
