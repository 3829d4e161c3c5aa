//! `Idempotency-Key` on creating POSTs: replays answer the first response and create nothing,
//! another body is 422, a replay while the first runs is 409, keys are per caller, expire after
//! 24 hours, and requests without the header (or to the token endpoints) are untouched.

use chrono::TimeDelta;
use diesel::prelude::*;
use serde_json::{Value, json};
use softlanding::api::idempotency::fingerprint;
use softlanding::db::idempotency::{IdempotencyRow, purge_expired};
use softlanding::db::now;
use softlanding::db::schema::idempotency_keys;

use crate::fixtures::{SME_PASSWORD, network, sme_sign_up};
use crate::helpers::{Reply, TestApp, reply, spawn_app};

const CLUSTERS: &str = "/api/v1/clusters";

fn cluster(name: &str) -> Value {
    json!({
        "name": name,
        "country": "FI",
        "city": "Oulu",
        "timezone": "Europe/Helsinki",
        "contact_email": "hello@oulu.example.org",
        "sectors": ["software"]
    })
}

impl TestApp {
    /// POSTs `body` as JSON with an `Idempotency-Key`.
    pub async fn post_keyed(
        &self,
        path: &str,
        token: Option<&str>,
        key: &str,
        body: &Value,
    ) -> Reply {
        let mut request = self
            .client
            .post(self.url(path))
            .header("idempotency-key", key)
            .header("content-type", "application/json")
            .body(serde_json::to_vec(body).unwrap());
        if let Some(token) = token {
            request = request.bearer_auth(token);
        }
        reply(request).await
    }

    /// How many clusters the public list holds.
    async fn cluster_count(&self) -> usize {
        self.get("/api/v1/clusters?limit=100", None)
            .await
            .expect(200)["items"]
            .as_array()
            .unwrap()
            .len()
    }

    /// Every stored idempotency key.
    async fn idempotency_rows(&self) -> Vec<IdempotencyRow> {
        self.with_conn(|conn| {
            idempotency_keys::table
                .select(IdempotencyRow::as_select())
                .load(conn)
                .unwrap()
        })
        .await
    }

    /// Moves the stored key back in time by `age`, alone: moving the service's clock would age
    /// every key of the test at once.
    async fn age_key(&self, key: &str, age: TimeDelta) {
        let key = key.to_owned();
        self.with_conn(move |conn| {
            diesel::update(
                idempotency_keys::table.filter(idempotency_keys::idempotency_key.eq(key)),
            )
            .set(idempotency_keys::created_at.eq(now() - age))
            .execute(conn)
            .unwrap()
        })
        .await;
    }
}

/// The caller column of a user's keys.
fn user_caller(id: &str) -> String {
    format!("user:{id}")
}

#[tokio::test]
async fn a_replay_answers_the_first_response_and_creates_nothing() {
    let app = spawn_app().await;
    let net = network(&app).await;
    let before = app.cluster_count().await;

    let first = app
        .post_keyed(
            CLUSTERS,
            Some(&net.admin.token),
            "create-oulu-1",
            &cluster("Oulu"),
        )
        .await;
    let created = first.expect(201);
    assert_eq!(first.header("idempotent-replayed"), None);

    let again = app
        .post_keyed(
            CLUSTERS,
            Some(&net.admin.token),
            "create-oulu-1",
            &cluster("Oulu"),
        )
        .await;
    assert_eq!(again.expect(201), created);
    assert_eq!(again.text, first.text);
    assert_eq!(again.header("idempotent-replayed").as_deref(), Some("true"));
    assert_eq!(again.header("location"), first.header("location"));
    assert!(first.header("location").is_some());
    assert_eq!(again.header("etag"), first.header("etag"));
    assert_eq!(again.header("content-type"), first.header("content-type"));
    assert!(again.header("x-request-id").is_some());
    assert_eq!(app.cluster_count().await, before + 1);
}

