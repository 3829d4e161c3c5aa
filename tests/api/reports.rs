//! Reports: the reciprocity of each partnership and the summary of landings, their figures for
//! a network built by hand, who sees which, the CSV download read back, and bad ranges.

use chrono::NaiveDate;
use serde_json::{Value, json};

use crate::fixtures::{Actor, Network, network};
use crate::helpers::{Reply, TestApp, spawn_app};
use crate::landings::{PURPOSE, day, host_today, partner, publish_offer, visitors};

/// The network of the report tests, arranged through the API:
///
/// - clusters A (DE) and B (SE) in an active partnership that A proposed, which needs the home
///   cluster's endorsement; cluster C (DE) in an active partnership with A, unused;
/// - A's offer (desk space, capacity 5, open every day) and B's (mentoring, the same);
/// - landings, the range being days +11 to +40 from the arrangement's today:
///
/// | landing | visitors from | at | days | people | state | in the reciprocity |
/// |---|---|---|---|---|---|---|
/// | 1 | B | A | +10..+12 | 3 | approved | 2 days inside: 6 visitor-days |
/// | 2 | B | A | +39..+42 | 1 | approved | 2 days inside: 2 |
/// | 3 | A | B | +20..+21 | 3 | approved | 6 |
/// | 4 | A | B | +25 | 1 | cancelled | no |
/// | 5 | B | A | +30 | 1 | pending endorsement | no |
/// | 6 | A | B | +11..+12 | 1 | completed, rated 4 | 2 |
/// | 7 | B | A | +12 | 2 | no-show | 2 |
/// | 8 | A | B | +15 | 1 | rejected | no |
///
/// So A's SMEs landed twice at B (8 visitor-days), B's three times at A (10): balance +2.
struct Reports {
    net: Network,
    cluster_c: String,
    manager_c: Actor,
    /// A member of B's SME.
    visitor_b: Actor,
    ab: String,
    ac: String,
    from: String,
    to: String,
}

/// What a landing should end as.
#[derive(Clone, Copy, PartialEq)]
enum End {
    PendingEndorsement,
    Approved,
    Rejected,
}

/// A landing of `visitor` at `offer` from `start` to `end` (offsets from `today`), endorsed by
/// `home` and decided by `host` as `outcome` says; its id.
#[allow(clippy::too_many_arguments)]
async fn land(
    app: &TestApp,
    today: NaiveDate,
    visitor: &Actor,
    home: &Actor,
    host: &Actor,
    offer: &str,
    (start, end): (u64, u64),
    headcount: i64,
    outcome: End,
) -> String {
    let landing = app
        .post(
            "/api/v1/landings",
            Some(&visitor.token),
            &json!({
                "offer_id": offer,
                "start_date": day(today, start),
                "end_date": day(today, end),
                "headcount": headcount,
                "purpose": PURPOSE,
            }),
        )
        .await
        .expect(201);
    let id = landing["id"].as_str().unwrap().to_owned();
    assert_eq!(landing["state"], "pending_endorsement");
    if outcome == End::PendingEndorsement {
        return id;
    }
    app.post(
        &format!("/api/v1/landings/{id}/endorse"),
        Some(&home.token),
        &json!({}),
    )
    .await
    .expect(200);
    let (action, body, state) = match outcome {
        End::Rejected => (
            "reject",
            json!({"reason": "We are full that week"}),
            "rejected",
        ),
        _ => ("approve", json!({}), "approved"),
    };
    let decided = app
        .post(
            &format!("/api/v1/landings/{id}/{action}"),
            Some(&host.token),
            &body,
        )
        .await
        .expect(200);
    assert_eq!(decided["state"], state);
    id
}

async fn act(app: &TestApp, who: &Actor, id: &str, action: &str, body: Value) {
    let reply = app
        .post(
            &format!("/api/v1/landings/{id}/{action}"),
            Some(&who.token),
            &body,
        )
        .await;
    // Feedback is created; an action answers the landing.
    reply.expect(if action == "feedback" { 201 } else { 200 });
}

