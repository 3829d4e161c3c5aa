//! `/admin`, the coordinator's pages: the network at a glance, a new cluster with its first
//! manager (made together or not at all, the invitation in the manager's language), the
//! reports of every pair with their CSVs, the outbox with retry, and the people with disable.
//! Also what concerns the whole portal: nobody but the coordinator gets in (a manager and an
//! SME member get 403, a stranger is sent to sign in), an SME member gets no manager page, and
//! an API client's credentials open no portal session.

use serde_json::json;

use super::client::{Portal, SESSION_COOKIE, signed_in};
use super::en;
use crate::fixtures::{PASSWORD, network};
use crate::helpers::{reply, spawn_app, spawn_app_with};

/// Every address of the area, as (method, path).
const ADDRESSES: [(&str, &str); 12] = [
    ("GET", "/admin"),
    ("GET", "/admin/clusters"),
    ("GET", "/admin/clusters/new"),
    ("POST", "/admin/clusters"),
    ("GET", "/admin/reports"),
    ("GET", "/admin/reports/reciprocity.csv"),
    ("GET", "/admin/reports/summary.csv"),
    ("GET", "/admin/outbox"),
    (
        "POST",
        "/admin/outbox/0190a0e0-0000-7000-8000-000000000000/retry",
    ),
    ("GET", "/admin/users"),
    (
        "POST",
        "/admin/users/0190a0e0-0000-7000-8000-000000000000/disable",
    ),
    ("GET", "/admin?x=1"),
];

/// Requests every address of the area in `portal` and answers the statuses, with a form token
/// of the portal's own on posts (a page of the portal that shows one is fetched first).
async fn statuses(portal: &Portal) -> Vec<(String, u16)> {
    let token = portal
        .get("/account")
        .await
        .attr("input[name=csrf_token]", "value")
        .unwrap_or_default();
    let mut out = Vec::new();
    for (method, path) in ADDRESSES {
        let page = if method == "GET" {
            portal.get(path).await
        } else {
            portal
                .post_with(path, &[("csrf_token".into(), token.clone())], &[])
                .await
        };
        out.push((format!("{method} {path}"), page.status()));
    }
    out
}

#[tokio::test]
async fn the_overview_counts_the_network_and_links_on() {
    let app = spawn_app().await;
    let net = network(&app).await;
    net.proposed_partnership(&app).await;
    let admin = signed_in(&app, &net.admin.email).await;

    let page = admin.get("/admin").await;
    page.assert_page();
    assert_eq!(page.h1(), en("admin-overview-heading", &[]));
    let clusters = page.text("#glance-clusters h2");
    assert_eq!(clusters, en("admin-glance-clusters", &[("count", "2")]));
    assert_eq!(
        page.text("#glance-partnerships h2"),
        en("admin-glance-partnerships", &[("count", "1")])
    );
    assert!(
        page.text("#glance-partnerships")
            .contains(&en("partnership-state-proposed", &[])),
        "{}",
        page.text("#glance-partnerships")
    );
    assert_eq!(
        page.text("#glance-landings h2"),
        en("admin-glance-landings", &[("count", "0")])
    );
    // The outbox's depth, per channel, each linking to its filtered list.
    let links = page.attrs("#glance-outbox a", "href");
    assert!(links.contains(&"/admin/outbox?channel=email&status=dead".to_owned()));
    assert!(links.contains(&"/admin/outbox?channel=webhook&status=pending".to_owned()));
    assert!(
        page.text("#glance-email")
            .contains(&en("admin-glance-dead", &[("count", "0")]))
    );
    // The navigation leads to every page of the area.
    let nav = page.attrs("#admin-nav a", "href");
    for to in [
        "/admin",
        "/admin/clusters",
        "/admin/reports",
        "/admin/outbox",
        "/admin/users",
    ] {
        assert!(nav.contains(&to.to_owned()), "{nav:?}");
    }
    assert_eq!(page.attr("#nav-admin", "href").as_deref(), Some("/admin"));
}

