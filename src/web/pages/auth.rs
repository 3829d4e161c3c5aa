//! Signing up, in and out, confirming an address, and setting a password from an emailed link;
//! and the language switcher. Each posts to the same use case the API's `/auth` and `/smes`
//! endpoints call, under the same limits.

use actix_web::http::StatusCode;
use actix_web::{HttpResponse, web};
use minijinja::context;
use serde::Deserialize;

use crate::api::extract::Input;
use crate::api::smes::{SignUpContact, SignUpRequest};
use crate::auth::client_address::ClientAddress;
use crate::auth::flows::{self, GrantError};
use crate::domain::account::{Email, Locale, Password};
use crate::domain::values::COUNTRIES;
use crate::error::{ApiError, FieldError};
use crate::service::{accounts, sessions, smes};
use crate::state::AppState;
use crate::web::forms::{FormErrors, Refusal, Submitted};
use crate::web::render::{
    OrPage, PageError, PageResult, page, page_with_status, see_other, see_other_with,
};
use crate::web::session::{self, LANGUAGE_COOKIE, Visitor};

/// Where to go after signing in: a path of this site, never another origin.
fn safe_next(next: Option<&str>) -> String {
    match next {
        Some(n) if n.starts_with('/') && !n.starts_with("//") && !n.contains('\\') => n.to_owned(),
        _ => "/landings".to_owned(),
    }
}

#[derive(Debug, Deserialize)]
pub struct NextQuery {
    pub next: Option<String>,
}

/// `GET /sign-in`
pub async fn sign_in_form(visitor: Visitor, query: web::Query<NextQuery>) -> PageResult {
    if visitor.session.is_some() {
        return Ok(see_other(&safe_next(query.next.as_deref())));
    }
    page(
        &visitor,
        "sign_in.html",
        context! {
            next => safe_next(query.next.as_deref()),
            expired => visitor.session_ended,
            values => context! {},
            errors => FormErrors::default(),
        },
    )
}

/// `POST /sign-in`: a new session; the same failed-login limits as the token endpoint.
pub async fn sign_in(
    state: web::Data<AppState>,
    ClientAddress(address): ClientAddress,
    form: Submitted,
) -> PageResult {
    let Submitted { visitor, data } = form;
    let next = safe_next(data.get("next").as_deref());
    let email = data.get("email").unwrap_or_default();
    let password = data.raw("password").unwrap_or_default();
    let failed = |key: &str, status: StatusCode| {
        page_with_status(
            &visitor,
            status,
            "sign_in.html",
            context! {
                next => &next,
                expired => false,
                values => data.echo(),
                errors => FormErrors::one("email", key, &visitor),
            },
        )
    };
    if email.is_empty() || password.is_empty() {
        return failed("err-sign-in-missing", StatusCode::UNPROCESSABLE_ENTITY);
    }
    match sessions::sign_in(&state, &address, &email, password).await {
        Ok(started) => {
            let mut response = see_other(&next);
            let secure = visitor.secure;
            let _ = response.add_cookie(&session::session_cookie(started.id, secure));
            if let Some(locale) = started.user.locale {
                let _ = response.add_cookie(&session::cookie(
                    LANGUAGE_COOKIE,
                    locale.as_str().to_owned(),
                    secure,
                    None,
                ));
            }
            Ok(response)
        }
        Err(GrantError::Unconfirmed) => failed("err-confirm-first", StatusCode::BAD_REQUEST),
        Err(GrantError::RateLimited(secs)) => Err(PageError::busy(secs, &visitor)),
        Err(GrantError::Server(e)) => Err(PageError::from_api(*e, &visitor)),
        Err(_) => failed("err-sign-in-wrong", StatusCode::BAD_REQUEST),
    }
}

/// `POST /sign-out`: ends this session.
pub async fn sign_out(state: web::Data<AppState>, form: Submitted) -> PageResult {
    let visitor = form.visitor;
    if let Some(current) = &visitor.session {
        sessions::sign_out(&state, current.id_hash.clone())
            .await
            .or_page(&visitor)?;
    }
    let mut response = see_other_with(&visitor, "/", "flash-signed-out");
    let _ = response.add_cookie(&session::removal(
        session::session_cookie_name(visitor.secure),
        visitor.secure,
    ));
    Ok(response)
}

