//! `/admin/clusters`: the network's clusters, and a new cluster with its first manager. The
//! form takes the cluster's fields as the API's cluster creation reads them, and the manager's
//! email, name and language; both are made in one use case, so a refused invitation leaves no
//! cluster behind.

use actix_web::http::StatusCode;
use actix_web::web;
use minijinja::{Value, context};

use crate::api::clusters::CreateCluster;
use crate::api::extract::Input;
use crate::db::clusters::ClusterFilter;
use crate::domain::account::{Email, Locale};
use crate::domain::values::line;
use crate::error::{ApiError, FieldError};
use crate::i18n;
use crate::service::accounts::Invitee;
use crate::service::admin;
use crate::service::clusters as cluster_cases;
use crate::state::AppState;
use crate::web::forms::{FormData, FormErrors, Refusal, Submitted};
use crate::web::render::{OrPage, PageResult, page_with_status, see_other, see_other_with};
use crate::web::session::Visitor;
use crate::web::views::{ClusterView, locale_options};

/// The most clusters the list shows (the network has tens).
const LIST_LIMIT: i64 = 500;

/// The message key that words a rule of the cluster's fields the API tells in English only.
fn key_of(field: &str) -> &'static str {
    match field {
        "name" => "admin-err-name",
        "country" => "admin-err-country",
        "city" => "admin-err-city",
        "timezone" => "admin-err-timezone",
        "contact_email" | "manager_email" => "err-email",
        "website" => "admin-err-website",
        "description" => "admin-err-description",
        "sectors" => "admin-err-sectors",
        "manager_locale" => "err-locale",
        _ => "err-required",
    }
}

/// The label of a form field, in the reader's language.
fn label_of(field: &str) -> &'static str {
    match field {
        "name" => "admin-field-name",
        "country" => "admin-field-country",
        "city" => "admin-field-city",
        "timezone" => "admin-field-timezone",
        "contact_email" => "admin-field-contact-email",
        "website" => "admin-field-website",
        "description" => "admin-field-description",
        "sectors" => "admin-field-sectors",
        "manager_email" => "admin-field-manager-email",
        "manager_name" => "admin-field-manager-name",
        _ => "admin-field-manager-locale",
    }
}

/// The summary at the top names each field, since several may share a message ("Enter this
/// information.").
fn named(mut errors: FormErrors, visitor: &Visitor) -> FormErrors {
    for problem in &mut errors.summary {
        let label = i18n::text(visitor.locale, label_of(&problem.field), &[]);
        problem.message = format!("{label}: {}", problem.message);
    }
    errors
}

/// Every error worded in the reader's language: those without a message key get their
/// field's.
fn worded(errors: Vec<FieldError>) -> Vec<FieldError> {
    errors
        .into_iter()
        .map(|e| {
            if e.reason.is_some() {
                return e;
            }
            let base = e.field.split('[').next().unwrap_or(&e.field).to_owned();
            let key = key_of(&base);
            FieldError::because(base, e.message, key, vec![])
        })
        .collect()
}

/// The first manager as the form gives them, or what is wrong at each field.
fn first_manager(data: &FormData) -> Result<Invitee, Vec<FieldError>> {
    let mut errors = Vec::new();
    let required = |field: &str| FieldError::because(field, "is required", "err-required", vec![]);
    let email = match data.get("manager_email") {
        None => {
            errors.push(required("manager_email"));
            None
        }
        Some(raw) => match Email::parse(&raw) {
            Ok(email) => Some(email),
            Err(e) => {
                errors.push(FieldError::because("manager_email", e, "err-email", vec![]));
                None
            }
        },
    };
    let name = match data.get("manager_name") {
        None => {
            errors.push(required("manager_name"));
            None
        }
        Some(raw) => match line(&raw, 1, 200) {
            Ok(name) => Some(name),
            Err(e) => {
                errors.push(FieldError::because(
                    "manager_name",
                    e,
                    "admin-err-name",
                    vec![],
                ));
                None
            }
        },
    };
    let locale = data.get("manager_locale").and_then(|l| Locale::parse(&l));
    if locale.is_none() {
        errors.push(FieldError::because(
            "manager_locale",
            "must be one of en, de, sv, fr",
            "err-locale",
            vec![],
        ));
    }
    match (email, name, locale) {
        (Some(email), Some(name), Some(locale)) if errors.is_empty() => Ok(Invitee {
            email,
            name,
            locale: Some(locale),
        }),
        _ => Err(errors),
    }
}

