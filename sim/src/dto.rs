//! Request-body binding that reproduces ASP.NET Core + System.Text.Json:
//! the first conversion failure in document order becomes a 400 whose
//! `errors` key is the JSON path (`$.id`, `$.mandatoryUsers[0]`, ...).

use serde::de::{Deserializer, MapAccess, Visitor};
use serde_json::Value;

use crate::guid::parse_guid;
use crate::ipmatch::{next_valid, seed_valid};
use crate::profile::IpCheck;
use crate::state::TfaType;

/// Validation errors: (key, message).
pub type Errors = Vec<(String, String)>;

pub const TRUSTED_IPS_MESSAGE: &str =
    "The TrustedIps field must contain a valid IP address, IP range or CIDR block.";

const DTO_TYPE: &str = "ASC.Web.Api.ApiModels.RequestsDto.TfaRequestsDto";
const ENUM_TYPE: &str = "ASC.Web.Api.ApiModels.RequestsDto.TfaRequestsDtoType";

/// A JSON object's members in document order.
struct Ordered(Vec<(String, Value)>);

impl<'de> serde::Deserialize<'de> for Ordered {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = Ordered;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("a JSON object")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Ordered, A::Error> {
                let mut out = Vec::new();
                while let Some((k, v)) = map.next_entry::<String, Value>()? {
                    out.push((k, v));
                }
                Ok(Ordered(out))
            }
        }
        d.deserialize_map(V)
    }
}

fn convert_error(path: &str, ty: &str) -> (String, String) {
    (
        path.to_string(),
        format!("The JSON value could not be converted to {ty}. Path: {path} | LineNumber: 0 | BytePositionInLine: 0."),
    )
}

/// Parses a body into its top-level members, or gives the 400 errors for an
/// empty body, malformed JSON or a non-object root.
fn parse_object(body: &[u8], dto_type: &str) -> Result<Vec<(String, Value)>, Errors> {
    if body.iter().all(|b| b.is_ascii_whitespace()) {
        return Err(vec![(
            String::new(),
            "A non-empty request body is required.".to_string(),
        )]);
    }
    match serde_json::from_slice::<Value>(body) {
        Err(e) => Err(vec![(
            "$".to_string(),
            format!(
                "The JSON input is invalid ({}). Path: $ | LineNumber: {} | BytePositionInLine: {}.",
                e,
                e.line().saturating_sub(1),
                e.column()
            ),
        )]),
        Ok(Value::Object(_)) => serde_json::from_slice::<Ordered>(body)
            .map(|o| o.0)
            .map_err(|_| vec![convert_error("$", dto_type)]),
        Ok(_) => Err(vec![convert_error("$", dto_type)]),
    }
}

#[derive(Clone, Debug, Default)]
pub struct TfaRequest {
    pub ty: Option<TfaType>,
    pub id: Option<String>,
    pub trusted_ips: Option<Vec<String>>,
    pub mandatory_users: Option<Vec<String>>,
    pub mandatory_groups: Option<Vec<String>>,
}

impl TfaRequest {
    pub fn ty(&self) -> TfaType {
        self.ty.unwrap_or(TfaType::None)
    }
}

/// Enum binding with the string converter: names case-insensitively,
/// integers (also as strings); out-of-range integers act as None.
fn parse_type(v: &Value) -> Option<TfaType> {
    let from_int = |n: i64| match n {
        1 => TfaType::Sms,
        2 => TfaType::App,
        _ => TfaType::None,
    };
    match v {
        Value::Number(n) => {
            let i = n.as_i64()?;
            i32::try_from(i).ok()?;
            Some(from_int(i))
        }
        Value::String(s) => {
            let t = s.trim();
            if t.is_empty() {
                return None;
            }
            match t.to_ascii_lowercase().as_str() {
                "none" => Some(TfaType::None),
                "sms" => Some(TfaType::Sms),
                "app" => Some(TfaType::App),
                _ => {
                    let i: i32 = t.parse().ok()?;
                    Some(from_int(i64::from(i)))
                }
            }
        }
        _ => None,
    }
}

