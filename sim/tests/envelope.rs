//! Envelope shapes (§1.1–§1.3): success, exception, validation, empty-body
//! 401/403, 404/405/415 and how `links` and `count` are built.

mod common;
use common::*;
use reqwest::Method;

#[tokio::test]
async fn success_envelope_has_exactly_the_documented_fields() {
    let s = sim(Profile::Seed).await;
    let r = s.get(TFAAPP, &OWNER).await;
    assert_eq!(r.status, 200);
    assert_eq!(
        r.header("content-type").as_deref(),
        Some("application/json; charset=utf-8")
    );
    let v = r.json();
    let mut keys: Vec<&String> = v.as_object().unwrap().keys().collect();
    keys.sort();
    assert_eq!(keys, ["count", "links", "response", "status", "statusCode"]);
    assert_eq!(v["count"], 2);
    assert_eq!(v["status"], 0);
    assert_eq!(v["statusCode"], 200);
    assert_eq!(
        v["links"],
        json!([{ "href": format!("{}/api/2.0/settings/tfaapp", s.url), "action": "GET" }])
    );
}

#[tokio::test]
async fn links_use_the_host_header_and_keep_the_query() {
    let s = sim(Profile::Seed).await;
    let url = s.api("people/filter?count=1&filterValue=jane");
    let r = s
        .send(
            Method::GET,
            &url,
            &ADMIN,
            None,
            &[("host", "portal.example.com:8443")],
        )
        .await;
    let v = r.json();
    assert_eq!(
        v["links"],
        json!([{ "href": "http://portal.example.com:8443/api/2.0/people/filter?count=1&filterValue=jane", "action": "GET" }])
    );
    let r = s
        .send(
            Method::GET,
            &s.api(TFAAPP),
            &OWNER,
            None,
            &[
                ("host", "portal.example.com"),
                ("x-forwarded-proto", "https"),
            ],
        )
        .await;
    assert_eq!(
        r.json()["links"][0]["href"],
        "https://portal.example.com/api/2.0/settings/tfaapp"
    );
}

#[tokio::test]
async fn null_response_is_omitted_with_count_zero() {
    let s = sim(Profile::Seed).await;
    let r = s.get(CONFIRM, &OWNER).await;
    assert_eq!(r.status, 200);
    let v = r.json();
    assert!(v.get("response").is_none(), "{v}");
    assert_eq!(v["count"], 0);
    assert!(v.get("total").is_none());
}

#[tokio::test]
async fn count_is_one_for_scalars_and_total_only_on_paged_lists() {
    let s = sim(Profile::Seed).await;
    let v = s
        .put(TFAAPP, &OWNER, json!({ "type": "none" }))
        .await
        .json();
    assert_eq!(v["response"], false);
    assert_eq!(v["count"], 1);
    assert!(v.get("total").is_none());
    let v = s.get("people/filter?count=2", &OWNER).await.json();
    assert_eq!(v["count"], 2);
    assert_eq!(v["total"], 11);
    let v = s.get("group?count=100", &OWNER).await.json();
    assert_eq!(v["count"], 5);
    assert_eq!(v["total"], 5);
}

#[tokio::test]
async fn exception_envelope_carries_type_stack_and_hresult() {
    let s = sim(Profile::Seed).await;
    let r = s.put(TFAAPP, &USER, json!({ "type": "app" })).await;
    assert_exception(&r, ACCESS_DENIED);
    assert_eq!(r.json()["error"]["hresult"], -2146233088);
}

#[tokio::test]
async fn validation_error_in_a_list_names_the_index() {
    let s = sim(Profile::V37).await;
    let body = json!({ "type": "app", "mandatoryUsers": [USER_PRIYA_ID, "nope"] });
    let r = s.put(TFAAPP, &OWNER, body).await;
    assert_eq!(
        validation_keys(&r, &s.api(TFAAPP), "PUT"),
        ["$.mandatoryUsers[1]"]
    );
    let body =
        json!({ "type": "app", "mandatoryGroups": ["{3d9b7c10-0001-4f2a-8b6e-2c4d00000001}"] });
    let r = s.put(TFAAPP, &OWNER, body).await;
    assert_eq!(
        validation_keys(&r, &s.api(TFAAPP), "PUT"),
        ["$.mandatoryGroups[0]"]
    );
}

