//! `/manage`, "waiting for you": a cluster's managers see what waits for them (requests with
//! the free places on their days, endorsements, sign-ups, proposals, with counts) and decide in
//! place with htmx or through the page without JavaScript; the last place goes to one of two
//! managers and the other is told which day is full; nobody else gets in.

use serde_json::{Value, json};

use super::client::{Portal, signed_in};
use super::en;
use crate::fixtures::Actor;
use crate::helpers::{TestApp, spawn_app};
use crate::landings::{Landings, day, landings, landings_with};

fn id(v: &Value) -> String {
    v["id"].as_str().unwrap().to_owned()
}

async fn landing_state(app: &TestApp, l: &Landings, id: &str) -> String {
    app.get(&format!("/api/v1/landings/{id}"), Some(&l.net.admin.token))
        .await
        .expect(200)["state"]
        .as_str()
        .unwrap()
        .to_owned()
}

/// The form fields of a decision on `/manage`, with the page's form token.
fn decision(portal: &Portal, css: &str, fields: &[(&str, &str)]) -> Vec<(String, String)> {
    portal.current_form(css).fill(fields).fields
}

#[tokio::test]
async fn what_waits_is_listed_with_the_free_places_of_each_day_and_counted() {
    let app = spawn_app().await;
    let l = landings(&app).await;
    let first = id(&l.submit(&app, &l.request(3, 2, 2)).await);
    let second = id(&l.submit(&app, &l.request(3, 1, 1)).await);
    // The first holds two of the offer's three places on day 3 once approved.
    let sme = app
        .sign_up_sme(&l.net.cluster_a, "Pending Widgets", "pw@widgets.test")
        .await;
    let (cluster_c, c) = {
        let c = app.create_cluster(&l.net.admin, "Lyon Numérique").await;
        let m = app.manager(&l.net.admin, &c, "manager@lyon.test").await;
        (c, m)
    };
    let _ = cluster_c;
    app.post(
        "/api/v1/partnerships",
        Some(&c.token),
        &json!({"partner_cluster_id": l.net.cluster_a}),
    )
    .await
    .expect(201);
    let portal = signed_in(&app, &l.net.manager_a.email).await;
    let page = portal.get("/manage").await;
    page.assert_page();
    assert_eq!(page.h1(), en("manage-heading", &[]));
    assert_eq!(page.text("#nav-waiting-count"), "(4)");
    assert!(page.has(&format!("#requests-{first}")));
    assert!(page.has(&format!("#requests-{second}")));
    assert!(page.has(&format!("#smes-{}", sme.id)));
    assert_eq!(page.select("#proposals li.item").len(), 1);
    let days = page.texts(&format!("#requests-{first} .day-places li"));
    assert_eq!(days.len(), 2);
    assert!(days[0].starts_with(&day(l.today, 3)), "{days:?}");
    assert!(days[0].contains("3 free"), "{days:?}");
    assert_eq!(
        page.text("#approvals-heading"),
        en("manage-section-approvals", &[("count", "2")])
    );
    // An approval takes its places: the other request's day shows what is left.
    app.post(
        &format!("/api/v1/landings/{first}/approve"),
        Some(&l.net.manager_a.token),
        &json!({}),
    )
    .await
    .expect(200);
    let page = portal.get("/manage").await;
    let days = page.texts(&format!("#requests-{second} .day-places li"));
    assert!(days[0].contains("1 free"), "{days:?}");
    assert_eq!(page.text("#nav-waiting-count"), "(3)");
    // The SME's own people and the home cluster see no such page or count.
    let member = signed_in(&app, &l.member_b.email).await;
    member.get("/manage").await.expect(403);
    assert!(!member.get("/landings").await.has("#nav-manage"));
}

