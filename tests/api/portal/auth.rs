//! Signing up, confirming the address, signing in and out, and setting a password by link:
//! each form goes round, and what it did is what the API sees.

use serde_json::Value;

use softlanding::domain::account::Locale;

use super::client::{Portal, SESSION_COOKIE, signed_in};
use super::{en, message};
use crate::fixtures::{PASSWORD, link_token, network};
use crate::helpers::spawn_app;

const NEW_PASSWORD: &str = "a brand new portal passphrase";

/// The SME named `name` as the admin lists them.
async fn sme_named(app: &crate::helpers::TestApp, admin_token: &str, name: &str) -> Option<Value> {
    let smes = app
        .get("/api/v1/smes?limit=100", Some(admin_token))
        .await
        .expect(200);
    smes["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["name"] == name)
        .cloned()
}

#[tokio::test]
async fn signing_up_makes_a_pending_sme_and_the_mailed_link_confirms_the_address() {
    let app = spawn_app().await;
    let (cluster, _manager) = app
        .cluster_with_manager("CyberForum", "manager@cyberforum.test")
        .await;
    let admin = app.admin("admin@softlanding.test").await;
    let portal = Portal::new(&app);
    portal.get("/sign-up").await.expect(200);
    let done = portal
        .submit(
            "#sign-up-form",
            &[
                ("name", "Portal Robotics GmbH"),
                ("country", "AT"),
                ("sector", "Robotics"),
                ("website", "https://robotics.example.org"),
                ("employees", "12"),
                ("home_cluster_id", &cluster),
                ("contact_name", "Rosa Portal"),
                ("contact_email", "rosa@portal-robotics.test"),
                ("password", NEW_PASSWORD),
            ],
        )
        .await;
    assert_eq!(done.redirect(), "/sign-up/done");
    let page = portal.follow(&done).await;
    page.assert_page();
    assert!(page.has("#sign-up-done"));

    let sme = sme_named(&app, &admin.token, "Portal Robotics GmbH")
        .await
        .expect("the admin sees the new SME");
    assert_eq!(sme["membership"], "pending");
    assert_eq!(sme["home_cluster_id"], cluster.as_str());
    assert_eq!(sme["country"], "AT");
    assert_eq!(sme["sector"], "robotics");

    // Not confirmed yet: signing in says so at the field.
    let refused = portal
        .sign_in_to("rosa@portal-robotics.test", NEW_PASSWORD, None)
        .await;
    refused.expect(400);
    assert_eq!(
        refused.field_error("email").as_deref(),
        Some(en("err-confirm-first", &[]).as_str())
    );
    assert_eq!(refused.summary_links(), vec!["email"]);
    assert_eq!(
        refused.attr("input[name=email]", "aria-invalid").as_deref(),
        Some("true")
    );
    assert_eq!(
        refused.form("#sign-in-form").get("email"),
        Some("rosa@portal-robotics.test"),
        "the address stays in the form"
    );
    assert!(portal.cookie(SESSION_COOKIE).is_none());

    // The mailed link opens the confirmation page, whose button confirms.
    let mail = app
        .mail_to("rosa@portal-robotics.test", "Confirm your email")
        .await;
    assert!(mail.text().contains("/confirm-email?token="));
    let token = link_token(&mail.text());
    let page = portal.get(&format!("/confirm-email?token={token}")).await;
    page.assert_page();
    assert!(
        !page.has("#email-confirmed"),
        "opening the link confirms nothing"
    );
    let confirmed = portal.submit("#confirm-email-form", &[]).await;
    confirmed.assert_page();
    assert!(confirmed.has("#email-confirmed"));
    assert_eq!(
        confirmed.attr("a#go-sign-in", "href").as_deref(),
        Some("/sign-in")
    );

    // The link is spent; signing in works now.
    let again = portal.get(&format!("/confirm-email?token={token}")).await;
    again.expect(200);
    let spent = portal.submit("#confirm-email-form", &[]).await;
    spent.expect(400);
    assert!(!spent.has("#email-confirmed"));
    portal
        .sign_in("rosa@portal-robotics.test", NEW_PASSWORD)
        .await;
    let page = portal.get("/sme").await;
    assert_eq!(page.assert_page(), "Portal Robotics GmbH");
}

#[tokio::test]
async fn an_sme_signing_up_in_german_is_written_to_and_shown_pages_in_german() {
    let app = spawn_app().await;
    let (cluster, _manager) = app
        .cluster_with_manager("CyberForum", "manager@cyberforum.test")
        .await;
    let portal = Portal::new(&app);
    portal.get("/sign-up").await.expect(200);
    let switched = portal.submit("#language-form", &[("locale", "de")]).await;
    assert_eq!(switched.redirect(), "/sign-up");
    let page = portal.follow(&switched).await;
    page.assert_page();
    assert_eq!(page.lang(), "de");
    let done = portal
        .submit(
            "#sign-up-form",
            &[
                ("name", "Schwarzwald Sensorik GmbH"),
                ("country", "DE"),
                ("sector", "sensors"),
                ("home_cluster_id", &cluster),
                ("contact_name", "Hanna Schmid"),
                ("contact_email", "hanna@sensorik.test"),
                ("password", NEW_PASSWORD),
            ],
        )
        .await;
    assert_eq!(done.redirect(), "/sign-up/done");
    assert_eq!(portal.follow(&done).await.lang(), "de");

    // The confirmation comes in German.
    let subject = message(Locale::De, "email-confirmation-subject", &[]);
    let mail = app.mail_to("hanna@sensorik.test", &subject).await;
    let token = link_token(&mail.text());
    portal
        .get(&format!("/confirm-email?token={token}"))
        .await
        .expect(200);
    portal
        .submit("#confirm-email-form", &[])
        .await
        .assert_page();

    // Another browser, with no language of its own, shows the person's pages in German.
    let elsewhere = Portal::new(&app);
    elsewhere.sign_in("hanna@sensorik.test", NEW_PASSWORD).await;
    let page = elsewhere.get("/landings").await;
    page.assert_page();
    assert_eq!(page.lang(), "de");
    assert_eq!(
        page.text("#nav-landings"),
        message(Locale::De, "nav-landings", &[])
    );
}

#[tokio::test]
async fn a_sign_up_with_errors_shows_each_at_its_field() {
    let app = spawn_app().await;
    let (cluster, _) = app
        .cluster_with_manager("CyberForum", "manager@cyberforum.test")
        .await;
    let portal = Portal::new(&app);
    portal.get("/sign-up").await.expect(200);
    let page = portal
        .submit(
            "#sign-up-form",
            &[
                ("name", "Half Filled Oy"),
                ("employees", "a dozen"),
                ("contact_email", "not an address"),
                ("password", "short"),
            ],
        )
        .await;
    page.expect(422);
    let fields = page.fields_in_error();
    for field in [
        "country",
        "sector",
        "employees",
        "home_cluster_id",
        "contact_name",
        "contact_email",
        "password",
    ] {
        assert!(
            fields.contains(&field.to_owned()),
            "#{field}-error is shown; got {fields:?}"
        );
        assert_eq!(
            page.attr(&format!("[name={field}]"), "aria-invalid")
                .as_deref(),
            Some("true"),
            "{field} is marked invalid"
        );
    }
    assert!(!fields.contains(&"name".to_owned()), "the name was fine");
    page.assert_errors_linked();
    page.assert_inputs_labelled();
    assert_eq!(page.summary_links().len(), fields.len());
    let form = page.form("#sign-up-form");
    assert_eq!(
        form.get("name"),
        Some("Half Filled Oy"),
        "typed values stay"
    );
    assert_eq!(
        form.get("password"),
        Some(""),
        "a password is never sent back"
    );
    assert!(
        page.attrs("select[name=home_cluster_id] option", "value")
            .contains(&cluster)
    );
}

#[tokio::test]
async fn signing_in_sets_a_session_cookie_and_honours_next() {
    let app = spawn_app().await;
    let net = network(&app).await;
    let portal = Portal::new(&app);

    // A signed-in page sends an anonymous visitor to sign in, and back after it.
    let sent = portal.get("/sme").await;
    assert_eq!(sent.redirect(), "/sign-in?next=%2Fsme");
    let page = portal.follow(&sent).await;
    page.assert_page();
    assert_eq!(page.form("#sign-in-form").get("next"), Some("/sme"));
    let signed = portal
        .submit(
            "#sign-in-form",
            &[("email", &net.member_a.email), ("password", PASSWORD)],
        )
        .await;
    assert_eq!(signed.redirect(), "/sme");
    let cookie = signed.set_cookie(SESSION_COOKIE).expect("a session cookie");
    let attributes: Vec<String> = cookie
        .split(';')
        .map(|a| a.trim().to_ascii_lowercase())
        .collect();
    assert!(attributes.contains(&"httponly".to_owned()), "{cookie}");
    assert!(attributes.contains(&"samesite=lax".to_owned()), "{cookie}");
    assert!(attributes.contains(&"path=/".to_owned()), "{cookie}");
    assert!(
        !attributes.contains(&"secure".to_owned()),
        "not Secure over plain HTTP: {cookie}"
    );
    assert!(
        attributes.contains(&"max-age=43200".to_owned()),
        "kept for the twelve hours a session lives at most: {cookie}"
    );
    // The anonymous form token's cookie is HttpOnly and SameSite=Lax as well.
    let token = sent
        .set_cookie("sl_token")
        .expect("a form token cookie on the first visit");
    let token = token.to_ascii_lowercase();
    assert!(
        token.contains("httponly") && token.contains("samesite=lax"),
        "{token}"
    );
    let value = portal.cookie(SESSION_COOKIE).expect("the browser keeps it");
    assert!(value.len() >= 32, "a long random id");
    portal.follow(&signed).await.assert_page();

    // Signing in again gives a new session id, whatever id the browser held before.
    let planted = "planted-session-id-planted-session-id-0123456789";
    let other = Portal::with_cookie(&app, &format!("{SESSION_COOKIE}={planted}"));
    other.sign_in(&net.member_a.email, PASSWORD).await;
    let fresh = other.cookie(SESSION_COOKIE).expect("a session cookie");
    assert_ne!(fresh, planted, "a planted id never becomes a signed-in one");
    assert_ne!(fresh, value);
    Portal::with_cookie(&app, &format!("{SESSION_COOKIE}={planted}"))
        .get("/account")
        .await
        .redirect();

    // A wrong password says so at the field and starts no session.
    let wrong = Portal::new(&app);
    let page = wrong
        .sign_in_to(&net.member_a.email, "not the password at all", None)
        .await;
    page.expect(400);
    assert_eq!(
        page.field_error("email").as_deref(),
        Some(en("err-sign-in-wrong", &[]).as_str())
    );
    assert!(page.error_summary().is_some());
    assert!(wrong.cookie(SESSION_COOKIE).is_none());
    let page = wrong
        .submit("#sign-in-form", &[("email", ""), ("password", "")])
        .await;
    page.expect(422);
    assert_eq!(
        page.field_error("email").as_deref(),
        Some(en("err-sign-in-missing", &[]).as_str())
    );

    // A signed-in visitor of /sign-in goes on to `next`.
    let page = portal.get("/sign-in?next=%2Faccount").await;
    assert_eq!(page.redirect(), "/account");
}

#[tokio::test]
async fn failed_sign_ins_are_limited_like_the_api_token_endpoint() {
    let app = spawn_app().await;
    let net = network(&app).await;
    let email = net.member_a.email.clone();
    let portal = Portal::new(&app);
    // The default limit: five failures for one account from one address.
    for _ in 0..5 {
        portal
            .sign_in_to(&email, "not the password at all", None)
            .await
            .expect(400);
    }
    // Locked: even the right password waits, here and at the API.
    let page = portal.sign_in_to(&email, PASSWORD, None).await;
    page.expect(429);
    page.assert_landmarks();
    let retry: u64 = page
        .header("retry-after")
        .expect("a Retry-After")
        .parse()
        .expect("seconds");
    assert!((1..=900).contains(&retry), "{retry}");
    assert!(portal.cookie(SESSION_COOKIE).is_none());
    app.password_login(&email, PASSWORD)
        .await
        .expect_problem(429, "rate_limited");
    // Another account from the same address still signs in.
    Portal::new(&app)
        .sign_in(&net.manager_a.email, PASSWORD)
        .await;
}

#[tokio::test]
async fn a_next_of_another_origin_is_not_followed() {
    let app = spawn_app().await;
    let net = network(&app).await;
    for next in [
        "https://evil.example/steal",
        "//evil.example/steal",
        "/\\evil.example",
        "javascript:alert(1)",
        "evil.example",
    ] {
        let portal = Portal::new(&app);
        let page = portal
            .get(&format!(
                "/sign-in?{}",
                serde_urlencoded::to_string([("next", next)]).unwrap()
            ))
            .await;
        page.expect(200);
        assert_eq!(
            page.form("#sign-in-form").get("next"),
            Some("/landings"),
            "{next} is not offered as next"
        );
        // Posted by hand, it is not followed either.
        let signed = portal
            .submit(
                "#sign-in-form",
                &[
                    ("email", &net.member_a.email),
                    ("password", PASSWORD),
                    ("next", next),
                ],
            )
            .await;
        assert_eq!(signed.redirect(), "/landings", "{next} is not followed");
    }
}

#[tokio::test]
async fn signing_out_ends_the_session_and_its_cookie_no_longer_works() {
    let app = spawn_app().await;
    let net = network(&app).await;
    let portal = signed_in(&app, &net.member_a.email).await;
    let copied = portal.session().expect("a session cookie");
    let elsewhere = Portal::with_cookie(&app, &copied);
    elsewhere.get("/account").await.assert_page();

    portal.get("/account").await.assert_page();
    let out = portal.submit("#sign-out-form", &[]).await;
    assert_eq!(out.redirect(), "/");
    assert!(
        out.set_cookie(SESSION_COOKIE)
            .is_some_and(|c| c.to_ascii_lowercase().contains("max-age=0")),
        "the browser is told to forget the cookie"
    );
    let home = portal.follow(&out).await;
    home.assert_page();
    assert_eq!(
        home.flash().as_deref(),
        Some(en("flash-signed-out", &[]).as_str())
    );
    assert!(home.has("#nav-sign-in") && !home.has("#sign-out-form"));
    assert!(portal.cookie(SESSION_COOKIE).is_none());
    assert_eq!(portal.get("/").await.flash(), None, "a flash shows once");

    // The old cookie, kept by another browser, opens nothing.
    let page = elsewhere.get("/account").await;
    assert_eq!(page.redirect(), "/sign-in?next=%2Faccount");
    let page = elsewhere.follow(&page).await;
    page.assert_page();
    assert!(page.has("#nav-sign-in"), "anonymous again");
}

#[tokio::test]
async fn forgot_password_says_the_same_whether_or_not_an_account_uses_the_address() {
    let app = spawn_app().await;
    let net = network(&app).await;
    let answer = |email: &'static str| {
        let app = &app;
        async move {
            let portal = Portal::new(app);
            portal.get("/forgot-password").await.expect(200);
            let page = portal.submit("#forgot-form", &[("email", email)]).await;
            page.assert_page();
            (
                page.h1(),
                page.text("#reset-sent"),
                page.has("#forgot-form"),
            )
        }
    };
    let known = answer("ada@acme.test").await;
    let unknown = answer("nobody@nowhere.test").await;
    assert_eq!(known, unknown, "nothing tells whether the address is known");
    assert!(!known.2, "the form is replaced by the message");
    assert_eq!(known.1, en("forgot-sent", &[]));

    let mail = app.mail_to(&net.member_a.email, "Reset your").await;
    assert!(mail.text().contains("/set-password?token="));
    assert!(
        !app.delivered()
            .await
            .iter()
            .any(|m| m.to.iter().any(|t| t.contains("nobody@nowhere.test"))),
        "no mail to an address no account uses"
    );

    // A malformed address is the form's error.
    let portal = Portal::new(&app);
    portal.get("/forgot-password").await.expect(200);
    let page = portal
        .submit("#forgot-form", &[("email", "not an address")])
        .await;
    page.expect(422);
    assert!(page.field_error("email").is_some());
}

