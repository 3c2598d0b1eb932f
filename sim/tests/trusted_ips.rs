//! Trusted-IP matching over HTTP in the real profiles (§3, §10.1–§10.3,
//! §10.16, §10.17): which sign-ins skip TFA, which fail with 500, per
//! profile and pretended release. The arithmetic itself has native tests in
//! `src/ipmatch.rs`; here each rule is seen through `POST authentication`,
//! `tfaapp/confirm` and `tfaappwithlink`.

mod common;
use common::*;

const SAM: &str = "sam.rivera@example.com";

/// A simulator of this profile pretending to be `version` (or its default).
async fn portal(profile: Profile, version: Option<&str>) -> Sim {
    let mut c = Config::test().with_profile(profile);
    c.docspace_version = version.map(str::to_string);
    sim_with(c).await
}

/// Signs each user in from the test-control client IP and compares the
/// outcomes.
async fn expect_users(s: &Sim, label: &str, cases: &[(&str, Login)]) {
    for (user, want) in cases {
        let got = s.login(user, None).await.login();
        assert_eq!(&got, want, "{label}: sign-in of {user}");
    }
}

/// Signs Sam in from each address and compares the outcomes.
async fn expect(s: &Sim, label: &str, cases: &[(&str, Login)]) {
    for (ip, want) in cases {
        let got = s.login(SAM, Some(ip)).await.login();
        assert_eq!(&got, want, "{label}: sign-in from {ip}");
    }
}

#[tokio::test]
async fn host_bit_cidr_locks_sign_in_out_up_to_3_5_and_widens_from_3_6() {
    let s = portal(Profile::V36, Some("3.5.2")).await;
    s.enable_app(&["192.0.2.10/24"]).await;
    expect(
        &s,
        "3.5.2",
        &[
            ("192.0.2.10", bad_network()),
            ("198.51.100.1", bad_network()),
        ],
    )
    .await;
    // The network form is fine on 3.5.
    s.enable_app(&["192.0.2.0/24"]).await;
    expect(
        &s,
        "3.5.2",
        &[("192.0.2.10", Login::Exempt), ("192.0.3.1", Login::Tfa)],
    )
    .await;

    for (profile, version) in [
        (Profile::V36, None),
        (Profile::V36, Some("3.6.0")),
        (Profile::V37, None),
        (Profile::Next, None),
    ] {
        let s = portal(profile, version).await;
        s.enable_app(&["192.0.2.10/24"]).await;
        let label = format!("{profile:?} {version:?}");
        expect(
            &s,
            &label,
            &[
                ("192.0.2.99", Login::Exempt),
                ("192.0.2.0", Login::Exempt),
                ("192.0.3.10", Login::Tfa),
            ],
        )
        .await;
    }
}

#[tokio::test]
async fn ipv6_visitors_break_ranges_and_blocks_up_to_3_7_0() {
    for (profile, version, broken) in [
        (Profile::V36, Some("3.5.2"), true),
        (Profile::V36, None, true),
        (Profile::V37, Some("3.7.0"), true),
        (Profile::V37, None, false),
        (Profile::Next, None, false),
    ] {
        let label = format!("{profile:?} {version:?}");
        let s = portal(profile, version).await;
        for entry in ["192.0.2.1-192.0.2.9", "192.0.2.0/24"] {
            s.enable_app(&[entry]).await;
            let letter_first = if broken { bad_ip() } else { Login::Tfa };
            expect(
                &s,
                &label,
                &[
                    ("2a02:6b8::1", letter_first),
                    ("fd00::1", if broken { bad_ip() } else { Login::Tfa }),
                    // `2001` parses as the IPv4 number 0.0.7.209: no 500.
                    ("2001:db8::1", Login::Tfa),
                    ("192.0.2.5", Login::Exempt),
                ],
            )
            .await;
        }
        // An exact IPv6 entry only matches once the address is kept whole.
        s.enable_app(&["2a02:6b8::1"]).await;
        let want = if broken { Login::Tfa } else { Login::Exempt };
        expect(&s, &label, &[("2a02:6b8::1", want)]).await;
    }
}

#[tokio::test]
async fn ipv6_cidr_trusts_a_far_larger_network_than_written() {
    for profile in [Profile::V37, Profile::Next] {
        let s = sim(profile).await;
        let label = format!("{profile:?}");
        s.enable_app(&["2001:db8:abcd::/48"]).await;
        expect(
            &s,
            &label,
            &[
                ("2001:db8:abcd::1", Login::Exempt),
                // /48 compares 16 bits: all of 2001::/16.
                ("2001:ffff::1", Login::Exempt),
                ("2002::1", Login::Tfa),
            ],
        )
        .await;
        // The equivalent range is compared correctly.
        s.enable_app(&["2001:db8:abcd::-2001:db8:abcd:ffff:ffff:ffff:ffff:ffff"])
            .await;
        expect(
            &s,
            &label,
            &[
                ("2001:db8:abcd::1", Login::Exempt),
                ("2001:ffff::1", Login::Tfa),
            ],
        )
        .await;
        // ::/0 is ::/32; ::1/128 covers ::/32, IPv4-mapped addresses too.
        s.enable_app(&["::/0"]).await;
        expect(
            &s,
            &label,
            &[
                ("2001:db8::1", Login::Tfa),
                ("::ffff:192.0.2.1", Login::Exempt),
            ],
        )
        .await;
        s.enable_app(&["::1/128"]).await;
        expect(
            &s,
            &label,
            &[
                ("::2", Login::Exempt),
                ("::ffff:192.0.2.1", Login::Exempt),
                ("2001:db8::1", Login::Tfa),
            ],
        )
        .await;
        // IPv4 /0 matches only 0.0.0.0; families never cross.
        s.enable_app(&["0.0.0.0/0"]).await;
        expect(
            &s,
            &label,
            &[
                ("0.0.0.0", Login::Exempt),
                ("192.0.2.1", Login::Tfa),
                ("2001:db8::1", Login::Tfa),
            ],
        )
        .await;
    }
}