#[tokio::test]
async fn a_request_is_approved_in_place_with_htmx_or_through_the_page_without() {
    let app = spawn_app().await;
    let l = landings(&app).await;
    let with_htmx = id(&l.submit(&app, &l.request(3, 1, 1)).await);
    let same_day = id(&l.submit(&app, &l.request(3, 1, 1)).await);
    let without = id(&l.submit(&app, &l.request(4, 1, 1)).await);
    let portal = signed_in(&app, &l.net.manager_a.email).await;
    portal.get("/manage").await.expect(200);
    let fields = decision(
        &portal,
        &format!("#requests-{with_htmx} form.decision"),
        &[],
    );
    let fragment = portal
        .post_with(
            &format!("/manage/requests/{with_htmx}/approve"),
            &fields,
            &[("hx-request", "true")],
        )
        .await;
    fragment.expect(200);
    assert_eq!(
        fragment.text(".done-message"),
        en("flash-manage-approved", &[])
    );
    assert!(!fragment.body.contains("<html"), "a fragment, not a page");
    // The request on the same day, whose free places the approval took, and the count in the
    // navigation come along, swapped out of band; a request on another day stays as it was.
    assert_eq!(
        fragment
            .attr(&format!("#requests-{same_day}"), "hx-swap-oob")
            .as_deref(),
        Some("true")
    );
    let days = fragment.texts(&format!("#requests-{same_day} .day-places li"));
    assert!(days[0].contains("2 free"), "{days:?}");
    assert!(!fragment.has(&format!("#requests-{without}")));
    assert_eq!(fragment.text("#nav-waiting-count"), "(2)");
    assert_eq!(landing_state(&app, &l, &with_htmx).await, "approved");

    portal.get("/manage").await.expect(200);
    let done = portal
        .submit(&format!("#requests-{without} form.decision"), &[])
        .await;
    assert_eq!(done.redirect(), "/manage");
    let page = portal.follow(&done).await;
    assert_eq!(page.flash(), Some(en("flash-manage-approved", &[])));
    assert!(!page.has(&format!("#requests-{without}")));
    assert_eq!(landing_state(&app, &l, &without).await, "approved");
}

#[tokio::test]
async fn a_long_list_comes_a_page_at_a_time_and_a_decision_returns_to_its_page() {
    let app = spawn_app().await;
    let l = landings(&app).await;
    // 27 requests, soonest first: a page holds 25, the second the last two.
    let mut ids = Vec::new();
    for offset in 3..30 {
        ids.push(id(&l.submit(&app, &l.request(offset, 1, 1)).await));
    }
    let portal = signed_in(&app, &l.net.manager_a.email).await;
    let page = portal.get("/manage").await;
    page.expect(200);
    assert_eq!(page.select("#approvals li.item").len(), 25);
    assert!(page.has(&format!("#requests-{}", ids[0])));
    assert!(!page.has(&format!("#requests-{}", ids[25])));
    assert_eq!(
        page.text("#approvals-heading"),
        en("manage-section-approvals", &[("count", "27")])
    );
    assert_eq!(
        page.text("#approvals-range"),
        en(
            "manage-page-range",
            &[("from", "1"), ("to", "25"), ("count", "27")]
        )
    );
    assert_eq!(page.text("#nav-waiting-count"), "(27)");
    assert!(!page.has("#approvals-previous"));
    let next = page.attr("#approvals-next", "href").unwrap();
    assert_eq!(next, "/manage?approvals=2#approvals");

    let second = portal.get("/manage?approvals=2").await;
    second.expect(200);
    let listed: Vec<String> = second
        .select("#approvals li.item")
        .iter()
        .map(|li| li.value().attr("id").unwrap_or_default().to_owned())
        .collect();
    assert_eq!(
        listed,
        vec![
            format!("requests-{}", ids[25]),
            format!("requests-{}", ids[26])
        ]
    );
    assert_eq!(
        second.text("#approvals-range"),
        en(
            "manage-page-range",
            &[("from", "26"), ("to", "27"), ("count", "27")]
        )
    );
    assert!(!second.has("#approvals-next"));
    assert_eq!(
        second.attr("#approvals-previous", "href").as_deref(),
        Some("/manage#approvals")
    );
    // A page past the end is the last; a page that is no number is the first.
    let past = portal.get("/manage?approvals=9").await;
    past.expect(200);
    assert_eq!(past.select("#approvals li.item").len(), 2);
    let odd = portal.get("/manage?approvals=two").await;
    odd.expect(200);
    assert_eq!(odd.select("#approvals li.item").len(), 25);

    // Without JavaScript, a refused decision on the second page shows that page again, the
    // reason at its request.
    portal.get("/manage?approvals=2").await.expect(200);
    let refused = portal
        .submit(
            &format!("#requests-{} form[action$='/reject']", ids[25]),
            &[("reason", "")],
        )
        .await;
    refused.expect(422);
    assert_eq!(refused.select("#approvals li.item").len(), 2);
    assert_eq!(
        refused.text(&format!("#error-{}", ids[25])),
        en("err-manage-reason", &[])
    );

    // Without JavaScript, a decision on the second page comes back to it.
    portal.get("/manage?approvals=2").await.expect(200);
    let done = portal
        .submit(&format!("#requests-{} form.decision", ids[26]), &[])
        .await;
    assert_eq!(done.redirect(), "/manage?approvals=2");
    let page = portal.follow(&done).await;
    assert_eq!(page.flash(), Some(en("flash-manage-approved", &[])));
    assert_eq!(page.select("#approvals li.item").len(), 1);
    assert_eq!(landing_state(&app, &l, &ids[26]).await, "approved");
}

