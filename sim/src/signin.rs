//! Signing in (`POST authentication`, §2): a session when TFA is not
//! required, else the SMS or authenticator-app step.

use serde_json::{json, Map, Value};

use crate::auth::auth_cookie;
use crate::clock::api_datetime;
use crate::confirm::{app_confirm, sms_confirm, with_confirm_cookie};
use crate::dto::parse_auth_request;
use crate::envelope::{error, Exc};
use crate::random::base32_secret;
use crate::request::{invalid, match_failed, ok, Ctx, Out};
use crate::seed::DEMO_PASSWORD;
use crate::state::{State, TfaType};

const SITE: &str =
    "ASC.Web.Api.Controllers.AuthenticationController.AuthenticateMeAsync(AuthRequestsDto inDto)";

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
    match st.tfa_required(user, &ctx.client_ip, ctx.matcher) {
        Err(e) => Out::new(match_failed(e, SITE)),
        Ok(Some(TfaType::Sms)) => {
            let u = &st.portal.users[user];
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
            o.insert("confirmUrl".into(), json!(sms_confirm(u, ctx).url));
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
