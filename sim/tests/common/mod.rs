//! Shared helpers: start a simulator in-process on an ephemeral port and talk
//! to it over real HTTP.
#![allow(dead_code)]

use std::time::Duration;

pub use docspace_sim::*;
use reqwest::header::HeaderMap;
use reqwest::Method;
pub use serde_json::{json, Value};

pub struct Sim {
    pub running: Running,
    pub url: String,
    pub client: reqwest::Client,
}

pub struct Resp {
    pub status: u16,
    pub headers: HeaderMap,
    pub text: String,
}

impl Resp {
    pub fn json(&self) -> Value {
        serde_json::from_str(&self.text)
            .unwrap_or_else(|e| panic!("not JSON ({e}): {:?}", self.text))
    }
    pub fn header(&self, name: &str) -> Option<String> {
        self.headers
            .get(name)
            .map(|v| v.to_str().unwrap().to_string())
    }
    pub fn headers_all(&self, name: &str) -> Vec<String> {
        self.headers
            .get_all(name)
            .iter()
            .map(|v| v.to_str().unwrap().to_string())
            .collect()
    }
    /// The value of a Set-Cookie with this name.
    pub fn cookie(&self, name: &str) -> Option<String> {
        self.headers_all("set-cookie").into_iter().find_map(|c| {
            let first = c.split(';').next()?.trim().to_string();
            let (k, v) = first.split_once('=')?;
            (k == name).then(|| v.to_string())
        })
    }
    pub fn set_cookie_line(&self, name: &str) -> Option<String> {
        self.headers_all("set-cookie")
            .into_iter()
            .find(|c| c.starts_with(&format!("{name}=")))
    }
}

