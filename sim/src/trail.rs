//! The portal's audit trail (§11): the events the simulator records, the
//! actions it knows (ids, English texts and the mapper's types), where a
//! request came from (IP, browser, platform, page), the plan gate, and the
//! deterministic background history a fresh portal starts with.

use axum::http::{header, HeaderMap};
use serde_json::{json, Map, Value};

use crate::clock::api_datetime;

/// What the tenant's plan allows of the audit trail (`--audit`).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum AuditPlan {
    /// The audit option is paid for: `filter` filters and pages.
    #[default]
    Full,
    /// No audit option in the plan: `filter` ignores every parameter and
    /// answers `audit/events/last` (the latest 20 events of any kind).
    Last20,
    /// SaaS without the option at all: 402.
    None,
}

impl AuditPlan {
    pub const ALL: [AuditPlan; 3] = [AuditPlan::Full, AuditPlan::Last20, AuditPlan::None];

    pub fn parse(s: &str) -> Option<AuditPlan> {
        AuditPlan::ALL
            .into_iter()
            .find(|p| p.name().eq_ignore_ascii_case(s.trim()))
    }

    pub fn name(self) -> &'static str {
        match self {
            AuditPlan::Full => "full",
            AuditPlan::Last20 => "last20",
            AuditPlan::None => "none",
        }
    }
}

// `MessageAction` values (common/ASC.Core.Common/Messaging/MessageAction.cs).
pub const TFA_DISABLED: i64 = 6036;
pub const TFA_ENABLED_BY_SMS: i64 = 6037;
pub const TFA_ENABLED_BY_APP: i64 = 6038;
pub const USER_CONNECTED_TFA_APP: i64 = 4032;
pub const USER_DISCONNECTED_TFA_APP: i64 = 4033;
pub const USER_UPDATED_LANGUAGE: i64 = 4007;

// `ActionType`, `ProductType`, `LocationType` and `EntryType` values as the
// API writes them (integers).
const ACT_NONE: u8 = 0;
const ACT_CREATE: u8 = 1;
const ACT_UPDATE: u8 = 2;
const ACT_DELETE: u8 = 3;
const ACT_LINK: u8 = 4;
const ACT_UPLOAD: u8 = 13;
const PRODUCT_DOCUMENTS: u8 = 2;
const PRODUCT_SETTINGS: u8 = 7;
const PRODUCT_CONTACTS: u8 = 8;
const LOCATION_FILES: u8 = 1;
const LOCATION_FOLDERS: u8 = 2;
const LOCATION_ROOMS: u8 = 27;
const LOCATION_SETTINGS: u8 = 29;
const LOCATION_CONTACTS: u8 = 30;
const ENTRY_FILE: u8 = 1;
const ENTRY_FOLDER: u8 = 2;
const ENTRY_USER: u8 = 23;
const ENTRY_ROOM: u8 = 25;

/// An action the simulator knows: its id, name, English text (the enum's
/// `[Description]`) and how the audit mapper classifies it.
pub struct ActionInfo {
    pub id: i64,
    pub name: &'static str,
    pub text: &'static str,
    pub action_type: u8,
    pub product: u8,
    pub location: u8,
    pub entries: &'static [u8],
}

const fn act(
    id: i64,
    name: &'static str,
    text: &'static str,
    action_type: u8,
    product: u8,
    location: u8,
    entries: &'static [u8],
) -> ActionInfo {
    ActionInfo {
        id,
        name,
        text,
        action_type,
        product,
        location,
        entries,
    }
}

