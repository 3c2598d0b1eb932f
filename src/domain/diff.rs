//! The summary shown before a two-factor policy change is sent.
//!
//! A single `PUT settings/tfaapp` can have effects that are easy to miss:
//! switching to "Off" wipes every list, switching a method on signs every
//! session on the portal out (the sender's too), and a request that names
//! the portal owner as mandatory is refused unless the owner sends it. The
//! panel shows these consequences, and blocks requests DocSpace would refuse
//! or that could lock the portal out, before anything is sent.

#[cfg(test)]
use serde::{Deserialize, Serialize};

use super::guid::Guid;
use super::trusted_ip::{
    breaks_ipv6_visitors, check_list, list_is_sendable, texts_to_send, EntryCheck,
};
use super::version::Server;
use crate::t;

/// The portal-wide two-factor method, as `TfaRequestsDto.type` names it.
#[derive(Clone, Copy, PartialEq, Eq, Debug, Default)]
#[cfg_attr(test, derive(Serialize, Deserialize))]
pub enum TfaMethod {
    /// Two-factor authentication is off; DocSpace keeps no lists then.
    #[default]
    None,
    /// Codes sent by SMS (needs an SMS provider; rare on self-hosted portals).
    Sms,
    /// Codes from an authenticator app.
    App,
}

impl TfaMethod {
    /// The name shown to administrators.
    pub fn label(self) -> String {
        match self {
            TfaMethod::None => t!(diff_method_off),
            TfaMethod::Sms => t!(diff_method_sms),
            TfaMethod::App => t!(diff_method_app),
        }
    }

    /// The value of `type` in the request body.
    pub fn api_name(self) -> &'static str {
        match self {
            TfaMethod::None => "None",
            TfaMethod::Sms => "Sms",
            TfaMethod::App => "App",
        }
    }

    /// Whether this method turns two-factor authentication on.
    pub fn is_on(self) -> bool {
        self != TfaMethod::None
    }
}

/// A two-factor policy: the method and its lists, either as stored on the
/// portal or as drafted in the panel.
#[derive(Clone, PartialEq, Debug, Default)]
pub struct Policy {
    /// The method in force (or chosen).
    pub method: TfaMethod,
    /// Trusted IP entries as text (validated separately; see `trusted_ip`).
    pub trusted_ips: Vec<String>,
    /// Users who must use two-factor authentication even from a trusted IP.
    pub mandatory_users: Vec<Guid>,
    /// Groups whose members must use it even from a trusted IP.
    pub mandatory_groups: Vec<Guid>,
}

/// Facts about who sends the change and to which server: DocSpace's owner
/// guard and the version's trusted-IP behaviour depend on them.
#[derive(Clone, PartialEq, Eq, Debug, Default)]
pub struct DiffContext {
    /// Whether the signed-in administrator is the portal owner.
    pub caller_is_owner: bool,
    /// The owner's ID, when known; without it the owner guard cannot be checked.
    pub owner_id: Option<Guid>,
    /// The portal's DocSpace release (unknown: the most dangerous behaviour).
    pub server: Server,
    /// The administrator confirmed that, on this version, IPv6 visitors will
    /// fail to sign in once the list holds a range or CIDR entry (§10.16).
    pub ipv6_visitors_accepted: bool,
    /// The portal offers SMS (`available` in `GET settings/tfaapp`).
    pub sms_available: bool,
    /// The portal offers the authenticator app.
    pub app_available: bool,
}

/// One difference between the stored policy and what will be stored after
/// the request, listed so the administrator can confirm each one.
#[derive(Clone, PartialEq, Eq, Debug)]
pub enum Change {
    /// The method changes.
    Method {
        /// The method stored now.
        from: TfaMethod,
        /// The method after the request.
        to: TfaMethod,
    },
    /// A trusted IP entry (canonical form) is added.
    IpAdded(String),
    /// A trusted IP entry (canonical form where it parses) is removed.
    IpRemoved(String),
    /// A mandatory user is added.
    UserAdded(Guid),
    /// A mandatory user is removed.
    UserRemoved(Guid),
    /// A mandatory group is added.
    GroupAdded(Guid),
    /// A mandatory group is removed.
    GroupRemoved(Guid),
}

impl Change {
    /// One line for the summary. `user` and `group` give a name for an ID
    /// (the page knows the names it has seen; otherwise the ID).
    pub fn describe(
        &self,
        user: impl Fn(&Guid) -> String,
        group: impl Fn(&Guid) -> String,
    ) -> String {
        match self {
            Change::Method { from, to } => {
                t!(diff_change_method, from = from.label(), to = to.label())
            }
            Change::IpAdded(ip) => t!(diff_change_ip_added, ip = ip),
            Change::IpRemoved(ip) => t!(diff_change_ip_removed, ip = ip),
            Change::UserAdded(id) => t!(diff_change_user_added, user = user(id)),
            Change::UserRemoved(id) => t!(diff_change_user_removed, user = user(id)),
            Change::GroupAdded(id) => t!(diff_change_group_added, group = group(id)),
            Change::GroupRemoved(id) => t!(diff_change_group_removed, group = group(id)),
        }
    }
}

