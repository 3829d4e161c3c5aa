//! `/sme`: the SME's profile (an edit that crosses another says so) and its colleagues
//! (inviting one mails a set-password link). The same use cases as `PATCH /smes/{id}` and
//! `POST /smes/{id}/members`.

use actix_web::http::StatusCode;
use actix_web::web;
use minijinja::context;

use crate::api::extract::Input;
use crate::api::smes::{InviteMemberRequest, PatchSmeRequest};
use crate::domain::ids::SmeId;
use crate::domain::values::COUNTRIES;
use crate::error::{ApiError, FieldError};
use crate::service::precondition::{IfMatch, etag};
use crate::service::smes;
use crate::state::AppState;
use crate::web::forms::{FormData, FormErrors, Submitted};
use crate::web::render::{OrPage, PageError, PageResult, page_with_status, see_other_with};
use crate::web::session::Visitor;
use crate::web::views::{ClusterView, SmeView, invite_defaults, locale_options};

fn sme_of(visitor: &Visitor) -> Result<(crate::auth::Principal, SmeId), PageError> {
    let who = visitor.sme_member()?;
    let id = who
        .sme_id
        .as_deref()
        .and_then(SmeId::parse)
        .ok_or_else(|| PageError::not_found(visitor))?;
    Ok((who, id))
}

#[derive(Default)]
struct Shown {
    profile_values: Option<minijinja::Value>,
    profile_errors: FormErrors,
    conflict: bool,
    invite_values: Option<minijinja::Value>,
    invite_errors: FormErrors,
}

async fn show(state: &AppState, visitor: &Visitor, shown: Shown, status: StatusCode) -> PageResult {
    let (who, id) = sme_of(visitor)?;
    let smes::Profile { sme, members, home } =
        smes::profile(state, who, id).await.or_page(visitor)?;
    let members: Vec<minijinja::Value> = members
        .iter()
        .map(|m| {
            context! {
                name => &m.name,
                email => &m.email,
                active => m.password_hash.is_some(),
            }
        })
        .collect();
    let view = SmeView::from(&sme);
    let current = context! {
        name => &view.name,
        country => &view.country,
        sector => &view.sector,
        website => view.website.clone().unwrap_or_default(),
        employees => view.employees.map(|e| e.to_string()).unwrap_or_default(),
        target_markets => view.target_markets.join(", "),
        languages => view.languages.join(", "),
    };
    page_with_status(
        visitor,
        status,
        "sme.html",
        context! {
            sme => view,
            home => ClusterView::from(&home),
            etag => etag(&sme.id, sme.version),
            members => members,
            countries => COUNTRIES,
            values => shown.profile_values.unwrap_or(current),
            errors => shown.profile_errors,
            conflict => shown.conflict,
            invite_values => shown
                .invite_values
                .unwrap_or_else(|| invite_defaults(visitor.locale)),
            invite_errors => shown.invite_errors,
            locales => locale_options(),
        },
    )
}

/// `GET /sme`
pub async fn profile(state: web::Data<AppState>, visitor: Visitor) -> PageResult {
    show(&state, &visitor, Shown::default(), StatusCode::OK).await
}

/// The profile edit as the API reads it: every field of the form is sent, so a blank
/// optional field clears it.
fn change_of(data: &FormData) -> Result<PatchSmeRequest, FieldError> {
    let employees = match data.get("employees") {
        Some(e) => Some(Some(e.parse::<i64>().map_err(|_| {
            FieldError::because("employees", "must be a whole number", "err-number", vec![])
        })?)),
        None => Some(None),
    };
    let list = |field: &str| -> Vec<String> {
        data.get(field)
            .unwrap_or_default()
            .split([',', ' '])
            .map(|c| c.trim().to_owned())
            .filter(|c| !c.is_empty())
            .collect()
    };
    let markets: Vec<String> = list("target_markets")
        .into_iter()
        .map(|c| c.to_uppercase())
        .collect();
    let languages: Vec<String> = list("languages")
        .into_iter()
        .map(|c| c.to_lowercase())
        .collect();
    Ok(PatchSmeRequest {
        name: data.get("name"),
        country: data.get("country"),
        sector: data.get("sector").map(|s| s.to_lowercase()),
        website: Some(data.get("website")),
        employees,
        target_markets: Some(markets),
        languages: Some(languages),
        membership: None,
        home_cluster_id: None,
    })
}

/// `POST /sme`: saves the profile if nobody changed it since the form was shown.
pub async fn update(state: web::Data<AppState>, form: Submitted) -> PageResult {
    let Submitted { visitor, data } = form;
    let (who, id) = sme_of(&visitor)?;
    let if_match = match data.get("etag") {
        Some(tag) => IfMatch::Tags(vec![tag]),
        None => IfMatch::Any,
    };
    let outcome = match change_of(&data) {
        Ok(request) => match request.parse() {
            Ok(change) => smes::update_profile(&state, who, id, if_match, change).await,
            Err(errors) => Err(ApiError::Validation(errors)),
        },
        Err(e) => Err(ApiError::Validation(vec![e])),
    };
    let shown = match outcome {
        Ok(_) => return Ok(see_other_with(&visitor, "/sme", "flash-profile-saved")),
        Err(ApiError::Validation(fields)) => Shown {
            profile_values: Some(minijinja::Value::from_serialize(data.echo())),
            profile_errors: FormErrors::from_fields(&fields, &visitor),
            ..Shown::default()
        },
        Err(ApiError::Problem(p)) if p.status == StatusCode::PRECONDITION_FAILED => Shown {
            conflict: true,
            ..Shown::default()
        },
        Err(other) => return Err(PageError::from_api(other, &visitor)),
    };
    let status = if shown.conflict {
        StatusCode::CONFLICT
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    show(&state, &visitor, shown, status).await
}

/// `POST /sme/members`: invites a colleague.
pub async fn invite(state: web::Data<AppState>, form: Submitted) -> PageResult {
    let Submitted { visitor, data } = form;
    let (who, id) = sme_of(&visitor)?;
    let request = InviteMemberRequest {
        email: data.get("invite_email"),
        name: data.get("invite_name"),
        locale: data.get("invite_locale"),
    };
    let outcome = match request.parse() {
        Ok(member) => smes::invite_member(&state, who, id, member).await,
        Err(errors) => Err(ApiError::Validation(errors)),
    };
    let invite_errors = match outcome {
        Ok(_) => return Ok(see_other_with(&visitor, "/sme", "flash-colleague-invited")),
        // The profile form above has its own `name`: the invitation's fields say whose.
        Err(ApiError::Validation(fields)) => {
            FormErrors::from_prefixed_fields(fields, "invite_", &visitor)
        }
        Err(ApiError::Problem(p)) if p.code == "email_taken" => {
            FormErrors::one("invite_email", "err-email-taken", &visitor)
        }
        Err(ApiError::Problem(p)) if p.code == "sme_not_verified" => {
            FormErrors::one("invite_email", "err-sme-not-verified", &visitor)
        }
        Err(other) => return Err(PageError::from_api(other, &visitor)),
    };
    let shown = Shown {
        invite_values: Some(minijinja::Value::from_serialize(data.echo())),
        invite_errors,
        ..Shown::default()
    };
    show(&state, &visitor, shown, StatusCode::UNPROCESSABLE_ENTITY).await
}
