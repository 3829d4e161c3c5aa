//! SMEs: public sign-up, the home cluster's membership decisions and their emails, who sees
//! and edits which SME, `If-Match` on profile changes, and inviting colleagues.

use std::collections::HashSet;

use reqwest::Method;
use serde_json::{Value, json};

use crate::fixtures::{PASSWORD, SME_PASSWORD, link_token, network, other_sme, sme_sign_up};
use crate::helpers::{Reply, TestApp, spawn_app};

fn sorted(mut fields: Vec<String>) -> Vec<String> {
    fields.sort();
    fields
}

async fn list(app: &TestApp, token: Option<&str>, query: &str) -> Reply {
    app.get(&format!("/api/v1/smes{query}"), token).await
}

fn ids(page: &Value) -> Vec<String> {
    page["items"]
        .as_array()
        .expect("a list")
        .iter()
        .map(|i| i["id"].as_str().unwrap().to_owned())
        .collect()
}

#[tokio::test]
async fn sign_up_creates_a_pending_sme_whose_member_logs_in_and_mails_the_home_managers() {
    let app = spawn_app().await;
    let net = network(&app).await;
    let second_manager = app
        .manager(&net.admin, &net.cluster_a, "second@cyberforum.test")
        .await;

    let mut body = sme_sign_up(&net.cluster_a, "Helix Analytics", "Grace@Helix.test");
    body["country"] = json!("at");
    body["sector"] = json!(" Health-Tech ");
    let reply = app.post("/api/v1/smes", None, &body).await;
    let sme = reply.expect(201);

    let id = sme["id"].as_str().unwrap();
    assert!(uuid::Uuid::parse_str(id).is_ok());
    assert_eq!(
        reply.header("location").as_deref(),
        Some(format!("/api/v1/smes/{id}").as_str())
    );
    let etag = reply.header("etag").expect("an ETag");
    assert_eq!(sme["name"], "Helix Analytics");
    assert_eq!(sme["country"], "AT");
    assert_eq!(sme["sector"], "health-tech");
    assert_eq!(sme["website"], "https://example.org/");
    assert_eq!(sme["employees"], 12);
    assert_eq!(sme["home_cluster_id"], net.cluster_a.as_str());
    assert_eq!(sme["membership"], "pending");
    assert_eq!(
        sme["contact"],
        json!({"name": "Grace Hopper", "email": "grace@helix.test"})
    );
    assert_eq!(sme["target_markets"], json!([]));
    for at in ["created_at", "updated_at"] {
        let t = sme[at].as_str().unwrap();
        assert!(t.ends_with('Z'), "{at} is UTC: {t}");
        assert!(chrono::DateTime::parse_from_rfc3339(t).is_ok());
    }
    assert!(
        sme.get("contact_password").is_none() && !reply.text.contains(SME_PASSWORD),
        "the password is never answered"
    );

    // The first member signs in once the address is confirmed, pending or not.
    let unconfirmed = app
        .password_login("grace@helix.test", SME_PASSWORD)
        .await
        .expect(400);
    assert_eq!(unconfirmed["error"], "invalid_grant");
    assert!(
        unconfirmed["error_description"]
            .as_str()
            .unwrap()
            .contains("confirm your email address"),
        "{unconfirmed}"
    );
    app.confirm_email("grace@helix.test").await;
    let session = app
        .password_login("grace@helix.test", SME_PASSWORD)
        .await
        .expect(200);
    let token = session["access_token"].as_str().unwrap();
    let me = app.get("/api/v1/me", Some(token)).await.expect(200);
    assert_eq!(me["role"], "sme_member");
    assert_eq!(me["sme_id"], id);
    let own = app.get(&format!("/api/v1/smes/{id}"), Some(token)).await;
    assert_eq!(own.expect(200)["membership"], "pending");
    assert_eq!(own.header("etag"), Some(etag));

    // Every manager of the home cluster hears of it, with a link to the portal's page of the
    // SMEs they decide on; the other cluster does not.
    for manager in [&net.manager_a.email, &second_manager.email] {
        let mail = app.mail_to(manager, "signed up").await;
        assert!(mail.subject().contains("Helix Analytics"));
        assert!(mail.subject().contains("CyberForum"));
        let text = mail.text();
        assert!(text.contains("Grace Hopper") && text.contains("grace@helix.test"));
        assert!(
            text.lines()
                .any(|l| l.trim() == "http://127.0.0.1:8080/manage/smes")
        );
        assert!(mail.html().contains("Helix Analytics"));
    }
    let events = app.outbox_events_to(&net.admin, &net.manager_b.email).await;
    assert!(
        events.is_empty(),
        "the other cluster is not told: {events:?}"
    );
    assert_eq!(
        app.outbox_events_to(&net.admin, &net.manager_a.email).await,
        vec!["sme.signed_up"]
    );
}