#[tokio::test]
async fn the_navigation_counts_up_to_99_plus_and_the_page_counts_every_request() {
    let app = spawn_app().await;
    let l = landings(&app).await;
    // The navigation counts each list only so far; /manage counts the whole queue.
    for n in 0..99 {
        l.submit(&app, &l.request(3 + n % 27, 1, 1)).await;
    }
    let portal = signed_in(&app, &l.net.manager_a.email).await;
    let page = portal.get("/manage/offers").await;
    page.expect(200);
    assert_eq!(page.text("#nav-waiting-count"), "(99)");

    l.submit(&app, &l.request(4, 1, 1)).await;
    l.submit(&app, &l.request(5, 1, 1)).await;
    for path in ["/manage/offers", "/manage/partnerships", "/landings"] {
        let page = portal.get(path).await;
        page.expect(200);
        assert_eq!(page.text("#nav-waiting-count"), "(99+)", "{path}");
    }
    let page = portal.get("/manage").await;
    page.expect(200);
    assert_eq!(page.text("#nav-waiting-count"), "(99+)");
    assert_eq!(
        page.text("#approvals-heading"),
        en("manage-section-approvals", &[("count", "101")])
    );
    assert_eq!(
        page.text("#approvals-range"),
        en(
            "manage-page-range",
            &[("from", "1"), ("to", "25"), ("count", "101")]
        )
    );
    let last = portal.get("/manage?approvals=5").await;
    last.expect(200);
    assert_eq!(last.select("#approvals li.item").len(), 1);
    assert_eq!(
        last.text("#approvals-range"),
        en(
            "manage-page-range",
            &[("from", "101"), ("to", "101"), ("count", "101")]
        )
    );

    // A decision in place brings the navigation's count along, still past the cap (100 left),
    // and the page then counts 100.
    let page = portal.get("/manage").await;
    let first = page.select("#approvals li.item")[0]
        .value()
        .attr("id")
        .unwrap()
        .trim_start_matches("requests-")
        .to_owned();
    let fields = decision(&portal, &format!("#requests-{first} form.decision"), &[]);
    let fragment = portal
        .post_with(
            &format!("/manage/requests/{first}/approve"),
            &fields,
            &[("hx-request", "true")],
        )
        .await;
    fragment.expect(200);
    assert_eq!(fragment.text("#nav-waiting-count"), "(99+)");
    assert_eq!(landing_state(&app, &l, &first).await, "approved");
    let last = portal.get("/manage?approvals=4").await;
    last.expect(200);
    assert_eq!(last.select("#approvals li.item").len(), 25);
    assert_eq!(
        last.text("#approvals-range"),
        en(
            "manage-page-range",
            &[("from", "76"), ("to", "100"), ("count", "100")]
        )
    );
    assert!(!last.has("#approvals-next"));
}

#[tokio::test]
async fn rejecting_needs_a_reason_told_at_the_request() {
    let app = spawn_app().await;
    let l = landings(&app).await;
    let lid = id(&l.submit(&app, &l.request(3, 1, 1)).await);
    let portal = signed_in(&app, &l.net.manager_a.email).await;
    portal.get("/manage").await.expect(200);
    let reject = format!("#requests-{lid} form[action$='/reject']");
    let refused = portal.submit(&reject, &[("reason", "")]).await;
    refused.expect(422);
    assert_eq!(
        refused.text(&format!("#error-{lid}")),
        en("err-manage-reason", &[])
    );
    refused.assert_landmarks();
    refused.assert_inputs_labelled();
    assert_eq!(landing_state(&app, &l, &lid).await, "pending_approval");
    let done = portal
        .submit(
            &reject,
            &[("reason", "We are closed for a trade fair that week")],
        )
        .await;
    assert_eq!(done.redirect(), "/manage");
    let landing = app
        .get(&format!("/api/v1/landings/{lid}"), Some(&l.member_b.token))
        .await
        .expect(200);
    assert_eq!(landing["state"], "rejected");
    assert_eq!(
        landing["reason"],
        "We are closed for a trade fair that week"
    );
}

