//! The rules of the network's reports: which landings count as use of a partnership, how many
//! visitor-days a landing gives a range, what a host's decision and an approval are, and the
//! statistics (rates, percentiles) the summary states. No I/O: `db` gathers the rows,
//! [`crate::service::reports`] applies these.

use std::collections::HashMap;

use chrono::{Datelike, NaiveDate, NaiveDateTime};

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

/// The `p`-th quantile of the durations a histogram of [`duration_bucket`] values holds
/// (`(value, how many)`, in any order), interpolated between the two nearest ranks as
/// [`percentile`] does; `None` for an empty histogram.
pub fn percentile_of_histogram(histogram: &[(i64, i64)], p: f64) -> Option<f64> {
    let mut sorted: Vec<(i64, i64)> = histogram.iter().copied().filter(|(_, n)| *n > 0).collect();
    sorted.sort_unstable();
    let count: i64 = sorted.iter().map(|(_, n)| n).sum();
    let last = count.checked_sub(1).filter(|last| *last >= 0)?;
    let rank = p.clamp(0.0, 1.0) * last as f64;
    let at = |k: i64| {
        let mut seen = 0;
        for (value, n) in &sorted {
            seen += n;
            if k < seen {
                return *value as f64;
            }
        }
        sorted.last().map_or(0.0, |(v, _)| *v as f64)
    };
    let (low, high) = (rank.floor() as i64, rank.ceil() as i64);
    Some(at(low) + (at(high) - at(low)) * (rank - low as f64))
}

/// The value a duration of `seconds` is counted under in the tallies: whole seconds below 100,
/// above that the nearest power of 1.01 (within half a percent), so a month's durations take a
/// few hundred rows however many landings there are.
pub fn duration_bucket(seconds: f64) -> i64 {
    let s = seconds.round().max(0.0);
    if s < 100.0 {
        return s as i64;
    }
    let step = 1.01_f64.ln();
    ((s.ln() / step).round() * step).exp().round() as i64
}

/// The first day of `day`'s month: the tallies keep figures by month.
pub fn month_of(day: NaiveDate) -> NaiveDate {
    day.with_day(1).expect("every month has a first day")
}

/// What the tallies count of a landing. `endorsed_at` is the home cluster's endorsement when
/// it is known (see [`contributions`]).
#[derive(Debug, Clone)]
pub struct TallyLanding {
    pub state: LandingState,
    pub start_date: NaiveDate,
    pub days: Vec<NaiveDate>,
    pub headcount: i32,
    pub partnership_id: String,
    pub host_cluster_id: String,
    pub home_cluster_id: String,
    pub kind: String,
    pub rating: Option<i32>,
    pub created_at: NaiveDateTime,
    pub decided_at: Option<NaiveDateTime>,
    pub endorsed_at: Option<NaiveDateTime>,
}

/// The network's scope in the tallies: figures of every landing.
pub const NETWORK: &str = "";

/// What a tally counts. Filed under a landing's start date, in the scopes of the network, its
/// host and its home cluster: its state, host, offer kind, rating (`total` the rating), the
/// host's decision time and the endorsement time (the value a [`duration_bucket`]). Filed under
/// its partnership when it used it ([`USED`]): the landing under its start date, and the
/// visitor-days under each open day (`total` the headcount).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Dimension {
    State,
    Host,
    Kind,
    Rating,
    Decision,
    Endorsement,
    Landings,
    VisitorDays,
}

impl Dimension {
    pub const ALL: [Dimension; 8] = [
        Dimension::State,
        Dimension::Host,
        Dimension::Kind,
        Dimension::Rating,
        Dimension::Decision,
        Dimension::Endorsement,
        Dimension::Landings,
        Dimension::VisitorDays,
    ];
    /// What the summary reads.
    pub const SUMMARY: [Dimension; 6] = [
        Dimension::State,
        Dimension::Host,
        Dimension::Kind,
        Dimension::Rating,
        Dimension::Decision,
        Dimension::Endorsement,
    ];
    /// What the reciprocity reads.
    pub const USE: [Dimension; 2] = [Dimension::Landings, Dimension::VisitorDays];

