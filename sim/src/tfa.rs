//! The TFA settings endpoints (§4): `settings/tfaapp`, `tfaappwithlink`,
//! `tfaapp/confirm` and `tfaappnewapp`. The seed profile's e-mailed
//! confirmation of a `tfaappwithlink` change is `pending`.

use axum::body::Body;
use axum::http::Response;
use serde_json::{json, Map, Value};

use crate::auth::{auth_cookie, Principal};
use crate::confirm::{app_confirm, confirm_data, with_confirm_cookie};
use crate::dto::parse_tfa_request;
use crate::envelope::{access_denied, error, Exc};
use crate::guid::EMPTY_GUID;
use crate::pending::seed_pending;
use crate::profile::Profile;
use crate::request::{invalid, match_failed, ok, Ctx, Out};
use crate::seed::UserTfa;
use crate::state::{State, TfaMethod, TfaType};
use crate::trail::USER_DISCONNECTED_TFA_APP;

const TFA_SITE: &str = "ASC.Web.Api.Controllers.Settings.TfaappController";

/// `new InvalidOperationException()`'s message: SMS without a provider on
/// 3.x (§10.7).
const DEFAULT_INVALID_OPERATION: &str =
    "Operation is not valid due to the current state of the object.";

const NO_PERMISSION: &str = "No permissions to perform this action";

pub fn get_tfa(st: &State, ctx: &Ctx) -> Response<Body> {
    let available_key = ctx.profile.available_key();
    let entry = |id: &str, title: &str, m: &TfaMethod, available: bool| {
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
        entry("sms", "By SMS", &st.sms, ctx.sms_available),
        entry("app", "By authenticator app", &st.app, true),
    ]);
    ok(ctx, Some(list))
}

fn not_available(profile: Profile, message: &str, site: &str) -> Response<Body> {
    if profile.not_available_is_405() {
        error(405, message, Exc::Custom, site)
    } else {
        error(403, message, Exc::InvalidOperation, site)
    }
}

/// SMS asked for while not available: 405 "SMS settings are not available"
/// (seed, next); on 3.x the missing provider is `new
/// InvalidOperationException()`, a 403 with .NET's default message (the
/// "not available" text comes only from the SaaS plan check, not simulated).
fn sms_not_available(profile: Profile, site: &str) -> Response<Body> {
    if profile.not_available_is_405() {
        not_available(profile, "SMS settings are not available", site)
    } else {
        error(403, DEFAULT_INVALID_OPERATION, Exc::InvalidOperation, site)
    }
}

pub fn put_tfa(st: &mut State, ctx: &Ctx, p: &Principal, with_link: bool) -> Out {
    let profile = ctx.profile;
    let dto = match parse_tfa_request(&ctx.body, profile.ip_check()) {
        Ok(d) => d,
        Err(e) => return Out::new(invalid(ctx, &e)),
    };
    let site = if with_link {
        format!("{TFA_SITE}.UpdateTfaSettingsLink(TfaRequestsDto inDto)")
    } else {
        format!("{TFA_SITE}.UpdateTfaSettingsAsync(TfaRequestsDto inDto)")
    };
    let caller = &st.portal.users[p.user];
    let owner_id = st.portal.users[st.portal.owner].id.clone();
    let id = dto.id.clone().unwrap_or_else(|| EMPTY_GUID.to_string());
    // The owner guard: `(id == owner || mandatoryUsers ∋ owner) && id !=
    // caller` from 3.7.1 on both PUTs; before, `id == owner` on withlink only.
    let guard_fails = id != caller.id
        && if profile.owner_guard_everywhere() {
            id == owner_id
                || dto
                    .mandatory_users
                    .as_ref()
                    .is_some_and(|m| m.contains(&owner_id))
        } else {
            with_link && id == owner_id
        };
    let no_permission = || Out::new(error(403, NO_PERMISSION, Exc::InvalidOperation, &site));
    if with_link && profile.withlink_guard_first() && guard_fails {
        return no_permission();
    }
    if !caller.role.is_admin() {
        return Out::new(access_denied(Exc::Authorizing, &site));
    }
    if guard_fails {
        return no_permission();
    }
    let ty = dto.ty();
    if ty == TfaType::Sms && !ctx.sms_available {
        return Out::new(sms_not_available(profile, &site));
    }
    if profile == Profile::Seed && with_link {
        return seed_pending(st, ctx, p, dto, &site);
    }
    let enabled = st.apply_tfa(
        ty,
        dto.trusted_ips,
        dto.mandatory_users,
        dto.mandatory_groups,
    );
    st.record_policy(p.user, ty, &ctx.client());
    if !with_link {
        return Out::new(ok(ctx, Some(json!(enabled))));
    }
    if !enabled {
        return Out::new(ok(ctx, Some(json!(""))));
    }
    match confirm_data(st, p.user, ctx) {
        Err(e) => Out::new(match_failed(e, &site)),
        Ok(None) if profile.exempt_withlink_fails() => Out::new(error(
            500,
            "Object reference not set to an instance of an object.",
            Exc::NullReference,
            &site,
        )),
        Ok(None) => Out::new(ok(ctx, Some(json!("")))),
        Ok(Some(data)) => with_confirm_cookie(Out::new(ok(ctx, Some(json!(data.url)))), &data),
    }
}

