//! `/manage/smes`: the cluster's member SMEs, filtered by membership; the pending ones are
//! verified or declined here too (the decision posts to `/manage/smes/{id}/{action}`, as on
//! `/manage`). The home cluster's managers are mailed a link to this page at each sign-up.

use actix_web::http::StatusCode;
use actix_web::web;
use minijinja::context;
use serde::Deserialize;

use crate::domain::sme::Membership;
use crate::service::smes::{self, ListQuery};
use crate::state::AppState;
use crate::web::render::{OrPage, PageResult, page_with_status};
use crate::web::session::Visitor;
use crate::web::views::SmeView;

/// The most SMEs the page lists.
const LIMIT: i64 = 500;

#[derive(Debug, Default, Deserialize, serde::Serialize)]
pub struct SmeFilter {
    #[serde(default)]
    pub membership: String,
}

pub(super) async fn show(
    state: &AppState,
    visitor: &Visitor,
    filter: SmeFilter,
    status: StatusCode,
    refused: Option<(String, String)>,
) -> PageResult {
    let who = visitor.manager()?;
    let query = ListQuery {
        home_cluster_id: who.cluster_id.clone(),
        membership: Membership::parse(filter.membership.trim()),
        country: None,
        after: None,
        limit: LIMIT,
    };
    let mut rows = smes::list(state, who, Ok(query)).await.or_page(visitor)?;
    rows.truncate(LIMIT as usize);
    let items: Vec<SmeView> = rows.iter().map(SmeView::from).collect();
    let (error_at, error) = refused.unzip();
    page_with_status(
        visitor,
        status,
        "manage_smes.html",
        context! {
            items => items,
            filter => filter,
            memberships => Membership::ALL.iter().map(|m| m.as_str()).collect::<Vec<_>>(),
            error_at => error_at,
            error => error,
        },
    )
}

/// `GET /manage/smes`
pub async fn list(
    state: web::Data<AppState>,
    visitor: Visitor,
    filter: web::Query<SmeFilter>,
) -> PageResult {
    show(&state, &visitor, filter.into_inner(), StatusCode::OK, None).await
}
