//! Arrangement helpers. Organisations and accounts come about through the API the way people
//! make them: the admin creates clusters and invites their managers, SMEs sign up and are
//! verified by their home cluster, colleagues are invited and set their password by link. The
//! one thing the API cannot make is the first admin: [`TestApp::admin`] makes it as
//! `softlanding create-admin` does. Each fixture ends with [`TestApp::settle`], so a test starts
//! with its arrangement's mail delivered and out of the way.

#![allow(dead_code)] // a toolkit: not every test uses every helper

use serde_json::{Value, json};
use softlanding::auth::flows;
use softlanding::domain::account::{Email, Password};

use crate::helpers::{Reply, TestApp, reply};

pub const PASSWORD: &str = "correct horse battery staple";

/// A person (or client) and a valid access token for them.
#[derive(Debug, Clone)]
pub struct Actor {
    pub id: String,
    pub email: String,
    pub token: String,
}

/// The subject of an invitation mail, up to the organisation's name.
const INVITED: &str = "You are invited to";

/// A name for a cluster's or SME's contact address: `CyberForum` gives `cyberforum`.
fn slug(name: &str) -> String {
    name.chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() {
                c.to_ascii_lowercase()
            } else {
                '-'
            }
        })
        .collect()
}

impl TestApp {
    /// A platform admin with [`PASSWORD`], logged in. The API has no way to make the first
    /// admin; this is what `softlanding create-admin` runs.
    pub async fn admin(&self, email: &str) -> Actor {
        let address = email.to_owned();
        self.with_conn(move |conn| {
            let email = Email::parse(&address).expect("a valid admin address");
            let password = Password::parse(PASSWORD).expect("a valid password");
            flows::upsert_admin(conn, &email, &password).expect("create-admin succeeds");
        })
        .await;
        self.logged_in(email, PASSWORD).await
    }

    /// Logs `email` in with `password` and answers who the token is.
    pub async fn logged_in(&self, email: &str, password: &str) -> Actor {
        let token = self.password_login(email, password).await.expect(200)["access_token"]
            .as_str()
            .unwrap()
            .to_owned();
        let me = self.get("/api/v1/me", Some(&token)).await.expect(200);
        Actor {
            id: me["id"].as_str().unwrap().to_owned(),
            email: email.to_lowercase(),
            token,
        }
    }

    /// A cluster the admin creates: in Karlsruhe (Europe/Berlin), sector software, with the
    /// contact address [`TestApp::cluster_contact`] answers.
    pub async fn create_cluster(&self, admin: &Actor, name: &str) -> String {
        self.post(
            "/api/v1/clusters",
            Some(&admin.token),
            &json!({
                "name": name,
                "country": "DE",
                "city": "Karlsruhe",
                "timezone": "Europe/Berlin",
                "contact_email": format!("contact@{}.example.org", slug(name)),
                "sectors": ["software"],
            }),
        )
        .await
        .expect(201)["id"]
            .as_str()
            .unwrap()
            .to_owned()
    }

    /// The contact address of a cluster, as anyone reads it.
    pub async fn cluster_contact(&self, cluster_id: &str) -> String {
        self.get(&format!("/api/v1/clusters/{cluster_id}"), None)
            .await
            .expect(200)["contact_email"]
            .as_str()
            .unwrap()
            .to_owned()
    }

    /// The contact address of an SME, as `who` reads it.
    pub async fn sme_contact(&self, who: &Actor, sme_id: &str) -> String {
        self.get(&format!("/api/v1/smes/{sme_id}"), Some(&who.token))
            .await
            .expect(200)["contact"]["email"]
            .as_str()
            .unwrap()
            .to_owned()
    }

    /// Follows the invitation mailed to `email`: sets [`PASSWORD`] through its link and logs in.
    pub async fn accept_invitation(&self, email: &str) -> Actor {
        let mail = self.mail_to(email, INVITED).await;
        self.post(
            "/api/v1/auth/password-reset/confirm",
            None,
            &json!({"token": link_token(&mail.text()), "new_password": PASSWORD}),
        )
        .await
        .expect(204);
        self.logged_in(email, PASSWORD).await
    }

