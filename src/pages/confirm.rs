//! Task 2: your own confirmation link (`GET settings/tfaapp/confirm`).

use leptos::prelude::*;

use crate::api::Operation;
use crate::app::{AppState, Outcome};
use crate::components::error_banner::ErrorBanner;
use crate::components::result_view::FormOrResult;

#[component]
pub fn ConfirmPage() -> impl IntoView {
    let state = expect_context::<AppState>();
    let form = state.confirm;
    let fetch = move || {
        if form.busy.get_untracked() {
            return;
        }
        let Some(client) = state.client() else { return };
        let token = matches!(client.auth, crate::api::Auth::Token(_));
        form.busy.set(true);
        form.error.set(None);
        leptos::task::spawn_local(async move {
            match client.confirm_data().await {
                Ok(Some(data)) => {
                    let note = link_note(&data.url, token);
                    form.outcome.set(Some(Outcome {
                        heading: "Your confirmation link".into(),
                        lead: "Open this link to set up or confirm your authenticator app. It is valid for about an hour.".into(),
                        link: Some(data.url),
                        note,
                        checking: false,
                    }))
                }
                Ok(None) => form.outcome.set(Some(Outcome {
                    heading: "Nothing to confirm".into(),
                    lead: "TFA is not required for your account right now: it is off on the portal, or you are signing in from a trusted IP address.".into(),
                    link: None,
                    note: None,
                    checking: false,
                })),
                Err(e) => form.error.set(Some(e)),
            }
            form.busy.set(false);
        });
    };
    let retry = Callback::new(move |_| fetch());
    view! {
        <FormOrResult outcome=form.outcome back_label="Back" back_focus="confirm-heading">
                <section class="card" aria-labelledby="confirm-heading">
                    <h1 id="confirm-heading" tabindex="-1">"My confirmation link"</h1>
                    <p class="lead">
                        "Get the link that sets up or confirms two-factor authentication for your own account, "
                        "for example after TFA was switched on or your app was reset."
                    </p>
                    <ErrorBanner error=form.error operation=Operation::ConfirmLink on_retry=retry />
                    <div class="actions">
                        <button type="button" data-testid="confirm-fetch" prop:disabled=move || form.busy.get() on:click=move |_| fetch()>
                            {move || if form.busy.get() { "Asking the portal…" } else { "Get my confirmation link" }}
                        </button>
                    </div>
                </section>
        </FormOrResult>
    }
}

/// Where the link can complete. An authenticator-app link carries no key:
/// the portal sets the key as an HttpOnly cookie on its own answer (API notes
/// §3, §10.6), which a panel on another origin never stores. An SMS link
/// carries its key in the URL.
fn link_note(url: &str, token: bool) -> Option<String> {
    if url.contains("key=") {
        return None;
    }
    Some(if token {
        "This link completes only in a browser signed in to the portal: the portal keeps its key in a cookie set for its own pages, which this panel, on another site, never receives. Sign in to the portal instead (it walks you through linking your app), or open this panel from the portal itself and ask again.".to_string()
    } else {
        "Open it in this browser: the portal set the key that goes with it as a cookie here."
            .to_string()
    })
}

#[cfg(test)]
mod tests {
    use super::link_note;

    #[test]
    fn app_links_need_the_portal_cookie() {
        let app = "https://p/confirm/TfaActivation?type=TfaActivation&uid=1";
        assert!(link_note(app, true)
            .unwrap()
            .contains("completes only in a browser signed in"));
        assert!(link_note(app, false).unwrap().contains("in this browser"));
        assert_eq!(
            link_note(
                "https://p/confirm/PhoneActivation?type=PhoneActivation&key=k&encemail=e",
                true
            ),
            None
        );
    }
}
