//! What waits for a cluster's managers: requests to approve (each day with the places it has
//! left), endorsements to give, SMEs to verify and partnership proposals to answer. The page
//! reads a page of each list, [`PAGE_SIZE`] items, in a handful of queries however long the
//! lists are; the decisions themselves go through the same use cases as the API's.

use chrono::NaiveDate;

use crate::auth::{Principal, policy};
use crate::db::DbConnection;
use crate::db::landings;
use crate::db::partnerships::PartnershipRow;
use crate::db::smes::SmeRow;
use crate::db::waiting::{self as store, Request, Slice};
use crate::domain::landing::LandingState;
use crate::error::ApiError;
use crate::state::AppState;

/// How many items of one list a page shows.
pub const PAGE_SIZE: i64 = 25;

/// How far the navigation counts each list: enough to say "99+", and no more, so what every
/// manager page pays for its counts stays the same however long the lists grow.
pub const NAV_CAP: i64 = 100;

/// How many items wait for `cluster` by [`Section`], each counted up to [`NAV_CAP`]: what the
/// navigation shows.
pub fn nav_counts(conn: &mut DbConnection, cluster: &str) -> Result<[i64; 4], ApiError> {
    Ok(store::counts(conn, cluster, [NAV_CAP; 4])?)
}

/// The lists of what waits, in the order the page shows them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Section {
    Approvals,
    Endorsements,
    SignUps,
    Proposals,
}

impl Section {
    pub const ALL: [Section; 4] = [
        Section::Approvals,
        Section::Endorsements,
        Section::SignUps,
        Section::Proposals,
    ];

    /// Its name in the page's addresses and anchors.
    pub const fn name(self) -> &'static str {
        match self {
            Section::Approvals => "approvals",
            Section::Endorsements => "endorsements",
            Section::SignUps => "sign-ups",
            Section::Proposals => "proposals",
        }
    }

    const fn index(self) -> usize {
        self as usize
    }
}

/// One open day of a pending request, and the places the offer has left on it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DayPlaces {
    pub day: NaiveDate,
    pub free: i32,
    /// Whether the request's visitors fit.
    pub fits: bool,
}

/// A request to approve, with its days.
#[derive(Debug, Clone)]
pub struct ToApprove {
    pub request: Request,
    pub days: Vec<DayPlaces>,
}

impl ToApprove {
    /// The first day its visitors do not fit, if any.
    pub fn first_full_day(&self) -> Option<NaiveDate> {
        self.days.iter().find(|d| !d.fits).map(|d| d.day)
    }
}

/// A page of what waits for the cluster's managers.
#[derive(Debug, Clone, Default)]
pub struct Waiting {
    pub approvals: Vec<ToApprove>,
    pub endorsements: Vec<Request>,
    pub sign_ups: Vec<SmeRow>,
    /// Each with the proposing cluster's name.
    pub proposals: Vec<(PartnershipRow, String)>,
    /// How many items each list holds in all, by [`Section`].
    pub counts: [i64; 4],
    /// The page of each list shown, from 1, by [`Section`]; never past its last page.
    pub pages: [i64; 4],
}

impl Waiting {
    /// How many items wait in all.
    pub fn total(&self) -> i64 {
        self.counts.iter().sum()
    }

    pub fn count(&self, section: Section) -> i64 {
        self.counts[section.index()]
    }

    pub fn page(&self, section: Section) -> i64 {
        self.pages[section.index()]
    }

    /// How many pages the list has (at least one, empty or not).
    pub fn last_page(&self, section: Section) -> i64 {
        last_page(self.count(section))
    }
}

fn last_page(count: i64) -> i64 {
    ((count + PAGE_SIZE - 1) / PAGE_SIZE).max(1)
}

/// One item that waits, found by its id.
#[derive(Debug, Clone)]
pub enum Found {
    Approval(ToApprove),
    Endorsement(Request),
    SignUp(SmeRow),
    Proposal(PartnershipRow, String),
}

/// The requests with the places each of their days has left.
fn with_places(
    conn: &mut DbConnection,
    requests: Vec<Request>,
) -> Result<Vec<ToApprove>, ApiError> {
    let rows: Vec<_> = requests.iter().map(|r| &r.landing).collect();
    let booked = store::booked(conn, &rows)?;
    Ok(requests
        .into_iter()
        .map(|request| {
            let days = request
                .landing
                .days()
                .into_iter()
                .map(|day| {
                    let taken = booked
                        .get(&(request.landing.offer_id.to_string(), day))
                        .copied()
                        .unwrap_or(0);
                    let free = (request.capacity - taken).max(0);
                    DayPlaces {
                        day,
                        free,
                        fits: free >= request.landing.headcount,
                    }
                })
                .collect();
            ToApprove { request, days }
        })
        .collect())
}

