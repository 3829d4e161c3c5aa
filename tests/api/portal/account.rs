//! `/account` and the language switcher: a name and a language that stick, a password change
//! proven with the current one, and signing out everywhere.

use softlanding::domain::account::Locale;

use super::client::{Page, Portal, signed_in};
use super::{en, message};
use crate::fixtures::{PASSWORD, network};
use crate::helpers::spawn_app;

const NEW_PASSWORD: &str = "a fresh and rather long passphrase";

/// Asserts the page is declared in `locale`: `<html lang>`, and the switcher shows it.
#[track_caller]
fn assert_lang(page: &Page, locale: Locale) {
    assert_eq!(page.lang(), locale.as_str(), "{}: html[lang]", page.path);
    assert_eq!(
        page.attr("#language-form option[selected]", "value")
            .as_deref(),
        Some(locale.as_str()),
        "{}: the switcher shows the language",
        page.path
    );
}

/// Asserts the page's words are in `locale`: the navigation, in that language's words and,
/// for another language than English, not in English.
#[track_caller]
fn assert_words_in(page: &Page, locale: Locale) {
    assert_eq!(
        page.text("#nav-offers"),
        message(locale, "nav-offers", &[]),
        "{}: the navigation is in {locale:?}",
        page.path
    );
    if locale != Locale::En {
        assert_ne!(
            page.text("#nav-offers"),
            en("nav-offers", &[]),
            "{}: the navigation is translated into {locale:?}, not left in English",
            page.path
        );
    }
}

/// Both.
#[track_caller]
fn assert_in(page: &Page, locale: Locale) {
    assert_lang(page, locale);
    assert_words_in(page, locale);
}

#[tokio::test]
async fn a_name_change_sticks() {
    let app = spawn_app().await;
    let net = network(&app).await;
    let portal = signed_in(&app, &net.member_a.email).await;
    portal.get("/account").await.assert_page();
    let saved = portal
        .submit(
            "#account-form",
            &[("name", "Ada King, Countess of Lovelace")],
        )
        .await;
    assert_eq!(saved.redirect(), "/account");
    let page = portal.follow(&saved).await;
    page.assert_page();
    assert_eq!(
        page.flash().as_deref(),
        Some(en("flash-account-saved", &[]).as_str())
    );
    assert_eq!(
        page.form("#account-form").get("name"),
        Some("Ada King, Countess of Lovelace"),
        "the form shows the new name"
    );
    let me = app
        .get("/api/v1/me", Some(&net.member_a.token))
        .await
        .expect(200);
    assert_eq!(
        me["name"], "Ada King, Countess of Lovelace",
        "the API sees it"
    );

    // A blank name is refused at its field.
    let page = portal.submit("#account-form", &[("name", " ")]).await;
    page.expect(422);
    assert!(page.field_error("name").is_some());
}

#[tokio::test]
async fn the_language_switcher_changes_the_pages_language() {
    let app = spawn_app().await;
    let portal = Portal::new(&app);
    let page = portal.get("/offers").await;
    page.assert_page();
    assert_in(&page, Locale::En);
    assert_eq!(page.h1(), en("offers-heading", &[]));

    let switched = portal.submit("#language-form", &[("locale", "de")]).await;
    assert_eq!(switched.redirect(), "/offers", "back to the page it was on");
    let german = portal.follow(&switched).await;
    german.assert_page();
    assert_lang(&german, Locale::De);
    // It stays for the next page.
    assert_lang(&portal.get("/clusters").await, Locale::De);

    // A browser that prefers Swedish gets Swedish until it chooses otherwise.
    let swedish = Portal::new(&app);
    let page = swedish
        .get_with("/offers", &[("Accept-Language", "sv-SE,sv;q=0.9,en;q=0.5")])
        .await;
    page.assert_page();
    assert_lang(&page, Locale::Sv);

    // An unknown language is refused and changes nothing.
    portal.get("/").await.assert_page();
    let refused = portal.submit("#language-form", &[("locale", "xx")]).await;
    assert_eq!(refused.status(), 422);
    assert_lang(&portal.get("/").await, Locale::De);

    // The words change with the language: the navigation and the heading.
    assert_words_in(&german, Locale::De);
    assert_eq!(german.h1(), message(Locale::De, "offers-heading", &[]));
    assert_ne!(
        german.h1(),
        en("offers-heading", &[]),
        "the heading is German too"
    );
    assert_words_in(&page, Locale::Sv);
}

