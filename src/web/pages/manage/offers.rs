//! `/manage/offers`: a cluster's offers in every state, creating one, and one offer's page —
//! its edit form (an edit that crosses another says so and shows what is stored now), the
//! state changes the state machine allows, its blackouts, and a month of booked and free
//! places per day. Every change goes through the use case the API's endpoint calls
//! ([`crate::service::offers`]); another cluster's offer is not found here, published or not.

use actix_web::http::StatusCode;
use actix_web::web;
use chrono::{Datelike, NaiveDate};
use minijinja::{Value, context};
use serde::{Deserialize, Serialize};

use crate::api::extract::Input;
use crate::api::offers::CreateOffer;
use crate::api::offers::blackouts::CreateBlackout;
use crate::auth::Principal;
use crate::db::offers::OfferRow;
use crate::domain::calendar;
use crate::domain::ids::{BlackoutId, ClusterId, OfferId};
use crate::domain::offer::{OfferAction, OfferKind, OfferState, transition};
use crate::error::{ApiError, FieldError};
use crate::i18n::{self, Arg};
use crate::service::precondition::{IfMatch, etag};
use crate::service::{clusters, offers};
use crate::state::AppState;
use crate::web::forms::{FormData, FormErrors, Refusal, Submitted};
use crate::web::pages::public::{month_of, parse_month};
use crate::web::render::{OrPage, PageError, PageResult, page_with_status, see_other_with};
use crate::web::session::Visitor;
use crate::web::views::OfferView;

/// The most offers the list shows.
const LIST_LIMIT: i64 = 500;

const ACTIONS: [OfferAction; 3] = [
    OfferAction::Publish,
    OfferAction::Pause,
    OfferAction::Archive,
];

const STATES: [OfferState; 4] = [
    OfferState::Draft,
    OfferState::Published,
    OfferState::Paused,
    OfferState::Archived,
];

/// This area's addresses. Actions and blackouts sit one segment deeper than `/manage`'s
/// decisions (`/manage/{kind}/{id}/{action}`), which are routed first.
pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.route("/manage/offers", web::get().to(list))
        .route("/manage/offers/new", web::get().to(new_form))
        .route("/manage/offers/new", web::post().to(create))
        .route("/manage/offers/{id}", web::get().to(detail))
        .route("/manage/offers/{id}", web::post().to(update))
        .route("/manage/offers/{id}/state/{action}", web::post().to(act))
        .route(
            "/manage/offers/{id}/blackouts/add",
            web::post().to(add_blackout),
        )
        .route(
            "/manage/offers/{id}/blackouts/{bid}/remove",
            web::post().to(remove_blackout),
        );
}

