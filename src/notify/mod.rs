//! Notifications: the email templates ([`templates`]), the durable outbox that other modules
//! write emails into inside their own transactions ([`outbox`]), the lettre transports that
//! deliver them ([`mailer`]), and the background worker that claims due rows with a lease,
//! sends them outside any transaction and retries with backoff ([`worker`]).
//!
//! What lives elsewhere: the events that decide *who* gets *which* email (the resource modules),
//! and the admin endpoints over the outbox (they come with authentication).

pub mod accounts;
pub mod ics;
pub mod landings;
pub mod mailer;
pub mod outbox;
pub mod partnerships;
pub mod recipients;
pub mod smes;
pub mod templates;
pub mod webhooks;
pub mod worker;

pub use outbox::{Attachment, Email, enqueue_email};

pub use crate::domain::account::mask_email as mask_address;

use crate::config::Settings;

/// The address of the portal's page `path` (`/landings/{id}`, `/sme`, ...): emails link to
/// the pages people act on, not to the API.
pub fn portal_page(settings: &Settings, path: &str) -> String {
    format!("{}{path}", settings.server.public_url.trim_end_matches('/'))
}

/// `text` with every `local@domain` token masked as [`mask_address`] does, so error messages
/// that echo an address (a relay's `550 <alice@example.org>: unknown`) can be logged and stored.
pub fn mask_addresses_in(text: &str) -> String {
    let is_local = |c: char| c.is_alphanumeric() || "._%+-!#$&'*/=?^`{|}~".contains(c);
    let is_domain = |c: char| c.is_alphanumeric() || c == '.' || c == '-';
    let chars: Vec<char> = text.chars().collect();
    let mut out: Vec<char> = Vec::with_capacity(chars.len());
    let mut i = 0;
    while i < chars.len() {
        if chars[i] == '@' {
            // Walk back over the local part already copied, and forward over the domain.
            let mut start = i;
            while start > 0 && is_local(chars[start - 1]) {
                start -= 1;
            }
            let mut end = i + 1;
            while end < chars.len() && is_domain(chars[end]) {
                end += 1;
            }
            if start < i && end > i + 1 {
                out.truncate(out.len() - (i - start));
                out.push(chars[start]);
                out.extend("***@".chars());
                out.extend(&chars[i + 1..end]);
                i = end;
                continue;
            }
        }
        out.push(chars[i]);
        i += 1;
    }
    out.into_iter().collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_address_keeps_its_first_letter_and_domain() {
        assert_eq!(mask_address("alice@example.org"), "a***@example.org");
        assert_eq!(mask_address("not-an-address"), "***");
    }

    #[test]
    fn addresses_inside_text_are_masked() {
        assert_eq!(
            mask_addresses_in("550 5.1.1 <alice.b@example.org>: no such user (bob@x.io)"),
            "550 5.1.1 <a***@example.org>: no such user (b***@x.io)"
        );
        assert_eq!(mask_addresses_in("421 try @ later"), "421 try @ later");
    }
}
