//! Every sentence the panel says about a failed call: what went wrong, and
//! what the administrator can do. The API layer classifies (`ApiError`,
//! `Refusal`); this module words it, per operation.

use crate::api::{ApiError, Refusal};
use crate::domain::TfaMethod;

/// Which of the panel's calls failed, with what it sent where that matters:
/// the same status means different things (§10.7).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Operation {
    Connect,
    LoadPolicy,
    /// `tfaappwithlink` with this method.
    SavePolicy(TfaMethod),
    ConfirmLink,
    /// `tfaappnewapp`: `Some(method)` where the portal honours the method
    /// (the seed contract), `None` for a real release's app reset.
    SetUserMethod(Option<TfaMethod>),
    SearchPeople,
    SearchGroups,
}

impl Operation {
    fn doing(self) -> &'static str {
        match self {
            Operation::Connect => "Connecting to the portal",
            Operation::LoadPolicy => "Loading the TFA settings",
            Operation::SavePolicy(_) => "Saving the TFA policy",
            Operation::ConfirmLink => "Getting your confirmation link",
            Operation::SetUserMethod(None) => "Resetting the user's authenticator app",
            Operation::SetUserMethod(Some(_)) => "Changing the user's TFA method",
            Operation::SearchPeople => "Searching people",
            Operation::SearchGroups => "Searching groups",
        }
    }
}

/// An error put into words for the error banner.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Explanation {
    /// One line: what failed and why.
    pub title: String,
    /// What to do about it.
    pub remedy: String,
    /// The server's own message, shown verbatim (as text).
    pub server_message: Option<String>,
    /// Whether retrying the same request can help.
    pub retryable: bool,
}

/// The HTTP status of a refusal, for the banner's title.
fn status_of(error: &ApiError) -> u16 {
    match error {
        ApiError::NotAvailable { .. } => 405,
        _ => 403,
    }
}

impl ApiError {
    /// Says what went wrong during `op` and what to do.
    pub fn explain(&self, op: Operation) -> Explanation {
        explain(self, op)
    }
}

