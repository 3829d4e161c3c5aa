//! `/account`: the person's name and language (as `PATCH /me`), their password (the current
//! one proves it is them), and signing out everywhere.

use actix_web::http::StatusCode;
use actix_web::web;
use minijinja::context;

use crate::auth::client_address::ClientAddress;
use crate::auth::flows::GrantError;
use crate::domain::account::{Locale, Password};
use crate::service::{accounts, sessions};
use crate::state::AppState;
use crate::web::forms::{FormErrors, Refusal, Submitted};
use crate::web::render::{OrPage, PageError, PageResult, page_with_status, see_other_with};
use crate::web::session::{self, LANGUAGE_COOKIE, Visitor};

#[derive(Default)]
struct Shown {
    values: Option<minijinja::Value>,
    errors: FormErrors,
    password_errors: FormErrors,
}

fn render(visitor: &Visitor, shown: Shown, status: StatusCode) -> PageResult {
    let current = visitor
        .session
        .as_ref()
        .ok_or_else(|| PageError::SignIn(visitor.path.clone()))?;
    let user = &current.user;
    let values = shown.values.unwrap_or_else(|| {
        context! {
            name => &user.name,
            locale => user.locale.map(Locale::as_str).unwrap_or(""),
        }
    });
    page_with_status(
        visitor,
        status,
        "account.html",
        context! {
            account => context! { name => &user.name, email => &user.email, role => user.role },
            values => values,
            errors => shown.errors,
            password_errors => shown.password_errors,
        },
    )
}

/// `GET /account`
pub async fn show(visitor: Visitor) -> PageResult {
    visitor.signed_in()?;
    render(&visitor, Shown::default(), StatusCode::OK)
}

/// `POST /account`: name and language.
pub async fn update(state: web::Data<AppState>, form: Submitted) -> PageResult {
    let Submitted { visitor, data } = form;
    let who = visitor.signed_in()?;
    let locale = match data.get("locale") {
        Some(l) => match Locale::parse(&l) {
            Some(locale) => Some(locale),
            None => {
                let shown = Shown {
                    values: Some(minijinja::Value::from_serialize(data.echo())),
                    errors: FormErrors::one("locale", "err-locale", &visitor),
                    ..Shown::default()
                };
                return render(&visitor, shown, StatusCode::UNPROCESSABLE_ENTITY);
            }
        },
        None => None,
    };
    let name = Some(data.get("name").unwrap_or_default());
    match accounts::update_me(&state, &who, name, locale).await {
        Ok(_) => {
            let mut response = see_other_with(&visitor, "/account", "flash-account-saved");
            if let Some(locale) = locale {
                let _ = response.add_cookie(&session::cookie(
                    LANGUAGE_COOKIE,
                    locale.as_str().to_owned(),
                    visitor.secure,
                    None,
                ));
            }
            Ok(response)
        }
        Err(e) => match Refusal::of(e, &visitor) {
            Refusal::Form(errors) => {
                let shown = Shown {
                    values: Some(minijinja::Value::from_serialize(data.echo())),
                    errors,
                    ..Shown::default()
                };
                render(&visitor, shown, StatusCode::UNPROCESSABLE_ENTITY)
            }
            Refusal::Page(p) => Err(p),
        },
    }
}

/// `POST /account/password`: a new password, proven with the current one; other sessions end.
pub async fn password(
    state: web::Data<AppState>,
    ClientAddress(address): ClientAddress,
    form: Submitted,
) -> PageResult {
    let Submitted { visitor, data } = form;
    let who = visitor.signed_in()?;
    let keep = visitor
        .session
        .as_ref()
        .map(|s| s.id_hash.clone())
        .unwrap_or_default();
    let fail = |field: &str, key: &str| {
        let shown = Shown {
            password_errors: FormErrors::one(field, key, &visitor),
            ..Shown::default()
        };
        render(&visitor, shown, StatusCode::UNPROCESSABLE_ENTITY)
    };
    let current = data.raw("current_password").unwrap_or_default();
    let Ok(new) = Password::parse(&data.raw("new_password").unwrap_or_default()) else {
        return fail("new_password", "err-password-short");
    };
    match sessions::change_password(&state, &who, &address, current, &new, keep).await {
        Ok(()) => Ok(see_other_with(
            &visitor,
            "/account",
            "flash-password-changed",
        )),
        Err(GrantError::RateLimited(secs)) => Err(PageError::busy(secs, &visitor)),
        Err(GrantError::Server(e)) => Err(PageError::from_api(*e, &visitor)),
        Err(_) => fail("current_password", "err-current-password"),
    }
}

/// `POST /account/sign-out-everywhere`: ends every session and refresh token of the account.
pub async fn sign_out_everywhere(state: web::Data<AppState>, form: Submitted) -> PageResult {
    let visitor = form.visitor;
    let who = visitor.signed_in()?;
    sessions::sign_out_everywhere(&state, &who)
        .await
        .or_page(&visitor)?;
    let mut response = see_other_with(&visitor, "/", "flash-signed-out-everywhere");
    let _ = response.add_cookie(&session::removal(
        session::session_cookie_name(visitor.secure),
        visitor.secure,
    ));
    Ok(response)
}
