//! Identity, authentication and authorisation: password hashing and the gate that bounds it,
//! access tokens, the authenticated principal, the client address and attempt limits, the
//! token flows and the authorisation rules every handler goes through (`policy`).

pub mod admin;
pub mod client_address;
pub mod crypto;
pub mod flows;
pub mod hashing;
pub mod jwt;
pub mod limiter;
pub mod password;
pub mod policy;
pub mod principal;
pub mod subjects;

pub use principal::{MaybePrincipal, Principal};
