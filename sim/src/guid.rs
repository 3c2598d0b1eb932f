//! GUIDs: the empty one, deterministic ones for generated seed data, and
//! parsing the way System.Text.Json and route constraints read them.

use crate::random::splitmix;

pub const EMPTY_GUID: &str = "00000000-0000-0000-0000-000000000000";

/// Formats 128 bits as a version-4 style GUID (lowercase, hyphenated).
fn guid_from_bits(hi: u64, lo: u64) -> String {
    let hi = (hi & 0xFFFF_FFFF_FFFF_0FFF) | 0x0000_0000_0000_4000;
    let lo = (lo & 0x3FFF_FFFF_FFFF_FFFF) | 0x8000_0000_0000_0000;
    format!(
        "{:08x}-{:04x}-{:04x}-{:04x}-{:012x}",
        hi >> 32,
        (hi >> 16) & 0xFFFF,
        hi & 0xFFFF,
        lo >> 48,
        lo & 0xFFFF_FFFF_FFFF
    )
}

/// Deterministic GUID for generated seed data.
pub fn derived_guid(kind: u64, index: u64) -> String {
    let a = splitmix(kind.wrapping_mul(0x1000_0000_01b3) ^ index);
    let b = splitmix(a ^ index.rotate_left(17) ^ kind);
    guid_from_bits(a, b)
}

/// Parses a GUID the way System.Text.Json does: only the hyphenated
/// 36-character "D" form is accepted. Returns it in lowercase.
pub fn parse_guid(s: &str) -> Option<String> {
    let b = s.as_bytes();
    if b.len() != 36 {
        return None;
    }
    for (i, c) in b.iter().enumerate() {
        let ok = match i {
            8 | 13 | 18 | 23 => *c == b'-',
            _ => c.is_ascii_hexdigit(),
        };
        if !ok {
            return None;
        }
    }
    Some(s.to_ascii_lowercase())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn guids() {
        assert_eq!(
            parse_guid("ABCDEF01-2345-6789-abcd-ef0123456789").as_deref(),
            Some("abcdef01-2345-6789-abcd-ef0123456789")
        );
        assert!(parse_guid("abcdef0123456789abcdef0123456789").is_none());
        assert!(parse_guid("{abcdef01-2345-6789-abcd-ef0123456789}").is_none());
        assert!(parse_guid("").is_none());
        let g = derived_guid(1, 2);
        assert_eq!(parse_guid(&g).as_deref(), Some(g.as_str()));
        assert_ne!(derived_guid(1, 2), derived_guid(1, 3));
    }
}
