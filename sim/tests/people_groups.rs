//! People and groups (§5): DTO fields, HTML-encoded display names, filtering,
//! sorting, paging, permissions, and a large generated portal.

mod common;
use common::*;
use reqwest::Method;
use std::time::{Duration, Instant};

/// Seed users in display-name order (case-insensitive).
const SORTED: [&str; 11] = [
    USER_XSS_ID,      // <img ...
    OWNER_ID,         // Alex Morgan
    USER_BOB_ID,      // Bob "The Builder" <Smith>
    USER_CHEN_ID,     // Chen Wei
    GUEST_GINA_ID,    // Gina Guest
    ADMIN_JANE_ID,    // Jane O'Neil
    USER_MARTA_ID,    // Marta Kowalski
    USER_PRIYA_ID,    // Priya Patel
    ADMIN_RAVI_ID,    // Ravi & Sons Admin
    ROOMADMIN_SAM_ID, // Sam Rivera
    USER_ZOE_ID,      // Zoë Łukasz-Ægir
];

fn ids(list: &Value) -> Vec<String> {
    list.as_array()
        .unwrap()
        .iter()
        .map(|u| u["id"].as_str().unwrap().to_string())
        .collect()
}

fn find<'a>(list: &'a Value, id: &str) -> &'a Value {
    list.as_array()
        .unwrap()
        .iter()
        .find(|u| u["id"] == id)
        .unwrap_or_else(|| panic!("{id} not in {list}"))
}

#[tokio::test]
async fn self_profile_has_the_full_dto() {
    let s = sim(Profile::Seed).await;
    let me = s.ok(s.get("people/@self", &ADMIN).await).await;
    assert_eq!(me["id"], ADMIN_JANE_ID);
    assert_eq!(me["displayName"], "Jane O&#39;Neil");
    assert_eq!(me["firstName"], "Jane");
    assert_eq!(me["lastName"], "O'Neil");
    assert_eq!(me["userName"], "jane.oneil");
    assert_eq!(me["email"], "jane.oneil@example.com");
    assert_eq!(me["status"], 1);
    assert_eq!(me["activationStatus"], 1);
    assert_eq!(me["isAdmin"], true);
    assert_eq!(me["isOwner"], false);
    assert_eq!(me["isCollaborator"], false);
    assert_eq!(me["mobilePhone"], "+15550100002");
    assert_eq!(
        me["profileUrl"],
        format!("{}/accounts/view/jane.oneil", s.url)
    );
    assert_eq!(
        me["groups"],
        json!([
            { "id": GROUP_FINANCE_ID, "name": "Finance", "manager": "jane.oneil" },
            { "id": GROUP_ADMINISTRATION_ID, "name": "Administration", "manager": "alex.morgan" }
        ])
    );
    assert!(me.get("tfaAppEnabled").is_none(), "app TFA is off");
    for key in [
        "avatar",
        "avatarSmall",
        "avatarMedium",
        "avatarMax",
        "avatarOriginal",
    ] {
        assert!(
            me[key]
                .as_str()
                .unwrap()
                .starts_with("/static/images/default_user_photo_size_"),
            "{key}"
        );
    }
    assert_eq!(me["hasAvatar"], false);
    assert_eq!(me["isLDAP"], false);
    let guest = s.ok(s.get("people/@self", &GUEST).await).await;
    assert_eq!(guest["isVisitor"], true);
    assert!(guest.get("mobilePhone").is_none());
}

#[tokio::test]
async fn display_names_are_html_encoded_like_the_real_server() {
    let s = sim(Profile::Seed).await;
    let list = s.ok(s.get("people/filter", &OWNER).await).await;
    let by_id = |id: &str| find(&list, id);
    assert_eq!(by_id(ADMIN_RAVI_ID)["displayName"], "Ravi &amp; Sons Admin");
    assert_eq!(by_id(ADMIN_RAVI_ID)["firstName"], "Ravi & Sons");
    assert_eq!(
        by_id(USER_BOB_ID)["displayName"],
        "Bob &quot;The Builder&quot; &lt;Smith&gt;"
    );
    assert_eq!(by_id(USER_BOB_ID)["lastName"], "<Smith>");
    assert_eq!(
        by_id(USER_ZOE_ID)["displayName"],
        "Zo&#235; Łukasz-&#198;gir"
    );
    assert_eq!(
        by_id(USER_XSS_ID)["displayName"],
        "&lt;img src=x onerror=alert(1)&gt;&lt;script&gt;alert(2)&lt;/script&gt;"
    );
    assert_eq!(by_id(USER_XSS_ID)["firstName"], XSS_DISPLAY_NAME);
}

