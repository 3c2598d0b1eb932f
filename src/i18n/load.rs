//! Choosing the language in the browser and fetching its catalogue.

use super::{install, negotiate, Lang, Loaded, Source};
use wasm_bindgen::JsCast;

/// The key under which the switcher's choice is remembered for this tab.
const CHOICE_KEY: &str = "tfa-panel.lang";

fn document() -> Option<web_sys::Document> {
    web_sys::window()?.document()
}

/// The catalogue files `scripts/csp.py` listed: `(tag, file)` pairs from
/// `<meta name="tfa-i18n" content="de=i18n-de-….json fr=…">`.
/// Embedded, the entry script puts the same list, with absolute URLs, in
/// `data-tfa-i18n` on the panel's container.
pub fn catalogue_files() -> Vec<(String, String)> {
    let content = crate::web::embedded()
        .and_then(|c| c.get_attribute("data-tfa-i18n"))
        .or_else(|| {
            document()
                .and_then(|d| d.query_selector("meta[name=tfa-i18n]").ok().flatten())
                .and_then(|m| m.get_attribute("content"))
        })
        .unwrap_or_default();
    content
        .split_whitespace()
        .filter_map(|pair| pair.split_once('='))
        .map(|(tag, file)| (tag.to_string(), file.to_string()))
        .collect()
}

/// The language requests, in the order the panel honours them: this tab's
/// choice, `?lang=`, `lang` on the mount element, `<html lang>` (unless the
/// page marks it as its own default with `data-lang-default`), then the
/// browser's languages. The portal user's culture comes later, at connect.
pub fn requests(mount: Option<&web_sys::Element>) -> Vec<(Source, String)> {
    let mut out = Vec::new();
    let window = web_sys::window();
    if let Some(choice) = window
        .as_ref()
        .and_then(|w| w.session_storage().ok().flatten())
        .and_then(|s| s.get_item(CHOICE_KEY).ok().flatten())
    {
        out.push((Source::Chosen, choice));
    }
    if let Some(query) = window
        .as_ref()
        .and_then(|w| w.location().search().ok())
        .and_then(|s| web_sys::UrlSearchParams::new_with_str(&s).ok())
        .and_then(|p| p.get("lang"))
    {
        out.push((Source::Page, query));
    }
    if let Some(tag) = mount.and_then(|m| m.get_attribute("lang")) {
        out.push((Source::Page, tag));
    }
    if let Some(html) = document().and_then(|d| d.document_element()) {
        if !html.has_attribute("data-lang-default") {
            if let Some(tag) = html.get_attribute("lang") {
                out.push((Source::Page, tag));
            }
        }
    }
    if let Some(nav) = window.as_ref().map(|w| w.navigator()) {
        for tag in nav.languages().iter() {
            if let Some(tag) = tag.as_string() {
                out.push((Source::Browser, tag));
            }
        }
    }
    out
}

/// The language to start in, where it came from, and whether a Traditional
/// Chinese request was passed over.
pub fn initial(mount: Option<&web_sys::Element>) -> (Lang, Source, bool) {
    let requests = requests(mount);
    negotiate(requests.iter().map(|(s, t)| (*s, t.as_str())))
}

/// Remembers the switcher's choice for this tab.
pub fn remember_choice(lang: Lang) {
    if let Some(storage) = web_sys::window().and_then(|w| w.session_storage().ok().flatten()) {
        let _ = storage.set_item(CHOICE_KEY, lang.tag());
    }
}

/// Why a catalogue could not be shown.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LoadError {
    /// The build lists no file for the language.
    NotShipped,
    /// The file could not be fetched or read.
    Fetch,
}

/// Fetches `lang`'s catalogue and shows it; English and the pseudo-locale need
/// none. The page keeps its language when this fails.
pub async fn switch_to(lang: Lang) -> Result<(), LoadError> {
    if matches!(lang, Lang::En | Lang::Pseudo) {
        install(lang, None);
        set_document_language(lang);
        return Ok(());
    }
    let file = catalogue_files()
        .into_iter()
        .find(|(tag, _)| tag == lang.tag())
        .map(|(_, file)| file)
        .ok_or(LoadError::NotShipped)?;
    let catalogue = fetch_catalogue(&file).await.ok_or(LoadError::Fetch)?;
    install(lang, Some(catalogue));
    set_document_language(lang);
    Ok(())
}

/// Fetches a catalogue file and reads it with the browser's own JSON parser
/// (no JSON code in the wasm for it): an array in key order of texts, plural
/// forms (`{"one": …, "other": …}`) or `null`.
async fn fetch_catalogue(file: &str) -> Option<Vec<Option<Loaded>>> {
    use wasm_bindgen_futures::JsFuture;
    let window = web_sys::window()?;
    let response: web_sys::Response = JsFuture::from(window.fetch_with_str(file))
        .await
        .ok()?
        .dyn_into()
        .ok()?;
    if !response.ok() {
        return None;
    }
    let json = JsFuture::from(response.json().ok()?).await.ok()?;
    let array: js_sys::Array = json.dyn_into().ok()?;
    Some(
        array
            .iter()
            .map(|v| {
                if let Some(text) = v.as_string() {
                    Some(Loaded::Text(text))
                } else if v.is_object() {
                    let forms = js_sys::Object::entries(v.unchecked_ref())
                        .iter()
                        .filter_map(|pair| {
                            let pair: js_sys::Array = pair.dyn_into().ok()?;
                            Some((pair.get(0).as_string()?, pair.get(1).as_string()?))
                        })
                        .collect();
                    Some(Loaded::Plural(forms))
                } else {
                    None
                }
            })
            .collect(),
    )
}

/// `lang` and `dir` follow the language (screen readers, fonts, mirroring):
/// on `<html>` on the panel's own page; embedded, on the panel's container
/// only (the host page's own `lang` and `dir` are the host's).
pub fn set_document_language(lang: Lang) {
    let dir = if lang.rtl() { "rtl" } else { "ltr" };
    let target: Option<web_sys::Element> = match crate::web::embedded() {
        Some(container) => Some(container.into()),
        None => document().and_then(|d| d.document_element()),
    };
    if let Some(el) = target {
        let _ = el.set_attribute("lang", lang.tag());
        let _ = el.set_attribute("dir", dir);
    }
}
