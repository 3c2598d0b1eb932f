//! Connect: portal address and API key or token, or the portal's own session
//! when the panel is served from the portal's host. Checked with
//! `people/@self` (see `api::session`), which also reads the release and the
//! TFA settings.

use leptos::prelude::*;

use crate::components::when::When;
use crate::i18n::{tr, K};

use crate::t;

use crate::api::session::{self as api_session, Early};
use crate::api::{ApiError, Auth, Client};
use crate::components::error_banner::ErrorBanner;
use crate::domain::link::{parse_portal, Origin};
use crate::messages::Operation;
use crate::session::{write_action, Connected, Session, Write, WriteAction};

/// The value of a preset that means "the portal is this page's own host".
const SAME_ORIGIN: &str = "same-origin";

fn own_origin() -> Option<Origin> {
    crate::web::page_origin().and_then(|o| parse_portal(&o).ok())
}

/// One connection attempt.
#[derive(Clone)]
struct Attempt {
    client: Client,
    remember: bool,
    /// A start-up probe of the page's own session: a failure just leaves the
    /// connect form, with no error.
    quiet: bool,
}

/// Opens the connection and makes it the panel's. A quiet attempt's failure
/// is no error: it just leaves the connect form.
async fn run_check(session: Session, attempt: Attempt) -> Result<(), ApiError> {
    let opened = match api_session::open(&attempt.client, true).await {
        Ok(opened) => opened,
        Err(_) if attempt.quiet => return Ok(()),
        Err(e) => return Err(e),
    };
    if let (true, Auth::Token(token)) = (attempt.remember, &attempt.client.auth) {
        crate::web::remember(&attempt.client.portal.to_string(), token);
    }
    session.connect(
        Connected {
            client: attempt.client,
            me: opened.me,
            server: opened.server,
        },
        opened.settings,
    );
    crate::web::mark("tfa-panel:connected");
    Ok(())
}

/// The connect form and its check; lives as long as the panel.
#[derive(Clone, Copy)]
pub struct ConnectState {
    pub portal: RwSignal<String>,
    pub use_session: RwSignal<bool>,
    pub token: RwSignal<String>,
    pub remember: RwSignal<bool>,
    /// The check: `pending` drives the button, its value the error banner.
    check: WriteAction,
    session: Session,
    /// Start-up is reconnecting (a connection remembered for this tab, or
    /// the portal session): the panel says so instead of showing the form.
    starting: RwSignal<bool>,
    preset: StoredValue<Option<String>>,
}

impl ConnectState {
    pub fn new(session: Session, preset: Option<String>) -> Self {
        let check = write_action();
        let starting = RwSignal::new(true);
        // Start-up ends when its check does.
        let pending = check.pending();
        Effect::new(move |_| {
            if !pending.get() && starting.get_untracked() && check.version().get() > 0 {
                starting.set(false);
            }
        });
        ConnectState {
            portal: RwSignal::new(String::new()),
            use_session: RwSignal::new(false),
            token: RwSignal::new(String::new()),
            remember: RwSignal::new(false),
            check,
            session,
            starting,
            preset: StoredValue::new(preset),
        }
    }

    /// Whether start-up is still reconnecting.
    pub fn starting(&self) -> bool {
        self.starting.get()
    }

    /// Clears the typed token (on disconnect).
    pub fn forget_token(&self) {
        self.token.set(String::new());
    }

    /// The embedding element's `portal` attribute changed: close a connection
    /// to another portal, and show the new one in the form.
    pub fn preset_changed(&self, portal: &str) {
        let wanted = match portal {
            SAME_ORIGIN => own_origin(),
            p => parse_portal(p).ok(),
        };
        if let Some(current) = self.session.portal() {
            if Some(&current) == wanted.as_ref() {
                return;
            }
            self.forget_token();
            crate::web::forget();
            self.session.disconnect();
        }
        self.preset
            .set_value(Some(portal.to_string()).filter(|p| !p.is_empty()));
        match portal {
            SAME_ORIGIN => self.use_session.set(true),
            p => {
                self.use_session.set(false);
                self.portal.set(p.to_string());
            }
        }
    }

    /// At start-up: fill the form from the hosting page's preset, then
    /// reconnect a connection remembered for this tab, or try the portal
    /// session when the panel is (or may be) served from the portal itself.
    pub fn start(&self) {
        let preset = self.preset.get_value();
        match preset.as_deref() {
            Some(SAME_ORIGIN) => self.use_session.set(true),
            Some(p) => self.portal.set(p.to_string()),
            None => {}
        }
        let own = own_origin();
        let preset_is_own = match preset.as_deref() {
            Some(SAME_ORIGIN) => true,
            Some(p) => parse_portal(p)
                .ok()
                .is_some_and(|p| Some(&p) == own.as_ref()),
            None => false,
        };
        let remembered = crate::web::remembered();
        // The loader may have sent the session probe already.
        let probes_own_session =
            remembered.is_none() && own.is_some() && (preset_is_own || preset.is_none());
        api_session::early_answers(if probes_own_session {
            Early::Adopt
        } else {
            Early::Discard
        });
        if let Some((portal, token)) = remembered {
            if let Ok(origin) = parse_portal(&portal) {
                self.portal.set(portal);
                self.remember.set(true);
                self.check.dispatch_local(Write::new(run_check(
                    self.session,
                    Attempt {
                        client: Client::new(origin, Auth::Token(token)),
                        remember: true,
                        quiet: false,
                    },
                )));
                return;
            }
        }
        let Some(own) = own.filter(|_| preset_is_own || preset.is_none()) else {
            self.starting.set(false);
            return;
        };
        // Served from the portal: its session cookie signs us in. Without a
        // preset this is a quiet probe whose failure just leaves the form.
        if preset_is_own {
            self.use_session.set(true);
        }
        self.check.dispatch_local(Write::new(run_check(
            self.session,
            Attempt {
                client: Client::new(own, Auth::Session),
                remember: false,
                quiet: !preset_is_own,
            },
        )));
    }
}

