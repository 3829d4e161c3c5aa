//! Every error status of the contract's conventions, as problem+json, on a real endpoint.

use serde_json::json;

use crate::helpers::spawn_app;

const CONFIRM: &str = "/api/v1/auth/password-reset/confirm";

#[tokio::test]
async fn malformed_json_is_400() {
    let app = spawn_app().await;
    let reply = app
        .post_raw(CONFIRM, Some("application/json"), br#"{"token": "#.to_vec())
        .await;
    reply.expect_problem(400, "malformed_json");
}

#[tokio::test]
async fn bodies_over_64_kib_are_413() {
    let app = spawn_app().await;
    let big = json!({"token": "x".repeat(70 * 1024), "new_password": "long enough password"});
    let reply = app
        .post_raw(
            CONFIRM,
            Some("application/json"),
            big.to_string().into_bytes(),
        )
        .await;
    reply.expect_problem(413, "payload_too_large");

    // Without a Content-Length, the stream is cut at the limit all the same.
    let chunks: Vec<Result<Vec<u8>, std::io::Error>> =
        (0..80).map(|_| Ok(vec![b' '; 1024])).collect();
    let streamed = crate::helpers::reply(
        app.client
            .post(app.url(CONFIRM))
            .header("content-type", "application/json")
            .body(reqwest::Body::wrap_stream(futures_util::stream::iter(
                chunks,
            ))),
    )
    .await;
    streamed.expect_problem(413, "payload_too_large");
}

#[tokio::test]
async fn a_wrong_content_type_is_415() {
    let app = spawn_app().await;
    app.post_raw(CONFIRM, Some("text/plain"), b"{}".to_vec())
        .await
        .expect_problem(415, "unsupported_media_type");
    app.post_raw(CONFIRM, None, br#"{"token": "x"}"#.to_vec())
        .await
        .expect_problem(415, "unsupported_media_type");
    // A JSON media type with parameters is fine (and this body is then a 422).
    app.post_raw(
        CONFIRM,
        Some("application/json; charset=utf-8"),
        b"{}".to_vec(),
    )
    .await
    .expect_problem(422, "validation_failed");
}

#[tokio::test]
async fn validation_lists_every_bad_field_including_unknown_ones() {
    let app = spawn_app().await;
    let reply = app
        .post(
            CONFIRM,
            None,
            &json!({"token": 42, "new_password": "short", "colour": "red", "extra": {"a": 1}}),
        )
        .await;
    let body = reply.expect_problem(422, "validation_failed");
    let mut fields = reply.invalid_fields();
    fields.sort();
    assert_eq!(
        fields,
        vec!["colour", "extra", "new_password", "token"],
        "{body}"
    );
    for error in body["errors"].as_array().unwrap() {
        assert!(!error["message"].as_str().unwrap().is_empty());
    }
    app.post(CONFIRM, None, &json!([1, 2]))
        .await
        .expect_problem(422, "validation_failed");
}

#[tokio::test]
async fn internal_errors_are_an_opaque_500_with_the_request_id() {
    let app = spawn_app().await;
    app.cluster_with_manager("CyberForum", "ada@cyberforum.test")
        .await;
    // Break the database underneath the service.
    app.with_conn(|conn| {
        use diesel::RunQueryDsl;
        diesel::sql_query("DROP TABLE one_time_tokens")
            .execute(conn)
            .unwrap();
    })
    .await;
    let reply = app
        .post(
            "/api/v1/auth/password-reset",
            None,
            &json!({"email": "ada@cyberforum.test"}),
        )
        .await;
    let body = reply.expect_problem(500, "internal_error");
    let text = reply.text.to_lowercase();
    assert!(
        !text.contains("one_time_tokens") && !text.contains("table"),
        "{text}"
    );
    assert!(reply.header("x-request-id").is_some());
    assert!(body["detail"].as_str().unwrap().contains("x-request-id"));
}

#[tokio::test]
async fn an_action_or_id_that_names_nothing_is_a_404_problem() {
    let app = spawn_app().await;
    let admin = app.admin("admin@softlanding.test").await;
    let id = "0190d7c4-1b2a-7c3d-8e4f-5a6b7c8d9e0f";
    for path in [
        format!("/api/v1/landings/{id}/expire"),
        format!("/api/v1/landings/{id}/bogus"),
        format!("/api/v1/offers/{id}/delete"),
        format!("/api/v1/partnerships/{id}/approve"),
        "/api/v1/landings/not-an-id/approve".to_owned(),
    ] {
        app.post(&path, Some(&admin.token), &json!({}))
            .await
            .expect_problem(404, "not_found");
    }
}
