//! `/manage/offers`: a cluster's managers list their offers in every state, create one through
//! the form (each rule's refusal at its field), edit it (an edit that crosses another says so
//! and shows what is stored now), move it through its states with only the buttons its state
//! allows, close days with blackouts (one over a booked day names the day) and read a month of
//! booked and free places. Another cluster's manager finds nothing; an SME's member is refused.

use chrono::{Datelike, Days};
use serde_json::{Value, json};
use softlanding::domain::account::Locale;

use super::client::{Portal, signed_in};
use super::{en, message};
use crate::fixtures::network;
use crate::helpers::{TestApp, spawn_app};
use crate::landings::{book, day, host_today, landings};
use crate::offers::desk;

async fn draft(app: &TestApp, cluster: &str, token: &str, overrides: Value) -> String {
    app.post(
        &format!("/api/v1/clusters/{cluster}/offers"),
        Some(token),
        &desk(overrides),
    )
    .await
    .expect(201)["id"]
        .as_str()
        .unwrap()
        .to_owned()
}

async fn offer_json(app: &TestApp, token: &str, id: &str) -> Value {
    app.get(&format!("/api/v1/offers/{id}"), Some(token))
        .await
        .expect(200)
}

fn month_of(day: &str) -> String {
    day[..7].to_owned()
}

#[tokio::test]
async fn the_list_shows_every_state_with_kind_and_capacity_and_filters_by_state() {
    let app = spawn_app().await;
    let net = network(&app).await;
    let token = &net.manager_a.token;
    let draft_id = draft(&app, &net.cluster_a, token, json!({"title": "Draft desk"})).await;
    let paused_id = draft(
        &app,
        &net.cluster_a,
        token,
        json!({"title": "Paused briefing", "kind": "market_briefing", "capacity": 7}),
    )
    .await;
    for action in ["publish", "pause"] {
        app.post(
            &format!("/api/v1/offers/{paused_id}/{action}"),
            Some(token),
            &json!({}),
        )
        .await
        .expect(200);
    }
    let portal = signed_in(&app, &net.manager_a.email).await;
    let page = portal.get("/manage/offers").await;
    page.assert_page();
    page.assert_inputs_labelled();
    assert_eq!(page.h1(), en("manage-offers-heading", &[]));
    assert_eq!(page.select("#offers tbody tr").len(), 2);
    let paused_row = page.text(&format!("tr[data-offer-id='{paused_id}']"));
    assert!(paused_row.contains("Paused briefing"), "{paused_row}");
    assert!(
        paused_row.contains(&en("offer-state-paused", &[])),
        "{paused_row}"
    );
    assert!(
        paused_row.contains(&en("kind-market_briefing", &[])),
        "{paused_row}"
    );
    assert!(
        paused_row.contains(&en("offer-capacity", &[("count", "7")])),
        "{paused_row}"
    );
    assert_eq!(
        page.attr(&format!("tr[data-offer-id='{draft_id}'] a"), "href")
            .as_deref(),
        Some(format!("/manage/offers/{draft_id}").as_str())
    );
    // The filter keeps one state.
    let drafts = portal.get("/manage/offers?state=draft").await;
    drafts.expect(200);
    assert_eq!(drafts.select("#offers tbody tr").len(), 1);
    assert!(drafts.has(&format!("tr[data-offer-id='{draft_id}']")));
    let archived = portal.get("/manage/offers?state=archived").await;
    assert!(archived.has("#no-offers"));
    // Another cluster's manager sees none of them.
    let other = signed_in(&app, &net.manager_b.email).await;
    let page = other.get("/manage/offers").await;
    page.expect(200);
    assert!(!page.has("#offers"));
    assert_eq!(page.text("#no-offers"), en("manage-offers-none", &[]));
}