#[tokio::test]
async fn two_managers_approving_the_last_place_one_wins_the_other_is_told_the_full_day() {
    let app = spawn_app().await;
    let l = landings(&app).await;
    // The offer takes three a day: two requests of two on the same day cannot both fit.
    let a = id(&l.submit(&app, &l.request(5, 1, 2)).await);
    let b = id(&l.submit(&app, &l.request(5, 1, 2)).await);
    let second: Actor = app
        .manager(&l.net.admin, &l.net.cluster_a, "second@cyberforum.test")
        .await;
    let one = signed_in(&app, &l.net.manager_a.email).await;
    let two = signed_in(&app, &second.email).await;
    one.get("/manage").await.expect(200);
    two.get("/manage").await.expect(200);
    let fields_one = decision(&one, &format!("#requests-{a} form.decision"), &[]);
    let fields_two = decision(&two, &format!("#requests-{b} form.decision"), &[]);
    let path_a = format!("/manage/requests/{a}/approve");
    let path_b = format!("/manage/requests/{b}/approve");
    let (first, other) = tokio::join!(
        one.post_with(&path_a, &fields_one, &[]),
        two.post_with(&path_b, &fields_two, &[("hx-request", "true")]),
    );
    let states = [
        landing_state(&app, &l, &a).await,
        landing_state(&app, &l, &b).await,
    ];
    assert_eq!(
        states.iter().filter(|s| *s == "approved").count(),
        1,
        "{states:?}"
    );
    let full = en("err-manage-full", &[("day", &day(l.today, 5))]);
    if states[0] == "approved" {
        assert_eq!(first.redirect(), "/manage");
        other.expect(200);
        assert_eq!(other.text(&format!("#error-{b}")), full);
        assert!(other.has(&format!("#requests-{b} form.decision")));
    } else {
        first.expect(409);
        assert_eq!(first.text(&format!("#error-{a}")), full);
        first.assert_landmarks();
        assert_eq!(
            other.text(".done-message"),
            en("flash-manage-approved", &[])
        );
    }
}

#[tokio::test]
async fn the_home_cluster_endorses_and_verifies_and_proposals_are_answered() {
    let app = spawn_app().await;
    let l = landings_with(&app, true).await;
    let lid = id(&l.submit(&app, &l.request(3, 1, 1)).await);
    let keep = app
        .sign_up_sme(&l.net.cluster_b, "Fjord Analytics", "fa@fjord.test")
        .await;
    let refuse = app
        .sign_up_sme(&l.net.cluster_b, "Not A Member Ltd", "x@not.test")
        .await;
    let home = signed_in(&app, &l.net.manager_b.email).await;
    let page = home.get("/manage").await;
    page.assert_page();
    assert!(page.has(&format!("#endorsements #requests-{lid}")));
    let done = home
        .submit(&format!("#requests-{lid} form[action$='/endorse']"), &[])
        .await;
    assert_eq!(done.redirect(), "/manage");
    assert_eq!(landing_state(&app, &l, &lid).await, "pending_approval");
    // Now it waits for the host.
    let host = signed_in(&app, &l.net.manager_a.email).await;
    assert!(
        host.get("/manage")
            .await
            .has(&format!("#approvals #requests-{lid}"))
    );

    home.get("/manage").await.expect(200);
    home.submit(&format!("#smes-{} form[action$='/verify']", keep.id), &[])
        .await;
    home.get("/manage").await.expect(200);
    home.submit(
        &format!("#smes-{} form[action$='/decline']", refuse.id),
        &[("reason", "Not one of our members")],
    )
    .await;
    for (sme, membership) in [(&keep.id, "verified"), (&refuse.id, "declined")] {
        let row = app
            .get(&format!("/api/v1/smes/{sme}"), Some(&l.net.manager_b.token))
            .await
            .expect(200);
        assert_eq!(row["membership"], membership);
    }

    let c = app.create_cluster(&l.net.admin, "Lyon Numérique").await;
    let lyon = app.manager(&l.net.admin, &c, "manager@lyon.test").await;
    let proposal = id(&app
        .post(
            "/api/v1/partnerships",
            Some(&lyon.token),
            &json!({"partner_cluster_id": l.net.cluster_b}),
        )
        .await
        .expect(201));
    let page = home.get("/manage").await;
    assert!(
        page.text(&format!("#partnerships-{proposal}"))
            .contains("Lyon Numérique")
    );
    let accepted = home
        .submit(
            &format!("#partnerships-{proposal} form[action$='/accept']"),
            &[],
        )
        .await;
    assert_eq!(accepted.redirect(), "/manage");
    let row = app
        .get(
            &format!("/api/v1/partnerships/{proposal}"),
            Some(&l.net.manager_b.token),
        )
        .await
        .expect(200);
    assert_eq!(row["state"], "active");
    assert_eq!(
        home.follow(&accepted).await.text("#nav-manage"),
        en("nav-manage", &[])
    );
}

