//! Small helpers: random tokens, time formatting, HTML encoding, GUID and IP
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

fn ip_bits(ip: IpAddr) -> (bool, u128) {
    match ip {
        IpAddr::V4(v4) => (true, u128::from(u32::from(v4))),
        IpAddr::V6(v6) => (false, u128::from(v6)),
    }
}

/// The real server's `IPAddressRange.MatchIPs` (3.7 and before): an entry
/// with a `-` (not at the start) is a range, one with a `/` is CIDR, anything
/// else is compared as a plain string. A range or CIDR entry that does not
/// parse raises `FormatException` (the Err here), which the callers turn into
/// a 500 — the login lockout of BUG 82994.
pub fn match_ips(request_ip: &str, entries: &[String]) -> Result<bool, String> {
    const BAD_IP: &str = "An invalid IP address was specified.";
    for entry in entries {
        if entry.find('-').is_some_and(|p| p > 0) {
            let mut parts = entry.split('-');
            let lo: IpAddr = parts
                .next()
                .unwrap_or("")
                .parse()
                .map_err(|_| BAD_IP.to_string())?;
            let hi: IpAddr = parts
                .next()
                .unwrap_or("")
                .parse()
                .map_err(|_| BAD_IP.to_string())?;
            let req: IpAddr = request_ip.parse().map_err(|_| BAD_IP.to_string())?;
            let (f, r) = ip_bits(req);
            let (fl, l) = ip_bits(lo);
            let (fh, h) = ip_bits(hi);
            if f == fl && f == fh && l <= r && r <= h {
                return Ok(true);
            }
        } else if entry.find('/').is_some_and(|p| p > 0) {
            let (addr, prefix) = entry.split_once('/').unwrap_or((entry, ""));
            let net: IpAddr = addr.parse().map_err(|_| BAD_IP.to_string())?;
            let prefix: u32 = prefix
                .trim()
                .parse()
                .map_err(|_| "The input string was not in a correct format.".to_string())?;
            let req: IpAddr = request_ip.parse().map_err(|_| BAD_IP.to_string())?;
            if cidr_contains(net, prefix, req) {
                return Ok(true);
            }
        } else if entry == request_ip {
            return Ok(true);
        }
    }
    Ok(false)
}

fn cidr_contains(net: IpAddr, prefix: u32, ip: IpAddr) -> bool {
    let (fnet, n) = ip_bits(net);
    let (fip, i) = ip_bits(ip);
    if fnet != fip {
        return false;
    }
    let width = if fnet { 32 } else { 128 };
    let prefix = prefix.min(width);
    if prefix == 0 {
        return true;
    }
    let shift = width - prefix;
    (n >> shift) == (i >> shift)
}

/// The "next" server's `[IpAddressOrRange]` rule, which the seed profile
/// enforces on write: after trimming, a single IPv4/IPv6 address, an
/// `a-b` range of two addresses of one family with a <= b, or `ip/prefix`
/// with a prefix that fits the family.
pub fn valid_trusted_ip(entry: &str) -> bool {
    let e = entry.trim();
    if e.is_empty() {
        return false;
    }
    if let Some((a, b)) = e.split_once('-') {
        let (Ok(a), Ok(b)) = (a.trim().parse::<IpAddr>(), b.trim().parse::<IpAddr>()) else {
            return false;
        };
        let (fa, va) = ip_bits(a);
        let (fb, vb) = ip_bits(b);
        return fa == fb && va <= vb;
    }
    if let Some((a, p)) = e.split_once('/') {
        let Ok(a) = a.trim().parse::<IpAddr>() else {
            return false;
        };
        let p = p.trim();
        if p.is_empty() || !p.bytes().all(|c| c.is_ascii_digit()) || p.len() > 3 {
            return false;
        }
        let p: u32 = p.parse().unwrap_or(999);
        return p <= if a.is_ipv4() { 32 } else { 128 };
    }
    e.parse::<IpAddr>().is_ok()
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

    #[test]
    fn legacy_ip_matching() {
        let e = |v: &[&str]| v.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        assert_eq!(match_ips("192.0.2.10", &e(&["192.0.2.10"])), Ok(true));
        assert_eq!(
            match_ips("192.0.2.10", &e(&["192.0.2.1-192.0.2.20"])),
            Ok(true)
        );
        assert_eq!(match_ips("192.0.2.10", &e(&["192.0.2.0/24"])), Ok(true));
        assert_eq!(match_ips("192.0.3.10", &e(&["192.0.2.0/24"])), Ok(false));
        assert_eq!(match_ips("192.0.2.10", &e(&["999.999.999.999"])), Ok(false));
        assert!(match_ips("192.0.2.10", &e(&["not-an-ip"])).is_err());
        assert!(match_ips("192.0.2.10", &e(&["10.0.0.0/x"])).is_err());
        // The first match wins before a malformed entry is reached.
        assert_eq!(
            match_ips("192.0.2.10", &e(&["192.0.2.10", "not-an-ip"])),
            Ok(true)
        );
    }

    #[test]
    fn next_ip_validation() {
        for ok in [
            "192.0.2.10",
            " 192.0.2.10 ",
            "2001:db8::1",
            "192.0.2.1-192.0.2.20",
            "192.0.2.0/24",
            "2001:db8::/32",
        ] {
            assert!(valid_trusted_ip(ok), "{ok}");
        }
        for bad in [
            "",
            "  ",
            "not-an-ip",
            "999.999.999.999",
            "192.0.2.20-192.0.2.1",
            "192.0.2.0/33",
            "192.0.2.0/",
            "192.0.2.1-2001:db8::1",
            "10.0.0.1/8/8",
        ] {
            assert!(!valid_trusted_ip(bad), "{bad}");
        }
    }
}
