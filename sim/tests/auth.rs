//! Authentication (§2): API keys and scopes, sessions (Bearer, bare token,
//! cookie), Basic, POST authentication, session invalidation, sign-in hand-off.

mod common;
use common::*;
use reqwest::Method;

#[tokio::test]
async fn each_demo_key_acts_as_its_creator() {
    let s = sim(Profile::Seed).await;
    let cases = [
        // The owner's isAdmin is false (§10.8): isOwner tells them apart.
        ("sk-demo-owner", OWNER_ID, true, false, false, false),
        ("sk-demo-admin", ADMIN_JANE_ID, false, true, false, false),
        (
            "sk-demo-roomadmin",
            ROOMADMIN_SAM_ID,
            false,
            false,
            true,
            false,
        ),
        ("sk-demo-user", USER_PRIYA_ID, false, false, false, false),
        ("sk-demo-guest", GUEST_GINA_ID, false, false, false, true),
    ];
    for (key, id, owner, admin, room, guest) in cases {
        let me = s.ok(s.get("people/@self", &Auth::Key(key)).await).await;
        assert_eq!(me["id"], id, "{key}");
        assert_eq!(me["isOwner"], owner, "{key}");
        assert_eq!(me["isAdmin"], admin, "{key}");
        assert_eq!(me["isRoomAdmin"], room, "{key}");
        assert_eq!(me["isVisitor"], guest, "{key}");
    }
}

/// A `*:read` key passes every GET (§10.9) and no write: an empty 403.
#[tokio::test]
async fn a_read_key_passes_every_get_and_no_write() {
    for profile in Profile::ALL {
        let s = sim(profile).await;
        for path in [
            TFAAPP,
            CONFIRM,
            "settings/version/build",
            "people/@self",
            "people/filter",
            "group",
            &format!("group/{GROUP_FINANCE_ID}"),
        ] {
            assert_eq!(
                s.get(path, &READONLY).await.status,
                200,
                "{profile:?} {path}"
            );
        }
        for path in [TFAAPP, WITHLINK, NEWAPP] {
            for body in [
                json!({ "type": "none" }),
                json!({ "type": "app" }),
                json!({ "id": OWNER_ID }),
            ] {
                assert_empty(&s.put(path, &READONLY, body).await, 403);
            }
        }
    }
}

#[tokio::test]
async fn login_returns_a_token_usable_as_bearer_bare_or_cookie() {
    let s = sim(Profile::Seed).await;
    let r = s.login("Jane.ONeil@example.com", None).await;
    let cookie = r
        .cookie("asc_auth_key")
        .expect("login sets the auth cookie");
    let v = s.ok(r).await;
    let token = v["token"].as_str().unwrap().to_string();
    assert_eq!(token, cookie);
    assert_eq!(token.len(), 64);
    let expires = v["expires"].as_str().unwrap();
    assert!(
        expires.ends_with("+00:00") && expires.len() == 33,
        "{expires}"
    );
    for auth in [Auth::Token(&token), Auth::Raw(&token), Auth::Cookie(&token)] {
        let me = s.ok(s.get("people/@self", &auth).await).await;
        assert_eq!(me["id"], ADMIN_JANE_ID);
    }
    // The user name works as a login too.
    let r = s.login("sam.rivera", None).await;
    assert_eq!(r.status, 200);
}

#[tokio::test]
async fn bad_credentials_give_a_401_envelope() {
    let s = sim(Profile::Seed).await;
    for body in [
        json!({ "userName": "alex.morgan@example.com", "password": "wrong" }),
        json!({ "userName": "nobody@example.com", "password": DEMO_PASSWORD }),
        json!({}),
    ] {
        let r = s.post("authentication", &Auth::None, body).await;
        assert_error(&r, 401, "User authentication failed", None);
    }
    let r = s
        .post("authentication", &Auth::None, json!({ "userName": 5 }))
        .await;
    assert_eq!(
        validation_keys(&r, &s.api("authentication"), "POST"),
        ["$.userName"]
    );
}

