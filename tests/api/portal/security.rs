//! What the portal refuses: posts without the form token or from another site, sessions that
//! idled or aged out, another tenant's landing (404, as in the API), the SME's pages to anyone
//! else (403), a disabled person; and the headers and assets every browser is given.

use chrono::TimeDelta;
use serde_json::json;

use super::client::{Page, Portal, SESSION_COOKIE, signed_in};
use crate::fixtures::{PASSWORD, network, other_sme};
use crate::helpers::{TestApp, spawn_app};
use crate::landings::landings;

/// Asserts the portal's 403 page.
#[track_caller]
fn assert_forbidden(page: &Page) {
    page.expect(403);
    page.assert_landmarks();
}

/// The forgot-password form of a fresh anonymous visit, ready to post.
async fn forgot_form(portal: &Portal) -> Vec<(String, String)> {
    portal.get("/forgot-password").await.expect(200);
    portal
        .current_form("#forgot-form")
        .fill(&[("email", "ada@acme.test")])
        .fields
}

/// Whether a reset mail went to ada (what a refused post must not cause).
async fn reset_mailed(app: &TestApp) -> bool {
    app.delivered()
        .await
        .iter()
        .any(|m| m.to.iter().any(|t| t == "ada@acme.test"))
}

#[tokio::test]
async fn a_post_without_the_form_token_is_refused() {
    let app = spawn_app().await;
    let net = network(&app).await;
    let portal = Portal::new(&app);
    let fields: Vec<(String, String)> = forgot_form(&portal)
        .await
        .into_iter()
        .filter(|(k, _)| k != "csrf_token")
        .collect();
    assert_forbidden(&portal.post_with("/forgot-password", &fields, &[]).await);
    assert!(!reset_mailed(&app).await);

    // Signed in: signing out everywhere without the token signs out nobody.
    let signed = signed_in(&app, &net.member_a.email).await;
    signed.get("/account").await.assert_page();
    let form = signed
        .current_form("#sign-out-everywhere-form")
        .without("csrf_token");
    assert_forbidden(&signed.send_form(&form).await);
    signed.get("/account").await.assert_page();
}

#[tokio::test]
async fn a_post_with_a_wrong_form_token_is_refused() {
    let app = spawn_app().await;
    let net = network(&app).await;
    let portal = Portal::new(&app);
    let fields = forgot_form(&portal).await;
    let wrong: Vec<(String, String)> = fields
        .iter()
        .map(|(k, v)| {
            if k == "csrf_token" {
                (k.clone(), "A".repeat(v.len()))
            } else {
                (k.clone(), v.clone())
            }
        })
        .collect();
    assert_forbidden(&portal.post_with("/forgot-password", &wrong, &[]).await);
    // Another visitor's token is not this one's.
    let stranger = Portal::new(&app);
    let theirs = forgot_form(&stranger).await;
    assert_forbidden(&portal.post_with("/forgot-password", &theirs, &[]).await);
    assert!(!reset_mailed(&app).await);

    // Signed in, the token of the anonymous visit before (or of another session) is not it.
    let signed = Portal::new(&app);
    let anonymous = forgot_form(&signed).await;
    signed.sign_in(&net.member_a.email, PASSWORD).await;
    signed.get("/account").await.assert_page();
    let token = |fields: &[(String, String)]| {
        fields
            .iter()
            .find(|(k, _)| k == "csrf_token")
            .unwrap()
            .1
            .clone()
    };
    let other = signed_in(&app, &net.member_a.email).await;
    other.get("/account").await.assert_page();
    let other_token = token(&other.current_form("#account-form").fields);
    for stale in [token(&anonymous), other_token] {
        signed.get("/account").await.assert_page();
        let form = signed
            .current_form("#sign-out-everywhere-form")
            .fill(&[("csrf_token", &stale)]);
        assert_forbidden(&signed.send_form(&form).await);
    }
    signed.get("/account").await.assert_page();
    other.get("/account").await.assert_page();
}

