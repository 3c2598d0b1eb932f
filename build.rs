//! Generates the message keys and the English catalogue from `i18n/en.json`
//! (the source of every user-facing sentence; see `src/i18n/mod.rs`).
//!
//! Keys are sorted; `scripts/csp.py` writes the other languages as arrays in
//! the same order, so the panel looks messages up by index, never by name.

use std::fmt::Write as _;

fn main() {
    println!("cargo:rerun-if-changed=i18n/en.json");
    let text = std::fs::read_to_string("i18n/en.json").expect("i18n/en.json");
    let catalogue: serde_json::Map<String, serde_json::Value> =
        serde_json::from_str(&text).expect("i18n/en.json is a JSON object");
    let mut keys: Vec<&String> = catalogue.keys().filter(|k| !k.starts_with('@')).collect();
    keys.sort();
    let mut out = String::new();
    out.push_str("/// A message of the catalogue (`i18n/en.json`).\n");
    out.push_str("#[allow(non_camel_case_types)]\n#[derive(Clone, Copy, PartialEq, Eq, Debug)]\n#[repr(u16)]\npub enum K {\n");
    for k in &keys {
        assert!(
            k.chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_'),
            "i18n/en.json: key {k:?} must be snake_case"
        );
        writeln!(out, "    {k},").unwrap();
    }
    out.push_str("}\n\n");
    writeln!(
        out,
        "/// How many messages there are.\npub const COUNT: usize = {};\n",
        keys.len()
    )
    .unwrap();
    writeln!(
        out,
        "/// English, in key order.\npub(crate) static EN: [Msg; {}] = [",
        keys.len()
    )
    .unwrap();
    for k in &keys {
        match &catalogue[k.as_str()] {
            serde_json::Value::String(s) => writeln!(out, "    Msg::Text({s:?}),").unwrap(),
            serde_json::Value::Object(forms) => {
                let mut s = String::from("    Msg::Plural(&[");
                for (cat, v) in forms {
                    let v = v
                        .as_str()
                        .unwrap_or_else(|| panic!("i18n/en.json: {k}.{cat} is not text"));
                    write!(s, "({cat:?}, {v:?}), ").unwrap();
                }
                s.push_str("]),");
                writeln!(out, "{s}").unwrap();
            }
            _ => panic!("i18n/en.json: {k} is neither text nor plural forms"),
        }
    }
    out.push_str("];\n");
    let dir = std::env::var("OUT_DIR").unwrap();
    std::fs::write(format!("{dir}/catalogue.rs"), out).unwrap();
}
