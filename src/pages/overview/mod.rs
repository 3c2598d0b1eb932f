//! "Who is protected": everyone on the portal, read page by page (§11), with
//! whether they have linked an authenticator app, whether the policy makes
//! TFA mandatory for them, counts, filters, order and a CSV export.

use leptos::prelude::*;

use crate::api::{ApiError, Client};
use crate::components::error_banner::ErrorBanner;
use crate::components::role_notice::RoleNotice;
use crate::components::when::When;
use crate::domain::enrolment::{
    self, count, csv, haystack, requirement, Filter, Mandatory, Person, Requirement, SortBy,
    StateFilter,
};
use crate::domain::{Guid, Policy, Role, TfaMethod};
use crate::i18n::{tr, K};
use crate::messages::Operation;
use crate::session::{use_session, write_action, Write, WriteAction};
use crate::t;

mod bulk;

use bulk::{BulkState, Review, RunView, SelectionBar, Stage};

/// The server's page size maximum (`count` ≤ 100, §11).
const PAGE: u32 = 100;
/// Rows shown at once: the list is paginated, so 50,000 people stay smooth.
const ROWS: usize = 50;

/// The overview's state; lives as long as the panel.
#[derive(Clone, Copy)]
pub struct OverviewState {
    people: RwSignal<Vec<Person>>,
    /// The envelope's `total`: how many people the portal has.
    total: RwSignal<Option<u64>>,
    /// People read so far (the list may show fewer until it catches up).
    read_n: RwSignal<usize>,
    /// The read was cancelled before the end.
    stopped: RwSignal<bool>,
    /// Bumped to cancel the read in progress (it checks between pages).
    run: StoredValue<u32>,
    read: WriteAction,
    state: RwSignal<StateFilter>,
    role: RwSignal<Option<Role>>,
    group: RwSignal<Option<Guid>>,
    text: RwSignal<String>,
    sort: RwSignal<SortBy>,
    descending: RwSignal<bool>,
    page: RwSignal<usize>,
    /// The connection the list was read on.
    read_for: StoredValue<Option<String>>,
    bulk: BulkState,
}

impl OverviewState {
    pub fn new() -> Self {
        OverviewState {
            people: RwSignal::new(Vec::new()),
            total: RwSignal::new(None),
            read_n: RwSignal::new(0),
            stopped: RwSignal::new(false),
            run: StoredValue::new(0),
            read: write_action(),
            state: RwSignal::new(StateFilter::All),
            role: RwSignal::new(None),
            group: RwSignal::new(None),
            text: RwSignal::new(String::new()),
            sort: RwSignal::new(SortBy::Name),
            descending: RwSignal::new(false),
            page: RwSignal::new(0),
            read_for: StoredValue::new(None),
            bulk: BulkState::new(),
        }
    }
}

impl Default for OverviewState {
    fn default() -> Self {
        Self::new()
    }
}

/// How often the list (counts, filters, order) takes in the pages read:
/// recomputing 50,000 rows for every page would cost more than the reading.
const PUBLISH_MS: f64 = 400.0;

/// Pages asked for at once after the first: the server answers each page on
/// its own, and four in flight cut a 50,000-person read to about a quarter
/// without queueing hundreds of requests on the portal.
const IN_FLIGHT: u32 = 4;

