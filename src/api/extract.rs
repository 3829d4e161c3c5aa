//! Request extractors that turn what arrives into typed input or a problem: JSON bodies
//! (415 wrong content type, 413 over 64 KiB, 400 malformed, 422 listing every bad field) and
//! query strings (400 when they cannot be read).
//!
//! Request body types are lenient: optional fields and plain types, so serde reports only
//! what is structurally wrong. Their [`Input::parse`] then turns them into domain values,
//! collecting every rule they break. The extractor merges both lists.

use std::future::Future;
use std::pin::Pin;
use std::time::Duration;

use actix_web::dev::Payload;
use actix_web::http::StatusCode;
use actix_web::http::header::{CONTENT_LENGTH, CONTENT_TYPE};
use actix_web::{FromRequest, HttpRequest, web};
use futures_util::StreamExt;
use serde::de::DeserializeOwned;
use serde_json::Value;

use crate::domain::values;
use crate::error::{ApiError, FieldError};
use crate::state::AppState;

/// Largest request body accepted, in bytes.
pub const MAX_BODY_BYTES: usize = 64 * 1024;

/// A request body type and the domain value it parses into.
pub trait Input: DeserializeOwned {
    type Parsed;

    /// Checks every rule and answers the domain value, or every field that breaks a rule.
    fn parse(self) -> Result<Self::Parsed, Vec<FieldError>>;
}

/// A JSON body, parsed into `T::Parsed`.
pub struct Json<T: Input>(pub T::Parsed);

impl<T: Input + 'static> FromRequest for Json<T> {
    type Error = ApiError;
    type Future = Pin<Box<dyn Future<Output = Result<Json<T>, ApiError>>>>;

    fn from_request(req: &HttpRequest, payload: &mut Payload) -> Self::Future {
        let content_type = req
            .headers()
            .get(CONTENT_TYPE)
            .map(|v| v.to_str().unwrap_or("").to_owned());
        let declared_length = req
            .headers()
            .get(CONTENT_LENGTH)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.parse::<usize>().ok());
        let payload = payload.take();
        let timeout = body_timeout(req);
        Box::pin(async move {
            if declared_length.is_some_and(|n| n > MAX_BODY_BYTES) {
                return Err(too_large());
            }
            let body = read_body(payload, timeout).await?;
            match content_type {
                Some(ct) if is_json(&ct) => {}
                // An action without a body may omit both; it reads as `{}`.
                None if body.is_empty() => {}
                Some(ct) => return Err(unsupported(&ct)),
                None => return Err(unsupported("")),
            }
            let body: &[u8] = if body.is_empty() { b"{}" } else { &body };
            parse_body::<T>(body).map(Json)
        })
    }
}

fn is_json(content_type: &str) -> bool {
    let essence = content_type
        .split(';')
        .next()
        .unwrap_or("")
        .trim()
        .to_ascii_lowercase();
    essence == "application/json"
        || (essence.starts_with("application/") && essence.ends_with("+json"))
}

pub fn unsupported(content_type: &str) -> ApiError {
    let shown = if content_type.is_empty() {
        "no Content-Type".to_owned()
    } else {
        format!("Content-Type `{content_type}`")
    };
    ApiError::problem(
        StatusCode::UNSUPPORTED_MEDIA_TYPE,
        "unsupported_media_type",
        format!("{shown} is not accepted; send application/json"),
    )
}

pub fn too_large() -> ApiError {
    ApiError::problem(
        StatusCode::PAYLOAD_TOO_LARGE,
        "payload_too_large",
        format!(
            "request bodies are limited to {} KiB",
            MAX_BODY_BYTES / 1024
        ),
    )
}

/// How long the request's body may take to arrive whole (`server.body_timeout_secs`).
pub fn body_timeout(req: &HttpRequest) -> Duration {
    let secs = req
        .app_data::<web::Data<AppState>>()
        .map_or(10, |state| state.settings.server.body_timeout_secs);
    Duration::from_secs(secs.max(1))
}