#[tokio::test]
async fn basic_auth_uses_email_and_password() {
    let s = sim(Profile::Seed).await;
    // base64("alex.morgan@example.com:demo-password")
    let good = "Basic YWxleC5tb3JnYW5AZXhhbXBsZS5jb206ZGVtby1wYXNzd29yZA==";
    let me = s.ok(s.get("people/@self", &Auth::Raw(good)).await).await;
    assert_eq!(me["id"], OWNER_ID);
    // base64("alex.morgan@example.com:nope")
    let bad = "Basic YWxleC5tb3JnYW5AZXhhbXBsZS5jb206bm9wZQ==";
    assert_empty(&s.get("people/@self", &Auth::Raw(bad)).await, 401);
}

/// `people/@self` with this Authorization header and `asc_auth_key` cookie.
async fn me_with(s: &Sim, auth: &str, cookie: &str) -> Resp {
    s.send(
        Method::GET,
        &s.api("people/@self"),
        &Auth::Raw(auth),
        None,
        &[("cookie", &format!("asc_auth_key={cookie}"))],
    )
    .await
}

/// §10.12: a session token in the Authorization header goes to the cookie
/// handler, which reads the cookie first. (This used to assert the
/// opposite: a bad header beat a good cookie.)
#[tokio::test]
async fn the_cookie_beats_a_session_token_in_the_header() {
    for profile in Profile::ALL {
        let s = sim(profile).await;
        let owner = s.session("owner").await;
        let user = s.session("user").await;
        // Junk, bare or Bearer: the cookie decides.
        for auth in ["Bearer junk", "junk", &format!("Bearer {user}"), &user] {
            let r = me_with(&s, auth, &owner).await;
            assert_eq!(s.ok(r).await["id"], OWNER_ID, "{profile:?} {auth}");
        }
        // A bad cookie is not rescued by a good token.
        assert_empty(&me_with(&s, &format!("Bearer {user}"), "stale").await, 401);
        // API keys and Basic have their own handlers: the cookie is ignored.
        let r = me_with(&s, "Bearer sk-demo-admin", &owner).await;
        assert_eq!(s.ok(r).await["id"], ADMIN_JANE_ID);
        let basic = "Basic YWxleC5tb3JnYW5AZXhhbXBsZS5jb206ZGVtby1wYXNzd29yZA==";
        let r = me_with(&s, basic, &user).await;
        assert_eq!(s.ok(r).await["id"], OWNER_ID);
        // A JWT goes to the OAuth handler, which the simulator does not have.
        let jwt = "Bearer eyJhbGciOiJIUzI1NiJ9.e30.c2ln";
        assert_empty(&me_with(&s, jwt, &owner).await, 401);
    }
}

#[tokio::test]
async fn enabling_tfa_logs_every_session_out_but_api_keys_survive() {
    let s = sim(Profile::V37).await;
    let owner = s.session("owner").await;
    let user = s.session("user").await;
    assert_eq!(s.self_status(&Auth::Token(&owner)).await, 200);
    let r = s
        .put(
            TFAAPP,
            &Auth::Token(&owner),
            json!({ "type": "app", "id": OWNER_ID }),
        )
        .await;
    assert_eq!(s.ok(r).await, true);
    assert_empty(&s.get("people/@self", &Auth::Token(&owner)).await, 401);
    assert_empty(&s.get("people/@self", &Auth::Cookie(&owner)).await, 401);
    assert_empty(&s.get("people/@self", &Auth::Token(&user)).await, 401);
    assert_eq!(s.self_status(&OWNER).await, 200);
    assert_eq!(s.self_status(&USER).await, 200);
    // A session issued after the change works; disabling does not log out.
    let fresh = s.session("owner").await;
    let r = s
        .put(TFAAPP, &Auth::Token(&fresh), json!({ "type": "none" }))
        .await;
    assert_eq!(s.ok(r).await, false);
    assert_eq!(s.self_status(&Auth::Token(&fresh)).await, 200);
}