#[tokio::test]
async fn an_offer_is_created_through_the_form_and_bad_fields_are_told_at_the_field() {
    let app = spawn_app().await;
    let net = network(&app).await;
    let portal = signed_in(&app, &net.manager_a.email).await;
    let page = portal.get("/manage/offers/new").await;
    assert_eq!(page.assert_page(), en("manage-offer-new-title", &[]));
    page.assert_inputs_labelled();
    let form = page.form("#offer-form");
    assert_eq!(form.all("open_weekdays"), ["1", "2", "3", "4", "5"]);
    let today = host_today();
    // Every bad field at once.
    let refused = portal
        .submit(
            "#offer-form",
            &[
                ("title", ""),
                ("description", "A desk with introductions."),
                ("city", "Karlsruhe"),
                ("capacity", "lots"),
                ("available_from", &day(today, 10)),
                ("available_until", &day(today, 5)),
                ("max_stay_days", "120"),
                ("languages", ""),
            ],
        )
        .await;
    refused.expect(422);
    refused.assert_errors_linked();
    assert_eq!(
        refused.field_error("capacity").as_deref(),
        Some(en("err-number", &[]).as_str())
    );
    // A form with numbers that are numbers is checked by the offer's own rules.
    let refused = portal
        .submit("#offer-form", &[("capacity", "0"), ("open_weekdays", "")])
        .await;
    refused.expect(422);
    let mut in_error = refused.fields_in_error();
    in_error.sort();
    assert_eq!(
        in_error,
        [
            "available_until",
            "capacity",
            "languages",
            "max_stay_days",
            "open_weekdays",
            "title"
        ]
    );
    assert_eq!(
        refused.field_error("capacity").as_deref(),
        Some(en("manage-offer-err-capacity", &[]).as_str())
    );
    assert_eq!(
        refused.field_error("open_weekdays").as_deref(),
        Some(en("manage-offer-err-weekdays", &[]).as_str())
    );
    // What was typed comes back.
    let form = refused.form("#offer-form");
    assert_eq!(form.get("city"), Some("Karlsruhe"));
    assert_eq!(form.get("available_from"), Some(day(today, 10).as_str()));
    // Put right, the draft is created and its page shown.
    let created = portal
        .submit(
            "#offer-form",
            &[
                ("kind", "mentoring"),
                ("title", "Mentoring at the hub"),
                ("capacity", "4"),
                ("available_until", &day(today, 200)),
                ("max_stay_days", "3"),
                ("open_weekdays", "2"),
                ("open_weekdays", "4"),
                ("languages", "EN, de"),
                ("sectors", "software, health care"),
                ("address", ""),
            ],
        )
        .await;
    created.expect(303);
    let to = created.redirect();
    let id = to.strip_prefix("/manage/offers/").unwrap().to_owned();
    let page = portal.follow(&created).await;
    assert_eq!(page.assert_page(), "Mentoring at the hub");
    assert_eq!(page.flash(), Some(en("flash-manage-offer-created", &[])));
    assert!(
        page.text("#offer-state")
            .contains(&en("offer-state-draft", &[]))
    );
    let stored = offer_json(&app, &net.manager_a.token, &id).await;
    assert_eq!(stored["state"], "draft");
    assert_eq!(stored["kind"], "mentoring");
    assert_eq!(stored["capacity"], 4);
    assert_eq!(stored["max_stay_days"], 3);
    assert_eq!(stored["open_weekdays"], json!([2, 4]));
    assert_eq!(stored["languages"], json!(["en", "de"]));
    assert_eq!(stored["sectors"], json!(["software", "health care"]));
    assert_eq!(stored["address"], Value::Null);
    assert_eq!(stored["cluster_id"], net.cluster_a.as_str());
}

#[tokio::test]
async fn an_edit_that_crosses_another_says_so_and_shows_the_offer_as_it_is() {
    let app = spawn_app().await;
    let net = network(&app).await;
    let token = &net.manager_a.token;
    let id = draft(&app, &net.cluster_a, token, json!({})).await;
    let portal = signed_in(&app, &net.manager_a.email).await;
    let page = portal.get(&format!("/manage/offers/{id}")).await;
    page.assert_page();
    page.assert_inputs_labelled();
    let form = page.form("#offer-form");
    assert_eq!(form.get("title"), Some("Hot desk at the CyberForum hub"));
    assert_eq!(form.get("capacity"), Some("3"));
    assert_eq!(form.get("languages"), Some("en, de"));
    // A bad edit is told at its field, and nothing changes.
    let refused = portal.submit("#offer-form", &[("capacity", "0")]).await;
    refused.expect(422);
    assert_eq!(
        refused.field_error("capacity").as_deref(),
        Some(en("manage-offer-err-capacity", &[]).as_str())
    );
    // Someone else changes the offer meanwhile.
    app.patch(
        &format!("/api/v1/offers/{id}"),
        Some(token),
        &json!({"title": "Changed elsewhere"}),
    )
    .await
    .expect(200);
    let crossed = portal.submit("#offer-form", &[("capacity", "8")]).await;
    crossed.expect(409);
    assert_eq!(
        crossed.text("#offer-conflict"),
        en("manage-offer-conflict", &[])
    );
    let form = crossed.form("#offer-form");
    assert_eq!(form.get("title"), Some("Changed elsewhere"));
    assert_eq!(form.get("capacity"), Some("3"));
    assert_eq!(offer_json(&app, token, &id).await["capacity"], 3);
    // Made again on what is stored now, the edit is saved.
    let saved = portal.submit("#offer-form", &[("capacity", "8")]).await;
    saved.expect(303);
    assert_eq!(saved.redirect(), format!("/manage/offers/{id}"));
    let page = portal.follow(&saved).await;
    assert_eq!(page.flash(), Some(en("flash-manage-offer-saved", &[])));
    let stored = offer_json(&app, token, &id).await;
    assert_eq!(stored["capacity"], 8);
    assert_eq!(stored["title"], "Changed elsewhere");
}