#[tokio::test]
async fn the_same_key_with_another_request_is_422() {
    let app = spawn_app().await;
    let net = network(&app).await;
    app.post_keyed(CLUSTERS, Some(&net.admin.token), "k-1", &cluster("Oulu"))
        .await
        .expect(201);
    let before = app.cluster_count().await;

    app.post_keyed(CLUSTERS, Some(&net.admin.token), "k-1", &cluster("Tampere"))
        .await
        .expect_problem(422, "idempotency_key_reused");
    // Another path with the same body is another request too.
    app.post_keyed(
        "/api/v1/clusters?source=portal",
        Some(&net.admin.token),
        "k-1",
        &cluster("Oulu"),
    )
    .await
    .expect_problem(422, "idempotency_key_reused");
    assert_eq!(app.cluster_count().await, before);
}

#[tokio::test]
async fn keys_belong_to_their_caller() {
    let app = spawn_app().await;
    let net = network(&app).await;
    let other_admin = app.admin("coordinator@softlanding.test").await;
    let before = app.cluster_count().await;

    let mine = app
        .post_keyed(
            CLUSTERS,
            Some(&net.admin.token),
            "shared-key",
            &cluster("Oulu"),
        )
        .await
        .expect(201);
    let theirs = app
        .post_keyed(
            CLUSTERS,
            Some(&other_admin.token),
            "shared-key",
            &cluster("Oulu"),
        )
        .await;
    assert_eq!(theirs.header("idempotent-replayed"), None);
    assert_ne!(theirs.expect(201)["id"], mine["id"]);
    assert_eq!(app.cluster_count().await, before + 2);

    // And each caller's replay answers its own first response.
    let replay = app
        .post_keyed(
            CLUSTERS,
            Some(&other_admin.token),
            "shared-key",
            &cluster("Oulu"),
        )
        .await;
    assert_eq!(replay.expect(201)["id"], theirs.json()["id"]);
    assert_eq!(
        replay.header("idempotent-replayed").as_deref(),
        Some("true")
    );
}

#[tokio::test]
async fn a_replay_while_the_first_runs_is_409_and_an_abandoned_claim_is_taken_over() {
    let app = spawn_app().await;
    let net = network(&app).await;
    let body = cluster("Oulu");
    let bytes = serde_json::to_vec(&body).unwrap();
    let (caller, print) = (
        user_caller(&net.admin.id),
        fingerprint("POST", CLUSTERS, &bytes),
    );
    // A request with this key and body is running: its claim exists, it has no answer yet. (The
    // claim is written as the middleware writes it: no request can be held halfway through,
    // nor can a process be made to die with its claim standing.)
    app.with_conn(move |conn| {
        diesel::insert_into(idempotency_keys::table)
            .values((
                idempotency_keys::caller.eq(caller),
                idempotency_keys::idempotency_key.eq("in-flight"),
                idempotency_keys::fingerprint.eq(print),
                idempotency_keys::created_at.eq(now()),
            ))
            .execute(conn)
            .unwrap()
    })
    .await;
    let before = app.cluster_count().await;

    app.post_keyed(CLUSTERS, Some(&net.admin.token), "in-flight", &body)
        .await
        .expect_problem(409, "idempotency_in_progress");
    // Another body is still the wrong request for this key.
    app.post_keyed(
        CLUSTERS,
        Some(&net.admin.token),
        "in-flight",
        &cluster("Turku"),
    )
    .await
    .expect_problem(422, "idempotency_key_reused");
    assert_eq!(app.cluster_count().await, before);

    // The process that claimed it died: after a minute the claim is anyone's.
    app.age_key("in-flight", TimeDelta::seconds(61)).await;
    let taken = app
        .post_keyed(CLUSTERS, Some(&net.admin.token), "in-flight", &body)
        .await;
    let created = taken.expect(201);
    assert_eq!(taken.header("idempotent-replayed"), None);
    assert_eq!(app.cluster_count().await, before + 1);

    let replay = app
        .post_keyed(CLUSTERS, Some(&net.admin.token), "in-flight", &body)
        .await;
    assert_eq!(replay.expect(201), created);
    assert_eq!(
        replay.header("idempotent-replayed").as_deref(),
        Some("true")
    );
}

