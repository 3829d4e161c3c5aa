//! Webhooks: registration and its rules, who sees which endpoint, what reaches which cluster,
//! the Standard Webhooks signature (checked with an independent implementation), retries,
//! redirects, 410, rotation, the address rules at registration and at delivery, and the
//! delivery log.

use std::collections::BTreeSet;
use std::time::Duration;

use base64::Engine;
use serde_json::{Value, json};

use crate::fixtures::Actor;
use crate::helpers::{TestApp, spawn_app, spawn_app_with};
use crate::landings::{Landings, PURPOSE, day, landings, partner};
use crate::receiver::{Answer, Received, Receiver};

/// Every event an endpoint can subscribe to.
const ALL: [&str; 3] = ["landing.*", "partnership.*", "offer.published"];

/// A fast retry schedule for tests: a second between attempts, ten attempts.
const FAST: (&str, &str) = (
    "SOFTLANDING__WEBHOOKS__RETRY_SCHEDULE_SECS",
    "[0, 1, 1, 1, 1, 1, 1, 1, 1, 1]",
);

async fn register(app: &TestApp, who: &Actor, url: &str, events: &[&str]) -> Value {
    app.post(
        "/api/v1/webhooks",
        Some(&who.token),
        &json!({"url": url, "events": events, "description": "CRM"}),
    )
    .await
    .expect(201)
}

/// Queues a `webhook.test` delivery to `hook`; answers the delivery.
async fn send_test(app: &TestApp, who: &Actor, hook: &str) -> Value {
    app.post(
        &format!("/api/v1/webhooks/{hook}/test"),
        Some(&who.token),
        &json!({}),
    )
    .await
    .expect(202)
}

fn id(v: &Value) -> String {
    v["id"].as_str().unwrap().to_owned()
}

/// Verifies a delivery with the `standardwebhooks` crate, an implementation of the scheme
/// independent of the service's.
fn verifies(secret: &str, r: &Received) -> bool {
    let mut headers = reqwest::header::HeaderMap::new();
    for name in ["webhook-id", "webhook-timestamp", "webhook-signature"] {
        headers.insert(name, r.header(name).parse().unwrap());
    }
    standardwebhooks::Webhook::new(secret)
        .unwrap()
        .verify(r.body.as_bytes(), &headers)
        .is_ok()
}

async fn deliveries(app: &TestApp, who: &Actor, webhook: &str) -> Vec<Value> {
    app.get(
        &format!("/api/v1/webhooks/{webhook}/deliveries?limit=100"),
        Some(&who.token),
    )
    .await
    .expect(200)["items"]
        .as_array()
        .unwrap()
        .clone()
}

