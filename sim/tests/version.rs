//! `GET settings/version/build` (§10.15), `Config::docspace_version` and
//! the `/sim/control/version` test control.

mod common;
use common::*;
use reqwest::Method;

#[tokio::test]
async fn every_profile_reports_its_release_anonymously() {
    for (profile, version) in [
        (Profile::Seed, "seed"),
        (Profile::V36, "3.6.1.1000"),
        (Profile::V37, "3.7.2.1000"),
        (Profile::Next, "3.9.0.1000"),
    ] {
        let s = sim(profile).await;
        assert_eq!(s.running.docspace_version.as_deref(), Some(version));
        // Anonymous, and credentials (even bad ones) do not matter.
        for auth in [Auth::None, Auth::Token("no-such-session"), OWNER] {
            let r = s.get("settings/version/build", &auth).await;
            assert_eq!(r.status, 200, "{profile:?}");
            let v = r.json();
            assert_eq!(v["count"], 1);
            assert_eq!(
                v["links"],
                json!([{ "href": s.api("settings/version/build"), "action": "GET" }])
            );
            assert_eq!(
                s.ok(r).await,
                json!({ "docSpace": version, "documentServer": "9.0.1.10" })
            );
        }
        let r = s
            .call(Method::PUT, "settings/version/build", &OWNER, None)
            .await;
        assert_empty(&r, 405);
    }
}

#[tokio::test]
async fn a_configured_release_is_reported_and_none_hides_it() {
    for (profile, version) in [
        (Profile::V36, "3.5.2"),
        (Profile::V36, "3.2.0"),
        (Profile::V37, "3.7.1.4321"),
        (Profile::Next, "3.8.0"),
    ] {
        let s = sim_with(
            Config::test()
                .with_profile(profile)
                .with_docspace_version(version),
        )
        .await;
        let v = s
            .ok(s.get("settings/version/build", &Auth::None).await)
            .await;
        assert_eq!(v["docSpace"], version);
    }
    for profile in Profile::ALL {
        let s = sim_with(
            Config::test()
                .with_profile(profile)
                .with_docspace_version("none"),
        )
        .await;
        assert_eq!(s.running.docspace_version, None);
        let r = s.get("settings/version/build", &Auth::None).await;
        assert_eq!(
            s.ok(r).await,
            json!({ "documentServer": "" }),
            "{profile:?}"
        );
    }
}

#[tokio::test]
async fn a_release_outside_the_profiles_family_does_not_start() {
    for (profile, version) in [
        (Profile::Seed, "3.6.1"),
        (Profile::V36, "3.7.1"),
        (Profile::V37, "3.6.1"),
        (Profile::V37, "3.8.0"),
        (Profile::Next, "3.7.2"),
        (Profile::Next, "3.7.2.5000"),
        (Profile::V37, "3.7"),
        (Profile::V37, "latest"),
    ] {
        let c = Config::test()
            .with_profile(profile)
            .with_docspace_version(version);
        let e = c.validate().unwrap_err();
        assert!(e.contains(version), "{e}");
        let err = start(c).await.err().expect("refused");
        assert_eq!(
            err.kind(),
            std::io::ErrorKind::InvalidInput,
            "{profile:?} {version}"
        );
    }
}

#[tokio::test]
async fn test_control_changes_the_release_and_its_behaviour_until_reset() {
    let s = sim(Profile::V36).await;
    let sign_in = || s.login("sam.rivera@example.com", Some("192.0.2.99"));
    s.enable_app(&["192.0.2.10/24"]).await;
    // 3.6.1: the host bits are cleared, the block covers 192.0.2.0/24.
    assert_eq!(sign_in().await.login(), Login::Exempt);
    s.set_version(Some("3.5.2")).await;
    assert_eq!(
        s.control(Method::GET, "version", None).await.json(),
        json!({ "profile": "docspace-3.6", "version": "3.5.2" })
    );
    let v = s
        .ok(s.get("settings/version/build", &Auth::None).await)
        .await;
    assert_eq!(v["docSpace"], "3.5.2");
    assert_eq!(sign_in().await.login(), bad_network());
    // No docSpace key: the profile's default behaviour (3.6.1) again.
    s.set_version(None).await;
    let r = s.get("settings/version/build", &Auth::None).await;
    assert_eq!(s.ok(r).await, json!({ "documentServer": "" }));
    assert_eq!(sign_in().await.login(), Login::Exempt);
    // Outside the family: 400 with the reason; nothing changes.
    for bad in [
        json!({ "version": "3.7.1" }),
        json!({ "version": "x" }),
        json!({ "version": 3 }),
        json!({}),
    ] {
        let r = s.control(Method::POST, "version", Some(bad.clone())).await;
        assert_eq!(r.status, 400, "{bad}");
        assert!(r.json()["error"].as_str().is_some_and(|e| !e.is_empty()));
    }
    assert_eq!(
        s.control(Method::GET, "version", None).await.json()["version"],
        Value::Null
    );
    // Reset restores the configured release.
    assert_eq!(s.control(Method::POST, "reset", None).await.status, 200);
    let v = s
        .ok(s.get("settings/version/build", &Auth::None).await)
        .await;
    assert_eq!(v["docSpace"], "3.6.1.1000");
    assert_eq!(s.control(Method::DELETE, "version", None).await.status, 405);

    let s = sim_with(
        Config::test()
            .with_profile(Profile::V36)
            .with_docspace_version("3.5.0"),
    )
    .await;
    s.set_version(Some("3.6.0")).await;
    s.control(Method::POST, "reset", None).await;
    let v = s
        .ok(s.get("settings/version/build", &Auth::None).await)
        .await;
    assert_eq!(v["docSpace"], "3.5.0");
}

#[tokio::test]
async fn the_seed_profile_takes_no_release_number() {
    let s = sim(Profile::Seed).await;
    let r = s
        .control(Method::POST, "version", Some(json!({ "version": "3.7.2" })))
        .await;
    assert_eq!(r.status, 400);
    assert!(r.json()["error"].as_str().unwrap().contains("seed"));
    s.set_version(None).await;
    let r = s.get("settings/version/build", &Auth::None).await;
    assert_eq!(s.ok(r).await, json!({ "documentServer": "" }));
}