async fn reports_network(app: &TestApp) -> Reports {
    let net = network(app).await;
    let today = host_today();
    // B is Swedish: the summary tells host countries apart.
    app.patch(
        &format!("/api/v1/clusters/{}", net.cluster_b),
        Some(&net.admin.token),
        &json!({"country": "SE", "city": "Kista", "timezone": "Europe/Stockholm"}),
    )
    .await
    .expect(200);
    let cluster_c = app.create_cluster(&net.admin, "Silicon Saxony").await;
    let manager_c = app
        .manager(&net.admin, &cluster_c, "manager@saxony.test")
        .await;
    let v = visitors(app, &net, true).await;
    let ac = partner(app, &net.manager_a, &manager_c, &cluster_c, 5, false).await;
    let window = json!({
        "available_from": today.to_string(),
        "available_until": day(today, 300),
        "open_weekdays": [1, 2, 3, 4, 5, 6, 7],
        "capacity": 5,
    });
    let offer_a = publish_offer(app, &net, window.clone()).await;
    let mut b_body = crate::offers::desk(window);
    b_body["kind"] = json!("mentoring");
    b_body["title"] = json!("Mentoring at Kista Science City");
    let offer_b = app
        .post(
            &format!("/api/v1/clusters/{}/offers", net.cluster_b),
            Some(&net.manager_b.token),
            &b_body,
        )
        .await
        .expect(201)["id"]
        .as_str()
        .unwrap()
        .to_owned();
    app.post(
        &format!("/api/v1/offers/{offer_b}/publish"),
        Some(&net.manager_b.token),
        &json!({}),
    )
    .await
    .expect(200);

    let (a, b) = (&net.manager_a, &net.manager_b);
    let (from_a, from_b) = (&net.member_a, &v.member);
    // The table above, in order.
    land(
        app,
        today,
        from_b,
        b,
        a,
        &offer_a,
        (10, 12),
        3,
        End::Approved,
    )
    .await;
    land(
        app,
        today,
        from_b,
        b,
        a,
        &offer_a,
        (39, 42),
        1,
        End::Approved,
    )
    .await;
    land(
        app,
        today,
        from_a,
        a,
        b,
        &offer_b,
        (20, 21),
        3,
        End::Approved,
    )
    .await;
    let cancelled = land(
        app,
        today,
        from_a,
        a,
        b,
        &offer_b,
        (25, 25),
        1,
        End::Approved,
    )
    .await;
    act(
        app,
        from_a,
        &cancelled,
        "cancel",
        json!({"reason": "Plans changed"}),
    )
    .await;
    land(
        app,
        today,
        from_b,
        b,
        a,
        &offer_a,
        (30, 30),
        1,
        End::PendingEndorsement,
    )
    .await;
    let completed = land(
        app,
        today,
        from_a,
        a,
        b,
        &offer_b,
        (11, 12),
        1,
        End::Approved,
    )
    .await;
    let missed = land(
        app,
        today,
        from_b,
        b,
        a,
        &offer_a,
        (12, 12),
        2,
        End::Approved,
    )
    .await;
    land(
        app,
        today,
        from_a,
        a,
        b,
        &offer_b,
        (15, 15),
        1,
        End::Rejected,
    )
    .await;
    // Twelve days on, the stays of landings 6 and 7 have begun.
    app.advance_days(12);
    act(app, b, &completed, "complete", json!({})).await;
    act(app, from_a, &completed, "feedback", json!({"rating": 4})).await;
    act(app, a, &missed, "no-show", json!({})).await;
    app.settle().await;
    Reports {
        net,
        cluster_c,
        manager_c,
        visitor_b: v.member,
        ab: v.partnership,
        ac,
        from: day(today, 11),
        to: day(today, 40),
    }
}

impl Reports {
    fn reciprocity(&self, extra: &str) -> String {
        format!(
            "/api/v1/reports/reciprocity?from={}&to={}{extra}",
            self.from, self.to
        )
    }

    fn summary(&self) -> String {
        format!("/api/v1/reports/summary?from={}&to={}", self.from, self.to)
    }
}

async fn get_accepting(app: &TestApp, path: &str, token: &str, accept: &str) -> Reply {
    crate::helpers::reply(
        app.client
            .get(app.url(path))
            .bearer_auth(token)
            .header("accept", accept),
    )
    .await
}

fn row<'a>(report: &'a Value, partnership: &str) -> &'a Value {
    report["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["partnership_id"] == partnership)
        .unwrap_or_else(|| panic!("no row for {partnership} in {report}"))
}

