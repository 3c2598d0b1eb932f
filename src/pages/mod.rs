//! One module per task, plus the connect screen. No page imports another;
//! what they share is in `crate::session` and here.

pub mod confirm;
pub mod connect;
pub mod history;
pub mod overview;
pub mod policy;
pub mod user_method;

use std::sync::Arc;

use leptos::prelude::*;

use crate::components::picker::{PickKind, Picked, Search};
use crate::session::{use_session, Session};
use crate::t;

/// The pickers' search on the connected portal: `people/filter` or `group`,
/// 25 at a time. A page of people that shows the owner records who the
/// owner is, for the summary's owner guard.
pub fn portal_search(session: Session) -> Search {
    const PAGE: u32 = 25;
    Arc::new(move |kind, text, start| {
        let client = session.client();
        Box::pin(async move {
            let Some(client) = client else {
                return Ok((Vec::new(), 0));
            };
            match kind {
                PickKind::People => {
                    let page = client.search_people(&text, start, PAGE).await?;
                    if let Some(owner) = page.items.iter().find(|h| h.is_owner) {
                        session.known_owner.set(Some(owner.id.clone()));
                    }
                    let items = page.items.into_iter().map(|h| {
                        let parts: Vec<String> = [
                            h.is_owner.then(|| t!(pages_portal_owner)),
                            Some(h.email.clone()).filter(|e| !e.is_empty()),
                        ]
                        .into_iter()
                        .flatten()
                        .collect();
                        Picked {
                            detail: Some(parts.join(" · ")).filter(|d| !d.is_empty()),
                            linked: h.tfa_app_enabled,
                            id: h.id,
                            name: Some(h.name),
                        }
                    });
                    Ok((items.collect(), page.total))
                }
                PickKind::Groups => {
                    let page = client.search_groups(&text, start, PAGE).await?;
                    let items = page.items.into_iter().map(|h| Picked {
                        id: h.id,
                        name: Some(h.name),
                        detail: h.members.map(|n| t!(pages_members, n = n)),
                        linked: None,
                    });
                    Ok((items.collect(), page.total))
                }
            }
        })
    })
}

/// A page that reads when first shown (the overview, the history): reads
/// once per connection. Shown again on the same connection it keeps what it
/// read; on another portal or account it starts over. `start(true)` clears
/// what the last connection read before reading.
pub fn read_when_shown(
    may_see: Signal<bool>,
    read_for: StoredValue<Option<String>>,
    start: impl Fn(bool) + Send + Sync + 'static,
) {
    let session = use_session();
    Effect::new(move |_| {
        if !may_see.get() {
            return;
        }
        let key = session.key();
        if read_for.get_value() != key {
            let fresh = read_for.get_value().is_some();
            read_for.set_value(key);
            untrack(|| start(fresh));
        }
    });
}
