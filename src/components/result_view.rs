//! The result view ("Check your email"): what happens next, and the returned
//! link as text and, only when it is safe, as a link.

use leptos::prelude::*;

use crate::i18n::{tr, K};
use crate::t;

use crate::domain::link::{classify_link, LinkSafety, Origin};
use crate::session::Outcome;

/// A task page: its form, or, once `outcome` is set, the result view. "Back"
/// clears the outcome and returns focus to the element `back_focus`. A
/// returned link is judged against `portal`.
///
/// The form stays mounted, hidden, while the result shows: going back is
/// instant and the form is not rebuilt for every submission. The result view
/// is built once when an outcome appears; a later change of the outcome (the
/// policy page refines its wording once it has re-read the settings) only
/// patches the texts that changed.
#[component]
pub fn FormOrResult(
    outcome: RwSignal<Option<Outcome>>,
    #[prop(into)] portal: Signal<Option<Origin>>,
    back_label: K,
    back_focus: &'static str,
    children: Children,
) -> impl IntoView {
    let on_back = Callback::new(move |_| {
        outcome.set(None);
        crate::web::focus_id(back_focus);
    });
    let portal = Memo::new(move |_| {
        outcome
            .with(Option::is_some)
            .then(|| portal.get())
            .flatten()
    });
    view! {
        <div class="task" hidden=move || portal.with(Option::is_some)>{children()}</div>
        {move || portal.get().map(|portal| view! { <ResultView outcome portal back_label on_back /> })}
    }
}

/// Shows an outcome; it takes focus and is announced when it appears.
#[component]
pub fn ResultView(
    outcome: RwSignal<Option<Outcome>>,
    portal: Origin,
    on_back: Callback<()>,
    back_label: K,
) -> impl IntoView {
    crate::web::focus_id("result-heading");
    crate::web::mark("tfa-panel:result");
    let part = move |pick: fn(&Outcome) -> Option<String>| {
        Memo::new(move |_| outcome.with(|o| o.as_ref().and_then(pick)))
    };
    let heading = part(|o| Some(o.heading.clone()));
    let lead = part(|o| Some(o.lead.clone()));
    let link = part(|o| o.link.clone());
    let note = part(|o| o.note.clone());
    let checking = Memo::new(move |_| outcome.with(|o| o.as_ref().is_some_and(|o| o.checking)));
    view! {
        <section class="result card" aria-labelledby="result-heading" data-testid="result" aria-busy=move || checking.get().then_some("true")>
            <h2 id="result-heading" tabindex="-1">{move || heading.get()}</h2>
            <p role="status" class="lead">{move || lead.get()}</p>
            {move || link.get().map(|url| view! { <LinkBlock url portal=portal.clone() /> })}
            {move || note.get().map(|n| view! { <p class="muted" data-testid="result-note">{n}</p> })}
            <div class="actions">
                <button type="button" class="secondary" data-testid="result-back" on:click=move |_| on_back.run(())>
                    {tr(back_label)}
                </button>
            </div>
        </section>
    }
}

/// A returned link: always as text with a copy button; clickable only when safe.
#[component]
fn LinkBlock(url: String, portal: Origin) -> impl IntoView {
    let safety = classify_link(&url, &portal);
    let copy_action = Action::new_local(|text: &String| crate::web::copy_text(text.clone()));
    let copied = copy_action.value();
    let text = url.clone();
    let copy = move |_| {
        copy_action.dispatch_local(text.clone());
    };
    let open = match safety {
        LinkSafety::Clickable => view! {
            <a class="button" href=url.clone() target="_blank" rel="noopener noreferrer" data-testid="result-open">
                {tr(K::result_open)}
            </a>
        }
        .into_any(),
        ref unsafe_link => view! {
            <p class="banner warning" role="note" data-testid="link-warning">
                {let unsafe_link = unsafe_link.clone(); move || unsafe_link.warning().unwrap_or_default()}
            </p>
        }
        .into_any(),
    };
    view! {
        <div class="link-block">
            <label for="result-link">{tr(K::result_link)}</label>
            <input id="result-link" class="mono" readonly prop:value=url.clone() data-testid="result-link" />
            <div class="actions">
                <button type="button" on:click=copy data-testid="result-copy">{tr(K::result_copy)}</button>
                {open}
            </div>
            <p class="muted" aria-live="polite">
                {move || match copied.get() {
                    Some(true) => t!(result_copied),
                    Some(false) => t!(result_copy_refused),
                    None => String::new(),
                }}
            </p>
        </div>
    }
}
