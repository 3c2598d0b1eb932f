//! `/sim/control/...`: the test-control API (only with `--test-control`).

use axum::body::{to_bytes, Body};
use axum::extract::Request;
use axum::http::{HeaderValue, Method, Response};
use serde_json::{json, Value};

use crate::clock::{now_ms, parse_iso_datetime};
use crate::encoding::{parse_query, query_get};
use crate::envelope::json_response;
use crate::guid::parse_guid;
use crate::request::page_client;
use crate::shared::{normalize_path, ConnCtx, Shared};
use crate::state::{Fault, FaultKind, State};
use crate::trail::{action_by_name, AuditPlan, Client, USER_UPDATED_LANGUAGE};
use crate::version::{self, Reported};

fn bad(msg: &str) -> Response<Body> {
    json_response(400, &json!({ "error": msg }))
}

fn done() -> Response<Body> {
    json_response(200, &json!({ "ok": true }))
}

const WHO: &str = "owner, admin, roomadmin, user, guest, a user id, an e-mail or a user name";

/// A status as a fault kind: the exception envelope with a default message.
fn status_kind(status: u16) -> FaultKind {
    FaultKind::Status {
        status,
        message: "Simulated failure".to_string(),
        errors: None,
    }
}

fn parse_kind(v: &Value) -> Result<FaultKind, String> {
    let status = |n: &Value| -> Result<u16, String> {
        n.as_u64()
            .filter(|s| (100..=599).contains(s))
            .map(|s| s as u16)
            .ok_or_else(|| "status must be an HTTP status code (100-599)".to_string())
    };
    match v {
        Value::Number(_) => Ok(status_kind(status(v)?)),
        Value::String(s) => match s.as_str() {
            "html" => Ok(FaultKind::Html),
            "malformed" => Ok(FaultKind::Malformed),
            "wrongType" => Ok(FaultKind::WrongType),
            "missingResponse" => Ok(FaultKind::MissingResponse),
            "hang" => Ok(FaultKind::Hang),
            "drop" => Ok(FaultKind::Drop),
            "sessionEnded" | "session-ended" => Ok(FaultKind::SessionEnded),
            n if !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()) => {
                Ok(status_kind(status(&json!(n.parse::<u64>().unwrap_or(0)))?))
            }
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

/// A count field: absent is `default`, else an integer in `range`.
fn count_field(body: &Value, key: &str, range: (u64, u64), default: u64) -> Result<u64, String> {
    match body.get(key) {
        None | Some(Value::Null) => Ok(default),
        Some(v) => v
            .as_u64()
            .filter(|n| (range.0..=range.1).contains(n))
            .ok_or_else(|| format!("{key} must be an integer from {} to {}", range.0, range.1)),
    }
}

/// A user named by role, GUID, e-mail or user name.
fn parse_user(st: &State, body: &Value, key: &str) -> Result<Option<usize>, String> {
    match body.get(key) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(who)) if !who.trim().is_empty() => st
            .resolve_user(who.trim())
            .map(Some)
            .ok_or_else(|| format!("unknown {key} {who:?}: use {WHO}")),
        _ => Err(format!("{key} must be {WHO}")),
    }
}

fn parse_fault(st: &State, body: &Value) -> Result<Fault, String> {
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
    let skip = count_field(body, "skip", (0, 1_000_000), 0)? as u32;
    // Any GUID is taken as it is (faults may target unknown ids too);
    // anything else names a user.
    let user = match body
        .get("user")
        .and_then(Value::as_str)
        .and_then(parse_guid)
    {
        Some(id) => Some(id),
        None => parse_user(st, body, "user")?.map(|u| st.portal.users[u].id.clone()),
    };
    let kind = parse_kind(body.get("kind").ok_or("kind is required")?)?;
    Ok(Fault {
        method,
        path: normalize_path(path),
        skip,
        user,
        remaining: times,
        kind,
    })
}

/// `{"actionIds": [..], "count"?, "user"?, "target"?, "date"?, "stepSeconds"?}`:
/// synthetic audit events, added oldest first. Returns their ids.
fn add_audit_events(st: &mut State, body: &Value, client: &Client) -> Result<Vec<u64>, String> {
    let ids: Vec<i64> = match body.get("actionIds").or_else(|| body.get("actionId")) {
        Some(Value::Array(a)) if !a.is_empty() => a
            .iter()
            .map(|v| match v {
                Value::Number(n) => n.as_i64().ok_or(()),
                Value::String(s) => action_by_name(s).ok_or(()),
                _ => Err(()),
            })
            .collect::<Result<_, _>>()
            .map_err(|_| {
                "actionIds must hold action numbers (or known action names)".to_string()
            })?,
        Some(Value::Number(n)) => vec![n.as_i64().ok_or("actionId must be an integer")?],
        _ => {
            return Err(
                "actionIds is required: a list of action numbers such as [5000, 6036]".into(),
            )
        }
    };
    let count = count_field(body, "count", (1, 100_000), ids.len() as u64)? as usize;
    let user = parse_user(st, body, "user")?.unwrap_or(st.portal.owner);
    let target = parse_user(st, body, "target")?;
    let step = count_field(body, "stepSeconds", (0, 86_400 * 366), 1)? * 1000;
    let first = match body.get("date") {
        None | Some(Value::Null) => None,
        Some(Value::String(d)) => Some(
            parse_iso_datetime(d).ok_or_else(|| format!("date is not an ISO 8601 date: {d:?}"))?,
        ),
        _ => return Err("date must be an ISO 8601 string such as 2026-06-01T10:00:00Z".into()),
    };
    // Without a date, the last one is dated now and the others before it.
    let span = step * (count as u64 - 1);
    let first = first.unwrap_or_else(|| now_ms().saturating_sub(span));
    let mut added = Vec::with_capacity(count);
    for i in 0..count {
        let action = ids[i % ids.len()];
        let subject = target.unwrap_or(user);
        let people = action / 1000 == 4;
        let (tgt, detail) = if people || target.is_some() {
            let u = &st.portal.users[subject];
            (Some(vec![u.id.clone()]), Some(u.display.clone()))
        } else {
            (None, None)
        };
        added.push(st.record_at(
            first + step * i as u64,
            user,
            action,
            tgt,
            detail,
            client.clone(),
        ));
    }
    Ok(added)
}

