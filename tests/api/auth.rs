//! The token endpoint and its grants, rotation and reuse detection, token verification,
//! rate limiting, password resets and invitations, API clients and create-admin.

use base64::Engine;
use jsonwebtoken::{Algorithm, EncodingKey, Header};
use serde_json::{Value, json};
use sha2::Digest;

use crate::fixtures::{PASSWORD, link_token, network};
use crate::helpers::{Reply, TEST_JWT_SECRET, reply, spawn_app, spawn_app_with};

async fn token_form(app: &crate::helpers::TestApp, form: &[(&str, &str)]) -> Reply {
    reply(app.client.post(app.url("/api/v1/auth/token")).form(form)).await
}

fn assert_oauth_error(reply: &Reply, status: u16, error: &str) {
    let body = reply.expect(status);
    assert_eq!(body["error"], error, "{body}");
    assert!(body["error_description"].is_string());
    assert_eq!(reply.header("cache-control").as_deref(), Some("no-store"));
}

#[tokio::test]
async fn password_grant_works_form_encoded_and_json() {
    let app = spawn_app().await;
    let (cluster, _) = app
        .cluster_with_manager("CyberForum", "Ada@CyberForum.test")
        .await;

    let form = app.password_login("ada@cyberforum.test", PASSWORD).await;
    let body = form.expect(200);
    assert_eq!(body["token_type"], "Bearer");
    assert_eq!(body["expires_in"], 900);
    assert!(body["refresh_token"].as_str().unwrap().len() >= 40);
    assert_eq!(form.header("cache-control").as_deref(), Some("no-store"));

    // JSON, and the email in another case: accounts are unique without regard to case.
    let json_reply = app
        .post(
            "/api/v1/auth/token",
            None,
            &json!({"grant_type": "password", "username": "ADA@cyberforum.TEST", "password": PASSWORD}),
        )
        .await;
    let token = json_reply.expect(200)["access_token"]
        .as_str()
        .unwrap()
        .to_owned();

    let me = app.get("/api/v1/me", Some(&token)).await.expect(200);
    assert_eq!(me["kind"], "user");
    assert_eq!(me["role"], "cluster_manager");
    assert_eq!(me["email"], "ada@cyberforum.test");
    assert_eq!(me["cluster_id"], cluster);
    assert!(me.get("sme_id").is_none());

    // The claims the contract names are all there, and the header names its key.
    let header = jsonwebtoken::decode_header(&token).unwrap();
    assert_eq!(header.alg, Algorithm::HS256);
    assert!(header.kid.is_some());
    let payload = token.split('.').nth(1).unwrap();
    let claims: Value = serde_json::from_slice(
        &base64::engine::general_purpose::URL_SAFE_NO_PAD
            .decode(payload)
            .unwrap(),
    )
    .unwrap();
    for claim in [
        "iss",
        "aud",
        "sub",
        "exp",
        "iat",
        "jti",
        "role",
        "cluster_id",
    ] {
        assert!(claims.get(claim).is_some(), "claim {claim} in {claims}");
    }
}

#[tokio::test]
async fn password_grant_failures() {
    let app = spawn_app().await;
    let admin = app.admin("admin@softlanding.test").await;
    let cluster = app.create_cluster(&admin, "CyberForum").await;
    let ada = app.manager(&admin, &cluster, "ada@cyberforum.test").await;
    app.settle().await;

    let wrong = app
        .password_login("ada@cyberforum.test", "not the password")
        .await;
    assert_oauth_error(&wrong, 400, "invalid_grant");
    let unknown = app.password_login("nobody@cyberforum.test", PASSWORD).await;
    assert_oauth_error(&unknown, 400, "invalid_grant");
    assert_eq!(
        wrong.json(),
        unknown.json(),
        "unknown accounts look like wrong passwords"
    );

    assert_oauth_error(
        &token_form(
            &app,
            &[
                ("grant_type", "password"),
                ("username", "ada@cyberforum.test"),
            ],
        )
        .await,
        400,
        "invalid_request",
    );
    assert_oauth_error(
        &token_form(&app, &[("username", "x")]).await,
        400,
        "invalid_request",
    );
    assert_oauth_error(
        &token_form(&app, &[("grant_type", "authorization_code"), ("code", "x")]).await,
        400,
        "unsupported_grant_type",
    );
    app.post_raw(
        "/api/v1/auth/token",
        Some("text/plain"),
        b"grant_type=password".to_vec(),
    )
    .await
    .expect_problem(415, "unsupported_media_type");
    assert_oauth_error(
        &app.post_raw(
            "/api/v1/auth/token",
            Some("application/json"),
            b"{nope".to_vec(),
        )
        .await,
        400,
        "invalid_request",
    );

    // A disabled account cannot log in, even with the right password.
    app.password_login("ada@cyberforum.test", PASSWORD)
        .await
        .expect(200);
    app.post(
        &format!("/api/v1/admin/users/{}/disable", ada.id),
        Some(&admin.token),
        &json!({}),
    )
    .await
    .expect(204);
    assert_oauth_error(
        &app.password_login("ada@cyberforum.test", PASSWORD).await,
        400,
        "invalid_grant",
    );
}