/// A consequence of the change that the administrator must see before
/// sending; some ([`Warning::is_blocker`]) prevent sending altogether.
#[derive(Clone, PartialEq, Eq, Debug)]
pub enum Warning {
    /// Switching off wipes the stored lists; the counts are what is lost.
    ListsWiped {
        /// Stored trusted IP entries that will be deleted.
        trusted_ips: usize,
        /// Stored mandatory users that will be deleted.
        users: usize,
        /// Stored mandatory groups that will be deleted.
        groups: usize,
    },
    /// The draft has list entries that switching off will discard unsaved.
    DraftListsIgnored {
        /// Draft entries that are not stored and will not be.
        entries: usize,
    },
    /// Any save with a method on signs out every session on the portal.
    SignsEveryoneOut,
    /// The same, on a portal where the change waits for its e-mailed link:
    /// the sessions go when the link is opened.
    SignsEveryoneOutOnConfirmation,
    /// The owner is in the mandatory users and the caller is not the owner:
    /// DocSpace refuses the whole request.
    OwnerMandatoryNeedsOwner,
    /// The draft's trusted IP list has entries that cannot be sent: invalid,
    /// repeated, or valid but locking out or widening on this server.
    InvalidTrustedIps {
        /// Entries that cannot be sent as they are.
        problems: usize,
    },
    /// Entries already stored on the portal lock it out or trust other
    /// addresses than written on this server; the rows offer the fix.
    StoredTrustedIpsAtRisk {
        /// Stored entries that are invalid or dangerous on this server.
        entries: usize,
    },
    /// On this version (≤ 3.6), a list with any range or CIDR entry makes
    /// every sign-in from an IPv6 address such as `2a02:…` fail (§10.16).
    Ipv6VisitorsFail {
        /// The administrator confirmed it; only then can the change be sent.
        accepted: bool,
    },
    /// The mandatory lists have entries but there are no trusted IPs, so the
    /// lists change nothing.
    MandatoryListsHaveNoEffect,
    /// The draft is the same as what is stored.
    NothingChanged,
    /// The chosen method is not available on this portal.
    MethodUnavailable(TfaMethod),
}

impl Warning {
    /// Whether this warning prevents sending: the server would refuse the
    /// request, the list could lock the portal out, or there is nothing to send.
    pub fn is_blocker(&self) -> bool {
        matches!(
            self,
            Warning::OwnerMandatoryNeedsOwner
                | Warning::InvalidTrustedIps { .. }
                | Warning::Ipv6VisitorsFail { accepted: false }
                | Warning::NothingChanged
                | Warning::MethodUnavailable(_)
        )
    }

    /// The user-facing explanation.
    pub fn message(&self) -> String {
        match self {
            Warning::ListsWiped {
                trusted_ips,
                users,
                groups,
            } => t!(
                diff_lists_wiped,
                trusted_ips = t!(diff_lists_wiped_trusted_ips, n = *trusted_ips),
                users = t!(diff_lists_wiped_users, n = *users),
                groups = t!(diff_lists_wiped_groups, n = *groups),
            ),
            Warning::DraftListsIgnored { entries } => t!(diff_draft_lists_ignored, n = *entries),
            Warning::SignsEveryoneOut => t!(diff_signs_everyone_out),
            Warning::SignsEveryoneOutOnConfirmation => t!(diff_signs_everyone_out_on_confirmation),
            Warning::OwnerMandatoryNeedsOwner => t!(diff_owner_mandatory_needs_owner),
            Warning::InvalidTrustedIps { problems } => t!(diff_invalid_trusted_ips, n = *problems),
            Warning::StoredTrustedIpsAtRisk { entries } => {
                t!(diff_stored_trusted_ips_at_risk, n = *entries)
            }
            Warning::Ipv6VisitorsFail { .. } => t!(diff_ipv6_visitors_fail),
            Warning::MandatoryListsHaveNoEffect => t!(diff_mandatory_lists_no_effect),
            Warning::NothingChanged => t!(diff_nothing_changed),
            Warning::MethodUnavailable(method) => {
                t!(diff_method_unavailable, method = method.label())
            }
        }
    }
}

