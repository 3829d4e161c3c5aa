//! The role × endpoint matrix: every role (and an API client, and no token) over every endpoint
//! family, with the status the contract gives: 401 without a token, 403 when the caller sees
//! the resource but may not act, 404 when it may not see it. Extend it as endpoints land.

use reqwest::Method;
use serde_json::{Value, json};

use crate::fixtures::network;
use crate::helpers::spawn_app;

const ROLES: [&str; 6] = [
    "anonymous",
    "admin",
    "manager_a",
    "manager_b",
    "member_a",
    "client_a",
];

struct Case {
    method: Method,
    path: String,
    body: Option<Value>,
    /// Expected status per role, in the order of [`ROLES`].
    expect: [u16; 6],
}

fn case(method: Method, path: String, body: Option<Value>, expect: [u16; 6]) -> Case {
    Case {
        method,
        path,
        body,
        expect,
    }
}

#[tokio::test]
async fn every_role_over_every_endpoint_family() {
    let app = spawn_app().await;
    let net = network(&app).await;
    let a = &net.cluster_a;
    let tokens: [Option<&str>; 6] = [
        None,
        Some(&net.admin.token),
        Some(&net.manager_a.token),
        Some(&net.manager_b.token),
        Some(&net.member_a.token),
        Some(&net.client_a.token),
    ];
    let partnership = net.proposed_partnership(&app).await;
    let p = &partnership;
    let cluster_body = json!({"name": "Montreal Tech", "country": "CA", "city": "Montreal",
        "timezone": "America/Toronto", "contact_email": "hello@mtl.test", "sectors": ["ai"]});
    let cases = vec![
        // operations: public
        case(Method::GET, "/healthz".into(), None, [200; 6]),
        case(Method::GET, "/readyz".into(), None, [200; 6]),
        // auth: public endpoints, and who the token is
        case(
            Method::POST,
            "/api/v1/auth/password-reset".into(),
            Some(json!({"email": "someone@example.org"})),
            [202; 6],
        ),
        case(
            Method::GET,
            "/api/v1/me".into(),
            None,
            [401, 200, 200, 200, 200, 200],
        ),
        case(
            Method::PATCH,
            "/api/v1/me".into(),
            Some(json!({"locale": "en"})),
            [401, 200, 200, 200, 200, 403],
        ),
        // API clients of cluster A
        case(
            Method::GET,
            format!("/api/v1/clusters/{a}/api-clients"),
            None,
            [401, 200, 200, 403, 403, 403],
        ),
        case(
            Method::POST,
            format!("/api/v1/clusters/{a}/api-clients"),
            Some(json!({"name": "matrix"})),
            [401, 403, 201, 403, 403, 403],
        ),
        case(
            Method::DELETE,
            format!("/api/v1/clusters/{a}/api-clients/slc_unknown"),
            None,
            [401, 404, 404, 403, 403, 403],
        ),
        case(
            Method::GET,
            "/api/v1/clusters/0193a1b2-0000-7000-8000-00000000c1a5/api-clients".into(),
            None,
            [401, 404, 404, 404, 404, 404],
        ),
        // clusters: public to read, the admin creates, the admin and its managers edit
        case(Method::GET, "/api/v1/clusters".into(), None, [200; 6]),
        case(Method::GET, format!("/api/v1/clusters/{a}"), None, [200; 6]),
        case(
            Method::POST,
            "/api/v1/clusters".into(),
            Some(cluster_body),
            [401, 201, 403, 403, 403, 403],
        ),
        case(
            Method::PATCH,
            format!("/api/v1/clusters/{a}"),
            Some(json!({"city": "Karlsruhe"})),
            [401, 200, 200, 403, 403, 200],
        ),
        case(
            Method::GET,
            format!("/api/v1/clusters/{a}/managers"),
            None,
            [401, 200, 200, 403, 403, 200],
        ),
        // partnerships: parties see them; the partner answers; only managers propose
        case(
            Method::GET,
            "/api/v1/partnerships".into(),
            None,
            [401, 200, 200, 200, 200, 200],
        ),
        case(
            Method::POST,
            "/api/v1/partnerships".into(),
            Some(json!({"partner_cluster_id": net.cluster_b})),
            [401, 403, 409, 422, 403, 409],
        ),
        case(
            Method::GET,
            format!("/api/v1/partnerships/{p}"),
            None,
            [401, 200, 200, 200, 200, 200],
        ),
        case(
            Method::POST,
            format!("/api/v1/partnerships/{p}/accept"),
            Some(json!({})),
            [401, 403, 403, 200, 403, 403],
        ),
        case(
            Method::GET,
            format!("/api/v1/partnerships/{p}/events"),
            None,
            [401, 200, 200, 200, 200, 200],
        ),
        // offers: the host's managers and API clients create; published ones are public
        case(
            Method::POST,
            format!("/api/v1/clusters/{a}/offers"),
            Some(crate::offers::desk(json!({}))),
            [401, 403, 201, 403, 403, 201],
        ),
        case(Method::GET, "/api/v1/offers".into(), None, [200; 6]),
        // the coordinator's tools
        case(
            Method::GET,
            "/api/v1/admin/outbox".into(),
            None,
            [401, 200, 403, 403, 403, 403],
        ),
        case(
            Method::POST,
            "/api/v1/admin/outbox/0193a1b2-0000-7000-8000-0000000000b0/retry".into(),
            Some(json!({})),
            [401, 404, 403, 403, 403, 403],
        ),
    ];
    let mut failures = Vec::new();
    for c in &cases {
        for (i, role) in ROLES.iter().enumerate() {
            let reply = app
                .send(c.method.clone(), &c.path, tokens[i], c.body.as_ref())
                .await;
            if reply.status.as_u16() != c.expect[i] {
                failures.push(format!(
                    "{} {} as {role}: expected {}, got {} {}",
                    c.method, c.path, c.expect[i], reply.status, reply.text
                ));
            } else if reply.status.as_u16() >= 400 {
                assert_eq!(
                    reply.header("content-type").as_deref(),
                    Some("application/problem+json"),
                    "{} {} as {role}",
                    c.method,
                    c.path
                );
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// The SME endpoints by role: [`ROLES`] plus a member of another cluster's SME. `sme_a` is
/// verified, so deciding about it is 409 for whoever may decide; inviting its existing member
/// is 409 for whoever may invite; nothing here changes what later cases see except the PATCH.
#[tokio::test]
async fn sme_endpoints_by_role() {
    let app = spawn_app().await;
    let net = network(&app).await;
    let other = crate::fixtures::other_sme(&app, &net).await;
    let sme = &net.sme_a;
    let roles = [
        "anonymous",
        "admin",
        "manager_a",
        "manager_b",
        "member_a",
        "client_a",
        "member_of_other_sme",
    ];
    let tokens: [Option<&str>; 7] = [
        None,
        Some(&net.admin.token),
        Some(&net.manager_a.token),
        Some(&net.manager_b.token),
        Some(&net.member_a.token),
        Some(&net.client_a.token),
        Some(&other.member.token),
    ];
    let taken_sign_up = crate::fixtures::sme_sign_up(&net.cluster_a, "Again", "ada@acme.test");
    let cases: Vec<(Method, String, Option<Value>, [u16; 7])> = vec![
        // public sign-up: the address is taken whoever asks
        (
            Method::POST,
            "/api/v1/smes".into(),
            Some(taken_sign_up),
            [409; 7],
        ),
        (
            Method::GET,
            "/api/v1/smes".into(),
            None,
            [401, 200, 200, 200, 403, 200, 403],
        ),
        (
            Method::GET,
            format!("/api/v1/smes/{sme}"),
            None,
            [401, 200, 200, 404, 200, 200, 404],
        ),
        (
            Method::PATCH,
            format!("/api/v1/smes/{sme}"),
            Some(json!({"employees": 25})),
            [401, 200, 200, 404, 200, 200, 404],
        ),
        (
            Method::POST,
            format!("/api/v1/smes/{sme}/verify"),
            Some(json!({})),
            [401, 409, 409, 404, 403, 409, 404],
        ),
        (
            Method::POST,
            format!("/api/v1/smes/{sme}/decline"),
            Some(json!({"reason": "matrix"})),
            [401, 409, 409, 404, 403, 409, 404],
        ),
        (
            Method::POST,
            format!("/api/v1/smes/{sme}/members"),
            Some(json!({"email": "ada@acme.test", "name": "Ada"})),
            [401, 409, 409, 404, 409, 403, 404],
        ),
        (
            Method::GET,
            format!("/api/v1/smes/{sme}/members"),
            None,
            [401, 200, 200, 404, 200, 200, 404],
        ),
        (
            Method::GET,
            "/api/v1/smes/0193a1b2-0000-7000-8000-000000005e00".into(),
            None,
            [401, 404, 404, 404, 404, 404, 404],
        ),
    ];
    let mut failures = Vec::new();
    for (method, path, body, expect) in &cases {
        for (i, role) in roles.iter().enumerate() {
            let reply = app
                .send(method.clone(), path, tokens[i], body.as_ref())
                .await;
            if reply.status.as_u16() != expect[i] {
                failures.push(format!(
                    "{method} {path} as {role}: expected {}, got {} {}",
                    expect[i], reply.status, reply.text
                ));
            } else if reply.status.as_u16() >= 400 {
                assert_eq!(
                    reply.header("content-type").as_deref(),
                    Some("application/problem+json"),
                    "{method} {path} as {role}"
                );
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
