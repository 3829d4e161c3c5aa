//! Landings: every acceptance rule, every transition and every illegal one, tenant isolation,
//! approval under concurrency, the audit trail, the calendar entry, feedback and the sweep.

use chrono::{Datelike, Days, NaiveDate};
use serde_json::{Value, json};
use softlanding::domain::offer::OfferKind;
use softlanding::domain::partnership::Terms;

use crate::fixtures::{Actor, Network, network};
use crate::helpers::{TestApp, spawn_app};
use crate::offers::desk;

pub const PURPOSE: &str = "Meet robotics integrators in the Karlsruhe region and test the market.";

/// The network with a visiting side: cluster B's verified SME and its member, an active
/// partnership between A and B, and a published offer of cluster A open every day.
pub struct Landings {
    pub net: Network,
    pub sme_b: String,
    pub member_b: Actor,
    pub partnership: String,
    pub offer: String,
    /// Today in the host's time zone (Europe/Berlin).
    pub today: NaiveDate,
}

pub fn host_today() -> NaiveDate {
    softlanding::clock::Clock::system().today_in("Europe/Berlin")
}

pub fn day(today: NaiveDate, offset: u64) -> String {
    (today + Days::new(offset)).to_string()
}

/// Every kind of offer, with these free days and this endorsement rule.
pub fn terms(max_free_days: i32, endorsement: bool) -> Terms {
    Terms {
        max_free_days,
        services: OfferKind::ALL.to_vec(),
        home_endorsement_required: endorsement,
        notes: None,
    }
}

/// Makes the clusters of `proposer` and `partner` partners with these terms, covering every
/// kind of offer: `proposer` proposes, `partner` accepts.
pub async fn partner(
    app: &TestApp,
    proposer: &Actor,
    partner: &Actor,
    partner_cluster: &str,
    max_free_days: i32,
    endorsement: bool,
) -> String {
    partner_on(
        app,
        proposer,
        partner,
        partner_cluster,
        terms(max_free_days, endorsement),
    )
    .await
}

/// Makes the clusters of `proposer` and `partner` partners on `terms`: `proposer` proposes
/// them to `partner_cluster`, whose manager `partner` accepts.
pub async fn partner_on(
    app: &TestApp,
    proposer: &Actor,
    partner: &Actor,
    partner_cluster: &str,
    terms: Terms,
) -> String {
    let mut terms = serde_json::to_value(terms).unwrap();
    if terms["notes"].is_null() {
        terms.as_object_mut().unwrap().remove("notes");
    }
    let proposed = app
        .post(
            "/api/v1/partnerships",
            Some(&proposer.token),
            &json!({"partner_cluster_id": partner_cluster, "terms": terms}),
        )
        .await
        .expect(201);
    let id = proposed["id"].as_str().unwrap().to_owned();
    let accepted = app
        .post(
            &format!("/api/v1/partnerships/{id}/accept"),
            Some(&partner.token),
            &json!({}),
        )
        .await
        .expect(200);
    assert_eq!(accepted["state"], "active");
    id
}

/// The visiting side of cluster A's offers: cluster B's SME (verified, with its own contact
/// address) and a colleague of its contact, and an active partnership of A and B.
pub struct Visitors {
    pub sme: String,
    pub member: Actor,
    pub partnership: String,
}

pub async fn visitors(app: &TestApp, net: &Network, endorsement: bool) -> Visitors {
    let sme = app
        .verified_sme(
            &net.manager_b,
            &net.cluster_b,
            "Nordic Drones",
            "contact@nordic-drones.example.org",
        )
        .await;
    let member = app
        .sme_member(&net.manager_b, &sme, "lars@nordic.test")
        .await;
    let partnership = partner(
        app,
        &net.manager_a,
        &net.manager_b,
        &net.cluster_b,
        5,
        endorsement,
    )
    .await;
    app.settle().await;
    Visitors {
        sme,
        member,
        partnership,
    }
}

/// Takes `visitors` places at `offer` on `day` the way places are taken: `visitor` asks for
/// that one day and `host` approves. A day the application already sees as past is booked
/// with its clock set back to that day, and then forward again.
pub async fn book(
    app: &TestApp,
    host: &Actor,
    visitor: &Actor,
    offer: &str,
    day: NaiveDate,
    visitors: i64,
) -> String {
    let back = (app.today_in("Europe/Berlin") - day).num_days().max(0);
    app.advance(chrono::TimeDelta::days(-back));
    let landing = app
        .post(
            "/api/v1/landings",
            Some(&visitor.token),
            &json!({
                "offer_id": offer,
                "start_date": day.to_string(),
                "end_date": day.to_string(),
                "headcount": visitors,
                "purpose": PURPOSE,
            }),
        )
        .await
        .expect(201);
    let id = landing["id"].as_str().unwrap().to_owned();
    let approved = app
        .post(
            &format!("/api/v1/landings/{id}/approve"),
            Some(&host.token),
            &json!({}),
        )
        .await
        .expect(200);
    assert_eq!(approved["state"], "approved");
    app.advance(chrono::TimeDelta::days(back));
    id
}

/// A desk open every day for 300 days from today, 3 places, stays of at most 5 days, with
/// `overrides` on top: the offer body of these tests.
pub fn offer_body(overrides: Value) -> Value {
    let today = host_today();
    let mut body = desk(json!({
        "available_from": today.to_string(),
        "available_until": day(today, 300),
        "open_weekdays": [1, 2, 3, 4, 5, 6, 7],
        "capacity": 3,
        "max_stay_days": 5,
    }));
    for (k, v) in overrides.as_object().unwrap() {
        body[k] = v.clone();
    }
    body
}

pub async fn publish_offer(app: &TestApp, net: &Network, overrides: Value) -> String {
    let offer = crate::offers::create_offer(app, net, offer_body(overrides)).await;
    let id = offer["id"].as_str().unwrap().to_owned();
    app.post(
        &format!("/api/v1/offers/{id}/publish"),
        Some(&net.manager_a.token),
        &json!({}),
    )
    .await
    .expect(200);
    id
}

pub async fn landings_with(app: &TestApp, endorsement: bool) -> Landings {
    let net = network(app).await;
    let visitors = visitors(app, &net, endorsement).await;
    let offer = publish_offer(app, &net, json!({})).await;
    app.settle().await;
    Landings {
        net,
        sme_b: visitors.sme,
        member_b: visitors.member,
        partnership: visitors.partnership,
        offer,
        today: host_today(),
    }
}