#[tokio::test]
async fn a_cluster_without_managers_hears_of_sign_ups_at_its_contact_address() {
    let app = spawn_app().await;
    let net = network(&app).await;
    let lonely = app.create_cluster(&net.admin, "Lonely Cluster").await;
    app.sign_up_sme(&lonely, "Solo Labs", "solo@solo.test")
        .await;
    app.mail_to(&app.cluster_contact(&lonely).await, "signed up")
        .await;
    assert!(
        app.outbox_events_to(&net.admin, &net.manager_a.email)
            .await
            .is_empty()
    );
}

#[tokio::test]
async fn sign_up_lists_every_invalid_field_nested_ones_included() {
    let app = spawn_app().await;
    let net = network(&app).await;

    let everything_wrong = app
        .post(
            "/api/v1/smes",
            None,
            &json!({
                "name": "  ",
                "country": "XX",
                "sector": "<script>",
                "website": "ftp://example.org",
                "employees": 0,
                "home_cluster_id": "not-a-cluster",
                "contact": {"name": "", "email": "not-an-email", "password": "short", "phone": "1"},
                "colour": "blue",
            }),
        )
        .await;
    assert_eq!(
        sorted(everything_wrong.invalid_fields()),
        vec![
            "colour",
            "contact.email",
            "contact.name",
            "contact.password",
            "contact.phone",
            "country",
            "employees",
            "home_cluster_id",
            "name",
            "sector",
            "website",
        ]
    );

    let empty = app.post("/api/v1/smes", None, &json!({})).await;
    assert_eq!(
        sorted(empty.invalid_fields()),
        vec!["contact", "country", "home_cluster_id", "name", "sector"]
    );
    let empty_contact = app
        .post(
            "/api/v1/smes",
            None,
            &json!({
                "name": "Acme", "country": "DE", "sector": "software",
                "home_cluster_id": net.cluster_a, "contact": {},
            }),
        )
        .await;
    assert_eq!(
        sorted(empty_contact.invalid_fields()),
        vec!["contact.email", "contact.name", "contact.password"]
    );
    let mut wrong_types = sme_sign_up(&net.cluster_a, "Acme", "x@acme.test");
    wrong_types["employees"] = json!("twelve");
    wrong_types["contact"]["password"] = json!(123_456_789_012_i64);
    assert_eq!(
        sorted(
            app.post("/api/v1/smes", None, &wrong_types)
                .await
                .invalid_fields()
        ),
        vec!["contact.password", "employees"]
    );
    let mut too_many = sme_sign_up(&net.cluster_a, &"n".repeat(201), "x@acme.test");
    too_many["employees"] = json!(1_000_001);
    assert_eq!(
        sorted(
            app.post("/api/v1/smes", None, &too_many)
                .await
                .invalid_fields()
        ),
        vec!["employees", "name"]
    );

    // Optional fields may be left out or null.
    let mut minimal = sme_sign_up(&net.cluster_a, "Minimal", "min@minimal.test");
    minimal["website"] = Value::Null;
    minimal.as_object_mut().unwrap().remove("employees");
    let created = app.post("/api/v1/smes", None, &minimal).await.expect(201);
    assert_eq!(created["website"], Value::Null);
    assert_eq!(created["employees"], Value::Null);

    let all = app
        .get("/api/v1/smes", Some(&net.admin.token))
        .await
        .expect(200);
    assert_eq!(ids(&all).len(), 2, "nothing invalid was created");
}

