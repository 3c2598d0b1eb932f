//! The HTTP plumbing: accept loop, top-level dispatch, fault injection and
//! request log, CORS, static files.

use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::Duration;

use axum::body::{to_bytes, Body};
use axum::extract::{Request, State as AxState};
use axum::http::{header, HeaderMap, HeaderValue, Method, Response, StatusCode};
use axum::middleware::{from_fn_with_state, Next};
use axum::Router;
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::{watch, Notify};
use tower::ServiceExt;
use tower_http::compression::CompressionLayer;
use tower_http::services::{ServeDir, ServeFile};

use crate::api::{self, Ctx, Settings};
use crate::envelope::{empty, error_body, json_response, success_body, validation_body, Exc};
use crate::state::{FaultKind, LogEntry, State};
use crate::util::{ip_string, parse_query};
use crate::version::Reported;

/// Largest request body the simulator reads.
const BODY_LIMIT: usize = 2 * 1024 * 1024;

/// Everything shared by all connections.
pub struct Shared {
    pub settings: Settings,
    pub extra_users: usize,
    pub extra_groups: usize,
    pub cors_origin: Option<String>,
    pub static_dir: Option<PathBuf>,
    pub test_control: bool,
    pub quiet: bool,
    /// The version the simulator started with; `reset` restores it.
    pub version: Reported,
    pub state: Mutex<State>,
    pub shutdown: watch::Receiver<bool>,
}

impl Shared {
    pub fn lock(&self) -> MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(|e| e.into_inner())
    }
}

/// Per-connection facts, put into every request's extensions.
#[derive(Clone)]
pub struct ConnCtx {
    pub peer: SocketAddr,
    pub local: SocketAddr,
    /// Notified to close the connection without answering.
    pub kill: Arc<Notify>,
}

pub fn router(shared: Arc<Shared>) -> Router {
    Router::new()
        .fallback(dispatch)
        .layer(from_fn_with_state(shared.clone(), faults_and_log))
        .layer(from_fn_with_state(shared.clone(), cors))
        .layer(CompressionLayer::new())
        .with_state(shared)
}

pub async fn accept_loop(listener: TcpListener, app: Router, shutdown: watch::Receiver<bool>) {
    let mut stop = shutdown.clone();
    loop {
        tokio::select! {
            res = listener.accept() => match res {
                Ok((stream, peer)) => {
                    tokio::spawn(serve_connection(stream, peer, app.clone(), shutdown.clone()));
                }
                Err(_) => tokio::time::sleep(Duration::from_millis(20)).await,
            },
            _ = stopped(&mut stop) => break,
        }
    }
}

async fn serve_connection(
    stream: TcpStream,
    peer: SocketAddr,
    app: Router,
    mut shutdown: watch::Receiver<bool>,
) {
    let _ = stream.set_nodelay(true);
    let local = stream.local_addr().unwrap_or(peer);
    let kill = Arc::new(Notify::new());
    let ctx = ConnCtx {
        peer,
        local,
        kill: kill.clone(),
    };
    let svc = hyper::service::service_fn(move |mut req: hyper::Request<hyper::body::Incoming>| {
        req.extensions_mut().insert(ctx.clone());
        app.clone().oneshot(req.map(Body::new))
    });
    let conn = hyper::server::conn::http1::Builder::new()
        .keep_alive(true)
        .serve_connection(hyper_util::rt::TokioIo::new(stream), svc);
    // Dropping the connection future closes the socket at once: that is how
    // the "drop" and "hang" faults and shutdown end a connection.
    tokio::select! {
        _ = conn => {}
        _ = kill.notified() => {}
        _ = stopped(&mut shutdown) => {}
    }
}

/// Completes when shutdown was requested or the `Running` handle dropped.
async fn stopped(rx: &mut watch::Receiver<bool>) {
    let _ = rx.wait_for(|s| *s).await;
}

fn conn_of(req: &Request) -> Option<ConnCtx> {
    req.extensions().get::<ConnCtx>().cloned()
}