pub async fn landings(app: &TestApp) -> Landings {
    landings_with(app, false).await
}

impl Landings {
    /// A valid request body for the offer, `offset` days from today for `days` calendar days.
    pub fn request(&self, offset: u64, days: u64, headcount: i64) -> Value {
        json!({
            "offer_id": self.offer,
            "start_date": day(self.today, offset),
            "end_date": day(self.today, offset + days - 1),
            "headcount": headcount,
            "purpose": PURPOSE,
        })
    }

    pub async fn submit(&self, app: &TestApp, body: &Value) -> Value {
        app.post("/api/v1/landings", Some(&self.member_b.token), body)
            .await
            .expect(201)
    }

    /// Visitors booked per day of `[today + from, today + to]` at `offer`.
    pub async fn booked(&self, app: &TestApp, offer: &str, from: u64, to: u64) -> Vec<i64> {
        let path = format!(
            "/api/v1/offers/{offer}/availability?from={}&to={}",
            day(self.today, from),
            day(self.today, to)
        );
        app.get(&path, None)
            .await
            .expect(200)
            .as_array()
            .unwrap()
            .iter()
            .map(|d| d["booked"].as_i64().unwrap())
            .collect()
    }

    pub async fn act(
        &self,
        app: &TestApp,
        id: &str,
        action: &str,
        who: &Actor,
        body: Value,
    ) -> crate::helpers::Reply {
        app.post(
            &format!("/api/v1/landings/{id}/{action}"),
            Some(&who.token),
            &body,
        )
        .await
    }
}

fn id(v: &Value) -> String {
    v["id"].as_str().unwrap().to_owned()
}

#[tokio::test]
async fn a_request_is_created_pending_approval_with_everything_it_was_given() {
    let app = spawn_app().await;
    let l = landings(&app).await;
    let mut body = l.request(7, 3, 2);
    body["target_market"] = json!("DE");
    body["requested_services"] = json!(["desk_space", "introductions", "desk_space"]);
    let reply = app
        .post("/api/v1/landings", Some(&l.member_b.token), &body)
        .await;
    let landing = reply.expect(201);
    let location = reply.header("location").unwrap();
    assert_eq!(
        location,
        format!("/api/v1/landings/{}", landing["id"].as_str().unwrap())
    );
    assert!(reply.header("etag").is_some());
    assert_eq!(landing["state"], "pending_approval");
    assert_eq!(landing["offer_id"], l.offer);
    assert_eq!(landing["sme_id"], l.sme_b);
    assert_eq!(landing["host_cluster_id"], l.net.cluster_a);
    assert_eq!(landing["home_cluster_id"], l.net.cluster_b);
    assert_eq!(landing["partnership_id"], l.partnership);
    assert_eq!(landing["open_days"], 3);
    assert_eq!(landing["headcount"], 2);
    assert_eq!(landing["purpose"], PURPOSE);
    assert_eq!(landing["target_market"], "DE");
    assert_eq!(
        landing["requested_services"],
        json!(["desk_space", "introductions"])
    );
    assert_eq!(landing["start_date"], day(l.today, 7));
    assert!(landing["created_at"].is_string() && landing["updated_at"].is_string());

    let fetched = app
        .get(&location, Some(&l.member_b.token))
        .await
        .expect(200);
    assert_eq!(fetched, landing);
}

#[tokio::test]
async fn open_days_count_only_the_offers_open_weekdays() {
    let app = spawn_app().await;
    let l = landings(&app).await;
    // A Monday-to-Friday offer; a range of 14 calendar days from the next Monday.
    let weekday_offer = publish_offer(
        &app,
        &l.net,
        json!({"open_weekdays": [1, 2, 3, 4, 5], "max_stay_days": 10}),
    )
    .await;
    let partnership_terms_days = 5;
    let offset = 7 + (7 - u64::from(l.today.weekday().num_days_from_monday())) % 7;
    let monday = l.today + Days::new(offset);
    assert_eq!(monday.weekday(), chrono::Weekday::Mon);
    let body = json!({
        "offer_id": weekday_offer,
        "start_date": monday.to_string(),
        "end_date": (monday + Days::new(6)).to_string(),
        "headcount": 1,
        "purpose": PURPOSE,
    });
    let landing = l.submit(&app, &body).await;
    assert_eq!(
        landing["open_days"], 5,
        "Monday to Sunday holds five working days"
    );

    // Two working weeks are ten open days, over the partnership's five free days.
    let mut too_long = body.clone();
    too_long["end_date"] = json!((monday + Days::new(11)).to_string());
    let reply = app
        .post("/api/v1/landings", Some(&l.member_b.token), &too_long)
        .await;
    assert_eq!(reply.invalid_fields(), vec!["end_date"]);
    assert!(
        reply.json()["errors"][0]["message"]
            .as_str()
            .unwrap()
            .contains(&format!("at most {partnership_terms_days}"))
    );

    // A weekend alone holds no open day.
    let saturday = monday + Days::new(5);
    let mut weekend = body.clone();
    weekend["start_date"] = json!(saturday.to_string());
    weekend["end_date"] = json!((saturday + Days::new(1)).to_string());
    let reply = app
        .post("/api/v1/landings", Some(&l.member_b.token), &weekend)
        .await;
    assert_eq!(reply.invalid_fields(), vec!["end_date"]);
}