/// Says what went wrong during `op` and what to do.
fn explain(error: &ApiError, op: Operation) -> Explanation {
    let doing = op.doing();
    let server = error.server_message().map(str::to_string);
    let not_available = error.refusal() == Some(Refusal::NotAvailable);
    let (title, remedy, retryable) = match error {
        ApiError::Unauthorized { .. } if op == Operation::Connect => (
            format!("{doing} failed: the portal did not accept this API key or token (401)."),
            "Check that you pasted the whole key, that it has not expired or been deleted, and that it belongs to this portal. With a portal session, sign in to the portal in this browser first.".to_string(),
            false,
        ),
        ApiError::Unauthorized { .. } => (
            format!("{doing} failed: you are no longer signed in to the portal (401)."),
            "Switching TFA on signs every session on the portal out, yours too, and a token expires. Sign in again: connect with a fresh token, or use an API key, which survives TFA changes. What you typed here is kept.".to_string(),
            false,
        ),
        ApiError::MissingScope if matches!(op, Operation::SavePolicy(_) | Operation::SetUserMethod(_)) => (
            format!("{doing} failed: this API key can read but not change anything (403)."),
            "It was created with read-only permissions. Create an API key with write access (full access, or write access to settings) and connect with it.".to_string(),
            false,
        ),
        ApiError::MissingScope => (
            format!("{doing} failed: this API key does not have the permission the call needs (403)."),
            "Create an API key with full access (or read access to settings and accounts) and connect with it.".to_string(),
            false,
        ),
        // Not available: classified by the call and the method sent, never
        // by the words (SMS without a provider says only "Operation is not
        // valid due to the current state of the object.", §10.7).
        ApiError::Forbidden { .. } | ApiError::NotAvailable { .. }
            if op == Operation::SavePolicy(TfaMethod::Sms) && not_available =>
        (
            format!("{doing} failed: SMS is not available on this portal ({})." , status_of(error)),
            "DocSpace offers SMS only when an SMS provider is configured (and, in the cloud, on a paid plan). Choose the authenticator app instead.".to_string(),
            false,
        ),
        ApiError::Forbidden { .. } | ApiError::NotAvailable { .. }
            if op == Operation::SavePolicy(TfaMethod::App) && not_available =>
        (
            format!("{doing} failed: the authenticator app method is not available on this portal ({}).", status_of(error)),
            "The portal hides this method (its web:hide-settings configuration). Ask whoever runs the server, or choose another method.".to_string(),
            false,
        ),
        ApiError::Forbidden { .. } | ApiError::NotAvailable { .. }
            if matches!(op, Operation::SetUserMethod(Some(TfaMethod::Sms))) && not_available =>
        (
            format!("{doing} failed: SMS is not available on this portal ({}).", status_of(error)),
            "DocSpace offers SMS only when an SMS provider is configured. Choose the authenticator app or None instead.".to_string(),
            false,
        ),
        ApiError::Forbidden { .. } | ApiError::NotAvailable { .. }
            if matches!(op, Operation::SetUserMethod(_)) && not_available =>
        (
            format!("{doing} failed: this user has no authenticator app linked, or the app method is turned off on this portal ({}).", status_of(error)),
            "There is nothing to reset: DocSpace resets only an app that is linked, while the portal's policy uses the authenticator app. Check the person's state in the user list and the portal's TFA policy.".to_string(),
            false,
        ),
        ApiError::Forbidden { .. } if error.refusal() == Some(Refusal::NoPermissions) => (
            format!("{doing} failed: your account is not allowed to do this (403)."),
            match op {
                Operation::SetUserMethod(_) => "Only the portal owner can change another user's TFA method; administrators can change only their own. Ask the owner to do it.".to_string(),
                _ => "Only the portal owner can make the owner's TFA mandatory or confirm a change as the owner. Remove the owner from mandatory users, or ask the owner to send it.".to_string(),
            },
            false,
        ),
        ApiError::Forbidden { .. } => (
            format!("{doing} failed: access denied (403)."),
            match op {
                Operation::SearchPeople | Operation::SearchGroups => "Searching people and groups needs an administrator or room administrator account. You can still paste a user or group ID.".to_string(),
                _ => "Changing TFA needs the portal owner or a DocSpace administrator. Connect with such an account.".to_string(),
            },
            false,
        ),
        ApiError::NotAvailable { .. } => (
            format!("{doing} failed: the portal says this is not available (405)."),
            "The chosen method is not offered on this portal. Pick another method.".to_string(),
            false,
        ),
        ApiError::PaymentRequired { .. } => (
            format!("{doing} failed: the portal's plan does not allow this (402)."),
            "Check the portal's payment status with its owner.".to_string(),
            false,
        ),
        ApiError::NotFound { .. } => (
            format!("{doing} failed: the portal has no such address (404)."),
            "Check the portal address. A DocSpace older than 3.x, or something other than DocSpace at this address, answers like this.".to_string(),
            false,
        ),
        ApiError::Validation { .. } | ApiError::BadRequest { .. } => (
            format!("{doing} failed: the portal rejected the request (400)."),
            "Fix the fields marked below and send again.".to_string(),
            false,
        ),
        ApiError::Server { status, .. } if matches!(op, Operation::SavePolicy(_)) && *status == 500 => (
            format!("{doing} failed: the portal hit an internal error (500)."),
            "DocSpace 3.7 fails this way after saving when your own address is a trusted IP: the settings were probably applied and every session signed out. Reload the settings to check before you send again.".to_string(),
            true,
        ),
        ApiError::Server { status, .. } => (
            format!("{doing} failed: the portal had an internal error ({status})."),
            "This is on the server's side. Try again in a moment; if it persists, tell the portal's administrator.".to_string(),
            true,
        ),
        ApiError::Network => (
            format!("{doing} failed: the portal could not be reached."),
            "Check the address and your connection. If the panel runs on another site than the portal, the portal must allow it (CORS): DocSpace allows any site by default, but not with cookies.".to_string(),
            true,
        ),
        ApiError::Timeout => (
            format!("{doing} failed: the portal did not answer within 15 seconds, so the request was cancelled."),
            "The portal may be overloaded or unreachable. A change may still have been applied: check before you send it again.".to_string(),
            true,
        ),
        ApiError::NotEnvelope { status, detail } => (
            format!("{doing} failed: the answer was not a DocSpace API response ({detail}; status {status})."),
            "A proxy or another server may have answered. Check the portal address; try again later if the portal is being updated.".to_string(),
            true,
        ),
        ApiError::UnexpectedResponse { detail } => (
            format!("{doing} failed: the portal's answer had an unexpected shape ({detail})."),
            "This DocSpace version may differ from the ones the panel knows (3.6, 3.7). Try again; if it persists, report it with the portal's version.".to_string(),
            true,
        ),
    };
    Explanation {
        title,
        remedy,
        server_message: server,
        retryable,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unauthorized_differs_between_connect_and_later_calls() {
        let e = ApiError::Unauthorized { message: None };
        assert!(e
            .explain(Operation::Connect)
            .title
            .contains("did not accept"));
        let later = explain(&e, Operation::SavePolicy(TfaMethod::App));
        assert!(later.title.contains("no longer signed in"));
        assert!(later.remedy.contains("Sign in again"));
    }

    #[test]
    fn forbidden_messages_name_the_cause() {
        let denied = ApiError::Forbidden {
            message: Some("Access denied".into()),
        };
        let x = denied.explain(Operation::SavePolicy(TfaMethod::Sms));
        assert!(x.remedy.contains("owner or a DocSpace administrator"));
        assert_eq!(x.server_message.as_deref(), Some("Access denied"));

        let sms = ApiError::NotAvailable {
            message: Some("SMS settings are not available".into()),
        };
        assert!(sms
            .explain(Operation::SavePolicy(TfaMethod::Sms))
            .title
            .contains("SMS is not available"));
        // 3.x without an SMS provider: .NET's default text, no "SMS" in it.
        let no_provider = ApiError::Forbidden {
            message: Some("Operation is not valid due to the current state of the object.".into()),
        };
        assert!(no_provider
            .explain(Operation::SavePolicy(TfaMethod::Sms))
            .title
            .contains("SMS is not available"));
        assert!(!no_provider
            .explain(Operation::SavePolicy(TfaMethod::App))
            .title
            .contains("SMS"));

        let reset = ApiError::Forbidden {
            message: Some("No permissions to perform this action".into()),
        };
        assert!(reset
            .explain(Operation::SetUserMethod(None))
            .remedy
            .contains("Only the portal owner"));

        let unlinked = ApiError::Forbidden {
            message: Some("TFA application settings are not available".into()),
        };
        assert!(unlinked
            .explain(Operation::SetUserMethod(None))
            .title
            .contains("no authenticator app linked"));
    }

    #[test]
    fn save_500_warns_about_the_37_bug_and_transport_errors_are_retryable() {
        let x = ApiError::Server {
            status: 500,
            message: None,
        }
        .explain(Operation::SavePolicy(TfaMethod::App));
        assert!(x.remedy.contains("Reload the settings"));
        assert!(x.retryable);
        assert!(ApiError::Network
            .explain(Operation::Connect)
            .remedy
            .contains("CORS"));
        assert!(ApiError::Timeout
            .explain(Operation::ConfirmLink)
            .title
            .contains("15 seconds"));
        assert!(
            !ApiError::MissingScope
                .explain(Operation::SavePolicy(TfaMethod::App))
                .retryable
        );
    }
}