/// Every action the simulator records or seeds. Test control may add
/// events of any other id too; they read "Action N" and map to nothing.
pub const ACTIONS: &[ActionInfo] = &[
    act(
        TFA_DISABLED,
        "TwoFactorAuthenticationDisabled",
        "Two factor authentication disabled",
        ACT_UPDATE,
        PRODUCT_SETTINGS,
        LOCATION_SETTINGS,
        &[],
    ),
    act(
        TFA_ENABLED_BY_SMS,
        "TwoFactorAuthenticationEnabledBySms",
        "Two factor authentication enabled by sms",
        ACT_UPDATE,
        PRODUCT_SETTINGS,
        LOCATION_SETTINGS,
        &[],
    ),
    act(
        TFA_ENABLED_BY_APP,
        "TwoFactorAuthenticationEnabledByTfaApp",
        "Two factor authentication enabled by tfa app",
        ACT_UPDATE,
        PRODUCT_SETTINGS,
        LOCATION_SETTINGS,
        &[],
    ),
    act(
        6005,
        "TwoFactorAuthenticationSettingsUpdated",
        "Two factor authentication settings updated",
        ACT_UPDATE,
        PRODUCT_SETTINGS,
        LOCATION_SETTINGS,
        &[],
    ),
    act(
        USER_CONNECTED_TFA_APP,
        "UserConnectedTfaApp",
        "User connected tfa app",
        ACT_LINK,
        PRODUCT_CONTACTS,
        LOCATION_CONTACTS,
        &[ENTRY_USER],
    ),
    act(
        USER_DISCONNECTED_TFA_APP,
        "UserDisconnectedTfaApp",
        "User disconnected tfa app",
        ACT_DELETE,
        PRODUCT_CONTACTS,
        LOCATION_CONTACTS,
        &[ENTRY_USER],
    ),
    act(
        USER_UPDATED_LANGUAGE,
        "UserUpdatedLanguage",
        "User updated language",
        ACT_UPDATE,
        PRODUCT_CONTACTS,
        LOCATION_CONTACTS,
        &[ENTRY_USER],
    ),
    act(
        4006,
        "UserUpdated",
        "User updated",
        ACT_UPDATE,
        PRODUCT_CONTACTS,
        LOCATION_CONTACTS,
        &[ENTRY_USER],
    ),
    act(
        5000,
        "FileCreated",
        "File created",
        ACT_CREATE,
        PRODUCT_DOCUMENTS,
        LOCATION_FILES,
        &[ENTRY_FILE],
    ),
    act(
        5002,
        "FileUpdated",
        "File updated",
        ACT_UPDATE,
        PRODUCT_DOCUMENTS,
        LOCATION_FILES,
        &[ENTRY_FILE],
    ),
    act(
        5011,
        "FileUploaded",
        "File uploaded",
        ACT_UPLOAD,
        PRODUCT_DOCUMENTS,
        LOCATION_FILES,
        &[ENTRY_FILE],
    ),
    act(
        5019,
        "FolderCreated",
        "Folder created",
        ACT_CREATE,
        PRODUCT_DOCUMENTS,
        LOCATION_FOLDERS,
        &[ENTRY_FOLDER],
    ),
    act(
        5070,
        "RoomCreated",
        "Room created",
        ACT_CREATE,
        PRODUCT_DOCUMENTS,
        LOCATION_ROOMS,
        &[ENTRY_ROOM],
    ),
];

/// What the simulator knows of an action id, if anything.
pub fn action_info(id: i64) -> Option<&'static ActionInfo> {
    ACTIONS.iter().find(|a| a.id == id)
}

/// An action id given by name (any case), for the `action` query parameter.
pub fn action_by_name(name: &str) -> Option<i64> {
    ACTIONS
        .iter()
        .find(|a| a.name.eq_ignore_ascii_case(name))
        .map(|a| a.id)
}

/// Where a request came from, as `MessageSettings` records it: the request
/// IP, browser and platform from the User-Agent, and the page (Referer).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Client {
    pub ip: String,
    pub browser: Option<String>,
    pub platform: Option<String>,
    pub page: Option<String>,
}

impl Client {
    /// Reads the User-Agent and Referer of a request coming from `ip`.
    pub fn from_headers(headers: &HeaderMap, ip: &str) -> Client {
        let text = |name| {
            headers
                .get(name)
                .and_then(|v| v.to_str().ok())
                .map(str::trim)
                .filter(|v| !v.is_empty())
        };
        let ua = text(header::USER_AGENT);
        Client {
            ip: ip.to_string(),
            browser: ua.map(browser_of),
            platform: ua.map(platform_of),
            page: text(header::REFERER).map(str::to_string),
        }
    }
}

