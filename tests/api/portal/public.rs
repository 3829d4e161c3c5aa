//! The pages anyone may read and the pages of a signed-in person: each answers 200 with its
//! heading and landmarks; the search filters, updates in place, and the offer's calendar shows
//! the free places the API counts; an unknown address is the portal's 404.

use chrono::{Datelike, Days, NaiveDate};
use serde_json::{Value, json};

use super::client::{Page, Portal, signed_in};
use super::{published_offer, swedish_cluster};
use crate::helpers::spawn_app;
use crate::landings::{Landings, PURPOSE, book, day, landings, publish_offer};
use crate::offers::desk;

/// Every POST form of the page carries a form token.
#[track_caller]
fn assert_post_forms_carry_a_token(page: &Page) {
    for form in page.select("form[method=post]") {
        let token = form
            .select(&scraper::Selector::parse("input[type=hidden][name=csrf_token]").unwrap())
            .next()
            .and_then(|i| i.value().attr("value"))
            .unwrap_or_default();
        assert!(
            token.len() >= 32,
            "{}: form#{} carries no form token",
            page.path,
            form.value().attr("id").unwrap_or("?")
        );
    }
}

/// The navigation and footer of a visitor who is not signed in.
#[track_caller]
fn assert_anonymous_chrome(page: &Page) {
    assert_eq!(
        page.attr("a#nav-offers", "href").as_deref(),
        Some("/offers")
    );
    assert_eq!(
        page.attr("a#nav-clusters", "href").as_deref(),
        Some("/clusters")
    );
    assert_eq!(
        page.attr("a#nav-sign-in", "href").as_deref(),
        Some("/sign-in")
    );
    assert_eq!(
        page.attr("a#nav-sign-up", "href").as_deref(),
        Some("/sign-up")
    );
    assert!(!page.has("#nav-landings") && !page.has("#sign-out-form"));
    assert_language_switcher(page);
}

#[track_caller]
fn assert_language_switcher(page: &Page) {
    let form = page.form("form#language-form");
    assert_eq!(
        (form.method.as_str(), form.action.as_str()),
        ("POST", "/language")
    );
    assert_eq!(
        page.attrs("#language-form select[name=locale] option", "value"),
        vec!["en", "de", "sv", "fr"]
    );
    assert!(page.has("button#language-submit"));
}

/// The navigation of a signed-in person.
#[track_caller]
fn assert_signed_in_chrome(page: &Page, sme: bool) {
    assert_eq!(
        page.attr("a#nav-landings", "href").as_deref(),
        Some("/landings")
    );
    assert_eq!(
        page.attr("a#nav-account", "href").as_deref(),
        Some("/account")
    );
    assert_eq!(page.has("a#nav-sme"), sme, "{}: #nav-sme", page.path);
    let sign_out = page.form("form#sign-out-form");
    assert_eq!(
        (sign_out.method.as_str(), sign_out.action.as_str()),
        ("POST", "/sign-out")
    );
    assert!(!page.has("#nav-sign-in") && !page.has("#nav-sign-up"));
    assert_language_switcher(page);
}

fn hrefs(page: &Page, css: &str) -> Vec<String> {
    let mut h = page.attrs(css, "href");
    h.sort();
    h
}

