//! List paging: `limit` (default 20, at most 100) and an opaque `cursor`, the base64 of the
//! last id of the previous page. Ids are time-ordered UUIDv7s, so ordering by id is stable
//! and new rows never shift a page already served.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use serde::Serialize;

use crate::error::{ApiError, FieldError};

pub const DEFAULT_LIMIT: i64 = 20;
pub const MAX_LIMIT: i64 = 100;

/// Checks a list's `limit`, answering the default when absent.
pub fn page_limit(limit: Option<i64>) -> Result<i64, FieldError> {
    match limit {
        None => Ok(DEFAULT_LIMIT),
        Some(n) if (1..=MAX_LIMIT).contains(&n) => Ok(n),
        Some(_) => Err(FieldError::new("limit", "must be between 1 and 100")),
    }
}

/// Encodes the id a page ended at.
pub fn encode_cursor(last_id: &str) -> String {
    URL_SAFE_NO_PAD.encode(last_id.as_bytes())
}

/// Decodes a cursor this service handed out; anything else is a 400.
pub fn decode_cursor(cursor: Option<&str>) -> Result<Option<String>, ApiError> {
    let Some(cursor) = cursor else {
        return Ok(None);
    };
    URL_SAFE_NO_PAD
        .decode(cursor)
        .ok()
        .and_then(|b| String::from_utf8(b).ok())
        .filter(|s| uuid::Uuid::parse_str(s).is_ok())
        .map(Some)
        .ok_or_else(|| {
            ApiError::bad_request(
                "invalid_cursor",
                "the cursor is not one this service issued",
            )
        })
}

/// Encodes where a ranked page ended: the last item's rank and id. Lists in rank order (best
/// first, then by id) page with it.
pub fn encode_ranked_cursor(rank: u32, last_id: &str) -> String {
    URL_SAFE_NO_PAD.encode(format!("{rank}:{last_id}").as_bytes())
}

/// Decodes a cursor [`encode_ranked_cursor`] made; anything else is a 400.
pub fn decode_ranked_cursor(cursor: Option<&str>) -> Result<Option<(u32, String)>, ApiError> {
    let Some(cursor) = cursor else {
        return Ok(None);
    };
    URL_SAFE_NO_PAD
        .decode(cursor)
        .ok()
        .and_then(|b| String::from_utf8(b).ok())
        .and_then(|s| {
            let (rank, id) = s.split_once(':')?;
            let rank = rank.parse::<u32>().ok()?;
            uuid::Uuid::parse_str(id).ok()?;
            Some((rank, id.to_owned()))
        })
        .map(Some)
        .ok_or_else(|| {
            ApiError::bad_request(
                "invalid_cursor",
                "the cursor is not one this service issued",
            )
        })
}

/// A page of a list.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct Page<T: Serialize> {
    pub items: Vec<T>,
    pub next_cursor: Option<String>,
}

impl<T: Serialize> Page<T> {
    /// Builds a page from up to `limit + 1` rows loaded in id order; `id` names each row.
    pub fn from_rows<R>(
        mut rows: Vec<R>,
        limit: i64,
        id: impl Fn(&R) -> &str,
        map: impl Fn(R) -> T,
    ) -> Page<T> {
        let more = rows.len() as i64 > limit;
        rows.truncate(limit.max(0) as usize);
        let next_cursor = if more {
            rows.last().map(|r| encode_cursor(id(r)))
        } else {
            None
        };
        Page {
            items: rows.into_iter().map(map).collect(),
            next_cursor,
        }
    }
}