#[tokio::test]
async fn client_credentials_in_the_body_or_with_basic_auth() {
    let app = spawn_app().await;
    let net = network(&app).await;
    let (client_id, secret) = app.api_client(&net.manager_a, &net.cluster_a).await;

    let body = token_form(
        &app,
        &[
            ("grant_type", "client_credentials"),
            ("client_id", &client_id),
            ("client_secret", &secret),
        ],
    )
    .await
    .expect(200);
    assert!(
        body.get("refresh_token").is_none(),
        "client credentials get no refresh token"
    );
    let me = app
        .get("/api/v1/me", body["access_token"].as_str())
        .await
        .expect(200);
    assert_eq!(me["kind"], "api_client");
    assert_eq!(me["role"], "cluster_manager");
    assert_eq!(me["cluster_id"], net.cluster_a);

    let basic = reply(
        app.client
            .post(app.url("/api/v1/auth/token"))
            .basic_auth(&client_id, Some(&secret))
            .form(&[("grant_type", "client_credentials")]),
    )
    .await;
    basic.expect(200);

    let wrong = reply(
        app.client
            .post(app.url("/api/v1/auth/token"))
            .basic_auth(&client_id, Some("wrong"))
            .form(&[("grant_type", "client_credentials")]),
    )
    .await;
    assert_oauth_error(&wrong, 401, "invalid_client");
    assert!(
        wrong
            .header("www-authenticate")
            .unwrap()
            .starts_with("Basic")
    );
    assert_oauth_error(
        &token_form(
            &app,
            &[
                ("grant_type", "client_credentials"),
                ("client_id", "slc_unknown"),
                ("client_secret", &secret),
            ],
        )
        .await,
        401,
        "invalid_client",
    );

    // Revoked: the secret no longer works.
    app.delete(
        &format!("/api/v1/clusters/{}/api-clients/{client_id}", net.cluster_a),
        Some(&net.manager_a.token),
    )
    .await
    .expect(204);
    assert_oauth_error(
        &token_form(
            &app,
            &[
                ("grant_type", "client_credentials"),
                ("client_id", &client_id),
                ("client_secret", &secret),
            ],
        )
        .await,
        401,
        "invalid_client",
    );
}

#[tokio::test]
async fn refresh_tokens_rotate_and_reuse_revokes_the_family() {
    let app = spawn_app().await;
    app.cluster_with_manager("CyberForum", "ada@cyberforum.test")
        .await;
    let first = app.login("ada@cyberforum.test").await;
    let r1 = first["refresh_token"].as_str().unwrap().to_owned();

    let second = token_form(
        &app,
        &[("grant_type", "refresh_token"), ("refresh_token", &r1)],
    )
    .await
    .expect(200);
    let r2 = second["refresh_token"].as_str().unwrap().to_owned();
    assert_ne!(r1, r2);
    app.get("/api/v1/me", second["access_token"].as_str())
        .await
        .expect(200);

    // Presenting the rotated token again: refused, and the live one dies with its family.
    assert_oauth_error(
        &token_form(
            &app,
            &[("grant_type", "refresh_token"), ("refresh_token", &r1)],
        )
        .await,
        400,
        "invalid_grant",
    );
    assert_oauth_error(
        &token_form(
            &app,
            &[("grant_type", "refresh_token"), ("refresh_token", &r2)],
        )
        .await,
        400,
        "invalid_grant",
    );

    // Another session (another family) is untouched.
    let other = app.login("ada@cyberforum.test").await;
    let r3 = other["refresh_token"].as_str().unwrap().to_owned();
    token_form(
        &app,
        &[("grant_type", "refresh_token"), ("refresh_token", &r3)],
    )
    .await
    .expect(200);

    assert_oauth_error(
        &token_form(
            &app,
            &[
                ("grant_type", "refresh_token"),
                ("refresh_token", "made-up"),
            ],
        )
        .await,
        400,
        "invalid_grant",
    );
}

