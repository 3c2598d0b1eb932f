//! `/api/2.0/...`: reads the request, finds its route, answers the
//! anonymous endpoints, authenticates and checks the scope, then hands the
//! request to the endpoint module (`tfa`, `people`, `audit`, `signin`,
//! `version`).

use axum::body::{to_bytes, Body};
use axum::extract::Request;
use axum::http::{header, HeaderValue, Method, Response};

use crate::audit::{events_filter, events_last};
use crate::auth::{authenticate, scope_allows};
use crate::envelope::{empty, error, Exc};
use crate::guid::parse_guid;
use crate::people::{group_list, group_one, people_filter, people_self};
use crate::request::{unsupported_media_type, Ctx, Out};
use crate::shared::{Shared, BODY_LIMIT};
use crate::signin::post_authentication;
use crate::state::State;
use crate::tfa::{get_confirm, get_tfa, put_new_app, put_tfa};

/// Answers one request under `/api/2.0/`, with the state locked while it
/// is read and answered.
pub async fn entry(sh: &Shared, req: Request) -> Response<Body> {
    let (parts, body) = req.into_parts();
    let body = match to_bytes(body, BODY_LIMIT).await {
        Ok(b) => b.to_vec(),
        Err(_) => return empty(413),
    };
    let mut st = sh.lock();
    let ctx = Ctx::new(sh, &st, &parts, body);
    handle(&mut st, &ctx)
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
    AuditFilter,
    AuditLast,
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
        "security/audit/events/filter" => (Route::AuditFilter, GET),
        "security/audit/events/last" => (Route::AuditLast, GET),
        p => match p.strip_prefix("group/") {
            // The real route has a `{id:guid}` constraint.
            Some(id) if parse_guid(id).is_some() => (Route::Group, GET),
            _ => return None,
        },
    })
}

/// Handles one request under `/api/2.0/`.
fn handle(st: &mut State, ctx: &Ctx) -> Response<Body> {
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
        (Route::TfaApp, &Method::GET) => Out::new(get_tfa(st, ctx)),
        (Route::TfaApp, _) => put_tfa(st, ctx, &p, false),
        (Route::TfaAppWithLink, _) => put_tfa(st, ctx, &p, true),
        (Route::TfaConfirm, _) => get_confirm(st, ctx, &p),
        (Route::TfaNewApp, _) => put_new_app(st, ctx, &p),
        (Route::PeopleSelf, _) => Out::new(people_self(st, ctx, &p)),
        (Route::PeopleFilter, _) => Out::new(people_filter(st, ctx, &p)),
        (Route::Groups, _) => Out::new(group_list(st, ctx, &p)),
        (Route::Group, _) => Out::new(group_one(st, ctx, &p)),
        (Route::AuditFilter, _) => Out::new(events_filter(st, ctx, &p)),
        (Route::AuditLast, _) => Out::new(events_last(st, ctx, &p)),
        (Route::Authentication | Route::VersionBuild, _) => {
            unreachable!("handled before authentication")
        }
    };
    out.resp
}
