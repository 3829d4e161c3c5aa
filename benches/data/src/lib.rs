//! The benchmark data generator: a network at benchmark volume on an empty database, for the
//! search benchmark (`benches/search.sh`) and for trying the service with realistic amounts of
//! data. The `gen-data` binary of this crate runs it against the service's database.
//!
//! Forty clusters in twenty-one countries (twenty-one time zones, from Toronto to Athens),
//! active partnerships between most pairs, verified member SMEs, the requested number of
//! published offers (windows covering 2027, Monday to Friday, capacity 2–20) and of landings in
//! mixed states. Rows go in through the service's own insert forms (`NewCluster`, `NewOffer`,
//! `NewLandingRow`, ... of `softlanding::db`), inside one transaction, so a failed run leaves the
//! database as empty as it found it. Offers, landings, their trails and the ledger go in
//! bulk: `COPY` on PostgreSQL (a million landings take about two minutes on two cores, most of
//! it the database checking foreign keys and updating indexes), multi-row `INSERT`s on SQLite.
//! The accounts and SMEs, about a thousand of each, go in one by one: their forms write `None`
//! as the column's default, which `COPY` cannot take.
//!
//! Every landing keeps the open days of its range (`landings.days`); approved and completed ones
//! hold them in the per-day ledger `offer_day_bookings`, exactly as approvals do, and never above an offer's capacity: a
//! landing that does not fit moves to other days of the same offer, or ends rejected as fully
//! booked. The data describes the network as of [`AS_OF`]: landings that started before it are
//! history (completed, cancelled, rejected, withdrawn, expired), later ones are upcoming. The
//! same seed gives the same rows, ids included.
//!
//! The generator refuses a database that holds data (and the binary refuses to run in
//! production). It does not write the outbox: the emails these landings would have caused are
//! not part of the load.

use std::time::Instant;

use chrono::{Datelike, Days, NaiveDate, NaiveDateTime, NaiveTime, TimeDelta, Weekday};
use diesel::prelude::*;
use rand::distr::Distribution;
use rand::distr::weighted::WeightedIndex;
use rand::rngs::StdRng;
use rand::seq::{IndexedRandom, SliceRandom};
use rand::{Rng, SeedableRng};

use softlanding::auth::password;
use softlanding::db::accounts::{NewUser, insert_user};
use softlanding::db::audit::{NewLandingEvent, NewPartnershipEvent};
use softlanding::db::clusters::NewCluster;
use softlanding::db::landings::{NewLandingRow, days_text};
use softlanding::db::ledger::NewOfferDayBooking;
use softlanding::db::offers::{NewBlackout, NewOffer};
use softlanding::db::partnerships::NewPartnership;
use softlanding::db::schema::{
    clusters, landing_events, landings, offer_blackouts, offer_day_bookings, offers,
    partnership_events, partnerships, smes, users,
};
use softlanding::db::smes::NewSme;
use softlanding::db::{DbConnection, write_transaction};
use softlanding::domain::account::Role;
use softlanding::domain::ids::{BlackoutId, ClusterId, LandingId, OfferId, PartnershipId, SmeId};
use softlanding::domain::landing::LandingState;
use softlanding::domain::offer::{OfferKind, OfferState, Weekdays};
use softlanding::domain::partnership::{PartnershipState, pair_key};

/// The password of every generated account.
pub const BENCH_PASSWORD: &str = "softlanding-bench";

/// The day the generated network is seen from: earlier landings are history.
pub const AS_OF: NaiveDate = date(2026, 11, 25);
/// The first day of any offer window, and of the booking ledger this generator keeps.
const FIRST_DAY: NaiveDate = date(2026, 9, 1);
/// The last day a generated landing may hold.
const LAST_DAY: NaiveDate = date(2027, 12, 31);
/// SMEs per cluster; one in ten is still pending verification.
const SMES_PER_CLUSTER: usize = 25;
/// Bind parameters per statement: below SQLite's 32,766 and PostgreSQL's 65,535.
const MAX_BINDS: usize = 30_000;
/// Landings generated and written per round.
const LANDINGS_PER_ROUND: usize = 1_000;
/// One landing in this many gets its audit trail written.
const EVENTS_EVERY: usize = 20;

const fn date(y: i32, m: u32, d: u32) -> NaiveDate {
    match NaiveDate::from_ymd_opt(y, m, d) {
        Some(day) => day,
        None => panic!("a constant date is valid"),
    }
}

/// How much to generate.
#[derive(Debug, Clone, Copy)]
pub struct Volumes {
    /// Published offers; one in twenty-five more is a draft, paused or archived.
    pub offers: usize,
    pub landings: usize,
    /// The same seed gives the same data.
    pub seed: u64,
}

/// What was written.
#[derive(Debug, Clone, Default)]
pub struct Summary {
    pub clusters: usize,
    pub partnerships: usize,
    pub active_partnerships: usize,
    pub smes: usize,
    pub users: usize,
    pub published_offers: usize,
    pub other_offers: usize,
    pub blackouts: usize,
    pub landings: usize,
    /// Landings per state, in the order of [`LandingState::ALL`].
    pub by_state: [usize; 10],
    /// Landings that did not fit on the days first drawn and moved to other days.
    pub moved: usize,
    /// Landings rejected because no days drawn had room for them.
    pub fully_booked: usize,
    pub held_days: usize,
    pub ledger_rows: usize,
    pub events: usize,
}

/// Refreshes the planner's statistics after the bulk load, as autovacuum would in time; on
/// PostgreSQL the vacuum also marks the new pages all-visible, so index-only scans work at once.
pub fn analyse(conn: &mut DbConnection) -> QueryResult<()> {
    match conn {
        DbConnection::Postgres(c) => diesel::sql_query("VACUUM (ANALYZE)").execute(c)?,
        DbConnection::Sqlite(c) => diesel::sql_query("ANALYZE").execute(c)?,
    };
    Ok(())
}

/// Writes the whole network in one transaction; refuses a database that holds data.
pub fn generate(
    conn: &mut DbConnection,
    volumes: Volumes,
    progress: &mut dyn FnMut(&str),
) -> anyhow::Result<Summary> {
    let hash = password::hash(BENCH_PASSWORD).map_err(|e| anyhow::anyhow!("{e}"))?;
    write_transaction(conn, |conn| {
        refuse_data(conn)?;
        let mut g = Generator::new(volumes, hash);
        g.network(conn)?;
        g.offers(conn)?;
        g.landings(conn, progress)?;
        g.ledger(conn)?;
        Ok(g.summary)
    })
}

