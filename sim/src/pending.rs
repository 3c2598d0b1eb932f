//! The seed contract's confirmation (§4): `tfaappwithlink` does not apply a
//! change but holds it and e-mails a one-time link to the confirming
//! administrator; opening the link (`/confirm/TfaActivation?...&key=`)
//! applies it.

use serde_json::json;

use crate::auth::Principal;
use crate::dto::TfaRequest;
use crate::envelope::{error, Exc};
use crate::guid::EMPTY_GUID;
use crate::random::random_token;
use crate::request::{invalid, ok, Ctx, Out};
use crate::state::{Pending, State, TfaType};
use crate::trail::Client;

/// The change in words, for the e-mail and the confirm page.
fn describe_change(st: &State, ty: TfaType, dto: &TfaRequest) -> String {
    let method = match ty {
        TfaType::None => return "turn two-factor authentication off (trusted IPs and mandatory lists are cleared)".into(),
        TfaType::Sms => "by SMS",
        TfaType::App => "by authenticator app",
    };
    let user = |id: &str| {
        st.portal
            .user(id)
            .map(|i| st.portal.users[i].display.clone())
    };
    let group = |id: &str| {
        st.portal
            .group(id)
            .map(|i| st.portal.groups[i].name.clone())
    };
    format!(
        "turn on two-factor authentication {method}; trusted IPs: {}; mandatory users: {}; mandatory groups: {}",
        named(&dto.trusted_ips, |_| None),
        named(&dto.mandatory_users, user),
        named(&dto.mandatory_groups, group)
    )
}

/// The entries, each by its name where `name` knows one, joined with
/// commas; "none" for an empty or missing list.
fn named(ids: &Option<Vec<String>>, name: impl Fn(&str) -> Option<String>) -> String {
    let names: Vec<String> = ids
        .iter()
        .flatten()
        .map(|id| name(id).unwrap_or_else(|| id.clone()))
        .collect();
    if names.is_empty() {
        "none".to_string()
    } else {
        names.join(", ")
    }
}

/// Seed contract: hold the change and e-mail a one-time link to the
/// confirming administrator named by `id`. `site` is the caller's frame for
/// the exception's stack.
pub fn seed_pending(st: &mut State, ctx: &Ctx, p: &Principal, dto: TfaRequest, site: &str) -> Out {
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
            site,
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
    let body = format!(
        "{requester} asked to change the two-factor authentication settings of the portal {}: {summary}.\n\nThe change is not applied until you open this link: {link}\n\nIf you did not expect this request, ignore this message.",
        ctx.origin
    );
    st.mail_user(
        confirmer,
        "Confirm the two-factor authentication change",
        body,
        Some(link.clone()),
        "tfa-confirm",
    );
    Out::new(ok(ctx, Some(json!(link))))
}

/// Applies a confirmed seed-profile change, recording it in the audit trail
/// as done by the confirming administrator from `client`. Returns (summary,
/// requester's display name) or an error message.
pub fn apply_pending(
    st: &mut State,
    uid: &str,
    key: &str,
    client: &Client,
) -> Result<(String, String), String> {
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
    st.record_policy(p.confirmer, p.ty, client);
    Ok((summary, st.portal.users[p.requested_by].display.clone()))
}
