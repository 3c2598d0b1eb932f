//! `/api/2.0/...`: routing, authentication, scopes and the endpoint logic.

use axum::body::Body;
use axum::http::{header, HeaderMap, HeaderValue, Method, Response};
use serde_json::{json, Map, Value};

use crate::dto::{parse_auth_request, parse_tfa_request, Errors, TfaRequest};
use crate::envelope::{access_denied, empty, error, json_response, success_body, validation, Exc};
use crate::seed::{registration_date, Role, UserTfa, DEMO_PASSWORD};
use crate::state::{confirm_key_value, Pending, Profile, State, TfaType};
use crate::util::{
    api_datetime, base64_decode, parse_guid, query_get, random_token, url_encode, EMPTY_GUID,
};

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
    /// IP used for trusted-IP matching.
    pub client_ip: String,
}

/// Demo API keys: (key, role of the creator, read-only).
pub const API_KEYS: &[(&str, Role, bool)] = &[
    ("sk-demo-owner", Role::Owner, false),
    ("sk-demo-admin", Role::Admin, false),
    ("sk-demo-roomadmin", Role::RoomAdmin, false),
    ("sk-demo-user", Role::User, false),
    ("sk-demo-guest", Role::Guest, false),
    ("sk-demo-readonly", Role::Owner, true),
];

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Scope {
    /// `*:write` (cookie sessions, Basic, keys with `*`).
    Write,
    /// `*:read` only.
    Read,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Need {
    SettingsRead,
    SettingsWrite,
    AccountsSelf,
    Accounts,
    Groups,
}

struct Principal {
    user: usize,
    scope: Scope,
}

fn cookie_value(headers: &HeaderMap, name: &str) -> Option<String> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|c| c.trim().split_once('='))
        .find(|(k, _)| *k == name)
        .map(|(_, v)| v.to_string())
}

/// Chooses the handler from the Authorization header like `MultiAuthSchemes`.
fn authenticate(st: &State, headers: &HeaderMap) -> Option<Principal> {
    let write = |user| {
        Some(Principal {
            user,
            scope: Scope::Write,
        })
    };
    let Some(auth) = headers.get(header::AUTHORIZATION) else {
        let token = cookie_value(headers, "asc_auth_key")?;
        return st.session_user(&token).and_then(write);
    };
    let auth = auth.to_str().ok()?.trim();
    let (scheme, rest) = auth.split_once(' ').unwrap_or(("", auth));
    if scheme.eq_ignore_ascii_case("basic") {
        let raw = String::from_utf8(base64_decode(rest)?).ok()?;
        let (login, password) = raw.split_once(':')?;
        let user = st.portal.user_by_login(login)?;
        return (password == DEMO_PASSWORD)
            .then_some(())
            .and_then(|_| write(user));
    }
    let token = if scheme.eq_ignore_ascii_case("bearer") {
        rest.trim()
    } else {
        auth
    };
    if token.starts_with("sk-") {
        let (_, role, read_only) = API_KEYS.iter().find(|(k, _, _)| *k == token)?;
        let user = st.resolve_as(role_name(*role))?;
        let scope = if *read_only {
            Scope::Read
        } else {
            Scope::Write
        };
        return Some(Principal { user, scope });
    }
    st.session_user(token).and_then(write)
}

fn role_name(r: Role) -> &'static str {
    match r {
        Role::Owner => "owner",
        Role::Admin => "admin",
        Role::RoomAdmin => "roomadmin",
        Role::User => "user",
        Role::Guest => "guest",
    }
}

/// `*:write` grants everything. `*:read` is honoured for settings reads
/// only: the accounts policies want `accounts(.self):read|write`.
fn scope_allows(scope: Scope, need: Need) -> bool {
    match scope {
        Scope::Write => true,
        Scope::Read => need == Need::SettingsRead,
    }
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
        p => match p.strip_prefix("group/") {
            // The real route has a `{id:guid}` constraint.
            Some(id) if parse_guid(id).is_some() => (Route::Group, GET),
            _ => return None,
        },
    })
}

/// A response plus cookies to set.
struct Out {
    resp: Response<Body>,
}