fn refuse_data(conn: &mut DbConnection) -> anyhow::Result<()> {
    let counts = [
        ("clusters", clusters::table.count().get_result::<i64>(conn)?),
        ("accounts", users::table.count().get_result::<i64>(conn)?),
        ("offers", offers::table.count().get_result::<i64>(conn)?),
        ("landings", landings::table.count().get_result::<i64>(conn)?),
    ];
    if counts.iter().any(|(_, n)| *n > 0) {
        let held: Vec<String> = counts.iter().map(|(t, n)| format!("{n} {t}")).collect();
        anyhow::bail!(
            "the database already holds data ({}); gen-data only fills an empty one",
            held.join(", ")
        );
    }
    Ok(())
}

/// Writes `rows` in bulk: on PostgreSQL as one `COPY ... FROM STDIN` (binary), on SQLite as
/// multi-row `INSERT`s of as many rows as the bind limit allows. The connection enum takes
/// neither, each backend's connection does.
macro_rules! insert_rows {
    ($conn:expr, $table:expr, $rows:expr, $columns:expr) => {{
        match &mut *$conn {
            DbConnection::Postgres(c) => diesel::copy_from($table)
                .from_insertable($rows.as_slice())
                .execute(c)?,
            DbConnection::Sqlite(c) => {
                let mut written = 0usize;
                for chunk in $rows.chunks(MAX_BINDS / $columns) {
                    written += diesel::insert_into($table).values(chunk).execute(c)?;
                }
                written
            }
        }
    }};
}

struct Place {
    city: &'static str,
    country: &'static str,
    country_name: &'static str,
    timezone: &'static str,
    language: &'static str,
    nearby: &'static [&'static str],
}

const fn place(
    city: &'static str,
    country: &'static str,
    country_name: &'static str,
    timezone: &'static str,
    language: &'static str,
    nearby: &'static [&'static str],
) -> Place {
    Place {
        city,
        country,
        country_name,
        timezone,
        language,
        nearby,
    }
}

/// Where the forty clusters are: city, country, its name, time zone, local language, nearby
/// cities some offers are in.
#[rustfmt::skip]
const PLACES: [Place; 40] = [
    place("Karlsruhe", "DE", "Germany", "Europe/Berlin", "de", &["Pforzheim", "Baden-Baden"]),
    place("Munich", "DE", "Germany", "Europe/Berlin", "de", &["Garching", "Augsburg"]),
    place("Berlin", "DE", "Germany", "Europe/Berlin", "de", &["Potsdam"]),
    place("Hamburg", "DE", "Germany", "Europe/Berlin", "de", &["Lübeck"]),
    place("Dresden", "DE", "Germany", "Europe/Berlin", "de", &["Leipzig"]),
    place("Paris", "FR", "France", "Europe/Paris", "fr", &["Saclay", "Versailles"]),
    place("Lyon", "FR", "France", "Europe/Paris", "fr", &["Villeurbanne"]),
    place("Toulouse", "FR", "France", "Europe/Paris", "fr", &["Blagnac"]),
    place("Grenoble", "FR", "France", "Europe/Paris", "fr", &["Meylan"]),
    place("Barcelona", "ES", "Spain", "Europe/Madrid", "es", &["Sabadell", "Terrassa"]),
    place("Madrid", "ES", "Spain", "Europe/Madrid", "es", &["Alcobendas"]),
    place("Bilbao", "ES", "Spain", "Europe/Madrid", "es", &["Donostia"]),
    place("Valencia", "ES", "Spain", "Europe/Madrid", "es", &["Paterna"]),
    place("Milan", "IT", "Italy", "Europe/Rome", "it", &["Monza", "Bergamo"]),
    place("Turin", "IT", "Italy", "Europe/Rome", "it", &["Ivrea"]),
    place("Rome", "IT", "Italy", "Europe/Rome", "it", &["Frascati"]),
    place("Eindhoven", "NL", "the Netherlands", "Europe/Amsterdam", "nl", &["Helmond"]),
    place("Amsterdam", "NL", "the Netherlands", "Europe/Amsterdam", "nl", &["Haarlem", "Utrecht"]),
    place("Brussels", "BE", "Belgium", "Europe/Brussels", "fr", &["Leuven"]),
    place("Ghent", "BE", "Belgium", "Europe/Brussels", "nl", &["Kortrijk"]),
    place("Stockholm", "SE", "Sweden", "Europe/Stockholm", "sv", &["Kista", "Uppsala"]),
    place("Gothenburg", "SE", "Sweden", "Europe/Stockholm", "sv", &["Borås"]),
    place("Helsinki", "FI", "Finland", "Europe/Helsinki", "fi", &["Espoo"]),
    place("Oulu", "FI", "Finland", "Europe/Helsinki", "fi", &[]),
    place("Cork", "IE", "Ireland", "Europe/Dublin", "en", &["Kinsale"]),
    place("Dublin", "IE", "Ireland", "Europe/Dublin", "en", &["Dún Laoghaire"]),
    place("Lisbon", "PT", "Portugal", "Europe/Lisbon", "pt", &["Oeiras"]),
    place("Porto", "PT", "Portugal", "Europe/Lisbon", "pt", &["Braga"]),
    place("Warsaw", "PL", "Poland", "Europe/Warsaw", "pl", &[]),
    place("Kraków", "PL", "Poland", "Europe/Warsaw", "pl", &["Katowice"]),
    place("Tallinn", "EE", "Estonia", "Europe/Tallinn", "et", &["Tartu"]),
    place("Vienna", "AT", "Austria", "Europe/Vienna", "de", &["Linz"]),
    place("Copenhagen", "DK", "Denmark", "Europe/Copenhagen", "da", &["Lyngby"]),
    place("Prague", "CZ", "Czechia", "Europe/Prague", "cs", &["Brno"]),
    place("Cluj-Napoca", "RO", "Romania", "Europe/Bucharest", "ro", &[]),
    place("Athens", "GR", "Greece", "Europe/Athens", "el", &["Thessaloniki"]),
    place("Montreal", "CA", "Canada", "America/Toronto", "fr", &["Laval"]),
    place("Oslo", "NO", "Norway", "Europe/Oslo", "nb", &["Fornebu"]),
    place("Ljubljana", "SI", "Slovenia", "Europe/Ljubljana", "sl", &[]),
    place("Vilnius", "LT", "Lithuania", "Europe/Vilnius", "lt", &["Kaunas"]),
];

const CLUSTER_NAMES: [&str; 5] = [
    "{city} ICT Cluster",
    "{city} Digital Hub",
    "{city} Tech Network",
    "{city} Software Cluster",
    "Digital {city}",
];

const SECTORS: [&str; 15] = [
    "software",
    "ai",
    "cybersecurity",
    "fintech",
    "iot",
    "telecom",
    "gaming",
    "healthtech",
    "cleantech",
    "mobility",
    "edtech",
    "robotics",
    "semiconductors",
    "agritech",
    "space",
];