/// The token of the newest password-reset mail to `email`.
async fn reset_token(app: &crate::helpers::TestApp, email: &str) -> String {
    let portal = Portal::new(app);
    portal.get("/forgot-password").await.expect(200);
    portal
        .submit("#forgot-form", &[("email", email)])
        .await
        .expect(200);
    let mail = app.mail_to(email, "Reset your").await;
    link_token(&mail.text())
}

#[tokio::test]
async fn the_emailed_link_sets_the_password_once_and_ends_every_session() {
    let app = spawn_app().await;
    let net = network(&app).await;
    let email = net.member_a.email.clone();
    let before = signed_in(&app, &email).await;
    let token = reset_token(&app, &email).await;

    let portal = Portal::new(&app);
    let page = portal.get(&format!("/set-password?token={token}")).await;
    page.assert_page();
    assert_eq!(
        page.form("#set-password-form").get("token"),
        Some(token.as_str())
    );
    // Two different passwords, then a short one: each at its field.
    let page = portal
        .submit(
            "#set-password-form",
            &[
                ("new_password", NEW_PASSWORD),
                ("confirm_password", "something else entirely"),
            ],
        )
        .await;
    page.expect(422);
    assert!(page.field_error("confirm_password").is_some());
    assert_eq!(
        page.form("#set-password-form").get("token"),
        Some(token.as_str()),
        "the token survives a failed attempt"
    );
    let page = portal
        .submit(
            "#set-password-form",
            &[("new_password", "short"), ("confirm_password", "short")],
        )
        .await;
    page.expect(422);
    assert!(page.field_error("new_password").is_some());

    let set = portal
        .submit(
            "#set-password-form",
            &[
                ("new_password", NEW_PASSWORD),
                ("confirm_password", NEW_PASSWORD),
            ],
        )
        .await;
    assert_eq!(set.redirect(), "/sign-in");
    let page = portal.follow(&set).await;
    page.assert_page();
    assert_eq!(
        page.flash().as_deref(),
        Some(en("flash-password-set", &[]).as_str())
    );

    // The new password works, the old one does not, and the session from before is over.
    let page = portal.sign_in_to(&email, PASSWORD, None).await;
    page.expect(400);
    portal.sign_in(&email, NEW_PASSWORD).await;
    let page = before.get("/account").await;
    assert_eq!(page.redirect(), "/sign-in?next=%2Faccount");

    // The link is spent.
    let other = Portal::new(&app);
    other
        .get(&format!("/set-password?token={token}"))
        .await
        .expect(200);
    let page = other
        .submit(
            "#set-password-form",
            &[
                ("new_password", "yet another long passphrase"),
                ("confirm_password", "yet another long passphrase"),
            ],
        )
        .await;
    page.expect(422);
    assert_eq!(
        page.field_error("new_password").as_deref(),
        Some(en("err-link-invalid", &[]).as_str())
    );
    assert!(page.error_summary().is_some());
    other.sign_in(&email, NEW_PASSWORD).await;
}
