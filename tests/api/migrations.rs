//! Every migration's `down.sql` reverts its `up.sql`, on the backend under test.

use diesel::RunQueryDsl;
use diesel::sql_types::Text;
use diesel_migrations::MigrationHarness;
use softlanding::config::DatabaseSettings;
use softlanding::db::{Db, DbConnection, migrations};

use crate::helpers::TestDatabase;

#[derive(diesel::QueryableByName, Debug, PartialEq, Eq, PartialOrd, Ord, Clone)]
struct Line {
    #[diesel(sql_type = Text)]
    line: String,
}

/// A textual picture of the schema: tables, columns, indexes and constraints.
fn snapshot(conn: &mut DbConnection) -> Vec<String> {
    let query = match conn {
        DbConnection::Sqlite(_) => {
            "SELECT type || ' ' || name || ' ' || COALESCE(sql, '') AS line FROM sqlite_master
             WHERE name NOT LIKE 'sqlite_%' AND name <> '__diesel_schema_migrations'"
        }
        DbConnection::Postgres(_) => {
            "SELECT 'column ' || table_name || '.' || column_name || ' ' || data_type || ' ' || is_nullable || ' ' || COALESCE(column_default, '') AS line
               FROM information_schema.columns
              WHERE table_schema = 'public' AND table_name <> '__diesel_schema_migrations'
             UNION ALL
             SELECT 'index ' || indexname || ' ' || indexdef FROM pg_indexes
              WHERE schemaname = 'public' AND tablename <> '__diesel_schema_migrations'
             UNION ALL
             SELECT 'constraint ' || conname || ' ' || pg_get_constraintdef(oid) FROM pg_constraint
              WHERE connamespace = 'public'::regnamespace
             UNION ALL
             SELECT 'type ' || typname FROM pg_type
              WHERE typnamespace = 'public'::regnamespace AND typtype IN ('e', 'd')
             UNION ALL
             SELECT 'extension ' || extname FROM pg_extension WHERE extname <> 'plpgsql'
             UNION ALL
             SELECT 'function ' || proname FROM pg_proc WHERE pronamespace = 'public'::regnamespace"
        }
    };
    let mut lines: Vec<String> = diesel::sql_query(query)
        .load::<Line>(conn)
        .expect("read the schema")
        .into_iter()
        .map(|l| l.line)
        .filter(|l| !l.contains("__diesel_schema_migrations"))
        .collect();
    lines.sort();
    lines
}

fn step(conn: &mut DbConnection, forward: bool) -> Option<String> {
    let result = match (conn, forward) {
        (DbConnection::Sqlite(c), true) => c
            .run_next_migration(migrations::SQLITE)
            .map(|v| v.to_string()),
        (DbConnection::Sqlite(c), false) => c
            .revert_last_migration(migrations::SQLITE)
            .map(|v| v.to_string()),
        (DbConnection::Postgres(c), true) => c
            .run_next_migration(migrations::POSTGRES)
            .map(|v| v.to_string()),
        (DbConnection::Postgres(c), false) => c
            .revert_last_migration(migrations::POSTGRES)
            .map(|v| v.to_string()),
    };
    result.ok()
}

#[tokio::test]
async fn every_down_migration_reverts_its_up() {
    let database = TestDatabase::create();
    let settings = DatabaseSettings {
        url: database.url().into(),
        pool_size: Some(1),
        acquire_timeout_secs: 5,
    };
    let db = Db::connect(&settings).expect("connect");
    let mut conn = db.get().unwrap();
    let mut applied = 0;
    loop {
        let before = snapshot(&mut conn);
        let Some(version) = step(&mut conn, true) else {
            break;
        };
        let after = snapshot(&mut conn);
        assert_ne!(before, after, "migration {version} changes the schema");
        step(&mut conn, false).expect("revert");
        assert_eq!(
            snapshot(&mut conn),
            before,
            "down.sql of {version} restores the schema before it"
        );
        step(&mut conn, true).expect("re-apply after revert");
        assert_eq!(
            snapshot(&mut conn),
            after,
            "{version} applies again after its down"
        );
        applied += 1;
    }
    assert!(applied >= 1);
    assert!(!migrations::has_pending(&mut conn).unwrap());
}

/// `000009` moved the days an approved landing holds from `landing_days` onto the landing; both
/// directions carry them, and cancelling after the round trip gives back exactly those days.
#[tokio::test]
async fn the_held_days_survive_the_approval_path_migration_both_ways() {
    use chrono::NaiveDate;
    use diesel::prelude::*;
    use serde_json::json;
    use softlanding::db::landings::LandingRow;
    use softlanding::db::schema::landings;

    use crate::helpers::spawn_app;
    use crate::landings::{day, landings as fixture};

    let app = spawn_app().await;
    let l = fixture(&app).await;
    let landing = l.submit(&app, &l.request(5, 3, 2)).await;
    let id = landing["id"].as_str().unwrap().to_owned();
    l.act(&app, &id, "approve", &l.net.manager_a, json!({}))
        .await
        .expect(200);
    let expected: Vec<NaiveDate> = (5..=7).map(|n| day(l.today, n).parse().unwrap()).collect();

    let landing_id = id.clone();
    let (held_below, days_after) = app
        .with_conn(move |conn| {
            // Revert what came after 000009, then 000009 itself.
            let mut later = 0;
            let version = loop {
                let version = step(conn, false).expect("revert the last migration");
                if version.contains("000009") {
                    break version;
                }
                later += 1;
            };
            assert!(version.contains("000009"), "reverted {version}");
            let held: Vec<NaiveDate> = diesel::sql_query(
                "SELECT CAST(day AS TEXT) AS line FROM landing_days WHERE landing_id = '"
                    .to_owned()
                    + &landing_id
                    + "' ORDER BY day",
            )
            .load::<Line>(conn)
            .expect("read landing_days")
            .into_iter()
            .map(|l| l.line.parse().expect("a date"))
            .collect();
            for _ in 0..=later {
                step(conn, true).expect("apply it again");
            }
            let row: LandingRow = landings::table
                .find(&landing_id)
                .select(LandingRow::as_select())
                .first(conn)
                .expect("the landing");
            (held, row.days())
        })
        .await;
    assert_eq!(held_below, expected, "down.sql restores landing_days");
    assert_eq!(days_after, expected, "up.sql moves them onto the landing");

    assert_eq!(l.booked(&app, &l.offer, 5, 7).await, vec![2, 2, 2]);
    l.act(
        &app,
        &id,
        "cancel",
        &l.member_b,
        json!({"reason": "Changed plans"}),
    )
    .await
    .expect(200);
    assert_eq!(l.booked(&app, &l.offer, 4, 8).await, vec![0, 0, 0, 0, 0]);
}