const LEGAL_FORMS: [(&str, &str); 21] = [
    ("DE", "GmbH"),
    ("FR", "SAS"),
    ("ES", "SL"),
    ("IT", "Srl"),
    ("NL", "BV"),
    ("BE", "BV"),
    ("SE", "AB"),
    ("FI", "Oy"),
    ("IE", "Ltd"),
    ("PT", "Lda"),
    ("PL", "sp. z o.o."),
    ("EE", "OÜ"),
    ("AT", "GmbH"),
    ("DK", "ApS"),
    ("CZ", "s.r.o."),
    ("RO", "SRL"),
    ("GR", "IKE"),
    ("CA", "Inc."),
    ("NO", "AS"),
    ("SI", "d.o.o."),
    ("LT", "UAB"),
];

const NAME_STARTS: [&str; 20] = [
    "Blue", "Nova", "Quantum", "Bright", "Alpine", "Delta", "Pixel", "Vector", "Orbit", "Lumen",
    "Nordic", "Atlas", "Cobalt", "Helix", "Kite", "Meridian", "Polar", "Sable", "Tidal", "Zephyr",
];

const NAME_ENDS: [&str; 16] = [
    "Labs",
    "Systems",
    "Robotics",
    "Analytics",
    "Works",
    "Data",
    "Software",
    "Logic",
    "Cloud",
    "Signal",
    "Sensors",
    "Networks",
    "Health",
    "Energy",
    "Mobility",
    "Security",
];

const TITLES: [(OfferKind, &[&str]); 6] = [
    (
        OfferKind::DeskSpace,
        &[
            "Hot desk at {cluster}",
            "Coworking desk in central {city}",
            "Desk in the {sector} lab of {cluster}",
            "Flexible desk space in {city}",
            "Startup desk at the {city} innovation house",
        ],
    ),
    (
        OfferKind::Introductions,
        &[
            "Introductions to {city}'s {sector} companies",
            "Meet {sector} buyers and partners in {country}",
            "Warm introductions to {sector} investors in {city}",
            "Matchmaking with {sector} firms in {country}",
        ],
    ),
    (
        OfferKind::MarketBriefing,
        &[
            "Market briefing: {sector} in {country}",
            "Go-to-market briefing for {country}",
            "Regulation and procurement briefing: {sector} in {country}",
            "Half-day briefing on the {city} {sector} ecosystem",
        ],
    ),
    (
        OfferKind::EventAccess,
        &[
            "Access to {city} {sector} meetups",
            "Pass for the {city} {sector} summit",
            "Demo day seats at {cluster}",
            "Tickets to the networking evenings of {cluster}",
        ],
    ),
    (
        OfferKind::MeetingRoom,
        &[
            "Meeting room at {cluster}",
            "Client meeting room in {city}",
            "Workshop room for visiting teams in {city}",
        ],
    ),
    (
        OfferKind::Mentoring,
        &[
            "Mentoring by {sector} founders in {city}",
            "Office hours with the {sector} mentors of {cluster}",
            "Scale-up mentoring for expansion to {country}",
        ],
    ),
];

const SENTENCES: [&str; 12] = [
    "Visiting SMEs of our partner clusters are welcome in {city} for a few working days.",
    "Our community brings together {sector} companies, research labs and investors.",
    "The {cluster} team helps you find customers, partners and talent in {country}.",
    "Included: wifi, coffee, printing and a locker.",
    "Bring your pitch deck: we book meetings with {sector} buyers before you arrive.",
    "Ideal for teams testing the market in {country} or preparing a local office.",
    "Ask for our monthly {sector} breakfast when you plan your visit.",
    "We can arrange translators for meetings with public procurement offices.",
    "Five minutes from the main station, with bike parking and showers.",
    "Our mentors have scaled {sector} start-ups across Europe and North America.",
    "Join the Friday demo session and present your product to local corporates.",
    "Quiet rooms for calls, and a kitchen shared with forty resident companies.",
];

const STREETS: [&str; 8] = [
    "Innovation Street",
    "Harbour Road",
    "Science Park",
    "Station Square",
    "Market Street",
    "Tech Campus",
    "University Avenue",
    "Old Mill Lane",
];

const PURPOSES: [&str; 8] = [
    "Meet {sector} partners in {city} and test whether our product fits the market in {country}.",
    "Prepare a pilot with a customer in {country} and meet local integrators in {city}.",
    "Explore distribution partners for our {sector} platform in {country}.",
    "Recruit engineers and scout a possible second office in {city}.",
    "Present our {sector} solution to corporates and investors we met at a trade fair.",
    "Understand public procurement rules for {sector} in {country} before a tender.",
    "Work next to our first customer in {city} during the roll-out.",
    "Join the local {sector} community and find a reseller for {country}.",
];

/// Landing lengths in open days, and how often each is asked for.
const LENGTHS: [(u32, u32); 7] = [(1, 22), (2, 20), (3, 20), (4, 10), (5, 20), (8, 5), (10, 3)];
/// Group sizes, and how often each comes.
const HEADCOUNTS: [(u8, u32); 6] = [(1, 50), (2, 30), (3, 11), (4, 5), (5, 2), (6, 2)];
/// Outcomes of landings that started before [`AS_OF`].
const HISTORY: [(LandingState, u32); 6] = [
    (LandingState::Completed, 82),
    (LandingState::Cancelled, 5),
    (LandingState::Rejected, 5),
    (LandingState::Withdrawn, 3),
    (LandingState::Expired, 3),
    (LandingState::Declined, 2),
];
/// States of landings that start after [`AS_OF`].
const UPCOMING: [(LandingState, u32); 7] = [
    (LandingState::Approved, 77),
    (LandingState::PendingApproval, 7),
    (LandingState::PendingEndorsement, 3),
    (LandingState::Rejected, 5),
    (LandingState::Cancelled, 4),
    (LandingState::Withdrawn, 3),
    (LandingState::Declined, 1),
];

fn fill(template: &str, city: &str, country: &str, sector: &str, cluster: &str) -> String {
    let sector = match sector {
        "ai" => "AI",
        "iot" => "IoT",
        other => other,
    };
    template
        .replace("{city}", city)
        .replace("{country}", country)
        .replace("{sector}", sector)
        .replace("{cluster}", cluster)
}

fn slug(s: &str) -> String {
    s.chars()
        .filter(char::is_ascii_alphanumeric)
        .map(|c| c.to_ascii_lowercase())
        .collect()
}

fn at(day: NaiveDate, seconds: u32) -> NaiveDateTime {
    day.and_time(NaiveTime::MIN) + TimeDelta::seconds(i64::from(seconds))
}