#[tokio::test]
async fn simultaneous_duplicates_create_one_resource() {
    let app = spawn_app().await;
    let net = network(&app).await;
    let before = app.cluster_count().await;

    let body = cluster("Oulu");
    let replies = futures_util::future::join_all(
        (0..8).map(|_| app.post_keyed(CLUSTERS, Some(&net.admin.token), "burst", &body)),
    )
    .await;

    let firsts: Vec<&Reply> = replies
        .iter()
        .filter(|r| r.status == 201 && r.header("idempotent-replayed").is_none())
        .collect();
    assert_eq!(firsts.len(), 1, "{replies:#?}");
    for r in &replies {
        match r.status.as_u16() {
            201 => assert_eq!(r.text, firsts[0].text),
            _ => {
                r.expect_problem(409, "idempotency_in_progress");
            }
        }
    }
    assert_eq!(app.cluster_count().await, before + 1);
}

#[tokio::test]
async fn a_validation_answer_is_replayed_too() {
    let app = spawn_app().await;
    let net = network(&app).await;
    let bad = json!({"name": "", "country": "Finland"});

    let first = app
        .post_keyed(CLUSTERS, Some(&net.admin.token), "bad-1", &bad)
        .await;
    let fields = first.invalid_fields();
    let again = app
        .post_keyed(CLUSTERS, Some(&net.admin.token), "bad-1", &bad)
        .await;
    assert_eq!(again.invalid_fields(), fields);
    assert_eq!(again.text, first.text);
    assert_eq!(again.header("idempotent-replayed").as_deref(), Some("true"));
}

#[tokio::test]
async fn an_expired_key_is_a_new_key_and_expired_keys_are_purged() {
    let app = spawn_app().await;
    let net = network(&app).await;
    let first = app
        .post_keyed(CLUSTERS, Some(&net.admin.token), "old", &cluster("Oulu"))
        .await
        .expect(201);
    app.post_keyed(CLUSTERS, Some(&net.admin.token), "fresh", &cluster("Oulu"))
        .await
        .expect(201);
    app.age_key("old", TimeDelta::hours(25)).await;
    let before = app.cluster_count().await;

    // Even another body: the old use is forgotten.
    let renewed = app
        .post_keyed(CLUSTERS, Some(&net.admin.token), "old", &cluster("Tampere"))
        .await;
    assert_eq!(renewed.header("idempotent-replayed"), None);
    let renewed = renewed.expect(201);
    assert_ne!(renewed["id"], first["id"]);
    assert_eq!(renewed["name"], "Tampere");
    assert_eq!(app.cluster_count().await, before + 1);

    // The periodic purge deletes what is past its 24 hours, and nothing younger.
    app.age_key("old", TimeDelta::hours(25)).await;
    let purged = app
        .with_conn(|conn| purge_expired(conn, now() - TimeDelta::hours(24)).unwrap())
        .await;
    assert_eq!(purged, 1);
    let left: Vec<String> = app
        .idempotency_rows()
        .await
        .into_iter()
        .map(|r| r.idempotency_key)
        .collect();
    assert_eq!(left, vec!["fresh".to_owned()]);
}

#[tokio::test]
async fn malformed_keys_are_400_and_create_nothing() {
    let app = spawn_app().await;
    let net = network(&app).await;
    let before = app.cluster_count().await;
    let too_long = "k".repeat(300);
    for key in ["", too_long.as_str(), "two words", "clé"] {
        let request = app
            .client
            .post(app.url(CLUSTERS))
            .bearer_auth(&net.admin.token)
            .header("idempotency-key", key.as_bytes())
            .json(&cluster("Oulu"));
        reply(request)
            .await
            .expect_problem(400, "invalid_idempotency_key");
    }
    let longest = "k".repeat(255);
    app.post_keyed(CLUSTERS, Some(&net.admin.token), &longest, &cluster("Oulu"))
        .await
        .expect(201);
    assert_eq!(app.cluster_count().await, before + 1);
}

#[tokio::test]
async fn requests_without_the_header_are_untouched() {
    let app = spawn_app().await;
    let net = network(&app).await;
    let before = app.cluster_count().await;
    let first = app
        .post(CLUSTERS, Some(&net.admin.token), &cluster("Oulu"))
        .await;
    let second = app
        .post(CLUSTERS, Some(&net.admin.token), &cluster("Oulu"))
        .await;
    assert_ne!(first.expect(201)["id"], second.expect(201)["id"]);
    assert_eq!(second.header("idempotent-replayed"), None);
    assert_eq!(app.cluster_count().await, before + 2);
    assert!(app.idempotency_rows().await.is_empty());
}