#[tokio::test]
async fn filter_lists_everyone_sorted_by_display_name() {
    let s = sim(Profile::Seed).await;
    let v = s.get("people/filter", &ROOMADMIN).await.json();
    assert_eq!(v["total"], 11);
    assert_eq!(v["count"], 11);
    assert_eq!(ids(&v["response"]), SORTED);
    let v = s
        .get("people/filter?sortOrder=descending&count=2", &OWNER)
        .await
        .json();
    assert_eq!(ids(&v["response"]), [USER_ZOE_ID, ROOMADMIN_SAM_ID]);
}

#[tokio::test]
async fn filter_matches_names_and_emails_case_insensitively() {
    let s = sim(Profile::Seed).await;
    let cases: [(&str, &[&str]); 9] = [
        ("o'neil", &[ADMIN_JANE_ID]),
        ("O%27NEIL", &[ADMIN_JANE_ID]),
        ("ZO%C3%8B", &[USER_ZOE_ID]),
        ("%C5%82ukasz", &[USER_ZOE_ID]),
        ("priya.patel%40", &[USER_PRIYA_ID]),
        ("%26%20sons", &[ADMIN_RAVI_ID]),
        ("%26amp%3B", &[]),
        ("%3Cscript%3E", &[USER_XSS_ID]),
        ("rivera", &[ROOMADMIN_SAM_ID]),
    ];
    for (q, expect) in cases {
        let v = s
            .get(&format!("people/filter?filterValue={q}"), &ADMIN)
            .await
            .json();
        assert_eq!(ids(&v["response"]), expect, "filterValue={q}");
        assert_eq!(v["total"], expect.len(), "filterValue={q}");
    }
}

#[tokio::test]
async fn filter_pages_with_count_and_start_index() {
    let s = sim(Profile::Seed).await;
    let v = s
        .get("people/filter?count=3&startIndex=3", &OWNER)
        .await
        .json();
    assert_eq!(ids(&v["response"]), &SORTED[3..6]);
    assert_eq!(v["count"], 3);
    assert_eq!(v["total"], 11);
    let v = s
        .get("people/filter?count=5&startIndex=10", &OWNER)
        .await
        .json();
    assert_eq!(ids(&v["response"]), &SORTED[10..]);
    let v = s.get("people/filter?startIndex=50", &OWNER).await.json();
    assert_eq!(v["response"], json!([]));
    assert_eq!(v["count"], 0);
    assert_eq!(v["total"], 11);
}

#[tokio::test]
async fn filter_rejects_out_of_range_paging() {
    let s = sim(Profile::Seed).await;
    for (q, key) in [
        ("count=0", "count"),
        ("count=101", "count"),
        ("count=500", "count"),
        ("count=abc", "count"),
        ("startIndex=-1", "startIndex"),
    ] {
        let path = format!("people/filter?{q}");
        let r = s.get(&path, &OWNER).await;
        assert_eq!(validation_keys(&r, &s.api(&path), "GET"), [key], "{q}");
    }
    let r = s.get("group?count=101", &OWNER).await;
    assert_eq!(
        validation_keys(&r, &s.api("group?count=101"), "GET"),
        ["count"]
    );
}

#[tokio::test]
async fn filter_supports_type_and_group() {
    let s = sim(Profile::Seed).await;
    let v = s.get("people/filter?employeeType=3", &OWNER).await.json();
    assert_eq!(
        ids(&v["response"]),
        [OWNER_ID, ADMIN_JANE_ID, ADMIN_RAVI_ID]
    );
    let v = s
        .get(&format!("people/filter?groupId={GROUP_RND_ID}"), &OWNER)
        .await
        .json();
    assert_eq!(
        ids(&v["response"]),
        [USER_BOB_ID, USER_CHEN_ID, ROOMADMIN_SAM_ID, USER_ZOE_ID]
    );
}