/// Reads the whole body, stopping as soon as it passes the limit, or 408 when it has not
/// arrived within `timeout` (a client that stops mid-way holds no connection for long).
pub async fn read_body<S>(mut payload: S, timeout: Duration) -> Result<web::BytesMut, ApiError>
where
    S: futures_util::Stream<Item = Result<web::Bytes, actix_web::error::PayloadError>> + Unpin,
{
    let deadline = tokio::time::Instant::now() + timeout;
    let mut body = web::BytesMut::new();
    loop {
        let next = tokio::time::timeout_at(deadline, payload.next())
            .await
            .map_err(|_| {
                ApiError::problem(
                    StatusCode::REQUEST_TIMEOUT,
                    "request_timeout",
                    format!(
                        "the request body did not arrive within {} seconds",
                        timeout.as_secs()
                    ),
                )
            })?;
        let Some(chunk) = next else { break };
        let chunk = chunk.map_err(|e| {
            ApiError::bad_request("malformed_request", format!("could not read the body: {e}"))
        })?;
        if body.len() + chunk.len() > MAX_BODY_BYTES {
            return Err(too_large());
        }
        body.extend_from_slice(&chunk);
    }
    Ok(body)
}

/// Parses a JSON document into `T::Parsed`, listing every bad field.
pub fn parse_body<T: Input>(body: &[u8]) -> Result<T::Parsed, ApiError> {
    let mut value: Value = serde_json::from_slice(body).map_err(|e| {
        ApiError::bad_request("malformed_json", format!("the body is not valid JSON: {e}"))
    })?;
    if !value.is_object() {
        return Err(ApiError::invalid("body", "must be a JSON object"));
    }
    let mut controls = Vec::new();
    find_control_characters(&value, &mut Vec::new(), &mut controls);
    if !controls.is_empty() {
        return Err(ApiError::Validation(controls));
    }
    let (input, mut errors) = lenient_deserialize::<T>(&mut value);
    match input {
        Some(input) => match input.parse() {
            Ok(parsed) if errors.is_empty() => Ok(parsed),
            Ok(_) => Err(ApiError::Validation(errors)),
            Err(more) => {
                for e in more {
                    if !errors.iter().any(|known| known.field == e.field) {
                        errors.push(e);
                    }
                }
                Err(ApiError::Validation(errors))
            }
        },
        None => Err(ApiError::Validation(errors)),
    }
}

/// Deserializes `T`, removing each field serde rejects and trying again, so one request
/// reports all of its structural errors (unknown fields, wrong types) rather than the first.
fn lenient_deserialize<T: DeserializeOwned>(value: &mut Value) -> (Option<T>, Vec<FieldError>) {
    let mut errors = Vec::new();
    for _ in 0..64 {
        let error = match serde_path_to_error::deserialize::<_, T>(&*value) {
            Ok(input) => return (Some(input), errors),
            Err(e) => e,
        };
        let path = segments(&error.path().to_string());
        let message = error.inner().to_string();
        let (field_path, message, removable) =
            if let Some(name) = quoted(&message, "unknown field `") {
                let mut p = path.clone();
                if p.last().map(String::as_str) != Some(name) {
                    p.push(name.to_owned());
                }
                (p, "is not a known field".to_owned(), true)
            } else if let Some(name) = quoted(&message, "missing field `") {
                let mut p = path.clone();
                p.push(name.to_owned());
                (p, "is required".to_owned(), false)
            } else {
                (path.clone(), tidy(&message), true)
            };
        let field = render_path(&field_path);
        errors.push(FieldError::new(
            if field.is_empty() {
                "body".to_owned()
            } else {
                field
            },
            message,
        ));
        if !removable || !remove_at(value, &field_path) {
            return (None, errors);
        }
    }
    (None, errors)
}