/// The cluster as the API's creation reads it, from the form's fields (sectors separated by
/// commas).
fn cluster_input(data: &FormData) -> CreateCluster {
    let sectors = data.get("sectors").map(|s| {
        s.split(',')
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(str::to_owned)
            .collect()
    });
    CreateCluster {
        name: data.get("name"),
        country: data.get("country").map(|c| c.to_uppercase()),
        city: data.get("city"),
        timezone: data.get("timezone"),
        contact_email: data.get("contact_email"),
        website: data.get("website"),
        description: data.get("description"),
        sectors,
    }
}

async fn show(
    state: &AppState,
    visitor: &Visitor,
    values: Value,
    errors: FormErrors,
    status: StatusCode,
) -> PageResult {
    visitor.admin()?;
    let rows = cluster_cases::list(
        state,
        ClusterFilter {
            country: None,
            sector: None,
            after: None,
            limit: LIST_LIMIT,
        },
    )
    .await
    .or_page(visitor)?;
    let mut items: Vec<ClusterView> = rows.iter().map(ClusterView::from).collect();
    items.sort_by(|a, b| a.country.cmp(&b.country).then(a.name.cmp(&b.name)));
    let locales = locale_options();
    page_with_status(
        visitor,
        status,
        "admin_clusters.html",
        context! {
            items => items,
            locales => locales,
            values => values,
            errors => errors,
        },
    )
}

/// `GET /admin/clusters`
pub async fn list(state: web::Data<AppState>, visitor: Visitor) -> PageResult {
    let defaults = context! { manager_locale => visitor.locale.as_str() };
    show(
        &state,
        &visitor,
        defaults,
        FormErrors::default(),
        StatusCode::OK,
    )
    .await
}

/// `GET /admin/clusters/new`: the form is on the list's page.
pub async fn new_form(visitor: Visitor) -> PageResult {
    visitor.admin()?;
    Ok(see_other("/admin/clusters#new-cluster"))
}

/// `POST /admin/clusters`: creates the cluster and invites its first manager; each bad field is
/// told at the field, and nothing is made unless both can be.
pub async fn create(state: web::Data<AppState>, form: Submitted) -> PageResult {
    let Submitted { visitor, data } = form;
    let who = visitor.admin()?;
    let cluster = cluster_input(&data).parse();
    let manager = first_manager(&data);
    let outcome = match (cluster, manager) {
        (Ok(fields), Ok(manager)) => admin::create_cluster(&state, who, fields, manager).await,
        (cluster, manager) => {
            let mut errors = cluster.err().unwrap_or_default();
            errors.extend(manager.err().unwrap_or_default());
            Err(ApiError::Validation(errors))
        }
    };
    let errors = match outcome {
        Ok(_) => {
            return Ok(see_other_with(
                &visitor,
                "/admin/clusters",
                "flash-admin-cluster-created",
            ));
        }
        Err(ApiError::Validation(fields)) => FormErrors::from_fields(&worded(fields), &visitor),
        Err(ApiError::Problem(p)) if p.code == "email_taken" => {
            FormErrors::one("manager_email", "admin-err-manager-taken", &visitor)
        }
        Err(other) => match Refusal::of(other, &visitor) {
            Refusal::Form(errors) => errors,
            Refusal::Page(page) => return Err(page),
        },
    };
    let errors = named(errors, &visitor);
    show(
        &state,
        &visitor,
        Value::from_serialize(data.echo()),
        errors,
        StatusCode::UNPROCESSABLE_ENTITY,
    )
    .await
}
