//! The emails landings cause, through the real SMTP server: who receives each event's message,
//! what it says, the approval's calendar attachment, reminders exactly once, and expiry.

use std::collections::BTreeSet;

use chrono::Days;
use serde_json::json;

use crate::helpers::{TestApp, spawn_app};
use crate::landings::{Landings, landings, landings_with};
use crate::smtp::ReceivedMail;

/// Who is who in the landing network.
struct People {
    host: BTreeSet<String>,
    home: BTreeSet<String>,
    sme: BTreeSet<String>,
}

/// The contact address and the person of each party, the contacts as the API shows them.
async fn people(app: &TestApp, l: &Landings) -> People {
    let set = |a: String, b: &str| {
        let set = BTreeSet::from([a, b.to_owned()]);
        assert_eq!(set.len(), 2, "each party has a contact and a person");
        set
    };
    People {
        host: set(
            app.cluster_contact(&l.net.cluster_a).await,
            &l.net.manager_a.email,
        ),
        home: set(
            app.cluster_contact(&l.net.cluster_b).await,
            &l.net.manager_b.email,
        ),
        sme: set(
            app.sme_contact(&l.member_b, &l.sme_b).await,
            &l.member_b.email,
        ),
    }
}

fn union(sets: &[&BTreeSet<String>]) -> BTreeSet<String> {
    sets.iter().flat_map(|s| s.iter().cloned()).collect()
}

/// Delivers what the outbox holds, checks that `total` messages arrived in all since the
/// arrangement, and answers those about `landing` whose subject holds `subject_part`.
async fn mails(
    app: &TestApp,
    total: usize,
    landing: &str,
    subject_part: &str,
) -> Vec<ReceivedMail> {
    let all = app.delivered().await;
    assert_eq!(
        all.len(),
        total,
        "{:?}",
        all.iter()
            .map(|m| (m.to.clone(), m.subject()))
            .collect::<Vec<_>>()
    );
    all.into_iter()
        .filter(|m| m.text().contains(landing) && m.subject().contains(subject_part))
        .collect()
}

fn to_of(mails: &[ReceivedMail]) -> BTreeSet<String> {
    mails.iter().flat_map(|m| m.to.iter().cloned()).collect()
}

fn id(v: &serde_json::Value) -> String {
    v["id"].as_str().unwrap().to_owned()
}

#[tokio::test]
async fn each_event_mails_exactly_the_people_the_contract_names() {
    let app = spawn_app().await;
    let l = landings(&app).await;
    let p = people(&app, &l).await;
    let (host, sme) = (&l.net.manager_a, &l.member_b);

    // Submitted: the host's contact and managers; the SME a receipt.
    let first = id(&l.submit(&app, &l.request(5, 2, 1)).await);
    let asked = mails(&app, 4, &first, "asks for a soft landing at CyberForum").await;
    assert_eq!(to_of(&asked), p.host);
    let receipt = mails(&app, 4, &first, "We received your request").await;
    assert_eq!(to_of(&receipt), p.sme);
    let start = (l.today + Days::new(5)).to_string();
    assert!(
        asked[0].text().contains(&start),
        "dates are ISO days of the host's calendar: {}",
        asked[0].text()
    );
    assert!(asked[0].text().contains(crate::landings::PURPOSE));
    assert!(asked[0].html().contains("Nordic Drones"));

    // Approved: the SME with the calendar entry, the home cluster copied.
    l.act(
        &app,
        &first,
        "approve",
        host,
        json!({"message": "See you at the front desk"}),
    )
    .await
    .expect(200);
    let approved = mails(
        &app,
        8,
        &first,
        "approved the soft landing of Nordic Drones",
    )
    .await;
    assert_eq!(to_of(&approved), union(&[&p.sme, &p.home]));
    let ics = app
        .get(
            &format!("/api/v1/landings/{first}/calendar.ics"),
            Some(&sme.token),
        )
        .await
        .text;
    for mail in &approved {
        assert!(mail.text().contains("See you at the front desk"));
        let attachments = mail.attachments();
        if p.sme.contains(&mail.to[0]) {
            assert_eq!(attachments.len(), 1, "the SME gets the calendar entry");
            let (content_type, name, bytes) = &attachments[0];
            assert_eq!(
                (content_type.as_str(), name.as_str()),
                ("text/calendar", "landing.ics")
            );
            assert_eq!(
                String::from_utf8_lossy(bytes),
                ics,
                "the same entry as calendar.ics"
            );
        } else {
            assert!(
                attachments.is_empty(),
                "the home cluster is copied without it"
            );
        }
    }

    // Rejected: the SME and the home cluster, with the reason.
    let second = id(&l.submit(&app, &l.request(6, 1, 1)).await);
    l.act(
        &app,
        &second,
        "reject",
        host,
        json!({"reason": "Fully booked by a delegation"}),
    )
    .await
    .expect(200);
    let rejected = mails(&app, 16, &second, "rejected").await;
    assert_eq!(to_of(&rejected), union(&[&p.sme, &p.home]));
    assert!(
        rejected
            .iter()
            .all(|m| m.text().contains("Fully booked by a delegation"))
    );

    // Withdrawn by the SME: the host and the home cluster.
    let third = id(&l.submit(&app, &l.request(7, 1, 1)).await);
    l.act(&app, &third, "withdraw", sme, json!({}))
        .await
        .expect(200);
    let withdrawn = mails(&app, 24, &third, "withdrew").await;
    assert_eq!(to_of(&withdrawn), union(&[&p.host, &p.home]));

    // Cancelled by the host: the SME and the home cluster, with the reason.
    l.act(
        &app,
        &first,
        "cancel",
        host,
        json!({"reason": "The building is closed"}),
    )
    .await
    .expect(200);
    let cancelled = mails(&app, 28, &first, "cancelled").await;
    assert_eq!(to_of(&cancelled), union(&[&p.sme, &p.home]));
    assert!(
        cancelled
            .iter()
            .all(|m| m.text().contains("The building is closed"))
    );

    // Completing mails nobody: the outbox, written in each action's transaction, holds the 28
    // messages so far and no more; none is ever sent twice.
    let written = app.outbox_since_arrangement(&l.net.admin).await;
    assert_eq!(written.len(), 28);
    let all = app.delivered().await;
    assert_eq!(all.len(), 28);
    let ids: BTreeSet<String> = all.iter().map(|m| m.message_id()).collect();
    assert_eq!(ids.len(), 28);
}