#[tokio::test]
async fn a_post_from_another_site_is_refused_even_with_the_right_token() {
    let app = spawn_app().await;
    let net = network(&app).await;
    let portal = Portal::new(&app);
    let fields = forgot_form(&portal).await;
    for origin in [
        "https://evil.example",
        "http://127.0.0.1.evil.example",
        "null",
    ] {
        assert_forbidden(
            &portal
                .post_with("/forgot-password", &fields, &[("Origin", origin)])
                .await,
        );
    }
    // Neither Origin nor Sec-Fetch-Site: refused too.
    assert_forbidden(
        &portal
            .post_without_origin("/forgot-password", &fields)
            .await,
    );
    assert!(!reset_mailed(&app).await);

    // A signed-in person's session survives a cross-site "sign out everywhere".
    let signed = signed_in(&app, &net.member_a.email).await;
    signed.get("/account").await.assert_page();
    let form = signed.current_form("#sign-out-everywhere-form");
    assert_forbidden(
        &signed
            .post_with(
                &form.action,
                &form.fields,
                &[("Origin", "https://evil.example")],
            )
            .await,
    );
    signed.get("/account").await.assert_page();

    // The same post from this origin works: the refusals were about the origin.
    let page = portal.post_with("/forgot-password", &fields, &[]).await;
    page.expect(200);
    assert!(page.has("#reset-sent"));
}

#[tokio::test]
async fn sec_fetch_site_cross_site_is_refused() {
    let app = spawn_app().await;
    network(&app).await;
    let portal = Portal::new(&app);
    let fields = forgot_form(&portal).await;
    for site in ["cross-site", "same-site", "none"] {
        assert_forbidden(
            &portal
                .post_with("/forgot-password", &fields, &[("Sec-Fetch-Site", site)])
                .await,
        );
    }
    assert!(!reset_mailed(&app).await);
    let page = portal
        .post_with(
            "/forgot-password",
            &fields,
            &[("Sec-Fetch-Site", "same-origin")],
        )
        .await;
    page.expect(200);
    assert!(page.has("#reset-sent"));
}

#[tokio::test]
async fn a_session_idle_for_more_than_two_hours_is_over() {
    let app = spawn_app().await;
    let net = network(&app).await;
    let portal = signed_in(&app, &net.member_a.email).await;
    // Each request keeps it alive for two more hours.
    for _ in 0..3 {
        app.advance(TimeDelta::minutes(110));
        portal.get("/landings").await.assert_page();
    }
    portal.get("/account").await.assert_page();
    app.advance(TimeDelta::hours(3));
    let page = portal.get("/landings").await;
    assert_eq!(page.redirect(), "/sign-in?next=%2Flandings");
    let page = portal.follow(&page).await;
    page.assert_page();
    assert!(page.has("#sign-in-form") && page.has("#nav-sign-in"));
    assert!(
        page.text("main#main")
            .contains(&super::en("sign-in-expired", &[])),
        "the sign-in page says the session ended"
    );
    let stale = portal.get("/sme").await;
    assert_eq!(stale.redirect(), "/sign-in?next=%2Fsme");
    // Signing in again works.
    portal.sign_in(&net.member_a.email, PASSWORD).await;
    portal.get("/sme").await.assert_page();
}

#[tokio::test]
async fn a_post_from_an_idle_session_goes_to_sign_in() {
    let app = spawn_app().await;
    let net = network(&app).await;
    let portal = signed_in(&app, &net.member_a.email).await;
    portal.get("/account").await.assert_page();
    app.advance(TimeDelta::hours(3));
    let page = portal
        .submit("#account-form", &[("name", "Too Late")])
        .await;
    let to = page.redirect();
    assert!(to.starts_with("/sign-in?next="), "{to}");
}