    pub fn as_str(self) -> &'static str {
        match self {
            Dimension::State => "state",
            Dimension::Host => "host",
            Dimension::Kind => "kind",
            Dimension::Rating => "rating",
            Dimension::Decision => "decision",
            Dimension::Endorsement => "endorsement",
            Dimension::Landings => "landings",
            Dimension::VisitorDays => "visitor_days",
        }
    }

    pub fn parse(s: &str) -> Option<Dimension> {
        Dimension::ALL.into_iter().find(|d| d.as_str() == s)
    }
}

/// One figure of a landing: under `scope`, `dimension` and `value`, counted `n` times with
/// `total`, filed under the day `on` (its start date, or the visited day).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Contribution {
    pub on: NaiveDate,
    pub scope: String,
    pub dimension: Dimension,
    pub value: String,
    pub n: i64,
    pub total: i64,
}

/// Every figure `l` adds to the reports. The same rules serve the tallies kept as landings
/// change and the landings a report reads one by one at a range's ragged edges.
pub fn contributions(l: &TallyLanding) -> Vec<Contribution> {
    let mut out = Vec::new();
    let mut put = |on: NaiveDate, scope: &str, dimension, value: String, n, total| {
        out.push(Contribution {
            on,
            scope: scope.to_owned(),
            dimension,
            value,
            n,
            total,
        })
    };
    let seconds = |at: NaiveDateTime| (at - l.created_at).num_milliseconds() as f64 / 1000.0;
    let mut scopes = vec![
        NETWORK,
        l.host_cluster_id.as_str(),
        l.home_cluster_id.as_str(),
    ];
    scopes.dedup();
    for scope in scopes {
        let on = l.start_date;
        put(
            on,
            scope,
            Dimension::State,
            l.state.as_str().to_owned(),
            1,
            0,
        );
        put(on, scope, Dimension::Host, l.host_cluster_id.clone(), 1, 0);
        put(on, scope, Dimension::Kind, l.kind.clone(), 1, 0);
        if let Some(rating) = l.rating {
            put(
                on,
                scope,
                Dimension::Rating,
                String::new(),
                1,
                i64::from(rating),
            );
        }
        if let Some(at) = l.decided_at.filter(|_| HOST_DECIDED.contains(&l.state)) {
            let bucket = duration_bucket(seconds(at)).to_string();
            put(on, scope, Dimension::Decision, bucket, 1, 0);
        }
        if let Some(at) = l.endorsed_at {
            let bucket = duration_bucket(seconds(at)).to_string();
            put(on, scope, Dimension::Endorsement, bucket, 1, 0);
        }
    }
    if USED.contains(&l.state) {
        let (pair, host) = (l.partnership_id.as_str(), l.host_cluster_id.clone());
        put(l.start_date, pair, Dimension::Landings, host.clone(), 1, 0);
        for day in &l.days {
            put(
                *day,
                pair,
                Dimension::VisitorDays,
                host.clone(),
                0,
                i64::from(l.headcount),
            );
        }
    }
    out
}

/// Where a tally row is kept: the month, the scope, the dimension and the value.
pub type TallyKey = (NaiveDate, String, Dimension, String);

/// What `after` changes in the tallies against `before` (none: a new landing), by month: only
/// the rows whose count or total moves.
pub fn tally_change(
    before: Option<&TallyLanding>,
    after: &TallyLanding,
) -> Vec<(TallyKey, i64, i64)> {
    let mut sums: HashMap<TallyKey, (i64, i64)> = HashMap::new();
    let mut add = |c: Contribution, sign: i64| {
        let entry = sums
            .entry((month_of(c.on), c.scope, c.dimension, c.value))
            .or_default();
        entry.0 += sign * c.n;
        entry.1 += sign * c.total;
    };
    for c in before.map(contributions).unwrap_or_default() {
        add(c, -1);
    }
    for c in contributions(after) {
        add(c, 1);
    }
    let mut rows: Vec<(TallyKey, i64, i64)> = sums
        .into_iter()
        .filter(|(_, (n, total))| *n != 0 || *total != 0)
        .map(|(key, (n, total))| (key, n, total))
        .collect();
    rows.sort_by(|a, b| a.0.cmp(&b.0));
    rows
}

