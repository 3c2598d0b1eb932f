//! The overview's bulk reset (owner only, API notes §4.5): the selection,
//! a review that is confirmed by typing the count, and the run itself with
//! its progress, pause, cancel, per-person results, "retry failed" and a
//! CSV of the results. The run's rules are `domain::bulk`; this sends what
//! the run hands out.

use std::collections::HashSet;

use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::api::{ApiError, Refusal};
use crate::components::when::When;
use crate::domain::bulk::{typed_count, Answer, Halt, Run, Status, Tally, CONCURRENCY};
use crate::domain::enrolment::csv;
use crate::domain::{Guid, TfaMethod};
use crate::i18n::{tr, K};
use crate::messages::Operation;
use crate::session::{use_session, Session};
use crate::t;

/// Rows of results shown at once.
const ROWS: usize = 25;
/// Names listed in the review before "and N more".
const REVIEW_NAMES: usize = 10;

/// What the overview shows in place of its list.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Stage {
    /// The list (with checkboxes for the owner).
    List,
    /// The review of the selection, before anything is sent.
    Review,
    /// A run in progress or its results.
    Run,
}

/// The bulk reset's state; lives as long as the panel, so a run goes on
/// while another task is shown.
#[derive(Clone, Copy)]
pub struct BulkState {
    pub selected: RwSignal<HashSet<Guid>>,
    pub stage: RwSignal<Stage>,
    run: RwSignal<Option<Run<ApiError>>>,
    /// The people in the review: `(id, name, e-mail)`.
    review: RwSignal<Vec<(Guid, String, String)>>,
    typed: RwSignal<String>,
    /// The connection the run belongs to; it sends on no other.
    key: StoredValue<Option<String>>,
    /// The connection changed under the run: it waits.
    elsewhere: RwSignal<bool>,
    /// `Some(method)` where the portal honours a method (the seed contract).
    method: StoredValue<Option<TfaMethod>>,
    /// The results filter: only the failed.
    failed_only: RwSignal<bool>,
    page: RwSignal<usize>,
}

impl BulkState {
    pub fn new() -> Self {
        let s = BulkState {
            selected: RwSignal::new(HashSet::new()),
            stage: RwSignal::new(Stage::List),
            run: RwSignal::new(None),
            review: RwSignal::new(Vec::new()),
            typed: RwSignal::new(String::new()),
            key: StoredValue::new(None),
            elsewhere: RwSignal::new(false),
            method: StoredValue::new(None),
            failed_only: RwSignal::new(false),
            page: RwSignal::new(0),
        };
        // Closing or reloading the tab mid-run asks first.
        let guard = window_event_listener(leptos::ev::beforeunload, move |ev| {
            if s.active_untracked() {
                ev.prevent_default();
                ev.set_return_value("");
            }
        });
        on_cleanup(move || guard.remove());
        s
    }

    fn active_untracked(&self) -> bool {
        self.run
            .with_untracked(|r| r.as_ref().is_some_and(Run::active))
    }

    /// Forgets the selection and any finished run (another connection).
    pub fn clear(&self) {
        if self.active_untracked() {
            return;
        }
        self.selected.set(HashSet::new());
        self.run.set(None);
        self.stage.set(Stage::List);
        self.elsewhere.set(false);
    }

    /// The ids reset so far (the list shows them as unlinked).
    pub fn done_ids(&self) -> HashSet<Guid> {
        self.run.with_untracked(|r| {
            r.iter()
                .flat_map(|r| r.items())
                .filter(|it| matches!(it.status, Status::Done))
                .map(|it| it.id.clone())
                .collect()
        })
    }

    /// Opens the review of these people.
    pub fn review(&self, people: Vec<(Guid, String, String)>) {
        self.review.set(people);
        self.typed.set(String::new());
        self.stage.set(Stage::Review);
        crate::web::focus_id("bulk-review-heading");
    }
}

impl Default for BulkState {
    fn default() -> Self {
        Self::new()
    }
}