#[tokio::test]
async fn every_field_rule_is_reported_at_once() {
    let app = spawn_app().await;
    let l = landings(&app).await;
    let reply = app
        .post(
            "/api/v1/landings",
            Some(&l.member_b.token),
            &json!({
                "offer_id": l.offer,
                "start_date": day(l.today - Days::new(3), 0),
                "end_date": day(l.today, 400),
                "headcount": 9,
                "purpose": "too short",
                "requested_services": ["spa"],
                "colour": "blue",
            }),
        )
        .await;
    let mut fields = reply.invalid_fields();
    fields.sort();
    fields.dedup();
    assert_eq!(
        fields,
        vec!["colour", "end_date", "purpose", "requested_services[0]"]
    );

    // With a well-formed body, the offer's rules: past start, window, stay and capacity.
    let reply = app
        .post(
            "/api/v1/landings",
            Some(&l.member_b.token),
            &json!({
                "offer_id": l.offer,
                "start_date": day(l.today - Days::new(1), 0),
                "end_date": day(l.today, 6),
                "headcount": 4,
                "purpose": PURPOSE,
            }),
        )
        .await;
    let mut fields = reply.invalid_fields();
    fields.sort();
    fields.dedup();
    assert_eq!(fields, vec!["end_date", "headcount", "start_date"]);

    // Missing everything.
    let reply = app
        .post("/api/v1/landings", Some(&l.member_b.token), &json!({}))
        .await;
    let mut fields = reply.invalid_fields();
    fields.sort();
    assert_eq!(
        fields,
        vec!["end_date", "headcount", "offer_id", "purpose", "start_date"]
    );

    // Outside the window at both ends.
    let narrow = publish_offer(
        &app,
        &l.net,
        json!({"available_from": day(l.today, 10), "available_until": day(l.today, 12)}),
    )
    .await;
    let reply = app
        .post(
            "/api/v1/landings",
            Some(&l.member_b.token),
            &json!({"offer_id": narrow, "start_date": day(l.today, 9), "end_date": day(l.today, 13), "headcount": 1, "purpose": PURPOSE}),
        )
        .await;
    let mut fields = reply.invalid_fields();
    fields.sort();
    assert_eq!(fields, vec!["end_date", "start_date"]);

    // An unknown offer is a field error too.
    let mut unknown = l.request(3, 1, 1);
    unknown["offer_id"] = json!(uuid::Uuid::now_v7().to_string());
    assert_eq!(
        app.post("/api/v1/landings", Some(&l.member_b.token), &unknown)
            .await
            .invalid_fields(),
        vec!["offer_id"]
    );
}

#[tokio::test]
async fn a_blackout_and_the_start_of_today_in_the_hosts_zone() {
    let app = spawn_app().await;
    let l = landings(&app).await;
    app.post(
        &format!("/api/v1/offers/{}/blackouts", l.offer),
        Some(&l.net.manager_a.token),
        &json!({"start_date": day(l.today, 10), "end_date": day(l.today, 11), "reason": "Trade fair"}),
    )
    .await
    .expect(201);
    let reply = app
        .post(
            "/api/v1/landings",
            Some(&l.member_b.token),
            &l.request(9, 2, 1),
        )
        .await;
    assert_eq!(reply.invalid_fields(), vec!["start_date"]);
    assert!(reply.text.contains("Trade fair"));
    // The day before and the day after are fine; today (in Berlin) is not in the past.
    l.submit(&app, &l.request(9, 1, 1)).await;
    l.submit(&app, &l.request(12, 1, 1)).await;
    l.submit(&app, &l.request(0, 1, 1)).await;

    // At 23:30 UTC it is already tomorrow in Berlin: the day UTC still calls today has passed
    // for the host, and the host's today is the first day that may start. (23:30 UTC of the
    // host's today is always ahead: Berlin is at least an hour ahead of UTC.)
    let late = l.today.and_hms_opt(23, 30, 0).unwrap().and_utc();
    app.advance(late - app.state.clock.now());
    let utc_today = l.today;
    let berlin_today = app.today_in("Europe/Berlin");
    assert_eq!(berlin_today, utc_today + Days::new(1));
    let one_day = |start: NaiveDate| {
        json!({
            "offer_id": l.offer,
            "start_date": start.to_string(),
            "end_date": start.to_string(),
            "headcount": 1,
            "purpose": PURPOSE,
        })
    };
    let reply = app
        .post(
            "/api/v1/landings",
            Some(&l.member_b.token),
            &one_day(utc_today),
        )
        .await;
    assert_eq!(reply.invalid_fields(), vec!["start_date"]);
    l.submit(&app, &one_day(berlin_today)).await;
}

#[tokio::test]
async fn who_may_ask_and_at_which_offer() {
    let app = spawn_app().await;
    let l = landings(&app).await;
    let body = l.request(5, 1, 1);
    // Not an SME member.
    app.post("/api/v1/landings", Some(&l.net.manager_b.token), &body)
        .await
        .expect_problem(403, "forbidden");
    app.post("/api/v1/landings", None, &body).await.expect(401);
    // An SME of the host's own cluster.
    app.post("/api/v1/landings", Some(&l.net.member_a.token), &body)
        .await
        .expect_problem(403, "same_cluster");
    // An SME whose membership is not verified.
    let pending = app
        .sign_up_sme(&l.net.cluster_b, "Pending Oy", "p@pending.test")
        .await;
    app.post("/api/v1/landings", Some(&pending.member.token), &body)
        .await
        .expect_problem(403, "sme_not_verified");
    // An SME of a cluster without a partnership with the host.
    let cluster_c = app.create_cluster(&l.net.admin, "Tallinn Tech").await;
    let manager_c = app
        .manager(&l.net.admin, &cluster_c, "m@tallinn.test")
        .await;
    app.verified_sme(&manager_c, &cluster_c, "Baltic Bits", "m@baltic.test")
        .await;
    let member_c = app.confirmed_contact("m@baltic.test").await;
    app.post("/api/v1/landings", Some(&member_c.token), &body)
        .await
        .expect_problem(403, "no_active_partnership");
    // An active partnership lets it ask; a suspended one is not active.
    let p = partner(&app, &l.net.manager_a, &manager_c, &cluster_c, 5, false).await;
    app.post("/api/v1/landings", Some(&member_c.token), &body)
        .await
        .expect(201);
    let suspended = app
        .post(
            &format!("/api/v1/partnerships/{p}/suspend"),
            Some(&l.net.manager_a.token),
            &json!({}),
        )
        .await
        .expect(200);
    assert_eq!(suspended["state"], "suspended");
    app.post("/api/v1/landings", Some(&member_c.token), &body)
        .await
        .expect_problem(403, "no_active_partnership");
    // A paused offer takes no requests.
    app.post(
        &format!("/api/v1/offers/{}/pause", l.offer),
        Some(&l.net.manager_a.token),
        &json!({}),
    )
    .await
    .expect(200);
    app.post("/api/v1/landings", Some(&l.member_b.token), &body)
        .await
        .expect_problem(409, "offer_not_published");
}