#[tokio::test]
async fn every_public_page_answers_with_its_heading_and_landmarks() {
    let app = spawn_app().await;
    let l = landings(&app).await;
    let offer = app
        .get(&format!("/api/v1/offers/{}", l.offer), None)
        .await
        .expect(200);
    let cluster = app
        .get(&format!("/api/v1/clusters/{}", l.net.cluster_a), None)
        .await
        .expect(200);
    let portal = Portal::new(&app);

    let home = portal.get("/").await;
    home.assert_page();
    assert_anonymous_chrome(&home);
    let search = home.form("form#home-search");
    assert_eq!(
        (search.method.as_str(), search.action.as_str()),
        ("GET", "/offers")
    );
    assert!(search.get("q").is_some(), "the search box is `q`");
    let clusters = hrefs(&home, "a.cluster-link");
    assert!(clusters.contains(&format!("/clusters/{}", l.net.cluster_a)));
    assert!(clusters.contains(&format!("/clusters/{}", l.net.cluster_b)));

    let offers = portal.get("/offers").await;
    offers.assert_page();
    assert_anonymous_chrome(&offers);
    let form = offers.form("form#search-form");
    assert_eq!(
        (form.method.as_str(), form.action.as_str()),
        ("GET", "/offers")
    );
    for name in [
        "q",
        "country",
        "city",
        "kind",
        "sector",
        "language",
        "from",
        "to",
        "headcount",
    ] {
        assert!(form.get(name).is_some(), "the search form has `{name}`");
    }
    assert!(offers.has("button#search-submit"));
    assert_eq!(
        offers.attrs("#results li.offer a.offer-link", "href"),
        vec![format!("/offers/{}", l.offer)]
    );

    let page = portal.get(&format!("/offers/{}", l.offer)).await;
    assert_eq!(page.assert_page(), offer["title"].as_str().unwrap());
    assert_anonymous_chrome(&page);
    assert_eq!(
        page.attr("a#request-landing", "href"),
        Some(format!("/landings/new?offer_id={}", l.offer))
    );
    assert!(page.has("#calendar td[data-date]"));

    let directory = portal.get("/clusters").await;
    directory.assert_page();
    assert_eq!(hrefs(&directory, "li.cluster a.cluster-link"), {
        let mut v = vec![
            format!("/clusters/{}", l.net.cluster_a),
            format!("/clusters/{}", l.net.cluster_b),
        ];
        v.sort();
        v
    });

    let page = portal.get(&format!("/clusters/{}", l.net.cluster_a)).await;
    assert_eq!(page.assert_page(), cluster["name"].as_str().unwrap());
    assert_anonymous_chrome(&page);

    let sign_up = portal.get("/sign-up").await;
    sign_up.assert_page();
    let form = sign_up.form("form#sign-up-form");
    assert_eq!(
        (form.method.as_str(), form.action.as_str()),
        ("POST", "/sign-up")
    );
    for name in [
        "name",
        "country",
        "sector",
        "website",
        "employees",
        "home_cluster_id",
        "contact_name",
        "contact_email",
        "password",
    ] {
        assert!(form.get(name).is_some(), "the sign-up form has `{name}`");
    }
    assert!(
        sign_up
            .attrs("select[name=country] option", "value")
            .contains(&"DE".to_owned())
    );
    assert!(
        sign_up
            .attrs("select[name=home_cluster_id] option", "value")
            .contains(&l.net.cluster_a)
    );
    assert!(sign_up.has("#sign-up-form button[type=submit]"));

    let sign_in = portal.get("/sign-in").await;
    sign_in.assert_page();
    let form = sign_in.form("form#sign-in-form");
    assert_eq!(
        (form.method.as_str(), form.action.as_str()),
        ("POST", "/sign-in")
    );
    assert!(form.get("email").is_some() && form.get("password").is_some());
    assert_eq!(form.get("next"), Some("/landings"));

    let forgot = portal.get("/forgot-password").await;
    forgot.assert_page();
    assert!(forgot.form("form#forgot-form").get("email").is_some());

    let set = portal.get("/set-password?token=abc123").await;
    set.assert_page();
    let form = set.form("form#set-password-form");
    assert_eq!(form.get("token"), Some("abc123"));
    assert!(form.get("new_password").is_some() && form.get("confirm_password").is_some());

    let confirm = portal.get("/confirm-email?token=abc123").await;
    confirm.assert_page();
    let form = confirm.form("form#confirm-email-form");
    assert_eq!(
        (form.action.as_str(), form.get("token")),
        ("/confirm-email", Some("abc123"))
    );

    let done = portal.get("/sign-up/done").await;
    done.assert_page();
    assert!(done.has("#sign-up-done"));

    for page in [
        &home, &offers, &sign_up, &sign_in, &forgot, &set, &confirm, &done,
    ] {
        assert_anonymous_chrome(page);
        assert_post_forms_carry_a_token(page);
        page.assert_inputs_labelled();
    }
}

