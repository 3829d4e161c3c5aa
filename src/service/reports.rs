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
use crate::db::DbConnection;
use crate::db::clusters::{self, ClusterRow};
use crate::db::partnerships::PartnershipRow;
use crate::db::reports as store;
use crate::db::tallies::{self, Whose};
use crate::domain::landing::LandingState;
use crate::domain::offer::OfferKind;
use crate::domain::reports::{
    Dimension, HOST_DECIDED, NETWORK, PairUse, RangePlan, TallyLanding, host_approved,
    percentile_of_histogram, rate, round4,
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
    app.read(move |tx| crate::db::snapshot(tx.conn, |conn| reciprocity_in(conn, &scope, query)))
        .await
}

/// Both reports over one range, read on one snapshot: a page that shows them together.
pub async fn overview(
    app: &AppState,
    actor: Principal,
    query: Result<ReciprocityQuery, ApiError>,
) -> Result<(Reciprocity, Summary), ApiError> {
    let scope = policy::view(&actor)?;
    let query = query?;
    app.read(move |tx| {
        crate::db::snapshot(tx.conn, |conn| {
            let range = query.range;
            let (own, scope_id) = match &scope {
                Scope::All => (None, NETWORK.to_owned()),
                Scope::Cluster(c) => (Some(c.as_str()), c.clone()),
            };
            let pairs =
                store::partnerships_in_force(conn, own, query.partner_cluster_id.as_deref())?;
            let ids: Vec<String> = pairs.iter().map(|p| p.id.to_string()).collect();
            // One read of the tallies and of the edges serves both: a cluster's landings are
            // those of its partnerships, and each report keeps the scopes it counts.
            let mut scopes = ids.clone();
            scopes.push(scope_id.clone());
            let dimensions: Vec<Dimension> = Dimension::USE
                .into_iter()
                .chain(Dimension::SUMMARY)
                .collect();
            let whose = match own {
                None => Whose::All,
                Some(c) => Whose::Cluster(c),
            };
            let figures = Figures::read(conn, range, &scopes, &dimensions, whose)?;
            let cluster_id = own.map(str::to_owned);
            // The summary's hosts are clusters of these partnerships: read once for both.
            let mut known = KnownClusters::default();
            let reciprocity = reciprocity_of(conn, range, pairs, &ids, &figures, &mut known)?;
            let summary = summary_of(conn, range, cluster_id, &scope_id, &figures, &mut known)?;
            Ok((reciprocity, summary))
        })
    })
    .await
}

/// What a report counts over its range: the tallies of its whole months and the landings at
/// its edges (the days outside those months), read once.
struct Figures {
    plan: RangePlan,
    tallies: Vec<tallies::Tally>,
    edges: Vec<TallyLanding>,
}

impl Figures {
    fn read(
        conn: &mut DbConnection,
        range: DateRange,
        scopes: &[String],
        dimensions: &[Dimension],
        whose: Whose<'_>,
    ) -> Result<Figures, ApiError> {
        let plan = RangePlan::of(range);
        let tallies = match plan.months {
            Some((first, last)) => tallies::sum(conn, scopes, dimensions, first, last)?,
            None => Vec::new(),
        };
        let windows: Vec<_> = [plan.head, plan.tail].into_iter().flatten().collect();
        let edges = tallies::landings_at_edges(conn, &windows, range.start(), whose)?;
        Ok(Figures {
            plan,
            tallies,
            edges,
        })
    }

    /// Every figure of `range` in one of `dimensions` whose scope `wanted` accepts: the
    /// tallies', then the edges' contributions.
    fn each(
        &self,
        range: DateRange,
        dimensions: &[Dimension],
        wanted: impl Fn(&str) -> bool,
        mut f: impl FnMut(&str, Dimension, &str, i64, i64) -> Result<(), ApiError>,
    ) -> Result<(), ApiError> {
        for t in &self.tallies {
            if dimensions.contains(&t.dimension) && wanted(&t.scope) {
                f(&t.scope, t.dimension, &t.value, t.n, t.total)?;
            }
        }
        for l in &self.edges {
            for c in self.plan.outside_months(range, l) {
                if dimensions.contains(&c.dimension) && wanted(&c.scope) {
                    f(&c.scope, c.dimension, &c.value, c.n, c.total)?;
                }
            }
        }
        Ok(())
    }
}

