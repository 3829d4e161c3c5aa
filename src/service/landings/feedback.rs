//! The SME's feedback on a completed landing, once.

use super::{load_visible, subject};
use crate::auth::Principal;
use crate::auth::policy::landings as policy;
use crate::db::audit::{self, Actor, Entry, Trail};
use crate::db::landings::{self as store, LandingRow};
use crate::domain::ids::LandingId;
use crate::domain::landing::LandingState;
use crate::error::ApiError;
use crate::state::AppState;

/// A rating from 1 (poor) to 5 (excellent) with an optional comment, well-formed.
#[derive(Debug, Clone)]
pub struct NewFeedback {
    pub rating: i32,
    pub comment: Option<String>,
}

/// Records the SME's feedback. `check` validates the input once the caller is known to see
/// the landing, so a stranger gets the same 404 whatever it sends.
pub async fn give_feedback<F>(
    app: &AppState,
    actor: Principal,
    id: LandingId,
    check: F,
) -> Result<LandingRow, ApiError>
where
    F: FnOnce() -> Result<NewFeedback, ApiError> + Send + 'static,
{
    app.write(move |tx| {
        let row = load_visible(tx.conn, &actor, &id)?;
        policy::feedback(&actor, subject(&row))?;
        let input = check()?;
        if row.state != LandingState::Completed {
            return Err(ApiError::conflict(
                "landing_not_completed",
                format!(
                    "feedback comes after the landing is completed; it is {}",
                    row.state.as_str()
                ),
            ));
        }
        let updated =
            store::set_feedback(tx.conn, &row.id, input.rating, input.comment.as_deref())?
                .ok_or_else(|| {
                    ApiError::conflict(
                        "feedback_exists",
                        "feedback on this landing was already given",
                    )
                })?;
        audit::record(
            tx.conn,
            Trail::Landing(&row.id),
            &Entry {
                actor: Actor::by_role(&actor),
                action: "feedback",
                from: Some(LandingState::Completed.as_str()),
                to: LandingState::Completed.as_str(),
                note: Some(&format!("rating {}", input.rating)),
            },
        )?;
        Ok(updated)
    })
    .await
}
