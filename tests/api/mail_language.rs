//! A person's own name and language (`PATCH /api/v1/me`).

use serde_json::json;

use crate::fixtures::network;
use crate::helpers::spawn_app;

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
