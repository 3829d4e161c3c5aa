//! How well an offer suits an SME: a score in [0, 1] made of weighted parts, each of which
//! says why it counted. Pure: the use case ([`crate::service::matches`]) finds the eligible
//! offers and their free days; this module only weighs them.
//!
//! | factor | weight | full marks when |
//! |---|---|---|
//! | `target_market` | 0.35 | the host cluster's country is one of the SME's `target_markets` |
//! | `sector` | 0.30 | the SME's sector is one of the offer's (half when only the host cluster's) |
//! | `language` | 0.20 | the offer is held in a language the SME's people speak |
//! | `free_places` | 0.15 | every open day of the window has a free place (pro rata) |
//!
//! Scores are kept in points out of [`FULL`], whole numbers, so ranking and paging never meet
//! a rounding difference.

use serde::Serialize;

/// The points of a perfect match.
pub const FULL: u32 = 10_000;

const TARGET_MARKET: u32 = 3_500;
const SECTOR: u32 = 3_000;
const LANGUAGE: u32 = 2_000;
const FREE_PLACES: u32 = 1_500;

/// A part of the score.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Factor {
    TargetMarket,
    Sector,
    Language,
    FreePlaces,
}

/// What the SME brings to the comparison.
#[derive(Debug, Clone, Copy)]
pub struct Seeker<'a> {
    /// ISO 3166-1 alpha-2, upper-case.
    pub target_markets: &'a [String],
    /// A sector label, lower-case.
    pub sector: &'a str,
    /// ISO 639-1, lower-case.
    pub languages: &'a [String],
}

/// What an eligible offer brings.
#[derive(Debug, Clone, Copy)]
pub struct Candidate<'a> {
    /// The host cluster's country.
    pub country: &'a str,
    pub offer_sectors: &'a [String],
    pub cluster_sectors: &'a [String],
    pub languages: &'a [String],
    /// Open days of the offer in the window (at least one, or it is not eligible).
    pub open_days: usize,
    /// Of those, the days with at least one place free.
    pub free_days: usize,
}

/// One part that counted, and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reason {
    pub factor: Factor,
    pub detail: String,
    /// What the part added, in points out of [`FULL`].
    pub points: u32,
}

/// A match's score and the parts it is made of (those that added something).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Score {
    /// Out of [`FULL`].
    pub points: u32,
    pub reasons: Vec<Reason>,
}

impl Score {
    /// The score in [0, 1].
    pub fn value(&self) -> f64 {
        f64::from(self.points) / f64::from(FULL)
    }
}

fn same(a: &str, b: &str) -> bool {
    a.trim().eq_ignore_ascii_case(b.trim())
}

/// Which of the profile's parts `offer` meets: target market, sector (`Some(true)` the offer's,
/// `Some(false)` only the host cluster's), the languages both speak.
struct Parts<'a> {
    market: bool,
    sector: Option<bool>,
    shared: Vec<&'a str>,
}

fn parts<'a>(sme: Seeker<'_>, offer: Candidate<'a>) -> Parts<'a> {
    Parts {
        market: sme.target_markets.iter().any(|m| same(m, offer.country)),
        sector: if offer.offer_sectors.iter().any(|s| same(s, sme.sector)) {
            Some(true)
        } else if offer.cluster_sectors.iter().any(|s| same(s, sme.sector)) {
            Some(false)
        } else {
            None
        },
        shared: offer
            .languages
            .iter()
            .filter(|l| sme.languages.iter().any(|s| same(s, l)))
            .map(String::as_str)
            .collect(),
    }
}

/// What free places add: [`FREE_PLACES`] pro rata of the open days with a place free.
fn free_points(offer: &Candidate<'_>) -> u32 {
    if offer.open_days == 0 {
        return 0;
    }
    let free = offer.free_days.min(offer.open_days);
    // At most 1500 × 366, far inside u64; the share is at most FREE_PLACES.
    (u64::from(FREE_PLACES) * free as u64 / offer.open_days as u64) as u32
}

