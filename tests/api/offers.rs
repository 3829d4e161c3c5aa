//! Offers: creation by the host's managers, validation, the state machine, who sees drafts,
//! ETag/If-Match edits, and blackouts.

use serde_json::{Value, json};

use crate::fixtures::{Network, network};
use crate::helpers::{TestApp, reply, spawn_app};
use crate::landings::{Visitors, visitors};

pub fn desk(overrides: Value) -> Value {
    let mut body = json!({
        "kind": "desk_space",
        "title": "Hot desk at the CyberForum hub",
        "description": "A desk in our co-working space, with introductions to local IT companies.",
        "city": "Karlsruhe",
        "address": "Haid-und-Neu-Str. 18, 76131 Karlsruhe",
        "capacity": 3,
        "available_from": "2027-01-04",
        "available_until": "2027-12-17",
        "max_stay_days": 5,
        "languages": ["en", "DE"],
        "sectors": ["software"]
    });
    for (k, v) in overrides.as_object().unwrap() {
        body[k] = v.clone();
    }
    body
}

pub async fn create_offer(app: &TestApp, net: &Network, body: Value) -> Value {
    app.post(
        &format!("/api/v1/clusters/{}/offers", net.cluster_a),
        Some(&net.manager_a.token),
        &body,
    )
    .await
    .expect(201)
}

#[tokio::test]
async fn a_draft_is_the_hosts_until_published() {
    let app = spawn_app().await;
    let net = network(&app).await;
    let created = app
        .post(
            &format!("/api/v1/clusters/{}/offers", net.cluster_a),
            Some(&net.manager_a.token),
            &desk(json!({})),
        )
        .await;
    let offer = created.expect(201);
    let id = offer["id"].as_str().unwrap().to_owned();
    let path = format!("/api/v1/offers/{id}");
    assert_eq!(created.header("location").unwrap(), path);
    assert_eq!(offer["state"], "draft");
    assert_eq!(offer["open_weekdays"], json!([1, 2, 3, 4, 5]));
    assert_eq!(offer["languages"], json!(["en", "de"]));
    assert_eq!(offer["available_from"], "2027-01-04");

    // Only the host (and the admin) see a draft.
    app.get(&path, None).await.expect_problem(404, "not_found");
    app.get(&path, Some(&net.manager_b.token))
        .await
        .expect_problem(404, "not_found");
    app.get(&path, Some(&net.member_a.token))
        .await
        .expect_problem(404, "not_found");
    app.get(&path, Some(&net.admin.token)).await.expect(200);
    app.get(&path, Some(&net.client_a.token)).await.expect(200);

    let published = app
        .post(
            &format!("{path}/publish"),
            Some(&net.client_a.token),
            &json!({}),
        )
        .await
        .expect(200);
    assert_eq!(published["state"], "published");
    app.get(&path, None).await.expect(200);
    // Visible now, but another cluster's manager may not act on it.
    app.post(
        &format!("{path}/pause"),
        Some(&net.manager_b.token),
        &json!({}),
    )
    .await
    .expect_problem(403, "forbidden");
    app.patch(&path, Some(&net.manager_b.token), &json!({"capacity": 9}))
        .await
        .expect_problem(403, "forbidden");

    app.post(
        &format!("{path}/pause"),
        Some(&net.manager_a.token),
        &json!({}),
    )
    .await
    .expect(200);
    app.get(&path, None).await.expect_problem(404, "not_found");
    app.post(
        &format!("{path}/pause"),
        Some(&net.manager_a.token),
        &json!({}),
    )
    .await
    .expect_problem(409, "illegal_transition");
    app.post(
        &format!("{path}/publish"),
        Some(&net.manager_a.token),
        &json!({}),
    )
    .await
    .expect(200);
    app.post(
        &format!("{path}/archive"),
        Some(&net.manager_a.token),
        &json!({}),
    )
    .await
    .expect(200);
    for action in ["publish", "pause", "archive"] {
        app.post(
            &format!("{path}/{action}"),
            Some(&net.manager_a.token),
            &json!({}),
        )
        .await
        .expect_problem(409, "illegal_transition");
    }
    app.patch(&path, Some(&net.manager_a.token), &json!({"capacity": 4}))
        .await
        .expect_problem(409, "offer_archived");
    app.get(&path, None).await.expect_problem(404, "not_found");

    // Only the host's managers and API clients create offers.
    for token in [&net.admin.token, &net.manager_b.token, &net.member_a.token] {
        app.post(
            &format!("/api/v1/clusters/{}/offers", net.cluster_a),
            Some(token),
            &desk(json!({})),
        )
        .await
        .expect_problem(403, "forbidden");
    }
    app.post(
        "/api/v1/clusters/0193a1b2-0000-7000-8000-00000000a0be/offers",
        Some(&net.manager_a.token),
        &desk(json!({})),
    )
    .await
    .expect_problem(404, "not_found");
}

