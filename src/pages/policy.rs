//! Task 1: change the portal's TFA policy (`PUT settings/tfaappwithlink`),
//! with a summary of the change before sending, and a result that says what
//! the server really did, from a re-read of its settings (API notes §10.5).
//!
//! [`PolicyState`] is the form and its save; the shell creates it once, so
//! what was typed survives tab switches and the result view.

use leptos::prelude::*;

use crate::api::{ApiError, Auth, Client, PolicyRequest, PortalTfa, RequestList, Role};
use crate::components::error_banner::ErrorBanner;
use crate::components::ip_list::{texts, IpListEditor, IpRow};
use crate::components::picker::{PickKind, Picked, Picker};
use crate::components::result_view::FormOrResult;
use crate::components::role_notice::RoleNotice;
use crate::components::when::When;
use crate::domain::diff::{request_lists, summarize, DiffContext, Summary, Warning};
use crate::domain::{Policy, Server, TfaMethod};
use crate::i18n::{tr, K};
use crate::messages::Operation;
use crate::pages::portal_search;
use crate::session::{use_session, write_action, Outcome, Session, Write, WriteAction};
use crate::t;

/// One save: what is sent, and the facts its result is worded from.
#[derive(Clone)]
struct Submission {
    client: Client,
    request: PolicyRequest,
    /// The policy as sent, to compare with the re-read.
    sent: Policy,
    facts: Facts,
}

/// The policy form, what the portal has, and the save.
#[derive(Clone, Copy)]
pub struct PolicyState {
    pub method: RwSignal<TfaMethod>,
    pub ips: RwSignal<Vec<IpRow>>,
    pub new_ip: RwSignal<String>,
    pub pasted: RwSignal<String>,
    pub users: RwSignal<Vec<Picked>>,
    pub groups: RwSignal<Vec<Picked>>,
    /// The administrator confirmed the IPv6 sign-in failure of ≤ 3.7.0 (§10.16).
    pub ipv6_ack: RwSignal<bool>,
    /// The form shows the portal's settings (filled on the first load).
    filled: RwSignal<bool>,
    /// The save: `pending` drives the button, an `Err` value the banner.
    save: WriteAction,
    /// What the last save did, for the result view.
    pub outcome: RwSignal<Option<Outcome>>,
}

impl PolicyState {
    pub fn new(session: Session) -> Self {
        let outcome = RwSignal::new(None);
        let save = write_action();
        let state = PolicyState {
            method: RwSignal::new(TfaMethod::App),
            ips: RwSignal::new(Vec::new()),
            new_ip: RwSignal::new(String::new()),
            pasted: RwSignal::new(String::new()),
            users: RwSignal::new(Vec::new()),
            groups: RwSignal::new(Vec::new()),
            ipv6_ack: RwSignal::new(false),
            filled: RwSignal::new(false),
            save,
            outcome,
        };
        // The first load of a connection fills the form; later loads (a
        // reload, the re-read after a save) leave what is typed alone.
        Effect::new(move |_| {
            if session.connection.with(Option::is_none) {
                state.filled.set(false);
            } else {
                state.fill_first(session.current());
            }
        });
        state
    }

    /// Fills the form with the connection's first load of the settings;
    /// later loads leave what is typed alone.
    fn fill_first(&self, tfa: Option<PortalTfa>) {
        if let Some(tfa) = tfa.filter(|_| !self.filled.get_untracked()) {
            self.fill(&tfa);
            self.filled.set(true);
        }
    }

    /// Puts the portal's policy into the form.
    fn fill(&self, tfa: &PortalTfa) {
        let p = &tfa.policy;
        self.method.set(p.method);
        self.ips
            .set(p.trusted_ips.iter().cloned().map(IpRow::new).collect());
        let picked =
            |ids: &[crate::domain::Guid]| ids.iter().cloned().map(Picked::from_id).collect();
        self.users.set(picked(&p.mandatory_users));
        self.groups.set(picked(&p.mandatory_groups));
    }

    /// The policy as typed.
    fn draft(&self) -> Policy {
        Policy {
            method: self.method.get(),
            trusted_ips: self.ips.with(|r| texts(r)),
            mandatory_users: self
                .users
                .with(|u| u.iter().map(|p| p.id.clone()).collect()),
            mandatory_groups: self
                .groups
                .with(|g| g.iter().map(|p| p.id.clone()).collect()),
        }
    }
}