#[tokio::test]
async fn signing_in_again_after_a_form_from_an_idle_session_returns_to_a_page() {
    let app = spawn_app().await;
    let l = landings(&app).await;
    let lid = l.submit(&app, &l.request(5, 2, 1)).await["id"]
        .as_str()
        .unwrap()
        .to_owned();
    l.act(&app, &lid, "approve", &l.net.manager_a, json!({}))
        .await
        .expect(200);
    let request = format!("/landings/new?offer_id={}", l.offer);
    let mut lost = Vec::new();
    for (page, form, fields) in [
        (
            request,
            "#landing-form",
            vec![("purpose", crate::landings::PURPOSE)],
        ),
        (
            format!("/landings/{lid}"),
            "#cancel-form",
            vec![("reason", "Our flight was cancelled.")],
        ),
        (
            "/sme".to_owned(),
            "#invite-form",
            vec![("invite_name", "Late Colleague")],
        ),
        (
            "/account".to_owned(),
            "#password-form",
            vec![("current_password", PASSWORD)],
        ),
    ] {
        let portal = signed_in(&app, &l.member_b.email).await;
        portal.get(&page).await.assert_page();
        app.advance(TimeDelta::hours(3));
        let sent = portal.submit(form, &fields).await;
        let to_sign_in = sent.redirect();
        assert!(to_sign_in.starts_with("/sign-in?next="), "{to_sign_in}");
        portal.follow(&sent).await.expect(200);
        let signed = portal
            .submit(
                "#sign-in-form",
                &[("email", &l.member_b.email), ("password", PASSWORD)],
            )
            .await;
        let back = portal.follow(&signed).await;
        if back.status() != 200 {
            lost.push(format!("{form} of {page} → {} {}", back.path, back.status));
        }
    }
    assert!(
        lost.is_empty(),
        "a form sent after the session idled; signing in again leads to no page: {lost:#?}"
    );
}

#[tokio::test]
async fn a_session_ends_twelve_hours_after_signing_in_however_active() {
    let app = spawn_app().await;
    let net = network(&app).await;
    let portal = signed_in(&app, &net.member_a.email).await;
    // Active every 110 minutes for 11 hours, then 59 minutes more: still signed in.
    for _ in 0..6 {
        app.advance(TimeDelta::minutes(110));
        portal.get("/landings").await.assert_page();
    }
    app.advance(TimeDelta::minutes(59));
    portal.get("/landings").await.assert_page();
    // Two minutes later the twelve hours are over.
    app.advance(TimeDelta::minutes(2));
    let page = portal.get("/landings").await;
    assert_eq!(page.redirect(), "/sign-in?next=%2Flandings");
}

#[tokio::test]
async fn another_smes_landing_and_its_calendar_file_are_not_found() {
    let app = spawn_app().await;
    let l = landings(&app).await;
    let lid = l.submit(&app, &l.request(5, 2, 1)).await["id"]
        .as_str()
        .unwrap()
        .to_owned();
    l.act(&app, &lid, "approve", &l.net.manager_a, json!({}))
        .await
        .expect(200);
    let page = format!("/landings/{lid}");
    let ics = format!("{page}/calendar.ics");
    // Its own SME and both clusters' managers see it.
    for email in [
        &l.member_b.email,
        &l.net.manager_a.email,
        &l.net.manager_b.email,
    ] {
        let portal = signed_in(&app, email).await;
        portal.get(&page).await.assert_page();
        portal.get(&ics).await.expect(200);
    }

    // The host cluster's own SME, and another SME of the same home cluster: not found.
    let other = other_sme(&app, &l.net).await;
    for email in [&l.net.member_a.email, &other.member.email] {
        let portal = signed_in(&app, email).await;
        let shown = portal.get(&page).await;
        shown.expect(404);
        shown.assert_landmarks();
        assert!(
            !shown.body.contains(&l.offer),
            "nothing of the landing shows"
        );
        portal.get(&ics).await.expect(404);
        assert!(
            !portal
                .get("/landings")
                .await
                .has(&format!("tr[data-landing-id='{lid}']"))
        );
        // Acting on it is not found either, and changes nothing.
        let token = portal
            .get("/account")
            .await
            .attr("input[name=csrf_token]", "value")
            .unwrap();
        portal
            .post_with(
                &format!("{page}/cancel"),
                &[
                    ("csrf_token".to_owned(), token),
                    ("reason".to_owned(), "Not mine to cancel".to_owned()),
                ],
                &[],
            )
            .await
            .expect(404);
    }
    let landing = app
        .get(&format!("/api/v1/landings/{lid}"), Some(&l.member_b.token))
        .await
        .expect(200);
    assert_eq!(landing["state"], "approved");
}

