//! What an attack on the running service found, each closed: bounded metrics, API clients that
//! cannot become people, revocation that takes effect at once, removing managers and disabling
//! accounts, throttled and single-live reset links, confirmed sign-up addresses, and emails that
//! keep no live token once sent.

use std::time::Duration;

use diesel::prelude::*;
use reqwest::Method;
use serde_json::json;
use softlanding::db::schema::outbox;

use crate::fixtures::{PASSWORD, link_token, network};
use crate::helpers::{TestApp, reply, spawn_app};

/// The outbox rows written for `recipient` under `event`, with their status and payload.
async fn outbox_rows(app: &TestApp, recipient: &str, event: &str) -> Vec<(String, String)> {
    let (recipient, event) = (recipient.to_owned(), event.to_owned());
    app.with_conn(move |conn| {
        outbox::table
            .filter(outbox::recipient.eq(recipient))
            .filter(outbox::event.eq(event))
            .select((outbox::status, outbox::payload))
            .load::<(String, String)>(conn)
            .unwrap()
    })
    .await
}

async fn refresh(app: &TestApp, token: &str) -> crate::helpers::Reply {
    reply(
        app.client
            .post(app.url("/api/v1/auth/token"))
            .form(&[("grant_type", "refresh_token"), ("refresh_token", token)]),
    )
    .await
}

