//! The languages the panel speaks, and how a requested language tag is
//! matched to one of them. Pure: tested natively.

/// A language of the panel.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Lang {
    En,
    De,
    Fr,
    Es,
    PtBr,
    Ru,
    ZhCn,
    Ja,
    Ar,
    /// `en-XA`: English made about 40 % longer and accented, to find text that
    /// is clipped or overlaps. Only by request (`?lang=en-XA`); not in the menu.
    Pseudo,
}

impl Lang {
    /// The languages offered in the switcher, in its order.
    pub const MENU: [Lang; 9] = [
        Lang::En,
        Lang::De,
        Lang::Fr,
        Lang::Es,
        Lang::PtBr,
        Lang::Ru,
        Lang::ZhCn,
        Lang::Ja,
        Lang::Ar,
    ];

    /// The BCP 47 tag: `<html lang>`, `Intl`, the catalogue's file name.
    pub fn tag(self) -> &'static str {
        match self {
            Lang::En => "en",
            Lang::De => "de",
            Lang::Fr => "fr",
            Lang::Es => "es",
            Lang::PtBr => "pt-BR",
            Lang::Ru => "ru",
            Lang::ZhCn => "zh-CN",
            Lang::Ja => "ja",
            Lang::Ar => "ar",
            Lang::Pseudo => "en-XA",
        }
    }

    /// The language's name in itself, for the switcher.
    pub fn endonym(self) -> &'static str {
        match self {
            Lang::En => "English",
            Lang::De => "Deutsch",
            Lang::Fr => "Français",
            Lang::Es => "Español",
            Lang::PtBr => "Português (Brasil)",
            Lang::Ru => "Русский",
            Lang::ZhCn => "简体中文",
            Lang::Ja => "日本語",
            Lang::Ar => "العربية",
            Lang::Pseudo => "Ƥşeūđō",
        }
    }

    /// Whether the language is written right to left.
    pub fn rtl(self) -> bool {
        self == Lang::Ar
    }

    /// The tag `Intl` formats numbers and plurals with (the pseudo-locale
    /// counts like English).
    pub fn intl_tag(self) -> &'static str {
        match self {
            Lang::Pseudo => "en",
            other => other.tag(),
        }
    }
}

/// What a requested tag comes to.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Match {
    Found(Lang),
    /// Traditional Chinese (`zh-TW`, `zh-HK`, `zh-Hant`): not offered. The
    /// panel does not show Simplified characters to a reader who asked for
    /// Traditional ones; it goes on to the next preference, and the switcher
    /// says why.
    Traditional,
    Unknown,
}

/// Matches one BCP 47 tag (`de-AT`, `pt_PT`, `zh-Hans-CN`, DocSpace's
/// `cultureName` such as `ru-RU`) to a language of the panel. Regions fall
/// back to the language: `pt-PT` gets the Brazilian text, `es-MX` Spanish.
pub fn match_tag(tag: &str) -> Match {
    let tag = tag.trim().replace('_', "-").to_ascii_lowercase();
    let mut parts = tag.split('-');
    let primary = parts.next().unwrap_or_default();
    let rest: Vec<&str> = parts.collect();
    let lang = match primary {
        "en" if rest.first() == Some(&"xa") => Lang::Pseudo,
        "en" => Lang::En,
        "de" => Lang::De,
        "fr" => Lang::Fr,
        "es" => Lang::Es,
        "pt" => Lang::PtBr,
        "ru" => Lang::Ru,
        "ja" => Lang::Ja,
        "ar" => Lang::Ar,
        "zh" => {
            let traditional = rest
                .iter()
                .any(|p| matches!(*p, "hant" | "tw" | "hk" | "mo"))
                && !rest.contains(&"hans");
            return if traditional {
                Match::Traditional
            } else {
                Match::Found(Lang::ZhCn)
            };
        }
        _ => return Match::Unknown,
    };
    Match::Found(lang)
}

