//! `/manage`, "waiting for you": what a cluster's managers decide next — requests to approve
//! (each day with the places it has left), endorsements to give, SMEs to verify, partnership
//! proposals — and the decisions themselves. A decision posts a small form: with htmx it
//! replaces its item in place; without JavaScript it comes back to the page. Either way it
//! goes through the use case the API's endpoint calls.

pub mod cluster;
pub mod members;
pub mod offers;
pub mod partnerships;

use std::collections::HashMap;

use actix_web::http::StatusCode;
use actix_web::{HttpRequest, web};
use minijinja::{Value, context};
use serde::Serialize;

use crate::api::conditional::IfMatch;
use crate::db::partnerships::PartnershipRow;
use crate::db::smes::SmeRow;
use crate::db::waiting::Request;
use crate::domain::ids::{LandingId, PartnershipId, SmeId};
use crate::domain::landing::LandingAction;
use crate::domain::partnership::PartnershipAction;
use crate::domain::sme::MembershipAction;
use crate::error::ApiError;
use crate::i18n::{self, Arg};
use crate::service::landings::{self, ActionInput};
use crate::service::partnerships as partnership_cases;
use crate::service::smes;
use crate::service::waiting::{self, Found, PAGE_SIZE, Section, ToApprove, Waiting};
use crate::state::AppState;
use crate::web::forms::Submitted;
use crate::web::render::{
    OrPage, PageError, PageResult, page_with_status, see_other_with, waiting_badge,
};
use crate::web::session::Visitor;

