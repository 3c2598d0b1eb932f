//! The fixed seed portal and the deterministic generator for large portals.
//!
//! Every seed GUID is a `pub const` so tests and scripts can name people and
//! groups without looking them up first.

use std::collections::HashMap;

use crate::clock::api_datetime;
use crate::encoding::html_encode_net;
use crate::guid::derived_guid;

/// Portal owner "Alex Morgan" (no authenticator app linked).
pub const OWNER_ID: &str = "8f2c1a9e-0001-4a6e-9c1d-5e7f00000001";
/// DocSpace admin "Jane O'Neil" (app linked).
pub const ADMIN_JANE_ID: &str = "8f2c1a9e-0002-4a6e-9c1d-5e7f00000002";
/// DocSpace admin "Ravi & Sons Admin" (no app).
pub const ADMIN_RAVI_ID: &str = "8f2c1a9e-0003-4a6e-9c1d-5e7f00000003";
/// Room admin "Sam Rivera" (app linked).
pub const ROOMADMIN_SAM_ID: &str = "8f2c1a9e-0004-4a6e-9c1d-5e7f00000004";
/// User "Priya Patel" (app linked).
pub const USER_PRIYA_ID: &str = "8f2c1a9e-0005-4a6e-9c1d-5e7f00000005";
/// User "Zoë Łukasz-Ægir" (no app).
pub const USER_ZOE_ID: &str = "8f2c1a9e-0006-4a6e-9c1d-5e7f00000006";
/// User `Bob "The Builder" <Smith>` (no app).
pub const USER_BOB_ID: &str = "8f2c1a9e-0007-4a6e-9c1d-5e7f00000007";
/// User whose display name is an XSS probe (no app).
pub const USER_XSS_ID: &str = "8f2c1a9e-0008-4a6e-9c1d-5e7f00000008";
/// User "Marta Kowalski" (app linked).
pub const USER_MARTA_ID: &str = "8f2c1a9e-0009-4a6e-9c1d-5e7f00000009";
/// User "Chen Wei" (no app).
pub const USER_CHEN_ID: &str = "8f2c1a9e-000a-4a6e-9c1d-5e7f0000000a";
/// Guest "Gina Guest" (no app).
pub const GUEST_GINA_ID: &str = "8f2c1a9e-000b-4a6e-9c1d-5e7f0000000b";

pub const GROUP_FINANCE_ID: &str = "3d9b7c10-0001-4f2a-8b6e-2c4d00000001";
pub const GROUP_RND_ID: &str = "3d9b7c10-0002-4f2a-8b6e-2c4d00000002";
pub const GROUP_SALES_ID: &str = "3d9b7c10-0003-4f2a-8b6e-2c4d00000003";
pub const GROUP_ADMINISTRATION_ID: &str = "3d9b7c10-0004-4f2a-8b6e-2c4d00000004";
pub const GROUP_SUPPORT_ID: &str = "3d9b7c10-0005-4f2a-8b6e-2c4d00000005";

/// The display name of the XSS probe user.
pub const XSS_DISPLAY_NAME: &str = "<img src=x onerror=alert(1)><script>alert(2)</script>";

/// Password of every seed and generated user.
pub const DEMO_PASSWORD: &str = "demo-password";

/// The `cultureName` every user has unless `--culture` or test control
/// sets another.
pub const DEFAULT_CULTURE: &str = "en-US";

/// Number of users in the seed portal (before `--users`).
pub const SEED_USER_COUNT: usize = 11;
/// Number of groups in the seed portal (before `--groups`).
pub const SEED_GROUP_COUNT: usize = 5;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Role {
    Owner,
    Admin,
    RoomAdmin,
    User,
    Guest,
}

impl Role {
    pub fn parse(s: &str) -> Option<Role> {
        match s.to_ascii_lowercase().as_str() {
            "owner" => Some(Role::Owner),
            "admin" | "docspaceadmin" => Some(Role::Admin),
            "roomadmin" | "room-admin" | "room_admin" => Some(Role::RoomAdmin),
            "user" => Some(Role::User),
            "guest" => Some(Role::Guest),
            _ => None,
        }
    }

    /// Owner or DocSpace admin: holds `EditPortalSettings`.
    pub fn is_admin(self) -> bool {
        matches!(self, Role::Owner | Role::Admin)
    }
}