/// Reads everyone: the first page says how many there are, then the rest,
/// a few pages at a time, appended in order as they arrive. Stops when the
/// run is cancelled (another run started, or Cancel).
async fn read_everyone(client: Client, s: OverviewState, run: u32) -> Result<(), ApiError> {
    let first = client.people_page(0, PAGE).await?;
    if s.run.get_value() != run {
        return Ok(());
    }
    let total = first.total;
    let got = first.items.len() as u32;
    s.total.set(Some(total));
    s.read_n.set(first.items.len());
    s.people.set(first.items);
    // Pages read since the list was last shown: the list (and everything
    // computed from it) follows every `PUBLISH_MS`, the progress every page.
    let mut pending: Vec<Person> = Vec::new();
    let mut shown_at = crate::web::now_ms();
    let mut start = got;
    let mut more = got == PAGE && u64::from(start) < total;
    while more {
        let starts: Vec<u32> = (0..IN_FLIGHT)
            .map(|k| start + k * PAGE)
            .take_while(|&st| u64::from(st) < total)
            .collect();
        let pages =
            futures::future::join_all(starts.iter().map(|&st| client.people_page(st, PAGE))).await;
        if s.run.get_value() != run {
            if s.stopped.get_untracked() {
                // Cancel: everyone read so far is shown (not after a new read began).
                s.people.update(|p| p.append(&mut pending));
                s.read_n.set(s.people.with_untracked(Vec::len));
            }
            return Ok(());
        }
        for page in pages {
            let page = match page {
                Ok(page) => page,
                Err(e) => {
                    // What was read stays on screen with the error.
                    s.people.update(|p| p.append(&mut pending));
                    return Err(e);
                }
            };
            let n = page.items.len() as u32;
            s.total.set(Some(page.total));
            pending.extend(page.items);
            start += n;
            if n < PAGE {
                more = false;
            }
        }
        s.read_n.update(|r| *r = start as usize);
        let now = crate::web::now_ms();
        if now - shown_at >= PUBLISH_MS {
            s.people.update(|p| p.append(&mut pending));
            shown_at = now;
        }
        more = more && u64::from(start) < total;
    }
    // A person moved between pages while they were read counts once.
    s.people.update(|p| {
        p.append(&mut pending);
        enrolment::dedup(p);
    });
    s.read_n.set(s.people.with_untracked(Vec::len));
    crate::web::mark("tfa-panel:overview-read");
    Ok(())
}

