//! The trusted-IP list editor: add, edit, remove, paste many; every entry is
//! checked as it is typed, with the message on the entry itself.

use std::sync::atomic::{AtomicU64, Ordering};

use leptos::prelude::*;

use crate::i18n::{tr, K};

use crate::domain::trusted_ip::{check_list, split_pasted, EntryCheck};
use crate::domain::Server;
use crate::t;

static NEXT_KEY: AtomicU64 = AtomicU64::new(1);

/// Stands in a message for an inline element (a `<code>`): a private-use
/// character, which no translation or the pseudo-locale changes.
const SLOT: &str = "\u{E000}";

/// The text before and after the slot of a message filled with [`SLOT`]
/// (all of it before, if a translation dropped the slot).
fn around_slot(message: String) -> (String, String) {
    match message.split_once(SLOT) {
        Some((before, after)) => (before.to_string(), after.to_string()),
        None => (message, String::new()),
    }
}

/// One editable entry; the key keeps its input stable while others come and go.
/// Plain data held in the app-level form state, so it outlives the editor:
/// leaving the page and coming back finds every entry as it was typed.
#[derive(Clone, Debug, PartialEq)]
pub struct IpRow {
    pub key: u64,
    pub text: String,
}

impl IpRow {
    pub fn new(text: String) -> Self {
        IpRow {
            key: NEXT_KEY.fetch_add(1, Ordering::Relaxed),
            text,
        }
    }
}

/// The texts of the rows, in order.
pub fn texts(rows: &[IpRow]) -> Vec<String> {
    rows.iter().map(|r| r.text.clone()).collect()
}

/// The editor. `server_errors` are messages the portal attached to entries by
/// index; `server` is the portal's release, which decides what each entry
/// really does there (API notes §10).
#[component]
pub fn IpListEditor(
    rows: RwSignal<Vec<IpRow>>,
    new_ip: RwSignal<String>,
    pasted: RwSignal<String>,
    #[prop(into)] server_errors: Signal<Vec<(usize, String)>>,
    #[prop(into)] disabled: Signal<bool>,
    #[prop(into)] server: Signal<Server>,
) -> impl IntoView {
    let checks = Memo::new(move |_| server.with(|s| check_list(&rows.with(|r| texts(r)), s)));
    let add = move || {
        let text = new_ip.get();
        let pieces = split_pasted(&text);
        if pieces.is_empty() {
            return;
        }
        rows.update(|r| r.extend(pieces.into_iter().map(IpRow::new)));
        new_ip.set(String::new());
    };
    let add_pasted = move |_| {
        let pieces = split_pasted(&pasted.get());
        if !pieces.is_empty() {
            rows.update(|r| r.extend(pieces.into_iter().map(IpRow::new)));
            pasted.set(String::new());
        }
    };
    let problems = Memo::new(move |_| checks.with(|c| c.iter().filter(|c| !c.is_ok()).count()));

    view! {
        <fieldset class="ip-editor" data-testid="ip-editor">
            <legend>{tr(K::ip_editor_legend)}</legend>
            <p class="hint" id="ip-hint">
                {tr(K::ip_editor_hint)}
            </p>
            <details class="proxy-note" data-testid="proxy-note">
                <summary>{tr(K::ip_proxy_summary)}</summary>
                <p>
                    {move || around_slot(t!(ip_proxy_parameter, parameter = SLOT)).0}
                    <code>"request-x-real-ip"</code>
                    {move || around_slot(t!(ip_proxy_parameter, parameter = SLOT)).1}
                </p>
                <p>
                    {move || around_slot(t!(ip_proxy_nginx, rule = SLOT)).0}
                    <code class="mono">"if ($args ~* \"(^|&)request-x-real-ip=\") { return 403; }"</code>
                    {move || around_slot(t!(ip_proxy_nginx, rule = SLOT)).1}
                </p>
            </details>
            <p class="muted" aria-live="polite" data-testid="ip-count">
                {move || {
                    let n = rows.with(Vec::len);
                    match problems.get() {
                        0 => t!(ip_editor_count, n = n),
                        p => t!(ip_editor_count_to_fix, n = n, problems = p),
                    }
                }}
            </p>
            <ol class="ip-rows">
                <For each=move || rows.with(|r| r.iter().map(|x| x.key).collect::<Vec<_>>()) key=|key| *key let:key>
                    <IpRowView key rows checks server_errors disabled />
                </For>
            </ol>
            <div class="inline-add">
                <label for="ip-new">{tr(K::ip_editor_add_label)}</label>
                <input
                    id="ip-new"
                    type="text"
                    inputmode="text"
                    autocomplete="off"
                    spellcheck="false"
                    aria-describedby="ip-hint"
                    prop:value=move || new_ip.get()
                    on:input=move |ev| new_ip.set(event_target_value(&ev))
                    on:keydown=move |ev| {
                        if ev.key() == "Enter" {
                            ev.prevent_default();
                            add();
                        }
                    }
                    prop:disabled=move || disabled.get()
                />
                <button type="button" on:click=move |_| add() prop:disabled=move || disabled.get()>{tr(K::ip_editor_add)}</button>
            </div>
            <details class="paste">
                <summary>{tr(K::ip_editor_paste_summary)}</summary>
                <label for="ip-paste">{tr(K::ip_editor_paste_label)}</label>
                <textarea
                    id="ip-paste"
                    rows="4"
                    spellcheck="false"
                    prop:value=move || pasted.get()
                    on:input=move |ev| pasted.set(event_target_value(&ev))
                    prop:disabled=move || disabled.get()
                ></textarea>
                <button type="button" on:click=add_pasted prop:disabled=move || disabled.get()>{tr(K::ip_editor_add_all)}</button>
            </details>
        </fieldset>
    }
}