/// Binds `List<T>`: null is None, an array converts item by item (the first
/// failure is reported at `path[i]`), anything else fails at `path`.
fn parse_list(
    v: &Value,
    path: &str,
    item_type: &str,
    item: impl Fn(&Value) -> Option<String>,
) -> Result<Option<Vec<String>>, (String, String)> {
    match v {
        Value::Null => Ok(None),
        Value::Array(items) => items
            .iter()
            .enumerate()
            .map(|(i, v)| item(v).ok_or_else(|| convert_error(&format!("{path}[{i}]"), item_type)))
            .collect::<Result<Vec<_>, _>>()
            .map(Some),
        _ => Err(convert_error(
            path,
            &format!("System.Collections.Generic.List`1[{item_type}]"),
        )),
    }
}

fn parse_guid_list(v: &Value, path: &str) -> Result<Option<Vec<String>>, (String, String)> {
    parse_list(v, path, "System.Guid", |v| v.as_str().and_then(parse_guid))
}

fn parse_string_list(v: &Value, path: &str) -> Result<Option<Vec<String>>, (String, String)> {
    parse_list(v, path, "System.String", |v| v.as_str().map(str::to_string))
}

/// Binds `TfaRequestsDto`; conversion errors come first (the body is not
/// validated when it does not bind), then the trusted-IP check.
pub fn parse_tfa_request(body: &[u8], ip_check: IpCheck) -> Result<TfaRequest, Errors> {
    let members = parse_object(body, DTO_TYPE)?;
    let mut dto = TfaRequest::default();
    for (key, value) in &members {
        let one = |e: (String, String)| vec![e];
        match key.to_ascii_lowercase().as_str() {
            "type" => {
                dto.ty =
                    Some(parse_type(value).ok_or_else(|| one(convert_error("$.type", ENUM_TYPE)))?);
            }
            "id" => {
                let g = value
                    .as_str()
                    .and_then(parse_guid)
                    .ok_or_else(|| one(convert_error("$.id", "System.Guid")))?;
                dto.id = Some(g);
            }
            "trustedips" => {
                dto.trusted_ips = parse_string_list(value, "$.trustedIps").map_err(one)?
            }
            "mandatoryusers" => {
                dto.mandatory_users = parse_guid_list(value, "$.mandatoryUsers").map_err(one)?
            }
            "mandatorygroups" => {
                dto.mandatory_groups = parse_guid_list(value, "$.mandatoryGroups").map_err(one)?
            }
            _ => {}
        }
    }
    if ip_check == IpCheck::Next
        && dto
            .trusted_ips
            .as_ref()
            .is_some_and(|ips| !ips.iter().all(|ip| next_valid(ip)))
    {
        return Err(vec![(
            "TrustedIps".to_string(),
            TRUSTED_IPS_MESSAGE.to_string(),
        )]);
    }
    if ip_check == IpCheck::Seed {
        if let Some(ips) = dto.trusted_ips.as_mut() {
            let errors: Errors = ips
                .iter()
                .enumerate()
                .filter(|(_, ip)| !seed_valid(ip))
                .map(|(i, _)| {
                    (
                        format!("$.trustedIps[{i}]"),
                        TRUSTED_IPS_MESSAGE.to_string(),
                    )
                })
                .collect();
            if !errors.is_empty() {
                return Err(errors);
            }
            for ip in ips.iter_mut() {
                *ip = ip.trim().to_string();
            }
        }
    }
    Ok(dto)
}

#[derive(Clone, Debug, Default)]
pub struct AuthRequest {
    pub user_name: Option<String>,
    pub password: Option<String>,
}