/// Hands out people to send until the run says stop; each answer sends the
/// next. Marks `tfa-panel:bulk-idle` when nothing is in flight any more.
fn pump(b: BulkState, session: Session) {
    loop {
        if session.key() != b.key.get_value() {
            // Disconnected, or another portal or account: wait for this one.
            b.run.update(|r| {
                if let Some(r) = r {
                    r.pause();
                }
            });
            b.elsewhere.set(true);
            return;
        }
        let Some(client) = session.client() else {
            return;
        };
        let next = b
            .run
            .try_update(|r| {
                r.as_mut()
                    .and_then(|r| r.take_next().map(|i| (i, r.items()[i].id.clone())))
            })
            .flatten();
        let Some((i, id)) = next else {
            mark_if_idle(b);
            return;
        };
        let method = b.method.get_value();
        spawn_local(async move {
            let started = crate::web::now_ms();
            let answer = match client.set_user_method(&id, method).await {
                Ok(_) => Answer::Done,
                Err(ApiError::Unauthorized { .. }) => Answer::SignedOut,
                Err(e) if e.refusal() == Some(Refusal::NotAvailable) => Answer::NoApp,
                Err(e) => Answer::Failed(e),
            };
            let took = crate::web::now_ms() - started;
            b.run.update(|r| {
                if let Some(r) = r {
                    r.finish(i, answer, took);
                }
            });
            pump(b, session);
        });
    }
}

/// The selection bar above the list: select all matching, clear, review.
#[component]
pub fn SelectionBar(
    b: BulkState,
    /// The selectable people among the rows shown by the filters.
    matching: Signal<Vec<Guid>>,
    /// Opens the review of the selection.
    on_review: Callback<()>,
) -> impl IntoView {
    let n = move || b.selected.with(HashSet::len);
    view! {
        <div class="actions bulk-bar" data-testid="bulk-bar">
            <button
                type="button"
                class="secondary"
                data-testid="bulk-select-all"
                prop:disabled=move || matching.with(Vec::is_empty)
                on:click=move |_| {
                    let ids = matching.get_untracked();
                    b.selected.update(|s| s.extend(ids));
                }
            >
                {move || t!(bulk_select_all, n = matching.with(Vec::len))}
            </button>
            <button
                type="button"
                class="secondary"
                data-testid="bulk-clear"
                prop:disabled=move || n() == 0
                on:click=move |_| b.selected.set(HashSet::new())
            >
                {tr(K::bulk_clear)}
            </button>
            <span class="muted" data-testid="bulk-selected" aria-live="polite">{move || t!(bulk_selected, n = n())}</span>
            <button
                type="button"
                class="danger"
                data-testid="bulk-review"
                prop:disabled=move || n() == 0
                on:click=move |_| on_review.run(())
            >
                {tr(K::bulk_reset_selected)}
            </button>
        </div>
    }
}

/// The review: who, what DocSpace will do to them, and the typed count.
#[component]
pub fn Review(b: BulkState) -> impl IntoView {
    let session = use_session();
    let n = move || b.review.with(Vec::len);
    let matches = move || b.typed.with(|t| typed_count(t)) == Some(n());
    let wrong = move || b.typed.with(|t| !t.trim().is_empty()) && !matches();
    let start = move || {
        if !matches() {
            return;
        }
        // Moved into the run, not copied: a run of thousands holds one list.
        let people = b.review.try_update(std::mem::take).unwrap_or_default();
        b.key.set_value(session.key());
        b.method.set_value(
            session
                .server()
                .honours_user_method()
                .then_some(TfaMethod::App),
        );
        b.elsewhere.set(false);
        b.failed_only.set(false);
        b.page.set(0);
        b.run.set(Some(Run::new(people)));
        b.selected.set(HashSet::new());
        b.stage.set(Stage::Run);
        crate::web::focus_id("bulk-run-heading");
        pump(b, session);
    };
    view! {
        <section class="bulk-review" aria-labelledby="bulk-review-heading" data-testid="bulk-review-step">
            <h2 id="bulk-review-heading" tabindex="-1">{tr(K::bulk_review_heading)}</h2>
            <p>{move || t!(bulk_review_lead, n = n())}</p>
            <p>{tr(K::bulk_review_what)}</p>
            <ul>
                <li>{tr(K::bulk_effect_unlink)}</li>
                <li>{tr(K::bulk_effect_signout)}</li>
                <li>{tr(K::bulk_effect_mail)}</li>
            </ul>
            <ul class="bulk-names" data-testid="bulk-review-names">
                {move || b.review.with(|people| {
                    people
                        .iter()
                        .take(REVIEW_NAMES)
                        .map(|(_, name, email)| view! {
                            <li><span class="person-name">{name.clone()}</span>" "<span class="muted">{email.clone()}</span></li>
                        })
                        .collect_view()
                })}
                {move || (n() > REVIEW_NAMES).then(|| view! { <li class="muted">{t!(bulk_review_more, n = n() - REVIEW_NAMES)}</li> })}
            </ul>
            <p class="muted">{tr(K::bulk_you_excluded)}</p>
            <p class="muted">{move || t!(bulk_review_pace, n = CONCURRENCY)}</p>
            <form on:submit=move |ev| { ev.prevent_default(); start(); }>
                <label for="bulk-typed">{move || t!(bulk_confirm_label, n = n())}</label>
                <input
                    id="bulk-typed"
                    data-testid="bulk-typed"
                    inputmode="numeric"
                    autocomplete="off"
                    aria-describedby="bulk-typed-error"
                    aria-invalid=move || wrong().then_some("true")
                    prop:value=move || b.typed.get()
                    on:input=move |ev| b.typed.set(event_target_value(&ev))
                />
                <p id="bulk-typed-error" class="field-error" data-testid="bulk-typed-error">
                    {move || wrong().then(|| t!(bulk_confirm_mismatch, n = n()))}
                </p>
                <div class="actions">
                    <button type="submit" class="danger" data-testid="bulk-start" prop:disabled=move || !matches()>
                        {move || t!(bulk_start, n = n())}
                    </button>
                    <button type="button" class="secondary" data-testid="bulk-back" on:click=move |_| {
                        b.stage.set(Stage::List);
                        crate::web::focus_id("overview-heading");
                    }>
                        {tr(K::bulk_back)}
                    </button>
                </div>
            </form>
        </section>
    }
}