#[tokio::test]
async fn only_the_state_changes_the_state_allows_are_offered_and_taken() {
    let app = spawn_app().await;
    let net = network(&app).await;
    let token = &net.manager_a.token;
    let id = draft(&app, &net.cluster_a, token, json!({})).await;
    let portal = signed_in(&app, &net.manager_a.email).await;
    let path = format!("/manage/offers/{id}");
    let page = portal.get(&path).await;
    assert!(page.has("#publish-offer") && page.has("#archive-offer"));
    assert!(!page.has("#pause-offer"));
    let steps = [
        ("publish", "published", "flash-manage-offer-published"),
        ("pause", "paused", "flash-manage-offer-paused"),
        ("publish", "published", "flash-manage-offer-published"),
        ("archive", "archived", "flash-manage-offer-archived"),
    ];
    let mut stale = None;
    for (action, state, flash) in steps {
        let form = portal.current_form(&format!("#{action}-form"));
        if action == "pause" {
            stale = Some(portal.current_form("#pause-form"));
        }
        let done = portal.send_form(&form).await;
        done.expect(303);
        assert_eq!(done.redirect(), path);
        let page = portal.follow(&done).await;
        assert_eq!(page.flash(), Some(en(flash, &[])));
        assert!(
            page.text("#offer-state")
                .contains(&en(&format!("offer-state-{state}"), &[]))
        );
        assert_eq!(offer_json(&app, token, &id).await["state"], state);
        if state == "published" {
            assert!(page.has("#pause-offer") && !page.has("#publish-offer"));
            assert_eq!(
                page.attr("#offer-state a", "href").as_deref(),
                Some(format!("/offers/{id}").as_str())
            );
        }
    }
    // Archived: nothing is offered, and a pause from an older page is refused in plain words.
    let page = portal.get(&path).await;
    assert!(!page.has("#offer-actions"));
    assert!(!page.has("#offer-form"));
    assert!(!page.has("#blackout-form"));
    assert!(page.has("#archived-notice"));
    let refused = portal.send_form(&stale.unwrap()).await;
    refused.expect(409);
    assert_eq!(
        refused.text("#action-error"),
        en("manage-offer-err-transition", &[])
    );
    assert_eq!(offer_json(&app, token, &id).await["state"], "archived");
}

