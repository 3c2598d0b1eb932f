//! Test control (`/sim/control/...`): every fault kind, fault matching and
//! expiry, the request log, reset, client IP.

mod common;
use common::*;
use reqwest::Method;
use std::time::{Duration, Instant};

const TFA: &str = "/api/2.0/settings/tfaapp";

#[tokio::test]
async fn status_fault_gives_an_exception_envelope_then_clears() {
    let s = sim(Profile::Seed).await;
    s.fault(json!({ "method": "GET", "path": TFA, "kind": { "status": 503, "message": "Service is down" } })).await;
    let r = s.get(TFAAPP, &OWNER).await;
    assert_error(&r, 503, "Service is down", None);
    assert_eq!(
        s.get(TFAAPP, &OWNER).await.status,
        200,
        "times defaults to 1"
    );
}

#[tokio::test]
async fn fault_applies_to_the_next_n_matching_requests_only() {
    let s = sim(Profile::Seed).await;
    s.fault(json!({ "method": "put", "path": "/api/2.0/settings/tfaappwithlink", "times": 2, "kind": { "status": 500, "message": "x" } })).await;
    // Other method and other path are not affected.
    assert_eq!(s.get(TFAAPP, &OWNER).await.status, 200);
    let r = s.call(Method::GET, WITHLINK, &OWNER, None).await;
    assert_eq!(r.status, 405);
    // The query is ignored when matching.
    let url = format!("{}?x=1", s.api(WITHLINK));
    let r = s
        .send(Method::PUT, &url, &OWNER, Some("{}".into()), &[])
        .await;
    assert_eq!(r.status, 500);
    let r = s.put(WITHLINK, &Auth::None, json!({})).await;
    assert_eq!(r.status, 500, "faults come before authentication");
    let r = s.put(WITHLINK, &Auth::None, json!({})).await;
    assert_eq!(r.status, 401);
}

#[tokio::test]
async fn validation_fault_uses_the_given_errors() {
    let s = sim(Profile::Seed).await;
    let errors = json!({ "$.trustedIps[0]": ["The TrustedIps field must contain a valid IP address, IP range or CIDR block."] });
    s.fault(json!({ "method": "PUT", "path": TFA, "kind": { "status": 400, "errors": errors } }))
        .await;
    let r = s.put(TFAAPP, &OWNER, json!({ "type": "app" })).await;
    assert_eq!(
        validation_keys(&r, &s.api(TFAAPP), "PUT"),
        ["$.trustedIps[0]"]
    );
    assert_eq!(r.json()["response"]["errors"], errors);
}

#[tokio::test]
async fn empty_fault_gives_a_bodyless_status() {
    let s = sim(Profile::Seed).await;
    s.fault(json!({ "method": "GET", "path": "/api/2.0/people/@self", "kind": { "empty": 401 } }))
        .await;
    assert_empty(&s.get("people/@self", &OWNER).await, 401);
}

#[tokio::test]
async fn html_fault_is_an_nginx_502_page() {
    let s = sim(Profile::Seed).await;
    s.fault(json!({ "method": "GET", "path": TFA, "kind": "html" }))
        .await;
    let r = s.get(TFAAPP, &OWNER).await;
    assert_eq!(r.status, 502);
    assert_eq!(r.header("content-type").as_deref(), Some("text/html"));
    assert!(r.text.contains("<title>502 Bad Gateway</title>"));
    assert!(r.text.contains("nginx"));
}

#[tokio::test]
async fn malformed_fault_is_json_content_type_with_broken_json() {
    let s = sim(Profile::Seed).await;
    s.fault(json!({ "method": "GET", "path": TFA, "kind": "malformed" }))
        .await;
    let r = s.get(TFAAPP, &OWNER).await;
    assert_eq!(r.status, 200);
    assert_eq!(
        r.header("content-type").as_deref(),
        Some("application/json; charset=utf-8")
    );
    assert!(serde_json::from_str::<Value>(&r.text).is_err());
}

