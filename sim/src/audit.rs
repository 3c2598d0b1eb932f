//! The audit trail endpoints (§11): `security/audit/events/filter` and
//! `security/audit/events/last`, with the plan gate.

use axum::body::Body;
use axum::http::Response;
use serde_json::{json, Value};

use crate::auth::Principal;
use crate::clock::{now_ms, parse_iso_datetime};
use crate::dto::Errors;
use crate::encoding::query_get;
use crate::envelope::{access_denied, error, Exc};
use crate::guid::{parse_guid, EMPTY_GUID};
use crate::request::{invalid, ok, Ctx};
use crate::state::State;
use crate::trail::{action_by_name, AuditEvent, AuditPlan};

const SITE: &str = "ASC.Web.Api.Controllers.SecurityController";

/// `Resource.ErrorNotAllowedOption`, the `BillingException` of a plan
/// without the option.
const NOT_ALLOWED_OPTION: &str = "Your pricing plan does not support this option";

/// How many events `audit/events/last` answers.
const LAST: usize = 20;

/// `TenantAuditSettings.AuditTrailLifeTime`'s default (days): `last` looks
/// no further back.
const LIFETIME_DAYS: u64 = 180;

/// `AuditEventRequestDto`, bound from the query.
#[derive(Default)]
struct Filter {
    user_id: Option<String>,
    action: Option<i64>,
    action_type: Option<i64>,
    location: Option<i64>,
    entry: Option<i64>,
    target: Option<String>,
    from: Option<u64>,
    to: Option<u64>,
    start: usize,
    count: usize,
}

/// A query GUID as ASP.NET binds it: the hyphenated form, 32 digits or
/// braces around the hyphenated form.
fn query_guid(v: &str) -> Option<String> {
    let v = v.trim();
    let inner = v
        .strip_prefix('{')
        .and_then(|x| x.strip_suffix('}'))
        .unwrap_or(v);
    if let Some(g) = parse_guid(inner) {
        return Some(g);
    }
    (v.len() == 32 && v.bytes().all(|b| b.is_ascii_hexdigit())).then(|| {
        let l = v.to_ascii_lowercase();
        format!(
            "{}-{}-{}-{}-{}",
            &l[..8],
            &l[8..12],
            &l[12..16],
            &l[16..20],
            &l[20..]
        )
    })
}

/// Reads the query; every binding error is collected, as model binding
/// does before the action runs (so they come before permission and plan).
fn bind(ctx: &Ctx) -> Result<Filter, Errors> {
    let mut errors: Errors = Vec::new();
    let mut f = Filter {
        count: 100,
        ..Filter::default()
    };
    let mut bad = |key: &str, field: &str, v: &str| {
        errors.push((
            key.to_string(),
            format!("The value '{v}' is not valid for {field}."),
        ))
    };
    let get = |k: &str| query_get(&ctx.query, k).filter(|v| !v.trim().is_empty());
    if let Some(v) = get("userId") {
        match query_guid(v) {
            Some(g) if g == EMPTY_GUID => {}
            Some(g) => f.user_id = Some(g),
            None => bad("userId", "UserId", v),
        }
    }
    // An enum takes its number or its name; 0 (and None, -1) mean any.
    let mut enum_value = |key: &str, field: &str, by_name: fn(&str) -> Option<i64>| {
        let v = get(key)?;
        match v.trim().parse::<i64>().ok().or_else(|| by_name(v.trim())) {
            Some(0 | -1) => None,
            Some(n) => Some(n),
            None => {
                bad(key, field, v);
                None
            }
        }
    };
    f.action = enum_value("action", "Action", action_by_name);
    f.action_type = enum_value("actionType", "ActionType", |_| None);
    f.location = enum_value("moduleType", "LocationType", |_| None);
    f.entry = enum_value("entryType", "EntryType", |_| None);
    f.target = get("target").map(str::to_string);
    for (key, field, slot) in [("from", "From", &mut f.from), ("to", "To", &mut f.to)] {
        if let Some(v) = get(key) {
            match parse_iso_datetime(v) {
                Some(ms) => *slot = Some(ms),
                None => bad(key, field, v),
            }
        }
    }
    let mut range = |key: &str, field: &str, lo: i64, hi: i64, slot: &mut usize| {
        let Some(v) = query_get(&ctx.query, key) else {
            return;
        };
        match v.trim().parse::<i64>() {
            Ok(n) if (lo..=hi).contains(&n) => *slot = usize::try_from(n).unwrap_or(usize::MAX),
            Ok(_) => errors.push((
                key.to_string(),
                format!("The field {field} must be between {lo} and {hi}."),
            )),
            Err(_) => errors.push((
                key.to_string(),
                format!("The value '{v}' is not valid for {field}."),
            )),
        }
    };
    range("count", "Count", 1, 100, &mut f.count);
    range(
        "startIndex",
        "StartIndex",
        0,
        i64::from(i32::MAX),
        &mut f.start,
    );
    if errors.is_empty() {
        Ok(f)
    } else {
        Err(errors)
    }
}

