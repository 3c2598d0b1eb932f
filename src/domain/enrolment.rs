//! Who is protected: each person's two-factor state under the portal's
//! policy (API notes §3, §11), the overview's counts, filters and order, and
//! its CSV export. Pure: tested natively.

use std::collections::HashSet;

use super::{Guid, Policy, Role, TfaMethod};

/// One person as the overview sees them (`people/filter`).
#[derive(Debug, Clone, PartialEq)]
pub struct Person {
    /// The person's id.
    pub id: Guid,
    /// Decoded display name; rendered as text.
    pub name: String,
    /// E-mail address.
    pub email: String,
    /// Owner, admin, room admin, user or guest.
    pub role: Role,
    /// The groups the person is in: `(id, name)`.
    pub groups: Vec<(Guid, String)>,
    /// Has linked an authenticator app; `None` where DocSpace does not say
    /// (the viewer is not an admin, or app TFA is off: §10.8).
    pub linked: Option<bool>,
}

/// Why TFA is required of someone even from a trusted IP.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Mandatory {
    /// Named in the mandatory users.
    Directly,
    /// A member of this mandatory group (the first one, by the policy's order).
    Group(Guid, String),
}

/// What the policy asks of one person (§3's order: method off → no;
/// mandatory group → yes; mandatory user → yes; trusted IP → no; else yes).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Requirement {
    /// TFA is off on the portal: nobody needs it.
    Off,
    /// Required everywhere, trusted IPs included.
    Mandatory(Mandatory),
    /// Required except when signing in from a trusted IP.
    OutsideTrustedIps,
    /// Required everywhere: the policy has no trusted IPs.
    Everywhere,
}

impl Requirement {
    /// Whether the person needs TFA at all (from some address).
    pub fn needed(&self) -> bool {
        !matches!(self, Requirement::Off)
    }
}

/// What the policy requires of `person`.
pub fn requirement(person: &Person, policy: &Policy) -> Requirement {
    if policy.method == TfaMethod::None {
        return Requirement::Off;
    }
    let in_group = policy
        .mandatory_groups
        .iter()
        .find_map(|g| person.groups.iter().find(|(id, _)| id == g));
    if let Some((id, name)) = in_group {
        return Requirement::Mandatory(Mandatory::Group(id.clone(), name.clone()));
    }
    if policy.mandatory_users.contains(&person.id) {
        return Requirement::Mandatory(Mandatory::Directly);
    }
    if policy.trusted_ips.iter().any(|ip| !ip.trim().is_empty()) {
        Requirement::OutsideTrustedIps
    } else {
        Requirement::Everywhere
    }
}

/// The overview's counts, over the people read so far.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Counts {
    /// People read.
    pub people: usize,
    /// Need TFA from some address.
    pub need: usize,
    /// Mandatory: need it even from a trusted IP.
    pub mandatory: usize,
    /// Have linked an authenticator app.
    pub linked: usize,
    /// Have not linked one.
    pub not_linked: usize,
    /// DocSpace did not say whether an app is linked.
    pub unknown: usize,
    /// Need TFA but have no app linked (only meaningful with the app method).
    pub need_not_linked: usize,
}

/// Counts `people` under `policy`.
pub fn count<'a>(people: impl IntoIterator<Item = &'a Person>, policy: &Policy) -> Counts {
    let mut c = Counts::default();
    for p in people {
        let r = requirement(p, policy);
        c.people += 1;
        c.need += usize::from(r.needed());
        c.mandatory += usize::from(matches!(r, Requirement::Mandatory(_)));
        match p.linked {
            Some(true) => c.linked += 1,
            Some(false) => {
                c.not_linked += 1;
                c.need_not_linked += usize::from(r.needed());
            }
            None => c.unknown += 1,
        }
    }
    c
}

/// Which people the list shows, by their state.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum StateFilter {
    /// Everyone.
    #[default]
    All,
    /// Have linked an app.
    Linked,
    /// Have not linked an app.
    NotLinked,
    /// Need TFA even from a trusted IP.
    Mandatory,
    /// Need TFA and have not linked an app.
    AtRisk,
}