#[tokio::test]
async fn wrong_type_and_missing_response_faults() {
    let s = sim(Profile::Seed).await;
    s.fault(json!({ "method": "GET", "path": TFA, "kind": "wrongType" }))
        .await;
    s.fault(json!({ "method": "PUT", "path": "/api/2.0/settings/tfaappwithlink", "kind": "missingResponse" })).await;
    let v = s.get(TFAAPP, &OWNER).await.json();
    assert_eq!(v["response"], 42);
    assert_eq!(v["status"], 0);
    assert_eq!(v["statusCode"], 200);
    let r = s
        .put(WITHLINK, &OWNER, json!({ "type": "app", "id": OWNER_ID }))
        .await;
    assert_eq!(r.status, 200);
    let v = r.json();
    assert!(v.get("response").is_none());
    assert_eq!(v["count"], 0);
    assert_eq!(v["links"][0]["href"], s.api(WITHLINK));
    assert!(
        s.outbox().await.is_empty(),
        "the request never reached the portal"
    );
}

#[tokio::test]
async fn delay_fault_answers_normally_after_the_delay() {
    let s = sim(Profile::Seed).await;
    s.fault(json!({ "method": "GET", "path": TFA, "kind": { "delayMs": 400 } }))
        .await;
    let t = Instant::now();
    let r = s.get(TFAAPP, &OWNER).await;
    assert!(
        t.elapsed() >= Duration::from_millis(400),
        "{:?}",
        t.elapsed()
    );
    assert_eq!(s.ok(r).await.as_array().unwrap().len(), 2);
    let t = Instant::now();
    s.get(TFAAPP, &OWNER).await;
    assert!(t.elapsed() < Duration::from_millis(400));
}

#[tokio::test]
async fn hang_fault_makes_the_client_time_out() {
    let s = sim(Profile::Seed).await;
    s.fault(json!({ "method": "GET", "path": TFA, "kind": "hang" }))
        .await;
    let quick = reqwest::Client::builder()
        .timeout(Duration::from_millis(300))
        .build()
        .unwrap();
    let t = Instant::now();
    let err = quick
        .get(s.api(TFAAPP))
        .bearer_auth("sk-demo-owner")
        .send()
        .await
        .expect_err("a hanging request must not answer");
    assert!(err.is_timeout(), "{err:?}");
    assert!(t.elapsed() < Duration::from_secs(5));
    // The server is still fine.
    assert_eq!(s.get(TFAAPP, &OWNER).await.status, 200);
}