#[tokio::test]
async fn a_registered_email_is_409_and_an_unknown_home_cluster_422() {
    let app = spawn_app().await;
    let net = network(&app).await;

    let taken = app
        .post(
            "/api/v1/smes",
            None,
            &sme_sign_up(&net.cluster_a, "Copycat", "ADA@acme.test"),
        )
        .await;
    taken.expect_problem(409, "email_taken");
    let manager_taken = app
        .post(
            "/api/v1/smes",
            None,
            &sme_sign_up(&net.cluster_a, "Copycat", &net.manager_b.email),
        )
        .await;
    manager_taken.expect_problem(409, "email_taken");

    let nowhere = uuid::Uuid::now_v7().to_string();
    let unknown = app
        .post(
            "/api/v1/smes",
            None,
            &sme_sign_up(&nowhere, "Nowhere Ltd", "new@nowhere.test"),
        )
        .await;
    assert_eq!(unknown.invalid_fields(), vec!["home_cluster_id"]);

    // Nothing of it stuck: no SME, no account, no email.
    let all = app
        .get("/api/v1/smes", Some(&net.admin.token))
        .await
        .expect(200);
    assert_eq!(ids(&all), vec![net.sme_a.clone()]);
    app.password_login("new@nowhere.test", SME_PASSWORD)
        .await
        .expect(400);
    app.password_login("ada@acme.test", PASSWORD)
        .await
        .expect(200);
    assert_eq!(
        app.outbox_since_arrangement(&net.admin).await,
        Vec::<Value>::new()
    );
}

#[tokio::test]
async fn verify_mails_the_contact_and_is_decided_once() {
    let app = spawn_app().await;
    let net = network(&app).await;
    let sme = app
        .sign_up_sme(&net.cluster_a, "Helix Analytics", "grace@helix.test")
        .await;
    let path = format!("/api/v1/smes/{}", sme.id);

    let reply = app
        .post(
            &format!("{path}/verify"),
            Some(&net.manager_a.token),
            &json!({}),
        )
        .await;
    let verified = reply.expect(200);
    assert_eq!(verified["membership"], "verified");
    assert_eq!(verified["id"], sme.id.as_str());
    let etag = reply.header("etag").expect("an ETag");
    assert_ne!(etag, sme.etag, "a decision is a change");
    assert_eq!(
        app.get(&path, Some(&sme.member.token)).await.header("etag"),
        Some(etag)
    );

    let mail = app.mail_to("grace@helix.test", "verified member").await;
    assert!(mail.subject().contains("Helix Analytics"));
    assert!(mail.text().contains("CyberForum"));
    assert!(
        mail.text()
            .lines()
            .any(|l| l.trim() == "http://127.0.0.1:8080/sme")
    );

    for action in ["verify", "decline"] {
        let again = app
            .post(
                &format!("{path}/{action}"),
                Some(&net.manager_a.token),
                &json!({}),
            )
            .await;
        let problem = again.expect_problem(409, "illegal_transition");
        assert_eq!(problem["membership"], "verified");
    }

    // An API client of the home cluster decides too, and an action may come without a body.
    let other = app
        .sign_up_sme(&net.cluster_a, "Quanta", "lin@quanta.test")
        .await;
    let no_body = app
        .send(
            Method::POST,
            &format!("/api/v1/smes/{}/verify", other.id),
            Some(&net.client_a.token),
            None,
        )
        .await;
    assert_eq!(no_body.expect(200)["membership"], "verified");
    app.mail_to("lin@quanta.test", "verified member").await;

    // So does the coordinator.
    let third = app
        .sign_up_sme(&net.cluster_a, "Tertius", "t@tertius.test")
        .await;
    let by_admin = app
        .post(
            &format!("/api/v1/smes/{}/verify", third.id),
            Some(&net.admin.token),
            &json!({}),
        )
        .await;
    assert_eq!(by_admin.expect(200)["membership"], "verified");

    let unknown_field = app
        .post(
            &format!("/api/v1/smes/{}/verify", third.id),
            Some(&net.admin.token),
            &json!({"force": true}),
        )
        .await;
    assert_eq!(unknown_field.invalid_fields(), vec!["force"]);
}

