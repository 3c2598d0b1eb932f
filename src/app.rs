//! The application shell: the connection, navigation between the three tasks,
//! and the form state of every page. Form state lives here, not in the pages,
//! so switching tasks or seeing a result never throws away what was typed.

use leptos::prelude::*;

use crate::api::{ApiError, Client, Me, PortalTfa};
use crate::components::ip_list::IpRow;
use crate::components::picker::Picked;
use crate::domain::link::Origin;
use crate::domain::{Server, TfaMethod};
use crate::pages::{
    confirm::ConfirmPage, connect::ConnectPage, policy::PolicyPage, user_method::UserMethodPage,
};

/// A checked connection: the client, who it signs in as, and which DocSpace
/// release answers (the rules of API notes §8 and §10 follow it).
#[derive(Clone, Debug, PartialEq)]
pub struct Connected {
    pub client: Client,
    pub me: Me,
    pub server: Server,
}

/// The three tasks.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Tab {
    Policy,
    ConfirmLink,
    UserMethod,
}

impl Tab {
    pub const ALL: [Tab; 3] = [Tab::Policy, Tab::ConfirmLink, Tab::UserMethod];

    pub fn label(self) -> &'static str {
        match self {
            Tab::Policy => "TFA policy",
            Tab::ConfirmLink => "My confirmation link",
            Tab::UserMethod => "A user's TFA method",
        }
    }

    fn slug(self) -> &'static str {
        match self {
            Tab::Policy => "policy",
            Tab::ConfirmLink => "confirm",
            Tab::UserMethod => "user",
        }
    }
}

/// What a finished request produced, shown by the result view.
#[derive(Clone, Debug, PartialEq)]
pub struct Outcome {
    pub heading: String,
    pub lead: String,
    /// The link the server returned, when there is one.
    pub link: Option<String>,
    pub note: Option<String>,
    /// The panel is still finding out more (the view says so, `aria-busy`).
    pub checking: bool,
}

/// The connect form.
#[derive(Clone, Copy)]
pub struct ConnectForm {
    pub portal: RwSignal<String>,
    pub use_session: RwSignal<bool>,
    pub token: RwSignal<String>,
    pub remember: RwSignal<bool>,
    pub busy: RwSignal<bool>,
    pub error: RwSignal<Option<ApiError>>,
}

/// The policy form and what the portal currently has.
#[derive(Clone, Copy)]
pub struct PolicyForm {
    pub current: RwSignal<Option<PortalTfa>>,
    pub loading: RwSignal<bool>,
    pub load_error: RwSignal<Option<ApiError>>,
    pub method: RwSignal<TfaMethod>,
    pub ips: RwSignal<Vec<IpRow>>,
    pub new_ip: RwSignal<String>,
    pub pasted: RwSignal<String>,
    /// The administrator confirmed the IPv6 sign-in failure of ≤ 3.6 (§10.16).
    pub ipv6_ack: RwSignal<bool>,
    pub users: RwSignal<Vec<Picked>>,
    pub groups: RwSignal<Vec<Picked>>,
    pub busy: RwSignal<bool>,
    pub error: RwSignal<Option<ApiError>>,
    pub outcome: RwSignal<Option<Outcome>>,
}

/// The user-method form.
#[derive(Clone, Copy)]
pub struct UserMethodForm {
    pub user: RwSignal<Vec<Picked>>,
    pub method: RwSignal<Option<TfaMethod>>,
    pub busy: RwSignal<bool>,
    pub error: RwSignal<Option<ApiError>>,
    pub outcome: RwSignal<Option<Outcome>>,
}

/// The confirmation-link page.
#[derive(Clone, Copy)]
pub struct ConfirmForm {
    pub busy: RwSignal<bool>,
    pub error: RwSignal<Option<ApiError>>,
    pub outcome: RwSignal<Option<Outcome>>,
}

/// Everything the pages share, provided as context.
#[derive(Clone, Copy)]
pub struct AppState {
    pub connection: RwSignal<Option<Connected>>,
    pub tab: RwSignal<Tab>,
    pub connect: ConnectForm,
    pub policy: PolicyForm,
    pub user_method: UserMethodForm,
    pub confirm: ConfirmForm,
    /// The portal preset by the hosting page, if any.
    pub preset: StoredValue<Option<String>>,
    /// The owner's id once a search has shown who the owner is: the diff
    /// warns before the owner is made mandatory by someone else.
    pub known_owner: RwSignal<Option<crate::domain::Guid>>,
    /// Start-up is reconnecting (a connection remembered for this tab, or the
    /// portal session): the panel says so instead of showing the connect form.
    pub starting: RwSignal<bool>,
}

impl AppState {
    fn new(preset: Option<String>) -> Self {
        AppState {
            connection: RwSignal::new(None),
            tab: RwSignal::new(Tab::Policy),
            connect: ConnectForm {
                portal: RwSignal::new(String::new()),
                use_session: RwSignal::new(false),
                token: RwSignal::new(String::new()),
                remember: RwSignal::new(false),
                busy: RwSignal::new(false),
                error: RwSignal::new(None),
            },
            policy: PolicyForm {
                current: RwSignal::new(None),
                loading: RwSignal::new(false),
                load_error: RwSignal::new(None),
                method: RwSignal::new(TfaMethod::App),
                ips: RwSignal::new(Vec::new()),
                new_ip: RwSignal::new(String::new()),
                pasted: RwSignal::new(String::new()),
                ipv6_ack: RwSignal::new(false),
                users: RwSignal::new(Vec::new()),
                groups: RwSignal::new(Vec::new()),
                busy: RwSignal::new(false),
                error: RwSignal::new(None),
                outcome: RwSignal::new(None),
            },
            user_method: UserMethodForm {
                user: RwSignal::new(Vec::new()),
                method: RwSignal::new(None),
                busy: RwSignal::new(false),
                error: RwSignal::new(None),
                outcome: RwSignal::new(None),
            },
            confirm: ConfirmForm {
                busy: RwSignal::new(false),
                error: RwSignal::new(None),
                outcome: RwSignal::new(None),
            },
            preset: StoredValue::new(preset),
            known_owner: RwSignal::new(None),
            starting: RwSignal::new(true),
        }
    }