#[tokio::test]
async fn the_path_through_endorsement_approval_and_completion() {
    let app = spawn_app().await;
    let l = landings_with(&app, true).await;
    let landing = l.submit(&app, &l.request(0, 2, 2)).await;
    let lid = id(&landing);
    assert_eq!(landing["state"], "pending_endorsement");
    let (home, host, sme) = (&l.net.manager_b, &l.net.manager_a, &l.member_b);

    // The host cannot decide before the home cluster endorsed.
    l.act(&app, &lid, "approve", host, json!({}))
        .await
        .expect_problem(409, "illegal_transition");
    // Only the home cluster endorses.
    l.act(&app, &lid, "endorse", host, json!({}))
        .await
        .expect_problem(403, "forbidden");
    l.act(&app, &lid, "endorse", sme, json!({}))
        .await
        .expect_problem(403, "forbidden");
    let endorsed = l
        .act(
            &app,
            &lid,
            "endorse",
            home,
            json!({"note": "A solid member"}),
        )
        .await
        .expect(200);
    assert_eq!(endorsed["state"], "pending_approval");
    assert_eq!(endorsed["endorsement_note"], "A solid member");
    l.act(&app, &lid, "endorse", home, json!({}))
        .await
        .expect_problem(409, "illegal_transition");
    // Only the host approves; the API client acts for the host.
    l.act(&app, &lid, "approve", home, json!({}))
        .await
        .expect_problem(403, "forbidden");
    l.act(&app, &lid, "approve", sme, json!({}))
        .await
        .expect_problem(403, "forbidden");
    let approved = l
        .act(
            &app,
            &lid,
            "approve",
            &l.net.client_a,
            json!({"message": "Welcome!"}),
        )
        .await
        .expect(200);
    assert_eq!(approved["state"], "approved");
    assert_eq!(approved["message"], "Welcome!");
    assert!(approved["decided_at"].is_string());
    // Started today: no cancelling, but completing and no-show are open.
    l.act(
        &app,
        &lid,
        "cancel",
        sme,
        json!({"reason": "Flight cancelled"}),
    )
    .await
    .expect_problem(409, "illegal_transition");
    l.act(&app, &lid, "withdraw", sme, json!({}))
        .await
        .expect_problem(409, "illegal_transition");
    l.act(&app, &lid, "complete", home, json!({}))
        .await
        .expect_problem(403, "forbidden");
    let done = l
        .act(
            &app,
            &lid,
            "complete",
            host,
            json!({"outcome": "Three meetings"}),
        )
        .await
        .expect(200);
    assert_eq!(done["state"], "completed");
    assert_eq!(done["outcome"], "Three meetings");
    l.act(&app, &lid, "no-show", host, json!({}))
        .await
        .expect_problem(409, "illegal_transition");

    let events = app
        .get(&format!("/api/v1/landings/{lid}/events"), Some(&sme.token))
        .await
        .expect(200);
    let trail: Vec<(String, String, String)> = events["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| {
            (
                e["action"].as_str().unwrap().to_owned(),
                e["from_state"].as_str().unwrap_or("-").to_owned(),
                e["to_state"].as_str().unwrap().to_owned(),
            )
        })
        .collect();
    let expected = [
        ("submit", "-", "pending_endorsement"),
        ("endorse", "pending_endorsement", "pending_approval"),
        ("approve", "pending_approval", "approved"),
        ("complete", "approved", "completed"),
    ];
    assert_eq!(
        trail,
        expected
            .map(|(a, f, t)| (a.to_owned(), f.to_owned(), t.to_owned()))
            .to_vec()
    );
    let items = events["items"].as_array().unwrap();
    assert_eq!(
        items[0]["actor"],
        json!({"id": sme.id, "kind": "sme_member"})
    );
    assert_eq!(items[1]["note"], "A solid member");
    assert_eq!(items[2]["actor"]["kind"], "api_client");
    assert_eq!(items[2]["note"], "Welcome!");
    assert!(items[3]["at"].is_string());
}

#[tokio::test]
async fn declines_rejections_withdrawals_cancellations_and_no_shows() {
    let app = spawn_app().await;
    let l = landings_with(&app, true).await;
    let (home, host, sme) = (&l.net.manager_b, &l.net.manager_a, &l.member_b);

    // Declined by the home cluster, with a reason it must give.
    let a = id(&l.submit(&app, &l.request(3, 1, 1)).await);
    assert_eq!(
        l.act(&app, &a, "decline", home, json!({}))
            .await
            .invalid_fields(),
        vec!["reason"]
    );
    let declined = l
        .act(
            &app,
            &a,
            "decline",
            home,
            json!({"reason": "Not yet ready"}),
        )
        .await
        .expect(200);
    assert_eq!(
        (declined["state"].as_str(), declined["reason"].as_str()),
        (Some("declined"), Some("Not yet ready"))
    );
    for action in [
        "endorse", "decline", "approve", "withdraw", "cancel", "complete",
    ] {
        let body = if ["decline", "cancel"].contains(&action) {
            json!({"reason": "x"})
        } else {
            json!({})
        };
        l.act(&app, &a, action, &l.net.admin, body)
            .await
            .expect_problem(409, "illegal_transition");
    }

    // Rejected by the host.
    let b = id(&l.submit(&app, &l.request(3, 1, 1)).await);
    l.act(&app, &b, "endorse", home, json!({}))
        .await
        .expect(200);
    l.act(&app, &b, "reject", home, json!({"reason": "no"}))
        .await
        .expect_problem(403, "forbidden");
    assert_eq!(
        l.act(
            &app,
            &b,
            "reject",
            host,
            json!({"reason": "Fully booked that week", "message": "hi"})
        )
        .await
        .invalid_fields(),
        vec!["message"]
    );
    let rejected = l
        .act(
            &app,
            &b,
            "reject",
            host,
            json!({"reason": "Fully booked that week"}),
        )
        .await
        .expect(200);
    assert_eq!(rejected["state"], "rejected");

    // Withdrawn by the SME, from either pending state; no one else withdraws.
    let c = id(&l.submit(&app, &l.request(3, 1, 1)).await);
    l.act(&app, &c, "withdraw", host, json!({}))
        .await
        .expect_problem(403, "forbidden");
    assert_eq!(
        l.act(&app, &c, "withdraw", sme, json!({}))
            .await
            .expect(200)["state"],
        "withdrawn"
    );
    let d = id(&l.submit(&app, &l.request(3, 1, 1)).await);
    l.act(&app, &d, "endorse", home, json!({}))
        .await
        .expect(200);
    assert_eq!(
        l.act(&app, &d, "withdraw", sme, json!({}))
            .await
            .expect(200)["state"],
        "withdrawn"
    );

    // Cancelled before the start by the SME, and by the host; the home cluster may not.
    for who in [sme, host] {
        let e = id(&l.submit(&app, &l.request(3, 1, 3)).await);
        l.act(&app, &e, "endorse", home, json!({}))
            .await
            .expect(200);
        l.act(&app, &e, "approve", host, json!({}))
            .await
            .expect(200);
        l.act(&app, &e, "complete", host, json!({}))
            .await
            .expect_problem(409, "illegal_transition");
        l.act(&app, &e, "cancel", home, json!({"reason": "x"}))
            .await
            .expect_problem(403, "forbidden");
        let cancelled = l
            .act(&app, &e, "cancel", who, json!({"reason": "Plans changed"}))
            .await
            .expect(200);
        assert_eq!(cancelled["state"], "cancelled");
        // The places are free again: the full-capacity landing could be approved once more.
    }
    assert_eq!(l.booked(&app, &l.offer, 3, 3).await, vec![0]);

    // A no-show, from the start date.
    let f = id(&l.submit(&app, &l.request(0, 1, 1)).await);
    l.act(&app, &f, "endorse", home, json!({}))
        .await
        .expect(200);
    l.act(&app, &f, "approve", host, json!({}))
        .await
        .expect(200);
    l.act(&app, &f, "no-show", sme, json!({}))
        .await
        .expect_problem(403, "forbidden");
    assert_eq!(
        l.act(&app, &f, "no-show", host, json!({}))
            .await
            .expect(200)["state"],
        "no_show"
    );
    l.act(&app, &f, "complete", host, json!({}))
        .await
        .expect_problem(409, "illegal_transition");
}

