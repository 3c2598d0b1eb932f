//! The second module's side: what `src/bin/tfa-tasks.rs` exports.
//!
//! The module keeps one session and the pages' state for its whole life, as
//! the panel's shell does for its own pages: switching tabs takes a page
//! away and brings it back with what was typed, read or running. The session
//! opens the connection the panel hands over, once per portal and
//! credential; showing a page again on the same connection re-reads the
//! portal's TFA settings, which the policy page may have changed meanwhile.

use std::any::Any;
use std::cell::RefCell;

use leptos::prelude::*;

use crate::api::{self, ApiError, Auth, Client};
use crate::components::error_banner::ErrorBanner;
use crate::domain::link::parse_portal;
use crate::i18n::{self, tr, K};
use crate::messages::Operation;
use crate::pages::history::{HistoryPage, HistoryState};
use crate::pages::overview::{OverviewPage, OverviewState};
use crate::session::{provide_session, Connected, Session, Tab};

/// Opening the handed-over connection.
#[derive(Clone, Debug, PartialEq)]
enum Opening {
    Busy,
    Failed(ApiError),
}

/// What the module keeps between mounts.
struct Tasks {
    /// Owns the session and the pages' state: kept, never disposed.
    _owner: Owner,
    session: Session,
    opening: RwSignal<Option<Opening>>,
    /// The connection handed over last.
    client: Option<Client>,
    overview: OverviewState,
    history: HistoryState,
    /// The current mount: its id and Leptos's handle (dropping it unmounts).
    mounted: Option<(u32, Box<dyn Any>)>,
    /// Bumped by every mount and unmount: a mount that waited for its
    /// language goes ahead only if nothing happened meanwhile.
    generation: u64,
}

thread_local! {
    static TASKS: RefCell<Option<Tasks>> = const { RefCell::new(None) };
}

fn with_tasks<R>(f: impl FnOnce(&mut Tasks) -> R) -> R {
    TASKS.with(|t| {
        let mut t = t.borrow_mut();
        let tasks = t.get_or_insert_with(|| {
            // The session's resource spawns before the first mount would
            // start Leptos's executor.
            let _ = any_spawner::Executor::init_wasm_bindgen();
            let owner = Owner::new();
            let (session, overview, history, opening) = owner.with(|| {
                (
                    provide_session(),
                    OverviewState::new(),
                    HistoryState::new(),
                    RwSignal::new(None),
                )
            });
            Tasks {
                _owner: owner,
                session,
                opening,
                client: None,
                overview,
                history,
                mounted: None,
                generation: 0,
            }
        });
        f(tasks)
    })
}

/// Opens `client` for the module's session (the session check, the release
/// and the settings, as the panel's connect step asks them).
fn open(session: Session, opening: RwSignal<Option<Opening>>, client: Client) {
    session.connection.set(None);
    opening.set(Some(Opening::Busy));
    // Outside any reactive owner: the module's exported calls have none.
    wasm_bindgen_futures::spawn_local(async move {
        let result = api::session::open(&client, true).await;
        // A newer connection was handed over meanwhile: this one is stale.
        let current = TASKS.with(|t| t.borrow().as_ref().and_then(|t| t.client.clone()));
        if current.as_ref() != Some(&client) {
            return;
        }
        match result {
            Ok(opened) => {
                let connected = Connected {
                    client,
                    me: opened.me,
                    server: opened.server,
                };
                session.connect(connected, opened.settings);
                opening.set(None);
            }
            Err(e) => opening.set(Some(Opening::Failed(e))),
        }
    });
}