#[tokio::test]
async fn expired_refresh_tokens_and_revocation() {
    let app = spawn_app().await;
    app.cluster_with_manager("CyberForum", "ada@cyberforum.test")
        .await;
    let session = app.login("ada@cyberforum.test").await;
    let refresh = session["refresh_token"].as_str().unwrap().to_owned();

    // RFC 7009: always 200, and the token is dead afterwards.
    reply(
        app.client
            .post(app.url("/api/v1/auth/revoke"))
            .form(&[("token", refresh.as_str())]),
    )
    .await
    .expect(200);
    reply(
        app.client
            .post(app.url("/api/v1/auth/revoke"))
            .form(&[("token", "unknown")]),
    )
    .await
    .expect(200);
    app.post("/api/v1/auth/revoke", None, &json!({"token": "unknown"}))
        .await
        .expect(200);
    assert_oauth_error(
        &token_form(
            &app,
            &[("grant_type", "refresh_token"), ("refresh_token", &refresh)],
        )
        .await,
        400,
        "invalid_grant",
    );

    // A refresh token past its lifetime is refused. Its expiry is read from the system's time,
    // not the application's clock, so the lifetime is made zero instead of time made to pass:
    // the token is past its lifetime as soon as it is issued, while its access token works.
    let short = spawn_app_with(&[("SOFTLANDING__AUTH__REFRESH_TOKEN_TTL_SECS", "0")]).await;
    short
        .cluster_with_manager("CyberForum", "ada@cyberforum.test")
        .await;
    let session = short.login("ada@cyberforum.test").await;
    short
        .get("/api/v1/me", session["access_token"].as_str())
        .await
        .expect(200);
    let refresh = session["refresh_token"].as_str().unwrap().to_owned();
    assert_oauth_error(
        &token_form(
            &short,
            &[("grant_type", "refresh_token"), ("refresh_token", &refresh)],
        )
        .await,
        400,
        "invalid_grant",
    );
}

fn claims(overrides: Value) -> Value {
    let now = chrono::Utc::now().timestamp();
    let mut base = json!({
        "iss": "softlanding", "aud": "softlanding-api", "sub": "someone", "exp": now + 600,
        "iat": now, "nbf": now, "jti": "x", "kind": "user", "role": "admin",
    });
    for (k, v) in overrides.as_object().unwrap() {
        base[k] = v.clone();
    }
    base
}

fn kid(secret: &str) -> String {
    hex::encode(&sha2::Sha256::digest(secret.as_bytes())[..8])
}

fn sign(secret: &str, alg: Algorithm, claims: &Value) -> String {
    let mut header = Header::new(alg);
    header.kid = Some(kid(TEST_JWT_SECRET));
    jsonwebtoken::encode(
        &header,
        claims,
        &EncodingKey::from_secret(secret.as_bytes()),
    )
    .unwrap()
}

#[tokio::test]
async fn forged_unsigned_expired_and_misaddressed_tokens_are_401() {
    let app = spawn_app().await;
    let admin = app.admin("admin@softlanding.test").await.id;
    let good = sign(
        TEST_JWT_SECRET,
        Algorithm::HS256,
        &claims(json!({"sub": admin})),
    );
    app.get("/api/v1/me", Some(&good)).await.expect(200);

    let now = chrono::Utc::now().timestamp();
    let unsigned = {
        let enc =
            |v: &Value| base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(v.to_string());
        format!(
            "{}.{}.",
            enc(&json!({"alg": "none", "typ": "JWT", "kid": kid(TEST_JWT_SECRET)})),
            enc(&claims(json!({"sub": admin})))
        )
    };
    let cases = [
        (
            "forged signature",
            sign(
                "another-secret-another-secret-0123456789",
                Algorithm::HS256,
                &claims(json!({"sub": admin})),
            ),
        ),
        ("alg none", unsigned),
        (
            "algorithm confusion (HS512)",
            sign(
                TEST_JWT_SECRET,
                Algorithm::HS512,
                &claims(json!({"sub": admin})),
            ),
        ),
        (
            "expired",
            sign(
                TEST_JWT_SECRET,
                Algorithm::HS256,
                &claims(
                    json!({"sub": admin, "exp": now - 120, "iat": now - 1000, "nbf": now - 1000}),
                ),
            ),
        ),
        (
            "not yet valid",
            sign(
                TEST_JWT_SECRET,
                Algorithm::HS256,
                &claims(json!({"sub": admin, "nbf": now + 600})),
            ),
        ),
        (
            "wrong audience",
            sign(
                TEST_JWT_SECRET,
                Algorithm::HS256,
                &claims(json!({"sub": admin, "aud": "another-api"})),
            ),
        ),
        (
            "wrong issuer",
            sign(
                TEST_JWT_SECRET,
                Algorithm::HS256,
                &claims(json!({"sub": admin, "iss": "someone-else"})),
            ),
        ),
        ("garbage", "not.a.jwt".to_owned()),
    ];
    for (name, token) in cases {
        let reply = app.get("/api/v1/me", Some(&token)).await;
        assert_eq!(reply.status, 401, "{name}: {}", reply.text);
        reply.expect_problem(401, "unauthorized");
        assert!(
            reply
                .header("www-authenticate")
                .unwrap()
                .starts_with("Bearer"),
            "{name}"
        );
    }
    let basic = reply(
        app.client
            .get(app.url("/api/v1/me"))
            .basic_auth("a", Some("b")),
    )
    .await;
    basic.expect_problem(401, "unauthorized");
    app.get("/api/v1/me", None)
        .await
        .expect_problem(401, "unauthorized");
}