impl Out {
    fn new(resp: Response<Body>) -> Out {
        Out { resp }
    }
    fn cookie(mut self, c: String) -> Out {
        if let Ok(v) = HeaderValue::from_str(&c) {
            self.resp.headers_mut().append(header::SET_COOKIE, v);
        }
        self
    }
}

/// `[FromBody]` binding only reads JSON: `application/json`, `text/json` or
/// `application/*+json`. Anything else (or no Content-Type) is a 415.
fn unsupported_media_type(ctx: &Ctx) -> Option<Response<Body>> {
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

fn ok(ctx: &Ctx, v: Option<Value>) -> Response<Body> {
    json_response(200, &success_body(&ctx.href, ctx.method.as_str(), v, None))
}

fn ok_paged(ctx: &Ctx, v: Value, total: u64) -> Response<Body> {
    json_response(
        200,
        &success_body(&ctx.href, ctx.method.as_str(), Some(v), Some(total)),
    )
}

fn invalid(ctx: &Ctx, errors: &Errors) -> Response<Body> {
    validation(&ctx.href, ctx.method.as_str(), errors)
}

pub fn auth_cookie(token: &str) -> String {
    format!("asc_auth_key={token}; Path=/; HttpOnly; SameSite=Lax")
}

fn confirm_cookie(name: &str, value: &str) -> String {
    format!("{name}={value}; Path=/; HttpOnly; SameSite=Lax")
}

const TFA_SITE: &str = "ASC.Web.Api.Controllers.Settings.TfaappController";

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
    let Some(p) = authenticate(st, &ctx.headers) else {
        return empty(401);
    };
    let need = match (route, &ctx.method) {
        (Route::TfaApp | Route::TfaConfirm, &Method::GET) => Need::SettingsRead,
        (Route::TfaApp | Route::TfaAppWithLink | Route::TfaNewApp, _) => Need::SettingsWrite,
        (Route::PeopleSelf, _) => Need::AccountsSelf,
        (Route::PeopleFilter, _) => Need::Accounts,
        _ => Need::Groups,
    };
    if !scope_allows(p.scope, need) {
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
        (Route::TfaConfirm, _) => get_confirm(settings, st, ctx, &p),
        (Route::TfaNewApp, _) => put_new_app(settings, st, ctx, &p),
        (Route::PeopleSelf, _) => {
            let v = employee_full(st, p.user, st.portal.users[p.user].role.is_admin(), ctx);
            Out::new(ok(ctx, Some(v)))
        }
        (Route::PeopleFilter, _) => Out::new(people_filter(st, ctx, &p)),
        (Route::Groups, _) => Out::new(group_list(st, ctx, &p)),
        (Route::Group, _) => Out::new(group_one(st, ctx, &p)),
        (Route::Authentication, _) => unreachable!("handled before authentication"),
    };
    out.resp
}

// ---------------------------------------------------------------- settings

fn get_tfa(settings: &Settings, st: &State, ctx: &Ctx) -> Response<Body> {
    let available_key = if settings.profile == Profile::V36 {
        "avaliable"
    } else {
        "available"
    };
    let entry = |id: &str, title: &str, m: &crate::state::TfaMethod, available: bool| {
        let mut o = Map::new();
        o.insert("id".into(), json!(id));
        o.insert("title".into(), json!(title));
        o.insert("enabled".into(), json!(m.enable));
        o.insert(available_key.into(), json!(available));
        if let Some(v) = &m.trusted_ips {
            o.insert("trustedIps".into(), json!(v));
        }
        if let Some(v) = &m.mandatory_users {
            o.insert("mandatoryUsers".into(), json!(v));
        }
        if let Some(v) = &m.mandatory_groups {
            o.insert("mandatoryGroups".into(), json!(v));
        }
        Value::Object(o)
    };
    let list = json!([
        entry("sms", "By SMS", &st.sms, settings.sms_available),
        entry("app", "By authenticator app", &st.app, true),
    ]);
    ok(ctx, Some(list))
}

fn not_available(settings: &Settings, message: &str, site: &str) -> Response<Body> {
    if settings.profile == Profile::Seed {
        error(405, message, Exc::Custom, site)
    } else {
        error(403, message, Exc::InvalidOperation, site)
    }
}

struct ConfirmData {
    url: String,
    cookie: Option<(String, String)>,
}