impl Filter {
    fn keeps(&self, e: &AuditEvent) -> bool {
        let info = crate::trail::action_info(e.action);
        let by_action = match self.action {
            // `action` overrides the type, module and entry filters.
            Some(a) => e.action == a,
            None => {
                self.action_type
                    .is_none_or(|t| info.is_some_and(|i| i64::from(i.action_type) == t))
                    && self
                        .location
                        .is_none_or(|l| info.is_some_and(|i| i64::from(i.location) == l))
                    && self.entry.is_none_or(|en| {
                        info.is_some_and(|i| i.entries.iter().any(|x| i64::from(*x) == en))
                            && self
                                .target
                                .as_ref()
                                .is_none_or(|t| e.target.as_ref().is_some_and(|ts| ts.contains(t)))
                    })
            }
        };
        by_action
            && self.user_id.as_ref().is_none_or(|u| e.user_id == *u)
            && e.within(self.from, self.to)
    }
}

/// `GetLastAuditEvents`: the latest 20 events of any kind within the
/// retention period.
fn last_events(st: &State) -> Value {
    let since = now_ms().saturating_sub(LIFETIME_DAYS * 86_400_000);
    let list: Vec<Value> = st
        .audit_newest_first()
        .into_iter()
        .filter(|e| e.date_ms >= since)
        .take(LAST)
        .map(AuditEvent::to_json)
        .collect();
    json!(list)
}

/// Why the caller may not read the trail, if they may not: not the owner
/// or a DocSpace admin (`EditPortalSettings`), 403; then the plan, 402.
fn refusal(st: &State, p: &Principal, method: &str) -> Option<Response<Body>> {
    let site = format!("{SITE}.{method}");
    if !st.portal.users[p.user].role.is_admin() {
        return Some(access_denied(Exc::Authorizing, &site));
    }
    (st.audit_plan == AuditPlan::None).then(|| error(402, NOT_ALLOWED_OPTION, Exc::Billing, &site))
}

/// `GET security/audit/events/filter`: newest first, filtered and paged
/// (`count` 1–100, default 100; no `total`). Without the audit option in
/// the plan it answers `last` instead, every parameter ignored.
pub fn events_filter(st: &State, ctx: &Ctx, p: &Principal) -> Response<Body> {
    let filter = match bind(ctx) {
        Ok(f) => f,
        Err(e) => return invalid(ctx, &e),
    };
    if let Some(r) = refusal(st, p, "GetAuditEventsByFilter(AuditEventRequestDto inDto)") {
        return r;
    }
    if st.audit_plan == AuditPlan::Last20 {
        return ok(ctx, Some(last_events(st)));
    }
    let list: Vec<Value> = st
        .audit_newest_first()
        .into_iter()
        .filter(|e| filter.keeps(e))
        .skip(filter.start)
        .take(filter.count)
        .map(AuditEvent::to_json)
        .collect();
    ok(ctx, Some(json!(list)))
}

/// `GET security/audit/events/last`: the latest 20 events of any kind.
pub fn events_last(st: &State, ctx: &Ctx, p: &Principal) -> Response<Body> {
    if let Some(r) = refusal(st, p, "GetLastAuditEvents()") {
        return r;
    }
    ok(ctx, Some(last_events(st)))
}

#[cfg(test)]
mod tests {
    use super::query_guid;

    #[test]
    fn query_guids_bind_like_asp_net() {
        let g = "8f2c1a9e-0001-4a6e-9c1d-5e7f00000001";
        assert_eq!(query_guid(g).as_deref(), Some(g));
        assert_eq!(
            query_guid("{8F2C1A9E-0001-4A6E-9C1D-5E7F00000001}").as_deref(),
            Some(g)
        );
        assert_eq!(
            query_guid("8f2c1a9e00014a6e9c1d5e7f00000001").as_deref(),
            Some(g)
        );
        assert_eq!(query_guid("owner"), None);
    }
}
