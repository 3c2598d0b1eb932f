//! People and group picker: searches as you type (debounced, paged, late
//! answers discarded), shows names strictly as text, and also accepts pasted
//! IDs. How to search is the caller's: the picker gets a [`Search`].

use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::time::Duration;

use leptos::prelude::*;

use crate::components::when::When;
use crate::i18n::{text, tr, K};
use crate::t;

use crate::api::ApiError;
use crate::components::error_banner::ErrorBanner;
use crate::domain::guid::find_guids;
use crate::domain::Guid;
use crate::messages::Operation;

/// One page of matches and how many there are in all.
pub type Found = Result<(Vec<Picked>, u64), ApiError>;

/// How a picker searches: the kind, the text and the index of the first
/// match wanted.
pub type Search =
    Arc<dyn Fn(PickKind, String, u32) -> Pin<Box<dyn Future<Output = Found>>> + Send + Sync>;

/// How long typing must pause before the portal is asked.
pub const DEBOUNCE: Duration = Duration::from_millis(250);

/// A chosen person or group. The name is unknown for IDs that were pasted or
/// came from the portal's settings.
#[derive(Clone, Debug, PartialEq)]
pub struct Picked {
    pub id: Guid,
    pub name: Option<String>,
    pub detail: Option<String>,
    /// A person who has linked an authenticator app; `None` when DocSpace did
    /// not say (pasted IDs, groups, or a viewer it does not tell: §10.8).
    pub linked: Option<bool>,
}

impl Picked {
    pub fn from_id(id: Guid) -> Self {
        Picked {
            id,
            name: None,
            detail: None,
            linked: None,
        }
    }

    /// The detail line: e-mail or member count, and whether an app is linked.
    pub fn detail_text(&self) -> Option<String> {
        let linked = match self.linked {
            Some(true) => Some(t!(picker_app_linked)),
            Some(false) => Some(t!(picker_no_app_linked)),
            None => None,
        };
        let parts: Vec<String> = [self.detail.clone(), linked]
            .into_iter()
            .flatten()
            .filter(|p| !p.is_empty())
            .collect();
        (!parts.is_empty()).then(|| parts.join(" · "))
    }

    /// What to show for it.
    pub fn label(&self) -> String {
        match &self.name {
            Some(name) if !name.is_empty() => name.clone(),
            _ => t!(picker_id_label, id = self.id.to_string()),
        }
    }
}

/// What the picker chooses.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PickKind {
    People,
    Groups,
}

impl PickKind {
    /// The message for people or for groups.
    fn pick(self, people: K, groups: K) -> K {
        match self {
            PickKind::People => people,
            PickKind::Groups => groups,
        }
    }
}