fn partnerships_of(report: &Value) -> Vec<String> {
    report["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["partnership_id"].as_str().unwrap().to_owned())
        .collect()
}

#[tokio::test]
async fn reciprocity_counts_each_direction_only_inside_the_range() {
    let app = spawn_app().await;
    let r = reports_network(&app).await;
    let report = app
        .get(&r.reciprocity(""), Some(&r.net.admin.token))
        .await
        .expect(200);
    assert_eq!(report["from"], r.from.as_str());
    assert_eq!(report["to"], r.to.as_str());
    assert_eq!(report["next_cursor"], Value::Null);
    let mut expected = vec![r.ab.clone(), r.ac.clone()];
    expected.sort();
    assert_eq!(partnerships_of(&report), expected);

    let ab = row(&report, &r.ab);
    assert_eq!(ab["partnership_state"], "active");
    assert_eq!(ab["cluster_a"]["id"], r.net.cluster_a.as_str());
    assert_eq!(ab["cluster_a"]["name"], "CyberForum");
    assert_eq!(ab["cluster_a"]["country"], "DE");
    assert_eq!(ab["cluster_b"]["id"], r.net.cluster_b.as_str());
    assert_eq!(ab["cluster_b"]["country"], "SE");
    assert_eq!(ab["landings_a_to_b"], 2, "{ab}");
    assert_eq!(ab["landings_b_to_a"], 3, "{ab}");
    assert_eq!(ab["visitor_days_a_hosted"], 10, "{ab}");
    assert_eq!(ab["visitor_days_b_hosted"], 8, "{ab}");
    assert_eq!(ab["balance"], 2);

    let ac = row(&report, &r.ac);
    assert_eq!(ac["cluster_b"]["id"], r.cluster_c.as_str());
    for field in [
        "landings_a_to_b",
        "landings_b_to_a",
        "visitor_days_a_hosted",
        "visitor_days_b_hosted",
        "balance",
    ] {
        assert_eq!(ac[field], 0, "{field}");
    }

    // The whole stays: landing 1 from its first day, landing 2 to its last. Every landing of
    // A's SMEs is inside already.
    // The arrangement's today (the application's clock moved on; the system's did not).
    let today = host_today();
    let whole = app
        .get(
            &format!(
                "/api/v1/reports/reciprocity?from={}&to={}&partner_cluster_id={}",
                day(today, 10),
                day(today, 42),
                r.net.cluster_b
            ),
            Some(&r.net.admin.token),
        )
        .await
        .expect(200);
    assert_eq!(partnerships_of(&whole), [r.ab.as_str()]);
    let ab = row(&whole, &r.ab);
    assert_eq!(
        (
            ab["visitor_days_a_hosted"].as_i64(),
            ab["visitor_days_b_hosted"].as_i64()
        ),
        (Some(3 * 3 + 4 + 2), Some(8))
    );
    assert_eq!(ab["balance"], 7);

    // A range before any stay counts nothing.
    let before = app
        .get(
            &format!(
                "/api/v1/reports/reciprocity?from={}&to={}",
                day(today, 0),
                day(today, 9)
            ),
            Some(&r.net.admin.token),
        )
        .await
        .expect(200);
    assert_eq!(row(&before, &r.ab)["landings_b_to_a"], 0);
    assert_eq!(row(&before, &r.ab)["visitor_days_a_hosted"], 0);
}

#[tokio::test]
async fn each_side_sees_its_own_pairs_and_others_see_none() {
    let app = spawn_app().await;
    let r = reports_network(&app).await;
    let seen = |report: Value| partnerships_of(&report);

    // A is party to both, B and C to one each.
    let mut both = vec![r.ab.clone(), r.ac.clone()];
    both.sort();
    let a = app
        .get(&r.reciprocity(""), Some(&r.net.manager_a.token))
        .await;
    assert_eq!(seen(a.expect(200)), both);
    // A's API client acts as A's managers.
    let client = app
        .get(&r.reciprocity(""), Some(&r.net.client_a.token))
        .await;
    assert_eq!(seen(client.expect(200)), both);
    let b = app
        .get(&r.reciprocity(""), Some(&r.net.manager_b.token))
        .await
        .expect(200);
    assert_eq!(seen(b.clone()), [r.ab.as_str()]);
    // B reads the same figures as the admin.
    let admin = app
        .get(&r.reciprocity(""), Some(&r.net.admin.token))
        .await
        .expect(200);
    assert_eq!(row(&b, &r.ab), row(&admin, &r.ab));
    let c = app
        .get(&r.reciprocity(""), Some(&r.manager_c.token))
        .await
        .expect(200);
    assert_eq!(seen(c), [r.ac.as_str()]);
    // A manager asking for a pair that is not its own gets nothing.
    let c_about_b = app
        .get(
            &r.reciprocity(&format!("&partner_cluster_id={}", r.net.cluster_b)),
            Some(&r.manager_c.token),
        )
        .await
        .expect(200);
    assert_eq!(seen(c_about_b), Vec::<String>::new());
    let a_about_c = app
        .get(
            &r.reciprocity(&format!("&partner_cluster_id={}", r.cluster_c)),
            Some(&r.net.manager_a.token),
        )
        .await
        .expect(200);
    assert_eq!(seen(a_about_c), [r.ac.as_str()]);

    // An unrelated manager: a cluster without partnerships sees no pair and no landing.
    let d = app.create_cluster(&r.net.admin, "Lonely Valley").await;
    let manager_d = app.manager(&r.net.admin, &d, "manager@lonely.test").await;
    let none = app
        .get(&r.reciprocity(""), Some(&manager_d.token))
        .await
        .expect(200);
    assert_eq!(seen(none), Vec::<String>::new());
    let summary = app
        .get(&r.summary(), Some(&manager_d.token))
        .await
        .expect(200);
    assert_eq!(summary["landings"], 0);
    assert_eq!(summary["cluster_id"], d.as_str());
    assert_eq!(summary["approval_rate"], Value::Null);

    // SMEs see no reports; nobody anonymous does.
    for token in [&r.net.member_a.token, &r.visitor_b.token] {
        app.get(&r.reciprocity(""), Some(token))
            .await
            .expect_problem(403, "forbidden");
        app.get(&r.summary(), Some(token))
            .await
            .expect_problem(403, "forbidden");
    }
    app.get(&r.reciprocity(""), None)
        .await
        .expect_problem(401, "unauthorized");
    app.get(&r.summary(), None)
        .await
        .expect_problem(401, "unauthorized");
}

#[tokio::test]
async fn the_summary_tells_how_landings_fared() {
    let app = spawn_app().await;
    let r = reports_network(&app).await;
    let s = app
        .get(&r.summary(), Some(&r.net.admin.token))
        .await
        .expect(200);
    assert_eq!(s["cluster_id"], Value::Null);
    assert_eq!(s["landings"], 8, "{s}");
    assert_eq!(
        s["by_state"],
        json!({
            "pending_endorsement": 1,
            "pending_approval": 0,
            "approved": 3,
            "rejected": 1,
            "declined": 0,
            "withdrawn": 0,
            "cancelled": 1,
            "completed": 1,
            "no_show": 1,
            "expired": 0,
        })
    );
    assert_eq!(
        s["by_host_country"],
        json!([{"country": "DE", "landings": 4}, {"country": "SE", "landings": 4}])
    );
    assert_eq!(
        s["by_offer_kind"],
        json!([{"kind": "desk_space", "landings": 4}, {"kind": "mentoring", "landings": 4}])
    );
    // Approved: 3 approved, the completed, the no-show and the cancelled; decided: and the
    // rejected one.
    assert_eq!(
        (s["approved"].as_i64(), s["decided"].as_i64()),
        (Some(6), Some(7))
    );
    assert_eq!(s["approval_rate"], 0.8571);
    assert_eq!(s["no_shows"], 1);
    assert_eq!(s["no_show_rate"], 0.5);
    assert_eq!(s["ratings"], 1);
    assert_eq!(s["average_rating"], 4.0);
    // Decisions and endorsements came within the arrangement's seconds.
    for (field, count) in [("time_to_decision", 7), ("time_to_endorsement", 7)] {
        let d = &s[field];
        assert_eq!(d["count"], count, "{field}: {d}");
        let (median, p90) = (
            d["median_seconds"].as_i64().unwrap(),
            d["p90_seconds"].as_i64().unwrap(),
        );
        assert!(0 <= median && median <= p90 && p90 < 120, "{field}: {d}");
    }

    // B hosted or sent every landing; its summary is the admin's but for whose it is.
    let b = app
        .get(&r.summary(), Some(&r.net.manager_b.token))
        .await
        .expect(200);
    assert_eq!(b["cluster_id"], r.net.cluster_b.as_str());
    for field in [
        "landings",
        "by_state",
        "by_host_country",
        "approval_rate",
        "average_rating",
    ] {
        assert_eq!(b[field], s[field], "{field}");
    }
    // C hosted and sent nothing.
    let c = app
        .get(&r.summary(), Some(&r.manager_c.token))
        .await
        .expect(200);
    assert_eq!(c["landings"], 0);
    assert_eq!(c["by_state"]["approved"], 0);
    assert_eq!(c["by_host_country"], json!([]));
    assert_eq!(
        c["time_to_decision"],
        json!({"count": 0, "median_seconds": null, "p90_seconds": null})
    );
    assert_eq!(c["no_show_rate"], Value::Null);
}

#[tokio::test]
async fn csv_reads_back_as_the_json_figures() {
    let app = spawn_app().await;
    let r = reports_network(&app).await;
    let token = &r.net.admin.token;
    let json_report = app.get(&r.reciprocity(""), Some(token)).await.expect(200);

    let reply = get_accepting(&app, &r.reciprocity(""), token, "text/csv").await;
    assert_eq!(reply.status.as_u16(), 200, "{}", reply.text);
    assert_eq!(
        reply.header("content-type").as_deref(),
        Some("text/csv; charset=utf-8")
    );
    assert_eq!(
        reply.header("content-disposition").unwrap(),
        format!(
            "attachment; filename=\"reciprocity-{}-{}.csv\"",
            r.from, r.to
        )
    );
    let mut reader = csv::Reader::from_reader(reply.text.as_bytes());
    let headers: Vec<String> = reader
        .headers()
        .unwrap()
        .iter()
        .map(str::to_owned)
        .collect();
    assert_eq!(headers[0], "partnership_id");
    let records: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    assert_eq!(records.len(), 2);
    for record in &records {
        let field = |name: &str| {
            let i = headers.iter().position(|h| h == name).unwrap();
            record[i].to_owned()
        };
        let json_row = row(&json_report, &field("partnership_id"));
        assert_eq!(field("partnership_state"), json_row["partnership_state"]);
        for side in ["a", "b"] {
            for part in ["id", "name", "country"] {
                assert_eq!(
                    field(&format!("cluster_{side}_{part}")),
                    json_row[format!("cluster_{side}")][part]
                );
            }
        }
        for figure in [
            "landings_a_to_b",
            "landings_b_to_a",
            "visitor_days_a_hosted",
            "visitor_days_b_hosted",
            "balance",
        ] {
            assert_eq!(
                field(figure).parse::<i64>().unwrap(),
                json_row[figure].as_i64().unwrap(),
                "{figure}"
            );
        }
    }

    // A name that needs quoting survives the round trip.
    app.patch(
        &format!("/api/v1/clusters/{}", r.cluster_c),
        Some(&r.net.admin.token),
        &json!({"name": "Saxony, \"Silicon\" Valley"}),
    )
    .await
    .expect(200);
    let reply = get_accepting(&app, &r.reciprocity(""), token, "text/csv").await;
    assert!(
        reply.text.contains("\"Saxony, \"\"Silicon\"\" Valley\""),
        "{}",
        reply.text
    );
    let mut reader = csv::Reader::from_reader(reply.text.as_bytes());
    let names: Vec<String> = reader.records().map(|r| r.unwrap()[6].to_owned()).collect();
    assert!(
        names.contains(&"Saxony, \"Silicon\" Valley".to_owned()),
        "{names:?}"
    );

    // The summary too: one row per figure.
    let summary = app.get(&r.summary(), Some(token)).await.expect(200);
    let reply = get_accepting(
        &app,
        &r.summary(),
        token,
        "text/csv;q=0.9, application/json;q=0.5",
    )
    .await;
    assert_eq!(reply.status.as_u16(), 200, "{}", reply.text);
    assert_eq!(
        reply.header("content-disposition").unwrap(),
        format!("attachment; filename=\"summary-{}-{}.csv\"", r.from, r.to)
    );
    let mut reader = csv::Reader::from_reader(reply.text.as_bytes());
    assert_eq!(reader.headers().unwrap(), vec!["metric", "key", "value"]);
    let rows: Vec<(String, String, String)> = reader
        .records()
        .map(|r| {
            let r = r.unwrap();
            (r[0].to_owned(), r[1].to_owned(), r[2].to_owned())
        })
        .collect();
    let value = |metric: &str, key: &str| {
        rows.iter()
            .find(|(m, k, _)| m == metric && k == key)
            .map(|(_, _, v)| v.clone())
            .unwrap_or_else(|| panic!("no {metric}/{key} in {rows:?}"))
    };
    assert_eq!(value("landings", ""), summary["landings"].to_string());
    assert_eq!(
        value("by_state", "approved"),
        summary["by_state"]["approved"].to_string()
    );
    assert_eq!(value("by_host_country", "SE"), "4");
    assert_eq!(
        value("approval_rate", ""),
        summary["approval_rate"].to_string()
    );
    assert_eq!(
        value("time_to_decision", "median_seconds"),
        summary["time_to_decision"]["median_seconds"].to_string()
    );
    assert_eq!(value("average_rating", ""), "4");

    // JSON stays the default, for `*/*` and when JSON ranks first; nothing else is offered.
    for accept in [
        "*/*",
        "application/json",
        "application/json, text/csv;q=0.5",
        "text/*;q=0.1, */*",
    ] {
        let reply = get_accepting(&app, &r.reciprocity(""), token, accept).await;
        assert_eq!(reply.status.as_u16(), 200, "{accept}");
        assert!(
            reply
                .header("content-type")
                .unwrap()
                .starts_with("application/json"),
            "{accept}"
        );
        assert_eq!(
            reply.json()["items"],
            admin_reciprocity(&app, &r).await["items"]
        );
    }
    get_accepting(&app, &r.reciprocity(""), token, "text/html")
        .await
        .expect_problem(406, "not_acceptable");
}

/// The admin's reciprocity as JSON, now.
async fn admin_reciprocity(app: &TestApp, r: &Reports) -> Value {
    app.get(&r.reciprocity(""), Some(&r.net.admin.token))
        .await
        .expect(200)
}

#[tokio::test]
async fn bad_ranges_are_422_naming_the_field() {
    let app = spawn_app().await;
    let net = network(&app).await;
    let cases: [(&str, &[&str]); 9] = [
        ("", &["from", "to"]),
        ("from=2027-01-01", &["to"]),
        ("to=2027-01-01", &["from"]),
        ("from=2027-13-01&to=2027-12-31", &["from"]),
        ("from=2027-01-01&to=31.12.2027", &["to"]),
        ("from=2027-06-01&to=2027-05-31", &["to"]),
        // Three years (1096 days) is the most.
        ("from=2027-01-01&to=2030-01-01", &["to"]),
        ("from=+262142-01-01&to=2027-01-01", &["from"]),
        (
            "from=2027-01-01&to=2027-02-01&partner_cluster_id=nope",
            &["partner_cluster_id"],
        ),
    ];
    for (query, fields) in cases {
        for report in ["reciprocity", "summary"] {
            if report == "summary" && query.contains("partner_cluster_id") {
                continue;
            }
            let reply = app
                .get(
                    &format!("/api/v1/reports/{report}?{query}"),
                    Some(&net.admin.token),
                )
                .await;
            assert_eq!(reply.invalid_fields(), fields.to_vec(), "{report}?{query}");
        }
    }
    // The longest range is fine.
    for report in ["reciprocity", "summary"] {
        app.get(
            &format!("/api/v1/reports/{report}?from=2027-01-01&to=2029-12-31"),
            Some(&net.admin.token),
        )
        .await
        .expect(200);
    }
    // A parameter the report does not know is a malformed query.
    app.get(
        "/api/v1/reports/summary?from=2027-01-01&to=2027-02-01&partner=x",
        Some(&net.admin.token),
    )
    .await
    .expect_problem(400, "invalid_query");
    // Who may not see reports is told so before anything about the query.
    app.get("/api/v1/reports/summary?from=x", Some(&net.member_a.token))
        .await
        .expect_problem(403, "forbidden");
}

#[tokio::test]
async fn reports_are_documented_in_openapi() {
    let app = spawn_app().await;
    let spec = app.get("/openapi.json", None).await.expect(200);
    for path in ["/api/v1/reports/reciprocity", "/api/v1/reports/summary"] {
        let op = &spec["paths"][path]["get"];
        assert_eq!(op["tags"], json!(["reports"]), "{path}");
        let content = &op["responses"]["200"]["content"];
        assert!(
            content.get("application/json").is_some() && content.get("text/csv").is_some(),
            "{path}: {content}"
        );
        let params: Vec<&str> = op["parameters"]
            .as_array()
            .unwrap()
            .iter()
            .map(|p| p["name"].as_str().unwrap())
            .collect();
        assert!(params.contains(&"from") && params.contains(&"to"), "{path}");
    }
    let row = &spec["components"]["schemas"]["ReciprocityRow"]["properties"];
    for field in [
        "cluster_a",
        "cluster_b",
        "landings_a_to_b",
        "landings_b_to_a",
        "visitor_days_a_hosted",
        "visitor_days_b_hosted",
        "balance",
    ] {
        assert!(row.get(field).is_some(), "{field}");
    }
}

/// Whole months read the tallies where ragged edges read landings one by one: over months that
/// hold every landing, the summary counts the same landings; folding the appended changes into
/// the tallies, or building the tallies afresh from the landings, changes no figure.
#[tokio::test]
async fn whole_months_read_the_tallies_and_folding_or_rebuilding_them_changes_nothing() {
    use chrono::{Datelike, Months};
    let app = spawn_app().await;
    let r = reports_network(&app).await;
    let admin = Some(r.net.admin.token.as_str());
    let ragged = app.get(&r.summary(), admin).await.expect(200);
    let first: NaiveDate =
        r.from.parse::<NaiveDate>().unwrap().with_day(1).unwrap() - Months::new(1);
    let last = (first + Months::new(4)).pred_opt().unwrap();
    let months = |path: &str| format!("/api/v1/reports/{path}?from={first}&to={last}");
    let summary = app.get(&months("summary"), admin).await.expect(200);
    let reciprocity = app.get(&months("reciprocity"), admin).await.expect(200);
    assert_eq!(summary["landings"], ragged["landings"], "{summary}");
    assert_eq!(summary["by_state"], ragged["by_state"], "{summary}");
    assert_eq!(summary["by_offer_kind"], ragged["by_offer_kind"]);
    assert_eq!(summary["time_to_decision"], ragged["time_to_decision"]);
    assert_eq!(summary["average_rating"], ragged["average_rating"]);

    let folded = app
        .with_conn(|conn| softlanding::db::tallies::fold(conn).unwrap())
        .await;
    assert!(
        folded > 0,
        "the landings' changes were appended, then folded"
    );
    for (path, before) in [("summary", &summary), ("reciprocity", &reciprocity)] {
        let after = app.get(&months(path), admin).await.expect(200);
        assert_eq!(&after, before, "{path} after folding");
    }
    assert_eq!(app.get(&r.summary(), admin).await.expect(200), ragged);

    let rebuilt = app
        .with_conn(|conn| {
            use diesel::RunQueryDsl;
            diesel::sql_query("DELETE FROM report_tallies")
                .execute(conn)
                .unwrap();
            softlanding::db::tallies::build_if_missing(conn).unwrap()
        })
        .await;
    assert_eq!(rebuilt, 8, "every landing counted once");
    for (path, before) in [("summary", &summary), ("reciprocity", &reciprocity)] {
        let after = app.get(&months(path), admin).await.expect(200);
        assert_eq!(&after, before, "{path} after rebuilding");
    }
}

/// Two folds at once (two instances of the service, say) move each change into the tallies
/// once: while one fold's transaction is open, another folds nothing, and the figures after
/// both are the figures before.
#[tokio::test]
async fn two_folds_at_once_count_each_change_once() {
    use std::sync::mpsc;
    let app = spawn_app().await;
    let r = reports_network(&app).await;
    let admin = Some(r.net.admin.token.as_str());
    let summary = app.get(&r.summary(), admin).await.expect(200);
    let db = app.db();
    let (held, wait_held) = mpsc::channel();
    let (second_done, wait_second) = mpsc::channel::<()>();
    let first = tokio::task::spawn_blocking(move || {
        use diesel::Connection;
        let mut conn = db.get().expect("a pooled connection");
        conn.transaction::<_, diesel::result::Error, _>(|conn| {
            let folded = softlanding::db::tallies::fold(conn)?;
            held.send(folded).unwrap();
            // The second fold either folds nothing at once (PostgreSQL) or waits for this
            // transaction's write lock (SQLite): wait for it, but not forever.
            let _ = wait_second.recv_timeout(std::time::Duration::from_millis(500));
            Ok(folded)
        })
        .unwrap()
    });
    let first_folded = tokio::task::spawn_blocking(move || wait_held.recv().unwrap())
        .await
        .unwrap();
    assert!(first_folded > 0, "the first fold moved the changes");
    let second = app
        .with_conn(|conn| softlanding::db::tallies::fold(conn).unwrap())
        .await;
    let _ = second_done.send(());
    assert_eq!(first.await.unwrap(), first_folded);
    assert_eq!(second, 0, "the second fold found nothing left to fold");
    assert_eq!(app.get(&r.summary(), admin).await.expect(200), summary);
}

/// The service folds the appended tally changes on its own, every
/// `worker.fold_interval_secs`: after a few landings, the changes are gone into the tallies
/// and the reports read the same figures.
#[tokio::test]
async fn the_fold_runs_on_its_own_period() {
    use crate::helpers::spawn_app_with;
    let app = spawn_app_with(&[("SOFTLANDING__WORKER__FOLD_INTERVAL_SECS", "1")]).await;
    let r = reports_network(&app).await;
    let admin = Some(r.net.admin.token.as_str());
    let before = app.get(&r.summary(), admin).await.expect(200);
    let count = |table: &'static str| {
        app.with_conn(move |conn| {
            use diesel::RunQueryDsl;
            #[derive(diesel::QueryableByName)]
            struct Count {
                #[diesel(sql_type = diesel::sql_types::BigInt)]
                n: i64,
            }
            diesel::sql_query(format!("SELECT COUNT(*) AS n FROM {table}"))
                .get_result::<Count>(conn)
                .unwrap()
                .n
        })
    };
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(20);
    while count("report_tally_changes").await > 0 {
        assert!(
            std::time::Instant::now() < deadline,
            "the changes were not folded within 20 s"
        );
        tokio::time::sleep(std::time::Duration::from_millis(200)).await;
    }
    assert!(
        count("report_tallies").await > 0,
        "the changes went into the tallies"
    );
    let summary = app.get(&r.summary(), admin).await.expect(200);
    assert_eq!(summary["landings"], 8, "{summary}");
    assert_eq!(summary, before, "folding changes no figure");
}