/// What the seed-profile `tfaappnewapp` last asked of a user.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum UserTfa {
    Default,
    /// Reset with type None: TFA is off for this user (unless mandatory).
    Off,
    /// Reset with type Sms.
    Sms,
    /// Reset with type App: the user must link an app again.
    App,
}

#[derive(Clone, Debug)]
pub struct User {
    pub id: String,
    pub first: String,
    pub last: String,
    pub email: String,
    pub user_name: String,
    pub role: Role,
    pub app_linked: bool,
    pub phone: Option<String>,
    pub groups: Vec<usize>,
    pub session_index: u64,
    pub user_tfa: UserTfa,
    /// Raw display name ("First Last").
    pub display: String,
    /// `display`, HTML-encoded like the real server.
    pub display_encoded: String,
    /// Lowercased display name, e-mail, first and last name for filtering.
    pub search_key: String,
    pub registered_ms: u64,
    /// `cultureName` (`en-US`, `ru-RU`, ...).
    pub culture: String,
}

#[derive(Clone, Debug)]
pub struct Group {
    pub id: String,
    pub name: String,
    pub manager: Option<usize>,
    pub members: Vec<usize>,
    pub search_key: String,
}

#[derive(Clone, Debug, Default)]
pub struct Portal {
    pub users: Vec<User>,
    pub user_by_id: HashMap<String, usize>,
    pub user_by_login: HashMap<String, usize>,
    /// User indices sorted by display name (case-insensitive), then id.
    pub users_sorted: Vec<usize>,
    /// Position of each user in `users_sorted`.
    pub user_rank: Vec<usize>,
    /// Every user's `search_key` in `users_sorted` order, each followed by
    /// a NUL: one contiguous haystack so a filter is a single linear search.
    pub search_haystack: String,
    /// Byte offset in `search_haystack` where each sorted position starts.
    pub search_starts: Vec<usize>,
    pub groups: Vec<Group>,
    pub group_by_id: HashMap<String, usize>,
    /// Group indices sorted by name (case-insensitive), then id.
    pub groups_sorted: Vec<usize>,
    pub owner: usize,
}

impl Portal {
    pub fn user(&self, id: &str) -> Option<usize> {
        self.user_by_id.get(&id.to_ascii_lowercase()).copied()
    }

    pub fn group(&self, id: &str) -> Option<usize> {
        self.group_by_id.get(&id.to_ascii_lowercase()).copied()
    }

    /// Looks a user up by e-mail or user name (case-insensitive).
    pub fn user_by_login(&self, login: &str) -> Option<usize> {
        self.user_by_login
            .get(&login.trim().to_lowercase())
            .copied()
    }

    /// Calls `visit` with the sorted position of every user whose search key
    /// contains `needle` (already lowercased), in sorted order or reversed.
    /// Allocates nothing per user.
    pub fn for_each_match(&self, needle: &str, descending: bool, mut visit: impl FnMut(usize)) {
        let n = self.users_sorted.len();
        if needle.is_empty() {
            if descending {
                (0..n).rev().for_each(visit);
            } else {
                (0..n).for_each(visit);
            }
            return;
        }
        if needle.contains(['\0', '\n']) {
            return;
        }
        let pos_of = |off: usize| match self.search_starts.binary_search(&off) {
            Ok(p) => p,
            Err(p) => p - 1,
        };
        let mut last = usize::MAX;
        let mut emit = |off: usize| {
            let p = pos_of(off);
            if p != last {
                last = p;
                visit(p);
            }
        };
        if descending {
            self.search_haystack
                .rmatch_indices(needle)
                .for_each(|(o, _)| emit(o));
        } else {
            self.search_haystack
                .match_indices(needle)
                .for_each(|(o, _)| emit(o));
        }
    }

    /// The first user with a role, in seed order.
    pub fn first_with_role(&self, role: Role) -> Option<usize> {
        self.users.iter().position(|u| u.role == role)
    }
}

const REGISTERED_BASE_MS: u64 = 1_704_067_200_000; // 2024-01-01

#[allow(clippy::too_many_arguments)]
fn make_user(
    id: String,
    first: &str,
    last: &str,
    email: String,
    role: Role,
    app_linked: bool,
    phone: Option<String>,
    registered_ms: u64,
) -> User {
    let display = format!("{first} {last}").trim().to_string();
    let user_name = email.split('@').next().unwrap_or_default().to_string();
    let search_key = format!("{display}\n{email}\n{first}\n{last}").to_lowercase();
    User {
        display_encoded: html_encode_net(&display),
        id,
        first: first.to_string(),
        last: last.to_string(),
        email,
        user_name,
        role,
        app_linked,
        phone,
        groups: Vec::new(),
        session_index: 0,
        user_tfa: UserTfa::Default,
        display,
        search_key,
        registered_ms,
        culture: DEFAULT_CULTURE.to_string(),
    }
}

