//! Which DocSpace the panel talks to, and what that release does with a TFA
//! request (API notes §8 and §10).
//!
//! The portal says its version at `GET settings/version/build` (§10.15). The
//! rules that depend on it ask a [`Server`] rather than a version number, so
//! each rule names the behaviour it cares about. Where the version is unknown
//! every rule assumes the most dangerous real behaviour, never the friendliest.

use std::fmt;

use crate::t;

/// The behaviour family of a DocSpace release.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Family {
    /// 3.5.x and older: .NET 8/9, a CIDR entry with host bits makes every
    /// sign-in that evaluates it fail with 500 (§10.1).
    UpTo35,
    /// 3.6.x: .NET 10 (host bits cleared), IPv6 visitors' addresses cut at the
    /// first colon (§10.16), `avaliable`, confirm link as a string.
    V36,
    /// 3.7.0 to 3.7.2, the latest release.
    V37,
    /// Anything newer than 3.7.2 (§8's "next" column).
    Next,
    /// The seed documents' contract: a change waits for an e-mailed link and
    /// `tfaappnewapp` honours `type`. Only a portal that names it gets it.
    Seed,
    /// The portal did not say (an old build answers without `docSpace`, or the
    /// endpoint failed).
    Unknown,
}

impl Family {
    /// The family's name as the page shows it to tests and tools
    /// (`data-family`): the variant's name, without `Debug` formatting.
    pub fn name(self) -> &'static str {
        match self {
            Family::UpTo35 => "UpTo35",
            Family::V36 => "V36",
            Family::V37 => "V37",
            Family::Next => "Next",
            Family::Seed => "Seed",
            Family::Unknown => "Unknown",
        }
    }
}

/// The portal's DocSpace release as it reported it.
#[derive(Clone, PartialEq, Eq, Debug)]
pub struct Server {
    /// The behaviour family the rules use.
    pub family: Family,
    /// The version text as reported (`3.7.2.1234`), when there was one.
    pub reported: Option<String>,
    /// Major, minor and patch, when the text was a version.
    pub numbers: Option<(u32, u32, u32)>,
}

impl Default for Server {
    /// Unknown until the portal says: the most dangerous assumptions.
    fn default() -> Self {
        Server::unknown()
    }
}

/// The newest release the panel knows as 3.7: 3.7.2.
const LATEST_37: (u32, u32, u32) = (3, 7, 2);

impl Server {
    /// A server whose version is unknown.
    pub fn unknown() -> Self {
        Server {
            family: Family::Unknown,
            reported: None,
            numbers: None,
        }
    }

    /// Reads the `docSpace` value of `settings/version/build`. `None` (the
    /// key is absent) and text that is not a version give [`Family::Unknown`];
    /// text starting with `seed` is the seed contract.
    pub fn from_reported(docspace: Option<&str>) -> Self {
        let Some(text) = docspace.map(str::trim).filter(|t| !t.is_empty()) else {
            return Server::unknown();
        };
        let seed = text.to_ascii_lowercase().starts_with("seed");
        let numbers = (!seed).then(|| parse_numbers(text)).flatten();
        let family = match (seed, numbers) {
            (true, _) => Family::Seed,
            (false, Some(v)) => family_of(v),
            (false, None) => Family::Unknown,
        };
        Server {
            family,
            reported: Some(text.to_string()),
            numbers,
        }
    }

    /// A real DocSpace release (or an unknown one): everything but the seed contract.
    pub fn is_real(&self) -> bool {
        self.family != Family::Seed
    }

    /// A CIDR entry with host bits set makes every sign-in that evaluates it
    /// fail with 500 (up to 3.5, §10.1). Unknown: assume it does.
    pub fn host_bits_lock_out(&self) -> bool {
        matches!(self.family, Family::UpTo35 | Family::Unknown)
    }

    /// IPv6 CIDR blocks are compared on the first 32 bits only (§10.2): every
    /// release up to 3.7.2. `next` reuses the same method (§10.1), so it is
    /// not assumed fixed either; only the seed contract compares exactly.
    pub fn miscompares_cidr(&self) -> bool {
        self.family != Family::Seed
    }

    /// The visitor's IPv6 address is cut at its first colon (up to 3.7.0,
    /// fixed in 3.7.1, §10.16): IPv6 entries never match, and any range or
    /// CIDR entry makes sign-in fail with 500 for visitors such as `2a02:…`.
    /// Unknown: assume it is.
    pub fn truncates_ipv6_visitors(&self) -> bool {
        match self.family {
            Family::UpTo35 | Family::V36 | Family::Unknown => true,
            Family::V37 => self.numbers.is_some_and(|v| v < (3, 7, 1)),
            Family::Next | Family::Seed => false,
        }
    }

    /// `tfaappwithlink` waits for the returned link before the change applies
    /// (the seed contract only; every release applies at once, §10.5).
    pub fn policy_waits_for_link(&self) -> bool {
        self.family == Family::Seed
    }

    /// `tfaappnewapp` honours `type` (the seed contract only; every release
    /// unlinks the authenticator app whatever is sent, §10.4).
    pub fn honours_user_method(&self) -> bool {
        self.family == Family::Seed
    }

    /// `tfaappwithlink` fails with 500 after saving when the caller is exempt
    /// (3.7.1–3.7.2, §4.3). Unknown: it may.
    pub fn withlink_may_fail_after_saving(&self) -> bool {
        matches!(self.family, Family::V37 | Family::Unknown)
    }

