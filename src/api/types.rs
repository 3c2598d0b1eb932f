//! DocSpace's JSON shapes (spec §4, §5) and their mapping to the panel's types.
//! Pure: tested natively against the shapes each server version sends.

use super::error::ApiError;
use super::json::{Fields, Json, WrongType};
use crate::domain::html::decode_entities;
pub use crate::domain::Role;
use crate::domain::{Guid, Policy, Server, TfaMethod};
use crate::t;

/// The caller, from `GET people/@self`.
#[derive(Debug, Clone, PartialEq)]
pub struct Me {
    pub id: Guid,
    pub display_name: String,
    pub email: String,
    pub role: Role,
    /// Whether you have linked an authenticator app; DocSpace tells only an
    /// owner or admin viewer, and only while app TFA is on (§10.8).
    pub tfa_app_enabled: Option<bool>,
    /// The user's language in DocSpace (`cultureName`, e.g. `ru-RU`).
    pub culture: Option<String>,
}

/// `EmployeeFullDto`, the fields the panel reads.
struct EmployeeDto {
    id: String,
    display_name: Option<String>,
    first_name: Option<String>,
    last_name: Option<String>,
    email: Option<String>,
    is_owner: bool,
    is_admin: bool,
    is_room_admin: bool,
    is_visitor: bool,
    tfa_app_enabled: Option<bool>,
    culture_name: Option<String>,
    /// `groups`: id and name of each.
    groups: Vec<(String, Option<String>)>,
}

/// The member a mapping needs, or the reason it cannot be read.
fn need<T>(value: Option<T>, key: &str) -> Result<T, WrongType> {
    value.ok_or_else(|| WrongType(key.to_string()))
}

fn employee(value: &Json) -> Result<EmployeeDto, WrongType> {
    let f = Fields::of(value).ok_or_else(|| WrongType(String::new()))?;
    let mut groups = Vec::new();
    for g in f.list("groups")?.unwrap_or_default() {
        let g = Fields::of(g).ok_or_else(|| WrongType("groups".into()))?;
        groups.push((need(g.str("id")?, "id")?, g.str("name")?));
    }
    Ok(EmployeeDto {
        id: need(f.str("id")?, "id")?,
        display_name: f.str("displayName")?,
        first_name: f.str("firstName")?,
        last_name: f.str("lastName")?,
        email: f.str("email")?,
        is_owner: f.bool("isOwner")?.unwrap_or(false),
        is_admin: f.bool("isAdmin")?.unwrap_or(false),
        is_room_admin: f.bool("isRoomAdmin")?.unwrap_or(false),
        is_visitor: f.bool("isVisitor")?.unwrap_or(false),
        tfa_app_enabled: f.bool("tfaAppEnabled")?,
        culture_name: f.str("cultureName")?,
        groups,
    })
}

/// Maps each item of a list with `item`; `None` when it is not a list or an
/// item does not map.
fn list_of<T>(value: &Json, item: fn(&Json) -> Result<T, WrongType>) -> Option<Vec<T>> {
    match value {
        Json::Arr(items) => items.iter().map(|v| item(v).ok()).collect(),
        _ => None,
    }
}

/// An answer of an unexpected shape; `detail` is a message saying what was wrong.
fn shape_error(detail: String) -> ApiError {
    ApiError::UnexpectedResponse { detail }
}

/// The response, or an error with the message `missing` says.
fn required(response: Option<Json>, missing: impl FnOnce() -> String) -> Result<Json, ApiError> {
    response.ok_or_else(|| shape_error(missing()))
}

fn display_name(dto: &EmployeeDto) -> String {
    match &dto.display_name {
        Some(name) if !name.trim().is_empty() => decode_entities(name),
        _ => {
            let joined = format!(
                "{} {}",
                dto.first_name.as_deref().unwrap_or(""),
                dto.last_name.as_deref().unwrap_or("")
            );
            joined.trim().to_string()
        }
    }
}

/// The role an `EmployeeFullDto` describes (an admin flag beats the others).
fn role_of(dto: &EmployeeDto) -> Role {
    if dto.is_owner {
        Role::Owner
    } else if dto.is_admin {
        Role::Admin
    } else if dto.is_visitor {
        Role::Guest
    } else if dto.is_room_admin {
        Role::RoomAdmin
    } else {
        Role::User
    }
}

