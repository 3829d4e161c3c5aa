//! Reports of the network's use, for the coordinator (every pair, every landing) and for a
//! cluster's managers (the pairs and landings of their cluster): [`reciprocity`], who hosted
//! whom under each partnership, and [`summary`], how landings fared. Who sees what is
//! [`policy::reports`]; what counts and how, [`crate::domain::reports`]; the queries,
//! [`crate::db::reports`].
//!
//! A landing belongs to a range `[from, to]` when its stay shares a day with it; both are days
//! in the host's calendar, as every landing's dates are.

use std::collections::HashMap;

use crate::auth::Principal;
use crate::auth::policy::reports::{self as policy, Scope};
use crate::db::clusters::{self, ClusterRow};
use crate::db::partnerships::PartnershipRow;
use crate::db::reports::{self as store, Duration, Landings, Spread};
use crate::domain::landing::LandingState;
use crate::domain::offer::OfferKind;
use crate::domain::reports::{
    HOST_DECIDED, PairUse, days_within, host_approved, rate, round4, visitor_days,
};
use crate::domain::values::DateRange;
use crate::error::ApiError;
use crate::state::AppState;

/// A well-formed reciprocity query.
#[derive(Debug, Clone)]
pub struct ReciprocityQuery {
    pub range: DateRange,
    /// Only the partnerships with this cluster.
    pub partner_cluster_id: Option<String>,
}

/// One partnership's use over the range. Side A proposed the partnership, side B accepted.
#[derive(Debug, Clone)]
pub struct PairReport {
    pub partnership: PartnershipRow,
    pub cluster_a: ClusterRow,
    pub cluster_b: ClusterRow,
    pub used: PairUse,
}

/// The reciprocity report over `range`.
#[derive(Debug, Clone)]
pub struct Reciprocity {
    pub range: DateRange,
    pub pairs: Vec<PairReport>,
}

/// Each partnership the caller may see that has been in force, with the landings each side's
/// SMEs made at the other's offers and the visitor-days each side hosted in the range, in
/// partnership id order. The caller's right to the report is decided before the query's
/// errors are told.
pub async fn reciprocity(
    app: &AppState,
    actor: Principal,
    query: Result<ReciprocityQuery, ApiError>,
) -> Result<Reciprocity, ApiError> {
    let scope = policy::view(&actor)?;
    let query = query?;
    app.read(move |tx| {
        store::snapshot(tx.conn, |conn| {
            let own = match &scope {
                Scope::All => None,
                Scope::Cluster(c) => Some(c.as_str()),
            };
            let pairs =
                store::partnerships_in_force(conn, own, query.partner_cluster_id.as_deref())?;
            if pairs.is_empty() {
                return Ok(Reciprocity {
                    range: query.range,
                    pairs: Vec::new(),
                });
            }
            // The admin's whole report reads every used landing of the range; anything narrower
            // reads only its partnerships' landings.
            let ids: Vec<String> = pairs.iter().map(|p| p.id.to_string()).collect();
            let only = (own.is_some() || query.partner_cluster_id.is_some()).then_some(&ids[..]);
            let mut used: HashMap<(String, String), (i64, i64)> = HashMap::new();
            for d in store::use_by_direction(conn, query.range, only)? {
                let entry = used
                    .entry((d.partnership_id, d.host_cluster_id))
                    .or_default();
                entry.0 += d.landings;
                entry.1 += d.visitor_days_inside;
            }
            for s in store::straddling(conn, query.range, only)? {
                let inside = days_within(&s.days(), query.range);
                let entry = used
                    .entry((s.partnership_id, s.host_cluster_id))
                    .or_default();
                entry.1 += visitor_days(s.headcount, inside);
            }
            let mut cluster_ids: Vec<String> = pairs
                .iter()
                .flat_map(|p| {
                    [
                        p.proposer_cluster_id.to_string(),
                        p.partner_cluster_id.to_string(),
                    ]
                })
                .collect();
            cluster_ids.sort();
            cluster_ids.dedup();
            let clusters: HashMap<String, ClusterRow> = clusters::find_many(conn, &cluster_ids)?
                .into_iter()
                .map(|c| (c.id.to_string(), c))
                .collect();
            let cluster = |id: &str| {
                clusters.get(id).cloned().ok_or_else(|| {
                    ApiError::internal(format!("cluster {id} of a partnership is gone"))
                })
            };
            let pairs = pairs
                .into_iter()
                .map(|p| {
                    let (a, b) = (
                        p.proposer_cluster_id.to_string(),
                        p.partner_cluster_id.to_string(),
                    );
                    let mut pair = PairUse::default();
                    for (host, a_hosted) in [(&a, true), (&b, false)] {
                        if let Some((landings, days)) = used.get(&(p.id.to_string(), host.clone()))
                        {
                            pair.add(a_hosted, *landings, *days);
                        }
                    }
                    Ok(PairReport {
                        cluster_a: cluster(&a)?,
                        cluster_b: cluster(&b)?,
                        partnership: p,
                        used: pair,
                    })
                })
                .collect::<Result<Vec<_>, ApiError>>()?;
            Ok(Reciprocity {
                range: query.range,
                pairs,
            })
        })
    })
    .await
}

