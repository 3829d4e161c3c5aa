//! A person's own name and language (`PATCH /api/v1/me`), and what follows from the language:
//! every email is written in its recipient's language, English for an address without one, and
//! links to the portal's pages rather than to the API.

use serde_json::json;

use crate::fixtures::network;
use crate::helpers::{TestApp, spawn_app};
use crate::landings::landings;
use crate::smtp::ReceivedMail;

/// Every mail delivered so far to `recipient`.
async fn mails_to(app: &TestApp, recipient: &str) -> Vec<ReceivedMail> {
    app.delivered()
        .await
        .into_iter()
        .filter(|m| m.to.iter().any(|t| t.eq_ignore_ascii_case(recipient)))
        .collect()
}

/// The links of a text part to the service (the tests' `public_url`).
fn links(mail: &ReceivedMail) -> Vec<String> {
    mail.text()
        .split_whitespace()
        .filter(|w| w.starts_with("http://127.0.0.1:8080"))
        .map(str::to_owned)
        .collect()
}

#[tokio::test]
async fn a_person_sets_their_name_and_language_and_reads_them_back() {
    let app = spawn_app().await;
    let net = network(&app).await;
    let ada = &net.member_a;

    let before = app.get("/api/v1/me", Some(&ada.token)).await.expect(200);
    assert!(
        before["locale"].is_null(),
        "no language until one is chosen"
    );
    assert_eq!(before["name"], "Grace Hopper", "the name of the sign-up");

    let changed = app
        .patch(
            "/api/v1/me",
            Some(&ada.token),
            &json!({"name": "  Ada Lovelace ", "locale": "de"}),
        )
        .await
        .expect(200);
    assert_eq!(changed["name"], "Ada Lovelace", "the name is trimmed");
    assert_eq!(changed["locale"], "de");
    assert_eq!(changed["id"], ada.id.as_str());
    assert_eq!(changed["kind"], "user");
    assert_eq!(changed["sme_id"], net.sme_a.as_str());
    assert_eq!(
        app.get("/api/v1/me", Some(&ada.token)).await.expect(200),
        changed
    );

    // A field left out keeps its value; an empty change changes nothing.
    let swedish = app
        .patch("/api/v1/me", Some(&ada.token), &json!({"locale": "sv"}))
        .await
        .expect(200);
    assert_eq!(swedish["locale"], "sv");
    assert_eq!(swedish["name"], "Ada Lovelace");
    let same = app
        .patch("/api/v1/me", Some(&ada.token), &json!({}))
        .await
        .expect(200);
    assert_eq!(same, swedish);

    // One person's language is theirs alone.
    let manager = app
        .get("/api/v1/me", Some(&net.manager_a.token))
        .await
        .expect(200);
    assert!(manager.get("locale").is_some_and(|l| l.is_null()));

    // An API client's answer carries no language of its own.
    let client = app
        .get("/api/v1/me", Some(&net.client_a.token))
        .await
        .expect(200);
    assert_eq!(client["kind"], "api_client");
    assert!(client["locale"].is_null() && client.get("name").is_none());
}

#[tokio::test]
async fn a_bad_change_to_oneself_is_refused_and_changes_nothing() {
    let app = spawn_app().await;
    let net = network(&app).await;
    let token = Some(net.member_a.token.as_str());

    for (body, fields) in [
        (json!({"locale": "es"}), vec!["locale"]),
        (json!({"locale": "DE"}), vec!["locale"]),
        (json!({"locale": 7}), vec!["locale"]),
        (json!({"locale": null}), vec!["locale"]),
        (json!({"name": "   "}), vec!["name"]),
        (json!({"name": "x".repeat(201)}), vec!["name"]),
        (json!({"name": null}), vec!["name"]),
        (json!({"name": "", "locale": "xx"}), vec!["locale", "name"]),
        (json!({"email": "ada@elsewhere.test"}), vec!["email"]),
    ] {
        let mut named = app.patch("/api/v1/me", token, &body).await.invalid_fields();
        named.sort();
        assert_eq!(named, fields, "{body}");
    }

    // Only a person has a name and a language: an API client is refused, and so is no token.
    app.patch(
        "/api/v1/me",
        Some(&net.client_a.token),
        &json!({"locale": "de"}),
    )
    .await
    .expect_problem(403, "people_only");
    let anonymous = app
        .patch("/api/v1/me", None, &json!({"locale": "de"}))
        .await;
    anonymous.expect_problem(401, "unauthorized");
    assert!(anonymous.header("www-authenticate").is_some());

    let me = app.get("/api/v1/me", token).await.expect(200);
    assert!(me["locale"].is_null());
    assert_eq!(me["name"], "Grace Hopper");
}

