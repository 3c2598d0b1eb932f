//! Thin wrappers over the browser's own facilities (web-sys), so pages stay short
//! and nothing else touches `window` directly.

use wasm_bindgen::JsCast;

fn window() -> Option<web_sys::Window> {
    web_sys::window()
}

thread_local! {
    /// Embedded (`<docspace-tfa-panel>`): the panel's container inside the
    /// element's shadow root. `None` on the panel's own page.
    static EMBEDDED: std::cell::RefCell<Option<web_sys::HtmlElement>> = const { std::cell::RefCell::new(None) };
    /// The element's `portal` attribute after mount (see `lib::set_portal`).
    static PORTAL_ATTRIBUTE: leptos::prelude::ArcRwSignal<Option<String>> =
        leptos::prelude::ArcRwSignal::new(None);
}

/// Marks the panel as embedded in `container` (inside a shadow root).
pub fn set_embedded(container: web_sys::HtmlElement) {
    EMBEDDED.with(|e| *e.borrow_mut() = Some(container));
}

/// The container of an embedded panel; `None` on the panel's own page.
pub fn embedded() -> Option<web_sys::HtmlElement> {
    EMBEDDED.with(|e| e.borrow().clone())
}

/// The element with this id in the panel: inside the shadow root when
/// embedded (where `document.getElementById` cannot see), else the document.
pub fn by_id(id: &str) -> Option<web_sys::Element> {
    match embedded() {
        Some(container) => container
            .get_root_node()
            .dyn_into::<web_sys::ShadowRoot>()
            .ok()?
            .get_element_by_id(id),
        None => window()?.document()?.get_element_by_id(id),
    }
}

/// The embedding element's `portal` attribute, as it changes after mount.
pub fn portal_attribute() -> leptos::prelude::ArcRwSignal<Option<String>> {
    PORTAL_ATTRIBUTE.with(Clone::clone)
}

/// The key under which an opted-in connection is remembered for this tab only.
const SESSION_KEY: &str = "tfa-panel.connection";

/// A remembered connection: portal address and token. Kept in sessionStorage
/// (per tab, cleared when the tab closes), never in localStorage.
pub fn remember(portal: &str, token: &str) {
    if let Some(storage) = window().and_then(|w| w.session_storage().ok().flatten()) {
        use crate::api::json::Json;
        let value = Json::Obj(vec![
            ("portal".into(), Json::Str(portal.into())),
            ("token".into(), Json::Str(token.into())),
        ])
        .text();
        let _ = storage.set_item(SESSION_KEY, &value);
    }
}

/// Forgets a remembered connection.
pub fn forget() {
    if let Some(storage) = window().and_then(|w| w.session_storage().ok().flatten()) {
        let _ = storage.remove_item(SESSION_KEY);
    }
}

/// The connection remembered for this tab, if any.
pub fn remembered() -> Option<(String, String)> {
    let storage = window()?.session_storage().ok()??;
    let value = crate::api::json::parse(&storage.get_item(SESSION_KEY).ok()??).ok()?;
    Some((
        value.get("portal")?.as_str()?.to_string(),
        value.get("token")?.as_str()?.to_string(),
    ))
}

/// This page's own origin, e.g. `https://portal.example.com`.
pub fn page_origin() -> Option<String> {
    window()?.location().origin().ok()
}

/// The portal preset by the hosting page: `data-portal` on the mount element,
/// a `<meta name="docspace-portal">`, or a `?portal=` parameter, in that order.
pub fn preset_portal(mount: Option<&web_sys::Element>) -> Option<String> {
    let from_mount = mount.and_then(|m| m.get_attribute("data-portal"));
    let from_meta = || {
        window()?
            .document()?
            .query_selector("meta[name=docspace-portal]")
            .ok()??
            .get_attribute("content")
    };
    let from_query = || {
        let search = window()?.location().search().ok()?;
        web_sys::UrlSearchParams::new_with_str(&search)
            .ok()?
            .get("portal")
    };
    from_mount
        .or_else(from_meta)
        .or_else(from_query)
        .map(|p| p.trim().to_string())
        .filter(|p| !p.is_empty())
}

/// Copies text to the clipboard: whether the browser allowed it.
pub async fn copy_text(text: String) -> bool {
    let Some(clipboard) = window().map(|w| w.navigator().clipboard()) else {
        return false;
    };
    wasm_bindgen_futures::JsFuture::from(clipboard.write_text(&text))
        .await
        .is_ok()
}