    /// A short name for the header: "DocSpace 3.7.2.1234", "the seed contract",
    /// "version unknown".
    pub fn label(&self) -> String {
        match (&self.family, &self.reported) {
            (Family::Seed, _) => t!(version_seed),
            (Family::Unknown, None) => t!(version_unknown),
            (Family::Unknown, Some(text)) => t!(version_unrecognised, version = text),
            (_, Some(text)) => t!(version_docspace, version = text),
            (_, None) => t!(version_docspace_only),
        }
    }
}

impl fmt::Display for Family {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Family::UpTo35 => "3.5 or older",
            Family::V36 => "3.6",
            Family::V37 => "3.7",
            Family::Next => "newer than 3.7.2",
            Family::Seed => "seed contract",
            Family::Unknown => "unknown",
        })
    }
}

/// `3.7.2.1234` → (3, 7, 2). Missing parts count as 0; anything but digits
/// and dots (after the first number) ends the version.
fn parse_numbers(text: &str) -> Option<(u32, u32, u32)> {
    let mut parts = text.split('.');
    let mut next = |required: bool| -> Option<u32> {
        match parts.next() {
            Some(p) => {
                let digits: String = p.chars().take_while(char::is_ascii_digit).collect();
                if digits.is_empty() {
                    if required {
                        None
                    } else {
                        Some(0)
                    }
                } else {
                    digits.parse().ok()
                }
            }
            None if required => None,
            None => Some(0),
        }
    };
    let major = next(true)?;
    let minor = next(false)?;
    let patch = next(false)?;
    Some((major, minor, patch))
}

fn family_of(v: (u32, u32, u32)) -> Family {
    match v {
        (major, minor, _) if major < 3 || (major == 3 && minor <= 5) => Family::UpTo35,
        (3, 6, _) => Family::V36,
        v if v <= LATEST_37 => Family::V37,
        _ => Family::Next,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn family_names_are_the_variant_names() {
        use Family::*;
        for f in [UpTo35, V36, V37, Next, Seed, Unknown] {
            assert_eq!(f.name(), format!("{f:?}"));
        }
    }

    #[test]
    fn families_from_reported_versions() {
        let rows: &[(Option<&str>, Family)] = &[
            (Some("3.7.2.1234"), Family::V37),
            (Some("3.7.1"), Family::V37),
            (Some("3.7.0.0"), Family::V37),
            (Some("3.7.3"), Family::Next),
            (Some("3.8.0.100"), Family::Next),
            (Some("4.0"), Family::Next),
            (Some("3.6.1.2840"), Family::V36),
            (Some("3.6"), Family::V36),
            (Some("3.5.2"), Family::UpTo35),
            // DocSpace reports 3.1.0 when `version:number` is unset: the
            // dangerous assumption is the right one there too.
            (Some("3.1.0"), Family::UpTo35),
            (Some("2.6.3"), Family::UpTo35),
            (Some("seed"), Family::Seed),
            (Some("Seed-contract"), Family::Seed),
            (None, Family::Unknown),
            (Some(""), Family::Unknown),
            (Some("  "), Family::Unknown),
            (Some("dev"), Family::Unknown),
            (Some("v3.7.2"), Family::Unknown),
        ];
        for (text, family) in rows {
            assert_eq!(Server::from_reported(*text).family, *family, "{text:?}");
        }
    }

    #[test]
    fn unknown_assumes_the_most_dangerous_behaviour() {
        let unknown = Server::unknown();
        assert!(unknown.host_bits_lock_out());
        assert!(unknown.truncates_ipv6_visitors());
        assert!(unknown.miscompares_cidr());
        assert!(unknown.is_real());
        assert!(!unknown.policy_waits_for_link());
        assert!(!unknown.honours_user_method());
    }

    #[test]
    fn rules_by_family() {
        let s = |v: &str| Server::from_reported(Some(v));
        assert!(s("3.5.2").host_bits_lock_out());
        assert!(!s("3.6.1").host_bits_lock_out());
        assert!(!s("3.9.0").host_bits_lock_out());
        assert!(s("3.6.1").truncates_ipv6_visitors());
        assert!(s("3.7.0").truncates_ipv6_visitors());
        assert!(!s("3.7.1").truncates_ipv6_visitors());
        assert!(s("3.7.2").miscompares_cidr());
        assert!(s("3.9.0").miscompares_cidr());
        assert!(!s("seed").miscompares_cidr());
        assert!(s("seed").policy_waits_for_link() && s("seed").honours_user_method());
        assert!(!s("3.7.2").policy_waits_for_link() && !s("3.7.2").honours_user_method());
        assert!(s("3.7.2").withlink_may_fail_after_saving());
        assert!(!s("3.9.0").withlink_may_fail_after_saving());
    }

    #[test]
    fn labels() {
        assert_eq!(
            Server::from_reported(Some("3.7.2.1234")).label(),
            "DocSpace 3.7.2.1234"
        );
        assert_eq!(Server::from_reported(Some("seed")).label(), "seed contract");
        assert_eq!(Server::unknown().label(), "version unknown");
        assert_eq!(
            Server::from_reported(Some("dev")).label(),
            "version “dev” (not recognised)"
        );
    }
}