/// Nothing in flight: the run has stopped or finished (the tests and the
/// benchmark wait for this mark).
fn mark_if_idle(b: BulkState) {
    if b.run
        .with_untracked(|r| r.as_ref().is_some_and(|r| r.in_flight() == 0))
    {
        crate::web::mark("tfa-panel:bulk-idle");
    }
}

/// The run: progress, estimate, pause, cancel, results.
#[component]
pub fn RunView(
    b: BulkState,
    /// Called when the results are closed, with the ids reset.
    on_close: Callback<HashSet<Guid>>,
) -> impl IntoView {
    let session = use_session();
    let tally = Memo::new(move |_| {
        b.run
            .with(|r| r.as_ref().map(Run::tally).unwrap_or_default())
    });
    let halt = Memo::new(move |_| {
        b.run
            .with(|r| r.as_ref().map(Run::halt).unwrap_or(Halt::No))
    });
    let active = Memo::new(move |_| b.run.with(|r| r.as_ref().is_some_and(Run::active)));
    let left = Memo::new(move |_| b.run.with(|r| r.as_ref().and_then(Run::millis_left)));
    let change = move |f: fn(&mut Run<ApiError>)| {
        b.run.update(|r| {
            if let Some(r) = r {
                f(r);
            }
        });
    };
    // Pause and Cancel: the run may be idle at once.
    let act = move |f: fn(&mut Run<ApiError>)| {
        change(f);
        mark_if_idle(b);
    };
    // Resume, "Retry failed" and "Send the rest": change the run, then send.
    // No idle mark here: the run is about to send, and `pump` marks when it
    // is idle again (an early mark let a waiting test read a run mid-way).
    let restart = move |f: fn(&mut Run<ApiError>)| {
        b.elsewhere.set(false);
        change(f);
        pump(b, session);
    };
    let resume = move |_| restart(Run::resume);
    let retry = move |_| {
        restart(|r| {
            r.retry_failed();
        })
    };
    let send_rest = move |_| {
        restart(|r| {
            r.send_rest();
        })
    };
    let export = move |_| {
        let header = [
            t!(overview_col_name),
            t!(overview_col_email),
            t!(bulk_col_result),
            t!(bulk_col_reason),
        ];
        let text = b.run.with_untracked(|r| {
            let items = r.as_ref().map(Run::items).unwrap_or_default();
            csv(
                &header,
                items.iter().map(|it| {
                    vec![
                        it.name.clone(),
                        it.email.clone(),
                        status_text(&it.status),
                        reason_text(&it.status),
                    ]
                }),
            )
        });
        crate::web::download("tfa-bulk-reset.csv", "text/csv;charset=utf-8", &text);
    };
    // The results shown: everyone or the failed only, 50 at a time.
    let shown = Memo::new(move |_| {
        let failed_only = b.failed_only.get();
        b.run.with(|r| {
            r.as_ref()
                .map(|r| {
                    r.items()
                        .iter()
                        .enumerate()
                        .filter(|(_, it)| !failed_only || matches!(it.status, Status::Failed(_)))
                        .map(|(i, _)| i)
                        .collect::<Vec<_>>()
                })
                .unwrap_or_default()
        })
    });
    let pages = move || shown.with(|s| s.len().div_ceil(ROWS).max(1));
    Effect::new(move |_| {
        b.failed_only.track();
        b.page.set(0);
    });

    view! {
        <section class="bulk-run" aria-labelledby="bulk-run-heading" data-testid="bulk-run">
            <h2 id="bulk-run-heading" tabindex="-1">{tr(K::bulk_run_heading)}</h2>
            <div class="progress">
                <progress
                    aria-labelledby="bulk-progress-text"
                    max=move || tally.get().total.max(1).to_string()
                    value=move || tally.get().answered().to_string()
                ></progress>
                <p id="bulk-progress-text" data-testid="bulk-progress" role="status">
                    {move || {
                        let t = tally.get();
                        let mut line = t!(bulk_progress, answered = t.answered(), n = t.total);
                        if active.get() && halt.get() == Halt::No {
                            if let Some(ms) = left.get() {
                                line.push(' ');
                                line.push_str(&eta_text(ms));
                            }
                        }
                        line
                    }}
                </p>
            </div>
            <ul class="bulk-tally" data-testid="bulk-tally">
                {move || tally_items(tally.get())}
            </ul>
            <p class="banner" role="status" data-testid="bulk-state" class:warning=move || halt.get() != Halt::No>
                {move || state_text(tally.get(), halt.get(), b.elsewhere.get())}
            </p>
            <div class="actions">
                <When when=move || halt.get() == Halt::No && active.get()>
                    <button type="button" class="secondary" data-testid="bulk-pause" on:click=move |_| act(Run::pause)>{tr(K::bulk_pause)}</button>
                </When>
                <When when=move || matches!(halt.get(), Halt::Paused | Halt::SignedOut) && tally.with(|t| t.waiting > 0)>
                    <button type="button" data-testid="bulk-resume" on:click=resume>{tr(K::bulk_resume)}</button>
                </When>
                <When when=move || halt.get() != Halt::Cancelled && tally.with(|t| t.waiting > 0)>
                    <button type="button" class="danger" data-testid="bulk-cancel" on:click=move |_| act(Run::cancel)>{tr(K::bulk_cancel)}</button>
                </When>
                <When when=move || !active.get() && tally.with(|t| t.failed > 0)>
                    <button type="button" data-testid="bulk-retry" on:click=retry>{move || t!(bulk_retry, n = tally.get().failed)}</button>
                </When>
                <When when=move || !active.get() && tally.with(|t| t.not_sent > 0)>
                    <button type="button" class="secondary" data-testid="bulk-send-rest" on:click=send_rest>{move || t!(bulk_send_rest, n = tally.get().not_sent)}</button>
                </When>
                <button type="button" class="secondary" data-testid="bulk-export" on:click=export>{tr(K::bulk_export)}</button>
                <When when=move || !active.get()>
                    <button type="button" class="secondary" data-testid="bulk-close" on:click=move |_| {
                        on_close.run(b.done_ids());
                        b.run.set(None);
                        b.stage.set(Stage::List);
                        crate::web::focus_id("overview-heading");
                    }>{tr(K::bulk_close)}</button>
                </When>
            </div>
            <label class="checkbox">
                <input type="checkbox" data-testid="bulk-failed-only" prop:checked=move || b.failed_only.get() on:change=move |ev| b.failed_only.set(event_target_checked(&ev)) />
                {tr(K::bulk_failed_only)}
            </label>
            <div class="table-wrap">
                <table class="people" data-testid="bulk-results">
                    <thead>
                        <tr>
                            <th scope="col">{tr(K::bulk_col_person)}</th>
                            <th scope="col">{tr(K::bulk_col_result)}</th>
                        </tr>
                    </thead>
                    <tbody>
                        {move || {
                            let page = b.page.get();
                            shown.with(|shown| b.run.with(|r| {
                                let items = r.as_ref().map(Run::items).unwrap_or_default();
                                shown
                                    .iter()
                                    .skip(page * ROWS)
                                    .take(ROWS)
                                    .map(|&i| result_row(&items[i].name, &items[i].email, &items[i].status))
                                    .collect_view()
                            }))
                        }}
                    </tbody>
                </table>
            </div>
            <div class="actions pager">
                <button type="button" class="secondary" data-testid="bulk-prev" prop:disabled=move || b.page.get() == 0 on:click=move |_| b.page.update(|p| *p = p.saturating_sub(1))>
                    {tr(K::overview_prev)}
                </button>
                <span class="muted">{move || t!(overview_page, page = b.page.get() + 1, n = pages())}</span>
                <button type="button" class="secondary" data-testid="bulk-next" prop:disabled=move || pages() <= b.page.get() + 1 on:click=move |_| b.page.update(|p| *p += 1)>
                    {tr(K::overview_next)}
                </button>
            </div>
        </section>
    }
}