const FIRST_NAMES: &[&str] = &[
    "Olivia",
    "Liam",
    "Emma",
    "Noah",
    "Amelia",
    "Oliver",
    "Sophia",
    "Elijah",
    "Isabella",
    "Lucas",
    "Mia",
    "Mateo",
    "Charlotte",
    "Levi",
    "Harper",
    "Ethan",
    "Aisha",
    "Kenji",
    "Fatima",
    "Diego",
    "Ingrid",
    "Tomasz",
    "Chloé",
    "Matteo",
    "Yuki",
    "Omar",
    "Freya",
    "Arjun",
    "Leila",
    "Sven",
    "Nadia",
    "Pablo",
    "Hana",
    "Viktor",
    "Elena",
    "Kwame",
    "Sofia",
    "Mikhail",
    "Grace",
    "Rafael",
];

const LAST_NAMES: &[&str] = &[
    "Smith",
    "Johnson",
    "Garcia",
    "Müller",
    "Rossi",
    "Kowalski",
    "Nguyen",
    "Tanaka",
    "Okafor",
    "Silva",
    "Novak",
    "Andersson",
    "Dubois",
    "Haddad",
    "Ivanova",
    "Kim",
    "Larsen",
    "Martin",
    "O'Brien",
    "Petrov",
    "Quinn",
    "Rahman",
    "Schmidt",
    "Thompson",
    "Usman",
    "Varga",
    "Wagner",
    "Xu",
    "Yilmaz",
    "Zimmerman",
    "Fischer",
    "Costa",
    "Bianchi",
    "Hughes",
    "Singh",
    "Mensah",
];

const DEPARTMENTS: &[&str] = &[
    "Marketing",
    "Engineering",
    "Legal",
    "Operations",
    "Design",
    "Procurement",
    "Logistics",
    "Research",
    "Finance",
    "Customer Success",
    "Quality",
    "Security",
];

const OFFICES: &[&str] = &[
    "Berlin",
    "Riga",
    "London",
    "Paris",
    "Madrid",
    "Warsaw",
    "Tokyo",
    "Austin",
    "Toronto",
    "Singapore",
];

fn ascii_slug(s: &str) -> String {
    s.chars()
        .filter_map(|c| match c {
            'a'..='z' | '0'..='9' => Some(c),
            'A'..='Z' => Some(c.to_ascii_lowercase()),
            'é' => Some('e'),
            'ü' => Some('u'),
            _ => None,
        })
        .collect()
}

/// (id, first name, last name, e-mail, role, app linked, phone)
type SeedUser = (
    &'static str,
    &'static str,
    &'static str,
    &'static str,
    Role,
    bool,
    Option<&'static str>,
);