/// `{scheme}://{host}` of a request, from the Host header (and
/// X-Forwarded-Proto), falling back to the listening address.
pub fn request_origin(headers: &HeaderMap, conn: Option<&ConnCtx>) -> String {
    let host = headers
        .get(header::HOST)
        .and_then(|h| h.to_str().ok())
        .filter(|h| {
            !h.is_empty()
                && h.bytes().all(|c| {
                    c.is_ascii_alphanumeric()
                        || matches!(c, b'.' | b'-' | b':' | b'[' | b']' | b'_')
                })
        })
        .map(str::to_string)
        .unwrap_or_else(|| {
            conn.map(|c| c.local.to_string())
                .unwrap_or_else(|| "localhost".into())
        });
    let scheme = match headers
        .get("x-forwarded-proto")
        .and_then(|h| h.to_str().ok())
    {
        Some(p) if p.eq_ignore_ascii_case("https") => "https",
        _ => "http",
    };
    format!("{scheme}://{host}")
}

fn is_api(path: &str) -> bool {
    let l = path.to_ascii_lowercase();
    l == "/api/2.0" || l.starts_with("/api/2.0/")
}

fn is_control(path: &str) -> bool {
    let l = path.to_ascii_lowercase();
    l == "/sim/control" || l.starts_with("/sim/control/")
}

pub fn normalize_path(p: &str) -> String {
    let p = p.split('?').next().unwrap_or("").to_ascii_lowercase();
    let t = p.trim_end_matches('/');
    if t.is_empty() {
        "/".into()
    } else {
        t.to_string()
    }
}

const NGINX_502: &str = "<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n<center><h1>502 Bad Gateway</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n";

fn fault_response(kind: &FaultKind, href: &str, method: &str, legacy: bool) -> Response<Body> {
    match kind {
        FaultKind::Status {
            status: 400,
            errors,
            ..
        } => {
            let errors = errors.clone().unwrap_or_else(|| serde_json::json!({}));
            json_response(400, &validation_body(href, method, errors, legacy))
        }
        FaultKind::Status {
            status, message, ..
        } => json_response(*status, &error_body(*status, message, Exc::Custom, "")),
        FaultKind::Empty(s) => empty(*s),
        FaultKind::Html => {
            let mut r = Response::new(Body::from(NGINX_502));
            *r.status_mut() = StatusCode::BAD_GATEWAY;
            r.headers_mut()
                .insert(header::CONTENT_TYPE, HeaderValue::from_static("text/html"));
            r.headers_mut()
                .insert(header::SERVER, HeaderValue::from_static("nginx"));
            r
        }
        FaultKind::Malformed => {
            let mut r = json_response(200, &serde_json::Value::Null);
            *r.body_mut() =
                Body::from("{\"response\":[{\"id\":\"sms\",\"title\":\"By SMS\",\"enabled\":fal");
            r
        }
        // A number is the wrong type for every endpoint's response (they
        // return strings, booleans, arrays and objects).
        FaultKind::WrongType => json_response(
            200,
            &success_body(href, method, Some(serde_json::json!(42)), None),
        ),
        FaultKind::MissingResponse => json_response(200, &success_body(href, method, None, None)),
        FaultKind::Delay(_) | FaultKind::Hang | FaultKind::Drop => empty(500),
    }
}

/// Closes the connection without a response and never completes.
async fn drop_connection(conn: Option<ConnCtx>) -> Response<Body> {
    if let Some(c) = conn {
        c.kill.notify_one();
    }
    std::future::pending::<Response<Body>>().await
}