/// `GetTfaConfirmData` for `user`: None when TFA is not required for them.
fn confirm_data(st: &State, user: usize, ctx: &Ctx) -> Result<Option<ConfirmData>, String> {
    let Some(ty) = st.tfa_required(user, &ctx.client_ip)? else {
        return Ok(None);
    };
    let u = &st.portal.users[user];
    Ok(Some(match ty {
        TfaType::Sms => {
            let kind = if u.phone.is_some() {
                "PhoneAuth"
            } else {
                "PhoneActivation"
            };
            ConfirmData {
                url: format!(
                    "{}/confirm/{kind}?type={kind}&key={}&encemail={}",
                    ctx.origin,
                    url_encode(&confirm_key_value()),
                    url_encode(&crate::util::base64_encode(u.email.as_bytes()))
                ),
                cookie: None,
            }
        }
        _ => app_confirm(u.app_linked, &u.id, ctx),
    }))
}

fn app_confirm(linked: bool, uid: &str, ctx: &Ctx) -> ConfirmData {
    let kind = if linked { "TfaAuth" } else { "TfaActivation" };
    ConfirmData {
        url: format!("{}/confirm/{kind}?type={kind}&uid={uid}", ctx.origin),
        cookie: Some((format!("asc_confirm_key_{kind}"), confirm_key_value())),
    }
}

fn with_confirm_cookie(out: Out, data: &ConfirmData) -> Out {
    match &data.cookie {
        Some((name, value)) => out.cookie(confirm_cookie(name, value)),
        None => out,
    }
}

fn put_tfa(settings: &Settings, st: &mut State, ctx: &Ctx, p: &Principal, with_link: bool) -> Out {
    let seed = settings.profile == Profile::Seed;
    let dto = match parse_tfa_request(&ctx.body, seed) {
        Ok(d) => d,
        Err(e) => return Out::new(invalid(ctx, &e)),
    };
    let site = if with_link {
        format!("{TFA_SITE}.UpdateTfaSettingsLink(TfaRequestsDto inDto)")
    } else {
        format!("{TFA_SITE}.UpdateTfaSettingsAsync(TfaRequestsDto inDto)")
    };
    let caller = &st.portal.users[p.user];
    if !caller.role.is_admin() {
        return Out::new(access_denied(Exc::Authorizing, &site));
    }
    let owner_id = st.portal.users[st.portal.owner].id.clone();
    let id = dto.id.clone().unwrap_or_else(|| EMPTY_GUID.to_string());
    let owner_named = id == owner_id
        || (settings.profile != Profile::V36
            && dto
                .mandatory_users
                .as_ref()
                .is_some_and(|m| m.contains(&owner_id)));
    let guarded = match settings.profile {
        Profile::Seed | Profile::V37 => owner_named,
        Profile::V36 => with_link && owner_named,
    };
    if guarded && id != caller.id {
        return Out::new(error(
            403,
            "No permissions to perform this action",
            Exc::InvalidOperation,
            &site,
        ));
    }
    let ty = dto.ty();
    if ty == TfaType::Sms && !settings.sms_available {
        return Out::new(not_available(
            settings,
            "SMS settings are not available",
            &site,
        ));
    }
    if seed && with_link {
        return seed_pending(st, ctx, p, dto);
    }
    let enabled = st.apply_tfa(
        ty,
        dto.trusted_ips,
        dto.mandatory_users,
        dto.mandatory_groups,
    );
    if !with_link {
        return Out::new(ok(ctx, Some(json!(enabled))));
    }
    if !enabled {
        return Out::new(ok(ctx, Some(json!(""))));
    }
    match confirm_data(st, p.user, ctx) {
        Err(msg) => Out::new(error(500, &msg, Exc::Format, &site)),
        Ok(None) if settings.profile == Profile::V37 => Out::new(error(
            500,
            "Object reference not set to an instance of an object.",
            Exc::NullReference,
            &site,
        )),
        Ok(None) => Out::new(ok(ctx, Some(json!("")))),
        Ok(Some(data)) => with_confirm_cookie(Out::new(ok(ctx, Some(json!(data.url)))), &data),
    }
}

