//! `/admin/outbox`: the emails and webhook deliveries waiting, sent or given up, newest first,
//! a page at a time, filtered by channel and status; a message not sent yet can be put back
//! in the queue (retry).

use actix_web::web;
use minijinja::context;
use serde::{Deserialize, Serialize};

use crate::notify::outbox::{OutboxMessage, OutboxStatus};
use crate::service::admin;
use crate::state::AppState;
use crate::web::forms::Submitted;
use crate::web::render::{OrPage, PageResult, page, see_other_with};
use crate::web::session::Visitor;

/// Messages a page.
const PAGE: i64 = 25;

/// The filters as the form sends them; an unknown value filters nothing.
#[derive(Debug, Default, Deserialize)]
pub struct Filters {
    channel: Option<String>,
    status: Option<String>,
    cursor: Option<String>,
}

#[derive(Debug, Serialize)]
struct Row {
    id: String,
    channel: String,
    event: String,
    recipient: String,
    status: &'static str,
    attempts: i32,
    created_at: String,
    next_attempt_at: String,
    last_error: Option<String>,
    retryable: bool,
}

impl From<OutboxMessage> for Row {
    fn from(m: OutboxMessage) -> Row {
        Row {
            retryable: m.status == OutboxStatus::Dead,
            id: m.id,
            channel: m.channel,
            event: m.event,
            recipient: m.recipient,
            status: m.status.as_str(),
            attempts: m.attempts,
            created_at: m.created_at.format("%Y-%m-%d %H:%M UTC").to_string(),
            next_attempt_at: m.next_attempt_at.format("%Y-%m-%d %H:%M UTC").to_string(),
            last_error: m.last_error,
        }
    }
}

/// `GET /admin/outbox?channel=&status=&cursor=`
pub async fn list(
    state: web::Data<AppState>,
    visitor: Visitor,
    filters: web::Query<Filters>,
) -> PageResult {
    let who = visitor.admin()?;
    let filters = filters.into_inner();
    let channel = filters
        .channel
        .as_deref()
        .and_then(|c| admin::CHANNELS.into_iter().find(|known| *known == c));
    let status = filters
        .status
        .as_deref()
        .and_then(|s| s.parse::<OutboxStatus>().ok());
    let outbox = admin::outbox_of(&state, who, channel, status, PAGE, filters.cursor.clone())
        .await
        .or_page(&visitor)?;
    let mut next = vec![];
    if let Some(c) = channel {
        next.push(("channel", c.to_owned()));
    }
    if let Some(s) = status {
        next.push(("status", s.as_str().to_owned()));
    }
    let here = serde_urlencoded::to_string(&next).unwrap_or_default();
    let next_link = outbox.next_cursor.map(|cursor| {
        next.push(("cursor", cursor));
        format!(
            "/admin/outbox?{}",
            serde_urlencoded::to_string(&next).unwrap_or_default()
        )
    });
    page(
        &visitor,
        "admin_outbox.html",
        context! {
            items => outbox.items.into_iter().map(Row::from).collect::<Vec<_>>(),
            channels => admin::CHANNELS,
            statuses => OutboxStatus::ALL.iter().map(|s| s.as_str()).collect::<Vec<_>>(),
            channel => channel,
            status => status.map(OutboxStatus::as_str),
            paged => filters.cursor.is_some(),
            next_link => next_link,
            back => if here.is_empty() { "/admin/outbox".to_owned() } else { format!("/admin/outbox?{here}") },
        },
    )
}

/// `POST /admin/outbox/{id}/retry`: back to the queue, due now; then the list again.
pub async fn retry(
    state: web::Data<AppState>,
    form: Submitted,
    path: web::Path<String>,
) -> PageResult {
    let Submitted { visitor, data } = form;
    let who = visitor.admin()?;
    let flash = match admin::retry_outbox(&state, who, path.into_inner()).await {
        Ok(_) => "flash-admin-retried",
        Err(crate::error::ApiError::Problem(p)) if p.code == "already_sent" => {
            "flash-admin-already-sent"
        }
        Err(other) => return Err(crate::web::render::PageError::from_api(other, &visitor)),
    };
    // Back to the list as it was filtered; only our own addresses.
    let back = data
        .get("back")
        .filter(|b| b.starts_with("/admin/outbox") && !b.starts_with("//"))
        .unwrap_or_else(|| "/admin/outbox".to_owned());
    Ok(see_other_with(&visitor, &back, flash))
}
