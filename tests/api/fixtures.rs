//! Arrangement helpers: organisations and accounts written straight to the database, and
//! logins through the API.

#![allow(dead_code)] // a toolkit: not every test uses every helper

use diesel::prelude::*;
use serde_json::{Value, json};
use softlanding::auth::password;
use softlanding::db::accounts::{self, NewUser};
use softlanding::db::schema::{clusters, smes};
use softlanding::db::{new_id, now};

use crate::helpers::TestApp;

pub const PASSWORD: &str = "correct horse battery staple";

/// A person (or client) and a valid access token for them.
#[derive(Debug, Clone)]
pub struct Actor {
    pub id: String,
    pub email: String,
    pub token: String,
}

impl TestApp {
    pub async fn insert_cluster(&self, name: &str) -> String {
        let name = name.to_owned();
        self.with_conn(move |conn| {
            let id = new_id();
            diesel::insert_into(clusters::table)
                .values((
                    clusters::id.eq(&id),
                    clusters::name.eq(&name),
                    clusters::country.eq("DE"),
                    clusters::city.eq("Karlsruhe"),
                    clusters::timezone.eq("Europe/Berlin"),
                    clusters::contact_email.eq(format!("contact@{}.example.org", id)),
                    clusters::sectors.eq("[\"software\"]"),
                    clusters::created_at.eq(now()),
                    clusters::updated_at.eq(now()),
                ))
                .execute(conn)
                .unwrap();
            id
        })
        .await
    }

    pub async fn insert_sme(&self, cluster_id: &str, name: &str) -> String {
        let (cluster_id, name) = (cluster_id.to_owned(), name.to_owned());
        self.with_conn(move |conn| {
            let id = new_id();
            diesel::insert_into(smes::table)
                .values((
                    smes::id.eq(&id),
                    smes::name.eq(&name),
                    smes::country.eq("DE"),
                    smes::sector.eq("software"),
                    smes::home_cluster_id.eq(&cluster_id),
                    smes::membership.eq("verified"),
                    smes::contact_name.eq("Contact"),
                    smes::contact_email.eq(format!("contact@{id}.example.org")),
                    smes::created_at.eq(now()),
                    smes::updated_at.eq(now()),
                ))
                .execute(conn)
                .unwrap();
            id
        })
        .await
    }

    /// Creates an account with [`PASSWORD`] and answers its id.
    pub async fn insert_user(
        &self,
        email: &str,
        role: &str,
        cluster_id: Option<&str>,
        sme_id: Option<&str>,
    ) -> String {
        let email = email.to_lowercase();
        let role = role.to_owned();
        let cluster_id = cluster_id.map(str::to_owned);
        let sme_id = sme_id.map(str::to_owned);
        self.with_conn(move |conn| {
            let id = new_id();
            let hash = password::hash(PASSWORD).unwrap();
            accounts::insert_user(
                conn,
                &NewUser {
                    id: &id,
                    email: &email,
                    name: "Test Person",
                    password_hash: Some(&hash),
                    role: &role,
                    cluster_id: cluster_id.as_deref(),
                    sme_id: sme_id.as_deref(),
                    disabled: false,
                    email_confirmed_at: Some(now()),
                    created_at: now(),
                    updated_at: now(),
                },
            )
            .unwrap();
            id
        })
        .await
    }

    /// `grant_type=password` as a form; answers the raw reply.
    pub async fn password_login(&self, email: &str, password: &str) -> crate::helpers::Reply {
        crate::helpers::reply(self.client.post(self.url("/api/v1/auth/token")).form(&[
            ("grant_type", "password"),
            ("username", email),
            ("password", password),
        ]))
        .await
    }

    /// Logs in with [`PASSWORD`] and answers the token response.
    pub async fn login(&self, email: &str) -> Value {
        self.password_login(email, PASSWORD).await.expect(200)
    }

    pub async fn actor(
        &self,
        email: &str,
        role: &str,
        cluster_id: Option<&str>,
        sme_id: Option<&str>,
    ) -> Actor {
        let id = self.insert_user(email, role, cluster_id, sme_id).await;
        let token = self.login(email).await["access_token"]
            .as_str()
            .unwrap()
            .to_owned();
        Actor {
            id,
            email: email.to_lowercase(),
            token,
        }
    }

    /// Creates an API client for `cluster_id` through the API as `manager`.
    pub async fn api_client(&self, manager: &Actor, cluster_id: &str) -> (String, String) {
        let body = self
            .post(
                &format!("/api/v1/clusters/{cluster_id}/api-clients"),
                Some(&manager.token),
                &json!({"name": "Portal"}),
            )
            .await
            .expect(201);
        (
            body["client_id"].as_str().unwrap().to_owned(),
            body["client_secret"].as_str().unwrap().to_owned(),
        )
    }

    pub async fn client_token(&self, client_id: &str, secret: &str) -> String {
        crate::helpers::reply(self.client.post(self.url("/api/v1/auth/token")).form(&[
            ("grant_type", "client_credentials"),
            ("client_id", client_id),
            ("client_secret", secret),
        ]))
        .await
        .expect(200)["access_token"]
            .as_str()
            .unwrap()
            .to_owned()
    }
}

/// Two clusters with a manager each, an SME of the first with a member, an admin and an API
/// client of the first cluster.
pub struct Network {
    pub cluster_a: String,
    pub cluster_b: String,
    pub sme_a: String,
    pub admin: Actor,
    pub manager_a: Actor,
    pub manager_b: Actor,
    pub member_a: Actor,
    pub client_a: Actor,
}

