//! The JSON the panel reads and writes, without serde.
//!
//! DocSpace's answers are read into one small tree ([`Json`]) by one
//! non-generic parser, and each shape is mapped by hand in `types.rs` and
//! `envelope.rs`. serde's derives and `serde_json` cost about 16 kB of the
//! gzipped download (one deserialiser per type and per input); this costs a
//! few hundred bytes. Numbers stay as their text until a field asks for a
//! whole number, so no float parsing is compiled in.

/// A JSON value.
#[derive(Debug, Clone, PartialEq)]
pub enum Json {
    Null,
    Bool(bool),
    /// The number as written (validated JSON number syntax).
    Num(String),
    Str(String),
    Arr(Vec<Json>),
    /// Members in document order.
    Obj(Vec<(String, Json)>),
}

/// The text is not JSON.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Invalid;

/// Deeper nesting than this is refused (as serde_json does), so a hostile
/// body cannot exhaust the stack.
const MAX_DEPTH: u32 = 128;

/// Parses a whole JSON text (surrounding white space allowed).
pub fn parse(text: &str) -> Result<Json, Invalid> {
    let mut p = Parser {
        s: text.as_bytes(),
        i: 0,
    };
    let value = p.value(0)?;
    p.space();
    if p.i == p.s.len() {
        Ok(value)
    } else {
        Err(Invalid)
    }
}

struct Parser<'a> {
    s: &'a [u8],
    i: usize,
}

impl Parser<'_> {
    fn space(&mut self) {
        while let Some(b' ' | b'\t' | b'\n' | b'\r') = self.s.get(self.i) {
            self.i += 1;
        }
    }

    fn eat(&mut self, word: &[u8]) -> bool {
        if self.s[self.i..].starts_with(word) {
            self.i += word.len();
            true
        } else {
            false
        }
    }

    fn value(&mut self, depth: u32) -> Result<Json, Invalid> {
        if depth > MAX_DEPTH {
            return Err(Invalid);
        }
        self.space();
        match *self.s.get(self.i).ok_or(Invalid)? {
            b'{' => {
                self.i += 1;
                let mut members = Vec::new();
                self.space();
                if self.eat(b"}") {
                    return Ok(Json::Obj(members));
                }
                loop {
                    self.space();
                    if self.s.get(self.i) != Some(&b'"') {
                        return Err(Invalid);
                    }
                    let key = self.string()?;
                    self.space();
                    if !self.eat(b":") {
                        return Err(Invalid);
                    }
                    members.push((key, self.value(depth + 1)?));
                    self.space();
                    if self.eat(b"}") {
                        return Ok(Json::Obj(members));
                    }
                    if !self.eat(b",") {
                        return Err(Invalid);
                    }
                }
            }
            b'[' => {
                self.i += 1;
                let mut items = Vec::new();
                self.space();
                if self.eat(b"]") {
                    return Ok(Json::Arr(items));
                }
                loop {
                    items.push(self.value(depth + 1)?);
                    self.space();
                    if self.eat(b"]") {
                        return Ok(Json::Arr(items));
                    }
                    if !self.eat(b",") {
                        return Err(Invalid);
                    }
                }
            }
            b'"' => self.string().map(Json::Str),
            b't' if self.eat(b"true") => Ok(Json::Bool(true)),
            b'f' if self.eat(b"false") => Ok(Json::Bool(false)),
            b'n' if self.eat(b"null") => Ok(Json::Null),
            b'-' | b'0'..=b'9' => self.number(),
            _ => Err(Invalid),
        }
    }

    fn digits(&mut self) -> usize {
        let start = self.i;
        while self.s.get(self.i).is_some_and(u8::is_ascii_digit) {
            self.i += 1;
        }
        self.i - start
    }

    fn number(&mut self) -> Result<Json, Invalid> {
        let start = self.i;
        self.eat(b"-");
        let int_start = self.i;
        let n = self.digits();
        if n == 0 || (n > 1 && self.s[int_start] == b'0') {
            return Err(Invalid);
        }
        if self.eat(b".") && self.digits() == 0 {
            return Err(Invalid);
        }
        if matches!(self.s.get(self.i), Some(b'e' | b'E')) {
            self.i += 1;
            if matches!(self.s.get(self.i), Some(b'+' | b'-')) {
                self.i += 1;
            }
            if self.digits() == 0 {
                return Err(Invalid);
            }
        }
        // Only ASCII was consumed: the slice is valid UTF-8.
        let text = String::from_utf8_lossy(&self.s[start..self.i]).into_owned();
        Ok(Json::Num(text))
    }

    fn hex4(&mut self) -> Result<u32, Invalid> {
        let digits = self.s.get(self.i..self.i + 4).ok_or(Invalid)?;
        let mut n = 0;
        for &d in digits {
            n = n * 16 + (d as char).to_digit(16).ok_or(Invalid)?;
        }
        self.i += 4;
        Ok(n)
    }

    /// A string; `self.i` is at its opening quote.
    fn string(&mut self) -> Result<String, Invalid> {
        self.i += 1;
        let mut out: Vec<u8> = Vec::new();
        loop {
            let b = *self.s.get(self.i).ok_or(Invalid)?;
            self.i += 1;
            match b {
                b'"' => break,
                b'\\' => {
                    let e = *self.s.get(self.i).ok_or(Invalid)?;
                    self.i += 1;
                    let c = match e {
                        b'"' => '"',
                        b'\\' => '\\',
                        b'/' => '/',
                        b'b' => '\u{8}',
                        b'f' => '\u{c}',
                        b'n' => '\n',
                        b'r' => '\r',
                        b't' => '\t',
                        b'u' => {
                            let hi = self.hex4()?;
                            let code = if (0xD800..0xDC00).contains(&hi) {
                                if !self.eat(b"\\u") {
                                    return Err(Invalid);
                                }
                                let lo = self.hex4()?;
                                if !(0xDC00..0xE000).contains(&lo) {
                                    return Err(Invalid);
                                }
                                0x10000 + ((hi - 0xD800) << 10) + (lo - 0xDC00)
                            } else {
                                hi
                            };
                            char::from_u32(code).ok_or(Invalid)?
                        }
                        _ => return Err(Invalid),
                    };
                    let mut buf = [0; 4];
                    out.extend_from_slice(c.encode_utf8(&mut buf).as_bytes());
                }
                0..=0x1f => return Err(Invalid),
                _ => out.push(b),
            }
        }
        // The input is a `&str` and escapes add whole characters.
        String::from_utf8(out).map_err(|_| Invalid)
    }
}