/// The overview's filter: state, role, group and a text search.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Filter {
    /// By state.
    pub state: StateFilter,
    /// Only this role.
    pub role: Option<Role>,
    /// Only members of this group.
    pub group: Option<Guid>,
    /// Matched case-insensitively against name and e-mail.
    pub text: String,
}

impl Filter {
    /// Whether `person` (with `requirement`, and `haystack` their lowercased
    /// name and e-mail) passes. `needle` is the filter text, lowercased once.
    pub fn matches(
        &self,
        person: &Person,
        requirement: &Requirement,
        haystack: &str,
        needle: &str,
    ) -> bool {
        let state = match self.state {
            StateFilter::All => true,
            StateFilter::Linked => person.linked == Some(true),
            StateFilter::NotLinked => person.linked == Some(false),
            StateFilter::Mandatory => matches!(requirement, Requirement::Mandatory(_)),
            StateFilter::AtRisk => requirement.needed() && person.linked == Some(false),
        };
        state
            && self.role.is_none_or(|r| person.role == r)
            && self
                .group
                .as_ref()
                .is_none_or(|g| person.groups.iter().any(|(id, _)| id == g))
            && (needle.is_empty() || haystack.contains(needle))
    }
}

/// The text a search looks in, from a person's name and e-mail already
/// lowercased (the page lowercases everyone's at once).
pub fn haystack(name_lower: &str, email_lower: &str) -> String {
    format!("{name_lower}\n{email_lower}")
}

/// How the list is ordered.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum SortBy {
    /// By name.
    #[default]
    Name,
    /// Owner first, guests last.
    Role,
    /// Most at risk first: needs TFA without an app, then unknown, then linked.
    State,
}

fn role_rank(r: Role) -> u8 {
    match r {
        Role::Owner => 0,
        Role::Admin => 1,
        Role::RoomAdmin => 2,
        Role::User => 3,
        Role::Guest => 4,
    }
}

fn state_rank(p: &Person, r: &Requirement) -> u8 {
    match (r.needed(), p.linked) {
        (true, Some(false)) => 0,
        (_, None) => 1,
        (false, Some(false)) => 2,
        (_, Some(true)) => 3,
    }
}

/// Sorts `rows` (indexes into `people`, with their requirements and their
/// lowercased names, computed once per load) in place; ties by name, then id,
/// so the order is stable across reloads.
pub fn sort(
    rows: &mut Vec<usize>,
    people: &[Person],
    requirements: &[Requirement],
    names: &[String],
    by: SortBy,
    descending: bool,
) {
    crate::domain::order::sort_by(rows, |&a, &b| {
        let (pa, pb) = (&people[a], &people[b]);
        let primary = match by {
            SortBy::Name => std::cmp::Ordering::Equal,
            SortBy::Role => role_rank(pa.role).cmp(&role_rank(pb.role)),
            SortBy::State => {
                state_rank(pa, &requirements[a]).cmp(&state_rank(pb, &requirements[b]))
            }
        };
        let primary = if descending {
            primary.reverse()
        } else {
            primary
        };
        let by_name = names[a].cmp(&names[b]);
        let by_name = if descending && by == SortBy::Name {
            by_name.reverse()
        } else {
            by_name
        };
        primary.then(by_name).then_with(|| a.cmp(&b))
    });
}

/// One CSV field: quoted when it holds a comma, quote or line break; a field
/// that a spreadsheet would read as a formula (`=`, `+`, `-`, `@`, tab, CR
/// first) gets a leading apostrophe (OWASP's CSV-injection advice).
pub fn csv_field(text: &str) -> String {
    let guarded = if text.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{text}")
    } else {
        text.to_string()
    };
    if guarded.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", guarded.replace('"', "\"\""))
    } else {
        guarded
    }
}

