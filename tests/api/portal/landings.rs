//! An SME's landings through the portal: the request form goes round to a pending landing the
//! API sees, each broken rule is shown at its field, and withdrawing, cancelling, the calendar
//! file and feedback work from the landing's page.

use chrono::{Datelike, Days, TimeDelta};
use serde_json::{Value, json};
use softlanding::domain::offer::OfferKind;
use softlanding::domain::partnership::Terms;

use super::client::{Page, Portal, signed_in};
use super::en;
use crate::fixtures::PASSWORD;
use crate::helpers::{TestApp, spawn_app};
use crate::landings::{Landings, PURPOSE, day, landings, partner_on, publish_offer};

fn id(v: &Value) -> String {
    v["id"].as_str().unwrap().to_owned()
}

/// The landing `id` as its SME's member reads it through the API.
async fn api_landing(app: &TestApp, l: &Landings, id: &str) -> Value {
    app.get(&format!("/api/v1/landings/{id}"), Some(&l.member_b.token))
        .await
        .expect(200)
}

#[tokio::test]
async fn a_request_goes_round_to_a_pending_landing_the_api_sees() {
    let app = spawn_app().await;
    let l = landings(&app).await;
    let portal = Portal::new(&app);

    // From the offer's page: "Request a landing" asks an anonymous visitor to sign in first.
    let offer = portal.get(&format!("/offers/{}", l.offer)).await;
    offer.assert_page();
    let request = offer.attr("a#request-landing", "href").unwrap();
    let sent = portal.get(&request).await;
    let to_sign_in = sent.redirect();
    assert!(to_sign_in.starts_with("/sign-in?next="), "{to_sign_in}");
    portal.follow(&sent).await.expect(200);
    let signed = portal
        .submit(
            "#sign-in-form",
            &[("email", &l.member_b.email), ("password", PASSWORD)],
        )
        .await;
    assert_eq!(signed.redirect(), request, "back to the request form");
    let form = portal.follow(&signed).await;
    form.assert_page();
    assert_eq!(
        form.form("#landing-form").get("offer_id"),
        Some(l.offer.as_str())
    );

    let (start, end) = (day(l.today, 7), day(l.today, 9));
    let created = portal
        .submit(
            "#landing-form",
            &[
                ("start_date", &start),
                ("end_date", &end),
                ("headcount", "2"),
                ("purpose", PURPOSE),
                ("target_market", "DE"),
                ("requested_services", "desk_space"),
                ("requested_services", "introductions"),
            ],
        )
        .await;
    let location = created.redirect();
    let lid = location
        .strip_prefix("/landings/")
        .unwrap_or_else(|| panic!("to the landing's page: {location}"))
        .to_owned();
    let page = portal.follow(&created).await;
    page.assert_page();
    assert_eq!(page.landing_state(), "pending_approval");
    assert_eq!(
        page.flash().as_deref(),
        Some(en("flash-landing-requested", &[]).as_str())
    );
    assert_eq!(page.select("ol#timeline li").len(), 1);
    assert!(page.body.contains(&start) && page.body.contains(&end));
    assert!(page.has("form#withdraw-form"));
    assert!(
        !page.has("#ics-download"),
        "no calendar file before approval"
    );

    let landing = api_landing(&app, &l, &lid).await;
    assert_eq!(landing["state"], "pending_approval");
    assert_eq!(landing["offer_id"], l.offer.as_str());
    assert_eq!(landing["sme_id"], l.sme_b.as_str());
    assert_eq!(landing["start_date"], start.as_str());
    assert_eq!(landing["end_date"], end.as_str());
    assert_eq!(landing["headcount"], 2);
    assert_eq!(landing["purpose"], PURPOSE);
    assert_eq!(landing["target_market"], "DE");
    assert_eq!(
        landing["requested_services"],
        json!(["desk_space", "introductions"])
    );

    // The list shows it, and its state filter keeps it or not.
    let list = portal.get("/landings").await;
    list.assert_page();
    assert!(list.has(&format!("tr[data-landing-id='{lid}'] a.landing-link")));
    let pending = portal
        .submit("#landings-filter", &[("state", "pending_approval")])
        .await;
    pending.expect(200);
    assert!(pending.has(&format!("tr[data-landing-id='{lid}']")));
    let approved = portal.get("/landings?state=approved").await;
    approved.expect(200);
    assert!(!approved.has(&format!("tr[data-landing-id='{lid}']")));
}