/// Weighs `offer` for `sme`.
pub fn score(sme: Seeker<'_>, offer: Candidate<'_>) -> Score {
    let p = parts(sme, offer);
    let mut reasons = Vec::new();
    if p.market {
        reasons.push(Reason {
            factor: Factor::TargetMarket,
            detail: format!("{} is a target market", offer.country),
            points: TARGET_MARKET,
        });
    }
    match p.sector {
        Some(true) => reasons.push(Reason {
            factor: Factor::Sector,
            detail: format!("the offer is for the {} sector", sme.sector),
            points: SECTOR,
        }),
        Some(false) => reasons.push(Reason {
            factor: Factor::Sector,
            detail: format!("the host cluster works in the {} sector", sme.sector),
            points: SECTOR / 2,
        }),
        None => {}
    }
    if !p.shared.is_empty() {
        reasons.push(Reason {
            factor: Factor::Language,
            detail: format!(
                "the offer is held in {}, which the SME speaks",
                p.shared.join(", ")
            ),
            points: LANGUAGE,
        });
    }
    let free = free_points(&offer);
    if free > 0 {
        reasons.push(Reason {
            factor: Factor::FreePlaces,
            detail: format!(
                "places free on {} of {} open days in the window",
                offer.free_days.min(offer.open_days),
                offer.open_days
            ),
            points: free,
        });
    }
    Score {
        points: reasons.iter().map(|r| r.points).sum(),
        reasons,
    }
}

/// The most `offer` can score for `sme`: its score with places free on every open day. Ranking
/// weighs the free places of the offers that could still reach a page, not of every offer.
pub fn best_possible(sme: Seeker<'_>, offer: Candidate<'_>) -> u32 {
    let p = parts(sme, offer);
    let sector = match p.sector {
        Some(true) => SECTOR,
        Some(false) => SECTOR / 2,
        None => 0,
    };
    u32::from(p.market) * TARGET_MARKET
        + sector
        + u32::from(!p.shared.is_empty()) * LANGUAGE
        + FREE_PLACES
}

/// A scored offer: its points and its id.
pub type Ranked = (u32, String);