pub async fn network(app: &TestApp) -> Network {
    let cluster_a = app.insert_cluster("CyberForum").await;
    let cluster_b = app.insert_cluster("Kista Science City").await;
    let sme_a = app.insert_sme(&cluster_a, "Acme Robotics").await;
    let admin = app
        .actor("admin@softlanding.test", "admin", None, None)
        .await;
    let manager_a = app
        .actor(
            "manager@cyberforum.test",
            "cluster_manager",
            Some(&cluster_a),
            None,
        )
        .await;
    let manager_b = app
        .actor(
            "manager@kista.test",
            "cluster_manager",
            Some(&cluster_b),
            None,
        )
        .await;
    let member_a = app
        .actor("ada@acme.test", "sme_member", None, Some(&sme_a))
        .await;
    let (client_id, secret) = app.api_client(&manager_a, &cluster_a).await;
    let token = app.client_token(&client_id, &secret).await;
    let client_a = Actor {
        id: client_id,
        email: String::new(),
        token,
    };
    Network {
        cluster_a,
        cluster_b,
        sme_a,
        admin,
        manager_a,
        manager_b,
        member_a,
        client_a,
    }
}

/// The password SMEs signed up by [`sme_sign_up`] give their first member.
pub const SME_PASSWORD: &str = "a long sign-up password";

/// A valid sign-up body for an SME of `cluster_id` whose contact is `email`.
pub fn sme_sign_up(cluster_id: &str, name: &str, email: &str) -> Value {
    json!({
        "name": name,
        "country": "DE",
        "sector": "software",
        "website": "https://example.org",
        "employees": 12,
        "home_cluster_id": cluster_id,
        "contact": {"name": "Grace Hopper", "email": email, "password": SME_PASSWORD},
    })
}

/// An SME that signed up through the API, and its first member (logged in).
#[derive(Debug, Clone)]
pub struct SignedUp {
    pub id: String,
    pub etag: String,
    pub body: Value,
    pub member: Actor,
}

impl TestApp {
    /// Signs an SME up through the API (a pending SME of `cluster_id`).
    pub async fn sign_up_sme(&self, cluster_id: &str, name: &str, email: &str) -> SignedUp {
        let reply = self
            .post("/api/v1/smes", None, &sme_sign_up(cluster_id, name, email))
            .await;
        let body = reply.expect(201);
        self.confirm_email(email).await;
        let token = self.password_login(email, SME_PASSWORD).await.expect(200)["access_token"]
            .as_str()
            .unwrap()
            .to_owned();
        SignedUp {
            id: body["id"].as_str().unwrap().to_owned(),
            etag: reply.header("etag").expect("an ETag"),
            member: Actor {
                id: String::new(),
                email: email.to_lowercase(),
                token,
            },
            body,
        }
    }

    /// Moves the application's clock `days` days on: what the sweep and the rules see as today.
    pub fn advance_days(&self, days: i64) {
        self.state.clock.advance(chrono::TimeDelta::days(days));
    }

    /// Runs the sweep's expiry once, as the application would; answers how many expired.
    pub async fn expire_due(&self) -> usize {
        let (settings, clock) = (self.state.settings.clone(), self.state.clock.clone());
        self.with_conn(move |conn| softlanding::sweep::expire_due(conn, &settings, &clock).unwrap())
            .await
    }

    /// Runs the sweep's reminders once; answers how many landings were reminded.
    pub async fn send_reminders(&self) -> usize {
        let (settings, clock) = (self.state.settings.clone(), self.state.clock.clone());
        self.with_conn(move |conn| {
            softlanding::sweep::send_reminders(conn, &settings, &clock).unwrap()
        })
        .await
    }

    /// Follows the confirmation link mailed to `email` after a sign-up.
    pub async fn confirm_email(&self, email: &str) {
        let mail = self.smtp.wait_for_mail(email, "Confirm your email").await;
        let token = link_token(&mail.text());
        self.post(
            "/api/v1/auth/confirm-email",
            None,
            &json!({ "token": token }),
        )
        .await
        .expect(204);
    }

    /// Sends a request with `If-Match`.
    pub async fn send_if_match(
        &self,
        method: reqwest::Method,
        path: &str,
        token: &str,
        if_match: &str,
        body: &Value,
    ) -> crate::helpers::Reply {
        crate::helpers::reply(
            self.client
                .request(method, self.url(path))
                .bearer_auth(token)
                .header("if-match", if_match)
                .json(body),
        )
        .await
    }

    /// The events of the outbox's messages to `recipient`, as the admin sees them.
    pub async fn outbox_events_to(&self, admin: &Actor, recipient: &str) -> Vec<String> {
        let page = self
            .get("/api/v1/admin/outbox?limit=100", Some(&admin.token))
            .await
            .expect(200);
        page["items"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|m| m["recipient"].as_str() == Some(recipient))
            .map(|m| m["event"].as_str().unwrap().to_owned())
            .collect()
    }
}

/// An SME of cluster B with a member of its own: another tenant for cluster A's people.
pub struct OtherSme {
    pub sme: String,
    pub member: Actor,
}

pub async fn other_sme(app: &TestApp, net: &Network) -> OtherSme {
    let sme = app.insert_sme(&net.cluster_b, "Nordic Widgets").await;
    let member = app
        .actor("bo@nordic.test", "sme_member", None, Some(&sme))
        .await;
    OtherSme { sme, member }
}

/// The token of the set-password link in an email's text.
pub fn link_token(text: &str) -> String {
    let start = text.find("token=").expect("a link") + "token=".len();
    text[start..]
        .chars()
        .take_while(|c| c.is_ascii_alphanumeric() || *c == '-' || *c == '_')
        .collect()
}