#[tokio::test]
async fn a_manager_of_an_unrelated_cluster_gets_404_on_a_landing() {
    let app = spawn_app().await;
    let l = landings(&app).await;
    let lid = l.submit(&app, &l.request(5, 2, 1)).await["id"]
        .as_str()
        .unwrap()
        .to_owned();
    l.act(&app, &lid, "approve", &l.net.manager_a, json!({}))
        .await
        .expect(200);
    let cluster_c = app.create_cluster(&l.net.admin, "Tallinn Tech").await;
    app.manager(&l.net.admin, &cluster_c, "m@tallinn.test")
        .await;
    app.settle().await;
    let portal = signed_in(&app, "m@tallinn.test").await;
    portal.get(&format!("/landings/{lid}")).await.expect(404);
    portal
        .get(&format!("/landings/{lid}/calendar.ics"))
        .await
        .expect(404);
    let list = portal.get("/landings").await;
    list.assert_page();
    assert!(!list.has("tr[data-landing-id]"));
}

#[tokio::test]
async fn the_smes_pages_are_forbidden_to_anyone_else() {
    let app = spawn_app().await;
    let l = landings(&app).await;
    let anonymous = Portal::new(&app);
    assert_eq!(
        anonymous.get("/sme").await.redirect(),
        "/sign-in?next=%2Fsme"
    );
    for email in [&l.net.manager_a.email, &l.net.admin.email] {
        let portal = signed_in(&app, email).await;
        assert_forbidden(&portal.get("/sme").await);
        assert_forbidden(
            &portal
                .get(&format!("/landings/new?offer_id={}", l.offer))
                .await,
        );
        // Posting the profile or an invitation is refused too, with a valid token.
        let token = portal
            .get("/account")
            .await
            .attr("input[name=csrf_token]", "value")
            .unwrap();
        for path in ["/sme", "/sme/members", "/landings/new"] {
            let page = portal
                .post_with(
                    path,
                    &[
                        ("csrf_token".to_owned(), token.clone()),
                        ("name".to_owned(), "Taken over".to_owned()),
                        ("invite_name".to_owned(), "Mallory".to_owned()),
                        ("invite_email".to_owned(), "mallory@evil.test".to_owned()),
                        ("offer_id".to_owned(), l.offer.clone()),
                    ],
                    &[],
                )
                .await;
            assert_forbidden(&page);
        }
        assert!(!portal.get("/landings").await.has("#nav-sme"));
    }
}

#[tokio::test]
async fn disabling_a_person_ends_their_portal_session() {
    let app = spawn_app().await;
    let net = network(&app).await;
    let portal = signed_in(&app, &net.member_a.email).await;
    portal.get("/landings").await.assert_page();
    app.post(
        &format!("/api/v1/admin/users/{}/disable", net.member_a.id),
        Some(&net.admin.token),
        &json!({}),
    )
    .await
    .expect(204);
    let page = portal.get("/landings").await;
    assert_eq!(page.redirect(), "/sign-in?next=%2Flandings");
    let refused = Portal::new(&app)
        .sign_in_to(&net.member_a.email, PASSWORD, None)
        .await;
    assert_ne!(refused.status(), 303, "a disabled person cannot sign in");
    assert!(refused.field_error("email").is_some());
    assert!(refused.set_cookie(SESSION_COOKIE).is_none());
}