/// What waits for the caller's cluster (its managers only): page `pages[s]` (from 1) of each
/// list [`Section`] `s`, a page past the end being the last. `counted` is the navigation's
/// count of each list for this request (up to [`NAV_CAP`], read with the session), if it was
/// read: a list it counted below the cap is not counted again.
pub async fn waiting(
    app: &AppState,
    actor: Principal,
    pages: [i64; 4],
    counted: Option<[i64; 4]>,
) -> Result<Waiting, ApiError> {
    let cluster = policy::waiting::of(&actor)?.to_owned();
    // One snapshot: its generic plans serve the paged lists (see `db::snapshot`), and what it
    // counts agrees with what it lists.
    app.read(move |tx| {
        crate::db::snapshot(tx.conn, |conn| {
            let counts = exact_counts(conn, &cluster, counted)?;
            let mut shown = [1; 4];
            for s in Section::ALL {
                shown[s.index()] = pages[s.index()].clamp(1, last_page(counts[s.index()]));
            }
            let slice = |s: Section| Slice::Page {
                limit: PAGE_SIZE,
                offset: (shown[s.index()] - 1) * PAGE_SIZE,
            };
            let count = |s: Section| counts[s.index()];
            let approvals = unless_empty(count(Section::Approvals), || {
                let requests = store::requests(
                    conn,
                    &cluster,
                    LandingState::PendingApproval,
                    true,
                    slice(Section::Approvals),
                )?;
                with_places(conn, requests)
            })?;
            let endorsements = unless_empty(count(Section::Endorsements), || {
                Ok(store::requests(
                    conn,
                    &cluster,
                    LandingState::PendingEndorsement,
                    false,
                    slice(Section::Endorsements),
                )?)
            })?;
            let sign_ups = unless_empty(count(Section::SignUps), || {
                Ok(store::sign_ups(conn, &cluster, slice(Section::SignUps))?)
            })?;
            let proposals = unless_empty(count(Section::Proposals), || {
                Ok(store::proposals(conn, &cluster, slice(Section::Proposals))?)
            })?;
            Ok(Waiting {
                approvals,
                endorsements,
                sign_ups,
                proposals,
                counts,
                pages: shown,
            })
        })
    })
    .await
}

/// The exact count of each list, from `counted` (the navigation's) where it is below the cap,
/// and from the database for the others, all of them in one statement.
fn exact_counts(
    conn: &mut DbConnection,
    cluster: &str,
    counted: Option<[i64; 4]>,
) -> Result<[i64; 4], ApiError> {
    let known = counted.unwrap_or([NAV_CAP; 4]);
    let caps = known.map(|n| if n < NAV_CAP { 0 } else { store::UNCAPPED });
    if caps.iter().all(|&cap| cap == 0) {
        return Ok(known);
    }
    let read = store::counts(conn, cluster, caps)?;
    Ok(std::array::from_fn(|i| {
        if caps[i] == 0 { known[i] } else { read[i] }
    }))
}

/// A list read by `read`, unless its count says it is empty: each read is a round trip to the
/// database.
fn unless_empty<T>(
    count: i64,
    read: impl FnOnce() -> Result<Vec<T>, ApiError>,
) -> Result<Vec<T>, ApiError> {
    if count > 0 { read() } else { Ok(Vec::new()) }
}

/// The item of `section` with this id, if it still waits for the caller's cluster.
pub async fn find(
    app: &AppState,
    actor: Principal,
    section: Section,
    id: String,
) -> Result<Option<Found>, ApiError> {
    let cluster = policy::waiting::of(&actor)?.to_owned();
    app.read(move |tx| {
        let one = Slice::One(&id);
        Ok(match section {
            Section::Approvals => {
                let requests =
                    store::requests(tx.conn, &cluster, LandingState::PendingApproval, true, one)?;
                with_places(tx.conn, requests)?
                    .into_iter()
                    .next()
                    .map(Found::Approval)
            }
            Section::Endorsements => store::requests(
                tx.conn,
                &cluster,
                LandingState::PendingEndorsement,
                false,
                one,
            )?
            .into_iter()
            .next()
            .map(Found::Endorsement),
            Section::SignUps => store::sign_ups(tx.conn, &cluster, one)?
                .into_iter()
                .next()
                .map(Found::SignUp),
            Section::Proposals => store::proposals(tx.conn, &cluster, one)?
                .into_iter()
                .next()
                .map(|(p, name)| Found::Proposal(p, name)),
        })
    })
    .await
}

/// After a decision on landing `decided`: the caller's requests to approve whose free places
/// it may have changed (those at the same offer sharing a day with it), and how many items
/// wait now, counted as the navigation counts them ([`nav_counts`]).
pub async fn after_decision(
    app: &AppState,
    actor: Principal,
    decided: String,
) -> Result<(Vec<ToApprove>, i64), ApiError> {
    let cluster = policy::waiting::of(&actor)?.to_owned();
    app.read(move |tx| {
        let total = nav_counts(tx.conn, &cluster)?.iter().sum();
        let Some(landing) = landings::find(tx.conn, &decided)? else {
            return Ok((Vec::new(), total));
        };
        if landing.host_cluster_id.as_str() != cluster {
            return Ok((Vec::new(), total));
        }
        let sharing = store::approvals_sharing_days(
            tx.conn,
            &cluster,
            landing.offer_id.as_str(),
            landing.start_date,
            landing.end_date,
        )?;
        Ok((with_places(tx.conn, sharing)?, total))
    })
    .await
}

/// How many items wait for the caller's cluster, by [`Section`], as the navigation counts them
/// ([`nav_counts`]; none for anyone but its managers).
pub async fn counts(app: &AppState, actor: Principal) -> Result<[i64; 4], ApiError> {
    let Ok(cluster) = policy::waiting::of(&actor).map(str::to_owned) else {
        return Ok([0; 4]);
    };
    app.read(move |tx| nav_counts(tx.conn, &cluster)).await
}