#[tokio::test]
async fn withdrawing_ends_a_pending_request() {
    let app = spawn_app().await;
    let l = landings(&app).await;
    let lid = id(&l.submit(&app, &l.request(5, 2, 1)).await);
    let portal = signed_in(&app, &l.member_b.email).await;
    let page = portal.get(&format!("/landings/{lid}")).await;
    page.assert_page();
    assert_eq!(page.landing_state(), "pending_approval");
    assert!(
        !page.has("#cancel-form"),
        "a pending request is withdrawn, not cancelled"
    );

    let done = portal.submit("#withdraw-form", &[]).await;
    assert_eq!(done.redirect(), format!("/landings/{lid}"));
    let page = portal.follow(&done).await;
    page.assert_page();
    assert_eq!(page.landing_state(), "withdrawn");
    assert_eq!(
        page.flash().as_deref(),
        Some(en("flash-landing-withdrawn", &[]).as_str())
    );
    assert!(!page.has("#withdraw-form"));
    assert_eq!(page.select("ol#timeline li").len(), 2);
    assert_eq!(api_landing(&app, &l, &lid).await["state"], "withdrawn");
}

#[tokio::test]
async fn an_action_that_is_no_longer_possible_is_refused_with_a_message_linked_to_it() {
    let app = spawn_app().await;
    let l = landings(&app).await;
    let lid = id(&l.submit(&app, &l.request(5, 2, 1)).await);
    let portal = signed_in(&app, &l.member_b.email).await;
    let page = portal.get(&format!("/landings/{lid}")).await;
    page.assert_page();
    let token = page
        .attr("input[name=csrf_token]", "value")
        .expect("the page's form token");
    // Withdrawn meanwhile (in another tab, through the API).
    l.act(&app, &lid, "withdraw", &l.member_b, json!({}))
        .await
        .expect(200);
    let mut unlinked = Vec::new();
    for (action, extra) in [
        ("withdraw", None),
        ("cancel", Some("Plans changed, sorry.")),
    ] {
        let mut fields = vec![("csrf_token".to_owned(), token.clone())];
        if let Some(reason) = extra {
            fields.push(("reason".to_owned(), reason.to_owned()));
        }
        let refused = portal
            .post_with(&format!("/landings/{lid}/{action}"), &fields, &[])
            .await;
        refused.expect(422);
        assert_eq!(
            refused.landing_state(),
            "withdrawn",
            "{action} changed nothing"
        );
        assert!(
            refused.error_summary().is_some(),
            "{action}: the refusal is said"
        );
        for target in refused.broken_summary_links() {
            unlinked.push(format!(
                "{action}: #error-summary links to #{target}, not on the page"
            ));
        }
    }
    assert!(unlinked.is_empty(), "{unlinked:#?}");
    assert_eq!(api_landing(&app, &l, &lid).await["state"], "withdrawn");
}

#[tokio::test]
async fn cancelling_an_approved_landing_needs_a_reason() {
    let app = spawn_app().await;
    let l = landings(&app).await;
    let lid = id(&l.submit(&app, &l.request(5, 2, 1)).await);
    l.act(&app, &lid, "approve", &l.net.manager_a, json!({}))
        .await
        .expect(200);
    let portal = signed_in(&app, &l.member_b.email).await;
    let page = portal.get(&format!("/landings/{lid}")).await;
    page.assert_page();
    assert_eq!(page.landing_state(), "approved");
    assert!(page.has("#cancel-form") && !page.has("#withdraw-form"));

    let refused = portal.submit("#cancel-form", &[("reason", "   ")]).await;
    refused.expect(422);
    assert!(
        refused.field_error("reason").is_some(),
        "{:?}",
        refused.fields_in_error()
    );
    assert_eq!(refused.summary_links(), vec!["reason"]);
    assert_eq!(
        refused
            .attr("textarea[name=reason]", "aria-invalid")
            .as_deref(),
        Some("true")
    );
    assert_eq!(refused.landing_state(), "approved");
    refused.assert_errors_linked();
    assert_eq!(api_landing(&app, &l, &lid).await["state"], "approved");

    let reason = "Our flight was cancelled by the airline.";
    let done = portal.submit("#cancel-form", &[("reason", reason)]).await;
    assert_eq!(done.redirect(), format!("/landings/{lid}"));
    let page = portal.follow(&done).await;
    page.assert_page();
    assert_eq!(page.landing_state(), "cancelled");
    assert_eq!(
        page.flash().as_deref(),
        Some(en("flash-landing-cancelled", &[]).as_str())
    );
    assert!(page.body.contains(reason), "the reason is shown");
    let landing = api_landing(&app, &l, &lid).await;
    assert_eq!(landing["state"], "cancelled");
    assert_eq!(landing["reason"], reason);
}

