//! `seed-demo`: a demo network you can log in to, only on an empty database.

use std::process::Command;

use crate::helpers::{config_dir, spawn_app};

#[tokio::test]
async fn the_demo_network_can_be_logged_into_and_is_seeded_once() {
    let app = spawn_app().await;
    let seeded = app
        .with_conn(|conn| {
            softlanding::seed::seed(conn)
                .map(|s| s.logins)
                .map_err(|e| e.to_string())
        })
        .await
        .expect("an empty database seeds");
    assert_eq!(seeded.len(), 7);
    let member = app
        .password_login(
            "founder@acme-robotics.demo",
            softlanding::seed::DEMO_PASSWORD,
        )
        .await
        .expect(200);
    let me = app
        .get("/api/v1/me", member["access_token"].as_str())
        .await
        .expect(200);
    let sme = app
        .get(
            &format!("/api/v1/smes/{}", me["sme_id"].as_str().unwrap()),
            member["access_token"].as_str(),
        )
        .await
        .expect(200);
    assert_eq!(sme["membership"], "verified");
    assert_eq!(sme["target_markets"], serde_json::json!(["SE", "IE"]));

    let manager = app
        .password_login("manager@kista.demo", softlanding::seed::DEMO_PASSWORD)
        .await
        .expect(200);
    let token = manager["access_token"].as_str().unwrap();
    let partnerships = app
        .get("/api/v1/partnerships", Some(token))
        .await
        .expect(200);
    let states: Vec<&str> = partnerships["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["state"].as_str().unwrap())
        .collect();
    assert_eq!(states, vec!["active", "active"]);
    let clusters = app.get("/api/v1/clusters", None).await.expect(200);
    let countries: Vec<&str> = clusters["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["country"].as_str().unwrap())
        .collect();
    assert_eq!(countries, vec!["DE", "SE", "IE", "CA"]);
    // Published offers are the ones anyone finds.
    let offer_ids: Vec<String> =
        app.get("/api/v1/offers?limit=100", None).await.expect(200)["items"]
            .as_array()
            .unwrap()
            .iter()
            .map(|o| o["id"].as_str().unwrap().to_owned())
            .collect();
    assert_eq!(offer_ids.len(), 5);
    let offer = app
        .get(&format!("/api/v1/offers/{}", offer_ids[0]), None)
        .await
        .expect(200);
    assert_eq!(offer["state"], "published");
    let events = app
        .get(
            &format!(
                "/api/v1/partnerships/{}/events",
                partnerships["items"][0]["id"].as_str().unwrap()
            ),
            Some(token),
        )
        .await
        .expect(200);
    assert_eq!(events["items"].as_array().unwrap().len(), 2);

    let again = app
        .with_conn(|conn| {
            softlanding::seed::seed(conn)
                .map(|_| ())
                .map_err(|e| e.to_string())
        })
        .await;
    assert!(again.unwrap_err().contains("already holds data"));
}

#[test]
fn the_command_prints_how_to_log_in_and_refuses_a_second_run() {
    let work = tempfile::tempdir().unwrap();
    let run = || {
        Command::new(env!("CARGO_BIN_EXE_softlanding"))
            .arg("seed-demo")
            .env("SOFTLANDING_CONFIG_DIR", config_dir())
            .env("SOFTLANDING__DATA_DIR", work.path())
            .env(
                "SOFTLANDING__DATABASE__URL",
                format!("sqlite://{}/demo.db", work.path().display()),
            )
            .output()
            .unwrap()
    };
    let first = run();
    let stdout = String::from_utf8_lossy(&first.stdout);
    assert!(
        first.status.success(),
        "{}",
        String::from_utf8_lossy(&first.stderr)
    );
    assert!(stdout.contains("coordinator@softlanding.demo"), "{stdout}");
    assert!(stdout.contains("grant_type=password"), "{stdout}");
    let second = run();
    assert!(!second.status.success());
    assert!(String::from_utf8_lossy(&second.stderr).contains("already holds data"));
}
