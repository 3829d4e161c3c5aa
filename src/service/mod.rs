//! The use cases: one function per thing a person, a partner portal or the sweep can do
//! (`landings::submit`, `landings::act`, `partnerships::propose`, `smes::decide`, ...).
//!
//! A use case takes the actor and a typed command and answers the result or a domain error
//! ([`ApiError`], whose status says which kind). It runs in one transaction ([`AppState::write`]):
//! it authorises through [`crate::auth::policy`], applies the pure rules of [`crate::domain`],
//! reads and writes through [`crate::db`], and records the [`events::DomainEvent`]s the change
//! caused. Before the transaction commits, [`effects`] turns those events into outbox rows, so a
//! side effect exists exactly when its change does. The API's handlers, the sweep and the portal
//! all call these functions; none of them opens a transaction or holds a rule.

pub mod accounts;
pub mod admin;
pub mod clusters;
pub mod effects;
pub mod events;
pub mod landings;
pub mod matches;
pub mod offers;
pub mod partnerships;
pub mod precondition;
pub mod reports;
pub mod search;
pub mod sessions;
pub mod smes;
pub mod waiting;
pub mod webhooks;

use chrono::NaiveDate;

use crate::clock::Clock;
use crate::config::Settings;
use crate::db::pool::run;
use crate::db::{DbConnection, write_transaction};
use crate::error::ApiError;
use crate::state::AppState;
use events::DomainEvent;

/// A use case's unit of work: the connection inside its transaction, what it may ask (the
/// settings, the clock), and the events it records.
pub struct Tx<'a> {
    pub conn: &'a mut DbConnection,
    pub settings: &'a Settings,
    pub clock: &'a Clock,
    events: Vec<DomainEvent>,
}

impl Tx<'_> {
    /// Records that `event` happened; it takes effect when the transaction commits.
    pub fn record(&mut self, event: DomainEvent) {
        self.events.push(event);
    }

    /// Today in the IANA time zone `timezone` (a host's calendar).
    pub fn today_in(&self, timezone: &str) -> NaiveDate {
        self.clock.today_in(timezone)
    }
}

impl AppState {
    /// Runs `f` in one write transaction on the blocking pool and, before it commits, writes
    /// the side effects of the events `f` recorded. An error rolls all of it back.
    pub async fn write<T, F>(&self, f: F) -> Result<T, ApiError>
    where
        F: FnOnce(&mut Tx<'_>) -> Result<T, ApiError> + Send + 'static,
        T: Send + 'static,
    {
        let (settings, clock) = (self.settings.clone(), self.clock.clone());
        run(&self.db, move |conn| {
            write_transaction(conn, |conn| in_transaction(conn, &settings, &clock, f))
        })
        .await
    }

    /// Runs the read-only `f` on the blocking pool, outside any explicit transaction.
    pub async fn read<T, F>(&self, f: F) -> Result<T, ApiError>
    where
        F: FnOnce(&mut Tx<'_>) -> Result<T, ApiError> + Send + 'static,
        T: Send + 'static,
    {
        let (settings, clock) = (self.settings.clone(), self.clock.clone());
        run(&self.db, move |conn| {
            let mut tx = Tx {
                conn,
                settings: &settings,
                clock: &clock,
                events: Vec::new(),
            };
            let out = f(&mut tx)?;
            debug_assert!(tx.events.is_empty(), "a read recorded events");
            Ok(out)
        })
        .await
    }
}

/// The body of a write transaction: the use case, then the effects of its events.
fn in_transaction<T>(
    conn: &mut DbConnection,
    settings: &Settings,
    clock: &Clock,
    f: impl FnOnce(&mut Tx<'_>) -> Result<T, ApiError>,
) -> Result<T, ApiError> {
    let mut tx = Tx {
        conn,
        settings,
        clock,
        events: Vec::new(),
    };
    let out = f(&mut tx)?;
    let events = std::mem::take(&mut tx.events);
    effects::apply(tx.conn, settings, events)?;
    Ok(out)
}
