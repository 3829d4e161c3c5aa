//! The portal's static files, embedded in the binary: htmx (vendored from the npm package
//! `htmx.org`, its licence beside it), the one style sheet and the icon.
//! Each is served under a name that carries a hash of its content, so it can be cached for a
//! year and a new binary's files are fetched afresh.

use std::sync::LazyLock;

use actix_web::http::header::{CACHE_CONTROL, CONTENT_TYPE};
use actix_web::{HttpResponse, web};
use sha2::{Digest, Sha256};

struct Asset {
    /// The name templates use: `app.css`.
    name: &'static str,
    content_type: &'static str,
    body: &'static [u8],
}

const FILES: [Asset; 3] = [
    Asset {
        name: "app.css",
        content_type: "text/css; charset=utf-8",
        body: include_bytes!("assets/app.css"),
    },
    Asset {
        name: "htmx.min.js",
        content_type: "text/javascript; charset=utf-8",
        body: include_bytes!("assets/htmx.min.js"),
    },
    Asset {
        name: "icon.svg",
        content_type: "image/svg+xml",
        body: include_bytes!("assets/icon.svg"),
    },
];

/// Each asset's hashed path, `/assets/app.3f2a91c0.css`, by its plain name.
pub struct Paths {
    hashed: Vec<(&'static str, String)>,
}

static PATHS: LazyLock<Paths> = LazyLock::new(|| Paths {
    hashed: FILES
        .iter()
        .map(|a| {
            let digest = hex::encode(&Sha256::digest(a.body)[..6]);
            let (stem, ext) = a.name.rsplit_once('.').unwrap_or((a.name, ""));
            (a.name, format!("/assets/{stem}.{digest}.{ext}"))
        })
        .collect(),
});

/// The hashed path of the asset `name`; the plain path for an unknown name (a template typo
/// shows up as a 404 in the browser, not a crash).
pub fn path(name: &str) -> String {
    PATHS
        .hashed
        .iter()
        .find(|(n, _)| *n == name)
        .map(|(_, p)| p.clone())
        .unwrap_or_else(|| format!("/assets/{name}"))
}

/// `GET /assets/{file}`: an asset under its current hashed name, cached for a year. An old
/// or unknown name is 404.
pub async fn serve(file: web::Path<String>) -> HttpResponse {
    let wanted = format!("/assets/{}", file.into_inner());
    let found = PATHS
        .hashed
        .iter()
        .position(|(_, p)| *p == wanted)
        .map(|i| &FILES[i]);
    match found {
        Some(asset) => HttpResponse::Ok()
            .insert_header((CONTENT_TYPE, asset.content_type))
            .insert_header((CACHE_CONTROL, "public, max-age=31536000, immutable"))
            .body(asset.body),
        None => HttpResponse::NotFound()
            .insert_header((CONTENT_TYPE, "text/plain; charset=utf-8"))
            .body("not found"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_carry_a_hash_of_the_content() {
        let css = path("app.css");
        assert!(
            css.starts_with("/assets/app.") && css.ends_with(".css"),
            "{css}"
        );
        assert_eq!(css.len(), "/assets/app..css".len() + 12);
        assert_ne!(path("htmx.min.js"), path("icon.svg"));
    }
}