struct Cluster {
    id: ClusterId,
    name: String,
    place: &'static Place,
    sectors: Vec<&'static str>,
    manager: String,
    created_at: NaiveDateTime,
    /// Verified member SMEs: (SME id, its member's account id, its sector).
    members: Vec<(SmeId, String, &'static str)>,
    /// Active partnerships with this cluster, as indexes into `Generator::partnerships`.
    partners: Vec<usize>,
}

struct Partnership {
    id: PartnershipId,
    a: usize,
    b: usize,
    max_free_days: u32,
    /// Bit `i` set when the terms cover `OfferKind::ALL[i]`.
    services: u8,
    endorsement: bool,
}

/// A published offer, as the landings see it; `booked` is its ledger, one entry per day from
/// [`FIRST_DAY`] to [`LAST_DAY`].
struct Offer {
    id: OfferId,
    cluster: usize,
    kind: usize,
    capacity: u8,
    max_stay: u32,
    created_at: NaiveDateTime,
    /// First and last day a landing may hold, as indexes into `booked`.
    first: usize,
    last: usize,
    /// Blackouts, as inclusive index ranges.
    closed: Vec<(usize, usize)>,
    booked: Vec<u8>,
}

impl Offer {
    fn is_open(&self, index: usize) -> bool {
        index >= self.first
            && index <= self.last
            && !matches!(day_at(index).weekday(), Weekday::Sat | Weekday::Sun)
            && !self.closed.iter().any(|(s, e)| *s <= index && index <= *e)
    }

    fn fits(&self, days: &[usize], headcount: u8) -> bool {
        days.iter()
            .all(|d| self.booked[*d] + headcount <= self.capacity)
    }
}

/// A UUIDv7 for a row created at `at`: time-ordered like the service's own ids, and drawn from
/// the seeded generator so that runs repeat.
fn id_at(rng: &mut StdRng, at: NaiveDateTime) -> String {
    let millis = u64::try_from(at.and_utc().timestamp_millis()).unwrap_or(0);
    let mut bytes = [0u8; 10];
    rng.fill(&mut bytes);
    uuid::Builder::from_unix_timestamp_millis(millis, &bytes)
        .into_uuid()
        .to_string()
}

/// One of `weighted`, each as likely as its weight.
fn pick<T: Copy>(rng: &mut StdRng, weighted: &[(T, u32)]) -> T {
    let total: u32 = weighted.iter().map(|(_, w)| w).sum();
    let mut n = rng.random_range(0..total);
    for (item, w) in weighted {
        if n < *w {
            return *item;
        }
        n -= w;
    }
    weighted[weighted.len() - 1].0
}

fn day_index(day: NaiveDate) -> usize {
    usize::try_from((day - FIRST_DAY).num_days()).unwrap_or(0)
}

fn day_at(index: usize) -> NaiveDate {
    FIRST_DAY + Days::new(index as u64)
}

/// One step of a landing's audit trail: action, from, to, (actor id, actor kind), when.
type Step<'a> = (
    &'static str,
    Option<LandingState>,
    LandingState,
    (&'a str, &'static str),
    NaiveDateTime,
);

/// The sweep's actor in the audit trail.
const SYSTEM: (&str, &str) = ("system", "system");

fn step<'a>(
    trail: &mut Vec<Step<'a>>,
    action: &'static str,
    to: LandingState,
    by: (&'a str, &'static str),
    when: NaiveDateTime,
) {
    let from = trail.last().map(|s| s.2);
    trail.push((action, from, to, by, when));
}

/// One landing as drawn, before it is written.
struct Draft {
    offer: usize,
    partnership: usize,
    home: usize,
    member: usize,
    days: Vec<usize>,
    headcount: u8,
    state: LandingState,
    fully_booked: bool,
}

struct Generator {
    rng: StdRng,
    volumes: Volumes,
    hash: String,
    admin: String,
    clusters: Vec<Cluster>,
    partnerships: Vec<Partnership>,
    offers: Vec<Offer>,
    summary: Summary,
}

impl Generator {
    fn new(volumes: Volumes, hash: String) -> Generator {
        Generator {
            rng: StdRng::seed_from_u64(volumes.seed),
            volumes,
            hash,
            admin: String::new(),
            clusters: Vec::new(),
            partnerships: Vec::new(),
            offers: Vec::new(),
            summary: Summary::default(),
        }
    }

