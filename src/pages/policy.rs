//! Task 1: change the portal's TFA policy, confirmed by link
//! (`PUT settings/tfaappwithlink`), with a summary of the change before sending.

use leptos::prelude::*;

use crate::api::{ApiError, Client, Operation, PolicyRequest, PortalTfa};
use crate::app::{AppState, Outcome, PolicyForm};
use crate::components::error_banner::ErrorBanner;
use crate::components::ip_list::{texts, IpListEditor, IpRow};
use crate::components::picker::{PickKind, Picked, Picker};
use crate::components::result_view::FormOrResult;
use crate::domain::diff::{request_lists, summarize, Change, DiffContext, Summary};
use crate::domain::trusted_ip::{check_list, list_is_sendable};
use crate::domain::{Guid, Policy, TfaMethod};

/// Puts the portal's policy into the form.
fn fill(form: PolicyForm, tfa: &PortalTfa) {
    let p = &tfa.policy;
    form.method.set(p.method);
    form.ips
        .set(p.trusted_ips.iter().cloned().map(IpRow::new).collect());
    form.users.set(
        p.mandatory_users
            .iter()
            .cloned()
            .map(Picked::from_id)
            .collect(),
    );
    form.groups.set(
        p.mandatory_groups
            .iter()
            .cloned()
            .map(Picked::from_id)
            .collect(),
    );
}

/// Loads the settings; the first load (or `refill`) also fills the form.
pub fn load(state: AppState, refill: bool) {
    let Some(client) = state.client() else { return };
    if !begin_load(state) {
        return;
    }
    leptos::task::spawn_local(async move {
        let result = client.tfa_settings().await;
        finish_load(state, &client, result, refill);
    });
}

/// Marks a load of the settings as started: false when one is already out.
pub fn begin_load(state: AppState) -> bool {
    let form = state.policy;
    if form.loading.get_untracked() {
        return false;
    }
    form.loading.set(true);
    true
}

/// Applies a load's result to the form, unless the panel was unmounted or
/// connected elsewhere while the request was out.
pub fn finish_load(
    state: AppState,
    client: &Client,
    result: Result<PortalTfa, ApiError>,
    refill: bool,
) {
    let form = state.policy;
    match state
        .connection
        .try_with_untracked(|c| c.as_ref().is_some_and(|c| &c.client == client))
    {
        // The panel was unmounted while the request was out.
        None => {}
        Some(true) => store_loaded(state, result, refill),
        // A load for an earlier connection: load again for the current one.
        Some(false) => {
            form.loading.set(false);
            if form.current.get_untracked().is_none() {
                load(state, false);
            }
        }
    }
}

/// Puts a load's result into the form state.
pub fn store_loaded(state: AppState, result: Result<PortalTfa, ApiError>, refill: bool) {
    let form = state.policy;
    let _ = form.loading.try_set(false);
    match result {
        Ok(tfa) => {
            if refill || form.current.get_untracked().is_none() {
                fill(form, &tfa);
            }
            form.current.set(Some(tfa));
            form.load_error.set(None);
        }
        Err(e) => form.load_error.set(Some(e)),
    }
}

/// Server validation messages for `$.{field}[i]`, by index.
fn indexed_errors(error: &Option<ApiError>, field: &str) -> Vec<(usize, String)> {
    let prefix = format!("$.{field}[");
    let Some(error) = error else {
        return Vec::new();
    };
    error
        .field_errors()
        .iter()
        .filter_map(|f| {
            let rest = f.field.strip_prefix(&prefix)?;
            let index = rest.strip_suffix(']')?.parse().ok()?;
            Some((index, f.messages.join(" ")))
        })
        .collect()
}