#[tokio::test]
async fn a_previous_secret_still_verifies_after_rotation() {
    let old_secret = "the-old-secret-the-old-secret-0123456789";
    let app = spawn_app_with(&[(
        "SOFTLANDING__AUTH__PREVIOUS_JWT_SECRETS",
        &format!("[\"{old_secret}\"]"),
    )])
    .await;
    let session = app.admin("admin@softlanding.test").await;
    let admin = session.id.clone();
    let mut header = Header::new(Algorithm::HS256);
    header.kid = Some(kid(old_secret));
    let token = jsonwebtoken::encode(
        &header,
        &claims(json!({"sub": admin})),
        &EncodingKey::from_secret(old_secret.as_bytes()),
    )
    .unwrap();
    app.get("/api/v1/me", Some(&token)).await.expect(200);
    // New tokens are signed with the current key.
    let issued = jsonwebtoken::decode_header(&session.token).unwrap();
    assert_eq!(issued.kid, Some(kid(TEST_JWT_SECRET)));
    let current = sign(
        TEST_JWT_SECRET,
        Algorithm::HS256,
        &claims(json!({"sub": admin})),
    );
    app.get("/api/v1/me", Some(&current)).await.expect(200);
}

#[tokio::test]
async fn failed_logins_are_rate_limited_per_account_and_per_address() {
    let app = spawn_app_with(&[
        ("SOFTLANDING__AUTH__LOGIN_MAX_FAILURES_PER_ACCOUNT", "3"),
        ("SOFTLANDING__AUTH__LOGIN_MAX_FAILURES_PER_ADDRESS", "6"),
    ])
    .await;
    let (cluster, ada) = app
        .cluster_with_manager("CyberForum", "ada@cyberforum.test")
        .await;
    app.manager(&ada, &cluster, "bob@cyberforum.test").await;
    app.settle().await;
    for _ in 0..3 {
        app.password_login("ada@cyberforum.test", "wrong password!")
            .await
            .expect(400);
    }
    // Locked: even the right password waits.
    let limited = app.password_login("ada@cyberforum.test", PASSWORD).await;
    limited.expect_problem(429, "rate_limited");
    let retry: u64 = limited.header("retry-after").unwrap().parse().unwrap();
    assert!((1..=900).contains(&retry), "{retry}");
    // Another account from the same address still logs in, until the address's limit.
    app.login("bob@cyberforum.test").await;
    for _ in 0..3 {
        app.password_login("nobody@cyberforum.test", "wrong password!")
            .await
            .expect(400);
    }
    app.password_login("bob@cyberforum.test", PASSWORD)
        .await
        .expect_problem(429, "rate_limited");
}

