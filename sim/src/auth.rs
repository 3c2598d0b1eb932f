//! Authentication (§2): who a request is (API keys, session tokens and the
//! `asc_auth_key` cookie, Basic) and what its scope lets it do. Signing in
//! (`POST authentication`) is `signin`.

use axum::http::{header, HeaderMap, Method};

use crate::encoding::base64_decode;
use crate::seed::{Role, DEMO_PASSWORD};
use crate::state::State;

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
pub enum Scope {
    /// `*:write` (cookie sessions, Basic, keys with `*`).
    Write,
    /// `*:read` only.
    Read,
}

pub struct Principal {
    pub user: usize,
    pub scope: Scope,
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

/// The `asc_auth_key` session cookie.
pub fn auth_cookie(token: &str) -> String {
    format!("asc_auth_key={token}; Path=/; HttpOnly; SameSite=Lax")
}

/// A bearer token the OAuth (JWT) handler would take: three dot-separated
/// parts. OAuth is not simulated, so such a token never authenticates.
fn looks_like_jwt(token: &str) -> bool {
    let parts: Vec<&str> = token.split('.').collect();
    parts.len() == 3 && parts.iter().all(|p| !p.is_empty())
}

fn api_key(st: &State, token: &str) -> Option<Principal> {
    let (_, role, read_only) = API_KEYS.iter().find(|(k, _, _)| *k == token)?;
    let user = st.resolve_as(role_name(*role))?;
    let scope = if *read_only {
        Scope::Read
    } else {
        Scope::Write
    };
    Some(Principal { user, scope })
}

/// What a request authenticates with, as `MultiAuthSchemes` chooses it.
enum Credential {
    /// `Basic base64(login:password)`.
    Basic(String, String),
    /// `Bearer sk-…` (or a bare `sk-…`).
    ApiKey(String),
    /// A session token from the cookie or the header.
    Session(String),
    /// A JWT (OAuth is not simulated) or an unreadable header.
    Refused,
}

/// Chooses the handler from the Authorization header like `MultiAuthSchemes`:
/// `Basic` and `Bearer sk-…` (API key) and a JWT have their own handlers;
/// anything else, and no header at all, goes to the cookie handler, which
/// reads the `asc_auth_key` cookie first and the header only without one
/// (§10.12: the cookie beats a bare or `Bearer` session token).
fn credential(headers: &HeaderMap) -> Option<Credential> {
    let cookie = cookie_value(headers, "asc_auth_key");
    let Some(auth) = headers.get(header::AUTHORIZATION) else {
        return cookie.map(Credential::Session);
    };
    let Ok(auth) = auth.to_str().map(str::trim) else {
        return Some(Credential::Refused);
    };
    let (scheme, rest) = auth.split_once(' ').unwrap_or(("", auth));
    if scheme.eq_ignore_ascii_case("basic") {
        let raw = base64_decode(rest).and_then(|b| String::from_utf8(b).ok());
        return Some(match raw.as_deref().and_then(|r| r.split_once(':')) {
            Some((login, password)) => Credential::Basic(login.to_string(), password.to_string()),
            None => Credential::Refused,
        });
    }
    let bearer = scheme.eq_ignore_ascii_case("bearer");
    let token = if bearer { rest.trim() } else { auth };
    if bearer && token.starts_with("sk-") {
        return Some(Credential::ApiKey(token.to_string()));
    }
    if bearer && looks_like_jwt(token) {
        return Some(Credential::Refused);
    }
    if let Some(cookie) = cookie {
        return Some(Credential::Session(cookie));
    }
    // A bare `sk-…` key without `Bearer` is accepted too (a convenience the
    // simulator always had).
    if token.starts_with("sk-") {
        return Some(Credential::ApiKey(token.to_string()));
    }
    Some(Credential::Session(token.to_string()))
}

/// The key under which an ended API key is remembered.
fn ended_key(key: &str) -> String {
    format!("key:{key}")
}

/// The key under which an ended Basic login is remembered.
fn ended_basic(user: usize) -> String {
    format!("basic:{user}")
}

/// Who the request is, if its credential is valid and has not been ended.
pub fn authenticate(st: &State, headers: &HeaderMap) -> Option<Principal> {
    match credential(headers)? {
        Credential::Basic(login, password) => {
            let user = st.portal.user_by_login(&login)?;
            let valid =
                password == DEMO_PASSWORD && !st.ended_credentials.contains(&ended_basic(user));
            valid.then_some(Principal {
                user,
                scope: Scope::Write,
            })
        }
        Credential::ApiKey(key) if st.ended_credentials.contains(&ended_key(&key)) => None,
        Credential::ApiKey(key) => api_key(st, &key),
        Credential::Session(token) => st.session_user(&token).map(|user| Principal {
            user,
            scope: Scope::Write,
        }),
        Credential::Refused => None,
    }
}

/// Ends the credential a request carries (a `sessionEnded` fault): a
/// session is removed, an API key or a Basic login stops working until
/// `reset` (or `DELETE /sim/control/fault`).
pub fn end_credential(st: &mut State, headers: &HeaderMap) {
    match credential(headers) {
        Some(Credential::Session(token)) => {
            st.sessions.remove(&token);
        }
        Some(Credential::ApiKey(key)) => {
            st.ended_credentials.insert(ended_key(&key));
        }
        Some(Credential::Basic(login, _)) => {
            if let Some(user) = st.portal.user_by_login(&login) {
                st.ended_credentials.insert(ended_basic(user));
            }
        }
        Some(Credential::Refused) | None => {}
    }
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

/// `*:write` grants everything; `*:read` passes every GET (§10.9: the
/// global scopes are accepted by the settings, people and group policies).
pub fn scope_allows(scope: Scope, method: &Method) -> bool {
    scope == Scope::Write || method == Method::GET
}
