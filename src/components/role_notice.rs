//! The note a page shows when the signed-in role cannot do its task: what
//! the role is and what DocSpace allows it.

use leptos::prelude::*;

use crate::components::when::When;

/// Shown while `when` holds; `text` says which role and what it may do.
#[component]
pub fn RoleNotice(
    #[prop(into)] when: Signal<bool>,
    #[prop(into)] text: Signal<String>,
) -> impl IntoView {
    view! {
        <When when>
            <p class="banner warning" role="note" data-testid="role-notice">{move || text.get()}</p>
        </When>
    }
}
