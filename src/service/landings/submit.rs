//! A soft-landing request: who may ask (403), whether the offer takes requests (409), then
//! every rule of [`check_request`] at once (422).

use super::blackouts_of;
use crate::auth::Principal;
use crate::auth::policy::landings as policy;
use crate::db::audit::{self, Actor, Entry, Trail};
use crate::db::landings::{self as store, LandingRow, NewLanding};
use crate::db::{clusters, offers, partnerships, smes};
use crate::domain::landing::{Asked, LandingState, OfferFacts, TermsFacts, check_request};
use crate::domain::offer::OfferState;
use crate::domain::partnership::PartnershipState;
use crate::domain::sme::Membership;
use crate::domain::values::{DateRange, Headcount};
use crate::error::ApiError;
use crate::service::Tx;
use crate::service::events::{DomainEvent, LandingEvent, Parties};
use crate::state::AppState;

/// A well-formed request; the rules that need the offer are checked by [`submit`].
#[derive(Debug, Clone)]
pub struct Submission {
    pub offer_id: String,
    /// First and last day, in the host's time zone.
    pub range: DateRange,
    pub headcount: Headcount,
    pub purpose: String,
    pub target_market: Option<String>,
    /// Offer kinds the SME hopes to use, distinct.
    pub services: Vec<String>,
}

/// Requests a soft landing at a partner cluster's offer, as a member of a verified SME.
pub async fn submit(
    app: &AppState,
    actor: Principal,
    request: Submission,
) -> Result<LandingRow, ApiError> {
    app.write(move |tx| submit_in(tx, &actor, request)).await
}

fn submit_in(
    tx: &mut Tx<'_>,
    principal: &Principal,
    req: Submission,
) -> Result<LandingRow, ApiError> {
    let conn = &mut *tx.conn;
    let sme_id = policy::submit(principal)?;
    let sme = smes::find(conn, sme_id)?.ok_or_else(|| ApiError::forbidden("the SME is gone"))?;
    if sme.membership != Membership::Verified {
        return Err(ApiError::forbidden_because(
            "sme_not_verified",
            "the SME's home cluster has not verified its membership yet",
        ));
    }
    // The contract answers 409 for an offer that is not published (drafts included); ids are
    // random UUIDv7s, so this tells nobody anything they could enumerate.
    let offer = offers::find(conn, &req.offer_id)?
        .ok_or_else(|| ApiError::invalid("offer_id", "no offer has this id"))?;
    if offer.state != OfferState::Published {
        return Err(ApiError::conflict(
            "offer_not_published",
            format!(
                "the offer is {}; it takes no requests",
                offer.state.as_str()
            ),
        ));
    }
    if offer.cluster_id == sme.home_cluster_id {
        return Err(ApiError::forbidden_because(
            "same_cluster",
            "a soft landing is abroad: the offer belongs to the SME's own home cluster",
        ));
    }
    let partnership = partnerships::open_for_pair(conn, &sme.home_cluster_id, &offer.cluster_id)?
        .filter(|p| p.state == PartnershipState::Active)
        .ok_or_else(|| {
            ApiError::forbidden_because(
                "no_active_partnership",
                "no active partnership joins the SME's home cluster and the offer's cluster",
            )
        })?;
    let covered = partnership.services();
    if !covered.iter().any(|c| c == offer.kind.as_str()) {
        return Err(ApiError::forbidden_because(
            "service_not_covered",
            format!(
                "the partnership's terms do not cover {} offers (they cover: {})",
                offer.kind.as_str(),
                covered.join(", ")
            ),
        ));
    }
    let host = clusters::find(conn, &offer.cluster_id)?
        .ok_or_else(|| ApiError::internal("an offer names a missing cluster"))?;
    let blackouts = blackouts_of(conn, &offer.id)?;
    let days = check_request(
        &OfferFacts {
            opening: offer.opening(),
            max_stay_days: offer.max_stay_days,
            timezone: &host.timezone,
        },
        &TermsFacts {
            services: &covered,
            max_free_days: partnership.max_free_days,
        },
        &blackouts,
        tx.today_in(&host.timezone),
        &Asked {
            range: req.range,
            headcount: req.headcount,
            services: &req.services,
        },
    )
    .map_err(ApiError::validation)?;

    let state = if partnership.home_endorsement_required {
        LandingState::PendingEndorsement
    } else {
        LandingState::PendingApproval
    };
    let conn = &mut *tx.conn;
    let row = store::insert(
        conn,
        &NewLanding {
            offer_id: offer.id.clone(),
            sme_id: sme.id.clone(),
            host_cluster_id: offer.cluster_id.clone(),
            home_cluster_id: sme.home_cluster_id.clone(),
            partnership_id: partnership.id.clone(),
            requested_by: principal.id.clone(),
            start_date: req.range.start(),
            end_date: req.range.end(),
            headcount: req.headcount.get(),
            days,
            calendar_version: offer.calendar_version,
            purpose: req.purpose,
            target_market: req.target_market,
            requested_services: req.services,
            state,
        },
    )?;
    audit::record(
        conn,
        Trail::Landing(&row.id),
        &Entry {
            actor: Actor::by_role(principal),
            action: "submit",
            from: None,
            to: state.as_str(),
            note: None,
        },
    )?;
    tx.record(DomainEvent::Landing(Box::new(LandingEvent {
        what: crate::notify::landings::LandingNotice::Submitted,
        landing: row.clone(),
        note: None,
        parties: Some(Parties {
            offer,
            host,
            sme: None,
        }),
    })));
    Ok(row)
}
