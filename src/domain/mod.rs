//! Domain types and rules, free of I/O: values that cannot be invalid once parsed, and the
//! state machines of the roaming network.

pub mod account;
pub mod calendar;
pub mod ids;
pub mod landing;
pub mod matches;
pub mod offer;
pub mod partnership;
pub mod reports;
pub mod sme;
pub mod values;