#[tokio::test]
async fn password_reset_mails_a_single_use_link_and_reveals_nothing() {
    let app = spawn_app().await;
    app.cluster_with_manager("CyberForum", "ada@cyberforum.test")
        .await;
    let session = app.login("ada@cyberforum.test").await;

    let known = app
        .post(
            "/api/v1/auth/password-reset",
            None,
            &json!({"email": "Ada@CyberForum.test"}),
        )
        .await;
    let unknown = app
        .post(
            "/api/v1/auth/password-reset",
            None,
            &json!({"email": "nobody@cyberforum.test"}),
        )
        .await;
    assert_eq!(known.status, 202);
    assert_eq!(unknown.status, 202);
    assert_eq!(
        known.text, unknown.text,
        "the answer does not tell whether the account exists"
    );

    let mail = app
        .mail_to("ada@cyberforum.test", "Reset your softlanding password")
        .await;
    assert_eq!(
        app.smtp.messages().len(),
        1,
        "nothing is sent for the unknown address"
    );
    let text = mail.text();
    let prefix = "http://127.0.0.1:8080/set-password?token=";
    let start = text.find(prefix).expect("the link") + prefix.len();
    let token: String = text[start..]
        .chars()
        .take_while(|c| c.is_ascii_alphanumeric() || *c == '-' || *c == '_')
        .collect();
    // minijinja's HTML escaping writes `/` as `&#x2f;`, which mail clients decode in `href`.
    let html = mail.html().replace("&#x2f;", "/");
    assert!(html.contains(&format!("{prefix}{token}")));

    let short = app
        .post(
            "/api/v1/auth/password-reset/confirm",
            None,
            &json!({"token": token, "new_password": "too short"}),
        )
        .await;
    assert_eq!(short.invalid_fields(), vec!["new_password"]);

    let new_password = "a brand new password";
    app.post(
        "/api/v1/auth/password-reset/confirm",
        None,
        &json!({"token": token, "new_password": new_password}),
    )
    .await
    .expect(204);
    app.password_login("ada@cyberforum.test", new_password)
        .await
        .expect(200);
    app.password_login("ada@cyberforum.test", PASSWORD)
        .await
        .expect(400);
    // Sessions from before the reset are over.
    assert_oauth_error(
        &token_form(
            &app,
            &[
                ("grant_type", "refresh_token"),
                ("refresh_token", session["refresh_token"].as_str().unwrap()),
            ],
        )
        .await,
        400,
        "invalid_grant",
    );
    // The link works once.
    let again = app
        .post(
            "/api/v1/auth/password-reset/confirm",
            None,
            &json!({"token": token, "new_password": "yet another password"}),
        )
        .await;
    assert_eq!(again.invalid_fields(), vec!["token"]);
    let bad_email = app
        .post(
            "/api/v1/auth/password-reset",
            None,
            &json!({"email": "not-an-email"}),
        )
        .await;
    assert_eq!(bad_email.invalid_fields(), vec!["email"]);
}

#[tokio::test]
async fn invitations_mail_a_link_that_activates_the_account_and_expires() {
    let app = spawn_app().await;
    let admin = app.admin("admin@softlanding.test").await;
    let cluster = app.create_cluster(&admin, "Kista Science City").await;
    app.settle().await;
    for (email, name) in [("eva@kista.test", "Eva"), ("late@kista.test", "Late")] {
        app.post(
            &format!("/api/v1/clusters/{cluster}/managers"),
            Some(&admin.token),
            &json!({"email": email, "name": name}),
        )
        .await
        .expect(201);
    }
    let mail = app.mail_to("eva@kista.test", "Kista Science City").await;
    assert!(mail.text().contains("cluster manager"));
    assert!(mail.text().contains("7 days"));
    let token = link_token(&mail.text());
    // Not active before the password is set.
    app.password_login("eva@kista.test", "any password at all")
        .await
        .expect(400);
    app.post(
        "/api/v1/auth/password-reset/confirm",
        None,
        &json!({"token": token, "new_password": "eva's own password"}),
    )
    .await
    .expect(204);
    let session = app
        .password_login("eva@kista.test", "eva's own password")
        .await
        .expect(200);
    let me = app
        .get("/api/v1/me", session["access_token"].as_str())
        .await
        .expect(200);
    assert_eq!(me["cluster_id"], cluster);

    // An invitation older than 7 days no longer works: eight days pass on the service's clock.
    let late = app.mail_to("late@kista.test", "Kista Science City").await;
    let late_token = link_token(&late.text());
    app.advance(chrono::TimeDelta::days(8));
    let expired = app
        .post(
            "/api/v1/auth/password-reset/confirm",
            None,
            &json!({"token": late_token, "new_password": "too late for this"}),
        )
        .await;
    assert_eq!(expired.invalid_fields(), vec!["token"]);
}

