//! The second module: "Who is protected" and the TFA history, loaded by the
//! panel when one of them is first opened (see `tfa_panel::tasks`).

use wasm_bindgen::prelude::wasm_bindgen;

fn main() {
    console_error_panic_hook::set_once();
}

/// Shows the task `tab` (its URL slug) in `container`, signed in to
/// `portal` with `token` (none: the portal's own session cookie), in the
/// language `lang`. `root` is the panel's container when it is embedded.
/// `id` names this mount for [`unmount_task`].
#[wasm_bindgen(js_name = mountTask)]
pub fn mount_task(
    id: u32,
    container: web_sys::HtmlElement,
    tab: String,
    portal: String,
    token: Option<String>,
    lang: String,
    root: Option<web_sys::HtmlElement>,
) {
    tfa_panel::tasks::module::mount(id, container, &tab, &portal, token, &lang, root);
}

/// Takes the mount `id` away (the page's state stays for the next one).
#[wasm_bindgen(js_name = unmountTask)]
pub fn unmount_task(id: u32) {
    tfa_panel::tasks::module::unmount(id);
}

/// The panel's language changed.
#[wasm_bindgen(js_name = setLanguage)]
pub fn set_language(lang: String) {
    tfa_panel::tasks::module::set_language(&lang);
}

/// The panel disconnected: forget the connection.
#[wasm_bindgen(js_name = disconnect)]
pub fn disconnect() {
    tfa_panel::tasks::module::disconnect();
}