/// Names every string of `value` (keys included) that holds a character text may not: no
/// text field of the service takes NUL, CR or another control character but line feed and tab
/// (single-line fields refuse those too, when they parse).
fn find_control_characters(value: &Value, path: &mut Vec<String>, errors: &mut Vec<FieldError>) {
    let bad = |s: &str| !s.chars().all(values::allowed_in_text);
    match value {
        Value::String(s) if bad(s) => {
            let field = render_path(path);
            errors.push(FieldError::new(
                if field.is_empty() {
                    "body".into()
                } else {
                    field
                },
                values::CONTROL_CHARACTERS,
            ));
        }
        Value::Array(items) => {
            for (i, item) in items.iter().enumerate() {
                path.push(format!("[{i}]"));
                find_control_characters(item, path, errors);
                path.pop();
            }
        }
        Value::Object(map) => {
            for (key, item) in map {
                path.push(
                    key.chars()
                        .filter(|c| values::allowed_in_text(*c))
                        .collect(),
                );
                if bad(key) {
                    errors.push(FieldError::new(
                        render_path(path),
                        "is not a known field (it holds control characters)",
                    ));
                } else {
                    find_control_characters(item, path, errors);
                }
                path.pop();
            }
        }
        _ => {}
    }
}

/// Splits serde_path_to_error's `a.b[2].c` into `["a", "b", "[2]", "c"]`.
fn segments(path: &str) -> Vec<String> {
    if path == "." {
        return Vec::new();
    }
    let mut out = Vec::new();
    for part in path.split('.') {
        let mut rest = part;
        while let Some(open) = rest.find('[') {
            if open > 0 {
                out.push(rest[..open].to_owned());
            }
            let close = rest[open..]
                .find(']')
                .map(|c| open + c + 1)
                .unwrap_or(rest.len());
            out.push(rest[open..close].to_owned());
            rest = &rest[close..];
        }
        if !rest.is_empty() {
            out.push(rest.to_owned());
        }
    }
    out
}

fn render_path(segments: &[String]) -> String {
    let mut out = String::new();
    for s in segments {
        if s.starts_with('[') || out.is_empty() {
            out.push_str(s);
        } else {
            out.push('.');
            out.push_str(s);
        }
    }
    out
}

/// Removes the value at `path`; for an array element, the whole array goes.
fn remove_at(value: &mut Value, path: &[String]) -> bool {
    let Some(first_index) = path.iter().position(|s| s.starts_with('[')) else {
        return remove_key(value, path);
    };
    remove_key(value, &path[..first_index])
}

fn remove_key(value: &mut Value, path: &[String]) -> bool {
    let Some((last, parents)) = path.split_last() else {
        return false;
    };
    let mut current = value;
    for key in parents {
        match current.get_mut(key.as_str()) {
            Some(next) => current = next,
            None => return false,
        }
    }
    current
        .as_object_mut()
        .is_some_and(|map| map.remove(last.as_str()).is_some())
}

fn quoted<'a>(message: &'a str, prefix: &str) -> Option<&'a str> {
    let rest = message.strip_prefix(prefix)?;
    rest.split('`').next()
}

/// serde's messages carry line and column of the re-serialized value; they mean nothing here.
fn tidy(message: &str) -> String {
    match message.find(" at line ") {
        Some(i) => message[..i].to_owned(),
        None => message.to_owned(),
    }
}

/// A query string, parsed with serde; unreadable ones are 400, and so are parameters holding
/// control characters (a query parameter is one line).
pub struct Query<T>(pub T);

impl<T: DeserializeOwned> FromRequest for Query<T> {
    type Error = ApiError;
    type Future = std::future::Ready<Result<Query<T>, ApiError>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        std::future::ready(parse_query(req.query_string()))
    }
}

fn parse_query<T: DeserializeOwned>(raw: &str) -> Result<Query<T>, ApiError> {
    let invalid = |detail: String| ApiError::bad_request("invalid_query", detail);
    for (name, value) in url::form_urlencoded::parse(raw.as_bytes()) {
        if name.chars().chain(value.chars()).any(char::is_control) {
            let shown: String = name.chars().filter(|c| !c.is_control()).take(40).collect();
            return Err(invalid(format!(
                "the query parameter `{shown}` holds control characters"
            )));
        }
    }
    serde_urlencoded::from_str::<T>(raw)
        .map(Query)
        .map_err(|e| invalid(format!("the query string is invalid: {e}")))
}