/// Binds `AuthRequestsDto` (`userName`, `password`; other members ignored).
pub fn parse_auth_request(body: &[u8]) -> Result<AuthRequest, Errors> {
    let members = parse_object(body, "ASC.Web.Api.ApiModels.RequestsDto.AuthRequestsDto")?;
    let mut dto = AuthRequest::default();
    for (key, value) in &members {
        let (slot, path) = match key.to_ascii_lowercase().as_str() {
            "username" => (&mut dto.user_name, "$.userName"),
            "password" => (&mut dto.password, "$.password"),
            _ => continue,
        };
        *slot = match value {
            Value::Null => None,
            Value::String(s) => Some(s.clone()),
            _ => return Err(vec![convert_error(path, "System.String")]),
        };
    }
    Ok(dto)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn keys(r: Result<TfaRequest, Errors>) -> Vec<String> {
        r.unwrap_err().into_iter().map(|(k, _)| k).collect()
    }

    #[test]
    fn type_binding() {
        let t = |s: &str| parse_tfa_request(s.as_bytes(), IpCheck::None).map(|d| d.ty());
        assert_eq!(t(r#"{"type":"app"}"#).unwrap(), TfaType::App);
        assert_eq!(t(r#"{"Type":"SMS"}"#).unwrap(), TfaType::Sms);
        assert_eq!(t(r#"{"type":2}"#).unwrap(), TfaType::App);
        assert_eq!(t(r#"{"type":"2"}"#).unwrap(), TfaType::App);
        assert_eq!(t(r#"{"type":99}"#).unwrap(), TfaType::None);
        assert_eq!(t(r#"{}"#).unwrap(), TfaType::None);
        assert_eq!(
            keys(parse_tfa_request(br#"{"type":"totp"}"#, IpCheck::None)),
            ["$.type"]
        );
        assert_eq!(
            keys(parse_tfa_request(br#"{"type":true}"#, IpCheck::None)),
            ["$.type"]
        );
        assert_eq!(
            keys(parse_tfa_request(br#"{"type":2.5}"#, IpCheck::None)),
            ["$.type"]
        );
    }

    #[test]
    fn first_error_in_document_order_wins() {
        let r = parse_tfa_request(br#"{"mandatoryUsers":["x"],"id":"bad"}"#, IpCheck::None);
        assert_eq!(keys(r), ["$.mandatoryUsers[0]"]);
        let r = parse_tfa_request(br#"{"id":"bad","mandatoryUsers":["x"]}"#, IpCheck::None);
        assert_eq!(keys(r), ["$.id"]);
    }

    #[test]
    fn body_shape_errors() {
        assert_eq!(keys(parse_tfa_request(b"", IpCheck::None)), [""]);
        assert_eq!(keys(parse_tfa_request(b"{", IpCheck::None)), ["$"]);
        assert_eq!(keys(parse_tfa_request(b"[1]", IpCheck::None)), ["$"]);
        assert_eq!(
            keys(parse_tfa_request(
                br#"{"trustedIps":"1.2.3.4"}"#,
                IpCheck::None
            )),
            ["$.trustedIps"]
        );
        assert_eq!(
            keys(parse_tfa_request(br#"{"trustedIps":[1]}"#, IpCheck::None)),
            ["$.trustedIps[0]"]
        );
        assert_eq!(
            keys(parse_tfa_request(
                br#"{"mandatoryGroups":[null]}"#,
                IpCheck::None
            )),
            ["$.mandatoryGroups[0]"]
        );
        assert_eq!(
            keys(parse_tfa_request(br#"{"id":null}"#, IpCheck::None)),
            ["$.id"]
        );
    }

    #[test]
    fn trusted_ip_validation_reports_every_bad_entry() {
        let body = br#"{"type":"app","trustedIps":["1.2.3.4","not-an-ip"," 10.0.0.0/8 ",""]}"#;
        assert_eq!(
            keys(parse_tfa_request(body, IpCheck::Seed)),
            ["$.trustedIps[1]", "$.trustedIps[3]"]
        );
        let ok = parse_tfa_request(br#"{"trustedIps":[" 10.0.0.0/8 "]}"#, IpCheck::Seed).unwrap();
        assert_eq!(ok.trusted_ips.unwrap(), ["10.0.0.0/8"]);
        let legacy = parse_tfa_request(br#"{"trustedIps":["not-an-ip"]}"#, IpCheck::None).unwrap();
        assert_eq!(legacy.trusted_ips.unwrap(), ["not-an-ip"]);
    }

    #[test]
    fn next_reports_one_error_on_the_property_and_keeps_entries_as_sent() {
        let body = br#"{"type":"app","trustedIps":["1.2.3.4","not-an-ip",""]}"#;
        let e = parse_tfa_request(body, IpCheck::Next).unwrap_err();
        assert_eq!(
            e,
            vec![("TrustedIps".to_string(), TRUSTED_IPS_MESSAGE.to_string())]
        );
        let ok = parse_tfa_request(br#"{"trustedIps":[" 10.0.0.0/8 "]}"#, IpCheck::Next).unwrap();
        assert_eq!(ok.trusted_ips.unwrap(), [" 10.0.0.0/8 "]);
        // A conversion error wins: the model is not validated.
        let e = parse_tfa_request(br#"{"trustedIps":["x"],"id":"bad"}"#, IpCheck::Next);
        assert_eq!(keys(e), ["$.id"]);
    }
}