fn reciprocity_in(
    conn: &mut DbConnection,
    scope: &Scope,
    query: ReciprocityQuery,
) -> Result<Reciprocity, ApiError> {
    let own = match scope {
        Scope::All => None,
        Scope::Cluster(c) => Some(c.as_str()),
    };
    let pairs = store::partnerships_in_force(conn, own, query.partner_cluster_id.as_deref())?;
    if pairs.is_empty() {
        return Ok(Reciprocity {
            range: query.range,
            pairs: Vec::new(),
        });
    }
    let ids: Vec<String> = pairs.iter().map(|p| p.id.to_string()).collect();
    // The admin's whole report reads every landing at the edges; anything narrower
    // only its partnerships' landings.
    let narrower = own.is_some() || query.partner_cluster_id.is_some();
    let whose = if narrower {
        Whose::Partnerships(&ids)
    } else {
        Whose::All
    };
    let figures = Figures::read(conn, query.range, &ids, &Dimension::USE, whose)?;
    let mut known = KnownClusters::default();
    reciprocity_of(conn, query.range, pairs, &ids, &figures, &mut known)
}

/// The clusters a snapshot's reports name, each read once: a report asks for those it names
/// and only the ones not yet read are fetched.
#[derive(Default)]
struct KnownClusters(HashMap<String, ClusterRow>);

impl KnownClusters {
    fn read(&mut self, conn: &mut DbConnection, ids: &[String]) -> Result<(), ApiError> {
        let missing: Vec<String> = ids
            .iter()
            .filter(|id| !self.0.contains_key(id.as_str()))
            .cloned()
            .collect();
        if !missing.is_empty() {
            for c in clusters::find_many(conn, &missing)? {
                self.0.insert(c.id.to_string(), c);
            }
        }
        Ok(())
    }

    fn get(&self, id: &str) -> Option<&ClusterRow> {
        self.0.get(id)
    }
}

