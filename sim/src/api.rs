//! `/api/2.0/...`: the request context, routing, scope checks and the
//! response helpers the endpoint modules share (`tfa`, `people`, `auth`).

use axum::body::Body;
use axum::http::{header, HeaderMap, HeaderValue, Method, Response};
use serde_json::{json, Value};

use crate::auth::{authenticate, post_authentication, scope_allows};
use crate::dto::Errors;
use crate::envelope::{empty, error, json_response, success_body, validation, Exc};
use crate::ipmatch::{MatchError, Matcher};
use crate::people::{employee_full, group_list, group_one, people_filter};
use crate::state::{Profile, State};
use crate::tfa::{get_confirm, get_tfa, put_new_app, put_tfa};
use crate::util::parse_guid;

/// Read-only facts about the running simulator.
#[derive(Clone, Debug)]
pub struct Settings {
    pub profile: Profile,
    pub sms_available: bool,
}

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
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Route {
    TfaApp,
    TfaAppWithLink,
    TfaConfirm,
    TfaNewApp,
    PeopleSelf,
    PeopleFilter,
    Groups,
    Group,
    Authentication,
    VersionBuild,
}

fn route_of(path: &str) -> Option<(Route, &'static [Method])> {
    const GET: &[Method] = &[Method::GET];
    const PUT: &[Method] = &[Method::PUT];
    const GET_PUT: &[Method] = &[Method::GET, Method::PUT];
    const POST: &[Method] = &[Method::POST];
    Some(match path {
        "settings/tfaapp" => (Route::TfaApp, GET_PUT),
        "settings/tfaappwithlink" => (Route::TfaAppWithLink, PUT),
        "settings/tfaapp/confirm" => (Route::TfaConfirm, GET),
        "settings/tfaappnewapp" => (Route::TfaNewApp, PUT),
        "people/@self" => (Route::PeopleSelf, GET),
        "people/filter" => (Route::PeopleFilter, GET),
        "group" => (Route::Groups, GET),
        "authentication" => (Route::Authentication, POST),
        "settings/version/build" => (Route::VersionBuild, GET),
        p => match p.strip_prefix("group/") {
            // The real route has a `{id:guid}` constraint.
            Some(id) if parse_guid(id).is_some() => (Route::Group, GET),
            _ => return None,
        },
    })
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
    let problem = json!({
        "type": "https://tools.ietf.org/html/rfc9110#section-15.5.16",
        "title": "Unsupported Media Type",
        "status": 415,
        "traceId": format!("00-{:016x}{:016x}-{:016x}-00", crate::util::random_u64(), crate::util::random_u64(), crate::util::random_u64()),
    });
    let mut body = success_body(&ctx.href, ctx.method.as_str(), Some(problem), None);
    body["status"] = json!(1);
    body["statusCode"] = json!(415);
    Some(json_response(415, &body))
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

pub const TFA_SITE: &str = "ASC.Web.Api.Controllers.Settings.TfaappController";

/// Handles one request under `/api/2.0/`.
pub fn handle(settings: &Settings, st: &mut State, ctx: &Ctx) -> Response<Body> {
    let Some((route, methods)) = route_of(&ctx.route) else {
        return error(
            404,
            "The requested resource was not found.",
            Exc::Custom,
            "",
        );
    };
    if !methods.contains(&ctx.method) {
        let mut r = empty(405);
        let allow = methods
            .iter()
            .map(Method::as_str)
            .collect::<Vec<_>>()
            .join(", ");
        if let Ok(v) = HeaderValue::from_str(&allow) {
            r.headers_mut().insert(header::ALLOW, v);
        }
        return r;
    }
    if route == Route::Authentication {
        if let Some(r) = unsupported_media_type(ctx) {
            return r;
        }
        return post_authentication(st, ctx).resp;
    }
    if route == Route::VersionBuild {
        // `[AllowAnonymous]`: credentials, good or bad, do not matter.
        return crate::version::build_response(&ctx.href, &st.version);
    }
    let Some(p) = authenticate(st, &ctx.headers) else {
        return empty(401);
    };
    if !scope_allows(p.scope, &ctx.method) {
        return empty(403);
    }
    if ctx.method == Method::PUT {
        if let Some(r) = unsupported_media_type(ctx) {
            return r;
        }
    }
    let out = match (route, &ctx.method) {
        (Route::TfaApp, &Method::GET) => Out::new(get_tfa(settings, st, ctx)),
        (Route::TfaApp, _) => put_tfa(settings, st, ctx, &p, false),
        (Route::TfaAppWithLink, _) => put_tfa(settings, st, ctx, &p, true),
        (Route::TfaConfirm, _) => get_confirm(st, ctx, &p),
        (Route::TfaNewApp, _) => put_new_app(settings, st, ctx, &p),
        (Route::PeopleSelf, _) => {
            let v = employee_full(st, p.user, st.portal.users[p.user].role.is_admin(), ctx);
            Out::new(ok(ctx, Some(v)))
        }
        (Route::PeopleFilter, _) => Out::new(people_filter(st, ctx, &p)),
        (Route::Groups, _) => Out::new(group_list(st, ctx, &p)),
        (Route::Group, _) => Out::new(group_one(st, ctx, &p)),
        (Route::Authentication | Route::VersionBuild, _) => {
            unreachable!("handled before authentication")
        }
    };
    out.resp
}
