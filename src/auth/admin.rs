//! `softlanding create-admin`.

use crate::config::Settings;

pub fn create_admin_from_stdin(_settings: &Settings, _email: &str) -> anyhow::Result<()> {
    anyhow::bail!("create-admin needs user accounts, which this build does not include yet")
}
