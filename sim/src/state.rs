//! Mutable simulator state: the portal, TFA settings, sessions, pending
//! confirmations, the outbox, the audit trail, injected faults and the
//! request log.

use std::collections::{HashMap, HashSet, VecDeque};

use serde_json::{json, Value};

use crate::clock::{now_ms, rfc3339};
use crate::ipmatch::{MatchError, Matcher};
use crate::random::random_token;
use crate::seed::{build_portal, Portal, Role, UserTfa};
use crate::trail::{
    background_client, AuditEvent, AuditPlan, Client, BACKGROUND, TFA_DISABLED, TFA_ENABLED_BY_APP,
    TFA_ENABLED_BY_SMS, USER_CONNECTED_TFA_APP,
};
use crate::version::Reported;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TfaType {
    None,
    Sms,
    App,
}

/// `StudioSmsNotificationSettings` / `TfaAppAuthSettings`.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct TfaMethod {
    pub enable: bool,
    pub trusted_ips: Option<Vec<String>>,
    pub mandatory_users: Option<Vec<String>>,
    pub mandatory_groups: Option<Vec<String>>,
}

#[derive(Clone, Debug)]
pub struct Session {
    pub user: usize,
    pub tenant_index: u64,
    pub user_index: u64,
    pub expires_ms: u64,
}

/// A seed-profile change waiting for its e-mailed confirmation link.
#[derive(Clone, Debug)]
pub struct Pending {
    pub key: String,
    pub confirmer: usize,
    pub requested_by: usize,
    pub ty: TfaType,
    pub trusted_ips: Option<Vec<String>>,
    pub mandatory_users: Option<Vec<String>>,
    pub mandatory_groups: Option<Vec<String>>,
    pub used: bool,
}

#[derive(Clone, Debug)]
pub struct Mail {
    pub id: u64,
    pub to: String,
    pub subject: String,
    pub body: String,
    pub link: Option<String>,
    pub created_ms: u64,
    pub kind: String,
}

impl Mail {
    pub fn to_json(&self) -> Value {
        json!({
            "id": self.id,
            "to": self.to,
            "subject": self.subject,
            "body": self.body,
            "link": self.link,
            "createdAt": rfc3339(self.created_ms),
            "kind": self.kind,
        })
    }
}

#[derive(Clone, Debug, PartialEq)]
pub enum FaultKind {
    Status {
        status: u16,
        message: String,
        errors: Option<Value>,
    },
    Empty(u16),
    Html,
    Malformed,
    WrongType,
    MissingResponse,
    Delay(u64),
    Hang,
    Drop,
    /// The caller's session (or API key) ends: this call and every later
    /// one with the same credential are 401.
    SessionEnded,
}

#[derive(Clone, Debug)]
pub struct Fault {
    pub method: String,
    pub path: String,
    /// Matching calls still to let through before the fault fires.
    pub skip: u32,
    /// Only calls whose JSON body's `id` is this user id (lowercase).
    pub user: Option<String>,
    pub remaining: u32,
    pub kind: FaultKind,
}

#[derive(Clone, Debug)]
pub struct LogEntry {
    pub method: String,
    pub path: String,
    pub query: String,
    pub body: String,
    pub status: u16,
}

/// Cap on the request log so a long demo does not grow without bound (a
/// bulk reset of every third of 50,000 people fits).
pub const MAX_LOG: usize = 100_000;

/// Cap on the audit trail; the oldest events go first.
pub const MAX_AUDIT: usize = 100_000;

pub struct State {
    pub portal: Portal,
    pub sms: TfaMethod,
    pub app: TfaMethod,
    pub tenant_index: u64,
    pub sessions: HashMap<String, Session>,
    pub pending: Vec<Pending>,
    pub outbox: Vec<Mail>,
    pub next_mail_id: u64,
    pub faults: Vec<Fault>,
    pub requests: VecDeque<LogEntry>,
    /// Log entries dropped because of [`MAX_LOG`].
    pub requests_dropped: u64,
    pub client_ip: Option<String>,
    /// The audit trail, oldest first.
    pub audit: VecDeque<AuditEvent>,
    pub next_audit_id: u64,
    /// What the plan allows of the audit trail (test control can change it).
    pub audit_plan: AuditPlan,
    /// API keys (`key:sk-…`) and Basic logins (`basic:{user index}`) that a
    /// `sessionEnded` fault ended (sessions are simply removed).
    pub ended_credentials: HashSet<String>,
    /// What `settings/version/build` reports; it also picks the
    /// release-dependent behaviour (test control can change it).
    pub version: Reported,
}

