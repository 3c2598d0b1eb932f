//! The `docspace-next` profile (§8's "next" column): `available`, confirm
//! data like 3.7, 405 `CustomHttpException` for "not available", the 3.7
//! owner guard, `""` for an exempt caller, trusted IPs validated on write
//! with one `TrustedIps` error, and `tfaappnewapp` refusing unknown ids first.

mod common;
use common::*;

const TRUSTED_IPS_MESSAGE: &str =
    "The TrustedIps field must contain a valid IP address, IP range or CIDR block.";

#[tokio::test]
async fn settings_use_available_and_sms_is_off_by_default() {
    let s = sim(Profile::Next).await;
    assert!(!s.running.sms_available);
    assert_eq!(
        s.tfa_settings().await,
        json!([
            { "id": "sms", "title": "By SMS", "enabled": false, "available": false },
            { "id": "app", "title": "By authenticator app", "enabled": false, "available": true }
        ])
    );
}

#[tokio::test]
async fn withlink_applies_at_once_and_answers_empty_for_an_exempt_caller() {
    let s = sim(Profile::Next).await;
    let token = s.session("owner").await;
    let r = s
        .put(
            "settings/tfaappwithlink",
            &OWNER,
            json!({ "type": "app", "id": OWNER_ID }),
        )
        .await;
    let line = r.set_cookie_line("asc_confirm_key_TfaActivation").unwrap();
    assert!(
        line.contains("; HttpOnly") && line.contains("; SameSite=Strict"),
        "{line}"
    );
    assert_eq!(
        s.ok(r).await,
        format!(
            "{}/confirm/TfaActivation?type=TfaActivation&uid={OWNER_ID}",
            s.url
        )
    );
    assert_eq!(s.tfa_settings().await[1]["enabled"], true);
    assert!(s.outbox().await.is_empty(), "no e-mail");
    assert_empty(&s.get("people/@self", &Auth::Token(&token)).await, 401);
    // Exempt: the change is saved and the answer is "" (3.7 fails with 500).
    s.client_ip(Some("203.0.113.9")).await;
    let r = s
        .put(
            "settings/tfaappwithlink",
            &OWNER,
            json!({ "type": "app", "id": OWNER_ID, "trustedIps": ["203.0.113.0/24"] }),
        )
        .await;
    assert_eq!(s.ok(r).await, "");
    assert_eq!(
        s.tfa_settings().await[1]["trustedIps"],
        json!(["203.0.113.0/24"])
    );
    let r = s
        .put("settings/tfaappwithlink", &OWNER, json!({ "type": "none" }))
        .await;
    assert_eq!(s.ok(r).await, "");
}

#[tokio::test]
async fn confirm_data_is_an_object_or_omitted() {
    let s = sim(Profile::Next).await;
    let v = s.get("settings/tfaapp/confirm", &OWNER).await.json();
    assert!(v.get("response").is_none(), "{v}");
    assert_eq!(v["count"], 0);
    s.enable_app(&[]).await;
    let r = s.get("settings/tfaapp/confirm", &USER).await;
    let cookie = r.cookie("asc_confirm_key_TfaAuth").unwrap();
    assert_eq!(
        s.ok(r).await,
        json!({
            "url": format!("{}/confirm/TfaAuth?type=TfaAuth&uid={USER_PRIYA_ID}", s.url),
            "cookieName": "asc_confirm_key_TfaAuth",
            "cookieValue": cookie,
        })
    );
}

#[tokio::test]
async fn not_available_is_a_405_custom_http_exception() {
    let s = sim(Profile::Next).await;
    for path in ["settings/tfaapp", "settings/tfaappwithlink"] {
        let r = s
            .put(path, &OWNER, json!({ "type": "sms", "id": OWNER_ID }))
            .await;
        assert_error(&r, 405, "SMS settings are not available", None);
    }
    let r = s
        .put(
            "settings/tfaappnewapp",
            &OWNER,
            json!({ "id": USER_CHEN_ID }),
        )
        .await;
    assert_error(&r, 405, "TFA application settings are not available", None);
}

#[tokio::test]
async fn owner_guard_is_the_3_7_one() {
    let s = sim(Profile::Next).await;
    for path in ["settings/tfaapp", "settings/tfaappwithlink"] {
        for body in [
            json!({ "type": "app", "id": OWNER_ID }),
            json!({ "type": "app", "mandatoryUsers": [OWNER_ID] }),
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
            .put(path, &ROOMADMIN, json!({ "type": "app", "id": OWNER_ID }))
            .await;
        assert_error(
            &r,
            403,
            "Access denied",
            Some("ASC.Common.Security.Authorizing.AuthorizingException"),
        );
    }
}

#[tokio::test]
async fn malformed_trusted_ips_are_one_400_on_write() {
    let s = sim(Profile::Next).await;
    for path in [
        "settings/tfaapp",
        "settings/tfaappwithlink",
        "settings/tfaappnewapp",
    ] {
        for ips in [
            json!(["192.0.2.1", "not-an-ip", "999.999.999.999"]),
            json!([""]),
            json!(["192.0.2.0/64"]),
            json!(["-192.0.2.10"]),
        ] {
            // Model validation runs before any permission check.
            let body = json!({ "type": "app", "id": USER_PRIYA_ID, "trustedIps": ips });
            let r = s.put(path, &ROOMADMIN, body).await;
            assert_eq!(
                validation_keys(&r, &s.api(path), "PUT"),
                ["TrustedIps"],
                "{path} {ips}"
            );
            assert_eq!(
                r.json()["response"]["errors"]["TrustedIps"],
                json!([TRUSTED_IPS_MESSAGE])
            );
        }
    }
    assert_eq!(s.tfa_settings().await[1]["enabled"], false, "nothing saved");
    // What .NET parses is accepted and stored as sent.
    let ips = [
        " 192.0.2.1 - 192.0.2.20 ",
        "192.0.2.10/24",
        "010.0.0.1",
        "2001:db8::/32",
    ];
    s.enable_app(&ips).await;
    assert_eq!(s.tfa_settings().await[1]["trustedIps"], json!(ips));
}

#[tokio::test]
async fn newapp_refuses_an_unknown_or_empty_id_first_and_ignores_type() {
    let s = sim(Profile::Next).await;
    for (auth, body) in [
        (OWNER, json!({})),
        (
            OWNER,
            json!({ "id": "11111111-2222-4333-8444-555555555555" }),
        ),
        (
            ROOMADMIN,
            json!({ "id": "11111111-2222-4333-8444-555555555555" }),
        ),
        (
            USER,
            json!({ "id": "00000000-0000-0000-0000-000000000000" }),
        ),
    ] {
        let r = s.put("settings/tfaappnewapp", &auth, body).await;
        assert_error(
            &r,
            403,
            "No permissions to perform this action",
            Some("System.InvalidOperationException"),
        );
    }
    let r = s
        .put(
            "settings/tfaappnewapp",
            &OWNER,
            json!({ "id": USER_PRIYA_ID, "type": "sms" }),
        )
        .await;
    assert_eq!(s.ok(r).await, "");
    assert_eq!(s.outbox().await[0]["to"], "priya.patel@example.com");
}
