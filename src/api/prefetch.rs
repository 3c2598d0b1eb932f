//! Answers asked for before the panel's code arrived.
//!
//! When the panel may be served by the portal itself, the loader
//! (`scripts/csp.py` writes it) sends the session check (`people/@self`), the
//! TFA settings read (`settings/tfaapp`) and the version read
//! (`settings/version/build`) for the page's own origin while
//! the wasm is still downloading, and leaves the pending answers in
//! `window.__tfaPrefetch`, each read to the end as `[status, body]`, so the
//! panel has them within the task it starts in (a body read of its own would
//! wait for a later task, and the browser would render the "Connecting…"
//! screen in between). At start-up the panel either adopts them, when it
//! probes the portal session of its own origin anyway, or discards them; an
//! adopted answer is used once, by the first `GET` of the same path with the
//! session credential, and whatever is left is discarded once the connection
//! check is over, so a later request never gets an old answer.

use std::cell::RefCell;

use wasm_bindgen::{JsCast, JsValue};

use super::ApiError;

const GLOBAL: &str = "__tfaPrefetch";

thread_local! {
    static ADOPTED: RefCell<Option<JsValue>> = const { RefCell::new(None) };
}

fn detach_global() -> Option<JsValue> {
    let window: JsValue = web_sys::window()?.into();
    let key = JsValue::from_str(GLOBAL);
    let store = js_sys::Reflect::get(&window, &key).ok()?;
    let _ = js_sys::Reflect::delete_property(window.unchecked_ref::<js_sys::Object>(), &key);
    (!store.is_undefined() && !store.is_null()).then_some(store)
}

/// Keeps the loader's answers for the session probe about to start.
pub(super) fn adopt() {
    let store = detach_global();
    ADOPTED.with(|a| *a.borrow_mut() = store);
}

/// Drops any answers not used: later requests go to the network.
pub(super) fn discard() {
    let _ = detach_global();
    ADOPTED.with(|a| *a.borrow_mut() = None);
}

/// The adopted answer for `path`, once: its status and body.
pub(super) fn take(
    path: &str,
) -> Option<impl std::future::Future<Output = Result<(u16, String), ApiError>>> {
    let promise = ADOPTED.with(|a| {
        let store = a.borrow();
        let store = store.as_ref()?;
        let key = JsValue::from_str(path);
        let value = js_sys::Reflect::get(store, &key).ok()?;
        let _ = js_sys::Reflect::delete_property(store.unchecked_ref::<js_sys::Object>(), &key);
        value.dyn_into::<js_sys::Promise>().ok()
    })?;
    Some(async move {
        match wasm_bindgen_futures::JsFuture::from(promise).await {
            Ok(answer) => {
                let answer: js_sys::Array = answer.dyn_into().map_err(|_| ApiError::Network)?;
                let status = answer.get(0).as_f64().ok_or(ApiError::Network)?;
                let body = answer.get(1).as_string().ok_or(ApiError::Network)?;
                Ok((status as u16, body))
            }
            // The loader gives each request the panel's time limit.
            Err(e)
                if js_sys::Reflect::get(&e, &"name".into())
                    .ok()
                    .and_then(|n| n.as_string())
                    .as_deref()
                    == Some("TimeoutError") =>
            {
                Err(ApiError::Timeout)
            }
            Err(_) => Err(ApiError::Network),
        }
    })
}
