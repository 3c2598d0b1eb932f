//! One `/api/2.0/...` request as the endpoint modules see it (`Ctx`), read
//! from the HTTP request and the state, and the answers they all give:
//! success envelopes, validation problems, a trusted-IP failure, cookies.

use std::net::IpAddr;

use axum::body::Body;
use axum::http::request::Parts;
use axum::http::{header, HeaderMap, HeaderValue, Method, Response};
use serde_json::Value;

use crate::dto::Errors;
use crate::encoding::parse_query;
use crate::envelope::{error, json_response, success_body, validation, Exc};
use crate::ipmatch::{MatchError, Matcher};
use crate::profile::Profile;
use crate::shared::{request_origin, ConnCtx, Shared};
use crate::state::State;
use crate::trail::Client;

/// One API request, with everything the handlers need.
pub struct Ctx {
    pub method: Method,
    /// Path after `/api/2.0/`, lowercased, without a trailing slash.
    pub route: String,
    pub query: Vec<(String, String)>,
    pub headers: HeaderMap,
    pub body: Vec<u8>,
    /// `{scheme}://{host}` of the request.
    pub origin: String,
    /// Full request URL for the envelope's `links`.
    pub href: String,
    /// The request IP for trusted-IP matching (§10.17): the
    /// `request-x-real-ip` query parameter in the real profiles, else the
    /// test-control client IP, else the connection address.
    pub client_ip: String,
    /// How this request's trusted-IP matching behaves (profile and release).
    pub matcher: Matcher,
    pub profile: Profile,
    pub sms_available: bool,
}

impl Ctx {
    /// Reads a request under `/api/2.0/` (its body already read) with the
    /// state it is answered from.
    pub fn new(sh: &Shared, st: &State, parts: &Parts, body: Vec<u8>) -> Ctx {
        let conn = ConnCtx::of(&parts.extensions);
        let origin = request_origin(&parts.headers, conn.as_ref());
        let path = parts.uri.path();
        let href = match parts.uri.query() {
            Some(q) => format!("{origin}{path}?{q}"),
            None => format!("{origin}{path}"),
        };
        let route = path
            .get("/api/2.0".len()..)
            .unwrap_or("")
            .trim_matches('/')
            .to_ascii_lowercase();
        let query = parse_query(parts.uri.query());
        let profile = sh.settings.profile;
        let client_ip = request_ip(&query, profile.honours_real_ip_param(), st, conn.as_ref());
        Ctx {
            method: parts.method.clone(),
            route,
            query,
            headers: parts.headers.clone(),
            body,
            origin,
            href,
            client_ip,
            matcher: crate::version::matcher(profile, &st.version),
            profile,
            sms_available: sh.settings.sms_available,
        }
    }
}

impl Ctx {
    /// Where the request came from, for the audit trail.
    pub fn client(&self) -> Client {
        Client::from_headers(&self.headers, &self.client_ip)
    }
}

/// Where a request outside the API (a portal page, test control) came
/// from, for the audit trail: the test-control client IP, else the
/// connection address.
pub fn page_client(st: &State, headers: &HeaderMap, conn: Option<&ConnCtx>) -> Client {
    Client::from_headers(headers, &request_ip(&[], false, st, conn))
}

/// The request IP for trusted-IP matching: `MessageSettings.GetIP` takes the
/// `request-x-real-ip` query parameter when it is not empty (several values
/// are joined with commas, as `StringValues` does), else the connection
/// address; test control can stand in for the connection address.
fn request_ip(
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

/// The request IP as a plain string: IPv4-mapped IPv6 addresses are shown
/// as IPv4, like the real server after forwarded-header processing.
fn ip_string(ip: IpAddr) -> String {
    match ip {
        IpAddr::V6(v6) => match v6.to_ipv4_mapped() {
            Some(v4) => v4.to_string(),
            None => v6.to_string(),
        },
        v4 => v4.to_string(),
    }
}

/// A response plus cookies to set.
pub struct Out {
    pub resp: Response<Body>,
}

impl Out {
    pub fn new(resp: Response<Body>) -> Out {
        Out { resp }
    }
    pub fn cookie(mut self, c: String) -> Out {
        if let Ok(v) = HeaderValue::from_str(&c) {
            self.resp.headers_mut().append(header::SET_COOKIE, v);
        }
        self
    }
}

/// `[FromBody]` binding only reads JSON: `application/json`, `text/json` or
/// `application/*+json`. Anything else (or no Content-Type) is a 415.
pub fn unsupported_media_type(ctx: &Ctx) -> Option<Response<Body>> {
    let ct = ctx
        .headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .split(';')
        .next()
        .unwrap_or("")
        .trim()
        .to_ascii_lowercase();
    let json = ct == "application/json"
        || ct == "text/json"
        || (ct.starts_with("application/") && ct.ends_with("+json"));
    if json {
        return None;
    }
    Some(crate::envelope::unsupported_media_type(
        &ctx.href,
        ctx.method.as_str(),
    ))
}

pub fn ok(ctx: &Ctx, v: Option<Value>) -> Response<Body> {
    json_response(200, &success_body(&ctx.href, ctx.method.as_str(), v, None))
}

pub fn ok_paged(ctx: &Ctx, v: Value, total: u64) -> Response<Body> {
    json_response(
        200,
        &success_body(&ctx.href, ctx.method.as_str(), Some(v), Some(total)),
    )
}

pub fn invalid(ctx: &Ctx, errors: &Errors) -> Response<Body> {
    validation(
        &ctx.href,
        ctx.method.as_str(),
        errors,
        ctx.profile.legacy_validation_envelope(),
    )
}

/// The 500 a trusted-IP exception turns into.
pub fn match_failed(e: MatchError, site: &str) -> Response<Body> {
    let exc = match e {
        MatchError::Format(_) => Exc::Format,
        MatchError::IndexOutOfRange => Exc::IndexOutOfRange,
    };
    error(500, e.message(), exc, site)
}
