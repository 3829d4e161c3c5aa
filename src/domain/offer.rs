//! Offer kinds: what a host cluster provides. Partnership terms list the kinds they cover.

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum OfferKind {
    DeskSpace,
    Introductions,
    MarketBriefing,
    EventAccess,
    MeetingRoom,
    Mentoring,
}

impl OfferKind {
    pub const ALL: [OfferKind; 6] = [
        OfferKind::DeskSpace,
        OfferKind::Introductions,
        OfferKind::MarketBriefing,
        OfferKind::EventAccess,
        OfferKind::MeetingRoom,
        OfferKind::Mentoring,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            OfferKind::DeskSpace => "desk_space",
            OfferKind::Introductions => "introductions",
            OfferKind::MarketBriefing => "market_briefing",
            OfferKind::EventAccess => "event_access",
            OfferKind::MeetingRoom => "meeting_room",
            OfferKind::Mentoring => "mentoring",
        }
    }

    pub fn parse(s: &str) -> Result<OfferKind, String> {
        OfferKind::ALL
            .into_iter()
            .find(|k| k.as_str() == s)
            .ok_or_else(|| {
                "must be one of desk_space, introductions, market_briefing, event_access, meeting_room, mentoring".into()
            })
    }
}

/// `draft → published ⇄ paused`; any state → `archived` (final).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum OfferState {
    Draft,
    Published,
    Paused,
    Archived,
}

impl OfferState {
    pub fn as_str(self) -> &'static str {
        match self {
            OfferState::Draft => "draft",
            OfferState::Published => "published",
            OfferState::Paused => "paused",
            OfferState::Archived => "archived",
        }
    }

    pub fn parse(s: &str) -> Option<OfferState> {
        [
            OfferState::Draft,
            OfferState::Published,
            OfferState::Paused,
            OfferState::Archived,
        ]
        .into_iter()
        .find(|st| st.as_str() == s)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OfferAction {
    Publish,
    Pause,
    Archive,
}

impl OfferAction {
    pub fn as_str(self) -> &'static str {
        match self {
            OfferAction::Publish => "publish",
            OfferAction::Pause => "pause",
            OfferAction::Archive => "archive",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("cannot {action} an offer that is {from}")]
pub struct IllegalOfferTransition {
    pub action: &'static str,
    pub from: &'static str,
}

/// The one place the offer state machine lives.
pub fn transition(
    from: OfferState,
    action: OfferAction,
) -> Result<OfferState, IllegalOfferTransition> {
    use OfferAction as A;
    use OfferState as S;
    match (from, action) {
        (S::Draft | S::Paused, A::Publish) => Ok(S::Published),
        (S::Published, A::Pause) => Ok(S::Paused),
        (S::Draft | S::Published | S::Paused, A::Archive) => Ok(S::Archived),
        _ => Err(IllegalOfferTransition {
            action: action.as_str(),
            from: from.as_str(),
        }),
    }
}

/// The ISO weekdays (1 = Monday … 7 = Sunday) an offer is open on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Weekdays(u8);

impl Weekdays {
    pub const WORKING_DAYS: Weekdays = Weekdays(0b0011111);

    pub fn parse(days: &[i64]) -> Result<Weekdays, String> {
        if days.is_empty() {
            return Err("must name at least one ISO weekday (1 = Monday … 7 = Sunday)".into());
        }
        let mut mask = 0u8;
        for d in days {
            if !(1..=7).contains(d) {
                return Err("must be ISO weekdays from 1 (Monday) to 7 (Sunday)".into());
            }
            mask |= 1 << (d - 1);
        }
        Ok(Weekdays(mask))
    }

    /// Stored as the digits of the open days, `"12345"`.
    pub fn to_db(self) -> String {
        self.list().iter().map(|d| d.to_string()).collect()
    }

    pub fn from_db(s: &str) -> Weekdays {
        let days: Vec<i64> = s
            .chars()
            .filter_map(|c| c.to_digit(10))
            .map(i64::from)
            .collect();
        Weekdays::parse(&days).unwrap_or(Weekdays::WORKING_DAYS)
    }

    pub fn list(self) -> Vec<u8> {
        (1..=7).filter(|d| self.0 & (1 << (d - 1)) != 0).collect()
    }

    pub fn contains(self, day: chrono::Weekday) -> bool {
        self.0 & (1 << day.num_days_from_monday()) != 0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn offer_transitions() {
        use OfferAction as A;
        use OfferState as S;
        assert_eq!(transition(S::Draft, A::Publish), Ok(S::Published));
        assert_eq!(transition(S::Published, A::Pause), Ok(S::Paused));
        assert_eq!(transition(S::Paused, A::Publish), Ok(S::Published));
        for s in [S::Draft, S::Published, S::Paused] {
            assert_eq!(transition(s, A::Archive), Ok(S::Archived));
        }
        assert!(transition(S::Draft, A::Pause).is_err());
        assert!(transition(S::Published, A::Publish).is_err());
        for a in [A::Publish, A::Pause, A::Archive] {
            assert!(transition(S::Archived, a).is_err());
        }
    }

    #[test]
    fn weekdays_round_trip() {
        let w = Weekdays::parse(&[1, 3, 5, 3]).unwrap();
        assert_eq!(w.to_db(), "135");
        assert_eq!(Weekdays::from_db("135"), w);
        assert!(w.contains(chrono::Weekday::Wed) && !w.contains(chrono::Weekday::Tue));
        assert!(Weekdays::parse(&[0]).is_err() && Weekdays::parse(&[]).is_err());
        assert_eq!(Weekdays::WORKING_DAYS.to_db(), "12345");
    }
}
