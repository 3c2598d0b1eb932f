//! The one path by which a failure reaches the screen.

use leptos::prelude::*;

use crate::i18n::{tr, K};

use crate::t;

use crate::api::ApiError;
use crate::messages::Operation;

/// Shows `error` (if any) as an alert: what failed, the server's own words as
/// text, what to do, and a Retry button when retrying can help.
#[component]
pub fn ErrorBanner(
    #[prop(into)] error: Signal<Option<ApiError>>,
    #[prop(into)] operation: Signal<Operation>,
    #[prop(optional, into)] on_retry: Option<Callback<()>>,
) -> impl IntoView {
    move || {
        error.get().map(|error| {
            let x = error.explain(operation.get());
            let retry = (x.retryable && on_retry.is_some()).then(|| {
                let on_retry = on_retry.expect("checked above");
                view! {
                    <button type="button" class="secondary" on:click=move |_| on_retry.run(())>
                        {tr(K::banner_retry)}
                    </button>
                }
            });
            let fields = error.field_errors().to_vec();
            view! {
                <div class="banner error" role="alert" data-testid="error">
                    <p class="banner-title">{x.title}</p>
                    {x.server_message.map(|m| view! {
                        <p class="server-says">{t!(banner_portal_said)}" "<q data-testid="server-message">{m}</q></p>
                    })}
                    {(!fields.is_empty()).then(|| view! {
                        <ul class="field-errors">
                            {fields.into_iter().map(|f| view! {
                                <li><code>{f.field}</code>": " {f.messages.join(" ")}</li>
                            }).collect_view()}
                        </ul>
                    })}
                    <p class="banner-remedy">{x.remedy}</p>
                    {retry}
                </div>
            }
        })
    }
}
