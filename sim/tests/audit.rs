//! The audit trail (§11): the TFA events the simulator records (6036–6038
//! for the policy, 4033 for a reset, 4032 for a linked app) and the
//! background history, `security/audit/events/filter` and `last` (who may
//! read them, filters, paging, newest first), the plan gate (`last20`, 402)
//! and its test control.

mod common;
use common::*;
use reqwest::Method;

const FILTER: &str = "security/audit/events/filter";
const LAST: &str = "security/audit/events/last";

const CHROME: &str = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.6478.61 Safari/537.36";

/// How many events a fresh portal's history holds (none of them TFA).
const BACKGROUND: usize = 24;

/// The `response` of `GET filter?{query}` as the owner.
async fn events(s: &Sim, query: &str) -> Vec<Value> {
    let r = s.get(&format!("{FILTER}?{query}"), &OWNER).await;
    s.ok(r).await.as_array().unwrap().clone()
}

fn action_ids(list: &[Value]) -> Vec<i64> {
    list.iter()
        .map(|e| e["actionId"].as_i64().unwrap())
        .collect()
}

/// Asserts newest first: dates never increase and, on equal dates, ids fall.
fn assert_newest_first(list: &[Value]) {
    for w in list.windows(2) {
        let (a, b) = (&w[0], &w[1]);
        let (da, db) = (a["date"].as_str().unwrap(), b["date"].as_str().unwrap());
        assert!(
            da > db || (da == db && a["id"].as_u64() > b["id"].as_u64()),
            "{a} before {b}"
        );
    }
}

async fn set_plan(s: &Sim, plan: &str) {
    let r = s
        .control(Method::POST, "audit", Some(json!({ "plan": plan })))
        .await;
    assert_eq!(r.status, 200, "{}", r.text);
}

async fn add_events(s: &Sim, spec: Value) -> Vec<u64> {
    let r = s.control(Method::POST, "audit-events", Some(spec)).await;
    assert_eq!(r.status, 200, "{}", r.text);
    r.json()["ids"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_u64().unwrap())
        .collect()
}

async fn clear_trail(s: &Sim) {
    let r = s.control(Method::DELETE, "audit-events", None).await;
    assert_eq!(r.status, 200);
}

#[tokio::test]
async fn policy_changes_are_recorded_by_the_caller_with_where_from() {
    for profile in Profile::ALL {
        let s = sim_sms(profile, true).await;
        s.client_ip(Some("198.51.100.7")).await;
        let headers = [
            ("user-agent", CHROME),
            (
                "referer",
                "https://portal.example.com/portal-settings/security",
            ),
        ];
        for body in [
            json!({ "type": "app", "id": OWNER_ID }),
            json!({ "type": "sms", "id": OWNER_ID }),
            json!({ "type": "none" }),
            json!({ "type": 99 }),
        ] {
            let r = s
                .send(
                    Method::PUT,
                    &s.api(TFAAPP),
                    &OWNER,
                    Some(body.to_string()),
                    &headers,
                )
                .await;
            assert_eq!(r.status, 200, "{profile:?}: {}", r.text);
        }
        // Jane changes it too (an admin may).
        s.put(TFAAPP, &ADMIN, json!({ "type": "app" })).await;
        let list = events(&s, "").await;
        assert_eq!(list.len(), BACKGROUND + 5);
        assert_newest_first(&list);
        assert_eq!(action_ids(&list[..5]), [6038, 6036, 6036, 6037, 6038]);
        let e = &list[4];
        assert_eq!(e["user"], "Alex Morgan", "{profile:?}");
        assert_eq!(e["userId"], OWNER_ID);
        assert_eq!(e["action"], "Two factor authentication enabled by tfa app");
        assert_eq!(e["ip"], "198.51.100.7");
        assert_eq!(e["browser"], "Chrome 126.0");
        assert_eq!(e["platform"], "Windows 10");
        assert_eq!(
            e["page"],
            "https://portal.example.com/portal-settings/security"
        );
        assert_eq!(e["actionType"], 2);
        assert_eq!(e["product"], 7);
        assert_eq!(e["location"], 29);
        assert_eq!(e["entries"], json!([]));
        assert!(e.get("target").is_none() && e.get("country").is_none());
        let date = e["date"].as_str().unwrap();
        assert!(
            date.len() == 33 && date.ends_with("+00:00") && date.as_bytes()[10] == b'T',
            "{date}"
        );
        assert_eq!(list[1]["action"], "Two factor authentication disabled");
        assert_eq!(
            list[3]["action"],
            "Two factor authentication enabled by sms"
        );
        assert_eq!(list[0]["userId"], ADMIN_JANE_ID);
        assert_eq!(list[0]["user"], "Jane O'Neil", "raw, not HTML-encoded");
        // No User-Agent or Referer: those fields are left out.
        assert!(list[0].get("browser").is_none() && list[0].get("page").is_none());
        // Refused changes record nothing.
        s.put(TFAAPP, &USER, json!({ "type": "app" })).await;
        assert_eq!(events(&s, "").await.len(), BACKGROUND + 5);
    }
}

