//! The only code that knows DocSpace's URLs, JSON shapes, envelopes and status
//! codes. Pages call the typed methods of [`Client`]; every request goes through
//! one private `send`, which adds credentials, enforces the time limit, and
//! decodes the envelope into a value or an [`ApiError`].

mod envelope;
mod error;
pub mod json;
mod prefetch;
pub mod session;
mod types;

use std::fmt;
use std::time::Duration;

use gloo_net::http::{Method, RequestBuilder};
use web_sys::RequestCredentials;

pub use envelope::{decode, Success};
pub use error::{ApiError, FieldError, Refusal, RequestList};
pub use types::*;

use crate::domain::link::Origin;
use crate::domain::{Guid, Server, TfaMethod};

/// Where every call goes, after the portal's origin; the paths below are
/// under it. `scripts/csp.py` reads it for the loader's early requests.
pub const API_ROOT: &str = "/api/2.0/";
/// `GET people/@self`: who the credential signs in as.
pub const ME_PATH: &str = "people/@self";
/// `GET settings/tfaapp`: the portal's TFA settings.
pub const SETTINGS_PATH: &str = "settings/tfaapp";
/// `GET settings/version/build`: the portal's release (§10.15).
pub const VERSION_PATH: &str = "settings/version/build";

/// How long a call may take before it is aborted.
pub const TIMEOUT: Duration = Duration::from_secs(15);

/// How the panel proves who it is.
#[derive(Clone, PartialEq, Eq)]
pub enum Auth {
    /// A personal access token or API key, sent as `Authorization: Bearer …`.
    Token(String),
    /// The portal's own session cookie: the panel is served from the portal's host.
    Session,
}

// Never let a token reach a log: Debug shows only which kind of credential it is.
impl fmt::Debug for Auth {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Auth::Token(_) => f.write_str("Token(hidden)"),
            Auth::Session => f.write_str("Session"),
        }
    }
}

/// A connection to one portal with one credential.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Client {
    pub portal: Origin,
    pub auth: Auth,
}

impl Client {
    pub fn new(portal: Origin, auth: Auth) -> Self {
        Client { portal, auth }
    }

    /// `GET people/@self`: checks the credential and tells who is signed in.
    pub async fn me(&self) -> Result<Me, ApiError> {
        let ok = self.send(Method::GET, ME_PATH, None).await?;
        parse_me(ok.response)
    }

    /// `GET settings/tfaapp`.
    pub async fn tfa_settings(&self) -> Result<PortalTfa, ApiError> {
        let ok = self.send(Method::GET, SETTINGS_PATH, None).await?;
        parse_tfa_settings(ok.response)
    }

    /// `PUT settings/tfaappwithlink`: returns the confirmation link ("" when none).
    pub async fn save_policy(&self, request: &PolicyRequest) -> Result<String, ApiError> {
        let body = request.to_json();
        let ok = self
            .send(Method::PUT, "settings/tfaappwithlink", Some(body))
            .await?;
        parse_link(ok.response, LinkKind::Confirmation)
    }

    /// `GET settings/tfaapp/confirm`: `None` when there is nothing to confirm.
    pub async fn confirm_data(&self) -> Result<Option<ConfirmData>, ApiError> {
        let ok = self
            .send(Method::GET, "settings/tfaapp/confirm", None)
            .await?;
        parse_confirm(ok.response)
    }

    /// `GET settings/version/build` (anonymous, §10.15): which DocSpace this is.
    pub async fn server(&self) -> Result<Server, ApiError> {
        let ok = self.send(Method::GET, VERSION_PATH, None).await?;
        parse_version(ok.response)
    }

    /// `PUT settings/tfaappnewapp`: returns the login URL ("" when the user
    /// was e-mailed). `method` is sent only where the portal honours it (the
    /// seed contract); every release unlinks the user's app whatever is sent.
    pub async fn set_user_method(
        &self,
        user: &Guid,
        method: Option<TfaMethod>,
    ) -> Result<String, ApiError> {
        let request = UserMethodRequest {
            method: method.map(TfaMethod::api_name),
            id: user.as_str().to_string(),
        };
        let body = request.to_json();
        let ok = self
            .send(Method::PUT, "settings/tfaappnewapp", Some(body))
            .await?;
        parse_link(ok.response, LinkKind::Login)
    }

