//! The `Idempotency-Key` header, for every `POST` under `/api/v1` except the token endpoints
//! under `/api/v1/auth/`: a replay with the same key and body answers the first response
//! (status, body, `Content-Type`, `Location`, `ETag`) with `Idempotent-Replayed: true`; the same
//! key with another method, path or body is 422; a replay while the first request still runs
//! is 409.
//!
//! Keys are per caller: the verified bearer principal, or, for the anonymous SME sign-up only,
//! `anonymous:<client address>`. Only a `POST` to a route that exists claims a key; a request
//! without a valid token (other than a sign-up) passes through (its handler answers 401) and
//! stores nothing; a request without the header passes through at no database cost. Answers
//! worth retrying (5xx, 429) and answers of authentication or routing (401, 404, 405) are not
//! kept: their claim is released. An answer marked `Cache-Control: no-store` (it holds a secret
//! shown once) is not kept either, but its key stays spent, so a replay creates nothing twice
//! and answers 409. A caller holds at most [`MAX_KEYS_PER_CALLER`] live keys (an anonymous
//! address [`MAX_KEYS_PER_ADDRESS`]); past that a new key is 429.
//!
//! What is stored and when it expires is [`crate::db::idempotency`]'s business; the periodic
//! purge starts with the server.

use actix_web::body::{BoxBody, EitherBody, MessageBody, to_bytes};
use actix_web::dev::{Payload, ServiceRequest, ServiceResponse};
use actix_web::http::header::{self, HeaderMap, HeaderName, HeaderValue};
use actix_web::http::{Method, StatusCode};
use actix_web::middleware::Next;
use actix_web::{Error, HttpMessage, HttpResponse, ResponseError, web};
use sha2::{Digest, Sha256};
use tracing::Instrument;

use super::extract::{MAX_BODY_BYTES, read_body, too_large};
use crate::auth::jwt::SubjectKind;
use crate::auth::principal::{Principal, authenticate};
use crate::db::idempotency::{self, Claim, ClaimRef, StoredResponse};
use crate::db::{DbError, pool::run};
use crate::error::ApiError;
use crate::state::AppState;

/// The request header naming the key.
pub const IDEMPOTENCY_KEY: &str = "idempotency-key";

/// The response header marking a replayed answer.
pub const IDEMPOTENT_REPLAYED: &str = "idempotent-replayed";

/// Longest key accepted, in characters (all of them visible ASCII).
pub const MAX_KEY_LEN: usize = 255;

/// The caller of requests without an `Authorization` header (SME sign-up), with the client's
/// address after it.
const ANONYMOUS: &str = "anonymous";

/// The one route that takes a key from an anonymous caller.
const ANONYMOUS_ROUTE: &str = "/api/v1/smes";

/// Live keys a person or API client may hold (they expire after 24 hours).
pub const MAX_KEYS_PER_CALLER: i64 = 5_000;

/// Live keys one client address may hold for anonymous sign-ups.
pub const MAX_KEYS_PER_ADDRESS: i64 = 50;

/// The base path the middleware wraps, and the part of it that it leaves alone.
const API_BASE: &str = "/api/v1";
const AUTH_PATH: &str = "/auth";

/// The response headers a replay repeats; the rest belong to the moment of the first answer.
const REPLAYED_HEADERS: [HeaderName; 3] = [header::CONTENT_TYPE, header::LOCATION, header::ETAG];