fn describe_change(st: &State, ty: TfaType, dto: &TfaRequest) -> String {
    let method = match ty {
        TfaType::None => return "turn two-factor authentication off (trusted IPs and mandatory lists are cleared)".into(),
        TfaType::Sms => "by SMS",
        TfaType::App => "by authenticator app",
    };
    let ips = dto.trusted_ips.clone().unwrap_or_default();
    let users: Vec<String> = dto
        .mandatory_users
        .iter()
        .flatten()
        .map(|id| match st.portal.user(id) {
            Some(i) => st.portal.users[i].display.clone(),
            None => id.clone(),
        })
        .collect();
    let groups: Vec<String> = dto
        .mandatory_groups
        .iter()
        .flatten()
        .map(|id| match st.portal.group(id) {
            Some(i) => st.portal.groups[i].name.clone(),
            None => id.clone(),
        })
        .collect();
    let list = |v: &[String]| {
        if v.is_empty() {
            "none".to_string()
        } else {
            v.join(", ")
        }
    };
    format!(
        "turn on two-factor authentication {method}; trusted IPs: {}; mandatory users: {}; mandatory groups: {}",
        list(&ips),
        list(&users),
        list(&groups)
    )
}

/// Seed contract: hold the change and e-mail a one-time link to the
/// confirming administrator named by `id`.
fn seed_pending(st: &mut State, ctx: &Ctx, p: &Principal, dto: TfaRequest) -> Out {
    let id = dto.id.clone().filter(|i| i != EMPTY_GUID);
    let Some(id) = id else {
        let e = vec![(
            "$.id".to_string(),
            "The id field must name the owner or a DocSpace administrator who confirms the change."
                .to_string(),
        )];
        return Out::new(invalid(ctx, &e));
    };
    let Some(confirmer) = st.portal.user(&id) else {
        let e = vec![(
            "$.id".to_string(),
            "No user with this id exists on the portal.".to_string(),
        )];
        return Out::new(invalid(ctx, &e));
    };
    if !st.portal.users[confirmer].role.is_admin() {
        return Out::new(error(
            403,
            "The confirming user must be the portal owner or a DocSpace administrator.",
            Exc::InvalidOperation,
            &format!("{TFA_SITE}.UpdateTfaSettingsLink(TfaRequestsDto inDto)"),
        ));
    }
    let ty = dto.ty();
    let summary = describe_change(st, ty, &dto);
    let key = random_token(32);
    st.pending.retain(|x| x.used);
    st.pending.push(Pending {
        key: key.clone(),
        confirmer,
        requested_by: p.user,
        ty,
        trusted_ips: dto.trusted_ips,
        mandatory_users: dto.mandatory_users,
        mandatory_groups: dto.mandatory_groups,
        used: false,
    });
    let link = format!(
        "{}/confirm/TfaActivation?type=TfaActivation&uid={}&key={key}",
        ctx.origin, st.portal.users[confirmer].id
    );
    let requester = st.portal.users[p.user].display.clone();
    let to = st.portal.users[confirmer].email.clone();
    let body = format!(
        "{requester} asked to change the two-factor authentication settings of the portal {}: {summary}.\n\nThe change is not applied until you open this link: {link}\n\nIf you did not expect this request, ignore this message.",
        ctx.origin
    );
    st.send_mail(
        &to,
        "Confirm the two-factor authentication change",
        body,
        Some(link.clone()),
        "tfa-confirm",
    );
    Out::new(ok(ctx, Some(json!(link))))
}

fn get_confirm(settings: &Settings, st: &State, ctx: &Ctx, p: &Principal) -> Out {
    let site = format!("{TFA_SITE}.GetTfaConfirmData()");
    let data = match confirm_data(st, p.user, ctx) {
        Err(msg) => return Out::new(error(500, &msg, Exc::Format, &site)),
        Ok(d) => d,
    };
    let Some(data) = data else {
        let v = if settings.profile == Profile::V36 {
            Some(json!(""))
        } else {
            None
        };
        return Out::new(ok(ctx, v));
    };
    let v = match settings.profile {
        Profile::V37 => {
            let mut o = Map::new();
            o.insert("url".into(), json!(data.url));
            if let Some((n, v)) = &data.cookie {
                o.insert("cookieName".into(), json!(n));
                o.insert("cookieValue".into(), json!(v));
            }
            Value::Object(o)
        }
        _ => json!(data.url),
    };
    with_confirm_cookie(Out::new(ok(ctx, Some(v))), &data)
}

