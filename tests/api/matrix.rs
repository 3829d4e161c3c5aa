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
    let partnership = app
        .post(
            "/api/v1/partnerships",
            Some(&net.manager_a.token),
            &json!({"partner_cluster_id": net.cluster_b}),
        )
        .await
        .expect(201)["id"]
        .as_str()
        .unwrap()
        .to_owned();
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
        // API clients of cluster A
        case(
            Method::GET,
            format!("/api/v1/clusters/{a}/api-clients"),
            None,
            [401, 200, 200, 403, 403, 200],
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
            "/api/v1/clusters/no-such-cluster/api-clients".into(),
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
        // the coordinator's tools
        case(
            Method::GET,
            "/api/v1/admin/outbox".into(),
            None,
            [401, 200, 403, 403, 403, 403],
        ),
        case(
            Method::POST,
            "/api/v1/admin/outbox/no-such-message/retry".into(),
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
