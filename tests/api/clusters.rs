//! Clusters: creation by the admin, the public list and its filters, ETag/If-Match editing by
//! the admin or the cluster's managers, and manager invitations.

use serde_json::{Value, json};

use crate::fixtures::{link_token, network};
use crate::helpers::{TestApp, reply, spawn_app};

fn karlsruhe() -> Value {
    json!({
        "name": "CyberForum",
        "country": "de",
        "city": "Karlsruhe",
        "timezone": "Europe/Berlin",
        "contact_email": "Info@CyberForum.de",
        "website": "https://www.cyberforum.de",
        "description": "The IT network of the Karlsruhe region.",
        "sectors": ["Software", "AI", "software"]
    })
}

async fn create(app: &TestApp, token: &str, body: &Value) -> Value {
    app.post("/api/v1/clusters", Some(token), body)
        .await
        .expect(201)
}

#[tokio::test]
async fn the_admin_creates_a_cluster_that_everyone_can_read() {
    let app = spawn_app().await;
    let net = network(&app).await;
    let created = app
        .post("/api/v1/clusters", Some(&net.admin.token), &karlsruhe())
        .await;
    let body = created.expect(201);
    let id = body["id"].as_str().unwrap();
    assert_eq!(
        created.header("location").unwrap(),
        format!("/api/v1/clusters/{id}")
    );
    assert!(created.header("etag").is_some());
    assert_eq!(body["country"], "DE");
    assert_eq!(body["timezone"], "Europe/Berlin");
    assert_eq!(body["contact_email"], "info@cyberforum.de");
    assert_eq!(body["sectors"], json!(["software", "ai"]));
    assert!(body["created_at"].as_str().unwrap().ends_with('Z'));

    let public = app.get(&format!("/api/v1/clusters/{id}"), None).await;
    assert_eq!(public.expect(200), body);
    assert_eq!(public.header("etag"), created.header("etag"));

    for token in [
        &net.manager_a.token,
        &net.member_a.token,
        &net.client_a.token,
    ] {
        app.post("/api/v1/clusters", Some(token), &karlsruhe())
            .await
            .expect_problem(403, "forbidden");
    }
    app.post("/api/v1/clusters", None, &karlsruhe())
        .await
        .expect_problem(401, "unauthorized");
}

#[tokio::test]
async fn cluster_validation_names_every_field() {
    let app = spawn_app().await;
    let net = network(&app).await;
    let reply = app
        .post(
            "/api/v1/clusters",
            Some(&net.admin.token),
            &json!({
                "name": "",
                "country": "Germany",
                "timezone": "Europe/Karlsruhe",
                "contact_email": "not-an-email",
                "website": "ftp://files.example.org",
                "sectors": ["ok", "<b>"],
                "colour": "red"
            }),
        )
        .await;
    let mut fields = reply.invalid_fields();
    fields.sort();
    assert_eq!(
        fields,
        vec![
            "city",
            "colour",
            "contact_email",
            "country",
            "name",
            "sectors[1]",
            "timezone",
            "website"
        ]
    );
}

