//! `/manage/cluster` and `/manage/reports`: a cluster's managers edit its profile (a crossing
//! edit says so), invite and remove managers (never the last), create API clients (the secret
//! shown once, never stored by a cache) and revoke them, register webhooks (refused URLs told at
//! the field), edit, test, rotate and delete them, read their delivery log and redeliver; they
//! read their reports and download them as the API's CSV. Another cluster's things are 404, an
//! SME member gets 403, and the signed-out are sent to sign in.

use std::time::Duration;

use serde_json::json;

use super::client::{Page, Portal, signed_in};
use super::en;
use crate::fixtures::network;
use crate::helpers::{reply, spawn_app, spawn_app_with};

fn flash(page: &Page) -> String {
    page.flash().unwrap_or_default()
}

#[tokio::test]
async fn the_profile_is_edited_and_a_crossing_edit_is_told() {
    let app = spawn_app().await;
    let net = network(&app).await;
    let portal = signed_in(&app, &net.manager_a.email).await;
    let page = portal.get("/manage/cluster").await;
    assert_eq!(page.assert_page(), "CyberForum");
    page.assert_inputs_labelled();
    assert_eq!(page.header("cache-control").as_deref(), Some("no-store"));
    let form = page.form("#cluster-form");
    assert_eq!(form.get("name"), Some("CyberForum"));
    let stale = form.clone();

    // Bad fields come back at their fields, with what was typed.
    let page = portal
        .submit(
            "#cluster-form",
            &[
                ("contact_email", "not an address"),
                ("timezone", "Mars/Olympus"),
            ],
        )
        .await;
    page.expect(422);
    page.assert_errors_linked();
    assert!(page.field_error("contact_email").is_some());
    assert!(page.field_error("timezone").is_some());
    assert_eq!(
        page.form("#cluster-form").get("timezone"),
        Some("Mars/Olympus")
    );

    // A good edit is saved and shown.
    portal.get("/manage/cluster").await.expect(200);
    let page = portal
        .submit(
            "#cluster-form",
            &[("city", "Paderborn-Mitte"), ("sectors", "ict, Robotics")],
        )
        .await;
    assert_eq!(page.redirect(), "/manage/cluster");
    let page = portal.get("/manage/cluster").await;
    assert_eq!(flash(&page), en("flash-cluster-saved", &[]));
    let form = page.form("#cluster-form");
    assert_eq!(form.get("city"), Some("Paderborn-Mitte"));
    assert_eq!(form.get("sectors"), Some("ict, robotics"));
    let cluster = app
        .get(&format!("/api/v1/clusters/{}", net.cluster_a), None)
        .await
        .expect(200);
    assert_eq!(cluster["city"], "Paderborn-Mitte");

    // The form shown before that edit is stale: saving it says someone else changed it.
    let page = portal
        .send_form(&stale.fill(&[("city", "Somewhere else")]))
        .await;
    page.expect(409);
    assert_eq!(page.text("#profile-conflict"), en("cluster-conflict", &[]));
    assert_eq!(
        page.form("#cluster-form").get("city"),
        Some("Paderborn-Mitte")
    );
}

