//! Webhooks: partner portals hear of what happens to the landings, partnerships and offers of
//! their cluster.
//!
//! - [`events`]: which domain events become which webhook events, for which clusters, and
//!   their thin payloads; written to the outbox in the transaction of the change.
//! - [`queue`]: the webhook rows of the outbox (a delivery is one row, its `message_id` the
//!   `webhook-id` every retry repeats) and the log of attempts.
//! - [`signing`]: secrets, their sealing at rest, and the Standard Webhooks signature.
//! - [`target`]: which URLs and addresses an endpoint may have (no private networks).
//! - [`worker`]: the delivery worker: leases, concurrent attempts, the retry schedule.
//!
//! Delivery is at least once and in no guaranteed order.

pub mod events;
pub mod queue;
pub mod signing;
pub mod target;
pub mod worker;

/// The outbox `channel` of webhook deliveries.
pub const CHANNEL: &str = "webhook";

/// The event a `POST /webhooks/{id}/test` sends; every endpoint receives it, subscribed or not.
pub const TEST_EVENT: &str = "webhook.test";

/// Every event type an endpoint can subscribe to.
pub const EVENT_TYPES: [&str; 17] = [
    "landing.submitted",
    "landing.endorsed",
    "landing.approved",
    "landing.rejected",
    "landing.declined",
    "landing.withdrawn",
    "landing.cancelled",
    "landing.completed",
    "landing.no_show",
    "landing.expired",
    "partnership.proposed",
    "partnership.accepted",
    "partnership.declined",
    "partnership.suspended",
    "partnership.resumed",
    "partnership.terminated",
    "offer.published",
];

/// The groups a wildcard (`landing.*`) may name.
const GROUPS: [&str; 3] = ["landing", "partnership", "offer"];

/// Whether `pattern` names a known event type or a group wildcard.
pub fn is_subscribable(pattern: &str) -> bool {
    EVENT_TYPES.contains(&pattern)
        || pattern
            .strip_suffix(".*")
            .is_some_and(|group| GROUPS.contains(&group))
}

/// Whether a subscription of `patterns` covers the event type `event`.
pub fn subscribes(patterns: &[String], event: &str) -> bool {
    patterns.iter().any(|p| {
        p == event
            || p.strip_suffix(".*").is_some_and(|group| {
                event
                    .strip_prefix(group)
                    .is_some_and(|rest| rest.starts_with('.'))
            })
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_wildcard_covers_its_group_only() {
        let subs = vec!["landing.*".to_owned(), "offer.published".to_owned()];
        assert!(subscribes(&subs, "landing.approved"));
        assert!(subscribes(&subs, "landing.no_show"));
        assert!(subscribes(&subs, "offer.published"));
        assert!(!subscribes(&subs, "partnership.accepted"));
        assert!(!subscribes(&["landing.*".to_owned()], "landingx.approved"));
    }

    #[test]
    fn only_known_types_and_groups_subscribe() {
        assert!(is_subscribable("partnership.*"));
        assert!(is_subscribable("landing.completed"));
        assert!(!is_subscribable("landing.reminder"));
        assert!(!is_subscribable("*"));
        assert!(!is_subscribable("webhook.*"));
    }
}