impl Warning {
    /// The one line under the save button while this warning blocks it.
    pub fn blocker_message(&self) -> String {
        match self {
            Warning::NothingChanged => t!(diff_blocker_nothing_changed),
            Warning::InvalidTrustedIps { .. } => t!(diff_blocker_invalid_trusted_ips),
            Warning::MethodUnavailable(_) => t!(diff_blocker_method_unavailable),
            Warning::Ipv6VisitorsFail { .. } => t!(diff_blocker_ipv6_visitors),
            _ => t!(diff_blocker_other),
        }
    }
}

/// Everything the confirmation step shows: the changes, the warnings, and
/// whether sending is blocked.
#[derive(Clone, PartialEq, Eq, Debug, Default)]
pub struct Summary {
    /// The differences, in a stable order: method, then for each list
    /// (trusted IPs, users, groups) its additions and then its removals.
    pub changes: Vec<Change>,
    /// The consequences, blockers included.
    pub warnings: Vec<Warning>,
    /// Whether any warning is a blocker; the Save button must be disabled.
    pub blocked: bool,
}

impl Summary {
    /// The warning that keeps the change from being sent, if any: the
    /// method first, then the trusted IPs, then the rest in order.
    pub fn blocker(&self) -> Option<&Warning> {
        let rank = |w: &Warning| match w {
            Warning::MethodUnavailable(_) => 0,
            Warning::InvalidTrustedIps { .. } => 1,
            Warning::NothingChanged => 3,
            _ => 2,
        };
        self.warnings
            .iter()
            .filter(|w| w.is_blocker())
            .min_by_key(|w| rank(w))
    }
}

/// The comparison key of a draft entry: the text it sends, or its canonical
/// form (or trimmed text) when it cannot be sent, so equivalent spellings
/// are not reported as a removal plus an addition.
fn draft_key(check: &EntryCheck, text: &str) -> String {
    match (check.send(), &check.result) {
        (Some(sent), _) => sent.to_string(),
        (None, Ok(entry)) => entry.canonical(),
        (None, Err(_)) => text.trim().to_string(),
    }
}

/// The comparison key of a stored entry: its text as stored. DocSpace
/// compares single addresses as text, so a rewrite of a stored spelling is a
/// real change and is listed as one.
fn stored_key(text: &str) -> String {
    text.trim().to_string()
}

/// Items of `b` not in `a`, in `b`'s order, without repeats.
fn missing_from<T: PartialEq + Clone>(a: &[T], b: &[T]) -> Vec<T> {
    let mut out: Vec<T> = Vec::new();
    for item in b {
        if !a.contains(item) && !out.contains(item) {
            out.push(item.clone());
        }
    }
    out
}

