//! Approvals under load: how many `POST /api/v1/landings/{id}/approve` a running softlanding
//! answers per second with 32 concurrent clients, their latency, and proof afterwards that no
//! offer day was overbooked.
//!
//! `benches/approvals.sh` runs it against a fresh PostgreSQL database and a fresh SQLite file;
//! alone it needs a migrated, empty database and a release `softlanding serve` on that
//! database:
//!
//! ```sh
//! cargo bench --bench approvals -- --database-url postgres://... --base-url http://127.0.0.1:18181
//! ```
//!
//! What it does, in order:
//!
//! 1. Writes the network straight through the library (not timed): a host cluster with
//!    `--offers` published offers of `--capacity` places a day, open every day for
//!    `--window-days` days starting ten days from now; three partner clusters in an active
//!    partnership with it, each with SMEs and members; and `--landings` pending requests of
//!    one to five days and one to three visitors, spread at random over the offers and days.
//!    The defaults ask for about 25 % more visitor-days than the offers have, so roughly a
//!    third of the approvals must answer 409 `capacity_exhausted`.
//!    On PostgreSQL it then runs `VACUUM ANALYZE`, as autovacuum would on a live server.
//! 2. Logs the host's manager in through `/api/v1/auth/token` and opens the connections
//!    (a burst of `/readyz`), still untimed.
//! 3. Approves every landing once, in random order, from `--clients` concurrent clients, and
//!    times each request. 200 and 409 `capacity_exhausted` are the expected answers; anything
//!    else fails the run.
//! 4. Checks the ledger: every (offer, day) holds at most the offer's capacity and exactly the
//!    visitors of the approved landings that hold that day; every approved landing holds all
//!    its open days; the landing states match the answers. Any mismatch fails the run.
//!
//! With `--webhooks`, before the clock starts, it also starts four local receivers
//! (`benches/support/receivers.rs`) and registers, through `POST /api/v1/webhooks`, one webhook
//! for the host cluster and one for each partner cluster, subscribed to `landing.*`, so every
//! approval also fans out two signed deliveries (`landing.approved` to the host and to the
//! visitor's home cluster) that the server's webhook worker sends during the run. Afterwards it
//! waits for them all and fails the run unless each arrived exactly once, signed, and the
//! outbox holds each as `sent`.
//!
//! It also reports the CPU time each request cost while the clock ran: the server's (with
//! `--server-pid`), PostgreSQL's (every `postgres` process on the machine), and its own, with
//! the share of the machine's CPU that was busy and that the hypervisor took. Work the server
//! leaves for after the run (emails and deliveries still queued) is not in those figures.
//!
//! The last line, starting `summary|`, is for the script's table.

#[allow(dead_code)]
#[path = "support/cpu.rs"]
mod cpu;
#[allow(dead_code)]
#[path = "support/receivers.rs"]
mod receivers;

use std::collections::HashMap;
use std::process::ExitCode;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use chrono::{Days, NaiveDate};
use diesel::prelude::*;
use rand::rngs::StdRng;
use rand::seq::SliceRandom;
use rand::{Rng, SeedableRng};
use secrecy::SecretString;
use serde_json::{Value, json};
use softlanding::auth::password;
use softlanding::config::DatabaseSettings;
use softlanding::db::accounts::{self, NewUser};
use softlanding::db::clusters::{self, ClusterFields};
use softlanding::db::landings::{self as store, LandingRow, NewLanding};
use softlanding::db::offers::{self, OfferFields};
use softlanding::db::partnerships;
use softlanding::db::schema::{landings, offer_day_bookings, smes};
use softlanding::db::{Db, DbConnection, new_id, now, write_transaction};
use softlanding::domain::calendar::{Opening, open_days};
use softlanding::domain::ids::{ClusterId, PartnershipId, SmeId};
use softlanding::domain::landing::LandingState;
use softlanding::domain::offer::{OfferKind, OfferState, Weekdays};
use softlanding::domain::partnership::{PartnershipState, Terms};

const HOST_TIMEZONE: &str = "Europe/Berlin";
const MANAGER_EMAIL: &str = "manager@host.bench";
const MANAGER_PASSWORD: &str = "approvals benchmark password";
const HOME_CLUSTERS: usize = 3;
const SMES_PER_HOME: usize = 8;
const MAX_STAY_DAYS: u64 = 5;
const MAX_HEADCOUNT: i32 = 3;
/// The first day offers are open, counted from today in the host's time zone: after the
/// reminder lead time, so the sweep leaves the approved landings alone during the run.
const FIRST_DAY_OFFSET: u64 = 10;
const PURPOSE: &str = "Meet integrators and distributors in the host region and test the market.";

