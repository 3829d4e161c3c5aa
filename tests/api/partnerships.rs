//! Partnerships: every transition and every illegal one, who may act, visibility, the audit
//! trail, the emails to both clusters, validation, and one open partnership per pair even
//! under concurrent proposals.

use serde_json::{Value, json};

use crate::fixtures::{Network, network};
use crate::helpers::{TestApp, spawn_app};

async fn propose(app: &TestApp, net: &Network, terms: Value) -> Value {
    app.post(
        "/api/v1/partnerships",
        Some(&net.manager_a.token),
        &json!({"partner_cluster_id": net.cluster_b, "terms": terms}),
    )
    .await
    .expect(201)
}

async fn act(app: &TestApp, token: &str, id: &str, action: &str) -> crate::helpers::Reply {
    app.post(
        &format!("/api/v1/partnerships/{id}/{action}"),
        Some(token),
        &json!({}),
    )
    .await
}

#[tokio::test]
async fn the_whole_lifecycle_with_its_audit_trail_and_emails() {
    let app = spawn_app().await;
    let net = network(&app).await;
    let created = app
        .post(
            "/api/v1/partnerships",
            Some(&net.manager_a.token),
            &json!({"partner_cluster_id": net.cluster_b, "terms": {
                "max_free_days": 10, "services": ["desk_space", "introductions"],
                "home_endorsement_required": true, "notes": "Reciprocal, renewed yearly"}}),
        )
        .await;
    let p = created.expect(201);
    let id = p["id"].as_str().unwrap().to_owned();
    assert_eq!(
        created.header("location").unwrap(),
        format!("/api/v1/partnerships/{id}")
    );
    assert!(created.header("etag").is_some());
    assert_eq!(p["state"], "proposed");
    assert_eq!(p["proposer_cluster_id"], net.cluster_a);
    assert_eq!(p["partner_cluster_id"], net.cluster_b);
    assert_eq!(
        p["terms"],
        json!({"max_free_days": 10, "services": ["desk_space", "introductions"],
               "home_endorsement_required": true, "notes": "Reciprocal, renewed yearly"})
    );
    // Both clusters' contacts and managers hear of the proposal.
    let contact_b = app.cluster_contact(&net.cluster_b).await;
    for to in [
        app.cluster_contact(&net.cluster_a).await,
        contact_b.clone(),
        net.manager_a.email.clone(),
        net.manager_b.email.clone(),
    ] {
        let mail = app.mail_to(&to, "Partnership proposed").await;
        assert!(mail.text().contains("CyberForum") && mail.text().contains("Kista Science City"));
        assert!(mail.text().contains("free working days per landing: 10"));
    }

    let steps = [
        (&net.manager_b.token, "accept", "active", "accepted"),
        (&net.manager_a.token, "suspend", "suspended", "suspended"),
        (&net.manager_b.token, "resume", "active", "resumed"),
        (&net.client_a.token, "terminate", "terminated", "terminated"),
    ];
    for (token, action, state, past) in steps {
        let reply = act(&app, token, &id, action).await;
        assert_eq!(reply.expect(200)["state"], state, "{action}");
        app.mail_to(&contact_b, &format!("Partnership {past}"))
            .await;
        app.mail_to(&net.manager_a.email, &format!("Partnership {past}"))
            .await;
    }

    let events = app
        .get(
            &format!("/api/v1/partnerships/{id}/events"),
            Some(&net.manager_b.token),
        )
        .await
        .expect(200);
    let trail: Vec<(String, Option<String>, String)> = events["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| {
            (
                e["action"].as_str().unwrap().to_owned(),
                e["from_state"].as_str().map(str::to_owned),
                e["to_state"].as_str().unwrap().to_owned(),
            )
        })
        .collect();
    let expected = [
        ("propose", None, "proposed"),
        ("accept", Some("proposed"), "active"),
        ("suspend", Some("active"), "suspended"),
        ("resume", Some("suspended"), "active"),
        ("terminate", Some("active"), "terminated"),
    ];
    assert_eq!(trail.len(), expected.len());
    for ((a, f, t), (ea, ef, et)) in trail.iter().zip(expected) {
        assert_eq!((a.as_str(), f.as_deref(), t.as_str()), (ea, ef, et));
    }
    let first = &events["items"][0];
    assert_eq!(first["actor"]["id"], net.manager_a.id);
    assert_eq!(first["actor"]["kind"], "user");
    assert_eq!(events["items"][4]["actor"]["kind"], "api_client");
    assert!(first["at"].as_str().unwrap().ends_with('Z'));
}

