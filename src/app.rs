//! The application shell: the connection, navigation between the tasks, and
//! the layout. Each task's state belongs to its page module; the shell only
//! creates it once, so switching tasks or seeing a result never throws away
//! what was typed, and hands it to the page. "Who is protected" and the
//! history come from a second module, loaded when first opened
//! ([`crate::tasks`]), which keeps their state the same way.

use leptos::prelude::*;

use crate::components::when::When;
use crate::i18n::{tr, K};

use crate::api::Auth;
use crate::components::lang_switch::{LangSwitch, Language};
use crate::pages::confirm::{ConfirmPage, ConfirmState};
use crate::pages::connect::{ConnectPage, ConnectState};
use crate::pages::policy::{PolicyPage, PolicyState};
use crate::pages::user_method::{UserMethodPage, UserMethodState};
use crate::session::{provide_session, Connected, Session, Tab};
use crate::t;
use crate::tasks::host::TaskHost;

/// What the main area shows.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Screen {
    /// Reconnecting at start-up.
    Starting,
    Connect,
    Task(Tab),
}

/// The whole panel. `preset` is the portal named by the hosting page;
/// `language` says how the first language was chosen.
#[component]
pub fn App(
    #[prop(optional)] preset: String,
    #[prop(optional)] language: Language,
) -> impl IntoView {
    let session = provide_session();
    let connect = ConnectState::new(session, Some(preset).filter(|p| !p.is_empty()));
    let policy = PolicyState::new(session);
    let confirm = ConfirmState::new();
    let user = UserMethodState::new();
    // Before the first render: the panel shows "Connecting…" rather than the
    // connect form while it reconnects.
    connect.start();

    // The tab follows the URL fragment so a task can be linked to and Back works.
    let tab = RwSignal::new(Tab::Policy);
    let from_hash = move || Tab::from_hash(&window().location().hash().unwrap_or_default());
    if let Some(t) = from_hash() {
        tab.set(t);
    }
    let handle = window_event_listener(leptos::ev::hashchange, move |_| {
        if let Some(t) = from_hash() {
            tab.set(t);
        }
    });
    on_cleanup(move || handle.remove());

    // What the main area shows; a page is rebuilt only when this changes.
    let screen =
        Memo::new(
            move |_| match (session.connection.with(Option::is_some), connect.starting()) {
                (true, _) => Screen::Task(tab.get()),
                (false, true) => Screen::Starting,
                (false, false) => Screen::Connect,
            },
        );
    let seed = Memo::new(move |_| session.server().honours_user_method());
    let label = move |t: Tab| match t {
        Tab::Policy => t!(app_tab_policy),
        Tab::ConfirmLink => t!(app_tab_confirm),
        Tab::UserMethod if seed.get() => t!(app_tab_user_method),
        Tab::UserMethod => t!(app_tab_user_reset),
        Tab::Overview => t!(app_tab_overview),
        Tab::History => t!(app_tab_history),
    };
    // The panel's own page: the document's title follows the language.
    // Embedded, the title is the host page's.
    if crate::web::embedded().is_none() {
        Effect::new(move |_| document().set_title(&t!(app_title)));
    }
    // Embedded: the element's `portal` attribute changed after mount.
    let portal_attribute = crate::web::portal_attribute();
    Effect::new(move |_| {
        if let Some(portal) = portal_attribute.get() {
            untrack(|| connect.preset_changed(&portal));
        }
    });
    // The second module, once loaded, signs out with the panel.
    Effect::new(move |_| {
        if session.connection.with(Option::is_none) {
            crate::tasks::host::disconnect();
        }
    });
    let culture = Signal::derive(move || session.me().and_then(|m| m.culture));

    view! {
        <div class="app" data-panel="mounted">
            <a
                class="skip"
                href="#main"
                on:click=move |ev| {
                    // Also inside a shadow root, where a fragment link finds nothing.
                    ev.prevent_default();
                    crate::web::focus_id("main");
                }
            >
                {tr(K::app_skip)}
            </a>
            <header class="topbar">
                <div class="brand">
                    <span class="brand-mark" aria-hidden="true">"2FA"</span>
                    <span>{tr(K::app_brand)}</span>
                </div>
                <LangSwitch language culture />
                {move || session.connection.get().map(|c| view! { <Account connected=c session connect /> })}
            </header>
            <When when=move || session.connection.with(Option::is_some)>
                <nav class="tabs" aria-label=tr(K::app_tasks)>
                    {Tab::ALL
                        .into_iter()
                        .map(|t| {
                            view! {
                                <a
                                    href=format!("#{}", t.slug())
                                    class="tab"
                                    aria-current=move || (tab.get() == t).then_some("page")
                                    on:click=move |_| tab.set(t)
                                    // A pointer on the way or the keyboard's focus: the
                                    // second module starts arriving before the click.
                                    on:pointerenter=move |_| crate::tasks::host::warm(t)
                                    on:focus=move |_| crate::tasks::host::warm(t)
                                >
                                    {move || label(t)}
                                </a>
                            }
                        })
                        .collect_view()}
                </nav>
            </When>
            <main id="main" tabindex="-1">
                {move || match screen.get() {
                    Screen::Starting => view! {
                        <p class="card muted" role="status" data-testid="starting">{tr(K::app_connecting)}</p>
                    }.into_any(),
                    Screen::Connect => view! { <ConnectPage state=connect /> }.into_any(),
                    Screen::Task(Tab::Policy) => view! { <PolicyPage state=policy /> }.into_any(),
                    Screen::Task(Tab::ConfirmLink) => view! { <ConfirmPage state=confirm /> }.into_any(),
                    Screen::Task(Tab::UserMethod) => view! { <UserMethodPage state=user /> }.into_any(),
                    // Loaded later, from the second module (crate::tasks).
                    Screen::Task(tab @ (Tab::Overview | Tab::History)) => view! { <TaskHost tab /> }.into_any(),
                }}
            </main>
        </div>
    }
}

/// Who is signed in, on which portal and release, and the way out.
#[component]
fn Account(connected: Connected, session: Session, connect: ConnectState) -> impl IntoView {
    let Connected { client, me, server } = connected;
    let token = matches!(client.auth, Auth::Token(_));
    let how = move || {
        if token {
            t!(app_via_token)
        } else {
            t!(app_via_session)
        }
    };
    view! {
        <div class="account" data-testid="account">
            <div class="account-portal" title=tr(K::app_portal)>
                <span class="muted">{tr(K::app_portal_prefix)}</span>
                <span data-testid="portal">{client.portal.to_string()}</span>
                <span class="muted">" · "</span>
                <span class="version" data-testid="server-version" data-family=server.family.name()>{let server = server.clone(); move || server.label()}</span>
                <span class="muted">{move || t!(app_via, how = how())}</span>
            </div>
            <div class="account-who">
                <span data-testid="me-name">{me.display_name.clone()}</span>
                <span class="role" data-testid="me-role">{let role = me.role; move || role.label()}</span>
                <button
                    type="button"
                    class="link-button"
                    on:click=move |_| {
                        // Every credential goes; what was typed in the forms stays.
                        connect.forget_token();
                        session.disconnect();
                    }
                >
                    {tr(K::app_disconnect)}
                </button>
            </div>
        </div>
    }
}
