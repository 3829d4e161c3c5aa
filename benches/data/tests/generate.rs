//! The generator on a fresh database of each backend (PostgreSQL when `TEST_DATABASE_URL` is
//! set): the generated network holds its places exactly as approvals would, never above an
//! offer's capacity, and the service answers over it; the `gen-data` binary migrates, fills and
//! reports, and refuses a second run and production.

mod support;

use std::collections::HashMap;
use std::process::{Command, Output};

use chrono::NaiveDate;
use diesel::prelude::*;
use softlanding::db::DbConnection;
use softlanding::db::landings::LandingRow;
use softlanding::db::schema::{
    clusters, landing_events, landings, offer_blackouts, offer_day_bookings, offers,
    partnership_events, partnerships, smes, users,
};
use softlanding::domain::calendar::{Opening, is_open};
use softlanding::domain::offer::Weekdays;
use softlanding_bench_data::{Summary, Volumes, generate};

use support::{FreshDatabase, Service, config_dir, settings_env};

const SMALL: Volumes = Volumes {
    offers: 20,
    landings: 200,
    seed: 7,
};

async fn generated(app: &Service, volumes: Volumes) -> Result<Summary, String> {
    app.with_conn(move |conn| generate(conn, volumes, &mut |_| {}).map_err(|e| e.to_string()))
        .await
}

/// What the ledger should hold: per (offer, day), the visitors of approved and completed
/// landings holding that day.
fn held_by_landings(conn: &mut DbConnection) -> HashMap<(String, NaiveDate), i32> {
    let mut held = HashMap::new();
    for landing in all_landings(conn)
        .into_iter()
        .filter(|l| matches!(l.state.as_str(), "approved" | "completed"))
    {
        for day in landing.days() {
            *held.entry((landing.offer_id.to_string(), day)).or_insert(0) += landing.headcount;
        }
    }
    held
}

fn all_landings(conn: &mut DbConnection) -> Vec<LandingRow> {
    landings::table
        .select(LandingRow::as_select())
        .load(conn)
        .expect("read landings")
}

