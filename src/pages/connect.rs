//! Connect: portal address and API key or token, or the portal's own session
//! when the panel is served from the portal's host. Checked with `people/@self`.

use std::future::Future;
use std::pin::Pin;
use std::task::Poll;

use leptos::prelude::*;

use crate::api::{Auth, Client, Operation};
use crate::app::{AppState, Connected};
use crate::components::error_banner::ErrorBanner;
use crate::domain::link::{parse_portal, Origin};
use crate::pages::policy::{begin_load, finish_load, store_loaded};

/// The value of a preset that means "the portal is this page's own host".
const SAME_ORIGIN: &str = "same-origin";

fn own_origin() -> Option<Origin> {
    crate::web::page_origin().and_then(|o| parse_portal(&o).ok())
}

/// Checks `client` and, on success, makes it the panel's connection.
///
/// The portal's TFA settings are asked for at the same time, not after: the
/// policy form then appears one round trip sooner.
async fn check(state: AppState, client: Client, remember: bool) -> bool {
    let form = state.connect;
    form.busy.set(true);
    let with_settings = state.policy.current.with_untracked(Option::is_none) && begin_load(state);
    let mut settings = {
        let client = client.clone();
        Box::pin(async move {
            if with_settings {
                Some(client.tfa_settings().await)
            } else {
                None
            }
        })
    };
    let mut me = {
        let client = client.clone();
        Box::pin(async move { client.me().await })
    };
    // Which DocSpace this is decides what the rules of §8 and §10 say; asked
    // at the same time as the rest. A failure leaves it unknown, and the
    // rules then assume the most dangerous behaviour.
    let server = {
        let client = client.clone();
        Box::pin(async move { client.server().await.unwrap_or_default() })
    };
    let who = Box::pin(async {
        let (result, mut settled) = match first(&mut me, &mut settings).await {
            First::A(result) => (result, None),
            First::B(settled) => (me.await, Some(settled)),
        };
        // Both were answered at about the same time (the loader's early answers):
        // give the settings one more task, so the policy page is built once, with
        // its data, rather than built empty and filled a moment later.
        if settled.is_none() && with_settings && result.is_ok() {
            if let First::A(s) = first(&mut settings, &mut Box::pin(crate::web::next_task())).await
            {
                settled = Some(s);
            }
        }
        (result, settled)
    });
    let ((result, settled), server) = both(who, server).await;
    form.busy.set(false);
    // Answers the loader sent early serve this first check only.
    crate::api::prefetch::discard();
    let result = result.map(|me| (me, server));
    match result {
        Ok((me, server)) => {
            if let (true, Auth::Token(token)) = (remember, &client.auth) {
                crate::web::remember(&client.portal.to_string(), token);
            }
            form.error.set(None);
            let pending = match settled {
                Some(Some(loaded)) => {
                    store_loaded(state, loaded, false);
                    None
                }
                Some(None) => None,
                None => Some(settings),
            };
            state.connection.set(Some(Connected {
                client: client.clone(),
                me,
                server,
            }));
            crate::web::mark("tfa-panel:connected");
            if let Some(settings) = pending {
                leptos::task::spawn_local(async move {
                    if let Some(loaded) = settings.await {
                        finish_load(state, &client, loaded, false);
                    }
                });
            }
            true
        }
        Err(e) => {
            if with_settings {
                state.policy.loading.set(false);
            }
            form.error.set(Some(e));
            false
        }
    }
}

enum First<A, B> {
    A(A),
    B(B),
}

/// Waits for whichever of two futures finishes first; the other is left
/// as it is, to be awaited later or dropped.
async fn first<A, B>(a: &mut A, b: &mut B) -> First<A::Output, B::Output>
where
    A: Future + Unpin,
    B: Future + Unpin,
{
    std::future::poll_fn(|cx| {
        if let Poll::Ready(v) = Pin::new(&mut *a).poll(cx) {
            return Poll::Ready(First::A(v));
        }
        if let Poll::Ready(v) = Pin::new(&mut *b).poll(cx) {
            return Poll::Ready(First::B(v));
        }
        Poll::Pending
    })
    .await
}

/// Waits for both futures, polling them together.
async fn both<A, B>(mut a: A, mut b: B) -> (A::Output, B::Output)
where
    A: Future + Unpin,
    B: Future + Unpin,
{
    let (mut done_a, mut done_b) = (None, None);
    std::future::poll_fn(|cx| {
        if done_a.is_none() {
            if let Poll::Ready(v) = Pin::new(&mut a).poll(cx) {
                done_a = Some(v);
            }
        }
        if done_b.is_none() {
            if let Poll::Ready(v) = Pin::new(&mut b).poll(cx) {
                done_b = Some(v);
            }
        }
        match (done_a.take(), done_b.take()) {
            (Some(a), Some(b)) => Poll::Ready((a, b)),
            (a, b) => {
                done_a = a;
                done_b = b;
                Poll::Pending
            }
        }
    })
    .await
}

