//! The coordinator's outbox endpoints: listing with filters and paging, and retrying a dead
//! message until it is delivered.

use serde_json::json;

use crate::helpers::spawn_app_with;

#[tokio::test]
async fn a_dead_message_is_listed_and_retried_by_the_admin_until_delivered() {
    let app = spawn_app_with(&[("SOFTLANDING__WORKER__MAX_ATTEMPTS", "2")]).await;
    let admin = app.admin("coordinator@network.test").await;
    let cluster = app.create_cluster(&admin, "CyberForum").await;
    app.manager(&admin, &cluster, "ada@cyberforum.test").await;
    app.settle().await;
    app.smtp.reject_recipient("ada@");
    app.post(
        "/api/v1/auth/password-reset",
        None,
        &json!({"email": "ada@cyberforum.test"}),
    )
    .await
    .expect(202);

    // The relay refuses the recipient: the message ends dead.
    app.drain_outbox().await;
    let page = app
        .get("/api/v1/admin/outbox?status=dead", Some(&admin.token))
        .await
        .expect(200);
    let dead = match page["items"].as_array().unwrap().as_slice() {
        [dead] => dead.clone(),
        other => panic!("one dead message, not {other:?}"),
    };
    assert_eq!(dead["event"], "auth.password_reset");
    assert_eq!(dead["status"], "dead");
    assert!(dead["last_error"].as_str().unwrap().contains("550"));
    assert!(
        !dead["last_error"]
            .as_str()
            .unwrap()
            .contains("ada@cyberforum.test"),
        "errors keep addresses masked"
    );
    let id = dead["id"].as_str().unwrap();

    app.smtp.accept_all_recipients();
    let retried = app
        .post(
            &format!("/api/v1/admin/outbox/{id}/retry"),
            Some(&admin.token),
            &json!({}),
        )
        .await
        .expect(200);
    assert_eq!(retried["status"], "pending");
    assert_eq!(retried["attempts"], 0);
    let mail = app
        .mail_to("ada@cyberforum.test", "Reset your softlanding password")
        .await;
    assert_eq!(
        mail.message_id(),
        dead["message_id"]
            .as_str()
            .unwrap()
            .trim_matches(['<', '>'])
    );

    // Delivered, it is marked sent; nothing else of the test's was sent.
    let sent = app
        .get("/api/v1/admin/outbox?status=sent", Some(&admin.token))
        .await
        .expect(200);
    let sent: Vec<_> = sent["items"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|m| app.after_arrangement(m["id"].as_str().unwrap()))
        .collect();
    assert_eq!(sent.len(), 1);
    assert_eq!(sent[0]["id"], id);
    assert_eq!(app.smtp.messages().len(), 1);
    app.post(
        &format!("/api/v1/admin/outbox/{id}/retry"),
        Some(&admin.token),
        &json!({}),
    )
    .await
    .expect_problem(409, "already_sent");
    app.post(
        "/api/v1/admin/outbox/unknown/retry",
        Some(&admin.token),
        &json!({}),
    )
    .await
    .expect_problem(404, "not_found");
}

#[tokio::test]
async fn the_outbox_list_pages_and_rejects_bad_queries() {
    let app = spawn_app_with(&[]).await;
    let admin = app.admin("coordinator@network.test").await;
    let cluster = app.create_cluster(&admin, "CyberForum").await;
    // Five invitations: five messages, and the outbox holds nothing else.
    for i in 0..5 {
        app.post(
            &format!("/api/v1/clusters/{cluster}/managers"),
            Some(&admin.token),
            &json!({"email": format!("person{i}@cyberforum.test"), "name": "Person"}),
        )
        .await
        .expect(201);
    }
    let mut seen = Vec::new();
    let mut path = "/api/v1/admin/outbox?limit=2".to_owned();
    loop {
        let page = app.get(&path, Some(&admin.token)).await.expect(200);
        let items = page["items"].as_array().unwrap();
        assert!(items.len() <= 2);
        seen.extend(items.iter().map(|m| m["id"].as_str().unwrap().to_owned()));
        match page["next_cursor"].as_str() {
            Some(cursor) => path = format!("/api/v1/admin/outbox?limit=2&cursor={cursor}"),
            None => break,
        }
    }
    assert_eq!(seen.len(), 5);
    let mut sorted = seen.clone();
    sorted.sort();
    sorted.reverse();
    assert_eq!(seen, sorted, "newest first, no repeats");

    app.get("/api/v1/admin/outbox?limit=many", Some(&admin.token))
        .await
        .expect_problem(400, "invalid_query");
    app.get("/api/v1/admin/outbox?stauts=dead", Some(&admin.token))
        .await
        .expect_problem(400, "invalid_query");
    let bad = app
        .get(
            "/api/v1/admin/outbox?status=lost&limit=0",
            Some(&admin.token),
        )
        .await;
    let mut fields = bad.invalid_fields();
    fields.sort();
    assert_eq!(fields, vec!["limit", "status"]);
}
