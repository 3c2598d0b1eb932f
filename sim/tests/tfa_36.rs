//! The `docspace-3.6` profile: immediate apply, `avaliable`, string confirm
//! data, `""` for an exempt caller, owner guard only on `withlink`'s `id`,
//! 403 for unavailable methods, malformed trusted IPs stored (BUG 82994).

mod common;
use common::*;

#[tokio::test]
async fn settings_use_the_avaliable_spelling_and_sms_is_off_by_default() {
    let s = sim(Profile::V36).await;
    assert_eq!(
        s.tfa_settings().await,
        json!([
            { "id": "sms", "title": "By SMS", "enabled": false, "avaliable": false },
            { "id": "app", "title": "By authenticator app", "enabled": false, "avaliable": true }
        ])
    );
}

#[tokio::test]
async fn withlink_applies_at_once_and_returns_the_activation_url_with_cookie() {
    let s = sim(Profile::V36).await;
    let r = s
        .put("settings/tfaappwithlink", &OWNER, json!({ "type": "app" }))
        .await;
    let line = r.set_cookie_line("asc_confirm_key_TfaActivation").unwrap();
    assert!(line.contains("; HttpOnly"), "{line}");
    assert_eq!(
        s.ok(r).await,
        format!(
            "{}/confirm/TfaActivation?type=TfaActivation&uid={OWNER_ID}",
            s.url
        )
    );
    assert_eq!(s.tfa_settings().await[1]["enabled"], true);
    assert!(s.outbox().await.is_empty(), "no e-mail when enabling");
    // A linked caller gets the TfaAuth variant.
    let r = s
        .put("settings/tfaappwithlink", &ADMIN, json!({ "type": "app" }))
        .await;
    assert!(r.cookie("asc_confirm_key_TfaAuth").is_some());
    assert_eq!(
        s.ok(r).await,
        format!("{}/confirm/TfaAuth?type=TfaAuth&uid={ADMIN_JANE_ID}", s.url)
    );
    // None answers "" and switches off.
    let r = s
        .put("settings/tfaappwithlink", &OWNER, json!({ "type": "none" }))
        .await;
    assert!(r.cookie("asc_confirm_key_TfaActivation").is_none());
    assert_eq!(s.ok(r).await, "");
    assert_eq!(s.tfa_settings().await[1]["enabled"], false);
}

#[tokio::test]
async fn withlink_answers_empty_when_the_caller_is_exempt() {
    let s = sim(Profile::V36).await;
    s.client_ip(Some("198.51.100.7")).await;
    let r = s
        .put(
            "settings/tfaappwithlink",
            &OWNER,
            json!({ "type": "app", "trustedIps": ["198.51.100.1-198.51.100.20"] }),
        )
        .await;
    assert_eq!(s.ok(r).await, "");
    assert_eq!(
        s.tfa_settings().await[1]["trustedIps"],
        json!(["198.51.100.1-198.51.100.20"])
    );
    // Mandatory users are never exempt.
    let r = s.put("settings/tfaappwithlink", &OWNER, json!({ "type": "app", "id": OWNER_ID, "trustedIps": ["198.51.100.7"], "mandatoryUsers": [OWNER_ID] })).await;
    assert!(s
        .ok(r)
        .await
        .as_str()
        .unwrap()
        .contains("/confirm/TfaActivation"));
}

#[tokio::test]
async fn owner_guard_is_only_on_withlink_id() {
    let s = sim(Profile::V36).await;
    let r = s
        .put(
            "settings/tfaappwithlink",
            &ADMIN,
            json!({ "type": "app", "id": OWNER_ID }),
        )
        .await;
    assert_error(
        &r,
        403,
        "No permissions to perform this action",
        Some("System.InvalidOperationException"),
    );
    let r = s
        .put(
            "settings/tfaappwithlink",
            &ADMIN,
            json!({ "type": "app", "mandatoryUsers": [OWNER_ID] }),
        )
        .await;
    assert_eq!(r.status, 200);
    let r = s
        .put(
            "settings/tfaapp",
            &ADMIN,
            json!({ "type": "app", "id": OWNER_ID, "mandatoryUsers": [OWNER_ID] }),
        )
        .await;
    assert_eq!(s.ok(r).await, true);
    let r = s
        .put(
            "settings/tfaappwithlink",
            &OWNER,
            json!({ "type": "app", "id": OWNER_ID }),
        )
        .await;
    assert_eq!(r.status, 200);
}

