//! The rules of the network's reports: which landings count as use of a partnership, how many
//! visitor-days a landing gives a range, what a host's decision and an approval are, and the
//! statistics (rates, percentiles) the summary states. No I/O: `db` gathers the rows,
//! [`crate::service::reports`] applies these.

use chrono::NaiveDate;

use super::landing::LandingState;
use super::values::DateRange;

/// The longest range a report covers: three years (with a leap day). Longer ranges are refused
/// (422) rather than answered slowly.
pub const MAX_RANGE_DAYS: i64 = 1096;

/// Landings that used a partnership: the host took the visitors in (approved), or the stay
/// took place or was due to (completed, no-show). Pending, refused, withdrawn, cancelled and
/// expired landings used nothing.
pub const USED: [LandingState; 3] = [
    LandingState::Approved,
    LandingState::Completed,
    LandingState::NoShow,
];

/// Landings the host decided on: it approved them (whatever happened after: completed,
/// no-show, cancelled by either side) or rejected them. The landing's `decided_at` is the
/// host's decision for these, the last decision a landing takes.
pub const HOST_DECIDED: [LandingState; 5] = [
    LandingState::Approved,
    LandingState::Completed,
    LandingState::NoShow,
    LandingState::Cancelled,
    LandingState::Rejected,
];

/// Whether the host approved a landing in this state (it is one of [`HOST_DECIDED`]).
pub fn host_approved(state: LandingState) -> bool {
    HOST_DECIDED.contains(&state) && state != LandingState::Rejected
}

/// How many of a landing's open days (`days`, as counted when it was requested or approved,
/// with the offer's weekdays and blackouts: [`super::calendar::open_days`]) lie in `range`.
pub fn days_within(days: &[NaiveDate], range: DateRange) -> i64 {
    days.iter()
        .filter(|d| range.start() <= **d && **d <= range.end())
        .count() as i64
}

/// Visitor-days a landing of `headcount` people gives the range: each visitor on each open day
/// of the stay inside it.
pub fn visitor_days(headcount: i32, days_inside: i64) -> i64 {
    i64::from(headcount) * days_inside
}

/// Use of one partnership in both directions over a range. Side A is the cluster that proposed
/// the partnership, side B its partner.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct PairUse {
    /// Landings of A's SMEs at B's offers.
    pub landings_a_to_b: i64,
    /// Landings of B's SMEs at A's offers.
    pub landings_b_to_a: i64,
    /// Visitor-days A hosted (B's SMEs at A).
    pub visitor_days_a_hosted: i64,
    /// Visitor-days B hosted (A's SMEs at B).
    pub visitor_days_b_hosted: i64,
}

impl PairUse {
    /// Adds `landings` landings hosted by side A (`a_hosted`) or by side B, and their
    /// visitor-days in the range.
    pub fn add(&mut self, a_hosted: bool, landings: i64, visitor_days: i64) {
        if a_hosted {
            self.landings_b_to_a += landings;
            self.visitor_days_a_hosted += visitor_days;
        } else {
            self.landings_a_to_b += landings;
            self.visitor_days_b_hosted += visitor_days;
        }
    }

    /// Visitor-days A hosted minus those B hosted: positive when A gave more than it got.
    pub fn balance(&self) -> i64 {
        self.visitor_days_a_hosted - self.visitor_days_b_hosted
    }
}

/// `part / whole`, rounded to four decimals; `None` when there is no whole to speak of.
pub fn rate(part: i64, whole: i64) -> Option<f64> {
    (whole > 0).then(|| round4(part as f64 / whole as f64))
}

/// Rounded to four decimals, so a figure reads the same on every backend.
pub fn round4(x: f64) -> f64 {
    (x * 10_000.0).round() / 10_000.0
}

/// The `p`-th quantile (0 ≤ p ≤ 1) of `sorted` (ascending), interpolated linearly between the
/// two nearest ranks, as PostgreSQL's `percentile_cont` does; `None` for no values.
pub fn percentile(sorted: &[f64], p: f64) -> Option<f64> {
    let last = sorted.len().checked_sub(1)?;
    let rank = p.clamp(0.0, 1.0) * last as f64;
    let (low, high) = (rank.floor() as usize, rank.ceil() as usize);
    let weight = rank - low as f64;
    Some(sorted[low] + (sorted[high] - sorted[low]) * weight)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    #[test]
    fn only_the_open_days_inside_the_range_count() {
        // A landing Thursday to Tuesday, open on working days: Thu, Fri, Mon, Tue.
        let days = [
            d("2027-03-25"),
            d("2027-03-26"),
            d("2027-03-29"),
            d("2027-03-30"),
        ];
        let range = DateRange::new(d("2027-03-27"), d("2027-04-30"), MAX_RANGE_DAYS).unwrap();
        assert_eq!(days_within(&days, range), 2);
        assert_eq!(visitor_days(3, days_within(&days, range)), 6);
        let all = DateRange::new(d("2027-03-25"), d("2027-03-30"), MAX_RANGE_DAYS).unwrap();
        assert_eq!(days_within(&days, all), 4);
        let none = DateRange::new(d("2027-03-27"), d("2027-03-28"), MAX_RANGE_DAYS).unwrap();
        assert_eq!(days_within(&days, none), 0);
    }

    #[test]
    fn use_counts_each_direction_and_the_balance_is_what_a_hosted_over_b() {
        let mut pair = PairUse::default();
        pair.add(true, 2, 10);
        pair.add(false, 1, 3);
        pair.add(true, 1, 4);
        assert_eq!(
            pair,
            PairUse {
                landings_a_to_b: 1,
                landings_b_to_a: 3,
                visitor_days_a_hosted: 14,
                visitor_days_b_hosted: 3,
            }
        );
        assert_eq!(pair.balance(), 11);
    }

    #[test]
    fn which_states_count() {
        assert!(USED.iter().all(|s| HOST_DECIDED.contains(s)));
        assert!(host_approved(LandingState::Cancelled));
        assert!(host_approved(LandingState::NoShow));
        assert!(!host_approved(LandingState::Rejected));
        assert!(!host_approved(LandingState::Declined));
        assert!(!host_approved(LandingState::PendingApproval));
    }

    #[test]
    fn percentiles_interpolate_like_percentile_cont() {
        assert_eq!(percentile(&[], 0.5), None);
        assert_eq!(percentile(&[7.0], 0.9), Some(7.0));
        let values = [1.0, 2.0, 3.0, 4.0];
        assert_eq!(percentile(&values, 0.5), Some(2.5));
        assert_eq!(percentile(&values, 0.0), Some(1.0));
        assert_eq!(percentile(&values, 1.0), Some(4.0));
        // rank 0.9 × 3 = 2.7: 3 + 0.7 × (4 − 3)
        assert!((percentile(&values, 0.9).unwrap() - 3.7).abs() < 1e-9);
    }

    #[test]
    fn rates_need_a_whole() {
        assert_eq!(rate(3, 4), Some(0.75));
        assert_eq!(rate(1, 3), Some(0.3333));
        assert_eq!(rate(0, 0), None);
    }
}