fn tally_items(t: Tally) -> impl IntoView {
    [
        (t.done, "done", t!(bulk_tally_done, n = t.done)),
        (t.failed, "failed", t!(bulk_tally_failed, n = t.failed)),
        (t.no_app, "no-app", t!(bulk_tally_no_app, n = t.no_app)),
        (
            t.not_sent,
            "not-sent",
            t!(bulk_tally_not_sent, n = t.not_sent),
        ),
        (
            t.waiting + t.sending,
            "left",
            t!(bulk_tally_left, n = t.waiting + t.sending),
        ),
    ]
    .into_iter()
    .filter(|(n, k, _)| *n > 0 || *k == "done")
    .map(|(_, k, text)| view! { <li data-kind=k>{text}</li> })
    .collect_view()
}

fn state_text(t: Tally, halt: Halt, elsewhere: bool) -> String {
    match halt {
        _ if elsewhere && t.waiting > 0 => t!(bulk_state_elsewhere),
        Halt::SignedOut => t!(bulk_state_signed_out),
        Halt::Paused if t.sending > 0 => t!(bulk_state_pausing, n = t.sending),
        Halt::Paused => t!(bulk_state_paused),
        Halt::Cancelled if t.sending > 0 => t!(bulk_state_cancelling, n = t.sending),
        Halt::Cancelled => t!(bulk_state_cancelled, n = t.not_sent),
        Halt::No if t.waiting + t.sending > 0 => t!(bulk_state_sending, n = CONCURRENCY),
        Halt::No if t.failed > 0 => t!(bulk_state_finished_failures, n = t.failed),
        Halt::No => t!(bulk_state_finished),
    }
}