/// The reports page reads both reports on one snapshot, with one read of the tallies and of
/// the landings at the range's edges for both: it answers what each report answers alone, for
/// a cluster's manager and for the admin, over ragged and whole-month ranges.
#[tokio::test]
async fn both_reports_read_together_answer_as_each_alone() {
    use chrono::{Datelike, Months};
    use softlanding::auth::jwt::SubjectKind;
    use softlanding::auth::principal::Principal;
    use softlanding::domain::account::Role;
    use softlanding::domain::values::DateRange;
    use softlanding::service::reports::{self, ReciprocityQuery};

    let app = spawn_app().await;
    let r = reports_network(&app).await;
    let person = |actor: &crate::fixtures::Actor, role: Role, cluster: Option<&str>| Principal {
        id: actor.id.clone(),
        kind: SubjectKind::User,
        role,
        cluster_id: cluster.map(str::to_owned),
        sme_id: None,
        email: Some(actor.email.clone()),
    };
    let admin = person(&r.net.admin, Role::Admin, None);
    let manager_a = person(
        &r.net.manager_a,
        Role::ClusterManager,
        Some(&r.net.cluster_a),
    );
    let manager_c = person(&r.manager_c, Role::ClusterManager, Some(&r.cluster_c));
    let (from, to): (NaiveDate, NaiveDate) = (r.from.parse().unwrap(), r.to.parse().unwrap());
    let first = from.with_day(1).unwrap() - Months::new(1);
    let whole = DateRange::new(first, (first + Months::new(4)).pred_opt().unwrap(), 3660).unwrap();
    let ragged = DateRange::new(from, to, 3660).unwrap();
    let mut compared = 0;
    for who in [&admin, &manager_a, &manager_c] {
        for range in [ragged, whole] {
            let query = || {
                Ok(ReciprocityQuery {
                    range,
                    partner_cluster_id: None,
                })
            };
            let (reciprocity, summary) = reports::overview(&app.state, who.clone(), query())
                .await
                .unwrap();
            let alone = reports::reciprocity(&app.state, who.clone(), query())
                .await
                .unwrap();
            let summary_alone = reports::summary(&app.state, who.clone(), Ok(range))
                .await
                .unwrap();
            assert_eq!(format!("{reciprocity:?}"), format!("{alone:?}"));
            assert_eq!(format!("{summary:?}"), format!("{summary_alone:?}"));
            compared += 1;
        }
    }
    assert_eq!(compared, 6);
    // Not vacuous: the manager of A sees both of A's partnerships and its landings.
    let (reciprocity, summary) = reports::overview(
        &app.state,
        manager_a,
        Ok(ReciprocityQuery {
            range: ragged,
            partner_cluster_id: None,
        }),
    )
    .await
    .unwrap();
    assert_eq!(reciprocity.pairs.len(), 2);
    assert_eq!(summary.landings, 8);
}