#[tokio::test]
async fn illegal_transitions_are_409() {
    let app = spawn_app().await;
    let net = network(&app).await;
    let id = propose(&app, &net, json!({})).await["id"]
        .as_str()
        .unwrap()
        .to_owned();
    for action in ["suspend", "resume", "terminate"] {
        act(&app, &net.manager_b.token, &id, action)
            .await
            .expect_problem(409, "illegal_transition");
    }
    act(&app, &net.manager_b.token, &id, "accept")
        .await
        .expect(200);
    for action in ["accept", "decline", "resume"] {
        act(&app, &net.manager_b.token, &id, action)
            .await
            .expect_problem(409, "illegal_transition");
    }
    act(&app, &net.manager_b.token, &id, "terminate")
        .await
        .expect(200);
    for action in ["accept", "decline", "suspend", "resume", "terminate"] {
        act(&app, &net.manager_b.token, &id, action)
            .await
            .expect_problem(409, "illegal_transition");
    }
    // Declined is final too, and frees the pair for a new proposal.
    let again = propose(&app, &net, json!({})).await["id"]
        .as_str()
        .unwrap()
        .to_owned();
    act(&app, &net.manager_b.token, &again, "decline")
        .await
        .expect(200);
    act(&app, &net.manager_b.token, &again, "accept")
        .await
        .expect_problem(409, "illegal_transition");
    propose(&app, &net, json!({})).await;
}