#[tokio::test]
async fn token_endpoints_ignore_the_key() {
    let app = spawn_app().await;
    let net = network(&app).await;
    let login = || {
        reply(
            app.client
                .post(app.url("/api/v1/auth/token"))
                .header("idempotency-key", "login-1")
                .form(&[
                    ("grant_type", "password"),
                    ("username", net.admin.email.as_str()),
                    ("password", crate::fixtures::PASSWORD),
                ]),
        )
    };
    let first = login().await;
    let second = login().await;
    assert_eq!(second.header("idempotent-replayed"), None);
    assert_ne!(
        first.expect(200)["refresh_token"],
        second.expect(200)["refresh_token"]
    );
    assert!(app.idempotency_rows().await.is_empty());
}

#[tokio::test]
async fn anonymous_sign_up_replays_and_a_bad_token_stores_nothing() {
    let app = spawn_app().await;
    let net = network(&app).await;
    let body = sme_sign_up(&net.cluster_a, "Helix Analytics", "grace@helix.test");

    // A token that does not verify is the handler's to refuse; its key is not remembered.
    app.post_keyed(CLUSTERS, Some("not-a-token"), "signup-1", &cluster("Oulu"))
        .await
        .expect_problem(401, "unauthorized");
    assert!(app.idempotency_rows().await.is_empty());

    let first = app
        .post_keyed("/api/v1/smes", None, "signup-1", &body)
        .await;
    let sme = first.expect(201);
    let again = app
        .post_keyed("/api/v1/smes", None, "signup-1", &body)
        .await;
    assert_eq!(again.expect(201), sme);
    assert_eq!(again.header("idempotent-replayed").as_deref(), Some("true"));
    assert_eq!(again.header("location"), first.header("location"));

    let smes = app
        .get("/api/v1/smes?limit=100", Some(&net.admin.token))
        .await
        .expect(200);
    let named: Vec<&Value> = smes["items"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|s| s["name"] == "Helix Analytics")
        .collect();
    assert_eq!(named.len(), 1);
    app.confirm_email("grace@helix.test").await;
    app.password_login("grace@helix.test", SME_PASSWORD)
        .await
        .expect(200);
    // The password in the body is kept only as part of a hash.
    let rows = app.idempotency_rows().await;
    assert_eq!(rows.len(), 1);
    assert_eq!(rows[0].caller, "anonymous:127.0.0.1");
    assert_eq!(rows[0].fingerprint.len(), 64);
}

#[tokio::test]
async fn an_answer_holding_a_secret_is_not_kept_but_its_key_is_spent() {
    let app = spawn_app().await;
    let net = network(&app).await;
    let path = format!("/api/v1/clusters/{}/api-clients", net.cluster_a);
    let count = || async {
        app.get(&path, Some(&net.manager_a.token)).await.expect(200)["items"]
            .as_array()
            .unwrap()
            .len()
    };
    let before = count().await;

    let first = app
        .post_keyed(
            &path,
            Some(&net.manager_a.token),
            "portal-2",
            &json!({"name": "Portal 2"}),
        )
        .await;
    assert!(first.expect(201)["client_secret"].is_string());
    let again = app
        .post_keyed(
            &path,
            Some(&net.manager_a.token),
            "portal-2",
            &json!({"name": "Portal 2"}),
        )
        .await;
    let problem = again.expect_problem(409, "idempotency_response_not_kept");
    assert!(
        !again
            .text
            .contains(first.json()["client_secret"].as_str().unwrap())
    );
    assert_eq!(problem["first_status"], 201);
    assert_eq!(again.header("location"), first.header("location"));
    assert_eq!(count().await, before + 1);

    let rows = app.idempotency_rows().await;
    assert_eq!(rows.len(), 1);
    assert_eq!(rows[0].status, Some(201));
    assert_eq!(rows[0].response_body, None);
}

