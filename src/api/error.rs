//! One error type for every way a DocSpace call can fail, with the reasons
//! typed: the words for them live in `crate::messages`.

/// A validation message the server attached to one field of the request (§1.3).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldError {
    /// The JSON path DocSpace names, e.g. `$.trustedIps[2]` or `$.id`.
    pub field: String,
    pub messages: Vec<String>,
}

/// Why a call did not succeed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ApiError {
    /// 401: the key or token was refused, or every session was signed out.
    Unauthorized { message: Option<String> },
    /// 403 with an empty body: the API key lacks the scope this call needs.
    MissingScope,
    /// 403 with the server's reason ("Access denied", "No permissions…").
    Forbidden { message: Option<String> },
    /// 404.
    NotFound { message: Option<String> },
    /// 405: DocSpace's newer "method not available" answer.
    NotAvailable { message: Option<String> },
    /// 402: the portal's plan does not allow the call.
    PaymentRequired { message: Option<String> },
    /// 400 from an exception.
    BadRequest { message: Option<String> },
    /// 400 wrapped in the success envelope, naming fields.
    Validation {
        title: Option<String>,
        fields: Vec<FieldError>,
    },
    /// 5xx or another unexpected status.
    Server {
        status: u16,
        message: Option<String>,
    },
    /// `fetch` itself failed: offline, wrong address, TLS, or CORS refused.
    Network,
    /// No answer within the time limit; the request was aborted.
    Timeout,
    /// The answer was not a DocSpace envelope (an HTML page, broken JSON…).
    /// `detail` says what came back, as a message of the catalogue.
    NotEnvelope { status: u16, detail: String },
    /// The envelope was fine but `response` did not have the expected shape.
    /// `detail` says what was wrong, as a message of the catalogue.
    UnexpectedResponse { detail: String },
}

impl ApiError {
    /// The server's own `error.message`, when it sent one.
    pub fn server_message(&self) -> Option<&str> {
        match self {
            ApiError::Unauthorized { message }
            | ApiError::Forbidden { message }
            | ApiError::NotFound { message }
            | ApiError::NotAvailable { message }
            | ApiError::PaymentRequired { message }
            | ApiError::BadRequest { message }
            | ApiError::Server { message, .. } => message.as_deref(),
            ApiError::Validation { title, .. } => title.as_deref(),
            _ => None,
        }
    }

    /// Validation messages keyed by field, for showing on the fields themselves.
    pub fn field_errors(&self) -> &[FieldError] {
        match self {
            ApiError::Validation { fields, .. } => fields,
            _ => &[],
        }
    }

    /// Which refusal a 403 (or a 405) is, from DocSpace's fixed texts:
    /// "Access denied" for a role without the right (§1.2), "No permissions
    /// to perform this action" for the owner guard and resetting someone
    /// else (§4.2, §4.5). Anything else is "not available": which method,
    /// the caller knows from what it sent, never from the words (§10.7).
    pub fn refusal(&self) -> Option<Refusal> {
        let message = match self {
            ApiError::Forbidden { message } | ApiError::NotAvailable { message } => message,
            _ => return None,
        };
        let lower = message.as_deref().unwrap_or("").trim().to_ascii_lowercase();
        Some(if lower == "access denied" {
            Refusal::AccessDenied
        } else if lower.starts_with("no permissions") {
            Refusal::NoPermissions
        } else {
            Refusal::NotAvailable
        })
    }

    /// The validation messages that name an entry of a request list
    /// (`$.trustedIps[2]`), by list and index.
    pub fn list_errors(&self, list: RequestList) -> Vec<(usize, String)> {
        let prefix = format!("$.{}[", list.json_name());
        self.field_errors()
            .iter()
            .filter_map(|f| {
                let index = f
                    .field
                    .strip_prefix(&prefix)?
                    .strip_suffix(']')?
                    .parse()
                    .ok()?;
                Some((index, f.messages.join(" ")))
            })
            .collect()
    }
}

/// What a 403 (or 405) refused, read from DocSpace's fixed texts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Refusal {
    /// The role lacks the right (`SecurityException`, "Access denied").
    AccessDenied,
    /// The owner guard, or a reset of someone else by a non-owner.
    NoPermissions,
    /// The method or the thing asked for is not available.
    NotAvailable,
}

/// The lists of `TfaRequestsDto` whose entries the server may name.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RequestList {
    TrustedIps,
    MandatoryUsers,
    MandatoryGroups,
}

impl RequestList {
    fn json_name(self) -> &'static str {
        match self {
            RequestList::TrustedIps => "trustedIps",
            RequestList::MandatoryUsers => "mandatoryUsers",
            RequestList::MandatoryGroups => "mandatoryGroups",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn refusals_come_from_the_fixed_texts_only() {
        let f = |m: &str| {
            ApiError::Forbidden {
                message: Some(m.into()),
            }
            .refusal()
        };
        assert_eq!(f("Access denied"), Some(Refusal::AccessDenied));
        assert_eq!(
            f("No permissions to perform this action"),
            Some(Refusal::NoPermissions)
        );
        assert_eq!(
            f("Operation is not valid due to the current state of the object."),
            Some(Refusal::NotAvailable)
        );
        assert_eq!(
            f("SMS settings are not available"),
            Some(Refusal::NotAvailable)
        );
        assert_eq!(ApiError::Network.refusal(), None);
    }

    #[test]
    fn list_errors_map_keys_to_indexes() {
        let e = ApiError::Validation {
            title: None,
            fields: vec![
                FieldError {
                    field: "$.trustedIps[1]".into(),
                    messages: vec!["bad".into()],
                },
                FieldError {
                    field: "$.mandatoryUsers[0]".into(),
                    messages: vec!["no".into()],
                },
                FieldError {
                    field: "TrustedIps".into(),
                    messages: vec!["one for all".into()],
                },
            ],
        };
        assert_eq!(
            e.list_errors(RequestList::TrustedIps),
            vec![(1, "bad".to_string())]
        );
        assert_eq!(
            e.list_errors(RequestList::MandatoryUsers),
            vec![(0, "no".to_string())]
        );
        assert!(e.list_errors(RequestList::MandatoryGroups).is_empty());
    }
}