#[component]
pub fn PolicyPage() -> impl IntoView {
    let state = expect_context::<AppState>();
    let form = state.policy;
    let me = Memo::new(move |_| state.connection.with(|c| c.as_ref().map(|c| c.me.clone())));
    let may_change =
        Memo::new(move |_| me.with(|m| m.as_ref().is_some_and(|m| m.role.can_change_policy())));
    let may_search =
        Memo::new(move |_| me.with(|m| m.as_ref().is_some_and(|m| m.role.can_search_people())));
    if form.current.get_untracked().is_none() {
        load(state, false);
    }
    // The form is usable once it shows the portal's settings. Effects run
    // after the DOM is patched, so the mark (the benchmark reads it) follows
    // the render rather than the data.
    Effect::new(move |_| {
        if form.current.with(Option::is_some) {
            crate::web::mark("tfa-panel:form-ready");
        }
    });

    let draft = Memo::new(move |_| Policy {
        method: form.method.get(),
        trusted_ips: form.ips.with(|r| texts(r)),
        mandatory_users: form
            .users
            .with(|u| u.iter().map(|p| p.id.clone()).collect()),
        mandatory_groups: form
            .groups
            .with(|g| g.iter().map(|p| p.id.clone()).collect()),
    });
    let summary = Memo::new(move |_| {
        let current = form
            .current
            .with(|c| c.as_ref().map(|c| c.policy.clone()))?;
        let (is_owner, my_id) = me.with(|m| {
            m.as_ref()
                .map(|m| (m.role == crate::api::Role::Owner, Some(m.id.clone())))
                .unwrap_or((false, None))
        });
        let ctx = DiffContext {
            caller_is_owner: is_owner,
            owner_id: if is_owner {
                my_id
            } else {
                state.known_owner.get()
            },
        };
        Some(summarize(&current, &draft.get(), &ctx))
    });
    let ips_ok = Memo::new(move |_| list_is_sendable(&check_list(&form.ips.with(|r| texts(r)))));
    let method_ok = Memo::new(move |_| {
        form.current.with(|c| {
            c.as_ref().is_some_and(|c| match form.method.get() {
                TfaMethod::Sms => c.sms.available,
                TfaMethod::App => c.app.available,
                TfaMethod::None => true,
            })
        })
    });
    let busy = Signal::derive(move || form.busy.get() || !may_change.get());
    let blocker = Memo::new(move |_| -> Option<String> {
        if !may_change.get() {
            return Some("Your account cannot change the policy.".into());
        }
        if form.current.with(Option::is_none) {
            return Some("The portal's current settings have not loaded yet.".into());
        }
        if !method_ok.get() {
            return Some(
                "The chosen method is not available on this portal: choose another.".into(),
            );
        }
        if form.method.get() != TfaMethod::None && !ips_ok.get() {
            return Some("Fix the marked trusted IP entries first: a malformed entry can lock everyone out of the portal.".into());
        }
        let summary = summary.get()?;
        if summary.blocked {
            return Some("Resolve the blocking warning above first.".into());
        }
        summary
            .changes
            .is_empty()
            .then(|| "Nothing has changed yet.".into())
    });

    let send = move || {
        if form.busy.get_untracked() || blocker.get_untracked().is_some() {
            return;
        }
        let (Some(client), Some(me)) = (state.client(), me.get_untracked()) else {
            return;
        };
        let draft = draft.get_untracked();
        let request = PolicyRequest::new(&me.id, draft.method, request_lists(&draft));
        form.busy.set(true);
        form.error.set(None);
        leptos::task::spawn_local(async move {
            let link = match client.save_policy(&request).await {
                Ok(link) => link,
                Err(e) => {
                    let _ = form.error.try_set(Some(e));
                    let _ = form.busy.try_set(false);
                    return;
                }
            };
            // The result view comes first, with the link; whether the change
            // is already in force (DocSpace applies at once) or waits for the
            // link is known only after re-reading the settings.
            let email = me.email.clone();
            if form
                .outcome
                .try_set(Some(outcome(
                    &draft,
                    link.clone(),
                    InForce::Checking,
                    &email,
                )))
                .is_some()
            {
                return; // the panel was unmounted
            }
            let after = client.tfa_settings().await;
            let in_force = match &after {
                // A 401 right after a save means the portal switched a method
                // on and signed every session out: the change is in force.
                Err(ApiError::Unauthorized { .. }) => InForce::SignedOut,
                Ok(t) if same_policy(&t.policy, &draft) => InForce::Yes,
                Ok(_) => InForce::No,
                Err(_) => InForce::Unknown,
            };
            if let Ok(t) = after {
                let _ = form.current.try_set(Some(t));
            }
            // Only refine the result the user is still looking at.
            if form.outcome.with_untracked(Option::is_some) {
                let _ = form
                    .outcome
                    .try_set(Some(outcome(&draft, link, in_force, &email)));
            }
            let _ = form.busy.try_set(false);
        });
    };
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        send();
    };
    let retry = Callback::new(move |_| send());
    let reload = Callback::new(move |_| load(state, false));
    let ip_errors = Signal::derive(move || form.error.with(|e| indexed_errors(e, "trustedIps")));
    let user_errors =
        Signal::derive(move || form.error.with(|e| indexed_errors(e, "mandatoryUsers")));
    let group_errors =
        Signal::derive(move || form.error.with(|e| indexed_errors(e, "mandatoryGroups")));

    view! {
        <FormOrResult outcome=form.outcome back_label="Back to the policy" back_focus="policy-heading">
        <section class="card" aria-labelledby="policy-heading">
            <h1 id="policy-heading" tabindex="-1">"TFA policy"</h1>
            <p class="lead">
                "Choose how everyone on the portal proves who they are. The change is sent for confirmation: "
                "it takes effect once the confirmation link is opened."
            </p>
            <Show when=move || !may_change.get()>
                <p class="banner warning" role="note" data-testid="role-notice">
                    {move || format!(
                        "You are signed in as {}: only the portal owner or a DocSpace administrator can change the TFA policy. You can read the current settings.",
                        me.with(|m| m.as_ref().map(|m| m.role.label()).unwrap_or("a user"))
                    )}
                </p>
            </Show>
            <ErrorBanner error=form.load_error operation=Operation::LoadPolicy on_retry=reload />
            <Show when=move || form.loading.get()>
                <p class="muted" role="status">"Loading the portal's TFA settings…"</p>
            </Show>
            <form method="post" on:submit=on_submit novalidate data-testid="policy-form">
                <MethodChoice form disabled=busy />
                <Show when=move || form.method.get() != TfaMethod::None>
                    <IpListEditor rows=form.ips new_ip=form.new_ip pasted=form.pasted server_errors=ip_errors disabled=busy />
                    <fieldset class="mandatory">
                        <legend>"Always require TFA for"</legend>
                        <p class="hint">
                            "Everyone needs TFA once it is on. These lists only override the trusted-IP exemption: "
                            "the people and groups below need TFA even from a trusted address."
                        </p>
                        <Picker kind=PickKind::People id="mandatory-users" label="Mandatory users" selected=form.users can_search=may_search disabled=busy invalid_ids=user_errors />
                        <Picker kind=PickKind::Groups id="mandatory-groups" label="Mandatory groups" selected=form.groups can_search=may_search disabled=busy invalid_ids=group_errors />
                    </fieldset>
                </Show>
                <SummaryView summary form />
                <p class="muted">
                    {move || me.with(|m| m.as_ref().map(|m| format!(
                        "Confirmation goes to you, {} ({}), as the confirming administrator.", m.display_name, m.email
                    )))}
                </p>
                <ErrorBanner error=form.error operation=Operation::SavePolicy on_retry=retry />
                <div class="actions">
                    <button type="submit" data-testid="policy-submit" prop:disabled=move || form.busy.get() || blocker.get().is_some() aria-describedby="policy-blocker">
                        {move || if form.busy.get() { "Sending…" } else { "Send for confirmation" }}
                    </button>
                    <button type="button" class="secondary" prop:disabled=move || form.busy.get() on:click=move |_| load(state, false)>
                        "Reload current settings"
                    </button>
                    <button
                        type="button"
                        class="secondary"
                        prop:disabled=move || form.busy.get() || form.current.with(Option::is_none)
                        on:click=move |_| { if let Some(c) = form.current.get_untracked() { fill(form, &c); form.error.set(None); } }
                    >
                        "Discard my changes"
                    </button>
                </div>
                <p id="policy-blocker" class="muted" data-testid="policy-blocker">{move || blocker.get()}</p>
            </form>
        </section>
        </FormOrResult>
    }
}