#[component]
pub fn OverviewPage(state: OverviewState) -> impl IntoView {
    let s = state;
    let session = use_session();
    let busy = s.read.pending();
    let error = Signal::derive(move || s.read.value().get().and_then(Result::err));
    let may_see = Signal::derive(move || session.me().is_some_and(|m| m.role.can_change_policy()));
    let policy = Memo::new(move |_| {
        session.current().map(|c| c.policy).unwrap_or(Policy {
            method: TfaMethod::None,
            trusted_ips: Vec::new(),
            mandatory_users: Vec::new(),
            mandatory_groups: Vec::new(),
        })
    });
    let app_on = Memo::new(move |_| session.current().map(|c| c.policy.method == TfaMethod::App));

    let start = move || {
        let Some(client) = session.client() else {
            return;
        };
        let run = s.run.get_value() + 1;
        s.run.set_value(run);
        s.people.set(Vec::new());
        s.total.set(None);
        s.read_n.set(0);
        s.stopped.set(false);
        s.page.set(0);
        s.read
            .dispatch_local(Write::new(read_everyone(client, s, run)));
    };
    let cancel = move |_| {
        s.run.update_value(|r| *r += 1);
        s.stopped.set(true);
    };
    // Read when the page first shows on this connection, if allowed.
    super::read_when_shown(may_see, s.read_for, move |fresh| {
        if fresh {
            // Another portal or account: its selection and results are not this one's.
            s.bulk.clear();
        }
        start();
    });

    // Per load: each person's requirement and search text, computed once.
    let requirements = Memo::new(move |_| {
        policy.with(|pol| {
            s.people
                .with(|ps| ps.iter().map(|p| requirement(p, pol)).collect::<Vec<_>>())
        })
    });
    let keys = Memo::new(move |_| {
        s.people.with(|ps| {
            let lower = crate::web::lowercase_each(
                ps.iter().flat_map(|p| [p.name.as_str(), p.email.as_str()]),
            );
            let mut hay = Vec::with_capacity(ps.len());
            let mut names = Vec::with_capacity(ps.len());
            for pair in lower.chunks_exact(2) {
                hay.push(haystack(&pair[0], &pair[1]));
                names.push(pair[0].clone());
            }
            (hay, names)
        })
    });
    let counts = Memo::new(move |_| policy.with(|pol| s.people.with(|ps| count(ps, pol))));
    let groups = Memo::new(move |_| {
        let all: Vec<(Guid, String)> = s
            .people
            .with(|ps| ps.iter().flat_map(|p| p.groups.iter().cloned()).collect());
        let lower = crate::web::lowercase_each(all.iter().map(|g| g.1.as_str()));
        let mut keyed: Vec<(String, Guid, String)> = lower
            .into_iter()
            .zip(all)
            .map(|(key, (id, name))| (key, id, name))
            .collect();
        crate::domain::order::sort_by(&mut keyed, |a, b| {
            a.0.cmp(&b.0).then(a.1.as_str().cmp(b.1.as_str()))
        });
        keyed.dedup_by(|a, b| a.1 == b.1);
        keyed
            .into_iter()
            .map(|(_, id, name)| (id, name))
            .collect::<Vec<_>>()
    });
    let filter = Memo::new(move |_| Filter {
        state: s.state.get(),
        role: s.role.get(),
        group: s.group.get(),
        text: s.text.get().trim().to_string(),
    });
    // Everyone in the chosen order, sorted once per load and order: a filter
    // keeps this order, so a keystroke only filters (50,000 rows in a frame).
    let ordered = Memo::new(move |_| {
        let (by, descending) = (s.sort.get(), s.descending.get());
        s.people.with(|ps| {
            requirements.with(|reqs| {
                keys.with(|(_, names)| {
                    let mut all: Vec<usize> = (0..ps.len()).collect();
                    enrolment::sort(&mut all, ps, reqs, names, by, descending);
                    all
                })
            })
        })
    });
    // The filtered rows, in order (indexes into people).
    let rows = Memo::new(move |_| {
        let f = filter.get();
        let needle = crate::web::lowercase(&f.text);
        let rows = s.people.with(|ps| {
            requirements.with(|reqs| {
                keys.with(|(hay, _)| {
                    ordered.with(|all| {
                        all.iter()
                            .copied()
                            .filter(|&i| f.matches(&ps[i], &reqs[i], &hay[i], &needle))
                            .collect::<Vec<_>>()
                    })
                })
            })
        });
        // Each time the rows are computed, changed or not (the benchmark's keystroke).
        crate::web::mark("tfa-panel:overview-rows");
        rows
    });
    // A filter change goes back to the first page.
    Effect::new(move |_| {
        filter.track();
        s.page.set(0);
    });
    let pages = move || rows.with(|r| r.len().div_ceil(ROWS).max(1));

    // The bulk reset: the owner only (DocSpace refuses admins, §4.5), and
    // only while app TFA is on (otherwise nobody shows a linked app).
    let b = s.bulk;
    let me_id = Memo::new(move |_| session.me().map(|m| m.id));
    let owner = Memo::new(move |_| session.me().is_some_and(|m| m.role == Role::Owner));
    let can_bulk = Memo::new(move |_| owner.get() && app_on.get() == Some(true));
    // Who "select all" takes: people shown by the filters with an app
    // linked, never yourself (resetting yourself signs you out).
    let matching = Memo::new(move |_| {
        if !can_bulk.get() {
            return Vec::new();
        }
        let me = me_id.get();
        rows.with(|rows| {
            s.people.with(|ps| {
                rows.iter()
                    .map(|&i| &ps[i])
                    .filter(|p| p.linked == Some(true) && Some(&p.id) != me.as_ref())
                    .map(|p| p.id.clone())
                    .collect::<Vec<_>>()
            })
        })
    });
    let on_review = Callback::new(move |_| {
        let chosen = b.selected.get_untracked();
        let people = s.people.with_untracked(|ps| {
            ps.iter()
                .filter(|p| chosen.contains(&p.id))
                .map(|p| (p.id.clone(), p.name.clone(), p.email.clone()))
                .collect()
        });
        b.review(people);
    });
    // Closing the results: the list shows the people reset as unlinked.
    let on_close = Callback::new(move |done: std::collections::HashSet<Guid>| {
        if !done.is_empty() {
            s.people.update(|ps| {
                for p in ps.iter_mut().filter(|p| done.contains(&p.id)) {
                    p.linked = Some(false);
                }
            });
        }
    });
    let select = Selection {
        on: can_bulk,
        me: me_id,
        chosen: b.selected,
    };

    let export = move |_| {
        let header = [
            t!(overview_col_name),
            t!(overview_col_email),
            t!(overview_col_role),
            t!(overview_col_app),
            t!(overview_col_mandatory),
            t!(overview_col_requires),
        ];
        let text = s.people.with_untracked(|ps| {
            requirements.with_untracked(|reqs| {
                rows.with_untracked(|rows| {
                    csv(
                        &header,
                        rows.iter().map(|&i| {
                            vec![
                                ps[i].name.clone(),
                                ps[i].email.clone(),
                                ps[i].role.label(),
                                linked_text(ps[i].linked),
                                mandatory_text(&reqs[i]),
                                requires_text(&reqs[i]),
                            ]
                        }),
                    )
                })
            })
        });
        crate::web::download("tfa-overview.csv", "text/csv;charset=utf-8", &text);
    };

    view! {
        <section class="card overview" aria-labelledby="overview-heading">
            <h1 id="overview-heading" tabindex="-1">{tr(K::overview_heading)}</h1>
            <p class="lead">{tr(K::overview_lead)}</p>
            <RoleNotice when=Signal::derive(move || !may_see.get()) text=Signal::derive(move || t!(overview_role_notice)) />
            <When when=may_see>
                {move || (app_on.get() == Some(false)).then(|| view! {
                    <p class="banner warning" role="note" data-testid="overview-no-app">{tr(K::overview_app_off)}</p>
                })}
                <div class="actions">
                    <button type="button" data-testid="overview-read" prop:disabled=move || busy.get() on:click=move |_| start()>
                        {move || if s.total.with(Option::is_some) { t!(overview_read_again) } else { t!(overview_read) }}
                    </button>
                    <When when=busy>
                        <button type="button" class="secondary" data-testid="overview-cancel" on:click=cancel>{tr(K::overview_cancel)}</button>
                    </When>
                    <button type="button" class="secondary" data-testid="overview-export" prop:disabled=move || rows.with(Vec::is_empty) on:click=export>
                        {tr(K::overview_export)}
                    </button>
                </div>
                <div class="progress" data-testid="overview-progress">
                    <progress
                        aria-labelledby="overview-progress-text"
                        max=move || s.total.get().unwrap_or(0).max(1).to_string()
                        value=move || s.read_n.get().to_string()
                    ></progress>
                    <p id="overview-progress-text" class="muted" role="status">
                        {move || {
                            let read = s.read_n.get();
                            // Cancelled, or a page failed (the banner says why):
                            // never "All … read" for a list that is not whole.
                            let cut = s.stopped.get() || error.with(Option::is_some);
                            match (s.total.get(), busy.get(), cut) {
                                (None, true, _) => t!(overview_starting),
                                (Some(total), true, _) => t!(overview_progress, read = read, n = total),
                                (Some(total), false, true) => {
                                    t!(overview_stopped, read = s.people.with(Vec::len), n = total)
                                }
                                (Some(total), false, false) => t!(overview_done, n = total),
                                (None, false, _) => String::new(),
                            }
                        }}
                    </p>
                </div>
                <ErrorBanner error operation=Operation::SearchPeople on_retry=Callback::new(move |_| start()) />
                <p class="counts" data-testid="overview-counts">
                    {move || {
                        let c = counts.get();
                        if c.people == 0 {
                            String::new()
                        } else if app_on.get() == Some(true) {
                            format!(
                                "{} {} {}",
                                t!(overview_count_need, n = c.need, total = c.people),
                                t!(overview_count_linked, n = c.linked),
                                t!(overview_count_not_linked, n = c.not_linked),
                            )
                        } else {
                            t!(overview_count_need_only, n = c.need, total = c.people)
                        }
                    }}
                </p>
                {move || (app_on.get() == Some(true) && !owner.get()).then(|| view! {
                    <p class="muted" data-testid="bulk-owner-only">{tr(K::bulk_owner_only)}</p>
                })}
                {move || match b.stage.get() {
                    Stage::Review => view! { <Review b /> }.into_any(),
                    Stage::Run => view! { <RunView b on_close /> }.into_any(),
                    Stage::List => ().into_any(),
                }}
                <When when=move || b.stage.get() == Stage::List>
                <div class="filters">
                    <label>
                        <span>{tr(K::overview_filter_state)}</span>
                        <select data-testid="overview-state" on:change=move |ev| s.state.set(state_of(&event_target_value(&ev)))>
                            {[
                                ("all", K::overview_state_all, StateFilter::All),
                                ("at-risk", K::overview_state_at_risk, StateFilter::AtRisk),
                                ("not-linked", K::overview_state_not_linked, StateFilter::NotLinked),
                                ("linked", K::overview_state_linked, StateFilter::Linked),
                                ("mandatory", K::overview_state_mandatory, StateFilter::Mandatory),
                            ]
                            .into_iter()
                            .map(|(v, k, f)| view! { <option value=v prop:selected=move || s.state.get() == f>{tr(k)}</option> })
                            .collect_view()}
                        </select>
                    </label>
                    <label>
                        <span>{tr(K::overview_filter_role)}</span>
                        <select data-testid="overview-role" on:change=move |ev| s.role.set(role_of(&event_target_value(&ev)))>
                            <option value="">{tr(K::overview_any_role)}</option>
                            {[Role::Owner, Role::Admin, Role::RoomAdmin, Role::User, Role::Guest]
                                .into_iter()
                                .map(|r| view! { <option value=role_key(r) prop:selected=move || s.role.get() == Some(r)>{move || r.label()}</option> })
                                .collect_view()}
                        </select>
                    </label>
                    <label>
                        <span>{tr(K::overview_filter_group)}</span>
                        <select data-testid="overview-group" on:change=move |ev| s.group.set(Guid::parse(&event_target_value(&ev)).ok())>
                            <option value="">{tr(K::overview_any_group)}</option>
                            <For each=move || groups.get() key=|g| g.0.clone() let:g>
                                {
                                    let id = g.0.clone();
                                    let selected = move || s.group.with(|x| x.as_ref() == Some(&id));
                                    view! { <option value=g.0.to_string() prop:selected=selected>{g.1.clone()}</option> }
                                }
                            </For>
                        </select>
                    </label>
                    <label class="grow">
                        <span>{tr(K::overview_filter_text)}</span>
                        <input
                            type="search"
                            data-testid="overview-search"
                            prop:value=move || s.text.get()
                            on:input=move |ev| s.text.set(event_target_value(&ev))
                        />
                    </label>
                    <label>
                        <span>{tr(K::overview_sort)}</span>
                        <select data-testid="overview-sort" on:change=move |ev| s.sort.set(sort_of(&event_target_value(&ev)))>
                            <option value="name" prop:selected=move || s.sort.get() == SortBy::Name>{tr(K::overview_sort_name)}</option>
                            <option value="role" prop:selected=move || s.sort.get() == SortBy::Role>{tr(K::overview_sort_role)}</option>
                            <option value="state" prop:selected=move || s.sort.get() == SortBy::State>{tr(K::overview_sort_state)}</option>
                        </select>
                    </label>
                    <label class="checkbox">
                        <input type="checkbox" prop:checked=move || s.descending.get() on:change=move |ev| s.descending.set(event_target_checked(&ev)) />
                        {tr(K::overview_descending)}
                    </label>
                </div>
                <When when=can_bulk>
                    <SelectionBar b matching=Signal::from(matching) on_review />
                </When>
                <p class="muted" data-testid="overview-shown" aria-live="polite">
                    {move || {
                        let n = rows.with(Vec::len);
                        if n == 0 {
                            if s.people.with(Vec::is_empty) { String::new() } else { t!(overview_none_match) }
                        } else {
                            let first = s.page.get() * ROWS + 1;
                            let last = (first + ROWS - 1).min(n);
                            t!(overview_rows, first = first, last = last, n = n)
                        }
                    }}
                </p>
                <div class="table-wrap">
                    <table class="people" data-testid="overview-table">
                        <thead>
                            <tr>
                                <When when=can_bulk>
                                    <th scope="col" class="select"><span class="sr-only">{tr(K::bulk_col_select)}</span></th>
                                </When>
                                <th scope="col">{tr(K::overview_col_name)}</th>
                                <th scope="col">{tr(K::overview_col_role)}</th>
                                <th scope="col">{tr(K::overview_col_app)}</th>
                                <th scope="col">{tr(K::overview_col_requires)}</th>
                            </tr>
                        </thead>
                        <tbody>
                            // Rebuilt when the list or the policy changes; within one
                            // list, a keystroke keeps the rows still shown (keyed).
                            {move || {
                                s.people.track();
                                requirements.track();
                                view! {
                                    <For each=move || rows.with(|r| r.iter().skip(s.page.get() * ROWS).take(ROWS).copied().collect::<Vec<_>>()) key=|i| *i let:i>
                                        {s.people.with_untracked(|ps| requirements.with_untracked(|reqs| row_view(&ps[i], &reqs[i], select)))}
                                    </For>
                                }
                            }}
                        </tbody>
                    </table>
                </div>
                <div class="actions pager">
                    <button type="button" class="secondary" data-testid="overview-prev" prop:disabled=move || s.page.get() == 0 on:click=move |_| s.page.update(|p| *p = p.saturating_sub(1))>
                        {tr(K::overview_prev)}
                    </button>
                    <span class="muted">{move || t!(overview_page, page = s.page.get() + 1, n = pages())}</span>
                    <button type="button" class="secondary" data-testid="overview-next" prop:disabled=move || pages() <= s.page.get() + 1 on:click=move |_| s.page.update(|p| *p += 1)>
                        {tr(K::overview_next)}
                    </button>
                </div>
                </When>
            </When>
        </section>
    }
}

