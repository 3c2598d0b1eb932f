//! Task 3: reset one user's authenticator app (`PUT settings/tfaappnewapp`).
//!
//! Every DocSpace release reads only `id` there: it unlinks that user's
//! authenticator app, signs them out, and e-mails them when it is not you
//! (API notes §4.5, §10.4). The page says exactly that, before and after.
//! Only a portal that names the seed contract honours a method (None, SMS,
//! App); there the page offers that choice.

use leptos::prelude::*;

use crate::components::when::When;
use crate::i18n::{tr, K};
use crate::t;

use crate::api::{ApiError, Auth, Client, Role};
use crate::components::dialog::ConfirmDialog;
use crate::components::error_banner::ErrorBanner;
use crate::components::picker::{PickKind, Picked, Picker};
use crate::components::result_view::FormOrResult;
use crate::components::role_notice::RoleNotice;
use crate::domain::TfaMethod;
use crate::messages::Operation;
use crate::pages::portal_search;
use crate::session::{use_session, write_action, Outcome, Write, WriteAction};

/// One request: the person, the method where the portal honours one.
#[derive(Clone)]
struct Reset {
    client: Client,
    user: Picked,
    /// `Some` only on a seed-contract portal.
    method: Option<TfaMethod>,
    facts: ResetFacts,
}

/// The form and its request; lives as long as the panel.
#[derive(Clone, Copy)]
pub struct UserMethodState {
    pub user: RwSignal<Vec<Picked>>,
    /// The method chosen on a seed-contract portal.
    pub method: RwSignal<Option<TfaMethod>>,
    /// The request: `pending` drives the button, an `Err` value the banner.
    reset: WriteAction,
    pub outcome: RwSignal<Option<Outcome>>,
}

impl Default for UserMethodState {
    /// Created under the current owner: the shell makes one for the panel.
    fn default() -> Self {
        Self::new()
    }
}

impl UserMethodState {
    pub fn new() -> Self {
        let user = RwSignal::new(Vec::<Picked>::new());
        let outcome = RwSignal::new(None);
        let reset = write_action();
        UserMethodState {
            user,
            method: RwSignal::new(None),
            reset,
            outcome,
        }
    }
}

