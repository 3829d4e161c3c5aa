//! Webhook deliveries: how fast a release `softlanding serve` drains a backlog of signed
//! deliveries to local receivers, and whether a receiver that hangs slows the others.
//!
//! `benches/webhooks.sh` runs it against fresh PostgreSQL databases; alone it needs a migrated,
//! empty database, the release server binary, and the server's settings in its environment
//! (it starts and stops the server itself, with that environment):
//!
//! ```sh
//! cargo bench --bench webhooks -- --database-url postgres://... --base-url http://127.0.0.1:18182 \
//!     --server target/release/softlanding
//! ```
//!
//! What it does, in order:
//!
//! 1. Writes `--receivers` clusters, each with a manager, straight through the library.
//! 2. Starts the receivers (`benches/support/receivers.rs`), one loopback port each; with
//!    `--hang N` the first N accept connections and never answer.
//! 3. Starts the server with its workers idle (a poll interval of an hour), logs each manager
//!    in, registers one webhook per cluster through `POST /api/v1/webhooks` (subscribed to
//!    `offer.published` and `landing.*`) pointing at that cluster's receiver, keys the
//!    receiver with the secret the answer shows, and stops the server.
//! 4. Fans `--events` `offer.published` events out through the service's own path
//!    (`softlanding::webhooks::events::enqueue`), each party to all the clusters, so each
//!    event becomes one delivery per endpoint, in transactions of 500 events.
//! 5. Starts the server again with the settings given and times the drain: from the first
//!    delivery to arrive to the last one to an answering receiver.
//! 6. Checks: every answering receiver got each of its endpoint's `webhook-id`s exactly once,
//!    every signature verified, and every one of those deliveries is `sent` after one attempt.
//!    Anything else fails the run.
//!
//! The last line, starting `summary|`, is for the script's table.

#[allow(dead_code)]
#[path = "support/receivers.rs"]
mod receivers;

use std::collections::{HashMap, HashSet};
use std::fs::OpenOptions;
use std::path::PathBuf;
use std::process::{Child, Command, ExitCode, Stdio};
use std::time::{Duration, Instant};

use diesel::prelude::*;
use receivers::{Receivers, Tally, percentile, register};
use secrecy::SecretString;
use serde_json::{Value, json};
use softlanding::auth::password;
use softlanding::config::DatabaseSettings;
use softlanding::db::accounts::{self, NewUser};
use softlanding::db::clusters::{self, ClusterFields};
use softlanding::db::schema::{clusters as clusters_table, outbox, webhook_attempts};
use softlanding::db::{Db, DbConnection, new_id, now, write_transaction};
use softlanding::webhooks::events::{self, WebhookEvent};

const MANAGER_PASSWORD: &str = "webhooks benchmark password";
const SUBSCRIBED: [&str; 2] = ["offer.published", "landing.*"];
const EVENTS_PER_TRANSACTION: usize = 500;

type Failure = Box<dyn std::error::Error + Send + Sync>;

#[derive(Debug, Clone)]
struct Options {
    database_url: String,
    base_url: String,
    server: PathBuf,
    server_log: Option<PathBuf>,
    label: String,
    events: usize,
    receivers: usize,
    hang: usize,
    limit_secs: u64,
}

const USAGE: &str = "\
usage: webhooks --database-url URL --base-url URL --server PATH [--server-log PATH]
                [--label NAME] [--events N] [--receivers N] [--hang N] [--limit-secs N]
The database must be migrated and empty. The server (the release `softlanding` binary) is
started and stopped by the benchmark with this process's environment, which must hold its
settings (database, port matching --base-url). benches/webhooks.sh does all of that.";