#[tokio::test]
async fn offer_validation_names_every_field() {
    let app = spawn_app().await;
    let net = network(&app).await;
    let reply = app
        .post(
            &format!("/api/v1/clusters/{}/offers", net.cluster_a),
            Some(&net.manager_a.token),
            &json!({
                "kind": "sauna",
                "title": "",
                "capacity": 0,
                "available_from": "2027-02-30",
                "available_until": "2027-01-01",
                "max_stay_days": 91,
                "open_weekdays": [0, 8],
                "languages": ["english"],
                "sectors": ["ok"],
                "price": 10
            }),
        )
        .await;
    let mut fields = reply.invalid_fields();
    fields.sort();
    assert_eq!(
        fields,
        vec![
            "available_from",
            "capacity",
            "city",
            "description",
            "kind",
            "languages[0]",
            "max_stay_days",
            "open_weekdays",
            "price",
            "title"
        ]
    );
    let window = app
        .post(
            &format!("/api/v1/clusters/{}/offers", net.cluster_a),
            Some(&net.manager_a.token),
            &desk(json!({"available_from": "2027-06-01", "available_until": "2027-05-31"})),
        )
        .await;
    assert_eq!(window.invalid_fields(), vec!["available_until"]);
}

#[tokio::test]
async fn patch_honours_if_match() {
    let app = spawn_app().await;
    let net = network(&app).await;
    let offer = create_offer(&app, &net, desk(json!({}))).await;
    let path = format!("/api/v1/offers/{}", offer["id"].as_str().unwrap());
    let etag = app
        .get(&path, Some(&net.manager_a.token))
        .await
        .header("etag")
        .unwrap();
    let patched = reply(
        app.client
            .patch(app.url(&path))
            .bearer_auth(&net.manager_a.token)
            .header("if-match", &etag)
            .json(&json!({"capacity": 5, "open_weekdays": [1, 2, 3], "address": null})),
    )
    .await;
    let body = patched.expect(200);
    assert_eq!(body["capacity"], 5);
    assert_eq!(body["open_weekdays"], json!([1, 2, 3]));
    assert!(body["address"].is_null());
    assert_eq!(body["title"], offer["title"]);
    let stale = reply(
        app.client
            .patch(app.url(&path))
            .bearer_auth(&net.manager_a.token)
            .header("if-match", &etag)
            .json(&json!({"capacity": 6})),
    )
    .await;
    stale.expect_problem(412, "precondition_failed");
    let invalid = app
        .patch(
            &path,
            Some(&net.manager_a.token),
            &json!({"available_until": "2026-01-01", "state": "published"}),
        )
        .await;
    let mut fields = invalid.invalid_fields();
    fields.sort();
    assert_eq!(fields, vec!["state"]);
    let window = app
        .patch(
            &path,
            Some(&net.manager_a.token),
            &json!({"available_until": "2026-01-01"}),
        )
        .await;
    assert_eq!(window.invalid_fields(), vec!["available_until"]);
}