#[component]
pub fn ConnectPage(state: ConnectState) -> impl IntoView {
    let form = state;
    let busy = form.check.pending();
    let error = Signal::derive(move || form.check.value().get().and_then(Result::err));
    let attempted = RwSignal::new(false);
    let show_token = RwSignal::new(false);
    let own = own_origin();
    let own_label = own.as_ref().map(Origin::to_string).unwrap_or_default();

    let portal_check = Memo::new(move |_| {
        if form.use_session.get() {
            own_origin().ok_or_else(|| t!(connect_no_origin))
        } else {
            parse_portal(&form.portal.get()).map_err(|e| e.to_string())
        }
    });
    let token_problem = Memo::new(move |_| {
        (!form.use_session.get() && form.token.with(|t| t.trim().is_empty()))
            .then(|| t!(connect_token_missing))
    });

    let attempt = move || {
        attempted.set(true);
        if busy.get_untracked() {
            return;
        }
        let Ok(portal) = portal_check.get_untracked() else {
            crate::web::focus_id("portal");
            return;
        };
        let auth = if form.use_session.get_untracked() {
            Auth::Session
        } else {
            if token_problem.get_untracked().is_some() {
                crate::web::focus_id("token");
                return;
            }
            Auth::Token(form.token.get_untracked().trim().to_string())
        };
        form.check.dispatch_local(Write::new(run_check(
            form.session,
            Attempt {
                client: Client::new(portal, auth),
                remember: form.remember.get_untracked(),
                quiet: false,
            },
        )));
    };
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        attempt();
    };
    let retry = Callback::new(move |_| attempt());

    view! {
        <section class="card connect" aria-labelledby="connect-heading">
            <h1 id="connect-heading">{tr(K::connect_heading)}</h1>
            <p class="lead">
                {tr(K::connect_lead)}
            </p>
            <form method="post" on:submit=submit novalidate>
                <fieldset class="choice">
                    <legend>{tr(K::connect_sign_in_with)}</legend>
                    <label class="radio">
                        <input
                            type="radio"
                            name="auth-mode"
                            prop:checked=move || !form.use_session.get()
                            on:change=move |_| form.use_session.set(false)
                        />
                        {tr(K::connect_with_token)}
                    </label>
                    <label class="radio">
                        <input
                            type="radio"
                            name="auth-mode"
                            data-testid="use-session"
                            prop:checked=move || form.use_session.get()
                            on:change=move |_| form.use_session.set(true)
                        />
                        {move || t!(connect_with_session, portal = &own_label)}
                    </label>
                </fieldset>
                <When when=move || !form.use_session.get()>
                    <div class="field">
                        <label for="portal">{tr(K::connect_portal_label)}</label>
                        <input
                            id="portal"
                            type="url"
                            inputmode="url"
                            autocomplete="url"
                            spellcheck="false"
                            placeholder="https://portal.example.com"
                            aria-invalid=move || (attempted.get() && portal_check.with(Result::is_err)).then_some("true")
                            aria-describedby="portal-msg"
                            prop:value=move || form.portal.get()
                            on:input=move |ev| form.portal.set(event_target_value(&ev))
                        />
                        <p id="portal-msg" class="entry-message error" data-testid="portal-msg">
                            {move || attempted.get().then(|| portal_check.get().err()).flatten()}
                        </p>
                    </div>
                    <div class="field">
                        <label for="token">{tr(K::connect_token_label)}</label>
                        <div class="with-button">
                            <input
                                id="token"
                                type=move || if show_token.get() { "text" } else { "password" }
                                autocomplete="off"
                                spellcheck="false"
                                aria-invalid=move || (attempted.get() && token_problem.get().is_some()).then_some("true")
                                aria-describedby="token-msg token-hint"
                                prop:value=move || form.token.get()
                                on:input=move |ev| form.token.set(event_target_value(&ev))
                            />
                            <button
                                type="button"
                                class="secondary"
                                aria-pressed=move || show_token.get().to_string()
                                on:click=move |_| show_token.update(|s| *s = !*s)
                            >
                                {move || if show_token.get() { t!(connect_hide) } else { t!(connect_show) }}
                            </button>
                        </div>
                        <p id="token-msg" class="entry-message error">
                            {move || attempted.get().then(|| token_problem.get()).flatten()}
                        </p>
                        <p id="token-hint" class="hint">
                            {tr(K::connect_token_hint)}
                        </p>
                    </div>
                    <label class="checkbox">
                        <input
                            type="checkbox"
                            prop:checked=move || form.remember.get()
                            on:change=move |ev| form.remember.set(event_target_checked(&ev))
                        />
                        {tr(K::connect_remember)}
                    </label>
                </When>
                <ErrorBanner error operation=Operation::Connect on_retry=retry />
                <div class="actions">
                    <button id="connect-submit" type="submit" prop:disabled=move || busy.get() data-testid="connect">
                        {move || if busy.get() { t!(connect_busy) } else { t!(connect_submit) }}
                    </button>
                </div>
            </form>
        </section>
    }
}