#[tokio::test]
async fn exact_entries_are_compared_as_strings() {
    for profile in [Profile::V36, Profile::V37, Profile::Next] {
        let s = sim(profile).await;
        let label = format!("{profile:?}");
        // Next accepts these on write (they parse); no release ever matches them.
        s.enable_app(&["2001:0DB8::1", "010.0.0.1", "10.2"]).await;
        expect(
            &s,
            &label,
            &[
                ("2001:db8::1", Login::Tfa),
                ("10.0.0.1", Login::Tfa),
                ("8.0.0.1", Login::Tfa),
                ("10.0.0.2", Login::Tfa),
                // The request IP is compared as it comes, too.
                ("010.0.0.1", Login::Exempt),
            ],
        )
        .await;
    }
}

#[tokio::test]
async fn octal_and_shorthand_are_read_the_dotnet_way_inside_ranges_and_blocks() {
    for profile in [Profile::V36, Profile::V37, Profile::Next] {
        let s = sim(profile).await;
        let label = format!("{profile:?}");
        s.enable_app(&["010.0.0.1-010.0.0.9"]).await;
        expect(
            &s,
            &label,
            &[("8.0.0.5", Login::Exempt), ("10.0.0.5", Login::Tfa)],
        )
        .await;
        s.enable_app(&["10.1/32", "0x0a.2.0.0/16"]).await;
        expect(
            &s,
            &label,
            &[
                ("10.0.0.1", Login::Exempt),
                ("10.1.0.1", Login::Tfa),
                ("10.2.3.4", Login::Exempt),
            ],
        )
        .await;
    }
}

#[tokio::test]
async fn the_request_ip_comes_from_the_query_parameter_then_test_control() {
    for profile in Profile::ALL {
        let s = sim(profile).await;
        s.enable_app(&["192.0.2.10"]).await;
        s.client_ip(Some("198.51.100.1")).await;
        assert_eq!(s.login(SAM, None).await.login(), Login::Tfa);
        let want = if profile == Profile::Seed {
            // The seed contract does not know the parameter.
            Login::Tfa
        } else {
            Login::Exempt
        };
        assert_eq!(
            s.login(SAM, Some("192.0.2.10")).await.login(),
            want,
            "{profile:?}"
        );
        // An empty parameter falls back to the client IP.
        assert_eq!(s.login(SAM, Some("")).await.login(), Login::Tfa);
        s.client_ip(Some("192.0.2.10")).await;
        assert_eq!(s.login(SAM, None).await.login(), Login::Exempt);
        // A blank one is used, and matches nothing.
        if profile != Profile::Seed {
            assert_eq!(s.login(SAM, Some(" ")).await.login(), Login::Tfa);
        }
    }
}

#[tokio::test]
async fn ports_are_stripped_from_the_request_ip() {
    for (profile, version, v6_whole) in [
        (Profile::V36, None, false),
        (Profile::V37, Some("3.7.0"), false),
        (Profile::V37, None, true),
        (Profile::Next, None, true),
    ] {
        let s = portal(profile, version).await;
        let label = format!("{profile:?} {version:?}");
        s.enable_app(&["192.0.2.10", "2001:db8::1"]).await;
        let v6 = if v6_whole { Login::Exempt } else { Login::Tfa };
        expect(
            &s,
            &label,
            &[
                ("192.0.2.10:5555", Login::Exempt),
                ("[2001:db8::1]:443", v6),
            ],
        )
        .await;
    }
}

#[tokio::test]
async fn confirm_and_withlink_check_the_same_request_ip() {
    for profile in [Profile::V36, Profile::V37, Profile::Next] {
        let s = sim(profile).await;
        s.enable_app(&["192.0.2.0/24"]).await;
        let trusted = format!("{}?request-x-real-ip=192.0.2.7", s.api(CONFIRM));
        let r = s
            .send(reqwest::Method::GET, &trusted, &ROOMADMIN, None, &[])
            .await;
        let v = r.json();
        match profile {
            Profile::V36 => assert_eq!(v["response"], "", "{v}"),
            _ => assert!(v.get("response").is_none(), "{v}"),
        }
        let r = s.get(CONFIRM, &ROOMADMIN).await;
        assert!(r.cookie("asc_confirm_key_TfaAuth").is_some(), "{profile:?}");
        // withlink from a trusted address: the caller is exempt.
        let url = format!("{}?request-x-real-ip=192.0.2.7", s.api(WITHLINK));
        let body = json!({ "type": "app", "id": OWNER_ID, "trustedIps": ["192.0.2.0/24"] });
        let r = s
            .send(
                reqwest::Method::PUT,
                &url,
                &OWNER,
                Some(body.to_string()),
                &[],
            )
            .await;
        if profile == Profile::V37 {
            assert_exception(&r, NULL_REFERENCE);
        } else {
            assert_eq!(s.ok(r).await, "", "{profile:?}");
        }
    }
}