fn same_policy(portal: &Policy, sent: &Policy) -> bool {
    let (ips, users, groups) = request_lists(sent);
    portal.method == sent.method
        && (sent.method == TfaMethod::None || (request_lists(portal) == (ips, users, groups)))
}

/// What the panel knows, after a save, of whether the new policy is in force.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum InForce {
    /// The settings are being re-read.
    Checking,
    /// The portal already has the new policy.
    Yes,
    /// The portal still has the old policy: the change waits for the link.
    No,
    /// The re-read was refused with 401: the portal switched a method on and
    /// signed every session out, so the change is in force.
    SignedOut,
    /// The re-read failed for another reason.
    Unknown,
}

fn outcome(draft: &Policy, link: String, in_force: InForce, email: &str) -> Outcome {
    let signed_out_note = (in_force == InForce::SignedOut).then(|| {
        "Every session on the portal was signed out, this panel's too: connect again (an API key keeps working) to go on.".to_string()
    });
    if link.trim().is_empty() {
        return Outcome {
            heading: "Policy saved".into(),
            lead: if draft.method == TfaMethod::None {
                "Two-factor authentication is now off for the portal. There is nothing to confirm."
                    .into()
            } else {
                "The portal applied the change and returned no link: TFA is not required for your own account from this address (it is a trusted IP).".into()
            },
            link: None,
            note: signed_out_note,
            checking: in_force == InForce::Checking,
        };
    }
    let sent_to = if email.is_empty() {
        "your e-mail".to_string()
    } else {
        email.to_string()
    };
    let lead = match in_force {
        InForce::Yes | InForce::SignedOut => "The new policy is already in force. The portal returned the link below to set up your own sign-in: open it in this browser to link your authenticator app.".to_string(),
        InForce::No => format!("The change waits for confirmation: a confirmation link was sent to {sent_to}. Open it to put the new policy in force. The portal returned the same link here."),
        InForce::Checking => "The portal returned the link below. Checking whether the new policy is already in force or waits for this link…".to_string(),
        InForce::Unknown => "The portal returned the link below: open it to confirm the change. The panel could not re-read the settings to tell whether the change is already in force.".to_string(),
    };
    Outcome {
        heading: "Check your email".into(),
        lead,
        link: Some(link),
        // DocSpace itself keeps the link's key in a cookie it set for this browser.
        note: signed_out_note.or_else(|| {
            (in_force == InForce::Yes).then(|| "The link works in a browser that has the portal's confirmation cookie; if it does not open, ask for a new link from “My confirmation link”.".into())
        }),
        checking: in_force == InForce::Checking,
    }
}

