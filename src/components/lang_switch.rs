//! The language switcher in the header, and the switch to the portal user's
//! own language once connected.

use leptos::prelude::*;

use crate::i18n::{self, tr, Lang, Source, K};
use crate::t;

/// How the panel chose its first language (see `i18n::initial`).
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct Language {
    pub source: Source,
    /// A Traditional Chinese request was passed over.
    pub traditional: bool,
    /// The language asked for whose catalogue could not be fetched.
    pub failed: Option<Lang>,
}

/// A `<select>` of the panel's languages. `culture` is the signed-in DocSpace
/// user's `cultureName`: followed when neither this tab's choice nor the
/// hosting page named a language.
#[component]
pub fn LangSwitch(
    language: Language,
    #[prop(into)] culture: Signal<Option<String>>,
) -> impl IntoView {
    let source = RwSignal::new(language.source);
    let failed = RwSignal::new(language.failed);
    let switch = Action::new_local(move |lang: &Lang| {
        let lang = *lang;
        async move { (lang, i18n::switch_to(lang).await.is_ok()) }
    });
    Effect::new(move |_| {
        if let Some((lang, ok)) = switch.value().get() {
            failed.set((!ok).then_some(lang));
        }
    });
    // The portal user's language, when nothing more specific was asked for.
    Effect::new(move |_| {
        let Some(tag) = culture.get() else { return };
        if !matches!(source.get_untracked(), Source::Browser | Source::Default) {
            return;
        }
        if let i18n::Match::Found(lang) = i18n::match_tag(&tag) {
            source.set(Source::Portal);
            if lang != i18n::current() {
                switch.dispatch(lang);
            }
        }
    });
    let on_change = move |ev: leptos::ev::Event| {
        let tag = event_target_value(&ev);
        if let i18n::Match::Found(lang) = i18n::match_tag(&tag) {
            source.set(Source::Chosen);
            i18n::remember_choice(lang);
            switch.dispatch(lang);
        }
    };
    let menu = Lang::MENU;
    view! {
        <div class="lang-switch">
            <select
                data-testid="lang-switch"
                aria-label=tr(K::lang_switch_label)
                aria-busy=move || switch.pending().get().then_some("true")
                on:change=on_change
            >
                {menu
                    .into_iter()
                    .map(|l| view! { <option value=l.tag() lang=l.tag() prop:selected=move || i18n::current() == l>{l.endonym()}</option> })
                    .collect_view()}
                {move || (i18n::current() == Lang::Pseudo)
                    .then(|| view! { <option value=Lang::Pseudo.tag() selected>{Lang::Pseudo.endonym()}</option> })}
            </select>
            {move || failed.get().map(|l| view! {
                <p class="lang-note" role="status" data-testid="lang-failed">
                    {t!(lang_load_failed, language = l.endonym())}
                </p>
            })}
            {language.traditional.then(|| view! {
                <p class="lang-note" data-testid="lang-traditional">{tr(K::lang_traditional_unavailable)}</p>
            })}
        </div>
    }
}
