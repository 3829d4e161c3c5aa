//! What waits for a cluster's managers: requests to approve (each day with the places it has
//! left), endorsements to give, SMEs to verify and partnership proposals to answer. The page
//! reads it in a handful of queries, however long the lists are; the decisions themselves go
//! through the same use cases as the API's.

use chrono::NaiveDate;

use crate::auth::{Principal, policy};
use crate::db::partnerships::PartnershipRow;
use crate::db::smes::SmeRow;
use crate::db::waiting::{self as store, Request};
use crate::domain::landing::LandingState;
use crate::error::ApiError;
use crate::state::AppState;

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

/// Everything that waits for the cluster's managers.
#[derive(Debug, Clone, Default)]
pub struct Waiting {
    pub approvals: Vec<ToApprove>,
    pub endorsements: Vec<Request>,
    pub sign_ups: Vec<SmeRow>,
    /// Each with the proposing cluster's name.
    pub proposals: Vec<(PartnershipRow, String)>,
}

impl Waiting {
    pub fn total(&self) -> usize {
        self.approvals.len() + self.endorsements.len() + self.sign_ups.len() + self.proposals.len()
    }
}

/// What waits for the caller's cluster (its managers only).
pub async fn waiting(app: &AppState, actor: Principal) -> Result<Waiting, ApiError> {
    let cluster = policy::waiting::of(&actor)?.to_owned();
    app.read(move |tx| {
        let approvals = store::requests(tx.conn, &cluster, LandingState::PendingApproval, true)?;
        let rows: Vec<_> = approvals.iter().map(|r| &r.landing).collect();
        let booked = store::booked(tx.conn, &rows)?;
        let approvals = approvals
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
            .collect();
        Ok(Waiting {
            approvals,
            endorsements: store::requests(
                tx.conn,
                &cluster,
                LandingState::PendingEndorsement,
                false,
            )?,
            sign_ups: store::sign_ups(tx.conn, &cluster)?,
            proposals: store::proposals(tx.conn, &cluster)?,
        })
    })
    .await
}

/// How many items wait for the caller's cluster (none for anyone but its managers).
pub async fn count(app: &AppState, actor: Principal) -> Result<i64, ApiError> {
    let Ok(cluster) = policy::waiting::of(&actor).map(str::to_owned) else {
        return Ok(0);
    };
    app.read(move |tx| Ok(store::counts(tx.conn, &cluster)?.iter().sum()))
        .await
}