/// Maps `people/@self`.
pub fn parse_me(response: Option<Json>) -> Result<Me, ApiError> {
    let value = required(response, || t!(api_profile_missing))?;
    let dto = employee(&value).map_err(|_| shape_error(t!(api_profile_not_object)))?;
    let id = Guid::parse(&dto.id).map_err(|_| shape_error(t!(api_profile_id_not_guid)))?;
    let role = role_of(&dto);
    Ok(Me {
        display_name: display_name(&dto),
        email: dto.email.clone().unwrap_or_default(),
        id,
        role,
        tfa_app_enabled: dto.tfa_app_enabled,
        culture: dto.culture_name.filter(|c| !c.trim().is_empty()),
    })
}

/// Maps `settings/version/build` (§10.15): `{docSpace, documentServer}`.
/// An answer without `docSpace` (old builds) is an unknown version.
pub fn parse_version(response: Option<Json>) -> Result<Server, ApiError> {
    let value = required(response, || t!(api_version_missing))?;
    let doc_space = Fields::of(&value)
        .and_then(|f| f.str("docSpace").ok())
        .ok_or_else(|| shape_error(t!(api_version_not_object)))?;
    Ok(Server::from_reported(doc_space.as_deref()))
}

/// One TFA method as the portal reports it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct MethodInfo {
    /// The portal listed the method at all (it may hide it).
    pub listed: bool,
    pub available: bool,
}

/// `GET settings/tfaapp`, mapped.
#[derive(Debug, Clone, PartialEq)]
pub struct PortalTfa {
    pub sms: MethodInfo,
    pub app: MethodInfo,
    /// The policy in force: the enabled method and its lists.
    pub policy: Policy,
}

/// One item of `settings/tfaapp` (`TfaSettingsDto`).
struct TfaSettingDto {
    id: String,
    enabled: bool,
    available: Option<bool>,
    /// DocSpace ≤ 3.6 spells it this way (§4.1).
    avaliable: Option<bool>,
    trusted_ips: Option<Vec<String>>,
    mandatory_users: Option<Vec<String>>,
    mandatory_groups: Option<Vec<String>>,
}

fn tfa_setting(value: &Json) -> Result<TfaSettingDto, WrongType> {
    let f = Fields::of(value).ok_or_else(|| WrongType(String::new()))?;
    Ok(TfaSettingDto {
        id: need(f.str("id")?, "id")?,
        enabled: f.bool("enabled")?.unwrap_or(false),
        available: f.bool("available")?,
        avaliable: f.bool("avaliable")?,
        trusted_ips: f.strs("trustedIps")?,
        mandatory_users: f.strs("mandatoryUsers")?,
        mandatory_groups: f.strs("mandatoryGroups")?,
    })
}

fn guids(list: Option<Vec<String>>) -> Vec<Guid> {
    list.unwrap_or_default()
        .iter()
        .filter_map(|s| Guid::parse(s).ok())
        .collect()
}

/// Maps `settings/tfaapp`, accepting both spellings of "available".
pub fn parse_tfa_settings(response: Option<Json>) -> Result<PortalTfa, ApiError> {
    let value = required(response, || t!(api_settings_missing))?;
    let items =
        list_of(&value, tfa_setting).ok_or_else(|| shape_error(t!(api_settings_not_list)))?;
    let mut sms = MethodInfo::default();
    let mut app = MethodInfo::default();
    let mut policy = Policy::default();
    for item in items {
        let info = MethodInfo {
            listed: true,
            available: item.available.or(item.avaliable).unwrap_or(false),
        };
        let method = match item.id.to_ascii_lowercase().as_str() {
            "sms" => {
                sms = info;
                TfaMethod::Sms
            }
            "app" => {
                app = info;
                TfaMethod::App
            }
            _ => continue,
        };
        if item.enabled {
            policy = Policy {
                method,
                trusted_ips: item.trusted_ips.unwrap_or_default(),
                mandatory_users: guids(item.mandatory_users),
                mandatory_groups: guids(item.mandatory_groups),
            };
        }
    }
    if !sms.listed && !app.listed {
        return Err(shape_error(t!(api_settings_no_method)));
    }
    Ok(PortalTfa { sms, app, policy })
}

/// The body of `PUT settings/tfaappwithlink` (§4, `TfaRequestsDto`).
#[derive(Debug, Clone, PartialEq)]
pub struct PolicyRequest {
    /// `type`.
    pub method: &'static str,
    /// The admin confirming the change: always the caller's own id (§4.2).
    pub id: String,
    /// `trustedIps`, `mandatoryUsers`, `mandatoryGroups`: left out when `None`.
    pub trusted_ips: Option<Vec<String>>,
    pub mandatory_users: Option<Vec<String>>,
    pub mandatory_groups: Option<Vec<String>>,
}