/// Compares the stored policy with the draft and lists the changes and
/// consequences of sending the draft. With the draft method Off, the
/// draft's lists are ignored (DocSpace wipes them) and every stored entry is
/// reported as removed.
pub fn summarize(current: &Policy, draft: &Policy, ctx: &DiffContext) -> Summary {
    let mut changes = Vec::new();
    if current.method != draft.method {
        changes.push(Change::Method {
            from: current.method,
            to: draft.method,
        });
    }

    let on = draft.method.is_on();
    let empty_guids: &[Guid] = &[];
    let checks = check_list(&draft.trusted_ips, &ctx.server);
    let all_draft_ips: Vec<String> = checks
        .iter()
        .zip(&draft.trusted_ips)
        .map(|(c, t)| draft_key(c, t))
        .collect();
    let current_ips: Vec<String> = current.trusted_ips.iter().map(|s| stored_key(s)).collect();
    let draft_ips: Vec<String> = if on {
        all_draft_ips.clone()
    } else {
        Vec::new()
    };
    let (draft_users, draft_groups) = if on {
        (&draft.mandatory_users[..], &draft.mandatory_groups[..])
    } else {
        (empty_guids, empty_guids)
    };

    changes.extend(
        missing_from(&current_ips, &draft_ips)
            .into_iter()
            .map(Change::IpAdded),
    );
    changes.extend(
        missing_from(&draft_ips, &current_ips)
            .into_iter()
            .map(Change::IpRemoved),
    );
    changes.extend(
        missing_from(&current.mandatory_users, draft_users)
            .into_iter()
            .map(Change::UserAdded),
    );
    changes.extend(
        missing_from(draft_users, &current.mandatory_users)
            .into_iter()
            .map(Change::UserRemoved),
    );
    changes.extend(
        missing_from(&current.mandatory_groups, draft_groups)
            .into_iter()
            .map(Change::GroupAdded),
    );
    changes.extend(
        missing_from(draft_groups, &current.mandatory_groups)
            .into_iter()
            .map(Change::GroupRemoved),
    );

    let mut warnings = Vec::new();
    let available = match draft.method {
        TfaMethod::Sms => ctx.sms_available,
        TfaMethod::App => ctx.app_available,
        TfaMethod::None => true,
    };
    if !available {
        warnings.push(Warning::MethodUnavailable(draft.method));
    }
    if changes.is_empty() {
        warnings.push(Warning::NothingChanged);
    }
    if current.method.is_on() {
        let stored = check_list(&current.trusted_ips, &ctx.server);
        let entries = stored
            .iter()
            .filter(|c| c.result.is_err() || c.is_dangerous())
            .count();
        if entries > 0 {
            warnings.push(Warning::StoredTrustedIpsAtRisk { entries });
        }
    }
    if on {
        if !list_is_sendable(&checks) {
            let problems = checks.iter().filter(|c| !c.is_ok()).count();
            warnings.push(Warning::InvalidTrustedIps { problems });
        }
        if breaks_ipv6_visitors(&checks, &ctx.server) {
            warnings.push(Warning::Ipv6VisitorsFail {
                accepted: ctx.ipv6_visitors_accepted,
            });
        }
        if let Some(owner) = &ctx.owner_id {
            if !ctx.caller_is_owner && draft.mandatory_users.contains(owner) {
                warnings.push(Warning::OwnerMandatoryNeedsOwner);
            }
        }
        if draft.trusted_ips.is_empty()
            && !(draft.mandatory_users.is_empty() && draft.mandatory_groups.is_empty())
        {
            warnings.push(Warning::MandatoryListsHaveNoEffect);
        }
        if !changes.is_empty() {
            warnings.push(if ctx.server.policy_waits_for_link() {
                Warning::SignsEveryoneOutOnConfirmation
            } else {
                Warning::SignsEveryoneOut
            });
        }
    } else {
        let stored = (
            current.trusted_ips.len(),
            current.mandatory_users.len(),
            current.mandatory_groups.len(),
        );
        if stored != (0, 0, 0) {
            warnings.push(Warning::ListsWiped {
                trusted_ips: stored.0,
                users: stored.1,
                groups: stored.2,
            });
        }
        let unsaved = missing_from(&current_ips, &all_draft_ips).len()
            + missing_from(&current.mandatory_users, &draft.mandatory_users).len()
            + missing_from(&current.mandatory_groups, &draft.mandatory_groups).len();
        if unsaved > 0 {
            warnings.push(Warning::DraftListsIgnored { entries: unsaved });
        }
    }

    let blocked = warnings.iter().any(Warning::is_blocker);
    Summary {
        changes,
        warnings,
        blocked,
    }
}