#[tokio::test]
async fn who_may_act_and_who_may_see() {
    let app = spawn_app().await;
    let net = network(&app).await;
    let cluster_c = app.create_cluster(&net.admin, "Cork IT").await;
    let manager_c = app
        .manager(&net.admin, &cluster_c, "manager@cork.test")
        .await;
    let id = propose(&app, &net, json!({})).await["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let path = format!("/api/v1/partnerships/{id}");

    // The proposer cannot answer its own proposal; the SME member and the admin see it but
    // may not act; an unrelated cluster does not see it at all.
    act(&app, &net.manager_a.token, &id, "accept")
        .await
        .expect_problem(403, "forbidden");
    act(&app, &net.member_a.token, &id, "accept")
        .await
        .expect_problem(403, "forbidden");
    act(&app, &net.admin.token, &id, "accept")
        .await
        .expect_problem(403, "forbidden");
    act(&app, &manager_c.token, &id, "accept")
        .await
        .expect_problem(404, "not_found");
    app.get(&path, Some(&manager_c.token))
        .await
        .expect_problem(404, "not_found");
    app.get(&format!("{path}/events"), Some(&manager_c.token))
        .await
        .expect_problem(404, "not_found");
    app.get(&path, None)
        .await
        .expect_problem(401, "unauthorized");
    for token in [
        &net.admin.token,
        &net.manager_a.token,
        &net.manager_b.token,
        &net.member_a.token,
        &net.client_a.token,
    ] {
        app.get(&path, Some(token)).await.expect(200);
    }
    // Only a cluster's managers propose.
    for token in [&net.admin.token, &net.member_a.token] {
        app.post(
            "/api/v1/partnerships",
            Some(token),
            &json!({"partner_cluster_id": cluster_c}),
        )
        .await
        .expect_problem(403, "forbidden");
    }

    // Lists show what the caller may see.
    let c_to_b = app
        .post(
            "/api/v1/partnerships",
            Some(&manager_c.token),
            &json!({"partner_cluster_id": net.cluster_b}),
        )
        .await
        .expect(201);
    let count = |v: &Value| v["items"].as_array().unwrap().len();
    assert_eq!(
        count(
            &app.get("/api/v1/partnerships", Some(&net.admin.token))
                .await
                .expect(200)
        ),
        2
    );
    assert_eq!(
        count(
            &app.get("/api/v1/partnerships", Some(&net.manager_b.token))
                .await
                .expect(200)
        ),
        2
    );
    assert_eq!(
        count(
            &app.get("/api/v1/partnerships", Some(&net.manager_a.token))
                .await
                .expect(200)
        ),
        1
    );
    assert_eq!(
        count(
            &app.get("/api/v1/partnerships", Some(&manager_c.token))
                .await
                .expect(200)
        ),
        1
    );
    assert_eq!(
        count(
            &app.get("/api/v1/partnerships", Some(&net.member_a.token))
                .await
                .expect(200)
        ),
        1
    );
    let filtered = app
        .get(
            &format!("/api/v1/partnerships?cluster_id={cluster_c}"),
            Some(&net.manager_b.token),
        )
        .await
        .expect(200);
    assert_eq!(filtered["items"][0]["id"], c_to_b["id"]);
    let none = app
        .get(
            &format!("/api/v1/partnerships?cluster_id={cluster_c}"),
            Some(&net.manager_a.token),
        )
        .await
        .expect(200);
    assert_eq!(
        count(&none),
        0,
        "filters narrow what the caller may see, never widen it"
    );
    assert_eq!(
        count(
            &app.get("/api/v1/partnerships?state=active", Some(&net.admin.token))
                .await
                .expect(200)
        ),
        0
    );
    assert_eq!(
        app.get("/api/v1/partnerships?state=dormant", Some(&net.admin.token))
            .await
            .invalid_fields(),
        vec!["state"]
    );
}

#[tokio::test]
async fn defaults_and_validation() {
    let app = spawn_app().await;
    let net = network(&app).await;
    let p = app
        .post(
            "/api/v1/partnerships",
            Some(&net.manager_a.token),
            &json!({"partner_cluster_id": net.cluster_b}),
        )
        .await
        .expect(201);
    assert_eq!(p["terms"]["max_free_days"], 5);
    assert_eq!(p["terms"]["home_endorsement_required"], false);
    assert_eq!(p["terms"]["services"].as_array().unwrap().len(), 6);

    let bad = app
        .post(
            "/api/v1/partnerships",
            Some(&net.manager_a.token),
            &json!({"terms": {"max_free_days": 0, "services": ["desk_space", "teleport"], "perks": true}}),
        )
        .await;
    let mut fields = bad.invalid_fields();
    fields.sort();
    assert_eq!(
        fields,
        vec![
            "partner_cluster_id",
            "terms.max_free_days",
            "terms.perks",
            "terms.services[1]"
        ]
    );
    let days = app
        .post(
            "/api/v1/partnerships",
            Some(&net.manager_a.token),
            &json!({"partner_cluster_id": net.cluster_b, "terms": {"max_free_days": 91}}),
        )
        .await;
    assert_eq!(days.invalid_fields(), vec!["terms.max_free_days"]);
    let own = app
        .post(
            "/api/v1/partnerships",
            Some(&net.manager_a.token),
            &json!({"partner_cluster_id": net.cluster_a}),
        )
        .await;
    assert_eq!(own.invalid_fields(), vec!["partner_cluster_id"]);
    let unknown = app
        .post(
            "/api/v1/partnerships",
            Some(&net.manager_a.token),
            &json!({"partner_cluster_id": "nope"}),
        )
        .await;
    assert_eq!(unknown.invalid_fields(), vec!["partner_cluster_id"]);
}

#[tokio::test]
async fn one_open_partnership_per_pair_even_under_concurrent_proposals() {
    let app = spawn_app().await;
    let net = network(&app).await;
    let proposals = (0..16).map(|i| {
        let (token, partner) = if i % 2 == 0 {
            (net.manager_a.token.clone(), net.cluster_b.clone())
        } else {
            (net.manager_b.token.clone(), net.cluster_a.clone())
        };
        let app = &app;
        async move {
            app.post(
                "/api/v1/partnerships",
                Some(&token),
                &json!({"partner_cluster_id": partner}),
            )
            .await
        }
    });
    let replies = futures_util::future::join_all(proposals).await;
    let created = replies.iter().filter(|r| r.status == 201).count();
    for r in &replies {
        if r.status != 201 {
            r.expect_problem(409, "partnership_exists");
        }
    }
    assert_eq!(created, 1, "exactly one proposal wins");
    let all = app
        .get("/api/v1/partnerships", Some(&net.admin.token))
        .await
        .expect(200);
    assert_eq!(all["items"].as_array().unwrap().len(), 1);
}