#[tokio::test]
async fn a_blackout_closes_days_but_never_a_booked_one_and_the_calendar_shows_both() {
    let app = spawn_app().await;
    let l = landings(&app).await;
    let today = l.today;
    let booked_day = today + Days::new(10);
    book(&app, &l.net.manager_a, &l.member_b, &l.offer, booked_day, 2).await;
    let portal = signed_in(&app, &l.net.manager_a.email).await;
    let path = format!("/manage/offers/{}", l.offer);
    let booked = booked_day.to_string();
    let page = portal
        .get(&format!("{path}?month={}", month_of(&booked)))
        .await;
    page.assert_page();
    assert!(page.has("#no-blackouts"));
    // The booked day shows its bookings and what is left.
    let cell = format!("#calendar td[data-date='{booked}']");
    assert_eq!(page.attr(&cell, "data-booked").as_deref(), Some("2"));
    assert_eq!(page.attr(&cell, "data-remaining").as_deref(), Some("1"));
    assert!(page.text(&cell).contains(&en(
        "manage-offer-calendar-booked",
        &[("booked", "2"), ("free", "1")]
    )));
    // A blackout over the booked day is refused, naming the day at the field.
    let refused = portal
        .submit(
            "#blackout-form",
            &[
                ("start_date", &day(today, 9)),
                ("end_date", &day(today, 11)),
                ("reason", "Team retreat"),
            ],
        )
        .await;
    refused.expect(409);
    assert_eq!(
        refused.field_error("start_date").as_deref(),
        Some(en("manage-offer-err-blackout-booked", &[("day", &booked)]).as_str())
    );
    assert_eq!(
        refused.form("#blackout-form").get("reason"),
        Some("Team retreat")
    );
    // Dates the wrong way round are told at the field.
    let refused = portal
        .submit(
            "#blackout-form",
            &[
                ("start_date", &day(today, 21)),
                ("end_date", &day(today, 20)),
                ("reason", "Holiday"),
            ],
        )
        .await;
    refused.expect(422);
    assert!(refused.field_error("end_date").is_some());
    assert!(refused.field_error("start_date").is_none());
    // Free days close, and the calendar marks them.
    let (from, until) = (day(today, 20), day(today, 21));
    let added = portal
        .submit(
            "#blackout-form",
            &[
                ("start_date", &from),
                ("end_date", &until),
                ("reason", "Holiday"),
            ],
        )
        .await;
    added.expect(303);
    assert_eq!(
        added.redirect(),
        format!("{path}?month={}#blackouts", month_of(&from))
    );
    let page = portal.follow(&added).await;
    assert_eq!(page.flash(), Some(en("flash-manage-blackout-added", &[])));
    let listed = page.texts("#blackout-list li");
    assert_eq!(listed.len(), 1);
    assert!(
        listed[0].contains(&from) && listed[0].contains("Holiday"),
        "{listed:?}"
    );
    let cell = format!("#calendar td[data-date='{from}']");
    assert_eq!(page.attr(&cell, "class").as_deref(), Some("blackout"));
    assert!(
        page.text(&cell)
            .contains(&en("manage-offer-calendar-blackout", &[]))
    );
    let availability = app
        .get(
            &format!(
                "/api/v1/offers/{}/availability?from={from}&to={until}",
                l.offer
            ),
            None,
        )
        .await
        .expect(200);
    assert!(
        availability
            .as_array()
            .unwrap()
            .iter()
            .all(|d| d["open"] == false)
    );
    // Removed, the days open again.
    let remove = page
        .select("#blackout-list form")
        .first()
        .and_then(|f| f.value().attr("action"))
        .unwrap()
        .to_owned();
    let form = page.form("#blackout-list form");
    let removed = portal.post_with(&remove, &form.fields, &[]).await;
    removed.expect(303);
    let page = portal.follow(&removed).await;
    assert_eq!(page.flash(), Some(en("flash-manage-blackout-removed", &[])));
    assert!(page.has("#no-blackouts"));
    let availability = app
        .get(
            &format!(
                "/api/v1/offers/{}/availability?from={from}&to={until}",
                l.offer
            ),
            None,
        )
        .await
        .expect(200);
    assert!(
        availability
            .as_array()
            .unwrap()
            .iter()
            .all(|d| d["open"] == true)
    );
}

#[tokio::test]
async fn the_calendar_moves_by_month_with_plain_links() {
    let app = spawn_app().await;
    let l = landings(&app).await;
    let portal = signed_in(&app, &l.net.manager_a.email).await;
    let path = format!("/manage/offers/{}", l.offer);
    let page = portal.get(&path).await;
    page.assert_page();
    let first = l.today.with_day(1).unwrap();
    let next = first.checked_add_months(chrono::Months::new(1)).unwrap();
    assert!(page.has(&format!("#calendar td[data-date='{}']", l.today)));
    let href = page.attr("#next-month", "href").unwrap();
    assert_eq!(
        href,
        format!("{path}?month={}#calendar", next.format("%Y-%m"))
    );
    let later = portal.get(href.trim_end_matches("#calendar")).await;
    later.expect(200);
    assert!(later.has(&format!("#calendar td[data-date='{next}']")));
    assert!(!later.has(&format!("#calendar td[data-date='{}']", l.today)));
    assert!(
        later
            .attr("#prev-month", "href")
            .unwrap()
            .contains(&first.format("%Y-%m").to_string())
    );
    // A month that is no month shows the default one.
    portal.get(&format!("{path}?month=13-99")).await.expect(200);
}

