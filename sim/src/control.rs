//! `/sim/control/...`: the test-control API (only with `--test-control`).

use axum::body::{to_bytes, Body};
use axum::extract::Request;
use axum::http::{Method, Response};
use serde_json::{json, Value};

use crate::envelope::json_response;
use crate::shared::{normalize_path, Shared};
use crate::state::{Fault, FaultKind, State};
use crate::version::{self, Reported};

fn bad(msg: &str) -> Response<Body> {
    json_response(400, &json!({ "error": msg }))
}

fn done() -> Response<Body> {
    json_response(200, &json!({ "ok": true }))
}

fn parse_kind(v: &Value) -> Result<FaultKind, String> {
    let status = |n: &Value| -> Result<u16, String> {
        n.as_u64()
            .filter(|s| (100..=599).contains(s))
            .map(|s| s as u16)
            .ok_or_else(|| "status must be an HTTP status code (100-599)".to_string())
    };
    match v {
        Value::String(s) => match s.as_str() {
            "html" => Ok(FaultKind::Html),
            "malformed" => Ok(FaultKind::Malformed),
            "wrongType" => Ok(FaultKind::WrongType),
            "missingResponse" => Ok(FaultKind::MissingResponse),
            "hang" => Ok(FaultKind::Hang),
            "drop" => Ok(FaultKind::Drop),
            other => Err(format!("unknown fault kind {other:?}")),
        },
        Value::Object(o) => {
            if let Some(s) = o.get("status") {
                let errors = o.get("errors").cloned();
                if errors.as_ref().is_some_and(|e| !e.is_object()) {
                    return Err("errors must be an object".into());
                }
                Ok(FaultKind::Status {
                    status: status(s)?,
                    message: o
                        .get("message")
                        .and_then(Value::as_str)
                        .unwrap_or("Simulated failure")
                        .to_string(),
                    errors,
                })
            } else if let Some(s) = o.get("empty") {
                Ok(FaultKind::Empty(status(s)?))
            } else if let Some(d) = o.get("delayMs") {
                d.as_u64()
                    .filter(|d| *d <= 600_000)
                    .map(FaultKind::Delay)
                    .ok_or_else(|| "delayMs must be 0-600000".to_string())
            } else {
                Err("kind object needs status, empty or delayMs".into())
            }
        }
        _ => Err("kind must be a string or an object".into()),
    }
}

fn parse_fault(body: &Value) -> Result<Fault, String> {
    let path = body
        .get("path")
        .and_then(Value::as_str)
        .filter(|p| p.starts_with('/'))
        .ok_or("path must be an absolute path such as /api/2.0/settings/tfaapp")?;
    let method = match body.get("method") {
        None | Some(Value::Null) => "*".to_string(),
        Some(Value::String(m)) => m.to_ascii_uppercase(),
        _ => return Err("method must be a string".into()),
    };
    let times = match body.get("times") {
        None | Some(Value::Null) => 1,
        Some(t) => t
            .as_u64()
            .filter(|t| (1..=1_000_000).contains(t))
            .ok_or("times must be a positive integer")? as u32,
    };
    let kind = parse_kind(body.get("kind").ok_or("kind is required")?)?;
    Ok(Fault {
        method,
        path: normalize_path(path),
        remaining: times,
        kind,
    })
}

/// `{"user": WHO, "culture": "ru-RU"}`: the user (`owner`, `admin`, ...,
/// a user id, an e-mail or a user name) and their new culture, trimmed.
fn parse_culture(st: &State, body: &Value) -> Result<(usize, String), String> {
    const WHO: &str = "owner, admin, roomadmin, user, guest, a user id, an e-mail or a user name";
    let user = match body.get("user") {
        Some(Value::String(who)) if !who.trim().is_empty() => st
            .resolve_user(who.trim())
            .ok_or_else(|| format!("unknown user {who:?}: use {WHO}"))?,
        _ => return Err(format!("user is required: {WHO}")),
    };
    match body.get("culture") {
        Some(Value::String(c)) if !c.trim().is_empty() => Ok((user, c.trim().to_string())),
        Some(Value::String(_)) => Err("culture must not be empty: a name such as \"ru-RU\"".into()),
        _ => Err("culture is required: a name such as \"ru-RU\"".into()),
    }
}