#[tokio::test]
async fn one_approval_reads_in_german_to_the_german_member_and_in_english_to_the_rest() {
    let app = spawn_app().await;
    let l = landings(&app).await;
    let (lars, host, home) = (&l.member_b, &l.net.manager_a, &l.net.manager_b);
    app.patch("/api/v1/me", Some(&lars.token), &json!({"locale": "de"}))
        .await
        .expect(200);

    let landing = l.submit(&app, &l.request(5, 2, 1)).await;
    let id = landing["id"].as_str().unwrap();
    l.act(
        &app,
        id,
        "approve",
        host,
        json!({"message": "See you at the front desk"}),
    )
    .await
    .expect(200);
    app.drain_outbox().await;
    let page = format!("http://127.0.0.1:8080/landings/{id}");

    // Lars's receipt and approval are in German, with the portal's page of the landing.
    let german = mails_to(&app, &lars.email).await;
    let subjects: Vec<String> = german.iter().map(ReceivedMail::subject).collect();
    assert_eq!(
        subjects.len(),
        2,
        "the receipt and the approval: {subjects:?}"
    );
    assert!(
        subjects
            .iter()
            .any(|s| s.starts_with("Ihre Anfrage ist eingegangen: Soft Landing bei CyberForum")),
        "{subjects:?}"
    );
    let approval = german
        .iter()
        .find(|m| m.subject() == "CyberForum hat das Soft Landing von Nordic Drones genehmigt")
        .unwrap_or_else(|| panic!("no German approval: {subjects:?}"));
    let text = approval.text();
    for words in [
        "Guten Tag,",
        "Nachricht des Gastgebers: See you at the front desk",
        "Stand: genehmigt",
        "Zum Soft Landing:",
    ] {
        assert!(text.contains(words), "{words:?} in {text}");
    }
    assert!(!text.contains("Hello"), "{text}");
    assert_eq!(links(approval), [page.as_str()]);
    assert!(approval.html().contains("<html lang=\"de\">"));
    assert!(approval.html().contains("Zum Soft Landing"));
    assert_eq!(approval.attachments().len(), 1, "the calendar entry");

    // The home cluster's manager and the SME's contact address chose no language: English.
    let sme_contact = app.sme_contact(lars, &l.sme_b).await;
    for to in [&home.email, &sme_contact] {
        let english = app
            .mail_to(to, "CyberForum approved the soft landing of Nordic Drones")
            .await;
        let text = english.text();
        assert!(text.contains("Hello,"), "{text}");
        assert!(text.contains("Message from the host: See you at the front desk"));
        assert_eq!(links(&english), [page.as_str()]);
    }
}

#[tokio::test]
async fn a_person_who_chose_swedish_resets_their_password_in_swedish() {
    let app = spawn_app().await;
    let net = network(&app).await;
    app.patch(
        "/api/v1/me",
        Some(&net.manager_a.token),
        &json!({"locale": "sv"}),
    )
    .await
    .expect(200);
    app.post(
        "/api/v1/auth/password-reset",
        None,
        &json!({"email": net.manager_a.email}),
    )
    .await
    .expect(202);
    let mail = app
        .mail_to(
            &net.manager_a.email,
            "Återställ ditt lösenord för softlanding",
        )
        .await;
    assert!(mail.text().contains("slutar gälla om en timme"));
    let [link] = links(&mail).try_into().unwrap();
    assert!(link.starts_with("http://127.0.0.1:8080/set-password?token="));
}

#[tokio::test]
async fn emails_link_to_the_pages_of_the_portal_never_to_the_api() {
    let app = spawn_app().await;
    let net = network(&app).await;

    // A partnership: its page among the cluster's own in the portal.
    let partnership = net.proposed_partnership(&app).await;
    let proposed = app
        .mail_to(&net.manager_b.email, "Partnership proposed")
        .await;
    assert_eq!(
        links(&proposed),
        [format!(
            "http://127.0.0.1:8080/manage/partnerships/{partnership}"
        )]
    );

    // An SME's sign-up: the home cluster's list of SMEs to decide on; its verification: the
    // SME's own page.
    let signed_up = app
        .sign_up_sme(&net.cluster_a, "Helix Analytics", "grace@helix.test")
        .await;
    let waiting = app.mail_to(&net.manager_a.email, "signed up").await;
    assert_eq!(links(&waiting), ["http://127.0.0.1:8080/manage/smes"]);
    app.post(
        &format!("/api/v1/smes/{}/verify", signed_up.id),
        Some(&net.manager_a.token),
        &json!({}),
    )
    .await
    .expect(200);
    let verified = app.mail_to("grace@helix.test", "verified member").await;
    assert_eq!(links(&verified), ["http://127.0.0.1:8080/sme"]);

    // Nothing mailed in all of it points at the API.
    let delivered = app.delivered().await;
    assert!(!delivered.is_empty());
    for mail in &delivered {
        assert!(
            links(mail).iter().all(|l| !l.contains("/api/")),
            "{}: {:?}",
            mail.subject(),
            links(mail)
        );
    }
}