#[tokio::test]
async fn api_clients_are_managed_by_their_clusters_managers() {
    let app = spawn_app().await;
    let net = network(&app).await;
    let path = format!("/api/v1/clusters/{}/api-clients", net.cluster_a);

    let created = app
        .post(
            &path,
            Some(&net.manager_a.token),
            &json!({"name": "CRM sync"}),
        )
        .await;
    let body = created.expect(201);
    let client_id = body["client_id"].as_str().unwrap();
    assert_eq!(
        created.header("location").unwrap(),
        format!("{path}/{client_id}")
    );
    assert_eq!(body["name"], "CRM sync");
    assert_eq!(body["state"], "active");
    assert!(body["client_secret"].as_str().unwrap().len() >= 40);

    let list = app.get(&path, Some(&net.manager_a.token)).await.expect(200);
    let items = list["items"].as_array().unwrap();
    assert_eq!(items.len(), 2, "the network's own client and this one");
    assert!(
        items.iter().all(|c| c.get("client_secret").is_none()),
        "secrets are shown once"
    );
    app.get(&path, Some(&net.admin.token)).await.expect(200);

    for (who, token) in [
        ("another cluster's manager", &net.manager_b.token),
        ("an SME member", &net.member_a.token),
        ("the cluster's own API client", &net.client_a.token),
    ] {
        let r = app.post(&path, Some(token), &json!({"name": "x"})).await;
        assert_eq!(r.status, 403, "{who}: {}", r.text);
    }
    app.post(&path, None, &json!({"name": "x"}))
        .await
        .expect_problem(401, "unauthorized");
    app.post(
        "/api/v1/clusters/0193a1b2-0000-7000-8000-00000000c1a5/api-clients",
        Some(&net.manager_a.token),
        &json!({"name": "x"}),
    )
    .await
    .expect_problem(404, "not_found");
    let missing_name = app
        .post(&path, Some(&net.manager_a.token), &json!({"nme": "typo"}))
        .await;
    let mut fields = missing_name.invalid_fields();
    fields.sort();
    assert_eq!(fields, vec!["name", "nme"]);

    app.delete(&format!("{path}/{client_id}"), Some(&net.manager_b.token))
        .await
        .expect_problem(403, "forbidden");
    app.delete(&format!("{path}/{client_id}"), Some(&net.manager_a.token))
        .await
        .expect(204);
    app.delete(&format!("{path}/{client_id}"), Some(&net.manager_a.token))
        .await
        .expect_problem(404, "not_found");
    let after = app.get(&path, Some(&net.manager_a.token)).await.expect(200);
    let revoked = after["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["client_id"] == client_id)
        .unwrap()
        .clone();
    assert_eq!(revoked["state"], "revoked");
}

#[test]
fn create_admin_reads_the_password_from_stdin_and_resets_an_existing_admin() {
    use std::io::Write;
    use std::process::{Command, Stdio};
    let work = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}/admin.db", work.path().display());
    let run = |password: &str| {
        let mut child = Command::new(env!("CARGO_BIN_EXE_softlanding"))
            .args(["create-admin", "--email", "Coordinator@Network.test"])
            .env("SOFTLANDING_CONFIG_DIR", crate::helpers::config_dir())
            .env("SOFTLANDING__DATA_DIR", work.path())
            .env("SOFTLANDING__DATABASE__URL", &url)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        child
            .stdin
            .take()
            .unwrap()
            .write_all(format!("{password}\n").as_bytes())
            .unwrap();
        let out = child.wait_with_output().unwrap();
        (
            out.status.success(),
            String::from_utf8_lossy(&out.stdout).into_owned()
                + &String::from_utf8_lossy(&out.stderr),
        )
    };
    let (ok, out) = run("short");
    assert!(!ok && out.contains("at least 12"), "{out}");
    let (ok, out) = run("the first admin password");
    assert!(
        ok && out.contains("created admin coordinator@network.test"),
        "{out}"
    );
    let (ok, out) = run("the second admin password");
    assert!(ok && out.contains("reset admin"), "{out}");

    let settings = softlanding::config::DatabaseSettings {
        url: url.into(),
        pool_size: Some(1),
        acquire_timeout_secs: 5,
    };
    let db = softlanding::db::Db::connect(&settings).unwrap();
    let mut conn = db.get().unwrap();
    let user = softlanding::db::accounts::find_user_by_email(&mut conn, "coordinator@network.test")
        .unwrap()
        .unwrap();
    assert_eq!(user.role.as_str(), "admin");
    assert!(softlanding::auth::password::verify(
        "the second admin password",
        user.password_hash.as_deref()
    ));
    assert!(!softlanding::auth::password::verify(
        "the first admin password",
        user.password_hash.as_deref()
    ));
}

