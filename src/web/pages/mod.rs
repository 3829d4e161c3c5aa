//! The portal's pages, by area, and their addresses (those of `PORTAL.md`; emails link to
//! them, so they stay stable).

pub mod account;
pub mod admin;
pub mod auth;
pub mod landings;
pub mod manage;
pub mod public;
pub mod sme;

use actix_web::web;

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.route("/", web::get().to(public::home))
        .route("/offers", web::get().to(public::offers))
        .route("/offers/{id}", web::get().to(public::offer))
        .route("/clusters", web::get().to(public::cluster_list))
        .route("/clusters/{id}", web::get().to(public::cluster))
        .route("/sign-in", web::get().to(auth::sign_in_form))
        .route("/sign-in", web::post().to(auth::sign_in))
        .route("/sign-out", web::post().to(auth::sign_out))
        .route("/sign-up", web::get().to(auth::sign_up_form))
        .route("/sign-up", web::post().to(auth::sign_up))
        .route("/sign-up/done", web::get().to(auth::sign_up_done))
        .route("/confirm-email", web::get().to(auth::confirm_email_form))
        .route("/confirm-email", web::post().to(auth::confirm_email))
        .route("/forgot-password", web::get().to(auth::forgot_form))
        .route("/forgot-password", web::post().to(auth::forgot))
        .route("/set-password", web::get().to(auth::set_password_form))
        .route("/set-password", web::post().to(auth::set_password))
        .route("/language", web::post().to(auth::language))
        .route("/landings", web::get().to(landings::list))
        .route("/landings/new", web::get().to(landings::new_form))
        .route("/landings/new", web::post().to(landings::create))
        .route("/landings/{id}", web::get().to(landings::detail))
        .route(
            "/landings/{id}/calendar.ics",
            web::get().to(landings::calendar),
        )
        .route(
            "/landings/{id}/feedback",
            web::post().to(landings::feedback),
        )
        .route("/landings/{id}/{action}", web::post().to(landings::act))
        .route("/manage", web::get().to(manage::overview))
        .route("/manage/smes", web::get().to(manage::members::list))
        .route(
            "/manage/partnerships",
            web::get().to(manage::partnerships::list),
        )
        .route(
            "/manage/partnerships",
            web::post().to(manage::partnerships::propose),
        )
        .route(
            "/manage/partnerships/{id}",
            web::get().to(manage::partnerships::detail),
        )
        .route("/manage/{kind}/{id}/{action}", web::post().to(manage::act))
        .route("/sme", web::get().to(sme::profile))
        .route("/sme", web::post().to(sme::update))
        .route("/sme/members", web::post().to(sme::invite))
        .route("/account", web::get().to(account::show))
        .route("/account", web::post().to(account::update))
        .route("/account/password", web::post().to(account::password))
        .route(
            "/account/sign-out-everywhere",
            web::post().to(account::sign_out_everywhere),
        )
        .configure(manage::offers::configure)
        .configure(manage::cluster::configure)
        .configure(admin::configure);
}
