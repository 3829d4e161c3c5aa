//! The portal over HTTP, as a browser meets it: every page answers with its heading and
//! landmarks for the right visitor, forms go round (the use cases' rules shown at their
//! fields), and the portal refuses what it must (cross-site posts, ended sessions, other
//! tenants' pages). Arrangements go through the API; the acts under test go through pages.

mod account;
mod admin;
mod auth;
mod client;
mod landings;
mod manage;
mod manage_cluster;
mod manage_offers;
mod public;
mod security;
mod sme;

use serde_json::{Value, json};
use softlanding::domain::account::Locale;
use softlanding::i18n::{self, Arg};

use crate::fixtures::Actor;
use crate::helpers::TestApp;

/// The portal's message `key` in `locale` with `args`, as a page shows it.
pub fn message(locale: Locale, key: &str, args: &[(&str, &str)]) -> String {
    let args: Vec<(&str, Arg<'_>)> = args.iter().map(|(k, v)| (*k, Arg::from(*v))).collect();
    i18n::text(locale, key, &args)
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

/// The English message `key` with `args`.
pub fn en(key: &str, args: &[(&str, &str)]) -> String {
    message(Locale::En, key, args)
}

/// A cluster the admin creates in another country than the fixtures' (Sweden), with a manager
/// who accepted the invitation.
pub async fn swedish_cluster(app: &TestApp, admin: &Actor) -> (String, Actor) {
    let cluster = app
        .post(
            "/api/v1/clusters",
            Some(&admin.token),
            &json!({"name": "Kista Science City", "country": "SE", "city": "Stockholm",
                    "timezone": "Europe/Stockholm", "contact_email": "hej@kista-se.test",
                    "sectors": ["telecom"]}),
        )
        .await
        .expect(201)["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let manager = app.manager(admin, &cluster, "manager@kista-se.test").await;
    (cluster, manager)
}

/// Creates and publishes an offer of `cluster` as its manager `token`; answers its id.
pub async fn published_offer(app: &TestApp, token: &str, cluster: &str, body: Value) -> String {
    let offer = app
        .post(
            &format!("/api/v1/clusters/{cluster}/offers"),
            Some(token),
            &body,
        )
        .await
        .expect(201);
    let id = offer["id"].as_str().unwrap().to_owned();
    app.post(
        &format!("/api/v1/offers/{id}/publish"),
        Some(token),
        &json!({}),
    )
    .await
    .expect(200);
    id
}