#[tokio::test]
async fn the_pages_speak_the_managers_language() {
    let app = spawn_app().await;
    let net = network(&app).await;
    let id = draft(&app, &net.cluster_a, &net.manager_a.token, json!({})).await;
    app.patch(
        "/api/v1/me",
        Some(&net.manager_a.token),
        &json!({"locale": "sv"}),
    )
    .await
    .expect(200);
    let portal = signed_in(&app, &net.manager_a.email).await;
    let page = portal.get("/manage/offers").await;
    assert_eq!(page.lang(), "sv");
    assert_eq!(page.h1(), message(Locale::Sv, "manage-offers-heading", &[]));
    let page = portal.get(&format!("/manage/offers/{id}")).await;
    assert_eq!(
        page.text("#edit-heading"),
        message(Locale::Sv, "manage-offer-edit", &[])
    );
}

#[tokio::test]
async fn nobody_but_the_clusters_managers_gets_in() {
    let app = spawn_app().await;
    let l = landings(&app).await;
    let published = l.offer.clone();
    let draft_id = draft(&app, &l.net.cluster_a, &l.net.manager_a.token, json!({})).await;
    let blackout = app
        .post(
            &format!("/api/v1/offers/{published}/blackouts"),
            Some(&l.net.manager_a.token),
            &json!({"start_date": day(l.today, 30), "end_date": day(l.today, 30), "reason": "Closed"}),
        )
        .await
        .expect(201)["id"]
        .as_str()
        .unwrap()
        .to_owned();
    // Another cluster's manager: not found, published or not, on every address.
    let other = signed_in(&app, &l.net.manager_b.email).await;
    other.get("/manage/offers").await.expect(200);
    let fields = other.current_form("#language-form").fields;
    for offer in [&published, &draft_id] {
        other
            .get(&format!("/manage/offers/{offer}"))
            .await
            .expect(404);
        for action in [
            String::new(),
            "/state/publish".to_owned(),
            "/state/archive".to_owned(),
            "/blackouts/add".to_owned(),
            format!("/blackouts/{blackout}/remove"),
        ] {
            other
                .post_with(&format!("/manage/offers/{offer}{action}"), &fields, &[])
                .await
                .expect(404);
        }
    }
    assert_eq!(
        offer_json(&app, &l.net.manager_a.token, &draft_id).await["state"],
        "draft"
    );
    let blackouts = app
        .get(&format!("/api/v1/offers/{published}/blackouts"), None)
        .await
        .expect(200);
    assert_eq!(blackouts["items"].as_array().unwrap().len(), 1);
    // Unknown ids and actions are not found for the host too.
    let host = signed_in(&app, &l.net.manager_a.email).await;
    host.get("/manage/offers/not-an-id").await.expect(404);
    host.get("/manage/offers").await.expect(200);
    let fields = host.current_form("#language-form").fields;
    host.post_with(
        &format!("/manage/offers/{published}/state/approve"),
        &fields,
        &[],
    )
    .await
    .expect(404);
    host.post_with(
        &format!("/manage/offers/{published}/blackouts/not-an-id/remove"),
        &fields,
        &[],
    )
    .await
    .expect(404);
    // An SME's member is refused; signed out, the page asks to sign in first.
    let member = signed_in(&app, &l.member_b.email).await;
    for path in [
        "/manage/offers".to_owned(),
        "/manage/offers/new".to_owned(),
        format!("/manage/offers/{published}"),
    ] {
        member.get(&path).await.expect(403);
    }
    member.get("/landings").await.expect(200);
    let fields = member.current_form("#language-form").fields;
    member
        .post_with("/manage/offers/new", &fields, &[])
        .await
        .expect(403);
    let anonymous = Portal::new(&app);
    for path in [
        "/manage/offers".to_owned(),
        "/manage/offers/new".to_owned(),
        format!("/manage/offers/{published}"),
    ] {
        let page = anonymous.get(&path).await;
        assert!(
            page.redirect()
                .starts_with("/sign-in?next=%2Fmanage%2Foffers"),
            "{path}: {}",
            page.redirect()
        );
    }
}