#[component]
pub fn UserMethodPage(state: UserMethodState) -> impl IntoView {
    let session = use_session();
    let form = state;
    let me = Memo::new(move |_| session.me());
    let seed = Memo::new(move |_| session.server().honours_user_method());
    let is_owner =
        Memo::new(move |_| me.with(|m| m.as_ref().is_some_and(|m| m.role.can_change_others())));
    let may_search =
        Memo::new(move |_| me.with(|m| m.as_ref().is_some_and(|m| m.role.can_search_people())));
    let dialog_open = RwSignal::new(false);
    let current = Memo::new(move |_| session.current());
    let sms_available =
        Memo::new(move |_| current.with(|c| c.as_ref().is_none_or(|c| c.sms.available)));
    // `None` until the settings have loaded.
    let app_on =
        Memo::new(move |_| current.with(|c| c.as_ref().map(|c| c.policy.method == TfaMethod::App)));
    let busy = form.reset.pending();
    let error = Signal::derive(move || {
        (!busy.get())
            .then(|| form.reset.value().get().and_then(Result::err))
            .flatten()
    });
    // Anyone but the owner may reset only their own app (§4.5).
    Effect::new(move |_| {
        if let (false, Some(me)) = (is_owner.get(), me.get()) {
            if form.user.with(|u| u.len() != 1 || u[0].id != me.id) {
                form.user.set(vec![Picked {
                    id: me.id.clone(),
                    name: Some(me.display_name.clone()),
                    detail: Some(t!(user_you)),
                    linked: me.tfa_app_enabled,
                }]);
            }
        }
    });

    let target = Memo::new(move |_| form.user.with(|u| u.first().cloned()));
    let is_me = Memo::new(move |_| match (target.get(), me.get()) {
        (Some(t), Some(m)) => t.id == m.id,
        _ => false,
    });
    // The method sent: a real release gets none (it would ignore it).
    let method = Memo::new(move |_| {
        if seed.get() {
            form.method.get()
        } else {
            Some(TfaMethod::None)
        }
    });
    let blocker = Memo::new(move |_| -> Option<String> {
        let Some(target) = target.get() else {
            return Some(t!(user_choose_user));
        };
        if seed.get() {
            return match form.method.get() {
                None => Some(t!(user_choose_method)),
                Some(TfaMethod::Sms) if !sms_available.get() => Some(t!(user_sms_unavailable)),
                _ => None,
            };
        }
        match (app_on.get(), target.linked) {
            (None, _) => Some(t!(user_settings_loading)),
            (Some(false), _) => Some(t!(user_app_method_off)),
            (Some(true), Some(true)) => None,
            (Some(true), Some(false)) if is_me.get() => Some(t!(user_you_not_linked)),
            (Some(true), Some(false)) => Some(t!(user_not_linked, who = target.label())),
            // DocSpace does not tell a room admin or user whether their own
            // app is linked: let them try; the portal refuses if it is not.
            (Some(true), None) if is_me.get() => None,
            (Some(true), None) => Some(t!(user_link_state_unknown, who = target.label())),
        }
    });

    let send = move || {
        if busy.get_untracked() || blocker.get_untracked().is_some() {
            return;
        }
        let (Some(client), Some(user)) = (session.client(), target.get_untracked()) else {
            return;
        };
        let facts = ResetFacts {
            who: if is_me.get_untracked() {
                None
            } else {
                Some(user.label())
            },
            token: matches!(client.auth, Auth::Token(_)),
        };
        let reset = Reset {
            method: if seed.get_untracked() {
                method.get_untracked()
            } else {
                None
            },
            client,
            user,
            facts,
        };
        form.reset
            .dispatch_local(Write::new(run_reset(reset, form.user, form.outcome)));
    };
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if blocker.get_untracked().is_some() || busy.get_untracked() {
            return;
        }
        if !seed.get_untracked() || form.method.get_untracked() == Some(TfaMethod::None) {
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
        match (seed.get(), is_me.get()) {
            (true, _) => t!(user_dialog_seed_body, who = who),
            (false, true) => t!(user_dialog_reset_own_body),
            (false, false) => t!(user_dialog_reset_body, who = who),
        }
    });
    let operation = Signal::derive(move || {
        Operation::SetUserMethod(if seed.get() { form.method.get() } else { None })
    });

    view! {
        <FormOrResult outcome=form.outcome portal=Signal::derive(move || session.portal()) back_label=K::common_back back_focus="user-heading">
        <section class="card" aria-labelledby="user-heading">
            <h1 id="user-heading" tabindex="-1">
                {move || if seed.get() { t!(user_heading_seed) } else { t!(user_heading_reset) }}
            </h1>
            <p class="lead" data-testid="user-lead">
                {move || if seed.get() { t!(user_lead_seed) } else { t!(user_lead_reset) }}
            </p>
            <RoleNotice
                when=Signal::derive(move || !is_owner.get())
                text=Signal::derive(move || t!(
                    user_role_notice,
                    role = me.with(|m| m.as_ref().map(|m| m.role).unwrap_or(Role::User).label())
                ))
            />
            <form method="post" on:submit=on_submit novalidate data-testid="user-form">
                <When when=is_owner>
                    <Picker kind=PickKind::People id="user-picker" label=K::user_picker_label selected=form.user search=portal_search(session) single=true can_search=may_search disabled=busy />
                </When>
                <When when=seed>
                    <fieldset class="choice">
                        <legend>{tr(K::user_new_method)}</legend>
                        {[
                            (TfaMethod::None, K::user_method_none, K::user_method_none_hint),
                            (TfaMethod::Sms, K::user_method_sms, K::user_method_sms_hint),
                            (TfaMethod::App, K::user_method_app, K::user_method_app_hint),
                        ]
                        .into_iter()
                        .map(|(method, title, hint)| view! {
                            <label class="radio">
                                <input
                                    type="radio"
                                    name="user-method"
                                    data-testid=format!("user-method-{}", method.api_name().to_ascii_lowercase())
                                    prop:checked=move || form.method.get() == Some(method)
                                    prop:disabled=move || busy.get() || (method == TfaMethod::Sms && !sms_available.get())
                                    on:change=move |_| form.method.set(Some(method))
                                />
                                <span><strong>{tr(title)}</strong><span class="hint">{tr(hint)}</span></span>
                            </label>
                        })
                        .collect_view()}
                    </fieldset>
                </When>
                <ErrorBanner error operation on_retry=retry />
                <div class="actions">
                    <button type="submit" data-testid="user-submit" prop:disabled=move || busy.get() || blocker.get().is_some() aria-describedby="user-blocker">
                        {move || match (busy.get(), seed.get()) {
                            (true, _) => t!(common_sending),
                            (false, true) => t!(user_apply),
                            (false, false) => t!(user_reset_button),
                        }}
                    </button>
                </div>
                <p id="user-blocker" class="muted" data-testid="user-blocker">{move || blocker.get()}</p>
            </form>
            <ConfirmDialog
                open=dialog_open
                title=Signal::derive(move || if seed.get() { t!(user_dialog_seed_title) } else { t!(user_dialog_reset_title) })
                body=dialog_body
                confirm_label=Signal::derive(move || if seed.get() { t!(user_dialog_seed_confirm) } else { t!(user_dialog_reset_confirm) })
                on_confirm=Callback::new(move |_| send())
            />
        </section>
        </FormOrResult>
    }
}

