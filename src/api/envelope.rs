//! Decoding DocSpace's response envelope (spec §1): pure, so it is tested natively.
//!
//! Every answer goes through [`decode`]: a success envelope yields its `response`
//! (absent when the server returned null), and every other shape becomes an
//! [`ApiError`] that names what happened.

use super::error::{ApiError, FieldError};
use super::json::{self, Fields, Json};
use crate::t;

/// The parts of a success envelope the panel uses.
#[derive(Debug, Clone, PartialEq)]
pub struct Success {
    /// `response`, or `None` when the server omitted it (a null result).
    pub response: Option<Json>,
    /// `total` of a paged list.
    pub total: Option<u64>,
}

/// The envelope's fields the panel reads (`error.message` from `error`).
struct RawEnvelope {
    response: Option<Json>,
    total: Option<u64>,
    status: Option<i64>,
    status_code: Option<u16>,
    error: Option<Option<String>>,
}

/// Reads the envelope's fields; a field of the wrong type is named.
fn envelope_of(mut members: Vec<(String, Json)>) -> Result<RawEnvelope, json::WrongType> {
    let f = Fields(&members);
    let status_code = match f.u64("statusCode")? {
        Some(code) => Some(u16::try_from(code).map_err(|_| json::WrongType("statusCode".into()))?),
        None => None,
    };
    let error = match f.object("error")? {
        Some(e) => Some(e.str("message")?),
        None => None,
    };
    let (total, status) = (f.u64("total")?, f.i64("status")?);
    // Take `response` out without copying it (the last one, as `get` reads).
    let response = members
        .iter()
        .rposition(|(k, _)| k == "response")
        .map(|i| members.swap_remove(i).1)
        .filter(|v| *v != Json::Null);
    Ok(RawEnvelope {
        response,
        total,
        status,
        status_code,
        error,
    })
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
    let envelope = match json::parse(trimmed) {
        Ok(Json::Obj(members)) => match envelope_of(members) {
            Ok(envelope) => envelope,
            Err(json::WrongType(field)) => {
                return Err(not_envelope(
                    status,
                    t!(api_unexpected_fields, error = format!("`{field}`")),
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

    if let Some(message) = envelope.error {
        let message = message.filter(|m| !m.trim().is_empty());
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
fn validation(response: Option<&Json>) -> ApiError {
    let Some(response) = response else {
        return ApiError::BadRequest { message: None };
    };
    let title = response
        .get("title")
        .and_then(Json::as_str)
        .map(str::to_string);
    let mut fields = Vec::new();
    if let Some(Json::Obj(errors)) = response.get("errors") {
        for (field, messages) in errors {
            let messages = match messages {
                Json::Arr(items) => items
                    .iter()
                    .filter_map(|m| m.as_str().map(str::to_string))
                    .collect(),
                Json::Str(s) => vec![s.clone()],
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
    use crate::api::json::test_json as json;

    #[test]
    fn success_with_response_and_total() {
        let body = r#"{"response":[1,2],"count":2,"total":37,"links":[{"href":"x","action":"GET"}],"status":0,"statusCode":200}"#;
        let ok = decode(200, body).unwrap();
        assert_eq!(ok.response, Some(json!([1, 2])));
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
