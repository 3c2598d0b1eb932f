//! The `seed` profile: the contract the panel was specified from. Trusted-IP
//! validation on write, 405 for unavailable methods, and `tfaappwithlink`
//! holding the change until the e-mailed link is opened.

mod common;
use common::*;
use reqwest::Method;

fn link_prefix(s: &Sim, uid: &str) -> String {
    format!(
        "{}/confirm/TfaActivation?type=TfaActivation&uid={uid}&key=",
        s.url
    )
}

#[tokio::test]
async fn initial_settings_list_sms_then_app_without_lists() {
    let s = sim(Profile::Seed).await;
    assert_eq!(
        s.tfa_settings().await,
        json!([
            { "id": "sms", "title": "By SMS", "enabled": false, "available": true },
            { "id": "app", "title": "By authenticator app", "enabled": false, "available": true }
        ])
    );
    let mut c = Config::test();
    c.sms_available = Some(false);
    let s = sim_with(c).await;
    assert_eq!(s.tfa_settings().await[0]["available"], false);
}

#[tokio::test]
async fn withlink_holds_the_change_until_the_mailed_link_is_opened() {
    let s = sim(Profile::Seed).await;
    let session = s.session("owner").await;
    let body = json!({
        "type": "App", "id": OWNER_ID,
        "trustedIps": [" 192.0.2.0/24 ", "198.51.100.1-198.51.100.20", "2001:db8::1"],
        "mandatoryUsers": [USER_PRIYA_ID], "mandatoryGroups": [GROUP_FINANCE_ID]
    });
    let r = s
        .put("settings/tfaappwithlink", &Auth::Token(&session), body)
        .await;
    let link = s.ok(r).await.as_str().unwrap().to_string();
    let prefix = link_prefix(&s, OWNER_ID);
    assert!(link.starts_with(&prefix), "{link}");
    assert_eq!(link.len(), prefix.len() + 32);

    // Pending: nothing applied, sessions still valid.
    assert_eq!(s.tfa_settings().await[1]["enabled"], false);
    assert_eq!(s.self_status(&Auth::Token(&session)).await, 200);

    let mail = s.outbox().await;
    assert_eq!(mail.len(), 1);
    assert_eq!(mail[0]["to"], "alex.morgan@example.com");
    assert_eq!(mail[0]["kind"], "tfa-confirm");
    assert_eq!(mail[0]["link"], link.as_str());
    assert_eq!(mail[0]["id"], 1);
    assert_eq!(
        mail[0]["subject"],
        "Confirm the two-factor authentication change"
    );
    assert!(mail[0]["body"].as_str().unwrap().contains("192.0.2.0/24"));
    assert!(mail[0]["createdAt"].as_str().unwrap().ends_with('Z'));

    let path = link.strip_prefix(&s.url).unwrap();
    let page = s.page(path).await;
    assert_eq!(page.status, 200);
    assert!(page
        .header("content-type")
        .unwrap()
        .starts_with("text/html"));
    assert!(
        page.text
            .contains("Two-factor authentication settings applied"),
        "{}",
        page.text
    );

    assert_eq!(
        s.tfa_settings().await[1],
        json!({
            "id": "app", "title": "By authenticator app", "enabled": true, "available": true,
            "trustedIps": ["192.0.2.0/24", "198.51.100.1-198.51.100.20", "2001:db8::1"],
            "mandatoryUsers": [USER_PRIYA_ID], "mandatoryGroups": [GROUP_FINANCE_ID]
        })
    );
    // Enabling logged every session out.
    assert_empty(&s.get("people/@self", &Auth::Token(&session)).await, 401);
    // A used link is refused.
    let again = s.page(path).await;
    assert_eq!(again.status, 400);
    assert!(again.text.contains("already been used"));
}

#[tokio::test]
async fn a_newer_request_replaces_the_older_link() {
    let s = sim(Profile::Seed).await;
    let first = s
        .ok(s
            .put(
                "settings/tfaappwithlink",
                &OWNER,
                json!({ "type": "app", "id": OWNER_ID }),
            )
            .await)
        .await;
    let second = s
        .ok(s
            .put(
                "settings/tfaappwithlink",
                &OWNER,
                json!({ "type": "none", "id": OWNER_ID }),
            )
            .await)
        .await;
    let first = first
        .as_str()
        .unwrap()
        .strip_prefix(&s.url)
        .unwrap()
        .to_string();
    let second = second
        .as_str()
        .unwrap()
        .strip_prefix(&s.url)
        .unwrap()
        .to_string();
    assert_eq!(s.page(&first).await.status, 400);
    assert_eq!(s.page(&second).await.status, 200);
    assert_eq!(s.outbox().await.len(), 2);
}

