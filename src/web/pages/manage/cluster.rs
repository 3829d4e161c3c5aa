//! `/manage/cluster` and `/manage/reports`: the cluster's profile (an edit that crosses
//! another says so), its managers (invite, remove), its API clients (the secret shown once, on
//! the page that answers the creation) and its webhooks ([`webhooks`]), and its reports
//! ([`reports`]). Each action calls the use case the API's endpoint calls; a cluster's page is
//! only ever its own managers'.

mod reports;
mod webhooks;

use actix_web::http::StatusCode;
use actix_web::http::header::CACHE_CONTROL;
use actix_web::web;
use minijinja::{Value, context};
use serde::Serialize;

use crate::api::clusters::{CreateCluster, InviteManager};
use crate::api::extract::Input;
use crate::auth::Principal;
use crate::db::accounts::{ApiClientRow, UserRow};
use crate::domain::ids::ClusterId;
use crate::domain::values::COUNTRIES;
use crate::error::ApiError;
use crate::service::clusters;
use crate::service::precondition::{IfMatch, etag};
use crate::state::AppState;
use crate::web::forms::{FormData, FormErrors, Refusal, Submitted};
use crate::web::render::{OrPage, PageError, PageResult, page_with_status, see_other_with};
use crate::web::session::Visitor;
use crate::web::views::{invite_defaults, locale_options};

/// This area's addresses. Posts under `/manage` have three or five segments: four are
/// `/manage/{kind}/{id}/{action}`'s.
pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.route("/manage/cluster", web::get().to(show_page))
        .route("/manage/cluster/profile", web::post().to(update_profile))
        .route("/manage/cluster/managers", web::post().to(invite))
        .route(
            "/manage/cluster/managers/{id}/remove",
            web::post().to(remove),
        )
        .route("/manage/cluster/clients", web::post().to(create_client))
        .route(
            "/manage/cluster/clients/{id}/revoke",
            web::post().to(revoke_client),
        )
        .configure(webhooks::configure)
        .configure(reports::configure);
}

/// The signed-in manager and their cluster; 403 for anyone else.
pub(super) fn cluster_of(visitor: &Visitor) -> Result<(Principal, ClusterId), PageError> {
    let who = visitor.manager()?;
    let id = who
        .cluster_id
        .as_deref()
        .and_then(ClusterId::parse)
        .ok_or_else(|| PageError::not_found(visitor))?;
    Ok((who, id))
}

/// A time as the portal shows it.
pub(super) fn at(t: chrono::NaiveDateTime) -> String {
    t.format("%Y-%m-%d %H:%M UTC").to_string()
}

#[derive(Debug, Serialize)]
struct ManagerRow {
    id: String,
    name: String,
    email: String,
    invited: bool,
    me: bool,
}

fn manager_row(u: &UserRow, me: &str) -> ManagerRow {
    ManagerRow {
        id: u.id.clone(),
        name: u.name.clone(),
        email: u.email.clone(),
        invited: u.password_hash.is_none(),
        me: u.id == me,
    }
}

#[derive(Debug, Serialize)]
struct ClientRow {
    id: String,
    name: String,
    client_id: String,
    created_at: String,
    last_used_at: Option<String>,
    revoked_at: Option<String>,
}

fn client_row(c: &ApiClientRow) -> ClientRow {
    ClientRow {
        id: c.id.clone(),
        name: c.name.clone(),
        client_id: c.client_id.clone(),
        created_at: at(c.created_at),
        last_used_at: c.last_used_at.map(at),
        revoked_at: c.revoked_at.map(at),
    }
}

/// What the page shows besides the cluster as it stands.
#[derive(Default)]
struct Shown {
    profile_values: Option<Value>,
    profile_errors: FormErrors,
    conflict: bool,
    invite_values: Option<Value>,
    invite_errors: FormErrors,
    /// Why a manager could not be removed, at their row: (user id, message).
    remove_error: Option<(String, String)>,
    client_values: Option<Value>,
    client_errors: FormErrors,
    /// A client just created: its id and its secret, shown this once.
    created_client: Option<(String, String)>,
}

