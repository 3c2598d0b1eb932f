//! Small helpers: random tokens, time formatting, HTML encoding, GUID
//! parsing, URL query decoding and Base64. Kept here so the simulator needs
//! no extra crates for them.

use std::net::IpAddr;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{SystemTime, UNIX_EPOCH};

pub const EMPTY_GUID: &str = "00000000-0000-0000-0000-000000000000";

static RNG_STATE: AtomicU64 = AtomicU64::new(0x853c_49e6_748f_ea9b);

/// Mixes the clock into the generator so tokens differ between runs.
pub fn seed_rng() {
    let nanos = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_nanos() as u64)
        .unwrap_or(0);
    let mixed = splitmix(nanos ^ u64::from(std::process::id()).rotate_left(32));
    RNG_STATE.fetch_xor(mixed, Ordering::Relaxed);
}

/// SplitMix64 finaliser: a good 64-bit mixer for deterministic ids.
pub fn splitmix(mut z: u64) -> u64 {
    z = z.wrapping_add(0x9E37_79B9_7F4A_7C15);
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

pub fn random_u64() -> u64 {
    let s = RNG_STATE.fetch_add(0x9E37_79B9_7F4A_7C15, Ordering::Relaxed);
    splitmix(s)
}

const TOKEN_ALPHABET: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

/// A random alphanumeric string of `len` characters.
pub fn random_token(len: usize) -> String {
    let mut out = String::with_capacity(len);
    while out.len() < len {
        let mut r = random_u64();
        for _ in 0..8 {
            if out.len() == len {
                break;
            }
            // 62 symbols: reject the top values to stay unbiased.
            let b = (r & 0xff) as u8;
            r >>= 8;
            if b < 248 {
                out.push(TOKEN_ALPHABET[(b % 62) as usize] as char);
            }
        }
    }
    out
}

/// Formats 128 bits as a version-4 style GUID (lowercase, hyphenated).
pub fn guid_from_bits(hi: u64, lo: u64) -> String {
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

pub fn now_ms() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_millis() as u64)
        .unwrap_or(0)
}

/// Days since 1970-01-01 to (year, month, day).
fn civil_from_days(z: i64) -> (i64, u32, u32) {
    let z = z + 719_468;
    let era = if z >= 0 { z } else { z - 146_096 } / 146_097;
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let y = yoe + era * 400;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    (if m <= 2 { y + 1 } else { y }, m, d)
}

fn split_ms(ms: u64) -> (i64, u32, u32, u64, u64, u64, u64) {
    let secs = ms / 1000;
    let (y, mo, d) = civil_from_days((secs / 86_400) as i64);
    let rem = secs % 86_400;
    (y, mo, d, rem / 3600, (rem / 60) % 60, rem % 60, ms % 1000)
}

/// `2026-07-01T12:00:00.0000000+00:00`, the shape of DocSpace's ApiDateTime.
pub fn api_datetime(ms: u64) -> String {
    let (y, mo, d, h, mi, s, milli) = split_ms(ms);
    format!("{y:04}-{mo:02}-{d:02}T{h:02}:{mi:02}:{s:02}.{milli:03}0000+00:00")
}

/// RFC 3339 in UTC with milliseconds.
pub fn rfc3339(ms: u64) -> String {
    let (y, mo, d, h, mi, s, milli) = split_ms(ms);
    format!("{y:04}-{mo:02}-{d:02}T{h:02}:{mi:02}:{s:02}.{milli:03}Z")
}

/// Milliseconds since 2010-01-01, the timestamp part of DocSpace e-mail keys.
pub fn ms_since_2010(ms: u64) -> u64 {
    ms.saturating_sub(1_262_304_000_000)
}

/// .NET `WebUtility.HtmlEncode`, which DocSpace applies to `displayName`:
/// the five markup characters, Latin-1 supplement characters (U+00A0 to
/// U+00FF) and characters outside the BMP become entities.
pub fn html_encode_net(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 8);
    for c in s.chars() {
        match c {
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            '&' => out.push_str("&amp;"),
            c if ('\u{a0}'..='\u{ff}').contains(&c) || (c as u32) > 0xFFFF => {
                out.push_str(&format!("&#{};", c as u32))
            }
            c => out.push(c),
        }
    }
    out
}

/// Escapes text for our own HTML pages.
pub fn html_escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 8);
    for c in s.chars() {
        match c {
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            '&' => out.push_str("&amp;"),
            c => out.push(c),
        }
    }
    out
}