fn text(s: &str) -> Json {
    Json::Str(s.to_string())
}

fn texts(list: &[String]) -> Json {
    Json::Arr(list.iter().map(|s| text(s)).collect())
}

impl PolicyRequest {
    /// Builds the request; with method None the lists are left out (the server wipes them).
    pub fn new(
        confirming_admin: &Guid,
        method: TfaMethod,
        lists: (Vec<String>, Vec<Guid>, Vec<Guid>),
    ) -> Self {
        let (ips, users, groups) = lists;
        let with_lists = method != TfaMethod::None;
        let strings = |l: Vec<Guid>| l.iter().map(|g| g.as_str().to_string()).collect();
        PolicyRequest {
            method: method.api_name(),
            id: confirming_admin.as_str().to_string(),
            trusted_ips: with_lists.then_some(ips),
            mandatory_users: with_lists.then(|| strings(users)),
            mandatory_groups: with_lists.then(|| strings(groups)),
        }
    }

    /// The JSON body.
    pub fn to_json(&self) -> String {
        let mut members = vec![
            ("type".to_string(), text(self.method)),
            ("id".to_string(), text(&self.id)),
        ];
        for (key, list) in [
            ("trustedIps", &self.trusted_ips),
            ("mandatoryUsers", &self.mandatory_users),
            ("mandatoryGroups", &self.mandatory_groups),
        ] {
            if let Some(list) = list {
                members.push((key.to_string(), texts(list)));
            }
        }
        Json::Obj(members).text()
    }
}

/// The body of `PUT settings/tfaappnewapp`. Every release reads only `id`
/// and unlinks that user's authenticator app (§10.4); `type` is sent only to
/// a seed-contract portal, which honours it.
#[derive(Debug, Clone, PartialEq)]
pub struct UserMethodRequest {
    /// `type`, left out when `None`.
    pub method: Option<&'static str>,
    pub id: String,
}

impl UserMethodRequest {
    /// The JSON body.
    pub fn to_json(&self) -> String {
        let mut members = Vec::new();
        if let Some(method) = self.method {
            members.push(("type".to_string(), text(method)));
        }
        members.push(("id".to_string(), text(&self.id)));
        Json::Obj(members).text()
    }
}

/// A link the server returned: the text, and the cookie that goes with it (3.7+).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConfirmData {
    pub url: String,
    /// 3.7+ sets the key in a cookie of this name; the link works only in a
    /// browser that received it from the portal.
    pub cookie_name: Option<String>,
}

/// Maps `settings/tfaapp/confirm`: a string (≤3.6), an object (3.7+), or nothing.
pub fn parse_confirm(response: Option<Json>) -> Result<Option<ConfirmData>, ApiError> {
    match response {
        None | Some(Json::Null) => Ok(None),
        Some(Json::Str(url)) if url.trim().is_empty() => Ok(None),
        Some(Json::Str(url)) => Ok(Some(ConfirmData {
            url,
            cookie_name: None,
        })),
        Some(map @ Json::Obj(_)) => match map.get("url") {
            Some(Json::Str(url)) if url.trim().is_empty() => Ok(None),
            Some(Json::Str(url)) => Ok(Some(ConfirmData {
                url: url.clone(),
                cookie_name: map
                    .get("cookieName")
                    .and_then(Json::as_str)
                    .map(str::to_string),
            })),
            None | Some(Json::Null) => Ok(None),
            Some(_) => Err(shape_error(t!(api_confirm_link_not_text))),
        },
        Some(_) => Err(shape_error(t!(api_confirm_link_neither))),
    }
}

/// Which link a string response is, for the messages about its shape.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LinkKind {
    /// The confirmation link of `tfaappwithlink`.
    Confirmation,
    /// The login link of `tfaappnewapp`.
    Login,
}

/// Maps a response that must be a string (`tfaappwithlink`, `tfaappnewapp`).
pub fn parse_link(response: Option<Json>, kind: LinkKind) -> Result<String, ApiError> {
    let missing = || match kind {
        LinkKind::Confirmation => t!(api_confirm_link_missing),
        LinkKind::Login => t!(api_login_link_missing),
    };
    match required(response, missing)? {
        Json::Str(s) => Ok(s),
        _ => Err(shape_error(match kind {
            LinkKind::Confirmation => t!(api_confirm_link_not_text),
            LinkKind::Login => t!(api_login_link_not_text),
        })),
    }
}

