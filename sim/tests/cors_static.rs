//! CORS (both modes, preflight, test control) and serving the built panel
//! (index, cache headers, gzip/brotli including wasm, API precedence).

mod common;
use common::*;
use reqwest::Method;
use std::path::PathBuf;

async fn preflight(s: &Sim, url: &str, origin: &str) -> Resp {
    s.send(
        Method::OPTIONS,
        url,
        &Auth::None,
        None,
        &[
            ("origin", origin),
            ("access-control-request-method", "PUT"),
            (
                "access-control-request-headers",
                "authorization,content-type",
            ),
        ],
    )
    .await
}

/// A GET under `/api/2.0/` sent from a page of `origin`.
async fn get_from(s: &Sim, path: &str, auth: &Auth<'_>, origin: &str) -> Resp {
    s.send(Method::GET, &s.api(path), auth, None, &[("origin", origin)])
        .await
}

/// `Access-Control-Allow-Origin` and `Access-Control-Allow-Credentials`.
fn allowed(r: &Resp) -> (Option<String>, Option<String>) {
    (
        r.header("access-control-allow-origin"),
        r.header("access-control-allow-credentials"),
    )
}

/// Any origin, without credentials.
fn any_origin() -> (Option<String>, Option<String>) {
    (Some("*".into()), None)
}

/// Only `origin`, with credentials.
fn only(origin: &str) -> (Option<String>, Option<String>) {
    (Some(origin.into()), Some("true".into()))
}

fn varies_by_origin(r: &Resp) -> bool {
    r.headers_all("vary").iter().any(|v| v.contains("Origin"))
}

#[tokio::test]
async fn default_cors_allows_any_origin_without_credentials() {
    let s = sim(Profile::Seed).await;
    let r = preflight(&s, &s.api(WITHLINK), "https://panel.example.net").await;
    assert_empty(&r, 204);
    assert_eq!(allowed(&r), any_origin());
    assert_eq!(
        r.header("access-control-allow-methods").as_deref(),
        Some("PUT")
    );
    assert_eq!(
        r.header("access-control-allow-headers").as_deref(),
        Some("authorization,content-type")
    );
    let r = get_from(&s, TFAAPP, &OWNER, "https://panel.example.net").await;
    assert_eq!(r.status, 200);
    assert_eq!(allowed(&r), any_origin());
    // Error responses carry CORS headers too, so the browser can read them.
    let r = get_from(&s, TFAAPP, &Auth::None, "https://x.example").await;
    assert_eq!(r.status, 401);
    assert_eq!(allowed(&r), any_origin());
    // No Origin, no CORS headers.
    let r = s.get(TFAAPP, &OWNER).await;
    assert_eq!(allowed(&r), (None, None));
}

#[tokio::test]
async fn a_configured_origin_gets_credentials_and_others_get_nothing() {
    let portal = "https://portal.example.com";
    let mut c = Config::test();
    c.cors_origin = Some(portal.into());
    let s = sim_with(c).await;
    let r = preflight(&s, &s.api(TFAAPP), portal).await;
    assert_eq!(r.status, 204);
    assert_eq!(allowed(&r), only(portal));
    assert!(varies_by_origin(&r));
    let token = s.session("owner").await;
    let r = get_from(&s, "people/@self", &Auth::Cookie(&token), portal).await;
    assert_eq!(r.status, 200);
    assert_eq!(allowed(&r), only(portal));
    assert!(varies_by_origin(&r));

    let r = preflight(&s, &s.api(TFAAPP), "https://evil.example").await;
    assert_eq!(allowed(&r), (None, None));
    assert_eq!(r.header("access-control-allow-methods"), None);
    let r = get_from(&s, TFAAPP, &OWNER, "https://evil.example").await;
    assert_eq!(allowed(&r), (None, None));
}

#[tokio::test]
async fn control_endpoints_are_open_to_any_origin_without_credentials() {
    // Browser tests served from another origin drive the simulator, so test
    // control (present only with --test-control) answers any origin, with
    // no credentials, even when --cors-origin restricts the API.
    let tests = "https://tests.example.net";
    let mut c = Config::test();
    c.cors_origin = Some("https://portal.example.com".into());
    let s = sim_with(c).await;
    let url = format!("{}/sim/control/reset", s.url);
    let r = preflight(&s, &url, tests).await;
    assert_eq!(r.status, 204);
    assert_eq!(allowed(&r), any_origin());
    let r = s
        .send(Method::POST, &url, &Auth::None, None, &[("origin", tests)])
        .await;
    assert_eq!(r.status, 200);
    assert_eq!(allowed(&r), any_origin());
    // The API itself still refuses that origin.
    let r = get_from(&s, TFAAPP, &OWNER, tests).await;
    assert_eq!(allowed(&r), (None, None));
}

struct Dist {
    dir: PathBuf,
    wasm: Vec<u8>,
    js: String,
}