/// Without an SMS provider the server throws `new InvalidOperationException()`
/// (§10.7): .NET's default message, not "SMS settings are not available".
#[tokio::test]
async fn unavailable_sms_is_a_403_invalid_operation() {
    let s = sim(Profile::V36).await;
    for path in ["settings/tfaapp", "settings/tfaappwithlink"] {
        let r = s.put(path, &OWNER, json!({ "type": "sms" })).await;
        assert_error(
            &r,
            403,
            "Operation is not valid due to the current state of the object.",
            Some("System.InvalidOperationException"),
        );
        assert_eq!(r.json()["error"]["hresult"], -2146233079);
    }
}

#[tokio::test]
async fn confirm_is_a_string_or_empty() {
    let s = sim(Profile::V36).await;
    let v = s.get("settings/tfaapp/confirm", &OWNER).await.json();
    assert_eq!(v["response"], "");
    assert_eq!(v["count"], 1);
    s.ok(s
        .put("settings/tfaapp", &OWNER, json!({ "type": "app" }))
        .await)
        .await;
    let r = s.get("settings/tfaapp/confirm", &USER).await;
    assert!(r.cookie("asc_confirm_key_TfaAuth").is_some());
    assert_eq!(
        s.ok(r).await,
        format!("{}/confirm/TfaAuth?type=TfaAuth&uid={USER_PRIYA_ID}", s.url)
    );
}

#[tokio::test]
async fn sms_confirm_links_carry_the_key_in_the_url() {
    let mut c = Config::test().with_profile(Profile::V36);
    c.sms_available = Some(true);
    let s = sim_with(c).await;
    let r = s
        .put("settings/tfaappwithlink", &OWNER, json!({ "type": "sms" }))
        .await;
    assert!(r.headers_all("set-cookie").is_empty());
    let url = s.ok(r).await.as_str().unwrap().to_string();
    assert!(
        url.starts_with(&format!("{}/confirm/PhoneAuth?type=PhoneAuth&key=", s.url)),
        "{url}"
    );
    assert!(url.contains("&encemail="));
    // Sam has no phone yet: PhoneActivation.
    let url = s
        .ok(s.get("settings/tfaapp/confirm", &ROOMADMIN).await)
        .await;
    assert!(url.as_str().unwrap().starts_with(&format!(
        "{}/confirm/PhoneActivation?type=PhoneActivation&key=",
        s.url
    )));
    // SMS login: no token, a masked phone instead.
    let r = s
        .post(
            "authentication",
            &Auth::None,
            json!({ "userName": "alex.morgan@example.com", "password": DEMO_PASSWORD }),
        )
        .await;
    let v = s.ok(r).await;
    assert_eq!(v["sms"], true);
    assert_eq!(v["phoneNoise"], "+*******0001");
    assert!(v.get("token").is_none());
}

#[tokio::test]
async fn malformed_trusted_ips_are_stored_and_then_every_login_fails() {
    let s = sim(Profile::V36).await;
    let r = s
        .put(
            "settings/tfaapp",
            &OWNER,
            json!({ "type": "app", "trustedIps": ["not-an-ip", "999.999.999.999"] }),
        )
        .await;
    assert_eq!(s.ok(r).await, true);
    assert_eq!(
        s.tfa_settings().await[1]["trustedIps"],
        json!(["not-an-ip", "999.999.999.999"])
    );
    for user in ["alex.morgan@example.com", "gina.guest@example.com"] {
        let r = s
            .post(
                "authentication",
                &Auth::None,
                json!({ "userName": user, "password": DEMO_PASSWORD }),
            )
            .await;
        assert_error(
            &r,
            500,
            "An invalid IP address was specified.",
            Some("System.FormatException"),
        );
    }
    let r = s.get("settings/tfaapp/confirm", &OWNER).await;
    assert_eq!(r.status, 500);
    // API keys still work, so the portal can be repaired.
    assert_eq!(
        s.ok(s
            .put("settings/tfaapp", &OWNER, json!({ "type": "none" }))
            .await)
            .await,
        false
    );
    let r = s
        .post(
            "authentication",
            &Auth::None,
            json!({ "userName": "alex.morgan@example.com", "password": DEMO_PASSWORD }),
        )
        .await;
    assert!(s.ok(r).await["token"].is_string());
}