#[tokio::test]
async fn blackouts_are_created_listed_and_removed_by_the_host() {
    let app = spawn_app().await;
    let net = network(&app).await;
    let offer = create_offer(&app, &net, desk(json!({}))).await;
    let id = offer["id"].as_str().unwrap();
    let path = format!("/api/v1/offers/{id}/blackouts");
    let created = app
        .post(
            &path,
            Some(&net.manager_a.token),
            &json!({"start_date": "2027-12-20", "end_date": "2027-12-31", "reason": "Holidays"}),
        )
        .await;
    let blackout = created.expect(201);
    let bid = blackout["id"].as_str().unwrap();
    assert_eq!(created.header("location").unwrap(), format!("{path}/{bid}"));
    app.post(
        &path,
        Some(&net.manager_a.token),
        &json!({"start_date": "2027-08-01", "end_date": "2027-08-15", "reason": "Summer"}),
    )
    .await
    .expect(201);
    let list = app.get(&path, Some(&net.manager_a.token)).await.expect(200);
    let starts: Vec<&str> = list["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|b| b["start_date"].as_str().unwrap())
        .collect();
    assert_eq!(starts, vec!["2027-08-01", "2027-12-20"]);
    // A draft's blackouts are as hidden as the draft.
    app.get(&path, None).await.expect_problem(404, "not_found");

    let bad = app
        .post(
            &path,
            Some(&net.manager_a.token),
            &json!({"start_date": "2027-08-10", "end_date": "2027-08-01"}),
        )
        .await;
    let mut fields = bad.invalid_fields();
    fields.sort();
    assert_eq!(fields, vec!["end_date", "reason"]);
    app.post(
        &path,
        Some(&net.manager_b.token),
        &json!({"start_date": "2027-08-01", "end_date": "2027-08-02", "reason": "x"}),
    )
    .await
    .expect_problem(404, "not_found");
    // Another tenant can neither see nor remove the host's blackouts.
    app.delete(&format!("{path}/{bid}"), Some(&net.manager_b.token))
        .await
        .expect_problem(404, "not_found");
    app.delete(&format!("{path}/{bid}"), None)
        .await
        .expect_problem(401, "unauthorized");
    app.delete(&format!("{path}/{bid}"), Some(&net.manager_a.token))
        .await
        .expect(204);
    app.delete(&format!("{path}/{bid}"), Some(&net.manager_a.token))
        .await
        .expect_problem(404, "not_found");
    let after = app.get(&path, Some(&net.manager_a.token)).await.expect(200);
    assert_eq!(after["items"].as_array().unwrap().len(), 1);
}

fn days_of(v: &Value) -> Vec<(String, bool, i64, i64, i64)> {
    v.as_array()
        .unwrap()
        .iter()
        .map(|d| {
            (
                d["date"].as_str().unwrap().to_owned(),
                d["open"].as_bool().unwrap(),
                d["capacity"].as_i64().unwrap(),
                d["booked"].as_i64().unwrap(),
                d["remaining"].as_i64().unwrap(),
            )
        })
        .collect()
}

/// Takes `visitors` places at the offer on `day` with a landing cluster B's SME asks for and
/// the host approves.
async fn book(
    app: &TestApp,
    net: &Network,
    visit: &Visitors,
    offer_id: &str,
    day: &str,
    visitors: i64,
) {
    let day = day.parse::<chrono::NaiveDate>().unwrap();
    crate::landings::book(app, &net.manager_a, &visit.member, offer_id, day, visitors).await;
}

#[tokio::test]
async fn availability_follows_weekdays_blackouts_the_window_and_daylight_saving() {
    let app = spawn_app().await;
    let net = network(&app).await; // host cluster in Europe/Berlin
    let offer = create_offer(
        &app,
        &net,
        desk(
            json!({"available_from": "2027-03-25", "available_until": "2027-10-29", "capacity": 3}),
        ),
    )
    .await;
    let id = offer["id"].as_str().unwrap().to_owned();
    app.post(
        &format!("/api/v1/offers/{id}/publish"),
        Some(&net.manager_a.token),
        &json!({}),
    )
    .await
    .expect(200);
    app.post(
        &format!("/api/v1/offers/{id}/blackouts"),
        Some(&net.manager_a.token),
        &json!({"start_date": "2027-03-30", "end_date": "2027-03-30", "reason": "Board meeting"}),
    )
    .await
    .expect(201);
    let visit = visitors(&app, &net, false).await;
    book(&app, &net, &visit, &id, "2027-03-29", 2).await;
    book(&app, &net, &visit, &id, "2027-03-26", 3).await;

    // Around the last Sunday of March (clocks go forward in Berlin on 2027-03-28).
    let march = app
        .get(
            &format!("/api/v1/offers/{id}/availability?from=2027-03-24&to=2027-04-01"),
            None,
        )
        .await
        .expect(200);
    let t = |d: &str, o, c, b, r| (d.to_owned(), o, c, b, r);
    assert_eq!(
        days_of(&march),
        vec![
            t("2027-03-24", false, 0, 0, 0), // before the window
            t("2027-03-25", true, 3, 0, 3),
            t("2027-03-26", true, 3, 3, 0),  // full
            t("2027-03-27", false, 0, 0, 0), // Saturday
            t("2027-03-28", false, 0, 0, 0), // Sunday, the change to summer time
            t("2027-03-29", true, 3, 2, 1),
            t("2027-03-30", false, 0, 0, 0), // blackout
            t("2027-03-31", true, 3, 0, 3),
            t("2027-04-01", true, 3, 0, 3),
        ]
    );
    // Around the last Sunday of October (back to winter time on 2027-10-31) and the window's end.
    let october = app
        .get(
            &format!("/api/v1/offers/{id}/availability?from=2027-10-28&to=2027-11-01"),
            None,
        )
        .await
        .expect(200);
    assert_eq!(
        days_of(&october),
        vec![
            t("2027-10-28", true, 3, 0, 3),
            t("2027-10-29", true, 3, 0, 3), // the window's last day
            t("2027-10-30", false, 0, 0, 0),
            t("2027-10-31", false, 0, 0, 0),
            t("2027-11-01", false, 0, 0, 0), // after the window
        ]
    );

    // An offer open on Sundays has exactly one entry for each DST Sunday.
    let sunday = create_offer(
        &app,
        &net,
        desk(json!({"available_from": "2027-03-25", "available_until": "2027-10-31", "open_weekdays": [7]})),
    )
    .await;
    let sunday_id = sunday["id"].as_str().unwrap();
    for (from, to, open_day) in [
        ("2027-03-27", "2027-03-29", "2027-03-28"),
        ("2027-10-30", "2027-11-01", "2027-10-31"),
    ] {
        let days = app
            .get(
                &format!("/api/v1/offers/{sunday_id}/availability?from={from}&to={to}"),
                Some(&net.manager_a.token),
            )
            .await
            .expect(200);
        let days = days_of(&days);
        assert_eq!(days.len(), 3);
        let open: Vec<&str> = days.iter().filter(|d| d.1).map(|d| d.0.as_str()).collect();
        assert_eq!(open, vec![open_day]);
    }

    // A whole year in one answer; limits and bad input.
    let year = app
        .get(
            &format!("/api/v1/offers/{id}/availability?from=2027-01-01&to=2027-12-31"),
            None,
        )
        .await
        .expect(200);
    assert_eq!(year.as_array().unwrap().len(), 365);
    let long = app
        .get(
            &format!("/api/v1/offers/{id}/availability?from=2027-01-01&to=2028-01-02"),
            None,
        )
        .await;
    assert_eq!(long.invalid_fields(), vec!["to"]);
    let backwards = app
        .get(
            &format!("/api/v1/offers/{id}/availability?from=2027-05-02&to=2027-05-01"),
            None,
        )
        .await;
    assert_eq!(backwards.invalid_fields(), vec!["to"]);
    let garbage = app
        .get(
            &format!("/api/v1/offers/{id}/availability?from=tomorrow&to=2027-13-01"),
            None,
        )
        .await;
    let mut fields = garbage.invalid_fields();
    fields.sort();
    assert_eq!(fields, vec!["from", "to"]);
    app.get(
        &format!("/api/v1/offers/{id}/availability?start=2027-01-01"),
        None,
    )
    .await
    .expect_problem(400, "invalid_query");
    // The default range starts today in the host's time zone and spans 30 days.
    let default = app
        .get(&format!("/api/v1/offers/{id}/availability"), None)
        .await
        .expect(200);
    assert_eq!(default.as_array().unwrap().len(), 30);
}

#[tokio::test]
async fn a_drafts_availability_is_the_hosts() {
    let app = spawn_app().await;
    let net = network(&app).await;
    let offer = create_offer(&app, &net, desk(json!({}))).await;
    let path = format!(
        "/api/v1/offers/{}/availability",
        offer["id"].as_str().unwrap()
    );
    app.get(&path, None).await.expect_problem(404, "not_found");
    app.get(&path, Some(&net.manager_b.token))
        .await
        .expect_problem(404, "not_found");
    app.get(&path, Some(&net.manager_a.token)).await.expect(200);
}

#[tokio::test]
async fn approved_bookings_keep_their_places_against_edits_and_blackouts() {
    let app = spawn_app().await;
    let net = network(&app).await;
    let offer = create_offer(&app, &net, desk(json!({"capacity": 4}))).await;
    let id = offer["id"].as_str().unwrap().to_owned();
    let path = format!("/api/v1/offers/{id}");
    app.post(
        &format!("{path}/publish"),
        Some(&net.manager_a.token),
        &json!({}),
    )
    .await
    .expect(200);
    let visit = visitors(&app, &net, false).await;
    book(&app, &net, &visit, &id, "2027-03-10", 3).await; // a Wednesday
    book(&app, &net, &visit, &id, "2027-03-11", 1).await;

    let cut = app
        .patch(&path, Some(&net.manager_a.token), &json!({"capacity": 2}))
        .await;
    let problem = cut.expect_problem(409, "capacity_below_bookings");
    assert_eq!(problem["first_day"], "2027-03-10");
    app.patch(&path, Some(&net.manager_a.token), &json!({"capacity": 3}))
        .await
        .expect(200);

    let closed = app
        .patch(
            &path,
            Some(&net.manager_a.token),
            &json!({"open_weekdays": [1, 2, 4, 5]}),
        )
        .await;
    assert_eq!(
        closed.expect_problem(409, "days_booked")["first_day"],
        "2027-03-10"
    );
    let shrunk = app
        .patch(
            &path,
            Some(&net.manager_a.token),
            &json!({"available_until": "2027-03-10"}),
        )
        .await;
    assert_eq!(
        shrunk.expect_problem(409, "days_booked")["first_day"],
        "2027-03-11"
    );

    let blackout = app
        .post(
            &format!("{path}/blackouts"),
            Some(&net.manager_a.token),
            &json!({"start_date": "2027-03-09", "end_date": "2027-03-12", "reason": "Move"}),
        )
        .await;
    assert_eq!(
        blackout.expect_problem(409, "days_booked")["first_day"],
        "2027-03-10"
    );
    app.post(
        &format!("{path}/blackouts"),
        Some(&net.manager_a.token),
        &json!({"start_date": "2027-03-12", "end_date": "2027-03-19", "reason": "Move"}),
    )
    .await
    .expect(201);
}