    /// Clusters with their managers, partnerships with their trail, SMEs with their members.
    fn network(&mut self, conn: &mut DbConnection) -> anyhow::Result<()> {
        let start = at(date(2025, 1, 6), 9 * 3600);
        self.admin = id_at(&mut self.rng, start);
        insert_user(
            conn,
            &NewUser {
                id: &self.admin,
                email: "coordinator@bench.example",
                name: "Network Coordinator",
                password_hash: Some(&self.hash),
                role: Role::Admin,
                cluster_id: None,
                sme_id: None,
                disabled: false,
                email_confirmed_at: Some(start),
                locale: None,
                created_at: start,
                updated_at: start,
            },
        )?;
        self.summary.users += 1;

        let mut rows = Vec::new();
        for (i, place) in PLACES.iter().enumerate() {
            let created = start + TimeDelta::hours(2 * i as i64 + 1);
            let id = ClusterId::from_stored(id_at(&mut self.rng, created));
            let name = CLUSTER_NAMES[i % CLUSTER_NAMES.len()].replace("{city}", place.city);
            let domain = format!("{}.bench.example", slug(&name));
            let count = self.rng.random_range(2..=4);
            let mut sectors: Vec<&'static str> = SECTORS
                .choose_multiple(&mut self.rng, count)
                .copied()
                .collect();
            sectors.sort_unstable();
            rows.push(NewCluster {
                id: id.clone(),
                name: name.clone(),
                country: place.country.into(),
                city: place.city.into(),
                timezone: place.timezone.into(),
                contact_email: format!("hello@{domain}"),
                website: Some(format!("https://www.{domain}/")),
                description: Some(format!(
                    "The {} companies of {} and around, in the Business Roaming Agreement.",
                    sectors.join(", "),
                    place.city
                )),
                sectors: serde_json::to_string(&sectors)?,
                version: 1,
                created_at: created,
                updated_at: created,
            });
            let manager = id_at(&mut self.rng, created + TimeDelta::minutes(5));
            self.clusters.push(Cluster {
                id,
                name,
                place,
                sectors,
                manager,
                created_at: created,
                members: Vec::new(),
                partners: Vec::new(),
            });
        }
        self.summary.clusters = insert_rows!(conn, clusters::table, &rows, 12);
        // Each cluster's manager, once the clusters are there to refer to.
        for (i, cluster) in self.clusters.iter().enumerate() {
            let email = format!("manager{i:02}@clusters.bench.example");
            let name = format!("{} manager", cluster.name);
            insert_user(
                conn,
                &NewUser {
                    id: &cluster.manager,
                    email: &email,
                    name: &name,
                    password_hash: Some(&self.hash),
                    role: Role::ClusterManager,
                    cluster_id: Some(cluster.id.as_str()),
                    sme_id: None,
                    disabled: false,
                    email_confirmed_at: Some(cluster.created_at),
                    locale: None,
                    created_at: cluster.created_at,
                    updated_at: cluster.created_at,
                },
            )?;
            self.summary.users += 1;
        }

        // Most pairs have an active agreement; the rest are at every other stage.
        let mut agreements = Vec::new();
        let mut events = Vec::new();
        let proposed_at = at(date(2025, 3, 3), 9 * 3600);
        for a in 0..self.clusters.len() {
            for b in a + 1..self.clusters.len() {
                let (proposer, partner) = if self.rng.random_bool(0.5) {
                    (a, b)
                } else {
                    (b, a)
                };
                let state = pick(
                    &mut self.rng,
                    &[
                        (PartnershipState::Active, 85),
                        (PartnershipState::Proposed, 5),
                        (PartnershipState::Suspended, 4),
                        (PartnershipState::Declined, 3),
                        (PartnershipState::Terminated, 3),
                    ],
                );
                let max_free_days =
                    pick(&mut self.rng, &[(5u32, 50), (10, 30), (15, 10), (20, 10)]);
                let services: u8 = if self.rng.random_bool(0.6) {
                    0b11_1111
                } else {
                    // At least desks and introductions, and some of the rest.
                    0b11 | (self.rng.random::<u8>() & 0b11_1100)
                };
                let endorsement = self.rng.random_bool(0.2);
                let created =
                    proposed_at + TimeDelta::minutes(self.rng.random_range(0..60 * 24 * 300));
                let id = PartnershipId::from_stored(id_at(&mut self.rng, created));
                let kinds: Vec<&str> = OfferKind::ALL
                    .iter()
                    .enumerate()
                    .filter(|(i, _)| services & (1 << i) != 0)
                    .map(|(_, k)| k.as_str())
                    .collect();
                let decided = created + TimeDelta::hours(self.rng.random_range(2..24 * 14));
                let mut trail = vec![("propose", None, PartnershipState::Proposed, proposer)];
                match state {
                    PartnershipState::Proposed => {}
                    PartnershipState::Declined => {
                        trail.push(("decline", Some(PartnershipState::Proposed), state, partner))
                    }
                    _ => trail.push((
                        "accept",
                        Some(PartnershipState::Proposed),
                        PartnershipState::Active,
                        partner,
                    )),
                }
                match state {
                    PartnershipState::Suspended => {
                        trail.push(("suspend", Some(PartnershipState::Active), state, proposer))
                    }
                    PartnershipState::Terminated => {
                        trail.push(("terminate", Some(PartnershipState::Active), state, partner))
                    }
                    _ => {}
                }
                let updated = decided + TimeDelta::days(trail.len() as i64 * 30);
                for (n, (action, from, to, by)) in trail.iter().enumerate() {
                    let when = match n {
                        0 => created,
                        1 => decided,
                        _ => updated,
                    };
                    events.push(NewPartnershipEvent {
                        id: id_at(&mut self.rng, when),
                        partnership_id: id.clone(),
                        actor_id: self.clusters[*by].manager.clone(),
                        actor_kind: "user".into(),
                        action: (*action).into(),
                        from_state: from.map(|s| s.as_str().to_owned()),
                        to_state: to.as_str().into(),
                        note: None,
                        at: when,
                    });
                }
                agreements.push(NewPartnership {
                    id: id.clone(),
                    proposer_cluster_id: self.clusters[proposer].id.clone(),
                    partner_cluster_id: self.clusters[partner].id.clone(),
                    pair_key: pair_key(&self.clusters[proposer].id, &self.clusters[partner].id),
                    state,
                    max_free_days: max_free_days as i32,
                    services: serde_json::to_string(&kinds)?,
                    home_endorsement_required: endorsement,
                    notes: Some("Business Roaming Agreement, standard terms".into()),
                    version: trail.len() as i32,
                    created_at: created,
                    updated_at: if trail.len() > 1 { updated } else { created },
                });
                if state == PartnershipState::Active {
                    let index = self.partnerships.len();
                    self.partnerships.push(Partnership {
                        id,
                        a,
                        b,
                        max_free_days,
                        services,
                        endorsement,
                    });
                    self.clusters[a].partners.push(index);
                    self.clusters[b].partners.push(index);
                }
            }
        }
        self.summary.partnerships = insert_rows!(conn, partnerships::table, &agreements, 12);
        self.summary.active_partnerships = self.partnerships.len();
        insert_rows!(conn, partnership_events::table, &events, 9);

        // Member SMEs; the first of each cluster is verified, so every cluster can send visitors.
        let signed_up = at(date(2025, 6, 2), 10 * 3600);
        for c in 0..self.clusters.len() {
            let place = self.clusters[c].place;
            let form = LEGAL_FORMS
                .iter()
                .find(|(country, _)| *country == place.country)
                .map_or("Ltd", |(_, form)| *form);
            for n in 0..SMES_PER_CLUSTER {
                let number = c * SMES_PER_CLUSTER + n;
                let created =
                    signed_up + TimeDelta::minutes(self.rng.random_range(0..60 * 24 * 400));
                let id = id_at(&mut self.rng, created);
                let name = format!(
                    "{} {} {form}",
                    NAME_STARTS.choose(&mut self.rng).copied().unwrap_or("Nova"),
                    NAME_ENDS.choose(&mut self.rng).copied().unwrap_or("Labs"),
                );
                let sector = if self.rng.random_bool(0.7) {
                    self.clusters[c].sectors.choose(&mut self.rng).copied()
                } else {
                    SECTORS.choose(&mut self.rng).copied()
                }
                .unwrap_or("software");
                let verified = n == 0 || !self.rng.random_bool(0.1);
                let markets: Vec<&str> = PLACES
                    .choose_multiple(&mut self.rng, 2)
                    .map(|p| p.country)
                    .filter(|country| *country != place.country)
                    .collect();
                let email = format!("sme{number:05}@smes.bench.example");
                let contact = format!("Contact {number:05}");
                let member = id_at(&mut self.rng, created);
                let employees = self.rng.random_range(2..250);
                let website = format!("https://sme{number:05}.bench.example/");
                let markets = serde_json::to_string(&markets)?;
                // English and the local language, drawn from no random number, so the rest of
                // the network stays what the seed made it before SMEs had languages.
                let spoken: Vec<&str> = if place.language == "en" {
                    vec!["en"]
                } else {
                    vec![place.language, "en"]
                };
                let spoken = serde_json::to_string(&spoken)?;
                diesel::insert_into(smes::table)
                    .values(&NewSme {
                        id: &id,
                        name: &name,
                        country: place.country,
                        sector,
                        website: Some(&website),
                        employees: Some(employees),
                        home_cluster_id: self.clusters[c].id.as_str(),
                        membership: if verified { "verified" } else { "pending" },
                        contact_name: &contact,
                        contact_email: &email,
                        target_markets: &markets,
                        created_at: created,
                        updated_at: created,
                        version: if verified { 2 } else { 1 },
                        languages: &spoken,
                    })
                    .execute(conn)?;
                self.summary.smes += 1;
                insert_user(
                    conn,
                    &NewUser {
                        id: &member,
                        email: &email,
                        name: &contact,
                        password_hash: Some(&self.hash),
                        role: Role::SmeMember,
                        cluster_id: None,
                        sme_id: Some(&id),
                        disabled: false,
                        email_confirmed_at: Some(created),
                        locale: None,
                        created_at: created,
                        updated_at: created,
                    },
                )?;
                self.summary.users += 1;
                if verified {
                    self.clusters[c]
                        .members
                        .push((SmeId::from_stored(id), member, sector));
                }
            }
        }
        Ok(())
    }