#[tokio::test]
async fn concurrent_refreshes_of_one_token_never_fail_with_a_server_error() {
    let app = spawn_app().await;
    app.cluster_with_manager("CyberForum", "ada@cyberforum.test")
        .await;
    let refresh = app.login("ada@cyberforum.test").await["refresh_token"]
        .as_str()
        .unwrap()
        .to_owned();
    let attempts = (0..12).map(|_| {
        let request = app.client.post(app.url("/api/v1/auth/token")).form(&[
            ("grant_type", "refresh_token"),
            ("refresh_token", refresh.as_str()),
        ]);
        reply(request)
    });
    let replies = futures_util::future::join_all(attempts).await;
    let ok = replies.iter().filter(|r| r.status == 200).count();
    for r in &replies {
        assert!(
            r.status == 200 || r.status == 400,
            "{} {}",
            r.status,
            r.text
        );
    }
    assert_eq!(
        ok, 1,
        "a refresh token rotates exactly once; {ok} rotations succeeded"
    );
}

/// A password login as seen from `client` behind the trusted proxy at 127.0.0.1.
async fn login_from(
    app: &crate::helpers::TestApp,
    client: &str,
    email: &str,
    password: &str,
) -> Reply {
    reply(
        app.client
            .post(app.url("/api/v1/auth/token"))
            .header("x-forwarded-for", client)
            .form(&[
                ("grant_type", "password"),
                ("username", email),
                ("password", password),
            ]),
    )
    .await
}

#[tokio::test]
async fn wrong_passwords_from_one_address_do_not_lock_the_owner_out_from_another() {
    let app = spawn_app_with(&[("SOFTLANDING__SERVER__TRUSTED_PROXIES", "[\"127.0.0.1\"]")]).await;
    app.cluster_with_manager("CyberForum", "ada@cyberforum.test")
        .await;
    let (guesser, owner) = ("198.51.100.7", "203.0.113.20");
    for _ in 0..5 {
        login_from(&app, guesser, "ada@cyberforum.test", "wrong password!")
            .await
            .expect(400);
    }
    // The guesser is stopped, even with the right password...
    let stopped = login_from(&app, guesser, "ada@cyberforum.test", PASSWORD).await;
    stopped.expect_problem(429, "rate_limited");
    assert!(stopped.header("retry-after").is_some());
    // ...and the owner, elsewhere, is not.
    login_from(&app, owner, "ada@cyberforum.test", PASSWORD)
        .await
        .expect(200);

    // Without a trusted proxy the header is the client's own word, and is not believed.
    let direct = spawn_app().await;
    direct
        .cluster_with_manager("CyberForum", "ada@cyberforum.test")
        .await;
    for _ in 0..5 {
        login_from(&direct, guesser, "ada@cyberforum.test", "wrong password!")
            .await
            .expect(400);
    }
    login_from(&direct, owner, "ada@cyberforum.test", PASSWORD)
        .await
        .expect_problem(429, "rate_limited");
}

#[tokio::test]
async fn simultaneous_guesses_are_evaluated_at_most_up_to_the_limit() {
    let app = spawn_app().await;
    app.cluster_with_manager("CyberForum", "ada@cyberforum.test")
        .await;
    let app = &app;
    let guesses = (0..40).map(|i| {
        let password = format!("wrong password {i}");
        async move { app.password_login("ada@cyberforum.test", &password).await }
    });
    let replies = futures_util::future::join_all(guesses).await;
    let evaluated = replies.iter().filter(|r| r.status == 400).count();
    let limited = replies.iter().filter(|r| r.status == 429).count();
    assert_eq!(evaluated, 5, "{replies:?}");
    assert_eq!(evaluated + limited, 40, "{replies:?}");
    for r in replies.iter().filter(|r| r.status == 429) {
        r.expect_problem(429, "rate_limited");
        assert!(r.header("retry-after").is_some());
    }
    for r in replies.iter().filter(|r| r.status == 400) {
        assert_oauth_error(r, 400, "invalid_grant");
    }
}