/// `tfaappwithlink` records when the change takes effect: at once on the
/// releases (3.7's exempt-caller 500 included: the save came first), when
/// the mailed link is opened in the seed profile (by the confirmer).
#[tokio::test]
async fn withlink_records_when_the_change_takes_effect() {
    for profile in [Profile::V36, Profile::V37, Profile::Next] {
        let s = sim(profile).await;
        let r = s
            .put(WITHLINK, &OWNER, json!({ "type": "app", "id": OWNER_ID }))
            .await;
        assert_eq!(r.status, 200, "{profile:?}");
        s.client_ip(Some("192.0.2.50")).await;
        let r = s
            .put(
                WITHLINK,
                &OWNER,
                json!({ "type": "app", "id": OWNER_ID, "trustedIps": ["192.0.2.50"] }),
            )
            .await;
        assert_eq!(
            r.status,
            per_profile(profile, [0, 200, 500, 200]),
            "{profile:?}"
        );
        let r = s.put(WITHLINK, &OWNER, json!({ "type": "none" })).await;
        assert_eq!(s.ok(r).await, "");
        let list = events(&s, "count=3").await;
        assert_eq!(action_ids(&list), [6036, 6038, 6038], "{profile:?}");
    }
    let s = sim(Profile::Seed).await;
    let r = s
        .put(
            WITHLINK,
            &OWNER,
            json!({ "type": "app", "id": ADMIN_JANE_ID }),
        )
        .await;
    let link = s.ok(r).await.as_str().unwrap().to_string();
    assert_eq!(events(&s, "action=6038").await.len(), 0, "still pending");
    let page = s.page(link.strip_prefix(&s.url).unwrap()).await;
    assert_eq!(page.status, 200);
    let list = events(&s, "action=6038").await;
    assert_eq!(list.len(), 1);
    assert_eq!(list[0]["userId"], ADMIN_JANE_ID, "the confirmer applied it");
}

#[tokio::test]
async fn resets_are_recorded_by_the_caller_about_each_person() {
    for profile in Profile::ALL {
        let s = sim(profile).await;
        s.enable_app(&[]).await;
        for id in [ADMIN_JANE_ID, USER_PRIYA_ID, USER_MARTA_ID] {
            let r = s
                .put(NEWAPP, &OWNER, json!({ "id": id, "type": "app" }))
                .await;
            assert_eq!(r.status, 200, "{profile:?}: {}", r.text);
        }
        // Sam resets himself.
        let r = s
            .put(
                NEWAPP,
                &ROOMADMIN,
                json!({ "id": ROOMADMIN_SAM_ID, "type": "app" }),
            )
            .await;
        assert_eq!(r.status, 200);
        // Refused: Priya is no longer linked on the releases, and a user
        // may not reset others anywhere.
        s.put(NEWAPP, &USER, json!({ "id": USER_MARTA_ID })).await;
        let list = events(&s, "action=4033").await;
        assert_eq!(list.len(), 4, "{profile:?}");
        let targets: Vec<&Value> = list.iter().map(|e| &e["target"]).collect();
        assert_eq!(
            targets,
            [
                &json!([ROOMADMIN_SAM_ID]),
                &json!([USER_MARTA_ID]),
                &json!([USER_PRIYA_ID]),
                &json!([ADMIN_JANE_ID])
            ]
        );
        assert_eq!(list[1]["userId"], OWNER_ID);
        assert_eq!(
            list[1]["action"],
            "User disconnected tfa app: Marta Kowalski"
        );
        assert_eq!(list[1]["actionType"], 3);
        assert_eq!(list[1]["product"], 8);
        assert_eq!(list[1]["location"], 30);
        assert_eq!(list[1]["entries"], json!([23]));
        assert_eq!(list[0]["userId"], ROOMADMIN_SAM_ID);
        // By actor: the owner did three, Jane (the target) none.
        let by_owner = events(&s, &format!("action=4033&userId={OWNER_ID}")).await;
        assert_eq!(by_owner.len(), 3);
        let by_jane = events(
            &s,
            &format!("action=UserDisconnectedTfaApp&userId={ADMIN_JANE_ID}"),
        )
        .await;
        assert!(by_jane.is_empty());
    }
}

