//! Task 3: reset one user's authenticator app (`PUT settings/tfaappnewapp`).
//!
//! Every DocSpace release reads only `id` there: it unlinks that user's
//! authenticator app, signs them out, and e-mails them when it is not you
//! (API notes §4.5, §10.4). The page says exactly that, before and after.
//! Only a portal that names the seed contract honours a method (None, SMS,
//! App); there the page offers that choice.

use leptos::prelude::*;

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
                    detail: Some("you".into()),
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
            return Some("Choose a user first.".into());
        };
        if seed.get() {
            return match form.method.get() {
                None => Some("Choose a method.".into()),
                Some(TfaMethod::Sms) if !sms_available.get() => {
                    Some("SMS is not available on this portal.".into())
                }
                _ => None,
            };
        }
        let who = if is_me.get() {
            "You have".to_string()
        } else {
            format!("{} has", target.label())
        };
        match (app_on.get(), target.linked) {
            (None, _) => Some("The portal's TFA settings have not loaded yet.".into()),
            (Some(false), _) => Some("The authenticator app method is off on this portal, so there is no app to reset (DocSpace resets only a linked app while the policy uses it).".into()),
            (Some(true), Some(true)) => None,
            (Some(true), Some(false)) => Some(format!("{who} not linked an authenticator app: there is nothing to reset.")),
            // DocSpace does not tell a room admin or user whether their own
            // app is linked: let them try; the portal refuses if it is not.
            (Some(true), None) if is_me.get() => None,
            (Some(true), None) => Some(format!("DocSpace did not say whether {} has linked an authenticator app (it tells only the owner and administrators). Choose the person from the search results, where it shows.", target.label())),
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
            (true, _) => format!("This unlinks {who}'s authenticator app and turns TFA off for them; their sessions are signed out. They will sign in with a password only until they set TFA up again."),
            (false, true) => "DocSpace unlinks your authenticator app, deletes your backup codes and signs you out everywhere. You then link an app again, as the portal's policy requires.".to_string(),
            (false, false) => format!("DocSpace unlinks {who}'s authenticator app, deletes their backup codes, signs them out everywhere and e-mails them a security notification. At their next sign-in they link an app again: the portal's policy still requires TFA of them."),
        }
    });
    let operation = Signal::derive(move || {
        Operation::SetUserMethod(if seed.get() { form.method.get() } else { None })
    });

    view! {
        <FormOrResult outcome=form.outcome portal=Signal::derive(move || session.portal()) back_label="Back" back_focus="user-heading">
        <section class="card" aria-labelledby="user-heading">
            <h1 id="user-heading" tabindex="-1">
                {move || if seed.get() { "A user's TFA method" } else { "Reset a user's authenticator app" }}
            </h1>
            <p class="lead" data-testid="user-lead">
                {move || if seed.get() {
                    "Reset or change how one person signs in, for example when they lost their phone."
                } else {
                    "For someone who lost their phone or authenticator app. DocSpace unlinks the person's app and deletes their backup codes, signs them out everywhere, and e-mails them a security notification (not when it is you). It does not turn TFA off for them: at their next sign-in they link an app again, under the portal's TFA policy."
                }}
            </p>
            <RoleNotice
                when=Signal::derive(move || !is_owner.get())
                text=Signal::derive(move || format!(
                    "You are signed in as {}: DocSpace lets only the portal owner reset another user's app, so you can reset only your own.",
                    me.with(|m| m.as_ref().map(|m| m.role.label()).unwrap_or(Role::User.label()))
                ))
            />
            <form method="post" on:submit=on_submit novalidate data-testid="user-form">
                <Show when=move || is_owner.get()>
                    <Picker kind=PickKind::People id="user-picker" label="User" selected=form.user search=portal_search(session) single=true can_search=may_search disabled=busy />
                </Show>
                <Show when=move || seed.get()>
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
                                    prop:disabled=move || busy.get() || (method == TfaMethod::Sms && !sms_available.get())
                                    on:change=move |_| form.method.set(Some(method))
                                />
                                <span><strong>{title}</strong><span class="hint">{hint}</span></span>
                            </label>
                        })
                        .collect_view()}
                    </fieldset>
                </Show>
                <ErrorBanner error operation on_retry=retry />
                <div class="actions">
                    <button type="submit" data-testid="user-submit" prop:disabled=move || busy.get() || blocker.get().is_some() aria-describedby="user-blocker">
                        {move || match (busy.get(), seed.get()) {
                            (true, _) => "Sending…",
                            (false, true) => "Apply",
                            (false, false) => "Reset the app…",
                        }}
                    </button>
                </div>
                <p id="user-blocker" class="muted" data-testid="user-blocker">{move || blocker.get()}</p>
            </form>
            <ConfirmDialog
                open=dialog_open
                title=Signal::derive(move || if seed.get() { "Remove this user's TFA?".to_string() } else { "Reset this authenticator app?".to_string() })
                body=dialog_body
                confirm_label=Signal::derive(move || if seed.get() { "Unlink and turn off".to_string() } else { "Reset the app".to_string() })
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
            heading: "The app is still linked".into(),
            lead: format!(
                "The portal answered without an error, but it still shows an authenticator app linked for {}. Check the person in DocSpace before you try again.",
                facts.who.as_deref().unwrap_or("you")
            ),
            link: None,
            note: None,
            checking: false,
        };
    }
    let checked = match after {
        After::Unlinked => " The user list now shows no app linked.",
        _ => "",
    };
    match &facts.who {
        Some(who) => Outcome {
            heading: "Authenticator app reset".into(),
            lead: format!("DocSpace unlinked {who}'s authenticator app and deleted their backup codes, signed them out everywhere, and e-mailed them a security notification.{checked} At their next sign-in they link an app again: the portal's TFA policy still applies to them."),
            link,
            note: None,
            checking: false,
        },
        None => Outcome {
            heading: "Your authenticator app was reset".into(),
            lead: format!("DocSpace unlinked your authenticator app, deleted your backup codes and signed you out everywhere{}.{checked} {}",
                if after == After::SignedOut { ", this panel too: connect again (an API key keeps working) to go on" } else { "" },
                if link.is_some() { "The link below sets up a new app for your account." } else { "Link an app again at your next sign-in." }),
            note: link.as_ref().map(|_| if facts.token {
                "This link completes only in a browser signed in to the portal: the portal keeps its key in a cookie set for its own pages, which this panel, on another site, never receives. Sign in to the portal instead: it walks you through linking your app.".to_string()
            } else {
                "Open it in this browser within the hour: the portal set the key that goes with it as a cookie here.".to_string()
            }),
            link,
            checking: false,
        },
    }
}

/// The result on a seed-contract portal, which honours the method.
fn seed_outcome(user: &Picked, method: TfaMethod, link: String, is_me: bool) -> Outcome {
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