type Failure = Box<dyn std::error::Error + Send + Sync>;

#[derive(Debug, Clone)]
struct Options {
    database_url: String,
    base_url: String,
    label: String,
    landings: usize,
    clients: usize,
    offers: usize,
    capacity: i32,
    window_days: u64,
    seed: u64,
    webhooks: bool,
    /// The server's process on this machine, to report its CPU time per request.
    server_pid: Option<u32>,
}

const USAGE: &str = "\
usage: approvals --database-url URL --base-url URL [--label NAME] [--landings N] [--clients N]
                 [--offers N] [--capacity N] [--window-days N] [--seed N] [--webhooks]
                 [--server-pid PID]
The database must be migrated and empty, and a release `softlanding serve` must run on it at
--base-url. benches/approvals.sh does all of that for PostgreSQL and SQLite.";

impl Options {
    /// Flags first, then `APPROVALS_DATABASE_URL` and `APPROVALS_BASE_URL`; `None` when no
    /// database is named (a plain `cargo bench`), which is not an error.
    fn parse() -> Result<Option<Options>, String> {
        let mut o = Options {
            database_url: std::env::var("APPROVALS_DATABASE_URL").unwrap_or_default(),
            base_url: std::env::var("APPROVALS_BASE_URL").unwrap_or_default(),
            label: String::new(),
            landings: 20_000,
            clients: 32,
            offers: 200,
            capacity: 16,
            window_days: 30,
            seed: 2026,
            webhooks: false,
            server_pid: None,
        };
        let mut args = std::env::args().skip(1);
        while let Some(flag) = args.next() {
            if flag == "--bench" {
                // What `cargo bench` passes to every benchmark.
                continue;
            }
            if flag == "--webhooks" {
                o.webhooks = true;
                continue;
            }
            let value = args
                .next()
                .ok_or_else(|| format!("{flag} needs a value\n{USAGE}"))?;
            let number = |v: &str| {
                v.parse::<u64>()
                    .ok()
                    .filter(|n| *n > 0)
                    .ok_or_else(|| format!("{flag} takes a positive number, not `{v}`"))
            };
            match flag.as_str() {
                "--database-url" => o.database_url = value,
                "--base-url" => o.base_url = value,
                "--label" => o.label = value,
                "--landings" => o.landings = number(&value)? as usize,
                "--clients" => o.clients = number(&value)? as usize,
                "--offers" => o.offers = number(&value)? as usize,
                "--capacity" => {
                    o.capacity = i32::try_from(number(&value)?).map_err(|e| e.to_string())?
                }
                "--window-days" => o.window_days = number(&value)?,
                "--seed" => o.seed = number(&value)?,
                "--server-pid" => o.server_pid = Some(number(&value)? as u32),
                _ => return Err(format!("unknown flag {flag}\n{USAGE}")),
            }
        }
        if o.database_url.is_empty() {
            return Ok(None);
        }
        if o.base_url.is_empty() {
            return Err(format!("--base-url is required\n{USAGE}"));
        }
        if o.window_days < MAX_STAY_DAYS {
            return Err(format!("--window-days must be at least {MAX_STAY_DAYS}"));
        }
        if o.capacity < MAX_HEADCOUNT {
            return Err(format!("--capacity must be at least {MAX_HEADCOUNT}"));
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
                "approvals: no database named; run benches/approvals.sh, or see --help\n{USAGE}"
            );
            return ExitCode::SUCCESS;
        }
        Err(e) => {
            eprintln!("approvals: {e}");
            return ExitCode::FAILURE;
        }
    };
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(runtime) => runtime,
        Err(e) => {
            eprintln!("approvals: cannot start a runtime: {e}");
            return ExitCode::FAILURE;
        }
    };
    match runtime.block_on(run(options)) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("approvals: FAILED: {e}");
            ExitCode::FAILURE
        }
    }
}