/// Sessions last 30 days, like a "remember me" portal sign-in.
const SESSION_MS: u64 = 30 * 86_400_000;

impl State {
    /// The seed portal plus the generated users and groups, every user's
    /// culture `culture` (`None`: [`crate::seed::DEFAULT_CULTURE`]), and
    /// the background audit history.
    pub fn new(
        extra_users: usize,
        extra_groups: usize,
        culture: Option<&str>,
        version: Reported,
        audit_plan: AuditPlan,
    ) -> State {
        let mut portal = build_portal(extra_users, extra_groups);
        if let Some(c) = culture {
            for u in &mut portal.users {
                u.culture = c.to_string();
            }
        }
        let mut st = State {
            portal,
            sms: TfaMethod::default(),
            app: TfaMethod::default(),
            tenant_index: 0,
            sessions: HashMap::new(),
            pending: Vec::new(),
            outbox: Vec::new(),
            next_mail_id: 1,
            faults: Vec::new(),
            requests: VecDeque::new(),
            requests_dropped: 0,
            client_ip: None,
            audit: VecDeque::new(),
            next_audit_id: 1,
            audit_plan,
            ended_credentials: HashSet::new(),
            version,
        };
        let now = now_ms();
        for (i, (hours, user, action, detail)) in BACKGROUND.iter().enumerate() {
            let target = (action / 1000 == 4).then(|| vec![st.portal.users[*user].id.clone()]);
            let date = now.saturating_sub(hours * 3_600_000 + (i as u64 % 5) * 60_000);
            st.record_at(
                date,
                *user,
                *action,
                target,
                Some(detail.to_string()),
                background_client(i),
            );
        }
        st
    }

    /// Records an audit event by `user` now.
    pub fn record(&mut self, user: usize, action: i64, target: Option<usize>, client: &Client) {
        let (target, detail) = match target {
            Some(t) => {
                let u = &self.portal.users[t];
                (Some(vec![u.id.clone()]), Some(u.display.clone()))
            }
            None => (None, None),
        };
        self.record_at(now_ms(), user, action, target, detail, client.clone());
    }

    /// Records an audit event as it is given.
    pub fn record_at(
        &mut self,
        date_ms: u64,
        user: usize,
        action: i64,
        target: Option<Vec<String>>,
        detail: Option<String>,
        client: Client,
    ) -> u64 {
        let id = self.next_audit_id;
        self.next_audit_id += 1;
        if self.audit.len() >= MAX_AUDIT {
            self.audit.pop_front();
        }
        let u = &self.portal.users[user];
        self.audit.push_back(AuditEvent {
            id,
            date_ms,
            user_id: u.id.clone(),
            user_name: u.display.clone(),
            action,
            target,
            detail,
            client,
        });
        id
    }

    /// The trail newest first: by date, then by id.
    pub fn audit_newest_first(&self) -> Vec<&AuditEvent> {
        let mut list: Vec<&AuditEvent> = self.audit.iter().collect();
        list.sort_by(|a, b| b.date_ms.cmp(&a.date_ms).then(b.id.cmp(&a.id)));
        list
    }

    /// A user links an authenticator app (`UserConnectedTfaApp`, by them).
    pub fn link_app(&mut self, user: usize, client: &Client) {
        self.portal.users[user].app_linked = true;
        self.record(user, USER_CONNECTED_TFA_APP, Some(user), client);
    }

    /// Issues a session token (the value of `asc_auth_key`).
    pub fn new_session(&mut self, user: usize) -> (String, u64) {
        let token = random_token(64);
        let expires_ms = now_ms() + SESSION_MS;
        self.sessions.insert(
            token.clone(),
            Session {
                user,
                tenant_index: self.tenant_index,
                user_index: self.portal.users[user].session_index,
                expires_ms,
            },
        );
        (token, expires_ms)
    }

    /// The user of a live session, if the token is still valid.
    pub fn session_user(&self, token: &str) -> Option<usize> {
        let s = self.sessions.get(token)?;
        let live = s.tenant_index == self.tenant_index
            && s.user_index == self.portal.users[s.user].session_index
            && s.expires_ms > now_ms();
        live.then_some(s.user)
    }

    /// Resolves `owner`, `admin`, ... or a user GUID.
    pub fn resolve_as(&self, who: &str) -> Option<usize> {
        match Role::parse(who) {
            Some(Role::Owner) => Some(self.portal.owner),
            Some(role) => self.portal.first_with_role(role),
            None => self.portal.user(who),
        }
    }

    /// Resolves what `resolve_as` does, then an e-mail or user name.
    pub fn resolve_user(&self, who: &str) -> Option<usize> {
        self.resolve_as(who)
            .or_else(|| self.portal.user_by_login(who))
    }

