//! Pure domain rules of the panel: validation, decoding and the change
//! summary. Nothing here touches the browser, so every rule is tested with
//! plain native unit tests.

#![deny(missing_docs)]

pub mod diff;
pub mod guid;
pub mod html;
pub mod link;
pub mod trusted_ip;

pub use diff::{
    request_lists, summarize, Change, DiffContext, Policy, Summary, TfaMethod, Warning,
};
pub use guid::{find_guids, Guid, GuidError};
pub use html::decode_entities;
pub use link::{
    classify_link, parse_link_origin, parse_portal, LinkSafety, Origin, PortalError, Scheme,
};
pub use trusted_ip::{
    canonical_list, check_list, list_is_sendable, parse_entry, split_pasted, EntryCheck, IpEntry,
    IpEntryError,
};