fn put_new_app(settings: &Settings, st: &mut State, ctx: &Ctx, p: &Principal) -> Out {
    let seed = settings.profile == Profile::Seed;
    let dto = match parse_tfa_request(&ctx.body, seed) {
        Ok(d) => d,
        Err(e) => return Out::new(invalid(ctx, &e)),
    };
    let site = format!("{TFA_SITE}.UnlinkTfaApp(TfaRequestsDto inDto)");
    let caller_id = st.portal.users[p.user].id.clone();
    let id = dto.id.clone().unwrap_or_else(|| EMPTY_GUID.to_string());
    let is_me = id == EMPTY_GUID || id == caller_id;
    let target = if id == EMPTY_GUID {
        None
    } else {
        st.portal.user(&id)
    };
    if seed && target.is_none() {
        return Out::new(access_denied(Exc::Security, &site));
    }
    let caller_role = st.portal.users[p.user].role;
    if !is_me && (!caller_role.is_admin() || p.user != st.portal.owner) {
        return Out::new(error(
            403,
            "No permissions to perform this action",
            Exc::InvalidOperation,
            &site,
        ));
    }
    if seed {
        let Some(t) = target else {
            unreachable!("checked above")
        };
        let ty = dto.ty();
        if ty == TfaType::Sms && !settings.sms_available {
            return Out::new(not_available(
                settings,
                "SMS settings are not available",
                &site,
            ));
        }
        let u = &mut st.portal.users[t];
        u.app_linked = false;
        u.user_tfa = match ty {
            TfaType::None => UserTfa::Off,
            TfaType::Sms => UserTfa::Sms,
            TfaType::App => UserTfa::App,
        };
        u.session_index += 1;
        let login = format!("{}/login?uid={}", ctx.origin, u.id);
        let what = match ty {
            TfaType::None => "Two-factor authentication is now off for your account.",
            TfaType::Sms => "You will confirm your next sign-in with a code sent by SMS.",
            TfaType::App => "You will link an authenticator app again at your next sign-in.",
        };
        let body = format!(
            "Your two-factor authentication settings on the portal {} were reset by {}. {what} All your sessions were signed out.\n\nSign in again: {login}",
            ctx.origin, st.portal.users[p.user].display
        );
        let to = st.portal.users[t].email.clone();
        st.send_mail(
            &to,
            "Two-factor authentication reset",
            body,
            Some(login.clone()),
            "tfa-reset",
        );
        return Out::new(ok(ctx, Some(json!(login))));
    }
    let Some(t) = target.filter(|&t| st.portal.users[t].app_linked) else {
        return Out::new(not_available(
            settings,
            "TFA application settings are not available",
            &site,
        ));
    };
    let u = &mut st.portal.users[t];
    u.app_linked = false;
    u.session_index += 1;
    if is_me {
        let (token, _) = st.new_session(p.user);
        let data = app_confirm(false, &caller_id, ctx);
        let out = Out::new(ok(ctx, Some(json!(data.url)))).cookie(auth_cookie(&token));
        return with_confirm_cookie(out, &data);
    }
    let to = st.portal.users[t].email.clone();
    let body = format!(
        "The configuration of the authenticator app that you use to enter the {} portal has been reset.\n\nConfigure the authenticator app: {}/",
        ctx.origin, ctx.origin
    );
    st.send_mail(
        &to,
        "ONLYOFFICE. Security notification",
        body,
        Some(format!("{}/", ctx.origin)),
        "tfa-reset",
    );
    Out::new(ok(ctx, Some(json!(""))))
}

// ----------------------------------------------------------- authentication

