//! `softlanding seed-demo`: a small, realistic network on an empty database, and how to log in.
//! It refuses a database that holds data, and refuses to run in production.

use diesel::prelude::*;

use crate::auth::password;
use crate::config::{Environment, Settings};
use crate::db::accounts::{self, NewUser};
use crate::db::audit::{self, Actor, Entry, Trail};
use crate::db::clusters::{self, ClusterFields};
use crate::db::partnerships;
use crate::db::schema::{clusters as clusters_table, smes as smes_table, users};
use crate::db::{DbConnection, new_id, now, write_transaction};
use crate::domain::account::Role;
use crate::domain::offer::OfferKind;
use crate::domain::partnership::{PartnershipState, Terms};
use crate::startup::prepare_database;

/// The password of every demo account.
pub const DEMO_PASSWORD: &str = "softlanding-demo";

struct DemoCluster {
    name: &'static str,
    country: &'static str,
    city: &'static str,
    timezone: &'static str,
    domain: &'static str,
    sectors: &'static [&'static str],
    description: &'static str,
}

const CLUSTERS: [DemoCluster; 4] = [
    DemoCluster {
        name: "CyberForum",
        country: "DE",
        city: "Karlsruhe",
        timezone: "Europe/Berlin",
        domain: "cyberforum.demo",
        sectors: &["software", "ai", "cybersecurity"],
        description: "The IT network of the Karlsruhe technology region.",
    },
    DemoCluster {
        name: "Kista Science City",
        country: "SE",
        city: "Stockholm",
        timezone: "Europe/Stockholm",
        domain: "kista.demo",
        sectors: &["telecom", "software", "iot"],
        description: "Stockholm's ICT hub in Kista.",
    },
    DemoCluster {
        name: "Cork IT Cluster",
        country: "IE",
        city: "Cork",
        timezone: "Europe/Dublin",
        domain: "corkit.demo",
        sectors: &["fintech", "software"],
        description: "The technology companies of Cork and the south of Ireland.",
    },
    DemoCluster {
        name: "Montreal Tech Cluster",
        country: "CA",
        city: "Montreal",
        timezone: "America/Toronto",
        domain: "mtltech.demo",
        sectors: &["ai", "gaming"],
        description: "Artificial intelligence and games in Montreal.",
    },
];

/// Who can log in once the demo is seeded.
pub struct Seeded {
    pub logins: Vec<(String, String)>,
}

pub fn seed_demo(settings: &Settings) -> anyhow::Result<()> {
    if settings.environment == Environment::Production {
        anyhow::bail!(
            "seed-demo fills a database with demo accounts; it does not run in production"
        );
    }
    let db = prepare_database(settings)?;
    let mut conn = db.get()?;
    let seeded = seed(&mut conn)?;
    println!(
        "Seeded a demo network: 4 clusters, 3 active partnerships and a proposal, 2 verified SMEs."
    );
    println!("Every demo account's password is `{DEMO_PASSWORD}`. Log in with, for example:");
    println!(
        "  curl -s {}/api/v1/auth/token -d grant_type=password -d username={} -d password={DEMO_PASSWORD}",
        settings.server.public_url.trim_end_matches('/'),
        seeded.logins[0].1
    );
    println!("Accounts:");
    for (what, email) in &seeded.logins {
        println!("  {email:<32} {what}");
    }
    Ok(())
}

