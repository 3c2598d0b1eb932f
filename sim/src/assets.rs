//! The built panel (`--static-dir`): files as they are or precompressed,
//! `index.html` for client-side routes, and cache headers (`no-cache` for
//! the index, a year for content-hashed assets).

use axum::body::Body;
use axum::extract::Request;
use axum::http::{header, HeaderValue, Method, Response, StatusCode};
use tower::ServiceExt;
use tower_http::services::{ServeDir, ServeFile};

use crate::shared::{plain, Shared};

/// True for names with a `-<hex>` content hash, like
/// `tfa-panel-1a2b3c4d5e6f7a8b.js` or `tfa-panel-1a2b3c4d5e6f7a8b_bg.wasm`.
/// Trunk prints its 64-bit hash without leading zeros, so a hash has up to 16
/// digits and, now and then, fewer: 12 to 16 are taken as a hash.
fn is_hashed_asset(name: &str) -> bool {
    let b = name.as_bytes();
    b.iter().enumerate().any(|(i, &c)| {
        let digits = b[i + 1..]
            .iter()
            .take_while(|d| d.is_ascii_hexdigit())
            .count();
        c == b'-'
            && (12..=16).contains(&digits)
            && b.get(i + 1 + digits)
                .is_none_or(|n| !n.is_ascii_alphanumeric())
    })
}

pub async fn serve_static(sh: &Shared, req: Request) -> Response<Body> {
    let Some(dir) = sh.static_dir.clone() else {
        return plain(404, "Not Found");
    };
    let path = req.uri().path().to_string();
    let get = req.method() == Method::GET || req.method() == Method::HEAD;
    let headers = req.headers().clone();
    let method = req.method().clone();
    // Precompressed copies (name.br, name.gz) are sent as they are, when the
    // build has them; CompressionLayer leaves an encoded response alone.
    let Ok(resp) = ServeDir::new(&dir)
        .precompressed_br()
        .precompressed_gzip()
        .oneshot(req)
        .await;
    let resp = resp.map(Body::new);
    let last = path.rsplit('/').next().unwrap_or("");
    let mut resp = resp;
    let mut is_index = path.ends_with('/') || last.eq_ignore_ascii_case("index.html");
    // Client-side routes: an extension-less path that is not a file gets the
    // panel's index.html.
    if resp.status() == StatusCode::NOT_FOUND && get && !last.contains('.') {
        let mut r2 = Request::new(Body::empty());
        *r2.method_mut() = method;
        *r2.headers_mut() = headers;
        let Ok(r) = ServeFile::new(dir.join("index.html"))
            .precompressed_br()
            .precompressed_gzip()
            .oneshot(r2)
            .await;
        if r.status().is_success() || r.status() == StatusCode::NOT_MODIFIED {
            resp = r.map(Body::new);
            is_index = true;
        }
    }
    if resp.status().is_success() || resp.status() == StatusCode::NOT_MODIFIED {
        let cc = if is_index {
            Some("no-cache")
        } else if last == "tfa-panel.js" {
            // The stable entry: short-lived, so a new release reaches host pages soon.
            Some("public, max-age=300")
        } else if is_hashed_asset(last) {
            Some("public, max-age=31536000, immutable")
        } else {
            None
        };
        if let Some(cc) = cc {
            resp.headers_mut()
                .insert(header::CACHE_CONTROL, HeaderValue::from_static(cc));
        }
    }
    resp
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hashed_asset_names() {
        assert!(is_hashed_asset("tfa-panel-1a2b3c4d5e6f7a8b.js"));
        assert!(is_hashed_asset("tfa-panel-1a2b3c4d5e6f7a8b_bg.wasm"));
        assert!(is_hashed_asset("style-0123456789abcdef.css"));
        assert!(!is_hashed_asset("index.html"));
        assert!(!is_hashed_asset("tfa-panel_bg.wasm"));
        // Trunk drops leading zeros: a shorter hash is still a hash.
        assert!(is_hashed_asset("tfa-panel-1a2b3c4d5e6f7a8.js"));
        assert!(is_hashed_asset("tfa-panel-7263782807b15c_bg.wasm"));
        assert!(!is_hashed_asset("tfa-panel-1a2b3c4d5e6.js"));
        assert!(!is_hashed_asset("tfa-panel-1a2b3c4d5e6f7a8b9.js"));
        assert!(!is_hashed_asset("tfa-panel-1a2b3c4d5e6f7a8bz.js"));
    }
}