/// The owner's checkboxes in the list.
#[derive(Clone, Copy)]
struct Selection {
    on: Memo<bool>,
    me: Memo<Option<Guid>>,
    chosen: RwSignal<std::collections::HashSet<Guid>>,
}

/// The checkbox cell of one row: only people with an app linked can be
/// chosen, and never yourself.
fn select_cell(p: &Person, sel: Selection) -> impl IntoView {
    let label = t!(bulk_select_person, name = &p.name);
    let linked = p.linked == Some(true);
    let mine = sel.me.with_untracked(|m| m.as_ref() == Some(&p.id));
    let (id2, id3) = (p.id.clone(), p.id.clone());
    view! {
        <td class="select">
            <input
                type="checkbox"
                data-testid="bulk-check"
                aria-label=label
                title=move || if mine { t!(bulk_you_excluded_short) } else if !linked { t!(bulk_no_app_short) } else { String::new() }
                prop:disabled=!linked || mine
                prop:checked=move || sel.chosen.with(|c| c.contains(&id2))
                on:change=move |ev| {
                    let on = event_target_checked(&ev);
                    let id = id3.clone();
                    sel.chosen.update(|c| {
                        if on {
                            c.insert(id);
                        } else {
                            c.remove(&id);
                        }
                    });
                }
            />
        </td>
    }
}