/// Offers `text` as a file download named `name` (a Blob URL and a
/// `download` link, clicked once and revoked).
pub fn download(name: &str, mime: &str, text: &str) {
    let Some(document) = window().and_then(|w| w.document()) else {
        return;
    };
    let parts = js_sys::Array::of1(&text.into());
    let options = web_sys::BlobPropertyBag::new();
    options.set_type(mime);
    let Ok(blob) = web_sys::Blob::new_with_str_sequence_and_options(&parts, &options) else {
        return;
    };
    let Ok(url) = web_sys::Url::create_object_url_with_blob(&blob) else {
        return;
    };
    if let Some(a) = document
        .create_element("a")
        .ok()
        .and_then(|a| a.dyn_into::<web_sys::HtmlAnchorElement>().ok())
    {
        a.set_href(&url);
        a.set_download(name);
        let parent: Option<web_sys::Element> = match embedded() {
            Some(container) => Some(container.into()),
            None => document.body().map(Into::into),
        };
        if let Some(parent) = parent {
            let _ = parent.append_child(&a);
            a.click();
            a.remove();
        }
    }
    let _ = web_sys::Url::revoke_object_url(&url);
}

/// Milliseconds on the page's clock (`performance.now()`).
pub fn now_ms() -> f64 {
    window()
        .and_then(|w| w.performance())
        .map(|p| p.now())
        .unwrap_or_default()
}

/// Sets a performance mark (the benchmark reads them).
pub fn mark(name: &str) {
    if let Some(performance) = window().and_then(|w| w.performance()) {
        let _ = performance.mark(name);
    }
}

/// Moves keyboard focus to the element with this id (after the DOM settles).
pub fn focus_id(id: &'static str) {
    leptos::prelude::request_animation_frame(move || {
        let element = by_id(id).and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok());
        if let Some(element) = element {
            let _ = element.focus();
        }
    });
}

/// A browser timer that owns its callback: dropping it clears the timer and
/// frees the callback. (Leptos's `set_timeout_with_handle` hands its callback
/// to the browser for good, so every timer that is cleared before it fires
/// leaves its callback behind on the wasm heap.)
pub struct Timer {
    id: i32,
    _callback: wasm_bindgen::closure::Closure<dyn FnMut()>,
}

impl Timer {
    /// Runs `f` once after `delay`, unless the timer is dropped first.
    pub fn start(delay: std::time::Duration, f: impl FnOnce() + 'static) -> Option<Timer> {
        let mut f = Some(f);
        let callback = wasm_bindgen::closure::Closure::<dyn FnMut()>::new(move || {
            if let Some(f) = f.take() {
                f();
            }
        });
        let id = window()?
            .set_timeout_with_callback_and_timeout_and_arguments_0(
                callback.as_ref().unchecked_ref(),
                i32::try_from(delay.as_millis()).unwrap_or(i32::MAX),
            )
            .ok()?;
        Some(Timer {
            id,
            _callback: callback,
        })
    }
}

impl Drop for Timer {
    fn drop(&mut self) {
        if let Some(w) = window() {
            w.clear_timeout_with_handle(self.id);
        }
    }
}

/// Resolves in a later task (a zero-delay timer): lets answers already on
/// their way arrive first.
pub fn next_task() -> wasm_bindgen_futures::JsFuture {
    let promise = js_sys::Promise::new(&mut |resolve, _reject| {
        if let Some(w) = window() {
            let _ = w.set_timeout_with_callback_and_timeout_and_arguments_0(&resolve, 0);
        }
    });
    wasm_bindgen_futures::JsFuture::from(promise)
}

/// Lowercases a text the way `str::to_lowercase` does (Unicode's default
/// case mapping, final sigma included), using the browser's
/// `String.prototype.toLowerCase`: Rust's own Unicode case tables would add
/// about 8 kB to the gzipped download. Native builds (the tests) use Rust's.
pub fn lowercase(text: &str) -> String {
    #[cfg(target_arch = "wasm32")]
    {
        js_sys::JsString::from(text).to_lower_case().into()
    }
    #[cfg(not(target_arch = "wasm32"))]
    {
        text.to_lowercase()
    }
}

/// [`lowercase`] of each text, in one call to the browser (50,000 names are
/// one string across, not 50,000 calls). A NUL inside a text becomes a space.
pub fn lowercase_each<'a>(texts: impl IntoIterator<Item = &'a str>) -> Vec<String> {
    let mut joined = String::new();
    let mut n = 0;
    for text in texts {
        if n > 0 {
            joined.push('\0');
        }
        n += 1;
        if text.contains('\0') {
            joined.push_str(&text.replace('\0', " "));
        } else {
            joined.push_str(text);
        }
    }
    if n == 0 {
        return Vec::new();
    }
    lowercase(&joined).split('\0').map(str::to_string).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lowercase_each_keeps_one_text_per_input() {
        assert_eq!(lowercase_each([]), Vec::<String>::new());
        assert_eq!(lowercase_each([""]), vec![""]);
        assert_eq!(
            lowercase_each(["ÉLODIE Dupont", "", "a\0B", "ΟΔΥΣΣΕΥΣ", "Иван"]),
            vec!["élodie dupont", "", "a b", "οδυσσευς", "иван"]
        );
    }
}