#[tokio::test]
async fn approval_takes_capacity_and_refuses_the_first_full_day() {
    let app = spawn_app().await;
    let l = landings(&app).await;
    let host = &l.net.manager_a;
    // Capacity 3: two visitors on days 5-7, then two on days 7-8 no longer fit on day 7.
    let first = id(&l.submit(&app, &l.request(5, 3, 2)).await);
    let second = id(&l.submit(&app, &l.request(7, 2, 2)).await);
    let third = id(&l.submit(&app, &l.request(8, 1, 1)).await);
    l.act(&app, &first, "approve", host, json!({}))
        .await
        .expect(200);
    let problem = l
        .act(&app, &second, "approve", host, json!({}))
        .await
        .expect_problem(409, "capacity_exhausted");
    assert_eq!(problem["first_full_day"], day(l.today, 7));
    assert!(
        problem["detail"]
            .as_str()
            .unwrap()
            .contains(&day(l.today, 7))
    );
    // A range that starts on a free day names its first full day, not its first day.
    let wider = id(&l.submit(&app, &l.request(4, 4, 2)).await);
    let problem = l
        .act(&app, &wider, "approve", host, json!({}))
        .await
        .expect_problem(409, "capacity_exhausted");
    assert_eq!(problem["first_full_day"], day(l.today, 5));
    // The refused approval changed nothing; the landing is still pending.
    let still = app
        .get(&format!("/api/v1/landings/{second}"), Some(&host.token))
        .await
        .expect(200);
    assert_eq!(still["state"], "pending_approval");
    l.act(&app, &third, "approve", host, json!({}))
        .await
        .expect(200);
    let booked = l.booked(&app, &l.offer, 5, 8).await;
    assert_eq!(booked, vec![2, 2, 2, 1]);
    // Cancelling the first frees day 7 for the second.
    l.act(
        &app,
        &first,
        "cancel",
        &l.member_b,
        json!({"reason": "Changed plans"}),
    )
    .await
    .expect(200);
    l.act(&app, &second, "approve", host, json!({}))
        .await
        .expect(200);
    let booked = l.booked(&app, &l.offer, 5, 8).await;
    assert_eq!(booked, vec![0, 0, 2, 3]);
    // Lowering capacity below what approvals hold is refused now that they exist.
    app.patch(
        &format!("/api/v1/offers/{}", l.offer),
        Some(&host.token),
        &json!({"capacity": 2}),
    )
    .await
    .expect_problem(409, "capacity_below_bookings");
}

#[tokio::test]
async fn an_approval_recounts_a_calendar_that_changed_since_the_request() {
    let app = spawn_app().await;
    let l = landings(&app).await;
    let host = &l.net.manager_a;
    let blackouts = format!("/api/v1/offers/{}/blackouts", l.offer);
    let first = id(&l.submit(&app, &l.request(10, 3, 1)).await);
    let second = id(&l.submit(&app, &l.request(20, 3, 2)).await);

    // A blackout over a requested day, added after the request, stops the approval.
    let blackout = app
        .post(
            &blackouts,
            Some(&host.token),
            &json!({"start_date": day(l.today, 11), "end_date": day(l.today, 11), "reason": "Fire drill"}),
        )
        .await
        .expect(201);
    l.act(&app, &first, "approve", host, json!({}))
        .await
        .expect_problem(409, "calendar_changed");
    assert_eq!(l.booked(&app, &l.offer, 10, 12).await, vec![0, 0, 0]);

    // Removed again, the range holds its three open days, and the approval takes all three.
    app.delete(&format!("{blackouts}/{}", id(&blackout)), Some(&host.token))
        .await
        .expect(204);
    l.act(&app, &first, "approve", host, json!({}))
        .await
        .expect(200);
    assert_eq!(l.booked(&app, &l.offer, 9, 13).await, vec![0, 1, 1, 1, 0]);

    // An edit that leaves the range's open days as they were does not stop an approval; one
    // that closes a requested weekday does.
    app.patch(
        &format!("/api/v1/offers/{}", l.offer),
        Some(&host.token),
        &json!({"title": "Desk by the window"}),
    )
    .await
    .expect(200);
    l.act(&app, &second, "approve", host, json!({}))
        .await
        .expect(200);
    assert_eq!(l.booked(&app, &l.offer, 20, 22).await, vec![2, 2, 2]);
    let third = id(&l.submit(&app, &l.request(30, 1, 1)).await);
    let closed =
        chrono::Datelike::weekday(&l.today.checked_add_days(chrono::Days::new(30)).unwrap())
            .number_from_monday();
    let open: Vec<u32> = (1..=7).filter(|d| *d != closed).collect();
    app.patch(
        &format!("/api/v1/offers/{}", l.offer),
        Some(&host.token),
        &json!({"open_weekdays": open}),
    )
    .await
    .expect(200);
    l.act(&app, &third, "approve", host, json!({}))
        .await
        .expect_problem(409, "calendar_changed");

    // Cancelling gives back exactly the days the approvals took.
    for (landing, who) in [(&first, &l.member_b), (&second, &l.member_b)] {
        l.act(
            &app,
            landing,
            "cancel",
            who,
            json!({"reason": "Changed plans"}),
        )
        .await
        .expect(200);
    }
    assert_eq!(l.booked(&app, &l.offer, 10, 12).await, vec![0, 0, 0]);
    assert_eq!(l.booked(&app, &l.offer, 20, 22).await, vec![0, 0, 0]);
}

