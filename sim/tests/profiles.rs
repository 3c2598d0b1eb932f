//! §10's corrections that apply across profiles, each checked in a table
//! over every profile: the owner's `isAdmin`, who sees `tfaAppEnabled`,
//! `*:read` keys, SameSite Strict confirm cookies, the 3.6 validation
//! envelope and guard order, SMS without a provider, `type` ignored by
//! `tfaappnewapp` on every release.

mod common;
use common::*;

fn find<'a>(list: &'a Value, id: &str) -> &'a Value {
    list.as_array()
        .unwrap()
        .iter()
        .find(|u| u["id"] == id)
        .unwrap_or_else(|| panic!("{id} not in {list}"))
}

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
        let g = s
            .ok(s
                .get(
                    &format!("group/{GROUP_ADMINISTRATION_ID}?includeMembers=true"),
                    &OWNER,
                )
                .await)
            .await;
        assert_eq!(g["manager"]["isAdmin"], false);
        assert_eq!(g["manager"]["isOwner"], true);
        // Still allowed to do everything an administrator does.
        let r = s
            .put("settings/tfaapp", &OWNER, json!({ "type": "none" }))
            .await;
        assert_eq!(s.ok(r).await, false);
    }
}

#[tokio::test]
async fn tfa_app_enabled_is_shown_to_the_owner_and_admins_while_app_tfa_is_on() {
    for profile in Profile::ALL {
        let s = sim(profile).await;
        let shown = |v: &Value| v.get("tfaAppEnabled").cloned();
        let members = format!("group/{GROUP_ADMINISTRATION_ID}?includeMembers=true");
        // App TFA off: nobody sees it.
        for auth in [OWNER, ADMIN] {
            let me = s.ok(s.get("people/@self", &auth).await).await;
            assert_eq!(shown(&me), None, "{profile:?}");
        }
        s.enable_app(&[]).await;
        for auth in [OWNER, ADMIN] {
            let list = s.ok(s.get("people/filter", &auth).await).await;
            assert_eq!(
                shown(find(&list, ADMIN_JANE_ID)),
                Some(json!(true)),
                "{profile:?}"
            );
            assert_eq!(shown(find(&list, OWNER_ID)), Some(json!(false)));
            let g = s.ok(s.get(&members, &auth).await).await;
            assert_eq!(shown(find(&g["members"], ADMIN_JANE_ID)), Some(json!(true)));
            assert_eq!(shown(&g["manager"]), Some(json!(false)));
        }
        let me = s.ok(s.get("people/@self", &ADMIN).await).await;
        assert_eq!(shown(&me), Some(json!(true)));
        // Other viewers never see it, not even about themselves.
        let list = s.ok(s.get("people/filter", &ROOMADMIN).await).await;
        assert_eq!(shown(find(&list, ADMIN_JANE_ID)), None, "{profile:?}");
        let g = s.ok(s.get(&members, &USER).await).await;
        assert_eq!(shown(find(&g["members"], ADMIN_JANE_ID)), None);
        let me = s.ok(s.get("people/@self", &USER).await).await;
        assert_eq!(shown(&me), None);
    }
}

