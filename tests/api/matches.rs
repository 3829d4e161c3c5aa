//! `GET /smes/{id}/matches`: which offers are eligible (one assertion per rule), their scores
//! and reasons, the order and its paging, who may ask, and bad queries.

use chrono::NaiveDate;
use serde_json::{Value, json};
use softlanding::domain::offer::OfferKind;
use softlanding::domain::partnership::Terms;

use crate::fixtures::{Actor, Network, network, other_sme};
use crate::helpers::{TestApp, spawn_app};
use crate::landings::{PURPOSE, day, host_today, partner, partner_on};

/// An offer of `cluster` made by its `manager` with `overrides` on an offer open every day
/// from today for 300 days; published unless `draft`. Its id.
async fn offer_at(
    app: &TestApp,
    manager: &Actor,
    cluster: &str,
    overrides: Value,
    draft: bool,
) -> String {
    let today = host_today();
    let mut body = crate::offers::desk(json!({
        "available_from": today.to_string(),
        "available_until": day(today, 300),
        "open_weekdays": [1, 2, 3, 4, 5, 6, 7],
        "languages": ["en"],
        "sectors": ["software"],
    }));
    for (k, v) in overrides.as_object().unwrap() {
        body[k] = v.clone();
    }
    let id = app
        .post(
            &format!("/api/v1/clusters/{cluster}/offers"),
            Some(&manager.token),
            &body,
        )
        .await
        .expect(201)["id"]
        .as_str()
        .unwrap()
        .to_owned();
    if !draft {
        app.post(
            &format!("/api/v1/offers/{id}/publish"),
            Some(&manager.token),
            &json!({}),
        )
        .await
        .expect(200);
    }
    id
}