#[tokio::test]
async fn every_signed_in_page_answers_with_its_heading_and_landmarks() {
    let app = spawn_app().await;
    let l = landings(&app).await;
    let landing = l.submit(&app, &l.request(5, 2, 1)).await;
    let lid = landing["id"].as_str().unwrap();
    let title = app
        .get(&format!("/api/v1/offers/{}", l.offer), None)
        .await
        .expect(200)["title"]
        .as_str()
        .unwrap()
        .to_owned();
    let sme = app
        .get(
            &format!("/api/v1/smes/{}", l.sme_b),
            Some(&l.member_b.token),
        )
        .await
        .expect(200);
    let portal = signed_in(&app, &l.member_b.email).await;

    let list = portal.get("/landings").await;
    list.assert_page();
    assert_signed_in_chrome(&list, true);
    assert_eq!(
        list.form("form#landings-filter").method,
        "GET",
        "the state filter is a GET form"
    );
    assert_eq!(
        list.attr(
            &format!("table#landings tr[data-landing-id='{lid}'] a.landing-link"),
            "href"
        ),
        Some(format!("/landings/{lid}"))
    );

    let new = portal
        .get(&format!("/landings/new?offer_id={}", l.offer))
        .await;
    new.assert_page();
    assert_signed_in_chrome(&new, true);
    let form = new.form("form#landing-form");
    assert_eq!(
        (form.method.as_str(), form.action.as_str()),
        ("POST", "/landings/new")
    );
    assert_eq!(form.get("offer_id"), Some(l.offer.as_str()));
    for name in [
        "start_date",
        "end_date",
        "headcount",
        "purpose",
        "target_market",
    ] {
        assert!(form.get(name).is_some(), "the request form has `{name}`");
    }
    assert_eq!(
        new.attr("input[name=start_date]", "type").as_deref(),
        Some("date")
    );
    assert_eq!(
        new.attr("input[name=headcount]", "type").as_deref(),
        Some("number")
    );
    assert!(new.has("textarea[name=purpose]"));
    assert!(
        new.select("input[type=checkbox][name=requested_services]")
            .len()
            >= 2
    );

    let detail = portal.get(&format!("/landings/{lid}")).await;
    assert_eq!(detail.assert_page(), title);
    assert_signed_in_chrome(&detail, true);
    assert_eq!(detail.landing_state(), "pending_approval");
    assert_eq!(detail.select("ol#timeline li").len(), 1, "submitted");
    assert!(detail.has("form#withdraw-form"));
    assert!(
        detail.body.contains(PURPOSE),
        "the landing page shows its purpose"
    );

    let profile = portal.get("/sme").await;
    assert_eq!(profile.assert_page(), sme["name"].as_str().unwrap());
    assert_signed_in_chrome(&profile, true);
    let form = profile.form("form#sme-form");
    assert_eq!(form.get("name"), sme["name"].as_str());
    assert!(form.get("etag").is_some_and(|e| !e.is_empty()));
    for name in [
        "country",
        "sector",
        "website",
        "employees",
        "target_markets",
    ] {
        assert!(form.get(name).is_some(), "the profile form has `{name}`");
    }
    let invite = profile.form("form#invite-form");
    assert!(invite.get("invite_name").is_some() && invite.get("invite_email").is_some());

    let account = portal.get("/account").await;
    account.assert_page();
    assert_signed_in_chrome(&account, true);
    let form = account.form("form#account-form");
    assert!(form.get("name").is_some() && form.get("locale").is_some());
    let form = account.form("form#password-form");
    assert!(form.get("current_password").is_some() && form.get("new_password").is_some());
    assert!(account.has("form#sign-out-everywhere-form"));

    for page in [&list, &new, &detail, &profile, &account] {
        assert_post_forms_carry_a_token(page);
        page.assert_inputs_labelled();
    }

    // A manager has landings and an account, and no SME pages.
    let manager = signed_in(&app, &l.net.manager_a.email).await;
    let hosted = manager.get("/landings").await;
    hosted.assert_page();
    assert_signed_in_chrome(&hosted, false);
    assert!(hosted.has(&format!("tr[data-landing-id='{lid}']")));
    let page = manager.get(&format!("/landings/{lid}")).await;
    assert_eq!(page.assert_page(), title);
    manager.get("/account").await.assert_page();
}

