//! `/sme`: the profile edit saves, an edit that crosses another says so, and inviting a
//! colleague mails them a link that lands on `/set-password`.

use serde_json::json;

use super::client::{Portal, signed_in};
use super::en;
use crate::fixtures::{link_token, network};
use crate::helpers::spawn_app;

#[tokio::test]
async fn the_profile_edit_saves() {
    let app = spawn_app().await;
    let net = network(&app).await;
    let portal = signed_in(&app, &net.member_a.email).await;
    let page = portal.get("/sme").await;
    page.assert_page();
    let saved = portal
        .submit(
            "#sme-form",
            &[
                ("name", "Acme Robotics Europe"),
                ("country", "AT"),
                ("sector", "Robotics"),
                ("website", "https://acme-robotics.example.org"),
                ("employees", "42"),
                ("target_markets", "se, fr"),
            ],
        )
        .await;
    assert_eq!(saved.redirect(), "/sme");
    let page = portal.follow(&saved).await;
    assert_eq!(page.assert_page(), "Acme Robotics Europe");
    assert_eq!(
        page.flash().as_deref(),
        Some(en("flash-profile-saved", &[]).as_str())
    );
    let form = page.form("#sme-form");
    assert_eq!(form.get("name"), Some("Acme Robotics Europe"));
    assert_eq!(form.get("country"), Some("AT"));
    assert_eq!(form.get("employees"), Some("42"));
    assert_eq!(form.get("target_markets"), Some("SE, FR"));

    let sme = app
        .get(
            &format!("/api/v1/smes/{}", net.sme_a),
            Some(&net.member_a.token),
        )
        .await
        .expect(200);
    assert_eq!(sme["name"], "Acme Robotics Europe");
    assert_eq!(sme["country"], "AT");
    assert_eq!(sme["sector"], "robotics");
    assert_eq!(sme["website"], "https://acme-robotics.example.org/");
    assert_eq!(sme["employees"], 42);
    assert_eq!(sme["target_markets"], json!(["SE", "FR"]));

    // A field the rules refuse is shown at it, with what was typed.
    let page = portal
        .submit(
            "#sme-form",
            &[("employees", "many"), ("name", "Acme Again")],
        )
        .await;
    page.expect(422);
    assert!(page.field_error("employees").is_some());
    assert_eq!(page.form("#sme-form").get("name"), Some("Acme Again"));
    assert_eq!(
        app.get(
            &format!("/api/v1/smes/{}", net.sme_a),
            Some(&net.member_a.token)
        )
        .await
        .expect(200)["name"],
        "Acme Robotics Europe",
        "nothing saved"
    );
}

#[tokio::test]
async fn an_edit_that_crosses_another_says_someone_changed_it() {
    let app = spawn_app().await;
    let net = network(&app).await;
    let portal = signed_in(&app, &net.member_a.email).await;
    let page = portal.get("/sme").await;
    page.assert_page();
    assert!(!page.has("#profile-conflict"));

    // Meanwhile a colleague changes the profile through the API.
    app.patch(
        &format!("/api/v1/smes/{}", net.sme_a),
        Some(&net.member_a.token),
        &json!({"sector": "ai"}),
    )
    .await
    .expect(200);

    let page = portal
        .submit("#sme-form", &[("name", "Acme Robotics Stale")])
        .await;
    page.expect(409);
    assert!(
        page.has("#profile-conflict"),
        "the page says someone changed it"
    );
    let form = page.form("#sme-form");
    assert_eq!(
        form.get("sector"),
        Some("ai"),
        "the form shows the profile as it is now"
    );
    let sme = app
        .get(
            &format!("/api/v1/smes/{}", net.sme_a),
            Some(&net.member_a.token),
        )
        .await
        .expect(200);
    assert_eq!(sme["name"], "Acme Robotics", "the stale edit saved nothing");
    assert_eq!(sme["sector"], "ai");

    // Sent again from the fresh form, it saves.
    let saved = portal
        .submit("#sme-form", &[("name", "Acme Robotics Fresh")])
        .await;
    assert_eq!(saved.redirect(), "/sme");
    let page = portal.follow(&saved).await;
    assert_eq!(page.assert_page(), "Acme Robotics Fresh");
}

#[tokio::test]
async fn inviting_a_colleague_mails_them_a_link_to_set_a_password() {
    let app = spawn_app().await;
    let net = network(&app).await;
    let portal = signed_in(&app, &net.member_a.email).await;
    portal.get("/sme").await.assert_page();
    let sent = portal
        .submit(
            "#invite-form",
            &[
                ("invite_name", "Charles Babbage"),
                ("invite_email", "charles@acme.test"),
            ],
        )
        .await;
    assert_eq!(sent.redirect(), "/sme");
    let page = portal.follow(&sent).await;
    page.assert_page();
    assert_eq!(
        page.flash().as_deref(),
        Some(en("flash-colleague-invited", &[]).as_str())
    );
    assert!(
        page.texts(".people li")
            .iter()
            .any(|p| p.contains("charles@acme.test")),
        "the colleague is listed: {:?}",
        page.texts(".people li")
    );

    let mail = app.mail_to("charles@acme.test", "You are invited to").await;
    assert!(mail.text().contains("/set-password?token="));
    let token = link_token(&mail.text());
    let colleague = Portal::new(&app);
    colleague
        .get(&format!("/set-password?token={token}"))
        .await
        .assert_page();
    let set = colleague
        .submit(
            "#set-password-form",
            &[
                ("new_password", "charles's own long password"),
                ("confirm_password", "charles's own long password"),
            ],
        )
        .await;
    assert_eq!(set.redirect(), "/sign-in");
    colleague
        .sign_in("charles@acme.test", "charles's own long password")
        .await;
    let page = colleague.get("/sme").await;
    assert_eq!(page.assert_page(), "Acme Robotics");

    // The same address again is refused at its field.
    let page = portal
        .submit(
            "#invite-form",
            &[
                ("invite_name", "Charles Again"),
                ("invite_email", "charles@acme.test"),
            ],
        )
        .await;
    page.expect(422);
    assert_eq!(
        page.field_error("invite_email"),
        Some(en("err-email-taken", &[]))
    );
    let page = portal
        .submit(
            "#invite-form",
            &[("invite_name", ""), ("invite_email", "nope")],
        )
        .await;
    page.expect(422);
    assert!(page.field_error("invite_email").is_some());
    assert!(page.field_error("invite_name").is_some());
}