/// One person found by the picker.
#[derive(Debug, Clone, PartialEq)]
pub struct PersonHit {
    pub id: Guid,
    /// Decoded from the server's HTML encoding; render as text only.
    pub name: String,
    pub email: String,
    pub is_owner: bool,
    /// Has linked an authenticator app; `None` when DocSpace does not say
    /// (the viewer is not an admin, or app TFA is off: §10.8).
    pub tfa_app_enabled: Option<bool>,
}

/// One group found by the picker.
#[derive(Debug, Clone, PartialEq)]
pub struct GroupHit {
    pub id: Guid,
    pub name: String,
    pub members: Option<u64>,
}

/// A page of search results with the server's `total`.
#[derive(Debug, Clone, PartialEq)]
pub struct Page<T> {
    pub items: Vec<T>,
    pub total: u64,
}

/// Maps `people/filter`.
pub fn parse_people(
    response: Option<Json>,
    total: Option<u64>,
) -> Result<Page<PersonHit>, ApiError> {
    let value = required(response, || t!(api_people_missing))?;
    let list = list_of(&value, employee).ok_or_else(|| shape_error(t!(api_people_not_list)))?;
    let items: Vec<PersonHit> = list
        .iter()
        .filter_map(|dto| {
            Some(PersonHit {
                id: Guid::parse(&dto.id).ok()?,
                name: display_name(dto),
                email: dto.email.clone().unwrap_or_default(),
                is_owner: dto.is_owner,
                tfa_app_enabled: dto.tfa_app_enabled,
            })
        })
        .collect();
    Ok(Page {
        total: total.unwrap_or(items.len() as u64),
        items,
    })
}

/// Maps a page of `people/filter` for the enrolment overview: everyone's
/// role, groups and whether an app is linked (§11).
pub fn parse_people_full(
    response: Option<Json>,
    total: Option<u64>,
) -> Result<Page<crate::domain::enrolment::Person>, ApiError> {
    let value = required(response, || t!(api_people_missing))?;
    let list = list_of(&value, employee).ok_or_else(|| shape_error(t!(api_people_not_list)))?;
    let items: Vec<_> = list
        .iter()
        .filter_map(|dto| {
            Some(crate::domain::enrolment::Person {
                id: Guid::parse(&dto.id).ok()?,
                name: display_name(dto),
                email: dto.email.clone().unwrap_or_default(),
                role: role_of(dto),
                groups: dto
                    .groups
                    .iter()
                    .filter_map(|(id, name)| {
                        Some((
                            Guid::parse(id).ok()?,
                            decode_entities(name.as_deref().unwrap_or_default()),
                        ))
                    })
                    .collect(),
                linked: dto.tfa_app_enabled,
            })
        })
        .collect();
    Ok(Page {
        total: total.unwrap_or(items.len() as u64),
        items,
    })
}

/// One event of the portal's audit trail (`AuditEventDto`, §11).
#[derive(Debug, Clone, PartialEq)]
pub struct AuditEvent {
    pub id: i64,
    /// ISO 8601, as the server sent it.
    pub date: String,
    /// Who acted (display name, decoded).
    pub user: String,
    pub action_id: u32,
    /// The server's own wording of the action.
    pub action: String,
    pub ip: String,
    pub browser: String,
    pub platform: String,
    /// Whom it was done to, when the server says.
    pub target: Vec<String>,
}

struct AuditEventDto {
    id: i64,
    date: Option<String>,
    user: Option<String>,
    action_id: Option<u32>,
    action: Option<String>,
    ip: Option<String>,
    browser: Option<String>,
    platform: Option<String>,
    /// The texts of `target` (other items are skipped).
    target: Vec<String>,
}

fn audit_event(value: &Json) -> Result<AuditEventDto, WrongType> {
    let f = Fields::of(value).ok_or_else(|| WrongType(String::new()))?;
    let action_id = match f.u64("actionId")? {
        Some(n) => Some(u32::try_from(n).map_err(|_| WrongType("actionId".into()))?),
        None => None,
    };
    Ok(AuditEventDto {
        id: need(f.i64("id")?, "id")?,
        date: f.str("date")?,
        user: f.str("user")?,
        action_id,
        action: f.str("action")?,
        ip: f.str("ip")?,
        browser: f.str("browser")?,
        platform: f.str("platform")?,
        target: f
            .list("target")?
            .unwrap_or_default()
            .iter()
            .filter_map(|t| t.as_str().map(decode_entities))
            .collect(),
    })
}