#[tokio::test]
async fn an_oversized_body_with_a_key_is_413_and_stores_nothing() {
    let app = spawn_app().await;
    let net = network(&app).await;
    let mut body = cluster("Oulu");
    body["description"] = json!("x".repeat(70 * 1024));
    app.post_keyed(CLUSTERS, Some(&net.admin.token), "big", &body)
        .await
        .expect_problem(413, "payload_too_large");
    assert!(app.idempotency_rows().await.is_empty());
}

#[tokio::test]
async fn the_header_is_documented_on_the_posts_it_applies_to() {
    let app = spawn_app().await;
    let spec = app.get("/openapi.json", None).await.expect(200);
    let documented = |path: &str| {
        spec["paths"][path]["post"]["parameters"]
            .as_array()
            .into_iter()
            .flatten()
            .any(|p| p["name"] == "Idempotency-Key" && p["in"] == "header")
    };
    assert!(documented("/api/v1/clusters"));
    assert!(documented("/api/v1/smes"));
    assert!(!documented("/api/v1/auth/token"));
}

#[tokio::test]
async fn anonymous_junk_and_routing_answers_leave_no_key_behind() {
    let app = spawn_app().await;
    let net = network(&app).await;
    let unknown = "0193a1b2-0000-7000-8000-000000000000";
    // No token where one is needed, no route, no such method: nothing is claimed.
    app.post_keyed("/api/v1/landings", None, "junk-1", &json!({}))
        .await
        .expect_problem(401, "unauthorized");
    app.post_keyed(CLUSTERS, None, "junk-2", &cluster("Oulu"))
        .await
        .expect_problem(401, "unauthorized");
    app.post_keyed("/api/v1/no/such/route", None, "junk-3", &json!({}))
        .await
        .expect(404);
    app.post_keyed(
        "/api/v1/no/such/route",
        Some(&net.admin.token),
        "junk-4",
        &json!({}),
    )
    .await
    .expect(404);
    app.post_keyed("/api/v1/me", Some(&net.admin.token), "junk-5", &json!({}))
        .await
        .expect(405);
    // A 404 of a handler is not kept either: the same key works once the thing exists.
    app.post_keyed(
        &format!("/api/v1/landings/{unknown}/approve"),
        Some(&net.manager_a.token),
        "junk-6",
        &json!({}),
    )
    .await
    .expect(404);
    assert!(
        app.idempotency_rows().await.is_empty(),
        "{:?}",
        app.idempotency_rows().await
    );
}

#[tokio::test]
async fn a_caller_holds_a_bounded_number_of_keys() {
    let app = spawn_app().await;
    let net = network(&app).await;
    let caller = format!("user:{}", net.admin.id);
    let held = softlanding::api::idempotency::MAX_KEYS_PER_CALLER;
    // The caller's keys as the middleware stores them: five thousand requests through the API
    // would make this the slowest test by far.
    app.with_conn(move |conn| {
        let at = now();
        conn.transaction(|conn| {
            for i in 0..held {
                diesel::insert_into(idempotency_keys::table)
                    .values((
                        idempotency_keys::caller.eq(&caller),
                        idempotency_keys::idempotency_key.eq(format!("held-{i}")),
                        idempotency_keys::fingerprint.eq("f".repeat(64)),
                        idempotency_keys::created_at.eq(at),
                    ))
                    .execute(conn)?;
            }
            diesel::QueryResult::Ok(())
        })
        .unwrap();
    })
    .await;

    let refused = app
        .post_keyed(
            CLUSTERS,
            Some(&net.admin.token),
            "one-more",
            &cluster("Oulu"),
        )
        .await;
    refused.expect_problem(429, "rate_limited");
    assert!(refused.header("retry-after").is_some());
    // Another caller is not held back, and the request without a key still works.
    app.post_keyed(
        "/api/v1/partnerships",
        Some(&net.manager_a.token),
        "mine",
        &json!({"partner_cluster_id": net.cluster_b}),
    )
    .await
    .expect(201);
    app.post(CLUSTERS, Some(&net.admin.token), &cluster("Oulu"))
        .await
        .expect(201);
}
