//! An SME's landings: the request form, the list, and one landing with its timeline, the
//! actions its reader may take, its calendar file and feedback. Each calls the use case the
//! API's `/landings` endpoints call.

use actix_web::http::StatusCode;
use actix_web::http::header::{CONTENT_DISPOSITION, CONTENT_TYPE};
use actix_web::{HttpResponse, web};
use minijinja::context;
use serde::{Deserialize, Serialize};

use crate::api::extract::Input;
use crate::api::landings::feedback::CreateFeedback;
use crate::api::landings::submit::CreateLanding;
use crate::db::audit::EventRow;
use crate::domain::ids::{LandingId, OfferId};
use crate::domain::landing::{LandingAction, LandingState};
use crate::domain::offer::OfferKind;
use crate::error::{ApiError, FieldError};
use crate::service::landings::{self, ActionInput, ListQuery};
use crate::service::offers;
use crate::state::AppState;
use crate::web::forms::{FormData, FormErrors, Refusal, Submitted};
use crate::web::render::{OrPage, PageError, PageResult, page, page_with_status, see_other_with};
use crate::web::session::Visitor;
use crate::web::views::{ClusterView, LandingView, OfferView, SmeView};

#[derive(Debug, Deserialize)]
pub struct NewQuery {
    pub offer_id: Option<String>,
}

/// The request form for `offer_id`, with `values` and `errors`.
async fn request_form(
    state: &AppState,
    visitor: &Visitor,
    offer_id: &str,
    values: minijinja::Value,
    errors: FormErrors,
    status: StatusCode,
) -> PageResult {
    let id = OfferId::parse(offer_id).ok_or_else(|| PageError::not_found(visitor))?;
    let (offer, host) = offers::with_host(state, visitor.principal(), id)
        .await
        .or_page(visitor)?;
    page_with_status(
        visitor,
        status,
        "landing_new.html",
        context! {
            offer => OfferView::from(&offer),
            host => ClusterView::from(&host),
            today => state.clock.today_in(&host.timezone).to_string(),
            kinds => OfferKind::ALL.iter().map(|k| k.as_str()).collect::<Vec<_>>(),
            values => values,
            errors => errors,
        },
    )
}

/// `GET /landings/new?offer_id=`: the request form (SME members).
pub async fn new_form(
    state: web::Data<AppState>,
    visitor: Visitor,
    query: web::Query<NewQuery>,
) -> PageResult {
    visitor.sme_member()?;
    let offer_id = query
        .offer_id
        .clone()
        .ok_or_else(|| PageError::not_found(&visitor))?;
    request_form(
        &state,
        &visitor,
        &offer_id,
        context! {},
        FormErrors::default(),
        StatusCode::OK,
    )
    .await
}

/// The request as the API reads it, from the form's fields.
fn creation(data: &FormData) -> Result<CreateLanding, FieldError> {
    let headcount = match data.get("headcount") {
        Some(h) => Some(h.parse::<i64>().map_err(|_| {
            FieldError::because("headcount", "must be a whole number", "err-number", vec![])
        })?),
        None => None,
    };
    Ok(CreateLanding {
        offer_id: data.get("offer_id"),
        start_date: data.get("start_date"),
        end_date: data.get("end_date"),
        headcount,
        purpose: data.get("purpose"),
        target_market: data.get("target_market"),
        requested_services: Some(data.all("requested_services")),
    })
}

/// The field a refusal of the whole request is shown at, and its message key.
fn refusal_at(code: &str) -> Option<(&'static str, &'static str)> {
    match code {
        "offer_not_published" => Some(("offer_id", "err-offer-not-published")),
        "no_active_partnership" => Some(("offer_id", "err-no-partnership")),
        "service_not_covered" => Some(("offer_id", "err-kind-not-covered")),
        "sme_not_verified" => Some(("offer_id", "err-sme-not-verified")),
        _ => None,
    }
}