/// Waits until the endpoint's deliveries all stand where `done` says.
async fn settled(
    app: &TestApp,
    who: &Actor,
    webhook: &str,
    done: impl Fn(&[Value]) -> bool,
) -> Vec<Value> {
    let deadline = tokio::time::Instant::now() + Duration::from_secs(20);
    loop {
        let items = deliveries(app, who, webhook).await;
        if done(&items) {
            return items;
        }
        assert!(
            tokio::time::Instant::now() < deadline,
            "the deliveries never settled: {items:#?}"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

#[tokio::test]
async fn a_webhook_is_registered_with_its_secret_shown_once_then_edited_and_deleted() {
    let app = spawn_app().await;
    let l = landings(&app).await;
    let receiver = Receiver::start().await;
    let created = app
        .post(
            "/api/v1/webhooks",
            Some(&l.net.manager_a.token),
            &json!({"url": receiver.url("/hooks"), "events": ["landing.*", "offer.published", "landing.approved"]}),
        )
        .await;
    let body = created.expect(201);
    assert_eq!(created.header("cache-control").as_deref(), Some("no-store"));
    let hook = id(&body);
    assert_eq!(
        created.header("location").as_deref(),
        Some(format!("/api/v1/webhooks/{hook}").as_str())
    );
    let secret = body["secret"].as_str().unwrap();
    let key = base64::engine::general_purpose::STANDARD
        .decode(secret.strip_prefix("whsec_").expect("whsec_ prefix"))
        .unwrap();
    assert_eq!(key.len(), 32);
    assert_eq!(body["cluster_id"], l.net.cluster_a);
    assert_eq!(body["enabled"], true);
    // Each event once, in the order given.
    assert_eq!(
        body["events"],
        json!(["landing.*", "offer.published", "landing.approved"])
    );

    let read = app
        .get(
            &format!("/api/v1/webhooks/{hook}"),
            Some(&l.net.manager_a.token),
        )
        .await;
    let shown = read.expect(200);
    assert!(shown.get("secret").is_none(), "the secret is shown once");
    let tag = read.header("etag").unwrap();
    // The secret is sealed at rest, never stored as it was shown.
    let stored: String = app
        .with_conn({
            let hook = hook.clone();
            move |conn| {
                softlanding::db::webhooks::find(conn, &hook)
                    .unwrap()
                    .unwrap()
                    .secret
            }
        })
        .await;
    assert!(!stored.contains(secret.strip_prefix("whsec_").unwrap()));

    let list = app
        .get("/api/v1/webhooks", Some(&l.net.client_a.token))
        .await
        .expect(200);
    assert_eq!(
        list["items"].as_array().unwrap().len(),
        1,
        "its API client sees it"
    );

    let stale = app
        .send_if_match(
            reqwest::Method::PATCH,
            &format!("/api/v1/webhooks/{hook}"),
            &l.net.manager_a.token,
            "\"stale\"",
            &json!({"enabled": false}),
        )
        .await;
    stale.expect_problem(412, "precondition_failed");
    let paused = app
        .send_if_match(
            reqwest::Method::PATCH,
            &format!("/api/v1/webhooks/{hook}"),
            &l.net.manager_a.token,
            &tag,
            &json!({"enabled": false, "description": null, "events": ["partnership.*"]}),
        )
        .await
        .expect(200);
    assert_eq!(paused["enabled"], false);
    assert_eq!(paused["description"], Value::Null);
    assert_eq!(paused["events"], json!(["partnership.*"]));

    app.delete(
        &format!("/api/v1/webhooks/{hook}"),
        Some(&l.net.manager_a.token),
    )
    .await
    .expect(204);
    app.get(
        &format!("/api/v1/webhooks/{hook}"),
        Some(&l.net.manager_a.token),
    )
    .await
    .expect_problem(404, "not_found");
}

#[tokio::test]
async fn another_clusters_webhooks_and_deliveries_do_not_exist_for_a_manager() {
    let app = spawn_app().await;
    let l = landings(&app).await;
    let receiver = Receiver::start().await;
    let hook = id(&register(&app, &l.net.manager_a, &receiver.url("/a"), &ALL).await);
    let test = send_test(&app, &l.net.manager_a, &hook).await;
    let delivery = id(&test);
    let other = &l.net.manager_b.token;
    for path in [
        format!("/api/v1/webhooks/{hook}"),
        format!("/api/v1/webhooks/{hook}/deliveries"),
    ] {
        app.get(&path, Some(other))
            .await
            .expect_problem(404, "not_found");
    }
    for path in [
        format!("/api/v1/webhooks/{hook}/test"),
        format!("/api/v1/webhooks/{hook}/rotate-secret"),
        format!("/api/v1/webhooks/{hook}/deliveries/{delivery}/redeliver"),
    ] {
        app.post(&path, Some(other), &json!({}))
            .await
            .expect_problem(404, "not_found");
    }
    app.patch(
        &format!("/api/v1/webhooks/{hook}"),
        Some(other),
        &json!({"enabled": false}),
    )
    .await
    .expect_problem(404, "not_found");
    app.delete(&format!("/api/v1/webhooks/{hook}"), Some(other))
        .await
        .expect_problem(404, "not_found");
    let theirs = app.get("/api/v1/webhooks", Some(other)).await.expect(200);
    assert_eq!(theirs["items"], json!([]));
    // A delivery of another webhook is not this webhook's.
    let own = id(&register(&app, &l.net.manager_b, &receiver.url("/b"), &ALL).await);
    app.post(
        &format!("/api/v1/webhooks/{own}/deliveries/{delivery}/redeliver"),
        Some(other),
        &json!({}),
    )
    .await
    .expect_problem(404, "not_found");

    // An SME's member has no webhooks; the admin sees every cluster's and creates none.
    app.post(
        "/api/v1/webhooks",
        Some(&l.member_b.token),
        &json!({"url": receiver.url("/x"), "events": ALL}),
    )
    .await
    .expect_problem(403, "forbidden");
    app.get("/api/v1/webhooks", Some(&l.member_b.token))
        .await
        .expect_problem(403, "forbidden");
    let all = app
        .get("/api/v1/webhooks", Some(&l.net.admin.token))
        .await
        .expect(200);
    assert_eq!(all["items"].as_array().unwrap().len(), 2);
    app.post(
        "/api/v1/webhooks",
        Some(&l.net.admin.token),
        &json!({"url": receiver.url("/x"), "events": ALL}),
    )
    .await
    .expect_problem(403, "forbidden");
    app.get("/api/v1/webhooks", None).await.expect(401);
}

#[tokio::test]
async fn bad_input_is_a_clear_4xx() {
    let app = spawn_app().await;
    let l = landings(&app).await;
    let token = Some(l.net.manager_a.token.as_str());
    let cases = [
        (json!({}), vec!["events", "url"]),
        (json!({"url": "", "events": []}), vec!["events", "url"]),
        (
            json!({"url": "ftp://example.org/", "events": ["landing.*"]}),
            vec!["url"],
        ),
        (
            json!({"url": "not a url", "events": ["landing.*"]}),
            vec!["url"],
        ),
        (
            json!({"url": "https://user:pw@93.184.216.34/", "events": ["landing.*"]}),
            vec!["url"],
        ),
        (
            json!({"url": "https://93.184.216.34/", "events": ["landing.reminder"]}),
            vec!["events"],
        ),
        (
            json!({"url": "https://93.184.216.34/", "events": ["webhook.*"]}),
            vec!["events"],
        ),
        (
            json!({"url": "https://93.184.216.34/", "events": ["landing.*"], "description": "x".repeat(501)}),
            vec!["description"],
        ),
        (
            json!({"url": format!("https://93.184.216.34/{}", "a".repeat(2100)), "events": ["landing.*"]}),
            vec!["url"],
        ),
        (
            json!({"url": "https://no-such-host.invalid/", "events": ["landing.*"]}),
            vec!["url"],
        ),
    ];
    for (body, fields) in cases {
        let reply = app.post("/api/v1/webhooks", token, &body).await;
        reply.expect_problem(422, "validation_failed");
        let mut got = reply.invalid_fields();
        got.sort();
        assert_eq!(got, fields, "{body}");
    }
    app.post(
        "/api/v1/webhooks",
        token,
        &json!({"url": "https://93.184.216.34/", "events": ["landing.*"], "secret": "mine"}),
    )
    .await
    .expect(422);
    app.post(
        "/api/v1/webhooks",
        token,
        &json!({"url": 7, "events": "landing.*"}),
    )
    .await
    .expect(422);
    app.post_raw(
        "/api/v1/webhooks",
        Some("application/json"),
        b"{not json".to_vec(),
    )
    .await
    .expect(401);
    let raw = app
        .client
        .post(app.url("/api/v1/webhooks"))
        .bearer_auth(&l.net.manager_a.token)
        .header("content-type", "application/json")
        .body("{not json")
        .send()
        .await
        .unwrap();
    assert_eq!(raw.status(), 400);
    app.get("/api/v1/webhooks?limit=0", token).await.expect(422);
    app.get("/api/v1/webhooks?cursor=nonsense", token)
        .await
        .expect(400);
    app.get("/api/v1/webhooks/not-an-id", token)
        .await
        .expect(404);
    let hook = id(&register(&app, &l.net.manager_a, "https://93.184.216.34/hooks", &ALL).await);
    app.patch(
        &format!("/api/v1/webhooks/{hook}"),
        token,
        &json!({"enabled": null}),
    )
    .await
    .expect(422);
    app.patch(
        &format!("/api/v1/webhooks/{hook}"),
        token,
        &json!({"events": []}),
    )
    .await
    .expect(422);
    app.get(
        &format!("/api/v1/webhooks/{hook}/deliveries?limit=101"),
        token,
    )
    .await
    .expect(422);
}

/// Clusters A (host) and B (home) with their partnership, and C, partnered with A only; each
/// with an endpoint subscribed to everything on its own path of one receiver.
struct Parties {
    l: Landings,
    c: Actor,
    cluster_c: String,
    receiver: Receiver,
}

async fn parties(app: &TestApp) -> Parties {
    let l = landings(app).await;
    let cluster_c = app.create_cluster(&l.net.admin, "Lyon Numérique").await;
    let c = app
        .manager(&l.net.admin, &cluster_c, "manager@lyon.test")
        .await;
    partner(app, &l.net.manager_a, &c, &cluster_c, 5, false).await;
    let receiver = Receiver::start().await;
    register(app, &l.net.manager_a, &receiver.url("/a"), &ALL).await;
    register(app, &l.net.manager_b, &receiver.url("/b"), &ALL).await;
    register(app, &c, &receiver.url("/c"), &ALL).await;
    app.settle().await;
    Parties {
        l,
        c,
        cluster_c,
        receiver,
    }
}

fn events_at(receiver: &Receiver, path: &str) -> BTreeSet<String> {
    receiver
        .received_at(path)
        .iter()
        .map(Received::event)
        .collect()
}

#[tokio::test]
async fn every_event_reaches_exactly_the_clusters_party_to_it() {
    let app = spawn_app().await;
    let Parties {
        l,
        c,
        cluster_c,
        receiver,
    } = parties(&app).await;
    let (host, member) = (&l.net.manager_a, &l.member_b);
    let landing = |offset: u64| json!({"offer_id": l.offer, "start_date": day(l.today, offset), "end_date": day(l.today, offset), "headcount": 1, "purpose": PURPOSE});
    let mut landing_events = 0;
    let app_ref = &app;
    let submit = |body: Value| async move {
        id(&app_ref
            .post("/api/v1/landings", Some(&member.token), &body)
            .await
            .expect(201))
    };
    // approved, then cancelled by the SME
    let a = submit(landing(3)).await;
    l.act(&app, &a, "approve", host, json!({}))
        .await
        .expect(200);
    l.act(
        &app,
        &a,
        "cancel",
        member,
        json!({"reason": "Our plans changed"}),
    )
    .await
    .expect(200);
    landing_events += 3;
    // rejected
    let b = submit(landing(4)).await;
    l.act(
        &app,
        &b,
        "reject",
        host,
        json!({"reason": "We are full that week"}),
    )
    .await
    .expect(200);
    landing_events += 2;
    // withdrawn
    let w = submit(landing(5)).await;
    l.act(&app, &w, "withdraw", member, json!({}))
        .await
        .expect(200);
    landing_events += 2;
    // completed and no-show, on today's landings
    let d = submit(landing(0)).await;
    l.act(&app, &d, "approve", host, json!({}))
        .await
        .expect(200);
    l.act(
        &app,
        &d,
        "complete",
        host,
        json!({"outcome": "Met three partners"}),
    )
    .await
    .expect(200);
    let e = submit(landing(0)).await;
    l.act(&app, &e, "approve", host, json!({}))
        .await
        .expect(200);
    l.act(&app, &e, "no-show", host, json!({}))
        .await
        .expect(200);
    landing_events += 6;
    // A partnership of B and C, proposed and declined: A hears nothing of it.
    let bc = app
        .post(
            "/api/v1/partnerships",
            Some(&l.net.manager_b.token),
            &json!({"partner_cluster_id": cluster_c}),
        )
        .await
        .expect(201);
    app.post(
        &format!("/api/v1/partnerships/{}/decline", id(&bc)),
        Some(&c.token),
        &json!({"note": "Not this year"}),
    )
    .await
    .expect(200);
    // A publishes a second offer: its active partners B and C hear of it.
    let offer =
        crate::landings::publish_offer(&app, &l.net, json!({"title": "A second desk"})).await;

    let landing_kinds: BTreeSet<String> = [
        "landing.submitted",
        "landing.approved",
        "landing.cancelled",
        "landing.rejected",
        "landing.withdrawn",
        "landing.completed",
        "landing.no_show",
    ]
    .map(String::from)
    .into();
    for path in ["/a", "/b"] {
        receiver.wait_for(path, landing_events + 1, |_| true).await;
    }
    receiver.wait_for("/c", 3, |_| true).await;
    tokio::time::sleep(Duration::from_millis(300)).await;
    let at_a = events_at(&receiver, "/a");
    let at_b = events_at(&receiver, "/b");
    let at_c = events_at(&receiver, "/c");
    assert_eq!(
        at_a,
        landing_kinds
            .iter()
            .cloned()
            .chain(["offer.published".to_owned()])
            .collect()
    );
    let mut b_expected = landing_kinds.clone();
    b_expected.extend(
        [
            "offer.published",
            "partnership.proposed",
            "partnership.declined",
        ]
        .map(String::from),
    );
    assert_eq!(at_b, b_expected);
    assert_eq!(
        at_c,
        [
            "offer.published",
            "partnership.proposed",
            "partnership.declined"
        ]
        .map(String::from)
        .into()
    );
    // Each landing's events name it, with its state, and nothing personal.
    let completed = receiver
        .received_at("/b")
        .into_iter()
        .find(|r| r.event() == "landing.completed")
        .unwrap()
        .json();
    assert_eq!(completed["data"]["id"], d);
    assert_eq!(completed["data"]["state"], "completed");
    let public = app
        .state
        .settings
        .server
        .public_url
        .trim_end_matches('/')
        .to_owned();
    assert_eq!(
        completed["data"]["url"],
        format!("{public}/api/v1/landings/{d}")
    );
    assert!(
        !completed.to_string().contains(PURPOSE),
        "no purpose, no personal data"
    );
    let published = receiver
        .received_at("/c")
        .into_iter()
        .find(|r| r.event() == "offer.published")
        .unwrap()
        .json();
    assert_eq!(published["data"]["id"], offer);
    assert_eq!(
        receiver.received_at("/a").len(),
        landing_events + 1,
        "each event once"
    );
}

#[tokio::test]
async fn deliveries_carry_standard_webhooks_signatures_that_verify_independently() {
    let app = spawn_app().await;
    let l = landings(&app).await;
    let receiver = Receiver::start().await;
    let created = register(
        &app,
        &l.net.manager_a,
        &receiver.url("/hooks"),
        &["landing.submitted"],
    )
    .await;
    let secret = created["secret"].as_str().unwrap().to_owned();
    l.submit(&app, &l.request(2, 1, 1)).await;
    let got = receiver.wait_for("/hooks", 1, |_| true).await;
    let r = &got[0];
    assert!(verifies(&secret, r), "the signature verifies: {r:?}");
    assert!(r.header("webhook-id").starts_with("msg_"));
    let ts: i64 = r.header("webhook-timestamp").parse().unwrap();
    assert!((chrono::Utc::now().timestamp() - ts).abs() < 60);
    assert!(r.header("webhook-signature").starts_with("v1,"));
    assert_eq!(r.header("content-type"), "application/json");
    let body = r.json();
    assert_eq!(body["type"], "landing.submitted");
    assert!(chrono::DateTime::parse_from_rfc3339(body["timestamp"].as_str().unwrap()).is_ok());
    assert_eq!(body["data"]["state"], "pending_approval");
    // A body changed on the way does not verify.
    let mut forged = r.clone();
    forged.body = forged.body.replace("pending_approval", "approved");
    assert!(!verifies(&secret, &forged));
    // A secret of another endpoint does not verify it either.
    assert!(!verifies("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw", r));
}

#[tokio::test]
async fn a_receiver_down_for_a_while_gets_every_delivery_once_it_is_back() {
    let app = spawn_app_with(&[FAST]).await;
    let l = landings(&app).await;
    let receiver = Receiver::start().await;
    let hook = id(&register(
        &app,
        &l.net.manager_a,
        &receiver.url("/down"),
        &["landing.submitted"],
    )
    .await);
    receiver.answer_always(Answer::status(503).body("maintenance"));
    for offset in 2..7 {
        l.submit(&app, &l.request(offset, 1, 1)).await;
    }
    // Every delivery fails at least twice while the endpoint is down.
    receiver.wait_for("/down", 10, |r| r.answered == 503).await;
    receiver.answer_always(Answer::status(200).body("ok"));
    receiver.wait_for("/down", 5, |r| r.answered == 200).await;
    tokio::time::sleep(Duration::from_millis(1500)).await;
    let ok: Vec<Received> = receiver
        .received_at("/down")
        .into_iter()
        .filter(|r| r.answered == 200)
        .collect();
    let ids: BTreeSet<&str> = ok.iter().map(|r| r.header("webhook-id")).collect();
    assert_eq!(ok.len(), 5, "each delivery succeeds once");
    assert_eq!(ids.len(), 5, "with its own webhook-id");
    // The same webhook-id on every retry of one delivery.
    for r in receiver.received_at("/down") {
        assert!(ids.contains(r.header("webhook-id")));
    }
    let log = settled(&app, &l.net.manager_a, &hook, |items| {
        items.iter().all(|d| d["status"] == "delivered")
    })
    .await;
    assert_eq!(log.len(), 5);
    for d in &log {
        let attempts = d["attempts"].as_array().unwrap();
        assert!(attempts.len() >= 2, "{d}");
        assert_eq!(attempts[0]["status_code"], 503);
        assert_eq!(attempts[0]["response_body"], "maintenance");
        assert!(attempts[0]["duration_ms"].as_i64().unwrap() >= 0);
        assert_eq!(attempts.last().unwrap()["status_code"], 200);
        assert!(d["delivered_at"].is_string());
    }
    let webhook = app
        .get(
            &format!("/api/v1/webhooks/{hook}"),
            Some(&l.net.manager_a.token),
        )
        .await
        .expect(200);
    assert_eq!(
        webhook["failing_since"],
        Value::Null,
        "a success ends the failing streak"
    );
}

#[tokio::test]
async fn a_redirect_is_not_followed_and_counts_as_a_failure() {
    let app = spawn_app_with(&[FAST]).await;
    let l = landings(&app).await;
    let receiver = Receiver::start().await;
    let hook = id(&register(&app, &l.net.manager_a, &receiver.url("/moved"), &ALL).await);
    receiver.script(vec![
        Answer::status(302).header("Location", &receiver.url("/elsewhere")),
    ]);
    send_test(&app, &l.net.manager_a, &hook).await;
    let log = settled(&app, &l.net.manager_a, &hook, |items| {
        items.first().is_some_and(|d| d["status"] == "delivered")
    })
    .await;
    let attempts = log[0]["attempts"].as_array().unwrap();
    assert_eq!(attempts[0]["status_code"], 302);
    assert!(
        attempts[0]["error"].as_str().unwrap().contains("redirect"),
        "{attempts:?}"
    );
    assert!(
        receiver.received_at("/elsewhere").is_empty(),
        "the redirect was not followed"
    );
    assert_eq!(receiver.received_at("/moved").len(), 2);
    assert_eq!(log[0]["event"], "webhook.test");
}

#[tokio::test]
async fn a_410_disables_the_endpoint_and_its_managers_are_told() {
    let app = spawn_app_with(&[FAST]).await;
    let l = landings(&app).await;
    let receiver = Receiver::start().await;
    let hook = id(&register(&app, &l.net.manager_a, &receiver.url("/gone"), &ALL).await);
    receiver.answer_always(Answer::status(410));
    send_test(&app, &l.net.manager_a, &hook).await;
    let log = settled(&app, &l.net.manager_a, &hook, |items| {
        items.first().is_some_and(|d| d["status"] == "failed")
    })
    .await;
    assert_eq!(
        log[0]["attempts"].as_array().unwrap().len(),
        1,
        "410 is not retried"
    );
    let webhook = app
        .get(
            &format!("/api/v1/webhooks/{hook}"),
            Some(&l.net.manager_a.token),
        )
        .await
        .expect(200);
    assert_eq!(webhook["enabled"], false);
    assert!(webhook["disabled_reason"].as_str().unwrap().contains("410"));
    let mail = app
        .mail_to("manager@cyberforum.test", "was turned off")
        .await;
    assert!(
        mail.text().contains(&receiver.url("/gone")),
        "{}",
        mail.text()
    );
    // A disabled endpoint gets nothing more.
    l.submit(&app, &l.request(2, 1, 1)).await;
    tokio::time::sleep(Duration::from_millis(500)).await;
    assert_eq!(receiver.received_at("/gone").len(), 1);
    // A test event still reaches it while it is off, so its managers can check it first.
    receiver.answer_always(Answer::status(204));
    send_test(&app, &l.net.manager_a, &hook).await;
    receiver.wait_for("/gone", 2, |_| true).await;
    // Enabled again, it receives events again.
    let tag = app
        .get(
            &format!("/api/v1/webhooks/{hook}"),
            Some(&l.net.manager_a.token),
        )
        .await
        .header("etag")
        .unwrap();
    let on = app
        .send_if_match(
            reqwest::Method::PATCH,
            &format!("/api/v1/webhooks/{hook}"),
            &l.net.manager_a.token,
            &tag,
            &json!({"enabled": true}),
        )
        .await
        .expect(200);
    assert_eq!(on["disabled_reason"], Value::Null);
    l.submit(&app, &l.request(3, 1, 1)).await;
    let got = receiver.wait_for("/gone", 3, |_| true).await;
    assert_eq!(got[2].event(), "landing.submitted");
}

#[tokio::test]
async fn an_endpoint_failing_too_long_is_disabled_and_its_managers_mailed() {
    let app = spawn_app_with(&[FAST, ("SOFTLANDING__WEBHOOKS__DISABLE_AFTER_SECS", "2")]).await;
    let l = landings(&app).await;
    let receiver = Receiver::start().await;
    let hook = id(&register(&app, &l.net.manager_a, &receiver.url("/broken"), &ALL).await);
    receiver.answer_always(Answer::status(500));
    send_test(&app, &l.net.manager_a, &hook).await;
    let deadline = tokio::time::Instant::now() + Duration::from_secs(20);
    loop {
        let webhook = app
            .get(
                &format!("/api/v1/webhooks/{hook}"),
                Some(&l.net.manager_a.token),
            )
            .await
            .expect(200);
        if webhook["enabled"] == false {
            assert!(
                webhook["disabled_reason"]
                    .as_str()
                    .unwrap()
                    .contains("five days")
            );
            break;
        }
        // The receiver may hold an attempt the worker has not recorded yet: only the outcome
        // (disabled, its reason, the email) is checked.
        assert!(tokio::time::Instant::now() < deadline, "never disabled");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    app.mail_to("manager@cyberforum.test", "was turned off")
        .await;
}

#[tokio::test]
async fn retry_after_is_honoured_on_429() {
    let app = spawn_app().await;
    let l = landings(&app).await;
    let receiver = Receiver::start().await;
    let hook = id(&register(&app, &l.net.manager_a, &receiver.url("/busy"), &ALL).await);
    receiver.script(vec![Answer::status(429).header("Retry-After", "1")]);
    send_test(&app, &l.net.manager_a, &hook).await;
    // The schedule's second pause is 5 s (4 at the least); Retry-After asks for 1.
    let got = receiver.wait_for("/busy", 2, |_| true).await;
    let first: i64 = got[0].header("webhook-timestamp").parse().unwrap();
    let second: i64 = got[1].header("webhook-timestamp").parse().unwrap();
    assert!((1..=3).contains(&(second - first)), "{first} then {second}");
}

#[tokio::test]
async fn a_rotated_secret_and_the_one_before_both_sign_for_a_day() {
    let app = spawn_app().await;
    let l = landings(&app).await;
    let receiver = Receiver::start().await;
    let created = register(&app, &l.net.manager_a, &receiver.url("/rot"), &ALL).await;
    let hook = id(&created);
    let old = created["secret"].as_str().unwrap().to_owned();
    let rotated = app
        .post(
            &format!("/api/v1/webhooks/{hook}/rotate-secret"),
            Some(&l.net.manager_a.token),
            &json!({}),
        )
        .await;
    assert_eq!(rotated.header("cache-control").as_deref(), Some("no-store"));
    let rotated = rotated.expect(200);
    let new = rotated["secret"].as_str().unwrap().to_owned();
    assert_ne!(old, new);
    assert!(rotated["previous_secret_expires_at"].is_string());
    send_test(&app, &l.net.manager_a, &hook).await;
    let got = receiver.wait_for("/rot", 1, |_| true).await;
    let signatures: Vec<&str> = got[0].header("webhook-signature").split(' ').collect();
    assert_eq!(signatures.len(), 2, "{signatures:?}");
    assert!(verifies(&new, &got[0]));
    assert!(verifies(&old, &got[0]));
}

#[tokio::test]
async fn a_delivery_is_redelivered_with_its_webhook_id() {
    let app = spawn_app().await;
    let l = landings(&app).await;
    let receiver = Receiver::start().await;
    let hook = id(&register(&app, &l.net.manager_a, &receiver.url("/again"), &ALL).await);
    let test = send_test(&app, &l.net.manager_a, &hook).await;
    assert_eq!(test["event"], "webhook.test");
    assert_eq!(test["status"], "pending");
    let delivery = id(&test);
    let first = receiver.wait_for("/again", 1, |_| true).await;
    assert_eq!(first[0].json()["data"]["webhook_id"], hook);
    settled(&app, &l.net.manager_a, &hook, |items| {
        items[0]["status"] == "delivered"
    })
    .await;
    let again = app
        .post(
            &format!("/api/v1/webhooks/{hook}/deliveries/{delivery}/redeliver"),
            Some(&l.net.manager_a.token),
            &json!({}),
        )
        .await
        .expect(202);
    assert_eq!(again["status"], "pending");
    let both = receiver.wait_for("/again", 2, |_| true).await;
    assert_eq!(both[0].header("webhook-id"), both[1].header("webhook-id"));
    assert_eq!(both[0].body, both[1].body);
    // The coordinator's outbox shows webhook deliveries beside emails.
    let outbox = app
        .get("/api/v1/admin/outbox?limit=100", Some(&l.net.admin.token))
        .await
        .expect(200);
    assert!(
        outbox["items"]
            .as_array()
            .unwrap()
            .iter()
            .any(|m| m["channel"] == "webhook" && m["recipient"] == hook)
    );
    let metrics = app
        .client
        .get(app.url("/metrics"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(
        metrics.contains("softlanding_webhook_deliveries_total{outcome=\"delivered\"}"),
        "{metrics}"
    );
    assert!(metrics.contains("softlanding_webhook_delivery_duration_seconds_bucket"));
}

/// Every non-public range, as a URL literal or behind a name.
const REFUSED: [&str; 14] = [
    "http://127.0.0.1:9/hook",
    "http://localhost:9/hook",
    "http://10.0.0.7/hook",
    "http://172.16.3.4/hook",
    "http://192.168.1.10/hook",
    "http://169.254.169.254/latest/meta-data/",
    "http://100.64.0.1/hook",
    "http://0.0.0.0/hook",
    "http://224.0.0.1/hook",
    "http://[::1]/hook",
    "http://[fd00::1]/hook",
    "http://[::ffff:127.0.0.1]/hook",
    "http://[64:ff9b::7f00:1]/hook",
    "http://[2002:7f00:1::]/hook",
];

#[tokio::test]
async fn private_targets_are_refused_at_registration() {
    let app = spawn_app_with(&[("SOFTLANDING__WEBHOOKS__ALLOW_PRIVATE_TARGETS", "false")]).await;
    let l = landings(&app).await;
    for url in REFUSED.into_iter().chain(["http://[fe80::1]/hook"]) {
        let reply = app
            .post(
                "/api/v1/webhooks",
                Some(&l.net.manager_a.token),
                &json!({"url": url, "events": ALL}),
            )
            .await;
        reply.expect_problem(422, "validation_failed");
        assert_eq!(reply.invalid_fields(), vec!["url"], "{url}");
    }
    // A public address passes; the same goes for an edit to a private one.
    let hook = id(&register(&app, &l.net.manager_a, "https://93.184.216.34/hooks", &ALL).await);
    app.patch(
        &format!("/api/v1/webhooks/{hook}"),
        Some(&l.net.manager_a.token),
        &json!({"url": "http://localhost/x"}),
    )
    .await
    .expect(422);
}

/// Writes a webhook to `url` straight into the database, as if it had been registered while
/// its name pointed elsewhere (registration itself refuses a private target).
async fn plant(app: &TestApp, cluster: &str, url: &str) -> String {
    let hook = softlanding::db::new_id();
    let settings = app.state.settings.clone();
    let (cluster, url, wh) = (cluster.to_owned(), url.to_owned(), hook.clone());
    app.with_conn(move |conn| {
        let sealer = softlanding::webhooks::signing::Sealer::from_settings(&settings);
        let sealed = sealer.seal(&wh, &softlanding::webhooks::signing::generate_secret());
        let now = softlanding::db::now();
        softlanding::db::webhooks::insert(
            conn,
            &softlanding::db::webhooks::NewWebhook {
                id: &wh,
                cluster_id: &cluster,
                url: &url,
                description: None,
                events: "[\"landing.*\"]",
                enabled: true,
                secret: &sealed,
                version: 1,
                created_at: now,
                updated_at: now,
            },
        )
        .unwrap();
    })
    .await;
    hook
}

#[tokio::test]
async fn private_targets_are_refused_at_delivery_on_the_address_resolved_then() {
    let app = spawn_app_with(&[("SOFTLANDING__WEBHOOKS__ALLOW_PRIVATE_TARGETS", "false")]).await;
    let l = landings(&app).await;
    let receiver = Receiver::start().await;
    // A name that resolves to loopback now (DNS rebinding), the receiver's own literal address,
    // and every other range.
    let mut urls = vec![
        format!("http://localhost:{}/rebound", receiver.port),
        receiver.url("/literal"),
    ];
    urls.extend(REFUSED.iter().map(|u| u.to_string()));
    let mut hooks = Vec::new();
    for url in &urls {
        let hook = plant(&app, &l.net.cluster_a, url).await;
        send_test(&app, &l.net.manager_a, &hook).await;
        hooks.push((url, hook));
    }
    for (url, hook) in &hooks {
        let log = settled(&app, &l.net.manager_a, hook, |items| {
            items
                .first()
                .is_some_and(|d| !d["attempts"].as_array().unwrap().is_empty())
        })
        .await;
        let attempt = &log[0]["attempts"][0];
        assert_eq!(attempt["status_code"], Value::Null, "{url}: {attempt}");
        let error = attempt["error"].as_str().unwrap();
        assert!(
            error.contains("webhooks go to public addresses only"),
            "{url}: {error}"
        );
    }
    assert!(
        receiver.received().is_empty(),
        "nothing reached the loopback receiver"
    );
}

#[tokio::test]
async fn a_hanging_endpoint_delays_no_other() {
    let app = spawn_app_with(&[
        FAST,
        ("SOFTLANDING__WEBHOOKS__TIMEOUT_SECS", "8"),
        ("SOFTLANDING__WEBHOOKS__PER_ENDPOINT_CONCURRENCY", "2"),
    ])
    .await;
    let l = landings(&app).await;
    let slow = Receiver::start().await;
    let fast = Receiver::start().await;
    let hanging = id(&register(
        &app,
        &l.net.manager_a,
        &slow.url("/slow"),
        &["landing.submitted"],
    )
    .await);
    register(
        &app,
        &l.net.manager_b,
        &fast.url("/fast"),
        &["landing.submitted"],
    )
    .await;
    slow.answer_always(Answer::status(200).after(Duration::from_secs(30)));
    let started = tokio::time::Instant::now();
    for offset in 2..8 {
        l.submit(&app, &l.request(offset, 1, 1)).await;
    }
    fast.wait_for("/fast", 6, |_| true).await;
    assert!(
        started.elapsed() < Duration::from_secs(7),
        "the other endpoint waited for the hanging one: {:?}",
        started.elapsed()
    );
    // The hanging endpoint holds two attempts at a time, each ended by the timeout.
    assert!(slow.received_at("/slow").len() <= 2);
    let log = settled(&app, &l.net.manager_a, &hanging, |items| {
        items
            .iter()
            .any(|d| !d["attempts"].as_array().unwrap().is_empty())
    })
    .await;
    let attempt = log
        .iter()
        .flat_map(|d| d["attempts"].as_array().unwrap().clone())
        .next()
        .unwrap();
    assert!(
        attempt["error"].as_str().unwrap().contains("no answer"),
        "{attempt}"
    );
    assert!(attempt["duration_ms"].as_i64().unwrap() >= 7900);
}

#[tokio::test]
async fn production_takes_https_endpoints_only() {
    let app = spawn_app_with(&[("SOFTLANDING__ENVIRONMENT", "production")]).await;
    let l = landings(&app).await;
    let reply = app
        .post(
            "/api/v1/webhooks",
            Some(&l.net.manager_a.token),
            &json!({"url": "http://93.184.216.34/hooks", "events": ALL}),
        )
        .await;
    reply.expect_problem(422, "validation_failed");
    assert!(reply.text.contains("must use https"), "{}", reply.text);
    // Private targets are refused by default there, too.
    app.post(
        "/api/v1/webhooks",
        Some(&l.net.manager_a.token),
        &json!({"url": "https://127.0.0.1/hooks", "events": ALL}),
    )
    .await
    .expect_problem(422, "validation_failed");
    register(&app, &l.net.manager_a, "https://93.184.216.34/hooks", &ALL).await;
}

#[tokio::test]
async fn several_workers_deliver_each_delivery_once() {
    let app = spawn_app_with(&[("SOFTLANDING__WORKER__POLL_INTERVAL_MS", "5")]).await;
    let l = landings(&app).await;
    let receiver = Receiver::start().await;
    let hook = id(&register(&app, &l.net.manager_a, &receiver.url("/many"), &ALL).await);
    // Three more workers beside the application's, as other instances would run.
    let (stop, _) = tokio::sync::watch::channel(false);
    for _ in 0..3 {
        let worker = softlanding::webhooks::worker::Deliverer::from_state(&app.state).unwrap();
        tokio::spawn(worker.run(stop.subscribe()));
    }
    for _ in 0..40 {
        send_test(&app, &l.net.manager_a, &hook).await;
    }
    receiver.wait_for("/many", 40, |_| true).await;
    settled(&app, &l.net.manager_a, &hook, |items| {
        items.len() == 40 && items.iter().all(|d| d["status"] == "delivered")
    })
    .await;
    tokio::time::sleep(Duration::from_millis(300)).await;
    let got = receiver.received_at("/many");
    let ids: BTreeSet<&str> = got.iter().map(|r| r.header("webhook-id")).collect();
    assert_eq!(got.len(), 40, "no delivery twice");
    assert_eq!(ids.len(), 40);
    let _ = stop.send(true);
}