#[tokio::test]
async fn nobody_but_the_deciding_cluster_decides() {
    let app = spawn_app().await;
    let l = landings(&app).await;
    let lid = id(&l.submit(&app, &l.request(3, 1, 1)).await);
    // Another cluster's manager: the request is not theirs to see.
    let other = signed_in(&app, &l.net.manager_b.email).await;
    let page = other.get("/manage").await;
    assert!(!page.has(&format!("#requests-{lid}")));
    let fields = decision(&other, "#language-form", &[]);
    other
        .post_with(&format!("/manage/requests/{lid}/approve"), &fields, &[])
        .await
        .expect(403);
    assert_eq!(landing_state(&app, &l, &lid).await, "pending_approval");
    // Unknown kinds, actions and ids are 404.
    let host = signed_in(&app, &l.net.manager_a.email).await;
    host.get("/manage").await.expect(200);
    let fields = decision(&host, &format!("#requests-{lid} form.decision"), &[]);
    for path in [
        format!("/manage/requests/{lid}/complete"),
        format!("/manage/offers/{lid}/approve"),
        "/manage/requests/not-an-id/approve".to_owned(),
    ] {
        host.post_with(&path, &fields, &[]).await.expect(404);
    }
    // Signed out, the page asks to sign in first; an SME's member is refused.
    let anonymous = Portal::new(&app);
    let page = anonymous.get("/manage").await;
    assert!(page.redirect().starts_with("/sign-in?next=%2Fmanage"));
    let member = signed_in(&app, &l.member_b.email).await;
    member.get("/manage").await.expect(403);
}

#[tokio::test]
async fn a_manager_lists_the_landings_hosted_and_sent_with_filters() {
    let app = spawn_app().await;
    let l = landings(&app).await;
    let lid = id(&l.submit(&app, &l.request(3, 1, 1)).await);
    let row =
        |page: &super::client::Page| page.select(&format!("tr[data-landing-id='{lid}']")).len();
    let host = signed_in(&app, &l.net.manager_a.email).await;
    let page = host.get("/landings").await;
    page.assert_page();
    assert_eq!(row(&page), 1);
    assert_eq!(
        page.text(&format!("tr[data-landing-id='{lid}'] td.side")),
        en("landings-side-hosted", &[])
    );
    assert_eq!(row(&host.get("/landings?side=hosted").await), 1);
    assert_eq!(row(&host.get("/landings?side=sent").await), 0);
    assert_eq!(
        row(&host.get("/landings?side=hosted&state=approved").await),
        0
    );
    assert_eq!(
        row(&host
            .get("/landings?side=hosted&state=pending_approval")
            .await),
        1
    );
    let home = signed_in(&app, &l.net.manager_b.email).await;
    assert_eq!(row(&home.get("/landings?side=sent").await), 1);
    assert_eq!(row(&home.get("/landings?side=hosted").await), 0);
    // An SME's member has no such filter.
    let member = signed_in(&app, &l.member_b.email).await;
    let page = member.get("/landings").await;
    assert_eq!(row(&page), 1);
    assert!(!page.has("#side"));
}

