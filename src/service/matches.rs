//! An SME's matches: the published offers it could land at, best first. Who may ask is
//! [`policy::smes::view`] (the SME's members, its home cluster, the admin); how an offer is
//! weighed is [`crate::domain::matches`]; which days are open is
//! [`crate::domain::calendar::open_days`], the rule landings are counted by.
//!
//! An offer is eligible when it is published, its cluster is in an active partnership with the
//! SME's home cluster (never the home cluster itself), the partnership's terms cover its kind,
//! and it has an open day in the window: the next [`DEFAULT_WINDOW_DAYS`] days in the host's
//! calendar, or `[from, to]`.
//!
//! A home cluster may have dozens of partners and thousands of offers among them. Everything
//! but free places is weighed from the offers' own columns; free places need the blackouts and
//! the booking ledger, so they are read for the offers that could still reach the page, best
//! possible first ([`crate::domain::matches::top`]), not for all of them.

use std::collections::{HashMap, HashSet};

use chrono::{Days, NaiveDate};

use crate::auth::Principal;
use crate::auth::policy::smes::{self as policy, Subject};
use crate::db::clusters::{self, ClusterRow};
use crate::db::matches as store;
use crate::db::offers;
use crate::db::offers::{ClusterSummaryRow, OfferRow};
use crate::db::smes;
use crate::domain::calendar::{Opening, has_open_day, open_days};
use crate::domain::ids::SmeId;
use crate::domain::matches::{Candidate, Score, Seeker, best_possible, score, top};
use crate::domain::values::DateRange;
use crate::error::ApiError;
use crate::state::AppState;

/// The window when the query names none: today and the 89 days after it, in the host's
/// calendar.
pub const DEFAULT_WINDOW_DAYS: u64 = 90;

/// Offers whose free places are weighed together, in one query each for their blackouts and
/// their full days.
const BATCH: usize = 200;

/// What a score needs of an eligible offer besides its free places.
struct Facts<'a> {
    country: &'a str,
    offer_sectors: Vec<String>,
    cluster_sectors: &'a [String],
    languages: Vec<String>,
    opening: Opening,
    /// The host's window.
    window: (NaiveDate, NaiveDate),
}

impl Facts<'_> {
    fn candidate(&self, open_days: usize, free_days: usize) -> Candidate<'_> {
        Candidate {
            country: self.country,
            offer_sectors: &self.offer_sectors,
            cluster_sectors: self.cluster_sectors,
            languages: &self.languages,
            open_days,
            free_days,
        }
    }
}

/// Where a page of matches ended: the last item's score (points) and offer id.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct After {
    pub points: u32,
    pub id: String,
}

/// A well-formed matches query.
#[derive(Debug, Clone)]
pub struct MatchQuery {
    pub window: Option<DateRange>,
    pub after: Option<After>,
    pub limit: i64,
}

/// An eligible offer, with its host cluster and its score.
#[derive(Debug, Clone)]
pub struct Match {
    pub offer: OfferRow,
    pub cluster: ClusterSummaryRow,
    pub score: Score,
}