fn post_authentication(st: &mut State, ctx: &Ctx) -> Out {
    let dto = match parse_auth_request(&ctx.body) {
        Ok(d) => d,
        Err(e) => return Out::new(invalid(ctx, &e)),
    };
    let user = dto
        .user_name
        .as_deref()
        .and_then(|n| st.portal.user_by_login(n))
        .filter(|_| dto.password.as_deref() == Some(DEMO_PASSWORD));
    let Some(user) = user else {
        return Out::new(error(
            401,
            "User authentication failed",
            Exc::Authentication,
            "",
        ));
    };
    let site = "ASC.Web.Api.Controllers.AuthenticationController.AuthenticateMeAsync(AuthRequestsDto inDto)";
    match st.tfa_required(user, &ctx.client_ip) {
        Err(msg) => Out::new(error(500, &msg, Exc::Format, site)),
        Ok(Some(TfaType::Sms)) => {
            let u = &st.portal.users[user];
            let kind = if u.phone.is_some() {
                "PhoneAuth"
            } else {
                "PhoneActivation"
            };
            let mut o = Map::new();
            o.insert("sms".into(), json!(true));
            if let Some(phone) = &u.phone {
                let tail: String = phone
                    .chars()
                    .rev()
                    .take(4)
                    .collect::<Vec<_>>()
                    .into_iter()
                    .rev()
                    .collect();
                o.insert("phoneNoise".into(), json!(format!("+*******{tail}")));
            }
            o.insert(
                "confirmUrl".into(),
                json!(format!(
                    "{}/confirm/{kind}?type={kind}&key={}&encemail={}",
                    ctx.origin,
                    url_encode(&confirm_key_value()),
                    url_encode(&crate::util::base64_encode(u.email.as_bytes()))
                )),
            );
            Out::new(ok(ctx, Some(Value::Object(o))))
        }
        Ok(Some(_)) => {
            let u = &st.portal.users[user];
            let data = app_confirm(u.app_linked, &u.id, ctx);
            let mut o = Map::new();
            o.insert("tfa".into(), json!(true));
            if !u.app_linked {
                o.insert("tfaKey".into(), json!(base32_secret()));
            }
            o.insert("confirmUrl".into(), json!(data.url));
            with_confirm_cookie(Out::new(ok(ctx, Some(Value::Object(o)))), &data)
        }
        Ok(None) => {
            let (token, expires) = st.new_session(user);
            let v = json!({ "token": token, "expires": api_datetime(expires) });
            Out::new(ok(ctx, Some(v))).cookie(auth_cookie(&token))
        }
    }
}

/// An 80-bit TOTP secret in base32 (16 characters).
fn base32_secret() -> String {
    const A: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
    let bits =
        (u128::from(crate::util::random_u64()) << 64) | u128::from(crate::util::random_u64());
    (0..16)
        .map(|i| A[((bits >> (i * 5)) & 31) as usize] as char)
        .collect()
}

// ------------------------------------------------------------ people/groups

fn employee_full(st: &State, i: usize, viewer_admin: bool, ctx: &Ctx) -> Value {
    let u = &st.portal.users[i];
    let mut o = Map::new();
    let avatar = |size: &str| {
        json!(format!(
            "/static/images/default_user_photo_size_{size}.png?hash=1"
        ))
    };
    o.insert("id".into(), json!(u.id));
    o.insert("displayName".into(), json!(u.display_encoded));
    o.insert("avatar".into(), avatar("82-82"));
    o.insert("avatarOriginal".into(), avatar("200-200"));
    o.insert("avatarMax".into(), avatar("200-200"));
    o.insert("avatarMedium".into(), avatar("48-48"));
    o.insert("avatarSmall".into(), avatar("32-32"));
    o.insert("hasAvatar".into(), json!(false));
    o.insert(
        "profileUrl".into(),
        json!(format!("{}/accounts/view/{}", ctx.origin, u.user_name)),
    );
    o.insert("isAnonim".into(), json!(false));
    o.insert("firstName".into(), json!(u.first));
    o.insert("lastName".into(), json!(u.last));
    o.insert("userName".into(), json!(u.user_name));
    o.insert("email".into(), json!(u.email));
    o.insert("status".into(), json!(1));
    o.insert("activationStatus".into(), json!(1));
    o.insert("isAdmin".into(), json!(u.role.is_admin()));
    o.insert("isOwner".into(), json!(u.role == Role::Owner));
    o.insert("isRoomAdmin".into(), json!(u.role == Role::RoomAdmin));
    o.insert("isCollaborator".into(), json!(u.role == Role::User));
    o.insert("isVisitor".into(), json!(u.role == Role::Guest));
    o.insert("isLDAP".into(), json!(false));
    o.insert("isSSO".into(), json!(false));
    let groups: Vec<Value> = u
        .groups
        .iter()
        .map(|&g| {
            let g = &st.portal.groups[g];
            let manager = g.manager.map(|m| st.portal.users[m].user_name.clone());
            json!({ "id": g.id, "name": g.name, "manager": manager })
        })
        .collect();
    o.insert("groups".into(), json!(groups));
    if let Some(phone) = &u.phone {
        o.insert("mobilePhone".into(), json!(phone));
    }
    o.insert(
        "mobilePhoneActivationStatus".into(),
        json!(if u.phone.is_some() { 1 } else { 0 }),
    );
    o.insert("cultureName".into(), json!("en-US"));
    o.insert("registrationDate".into(), json!(registration_date(u)));
    if viewer_admin && st.app.enable {
        o.insert("tfaAppEnabled".into(), json!(u.app_linked));
    }
    Value::Object(o)
}