#[tokio::test]
async fn an_approved_landing_downloads_as_a_calendar_file() {
    let app = spawn_app().await;
    let l = landings(&app).await;
    let lid = id(&l.submit(&app, &l.request(5, 2, 1)).await);
    let portal = signed_in(&app, &l.member_b.email).await;
    let path = format!("/landings/{lid}/calendar.ics");
    let early = portal.get(&path).await;
    assert_ne!(early.status(), 200, "no calendar file before approval");

    l.act(&app, &lid, "approve", &l.net.manager_a, json!({}))
        .await
        .expect(200);
    let page = portal.get(&format!("/landings/{lid}")).await;
    page.assert_page();
    assert_eq!(page.attr("a#ics-download", "href"), Some(path.clone()));
    let ics = portal.get(&path).await;
    ics.expect(200);
    assert!(
        ics.header("content-type")
            .is_some_and(|c| c.starts_with("text/calendar")),
        "{:?}",
        ics.header("content-type")
    );
    assert!(
        ics.header("content-disposition")
            .is_some_and(|c| c.starts_with("attachment")),
    );
    assert!(ics.body.starts_with("BEGIN:VCALENDAR"), "{}", ics.body);
    let start = (l.today + Days::new(5)).format("%Y%m%d").to_string();
    assert!(
        ics.body.contains(&format!("DTSTART;VALUE=DATE:{start}")),
        "{}",
        ics.body
    );
    assert!(ics.body.trim_end().ends_with("END:VCALENDAR"));
}

#[tokio::test]
async fn feedback_after_completion_is_shown_on_the_landing() {
    let app = spawn_app().await;
    let l = landings(&app).await;
    let lid = id(&l.submit(&app, &l.request(1, 1, 1)).await);
    l.act(&app, &lid, "approve", &l.net.manager_a, json!({}))
        .await
        .expect(200);
    let before = signed_in(&app, &l.member_b.email).await;
    let page = before.get(&format!("/landings/{lid}")).await;
    page.assert_page();
    assert!(!page.has("#feedback-form"), "no feedback before completion");

    // Three days on, the host completes the landing.
    app.advance(TimeDelta::days(3));
    let host = app.logged_in(&l.net.manager_a.email, PASSWORD).await;
    l.act(
        &app,
        &lid,
        "complete",
        &host,
        json!({"outcome": "Three meetings"}),
    )
    .await
    .expect(200);
    let portal = signed_in(&app, &l.member_b.email).await;
    let page = portal.get(&format!("/landings/{lid}")).await;
    page.assert_page();
    assert_eq!(page.landing_state(), "completed");
    let form = page.form("#feedback-form");
    assert_eq!(
        page.attrs("#feedback-form input[name=rating]", "value"),
        vec!["1", "2", "3", "4", "5"]
    );
    assert!(form.get("comment").is_some());

    // A rating is needed.
    let refused = portal
        .submit("#feedback-form", &[("comment", "No rating given")])
        .await;
    refused.expect(422);
    assert!(
        refused.field_error("rating").is_some(),
        "{:?}",
        refused.fields_in_error()
    );

    let comment = "Great introductions to local integrators";
    let done = portal
        .submit("#feedback-form", &[("rating", "4"), ("comment", comment)])
        .await;
    assert_eq!(done.redirect(), format!("/landings/{lid}"));
    let page = portal.follow(&done).await;
    page.assert_page();
    assert_eq!(
        page.flash().as_deref(),
        Some(en("flash-feedback-thanks", &[]).as_str())
    );
    assert!(page.body.contains(comment), "the feedback is shown");
    assert!(
        page.text("dl.facts")
            .contains(&en("landing-rating-value", &[("rating", "4")])),
        "the rating is shown"
    );
    assert!(!page.has("#feedback-form"), "feedback is given once");
}

