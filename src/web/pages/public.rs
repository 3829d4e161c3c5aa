//! The pages anyone may read: the front page, the offer search, an offer with its calendar of
//! free places, and the cluster directory.

use actix_web::{HttpRequest, web};
use chrono::{Datelike, NaiveDate};
use minijinja::context;
use serde::Serialize;

use crate::api::paging::encode_cursor;
use crate::api::search::SearchQuery;
use crate::db::clusters::ClusterFilter;
use crate::db::offers::SearchFilter;
use crate::domain::calendar::last_of_month;
use crate::domain::ids::{ClusterId, OfferId};
use crate::domain::offer::OfferKind;
use crate::error::ApiError;
use crate::service::{clusters, offers, search};
use crate::state::AppState;
use crate::web::forms::FormErrors;
use crate::web::render::{OrPage, PageError, PageResult, page, page_with_status};
use crate::web::session::Visitor;
use crate::web::views::{ClusterView, OfferView};

/// Results per page of the search.
const PAGE_SIZE: i64 = 20;

/// The most clusters a page lists (the front page, the directory, the sign-up's choice).
const DIRECTORY_LIMIT: i64 = 500;

/// The network's clusters, as the pages that list them show them.
pub async fn directory(state: &AppState, visitor: &Visitor) -> Result<Vec<ClusterView>, PageError> {
    let rows = clusters::list(
        state,
        ClusterFilter {
            country: None,
            sector: None,
            after: None,
            limit: DIRECTORY_LIMIT,
        },
    )
    .await
    .or_page(visitor)?;
    let shown = usize::try_from(DIRECTORY_LIMIT).unwrap_or(usize::MAX);
    Ok(rows.iter().take(shown).map(ClusterView::from).collect())
}

/// `GET /`: what the network is, a search box and the clusters.
pub async fn home(state: web::Data<AppState>, visitor: Visitor) -> PageResult {
    let clusters = directory(&state, &visitor).await?;
    page(&visitor, "home.html", context! { clusters => clusters })
}

/// The search form's fields as typed: blank fields are no filter.
#[derive(Debug, Clone, Default, Serialize, serde::Deserialize)]
pub struct SearchForm {
    #[serde(default)]
    pub q: String,
    #[serde(default)]
    pub country: String,
    #[serde(default)]
    pub city: String,
    #[serde(default)]
    pub kind: String,
    #[serde(default)]
    pub sector: String,
    #[serde(default)]
    pub language: String,
    #[serde(default)]
    pub from: String,
    #[serde(default)]
    pub to: String,
    #[serde(default)]
    pub headcount: String,
    #[serde(default)]
    pub cursor: String,
}

fn blank_to_none(s: &str) -> Option<String> {
    Some(s.trim().to_owned()).filter(|s| !s.is_empty())
}

impl SearchForm {
    /// The API's search parameters for these fields; a headcount that is not a number is the
    /// form's error at that field.
    fn query(&self) -> Result<SearchQuery, &'static str> {
        let headcount = match blank_to_none(&self.headcount) {
            Some(h) => Some(h.parse::<i64>().map_err(|_| "headcount")?),
            None => None,
        };
        Ok(SearchQuery {
            country: blank_to_none(&self.country).map(|c| c.to_uppercase()),
            city: blank_to_none(&self.city),
            kind: blank_to_none(&self.kind),
            sector: blank_to_none(&self.sector).map(|s| s.to_lowercase()),
            language: blank_to_none(&self.language).map(|l| l.to_lowercase()),
            cluster_id: None,
            q: blank_to_none(&self.q),
            from: blank_to_none(&self.from),
            to: blank_to_none(&self.to),
            headcount,
            eligible: None,
            limit: Some(PAGE_SIZE),
            cursor: blank_to_none(&self.cursor),
        })
    }

    /// The query string of the next page of these results.
    fn next_page(&self, last_id: &str) -> String {
        let mut next = serde_urlencoded::to_string(SearchForm {
            cursor: encode_cursor(last_id),
            ..self.clone()
        })
        .unwrap_or_default();
        next.insert_str(0, "/offers?");
        next
    }
}

