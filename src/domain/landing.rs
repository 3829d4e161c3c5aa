//! A landing: an SME's request to land at a host cluster's offer, and the one state machine its
//! decisions follow. Who may take each action and when (relative to the start date, in the
//! host's calendar) is decided here; storage and HTTP only carry the outcome.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use super::calendar::{Opening, open_days};
use super::values::{DateRange, Headcount};
use crate::error::FieldError;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum LandingState {
    PendingEndorsement,
    PendingApproval,
    Approved,
    Rejected,
    Declined,
    Withdrawn,
    Cancelled,
    Completed,
    NoShow,
    Expired,
}

impl LandingState {
    pub const ALL: [LandingState; 10] = [
        LandingState::PendingEndorsement,
        LandingState::PendingApproval,
        LandingState::Approved,
        LandingState::Rejected,
        LandingState::Declined,
        LandingState::Withdrawn,
        LandingState::Cancelled,
        LandingState::Completed,
        LandingState::NoShow,
        LandingState::Expired,
    ];

    pub const fn as_str(self) -> &'static str {
        match self {
            LandingState::PendingEndorsement => "pending_endorsement",
            LandingState::PendingApproval => "pending_approval",
            LandingState::Approved => "approved",
            LandingState::Rejected => "rejected",
            LandingState::Declined => "declined",
            LandingState::Withdrawn => "withdrawn",
            LandingState::Cancelled => "cancelled",
            LandingState::Completed => "completed",
            LandingState::NoShow => "no_show",
            LandingState::Expired => "expired",
        }
    }

    pub fn parse(s: &str) -> Option<LandingState> {
        LandingState::ALL.into_iter().find(|st| st.as_str() == s)
    }

    pub fn is_pending(self) -> bool {
        matches!(
            self,
            LandingState::PendingEndorsement | LandingState::PendingApproval
        )
    }
}

/// Who a landing's action belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Party {
    /// A member of the visiting SME.
    Sme,
    /// The SME's home cluster (its managers and API clients).
    Home,
    /// The offer's cluster (its managers and API clients).
    Host,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum LandingAction {
    Endorse,
    Decline,
    Approve,
    Reject,
    Withdraw,
    Cancel,
    Complete,
    NoShow,
    /// The sweep: a pending landing whose start date passed undecided.
    Expire,
}

impl LandingAction {
    pub const ALL: [LandingAction; 9] = [
        LandingAction::Endorse,
        LandingAction::Decline,
        LandingAction::Approve,
        LandingAction::Reject,
        LandingAction::Withdraw,
        LandingAction::Cancel,
        LandingAction::Complete,
        LandingAction::NoShow,
        LandingAction::Expire,
    ];

    /// The path segment and audit name.
    pub fn as_str(self) -> &'static str {
        match self {
            LandingAction::Endorse => "endorse",
            LandingAction::Decline => "decline",
            LandingAction::Approve => "approve",
            LandingAction::Reject => "reject",
            LandingAction::Withdraw => "withdraw",
            LandingAction::Cancel => "cancel",
            LandingAction::Complete => "complete",
            LandingAction::NoShow => "no-show",
            LandingAction::Expire => "expire",
        }
    }

    /// The parties that may take the action (the admin may take any but the sweep's).
    pub fn parties(self) -> &'static [Party] {
        match self {
            LandingAction::Endorse | LandingAction::Decline => &[Party::Home],
            LandingAction::Approve
            | LandingAction::Reject
            | LandingAction::Complete
            | LandingAction::NoShow => &[Party::Host],
            LandingAction::Withdraw => &[Party::Sme],
            LandingAction::Cancel => &[Party::Sme, Party::Host],
            LandingAction::Expire => &[],
        }
    }

    /// Whether the body must carry a `reason`.
    pub fn needs_reason(self) -> bool {
        matches!(
            self,
            LandingAction::Decline | LandingAction::Reject | LandingAction::Cancel
        )
    }
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum IllegalLandingTransition {
    #[error("cannot {action} a landing that is {from}")]
    State {
        action: &'static str,
        from: &'static str,
    },
    #[error("the landing's start date ({start}) passed before it was decided; it has expired")]
    Lapsed { start: NaiveDate },
    #[error("an approved landing can only be cancelled before its start date ({start})")]
    AlreadyStarted { start: NaiveDate },
    #[error("an approved landing can be marked {action} only from its start date ({start})")]
    NotStarted {
        action: &'static str,
        start: NaiveDate,
    },
}

