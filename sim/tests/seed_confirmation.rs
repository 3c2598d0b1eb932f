//! The seed profile's contract for `tfaappwithlink` (§4): the change is
//! held and a one-time link is e-mailed to the confirming administrator;
//! opening the link applies it. Also the outbox page that shows the mail.
//! What seed shares with the releases is tested with them, in tables.

mod common;
use common::*;
use reqwest::Method;

fn link_prefix(s: &Sim, uid: &str) -> String {
    format!("{}&key=", s.confirm_url("TfaActivation", uid))
}

/// The path of a link the simulator answered with.
fn path_of(s: &Sim, link: &Value) -> String {
    link.as_str()
        .unwrap()
        .strip_prefix(&s.url)
        .unwrap()
        .to_string()
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
    let r = s.put(WITHLINK, &Auth::Token(&session), body).await;
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
    let mut links = Vec::new();
    for ty in ["app", "none"] {
        let r = s
            .put(WITHLINK, &OWNER, json!({ "type": ty, "id": OWNER_ID }))
            .await;
        links.push(path_of(&s, &s.ok(r).await));
    }
    assert_eq!(s.page(&links[0]).await.status, 400);
    assert_eq!(s.page(&links[1]).await.status, 200);
    assert_eq!(s.outbox().await.len(), 2);
}

#[tokio::test]
async fn a_link_with_a_wrong_uid_or_key_is_refused() {
    let s = sim(Profile::Seed).await;
    let r = s
        .put(
            WITHLINK,
            &ADMIN,
            json!({ "type": "app", "id": ADMIN_JANE_ID }),
        )
        .await;
    let link = s.ok(r).await.as_str().unwrap().to_string();
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
    let href = s.api(WITHLINK);
    // No id, the empty id, an unknown id.
    for body in [
        json!({ "type": "app" }),
        json!({ "type": "app", "id": "00000000-0000-0000-0000-000000000000" }),
        json!({ "type": "app", "id": "11111111-2222-4333-8444-555555555555" }),
    ] {
        let r = s.put(WITHLINK, &OWNER, body.clone()).await;
        assert_eq!(validation_keys(&r, &href, "PUT"), ["$.id"], "{body}");
    }
    let r = s
        .put(
            WITHLINK,
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
            WITHLINK,
            &OWNER,
            json!({ "type": "app", "id": ADMIN_RAVI_ID }),
        )
        .await;
    let link = s.ok(r).await;
    assert!(link
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
async fn confirming_none_disables_and_wipes() {
    let s = sim(Profile::Seed).await;
    s.enable_app(&["192.0.2.10"]).await;
    let r = s
        .put(WITHLINK, &OWNER, json!({ "type": "none", "id": OWNER_ID }))
        .await;
    let link = s.ok(r).await;
    assert_eq!(s.tfa_settings().await[1]["enabled"], true, "still pending");
    let token = s.session("user").await;
    let page = s.page(&path_of(&s, &link)).await;
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
async fn outbox_page_escapes_everything() {
    let s = sim(Profile::Seed).await;
    let r = s
        .put(NEWAPP, &OWNER, json!({ "id": USER_XSS_ID, "type": "app" }))
        .await;
    s.ok(r).await;
    let body =
        json!({ "type": "app", "id": OWNER_ID, "mandatoryUsers": [USER_XSS_ID, USER_BOB_ID] });
    s.ok(s.put(WITHLINK, &OWNER, body).await).await;
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