async fn run(o: Options) -> Result<(), Failure> {
    let db = Db::connect(&DatabaseSettings {
        url: SecretString::from(o.database_url.clone()),
        pool_size: Some(2),
        acquire_timeout_secs: 30,
    })?;

    let started = Instant::now();
    let prepared = {
        let (db, o) = (db.clone(), o.clone());
        tokio::task::spawn_blocking(move || -> Result<Prepared, Failure> {
            let mut conn = db.get()?;
            let prepared = prepare(&mut conn, &o)?;
            // What autovacuum does on a live server after such a load (the planner's
            // statistics, the visibility map); CI's PostgreSQL runs with autovacuum off.
            if let DbConnection::Postgres(_) = &*conn {
                diesel::sql_query("VACUUM ANALYZE").execute(&mut *conn)?;
            }
            Ok(prepared)
        })
        .await??
    };
    println!("backend            {} (server {})", o.label, o.base_url);
    println!(
        "prepared           {} pending landings over {} offers x {} days, capacity {} a day, \
         demand {:.2}x capacity ({:.1} s, untimed)",
        prepared.landings.len(),
        o.offers,
        o.window_days,
        o.capacity,
        prepared.demand_ratio,
        started.elapsed().as_secs_f64()
    );

    let client = reqwest::Client::builder()
        .pool_max_idle_per_host(o.clients)
        .timeout(Duration::from_secs(60))
        .build()?;
    wait_until_ready(&client, &o.base_url).await?;
    let token = login(&client, &o.base_url, MANAGER_EMAIL).await?;
    let hooks = if o.webhooks {
        Some(subscribe(&client, &o.base_url, &token).await?)
    } else {
        None
    };
    warm_up(&client, &o.base_url, o.clients).await?;

    let mut ids: Vec<String> = prepared.landings.iter().map(|l| l.0.clone()).collect();
    ids.shuffle(&mut StdRng::seed_from_u64(o.seed ^ 0x5eed));
    let before = cpu::Sample::take(o.server_pid);
    let outcome = fire(&client, &o, &token, Arc::new(ids)).await?;
    let used = cpu::Sample::take(o.server_pid).since(&before);
    outcome.print(&o);
    let on_postgres = !o.database_url.starts_with("sqlite");
    let requests = outcome.total();
    let (server_ms, postgres_ms) = (
        cpu::per_request_ms(used.server, requests),
        if on_postgres {
            cpu::per_request_ms(Some(used.postgres), requests)
        } else {
            "-".to_owned()
        },
    );
    println!(
        "cpu per request    server {server_ms} ms, PostgreSQL {postgres_ms} ms, this generator \
         (and its receivers) {} ms; the machine was {}% busy, {}% stolen by the hypervisor",
        cpu::per_request_ms(used.this, requests),
        cpu::percent(used.busy_percent),
        cpu::percent(used.stolen_percent),
    );

    let check = {
        let db = db.clone();
        let expected: HashMap<String, i32> = prepared.landings.iter().cloned().collect();
        tokio::task::spawn_blocking(move || -> Result<Check, Failure> {
            let mut conn = db.get()?;
            check(&mut conn, &expected)
        })
        .await??
    };
    let mut problems = check.problems.clone();
    if check.approved != outcome.approved {
        problems.push(format!(
            "{} landings are approved in the database but {} approvals answered 200",
            check.approved, outcome.approved
        ));
    }
    if check.pending != outcome.capacity_exhausted {
        problems.push(format!(
            "{} landings are still pending but {} approvals answered 409 capacity_exhausted",
            check.pending, outcome.capacity_exhausted
        ));
    }
    if outcome.other > 0 {
        problems.push(format!(
            "{} answers were neither 200 nor 409 capacity_exhausted; first: {}",
            outcome.other,
            outcome.first_other.as_deref().unwrap_or("?")
        ));
    }
    let webhooks = match &hooks {
        None => "off".to_owned(),
        Some(receivers) => {
            let seen = webhooks_after(receivers, &db, outcome.approved, &mut problems).await?;
            seen.unwrap_or_else(|| "FAILED".to_owned())
        }
    };
    if problems.is_empty() {
        println!(
            "overbooking:       none ({} offer-days and {} approved landings checked)",
            check.offer_days, check.approved
        );
    } else {
        println!("overbooking check FAILED:");
        for p in problems.iter().take(20) {
            println!("  - {p}");
        }
        if problems.len() > 20 {
            println!("  ... and {} more", problems.len() - 20);
        }
    }
    println!(
        "summary|{}|{}|{:.0}|{:.0}|{}|{}|{}|{:.1}|{:.1}|{:.1}|{:.1}|{}|{}|{}|{}|{}",
        o.label,
        o.clients,
        outcome.approvals_per_sec(),
        outcome.requests_per_sec(),
        outcome.approved,
        outcome.capacity_exhausted,
        outcome.other,
        outcome.percentile(50.0),
        outcome.percentile(95.0),
        outcome.percentile(99.0),
        outcome.percentile(100.0),
        if problems.is_empty() {
            "none"
        } else {
            "FAILED"
        },
        webhooks,
        server_ms,
        postgres_ms,
        cpu::percent(used.stolen_percent),
    );
    if problems.is_empty() {
        Ok(())
    } else {
        Err(format!("{} problems found after the run", problems.len()).into())
    }
}

