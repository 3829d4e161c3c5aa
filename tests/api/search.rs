//! Offer search: every filter, published offers only, eligibility through partnerships,
//! free places over a date range, and paging that stays stable and complete under inserts.

use std::collections::HashSet;

use serde_json::{Value, json};

use crate::fixtures::{Network, network};
use crate::helpers::{TestApp, spawn_app};
use crate::offers::desk;

async fn published(app: &TestApp, token: &str, cluster: &str, body: Value) -> String {
    let offer = app
        .post(
            &format!("/api/v1/clusters/{cluster}/offers"),
            Some(token),
            &body,
        )
        .await
        .expect(201);
    let id = offer["id"].as_str().unwrap().to_owned();
    app.post(
        &format!("/api/v1/offers/{id}/publish"),
        Some(token),
        &json!({}),
    )
    .await
    .expect(200);
    id
}

fn titles(page: &Value) -> Vec<String> {
    let mut t: Vec<String> = page["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|o| o["title"].as_str().unwrap().to_owned())
        .collect();
    t.sort();
    t
}

struct World {
    net: Network,
    cluster_se: String,
    desk_a: String,
}

async fn world(app: &TestApp) -> World {
    let net = network(app).await;
    let se = app
        .post(
            "/api/v1/clusters",
            Some(&net.admin.token),
            &json!({"name": "Kista", "country": "SE", "city": "Stockholm", "timezone": "Europe/Stockholm",
                    "contact_email": "hej@kista.test", "sectors": ["telecom"]}),
        )
        .await
        .expect(201)["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let manager_se = app.manager(&net.admin, &se, "manager@kista-se.test").await;
    let desk_a = published(
        app,
        &net.manager_a.token,
        &net.cluster_a,
        desk(json!({"title": "Karlsruhe desk"})),
    )
    .await;
    published(
        app,
        &net.manager_a.token,
        &net.cluster_a,
        desk(json!({"title": "AI introductions", "kind": "introductions", "sectors": ["ai"], "languages": ["de"],
                    "description": "Meet robotics and machine learning startups."})),
    )
    .await;
    published(
        app,
        &net.manager_b.token,
        &net.cluster_b,
        desk(json!({"title": "Durlach meeting room", "kind": "meeting_room", "city": "Durlach"})),
    )
    .await;
    published(
        app,
        &manager_se.token,
        &se,
        desk(json!({"title": "Kista telecom briefing", "kind": "market_briefing", "city": "Stockholm",
                    "languages": ["sv", "en"], "sectors": ["telecom"]})),
    )
    .await;
    // Neither a draft nor a paused offer is ever found.
    app.post(
        &format!("/api/v1/clusters/{}/offers", net.cluster_a),
        Some(&net.manager_a.token),
        &desk(json!({"title": "Draft desk"})),
    )
    .await
    .expect(201);
    let paused = published(
        app,
        &net.manager_a.token,
        &net.cluster_a,
        desk(json!({"title": "Paused desk"})),
    )
    .await;
    app.post(
        &format!("/api/v1/offers/{paused}/pause"),
        Some(&net.manager_a.token),
        &json!({}),
    )
    .await
    .expect(200);
    app.settle().await;
    World {
        net,
        cluster_se: se,
        desk_a,
    }
}

#[tokio::test]
async fn every_filter_narrows_to_published_offers() {
    let app = spawn_app().await;
    let w = world(&app).await;
    let get = |q: &str| {
        let path = format!("/api/v1/offers{q}");
        let app = &app;
        async move { titles(&app.get(&path, None).await.expect(200)) }
    };
    assert_eq!(
        get("").await,
        vec![
            "AI introductions",
            "Durlach meeting room",
            "Karlsruhe desk",
            "Kista telecom briefing"
        ]
    );
    assert_eq!(get("?country=se").await, vec!["Kista telecom briefing"]);
    assert_eq!(get("?city=durlach").await, vec!["Durlach meeting room"]);
    assert_eq!(get("?kind=introductions").await, vec!["AI introductions"]);
    assert_eq!(get("?sector=telecom").await, vec!["Kista telecom briefing"]);
    assert_eq!(get("?language=sv").await, vec!["Kista telecom briefing"]);
    assert_eq!(
        get(&format!("?cluster_id={}", w.net.cluster_b)).await,
        vec!["Durlach meeting room"]
    );
    assert_eq!(
        get("?q=Robotics%20STARTUPS").await,
        vec!["AI introductions"]
    );
    assert_eq!(
        get("?q=robotics%20telecom").await,
        Vec::<String>::new(),
        "every word must match"
    );
    assert_eq!(get("?q=100%25").await, Vec::<String>::new(), "% is literal");
    assert_eq!(
        get("?country=DE&kind=desk_space&language=en").await,
        vec!["Karlsruhe desk"]
    );

    // Items embed their host cluster.
    let page = app.get("/api/v1/offers?country=SE", None).await.expect(200);
    let item = &page["items"][0];
    assert_eq!(item["cluster"]["id"], w.cluster_se);
    assert_eq!(item["cluster"]["name"], "Kista");
    assert_eq!(item["cluster"]["timezone"], "Europe/Stockholm");
    assert_eq!(item["state"], "published");

    let bad = app
        .get(
            "/api/v1/offers?country=Sweden&kind=sauna&language=swedish&headcount=0&limit=0",
            None,
        )
        .await;
    let mut fields = bad.invalid_fields();
    fields.sort();
    assert_eq!(
        fields,
        vec!["country", "headcount", "kind", "language", "limit"]
    );
    app.get("/api/v1/offers?colour=red", None)
        .await
        .expect_problem(400, "invalid_query");
    app.get("/api/v1/offers?eligible=maybe", None)
        .await
        .expect_problem(400, "invalid_query");
    assert_eq!(
        app.get("/api/v1/offers?to=2027-01-01", None)
            .await
            .invalid_fields(),
        vec!["from"]
    );
    assert_eq!(
        app.get("/api/v1/offers?headcount=2", None)
            .await
            .invalid_fields(),
        vec!["headcount"]
    );
}

#[tokio::test]
async fn a_date_range_and_headcount_keep_offers_with_room_on_every_day() {
    let app = spawn_app().await;
    let w = world(&app).await; // every desk has capacity 3, window 2027-01-04 .. 2027-12-17
    // Places are taken by landings that cluster B's SME asks for and the host approves.
    let visit = crate::landings::visitors(&app, &w.net, false).await;
    let book = |day: &'static str, visitors: i64| {
        let (app, host, member, offer) = (&app, &w.net.manager_a, &visit.member, &w.desk_a);
        async move {
            let day = day.parse::<chrono::NaiveDate>().unwrap();
            crate::landings::book(app, host, member, offer, day, visitors).await;
        }
    };
    book("2027-03-10", 2).await;
    book("2027-03-11", 3).await;
    let search = |q: &str| {
        let path = format!("/api/v1/offers?country=DE&kind=desk_space{q}");
        let app = &app;
        async move { titles(&app.get(&path, None).await.expect(200)) }
    };
    assert_eq!(
        search("&from=2027-03-08&to=2027-03-09&headcount=3").await,
        vec!["Karlsruhe desk"]
    );
    assert_eq!(
        search("&from=2027-03-08&to=2027-03-10&headcount=1").await,
        vec!["Karlsruhe desk"]
    );
    assert!(
        search("&from=2027-03-08&to=2027-03-10&headcount=2")
            .await
            .is_empty(),
        "one place left on the 10th"
    );
    assert!(
        search("&from=2027-03-11&to=2027-03-11").await.is_empty(),
        "full on the 11th"
    );
    assert!(
        search("&from=2027-03-01&to=2027-03-05&headcount=4")
            .await
            .is_empty(),
        "capacity is 3"
    );
    assert!(
        search("&from=2026-01-01&to=2026-12-31").await.is_empty(),
        "outside the window"
    );
    assert_eq!(
        search("&from=2027-03-12").await,
        vec!["Karlsruhe desk"],
        "from alone is one day"
    );
}

#[tokio::test]
async fn eligible_keeps_offers_of_active_partners_of_the_members_home_cluster() {
    let app = spawn_app().await;
    let w = world(&app).await;
    let net = &w.net;
    let eligible = |token: Option<String>| {
        let app = &app;
        async move {
            app.get("/api/v1/offers?eligible=true", token.as_deref())
                .await
        }
    };
    // No partnership yet: nothing is eligible for member A (home cluster A).
    assert!(titles(&eligible(Some(net.member_a.token.clone())).await.expect(200)).is_empty());
    let p = app
        .post(
            "/api/v1/partnerships",
            Some(&net.manager_a.token),
            &json!({"partner_cluster_id": net.cluster_b}),
        )
        .await
        .expect(201);
    let pid = p["id"].as_str().unwrap();
    assert!(
        titles(&eligible(Some(net.member_a.token.clone())).await.expect(200)).is_empty(),
        "proposed is not active"
    );
    app.post(
        &format!("/api/v1/partnerships/{pid}/accept"),
        Some(&net.manager_b.token),
        &json!({}),
    )
    .await
    .expect(200);
    assert_eq!(
        titles(&eligible(Some(net.member_a.token.clone())).await.expect(200)),
        vec!["Durlach meeting room"],
        "the partner's offers, never the home cluster's own"
    );
    app.post(
        &format!("/api/v1/partnerships/{pid}/suspend"),
        Some(&net.manager_b.token),
        &json!({}),
    )
    .await
    .expect(200);
    assert!(titles(&eligible(Some(net.member_a.token.clone())).await.expect(200)).is_empty());
    assert_eq!(eligible(None).await.invalid_fields(), vec!["eligible"]);
    assert_eq!(
        eligible(Some(net.manager_a.token.clone()))
            .await
            .invalid_fields(),
        vec!["eligible"]
    );
}

#[tokio::test]
async fn paging_is_stable_and_complete_while_offers_are_added() {
    let app = spawn_app().await;
    let net = network(&app).await;
    let mut expected = HashSet::new();
    for i in 0..7 {
        expected.insert(
            published(
                &app,
                &net.manager_a.token,
                &net.cluster_a,
                desk(json!({"title": format!("Desk {i}")})),
            )
            .await,
        );
    }
    let mut seen = Vec::new();
    let mut path = "/api/v1/offers?limit=2".to_owned();
    let mut added = 0;
    loop {
        let page = app.get(&path, None).await.expect(200);
        seen.extend(
            page["items"]
                .as_array()
                .unwrap()
                .iter()
                .map(|o| o["id"].as_str().unwrap().to_owned()),
        );
        if added < 3 {
            // A new offer while paging: it sorts after everything already served.
            expected.insert(
                published(
                    &app,
                    &net.manager_b.token,
                    &net.cluster_b,
                    desk(json!({"title": format!("Late {added}")})),
                )
                .await,
            );
            added += 1;
        }
        match page["next_cursor"].as_str() {
            Some(c) => path = format!("/api/v1/offers?limit=2&cursor={c}"),
            None => break,
        }
    }
    let unique: HashSet<String> = seen.iter().cloned().collect();
    assert_eq!(unique.len(), seen.len(), "no offer twice");
    assert_eq!(unique, expected, "every offer, old and new, exactly once");
    let mut sorted = seen.clone();
    sorted.sort();
    assert_eq!(seen, sorted, "a stable order");
}

/// A range whose every day is closed to an offer (its weekdays, its blackouts) is no landing
/// there: the offer is not found, while an offer open on one day of the range is. Paging past
/// the offers left out stays complete.
#[tokio::test]
async fn a_range_without_an_open_day_finds_no_offer_and_paging_skips_them() {
    let app = spawn_app().await;
    let net = network(&app).await;
    let offer = |title: &str, weekdays: Value| {
        desk(json!({"title": title, "city": "Bruchsal", "open_weekdays": weekdays}))
    };
    let (token, cluster) = (&net.manager_a.token, &net.cluster_a);
    let weekdays = json!([1, 2, 3, 4, 5]);
    let every_day = json!([1, 2, 3, 4, 5, 6, 7]);
    for (title, days) in [
        ("Weekday desk 1", &weekdays),
        ("Weekday desk 2", &weekdays),
        ("Weekday desk 3", &weekdays),
        ("Open desk 1", &every_day),
        ("Weekday desk 4", &weekdays),
    ] {
        published(&app, token, cluster, offer(title, days.clone())).await;
    }
    let blacked_out = published(&app, token, cluster, offer("Open desk 2", every_day)).await;
    // Closed Monday to Friday of one week, open at its weekend.
    app.post(
        &format!("/api/v1/offers/{blacked_out}/blackouts"),
        Some(token),
        &json!({"start_date": "2027-03-08", "end_date": "2027-03-12", "reason": "Trade fair"}),
    )
    .await
    .expect(201);
    let search = |q: &str| {
        let path = format!("/api/v1/offers?city=Bruchsal{q}");
        let app = &app;
        async move { titles(&app.get(&path, None).await.expect(200)) }
    };
    // A weekend: the weekday desks are closed on both days.
    assert_eq!(
        search("&from=2027-03-13&to=2027-03-14").await,
        vec!["Open desk 1", "Open desk 2"]
    );
    // Monday to Friday of the blackout: the blacked-out desk is closed on every day.
    assert_eq!(
        search("&from=2027-03-08&to=2027-03-12").await,
        vec![
            "Open desk 1",
            "Weekday desk 1",
            "Weekday desk 2",
            "Weekday desk 3",
            "Weekday desk 4"
        ]
    );
    // The whole week: every desk is open on some day of it.
    assert_eq!(search("&from=2027-03-08&to=2027-03-14").await.len(), 6);
    // One a page over the weekend: the pages skip the closed desks and end exactly.
    let mut path = "/api/v1/offers?city=Bruchsal&from=2027-03-13&to=2027-03-14&limit=1".to_owned();
    let mut pages = Vec::new();
    loop {
        let page = app.get(&path, None).await.expect(200);
        pages.push(titles(&page));
        match page["next_cursor"].as_str() {
            Some(c) => {
                path = format!(
                    "/api/v1/offers?city=Bruchsal&from=2027-03-13&to=2027-03-14&limit=1&cursor={c}"
                )
            }
            None => break,
        }
    }
    assert_eq!(pages, vec![vec!["Open desk 1"], vec!["Open desk 2"]]);
}