#[derive(Serialize)]
struct ResultItem {
    offer: OfferView,
    cluster: ClusterView,
}

/// `GET /offers`: the search. With htmx (`HX-Request`) only the results are answered, so the
/// list updates in place; without it, the whole page.
pub async fn offers(
    req: HttpRequest,
    state: web::Data<AppState>,
    visitor: Visitor,
    form: web::Query<SearchForm>,
) -> PageResult {
    let form = form.into_inner();
    let parsed = form
        .query()
        .map_err(|field| FormErrors::one(field, "err-number", &visitor))
        .and_then(|q| {
            q.into_filter(None).map_err(|e| match e {
                ApiError::Validation(fields) => FormErrors::from_fields(&fields, &visitor),
                _ => FormErrors::one("q", "err-search", &visitor),
            })
        });
    let (items, next, errors) = match parsed {
        Ok((filter, _)) => {
            let (items, next) = run_search(&state, filter, &form).await.or_page(&visitor)?;
            (items, next, FormErrors::default())
        }
        Err(errors) => (Vec::new(), None, errors),
    };
    let partial = req.headers().contains_key("hx-request");
    let template = if partial {
        "offer_results.html"
    } else {
        "offers.html"
    };
    let status = if errors.is_empty() {
        actix_web::http::StatusCode::OK
    } else {
        actix_web::http::StatusCode::UNPROCESSABLE_ENTITY
    };
    page_with_status(
        &visitor,
        status,
        template,
        context! {
            form => form,
            items => items,
            next => next,
            errors => errors,
            kinds => OfferKind::ALL.iter().map(|k| k.as_str()).collect::<Vec<_>>(),
        },
    )
}

async fn run_search(
    state: &AppState,
    filter: SearchFilter,
    form: &SearchForm,
) -> Result<(Vec<ResultItem>, Option<String>), ApiError> {
    let limit = usize::try_from(filter.limit).unwrap_or(20);
    let mut rows = search::search(state, None, filter).await?;
    let more = rows.len() > limit;
    rows.truncate(limit);
    let next = more
        .then(|| rows.last().map(|(o, _)| form.next_page(&o.id)))
        .flatten();
    let items = rows
        .iter()
        .map(|(o, c)| ResultItem {
            offer: o.into(),
            cluster: c.into(),
        })
        .collect();
    Ok((items, next))
}

#[derive(Debug, serde::Deserialize)]
pub struct MonthQuery {
    pub month: Option<String>,
}

#[derive(Serialize)]
struct CalendarDay {
    date: Option<String>,
    day: u32,
    open: bool,
    remaining: i32,
    capacity: i32,
    full: bool,
}

#[derive(Serialize)]
pub(crate) struct Month {
    /// `2027-03`
    key: String,
    year: i32,
    month: u32,
    weeks: Vec<Vec<CalendarDay>>,
    prev: Option<String>,
    next: Option<String>,
}

pub(crate) fn parse_month(raw: Option<&str>) -> Option<NaiveDate> {
    let raw = raw?;
    NaiveDate::parse_from_str(&format!("{}-01", raw.trim()), "%Y-%m-%d").ok()
}

/// `GET /offers/{id}`: the offer, its host, and a month of free places per day (htmx swaps
/// the calendar alone when the month changes).
pub async fn offer(
    req: HttpRequest,
    state: web::Data<AppState>,
    visitor: Visitor,
    path: web::Path<String>,
    query: web::Query<MonthQuery>,
) -> PageResult {
    let id = OfferId::parse(&path).ok_or_else(|| PageError::not_found(&visitor))?;
    let shown = offers::month(
        &state,
        visitor.principal(),
        id,
        parse_month(query.month.as_deref()),
    )
    .await
    .or_page(&visitor)?;
    let (row, host) = (&shown.offer, &shown.host);
    let month = month_of(
        shown.first,
        shown.last,
        &shown.days,
        row.available_from,
        row.available_until,
    );
    let partial = req.headers().contains_key("hx-request");
    page(
        &visitor,
        if partial {
            "calendar.html"
        } else {
            "offer.html"
        },
        context! {
            offer => OfferView::from(row),
            host => ClusterView::from(host),
            month => month,
            today => shown.today.to_string(),
        },
    )
}