#[tokio::test]
async fn a_full_range_or_an_archived_offer_takes_no_approval() {
    let app = spawn_app().await;
    let l = landings(&app).await;
    let host = &l.net.manager_a;
    // Capacity 3: the first group fills days 5 and 6 whole.
    let full = id(&l.submit(&app, &l.request(5, 2, 3)).await);
    let late = id(&l.submit(&app, &l.request(5, 2, 1)).await);
    let other = id(&l.submit(&app, &l.request(9, 1, 1)).await);
    l.act(&app, &full, "approve", host, json!({}))
        .await
        .expect(200);
    let problem = l
        .act(&app, &late, "approve", host, json!({}))
        .await
        .expect_problem(409, "capacity_exhausted");
    assert_eq!(problem["first_full_day"], day(l.today, 5));
    assert_eq!(l.booked(&app, &l.offer, 5, 6).await, vec![3, 3]);

    app.post(
        &format!("/api/v1/offers/{}/archive", l.offer),
        Some(&host.token),
        &json!({}),
    )
    .await
    .expect(200);
    l.act(&app, &other, "approve", host, json!({}))
        .await
        .expect_problem(409, "offer_archived");
    let still = app
        .get(&format!("/api/v1/landings/{other}"), Some(&host.token))
        .await
        .expect(200);
    assert_eq!(still["state"], "pending_approval");
}

#[tokio::test]
async fn fifty_concurrent_approvals_never_overbook() {
    let app = spawn_app().await;
    let l = landings(&app).await;
    let offer = publish_offer(&app, &l.net, json!({"capacity": 7})).await;
    // Fifty requests over days 3-5, of one or two visitors, for seven places a day.
    let mut ids = Vec::new();
    for i in 0..50 {
        let mut body = l.request(3, 3, 1 + (i % 2));
        body["offer_id"] = json!(offer);
        ids.push((id(&l.submit(&app, &body).await), 1 + (i % 2)));
    }
    let approvals = ids.iter().map(|(lid, _)| {
        let (app, token, lid) = (&app, l.net.manager_a.token.clone(), lid.clone());
        async move {
            app.post(
                &format!("/api/v1/landings/{lid}/approve"),
                Some(&token),
                &json!({}),
            )
            .await
        }
    });
    let replies = futures_util::future::join_all(approvals).await;
    let mut approved_visitors: i64 = 0;
    let mut approved = 0;
    for (reply, (_, headcount)) in replies.iter().zip(&ids) {
        match reply.status.as_u16() {
            200 => {
                approved += 1;
                approved_visitors += headcount;
            }
            409 => {
                reply.expect_problem(409, "capacity_exhausted");
            }
            other => panic!("unexpected {other}: {}", reply.text),
        }
    }
    assert!(
        approved_visitors <= 7,
        "{approved_visitors} visitors approved for 7 places"
    );
    assert!(
        approved_visitors >= 6,
        "only {approved_visitors} of 7 places were taken"
    );
    assert_eq!(
        l.booked(&app, &offer, 3, 5).await,
        vec![approved_visitors; 3],
        "every day holds exactly the approved visitors"
    );
    let listed = app
        .get(
            &format!("/api/v1/landings?offer_id={offer}&state=approved&limit=100"),
            Some(&l.net.manager_a.token),
        )
        .await
        .expect(200);
    assert_eq!(listed["items"].as_array().unwrap().len(), approved);
}

#[tokio::test]
async fn strangers_see_nothing_and_parties_only_their_actions() {
    let app = spawn_app().await;
    let l = landings(&app).await;
    let lid = id(&l.submit(&app, &l.request(4, 1, 1)).await);
    let cluster_c = app.create_cluster(&l.net.admin, "Tallinn Tech").await;
    let manager_c = app
        .manager(&l.net.admin, &cluster_c, "m@tallinn.test")
        .await;
    app.verified_sme(
        &l.net.manager_b,
        &l.net.cluster_b,
        "Other Oy",
        "o@other.test",
    )
    .await;
    let other_member = app.confirmed_contact("o@other.test").await;
    for stranger in [&manager_c, &other_member, &l.net.member_a] {
        for path in ["", "/events", "/calendar.ics"] {
            app.get(
                &format!("/api/v1/landings/{lid}{path}"),
                Some(&stranger.token),
            )
            .await
            .expect_problem(404, "not_found");
        }
        for action in [
            "endorse", "decline", "approve", "reject", "withdraw", "cancel", "complete", "no-show",
            "feedback",
        ] {
            app.post(
                &format!("/api/v1/landings/{lid}/{action}"),
                Some(&stranger.token),
                &json!({}),
            )
            .await
            .expect_problem(404, "not_found");
        }
        let list = app
            .get("/api/v1/landings", Some(&stranger.token))
            .await
            .expect(200);
        assert_eq!(list["items"], json!([]), "a stranger's list is empty");
    }
    app.get(&format!("/api/v1/landings/{lid}"), None)
        .await
        .expect(401);
    // Everyone involved sees it, in their list too.
    for party in [
        &l.member_b,
        &l.net.manager_a,
        &l.net.manager_b,
        &l.net.client_a,
        &l.net.admin,
    ] {
        app.get(&format!("/api/v1/landings/{lid}"), Some(&party.token))
            .await
            .expect(200);
        let list = app
            .get("/api/v1/landings", Some(&party.token))
            .await
            .expect(200);
        assert_eq!(list["items"][0]["id"], lid);
    }
    // Parties that see it but do not own the action: 403.
    l.act(&app, &lid, "approve", &l.net.manager_b, json!({}))
        .await
        .expect_problem(403, "forbidden");
    l.act(&app, &lid, "reject", &l.member_b, json!({"reason": "x"}))
        .await
        .expect_problem(403, "forbidden");
    l.act(&app, &lid, "withdraw", &l.net.manager_a, json!({}))
        .await
        .expect_problem(403, "forbidden");
    l.act(&app, &lid, "endorse", &l.net.client_a, json!({}))
        .await
        .expect_problem(403, "forbidden");
    // A missing landing is the same 404.
    app.get(
        &format!("/api/v1/landings/{}", uuid::Uuid::now_v7()),
        Some(&l.net.admin.token),
    )
    .await
    .expect_problem(404, "not_found");
}