async fn faults_and_log(
    AxState(sh): AxState<Arc<Shared>>,
    req: Request,
    next: Next,
) -> Response<Body> {
    let path = req.uri().path().to_string();
    if is_control(&path) {
        return next.run(req).await;
    }
    let method = req.method().clone();
    let query = req.uri().query().unwrap_or("").to_string();
    let conn = conn_of(&req);
    let (parts, body) = req.into_parts();
    let bytes = match to_bytes(body, BODY_LIMIT).await {
        Ok(b) => b,
        Err(_) => return empty(413),
    };
    let api = is_api(&path);
    let fault = {
        let mut st = sh.lock();
        let npath = normalize_path(&path);
        let pos = st.faults.iter().position(|f| {
            (f.method == "*" || f.method.eq_ignore_ascii_case(method.as_str())) && f.path == npath
        });
        pos.map(|i| {
            let f = &mut st.faults[i];
            f.remaining = f.remaining.saturating_sub(1);
            let kind = f.kind.clone();
            if f.remaining == 0 {
                st.faults.remove(i);
            }
            kind
        })
    };
    let log = |status: u16| {
        if api {
            sh.lock().log(LogEntry {
                method: method.to_string(),
                path: path.clone(),
                query: query.clone(),
                body: String::from_utf8_lossy(&bytes).into_owned(),
                status,
            });
        }
        if !sh.quiet {
            eprintln!(
                "{method} {path}{}{query} -> {status}",
                if query.is_empty() { "" } else { "?" }
            );
        }
    };
    let resp = match fault {
        None => {
            next.run(Request::from_parts(parts, Body::from(bytes.clone())))
                .await
        }
        Some(FaultKind::Delay(ms)) => {
            tokio::time::sleep(Duration::from_millis(ms)).await;
            next.run(Request::from_parts(parts, Body::from(bytes.clone())))
                .await
        }
        Some(FaultKind::Drop) => {
            log(0);
            return drop_connection(conn).await;
        }
        Some(FaultKind::Hang) => {
            log(0);
            let mut shutdown = sh.shutdown.clone();
            tokio::select! {
                _ = tokio::time::sleep(Duration::from_secs(600)) => {}
                _ = stopped(&mut shutdown) => {}
            }
            return drop_connection(conn).await;
        }
        Some(kind) => {
            let origin = request_origin(&parts.headers, conn.as_ref());
            let href = if query.is_empty() {
                format!("{origin}{path}")
            } else {
                format!("{origin}{path}?{query}")
            };
            let legacy = sh.settings.profile.legacy_validation_envelope();
            fault_response(&kind, &href, method.as_str(), legacy)
        }
    };
    log(resp.status().as_u16());
    resp
}

async fn cors(AxState(sh): AxState<Arc<Shared>>, req: Request, next: Next) -> Response<Body> {
    let Some(origin) = req.headers().get(header::ORIGIN).cloned() else {
        return next.run(req).await;
    };
    // Test control (only present with --test-control) is open to any origin,
    // so browser tests served by another origin can drive the simulator.
    let control = is_control(req.uri().path());
    let allowed: Option<HeaderValue> = match &sh.cors_origin {
        _ if control => Some(HeaderValue::from_static("*")),
        None => Some(HeaderValue::from_static("*")),
        Some(o) if origin.as_bytes() == o.as_bytes() => Some(origin.clone()),
        Some(_) => None,
    };
    let specific = sh.cors_origin.is_some() && !control;
    let decorate = |h: &mut HeaderMap| {
        if let Some(a) = &allowed {
            h.insert(header::ACCESS_CONTROL_ALLOW_ORIGIN, a.clone());
            if specific {
                h.insert(
                    header::ACCESS_CONTROL_ALLOW_CREDENTIALS,
                    HeaderValue::from_static("true"),
                );
            }
        }
        if specific {
            h.append(header::VARY, HeaderValue::from_static("Origin"));
        }
    };
    let preflight = req.method() == Method::OPTIONS
        && req
            .headers()
            .contains_key(header::ACCESS_CONTROL_REQUEST_METHOD);
    if preflight {
        let mut r = empty(204);
        if allowed.is_some() {
            let h = r.headers_mut();
            if let Some(m) = req.headers().get(header::ACCESS_CONTROL_REQUEST_METHOD) {
                h.insert(header::ACCESS_CONTROL_ALLOW_METHODS, m.clone());
            }
            if let Some(rh) = req.headers().get(header::ACCESS_CONTROL_REQUEST_HEADERS) {
                h.insert(header::ACCESS_CONTROL_ALLOW_HEADERS, rh.clone());
            }
        }
        decorate(r.headers_mut());
        return r;
    }
    let mut resp = next.run(req).await;
    decorate(resp.headers_mut());
    resp
}

