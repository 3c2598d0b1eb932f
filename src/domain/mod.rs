//! Pure domain rules of the panel: validation, decoding and the change
//! summary. Nothing here touches the browser, so every rule is tested with
//! plain native unit tests.

#![deny(missing_docs)]

pub mod bulk;
pub mod diff;
pub mod enrolment;
pub mod guid;
pub mod history;
pub mod html;
pub mod link;
pub mod order;
pub mod role;
pub mod trusted_ip;
pub mod version;

pub use diff::{
    request_lists, summarize, Change, DiffContext, Policy, Summary, TfaMethod, Warning,
};
pub use guid::{find_guids, Guid, GuidError};
pub use html::decode_entities;
pub use link::{
    classify_link, parse_link_origin, parse_portal, LinkSafety, Origin, PortalError, Scheme,
};
pub use role::Role;
pub use trusted_ip::{
    assess, breaks_ipv6_visitors, check_list, list_is_sendable, parse_entry, split_pasted,
    texts_to_send, Assessment, EntryCheck, Finding, IpEntry, IpEntryError,
};
pub use version::{Family, Server};

/// Cuts long text for quoting in a message, so a pasted page does not
/// flood it.
fn shorten(text: &str, max_chars: usize) -> String {
    if text.chars().count() <= max_chars {
        text.to_string()
    } else {
        let mut cut: String = text.chars().take(max_chars).collect();
        cut.push('…');
        cut
    }
}
