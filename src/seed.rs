//! `softlanding seed-demo`: a small demo network on an empty database.

use crate::config::Settings;

pub fn seed_demo(_settings: &Settings) -> anyhow::Result<()> {
    anyhow::bail!(
        "seed-demo needs the roaming network (clusters, partnerships, offers), which this build does not include yet"
    )
}