pub async fn handle(sh: &Shared, req: Request) -> Response<Body> {
    let sub = req
        .uri()
        .path()
        .to_ascii_lowercase()
        .trim_start_matches("/sim/control")
        .trim_matches('/')
        .to_string();
    let method = req.method().clone();
    let raw = match to_bytes(req.into_body(), 1024 * 1024).await {
        Ok(b) => b,
        Err(_) => return bad("body too large"),
    };
    let body: Value = if raw.iter().all(u8::is_ascii_whitespace) {
        Value::Null
    } else {
        match serde_json::from_slice(&raw) {
            Ok(v) => v,
            Err(e) => return bad(&format!("invalid JSON: {e}")),
        }
    };
    match (sub.as_str(), method) {
        ("reset", Method::POST) => {
            let fresh = State::new(
                sh.extra_users,
                sh.extra_groups,
                sh.culture.as_deref(),
                sh.version.clone(),
            );
            *sh.lock() = fresh;
            done()
        }
        ("version", Method::GET) => {
            let st = sh.lock();
            json_response(
                200,
                &json!({ "profile": sh.settings.profile.name(), "version": st.version.doc_space() }),
            )
        }
        ("version", Method::POST) => {
            let profile = sh.settings.profile;
            let reported = match body.get("version") {
                Some(Value::Null) => Ok(Reported::Hidden),
                Some(Value::String(v)) => version::check(profile, v),
                _ => Err("version must be a version string such as \"3.5.2\" or null".into()),
            };
            match reported {
                Ok(r) => {
                    sh.lock().version = r;
                    done()
                }
                Err(e) => bad(&e),
            }
        }
        ("fault", Method::POST) => match parse_fault(&body) {
            Ok(f) => {
                sh.lock().faults.push(f);
                done()
            }
            Err(e) => bad(&e),
        },
        ("fault", Method::DELETE) => {
            sh.lock().faults.clear();
            done()
        }
        ("requests", Method::GET) => {
            let list: Vec<Value> = sh
                .lock()
                .requests
                .iter()
                .map(|r| {
                    json!({ "method": r.method, "path": r.path, "query": r.query, "body": r.body, "status": r.status })
                })
                .collect();
            json_response(200, &Value::Array(list))
        }
        ("requests", Method::DELETE) => {
            sh.lock().requests.clear();
            done()
        }
        ("outbox", Method::GET) => json_response(200, &sh.lock().outbox_json()),
        ("client-ip", Method::POST) => match body.get("ip") {
            Some(Value::Null) | None => {
                sh.lock().client_ip = None;
                done()
            }
            Some(Value::String(ip)) if ip.parse::<std::net::IpAddr>().is_ok() => {
                sh.lock().client_ip = Some(ip.clone());
                done()
            }
            _ => bad("ip must be an IP address string or null"),
        },
        ("session", Method::POST) => {
            let who = body.get("as").and_then(Value::as_str).unwrap_or("");
            let mut st = sh.lock();
            match st.resolve_as(who) {
                Some(u) => {
                    let (token, _) = st.new_session(u);
                    json_response(200, &json!({ "token": token }))
                }
                None => bad("as must be owner, admin, roomadmin, user, guest or a user id"),
            }
        }
        ("culture", Method::POST) => {
            let mut st = sh.lock();
            match parse_culture(&st, &body) {
                Ok((user, culture)) => {
                    st.portal.users[user].culture = culture;
                    done()
                }
                Err(e) => bad(&e),
            }
        }
        (
            "reset" | "fault" | "requests" | "outbox" | "client-ip" | "session" | "version"
            | "culture",
            _,
        ) => json_response(405, &json!({ "error": "method not allowed" })),
        _ => json_response(404, &json!({ "error": "unknown control endpoint" })),
    }
}