#[tokio::test]
async fn a_read_key_passes_every_get_and_no_write() {
    for profile in Profile::ALL {
        let s = sim(profile).await;
        for path in [
            "settings/tfaapp",
            "settings/tfaapp/confirm",
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
        for path in [
            "settings/tfaapp",
            "settings/tfaappwithlink",
            "settings/tfaappnewapp",
        ] {
            let r = s.put(path, &READONLY, json!({ "type": "none" })).await;
            assert_empty(&r, 403);
        }
    }
}

fn assert_strict(r: &Resp, name: &str) {
    let line = r
        .set_cookie_line(name)
        .unwrap_or_else(|| panic!("no {name} cookie: {:?}", r.headers_all("set-cookie")));
    assert!(line.contains("; HttpOnly"), "{line}");
    assert!(line.contains("; SameSite=Strict"), "{line}");
}

#[tokio::test]
async fn confirm_key_cookies_are_http_only_and_samesite_strict() {
    for profile in Profile::ALL {
        let s = sim(profile).await;
        s.enable_app(&[]).await;
        let r = s.get("settings/tfaapp/confirm", &ADMIN).await;
        assert_strict(&r, "asc_confirm_key_TfaAuth");
        let r = s.login("alex.morgan@example.com", None).await;
        assert_strict(&r, "asc_confirm_key_TfaActivation");
        if profile != Profile::Seed {
            let r = s
                .put(
                    "settings/tfaappnewapp",
                    &USER,
                    json!({ "id": USER_PRIYA_ID }),
                )
                .await;
            assert_strict(&r, "asc_confirm_key_TfaActivation");
            let r = s
                .put(
                    "settings/tfaappwithlink",
                    &OWNER,
                    json!({ "type": "app", "id": OWNER_ID }),
                )
                .await;
            assert_strict(&r, "asc_confirm_key_TfaActivation");
        }
    }
}

#[tokio::test]
async fn validation_errors_say_status_0_and_200_on_3_6_only() {
    for profile in Profile::ALL {
        let s = sim(profile).await;
        let r = s
            .put(
                "settings/tfaappnewapp",
                &OWNER,
                json!({ "id": "not-a-guid" }),
            )
            .await;
        assert_eq!(
            validation_keys_in(profile, &r, &s.api("settings/tfaappnewapp"), "PUT"),
            ["$.id"],
            "{profile:?}"
        );
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

#[tokio::test]
async fn withlink_checks_the_owner_guard_first_on_3_6_only() {
    for profile in Profile::ALL {
        let s = sim(profile).await;
        let body = json!({ "type": "app", "id": OWNER_ID });
        let r = s
            .put("settings/tfaappwithlink", &ROOMADMIN, body.clone())
            .await;
        if profile == Profile::V36 {
            assert_error(
                &r,
                403,
                "No permissions to perform this action",
                Some("System.InvalidOperationException"),
            );
        } else {
            assert_error(
                &r,
                403,
                "Access denied",
                Some("ASC.Common.Security.Authorizing.AuthorizingException"),
            );
        }
        // PUT tfaapp checks permission first everywhere.
        let r = s.put("settings/tfaapp", &ROOMADMIN, body).await;
        assert_error(
            &r,
            403,
            "Access denied",
            Some("ASC.Common.Security.Authorizing.AuthorizingException"),
        );
    }
}

#[tokio::test]
async fn sms_without_a_provider() {
    for profile in Profile::ALL {
        let mut c = Config::test().with_profile(profile);
        c.sms_available = Some(false);
        let s = sim_with(c).await;
        for path in ["settings/tfaapp", "settings/tfaappwithlink"] {
            let r = s
                .put(path, &OWNER, json!({ "type": "sms", "id": OWNER_ID }))
                .await;
            match profile {
                Profile::V36 | Profile::V37 => assert_error(
                    &r,
                    403,
                    "Operation is not valid due to the current state of the object.",
                    Some("System.InvalidOperationException"),
                ),
                Profile::Seed | Profile::Next => {
                    assert_error(&r, 405, "SMS settings are not available", None)
                }
            }
        }
    }
}

#[tokio::test]
async fn newapp_ignores_type_on_every_release() {
    for profile in [Profile::V36, Profile::V37, Profile::Next] {
        let s = sim(profile).await;
        s.enable_app(&[]).await;
        for (id, ty) in [
            (USER_PRIYA_ID, "none"),
            (USER_MARTA_ID, "sms"),
            (ADMIN_JANE_ID, "app"),
        ] {
            let r = s
                .put(
                    "settings/tfaappnewapp",
                    &OWNER,
                    json!({ "id": id, "type": ty }),
                )
                .await;
            assert_eq!(s.ok(r).await, "", "{profile:?} {ty}");
            let list = s.ok(s.get("people/filter", &OWNER).await).await;
            assert_eq!(find(&list, id)["tfaAppEnabled"], false, "{profile:?} {ty}");
        }
        // Priya still needs TFA under the portal policy: she links an app again.
        let v = s.ok(s.login("priya.patel@example.com", None).await).await;
        assert_eq!(v["tfa"], true, "{profile:?}");
        assert!(v["tfaKey"].is_string(), "{v}");
        assert_eq!(s.outbox().await.len(), 3);
    }
}