/// `POST /landings/new`: submits the request; each broken rule is shown at its field.
pub async fn create(state: web::Data<AppState>, form: Submitted) -> PageResult {
    let Submitted { visitor, data } = form;
    let who = visitor.sme_member()?;
    let offer_id = data.get("offer_id").unwrap_or_default();
    let outcome = match creation(&data) {
        Ok(request) => match request.parse() {
            Ok(submission) => landings::submit(&state, who, submission).await,
            Err(errors) => Err(ApiError::Validation(errors)),
        },
        Err(error) => Err(ApiError::Validation(vec![error])),
    };
    let errors = match outcome {
        Ok(row) => {
            return Ok(see_other_with(
                &visitor,
                &format!("/landings/{}", row.id),
                "flash-landing-requested",
            ));
        }
        Err(ApiError::Validation(fields)) => FormErrors::from_fields(&fields, &visitor),
        Err(ApiError::Problem(p)) => match refusal_at(&p.code) {
            Some((field, key)) => FormErrors::one(field, key, &visitor),
            None if p.status == StatusCode::NOT_FOUND => {
                return Err(PageError::not_found(&visitor));
            }
            None => FormErrors::one("offer_id", "err-request-refused", &visitor),
        },
        Err(other) => return Err(PageError::from_api(other, &visitor)),
    };
    if offer_id.is_empty() {
        return Err(PageError::not_found(&visitor));
    }
    let values = context! {
        requested_services => data.all("requested_services"),
        ..minijinja::Value::from_serialize(data.echo())
    };
    request_form(
        &state,
        &visitor,
        &offer_id,
        values,
        errors,
        StatusCode::UNPROCESSABLE_ENTITY,
    )
    .await
}

#[derive(Debug, Deserialize, Serialize, Default)]
pub struct ListForm {
    #[serde(default)]
    pub state: String,
    /// For a cluster's managers: `hosted` (at its offers), `sent` (by its SMEs), or both.
    #[serde(default)]
    pub side: String,
    /// The page of landings older than this one (its id); the newest page when absent.
    #[serde(default)]
    pub before: String,
}

/// Landings a page of `/landings` shows.
const LIST_PAGE: i64 = 50;

/// `GET /landings`: the caller's landings, newest first, a page at a time, with a state filter
/// (and for a cluster's managers, the side).
pub async fn list(
    state: web::Data<AppState>,
    visitor: Visitor,
    form: web::Query<ListForm>,
) -> PageResult {
    let who = visitor.signed_in()?;
    let wanted = LandingState::parse(form.state.trim());
    let cluster = who.cluster_id.clone();
    let (host_cluster_id, home_cluster_id) = match form.side.as_str() {
        "hosted" => (cluster.clone(), None),
        "sent" => (None, cluster.clone()),
        _ => (None, None),
    };
    // A cursor that is not a landing's id shows the newest page.
    let before = LandingId::parse(form.before.trim()).map(|id| id.to_string());
    let query = ListQuery {
        state: wanted,
        host_cluster_id,
        home_cluster_id,
        newest_first: true,
        before: before.clone(),
        limit: LIST_PAGE,
        ..ListQuery::default()
    };
    let mut rows = landings::list(&state, who, Ok(query))
        .await
        .or_page(&visitor)?;
    let more = rows.len() as i64 > LIST_PAGE;
    rows.truncate(LIST_PAGE as usize);
    let items: Vec<LandingView> = rows.iter().map(LandingView::from).collect();
    let filter = form.into_inner();
    let link = |before: Option<&str>| {
        let mut query = url::form_urlencoded::Serializer::new(String::new());
        for (name, value) in [("state", &filter.state), ("side", &filter.side)] {
            if !value.is_empty() {
                query.append_pair(name, value);
            }
        }
        if let Some(before) = before {
            query.append_pair("before", before);
        }
        let query = query.finish();
        if query.is_empty() {
            "/landings".to_owned()
        } else {
            format!("/landings?{query}")
        }
    };
    let older = more
        .then(|| rows.last().map(|last| link(Some(last.id.as_str()))))
        .flatten();
    let newest = before.is_some().then(|| link(None));
    page(
        &visitor,
        "landings.html",
        context! {
            items => items,
            cluster => cluster,
            older => older,
            newest => newest,
            filter => filter,
            states => LandingState::ALL.iter().map(|s| s.as_str()).collect::<Vec<_>>(),
        },
    )
}

#[derive(Serialize)]
struct TimelineEntry {
    at: String,
    action: String,
    actor_kind: String,
    from_state: Option<String>,
    to_state: String,
    note: Option<String>,
}

impl From<&EventRow> for TimelineEntry {
    fn from(e: &EventRow) -> TimelineEntry {
        TimelineEntry {
            at: e.at.format("%Y-%m-%d %H:%M UTC").to_string(),
            action: e.action.clone(),
            actor_kind: e.actor_kind.clone(),
            from_state: e.from_state.clone(),
            to_state: e.to_state.clone(),
            note: e.note.clone(),
        }
    }
}

