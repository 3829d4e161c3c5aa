//! Who hears about what happens to a partnership, and what they read: both clusters' contacts
//! and managers, once each.

use serde_json::json;

use super::{outbox, templates};
use crate::config::Settings;
use crate::db::{DbConnection, clusters};
use crate::error::ApiError;
use crate::service::events::PartnershipEvent;

/// Mails both clusters about what happened to the partnership.
pub fn changed(
    conn: &mut DbConnection,
    settings: &Settings,
    e: &PartnershipEvent,
) -> Result<(), ApiError> {
    let row = &e.partnership;
    let proposer = clusters::find(conn, &row.proposer_cluster_id)?
        .ok_or_else(|| ApiError::internal("a partnership names a missing cluster"))?;
    let partner = clusters::find(conn, &row.partner_cluster_id)?
        .ok_or_else(|| ApiError::internal("a partnership names a missing cluster"))?;
    let actor = if e.by_cluster == proposer.id {
        proposer.name.clone()
    } else {
        partner.name.clone()
    };
    let terms = row.terms();
    let services: Vec<&str> = terms.services.iter().map(|s| s.as_str()).collect();
    let context = json!({
        "action": e.what,
        "proposer": proposer.name,
        "partner": partner.name,
        "actor": actor,
        "state": row.state.as_str(),
        "max_free_days": terms.max_free_days,
        "services": services.join(", "),
        "home_endorsement_required": terms.home_endorsement_required,
        "notes": terms.notes,
        "note": e.note,
        "link": format!("{}/partnerships/{}", settings.server.public_url.trim_end_matches('/'), row.id),
    });
    let mut recipients = clusters::contacts(conn, &proposer)?;
    for r in clusters::contacts(conn, &partner)? {
        if !recipients.contains(&r) {
            recipients.push(r);
        }
    }
    let event = format!("partnership.{}", e.what);
    for to in recipients {
        let email =
            templates::render("partnership_changed", &to, &context).map_err(ApiError::internal)?;
        outbox::enqueue_email(conn, &event, &email, None)?;
    }
    Ok(())
}