/// Writes the demo network in one transaction; refuses a database that holds data.
pub fn seed(conn: &mut DbConnection) -> anyhow::Result<Seeded> {
    write_transaction(conn, |conn| {
        let existing: i64 = clusters_table::table.count().get_result(conn)?;
        let people: i64 = users::table.count().get_result(conn)?;
        if existing > 0 || people > 0 {
            anyhow::bail!(
                "the database already holds data ({existing} clusters, {people} accounts); seed-demo only fills an empty one"
            );
        }
        let hash = password::hash(DEMO_PASSWORD).map_err(|e| anyhow::anyhow!("{e}"))?;
        let mut logins = vec![(
            "admin (the network's coordinator)".to_owned(),
            "coordinator@softlanding.demo".to_owned(),
        )];
        add_user(
            conn,
            "coordinator@softlanding.demo",
            "Network Coordinator",
            Role::Admin,
            None,
            &hash,
        )?;

        let mut ids = Vec::new();
        let mut managers = Vec::new();
        for c in &CLUSTERS {
            let row = clusters::insert(
                conn,
                &ClusterFields {
                    name: c.name.to_owned(),
                    country: c.country.to_owned(),
                    city: c.city.to_owned(),
                    timezone: c.timezone.to_owned(),
                    contact_email: format!("hello@{}", c.domain),
                    website: Some(format!("https://www.{}/", c.domain)),
                    description: Some(c.description.to_owned()),
                    sectors: c.sectors.iter().map(|s| (*s).to_owned()).collect(),
                },
            )?;
            let email = format!("manager@{}", c.domain);
            let manager = add_user(
                conn,
                &email,
                &format!("{} manager", c.name),
                Role::ClusterManager,
                Some(&row.id),
                &hash,
            )?;
            logins.push((format!("cluster manager of {}", c.name), email));
            managers.push(manager);
            ids.push(row.id);
        }

        // Karlsruhe–Stockholm and Karlsruhe–Cork are active; Stockholm–Montreal needs the
        // home cluster's endorsement; Cork–Montreal is still a proposal.
        let pairs = [
            (0, 1, 5, false, true),
            (0, 2, 5, false, true),
            (1, 3, 10, true, true),
            (2, 3, 5, false, false),
        ];
        for (a, b, days, endorsement, accept) in pairs {
            let terms = Terms {
                max_free_days: days,
                services: OfferKind::ALL.to_vec(),
                home_endorsement_required: endorsement,
                notes: Some("Business Roaming Agreement, demo terms".to_owned()),
            };
            let row = partnerships::insert(conn, &ids[a], &ids[b], &terms)?;
            let proposer = Actor {
                id: &managers[a],
                kind: "user",
            };
            audit::record(
                conn,
                Trail::Partnership(&row.id),
                &Entry {
                    actor: proposer,
                    action: "propose",
                    from: None,
                    to: PartnershipState::Proposed.as_str(),
                    note: None,
                },
            )?;
            if accept {
                partnerships::set_state(
                    conn,
                    &row.id,
                    PartnershipState::Proposed,
                    PartnershipState::Active,
                )?;
                let partner = Actor {
                    id: &managers[b],
                    kind: "user",
                };
                audit::record(
                    conn,
                    Trail::Partnership(&row.id),
                    &Entry {
                        actor: partner,
                        action: "accept",
                        from: Some(PartnershipState::Proposed.as_str()),
                        to: PartnershipState::Active.as_str(),
                        note: None,
                    },
                )?;
            }
        }
        // A few published offers, open through next year.
        let today = chrono::Utc::now().date_naive();
        let from = today;
        let until = today + chrono::Duration::days(365);
        let offers = [
            (
                0,
                OfferKind::DeskSpace,
                "Hot desk at the CyberForum hub",
                "Karlsruhe",
                4,
                &["en", "de"][..],
            ),
            (
                0,
                OfferKind::Introductions,
                "Introductions to Karlsruhe's IT companies",
                "Karlsruhe",
                2,
                &["en", "de"][..],
            ),
            (
                1,
                OfferKind::DeskSpace,
                "Desk in Kista's innovation house",
                "Stockholm",
                3,
                &["en", "sv"][..],
            ),
            (
                1,
                OfferKind::MarketBriefing,
                "Nordic telecom market briefing",
                "Stockholm",
                6,
                &["en"][..],
            ),
            (
                2,
                OfferKind::EventAccess,
                "Access to Cork's fintech meetups",
                "Cork",
                10,
                &["en"][..],
            ),
        ];
        for (cluster, kind, title, city, capacity, languages) in offers {
            let row = crate::db::offers::insert(
                conn,
                &ids[cluster],
                &crate::db::offers::OfferFields {
                    kind,
                    title: title.to_owned(),
                    description: format!("{title}, for visiting SMEs of our partner clusters."),
                    city: city.to_owned(),
                    address: None,
                    capacity,
                    available_from: from,
                    available_until: until,
                    max_stay_days: 5,
                    open_weekdays: crate::domain::offer::Weekdays::WORKING_DAYS,
                    languages: languages.iter().map(|l| (*l).to_owned()).collect(),
                    sectors: CLUSTERS[cluster]
                        .sectors
                        .iter()
                        .map(|s| (*s).to_owned())
                        .collect(),
                },
            )?;
            crate::db::offers::set_state(
                conn,
                &row.id,
                crate::domain::offer::OfferState::Draft,
                crate::domain::offer::OfferState::Published,
            )?;
        }

        // Two verified member SMEs: one in Karlsruhe, one in Stockholm.
        let smes = [
            (
                0,
                "Acme Robotics GmbH",
                "DE",
                "ai",
                "founder@acme-robotics.demo",
                "Anna Becker",
                r#"["SE","IE"]"#,
            ),
            (
                1,
                "Nordic Sensors AB",
                "SE",
                "iot",
                "ceo@nordicsensors.demo",
                "Erik Lund",
                r#"["DE","CA"]"#,
            ),
        ];
        for (cluster, name, country, sector, email, contact, markets) in smes {
            let sme_id = new_id();
            let at = now();
            diesel::insert_into(smes_table::table)
                .values((
                    smes_table::id.eq(&sme_id),
                    smes_table::name.eq(name),
                    smes_table::country.eq(country),
                    smes_table::sector.eq(sector),
                    smes_table::employees.eq(Some(25)),
                    smes_table::home_cluster_id.eq(&ids[cluster]),
                    smes_table::membership.eq("verified"),
                    smes_table::contact_name.eq(contact),
                    smes_table::contact_email.eq(email),
                    smes_table::target_markets.eq(markets),
                    smes_table::version.eq(1),
                    smes_table::created_at.eq(at),
                    smes_table::updated_at.eq(at),
                ))
                .execute(conn)?;
            accounts::insert_user(
                conn,
                &NewUser {
                    id: &new_id(),
                    email,
                    name: contact,
                    password_hash: Some(&hash),
                    role: Role::SmeMember,
                    cluster_id: None,
                    sme_id: Some(&sme_id),
                    disabled: false,
                    email_confirmed_at: Some(at),
                    locale: None,
                    created_at: at,
                    updated_at: at,
                },
            )?;
            logins.push((format!("member of {name} (verified)"), email.to_owned()));
        }
        Ok(Seeded { logins })
    })
}

fn add_user(
    conn: &mut DbConnection,
    email: &str,
    name: &str,
    role: Role,
    cluster_id: Option<&str>,
    hash: &str,
) -> anyhow::Result<String> {
    let id = new_id();
    let at = now();
    accounts::insert_user(
        conn,
        &NewUser {
            id: &id,
            email,
            name,
            password_hash: Some(hash),
            role,
            cluster_id,
            sme_id: None,
            disabled: false,
            email_confirmed_at: Some(at),
            locale: None,
            created_at: at,
            updated_at: at,
        },
    )?;
    Ok(id)
}