/// A CSV document: UTF-8 with a byte-order mark (so spreadsheets read the
/// names right), CRLF line ends, `header` first.
pub fn csv<I, R>(header: &[String], rows: I) -> String
where
    I: IntoIterator<Item = R>,
    R: IntoIterator<Item = String>,
{
    let mut out = String::from('\u{feff}');
    let line = |fields: Vec<String>| {
        fields
            .iter()
            .map(|f| csv_field(f))
            .collect::<Vec<_>>()
            .join(",")
    };
    out.push_str(&line(header.to_vec()));
    out.push_str("\r\n");
    for row in rows {
        out.push_str(&line(row.into_iter().collect()));
        out.push_str("\r\n");
    }
    out
}

/// The ids of `people`, deduplicated (a person read twice while paging, as
/// the list shifted under the reader, counts once).
pub fn dedup(people: &mut Vec<Person>) {
    let mut seen = HashSet::new();
    people.retain(|p| seen.insert(p.id.clone()));
}

#[cfg(test)]
mod tests {
    use super::*;

    fn guid(n: u8) -> Guid {
        Guid::parse(&format!("00000000-0000-0000-0000-0000000000{n:02x}")).unwrap()
    }

    fn person(n: u8, role: Role, groups: &[u8], linked: Option<bool>) -> Person {
        Person {
            id: guid(n),
            name: format!("Person {n}"),
            email: format!("p{n}@example.com"),
            role,
            groups: groups
                .iter()
                .map(|g| (guid(100 + g), format!("Group {g}")))
                .collect(),
            linked,
        }
    }

    fn policy(method: TfaMethod, ips: &[&str], users: &[u8], groups: &[u8]) -> Policy {
        Policy {
            method,
            trusted_ips: ips.iter().map(|s| s.to_string()).collect(),
            mandatory_users: users.iter().map(|&n| guid(n)).collect(),
            mandatory_groups: groups.iter().map(|&g| guid(100 + g)).collect(),
        }
    }

    #[test]
    fn the_requirement_follows_the_servers_order() {
        let p = person(1, Role::User, &[7], Some(false));
        assert_eq!(
            requirement(&p, &policy(TfaMethod::None, &["10.0.0.1"], &[1], &[7])),
            Requirement::Off
        );
        assert_eq!(
            requirement(&p, &policy(TfaMethod::App, &["10.0.0.1"], &[1], &[7])),
            Requirement::Mandatory(Mandatory::Group(guid(107), "Group 7".into())),
            "a mandatory group is checked before the mandatory users"
        );
        assert_eq!(
            requirement(&p, &policy(TfaMethod::App, &["10.0.0.1"], &[1], &[])),
            Requirement::Mandatory(Mandatory::Directly)
        );
        assert_eq!(
            requirement(&p, &policy(TfaMethod::Sms, &["10.0.0.1"], &[], &[])),
            Requirement::OutsideTrustedIps
        );
        assert_eq!(
            requirement(&p, &policy(TfaMethod::App, &[], &[], &[])),
            Requirement::Everywhere
        );
        assert_eq!(
            requirement(&p, &policy(TfaMethod::App, &[" "], &[], &[])),
            Requirement::Everywhere
        );
    }

    #[test]
    fn counts_add_up() {
        let people = [
            person(1, Role::Owner, &[], Some(true)),
            person(2, Role::Admin, &[7], Some(false)),
            person(3, Role::User, &[], Some(false)),
            person(4, Role::Guest, &[], None),
        ];
        let c = count(&people, &policy(TfaMethod::App, &["10.0.0.1"], &[], &[7]));
        assert_eq!(
            c,
            Counts {
                people: 4,
                need: 4,
                mandatory: 1,
                linked: 1,
                not_linked: 2,
                unknown: 1,
                need_not_linked: 2
            }
        );
        let off = count(&people, &policy(TfaMethod::None, &[], &[], &[]));
        assert_eq!((off.need, off.need_not_linked, off.linked), (0, 0, 1));
    }

