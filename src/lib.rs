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
pub mod tasks;
pub mod web;

#[cfg(tfa_alloc_stats)]
mod alloc_stats;

pub use app::App;

/// Mounts the panel into `#tfa-panel` when the hosting page has one (its
/// `data-portal` presets the portal, its `lang` the language), otherwise into
/// `<body>`. Does nothing when the stable entry (`tfa-panel.js`) loaded the
/// panel: the `<docspace-tfa-panel>` element mounts it ([`mount_element`]).
pub fn mount() {
    use wasm_bindgen::JsCast;

    console_error_panic_hook::set_once();
    let embedded = js_sys::Reflect::get(&js_sys::global(), &"__tfaPanelEmbedded".into())
        .ok()
        .is_some_and(|v| v.is_truthy());
    if embedded {
        return;
    }
    let document = leptos::prelude::document();
    let target = document
        .get_element_by_id("tfa-panel")
        .and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok());
    let preset = web::preset_portal(target.as_deref());
    let language = i18n::initial(target.as_deref());
    let container = target.or_else(|| document.body());
    start(container, preset.unwrap_or_default(), language);
}

/// Mounts the panel for the `<docspace-tfa-panel>` element `host` into
/// `container`, a `<div>` in the element's shadow root. The element's
/// `portal` and `lang` attributes preset the portal and the language.
/// (Exported to JavaScript by the panel's binary, `src/main.rs`: an export
/// here would be kept in the tasks' module too.)
pub fn mount_element(host: web_sys::HtmlElement, container: web_sys::HtmlElement) {
    console_error_panic_hook::set_once();
    web::set_embedded(container.clone());
    let preset = host
        .get_attribute("portal")
        .map(|p| p.trim().to_string())
        .filter(|p| !p.is_empty())
        .or_else(|| web::preset_portal(None));
    let language = i18n::initial(Some(&host));
    start(Some(container), preset.unwrap_or_default(), language);
}

/// The element's `lang` attribute changed: show that language (as if chosen
/// in the switcher; an empty or unknown value changes nothing).
pub fn set_language(tag: String) {
    if let i18n::Match::Found(lang) = i18n::match_tag(&tag) {
        // Called by the element, outside any reactive owner.
        wasm_bindgen_futures::spawn_local(async move {
            let _ = i18n::switch_to(lang).await;
        });
    }
}

/// The element's `portal` attribute changed: the connect form shows the new
/// portal; a connection to another portal is closed first (the panel never
/// stays signed in to a portal the page no longer names).
pub fn set_portal(portal: String) {
    use leptos::prelude::Set;
    web::portal_attribute().set(Some(portal.trim().to_string()));
}

/// Fetches the first language's catalogue, then mounts the app.
fn start(
    container: Option<web_sys::HtmlElement>,
    preset: String,
    (lang, source, traditional): (i18n::Lang, i18n::Source, bool),
) {
    let Some(container) = container else { return };
    let _ = container.class_list().add_1("tfa-root");
    // Before anything reactive exists: no owner to run a Leptos task in.
    wasm_bindgen_futures::spawn_local(async move {
        let shown = match i18n::switch_to(lang).await {
            Ok(()) => components::lang_switch::Language {
                source,
                traditional,
                failed: None,
            },
            Err(_) => {
                i18n::set_document_language(i18n::Lang::En);
                components::lang_switch::Language {
                    source: i18n::Source::Default,
                    traditional,
                    failed: Some(lang),
                }
            }
        };
        use leptos::prelude::*;
        let app = move || view! { <App preset=preset.clone() language=shown /> };
        leptos::mount::mount_to(container, app).forget();
    });
}