/// Sends the change, shows the result at once, then re-reads the settings
/// and words the result from what the portal really has.
async fn run_save(
    session: Session,
    s: Submission,
    outcome: RwSignal<Option<Outcome>>,
) -> Result<(), ApiError> {
    let answer = match s.client.save_policy(&s.request).await {
        Ok(link) => Answer::Link(link),
        // DocSpace 3.7 saves, signs everyone out, and only then fails with
        // 500 when the caller's own address is trusted (§4.3): whether the
        // change happened is known only from a re-read.
        Err(ApiError::Server { status, .. }) if status >= 500 && s.facts.server.is_real() => {
            Answer::ServerError(status)
        }
        Err(e) => return Err(e),
    };
    if let Answer::Link(_) = &answer {
        outcome.set(Some(outcome_of(&s.facts, &answer, InForce::Checking)));
    }
    let after = s.client.tfa_settings().await;
    let in_force = match &after {
        // A 401 right after a save means the portal switched a method on and
        // signed every session out: the change is in force.
        Err(ApiError::Unauthorized { .. }) if s.sent.method.is_on() => InForce::SignedOut,
        Ok(t) if same_policy(&t.policy, &s.sent) => InForce::Yes,
        Ok(_) => InForce::No,
        Err(_) => InForce::Unknown,
    };
    if let Ok(t) = after {
        session.store(t);
    }
    match (&answer, in_force) {
        // The 500 came before anything was saved: it is the error it says.
        (Answer::ServerError(status), InForce::No | InForce::Unknown) => {
            return Err(ApiError::Server {
                status: *status,
                message: None,
            });
        }
        (Answer::ServerError(_), _) => outcome.set(Some(outcome_of(&s.facts, &answer, in_force))),
        // Only refine the result the user is still looking at.
        (Answer::Link(_), _) => {
            if outcome.with_untracked(Option::is_some) {
                outcome.set(Some(outcome_of(&s.facts, &answer, in_force)));
            }
        }
    }
    Ok(())
}

