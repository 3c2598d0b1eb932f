//! People and groups (§5): `people/@self`, `people/filter`, `group`,
//! `group/{id}`.

use axum::body::Body;
use axum::http::Response;
use serde_json::{json, Map, Value};

use crate::auth::Principal;
use crate::dto::Errors;
use crate::encoding::query_get;
use crate::envelope::{access_denied, error, Exc};
use crate::guid::{parse_guid, EMPTY_GUID};
use crate::request::{invalid, ok, ok_paged, Ctx};
use crate::seed::{registration_date, Role};
use crate::state::State;

/// `people/@self`: the caller, as an administrator sees them when they are one.
pub fn people_self(st: &State, ctx: &Ctx, p: &Principal) -> Response<Body> {
    let v = employee_full(st, p.user, st.portal.users[p.user].role.is_admin(), ctx);
    ok(ctx, Some(v))
}

fn employee_full(st: &State, i: usize, viewer_admin: bool, ctx: &Ctx) -> Value {
    let u = &st.portal.users[i];
    let mut o = Map::new();
    let avatar = |size: &str| {
        json!(format!(
            "/static/images/default_user_photo_size_{size}.png?hash=1"
        ))
    };
    o.insert("id".into(), json!(u.id));
    o.insert("displayName".into(), json!(u.display_encoded));
    o.insert("avatar".into(), avatar("82-82"));
    o.insert("avatarOriginal".into(), avatar("200-200"));
    o.insert("avatarMax".into(), avatar("200-200"));
    o.insert("avatarMedium".into(), avatar("48-48"));
    o.insert("avatarSmall".into(), avatar("32-32"));
    o.insert("hasAvatar".into(), json!(false));
    o.insert(
        "profileUrl".into(),
        json!(format!("{}/accounts/view/{}", ctx.origin, u.user_name)),
    );
    o.insert("isAnonim".into(), json!(false));
    o.insert("firstName".into(), json!(u.first));
    o.insert("lastName".into(), json!(u.last));
    o.insert("userName".into(), json!(u.user_name));
    o.insert("email".into(), json!(u.email));
    o.insert("status".into(), json!(1));
    o.insert("activationStatus".into(), json!(1));
    // `IsAdmin = type is DocSpaceAdmin && !IsOwner` (§10.8): false for the
    // owner, who is told by `isOwner`.
    o.insert("isAdmin".into(), json!(u.role == Role::Admin));
    o.insert("isOwner".into(), json!(u.role == Role::Owner));
    o.insert("isRoomAdmin".into(), json!(u.role == Role::RoomAdmin));
    o.insert("isCollaborator".into(), json!(u.role == Role::User));
    o.insert("isVisitor".into(), json!(u.role == Role::Guest));
    o.insert("isLDAP".into(), json!(false));
    o.insert("isSSO".into(), json!(false));
    let groups: Vec<Value> = u
        .groups
        .iter()
        .map(|&g| {
            let g = &st.portal.groups[g];
            let manager = g.manager.map(|m| st.portal.users[m].user_name.clone());
            json!({ "id": g.id, "name": g.name, "manager": manager })
        })
        .collect();
    o.insert("groups".into(), json!(groups));
    if let Some(phone) = &u.phone {
        o.insert("mobilePhone".into(), json!(phone));
    }
    o.insert(
        "mobilePhoneActivationStatus".into(),
        json!(if u.phone.is_some() { 1 } else { 0 }),
    );
    o.insert("cultureName".into(), json!(u.culture));
    o.insert("registrationDate".into(), json!(registration_date(u)));
    if viewer_admin && st.app.enable {
        o.insert("tfaAppEnabled".into(), json!(u.app_linked));
    }
    Value::Object(o)
}

/// A list request (`people/filter`, `group`): its filter text and order,
/// and the page it collects.
struct Listing {
    /// `filterValue`, trimmed and lowercased.
    needle: String,
    descending: bool,
    page: Page,
}

