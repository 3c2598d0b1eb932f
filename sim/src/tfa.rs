//! The TFA settings endpoints (§4): `settings/tfaapp`, `tfaappwithlink`,
//! `tfaapp/confirm`, `tfaappnewapp`, and the seed profile's confirmation.

use axum::body::Body;
use axum::http::Response;
use serde_json::{json, Map, Value};

use crate::api::{invalid, match_failed, ok, Ctx, Out, Settings, TFA_SITE};
use crate::auth::{auth_cookie, confirm_cookie, Principal};
use crate::dto::{parse_tfa_request, TfaRequest};
use crate::envelope::{access_denied, error, Exc};
use crate::ipmatch::MatchError;
use crate::seed::UserTfa;
use crate::state::{confirm_key_value, Pending, Profile, State, TfaType};
use crate::util::{random_token, url_encode, EMPTY_GUID};

/// `new InvalidOperationException()`'s message: SMS without a provider on
/// 3.x (§10.7).
const DEFAULT_INVALID_OPERATION: &str =
    "Operation is not valid due to the current state of the object.";

const NO_PERMISSION: &str = "No permissions to perform this action";

pub fn get_tfa(settings: &Settings, st: &State, ctx: &Ctx) -> Response<Body> {
    let available_key = ctx.profile.available_key();
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

pub struct ConfirmData {
    pub url: String,
    pub cookie: Option<(String, String)>,
}

/// `GetTfaConfirmData` for `user`: None when TFA is not required for them.
pub fn confirm_data(st: &State, user: usize, ctx: &Ctx) -> Result<Option<ConfirmData>, MatchError> {
    let Some(ty) = st.tfa_required(user, &ctx.client_ip, ctx.matcher)? else {
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

pub fn app_confirm(linked: bool, uid: &str, ctx: &Ctx) -> ConfirmData {
    let kind = if linked { "TfaAuth" } else { "TfaActivation" };
    ConfirmData {
        url: format!("{}/confirm/{kind}?type={kind}&uid={uid}", ctx.origin),
        cookie: Some((format!("asc_confirm_key_{kind}"), confirm_key_value())),
    }
}

pub fn with_confirm_cookie(out: Out, data: &ConfirmData) -> Out {
    match &data.cookie {
        Some((name, value)) => out.cookie(confirm_cookie(name, value)),
        None => out,
    }
}

pub fn put_tfa(
    settings: &Settings,
    st: &mut State,
    ctx: &Ctx,
    p: &Principal,
    with_link: bool,
) -> Out {
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
    if ty == TfaType::Sms && !settings.sms_available {
        return Out::new(sms_not_available(profile, &site));
    }
    if profile == Profile::Seed && with_link {
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

pub fn put_new_app(settings: &Settings, st: &mut State, ctx: &Ctx, p: &Principal) -> Out {
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
    if seed {
        let Some(t) = target else {
            unreachable!("checked above")
        };
        let ty = dto.ty();
        if ty == TfaType::Sms && !settings.sms_available {
            return Out::new(not_available(
                profile,
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
            profile,
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