#[tokio::test]
async fn the_account_form_changes_the_persons_language_everywhere() {
    let app = spawn_app().await;
    let net = network(&app).await;
    let portal = signed_in(&app, &net.member_a.email).await;
    portal.get("/account").await.assert_page();
    let saved = portal.submit("#account-form", &[("locale", "de")]).await;
    assert_eq!(saved.redirect(), "/account");
    let page = portal.follow(&saved).await;
    page.assert_page();
    assert_lang(&page, Locale::De);
    assert_eq!(
        page.form("#account-form").get("locale"),
        Some("de"),
        "the account form shows the language chosen"
    );

    // It is the person's language, not the browser's: signing in elsewhere shows German.
    let elsewhere = signed_in(&app, &net.member_a.email).await;
    let page = elsewhere.get("/landings").await;
    page.assert_page();
    assert_lang(&page, Locale::De);

    // And their email follows it.
    let anonymous = Portal::new(&app);
    anonymous.get("/forgot-password").await.expect(200);
    anonymous
        .submit("#forgot-form", &[("email", &net.member_a.email)])
        .await
        .expect(200);
    app.mail_to(
        &net.member_a.email,
        &message(Locale::De, "email-reset-subject", &[]),
    )
    .await;
}

#[tokio::test]
async fn the_switcher_remembers_a_signed_in_persons_language() {
    let app = spawn_app().await;
    let net = network(&app).await;
    let portal = signed_in(&app, &net.member_a.email).await;
    portal.get("/landings").await.assert_page();
    let switched = portal.submit("#language-form", &[("locale", "fr")]).await;
    assert_eq!(switched.redirect(), "/landings");
    let page = portal.follow(&switched).await;
    page.assert_page();
    assert_lang(&page, Locale::Fr);

    // Another browser, once signed in, follows the account's language.
    let elsewhere = signed_in(&app, &net.member_a.email).await;
    let page = elsewhere.get("/account").await;
    page.assert_page();
    assert_lang(&page, Locale::Fr);
}

#[tokio::test]
async fn a_password_change_needs_the_current_password_and_ends_other_sessions() {
    let app = spawn_app().await;
    let net = network(&app).await;
    let email = net.member_a.email.clone();
    let here = signed_in(&app, &email).await;
    let there = signed_in(&app, &email).await;
    here.get("/account").await.assert_page();

    let page = here
        .submit(
            "#password-form",
            &[
                ("current_password", "not my password at all"),
                ("new_password", NEW_PASSWORD),
            ],
        )
        .await;
    page.expect(422);
    assert_eq!(
        page.field_error("current_password"),
        Some(en("err-current-password", &[]))
    );
    assert_eq!(page.summary_links(), vec!["current_password"]);
    assert_eq!(
        page.form("#password-form").get("current_password"),
        Some(""),
        "a password is never sent back"
    );
    let page = here
        .submit(
            "#password-form",
            &[("current_password", PASSWORD), ("new_password", "short")],
        )
        .await;
    page.expect(422);
    assert!(page.field_error("new_password").is_some());
    there.get("/account").await.assert_page();

    let changed = here
        .submit(
            "#password-form",
            &[
                ("current_password", PASSWORD),
                ("new_password", NEW_PASSWORD),
            ],
        )
        .await;
    assert_eq!(changed.redirect(), "/account");
    let page = here.follow(&changed).await;
    page.assert_page();
    assert_eq!(
        page.flash().as_deref(),
        Some(en("flash-password-changed", &[]).as_str())
    );
    // This session stays; the other one is over.
    here.get("/landings").await.assert_page();
    assert_eq!(
        there.get("/account").await.redirect(),
        "/sign-in?next=%2Faccount"
    );
    // The new password signs in; the old one does not.
    Portal::new(&app)
        .sign_in_to(&email, PASSWORD, None)
        .await
        .expect(400);
    Portal::new(&app).sign_in(&email, NEW_PASSWORD).await;
    app.password_login(&email, NEW_PASSWORD).await.expect(200);
}

#[tokio::test]
async fn signing_out_everywhere_ends_every_session() {
    let app = spawn_app().await;
    let net = network(&app).await;
    let email = net.member_a.email.clone();
    let here = signed_in(&app, &email).await;
    let there = signed_in(&app, &email).await;
    let other_person = signed_in(&app, &net.manager_a.email).await;
    here.get("/account").await.assert_page();

    let out = here.submit("#sign-out-everywhere-form", &[]).await;
    assert_eq!(out.redirect(), "/");
    let page = here.follow(&out).await;
    page.assert_page();
    assert_eq!(
        page.flash().as_deref(),
        Some(en("flash-signed-out-everywhere", &[]).as_str())
    );
    assert!(page.has("#nav-sign-in"));
    for browser in [&here, &there] {
        assert_eq!(
            browser.get("/landings").await.redirect(),
            "/sign-in?next=%2Flandings"
        );
    }
    other_person.get("/landings").await.assert_page();
    // Signing in again works.
    here.sign_in(&email, PASSWORD).await;
}