#[tokio::test]
async fn managers_are_invited_and_removed_but_never_the_last() {
    let app = spawn_app().await;
    let net = network(&app).await;
    let portal = signed_in(&app, &net.manager_a.email).await;
    let page = portal.get("/manage/cluster").await;
    page.expect(200);
    assert_eq!(page.select("#managers li").len(), 1);

    // The last manager stays, and the page says why in plain words.
    let remove = page.form(&format!("#manager-{} form", net.manager_a.id));
    let page = portal.send_form(&remove).await;
    page.expect(409);
    assert_eq!(page.text("#remove-error"), en("err-last-manager", &[]));

    // An invitation with a bad address is refused at the field.
    portal.get("/manage/cluster").await.expect(200);
    let page = portal
        .submit(
            "#invite-form",
            &[("invite_name", "Bea Baker"), ("invite_email", "nope")],
        )
        .await;
    page.expect(422);
    assert!(page.field_error("invite_email").is_some());
    assert_eq!(
        page.form("#invite-form").get("invite_name"),
        Some("Bea Baker")
    );

    // A taken address is told at the field.
    let page = portal
        .submit(
            "#invite-form",
            &[
                ("invite_name", "Ada"),
                ("invite_email", &net.member_a.email),
            ],
        )
        .await;
    page.expect(422);
    assert_eq!(
        page.field_error("invite_email").unwrap(),
        en("err-email-taken", &[])
    );

    // The invitee's language is the manager's own until chosen; an unknown one is refused at
    // the field.
    assert_eq!(
        portal.current_form("#invite-form").get("invite_locale"),
        Some("en")
    );
    let page = portal
        .submit(
            "#invite-form",
            &[
                ("invite_name", "Bea Baker"),
                ("invite_email", "bea@cyberforum.test"),
                ("invite_locale", "xx"),
            ],
        )
        .await;
    page.expect(422);
    assert_eq!(
        page.field_error("invite_locale").unwrap(),
        en("err-locale", &[])
    );

    // A good invitation mails a set-password link in the language chosen for the person; they
    // are listed as invited.
    let page = portal
        .submit(
            "#invite-form",
            &[
                ("invite_name", "Bea Baker"),
                ("invite_email", "bea@cyberforum.test"),
                ("invite_locale", "sv"),
            ],
        )
        .await;
    assert!(page.redirect().starts_with("/manage/cluster"));
    let page = portal.get("/manage/cluster").await;
    assert_eq!(flash(&page), en("flash-manager-invited", &[]));
    let listed = page.texts("#managers li");
    assert_eq!(listed.len(), 2);
    let bea = listed.iter().find(|l| l.contains("Bea Baker")).unwrap();
    assert!(bea.contains(&en("cluster-manager-invited", &[])), "{bea}");
    let mail = app.mail_to("bea@cyberforum.test", "Du är inbjuden").await;
    assert!(
        mail.text().contains("/set-password?token="),
        "{}",
        mail.text()
    );

    // With two, one can be removed.
    let (_, managers) = {
        let list = app
            .get(
                &format!("/api/v1/clusters/{}/managers", net.cluster_a),
                Some(&net.manager_a.token),
            )
            .await
            .expect(200);
        ((), list["items"].as_array().unwrap().clone())
    };
    let bea_id = managers
        .iter()
        .find(|m| m["email"] == "bea@cyberforum.test")
        .unwrap()["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let page = portal
        .send_form(&page.form(&format!("#manager-{bea_id} form")))
        .await;
    assert!(page.redirect().starts_with("/manage/cluster"));
    let page = portal.get("/manage/cluster").await;
    assert_eq!(flash(&page), en("flash-manager-removed", &[]));
    assert_eq!(page.select("#managers li").len(), 1);
}

#[tokio::test]
async fn an_api_client_secret_is_shown_once_and_the_client_can_be_revoked() {
    let app = spawn_app().await;
    let net = network(&app).await;
    let portal = signed_in(&app, &net.manager_a.email).await;
    portal.get("/manage/cluster").await.expect(200);

    let page = portal
        .submit("#client-form", &[("client_name", "  ")])
        .await;
    page.expect(422);
    assert!(page.field_error("client_name").is_some());

    let page = portal
        .submit("#client-form", &[("client_name", "Our CRM")])
        .await;
    page.expect(200);
    assert_eq!(page.header("cache-control").as_deref(), Some("no-store"));
    let client_id = page.text("#created-client-id");
    let secret = page.text("#created-client-secret");
    assert!(!secret.is_empty());
    assert!(page.text("#clients").contains("Our CRM"));
    // The secret works, once shown...
    let token = app.client_token(&client_id, &secret).await;
    assert!(!token.is_empty());
    // ... and is never shown again.
    let page = portal.get("/manage/cluster").await;
    assert!(!page.has("#created-client-secret"));
    assert!(!page.body.contains(&secret));
    assert!(page.text("#clients").contains(&client_id));

    let page = portal
        .send_form(&page.form(&format!("#client-{client_id} form")))
        .await;
    assert!(page.redirect().starts_with("/manage/cluster"));
    let page = portal.get("/manage/cluster").await;
    assert_eq!(flash(&page), en("flash-client-revoked", &[]));
    assert!(!page.has(&format!("#client-{client_id} form")));
    let refused = reply(app.client.post(app.url("/api/v1/auth/token")).form(&[
        ("grant_type", "client_credentials"),
        ("client_id", client_id.as_str()),
        ("client_secret", secret.as_str()),
    ]))
    .await;
    assert!(refused.status.is_client_error(), "{:?}", refused.status);
}

/// The deliveries of the webhook page at `path`, once the worker has made an attempt.
async fn attempted(portal: &Portal, path: &str) -> Page {
    for _ in 0..100 {
        let page = portal.get(path).await;
        if page.has("#deliveries table.attempts tbody tr") {
            return page;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    panic!("no attempt showed on {path}");
}

#[tokio::test]
async fn a_webhook_is_registered_edited_tested_rotated_redelivered_and_deleted() {
    let app = spawn_app().await;
    let net = network(&app).await;
    let portal = signed_in(&app, &net.manager_a.email).await;
    let page = portal.get("/manage/cluster").await;
    assert_eq!(
        page.attr("#webhooks-link", "href").as_deref(),
        Some("/manage/cluster/webhooks")
    );
    let page = portal.get("/manage/cluster/webhooks").await;
    assert_eq!(page.assert_page(), en("webhooks-title", &[]));
    page.assert_inputs_labelled();

    // No event and no address: both told at their fields.
    let page = portal.submit("#webhook-form", &[("url", "")]).await;
    page.expect(422);
    page.assert_errors_linked();
    assert_eq!(
        page.field_error("events").unwrap(),
        en("err-webhook-events", &[])
    );
    assert!(page.field_error("url").is_some());
    // Not a web address.
    let page = portal
        .submit(
            "#webhook-form",
            &[("url", "ftp://example.org/x"), ("events", "landing.*")],
        )
        .await;
    page.expect(422);
    assert_eq!(page.field_error("url").unwrap(), en("err-webhook-url", &[]));
    assert_eq!(page.form("#webhook-form").all("events"), vec!["landing.*"]);

    // A good one: its secret is shown once, with no-store.
    let page = portal
        .submit(
            "#webhook-form",
            &[
                ("url", "http://127.0.0.1:9/hook"),
                ("events", "landing.*"),
                ("events", "partnership.accepted"),
                ("description", "Our CRM"),
            ],
        )
        .await;
    page.expect(200);
    assert_eq!(page.header("cache-control").as_deref(), Some("no-store"));
    let secret = page.text("#created-webhook-secret");
    assert!(secret.starts_with("whsec_"), "{secret}");
    let path = page.attr("#webhook-link", "href").unwrap();
    let id = path.rsplit('/').next().unwrap().to_owned();
    let hook = app
        .get(
            &format!("/api/v1/webhooks/{id}"),
            Some(&net.manager_a.token),
        )
        .await
        .expect(200);
    assert_eq!(hook["events"], json!(["landing.*", "partnership.accepted"]));

    let page = portal.get(&path).await;
    assert_eq!(page.assert_page(), en("webhook-title", &[]));
    assert!(!page.body.contains(&secret));
    assert_eq!(
        page.text("#no-deliveries"),
        en("webhook-deliveries-none", &[])
    );
    let form = page.form("#webhook-form");
    assert_eq!(
        form.all("events"),
        vec!["landing.*", "partnership.accepted"]
    );
    assert_eq!(form.get("enabled"), Some("yes"));
    let stale = form.clone();

    // An edit: description changed, disabled.
    let page = portal
        .send_form(
            &form
                .clone()
                .fill(&[("description", "Our new CRM")])
                .without("enabled"),
        )
        .await;
    assert_eq!(page.redirect(), path);
    let page = portal.get(&path).await;
    assert_eq!(flash(&page), en("flash-webhook-saved", &[]));
    assert_eq!(page.form("#webhook-form").get("enabled"), None);
    assert_eq!(
        page.form("#webhook-form").get("description"),
        Some("Our new CRM")
    );
    // The form shown before that edit is stale.
    let page = portal.send_form(&stale).await;
    page.expect(409);
    assert_eq!(page.text("#webhook-conflict"), en("webhook-conflict", &[]));

    // A test event goes to the log with its attempts.
    let page = portal.get(&path).await;
    let page = portal.send_form(&page.form("#test-form")).await;
    assert!(page.redirect().starts_with(&path));
    let page = attempted(&portal, &path).await;
    let delivery = page.one("#deliveries li.delivery");
    let delivery_id = delivery
        .value()
        .attr("id")
        .unwrap()
        .trim_start_matches("delivery-")
        .to_owned();
    assert!(page.text("#deliveries").contains("webhook.test"));
    assert!(!page.texts("#deliveries table.attempts td").is_empty());

    // Redelivery queues it again.
    let redeliver = page.form(&format!("#delivery-{delivery_id} form"));
    let page = portal.send_form(&redeliver).await;
    if page.status() == 409 {
        assert!(
            page.text("#deliveries")
                .contains(&en("err-delivery-in-progress", &[]))
        );
    } else {
        assert!(page.redirect().starts_with(&path));
        let page = portal.get(&path).await;
        assert_eq!(flash(&page), en("flash-webhook-redelivered", &[]));
    }

    // A new secret, shown once; the old one is different.
    let page = portal.get(&path).await;
    let page = portal.send_form(&page.form("#rotate-form")).await;
    page.expect(200);
    assert_eq!(page.header("cache-control").as_deref(), Some("no-store"));
    let rotated = page.text("#created-webhook-secret");
    assert!(rotated.starts_with("whsec_") && rotated != secret);

    // Deleted, it is gone.
    let page = portal.get(&path).await;
    let page = portal.send_form(&page.form("#delete-form")).await;
    assert_eq!(page.redirect(), "/manage/cluster/webhooks");
    let page = portal.get("/manage/cluster/webhooks").await;
    assert_eq!(flash(&page), en("flash-webhook-deleted", &[]));
    assert!(!page.has(&format!("#webhook-{id}")));
    portal.get(&path).await.expect(404);
}

#[tokio::test]
async fn a_private_webhook_address_is_refused_at_the_field() {
    let app = spawn_app_with(&[("SOFTLANDING__WEBHOOKS__ALLOW_PRIVATE_TARGETS", "false")]).await;
    let net = network(&app).await;
    let portal = signed_in(&app, &net.manager_a.email).await;
    portal.get("/manage/cluster/webhooks").await.expect(200);
    let page = portal
        .submit(
            "#webhook-form",
            &[
                ("url", "http://127.0.0.1:9/hook"),
                ("events", "offer.published"),
            ],
        )
        .await;
    page.expect(422);
    page.assert_errors_linked();
    assert_eq!(
        page.field_error("url").unwrap(),
        en("err-webhook-url-private", &[])
    );
    assert_eq!(
        page.form("#webhook-form").get("url"),
        Some("http://127.0.0.1:9/hook")
    );
}

#[tokio::test]
async fn the_delivery_log_is_paged() {
    let app = spawn_app().await;
    let net = network(&app).await;
    let hook = app
        .post(
            "/api/v1/webhooks",
            Some(&net.manager_a.token),
            &json!({"url": "http://127.0.0.1:9/hook", "events": ["landing.*"]}),
        )
        .await
        .expect(201);
    let id = hook["id"].as_str().unwrap().to_owned();
    for _ in 0..21 {
        app.post(
            &format!("/api/v1/webhooks/{id}/test"),
            Some(&net.manager_a.token),
            &json!({}),
        )
        .await
        .expect(202);
    }
    let portal = signed_in(&app, &net.manager_a.email).await;
    let path = format!("/manage/cluster/webhooks/{id}");
    let page = portal.get(&path).await;
    page.assert_page();
    assert_eq!(page.select("#deliveries li.delivery").len(), 20);
    let older = page.attr("#older", "href").unwrap();
    let page = portal.get(&older).await;
    page.expect(200);
    assert_eq!(page.select("#deliveries li.delivery").len(), 1);
    assert!(!page.has("#older"));
}

#[tokio::test]
async fn reports_show_the_year_and_download_as_csv() {
    let app = spawn_app().await;
    let net = network(&app).await;
    let partnership = net.proposed_partnership(&app).await;
    app.post(
        &format!("/api/v1/partnerships/{partnership}/accept"),
        Some(&net.manager_b.token),
        &json!({}),
    )
    .await
    .expect(200);
    let portal = signed_in(&app, &net.manager_a.email).await;
    let page = portal.get("/manage/reports").await;
    assert_eq!(page.assert_page(), en("manage-reports-title", &[]));
    page.assert_inputs_labelled();
    let year = app.today_in("UTC").format("%Y").to_string();
    let form = page.form("#range-form");
    assert_eq!(form.get("from"), Some(format!("{year}-01-01").as_str()));
    assert_eq!(form.get("to"), Some(format!("{year}-12-31").as_str()));
    assert!(page.text("#reciprocity").contains("Kista Science City"));
    assert_eq!(page.text("#summary-landings"), "0");

    let href = page.attr("#reciprocity-csv", "href").unwrap();
    let csv = portal.get(&href).await;
    csv.expect(200);
    assert!(csv.header("content-type").unwrap().starts_with("text/csv"));
    assert_eq!(
        csv.header("content-disposition").unwrap(),
        format!("attachment; filename=\"reciprocity-{year}-01-01-{year}-12-31.csv\"")
    );
    let mut lines = csv.body.lines();
    assert!(
        lines
            .next()
            .unwrap()
            .starts_with("partnership_id,partnership_state,")
    );
    assert!(lines.next().unwrap().contains("Kista Science City"));
    let href = page.attr("#summary-csv", "href").unwrap();
    let csv = portal.get(&href).await;
    csv.expect(200);
    assert!(
        csv.header("content-disposition")
            .unwrap()
            .starts_with("attachment;")
    );
    assert_eq!(csv.body.lines().next(), Some("metric,key,value"));

    // A backwards range, and a day that is not one, are told at the fields.
    let page = portal
        .submit(
            "#range-form",
            &[("from", "2026-05-01"), ("to", "2026-04-01")],
        )
        .await;
    page.expect(422);
    page.assert_errors_linked();
    assert_eq!(
        page.field_error("to").unwrap(),
        en("err-report-backwards", &[])
    );
    let page = portal
        .get("/manage/reports?from=yesterday&to=2026-04-01")
        .await;
    page.expect(422);
    assert_eq!(page.field_error("from").unwrap(), en("err-report-day", &[]));
    let page = portal
        .get("/manage/reports/summary.csv?from=2020-01-01&to=2026-04-01")
        .await;
    page.expect(422);
    assert_eq!(
        page.field_error("to").unwrap(),
        en("err-report-too-long", &[])
    );
}

#[tokio::test]
async fn another_clusters_things_are_404_an_sme_member_403_and_the_signed_out_sign_in() {
    let app = spawn_app().await;
    let net = network(&app).await;
    let hook = app
        .post(
            "/api/v1/webhooks",
            Some(&net.manager_a.token),
            &json!({"url": "http://127.0.0.1:9/hook", "events": ["landing.*"]}),
        )
        .await
        .expect(201);
    let id = hook["id"].as_str().unwrap().to_owned();
    let delivery = app
        .post(
            &format!("/api/v1/webhooks/{id}/test"),
            Some(&net.manager_a.token),
            &json!({}),
        )
        .await
        .expect(202)["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let client_id = net.client_a.id.clone();

    // Cluster B's manager: A's webhook, its log, its actions, A's client and manager are 404.
    let other = signed_in(&app, &net.manager_b.email).await;
    let page = other.get("/manage/cluster").await;
    assert_eq!(page.assert_page(), "Kista Science City");
    assert!(!page.body.contains(&id));
    assert!(!page.body.contains(&client_id));
    assert!(!page.body.contains(&net.manager_a.email));
    other
        .get(&format!("/manage/cluster/webhooks/{id}"))
        .await
        .expect(404);
    let token = other
        .get("/manage/cluster")
        .await
        .form("#client-form")
        .fields;
    let token: Vec<(String, String)> = token
        .into_iter()
        .filter(|(k, _)| k == "csrf_token")
        .collect();
    for action in ["edit", "delete", "rotate", "test"] {
        other
            .post_with(
                &format!("/manage/cluster/webhooks/{id}/{action}"),
                &token,
                &[],
            )
            .await
            .expect(404);
    }
    other
        .post_with(
            &format!("/manage/cluster/webhooks/{id}/deliveries/{delivery}/redeliver"),
            &token,
            &[],
        )
        .await
        .expect(404);
    other
        .post_with(
            &format!("/manage/cluster/clients/{client_id}/revoke"),
            &token,
            &[],
        )
        .await
        .expect(404);
    other
        .post_with(
            &format!("/manage/cluster/managers/{}/remove", net.manager_a.id),
            &token,
            &[],
        )
        .await
        .expect(404);
    // Nothing of A's changed.
    app.get(
        &format!("/api/v1/webhooks/{id}"),
        Some(&net.manager_a.token),
    )
    .await
    .expect(200);
    let clients = app
        .get(
            &format!("/api/v1/clusters/{}/api-clients", net.cluster_a),
            Some(&net.manager_a.token),
        )
        .await
        .expect(200);
    assert!(clients["items"][0]["revoked_at"].is_null(), "{clients}");

    // An SME member: 403 on every page.
    let member = signed_in(&app, &net.member_a.email).await;
    for path in [
        "/manage/cluster",
        "/manage/cluster/webhooks",
        &format!("/manage/cluster/webhooks/{id}"),
        "/manage/reports",
        "/manage/reports/summary.csv",
        "/manage/reports/reciprocity.csv",
    ] {
        member.get(path).await.expect(403);
    }

    // Signed out: sign in first, then come back.
    let nobody = Portal::new(&app);
    for path in [
        "/manage/cluster",
        "/manage/cluster/webhooks",
        "/manage/reports",
    ] {
        let page = nobody.get(path).await;
        let to = page.redirect();
        assert!(to.starts_with("/sign-in?next="), "{path}: {to}");
    }
}