pub fn get_confirm(st: &State, ctx: &Ctx, p: &Principal) -> Out {
    let site = format!("{TFA_SITE}.GetTfaConfirmData()");
    let data = match confirm_data(st, p.user, ctx) {
        Err(e) => return Out::new(match_failed(e, &site)),
        Ok(d) => d,
    };
    let Some(data) = data else {
        // ≤3.6 answers "", 3.7+ null (omitted); the seed contract omits it.
        let v = (ctx.profile == Profile::V36).then(|| json!(""));
        return Out::new(ok(ctx, v));
    };
    let v = if ctx.profile.confirm_object() {
        let mut o = Map::new();
        o.insert("url".into(), json!(data.url));
        if let Some((n, v)) = &data.cookie {
            o.insert("cookieName".into(), json!(n));
            o.insert("cookieValue".into(), json!(v));
        }
        Value::Object(o)
    } else {
        json!(data.url)
    };
    with_confirm_cookie(Out::new(ok(ctx, Some(v))), &data)
}

pub fn put_new_app(st: &mut State, ctx: &Ctx, p: &Principal) -> Out {
    let profile = ctx.profile;
    let seed = profile == Profile::Seed;
    let dto = match parse_tfa_request(&ctx.body, profile.ip_check()) {
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
    let no_permission = || Out::new(error(403, NO_PERMISSION, Exc::InvalidOperation, &site));
    if seed && target.is_none() {
        return Out::new(access_denied(Exc::Security, &site));
    }
    // next: an unknown or empty id resolves to LostUser and is refused
    // before anything else.
    if profile.newapp_checks_lost_user() && target.is_none() {
        return no_permission();
    }
    let caller_role = st.portal.users[p.user].role;
    if !is_me && (!caller_role.is_admin() || p.user != st.portal.owner) {
        return no_permission();
    }
    match target {
        Some(t) if seed => seed_reset(st, ctx, p, t, dto.ty(), &site),
        Some(t) if st.portal.users[t].app_linked => app_reset(st, ctx, p, t, is_me),
        _ => Out::new(not_available(
            profile,
            "TFA application settings are not available",
            &site,
        )),
    }
}

/// Seed contract: resets the user's TFA to `ty` (None turns it off for
/// them), signs them out and mails them a sign-in link.
fn seed_reset(st: &mut State, ctx: &Ctx, p: &Principal, t: usize, ty: TfaType, site: &str) -> Out {
    if ty == TfaType::Sms && !ctx.sms_available {
        return Out::new(not_available(
            ctx.profile,
            "SMS settings are not available",
            site,
        ));
    }
    st.unlink_app(t);
    st.record(p.user, USER_DISCONNECTED_TFA_APP, Some(t), &ctx.client());
    let u = &mut st.portal.users[t];
    u.user_tfa = match ty {
        TfaType::None => UserTfa::Off,
        TfaType::Sms => UserTfa::Sms,
        TfaType::App => UserTfa::App,
    };
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
    st.mail_user(
        t,
        "Two-factor authentication reset",
        body,
        Some(login.clone()),
        "tfa-reset",
    );
    Out::new(ok(ctx, Some(json!(login))))
}

/// The real servers: unlinks the user's app and signs them out. Whoever
/// resets themselves gets a fresh session and the activation step; anyone
/// else is notified by mail.
fn app_reset(st: &mut State, ctx: &Ctx, p: &Principal, t: usize, is_me: bool) -> Out {
    st.unlink_app(t);
    // `UserDisconnectedTfaApp` by the caller, about the target.
    st.record(p.user, USER_DISCONNECTED_TFA_APP, Some(t), &ctx.client());
    if is_me {
        let (token, _) = st.new_session(p.user);
        let data = app_confirm(false, &st.portal.users[p.user].id, ctx);
        let out = Out::new(ok(ctx, Some(json!(data.url)))).cookie(auth_cookie(&token));
        return with_confirm_cookie(out, &data);
    }
    let body = format!(
        "The configuration of the authenticator app that you use to enter the {} portal has been reset.\n\nConfigure the authenticator app: {}/",
        ctx.origin, ctx.origin
    );
    st.mail_user(
        t,
        "ONLYOFFICE. Security notification",
        body,
        Some(format!("{}/", ctx.origin)),
        "tfa-reset",
    );
    Out::new(ok(ctx, Some(json!(""))))
}