/// Percent-encodes a query value (everything but unreserved characters).
pub fn query_encode(s: &str) -> String {
    s.bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() || b"-_.~".contains(&b) {
                (b as char).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect()
}

/// What a sign-in answered: a session, the TFA step, or an exception.
#[derive(Debug, PartialEq, Eq)]
pub enum Login {
    /// Signed in without TFA: the request IP was trusted.
    Exempt,
    /// TFA is required.
    Tfa,
    /// A 500 with this exception type and message (the BUG 82994 lock-out).
    Fails(String, String),
}

impl Resp {
    /// Classifies a `POST authentication` answer.
    pub fn login(&self) -> Login {
        let v = self.json();
        match self.status {
            200 if v["response"]["token"].is_string() => Login::Exempt,
            200 if v["response"]["tfa"] == true || v["response"]["sms"] == true => Login::Tfa,
            500 => Login::Fails(
                v["error"]["type"].as_str().unwrap_or("").to_string(),
                v["error"]["message"].as_str().unwrap_or("").to_string(),
            ),
            _ => panic!("unexpected sign-in answer {}: {}", self.status, self.text),
        }
    }
}

/// The 500 of a malformed address (`IPAddress.Parse`).
pub fn bad_ip() -> Login {
    Login::Fails(
        "System.FormatException".into(),
        "An invalid IP address was specified.".into(),
    )
}

/// The 500 of a malformed or host-bit CIDR block (`IPNetwork.Parse`).
pub fn bad_network() -> Login {
    Login::Fails(
        "System.FormatException".into(),
        "An invalid IP network was specified.".into(),
    )
}

pub fn client() -> reqwest::Client {
    reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .no_gzip()
        .no_brotli()
        .timeout(Duration::from_secs(20))
        .build()
        .unwrap()
}

pub async fn sim_with(config: Config) -> Sim {
    let running = start(config).await.expect("simulator starts");
    let url = running.url();
    Sim {
        running,
        url,
        client: client(),
    }
}

pub async fn sim(profile: Profile) -> Sim {
    sim_with(Config::test().with_profile(profile)).await
}

/// Authorization value for a key, token or "" for none.
pub enum Auth<'a> {
    None,
    Key(&'a str),
    Token(&'a str),
    Cookie(&'a str),
    Raw(&'a str),
}

pub const OWNER: Auth<'static> = Auth::Key("sk-demo-owner");
pub const ADMIN: Auth<'static> = Auth::Key("sk-demo-admin");
pub const ROOMADMIN: Auth<'static> = Auth::Key("sk-demo-roomadmin");
pub const USER: Auth<'static> = Auth::Key("sk-demo-user");
pub const GUEST: Auth<'static> = Auth::Key("sk-demo-guest");
pub const READONLY: Auth<'static> = Auth::Key("sk-demo-readonly");

impl Sim {
    pub fn api(&self, path: &str) -> String {
        format!("{}/api/2.0/{}", self.url, path)
    }

    pub async fn send(
        &self,
        method: Method,
        url: &str,
        auth: &Auth<'_>,
        body: Option<String>,
        headers: &[(&str, &str)],
    ) -> Resp {
        let mut rb = self.client.request(method, url);
        rb = match auth {
            Auth::None => rb,
            Auth::Key(k) => rb.header("authorization", format!("Bearer {k}")),
            Auth::Token(t) => rb.header("authorization", format!("Bearer {t}")),
            Auth::Cookie(c) => rb.header("cookie", format!("asc_auth_key={c}")),
            Auth::Raw(v) => rb.header("authorization", *v),
        };
        if let Some(b) = body {
            rb = rb.header("content-type", "application/json").body(b);
        }
        for (k, v) in headers {
            rb = rb.header(*k, *v);
        }
        let r = rb.send().await.expect("request succeeds");
        Resp {
            status: r.status().as_u16(),
            headers: r.headers().clone(),
            text: r.text().await.unwrap(),
        }
    }

    pub async fn get(&self, path: &str, auth: &Auth<'_>) -> Resp {
        self.send(Method::GET, &self.api(path), auth, None, &[])
            .await
    }

    pub async fn put(&self, path: &str, auth: &Auth<'_>, body: Value) -> Resp {
        self.send(
            Method::PUT,
            &self.api(path),
            auth,
            Some(body.to_string()),
            &[],
        )
        .await
    }

    pub async fn put_raw(&self, path: &str, auth: &Auth<'_>, body: &str) -> Resp {
        self.send(
            Method::PUT,
            &self.api(path),
            auth,
            Some(body.to_string()),
            &[],
        )
        .await
    }

    pub async fn post(&self, path: &str, auth: &Auth<'_>, body: Value) -> Resp {
        self.send(
            Method::POST,
            &self.api(path),
            auth,
            Some(body.to_string()),
            &[],
        )
        .await
    }

    /// GET an absolute path on the simulator (not under /api/2.0).
    pub async fn page(&self, path: &str) -> Resp {
        self.send(
            Method::GET,
            &format!("{}{}", self.url, path),
            &Auth::None,
            None,
            &[],
        )
        .await
    }

    pub async fn control(&self, method: Method, path: &str, body: Option<Value>) -> Resp {
        let url = format!("{}/sim/control/{}", self.url, path);
        self.send(method, &url, &Auth::None, body.map(|b| b.to_string()), &[])
            .await
    }

    pub async fn fault(&self, spec: Value) {
        let r = self.control(Method::POST, "fault", Some(spec)).await;
        assert_eq!(r.status, 200, "{}", r.text);
    }

    pub async fn session(&self, who: &str) -> String {
        let r = self
            .control(Method::POST, "session", Some(json!({ "as": who })))
            .await;
        assert_eq!(r.status, 200, "{}", r.text);
        r.json()["token"].as_str().unwrap().to_string()
    }

    pub async fn client_ip(&self, ip: Option<&str>) {
        let r = self
            .control(Method::POST, "client-ip", Some(json!({ "ip": ip })))
            .await;
        assert_eq!(r.status, 200, "{}", r.text);
    }

    /// Sets the pretended release through test control (`None`: no
    /// `docSpace` key) and asserts it was accepted.
    pub async fn set_version(&self, version: Option<&str>) {
        let r = self
            .control(Method::POST, "version", Some(json!({ "version": version })))
            .await;
        assert_eq!(r.status, 200, "{}", r.text);
    }

    /// `POST authentication` for a seed user (by e-mail), optionally naming
    /// the request IP with the `request-x-real-ip` query parameter.
    pub async fn login(&self, email: &str, real_ip: Option<&str>) -> Resp {
        let url = match real_ip {
            Some(ip) => format!(
                "{}?request-x-real-ip={}",
                self.api("authentication"),
                query_encode(ip)
            ),
            None => self.api("authentication"),
        };
        let body = json!({ "userName": email, "password": DEMO_PASSWORD });
        self.send(Method::POST, &url, &Auth::None, Some(body.to_string()), &[])
            .await
    }

    /// Turns app TFA on as the owner with these trusted IPs.
    pub async fn enable_app(&self, trusted_ips: &[&str]) {
        let r = self
            .put(
                "settings/tfaapp",
                &OWNER,
                json!({ "type": "app", "id": OWNER_ID, "trustedIps": trusted_ips }),
            )
            .await;
        assert_eq!(self.ok(r).await, true);
    }

    pub async fn outbox(&self) -> Vec<Value> {
        let r = self.page("/sim/outbox.json").await;
        assert_eq!(r.status, 200);
        r.json().as_array().unwrap().clone()
    }

    /// The `response` of a 200 success envelope.
    pub async fn ok(&self, r: Resp) -> Value {
        assert_eq!(r.status, 200, "{}", r.text);
        let v = r.json();
        assert_eq!(v["status"], 0, "{v}");
        assert_eq!(v["statusCode"], 200, "{v}");
        v.get("response").cloned().unwrap_or(Value::Null)
    }

    pub async fn tfa_settings(&self) -> Value {
        let r = self.get("settings/tfaapp", &OWNER).await;
        self.ok(r).await
    }

    pub async fn self_status(&self, auth: &Auth<'_>) -> u16 {
        self.get("people/@self", auth).await.status
    }
}

/// Asserts an exception envelope field by field.
pub fn assert_error(r: &Resp, status: u16, message: &str, ty: Option<&str>) {
    assert_eq!(r.status, status, "{}", r.text);
    assert_eq!(
        r.header("content-type").as_deref(),
        Some("application/json; charset=utf-8")
    );
    let v = r.json();
    let keys: Vec<&String> = v.as_object().unwrap().keys().collect();
    assert_eq!(keys, ["error", "status", "statusCode"], "{v}");
    assert_eq!(v["status"], 1);
    assert_eq!(v["statusCode"], status);
    let e = v["error"].as_object().unwrap();
    let mut ekeys: Vec<&String> = e.keys().collect();
    ekeys.sort();
    assert_eq!(ekeys, ["hresult", "message", "stack", "type"]);
    assert_eq!(e["message"], message);
    match ty {
        Some(t) => {
            assert_eq!(e["type"], t);
            assert!(e["stack"].as_str().unwrap().starts_with("   at "), "{v}");
            assert_ne!(e["hresult"], 0);
        }
        None => {
            assert_eq!(e["type"], Value::Null);
            assert_eq!(e["stack"], Value::Null);
            assert_eq!(e["hresult"], 0);
        }
    }
}

/// Asserts a 400 validation envelope (`status: 1, statusCode: 400`, as
/// from 3.7) and returns its error keys, sorted.
pub fn validation_keys(r: &Resp, href: &str, method: &str) -> Vec<String> {
    validation_keys_in(Profile::V37, r, href, method)
}

/// Like [`validation_keys`] for a profile: 3.6 answers HTTP 400 with an
/// envelope that still says `status: 0, statusCode: 200` (§10.10).
pub fn validation_keys_in(profile: Profile, r: &Resp, href: &str, method: &str) -> Vec<String> {
    assert_eq!(r.status, 400, "{}", r.text);
    let v = r.json();
    if profile == Profile::V36 {
        assert_eq!(v["status"], 0, "{v}");
        assert_eq!(v["statusCode"], 200, "{v}");
    } else {
        assert_eq!(v["status"], 1, "{v}");
        assert_eq!(v["statusCode"], 400, "{v}");
    }
    assert_eq!(v["count"], 1);
    assert_eq!(v["links"], json!([{ "href": href, "action": method }]));
    let p = &v["response"];
    assert_eq!(
        p["type"],
        "https://tools.ietf.org/html/rfc9110#section-15.5.1"
    );
    assert_eq!(p["title"], "One or more validation errors occurred.");
    assert_eq!(p["status"], 400);
    let trace = p["traceId"].as_str().unwrap();
    assert!(
        trace.starts_with("00-") && trace.ends_with("-00") && trace.len() == 55,
        "{trace}"
    );
    let mut keys: Vec<String> = p["errors"].as_object().unwrap().keys().cloned().collect();
    keys.sort();
    for k in &keys {
        assert!(!p["errors"][k].as_array().unwrap().is_empty());
    }
    keys
}

pub fn assert_empty(r: &Resp, status: u16) {
    assert_eq!(r.status, status, "{}", r.text);
    assert_eq!(r.text, "");
}