/// One page of a list (`startIndex`, `count`), collected while every match
/// is counted for `total`.
struct Page {
    start: u64,
    count: usize,
    total: u64,
    items: Vec<usize>,
}

impl Page {
    /// Counts a match and keeps it when it falls on the page.
    fn offer(&mut self, i: usize) {
        if self.total >= self.start && self.items.len() < self.count {
            self.items.push(i);
        }
        self.total += 1;
    }
}

impl Listing {
    /// Reads the paging (a 400 when it is out of range), then lets only the
    /// roles that `may_list` allows go on (a 403 from `site` for the rest).
    fn open(
        st: &State,
        ctx: &Ctx,
        p: &Principal,
        may_list: fn(Role) -> bool,
        site: &str,
    ) -> Result<(Listing, Role), Box<Response<Body>>> {
        let (start, count) = paging(ctx).map_err(|e| Box::new(invalid(ctx, &e)))?;
        let viewer = st.portal.users[p.user].role;
        if !may_list(viewer) {
            return Err(Box::new(access_denied(Exc::Security, site)));
        }
        let listing = Listing {
            needle: query_get(&ctx.query, "filterValue")
                .unwrap_or("")
                .trim()
                .to_lowercase(),
            descending: query_get(&ctx.query, "sortOrder")
                .is_some_and(|s| s.eq_ignore_ascii_case("descending")),
            page: Page {
                start: start as u64,
                count,
                total: 0,
                items: Vec::with_capacity(count.min(100)),
            },
        };
        Ok((listing, viewer))
    }
}

/// One paging parameter: absent is `default`, a number in `range` is taken,
/// anything else is the validation error ASP.NET gives for `field`.
fn paging_value(
    ctx: &Ctx,
    key: &str,
    field: &str,
    range: (i64, i64),
    default: usize,
    errors: &mut Errors,
) -> usize {
    let Some(v) = query_get(&ctx.query, key) else {
        return default;
    };
    let message = match v.trim().parse::<i64>() {
        Ok(n) if (range.0..=range.1).contains(&n) => {
            return usize::try_from(n).unwrap_or(usize::MAX)
        }
        Ok(_) => format!(
            "The field {field} must be between {} and {}.",
            range.0, range.1
        ),
        Err(_) => format!("The value '{v}' is not valid for {field}."),
    };
    errors.push((key.to_string(), message));
    default
}

/// `(startIndex, count)`, or every paging error.
fn paging(ctx: &Ctx) -> Result<(usize, usize), Errors> {
    let mut errors = Vec::new();
    let count = paging_value(ctx, "count", "Count", (1, 100), 100, &mut errors);
    let start = paging_value(
        ctx,
        "startIndex",
        "StartIndex",
        (0, i64::MAX),
        0,
        &mut errors,
    );
    if errors.is_empty() {
        Ok((start, count))
    } else {
        Err(errors)
    }
}