/// Asserts the security headers of a portal answer.
#[track_caller]
fn assert_security_headers(page: &Page) {
    let csp = page
        .header("content-security-policy")
        .unwrap_or_else(|| panic!("{}: a CSP", page.path));
    for needed in [
        "frame-ancestors 'none'",
        "script-src 'self'",
        "default-src 'none'",
    ] {
        assert!(
            csp.contains(needed),
            "{}: CSP has {needed}: {csp}",
            page.path
        );
    }
    for banned in [
        "unsafe-inline",
        "unsafe-eval",
        "*",
        "http:",
        "https:",
        "data:",
    ] {
        assert!(
            !csp.contains(banned),
            "{}: CSP allows {banned}: {csp}",
            page.path
        );
    }
    assert_eq!(
        page.header("x-content-type-options").as_deref(),
        Some("nosniff"),
        "{}",
        page.path
    );
    assert_eq!(
        page.header("referrer-policy").as_deref(),
        Some("same-origin"),
        "{}",
        page.path
    );
}

/// Asserts a page needs nothing the CSP forbids and nothing from another origin: no inline
/// script, style or handler, every resource from this site.
#[track_caller]
fn assert_self_contained(page: &Page) {
    for script in page.select("script") {
        assert!(
            script.value().attr("src").is_some() && script.inner_html().trim().is_empty(),
            "{}: an inline script",
            page.path
        );
    }
    assert!(!page.has("style"), "{}: a <style> element", page.path);
    assert!(!page.has("[style]"), "{}: a style attribute", page.path);
    for element in page.select("*") {
        for (name, _) in element.value().attrs() {
            assert!(
                !name.starts_with("on"),
                "{}: an inline handler `{name}`",
                page.path
            );
        }
    }
    for (css, attr) in [
        ("script", "src"),
        ("link", "href"),
        ("img", "src"),
        ("form", "action"),
    ] {
        for url in page.attrs(css, attr) {
            assert!(
                url.starts_with('/') && !url.starts_with("//"),
                "{}: {css}[{attr}] leaves the site: {url}",
                page.path
            );
        }
    }
}

#[tokio::test]
async fn every_answer_carries_the_security_headers() {
    let app = spawn_app().await;
    let l = landings(&app).await;
    let anonymous = Portal::new(&app);
    let mut pages = Vec::new();
    for path in [
        "/".to_owned(),
        "/offers".to_owned(),
        format!("/offers/{}", l.offer),
        "/clusters".to_owned(),
        "/sign-in".to_owned(),
        "/sign-up".to_owned(),
        "/no/such/page".to_owned(),
    ] {
        pages.push(anonymous.get(&path).await);
    }
    let fields = forgot_form(&anonymous).await;
    pages.push(
        anonymous
            .post_with(
                "/forgot-password",
                &fields,
                &[("Origin", "https://evil.example")],
            )
            .await,
    );
    let member = signed_in(&app, &l.member_b.email).await;
    for path in ["/landings", "/sme", "/account"] {
        pages.push(member.get(path).await);
    }
    pages.push(member.get("/sign-in").await);
    for page in &pages {
        assert_security_headers(page);
        if page.status() != 303 {
            assert_self_contained(page);
        }
        assert_eq!(
            page.header("cache-control").as_deref(),
            Some("no-store"),
            "{}: a page is not stored by caches",
            page.path
        );
    }
    // htmx may not evaluate code.
    let home = &pages[0];
    let config = home
        .attr("meta[name=htmx-config]", "content")
        .expect("htmx's configuration");
    let config: serde_json::Value = serde_json::from_str(&config).unwrap();
    assert_eq!(config["allowEval"], false);
}