#[tokio::test]
async fn invented_methods_do_not_grow_the_metrics() {
    let app = spawn_app().await;
    app.get("/healthz", None).await.expect(200);
    let before = app.get("/metrics", None).await.text.lines().count();
    for i in 0..200 {
        let method = Method::from_bytes(format!("INVENTED{i}{}", "X".repeat(i)).as_bytes())
            .expect("a valid method token");
        let path = if i % 2 == 0 {
            "/api/v1/clusters".to_owned()
        } else {
            format!("/no/such/route/{i}")
        };
        reply(app.client.request(method, app.url(&path))).await;
    }
    let scrape = app.get("/metrics", None).await.text;
    let after = scrape.lines().count();
    assert!(
        after <= before + 60,
        "the scrape grew from {before} to {after} lines"
    );
    assert!(!scrape.contains("INVENTED"));
    assert!(scrape.contains(r#"method="other""#), "{scrape}");
}

#[tokio::test]
async fn a_revoked_api_client_loses_its_access_token_at_once() {
    let app = spawn_app().await;
    let net = network(&app).await;
    let me = app
        .get("/api/v1/me", Some(&net.client_a.token))
        .await
        .expect(200);
    assert_eq!(me["kind"], "api_client");

    app.delete(
        &format!(
            "/api/v1/clusters/{}/api-clients/{}",
            net.cluster_a, net.client_a.id
        ),
        Some(&net.manager_a.token),
    )
    .await
    .expect(204);

    app.get("/api/v1/me", Some(&net.client_a.token))
        .await
        .expect_problem(401, "unauthorized");
    app.post(
        &format!("/api/v1/clusters/{}/offers", net.cluster_a),
        Some(&net.client_a.token),
        &json!({}),
    )
    .await
    .expect_problem(401, "unauthorized");
}

#[tokio::test]
async fn api_clients_cannot_manage_people() {
    let app = spawn_app().await;
    let net = network(&app).await;
    let client = Some(net.client_a.token.as_str());

    let manager = app
        .post(
            &format!("/api/v1/clusters/{}/managers", net.cluster_a),
            client,
            &json!({"email": "mallory@evil.test", "name": "Mallory"}),
        )
        .await;
    manager.expect_problem(403, "people_only");
    let member = app
        .post(
            &format!("/api/v1/smes/{}/members", net.sme_a),
            client,
            &json!({"email": "mallory@evil.test", "name": "Mallory"}),
        )
        .await;
    member.expect_problem(403, "people_only");
    app.post(
        &format!("/api/v1/clusters/{}/api-clients", net.cluster_a),
        client,
        &json!({"name": "Another portal"}),
    )
    .await
    .expect(403);
    app.get(
        &format!("/api/v1/clusters/{}/api-clients", net.cluster_a),
        client,
    )
    .await
    .expect(403);
    assert!(
        outbox_rows(&app, "mallory@evil.test", "auth.invitation")
            .await
            .is_empty(),
        "no invitation was written"
    );

    // The people it acts for still may.
    app.post(
        &format!("/api/v1/clusters/{}/managers", net.cluster_a),
        Some(&net.manager_a.token),
        &json!({"email": "eve@cyberforum.test", "name": "Eve"}),
    )
    .await
    .expect(201);
}

#[tokio::test]
async fn removing_a_manager_ends_every_session_but_never_the_last_one() {
    let app = spawn_app().await;
    let net = network(&app).await;
    let second = app
        .manager(&net.manager_a, &net.cluster_a, "bob@cyberforum.test")
        .await;
    let session = app.login("bob@cyberforum.test").await;
    let path = format!("/api/v1/clusters/{}/managers/{}", net.cluster_a, second.id);

    // Neither the API client, nor another cluster's manager, may remove Bob.
    app.delete(&path, Some(&net.client_a.token))
        .await
        .expect_problem(403, "people_only");
    app.delete(&path, Some(&net.manager_b.token))
        .await
        .expect(403);

    app.delete(&path, Some(&net.manager_a.token))
        .await
        .expect(204);
    app.get("/api/v1/me", Some(&second.token))
        .await
        .expect_problem(401, "unauthorized");
    refresh(&app, session["refresh_token"].as_str().unwrap())
        .await
        .expect(400);
    app.password_login("bob@cyberforum.test", PASSWORD)
        .await
        .expect(400);
    app.get(&path, Some(&net.manager_a.token)).await.expect(404);
    let managers = app
        .get(
            &format!("/api/v1/clusters/{}/managers", net.cluster_a),
            Some(&net.manager_a.token),
        )
        .await
        .expect(200);
    assert_eq!(managers["items"].as_array().unwrap().len(), 1);

    // Ana is the last manager now: even the admin cannot remove her.
    let last = format!(
        "/api/v1/clusters/{}/managers/{}",
        net.cluster_a, net.manager_a.id
    );
    app.delete(&last, Some(&net.admin.token))
        .await
        .expect_problem(409, "last_manager");
    app.get("/api/v1/me", Some(&net.manager_a.token))
        .await
        .expect(200);
    // A person who is not a manager of the cluster is not found there.
    let stranger = format!(
        "/api/v1/clusters/{}/managers/{}",
        net.cluster_a, net.member_a.id
    );
    app.delete(&stranger, Some(&net.admin.token))
        .await
        .expect(404);
}

#[tokio::test]
async fn the_admin_disables_an_account_and_its_sessions_end() {
    let app = spawn_app().await;
    let net = network(&app).await;
    let session = app.login(&net.member_a.email).await;
    let path = format!("/api/v1/admin/users/{}/disable", net.member_a.id);

    app.post(&path, Some(&net.manager_a.token), &json!({}))
        .await
        .expect(403);
    app.post(
        &format!("/api/v1/admin/users/{}/disable", net.admin.id),
        Some(&net.admin.token),
        &json!({}),
    )
    .await
    .expect_problem(409, "cannot_disable_self");
    app.post(
        "/api/v1/admin/users/0193a1b2-0000-7000-8000-000000000000/disable",
        Some(&net.admin.token),
        &json!({}),
    )
    .await
    .expect(404);

    app.post(&path, Some(&net.admin.token), &json!({}))
        .await
        .expect(204);
    app.get("/api/v1/me", Some(&net.member_a.token))
        .await
        .expect_problem(401, "unauthorized");
    refresh(&app, session["refresh_token"].as_str().unwrap())
        .await
        .expect(400);
    app.password_login(&net.member_a.email, PASSWORD)
        .await
        .expect(400);
    // Disabling twice is harmless.
    app.post(&path, Some(&net.admin.token), &json!({}))
        .await
        .expect(204);
}

#[tokio::test]
async fn reset_mails_are_throttled_per_account_and_still_answer_202() {
    let app = spawn_app().await;
    let net = network(&app).await;
    for _ in 0..6 {
        app.post(
            "/api/v1/auth/password-reset",
            None,
            &json!({"email": net.manager_a.email}),
        )
        .await
        .expect(202);
    }
    let written = outbox_rows(&app, &net.manager_a.email, "auth.password_reset").await;
    assert_eq!(written.len(), 3, "three reset emails an hour at the most");
    // The limit is the account's: another account's reset is still mailed.
    app.post(
        "/api/v1/auth/password-reset",
        None,
        &json!({"email": net.manager_b.email}),
    )
    .await
    .expect(202);
    let other = outbox_rows(&app, &net.manager_b.email, "auth.password_reset").await;
    assert_eq!(other.len(), 1);
}

#[tokio::test]
async fn a_new_reset_link_ends_the_earlier_one() {
    let app = spawn_app().await;
    let net = network(&app).await;
    let email = net.manager_a.email.clone();
    let mut tokens = Vec::new();
    for n in 1..=2 {
        app.post(
            "/api/v1/auth/password-reset",
            None,
            &json!({ "email": email }),
        )
        .await
        .expect(202);
        let mails = app.delivered().await;
        assert_eq!(mails.len(), n);
        tokens.push(link_token(&mails[n - 1].text()));
    }
    let first = app
        .post(
            "/api/v1/auth/password-reset/confirm",
            None,
            &json!({"token": tokens[0], "new_password": "the first new password"}),
        )
        .await;
    assert_eq!(first.invalid_fields(), vec!["token"]);
    app.post(
        "/api/v1/auth/password-reset/confirm",
        None,
        &json!({"token": tokens[1], "new_password": "the second new password"}),
    )
    .await
    .expect(204);
    app.password_login(&email, "the second new password")
        .await
        .expect(200);
}

#[tokio::test]
async fn a_sent_email_keeps_no_live_token() {
    let app = spawn_app().await;
    let net = network(&app).await;
    let email = net.manager_a.email.clone();
    app.post(
        "/api/v1/auth/password-reset",
        None,
        &json!({ "email": email }),
    )
    .await
    .expect(202);
    // Once the outbox is drained, the delivery is recorded.
    let mail = app.mail_to(&email, "Reset your softlanding password").await;
    let token = link_token(&mail.text());
    let rows = outbox_rows(&app, &email, "auth.password_reset").await;
    assert_eq!(rows.len(), 1);
    assert_eq!(rows[0].0, "sent");
    assert!(
        !rows[0].1.contains(&token) && !rows[0].1.contains("set-password"),
        "the stored payload still holds the link: {}",
        rows[0].1
    );
    // The link itself still works: only the copy is gone.
    app.post(
        "/api/v1/auth/password-reset/confirm",
        None,
        &json!({"token": token, "new_password": "a brand new password"}),
    )
    .await
    .expect(204);
}

#[tokio::test]
async fn a_pending_smes_members_cannot_invite_colleagues() {
    let app = spawn_app().await;
    let net = network(&app).await;
    let sme = app
        .sign_up_sme(&net.cluster_a, "Helix Analytics", "grace@helix.test")
        .await;
    let path = format!("/api/v1/smes/{}/members", sme.id);
    let body = json!({"email": "squat@victim.test", "name": "Anyone at all"});
    app.post(&path, Some(&sme.member.token), &body)
        .await
        .expect_problem(403, "sme_not_verified");
    assert!(
        outbox_rows(&app, "squat@victim.test", "auth.invitation")
            .await
            .is_empty()
    );

    app.post(
        &format!("/api/v1/smes/{}/verify", sme.id),
        Some(&net.manager_a.token),
        &json!({}),
    )
    .await
    .expect(200);
    app.post(&path, Some(&sme.member.token), &body)
        .await
        .expect(201);
}

#[tokio::test]
async fn a_sign_up_contact_confirms_the_address_before_signing_in() {
    let app = spawn_app().await;
    let net = network(&app).await;
    app.post(
        "/api/v1/smes",
        None,
        &crate::fixtures::sme_sign_up(&net.cluster_a, "Helix Analytics", "grace@helix.test"),
    )
    .await
    .expect(201);
    let refused = app
        .password_login("grace@helix.test", crate::fixtures::SME_PASSWORD)
        .await
        .expect(400);
    assert_eq!(refused["error"], "invalid_grant");

    let mail = app.mail_to("grace@helix.test", "Confirm your email").await;
    assert!(
        mail.text()
            .contains("http://127.0.0.1:8080/confirm-email?token="),
        "{}",
        mail.text()
    );
    let token = link_token(&mail.text());
    let wrong = app
        .post(
            "/api/v1/auth/confirm-email",
            None,
            &json!({"token": "not-a-token"}),
        )
        .await;
    assert_eq!(wrong.invalid_fields(), vec!["token"]);
    app.post(
        "/api/v1/auth/confirm-email",
        None,
        &json!({ "token": token }),
    )
    .await
    .expect(204);
    app.password_login("grace@helix.test", crate::fixtures::SME_PASSWORD)
        .await
        .expect(200);
    // The link works once.
    let again = app
        .post(
            "/api/v1/auth/confirm-email",
            None,
            &json!({ "token": token }),
        )
        .await;
    assert_eq!(again.invalid_fields(), vec!["token"]);
}

#[tokio::test]
async fn nul_bytes_and_malformed_ids_are_refused_where_input_is_parsed() {
    let app = spawn_app().await;
    let net = network(&app).await;
    let token = Some(net.admin.token.as_str());
    // A path id that is no UUID names nothing: 404, as problem+json.
    for path in [
        "/api/v1/offers/%00",
        "/api/v1/landings/abc%00def",
        "/api/v1/smes/not-an-id",
        "/api/v1/clusters/0193a1b2-0000-7000-8000-00000000000%00",
        "/api/v1/partnerships/%00/events",
    ] {
        let reply = app.get(path, token).await;
        reply.expect_problem(404, "not_found");
        assert_eq!(
            reply.header("content-type").as_deref(),
            Some("application/problem+json"),
            "{path}"
        );
    }
    app.delete(
        &format!("/api/v1/clusters/{}/api-clients/slc_%00", net.cluster_a),
        Some(&net.manager_a.token),
    )
    .await
    .expect_problem(404, "not_found");
    // A query parameter holding a control character is 400, whoever asks.
    for path in [
        "/api/v1/offers?city=Karls%00ruhe",
        "/api/v1/clusters?country=D%00E",
        "/api/v1/offers?q=%0D%0Ainjected",
    ] {
        app.get(path, None)
            .await
            .expect_problem(400, "invalid_query");
    }
    // A text field holding NUL or CR is 422 at that field.
    let mut sign_up =
        crate::fixtures::sme_sign_up(&net.cluster_a, "Helix\u{0}Analytics", "grace@helix.test");
    sign_up["contact"]["name"] = json!("Grace\rHopper");
    let refused = app.post("/api/v1/smes", None, &sign_up).await;
    let mut fields = refused.invalid_fields();
    fields.sort();
    assert_eq!(fields, vec!["contact.name", "name"]);
    // An id field that is no id is 422, not a database error.
    let mut unknown = crate::fixtures::sme_sign_up(&net.cluster_a, "Helix", "grace@helix.test");
    unknown["home_cluster_id"] = json!("0193a1b2\u{0}");
    let refused = app.post("/api/v1/smes", None, &unknown).await;
    assert_eq!(refused.status, 422, "{}", refused.text);
    // The token endpoint refuses them too, as an OAuth error.
    let grant = reply(app.client.post(app.url("/api/v1/auth/token")).form(&[
        ("grant_type", "client_credentials"),
        ("client_id", "slc_\u{0}"),
        ("client_secret", "x"),
    ]))
    .await;
    assert!(grant.status == 400 || grant.status == 401, "{grant:?}");
}

#[tokio::test]
async fn extreme_dates_are_422_and_never_reach_the_database() {
    let app = spawn_app().await;
    let l = crate::landings::landings(&app).await;
    let offer = &l.offer;
    let availability = format!("/api/v1/offers/{offer}/availability");
    for query in [
        "from=%2B262142-12-31",
        "from=%2B262142-12-02",
        "from=-4713-01-01",
        "from=2026-01-01&to=%2B10000-01-01",
        "from=1899-12-31",
    ] {
        let reply = app.get(&format!("{availability}?{query}"), None).await;
        assert_eq!(reply.status, 422, "{query}: {}", reply.text);
    }
    for path in [
        "/api/v1/offers?from=-4713-01-01&to=-4713-01-02",
        "/api/v1/offers?from=2027-01-01&to=%2B262142-12-31",
    ] {
        assert_eq!(app.get(path, None).await.status, 422, "{path}");
    }
    let landings = app
        .get("/api/v1/landings?to=-262143-01-01", Some(&l.member_b.token))
        .await;
    assert_eq!(landings.invalid_fields(), vec!["to"]);
    let blackout = app
        .post(
            &format!("/api/v1/offers/{offer}/blackouts"),
            Some(&l.net.manager_a.token),
            &json!({"start_date": "2027-01-04", "end_date": "+10000-01-01", "reason": "Far"}),
        )
        .await;
    assert_eq!(blackout.invalid_fields(), vec!["end_date"]);
    let mut request = l.request(3, 2, 1);
    request["end_date"] = json!("2201-01-01");
    let refused = app
        .post("/api/v1/landings", Some(&l.member_b.token), &request)
        .await;
    assert_eq!(refused.invalid_fields(), vec!["end_date"]);
}

#[tokio::test]
async fn a_calendar_entry_holds_one_event_whatever_the_names_hold() {
    let app = spawn_app().await;
    let l = crate::landings::landings(&app).await;
    let injected = "\r\nEND:VEVENT\r\nBEGIN:VEVENT\r\nSUMMARY:Injected";
    // A carriage return is refused in every field it could reach the calendar from.
    let offer = crate::offers::desk(json!({"title": format!("Desk{injected}")}));
    let refused = app
        .post(
            &format!("/api/v1/clusters/{}/offers", l.net.cluster_a),
            Some(&l.net.manager_a.token),
            &offer,
        )
        .await;
    assert_eq!(refused.invalid_fields(), vec!["title"]);
    let offer = crate::offers::desk(json!({"address": format!("Street 1{injected}")}));
    let refused = app
        .post(
            &format!("/api/v1/clusters/{}/offers", l.net.cluster_a),
            Some(&l.net.manager_a.token),
            &offer,
        )
        .await;
    assert_eq!(refused.invalid_fields(), vec!["address"]);
    let sme = app
        .get(
            &format!("/api/v1/smes/{}", l.sme_b),
            Some(&l.member_b.token),
        )
        .await;
    let etag = sme.header("etag").unwrap();
    let renamed = app
        .send_if_match(
            Method::PATCH,
            &format!("/api/v1/smes/{}", l.sme_b),
            &l.member_b.token,
            &etag,
            &json!({"name": format!("Nordic{injected}")}),
        )
        .await;
    assert_eq!(renamed.invalid_fields(), vec!["name"]);
    // A title is one line; an address may span lines (its line feeds are escaped).
    let offer = crate::offers::desk(json!({"title": "Desk\nBEGIN:VEVENT"}));
    let refused = app
        .post(
            &format!("/api/v1/clusters/{}/offers", l.net.cluster_a),
            Some(&l.net.manager_a.token),
            &offer,
        )
        .await;
    assert_eq!(refused.invalid_fields(), vec!["title"]);
    let multi_line = crate::landings::publish_offer(
        &app,
        &l.net,
        json!({"address": "Haid-und-Neu-Str. 18\nEND:VEVENT\nBEGIN:VEVENT\n76131 Karlsruhe"}),
    )
    .await;
    let mut request = l.request(3, 2, 1);
    request["offer_id"] = json!(multi_line);
    let landing = l.submit(&app, &request).await;
    let id = landing["id"].as_str().unwrap();
    l.act(&app, id, "approve", &l.net.manager_a, json!({}))
        .await
        .expect(200);
    let ics = app
        .get(
            &format!("/api/v1/landings/{id}/calendar.ics"),
            Some(&l.member_b.token),
        )
        .await;
    assert_eq!(ics.status, 200);
    let begins = ics
        .text
        .split("\r\n")
        .filter(|line| *line == "BEGIN:VEVENT")
        .count();
    assert_eq!(begins, 1, "{}", ics.text);
    assert!(!ics.text.contains('\r') || ics.text.split('\r').skip(1).all(|l| l.starts_with('\n')));
}

#[tokio::test]
async fn a_body_that_stops_midway_is_408_and_frees_the_connection() {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let app =
        crate::helpers::spawn_app_with(&[("SOFTLANDING__SERVER__BODY_TIMEOUT_SECS", "1")]).await;
    let address = app.address.trim_start_matches("http://").to_owned();
    let mut stream = tokio::net::TcpStream::connect(&address).await.unwrap();
    let head = format!(
        "POST /api/v1/auth/password-reset HTTP/1.1\r\nHost: {address}\r\n\
         Content-Type: application/json\r\nContent-Length: 100\r\n\r\n{{\"email\": "
    );
    stream.write_all(head.as_bytes()).await.unwrap();
    let started = std::time::Instant::now();
    let mut answer = Vec::new();
    let read = tokio::time::timeout(Duration::from_secs(15), async {
        let mut buf = [0u8; 4096];
        loop {
            match stream.read(&mut buf).await {
                Ok(0) | Err(_) => break,
                Ok(n) => {
                    answer.extend_from_slice(&buf[..n]);
                    if String::from_utf8_lossy(&answer).contains("request_timeout") {
                        break;
                    }
                }
            }
        }
    })
    .await;
    assert!(read.is_ok(), "the server still holds the connection");
    let answer = String::from_utf8_lossy(&answer);
    assert!(answer.starts_with("HTTP/1.1 408"), "{answer}");
    assert!(started.elapsed() < Duration::from_secs(10));
    // And it lets the connection go: after the answer, the socket is closed.
    let mut rest = Vec::new();
    let closed = tokio::time::timeout(Duration::from_secs(5), stream.read_to_end(&mut rest)).await;
    assert!(closed.is_ok(), "the connection is still open after the 408");
}

#[tokio::test]
async fn the_partnerships_terms_decide_which_services_a_landing_may_have() {
    use softlanding::domain::offer::OfferKind;
    use softlanding::domain::partnership::Terms;
    let app = spawn_app().await;
    let net = network(&app).await;
    let sme_b = app
        .verified_sme(
            &net.manager_b,
            &net.cluster_b,
            "Nordic Drones",
            "contact@nordic-drones.example.org",
        )
        .await;
    let member_b = app
        .sme_member(&net.manager_b, &sme_b, "lars@nordic.test")
        .await;
    crate::landings::partner_on(
        &app,
        &net.manager_a,
        &net.manager_b,
        &net.cluster_b,
        Terms {
            max_free_days: 5,
            services: vec![OfferKind::DeskSpace, OfferKind::Introductions],
            home_endorsement_required: false,
            notes: None,
        },
    )
    .await;
    let today = crate::landings::host_today();
    let request = |offer: &str, services: serde_json::Value| {
        json!({
            "offer_id": offer,
            "start_date": crate::landings::day(today, 7),
            "end_date": crate::landings::day(today, 8),
            "headcount": 1,
            "purpose": crate::landings::PURPOSE,
            "requested_services": services,
        })
    };
    let mentoring = crate::landings::publish_offer(&app, &net, json!({"kind": "mentoring"})).await;
    app.post(
        "/api/v1/landings",
        Some(&member_b.token),
        &request(&mentoring, json!([])),
    )
    .await
    .expect_problem(403, "service_not_covered");

    let desk = crate::landings::publish_offer(&app, &net, json!({})).await;
    let refused = app
        .post(
            "/api/v1/landings",
            Some(&member_b.token),
            &request(&desk, json!(["introductions", "market_briefing"])),
        )
        .await;
    assert_eq!(refused.invalid_fields(), vec!["requested_services[1]"]);
    app.post(
        "/api/v1/landings",
        Some(&member_b.token),
        &request(&desk, json!(["introductions"])),
    )
    .await
    .expect(201);
}

#[tokio::test]
async fn null_for_a_field_that_cannot_be_cleared_is_422_everywhere() {
    let app = spawn_app().await;
    let net = network(&app).await;
    let offer = crate::offers::create_offer(&app, &net, crate::offers::desk(json!({}))).await;
    let id = offer["id"].as_str().unwrap();
    let path = format!("/api/v1/offers/{id}");
    let etag = app
        .get(&path, Some(&net.manager_a.token))
        .await
        .header("etag")
        .unwrap();
    let reply = app
        .send_if_match(
            Method::PATCH,
            &path,
            &net.manager_a.token,
            &etag,
            &json!({"title": null, "capacity": null}),
        )
        .await;
    let mut fields = reply.invalid_fields();
    fields.sort();
    assert_eq!(fields, vec!["capacity", "title"], "{}", reply.text);
    assert!(reply.text.contains("cannot be null"));
    // `address` may be cleared.
    app.send_if_match(
        Method::PATCH,
        &path,
        &net.manager_a.token,
        &etag,
        &json!({"address": null}),
    )
    .await
    .expect(200);

    let cluster = format!("/api/v1/clusters/{}", net.cluster_a);
    let etag = app.get(&cluster, None).await.header("etag").unwrap();
    let reply = app
        .send_if_match(
            Method::PATCH,
            &cluster,
            &net.admin.token,
            &etag,
            &json!({"name": null}),
        )
        .await;
    assert_eq!(reply.invalid_fields(), vec!["name"]);

    let sme = format!("/api/v1/smes/{}", net.sme_a);
    let etag = app
        .get(&sme, Some(&net.member_a.token))
        .await
        .header("etag")
        .unwrap();
    let reply = app
        .send_if_match(
            Method::PATCH,
            &sme,
            &net.member_a.token,
            &etag,
            &json!({"name": null}),
        )
        .await;
    assert_eq!(reply.invalid_fields(), vec!["name"]);
    assert!(reply.text.contains("cannot be null"));
}

#[tokio::test]
async fn simultaneous_wrong_client_secrets_stop_at_the_address_limit() {
    let app = spawn_app().await;
    let net = network(&app).await;
    let guesses = (0..40).map(|i| {
        let secret = format!("wrong-secret-{i}");
        let request = app.client.post(app.url("/api/v1/auth/token")).form(&[
            ("grant_type", "client_credentials"),
            ("client_id", net.client_a.id.as_str()),
            ("client_secret", secret.as_str()),
        ]);
        reply(request)
    });
    let replies = futures_util::future::join_all(guesses).await;
    let evaluated = replies.iter().filter(|r| r.status == 401).count();
    let limited = replies.iter().filter(|r| r.status == 429).count();
    assert_eq!(evaluated + limited, 40, "{replies:?}");
    assert_eq!(evaluated, 20, "the per-address limit is 20 failures");
}
