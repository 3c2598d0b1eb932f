//! Two-factor authentication admin panel for ONLYOFFICE DocSpace.
//!
//! - [`api`]: the only code that knows DocSpace (URLs, JSON, envelopes,
//!   typed errors, opening a connection);
//! - [`domain`]: pure rules (the server's release, trusted IPs, GUIDs, link
//!   safety, the settings diff);
//! - [`i18n`]: every user-facing sentence, in the administrator's language
//!   (`i18n/*.json`; `t!` and `tr` read them);
//! - [`messages`]: what to say about a failed call;
//! - [`session`]: what the pages share (the connection, the TFA settings);
//! - [`pages`]: one module per task, each with its own state;
//!   [`components`]: reusable widgets, fed by props and callbacks;
//! - [`app`]: the shell: navigation and layout.

pub mod api;
pub mod app;
pub mod components;
pub mod domain;
pub mod i18n;
pub mod messages;
pub mod pages;
pub mod session;
pub mod web;

#[cfg(tfa_alloc_stats)]
mod alloc_stats;

pub use app::App;

/// Mounts the panel into `#tfa-panel` when the hosting page has one (its
/// `data-portal` presets the portal, its `lang` the language), otherwise into
/// `<body>`. A language other than English is fetched first, so the panel
/// never shows English text to replace it a moment later.
pub fn mount() {
    use wasm_bindgen::JsCast;

    console_error_panic_hook::set_once();
    let target = leptos::prelude::document()
        .get_element_by_id("tfa-panel")
        .and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok());
    let preset = web::preset_portal(target.as_deref());
    let (lang, source, traditional) = i18n::initial(target.as_deref());
    // Before anything reactive exists: no owner to run a Leptos task in.
    wasm_bindgen_futures::spawn_local(async move {
        let shown = match i18n::switch_to(lang).await {
            Ok(()) => components::lang_switch::Language {
                source,
                traditional,
                failed: None,
            },
            Err(_) => components::lang_switch::Language {
                source: i18n::Source::Default,
                traditional,
                failed: Some(lang),
            },
        };
        if shown.failed.is_some() {
            i18n::set_document_language(i18n::Lang::En);
        }
        mount_app(target, preset.unwrap_or_default(), shown);
    });
}

fn mount_app(
    target: Option<web_sys::HtmlElement>,
    preset: String,
    language: components::lang_switch::Language,
) {
    use leptos::prelude::*;
    let app = move || view! { <App preset=preset.clone() language /> };
    match target {
        Some(element) => leptos::mount::mount_to(element, app).forget(),
        None => leptos::mount::mount_to_body(app),
    }
}
