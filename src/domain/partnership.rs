//! The Business Roaming Agreement between two clusters: its terms and its state machine.
//!
//! `proposed → active | declined`; `active ⇄ suspended`; `active | suspended → terminated`.
//! Declined and terminated are final. Who may take each action is the policy's business.

use serde::{Deserialize, Serialize};

use super::offer::OfferKind;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum PartnershipState {
    Proposed,
    Active,
    Declined,
    Suspended,
    Terminated,
}

impl PartnershipState {
    pub fn as_str(self) -> &'static str {
        match self {
            PartnershipState::Proposed => "proposed",
            PartnershipState::Active => "active",
            PartnershipState::Declined => "declined",
            PartnershipState::Suspended => "suspended",
            PartnershipState::Terminated => "terminated",
        }
    }

    pub fn parse(s: &str) -> Option<PartnershipState> {
        [
            PartnershipState::Proposed,
            PartnershipState::Active,
            PartnershipState::Declined,
            PartnershipState::Suspended,
            PartnershipState::Terminated,
        ]
        .into_iter()
        .find(|st| st.as_str() == s)
    }

    /// Declined and terminated partnerships never change again.
    pub fn is_final(self) -> bool {
        matches!(
            self,
            PartnershipState::Declined | PartnershipState::Terminated
        )
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PartnershipAction {
    Accept,
    Decline,
    Suspend,
    Resume,
    Terminate,
}

impl PartnershipAction {
    pub fn as_str(self) -> &'static str {
        match self {
            PartnershipAction::Accept => "accept",
            PartnershipAction::Decline => "decline",
            PartnershipAction::Suspend => "suspend",
            PartnershipAction::Resume => "resume",
            PartnershipAction::Terminate => "terminate",
        }
    }

    /// The past tense, for emails and events.
    pub fn past(self) -> &'static str {
        match self {
            PartnershipAction::Accept => "accepted",
            PartnershipAction::Decline => "declined",
            PartnershipAction::Suspend => "suspended",
            PartnershipAction::Resume => "resumed",
            PartnershipAction::Terminate => "terminated",
        }
    }

    /// Only the invited partner answers a proposal; either side acts on a running agreement.
    pub fn partner_only(self) -> bool {
        matches!(self, PartnershipAction::Accept | PartnershipAction::Decline)
    }
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("cannot {action} a partnership that is {from}")]
pub struct IllegalTransition {
    pub action: &'static str,
    pub from: &'static str,
}

/// The one place the state machine lives.
pub fn transition(
    from: PartnershipState,
    action: PartnershipAction,
) -> Result<PartnershipState, IllegalTransition> {
    use PartnershipAction as A;
    use PartnershipState as S;
    match (from, action) {
        (S::Proposed, A::Accept) => Ok(S::Active),
        (S::Proposed, A::Decline) => Ok(S::Declined),
        (S::Active, A::Suspend) => Ok(S::Suspended),
        (S::Suspended, A::Resume) => Ok(S::Active),
        (S::Active | S::Suspended, A::Terminate) => Ok(S::Terminated),
        _ => Err(IllegalTransition {
            action: action.as_str(),
            from: from.as_str(),
        }),
    }
}

/// The agreement's machine-readable terms.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct Terms {
    /// Free working days (Mon–Fri) a visiting SME may stay, 1 to 90.
    pub max_free_days: i32,
    /// Offer kinds the agreement covers.
    pub services: Vec<OfferKind>,
    /// Whether the visitor's home cluster endorses a landing before the host decides.
    pub home_endorsement_required: bool,
    pub notes: Option<String>,
}

impl Terms {
    pub const DEFAULT_MAX_FREE_DAYS: i32 = 5;
}

/// The id both orders of a pair share.
pub fn pair_key(a: &str, b: &str) -> String {
    if a <= b {
        format!("{a}:{b}")
    } else {
        format!("{b}:{a}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use PartnershipAction as A;
    use PartnershipState as S;

    #[test]
    fn the_state_machine_allows_exactly_the_contracts_transitions() {
        let states = [
            S::Proposed,
            S::Active,
            S::Declined,
            S::Suspended,
            S::Terminated,
        ];
        let actions = [A::Accept, A::Decline, A::Suspend, A::Resume, A::Terminate];
        let allowed = [
            (S::Proposed, A::Accept, S::Active),
            (S::Proposed, A::Decline, S::Declined),
            (S::Active, A::Suspend, S::Suspended),
            (S::Suspended, A::Resume, S::Active),
            (S::Active, A::Terminate, S::Terminated),
            (S::Suspended, A::Terminate, S::Terminated),
        ];
        for from in states {
            for action in actions {
                let expected = allowed
                    .iter()
                    .find(|(f, a, _)| *f == from && *a == action)
                    .map(|(_, _, to)| *to);
                assert_eq!(
                    transition(from, action).ok(),
                    expected,
                    "{from:?} {action:?}"
                );
            }
        }
        assert!(S::Declined.is_final() && S::Terminated.is_final() && !S::Suspended.is_final());
    }

    #[test]
    fn a_pair_has_one_key_in_either_order() {
        assert_eq!(pair_key("b", "a"), pair_key("a", "b"));
    }
}