#[component]
pub fn PolicyPage(state: PolicyState) -> impl IntoView {
    let session = use_session();
    let form = state;
    // With the settings already in, the form shows them from its first
    // build (later loads go through the effect of `PolicyState::new`).
    form.fill_first(untrack(|| session.current()));
    let me = Memo::new(move |_| session.me());
    let may_change =
        Memo::new(move |_| me.with(|m| m.as_ref().is_some_and(|m| m.role.can_change_policy())));
    let may_search =
        Memo::new(move |_| me.with(|m| m.as_ref().is_some_and(|m| m.role.can_search_people())));
    let server = Memo::new(move |_| session.server());
    let current = Memo::new(move |_| session.current());
    let load_error = Signal::derive(move || session.settings.get().flatten().and_then(Result::err));
    let loading = Memo::new(move |_| session.settings.with(Option::is_none));
    // The lists appear once the form shows the portal's settings (or their
    // read failed): built once, with the portal's entries, rather than built
    // empty for the default method and then refilled, or torn down again
    // when the portal's TFA is off.
    let lists_shown = move || {
        form.method.get() != TfaMethod::None
            && (form.filled.get() || load_error.with(Option::is_some))
    };
    // The form is usable once it shows the portal's settings. Effects run
    // after the DOM is patched, so the mark (the benchmark reads it) follows
    // the render rather than the data.
    // Set after the first fill and after each later load of the settings.
    Effect::new(move |_| {
        let loaded = session.settings.with(|s| matches!(s, Some(Some(Ok(_)))));
        if loaded && form.filled.get() {
            crate::web::mark("tfa-panel:form-ready");
        }
    });

    let draft = Memo::new(move |_| form.draft());
    let summary = Memo::new(move |_| {
        let current = current.with(|c| c.as_ref().map(|c| c.policy.clone()))?;
        let (is_owner, my_id) = me.with(|m| {
            m.as_ref()
                .map(|m| (m.role == Role::Owner, Some(m.id.clone())))
                .unwrap_or((false, None))
        });
        let available = current_availability(&session);
        let ctx = DiffContext {
            caller_is_owner: is_owner,
            owner_id: if is_owner {
                my_id
            } else {
                session.known_owner.get()
            },
            server: server.get(),
            ipv6_visitors_accepted: form.ipv6_ack.get(),
            sms_available: available.0,
            app_available: available.1,
        };
        Some(summarize(&current, &draft.get(), &ctx))
    });
    let busy = form.save.pending();
    let disabled = Signal::derive(move || busy.get() || !may_change.get());
    // One verdict: the domain's summary decides what blocks a change; the
    // page adds only what the summary cannot know.
    let blocker = Memo::new(move |_| -> Option<String> {
        if !may_change.get() {
            return Some(t!(policy_blocker_cannot_change));
        }
        let Some(summary) = summary.get() else {
            return Some(t!(policy_blocker_not_loaded));
        };
        summary.blocker().map(Warning::blocker_message)
    });
    let error = Signal::derive(move || {
        (!busy.get())
            .then(|| form.save.value().get().and_then(Result::err))
            .flatten()
    });

    let send = move || {
        if busy.get_untracked() || blocker.get_untracked().is_some() {
            return;
        }
        let (Some(client), Some(me)) = (session.client(), me.get_untracked()) else {
            return;
        };
        let server = server.get_untracked();
        let draft = draft.get_untracked();
        let lists = request_lists(&draft, &server);
        let sent = Policy {
            method: draft.method,
            trusted_ips: lists.0.clone(),
            mandatory_users: lists.1.clone(),
            mandatory_groups: lists.2.clone(),
        };
        let facts = Facts {
            method: draft.method,
            server,
            token: matches!(client.auth, Auth::Token(_)),
            email: me.email.clone(),
        };
        let submission = Submission {
            request: PolicyRequest::new(&me.id, draft.method, lists),
            client,
            sent,
            facts,
        };
        form.save
            .dispatch_local(Write::new(run_save(session, submission, form.outcome)));
    };
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        send();
    };
    let retry = Callback::new(move |_| send());
    let reload = Callback::new(move |_| session.settings.refetch());
    let list_errors = move |list| {
        Signal::derive(move || {
            form.save.value().with(|v| match v {
                Some(Err(e)) => e.list_errors(list),
                _ => Vec::new(),
            })
        })
    };
    let search = portal_search(session);

    view! {
        <FormOrResult outcome=form.outcome portal=Signal::derive(move || session.portal()) back_label=K::policy_back back_focus="policy-heading">
        <section class="card" aria-labelledby="policy-heading">
            <h1 id="policy-heading" tabindex="-1">{tr(K::policy_heading)}</h1>
            <p class="lead" data-testid="policy-lead">
                {move || if server.with(Server::policy_waits_for_link) {
                    t!(policy_lead_waits_for_link)
                } else {
                    t!(policy_lead_applies_at_once)
                }}
            </p>
            <RoleNotice
                when=Signal::derive(move || !may_change.get())
                text=Signal::derive(move || t!(
                    policy_role_notice,
                    role = me.with(|m| m.as_ref().map(|m| m.role.label().to_string()))
                        .unwrap_or_else(|| t!(policy_role_unknown))
                ))
            />
            <ErrorBanner error=load_error operation=Operation::LoadPolicy on_retry=reload />
            <When when=loading>
                <p class="muted" role="status">{tr(K::policy_loading)}</p>
            </When>
            <form method="post" on:submit=on_submit novalidate data-testid="policy-form">
                <MethodChoice form current disabled />
                <When when=lists_shown>
                    <IpListEditor rows=form.ips new_ip=form.new_ip pasted=form.pasted server_errors=list_errors(RequestList::TrustedIps) disabled server />
                    <fieldset class="mandatory">
                        <legend>{tr(K::policy_mandatory_legend)}</legend>
                        <p class="hint">{tr(K::policy_mandatory_hint)}</p>
                        <Picker kind=PickKind::People id="mandatory-users" label=K::policy_mandatory_users selected=form.users search=search.clone() can_search=may_search disabled invalid_ids=list_errors(RequestList::MandatoryUsers) />
                        <Picker kind=PickKind::Groups id="mandatory-groups" label=K::policy_mandatory_groups selected=form.groups search=search.clone() can_search=may_search disabled invalid_ids=list_errors(RequestList::MandatoryGroups) />
                    </fieldset>
                </When>
                <SummaryView summary form disabled />
                <p class="muted">
                    {move || me.with(|m| m.as_ref().map(|m| if server.with(Server::policy_waits_for_link) {
                        t!(policy_confirmation_goes_to, name = &m.display_name, email = &m.email)
                    } else {
                        t!(policy_named_as_admin, name = &m.display_name, email = &m.email)
                    }))}
                </p>
                <ErrorBanner error operation=Signal::derive(move || Operation::SavePolicy(form.method.get())) on_retry=retry />
                <div class="actions">
                    <button type="submit" data-testid="policy-submit" prop:disabled=move || busy.get() || blocker.get().is_some() aria-describedby="policy-blocker">
                        {move || match (busy.get(), server.with(Server::policy_waits_for_link)) {
                            (true, _) => t!(policy_sending),
                            (false, true) => t!(policy_send_for_confirmation),
                            (false, false) => t!(policy_save),
                        }}
                    </button>
                    <button type="button" class="secondary" prop:disabled=move || busy.get() on:click=move |_| session.settings.refetch()>
                        {tr(K::policy_reload)}
                    </button>
                    <button
                        type="button"
                        class="secondary"
                        prop:disabled=move || busy.get() || current.with(Option::is_none)
                        on:click=move |_| {
                            if let Some(c) = current.get_untracked() {
                                form.fill(&c);
                                form.save.clear();
                            }
                        }
                    >
                        {tr(K::policy_discard)}
                    </button>
                </div>
                <p id="policy-blocker" class="muted" data-testid="policy-blocker">{move || blocker.get()}</p>
            </form>
        </section>
        </FormOrResult>
    }
}