/// Where the language came from, in the order the panel asks.
#[derive(Clone, Copy, PartialEq, Eq, Debug, Default)]
pub enum Source {
    /// Chosen in the switcher during this tab's life.
    Chosen,
    /// `?lang=`, `lang` on the mount element, or `<html lang>`.
    Page,
    /// The signed-in DocSpace user's `cultureName`.
    Portal,
    /// `navigator.languages`.
    Browser,
    #[default]
    Default,
}

/// The first of the requested tags the panel speaks, with where it came
/// from, and whether a Traditional Chinese request was passed over on the way.
pub fn negotiate<'a>(
    requests: impl IntoIterator<Item = (Source, &'a str)>,
) -> (Lang, Source, bool) {
    let mut passed_traditional = false;
    for (source, tag) in requests {
        match match_tag(tag) {
            Match::Found(lang) => return (lang, source, passed_traditional),
            Match::Traditional => passed_traditional = true,
            Match::Unknown => {}
        }
    }
    (Lang::En, Source::Default, passed_traditional)
}

/// The CLDR plural categories a catalogue must give for a language (what
/// `Intl.PluralRules` can answer for integers).
pub fn plural_categories(tag: &str) -> &'static [&'static str] {
    match tag {
        "en" | "en-XA" | "de" => &["one", "other"],
        "fr" | "es" | "pt-BR" => &["one", "many", "other"],
        "ru" => &["one", "few", "many", "other"],
        "zh-CN" | "ja" => &["other"],
        "ar" => &["zero", "one", "two", "few", "many", "other"],
        _ => &["other"],
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn regions_fall_back_to_the_language() {
        assert_eq!(match_tag("de-AT"), Match::Found(Lang::De));
        assert_eq!(match_tag("pt-PT"), Match::Found(Lang::PtBr));
        assert_eq!(match_tag("pt_BR"), Match::Found(Lang::PtBr));
        assert_eq!(match_tag("es-419"), Match::Found(Lang::Es));
        assert_eq!(match_tag("ru-RU"), Match::Found(Lang::Ru));
        assert_eq!(match_tag("ar-SA"), Match::Found(Lang::Ar));
        assert_eq!(match_tag("ja-JP"), Match::Found(Lang::Ja));
        assert_eq!(match_tag("EN-us"), Match::Found(Lang::En));
        assert_eq!(match_tag("en-XA"), Match::Found(Lang::Pseudo));
        assert_eq!(match_tag("nl-NL"), Match::Unknown);
        assert_eq!(match_tag(""), Match::Unknown);
    }

    #[test]
    fn simplified_chinese_is_matched_and_traditional_is_not() {
        for tag in ["zh", "zh-CN", "zh-Hans", "zh-Hans-TW", "zh-SG"] {
            assert_eq!(match_tag(tag), Match::Found(Lang::ZhCn), "{tag}");
        }
        for tag in ["zh-TW", "zh-HK", "zh-Hant", "zh-Hant-CN", "zh-MO"] {
            assert_eq!(match_tag(tag), Match::Traditional, "{tag}");
        }
    }

    #[test]
    fn the_first_spoken_request_wins() {
        let (lang, source, trad) = negotiate([
            (Source::Page, "nl"),
            (Source::Portal, "zh-TW"),
            (Source::Browser, "ja-JP"),
        ]);
        assert_eq!((lang, source, trad), (Lang::Ja, Source::Browser, true));
        assert_eq!(negotiate([]), (Lang::En, Source::Default, false));
        assert_eq!(
            negotiate([(Source::Chosen, "ar"), (Source::Page, "de")]),
            (Lang::Ar, Source::Chosen, false)
        );
    }

    #[test]
    fn every_menu_language_has_plural_categories_ending_in_other() {
        for lang in Lang::MENU {
            assert_eq!(plural_categories(lang.tag()).last(), Some(&"other"));
            assert!(!lang.endonym().is_empty());
        }
        assert!(Lang::Ar.rtl() && !Lang::De.rtl());
    }
}
