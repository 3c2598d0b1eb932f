//! The portal's TFA history: policy changes and app links and resets from
//! the audit trail (§11), with the plan gate said plainly.

use leptos::prelude::*;

use crate::api::{ApiError, AuditEvent, Client};
use crate::components::error_banner::ErrorBanner;
use crate::components::role_notice::RoleNotice;
use crate::components::when::When;
use crate::domain::history::{is_tfa, only_latest, TFA_ACTIONS};
use crate::i18n::{format_date, tr, K};
use crate::messages::Operation;
use crate::session::{use_session, write_action, Write, WriteAction};
use crate::t;

/// The history's state; lives as long as the panel.
#[derive(Clone, Copy)]
pub struct HistoryState {
    events: RwSignal<Option<Vec<AuditEvent>>>,
    /// The plan has no audit option: the server sent its latest 20 events.
    latest_only: RwSignal<bool>,
    read: WriteAction,
    /// Bumped by each read; an older read that finishes late is dropped.
    run: StoredValue<u32>,
    /// The connection the events were read on.
    read_for: StoredValue<Option<String>>,
}

impl HistoryState {
    pub fn new() -> Self {
        HistoryState {
            events: RwSignal::new(None),
            latest_only: RwSignal::new(false),
            read: write_action(),
            run: StoredValue::new(0),
            read_for: StoredValue::new(None),
        }
    }
}

impl Default for HistoryState {
    fn default() -> Self {
        Self::new()
    }
}

/// Asks for each TFA action (the filter takes one at a time), then keeps the
/// TFA events, newest first, each once.
async fn load(client: Client, s: HistoryState, run: u32) -> Result<(), ApiError> {
    let answers =
        futures::future::join_all(TFA_ACTIONS.iter().map(|&a| client.audit_events(a))).await;
    if s.run.get_value() != run {
        return Ok(());
    }
    let mut asked = Vec::new();
    let mut all = Vec::new();
    for (action, answer) in TFA_ACTIONS.iter().zip(answers) {
        let events = answer?;
        asked.push((
            *action,
            events.iter().map(|e| e.action_id).collect::<Vec<_>>(),
        ));
        all.extend(events);
    }
    all.retain(|e| is_tfa(e.action_id));
    crate::domain::order::sort_by(&mut all, |a, b| b.date.cmp(&a.date).then(b.id.cmp(&a.id)));
    all.dedup_by(|a, b| a.id == b.id);
    s.latest_only.set(only_latest(&asked));
    s.events.set(Some(all));
    crate::web::mark("tfa-panel:history-read");
    Ok(())
}

#[component]
pub fn HistoryPage(state: HistoryState) -> impl IntoView {
    let s = state;
    let session = use_session();
    let busy = s.read.pending();
    let error = Signal::derive(move || s.read.value().get().and_then(Result::err));
    let may_see = Signal::derive(move || session.me().is_some_and(|m| m.role.can_change_policy()));
    let read = move |fresh: bool| {
        if let Some(client) = session.client() {
            let run = s.run.get_value() + 1;
            s.run.set_value(run);
            if fresh {
                // Another portal or account: the last one's events go at once.
                s.events.set(None);
                s.latest_only.set(false);
            }
            s.read.dispatch_local(Write::new(load(client, s, run)));
        }
    };
    let start = move || read(false);
    super::read_when_shown(may_see, s.read_for, read);
    view! {
        <section class="card history" aria-labelledby="history-heading">
            <h1 id="history-heading" tabindex="-1">{tr(K::history_heading)}</h1>
            <p class="lead">{tr(K::history_lead)}</p>
            <RoleNotice when=Signal::derive(move || !may_see.get()) text=Signal::derive(move || t!(history_role_notice)) />
            <When when=may_see>
                <div class="actions">
                    <button type="button" data-testid="history-load" prop:disabled=move || busy.get() on:click=move |_| start()>
                        {move || if s.events.with(Option::is_some) { t!(history_reload) } else { t!(history_load) }}
                    </button>
                </div>
                <p class="muted" role="status">{move || busy.get().then(|| t!(history_loading))}</p>
                <ErrorBanner error operation=Operation::LoadHistory on_retry=Callback::new(move |_| start()) />
                {move || s.latest_only.get().then(|| view! {
                    <p class="banner warning" role="note" data-testid="history-latest-only">{tr(K::history_latest_only)}</p>
                })}
                {move || s.events.get().map(|events| {
                    if events.is_empty() {
                        let text = if s.latest_only.get() { t!(history_none_latest) } else { t!(history_none) };
                        view! { <p data-testid="history-empty">{text}</p> }.into_any()
                    } else {
                        let n = events.len();
                        view! {
                            <p class="muted" data-testid="history-count">{move || t!(history_count, n = n)}</p>
                            <div class="table-wrap">
                                <table class="people" data-testid="history-table">
                                    <thead>
                                        <tr>
                                            <th scope="col">{tr(K::history_col_when)}</th>
                                            <th scope="col">{tr(K::history_col_who)}</th>
                                            <th scope="col">{tr(K::history_col_what)}</th>
                                            <th scope="col">{tr(K::history_col_from)}</th>
                                        </tr>
                                    </thead>
                                    <tbody>
                                        {events.into_iter().map(event_row).collect_view()}
                                    </tbody>
                                </table>
                            </div>
                        }
                        .into_any()
                    }
                })}
            </When>
        </section>
    }
}

fn event_row(e: AuditEvent) -> impl IntoView {
    let date = e.date.clone();
    let id = e.action_id;
    let server_text = e.action.clone();
    let from = [e.ip, e.browser, e.platform]
        .into_iter()
        .filter(|x| !x.is_empty())
        .collect::<Vec<_>>()
        .join(" · ");
    view! {
        <tr data-testid="history-row" data-action=id.to_string()>
            <td>{move || format_date(&date)}</td>
            <td>{e.user}</td>
            // Ours in the panel's language; the server's own words (they name the person) below.
            <td>{move || action_text(id)}<span class="muted server-action">{server_text}</span></td>
            <td class="muted">{from}</td>
        </tr>
    }
}

fn action_text(id: u32) -> String {
    match id {
        6036 => t!(history_action_6036),
        6037 => t!(history_action_6037),
        6038 => t!(history_action_6038),
        6005 => t!(history_action_6005),
        4032 => t!(history_action_4032),
        _ => t!(history_action_4033),
    }
}