impl Json {
    /// A member of an object (the last one, if the name repeats).
    pub fn get(&self, key: &str) -> Option<&Json> {
        match self {
            Json::Obj(members) => member(members, key),
            _ => None,
        }
    }

    pub fn as_str(&self) -> Option<&str> {
        match self {
            Json::Str(s) => Some(s),
            _ => None,
        }
    }

    /// A whole number that fits `i64` (`3`, not `3.0` or `3e2`).
    pub fn as_i64(&self) -> Option<i64> {
        match self {
            Json::Num(n) => n.parse().ok(),
            _ => None,
        }
    }

    /// A whole number ≥ 0 that fits `u64`.
    pub fn as_u64(&self) -> Option<u64> {
        match self {
            Json::Num(n) => n.parse().ok(),
            _ => None,
        }
    }

    /// The members, when this is an object.
    pub fn members(&self) -> Option<&[(String, Json)]> {
        match self {
            Json::Obj(members) => Some(members),
            _ => None,
        }
    }

    /// Writes the value as compact JSON text.
    pub fn write(&self, out: &mut String) {
        match self {
            Json::Null => out.push_str("null"),
            Json::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
            Json::Num(n) => out.push_str(n),
            Json::Str(s) => quote(s, out),
            Json::Arr(items) => {
                out.push('[');
                for (i, item) in items.iter().enumerate() {
                    if i > 0 {
                        out.push(',');
                    }
                    item.write(out);
                }
                out.push(']');
            }
            Json::Obj(members) => {
                out.push('{');
                for (i, (k, v)) in members.iter().enumerate() {
                    if i > 0 {
                        out.push(',');
                    }
                    quote(k, out);
                    out.push(':');
                    v.write(out);
                }
                out.push('}');
            }
        }
    }