#[tokio::test]
async fn a_country_filter_keeps_only_that_countrys_offers() {
    let app = spawn_app().await;
    let l = landings(&app).await;
    let (se, manager_se) = swedish_cluster(&app, &l.net.admin).await;
    let today = l.today;
    let swedish = published_offer(
        &app,
        &manager_se.token,
        &se,
        desk(
            json!({"title": "Kista telecom briefing", "kind": "market_briefing",
                    "city": "Stockholm", "available_from": today.to_string(),
                    "available_until": day(today, 200)}),
        ),
    )
    .await;
    app.settle().await;
    let portal = Portal::new(&app);
    let all = portal.get("/offers").await;
    all.expect(200);
    assert_eq!(hrefs(&all, "#results li.offer a.offer-link"), {
        let mut v = vec![format!("/offers/{}", l.offer), format!("/offers/{swedish}")];
        v.sort();
        v
    });

    let sweden = portal.submit("#search-form", &[("country", "SE")]).await;
    sweden.expect(200);
    assert_eq!(
        hrefs(&sweden, "#results li.offer a.offer-link"),
        vec![format!("/offers/{swedish}")]
    );
    assert_eq!(
        sweden.form("#search-form").get("country"),
        Some("SE"),
        "the filter stays in the form"
    );

    let germany = portal.get("/offers?country=de").await;
    germany.expect(200);
    assert_eq!(
        hrefs(&germany, "#results li.offer a.offer-link"),
        vec![format!("/offers/{}", l.offer)]
    );

    // A country no offer is in finds nothing; a malformed one is the form's error.
    let none = portal.get("/offers?country=FR").await;
    none.expect(200);
    assert!(!none.has("#results li.offer"));
    let wrong = portal.get("/offers?country=Germany").await;
    wrong.expect(422);
    assert!(
        wrong.field_error("country").is_some(),
        "{:?}",
        wrong.fields_in_error()
    );
    assert!(wrong.error_summary().is_some());
}

#[tokio::test]
async fn the_free_places_filter_keeps_offers_with_room_on_every_day() {
    let app = spawn_app().await;
    let l = landings(&app).await;
    // Capacity 3: two places taken on day 10, all three on day 11.
    let (d10, d11) = (l.today + Days::new(10), l.today + Days::new(11));
    book(&app, &l.net.manager_a, &l.member_b, &l.offer, d10, 2).await;
    book(&app, &l.net.manager_a, &l.member_b, &l.offer, d11, 3).await;
    app.settle().await;
    let portal = Portal::new(&app);
    portal.get("/offers").await.expect(200);
    let found = |page: &Page| page.attrs("#results li.offer a.offer-link", "href");
    let offer = vec![format!("/offers/{}", l.offer)];
    let (from, to) = (day(l.today, 8), day(l.today, 10));

    let page = portal
        .submit(
            "#search-form",
            &[("from", &from), ("to", &to), ("headcount", "1")],
        )
        .await;
    page.expect(200);
    assert_eq!(found(&page), offer, "one place left on day 10");
    let form = page.form("#search-form");
    assert_eq!(
        (form.get("from"), form.get("to"), form.get("headcount")),
        (Some(from.as_str()), Some(to.as_str()), Some("1"))
    );

    let page = portal.submit("#search-form", &[("headcount", "2")]).await;
    page.expect(200);
    assert!(found(&page).is_empty(), "two do not fit on day 10");

    let page = portal
        .submit(
            "#search-form",
            &[
                ("from", &day(l.today, 11)),
                ("to", &day(l.today, 11)),
                ("headcount", ""),
            ],
        )
        .await;
    page.expect(200);
    assert!(found(&page).is_empty(), "full on day 11");

    let page = portal
        .submit(
            "#search-form",
            &[
                ("from", &day(l.today, 12)),
                ("to", &day(l.today, 14)),
                ("headcount", "3"),
            ],
        )
        .await;
    page.expect(200);
    assert_eq!(found(&page), offer, "all three places free after day 11");

    let page = portal.submit("#search-form", &[("headcount", "4")]).await;
    page.expect(200);
    assert!(found(&page).is_empty(), "capacity is 3");
}

