//! The confirm step that TFA puts before a session (`GetTfaConfirmData`):
//! which `/confirm/...` link a user is sent to, and the confirm-key cookie
//! that goes with an authenticator-app link. `tfaapp/confirm`,
//! `tfaappwithlink`, `tfaappnewapp` and sign-in all answer with it.

use crate::clock::{ms_since_2010, now_ms};
use crate::encoding::{base64_encode, url_encode};
use crate::ipmatch::MatchError;
use crate::random::random_token;
use crate::request::{Ctx, Out};
use crate::seed::User;
use crate::state::{State, TfaType};

/// A confirm link and, for the authenticator app, its cookie (name, value).
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
        TfaType::Sms => sms_confirm(u, ctx),
        _ => app_confirm(u.app_linked, &u.id, ctx),
    }))
}

/// The SMS step: `PhoneAuth` for a user with a phone, `PhoneActivation`
/// without; the key travels in the link, so there is no cookie.
pub fn sms_confirm(u: &User, ctx: &Ctx) -> ConfirmData {
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
            url_encode(&base64_encode(u.email.as_bytes()))
        ),
        cookie: None,
    }
}

/// The authenticator-app step: `TfaAuth` for a linked app, `TfaActivation`
/// to link one.
pub fn app_confirm(linked: bool, uid: &str, ctx: &Ctx) -> ConfirmData {
    let kind = if linked { "TfaAuth" } else { "TfaActivation" };
    ConfirmData {
        url: format!("{}/confirm/{kind}?type={kind}&uid={uid}", ctx.origin),
        cookie: Some((format!("asc_confirm_key_{kind}"), confirm_key_value())),
    }
}

/// Adds the confirm-key cookie, if the step has one.
pub fn with_confirm_cookie(out: Out, data: &ConfirmData) -> Out {
    match &data.cookie {
        Some((name, value)) => out.cookie(confirm_cookie(name, value)),
        None => out,
    }
}

/// A confirm-key cookie (`asc_confirm_key_*`): HttpOnly and SameSite Strict,
/// `CookiesManager`'s default (§10.6).
fn confirm_cookie(name: &str, value: &str) -> String {
    format!("{name}={value}; Path=/; HttpOnly; SameSite=Strict")
}

/// A confirm-key value shaped like `EmailValidationKeyProvider`'s:
/// `{ms since 2010}.{hash}`.
fn confirm_key_value() -> String {
    format!("{}.{}", ms_since_2010(now_ms()), random_token(43))
}