/// One request the rules refuse: the fields to send, the field whose message shows, and that
/// message's key and arguments.
struct Case {
    what: &'static str,
    offer: String,
    start: String,
    end: String,
    headcount: &'static str,
    purpose: &'static str,
    field: &'static str,
    key: &'static str,
    args: Vec<(&'static str, String)>,
}

/// Sends `case` through the request form and asserts its message at its field, and the
/// summary linking there.
async fn assert_refused(portal: &Portal, case: &Case) -> Page {
    portal
        .get(&format!("/landings/new?offer_id={}", case.offer))
        .await
        .expect(200);
    let page = portal
        .submit(
            "#landing-form",
            &[
                ("start_date", &case.start),
                ("end_date", &case.end),
                ("headcount", case.headcount),
                ("purpose", case.purpose),
            ],
        )
        .await;
    assert_eq!(page.status(), 422, "{}: refused", case.what);
    let args: Vec<(&str, &str)> = case.args.iter().map(|(k, v)| (*k, v.as_str())).collect();
    assert_eq!(
        page.field_error(case.field),
        Some(en(case.key, &args)),
        "{}: the message at {} (fields in error: {:?})",
        case.what,
        case.field,
        page.fields_in_error()
    );
    assert!(
        page.summary_links().contains(&case.field.to_owned()),
        "{}: #error-summary links to {}",
        case.what,
        case.field
    );
    page.assert_errors_linked();
    page.assert_inputs_labelled();
    assert_eq!(
        page.attr(&format!("[name={}]", case.field), "aria-invalid")
            .as_deref(),
        Some("true"),
        "{}: {} is marked invalid",
        case.what,
        case.field
    );
    let form = page.form("#landing-form");
    assert_eq!(
        (
            form.get("start_date"),
            form.get("end_date"),
            form.get("purpose")
        ),
        (
            Some(case.start.as_str()),
            Some(case.end.as_str()),
            Some(case.purpose)
        ),
        "{}: what was typed stays",
        case.what
    );
    page
}

#[tokio::test]
async fn each_rule_a_request_breaks_is_shown_at_its_field() {
    let app = spawn_app().await;
    let l = landings(&app).await;
    let t = l.today;
    // Capacity 3, open every day from today for 300 days, stays of at most five days (the
    // partnership's terms say five too).
    let narrow = publish_offer(
        &app,
        &l.net,
        json!({"available_from": day(t, 10), "available_until": day(t, 20)}),
    )
    .await;
    let weekdays = publish_offer(
        &app,
        &l.net,
        json!({"open_weekdays": [1, 2, 3, 4, 5], "max_stay_days": 10}),
    )
    .await;
    app.post(
        &format!("/api/v1/offers/{}/blackouts", l.offer),
        Some(&l.net.manager_a.token),
        &json!({"start_date": day(t, 30), "end_date": day(t, 31), "reason": "Trade fair"}),
    )
    .await
    .expect(201);
    let saturday = {
        let ahead = (12 - t.weekday().num_days_from_monday() as u64) % 7 + 7;
        t + Days::new(ahead)
    };
    assert_eq!(saturday.weekday(), chrono::Weekday::Sat);
    app.settle().await;
    let portal = signed_in(&app, &l.member_b.email).await;
    let offer = l.offer.clone();
    let case = |what, offer: &String, start: String, end: String| Case {
        what,
        offer: offer.clone(),
        start,
        end,
        headcount: "1",
        purpose: PURPOSE,
        field: "",
        key: "",
        args: Vec::new(),
    };
    let cases = vec![
        Case {
            field: "start_date",
            key: "err-start-in-past",
            args: vec![
                ("today", t.to_string()),
                ("timezone", "Europe/Berlin".into()),
            ],
            ..case(
                "a start in the past",
                &offer,
                day(t - Days::new(2), 0),
                day(t, 1),
            )
        },
        Case {
            field: "start_date",
            key: "err-before-window",
            args: vec![("date", day(t, 10))],
            ..case("a start before the window", &narrow, day(t, 8), day(t, 11))
        },
        Case {
            field: "end_date",
            key: "err-after-window",
            args: vec![("date", day(t, 20))],
            ..case("an end after the window", &narrow, day(t, 19), day(t, 22))
        },
        Case {
            field: "start_date",
            key: "err-blackout",
            args: vec![
                ("start", day(t, 30)),
                ("end", day(t, 31)),
                ("reason", "Trade fair".into()),
            ],
            ..case(
                "a range touching a blackout",
                &offer,
                day(t, 28),
                day(t, 30),
            )
        },
        Case {
            field: "end_date",
            key: "err-no-open-day",
            ..case(
                "a weekend at a Monday-to-Friday offer",
                &weekdays,
                saturday.to_string(),
                (saturday + Days::new(1)).to_string(),
            )
        },
        Case {
            field: "end_date",
            key: "err-too-many-days",
            args: vec![
                ("days", "6".into()),
                ("max", "5".into()),
                ("offer", "5".into()),
                ("terms", "5".into()),
            ],
            ..case("six open days", &offer, day(t, 40), day(t, 45))
        },
        Case {
            headcount: "4",
            field: "headcount",
            key: "err-over-capacity",
            args: vec![("capacity", "3".into())],
            ..case(
                "four visitors for three places",
                &offer,
                day(t, 40),
                day(t, 41),
            )
        },
        Case {
            purpose: "too short",
            field: "purpose",
            key: "err-purpose-length",
            args: vec![("count", "9".into())],
            ..case(
                "a purpose of nine characters",
                &offer,
                day(t, 40),
                day(t, 41),
            )
        },
        Case {
            field: "end_date",
            key: "err-end-before-start",
            ..case("an end before the start", &offer, day(t, 42), day(t, 40))
        },
    ];
    for c in &cases {
        assert_refused(&portal, c).await;
    }
    // None of them became a landing.
    let list = app
        .get("/api/v1/landings", Some(&l.member_b.token))
        .await
        .expect(200);
    assert_eq!(list["items"], json!([]));
}

#[tokio::test]
async fn who_may_ask_and_what_the_terms_cover_are_shown_on_the_form() {
    let app = spawn_app().await;
    let l = landings(&app).await;
    let t = l.today;
    // Cluster C, its manager and a verified SME: no partnership with the host yet.
    let cluster_c = app.create_cluster(&l.net.admin, "Tallinn Tech").await;
    let manager_c = app
        .manager(&l.net.admin, &cluster_c, "m@tallinn.test")
        .await;
    app.verified_sme(&manager_c, &cluster_c, "Baltic Bits", "m@baltic.test")
        .await;
    app.confirm_email("m@baltic.test").await;
    app.settle().await;
    let portal = signed_in(&app, "m@baltic.test").await;
    let send = |services: &'static [&'static str]| {
        let (portal, offer, start) = (&portal, &l.offer, day(t, 5));
        async move {
            portal
                .get(&format!("/landings/new?offer_id={offer}"))
                .await
                .expect(200);
            let mut fields = vec![
                ("start_date", start.as_str()),
                ("end_date", start.as_str()),
                ("headcount", "1"),
                ("purpose", PURPOSE),
            ];
            fields.extend(services.iter().map(|s| ("requested_services", *s)));
            portal.submit("#landing-form", &fields).await
        }
    };