/// A resource id in the path: a UUID, as every id of the service is. Anything else names
/// nothing, so it is 404 before it reaches the database.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PathId(pub String);

impl<'de> serde::Deserialize<'de> for PathId {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<PathId, D::Error> {
        let raw = <std::borrow::Cow<'de, str>>::deserialize(deserializer)?;
        match uuid::Uuid::try_parse(&raw) {
            // Ids are stored hyphenated and lower-case; any other spelling of one is the same id.
            Ok(id) => Ok(PathId(id.hyphenated().to_string())),
            Err(_) => Err(serde::de::Error::custom("not an id")),
        }
    }
}

/// An action a resource takes through `POST /{resource}/{id}/{action}`, spelled as in the path.
pub trait PathAction: Sized {
    fn from_path(segment: &str) -> Option<Self>;
}

/// `{id}/{action}` of the one action endpoint of a resource: an id of `I` and an action of `A`.
/// An unknown action names nothing, so it is 404 like an unknown id.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ActionPath<I, A> {
    pub id: I,
    pub action: A,
}

impl<'de, I, A> serde::Deserialize<'de> for ActionPath<I, A>
where
    I: serde::Deserialize<'de>,
    A: PathAction,
{
    fn deserialize<D: serde::Deserializer<'de>>(
        deserializer: D,
    ) -> Result<ActionPath<I, A>, D::Error> {
        let (id, action) = <(I, std::borrow::Cow<'de, str>)>::deserialize(deserializer)?;
        let action =
            A::from_path(&action).ok_or_else(|| serde::de::Error::custom("no such action"))?;
        Ok(ActionPath { id, action })
    }
}

/// An API client's public `client_id` in the path (`slc_` and URL-safe base64).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ClientIdPath(pub String);

impl<'de> serde::Deserialize<'de> for ClientIdPath {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<ClientIdPath, D::Error> {
        let raw = <std::borrow::Cow<'de, str>>::deserialize(deserializer)?;
        let well_formed = raw.strip_prefix("slc_").is_some_and(|rest| {
            !rest.is_empty()
                && rest.len() <= 64
                && rest
                    .bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
        });
        if well_formed {
            Ok(ClientIdPath(raw.into_owned()))
        } else {
            Err(serde::de::Error::custom("not a client id"))
        }
    }
}

/// How a path that names no resource answers: 404 problem+json, as an absent resource does.
pub fn path_config() -> web::PathConfig {
    web::PathConfig::default().error_handler(|_, req| {
        ApiError::problem(
            StatusCode::NOT_FOUND,
            "not_found",
            format!(
                "nothing is found at {}",
                req.path().chars().take(200).collect::<String>()
            ),
        )
        .into()
    })
}

/// The one rule for `PATCH` fields that cannot be cleared: absent → `None`, a value →
/// `Some(v)`, and `null` is refused at the field ("cannot be null"), never silently ignored.
/// Use with `#[serde(default, deserialize_with = "not_null")]`.
pub fn not_null<'de, D, T>(deserializer: D) -> Result<Option<T>, D::Error>
where
    D: serde::Deserializer<'de>,
    T: serde::Deserialize<'de>,
{
    match <Option<T> as serde::Deserialize>::deserialize(deserializer)? {
        Some(value) => Ok(Some(value)),
        None => Err(serde::de::Error::custom(NOT_NULL)),
    }
}

/// What [`not_null`] says of a `null`.
pub const NOT_NULL: &str = "cannot be null";

