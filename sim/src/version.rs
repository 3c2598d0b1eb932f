//! The DocSpace release a profile pretends to be (§10.15): what
//! `settings/version/build` reports, which releases belong to a profile's
//! family, and the behaviours that changed between releases of one family.

use axum::body::Body;
use axum::http::Response;
use serde_json::json;

use crate::envelope::{json_response, success_body};
use crate::ipmatch::{Matcher, Rules};
use crate::profile::Profile;

/// A release number `X.Y.Z` or `X.Y.Z.B`, kept as written for the report.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Version {
    /// Major, minor, patch, build (0 when not written).
    pub parts: [u32; 4],
    pub text: String,
}

impl Version {
    pub fn parse(s: &str) -> Option<Version> {
        let fields: Vec<&str> = s.split('.').collect();
        if !(3..=4).contains(&fields.len()) {
            return None;
        }
        let mut parts = [0u32; 4];
        for (slot, f) in parts.iter_mut().zip(&fields) {
            if f.is_empty() || !f.bytes().all(|c| c.is_ascii_digit()) {
                return None;
            }
            *slot = f.parse().ok()?;
        }
        Some(Version {
            parts,
            text: s.to_string(),
        })
    }

    /// Major, minor and patch.
    fn release(&self) -> (u32, u32, u32) {
        (self.parts[0], self.parts[1], self.parts[2])
    }
}

/// What `settings/version/build` says about `docSpace`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Reported {
    /// The seed profile: `"seed"`, which the panel reads as the seed contract.
    Seed,
    /// A release number.
    Release(Version),
    /// No `docSpace` key, like an old build; behaviour stays the profile's
    /// default release.
    Hidden,
}

impl Reported {
    /// The value of `docSpace`, if any.
    pub fn doc_space(&self) -> Option<&str> {
        match self {
            Reported::Seed => Some("seed"),
            Reported::Release(v) => Some(&v.text),
            Reported::Hidden => None,
        }
    }
}

impl Profile {
    /// The release a profile reports when no version is configured.
    pub fn default_version(self) -> Reported {
        let v = |s: &str| Reported::Release(Version::parse(s).expect("a valid default version"));
        match self {
            Profile::Seed => Reported::Seed,
            Profile::V36 => v("3.6.1.1000"),
            Profile::V37 => v("3.7.2.1000"),
            Profile::Next => v("3.9.0.1000"),
        }
    }

    /// Which releases the profile can pretend to be, for messages.
    pub fn family(self) -> &'static str {
        match self {
            Profile::Seed => "no release number (only `none`)",
            Profile::V36 => "3.6.x and earlier, e.g. 3.6.1, 3.5.2 or 3.2.0",
            Profile::V37 => "3.7.0 to 3.7.x, e.g. 3.7.1 or 3.7.2.1234",
            Profile::Next => "releases after 3.7.2, e.g. 3.8.0 or 3.9.0.1000",
        }
    }

    fn in_family(self, v: &Version) -> bool {
        let (major, minor, patch) = v.release();
        match self {
            Profile::Seed => false,
            Profile::V36 => (major, minor) <= (3, 6),
            Profile::V37 => (major, minor) == (3, 7),
            Profile::Next => (major, minor, patch) > (3, 7, 2),
        }
    }
}

/// Reads a `--docspace-version` value for a profile: `none` hides the
/// `docSpace` key; anything else must be a release of the profile's family.
pub fn check(profile: Profile, text: &str) -> Result<Reported, String> {
    if text == "none" {
        return Ok(Reported::Hidden);
    }
    let Some(v) = Version::parse(text) else {
        return Err(format!(
            "{text:?} is not a version: expected X.Y.Z or X.Y.Z.B (or none)"
        ));
    };
    if !profile.in_family(&v) {
        return Err(format!(
            "{text} is not a release of the {} profile, which accepts {}",
            profile.name(),
            profile.family()
        ));
    }
    Ok(Reported::Release(v))
}

/// The release whose behaviour applies: the reported one, or the profile's
/// default when none is reported.
fn behaving_as(profile: Profile, reported: &Reported) -> Option<[u32; 4]> {
    match reported {
        Reported::Release(v) => Some(v.parts),
        _ => match profile.default_version() {
            Reported::Release(v) => Some(v.parts),
            _ => None,
        },
    }
}

