//! The email outbox, end to end through a real SMTP server: delivery with every part, retries
//! while the relay is down, dead letters and retry, leases under concurrent and crashed
//! workers, dedupe keys, the file transport, and a hanging relay that must not slow requests.
//! Messages are enqueued the way resource modules will: inside a transaction of their own.

use std::collections::{HashMap, HashSet};
use std::time::{Duration, Instant};

use diesel::prelude::*;
use softlanding::db::schema::outbox;
use softlanding::db::{self, DbConnection};
use softlanding::notify::outbox::{self as queue, OutboxMessage, OutboxStatus, RetryOutcome};
use softlanding::notify::worker::Worker;
use softlanding::notify::{Attachment, Email, enqueue_email};
use softlanding::startup::Application;

use crate::helpers::{TestApp, TestDatabase, spawn_app, spawn_app_with, test_settings};
use crate::smtp::{Mode, ReceivedMail, SmtpServer};

const SENDER: &str = "softlanding@test.invalid";
const ICS: &[u8] = b"BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//softlanding//test//EN\r\nBEGIN:VEVENT\r\nUID:landing-1@softlanding\r\nDTSTART;VALUE=DATE:20260504\r\nDTEND;VALUE=DATE:20260507\r\nSUMMARY:Soft landing in Lyon\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n";

fn email(to: &str, subject: &str) -> Email {
    Email {
        to: to.to_owned(),
        subject: subject.to_owned(),
        text: format!("{subject}\n\nPlain text for {to}."),
        html: format!("<p>{subject}</p><p>HTML for <b>{to}</b>.</p>"),
        attachments: Vec::new(),
    }
}

/// Runs `f` inside one transaction on a pooled connection, off the async runtime.
async fn in_transaction<T, F>(app: &TestApp, f: F) -> T
where
    F: FnOnce(&mut DbConnection) -> QueryResult<T> + Send + 'static,
    T: Send + 'static,
{
    let db = app.db();
    tokio::task::spawn_blocking(move || {
        let mut pooled = db.get().expect("a database connection");
        let conn: &mut DbConnection = &mut pooled;
        conn.transaction(f).expect("the transaction commits")
    })
    .await
    .expect("the blocking task finishes")
}

/// Enqueues each email in one transaction; answers the new rows' ids.
async fn enqueue_all(app: &TestApp, emails: Vec<Email>) -> Vec<String> {
    in_transaction(app, move |conn| {
        emails
            .iter()
            .map(|e| {
                enqueue_email(conn, "test.event", e, None).map(|id| id.expect("no dedupe key"))
            })
            .collect()
    })
    .await
}

async fn enqueue_one(app: &TestApp, email: Email) -> String {
    enqueue_all(app, vec![email]).await.remove(0)
}

async fn message(app: &TestApp, id: &str) -> OutboxMessage {
    let id = id.to_owned();
    in_transaction(app, move |conn| queue::get(conn, &id))
        .await
        .expect("the outbox row exists")
}

async fn messages(app: &TestApp, ids: &[String]) -> Vec<OutboxMessage> {
    let ids = ids.to_vec();
    in_transaction(app, move |conn| {
        ids.iter()
            .map(|id| queue::get(conn, id).map(|m| m.expect("the outbox row exists")))
            .collect()
    })
    .await
}

async fn pending_count(app: &TestApp) -> i64 {
    in_transaction(app, queue::count_by_status)
        .await
        .into_iter()
        .find(|(status, _)| *status == OutboxStatus::Pending)
        .map(|(_, n)| n)
        .unwrap_or_default()
}

/// Polls `check` until it answers `Some`, or panics naming `what` after `timeout`.
async fn eventually<T>(
    what: &str,
    timeout: Duration,
    mut check: impl AsyncFnMut() -> Option<T>,
) -> T {
    let deadline = Instant::now() + timeout;
    loop {
        if let Some(value) = check().await {
            return value;
        }
        assert!(Instant::now() < deadline, "timed out waiting until {what}");
        tokio::time::sleep(Duration::from_millis(25)).await;
    }
}

