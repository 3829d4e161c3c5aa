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

/// Weighs `offer` for `sme`.
pub fn score(sme: Seeker<'_>, offer: Candidate<'_>) -> Score {
    let mut reasons = Vec::new();
    if sme.target_markets.iter().any(|m| same(m, offer.country)) {
        reasons.push(Reason {
            factor: Factor::TargetMarket,
            detail: format!("{} is a target market", offer.country),
            points: TARGET_MARKET,
        });
    }
    if offer.offer_sectors.iter().any(|s| same(s, sme.sector)) {
        reasons.push(Reason {
            factor: Factor::Sector,
            detail: format!("the offer is for the {} sector", sme.sector),
            points: SECTOR,
        });
    } else if offer.cluster_sectors.iter().any(|s| same(s, sme.sector)) {
        reasons.push(Reason {
            factor: Factor::Sector,
            detail: format!("the host cluster works in the {} sector", sme.sector),
            points: SECTOR / 2,
        });
    }
    let shared: Vec<&str> = offer
        .languages
        .iter()
        .filter(|l| sme.languages.iter().any(|s| same(s, l)))
        .map(String::as_str)
        .collect();
    if !shared.is_empty() {
        reasons.push(Reason {
            factor: Factor::Language,
            detail: format!(
                "the offer is held in {}, which the SME speaks",
                shared.join(", ")
            ),
            points: LANGUAGE,
        });
    }
    if offer.open_days > 0 && offer.free_days > 0 {
        let free = offer.free_days.min(offer.open_days);
        // At most 1500 × 366, far inside u64; the share is at most FREE_PLACES.
        let points = (u64::from(FREE_PLACES) * free as u64 / offer.open_days as u64) as u32;
        reasons.push(Reason {
            factor: Factor::FreePlaces,
            detail: format!(
                "places free on {free} of {} open days in the window",
                offer.open_days
            ),
            points,
        });
    }
    Score {
        points: reasons.iter().map(|r| r.points).sum(),
        reasons,
    }
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
}