/// The trusted-IP matcher of a profile at a release: `GetIpWithoutPort` was
/// fixed in 3.7.1 (commit `cd55ba6082`), DocSpace moved to .NET 10 (host
/// bits cleared instead of an exception) in 3.6.0, and `next` stops throwing.
pub fn matcher(profile: Profile, reported: &Reported) -> Matcher {
    let Some(v) = behaving_as(profile, reported) else {
        return Matcher::Seed;
    };
    let release = (v[0], v[1], v[2]);
    Matcher::DotNet(Rules {
        cut_at_first_colon: release < (3, 7, 1),
        host_bits_throw: release < (3, 6, 0),
        lenient: profile == Profile::Next,
    })
}

/// `GET settings/version/build` (anonymous): `{docSpace, documentServer}`,
/// or only an empty `documentServer` when the version is hidden.
pub fn build_response(href: &str, reported: &Reported) -> Response<Body> {
    let v = match reported.doc_space() {
        Some(d) => json!({ "docSpace": d, "documentServer": "9.0.1.10" }),
        None => json!({ "documentServer": "" }),
    };
    json_response(200, &success_body(href, "GET", Some(v), None))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn versions_parse_with_three_or_four_numbers() {
        let v = Version::parse("3.7.2.1234").unwrap();
        assert_eq!(v.parts, [3, 7, 2, 1234]);
        assert_eq!(v.text, "3.7.2.1234");
        assert_eq!(Version::parse("3.5.2").unwrap().parts, [3, 5, 2, 0]);
        for bad in [
            "",
            "3",
            "3.6",
            "3.6.1.1.1",
            "3.6.x",
            "3..1",
            "v3.6.1",
            "3.6.1 ",
            "-3.6.1",
        ] {
            assert!(Version::parse(bad).is_none(), "{bad:?}");
        }
    }

    #[test]
    fn families() {
        let ok = |p, s: &str| check(p, s).is_ok();
        for s in ["3.6.1", "3.6.0", "3.5.2", "3.2.0", "2.9.9.9", "3.6.99.1"] {
            assert!(ok(Profile::V36, s), "{s}");
        }
        for s in ["3.7.0", "3.7.1", "3.7.2.1234", "3.8.0"] {
            assert!(!ok(Profile::V36, s), "{s}");
        }
        for s in ["3.7.0", "3.7.1", "3.7.2", "3.7.9.1"] {
            assert!(ok(Profile::V37, s), "{s}");
        }
        for s in ["3.6.1", "3.8.0", "4.7.0"] {
            assert!(!ok(Profile::V37, s), "{s}");
        }
        for s in ["3.7.3", "3.8.0", "3.9.0.1000", "4.0.0"] {
            assert!(ok(Profile::Next, s), "{s}");
        }
        for s in ["3.7.2", "3.7.2.9999", "3.6.1"] {
            assert!(!ok(Profile::Next, s), "{s}");
        }
        assert!(!ok(Profile::Seed, "3.6.1"));
        for p in Profile::ALL {
            assert_eq!(check(p, "none"), Ok(Reported::Hidden));
        }
        let e = check(Profile::V36, "3.7.1").unwrap_err();
        assert!(e.contains("docspace-3.6") && e.contains("3.6.x"), "{e}");
    }

    #[test]
    fn release_rules() {
        let rules = |p: Profile, s: &str| match matcher(p, &check(p, s).unwrap()) {
            Matcher::DotNet(r) => (r.cut_at_first_colon, r.host_bits_throw, r.lenient),
            Matcher::Seed => panic!("seed"),
        };
        assert_eq!(rules(Profile::V36, "3.5.2"), (true, true, false));
        assert_eq!(rules(Profile::V36, "3.6.0"), (true, false, false));
        assert_eq!(rules(Profile::V36, "none"), (true, false, false));
        assert_eq!(rules(Profile::V37, "3.7.0"), (true, false, false));
        assert_eq!(rules(Profile::V37, "3.7.1"), (false, false, false));
        assert_eq!(rules(Profile::Next, "3.8.0"), (false, false, true));
        assert_eq!(matcher(Profile::Seed, &Reported::Seed), Matcher::Seed);
        assert_eq!(matcher(Profile::Seed, &Reported::Hidden), Matcher::Seed);
    }
}
