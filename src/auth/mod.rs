//! Identity, authentication and authorisation: password hashing, access tokens, the
//! authenticated principal, login rate limiting, the token flows and the authorisation rules
//! every handler goes through (`policy`).

pub mod admin;
pub mod crypto;
pub mod flows;
pub mod jwt;
pub mod limiter;
pub mod password;
pub mod policy;
pub mod principal;
pub mod subjects;

pub use principal::{MaybePrincipal, Principal};