#[tokio::test]
async fn decline_mails_the_reason_and_is_final() {
    let app = spawn_app().await;
    let net = network(&app).await;
    let sme = app
        .sign_up_sme(&net.cluster_a, "Helix Analytics", "grace@helix.test")
        .await;
    let path = format!("/api/v1/smes/{}", sme.id);

    let too_long = app
        .post(
            &format!("{path}/decline"),
            Some(&net.manager_a.token),
            &json!({"reason": "x".repeat(2001), "why": 1}),
        )
        .await;
    assert_eq!(sorted(too_long.invalid_fields()), vec!["reason", "why"]);

    let reason = "We could not find Helix Analytics among CyberForum's members & partners.";
    let declined = app
        .post(
            &format!("{path}/decline"),
            Some(&net.manager_a.token),
            &json!({"reason": reason}),
        )
        .await
        .expect(200);
    assert_eq!(declined["membership"], "declined");

    let mail = app.mail_to("grace@helix.test", "declined").await;
    assert!(mail.subject().contains("Helix Analytics"));
    assert!(mail.text().contains(reason));
    assert!(mail.html().contains("members &amp; partners"));

    for action in ["verify", "decline"] {
        let again = app
            .post(
                &format!("{path}/{action}"),
                Some(&net.manager_a.token),
                &json!({}),
            )
            .await;
        let problem = again.expect_problem(409, "illegal_transition");
        assert_eq!(problem["membership"], "declined");
    }

    // The member still logs in and sees the outcome; verification gates landings, not login.
    app.password_login("grace@helix.test", SME_PASSWORD)
        .await
        .expect(200);
    let seen = app.get(&path, Some(&sme.member.token)).await.expect(200);
    assert_eq!(seen["membership"], "declined");

    // A decline without a reason says none.
    let other = app
        .sign_up_sme(&net.cluster_a, "Quanta", "lin@quanta.test")
        .await;
    app.post(
        &format!("/api/v1/smes/{}/decline", other.id),
        Some(&net.client_a.token),
        &json!({}),
    )
    .await
    .expect(200);
    let mail = app.mail_to("lin@quanta.test", "declined").await;
    assert!(!mail.text().contains("reason given"));
}

#[tokio::test]
async fn only_the_home_cluster_decides_about_membership() {
    let app = spawn_app().await;
    let net = network(&app).await;
    let other = other_sme(&app, &net).await;
    let sme = app
        .sign_up_sme(&net.cluster_a, "Helix Analytics", "grace@helix.test")
        .await;
    let path = format!("/api/v1/smes/{}", sme.id);

    for action in ["verify", "decline"] {
        let url = format!("{path}/{action}");
        app.post(&url, None, &json!({}))
            .await
            .expect_problem(401, "unauthorized");
        // It cannot see the SME at all.
        app.post(&url, Some(&net.manager_b.token), &json!({}))
            .await
            .expect_problem(404, "not_found");
        app.post(&url, Some(&other.member.token), &json!({}))
            .await
            .expect_problem(404, "not_found");
        app.post(&url, Some(&net.member_a.token), &json!({}))
            .await
            .expect_problem(404, "not_found");
        // It sees its own SME but cannot vouch for it.
        app.post(&url, Some(&sme.member.token), &json!({}))
            .await
            .expect_problem(403, "forbidden");
    }
    app.post(
        "/api/v1/smes/0193a1b2-0000-7000-8000-000000005e00/verify",
        Some(&net.manager_a.token),
        &json!({}),
    )
    .await
    .expect_problem(404, "not_found");

    let still = app.get(&path, Some(&net.manager_a.token)).await;
    assert_eq!(still.expect(200)["membership"], "pending");
    assert_eq!(still.header("etag"), Some(sme.etag));
}

#[tokio::test]
async fn concurrent_decisions_take_effect_once() {
    let app = spawn_app().await;
    let net = network(&app).await;
    let sme = app
        .sign_up_sme(&net.cluster_a, "Helix Analytics", "grace@helix.test")
        .await;

    let body = json!({});
    let calls: Vec<(String, &str)> = (0..10)
        .map(|i| {
            if i % 2 == 0 {
                (
                    format!("/api/v1/smes/{}/verify", sme.id),
                    net.manager_a.token.as_str(),
                )
            } else {
                (
                    format!("/api/v1/smes/{}/decline", sme.id),
                    net.client_a.token.as_str(),
                )
            }
        })
        .collect();
    let requests = calls
        .iter()
        .map(|(path, token)| app.post(path, Some(token), &body));
    let replies = futures_util::future::join_all(requests).await;
    let mut statuses: Vec<u16> = replies.iter().map(|r| r.status.as_u16()).collect();
    statuses.sort();
    assert_eq!(statuses, [vec![200], vec![409; 9]].concat(), "{replies:?}");

    let winner = replies.iter().find(|r| r.status == 200).unwrap().json();
    let events: Vec<String> = app
        .outbox_events_to(&net.admin, "grace@helix.test")
        .await
        .into_iter()
        .filter(|e| e.starts_with("sme."))
        .collect();
    let expected = format!("sme.{}", winner["membership"].as_str().unwrap());
    assert_eq!(events, vec![expected], "one decision, one email");
}