#[tokio::test]
async fn login_under_tfa_returns_the_tfa_step_instead_of_a_token() {
    let s = sim(Profile::V37).await;
    s.enable_app(&[]).await;
    // Owner has no app linked: gets the secret and the activation link.
    let r = s.login("alex.morgan@example.com", None).await;
    let v = s.ok(r).await;
    let mut keys: Vec<&String> = v.as_object().unwrap().keys().collect();
    keys.sort();
    assert_eq!(keys, ["confirmUrl", "tfa", "tfaKey"]);
    assert_eq!(v["tfa"], true);
    assert_eq!(v["tfaKey"].as_str().unwrap().len(), 16);
    assert_eq!(
        v["confirmUrl"],
        format!(
            "{}/confirm/TfaActivation?type=TfaActivation&uid={OWNER_ID}",
            s.url
        )
    );
    // Jane has an app linked: only the TfaAuth link.
    let r = s.login("jane.oneil@example.com", None).await;
    let v = s.ok(r).await;
    assert_eq!(
        v,
        json!({ "tfa": true, "confirmUrl": format!("{}/confirm/TfaAuth?type=TfaAuth&uid={ADMIN_JANE_ID}", s.url) })
    );
}

#[tokio::test]
async fn resetting_a_users_app_logs_only_that_user_out() {
    let s = sim(Profile::V37).await;
    let jane = s.session(ADMIN_JANE_ID).await;
    let owner = s.session("owner").await;
    let r = s
        .put(NEWAPP, &Auth::Token(&owner), json!({ "id": ADMIN_JANE_ID }))
        .await;
    assert_eq!(s.ok(r).await, "");
    assert_empty(&s.get("people/@self", &Auth::Token(&jane)).await, 401);
    assert_eq!(s.self_status(&Auth::Token(&owner)).await, 200);
    assert_eq!(
        s.self_status(&ADMIN).await,
        200,
        "API keys are not tied to sessions"
    );
}

#[tokio::test]
async fn sign_in_hands_the_browser_a_session_cookie_and_redirects() {
    let s = sim(Profile::Seed).await;
    let r = s
        .page("/sim/signin?as=admin&next=/panel/%3Ftab%3Dtfa")
        .await;
    assert_eq!(r.status, 303);
    assert_eq!(r.header("location").as_deref(), Some("/panel/?tab=tfa"));
    let line = r.set_cookie_line("asc_auth_key").unwrap();
    assert!(line.contains("; HttpOnly"), "{line}");
    assert!(line.contains("; SameSite=Lax"), "{line}");
    assert!(line.contains("; Path=/"), "{line}");
    let token = r.cookie("asc_auth_key").unwrap();
    let me = s
        .ok(s.get("people/@self", &Auth::Cookie(&token)).await)
        .await;
    assert_eq!(me["id"], ADMIN_JANE_ID);

    for (next, expect) in [
        ("", "/"),
        ("//evil.example/x", "/"),
        ("https://evil.example/", "/"),
        ("/%5Cevil", "/"),
    ] {
        let r = s.page(&format!("/sim/signin?as=guest&next={next}")).await;
        assert_eq!(r.status, 303);
        assert_eq!(r.header("location").as_deref(), Some(expect), "next={next}");
    }
    let r = s.page(&format!("/sim/signin?as={USER_ZOE_ID}")).await;
    let token = r.cookie("asc_auth_key").unwrap();
    assert_eq!(
        s.ok(s.get("people/@self", &Auth::Cookie(&token)).await)
            .await["id"],
        USER_ZOE_ID
    );
    assert_eq!(s.page("/sim/signin?as=superuser").await.status, 400);
}

#[tokio::test]
async fn control_sessions_accept_roles_and_ids() {
    let s = sim(Profile::Seed).await;
    for (who, id) in [
        ("owner", OWNER_ID),
        ("roomadmin", ROOMADMIN_SAM_ID),
        ("guest", GUEST_GINA_ID),
        (USER_BOB_ID, USER_BOB_ID),
    ] {
        let t = s.session(who).await;
        assert_eq!(
            s.ok(s.get("people/@self", &Auth::Token(&t)).await).await["id"],
            id
        );
    }
    let r = s
        .control(Method::POST, "session", Some(json!({ "as": "nobody" })))
        .await;
    assert_eq!(r.status, 400);
}
