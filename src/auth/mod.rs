//! Identity, authentication and authorisation.

pub mod admin;
pub mod crypto;