#[tokio::test]
async fn a_long_list_of_landings_comes_newest_first_a_page_at_a_time() {
    let app = spawn_app().await;
    let l = landings(&app).await;
    // 52 requests: the first page holds the newest 50, the next the two oldest.
    let mut ids = Vec::new();
    for offset in 3..55 {
        ids.push(id(&l.submit(&app, &l.request(offset, 1, 1)).await));
    }
    let rows = |page: &super::client::Page| -> Vec<String> {
        page.select("tr[data-landing-id]")
            .iter()
            .map(|row| row.value().attr("data-landing-id").unwrap().to_owned())
            .collect()
    };
    let host = signed_in(&app, &l.net.manager_a.email).await;
    let page = host.get("/landings?side=hosted").await;
    page.assert_page();
    let newest: Vec<String> = ids.iter().rev().take(50).cloned().collect();
    assert_eq!(rows(&page), newest);
    assert!(!page.has("#landings-newest"));
    let older = page.attr("#landings-older", "href").unwrap();
    assert_eq!(older, format!("/landings?side=hosted&before={}", ids[2]));
    let page = host.get(&older).await;
    page.assert_page();
    assert_eq!(rows(&page), [ids[1].clone(), ids[0].clone()]);
    assert!(!page.has("#landings-older"));
    assert_eq!(
        page.attr("#landings-newest", "href").unwrap(),
        "/landings?side=hosted"
    );
    assert_eq!(
        page.text("#landings-older, #landings-newest"),
        en("landings-page-newest", &[])
    );
    // Past the oldest, the page says so and links back to the newest.
    let past = host.get(&format!("/landings?before={}", ids[0])).await;
    past.assert_page();
    assert!(rows(&past).is_empty());
    assert_eq!(past.text("p.empty"), en("landings-none-older", &[]));
    assert_eq!(past.attr("#landings-newest", "href").unwrap(), "/landings");
    // A cursor that names no landing shows the newest page; the SME's member pages the same.
    assert_eq!(rows(&host.get("/landings?before=nonsense").await), newest);
    let member = signed_in(&app, &l.member_b.email).await;
    let page = member.get("/landings").await;
    assert_eq!(rows(&page), newest);
    assert_eq!(
        page.attr("#landings-older", "href").unwrap(),
        format!("/landings?before={}", ids[2])
    );
}

#[tokio::test]
async fn the_clusters_smes_are_listed_and_the_pending_ones_decided() {
    let app = spawn_app().await;
    let l = landings(&app).await;
    let pending = app
        .sign_up_sme(&l.net.cluster_a, "Pending Widgets", "pw@widgets.test")
        .await;
    let portal = signed_in(&app, &l.net.manager_a.email).await;
    let page = portal.get("/manage/smes").await;
    page.assert_page();
    assert_eq!(page.h1(), en("manage-smes-heading", &[]));
    // The fixtures' verified SME and the new one; another cluster's SMEs are not here.
    assert!(page.has(&format!("#smes-{}", l.net.sme_a)));
    assert!(page.has(&format!("#smes-{}", pending.id)));
    assert!(!page.has(&format!("#smes-{}", l.sme_b)));
    assert!(
        !page.has(&format!("#smes-{} form", l.net.sme_a)),
        "only pending ones are decided"
    );
    let only_pending = portal.get("/manage/smes?membership=pending").await;
    assert_eq!(only_pending.select("#smes > li").len(), 1);
    let done = portal
        .submit(
            &format!("#smes-{} form[action$='/verify']", pending.id),
            &[],
        )
        .await;
    assert_eq!(done.redirect(), "/manage/smes");
    let page = portal.follow(&done).await;
    assert_eq!(page.flash(), Some(en("flash-manage-verified", &[])));
    let row = app
        .get(
            &format!("/api/v1/smes/{}", pending.id),
            Some(&l.net.manager_a.token),
        )
        .await
        .expect(200);
    assert_eq!(row["membership"], "verified");
    // Another cluster's manager sees only their own; an SME's member is refused.
    let other = signed_in(&app, &l.net.manager_b.email).await;
    assert!(
        !other
            .get("/manage/smes")
            .await
            .has(&format!("#smes-{}", pending.id))
    );
    signed_in(&app, &l.member_b.email)
        .await
        .get("/manage/smes")
        .await
        .expect(403);
}