#[tokio::test]
async fn a_cluster_is_made_with_its_first_manager_invited_in_their_language() {
    let app = spawn_app().await;
    let net = network(&app).await;
    let admin = signed_in(&app, &net.admin.email).await;

    let page = admin.get("/admin/clusters").await;
    page.assert_page();
    page.assert_inputs_labelled();
    assert_eq!(page.h1(), en("admin-clusters-heading", &[]));
    assert!(page.text("#clusters").contains("CyberForum"));
    assert!(page.text("#clusters").contains("Kista Science City"));
    // The form address the area names leads to the form.
    assert_eq!(
        admin.get("/admin/clusters/new").await.redirect(),
        "/admin/clusters#new-cluster"
    );

    let done = admin
        .submit(
            "#cluster-form",
            &[
                ("name", "Lindholmen Science Park"),
                ("country", "se"),
                ("city", "Göteborg"),
                ("timezone", "Europe/Stockholm"),
                ("contact_email", "hej@lindholmen.test"),
                ("website", "https://lindholmen.test"),
                ("sectors", "ict, automotive"),
                ("manager_email", "Karin@Lindholmen.test"),
                ("manager_name", "Karin Berg"),
                ("manager_locale", "sv"),
            ],
        )
        .await;
    assert_eq!(done.redirect(), "/admin/clusters");
    let page = admin.follow(&done).await;
    assert_eq!(
        page.flash().as_deref(),
        Some(en("flash-admin-cluster-created", &[]).as_str())
    );
    let row = page
        .select("#clusters tr")
        .into_iter()
        .map(super::client::text_of)
        .find(|t| t.contains("Lindholmen Science Park"))
        .expect("the new cluster is listed");
    assert!(row.contains("SE") && row.contains("Göteborg"), "{row}");

    // The cluster is the API's too, and its manager is invited in Swedish.
    let clusters = app
        .get("/api/v1/clusters?country=SE", None)
        .await
        .expect(200);
    let cluster = clusters["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["name"] == "Lindholmen Science Park")
        .expect("the cluster exists")
        .clone();
    assert_eq!(cluster["sectors"], json!(["ict", "automotive"]));
    let mail = app
        .mail_to("karin@lindholmen.test", "Du är inbjuden till")
        .await;
    assert!(mail.subject().contains("Lindholmen Science Park"));
    assert!(mail.text().contains("/set-password?token="));
    let managers = app
        .get(
            &format!(
                "/api/v1/clusters/{}/managers",
                cluster["id"].as_str().unwrap()
            ),
            Some(&net.admin.token),
        )
        .await
        .expect(200);
    assert!(
        managers.to_string().contains("karin@lindholmen.test"),
        "{managers}"
    );
}

#[tokio::test]
async fn the_cluster_form_tells_each_problem_at_its_field_and_makes_nothing_half() {
    let app = spawn_app().await;
    let net = network(&app).await;
    let admin = signed_in(&app, &net.admin.email).await;
    admin.get("/admin/clusters").await.expect(200);

    // Nothing filled in: every required field says so, linked from the summary.
    let page = admin.submit("#cluster-form", &[]).await;
    page.expect(422);
    page.assert_errors_linked();
    let mut fields = page.fields_in_error();
    fields.sort();
    assert_eq!(
        fields,
        [
            "city",
            "contact_email",
            "country",
            "manager_email",
            "manager_name",
            "name",
            "timezone"
        ]
    );
    assert_eq!(
        page.field_error("name").as_deref(),
        Some(en("err-required", &[]).as_str())
    );
    // The summary names each field, since they share a message.
    let summary = page.error_summary().unwrap();
    assert!(
        summary.contains(&format!(
            "{}: {}",
            en("admin-field-manager-email", &[]),
            en("err-required", &[])
        )),
        "{summary:?}"
    );

    // Wrong values are told in words, and what was typed comes back.
    let page = admin
        .submit(
            "#cluster-form",
            &[
                ("name", "Nordic Hub"),
                ("country", "Sweden"),
                ("city", "Malmö"),
                ("timezone", "Europe/Nowhere"),
                ("contact_email", "not an address"),
                ("website", "ftp://x"),
                ("manager_email", "karin@nordic.test"),
                ("manager_name", "Karin"),
                ("manager_locale", "xx"),
            ],
        )
        .await;
    page.expect(422);
    assert_eq!(
        page.field_error("country").as_deref(),
        Some(en("admin-err-country", &[]).as_str())
    );
    assert_eq!(
        page.field_error("timezone").as_deref(),
        Some(en("admin-err-timezone", &[]).as_str())
    );
    assert_eq!(
        page.field_error("website").as_deref(),
        Some(en("admin-err-website", &[]).as_str())
    );
    assert_eq!(
        page.field_error("contact_email").as_deref(),
        Some(en("err-email", &[]).as_str())
    );
    assert_eq!(
        page.field_error("manager_locale").as_deref(),
        Some(en("err-locale", &[]).as_str())
    );
    assert_eq!(page.form("#cluster-form").get("city"), Some("Malmö"));

    // The first manager's address has an account already: no cluster is left behind.
    let page = admin
        .submit(
            "#cluster-form",
            &[
                ("country", "SE"),
                ("timezone", "Europe/Stockholm"),
                ("contact_email", "hej@nordic.test"),
                ("website", ""),
                ("manager_email", &net.manager_a.email),
                ("manager_locale", "en"),
            ],
        )
        .await;
    page.expect(422);
    assert_eq!(page.fields_in_error(), vec!["manager_email"]);
    assert_eq!(
        page.field_error("manager_email").as_deref(),
        Some(en("admin-err-manager-taken", &[]).as_str())
    );
    let clusters = app.get("/api/v1/clusters", None).await.expect(200);
    assert!(
        !clusters.to_string().contains("Nordic Hub"),
        "no half-made cluster: {clusters}"
    );
    assert_eq!(clusters["items"].as_array().unwrap().len(), 2);
}

#[tokio::test]
async fn reports_show_every_pair_and_the_network_with_csv_downloads() {
    let app = spawn_app().await;
    let net = network(&app).await;
    let id = net.proposed_partnership(&app).await;
    app.post(
        &format!("/api/v1/partnerships/{id}/accept"),
        Some(&net.manager_b.token),
        &json!({}),
    )
    .await
    .expect(200);
    let admin = signed_in(&app, &net.admin.email).await;

    // The current calendar year unless chosen.
    let page = admin.get("/admin/reports").await;
    page.assert_page();
    page.assert_inputs_labelled();
    assert_eq!(page.h1(), en("admin-reports-heading", &[]));
    let year = app.today_in("UTC").format("%Y").to_string();
    let form = page.form("#range-form");
    assert_eq!(form.get("from"), Some(format!("{year}-01-01").as_str()));
    assert_eq!(form.get("to"), Some(format!("{year}-12-31").as_str()));
    let row = page.text(&format!("#reciprocity tr[data-partnership-id='{id}']"));
    assert!(
        row.contains("CyberForum") && row.contains("Kista Science City"),
        "{row}"
    );
    assert!(row.contains(&en("partnership-state-active", &[])), "{row}");
    assert_eq!(page.text("#summary-landings"), "0");
    // No landing decided yet: no median, rather than a figure of hours.
    assert_eq!(page.text("#summary-decision"), "–");
    // Nor any rating: a dash, not "– (0 ratings)".
    assert_eq!(page.text("#summary-rating"), "–");

    // Both CSVs, with the API's columns, for the range shown.
    let link = page.attr("#reciprocity-csv", "href").unwrap();
    assert_eq!(
        link,
        format!("/admin/reports/reciprocity.csv?from={year}-01-01&to={year}-12-31")
    );
    let csv = admin.get(&link).await;
    csv.expect(200);
    assert!(csv.header("content-type").unwrap().starts_with("text/csv"));
    assert!(
        csv.header("content-disposition")
            .unwrap()
            .contains(&format!("reciprocity-{year}-01-01-{year}-12-31.csv"))
    );
    let mut lines = csv.body.lines();
    assert!(
        lines
            .next()
            .unwrap()
            .starts_with("partnership_id,partnership_state,cluster_a_id")
    );
    assert!(lines.next().unwrap().starts_with(&format!("{id},active,")));
    let api = reply(
        reqwest::Client::new()
            .get(app.url(&format!(
                "/api/v1/reports/reciprocity?from={year}-01-01&to={year}-12-31"
            )))
            .bearer_auth(&net.admin.token)
            .header("accept", "text/csv"),
    )
    .await;
    assert_eq!(api.text, csv.body, "the page's CSV is the API's");
    let summary = admin.get(&page.attr("#summary-csv", "href").unwrap()).await;
    summary.expect(200);
    assert!(summary.body.starts_with("metric,key,value"));
    assert!(summary.body.contains("landings,,0"));

    // A range chosen in the form; a bad one is told at its field.
    let page = admin
        .submit(
            "#range-form",
            &[("from", "2025-03-01"), ("to", "2025-02-01")],
        )
        .await;
    page.expect(422);
    assert_eq!(
        page.field_error("to").as_deref(),
        Some(en("err-end-before-start", &[]).as_str())
    );
    let page = admin
        .submit("#range-form", &[("from", "March"), ("to", "")])
        .await;
    page.expect(422);
    let mut fields = page.fields_in_error();
    fields.sort();
    assert_eq!(fields, ["from", "to"]);
    assert_eq!(
        page.field_error("from").as_deref(),
        Some(en("admin-err-date", &[]).as_str())
    );
    admin
        .get("/admin/reports/summary.csv?from=2025-03-01&to=2025-02-01")
        .await
        .expect(422);
}

#[tokio::test]
async fn a_failed_message_is_listed_filtered_and_retried() {
    let app = spawn_app_with(&[("SOFTLANDING__WORKER__MAX_ATTEMPTS", "2")]).await;
    let net = network(&app).await;
    app.smtp.reject_recipient("manager@cyberforum");
    app.post(
        "/api/v1/auth/password-reset",
        None,
        &json!({"email": net.manager_a.email}),
    )
    .await
    .expect(202);
    app.drain_outbox().await;
    let admin = signed_in(&app, &net.admin.email).await;

    let page = admin.get("/admin").await;
    assert!(
        page.text("#glance-email")
            .contains(&en("admin-glance-dead", &[("count", "1")])),
        "{}",
        page.text("#glance-email")
    );
    let page = admin.get("/admin/outbox?channel=email&status=dead").await;
    page.assert_page();
    page.assert_inputs_labelled();
    assert_eq!(page.h1(), en("admin-outbox-heading", &[]));
    let rows = page.select("#outbox tbody tr");
    assert_eq!(rows.len(), 1);
    let row = page.text("#outbox tbody tr");
    assert!(row.contains("auth.password_reset"), "{row}");
    assert!(row.contains(&net.manager_a.email), "{row}");
    assert!(row.contains(&en("admin-status-dead", &[])), "{row}");
    let form = page.form("#outbox tbody form");
    let id = form.action.split('/').nth(3).unwrap().to_owned();
    // Webhook deliveries are another channel: none failed.
    let webhooks = admin.get("/admin/outbox?channel=webhook&status=dead").await;
    assert!(webhooks.has("p.empty"));
    assert!(!webhooks.has("#outbox"));

    // Retry: back in the queue, and back to the list as filtered.
    app.smtp.accept_all_recipients();
    admin.get("/admin/outbox?channel=email&status=dead").await;
    let done = admin.submit("#outbox tbody form", &[]).await;
    assert_eq!(done.redirect(), "/admin/outbox?channel=email&status=dead");
    let page = admin.follow(&done).await;
    assert_eq!(
        page.flash().as_deref(),
        Some(en("flash-admin-retried", &[]).as_str())
    );
    assert!(page.has("p.empty"), "no dead message is left");
    let pending = admin.get("/admin/outbox?status=pending").await;
    assert!(pending.has(&format!("#outbox-{id}")));
    assert!(
        !pending.has(&format!("#retry-{id}")),
        "only a failed one offers retry"
    );
    app.mail_to(&net.manager_a.email, "").await;
    // Retrying what was delivered since says so.
    let token = pending.attr("input[name=csrf_token]", "value").unwrap();
    let again = admin
        .post_with(
            &format!("/admin/outbox/{id}/retry"),
            &[("csrf_token".into(), token)],
            &[],
        )
        .await;
    assert_eq!(again.redirect(), "/admin/outbox");
    assert_eq!(
        admin.follow(&again).await.flash().as_deref(),
        Some(en("flash-admin-already-sent", &[]).as_str())
    );
}

#[tokio::test]
async fn people_are_listed_searched_and_disabled_but_not_oneself() {
    let app = spawn_app().await;
    let net = network(&app).await;
    let manager = signed_in(&app, &net.manager_a.email).await;
    manager.get("/manage").await.expect(200);
    let admin = signed_in(&app, &net.admin.email).await;

    let page = admin.get("/admin/users").await;
    page.assert_page();
    page.assert_inputs_labelled();
    assert_eq!(page.h1(), en("admin-users-heading", &[]));
    let row = page.text(&format!("#user-{}", net.manager_a.id));
    assert!(row.contains(&net.manager_a.email), "{row}");
    assert!(row.contains(&en("role-cluster_manager", &[])), "{row}");
    assert!(row.contains("CyberForum"), "{row}");
    assert!(row.contains(&en("admin-user-active", &[])), "{row}");
    let member = page.text(&format!("#user-{}", net.member_a.id));
    assert!(member.contains("Acme Robotics"), "{member}");
    assert!(member.contains(&en("role-sme_member", &[])), "{member}");
    let me = page.text(&format!("#user-{}", net.admin.id));
    assert!(me.contains(&en("admin-users-you", &[])), "{me}");
    assert!(!page.has(&format!("#disable-{}", net.admin.id)));

    // Search by a part of the address (a `%` is a character like any other).
    let none = admin.get("/admin/users?email=cyber%25").await;
    assert!(none.has("p.empty"));
    let page = admin
        .submit("#users-search", &[("email", "CYBERFORUM")])
        .await;
    page.expect(200);
    assert_eq!(page.select("#users tbody tr").len(), 1);
    assert!(page.has(&format!("#user-{}", net.manager_a.id)));

    // Disabling ends the manager's session and their sign-ins.
    let done = admin
        .submit(&format!("#user-{} form", net.manager_a.id), &[])
        .await;
    assert_eq!(done.redirect(), "/admin/users?email=CYBERFORUM");
    let page = admin.follow(&done).await;
    assert_eq!(
        page.flash().as_deref(),
        Some(en("flash-admin-disabled", &[]).as_str())
    );
    let row = page.text(&format!("#user-{}", net.manager_a.id));
    assert!(row.contains(&en("admin-user-disabled", &[])), "{row}");
    assert!(!page.has(&format!("#disable-{}", net.manager_a.id)));
    assert!(
        manager
            .get("/manage")
            .await
            .redirect()
            .starts_with("/sign-in")
    );
    Portal::new(&app)
        .sign_in_to(&net.manager_a.email, PASSWORD, None)
        .await
        .expect(400);

    // One's own account: refused, plainly.
    let token = page.attr("input[name=csrf_token]", "value").unwrap();
    let page = admin
        .post_with(
            &format!("/admin/users/{}/disable", net.admin.id),
            &[("csrf_token".into(), token)],
            &[],
        )
        .await;
    page.expect(409);
    assert_eq!(page.text("#users-error"), en("admin-users-not-self", &[]));
    admin.get("/admin").await.expect(200);
}

#[tokio::test]
async fn nobody_but_the_coordinator_gets_into_the_area() {
    let app = spawn_app().await;
    let net = network(&app).await;

    for who in [&net.manager_a.email, &net.member_a.email] {
        let portal = signed_in(&app, who).await;
        for (address, status) in statuses(&portal).await {
            assert_eq!(status, 403, "{who} on {address}");
        }
        assert!(!portal.get("/landings").await.has("#nav-admin"));
    }
    let stranger = Portal::new(&app);
    for (method, path) in ADDRESSES.into_iter().filter(|(m, _)| *m == "GET") {
        let page = stranger.get(path).await;
        assert!(
            page.redirect().starts_with("/sign-in?next=%2Fadmin"),
            "{method} {path}"
        );
    }
    // A post without a session is refused before anything happens.
    let page = stranger.post_with("/admin/clusters", &[], &[]).await;
    assert!(matches!(page.status(), 303 | 403), "{}", page.status());
    let admin = signed_in(&app, &net.admin.email).await;
    for (address, status) in statuses(&admin).await {
        assert!(
            [200, 303, 404, 422].contains(&status),
            "the coordinator on {address}: {status}"
        );
    }
}

#[tokio::test]
async fn an_sme_member_gets_no_manager_page() {
    let app = spawn_app().await;
    let net = network(&app).await;
    let member = signed_in(&app, &net.member_a.email).await;
    for path in [
        "/manage",
        "/manage/smes",
        "/manage/partnerships",
        "/manage/offers",
        "/manage/cluster",
        "/manage/reports",
    ] {
        let status = member.get(path).await.status();
        assert!([403, 404].contains(&status), "{path}: {status}");
    }
    assert!(!member.get("/landings").await.has("#manage-nav"));
}

#[tokio::test]
async fn an_api_client_cannot_sign_in_to_the_portal() {
    let app = spawn_app().await;
    let net = network(&app).await;
    let (client_id, secret) = app.api_client(&net.manager_a, &net.cluster_a).await;
    let token = app.client_token(&client_id, &secret).await;

    // Its id and secret on the sign-in form: refused as a wrong password is.
    let portal = Portal::new(&app);
    let page = portal.sign_in_to(&client_id, &secret, None).await;
    page.expect(400);
    assert_eq!(
        page.field_error("email").as_deref(),
        Some(en("err-sign-in-wrong", &[]).as_str())
    );
    assert!(portal.session().is_none());

    // Its bearer token is no portal session: the pages send it to sign in.
    for path in ["/manage", "/account", "/landings", "/admin"] {
        let page = portal
            .get_with(path, &[("authorization", &format!("Bearer {token}"))])
            .await;
        assert!(page.redirect().starts_with("/sign-in"), "{path}");
    }
    // Nor is it a session cookie.
    let borrowed = Portal::with_cookie(&app, &format!("{SESSION_COOKIE}={token}"));
    assert!(
        borrowed
            .get("/manage")
            .await
            .redirect()
            .starts_with("/sign-in")
    );
}