/// The one place the landing state machine lives. `today` is the current day in the host's
/// time zone; cancelling needs it before `start`, completing and no-show on or after it, and
/// the sweep expires only landings whose start has passed.
pub fn transition(
    from: LandingState,
    action: LandingAction,
    today: NaiveDate,
    start: NaiveDate,
) -> Result<LandingState, IllegalLandingTransition> {
    use LandingAction as A;
    use LandingState as S;
    if from.is_pending() && start < today && action != A::Expire {
        return Err(IllegalLandingTransition::Lapsed { start });
    }
    let to = match (from, action) {
        (S::PendingEndorsement, A::Endorse) => S::PendingApproval,
        (S::PendingEndorsement, A::Decline) => S::Declined,
        (S::PendingApproval, A::Approve) => S::Approved,
        (S::PendingApproval, A::Reject) => S::Rejected,
        (S::PendingEndorsement | S::PendingApproval, A::Withdraw) => S::Withdrawn,
        (S::PendingEndorsement | S::PendingApproval, A::Expire) if start < today => S::Expired,
        (S::Approved, A::Cancel) => {
            if today >= start {
                return Err(IllegalLandingTransition::AlreadyStarted { start });
            }
            S::Cancelled
        }
        (S::Approved, A::Complete | A::NoShow) => {
            if today < start {
                return Err(IllegalLandingTransition::NotStarted {
                    action: if action == A::Complete {
                        "completed"
                    } else {
                        "a no-show"
                    },
                    start,
                });
            }
            if action == A::Complete {
                S::Completed
            } else {
                S::NoShow
            }
        }
        _ => {
            return Err(IllegalLandingTransition::State {
                action: action.as_str(),
                from: from.as_str(),
            });
        }
    };
    Ok(to)
}

/// The facts about the offer a request is checked against.
#[derive(Debug, Clone)]
pub struct OfferFacts<'a> {
    pub opening: Opening,
    pub max_stay_days: i32,
    /// The host's IANA time zone, named in the message about a past start.
    pub timezone: &'a str,
}

/// What the partnership's terms allow.
#[derive(Debug, Clone)]
pub struct TermsFacts<'a> {
    /// The offer kinds the terms cover, as stored.
    pub services: &'a [String],
    pub max_free_days: i32,
}

/// A blackout of the offer: first and last day, and why.
#[derive(Debug, Clone)]
pub struct Blackout {
    pub start: NaiveDate,
    pub end: NaiveDate,
    pub reason: String,
}

/// What the SME asks for, once well-formed.
#[derive(Debug, Clone)]
pub struct Asked<'a> {
    pub range: DateRange,
    pub headcount: Headcount,
    /// Offer kinds the SME hopes to use.
    pub services: &'a [String],
}