    /// Unlinks a user's authenticator app and ends their sessions.
    pub fn unlink_app(&mut self, user: usize) {
        let u = &mut self.portal.users[user];
        u.app_linked = false;
        u.session_index += 1;
    }

    /// Every message sent so far, oldest first, as test control and
    /// `/sim/outbox.json` show them.
    pub fn outbox_json(&self) -> Value {
        Value::Array(self.outbox.iter().map(Mail::to_json).collect())
    }

    /// Sends a message to a user's e-mail address (it lands in the outbox).
    pub fn mail_user(
        &mut self,
        user: usize,
        subject: &str,
        body: String,
        link: Option<String>,
        kind: &str,
    ) {
        let id = self.next_mail_id;
        self.next_mail_id += 1;
        self.outbox.push(Mail {
            id,
            to: self.portal.users[user].email.clone(),
            subject: subject.to_string(),
            body,
            link,
            created_ms: now_ms(),
            kind: kind.to_string(),
        });
    }

    /// The settings of the enabled method, if any (at most one is on).
    pub fn enabled_method(&self) -> Option<(TfaType, &TfaMethod)> {
        if self.sms.enable {
            Some((TfaType::Sms, &self.sms))
        } else if self.app.enable {
            Some((TfaType::App, &self.app))
        } else {
            None
        }
    }

    /// Saves settings the way `UpdateTfaSettings` does. Enabling a method
    /// replaces its lists (omitted ones become empty) and switches the other
    /// method off; None switches both off. Switching off saves a fresh
    /// default object, which wipes the lists. Enabling logs every session on
    /// the portal out. Returns whether a method is now on.
    pub fn apply_tfa(
        &mut self,
        ty: TfaType,
        trusted_ips: Option<Vec<String>>,
        mandatory_users: Option<Vec<String>>,
        mandatory_groups: Option<Vec<String>>,
    ) -> bool {
        let on = TfaMethod {
            enable: true,
            trusted_ips: Some(trusted_ips.unwrap_or_default()),
            mandatory_users: Some(mandatory_users.unwrap_or_default()),
            mandatory_groups: Some(mandatory_groups.unwrap_or_default()),
        };
        match ty {
            TfaType::Sms => {
                self.sms = on;
                self.app = TfaMethod::default();
            }
            TfaType::App => {
                self.app = on;
                self.sms = TfaMethod::default();
            }
            TfaType::None => {
                self.sms = TfaMethod::default();
                self.app = TfaMethod::default();
            }
        }
        let enabled = ty != TfaType::None;
        if enabled {
            self.tenant_index += 1;
        }
        enabled
    }

    /// Records what a saved TFA policy did (§4.2 step 5): disabled, enabled
    /// by SMS or by the app, by `user`.
    pub fn record_policy(&mut self, user: usize, ty: TfaType, client: &Client) {
        let action = match ty {
            TfaType::None => TFA_DISABLED,
            TfaType::Sms => TFA_ENABLED_BY_SMS,
            TfaType::App => TFA_ENABLED_BY_APP,
        };
        self.record(user, action, None, client);
    }

    /// `TfaEnabledForUserAsync`: is TFA required for this user coming from
    /// this IP? Err is the exception the trusted-IP matching threw (a
    /// malformed entry or request IP on 3.x).
    pub fn tfa_required(
        &self,
        user: usize,
        ip: &str,
        matcher: Matcher,
    ) -> Result<Option<TfaType>, MatchError> {
        let Some((ty, m)) = self.enabled_method() else {
            return Ok(None);
        };
        let u = &self.portal.users[user];
        let in_group = m.mandatory_groups.as_ref().is_some_and(|gs| {
            gs.iter().any(|g| {
                self.portal
                    .group(g)
                    .is_some_and(|gi| self.portal.groups[gi].members.contains(&user))
            })
        });
        if in_group {
            return Ok(Some(ty));
        }
        if m.mandatory_users
            .as_ref()
            .is_some_and(|us| us.iter().any(|x| x == &u.id))
        {
            return Ok(Some(ty));
        }
        if u.user_tfa == UserTfa::Off {
            return Ok(None);
        }
        if let Some(ips) = m.trusted_ips.as_ref().filter(|v| !v.is_empty()) {
            if matcher.matches_any(ip, ips)? {
                return Ok(None);
            }
        }
        Ok(Some(ty))
    }

    pub fn log(&mut self, entry: LogEntry) {
        if self.requests.len() >= MAX_LOG {
            self.requests.pop_front();
            self.requests_dropped += 1;
        }
        self.requests.push_back(entry);
    }
}