/// The reports' raw statements are kept prepared, one per text: asked again, and in other
/// shapes in between (more scopes, fewer dimensions), each answers as a fresh statement would.
/// On PostgreSQL the connection holds the sum's statement once, and a snapshot runs its reads
/// read-only, repeatable and on generic plans, without leaving the setting or its transaction
/// behind, whether it ends well or in an error.
#[tokio::test]
async fn kept_statements_answer_as_fresh_ones() {
    use softlanding::db::DbConnection;
    use softlanding::db::tallies::{self, Tally};
    use softlanding::domain::reports::Dimension;

    let app = spawn_app().await;
    let r = reports_network(&app).await;
    let today = host_today();
    let (first, last) = (
        today - chrono::Days::new(400),
        today + chrono::Days::new(400),
    );
    let (ab, ac) = (r.ab.clone(), r.ac.clone());
    let sorted = |mut t: Vec<Tally>| {
        t.sort_by(|x, y| {
            (&x.scope, x.dimension.as_str(), &x.value).cmp(&(
                &y.scope,
                y.dimension.as_str(),
                &y.value,
            ))
        });
        t
    };
    let (one, both, landings_only, again, prepared, inside, after) = app
        .with_conn(move |conn| {
            let mut sum = |scopes: &[String], dims: &[Dimension]| {
                sorted(tallies::sum(conn, scopes, dims, first, last).unwrap())
            };
            let one = sum(std::slice::from_ref(&ab), &Dimension::USE);
            let both = sum(&[ab.clone(), ac.clone()], &Dimension::USE);
            let landings_only = sum(std::slice::from_ref(&ab), &[Dimension::Landings]);
            let again = sum(std::slice::from_ref(&ab), &Dimension::USE);
            #[derive(diesel::QueryableByName)]
            struct Answer {
                #[diesel(sql_type = diesel::sql_types::Text)]
                answer: String,
            }
            let ask = |conn: &mut DbConnection, sql: &str| {
                use diesel::RunQueryDsl;
                diesel::sql_query(sql)
                    .get_result::<Answer>(conn)
                    .unwrap()
                    .answer
            };
            let pg = matches!(conn, DbConnection::Postgres(_));
            let (prepared, inside, after) = if pg {
                let prepared = ask(
                    conn,
                    "SELECT count(*)::text AS answer FROM pg_prepared_statements \
                     WHERE statement LIKE '%FROM report_tally_changes%'",
                );
                let inside = softlanding::db::snapshot(conn, |c| {
                    Ok::<_, diesel::result::Error>(ask(
                        c,
                        "SELECT current_setting('plan_cache_mode') || ', ' || \
                         current_setting('transaction_isolation') || ', read only ' || \
                         current_setting('transaction_read_only') AS answer",
                    ))
                })
                .unwrap();
                // A snapshot whose reads fail rolls back: nothing of it stays on the connection.
                let failed = softlanding::db::snapshot(conn, |c| {
                    ask(c, "SELECT 'read' AS answer");
                    Err::<(), _>(diesel::result::Error::NotFound)
                });
                assert!(matches!(failed, Err(diesel::result::Error::NotFound)));
                let after = ask(
                    conn,
                    "SELECT current_setting('plan_cache_mode') || ', ' || \
                     current_setting('transaction_isolation') AS answer",
                );
                (Some(prepared), Some(inside), Some(after))
            } else {
                (None, None, None)
            };
            (one, both, landings_only, again, prepared, inside, after)
        })
        .await;
    assert!(!one.is_empty(), "the partnership A-B has figures");
    // C's partnership with A is unused: asking for it too adds nothing.
    assert_eq!(both, one);
    let landings_of_one: Vec<Tally> = one
        .iter()
        .filter(|t| t.dimension == Dimension::Landings)
        .cloned()
        .collect();
    assert!(!landings_of_one.is_empty());
    assert!(landings_of_one.len() < one.len());
    assert_eq!(landings_only, landings_of_one);
    assert_eq!(again, one);
    if app.backend() == softlanding::db::Backend::Postgres {
        assert_eq!(prepared.as_deref(), Some("1"));
        assert_eq!(
            inside.as_deref(),
            Some("force_generic_plan, repeatable read, read only on")
        );
        assert_eq!(after.as_deref(), Some("auto, read committed"));
    }
}