/// Whether SMS and the app are available, as the portal said (both, before it said).
fn current_availability(session: &Session) -> (bool, bool) {
    session
        .current()
        .map(|c| (c.sms.available, c.app.available))
        .unwrap_or((true, true))
}

/// Whether the portal's policy is the one sent (lists compared as sets).
fn same_policy(portal: &Policy, sent: &Policy) -> bool {
    use crate::domain::order::sorted_set as set;
    portal.method == sent.method
        && (!sent.method.is_on()
            || (set(&portal.trusted_ips) == set(&sent.trusted_ips)
                && set(&portal.mandatory_users) == set(&sent.mandatory_users)
                && set(&portal.mandatory_groups) == set(&sent.mandatory_groups)))
}

/// What the portal answered to the save.
#[derive(Clone, Debug, PartialEq, Eq)]
enum Answer {
    /// The link ("" when there is none).
    Link(String),
    /// A 5xx: on 3.7 this can come after the change was saved.
    ServerError(u16),
}

/// What the panel knows, after a save, of whether the new policy is in force.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum InForce {
    /// The settings are being re-read.
    Checking,
    /// The portal has the new policy.
    Yes,
    /// The portal still has the old policy.
    No,
    /// The re-read was refused with 401: the portal switched a method on and
    /// signed every session out, so the change is in force.
    SignedOut,
    /// The re-read failed for another reason.
    Unknown,
}

/// The facts of one submission the wording depends on.
#[derive(Clone, Debug, PartialEq)]
struct Facts {
    method: TfaMethod,
    server: Server,
    /// The panel signs in with a token or API key (on another origin): the
    /// confirmation cookie of the returned link never reaches this browser.
    token: bool,
    email: String,
}

