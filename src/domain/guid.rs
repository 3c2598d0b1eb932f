//! User and group IDs (GUIDs) as DocSpace expects them.
//!
//! DocSpace answers a malformed GUID in a request with 400, and stores any
//! well-formed one without checking that the user or group exists. The panel
//! therefore validates every ID before it goes into a request, and keeps IDs
//! in one canonical spelling so that lists can be compared and deduplicated.

use std::fmt;
use std::str::FromStr;

use super::shorten;
use crate::t;

/// An example ID used in messages, so that the administrator sees the shape.
const EXAMPLE_ID: &str = "3c6f1c2e-6a4b-4b1e-9f0e-1d2c3b4a5f60";

/// Length of the canonical hyphenated form `8-4-4-4-12`.
const GUID_LEN: usize = 36;

/// A validated user or group ID, always in lowercase canonical `8-4-4-4-12`
/// form, so that two spellings of the same ID compare equal.
#[derive(Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Debug)]
pub struct Guid(String);

/// Why a piece of text could not be used as a user or group ID. It keeps the
/// rejected text so the message can show the administrator what was wrong.
#[derive(Clone, PartialEq, Eq, Debug)]
pub struct GuidError {
    input: String,
}

impl fmt::Display for GuidError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let message = if self.input.is_empty() {
            t!(guid_empty, example = EXAMPLE_ID)
        } else {
            t!(
                guid_invalid,
                input = shorten(&self.input, 60),
                example = EXAMPLE_ID
            )
        };
        f.write_str(&message)
    }
}

impl std::error::Error for GuidError {}

/// Checks the exact `8-4-4-4-12` hex layout of a 36-byte slice.
fn is_hyphenated_guid(bytes: &[u8]) -> bool {
    bytes.len() == GUID_LEN
        && bytes.iter().enumerate().all(|(i, b)| match i {
            8 | 13 | 18 | 23 => *b == b'-',
            _ => b.is_ascii_hexdigit(),
        })
}

impl Guid {
    /// The all-zero ID, which DocSpace uses as "no user" (for example the
    /// default `id` of a request), so it should never be offered as a choice.
    pub const NIL: &'static str = "00000000-0000-0000-0000-000000000000";

    /// Parses an ID typed or pasted by an administrator: surrounding
    /// whitespace is ignored and `{…}` braces are accepted, because both
    /// appear when IDs are copied from other tools.
    pub fn parse(text: &str) -> Result<Guid, GuidError> {
        let trimmed = text.trim();
        let inner = trimmed
            .strip_prefix('{')
            .and_then(|rest| rest.strip_suffix('}'))
            .unwrap_or(trimmed);
        if is_hyphenated_guid(inner.as_bytes()) {
            Ok(Guid(inner.to_ascii_lowercase()))
        } else {
            Err(GuidError {
                input: trimmed.to_string(),
            })
        }
    }

    /// The canonical text, which is what the panel sends to DocSpace.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// Whether this is the all-zero ID, which never names a real user or group.
    pub fn is_nil(&self) -> bool {
        self.0 == Self::NIL
    }
}

impl FromStr for Guid {
    type Err = GuidError;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        Guid::parse(text)
    }
}

impl fmt::Display for Guid {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl AsRef<str> for Guid {
    fn as_ref(&self) -> &str {
        &self.0
    }
}

/// Pulls every ID out of pasted text (for example a profile URL or a list
/// copied from a spreadsheet), in order of appearance and without repeats,
/// so the administrator does not have to cut each ID out by hand.
///
/// An ID must stand on its own: a hex run that merely contains 36 matching
/// characters inside a longer word is ignored.
pub fn find_guids(text: &str) -> Vec<Guid> {
    let bytes = text.as_bytes();
    let mut found: Vec<Guid> = Vec::new();
    let is_word = |b: u8| b.is_ascii_alphanumeric() || b == b'-' || b == b'_';
    let mut i = 0;
    while i + GUID_LEN <= bytes.len() {
        let window = &bytes[i..i + GUID_LEN];
        let starts_clean = i == 0 || !is_word(bytes[i - 1]);
        let ends_clean = i + GUID_LEN == bytes.len() || !is_word(bytes[i + GUID_LEN]);
        if starts_clean && ends_clean && is_hyphenated_guid(window) {
            // The window is pure ASCII, so this slice is on char boundaries.
            let guid = Guid(text[i..i + GUID_LEN].to_ascii_lowercase());
            if !found.contains(&guid) {
                found.push(guid);
            }
            i += GUID_LEN;
        } else {
            i += 1;
        }
    }
    found
}

#[cfg(test)]
mod tests {
    use super::*;