/// The lists to put in the request body: all empty when the method is Off
/// (DocSpace wipes them anyway), otherwise the trusted IPs as `server`
/// compares them and the IDs, each without repeats. Entries that cannot be
/// sent are left out, so even a caller that skipped [`summarize`] can never
/// send an entry that locks the portal out or widens it; `summarize` blocks
/// such drafts.
pub fn request_lists(draft: &Policy, server: &Server) -> (Vec<String>, Vec<Guid>, Vec<Guid>) {
    if !draft.method.is_on() {
        return (Vec::new(), Vec::new(), Vec::new());
    }
    (
        texts_to_send(&check_list(&draft.trusted_ips, server)),
        missing_from(&[], &draft.mandatory_users),
        missing_from(&[], &draft.mandatory_groups),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    const OWNER: &str = "9f0e1d2c-0000-4000-8000-000000000001";
    const U1: &str = "3c6f1c2e-6a4b-4b1e-9f0e-1d2c3b4a5f60";
    const U2: &str = "5b2c0000-0000-4000-8000-0000000000e1";
    const G1: &str = "0d1e2f3a-0000-4000-8000-00000000000a";
    const G2: &str = "0d1e2f3a-0000-4000-8000-00000000000b";

    fn g(s: &str) -> Guid {
        Guid::parse(s).unwrap()
    }

    fn policy(method: TfaMethod, ips: &[&str], users: &[&str], groups: &[&str]) -> Policy {
        Policy {
            method,
            trusted_ips: ips.iter().map(|s| s.to_string()).collect(),
            mandatory_users: users.iter().map(|s| g(s)).collect(),
            mandatory_groups: groups.iter().map(|s| g(s)).collect(),
        }
    }

    /// An administrator on the latest release, 3.7.2.
    fn admin() -> DiffContext {
        DiffContext {
            caller_is_owner: false,
            owner_id: Some(g(OWNER)),
            server: Server::from_reported(Some("3.7.2.1000")),
            ipv6_visitors_accepted: false,
            sms_available: false,
            app_available: true,
        }
    }

    fn owner() -> DiffContext {
        DiffContext {
            caller_is_owner: true,
            ..admin()
        }
    }

    #[test]
    fn method_names() {
        let rows = [
            (TfaMethod::None, "Off", "None", false),
            (TfaMethod::Sms, "SMS", "Sms", true),
            (TfaMethod::App, "Authenticator app", "App", true),
        ];
        for (method, label, api, on) in rows {
            assert_eq!(method.label(), label);
            assert_eq!(method.api_name(), api);
            assert_eq!(method.is_on(), on);
            assert_eq!(
                serde_json::to_string(&method).unwrap(),
                format!("\"{api}\"")
            );
        }
        assert_eq!(TfaMethod::default(), TfaMethod::None);
        assert_eq!(Policy::default().method, TfaMethod::None);
    }

    #[test]
    fn enabling_app_from_off() {
        let current = Policy::default();
        let draft = policy(TfaMethod::App, &["192.0.2.10", "10.0.0.0/8"], &[U1], &[G1]);
        let s = summarize(&current, &draft, &admin());
        assert_eq!(
            s.changes,
            vec![
                Change::Method {
                    from: TfaMethod::None,
                    to: TfaMethod::App
                },
                Change::IpAdded("192.0.2.10".into()),
                Change::IpAdded("10.0.0.0/8".into()),
                Change::UserAdded(g(U1)),
                Change::GroupAdded(g(G1)),
            ]
        );
        assert_eq!(s.warnings, vec![Warning::SignsEveryoneOut]);
        assert!(!s.blocked);
    }

    #[test]
    fn switching_off_wipes_and_ignores_draft_lists() {
        let current = policy(
            TfaMethod::App,
            &["192.0.2.10", "2001:db8::1"],
            &[U1],
            &[G1, G2],
        );
        // The draft keeps the stored lists and adds one entry; all is ignored.
        let draft = policy(
            TfaMethod::None,
            &["2001:DB8::1", "192.0.2.10", "203.0.113.0/24"],
            &[U1],
            &[G1, G2],
        );
        let s = summarize(&current, &draft, &admin());
        assert_eq!(
            s.changes,
            vec![
                Change::Method {
                    from: TfaMethod::App,
                    to: TfaMethod::None
                },
                Change::IpRemoved("192.0.2.10".into()),
                Change::IpRemoved("2001:db8::1".into()),
                Change::UserRemoved(g(U1)),
                Change::GroupRemoved(g(G1)),
                Change::GroupRemoved(g(G2)),
            ]
        );
        assert_eq!(
            s.warnings,
            vec![
                Warning::ListsWiped {
                    trusted_ips: 2,
                    users: 1,
                    groups: 2
                },
                Warning::DraftListsIgnored { entries: 1 },
            ]
        );
        assert!(!s.blocked);
        assert_eq!(
            s.warnings[0].message(),
            "Turning two-factor authentication off deletes all its lists: 2 trusted IPs, 1 mandatory user and 2 mandatory groups will be lost. Write them down first if you may need them again."
        );
        assert_eq!(
            s.warnings[1].message(),
            "You added 1 entry to the lists, but turning two-factor authentication off discards all lists, so they will not be saved."
        );
    }

    #[test]
    fn switching_off_with_empty_lists_has_no_wipe_warning() {
        let current = policy(TfaMethod::Sms, &[], &[], &[]);
        let draft = Policy::default();
        let s = summarize(&current, &draft, &admin());
        assert_eq!(
            s.changes,
            vec![Change::Method {
                from: TfaMethod::Sms,
                to: TfaMethod::None
            }]
        );
        assert_eq!(s.warnings, vec![]);
        assert!(!s.blocked);
    }

    #[test]
    fn nothing_changed_blocks() {
        let current = policy(TfaMethod::App, &["192.0.2.10", "2001:db8::1"], &[U1], &[]);
        // Same entries, other spellings and order-preserving: no change.
        let draft = policy(
            TfaMethod::App,
            &[" 192.0.2.10", "2001:DB8:0::1"],
            &[U1],
            &[],
        );
        let s = summarize(&current, &draft, &admin());
        assert_eq!(s.changes, vec![]);
        assert_eq!(s.warnings, vec![Warning::NothingChanged]);
        assert!(s.blocked);
        let off = summarize(&Policy::default(), &Policy::default(), &admin());
        assert_eq!(off.warnings, vec![Warning::NothingChanged]);
        assert!(off.blocked);
    }

    #[test]
    fn reordering_is_not_a_change() {
        let current = policy(
            TfaMethod::App,
            &["1.1.1.1", "2.2.2.2"],
            &[U1, U2],
            &[G1, G2],
        );
        let draft = policy(
            TfaMethod::App,
            &["2.2.2.2", "1.1.1.1"],
            &[U2, U1],
            &[G2, G1],
        );
        assert_eq!(summarize(&current, &draft, &admin()).changes, vec![]);
    }

    #[test]
    fn list_edits_keep_method() {
        let current = policy(TfaMethod::App, &["1.1.1.1", "2.2.2.2"], &[U1], &[G1]);
        let draft = policy(TfaMethod::App, &["2.2.2.2", "3.3.3.3"], &[U2], &[G1, G2]);
        let s = summarize(&current, &draft, &admin());
        assert_eq!(
            s.changes,
            vec![
                Change::IpAdded("3.3.3.3".into()),
                Change::IpRemoved("1.1.1.1".into()),
                Change::UserAdded(g(U2)),
                Change::UserRemoved(g(U1)),
                Change::GroupAdded(g(G2)),
            ]
        );
        assert_eq!(s.warnings, vec![Warning::SignsEveryoneOut]);
        assert!(!s.blocked);
    }

    #[test]
    fn owner_guard() {
        let current = policy(TfaMethod::App, &["1.1.1.1"], &[], &[]);
        let draft = policy(TfaMethod::App, &["1.1.1.1"], &[OWNER], &[]);
        let by_admin = summarize(&current, &draft, &admin());
        assert_eq!(by_admin.changes, vec![Change::UserAdded(g(OWNER))]);
        assert_eq!(
            by_admin.warnings,
            vec![Warning::OwnerMandatoryNeedsOwner, Warning::SignsEveryoneOut]
        );
        assert!(by_admin.blocked);

        let by_owner = summarize(&current, &draft, &owner());
        assert_eq!(by_owner.warnings, vec![Warning::SignsEveryoneOut]);
        assert!(!by_owner.blocked);

        // Already stored: an admin still cannot re-send a list with the owner.
        let stored = policy(TfaMethod::App, &["1.1.1.1"], &[OWNER], &[]);
        let edit = policy(TfaMethod::App, &["1.1.1.1", "2.2.2.2"], &[OWNER], &[]);
        assert!(summarize(&stored, &edit, &admin()).blocked);

        // Switching off sends no list, so the guard does not apply.
        let off = summarize(&stored, &Policy::default(), &admin());
        assert!(!off.blocked);
        assert!(!off.warnings.contains(&Warning::OwnerMandatoryNeedsOwner));

        // Unknown owner: cannot check, so no warning.
        let unknown = DiffContext {
            owner_id: None,
            ..admin()
        };
        assert!(!summarize(&current, &draft, &unknown).blocked);
    }

    #[test]
    fn invalid_ips_block() {
        let current = policy(TfaMethod::App, &[], &[], &[]);
        let draft = policy(
            TfaMethod::App,
            &["not-an-ip", "1.1.1.1", "1.1.1.1", "1.2.3.4/33"],
            &[],
            &[],
        );
        let s = summarize(&current, &draft, &admin());
        assert_eq!(
            s.changes,
            vec![
                Change::IpAdded("not-an-ip".into()),
                Change::IpAdded("1.1.1.1".into()),
                Change::IpAdded("1.2.3.4/33".into()),
            ]
        );
        assert_eq!(
            s.warnings,
            vec![
                Warning::InvalidTrustedIps { problems: 3 },
                Warning::SignsEveryoneOut
            ]
        );
        assert!(s.blocked);
        assert_eq!(
            s.warnings[0].message(),
            "The trusted IP list has 3 entries to fix before saving. An invalid entry can stop everyone from signing in to the portal, and some valid-looking entries trust other addresses than written on this DocSpace version."
        );
    }

    #[test]
    fn mandatory_lists_without_trusted_ips() {
        let current = policy(TfaMethod::App, &[], &[], &[]);
        let draft = policy(TfaMethod::App, &[], &[], &[G1]);
        let s = summarize(&current, &draft, &admin());
        assert_eq!(
            s.warnings,
            vec![
                Warning::MandatoryListsHaveNoEffect,
                Warning::SignsEveryoneOut
            ]
        );
        assert!(!s.blocked);
        let with_ips = policy(TfaMethod::App, &["1.1.1.1"], &[], &[G1]);
        assert_eq!(
            summarize(&current, &with_ips, &admin()).warnings,
            vec![Warning::SignsEveryoneOut]
        );
    }

    #[test]
    fn switching_method_sms_to_app() {
        let current = policy(TfaMethod::Sms, &["1.1.1.1"], &[], &[]);
        let draft = policy(TfaMethod::App, &["1.1.1.1"], &[], &[]);
        let s = summarize(&current, &draft, &owner());
        assert_eq!(
            s.changes,
            vec![Change::Method {
                from: TfaMethod::Sms,
                to: TfaMethod::App
            }]
        );
        assert_eq!(s.warnings, vec![Warning::SignsEveryoneOut]);
    }

    #[test]
    fn warning_messages_and_blockers() {
        let rows: Vec<(Warning, bool, &str)> = vec![
            (Warning::SignsEveryoneOut, false, "Saving signs out every session on the portal, including yours. Everyone, you too, must sign in again and set up two-factor authentication if they have not yet. API keys keep working."),
            (Warning::OwnerMandatoryNeedsOwner, true, "The portal owner is on the mandatory users list, and DocSpace only accepts such a list from the owner, so it would refuse this change. Remove the owner from the list, or ask the owner to make the change."),
            (Warning::MandatoryListsHaveNoEffect, false, "Everyone on the portal must already use two-factor authentication; the mandatory lists only make it required for people signing in from a trusted IP address. With no trusted IPs, these lists change nothing."),
            (Warning::NothingChanged, true, "Nothing has changed, so there is nothing to save."),
            (Warning::InvalidTrustedIps { problems: 1 }, true, "The trusted IP list has 1 entry to fix before saving. An invalid entry can stop everyone from signing in to the portal, and some valid-looking entries trust other addresses than written on this DocSpace version."),
            (Warning::StoredTrustedIpsAtRisk { entries: 2 }, false, "The portal's saved trusted IP list has 2 entries that this DocSpace version reads differently from how it is written, or cannot read at all. Each is marked in the list below with what it does and a fix; save the fixed list before anything else."),
            (Warning::Ipv6VisitorsFail { accepted: false }, true, "On this DocSpace version (3.7.0 or older, or a version the portal did not report), once the trusted IP list holds a range or CIDR entry, every sign-in from an IPv6 address whose first group contains a letter (such as 2a02:… or fd00:…) fails with a server error. Only single addresses avoid this, or updating DocSpace to 3.7.1 or later."),
            (Warning::Ipv6VisitorsFail { accepted: true }, false, "On this DocSpace version (3.7.0 or older, or a version the portal did not report), once the trusted IP list holds a range or CIDR entry, every sign-in from an IPv6 address whose first group contains a letter (such as 2a02:… or fd00:…) fails with a server error. Only single addresses avoid this, or updating DocSpace to 3.7.1 or later."),
            (Warning::ListsWiped { trusted_ips: 1, users: 0, groups: 1 }, false, "Turning two-factor authentication off deletes all its lists: 1 trusted IP, 0 mandatory users and 1 mandatory group will be lost. Write them down first if you may need them again."),
            (Warning::DraftListsIgnored { entries: 2 }, false, "You added 2 entries to the lists, but turning two-factor authentication off discards all lists, so they will not be saved."),
        ];
        for (warning, blocker, message) in rows {
            assert_eq!(warning.is_blocker(), blocker, "{warning:?}");
            assert_eq!(warning.message(), message);
        }
    }

    #[test]
    fn change_descriptions() {
        let rows = vec![
            (
                Change::Method {
                    from: TfaMethod::None,
                    to: TfaMethod::App,
                },
                "Method: Off → Authenticator app",
            ),
            (
                Change::IpAdded("1.1.1.1".into()),
                "Trusted IP added: 1.1.1.1",
            ),
            (Change::IpRemoved("::1".into()), "Trusted IP removed: ::1"),
            (
                Change::UserAdded(g(U1)),
                "Mandatory user added: user 3c6f1c2e",
            ),
            (
                Change::UserRemoved(g(U1)),
                "Mandatory user removed: user 3c6f1c2e",
            ),
            (
                Change::GroupAdded(g(G1)),
                "Mandatory group added: group 0d1e2f3a",
            ),
            (
                Change::GroupRemoved(g(G1)),
                "Mandatory group removed: group 0d1e2f3a",
            ),
        ];
        let user = |id: &Guid| format!("user {}", &id.as_str()[..8]);
        let group = |id: &Guid| format!("group {}", &id.as_str()[..8]);
        for (change, message) in rows {
            assert_eq!(change.describe(user, group), message);
        }
    }

    #[test]
    fn the_blocker_is_the_method_then_the_ips_then_the_rest() {
        let current = policy(TfaMethod::App, &[], &[], &[]);
        let draft = policy(TfaMethod::Sms, &["not-an-ip"], &[], &[]);
        let s = summarize(&current, &draft, &admin());
        assert_eq!(
            s.blocker(),
            Some(&Warning::MethodUnavailable(TfaMethod::Sms))
        );
        let draft = policy(TfaMethod::App, &["not-an-ip"], &[], &[]);
        let s = summarize(&current, &draft, &admin());
        assert_eq!(
            s.blocker(),
            Some(&Warning::InvalidTrustedIps { problems: 1 })
        );
        let s = summarize(&current, &current, &admin());
        assert_eq!(s.blocker(), Some(&Warning::NothingChanged));
        assert_eq!(
            s.blocker().unwrap().blocker_message(),
            "Nothing has changed yet."
        );
        let draft = policy(TfaMethod::App, &["192.0.2.1"], &[], &[]);
        assert_eq!(summarize(&current, &draft, &admin()).blocker(), None);
    }

    #[test]
    fn ranges_on_36_or_unknown_need_the_ipv6_confirmation() {
        let current = policy(TfaMethod::App, &[], &[], &[]);
        let draft = policy(TfaMethod::App, &["192.0.2.0/24"], &[], &[]);
        for server in [Server::from_reported(Some("3.6.1")), Server::unknown()] {
            let ctx = DiffContext { server, ..admin() };
            let s = summarize(&current, &draft, &ctx);
            assert!(s
                .warnings
                .contains(&Warning::Ipv6VisitorsFail { accepted: false }));
            assert!(s.blocked);
            let accepted = DiffContext {
                ipv6_visitors_accepted: true,
                ..ctx
            };
            let s = summarize(&current, &draft, &accepted);
            assert!(s
                .warnings
                .contains(&Warning::Ipv6VisitorsFail { accepted: true }));
            assert!(!s.blocked);
        }
        let singles = policy(TfaMethod::App, &["192.0.2.1"], &[], &[]);
        let ctx = DiffContext {
            server: Server::from_reported(Some("3.6.1")),
            ..admin()
        };
        assert!(!summarize(&current, &singles, &ctx).blocked);
        assert!(!summarize(&current, &draft, &admin()).blocked);
    }

    #[test]
    fn dangerous_entries_block_and_stored_ones_are_flagged_at_load() {
        let stored = policy(
            TfaMethod::App,
            &["192.0.2.10/24", "2001:db8:abcd::/48"],
            &[],
            &[],
        );
        let on_35 = DiffContext {
            server: Server::from_reported(Some("3.5.2")),
            ipv6_visitors_accepted: true,
            ..admin()
        };
        // Before anything is changed, the stored entries are flagged.
        let s = summarize(&stored, &stored, &on_35);
        assert!(s
            .warnings
            .contains(&Warning::StoredTrustedIpsAtRisk { entries: 2 }));
        assert!(s
            .warnings
            .contains(&Warning::InvalidTrustedIps { problems: 2 }));
        assert!(s.blocked);
        // On 3.7 the host-bit entry is sent as its network: a listed change.
        let s = summarize(&stored, &stored, &admin());
        assert!(s
            .warnings
            .contains(&Warning::StoredTrustedIpsAtRisk { entries: 1 }));
        assert!(s.changes.contains(&Change::IpAdded("192.0.2.0/24".into())));
        assert!(s
            .changes
            .contains(&Change::IpRemoved("192.0.2.10/24".into())));
        // The fixed list sends the fixed texts.
        let fixed = policy(
            TfaMethod::App,
            &[
                "192.0.2.0/24",
                "2001:db8:abcd::-2001:db8:abcd:ffff:ffff:ffff:ffff:ffff",
            ],
            &[],
            &[],
        );
        let s = summarize(&stored, &fixed, &on_35);
        assert!(!s.blocked, "{:?}", s.warnings);
        assert_eq!(
            request_lists(&fixed, &on_35.server).0,
            vec![
                "192.0.2.0/24".to_string(),
                "2001:db8:abcd::-2001:db8:abcd:ffff:ffff:ffff:ffff:ffff".to_string()
            ]
        );
    }

    #[test]
    fn request_lists_table() {
        let draft = policy(
            TfaMethod::App,
            &[
                " 2001:DB8::1 ",
                "10.0.0.0/08",
                "2001:db8::1",
                "not-an-ip",
                "1.1.1.1-1.1.1.9",
            ],
            &[U1, U2, U1],
            &[G1, G1],
        );
        assert_eq!(
            request_lists(&draft, &Server::from_reported(Some("3.7.2"))),
            (
                vec![
                    "2001:db8::1".to_string(),
                    "10.0.0.0/8".to_string(),
                    "1.1.1.1-1.1.1.9".to_string()
                ],
                vec![g(U1), g(U2)],
                vec![g(G1)],
            )
        );
        let off = Policy {
            method: TfaMethod::None,
            ..draft.clone()
        };
        assert_eq!(
            request_lists(&off, &Server::unknown()),
            (vec![], vec![], vec![])
        );
        let sms = Policy {
            method: TfaMethod::Sms,
            ..draft
        };
        assert_eq!(request_lists(&sms, &Server::unknown()).0.len(), 3);
    }
}
