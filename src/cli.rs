//! The command line: `serve` (the default), `migrate`, `create-admin`, `seed-demo`.

use std::process::ExitCode;

use clap::{Parser, Subcommand};

use crate::config::Settings;
use crate::startup::Application;
use crate::telemetry;

#[derive(Debug, Parser)]
#[command(
    name = "softlanding",
    version,
    about = "The Business Roaming Agreement service for European ICT clusters"
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Option<Command>,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Apply migrations, then serve the API and run the outbox worker (the default).
    Serve,
    /// Apply pending migrations and exit.
    Migrate,
    /// Create an admin, or reset an existing admin's password; the password is read from stdin.
    CreateAdmin {
        #[arg(long)]
        email: String,
    },
    /// Fill an empty database with a small demo network and print how to log in.
    SeedDemo,
}

/// Parses the command line, runs the command and reports failure as one line on stderr.
pub fn main() -> ExitCode {
    let cli = Cli::parse();
    let settings = match Settings::load().and_then(Settings::finalize) {
        Ok(settings) => settings,
        Err(e) => {
            eprintln!("softlanding: {e}");
            return ExitCode::FAILURE;
        }
    };
    telemetry::init(&settings);
    let result = match cli.command.unwrap_or(Command::Serve) {
        Command::Serve => serve(settings),
        Command::Migrate => migrate(&settings),
        Command::CreateAdmin { email } => {
            crate::auth::admin::create_admin_from_stdin(&settings, &email)
        }
        Command::SeedDemo => crate::seed::seed_demo(&settings),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("softlanding: {e}");
            ExitCode::FAILURE
        }
    }
}

fn serve(settings: Settings) -> anyhow::Result<()> {
    actix_web::rt::System::new().block_on(async move {
        let app = Application::build(settings)?;
        app.run_until_stopped().await?;
        Ok(())
    })
}

fn migrate(settings: &Settings) -> anyhow::Result<()> {
    let db = crate::db::Db::connect(&settings.database)?;
    let mut conn = db.get()?;
    let applied = crate::db::migrations::run_pending(&mut conn)?;
    if applied.is_empty() {
        println!("the database is up to date");
    } else {
        for version in applied {
            println!("applied {version}");
        }
    }
    Ok(())
}