    /// The value as compact JSON text.
    pub fn text(&self) -> String {
        let mut out = String::new();
        self.write(&mut out);
        out
    }
}

/// The member `key` of an object's members (the last one, if it repeats).
fn member<'a>(members: &'a [(String, Json)], key: &str) -> Option<&'a Json> {
    members.iter().rev().find(|(k, _)| k == key).map(|(_, v)| v)
}

/// Writes `s` as a JSON string.
fn quote(s: &str, out: &mut String) {
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if (c as u32) < 0x20 => {
                const HEX: &[u8; 16] = b"0123456789abcdef";
                out.push_str("\\u00");
                out.push(HEX[(c as usize) >> 4] as char);
                out.push(HEX[(c as usize) & 15] as char);
            }
            c => out.push(c),
        }
    }
    out.push('"');
}

/// A member of an object, read by type: absent and `null` are `None`, any
/// other type is an error naming the member.
pub struct Fields<'a>(pub &'a [(String, Json)]);

/// A member had the wrong type; holds its name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WrongType(pub String);

impl<'a> Fields<'a> {
    /// The members of `value`, or `None` when it is not an object.
    pub fn of(value: &'a Json) -> Option<Self> {
        value.members().map(Fields)
    }

    fn member(&self, key: &str) -> Option<&'a Json> {
        member(self.0, key).filter(|v| **v != Json::Null)
    }

    fn typed<T>(&self, key: &str, read: fn(&'a Json) -> Option<T>) -> Result<Option<T>, WrongType> {
        match self.member(key) {
            None => Ok(None),
            Some(v) => read(v).map(Some).ok_or_else(|| WrongType(key.to_string())),
        }
    }

    pub fn str(&self, key: &str) -> Result<Option<String>, WrongType> {
        self.typed(key, |v| v.as_str().map(str::to_string))
    }

    pub fn bool(&self, key: &str) -> Result<Option<bool>, WrongType> {
        self.typed(key, |v| match v {
            Json::Bool(b) => Some(*b),
            _ => None,
        })
    }

    pub fn i64(&self, key: &str) -> Result<Option<i64>, WrongType> {
        self.typed(key, Json::as_i64)
    }

    pub fn u64(&self, key: &str) -> Result<Option<u64>, WrongType> {
        self.typed(key, Json::as_u64)
    }

    /// A list of strings.
    pub fn strs(&self, key: &str) -> Result<Option<Vec<String>>, WrongType> {
        self.typed(key, |v| match v {
            Json::Arr(items) => items
                .iter()
                .map(|i| i.as_str().map(str::to_string))
                .collect(),
            _ => None,
        })
    }

    /// A list of anything.
    pub fn list(&self, key: &str) -> Result<Option<&'a [Json]>, WrongType> {
        self.typed(key, |v| match v {
            Json::Arr(items) => Some(items.as_slice()),
            _ => None,
        })
    }

    /// A member that must be an object (or absent / null).
    pub fn object(&self, key: &str) -> Result<Option<Fields<'a>>, WrongType> {
        self.typed(key, Fields::of)
    }
}

/// `json!(…)` for tests: serde_json's macro, read back through [`parse`].
#[cfg(test)]
macro_rules! test_json {
    ($($t:tt)+) => {
        $crate::api::json::parse(&serde_json::json!($($t)+).to_string()).unwrap()
    };
}
#[cfg(test)]
pub(crate) use test_json;

#[cfg(test)]
mod tests {
    use super::*;