/// `major.minor` of the version after `token` (`Chrome/126.0.6478.61` →
/// `126.0`), or None.
fn version_after(ua: &str, token: &str) -> Option<String> {
    let start = ua.find(token)? + token.len();
    let v: String = ua[start..]
        .chars()
        .take_while(|c| c.is_ascii_digit() || *c == '.')
        .collect();
    let mut parts = v.split('.').filter(|p| !p.is_empty());
    let major = parts.next()?;
    Some(match parts.next() {
        Some(minor) => format!("{major}.{minor}"),
        None => major.to_string(),
    })
}

/// A coarse browser name and version from a User-Agent ("Chrome 126.0",
/// "Firefox 127.0", "Safari 17.5", "Edge 126.0"); "Other" for the rest.
pub fn browser_of(ua: &str) -> String {
    const BROWSERS: [(&str, &str); 6] = [
        ("Edg/", "Edge"),
        ("OPR/", "Opera"),
        ("Firefox/", "Firefox"),
        ("Chrome/", "Chrome"),
        ("Version/", "Safari"),
        ("curl/", "curl"),
    ];
    for (token, name) in BROWSERS {
        if token == "Version/" && !ua.contains("Safari/") {
            continue;
        }
        if let Some(v) = version_after(ua, token) {
            return format!("{name} {v}");
        }
    }
    "Other".to_string()
}

/// A coarse platform from a User-Agent ("Windows 10", "Mac OS X", "iOS",
/// "Android", "Linux", "Chrome OS"); "Other" for the rest.
pub fn platform_of(ua: &str) -> String {
    let p = if ua.contains("Windows NT 10.0") {
        "Windows 10"
    } else if ua.contains("Windows") {
        "Windows"
    } else if ua.contains("iPhone") || ua.contains("iPad") {
        "iOS"
    } else if ua.contains("Mac OS X") || ua.contains("Macintosh") {
        "Mac OS X"
    } else if ua.contains("Android") {
        "Android"
    } else if ua.contains("CrOS") {
        "Chrome OS"
    } else if ua.contains("Linux") {
        "Linux"
    } else {
        "Other"
    };
    p.to_string()
}

/// One recorded event (`AuditEvent`).
#[derive(Clone, Debug)]
pub struct AuditEvent {
    pub id: u64,
    pub date_ms: u64,
    /// The acting user's id and display name (raw) when it was recorded.
    pub user_id: String,
    pub user_name: String,
    pub action: i64,
    /// What the action was done to (a user id for the people actions).
    pub target: Option<Vec<String>>,
    /// The description added to the action's text (a user's name, a file
    /// name).
    pub detail: Option<String>,
    pub client: Client,
}

impl AuditEvent {
    /// The English text of the action: the action's description, then the
    /// detail.
    pub fn action_text(&self) -> String {
        let base = match action_info(self.action) {
            Some(a) => a.text.to_string(),
            None => format!("Action {}", self.action),
        };
        match &self.detail {
            Some(d) => format!("{base}: {d}"),
            None => base,
        }
    }

    /// `AuditEventDto`: nulls omitted like every success body.
    pub fn to_json(&self) -> Value {
        let info = action_info(self.action);
        let mut o = Map::new();
        o.insert("id".into(), json!(self.id));
        o.insert("date".into(), json!(api_datetime(self.date_ms)));
        o.insert("user".into(), json!(self.user_name));
        o.insert("userId".into(), json!(self.user_id));
        o.insert("action".into(), json!(self.action_text()));
        o.insert("actionId".into(), json!(self.action));
        o.insert("ip".into(), json!(self.client.ip));
        if let Some(b) = &self.client.browser {
            o.insert("browser".into(), json!(b));
        }
        if let Some(p) = &self.client.platform {
            o.insert("platform".into(), json!(p));
        }
        if let Some(p) = &self.client.page {
            o.insert("page".into(), json!(p));
        }
        o.insert(
            "actionType".into(),
            json!(info.map_or(ACT_NONE, |a| a.action_type)),
        );
        o.insert("product".into(), json!(info.map_or(0, |a| a.product)));
        o.insert("location".into(), json!(info.map_or(0, |a| a.location)));
        if let Some(t) = &self.target {
            o.insert("target".into(), json!(t));
        }
        o.insert("entries".into(), json!(info.map_or(&[][..], |a| a.entries)));
        Value::Object(o)
    }

