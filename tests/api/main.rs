//! Black-box tests of the softlanding API, run against SQLite by default and against PostgreSQL
//! when `TEST_DATABASE_URL` is set.

mod admin;
mod auth;
mod clusters;
mod config;
mod errors;
mod fixtures;
mod hardening;
mod helpers;
mod idempotency;
mod landing_mail;
pub mod landings;
mod mail_language;
mod matches;
mod matrix;
mod migrations;
mod notify;
pub mod offers;
mod ops;
mod partnerships;
mod portal;
mod receiver;
mod reports;
mod search;
mod seed;
mod smes;
mod smtp;
mod webhooks;