#[tokio::test]
async fn a_link_with_a_wrong_uid_or_key_is_refused() {
    let s = sim(Profile::Seed).await;
    let link = s
        .ok(s
            .put(
                "settings/tfaappwithlink",
                &ADMIN,
                json!({ "type": "app", "id": ADMIN_JANE_ID }),
            )
            .await)
        .await;
    let link = link.as_str().unwrap().to_string();
    let key = link.rsplit("key=").next().unwrap();
    let wrong_uid = format!("/confirm/TfaActivation?type=TfaActivation&uid={OWNER_ID}&key={key}");
    assert_eq!(s.page(&wrong_uid).await.status, 400);
    let wrong_key =
        format!("/confirm/TfaActivation?type=TfaActivation&uid={ADMIN_JANE_ID}&key=nope");
    let r = s.page(&wrong_key).await;
    assert_eq!(r.status, 400);
    assert!(r.text.contains("unknown"));
    assert_eq!(s.tfa_settings().await[1]["enabled"], false);
    // The admin confirmed for themselves: the mail went to Jane.
    assert_eq!(s.outbox().await[0]["to"], "jane.oneil@example.com");
}

#[tokio::test]
async fn withlink_needs_an_administrator_to_confirm() {
    let s = sim(Profile::Seed).await;
    let href = s.api("settings/tfaappwithlink");
    let r = s
        .put("settings/tfaappwithlink", &OWNER, json!({ "type": "app" }))
        .await;
    assert_eq!(validation_keys(&r, &href, "PUT"), ["$.id"]);
    let r = s
        .put(
            "settings/tfaappwithlink",
            &OWNER,
            json!({ "type": "app", "id": "00000000-0000-0000-0000-000000000000" }),
        )
        .await;
    assert_eq!(validation_keys(&r, &href, "PUT"), ["$.id"]);
    let r = s
        .put(
            "settings/tfaappwithlink",
            &OWNER,
            json!({ "type": "app", "id": "11111111-2222-4333-8444-555555555555" }),
        )
        .await;
    assert_eq!(validation_keys(&r, &href, "PUT"), ["$.id"]);
    let r = s
        .put(
            "settings/tfaappwithlink",
            &OWNER,
            json!({ "type": "app", "id": USER_PRIYA_ID }),
        )
        .await;
    assert_error(
        &r,
        403,
        "The confirming user must be the portal owner or a DocSpace administrator.",
        Some("System.InvalidOperationException"),
    );
    let r = s
        .put(
            "settings/tfaappwithlink",
            &OWNER,
            json!({ "type": "app", "id": ADMIN_RAVI_ID }),
        )
        .await;
    assert!(s
        .ok(r)
        .await
        .as_str()
        .unwrap()
        .starts_with(&link_prefix(&s, ADMIN_RAVI_ID)));
    assert!(s
        .outbox()
        .await
        .iter()
        .all(|m| m["to"] == "ravi.admin@example.com"));
}

#[tokio::test]
async fn owner_guard_covers_id_and_mandatory_users_in_both_puts() {
    let s = sim(Profile::Seed).await;
    for path in ["settings/tfaapp", "settings/tfaappwithlink"] {
        let r = s
            .put(path, &ADMIN, json!({ "type": "app", "id": OWNER_ID }))
            .await;
        assert_error(
            &r,
            403,
            "No permissions to perform this action",
            Some("System.InvalidOperationException"),
        );
        let r = s
            .put(
                path,
                &ADMIN,
                json!({ "type": "app", "mandatoryUsers": [OWNER_ID] }),
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
                path,
                &OWNER,
                json!({ "type": "app", "mandatoryUsers": [OWNER_ID] }),
            )
            .await;
        assert_eq!(r.status, 403, "the owner must send their own id too");
    }
    // The real condition is `(id == owner || mandatoryUsers ∋ owner) && id != caller`,
    // so an admin who sends their own id passes it.
    let r = s
        .put(
            "settings/tfaapp",
            &ADMIN,
            json!({ "type": "app", "id": ADMIN_JANE_ID, "mandatoryUsers": [OWNER_ID] }),
        )
        .await;
    assert_eq!(s.ok(r).await, true);
    let r = s
        .put(
            "settings/tfaapp",
            &OWNER,
            json!({ "type": "app", "id": OWNER_ID, "mandatoryUsers": [OWNER_ID] }),
        )
        .await;
    assert_eq!(s.ok(r).await, true);
}

