//! `/manage/partnerships`: the cluster's roaming agreements, proposing one with its terms, and
//! one agreement with its terms, the actions its state and the caller's side allow (from the
//! state machine and the policy, not a copy of them) and its audit trail. Actions post to
//! `/manage/partnerships/{id}/{action}`, as on `/manage`.

use actix_web::http::StatusCode;
use actix_web::web;
use minijinja::{Value, context};
use serde::Serialize;

use crate::api::extract::Input;
use crate::api::partnerships::{ProposePartnership, TermsInput};
use crate::auth::policy;
use crate::db::partnerships::PartnershipRow;
use crate::domain::ids::PartnershipId;
use crate::domain::offer::OfferKind;
use crate::domain::partnership::{PartnershipAction, Terms, transition};
use crate::error::{ApiError, FieldError};
use crate::service::partnerships::{self, ListQuery};
use crate::state::AppState;
use crate::web::forms::{FormData, FormErrors, Refusal, Submitted};
use crate::web::pages::public::directory;
use crate::web::render::{OrPage, PageError, PageResult, page_with_status, see_other_with};
use crate::web::session::Visitor;
use crate::web::views::ClusterView;

const ACTIONS: [PartnershipAction; 5] = [
    PartnershipAction::Accept,
    PartnershipAction::Decline,
    PartnershipAction::Suspend,
    PartnershipAction::Resume,
    PartnershipAction::Terminate,
];

#[derive(Debug, Serialize)]
struct Row {
    id: String,
    state: &'static str,
    other: String,
    proposed_by_us: bool,
    max_free_days: i32,
    services: Vec<&'static str>,
    home_endorsement_required: bool,
    notes: Option<String>,
    created_at: String,
}

fn row(p: &PartnershipRow, mine: &str, names: &[ClusterView]) -> Row {
    let terms: Terms = p.terms();
    let other_id = if p.proposer_cluster_id.as_str() == mine {
        p.partner_cluster_id.as_str()
    } else {
        p.proposer_cluster_id.as_str()
    };
    Row {
        id: p.id.to_string(),
        state: p.state.as_str(),
        other: names
            .iter()
            .find(|c| c.id == other_id)
            .map_or_else(|| other_id.to_owned(), |c| c.name.clone()),
        proposed_by_us: p.proposer_cluster_id.as_str() == mine,
        max_free_days: terms.max_free_days,
        services: terms.services.iter().map(|s| s.as_str()).collect(),
        home_endorsement_required: terms.home_endorsement_required,
        notes: terms.notes,
        created_at: p.created_at.format("%Y-%m-%d").to_string(),
    }
}

async fn show_list(
    state: &AppState,
    visitor: &Visitor,
    values: minijinja::Value,
    errors: FormErrors,
    status: StatusCode,
) -> PageResult {
    let who = visitor.manager()?;
    let mine = who.cluster_id.clone().unwrap_or_default();
    let rows = partnerships::list(
        state,
        who,
        ListQuery {
            cluster_id: None,
            state: None,
            after: None,
            limit: 500,
        },
    )
    .await
    .or_page(visitor)?;
    let names = directory(state, visitor).await?;
    let items: Vec<Row> = rows.iter().map(|p| row(p, &mine, &names)).collect();
    // The choices of the partner select, as the form macro reads them.
    let partners: Vec<Value> = names
        .iter()
        .filter(|c| c.id != mine)
        .map(|c| context! { value => &c.id, label => format!("{} ({})", c.name, c.country) })
        .collect();
    page_with_status(
        visitor,
        status,
        "manage_partnerships.html",
        context! {
            items => items,
            partners => partners,
            kinds => OfferKind::ALL.iter().map(|k| k.as_str()).collect::<Vec<_>>(),
            values => values,
            errors => errors,
        },
    )
}

/// `GET /manage/partnerships`
pub async fn list(state: web::Data<AppState>, visitor: Visitor) -> PageResult {
    let defaults = context! {
        max_free_days => Terms::DEFAULT_MAX_FREE_DAYS.to_string(),
        services => OfferKind::ALL.iter().map(|k| k.as_str()).collect::<Vec<_>>(),
    };
    show_list(
        &state,
        &visitor,
        defaults,
        FormErrors::default(),
        StatusCode::OK,
    )
    .await
}