#[tokio::test]
async fn validation_error_for_type_and_body_shape() {
    let s = sim(Profile::V36).await;
    let href = s.api(TFAAPP);
    let validation_keys =
        |r: &Resp, href: &str, method: &str| validation_keys_in(Profile::V36, r, href, method);
    let r = s.put(TFAAPP, &OWNER, json!({ "type": "totp" })).await;
    assert_eq!(validation_keys(&r, &href, "PUT"), ["$.type"]);
    let r = s.put(TFAAPP, &OWNER, json!({ "type": true })).await;
    assert_eq!(validation_keys(&r, &href, "PUT"), ["$.type"]);
    let r = s.put_raw(TFAAPP, &OWNER, "{\"type\": ").await;
    assert_eq!(validation_keys(&r, &href, "PUT"), ["$"]);
    let r = s.put_raw(TFAAPP, &OWNER, "").await;
    assert_eq!(validation_keys(&r, &href, "PUT"), [""]);
    let r = s.put_raw(TFAAPP, &OWNER, "[]").await;
    assert_eq!(validation_keys(&r, &href, "PUT"), ["$"]);
    let r = s.put(TFAAPP, &OWNER, json!({ "trustedIps": [42] })).await;
    assert_eq!(validation_keys(&r, &href, "PUT"), ["$.trustedIps[0]"]);
    // Nothing was saved.
    assert_eq!(s.tfa_settings().await[1]["enabled"], false);
}

#[tokio::test]
async fn missing_or_invalid_credentials_give_an_empty_401() {
    let s = sim(Profile::Seed).await;
    for path in [
        "settings/tfaapp",
        "people/@self",
        "people/filter",
        "group",
        "settings/tfaapp/confirm",
    ] {
        assert_empty(&s.get(path, &Auth::None).await, 401);
        assert_empty(&s.get(path, &Auth::Key("sk-demo-nobody")).await, 401);
        assert_empty(&s.get(path, &Auth::Token("no-such-session")).await, 401);
    }
    assert_empty(
        &s.put(TFAAPP, &Auth::None, json!({ "type": "app" })).await,
        401,
    );
}

#[tokio::test]
async fn unknown_api_paths_give_a_404_envelope() {
    let s = sim(Profile::Seed).await;
    for path in ["settings/nope", "people/search", "group/not-a-guid", ""] {
        let r = s.get(path, &OWNER).await;
        assert_error(&r, 404, "The requested resource was not found.", None);
    }
    // Even without credentials.
    assert_eq!(s.get("nope", &Auth::None).await.status, 404);
}

#[tokio::test]
async fn wrong_method_on_a_known_path_gives_405_with_allow() {
    let s = sim(Profile::Seed).await;
    for (method, path, auth, allow) in [
        (Method::DELETE, TFAAPP, OWNER, Some("GET, PUT")),
        (Method::GET, WITHLINK, OWNER, Some("PUT")),
        (Method::GET, "authentication", Auth::None, None),
    ] {
        let r = s.call(method, path, &auth, None).await;
        assert_eq!(r.status, 405, "{path}");
        if let Some(allow) = allow {
            assert_empty(&r, 405);
            assert_eq!(r.header("allow").as_deref(), Some(allow));
        }
    }
}

#[tokio::test]
async fn api_paths_are_case_insensitive_and_allow_a_trailing_slash() {
    let s = sim(Profile::Seed).await;
    let r = s
        .send(
            Method::GET,
            &format!("{}/API/2.0/Settings/TfaApp/", s.url),
            &OWNER,
            None,
            &[],
        )
        .await;
    assert_eq!(r.status, 200);
    assert_eq!(r.json()["count"], 2);
}

#[tokio::test]
async fn a_body_without_json_content_type_gives_415() {
    let s = sim(Profile::Seed).await;
    let url = s.api(TFAAPP);
    let text = [("content-type", "text/plain")];
    let r = s.send(Method::PUT, &url, &OWNER, None, &text).await;
    assert_eq!(r.status, 415);
    let v = r.json();
    assert_eq!(v["status"], 1);
    assert_eq!(v["statusCode"], 415);
    assert_eq!(v["response"]["title"], "Unsupported Media Type");
    let r = s.put(TFAAPP, &OWNER, json!({ "type": "none" })).await;
    assert_eq!(r.status, 200, "application/json is accepted");
}

/// A bad GUID is keyed by its JSON path; the envelope says `status: 0,
/// statusCode: 200` on 3.6 only (§10.10), injected faults included.
#[tokio::test]
async fn validation_errors_say_status_0_and_200_on_3_6_only() {
    for profile in Profile::ALL {
        let s = sim(profile).await;
        let r = s.put(NEWAPP, &OWNER, json!({ "id": "not-a-guid" })).await;
        assert_eq!(
            validation_keys_in(profile, &r, &s.api(NEWAPP), "PUT"),
            ["$.id"],
            "{profile:?}"
        );
        let msg = &r.json()["response"]["errors"]["$.id"][0];
        assert!(msg.as_str().unwrap().contains("System.Guid"), "{msg}");
        let r = s.get("people/filter?count=500", &OWNER).await;
        assert_eq!(
            validation_keys_in(profile, &r, &s.api("people/filter?count=500"), "GET"),
            ["count"]
        );
        // An injected validation fault follows the profile too.
        s.fault(json!({ "path": "/api/2.0/group", "kind": { "status": 400, "errors": { "x": ["y"] } } }))
            .await;
        let r = s.get("group", &OWNER).await;
        assert_eq!(
            validation_keys_in(profile, &r, &s.api("group"), "GET"),
            ["x"]
        );
    }
}