/// For `PATCH` fields that may be cleared: absent → `None`, `null` → `Some(None)`,
/// a value → `Some(Some(v))`. Use with `#[serde(default, deserialize_with = "nullable")]`.
pub fn nullable<'de, D, T>(deserializer: D) -> Result<Option<Option<T>>, D::Error>
where
    D: serde::Deserializer<'de>,
    T: serde::Deserialize<'de>,
{
    serde::Deserialize::deserialize(deserializer).map(Some)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde::Deserialize;

    #[derive(Debug, Deserialize)]
    #[serde(deny_unknown_fields)]
    #[allow(dead_code)]
    struct Terms {
        max_free_days: Option<u32>,
    }

    #[derive(Debug, Deserialize)]
    #[serde(deny_unknown_fields)]
    #[allow(dead_code)]
    struct Body {
        name: Option<String>,
        count: Option<u32>,
        terms: Option<Terms>,
        tags: Option<Vec<String>>,
    }

    impl Input for Body {
        type Parsed = Body;
        fn parse(self) -> Result<Body, Vec<FieldError>> {
            if self.name.is_none() {
                return Err(vec![FieldError::new("name", "is required")]);
            }
            Ok(self)
        }
    }

    fn fields(result: Result<Body, ApiError>) -> Vec<String> {
        match result {
            Err(ApiError::Validation(errors)) => errors.into_iter().map(|e| e.field).collect(),
            other => panic!("expected a validation error, got {other:?}"),
        }
    }

    #[test]
    fn every_bad_field_is_listed() {
        let body = br#"{"name": 5, "count": "x", "colour": 1, "extra": 2, "terms": {"max_free_days": -1, "bogus": true}, "tags": ["a", 3]}"#;
        let mut found = fields(parse_body::<Body>(body));
        found.sort();
        assert_eq!(
            found,
            vec![
                "colour",
                "count",
                "extra",
                "name",
                "tags[1]",
                "terms.bogus",
                "terms.max_free_days"
            ]
        );
    }

    #[test]
    fn parse_errors_merge_with_structural_ones() {
        let found = fields(parse_body::<Body>(br#"{"count": "x"}"#));
        assert_eq!(found, vec!["count", "name"]);
    }

    #[test]
    fn malformed_json_is_a_bad_request() {
        let err = parse_body::<Body>(br#"{"name": "#).unwrap_err();
        assert_eq!(err.code(), "malformed_json");
    }

    #[test]
    fn control_characters_are_named_at_their_field() {
        let found = fields(parse_body::<Body>(
            b"{\"name\": \"a\\u0000b\", \"tags\": [\"ok\", \"x\\ry\"], \"terms\": {\"max_free_days\": 1}}",
        ));
        assert_eq!(found, vec!["name", "tags[1]"]);
        assert!(parse_body::<Body>(b"{\"name\": \"two\\nlines\\tok\"}").is_ok());
    }

    #[test]
    fn ids_in_paths_are_uuids() {
        let id: PathId = serde_json::from_str("\"0193A1B2-0000-7000-8000-000000000000\"").unwrap();
        assert_eq!(id.0, "0193a1b2-0000-7000-8000-000000000000");
        for bad in [
            "\"abc\"",
            "\"0193a1b2-0000-7000-8000-00000000000\\u0000\"",
            "\"\"",
        ] {
            assert!(serde_json::from_str::<PathId>(bad).is_err(), "{bad}");
        }
        assert!(serde_json::from_str::<ClientIdPath>("\"slc_AZOhsgAAcACAAAAAAAAAAA\"").is_ok());
        assert!(serde_json::from_str::<ClientIdPath>("\"slc_\\u0000\"").is_err());
    }

    #[test]
    fn query_parameters_refuse_control_characters() {
        #[derive(Debug, Deserialize)]
        #[allow(dead_code)]
        struct Q {
            city: Option<String>,
        }
        assert!(parse_query::<Q>("city=Karlsruhe").is_ok());
        match parse_query::<Q>("city=Karls%00ruhe") {
            Err(err) => assert_eq!(err.code(), "invalid_query"),
            Ok(_) => panic!("a NUL in a query parameter is refused"),
        }
    }

    #[test]
    fn path_segments_round_trip() {
        let s = segments("terms.services[2].x");
        assert_eq!(s, vec!["terms", "services", "[2]", "x"]);
        assert_eq!(render_path(&s), "terms.services[2].x");
    }
}
