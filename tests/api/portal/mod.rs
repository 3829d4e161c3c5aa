//! The portal over HTTP, as a browser meets it: every page answers with its heading and
//! landmarks for the right visitor, forms go round (the use cases' rules shown at their
//! fields), and the portal refuses what it must (cross-site posts, ended sessions, other
//! tenants' pages). Arrangements go through the API; the acts under test go through pages.

mod client;

use softlanding::domain::account::Locale;
use softlanding::i18n::{self, Arg};


/// The portal's message `key` in `locale` with `args`, as a page shows it.
pub fn message(locale: Locale, key: &str, args: &[(&str, &str)]) -> String {
    let args: Vec<(&str, Arg<'_>)> = args.iter().map(|(k, v)| (*k, Arg::from(*v))).collect();
    i18n::text(locale, key, &args)
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

/// The English message `key` with `args`.
pub fn en(key: &str, args: &[(&str, &str)]) -> String {
    message(Locale::En, key, args)
}