impl Options {
    fn parse() -> Result<Option<Options>, String> {
        let mut o = Options {
            database_url: std::env::var("WEBHOOKS_DATABASE_URL").unwrap_or_default(),
            base_url: std::env::var("WEBHOOKS_BASE_URL").unwrap_or_default(),
            server: PathBuf::new(),
            server_log: None,
            label: String::new(),
            events: 10_000,
            receivers: 10,
            hang: 0,
            limit_secs: 600,
        };
        let mut args = std::env::args().skip(1);
        while let Some(flag) = args.next() {
            if flag == "--bench" {
                continue;
            }
            let value = args
                .next()
                .ok_or_else(|| format!("{flag} needs a value\n{USAGE}"))?;
            let number = |v: &str| {
                v.parse::<usize>()
                    .map_err(|_| format!("{flag} takes a number, not `{v}`"))
            };
            match flag.as_str() {
                "--database-url" => o.database_url = value,
                "--base-url" => o.base_url = value,
                "--server" => o.server = PathBuf::from(value),
                "--server-log" => o.server_log = Some(PathBuf::from(value)),
                "--label" => o.label = value,
                "--events" => o.events = number(&value)?,
                "--receivers" => o.receivers = number(&value)?,
                "--hang" => o.hang = number(&value)?,
                "--limit-secs" => o.limit_secs = number(&value)? as u64,
                _ => return Err(format!("unknown flag {flag}\n{USAGE}")),
            }
        }
        if o.database_url.is_empty() {
            return Ok(None);
        }
        if o.base_url.is_empty() || o.server.as_os_str().is_empty() {
            return Err(format!("--base-url and --server are required\n{USAGE}"));
        }
        if o.events == 0 || o.receivers == 0 || o.hang >= o.receivers {
            return Err(
                "--events and --receivers must be positive, --hang below --receivers".into(),
            );
        }
        o.base_url = o.base_url.trim_end_matches('/').to_owned();
        if o.label.is_empty() {
            o.label = o
                .database_url
                .split("://")
                .next()
                .unwrap_or("db")
                .to_owned();
        }
        Ok(Some(o))
    }
}

fn main() -> ExitCode {
    let options = match Options::parse() {
        Ok(Some(options)) => options,
        Ok(None) => {
            println!(
                "webhooks: no database named; run benches/webhooks.sh, or see --help\n{USAGE}"
            );
            return ExitCode::SUCCESS;
        }
        Err(e) => {
            eprintln!("webhooks: {e}");
            return ExitCode::FAILURE;
        }
    };
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(runtime) => runtime,
        Err(e) => {
            eprintln!("webhooks: cannot start a runtime: {e}");
            return ExitCode::FAILURE;
        }
    };
    match runtime.block_on(run(options)) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("webhooks: FAILED: {e}");
            ExitCode::FAILURE
        }
    }
}

/// The server as a child process, stopped with SIGTERM (and killed if it does not stop).
struct Server {
    child: Option<Child>,
}

impl Server {
    fn start(o: &Options, extra_env: &[(&str, &str)]) -> Result<Server, Failure> {
        let log = match &o.server_log {
            Some(path) => Stdio::from(OpenOptions::new().create(true).append(true).open(path)?),
            None => Stdio::null(),
        };
        let err = match &o.server_log {
            Some(path) => Stdio::from(OpenOptions::new().create(true).append(true).open(path)?),
            None => Stdio::null(),
        };
        let child = Command::new(&o.server)
            .arg("serve")
            .envs(extra_env.iter().copied())
            .stdin(Stdio::null())
            .stdout(log)
            .stderr(err)
            .spawn()
            .map_err(|e| format!("cannot start {}: {e}", o.server.display()))?;
        Ok(Server { child: Some(child) })
    }

