//! Building and running the application: database, migrations, HTTP server and the background
//! worker, and their orderly shutdown.

use std::net::TcpListener;
use std::sync::Arc;
use std::time::Duration;

use actix_web::dev::Server;
use actix_web::middleware::from_fn;
use actix_web::{App, HttpServer, web};
use utoipa::OpenApi;
use utoipa_actix_web::{AppExt, scope};
use utoipa_swagger_ui::SwaggerUi;

use crate::api::{self, ApiDoc, idempotency};
use crate::auth;
use crate::config::Settings;
use crate::db::{self, Db, migrations};
use crate::notify::mailer::MailerError;
use crate::notify::worker::Worker;
use crate::state::AppState;
use crate::telemetry;
use crate::webhooks::worker::Deliverer;

#[derive(Debug, thiserror::Error)]
pub enum StartupError {
    #[error(transparent)]
    Db(#[from] db::DbError),
    #[error(transparent)]
    Mail(#[from] MailerError),
    #[error("cannot listen on {address}: {source}")]
    Bind {
        address: String,
        source: std::io::Error,
    },
    #[error("{0}")]
    Other(String),
}

/// Connects, applies pending migrations, and builds the reports' tallies if the database holds
/// landings but no tallies yet (after the upgrade that added them, or a bulk load).
pub fn prepare_database(settings: &Settings) -> Result<Db, StartupError> {
    let db = Db::connect(&settings.database)?;
    let mut conn = db.get()?;
    let applied = migrations::run_pending(&mut conn)?;
    if !applied.is_empty() {
        tracing::info!(count = applied.len(), last = %applied.last().map(String::as_str).unwrap_or(""), "applied migrations");
    }
    let counted = crate::db::tallies::build_if_missing(&mut conn)
        .map_err(|e| StartupError::Other(format!("cannot build the reports' tallies: {e}")))?;
    if counted > 0 {
        tracing::info!(landings = counted, "built the reports' tallies");
    }
    Ok(db)
}

/// A bound, not yet running, application.
pub struct Application {
    port: u16,
    address: String,
    server: Server,
    state: web::Data<AppState>,
    worker: Worker,
    deliverer: Deliverer,
    stop_worker: Arc<tokio::sync::watch::Sender<bool>>,
}

/// Stops a running application from outside: the server stops accepting and its workers
/// end, and the outbox worker stops after the message in hand.
#[derive(Clone)]
pub struct StopHandle {
    server: actix_web::dev::ServerHandle,
    worker: Arc<tokio::sync::watch::Sender<bool>>,
}

impl StopHandle {
    /// Sends both stop signals at once; does not wait for them to take effect.
    pub fn stop(&self, graceful: bool) {
        let _ = self.worker.send(true);
        // `stop` sends its command eagerly; the future only reports completion.
        drop(self.server.stop(graceful));
    }
}

impl Application {
    /// Connects, migrates and binds; port 0 picks a free port.
    pub fn build(settings: Settings) -> Result<Application, StartupError> {
        let db = prepare_database(&settings)?;
        Application::build_with_db(settings, db)
    }

    /// Binds the server and prepares the outbox worker; must run inside a Tokio runtime (the
    /// SMTP transport's pool starts a task).
    pub fn build_with_db(settings: Settings, db: Db) -> Result<Application, StartupError> {
        let address = format!("{}:{}", settings.server.host, settings.server.port);
        let listener = TcpListener::bind(&address).map_err(|source| StartupError::Bind {
            address: address.clone(),
            source,
        })?;
        let local = listener
            .local_addr()
            .map_err(|e| StartupError::Other(e.to_string()))?;
        let shutdown_timeout = settings.server.shutdown_timeout_secs;
        auth::password::warm_up();
        let state =
            web::Data::new(AppState::new(settings, db).map_err(|e| {
                StartupError::Other(format!("cannot start the hashing threads: {e}"))
            })?);
        let worker = Worker::from_state(&state)?;
        let deliverer = Deliverer::from_state(&state).map_err(|e| {
            StartupError::Other(format!("cannot build the webhook HTTP client: {e}"))
        })?;
        let server_state = state.clone();
        let server = HttpServer::new(move || build_app(server_state.clone()))
            .listen(listener)
            .map_err(|source| StartupError::Bind {
                address: address.clone(),
                source,
            })?
            .shutdown_timeout(shutdown_timeout)
            .run();
        Ok(Application {
            port: local.port(),
            address: format!("http://{local}"),
            server,
            state,
            worker,
            deliverer,
            stop_worker: Arc::new(tokio::sync::watch::channel(false).0),
        })
    }

    pub fn port(&self) -> u16 {
        self.port
    }

    pub fn state(&self) -> web::Data<AppState> {
        self.state.clone()
    }

    /// Serves, and runs the outbox worker alongside, until SIGTERM or SIGINT (or a stop through
    /// [`Application::server`]); then lets in-flight requests and sends finish.
    pub async fn run_until_stopped(self) -> std::io::Result<()> {
        let stop_worker = self.stop_worker;
        let stopped = stop_worker.subscribe();
        let grace = self.worker.stop_grace().max(self.deliverer.stop_grace());
        let worker = tokio::spawn(self.worker.run(stopped));
        let deliverer = tokio::spawn(self.deliverer.run(stop_worker.subscribe()));
        let sweep = tokio::spawn(crate::sweep::run(
            self.state.clone(),
            stop_worker.subscribe(),
        ));
        let fold = tokio::spawn(crate::sweep::fold(
            self.state.clone(),
            stop_worker.subscribe(),
        ));
        tracing::info!(address = %self.address, "softlanding ready, listening on {}", self.address);
        let result = self.server.await;
        let _ = stop_worker.send(true);
        match tokio::time::timeout(grace.max(Duration::from_secs(1)), worker).await {
            Ok(Ok(())) => {}
            Ok(Err(e)) => tracing::error!(error = %e, "the outbox worker failed"),
            Err(_) => {
                tracing::warn!("the outbox worker did not stop in time; its leases will expire")
            }
        }
        if tokio::time::timeout(grace.max(Duration::from_secs(1)), deliverer)
            .await
            .is_err()
        {
            tracing::warn!("the webhook worker did not stop in time; its leases will expire");
        }
        if tokio::time::timeout(Duration::from_secs(5), sweep)
            .await
            .is_err()
        {
            tracing::warn!("the maintenance sweep did not stop in time");
        }
        if tokio::time::timeout(Duration::from_secs(5), fold)
            .await
            .is_err()
        {
            tracing::warn!("the reports' fold did not stop in time");
        }
        tracing::info!("softlanding stopped");
        result
    }

    /// A handle that stops the server and the outbox worker, for tests and embedders.
    pub fn stop_handle(&self) -> StopHandle {
        StopHandle {
            server: self.server.handle(),
            worker: self.stop_worker.clone(),
        }
    }
}

/// The actix application: middleware, routes, OpenAPI and its documentation UI.
fn build_app(
    state: web::Data<AppState>,
) -> App<
    impl actix_web::dev::ServiceFactory<
        actix_web::dev::ServiceRequest,
        Config = (),
        Response = actix_web::dev::ServiceResponse<impl actix_web::body::MessageBody>,
        Error = actix_web::Error,
        InitError = (),
    >,
> {
    let (app, mut openapi) = App::new()
        .into_utoipa_app()
        .openapi(ApiDoc::openapi())
        .app_data(state)
        .app_data(api::extract::path_config())
        .configure(api::configure_root)
        .service(
            scope::scope("/api/v1")
                .configure(api::configure_v1)
                .wrap(from_fn(idempotency::idempotency)),
        )
        .split_for_parts();
    idempotency::document(&mut openapi);
    app.service(web::redirect("/docs", "/docs/"))
        .service(SwaggerUi::new("/docs/{_:.*}").url("/openapi.json", openapi))
        .default_service(web::to(api::fallback))
        .configure(crate::web::configure)
        .wrap(from_fn(telemetry::request_context))
}