/// Waits until every row in `ids` has `status`, and answers the rows.
async fn until_all(app: &TestApp, ids: &[String], status: OutboxStatus) -> Vec<OutboxMessage> {
    eventually(
        &format!("all {} messages are {status}", ids.len()),
        Duration::from_secs(30),
        async || {
            let rows = messages(app, ids).await;
            rows.iter().all(|m| m.status == status).then_some(rows)
        },
    )
    .await
}

/// How many times each Message-ID arrived (as the header carries it, angle brackets included).
fn count_by_message_id(mails: &[ReceivedMail]) -> HashMap<String, usize> {
    let mut counts = HashMap::new();
    for mail in mails {
        *counts
            .entry(format!("<{}>", mail.message_id()))
            .or_default() += 1;
    }
    counts
}

/// Asserts that exactly the messages `rows` arrived, each once.
#[track_caller]
fn assert_each_delivered_once(mails: &[ReceivedMail], rows: &[OutboxMessage]) {
    let counts = count_by_message_id(mails);
    let duplicates: Vec<_> = counts.iter().filter(|(_, n)| **n > 1).collect();
    assert!(
        duplicates.is_empty(),
        "{} messages sent more than once, e.g. {:?}",
        duplicates.len(),
        duplicates.iter().take(3).collect::<Vec<_>>()
    );
    let expected: HashSet<_> = rows.iter().map(|m| m.message_id.clone()).collect();
    let got: HashSet<_> = counts.into_keys().collect();
    assert_eq!(
        got, expected,
        "the messages that arrived are exactly those enqueued"
    );
    assert_eq!(mails.len(), rows.len());
}

#[tokio::test]
async fn an_enqueued_email_is_delivered_with_its_parts_and_marked_sent() {
    let app = spawn_app().await;
    let mut approved = email(
        "sme.contact@example.org",
        "Your landing in Lyon is approved",
    );
    approved.attachments.push(Attachment {
        filename: "landing.ics".into(),
        content_type: "text/calendar".into(),
        content: ICS.to_vec(),
    });

    let id = enqueue_one(&app, approved).await;
    let mail = app
        .mail_to("sme.contact@example.org", "Lyon is approved")
        .await;
    let row = message(&app, &id).await;
    assert_eq!(row.status, OutboxStatus::Sent);

    assert_eq!(mail.from, SENDER, "envelope sender");
    assert!(mail.header("From").unwrap_or_default().contains(SENDER));
    assert_eq!(mail.to, vec!["sme.contact@example.org".to_owned()]);
    assert_eq!(
        mail.header("To").as_deref(),
        Some("sme.contact@example.org")
    );
    assert_eq!(mail.subject(), "Your landing in Lyon is approved");
    assert!(
        mail.text()
            .contains("Plain text for sme.contact@example.org.")
    );
    assert!(
        mail.html()
            .contains("HTML for <b>sme.contact@example.org</b>.")
    );
    let attachments = mail.attachments();
    assert_eq!(attachments.len(), 1, "{attachments:?}");
    let (content_type, name, content) = &attachments[0];
    assert_eq!(content_type, "text/calendar");
    assert_eq!(name, "landing.ics");
    assert_eq!(
        String::from_utf8_lossy(content),
        String::from_utf8_lossy(ICS)
    );

    assert_eq!(row.message_id, format!("<{id}@softlanding.local>"));
    assert_eq!(format!("<{}>", mail.message_id()), row.message_id);
    assert_eq!(row.attempts, 1);
    assert!(row.sent_at.is_some());
    assert_eq!(row.last_error, None);
    assert_eq!(row.event, "test.event");

    // Nothing is left to send: another worker finds no work and nothing else arrives.
    let other = Worker::from_state(&app.state).expect("a second worker");
    assert_eq!(other.run_once().await, 0);
    assert_eq!(app.smtp.messages().len(), 1);

    let metrics = app.get("/metrics", None).await.text;
    assert!(
        metrics.contains("softlanding_outbox_sent_total{kind=\"email\"} 1"),
        "{metrics}"
    );
    assert!(metrics.contains("softlanding_outbox_messages{status=\"sent\"} 1"));
    assert!(metrics.contains("softlanding_outbox_messages{status=\"pending\"} 0"));
}