/// One item of the page, as its template reads it.
#[derive(Debug, Clone, Serialize, Default)]
struct Item {
    kind: &'static str,
    id: String,
    /// The headline: who asks for what.
    title: String,
    lines: Vec<String>,
    /// Days with their free places (requests to approve).
    days: Vec<Day>,
    /// The decisions offered: (action, label key, needs a reason).
    actions: Vec<(&'static str, &'static str, bool)>,
    /// Why the last decision was refused, at the item.
    error: Option<String>,
    /// What the decision did, once taken.
    done: Option<String>,
    link: Option<String>,
    /// The page to come back to after a decision without JavaScript, when not the first.
    back: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
struct Day {
    day: String,
    text: String,
    fits: bool,
}

fn text(visitor: &Visitor, key: &str, args: &[(&str, Arg<'_>)]) -> String {
    i18n::text(visitor.locale, key, args)
}

/// A pending request: who asks for what, when, and why, with the decisions offered.
fn request(
    visitor: &Visitor,
    r: &Request,
    actions: Vec<(&'static str, &'static str, bool)>,
) -> Item {
    let l = &r.landing;
    Item {
        kind: "requests",
        id: l.id.to_string(),
        title: text(
            visitor,
            "manage-request-title",
            &[
                ("sme", Arg::from(r.sme_name.as_str())),
                ("count", Arg::from(i64::from(l.headcount))),
                ("offer", Arg::from(r.offer_title.as_str())),
            ],
        ),
        lines: vec![
            text(
                visitor,
                "manage-request-dates",
                &[
                    ("from", Arg::from(l.start_date.to_string())),
                    ("to", Arg::from(l.end_date.to_string())),
                    ("days", Arg::from(i64::from(l.open_days))),
                ],
            ),
            l.purpose.clone(),
        ],
        actions,
        link: Some(format!("/landings/{}", l.id)),
        ..Item::default()
    }
}

fn approval(visitor: &Visitor, a: &ToApprove) -> Item {
    let mut item = request(
        visitor,
        &a.request,
        vec![
            ("approve", "manage-approve", false),
            ("reject", "manage-reject", true),
        ],
    );
    item.days = a
        .days
        .iter()
        .map(|d| {
            let day = d.day.to_string();
            let key = if d.fits {
                "manage-day-free"
            } else {
                "manage-day-short"
            };
            let text = text(
                visitor,
                key,
                &[
                    ("day", Arg::from(day.as_str())),
                    ("count", Arg::from(i64::from(d.free))),
                ],
            );
            Day {
                day,
                text,
                fits: d.fits,
            }
        })
        .collect();
    item
}

fn endorsement(visitor: &Visitor, r: &Request) -> Item {
    request(
        visitor,
        r,
        vec![
            ("endorse", "manage-endorse", false),
            ("decline", "manage-decline", true),
        ],
    )
}

fn sign_up(visitor: &Visitor, s: &SmeRow) -> Item {
    Item {
        kind: "smes",
        id: s.id.to_string(),
        title: s.name.clone(),
        lines: vec![text(
            visitor,
            "manage-sme-details",
            &[
                ("country", Arg::from(s.country.as_str())),
                ("sector", Arg::from(s.sector.as_str())),
                ("contact", Arg::from(s.contact_name.as_str())),
                ("email", Arg::from(s.contact_email.as_str())),
            ],
        )],
        actions: vec![
            ("verify", "manage-verify", false),
            ("decline", "manage-decline", true),
        ],
        ..Item::default()
    }
}

fn proposal(visitor: &Visitor, p: &PartnershipRow, proposer: &str) -> Item {
    let terms = p.terms();
    let services: Vec<String> = terms
        .services
        .iter()
        .map(|s| text(visitor, &format!("kind-{}", s.as_str()), &[]))
        .collect();
    Item {
        kind: "partnerships",
        id: p.id.to_string(),
        title: text(
            visitor,
            "manage-proposal-title",
            &[("cluster", Arg::from(proposer))],
        ),
        lines: vec![text(
            visitor,
            "manage-proposal-terms",
            &[
                ("days", Arg::from(i64::from(terms.max_free_days))),
                ("services", Arg::from(services.join(", "))),
            ],
        )],
        actions: vec![
            ("accept", "manage-accept", false),
            ("decline", "manage-decline", false),
        ],
        ..Item::default()
    }
}

fn found(visitor: &Visitor, f: &Found) -> Item {
    match f {
        Found::Approval(a) => approval(visitor, a),
        Found::Endorsement(r) => endorsement(visitor, r),
        Found::SignUp(s) => sign_up(visitor, s),
        Found::Proposal(p, proposer) => proposal(visitor, p, proposer),
    }
}

fn items(visitor: &Visitor, w: &Waiting, section: Section) -> Vec<Item> {
    match section {
        Section::Approvals => w.approvals.iter().map(|a| approval(visitor, a)).collect(),
        Section::Endorsements => w
            .endorsements
            .iter()
            .map(|r| endorsement(visitor, r))
            .collect(),
        Section::SignUps => w.sign_ups.iter().map(|s| sign_up(visitor, s)).collect(),
        Section::Proposals => w
            .proposals
            .iter()
            .map(|(p, proposer)| proposal(visitor, p, proposer))
            .collect(),
    }
}

/// The page of each list asked for, from `/manage?approvals=2&...` (the first when absent or
/// not a page number).
fn pages_asked(query: &HashMap<String, String>) -> [i64; 4] {
    Section::ALL.map(|s| {
        query
            .get(s.name())
            .and_then(|v| v.parse::<i64>().ok())
            .filter(|n| *n >= 1)
            .unwrap_or(1)
    })
}

/// The address of page `page` of `section`, the other lists on their first.
fn page_link(section: Section, page: i64) -> String {
    if page <= 1 {
        format!("/manage#{}", section.name())
    } else {
        format!("/manage?{}={page}#{}", section.name(), section.name())
    }
}

async fn show(
    state: &AppState,
    visitor: &Visitor,
    pages: [i64; 4],
    status: StatusCode,
    refused: Option<(String, String)>,
) -> PageResult {
    let who = visitor.manager()?;
    let w = waiting::waiting(state, who, pages, visitor.waiting)
        .await
        .or_page(visitor)?;
    let sections: Vec<Value> = Section::ALL
        .into_iter()
        .map(|section| {
            let (page, last, count) = (w.page(section), w.last_page(section), w.count(section));
            let back = (page > 1).then(|| format!("/manage?{}={page}", section.name()));
            let mut list = items(visitor, &w, section);
            for item in &mut list {
                item.back.clone_from(&back);
                if let Some((id, error)) = &refused
                    && item.id == *id
                {
                    item.error = Some(error.clone());
                }
            }
            let first = (page - 1) * PAGE_SIZE + 1;
            let shown = i64::try_from(list.len()).unwrap_or(0);
            context! {
                name => section.name(),
                count => count,
                items => list,
                paged => last > 1,
                range => text(
                    visitor,
                    "manage-page-range",
                    &[
                        ("from", Arg::from(first)),
                        ("to", Arg::from(first + shown - 1)),
                        ("count", Arg::from(count)),
                    ],
                ),
                previous => (page > 1).then(|| page_link(section, page - 1)),
                next => (page < last).then(|| page_link(section, page + 1)),
            }
        })
        .collect();
    page_with_status(
        visitor,
        status,
        "manage.html",
        context! { sections => sections, total => w.total() },
    )
}

/// `GET /manage`, with `?approvals=N` (or `endorsements`, `sign-ups`, `proposals`) for a
/// list's page N.
pub async fn overview(
    state: web::Data<AppState>,
    visitor: Visitor,
    query: web::Query<HashMap<String, String>>,
) -> PageResult {
    show(&state, &visitor, pages_asked(&query), StatusCode::OK, None).await
}

/// What a decision did, in the words shown at its item, and its flash message.
fn done_key(kind: &str, action: &str) -> Option<&'static str> {
    Some(match (kind, action) {
        ("requests", "approve") => "flash-manage-approved",
        ("requests", "reject") => "flash-manage-rejected",
        ("requests", "endorse") => "flash-manage-endorsed",
        ("requests", "decline") => "flash-manage-declined",
        ("smes", "verify") => "flash-manage-verified",
        ("smes", "decline") => "flash-manage-sme-declined",
        ("partnerships", "accept") => "flash-manage-accepted",
        ("partnerships", "decline") => "flash-manage-partnership-declined",
        ("partnerships", "suspend") => "flash-manage-suspended",
        ("partnerships", "resume") => "flash-manage-resumed",
        ("partnerships", "terminate") => "flash-manage-terminated",
        _ => return None,
    })
}

/// Takes the decision; answers the use case's refusal as it came.
async fn decide(
    state: &AppState,
    visitor: &Visitor,
    kind: &str,
    id: &str,
    action: &str,
    reason: Option<String>,
) -> Result<(), ApiError> {
    let who = visitor
        .principal()
        .ok_or_else(|| ApiError::Unauthorized("sign in".into()))?;
    let missing = || ApiError::not_found("item");
    match kind {
        "requests" => {
            let id = LandingId::parse(id).ok_or_else(missing)?;
            let action = match action {
                "approve" => LandingAction::Approve,
                "reject" => LandingAction::Reject,
                "endorse" => LandingAction::Endorse,
                "decline" => LandingAction::Decline,
                _ => return Err(missing()),
            };
            let input = ActionInput {
                reason: if action.needs_reason() { reason } else { None },
                ..ActionInput::default()
            };
            landings::act(state, who, id, action, input)
                .await
                .map(|_| ())
        }
        "smes" => {
            let id = SmeId::parse(id).ok_or_else(missing)?;
            let (action, reason) = match action {
                "verify" => (MembershipAction::Verify, None),
                "decline" => (MembershipAction::Decline, reason),
                _ => return Err(missing()),
            };
            smes::decide(state, who, id, IfMatch::Absent, action, reason)
                .await
                .map(|_| ())
        }
        "partnerships" => {
            let id = PartnershipId::parse(id).ok_or_else(missing)?;
            let action = match action {
                "accept" => PartnershipAction::Accept,
                "decline" => PartnershipAction::Decline,
                "suspend" => PartnershipAction::Suspend,
                "resume" => PartnershipAction::Resume,
                "terminate" => PartnershipAction::Terminate,
                _ => return Err(missing()),
            };
            partnership_cases::act(state, who, id, action, reason)
                .await
                .map(|_| ())
        }
        _ => Err(missing()),
    }
}

/// Why a decision was refused, in plain words at its item; `None` when the refusal is a page
/// of its own (not found, not allowed, signed out).
fn refusal(visitor: &Visitor, error: &ApiError) -> Option<String> {
    match error {
        ApiError::Validation(fields) => Some(if fields.iter().any(|f| f.field == "reason") {
            text(visitor, "err-manage-reason", &[])
        } else {
            fields
                .iter()
                .map(|f| format!("{}: {}", f.field, f.message))
                .collect::<Vec<_>>()
                .join("; ")
        }),
        ApiError::Problem(p) if p.code == "capacity_exhausted" => {
            let day = p
                .extensions
                .get("first_full_day")
                .and_then(|d| d.as_str())
                .unwrap_or_default()
                .to_owned();
            Some(text(visitor, "err-manage-full", &[("day", Arg::from(day))]))
        }
        ApiError::Problem(p) if p.status == StatusCode::CONFLICT => {
            Some(text(visitor, "err-manage-changed", &[]))
        }
        ApiError::Problem(p) if p.status == StatusCode::FORBIDDEN => {
            Some(text(visitor, "err-manage-not-yours", &[]))
        }
        _ => None,
    }
}

fn is_htmx(req: &HttpRequest) -> bool {
    req.headers()
        .get("hx-request")
        .is_some_and(|v| v.as_bytes() == b"true")
}

/// `POST /manage/{kind}/{id}/{action}`: a decision on one waiting item.
pub async fn act(
    state: web::Data<AppState>,
    req: HttpRequest,
    path: web::Path<(String, String, String)>,
    form: Submitted,
) -> PageResult {
    let Submitted { visitor, data } = form;
    visitor.manager()?;
    let (kind, id, action) = path.into_inner();
    let done = done_key(&kind, &action).ok_or_else(|| PageError::not_found(&visitor))?;
    let reason = data.get("reason");
    let back = back_to(data.get("back").as_deref());
    let outcome = decide(&state, &visitor, &kind, &id, &action, reason).await;
    let htmx = is_htmx(&req);
    match outcome {
        Ok(()) if htmx => {
            let item = Item {
                kind: static_kind(&kind),
                id: id.clone(),
                done: Some(text(&visitor, done, &[])),
                ..Item::default()
            };
            // An approval takes places that requests at the same offer on the same days had
            // free (a rejection leaves them as they were), and a decision changes how many
            // wait: those come along, swapped out of band.
            let who = visitor.manager()?;
            let (sharing, total) = if kind == "requests" {
                waiting::after_decision(&state, who, id.clone())
                    .await
                    .or_page(&visitor)?
            } else {
                let counts = waiting::counts(&state, who).await.or_page(&visitor)?;
                (Vec::new(), counts.iter().sum())
            };
            let others: Vec<Item> = sharing
                .iter()
                .map(|a| approval(&visitor, a))
                .filter(|i| i.id != id)
                .collect();
            page_with_status(
                &visitor,
                StatusCode::OK,
                "manage_decided.html",
                context! { item => item, others => others, total => waiting_badge(total) },
            )
        }
        Ok(()) => Ok(see_other_with(&visitor, &back, done)),
        Err(e) => {
            let Some(message) = refusal(&visitor, &e) else {
                return Err(PageError::from_api(e, &visitor));
            };
            let status = match &e {
                ApiError::Problem(p) => p.status,
                _ => StatusCode::UNPROCESSABLE_ENTITY,
            };
            if htmx {
                // The item as it stands now, with why; gone if it no longer waits.
                let who = visitor.manager()?;
                let section = section_of(&kind, &action);
                let now = waiting::find(&state, who, section, id.clone())
                    .await
                    .or_page(&visitor)?;
                let mut item = now.as_ref().map_or_else(
                    || Item {
                        kind: static_kind(&kind),
                        id: id.clone(),
                        ..Item::default()
                    },
                    |f| found(&visitor, f),
                );
                item.error = Some(message);
                // htmx swaps only successful answers; the item itself says it was refused.
                fragment(&visitor, StatusCode::OK, item)
            } else {
                if back.starts_with("/manage/partnerships/") {
                    partnerships::show_one(&state, &visitor, &id, status, Some(message)).await
                } else if back.starts_with("/manage/smes") {
                    members::show(
                        &state,
                        &visitor,
                        members::SmeFilter::default(),
                        status,
                        Some((id, message)),
                    )
                    .await
                } else {
                    // `back` is one `back_to` let through: `/manage` or `/manage?list=n`.
                    let pages = back
                        .strip_prefix("/manage?")
                        .and_then(|q| web::Query::<HashMap<String, String>>::from_query(q).ok())
                        .map_or([1; 4], |query| pages_asked(&query));
                    show(&state, &visitor, pages, status, Some((id, message))).await
                }
            }
        }
    }
}

/// The page a decision came from (its form's `back`), to go back to: a page of `/manage`'s
/// lists, `/manage/smes`, a partnership's page, or else `/manage`. Nothing else is followed.
fn back_to(back: Option<&str>) -> String {
    match back {
        Some("/manage/smes") => "/manage/smes".to_owned(),
        Some(page)
            if page
                .strip_prefix("/manage/partnerships/")
                .and_then(PartnershipId::parse)
                .is_some() =>
        {
            page.to_owned()
        }
        Some(page) => page
            .strip_prefix("/manage?")
            .and_then(|q| q.split_once('='))
            .and_then(|(list, n)| {
                let section = Section::ALL.into_iter().find(|s| s.name() == list)?;
                let n = n.parse::<i64>().ok().filter(|n| *n >= 1)?;
                Some(format!("/manage?{}={n}", section.name()))
            })
            .unwrap_or_else(|| "/manage".to_owned()),
        None => "/manage".to_owned(),
    }
}

/// The list a decision's item is in.
fn section_of(kind: &str, action: &str) -> Section {
    match (kind, action) {
        ("requests", "endorse" | "decline") => Section::Endorsements,
        ("requests", _) => Section::Approvals,
        ("smes", _) => Section::SignUps,
        _ => Section::Proposals,
    }
}

fn static_kind(kind: &str) -> &'static str {
    match kind {
        "smes" => "smes",
        "partnerships" => "partnerships",
        _ => "requests",
    }
}

/// One item alone, for htmx to swap in.
fn fragment(visitor: &Visitor, status: StatusCode, item: Item) -> PageResult {
    page_with_status(
        visitor,
        status,
        "manage_item.html",
        context! { item => item },
    )
}