/// `GET /sign-up`
pub async fn sign_up_form(state: web::Data<AppState>, visitor: Visitor) -> PageResult {
    let clusters = super::public::directory(&state, &visitor).await?;
    page(
        &visitor,
        "sign_up.html",
        context! {
            clusters => clusters,
            countries => COUNTRIES,
            values => context! {},
            errors => FormErrors::default(),
        },
    )
}

/// The portal's names of the sign-up's fields, where they differ from the API's.
fn sign_up_field(api: &str) -> String {
    match api {
        "contact.name" => "contact_name".into(),
        "contact.email" => "contact_email".into(),
        "contact.password" => "password".into(),
        other => other.into(),
    }
}

/// `POST /sign-up`: an SME and its first member, as `POST /api/v1/smes`.
pub async fn sign_up(
    state: web::Data<AppState>,
    ClientAddress(address): ClientAddress,
    form: Submitted,
) -> PageResult {
    let Submitted { visitor, data } = form;
    let mut errors: Vec<FieldError> = Vec::new();
    let employees = match data.get("employees") {
        Some(e) => match e.parse::<i64>() {
            Ok(n) => Some(n),
            Err(_) => {
                errors.push(FieldError::because(
                    "employees",
                    "must be a whole number",
                    "err-number",
                    vec![],
                ));
                None
            }
        },
        None => None,
    };
    let request = SignUpRequest {
        name: data.get("name"),
        country: data.get("country"),
        sector: data.get("sector").map(|s| s.to_lowercase()),
        website: data.get("website"),
        employees,
        home_cluster_id: data.get("home_cluster_id"),
        languages: None,
        contact: Some(SignUpContact {
            name: data.get("contact_name"),
            email: data.get("contact_email"),
            password: data.raw("password"),
        }),
    };
    let outcome = match request.parse() {
        Ok(mut parsed) if errors.is_empty() => {
            // The contact's emails, the first of them the address confirmation, come in the
            // language they signed up in.
            parsed.locale = Some(visitor.locale);
            smes::sign_up(&state, &address, parsed).await
        }
        Ok(_) => Err(ApiError::Validation(errors)),
        Err(mut found) => {
            found.extend(errors);
            Err(ApiError::Validation(found))
        }
    };
    match outcome {
        Ok(_) => Ok(see_other("/sign-up/done")),
        Err(e) => {
            let fields = match e {
                ApiError::Validation(fields) => fields,
                ApiError::Problem(p) if p.code == "email_taken" => vec![FieldError::because(
                    "contact_email",
                    p.detail.clone(),
                    "err-email-taken",
                    vec![],
                )],
                ApiError::Problem(p) if p.status == StatusCode::UNPROCESSABLE_ENTITY => {
                    vec![FieldError::new("home_cluster_id", p.detail.clone())]
                }
                other => return Err(PageError::from_api(other, &visitor)),
            };
            let fields: Vec<FieldError> = fields
                .into_iter()
                .map(|mut f| {
                    f.field = sign_up_field(&f.field);
                    f
                })
                .collect();
            let clusters = super::public::directory(&state, &visitor).await?;
            page_with_status(
                &visitor,
                StatusCode::UNPROCESSABLE_ENTITY,
                "sign_up.html",
                context! {
                    clusters => clusters,
                    countries => COUNTRIES,
                    values => data.echo(),
                    errors => FormErrors::from_fields(&fields, &visitor),
                },
            )
        }
    }
}

/// `GET /sign-up/done`
pub async fn sign_up_done(visitor: Visitor) -> PageResult {
    page(&visitor, "sign_up_done.html", context! {})
}

#[derive(Debug, Deserialize)]
pub struct TokenQuery {
    pub token: Option<String>,
}

/// `GET /confirm-email?token=`: a button that confirms (a mail scanner following the link
/// confirms nothing).
pub async fn confirm_email_form(visitor: Visitor, query: web::Query<TokenQuery>) -> PageResult {
    page(
        &visitor,
        "confirm_email.html",
        context! { token => query.token.as_deref().unwrap_or(""), done => false, failed => false },
    )
}

/// `POST /confirm-email`
pub async fn confirm_email(state: web::Data<AppState>, form: Submitted) -> PageResult {
    let Submitted { visitor, data } = form;
    let token = data.get("token").unwrap_or_default();
    let confirmed = if token.is_empty() {
        false
    } else {
        accounts::confirm_email(&state, token)
            .await
            .or_page(&visitor)?
    };
    page_with_status(
        &visitor,
        if confirmed {
            StatusCode::OK
        } else {
            StatusCode::BAD_REQUEST
        },
        "confirm_email.html",
        context! { token => "", done => confirmed, failed => !confirmed },
    )
}

