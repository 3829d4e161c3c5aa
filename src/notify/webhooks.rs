//! Who hears that the service turned a webhook off, and what they read: the cluster's managers
//! (its contact address when it has none), each in their language.

use diesel::result::Error as DieselError;
use serde_json::json;

use super::recipients::Languages;
use super::{outbox, portal_page, templates};
use crate::config::Settings;
use crate::db::DbConnection;
use crate::db::clusters;
use crate::db::webhooks::WebhookRow;

/// Mails the managers of the webhook's cluster that it was disabled, and why.
pub fn disabled(
    conn: &mut DbConnection,
    settings: &Settings,
    webhook: &WebhookRow,
) -> Result<(), DieselError> {
    let Some(cluster) = clusters::find(conn, &webhook.cluster_id)? else {
        return Ok(());
    };
    let mut recipients = clusters::manager_emails(conn, &cluster.id)?;
    if recipients.is_empty() {
        recipients.push(cluster.contact_email.to_lowercase());
    }
    let gone = webhook
        .disabled_reason
        .as_deref()
        .is_some_and(|r| r.contains("410"));
    let context = json!({
        "cluster_name": cluster.name,
        "url": webhook.url,
        "gone": gone,
        "link": portal_page(settings, "/manage/cluster"),
    });
    let languages = Languages::of(conn, &recipients)?;
    for to in &recipients {
        let email = templates::render("webhook_disabled", to, languages.get(to), &context)
            .map_err(|e| DieselError::SerializationError(Box::new(e)))?;
        outbox::enqueue_email(
            conn,
            "webhook.disabled",
            &email,
            Some(&format!(
                "webhook.disabled:{}:{}:{to}",
                webhook.id, webhook.version
            )),
        )?;
    }
    Ok(())
}