/// The first `wanted` of `offers` in rank order (points descending, then id ascending) among
/// those `keep` accepts (the ones after a page's cursor), when `offers` carry the most each
/// could score (`best`, at least its real score) and `weigh` scores a slice of them for real
/// (leaving out those it finds ineligible). Offers are weighed best possible first, `batch`
/// at a time, and no further once no offer left could reach the `wanted`-th place: the answer
/// is what weighing every offer would give.
pub fn top<T, E>(
    mut offers: Vec<(u32, String, T)>,
    wanted: usize,
    batch: usize,
    keep: impl Fn(u32, &str) -> bool,
    mut weigh: impl FnMut(&[(u32, String, T)]) -> Result<Vec<(Ranked, Score)>, E>,
) -> Result<Vec<(Ranked, Score)>, E> {
    offers.sort_by(|a, b| b.0.cmp(&a.0).then_with(|| a.1.cmp(&b.1)));
    let mut ranked: Vec<(Ranked, Score)> = Vec::new();
    for chunk in offers.chunks(batch.max(1)) {
        if wanted > 0 && ranked.len() >= wanted {
            let ((points, id), _) = &ranked[wanted - 1];
            let (best, next, _) = &chunk[0];
            if best < points || (best == points && next > id) {
                break;
            }
        }
        ranked.extend(
            weigh(chunk)?
                .into_iter()
                .filter(|((points, id), _)| keep(*points, id)),
        );
        ranked.sort_by(|a, b| b.0.0.cmp(&a.0.0).then_with(|| a.0.1.cmp(&b.0.1)));
        ranked.truncate(wanted);
    }
    Ok(ranked)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn strings(items: &[&str]) -> Vec<String> {
        items.iter().map(|s| (*s).to_owned()).collect()
    }

    #[test]
    fn a_perfect_match_scores_one_and_says_why() {
        let (markets, languages) = (strings(&["SE", "FI"]), strings(&["en", "de"]));
        let sme = Seeker {
            target_markets: &markets,
            sector: "software",
            languages: &languages,
        };
        let (sectors, offered) = (strings(&["software", "ai"]), strings(&["sv", "en"]));
        let score = score(
            sme,
            Candidate {
                country: "SE",
                offer_sectors: &sectors,
                cluster_sectors: &[],
                languages: &offered,
                open_days: 10,
                free_days: 10,
            },
        );
        assert_eq!(score.points, FULL);
        assert_eq!(score.value(), 1.0);
        let factors: Vec<Factor> = score.reasons.iter().map(|r| r.factor).collect();
        assert_eq!(
            factors,
            [
                Factor::TargetMarket,
                Factor::Sector,
                Factor::Language,
                Factor::FreePlaces
            ]
        );
        assert_eq!(score.reasons[0].detail, "SE is a target market");
        assert_eq!(
            score.reasons[2].detail,
            "the offer is held in en, which the SME speaks"
        );
        assert_eq!(
            score.reasons[3].detail,
            "places free on 10 of 10 open days in the window"
        );
    }

    #[test]
    fn each_part_weighs_what_the_table_says() {
        let (markets, languages) = (strings(&["FR"]), strings(&["fr"]));
        let sme = Seeker {
            target_markets: &markets,
            sector: "fintech",
            languages: &languages,
        };
        let (none, cluster) = (Vec::new(), strings(&["FinTech"]));
        let nothing = Candidate {
            country: "SE",
            offer_sectors: &none,
            cluster_sectors: &none,
            languages: &none,
            open_days: 4,
            free_days: 0,
        };
        assert_eq!(
            score(sme, nothing),
            Score {
                points: 0,
                reasons: vec![]
            }
        );
        assert_eq!(
            score(
                sme,
                Candidate {
                    country: "FR",
                    ..nothing
                }
            )
            .points,
            3_500
        );
        let cluster_only = score(
            sme,
            Candidate {
                cluster_sectors: &cluster,
                ..nothing
            },
        );
        assert_eq!(cluster_only.points, 1_500);
        assert_eq!(
            cluster_only.reasons[0].detail,
            "the host cluster works in the fintech sector"
        );
        // Three free days of four: three quarters of 1500.
        let free = score(
            sme,
            Candidate {
                free_days: 3,
                ..nothing
            },
        );
        assert_eq!(free.points, 1_125);
        assert_eq!((free.value() * 10_000.0).round(), 1_125.0);
    }

    #[test]
    fn an_sme_without_a_profile_still_ranks_by_free_places() {
        let sme = Seeker {
            target_markets: &[],
            sector: "software",
            languages: &[],
        };
        let en = strings(&["en"]);
        let s = score(
            sme,
            Candidate {
                country: "DE",
                offer_sectors: &[],
                cluster_sectors: &[],
                languages: &en,
                open_days: 5,
                free_days: 5,
            },
        );
        assert_eq!(s.points, 1_500);
        assert_eq!(s.reasons.len(), 1);
        assert!(s.value() >= 0.0 && s.value() <= 1.0);
    }

    #[test]
    fn weighing_the_likely_best_first_ranks_as_weighing_all() {
        // 300 offers: a best possible of 0..=10000 and a real score at most that, some
        // ineligible, many ties; every batch size and page must rank as the whole list does.
        let mut seed = 7u64;
        let mut next = move || {
            seed = seed
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            (seed >> 33) as u32
        };
        let offers: Vec<(u32, String, (u32, bool))> = (0..300)
            .map(|i| {
                let best = (next() % 8) * 1_250;
                let real = best - (next() % 3) * 500.min(best);
                (best, format!("{i:04}"), (real, next() % 10 == 0))
            })
            .collect();
        let weigh = |chunk: &[(u32, String, (u32, bool))]| -> Result<Vec<(Ranked, Score)>, ()> {
            Ok(chunk
                .iter()
                .filter(|(_, _, (_, out))| !out)
                .map(|(_, id, (real, _))| {
                    let score = Score {
                        points: *real,
                        reasons: vec![],
                    };
                    ((*real, id.clone()), score)
                })
                .collect())
        };
        let all = top(offers.clone(), usize::MAX, usize::MAX, |_, _| true, weigh).unwrap();
        assert_eq!(all.len(), offers.iter().filter(|o| !o.2.1).count());
        for batch in [1, 7, 50, 1_000] {
            for wanted in [1, 5, 21] {
                let page = top(offers.clone(), wanted, batch, |_, _| true, weigh).unwrap();
                assert_eq!(page, all[..wanted], "batch {batch}, wanted {wanted}");
                // The page after the fifth item.
                let (cut, cut_id) = all[4].0.clone();
                let after = |p: u32, id: &str| p < cut || (p == cut && id > cut_id.as_str());
                let page = top(offers.clone(), wanted, batch, after, weigh).unwrap();
                assert_eq!(
                    page,
                    all[5..5 + wanted],
                    "after, batch {batch}, wanted {wanted}"
                );
            }
        }
    }

    #[test]
    fn no_offer_scores_above_its_best_possible() {
        let (markets, languages, sectors) = (strings(&["SE"]), strings(&["en"]), strings(&["ai"]));
        let sme = Seeker {
            target_markets: &markets,
            sector: "ai",
            languages: &languages,
        };
        for free_days in 0..=7 {
            let offer = Candidate {
                country: "SE",
                offer_sectors: &[],
                cluster_sectors: &sectors,
                languages: &languages,
                open_days: 7,
                free_days,
            };
            assert!(score(sme, offer).points <= best_possible(sme, offer));
            if free_days == 7 {
                assert_eq!(score(sme, offer).points, best_possible(sme, offer));
            }
        }
        assert_eq!(
            best_possible(
                sme,
                Candidate {
                    country: "SE",
                    offer_sectors: &[],
                    cluster_sectors: &sectors,
                    languages: &languages,
                    open_days: 7,
                    free_days: 0,
                }
            ),
            3_500 + 1_500 + 2_000 + 1_500
        );
    }
}