#[tokio::test]
async fn while_the_relay_is_down_mail_waits_and_then_arrives_once() {
    let app = spawn_app_with(&[("SOFTLANDING__WORKER__MAX_ATTEMPTS", "1000")]).await;
    app.smtp.set_mode(Mode::Unavailable);
    let ids = enqueue_all(
        &app,
        (0..10)
            .map(|i| email(&format!("member{i}@example.org"), &format!("Update {i}")))
            .collect(),
    )
    .await;

    let waiting = eventually(
        "every message has failed at least twice",
        Duration::from_secs(30),
        async || {
            let rows = messages(&app, &ids).await;
            rows.iter().all(|m| m.attempts >= 2).then_some(rows)
        },
    )
    .await;
    for row in &waiting {
        assert_eq!(row.status, OutboxStatus::Pending, "{row:?}");
        let error = row.last_error.as_deref().unwrap_or_default();
        assert!(error.contains("421"), "{error}");
    }
    assert!(app.smtp.messages().is_empty());

    app.smtp.set_mode(Mode::Accept);
    app.drain_outbox().await;
    let sent = messages(&app, &ids).await;
    assert!(
        sent.iter().all(|m| m.status == OutboxStatus::Sent),
        "{sent:?}"
    );
    assert_each_delivered_once(&app.smtp.messages(), &sent);
    let metrics = app.get("/metrics", None).await.text;
    assert!(metrics.contains("softlanding_outbox_sent_total{kind=\"email\"} 10"));
}

#[tokio::test]
async fn a_rejected_recipient_is_dead_at_once_and_retry_delivers_it() {
    let app = spawn_app().await;
    app.smtp.reject_recipient("bounce");
    let ids = enqueue_all(
        &app,
        vec![
            email("bounce@example.org", "Invitation"),
            email("fine@example.org", "Invitation"),
        ],
    )
    .await;
    let (bounce, fine) = (ids[0].clone(), ids[1].clone());

    app.mail_to("fine@example.org", "Invitation").await;
    let dead = message(&app, &bounce).await;
    assert_eq!(dead.status, OutboxStatus::Dead);
    assert_eq!(dead.attempts, 1, "a 5xx is not retried");
    let error = dead.last_error.clone().unwrap_or_default();
    assert!(error.contains("550"), "{error}");
    assert!(
        !error.contains("bounce@example.org"),
        "addresses are masked"
    );
    assert_eq!(dead.sent_at, None);
    assert!(app.smtp.messages_to("bounce@example.org").is_empty());

    app.smtp.accept_all_recipients();
    let retried = in_transaction(&app, {
        let bounce = bounce.clone();
        move |conn| queue::retry(conn, &bounce)
    })
    .await;
    let RetryOutcome::Requeued(requeued) = retried else {
        panic!("a dead message is requeued: {retried:?}");
    };
    assert_eq!(requeued.status, OutboxStatus::Pending);
    assert_eq!(requeued.attempts, 0);

    let mail = app.mail_to("bounce@example.org", "Invitation").await;
    let sent = messages(&app, std::slice::from_ref(&bounce)).await;
    assert_eq!(sent[0].status, OutboxStatus::Sent);
    assert_eq!(format!("<{}>", mail.message_id()), dead.message_id);
    assert_eq!(
        sent[0].message_id, dead.message_id,
        "a retry keeps its Message-ID"
    );
    assert_eq!(app.smtp.messages().len(), 2);

    let (again, missing) = in_transaction(&app, move |conn| {
        Ok((
            queue::retry(conn, &fine)?,
            queue::retry(conn, "no-such-id")?,
        ))
    })
    .await;
    assert!(matches!(again, RetryOutcome::AlreadySent(_)), "{again:?}");
    assert_eq!(missing, RetryOutcome::NotFound);
}