/// `count` (1–100, default 100) and `startIndex` (≥ 0, default 0).
fn paging(ctx: &Ctx) -> Result<(usize, usize), Errors> {
    let mut errors = Vec::new();
    let mut count = 100usize;
    if let Some(c) = query_get(&ctx.query, "count") {
        match c.trim().parse::<i64>() {
            Ok(n) if (1..=100).contains(&n) => count = n as usize,
            Ok(_) => errors.push((
                "count".to_string(),
                "The field Count must be between 1 and 100.".to_string(),
            )),
            Err(_) => errors.push((
                "count".to_string(),
                format!("The value '{c}' is not valid for Count."),
            )),
        }
    }
    let mut start = 0usize;
    if let Some(s) = query_get(&ctx.query, "startIndex") {
        match s.trim().parse::<i64>() {
            Ok(n) if n >= 0 => start = usize::try_from(n).unwrap_or(usize::MAX),
            Ok(_) => errors.push((
                "startIndex".to_string(),
                "The field StartIndex must be between 0 and 9223372036854775807.".to_string(),
            )),
            Err(_) => errors.push((
                "startIndex".to_string(),
                format!("The value '{s}' is not valid for StartIndex."),
            )),
        }
    }
    if errors.is_empty() {
        Ok((start, count))
    } else {
        Err(errors)
    }
}

fn descending(ctx: &Ctx) -> bool {
    query_get(&ctx.query, "sortOrder").is_some_and(|s| s.eq_ignore_ascii_case("descending"))
}

fn people_filter(st: &State, ctx: &Ctx, p: &Principal) -> Response<Body> {
    let (start, count) = match paging(ctx) {
        Ok(x) => x,
        Err(e) => return invalid(ctx, &e),
    };
    let viewer = st.portal.users[p.user].role;
    if matches!(viewer, Role::Guest | Role::User) {
        return access_denied(
            Exc::Security,
            "ASC.People.Api.UserController.GetFullByFilter()",
        );
    }
    let needle = query_get(&ctx.query, "filterValue")
        .unwrap_or("")
        .trim()
        .to_lowercase();
    let type_filter: Option<fn(Role) -> bool> =
        match query_get(&ctx.query, "employeeType").map(str::trim) {
            Some("1") => Some(|r| r == Role::RoomAdmin),
            Some("2") => Some(|r| r == Role::Guest),
            Some("3") => Some(|r: Role| r.is_admin()),
            Some("4") => Some(|r| r == Role::User),
            _ => None,
        };
    let group_filter = match query_get(&ctx.query, "groupId").and_then(parse_guid) {
        Some(g) => match st.portal.group(&g) {
            Some(gi) => Some(gi),
            None => return ok_paged(ctx, json!([]), 0),
        },
        None => None,
    };
    let mut total = 0u64;
    let mut page = Vec::with_capacity(count.min(100));
    st.portal.for_each_match(&needle, descending(ctx), |pos| {
        let i = st.portal.users_sorted[pos];
        let u = &st.portal.users[i];
        if type_filter.is_some_and(|f| !f(u.role))
            || group_filter.is_some_and(|g| !u.groups.contains(&g))
        {
            return;
        }
        if total >= start as u64 && page.len() < count {
            page.push(i);
        }
        total += 1;
    });
    let viewer_admin = viewer.is_admin();
    let list: Vec<Value> = page
        .iter()
        .map(|&i| employee_full(st, i, viewer_admin, ctx))
        .collect();
    ok_paged(ctx, json!(list), total)
}