#[tokio::test]
async fn malformed_trusted_ips_are_rejected_on_write() {
    let s = sim(Profile::Seed).await;
    let body = json!({ "type": "app", "id": OWNER_ID, "trustedIps": ["192.0.2.10", "not-an-ip", " ", "10.0.0.0/33", "999.999.999.999"] });
    for path in ["settings/tfaapp", "settings/tfaappwithlink"] {
        let r = s.put(path, &OWNER, body.clone()).await;
        let keys = validation_keys(&r, &s.api(path), "PUT");
        assert_eq!(
            keys,
            [
                "$.trustedIps[1]",
                "$.trustedIps[2]",
                "$.trustedIps[3]",
                "$.trustedIps[4]"
            ]
        );
        assert_eq!(
            r.json()["response"]["errors"]["$.trustedIps[1]"],
            json!([
                "The TrustedIps field must contain a valid IP address, IP range or CIDR block."
            ])
        );
    }
    assert_eq!(s.tfa_settings().await[1]["enabled"], false);
    assert!(s.outbox().await.is_empty());
}

#[tokio::test]
async fn validation_runs_before_the_permission_check() {
    let s = sim(Profile::Seed).await;
    let r = s
        .put(
            "settings/tfaapp",
            &GUEST,
            json!({ "type": "app", "trustedIps": ["bad"] }),
        )
        .await;
    assert_eq!(r.status, 400);
    let r = s
        .put(
            "settings/tfaapp",
            &GUEST,
            json!({ "type": "app", "trustedIps": ["192.0.2.1"] }),
        )
        .await;
    assert_eq!(r.status, 403);
}

#[tokio::test]
async fn direct_put_applies_at_once_replacing_and_wiping_lists() {
    let s = sim(Profile::Seed).await;
    let r = s.put("settings/tfaapp", &OWNER, json!({ "type": 2, "id": OWNER_ID, "trustedIps": ["192.0.2.10"], "mandatoryGroups": [GROUP_RND_ID] })).await;
    assert_eq!(s.ok(r).await, true);
    let app = &s.tfa_settings().await[1];
    assert_eq!(app["trustedIps"], json!(["192.0.2.10"]));
    assert_eq!(app["mandatoryUsers"], json!([]));
    assert_eq!(app["mandatoryGroups"], json!([GROUP_RND_ID]));
    // Enabling again replaces, it does not merge.
    s.ok(s
        .put(
            "settings/tfaapp",
            &OWNER,
            json!({ "type": "app", "id": OWNER_ID }),
        )
        .await)
        .await;
    let app = &s.tfa_settings().await[1];
    assert_eq!(app["trustedIps"], json!([]));
    assert_eq!(app["mandatoryGroups"], json!([]));
    // SMS switches the app off and wipes its lists.
    s.ok(s
        .put(
            "settings/tfaapp",
            &OWNER,
            json!({ "type": "sms", "id": OWNER_ID, "trustedIps": ["192.0.2.11"] }),
        )
        .await)
        .await;
    let v = s.tfa_settings().await;
    assert_eq!(v[0]["enabled"], true);
    assert_eq!(v[0]["trustedIps"], json!(["192.0.2.11"]));
    assert_eq!(
        v[1],
        json!({ "id": "app", "title": "By authenticator app", "enabled": false, "available": true })
    );
    // None (and out-of-range integers) switch everything off and wipe lists.
    let r = s
        .put("settings/tfaapp", &OWNER, json!({ "type": 99 }))
        .await;
    assert_eq!(s.ok(r).await, false);
    assert_eq!(
        s.tfa_settings().await,
        json!([
            { "id": "sms", "title": "By SMS", "enabled": false, "available": true },
            { "id": "app", "title": "By authenticator app", "enabled": false, "available": true }
        ])
    );
}