/// Builds the seed portal plus `extra_users` generated users and
/// `extra_groups` generated groups. Deterministic for given counts.
pub fn build_portal(extra_users: usize, extra_groups: usize) -> Portal {
    use Role::*;
    let seed: [SeedUser; SEED_USER_COUNT] = [
        (
            OWNER_ID,
            "Alex",
            "Morgan",
            "alex.morgan@example.com",
            Owner,
            false,
            Some("+15550100001"),
        ),
        (
            ADMIN_JANE_ID,
            "Jane",
            "O'Neil",
            "jane.oneil@example.com",
            Admin,
            true,
            Some("+15550100002"),
        ),
        (
            ADMIN_RAVI_ID,
            "Ravi & Sons",
            "Admin",
            "ravi.admin@example.com",
            Admin,
            false,
            None,
        ),
        (
            ROOMADMIN_SAM_ID,
            "Sam",
            "Rivera",
            "sam.rivera@example.com",
            RoomAdmin,
            true,
            None,
        ),
        (
            USER_PRIYA_ID,
            "Priya",
            "Patel",
            "priya.patel@example.com",
            User,
            true,
            Some("+15550100005"),
        ),
        (
            USER_ZOE_ID,
            "Zoë",
            "Łukasz-Ægir",
            "zoe.lukasz@example.com",
            User,
            false,
            None,
        ),
        (
            USER_BOB_ID,
            "Bob \"The Builder\"",
            "<Smith>",
            "bob.smith@example.com",
            User,
            false,
            None,
        ),
        (
            USER_XSS_ID,
            XSS_DISPLAY_NAME,
            "",
            "xss.probe@example.com",
            User,
            false,
            None,
        ),
        (
            USER_MARTA_ID,
            "Marta",
            "Kowalski",
            "marta.kowalski@example.com",
            User,
            true,
            None,
        ),
        (
            USER_CHEN_ID,
            "Chen",
            "Wei",
            "chen.wei@example.com",
            User,
            false,
            None,
        ),
        (
            GUEST_GINA_ID,
            "Gina",
            "Guest",
            "gina.guest@example.com",
            Guest,
            false,
            None,
        ),
    ];
    let mut users = Vec::with_capacity(SEED_USER_COUNT + extra_users);
    for (i, (id, first, last, email, role, linked, phone)) in seed.iter().enumerate() {
        users.push(make_user(
            id.to_string(),
            first,
            last,
            email.to_string(),
            *role,
            *linked,
            phone.map(str::to_string),
            REGISTERED_BASE_MS + i as u64 * 86_400_000,
        ));
    }
    for i in 0..extra_users {
        let first = FIRST_NAMES[i % FIRST_NAMES.len()];
        let last = LAST_NAMES[(i / FIRST_NAMES.len() + i * 7) % LAST_NAMES.len()];
        let email = format!(
            "{}.{}.{}@example.com",
            ascii_slug(first),
            ascii_slug(last),
            i + 1
        );
        let role = if i % 997 == 3 {
            Admin
        } else if i % 211 == 5 {
            Guest
        } else if i % 97 == 0 {
            RoomAdmin
        } else {
            User
        };
        users.push(make_user(
            derived_guid(0x05e3, i as u64),
            first,
            last,
            email,
            role,
            i % 3 == 0,
            None,
            REGISTERED_BASE_MS + 400 * 86_400_000 + i as u64 * 60_000,
        ));
    }

    let seed_groups: [(&str, &str, Option<&str>, &[&str]); SEED_GROUP_COUNT] = [
        (
            GROUP_FINANCE_ID,
            "Finance",
            Some(ADMIN_JANE_ID),
            &[ADMIN_JANE_ID, USER_PRIYA_ID, USER_MARTA_ID],
        ),
        (
            GROUP_RND_ID,
            "R&D",
            Some(ROOMADMIN_SAM_ID),
            &[ROOMADMIN_SAM_ID, USER_ZOE_ID, USER_BOB_ID, USER_CHEN_ID],
        ),
        (
            GROUP_SALES_ID,
            "Sales <EMEA>",
            Some(ADMIN_RAVI_ID),
            &[ADMIN_RAVI_ID, USER_BOB_ID],
        ),
        (
            GROUP_ADMINISTRATION_ID,
            "Administration",
            Some(OWNER_ID),
            &[OWNER_ID, ADMIN_JANE_ID, ADMIN_RAVI_ID],
        ),
        (
            GROUP_SUPPORT_ID,
            "Support",
            None,
            &[USER_PRIYA_ID, USER_XSS_ID, GUEST_GINA_ID],
        ),
    ];

    let mut portal = Portal {
        users,
        ..Default::default()
    };
    for (i, u) in portal.users.iter().enumerate() {
        portal.user_by_id.insert(u.id.clone(), i);
        portal.user_by_login.insert(u.email.to_lowercase(), i);
        portal
            .user_by_login
            .entry(u.user_name.to_lowercase())
            .or_insert(i);
    }
    portal.owner = 0;

    let mut groups = Vec::with_capacity(SEED_GROUP_COUNT + extra_groups);
    for (id, name, manager, members) in seed_groups {
        groups.push(Group {
            id: id.to_string(),
            name: name.to_string(),
            manager: manager.map(|m| portal.user_by_id[m]),
            members: members.iter().map(|m| portal.user_by_id[*m]).collect(),
            search_key: name.to_lowercase(),
        });
    }
    for j in 0..extra_groups {
        let name = format!(
            "{} {} {}",
            DEPARTMENTS[j % DEPARTMENTS.len()],
            OFFICES[(j / DEPARTMENTS.len()) % OFFICES.len()],
            j / (DEPARTMENTS.len() * OFFICES.len()) + 1
        );
        groups.push(Group {
            id: derived_guid(0x6a0f, j as u64),
            search_key: name.to_lowercase(),
            name,
            manager: None,
            members: Vec::new(),
        });
    }
    if extra_groups > 0 {
        for i in 0..extra_users {
            let g = SEED_GROUP_COUNT + i % extra_groups;
            groups[g].members.push(SEED_USER_COUNT + i);
        }
        for g in groups.iter_mut().skip(SEED_GROUP_COUNT) {
            g.manager = g.members.first().copied();
        }
    }
    for (gi, g) in groups.iter().enumerate() {
        for &m in &g.members {
            portal.users[m].groups.push(gi);
        }
    }
    for (i, g) in groups.iter().enumerate() {
        portal.group_by_id.insert(g.id.clone(), i);
    }
    portal.groups = groups;

    let mut sorted: Vec<usize> = (0..portal.users.len()).collect();
    {
        let keys: Vec<String> = portal
            .users
            .iter()
            .map(|u| u.display.to_lowercase())
            .collect();
        sorted.sort_by(|&a, &b| {
            keys[a]
                .cmp(&keys[b])
                .then_with(|| portal.users[a].id.cmp(&portal.users[b].id))
        });
    }
    let mut rank = vec![0; sorted.len()];
    for (pos, &i) in sorted.iter().enumerate() {
        rank[i] = pos;
    }
    portal.user_rank = rank;
    let mut hay = String::with_capacity(portal.users.iter().map(|u| u.search_key.len() + 1).sum());
    let mut starts = Vec::with_capacity(sorted.len());
    for &i in &sorted {
        starts.push(hay.len());
        hay.push_str(&portal.users[i].search_key);
        hay.push('\0');
    }
    portal.search_haystack = hay;
    portal.search_starts = starts;
    portal.users_sorted = sorted;
    let mut gsorted: Vec<usize> = (0..portal.groups.len()).collect();
    gsorted.sort_by(|&a, &b| {
        let (ga, gb) = (&portal.groups[a], &portal.groups[b]);
        ga.search_key
            .cmp(&gb.search_key)
            .then_with(|| ga.id.cmp(&gb.id))
    });
    portal.groups_sorted = gsorted;
    portal
}

