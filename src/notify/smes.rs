//! Who hears about an SME's sign-up and its membership decisions, and what they read, each in
//! their language.

use serde_json::json;

use super::recipients::Languages;
use super::{outbox, portal_page, templates};
use crate::config::Settings;
use crate::db::DbConnection;
use crate::db::clusters::{self, ClusterRow};
use crate::db::smes::SmeRow;
use crate::error::ApiError;

/// A "signed up" email to each manager of the home cluster (to the cluster's contact address
/// when it has no manager yet, so the request is not lost).
pub fn signed_up(
    conn: &mut DbConnection,
    settings: &Settings,
    sme: &SmeRow,
    home: &ClusterRow,
) -> Result<(), ApiError> {
    let mut recipients = clusters::manager_emails(conn, &home.id)?;
    if recipients.is_empty() {
        recipients.push(home.contact_email.to_lowercase());
    }
    let context = json!({
        "sme_name": sme.name,
        "country": sme.country,
        "sector": sme.sector,
        "website": sme.website,
        "employees": sme.employees,
        "contact_name": sme.contact_name,
        "contact_email": sme.contact_email,
        "cluster_name": home.name,
        // The home cluster's managers decide on the SMEs that wait, in the portal.
        "link": portal_page(settings, "/manage/smes"),
    });
    let languages = Languages::of(conn, &recipients)?;
    for to in &recipients {
        let email = templates::render("sme_signed_up", to, languages.get(to), &context)
            .map_err(ApiError::internal)?;
        outbox::enqueue_email(
            conn,
            "sme.signed_up",
            &email,
            Some(&format!("sme.signed_up:{}:{to}", sme.id)),
        )?;
    }
    tracing::info!(sme_id = %sme.id, notified = recipients.len(), "SME signed up");
    Ok(())
}

/// Mails the SME's contact the home cluster's decision (with the reason, on decline).
pub fn decided(
    conn: &mut DbConnection,
    settings: &Settings,
    sme: &SmeRow,
    home_name: &str,
    reason: Option<&str>,
) -> Result<(), ApiError> {
    let (template, event) = match sme.membership {
        crate::domain::sme::Membership::Verified => ("sme_verified", "sme.verified"),
        _ => ("sme_declined", "sme.declined"),
    };
    let to = &sme.contact_email;
    let locale = Languages::of(conn, &[to])?.get(to);
    let email = templates::render(
        template,
        to,
        locale,
        json!({
            "sme_name": sme.name,
            "contact_name": sme.contact_name,
            "cluster_name": home_name,
            "reason": reason.unwrap_or_default(),
            // The SME's own page in the portal, where its members see where they stand.
            "link": portal_page(settings, "/sme"),
        }),
    )
    .map_err(ApiError::internal)?;
    outbox::enqueue_email(conn, event, &email, Some(&format!("{event}:{}", sme.id)))?;
    Ok(())
}