fn row_view(p: &Person, r: &Requirement, sel: Selection) -> impl IntoView {
    let check = sel.on.get_untracked().then(|| select_cell(p, sel));
    let name = p.name.clone();
    let email = p.email.clone();
    let role = p.role;
    let linked = p.linked;
    let r = r.clone();
    let r2 = r.clone();
    let risk = r.needed() && linked == Some(false);
    view! {
        <tr class:at-risk=risk data-testid="overview-row">
            {check}
            <td><span class="person-name">{name}</span><span class="muted person-email">{email}</span></td>
            <td>{move || role.label()}</td>
            <td>{move || linked_text(linked)}</td>
            <td>{move || requires_text(&r)}<span class="muted mandatory">{move || mandatory_text(&r2)}</span></td>
        </tr>
    }
}

fn linked_text(linked: Option<bool>) -> String {
    match linked {
        Some(true) => t!(overview_linked_yes),
        Some(false) => t!(overview_linked_no),
        None => t!(overview_linked_unknown),
    }
}

fn requires_text(r: &Requirement) -> String {
    match r {
        Requirement::Off => t!(overview_requires_off),
        Requirement::Mandatory(_) | Requirement::Everywhere => t!(overview_requires_everywhere),
        Requirement::OutsideTrustedIps => t!(overview_requires_outside),
    }
}