#[tokio::test]
async fn transient_failures_end_dead_after_max_attempts_and_retry_revives() {
    let app = spawn_app_with(&[("SOFTLANDING__WORKER__MAX_ATTEMPTS", "3")]).await;
    app.smtp.set_mode(Mode::Unavailable);
    let id = enqueue_one(&app, email("partner@example.org", "Partnership proposed")).await;

    // Attempt after attempt (without backoff in tests) until none is left.
    app.drain_outbox().await;
    let dead = message(&app, &id).await;
    assert_eq!(dead.status, OutboxStatus::Dead);
    assert_eq!(dead.attempts, 3);
    assert!(dead.last_error.unwrap_or_default().contains("421"));
    assert_eq!(app.smtp.connections(), 3, "no attempt after the last");

    app.smtp.set_mode(Mode::Accept);
    let retried = in_transaction(&app, {
        let id = id.clone();
        move |conn| queue::retry(conn, &id)
    })
    .await;
    assert!(matches!(retried, RetryOutcome::Requeued(_)), "{retried:?}");
    app.mail_to("partner@example.org", "Partnership proposed")
        .await;
    assert_eq!(message(&app, &id).await.status, OutboxStatus::Sent);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn concurrent_workers_never_send_a_message_twice() {
    const COUNT: usize = 200;
    let app = spawn_app_with(&[("SOFTLANDING__WORKER__BATCH_SIZE", "10")]).await;
    let ids = enqueue_all(
        &app,
        (0..COUNT)
            .map(|i| email(&format!("visitor{i}@example.org"), &format!("Receipt {i}")))
            .collect(),
    )
    .await;

    // Two more workers race the application's own over the same rows until none is pending.
    let drain = async |worker: Worker| {
        let deadline = Instant::now() + Duration::from_secs(60);
        let mut claimed = 0;
        loop {
            let n = worker.run_once().await;
            claimed += n;
            if n == 0 {
                if pending_count(&app).await == 0 {
                    return claimed;
                }
                assert!(Instant::now() < deadline, "the outbox drains");
                tokio::time::sleep(Duration::from_millis(10)).await;
            }
        }
    };
    let first = Worker::from_state(&app.state).expect("a worker");
    let second = Worker::from_state(&app.state).expect("another worker");
    assert_ne!(first.id(), second.id());
    let started = Instant::now();
    let (by_first, by_second) = tokio::join!(drain(first), drain(second));
    let elapsed = started.elapsed();

    // Every row is sent, so the relay has accepted every message.
    let sent = until_all(&app, &ids, OutboxStatus::Sent).await;
    assert_each_delivered_once(&app.smtp.messages(), &sent);
    assert!(
        sent.iter().all(|m| m.attempts == 1),
        "no message was attempted twice"
    );
    eprintln!(
        "{COUNT} messages on {:?} in {elapsed:?}: extra workers claimed {by_first} and {by_second}, the application's worker {}",
        app.backend(),
        COUNT - by_first - by_second
    );
}

#[tokio::test]
async fn an_expired_lease_is_taken_over_and_a_live_one_is_respected() {
    let app = spawn_app().await;
    let (stale, live) = in_transaction(&app, |conn| {
        let stale = enqueue_email(
            conn,
            "test.event",
            &email("stale@example.org", "Left behind"),
            None,
        )?
        .expect("a row");
        let live = enqueue_email(
            conn,
            "test.event",
            &email("live@example.org", "In flight"),
            None,
        )?
        .expect("a row");
        // As a worker that crashed mid-send leaves its rows, and one still sending.
        let now = db::now();
        diesel::update(outbox::table.find(&stale))
            .set((
                outbox::leased_by.eq("crashed-worker"),
                outbox::leased_until.eq(now - chrono::Duration::seconds(5)),
            ))
            .execute(conn)?;
        diesel::update(outbox::table.find(&live))
            .set((
                outbox::leased_by.eq("busy-worker"),
                outbox::leased_until.eq(now + chrono::Duration::hours(1)),
            ))
            .execute(conn)?;
        Ok((stale, live))
    })
    .await;

    // The application's worker takes the stale row over; once it is sent, the relay has it.
    until_all(&app, std::slice::from_ref(&stale), OutboxStatus::Sent).await;
    assert_eq!(app.smtp.messages_to("stale@example.org").len(), 1);

    let other = Worker::from_state(&app.state).expect("a worker");
    assert_eq!(other.run_once().await, 0, "a live lease is not claimed");
    let held = message(&app, &live).await;
    assert_eq!(held.status, OutboxStatus::Pending);
    assert_eq!(held.attempts, 0);
    assert!(app.smtp.messages_to("live@example.org").is_empty());
    let leased_by: Option<String> = in_transaction(&app, move |conn| {
        outbox::table
            .find(&live)
            .select(outbox::leased_by)
            .first(conn)
    })
    .await;
    assert_eq!(leased_by.as_deref(), Some("busy-worker"));
}

#[tokio::test]
async fn a_dedupe_key_enqueues_once() {
    let app = spawn_app().await;
    let key = "reminder:landing-42:sme";
    let reminder = || email("sme@example.org", "Your landing starts in 3 days");

    let first = in_transaction(&app, move |conn| {
        enqueue_email(conn, "landing.reminder", &reminder(), Some(key))
    })
    .await;
    assert!(first.is_some());
    // The duplicate is absorbed without spoiling the transaction around it.
    let (second, other) = in_transaction(&app, move |conn| {
        let second = enqueue_email(conn, "landing.reminder", &reminder(), Some(key))?;
        let other = enqueue_email(
            conn,
            "landing.reminder",
            &email("host@example.org", "Visitors in 3 days"),
            Some("reminder:landing-42:host"),
        )?;
        Ok((second, other))
    })
    .await;
    assert_eq!(second, None);
    let other = other.expect("a different key is a new row");

    app.drain_outbox().await;
    let sent = messages(&app, &[first.unwrap(), other]).await;
    assert!(
        sent.iter().all(|m| m.status == OutboxStatus::Sent),
        "{sent:?}"
    );
    let page = in_transaction(&app, |conn| queue::list(conn, None, 100, None)).await;
    assert_eq!(page.items.len(), 2);
    assert_eq!(page.next_cursor, None);
    assert_eq!(app.smtp.messages_to("sme@example.org").len(), 1);
    assert_eq!(app.smtp.messages().len(), 2);

    let later = in_transaction(&app, move |conn| {
        enqueue_email(conn, "landing.reminder", &reminder(), Some(key))
    })
    .await;
    assert_eq!(later, None, "the key still holds once the email is sent");
}

#[tokio::test]
async fn the_outbox_lists_newest_first_by_status_and_page() {
    let app = spawn_app_with(&[("SOFTLANDING__WORKER__MAX_ATTEMPTS", "1")]).await;
    app.smtp.reject_recipient("nobody");
    let ids = enqueue_all(
        &app,
        vec![
            email("a@example.org", "One"),
            email("nobody@example.org", "Two"),
            email("b@example.org", "Three"),
        ],
    )
    .await;
    app.drain_outbox().await;
    let statuses: Vec<OutboxStatus> = messages(&app, &ids)
        .await
        .into_iter()
        .map(|m| m.status)
        .collect();
    assert_eq!(
        statuses,
        [OutboxStatus::Sent, OutboxStatus::Dead, OutboxStatus::Sent]
    );

    let (first, second, dead) = in_transaction(&app, |conn| {
        let first = queue::list(conn, None, 2, None)?;
        let second = queue::list(conn, None, 2, first.next_cursor.as_deref())?;
        let dead = queue::list(conn, Some(OutboxStatus::Dead), 20, None)?;
        Ok((first, second, dead))
    })
    .await;
    let listed: Vec<_> = first
        .items
        .iter()
        .chain(&second.items)
        .map(|m| m.id.clone())
        .collect();
    let mut newest_first = ids.clone();
    newest_first.reverse();
    assert_eq!(listed, newest_first);
    assert!(first.next_cursor.is_some());
    assert_eq!(second.next_cursor, None);
    assert_eq!(dead.items.len(), 1);
    assert_eq!(dead.items[0].id, ids[1]);

    let json = serde_json::to_value(&dead.items[0]).unwrap();
    for field in [
        "id",
        "event",
        "recipient",
        "status",
        "attempts",
        "next_attempt_at",
        "last_error",
        "created_at",
        "sent_at",
        "message_id",
    ] {
        assert!(json.get(field).is_some(), "{field} in {json}");
    }
    assert_eq!(json["status"], "dead");
    assert!(json["created_at"].as_str().unwrap().ends_with('Z'));
}

#[tokio::test]
async fn the_file_transport_writes_a_parsable_eml() {
    let app = spawn_app_with(&[("SOFTLANDING__MAIL__TRANSPORT", "file")]).await;
    let mut welcome = email("newcomer@example.org", "Welcome to softlanding");
    welcome.attachments.push(Attachment {
        filename: "landing.ics".into(),
        content_type: "text/calendar".into(),
        content: ICS.to_vec(),
    });
    let id = enqueue_one(&app, welcome).await;
    app.drain_outbox().await;
    let row = message(&app, &id).await;
    assert_eq!(row.status, OutboxStatus::Sent);

    let dir = app.database.data_dir().join("mail");
    let files: Vec<_> = std::fs::read_dir(&dir)
        .expect("the mail directory exists")
        .map(|e| e.expect("a directory entry").path())
        .filter(|p| p.extension().is_some_and(|ext| ext == "eml"))
        .collect();
    assert_eq!(files.len(), 1, "{files:?}");
    let raw = std::fs::read(&files[0]).expect("the .eml file");
    let parsed = mail_parser::MessageParser::default()
        .parse(&raw)
        .expect("a parsable message");
    assert_eq!(parsed.subject(), Some("Welcome to softlanding"));
    assert_eq!(
        parsed.message_id().map(|m| format!("<{m}>")),
        Some(row.message_id)
    );
    let to = parsed
        .to()
        .and_then(|a| a.first())
        .and_then(|a| a.address());
    assert_eq!(to, Some("newcomer@example.org"));
    let from = parsed
        .from()
        .and_then(|a| a.first())
        .and_then(|a| a.address());
    assert_eq!(from, Some(SENDER));
    assert!(
        parsed
            .body_text(0)
            .unwrap_or_default()
            .contains("Plain text")
    );
    assert!(parsed.body_html(0).unwrap_or_default().contains("HTML for"));
    assert_eq!(parsed.attachment_count(), 1);
    assert_eq!(app.smtp.connections(), 0, "nothing went to the SMTP server");
}

#[tokio::test]
async fn a_hanging_relay_does_not_slow_requests() {
    const COUNT: usize = 30;
    let app = spawn_app().await;
    app.smtp.set_mode(Mode::Hang);
    let ids = enqueue_all(
        &app,
        (0..COUNT)
            .map(|i| email(&format!("guest{i}@example.org"), &format!("Agenda {i}")))
            .collect(),
    )
    .await;
    eventually(
        "the worker is stuck on the relay",
        Duration::from_secs(10),
        async || (app.smtp.connections() >= 1).then_some(()),
    )
    .await;

    let mut slowest = Duration::ZERO;
    for _ in 0..10 {
        for path in ["/healthz", "/readyz"] {
            let started = Instant::now();
            app.get(path, None).await.expect(200);
            slowest = slowest.max(started.elapsed());
        }
    }
    eprintln!("slowest /healthz or /readyz with the relay hanging: {slowest:?}");
    assert!(slowest < Duration::from_secs(1), "{slowest:?}");
    assert!(app.smtp.messages().is_empty());

    app.smtp.set_mode(Mode::Accept);
    let sent = until_all(&app, &ids, OutboxStatus::Sent).await;
    assert_each_delivered_once(&app.smtp.messages(), &sent);
    // The sessions opened while the relay hung were abandoned, not waited out.
    assert!(
        sent.iter().any(|m| m.attempts >= 2
            && m.last_error
                .as_deref()
                .is_some_and(|e| e.contains("did not complete"))),
        "{sent:?}"
    );
}

#[tokio::test]
async fn a_connection_that_hung_mid_message_is_not_reused() {
    let app = spawn_app().await;
    // A first message leaves a pooled connection to the relay.
    enqueue_one(&app, email("first@example.org", "First")).await;
    app.smtp.wait_for_mail("first@example.org", "First").await;
    let connections = app.smtp.connections();

    app.smtp.set_mode(Mode::HangAfterData);
    let id = enqueue_one(&app, email("second@example.org", "Second")).await;
    let stuck = eventually(
        "the attempt times out",
        Duration::from_secs(15),
        async || {
            let row = message(&app, &id).await;
            (row.attempts >= 1).then_some(row)
        },
    )
    .await;
    assert_eq!(stuck.status, OutboxStatus::Pending);
    assert!(
        stuck
            .last_error
            .unwrap_or_default()
            .contains("did not complete")
    );

    // The stuck session still holds its socket; the retry must use a fresh connection.
    app.smtp.set_mode(Mode::Accept);
    app.smtp.wait_for_mail("second@example.org", "Second").await;
    let sent = until_all(&app, &[id], OutboxStatus::Sent).await;
    assert_eq!(
        sent[0].attempts, 2,
        "the first retry succeeds on a new connection"
    );
    assert!(app.smtp.connections() > connections);
    assert_each_delivered_once(&app.smtp.messages_to("second@example.org"), &sent);
}

#[tokio::test]
async fn the_worker_stops_with_the_server() {
    let smtp = SmtpServer::start().await;
    let database = TestDatabase::create();
    let app = Application::build(test_settings(&database, smtp.port, &[])).expect("the app builds");
    let state = app.state();
    let stop = app.stop_handle();
    let running = tokio::spawn(app.run_until_stopped());

    let enqueue = async |to: &str| {
        let db = state.db.clone();
        let email = email(to, "Hello");
        tokio::task::spawn_blocking(move || {
            let mut conn = db.get().expect("a connection");
            enqueue_email(&mut conn, "test.event", &email, None).expect("enqueued")
        })
        .await
        .expect("the blocking task finishes")
    };
    enqueue("before@example.org").await;
    smtp.wait_for_mail("before@example.org", "Hello").await;

    stop.stop(true);
    tokio::time::timeout(Duration::from_secs(5), running)
        .await
        .expect("run_until_stopped returns once the server stopped")
        .expect("the task did not panic")
        .expect("the server stopped cleanly");

    enqueue("after@example.org").await;
    // What is tested is that nothing polls any more, so time must pass: ten poll intervals
    // (50 ms), in which a running worker would have claimed and sent it.
    tokio::time::sleep(Duration::from_millis(500)).await;
    assert!(smtp.messages_to("after@example.org").is_empty());
    // Nobody holds it either: another worker claims it, untouched, and sends it once.
    let other = Worker::from_state(&state).expect("another worker");
    assert_eq!(other.run_once().await, 1);
    assert_eq!(smtp.messages_to("after@example.org").len(), 1);
}
