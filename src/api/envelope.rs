//! Decoding DocSpace's response envelope (spec §1): pure, so it is tested natively.
//!
//! Every answer goes through [`decode`]: a success envelope yields its `response`
//! (absent when the server returned null), and every other shape becomes an
//! [`ApiError`] that names what happened.

use serde::Deserialize;
use serde_json::Value;

use super::error::{ApiError, FieldError};
use crate::t;

/// The parts of a success envelope the panel uses.
#[derive(Debug, Clone, PartialEq)]
pub struct Success {
    /// `response`, or `None` when the server omitted it (a null result).
    pub response: Option<Value>,
    /// `total` of a paged list.
    pub total: Option<u64>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct RawEnvelope {
    response: Option<Value>,
    total: Option<u64>,
    status: Option<i64>,
    status_code: Option<u16>,
    error: Option<RawError>,
}

#[derive(Deserialize)]
struct RawError {
    message: Option<String>,
}

/// Turns an HTTP status and body text into the envelope's payload or an error.
pub fn decode(status: u16, body: &str) -> Result<Success, ApiError> {
    let trimmed = body.trim();
    if trimmed.is_empty() {
        // DocSpace answers 401 (bad credentials) and scope 403 with an empty body.
        return Err(match status {
            401 => ApiError::Unauthorized { message: None },
            403 => ApiError::MissingScope,
            200..=299 => ApiError::NotEnvelope {
                status,
                detail: t!(api_body_empty),
            },
            _ => status_error(status, None),
        });
    }
    let envelope: RawEnvelope = match serde_json::from_str::<Value>(trimmed) {
        Ok(value @ Value::Object(_)) => match serde_json::from_value(value) {
            Ok(envelope) => envelope,
            Err(e) => {
                return Err(not_envelope(
                    status,
                    t!(api_unexpected_fields, error = e.to_string()),
                ))
            }
        },
        Ok(_) => return Err(not_envelope(status, t!(api_json_not_object))),
        Err(_) => {
            let detail = if looks_like_html(trimmed) {
                t!(api_html_page)
            } else {
                t!(api_invalid_json)
            };
            return Err(not_envelope(status, detail));
        }
    };

    if let Some(error) = envelope.error {
        let message = error.message.filter(|m| !m.trim().is_empty());
        let code = envelope.status_code.unwrap_or(status);
        return Err(match code {
            401 => ApiError::Unauthorized { message },
            _ => status_error(code, message),
        });
    }
    let code = envelope.status_code.unwrap_or(status);
    if envelope.status == Some(1) || code == 400 || !(200..=299).contains(&status) {
        if code == 400 || status == 400 {
            return Err(validation(envelope.response.as_ref()));
        }
        return Err(status_error(if code >= 300 { code } else { status }, None));
    }
    if envelope.status.is_none() && envelope.status_code.is_none() && envelope.response.is_none() {
        return Err(not_envelope(status, t!(api_no_envelope_fields)));
    }
    Ok(Success {
        response: envelope.response,
        total: envelope.total,
    })
}

fn looks_like_html(text: &str) -> bool {
    let head: String = text
        .chars()
        .take(64)
        .collect::<String>()
        .to_ascii_lowercase();
    head.starts_with("<!doctype") || head.starts_with("<html") || head.starts_with('<')
}

/// Not an envelope; `detail` is a message saying what came back.
fn not_envelope(status: u16, detail: String) -> ApiError {
    ApiError::NotEnvelope { status, detail }
}

/// Maps a status with an optional server message to its error class.
fn status_error(status: u16, message: Option<String>) -> ApiError {
    match status {
        400 => ApiError::BadRequest { message },
        401 => ApiError::Unauthorized { message },
        402 => ApiError::PaymentRequired { message },
        403 => ApiError::Forbidden { message },
        404 => ApiError::NotFound { message },
        405 => ApiError::NotAvailable { message },
        _ => ApiError::Server { status, message },
    }
}

/// A 400 wrapped in the success envelope: `response.errors` names the fields (§1.3).
fn validation(response: Option<&Value>) -> ApiError {
    let Some(response) = response else {
        return ApiError::BadRequest { message: None };
    };
    let title = response
        .get("title")
        .and_then(Value::as_str)
        .map(str::to_string);
    let mut fields = Vec::new();
    if let Some(Value::Object(errors)) = response.get("errors") {
        for (field, messages) in errors {
            let messages = match messages {
                Value::Array(items) => items
                    .iter()
                    .filter_map(|m| m.as_str().map(str::to_string))
                    .collect(),
                Value::String(s) => vec![s.clone()],
                _ => Vec::new(),
            };
            fields.push(FieldError {
                field: field.clone(),
                messages,
            });
        }
    }
    if fields.is_empty() {
        return ApiError::BadRequest { message: title };
    }
    ApiError::Validation { title, fields }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn success_with_response_and_total() {
        let body = r#"{"response":[1,2],"count":2,"total":37,"links":[{"href":"x","action":"GET"}],"status":0,"statusCode":200}"#;
        let ok = decode(200, body).unwrap();
        assert_eq!(ok.response, Some(serde_json::json!([1, 2])));
        assert_eq!(ok.total, Some(37));
    }

    #[test]
    fn success_without_response_is_none() {
        let body = r#"{"count":0,"links":[],"status":0,"statusCode":200}"#;
        assert_eq!(decode(200, body).unwrap().response, None);
    }

    #[test]
    fn empty_401_is_unauthorized_and_empty_403_is_missing_scope() {
        assert_eq!(
            decode(401, ""),
            Err(ApiError::Unauthorized { message: None })
        );
        assert_eq!(decode(403, "  "), Err(ApiError::MissingScope));
    }

    #[test]
    fn exception_envelope_keeps_the_server_message() {
        let body = r#"{"error":{"message":"Access denied","type":null,"stack":null,"hresult":0},"status":1,"statusCode":403}"#;
        assert_eq!(
            decode(403, body),
            Err(ApiError::Forbidden {
                message: Some("Access denied".into())
            })
        );
        let body =
            r#"{"error":{"message":"SMS settings are not available"},"status":1,"statusCode":405}"#;
        assert_eq!(
            decode(405, body),
            Err(ApiError::NotAvailable {
                message: Some("SMS settings are not available".into())
            })
        );
        let body = r#"{"error":{"message":"Object reference not set to an instance of an object."},"status":1,"statusCode":500}"#;
        assert!(matches!(
            decode(500, body),
            Err(ApiError::Server {
                status: 500,
                message: Some(_)
            })
        ));
        let body = r#"{"error":{"message":"Not found"},"status":1,"statusCode":404}"#;
        assert!(matches!(decode(404, body), Err(ApiError::NotFound { .. })));
    }

    #[test]
    fn validation_errors_are_listed_by_field() {
        let body = r#"{"response":{"title":"One or more validation errors occurred.","status":400,
            "errors":{"$.id":["The JSON value could not be converted to System.Guid."],
                      "$.mandatoryUsers[0]":["bad guid"]}},
            "count":1,"links":[],"status":1,"statusCode":400}"#;
        let Err(ApiError::Validation { title, fields }) = decode(400, body) else {
            panic!("expected a validation error");
        };
        assert_eq!(
            title.as_deref(),
            Some("One or more validation errors occurred.")
        );
        assert_eq!(fields.len(), 2);
        assert!(fields.iter().any(|f| f.field == "$.id"));
        assert!(fields
            .iter()
            .any(|f| f.field == "$.mandatoryUsers[0]" && f.messages == ["bad guid"]));
    }

    #[test]
    fn html_and_malformed_bodies_are_not_envelopes() {
        let html = "<html><head><title>502 Bad Gateway</title></head></html>";
        assert!(matches!(
            decode(502, html),
            Err(ApiError::NotEnvelope { status: 502, ref detail }) if detail.contains("HTML")
        ));
        assert!(matches!(
            decode(200, r#"{"response": [1,"#),
            Err(ApiError::NotEnvelope { status: 200, ref detail }) if detail.contains("not valid JSON")
        ));
        assert!(matches!(
            decode(200, "[1,2]"),
            Err(ApiError::NotEnvelope { .. })
        ));
        assert!(matches!(
            decode(200, r#"{"hello":1}"#),
            Err(ApiError::NotEnvelope { .. })
        ));
        assert!(matches!(decode(200, ""), Err(ApiError::NotEnvelope { .. })));
    }

    #[test]
    fn plain_error_statuses_without_envelope_fields() {
        assert!(matches!(
            decode(404, ""),
            Err(ApiError::NotFound { message: None })
        ));
        assert!(matches!(
            decode(500, ""),
            Err(ApiError::Server { status: 500, .. })
        ));
        assert!(matches!(
            decode(503, r#"{"status":1,"statusCode":503}"#),
            Err(ApiError::Server { status: 503, .. })
        ));
    }
}
