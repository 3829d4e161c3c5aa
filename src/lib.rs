//! softlanding: the Business Roaming Agreement service for European ICT clusters.
//!
//! Clusters publish soft-landing offers; SMEs verified by their home cluster request landings at
//! partner clusters; hosts approve them. See `README.md` for running it and `API.md` for the
//! contract it implements.

pub mod api;
pub mod auth;
pub mod cli;
pub mod clock;
pub mod config;
pub mod db;
pub mod domain;
pub mod error;
pub mod i18n;
pub mod metrics;
pub mod notify;
pub mod seed;
pub mod service;
pub mod startup;
pub mod state;
pub mod sweep;
pub mod telemetry;
pub mod web;
pub mod webhooks;