#[tokio::test]
async fn lists_show_each_role_its_own_smes() {
    let app = spawn_app().await;
    let net = network(&app).await;
    let other = other_sme(&app, &net).await;
    let pending = app
        .sign_up_sme(&net.cluster_a, "Helix Analytics", "grace@helix.test")
        .await;
    let mut swedish = sme_sign_up(&net.cluster_a, "Fika Systems", "lars@fika.test");
    swedish["country"] = json!("SE");
    let swedish = app.post("/api/v1/smes", None, &swedish).await.expect(201);
    let swedish_id = swedish["id"].as_str().unwrap().to_owned();

    let admin = Some(net.admin.token.as_str());
    let manager_a = Some(net.manager_a.token.as_str());

    let all = list(&app, admin, "").await.expect(200);
    assert_eq!(
        ids(&all),
        vec![
            net.sme_a.clone(),
            other.sme.clone(),
            pending.id.clone(),
            swedish_id.clone()
        ],
        "the admin sees every SME, in id order"
    );
    assert_eq!(all["next_cursor"], Value::Null);
    let home_a = vec![net.sme_a.clone(), pending.id.clone(), swedish_id.clone()];
    assert_eq!(ids(&list(&app, manager_a, "").await.expect(200)), home_a);
    assert_eq!(
        ids(&list(&app, Some(&net.client_a.token), "").await.expect(200)),
        home_a
    );
    assert_eq!(
        ids(&list(&app, Some(&net.manager_b.token), "").await.expect(200)),
        vec![other.sme.clone()]
    );
    list(&app, Some(&net.member_a.token), "")
        .await
        .expect_problem(403, "forbidden");
    list(&app, Some(&pending.member.token), "")
        .await
        .expect_problem(403, "forbidden");
    list(&app, None, "")
        .await
        .expect_problem(401, "unauthorized");

    // Filters.
    assert_eq!(
        ids(&list(&app, admin, "?membership=pending").await.expect(200)),
        vec![pending.id.clone(), swedish_id.clone()]
    );
    assert_eq!(
        ids(&list(&app, manager_a, "?membership=verified")
            .await
            .expect(200)),
        vec![net.sme_a.clone()]
    );
    assert_eq!(
        ids(&list(&app, admin, "?country=se").await.expect(200)),
        vec![swedish_id.clone()]
    );
    let b = &format!("?home_cluster_id={}", net.cluster_b);
    assert_eq!(
        ids(&list(&app, admin, b).await.expect(200)),
        vec![other.sme.clone()]
    );
    assert!(
        ids(&list(&app, manager_a, b).await.expect(200)).is_empty(),
        "a filter never widens what the caller sees"
    );

    // Paging: stable, complete, no repeats.
    let first = list(&app, admin, "?limit=3").await.expect(200);
    assert_eq!(ids(&first).len(), 3);
    let cursor = first["next_cursor"]
        .as_str()
        .expect("a next page")
        .to_owned();
    let next = app
        .get(
            &format!("/api/v1/smes?limit=3&cursor={cursor}"),
            Some(&net.admin.token),
        )
        .await
        .expect(200);
    assert_eq!(next["next_cursor"], Value::Null);
    let seen: Vec<String> = [ids(&first), ids(&next)].concat();
    assert_eq!(seen, ids(&all));
    assert_eq!(seen.iter().collect::<HashSet<_>>().len(), 4);

    // Bad values are 422, each named; an unreadable query is 400.
    let bad = list(&app, admin, "?membership=maybe&country=XX&limit=0").await;
    assert_eq!(
        sorted(bad.invalid_fields()),
        vec!["country", "limit", "membership"]
    );
    list(&app, admin, "?limit=many")
        .await
        .expect_problem(400, "invalid_query");
    list(&app, admin, "?colour=blue")
        .await
        .expect_problem(400, "invalid_query");
    list(&app, admin, "?cursor=not-a-cursor")
        .await
        .expect_problem(400, "invalid_cursor");
}