#[component]
fn MethodChoice(form: PolicyForm, #[prop(into)] disabled: Signal<bool>) -> impl IntoView {
    let option = move |method: TfaMethod, title: &'static str, hint: &'static str| {
        let availability = move || {
            form.current.with(|c| match (c, method) {
                (Some(c), TfaMethod::Sms) => (c.sms.listed, c.sms.available),
                (Some(c), TfaMethod::App) => (c.app.listed, c.app.available),
                _ => (true, true),
            })
        };
        view! {
            <Show when=move || availability().0>
                <label class="radio" class:unavailable=move || !availability().1>
                    <input
                        type="radio"
                        name="tfa-method"
                        value=method.api_name()
                        data-testid=format!("method-{}", method.api_name().to_ascii_lowercase())
                        prop:checked=move || form.method.get() == method
                        prop:disabled=move || disabled.get() || !availability().1
                        on:change=move |_| form.method.set(method)
                    />
                    <span>
                        <strong>{title}</strong>
                        <span class="hint">
                            {move || if availability().1 { hint } else { "Not available on this portal: DocSpace needs an SMS provider (and a paid plan in the cloud)." }}
                        </span>
                    </span>
                </label>
            </Show>
        }
    };
    view! {
        <fieldset class="choice">
            <legend>"Method"</legend>
            {option(TfaMethod::App, "Authenticator app", "A code from an app such as Google or Microsoft Authenticator.")}
            {option(TfaMethod::Sms, "SMS", "A code sent by text message to the user's phone.")}
            {option(TfaMethod::None, "Off", "No second factor. Turning TFA off also clears the trusted IPs and mandatory lists.")}
        </fieldset>
    }
}

#[component]
fn SummaryView(summary: Memo<Option<Summary>>, form: PolicyForm) -> impl IntoView {
    let name_of = move |id: &Guid, list: RwSignal<Vec<Picked>>| {
        list.with_untracked(|l| l.iter().find(|p| &p.id == id).map(Picked::label))
            .unwrap_or_else(|| format!("ID {id}"))
    };
    let describe = move |change: &Change| match change {
        Change::Method { from, to } => format!("Method: {} → {}", from.label(), to.label()),
        Change::IpAdded(ip) => format!("Trusted IP added: {ip}"),
        Change::IpRemoved(ip) => format!("Trusted IP removed: {ip}"),
        Change::UserAdded(id) => format!("Mandatory user added: {}", name_of(id, form.users)),
        Change::UserRemoved(id) => format!("Mandatory user removed: {}", name_of(id, form.users)),
        Change::GroupAdded(id) => format!("Mandatory group added: {}", name_of(id, form.groups)),
        Change::GroupRemoved(id) => {
            format!("Mandatory group removed: {}", name_of(id, form.groups))
        }
    };
    view! {
        <section class="summary" aria-labelledby="summary-heading" data-testid="summary">
            <h2 id="summary-heading">"What will change"</h2>
            {move || match summary.get() {
                None => view! { <p class="muted">"The summary appears once the current settings have loaded."</p> }.into_any(),
                Some(s) => view! {
                    <ul class="changes">
                        {s.changes.iter().map(|c| view! { <li>{describe(c)}</li> }).collect_view()}
                    </ul>
                    <ul class="warnings">
                        {s.warnings.iter().map(|w| view! {
                            <li class="banner warning" data-testid="warning">{w.message()}</li>
                        }).collect_view()}
                    </ul>
                }.into_any(),
            }}
        </section>
    }
}