/// Every rule a well-formed request must meet at this offer under these terms, today in the
/// host's calendar: each broken rule is an error at its field. Answers the open days the stay
/// occupies.
pub fn check_request(
    offer: &OfferFacts<'_>,
    terms: &TermsFacts<'_>,
    blackouts: &[Blackout],
    today: NaiveDate,
    asked: &Asked<'_>,
) -> Result<Vec<NaiveDate>, Vec<FieldError>> {
    let mut errors: Vec<FieldError> = Vec::new();
    let (start, end) = (asked.range.start(), asked.range.end());
    let covered = terms.services;
    for (i, service) in asked.services.iter().enumerate() {
        if !covered.contains(service) {
            errors.push(FieldError::because(
                format!("requested_services[{i}]"),
                format!(
                    "is not covered by the partnership's terms (they cover: {})",
                    covered.join(", ")
                ),
                "err-service-not-covered",
                vec![("covered", covered.join(", "))],
            ));
        }
    }
    if start < today {
        errors.push(FieldError::because(
            "start_date",
            format!(
                "is in the past: today is {today} in the host's time zone ({})",
                offer.timezone
            ),
            "err-start-in-past",
            vec![
                ("today", today.to_string()),
                ("timezone", offer.timezone.to_string()),
            ],
        ));
    }
    let opening = &offer.opening;
    if start < opening.available_from {
        errors.push(FieldError::because(
            "start_date",
            format!(
                "is before the offer's window opens ({})",
                opening.available_from
            ),
            "err-before-window",
            vec![("date", opening.available_from.to_string())],
        ));
    }
    if end > opening.available_until {
        errors.push(FieldError::because(
            "end_date",
            format!(
                "is after the offer's window closes ({})",
                opening.available_until
            ),
            "err-after-window",
            vec![("date", opening.available_until.to_string())],
        ));
    }
    if let Some(b) = blackouts
        .iter()
        .find(|b| asked.range.overlaps(b.start, b.end))
    {
        errors.push(FieldError::because(
            "start_date",
            format!(
                "the range touches the offer's blackout from {} to {} ({})",
                b.start, b.end, b.reason
            ),
            "err-blackout",
            vec![
                ("start", b.start.to_string()),
                ("end", b.end.to_string()),
                ("reason", b.reason.to_string()),
            ],
        ));
    }
    let ranges: Vec<(NaiveDate, NaiveDate)> = blackouts.iter().map(|b| (b.start, b.end)).collect();
    let days = open_days(opening, &ranges, start, end);
    let max_days = offer.max_stay_days.min(terms.max_free_days);
    if days.is_empty() && errors.is_empty() {
        errors.push(FieldError::because(
            "end_date",
            "the range holds no open day of the offer",
            "err-no-open-day",
            vec![],
        ));
    } else if days.len() as i32 > max_days {
        errors.push(FieldError::because(
            "end_date",
            format!(
                "the range holds {} open days; at most {max_days} (the offer allows {}, the partnership's terms {})",
                days.len(),
                offer.max_stay_days,
                terms.max_free_days
            ),
            "err-too-many-days",
            vec![
                ("days", days.len().to_string()),
                ("max", max_days.to_string()),
                ("offer", offer.max_stay_days.to_string()),
                ("terms", terms.max_free_days.to_string()),
            ],
        ));
    }
    if asked.headcount.get() > opening.capacity {
        errors.push(FieldError::because(
            "headcount",
            format!("exceeds the offer's capacity of {}", opening.capacity),
            "err-over-capacity",
            vec![("capacity", opening.capacity.to_string())],
        ));
    }
    if errors.is_empty() {
        Ok(days)
    } else {
        Err(errors)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use LandingAction as A;
    use LandingState as S;

    fn d(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    #[test]
    fn the_state_machine_allows_exactly_the_contracts_transitions() {
        let start = d("2027-03-08");
        let (before, on, after) = (d("2027-03-01"), start, d("2027-03-09"));
        // Every allowed (from, action, today) with its outcome; everything else is refused.
        let mut allowed = Vec::new();
        for today in [before, on] {
            allowed.extend([
                (S::PendingEndorsement, A::Endorse, today, S::PendingApproval),
                (S::PendingEndorsement, A::Decline, today, S::Declined),
                (S::PendingApproval, A::Approve, today, S::Approved),
                (S::PendingApproval, A::Reject, today, S::Rejected),
                (S::PendingEndorsement, A::Withdraw, today, S::Withdrawn),
                (S::PendingApproval, A::Withdraw, today, S::Withdrawn),
            ]);
        }
        allowed.extend([
            (S::Approved, A::Cancel, before, S::Cancelled),
            (S::Approved, A::Complete, on, S::Completed),
            (S::Approved, A::Complete, after, S::Completed),
            (S::Approved, A::NoShow, on, S::NoShow),
            (S::Approved, A::NoShow, after, S::NoShow),
            (S::PendingEndorsement, A::Expire, after, S::Expired),
            (S::PendingApproval, A::Expire, after, S::Expired),
        ]);
        for from in S::ALL {
            for action in A::ALL {
                for today in [before, on, after] {
                    let expected = allowed
                        .iter()
                        .find(|(f, a, t, _)| *f == from && *a == action && *t == today)
                        .map(|(_, _, _, to)| *to);
                    let got = transition(from, action, today, start).ok();
                    assert_eq!(got, expected, "{from:?} {action:?} on {today}");
                }
            }
        }
    }

    #[test]
    fn timing_rules_name_the_start_date() {
        let start = d("2027-03-08");
        assert_eq!(
            transition(S::Approved, A::Cancel, start, start),
            Err(IllegalLandingTransition::AlreadyStarted { start })
        );
        assert!(matches!(
            transition(S::Approved, A::Complete, d("2027-03-07"), start),
            Err(IllegalLandingTransition::NotStarted { .. })
        ));
        // Not yet expired on the start day itself: it may still be decided that day, but not
        // the day after, even before the sweep has run.
        assert!(transition(S::PendingApproval, A::Expire, start, start).is_err());
        assert_eq!(
            transition(S::PendingApproval, A::Approve, d("2027-03-09"), start),
            Err(IllegalLandingTransition::Lapsed { start })
        );
    }

    #[test]
    fn final_states_accept_nothing() {
        let day = d("2027-03-08");
        for from in [
            S::Rejected,
            S::Declined,
            S::Withdrawn,
            S::Cancelled,
            S::Completed,
            S::NoShow,
            S::Expired,
        ] {
            for action in A::ALL {
                assert!(transition(from, action, day, day).is_err(), "{from:?}");
            }
        }
    }

    #[test]
    fn names_round_trip() {
        for s in S::ALL {
            assert_eq!(S::parse(s.as_str()), Some(s));
        }
        assert_eq!(A::NoShow.as_str(), "no-show");
        assert_eq!(A::Cancel.parties(), &[Party::Sme, Party::Host]);
    }

    mod check_request {
        use super::*;
        use crate::domain::calendar::Opening;
        use crate::domain::offer::Weekdays;
        use crate::domain::values::{DateRange, Headcount};

        fn offer() -> OfferFacts<'static> {
            OfferFacts {
                opening: Opening {
                    available_from: d("2027-03-01"),
                    available_until: d("2027-03-31"),
                    weekdays: Weekdays::WORKING_DAYS,
                    capacity: 4,
                },
                max_stay_days: 5,
                timezone: "Europe/Stockholm",
            }
        }

        fn check(
            start: &str,
            end: &str,
            headcount: i64,
            services: &[String],
            blackouts: &[Blackout],
        ) -> Result<Vec<NaiveDate>, Vec<(String, String)>> {
            let covered = vec!["desk_space".to_owned(), "introductions".to_owned()];
            check_request(
                &offer(),
                &TermsFacts {
                    services: &covered,
                    max_free_days: 3,
                },
                blackouts,
                d("2027-02-15"),
                &Asked {
                    range: DateRange::new(d(start), d(end), 366).unwrap(),
                    headcount: Headcount::parse(headcount).unwrap(),
                    services,
                },
            )
            .map_err(|errors| errors.into_iter().map(|e| (e.field, e.message)).collect())
        }

        fn fields(result: Result<Vec<NaiveDate>, Vec<(String, String)>>) -> Vec<String> {
            result.unwrap_err().into_iter().map(|(f, _)| f).collect()
        }

        #[test]
        fn a_request_within_every_rule_occupies_its_open_days() {
            // Friday to Monday: the weekend is closed.
            let days = check("2027-03-05", "2027-03-08", 4, &[], &[]).unwrap();
            assert_eq!(days, vec![d("2027-03-05"), d("2027-03-08")]);
        }

        #[test]
        fn each_broken_rule_is_told_at_its_field() {
            assert_eq!(
                fields(check("2027-02-10", "2027-02-10", 1, &[], &[])),
                ["start_date", "start_date"]
            );
            assert_eq!(
                fields(check("2027-03-30", "2027-04-01", 1, &[], &[])),
                ["end_date"]
            );
            assert_eq!(
                fields(check("2027-03-01", "2027-03-01", 5, &[], &[])),
                ["headcount"]
            );
            assert_eq!(
                fields(check(
                    "2027-03-01",
                    "2027-03-01",
                    1,
                    &["mentoring".to_owned()],
                    &[]
                )),
                ["requested_services[0]"]
            );
            // Four open days, where the terms allow three.
            let long = check("2027-03-01", "2027-03-04", 1, &[], &[]).unwrap_err();
            assert_eq!(long[0].0, "end_date");
            assert!(long[0].1.contains("at most 3"), "{}", long[0].1);
            // A weekend holds no open day.
            assert_eq!(
                fields(check("2027-03-06", "2027-03-07", 1, &[], &[])),
                ["end_date"]
            );
        }

        #[test]
        fn a_blackout_names_itself() {
            let closed = [Blackout {
                start: d("2027-03-02"),
                end: d("2027-03-02"),
                reason: "fair".to_owned(),
            }];
            let errors = check("2027-03-01", "2027-03-03", 1, &[], &closed).unwrap_err();
            assert_eq!(errors[0].0, "start_date");
            assert!(errors[0].1.contains("2027-03-02") && errors[0].1.contains("fair"));
        }
    }
}
