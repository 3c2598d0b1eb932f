//! Fault injection and the request log: the layer that every request but
//! test control passes. A fault that test control set up for a method and
//! path (optionally the Nth such call, or only calls about one user)
//! answers in place of the API (an error, a broken body, a delay, a hang, a
//! dropped connection, an ended session); every API request is logged with
//! its status.

use std::sync::Arc;
use std::time::Duration;

use axum::body::{to_bytes, Body};
use axum::extract::{Request, State as AxState};
use axum::http::{header, HeaderValue, Response, StatusCode};
use axum::middleware::Next;

use crate::auth::end_credential;
use crate::envelope::{empty, error_body, json_response, success_body, validation_body, Exc};
use crate::shared::{
    is_api, is_control, normalize_path, request_origin, stopped, ConnCtx, Shared, BODY_LIMIT,
};
use crate::state::{Fault, FaultKind, LogEntry};

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
        FaultKind::SessionEnded => empty(401),
        FaultKind::Delay(_) | FaultKind::Hang | FaultKind::Drop => empty(500),
    }
}

/// The `id` of a JSON object body (property names are case-insensitive, as
/// System.Text.Json binds them), lowercased.
fn body_id(body: &[u8]) -> Option<String> {
    let v: serde_json::Value = serde_json::from_slice(body).ok()?;
    v.as_object()?
        .iter()
        .find(|(k, _)| k.eq_ignore_ascii_case("id"))
        .and_then(|(_, v)| v.as_str())
        .map(str::to_ascii_lowercase)
}

/// Picks the fault for one call and counts the call: every matching fault
/// that still skips counts it down; the first matching fault that skips no
/// more fires (and counts one of its `times` down, leaving when spent).
fn take_fault(faults: &mut Vec<Fault>, method: &str, path: &str, body: &[u8]) -> Option<FaultKind> {
    let id = faults
        .iter()
        .any(|f| f.user.is_some())
        .then(|| body_id(body))
        .flatten();
    let mut chosen = None;
    for (i, f) in faults.iter_mut().enumerate() {
        let matches = (f.method == "*" || f.method.eq_ignore_ascii_case(method))
            && f.path == path
            && f.user.as_ref().is_none_or(|u| id.as_ref() == Some(u));
        if !matches {
            continue;
        }
        if f.skip > 0 {
            f.skip -= 1;
        } else if chosen.is_none() {
            chosen = Some(i);
        }
    }
    let i = chosen?;
    let f = &mut faults[i];
    f.remaining = f.remaining.saturating_sub(1);
    let kind = f.kind.clone();
    if f.remaining == 0 {
        faults.remove(i);
    }
    Some(kind)
}

/// Closes the connection without a response and never completes.
async fn drop_connection(conn: Option<ConnCtx>) -> Response<Body> {
    if let Some(c) = conn {
        c.kill.notify_one();
    }
    std::future::pending::<Response<Body>>().await
}

pub async fn faults_and_log(
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
    let conn = ConnCtx::of(req.extensions());
    let (parts, body) = req.into_parts();
    let bytes = match to_bytes(body, BODY_LIMIT).await {
        Ok(b) => b,
        Err(_) => return empty(413),
    };
    let api = is_api(&path);
    let fault = {
        let mut st = sh.lock();
        let fault = take_fault(
            &mut st.faults,
            method.as_str(),
            &normalize_path(&path),
            &bytes,
        );
        if fault == Some(FaultKind::SessionEnded) {
            end_credential(&mut st, &parts.headers);
        }
        fault
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
