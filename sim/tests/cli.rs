//! The `docspace-sim` binary: help, argument errors, the first stdout line
//! scripts parse, the banner, and profile/flag wiring.

use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};

const BIN: &str = env!("CARGO_BIN_EXE_docspace-sim");

struct Child(std::process::Child);

impl Drop for Child {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// Starts the binary and returns it with its stdout lines up to the banner end.
fn spawn(
    args: &[&str],
    banner_lines: usize,
) -> (Child, Vec<String>, BufReader<std::process::ChildStdout>) {
    let mut child = Command::new(BIN)
        .args(args)
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .stdin(Stdio::null())
        .spawn()
        .expect("binary starts");
    let stdout = child.stdout.take().unwrap();
    let mut reader = BufReader::new(stdout);
    let mut lines = Vec::new();
    for _ in 0..banner_lines {
        let mut line = String::new();
        if reader.read_line(&mut line).unwrap() == 0 {
            break;
        }
        lines.push(line.trim_end().to_string());
    }
    (Child(child), lines, reader)
}

fn listening_url(line: &str) -> String {
    let url = line
        .strip_prefix("listening on ")
        .unwrap_or_else(|| panic!("first line: {line:?}"));
    let port: u16 = url
        .strip_prefix("http://127.0.0.1:")
        .unwrap()
        .parse()
        .unwrap();
    assert_ne!(port, 0);
    url.to_string()
}

/// The `response` of `GET /api/2.0/{path}`, with this API key if any.
async fn api_response(url: &str, path: &str, key: Option<&str>) -> serde_json::Value {
    let mut rb = reqwest::Client::new().get(format!("{url}/api/2.0/{path}"));
    if let Some(key) = key {
        rb = rb.bearer_auth(key);
    }
    let v: serde_json::Value = rb.send().await.unwrap().json().await.unwrap();
    v["response"].clone()
}

/// The `response` of `GET settings/tfaapp` as the owner.
async fn tfa_settings(url: &str) -> serde_json::Value {
    api_response(url, "settings/tfaapp", Some("sk-demo-owner")).await
}

/// The status of `POST /sim/control/reset`.
async fn reset_status(url: &str) -> u16 {
    reqwest::Client::new()
        .post(format!("{url}/sim/control/reset"))
        .send()
        .await
        .unwrap()
        .status()
        .as_u16()
}

#[test]
fn help_prints_usage_and_exits_zero() {
    let out = Command::new(BIN).arg("--help").output().unwrap();
    assert!(out.status.success());
    let text = String::from_utf8(out.stdout).unwrap();
    for flag in [
        "--addr",
        "--profile",
        "docspace-next",
        "--docspace-version",
        "--static-dir",
        "--users",
        "--groups",
        "--cors-origin",
        "--culture",
        "--audit",
        "--test-control",
        "--sms-available",
        "--no-sms-available",
        "--quiet",
    ] {
        assert!(text.contains(flag), "usage lacks {flag}");
    }
}

#[test]
fn unknown_flags_and_bad_values_exit_2_naming_the_problem() {
    for (args, needle) in [
        (vec!["--bogus"], "--bogus"),
        (vec!["--profile", "docspace-9"], "docspace-9"),
        (vec!["--users", "many"], "--users"),
        (
            vec!["--profile", "docspace-3.6", "--docspace-version", "3.7.1"],
            "3.7.1 is not a release of the docspace-3.6 profile",
        ),
        (
            vec!["--docspace-version=3.8.0", "--profile=docspace-3.7"],
            "docspace-3.7",
        ),
        (vec!["--docspace-version", "3.6.1"], "seed"),
        (
            vec!["--profile", "docspace-next", "--docspace-version", "3.7.2"],
            "--docspace-version",
        ),
        (
            vec!["--profile", "docspace-next", "--docspace-version=banana"],
            "banana",
        ),
        (vec!["--addr"], "--addr"),
        (vec!["--culture", ""], "--culture"),
        (vec!["--audit", "gold"], "--audit: unknown plan \"gold\""),
        (vec!["--audit"], "--audit"),
        (vec!["--culture"], "--culture"),
        (
            vec!["--static-dir", "/no/such/dir/here"],
            "/no/such/dir/here",
        ),
    ] {
        let out = Command::new(BIN).args(&args).output().unwrap();
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        let err = String::from_utf8(out.stderr).unwrap();
        assert!(err.contains(needle), "{args:?}: {err}");
        assert!(out.stdout.is_empty());
    }
}

#[tokio::test]
async fn first_line_is_the_listening_url_then_the_banner() {
    let (_child, lines, _) = spawn(
        &[
            "--addr",
            "127.0.0.1:0",
            "--profile",
            "docspace-3.7",
            "--test-control",
        ],
        9,
    );
    let url = listening_url(&lines[0]);
    let banner = lines[1..].join("\n");
    assert!(banner.contains("profile docspace-3.7"), "{banner}");
    assert!(banner.contains("version 3.7.2.1000"), "{banner}");
    assert!(banner.contains("SMS not available"), "{banner}");
    assert!(
        banner.contains("sk-demo-owner") && banner.contains("sk-demo-admin"),
        "{banner}"
    );
    assert!(
        banner.contains(&format!("{url}/sim/signin?as=owner")),
        "{banner}"
    );
    assert!(banner.contains(&format!("{url}/sim/outbox")), "{banner}");
    assert_eq!(tfa_settings(&url).await[0]["available"], false);
    assert_eq!(reset_status(&url).await, 200);
}

#[tokio::test]
async fn quiet_prints_only_the_listening_line_and_flags_override_sms() {
    let (mut child, lines, mut reader) = spawn(
        &[
            "--quiet",
            "--addr=127.0.0.1:0",
            "--profile=docspace-3.6",
            "--sms-available",
        ],
        1,
    );
    let url = listening_url(&lines[0]);
    assert_eq!(tfa_settings(&url).await[0]["avaliable"], true);
    // Test control is off without the flag.
    assert_eq!(reset_status(&url).await, 404);
    let _ = child.0.kill();
    let _ = child.0.wait();
    let mut rest = String::new();
    std::io::Read::read_to_string(&mut reader, &mut rest).unwrap();
    assert_eq!(rest, "", "--quiet prints nothing after the listening line");
}

#[tokio::test]
async fn docspace_version_pretends_another_release_of_the_family() {
    for (args, want) in [
        (
            vec!["--profile", "docspace-3.6", "--docspace-version", "3.5.2"],
            serde_json::json!({ "docSpace": "3.5.2", "documentServer": "9.0.1.10" }),
        ),
        (
            vec!["--profile=docspace-next", "--docspace-version=3.8.1.77"],
            serde_json::json!({ "docSpace": "3.8.1.77", "documentServer": "9.0.1.10" }),
        ),
        (
            vec!["--profile", "docspace-3.7", "--docspace-version", "none"],
            serde_json::json!({ "documentServer": "" }),
        ),
        (
            vec![],
            serde_json::json!({ "docSpace": "seed", "documentServer": "9.0.1.10" }),
        ),
    ] {
        let mut full = vec!["--quiet", "--addr", "127.0.0.1:0"];
        full.extend(&args);
        let (_child, lines, _) = spawn(&full, 1);
        let url = listening_url(&lines[0]);
        let v = api_response(&url, "settings/version/build", None).await;
        assert_eq!(v, want, "{args:?}");
    }
}

#[tokio::test]
async fn culture_sets_every_users_culture_name() {
    let (_child, lines, _) = spawn(&["--quiet", "--addr", "127.0.0.1:0", "--culture=ru-RU"], 1);
    let url = listening_url(&lines[0]);
    for key in ["sk-demo-owner", "sk-demo-user"] {
        let me = api_response(&url, "people/@self", Some(key)).await;
        assert_eq!(me["cultureName"], "ru-RU", "{key}");
    }
    let (_child, lines, _) = spawn(&["--addr", "127.0.0.1:0", "--culture", "de-DE"], 9);
    let banner = lines[1..].join("\n");
    assert!(
        banner.contains("culture:     de-DE for every user"),
        "{banner}"
    );
}

#[tokio::test]
async fn audit_sets_what_the_plan_allows() {
    let (_child, lines, _) = spawn(&["--addr", "127.0.0.1:0", "--audit", "none"], 9);
    let url = listening_url(&lines[0]);
    let banner = lines[1..].join("\n");
    assert!(banner.contains("audit:       plan none"), "{banner}");
    let r = reqwest::Client::new()
        .get(format!("{url}/api/2.0/security/audit/events/filter"))
        .bearer_auth("sk-demo-owner")
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 402);
    let (_child, lines, _) = spawn(&["--quiet", "--addr=127.0.0.1:0", "--audit=LAST20"], 1);
    let url = listening_url(&lines[0]);
    let list = api_response(
        &url,
        "security/audit/events/filter?action=6036&count=1",
        Some("sk-demo-admin"),
    )
    .await;
    assert_eq!(list.as_array().unwrap().len(), 20);
}