    fn stop(&mut self) -> Result<(), Failure> {
        let Some(mut child) = self.child.take() else {
            return Ok(());
        };
        if let Some(status) = child.try_wait()? {
            return Err(format!("the server had stopped by itself ({status})").into());
        }
        // SAFETY: kill(2) on the pid of a child this process started and has not reaped.
        unsafe {
            libc::kill(child.id() as libc::pid_t, libc::SIGTERM);
        }
        let deadline = Instant::now() + Duration::from_secs(30);
        while Instant::now() < deadline {
            if child.try_wait()?.is_some() {
                return Ok(());
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        child.kill()?;
        child.wait()?;
        Err("the server did not stop within 30 s of SIGTERM".into())
    }

    fn running(&mut self) -> bool {
        matches!(self.child.as_mut().map(|c| c.try_wait()), Some(Ok(None)))
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        if let Some(mut child) = self.child.take() {
            let _ = child.kill();
            let _ = child.wait();
        }
    }
}

async fn run(o: Options) -> Result<(), Failure> {
    let db = Db::connect(&DatabaseSettings {
        url: SecretString::from(o.database_url.clone()),
        pool_size: Some(2),
        acquire_timeout_secs: 30,
    })?;
    let mode = if o.hang == 0 {
        "all answer".to_owned()
    } else {
        format!("{} hang", o.hang)
    };
    println!("backend            {} (server {})", o.label, o.base_url);
    println!(
        "receivers          {} on loopback, {}; {} events each party to every cluster",
        o.receivers, mode, o.events
    );

    // 1. The clusters and their managers.
    let managers = {
        let (db, n) = (db.clone(), o.receivers);
        tokio::task::spawn_blocking(move || -> Result<Vec<(String, String)>, Failure> {
            let mut conn = db.get()?;
            prepare(&mut conn, n)
        })
        .await??
    };

    // 2. The receivers; 3. their endpoints, through the API, with the workers idle.
    let hanging: Vec<usize> = (0..o.hang).collect();
    let answering: Vec<usize> = (o.hang..o.receivers).collect();
    let receivers = Receivers::start(o.receivers, &hanging).await?;
    let client = reqwest::Client::builder()
        .timeout(Duration::from_secs(60))
        .build()?;
    let mut endpoint_of: HashMap<String, usize> = HashMap::new();
    {
        let mut server =
            Server::start(&o, &[("SOFTLANDING__WORKER__POLL_INTERVAL_MS", "3600000")])?;
        wait_until_ready(&client, &o.base_url, &mut server).await?;
        for (i, (_, email)) in managers.iter().enumerate() {
            let token = login(&client, &o.base_url, email).await?;
            let id = register(
                &client,
                &o.base_url,
                &token,
                &receivers.list[i],
                &SUBSCRIBED,
            )
            .await?;
            endpoint_of.insert(id, i);
        }
        server.stop()?;
    }
    println!(
        "registered         {} webhooks through POST /api/v1/webhooks",
        endpoint_of.len()
    );

    // 4. The backlog, through the service's fan-out.
    let written = Instant::now();
    let deliveries = {
        let db = db.clone();
        let clusters: Vec<String> = managers.iter().map(|(c, _)| c.clone()).collect();
        let (events, base) = (o.events, o.base_url.clone());
        tokio::task::spawn_blocking(move || -> Result<usize, Failure> {
            let mut conn = db.get()?;
            enqueue(&mut conn, &clusters, events, &base)
        })
        .await??
    };
    let expected_each = o.events;
    if deliveries != o.events * o.receivers {
        return Err(format!(
            "the fan-out wrote {deliveries} deliveries, not {} x {}",
            o.events, o.receivers
        )
        .into());
    }
    let write_secs = written.elapsed().as_secs_f64();
    println!(
        "enqueued           {} events -> {} deliveries in {:.1} s ({:.0} events/s, untimed)",
        o.events,
        deliveries,
        write_secs,
        o.events as f64 / write_secs
    );

    // 5. The drain.
    let spawned = receivers.epoch().elapsed().as_secs_f64();
    let mut server = Server::start(&o, &[])?;
    let expected = expected_each * answering.len();
    let mut last = (0usize, Instant::now());
    let came = receivers
        .wait_for(
            &answering,
            expected,
            Duration::from_secs(o.limit_secs),
            Duration::from_secs(5),
            |got| {
                let rate = (got - last.0) as f64 / last.1.elapsed().as_secs_f64();
                println!("  ... {got} of {expected} delivered ({rate:.0}/s lately)");
                last = (got, Instant::now());
            },
        )
        .await;
    let running = server.running();
    // The hanging connections go first, so the server's stop does not wait out their timeout.
    receivers.release_hanging();
    tokio::time::sleep(Duration::from_millis(200)).await;
    let stopped = server.stop();
    let tallies = receivers.tallies();

    // 6. The checks.
    let db_view = {
        let db = db.clone();
        tokio::task::spawn_blocking(move || -> Result<DbView, Failure> {
            let mut conn = db.get()?;
            DbView::read(&mut conn)
        })
        .await??
    };
    let mut problems = Vec::new();
    if !came {
        problems.push(format!(
            "only {} of {expected} deliveries arrived within {} s",
            receivers.delivered(&answering),
            o.limit_secs
        ));
    }
    if !running {
        problems.push("the server stopped during the run".to_owned());
    }
    if let Err(e) = stopped {
        problems.push(e.to_string());
    }
    for (webhook, index) in &endpoint_of {
        let tally = &tallies[*index];
        let rows = db_view.rows.get(webhook).cloned().unwrap_or_default();
        if rows.len() != expected_each {
            problems.push(format!(
                "receiver {index}: its endpoint has {} deliveries in the outbox, not {expected_each}",
                rows.len()
            ));
        }
        if tally.faults() > 0 {
            problems.push(format!(
                "receiver {index}: {} duplicates, {} bad signatures, {} stale timestamps, {} malformed",
                tally.duplicates, tally.bad_signatures, tally.stale_timestamps, tally.malformed
            ));
        }
        if tally.hang {
            continue;
        }
        let received: HashSet<&str> = tally.ids.iter().map(String::as_str).collect();
        let missing = rows
            .iter()
            .filter(|r| !received.contains(r.message_id.as_str()))
            .count();
        let foreign = received.len() + missing - rows.len();
        let not_once = rows
            .iter()
            .filter(|r| r.status != "sent" || r.attempts != 1)
            .count();
        if missing > 0 || foreign > 0 || not_once > 0 {
            problems.push(format!(
                "receiver {index}: {missing} of its endpoint's webhook-ids never arrived, {foreign} \
                 arrived that are not its own, {not_once} deliveries are not `sent` after one attempt"
            ));
        }
        if tally.requests != tally.delivered {
            problems.push(format!(
                "receiver {index}: {} requests for {} deliveries",
                tally.requests, tally.delivered
            ));
        }
    }
    let bad_attempts = db_view
        .attempts
        .iter()
        .filter(|a| {
            endpoint_of
                .get(&a.webhook_id)
                .is_some_and(|i| !hanging.contains(i))
        })
        .filter(|a| !a.status.is_some_and(|s| (200..300).contains(&s)))
        .count();
    if bad_attempts > 0 {
        problems.push(format!(
            "{bad_attempts} attempts at answering receivers were logged as failures"
        ));
    }

    // The figures.
    let first = tallies
        .iter()
        .filter_map(|t| t.first)
        .fold(f64::INFINITY, f64::min);
    let done = answering
        .iter()
        .filter_map(|i| tallies[*i].last)
        .fold(0.0, f64::max);
    let drain = (done - first).max(1e-9);
    let answered = receivers.delivered(&answering);
    let rate = answered as f64 / drain;
    let per_receiver: Vec<f64> = answering
        .iter()
        .map(|i| {
            let t = &tallies[*i];
            t.delivered as f64 / (t.last.unwrap_or(first) - first).max(1e-9)
        })
        .collect();
    let mean_per_receiver = per_receiver.iter().sum::<f64>() / per_receiver.len() as f64;
    let min_per_receiver = per_receiver.iter().copied().fold(f64::INFINITY, f64::min);
    let max_per_receiver = per_receiver.iter().copied().fold(0.0, f64::max);
    let mut durations: Vec<f64> = db_view
        .attempts
        .iter()
        .filter(|a| {
            endpoint_of
                .get(&a.webhook_id)
                .is_some_and(|i| !hanging.contains(i))
        })
        .map(|a| f64::from(a.duration_ms))
        .collect();
    durations.sort_by(f64::total_cmp);

    println!();
    println!(
        "receiver  mode     deliveries  requests  first s  last s  deliveries/s  dupes  bad sig  connections"
    );
    for t in &tallies {
        let rate = match (t.first, t.last) {
            (Some(_), Some(last)) => {
                format!("{:.0}", t.delivered as f64 / (last - first).max(1e-9))
            }
            _ => "-".to_owned(),
        };
        let at = |x: Option<f64>| x.map_or("-".to_owned(), |x| format!("{:.2}", x - first));
        println!(
            "{:<9} {:<8} {:>10}  {:>8}  {:>7}  {:>6}  {:>12}  {:>5}  {:>7}  {:>11}",
            t.index,
            if t.hang { "hangs" } else { "answers" },
            t.delivered,
            if t.hang { t.hung_requests } else { t.requests },
            at(t.first),
            at(t.last),
            rate,
            t.duplicates,
            t.bad_signatures,
            t.connections
        );
    }
    println!();
    println!(
        "drain              {answered} deliveries to {} answering receivers in {drain:.2} s from the \
         first arrival: {rate:.0} deliveries/s ({:.2} s from the server's start)",
        answering.len(),
        done - spawned
    );
    println!(
        "per receiver       {mean_per_receiver:.0} deliveries/s on average (min {min_per_receiver:.0}, \
         max {max_per_receiver:.0})"
    );
    println!(
        "attempts           {} logged for answering receivers; duration p50 {:.0} ms, p99 {:.0} ms, \
         max {:.0} ms (the server's own clock, whole milliseconds)",
        durations.len(),
        percentile(&durations, 50.0),
        percentile(&durations, 99.0),
        percentile(&durations, 100.0)
    );
    if o.hang > 0 {
        let hung: Vec<&Tally> = tallies.iter().filter(|t| t.hang).collect();
        let hung_attempts = db_view
            .attempts
            .iter()
            .filter(|a| {
                endpoint_of
                    .get(&a.webhook_id)
                    .is_some_and(|i| hanging.contains(i))
            })
            .count();
        println!(
            "hanging            {} connections accepted, {} requests read and left unanswered; \
             {} attempts logged (timed out)",
            hung.iter().map(|t| t.connections).sum::<usize>(),
            hung.iter().map(|t| t.hung_requests).sum::<usize>(),
            hung_attempts
        );
    }
    let faults: usize = tallies.iter().map(Tally::faults).sum();
    if problems.is_empty() {
        println!(
            "checks             every webhook-id arrived exactly once, signed, and is `sent` after one attempt"
        );
    } else {
        println!("checks FAILED:");
        for p in problems.iter().take(20) {
            println!("  - {p}");
        }
    }
    println!(
        "summary|{}|{}|{}|{}|{}|{:.2}|{:.0}|{:.0}|{:.0}|{:.0}|{:.0}|{:.0}|{}|{}",
        o.label,
        mode,
        o.events,
        answering.len(),
        answered,
        drain,
        rate,
        mean_per_receiver,
        min_per_receiver,
        max_per_receiver,
        percentile(&durations, 50.0),
        percentile(&durations, 99.0),
        faults,
        if problems.is_empty() { "ok" } else { "FAILED" }
    );
    if problems.is_empty() {
        Ok(())
    } else {
        Err(format!("{} problems found", problems.len()).into())
    }
}

/// The clusters and one manager each: (cluster id, manager's email).
fn prepare(conn: &mut DbConnection, n: usize) -> Result<Vec<(String, String)>, Failure> {
    let hash = password::hash(MANAGER_PASSWORD).map_err(|e| e.to_string())?;
    write_transaction(conn, |conn| -> Result<Vec<(String, String)>, Failure> {
        let existing: i64 = clusters_table::table.count().get_result(conn)?;
        if existing > 0 {
            return Err(
                "the database already holds clusters; give the benchmark a fresh one".into(),
            );
        }
        let mut managers = Vec::with_capacity(n);
        for i in 0..n {
            let cluster: String = clusters::insert(
                conn,
                &ClusterFields {
                    name: format!("Webhook Bench Cluster {i}"),
                    country: "DE".to_owned(),
                    city: "Karlsruhe".to_owned(),
                    timezone: "Europe/Berlin".to_owned(),
                    contact_email: format!("hello@cluster{i}.bench"),
                    website: None,
                    description: None,
                    sectors: vec!["software".to_owned()],
                },
            )?
            .id
            .into();
            let email = format!("manager@cluster{i}.bench");
            let (id, at) = (new_id(), now());
            accounts::insert_user(
                conn,
                &NewUser {
                    id: &id,
                    email: &email,
                    name: "Bench Manager",
                    password_hash: Some(&hash),
                    role: softlanding::domain::account::Role::parse("cluster_manager")
                        .expect("a role"),
                    cluster_id: Some(&cluster),
                    sme_id: None,
                    disabled: false,
                    email_confirmed_at: Some(at),
                    locale: None,
                    created_at: at,
                    updated_at: at,
                },
            )?;
            managers.push((cluster, email));
        }
        Ok(managers)
    })
}

/// `events` offer.published events, each party to every cluster (the host and its partners),
/// through the service's fan-out. Answers the deliveries written.
fn enqueue(
    conn: &mut DbConnection,
    clusters: &[String],
    events: usize,
    base: &str,
) -> Result<usize, Failure> {
    let mut written = 0;
    let mut left = events;
    while left > 0 {
        let batch = left.min(EVENTS_PER_TRANSACTION);
        written += write_transaction(conn, |conn| -> Result<usize, Failure> {
            let mut n = 0;
            for _ in 0..batch {
                let offer = new_id();
                let event = WebhookEvent {
                    kind: "offer.published".to_owned(),
                    clusters: clusters.to_vec(),
                    data: json!({
                        "id": offer,
                        "state": "published",
                        "cluster_id": clusters[0],
                        "kind": "desk_space",
                        "available_from": "2027-01-01",
                        "available_until": "2027-12-31",
                        "url": format!("{base}/api/v1/offers/{offer}"),
                    }),
                };
                n += events::enqueue(conn, &event)?;
            }
            Ok(n)
        })?;
        left -= batch;
    }
    Ok(written)
}

#[derive(Debug, Clone, Queryable)]
struct DeliveryState {
    message_id: String,
    status: String,
    attempts: i32,
}

#[derive(Debug, Clone, Queryable)]
struct AttemptState {
    webhook_id: String,
    status: Option<i32>,
    duration_ms: i32,
}

/// The webhook rows of the outbox by endpoint, and every attempt logged.
struct DbView {
    rows: HashMap<String, Vec<DeliveryState>>,
    attempts: Vec<AttemptState>,
}

impl DbView {
    fn read(conn: &mut DbConnection) -> Result<DbView, Failure> {
        let rows: Vec<(String, DeliveryState)> = outbox::table
            .filter(outbox::channel.eq(softlanding::webhooks::CHANNEL))
            .select((
                outbox::recipient,
                (outbox::message_id, outbox::status, outbox::attempts),
            ))
            .load(conn)?;
        let mut by_endpoint: HashMap<String, Vec<DeliveryState>> = HashMap::new();
        for (recipient, row) in rows {
            by_endpoint.entry(recipient).or_default().push(row);
        }
        let attempts = webhook_attempts::table
            .select((
                webhook_attempts::webhook_id,
                webhook_attempts::status_code,
                webhook_attempts::duration_ms,
            ))
            .load(conn)?;
        Ok(DbView {
            rows: by_endpoint,
            attempts,
        })
    }
}

async fn wait_until_ready(
    client: &reqwest::Client,
    base: &str,
    server: &mut Server,
) -> Result<(), Failure> {
    let deadline = Instant::now() + Duration::from_secs(30);
    loop {
        if !server.running() {
            return Err("the server stopped while starting; see its log".into());
        }
        match client.get(format!("{base}/readyz")).send().await {
            Ok(r) if r.status().is_success() => return Ok(()),
            Ok(_) | Err(_) if Instant::now() < deadline => {
                tokio::time::sleep(Duration::from_millis(100)).await
            }
            Ok(r) => return Err(format!("{base}/readyz answers {}", r.status()).into()),
            Err(e) => return Err(format!("{base} does not answer: {e}").into()),
        }
    }
}

async fn login(client: &reqwest::Client, base: &str, email: &str) -> Result<String, Failure> {
    let reply = client
        .post(format!("{base}/api/v1/auth/token"))
        .form(&[
            ("grant_type", "password"),
            ("username", email),
            ("password", MANAGER_PASSWORD),
        ])
        .send()
        .await?;
    let status = reply.status();
    let body: Value = reply.json().await?;
    body["access_token"]
        .as_str()
        .map(str::to_owned)
        .ok_or_else(|| format!("{email}'s login answered {status}: {body}").into())
}