/// Middleware around the `/api/v1` scope: see the module documentation.
pub async fn idempotency<B: MessageBody + 'static>(
    mut req: ServiceRequest,
    next: Next<B>,
) -> Result<ServiceResponse<EitherBody<B>>, Error> {
    let Some(pattern) = applies(&req) else {
        return pass(req, next).await;
    };
    // Only a caller the handler will accept claims a key: a request without a valid token
    // (other than a sign-up) is answered 401 by its handler and leaves nothing behind.
    let (caller, max_keys) = match authenticate(req.request()).await {
        Ok(Some(principal)) => (caller_of(&principal), MAX_KEYS_PER_CALLER),
        Ok(None) if pattern == ANONYMOUS_ROUTE => {
            let address = req
                .peer_addr()
                .map(|a| a.ip().to_string())
                .unwrap_or_else(|| "unknown".into());
            (format!("{ANONYMOUS}:{address}"), MAX_KEYS_PER_ADDRESS)
        }
        Ok(None) | Err(_) => return pass(req, next).await,
    };
    let key = match parse_key(req.headers()) {
        Ok(key) => key,
        Err(e) => return Ok(refuse(req, e)),
    };
    let Some(state) = req.app_data::<web::Data<AppState>>().cloned() else {
        return Ok(refuse(
            req,
            ApiError::internal("application state is missing"),
        ));
    };
    let body = match take_body(&mut req).await {
        Ok(body) => body,
        Err(e) => return Ok(refuse(req, e)),
    };
    let target = req
        .uri()
        .path_and_query()
        .map_or_else(|| req.path(), |pq| pq.as_str());
    let fingerprint = fingerprint(req.method().as_str(), target, &body);
    req.set_payload(Payload::from(body));

    let claimed = {
        let (caller, key) = (caller.clone(), key.clone());
        let now = state.clock.stamp();
        run(&state.db, move |conn| {
            idempotency::claim(conn, &caller, &key, &fingerprint, now, max_keys)
                .map_err(ApiError::from)
        })
        .await
    };
    let claimed_at = match claimed {
        Ok(Claim::Claimed(at)) => at,
        Ok(Claim::Completed(stored)) => {
            return Ok(req.into_response(replay(stored)).map_into_right_body());
        }
        Ok(Claim::Reused) => {
            return Ok(refuse(
                req,
                ApiError::problem(
                    StatusCode::UNPROCESSABLE_ENTITY,
                    "idempotency_key_reused",
                    "this Idempotency-Key was used with another request; send a new key",
                ),
            ));
        }
        Ok(Claim::Exhausted) => {
            return Ok(refuse(
                req,
                ApiError::RateLimited {
                    retry_after_secs: 3600,
                },
            ));
        }
        Ok(Claim::InProgress) => {
            return Ok(refuse(
                req,
                ApiError::conflict(
                    "idempotency_in_progress",
                    "a request with this Idempotency-Key is still running; retry shortly",
                ),
            ));
        }
        Err(e) => return Ok(refuse(req, e)),
    };
    let claim = ClaimRef {
        caller,
        key,
        claimed_at,
    };
    // The request runs to its end in a task of its own: a client that goes away does not cut
    // it short between the handler's work and the record of its answer, so the client's retry
    // finds that answer rather than a claim left to be taken over.
    let task = actix_web::rt::spawn(
        async move {
            let outcome = next.call(req).await;
            record(&state, claim, outcome).await
        }
        .instrument(tracing::Span::current()),
    );
    task.await
        .map_err(|e| Error::from(ApiError::internal(format!("the request task failed: {e}"))))?
}

/// A `POST` with the header to a route that exists, outside the token endpoints: answers the
/// route's pattern.
fn applies(req: &ServiceRequest) -> Option<String> {
    if req.method() != Method::POST || !req.headers().contains_key(IDEMPOTENCY_KEY) {
        return None;
    }
    // The path as routed (percent-decoded where it is safe), so an encoded `auth` is still it.
    let path = req.match_info().as_str();
    let rest = path.strip_prefix(API_BASE).unwrap_or(path);
    if rest == AUTH_PATH || rest.starts_with("/auth/") {
        return None;
    }
    req.request().resource_map().match_pattern(path)
}

async fn pass<B: MessageBody + 'static>(
    req: ServiceRequest,
    next: Next<B>,
) -> Result<ServiceResponse<EitherBody<B>>, Error> {
    next.call(req)
        .await
        .map(ServiceResponse::map_into_left_body)
}

fn refuse<B>(req: ServiceRequest, error: ApiError) -> ServiceResponse<EitherBody<B>> {
    req.error_response(error).map_into_right_body()
}

/// Users and API clients have separate id spaces: the kind keeps their keys apart.
fn caller_of(principal: &Principal) -> String {
    let kind = match principal.kind {
        SubjectKind::User => "user",
        SubjectKind::ApiClient => "api_client",
    };
    format!("{kind}:{}", principal.id)
}