/// The pending landings (id, headcount), and how much they ask of the offers.
struct Prepared {
    landings: Vec<(String, i32)>,
    demand_ratio: f64,
}

fn prepare(conn: &mut DbConnection, o: &Options) -> Result<Prepared, Failure> {
    write_transaction(conn, |conn| -> Result<Prepared, Failure> {
        let existing: i64 = landings::table.count().get_result(conn)?;
        if existing > 0 {
            return Err(
                "the database already holds landings; give the benchmark a fresh one".into(),
            );
        }
        let mut rng = StdRng::seed_from_u64(o.seed);
        let today = softlanding::clock::Clock::system().today_in(HOST_TIMEZONE);
        let first_day = today + Days::new(FIRST_DAY_OFFSET);
        let last_day = first_day + Days::new(o.window_days - 1);

        let host = cluster(conn, "Bench Host Cluster", "host")?;
        let hash = password::hash(MANAGER_PASSWORD).map_err(|e| e.to_string())?;
        user(
            conn,
            MANAGER_EMAIL,
            "cluster_manager",
            Some(&host),
            None,
            Some(&hash),
        )?;

        // The visitors: SMEs of partner clusters, each with a member who asks.
        let mut visitors: Vec<Visitor> = Vec::new();
        for h in 0..HOME_CLUSTERS {
            let home = cluster(
                conn,
                &format!("Bench Home Cluster {h}"),
                &format!("home{h}"),
            )?;
            // With the host's password, so `--webhooks` can register their endpoints.
            user(
                conn,
                &format!("manager@home{h}.bench"),
                "cluster_manager",
                Some(&home),
                None,
                Some(&hash),
            )?;
            let partnership = partnerships::insert(
                conn,
                &home,
                &host,
                &Terms {
                    max_free_days: MAX_STAY_DAYS as i32,
                    services: OfferKind::ALL.to_vec(),
                    home_endorsement_required: false,
                    notes: None,
                },
            )?;
            partnerships::set_state(
                conn,
                &partnership.id,
                PartnershipState::Proposed,
                PartnershipState::Active,
            )?;
            for s in 0..SMES_PER_HOME {
                let sme = sme(conn, &home, &format!("Bench SME {h}-{s}"))?;
                let member = user(
                    conn,
                    &format!("member{s}@sme{h}.bench"),
                    "sme_member",
                    None,
                    Some(&sme),
                    None,
                )?;
                visitors.push(Visitor {
                    sme,
                    member,
                    home: home.clone(),
                    partnership: partnership.id.to_string(),
                });
            }
        }

        let every_day = Weekdays::parse(&[1, 2, 3, 4, 5, 6, 7])?;
        let mut offer_ids = Vec::with_capacity(o.offers);
        for i in 0..o.offers {
            let offer = offers::insert(
                conn,
                &ClusterId::from_stored(host.clone()),
                &OfferFields {
                    kind: OfferKind::DeskSpace,
                    title: format!("Bench desk {i}"),
                    description: "A desk in the host cluster's hub, for benchmark visitors."
                        .to_owned(),
                    city: "Karlsruhe".to_owned(),
                    address: Some(format!("Haid-und-Neu-Strasse {i}, Karlsruhe")),
                    capacity: o.capacity,
                    available_from: first_day,
                    available_until: last_day,
                    max_stay_days: MAX_STAY_DAYS as i32,
                    open_weekdays: every_day,
                    languages: vec!["en".to_owned(), "de".to_owned()],
                    sectors: vec!["software".to_owned()],
                },
            )?;
            offers::set_state(conn, &offer.id, OfferState::Draft, OfferState::Published)?;
            offer_ids.push((offer.id, offer.calendar_version));
        }
        let opening = Opening {
            available_from: first_day,
            available_until: last_day,
            weekdays: every_day,
            capacity: o.capacity,
        };

        let mut pending = Vec::with_capacity(o.landings);
        let mut visitor_days: u64 = 0;
        for _ in 0..o.landings {
            let (offer, calendar_version) = &offer_ids[rng.random_range(0..offer_ids.len())];
            let visitor = &visitors[rng.random_range(0..visitors.len())];
            let length = rng.random_range(1..=MAX_STAY_DAYS);
            let start = first_day + Days::new(rng.random_range(0..=o.window_days - length));
            let end = start + Days::new(length - 1);
            let headcount = rng.random_range(1..=MAX_HEADCOUNT);
            let days = open_days(&opening, &[], start, end);
            visitor_days += days.len() as u64 * headcount as u64;
            let row = store::insert(
                conn,
                &NewLanding {
                    offer_id: offer.clone(),
                    sme_id: SmeId::from_stored(visitor.sme.clone()),
                    host_cluster_id: ClusterId::from_stored(host.clone()),
                    home_cluster_id: ClusterId::from_stored(visitor.home.clone()),
                    partnership_id: PartnershipId::from_stored(visitor.partnership.clone()),
                    requested_by: visitor.member.clone(),
                    start_date: start,
                    end_date: end,
                    headcount,
                    days,
                    calendar_version: *calendar_version,
                    purpose: PURPOSE.to_owned(),
                    target_market: Some("DE".to_owned()),
                    requested_services: vec![OfferKind::DeskSpace.as_str().to_owned()],
                    state: LandingState::PendingApproval,
                },
            )?;
            pending.push((row.id.into(), headcount));
        }
        let places = o.offers as f64 * o.window_days as f64 * f64::from(o.capacity);
        Ok(Prepared {
            landings: pending,
            demand_ratio: visitor_days as f64 / places,
        })
    })
}