#[tokio::test]
async fn with_endorsement_the_home_cluster_hears_first() {
    let app = spawn_app().await;
    let l = landings_with(&app, true).await;
    let p = people(&app, &l).await;
    let first = id(&l.submit(&app, &l.request(5, 1, 1)).await);
    let asked = mails(&app, 4, &first, "asks for a soft landing").await;
    assert_eq!(to_of(&asked), p.home, "the host waits for the endorsement");
    let receipt = mails(&app, 4, &first, "We received your request").await;
    assert!(receipt[0].text().contains("endorses it first"));

    l.act(
        &app,
        &first,
        "endorse",
        &l.net.manager_b,
        json!({"note": "A solid member"}),
    )
    .await
    .expect(200);
    let endorsed = mails(&app, 8, &first, "endorsed").await;
    assert_eq!(to_of(&endorsed), union(&[&p.host, &p.sme]));
    assert!(endorsed.iter().all(|m| m.text().contains("A solid member")));

    let second = id(&l.submit(&app, &l.request(6, 1, 1)).await);
    l.act(
        &app,
        &second,
        "decline",
        &l.net.manager_b,
        json!({"reason": "Membership under review"}),
    )
    .await
    .expect(200);
    let declined = mails(&app, 14, &second, "declined").await;
    assert_eq!(to_of(&declined), p.sme);
    assert!(
        declined
            .iter()
            .all(|m| m.text().contains("Membership under review"))
    );
}

#[tokio::test]
async fn reminders_go_once_and_expiry_tells_everyone() {
    let app = spawn_app().await;
    let l = landings(&app).await;
    let p = people(&app, &l).await;
    let host = &l.net.manager_a;
    // Starts in two days (inside the three-day reminder window), and one far away.
    let soon = id(&l.submit(&app, &l.request(2, 1, 1)).await);
    let later = id(&l.submit(&app, &l.request(20, 1, 1)).await);
    for lid in [&soon, &later] {
        l.act(&app, lid, "approve", host, json!({}))
            .await
            .expect(200);
    }
    assert_eq!(app.delivered().await.len(), 16);

    // Two sweeps at once, as two instances would run them: one reminder.
    let runs = (0..2).map(|_| app.send_reminders());
    let reminded: usize = futures_util::future::join_all(runs).await.into_iter().sum();
    assert_eq!(reminded, 1);
    assert_eq!(app.send_reminders().await, 0, "a landing is reminded once");
    let reminders = mails(&app, 20, &soon, "Reminder").await;
    assert_eq!(to_of(&reminders), union(&[&p.sme, &p.host]));
    assert!(
        app.smtp
            .messages()
            .iter()
            .all(|m| !(m.subject().contains("Reminder") && m.text().contains(&later)))
    );

    // A pending request whose start passed: everyone hears it expired.
    let lapsed = id(&l.submit(&app, &l.request(1, 1, 1)).await);
    app.advance_days(2);
    app.expire_due().await;
    let expired = mails(&app, 30, &lapsed, "expired").await;
    assert_eq!(to_of(&expired), union(&[&p.sme, &p.host, &p.home]));
}