/// At start-up: fill the form from the hosting page's preset, then reconnect
/// a connection remembered for this tab, or try the portal session when the
/// panel is (or may be) served from the portal itself.
pub fn start(state: AppState) {
    let form = state.connect;
    let preset = state.preset.get_value();
    match preset.as_deref() {
        Some(SAME_ORIGIN) => form.use_session.set(true),
        Some(p) => form.portal.set(p.to_string()),
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
    // The loader may have sent the session probe already (api::prefetch).
    let probes_own_session =
        remembered.is_none() && own.is_some() && (preset_is_own || preset.is_none());
    if probes_own_session {
        crate::api::prefetch::adopt();
    } else {
        crate::api::prefetch::discard();
    }
    if let Some((portal, token)) = remembered {
        if let Ok(origin) = parse_portal(&portal) {
            form.portal.set(portal);
            form.remember.set(true);
            leptos::task::spawn_local(async move {
                check(state, Client::new(origin, Auth::Token(token)), true).await;
                let _ = state.starting.try_set(false);
            });
            return;
        }
    }
    let Some(own) = own.filter(|_| preset_is_own || preset.is_none()) else {
        state.starting.set(false);
        return;
    };
    {
        // Served from the portal: its session cookie signs us in. Without a
        // preset this is a quiet probe whose failure just leaves the form.
        let quiet = !preset_is_own;
        if preset_is_own {
            form.use_session.set(true);
        }
        leptos::task::spawn_local(async move {
            let ok = check(state, Client::new(own, Auth::Session), false).await;
            if !ok && quiet {
                let _ = form.error.try_set(None);
            }
            let _ = state.starting.try_set(false);
        });
    }
}

#[component]
pub fn ConnectPage() -> impl IntoView {
    let state = expect_context::<AppState>();
    let form = state.connect;
    let attempted = RwSignal::new(false);
    let show_token = RwSignal::new(false);
    let own = own_origin();
    let own_label = own.as_ref().map(Origin::to_string).unwrap_or_default();

    let portal_check = Memo::new(move |_| {
        if form.use_session.get() {
            own_origin()
                .ok_or_else(|| "This page has no web origin to use as the portal.".to_string())
        } else {
            parse_portal(&form.portal.get()).map_err(|e| e.to_string())
        }
    });
    let token_problem = Memo::new(move |_| {
        (!form.use_session.get() && form.token.with(|t| t.trim().is_empty()))
            .then_some("Paste an API key (it starts with sk-) or a personal access token.")
    });

    let attempt = move || {
        attempted.set(true);
        if form.busy.get_untracked() {
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
        let remember = form.remember.get_untracked();
        leptos::task::spawn_local(async move {
            check(state, Client::new(portal, auth), remember).await;
        });
    };
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        attempt();
    };
    let retry = Callback::new(move |_| attempt());

    view! {
        <section class="card connect" aria-labelledby="connect-heading">
            <h1 id="connect-heading">"Connect to your portal"</h1>
            <p class="lead">
                "Manage two-factor authentication for an ONLYOFFICE DocSpace portal. "
                "You need the portal owner's or a DocSpace administrator's account."
            </p>
            <form method="post" on:submit=submit novalidate>
                <fieldset class="choice">
                    <legend>"Sign in with"</legend>
                    <label class="radio">
                        <input
                            type="radio"
                            name="auth-mode"
                            prop:checked=move || !form.use_session.get()
                            on:change=move |_| form.use_session.set(false)
                        />
                        "An API key or personal access token"
                    </label>
                    <label class="radio">
                        <input
                            type="radio"
                            name="auth-mode"
                            data-testid="use-session"
                            prop:checked=move || form.use_session.get()
                            on:change=move |_| form.use_session.set(true)
                        />
                        {format!("My portal session (this page is served by the portal {own_label})")}
                    </label>
                </fieldset>
                <Show when=move || !form.use_session.get()>
                    <div class="field">
                        <label for="portal">"Portal address"</label>
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
                        <label for="token">"API key or token"</label>
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
                                {move || if show_token.get() { "Hide" } else { "Show" }}
                            </button>
                        </div>
                        <p id="token-msg" class="entry-message error">
                            {move || attempted.get().then(|| token_problem.get()).flatten()}
                        </p>
                        <p id="token-hint" class="hint">
                            "Create one in DocSpace under Settings → Developer tools → API keys. "
                            "It stays in this tab's memory and is sent only to the portal above."
                        </p>
                    </div>
                    <label class="checkbox">
                        <input
                            type="checkbox"
                            prop:checked=move || form.remember.get()
                            on:change=move |ev| form.remember.set(event_target_checked(&ev))
                        />
                        "Remember it in this tab until the tab is closed"
                    </label>
                </Show>
                <ErrorBanner error=form.error operation=Operation::Connect on_retry=retry />
                <div class="actions">
                    <button id="connect-submit" type="submit" prop:disabled=move || form.busy.get() data-testid="connect">
                        {move || if form.busy.get() { "Connecting…" } else { "Connect" }}
                    </button>
                </div>
            </form>
        </section>
    }
}