fn eta_text(ms: f64) -> String {
    let secs = (ms / 1000.0).ceil().max(1.0) as u64;
    if secs < 90 {
        t!(bulk_eta_seconds, n = secs)
    } else {
        t!(bulk_eta_minutes, n = secs.div_ceil(60))
    }
}

fn status_text(s: &Status<ApiError>) -> String {
    match s {
        Status::Waiting => t!(bulk_status_waiting),
        Status::Sending => t!(bulk_status_sending),
        Status::Done => t!(bulk_status_done),
        Status::Failed(_) => t!(bulk_status_failed),
        Status::NoApp => t!(bulk_status_no_app),
        Status::NotSent => t!(bulk_status_not_sent),
    }
}

/// Why a call failed: the error in words, the server's own text, and for an
/// answer that never came, that the reset may have happened anyway.
fn reason_text(s: &Status<ApiError>) -> String {
    let Status::Failed(e) = s else {
        return String::new();
    };
    let x = e.explain(Operation::SetUserMethod(None));
    let mut out = x.title;
    if let Some(m) = x.server_message {
        out.push_str(" “");
        out.push_str(&m);
        out.push('”');
    }
    if matches!(e, ApiError::Timeout | ApiError::Network) {
        out.push(' ');
        out.push_str(&t!(bulk_maybe_done));
    }
    out
}

fn result_row(name: &str, email: &str, status: &Status<ApiError>) -> impl IntoView {
    let kind = match status {
        Status::Waiting => "waiting",
        Status::Sending => "sending",
        Status::Done => "done",
        Status::Failed(_) => "failed",
        Status::NoApp => "no-app",
        Status::NotSent => "not-sent",
    };
    let status = status.clone();
    let status2 = status.clone();
    let result = move || status_text(&status);
    let reason = move || reason_text(&status2);
    view! {
        <tr data-testid="bulk-row" data-status=kind>
            <td><span class="person-name">{name.to_string()}</span><span class="muted person-email">{email.to_string()}</span></td>
            <td><span class="bulk-status">{result}</span><span class="muted bulk-reason">{reason}</span></td>
        </tr>
    }
}