/// The SME's matches after `query.after`, best first (score, then offer id), `limit + 1` at
/// most so the caller can tell whether another page follows. 404 to whoever may not see the
/// SME, before the query's own errors.
pub async fn matches(
    app: &AppState,
    actor: Principal,
    id: SmeId,
    query: Result<MatchQuery, ApiError>,
) -> Result<Vec<Match>, ApiError> {
    app.read(move |tx| {
        let sme = smes::find(tx.conn, &id)?.ok_or_else(|| ApiError::not_found("SME"))?;
        policy::view(
            &actor,
            Subject {
                id: &sme.id,
                home_cluster_id: &sme.home_cluster_id,
            },
        )?;
        let query = query?;
        let home = sme.home_cluster_id.to_string();

        // The partners and the kinds each partnership covers.
        let mut covered: HashMap<String, HashSet<String>> = HashMap::new();
        for p in store::active_partnerships(tx.conn, &home)? {
            let partner = if p.proposer_cluster_id.as_str() == home {
                p.partner_cluster_id.to_string()
            } else {
                p.proposer_cluster_id.to_string()
            };
            if partner != home {
                covered.entry(partner).or_default().extend(p.services());
            }
        }
        if covered.is_empty() {
            return Ok(Vec::new());
        }
        let partner_ids: Vec<String> = covered.keys().cloned().collect();
        let partners: HashMap<String, ClusterRow> = clusters::find_many(tx.conn, &partner_ids)?
            .into_iter()
            .map(|c| (c.id.to_string(), c))
            .collect();

        // Each host's window, and the days that span them all.
        let window_of = |cluster: &ClusterRow| -> (NaiveDate, NaiveDate) {
            match query.window {
                Some(w) => (w.start(), w.end()),
                None => {
                    let today = tx.clock.today_in(&cluster.timezone);
                    (today, today + Days::new(DEFAULT_WINDOW_DAYS - 1))
                }
            }
        };
        let windows: HashMap<&str, (NaiveDate, NaiveDate)> = partners
            .iter()
            .map(|(id, c)| (id.as_str(), window_of(c)))
            .collect();
        let (Some(lo), Some(hi)) = (
            windows.values().map(|w| w.0).min(),
            windows.values().map(|w| w.1).max(),
        ) else {
            return Ok(Vec::new());
        };

        let candidates: Vec<store::CandidateRow> =
            store::candidates(tx.conn, &partner_ids, lo, hi)?
                .into_iter()
                .filter(|o| {
                    covered
                        .get(&o.cluster_id)
                        .is_some_and(|k| k.contains(&o.kind))
                })
                .collect();
        if candidates.is_empty() {
            return Ok(Vec::new());
        }
        let (markets, languages) = (sme.target_markets(), sme.languages());
        let seeker = Seeker {
            target_markets: &markets,
            sector: &sme.sector,
            languages: &languages,
        };
        let cluster_sectors: HashMap<&str, Vec<String>> = partners
            .iter()
            .map(|(id, c)| (id.as_str(), c.sectors()))
            .collect();
        // What each offer brings but its free places, and the most it could score; offers
        // closed on every day of the window before any blackout are out already.
        let mut bounded: Vec<(u32, String, Facts<'_>)> = Vec::new();
        for o in &candidates {
            let (Some(cluster), Some(window)) = (
                partners.get(&o.cluster_id),
                windows.get(o.cluster_id.as_str()),
            ) else {
                continue;
            };
            let opening = Opening {
                available_from: o.available_from,
                available_until: o.available_until,
                weekdays: o.weekdays(),
                capacity: o.capacity,
            };
            if !has_open_day(&opening, &[], window.0, window.1) {
                continue;
            }
            let facts = Facts {
                country: &cluster.country,
                offer_sectors: o.sectors(),
                cluster_sectors: cluster_sectors
                    .get(o.cluster_id.as_str())
                    .map_or(&[][..], Vec::as_slice),
                languages: o.languages(),
                opening,
                window: *window,
            };
            bounded.push((
                best_possible(seeker, facts.candidate(1, 1)),
                o.id.clone(),
                facts,
            ));
        }

        // Weigh the offers' free places, best possible first, a batch at a time, until no offer
        // left could reach the page.
        let wanted = usize::try_from(query.limit + 1).unwrap_or(1);
        let after = |points: u32, id: &str| match &query.after {
            None => true,
            Some(a) => points < a.points || (points == a.points && id > a.id.as_str()),
        };
        let page = top(bounded, wanted, BATCH, after, |batch| {
            let ids: Vec<String> = batch.iter().map(|(_, id, _)| id.clone()).collect();
            let blackouts = offers::blackouts_of_offers(tx.conn, &ids, (lo, hi))?;
            let mut full: HashMap<String, HashSet<NaiveDate>> = HashMap::new();
            for (offer, day) in store::full_days(tx.conn, &ids, lo, hi)? {
                full.entry(offer).or_default().insert(day);
            }
            let mut weighed = Vec::new();
            for (_, id, facts) in batch {
                let closed = blackouts.get(id).map_or(&[][..], Vec::as_slice);
                let open = open_days(&facts.opening, closed, facts.window.0, facts.window.1);
                if open.is_empty() {
                    continue;
                }
                let free = match full.get(id) {
                    Some(full) => open.iter().filter(|d| !full.contains(d)).count(),
                    None => open.len(),
                };
                let s = score(seeker, facts.candidate(open.len(), free));
                weighed.push(((s.points, id.clone()), s));
            }
            Ok::<_, ApiError>(weighed)
        })?;
        let page_ids: Vec<String> = page.iter().map(|((_, id), _)| id.clone()).collect();
        let mut rows: HashMap<String, (OfferRow, ClusterSummaryRow)> =
            store::with_clusters(tx.conn, &page_ids)?
                .into_iter()
                .map(|(o, c)| (o.id.to_string(), (o, c)))
                .collect();
        Ok(page
            .into_iter()
            .filter_map(|((_, id), score)| {
                rows.remove(&id).map(|(offer, cluster)| Match {
                    offer,
                    cluster,
                    score,
                })
            })
            .collect())
    })
    .await
}