struct Visitor {
    sme: String,
    member: String,
    home: String,
    partnership: String,
}

fn cluster(conn: &mut DbConnection, name: &str, domain: &str) -> Result<String, Failure> {
    Ok(clusters::insert(
        conn,
        &ClusterFields {
            name: name.to_owned(),
            country: "DE".to_owned(),
            city: "Karlsruhe".to_owned(),
            timezone: HOST_TIMEZONE.to_owned(),
            contact_email: format!("hello@{domain}.bench"),
            website: None,
            description: None,
            sectors: vec!["software".to_owned()],
        },
    )?
    .id
    .into())
}

fn user(
    conn: &mut DbConnection,
    email: &str,
    role: &str,
    cluster_id: Option<&str>,
    sme_id: Option<&str>,
    password_hash: Option<&str>,
) -> Result<String, Failure> {
    let id = new_id();
    let at = now();
    accounts::insert_user(
        conn,
        &NewUser {
            id: &id,
            email,
            name: "Bench Person",
            password_hash,
            role: softlanding::domain::account::Role::parse(role).expect("a role"),
            cluster_id,
            sme_id,
            disabled: false,
            email_confirmed_at: Some(at),
            locale: None,
            created_at: at,
            updated_at: at,
        },
    )?;
    Ok(id)
}