/// Maps `security/audit/events/filter` (or `…/last`).
pub fn parse_audit(response: Option<Json>) -> Result<Vec<AuditEvent>, ApiError> {
    let value = required(response, || t!(api_audit_missing))?;
    let list = list_of(&value, audit_event).ok_or_else(|| shape_error(t!(api_audit_not_list)))?;
    Ok(list
        .into_iter()
        .map(|e| AuditEvent {
            id: e.id,
            date: e.date.unwrap_or_default(),
            user: decode_entities(e.user.as_deref().unwrap_or_default()),
            action_id: e.action_id.unwrap_or_default(),
            action: e.action.unwrap_or_default(),
            ip: e.ip.unwrap_or_default(),
            browser: e.browser.unwrap_or_default(),
            platform: e.platform.unwrap_or_default(),
            target: e.target,
        })
        .collect())
}

struct GroupDto {
    id: String,
    name: Option<String>,
    members_count: Option<u64>,
}

fn group(value: &Json) -> Result<GroupDto, WrongType> {
    let f = Fields::of(value).ok_or_else(|| WrongType(String::new()))?;
    Ok(GroupDto {
        id: need(f.str("id")?, "id")?,
        name: f.str("name")?,
        members_count: f.u64("membersCount")?,
    })
}

/// Maps `group`.
pub fn parse_groups(
    response: Option<Json>,
    total: Option<u64>,
) -> Result<Page<GroupHit>, ApiError> {
    let value = required(response, || t!(api_groups_missing))?;
    let list = list_of(&value, group).ok_or_else(|| shape_error(t!(api_groups_not_list)))?;
    let items: Vec<GroupHit> = list
        .into_iter()
        .filter_map(|dto| {
            Some(GroupHit {
                id: Guid::parse(&dto.id).ok()?,
                name: decode_entities(dto.name.as_deref().unwrap_or("")),
                members: dto.members_count,
            })
        })
        .collect();
    Ok(Page {
        total: total.unwrap_or(items.len() as u64),
        items,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::api::json::test_json as json;

    /// A request body as serde_json reads it, to compare with `json!`.
    fn body(text: String) -> serde_json::Value {
        serde_json::from_str(&text).unwrap()
    }

    const OWNER: &str = "9f0e1d2c-3b4a-4f60-8e7d-6c5b4a392817";

    #[test]
    fn me_maps_roles_and_decodes_the_name() {
        let me = parse_me(Some(
            json!({"id": OWNER, "displayName": "Jane O&#39;Neil", "email": "j@x", "isOwner": true}),
        ))
        .unwrap();
        assert_eq!(me.display_name, "Jane O'Neil");
        assert_eq!(me.role, Role::Owner);
        let guest = parse_me(Some(
            json!({"id": OWNER, "displayName": "G", "isVisitor": true}),
        ))
        .unwrap();
        assert_eq!(guest.role, Role::Guest);
        let ra = parse_me(Some(
            json!({"id": OWNER, "displayName": "R", "isRoomAdmin": true}),
        ))
        .unwrap();
        assert_eq!(ra.role, Role::RoomAdmin);
        assert!(!ra.role.can_change_policy() && ra.role.can_search_people());
        assert!(parse_me(None).is_err());
        assert!(parse_me(Some(json!("me"))).is_err());
        assert!(parse_me(Some(json!({"id": "nope"}))).is_err());
    }

    #[test]
    fn version_and_linked_app() {
        use crate::domain::Family;
        let v = |r| parse_version(Some(r)).unwrap().family;
        assert_eq!(
            v(json!({"docSpace": "3.7.2.1234", "documentServer": "9.0.1.10"})),
            Family::V37
        );
        assert_eq!(
            v(json!({"docSpace": "seed", "documentServer": ""})),
            Family::Seed
        );
        assert_eq!(v(json!({"documentServer": ""})), Family::Unknown);
        assert!(parse_version(Some(json!("3.7"))).is_err());
        assert!(parse_version(None).is_err());
        let me = parse_me(Some(
            json!({"id": OWNER, "isOwner": true, "isAdmin": false, "tfaAppEnabled": true}),
        ))
        .unwrap();
        assert_eq!((me.role, me.tfa_app_enabled), (Role::Owner, Some(true)));
        let people = parse_people(Some(json!([{"id": OWNER, "displayName": "A"}])), None).unwrap();
        assert_eq!(people.items[0].tfa_app_enabled, None);
    }

    #[test]
    fn settings_accept_both_spellings_and_take_lists_from_the_enabled_method() {
        let v37 = json!([
            {"id": "sms", "title": "By SMS", "enabled": false, "available": false},
            {"id": "app", "title": "By authenticator app", "enabled": true, "available": true,
             "trustedIps": ["192.0.2.10"], "mandatoryUsers": [OWNER], "mandatoryGroups": []}
        ]);
        let tfa = parse_tfa_settings(Some(v37)).unwrap();
        assert_eq!(tfa.policy.method, TfaMethod::App);
        assert_eq!(tfa.policy.trusted_ips, vec!["192.0.2.10".to_string()]);
        assert_eq!(tfa.policy.mandatory_users.len(), 1);
        assert!(tfa.app.available && !tfa.sms.available);

        let v36 = json!([
            {"id": "sms", "enabled": false, "avaliable": true},
            {"id": "app", "enabled": false, "avaliable": true}
        ]);
        let tfa = parse_tfa_settings(Some(v36)).unwrap();
        assert!(tfa.sms.available);
        assert_eq!(tfa.policy, Policy::default());

        assert!(parse_tfa_settings(Some(json!(5))).is_err());
        assert!(parse_tfa_settings(Some(json!([]))).is_err());
        assert!(parse_tfa_settings(None).is_err());
    }

    #[test]
    fn policy_request_leaves_lists_out_for_none() {
        let owner = Guid::parse(OWNER).unwrap();
        let req = PolicyRequest::new(
            &owner,
            TfaMethod::None,
            (vec!["1.2.3.4".into()], vec![], vec![]),
        );
        assert_eq!(
            body(req.to_json()),
            serde_json::json!({"type": "None", "id": OWNER})
        );
        let req = PolicyRequest::new(
            &owner,
            TfaMethod::App,
            (vec!["1.2.3.4".into()], vec![owner.clone()], vec![]),
        );
        assert_eq!(
            body(req.to_json()),
            serde_json::json!({"type": "App", "id": OWNER, "trustedIps": ["1.2.3.4"], "mandatoryUsers": [OWNER], "mandatoryGroups": []})
        );
    }

    #[test]
    fn confirm_accepts_string_object_and_nothing() {
        assert_eq!(parse_confirm(None).unwrap(), None);
        assert_eq!(parse_confirm(Some(json!(""))).unwrap(), None);
        assert_eq!(
            parse_confirm(Some(json!("https://p/confirm/TfaAuth")))
                .unwrap()
                .unwrap()
                .url,
            "https://p/confirm/TfaAuth"
        );
        let obj = parse_confirm(Some(json!({"url": "https://p/c", "cookieName": "asc_confirm_key_TfaAuth", "cookieValue": "1.x"})))
            .unwrap()
            .unwrap();
        assert_eq!(obj.cookie_name.as_deref(), Some("asc_confirm_key_TfaAuth"));
        assert!(parse_confirm(Some(json!(42))).is_err());
        assert!(parse_confirm(Some(json!({"url": 1}))).is_err());
    }

    #[test]
    fn links_must_be_text() {
        assert_eq!(parse_link(Some(json!("")), LinkKind::Login).unwrap(), "");
        assert!(parse_link(Some(json!(1)), LinkKind::Login).is_err());
        assert!(parse_link(None, LinkKind::Confirmation).is_err());
    }

    #[test]
    fn people_and_groups_pages() {
        let people = parse_people(
            Some(json!([{"id": OWNER, "displayName": "&lt;b&gt;Bob&lt;/b&gt;", "email": "b@x"}, {"id": "bad"}])),
            Some(50_000),
        )
        .unwrap();
        assert_eq!(people.total, 50_000);
        assert_eq!(people.items.len(), 1);
        assert_eq!(people.items[0].name, "<b>Bob</b>");
        let groups = parse_groups(
            Some(json!([{"id": OWNER, "name": "R&D", "membersCount": 3}])),
            None,
        )
        .unwrap();
        assert_eq!(groups.total, 1);
        assert_eq!(groups.items[0].members, Some(3));
        assert!(parse_people(Some(json!({"a": 1})), None).is_err());
    }
}