/// The matches of the tests, for cluster A's SME (sector software, target market SE, speaks
/// English):
///
/// - B (SE) is A's partner on every kind; C (DE) only on mentoring; D was proposed to, never
///   accepted;
/// - `b1`: B's desk, software, English, capacity 1, one day of the next 90 fully booked;
/// - `b2`: B's desk for fintech, in Swedish; `c1`: C's mentoring, software, English;
/// - not eligible: `b_draft` (a draft), `b_later` (opens in 100 days), `b_closed` (its only
///   days blacked out), `c_desk` (a kind A and C's terms leave out), `d1` (no active
///   partnership), `a1` (the SME's own cluster's).
struct Matches {
    net: Network,
    today: NaiveDate,
    b1: String,
    b2: String,
    c1: String,
    b_later: String,
    ineligible: Vec<(&'static str, String)>,
}

async fn matches_network(app: &TestApp) -> Matches {
    let net = network(app).await;
    let today = host_today();
    app.patch(
        &format!("/api/v1/clusters/{}", net.cluster_b),
        Some(&net.admin.token),
        &json!({"country": "SE"}),
    )
    .await
    .expect(200);
    app.patch(
        &format!("/api/v1/smes/{}", net.sme_a),
        Some(&net.member_a.token),
        &json!({"target_markets": ["SE"], "languages": ["en", "fr"]}),
    )
    .await
    .expect(200);
    let cluster_c = app.create_cluster(&net.admin, "Silicon Saxony").await;
    let manager_c = app
        .manager(&net.admin, &cluster_c, "manager@saxony.test")
        .await;
    let cluster_d = app.create_cluster(&net.admin, "Lonely Valley").await;
    let manager_d = app
        .manager(&net.admin, &cluster_d, "manager@lonely.test")
        .await;
    partner(
        app,
        &net.manager_a,
        &net.manager_b,
        &net.cluster_b,
        5,
        false,
    )
    .await;
    partner_on(
        app,
        &net.manager_a,
        &manager_c,
        &cluster_c,
        Terms {
            max_free_days: 5,
            services: vec![OfferKind::Mentoring],
            home_endorsement_required: false,
            notes: None,
        },
    )
    .await;
    app.post(
        "/api/v1/partnerships",
        Some(&net.manager_a.token),
        &json!({"partner_cluster_id": cluster_d}),
    )
    .await
    .expect(201);

    let (b, c) = ((&net.manager_b, &net.cluster_b), (&manager_c, &cluster_c));
    let b1 = offer_at(app, b.0, b.1, json!({"capacity": 1}), false).await;
    let b2 = offer_at(
        app,
        b.0,
        b.1,
        json!({"languages": ["sv"], "sectors": ["fintech"]}),
        false,
    )
    .await;
    let c1 = offer_at(app, c.0, c.1, json!({"kind": "mentoring"}), false).await;
    let b_draft = offer_at(app, b.0, b.1, json!({}), true).await;
    let b_later = offer_at(
        app,
        b.0,
        b.1,
        json!({"available_from": day(today, 100), "available_until": day(today, 200)}),
        false,
    )
    .await;
    let b_closed = offer_at(
        app,
        b.0,
        b.1,
        json!({"available_until": day(today, 5)}),
        true,
    )
    .await;
    app.post(
        &format!("/api/v1/offers/{b_closed}/blackouts"),
        Some(&b.0.token),
        &json!({"start_date": day(today, 0), "end_date": day(today, 5), "reason": "Renovation"}),
    )
    .await
    .expect(201);
    app.post(
        &format!("/api/v1/offers/{b_closed}/publish"),
        Some(&b.0.token),
        &json!({}),
    )
    .await
    .expect(200);
    let c_desk = offer_at(app, c.0, c.1, json!({}), false).await;
    let d1 = offer_at(app, &manager_d, &cluster_d, json!({}), false).await;
    let a1 = offer_at(app, &net.manager_a, &net.cluster_a, json!({}), false).await;

    // One day of b1's only place is taken.
    let landing = app
        .post(
            "/api/v1/landings",
            Some(&net.member_a.token),
            &json!({
                "offer_id": b1,
                "start_date": day(today, 3),
                "end_date": day(today, 3),
                "headcount": 1,
                "purpose": PURPOSE,
            }),
        )
        .await
        .expect(201);
    app.post(
        &format!(
            "/api/v1/landings/{}/approve",
            landing["id"].as_str().unwrap()
        ),
        Some(&b.0.token),
        &json!({}),
    )
    .await
    .expect(200);
    app.settle().await;
    Matches {
        net,
        today,
        b1,
        b2,
        c1,
        b_later: b_later.clone(),
        ineligible: vec![
            ("a draft", b_draft),
            ("no open day in the next 90 days", b_later),
            ("every open day blacked out", b_closed),
            ("a kind the terms do not cover", c_desk),
            ("a partnership never accepted", d1),
            ("the home cluster's own", a1),
        ],
    }
}

impl Matches {
    fn path(&self, query: &str) -> String {
        format!("/api/v1/smes/{}/matches{query}", self.net.sme_a)
    }
}

fn ids(page: &Value) -> Vec<String> {
    page["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["offer"]["id"].as_str().unwrap().to_owned())
        .collect()
}

fn item<'a>(page: &'a Value, id: &str) -> &'a Value {
    page["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["offer"]["id"] == id)
        .unwrap_or_else(|| panic!("{id} is not among {page}"))
}

#[tokio::test]
async fn only_eligible_offers_match_best_first() {
    let app = spawn_app().await;
    let m = matches_network(&app).await;
    let page = app
        .get(&m.path(""), Some(&m.net.member_a.token))
        .await
        .expect(200);
    let found = ids(&page);
    for (rule, id) in &m.ineligible {
        assert!(!found.contains(id), "{rule}: {id} should not match");
    }
    // b1 first; b2 and c1 tie at 0.65 and follow in id order.
    let mut tied = vec![m.b2.clone(), m.c1.clone()];
    tied.sort();
    assert_eq!(found, [vec![m.b1.clone()], tied].concat());
    assert_eq!(page["next_cursor"], Value::Null);

    let b1 = item(&page, &m.b1);
    // 0.35 + 0.30 + 0.20 + 0.15 × 89/90 (1483 of 1500 points).
    assert_eq!(b1["score"], 0.9983);
    assert_eq!(
        b1["reasons"],
        json!([
            {"factor": "target_market", "detail": "SE is a target market", "contribution": 0.35},
            {"factor": "sector", "detail": "the offer is for the software sector", "contribution": 0.3},
            {"factor": "language", "detail": "the offer is held in en, which the SME speaks", "contribution": 0.2},
            {"factor": "free_places", "detail": "places free on 89 of 90 open days in the window", "contribution": 0.1483},
        ])
    );
    // The offer as the search shows it, with its host cluster.
    assert_eq!(b1["offer"]["state"], "published");
    assert_eq!(b1["offer"]["capacity"], 1);
    assert_eq!(b1["offer"]["cluster"]["id"], m.net.cluster_b.as_str());
    assert_eq!(b1["offer"]["cluster"]["country"], "SE");

    let b2 = item(&page, &m.b2);
    assert_eq!(b2["score"], 0.65);
    let factors: Vec<&str> = b2["reasons"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["factor"].as_str().unwrap())
        .collect();
    assert_eq!(factors, ["target_market", "sector", "free_places"]);
    assert_eq!(
        b2["reasons"][1]["detail"],
        "the host cluster works in the software sector"
    );
    let c1 = item(&page, &m.c1);
    assert_eq!(c1["score"], 0.65);
    assert_eq!(c1["offer"]["kind"], "mentoring");

    // A window of the SME's choosing: the offer that opens later is in it, b1's booked day is
    // not, so b1 has places on all 21 days.
    let later = app
        .get(
            &m.path(&format!(
                "?from={}&to={}",
                day(m.today, 100),
                day(m.today, 120)
            )),
            Some(&m.net.member_a.token),
        )
        .await
        .expect(200);
    let found = ids(&later);
    // b1 and the later offer both score 1 now, and keep id order.
    let mut best = [m.b1.clone(), m.b_later.clone()];
    best.sort();
    assert_eq!(found[..2], best[..], "{later}");
    assert_eq!(item(&later, &m.b1)["score"], 1.0);
    assert_eq!(item(&later, &m.b_later)["score"], 1.0);
    assert_eq!(
        item(&later, &m.b1)["reasons"][3]["detail"],
        "places free on 21 of 21 open days in the window"
    );

    // The other side of the partnership sees A's offers.
    let lonely = other_sme(&app, &m.net).await;
    let none = app
        .get(
            &format!("/api/v1/smes/{}/matches", lonely.sme),
            Some(&lonely.member.token),
        )
        .await
        .expect(200);
    // B's SME: B's only partner is A, whose one published offer is `a1`.
    assert_eq!(ids(&none).len(), 1);
    assert_eq!(
        none["items"][0]["offer"]["cluster"]["id"],
        m.net.cluster_a.as_str()
    );
}

#[tokio::test]
async fn pages_follow_the_order_to_the_end() {
    let app = spawn_app().await;
    let m = matches_network(&app).await;
    let token = &m.net.member_a.token;
    let all = ids(&app
        .get(&m.path("?limit=100"), Some(token))
        .await
        .expect(200));
    assert_eq!(all.len(), 3);
    let mut walked = Vec::new();
    let mut path = m.path("?limit=1");
    loop {
        let page = app.get(&path, Some(token)).await.expect(200);
        assert_eq!(page["items"].as_array().unwrap().len(), 1);
        walked.extend(ids(&page));
        match page["next_cursor"].as_str() {
            Some(cursor) => path = m.path(&format!("?limit=1&cursor={cursor}")),
            None => break,
        }
    }
    assert_eq!(walked, all);
    app.get(&m.path("?cursor=bm90LWEtY3Vyc29y"), Some(token))
        .await
        .expect_problem(400, "invalid_cursor");
}

#[tokio::test]
async fn the_sme_its_home_cluster_and_the_admin_see_matches_others_do_not() {
    let app = spawn_app().await;
    let m = matches_network(&app).await;
    let expected = ids(&app
        .get(&m.path(""), Some(&m.net.member_a.token))
        .await
        .expect(200));
    for who in [&m.net.manager_a, &m.net.client_a, &m.net.admin] {
        let page = app.get(&m.path(""), Some(&who.token)).await.expect(200);
        assert_eq!(ids(&page), expected);
    }
    let stranger = other_sme(&app, &m.net).await;
    for who in [&m.net.manager_b, &stranger.member] {
        app.get(&m.path(""), Some(&who.token))
            .await
            .expect_problem(404, "not_found");
    }
    app.get(&m.path(""), None)
        .await
        .expect_problem(401, "unauthorized");
    app.get(
        "/api/v1/smes/01900000-0000-7000-8000-000000000000/matches",
        Some(&m.net.admin.token),
    )
    .await
    .expect_problem(404, "not_found");
    // Whoever may not see the SME learns nothing about the query either.
    app.get(&m.path("?from=nope"), Some(&m.net.manager_b.token))
        .await
        .expect_problem(404, "not_found");
}

#[tokio::test]
async fn bad_windows_and_limits_are_422() {
    let app = spawn_app().await;
    let net = network(&app).await;
    let path = |q: &str| format!("/api/v1/smes/{}/matches?{q}", net.sme_a);
    let cases: [(&str, &[&str]); 6] = [
        ("from=2027-01-01", &["to"]),
        ("to=2027-01-01", &["from"]),
        ("from=2027-02-30&to=2027-03-01", &["from"]),
        ("from=2027-03-02&to=2027-03-01", &["to"]),
        ("from=2027-01-01&to=2028-01-02", &["to"]),
        ("limit=0", &["limit"]),
    ];
    for (query, fields) in cases {
        let reply = app.get(&path(query), Some(&net.member_a.token)).await;
        assert_eq!(reply.invalid_fields(), fields.to_vec(), "{query}");
    }
    // The SME's profile carries its languages, which are checked.
    let profile = format!("/api/v1/smes/{}", net.sme_a);
    let reply = app
        .patch(
            &profile,
            Some(&net.member_a.token),
            &json!({"languages": ["en", "xx"]}),
        )
        .await;
    assert_eq!(reply.invalid_fields(), ["languages[1]"]);
    let sme = app
        .patch(
            &profile,
            Some(&net.member_a.token),
            &json!({"languages": ["EN", "sv", "en"]}),
        )
        .await
        .expect(200);
    assert_eq!(sme["languages"], json!(["en", "sv"]));
}