/// `GET /sim/control/requests`, optionally only those with `method`, `path`
/// (as faults match paths) or `status`.
fn requests(sh: &Shared, query: Option<&str>) -> Response<Body> {
    let q = parse_query(query);
    let method = query_get(&q, "method").map(str::to_ascii_uppercase);
    let path = query_get(&q, "path").map(normalize_path);
    let status = query_get(&q, "status").and_then(|s| s.parse::<u16>().ok());
    let st = sh.lock();
    let list: Vec<Value> = st
        .requests
        .iter()
        .filter(|r| method.as_ref().is_none_or(|m| *m == r.method))
        .filter(|r| path.as_ref().is_none_or(|p| *p == normalize_path(&r.path)))
        .filter(|r| status.is_none_or(|s| s == r.status))
        .map(|r| {
            json!({ "method": r.method, "path": r.path, "query": r.query, "body": r.body, "status": r.status })
        })
        .collect();
    let mut resp = json_response(200, &Value::Array(list));
    resp.headers_mut()
        .insert("x-sim-log-dropped", HeaderValue::from(st.requests_dropped));
    resp
}

/// `{"user": WHO, "culture": "ru-RU"}`: the user (`owner`, `admin`, ...,
/// a user id, an e-mail or a user name) and their new culture, trimmed.
fn parse_culture(st: &State, body: &Value) -> Result<(usize, String), String> {
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
    let query = req.uri().query().map(str::to_string);
    let headers = req.headers().clone();
    let conn = ConnCtx::of(req.extensions());
    // Where this control call comes from, for the events it records.
    let client = |st: &State| page_client(st, &headers, conn.as_ref());
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
                sh.audit_plan,
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
        ("fault", Method::POST) => {
            let mut st = sh.lock();
            match parse_fault(&st, &body) {
                Ok(f) => {
                    st.faults.push(f);
                    done()
                }
                Err(e) => bad(&e),
            }
        }
        ("fault", Method::DELETE) => {
            let mut st = sh.lock();
            st.faults.clear();
            st.ended_credentials.clear();
            done()
        }
        ("requests", Method::GET) => requests(sh, query.as_deref()),
        ("requests", Method::DELETE) => {
            let mut st = sh.lock();
            st.requests.clear();
            st.requests_dropped = 0;
            done()
        }
        ("audit", Method::GET) => {
            let st = sh.lock();
            json_response(
                200,
                &json!({ "plan": st.audit_plan.name(), "events": st.audit.len() }),
            )
        }
        ("audit", Method::POST) => match body
            .get("plan")
            .and_then(Value::as_str)
            .and_then(AuditPlan::parse)
        {
            Some(plan) => {
                sh.lock().audit_plan = plan;
                done()
            }
            None => bad("plan must be \"full\", \"last20\" or \"none\""),
        },
        ("audit-events", Method::GET) => {
            let st = sh.lock();
            let list: Vec<Value> = st
                .audit_newest_first()
                .iter()
                .map(|e| e.to_json())
                .collect();
            json_response(200, &Value::Array(list))
        }
        ("audit-events", Method::POST) => {
            let mut st = sh.lock();
            let c = client(&st);
            match add_audit_events(&mut st, &body, &c) {
                Ok(ids) => json_response(200, &json!({ "ok": true, "ids": ids })),
                Err(e) => bad(&e),
            }
        }
        ("audit-events", Method::DELETE) => {
            sh.lock().audit.clear();
            done()
        }
        ("link-app", Method::POST) => {
            let mut st = sh.lock();
            match parse_user(&st, &body, "user") {
                Ok(Some(user)) => {
                    let c = client(&st);
                    st.link_app(user, &c);
                    done()
                }
                Ok(None) => bad(&format!("user is required: {WHO}")),
                Err(e) => bad(&e),
            }
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
                    let c = client(&st);
                    st.record(user, USER_UPDATED_LANGUAGE, Some(user), &c);
                    done()
                }
                Err(e) => bad(&e),
            }
        }
        (
            "reset" | "fault" | "requests" | "outbox" | "client-ip" | "session" | "version"
            | "culture" | "audit" | "audit-events" | "link-app",
            _,
        ) => json_response(405, &json!({ "error": "method not allowed" })),
        _ => json_response(404, &json!({ "error": "unknown control endpoint" })),
    }
}