#[tokio::test]
async fn a_bad_entry_that_is_not_a_range_does_not_crash_login() {
    let s = sim(Profile::V36).await;
    s.ok(s
        .put(
            "settings/tfaapp",
            &OWNER,
            json!({ "type": "app", "trustedIps": ["999.999.999.999"] }),
        )
        .await)
        .await;
    let r = s
        .post(
            "authentication",
            &Auth::None,
            json!({ "userName": "alex.morgan@example.com", "password": DEMO_PASSWORD }),
        )
        .await;
    assert_eq!(s.ok(r).await["tfa"], true);
}

#[tokio::test]
async fn owner_resets_a_linked_user_and_the_user_is_notified() {
    let s = sim(Profile::V36).await;
    let r = s
        .put(
            "settings/tfaappnewapp",
            &OWNER,
            json!({ "id": ADMIN_JANE_ID }),
        )
        .await;
    assert_eq!(s.ok(r).await, "");
    let mail = s.outbox().await;
    assert_eq!(mail.len(), 1);
    assert_eq!(mail[0]["to"], "jane.oneil@example.com");
    assert_eq!(mail[0]["subject"], "ONLYOFFICE. Security notification");
    assert_eq!(mail[0]["kind"], "tfa-reset");
    assert!(mail[0]["body"]
        .as_str()
        .unwrap()
        .starts_with("The configuration of the authenticator app"));
    // No longer linked: a second reset is "not available".
    let r = s
        .put(
            "settings/tfaappnewapp",
            &OWNER,
            json!({ "id": ADMIN_JANE_ID }),
        )
        .await;
    assert_error(
        &r,
        403,
        "TFA application settings are not available",
        Some("System.InvalidOperationException"),
    );
}

#[tokio::test]
async fn newapp_checks_in_the_documented_order() {
    let s = sim(Profile::V36).await;
    // Not me and not owner.
    let r = s
        .put(
            "settings/tfaappnewapp",
            &ADMIN,
            json!({ "id": USER_PRIYA_ID }),
        )
        .await;
    assert_error(
        &r,
        403,
        "No permissions to perform this action",
        Some("System.InvalidOperationException"),
    );
    let r = s
        .put(
            "settings/tfaappnewapp",
            &ROOMADMIN,
            json!({ "id": USER_PRIYA_ID }),
        )
        .await;
    assert_error(
        &r,
        403,
        "No permissions to perform this action",
        Some("System.InvalidOperationException"),
    );
    // Target not linked, unknown, or the empty id.
    for id in [
        json!(USER_ZOE_ID),
        json!("11111111-2222-4333-8444-555555555555"),
    ] {
        let r = s
            .put("settings/tfaappnewapp", &OWNER, json!({ "id": id }))
            .await;
        assert_error(
            &r,
            403,
            "TFA application settings are not available",
            Some("System.InvalidOperationException"),
        );
    }
    let r = s.put("settings/tfaappnewapp", &OWNER, json!({})).await;
    assert_error(
        &r,
        403,
        "TFA application settings are not available",
        Some("System.InvalidOperationException"),
    );
    let r = s
        .put("settings/tfaappnewapp", &OWNER, json!({ "id": "" }))
        .await;
    assert_eq!(
        validation_keys_in(Profile::V36, &r, &s.api("settings/tfaappnewapp"), "PUT"),
        ["$.id"]
    );
    // Only id is used: type is ignored.
    let r = s
        .put(
            "settings/tfaappnewapp",
            &OWNER,
            json!({ "id": USER_MARTA_ID, "type": "sms" }),
        )
        .await;
    assert_eq!(s.ok(r).await, "");
}

#[tokio::test]
async fn resetting_yourself_returns_the_activation_url_and_a_new_session() {
    let s = sim(Profile::V36).await;
    let sam = s.session("roomadmin").await;
    let r = s
        .put(
            "settings/tfaappnewapp",
            &Auth::Token(&sam),
            json!({ "id": ROOMADMIN_SAM_ID }),
        )
        .await;
    let fresh = r.cookie("asc_auth_key").expect("re-authenticated");
    assert!(r.cookie("asc_confirm_key_TfaActivation").is_some());
    assert_eq!(
        s.ok(r).await,
        format!(
            "{}/confirm/TfaActivation?type=TfaActivation&uid={ROOMADMIN_SAM_ID}",
            s.url
        )
    );
    assert_empty(&s.get("people/@self", &Auth::Token(&sam)).await, 401);
    assert_eq!(s.self_status(&Auth::Cookie(&fresh)).await, 200);
    assert!(s.outbox().await.is_empty());
}
