//! The `docspace-3.7` profile: `available`, `{url, cookieName, cookieValue}`
//! confirm data, the 500 NullReferenceException for an exempt caller, the
//! owner guard on both PUTs, 403 for unavailable methods.

mod common;
use common::*;

#[tokio::test]
async fn settings_use_the_available_spelling() {
    let s = sim(Profile::V37).await;
    assert_eq!(
        s.tfa_settings().await,
        json!([
            { "id": "sms", "title": "By SMS", "enabled": false, "available": false },
            { "id": "app", "title": "By authenticator app", "enabled": false, "available": true }
        ])
    );
}

#[tokio::test]
async fn withlink_applies_and_returns_the_url() {
    let s = sim(Profile::V37).await;
    let r = s
        .put(
            "settings/tfaappwithlink",
            &OWNER,
            json!({ "type": "App", "id": OWNER_ID, "trustedIps": ["999.999.999.999"] }),
        )
        .await;
    assert!(r.cookie("asc_confirm_key_TfaActivation").is_some());
    assert_eq!(
        s.ok(r).await,
        format!(
            "{}/confirm/TfaActivation?type=TfaActivation&uid={OWNER_ID}",
            s.url
        )
    );
    let app = &s.tfa_settings().await[1];
    assert_eq!(app["enabled"], true);
    assert_eq!(app["trustedIps"], json!(["999.999.999.999"]));
    // A malformed range is stored, then the confirm step itself trips on it.
    let r = s
        .put(
            "settings/tfaappwithlink",
            &OWNER,
            json!({ "type": "app", "id": OWNER_ID, "trustedIps": ["not-an-ip"] }),
        )
        .await;
    assert_error(
        &r,
        500,
        "An invalid IP address was specified.",
        Some("System.FormatException"),
    );
    assert_eq!(
        s.tfa_settings().await[1]["trustedIps"],
        json!(["not-an-ip"])
    );
    let r = s
        .put("settings/tfaappwithlink", &OWNER, json!({ "type": 0 }))
        .await;
    assert_eq!(s.ok(r).await, "");
}

#[tokio::test]
async fn exempt_caller_gets_a_500_after_the_save_and_the_logout() {
    let s = sim(Profile::V37).await;
    let token = s.session("owner").await;
    s.client_ip(Some("203.0.113.9")).await;
    let r = s
        .put(
            "settings/tfaappwithlink",
            &Auth::Token(&token),
            json!({ "type": "app", "id": OWNER_ID, "trustedIps": ["203.0.113.0/24"] }),
        )
        .await;
    assert_error(
        &r,
        500,
        "Object reference not set to an instance of an object.",
        Some("System.NullReferenceException"),
    );
    assert_eq!(r.json()["error"]["hresult"], -2147467261);
    assert_eq!(
        s.tfa_settings().await[1]["trustedIps"],
        json!(["203.0.113.0/24"])
    );
    assert_empty(&s.get("people/@self", &Auth::Token(&token)).await, 401);
    // From another address the caller is not exempt.
    s.client_ip(Some("192.0.2.1")).await;
    let r = s
        .put(
            "settings/tfaappwithlink",
            &OWNER,
            json!({ "type": "app", "id": OWNER_ID, "trustedIps": ["203.0.113.0/24"] }),
        )
        .await;
    assert_eq!(r.status, 200);
}

#[tokio::test]
async fn owner_guard_applies_to_both_puts_and_mandatory_users() {
    let s = sim(Profile::V37).await;
    for path in ["settings/tfaapp", "settings/tfaappwithlink"] {
        for body in [
            json!({ "type": "app", "id": OWNER_ID }),
            json!({ "type": "app", "mandatoryUsers": [OWNER_ID] }),
            json!({ "type": "none", "id": OWNER_ID }),
        ] {
            let r = s.put(path, &ADMIN, body).await;
            assert_error(
                &r,
                403,
                "No permissions to perform this action",
                Some("System.InvalidOperationException"),
            );
        }
        let r = s
            .put(
                path,
                &OWNER,
                json!({ "type": "app", "mandatoryUsers": [OWNER_ID] }),
            )
            .await;
        assert_eq!(r.status, 403, "omitting id gets the owner a 403 too");
    }
    let r = s
        .put(
            "settings/tfaapp",
            &OWNER,
            json!({ "type": "app", "id": OWNER_ID, "mandatoryUsers": [OWNER_ID] }),
        )
        .await;
    assert_eq!(s.ok(r).await, true);
    assert_eq!(
        s.tfa_settings().await[1]["mandatoryUsers"],
        json!([OWNER_ID])
    );
}