#[tokio::test]
async fn the_public_list_filters_by_country_and_sector_and_pages() {
    let app = spawn_app().await;
    let net = network(&app).await; // two clusters in DE with sector "software"
    let mut stockholm = karlsruhe();
    stockholm["name"] = json!("Kista Science City");
    stockholm["country"] = json!("SE");
    stockholm["timezone"] = json!("Europe/Stockholm");
    stockholm["sectors"] = json!(["telecom", "software_defined_radio"]);
    create(&app, &net.admin.token, &stockholm).await;
    let mut cork = karlsruhe();
    cork["name"] = json!("Cork IT");
    cork["country"] = json!("IE");
    cork["timezone"] = json!("Europe/Dublin");
    cork["sectors"] = json!(["fintech"]);
    create(&app, &net.admin.token, &cork).await;

    let se = app
        .get("/api/v1/clusters?country=se", None)
        .await
        .expect(200);
    assert_eq!(names(&se), vec!["Kista Science City"]);
    let fintech = app
        .get("/api/v1/clusters?sector=fintech", None)
        .await
        .expect(200);
    assert_eq!(names(&fintech), vec!["Cork IT"]);
    // `_` is not a wildcard: "software_defined_radio" does not match "software-defined-radio".
    let literal = app
        .get("/api/v1/clusters?sector=software-defined-radio", None)
        .await
        .expect(200);
    assert!(names(&literal).is_empty());

    let mut all = Vec::new();
    let mut next = Some(String::new());
    while let Some(cursor) = next {
        let path = if cursor.is_empty() {
            "/api/v1/clusters?limit=3".to_owned()
        } else {
            format!("/api/v1/clusters?limit=3&cursor={cursor}")
        };
        let page = app.get(&path, None).await.expect(200);
        all.extend(names(&page));
        next = page["next_cursor"].as_str().map(str::to_owned);
    }
    assert_eq!(all.len(), 4, "{all:?}");

    app.get("/api/v1/clusters?country=Germany&limit=500", None)
        .await
        .invalid_fields();
    app.get("/api/v1/clusters?cursor=garbage", None)
        .await
        .expect_problem(400, "invalid_cursor");
    app.get("/api/v1/clusters?limit=ten", None)
        .await
        .expect_problem(400, "invalid_query");
    let _ = net.cluster_b;
}