/// `GET /forgot-password`
pub async fn forgot_form(visitor: Visitor) -> PageResult {
    page(
        &visitor,
        "forgot_password.html",
        context! { sent => false, values => context! {}, errors => FormErrors::default() },
    )
}

/// `POST /forgot-password`: mails a link if an account uses the address; says the same
/// either way.
pub async fn forgot(state: web::Data<AppState>, form: Submitted) -> PageResult {
    let Submitted { visitor, data } = form;
    match Email::parse(&data.get("email").unwrap_or_default()) {
        Ok(email) => {
            accounts::request_password_reset(&state, email)
                .await
                .or_page(&visitor)?;
            page(
                &visitor,
                "forgot_password.html",
                context! { sent => true, values => context! {}, errors => FormErrors::default() },
            )
        }
        Err(_) => page_with_status(
            &visitor,
            StatusCode::UNPROCESSABLE_ENTITY,
            "forgot_password.html",
            context! {
                sent => false,
                values => data.echo(),
                errors => FormErrors::one("email", "err-email", &visitor),
            },
        ),
    }
}

/// `GET /set-password?token=`: where reset and invitation links land.
pub async fn set_password_form(visitor: Visitor, query: web::Query<TokenQuery>) -> PageResult {
    page(
        &visitor,
        "set_password.html",
        context! {
            token => query.token.as_deref().unwrap_or(""),
            errors => FormErrors::default(),
        },
    )
}

/// `POST /set-password`: sets the password with the link's token (which ends every session
/// and refresh token of the account), then asks to sign in.
pub async fn set_password(
    state: web::Data<AppState>,
    ClientAddress(address): ClientAddress,
    form: Submitted,
) -> PageResult {
    let Submitted { visitor, data } = form;
    let token = data.get("token").unwrap_or_default();
    let new = data.raw("new_password").unwrap_or_default();
    let again = data.raw("confirm_password").unwrap_or_default();
    let form_again = |errors: FormErrors| {
        page_with_status(
            &visitor,
            StatusCode::UNPROCESSABLE_ENTITY,
            "set_password.html",
            context! { token => &token, errors => errors },
        )
    };
    let password = match Password::parse(&new) {
        Ok(p) => p,
        Err(_) => {
            return form_again(FormErrors::one(
                "new_password",
                "err-password-short",
                &visitor,
            ));
        }
    };
    if new != again {
        return form_again(FormErrors::one(
            "confirm_password",
            "err-password-mismatch",
            &visitor,
        ));
    }
    match flows::set_password_with_token(&state, &address, token.clone(), &password).await {
        Ok(()) => {
            let mut response = see_other_with(&visitor, "/sign-in", "flash-password-set");
            let _ = response.add_cookie(&session::removal(
                session::session_cookie_name(visitor.secure),
                visitor.secure,
            ));
            Ok(response)
        }
        Err(e) => match Refusal::of(e, &visitor) {
            Refusal::Form(_) => form_again(FormErrors::one(
                "new_password",
                "err-link-invalid",
                &visitor,
            )),
            Refusal::Page(p) => Err(p),
        },
    }
}

/// `POST /language`: the switcher. Remembered in a cookie, and for a signed-in person in
/// their account (so their emails follow).
pub async fn language(state: web::Data<AppState>, form: Submitted) -> PageResult {
    let Submitted { visitor, data } = form;
    let Some(locale) = data.get("locale").as_deref().and_then(Locale::parse) else {
        return Err(PageError::status(
            StatusCode::UNPROCESSABLE_ENTITY,
            &visitor,
        ));
    };
    if let Some(who) = visitor.principal() {
        accounts::update_me(&state, &who, None, Some(locale))
            .await
            .or_page(&visitor)?;
    }
    let back = safe_next(data.get("next").as_deref());
    let mut response: HttpResponse = see_other(&back);
    let _ = response.add_cookie(&session::cookie(
        LANGUAGE_COOKIE,
        locale.as_str().to_owned(),
        visitor.secure,
        Some(actix_web::cookie::time::Duration::days(365)),
    ));
    Ok(response)
}