#[tokio::test]
async fn an_sme_is_visible_to_its_members_its_home_cluster_and_the_admin_only() {
    let app = spawn_app().await;
    let net = network(&app).await;
    let other = other_sme(&app, &net).await;
    let path = format!("/api/v1/smes/{}", net.sme_a);

    for (who, token) in [
        ("admin", &net.admin.token),
        ("home manager", &net.manager_a.token),
        ("home API client", &net.client_a.token),
        ("own member", &net.member_a.token),
    ] {
        let reply = app.get(&path, Some(token)).await;
        assert_eq!(reply.status, 200, "{who}: {}", reply.text);
        assert_eq!(reply.json()["name"], "Acme Robotics");
        assert!(reply.header("etag").is_some(), "{who}");
    }
    for (who, token) in [
        ("other cluster's manager", &net.manager_b.token),
        ("other SME's member", &other.member.token),
    ] {
        let reply = app.get(&path, Some(token)).await;
        assert_eq!(reply.status, 404, "{who}: {}", reply.text);
        reply.expect_problem(404, "not_found");
        let patch = app
            .patch(&path, Some(token), &json!({"name": "Mine now"}))
            .await;
        assert_eq!(patch.status, 404, "{who}: {}", patch.text);
        let invite = app
            .post(
                &format!("{path}/members"),
                Some(token),
                &json!({"email": "spy@elsewhere.test", "name": "Spy"}),
            )
            .await;
        assert_eq!(invite.status, 404, "{who}: {}", invite.text);
    }
    // Hidden and absent look the same.
    let absent = app
        .get(
            "/api/v1/smes/0193a1b2-0000-7000-8000-000000005e00",
            Some(&net.manager_b.token),
        )
        .await;
    let hidden = app.get(&path, Some(&net.manager_b.token)).await;
    assert_eq!(absent.text, hidden.text);
    app.get(&path, None)
        .await
        .expect_problem(401, "unauthorized");
    let unchanged = app.get(&path, Some(&net.admin.token)).await.expect(200);
    assert_eq!(unchanged["name"], "Acme Robotics");
}

#[tokio::test]
async fn patch_honours_if_match_and_answers_a_new_etag() {
    let app = spawn_app().await;
    let net = network(&app).await;
    let path = format!("/api/v1/smes/{}", net.sme_a);
    let member = &net.member_a.token;

    let first = app.get(&path, Some(member)).await;
    let etag1 = first.header("etag").unwrap();
    let before = first.expect(200);

    let changed = app
        .send_if_match(
            Method::PATCH,
            &path,
            member,
            &etag1,
            &json!({
                "name": "  Acme Robotics GmbH ",
                "employees": 42,
                "website": "https://acme.test",
                "target_markets": ["se", "FR", "SE"],
            }),
        )
        .await;
    let etag2 = changed.header("etag").expect("a new ETag");
    let after = changed.expect(200);
    assert_ne!(etag1, etag2);
    assert_eq!(after["name"], "Acme Robotics GmbH");
    assert_eq!(after["employees"], 42);
    assert_eq!(after["website"], "https://acme.test/");
    assert_eq!(after["target_markets"], json!(["SE", "FR"]));
    assert_eq!(after["membership"], before["membership"]);
    assert_eq!(after["created_at"], before["created_at"]);
    assert_ne!(after["updated_at"], before["updated_at"]);

    // A second writer holding the old ETag loses.
    let stale = app
        .send_if_match(
            Method::PATCH,
            &path,
            &net.manager_a.token,
            &etag1,
            &json!({"name": "Overwritten"}),
        )
        .await;
    stale.expect_problem(412, "precondition_failed");

    // null clears the optional fields.
    let cleared = app
        .send_if_match(
            Method::PATCH,
            &path,
            &net.manager_a.token,
            &etag2,
            &json!({"website": null, "employees": null, "target_markets": []}),
        )
        .await;
    let etag3 = cleared.header("etag").unwrap();
    let cleared = cleared.expect(200);
    assert_eq!(cleared["website"], Value::Null);
    assert_eq!(cleared["employees"], Value::Null);
    assert_eq!(cleared["target_markets"], json!([]));
    assert_eq!(cleared["name"], "Acme Robotics GmbH");

    // Without If-Match (or with `*`) the change applies to whatever is current.
    let admin_patch = app
        .patch(&path, Some(&net.admin.token), &json!({"sector": "AI"}))
        .await;
    let etag4 = admin_patch.header("etag").unwrap();
    assert_eq!(admin_patch.expect(200)["sector"], "ai");
    assert_ne!(etag3, etag4);
    let any = app
        .send_if_match(
            Method::PATCH,
            &path,
            &net.client_a.token,
            "*",
            &json!({"country": "at"}),
        )
        .await;
    let etag5 = any.header("etag").unwrap();
    assert_eq!(any.expect(200)["country"], "AT");
    assert_eq!(
        app.get(&path, Some(member)).await.header("etag"),
        Some(etag5.clone())
    );

    // An empty change changes nothing, ETag included.
    let empty = app.patch(&path, Some(member), &json!({})).await;
    assert_eq!(empty.header("etag"), Some(etag5));
}