#[tokio::test]
async fn generated_landings_fill_the_ledger_exactly_and_never_overbook() {
    let app = Service::start();

    let summary = generated(&app, SMALL)
        .await
        .expect("an empty database fills");

    assert_eq!(summary.published_offers, 20);
    assert_eq!(summary.landings, 200);
    assert_eq!(summary.by_state.iter().sum::<usize>(), 200);
    let check = app
        .with_conn(|conn| {
            let held = held_by_landings(conn);
            let ledger: HashMap<(String, NaiveDate), i32> = offer_day_bookings::table
                .select((
                    offer_day_bookings::offer_id,
                    offer_day_bookings::day,
                    offer_day_bookings::booked,
                ))
                .load::<(String, NaiveDate, i32)>(conn)
                .expect("read the ledger")
                .into_iter()
                .map(|(offer, day, booked)| ((offer, day), booked))
                .collect();
            let offers: HashMap<String, (i32, Opening)> = offers::table
                .select((
                    offers::id,
                    offers::capacity,
                    offers::available_from,
                    offers::available_until,
                    offers::open_weekdays,
                ))
                .load::<(String, i32, NaiveDate, NaiveDate, String)>(conn)
                .expect("read offers")
                .into_iter()
                .map(|(id, capacity, from, until, weekdays)| {
                    let opening = Opening {
                        available_from: from,
                        available_until: until,
                        weekdays: Weekdays::from_db(&weekdays),
                        capacity,
                    };
                    (id, (capacity, opening))
                })
                .collect();
            let blackouts: Vec<(String, NaiveDate, NaiveDate)> = offer_blackouts::table
                .select((
                    offer_blackouts::offer_id,
                    offer_blackouts::start_date,
                    offer_blackouts::end_date,
                ))
                .load(conn)
                .expect("read blackouts");
            // Every landing keeps the open days of its range, inside the range.
            let landings = all_landings(conn);
            let outside = landings
                .iter()
                .filter(|l| {
                    l.days()
                        .iter()
                        .any(|day| *day < l.start_date || *day > l.end_date)
                })
                .count();
            let short = landings
                .iter()
                .filter(|l| l.days().len() as i32 != l.open_days)
                .count();
            (held, ledger, offers, blackouts, outside, short)
        })
        .await;
    let (held, ledger, offers, blackouts, outside, short) = check;

    assert!(!ledger.is_empty(), "approved landings hold places");
    assert_eq!(
        ledger, held,
        "every (offer, day) of the ledger books exactly the visitors of the approved and completed landings holding it"
    );
    for ((offer, day), booked) in &ledger {
        let (capacity, opening) = &offers[offer];
        assert!(
            booked <= capacity,
            "{offer} holds {booked} on {day}, above its capacity {capacity}"
        );
        let closed: Vec<(NaiveDate, NaiveDate)> = blackouts
            .iter()
            .filter(|(o, _, _)| o == offer)
            .map(|(_, s, e)| (*s, *e))
            .collect();
        assert!(
            is_open(opening, &closed, *day),
            "{offer} holds places on {day}, a closed day"
        );
    }
    assert_eq!(outside, 0, "a landing's days lie inside its range");
    assert_eq!(short, 0, "a landing keeps each of its open days");

    // The service answers over the generated data: a searched offer has the room asked for.
    let page = app
        .get_ok("/api/v1/offers?from=2027-03-01&to=2027-03-05&headcount=2&limit=100")
        .await;
    let items = page["items"].as_array().expect("items");
    assert!(!items.is_empty());
    for item in items {
        let days = app
            .get_ok(&format!(
                "/api/v1/offers/{}/availability?from=2027-03-01&to=2027-03-05",
                item["id"].as_str().unwrap()
            ))
            .await;
        for day in days.as_array().unwrap() {
            assert!(
                day["open"] == false || day["remaining"].as_i64().unwrap() >= 2,
                "{day}"
            );
        }
    }

    // Every row the summary counts is in its table.
    let counted = app.with_conn(table_counts).await;
    assert_eq!(
        counted,
        TableCounts {
            clusters: 40,
            // An admin, a manager per cluster and a member per SME.
            users: 1 + 40 + 40 * 25,
            smes: 40 * 25,
            // Every pair of clusters, with a trail of at least the proposal each.
            partnerships: 40 * 39 / 2,
            partnership_events: counted.partnership_events.max(40 * 39 / 2),
            offers: (summary.published_offers + summary.other_offers) as i64,
            blackouts: summary.blackouts as i64,
            landings: 200,
            landing_events: summary.events as i64,
            ledger: summary.ledger_rows as i64,
        }
    );
    assert_eq!(
        (
            summary.clusters,
            summary.users,
            summary.smes,
            summary.partnerships
        ),
        (40, 1 + 40 + 40 * 25, 40 * 25, 40 * 39 / 2),
        "the summary counts what was written"
    );
    assert!(summary.events > 0, "some landings keep their audit trail");

    // The accounts log in with the generated password.
    for email in [
        "coordinator@bench.example",
        "manager00@clusters.bench.example",
        "sme00000@smes.bench.example",
    ] {
        let response = app
            .client
            .post(format!("{}/api/v1/auth/token", app.address))
            .form(&[
                ("grant_type", "password"),
                ("username", email),
                ("password", softlanding_bench_data::BENCH_PASSWORD),
            ])
            .send()
            .await
            .expect("the service answers");
        assert_eq!(response.status().as_u16(), 200, "{email} logs in");
    }

    // Once is enough: a database with data is refused, and left as it was.
    let again = generated(&app, SMALL)
        .await
        .expect_err("a second run is refused");
    assert!(again.contains("already holds data"), "{again}");
    let landings_now: i64 = app
        .with_conn(|conn| landings::table.count().get_result(conn).unwrap())
        .await;
    assert_eq!(landings_now, 200);
}

#[derive(Debug, PartialEq, Eq)]
struct TableCounts {
    clusters: i64,
    users: i64,
    smes: i64,
    partnerships: i64,
    partnership_events: i64,
    offers: i64,
    blackouts: i64,
    landings: i64,
    landing_events: i64,
    ledger: i64,
}

