//! Every user-facing sentence of the panel, in the administrator's language.
//!
//! - `i18n/en.json` is the catalogue: one key per message, a text or, for
//!   counts, CLDR plural forms (`{"one": "{n} entry", "other": "{n} entries"}`,
//!   chosen by the argument `n`). `build.rs` turns it into the key enum [`K`]
//!   and the English texts compiled into the panel.
//! - The other languages (`i18n/<tag>.json`) are separate hashed files
//!   (`scripts/csp.py` writes them as arrays in key order and lists them in a
//!   `<meta name="tfa-i18n">`), fetched only when chosen.
//! - Numbers and plural categories come from the browser's `Intl`; no
//!   formatting tables are compiled in.
//! - [`t!`](crate::t) reads the current language reactively: a view that shows
//!   a message follows a language switch, and what the forms hold stays.

mod lang;
mod load;

pub use lang::{match_tag, negotiate, plural_categories, Lang, Match, Source};
pub use load::{
    catalogue_files, initial, remember_choice, set_document_language, switch_to, LoadError,
};

use leptos::prelude::{ArcRwSignal, Get, GetUntracked, Set, Track};
use std::cell::RefCell;
use std::rc::Rc;

include!(concat!(env!("OUT_DIR"), "/catalogue.rs"));

/// An English message: a text, or plural forms by CLDR category.
#[derive(Debug)]
pub(crate) enum Msg {
    Text(&'static str),
    Plural(&'static [(&'static str, &'static str)]),
}

/// A message of a fetched catalogue (`null` in the file where a key is
/// missing: English is shown for it).
pub(crate) enum Loaded {
    Text(String),
    /// `(category, text)` pairs.
    Plural(Vec<(String, String)>),
}

/// A value for a placeholder.
#[derive(Clone, Debug)]
pub enum Arg {
    Text(String),
    /// A count: formatted with `Intl.NumberFormat`; the one named `n` picks
    /// the plural form.
    Num(i64),
}

impl From<&str> for Arg {
    fn from(s: &str) -> Self {
        Arg::Text(s.to_string())
    }
}
impl From<String> for Arg {
    fn from(s: String) -> Self {
        Arg::Text(s)
    }
}
impl From<&String> for Arg {
    fn from(s: &String) -> Self {
        Arg::Text(s.clone())
    }
}
macro_rules! num_arg {
    ($($t:ty),*) => {$(
        impl From<$t> for Arg {
            fn from(n: $t) -> Self {
                Arg::Num(i64::try_from(n).unwrap_or(i64::MAX))
            }
        }
    )*};
}
num_arg!(usize, u64, u32, u16, u8, i64, i32);

struct State {
    /// The language shown; views track it.
    lang: ArcRwSignal<Lang>,
    /// The catalogue of `lang` when it is not English, in key order.
    loaded: RefCell<Option<Rc<Vec<Option<Loaded>>>>>,
}

thread_local! {
    static STATE: State = State {
        lang: ArcRwSignal::new(Lang::En),
        loaded: RefCell::new(None),
    };
}

/// The language shown (tracked: a view or memo that reads it follows a switch).
pub fn current() -> Lang {
    STATE.with(|s| s.lang.get())
}

/// Shows `lang` with its catalogue (`None` for English and the pseudo-locale).
pub(crate) fn install(lang: Lang, catalogue: Option<Vec<Option<Loaded>>>) {
    STATE.with(|s| {
        *s.loaded.borrow_mut() = catalogue.map(Rc::new);
        s.lang.set(lang);
    });
}

/// The text of a message without placeholders.
pub fn text(key: K) -> String {
    format(key, &[])
}

/// A message for a view: `{tr(K::save)}` as text, `aria-label=tr(K::tasks)`
/// as an attribute. It follows a language switch. Every call returns the
/// same closure type, so the views' text costs one copy of Leptos's
/// rendering code, not one per message (a `move || t!(…)` closure each
/// would be a type of its own).
pub fn tr(key: K) -> impl Fn() -> String + Copy + Send + Sync + 'static {
    move || text(key)
}

/// The text of a message with its placeholders filled.
pub fn format(key: K, args: &[(&str, Arg)]) -> String {
    let (lang, loaded) = STATE.with(|s| {
        s.lang.track();
        (s.lang.get_untracked(), s.loaded.borrow().clone())
    });
    let count = args.iter().find_map(|(name, a)| match (name, a) {
        (&"n", Arg::Num(n)) => Some(*n),
        _ => None,
    });
    let own = loaded
        .as_deref()
        .and_then(|l| l.get(key as usize))
        .and_then(Option::as_ref);
    let template: String = match own {
        Some(Loaded::Text(t)) => t.clone(),
        Some(Loaded::Plural(forms)) => {
            let category = plural_category(lang, count.unwrap_or(0));
            let form = |c: &str| forms.iter().find(|(k, _)| k == c).map(|(_, t)| t.clone());
            form(&category)
                .or_else(|| form("other"))
                .unwrap_or_default()
        }
        None => english(key, count),
    };
    let filled = fill(&template, args, lang);
    if lang == Lang::Pseudo {
        pseudo(&filled)
    } else {
        filled
    }
}

/// The English template of a message (plural forms by English rules).
fn english(key: K, count: Option<i64>) -> String {
    match &EN[key as usize] {
        Msg::Text(t) => (*t).to_string(),
        Msg::Plural(forms) => {
            let want = if count == Some(1) { "one" } else { "other" };
            forms
                .iter()
                .find(|(c, _)| *c == want)
                .or_else(|| forms.last())
                .map(|(_, t)| (*t).to_string())
                .unwrap_or_default()
        }
    }
}

/// Replaces each `{name}` with its argument; numbers through `Intl`.
fn fill(template: &str, args: &[(&str, Arg)], lang: Lang) -> String {
    let mut out = String::with_capacity(template.len() + 16);
    let mut rest = template;
    while let Some(open) = rest.find('{') {
        out.push_str(&rest[..open]);
        let after = &rest[open + 1..];
        let Some(close) = after.find('}') else {
            out.push_str(&rest[open..]);
            return out;
        };
        let name = &after[..close];
        match args.iter().find(|(n, _)| *n == name) {
            Some((_, Arg::Text(t))) => out.push_str(t),
            Some((_, Arg::Num(n))) => out.push_str(&format_number(lang, *n)),
            None => {
                out.push('{');
                out.push_str(name);
                out.push('}');
            }
        }
        rest = &after[close + 1..];
    }
    out.push_str(rest);
    out
}

/// The pseudo-locale: accented letters, about 40 % longer, bracketed, so
/// clipped or overlapping text and untranslated strings stand out. Text in
/// placeholders is stretched too: server text stays readable enough.
pub fn pseudo(text: &str) -> String {
    let mut out = String::from("⟦");
    let mut letters = 0usize;
    for c in text.chars() {
        let accented = match c {
            'a' => 'á',
            'e' => 'é',
            'i' => 'í',
            'o' => 'ó',
            'u' => 'ú',
            'A' => 'Å',
            'E' => 'É',
            'O' => 'Ø',
            'c' => 'ç',
            'n' => 'ñ',
            other => other,
        };
        out.push(accented);
        // A letter: ASCII ones, and any non-ASCII character that is not
        // punctuation or space in the Latin-1 block or above (names in other
        // scripts stretch too). Cheaper than `char::is_alphabetic`'s tables.
        if c.is_ascii_alphabetic()
            || (c >= '\u{c0}' && !c.is_whitespace() && !('\u{2000}'..='\u{2bff}').contains(&c))
        {
            letters += 1;
            // 2 letters of every 5 repeated: 40 % longer.
            if letters % 5 < 2 {
                out.push(accented);
            }
        }
    }
    out.push('⟧');
    out
}

#[cfg(target_arch = "wasm32")]
thread_local! {
    static INTL: RefCell<Option<(Lang, js_sys::Intl::PluralRules, js_sys::Intl::NumberFormat)>> =
        const { RefCell::new(None) };
}

/// `Intl.PluralRules` and `Intl.NumberFormat` for `lang`, made once per language.
#[cfg(target_arch = "wasm32")]
fn with_intl<R>(
    lang: Lang,
    f: impl FnOnce(&js_sys::Intl::PluralRules, &js_sys::Intl::NumberFormat) -> R,
) -> R {
    INTL.with(|cell| {
        let mut cell = cell.borrow_mut();
        if cell.as_ref().is_none_or(|(l, _, _)| *l != lang) {
            let locales = js_sys::Array::of1(&lang.intl_tag().into());
            let options = js_sys::Object::new();
            *cell = Some((
                lang,
                js_sys::Intl::PluralRules::new(&locales, &options),
                js_sys::Intl::NumberFormat::new(&locales, &options),
            ));
        }
        let (_, plural, number) = cell.as_ref().expect("made above");
        f(plural, number)
    })
}

#[cfg(target_arch = "wasm32")]
fn plural_category(lang: Lang, n: i64) -> String {
    with_intl(lang, |plural, _| plural.select(n as f64).into())
}

/// A number every language but Arabic writes as plain digits: 0 to 999
/// (no grouping, Latin digits, no minus sign). Formatting these without
/// `Intl` matters at start-up: the first `new Intl.NumberFormat` in a page
/// costs about 50 ms of main thread (Chromium loads its number data).
fn plain_digits(lang: Lang, n: i64) -> Option<String> {
    ((0..1000).contains(&n) && lang != Lang::Ar).then(|| n.to_string())
}

#[cfg(target_arch = "wasm32")]
fn format_number(lang: Lang, n: i64) -> String {
    if let Some(plain) = plain_digits(lang, n) {
        return plain;
    }
    with_intl(lang, |_, number| {
        number
            .format()
            .call1(&wasm_bindgen::JsValue::NULL, &(n as f64).into())
            .ok()
            .and_then(|v| v.as_string())
            .unwrap_or_else(|| n.to_string())
    })
}

/// A date and time from the server (ISO 8601) in the current language,
/// through `Intl.DateTimeFormat` (medium date, short time); the text as sent
/// when it is not a date.
#[cfg(target_arch = "wasm32")]
pub fn format_date(iso: &str) -> String {
    let lang = current();
    let date = js_sys::Date::new(&iso.into());
    if date.get_time().is_nan() {
        return iso.to_string();
    }
    let locales = js_sys::Array::of1(&lang.intl_tag().into());
    let options = js_sys::Object::new();
    let _ = js_sys::Reflect::set(&options, &"dateStyle".into(), &"medium".into());
    let _ = js_sys::Reflect::set(&options, &"timeStyle".into(), &"short".into());
    js_sys::Intl::DateTimeFormat::new(&locales, &options)
        .format()
        .call1(&wasm_bindgen::JsValue::NULL, &date)
        .ok()
        .and_then(|v| v.as_string())
        .unwrap_or_else(|| iso.to_string())
}

/// Native builds have no `Intl`: the text as sent.
#[cfg(not(target_arch = "wasm32"))]
pub fn format_date(iso: &str) -> String {
    let _ = current();
    iso.to_string()
}

// Native builds (the tests) have no `Intl`: English rules, plain digits.
#[cfg(not(target_arch = "wasm32"))]
fn plural_category(_: Lang, n: i64) -> String {
    if n == 1 { "one" } else { "other" }.to_string()
}

#[cfg(not(target_arch = "wasm32"))]
fn format_number(lang: Lang, n: i64) -> String {
    plain_digits(lang, n).unwrap_or_else(|| n.to_string())
}

/// A message in the current language: `t!(key)` or `t!(key, name = value, …)`.
#[macro_export]
macro_rules! t {
    ($key:ident) => {
        $crate::i18n::text($crate::i18n::K::$key)
    };
    ($key:ident, $($name:ident = $value:expr),+ $(,)?) => {
        $crate::i18n::format(
            $crate::i18n::K::$key,
            &[$((stringify!($name), $crate::i18n::Arg::from($value))),+],
        )
    };
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn small_numbers_skip_intl_except_in_arabic() {
        assert_eq!(plain_digits(Lang::En, 0).as_deref(), Some("0"));
        assert_eq!(plain_digits(Lang::De, 999).as_deref(), Some("999"));
        assert_eq!(plain_digits(Lang::Ja, 42).as_deref(), Some("42"));
        // Grouping (1,000 / 1.000 / 1 000), the minus sign and Arabic-Indic
        // digits stay with Intl.
        assert_eq!(plain_digits(Lang::En, 1000), None);
        assert_eq!(plain_digits(Lang::Fr, -1), None);
        assert_eq!(plain_digits(Lang::Ar, 5), None);
    }

    #[test]
    fn placeholders_are_filled_and_unknown_ones_kept() {
        assert_eq!(
            fill(
                "{a} and {b}, {c}",
                &[("a", "x".into()), ("b", Arg::Num(3))],
                Lang::En
            ),
            "x and 3, {c}"
        );
        assert_eq!(fill("no args {", &[], Lang::En), "no args {");
    }

    #[test]
    fn pseudo_is_about_40_percent_longer_and_bracketed() {
        let p = pseudo("Save the policy");
        assert!(p.starts_with('⟦') && p.ends_with('⟧'));
        let letters = |s: &str| s.chars().filter(|c| c.is_alphabetic()).count();
        let ratio = letters(&p) as f64 / letters("Save the policy") as f64;
        assert!((1.3..=1.5).contains(&ratio), "{ratio}");
    }

    #[test]
    fn english_plurals_follow_the_count() {
        assert_eq!(EN.len(), COUNT);
        for msg in &EN {
            if let Msg::Plural(forms) = msg {
                assert!(forms.iter().any(|(c, _)| *c == "one"));
                assert!(forms.iter().any(|(c, _)| *c == "other"));
            }
        }
    }
}