/// A cluster's list holds what it hosts and what its SMEs are sent to, merged in creation order
/// and paged across both: cluster B hosts A's SME as A hosts B's.
#[tokio::test]
async fn a_clusters_list_merges_what_it_hosts_and_sends() {
    let app = spawn_app().await;
    let l = landings(&app).await;
    let offer_b = crate::portal::published_offer(
        &app,
        &l.net.manager_b.token,
        &l.net.cluster_b,
        offer_body(json!({"city": "Stockholm"})),
    )
    .await;
    // Alternately hosted by A (B's SME) and by B (A's SME).
    let mut ids = Vec::new();
    for offset in 2u64..7 {
        let landing = if offset % 2 == 0 {
            l.submit(&app, &l.request(offset, 1, 1)).await
        } else {
            let mut request = l.request(offset, 1, 1);
            request["offer_id"] = json!(offer_b);
            app.post("/api/v1/landings", Some(&l.net.member_a.token), &request)
                .await
                .expect(201)
        };
        ids.push(id(&landing));
    }
    for manager in [&l.net.manager_a, &l.net.manager_b] {
        let token = Some(manager.token.as_str());
        let mut listed = Vec::new();
        let mut path = "/api/v1/landings?limit=2".to_owned();
        loop {
            let page = app.get(&path, token).await.expect(200);
            let items = page["items"].as_array().unwrap();
            assert!(items.len() <= 2, "{page}");
            listed.extend(items.iter().map(|i| i["id"].as_str().unwrap().to_owned()));
            match page["next_cursor"].as_str() {
                Some(cursor) => path = format!("/api/v1/landings?limit=2&cursor={cursor}"),
                None => break,
            }
        }
        assert_eq!(listed, ids, "as {}", manager.email);
    }
}

#[tokio::test]
async fn lists_filter_and_page() {
    let app = spawn_app().await;
    let l = landings(&app).await;
    let mut ids = Vec::new();
    for offset in [2u64, 10, 20] {
        ids.push(id(&l.submit(&app, &l.request(offset, 2, 1)).await));
    }
    l.act(&app, &ids[1], "approve", &l.net.manager_a, json!({}))
        .await
        .expect(200);
    let token = Some(l.net.manager_a.token.as_str());
    let get_ids = |v: Value| -> Vec<String> {
        v["items"]
            .as_array()
            .unwrap()
            .iter()
            .map(|i| i["id"].as_str().unwrap().to_owned())
            .collect()
    };
    assert_eq!(
        get_ids(app.get("/api/v1/landings", token).await.expect(200)),
        ids
    );
    assert_eq!(
        get_ids(
            app.get("/api/v1/landings?state=approved", token)
                .await
                .expect(200)
        ),
        vec![ids[1].clone()]
    );
    let range = format!(
        "/api/v1/landings?from={}&to={}",
        day(l.today, 11),
        day(l.today, 20)
    );
    assert_eq!(
        get_ids(app.get(&range, token).await.expect(200)),
        vec![ids[1].clone(), ids[2].clone()]
    );
    let mine = format!(
        "/api/v1/landings?sme_id={}&host_cluster_id={}&home_cluster_id={}&offer_id={}",
        l.sme_b, l.net.cluster_a, l.net.cluster_b, l.offer
    );
    assert_eq!(get_ids(app.get(&mine, token).await.expect(200)), ids);
    let page = app.get("/api/v1/landings?limit=2", token).await.expect(200);
    assert_eq!(get_ids(page.clone()), ids[..2].to_vec());
    let cursor = page["next_cursor"].as_str().unwrap();
    let rest = app
        .get(&format!("/api/v1/landings?limit=2&cursor={cursor}"), token)
        .await
        .expect(200);
    assert_eq!(get_ids(rest.clone()), ids[2..].to_vec());
    assert!(rest["next_cursor"].is_null());
    // Bad parameters.
    assert_eq!(
        app.get("/api/v1/landings?state=lost", token)
            .await
            .invalid_fields(),
        vec!["state"]
    );
    assert_eq!(
        app.get("/api/v1/landings?from=2027-02-30", token)
            .await
            .invalid_fields(),
        vec!["from"]
    );
    app.get("/api/v1/landings?cursor=nope", token)
        .await
        .expect_problem(400, "invalid_cursor");
    app.get("/api/v1/landings?colour=red", token)
        .await
        .expect_problem(400, "invalid_query");
}

#[tokio::test]
async fn the_calendar_entry_and_feedback() {
    let app = spawn_app().await;
    let l = landings(&app).await;
    let lid = id(&l.submit(&app, &l.request(0, 2, 1)).await);
    let path = format!("/api/v1/landings/{lid}/calendar.ics");
    app.get(&path, Some(&l.member_b.token))
        .await
        .expect_problem(409, "landing_not_approved");
    l.act(&app, &lid, "approve", &l.net.manager_a, json!({}))
        .await
        .expect(200);
    let ics = app.get(&path, Some(&l.member_b.token)).await;
    assert_eq!(ics.status, 200);
    assert!(
        ics.header("content-type")
            .unwrap()
            .starts_with("text/calendar")
    );
    let start = l.today.format("%Y%m%d").to_string();
    let end = (l.today + Days::new(2)).format("%Y%m%d").to_string();
    assert!(
        ics.text.contains(&format!("DTSTART;VALUE=DATE:{start}")),
        "{}",
        ics.text
    );
    assert!(
        ics.text.contains(&format!("DTEND;VALUE=DATE:{end}")),
        "{}",
        ics.text
    );
    assert!(ics.text.contains("X-WR-TIMEZONE:Europe/Berlin"));
    assert!(
        ics.text
            .contains("LOCATION:Haid-und-Neu-Str. 18\\, 76131 Karlsruhe\\, DE"),
        "{}",
        ics.text
    );

    let feedback = format!("/api/v1/landings/{lid}/feedback");
    app.post(&feedback, Some(&l.member_b.token), &json!({"rating": 5}))
        .await
        .expect_problem(409, "landing_not_completed");
    l.act(&app, &lid, "complete", &l.net.manager_a, json!({}))
        .await
        .expect(200);
    assert_eq!(
        app.post(&feedback, Some(&l.member_b.token), &json!({"rating": 6}))
            .await
            .invalid_fields(),
        vec!["rating"]
    );
    app.post(
        &feedback,
        Some(&l.net.manager_a.token),
        &json!({"rating": 5}),
    )
    .await
    .expect_problem(403, "forbidden");
    let given = app
        .post(
            &feedback,
            Some(&l.member_b.token),
            &json!({"rating": 4, "comment": "Great introductions"}),
        )
        .await
        .expect(201);
    assert_eq!(given["feedback"]["rating"], 4);
    assert_eq!(given["feedback"]["comment"], "Great introductions");
    app.post(&feedback, Some(&l.member_b.token), &json!({"rating": 1}))
        .await
        .expect_problem(409, "feedback_exists");
}