    /// Our parser and serde_json agree, value for value.
    fn same_as_serde(text: &str) {
        let ours = parse(text);
        let theirs = serde_json::from_str::<serde_json::Value>(text);
        match (ours, theirs) {
            (Ok(ours), Ok(theirs)) => {
                let back: serde_json::Value = serde_json::from_str(&ours.text()).unwrap();
                assert_eq!(back, theirs, "{text}");
            }
            (Err(_), Err(_)) => {}
            (ours, theirs) => panic!("{text}: ours {ours:?}, serde_json {theirs:?}"),
        }
    }

    #[test]
    fn agrees_with_serde_json() {
        for text in [
            r#"{"response":[1,2],"count":2,"total":37,"links":[{"href":"x","action":"GET"}],"status":0,"statusCode":200}"#,
            r#" { "a" : [ true , false , null , -0 , 12.5e-3 , 1E+2 ] , "b" : { } , "c" : [ ] } "#,
            r#""\"\\\/\b\f\n\r\t\u0041\u00e9\u4e2d\ud83d\ude00""#,
            r#"["O&#39;Neil", "Ж", "日本語", "😀"]"#,
            "",
            " ",
            "{",
            "[1,]",
            "{\"a\":1,}",
            "01",
            "1.",
            "-",
            ".5",
            "1e",
            "tru",
            "nul",
            "\"abc",
            "\"\\x\"",
            "\"\\ud83d\"",
            "\"\\ud83d\\u0041\"",
            "\"a\u{1}b\"",
            "[1] 2",
            "{\"a\" 1}",
            "{1:2}",
            "\"\\u12\"",
            "[\"\\u00zz\"]",
            "nulls",
            "true false",
        ] {
            same_as_serde(text);
        }
    }

    #[test]
    fn deep_nesting_is_refused_not_a_crash() {
        let deep = "[".repeat(100_000);
        assert_eq!(parse(&deep), Err(Invalid));
        let ok = format!("{}{}", "[".repeat(100), "]".repeat(100));
        assert!(parse(&ok).is_ok());
    }

    #[test]
    fn whole_numbers_only() {
        let v = parse(r#"{"a":37,"b":-4,"c":3.0,"d":1e2,"e":18446744073709551615}"#).unwrap();
        let f = Fields::of(&v).unwrap();
        assert_eq!(f.u64("a"), Ok(Some(37)));
        assert_eq!(f.i64("b"), Ok(Some(-4)));
        assert_eq!(f.u64("b"), Err(WrongType("b".into())));
        assert_eq!(f.u64("c"), Err(WrongType("c".into())));
        assert_eq!(f.u64("d"), Err(WrongType("d".into())));
        assert_eq!(f.u64("e"), Ok(Some(u64::MAX)));
        assert_eq!(f.u64("missing"), Ok(None));
    }

    #[test]
    fn fields_by_type() {
        let v =
            parse(r#"{"s":"x","n":null,"b":true,"l":["a","b"],"bad":[1],"o":{"k":"v"}}"#).unwrap();
        let f = Fields::of(&v).unwrap();
        assert_eq!(f.str("s"), Ok(Some("x".into())));
        assert_eq!(f.str("n"), Ok(None));
        assert_eq!(f.str("b"), Err(WrongType("b".into())));
        assert_eq!(f.bool("b"), Ok(Some(true)));
        assert_eq!(f.strs("l"), Ok(Some(vec!["a".into(), "b".into()])));
        assert_eq!(f.strs("bad"), Err(WrongType("bad".into())));
        assert_eq!(
            f.object("o").unwrap().unwrap().str("k"),
            Ok(Some("v".into()))
        );
        assert!(Fields::of(&Json::Arr(vec![])).is_none());
    }

    #[test]
    fn writes_escaped_text() {
        let v = Json::Obj(vec![
            ("type".into(), Json::Str("App".into())),
            ("q".into(), Json::Str("a\"b\\c\n\u{1}é".into())),
            ("l".into(), Json::Arr(vec![Json::Str("1.2.3.4".into())])),
        ]);
        let text = v.text();
        assert_eq!(
            text,
            r#"{"type":"App","q":"a\"b\\c\n\u0001é","l":["1.2.3.4"]}"#
        );
        assert_eq!(parse(&text), Ok(v));
    }
}
