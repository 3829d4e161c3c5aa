//! What happened, as the use cases record it. Each state change yields one event; [`super::effects`]
//! turns the events into outbox rows in the same transaction (emails and webhook deliveries). An event
//! carries the rows the use case already holds, so its effects need not load them again.

use crate::db::clusters::ClusterRow;
use crate::db::landings::LandingRow;
use crate::db::offers::OfferRow;
use crate::db::partnerships::PartnershipRow;
use crate::db::smes::SmeRow;
pub use crate::notify::accounts::{AccountLink, LinkKind};
use crate::notify::landings::LandingNotice;

/// Something that changed in the network.
#[derive(Debug, Clone)]
pub enum DomainEvent {
    /// A landing was submitted or changed state, or its start is near.
    Landing(Box<LandingEvent>),
    /// A partnership was proposed or changed state.
    Partnership(PartnershipEvent),
    /// An SME signed up with its home cluster.
    SmeSignedUp { sme: SmeRow, home: ClusterRow },
    /// The host marked an approved landing completed or a no-show (its state says which).
    LandingConcluded { landing: LandingRow },
    /// The home cluster verified or declined an SME's membership.
    SmeDecided {
        sme: SmeRow,
        home_name: String,
        reason: Option<String>,
    },
    /// An offer was published (again).
    OfferPublished { offer: OfferRow },
    /// A person was given a one-time link.
    LinkIssued(AccountLink),
}

/// What happened to a landing, as it is after the change.
#[derive(Debug, Clone)]
pub struct LandingEvent {
    pub what: LandingNotice,
    pub landing: LandingRow,
    /// The reason, message, note or outcome the actor gave.
    pub note: Option<String>,
    /// The rows around it, when the use case holds them.
    pub parties: Option<Parties>,
}

/// The rows a landing names.
#[derive(Debug, Clone)]
pub struct Parties {
    pub offer: OfferRow,
    pub host: ClusterRow,
    /// The SME with its home cluster, when loaded.
    pub sme: Option<(SmeRow, ClusterRow)>,
}

/// What happened to a partnership, as it is after the change.
#[derive(Debug, Clone)]
pub struct PartnershipEvent {
    /// The action in the past tense: `proposed`, `accepted`, `declined`, ...
    pub what: &'static str,
    pub partnership: PartnershipRow,
    /// The cluster on whose behalf it was done (the admin acts for neither: empty).
    pub by_cluster: String,
    pub note: Option<String>,
}