fn text(visitor: &Visitor, key: &str, args: &[(&str, Arg<'_>)]) -> String {
    i18n::text(visitor.locale, key, args)
}

/// The manager's cluster, or not found.
fn cluster_of(visitor: &Visitor) -> Result<(Principal, ClusterId), PageError> {
    let who = visitor.manager()?;
    let id = who
        .cluster_id
        .as_deref()
        .and_then(ClusterId::parse)
        .ok_or_else(|| PageError::not_found(visitor))?;
    Ok((who, id))
}

/// The offer `raw_id` of the manager's own cluster; any other (a published offer of another
/// cluster included) is not found.
async fn managed(
    state: &AppState,
    visitor: &Visitor,
    raw_id: &str,
) -> Result<(Principal, OfferId, OfferRow), PageError> {
    let who = visitor.manager()?;
    let id = OfferId::parse(raw_id).ok_or_else(|| PageError::not_found(visitor))?;
    let row = offers::get(state, Some(who.clone()), id.clone())
        .await
        .or_page(visitor)?;
    if !who.manages_cluster(&row.cluster_id) {
        return Err(PageError::not_found(visitor));
    }
    Ok((who, id, row))
}

#[derive(Debug, Deserialize)]
pub struct ListQuery {
    pub state: Option<String>,
}

/// `GET /manage/offers`: the cluster's offers, every state or one.
pub async fn list(
    state: web::Data<AppState>,
    visitor: Visitor,
    query: web::Query<ListQuery>,
) -> PageResult {
    let (who, cluster) = cluster_of(&visitor)?;
    let only = query.state.as_deref().and_then(OfferState::parse);
    let rows = offers::of_cluster(&state, who, cluster, only, LIST_LIMIT)
        .await
        .or_page(&visitor)?;
    let items: Vec<OfferView> = rows.iter().map(OfferView::from).collect();
    page_with_status(
        &visitor,
        StatusCode::OK,
        "manage_offers.html",
        context! {
            items => items,
            states => STATES.iter().map(|s| s.as_str()).collect::<Vec<_>>(),
            only => only.map(OfferState::as_str),
        },
    )
}

/// The form's fields as the template reads them back.
fn values_of_form(data: &FormData) -> Value {
    let field = |name: &str| data.raw(name).unwrap_or_default();
    context! {
        kind => field("kind"),
        title => field("title"),
        description => field("description"),
        city => field("city"),
        address => field("address"),
        capacity => field("capacity"),
        available_from => field("available_from"),
        available_until => field("available_until"),
        max_stay_days => field("max_stay_days"),
        open_weekdays => data.all("open_weekdays"),
        languages => field("languages"),
        sectors => field("sectors"),
    }
}

/// The stored offer as the edit form shows it.
fn values_of_row(row: &OfferRow) -> Value {
    context! {
        kind => row.kind.as_str(),
        title => &row.title,
        description => &row.description,
        city => &row.city,
        address => row.address.clone().unwrap_or_default(),
        capacity => row.capacity.to_string(),
        available_from => row.available_from.to_string(),
        available_until => row.available_until.to_string(),
        max_stay_days => row.max_stay_days.to_string(),
        open_weekdays => row.weekdays().list().iter().map(u8::to_string).collect::<Vec<_>>(),
        languages => row.languages().join(", "),
        sectors => row.sectors().join(", "),
    }
}

/// A new offer's form, filled with the usual choices.
fn defaults() -> Value {
    context! {
        kind => OfferKind::ALL[0].as_str(),
        capacity => "1",
        max_stay_days => "5",
        open_weekdays => ["1", "2", "3", "4", "5"],
        languages => "en",
    }
}

/// The offer as the API reads it, from the form's fields; numbers that are not numbers are
/// the form's errors at their fields.
fn offer_input(data: &FormData) -> Result<CreateOffer, Vec<FieldError>> {
    let mut errors = Vec::new();
    let mut number = |name: &str| match data.get(name) {
        Some(v) => match v.parse::<i64>() {
            Ok(n) => Some(n),
            Err(_) => {
                errors.push(FieldError::because(
                    name,
                    "must be a whole number",
                    "err-number",
                    vec![],
                ));
                None
            }
        },
        None => None,
    };
    let capacity = number("capacity");
    let max_stay_days = number("max_stay_days");
    let weekdays: Vec<i64> = data
        .all("open_weekdays")
        .iter()
        .filter_map(|d| d.parse::<i64>().ok())
        .collect();
    let languages: Vec<String> = data
        .get("languages")
        .unwrap_or_default()
        .split([',', ' '])
        .map(|l| l.trim().to_lowercase())
        .filter(|l| !l.is_empty())
        .collect();
    let sectors: Vec<String> = data
        .get("sectors")
        .unwrap_or_default()
        .split(',')
        .map(|s| s.trim().to_lowercase())
        .filter(|s| !s.is_empty())
        .collect();
    if !errors.is_empty() {
        return Err(errors);
    }
    Ok(CreateOffer {
        kind: data.get("kind"),
        title: data.get("title"),
        description: data.get("description"),
        city: data.get("city"),
        address: Some(data.get("address").unwrap_or_default()),
        capacity,
        available_from: data.get("available_from"),
        available_until: data.get("available_until"),
        max_stay_days,
        open_weekdays: Some(weekdays),
        languages: Some(languages),
        sectors: Some(sectors),
    })
}

/// The message key that words a rule's refusal at `field` in the reader's language.
fn field_key(field: &str) -> Option<&'static str> {
    Some(match field {
        "kind" => "manage-offer-err-kind",
        "title" => "manage-offer-err-title",
        "description" => "manage-offer-err-description",
        "city" => "manage-offer-err-city",
        "address" => "manage-offer-err-address",
        "capacity" => "manage-offer-err-capacity",
        "available_from" => "manage-offer-err-available-from",
        "available_until" => "manage-offer-err-available-until",
        "max_stay_days" => "manage-offer-err-max-stay",
        "open_weekdays" => "manage-offer-err-weekdays",
        "languages" => "manage-offer-err-languages",
        "sectors" => "manage-offer-err-sectors",
        "start_date" => "manage-offer-err-start-date",
        "end_date" => "manage-offer-err-end-date",
        "reason" => "manage-offer-err-reason",
        _ => return None,
    })
}

/// The use case's field errors, each worded by this page where the rule gave no message key.
fn worded(errors: Vec<FieldError>) -> Vec<FieldError> {
    errors
        .into_iter()
        .map(|e| {
            let field = e.field.split('[').next().unwrap_or(&e.field).to_owned();
            match (&e.reason, field_key(&field)) {
                (None, Some(key)) => FieldError::because(field, e.message, key, vec![]),
                _ => e,
            }
        })
        .collect()
}

/// The first day a refusal names (`first_day`), if it names one.
fn first_day(error: &ApiError) -> String {
    match error {
        ApiError::Problem(p) => p
            .extensions
            .get("first_day")
            .and_then(|d| d.as_str())
            .unwrap_or_default()
            .to_owned(),
        _ => String::new(),
    }
}

/// One message at `field`, with arguments.
fn at_field(field: &str, message: String) -> FormErrors {
    let mut errors = FormErrors::default();
    errors.by_field.insert(field.to_owned(), message.clone());
    errors.summary.push(crate::web::forms::Problem {
        field: field.to_owned(),
        message,
    });
    errors
}

/// `GET /manage/offers/new`
pub async fn new_form(visitor: Visitor) -> PageResult {
    cluster_of(&visitor)?;
    show_new(&visitor, defaults(), FormErrors::default(), StatusCode::OK)
}

fn show_new(
    visitor: &Visitor,
    values: Value,
    errors: FormErrors,
    status: StatusCode,
) -> PageResult {
    page_with_status(
        visitor,
        status,
        "manage_offer_new.html",
        context! {
            values => values,
            errors => errors,
            kinds => OfferKind::ALL.iter().map(|k| k.as_str()).collect::<Vec<_>>(),
        },
    )
}

/// `POST /manage/offers/new`: creates the offer as a draft and goes to its page.
pub async fn create(state: web::Data<AppState>, form: Submitted) -> PageResult {
    let Submitted { visitor, data } = form;
    let (who, cluster) = cluster_of(&visitor)?;
    let outcome = match offer_input(&data) {
        Ok(input) => match input.parse() {
            Ok(fields) => offers::create(&state, who, cluster, fields).await,
            Err(errors) => Err(ApiError::Validation(errors)),
        },
        Err(errors) => Err(ApiError::Validation(errors)),
    };
    let errors = match outcome {
        Ok(row) => {
            return Ok(see_other_with(
                &visitor,
                &format!("/manage/offers/{}", row.id),
                "flash-manage-offer-created",
            ));
        }
        Err(ApiError::Validation(fields)) => FormErrors::from_fields(&worded(fields), &visitor),
        Err(other) => match Refusal::of(other, &visitor) {
            Refusal::Form(errors) => errors,
            Refusal::Page(page) => return Err(page),
        },
    };
    show_new(
        &visitor,
        values_of_form(&data),
        errors,
        StatusCode::UNPROCESSABLE_ENTITY,
    )
}

/// What the offer's page shows besides the stored offer.
#[derive(Default)]
struct Shown {
    /// The edit form as posted, when it failed; otherwise the stored offer.
    values: Option<Value>,
    /// The version the edit form was read at, when it failed for its fields.
    etag: Option<String>,
    errors: FormErrors,
    /// Someone else changed the offer since the form was read.
    conflict: bool,
    /// Why a state change was refused.
    action_error: Option<String>,
    blackout_values: Option<Value>,
    blackout_errors: FormErrors,
    month: Option<NaiveDate>,
}

#[derive(Serialize)]
struct BlackoutItem {
    id: String,
    start_date: String,
    end_date: String,
    reason: String,
}

async fn show(
    state: &AppState,
    visitor: &Visitor,
    raw_id: &str,
    shown: Shown,
    status: StatusCode,
) -> PageResult {
    let (who, id, row) = managed(state, visitor, raw_id).await?;
    let host = clusters::get(state, row.cluster_id.clone())
        .await
        .or_page(visitor)?;
    let blackouts = offers::blackouts(state, Some(who.clone()), id.clone())
        .await
        .or_page(visitor)?;
    let today = state.clock.today_in(&host.timezone);
    let first = shown
        .month
        .unwrap_or_else(|| calendar::first_shown_month(&row.opening(), today));
    let last = calendar::last_of_month(first);
    let days = offers::availability(state, Some(who), id, Some(first), Some(last))
        .await
        .or_page(visitor)?;
    let month = month_of(first, last, &days, row.available_from, row.available_until);
    let blackout_days: Vec<String> = first
        .iter_days()
        .take_while(|d| *d <= last)
        .filter(|d| {
            blackouts
                .iter()
                .any(|b| b.start_date <= *d && *d <= b.end_date)
        })
        .map(|d| d.to_string())
        .collect();
    let booked: Vec<(String, i32)> = days
        .iter()
        .filter(|d| d.booked > 0)
        .map(|d| (d.date.to_string(), d.booked))
        .collect();
    let actions: Vec<&str> = ACTIONS
        .into_iter()
        .filter(|a| transition(row.state, *a).is_ok())
        .map(OfferAction::as_str)
        .collect();
    let items: Vec<BlackoutItem> = blackouts
        .iter()
        .map(|b| BlackoutItem {
            id: b.id.to_string(),
            start_date: b.start_date.to_string(),
            end_date: b.end_date.to_string(),
            reason: b.reason.clone(),
        })
        .collect();
    page_with_status(
        visitor,
        status,
        "manage_offer.html",
        context! {
            offer => OfferView::from(&row),
            weekdays => row.weekdays().list(),
            host => crate::web::views::ClusterView::from(&host),
            etag => shown.etag.unwrap_or_else(|| etag(&row.id, row.version)),
            values => shown.values.unwrap_or_else(|| values_of_row(&row)),
            errors => shown.errors,
            conflict => shown.conflict,
            archived => row.state == OfferState::Archived,
            actions => actions,
            action_error => shown.action_error,
            blackouts => items,
            blackout_values => shown.blackout_values.unwrap_or_default(),
            blackout_errors => shown.blackout_errors,
            month => month,
            blackout_days => blackout_days,
            booked => booked.into_iter().collect::<std::collections::BTreeMap<_, _>>(),
            kinds => OfferKind::ALL.iter().map(|k| k.as_str()).collect::<Vec<_>>(),
        },
    )
}

#[derive(Debug, Deserialize)]
pub struct MonthQuery {
    pub month: Option<String>,
}

/// `GET /manage/offers/{id}`
pub async fn detail(
    state: web::Data<AppState>,
    visitor: Visitor,
    path: web::Path<String>,
    query: web::Query<MonthQuery>,
) -> PageResult {
    let shown = Shown {
        month: parse_month(query.month.as_deref()),
        ..Shown::default()
    };
    show(&state, &visitor, &path, shown, StatusCode::OK).await
}

/// `POST /manage/offers/{id}`: saves the edit if nobody changed the offer since the form was
/// read; otherwise says so and shows what is stored now.
pub async fn update(
    state: web::Data<AppState>,
    path: web::Path<String>,
    form: Submitted,
) -> PageResult {
    let Submitted { visitor, data } = form;
    let (who, id, _) = managed(&state, &visitor, &path).await?;
    let if_match = match data.get("etag") {
        Some(tag) => IfMatch::Tags(vec![tag]),
        None => IfMatch::Any,
    };
    let outcome = match offer_input(&data) {
        Ok(input) => match input.parse() {
            Ok(fields) => offers::update(&state, who, id, if_match, move |_| Ok(fields)).await,
            Err(errors) => Err(ApiError::Validation(errors)),
        },
        Err(errors) => Err(ApiError::Validation(errors)),
    };
    let failed = |errors: FormErrors| Shown {
        values: Some(values_of_form(&data)),
        etag: data.get("etag"),
        errors,
        ..Shown::default()
    };
    let (shown, status) = match outcome {
        Ok(row) => {
            return Ok(see_other_with(
                &visitor,
                &format!("/manage/offers/{}", row.id),
                "flash-manage-offer-saved",
            ));
        }
        Err(ApiError::Validation(fields)) => (
            failed(FormErrors::from_fields(&worded(fields), &visitor)),
            StatusCode::UNPROCESSABLE_ENTITY,
        ),
        Err(ApiError::Problem(p)) if p.status == StatusCode::PRECONDITION_FAILED => (
            Shown {
                conflict: true,
                ..Shown::default()
            },
            StatusCode::CONFLICT,
        ),
        Err(e @ ApiError::Problem(_)) if problem_code(&e) == "capacity_below_bookings" => {
            let day = first_day(&e);
            let message = text(
                &visitor,
                "manage-offer-err-capacity-booked",
                &[("day", Arg::from(day))],
            );
            (failed(at_field("capacity", message)), StatusCode::CONFLICT)
        }
        Err(e @ ApiError::Problem(_)) if problem_code(&e) == "days_booked" => {
            let day = first_day(&e);
            let message = text(
                &visitor,
                "manage-offer-err-closes-booked",
                &[("day", Arg::from(day))],
            );
            (
                failed(at_field("available_from", message)),
                StatusCode::CONFLICT,
            )
        }
        Err(e @ ApiError::Problem(_)) if problem_code(&e) == "offer_archived" => (
            Shown {
                action_error: Some(text(&visitor, "manage-offer-err-archived", &[])),
                ..Shown::default()
            },
            StatusCode::CONFLICT,
        ),
        Err(other) => match Refusal::of(other, &visitor) {
            Refusal::Form(errors) => (failed(errors), StatusCode::UNPROCESSABLE_ENTITY),
            Refusal::Page(page) => return Err(page),
        },
    };
    show(&state, &visitor, &path, shown, status).await
}

fn problem_code(error: &ApiError) -> &str {
    match error {
        ApiError::Problem(p) => &p.code,
        _ => "",
    }
}

/// `POST /manage/offers/{id}/state/{action}`: publish, pause or archive, as the state allows.
pub async fn act(
    state: web::Data<AppState>,
    path: web::Path<(String, String)>,
    form: Submitted,
) -> PageResult {
    let Submitted { visitor, .. } = form;
    let (raw_id, raw_action) = path.into_inner();
    let (who, id, _) = managed(&state, &visitor, &raw_id).await?;
    let (action, done) = match raw_action.as_str() {
        "publish" => (OfferAction::Publish, "flash-manage-offer-published"),
        "pause" => (OfferAction::Pause, "flash-manage-offer-paused"),
        "archive" => (OfferAction::Archive, "flash-manage-offer-archived"),
        _ => return Err(PageError::not_found(&visitor)),
    };
    match offers::act(&state, who, id, action).await {
        Ok(row) => Ok(see_other_with(
            &visitor,
            &format!("/manage/offers/{}", row.id),
            done,
        )),
        Err(ApiError::Problem(p)) if p.status == StatusCode::CONFLICT => {
            let shown = Shown {
                action_error: Some(text(&visitor, "manage-offer-err-transition", &[])),
                ..Shown::default()
            };
            show(&state, &visitor, &raw_id, shown, StatusCode::CONFLICT).await
        }
        Err(other) => Err(PageError::from_api(other, &visitor)),
    }
}

/// `POST /manage/offers/{id}/blackouts/add`: closes the days, unless a landing holds one.
pub async fn add_blackout(
    state: web::Data<AppState>,
    path: web::Path<String>,
    form: Submitted,
) -> PageResult {
    let Submitted { visitor, data } = form;
    let (who, id, _) = managed(&state, &visitor, &path).await?;
    let request = CreateBlackout {
        start_date: data.get("start_date"),
        end_date: data.get("end_date"),
        reason: data.get("reason"),
    };
    let outcome = match request.parse() {
        Ok(blackout) => offers::add_blackout(&state, who, id, blackout).await,
        Err(errors) => Err(ApiError::Validation(errors)),
    };
    let (errors, status) = match outcome {
        Ok(row) => {
            return Ok(see_other_with(
                &visitor,
                &format!(
                    "/manage/offers/{}?month={}#blackouts",
                    row.offer_id,
                    row.start_date.format("%Y-%m")
                ),
                "flash-manage-blackout-added",
            ));
        }
        Err(ApiError::Validation(fields)) => (
            FormErrors::from_fields(&worded(fields), &visitor),
            StatusCode::UNPROCESSABLE_ENTITY,
        ),
        Err(e @ ApiError::Problem(_)) if problem_code(&e) == "days_booked" => {
            let day = first_day(&e);
            let message = text(
                &visitor,
                "manage-offer-err-blackout-booked",
                &[("day", Arg::from(day))],
            );
            (at_field("start_date", message), StatusCode::CONFLICT)
        }
        Err(other) => match Refusal::of(other, &visitor) {
            Refusal::Form(errors) => (errors, StatusCode::UNPROCESSABLE_ENTITY),
            Refusal::Page(page) => return Err(page),
        },
    };
    let month = data
        .get("start_date")
        .and_then(|d| NaiveDate::parse_from_str(&d, "%Y-%m-%d").ok())
        .and_then(|d| d.with_day(1));
    let shown = Shown {
        blackout_values: Some(Value::from_serialize(data.echo())),
        blackout_errors: errors,
        month,
        ..Shown::default()
    };
    show(&state, &visitor, &path, shown, status).await
}

/// `POST /manage/offers/{id}/blackouts/{bid}/remove`: opens the days again.
pub async fn remove_blackout(
    state: web::Data<AppState>,
    path: web::Path<(String, String)>,
    form: Submitted,
) -> PageResult {
    let Submitted { visitor, .. } = form;
    let (raw_id, raw_bid) = path.into_inner();
    let (who, id, _) = managed(&state, &visitor, &raw_id).await?;
    let bid = BlackoutId::parse(&raw_bid).ok_or_else(|| PageError::not_found(&visitor))?;
    offers::remove_blackout(&state, who, id, bid)
        .await
        .or_page(&visitor)?;
    Ok(see_other_with(
        &visitor,
        &format!("/manage/offers/{raw_id}#blackouts"),
        "flash-manage-blackout-removed",
    ))
}
