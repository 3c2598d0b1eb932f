//! Task 2: your own confirmation link (`GET settings/tfaapp/confirm`).

use leptos::prelude::*;

use crate::i18n::{tr, K};
use crate::t;

use crate::api::{ApiError, Auth, Client};
use crate::components::error_banner::ErrorBanner;
use crate::components::result_view::FormOrResult;
use crate::messages::Operation;
use crate::session::{use_session, write_action, Outcome, Write, WriteAction};

/// The request and what it produced; lives as long as the panel.
#[derive(Clone, Copy)]
pub struct ConfirmState {
    /// The request: `pending` drives the button, an `Err` value the banner.
    fetch: WriteAction,
    pub outcome: RwSignal<Option<Outcome>>,
}

impl Default for ConfirmState {
    /// Created under the current owner: the shell makes one for the panel.
    fn default() -> Self {
        Self::new()
    }
}

impl ConfirmState {
    pub fn new() -> Self {
        ConfirmState {
            fetch: write_action(),
            outcome: RwSignal::new(None),
        }
    }
}

/// Asks for the link and puts what came back into `outcome`.
async fn fetch_link(client: Client, outcome: RwSignal<Option<Outcome>>) -> Result<(), ApiError> {
    let token = matches!(client.auth, Auth::Token(_));
    outcome.set(Some(match client.confirm_data().await? {
        Some(data) => Outcome {
            heading: t!(confirm_result_heading),
            lead: t!(confirm_result_lead),
            note: link_note(&data.url, token),
            link: Some(data.url),
            checking: false,
        },
        None => Outcome {
            heading: t!(confirm_nothing_heading),
            lead: t!(confirm_nothing_lead),
            link: None,
            note: None,
            checking: false,
        },
    }));
    Ok(())
}

#[component]
pub fn ConfirmPage(state: ConfirmState) -> impl IntoView {
    let session = use_session();
    let busy = state.fetch.pending();
    let error = Signal::derive(move || {
        (!busy.get())
            .then(|| state.fetch.value().get().and_then(Result::err))
            .flatten()
    });
    let fetch = move || {
        if let (false, Some(client)) = (busy.get_untracked(), session.client()) {
            state
                .fetch
                .dispatch_local(Write::new(fetch_link(client, state.outcome)));
        }
    };
    let retry = Callback::new(move |_| fetch());
    view! {
        <FormOrResult outcome=state.outcome portal=Signal::derive(move || session.portal()) back_label=K::common_back back_focus="confirm-heading">
                <section class="card" aria-labelledby="confirm-heading">
                    <h1 id="confirm-heading" tabindex="-1">{tr(K::confirm_heading)}</h1>
                    <p class="lead">
                        {tr(K::confirm_lead)}
                    </p>
                    <ErrorBanner error operation=Operation::ConfirmLink on_retry=retry />
                    <div class="actions">
                        <button type="button" data-testid="confirm-fetch" prop:disabled=move || busy.get() on:click=move |_| fetch()>
                            {move || if busy.get() { t!(confirm_busy) } else { t!(confirm_fetch) }}
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
        t!(confirm_link_token_note)
    } else {
        t!(confirm_link_session_note)
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
