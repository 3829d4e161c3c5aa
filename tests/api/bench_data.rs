//! `gen-data`: the generated network holds its places exactly as approvals would, never above
//! an offer's capacity, and the service answers over it.

use std::collections::HashMap;

use chrono::NaiveDate;
use diesel::prelude::*;
use softlanding::bench_data::{Summary, Volumes, generate};
use softlanding::db::DbConnection;
use softlanding::db::landings::LandingRow;
use softlanding::db::schema::{landings, offer_blackouts, offer_day_bookings, offers};
use softlanding::domain::calendar::{Opening, is_open};
use softlanding::domain::offer::Weekdays;

use crate::helpers::{TestApp, spawn_app};

const SMALL: Volumes = Volumes {
    offers: 20,
    landings: 200,
    seed: 7,
};

async fn generated(app: &TestApp, volumes: Volumes) -> Result<Summary, String> {
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
    let app = spawn_app().await;

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
        .get(
            "/api/v1/offers?from=2027-03-01&to=2027-03-05&headcount=2&limit=100",
            None,
        )
        .await
        .expect(200);
    let items = page["items"].as_array().expect("items");
    assert!(!items.is_empty());
    for item in items {
        let days = app
            .get(
                &format!(
                    "/api/v1/offers/{}/availability?from=2027-03-01&to=2027-03-05",
                    item["id"].as_str().unwrap()
                ),
                None,
            )
            .await
            .expect(200);
        for day in days.as_array().unwrap() {
            assert!(
                day["open"] == false || day["remaining"].as_i64().unwrap() >= 2,
                "{day}"
            );
        }
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

#[tokio::test]
async fn the_same_seed_generates_the_same_rows() {
    let (first, second) = (spawn_app().await, spawn_app().await);
    generated(&first, SMALL).await.expect("fills");
    generated(&second, SMALL).await.expect("fills");

    let (a, b) = (landing_rows(&first).await, landing_rows(&second).await);
    assert_eq!(a.len(), 200);
    assert_eq!(a, b);
}

async fn landing_rows(app: &TestApp) -> Vec<(String, String, NaiveDate, String)> {
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