async fn show(
    state: &AppState,
    visitor: &Visitor,
    id: LandingId,
    errors: FormErrors,
    status: StatusCode,
) -> PageResult {
    let who = visitor.signed_in()?;
    let d = landings::detail(state, who, id).await.or_page(visitor)?;
    let actions: Vec<&str> = d.actions.iter().map(|a| a.as_str()).collect();
    page_with_status(
        visitor,
        status,
        "landing.html",
        context! {
            landing => LandingView::from(&d.landing),
            offer => OfferView::from(&d.offer),
            host => ClusterView::from(&d.host),
            home => ClusterView::from(&d.home),
            sme => SmeView::from(&d.sme),
            timeline => d.events.iter().map(TimelineEntry::from).collect::<Vec<_>>(),
            actions => actions,
            may_give_feedback => d.may_give_feedback,
            errors => errors,
        },
    )
}

fn landing_id(raw: &str, visitor: &Visitor) -> Result<LandingId, PageError> {
    LandingId::parse(raw).ok_or_else(|| PageError::not_found(visitor))
}

/// `GET /landings/{id}`: the landing, its timeline and what the reader may do.
pub async fn detail(
    state: web::Data<AppState>,
    visitor: Visitor,
    path: web::Path<String>,
) -> PageResult {
    let id = landing_id(&path, &visitor)?;
    show(&state, &visitor, id, FormErrors::default(), StatusCode::OK).await
}

/// The actions the SME's pages offer; the managers' pages add the others.
fn action_of(name: &str) -> Option<LandingAction> {
    match name {
        "withdraw" => Some(LandingAction::Withdraw),
        "cancel" => Some(LandingAction::Cancel),
        _ => None,
    }
}

/// `POST /landings/{id}/{action}`: withdraw, or cancel with a reason.
pub async fn act(
    state: web::Data<AppState>,
    path: web::Path<(String, String)>,
    form: Submitted,
) -> PageResult {
    let Submitted { visitor, data } = form;
    let (raw_id, name) = path.into_inner();
    let id = landing_id(&raw_id, &visitor)?;
    let action = action_of(&name).ok_or_else(|| PageError::not_found(&visitor))?;
    let who = visitor.signed_in()?;
    let input = ActionInput {
        reason: if action.needs_reason() {
            data.get("reason")
        } else {
            None
        },
        ..ActionInput::default()
    };
    match landings::act(&state, who, id.clone(), action, input).await {
        Ok(row) => Ok(see_other_with(
            &visitor,
            &format!("/landings/{}", row.id),
            match action {
                LandingAction::Withdraw => "flash-landing-withdrawn",
                _ => "flash-landing-cancelled",
            },
        )),
        Err(e) => refused(&state, &visitor, id, e).await,
    }
}

/// `POST /landings/{id}/feedback`
pub async fn feedback(
    state: web::Data<AppState>,
    path: web::Path<String>,
    form: Submitted,
) -> PageResult {
    let Submitted { visitor, data } = form;
    let id = landing_id(&path, &visitor)?;
    let who = visitor.signed_in()?;
    let rating = data.get("rating").and_then(|r| r.parse::<i64>().ok());
    let input = CreateFeedback {
        rating,
        comment: data.get("comment"),
    };
    let check = move || input.check().map_err(ApiError::Validation);
    match landings::give_feedback(&state, who, id.clone(), check).await {
        Ok(_) => Ok(see_other_with(
            &visitor,
            &format!("/landings/{id}"),
            "flash-feedback-thanks",
        )),
        Err(e) => refused(&state, &visitor, id, e).await,
    }
}

/// The landing again with why an action on it was refused: a conflict (it changed since the
/// page was shown) points at its state, since the action's form may be gone with the change;
/// a bad field is told at the field.
async fn refused(state: &AppState, visitor: &Visitor, id: LandingId, e: ApiError) -> PageResult {
    let errors = match e {
        ApiError::Problem(p) if p.status == StatusCode::CONFLICT => {
            FormErrors::one("landing-state", "err-action-not-possible", visitor)
        }
        other => match Refusal::of(other, visitor) {
            Refusal::Form(errors) => errors,
            Refusal::Page(page) => return Err(page),
        },
    };
    show(state, visitor, id, errors, StatusCode::UNPROCESSABLE_ENTITY).await
}

/// `GET /landings/{id}/calendar.ics`: the approved landing for the reader's calendar.
pub async fn calendar(
    state: web::Data<AppState>,
    visitor: Visitor,
    path: web::Path<String>,
) -> Result<HttpResponse, PageError> {
    let id = landing_id(&path, &visitor)?;
    let who = visitor.signed_in()?;
    let ics = landings::calendar(&state, who, id.clone())
        .await
        .or_page(&visitor)?;
    Ok(HttpResponse::Ok()
        .insert_header((CONTENT_TYPE, "text/calendar; charset=utf-8"))
        .insert_header((
            CONTENT_DISPOSITION,
            format!("attachment; filename=\"landing-{id}.ics\""),
        ))
        .body(ics))
}
