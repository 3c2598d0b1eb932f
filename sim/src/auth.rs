//! Authentication (§2): API keys, sessions, Basic, scopes, and sign-in
//! (`POST authentication`).

use axum::http::{header, HeaderMap};
use serde_json::{json, Map, Value};

use crate::api::{invalid, ok, Ctx, Out};
use crate::dto::parse_auth_request;
use crate::envelope::{error, Exc};
use crate::seed::{Role, DEMO_PASSWORD};
use crate::state::{confirm_key_value, State, TfaType};
use crate::tfa::{app_confirm, with_confirm_cookie};
use crate::util::{api_datetime, base64_decode, url_encode};

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

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Need {
    SettingsRead,
    SettingsWrite,
    AccountsSelf,
    Accounts,
    Groups,
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

/// A confirm-key cookie (`asc_confirm_key_*`).
pub fn confirm_cookie(name: &str, value: &str) -> String {
    format!("{name}={value}; Path=/; HttpOnly; SameSite=Lax")
}

/// Chooses the handler from the Authorization header like `MultiAuthSchemes`.
pub fn authenticate(st: &State, headers: &HeaderMap) -> Option<Principal> {
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
pub fn scope_allows(scope: Scope, need: Need) -> bool {
    match scope {
        Scope::Write => true,
        Scope::Read => need == Need::SettingsRead,
    }
}
pub fn post_authentication(st: &mut State, ctx: &Ctx) -> Out {
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