#[tokio::test]
async fn confirm_data_is_an_object_or_omitted() {
    let s = sim(Profile::V37).await;
    let v = s.get("settings/tfaapp/confirm", &OWNER).await.json();
    assert!(v.get("response").is_none());
    assert_eq!(v["count"], 0);
    s.ok(s
        .put(
            "settings/tfaapp",
            &OWNER,
            json!({ "type": "app", "id": OWNER_ID }),
        )
        .await)
        .await;
    let r = s.get("settings/tfaapp/confirm", &ADMIN).await;
    let cookie = r.cookie("asc_confirm_key_TfaAuth").unwrap();
    let v = s.ok(r).await;
    assert_eq!(
        v,
        json!({
            "url": format!("{}/confirm/TfaAuth?type=TfaAuth&uid={ADMIN_JANE_ID}", s.url),
            "cookieName": "asc_confirm_key_TfaAuth",
            "cookieValue": cookie,
        })
    );
}

#[tokio::test]
async fn not_available_errors_are_403() {
    let s = sim(Profile::V37).await;
    let r = s
        .put(
            "settings/tfaappwithlink",
            &OWNER,
            json!({ "type": "sms", "id": OWNER_ID }),
        )
        .await;
    assert_error(
        &r,
        403,
        "Operation is not valid due to the current state of the object.",
        Some("System.InvalidOperationException"),
    );
    let r = s
        .put(
            "settings/tfaappnewapp",
            &OWNER,
            json!({ "id": USER_CHEN_ID }),
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
async fn sms_can_be_made_available() {
    let mut c = Config::test().with_profile(Profile::V37);
    c.sms_available = Some(true);
    let s = sim_with(c).await;
    assert_eq!(s.tfa_settings().await[0]["available"], true);
    let r = s
        .put(
            "settings/tfaapp",
            &OWNER,
            json!({ "type": "sms", "id": OWNER_ID }),
        )
        .await;
    assert_eq!(s.ok(r).await, true);
    // SMS confirm data has only a url.
    let v = s.ok(s.get("settings/tfaapp/confirm", &OWNER).await).await;
    let keys: Vec<&String> = v.as_object().unwrap().keys().collect();
    assert_eq!(keys, ["url"]);
}

#[tokio::test]
async fn malformed_trusted_ip_locks_out_login_but_mandatory_users_skip_matching() {
    let s = sim(Profile::V37).await;
    let body = json!({ "type": "app", "id": OWNER_ID, "trustedIps": ["10.0.0.1-nope"], "mandatoryUsers": [OWNER_ID] });
    s.ok(s.put("settings/tfaapp", &OWNER, body).await).await;
    let login = |user: &'static str| json!({ "userName": user, "password": DEMO_PASSWORD });
    let r = s
        .post(
            "authentication",
            &Auth::None,
            login("jane.oneil@example.com"),
        )
        .await;
    assert_error(
        &r,
        500,
        "An invalid IP address was specified.",
        Some("System.FormatException"),
    );
    // The owner is mandatory: the IP list is never consulted.
    let r = s
        .post(
            "authentication",
            &Auth::None,
            login("alex.morgan@example.com"),
        )
        .await;
    assert_eq!(s.ok(r).await["tfa"], true);
}

#[tokio::test]
async fn trusted_ip_exempts_login_unless_the_user_is_in_a_mandatory_group() {
    let s = sim(Profile::V37).await;
    let body = json!({ "type": "app", "id": OWNER_ID, "trustedIps": ["192.0.2.10"], "mandatoryGroups": [GROUP_FINANCE_ID] });
    s.ok(s.put("settings/tfaapp", &OWNER, body).await).await;
    s.client_ip(Some("192.0.2.10")).await;
    let login = |user: &'static str| json!({ "userName": user, "password": DEMO_PASSWORD });
    let v = s
        .ok(s
            .post(
                "authentication",
                &Auth::None,
                login("sam.rivera@example.com"),
            )
            .await)
        .await;
    assert!(v["token"].is_string(), "{v}");
    let v = s
        .ok(s
            .post(
                "authentication",
                &Auth::None,
                login("priya.patel@example.com"),
            )
            .await)
        .await;
    assert_eq!(v["tfa"], true, "Priya is in Finance");
    s.client_ip(None).await;
    let v = s
        .ok(s
            .post(
                "authentication",
                &Auth::None,
                login("sam.rivera@example.com"),
            )
            .await)
        .await;
    assert_eq!(v["tfa"], true);
}

#[tokio::test]
async fn owner_resets_others_and_admins_cannot() {
    let s = sim(Profile::V37).await;
    let r = s
        .put(
            "settings/tfaappnewapp",
            &ADMIN,
            json!({ "id": USER_MARTA_ID }),
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
            &OWNER,
            json!({ "id": USER_MARTA_ID }),
        )
        .await;
    assert_eq!(s.ok(r).await, "");
    assert_eq!(s.outbox().await[0]["to"], "marta.kowalski@example.com");
    // A user may reset their own linked app.
    let r = s
        .put(
            "settings/tfaappnewapp",
            &USER,
            json!({ "id": USER_PRIYA_ID }),
        )
        .await;
    assert!(s
        .ok(r)
        .await
        .as_str()
        .unwrap()
        .ends_with(&format!("uid={USER_PRIYA_ID}")));
}