async fn show(state: &AppState, visitor: &Visitor, shown: Shown, status: StatusCode) -> PageResult {
    let (who, id) = cluster_of(visitor)?;
    let clusters::Administration {
        cluster,
        managers,
        api_clients: clients,
        webhooks: hooks,
    } = clusters::administration(state, who.clone(), id, 200)
        .await
        .or_page(visitor)?;
    let current = context! {
        name => &cluster.name,
        country => &cluster.country,
        city => &cluster.city,
        timezone => &cluster.timezone,
        contact_email => &cluster.contact_email,
        website => cluster.website.clone().unwrap_or_default(),
        description => cluster.description.clone().unwrap_or_default(),
        sectors => cluster.sectors().join(", "),
    };
    let hooks: Vec<Value> = hooks
        .iter()
        .map(|h| {
            context! {
                id => &h.id,
                url => &h.url,
                description => &h.description,
                enabled => h.enabled,
                events => h.events().join(", "),
            }
        })
        .collect();
    let mut response = page_with_status(
        visitor,
        status,
        "manage_cluster.html",
        context! {
            cluster => context! { id => cluster.id.to_string(), name => &cluster.name },
            etag => etag(&cluster.id, cluster.version),
            countries => COUNTRIES,
            values => shown.profile_values.unwrap_or(current),
            errors => shown.profile_errors,
            conflict => shown.conflict,
            managers => managers.iter().map(|m| manager_row(m, &who.id)).collect::<Vec<_>>(),
            invite_values => shown
                .invite_values
                .unwrap_or_else(|| invite_defaults(visitor.locale)),
            invite_errors => shown.invite_errors,
            locales => locale_options(),
            remove_error => shown.remove_error.map(|(id, message)| context! { id, message }),
            clients => clients.iter().map(client_row).collect::<Vec<_>>(),
            client_values => shown.client_values.unwrap_or_default(),
            client_errors => shown.client_errors,
            created_client => shown.created_client.map(|(client_id, secret)| context! { client_id, secret }),
            webhooks => hooks,
        },
    )?;
    response.headers_mut().insert(
        CACHE_CONTROL,
        actix_web::http::header::HeaderValue::from_static("no-store"),
    );
    Ok(response)
}

/// `GET /manage/cluster`
pub async fn show_page(state: web::Data<AppState>, visitor: Visitor) -> PageResult {
    show(&state, &visitor, Shown::default(), StatusCode::OK).await
}

/// The profile as the API's cluster fields read it: every field of the form is sent, so a
/// blank optional field clears it.
fn profile_of(data: &FormData) -> CreateCluster {
    let sectors: Vec<String> = data
        .get("sectors")
        .unwrap_or_default()
        .split(',')
        .map(|s| s.trim().to_lowercase())
        .filter(|s| !s.is_empty())
        .collect();
    CreateCluster {
        name: data.get("name"),
        country: data.get("country"),
        city: data.get("city"),
        timezone: data.get("timezone"),
        contact_email: data.get("contact_email"),
        website: data.get("website"),
        description: data.get("description"),
        sectors: Some(sectors),
    }
}

