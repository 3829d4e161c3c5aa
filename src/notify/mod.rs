//! Notifications: the durable outbox, email rendering and delivery.

pub mod outbox;
pub mod templates;