    const ID: &str = "3c6f1c2e-6a4b-4b1e-9f0e-1d2c3b4a5f60";

    #[test]
    fn parse_table() {
        let cases: &[(&str, Option<&str>)] = &[
            (ID, Some(ID)),
            ("3C6F1C2E-6A4B-4B1E-9F0E-1D2C3B4A5F60", Some(ID)),
            ("  3c6f1c2e-6a4b-4b1e-9f0e-1d2c3b4a5f60\n", Some(ID)),
            ("{3c6f1c2e-6a4b-4b1e-9f0e-1d2c3b4a5f60}", Some(ID)),
            (" {3C6F1C2E-6a4b-4b1e-9f0e-1d2c3b4a5f60} ", Some(ID)),
            (Guid::NIL, Some(Guid::NIL)),
            ("", None),
            ("   ", None),
            ("abc", None),
            ("{}", None),
            ("{3c6f1c2e-6a4b-4b1e-9f0e-1d2c3b4a5f60", None),
            ("3c6f1c2e-6a4b-4b1e-9f0e-1d2c3b4a5f60}", None),
            ("(3c6f1c2e-6a4b-4b1e-9f0e-1d2c3b4a5f60)", None),
            ("3c6f1c2e6a4b4b1e9f0e1d2c3b4a5f60", None),
            ("3c6f1c2e-6a4b-4b1e-9f0e-1d2c3b4a5f6", None),
            ("3c6f1c2e-6a4b-4b1e-9f0e-1d2c3b4a5f600", None),
            ("3c6f1c2e-6a4b-4b1e-9f0e1-d2c3b4a5f60", None),
            ("3c6f1c2g-6a4b-4b1e-9f0e-1d2c3b4a5f60", None),
            ("3c6f1c2e-6a4b-4b1e-9f0e-1d2c3b4a5f6０", None),
            ("3c6f1c2e 6a4b 4b1e 9f0e 1d2c3b4a5f60", None),
            ("urn:uuid:3c6f1c2e-6a4b-4b1e-9f0e-1d2c3b4a5f60", None),
        ];
        for (input, expected) in cases {
            let got = Guid::parse(input).ok();
            assert_eq!(got.as_ref().map(Guid::as_str), *expected, "input {input:?}");
        }
    }

    #[test]
    fn from_str_display_and_nil() {
        let g: Guid = ID.to_uppercase().parse().unwrap();
        assert_eq!(g.to_string(), ID);
        assert_eq!(g.as_ref(), ID);
        assert!(!g.is_nil());
        assert!(Guid::parse(Guid::NIL).unwrap().is_nil());
    }

    #[test]
    fn error_messages() {
        assert_eq!(
            Guid::parse(" abc ").unwrap_err().to_string(),
            "“abc” is not a user or group ID: an ID looks like 3c6f1c2e-6a4b-4b1e-9f0e-1d2c3b4a5f60."
        );
        assert_eq!(
            Guid::parse("").unwrap_err().to_string(),
            "The ID is empty: type or paste a user or group ID, which looks like 3c6f1c2e-6a4b-4b1e-9f0e-1d2c3b4a5f60."
        );
        let long = "x".repeat(100);
        assert_eq!(
            Guid::parse(&long).unwrap_err().to_string(),
            format!(
                "“{}…” is not a user or group ID: an ID looks like 3c6f1c2e-6a4b-4b1e-9f0e-1d2c3b4a5f60.",
                "x".repeat(60)
            )
        );
    }

    #[test]
    fn find_guids_table() {
        let a = "3c6f1c2e-6a4b-4b1e-9f0e-1d2c3b4a5f60";
        let b = "0d1e2f3a-0000-4000-8000-00000000000b";
        let cases: Vec<(String, Vec<&str>)> = vec![
            (String::new(), vec![]),
            ("no ids here".into(), vec![]),
            (a.into(), vec![a]),
            (
                format!("https://portal.example.com/accounts/view/{a}?x=1"),
                vec![a],
            ),
            (format!("{a}\n{b}\n{a}"), vec![a, b]),
            (format!("{},{b};", a.to_uppercase()), vec![a, b]),
            (format!("{{{a}}} and ({b})"), vec![a, b]),
            (format!("x{a}"), vec![]),
            (format!("{a}0"), vec![]),
            (format!("-{a}"), vec![]),
            (format!("{a}_"), vec![]),
            (format!("é{a}é"), vec![a]),
            (format!("uid={a}&uid={b}"), vec![a, b]),
            (a[..35].to_string(), vec![]),
        ];
        for (text, expected) in cases {
            let got: Vec<String> = find_guids(&text).iter().map(|g| g.to_string()).collect();
            assert_eq!(got, expected, "text {text:?}");
        }
    }
}