#[tokio::test]
async fn password_checks_beyond_the_pool_and_its_queue_are_refused_with_retry_after() {
    let app = spawn_app_with(&[
        ("SOFTLANDING__AUTH__HASH_CONCURRENCY", "1"),
        ("SOFTLANDING__AUTH__HASH_QUEUE", "1"),
        ("SOFTLANDING__AUTH__LOGIN_MAX_FAILURES_PER_ADDRESS", "1000"),
    ])
    .await;
    app.cluster_with_manager("CyberForum", "ada@cyberforum.test")
        .await;
    let app = &app;
    let logins = (0..40).map(|i| {
        let (email, password) = if i % 10 == 0 {
            ("ada@cyberforum.test".to_owned(), PASSWORD.to_owned())
        } else {
            (
                format!("nobody{i}@cyberforum.test"),
                "wrong password!".to_owned(),
            )
        };
        async move { app.password_login(&email, &password).await }
    });
    let replies = futures_util::future::join_all(logins).await;
    let count = |status: u16| replies.iter().filter(|r| r.status == status).count();
    assert_eq!(
        count(200) + count(400) + count(503),
        40,
        "only answers, refusals for the wrong password and busy: {replies:?}"
    );
    assert!(count(503) > 0, "some are refused: {replies:?}");
    assert!(count(200) + count(400) > 0, "some are checked: {replies:?}");
    for busy in replies.iter().filter(|r| r.status == 503) {
        busy.expect_problem(503, "busy");
        let retry: u64 = busy.header("retry-after").unwrap().parse().unwrap();
        assert!(retry >= 1);
    }
    // The gate frees again once the crowd is answered.
    app.login("ada@cyberforum.test").await;
}

#[tokio::test]
async fn sign_ups_are_limited_per_address_and_refusals_come_before_the_hash() {
    let app = spawn_app_with(&[("SOFTLANDING__AUTH__SIGN_UP_MAX_PER_ADDRESS", "2")]).await;
    // A cluster to join, and no sign-up before the test's own.
    let admin = app.admin("admin@softlanding.test").await;
    let cluster = app.create_cluster(&admin, "CyberForum").await;
    let body = |name: &str, email: &str| crate::fixtures::sme_sign_up(&cluster, name, email);
    app.post("/api/v1/smes", None, &body("Helix", "grace@helix.test"))
        .await
        .expect(201);
    // Invalid, or bound to be refused: these cost no hash and do not count.
    let mut invalid = body("Broken", "x@broken.test");
    invalid["contact"]["password"] = json!("short");
    app.post("/api/v1/smes", None, &invalid)
        .await
        .expect_problem(422, "validation_failed");
    app.post("/api/v1/smes", None, &body("Copy", "grace@helix.test"))
        .await
        .expect_problem(409, "email_taken");
    app.post("/api/v1/smes", None, &body("Quanta", "lin@quanta.test"))
        .await
        .expect(201);
    let limited = app
        .post("/api/v1/smes", None, &body("Tertius", "t@tertius.test"))
        .await;
    limited.expect_problem(429, "rate_limited");
    let retry: u64 = limited.header("retry-after").unwrap().parse().unwrap();
    assert!((1..=900).contains(&retry), "{retry}");
}

#[tokio::test]
async fn reset_confirmations_with_bad_tokens_are_limited_per_address() {
    let app = spawn_app_with(&[
        ("SOFTLANDING__SERVER__TRUSTED_PROXIES", "[\"127.0.0.1\"]"),
        ("SOFTLANDING__AUTH__RESET_MAX_FAILURES_PER_ADDRESS", "3"),
    ])
    .await;
    app.cluster_with_manager("CyberForum", "ada@cyberforum.test")
        .await;
    app.post(
        "/api/v1/auth/password-reset",
        None,
        &json!({"email": "ada@cyberforum.test"}),
    )
    .await
    .expect(202);
    let mail = app
        .mail_to("ada@cyberforum.test", "Reset your softlanding password")
        .await;
    let token = link_token(&mail.text());
    let confirm = |client: &'static str, token: String| {
        let request = app
            .client
            .post(app.url("/api/v1/auth/password-reset/confirm"))
            .header("x-forwarded-for", client)
            .json(&json!({"token": token, "new_password": "a brand new password"}));
        reply(request)
    };
    for i in 0..3 {
        let bad = confirm("198.51.100.7", format!("made-up-token-{i}")).await;
        assert_eq!(bad.invalid_fields(), vec!["token"]);
    }
    let limited = confirm("198.51.100.7", token.clone()).await;
    limited.expect_problem(429, "rate_limited");
    assert!(limited.header("retry-after").is_some());
    // The owner of the link, elsewhere, sets the password.
    confirm("203.0.113.20", token).await.expect(204);
    app.password_login("ada@cyberforum.test", "a brand new password")
        .await
        .expect(200);
}
