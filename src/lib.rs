//! Two-factor authentication admin panel for ONLYOFFICE DocSpace.
//!
//! - [`api`]: the only code that knows DocSpace (URLs, JSON, envelopes,
//!   typed errors, opening a connection);
//! - [`domain`]: pure rules (the server's release, trusted IPs, GUIDs, link
//!   safety, the settings diff);
//! - [`messages`]: every sentence about a failed call;
//! - [`session`]: what the pages share (the connection, the TFA settings);
//! - [`pages`]: one module per task, each with its own state;
//!   [`components`]: reusable widgets, fed by props and callbacks;
//! - [`app`]: the shell: navigation and layout.

pub mod api;
pub mod app;
pub mod components;
pub mod domain;
pub mod messages;
pub mod pages;
pub mod session;
pub mod web;

#[cfg(tfa_alloc_stats)]
mod alloc_stats;

pub use app::App;

/// Mounts the panel into `#tfa-panel` when the hosting page has one (its
/// `data-portal` presets the portal), otherwise into `<body>`.
pub fn mount() {
    use leptos::prelude::*;
    use wasm_bindgen::JsCast;

    console_error_panic_hook::set_once();
    let target = document()
        .get_element_by_id("tfa-panel")
        .and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok());
    let preset = web::preset_portal(target.as_deref());
    let app = move || view! { <App preset=preset.unwrap_or_default() /> };
    match target {
        Some(element) => leptos::mount::mount_to(element, app).forget(),
        None => leptos::mount::mount_to_body(app),
    }
}