/// Submits the confirm page's form: `POST /confirm/TfaActivation uid=…`.
async fn link_on_page(s: &Sim, uid: &str, cookie: Option<&str>) -> Resp {
    let mut headers = vec![("content-type", "application/x-www-form-urlencoded")];
    if let Some(c) = cookie {
        headers.push(("cookie", c));
    }
    s.send(
        Method::POST,
        &format!("{}/confirm/TfaActivation", s.url),
        &Auth::None,
        Some(format!("uid={uid}")),
        &headers,
    )
    .await
}

#[tokio::test]
async fn linking_an_app_on_the_confirm_page_records_4032() {
    let s = sim(Profile::V37).await;
    s.enable_app(&[]).await;
    s.ok(s.put(NEWAPP, &OWNER, json!({ "id": ADMIN_JANE_ID })).await)
        .await;
    // Jane signs in again and is sent to the activation step.
    let jane = s.session(ADMIN_JANE_ID).await;
    let r = s.get(CONFIRM, &Auth::Token(&jane)).await;
    let key = r.cookie("asc_confirm_key_TfaActivation").unwrap();
    let url = s.ok(r).await["url"].as_str().unwrap().to_string();
    let path = url.strip_prefix(&s.url).unwrap();
    let cookie = format!("asc_confirm_key_TfaActivation={key}");
    let page = s
        .send(
            Method::GET,
            &format!("{}{path}", s.url),
            &Auth::None,
            None,
            &[("cookie", &cookie)],
        )
        .await;
    assert!(
        page.text.contains("Connect the app (simulated)"),
        "{}",
        page.text
    );
    // Without the confirm cookie the page offers nothing and the step fails.
    assert!(!s.page(path).await.text.contains("<form"));
    let r = link_on_page(&s, ADMIN_JANE_ID, None).await;
    assert_eq!(r.status, 400);
    let r = link_on_page(&s, ADMIN_JANE_ID, Some(&cookie)).await;
    assert_eq!(r.status, 200, "{}", r.text);
    let session = r.cookie("asc_auth_key").expect("signed in");
    assert_eq!(s.self_status(&Auth::Cookie(&session)).await, 200);
    let list = events(&s, "action=4032").await;
    assert_eq!(list.len(), 1);
    assert_eq!(list[0]["userId"], ADMIN_JANE_ID);
    assert_eq!(list[0]["target"], json!([ADMIN_JANE_ID]));
    assert_eq!(list[0]["action"], "User connected tfa app: Jane O'Neil");
    assert_eq!(list[0]["actionType"], 4);
    let me = s.ok(s.get("people/@self", &ADMIN).await).await;
    assert_eq!(me["tfaAppEnabled"], true);
    // Linked already: a second time is refused.
    assert_eq!(
        link_on_page(&s, ADMIN_JANE_ID, Some(&cookie)).await.status,
        400
    );
    // Test control links an app without the page.
    let r = s
        .control(
            Method::POST,
            "link-app",
            Some(json!({ "user": "chen.wei" })),
        )
        .await;
    assert_eq!(r.status, 200);
    let list = events(&s, "action=4032").await;
    assert_eq!(list[0]["userId"], USER_CHEN_ID);
    let r = s
        .control(Method::POST, "link-app", Some(json!({ "user": "nobody" })))
        .await;
    assert_eq!(r.status, 400);
}

#[tokio::test]
async fn only_the_owner_and_admins_read_the_trail() {
    for profile in Profile::ALL {
        let s = sim(profile).await;
        for auth in [ROOMADMIN, USER, GUEST] {
            for path in [FILTER, LAST] {
                let r = s.get(path, &auth).await;
                assert_exception(&r, ACCESS_DENIED);
            }
        }
        for auth in [OWNER, ADMIN, READONLY] {
            assert_eq!(s.get(FILTER, &auth).await.status, 200, "{profile:?}");
        }
        assert_empty(&s.get(FILTER, &Auth::None).await, 401);
        let r = s
            .call(Method::POST, FILTER, &OWNER, Some("{}".into()))
            .await;
        assert_eq!(r.status, 405);
        // Even without the option, a user is refused first.
        set_plan(&s, "none").await;
        assert_exception(&s.get(FILTER, &USER).await, ACCESS_DENIED);
    }
}

