//! Who hears about what happens to a partnership, and what they read: both clusters' contacts
//! and managers, once each, each in their language.

use serde_json::json;

use super::recipients::Languages;
use super::{outbox, portal_page, templates};
use crate::config::Settings;
use crate::db::partnerships::PartnershipRow;
use crate::db::{DbConnection, clusters};
use crate::error::ApiError;

/// Mails both clusters that the partnership `row` was `what` (`proposed`, `accepted`, ...) on
/// behalf of the cluster `by_cluster`, with the actor's note.
pub fn changed(
    conn: &mut DbConnection,
    settings: &Settings,
    row: &PartnershipRow,
    what: &str,
    by_cluster: &str,
    note: Option<&str>,
) -> Result<(), ApiError> {
    let proposer = clusters::find(conn, &row.proposer_cluster_id)?
        .ok_or_else(|| ApiError::internal("a partnership names a missing cluster"))?;
    let partner = clusters::find(conn, &row.partner_cluster_id)?
        .ok_or_else(|| ApiError::internal("a partnership names a missing cluster"))?;
    let actor = if proposer.id == *by_cluster {
        proposer.name.clone()
    } else {
        partner.name.clone()
    };
    let terms = row.terms();
    let services: Vec<&str> = terms.services.iter().map(|s| s.as_str()).collect();
    let required = if terms.home_endorsement_required {
        "yes"
    } else {
        "no"
    };
    let context = json!({
        "action": what,
        "proposer": proposer.name,
        "partner": partner.name,
        "actor": actor,
        "state": row.state.as_str(),
        "max_free_days": terms.max_free_days,
        "services": services,
        "home_endorsement_required": required,
        "notes": terms.notes,
        "note": note,
        "link": portal_page(settings, &format!("/manage/partnerships/{}", row.id)),
    });
    let mut recipients = clusters::contacts(conn, &proposer)?;
    for r in clusters::contacts(conn, &partner)? {
        if !recipients.contains(&r) {
            recipients.push(r);
        }
    }
    let event = format!("partnership.{what}");
    let languages = Languages::of(conn, &recipients)?;
    for to in recipients {
        let email = templates::render("partnership_changed", &to, languages.get(&to), &context)
            .map_err(ApiError::internal)?;
        outbox::enqueue_email(conn, &event, &email, None)?;
    }
    Ok(())
}
