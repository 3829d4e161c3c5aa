//! An offer's calendar: which days are open and how many places remain, in the host's days.
//! Pure computation over the offer, its blackouts and the booking ledger; no I/O.

use std::collections::HashMap;

use chrono::{Datelike, NaiveDate};

use super::offer::Weekdays;

/// The facts about an offer that decide whether a day is open.
#[derive(Debug, Clone, Copy)]
pub struct Opening {
    pub available_from: NaiveDate,
    pub available_until: NaiveDate,
    pub weekdays: Weekdays,
    pub capacity: i32,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Day {
    pub date: NaiveDate,
    pub open: bool,
    pub capacity: i32,
    pub booked: i32,
    pub remaining: i32,
}

/// The last day of the month `day` is in.
pub fn last_of_month(day: NaiveDate) -> NaiveDate {
    let next = if day.month() == 12 {
        NaiveDate::from_ymd_opt(day.year() + 1, 1, 1)
    } else {
        NaiveDate::from_ymd_opt(day.year(), day.month() + 1, 1)
    };
    next.and_then(|n| n.pred_opt()).unwrap_or(day)
}

/// The first day of the month an offer's calendar opens on when no month is asked for: the
/// month it is next open in from `today`, or its last month once its window has passed.
pub fn first_shown_month(opening: &Opening, today: NaiveDate) -> NaiveDate {
    let day = opening
        .available_from
        .max(today)
        .min(opening.available_until);
    day.with_day(1).unwrap_or(day)
}

/// Whether `day` is open: in the window, on an open weekday and in no blackout.
pub fn is_open(opening: &Opening, blackouts: &[(NaiveDate, NaiveDate)], day: NaiveDate) -> bool {
    day >= opening.available_from
        && day <= opening.available_until
        && opening.weekdays.contains(day.weekday())
        && !blackouts.iter().any(|(s, e)| *s <= day && day <= *e)
}

/// Every day of `[from, to]` with its capacity, bookings and remaining places. Closed days
/// keep their bookings (a blackout set after approvals would show them) but offer nothing.
pub fn days(
    opening: &Opening,
    blackouts: &[(NaiveDate, NaiveDate)],
    booked: &[(NaiveDate, i32)],
    from: NaiveDate,
    to: NaiveDate,
) -> Vec<Day> {
    let booked: HashMap<NaiveDate, i32> = booked.iter().copied().collect();
    from.iter_days()
        .take_while(|d| *d <= to)
        .map(|date| {
            let open = is_open(opening, blackouts, date);
            let taken = booked.get(&date).copied().unwrap_or(0);
            let capacity = if open { opening.capacity } else { 0 };
            Day {
                date,
                open,
                capacity,
                booked: taken,
                remaining: (capacity - taken).max(0),
            }
        })
        .collect()
}

/// The open days of `[from, to]`, in order.
pub fn open_days(
    opening: &Opening,
    blackouts: &[(NaiveDate, NaiveDate)],
    from: NaiveDate,
    to: NaiveDate,
) -> Vec<NaiveDate> {
    from.iter_days()
        .take_while(|d| *d <= to)
        .filter(|d| is_open(opening, blackouts, *d))
        .collect()
}

/// Whether `[from, to]` has an open day at all; stops at the first.
pub fn has_open_day(
    opening: &Opening,
    blackouts: &[(NaiveDate, NaiveDate)],
    from: NaiveDate,
    to: NaiveDate,
) -> bool {
    from.iter_days()
        .take_while(|d| *d <= to)
        .any(|d| is_open(opening, blackouts, d))
}

/// How a change to an offer would strand places approved landings hold.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stranded {
    /// The day holds more visitors than the new capacity.
    OverCapacity { day: NaiveDate, booked: i32 },
    /// The day holds visitors and would close (window, weekdays or a blackout).
    Closed { day: NaiveDate },
}