#[tokio::test]
async fn drop_fault_closes_the_connection_without_a_response() {
    let s = sim(Profile::Seed).await;
    s.fault(
        json!({ "method": "PUT", "path": "/api/2.0/settings/tfaapp", "times": 2, "kind": "drop" }),
    )
    .await;
    for _ in 0..2 {
        let fresh = reqwest::Client::builder()
            .timeout(Duration::from_secs(10))
            .build()
            .unwrap();
        let err = fresh
            .put(s.api(TFAAPP))
            .bearer_auth("sk-demo-owner")
            .header("content-type", "application/json")
            .body(r#"{"type":"none"}"#)
            .send()
            .await
            .expect_err("a dropped connection gives no response");
        assert!(!err.is_timeout(), "{err:?}");
        assert!(err.status().is_none(), "{err:?}");
        assert!(err.is_request() || err.is_connect(), "{err:?}");
    }
    let r = s.put(TFAAPP, &OWNER, json!({ "type": "none" })).await;
    assert_eq!(s.ok(r).await, false);
}

#[tokio::test]
async fn delete_fault_clears_every_fault() {
    let s = sim(Profile::Seed).await;
    s.fault(json!({ "method": "GET", "path": TFA, "times": 5, "kind": "html" }))
        .await;
    s.fault(json!({ "path": "/api/2.0/people/@self", "kind": "drop" }))
        .await;
    let r = s.control(Method::DELETE, "fault", None).await;
    assert_eq!(r.status, 200);
    assert_eq!(s.get(TFAAPP, &OWNER).await.status, 200);
    assert_eq!(s.get("people/@self", &OWNER).await.status, 200);
}

#[tokio::test]
async fn bad_fault_specs_are_rejected() {
    let s = sim(Profile::Seed).await;
    for spec in [
        json!({ "path": TFA, "kind": "explode" }),
        json!({ "path": "no-slash", "kind": "html" }),
        json!({ "path": TFA }),
        json!({ "path": TFA, "kind": { "status": 42 } }),
        json!({ "path": TFA, "kind": "html", "times": 0 }),
    ] {
        let r = s.control(Method::POST, "fault", Some(spec.clone())).await;
        assert_eq!(r.status, 400, "{spec}");
        assert!(r.json()["error"].is_string());
    }
}

#[tokio::test]
async fn request_log_records_api_calls_with_status() {
    let s = sim(Profile::Seed).await;
    s.get("people/filter?filterValue=jane&count=5", &OWNER)
        .await;
    s.put(TFAAPP, &USER, json!({ "type": "app" })).await;
    s.page("/sim/outbox.json").await;
    s.fault(json!({ "method": "GET", "path": TFA, "kind": "drop" }))
        .await;
    let _ = reqwest::Client::new().get(s.api(TFAAPP)).send().await;
    let log = s.control(Method::GET, "requests", None).await.json();
    assert_eq!(
        log,
        json!([
            { "method": "GET", "path": "/api/2.0/people/filter", "query": "filterValue=jane&count=5", "body": "", "status": 200 },
            { "method": "PUT", "path": "/api/2.0/settings/tfaapp", "query": "", "body": "{\"type\":\"app\"}", "status": 403 },
            { "method": "GET", "path": "/api/2.0/settings/tfaapp", "query": "", "body": "", "status": 0 }
        ])
    );
    assert_eq!(
        s.control(Method::DELETE, "requests", None).await.status,
        200
    );
    assert_eq!(
        s.control(Method::GET, "requests", None).await.json(),
        json!([])
    );
}

#[tokio::test]
async fn reset_restores_the_seed_and_clears_everything() {
    let s = sim(Profile::Seed).await;
    s.ok(s
        .put(
            TFAAPP,
            &OWNER,
            json!({ "type": "app", "id": OWNER_ID, "trustedIps": ["192.0.2.1"] }),
        )
        .await)
        .await;
    s.ok(s
        .put(
            NEWAPP,
            &OWNER,
            json!({ "id": USER_PRIYA_ID, "type": "app" }),
        )
        .await)
        .await;
    s.fault(json!({ "method": "GET", "path": "/api/2.0/group", "kind": "html" }))
        .await;
    s.client_ip(Some("192.0.2.1")).await;
    let token = s.session("owner").await;
    assert_eq!(s.control(Method::POST, "reset", None).await.status, 200);
    assert_eq!(
        s.tfa_settings().await[1],
        json!({ "id": "app", "title": "By authenticator app", "enabled": false, "available": true })
    );
    assert!(s.outbox().await.is_empty());
    assert_eq!(s.get("group", &OWNER).await.status, 200);
    assert_eq!(
        s.control(Method::GET, "requests", None)
            .await
            .json()
            .as_array()
            .unwrap()
            .len(),
        2
    );
    assert_empty(&s.get("people/@self", &Auth::Token(&token)).await, 401);
    // Priya's app is linked again (seed state).
    s.enable_app(&[]).await;
    let v = s
        .ok(s.get("people/filter?filterValue=priya", &OWNER).await)
        .await;
    assert_eq!(v[0]["tfaAppEnabled"], true);
}

#[tokio::test]
async fn client_ip_rejects_non_addresses() {
    let s = sim(Profile::Seed).await;
    let r = s
        .control(
            Method::POST,
            "client-ip",
            Some(json!({ "ip": "not an ip" })),
        )
        .await;
    assert_eq!(r.status, 400);
    s.client_ip(Some("2001:db8::5")).await;
    s.client_ip(None).await;
}

#[tokio::test]
async fn control_is_absent_without_the_flag() {
    let mut c = Config::test();
    c.test_control = false;
    let s = sim_with(c).await;
    for (m, p) in [
        (Method::POST, "reset"),
        (Method::GET, "requests"),
        (Method::POST, "session"),
        (Method::GET, "outbox"),
    ] {
        let r = s.control(m, p, Some(json!({}))).await;
        assert_eq!(r.status, 404, "{p}");
    }
    // The outbox page itself is always there.
    assert_eq!(s.page("/sim/outbox.json").await.status, 200);
}

#[tokio::test]
async fn control_reports_unknown_endpoints_and_methods() {
    let s = sim(Profile::Seed).await;
    assert_eq!(s.control(Method::GET, "nope", None).await.status, 404);
    assert_eq!(s.control(Method::GET, "reset", None).await.status, 405);
    let r = s
        .send(
            Method::POST,
            &format!("{}/sim/control/fault", s.url),
            &Auth::None,
            Some("{".into()),
            &[],
        )
        .await;
    assert_eq!(r.status, 400);
}

/// The people with a linked app, as an enrolment overview finds them:
/// every page of `people/filter` (app TFA must be on).
async fn linked_people(s: &Sim) -> Vec<String> {
    let mut linked = Vec::new();
    let mut start = 0;
    loop {
        let v = s
            .get(
                &format!("people/filter?count=100&startIndex={start}"),
                &OWNER,
            )
            .await
            .json();
        let page = v["response"].as_array().unwrap();
        linked.extend(
            page.iter()
                .filter(|u| u["tfaAppEnabled"] == true)
                .map(|u| u["id"].as_str().unwrap().to_string()),
        );
        start += 100;
        if start >= v["total"].as_u64().unwrap() as usize {
            return linked;
        }
    }
}

/// The ids of the `tfaappnewapp` calls the log holds with this status.
async fn logged_resets(s: &Sim, status: u16) -> Vec<String> {
    let r = s
        .control(
            Method::GET,
            &format!("requests?method=put&path=/API/2.0/settings/tfaappnewapp/&status={status}"),
            None,
        )
        .await;
    assert_eq!(r.header("x-sim-log-dropped").as_deref(), Some("0"));
    r.json()
        .as_array()
        .unwrap()
        .iter()
        .map(|e| {
            let body: Value = serde_json::from_str(e["body"].as_str().unwrap()).unwrap();
            body["id"].as_str().unwrap().to_string()
        })
        .collect()
}

#[tokio::test]
async fn the_nth_matching_call_fails_mid_way_through_a_bulk_reset() {
    let mut c = Config::test().with_profile(Profile::V37);
    c.users = 120;
    let s = sim_with(c).await;
    s.enable_app(&[]).await;
    let people = linked_people(&s).await;
    assert_eq!(people.len(), 4 + 40);
    // The 37th reset fails; a GET on the same path would not count.
    s.fault(json!({ "path": "/api/2.0/settings/tfaappnewapp", "method": "PUT", "kind": "500", "skip": 36, "times": 1 }))
        .await;
    let mut failed = Vec::new();
    for id in &people {
        let r = s.put(NEWAPP, &OWNER, json!({ "id": id })).await;
        match r.status {
            200 => {}
            500 => {
                assert_error(&r, 500, "Simulated failure", None);
                failed.push(id.clone());
            }
            other => panic!("{other}: {}", r.text),
        }
    }
    assert_eq!(failed, [people[36].clone()]);
    // Retried once, it goes through.
    s.ok(s.put(NEWAPP, &OWNER, json!({ "id": failed[0] })).await)
        .await;
    // The log shows each person reset exactly once.
    let mut done = logged_resets(&s, 200).await;
    assert_eq!(done.len(), people.len());
    done.sort();
    done.dedup();
    assert_eq!(done.len(), people.len());
    assert_eq!(logged_resets(&s, 500).await, failed);
    assert!(linked_people(&s).await.is_empty());
}

#[tokio::test]
async fn a_fault_can_hit_one_persons_call_only() {
    let s = sim(Profile::Next).await;
    s.enable_app(&[]).await;
    s.fault(json!({ "path": "/api/2.0/settings/tfaappnewapp", "kind": 500, "user": USER_PRIYA_ID.to_uppercase() }))
        .await;
    s.fault(json!({ "path": "/api/2.0/settings/tfaappnewapp", "kind": { "status": 503, "message": "Busy" }, "user": "marta.kowalski@example.com", "skip": 1 }))
        .await;
    // The body's `id` in any case, as System.Text.Json binds it.
    let reset = |id: &str| format!(r#"{{"ID":"{id}"}}"#);
    let status = |r: Resp| r.status;
    assert_eq!(
        status(s.put_raw(NEWAPP, &OWNER, &reset(ADMIN_JANE_ID)).await),
        200
    );
    assert_eq!(
        status(s.put_raw(NEWAPP, &OWNER, &reset(USER_PRIYA_ID)).await),
        500
    );
    assert_eq!(
        status(s.put_raw(NEWAPP, &OWNER, &reset(USER_PRIYA_ID)).await),
        200
    );
    // Marta's first call is let through (it counts), the second fails.
    assert_eq!(
        status(s.put_raw(NEWAPP, &OWNER, &reset(USER_MARTA_ID)).await),
        200
    );
    let r = s.put_raw(NEWAPP, &OWNER, &reset(USER_MARTA_ID)).await;
    assert_error(&r, 503, "Busy", None);
}

#[tokio::test]
async fn an_ended_session_fails_this_and_every_later_call() {
    let s = sim(Profile::V37).await;
    s.enable_app(&[]).await;
    let owner = s.session("owner").await;
    let token = Auth::Token(&owner);
    s.fault(
        json!({ "path": "/api/2.0/settings/tfaappnewapp", "kind": "session-ended", "skip": 1 }),
    )
    .await;
    assert_eq!(
        s.put(NEWAPP, &token, json!({ "id": ADMIN_JANE_ID }))
            .await
            .status,
        200
    );
    assert_empty(
        &s.put(NEWAPP, &token, json!({ "id": USER_PRIYA_ID })).await,
        401,
    );
    // Every later call with that token, on any path, until reset.
    assert_empty(&s.get("people/@self", &token).await, 401);
    assert_empty(
        &s.put(NEWAPP, &token, json!({ "id": USER_PRIYA_ID })).await,
        401,
    );
    // Others are not affected; Priya was never reset.
    assert_eq!(s.self_status(&OWNER).await, 200);
    s.ok(s.put(NEWAPP, &OWNER, json!({ "id": USER_PRIYA_ID })).await)
        .await;

    // An API key can end too: it stays refused until the faults are
    // cleared (or the simulator reset).
    s.fault(json!({ "path": "/api/2.0/people/@self", "kind": "sessionEnded" }))
        .await;
    assert_empty(&s.get("people/@self", &ADMIN).await, 401);
    assert_empty(&s.get(TFAAPP, &ADMIN).await, 401);
    assert_eq!(s.self_status(&OWNER).await, 200);
    let basic = Auth::Raw("Basic amFuZS5vbmVpbEBleGFtcGxlLmNvbTpkZW1vLXBhc3N3b3Jk");
    assert_eq!(
        s.self_status(&basic).await,
        200,
        "Jane's password still works"
    );
    assert_eq!(s.control(Method::DELETE, "fault", None).await.status, 200);
    assert_eq!(s.self_status(&ADMIN).await, 200);
    assert_empty(&s.get("people/@self", &token).await, 401);
}

#[tokio::test]
async fn a_hang_can_wait_for_the_nth_call() {
    let s = sim(Profile::V36).await;
    s.fault(json!({ "method": "GET", "path": TFA, "kind": "hang", "skip": 2 }))
        .await;
    for _ in 0..2 {
        assert_eq!(s.get(TFAAPP, &OWNER).await.status, 200);
    }
    let quick = reqwest::Client::builder()
        .timeout(Duration::from_millis(300))
        .build()
        .unwrap();
    let err = quick
        .get(s.api(TFAAPP))
        .bearer_auth("sk-demo-owner")
        .send()
        .await
        .expect_err("the third call hangs");
    assert!(err.is_timeout(), "{err:?}");
    assert_eq!(s.get(TFAAPP, &OWNER).await.status, 200);
}

#[tokio::test]
async fn nth_call_and_user_specs_are_checked() {
    let s = sim(Profile::Seed).await;
    for spec in [
        json!({ "path": TFA, "kind": "500", "skip": -1 }),
        json!({ "path": TFA, "kind": "500", "skip": "3" }),
        json!({ "path": TFA, "kind": "500", "user": "nobody" }),
        json!({ "path": TFA, "kind": "500", "user": 7 }),
        json!({ "path": TFA, "kind": "99" }),
        json!({ "path": TFA, "kind": 700 }),
    ] {
        let r = s.control(Method::POST, "fault", Some(spec.clone())).await;
        assert_eq!(r.status, 400, "{spec}");
        assert!(r.json()["error"].is_string());
    }
    // A GUID nobody has is taken as it is.
    s.fault(json!({ "path": "/api/2.0/settings/tfaappnewapp", "kind": 418, "user": "11111111-2222-4333-8444-555555555555" }))
        .await;
    let r = s
        .put(
            NEWAPP,
            &OWNER,
            json!({ "id": "11111111-2222-4333-8444-555555555555" }),
        )
        .await;
    assert_eq!(r.status, 418);
}