/// Registration date shown in user DTOs.
pub fn registration_date(u: &User) -> String {
    api_datetime(u.registered_ms)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn seed_portal_is_consistent() {
        let p = build_portal(0, 0);
        assert_eq!(p.users.len(), SEED_USER_COUNT);
        assert_eq!(p.groups.len(), SEED_GROUP_COUNT);
        assert_eq!(p.users[p.owner].id, OWNER_ID);
        let jane = &p.users[p.user(ADMIN_JANE_ID).unwrap()];
        assert_eq!(jane.display_encoded, "Jane O&#39;Neil");
        assert_eq!(jane.groups.len(), 2);
        assert_eq!(p.users[p.users_sorted[0]].id, USER_XSS_ID);
        assert_eq!(p.users[p.users_sorted[1]].id, OWNER_ID);
    }

    #[test]
    fn haystack_matches_each_user_once_in_order() {
        let p = build_portal(0, 0);
        let collect = |needle: &str, desc: bool| {
            let mut v = Vec::new();
            p.for_each_match(needle, desc, |pos| {
                v.push(p.users[p.users_sorted[pos]].id.clone())
            });
            v
        };
        // "a" occurs several times in most keys but each user appears once.
        let all_a = collect("a", false);
        let mut dedup = all_a.clone();
        dedup.dedup();
        assert_eq!(all_a, dedup);
        assert_eq!(collect("rivera", false), [ROOMADMIN_SAM_ID]);
        assert_eq!(collect("example.com", false).len(), SEED_USER_COUNT);
        let mut rev = collect("example.com", true);
        rev.reverse();
        assert_eq!(rev, collect("example.com", false));
        assert!(collect("\n", false).is_empty());
        assert!(collect("zzz", false).is_empty());
        assert_eq!(collect("", false).len(), SEED_USER_COUNT);
    }

    #[test]
    fn generated_portal_has_unique_ids_and_emails() {
        let p = build_portal(5000, 200);
        assert_eq!(p.user_by_id.len(), 5000 + SEED_USER_COUNT);
        assert_eq!(p.group_by_id.len(), 200 + SEED_GROUP_COUNT);
        let emails: std::collections::HashSet<_> = p.users.iter().map(|u| &u.email).collect();
        assert_eq!(emails.len(), p.users.len());
        let names: std::collections::HashSet<_> = p.groups.iter().map(|g| &g.name).collect();
        assert_eq!(names.len(), p.groups.len());
    }
}
