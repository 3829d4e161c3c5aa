//! `softlanding create-admin --email <e>`: reads the password from standard input (one line, so
//! it never appears in the process list or shell history) and creates or resets the admin.

use std::io::{BufRead, IsTerminal, Write};

use anyhow::Context;

use super::flows;
use crate::config::Settings;
use crate::domain::account::{Email, Password};
use crate::startup::prepare_database;

pub fn create_admin_from_stdin(settings: &Settings, email: &str) -> anyhow::Result<()> {
    let email = Email::parse(email).map_err(|e| anyhow::anyhow!("--email {e}"))?;
    let stdin = std::io::stdin();
    if stdin.is_terminal() {
        eprint!("Password for {} (at least 12 characters): ", email.as_str());
        std::io::stderr().flush().ok();
    }
    let mut line = String::new();
    stdin
        .lock()
        .read_line(&mut line)
        .context("cannot read the password from standard input")?;
    let raw = line.trim_end_matches(['\r', '\n']);
    let password = Password::parse(raw).map_err(|e| anyhow::anyhow!("the password {e}"))?;
    let db = prepare_database(settings)?;
    let mut conn = db.get()?;
    let created = flows::upsert_admin(&mut conn, &email, &password)
        .map_err(|e| anyhow::anyhow!("cannot save the admin: {e}"))?;
    if created {
        println!("created admin {}", email.as_str());
    } else {
        println!("reset admin {} (existing sessions ended)", email.as_str());
    }
    Ok(())
}