    #[test]
    fn filters_combine() {
        let pol = policy(TfaMethod::App, &["10.0.0.1"], &[3], &[7]);
        let people = [
            person(1, Role::Owner, &[], Some(true)),
            person(2, Role::Admin, &[7], Some(false)),
            person(3, Role::User, &[], Some(false)),
        ];
        let shown = |f: &Filter| -> Vec<u8> {
            let needle = f.text.to_lowercase();
            people
                .iter()
                .filter(|p| {
                    f.matches(
                        p,
                        &requirement(p, &pol),
                        &haystack(&p.name.to_lowercase(), &p.email.to_lowercase()),
                        &needle,
                    )
                })
                .map(|p| p.email.as_bytes()[1] - b'0')
                .collect()
        };
        assert_eq!(shown(&Filter::default()), vec![1, 2, 3]);
        assert_eq!(
            shown(&Filter {
                state: StateFilter::NotLinked,
                ..Default::default()
            }),
            vec![2, 3]
        );
        assert_eq!(
            shown(&Filter {
                state: StateFilter::Mandatory,
                ..Default::default()
            }),
            vec![2, 3]
        );
        assert_eq!(
            shown(&Filter {
                state: StateFilter::AtRisk,
                role: Some(Role::User),
                ..Default::default()
            }),
            vec![3]
        );
        assert_eq!(
            shown(&Filter {
                group: Some(guid(107)),
                ..Default::default()
            }),
            vec![2]
        );
        assert_eq!(
            shown(&Filter {
                text: "PERSON 1".into(),
                ..Default::default()
            }),
            vec![1]
        );
        assert_eq!(
            shown(&Filter {
                text: "p3@".into(),
                ..Default::default()
            }),
            vec![3]
        );
    }

    #[test]
    fn sorting_is_stable_and_puts_risk_first() {
        let pol = policy(TfaMethod::App, &[], &[], &[]);
        let people = vec![
            person(1, Role::User, &[], Some(true)),
            person(2, Role::Owner, &[], Some(false)),
            person(3, Role::Guest, &[], None),
        ];
        let reqs: Vec<_> = people.iter().map(|p| requirement(p, &pol)).collect();
        let names: Vec<_> = people.iter().map(|p| p.name.to_lowercase()).collect();
        let mut rows = vec![0, 1, 2];
        sort(&mut rows, &people, &reqs, &names, SortBy::State, false);
        assert_eq!(rows, vec![1, 2, 0]);
        sort(&mut rows, &people, &reqs, &names, SortBy::Role, false);
        assert_eq!(rows, vec![1, 0, 2]);
        sort(&mut rows, &people, &reqs, &names, SortBy::Name, true);
        assert_eq!(rows, vec![2, 1, 0]);
    }

    #[test]
    fn csv_escapes_formulas_and_quotes_and_starts_with_a_bom() {
        assert_eq!(csv_field("=HYPERLINK(\"x\")"), "\"'=HYPERLINK(\"\"x\"\")\"");
        assert_eq!(csv_field("+1"), "'+1");
        assert_eq!(csv_field("-2"), "'-2");
        assert_eq!(csv_field("@SUM(A1)"), "'@SUM(A1)");
        assert_eq!(csv_field("O'Neil, Jane"), "\"O'Neil, Jane\"");
        assert_eq!(csv_field("Zoë"), "Zoë");
        let doc = csv(
            &["Name".to_string(), "E-mail".to_string()],
            vec![vec!["=1+1".to_string(), "a@b".to_string()]],
        );
        assert_eq!(doc, "\u{feff}Name,E-mail\r\n'=1+1,a@b\r\n");
    }

    #[test]
    fn a_person_read_twice_counts_once() {
        let mut people = vec![
            person(1, Role::User, &[], None),
            person(1, Role::User, &[], None),
            person(2, Role::User, &[], None),
        ];
        dedup(&mut people);
        assert_eq!(people.len(), 2);
    }
}