/// How a report's range splits: whole months, read from the tallies, and the days before and
/// after them, read landing by landing.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RangePlan {
    /// The first and last day of the whole months inside the range, if any.
    pub months: Option<(NaiveDate, NaiveDate)>,
    /// The range's days outside those months: up to two windows.
    pub head: Option<(NaiveDate, NaiveDate)>,
    pub tail: Option<(NaiveDate, NaiveDate)>,
}

impl RangePlan {
    pub fn of(range: DateRange) -> RangePlan {
        let (from, to) = (range.start(), range.end());
        let first = if from.day() == 1 {
            from
        } else {
            month_of(from)
                .checked_add_months(chrono::Months::new(1))
                .expect("report ranges end long before chrono's last day")
        };
        let after_to = to
            .succ_opt()
            .expect("report ranges end before chrono's last day");
        let last = if after_to.day() == 1 {
            to
        } else {
            month_of(to).pred_opt().expect("after chrono's first day")
        };
        if first > last {
            return RangePlan {
                months: None,
                head: Some((from, to)),
                tail: None,
            };
        }
        RangePlan {
            months: Some((first, last)),
            head: (from < first).then(|| (from, first.pred_opt().expect("after from"))),
            tail: (last < to).then(|| (last.succ_opt().expect("before to"), to)),
        }
    }

    /// Whether the tallies' whole months hold `day`.
    pub fn in_months(&self, day: NaiveDate) -> bool {
        self.months.is_some_and(|(a, b)| a <= day && day <= b)
    }

    /// The figures of `l` a report over the range reads from the landing itself, those of the
    /// whole months being in the tallies: what it files under its start date when that lies
    /// outside the months (a landing that began before the range, or in its ragged edges), and
    /// its visitor-days on the range's days outside them.
    pub fn outside_months(&self, range: DateRange, l: &TallyLanding) -> Vec<Contribution> {
        let inside = |day: NaiveDate| range.start() <= day && day <= range.end();
        contributions(l)
            .into_iter()
            .filter(|c| {
                if c.dimension == Dimension::VisitorDays {
                    inside(c.on) && !self.in_months(c.on)
                } else {
                    !self.in_months(c.on)
                }
            })
            .collect()
    }
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

    fn landing(state: LandingState) -> TallyLanding {
        let at = |s: &str| NaiveDateTime::parse_from_str(s, "%Y-%m-%d %H:%M:%S").unwrap();
        TallyLanding {
            state,
            start_date: d("2027-03-30"),
            days: vec![d("2027-03-30"), d("2027-03-31"), d("2027-04-01")],
            headcount: 2,
            partnership_id: "pa".into(),
            host_cluster_id: "host".into(),
            home_cluster_id: "home".into(),
            kind: "desk_space".into(),
            rating: None,
            created_at: at("2027-03-01 10:00:00"),
            decided_at: Some(at("2027-03-01 10:00:40")),
            endorsed_at: None,
        }
    }

    #[test]
    fn durations_are_exact_below_100_seconds_and_within_half_a_percent_above() {
        assert_eq!(duration_bucket(-3.0), 0);
        assert_eq!(duration_bucket(42.4), 42);
        assert_eq!(duration_bucket(99.0), 99);
        for s in [100.0, 3_600.0, 86_400.0, 3.0e6] {
            let b = duration_bucket(s) as f64;
            assert!((b - s).abs() / s <= 0.0051, "{s} → {b}");
        }
        let hist = [(10, 1), (20, 1), (30, 1), (40, 1)];
        assert_eq!(percentile_of_histogram(&hist, 0.5), Some(25.0));
        assert_eq!(
            percentile_of_histogram(&[(5, 3), (9, 1)], 0.5),
            percentile(&[5.0, 5.0, 5.0, 9.0], 0.5)
        );
        assert_eq!(percentile_of_histogram(&[], 0.5), None);
    }