pub fn people_filter(st: &State, ctx: &Ctx, p: &Principal) -> Response<Body> {
    let (mut listing, viewer) = match Listing::open(
        st,
        ctx,
        p,
        |r| !matches!(r, Role::Guest | Role::User),
        "ASC.People.Api.UserController.GetFullByFilter()",
    ) {
        Ok(x) => x,
        Err(r) => return *r,
    };
    // `employeeType` and the repeated `employeeTypes` (1 room admin, 2
    // guest, 3 DocSpace admin incl. the owner, 4 user; 0 all): a person
    // matches any type asked for.
    let types: Vec<&str> = ctx
        .query
        .iter()
        .filter(|(k, _)| {
            k.eq_ignore_ascii_case("employeeType") || k.eq_ignore_ascii_case("employeeTypes")
        })
        .map(|(_, v)| v.trim())
        .collect();
    let type_of = |r: Role| match r {
        Role::RoomAdmin => "1",
        Role::Guest => "2",
        Role::Owner | Role::Admin => "3",
        Role::User => "4",
    };
    let any_type = types.is_empty() || types.iter().any(|t| !matches!(*t, "1" | "2" | "3" | "4"));
    let type_filter = (!any_type).then_some(&types);
    let group_filter = match query_get(&ctx.query, "groupId").and_then(parse_guid) {
        Some(g) => match st.portal.group(&g) {
            Some(gi) => Some(gi),
            None => return ok_paged(ctx, json!([]), 0),
        },
        None => None,
    };
    st.portal
        .for_each_match(&listing.needle, listing.descending, |pos| {
            let i = st.portal.users_sorted[pos];
            let u = &st.portal.users[i];
            if type_filter.is_some_and(|ts| !ts.contains(&type_of(u.role)))
                || group_filter.is_some_and(|g| !u.groups.contains(&g))
            {
                return;
            }
            listing.page.offer(i);
        });
    let viewer_admin = viewer.is_admin();
    let list: Vec<Value> = listing
        .page
        .items
        .iter()
        .map(|&i| employee_full(st, i, viewer_admin, ctx))
        .collect();
    ok_paged(ctx, json!(list), listing.page.total)
}

fn group_dto(st: &State, gi: usize, ctx: &Ctx, viewer_admin: bool, members: bool) -> Value {
    let g = &st.portal.groups[gi];
    let mut o = Map::new();
    o.insert("id".into(), json!(g.id));
    o.insert("name".into(), json!(g.name));
    o.insert("category".into(), json!(EMPTY_GUID));
    o.insert("isLDAP".into(), json!(false));
    if let Some(m) = g.manager {
        o.insert("manager".into(), employee_full(st, m, viewer_admin, ctx));
    }
    o.insert("membersCount".into(), json!(g.members.len()));
    if members {
        let mut list = g.members.clone();
        list.sort_by_key(|&i| st.portal.user_rank[i]);
        let list: Vec<Value> = list
            .iter()
            .map(|&i| employee_full(st, i, viewer_admin, ctx))
            .collect();
        o.insert("members".into(), json!(list));
    }
    Value::Object(o)
}

pub fn group_list(st: &State, ctx: &Ctx, p: &Principal) -> Response<Body> {
    let (mut listing, viewer) = match Listing::open(
        st,
        ctx,
        p,
        |r| r != Role::Guest,
        "ASC.People.Api.GroupController.GetGroupsAsync()",
    ) {
        Ok(x) => x,
        Err(r) => return *r,
    };
    let it: Box<dyn Iterator<Item = &usize>> = if listing.descending {
        Box::new(st.portal.groups_sorted.iter().rev())
    } else {
        Box::new(st.portal.groups_sorted.iter())
    };
    for &gi in it {
        if listing.needle.is_empty() || st.portal.groups[gi].search_key.contains(&listing.needle) {
            listing.page.offer(gi);
        }
    }
    let list: Vec<Value> = listing
        .page
        .items
        .iter()
        .map(|&g| group_dto(st, g, ctx, viewer.is_admin(), false))
        .collect();
    ok_paged(ctx, json!(list), listing.page.total)
}

pub fn group_one(st: &State, ctx: &Ctx, p: &Principal) -> Response<Body> {
    let viewer = st.portal.users[p.user].role;
    if viewer == Role::Guest {
        return access_denied(
            Exc::Security,
            "ASC.People.Api.GroupController.GetGroupAsync(Guid id)",
        );
    }
    let id = ctx.route.trim_start_matches("group/");
    let Some(gi) = st.portal.group(id) else {
        return error(
            404,
            "Group not found",
            Exc::ItemNotFound,
            "ASC.People.Api.GroupController.GetGroupAsync(Guid id)",
        );
    };
    let members = query_get(&ctx.query, "includeMembers")
        .is_some_and(|v| v.trim().eq_ignore_ascii_case("true"));
    ok(
        ctx,
        Some(group_dto(st, gi, ctx, viewer.is_admin(), members)),
    )
}