/// The one key of the request: 1 to [`MAX_KEY_LEN`] visible ASCII characters.
fn parse_key(headers: &HeaderMap) -> Result<String, ApiError> {
    let invalid = |detail: &str| ApiError::bad_request("invalid_idempotency_key", detail);
    let mut values = headers.get_all(IDEMPOTENCY_KEY);
    let Some(value) = values.next() else {
        return Err(invalid("the Idempotency-Key header is missing"));
    };
    if values.next().is_some() {
        return Err(invalid("send one Idempotency-Key header, not several"));
    }
    let bytes = value.as_bytes();
    if bytes.is_empty() || bytes.len() > MAX_KEY_LEN || !bytes.iter().all(u8::is_ascii_graphic) {
        return Err(invalid(&format!(
            "an Idempotency-Key is 1 to {MAX_KEY_LEN} visible ASCII characters"
        )));
    }
    Ok(String::from_utf8_lossy(bytes).into_owned())
}

/// Reads the whole body (413 past [`MAX_BODY_BYTES`], as the JSON extractor answers).
async fn take_body(req: &mut ServiceRequest) -> Result<web::Bytes, ApiError> {
    let declared = req
        .headers()
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<usize>().ok());
    if declared.is_some_and(|n| n > MAX_BODY_BYTES) {
        return Err(too_large());
    }
    let timeout = super::extract::body_timeout(req.request());
    read_body(req.take_payload(), timeout)
        .await
        .map(|b| b.freeze())
}

/// What tells two requests with one key apart: SHA-256 (hex) over the method, the path with its
/// query and the body, each part length-prefixed so no two requests share their bytes.
pub fn fingerprint(method: &str, path_and_query: &str, body: &[u8]) -> String {
    let mut hash = Sha256::new();
    for part in [method.as_bytes(), path_and_query.as_bytes(), body] {
        hash.update((part.len() as u64).to_be_bytes());
        hash.update(part);
    }
    hex::encode(hash.finalize())
}

/// Keeps the answer of the claimed request, or releases the claim when the answer is worth
/// retrying; answers the response unchanged either way.
async fn record<B: MessageBody>(
    state: &AppState,
    claim: ClaimRef,
    outcome: Result<ServiceResponse<B>, Error>,
) -> Result<ServiceResponse<EitherBody<B>>, Error> {
    let response = match outcome {
        Ok(response) => response,
        Err(e) => {
            release(state, claim).await;
            return Err(e);
        }
    };
    let status = response.status();
    // Worth retrying (5xx, 429), or said by authentication or routing rather than by the
    // request's own work (401, 404, 405): nothing of it is kept.
    if status.is_server_error()
        || matches!(
            status,
            StatusCode::TOO_MANY_REQUESTS
                | StatusCode::UNAUTHORIZED
                | StatusCode::NOT_FOUND
                | StatusCode::METHOD_NOT_ALLOWED
        )
    {
        release(state, claim).await;
        return Ok(response.map_into_left_body());
    }
    let (request, response) = response.into_parts();
    let (head, body) = response.into_parts();
    let bytes = match to_bytes(body).await {
        Ok(bytes) => bytes,
        Err(e) => {
            let cause: Box<dyn std::error::Error> = e.into();
            release(state, claim).await;
            let error = ApiError::internal(format!("could not read the response body: {cause}"));
            return Ok(ServiceResponse::new(request, error.error_response()).map_into_right_body());
        }
    };
    let stored = StoredResponse {
        status: status.as_u16(),
        headers: replayed_headers(head.headers()),
        body: (!no_store(head.headers())).then(|| bytes.to_vec()),
    };
    let now = state.clock.stamp();
    let completed = run(&state.db, move |conn| {
        idempotency::complete(conn, &claim, &stored, now).map_err(DbError::from)
    })
    .await;
    match completed {
        Ok(true) => {}
        Ok(false) => {
            tracing::warn!("the idempotency claim was taken over; this answer is not kept")
        }
        Err(e) => tracing::warn!(error = %e, "could not keep the answer of an idempotent request"),
    }
    let response = head.set_body(BoxBody::new(bytes));
    Ok(ServiceResponse::new(request, response).map_into_right_body())
}

/// Deletes the claim so the client may retry with the same key.
async fn release(state: &AppState, claim: ClaimRef) {
    let released = run(&state.db, move |conn| {
        idempotency::release(conn, &claim).map_err(DbError::from)
    })
    .await;
    if let Err(e) = released {
        // The claim stays until it counts as abandoned; a retry then takes it over.
        tracing::warn!(error = %e, "could not release an idempotency claim");
    }
}

fn replayed_headers(headers: &HeaderMap) -> Vec<(String, String)> {
    REPLAYED_HEADERS
        .iter()
        .flat_map(|name| {
            headers.get_all(name).filter_map(move |value| {
                value
                    .to_str()
                    .ok()
                    .map(|v| (name.as_str().to_owned(), v.to_owned()))
            })
        })
        .collect()
}