fn mandatory_text(r: &Requirement) -> String {
    match r {
        Requirement::Mandatory(Mandatory::Directly) => t!(overview_mandatory_directly),
        Requirement::Mandatory(Mandatory::Group(_, name)) => {
            t!(overview_mandatory_group, group = name)
        }
        _ => String::new(),
    }
}

fn state_of(v: &str) -> StateFilter {
    match v {
        "at-risk" => StateFilter::AtRisk,
        "not-linked" => StateFilter::NotLinked,
        "linked" => StateFilter::Linked,
        "mandatory" => StateFilter::Mandatory,
        _ => StateFilter::All,
    }
}

fn role_key(r: Role) -> &'static str {
    match r {
        Role::Owner => "owner",
        Role::Admin => "admin",
        Role::RoomAdmin => "room-admin",
        Role::User => "user",
        Role::Guest => "guest",
    }
}

fn role_of(v: &str) -> Option<Role> {
    [
        Role::Owner,
        Role::Admin,
        Role::RoomAdmin,
        Role::User,
        Role::Guest,
    ]
    .into_iter()
    .find(|r| role_key(*r) == v)
}

fn sort_of(v: &str) -> SortBy {
    match v {
        "role" => SortBy::Role,
        "state" => SortBy::State,
        _ => SortBy::Name,
    }
}
