//! DocSpace simulator: a real HTTP server that stands in for ONLYOFFICE
//! DocSpace's TFA settings, people, group and authentication API, for the
//! demo and for every test.
//!
//! ```no_run
//! # async fn demo() -> std::io::Result<()> {
//! let running = docspace_sim::start(docspace_sim::Config::test()).await?;
//! println!("{}", running.url());
//! running.shutdown();
//! # Ok(()) }
//! ```

// Top: the server and what it dispatches to.
mod server;

mod assets;
mod control;
mod cors;
mod faults;
mod pages;
mod route;

// The API's endpoints and what they share.
mod audit;
mod auth;
mod confirm;
mod pending;
mod people;
mod request;
mod signin;
mod tfa;

// Below them all: shared state and the model.
mod dto;
mod envelope;
mod profile;
mod seed;
mod shared;
mod state;
mod trail;
mod version;

// Ground: helpers that know nothing of the simulator.
mod clock;
mod encoding;
mod guid;
mod ipmatch;
mod random;

use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::{Arc, Mutex};

use tokio::net::TcpListener;
use tokio::sync::watch;
use tokio::task::JoinHandle;

pub use auth::API_KEYS;
pub use profile::Profile;
pub use seed::*;
pub use trail::AuditPlan;

/// How to run the simulator. `Default` matches the command line's defaults.
#[derive(Clone, Debug)]
pub struct Config {
    pub addr: SocketAddr,
    pub profile: Profile,
    /// Serve the built panel from here at `/`.
    pub static_dir: Option<PathBuf>,
    /// Generated users added on top of the seed portal.
    pub users: usize,
    /// Generated groups added on top of the seed portal.
    pub groups: usize,
    /// `None`: `Access-Control-Allow-Origin: *` without credentials.
    /// `Some(origin)`: only that origin, with credentials.
    pub cors_origin: Option<String>,
    /// Enables `/sim/control/...`.
    pub test_control: bool,
    /// `None`: the profile's default (available in `seed` only).
    pub sms_available: Option<bool>,
    /// No per-request log lines on stderr.
    pub quiet: bool,
    /// The DocSpace release to pretend to be (`X.Y.Z` or `X.Y.Z.B`, within
    /// the profile's family), or `none` for an answer without `docSpace`.
    /// `None`: the profile's default (`seed`, `3.6.1.1000`, `3.7.2.1000`,
    /// `3.9.0.1000`).
    pub docspace_version: Option<String>,
    /// Every user's `cultureName` (`ru-RU`, ...) until test control sets
    /// another. `None`: `en-US`.
    pub culture: Option<String>,
    /// What the plan allows of the audit trail (`--audit`; default full).
    pub audit: AuditPlan,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            addr: SocketAddr::from(([127, 0, 0, 1], 8080)),
            profile: Profile::Seed,
            static_dir: None,
            users: 0,
            groups: 0,
            cors_origin: None,
            test_control: false,
            sms_available: None,
            quiet: false,
            docspace_version: None,
            culture: None,
            audit: AuditPlan::Full,
        }
    }
}

impl Config {
    /// An ephemeral loopback port, test control on, quiet: for tests.
    pub fn test() -> Config {
        Config {
            addr: SocketAddr::from(([127, 0, 0, 1], 0)),
            test_control: true,
            quiet: true,
            ..Config::default()
        }
    }

    pub fn with_profile(mut self, profile: Profile) -> Config {
        self.profile = profile;
        self
    }

    pub fn with_docspace_version(mut self, version: &str) -> Config {
        self.docspace_version = Some(version.to_string());
        self
    }

    /// Every user's culture (`cultureName`) at start.
    pub fn with_culture(mut self, culture: &str) -> Config {
        self.culture = Some(culture.to_string());
        self
    }

    /// What the plan allows of the audit trail at start.
    pub fn with_audit(mut self, plan: AuditPlan) -> Config {
        self.audit = plan;
        self
    }

    /// Checks what the flags cannot check alone: the version belongs to the
    /// profile's family, and the culture is not blank. The message names
    /// the problem.
    pub fn validate(&self) -> Result<(), String> {
        self.checked_culture()?;
        self.reported_version().map(|_| ())
    }

    /// The culture, trimmed; a blank one is an error.
    fn checked_culture(&self) -> Result<Option<String>, String> {
        match self.culture.as_deref().map(str::trim) {
            None => Ok(None),
            Some("") => Err("the culture must not be empty (a name such as ru-RU)".into()),
            Some(c) => Ok(Some(c.to_string())),
        }
    }

    fn reported_version(&self) -> Result<version::Reported, String> {
        match &self.docspace_version {
            None => Ok(self.profile.default_version()),
            Some(v) => version::check(self.profile, v),
        }
    }
}

/// A running simulator. Dropping it (or calling [`Running::shutdown`]) stops
/// the server and closes every open connection.
pub struct Running {
    /// The bound address (the real port when the config asked for port 0).
    pub addr: SocketAddr,
    pub profile: Profile,
    /// What `settings/version/build` reports as `docSpace` at start.
    pub docspace_version: Option<String>,
    pub sms_available: bool,
    shutdown: watch::Sender<bool>,
    task: JoinHandle<()>,
}

impl Running {
    /// `http://127.0.0.1:PORT` (no trailing slash).
    pub fn url(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// Stops accepting and closes all connections.
    pub fn shutdown(self) {
        let _ = self.shutdown.send(true);
    }

    /// Waits until the accept loop has ended (after a shutdown).
    pub async fn stopped(self) {
        let Running { shutdown, task, .. } = self;
        let _keep = shutdown;
        let _ = task.await;
    }
}

/// Binds and starts serving in the current tokio runtime. A version outside
/// the profile's family or a blank culture is an `InvalidInput` error.
pub async fn start(config: Config) -> std::io::Result<Running> {
    let invalid = |e: String| std::io::Error::new(std::io::ErrorKind::InvalidInput, e);
    let version = config.reported_version().map_err(invalid)?;
    let culture = config.checked_culture().map_err(invalid)?;
    random::seed_rng();
    let listener = TcpListener::bind(config.addr).await?;
    let addr = listener.local_addr()?;
    let sms_available = config
        .sms_available
        .unwrap_or_else(|| config.profile.default_sms_available());
    let (tx, rx) = watch::channel(false);
    let shared = Arc::new(shared::Shared {
        settings: shared::Settings {
            profile: config.profile,
            sms_available,
        },
        extra_users: config.users,
        extra_groups: config.groups,
        culture: culture.clone(),
        // Browsers send the origin without a trailing slash.
        cors_origin: config
            .cors_origin
            .as_deref()
            .map(|o| o.trim_end_matches('/').to_string()),
        static_dir: config.static_dir.clone(),
        test_control: config.test_control,
        quiet: config.quiet,
        version: version.clone(),
        audit_plan: config.audit,
        state: Mutex::new(state::State::new(
            config.users,
            config.groups,
            culture.as_deref(),
            version.clone(),
            config.audit,
        )),
        shutdown: rx.clone(),
    });
    let app = server::router(shared);
    let task = tokio::spawn(server::accept_loop(listener, app, rx));
    Ok(Running {
        addr,
        profile: config.profile,
        docspace_version: version.doc_space().map(str::to_string),
        sms_available,
        shutdown: tx,
        task,
    })
}