#[tokio::test]
async fn a_trusted_ip_exempts_sign_in_unless_the_user_is_mandatory() {
    for profile in Profile::ALL {
        let s = sim(profile).await;
        let body = json!({ "type": "app", "id": OWNER_ID, "trustedIps": ["192.0.2.10"], "mandatoryGroups": [GROUP_FINANCE_ID] });
        s.ok(s.put(TFAAPP, &OWNER, body).await).await;
        s.client_ip(Some("192.0.2.10")).await;
        let label = format!("{profile:?}");
        // Priya is in Finance.
        expect_users(
            &s,
            &label,
            &[
                (SAM, Login::Exempt),
                ("priya.patel@example.com", Login::Tfa),
            ],
        )
        .await;
        s.client_ip(None).await;
        expect_users(&s, &label, &[(SAM, Login::Tfa)]).await;
    }
}

/// BUG 82994: 3.x stores any entry, and a malformed range or block then
/// fails every sign-in that reaches the list, and the confirm step, until
/// an API key (which needs no sign-in) removes it. An exact entry that is
/// no address is only compared, and mandatory users skip the list.
#[tokio::test]
async fn a_malformed_entry_locks_sign_in_out_on_3x_until_it_is_removed() {
    for profile in [Profile::V36, Profile::V37] {
        let s = sim(profile).await;
        let label = format!("{profile:?}");
        s.enable_app(&["999.999.999.999"]).await;
        expect_users(&s, &label, &[("alex.morgan@example.com", Login::Tfa)]).await;
        s.enable_app(&["not-an-ip", "999.999.999.999"]).await;
        for user in ["alex.morgan@example.com", "gina.guest@example.com"] {
            assert_exception(&s.login(user, None).await, BAD_IP);
        }
        assert_exception(&s.get(CONFIRM, &OWNER).await, BAD_IP);
        // withlink saves the entry, then its own confirm step trips on it.
        let body = json!({ "type": "app", "id": OWNER_ID, "trustedIps": ["not-an-ip"] });
        assert_exception(&s.put(WITHLINK, &OWNER, body).await, BAD_IP);
        assert_eq!(
            s.tfa_settings().await[1]["trustedIps"],
            json!(["not-an-ip"])
        );
        // The owner is mandatory: the list is never consulted.
        let body = json!({ "type": "app", "id": OWNER_ID, "trustedIps": ["10.0.0.1-nope"], "mandatoryUsers": [OWNER_ID] });
        s.ok(s.put(TFAAPP, &OWNER, body).await).await;
        assert_exception(&s.login("jane.oneil@example.com", None).await, BAD_IP);
        expect_users(&s, &label, &[("alex.morgan@example.com", Login::Tfa)]).await;
        // API keys still work, so the portal can be repaired.
        let r = s.put(TFAAPP, &OWNER, json!({ "type": "none" })).await;
        assert_eq!(s.ok(r).await, false);
        expect_users(&s, &label, &[("alex.morgan@example.com", Login::Exempt)]).await;
    }
}

#[tokio::test]
async fn malformed_entries_and_request_ips_fail_on_3x_and_not_on_next() {
    for profile in [Profile::V36, Profile::V37] {
        let s = sim(profile).await;
        let label = format!("{profile:?}");
        s.enable_app(&["192.0.2.0/nonsense"]).await;
        expect(&s, &label, &[("192.0.2.1", bad_network())]).await;
        // An IPv6 lower end with an IPv4 upper end overruns the array.
        s.enable_app(&["::1-1.2.3.4"]).await;
        expect(
            &s,
            &label,
            &[(
                "::1",
                Login::Fails(
                    "System.IndexOutOfRangeException".into(),
                    "Index was outside the bounds of the array.".into(),
                ),
            )],
        )
        .await;
        // A request IP that does not parse fails where it is parsed.
        s.enable_app(&["192.0.2.0/24"]).await;
        expect(&s, &label, &[("unknown", bad_ip())]).await;
        s.enable_app(&["192.0.2.7"]).await;
        expect(&s, &label, &[("unknown", Login::Tfa)]).await;
    }
    let s = sim(Profile::Next).await;
    s.enable_app(&["192.0.2.1-192.0.2.20", "::1-1.2.3.4"]).await;
    expect(
        &s,
        "next",
        &[
            ("unknown", Login::Tfa),
            ("::1", Login::Tfa),
            ("192.0.2.5", Login::Exempt),
        ],
    )
    .await;
}
