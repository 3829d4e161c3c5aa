//! Health, readiness, metrics, OpenAPI, docs, request ids and the problem answers for routes.

use diesel_migrations::MigrationHarness;
use softlanding::db::{DbConnection, migrations};

use crate::helpers::spawn_app;

#[tokio::test]
async fn healthz_answers_and_carries_a_request_id() {
    let app = spawn_app().await;
    let reply = app.get("/healthz", None).await;
    assert_eq!(reply.expect(200)["status"], "ok");
    let id = reply.header("x-request-id").expect("a request id");
    assert!(uuid::Uuid::parse_str(&id).is_ok(), "{id}");

    let echoed = crate::helpers::reply(
        app.client
            .get(app.url("/healthz"))
            .header("x-request-id", "portal-42.abc"),
    )
    .await;
    assert_eq!(
        echoed.header("x-request-id").as_deref(),
        Some("portal-42.abc")
    );

    let replaced = crate::helpers::reply(
        app.client
            .get(app.url("/healthz"))
            .header("x-request-id", "not acceptable!"),
    )
    .await;
    assert_ne!(
        replaced.header("x-request-id").as_deref(),
        Some("not acceptable!")
    );
}

#[tokio::test]
async fn readyz_reports_the_database_and_pending_migrations() {
    let app = spawn_app().await;
    let body = app.get("/readyz", None).await.expect(200);
    assert_eq!(body["status"], "ready");
    assert_eq!(body["database"], app.backend().name());
    assert_eq!(body["migrations"], "applied");

    // Revert the newest migration: the service is alive but no longer ready.
    let db = app.db();
    tokio::task::spawn_blocking(move || {
        let mut conn = db.get().unwrap();
        match &mut *conn {
            DbConnection::Sqlite(c) => c.revert_last_migration(migrations::SQLITE).map(|_| ()),
            DbConnection::Postgres(c) => c.revert_last_migration(migrations::POSTGRES).map(|_| ()),
        }
        .unwrap();
    })
    .await
    .unwrap();
    let problem = app
        .get("/readyz", None)
        .await
        .expect_problem(503, "service_unavailable");
    assert!(problem["detail"].as_str().unwrap().contains("migrate"));
    app.get("/healthz", None).await.expect(200);
}

#[tokio::test]
async fn metrics_count_requests_by_route_pattern_and_status() {
    let app = spawn_app().await;
    app.get("/healthz", None).await.expect(200);
    app.get("/healthz", None).await.expect(200);
    assert_eq!(app.get("/no/such/route", None).await.status, 404);
    let reply = app.get("/metrics", None).await;
    assert_eq!(reply.status, 200);
    assert!(
        reply
            .header("content-type")
            .unwrap()
            .starts_with("text/plain")
    );
    let text = reply.text;
    assert!(
        text.contains(
            r#"softlanding_http_requests_total{method="GET",route="/healthz",status="200"} 2"#
        ),
        "{text}"
    );
    assert!(text.contains(r#"route="unmatched",status="404""#), "{text}");
    assert!(text.contains("softlanding_http_request_duration_seconds_bucket"));
    assert!(text.contains(r#"softlanding_db_pool_connections{state="in_use"}"#));
    assert!(text.contains("softlanding_db_pool_max_connections 6"));
}

#[tokio::test]
async fn openapi_is_generated_and_docs_are_served_without_a_cdn() {
    let app = spawn_app().await;
    let spec = app.get("/openapi.json", None).await.expect(200);
    assert!(spec["openapi"].as_str().unwrap().starts_with("3.1"));
    for path in ["/healthz", "/readyz", "/metrics"] {
        assert!(
            spec["paths"][path]["get"].is_object(),
            "{path} is documented"
        );
    }
    assert!(spec["components"]["schemas"]["Problem"].is_object());

    let redirect = app.get("/docs", None).await;
    assert!(redirect.status.is_redirection());
    assert_eq!(redirect.header("location").as_deref(), Some("/docs/"));
    let page = app.get("/docs/", None).await;
    assert_eq!(page.status, 200);
    assert!(page.text.contains("swagger-ui"));
    assert!(
        !page.text.contains("http://") && !page.text.contains("https://"),
        "no external assets"
    );
    let init = app.get("/docs/swagger-initializer.js", None).await;
    assert_eq!(init.status, 200);
    assert!(init.text.contains("/openapi.json"));
    let bundle = app.get("/docs/swagger-ui-bundle.js", None).await;
    assert_eq!(bundle.status, 200);
    assert!(
        bundle.text.len() > 100_000,
        "the bundle is vendored in the binary"
    );
}

#[tokio::test]
async fn unknown_routes_are_404_and_wrong_methods_405_as_problems() {
    let app = spawn_app().await;
    app.get("/api/v1/no-such-thing", None)
        .await
        .expect_problem(404, "not_found");
    app.get("/api/nothing", None)
        .await
        .expect_problem(404, "not_found");
    // Outside the API, addresses are the portal's: its 404 page, which tells nothing more.
    let page = app.get("/nothing", None).await;
    assert_eq!(page.status, 404);
    assert!(
        page.header("content-type")
            .is_some_and(|t| t.starts_with("text/html")),
        "{:?}",
        page.headers
    );
    assert!(page.text.contains("<main id=\"main\""), "{}", page.text);
    assert!(
        !page.text.contains("/nothing"),
        "the page does not echo the address"
    );
    app.send(reqwest::Method::DELETE, "/healthz", None, None)
        .await
        .expect_problem(405, "method_not_allowed");
}
