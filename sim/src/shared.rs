//! What every part of the server shares, below all of them: the running
//! simulator's settings and state (`Shared`), the per-connection facts, and
//! the small request and response helpers the HTTP layers have in common.

use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::{Arc, Mutex, MutexGuard};

use axum::body::Body;
use axum::http::{header, Extensions, HeaderMap, HeaderValue, Response, StatusCode};
use tokio::sync::{watch, Notify};

use crate::profile::Profile;
use crate::state::State;
use crate::trail::AuditPlan;
use crate::version::Reported;

/// Largest request body the simulator reads.
pub const BODY_LIMIT: usize = 2 * 1024 * 1024;

/// Read-only facts about the running simulator.
#[derive(Clone, Debug)]
pub struct Settings {
    pub profile: Profile,
    pub sms_available: bool,
}

/// Everything shared by all connections.
pub struct Shared {
    pub settings: Settings,
    pub extra_users: usize,
    pub extra_groups: usize,
    /// Every user's culture at start (`--culture`); `reset` restores it.
    /// `None`: `en-US`.
    pub culture: Option<String>,
    pub cors_origin: Option<String>,
    pub static_dir: Option<PathBuf>,
    pub test_control: bool,
    pub quiet: bool,
    /// The version the simulator started with; `reset` restores it.
    pub version: Reported,
    /// The audit plan the simulator started with; `reset` restores it.
    pub audit_plan: AuditPlan,
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

impl ConnCtx {
    /// The facts of the connection a request came in on.
    pub fn of(extensions: &Extensions) -> Option<ConnCtx> {
        extensions.get::<ConnCtx>().cloned()
    }
}

/// Completes when shutdown was requested or the `Running` handle dropped.
pub async fn stopped(rx: &mut watch::Receiver<bool>) {
    let _ = rx.wait_for(|s| *s).await;
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

/// Under `/api/2.0` (any case).
pub fn is_api(path: &str) -> bool {
    let l = path.to_ascii_lowercase();
    l == "/api/2.0" || l.starts_with("/api/2.0/")
}

/// Under `/sim/control` (any case).
pub fn is_control(path: &str) -> bool {
    let l = path.to_ascii_lowercase();
    l == "/sim/control" || l.starts_with("/sim/control/")
}

/// A path as faults match it: no query, lowercase, no trailing slash.
pub fn normalize_path(p: &str) -> String {
    let p = p.split('?').next().unwrap_or("").to_ascii_lowercase();
    let t = p.trim_end_matches('/');
    if t.is_empty() {
        "/".into()
    } else {
        t.to_string()
    }
}

/// A `text/plain` answer.
pub fn plain(status: u16, text: &str) -> Response<Body> {
    let mut r = Response::new(Body::from(text.to_string()));
    *r.status_mut() = StatusCode::from_u16(status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    r.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/plain; charset=utf-8"),
    );
    r
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_normalize() {
        assert_eq!(
            normalize_path("/API/2.0/Settings/TfaApp/?x=1"),
            "/api/2.0/settings/tfaapp"
        );
        assert_eq!(normalize_path("/"), "/");
    }
}