#[tokio::test]
async fn the_sweep_expires_pending_landings_once_their_start_passed() {
    let app = spawn_app().await;
    let l = landings(&app).await;
    let late = id(&l.submit(&app, &l.request(1, 1, 1)).await);
    let today = id(&l.submit(&app, &l.request(2, 1, 1)).await);
    let approved = id(&l.submit(&app, &l.request(1, 1, 1)).await);
    l.act(&app, &approved, "approve", &l.net.manager_a, json!({}))
        .await
        .expect(200);
    // Two days pass: the first and the approved one started yesterday, the second starts today.
    app.advance_days(2);
    // Deciding a lapsed request is refused even before the sweep runs.
    l.act(&app, &late, "approve", &l.net.manager_a, json!({}))
        .await
        .expect_problem(409, "landing_expired");
    assert_eq!(app.expire_due().await, 1);
    assert_eq!(app.expire_due().await, 0, "a landing expires once");
    let state_of = |lid: String| {
        let app = &app;
        let token = l.member_b.token.clone();
        async move {
            app.get(&format!("/api/v1/landings/{lid}"), Some(&token))
                .await
                .expect(200)["state"]
                .clone()
        }
    };
    assert_eq!(state_of(late.clone()).await, "expired");
    assert_eq!(
        state_of(today).await,
        "pending_approval",
        "due today is not yet late"
    );
    assert_eq!(state_of(approved).await, "approved");
    let events = app
        .get(
            &format!("/api/v1/landings/{late}/events"),
            Some(&l.member_b.token),
        )
        .await
        .expect(200);
    let last = events["items"].as_array().unwrap().last().unwrap().clone();
    assert_eq!(last["actor"]["kind"], "system");
    assert_eq!(
        (last["from_state"].as_str(), last["to_state"].as_str()),
        (Some("pending_approval"), Some("expired"))
    );
}

#[tokio::test]
async fn a_retried_request_or_approval_happens_once() {
    let app = spawn_app().await;
    let l = landings(&app).await;
    let token = Some(l.member_b.token.as_str());
    let body = l.request(6, 2, 1);
    let first = app
        .post_keyed("/api/v1/landings", token, "landing-1", &body)
        .await;
    let created = first.expect(201);
    let replay = app
        .post_keyed("/api/v1/landings", token, "landing-1", &body)
        .await;
    assert_eq!(replay.expect(201), created);
    assert_eq!(
        replay.header("idempotent-replayed").as_deref(),
        Some("true")
    );
    assert_eq!(replay.header("location"), first.header("location"));
    let mut other = body.clone();
    other["headcount"] = json!(2);
    app.post_keyed("/api/v1/landings", token, "landing-1", &other)
        .await
        .expect_problem(422, "idempotency_key_reused");

    // Eight copies of one request at once: one landing, the others wait their turn or replay.
    let copies = (0..8).map(|_| app.post_keyed("/api/v1/landings", token, "landing-2", &other));
    let replies = futures_util::future::join_all(copies).await;
    let mut ids = std::collections::BTreeSet::new();
    for reply in &replies {
        match reply.status.as_u16() {
            201 => {
                ids.insert(id(&reply.json()));
            }
            409 => {
                reply.expect_problem(409, "idempotency_in_progress");
            }
            other => panic!("unexpected {other}: {}", reply.text),
        }
    }
    assert_eq!(ids.len(), 1, "one landing for one key");
    let listed = app.get("/api/v1/landings", token).await.expect(200);
    assert_eq!(listed["items"].as_array().unwrap().len(), 2);

    // An approval retried with its key answers the first approval, not a 409.
    let lid = id(&created);
    let path = format!("/api/v1/landings/{lid}/approve");
    let host = Some(l.net.manager_a.token.as_str());
    let approved = app
        .post_keyed(&path, host, "approve-1", &json!({}))
        .await
        .expect(200);
    let again = app.post_keyed(&path, host, "approve-1", &json!({})).await;
    assert_eq!(again.expect(200), approved);
    assert_eq!(again.header("idempotent-replayed").as_deref(), Some("true"));
    assert_eq!(l.booked(&app, &l.offer, 6, 7).await, vec![1, 1]);
}

#[tokio::test]
async fn a_suspended_partnership_holds_endorsements_and_approvals() {
    let app = spawn_app().await;
    let l = landings_with(&app, true).await;
    let (home, host) = (&l.net.manager_b, &l.net.manager_a);
    let endorsed = id(&l.submit(&app, &l.request(4, 1, 1)).await);
    l.act(&app, &endorsed, "endorse", home, json!({}))
        .await
        .expect(200);
    let waiting = id(&l.submit(&app, &l.request(6, 1, 1)).await);
    let partnership = format!("/api/v1/partnerships/{}", l.partnership);
    let change = |action: &'static str| {
        let path = format!("{partnership}/{action}");
        let token = host.token.clone();
        let app = &app;
        async move { app.post(&path, Some(&token), &json!({})).await.expect(200) }
    };

    change("suspend").await;
    l.act(&app, &waiting, "endorse", home, json!({}))
        .await
        .expect_problem(409, "partnership_not_active");
    l.act(&app, &endorsed, "approve", host, json!({}))
        .await
        .expect_problem(409, "partnership_not_active");
    // Nothing moved while it was suspended; once resumed, both go on.
    for (lid, state) in [
        (&waiting, "pending_endorsement"),
        (&endorsed, "pending_approval"),
    ] {
        let landing = app
            .get(&format!("/api/v1/landings/{lid}"), Some(&l.member_b.token))
            .await
            .expect(200);
        assert_eq!(landing["state"], state);
    }
    change("resume").await;
    l.act(&app, &waiting, "endorse", home, json!({}))
        .await
        .expect(200);
    l.act(&app, &endorsed, "approve", host, json!({}))
        .await
        .expect(200);
}