#[tokio::test]
async fn an_htmx_search_answers_only_the_results() {
    let app = spawn_app().await;
    let l = landings(&app).await;
    let portal = Portal::new(&app);
    let page = portal
        .get_with("/offers?country=DE", &[("HX-Request", "true")])
        .await;
    page.expect(200);
    let body = page.body.trim_start().to_ascii_lowercase();
    assert!(
        body.starts_with("<section id=\"results\""),
        "the fragment is #results: {}",
        &page.body[..page.body.len().min(200)]
    );
    for whole in ["<html", "<!doctype", "<header", "<footer", "<main"] {
        assert!(!body.contains(whole), "the fragment holds no `{whole}`");
    }
    assert_eq!(
        page.attrs("#results li.offer a.offer-link", "href"),
        vec![format!("/offers/{}", l.offer)]
    );
    let none = portal
        .get_with("/offers?country=SE", &[("HX-Request", "true")])
        .await;
    none.expect(200);
    assert!(
        none.body
            .trim_start()
            .starts_with("<section id=\"results\"")
    );
    assert!(!none.has("li.offer"));

    // The same address without htmx is the whole page.
    let whole = portal.get("/offers?country=DE").await;
    whole.assert_page();
    assert!(whole.has("#results li.offer"));
}

/// The first day of the month of `day` and the last.
fn month_of(day: NaiveDate) -> (NaiveDate, NaiveDate) {
    let first = day.with_day(1).unwrap();
    let next = first.checked_add_months(chrono::Months::new(1)).unwrap();
    (first, next.pred_opt().unwrap())
}

/// Each day of the calendar shown: its date, and its free places when it is open.
fn calendar(page: &Page) -> Vec<(String, Option<i64>)> {
    page.select("#calendar td[data-date]")
        .into_iter()
        .map(|td| {
            (
                td.value().attr("data-date").unwrap().to_owned(),
                td.value()
                    .attr("data-remaining")
                    .map(|r| r.parse().expect("data-remaining is a number")),
            )
        })
        .collect()
}

/// The same month as the API counts it.
async fn api_month(
    app: &crate::helpers::TestApp,
    offer: &str,
    day: NaiveDate,
) -> Vec<(String, Option<i64>)> {
    let (first, last) = month_of(day);
    let days: Value = app
        .get(
            &format!("/api/v1/offers/{offer}/availability?from={first}&to={last}"),
            None,
        )
        .await
        .expect(200);
    days.as_array()
        .unwrap()
        .iter()
        .map(|d| {
            (
                d["date"].as_str().unwrap().to_owned(),
                d["open"]
                    .as_bool()
                    .unwrap()
                    .then(|| d["remaining"].as_i64().unwrap()),
            )
        })
        .collect()
}

#[tokio::test]
async fn the_offer_calendar_shows_the_free_places_the_api_counts() {
    let app = spawn_app().await;
    let l: Landings = landings(&app).await;
    // Next month, whatever today is: places taken on the 10th and 11th, a blackout on the 20th.
    let (first_next, _) = month_of(month_of(l.today).1 + Days::new(1));
    let tenth = first_next + Days::new(9);
    book(&app, &l.net.manager_a, &l.member_b, &l.offer, tenth, 2).await;
    book(
        &app,
        &l.net.manager_a,
        &l.member_b,
        &l.offer,
        tenth + Days::new(1),
        3,
    )
    .await;
    let twentieth = first_next + Days::new(19);
    app.post(
        &format!("/api/v1/offers/{}/blackouts", l.offer),
        Some(&l.net.manager_a.token),
        &json!({"start_date": twentieth.to_string(), "end_date": twentieth.to_string(),
                "reason": "Trade fair"}),
    )
    .await
    .expect(201);
    app.settle().await;
    let portal = Portal::new(&app);

    // The offer opens today: its page shows this month, and each day as the API counts it.
    let page = portal.get(&format!("/offers/{}", l.offer)).await;
    page.assert_page();
    let shown = calendar(&page);
    assert_eq!(shown, api_month(&app, &l.offer, l.today).await);
    assert_eq!(shown[0].0, month_of(l.today).0.to_string(), "from the 1st");
    assert_eq!(
        shown
            .iter()
            .find(|(d, _)| *d == l.today.to_string())
            .unwrap()
            .1,
        Some(3),
        "today is open with every place free"
    );
    assert!(!page.has("#prev-month"), "nothing to see before the window");

    // `a#next-month` moves to the next month, where the bookings and the blackout are.
    let next = page.attr("a#next-month", "href").expect("a#next-month");
    let key = first_next.format("%Y-%m").to_string();
    assert!(next.contains(&format!("month={key}")), "{next}");
    let page = portal
        .get(&format!("/offers/{}?month={key}", l.offer))
        .await;
    page.assert_page();
    let shown = calendar(&page);
    assert_eq!(shown, api_month(&app, &l.offer, first_next).await);
    let on = |d: NaiveDate| shown.iter().find(|(s, _)| *s == d.to_string()).unwrap().1;
    assert_eq!(on(tenth), Some(1), "two of three places taken");
    assert_eq!(on(tenth + Days::new(1)), Some(0), "full");
    assert_eq!(on(twentieth), None, "a blackout day is closed");
    assert_eq!(on(twentieth + Days::new(1)), Some(3));
    assert!(
        page.has(&format!(
            "#calendar td[data-date='{}'].full",
            tenth + Days::new(1)
        )),
        "a full day says so"
    );
    assert!(page.has("a#prev-month"));

    // With htmx, the month alone.
    let fragment = portal
        .get_with(
            &format!("/offers/{}?month={key}", l.offer),
            &[("HX-Request", "true")],
        )
        .await;
    fragment.expect(200);
    assert!(
        fragment
            .body
            .trim_start()
            .starts_with("<section id=\"calendar\"")
    );
    assert_eq!(calendar(&fragment), shown);
}

