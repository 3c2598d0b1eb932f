//! The panel's side: [`TaskHost`] stands in the main area for a task of the
//! second module. The first one shown fetches the module, through the
//! loader's `__tfaLoadTasks()` (the page's loader or the embedding entry
//! defines it: they know the module's hashed file names); every one hands it
//! the connection, the tab and the language, and takes its view away again.

use std::cell::{Cell, RefCell};

use leptos::prelude::*;
use wasm_bindgen::{JsCast, JsValue};

use crate::api::Auth;
use crate::i18n::{self, tr, K};
use crate::session::{use_session, Tab};

thread_local! {
    /// The second module's exports, once it has started.
    static MODULE: RefCell<Option<JsValue>> = const { RefCell::new(None) };
    /// Names each mount, so that a late unmount takes only its own.
    static NEXT_ID: Cell<u32> = const { Cell::new(1) };
}

/// Calls the module's export `name` (no-op before the module has started).
fn call(name: &str, args: &[JsValue]) {
    MODULE.with(|m| {
        let Some(module) = m.borrow().clone() else {
            return;
        };
        let Ok(f) = js_sys::Reflect::get(&module, &JsValue::from_str(name)) else {
            return;
        };
        if let Ok(f) = f.dyn_into::<js_sys::Function>() {
            let args: js_sys::Array = args.iter().collect();
            let _ = f.apply(&JsValue::NULL, &args);
        }
    });
}

/// Fetches and starts the second module (once; a failed try can be retried).
async fn load() -> Result<(), JsValue> {
    if MODULE.with(|m| m.borrow().is_some()) {
        return Ok(());
    }
    let loader = js_sys::Reflect::get(&js_sys::global(), &JsValue::from_str("__tfaLoadTasks"))?;
    let loader: js_sys::Function = loader.dyn_into()?;
    let promise: js_sys::Promise = loader.call0(&JsValue::NULL)?.dyn_into()?;
    let module = wasm_bindgen_futures::JsFuture::from(promise).await?;
    MODULE.with(|m| *m.borrow_mut() = Some(module));
    Ok(())
}

/// Starts fetching the second module when `tab` lives there (a pointer over
/// its tab, or focus on it); a failure is left for the tab to show.
pub fn warm(tab: Tab) {
    if super::is_later(tab) && MODULE.with(|m| m.borrow().is_none()) {
        // A hint, not a task of any page: nothing waits for it.
        wasm_bindgen_futures::spawn_local(async {
            let _ = load().await;
        });
    }
}

/// The panel disconnected: the module forgets the connection too.
pub fn disconnect() {
    call("disconnect", &[]);
}

/// Where the module's page for `tab` goes, with "Loading…" until it is
/// there, or what went wrong and a way to try again.
#[component]
pub fn TaskHost(tab: Tab) -> impl IntoView {
    #[derive(Clone, Copy, PartialEq, Eq)]
    enum Load {
        Loading,
        Shown,
        Failed,
    }
    let session = use_session();
    let host = NodeRef::<leptos::html::Div>::new();
    let load_state = RwSignal::new(Load::Loading);
    let attempt = RwSignal::new(0u32);
    let id = NEXT_ID.with(|n| {
        let id = n.get();
        n.set(id.wrapping_add(1));
        id
    });
    let alive = StoredValue::new(true);
    Effect::new(move |_| {
        attempt.track();
        let Some(el) = host.get() else { return };
        let Some(connected) = session.connection.get_untracked() else {
            return;
        };
        load_state.set(Load::Loading);
        let el: web_sys::HtmlElement = el.into();
        // Not an action: the result is the module's own view, not a value
        // for this page; `alive` drops it if the tab was left meanwhile.
        leptos::task::spawn_local(async move {
            let loaded = load().await;
            if !alive.try_get_value().unwrap_or(false) {
                return;
            }
            if loaded.is_err() {
                load_state.set(Load::Failed);
                return;
            }
            let token = match &connected.client.auth {
                Auth::Token(t) => JsValue::from_str(t),
                Auth::Session => JsValue::UNDEFINED,
            };
            let root: JsValue = crate::web::embedded().map_or(JsValue::UNDEFINED, Into::into);
            call(
                "mountTask",
                &[
                    JsValue::from(id),
                    el.into(),
                    JsValue::from_str(tab.slug()),
                    JsValue::from_str(&connected.client.portal.to_string()),
                    token,
                    JsValue::from_str(untrack(i18n::current).tag()),
                    root,
                ],
            );
            load_state.set(Load::Shown);
        });
    });
    // The language follows the panel's.
    Effect::new(move |first: Option<()>| {
        let lang = i18n::current();
        if first.is_some() && load_state.get_untracked() == Load::Shown {
            call("setLanguage", &[JsValue::from_str(lang.tag())]);
        }
    });
    on_cleanup(move || {
        alive.set_value(false);
        call("unmountTask", &[JsValue::from(id)]);
    });
    view! {
        {move || match load_state.get() {
            Load::Loading => Some(view! {
                <p class="card muted" role="status" data-testid="task-loading">{tr(K::app_task_loading)}</p>
            }.into_any()),
            Load::Failed => Some(view! {
                <section class="card">
                    <div class="banner error" role="alert" data-testid="error">
                        <p class="banner-title">{tr(K::app_task_load_failed)}</p>
                        <button type="button" class="secondary" on:click=move |_| attempt.update(|n| *n += 1)>
                            {tr(K::banner_retry)}
                        </button>
                    </div>
                </section>
            }.into_any()),
            Load::Shown => None,
        }}
        <div class="task-host" node_ref=host></div>
    }
}