    /// The client of the current connection.
    pub fn client(&self) -> Option<Client> {
        self.connection
            .with_untracked(|c| c.as_ref().map(|c| c.client.clone()))
    }

    /// The portal of the current connection.
    pub fn portal(&self) -> Option<Origin> {
        self.connection
            .with(|c| c.as_ref().map(|c| c.client.portal.clone()))
    }

    /// Drops the connection and every credential; typed form values stay.
    pub fn disconnect(&self) {
        crate::web::forget();
        self.connect.token.set(String::new());
        self.connection.set(None);
        self.policy.current.set(None);
    }
}

/// What the main area shows.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Screen {
    /// Reconnecting at start-up.
    Starting,
    Connect,
    Task(Tab),
}

/// The whole panel. `preset` is the portal named by the hosting page.
#[component]
pub fn App(#[prop(optional)] preset: String) -> impl IntoView {
    let state = AppState::new(Some(preset).filter(|p| !p.is_empty()));
    provide_context(state);
    // Before the first render: the panel shows "Connecting…" rather than the
    // connect form while it reconnects.
    crate::pages::connect::start(state);

    // The tab follows the URL fragment so a task can be linked to and Back works.
    let from_hash = move || {
        let hash = window().location().hash().unwrap_or_default();
        Tab::ALL
            .into_iter()
            .find(|t| hash.trim_start_matches('#') == t.slug())
    };
    if let Some(tab) = from_hash() {
        state.tab.set(tab);
    }
    let handle = window_event_listener(leptos::ev::hashchange, move |_| {
        if let Some(tab) = from_hash() {
            state.tab.set(tab);
        }
    });
    on_cleanup(move || handle.remove());

    // What the main area shows; a page is rebuilt only when this changes.
    let screen =
        Memo::new(
            move |_| match (state.connection.with(Option::is_some), state.starting.get()) {
                (true, _) => Screen::Task(state.tab.get()),
                (false, true) => Screen::Starting,
                (false, false) => Screen::Connect,
            },
        );

    view! {
        <div class="app" data-panel="mounted">
            <a class="skip" href="#main">"Skip to content"</a>
            <header class="topbar">
                <div class="brand">
                    <span class="brand-mark" aria-hidden="true">"2FA"</span>
                    <span>"DocSpace two-factor authentication"</span>
                </div>
                {move || state.connection.get().map(|c| view! { <Account connected=c /> })}
            </header>
            <Show when=move || state.connection.with(Option::is_some)>
                <nav class="tabs" aria-label="Tasks">
                    {Tab::ALL
                        .into_iter()
                        .map(|tab| {
                            view! {
                                <a
                                    href=format!("#{}", tab.slug())
                                    class="tab"
                                    aria-current=move || (state.tab.get() == tab).then_some("page")
                                    on:click=move |_| state.tab.set(tab)
                                >
                                    {move || if tab == Tab::UserMethod && !state.connection.with(|c| c.as_ref().is_some_and(|c| c.server.honours_user_method())) {
                                        "Reset a user's app"
                                    } else {
                                        tab.label()
                                    }}
                                </a>
                            }
                        })
                        .collect_view()}
                </nav>
            </Show>
            <main id="main" tabindex="-1">
                {move || match screen.get() {
                    Screen::Starting => view! {
                        <p class="card muted" role="status" data-testid="starting">"Connecting to the portal…"</p>
                    }.into_any(),
                    Screen::Connect => view! { <ConnectPage /> }.into_any(),
                    Screen::Task(Tab::Policy) => view! { <PolicyPage /> }.into_any(),
                    Screen::Task(Tab::ConfirmLink) => view! { <ConfirmPage /> }.into_any(),
                    Screen::Task(Tab::UserMethod) => view! { <UserMethodPage /> }.into_any(),
                }}
            </main>
        </div>
    }
}

/// Who is signed in, on which portal, and the way out.
#[component]
fn Account(connected: Connected) -> impl IntoView {
    let state = expect_context::<AppState>();
    let Connected { client, me, server } = connected;
    let how = match client.auth {
        crate::api::Auth::Token(_) => "API key or token",
        crate::api::Auth::Session => "portal session",
    };
    view! {
        <div class="account" data-testid="account">
            <div class="account-portal" title="Portal">
                <span class="muted">"Portal "</span>
                <span data-testid="portal">{client.portal.to_string()}</span>
                <span class="muted">" · "</span>
                <span class="version" data-testid="server-version" data-family=format!("{:?}", server.family)>{server.label()}</span>
                <span class="muted">{format!(" · via {how}")}</span>
            </div>
            <div class="account-who">
                <span data-testid="me-name">{me.display_name.clone()}</span>
                <span class="role" data-testid="me-role">{me.role.label()}</span>
                <button type="button" class="link-button" on:click=move |_| state.disconnect()>
                    "Disconnect"
                </button>
            </div>
        </div>
    }
}
