//! `PUT settings/tfaappnewapp` (§4): who may reset whom, in which order the
//! checks run on each profile, what a reset does on the releases (unlink
//! the app, sign the user out, mail them or re-authenticate the caller) and
//! on seed (reset the user's TFA to `type` and mail a sign-in link).

mod common;
use common::*;

const UNKNOWN_ID: &str = "11111111-2222-4333-8444-555555555555";
const EMPTY_ID: &str = "00000000-0000-0000-0000-000000000000";

#[tokio::test]
async fn who_may_reset_whom_in_the_documented_order() {
    use Answer::{Fails, Invalid, Ok, Status};
    let np = || Fails(NO_PERMISSION);
    for profile in Profile::ALL {
        let s = sim(profile).await;
        let login = |uid: &str| Ok(json!(format!("{}/login?uid={uid}", s.url)));
        // The releases' "not available": 405 on next, 403 before.
        let app = || match profile {
            Profile::Next => Fails(APP_NOT_AVAILABLE_405),
            _ => Fails(APP_NOT_AVAILABLE_403),
        };
        // Seed: an id that names nobody.
        let nobody = || Fails(SECURITY_DENIED);
        // (caller, body, [seed, 3.6, 3.7, next])
        let probes = [
            // Not me and not the owner.
            (
                ADMIN,
                json!({ "id": USER_PRIYA_ID }),
                [np(), np(), np(), np()],
            ),
            (
                ROOMADMIN,
                json!({ "id": USER_PRIYA_ID }),
                [np(), np(), np(), np()],
            ),
            (
                ADMIN,
                json!({ "id": USER_MARTA_ID }),
                [np(), np(), np(), np()],
            ),
            // Zoë has no app linked: "not available" on the releases.
            (
                OWNER,
                json!({ "id": USER_ZOE_ID }),
                [Status(200), app(), app(), app()],
            ),
            // An unknown or empty id: seed and next refuse it first.
            (
                OWNER,
                json!({ "id": UNKNOWN_ID }),
                [nobody(), app(), app(), np()],
            ),
            (
                ROOMADMIN,
                json!({ "id": UNKNOWN_ID }),
                [nobody(), np(), np(), np()],
            ),
            (OWNER, json!({}), [nobody(), app(), app(), np()]),
            (
                USER,
                json!({ "id": EMPTY_ID }),
                [nobody(), app(), app(), np()],
            ),
            (
                OWNER,
                json!({ "id": "" }),
                [
                    Invalid(&["$.id"]),
                    Invalid(&["$.id"]),
                    Invalid(&["$.id"]),
                    Invalid(&["$.id"]),
                ],
            ),
            // Anyone may reset themselves (Gina has no app to unlink).
            (
                GUEST,
                json!({ "id": GUEST_GINA_ID, "type": "app" }),
                [login(GUEST_GINA_ID), app(), app(), app()],
            ),
            // The owner resets others; the releases ignore `type`.
            (
                OWNER,
                json!({ "id": USER_MARTA_ID, "type": "sms" }),
                [
                    login(USER_MARTA_ID),
                    Ok(json!("")),
                    Ok(json!("")),
                    Ok(json!("")),
                ],
            ),
        ];
        for (auth, body, answers) in probes {
            let label = format!("{profile:?} {body}");
            let r = s.put(NEWAPP, &auth, body).await;
            s.expect(profile, NEWAPP, r, &per_profile(profile, answers), &label)
                .await;
        }
        let mail = s.outbox().await;
        assert_eq!(
            mail.last().unwrap()["to"],
            "marta.kowalski@example.com",
            "{profile:?}"
        );
    }
}