    // No active partnership: the message is at the top, above the form.
    let page = send(&[]).await;
    page.expect(422);
    assert_eq!(
        page.field_error("offer_id"),
        Some(en("err-no-partnership", &[]))
    );
    assert!(!page.has("#landing-form #offer_id-error"), "above the form");
    assert_eq!(page.summary_links(), vec!["offer_id"]);

    // With terms that cover desk space only, another service is refused at the checkboxes.
    partner_on(
        &app,
        &l.net.manager_a,
        &manager_c,
        &cluster_c,
        Terms {
            max_free_days: 5,
            services: vec![OfferKind::DeskSpace],
            home_endorsement_required: false,
            notes: None,
        },
    )
    .await;
    let page = send(&["introductions"]).await;
    page.expect(422);
    assert_eq!(
        page.field_error("requested_services"),
        Some(en("err-service-not-covered", &[("covered", "desk_space")]))
    );
    assert_eq!(page.summary_links(), vec!["requested_services"]);
    assert_eq!(
        page.form("#landing-form").all("requested_services"),
        vec!["introductions"],
        "the boxes stay as ticked"
    );
    let done = send(&["desk_space"]).await;
    assert!(done.redirect().starts_with("/landings/"));

    // An SME its home cluster has not verified yet: the message is at the top.
    let pending = app
        .sign_up_sme(&l.net.cluster_b, "Pending Oy", "p@pending.test")
        .await;
    app.settle().await;
    let portal = Portal::new(&app);
    portal
        .sign_in(&pending.member.email, crate::fixtures::SME_PASSWORD)
        .await;
    portal
        .get(&format!("/landings/new?offer_id={}", l.offer))
        .await
        .expect(200);
    let page = portal
        .submit(
            "#landing-form",
            &[
                ("start_date", &day(t, 5)),
                ("end_date", &day(t, 5)),
                ("headcount", "1"),
                ("purpose", PURPOSE),
            ],
        )
        .await;
    page.expect(422);
    assert_eq!(
        page.field_error("offer_id"),
        Some(en("err-sme-not-verified", &[]))
    );
    assert!(!page.has("#landing-form #offer_id-error"), "above the form");
    assert!(page.error_summary().is_some());
}