    /// Whether it falls in `[from, to]` (either end open).
    pub fn within(&self, from: Option<u64>, to: Option<u64>) -> bool {
        from.is_none_or(|f| self.date_ms >= f) && to.is_none_or(|t| self.date_ms <= t)
    }
}

/// The history a fresh portal starts with: (hours before start, seed user
/// index, action, detail). Document and people work only, no TFA events:
/// TFA starts off and its history empty.
pub const BACKGROUND: &[(u64, usize, i64, &str)] = &[
    (330, 0, 5070, "Board"),
    (326, 0, 5019, "Board/Minutes"),
    (310, 1, 5070, "Finance"),
    (300, 1, 5000, "Budget 2026.xlsx"),
    (290, 4, 5011, "Invoices Q1.pdf"),
    (270, 3, 5070, "R&D"),
    (265, 3, 5000, "Roadmap.docx"),
    (250, 5, 5002, "Roadmap.docx"),
    (230, 8, 5011, "Expenses March.xlsx"),
    (214, 9, 5000, "Test plan.docx"),
    (200, 2, 5070, "Sales <EMEA>"),
    (190, 6, 5011, "Leads.csv"),
    (170, 1, 5002, "Budget 2026.xlsx"),
    (150, 4, 4006, "Priya Patel"),
    (130, 0, 5019, "Board/Reports"),
    (120, 8, 5002, "Expenses March.xlsx"),
    (100, 9, 5002, "Test plan.docx"),
    (80, 3, 5011, "Prototype.pptx"),
    (60, 5, 4007, "Zoë Łukasz-Ægir"),
    (44, 1, 5000, "Forecast.xlsx"),
    (30, 2, 5002, "Leads.csv"),
    (20, 4, 5011, "Receipts.zip"),
    (8, 0, 5000, "Agenda.docx"),
    (2, 3, 5002, "Roadmap.docx"),
];

/// Where the background history came from: a browser in the office.
pub fn background_client(i: usize) -> Client {
    Client {
        ip: format!("192.0.2.{}", 20 + i % 7),
        browser: Some("Chrome 126.0".into()),
        platform: Some(
            if i.is_multiple_of(3) {
                "Mac OS X"
            } else {
                "Windows 10"
            }
            .into(),
        ),
        page: Some("/rooms/shared".into()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn user_agents_read_coarsely() {
        let chrome = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.6478.61 Safari/537.36";
        assert_eq!(browser_of(chrome), "Chrome 126.0");
        assert_eq!(platform_of(chrome), "Windows 10");
        let edge = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Safari/537.36 Edg/126.0.2592.68";
        assert_eq!(browser_of(edge), "Edge 126.0");
        let firefox = "Mozilla/5.0 (X11; Linux x86_64; rv:127.0) Gecko/20100101 Firefox/127.0";
        assert_eq!(browser_of(firefox), "Firefox 127.0");
        assert_eq!(platform_of(firefox), "Linux");
        let safari = "Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1";
        assert_eq!(browser_of(safari), "Safari 17.5");
        assert_eq!(platform_of(safari), "iOS");
        assert_eq!(browser_of("curl/8.5.0"), "curl 8.5");
        assert_eq!(browser_of("reqwest"), "Other");
        assert_eq!(platform_of("reqwest"), "Other");
    }

    #[test]
    fn plans_and_actions_by_name() {
        assert_eq!(AuditPlan::parse("LAST20"), Some(AuditPlan::Last20));
        assert_eq!(AuditPlan::parse("some"), None);
        assert_eq!(action_by_name("userdisconnectedtfaapp"), Some(4033));
        assert_eq!(action_by_name("Nope"), None);
    }
}