/// `POST /manage/cluster/profile`: saves the profile if nobody changed it since the form was
/// shown.
pub async fn update_profile(state: web::Data<AppState>, form: Submitted) -> PageResult {
    let Submitted { visitor, data } = form;
    let (who, id) = cluster_of(&visitor)?;
    let if_match = match data.get("etag") {
        Some(tag) => IfMatch::Tags(vec![tag]),
        None => IfMatch::Any,
    };
    let outcome = match profile_of(&data).parse() {
        Ok(fields) => clusters::update(&state, who, id, if_match, move |_| Ok(fields)).await,
        Err(errors) => Err(ApiError::Validation(errors)),
    };
    let shown = match outcome {
        Ok(_) => {
            return Ok(see_other_with(
                &visitor,
                "/manage/cluster",
                "flash-cluster-saved",
            ));
        }
        Err(ApiError::Validation(fields)) => Shown {
            profile_values: Some(Value::from_serialize(data.echo())),
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

/// `POST /manage/cluster/managers`: invites a manager; the invitation mails a set-password
/// link.
pub async fn invite(state: web::Data<AppState>, form: Submitted) -> PageResult {
    let Submitted { visitor, data } = form;
    let (who, id) = cluster_of(&visitor)?;
    let request = InviteManager {
        email: data.get("invite_email"),
        name: data.get("invite_name"),
        locale: data.get("invite_locale"),
    };
    let outcome = match request.parse() {
        Ok(invitee) => clusters::invite_manager(&state, who, id, invitee).await,
        Err(errors) => Err(ApiError::Validation(errors)),
    };
    let invite_errors = match outcome {
        Ok(_) => {
            return Ok(see_other_with(
                &visitor,
                "/manage/cluster#managers-heading",
                "flash-manager-invited",
            ));
        }
        Err(ApiError::Validation(fields)) => {
            FormErrors::from_prefixed_fields(fields, "invite_", &visitor)
        }
        Err(ApiError::Problem(p)) if p.code == "email_taken" => {
            FormErrors::one("invite_email", "err-email-taken", &visitor)
        }
        Err(other) => match Refusal::of(other, &visitor) {
            Refusal::Form(errors) => errors,
            Refusal::Page(page) => return Err(page),
        },
    };
    let shown = Shown {
        invite_values: Some(Value::from_serialize(data.echo())),
        invite_errors,
        ..Shown::default()
    };
    show(&state, &visitor, shown, StatusCode::UNPROCESSABLE_ENTITY).await
}

/// `POST /manage/cluster/managers/{id}/remove`: removes a manager (their account is disabled);
/// the last one stays, and the page says why.
pub async fn remove(
    state: web::Data<AppState>,
    path: web::Path<String>,
    form: Submitted,
) -> PageResult {
    let Submitted { visitor, .. } = form;
    let (who, id) = cluster_of(&visitor)?;
    let user_id = path.into_inner();
    match clusters::remove_manager(&state, who, id, user_id.clone()).await {
        Ok(()) => Ok(see_other_with(
            &visitor,
            "/manage/cluster#managers-heading",
            "flash-manager-removed",
        )),
        Err(ApiError::Problem(p)) if p.code == "last_manager" => {
            let shown = Shown {
                remove_error: Some((
                    user_id,
                    crate::i18n::text(visitor.locale, "err-last-manager", &[]),
                )),
                ..Shown::default()
            };
            show(&state, &visitor, shown, StatusCode::CONFLICT).await
        }
        Err(other) => Err(PageError::from_api(other, &visitor)),
    }
}

/// `POST /manage/cluster/clients`: creates an API client and answers the page with its secret,
/// shown this once and never stored by a cache.
pub async fn create_client(state: web::Data<AppState>, form: Submitted) -> PageResult {
    let Submitted { visitor, data } = form;
    let (who, id) = cluster_of(&visitor)?;
    let request = crate::api::api_clients::CreateApiClient {
        name: data.get("client_name"),
    };
    let outcome = match request.parse() {
        Ok(name) => clusters::create_api_client(&state, who, id, name).await,
        Err(errors) => Err(ApiError::Validation(errors)),
    };
    match outcome {
        Ok((row, secret)) => {
            let shown = Shown {
                created_client: Some((row.client_id, secret)),
                ..Shown::default()
            };
            show(&state, &visitor, shown, StatusCode::OK).await
        }
        Err(ApiError::Validation(fields)) => {
            let shown = Shown {
                client_values: Some(Value::from_serialize(data.echo())),
                client_errors: FormErrors::from_prefixed_fields(fields, "client_", &visitor),
                ..Shown::default()
            };
            show(&state, &visitor, shown, StatusCode::UNPROCESSABLE_ENTITY).await
        }
        Err(other) => Err(PageError::from_api(other, &visitor)),
    }
}

/// `POST /manage/cluster/clients/{id}/revoke`
pub async fn revoke_client(
    state: web::Data<AppState>,
    path: web::Path<String>,
    form: Submitted,
) -> PageResult {
    let Submitted { visitor, .. } = form;
    let (who, id) = cluster_of(&visitor)?;
    clusters::revoke_api_client(&state, who, id, path.into_inner())
        .await
        .or_page(&visitor)?;
    Ok(see_other_with(
        &visitor,
        "/manage/cluster#clients-heading",
        "flash-client-revoked",
    ))
}
