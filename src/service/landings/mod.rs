//! Landings: a request ([`submit`]), its decisions and the rest of its life ([`act`]), the
//! SME's feedback ([`give_feedback`]), what the sweep does on its own ([`expire`], [`remind`]),
//! and what callers may read ([`get`], [`list`], [`events`], [`calendar`]).
//!
//! The acceptance rules of a request are [`crate::domain::landing::check_request`]; the state
//! machine is [`crate::domain::landing::transition`]; places are taken and released in the
//! booking ledger ([`crate::db::ledger`]).

mod act;
mod feedback;
mod read;
mod submit;

use chrono::NaiveDate;

pub use act::{
    ActionInput, act, approved_starting_between, expire, pending_starting_before, remind,
};
pub use feedback::{NewFeedback, give_feedback};
pub use read::{LandingDetail, ListQuery, calendar, detail, events, get, list};
pub use submit::{Submission, submit};

use crate::auth::Principal;
use crate::auth::policy::landings::{self as policy, Subject};
use crate::db::landings::{self as store, LandingRow};
use crate::db::{DbConnection, offers};
use crate::domain::landing::Blackout;
use crate::error::ApiError;

fn subject(row: &LandingRow) -> Subject<'_> {
    Subject {
        sme_id: &row.sme_id,
        host_cluster_id: &row.host_cluster_id,
        home_cluster_id: &row.home_cluster_id,
    }
}

/// The landing `id` if `principal` may see it; 404 otherwise, as if it did not exist.
fn load_visible(
    conn: &mut DbConnection,
    principal: &Principal,
    id: &str,
) -> Result<LandingRow, ApiError> {
    let row = store::find(conn, id)?.ok_or_else(|| ApiError::not_found("landing"))?;
    policy::view(principal, subject(&row))?;
    Ok(row)
}

fn blackouts_of(conn: &mut DbConnection, offer_id: &str) -> Result<Vec<Blackout>, ApiError> {
    Ok(offers::blackouts(conn, offer_id, None)?
        .into_iter()
        .map(|b| Blackout {
            start: b.start_date,
            end: b.end_date,
            reason: b.reason,
        })
        .collect())
}

fn ranges(blackouts: &[Blackout]) -> Vec<(NaiveDate, NaiveDate)> {
    blackouts.iter().map(|b| (b.start, b.end)).collect()
}