impl Drop for Dist {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

fn dist(tag: &str) -> Dist {
    let dir = std::env::temp_dir().join(format!("docspace-sim-dist-{tag}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(dir.join("api/2.0/settings")).unwrap();
    std::fs::write(dir.join("index.html"), "<!doctype html><title>TFA panel</title><script src=\"/tfa-panel-1a2b3c4d5e6f7a8b.js\"></script>").unwrap();
    let js = "export function init() { return 'tfa'; }\n".repeat(200);
    std::fs::write(dir.join("tfa-panel-1a2b3c4d5e6f7a8b.js"), &js).unwrap();
    let mut wasm = b"\0asm\x01\0\0\0".to_vec();
    for i in 0..20_000u32 {
        wasm.push((i % 7) as u8);
    }
    std::fs::write(dir.join("tfa-panel-1a2b3c4d5e6f7a8b_bg.wasm"), &wasm).unwrap();
    std::fs::write(dir.join("robots.txt"), "User-agent: *\n").unwrap();
    std::fs::write(dir.join("api/2.0/settings/tfaapp"), "shadow").unwrap();
    Dist { dir, wasm, js }
}

async fn static_sim(d: &Dist) -> Sim {
    let mut c = Config::test();
    c.static_dir = Some(d.dir.clone());
    sim_with(c).await
}

async fn get_with(s: &Sim, path: &str, headers: &[(&str, &str)]) -> (Resp, Vec<u8>) {
    let mut rb = s.client.get(format!("{}{}", s.url, path));
    for (k, v) in headers {
        rb = rb.header(*k, *v);
    }
    let r = rb.send().await.unwrap();
    let status = r.status().as_u16();
    let headers = r.headers().clone();
    let bytes = r.bytes().await.unwrap().to_vec();
    (
        Resp {
            status,
            headers,
            text: String::new(),
        },
        bytes,
    )
}

#[tokio::test]
async fn index_is_served_at_root_with_no_cache() {
    let d = dist("index");
    let s = static_sim(&d).await;
    let r = s.page("/").await;
    assert_eq!(r.status, 200);
    assert!(r.text.contains("<title>TFA panel</title>"));
    assert_eq!(r.header("cache-control").as_deref(), Some("no-cache"));
    assert!(r.header("content-type").unwrap().starts_with("text/html"));
    let r = s.page("/index.html").await;
    assert_eq!(r.header("cache-control").as_deref(), Some("no-cache"));
    // Client-side routes fall back to the index; missing files do not.
    let r = s.page("/settings/security").await;
    assert_eq!(r.status, 200);
    assert!(r.text.contains("TFA panel"));
    assert_eq!(r.header("cache-control").as_deref(), Some("no-cache"));
    assert_eq!(s.page("/missing-0123456789abcdef.js").await.status, 404);
    let r = s.page("/robots.txt").await;
    assert_eq!(r.status, 200);
    assert_eq!(r.header("cache-control"), None);
}

#[tokio::test]
async fn hashed_assets_are_immutable() {
    let d = dist("hashed");
    let s = static_sim(&d).await;
    for path in [
        "/tfa-panel-1a2b3c4d5e6f7a8b.js",
        "/tfa-panel-1a2b3c4d5e6f7a8b_bg.wasm",
    ] {
        let r = s.page(path).await;
        assert_eq!(r.status, 200, "{path}");
        assert_eq!(
            r.header("cache-control").as_deref(),
            Some("public, max-age=31536000, immutable"),
            "{path}"
        );
    }
    let (r, body) = get_with(&s, "/tfa-panel-1a2b3c4d5e6f7a8b_bg.wasm", &[]).await;
    assert_eq!(
        r.header("content-type").as_deref(),
        Some("application/wasm")
    );
    assert_eq!(
        r.header("content-encoding"),
        None,
        "no Accept-Encoding, no compression"
    );
    assert_eq!(body, d.wasm);
}

#[tokio::test]
async fn wasm_and_js_are_compressed_per_accept_encoding() {
    let d = dist("compress");
    let s = static_sim(&d).await;
    for (enc, path) in [
        ("br", "/tfa-panel-1a2b3c4d5e6f7a8b_bg.wasm"),
        ("gzip", "/tfa-panel-1a2b3c4d5e6f7a8b_bg.wasm"),
        ("br", "/tfa-panel-1a2b3c4d5e6f7a8b.js"),
        ("gzip", "/tfa-panel-1a2b3c4d5e6f7a8b.js"),
    ] {
        let (r, body) = get_with(&s, path, &[("accept-encoding", enc)]).await;
        assert_eq!(r.status, 200);
        assert_eq!(
            r.header("content-encoding").as_deref(),
            Some(enc),
            "{enc} {path}"
        );
        assert!(r
            .headers_all("vary")
            .iter()
            .any(|v| v.to_ascii_lowercase().contains("accept-encoding")));
        let original = if path.ends_with(".wasm") {
            d.wasm.len()
        } else {
            d.js.len()
        };
        assert!(
            body.len() < original / 4,
            "{enc} {path}: {} of {original}",
            body.len()
        );
        if enc == "gzip" {
            assert_eq!(&body[..2], &[0x1f, 0x8b]);
        }
        assert_eq!(
            r.header("cache-control").as_deref(),
            Some("public, max-age=31536000, immutable")
        );
    }
    // A decompressing client gets the exact bytes back.
    for enc in ["br", "gzip"] {
        let auto = reqwest::Client::new();
        let r = auto
            .get(format!("{}/tfa-panel-1a2b3c4d5e6f7a8b_bg.wasm", s.url))
            .header("accept-encoding", enc)
            .send()
            .await
            .unwrap();
        assert_eq!(r.bytes().await.unwrap().to_vec(), d.wasm, "{enc}");
    }
}

#[tokio::test]
async fn api_routes_take_precedence_over_static_files() {
    let d = dist("precedence");
    let s = static_sim(&d).await;
    let r = s.get(TFAAPP, &OWNER).await;
    assert_eq!(r.status, 200);
    assert_eq!(r.json()["count"], 2);
    assert_empty(&s.get(TFAAPP, &Auth::None).await, 401);
    assert_eq!(s.page("/sim/outbox.json").await.text, "[]");
}

#[tokio::test]
async fn without_a_static_dir_the_root_is_404() {
    let s = sim(Profile::Seed).await;
    assert_eq!(s.page("/").await.status, 404);
    assert_eq!(s.page("/index.html").await.status, 404);
}