#[tokio::test]
async fn a_fresh_portal_has_a_history_without_tfa_events() {
    let s = sim(Profile::V37).await;
    let list = events(&s, "").await;
    assert_eq!(list.len(), BACKGROUND);
    assert_newest_first(&list);
    assert!(action_ids(&list)
        .iter()
        .all(|a| !(6036..=6038).contains(a) && !(4032..=4033).contains(a)));
    assert!(list
        .iter()
        .all(|e| e["ip"].is_string() && e["browser"].is_string()));
    let v = s.control(Method::GET, "audit", None).await.json();
    assert_eq!(v, json!({ "plan": "full", "events": BACKGROUND }));
    clear_trail(&s).await;
    assert!(events(&s, "").await.is_empty());
    let r = s
        .control(
            Method::POST,
            "culture",
            Some(json!({ "user": "owner", "culture": "ru-RU" })),
        )
        .await;
    assert_eq!(r.status, 200);
    let list = events(&s, "").await;
    assert_eq!(action_ids(&list), [4007]);
    assert_eq!(list[0]["action"], "User updated language: Alex Morgan");
    assert_eq!(s.control(Method::POST, "reset", None).await.status, 200);
    assert_eq!(events(&s, "").await.len(), BACKGROUND);
}

#[tokio::test]
async fn the_filter_pages_newest_first_without_a_total() {
    let s = sim(Profile::V37).await;
    clear_trail(&s).await;
    let ids = add_events(
        &s,
        json!({ "actionIds": [6038, 5000, 6036], "count": 150, "date": "2026-01-01T00:00:00Z", "stepSeconds": 60 }),
    )
    .await;
    assert_eq!(ids.len(), 150);
    let all = s.get(FILTER, &OWNER).await.json();
    assert_eq!(all["count"], 100, "count defaults to 100");
    assert!(all.get("total").is_none());
    let page = |q: &'static str| events(&s, q);
    let first = page("count=100").await;
    let second = page("count=100&startIndex=100").await;
    assert_eq!(first.len(), 100);
    assert_eq!(second.len(), 50);
    let mut joined = first.clone();
    joined.extend(second);
    assert_newest_first(&joined);
    let mut seen: Vec<u64> = joined.iter().map(|e| e["id"].as_u64().unwrap()).collect();
    seen.sort();
    assert_eq!(seen, ids);
    assert_eq!(first[0]["date"], "2026-01-01T02:29:00.0000000+00:00");
    assert_eq!(page("startIndex=150").await, Vec::<Value>::new());
    // One action, by number or name.
    let apps = page("action=6038").await;
    assert_eq!(apps.len(), 50);
    assert!(action_ids(&apps).iter().all(|a| *a == 6038));
    assert_eq!(
        page("action=TwoFactorAuthenticationEnabledByTfaApp&count=7")
            .await
            .len(),
        7
    );
    assert_eq!(page("action=0").await.len(), 100, "0 is any action");
    // Dates: from and to are inclusive instants (UTC without a zone).
    let window = events(
        &s,
        "from=2026-01-01T00:10:00Z&to=2026-01-01T01:00:00%2B01:00",
    )
    .await;
    assert!(window.is_empty(), "to is before from");
    let window = events(&s, "from=2026-01-01T00:10:00&to=2026-01-01T00:19:00Z").await;
    assert_eq!(window.len(), 10);
    assert_eq!(window[0]["date"], "2026-01-01T00:19:00.0000000+00:00");
    assert_eq!(window[9]["date"], "2026-01-01T00:10:00.0000000+00:00");
    let window = events(&s, "from=2026-01-01T02:00:00Z&action=6036").await;
    assert_eq!(window.len(), 10);
    // By actor.
    add_events(
        &s,
        json!({ "actionIds": [5002], "count": 3, "user": "admin" }),
    )
    .await;
    let jane = events(&s, &format!("userId={}", ADMIN_JANE_ID.to_uppercase())).await;
    assert_eq!(action_ids(&jane), [5002, 5002, 5002]);
    assert_eq!(jane[0]["user"], "Jane O'Neil");
    assert_eq!(
        events(&s, "userId=00000000-0000-0000-0000-000000000000")
            .await
            .len(),
        100
    );
}

#[tokio::test]
async fn bad_filter_parameters_are_400_before_anything_else() {
    for profile in Profile::ALL {
        let s = sim(profile).await;
        for (q, key) in [
            ("count=500", "count"),
            ("count=0", "count"),
            ("startIndex=-1", "startIndex"),
            ("userId=owner", "userId"),
            ("from=yesterday", "from"),
            ("to=2026-13-01", "to"),
            ("action=Explode", "action"),
        ] {
            let path = format!("{FILTER}?{q}");
            let r = s.get(&path, &USER).await;
            assert_eq!(
                validation_keys_in(profile, &r, &s.api(&path), "GET"),
                [key],
                "{profile:?} {q}"
            );
        }
    }
}