#[tokio::test]
async fn assets_are_served_under_hashed_names_and_cached_for_a_year() {
    let app = spawn_app().await;
    let portal = Portal::new(&app);
    let home = portal.get("/").await;
    home.assert_page();
    let assets = vec![
        (
            home.attr("link[rel=stylesheet]", "href")
                .expect("a style sheet"),
            "text/css",
        ),
        (
            home.attr("script[src]", "src").expect("htmx"),
            "text/javascript",
        ),
        (
            home.attr("link[rel=icon]", "href").expect("an icon"),
            "image/svg+xml",
        ),
    ];
    for (path, kind) in &assets {
        let name = path.strip_prefix("/assets/").expect("under /assets/");
        let parts: Vec<&str> = name.rsplitn(3, '.').collect();
        assert_eq!(parts.len(), 3, "{name}: stem.hash.ext");
        let hash = parts[1];
        assert!(
            hash.len() >= 8 && hash.chars().all(|c| c.is_ascii_hexdigit()),
            "{name}: a content hash in the name"
        );
        let asset = portal.get(path).await;
        asset.expect(200);
        assert_eq!(
            asset.header("cache-control").as_deref(),
            Some("public, max-age=31536000, immutable"),
            "{path}"
        );
        assert!(
            asset
                .header("content-type")
                .is_some_and(|c| c.starts_with(kind)),
            "{path}: {:?}",
            asset.header("content-type")
        );
        assert!(!asset.body.is_empty());
        assert_eq!(
            asset.header("x-content-type-options").as_deref(),
            Some("nosniff")
        );

        // The plain name and another hash are not found.
        let stem = parts[2];
        let ext = parts[0];
        for wrong in [
            format!("/assets/{stem}.{ext}"),
            format!("/assets/{stem}.{}.{ext}", "0".repeat(hash.len())),
        ] {
            let page = portal.get(&wrong).await;
            assert_eq!(page.status(), 404, "{wrong}");
            assert_ne!(
                page.header("cache-control").as_deref(),
                Some("public, max-age=31536000, immutable"),
                "{wrong}: a miss is not cached for a year"
            );
        }
    }
    portal.get("/assets/nope.css").await.expect(404);
}

#[tokio::test]
async fn what_people_type_is_shown_as_text_never_as_markup() {
    let app = spawn_app().await;
    let l = landings(&app).await;
    let portal = signed_in(&app, &l.member_b.email).await;
    let markup = "<img src=x onerror=alert(1)><script>alert(2)</script>";
    let purpose = format!("{markup} meeting integrators in Karlsruhe");
    portal
        .get(&format!("/landings/new?offer_id={}", l.offer))
        .await
        .expect(200);
    let created = portal
        .submit(
            "#landing-form",
            &[
                ("start_date", &crate::landings::day(l.today, 5)),
                ("end_date", &crate::landings::day(l.today, 5)),
                ("headcount", "1"),
                ("purpose", &purpose),
            ],
        )
        .await;
    let page = portal.follow(&created).await;
    page.assert_page();
    assert!(!page.has("img[onerror]") && !page.has("script:not([src])"));
    assert!(page.text("main#main").contains(markup), "shown as typed");
    // Echoed in a form after an error, too.
    portal
        .get(&format!("/landings/new?offer_id={}", l.offer))
        .await
        .expect(200);
    let page = portal
        .submit(
            "#landing-form",
            &[
                ("purpose", &purpose),
                ("target_market", "\"><script>alert(3)</script>"),
            ],
        )
        .await;
    page.expect(422);
    assert!(!page.has("img[onerror]") && !page.has("script:not([src])"));
    assert_eq!(
        page.form("#landing-form").get("purpose"),
        Some(purpose.as_str())
    );
    assert_eq!(
        page.form("#landing-form").get("target_market"),
        Some("\"><script>alert(3)</script>")
    );
    // And in the search form's echo.
    let page = portal
        .get("/offers?q=%22%3E%3Cscript%3Ealert(4)%3C%2Fscript%3E")
        .await;
    page.expect(200);
    assert!(!page.has("script:not([src])"));
    assert_eq!(
        page.form("#search-form").get("q"),
        Some("\"><script>alert(4)</script>")
    );
}

#[tokio::test]
async fn the_language_switcher_never_sends_to_another_site() {
    let app = spawn_app().await;
    let portal = Portal::new(&app);
    portal.get("/").await.assert_page();
    for next in [
        "https://evil.example/",
        "//evil.example/",
        "/\\evil.example",
    ] {
        let page = portal
            .submit("#language-form", &[("locale", "en"), ("next", next)])
            .await;
        let to = page.redirect();
        assert!(
            to.starts_with('/') && !to.starts_with("//") && !to.contains('\\'),
            "{next} sent to {to}"
        );
        portal.get("/").await.expect(200);
    }
}