/// Sends the reset and puts what really happened into `outcome`.
async fn run_reset(
    r: Reset,
    user: RwSignal<Vec<Picked>>,
    outcome: RwSignal<Option<Outcome>>,
) -> Result<(), ApiError> {
    let link = r.client.set_user_method(&r.user.id, r.method).await?;
    let o = match r.method {
        Some(method) => seed_outcome(&r.user, method, link, r.facts.who.is_none()),
        None => {
            // What really happened, from the portal itself.
            let after = linked_after(&r.client, &r.user).await;
            if after == After::Unlinked {
                // The chosen person now shows as they are.
                user.update(|u| {
                    if let Some(p) = u.iter_mut().find(|p| p.id == r.user.id) {
                        p.linked = Some(false);
                    }
                });
            }
            reset_outcome(&r.facts, link, after)
        }
    };
    outcome.set(Some(o));
    Ok(())
}

/// The facts of one reset the wording depends on.
#[derive(Clone)]
struct ResetFacts {
    /// The person's name, or `None` when it is you.
    who: Option<String>,
    /// The panel signs in with a token or API key from another origin.
    token: bool,
}

/// What the portal says of the person after the reset.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum After {
    /// The person shows no linked app any more.
    Unlinked,
    /// The person still shows a linked app.
    StillLinked,
    /// The check was refused with 401: your own session was reset.
    SignedOut,
    /// The portal did not say.
    Unknown,
}

/// Reads the person again (`people/filter` by e-mail or name) to see whether
/// the app is unlinked.
async fn linked_after(client: &Client, user: &Picked) -> After {
    let query = user.name.clone().unwrap_or_default();
    if query.is_empty() {
        return After::Unknown;
    }
    match client.search_people(&query, 0, 25).await {
        Ok(page) => match page.items.iter().find(|p| p.id == user.id) {
            Some(p) => match p.tfa_app_enabled {
                Some(false) => After::Unlinked,
                Some(true) => After::StillLinked,
                None => After::Unknown,
            },
            None => After::Unknown,
        },
        Err(ApiError::Unauthorized { .. }) => After::SignedOut,
        Err(_) => After::Unknown,
    }
}

