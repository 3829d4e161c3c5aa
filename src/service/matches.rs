//! An SME's matches: the published offers it could land at, best first. Who may ask is
//! [`policy::smes::view`] (the SME's members, its home cluster, the admin); how an offer is
//! weighed is [`crate::domain::matches`]; which days are open is
//! [`crate::domain::calendar::open_days`], the rule landings are counted by.
//!
//! An offer is eligible when it is published, its cluster is in an active partnership with the
//! SME's home cluster (never the home cluster itself), the partnership's terms cover its kind,
//! and it has an open day in the window: the next [`DEFAULT_WINDOW_DAYS`] days in the host's
//! calendar, or `[from, to]`.

use std::collections::{HashMap, HashSet};

use chrono::{Days, NaiveDate};

use crate::auth::Principal;
use crate::auth::policy::smes::{self as policy, Subject};
use crate::db::clusters::{self, ClusterRow};
use crate::db::matches as store;
use crate::db::offers::{ClusterSummaryRow, OfferRow};
use crate::db::smes;
use crate::domain::calendar::{Opening, open_days};
use crate::domain::ids::SmeId;
use crate::domain::matches::{Candidate, Score, Seeker, score};
use crate::domain::values::DateRange;
use crate::error::ApiError;
use crate::state::AppState;

/// The window when the query names none: today and the 89 days after it, in the host's
/// calendar.
pub const DEFAULT_WINDOW_DAYS: u64 = 90;

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
        let ids: Vec<String> = candidates.iter().map(|o| o.id.clone()).collect();
        let mut blackouts: HashMap<String, Vec<(NaiveDate, NaiveDate)>> = HashMap::new();
        for (offer, start, end) in store::blackouts(tx.conn, &ids, lo, hi)? {
            blackouts.entry(offer).or_default().push((start, end));
        }
        let full: HashSet<(String, NaiveDate)> = store::full_days(tx.conn, &ids, lo, hi)?
            .into_iter()
            .collect();

        let (markets, languages) = (sme.target_markets(), sme.languages());
        let seeker = Seeker {
            target_markets: &markets,
            sector: &sme.sector,
            languages: &languages,
        };
        let mut ranked: Vec<(u32, String, Score)> = Vec::new();
        for o in &candidates {
            let (Some(cluster), Some((from, to))) = (
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
            let none = Vec::new();
            let closed = blackouts.get(&o.id).unwrap_or(&none);
            let open = open_days(&opening, closed, *from, *to);
            if open.is_empty() {
                continue;
            }
            let free = open
                .iter()
                .filter(|d| !full.contains(&(o.id.clone(), **d)))
                .count();
            let (offer_sectors, cluster_sectors, offer_languages) =
                (o.sectors(), cluster.sectors(), o.languages());
            let s = score(
                seeker,
                Candidate {
                    country: &cluster.country,
                    offer_sectors: &offer_sectors,
                    cluster_sectors: &cluster_sectors,
                    languages: &offer_languages,
                    open_days: open.len(),
                    free_days: free,
                },
            );
            ranked.push((s.points, o.id.clone(), s));
        }
        ranked.sort_by(|a, b| b.0.cmp(&a.0).then_with(|| a.1.cmp(&b.1)));
        let page: Vec<(u32, String, Score)> = ranked
            .into_iter()
            .filter(|(points, id, _)| match &query.after {
                None => true,
                Some(after) => {
                    *points < after.points || (*points == after.points && *id > after.id)
                }
            })
            .take(usize::try_from(query.limit + 1).unwrap_or(1))
            .collect();
        let page_ids: Vec<String> = page.iter().map(|(_, id, _)| id.clone()).collect();
        let mut rows: HashMap<String, (OfferRow, ClusterSummaryRow)> =
            store::with_clusters(tx.conn, &page_ids)?
                .into_iter()
                .map(|(o, c)| (o.id.to_string(), (o, c)))
                .collect();
        Ok(page
            .into_iter()
            .filter_map(|(_, id, score)| {
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
