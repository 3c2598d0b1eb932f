//! The panel's module: the shell, connecting, the policy, the confirmation
//! link and the user reset. "Who is protected" and the history are a second
//! module (`src/bin/tfa-tasks.rs`), fetched when one of them is first opened.

use wasm_bindgen::prelude::wasm_bindgen;

fn main() {
    tfa_panel::mount();
}

/// See [`tfa_panel::mount_element`].
#[wasm_bindgen(js_name = mountElement)]
pub fn mount_element(host: web_sys::HtmlElement, container: web_sys::HtmlElement) {
    tfa_panel::mount_element(host, container);
}

/// See [`tfa_panel::set_language`].
#[wasm_bindgen(js_name = setLanguage)]
pub fn set_language(tag: String) {
    tfa_panel::set_language(tag);
}

/// See [`tfa_panel::set_portal`].
#[wasm_bindgen(js_name = setPortal)]
pub fn set_portal(portal: String) {
    tfa_panel::set_portal(portal);
}