#[tokio::test]
async fn confirming_none_disables_and_wipes() {
    let s = sim(Profile::Seed).await;
    s.ok(s
        .put(
            "settings/tfaapp",
            &OWNER,
            json!({ "type": "app", "id": OWNER_ID, "trustedIps": ["192.0.2.10"] }),
        )
        .await)
        .await;
    let link = s
        .ok(s
            .put(
                "settings/tfaappwithlink",
                &OWNER,
                json!({ "type": "none", "id": OWNER_ID }),
            )
            .await)
        .await;
    assert_eq!(s.tfa_settings().await[1]["enabled"], true, "still pending");
    let token = s.session("user").await;
    let page = s
        .page(link.as_str().unwrap().strip_prefix(&s.url).unwrap())
        .await;
    assert_eq!(page.status, 200);
    assert!(page.text.contains("off"));
    assert_eq!(
        s.tfa_settings().await[1],
        json!({ "id": "app", "title": "By authenticator app", "enabled": false, "available": true })
    );
    assert_eq!(
        s.self_status(&Auth::Token(&token)).await,
        200,
        "disabling keeps sessions"
    );
}

#[tokio::test]
async fn unavailable_sms_gives_405_everywhere() {
    let mut c = Config::test();
    c.sms_available = Some(false);
    let s = sim_with(c).await;
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
            json!({ "type": "sms", "id": USER_PRIYA_ID }),
        )
        .await;
    assert_error(&r, 405, "SMS settings are not available", None);
}

#[tokio::test]
async fn confirm_returns_a_string_only_when_tfa_is_required() {
    let s = sim(Profile::Seed).await;
    s.ok(s
        .put(
            "settings/tfaapp",
            &OWNER,
            json!({ "type": "app", "id": OWNER_ID, "trustedIps": ["192.0.2.0/24"] }),
        )
        .await)
        .await;
    let r = s.get("settings/tfaapp/confirm", &OWNER).await;
    let cookie = r.cookie("asc_confirm_key_TfaActivation").unwrap();
    let (ms, hash) = cookie.split_once('.').unwrap();
    assert!(ms.parse::<u64>().unwrap() > 400_000_000_000);
    assert_eq!(hash.len(), 43);
    assert_eq!(
        s.ok(r).await,
        format!(
            "{}/confirm/TfaActivation?type=TfaActivation&uid={OWNER_ID}",
            s.url
        )
    );
    let r = s.get("settings/tfaapp/confirm", &ADMIN).await;
    assert!(r.cookie("asc_confirm_key_TfaAuth").is_some());
    assert_eq!(
        s.ok(r).await,
        format!("{}/confirm/TfaAuth?type=TfaAuth&uid={ADMIN_JANE_ID}", s.url)
    );
    // From a trusted IP nobody needs TFA...
    s.client_ip(Some("192.0.2.77")).await;
    let v = s.get("settings/tfaapp/confirm", &OWNER).await.json();
    assert!(v.get("response").is_none());
    assert_eq!(v["count"], 0);
    // ...unless they are mandatory.
    s.ok(s.put("settings/tfaapp", &OWNER, json!({ "type": "app", "id": OWNER_ID, "trustedIps": ["192.0.2.0/24"], "mandatoryGroups": [GROUP_FINANCE_ID] })).await).await;
    assert!(s
        .get("settings/tfaapp/confirm", &OWNER)
        .await
        .json()
        .get("response")
        .is_none());
    assert!(s
        .ok(s.get("settings/tfaapp/confirm", &USER).await)
        .await
        .as_str()
        .unwrap()
        .contains(USER_PRIYA_ID));
    s.client_ip(None).await;
    assert!(s
        .ok(s.get("settings/tfaapp/confirm", &OWNER).await)
        .await
        .is_string());
}

