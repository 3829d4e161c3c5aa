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