#[tokio::test]
async fn patch_rejects_unknown_and_unchangeable_fields() {
    let app = spawn_app().await;
    let net = network(&app).await;
    let path = format!("/api/v1/smes/{}", net.sme_a);
    let etag = app
        .get(&path, Some(&net.member_a.token))
        .await
        .header("etag")
        .unwrap();

    let too_many = ["DE", "FR"].repeat(26);
    for (body, fields) in [
        (json!({"nmae": "Typo"}), vec!["nmae"]),
        (json!({"membership": "verified"}), vec!["membership"]),
        (
            json!({"home_cluster_id": net.cluster_b}),
            vec!["home_cluster_id"],
        ),
        (
            json!({"name": null, "sector": null}),
            vec!["name", "sector"],
        ),
        (
            json!({"name": "", "country": "Germany", "employees": 0}),
            vec!["country", "employees", "name"],
        ),
        (json!({"website": "javascript:alert(1)"}), vec!["website"]),
        (json!({"target_markets": too_many}), vec!["target_markets"]),
        (
            json!({"target_markets": ["DE", "XX"]}),
            vec!["target_markets[1]"],
        ),
        (json!({"target_markets": null}), vec!["target_markets"]),
        (json!({"contact": {"email": "x@y.test"}}), vec!["contact"]),
    ] {
        let reply = app.patch(&path, Some(&net.member_a.token), &body).await;
        assert_eq!(sorted(reply.invalid_fields()), fields, "{body}");
    }
    let now = app.get(&path, Some(&net.member_a.token)).await;
    assert_eq!(now.header("etag"), Some(etag), "nothing changed");
    assert_eq!(now.expect(200)["membership"], "verified");
}

