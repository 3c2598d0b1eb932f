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

/// A simulator of this profile with SMS available or not.
pub async fn sim_sms(profile: Profile, available: bool) -> Sim {
    let mut c = Config::test().with_profile(profile);
    c.sms_available = Some(available);
    sim_with(c).await
}

/// One value for each profile, in the order of [`Profile::ALL`]: seed,
/// 3.6, 3.7, next.
pub fn per_profile<T>(profile: Profile, values: [T; 4]) -> T {
    let i = Profile::ALL.iter().position(|p| *p == profile).unwrap();
    values.into_iter().nth(i).unwrap()
}

/// `GET tfaapp`'s availability key: misspelt on 3.6.
pub fn available_key(profile: Profile) -> &'static str {
    per_profile(
        profile,
        ["available", "avaliable", "available", "available"],
    )
}

pub const TFAAPP: &str = "settings/tfaapp";
pub const WITHLINK: &str = "settings/tfaappwithlink";
pub const NEWAPP: &str = "settings/tfaappnewapp";
pub const CONFIRM: &str = "settings/tfaapp/confirm";

pub const TRUSTED_IPS_MESSAGE: &str =
    "The TrustedIps field must contain a valid IP address, IP range or CIDR block.";

/// An exception envelope: HTTP status, message and .NET exception type
/// (`None` for a `CustomHttpException`, which has no type or stack).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Exception(pub u16, pub &'static str, pub Option<&'static str>);

pub const NO_PERMISSION: Exception = Exception(
    403,
    "No permissions to perform this action",
    Some("System.InvalidOperationException"),
);
/// `EditPortalSettings` missing.
pub const ACCESS_DENIED: Exception = Exception(
    403,
    "Access denied",
    Some("ASC.Common.Security.Authorizing.AuthorizingException"),
);
/// A `SecurityException` (people, groups, the seed's unknown user).
pub const SECURITY_DENIED: Exception = Exception(
    403,
    "Access denied",
    Some("System.Security.SecurityException"),
);
/// SMS without a provider on 3.x: `new InvalidOperationException()` (§10.7).
pub const NO_SMS_PROVIDER: Exception = Exception(
    403,
    "Operation is not valid due to the current state of the object.",
    Some("System.InvalidOperationException"),
);
pub const SMS_NOT_AVAILABLE: Exception = Exception(405, "SMS settings are not available", None);
pub const APP_NOT_AVAILABLE_403: Exception = Exception(
    403,
    "TFA application settings are not available",
    Some("System.InvalidOperationException"),
);
pub const APP_NOT_AVAILABLE_405: Exception =
    Exception(405, "TFA application settings are not available", None);
/// 3.7's `tfaappwithlink` for an exempt caller.
pub const NULL_REFERENCE: Exception = Exception(
    500,
    "Object reference not set to an instance of an object.",
    Some("System.NullReferenceException"),
);
/// A malformed trusted IP or request IP on 3.x (`IPAddress.Parse`).
pub const BAD_IP: Exception = Exception(
    500,
    "An invalid IP address was specified.",
    Some("System.FormatException"),
);

/// What a request should answer, for tables of requests that hold one
/// answer per profile.
#[derive(Clone, Debug)]
pub enum Answer {
    /// A 200 success envelope with this `response`.
    Ok(Value),
    /// This status, whatever the body.
    Status(u16),
    /// An exception envelope.
    Fails(Exception),
    /// A 400 validation problem with these error keys.
    Invalid(&'static [&'static str]),
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

    /// A request under `/api/2.0/`, with a JSON body if any.
    pub async fn call(
        &self,
        method: Method,
        path: &str,
        auth: &Auth<'_>,
        body: Option<String>,
    ) -> Resp {
        self.send(method, &self.api(path), auth, body, &[]).await
    }

    pub async fn get(&self, path: &str, auth: &Auth<'_>) -> Resp {
        self.call(Method::GET, path, auth, None).await
    }

    pub async fn put(&self, path: &str, auth: &Auth<'_>, body: Value) -> Resp {
        self.put_raw(path, auth, &body.to_string()).await
    }

    pub async fn put_raw(&self, path: &str, auth: &Auth<'_>, body: &str) -> Resp {
        self.call(Method::PUT, path, auth, Some(body.to_string()))
            .await
    }

    pub async fn post(&self, path: &str, auth: &Auth<'_>, body: Value) -> Resp {
        self.call(Method::POST, path, auth, Some(body.to_string()))
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

    /// The portal's `/confirm/{kind}?type={kind}&uid={uid}` link.
    pub fn confirm_url(&self, kind: &str, uid: &str) -> String {
        format!("{}/confirm/{kind}?type={kind}&uid={uid}", self.url)
    }

    /// Asserts that `r` (a `PUT path`) answered `want` on `profile`.
    pub async fn expect(&self, profile: Profile, path: &str, r: Resp, want: &Answer, label: &str) {
        match want {
            Answer::Ok(v) => {
                assert_eq!(r.status, 200, "{label}: {}", r.text);
                assert_eq!(&self.ok(r).await, v, "{label}");
            }
            Answer::Status(s) => assert_eq!(r.status, *s, "{label}: {}", r.text),
            Answer::Fails(e) => assert_exception(&r, *e),
            Answer::Invalid(keys) => assert_eq!(
                validation_keys_in(profile, &r, &self.api(path), "PUT"),
                *keys,
                "{label}"
            ),
        }
    }
}

/// Asserts an exception envelope.
pub fn assert_exception(r: &Resp, e: Exception) {
    assert_error(r, e.0, e.1, e.2);
}

/// The HRESULT .NET gives each exception type the simulator throws.
fn hresult_of(ty: &str) -> i64 {
    match ty {
        "System.InvalidOperationException" => -2146233079,
        "ASC.Common.Security.Authorizing.AuthorizingException" => -2146233088,
        "System.Security.SecurityException" => -2146233078,
        "System.NullReferenceException" => -2147467261,
        "System.FormatException" => -2146233033,
        "System.IndexOutOfRangeException" => -2146233080,
        "ASC.Common.Web.ItemNotFoundException" => -2146233088,
        "ASC.Core.Billing.BillingException" => -2146233088,
        other => panic!("no HRESULT known for {other}"),
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
            assert_eq!(e["hresult"], hresult_of(t), "{v}");
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
