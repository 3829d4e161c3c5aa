//! `gen-data`: fills the service's empty database with a network at benchmark volume, then
//! analyses it and reports what it wrote. It reads the service's configuration (`config/` or
//! `SOFTLANDING_CONFIG_DIR`, and the `SOFTLANDING__*` variables, `SOFTLANDING__DATABASE__URL`
//! among them) and applies pending migrations first, as the service does at start-up.
//!
//! ```sh
//! cargo run --release -p softlanding-bench-data -- --offers 10000 --landings 1000000
//! ```

use std::process::ExitCode;
use std::time::Instant;

use clap::Parser;
use softlanding::config::{Environment, Settings};
use softlanding::domain::landing::LandingState;
use softlanding::startup::prepare_database;
use softlanding::telemetry;
use softlanding_bench_data::{BENCH_PASSWORD, Volumes, analyse, generate};

/// Fill an empty softlanding database with a large generated network, for benchmarks
/// (`benches/`).
#[derive(Debug, Parser)]
#[command(name = "gen-data", version)]
struct Cli {
    /// Published offers (about one in twenty-five more is a draft, paused or archived).
    #[arg(long)]
    offers: usize,
    /// Landings, in mixed states; approved and completed ones fill the booking ledger.
    #[arg(long)]
    landings: usize,
    /// The same seed gives the same data.
    #[arg(long, default_value_t = 1)]
    seed: u64,
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let settings = match Settings::load().and_then(Settings::finalize) {
        Ok(settings) => settings,
        Err(e) => {
            eprintln!("gen-data: {e}");
            return ExitCode::FAILURE;
        }
    };
    telemetry::init(&settings);
    let volumes = Volumes {
        offers: cli.offers,
        landings: cli.landings,
        seed: cli.seed,
    };
    match gen_data(&settings, volumes) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("gen-data: {e}");
            ExitCode::FAILURE
        }
    }
}

/// Migrates, fills the empty database, analyses it and reports.
fn gen_data(settings: &Settings, volumes: Volumes) -> anyhow::Result<()> {
    if settings.environment == Environment::Production {
        anyhow::bail!(
            "gen-data fills a database with generated accounts; it does not run in production"
        );
    }
    if volumes.offers == 0 {
        anyhow::bail!("--offers must be at least 1");
    }
    let db = prepare_database(settings)?;
    let mut conn = db.get()?;
    let started = Instant::now();
    let summary = generate(&mut conn, volumes, &mut |line| {
        eprintln!("gen-data: {line}")
    })?;
    let written = started.elapsed();
    analyse(&mut conn)?;
    let total = started.elapsed();
    let s = &summary;
    println!(
        "Generated with seed {}: {} clusters, {} partnerships ({} active), {} SMEs, {} accounts,",
        volumes.seed, s.clusters, s.partnerships, s.active_partnerships, s.smes, s.users
    );
    println!(
        "  {} published offers (and {} draft, paused or archived) with {} blackouts,",
        s.published_offers, s.other_offers, s.blackouts
    );
    let states: Vec<String> = LandingState::ALL
        .iter()
        .zip(s.by_state)
        .filter(|(_, n)| *n > 0)
        .map(|(state, n)| format!("{} {n}", state.as_str()))
        .collect();
    println!("  {} landings: {}", s.landings, states.join(", "));
    println!(
        "  ({} moved to other days to fit, {} rejected as fully booked),",
        s.moved, s.fully_booked
    );
    println!(
        "  {} held days, {} ledger rows, {} landing events.",
        s.held_days, s.ledger_rows, s.events
    );
    println!(
        "Written in {:.1} s, analysed in {:.1} s more ({:.1} s in all).",
        written.as_secs_f64(),
        (total - written).as_secs_f64(),
        total.as_secs_f64()
    );
    println!(
        "Every account's password is `{BENCH_PASSWORD}`; the admin is coordinator@bench.example."
    );
    Ok(())
}
