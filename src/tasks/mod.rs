//! The tasks that load later: "Who is protected" (with the bulk reset) and
//! the TFA history are a second wasm module, fetched the first time one of
//! them is opened, so the first download carries only the shell, connecting,
//! the policy, the confirmation link and the user reset.
//!
//! - [`host`]: the panel's side: a placeholder that loads the module and
//!   hands it the connection, the tab and the language;
//! - [`module`]: the second module's side: its own session, the pages'
//!   state (kept across tab switches, as in the panel), and the pages.
//!
//! The two modules share no memory: the second opens the connection it is
//! handed (`api::session::open`) and reads the portal's settings itself.
//! Each binary exports only its own side (`src/main.rs`,
//! `src/bin/tfa-tasks.rs`); the link step drops the other.

pub mod host;
pub mod module;

use crate::session::Tab;

/// Whether `tab` lives in the second module.
pub fn is_later(tab: Tab) -> bool {
    matches!(tab, Tab::Overview | Tab::History)
}