#[tokio::test]
async fn newapp_resets_a_user_by_type_and_mails_them() {
    let s = sim(Profile::Seed).await;
    s.ok(s
        .put(
            "settings/tfaapp",
            &OWNER,
            json!({ "type": "app", "id": OWNER_ID }),
        )
        .await)
        .await;
    let priya = s.session(USER_PRIYA_ID).await;
    let r = s
        .put(
            "settings/tfaappnewapp",
            &OWNER,
            json!({ "id": USER_PRIYA_ID, "type": "App" }),
        )
        .await;
    let login = format!("{}/login?uid={USER_PRIYA_ID}", s.url);
    assert_eq!(s.ok(r).await, login.as_str());
    assert_empty(&s.get("people/@self", &Auth::Token(&priya)).await, 401);
    let mail = s.outbox().await;
    assert_eq!(mail.len(), 1);
    assert_eq!(mail[0]["kind"], "tfa-reset");
    assert_eq!(mail[0]["to"], "priya.patel@example.com");
    assert_eq!(mail[0]["link"], login.as_str());
    // The app binding is gone.
    let users = s
        .ok(s.get("people/filter?filterValue=priya", &OWNER).await)
        .await;
    assert_eq!(users[0]["tfaAppEnabled"], false);
    let page = s.page(&format!("/login?uid={USER_PRIYA_ID}")).await;
    assert_eq!(page.status, 200);

    // Type None turns TFA off for that user: no confirm step any more.
    let r = s
        .put(
            "settings/tfaappnewapp",
            &OWNER,
            json!({ "id": USER_PRIYA_ID }),
        )
        .await;
    assert_eq!(r.status, 200);
    let v = s.get("settings/tfaapp/confirm", &USER).await.json();
    assert!(v.get("response").is_none(), "{v}");
    // SMS is available in seed by default.
    let r = s
        .put(
            "settings/tfaappnewapp",
            &OWNER,
            json!({ "id": USER_MARTA_ID, "type": 1 }),
        )
        .await;
    assert_eq!(r.status, 200);
    assert_eq!(s.outbox().await.len(), 3);
}

#[tokio::test]
async fn newapp_permissions() {
    let s = sim(Profile::Seed).await;
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
    assert_eq!(r.status, 403);
    let r = s
        .put(
            "settings/tfaappnewapp",
            &OWNER,
            json!({ "id": "11111111-2222-4333-8444-555555555555" }),
        )
        .await;
    assert_error(
        &r,
        403,
        "Access denied",
        Some("System.Security.SecurityException"),
    );
    let r = s.put("settings/tfaappnewapp", &OWNER, json!({})).await;
    assert_eq!(r.status, 403, "an empty id resolves to no user");
    // Anyone may reset themselves.
    let r = s
        .put(
            "settings/tfaappnewapp",
            &GUEST,
            json!({ "id": GUEST_GINA_ID, "type": "app" }),
        )
        .await;
    assert_eq!(
        s.ok(r).await,
        format!("{}/login?uid={GUEST_GINA_ID}", s.url)
    );
    let r = s
        .put("settings/tfaappnewapp", &OWNER, json!({ "id": "" }))
        .await;
    assert_eq!(
        validation_keys(&r, &s.api("settings/tfaappnewapp"), "PUT"),
        ["$.id"]
    );
}

#[tokio::test]
async fn outbox_page_escapes_everything() {
    let s = sim(Profile::Seed).await;
    s.ok(s
        .put(
            "settings/tfaappnewapp",
            &OWNER,
            json!({ "id": USER_XSS_ID, "type": "app" }),
        )
        .await)
        .await;
    s.ok(s
        .put(
            "settings/tfaappwithlink",
            &OWNER,
            json!({ "type": "app", "id": OWNER_ID, "mandatoryUsers": [USER_XSS_ID, USER_BOB_ID] }),
        )
        .await)
        .await;
    let page = s.page("/sim/outbox").await;
    assert_eq!(page.status, 200);
    assert_eq!(
        page.header("content-type").as_deref(),
        Some("text/html; charset=utf-8")
    );
    assert!(!page.text.contains("<script>alert"), "{}", page.text);
    assert!(!page.text.contains("<img src=x"));
    assert!(!page.text.contains("<Smith>"));
    assert!(page.text.contains("&lt;script&gt;alert(2)&lt;/script&gt;"));
    assert!(page.text.contains("&lt;Smith&gt;"));
    assert!(page.text.contains("<a href=\"http://"));
    let json = s.control(Method::GET, "outbox", None).await.json();
    assert_eq!(json.as_array().unwrap().len(), 2);
    assert_eq!(json, Value::Array(s.outbox().await));
}