#[component]
fn IpRowView(
    key: u64,
    rows: RwSignal<Vec<IpRow>>,
    checks: Memo<Vec<EntryCheck>>,
    server_errors: Signal<Vec<(usize, String)>>,
    disabled: Signal<bool>,
) -> impl IntoView {
    let index = Memo::new(move |_| rows.with(|r| r.iter().position(|x| x.key == key)));
    let text = move || {
        rows.with(|r| {
            r.iter()
                .find(|x| x.key == key)
                .map(|x| x.text.clone())
                .unwrap_or_default()
        })
    };
    // (blocks the save, what the row says)
    let message = Memo::new(move |_| {
        let i = index.get()?;
        let local = checks.with(|c| {
            let check = c.get(i)?;
            match (&check.result, check.duplicate_of, &check.assessment) {
                (Err(e), _, _) => Some((true, e.to_string())),
                (Ok(_), Some(first), _) => Some((true, t!(ip_row_repeats, number = first + 1))),
                (Ok(_), None, Some(a)) if !a.findings.is_empty() => Some((
                    a.send.is_none(),
                    a.findings
                        .iter()
                        .map(ToString::to_string)
                        .collect::<Vec<_>>()
                        .join(" "),
                )),
                _ => None,
            }
        });
        local.or_else(|| {
            server_errors.with(|s| {
                s.iter()
                    .find(|(j, _)| *j == i)
                    .map(|(_, m)| (true, t!(ip_row_rejected, message = m)))
            })
        })
    });
    let fix = Memo::new(move |_| {
        let i = index.get()?;
        checks.with(|c| {
            let check = c.get(i)?;
            check.duplicate_of.is_none().then_some(())?;
            match (&check.result, &check.assessment) {
                (Err(e), _) => e.fix(),
                (Ok(_), Some(a)) => a.fix.clone(),
                _ => None,
            }
        })
    });
    let apply_fix = move |_| {
        if let Some(fixed) = fix.get_untracked() {
            rows.update(|r| {
                if let Some(row) = r.iter_mut().find(|x| x.key == key) {
                    row.text = fixed;
                }
            });
        }
    };
    let input_id = format!("ip-{key}");
    let message_id = format!("ip-{key}-msg");
    let invalid = move || message.with(|m| matches!(m, Some((true, _))));
    view! {
        <li class="ip-row" class:invalid=invalid data-testid="ip-row">
            <label class="sr-only" for=input_id.clone()>
                {move || t!(ip_row_label, number = index.get().map_or(0, |i| i + 1))}
            </label>
            <input
                id=input_id
                type="text"
                class="mono"
                spellcheck="false"
                autocomplete="off"
                aria-invalid=move || invalid().then_some("true")
                aria-describedby=message_id.clone()
                prop:value=text
                on:input=move |ev| {
                    let value = event_target_value(&ev);
                    rows.update(|r| {
                        if let Some(row) = r.iter_mut().find(|x| x.key == key) {
                            row.text = value;
                        }
                    });
                }
                prop:disabled=move || disabled.get()
            />
            <button
                type="button"
                class="icon-button"
                aria-label=move || t!(ip_row_remove_label, entry = text())
                on:click=move |_| rows.update(|r| r.retain(|x| x.key != key))
                prop:disabled=move || disabled.get()
            >
                {tr(K::ip_row_remove)}
            </button>
            <p id=message_id class="entry-message" class:error=invalid data-testid="ip-message">
                {move || message.get().map(|(_, m)| m)}
            </p>
            {move || fix.get().map(|fixed| view! {
                <button
                    type="button"
                    class="secondary fix-button"
                    data-testid="ip-fix"
                    on:click=apply_fix
                    prop:disabled=move || disabled.get()
                >
                    {move || t!(ip_row_use_fix, fix = &fixed)}
                </button>
            })}
        </li>
    }
}
