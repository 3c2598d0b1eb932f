//! `GET settings/tfaapp/confirm` and the confirm step everywhere it is
//! answered (§4, §10.6), in tables over the profiles: a string (seed, 3.6)
//! or `{url, cookieName, cookieValue}` (3.7+), `""` (3.6) or nothing when
//! TFA is not required, SMS links with the key in the URL, and confirm-key
//! cookies that are HttpOnly and SameSite Strict.

mod common;
use common::*;

/// How a profile answers `tfaapp/confirm`: what it says when TFA is not
/// required (`None`: no `response`), and whether the data is an object.
struct Shape {
    not_required: Option<Value>,
    object: bool,
}

fn shape(profile: Profile) -> Shape {
    let (not_required, object) = per_profile(
        profile,
        [
            (None, false),
            (Some(json!("")), false),
            (None, true),
            (None, true),
        ],
    );
    Shape {
        not_required,
        object,
    }
}

impl Shape {
    /// Asserts the answer when TFA is not required for the caller.
    fn assert_not_required(&self, r: &Resp) {
        assert_eq!(r.status, 200, "{}", r.text);
        let v = r.json();
        match &self.not_required {
            Some(x) => {
                assert_eq!(&v["response"], x, "{v}");
                assert_eq!(v["count"], 1);
            }
            None => {
                assert!(v.get("response").is_none(), "{v}");
                assert_eq!(v["count"], 0);
            }
        }
    }

    /// The confirm data for an authenticator-app step.
    fn app(&self, url: String, cookie: &str, kind: &str) -> Value {
        if self.object {
            json!({ "url": url, "cookieName": format!("asc_confirm_key_{kind}"), "cookieValue": cookie })
        } else {
            json!(url)
        }
    }
}

/// The link in confirm data of either shape.
fn url_of(v: &Value) -> &str {
    v.as_str().or_else(|| v["url"].as_str()).unwrap()
}

#[tokio::test]
async fn confirm_data_only_when_tfa_is_required() {
    for profile in Profile::ALL {
        let s = sim(profile).await;
        let shape = shape(profile);
        shape.assert_not_required(&s.get(CONFIRM, &OWNER).await);
        s.enable_app(&["192.0.2.0/24"]).await;
        // The owner has no app: the activation step, with a fresh key.
        let r = s.get(CONFIRM, &OWNER).await;
        let cookie = r.cookie("asc_confirm_key_TfaActivation").unwrap();
        let (ms, hash) = cookie.split_once('.').unwrap();
        assert!(ms.parse::<u64>().unwrap() > 400_000_000_000);
        assert_eq!(hash.len(), 43);
        let url = s.confirm_url("TfaActivation", OWNER_ID);
        assert_eq!(
            s.ok(r).await,
            shape.app(url, &cookie, "TfaActivation"),
            "{profile:?}"
        );
        // Jane and Priya have one linked: TfaAuth.
        for (auth, uid) in [(ADMIN, ADMIN_JANE_ID), (USER, USER_PRIYA_ID)] {
            let r = s.get(CONFIRM, &auth).await;
            let cookie = r.cookie("asc_confirm_key_TfaAuth").unwrap();
            let url = s.confirm_url("TfaAuth", uid);
            assert_eq!(s.ok(r).await, shape.app(url, &cookie, "TfaAuth"));
        }
        // From a trusted IP nobody needs TFA...
        s.client_ip(Some("192.0.2.77")).await;
        shape.assert_not_required(&s.get(CONFIRM, &OWNER).await);
        // ...unless they are mandatory.
        let body = json!({ "type": "app", "id": OWNER_ID, "trustedIps": ["192.0.2.0/24"], "mandatoryGroups": [GROUP_FINANCE_ID] });
        s.ok(s.put(TFAAPP, &OWNER, body).await).await;
        shape.assert_not_required(&s.get(CONFIRM, &OWNER).await);
        let v = s.ok(s.get(CONFIRM, &USER).await).await;
        assert!(url_of(&v).contains(USER_PRIYA_ID), "{v}");
        s.client_ip(None).await;
        let v = s.ok(s.get(CONFIRM, &OWNER).await).await;
        assert_eq!(v.is_object(), shape.object, "{profile:?} {v}");
    }
}

#[tokio::test]
async fn sms_confirm_links_carry_the_key_in_the_url() {
    for profile in Profile::ALL {
        let s = sim_sms(profile, true).await;
        assert_eq!(s.tfa_settings().await[0][available_key(profile)], true);
        let r = s
            .put(TFAAPP, &OWNER, json!({ "type": "sms", "id": OWNER_ID }))
            .await;
        assert_eq!(s.ok(r).await, true);
        let phone_auth = format!("{}/confirm/PhoneAuth?type=PhoneAuth&key=", s.url);
        let r = s.get(CONFIRM, &OWNER).await;
        assert!(r.headers_all("set-cookie").is_empty());
        let v = s.ok(r).await;
        if shape(profile).object {
            // SMS confirm data has only a url.
            let keys: Vec<&String> = v.as_object().unwrap().keys().collect();
            assert_eq!(keys, ["url"]);
        }
        assert!(url_of(&v).starts_with(&phone_auth), "{profile:?} {v}");
        assert!(url_of(&v).contains("&encemail="));
        // Sam has no phone yet: PhoneActivation.
        let v = s.ok(s.get(CONFIRM, &ROOMADMIN).await).await;
        assert!(url_of(&v).starts_with(&format!(
            "{}/confirm/PhoneActivation?type=PhoneActivation&key=",
            s.url
        )));
        // The releases answer withlink with the link (seed holds the change).
        if profile != Profile::Seed {
            let r = s.put(WITHLINK, &OWNER, json!({ "type": "sms" })).await;
            assert!(r.headers_all("set-cookie").is_empty());
            let url = s.ok(r).await;
            assert!(url.as_str().unwrap().starts_with(&phone_auth), "{url}");
            assert!(url.as_str().unwrap().contains("&encemail="));
        }
        // SMS sign-in: no token, a masked phone instead.
        let v = s.ok(s.login("alex.morgan@example.com", None).await).await;
        assert_eq!(v["sms"], true);
        assert_eq!(v["phoneNoise"], "+*******0001");
        assert!(v["confirmUrl"].as_str().unwrap().starts_with(&phone_auth));
        assert!(v.get("token").is_none());
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
        let r = s.get(CONFIRM, &ADMIN).await;
        assert_strict(&r, "asc_confirm_key_TfaAuth");
        let r = s.login("alex.morgan@example.com", None).await;
        assert_strict(&r, "asc_confirm_key_TfaActivation");
        if profile != Profile::Seed {
            let r = s.put(NEWAPP, &USER, json!({ "id": USER_PRIYA_ID })).await;
            assert_strict(&r, "asc_confirm_key_TfaActivation");
            let r = s
                .put(WITHLINK, &OWNER, json!({ "type": "app", "id": OWNER_ID }))
                .await;
            assert_strict(&r, "asc_confirm_key_TfaActivation");
        }
    }
}