    /// A manager of `cluster_id` whom `by` (the admin or one of its managers) invited, and who
    /// accepted the invitation.
    pub async fn manager(&self, by: &Actor, cluster_id: &str, email: &str) -> Actor {
        self.post(
            &format!("/api/v1/clusters/{cluster_id}/managers"),
            Some(&by.token),
            &json!({"email": email, "name": "Test Person"}),
        )
        .await
        .expect(201);
        self.accept_invitation(email).await
    }

    /// A cluster with one manager, made by a bootstrap admin; answers the cluster's id and its
    /// manager, arrangement mail delivered and forgotten.
    pub async fn cluster_with_manager(&self, cluster: &str, email: &str) -> (String, Actor) {
        let admin = self.admin("admin@softlanding.test").await;
        let cluster_id = self.create_cluster(&admin, cluster).await;
        let manager = self.manager(&admin, &cluster_id, email).await;
        self.settle().await;
        (cluster_id, manager)
    }

    /// An SME of `cluster_id` that signed up with `contact` (password [`PASSWORD`]) and that
    /// `home_manager` verified. The contact has not confirmed the address yet; see
    /// [`TestApp::confirmed_contact`].
    pub async fn verified_sme(
        &self,
        home_manager: &Actor,
        cluster_id: &str,
        name: &str,
        contact: &str,
    ) -> String {
        let mut body = sme_sign_up(cluster_id, name, contact);
        body["contact"]["password"] = json!(PASSWORD);
        let id = self.post("/api/v1/smes", None, &body).await.expect(201)["id"]
            .as_str()
            .unwrap()
            .to_owned();
        self.post(
            &format!("/api/v1/smes/{id}/verify"),
            Some(&home_manager.token),
            &json!({}),
        )
        .await
        .expect(200);
        id
    }

    /// An SME's contact, once it followed the confirmation link, logged in with [`PASSWORD`].
    pub async fn confirmed_contact(&self, email: &str) -> Actor {
        self.confirm_email(email).await;
        self.logged_in(email, PASSWORD).await
    }

    /// A colleague `by` invited to the SME, who accepted the invitation.
    pub async fn sme_member(&self, by: &Actor, sme_id: &str, email: &str) -> Actor {
        self.post(
            &format!("/api/v1/smes/{sme_id}/members"),
            Some(&by.token),
            &json!({"email": email, "name": "Test Person"}),
        )
        .await
        .expect(201);
        self.accept_invitation(email).await
    }

