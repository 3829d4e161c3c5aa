//! SMEs: the membership state machine (`pending → verified | declined`), and the validated
//! values of a sign-up and of a profile change. No I/O here: whether the home cluster exists or
//! the contact's address is free is for `db` to find out.

use std::fmt;

use serde::{Deserialize, Serialize};

use super::account::{Email, Password};
use super::values::{CountryCode, WebUrl};

/// Whether the home cluster vouches for the SME. Only a verified SME may request landings;
/// its members can log in whatever the membership.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Membership {
    Pending,
    Verified,
    Declined,
}

impl Membership {
    pub const ALL: [Membership; 3] = [
        Membership::Pending,
        Membership::Verified,
        Membership::Declined,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Membership::Pending => "pending",
            Membership::Verified => "verified",
            Membership::Declined => "declined",
        }
    }

    pub fn parse(raw: &str) -> Option<Membership> {
        Membership::ALL.into_iter().find(|m| m.as_str() == raw)
    }
}

impl fmt::Display for Membership {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// What a home cluster decides about an SME.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MembershipAction {
    Verify,
    Decline,
}

impl MembershipAction {
    pub fn as_str(self) -> &'static str {
        match self {
            MembershipAction::Verify => "verify",
            MembershipAction::Decline => "decline",
        }
    }
}

/// An action the current membership does not allow.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("cannot {} an SME whose membership is {from}", action.as_str())]
pub struct IllegalTransition {
    pub from: Membership,
    pub action: MembershipAction,
}

/// The membership state machine: a pending SME is verified or declined, once.
///
/// Both outcomes are final. In particular a verified SME cannot be declined: its members may
/// already hold approved landings abroad, and ending a membership would have to say what
/// becomes of them (and mail the host clusters); that is a separate action, to be designed with
/// landings, not a second use of `decline`. A declined SME signs up again.
pub fn transition(
    from: Membership,
    action: MembershipAction,
) -> Result<Membership, IllegalTransition> {
    match (from, action) {
        (Membership::Pending, MembershipAction::Verify) => Ok(Membership::Verified),
        (Membership::Pending, MembershipAction::Decline) => Ok(Membership::Declined),
        (from, action) => Err(IllegalTransition { from, action }),
    }
}

/// How many people an SME employs: 1 to 1,000,000.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Employees(i32);

impl Employees {
    pub const MAX: i64 = 1_000_000;

    pub fn parse(raw: i64) -> Result<Employees, String> {
        if (1..=Employees::MAX).contains(&raw) {
            // In range, so it fits.
            Ok(Employees(raw as i32))
        } else {
            Err("must be between 1 and 1000000".into())
        }
    }

    pub fn get(self) -> i32 {
        self.0
    }
}

/// The countries an SME wants to enter: at most [`TargetMarkets::MAX`] ISO codes, each once,
/// in the order given.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TargetMarkets(Vec<CountryCode>);

impl TargetMarkets {
    pub const MAX: usize = 50;

    /// Keeps the first occurrence of each country.
    pub fn new(codes: Vec<CountryCode>) -> TargetMarkets {
        let mut unique: Vec<CountryCode> = Vec::with_capacity(codes.len());
        for code in codes {
            if !unique.contains(&code) {
                unique.push(code);
            }
        }
        TargetMarkets(unique)
    }

    pub fn codes(&self) -> Vec<String> {
        self.0.iter().map(|c| c.as_str().to_owned()).collect()
    }
}

/// The languages an SME's people work in: at most [`Languages::MAX`] ISO 639-1 codes, each
/// once, lower-case, in the order given. Matches compare them with the languages an offer is
/// held in.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Languages(Vec<String>);

impl Languages {
    pub const MAX: usize = 20;

    /// Keeps the first occurrence of each language; the codes are parsed already
    /// ([`crate::domain::values::language`]).
    pub fn new(codes: Vec<String>) -> Languages {
        let mut unique: Vec<String> = Vec::with_capacity(codes.len());
        for code in codes {
            if !unique.contains(&code) {
                unique.push(code);
            }
        }
        Languages(unique)
    }

    pub fn codes(&self) -> Vec<String> {
        self.0.clone()
    }
}

/// The first account of a signing-up SME, who is also its contact.
#[derive(Debug)]
pub struct Contact {
    pub name: String,
    pub email: Email,
    pub password: Password,
}

/// A valid sign-up. The home cluster is only named here; `db` checks that it exists.
#[derive(Debug)]
pub struct SignUp {
    pub name: String,
    pub country: CountryCode,
    pub sector: String,
    pub website: Option<WebUrl>,
    pub employees: Option<Employees>,
    pub home_cluster_id: String,
    /// Empty unless the sign-up named them.
    pub languages: Languages,
    pub contact: Contact,
    /// The contact's language, when they signed up in the portal (their emails follow it).
    pub locale: Option<crate::domain::account::Locale>,
}

/// A valid profile change: `None` leaves a field as it is; for the nullable fields
/// `Some(None)` clears it. Membership and home cluster are not part of a profile.
#[derive(Debug, Default)]
pub struct ProfileChange {
    pub name: Option<String>,
    pub country: Option<CountryCode>,
    pub sector: Option<String>,
    pub website: Option<Option<WebUrl>>,
    pub employees: Option<Option<Employees>>,
    pub target_markets: Option<TargetMarkets>,
    pub languages: Option<Languages>,
}

impl ProfileChange {
    pub fn is_empty(&self) -> bool {
        self.name.is_none()
            && self.country.is_none()
            && self.sector.is_none()
            && self.website.is_none()
            && self.employees.is_none()
            && self.target_markets.is_none()
            && self.languages.is_none()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use Membership::*;
    use MembershipAction::*;

    #[test]
    fn pending_is_decided_once() {
        assert_eq!(transition(Pending, Verify), Ok(Verified));
        assert_eq!(transition(Pending, Decline), Ok(Declined));
        for (from, action) in [
            (Verified, Verify),
            (Verified, Decline),
            (Declined, Verify),
            (Declined, Decline),
        ] {
            assert_eq!(
                transition(from, action),
                Err(IllegalTransition { from, action })
            );
        }
        assert_eq!(
            IllegalTransition {
                from: Verified,
                action: Decline
            }
            .to_string(),
            "cannot decline an SME whose membership is verified"
        );
    }

    #[test]
    fn memberships_round_trip() {
        for m in Membership::ALL {
            assert_eq!(Membership::parse(m.as_str()), Some(m));
        }
        assert_eq!(Membership::parse("Verified"), None);
    }

    #[test]
    fn employees_are_bounded() {
        assert_eq!(Employees::parse(1).unwrap().get(), 1);
        assert_eq!(Employees::parse(1_000_000).unwrap().get(), 1_000_000);
        assert!(Employees::parse(0).is_err());
        assert!(Employees::parse(-3).is_err());
        assert!(Employees::parse(1_000_001).is_err());
        assert!(Employees::parse(i64::MAX).is_err());
    }

    #[test]
    fn target_markets_keep_each_country_once() {
        let codes = ["se", "DE", "SE", "fr"]
            .iter()
            .map(|c| CountryCode::parse(c).unwrap())
            .collect();
        assert_eq!(TargetMarkets::new(codes).codes(), vec!["SE", "DE", "FR"]);
    }

    #[test]
    fn languages_keep_each_code_once() {
        let codes = ["sv", "EN", " sv", "de"]
            .iter()
            .map(|c| crate::domain::values::language(c).unwrap())
            .collect();
        assert_eq!(Languages::new(codes).codes(), vec!["sv", "en", "de"]);
    }
}