fn table_counts(conn: &mut DbConnection) -> TableCounts {
    TableCounts {
        clusters: clusters::table.count().get_result(conn).unwrap(),
        users: users::table.count().get_result(conn).unwrap(),
        smes: smes::table.count().get_result(conn).unwrap(),
        partnerships: partnerships::table.count().get_result(conn).unwrap(),
        partnership_events: partnership_events::table.count().get_result(conn).unwrap(),
        offers: offers::table.count().get_result(conn).unwrap(),
        blackouts: offer_blackouts::table.count().get_result(conn).unwrap(),
        landings: landings::table.count().get_result(conn).unwrap(),
        landing_events: landing_events::table.count().get_result(conn).unwrap(),
        ledger: offer_day_bookings::table.count().get_result(conn).unwrap(),
    }
}

#[tokio::test]
async fn the_same_seed_generates_the_same_rows() {
    let (first, second) = (Service::start(), Service::start());
    generated(&first, SMALL).await.expect("fills");
    generated(&second, SMALL).await.expect("fills");

    let (a, b) = (landing_rows(&first).await, landing_rows(&second).await);
    assert_eq!(a.len(), 200);
    assert_eq!(a, b);
}

async fn landing_rows(app: &Service) -> Vec<(String, String, NaiveDate, String)> {
    app.with_conn(|conn| {
        landings::table
            .order(landings::id.asc())
            .select((
                landings::id,
                landings::offer_id,
                landings::start_date,
                landings::state,
            ))
            .load(conn)
            .expect("read landings")
    })
    .await
}

/// Runs the `gen-data` binary against `database`, with `extra` variables on top.
fn gen_data(database: &FreshDatabase, extra: &[(&str, &str)], args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_gen-data"))
        .args(args)
        .env("SOFTLANDING_CONFIG_DIR", config_dir())
        .envs(settings_env(database))
        .envs(extra.iter().copied())
        .output()
        .expect("gen-data runs")
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

#[test]
fn the_binary_migrates_an_empty_database_fills_it_and_reports() {
    let database = FreshDatabase::create();
    let args = ["--offers", "5", "--landings", "50", "--seed", "3"];

    let run = gen_data(&database, &[], &args);

    let (stdout, stderr) = (text(&run.stdout), text(&run.stderr));
    assert!(run.status.success(), "{stdout}\n{stderr}");
    assert!(
        stdout.starts_with("Generated with seed 3: 40 clusters, 780 partnerships"),
        "{stdout}"
    );
    assert!(stdout.contains("  5 published offers (and "), "{stdout}");
    assert!(stdout.contains("  50 landings: "), "{stdout}");
    assert!(
        stdout.contains("the admin is coordinator@bench.example"),
        "{stdout}"
    );

    // A second run finds the data and changes nothing.
    let again = gen_data(&database, &[], &args);
    let stderr = text(&again.stderr);
    assert!(!again.status.success());
    assert!(
        stderr.starts_with("gen-data: the database already holds data (40 clusters, 1041 accounts, 5 offers, 50 landings)"),
        "{stderr}"
    );
}

#[test]
fn the_binary_refuses_production_and_a_network_without_offers() {
    let database = FreshDatabase::create();

    let production = gen_data(
        &database,
        &[
            ("SOFTLANDING__ENVIRONMENT", "production"),
            (
                "SOFTLANDING__AUTH__JWT_SECRET",
                "gen-data-test-secret-0123456789abcdef0123456789",
            ),
            ("SOFTLANDING__MAIL__TRANSPORT", "smtp"),
        ],
        &["--offers", "5", "--landings", "50"],
    );
    let stderr = text(&production.stderr);
    assert!(!production.status.success());
    assert!(stderr.contains("it does not run in production"), "{stderr}");

    let no_offers = gen_data(&database, &[], &["--offers", "0", "--landings", "50"]);
    let stderr = text(&no_offers.stderr);
    assert!(!no_offers.status.success());
    assert!(stderr.contains("--offers must be at least 1"), "{stderr}");
}