    /// Published offers spread unevenly over the clusters, a few in other states, and blackouts.
    fn offers(&mut self, conn: &mut DbConnection) -> anyhow::Result<()> {
        let weights: Vec<f64> = (0..self.clusters.len())
            .map(|_| self.rng.random_range(0.4..2.5))
            .collect();
        let by_size = WeightedIndex::new(&weights)?;
        let others = self.volumes.offers / 25;
        let total = self.volumes.offers + others;
        let first_created = at(date(2026, 5, 4), 8 * 3600);
        let spread = 120 * 24 * 3600 / total.max(1) as i64;
        let mut rows = Vec::with_capacity(total);
        let mut blackouts = Vec::new();
        for n in 0..total {
            // About every twenty-sixth offer is a draft, paused or archived; exactly
            // `volumes.offers` are published.
            let unpublished = (n % 26 == 25 && self.summary.other_offers < others)
                || self.summary.published_offers == self.volumes.offers;
            let state = if unpublished {
                [OfferState::Draft, OfferState::Paused, OfferState::Archived][n / 26 % 3]
            } else {
                OfferState::Published
            };
            let c = by_size.sample(&mut self.rng);
            let created = first_created + TimeDelta::seconds(spread * n as i64 + 1);
            let id = OfferId::from_stored(id_at(&mut self.rng, created));
            let kind = pick(
                &mut self.rng,
                &[(0usize, 30), (1, 20), (2, 15), (3, 15), (4, 10), (5, 10)],
            );
            let cluster = &self.clusters[c];
            let place = cluster.place;
            let sector = cluster
                .sectors
                .choose(&mut self.rng)
                .copied()
                .unwrap_or("software");
            let city = if self.rng.random_bool(0.15) {
                place
                    .nearby
                    .choose(&mut self.rng)
                    .copied()
                    .unwrap_or(place.city)
            } else {
                place.city
            };
            let title = TITLES[kind]
                .1
                .choose(&mut self.rng)
                .copied()
                .unwrap_or("{cluster}");
            let title = fill(title, city, place.country_name, sector, &cluster.name);
            let mut sentences: Vec<&str> = SENTENCES
                .choose_multiple(&mut self.rng, 3)
                .copied()
                .collect();
            sentences.shuffle(&mut self.rng);
            let description = fill(
                &sentences.join(" "),
                city,
                place.country_name,
                sector,
                &cluster.name,
            );
            let mut languages = vec!["en"];
            if place.language != "en" {
                languages.push(place.language);
            }
            if self.rng.random_bool(0.15) {
                let extra = ["fr", "de", "es", "it"]
                    .choose(&mut self.rng)
                    .copied()
                    .unwrap_or("fr");
                if !languages.contains(&extra) {
                    languages.push(extra);
                }
            }
            let count = self.rng.random_range(1..=3);
            let mut sectors: Vec<&str> = cluster
                .sectors
                .choose_multiple(&mut self.rng, count)
                .copied()
                .collect();
            if !sectors.contains(&sector) {
                sectors.push(sector);
            }
            let available_from = pick(
                &mut self.rng,
                &[
                    (FIRST_DAY, 70),
                    (date(2026, 10, 1), 15),
                    (date(2027, 1, 1), 15),
                ],
            );
            let available_until = pick(&mut self.rng, &[(LAST_DAY, 80), (date(2028, 6, 30), 20)]);
            let capacity: u8 = self.rng.random_range(2..=20);
            let max_stay = pick(
                &mut self.rng,
                &[(3u32, 10), (5, 45), (10, 30), (15, 10), (20, 5)],
            );
            let address = if self.rng.random_bool(0.7) {
                Some(format!(
                    "{} {}, {city}",
                    STREETS
                        .choose(&mut self.rng)
                        .copied()
                        .unwrap_or("Market Street"),
                    self.rng.random_range(1..120)
                ))
            } else {
                None
            };
            rows.push(NewOffer {
                id: id.clone(),
                cluster_id: cluster.id.clone(),
                kind: OfferKind::ALL[kind],
                title,
                description,
                city: city.into(),
                address,
                capacity: i32::from(capacity),
                available_from,
                available_until,
                max_stay_days: max_stay as i32,
                open_weekdays: Weekdays::WORKING_DAYS.to_db(),
                languages: serde_json::to_string(&languages)?,
                sectors: serde_json::to_string(&sectors)?,
                state,
                version: if state == OfferState::Draft { 1 } else { 2 },
                created_at: created,
                updated_at: created,
            });
            if state != OfferState::Published {
                self.summary.other_offers += 1;
                continue;
            }
            self.summary.published_offers += 1;
            let mut closed = Vec::new();
            let mut close = |rng: &mut StdRng, from: NaiveDate, to: NaiveDate, reason: &str| {
                if from < available_from || to > available_until {
                    return;
                }
                let stamp = created + TimeDelta::days(1);
                blackouts.push(NewBlackout {
                    id: BlackoutId::from_stored(id_at(rng, stamp)),
                    offer_id: id.clone(),
                    start_date: from,
                    end_date: to,
                    reason: reason.into(),
                    created_at: stamp,
                });
                closed.push((day_index(from), day_index(to.min(LAST_DAY))));
            };
            if self.rng.random_bool(0.25) {
                close(
                    &mut self.rng,
                    date(2026, 12, 24),
                    date(2027, 1, 1),
                    "Closed over the holidays",
                );
            }
            if self.rng.random_bool(0.08) {
                close(
                    &mut self.rng,
                    date(2027, 8, 2),
                    date(2027, 8, 13),
                    "Summer closure",
                );
            }
            if self.rng.random_bool(0.05) {
                let monday = date(2027, 1, 4) + Days::new(7 * self.rng.random_range(0..50));
                close(&mut self.rng, monday, monday + Days::new(4), "Team offsite");
            }
            let first = day_index(available_from.max(FIRST_DAY));
            let last = day_index(available_until.min(LAST_DAY));
            self.offers.push(Offer {
                id,
                cluster: c,
                kind,
                capacity,
                max_stay,
                created_at: created,
                first,
                last,
                closed,
                booked: vec![0; day_index(LAST_DAY) + 1],
            });
        }
        insert_rows!(conn, offers::table, &rows, 18);
        self.summary.blackouts = insert_rows!(conn, offer_blackouts::table, &blackouts, 6);
        Ok(())
    }