/// The proposal as the API reads it, from the form's fields.
fn proposal(data: &FormData) -> Result<ProposePartnership, FieldError> {
    let max_free_days = match data.get("max_free_days") {
        Some(n) => Some(n.parse::<i64>().map_err(|_| {
            FieldError::because(
                "terms.max_free_days",
                "must be a whole number",
                "err-number",
                vec![],
            )
        })?),
        None => None,
    };
    Ok(ProposePartnership {
        partner_cluster_id: data.get("partner_cluster_id"),
        terms: Some(TermsInput {
            max_free_days,
            services: Some(data.all("services")),
            home_endorsement_required: Some(data.get("home_endorsement_required").is_some()),
            notes: data.get("notes"),
        }),
    })
}

/// Form fields are named without the API's `terms.` prefix.
fn at_form_fields(errors: Vec<FieldError>) -> Vec<FieldError> {
    errors
        .into_iter()
        .map(|mut e| {
            if let Some(rest) = e.field.strip_prefix("terms.") {
                e.field = rest.to_owned();
            }
            e
        })
        .collect()
}

/// `POST /manage/partnerships`: proposes the agreement; each bad field is told at the field.
pub async fn propose(state: web::Data<AppState>, form: Submitted) -> PageResult {
    let Submitted { visitor, data } = form;
    let who = visitor.manager()?;
    let outcome = match proposal(&data) {
        Ok(p) => match p.parse() {
            Ok(parsed) => partnerships::propose(&state, who, parsed).await,
            Err(errors) => Err(ApiError::Validation(errors)),
        },
        Err(e) => Err(ApiError::Validation(vec![e])),
    };
    let errors = match outcome {
        Ok(row) => {
            return Ok(see_other_with(
                &visitor,
                &format!("/manage/partnerships/{}", row.id),
                "flash-manage-proposed",
            ));
        }
        Err(ApiError::Validation(fields)) => {
            FormErrors::from_fields(&at_form_fields(fields), &visitor)
        }
        Err(ApiError::Problem(p)) if p.code == "partnership_exists" => {
            FormErrors::one("partner_cluster_id", "err-partnership-exists", &visitor)
        }
        Err(other) => match Refusal::of(other, &visitor) {
            Refusal::Form(errors) => errors,
            Refusal::Page(page) => return Err(page),
        },
    };
    let values = context! {
        services => data.all("services"),
        home_endorsement_required => data.get("home_endorsement_required").is_some(),
        ..minijinja::Value::from_serialize(data.echo())
    };
    show_list(
        &state,
        &visitor,
        values,
        errors,
        StatusCode::UNPROCESSABLE_ENTITY,
    )
    .await
}

#[derive(Debug, Serialize)]
struct TrailEntry {
    at: String,
    action: String,
    actor_kind: String,
    to_state: String,
    note: Option<String>,
}

pub(super) async fn show_one(
    state: &AppState,
    visitor: &Visitor,
    raw_id: &str,
    status: StatusCode,
    error: Option<String>,
) -> PageResult {
    let who = visitor.manager()?;
    let mine = who.cluster_id.clone().unwrap_or_default();
    let id = PartnershipId::parse(raw_id).ok_or_else(|| PageError::not_found(visitor))?;
    let p = partnerships::get(state, who.clone(), id.clone())
        .await
        .or_page(visitor)?;
    let trail = partnerships::events(state, who.clone(), id)
        .await
        .or_page(visitor)?;
    let names = directory(state, visitor).await?;
    // What this manager may do now: what the state machine allows from here, on their side.
    let actions: Vec<&str> = ACTIONS
        .into_iter()
        .filter(|a| transition(p.state, *a).is_ok())
        .filter(|a| policy::partnerships::act(&who, &p, *a).is_ok())
        .map(PartnershipAction::as_str)
        .collect();
    page_with_status(
        visitor,
        status,
        "manage_partnership.html",
        context! {
            p => row(&p, &mine, &names),
            actions => actions,
            error => error,
            trail => trail.iter().map(|e| TrailEntry {
                at: e.at.format("%Y-%m-%d %H:%M UTC").to_string(),
                action: e.action.clone(),
                actor_kind: e.actor_kind.clone(),
                to_state: e.to_state.clone(),
                note: e.note.clone(),
            }).collect::<Vec<_>>(),
        },
    )
}

/// `GET /manage/partnerships/{id}`
pub async fn detail(
    state: web::Data<AppState>,
    visitor: Visitor,
    path: web::Path<String>,
) -> PageResult {
    show_one(&state, &visitor, &path, StatusCode::OK, None).await
}