fn names(page: &Value) -> Vec<String> {
    page["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["name"].as_str().unwrap().to_owned())
        .collect()
}

#[tokio::test]
async fn patch_honours_if_match_and_only_the_admin_or_its_managers_may_edit() {
    let app = spawn_app().await;
    let net = network(&app).await;
    let path = format!("/api/v1/clusters/{}", net.cluster_a);
    let etag = app.get(&path, None).await.header("etag").unwrap();

    let patched = reply(
        app.client
            .patch(app.url(&path))
            .bearer_auth(&net.manager_a.token)
            .header("if-match", &etag)
            .json(&json!({"city": "Karlsruhe-Durlach", "website": "https://cyberforum.de", "sectors": ["ai"]})),
    )
    .await;
    let body = patched.expect(200);
    assert_eq!(body["city"], "Karlsruhe-Durlach");
    assert_eq!(body["sectors"], json!(["ai"]));
    let new_etag = patched.header("etag").unwrap();
    assert_ne!(new_etag, etag);

    // The old ETag no longer matches.
    let stale = reply(
        app.client
            .patch(app.url(&path))
            .bearer_auth(&net.admin.token)
            .header("if-match", &etag)
            .json(&json!({"city": "Bruchsal"})),
    )
    .await;
    stale.expect_problem(412, "precondition_failed");

    // null clears an optional field; the admin may edit too; no If-Match means no precondition.
    let cleared = app
        .patch(&path, Some(&net.admin.token), &json!({"website": null}))
        .await
        .expect(200);
    assert!(cleared["website"].is_null());
    assert_eq!(cleared["city"], "Karlsruhe-Durlach");

    for token in [&net.manager_b.token, &net.member_a.token] {
        app.patch(&path, Some(token), &json!({"city": "X"}))
            .await
            .expect_problem(403, "forbidden");
    }
    let invalid = app
        .patch(
            &path,
            Some(&net.admin.token),
            &json!({"timezone": "Nowhere/Land", "id": "x"}),
        )
        .await;
    let mut fields = invalid.invalid_fields();
    fields.sort();
    assert_eq!(fields, vec!["id", "timezone"]);
    app.patch(
        "/api/v1/clusters/unknown",
        Some(&net.admin.token),
        &json!({"city": "X"}),
    )
    .await
    .expect_problem(404, "not_found");
}

#[tokio::test]
async fn managers_are_invited_by_email_and_can_then_log_in() {
    let app = spawn_app().await;
    let net = network(&app).await;
    let path = format!("/api/v1/clusters/{}/managers", net.cluster_a);
    let invited = app
        .post(
            &path,
            Some(&net.manager_a.token),
            &json!({"email": "New.Manager@CyberForum.test", "name": "Nina"}),
        )
        .await;
    let body = invited.expect(201);
    assert_eq!(body["state"], "invited");
    assert_eq!(body["email"], "new.manager@cyberforum.test");
    let location = invited.header("location").unwrap();
    app.get(&location, Some(&net.admin.token)).await.expect(200);

    let mail = app
        .mail_to("new.manager@cyberforum.test", "CyberForum")
        .await;
    let token = link_token(&mail.text());
    app.post(
        "/api/v1/auth/password-reset/confirm",
        None,
        &json!({"token": token, "new_password": "nina's long password"}),
    )
    .await
    .expect(204);
    let session = app
        .password_login("new.manager@cyberforum.test", "nina's long password")
        .await
        .expect(200);
    let me = app
        .get("/api/v1/me", session["access_token"].as_str())
        .await
        .expect(200);
    assert_eq!(me["cluster_id"], net.cluster_a);

    let list = app.get(&path, Some(&net.admin.token)).await.expect(200);
    let nina = list["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|m| m["name"] == "Nina")
        .unwrap()
        .clone();
    assert_eq!(nina["state"], "active");

    app.post(
        &path,
        Some(&net.admin.token),
        &json!({"email": "new.manager@cyberforum.test", "name": "Again"}),
    )
    .await
    .expect_problem(409, "email_taken");
    app.post(
        &path,
        Some(&net.manager_b.token),
        &json!({"email": "x@y.test", "name": "X"}),
    )
    .await
    .expect_problem(403, "forbidden");
    // The invitation goes out in the language chosen for the person, which becomes theirs; an
    // unknown language is refused at its field.
    app.post(
        &path,
        Some(&net.manager_a.token),
        &json!({"email": "dora@cyberforum.test", "name": "Dora", "locale": "de"}),
    )
    .await
    .expect(201);
    let mail = app.mail_to("dora@cyberforum.test", "").await;
    let german = app.mail_to("dora@cyberforum.test", "Ihre Einladung").await;
    assert_eq!(mail.subject(), german.subject());
    let refused = app
        .post(
            &path,
            Some(&net.manager_a.token),
            &json!({"email": "eve@cyberforum.test", "name": "Eve", "locale": "es"}),
        )
        .await;
    assert_eq!(refused.invalid_fields(), vec!["locale"]);
    let bad = app
        .post(&path, Some(&net.admin.token), &json!({"email": "nope"}))
        .await;
    let mut fields = bad.invalid_fields();
    fields.sort();
    assert_eq!(fields, vec!["email", "name"]);
}

#[tokio::test]
async fn concurrent_invitations_of_one_address_create_one_account() {
    let app = spawn_app().await;
    let net = network(&app).await;
    let path = format!("/api/v1/clusters/{}/managers", net.cluster_a);
    let body = json!({"email": "twice@cyberforum.test", "name": "Twice"});
    let invitations = (0..8).map(|_| app.post(&path, Some(&net.admin.token), &body));
    let replies = futures_util::future::join_all(invitations).await;
    assert_eq!(replies.iter().filter(|r| r.status == 201).count(), 1);
    for r in replies.iter().filter(|r| r.status != 201) {
        r.expect_problem(409, "email_taken");
    }
    // One account, and one invitation mailed to it.
    let managers = app.get(&path, Some(&net.admin.token)).await.expect(200);
    let twice = managers["items"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|m| m["email"] == "twice@cyberforum.test")
        .count();
    assert_eq!(twice, 1);
    let mailed = app
        .delivered()
        .await
        .iter()
        .filter(|m| m.to == ["twice@cyberforum.test"])
        .count();
    assert_eq!(mailed, 1);
}