    /// Landings in rounds: draw, fit into the ledger, write the round.
    fn landings(
        &mut self,
        conn: &mut DbConnection,
        progress: &mut dyn FnMut(&str),
    ) -> anyhow::Result<()> {
        if self.volumes.landings == 0 {
            return Ok(());
        }
        // Some offers are much more popular than others.
        let popularity: Vec<f64> = (0..self.offers.len())
            .map(|_| {
                let u: f64 = self.rng.random_range(0.0..1.0);
                0.2 + 6.0 * u * u * u
            })
            .collect();
        let popular = WeightedIndex::new(&popularity)?;
        let started = Instant::now();
        let mut written = 0;
        while written < self.volumes.landings {
            let round = LANDINGS_PER_ROUND.min(self.volumes.landings - written);
            let mut rows = Vec::with_capacity(round);
            let mut events = Vec::new();
            for n in written..written + round {
                let draft = self.draw(&popular)?;
                self.write_landing(n, draft, &mut rows, &mut events);
            }
            insert_rows!(conn, landings::table, &rows, 28);
            self.summary.events += insert_rows!(conn, landing_events::table, &events, 9);
            written += round;
            self.summary.landings = written;
            if written.is_multiple_of(100_000) || written == self.volumes.landings {
                progress(&format!(
                    "{written} landings written in {:.1} s",
                    started.elapsed().as_secs_f64()
                ));
            }
        }
        Ok(())
    }

    /// Draws one landing: an offer, a visiting SME of an active partner whose terms cover the
    /// offer's kind, days, a group and a state; approved and completed ones take their places.
    fn draw(&mut self, popular: &WeightedIndex<f64>) -> anyhow::Result<Draft> {
        for _ in 0..1_000 {
            let o = popular.sample(&mut self.rng);
            let offer = &self.offers[o];
            let host = offer.cluster;
            let kind_bit = 1u8 << offer.kind;
            let eligible: Vec<usize> = self.clusters[host]
                .partners
                .iter()
                .copied()
                .filter(|p| self.partnerships[*p].services & kind_bit != 0)
                .collect();
            let Some(&p) = eligible.choose(&mut self.rng) else {
                continue;
            };
            let agreement = &self.partnerships[p];
            let home = if agreement.a == host {
                agreement.b
            } else {
                agreement.a
            };
            let endorsement = agreement.endorsement;
            let longest = offer.max_stay.min(agreement.max_free_days);
            let member = self.rng.random_range(0..self.clusters[home].members.len());
            let length = pick(&mut self.rng, &LENGTHS).min(longest);
            let headcount = pick(&mut self.rng, &HEADCOUNTS).min(offer.capacity);
            let Some(days) = self.days(o, length) else {
                continue;
            };
            let upcoming = day_at(days[0]) > AS_OF;
            let mut state = if upcoming {
                pick(&mut self.rng, &UPCOMING)
            } else {
                pick(&mut self.rng, &HISTORY)
            };
            if !endorsement
                && matches!(
                    state,
                    LandingState::PendingEndorsement | LandingState::Declined
                )
            {
                state = if upcoming {
                    LandingState::PendingApproval
                } else {
                    LandingState::Rejected
                };
            }
            let mut draft = Draft {
                offer: o,
                partnership: p,
                home,
                member,
                days,
                headcount,
                state,
                fully_booked: false,
            };
            if matches!(state, LandingState::Approved | LandingState::Completed) {
                self.take_places(&mut draft, length);
            }
            return Ok(draft);
        }
        anyhow::bail!("no offer has an active partnership that covers its kind")
    }

    /// Up to `length` consecutive open days from a drawn start, none across a blackout; `None`
    /// when the start falls on a closed day. Fewer visitors come in August and at Christmas.
    fn days(&mut self, o: usize, length: u32) -> Option<Vec<usize>> {
        let offer = &self.offers[o];
        let start = loop {
            let d = self.rng.random_range(offer.first..=offer.last);
            let day = day_at(d);
            let quiet = day.month() == 8 || (day.month() == 12 && day.day() > 18);
            if !quiet || self.rng.random_bool(0.35) {
                break d;
            }
        };
        let offer = &self.offers[o];
        if !offer.is_open(start) {
            return None;
        }
        let mut days = vec![start];
        let mut d = start + 1;
        while days.len() < length as usize && d <= offer.last {
            if offer.closed.iter().any(|(s, e)| *s <= d && d <= *e) {
                break;
            }
            if offer.is_open(d) {
                days.push(d);
            }
            d += 1;
        }
        Some(days)
    }

    /// Books the landing's places, moving it to other days of the same period (history or
    /// upcoming) when the drawn ones are full; a landing with no room ends rejected.
    fn take_places(&mut self, draft: &mut Draft, length: u32) {
        let upcoming = day_at(draft.days[0]) > AS_OF;
        for attempt in 0..6 {
            if attempt > 0 {
                match self.days(draft.offer, length) {
                    Some(days) if (day_at(days[0]) > AS_OF) == upcoming => draft.days = days,
                    _ => continue,
                }
            }
            let offer = &mut self.offers[draft.offer];
            if offer.fits(&draft.days, draft.headcount) {
                for d in &draft.days {
                    offer.booked[*d] += draft.headcount;
                }
                if attempt > 0 {
                    self.summary.moved += 1;
                }
                return;
            }
        }
        draft.state = LandingState::Rejected;
        draft.fully_booked = true;
        self.summary.fully_booked += 1;
    }