#[tokio::test]
async fn a_cluster_page_lists_its_published_offers_only() {
    let app = spawn_app().await;
    let l = landings(&app).await;
    let mut offers = vec![
        format!("/offers/{}", l.offer),
        format!(
            "/offers/{}",
            publish_offer(
                &app,
                &l.net,
                json!({"title": "Meeting room", "kind": "meeting_room"})
            )
            .await
        ),
    ];
    offers.sort();
    // A draft, a paused and an archived offer are not shown.
    let draft =
        crate::offers::create_offer(&app, &l.net, desk(json!({"title": "Draft desk"}))).await;
    let paused = publish_offer(&app, &l.net, json!({"title": "Paused desk"})).await;
    let archived = publish_offer(&app, &l.net, json!({"title": "Archived desk"})).await;
    for (id, action) in [(&paused, "pause"), (&archived, "archive")] {
        app.post(
            &format!("/api/v1/offers/{id}/{action}"),
            Some(&l.net.manager_a.token),
            &json!({}),
        )
        .await
        .expect(200);
    }
    app.settle().await;
    let portal = Portal::new(&app);
    let page = portal.get(&format!("/clusters/{}", l.net.cluster_a)).await;
    page.assert_page();
    assert_eq!(hrefs(&page, "a.offer-link"), offers);
    for hidden in [draft["id"].as_str().unwrap(), &paused, &archived] {
        assert!(!page.body.contains(hidden), "{hidden} is not published");
    }
    // Cluster B offers nothing.
    let page = portal.get(&format!("/clusters/{}", l.net.cluster_b)).await;
    page.assert_page();
    assert!(!page.has("a.offer-link"));
    // A draft's page is not found either.
    portal
        .get(&format!("/offers/{}", draft["id"].as_str().unwrap()))
        .await
        .expect(404);
}

/// Words that would tell a visitor how the service is built.
const TELLTALES: [&str; 12] = [
    "panicked",
    "stack backtrace",
    "src/",
    ".rs:",
    "diesel",
    "SELECT ",
    "sqlite",
    "postgres",
    "minijinja",
    "actix",
    "Traceback",
    "RUST_BACKTRACE",
];

/// Asserts the page tells nothing of how the service is built: not in what it shows, nor in
/// comments or attributes.
#[track_caller]
fn assert_reveals_nothing(page: &Page) {
    let shown = super::client::text_of(page.html.root_element()).to_lowercase();
    for word in TELLTALES {
        assert!(
            !shown.contains(&word.to_lowercase()),
            "{} shows `{word}`",
            page.path
        );
    }
    for word in [
        "panicked",
        "backtrace",
        "diesel",
        "minijinja",
        ".rs:",
        "sqlstate",
    ] {
        assert!(
            !page.body.to_lowercase().contains(word),
            "{} holds `{word}`",
            page.path
        );
    }
}