#[tokio::test]
async fn members_invite_colleagues_who_set_their_password_by_link() {
    let app = spawn_app().await;
    let net = network(&app).await;
    let path = format!("/api/v1/smes/{}/members", net.sme_a);

    let reply = app
        .post(
            &path,
            Some(&net.member_a.token),
            &json!({"email": "Linus@Acme.test", "name": "Linus"}),
        )
        .await;
    let member = reply.expect(201);
    let member_id = member["id"].as_str().unwrap();
    assert_eq!(
        reply.header("location"),
        Some(format!("{path}/{member_id}"))
    );
    assert_eq!(member["email"], "linus@acme.test");
    assert_eq!(member["name"], "Linus");
    assert_eq!(member["role"], "sme_member");
    assert_eq!(member["sme_id"], net.sme_a.as_str());
    assert_eq!(member["state"], "invited");

    let mail = app.mail_to("linus@acme.test", "Acme Robotics").await;
    assert!(mail.text().contains("member"));
    let token = link_token(&mail.text());
    assert!(
        mail.text()
            .contains(&format!("http://127.0.0.1:8080/set-password?token={token}"))
    );
    app.password_login("linus@acme.test", "whatever it may be")
        .await
        .expect(400);
    app.post(
        "/api/v1/auth/password-reset/confirm",
        None,
        &json!({"token": token, "new_password": "linus's own password"}),
    )
    .await
    .expect(204);
    let session = app
        .password_login("linus@acme.test", "linus's own password")
        .await
        .expect(200);
    let linus = session["access_token"].as_str().unwrap();
    let me = app.get("/api/v1/me", Some(linus)).await.expect(200);
    assert_eq!(me["sme_id"], net.sme_a.as_str());
    let own = app
        .get(&format!("{path}/{member_id}"), Some(linus))
        .await
        .expect(200);
    assert_eq!(own["state"], "active");
    // No language was chosen for Linus: his portal follows his browser.
    assert!(me["locale"].is_null(), "{me}");

    // A colleague invited in French is mailed in French and has French as their language.
    app.post(
        &path,
        Some(&net.member_a.token),
        &json!({"email": "margot@acme.test", "name": "Margot", "locale": "fr"}),
    )
    .await
    .expect(201);
    let mail = app.mail_to("margot@acme.test", "Acme Robotics").await;
    assert!(
        mail.subject().starts_with("Votre invitation"),
        "{}",
        mail.subject()
    );
    let refused = app
        .post(
            &path,
            Some(&net.member_a.token),
            &json!({"email": "otto@acme.test", "name": "Otto", "locale": "EN"}),
        )
        .await;
    assert_eq!(refused.invalid_fields(), vec!["locale"]);

    // The home cluster's people invite too (its API client may not: people only); an address
    // with an account is 409.
    app.post(
        &path,
        Some(&net.client_a.token),
        &json!({"email": "noor@acme.test", "name": "Colleague"}),
    )
    .await
    .expect_problem(403, "people_only");
    for (token, email) in [
        (&net.manager_a.token, "mia@acme.test"),
        (&net.admin.token, "olga@acme.test"),
    ] {
        app.post(
            &path,
            Some(token),
            &json!({"email": email, "name": "Colleague"}),
        )
        .await
        .expect(201);
    }
    for taken in ["LINUS@acme.test", "manager@kista.test"] {
        app.post(
            &path,
            Some(&net.member_a.token),
            &json!({"email": taken, "name": "Again"}),
        )
        .await
        .expect_problem(409, "email_taken");
    }
    let invalid = app
        .post(
            &path,
            Some(&net.member_a.token),
            &json!({"email": "nope", "role": "admin"}),
        )
        .await;
    assert_eq!(
        sorted(invalid.invalid_fields()),
        vec!["email", "name", "role"]
    );

    let members = app.get(&path, Some(linus)).await.expect(200);
    let emails: Vec<&str> = members["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m["email"].as_str().unwrap())
        .collect();
    assert_eq!(
        emails,
        vec![
            "ada@acme.test",
            "linus@acme.test",
            "margot@acme.test",
            "mia@acme.test",
            "olga@acme.test"
        ]
    );
    app.get(&format!("{path}/{member_id}"), Some(&net.manager_b.token))
        .await
        .expect_problem(404, "not_found");
    app.get(
        &format!("{path}/{}", net.manager_a.id),
        Some(&net.admin.token),
    )
    .await
    .expect_problem(404, "not_found");
}

#[tokio::test]
async fn sme_endpoints_are_documented_in_openapi() {
    let app = spawn_app().await;
    let spec = app.get("/openapi.json", None).await.expect(200);
    for (path, method) in [
        ("/api/v1/smes", "post"),
        ("/api/v1/smes", "get"),
        ("/api/v1/smes/{id}", "get"),
        ("/api/v1/smes/{id}", "patch"),
        ("/api/v1/smes/{id}/verify", "post"),
        ("/api/v1/smes/{id}/decline", "post"),
        ("/api/v1/smes/{id}/members", "post"),
        ("/api/v1/smes/{id}/members", "get"),
        ("/api/v1/smes/{id}/matches", "get"),
    ] {
        let op = &spec["paths"][path][method];
        assert_eq!(op["tags"], json!(["smes"]), "{method} {path}");
    }
    let sign_up = &spec["components"]["schemas"]["SignUpRequest"];
    assert_eq!(
        sign_up["required"],
        json!(["name", "country", "sector", "home_cluster_id", "contact"])
    );
    let patch = &spec["components"]["schemas"]["PatchSmeRequest"]["properties"];
    assert!(patch.get("membership").is_none() && patch.get("target_markets").is_some());
    assert!(patch.get("languages").is_some() && sign_up["properties"].get("languages").is_some());
}

#[tokio::test]
async fn concurrent_writers_with_one_etag_and_one_address_win_once() {
    let app = spawn_app().await;
    let net = network(&app).await;
    let path = format!("/api/v1/smes/{}", net.sme_a);
    let etag = app
        .get(&path, Some(&net.member_a.token))
        .await
        .header("etag")
        .unwrap();
    let bodies: Vec<Value> = (0..8).map(|i| json!({"employees": i + 1})).collect();
    let patches = bodies
        .iter()
        .map(|b| app.send_if_match(Method::PATCH, &path, &net.manager_a.token, &etag, b));
    let replies = futures_util::future::join_all(patches).await;
    let mut statuses: Vec<u16> = replies.iter().map(|r| r.status.as_u16()).collect();
    statuses.sort();
    assert_eq!(statuses, [vec![200], vec![412; 7]].concat(), "{replies:?}");

    let sign_ups: Vec<Value> = (0..6)
        .map(|i| sme_sign_up(&net.cluster_a, &format!("Twin {i}"), "twin@twins.test"))
        .collect();
    let replies =
        futures_util::future::join_all(sign_ups.iter().map(|b| app.post("/api/v1/smes", None, b)))
            .await;
    let mut statuses: Vec<u16> = replies.iter().map(|r| r.status.as_u16()).collect();
    statuses.sort();
    assert_eq!(statuses, [vec![201], vec![409; 5]].concat(), "{replies:?}");
    let all = app
        .get("/api/v1/smes", Some(&net.admin.token))
        .await
        .expect(200);
    assert_eq!(ids(&all).len(), 2, "the losers left no SME behind");
}