    /// `grant_type=password` as a form; answers the raw reply.
    pub async fn password_login(&self, email: &str, password: &str) -> Reply {
        reply(self.client.post(self.url("/api/v1/auth/token")).form(&[
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
        reply(self.client.post(self.url("/api/v1/auth/token")).form(&[
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

/// Two clusters with a manager each, a verified SME of the first whose contact is its member,
/// an admin and an API client of the first cluster.
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
    let admin = app.admin("admin@softlanding.test").await;
    let cluster_a = app.create_cluster(&admin, "CyberForum").await;
    let cluster_b = app.create_cluster(&admin, "Kista Science City").await;
    let manager_a = app
        .manager(&admin, &cluster_a, "manager@cyberforum.test")
        .await;
    let manager_b = app.manager(&admin, &cluster_b, "manager@kista.test").await;
    let sme_a = app
        .verified_sme(&manager_a, &cluster_a, "Acme Robotics", "ada@acme.test")
        .await;
    let member_a = app.confirmed_contact("ada@acme.test").await;
    let (client_id, secret) = app.api_client(&manager_a, &cluster_a).await;
    let token = app.client_token(&client_id, &secret).await;
    let client_a = Actor {
        id: client_id,
        email: String::new(),
        token,
    };
    app.settle().await;
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

impl Network {
    /// A partnership cluster A's manager proposes to cluster B on the default terms; its id.
    pub async fn proposed_partnership(&self, app: &TestApp) -> String {
        app.post(
            "/api/v1/partnerships",
            Some(&self.manager_a.token),
            &json!({"partner_cluster_id": self.cluster_b}),
        )
        .await
        .expect(201)["id"]
            .as_str()
            .unwrap()
            .to_owned()
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
        let member = self.logged_in(email, SME_PASSWORD).await;
        SignedUp {
            id: body["id"].as_str().unwrap().to_owned(),
            etag: reply.header("etag").expect("an ETag"),
            member,
            body,
        }
    }

    /// Moves the application's clock by `by` (forwards, or back when negative): what the sweep
    /// and the rules see as now.
    pub fn advance(&self, by: chrono::TimeDelta) {
        self.state.clock.advance(by);
    }

    /// Moves the application's clock `days` days on.
    pub fn advance_days(&self, days: i64) {
        self.advance(chrono::TimeDelta::days(days));
    }

    /// Today in `timezone` as the application sees it.
    pub fn today_in(&self, timezone: &str) -> chrono::NaiveDate {
        self.state.clock.today_in(timezone)
    }

    /// Runs the sweep's expiry once, as the application would; answers how many expired.
    pub async fn expire_due(&self) -> usize {
        softlanding::sweep::expire_due(&self.state).await.unwrap()
    }

    /// Runs the sweep's reminders once; answers how many landings were reminded.
    pub async fn send_reminders(&self) -> usize {
        softlanding::sweep::send_reminders(&self.state)
            .await
            .unwrap()
    }

    /// Follows the confirmation link mailed to `email` after a sign-up.
    pub async fn confirm_email(&self, email: &str) {
        let mail = self.mail_to(email, "Confirm your email").await;
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
    ) -> Reply {
        reply(
            self.client
                .request(method, self.url(path))
                .bearer_auth(token)
                .header("if-match", if_match)
                .json(body),
        )
        .await
    }

    /// The outbox's messages written after the arrangement, newest first, as the admin sees
    /// them.
    pub async fn outbox_since_arrangement(&self, admin: &Actor) -> Vec<Value> {
        let mut items = Vec::new();
        let mut path = "/api/v1/admin/outbox?limit=100".to_owned();
        loop {
            let page = self.get(&path, Some(&admin.token)).await.expect(200);
            let mut older = false;
            for item in page["items"].as_array().unwrap() {
                if self.after_arrangement(item["id"].as_str().unwrap()) {
                    items.push(item.clone());
                } else {
                    older = true;
                }
            }
            match page["next_cursor"].as_str() {
                Some(cursor) if !older => {
                    path = format!("/api/v1/admin/outbox?limit=100&cursor={cursor}");
                }
                _ => return items,
            }
        }
    }

    /// The events of the outbox's messages to `recipient` since the arrangement, newest first,
    /// as the admin sees them.
    pub async fn outbox_events_to(&self, admin: &Actor, recipient: &str) -> Vec<String> {
        self.outbox_since_arrangement(admin)
            .await
            .iter()
            .filter(|m| m["recipient"].as_str() == Some(recipient))
            .map(|m| m["event"].as_str().unwrap().to_owned())
            .collect()
    }
}

/// An SME of cluster B with a member of its own (its contact): another tenant for cluster A's
/// people.
pub struct OtherSme {
    pub sme: String,
    pub member: Actor,
}

pub async fn other_sme(app: &TestApp, net: &Network) -> OtherSme {
    let sme = app
        .verified_sme(
            &net.manager_b,
            &net.cluster_b,
            "Nordic Widgets",
            "bo@nordic.test",
        )
        .await;
    let member = app.confirmed_contact("bo@nordic.test").await;
    app.settle().await;
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
