//! What a caller may read of landings: one, a filtered page, the audit trail, the calendar
//! entry of an approved one.

use super::{load_visible, subject};
use crate::auth::Principal;
use crate::auth::policy::landings::{self as policy, ListScope};
use crate::db::audit::{self, EventRow, Trail};
use crate::db::clusters::{self, ClusterRow};
use crate::db::landings::{self as store, LandingRow, ListFilter, Scope};
use crate::db::offers::{self, OfferRow};
use crate::db::smes::{self, SmeRow};
use crate::domain::ids::LandingId;
use crate::domain::landing::{LandingAction, LandingState, transition};
use crate::error::ApiError;
use crate::notify::landings::{NotifyError, calendar_of};
use crate::state::AppState;

/// The landing `id`, if the caller may see it (404 otherwise).
pub async fn get(app: &AppState, actor: Principal, id: LandingId) -> Result<LandingRow, ApiError> {
    app.read(move |tx| load_visible(tx.conn, &actor, &id)).await
}

/// A well-formed list query; the caller's scope is added by [`list`].
#[derive(Debug, Clone, Default)]
pub struct ListQuery {
    pub state: Option<LandingState>,
    pub offer_id: Option<String>,
    pub sme_id: Option<String>,
    pub host_cluster_id: Option<String>,
    pub home_cluster_id: Option<String>,
    pub from: Option<chrono::NaiveDate>,
    pub to: Option<chrono::NaiveDate>,
    pub after: Option<String>,
    /// Newest first (the portal's list), from the landing before `before` when given.
    pub newest_first: bool,
    pub before: Option<String>,
    pub limit: i64,
}

/// The landings the caller may see: the SME its own, host managers those at their offers, home
/// managers their SMEs', the admin all; in creation order (or newest first), `limit + 1` at
/// most. Who may list is decided before the query's own errors are told.
pub async fn list(
    app: &AppState,
    actor: Principal,
    query: Result<ListQuery, ApiError>,
) -> Result<Vec<LandingRow>, ApiError> {
    let scope = match policy::list(&actor)? {
        ListScope::All => Scope::All,
        ListScope::Sme(id) => Scope::Sme(id),
        ListScope::Cluster(id) => Scope::Cluster(id),
    };
    let query = query?;
    let filter = ListFilter {
        scope,
        state: query.state,
        offer_id: query.offer_id,
        sme_id: query.sme_id,
        host_cluster_id: query.host_cluster_id,
        home_cluster_id: query.home_cluster_id,
        from: query.from,
        to: query.to,
        after: query.after,
        newest_first: query.newest_first,
        before: query.before,
        limit: query.limit,
    };
    app.read(move |tx| Ok(store::list(tx.conn, &filter)?)).await
}

/// The landing's audit trail, oldest first, `limit + 1` events after `after` at most.
pub async fn events(
    app: &AppState,
    actor: Principal,
    id: LandingId,
    after: Option<String>,
    limit: i64,
) -> Result<Vec<EventRow>, ApiError> {
    app.read(move |tx| {
        let row = load_visible(tx.conn, &actor, &id)?;
        Ok(audit::list(
            tx.conn,
            Trail::Landing(&row.id),
            after.as_deref(),
            Some(limit),
        )?)
    })
    .await
}

/// The approved landing as an iCalendar all-day event in the host's time zone.
pub async fn calendar(app: &AppState, actor: Principal, id: LandingId) -> Result<String, ApiError> {
    app.read(move |tx| {
        let row = load_visible(tx.conn, &actor, &id)?;
        if row.state != LandingState::Approved {
            return Err(ApiError::conflict(
                "landing_not_approved",
                format!(
                    "only an approved landing has a calendar entry; this one is {}",
                    row.state.as_str()
                ),
            ));
        }
        calendar_of(tx.conn, tx.settings, &row).map_err(|e| match e {
            NotifyError::Db(e) => ApiError::from(e),
            other => ApiError::internal(other.to_string()),
        })
    })
    .await
}

/// A landing with what a person reading it needs: the offer, the host and home clusters, the
/// SME, the audit trail, and the actions the caller may take on it now.
#[derive(Debug, Clone)]
pub struct LandingDetail {
    pub landing: LandingRow,
    pub offer: OfferRow,
    pub host: ClusterRow,
    pub home: ClusterRow,
    pub sme: SmeRow,
    pub events: Vec<EventRow>,
    /// The actions the caller's part in the landing allows from its state, today in the
    /// host's calendar (the state machine's answer, not a second copy of it).
    pub actions: Vec<LandingAction>,
    /// Whether the caller may give feedback now (the SME, once completed, once).
    pub may_give_feedback: bool,
    /// Today in the host's time zone.
    pub today: chrono::NaiveDate,
}

/// The landing `id` with its parties, trail and the caller's possible actions; 404 as
/// [`get`].
pub async fn detail(
    app: &AppState,
    actor: Principal,
    id: LandingId,
) -> Result<LandingDetail, ApiError> {
    app.read(move |tx| {
        let landing = load_visible(tx.conn, &actor, &id)?;
        let missing = |what: &str| ApiError::internal(format!("a landing names a missing {what}"));
        let offer = offers::find(tx.conn, &landing.offer_id)?.ok_or_else(|| missing("offer"))?;
        let host =
            clusters::find(tx.conn, &landing.host_cluster_id)?.ok_or_else(|| missing("host"))?;
        let home =
            clusters::find(tx.conn, &landing.home_cluster_id)?.ok_or_else(|| missing("home"))?;
        let sme = smes::find(tx.conn, &landing.sme_id)?.ok_or_else(|| missing("SME"))?;
        let events = audit::list(tx.conn, Trail::Landing(&landing.id), None, Some(200))?;
        let today = tx.today_in(&host.timezone);
        let parties = policy::parties(&actor, subject(&landing));
        let actions = LandingAction::ALL
            .into_iter()
            .filter(|a| *a != LandingAction::Expire)
            .filter(|a| a.parties().iter().any(|p| parties.contains(p)))
            .filter(|a| transition(landing.state, *a, today, landing.start_date).is_ok())
            .collect();
        let may_give_feedback = policy::feedback(&actor, subject(&landing)).is_ok()
            && landing.state == LandingState::Completed
            && landing.rating.is_none();
        Ok(LandingDetail {
            landing,
            offer,
            host,
            home,
            sme,
            events,
            actions,
            may_give_feedback,
            today,
        })
    })
    .await
}