/// The reciprocity of `pairs` (whose ids are `ids`) from figures read for them.
fn reciprocity_of(
    conn: &mut DbConnection,
    range: DateRange,
    pairs: Vec<PartnershipRow>,
    ids: &[String],
    figures: &Figures,
    known: &mut KnownClusters,
) -> Result<Reciprocity, ApiError> {
    if pairs.is_empty() {
        return Ok(Reciprocity {
            range,
            pairs: Vec::new(),
        });
    }
    let mut used: HashMap<(String, String), (i64, i64)> = HashMap::new();
    figures.each(
        range,
        &Dimension::USE,
        |scope| ids.iter().any(|id| id == scope),
        |partnership, dimension, host, n, total| {
            let entry = used
                .entry((partnership.to_owned(), host.to_owned()))
                .or_default();
            match dimension {
                Dimension::Landings => entry.0 += n,
                Dimension::VisitorDays => entry.1 += total,
                _ => {}
            }
            Ok(())
        },
    )?;
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
    known.read(conn, &cluster_ids)?;
    let cluster = |id: &str| {
        known
            .get(id)
            .cloned()
            .ok_or_else(|| ApiError::internal(format!("cluster {id} of a partnership is gone")))
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
                if let Some((landings, days)) = used.get(&(p.id.to_string(), host.clone())) {
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
    Ok(Reciprocity { range, pairs })
}

/// The median and 90th percentile of a duration, in whole seconds.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Durations {
    pub count: i64,
    pub median_seconds: Option<i64>,
    pub p90_seconds: Option<i64>,
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
    app.read(move |tx| crate::db::snapshot(tx.conn, |conn| summary_in(conn, scope, range)))
        .await
}

fn summary_in(
    conn: &mut DbConnection,
    scope: Scope,
    range: DateRange,
) -> Result<Summary, ApiError> {
    let cluster_id = match scope {
        Scope::All => None,
        Scope::Cluster(c) => Some(c),
    };
    let scope_id = cluster_id.clone().unwrap_or_else(|| NETWORK.to_owned());
    let whose = match &cluster_id {
        None => Whose::All,
        Some(c) => Whose::Cluster(c),
    };
    let figures = Figures::read(
        conn,
        range,
        std::slice::from_ref(&scope_id),
        &Dimension::SUMMARY,
        whose,
    )?;
    summary_of(
        conn,
        range,
        cluster_id,
        &scope_id,
        &figures,
        &mut KnownClusters::default(),
    )
}

/// The summary of `cluster_id`'s landings (the network's for `None`), whose tallies are kept
/// under `scope_id`, from figures read for it.
fn summary_of(
    conn: &mut DbConnection,
    range: DateRange,
    cluster_id: Option<String>,
    scope_id: &str,
    figures: &Figures,
    known: &mut KnownClusters,
) -> Result<Summary, ApiError> {
    let mut by_state: HashMap<LandingState, i64> = HashMap::new();
    let mut by_host: HashMap<String, i64> = HashMap::new();
    let mut by_kind: HashMap<OfferKind, i64> = HashMap::new();
    let (mut rating_sum, mut ratings) = (0, 0);
    let mut decisions: HashMap<i64, i64> = HashMap::new();
    let mut endorsements: HashMap<i64, i64> = HashMap::new();
    let feed = |_: &str, dimension: Dimension, value: &str, n: i64, total: i64| {
        match dimension {
            Dimension::State => {
                let state = LandingState::parse(value)
                    .ok_or_else(|| ApiError::internal(format!("unknown landing state {value}")))?;
                *by_state.entry(state).or_default() += n;
            }
            Dimension::Host => *by_host.entry(value.to_owned()).or_default() += n,
            Dimension::Kind => {
                let kind = OfferKind::parse(value).map_err(ApiError::internal)?;
                *by_kind.entry(kind).or_default() += n;
            }
            Dimension::Rating => {
                ratings += n;
                rating_sum += total;
            }
            Dimension::Decision | Dimension::Endorsement => {
                let seconds: i64 = value
                    .parse()
                    .map_err(|_| ApiError::internal(format!("a duration tally of {value}")))?;
                let histogram = if dimension == Dimension::Decision {
                    &mut decisions
                } else {
                    &mut endorsements
                };
                *histogram.entry(seconds).or_default() += n;
            }
            Dimension::Landings | Dimension::VisitorDays => {}
        }
        Ok::<(), ApiError>(())
    };
    figures.each(range, &Dimension::SUMMARY, |scope| scope == scope_id, feed)?;

    let hosts: Vec<String> = by_host
        .iter()
        .filter(|(_, n)| **n != 0)
        .map(|(h, _)| h.clone())
        .collect();
    known.read(conn, &hosts)?;
    let mut by_country: HashMap<String, i64> = HashMap::new();
    for (host, n) in &by_host {
        let host_country = known
            .get(host)
            .map(|c| c.country.clone())
            .unwrap_or_default();
        *by_country.entry(host_country).or_default() += n;
    }
    by_country.retain(|_, n| *n != 0);
    by_kind.retain(|_, n| *n != 0);
    let total: i64 = by_state.values().sum();
    let spread = |histogram: &HashMap<i64, i64>| {
        let list: Vec<(i64, i64)> = histogram.iter().map(|(v, n)| (*v, *n)).collect();
        Durations {
            count: list.iter().map(|(_, n)| n).sum(),
            median_seconds: percentile_of_histogram(&list, 0.5).map(|x| x.round() as i64),
            p90_seconds: percentile_of_histogram(&list, 0.9).map(|x| x.round() as i64),
        }
    };
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
        time_to_decision: spread(&decisions),
        time_to_endorsement: spread(&endorsements),
        no_shows,
        no_show_rate: rate(no_shows, attended_or_missed),
        ratings,
        average_rating: (ratings > 0).then(|| round4(rating_sum as f64 / ratings as f64)),
    })
}
