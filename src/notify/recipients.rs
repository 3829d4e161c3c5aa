//! The language each recipient of an email reads: the one the account using the address chose,
//! else English (a cluster's contact address without an account, a person who chose none).

use std::collections::HashMap;

use diesel::QueryResult;

use crate::db::{DbConnection, accounts};
use crate::domain::account::Locale;

/// The languages of one batch of recipients, looked up together.
#[derive(Debug, Default)]
pub struct Languages(HashMap<String, Locale>);

impl Languages {
    /// The languages of `addresses`, in one query.
    pub fn of<S: AsRef<str>>(conn: &mut DbConnection, addresses: &[S]) -> QueryResult<Languages> {
        let mut lower: Vec<String> = addresses
            .iter()
            .map(|a| a.as_ref().trim().to_lowercase())
            .collect();
        lower.sort();
        lower.dedup();
        Ok(Languages(
            accounts::locales_of(conn, &lower)?.into_iter().collect(),
        ))
    }

    /// The languages already read, as (address, language) pairs.
    pub fn known(pairs: Vec<(String, Locale)>) -> Languages {
        Languages(
            pairs
                .into_iter()
                .map(|(address, locale)| (address.trim().to_lowercase(), locale))
                .collect(),
        )
    }

    /// The language to write to `address` in.
    pub fn get(&self, address: &str) -> Locale {
        self.0
            .get(&address.trim().to_lowercase())
            .copied()
            .unwrap_or_default()
    }
}