fn group_dto(st: &State, gi: usize, ctx: &Ctx, viewer_admin: bool, members: bool) -> Value {
    let g = &st.portal.groups[gi];
    let mut o = Map::new();
    o.insert("id".into(), json!(g.id));
    o.insert("name".into(), json!(g.name));
    o.insert("category".into(), json!(EMPTY_GUID));
    o.insert("isLDAP".into(), json!(false));
    if let Some(m) = g.manager {
        o.insert("manager".into(), employee_full(st, m, viewer_admin, ctx));
    }
    o.insert("membersCount".into(), json!(g.members.len()));
    if members {
        let mut list = g.members.clone();
        list.sort_by_key(|&i| st.portal.user_rank[i]);
        let list: Vec<Value> = list
            .iter()
            .map(|&i| employee_full(st, i, viewer_admin, ctx))
            .collect();
        o.insert("members".into(), json!(list));
    }
    Value::Object(o)
}

fn group_list(st: &State, ctx: &Ctx, p: &Principal) -> Response<Body> {
    let (start, count) = match paging(ctx) {
        Ok(x) => x,
        Err(e) => return invalid(ctx, &e),
    };
    let viewer = st.portal.users[p.user].role;
    if viewer == Role::Guest {
        return access_denied(
            Exc::Security,
            "ASC.People.Api.GroupController.GetGroupsAsync()",
        );
    }
    let needle = query_get(&ctx.query, "filterValue")
        .unwrap_or("")
        .trim()
        .to_lowercase();
    let it: Box<dyn Iterator<Item = &usize>> = if descending(ctx) {
        Box::new(st.portal.groups_sorted.iter().rev())
    } else {
        Box::new(st.portal.groups_sorted.iter())
    };
    let mut total = 0u64;
    let mut page = Vec::new();
    for &gi in it {
        if !needle.is_empty() && !st.portal.groups[gi].search_key.contains(&needle) {
            continue;
        }
        if total >= start as u64 && page.len() < count {
            page.push(gi);
        }
        total += 1;
    }
    let list: Vec<Value> = page
        .iter()
        .map(|&g| group_dto(st, g, ctx, viewer.is_admin(), false))
        .collect();
    ok_paged(ctx, json!(list), total)
}

fn group_one(st: &State, ctx: &Ctx, p: &Principal) -> Response<Body> {
    let viewer = st.portal.users[p.user].role;
    if viewer == Role::Guest {
        return access_denied(
            Exc::Security,
            "ASC.People.Api.GroupController.GetGroupAsync(Guid id)",
        );
    }
    let id = ctx.route.trim_start_matches("group/");
    let Some(gi) = st.portal.group(id) else {
        return error(
            404,
            "Group not found",
            Exc::ItemNotFound,
            "ASC.People.Api.GroupController.GetGroupAsync(Guid id)",
        );
    };
    let members = query_get(&ctx.query, "includeMembers")
        .is_some_and(|v| v.trim().eq_ignore_ascii_case("true"));
    ok(
        ctx,
        Some(group_dto(st, gi, ctx, viewer.is_admin(), members)),
    )
}

/// Applies a confirmed seed-profile change. Returns (summary, requester's
/// display name) or an error message.
pub fn apply_pending(st: &mut State, uid: &str, key: &str) -> Result<(String, String), String> {
    let Some(pos) = st.pending.iter().position(|p| p.key == key) else {
        return Err(
            "This confirmation link is unknown or has been replaced by a newer request.".into(),
        );
    };
    if st.pending[pos].used {
        return Err("This confirmation link has already been used.".into());
    }
    let p = st.pending[pos].clone();
    if !st.portal.users[p.confirmer].id.eq_ignore_ascii_case(uid) {
        return Err("This confirmation link does not belong to this user.".into());
    }
    st.pending[pos].used = true;
    let dto = TfaRequest {
        ty: Some(p.ty),
        id: None,
        trusted_ips: p.trusted_ips.clone(),
        mandatory_users: p.mandatory_users.clone(),
        mandatory_groups: p.mandatory_groups.clone(),
    };
    let summary = describe_change(st, p.ty, &dto);
    st.apply_tfa(p.ty, p.trusted_ips, p.mandatory_users, p.mandatory_groups);
    Ok((summary, st.portal.users[p.requested_by].display.clone()))
}