#[tokio::test]
async fn last20_ignores_every_parameter_and_none_is_402() {
    let mut c = Config::test().with_profile(Profile::Next);
    c.audit = AuditPlan::Last20;
    let s = sim_with(c).await;
    s.enable_app(&[]).await;
    s.ok(s.put(NEWAPP, &OWNER, json!({ "id": USER_PRIYA_ID })).await)
        .await;
    let last = s.ok(s.get(LAST, &OWNER).await).await;
    let list = events(
        &s,
        &format!("action=4033&userId={USER_PRIYA_ID}&count=1&startIndex=5"),
    )
    .await;
    assert_eq!(list.len(), 20, "the latest 20 of any kind");
    assert_eq!(Value::Array(list.clone()), last);
    assert_newest_first(&list);
    assert_eq!(action_ids(&list[..2]), [4033, 6038]);
    // ... and only those: the oldest background events are not among them.
    assert_eq!(list[19]["id"], BACKGROUND as u64 + 2 - 19);
    // Binding still comes first.
    let path = format!("{FILTER}?count=500");
    let r = s.get(&path, &OWNER).await;
    assert_eq!(validation_keys(&r, &s.api(&path), "GET"), ["count"]);

    // Switched at run time: no audit option at all.
    set_plan(&s, "none").await;
    for path in [FILTER, LAST] {
        let r = s.get(path, &OWNER).await;
        assert_error(
            &r,
            402,
            "Your pricing plan does not support this option",
            Some("ASC.Core.Billing.BillingException"),
        );
    }
    assert_eq!(
        s.control(Method::GET, "audit", None).await.json()["plan"],
        "none"
    );
    // Events are still recorded, only reading is gated.
    s.put(TFAAPP, &OWNER, json!({ "type": "none" })).await;
    set_plan(&s, "full").await;
    assert_eq!(action_ids(&events(&s, "action=6036").await), [6036]);
    assert_eq!(events(&s, "count=1&startIndex=2").await.len(), 1);
    // reset comes back to the configured plan.
    assert_eq!(s.control(Method::POST, "reset", None).await.status, 200);
    assert_eq!(events(&s, "action=6036&count=1").await.len(), 20);
    let r = s
        .control(Method::POST, "audit", Some(json!({ "plan": "gold" })))
        .await;
    assert_eq!(r.status, 400);
}

#[tokio::test]
async fn events_before_the_retention_period_are_not_in_last() {
    let s = sim(Profile::V37).await;
    clear_trail(&s).await;
    add_events(
        &s,
        json!({ "actionIds": [5000], "count": 5, "date": "2020-01-01T00:00:00Z" }),
    )
    .await;
    add_events(&s, json!({ "actionIds": [5011], "count": 2 })).await;
    let last = s.ok(s.get(LAST, &OWNER).await).await;
    assert_eq!(action_ids(last.as_array().unwrap()), [5011, 5011]);
    assert_eq!(events(&s, "").await.len(), 7, "filter sees them all");
}

#[tokio::test]
async fn seeding_events_checks_its_input() {
    let s = sim(Profile::Seed).await;
    for spec in [
        json!({}),
        json!({ "actionIds": [] }),
        json!({ "actionIds": ["Nope"] }),
        json!({ "actionIds": [5000], "count": 0 }),
        json!({ "actionIds": [5000], "user": "nobody" }),
        json!({ "actionIds": [5000], "date": "soon" }),
    ] {
        let r = s
            .control(Method::POST, "audit-events", Some(spec.clone()))
            .await;
        assert_eq!(r.status, 400, "{spec}");
        assert!(r.json()["error"].is_string());
    }
    // An id the simulator does not know reads "Action N"; a people action
    // is about its target (the actor without one).
    add_events(&s, json!({ "actionIds": [9999, "UserConnectedTfaApp"], "user": "user", "target": "roomadmin" })).await;
    let list = events(&s, "count=2").await;
    assert_eq!(list[0]["action"], "User connected tfa app: Sam Rivera");
    assert_eq!(list[0]["target"], json!([ROOMADMIN_SAM_ID]));
    assert_eq!(list[1]["action"], "Action 9999: Sam Rivera");
    assert_eq!(list[1]["actionType"], 0);
    let all = s.control(Method::GET, "audit-events", None).await.json();
    assert_eq!(all.as_array().unwrap().len(), BACKGROUND + 2);
    assert_eq!(all[0], list[0]);
}
