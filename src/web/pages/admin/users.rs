//! `/admin/users`: the network's people, newest first, a page at a time, with their role,
//! their cluster or SME and whether they can sign in; a search by email; disabling an account
//! (which ends its sessions). The coordinator cannot disable themself: the use case refuses,
//! and the page says so plainly.

use actix_web::http::StatusCode;
use actix_web::web;
use minijinja::context;
use serde::{Deserialize, Serialize};

use crate::error::ApiError;
use crate::service::admin::{self, UserEntry};
use crate::state::AppState;
use crate::web::forms::Submitted;
use crate::web::render::{OrPage, PageError, PageResult, page_with_status, see_other_with};
use crate::web::session::Visitor;

/// People a page.
const PAGE: i64 = 25;

#[derive(Debug, Default, Deserialize)]
pub struct Search {
    email: Option<String>,
    cursor: Option<String>,
}

#[derive(Debug, Serialize)]
struct Row {
    id: String,
    email: String,
    name: String,
    role: &'static str,
    organisation: Option<String>,
    disabled: bool,
    invited: bool,
    me: bool,
}

async fn show(
    state: &AppState,
    visitor: &Visitor,
    search: Search,
    status: StatusCode,
    error: Option<&'static str>,
) -> PageResult {
    let who = visitor.admin()?;
    let me = who.id.clone();
    let email = search
        .email
        .as_deref()
        .map(str::trim)
        .filter(|e| !e.is_empty())
        .map(str::to_owned);
    let users = admin::users(state, who, email.clone(), PAGE, search.cursor.clone())
        .await
        .or_page(visitor)?;
    let rows: Vec<Row> = users
        .items
        .into_iter()
        .map(|UserEntry { user, organisation }| Row {
            me: user.id == me,
            invited: user.password_hash.is_none(),
            id: user.id,
            email: user.email,
            name: user.name,
            role: user.role.as_str(),
            organisation,
            disabled: user.disabled,
        })
        .collect();
    let next_link = users.next_cursor.map(|cursor| {
        let mut q = vec![("cursor", cursor)];
        if let Some(e) = &email {
            q.push(("email", e.clone()));
        }
        format!(
            "/admin/users?{}",
            serde_urlencoded::to_string(&q).unwrap_or_default()
        )
    });
    page_with_status(
        visitor,
        status,
        "admin_users.html",
        context! {
            items => rows,
            email => email,
            paged => search.cursor.is_some(),
            next_link => next_link,
            error => error,
        },
    )
}

/// `GET /admin/users?email=&cursor=`
pub async fn list(
    state: web::Data<AppState>,
    visitor: Visitor,
    search: web::Query<Search>,
) -> PageResult {
    show(&state, &visitor, search.into_inner(), StatusCode::OK, None).await
}

/// `POST /admin/users/{id}/disable`: ends the account's sessions and its sign-ins; one's own
/// account is refused with a plain message.
pub async fn disable(
    state: web::Data<AppState>,
    form: Submitted,
    path: web::Path<String>,
) -> PageResult {
    let Submitted { visitor, data } = form;
    let who = visitor.admin()?;
    match admin::disable_user(&state, who, path.into_inner()).await {
        Ok(()) => {
            let back = match data.get("email") {
                Some(e) => format!(
                    "/admin/users?{}",
                    serde_urlencoded::to_string([("email", e)]).unwrap_or_default()
                ),
                None => "/admin/users".to_owned(),
            };
            Ok(see_other_with(&visitor, &back, "flash-admin-disabled"))
        }
        Err(ApiError::Problem(p)) if p.code == "cannot_disable_self" => {
            show(
                &state,
                &visitor,
                Search {
                    email: data.get("email"),
                    cursor: None,
                },
                StatusCode::CONFLICT,
                Some("admin-users-not-self"),
            )
            .await
        }
        Err(other) => Err(PageError::from_api(other, &visitor)),
    }
}