async fn dispatch(AxState(sh): AxState<Arc<Shared>>, req: Request) -> Response<Body> {
    let path = req.uri().path().to_string();
    let lower = path.to_ascii_lowercase();
    if is_api(&path) {
        return api_entry(&sh, req).await;
    }
    if is_control(&path) {
        if !sh.test_control {
            return plain(404, "Not Found");
        }
        return crate::control::handle(&sh, req).await;
    }
    let get = req.method() == Method::GET || req.method() == Method::HEAD;
    match lower.as_str() {
        "/sim/signin" | "/sim/outbox" | "/sim/outbox.json" | "/login" if !get => {
            plain(405, "Method Not Allowed")
        }
        "/sim/signin" => crate::pages::signin(&sh, &req),
        "/sim/outbox" => crate::pages::outbox_html(&sh),
        "/sim/outbox.json" => crate::pages::outbox_json(&sh),
        "/login" => crate::pages::login_page(&sh, &req),
        p if p.starts_with("/confirm/") && get => crate::pages::confirm_page(&sh, &req),
        _ => serve_static(&sh, req).await,
    }
}

pub fn plain(status: u16, text: &str) -> Response<Body> {
    let mut r = Response::new(Body::from(text.to_string()));
    *r.status_mut() = StatusCode::from_u16(status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    r.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/plain; charset=utf-8"),
    );
    r
}

/// The request IP for trusted-IP matching: `MessageSettings.GetIP` takes the
/// `request-x-real-ip` query parameter when it is not empty (several values
/// are joined with commas, as `StringValues` does), else the connection
/// address; test control can stand in for the connection address.
pub fn request_ip(
    query: &[(String, String)],
    honour_param: bool,
    st: &State,
    conn: Option<&ConnCtx>,
) -> String {
    if honour_param {
        let values: Vec<&str> = query
            .iter()
            .filter(|(k, _)| k.eq_ignore_ascii_case("request-x-real-ip"))
            .map(|(_, v)| v.as_str())
            .collect();
        let joined = values.join(",");
        if !joined.is_empty() {
            return joined;
        }
    }
    st.client_ip
        .clone()
        .or_else(|| conn.map(|c| ip_string(c.peer.ip())))
        .unwrap_or_else(|| "127.0.0.1".into())
}

async fn api_entry(sh: &Shared, req: Request) -> Response<Body> {
    let conn = conn_of(&req);
    let origin = request_origin(req.headers(), conn.as_ref());
    let path = req.uri().path().to_string();
    let href = match req.uri().query() {
        Some(q) => format!("{origin}{path}?{q}"),
        None => format!("{origin}{path}"),
    };
    let route = path
        .get("/api/2.0".len()..)
        .unwrap_or("")
        .trim_matches('/')
        .to_ascii_lowercase();
    let query = parse_query(req.uri().query());
    let method = req.method().clone();
    let headers = req.headers().clone();
    let body = match to_bytes(req.into_body(), BODY_LIMIT).await {
        Ok(b) => b.to_vec(),
        Err(_) => return empty(413),
    };
    let mut st = sh.lock();
    let profile = sh.settings.profile;
    let client_ip = request_ip(&query, profile.honours_real_ip_param(), &st, conn.as_ref());
    let ctx = Ctx {
        method,
        route,
        query,
        headers,
        body,
        origin,
        href,
        client_ip,
        matcher: crate::version::matcher(profile, &st.version),
        profile,
    };
    api::handle(&sh.settings, &mut st, &ctx)
}

/// True for names with a `-<hex>` content hash, like
/// `tfa-panel-1a2b3c4d5e6f7a8b.js` or `tfa-panel-1a2b3c4d5e6f7a8b_bg.wasm`.
/// Trunk prints its 64-bit hash without leading zeros, so a hash has up to 16
/// digits and, now and then, fewer: 12 to 16 are taken as a hash.
pub fn is_hashed_asset(name: &str) -> bool {
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

async fn serve_static(sh: &Shared, req: Request) -> Response<Body> {
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

    #[test]
    fn paths_normalize() {
        assert_eq!(
            normalize_path("/API/2.0/Settings/TfaApp/?x=1"),
            "/api/2.0/settings/tfaapp"
        );
        assert_eq!(normalize_path("/"), "/");
    }
}