    fn write_landing(
        &mut self,
        n: usize,
        draft: Draft,
        rows: &mut Vec<NewLandingRow>,
        events: &mut Vec<NewLandingEvent>,
    ) {
        let offer = &self.offers[draft.offer];
        let host = &self.clusters[offer.cluster];
        let home = &self.clusters[draft.home];
        let (sme_id, member_id, sector) = home.members[draft.member].clone();
        let agreement = &self.partnerships[draft.partnership];
        let start = day_at(draft.days[0]);
        let end = day_at(draft.days[draft.days.len() - 1]);
        let state = draft.state;

        // When things happened: requested some weeks ahead (never after AS_OF, never before the
        // offer), decided within days, finished or cancelled later.
        let lead = TimeDelta::hours(self.rng.random_range(24 * 5..24 * 75));
        let latest = at(AS_OF, 17 * 3600).min(at(start, 0) - TimeDelta::hours(1));
        let mut created = at(start, 9 * 3600) - lead;
        if created > latest {
            created = latest - TimeDelta::minutes(self.rng.random_range(0..60 * 24 * 80));
        }
        let created = created.max(offer.created_at + TimeDelta::hours(1));
        let decided = (created + TimeDelta::minutes(self.rng.random_range(30..60 * 24 * 4)))
            .min(latest.max(created));
        let closed_at = match state {
            LandingState::Completed => at(end, 17 * 3600).min(at(AS_OF, 12 * 3600)),
            LandingState::Cancelled => decided + (latest - decided) / 2,
            LandingState::Expired => at(start + Days::new(1), 2 * 3600),
            _ => decided,
        }
        .max(decided);

        let visitor = (member_id.as_str(), "sme_member");
        let host_manager = (host.manager.as_str(), "cluster_manager");
        let home_manager = (home.manager.as_str(), "cluster_manager");
        let first = if agreement.endorsement {
            LandingState::PendingEndorsement
        } else {
            LandingState::PendingApproval
        };
        let mut trail: Vec<Step> = vec![("submit", None, first, visitor, created)];
        if agreement.endorsement
            && !matches!(
                state,
                LandingState::PendingEndorsement | LandingState::Declined
            )
            && !(matches!(state, LandingState::Withdrawn | LandingState::Expired)
                && n.is_multiple_of(2))
        {
            let endorsed = created + (decided - created) / 2;
            step(
                &mut trail,
                "endorse",
                LandingState::PendingApproval,
                home_manager,
                endorsed,
            );
        }
        match state {
            LandingState::PendingEndorsement | LandingState::PendingApproval => {}
            LandingState::Declined => step(&mut trail, "decline", state, home_manager, decided),
            LandingState::Withdrawn => step(&mut trail, "withdraw", state, visitor, decided),
            LandingState::Expired => step(&mut trail, "expire", state, SYSTEM, closed_at),
            LandingState::Rejected => step(&mut trail, "reject", state, host_manager, decided),
            LandingState::Approved
            | LandingState::Completed
            | LandingState::Cancelled
            | LandingState::NoShow => {
                step(
                    &mut trail,
                    "approve",
                    LandingState::Approved,
                    host_manager,
                    decided,
                );
                match state {
                    LandingState::Completed => {
                        step(&mut trail, "complete", state, host_manager, closed_at);
                    }
                    LandingState::Cancelled => {
                        step(&mut trail, "cancel", state, visitor, closed_at)
                    }
                    LandingState::NoShow => {
                        step(&mut trail, "no-show", state, host_manager, closed_at)
                    }
                    _ => {}
                }
            }
        }

        let place = host.place;
        let purpose = fill(
            PURPOSES
                .choose(&mut self.rng)
                .copied()
                .unwrap_or(PURPOSES[0]),
            place.city,
            place.country_name,
            sector,
            &host.name,
        );
        let id = LandingId::from_stored(id_at(&mut self.rng, created));
        let feedback = state == LandingState::Completed && self.rng.random_bool(0.4);
        let rating = feedback.then(|| self.rng.random_range(3..=5));
        let reason = match state {
            LandingState::Rejected if draft.fully_booked => {
                Some("Fully booked on the requested days")
            }
            LandingState::Rejected => Some("Our space is reserved for a local event that week"),
            LandingState::Cancelled => Some("Our travel plans changed"),
            LandingState::Declined => Some("Please complete your membership profile first"),
            LandingState::Withdrawn => Some("We found another date"),
            _ => None,
        };
        rows.push(NewLandingRow {
            id: id.clone(),
            offer_id: offer.id.clone(),
            sme_id,
            host_cluster_id: host.id.clone(),
            home_cluster_id: home.id.clone(),
            partnership_id: agreement.id.clone(),
            requested_by: member_id.clone(),
            start_date: start,
            end_date: end,
            headcount: i32::from(draft.headcount),
            open_days: draft.days.len() as i32,
            days: days_text(&draft.days.iter().map(|d| day_at(*d)).collect::<Vec<_>>()),
            // Offers are written at calendar version 1 and never edited.
            calendar_version: 1,
            purpose,
            target_market: (!n.is_multiple_of(3)).then(|| place.country.to_owned()),
            requested_services: serde_json::json!([OfferKind::ALL[offer.kind].as_str()])
                .to_string(),
            state,
            endorsement_note: trail
                .iter()
                .any(|(action, ..)| *action == "endorse")
                .then(|| "A verified member; we recommend them".to_owned()),
            message: matches!(state, LandingState::Approved | LandingState::Completed)
                .then(|| "Welcome! Reception opens at 9:00; ask for the cluster desk.".to_owned()),
            reason: reason.map(str::to_owned),
            outcome: (state == LandingState::Completed && n.is_multiple_of(2))
                .then(|| "Met three potential partners and one pilot customer.".to_owned()),
            rating,
            feedback_comment: feedback.then(|| "Warm welcome and useful introductions.".to_owned()),
            feedback_at: feedback.then(|| closed_at + TimeDelta::days(2)),
            decided_at: (trail.len() > 1
                && !matches!(state, LandingState::Withdrawn | LandingState::Expired))
            .then_some(decided),
            version: trail.len() as i32,
            created_at: created,
            updated_at: trail.last().map_or(created, |t| t.4),
        });
        if matches!(state, LandingState::Approved | LandingState::Completed) {
            self.summary.held_days += draft.days.len();
        }
        if n.is_multiple_of(EVENTS_EVERY) {
            for (action, from, to, (actor_id, actor_kind), when) in trail {
                events.push(NewLandingEvent {
                    id: id_at(&mut self.rng, when),
                    landing_id: id.clone(),
                    actor_id: actor_id.to_owned(),
                    actor_kind: actor_kind.to_owned(),
                    action: action.to_owned(),
                    from_state: from.map(|s| s.as_str().to_owned()),
                    to_state: to.as_str().to_owned(),
                    note: None,
                    at: when,
                });
            }
        }
        let index = LandingState::ALL
            .iter()
            .position(|s| *s == state)
            .unwrap_or(0);
        self.summary.by_state[index] += 1;
    }

    /// The per-day ledger, from the places the landings took.
    fn ledger(&mut self, conn: &mut DbConnection) -> anyhow::Result<()> {
        let mut rows = Vec::new();
        for offer in &self.offers {
            for (d, booked) in offer.booked.iter().enumerate() {
                if *booked > 0 {
                    rows.push(NewOfferDayBooking {
                        offer_id: offer.id.clone(),
                        day: day_at(d),
                        booked: i32::from(*booked),
                    });
                }
            }
            if rows.len() >= 100_000 {
                self.summary.ledger_rows += insert_rows!(conn, offer_day_bookings::table, &rows, 3);
                rows.clear();
            }
        }
        self.summary.ledger_rows += insert_rows!(conn, offer_day_bookings::table, &rows, 3);
        Ok(())
    }
}
