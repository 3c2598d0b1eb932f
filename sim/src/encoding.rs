//! Text encodings: HTML (DocSpace's and our own pages'), percent-encoding
//! and query strings, Base64. Kept here so the simulator needs no extra
//! crates for them.

/// Writes `s` with the five markup characters as entities; `wide` also
/// turns Latin-1 supplement characters (U+00A0 to U+00FF) and characters
/// outside the BMP into numeric entities.
fn encode_html(s: &str, wide: bool) -> String {
    let mut out = String::with_capacity(s.len() + 8);
    for c in s.chars() {
        match c {
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            '&' => out.push_str("&amp;"),
            c if wide && (('\u{a0}'..='\u{ff}').contains(&c) || (c as u32) > 0xFFFF) => {
                out.push_str(&format!("&#{};", c as u32))
            }
            c => out.push(c),
        }
    }
    out
}

/// .NET `WebUtility.HtmlEncode`, which DocSpace applies to `displayName`:
/// the five markup characters, Latin-1 supplement characters (U+00A0 to
/// U+00FF) and characters outside the BMP become entities.
pub fn html_encode_net(s: &str) -> String {
    encode_html(s, true)
}

/// Escapes text for our own HTML pages.
pub fn html_escape(s: &str) -> String {
    encode_html(s, false)
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