    /// `GET people/filter`: one page of people matching `query`.
    pub async fn search_people(
        &self,
        query: &str,
        start: u32,
        count: u32,
    ) -> Result<Page<PersonHit>, ApiError> {
        let path = format!(
            "people/filter?filterValue={}&startIndex={start}&count={count}&sortBy=displayName&sortOrder=ascending",
            encode(query)
        );
        let ok = self.send(Method::GET, &path, None).await?;
        parse_people(ok.response, ok.total)
    }

    /// `GET people/filter`, everyone, one page (`count` ≤ 100, the server's
    /// maximum), in a stable order, for the enrolment overview (§11).
    pub async fn people_page(
        &self,
        start: u32,
        count: u32,
    ) -> Result<Page<crate::domain::enrolment::Person>, ApiError> {
        let path = format!(
            "people/filter?startIndex={start}&count={}&sortBy=displayName&sortOrder=ascending",
            count.min(100)
        );
        let ok = self.send(Method::GET, &path, None).await?;
        types::parse_people_full(ok.response, ok.total)
    }

    /// `GET security/audit/events/filter?action=N`: the latest events of one
    /// action, newest first (§11). On a plan without the audit option the
    /// server ignores the filter and answers its latest 20 events of any kind.
    pub async fn audit_events(&self, action: u32) -> Result<Vec<AuditEvent>, ApiError> {
        let path = format!("security/audit/events/filter?action={action}&count=100");
        let ok = self.send(Method::GET, &path, None).await?;
        types::parse_audit(ok.response)
    }

    /// `GET group`: one page of groups matching `query`.
    pub async fn search_groups(
        &self,
        query: &str,
        start: u32,
        count: u32,
    ) -> Result<Page<GroupHit>, ApiError> {
        let path = format!(
            "group?filterValue={}&startIndex={start}&count={count}",
            encode(query)
        );
        let ok = self.send(Method::GET, &path, None).await?;
        parse_groups(ok.response, ok.total)
    }

    /// The one place a request is made.
    async fn send(
        &self,
        method: Method,
        path: &str,
        body: Option<String>,
    ) -> Result<Success, ApiError> {
        let url = format!("{}{API_ROOT}{path}", self.portal);
        // The loader may have asked already (see `session`).
        let early = (matches!(method, Method::GET) && self.auth == Auth::Session)
            .then(|| prefetch::take(path))
            .flatten();
        // The browser's own timer aborts the request and the body read alike.
        let signal = web_sys::AbortSignal::timeout_with_u32(TIMEOUT.as_millis() as u32);
        let (status, text) = match early {
            Some(answer) => answer.await?,
            None => {
                let response = self
                    .request(method, &url, &signal, body)
                    .map_err(|_| ApiError::Network)?
                    .send()
                    .await
                    .map_err(|e| failed(&e))?;
                // The body is read under the same time limit: a server can hang mid-body.
                let text = response.text().await.map_err(|e| failed(&e))?;
                (response.status(), text)
            }
        };
        decode(status, &text)
    }

    /// The request for `url` with this client's credentials.
    fn request(
        &self,
        method: Method,
        url: &str,
        signal: &web_sys::AbortSignal,
        body: Option<String>,
    ) -> Result<gloo_net::http::Request, gloo_net::Error> {
        let builder = RequestBuilder::new(url)
            .method(method)
            .header("Accept", "application/json")
            .abort_signal(Some(signal));
        let builder = match &self.auth {
            Auth::Token(token) => builder
                .header("Authorization", &format!("Bearer {token}"))
                .credentials(RequestCredentials::Omit),
            Auth::Session => builder.credentials(RequestCredentials::SameOrigin),
        };
        match body {
            Some(json) => builder
                .header("Content-Type", "application/json")
                .body(json),
            None => builder.build(),
        }
    }
}

/// A failed fetch or body read: the time limit (`AbortSignal.timeout`
/// rejects with a `TimeoutError`), or the network.
fn failed(error: &gloo_net::Error) -> ApiError {
    match error {
        gloo_net::Error::JsError(e) if e.name == "TimeoutError" => ApiError::Timeout,
        _ => ApiError::Network,
    }
}

fn encode(text: &str) -> String {
    String::from(js_sys::encode_uri_component(text))
}
