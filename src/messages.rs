//! Every sentence the panel says about a failed call: what went wrong, and
//! what the administrator can do. The API layer classifies (`ApiError`,
//! `Refusal`); this module words it, per operation.

use crate::api::{ApiError, Refusal};
use crate::domain::TfaMethod;
use crate::t;

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
    /// `security/audit/events/filter` for the TFA history.
    LoadHistory,
}

impl Operation {
    fn doing(self) -> String {
        match self {
            Operation::Connect => t!(err_doing_connect),
            Operation::LoadPolicy => t!(err_doing_load_policy),
            Operation::SavePolicy(_) => t!(err_doing_save_policy),
            Operation::ConfirmLink => t!(err_doing_confirm_link),
            Operation::SetUserMethod(None) => t!(err_doing_reset_app),
            Operation::SetUserMethod(Some(_)) => t!(err_doing_set_method),
            Operation::SearchPeople => t!(err_doing_search_people),
            Operation::SearchGroups => t!(err_doing_search_groups),
            Operation::LoadHistory => t!(err_doing_history),
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
            t!(err_token_refused_title, doing = &doing),
            t!(err_token_refused_remedy),
            false,
        ),
        ApiError::Unauthorized { .. } => (
            t!(err_signed_out_title, doing = &doing),
            t!(err_signed_out_remedy),
            false,
        ),
        ApiError::MissingScope
            if matches!(op, Operation::SavePolicy(_) | Operation::SetUserMethod(_)) =>
        {
            (
                t!(err_read_only_key_title, doing = &doing),
                t!(err_read_only_key_remedy),
                false,
            )
        }
        ApiError::MissingScope => (
            t!(err_missing_scope_title, doing = &doing),
            t!(err_missing_scope_remedy),
            false,
        ),
        // Not available: classified by the call and the method sent, never
        // by the words (SMS without a provider says only "Operation is not
        // valid due to the current state of the object.", §10.7).
        ApiError::Forbidden { .. } | ApiError::NotAvailable { .. }
            if op == Operation::SavePolicy(TfaMethod::Sms) && not_available =>
        {
            (
                t!(
                    err_sms_unavailable_title,
                    doing = &doing,
                    status = status_of(error).to_string()
                ),
                t!(err_sms_unavailable_remedy),
                false,
            )
        }
        ApiError::Forbidden { .. } | ApiError::NotAvailable { .. }
            if op == Operation::SavePolicy(TfaMethod::App) && not_available =>
        {
            (
                t!(
                    err_app_unavailable_title,
                    doing = &doing,
                    status = status_of(error).to_string()
                ),
                t!(err_app_unavailable_remedy),
                false,
            )
        }
        ApiError::Forbidden { .. } | ApiError::NotAvailable { .. }
            if matches!(op, Operation::SetUserMethod(Some(TfaMethod::Sms))) && not_available =>
        {
            (
                t!(
                    err_sms_unavailable_title,
                    doing = &doing,
                    status = status_of(error).to_string()
                ),
                t!(err_sms_unavailable_user_remedy),
                false,
            )
        }
        ApiError::Forbidden { .. } | ApiError::NotAvailable { .. }
            if matches!(op, Operation::SetUserMethod(_)) && not_available =>
        {
            (
                t!(
                    err_nothing_to_reset_title,
                    doing = &doing,
                    status = status_of(error).to_string()
                ),
                t!(err_nothing_to_reset_remedy),
                false,
            )
        }
        ApiError::Forbidden { .. } if error.refusal() == Some(Refusal::NoPermissions) => (
            t!(err_no_permissions_title, doing = &doing),
            match op {
                Operation::SetUserMethod(_) => t!(err_no_permissions_user_remedy),
                _ => t!(err_no_permissions_owner_remedy),
            },
            false,
        ),
        ApiError::Forbidden { .. } => (
            t!(err_access_denied_title, doing = &doing),
            match op {
                Operation::SearchPeople | Operation::SearchGroups => {
                    t!(err_access_denied_search_remedy)
                }
                _ => t!(err_access_denied_remedy),
            },
            false,
        ),
        ApiError::NotAvailable { .. } => (
            t!(err_not_available_title, doing = &doing),
            t!(err_not_available_remedy),
            false,
        ),
        ApiError::PaymentRequired { .. } if op == Operation::LoadHistory => (
            t!(err_history_plan_title, doing = &doing),
            t!(err_history_plan_remedy),
            false,
        ),
        ApiError::PaymentRequired { .. } => (
            t!(err_payment_title, doing = &doing),
            t!(err_payment_remedy),
            false,
        ),
        ApiError::NotFound { .. } => (
            t!(err_not_found_title, doing = &doing),
            t!(err_not_found_remedy),
            false,
        ),
        ApiError::Validation { .. } | ApiError::BadRequest { .. } => (
            t!(err_rejected_title, doing = &doing),
            t!(err_rejected_remedy),
            false,
        ),
        ApiError::Server { status, .. }
            if matches!(op, Operation::SavePolicy(_)) && *status == 500 =>
        {
            (
                t!(err_save_500_title, doing = &doing),
                t!(err_save_500_remedy),
                true,
            )
        }
        ApiError::Server { status, .. } => (
            t!(
                err_server_title,
                doing = &doing,
                status = status.to_string()
            ),
            t!(err_server_remedy),
            true,
        ),
        ApiError::Network => (
            t!(err_network_title, doing = &doing),
            t!(err_network_remedy),
            true,
        ),
        ApiError::Timeout => (
            t!(err_timeout_title, doing = &doing),
            t!(err_timeout_remedy),
            true,
        ),
        ApiError::NotEnvelope { status, detail } => (
            t!(
                err_not_envelope_title,
                doing = &doing,
                status = status.to_string(),
                detail = detail
            ),
            t!(err_not_envelope_remedy),
            true,
        ),
        ApiError::UnexpectedResponse { detail } => (
            t!(err_unexpected_title, doing = &doing, detail = detail),
            t!(err_unexpected_remedy),
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