#[tokio::test]
async fn a_partnership_is_proposed_with_terms_accepted_suspended_and_its_history_shown() {
    let app = spawn_app().await;
    let l = landings(&app).await;
    let c = app.create_cluster(&l.net.admin, "Lyon Numérique").await;
    let lyon = app.manager(&l.net.admin, &c, "manager@lyon.test").await;
    let ours = signed_in(&app, &l.net.manager_a.email).await;
    let page = ours.get("/manage/partnerships").await;
    page.assert_page();
    page.assert_inputs_labelled();
    // The existing partnership with B is listed.
    assert_eq!(page.select("#partnerships tbody tr").len(), 1);
    // Every other cluster can be chosen as a partner, named with its country; not our own.
    let choices: Vec<String> = page
        .select("#partner_cluster_id option")
        .iter()
        .map(|o| o.value().attr("value").unwrap_or_default().to_owned())
        .collect();
    assert!(choices.contains(&c), "{choices:?}");
    assert!(choices.contains(&l.net.cluster_b), "{choices:?}");
    assert!(!choices.contains(&l.net.cluster_a), "{choices:?}");
    // A pair that already has a partnership is told so at the partner.
    let taken = ours
        .submit("#propose-form", &[("partner_cluster_id", &l.net.cluster_b)])
        .await;
    taken.expect(422);
    assert_eq!(
        taken.field_error("partner_cluster_id"),
        Some(en("err-partnership-exists", &[]))
    );
    // Every rule at its field: no partner, days out of range, no service.
    let refused = ours
        .submit(
            "#propose-form",
            &[("partner_cluster_id", ""), ("max_free_days", "120")],
        )
        .await;
    refused.expect(422);
    let form = ours.current_form("#propose-form").without("services");
    let refused = ours
        .send_form(&form.fill(&[("partner_cluster_id", &c), ("max_free_days", "120")]))
        .await;
    refused.expect(422);
    let mut fields = refused.fields_in_error();
    fields.sort();
    assert_eq!(fields, vec!["max_free_days", "services"]);
    refused.assert_errors_linked();
    ours.get("/manage/partnerships").await.expect(200);
    let done = ours
        .submit(
            "#propose-form",
            &[
                ("partner_cluster_id", &c),
                ("max_free_days", "7"),
                ("notes", "Renewed every year"),
            ],
        )
        .await;
    let to = done.redirect();
    assert!(to.starts_with("/manage/partnerships/"), "{to}");
    let pid = to.trim_start_matches("/manage/partnerships/").to_owned();
    let row = app
        .get(&format!("/api/v1/partnerships/{pid}"), Some(&lyon.token))
        .await
        .expect(200);
    assert_eq!(row["state"], "proposed");
    assert_eq!(row["terms"]["max_free_days"], 7);
    assert_eq!(row["terms"]["notes"], "Renewed every year");
    // The proposer cannot accept its own proposal: no such action is offered.
    let page = ours.follow(&done).await;
    page.assert_page();
    assert!(!page.has("#accept-form"));
    assert!(page.has("#trail li"));
    // The invited cluster accepts, then suspends; each step is in the history.
    let theirs = signed_in(&app, &lyon.email).await;
    let page = theirs.get(&format!("/manage/partnerships/{pid}")).await;
    page.assert_page();
    assert!(page.has("#accept-form") && page.has("#decline-form"));
    let accepted = theirs.submit("#accept-form", &[]).await;
    assert_eq!(accepted.redirect(), format!("/manage/partnerships/{pid}"));
    let page = theirs.follow(&accepted).await;
    assert_eq!(page.flash(), Some(en("flash-manage-accepted", &[])));
    assert!(page.has("#suspend-form") && page.has("#terminate-form"));
    theirs
        .submit("#suspend-form", &[("reason", "Budget review")])
        .await;
    let page = ours.get(&format!("/manage/partnerships/{pid}")).await;
    assert!(page.has("#resume-form"));
    assert_eq!(page.select("#trail li").len(), 3);
    assert!(page.text("#trail").contains("Budget review"));
    // Another cluster's manager: not found.
    signed_in(&app, &l.net.manager_b.email)
        .await
        .get(&format!("/manage/partnerships/{pid}"))
        .await
        .expect(404);
}