/// The landings at a report's edges, read for one cluster, are exactly the network's that the
/// cluster hosted or sent, whether they overlap a window or began before the range and last
/// into it. On SQLite each side is one index range of the cluster's landings by their stay
/// (`landings_host_stay`, `landings_home_stay`), not a read of every landing of the cluster.
#[tokio::test]
async fn a_clusters_edges_are_its_own_landings_read_by_their_stay() {
    use softlanding::db::DbConnection;
    use softlanding::db::tallies::{self, Whose};

    let app = spawn_app().await;
    let r = reports_network(&app).await;
    let today = host_today();
    let (a, b, c) = (
        r.net.cluster_a.clone(),
        r.net.cluster_b.clone(),
        r.cluster_c.clone(),
    );
    let (found, plan) = app
        .with_conn(move |conn| {
            let window = [(
                today - chrono::Days::new(400),
                today + chrono::Days::new(400),
            )];
            let ids = |edges: Vec<softlanding::domain::reports::TallyLanding>| {
                let mut v: Vec<(String, String, chrono::NaiveDate)> = edges
                    .into_iter()
                    .map(|l| (l.host_cluster_id, l.home_cluster_id, l.start_date))
                    .collect();
                v.sort();
                v
            };
            let mut found = Vec::new();
            // Overlapping a window, and begun before a day in the middle of the stays.
            for (windows, from) in [
                (&window[..], window[0].0),
                (&[][..], today + chrono::Days::new(1)),
            ] {
                let all = ids(tallies::landings_at_edges(conn, windows, from, Whose::All).unwrap());
                for cluster in [&a, &b, &c] {
                    let mine = ids(tallies::landings_at_edges(
                        conn,
                        windows,
                        from,
                        Whose::Cluster(cluster),
                    )
                    .unwrap());
                    let expected: Vec<_> = all
                        .iter()
                        .filter(|(host, home, _)| host == cluster || home == cluster)
                        .cloned()
                        .collect();
                    found.push((windows.len(), cluster.clone(), mine, expected, all.len()));
                }
            }
            let plan = match conn {
                DbConnection::Sqlite(_) => {
                    #[derive(diesel::QueryableByName)]
                    struct Step {
                        #[diesel(sql_type = diesel::sql_types::Text)]
                        detail: String,
                    }
                    use diesel::RunQueryDsl;
                    let steps: Vec<Step> = diesel::sql_query(
                        "EXPLAIN QUERY PLAN SELECT l.id FROM landings l \
                         WHERE (l.end_date >= ? AND l.start_date < ?) \
                         AND (l.host_cluster_id = ? OR l.home_cluster_id = ?)",
                    )
                    .bind::<diesel::sql_types::Date, _>(today)
                    .bind::<diesel::sql_types::Date, _>(today)
                    .bind::<diesel::sql_types::Text, _>(&a)
                    .bind::<diesel::sql_types::Text, _>(&a)
                    .load(conn)
                    .unwrap();
                    Some(
                        steps
                            .into_iter()
                            .map(|s| s.detail)
                            .collect::<Vec<_>>()
                            .join("; "),
                    )
                }
                DbConnection::Postgres(_) => None,
            };
            (found, plan)
        })
        .await;
    assert!(
        found
            .iter()
            .any(|(windows, _, _, _, all)| *windows == 1 && *all > 0),
        "the window holds landings"
    );
    for (windows, cluster, mine, expected, _) in &found {
        assert_eq!(mine, expected, "{windows} windows, cluster {cluster}");
    }
    if let Some(plan) = plan {
        assert!(
            plan.contains("landings_host_stay (host_cluster_id=? AND start_date<?)")
                && plan.contains("landings_home_stay (home_cluster_id=? AND start_date<?)"),
            "{plan}"
        );
    }
}