/// A verified SME of `home` (written as `seed-demo` writes its SMEs).
fn sme(conn: &mut DbConnection, home: &str, name: &str) -> Result<String, Failure> {
    let id = new_id();
    let at = now();
    diesel::insert_into(smes::table)
        .values((
            smes::id.eq(&id),
            smes::name.eq(name),
            smes::country.eq("SE"),
            smes::sector.eq("software"),
            smes::employees.eq(Some(12)),
            smes::home_cluster_id.eq(home),
            smes::membership.eq("verified"),
            smes::contact_name.eq("Contact Person"),
            smes::contact_email.eq(format!("contact@{id}.bench")),
            smes::target_markets.eq(r#"["DE"]"#),
            smes::version.eq(1),
            smes::created_at.eq(at),
            smes::updated_at.eq(at),
        ))
        .execute(conn)?;
    Ok(id)
}

async fn wait_until_ready(client: &reqwest::Client, base: &str) -> Result<(), Failure> {
    let deadline = Instant::now() + Duration::from_secs(30);
    loop {
        match client.get(format!("{base}/readyz")).send().await {
            Ok(r) if r.status().is_success() => return Ok(()),
            Ok(_) | Err(_) if Instant::now() < deadline => {
                tokio::time::sleep(Duration::from_millis(200)).await
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

/// Starts a receiver for the host and for each partner cluster and registers their webhooks
/// (`landing.*`) through the API, each as its cluster's manager.
async fn subscribe(
    client: &reqwest::Client,
    base: &str,
    host_token: &str,
) -> Result<receivers::Receivers, Failure> {
    let receivers = receivers::Receivers::start(1 + HOME_CLUSTERS, &[]).await?;
    receivers::register(client, base, host_token, &receivers.list[0], &["landing.*"]).await?;
    for h in 0..HOME_CLUSTERS {
        let token = login(client, base, &format!("manager@home{h}.bench")).await?;
        receivers::register(client, base, &token, &receivers.list[1 + h], &["landing.*"]).await?;
    }
    println!(
        "webhooks           {} endpoints registered (host and partners, landing.*)",
        receivers.list.len()
    );
    Ok(receivers)
}

/// Waits for the two deliveries of each approval and checks them against the outbox; adds
/// what is wrong to `problems`. Answers the summary's cell, or `None` when something failed.
async fn webhooks_after(
    receivers: &receivers::Receivers,
    db: &Db,
    approved: usize,
    problems: &mut Vec<String>,
) -> Result<Option<String>, Failure> {
    use softlanding::db::schema::outbox;
    let all: Vec<usize> = (0..receivers.list.len()).collect();
    let expected = 2 * approved;
    let at_end = receivers.delivered(&all);
    let waited = Instant::now();
    let came = receivers
        .wait_for(
            &all,
            expected,
            Duration::from_secs(120),
            Duration::from_secs(5),
            |got| println!("  ... {got} of {expected} webhook deliveries arrived"),
        )
        .await;
    let drained_after = waited.elapsed().as_secs_f64();
    type Failed = Vec<(Option<i32>, Option<String>, i64)>;
    let (rows, failed): (Vec<(String, i32, i64)>, Failed) = {
        use softlanding::db::schema::webhook_attempts as attempts;
        let db = db.clone();
        tokio::task::spawn_blocking(move || -> Result<_, Failure> {
            let mut conn = db.get()?;
            // The worker records outcomes in batches after the answers: give the last ones
            // a few seconds to be written.
            let recorded = Instant::now() + Duration::from_secs(10);
            let rows: Vec<(String, i32, i64)> = loop {
                let rows: Vec<(String, i32, i64)> = outbox::table
                    .filter(outbox::channel.eq(softlanding::webhooks::CHANNEL))
                    .group_by((outbox::status, outbox::attempts))
                    .select((outbox::status, outbox::attempts, diesel::dsl::count_star()))
                    .load(&mut conn)?;
                if Instant::now() > recorded || rows.iter().all(|r| r.0 != "pending") {
                    break rows;
                }
                std::thread::sleep(Duration::from_millis(200));
            };
            // Attempts that did not end in a 2xx answer, by what the log says of them.
            let failed = attempts::table
                .filter(
                    attempts::status_code
                        .is_null()
                        .or(attempts::status_code.not_between(200, 299)),
                )
                .group_by((attempts::status_code, attempts::error))
                .select((
                    attempts::status_code,
                    attempts::error,
                    diesel::dsl::count_star(),
                ))
                .load(&mut conn)?;
            Ok((rows, failed))
        })
        .await??
    };
    let tallies = receivers.tallies();
    let delivered: usize = tallies.iter().map(|t| t.delivered).sum();
    let faults: usize = tallies.iter().map(receivers::Tally::faults).sum();
    let mut ages: Vec<f64> = tallies
        .iter()
        .flat_map(|t| t.since_event_ms.iter().copied())
        .collect();
    ages.sort_by(f64::total_cmp);
    let total_rows: i64 = rows.iter().map(|r| r.2).sum();
    let sent: i64 = rows.iter().filter(|r| r.0 == "sent").map(|r| r.2).sum();
    let retried: i64 = rows
        .iter()
        .filter(|r| r.0 == "sent" && r.1 > 1)
        .map(|r| r.2)
        .sum();
    println!(
        "webhooks           {delivered} of {expected} deliveries arrived ({at_end} by the last \
         approval, the rest {drained_after:.2} s later); from the approval's write to arrival \
         p50 {:.0} ms, p99 {:.0} ms, max {:.0} ms",
        receivers::percentile(&ages, 50.0),
        receivers::percentile(&ages, 99.0),
        receivers::percentile(&ages, 100.0)
    );
    println!(
        "                   outbox: {total_rows} webhook rows, {sent} sent ({retried} after a failed \
         attempt); receivers: {faults} duplicates, bad signatures or malformed requests"
    );
    for (status, error, n) in &failed {
        println!(
            "                   {n} failed attempts: {} {}",
            status.map_or("no answer".to_owned(), |s| format!("answered {s}")),
            error.as_deref().unwrap_or("")
        );
    }
    let before = problems.len();
    if !came || delivered != expected {
        problems.push(format!(
            "{delivered} webhook deliveries arrived within 120 s of the run, not {expected}"
        ));
    }
    if faults > 0 {
        problems.push(format!(
            "the receivers saw {faults} duplicates, bad signatures or malformed requests"
        ));
    }
    if total_rows != expected as i64 || sent != total_rows {
        problems.push(format!(
            "the outbox holds {total_rows} webhook deliveries, {sent} of them sent; expected \
             {expected}, all sent"
        ));
    }
    Ok((problems.len() == before).then(|| {
        format!(
            "{delivered} ok, p99 {:.0} ms",
            receivers::percentile(&ages, 99.0)
        )
    }))
}

/// Opens the client's connections and the server's pooled database connections before the
/// clock starts.
async fn warm_up(client: &reqwest::Client, base: &str, clients: usize) -> Result<(), Failure> {
    for _ in 0..3 {
        let probes = (0..clients).map(|_| client.get(format!("{base}/readyz")).send());
        for reply in futures_util::future::join_all(probes).await {
            reply?.error_for_status()?;
        }
    }
    Ok(())
}

#[derive(Default)]
struct Outcome {
    approved: usize,
    capacity_exhausted: usize,
    other: usize,
    first_other: Option<String>,
    /// Per-request latency in microseconds, sorted.
    latencies: Vec<u64>,
    wall: Duration,
}

impl Outcome {
    fn total(&self) -> usize {
        self.approved + self.capacity_exhausted + self.other
    }

    fn approvals_per_sec(&self) -> f64 {
        self.approved as f64 / self.wall.as_secs_f64()
    }

    fn requests_per_sec(&self) -> f64 {
        self.total() as f64 / self.wall.as_secs_f64()
    }

    /// Nearest-rank percentile, in milliseconds.
    fn percentile(&self, p: f64) -> f64 {
        if self.latencies.is_empty() {
            return 0.0;
        }
        let rank = ((p / 100.0) * self.latencies.len() as f64).ceil() as usize;
        let index = rank.clamp(1, self.latencies.len()) - 1;
        self.latencies[index] as f64 / 1000.0
    }

    fn print(&self, o: &Options) {
        println!("clients            {}", o.clients);
        println!(
            "requests           {} in {:.2} s: {:.0} requests/s",
            self.total(),
            self.wall.as_secs_f64(),
            self.requests_per_sec()
        );
        println!(
            "approvals/s        {:.0} ({} answered 200)",
            self.approvals_per_sec(),
            self.approved
        );
        println!(
            "answers            200: {}, 409 capacity_exhausted: {} ({:.1} %), other: {}",
            self.approved,
            self.capacity_exhausted,
            100.0 * self.capacity_exhausted as f64 / self.total().max(1) as f64,
            self.other
        );
        println!(
            "latency (ms)       p50 {:.1}  p95 {:.1}  p99 {:.1}  max {:.1}",
            self.percentile(50.0),
            self.percentile(95.0),
            self.percentile(99.0),
            self.percentile(100.0)
        );
    }
}

#[derive(Default)]
struct ClientTally {
    approved: usize,
    capacity_exhausted: usize,
    other: usize,
    first_other: Option<String>,
    latencies: Vec<u64>,
}

/// Approves every landing in `ids` once, `o.clients` requests at a time.
async fn fire(
    client: &reqwest::Client,
    o: &Options,
    token: &str,
    ids: Arc<Vec<String>>,
) -> Result<Outcome, Failure> {
    let next = Arc::new(AtomicUsize::new(0));
    let started = Instant::now();
    let mut tasks = Vec::with_capacity(o.clients);
    for _ in 0..o.clients {
        let (client, ids, next) = (client.clone(), ids.clone(), next.clone());
        let (base, token) = (o.base_url.clone(), token.to_owned());
        tasks.push(tokio::spawn(async move {
            let mut tally = ClientTally::default();
            let body = json!({});
            loop {
                let i = next.fetch_add(1, Ordering::Relaxed);
                let Some(id) = ids.get(i) else { break };
                let sent = Instant::now();
                let reply = client
                    .post(format!("{base}/api/v1/landings/{id}/approve"))
                    .bearer_auth(&token)
                    .json(&body)
                    .send()
                    .await;
                let (status, text) = match reply {
                    Ok(r) => {
                        let status = r.status().as_u16();
                        (status, r.text().await.unwrap_or_default())
                    }
                    Err(e) => (0, e.to_string()),
                };
                tally.latencies.push(sent.elapsed().as_micros() as u64);
                let code = || {
                    serde_json::from_str::<Value>(&text)
                        .ok()
                        .and_then(|v| v["code"].as_str().map(str::to_owned))
                };
                match status {
                    200 => tally.approved += 1,
                    409 if code().as_deref() == Some("capacity_exhausted") => {
                        tally.capacity_exhausted += 1
                    }
                    _ => {
                        tally.other += 1;
                        if tally.first_other.is_none() {
                            tally.first_other = Some(format!("{id}: {status} {text}"));
                        }
                    }
                }
            }
            tally
        }));
    }
    let mut outcome = Outcome::default();
    for task in tasks {
        let tally = task.await?;
        outcome.approved += tally.approved;
        outcome.capacity_exhausted += tally.capacity_exhausted;
        outcome.other += tally.other;
        if outcome.first_other.is_none() {
            outcome.first_other = tally.first_other;
        }
        outcome.latencies.extend(tally.latencies);
    }
    outcome.wall = started.elapsed();
    outcome.latencies.sort_unstable();
    Ok(outcome)
}

struct Check {
    offer_days: usize,
    approved: usize,
    pending: usize,
    problems: Vec<String>,
}

/// Compares the ledger with the capacity and with what the approved landings hold.
fn check(conn: &mut DbConnection, expected: &HashMap<String, i32>) -> Result<Check, Failure> {
    use softlanding::db::schema::offers;
    let capacity: HashMap<String, i32> = offers::table
        .select((offers::id, offers::capacity))
        .load::<(String, i32)>(conn)?
        .into_iter()
        .collect();
    let ledger: Vec<(String, NaiveDate, i32)> = offer_day_bookings::table
        .select((
            offer_day_bookings::offer_id,
            offer_day_bookings::day,
            offer_day_bookings::booked,
        ))
        .load(conn)?;
    let states: Vec<LandingRow> = landings::table.select(LandingRow::as_select()).load(conn)?;

    let mut problems = Vec::new();
    let (mut approved, mut pending) = (0, 0);
    // Visitors per offer day, as the approved landings hold them.
    let mut visitors: HashMap<(String, NaiveDate), i64> = HashMap::new();
    for landing in &states {
        let id = &landing.id;
        if expected.get(id.as_str()) != Some(&landing.headcount) {
            problems.push(format!("landing {id} was not written by this run"));
        }
        match landing.state.as_str() {
            "approved" => {
                approved += 1;
                let days = landing.days();
                if days.len() as i32 != landing.open_days {
                    problems.push(format!(
                        "approved landing {id} holds {} days of its {} open days",
                        days.len(),
                        landing.open_days
                    ));
                }
                for day in days {
                    *visitors
                        .entry((landing.offer_id.to_string(), day))
                        .or_default() += i64::from(landing.headcount);
                }
            }
            "pending_approval" => pending += 1,
            other => problems.push(format!("landing {id} ended {other}")),
        }
    }
    for (offer, day, booked) in &ledger {
        let cap = capacity.get(offer).copied().unwrap_or(0);
        if *booked > cap {
            problems.push(format!(
                "OVERBOOKED: offer {offer} on {day}: {booked} booked, capacity {cap}"
            ));
        }
        let approved_visitors = visitors.remove(&(offer.clone(), *day)).unwrap_or(0);
        if i64::from(*booked) != approved_visitors {
            problems.push(format!(
                "offer {offer} on {day}: the ledger says {booked} booked, approved landings hold {approved_visitors}"
            ));
        }
    }
    for ((offer, day), n) in visitors {
        problems.push(format!(
            "offer {offer} on {day}: approved landings hold {n} visitors but the ledger has no row"
        ));
    }
    Ok(Check {
        offer_days: ledger.len(),
        approved,
        pending,
        problems,
    })
}
