//! Task 3: unlink or change one user's TFA method (`PUT settings/tfaappnewapp`).

use leptos::prelude::*;

use crate::api::{Operation, Role};
use crate::app::{AppState, Outcome};
use crate::components::dialog::ConfirmDialog;
use crate::components::error_banner::ErrorBanner;
use crate::components::picker::{PickKind, Picked, Picker};
use crate::components::result_view::FormOrResult;
use crate::domain::TfaMethod;

#[component]
pub fn UserMethodPage() -> impl IntoView {
    let state = expect_context::<AppState>();
    let form = state.user_method;
    let me = Memo::new(move |_| state.connection.with(|c| c.as_ref().map(|c| c.me.clone())));
    let is_owner =
        Memo::new(move |_| me.with(|m| m.as_ref().is_some_and(|m| m.role.can_change_others())));
    let may_search =
        Memo::new(move |_| me.with(|m| m.as_ref().is_some_and(|m| m.role.can_search_people())));
    let dialog_open = RwSignal::new(false);
    if state.policy.current.get_untracked().is_none() {
        crate::pages::policy::load(state, false);
    }
    let sms_available = Memo::new(move |_| {
        state
            .policy
            .current
            .with(|c| c.as_ref().is_none_or(|c| c.sms.available))
    });
    // Anyone but the owner may change only their own method (§4.5).
    Effect::new(move |_| {
        if let (false, Some(me)) = (is_owner.get(), me.get()) {
            if form.user.with(|u| u.len() != 1 || u[0].id != me.id) {
                form.user.set(vec![Picked {
                    id: me.id.clone(),
                    name: Some(me.display_name.clone()),
                    detail: Some("you".into()),
                }]);
            }
        }
    });

    let target = Memo::new(move |_| form.user.with(|u| u.first().cloned()));
    let is_me = Memo::new(move |_| match (target.get(), me.get()) {
        (Some(t), Some(m)) => t.id == m.id,
        _ => false,
    });
    let blocker = Memo::new(move |_| -> Option<&'static str> {
        if target.with(Option::is_none) {
            return Some("Choose a user first.");
        }
        match form.method.get() {
            None => Some("Choose a method."),
            Some(TfaMethod::Sms) if !sms_available.get() => {
                Some("SMS is not available on this portal.")
            }
            _ => None,
        }
    });

    let send = move || {
        if form.busy.get_untracked() || blocker.get_untracked().is_some() {
            return;
        }
        let (Some(client), Some(user), Some(method)) = (
            state.client(),
            target.get_untracked(),
            form.method.get_untracked(),
        ) else {
            return;
        };
        let is_me = is_me.get_untracked();
        form.busy.set(true);
        form.error.set(None);
        leptos::task::spawn_local(async move {
            match client.set_user_method(&user.id, method).await {
                Ok(link) => form
                    .outcome
                    .set(Some(user_outcome(&user, method, link, is_me))),
                Err(e) => form.error.set(Some(e)),
            }
            form.busy.set(false);
        });
    };
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if blocker.get_untracked().is_some() || form.busy.get_untracked() {
            return;
        }
        if form.method.get_untracked() == Some(TfaMethod::None) {
            dialog_open.set(true);
        } else {
            send();
        }
    };
    let retry = Callback::new(move |_| send());
    let dialog_body = Signal::derive(move || {
        let who = target
            .with(|t| t.as_ref().map(Picked::label))
            .unwrap_or_default();
        format!("This unlinks {who}'s authenticator app and turns TFA off for them; their sessions are signed out. They will sign in with a password only until they set TFA up again.")
    });

    view! {
        <FormOrResult outcome=form.outcome back_label="Back" back_focus="user-heading">
        <section class="card" aria-labelledby="user-heading">
            <h1 id="user-heading" tabindex="-1">"A user's TFA method"</h1>
            <p class="lead">"Reset or change how one person signs in, for example when they lost their phone."</p>
            <Show when=move || !is_owner.get()>
                <p class="banner warning" role="note" data-testid="role-notice">
                    {move || format!(
                        "You are signed in as {}: DocSpace lets only the portal owner change another user's method, so you can change only your own.",
                        me.with(|m| m.as_ref().map(|m| m.role.label()).unwrap_or(Role::User.label()))
                    )}
                </p>
            </Show>
            <form method="post" on:submit=on_submit novalidate data-testid="user-form">
                <Show when=move || is_owner.get()>
                    <Picker kind=PickKind::People id="user-picker" label="User" selected=form.user single=true can_search=may_search disabled=form.busy />
                </Show>
                <fieldset class="choice">
                    <legend>"New method"</legend>
                    {[
                        (TfaMethod::None, "None: unlink the app", "Removes the authenticator app and turns TFA off for this user."),
                        (TfaMethod::Sms, "SMS", "Codes by text message."),
                        (TfaMethod::App, "Authenticator app", "The user links an app at the next sign-in."),
                    ]
                    .into_iter()
                    .map(|(method, title, hint)| view! {
                        <label class="radio">
                            <input
                                type="radio"
                                name="user-method"
                                data-testid=format!("user-method-{}", method.api_name().to_ascii_lowercase())
                                prop:checked=move || form.method.get() == Some(method)
                                prop:disabled=move || form.busy.get() || (method == TfaMethod::Sms && !sms_available.get())
                                on:change=move |_| form.method.set(Some(method))
                            />
                            <span><strong>{title}</strong><span class="hint">{hint}</span></span>
                        </label>
                    })
                    .collect_view()}
                </fieldset>
                <ErrorBanner error=form.error operation=Operation::SetUserMethod on_retry=retry />
                <div class="actions">
                    <button type="submit" data-testid="user-submit" prop:disabled=move || form.busy.get() || blocker.get().is_some()>
                        {move || if form.busy.get() { "Sending…" } else { "Apply" }}
                    </button>
                </div>
                <p class="muted" data-testid="user-blocker">{move || blocker.get()}</p>
            </form>
            <ConfirmDialog
                open=dialog_open
                title="Remove this user's TFA?"
                body=dialog_body
                confirm_label="Unlink and turn off"
                on_confirm=Callback::new(move |_| send())
            />
        </section>
        </FormOrResult>
    }
}

fn user_outcome(user: &Picked, method: TfaMethod, link: String, is_me: bool) -> Outcome {
    let who = if is_me {
        "your account".to_string()
    } else {
        user.label()
    };
    let done = match method {
        TfaMethod::None => format!("TFA is off and the authenticator app is unlinked for {who}."),
        TfaMethod::Sms => format!("{who} now uses SMS codes."),
        TfaMethod::App => format!("{who} will link an authenticator app at the next sign-in."),
    };
    if link.trim().is_empty() {
        Outcome {
            heading: "Done: the user was notified".into(),
            lead: format!(
                "{done} DocSpace e-mailed them a security notification with what to do next."
            ),
            link: None,
            note: None,
            checking: false,
        }
    } else {
        Outcome {
            heading: "Done".into(),
            lead: format!("{done} The portal returned the sign-in link below."),
            link: Some(link),
            note: is_me.then(|| {
                "Your own sessions were signed out: open the link to sign in again.".to_string()
            }),
            checking: false,
        }
    }
}