#[tokio::test]
async fn guests_and_users_cannot_list_people() {
    let s = sim(Profile::Seed).await;
    for auth in [USER, GUEST] {
        let r = s.get("people/filter", &auth).await;
        assert_exception(&r, SECURITY_DENIED);
    }
}

/// §10.8: `IsAdmin = type is DocSpaceAdmin && !IsOwner`.
#[tokio::test]
async fn the_owner_is_not_admin_in_any_profile() {
    for profile in Profile::ALL {
        let s = sim(profile).await;
        let me = s.ok(s.get("people/@self", &OWNER).await).await;
        assert_eq!(
            (me["isOwner"].clone(), me["isAdmin"].clone()),
            (json!(true), json!(false)),
            "{profile:?}"
        );
        let list = s.ok(s.get("people/filter", &ADMIN).await).await;
        assert_eq!(find(&list, OWNER_ID)["isAdmin"], false);
        assert_eq!(find(&list, ADMIN_JANE_ID)["isAdmin"], true);
        assert_eq!(find(&list, ADMIN_RAVI_ID)["isAdmin"], true);
        let members = format!("group/{GROUP_ADMINISTRATION_ID}?includeMembers=true");
        let g = s.ok(s.get(&members, &OWNER).await).await;
        assert_eq!(g["manager"]["isAdmin"], false);
        assert_eq!(g["manager"]["isOwner"], true);
        // Still allowed to do everything an administrator does.
        let r = s.put(TFAAPP, &OWNER, json!({ "type": "none" })).await;
        assert_eq!(s.ok(r).await, false);
    }
}

/// `tfaAppEnabled` is shown to the owner and admins (§10.8), and only while
/// app TFA is on.
#[tokio::test]
async fn tfa_app_enabled_shows_only_to_admins_while_app_tfa_is_on() {
    for profile in Profile::ALL {
        let s = sim(profile).await;
        let shown = |v: &Value| v.get("tfaAppEnabled").cloned();
        let nobody = |list: &Value| list.as_array().unwrap().iter().all(|u| shown(u).is_none());
        let members = format!("group/{GROUP_ADMINISTRATION_ID}?includeMembers=true");
        // App TFA off: nobody sees it.
        for auth in [OWNER, ADMIN] {
            let me = s.ok(s.get("people/@self", &auth).await).await;
            assert_eq!(shown(&me), None, "{profile:?}");
            assert!(nobody(&s.ok(s.get("people/filter", &auth).await).await));
        }
        s.enable_app(&[]).await;
        for auth in [OWNER, ADMIN] {
            let list = s.ok(s.get("people/filter", &auth).await).await;
            let linked: Vec<&str> = list
                .as_array()
                .unwrap()
                .iter()
                .filter(|u| u["tfaAppEnabled"] == true)
                .map(|u| u["id"].as_str().unwrap())
                .collect();
            assert_eq!(
                linked,
                [
                    ADMIN_JANE_ID,
                    USER_MARTA_ID,
                    USER_PRIYA_ID,
                    ROOMADMIN_SAM_ID
                ],
                "{profile:?}"
            );
            assert!(list
                .as_array()
                .unwrap()
                .iter()
                .all(|u| u["tfaAppEnabled"].is_boolean()));
            assert_eq!(shown(find(&list, OWNER_ID)), Some(json!(false)));
            let g = s.ok(s.get(&members, &auth).await).await;
            assert_eq!(shown(find(&g["members"], ADMIN_JANE_ID)), Some(json!(true)));
            assert_eq!(shown(&g["manager"]), Some(json!(false)));
        }
        let me = s.ok(s.get("people/@self", &ADMIN).await).await;
        assert_eq!(shown(&me), Some(json!(true)));
        // Other viewers never see it, not even about themselves.
        let list = s.ok(s.get("people/filter", &ROOMADMIN).await).await;
        assert!(nobody(&list), "{profile:?}");
        let g = s.ok(s.get(&members, &USER).await).await;
        assert_eq!(shown(find(&g["members"], ADMIN_JANE_ID)), None);
        let me = s.ok(s.get("people/@self", &USER).await).await;
        assert_eq!(shown(&me), None);
    }
}