/// The result view's words for a save: only what the server really did
/// (API notes §10.5, §10.6), as far as the re-read of the settings tells.
fn outcome_of(facts: &Facts, answer: &Answer, in_force: InForce) -> Outcome {
    let checking = in_force == InForce::Checking;
    let sessions_note = match in_force {
        InForce::SignedOut => Some(t!(policy_note_signed_out)),
        InForce::Yes if facts.method.is_on() => Some(t!(policy_note_others_out)),
        _ => None,
    };
    let link = match answer {
        Answer::Link(link) if !link.trim().is_empty() => Some(link.clone()),
        _ => None,
    };
    let mut o = Outcome {
        heading: String::new(),
        lead: String::new(),
        link: link.clone(),
        note: sessions_note,
        checking,
    };
    // The seed contract: the change waits for the e-mailed link.
    if facts.server.policy_waits_for_link() && link.is_some() && facts.method.is_on() {
        // Without a known address, whole sentences that say "your e-mail
        // address", so a translation can word each one freely.
        let email = &facts.email;
        let known = !email.is_empty();
        o.heading = t!(policy_check_email_heading);
        o.lead = match in_force {
            InForce::No if known => t!(policy_check_email_waits, email = email),
            InForce::No => t!(policy_check_email_waits_no_address),
            InForce::Checking if known => t!(policy_check_email_checking, email = email),
            InForce::Checking => t!(policy_check_email_checking_no_address),
            InForce::Yes | InForce::SignedOut => t!(policy_check_email_in_force),
            InForce::Unknown if known => t!(policy_check_email_unknown, email = email),
            InForce::Unknown => t!(policy_check_email_unknown_no_address),
        };
        return o;
    }
    if let Answer::ServerError(status) = answer {
        o.heading = t!(policy_server_error_heading);
        // An HTTP status code: an identifier, not a quantity.
        o.lead = t!(policy_server_error_lead, status = status.to_string());
        return o;
    }
    let (heading, lead) = match (facts.method.is_on(), in_force) {
        (_, InForce::Checking) => (t!(policy_sent_heading), t!(policy_checking_lead)),
        (false, InForce::Yes) => (t!(policy_off_heading), t!(policy_off_lead)),
        (true, InForce::Yes | InForce::SignedOut) => (
            t!(policy_in_force_heading),
            if link.is_some() {
                t!(policy_in_force_lead_link)
            } else {
                t!(policy_in_force_lead_no_link)
            },
        ),
        (_, InForce::No) => (t!(policy_not_applied_heading), t!(policy_not_applied_lead)),
        (_, InForce::Unknown | InForce::SignedOut) => {
            (t!(policy_sent_heading), t!(policy_unconfirmed_lead))
        }
    };
    o.heading = heading;
    o.lead = lead;
    if link.is_some() && !checking && facts.method.is_on() {
        let how = if facts.token {
            // The tab's own name, as the tab bar shows it.
            t!(policy_link_note_token, tab = t!(app_tab_confirm))
        } else {
            t!(policy_link_note_session)
        };
        // Two separate sentences (or groups of them), one after the other.
        o.note = Some(match o.note.take() {
            Some(n) => format!("{n} {how}"),
            None => how,
        });
    }
    o
}

#[component]
fn MethodChoice(
    form: PolicyState,
    current: Memo<Option<PortalTfa>>,
    #[prop(into)] disabled: Signal<bool>,
) -> impl IntoView {
    let option = move |method: TfaMethod, hint: fn() -> String| {
        let availability = move || {
            current.with(|c| match (c, method) {
                (Some(c), TfaMethod::Sms) => (c.sms.listed, c.sms.available),
                (Some(c), TfaMethod::App) => (c.app.listed, c.app.available),
                _ => (true, true),
            })
        };
        view! {
            <When when=move || availability().0>
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
                        <strong>{move || method.label()}</strong>
                        <span class="hint">
                            {move || if availability().1 { hint() } else { t!(policy_method_unavailable) }}
                        </span>
                    </span>
                </label>
            </When>
        }
    };
    view! {
        <fieldset class="choice">
            <legend>{tr(K::policy_method_legend)}</legend>
            {option(TfaMethod::App, || t!(policy_method_app_hint))}
            {option(TfaMethod::Sms, || t!(policy_method_sms_hint))}
            {option(TfaMethod::None, || t!(policy_method_off_hint))}
        </fieldset>
    }
}

