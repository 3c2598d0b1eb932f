//! Decoding of HTML character references in text that DocSpace returns.
//!
//! DocSpace HTML-encodes user display names (`Jane O&#39;Neil`). The panel
//! must show the decoded text, and must insert it as text, never as HTML: the
//! decoded string may well contain `<script>` if that is what the user typed.

/// Longest reference body we look at (`#x10FFFF` is 8 characters); anything
/// longer without a `;` is not a reference we decode.
const MAX_REFERENCE_LEN: usize = 10;

/// Turns DocSpace's HTML-encoded text back into what the user typed, so that
/// names such as `O&#39;Neil` display as `O'Neil`.
///
/// Decodes `&amp; &lt; &gt; &quot; &apos; &nbsp;` and numeric references
/// (`&#39;`, `&#x27;`). The text is scanned once, so `&amp;lt;` becomes
/// `&lt;` and not `<`. Unknown names, unterminated references, code points
/// that are not valid characters (zero, surrogates, beyond U+10FFFF) and
/// control characters other than tab, line feed and carriage return are left
/// exactly as written, so nothing surprising appears in a name.
///
/// The result is plain text: render it as a text node, never as markup.
pub fn decode_entities(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(amp) = rest.find('&') {
        out.push_str(&rest[..amp]);
        let after = &rest[amp + 1..];
        match decode_reference(after) {
            Some((ch, consumed)) => {
                out.push(ch);
                rest = &after[consumed..];
            }
            None => {
                out.push('&');
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}

/// Decodes the reference that starts right after a `&`; returns the
/// character and how many bytes (including the `;`) it used.
fn decode_reference(after: &str) -> Option<(char, usize)> {
    let semi = after
        .char_indices()
        .take(MAX_REFERENCE_LEN + 1)
        .find(|(_, c)| *c == ';')
        .map(|(i, _)| i)?;
    let body = &after[..semi];
    let ch = match body {
        "amp" => '&',
        "lt" => '<',
        "gt" => '>',
        "quot" => '"',
        "apos" => '\'',
        "nbsp" => '\u{a0}',
        _ => decode_numeric(body)?,
    };
    Some((ch, semi + 1))
}

/// Decodes `#NNN` or `#xHH` (the part between `&` and `;`).
fn decode_numeric(body: &str) -> Option<char> {
    let number = body.strip_prefix('#')?;
    let (digits, radix) = match number.strip_prefix(['x', 'X']) {
        Some(hex) => (hex, 16),
        None => (number, 10),
    };
    let valid_digit = |c: char| {
        if radix == 16 {
            c.is_ascii_hexdigit()
        } else {
            c.is_ascii_digit()
        }
    };
    if digits.is_empty() || !digits.chars().all(valid_digit) {
        return None;
    }
    let code = u32::from_str_radix(digits, radix).ok()?;
    let ch = char::from_u32(code)?;
    if code == 0 || (ch.is_control() && !matches!(ch, '\t' | '\n' | '\r')) {
        return None;
    }
    Some(ch)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decode_table() {
        let cases: &[(&str, &str)] = &[
            ("", ""),
            ("plain name", "plain name"),
            ("Jane O&#39;Neil", "Jane O'Neil"),
            ("Tom &amp; Jerry", "Tom & Jerry"),
            ("&lt;b&gt;", "<b>"),
            ("&quot;quoted&quot;", "\"quoted\""),
            ("it&apos;s", "it's"),
            ("a&nbsp;b", "a\u{a0}b"),
            ("&#65;&#066;&#x43;&#X44;&#x0065;", "ABCDe"),
            ("&#x1F600;", "😀"),
            ("&#1055;&#1088;&#1080;", "При"),
            // Never decode twice.
            ("&amp;lt;", "&lt;"),
            ("&amp;amp;", "&amp;"),
            ("&amp;#39;", "&#39;"),
            // Left alone: unknown, unterminated, malformed, invalid.
            ("&copy2024", "&copy2024"),
            ("&unknown;", "&unknown;"),
            ("&amp", "&amp"),
            ("AT&T", "AT&T"),
            ("a & b", "a & b"),
            ("&", "&"),
            ("&&amp;", "&&"),
            ("&;", "&;"),
            ("&#;", "&#;"),
            ("&#x;", "&#x;"),
            ("&#12a;", "&#12a;"),
            ("&#xZZ;", "&#xZZ;"),
            ("&#-1;", "&#-1;"),
            ("&#+65;", "&#+65;"),
            ("&#0;", "&#0;"),
            ("&#xD800;", "&#xD800;"),
            ("&#x110000;", "&#x110000;"),
            ("&#99999999999;", "&#99999999999;"),
            ("&#1;", "&#1;"),
            ("&#x7F;", "&#x7F;"),
            ("&#x85;", "&#x85;"),
            ("&#9;&#10;&#13;", "\t\n\r"),
            ("&#１２;", "&#１２;"),
            ("&AMP;", "&AMP;"),
            ("&#00000000065;", "&#00000000065;"),
            ("&#0000065;", "A"),
            ("é&eacute;", "é&eacute;"),
            ("ends with &#39", "ends with &#39"),
        ];
        for (input, expected) in cases {
            assert_eq!(decode_entities(input), *expected, "input {input:?}");
        }
    }

    #[test]
    fn encoded_script_payload_comes_back_as_text() {
        let encoded = "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;";
        assert_eq!(decode_entities(encoded), "<script>alert(\"x\")</script>");
        let double = "&amp;lt;script&amp;gt;alert(1)&amp;lt;/script&amp;gt;";
        assert_eq!(
            decode_entities(double),
            "&lt;script&gt;alert(1)&lt;/script&gt;"
        );
        let img = "&#60;img src=x onerror=&#x27;alert(1)&#x27;&#62;";
        assert_eq!(decode_entities(img), "<img src=x onerror='alert(1)'>");
    }
}