/// `POST /sim/control/culture {user, culture}`.
async fn set_culture(s: &Sim, user: &str, culture: &str) -> Resp {
    s.control(
        Method::POST,
        "culture",
        Some(json!({ "user": user, "culture": culture })),
    )
    .await
}

fn cultures(list: &Value) -> Vec<(String, String)> {
    list.as_array()
        .unwrap()
        .iter()
        .map(|u| {
            (
                u["id"].as_str().unwrap().to_string(),
                u["cultureName"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

#[tokio::test]
async fn every_user_is_en_us_by_default() {
    let s = sim(Profile::Seed).await;
    for auth in [&OWNER, &ADMIN, &ROOMADMIN, &USER, &GUEST] {
        let me = s.ok(s.get("people/@self", auth).await).await;
        assert_eq!(me["cultureName"], DEFAULT_CULTURE, "{me}");
    }
    assert_eq!(DEFAULT_CULTURE, "en-US");
    let list = s.ok(s.get("people/filter", &OWNER).await).await;
    assert_eq!(list.as_array().unwrap().len(), SEED_USER_COUNT);
    for (id, culture) in cultures(&list) {
        assert_eq!(culture, "en-US", "{id}");
    }
}

#[tokio::test]
async fn control_sets_the_owners_culture_for_self_and_filter() {
    let s = sim(Profile::V37).await;
    let r = set_culture(&s, OWNER_ID, "ru-RU").await;
    assert_eq!(r.status, 200, "{}", r.text);
    assert_eq!(r.json(), json!({ "ok": true }));
    // The owner, connecting with the owner's key or a session token.
    let me = s.ok(s.get("people/@self", &OWNER).await).await;
    assert_eq!(
        (me["id"].clone(), me["cultureName"].clone()),
        (json!(OWNER_ID), json!("ru-RU"))
    );
    let token = s.session("owner").await;
    let me = s
        .ok(s.get("people/@self", &Auth::Token(&token)).await)
        .await;
    assert_eq!(me["cultureName"], "ru-RU");
    // Only the owner changed, in people/filter and in group members.
    let list = s.ok(s.get("people/filter", &ADMIN).await).await;
    for (id, culture) in cultures(&list) {
        let want = if id == OWNER_ID { "ru-RU" } else { "en-US" };
        assert_eq!(culture, want, "{id}");
    }
    let group = s
        .ok(s
            .get(
                &format!("group/{GROUP_ADMINISTRATION_ID}?includeMembers=true"),
                &OWNER,
            )
            .await)
        .await;
    assert_eq!(group["manager"]["cultureName"], "ru-RU");
    let admin = s.ok(s.get("people/@self", &ADMIN).await).await;
    assert_eq!(admin["cultureName"], "en-US");
    // Reset brings the default back.
    let r = s.control(Method::POST, "reset", None).await;
    assert_eq!(r.status, 200);
    let me = s.ok(s.get("people/@self", &OWNER).await).await;
    assert_eq!(me["cultureName"], "en-US");
}

#[tokio::test]
async fn control_names_users_by_role_id_email_or_user_name() {
    let s = sim(Profile::Seed).await;
    for (who, culture, auth, id) in [
        ("owner", "de-DE", &OWNER, OWNER_ID),
        ("alex.morgan@example.com", "fr-FR", &OWNER, OWNER_ID),
        ("Alex.Morgan@Example.com", "es-ES", &OWNER, OWNER_ID),
        (
            "8F2C1A9E-0001-4A6E-9C1D-5E7F00000001",
            "ja-JP",
            &OWNER,
            OWNER_ID,
        ),
        ("jane.oneil", "it-IT", &ADMIN, ADMIN_JANE_ID),
        ("admin", "pt-BR", &ADMIN, ADMIN_JANE_ID),
        (USER_PRIYA_ID, " ru-RU ", &USER, USER_PRIYA_ID),
        ("guest", "zh-CN", &GUEST, GUEST_GINA_ID),
    ] {
        let r = set_culture(&s, who, culture).await;
        assert_eq!(r.status, 200, "{who}: {}", r.text);
        let me = s.ok(s.get("people/@self", auth).await).await;
        assert_eq!(me["id"], id, "{who}");
        assert_eq!(me["cultureName"], culture.trim(), "{who}");
    }
}

#[tokio::test]
async fn control_rejects_unknown_users_and_empty_cultures() {
    let s = sim(Profile::Seed).await;
    for (body, needle) in [
        (
            json!({ "user": "nobody@example.com", "culture": "ru-RU" }),
            "unknown user",
        ),
        (
            json!({ "user": "8f2c1a9e-0099-4a6e-9c1d-5e7f00000099", "culture": "ru-RU" }),
            "unknown user",
        ),
        (
            json!({ "user": "", "culture": "ru-RU" }),
            "user is required",
        ),
        (json!({ "culture": "ru-RU" }), "user is required"),
        (json!({ "user": 1, "culture": "ru-RU" }), "user is required"),
        (
            json!({ "user": OWNER_ID, "culture": "" }),
            "culture must not be empty",
        ),
        (
            json!({ "user": OWNER_ID, "culture": "  " }),
            "culture must not be empty",
        ),
        (json!({ "user": OWNER_ID }), "culture is required"),
        (
            json!({ "user": OWNER_ID, "culture": null }),
            "culture is required",
        ),
    ] {
        let r = s.control(Method::POST, "culture", Some(body.clone())).await;
        assert_eq!(r.status, 400, "{body}: {}", r.text);
        let msg = r.json()["error"].as_str().unwrap().to_string();
        assert!(msg.contains(needle), "{body}: {msg}");
    }
    let r = s.control(Method::GET, "culture", None).await;
    assert_eq!(r.status, 405);
    // Nothing changed.
    let me = s.ok(s.get("people/@self", &OWNER).await).await;
    assert_eq!(me["cultureName"], "en-US");
}

#[tokio::test]
async fn a_configured_culture_is_everyones_and_survives_reset() {
    let s = sim_with(Config::test().with_culture("pl-PL")).await;
    let list = s.ok(s.get("people/filter", &OWNER).await).await;
    for (id, culture) in cultures(&list) {
        assert_eq!(culture, "pl-PL", "{id}");
    }
    assert_eq!(set_culture(&s, "owner", "ru-RU").await.status, 200);
    let me = s.ok(s.get("people/@self", &OWNER).await).await;
    assert_eq!(me["cultureName"], "ru-RU");
    assert_eq!(s.control(Method::POST, "reset", None).await.status, 200);
    let me = s.ok(s.get("people/@self", &OWNER).await).await;
    assert_eq!(me["cultureName"], "pl-PL");
    assert!(Config::test().with_culture(" ").validate().is_err());
}

#[tokio::test]
async fn groups_are_listed_by_name_with_totals() {
    let s = sim(Profile::Seed).await;
    let v = s.get("group", &USER).await.json();
    let names: Vec<&str> = v["response"]
        .as_array()
        .unwrap()
        .iter()
        .map(|g| g["name"].as_str().unwrap())
        .collect();
    assert_eq!(
        names,
        [
            "Administration",
            "Finance",
            "R&D",
            "Sales <EMEA>",
            "Support"
        ]
    );
    assert_eq!(v["total"], 5);
    let finance = &v["response"][1];
    assert_eq!(finance["id"], GROUP_FINANCE_ID);
    assert_eq!(finance["membersCount"], 3);
    assert_eq!(finance["manager"]["id"], ADMIN_JANE_ID);
    assert!(finance.get("members").is_none());
    assert!(
        v["response"][4].get("manager").is_none(),
        "Support has no manager"
    );
    let v = s.get("group?filterValue=r%26d", &USER).await.json();
    assert_eq!(ids(&v["response"]), [GROUP_RND_ID]);
    let v = s.get("group?count=2&startIndex=2", &USER).await.json();
    assert_eq!(ids(&v["response"]), [GROUP_RND_ID, GROUP_SALES_ID]);
    assert_eq!(v["total"], 5);
    let r = s.get("group", &GUEST).await;
    assert_exception(&r, SECURITY_DENIED);
}

#[tokio::test]
async fn one_group_with_and_without_members() {
    let s = sim(Profile::Seed).await;
    let g = s
        .ok(s
            .get(&format!("group/{GROUP_FINANCE_ID}"), &ROOMADMIN)
            .await)
        .await;
    assert_eq!(g["name"], "Finance");
    assert!(g.get("members").is_none());
    let g = s
        .ok(s
            .get(
                &format!("group/{GROUP_FINANCE_ID}?includeMembers=true"),
                &ROOMADMIN,
            )
            .await)
        .await;
    assert_eq!(
        ids(&g["members"]),
        [ADMIN_JANE_ID, USER_MARTA_ID, USER_PRIYA_ID]
    );
    let g = s
        .ok(s
            .get(&format!("group/{}", GROUP_SALES_ID.to_uppercase()), &OWNER)
            .await)
        .await;
    assert_eq!(g["name"], "Sales <EMEA>");
    let r = s
        .get("group/11111111-2222-4333-8444-555555555555", &OWNER)
        .await;
    assert_error(
        &r,
        404,
        "Group not found",
        Some("ASC.Common.Web.ItemNotFoundException"),
    );
    let r = s.get(&format!("group/{GROUP_FINANCE_ID}"), &GUEST).await;
    assert_eq!(r.status, 403);
}

#[tokio::test]
async fn a_large_portal_starts_fast_and_filters_in_milliseconds() {
    let mut c = Config::test();
    c.users = 50_000;
    c.groups = 2_000;
    let t0 = Instant::now();
    let s = sim_with(c).await;
    let started = t0.elapsed();
    eprintln!("50k users / 2k groups started in {started:?}");
    // Generous bounds: the build machine is shared. The sim profile builds
    // this portal in a fraction of a second on an idle machine.
    assert!(
        started < Duration::from_secs(10),
        "start-up took {started:?}"
    );

    let v = s.get("people/filter?count=1", &OWNER).await.json();
    assert_eq!(v["total"], 50_011);

    // 40 first names cycle: every 40th generated user is an Olivia.
    let t1 = Instant::now();
    let v = s
        .get("people/filter?filterValue=olivia&count=100", &OWNER)
        .await
        .json();
    let took = t1.elapsed();
    eprintln!("filtered query answered in {took:?}");
    assert_eq!(v["total"], 1250);
    assert_eq!(v["count"], 100);
    assert!(v["response"]
        .as_array()
        .unwrap()
        .iter()
        .all(|u| u["firstName"] == "Olivia"));
    let last = s
        .get(
            "people/filter?filterValue=OLIVIA&count=100&startIndex=1200",
            &OWNER,
        )
        .await
        .json();
    assert_eq!(last["count"], 50);
    assert_eq!(last["total"], 1250);
    let names: Vec<&str> = last["response"]
        .as_array()
        .unwrap()
        .iter()
        .map(|u| u["displayName"].as_str().unwrap())
        .collect();
    let mut sorted = names.clone();
    sorted.sort_by_key(|n| n.to_lowercase());
    assert_eq!(names, sorted);
    assert!(took < Duration::from_secs(2), "{took:?}");

    let g = s
        .get("group?count=100&startIndex=1950", &OWNER)
        .await
        .json();
    assert_eq!(g["total"], 2005);
    assert_eq!(g["count"], 55);
    let g = s.get("group?filterValue=berlin", &OWNER).await.json();
    assert!(g["total"].as_u64().unwrap() > 100);
    let first = &g["response"][0];
    assert_eq!(first["membersCount"], 25);
    let id = first["id"].as_str().unwrap();
    let full = s
        .ok(s
            .get(&format!("group/{id}?includeMembers=true"), &OWNER)
            .await)
        .await;
    assert_eq!(full["members"].as_array().unwrap().len(), 25);
}

/// Every page of `people/filter?{query}` with `count=100`, checking `total`
/// on each page.
async fn every_page(s: &Sim, query: &str) -> (Vec<Value>, u64) {
    let mut all = Vec::new();
    let mut total = None;
    loop {
        let path = format!("people/filter?{query}&count=100&startIndex={}", all.len());
        let v = s.get(&path, &OWNER).await.json();
        let t = v["total"].as_u64().unwrap();
        assert_eq!(
            *total.get_or_insert(t),
            t,
            "total is the same on every page"
        );
        let page = v["response"].as_array().unwrap().clone();
        assert_eq!(v["count"], page.len());
        assert!(page.len() <= 100);
        if page.is_empty() {
            return (all, t);
        }
        all.extend(page);
    }
}

/// Generated user K (`first.last.K@example.com`) has an app linked when
/// K % 3 == 1: the 1st, 4th, 7th, ... Deterministic.
#[tokio::test]
async fn every_third_generated_user_has_an_app_linked() {
    let mut c = Config::test().with_profile(Profile::V37);
    c.users = 250;
    let s = sim_with(c).await;
    s.enable_app(&[]).await;
    let (all, total) = every_page(&s, "filterValue=").await;
    assert_eq!(total, 261);
    assert_eq!(all.len(), 261);
    let mut seen: Vec<&str> = all.iter().map(|u| u["id"].as_str().unwrap()).collect();
    seen.sort();
    seen.dedup();
    assert_eq!(seen.len(), 261, "each person on exactly one page");
    let mut linked = 0;
    for u in &all {
        let email = u["email"].as_str().unwrap();
        let local = email.split('@').next().unwrap();
        let Some(k) = local
            .rsplit('.')
            .next()
            .and_then(|k| k.parse::<usize>().ok())
        else {
            continue; // a seed user
        };
        assert_eq!(u["tfaAppEnabled"], k % 3 == 1, "{email}");
        linked += usize::from(k % 3 == 1);
    }
    assert_eq!(linked, 84);
    // The same portal again: the same people linked.
    let mut c = Config::test();
    c.users = 250;
    let again = sim_with(c).await;
    again.enable_app(&[]).await;
    let (all2, _) = every_page(&again, "filterValue=").await;
    let pick = |l: &[Value]| -> Vec<(String, bool)> {
        let mut v: Vec<(String, bool)> = l
            .iter()
            .map(|u| {
                (
                    u["id"].as_str().unwrap().to_string(),
                    u["tfaAppEnabled"] == true,
                )
            })
            .collect();
        v.sort();
        v
    };
    assert_eq!(pick(&all), pick(&all2));
}

#[tokio::test]
async fn paging_limits_and_totals_in_every_profile() {
    for profile in Profile::ALL {
        let mut c = Config::test().with_profile(profile);
        c.users = 150;
        c.groups = 3;
        let s = sim_with(c).await;
        for q in ["count=500", "count=101&startIndex=0", "count=0"] {
            let path = format!("people/filter?{q}");
            let r = s.get(&path, &OWNER).await;
            assert_eq!(
                validation_keys_in(profile, &r, &s.api(&path), "GET"),
                ["count"],
                "{profile:?} {q}"
            );
        }
        let v = s
            .get("people/filter?count=100&startIndex=100", &OWNER)
            .await
            .json();
        assert_eq!(v["count"], 61, "{profile:?}");
        assert_eq!(v["total"], 161);
        // Filters narrow the total.
        let group = s
            .ok(s.get("group?filterValue=marketing", &OWNER).await)
            .await;
        let gid = group[0]["id"].as_str().unwrap().to_string();
        let (members, total) = every_page(&s, &format!("groupId={gid}")).await;
        assert_eq!(total, 50);
        assert_eq!(members.len(), 50);
        let (admins, total) = every_page(&s, "employeeType=3").await;
        assert_eq!(total as usize, admins.len());
        assert!(admins
            .iter()
            .all(|u| u["isAdmin"] == true || u["isOwner"] == true));
        let (room_admins, _) = every_page(&s, "employeeType=1").await;
        let (both, total) = every_page(&s, "employeeTypes=1&employeeTypes=3").await;
        assert_eq!(
            total as usize,
            admins.len() + room_admins.len(),
            "{profile:?}"
        );
        assert_eq!(both.len(), total as usize);
        let (in_group, total) = every_page(&s, &format!("groupId={gid}&employeeType=4")).await;
        assert_eq!(total as usize, in_group.len());
        assert!(total > 0 && total < 50);
        assert!(in_group.iter().all(|u| u["isCollaborator"] == true));
    }
}
