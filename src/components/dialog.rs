//! A modal confirmation built on the native `<dialog>`: the browser traps focus,
//! closes it on Escape and restores focus afterwards.

use leptos::html;
use leptos::prelude::*;

use crate::i18n::{tr, K};

/// Asks before an action that removes protection. `open` shows it; the
/// buttons close it and `on_confirm` runs only for the confirming one.
#[component]
pub fn ConfirmDialog(
    open: RwSignal<bool>,
    #[prop(into)] title: Signal<String>,
    #[prop(into)] body: Signal<String>,
    #[prop(into)] confirm_label: Signal<String>,
    on_confirm: Callback<()>,
) -> impl IntoView {
    let dialog = NodeRef::<html::Dialog>::new();
    Effect::new(move |_| {
        let Some(el) = dialog.get() else { return };
        if open.get() {
            if !el.open() {
                let _ = el.show_modal();
            }
        } else if el.open() {
            el.close();
        }
    });
    view! {
        <dialog
            node_ref=dialog
            class="dialog"
            aria-labelledby="dialog-title"
            aria-describedby="dialog-body"
            data-testid="confirm-dialog"
            on:close=move |_| open.set(false)
        >
            <h2 id="dialog-title">{move || title.get()}</h2>
            <p id="dialog-body">{move || body.get()}</p>
            <div class="actions">
                <button type="button" class="secondary" autofocus on:click=move |_| open.set(false)>
                    {tr(K::dialog_cancel)}
                </button>
                <button
                    type="button"
                    class="danger"
                    data-testid="dialog-confirm"
                    on:click=move |_| {
                        open.set(false);
                        on_confirm.run(());
                    }
                >
                    {move || confirm_label.get()}
                </button>
            </div>
        </dialog>
    }
}