#[tokio::test]
async fn the_releases_unlink_the_app_sign_the_user_out_and_tell_them() {
    for (profile, not_available) in [
        (Profile::V36, APP_NOT_AVAILABLE_403),
        (Profile::V37, APP_NOT_AVAILABLE_403),
        (Profile::Next, APP_NOT_AVAILABLE_405),
    ] {
        let s = sim(profile).await;
        let jane = s.session(ADMIN_JANE_ID).await;
        let owner = s.session("owner").await;
        let r = s
            .put(NEWAPP, &Auth::Token(&owner), json!({ "id": ADMIN_JANE_ID }))
            .await;
        assert_eq!(s.ok(r).await, "", "{profile:?}");
        // Only Jane is signed out; API keys are not tied to sessions.
        assert_empty(&s.get("people/@self", &Auth::Token(&jane)).await, 401);
        assert_eq!(s.self_status(&Auth::Token(&owner)).await, 200);
        assert_eq!(s.self_status(&ADMIN).await, 200);
        let mail = s.outbox().await;
        assert_eq!(mail.len(), 1);
        assert_eq!(mail[0]["to"], "jane.oneil@example.com");
        assert_eq!(mail[0]["subject"], "ONLYOFFICE. Security notification");
        assert_eq!(mail[0]["kind"], "tfa-reset");
        assert!(mail[0]["body"]
            .as_str()
            .unwrap()
            .starts_with("The configuration of the authenticator app"));
        // No longer linked: a second reset is "not available".
        let r = s.put(NEWAPP, &OWNER, json!({ "id": ADMIN_JANE_ID })).await;
        assert_exception(&r, not_available);
        // Resetting yourself: the activation step and a new session.
        let sam = s.session("roomadmin").await;
        let r = s
            .put(
                NEWAPP,
                &Auth::Token(&sam),
                json!({ "id": ROOMADMIN_SAM_ID }),
            )
            .await;
        let fresh = r.cookie("asc_auth_key").expect("re-authenticated");
        assert!(r.cookie("asc_confirm_key_TfaActivation").is_some());
        assert_eq!(
            s.ok(r).await,
            s.confirm_url("TfaActivation", ROOMADMIN_SAM_ID)
        );
        assert_empty(&s.get("people/@self", &Auth::Token(&sam)).await, 401);
        assert_eq!(s.self_status(&Auth::Cookie(&fresh)).await, 200);
        let r = s.put(NEWAPP, &USER, json!({ "id": USER_PRIYA_ID })).await;
        let url = s.ok(r).await;
        assert!(url
            .as_str()
            .unwrap()
            .ends_with(&format!("uid={USER_PRIYA_ID}")));
        assert_eq!(s.outbox().await.len(), 1, "no mail to yourself");
    }
}

#[tokio::test]
async fn the_releases_ignore_type() {
    for profile in [Profile::V36, Profile::V37, Profile::Next] {
        let s = sim(profile).await;
        s.enable_app(&[]).await;
        for (id, ty) in [
            (USER_PRIYA_ID, "none"),
            (USER_MARTA_ID, "sms"),
            (ADMIN_JANE_ID, "app"),
        ] {
            let r = s.put(NEWAPP, &OWNER, json!({ "id": id, "type": ty })).await;
            assert_eq!(s.ok(r).await, "", "{profile:?} {ty}");
            let list = s.ok(s.get("people/filter", &OWNER).await).await;
            let user = list.as_array().unwrap().iter().find(|u| u["id"] == id);
            assert_eq!(user.unwrap()["tfaAppEnabled"], false, "{profile:?} {ty}");
        }
        // Priya still needs TFA under the portal policy: she links an app again.
        let v = s.ok(s.login("priya.patel@example.com", None).await).await;
        assert_eq!(v["tfa"], true, "{profile:?}");
        assert!(v["tfaKey"].is_string(), "{v}");
        assert_eq!(s.outbox().await.len(), 3);
    }
}

#[tokio::test]
async fn seed_resets_a_user_by_type_and_mails_them() {
    let s = sim(Profile::Seed).await;
    s.enable_app(&[]).await;
    let priya = s.session(USER_PRIYA_ID).await;
    let r = s
        .put(
            NEWAPP,
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
    let r = s.put(NEWAPP, &OWNER, json!({ "id": USER_PRIYA_ID })).await;
    assert_eq!(r.status, 200);
    let v = s.get(CONFIRM, &USER).await.json();
    assert!(v.get("response").is_none(), "{v}");
    // SMS is available in seed by default.
    let r = s
        .put(NEWAPP, &OWNER, json!({ "id": USER_MARTA_ID, "type": 1 }))
        .await;
    assert_eq!(r.status, 200);
    assert_eq!(s.outbox().await.len(), 3);
}