/// See `mountTask` in `src/bin/tfa-tasks.rs`.
pub fn mount(
    id: u32,
    container: web_sys::HtmlElement,
    tab: &str,
    portal: &str,
    token: Option<String>,
    lang: &str,
    root: Option<web_sys::HtmlElement>,
) {
    let Some(tab) = Tab::from_hash(tab).filter(|t| super::is_later(*t)) else {
        return;
    };
    let Ok(origin) = parse_portal(portal) else {
        return;
    };
    if let Some(root) = root {
        crate::web::set_embedded(root);
    }
    let client = Client::new(origin, token.map_or(Auth::Session, Auth::Token));
    let (generation, previous) = with_tasks(|t| {
        let previous = t.mounted.take();
        t.generation += 1;
        if t.client.as_ref() != Some(&client) {
            t.client = Some(client.clone());
            open(t.session, t.opening, client);
        } else if t
            .opening
            .with_untracked(|o| matches!(o, Some(Opening::Failed(_))))
        {
            open(t.session, t.opening, client);
        } else if t.session.connection.with_untracked(Option::is_some) {
            // The policy page may have changed the settings since.
            t.session.settings.refetch();
        }
        (t.generation, previous)
    });
    // Dropped outside the borrow: unmounting runs the pages' cleanups.
    drop(previous);
    let lang = match i18n::match_tag(lang) {
        i18n::Match::Found(lang) => lang,
        _ => i18n::Lang::En,
    };
    // Called from JavaScript, outside any reactive owner; mounts once the
    // language is in.
    wasm_bindgen_futures::spawn_local(async move {
        if untrack(i18n::current) != lang {
            let _ = i18n::switch_to(lang).await;
        }
        let Some((session, opening, overview, history)) = with_tasks(|t| {
            (t.generation == generation).then_some((t.session, t.opening, t.overview, t.history))
        }) else {
            return;
        };
        // Built outside the module's borrow; a root of its own, not a child
        // of the module's owner (an owner's list of children only grows).
        let handle = leptos::mount::mount_to(container, move || {
            provide_context(session);
            view! { <Task tab session opening overview history /> }
        });
        with_tasks(|t| t.mounted = Some((id, Box::new(handle))));
    });
}

/// See `unmountTask` in `src/bin/tfa-tasks.rs`.
pub fn unmount(id: u32) {
    // Dropped outside the borrow: unmounting runs the pages' cleanups.
    let handle = with_tasks(|t| {
        if t.mounted.as_ref().is_some_and(|(m, _)| *m == id) {
            t.generation += 1;
            t.mounted.take()
        } else {
            None
        }
    });
    drop(handle);
}

/// See `setLanguage` in `src/bin/tfa-tasks.rs`.
pub fn set_language(tag: &str) {
    if let i18n::Match::Found(lang) = i18n::match_tag(tag) {
        // Called from JavaScript, outside any reactive owner.
        wasm_bindgen_futures::spawn_local(async move {
            let _ = i18n::switch_to(lang).await;
        });
    }
}

/// See `disconnect` in `src/bin/tfa-tasks.rs`.
pub fn disconnect() {
    let handle = with_tasks(|t| {
        t.client = None;
        t.generation += 1;
        t.session.connection.set(None);
        t.opening.set(None);
        t.mounted.take()
    });
    drop(handle);
}

/// What the module shows in the panel's main area.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Screen {
    Opening,
    Failed,
    Page,
}

#[component]
fn Task(
    tab: Tab,
    session: Session,
    opening: RwSignal<Option<Opening>>,
    overview: OverviewState,
    history: HistoryState,
) -> impl IntoView {
    let screen = Memo::new(move |_| {
        match (
            session.connection.with(Option::is_some),
            opening.with(|o| matches!(o, Some(Opening::Failed(_)))),
        ) {
            (true, _) => Screen::Page,
            (false, true) => Screen::Failed,
            (false, false) => Screen::Opening,
        }
    });
    let error = Signal::derive(move || match opening.get() {
        Some(Opening::Failed(e)) => Some(e),
        _ => None,
    });
    let retry = Callback::new(move |_| {
        if let Some(client) = TASKS.with(|t| t.borrow().as_ref().and_then(|t| t.client.clone())) {
            open(session, opening, client);
        }
    });
    move || {
        match screen.get() {
        Screen::Page => match tab {
            Tab::History => view! { <HistoryPage state=history /> }.into_any(),
            _ => view! { <OverviewPage state=overview /> }.into_any(),
        },
        Screen::Failed => view! {
            <section class="card">
                <ErrorBanner error operation=Operation::Connect on_retry=retry />
            </section>
        }
        .into_any(),
        Screen::Opening => view! {
            <p class="card muted" role="status" data-testid="task-loading">{tr(K::app_task_loading)}</p>
        }
        .into_any(),
    }
    }
}