/// The result of a reset on a real release: only what DocSpace does.
fn reset_outcome(facts: &ResetFacts, link: String, after: After) -> Outcome {
    let link = Some(link).filter(|l| !l.trim().is_empty());
    if after == After::StillLinked {
        return Outcome {
            heading: t!(user_still_linked_heading),
            lead: match &facts.who {
                Some(who) => t!(user_still_linked, who = who),
                None => t!(user_still_linked_you),
            },
            link: None,
            note: None,
            checking: false,
        };
    }
    let checked = match after {
        After::Unlinked => format!(" {}", t!(user_checked_unlinked)),
        _ => String::new(),
    };
    match &facts.who {
        Some(who) => Outcome {
            heading: t!(user_reset_heading),
            lead: format!(
                "{}{checked} {}",
                t!(user_reset_done, who = who),
                t!(user_reset_next)
            ),
            link,
            note: None,
            checking: false,
        },
        None => Outcome {
            heading: t!(user_own_reset_heading),
            lead: format!(
                "{}{checked} {}",
                if after == After::SignedOut {
                    t!(user_own_reset_done_signed_out)
                } else {
                    t!(user_own_reset_done)
                },
                if link.is_some() {
                    t!(user_own_reset_link)
                } else {
                    t!(user_own_reset_no_link)
                }
            ),
            note: link.as_ref().map(|_| {
                if facts.token {
                    t!(user_link_token_note)
                } else {
                    t!(user_link_session_note)
                }
            }),
            link,
            checking: false,
        },
    }
}

/// The result on a seed-contract portal, which honours the method.
fn seed_outcome(user: &Picked, method: TfaMethod, link: String, is_me: bool) -> Outcome {
    let who = user.label();
    let done = match (method, is_me) {
        (TfaMethod::None, true) => t!(user_seed_done_none_you),
        (TfaMethod::None, false) => t!(user_seed_done_none, who = who),
        (TfaMethod::Sms, true) => t!(user_seed_done_sms_you),
        (TfaMethod::Sms, false) => t!(user_seed_done_sms, who = who),
        (TfaMethod::App, true) => t!(user_seed_done_app_you),
        (TfaMethod::App, false) => t!(user_seed_done_app, who = who),
    };
    if link.trim().is_empty() {
        Outcome {
            heading: t!(user_seed_notified_heading),
            lead: format!("{done} {}", t!(user_seed_notified)),
            link: None,
            note: None,
            checking: false,
        }
    } else {
        Outcome {
            heading: t!(user_seed_done_heading),
            lead: format!("{done} {}", t!(user_seed_link_below)),
            link: Some(link),
            note: is_me.then(|| t!(user_seed_own_signed_out)),
            checking: false,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_real_reset_never_claims_a_method_change() {
        let other = ResetFacts {
            who: Some("Priya Patel".into()),
            token: true,
        };
        for after in [After::Unlinked, After::Unknown, After::SignedOut] {
            let o = reset_outcome(&other, String::new(), after);
            assert_eq!(o.heading, "Authenticator app reset");
            assert!(o.lead.contains("unlinked Priya Patel's authenticator app"));
            assert!(o.lead.contains("e-mailed them"));
            assert!(o.lead.contains("TFA policy still applies"));
            assert!(!o.lead.contains("TFA is off"));
            assert!(!o.lead.contains("SMS"));
        }
        assert!(reset_outcome(&other, String::new(), After::Unlinked)
            .lead
            .contains("now shows no app linked"));
        let still = reset_outcome(&other, String::new(), After::StillLinked);
        assert_eq!(still.heading, "The app is still linked");
    }

    #[test]
    fn resetting_yourself_explains_the_link_per_mode() {
        let me_token = ResetFacts {
            who: None,
            token: true,
        };
        let o = reset_outcome(
            &me_token,
            "https://p/confirm/TfaActivation?uid=1".into(),
            After::SignedOut,
        );
        assert!(o.lead.contains("this panel too"));
        assert!(o
            .note
            .unwrap()
            .contains("completes only in a browser signed in"));
        let me_session = ResetFacts {
            who: None,
            token: false,
        };
        let o = reset_outcome(
            &me_session,
            "https://p/confirm/TfaActivation?uid=1".into(),
            After::Unknown,
        );
        assert!(o.note.unwrap().contains("within the hour"));
        assert!(!o.lead.contains("e-mailed"));
    }
}