/// The picker. With `single`, choosing replaces the selection.
#[component]
pub fn Picker(
    kind: PickKind,
    id: &'static str,
    label: K,
    selected: RwSignal<Vec<Picked>>,
    search: Search,
    #[prop(optional)] single: bool,
    #[prop(into)] can_search: Signal<bool>,
    #[prop(into)] disabled: Signal<bool>,
    #[prop(into, optional)] invalid_ids: Signal<Vec<(usize, String)>>,
) -> impl IntoView {
    let query = RwSignal::new(String::new());
    let results = RwSignal::new(Vec::<Picked>::new());
    let total = RwSignal::new(None::<u64>);
    // The latest search wins: an answer to an older keystroke is dropped.
    let find = Action::new_local(move |(text, start): &(String, u32)| {
        let (text, start) = (text.clone(), *start);
        let page = search(kind, text, start);
        async move { (start, page.await) }
    });
    let searching = find.pending();
    let error = Signal::derive(move || {
        find.value()
            .with(|v| v.as_ref().and_then(|(_, r)| r.as_ref().err().cloned()))
    });
    Effect::new(move |_| {
        find.value().with(|v| {
            if let Some((start, Ok((items, count)))) = v {
                if *start == 0 {
                    results.set(items.clone());
                } else {
                    results.update(|r| r.extend(items.iter().cloned()));
                }
                total.set(Some(*count));
                crate::web::mark("tfa-panel:picker-results");
            }
        })
    });
    let timer = StoredValue::new_local(None::<crate::web::Timer>);
    // The nil ID names nobody: never offer it.
    let pasted = Memo::new(move |_| {
        query.with(|q| {
            find_guids(q)
                .into_iter()
                .filter(|g| !g.is_nil())
                .collect::<Vec<_>>()
        })
    });

    let search = move |start: u32| {
        find.dispatch_local((query.get_untracked().trim().to_string(), start));
    };

    let on_input = move |ev| {
        query.set(event_target_value(&ev));
        // Dropping the waiting timer clears it.
        timer.set_value(None);
        if !can_search.get_untracked() || !pasted.with_untracked(Vec::is_empty) {
            return;
        }
        crate::web::mark("tfa-panel:picker-input");
        timer.set_value(crate::web::Timer::start(DEBOUNCE, move || search(0)));
    };

    // A search waiting out the debounce must not fire after the picker is gone.
    on_cleanup(move || {
        let _ = timer.try_set_value(None);
    });

    let choose = move |item: Picked| {
        selected.update(|s| {
            if single {
                s.clear();
            }
            if !s.iter().any(|x| x.id == item.id) {
                s.push(item);
            }
        });
    };
    let add_pasted = move |_| {
        for guid in pasted.get_untracked() {
            choose(Picked::from_id(guid));
        }
        query.set(String::new());
    };
    let retry = Callback::new(move |_| search(0));
    let operation = match kind {
        PickKind::People => Operation::SearchPeople,
        PickKind::Groups => Operation::SearchGroups,
    };
    let status_id = format!("{id}-status");

    view! {
        <div class="picker" data-testid=id>
            <label for=id>{tr(label)}</label>
            <ul class="chips" aria-label=move || text(kind.pick(K::picker_chosen_people, K::picker_chosen_groups))>
                <For each=move || selected.get() key=|p| (p.id.clone(), p.linked) let:item>
                    {
                        let remove_id = item.id.clone();
                        let problem = Memo::new(move |_| {
                            let i = selected.with(|s| s.iter().position(|x| x.id == remove_id))?;
                            invalid_ids.with(|v| v.iter().find(|(j, _)| *j == i).map(|(_, m)| m.clone()))
                        });
                        let remove_id = item.id.clone();
                        view! {
                            <li class="chip" class:invalid=move || problem.get().is_some() data-testid="chip">
                                <span class="chip-name" title=item.id.to_string()>{let i = item.clone(); move || i.label()}</span>
                                {let i = item.clone(); move || i.detail_text().map(|d| view! { <span class="muted">{d}</span> })}
                                <button
                                    type="button"
                                    class="icon-button"
                                    aria-label={ let item = item.clone(); move || t!(picker_remove, name = item.label()) }
                                    prop:disabled=move || disabled.get()
                                    on:click=move |_| selected.update(|s| s.retain(|x| x.id != remove_id))
                                >
                                    "×"
                                </button>
                                {move || problem.get().map(|m| view! { <span class="entry-message error">{m}</span> })}
                            </li>
                        }
                    }
                </For>
            </ul>
            <input
                id=id
                type="search"
                autocomplete="off"
                spellcheck="false"
                aria-describedby=status_id.clone()
                placeholder=move || if can_search.get() { t!(picker_placeholder_search) } else { t!(picker_placeholder_paste) }
                prop:value=move || query.get()
                on:input=on_input
                prop:disabled=move || disabled.get()
            />
            <p id=status_id class="muted" aria-live="polite" data-testid=format!("{id}-status")>
                {move || {
                    if !pasted.with(Vec::is_empty) {
                        String::new()
                    } else if !can_search.get() {
                        text(kind.pick(K::picker_cannot_search_people, K::picker_cannot_search_groups))
                    } else if searching.get() {
                        t!(picker_searching)
                    } else {
                        match total.get() {
                            Some(0) => match kind {
                                PickKind::People => t!(picker_no_people, query = query.get().trim()),
                                PickKind::Groups => t!(picker_no_groups, query = query.get().trim()),
                            },
                            Some(t) => t!(picker_showing, shown = results.with(Vec::len), n = t),
                            None => String::new(),
                        }
                    }
                }}
            </p>
            {move || (!pasted.with(Vec::is_empty)).then(|| view! {
                <button type="button" class="secondary" on:click=add_pasted data-testid=format!("{id}-add-ids")>
                    {move || match pasted.with(Vec::len) {
                        1 => t!(picker_add_pasted_one, id = pasted.with(|p| p[0].to_string())),
                        n => t!(picker_add_pasted, n = n),
                    }}
                </button>
            })}
            <ErrorBanner error=error operation on_retry=retry />
            <When when=move || query.with(|q| !q.trim().is_empty()) && !results.with(Vec::is_empty) && pasted.with(Vec::is_empty)>
                <ul class="results" aria-label=move || text(kind.pick(K::picker_matching_people, K::picker_matching_groups))>
                    <For each=move || results.get() key=|p| (p.id.clone(), p.linked) let:item>
                        {
                            let chosen_id = item.id.clone();
                            let chosen = Memo::new(move |_| selected.with(|s| s.iter().any(|x| x.id == chosen_id)));
                            let pick = item.clone();
                            view! {
                                <li>
                                    <button
                                        type="button"
                                        class="result-item"
                                        prop:disabled=move || chosen.get() || disabled.get()
                                        on:click=move |_| choose(pick.clone())
                                    >
                                        <span>{item.label()}</span>
                                        {let i = item.clone(); move || i.detail_text().map(|d| view! { <span class="muted">{d}</span> })}
                                        {move || chosen.get().then(|| view! { <span class="muted">{format!(" ({})", t!(picker_chosen))}</span> })}
                                    </button>
                                </li>
                            }
                        }
                    </For>
                    {move || {
                        let shown = results.with(Vec::len) as u64;
                        (total.get().unwrap_or(0) > shown).then(|| view! {
                            <li>
                                <button type="button" class="secondary" on:click=move |_| search(shown as u32)>
                                    {tr(K::picker_show_more)}
                                </button>
                            </li>
                        })
                    }}
                </ul>
            </When>
        </div>
    }
}