fn no_store(headers: &HeaderMap) -> bool {
    headers
        .get_all(header::CACHE_CONTROL)
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .any(|directive| directive.trim().eq_ignore_ascii_case("no-store"))
}

/// The stored answer again, marked as a replay.
fn replay(stored: StoredResponse) -> HttpResponse {
    let Some(body) = stored.body else {
        return not_kept(&stored);
    };
    let status = StatusCode::from_u16(stored.status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    let mut response = HttpResponse::build(status).body(body);
    let headers = response.headers_mut();
    for (name, value) in &stored.headers {
        if let (Ok(name), Ok(value)) = (
            HeaderName::try_from(name.as_str()),
            HeaderValue::try_from(value.as_str()),
        ) {
            headers.append(name, value);
        }
    }
    headers.insert(
        HeaderName::from_static(IDEMPOTENT_REPLAYED),
        HeaderValue::from_static("true"),
    );
    response
}

/// The answer to a replay of a request whose answer was not kept: 409, with the `Location`
/// of what the first request created.
fn not_kept(stored: &StoredResponse) -> HttpResponse {
    let mut response = ApiError::conflict(
        "idempotency_response_not_kept",
        "the request with this Idempotency-Key completed, but its answer held a secret shown only once and was not kept",
    )
    .with("first_status", stored.status)
    .error_response();
    for (name, value) in &stored.headers {
        if name.as_str() == header::LOCATION.as_str()
            && let Ok(value) = HeaderValue::try_from(value.as_str())
        {
            response.headers_mut().insert(header::LOCATION, value);
        }
    }
    response
}

/// Documents the header on every operation the middleware covers.
pub fn document(openapi: &mut utoipa::openapi::OpenApi) {
    use utoipa::openapi::Required;
    use utoipa::openapi::path::{ParameterBuilder, ParameterIn};
    use utoipa::openapi::schema::{ObjectBuilder, Type};

    for (path, item) in openapi.paths.paths.iter_mut() {
        let rest = path.strip_prefix(API_BASE);
        let covered = rest.is_some_and(|r| r != AUTH_PATH && !r.starts_with("/auth/"));
        let Some(operation) = item.post.as_mut().filter(|_| covered) else {
            continue;
        };
        let parameter = ParameterBuilder::new()
            .name("Idempotency-Key")
            .parameter_in(ParameterIn::Header)
            .required(Required::False)
            .description(Some(
                "1 to 255 visible ASCII characters, unique per caller for 24 hours. A replay with \
                 the same body answers the first response with `Idempotent-Replayed: true`; \
                 another body is 422 `idempotency_key_reused`; a replay while the first request \
                 runs is 409 `idempotency_in_progress`.",
            ))
            .schema(Some(
                ObjectBuilder::new()
                    .schema_type(Type::String)
                    .min_length(Some(1))
                    .max_length(Some(MAX_KEY_LEN)),
            ))
            .build();
        operation
            .parameters
            .get_or_insert_with(Vec::new)
            .push(parameter);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn headers(values: &[&str]) -> HeaderMap {
        let mut map = HeaderMap::new();
        for v in values {
            map.append(
                HeaderName::from_static(IDEMPOTENCY_KEY),
                HeaderValue::from_str(v).unwrap(),
            );
        }
        map
    }

    #[test]
    fn keys_are_one_to_255_visible_ascii_characters() {
        assert_eq!(parse_key(&headers(&["a"])).unwrap(), "a");
        let longest = "k".repeat(MAX_KEY_LEN);
        assert_eq!(parse_key(&headers(&[&longest])).unwrap(), longest);
        for bad in ["", "two words", "tab\there", &"k".repeat(MAX_KEY_LEN + 1)] {
            let err = parse_key(&headers(&[bad])).unwrap_err();
            assert_eq!(err.code(), "invalid_idempotency_key", "{bad:?}");
        }
        let err = parse_key(&headers(&["a", "b"])).unwrap_err();
        assert_eq!(err.code(), "invalid_idempotency_key");
    }

    #[test]
    fn no_store_is_read_among_other_directives() {
        let mut map = HeaderMap::new();
        assert!(!no_store(&map));
        map.insert(
            header::CACHE_CONTROL,
            HeaderValue::from_static("private, No-Store"),
        );
        assert!(no_store(&map));
    }
}
