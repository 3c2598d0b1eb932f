//! `PUT tfaappwithlink` on the real servers (§4, §10.11): the change
//! applies at once and the answer is the caller's confirm link, with its
//! cookie; an exempt caller gets `""` (3.6, next) or 3.7's 500. The owner
//! guard and unavailable methods are in `tfa_settings.rs`; the seed
//! profile's held change in `seed_confirmation.rs`.

mod common;
use common::*;

const REAL: [Profile; 3] = [Profile::V36, Profile::V37, Profile::Next];

#[tokio::test]
async fn withlink_applies_at_once_and_returns_the_callers_confirm_link() {
    for profile in REAL {
        let s = sim(profile).await;
        let token = s.session("owner").await;
        let r = s
            .put(WITHLINK, &OWNER, json!({ "type": "App", "id": OWNER_ID }))
            .await;
        let line = r.set_cookie_line("asc_confirm_key_TfaActivation").unwrap();
        assert!(
            line.contains("; HttpOnly") && line.contains("; SameSite=Strict"),
            "{profile:?} {line}"
        );
        assert_eq!(
            s.ok(r).await,
            s.confirm_url("TfaActivation", OWNER_ID),
            "{profile:?}"
        );
        assert_eq!(s.tfa_settings().await[1]["enabled"], true);
        assert!(s.outbox().await.is_empty(), "no e-mail when enabling");
        // Enabling logged every session out.
        assert_empty(&s.get("people/@self", &Auth::Token(&token)).await, 401);
        // A linked caller gets the TfaAuth variant.
        let r = s.put(WITHLINK, &ADMIN, json!({ "type": "app" })).await;
        assert!(r.cookie("asc_confirm_key_TfaAuth").is_some());
        assert_eq!(s.ok(r).await, s.confirm_url("TfaAuth", ADMIN_JANE_ID));
        // None answers "" and switches off, by name or by number.
        for off in [json!("none"), json!(0)] {
            let r = s.put(WITHLINK, &OWNER, json!({ "type": off })).await;
            assert!(r.cookie("asc_confirm_key_TfaActivation").is_none());
            assert_eq!(s.ok(r).await, "", "{profile:?} {off}");
            assert_eq!(s.tfa_settings().await[1]["enabled"], false);
        }
    }
}

/// The change is saved and every session logged out before the confirm
/// step finds the caller exempt: 3.6 and next answer `""`, 3.7.1–3.7.2 fail
/// with a NullReferenceException.
#[tokio::test]
async fn an_exempt_caller_gets_an_empty_answer_or_3_7s_500() {
    for (profile, exempt) in [
        (Profile::V36, Answer::Ok(json!(""))),
        (Profile::V37, Answer::Fails(NULL_REFERENCE)),
        (Profile::Next, Answer::Ok(json!(""))),
    ] {
        let s = sim(profile).await;
        for (ip, entry) in [
            ("198.51.100.7", "198.51.100.1-198.51.100.20"),
            ("203.0.113.9", "203.0.113.0/24"),
        ] {
            let label = format!("{profile:?} {entry}");
            let token = s.session("owner").await;
            s.client_ip(Some(ip)).await;
            let body = json!({ "type": "app", "id": OWNER_ID, "trustedIps": [entry] });
            let r = s.put(WITHLINK, &Auth::Token(&token), body.clone()).await;
            s.expect(profile, WITHLINK, r, &exempt, &label).await;
            assert_eq!(s.tfa_settings().await[1]["trustedIps"], json!([entry]));
            assert_empty(&s.get("people/@self", &Auth::Token(&token)).await, 401);
            // Mandatory users are never exempt.
            let r = s.put(WITHLINK, &OWNER, json!({ "type": "app", "id": OWNER_ID, "trustedIps": [entry], "mandatoryUsers": [OWNER_ID] })).await;
            let url = s.ok(r).await;
            assert!(url.as_str().unwrap().contains("/confirm/TfaActivation"));
            // From another address the caller is not exempt.
            s.client_ip(Some("192.0.2.1")).await;
            let r = s.put(WITHLINK, &OWNER, body).await;
            assert_eq!(s.ok(r).await, s.confirm_url("TfaActivation", OWNER_ID));
        }
    }
}
