//! The note a page shows when the signed-in role cannot do its task: what
//! the role is and what DocSpace allows it.

use leptos::prelude::*;

/// Shown while `when` holds; `text` says which role and what it may do.
#[component]
pub fn RoleNotice(
    #[prop(into)] when: Signal<bool>,
    #[prop(into)] text: Signal<String>,
) -> impl IntoView {
    view! {
        <Show when=move || when.get()>
            <p class="banner warning" role="note" data-testid="role-notice">{move || text.get()}</p>
        </Show>
    }
}