/// The first place that `held` (visitors per day, by date) would lose under `opening` and
/// `blackouts`, if any: approved landings keep their places.
pub fn stranded(
    held: &[(NaiveDate, i32)],
    opening: &Opening,
    blackouts: &[(NaiveDate, NaiveDate)],
) -> Option<Stranded> {
    let held = held.iter().filter(|(_, booked)| *booked > 0);
    if let Some((day, booked)) = held.clone().find(|(_, booked)| *booked > opening.capacity) {
        return Some(Stranded::OverCapacity {
            day: *day,
            booked: *booked,
        });
    }
    held.into_iter()
        .find(|(day, _)| !is_open(opening, blackouts, *day))
        .map(|(day, _)| Stranded::Closed { day: *day })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    #[test]
    fn the_calendar_opens_on_the_month_the_offer_is_next_open_in() {
        let opening = Opening {
            available_from: d("2027-03-24"),
            available_until: d("2027-06-02"),
            weekdays: Weekdays::WORKING_DAYS,
            capacity: 3,
        };
        // Before the window: its first month; within it: today's; after it: its last.
        assert_eq!(
            first_shown_month(&opening, d("2027-01-15")),
            d("2027-03-01")
        );
        assert_eq!(
            first_shown_month(&opening, d("2027-05-31")),
            d("2027-05-01")
        );
        assert_eq!(
            first_shown_month(&opening, d("2027-09-01")),
            d("2027-06-01")
        );
        assert_eq!(last_of_month(d("2027-06-01")), d("2027-06-30"));
        assert_eq!(last_of_month(d("2028-02-01")), d("2028-02-29"));
        assert_eq!(last_of_month(d("2027-12-01")), d("2027-12-31"));
    }

    #[test]
    fn weekends_blackouts_and_the_window_close_days() {
        let opening = Opening {
            available_from: d("2027-03-24"),
            available_until: d("2027-04-02"),
            weekdays: Weekdays::WORKING_DAYS,
            capacity: 3,
        };
        let blackouts = [(d("2027-03-30"), d("2027-03-30"))];
        let booked = [(d("2027-03-25"), 2), (d("2027-03-30"), 1)];
        let cal = days(
            &opening,
            &blackouts,
            &booked,
            d("2027-03-23"),
            d("2027-04-03"),
        );
        assert_eq!(cal.len(), 12);
        let open: Vec<String> = cal
            .iter()
            .filter(|x| x.open)
            .map(|x| x.date.to_string())
            .collect();
        assert_eq!(
            open,
            [
                "2027-03-24",
                "2027-03-25",
                "2027-03-26",
                "2027-03-29",
                "2027-03-31",
                "2027-04-01",
                "2027-04-02"
            ]
        );
        let thursday = &cal[2];
        assert_eq!(
            (thursday.capacity, thursday.booked, thursday.remaining),
            (3, 2, 1)
        );
        let blacked = cal.iter().find(|x| x.date == d("2027-03-30")).unwrap();
        assert_eq!(
            (
                blacked.open,
                blacked.capacity,
                blacked.booked,
                blacked.remaining
            ),
            (false, 0, 1, 0)
        );
    }

    #[test]
    fn a_change_may_not_strand_what_approved_landings_hold() {
        let opening = Opening {
            available_from: d("2027-03-01"),
            available_until: d("2027-03-31"),
            weekdays: Weekdays::parse(&[1, 2, 3, 4, 5]).unwrap(),
            capacity: 3,
        };
        let held = [
            (d("2027-03-02"), 2),
            (d("2027-03-03"), 3),
            (d("2027-03-04"), 0),
        ];
        assert_eq!(stranded(&held, &opening, &[]), None);
        let smaller = Opening {
            capacity: 2,
            ..opening
        };
        assert_eq!(
            stranded(&held, &smaller, &[]),
            Some(Stranded::OverCapacity {
                day: d("2027-03-03"),
                booked: 3
            })
        );
        // An empty day may close; a held one may not.
        assert_eq!(
            stranded(&held, &opening, &[(d("2027-03-04"), d("2027-03-04"))]),
            None
        );
        assert_eq!(
            stranded(&held, &opening, &[(d("2027-03-02"), d("2027-03-02"))]),
            Some(Stranded::Closed {
                day: d("2027-03-02")
            })
        );
        let later = Opening {
            available_from: d("2027-03-03"),
            ..opening
        };
        assert_eq!(
            stranded(&held, &later, &[]),
            Some(Stranded::Closed {
                day: d("2027-03-02")
            })
        );
    }
}