/// Percent-encodes a query component.
pub fn url_encode(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b'~') {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

fn hex_val(b: u8) -> Option<u8> {
    match b {
        b'0'..=b'9' => Some(b - b'0'),
        b'a'..=b'f' => Some(b - b'a' + 10),
        b'A'..=b'F' => Some(b - b'A' + 10),
        _ => None,
    }
}

/// Decodes one `application/x-www-form-urlencoded` component.
pub fn url_decode(s: &str) -> String {
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        match b[i] {
            b'+' => out.push(b' '),
            b'%' if i + 2 < b.len() => match (hex_val(b[i + 1]), hex_val(b[i + 2])) {
                (Some(h), Some(l)) => {
                    out.push(h * 16 + l);
                    i += 2;
                }
                _ => out.push(b'%'),
            },
            c => out.push(c),
        }
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// Splits a raw query string into decoded pairs.
pub fn parse_query(q: Option<&str>) -> Vec<(String, String)> {
    let Some(q) = q else { return Vec::new() };
    q.split('&')
        .filter(|p| !p.is_empty())
        .map(|p| match p.split_once('=') {
            Some((k, v)) => (url_decode(k), url_decode(v)),
            None => (url_decode(p), String::new()),
        })
        .collect()
}

/// First value of a query parameter, matched case-insensitively like ASP.NET.
pub fn query_get<'a>(q: &'a [(String, String)], name: &str) -> Option<&'a str> {
    q.iter()
        .find(|(k, _)| k.eq_ignore_ascii_case(name))
        .map(|(_, v)| v.as_str())
}

const B64: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

pub fn base64_encode(data: &[u8]) -> String {
    let mut out = String::with_capacity(data.len().div_ceil(3) * 4);
    for chunk in data.chunks(3) {
        let n = (u32::from(chunk[0]) << 16)
            | (u32::from(*chunk.get(1).unwrap_or(&0)) << 8)
            | u32::from(*chunk.get(2).unwrap_or(&0));
        out.push(B64[(n >> 18) as usize & 63] as char);
        out.push(B64[(n >> 12) as usize & 63] as char);
        out.push(if chunk.len() > 1 {
            B64[(n >> 6) as usize & 63] as char
        } else {
            '='
        });
        out.push(if chunk.len() > 2 {
            B64[n as usize & 63] as char
        } else {
            '='
        });
    }
    out
}

pub fn base64_decode(s: &str) -> Option<Vec<u8>> {
    let s = s.trim().trim_end_matches('=');
    let mut out = Vec::with_capacity(s.len() * 3 / 4);
    let mut buf = 0u32;
    let mut bits = 0;
    for c in s.bytes() {
        let v = match c {
            b'A'..=b'Z' => c - b'A',
            b'a'..=b'z' => c - b'a' + 26,
            b'0'..=b'9' => c - b'0' + 52,
            b'+' | b'-' => 62,
            b'/' | b'_' => 63,
            _ => return None,
        };
        buf = (buf << 6) | u32::from(v);
        bits += 6;
        if bits >= 8 {
            bits -= 8;
            out.push((buf >> bits) as u8);
            buf &= (1 << bits) - 1;
        }
    }
    Some(out)
}

/// The request IP as a plain string: IPv4-mapped IPv6 addresses are shown
/// as IPv4, like the real server after forwarded-header processing.
pub fn ip_string(ip: IpAddr) -> String {
    match ip {
        IpAddr::V6(v6) => match v6.to_ipv4_mapped() {
            Some(v4) => v4.to_string(),
            None => v6.to_string(),
        },
        v4 => v4.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn html_encoding_matches_dotnet() {
        assert_eq!(
            html_encode_net("Jane O'Neil & <b>\"x\"</b>"),
            "Jane O&#39;Neil &amp; &lt;b&gt;&quot;x&quot;&lt;/b&gt;"
        );
        assert_eq!(
            html_encode_net("Zoë Łukasz-Ægir"),
            "Zo&#235; Łukasz-&#198;gir"
        );
        assert_eq!(html_encode_net("a😀"), "a&#128512;");
    }

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

    #[test]
    fn dates() {
        assert_eq!(api_datetime(0), "1970-01-01T00:00:00.0000000+00:00");
        assert_eq!(rfc3339(1_782_907_200_123), "2026-07-01T12:00:00.123Z");
    }

    #[test]
    fn base64_round_trip() {
        for s in ["", "a", "ab", "abc", "owner@example.com:demo-password"] {
            assert_eq!(
                base64_decode(&base64_encode(s.as_bytes())).unwrap(),
                s.as_bytes()
            );
        }
        assert_eq!(base64_encode(b"ab"), "YWI=");
    }

    #[test]
    fn url_decoding() {
        assert_eq!(url_decode("a%20b+c%2"), "a b c%2");
        assert_eq!(url_decode("%C3%AB"), "ë");
        let q = parse_query(Some("Count=5&filterValue=o%27n&x"));
        assert_eq!(query_get(&q, "count"), Some("5"));
        assert_eq!(query_get(&q, "FILTERVALUE"), Some("o'n"));
        assert_eq!(query_get(&q, "x"), Some(""));
    }
}