#[tokio::test]
async fn an_unknown_address_is_the_portals_404_and_reveals_nothing() {
    let app = spawn_app().await;
    let portal = Portal::new(&app);
    let unknown = uuid::Uuid::now_v7();
    for path in [
        "/no/such/page".to_owned(),
        "/offers/not-an-id".to_owned(),
        format!("/offers/{unknown}"),
        format!("/clusters/{unknown}"),
        "/clusters/'%20OR%201=1--".to_owned(),
        "/assets/../Cargo.toml".to_owned(),
    ] {
        let page = portal.get(&path).await;
        page.expect(404);
        page.assert_landmarks();
        assert!(page.has("main#main a[href='/']"), "{path}: a way home");
        assert_reveals_nothing(&page);
    }

    // The API keeps answering problems.
    let api = app.get("/api/v1/nope", None).await;
    api.expect_problem(404, "not_found");
    let page = portal.get("/api/v1/nope").await;
    assert_eq!(page.status(), 404);
    assert_eq!(
        page.header("content-type").as_deref(),
        Some("application/problem+json")
    );
    assert!(!page.body.contains("<html"));
}

#[tokio::test]
async fn a_signed_in_person_meets_404_for_what_does_not_exist() {
    let app = spawn_app().await;
    let l = landings(&app).await;
    let portal = signed_in(&app, &l.member_b.email).await;
    let unknown = uuid::Uuid::now_v7();
    for path in [
        format!("/landings/{unknown}"),
        "/landings/not-an-id".to_owned(),
        format!("/landings/{unknown}/calendar.ics"),
        format!("/landings/new?offer_id={unknown}"),
        "/landings/new".to_owned(),
    ] {
        let page = portal.get(&path).await;
        page.expect(404);
        page.assert_landmarks();
        assert_reveals_nothing(&page);
    }
}

#[tokio::test]
async fn the_search_pages_through_its_results_and_the_home_search_box_finds_words() {
    let app = spawn_app().await;
    let l = landings(&app).await;
    let mut all = vec![format!("/offers/{}", l.offer)];
    for n in 1..=21 {
        let title = format!("Meeting room number {n}");
        let id = publish_offer(
            &app,
            &l.net,
            json!({"title": title, "kind": "meeting_room"}),
        )
        .await;
        all.push(format!("/offers/{id}"));
    }
    all.sort();
    app.settle().await;
    let portal = Portal::new(&app);
    let mut seen = Vec::new();
    let mut page = portal.get("/offers").await;
    let mut pages = 0;
    loop {
        page.assert_page();
        let found = page.attrs("#results li.offer a.offer-link", "href");
        assert!(found.len() <= 20, "a page holds at most 20 offers");
        seen.extend(found);
        pages += 1;
        match page.attr("a#next-page", "href") {
            Some(next) => page = portal.get(&next).await,
            None => break,
        }
    }
    assert_eq!(pages, 2);
    seen.sort();
    assert_eq!(seen, all, "every offer once, across the pages");

    // With htmx the next page is the results alone.
    let first = portal.get("/offers?kind=meeting_room").await;
    let next = first.attr("a#next-page", "href").expect("a next page");
    assert!(
        next.contains("kind=meeting_room"),
        "the filters stay: {next}"
    );
    let more = portal.get_with(&next, &[("HX-Request", "true")]).await;
    more.expect(200);
    assert!(
        more.body
            .trim_start()
            .starts_with("<section id=\"results\"")
    );
    assert_eq!(more.select("#results li.offer").len(), 1);

    // The front page's search box searches the offers' words.
    let home = portal.get("/").await;
    home.assert_page();
    let found = portal
        .send_form(&home.form("#home-search").fill(&[("q", "hot desk")]))
        .await;
    found.assert_page();
    assert_eq!(
        found.attrs("#results li.offer a.offer-link", "href"),
        vec![format!("/offers/{}", l.offer)]
    );
    assert_eq!(found.form("#search-form").get("q"), Some("hot desk"));
}