#[component]
fn SummaryView(
    summary: Memo<Option<Summary>>,
    form: PolicyState,
    #[prop(into)] disabled: Signal<bool>,
) -> impl IntoView {
    let name_of = move |id: &crate::domain::Guid, list: RwSignal<Vec<Picked>>| {
        list.with_untracked(|l| l.iter().find(|p| &p.id == id).map(Picked::label))
            .unwrap_or_else(|| t!(policy_unknown_id, id = id.to_string()))
    };
    let describe = move |change: &crate::domain::Change| {
        change.describe(|id| name_of(id, form.users), |id| name_of(id, form.groups))
    };
    view! {
        <section class="summary" aria-labelledby="summary-heading" data-testid="summary">
            <h2 id="summary-heading">{tr(K::policy_summary_heading)}</h2>
            {move || match summary.get() {
                None => view! { <p class="muted">{tr(K::policy_summary_waiting)}</p> }.into_any(),
                Some(s) => view! {
                    <ul class="changes">
                        {s.changes.iter().map(|c| view! { <li>{describe(c)}</li> }).collect_view()}
                    </ul>
                    <ul class="warnings">
                        {s.warnings.iter().map(|w| {
                            let ack = matches!(w, Warning::Ipv6VisitorsFail { .. }).then(|| view! {
                                <label class="checkbox">
                                    <input
                                        type="checkbox"
                                        data-testid="ipv6-ack"
                                        prop:checked=move || form.ipv6_ack.get()
                                        prop:disabled=move || disabled.get()
                                        on:change=move |ev| form.ipv6_ack.set(event_target_checked(&ev))
                                    />
                                    {tr(K::policy_ipv6_ack)}
                                </label>
                            });
                            view! {
                                <li class="banner warning" data-testid="warning">{w.message()}{ack}</li>
                            }
                        }).collect_view()}
                    </ul>
                }.into_any(),
            }}
        </section>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn facts(method: TfaMethod, version: &str, token: bool) -> Facts {
        Facts {
            method,
            server: Server::from_reported(Some(version)),
            token,
            email: "alex.morgan@example.com".into(),
        }
    }

    const LINK: &str = "https://p/confirm/TfaActivation?type=TfaActivation&uid=1";

    #[test]
    fn check_your_email_only_where_the_portal_waits_for_the_link() {
        let link = Answer::Link(LINK.into());
        let seed = outcome_of(&facts(TfaMethod::App, "seed", true), &link, InForce::No);
        assert_eq!(seed.heading, "Check your email");
        assert!(seed.lead.contains("alex.morgan@example.com"));
        for version in ["3.6.1", "3.7.2", "3.9.0", "3.5.0"] {
            for in_force in [
                InForce::Checking,
                InForce::Yes,
                InForce::SignedOut,
                InForce::No,
                InForce::Unknown,
            ] {
                let o = outcome_of(&facts(TfaMethod::App, version, true), &link, in_force);
                assert_ne!(o.heading, "Check your email", "{version} {in_force:?}");
                assert!(!o.lead.contains("e-mailed"), "{version} {in_force:?}");
                assert!(!o.lead.contains("takes effect once"), "{version}");
            }
        }
    }

    #[test]
    fn real_versions_say_in_force_signed_out_and_whose_link() {
        let link = Answer::Link(LINK.into());
        let o = outcome_of(
            &facts(TfaMethod::App, "3.7.2", true),
            &link,
            InForce::SignedOut,
        );
        assert_eq!(o.heading, "The new policy is in force");
        assert!(o.lead.contains("your own account"));
        let note = o.note.unwrap();
        assert!(note.contains("signed out, this panel's too"));
        assert!(note.contains("completes only in a browser signed in to the portal"));
        let same_origin = outcome_of(
            &facts(TfaMethod::App, "3.7.2", false),
            &link,
            InForce::SignedOut,
        );
        assert!(same_origin.note.unwrap().contains("within the hour"));
        let key = outcome_of(&facts(TfaMethod::App, "3.6.1", true), &link, InForce::Yes);
        assert!(key.note.unwrap().contains("API key keeps working"));
        let exempt = outcome_of(
            &facts(TfaMethod::App, "3.6.1", true),
            &Answer::Link(String::new()),
            InForce::Yes,
        );
        assert!(exempt.lead.contains("returned no link"));
        assert_eq!(exempt.link, None);
        let off = outcome_of(
            &facts(TfaMethod::None, "3.7.2", true),
            &Answer::Link(String::new()),
            InForce::Yes,
        );
        assert_eq!(off.heading, "Two-factor authentication is off");
        assert!(off.lead.contains("deleted"));
        let not = outcome_of(&facts(TfaMethod::App, "3.7.2", true), &link, InForce::No);
        assert_eq!(not.heading, "The portal did not apply the change");
    }

    #[test]
    fn a_37_server_error_after_saving_is_reported_as_saved() {
        let o = outcome_of(
            &facts(TfaMethod::App, "3.7.2", true),
            &Answer::ServerError(500),
            InForce::SignedOut,
        );
        assert_eq!(o.heading, "Saved, but the portal then failed");
        assert!(o.lead.contains("(500)"));
        assert_eq!(o.link, None);
    }

    #[test]
    fn same_policy_compares_lists_as_sets() {
        let g = |s: &str| crate::domain::Guid::parse(s).unwrap();
        let a = Policy {
            method: TfaMethod::App,
            trusted_ips: vec!["1.1.1.1".into(), "2.2.2.2".into()],
            mandatory_users: vec![g("9f0e1d2c-3b4a-4f60-8e7d-6c5b4a392817")],
            mandatory_groups: vec![],
        };
        let mut b = a.clone();
        b.trusted_ips.reverse();
        assert!(same_policy(&a, &b));
        b.trusted_ips.pop();
        assert!(!same_policy(&a, &b));
        let off = Policy::default();
        assert!(same_policy(
            &off,
            &Policy {
                method: TfaMethod::None,
                ..a
            }
        ));
    }
}
