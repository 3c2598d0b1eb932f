//! The DocSpace response envelopes (§1.1–§1.3 of the API notes).

use axum::body::Body;
use axum::http::{header, HeaderValue, Response, StatusCode};
use serde_json::{json, Map, Value};

use crate::random::trace_id;

pub const JSON_CT: &str = "application/json; charset=utf-8";

pub fn json_response(status: u16, body: &Value) -> Response<Body> {
    let mut r = Response::new(Body::from(body.to_string()));
    *r.status_mut() = StatusCode::from_u16(status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    r.headers_mut()
        .insert(header::CONTENT_TYPE, HeaderValue::from_static(JSON_CT));
    r
}

/// The `count` the real filter derives when the action set none.
fn implicit_count(v: &Option<Value>) -> u64 {
    match v {
        None | Some(Value::Null) => 0,
        Some(Value::Array(a)) => a.len() as u64,
        Some(_) => 1,
    }
}

/// `SuccessApiResponse`: `response` omitted when null, `count`, optional
/// `total`, one link with the full request URL and method.
pub fn success_body(
    href: &str,
    method: &str,
    response: Option<Value>,
    total: Option<u64>,
) -> Value {
    let response = response.filter(|v| !v.is_null());
    let mut m = Map::new();
    m.insert("count".into(), json!(implicit_count(&response)));
    if let Some(t) = total {
        m.insert("total".into(), json!(t));
    }
    m.insert("links".into(), json!([{ "href": href, "action": method }]));
    m.insert("status".into(), json!(0));
    m.insert("statusCode".into(), json!(200));
    if let Some(r) = response {
        m.insert("response".into(), r);
    }
    Value::Object(m)
}

/// What kind of .NET exception an error stands for: it decides `type`,
/// `stack` and `hresult` in the error envelope.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Exc {
    InvalidOperation,
    Authorizing,
    Security,
    Authentication,
    Custom,
    NullReference,
    Format,
    IndexOutOfRange,
    ItemNotFound,
    Billing,
}

impl Exc {
    fn details(self) -> Option<(&'static str, i64)> {
        match self {
            Exc::InvalidOperation => Some(("System.InvalidOperationException", -2146233079)),
            Exc::Authorizing => Some((
                "ASC.Common.Security.Authorizing.AuthorizingException",
                -2146233088,
            )),
            Exc::Security => Some(("System.Security.SecurityException", -2146233078)),
            Exc::NullReference => Some(("System.NullReferenceException", -2147467261)),
            Exc::Format => Some(("System.FormatException", -2146233033)),
            Exc::IndexOutOfRange => Some(("System.IndexOutOfRangeException", -2146233080)),
            Exc::ItemNotFound => Some(("ASC.Common.Web.ItemNotFoundException", -2146233088)),
            Exc::Billing => Some(("ASC.Core.Billing.BillingException", -2146233088)),
            // AuthenticationException and CustomHttpException carry no details.
            Exc::Authentication | Exc::Custom => None,
        }
    }
}

/// `ErrorApiResponse`: nulls are written, `status: 1`.
pub fn error_body(status: u16, message: &str, exc: Exc, site: &str) -> Value {
    let (ty, stack, hresult) = match exc.details() {
        Some((ty, hr)) => (
            json!(ty),
            json!(format!(
                "   at {site}\n   at ASC.Api.Core.Middleware.CommonApiResponse.ExecuteAsync(ActionContext context)"
            )),
            json!(hr),
        ),
        None => (Value::Null, Value::Null, json!(0)),
    };
    json!({
        "error": { "message": message, "type": ty, "stack": stack, "hresult": hresult },
        "status": 1,
        "statusCode": status,
    })
}

pub fn error(status: u16, message: &str, exc: Exc, site: &str) -> Response<Body> {
    json_response(status, &error_body(status, message, exc, site))
}

/// Exception that maps to 403 "Access denied" regardless of its own text.
pub fn access_denied(exc: Exc, site: &str) -> Response<Body> {
    error(403, "Access denied", exc, site)
}

/// A `ProblemDetails` wrapped in the success envelope, which then says
/// `status: 1` and `statusCode: {status}`; with `legacy` (3.6, before the
/// fix for bug 81187) it keeps `status: 0` and `statusCode: 200` although
/// the HTTP status is not 200.
fn problem_body(href: &str, method: &str, status: u16, problem: Value, legacy: bool) -> Value {
    let mut body = success_body(href, method, Some(problem), None);
    if !legacy {
        body["status"] = json!(1);
        body["statusCode"] = json!(status);
    }
    body
}

/// A `ValidationProblemDetails` in the envelope (see [`problem_body`]).
pub fn validation_body(href: &str, method: &str, errors: Value, legacy: bool) -> Value {
    let problem = json!({
        "type": "https://tools.ietf.org/html/rfc9110#section-15.5.1",
        "title": "One or more validation errors occurred.",
        "status": 400,
        "errors": errors,
        "traceId": trace_id(),
    });
    problem_body(href, method, 400, problem, legacy)
}

/// The 415 `[FromBody]` binding gives a body that is not JSON, in the
/// envelope on every profile.
pub fn unsupported_media_type(href: &str, method: &str) -> Response<Body> {
    let problem = json!({
        "type": "https://tools.ietf.org/html/rfc9110#section-15.5.16",
        "title": "Unsupported Media Type",
        "status": 415,
        "traceId": trace_id(),
    });
    json_response(415, &problem_body(href, method, 415, problem, false))
}

pub fn validation(
    href: &str,
    method: &str,
    errors: &[(String, String)],
    legacy: bool,
) -> Response<Body> {
    let mut m = Map::new();
    for (k, v) in errors {
        let entry = m.entry(k.clone()).or_insert_with(|| json!([]));
        if let Value::Array(a) = entry {
            a.push(json!(v));
        }
    }
    json_response(
        400,
        &validation_body(href, method, Value::Object(m), legacy),
    )
}

/// 401/403 without a body: authentication challenge or scope failure.
pub fn empty(status: u16) -> Response<Body> {
    let mut r = Response::new(Body::empty());
    *r.status_mut() = StatusCode::from_u16(status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    r
}