pub(crate) fn month_of(
    first: NaiveDate,
    last: NaiveDate,
    days: &[crate::domain::calendar::Day],
    from: NaiveDate,
    until: NaiveDate,
) -> Month {
    let mut weeks: Vec<Vec<CalendarDay>> = Vec::new();
    let mut week: Vec<CalendarDay> = Vec::new();
    let blank = || CalendarDay {
        date: None,
        day: 0,
        open: false,
        remaining: 0,
        capacity: 0,
        full: false,
    };
    for _ in 0..first.weekday().num_days_from_monday() {
        week.push(blank());
    }
    for day in first.iter_days().take_while(|d| *d <= last) {
        let found = days.iter().find(|d| d.date == day);
        week.push(CalendarDay {
            date: Some(day.to_string()),
            day: day.day(),
            open: found.is_some_and(|d| d.open),
            remaining: found.map(|d| d.remaining).unwrap_or(0),
            capacity: found.map(|d| d.capacity).unwrap_or(0),
            full: found.is_some_and(|d| d.open && d.remaining <= 0),
        });
        if week.len() == 7 {
            weeks.push(std::mem::take(&mut week));
        }
    }
    if !week.is_empty() {
        while week.len() < 7 {
            week.push(blank());
        }
        weeks.push(week);
    }
    let prev_first = first.pred_opt().and_then(|d| d.with_day(1));
    let next_first = last.succ_opt();
    Month {
        key: first.format("%Y-%m").to_string(),
        year: first.year(),
        month: first.month(),
        weeks,
        prev: prev_first
            .filter(|p| last_of_month(*p) >= from)
            .map(|p| p.format("%Y-%m").to_string()),
        next: next_first
            .filter(|n| *n <= until)
            .map(|n| n.format("%Y-%m").to_string()),
    }
}

/// `GET /clusters`: the directory.
pub async fn cluster_list(state: web::Data<AppState>, visitor: Visitor) -> PageResult {
    let clusters = directory(&state, &visitor).await?;
    page(&visitor, "clusters.html", context! { clusters => clusters })
}

/// `GET /clusters/{id}`: a cluster and its published offers.
pub async fn cluster(
    state: web::Data<AppState>,
    visitor: Visitor,
    path: web::Path<String>,
) -> PageResult {
    let id = ClusterId::parse(&path).ok_or_else(|| PageError::not_found(&visitor))?;
    let row = clusters::get(&state, id.clone()).await.or_page(&visitor)?;
    let filter = SearchFilter {
        country: None,
        city: None,
        kind: None,
        sector: None,
        language: None,
        cluster_id: Some(id.to_string()),
        words: Vec::new(),
        range: None,
        clusters_in: None,
        after: None,
        limit: 100,
    };
    let rows = search::search(&state, None, filter)
        .await
        .or_page(&visitor)?;
    let offers: Vec<OfferView> = rows.iter().take(100).map(|(o, _)| o.into()).collect();
    page(
        &visitor,
        "cluster.html",
        context! { cluster => ClusterView::from(&row), offers => offers },
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_month_starts_on_its_weekday_and_fills_whole_weeks() {
        let first = NaiveDate::from_ymd_opt(2027, 3, 1).expect("a day");
        let last = last_of_month(first);
        assert_eq!(last, NaiveDate::from_ymd_opt(2027, 3, 31).expect("a day"));
        let m = month_of(first, last, &[], first, last);
        assert!(m.weeks.iter().all(|w| w.len() == 7));
        assert_eq!(m.weeks[0][0].day, 1, "1 March 2027 is a Monday");
        assert_eq!(m.prev, None);
        assert_eq!(m.next, None);
        let feb = NaiveDate::from_ymd_opt(2027, 2, 1).expect("a day");
        assert_eq!(
            last_of_month(feb),
            NaiveDate::from_ymd_opt(2027, 2, 28).expect("a day")
        );
    }
}