    #[test]
    fn an_approval_moves_the_state_and_adds_use_by_month() {
        let mut before = landing(LandingState::PendingApproval);
        before.decided_at = None;
        let after = landing(LandingState::Approved);
        let change = tally_change(Some(&before), &after);
        let find = |scope: &str, dim: Dimension, value: &str, month: &str| {
            change
                .iter()
                .find(|(k, _, _)| k.0 == d(month) && k.1 == scope && k.2 == dim && k.3 == value)
                .map(|(_, n, t)| (*n, *t))
        };
        for scope in [NETWORK, "host", "home"] {
            assert_eq!(
                find(scope, Dimension::State, "pending_approval", "2027-03-01"),
                Some((-1, 0))
            );
            assert_eq!(
                find(scope, Dimension::State, "approved", "2027-03-01"),
                Some((1, 0))
            );
            assert_eq!(
                find(scope, Dimension::Decision, "40", "2027-03-01"),
                Some((1, 0))
            );
            assert_eq!(
                find(scope, Dimension::Kind, "desk_space", "2027-03-01"),
                None
            );
        }
        assert_eq!(
            find("pa", Dimension::Landings, "host", "2027-03-01"),
            Some((1, 0))
        );
        assert_eq!(
            find("pa", Dimension::VisitorDays, "host", "2027-03-01"),
            Some((0, 4))
        );
        assert_eq!(
            find("pa", Dimension::VisitorDays, "host", "2027-04-01"),
            Some((0, 2))
        );
        assert!(tally_change(Some(&after), &after).is_empty());
    }

    #[test]
    fn a_range_splits_into_whole_months_and_ragged_edges() {
        let r = |a: &str, b: &str| DateRange::new(d(a), d(b), MAX_RANGE_DAYS).unwrap();
        let year = RangePlan::of(r("2027-01-01", "2027-12-31"));
        assert_eq!(year.months, Some((d("2027-01-01"), d("2027-12-31"))));
        assert_eq!((year.head, year.tail), (None, None));
        let ragged = RangePlan::of(r("2027-03-27", "2027-06-02"));
        assert_eq!(ragged.months, Some((d("2027-04-01"), d("2027-05-31"))));
        assert_eq!(ragged.head, Some((d("2027-03-27"), d("2027-03-31"))));
        assert_eq!(ragged.tail, Some((d("2027-06-01"), d("2027-06-02"))));
        let inside = RangePlan::of(r("2027-03-02", "2027-03-30"));
        assert_eq!(inside.months, None);
        assert_eq!(inside.head, Some((d("2027-03-02"), d("2027-03-30"))));
        let feb = RangePlan::of(r("2028-02-01", "2028-02-29"));
        assert_eq!(feb.months, Some((d("2028-02-01"), d("2028-02-29"))));
        // A landing that began before the range: its figures come from the landing, its
        // visitor-days inside the whole months from the tallies.
        let range = r("2027-03-31", "2027-04-30");
        let plan = RangePlan::of(range);
        let read = plan.outside_months(range, &landing(LandingState::Approved));
        let days: i64 = read
            .iter()
            .filter(|c| c.dimension == Dimension::VisitorDays)
            .map(|c| c.total)
            .sum();
        assert_eq!(days, 2, "31 March only; 1 April is in the tallies");
        assert!(read.iter().any(|c| c.dimension == Dimension::Landings));
    }

    #[test]
    fn rates_need_a_whole() {
        assert_eq!(rate(3, 4), Some(0.75));
        assert_eq!(rate(1, 3), Some(0.3333));
        assert_eq!(rate(0, 0), None);
    }
}