/// The median and 90th percentile of a duration, in whole seconds.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Durations {
    pub count: i64,
    pub median_seconds: Option<i64>,
    pub p90_seconds: Option<i64>,
}

impl From<Spread> for Durations {
    fn from(s: Spread) -> Durations {
        Durations {
            count: s.count,
            median_seconds: s.median.map(|x| x.round() as i64),
            p90_seconds: s.p90.map(|x| x.round() as i64),
        }
    }
}

/// How the landings of a range fared.
#[derive(Debug, Clone)]
pub struct Summary {
    pub range: DateRange,
    /// The cluster whose landings (hosted or sent) it covers; `None` for the whole network.
    pub cluster_id: Option<String>,
    pub landings: i64,
    /// Every state, those without landings at 0, in [`LandingState::ALL`]'s order.
    pub by_state: Vec<(LandingState, i64)>,
    /// Host countries with landings, the most first (ties by code).
    pub by_host_country: Vec<(String, i64)>,
    /// Offer kinds with landings, the most first (ties in [`OfferKind::ALL`]'s order).
    pub by_offer_kind: Vec<(OfferKind, i64)>,
    /// Landings the host approved, and those it approved or rejected.
    pub approved: i64,
    pub decided: i64,
    pub approval_rate: Option<f64>,
    /// From submission to the host's approval or rejection.
    pub time_to_decision: Durations,
    /// From submission to the home cluster's endorsement.
    pub time_to_endorsement: Durations,
    /// No-shows over landings whose stay was completed or missed.
    pub no_shows: i64,
    pub no_show_rate: Option<f64>,
    pub ratings: i64,
    pub average_rating: Option<f64>,
}

/// The summary of the landings in `range`: all of them for the admin, those a manager's
/// cluster hosted or sent.
pub async fn summary(
    app: &AppState,
    actor: Principal,
    range: Result<DateRange, ApiError>,
) -> Result<Summary, ApiError> {
    let scope = policy::view(&actor)?;
    let range = range?;
    app.read(move |tx| {
        store::snapshot(tx.conn, |conn| {
            let cluster_id = match scope {
                Scope::All => None,
                Scope::Cluster(c) => Some(c),
            };
            let landings = match &cluster_id {
                None => Landings::All,
                Some(c) => Landings::OfCluster(c),
            };
            let tallies = store::tallies(conn, range, landings)?;
            let decision = store::spread(conn, range, landings, Duration::HostDecision)?;
            let endorsement = store::spread(conn, range, landings, Duration::Endorsement)?;
            let mut hosts: Vec<String> =
                tallies.iter().map(|t| t.host_cluster_id.clone()).collect();
            hosts.sort();
            hosts.dedup();
            let country: HashMap<String, String> = clusters::find_many(conn, &hosts)?
                .into_iter()
                .map(|c| (c.id.to_string(), c.country))
                .collect();

            let mut by_state: HashMap<LandingState, i64> = HashMap::new();
            let mut by_country: HashMap<String, i64> = HashMap::new();
            let mut by_kind: HashMap<OfferKind, i64> = HashMap::new();
            let (mut total, mut rating_sum, mut ratings) = (0, 0, 0);
            for t in &tallies {
                let state = LandingState::parse(&t.state).ok_or_else(|| {
                    ApiError::internal(format!("unknown landing state {}", t.state))
                })?;
                let kind = OfferKind::parse(&t.kind).map_err(ApiError::internal)?;
                *by_state.entry(state).or_default() += t.landings;
                let host_country = country.get(&t.host_cluster_id).cloned().unwrap_or_default();
                *by_country.entry(host_country).or_default() += t.landings;
                *by_kind.entry(kind).or_default() += t.landings;
                total += t.landings;
                rating_sum += t.rating_sum;
                ratings += t.ratings;
            }
            let count = |state: LandingState| by_state.get(&state).copied().unwrap_or(0);
            let decided: i64 = HOST_DECIDED.iter().map(|s| count(*s)).sum();
            let approved: i64 = HOST_DECIDED
                .iter()
                .filter(|s| host_approved(**s))
                .map(|s| count(*s))
                .sum();
            let no_shows = count(LandingState::NoShow);
            let attended_or_missed = count(LandingState::Completed) + no_shows;

            let mut by_host_country: Vec<(String, i64)> = by_country.into_iter().collect();
            by_host_country.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
            let mut by_offer_kind: Vec<(OfferKind, i64)> = OfferKind::ALL
                .iter()
                .filter_map(|k| by_kind.get(k).map(|n| (*k, *n)))
                .collect();
            by_offer_kind.sort_by_key(|k| std::cmp::Reverse(k.1));
            Ok(Summary {
                range,
                cluster_id,
                landings: total,
                by_state: LandingState::ALL.iter().map(|s| (*s, count(*s))).collect(),
                by_host_country,
                by_offer_kind,
                approved,
                decided,
                approval_rate: rate(approved, decided),
                time_to_decision: decision.into(),
                time_to_endorsement: endorsement.into(),
                no_shows,
                no_show_rate: rate(no_shows, attended_or_missed),
                ratings,
                average_rating: (ratings > 0).then(|| round4(rating_sum as f64 / ratings as f64)),
            })
        })
    })
    .await
}
