//! Portal addresses and links returned by the server.
//!
//! The panel talks to one portal with a bearer token, and shows links that
//! the portal returns (confirm URLs, profile URLs). A typo in the portal
//! address must not send the token in clear text or to another host, and a
//! link from the server is only made clickable when it provably points back
//! to the same portal over https: anything else is shown as text.

use std::fmt;
use std::net::{Ipv4Addr, Ipv6Addr};
use std::str::FromStr;

use crate::t;

/// The hosts where the panel accepts a plain-http portal (the
/// administrator's own machine). `scripts/csp.py` allows exactly these in
/// the page's `connect-src`; a native test keeps the two in step.
pub const LOOPBACK_HTTP_HOSTS: [&str; 2] = ["localhost", "127.0.0.1"];

/// The two web schemes the panel knows; everything else is refused.
#[derive(Clone, Copy, PartialEq, Eq, Hash, Debug)]
pub enum Scheme {
    /// Plain, unencrypted HTTP: only acceptable on the administrator's own machine.
    Http,
    /// Encrypted HTTP, the normal case for a portal.
    Https,
}

impl Scheme {
    /// The scheme as written in a URL, without `://`.
    pub fn as_str(self) -> &'static str {
        match self {
            Scheme::Http => "http",
            Scheme::Https => "https",
        }
    }

    /// The port a browser uses when none is written, so that
    /// `https://host:443` and `https://host` are the same origin.
    pub fn default_port(self) -> u16 {
        match self {
            Scheme::Http => 80,
            Scheme::Https => 443,
        }
    }
}

/// A web origin (scheme, host, port): the unit browsers use for security,
/// and what the panel compares links against.
///
/// `host` is lowercase, an IPv6 address is kept without brackets in std's
/// canonical form, and `port` is `None` when it is the scheme's default, so
/// equal origins compare equal with `==`.
#[derive(Clone, PartialEq, Eq, Hash, Debug)]
pub struct Origin {
    /// `http` or `https`.
    pub scheme: Scheme,
    /// Lowercase host name or IP address, without brackets.
    pub host: String,
    /// An explicit non-default port.
    pub port: Option<u16>,
}

impl Origin {
    /// Builds an origin with the same normalisation as the parsers
    /// (lowercase host, brackets removed, default port dropped), for callers
    /// that know the parts, such as the page's own location.
    pub fn new(scheme: Scheme, host: &str, port: Option<u16>) -> Origin {
        let bare = host
            .strip_prefix('[')
            .and_then(|h| h.strip_suffix(']'))
            .unwrap_or(host);
        let host = match Ipv6Addr::from_str(bare) {
            Ok(v6) => v6.to_string(),
            Err(_) => bare.to_ascii_lowercase(),
        };
        let port = port.filter(|p| *p != scheme.default_port());
        Origin { scheme, host, port }
    }

    /// `host[:port]` as written in a URL (IPv6 in brackets), used in
    /// messages that name where a link leads.
    pub fn authority(&self) -> String {
        let host = if self.host.contains(':') {
            format!("[{}]", self.host)
        } else {
            self.host.clone()
        };
        match self.port {
            Some(port) if port != self.scheme.default_port() => format!("{host}:{port}"),
            _ => host,
        }
    }

    /// Whether the portal runs on the administrator's own machine, the only
    /// place where plain http cannot be read by anyone else on the network.
    /// Only the hosts in [`LOOPBACK_HTTP_HOSTS`]: the page's CSP must allow
    /// every http portal the panel accepts, and a CSP source can name
    /// neither an IPv6 address (`[::1]`) nor all of 127.0.0.0/8.
    pub fn is_loopback(&self) -> bool {
        LOOPBACK_HTTP_HOSTS.contains(&self.host.as_str())
    }
}

impl fmt::Display for Origin {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}://{}", self.scheme.as_str(), self.authority())
    }
}

/// Why a typed portal address was refused. Each message tells the
/// administrator what to type instead.
#[derive(Clone, PartialEq, Eq, Debug)]
pub enum PortalError {
    /// Nothing was typed.
    Empty,
    /// A space or control character inside the address.
    ContainsSpace,
    /// A scheme other than http or https (the scheme, lowercase).
    UnsupportedScheme(String),
    /// `http://` to a host that is not this machine: the token would travel
    /// unencrypted.
    InsecureHttp {
        /// `host[:port]` as typed, for the message.
        host: String,
    },
    /// `user@host` or `user:password@host`.
    HasUserinfo,
    /// A path other than `/` (the path as typed).
    HasPath(String),
    /// A `?query`.
    HasQuery,
    /// A `#fragment`.
    HasFragment,
    /// No host at all, as in `https://` or `https://:8443`.
    EmptyHost,
    /// A host that is not a plain DNS name or IP address (the host as typed).
    InvalidHost(String),
    /// A port that is not a number from 1 to 65535 (the port as typed).
    BadPort(String),
}

impl fmt::Display for PortalError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let message = match self {
            PortalError::Empty => t!(link_portal_empty),
            PortalError::ContainsSpace => t!(link_portal_space),
            PortalError::UnsupportedScheme(scheme) => t!(link_portal_scheme, scheme = scheme),
            PortalError::InsecureHttp { host } => t!(link_portal_insecure, host = host),
            PortalError::HasUserinfo => t!(link_portal_userinfo),
            PortalError::HasPath(path) => t!(link_portal_path, path = path),
            PortalError::HasQuery => t!(link_portal_query),
            PortalError::HasFragment => t!(link_portal_fragment),
            PortalError::EmptyHost => t!(link_portal_no_host),
            PortalError::InvalidHost(host) => t!(link_portal_bad_host, host = host),
            PortalError::BadPort(port) if port.is_empty() => t!(link_portal_port_missing),
            PortalError::BadPort(port) => t!(link_portal_bad_port, port = port),
        };
        f.write_str(&message)
    }
}

impl std::error::Error for PortalError {}

/// Why a host failed [`parse_host_port`].
enum HostPortProblem {
    EmptyHost,
    InvalidHost(String),
    BadPort(String),
}

/// Validates a DNS name (already lowercase): dot-separated labels of
/// `[a-z0-9-]`, no empty label, no label starting or ending with `-`. A name
/// whose last label is numeric must be a real dotted IPv4 address, because
/// browsers read `127.1` or `0x7f.1` as IPv4 addresses, not as names.
fn host_is_valid(host: &str) -> bool {
    if Ipv4Addr::from_str(host).is_ok() {
        return true;
    }
    if host.is_empty() || host.len() > 253 {
        return false;
    }
    let labels_ok = host.split('.').all(|label| {
        !label.is_empty()
            && label.len() <= 63
            && !label.starts_with('-')
            && !label.ends_with('-')
            && label
                .bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
    });
    let last = host.rsplit('.').next().unwrap_or("");
    let numeric_last = last.bytes().all(|b| b.is_ascii_digit())
        || last
            .strip_prefix("0x")
            .is_some_and(|hex| hex.bytes().all(|b| b.is_ascii_hexdigit()));
    labels_ok && !numeric_last
}

/// Splits and validates `host[:port]` or `[v6][:port]`; returns the
/// normalised host and the port as written.
fn parse_host_port(authority: &str) -> Result<(String, Option<u16>), HostPortProblem> {
    let (host, port_text) = if let Some(rest) = authority.strip_prefix('[') {
        let (inside, after) = rest
            .split_once(']')
            .ok_or_else(|| HostPortProblem::InvalidHost(authority.to_string()))?;
        let v6 = Ipv6Addr::from_str(inside)
            .map_err(|_| HostPortProblem::InvalidHost(format!("[{inside}]")))?;
        let port = match after {
            "" => None,
            _ => Some(
                after
                    .strip_prefix(':')
                    .ok_or_else(|| HostPortProblem::InvalidHost(authority.to_string()))?,
            ),
        };
        (v6.to_string(), port)
    } else {
        let (host, port) = match authority.split_once(':') {
            Some((host, port)) => (host, Some(port)),
            None => (authority, None),
        };
        if host.is_empty() {
            return Err(HostPortProblem::EmptyHost);
        }
        if port.is_some_and(|p| p.contains(':')) {
            // Several colons: an IPv6 address without brackets.
            return Err(HostPortProblem::InvalidHost(authority.to_string()));
        }
        let lower = host.to_ascii_lowercase();
        if !host_is_valid(&lower) {
            return Err(HostPortProblem::InvalidHost(host.to_string()));
        }
        (lower, port)
    };
    let port = match port_text {
        None => None,
        Some(text) => {
            let valid =
                !text.is_empty() && text.len() <= 5 && text.bytes().all(|b| b.is_ascii_digit());
            match text.parse::<u16>() {
                Ok(p) if valid && p != 0 => Some(p),
                _ => return Err(HostPortProblem::BadPort(text.to_string())),
            }
        }
    };
    Ok((host, port))
}

/// Interprets what an administrator types as the portal address:
/// `portal.example.com` (https is assumed), `https://host[:port][/]`, or
/// `http://` for a portal on this computer only. Anything that could send
/// the token somewhere unexpected (user names, paths, other schemes) is
/// refused with a message saying what to type.
pub fn parse_portal(input: &str) -> Result<Origin, PortalError> {
    let text = input.trim();
    if text.is_empty() {
        return Err(PortalError::Empty);
    }
    if text.chars().any(|c| c.is_whitespace() || c.is_control()) {
        return Err(PortalError::ContainsSpace);
    }
    let (scheme, rest) = match text.split_once("://") {
        Some((scheme, rest)) => match scheme.to_ascii_lowercase().as_str() {
            "https" => (Scheme::Https, rest),
            "http" => (Scheme::Http, rest),
            other => return Err(PortalError::UnsupportedScheme(other.to_string())),
        },
        None => {
            // "mailto:x" or "javascript:x": a scheme, not "host:port".
            if let Some((before, after)) = text.split_once(':') {
                let scheme_like = before.starts_with(|c: char| c.is_ascii_alphabetic())
                    && before
                        .chars()
                        .all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-'));
                if scheme_like && !after.starts_with(|c: char| c.is_ascii_digit()) {
                    return Err(PortalError::UnsupportedScheme(before.to_ascii_lowercase()));
                }
            }
            (Scheme::Https, text)
        }
    };
    let end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
    let (authority, tail) = rest.split_at(end);
    if authority.contains('@') {
        return Err(PortalError::HasUserinfo);
    }
    if authority.is_empty() {
        return Err(PortalError::EmptyHost);
    }
    if authority.contains('\\') || tail.contains('\\') {
        return Err(PortalError::InvalidHost(authority.to_string()));
    }
    if tail.contains('?') {
        return Err(PortalError::HasQuery);
    }
    if tail.contains('#') {
        return Err(PortalError::HasFragment);
    }
    if !tail.is_empty() && tail != "/" {
        return Err(PortalError::HasPath(tail.to_string()));
    }
    let (host, port) = parse_host_port(authority).map_err(|problem| match problem {
        HostPortProblem::EmptyHost => PortalError::EmptyHost,
        HostPortProblem::InvalidHost(h) => PortalError::InvalidHost(h),
        HostPortProblem::BadPort(p) => PortalError::BadPort(p),
    })?;
    let origin = Origin::new(scheme, &host, port);
    if scheme == Scheme::Http && !origin.is_loopback() {
        return Err(PortalError::InsecureHttp {
            host: origin.authority(),
        });
    }
    Ok(origin)
}

/// Reads the origin of a link returned by the server, conservatively: only
/// a plain `http://` or `https://` URL with a simple host, no user name, no
/// backslashes, no whitespace or control characters anywhere. Anything a
/// browser might interpret differently from this parser gives `None`.
pub fn parse_link_origin(url: &str) -> Option<Origin> {
    if url
        .chars()
        .any(|c| c.is_whitespace() || c.is_control() || c == '\\')
    {
        return None;
    }
    let (scheme_text, rest) = url.split_once("://")?;
    let scheme = match scheme_text.to_ascii_lowercase().as_str() {
        "https" => Scheme::Https,
        "http" => Scheme::Http,
        _ => return None,
    };
    let end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
    let authority = &rest[..end];
    if authority.is_empty() || authority.contains('@') {
        return None;
    }
    let (host, port) = parse_host_port(authority).ok()?;
    Some(Origin::new(scheme, &host, port))
}

/// Whether a link from the server may be rendered as a clickable link, and
/// if not, why. Only [`LinkSafety::Clickable`] links get an `href`.
#[derive(Clone, PartialEq, Eq, Debug)]
pub enum LinkSafety {
    /// Same origin as the portal, over https (or http on a loopback portal).
    Clickable,
    /// A non-web scheme such as `javascript:`, `data:` or `mailto:`.
    NotHttp,
    /// A web link to somewhere other than the portal; `host` is the link's
    /// `host[:port]`, for the message.
    OtherOrigin {
        /// Where the link leads, as `host[:port]`.
        host: String,
    },
    /// The portal's own host over unencrypted http although the portal uses https.
    InsecureHttp,
    /// Not a complete, plainly written web address: this includes
    /// scheme-relative `//host` links (which would resolve against the panel,
    /// not the portal), links with a user name (`https://portal@evil.com`),
    /// backslashes, and whitespace or control characters anywhere.
    Malformed,
}

impl LinkSafety {
    /// The explanation shown next to a link that is displayed as text, so
    /// the administrator knows why it cannot be clicked.
    pub fn warning(&self) -> Option<String> {
        match self {
            LinkSafety::Clickable => None,
            LinkSafety::NotHttp => Some(t!(link_warn_not_http)),
            LinkSafety::OtherOrigin { host } => Some(t!(link_warn_other_origin, host = host)),
            LinkSafety::InsecureHttp => Some(t!(link_warn_insecure)),
            LinkSafety::Malformed => Some(t!(link_warn_malformed)),
        }
    }
}

/// The URL scheme as a browser would read it (ends trimmed, tabs and
/// newlines removed), lowercase; `None` when there is no scheme.
fn browser_scheme(url: &str) -> Option<String> {
    let cleaned: String = url
        .trim_matches(|c: char| c.is_whitespace() || c.is_control())
        .chars()
        .filter(|c| !matches!(c, '\t' | '\n' | '\r'))
        .collect();
    let (scheme, _) = cleaned.split_once(':')?;
    let valid = scheme.starts_with(|c: char| c.is_ascii_alphabetic())
        && scheme
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'));
    valid.then(|| scheme.to_ascii_lowercase())
}

/// Decides whether a link returned by the server may be clickable: only when
/// it parses, its origin (scheme, host, port) is the portal's, and it is
/// https, or http on a portal running on this computer.
pub fn classify_link(url: &str, portal: &Origin) -> LinkSafety {
    match browser_scheme(url).as_deref() {
        None => return LinkSafety::Malformed,
        Some("http" | "https") => {}
        Some(_) => return LinkSafety::NotHttp,
    }
    let Some(link) = parse_link_origin(url) else {
        return LinkSafety::Malformed;
    };
    if link.host != portal.host || link.port != portal.port {
        return LinkSafety::OtherOrigin {
            host: link.authority(),
        };
    }
    match (link.scheme, portal.scheme) {
        (Scheme::Https, Scheme::Https) => LinkSafety::Clickable,
        (Scheme::Http, Scheme::Http) if portal.is_loopback() => LinkSafety::Clickable,
        (Scheme::Http, _) => LinkSafety::InsecureHttp,
        // An https link to an http portal is, strictly, another origin.
        (Scheme::Https, Scheme::Http) => LinkSafety::OtherOrigin {
            host: link.authority(),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn https(host: &str, port: Option<u16>) -> Origin {
        Origin {
            scheme: Scheme::Https,
            host: host.to_string(),
            port,
        }
    }

    fn http(host: &str, port: Option<u16>) -> Origin {
        Origin {
            scheme: Scheme::Http,
            host: host.to_string(),
            port,
        }
    }

    #[test]
    fn origin_display_and_authority() {
        let rows: &[(Origin, &str)] = &[
            (
                https("portal.example.com", None),
                "https://portal.example.com",
            ),
            (
                https("portal.example.com", Some(8443)),
                "https://portal.example.com:8443",
            ),
            (http("localhost", Some(8092)), "http://localhost:8092"),
            (https("2001:db8::1", None), "https://[2001:db8::1]"),
            (http("::1", Some(80)), "http://[::1]"),
            (http("::1", Some(443)), "http://[::1]:443"),
        ];
        for (origin, expected) in rows {
            assert_eq!(origin.to_string(), *expected);
        }
        assert_eq!(https("::1", Some(8443)).authority(), "[::1]:8443");
    }

    #[test]
    fn origin_new_normalises() {
        assert_eq!(
            Origin::new(Scheme::Https, "Portal.Example.COM", Some(443)),
            https("portal.example.com", None)
        );
        assert_eq!(
            Origin::new(Scheme::Http, "[0:0::1]", Some(80)),
            http("::1", None)
        );
        assert_eq!(
            Origin::new(Scheme::Http, "localhost", Some(443)),
            http("localhost", Some(443))
        );
    }

    #[test]
    fn loopback() {
        let rows: &[(&str, bool)] = &[
            ("localhost", true),
            ("127.0.0.1", true),
            // The CSP cannot name these, so the panel refuses them over http.
            ("127.255.0.9", false),
            ("::1", false),
            ("128.0.0.1", false),
            ("localhost.example.com", false),
            ("::ffff:127.0.0.1", false),
            ("0.0.0.0", false),
            ("portal.example.com", false),
        ];
        for (host, expected) in rows {
            assert_eq!(http(host, None).is_loopback(), *expected, "{host}");
        }
    }

    #[test]
    fn parse_portal_accepts() {
        let rows: &[(&str, Origin)] = &[
            ("portal.example.com", https("portal.example.com", None)),
            ("  Portal.Example.com  ", https("portal.example.com", None)),
            ("portal.example.com/", https("portal.example.com", None)),
            (
                "https://portal.example.com",
                https("portal.example.com", None),
            ),
            (
                "HTTPS://PORTAL.EXAMPLE.COM/",
                https("portal.example.com", None),
            ),
            (
                "https://portal.example.com:443",
                https("portal.example.com", None),
            ),
            (
                "https://portal.example.com:8443/",
                https("portal.example.com", Some(8443)),
            ),
            (
                "portal.example.com:8443",
                https("portal.example.com", Some(8443)),
            ),
            ("localhost:8092", https("localhost", Some(8092))),
            ("http://localhost:8092", http("localhost", Some(8092))),
            ("http://localhost:80/", http("localhost", None)),
            ("http://127.0.0.1:8092", http("127.0.0.1", Some(8092))),
            ("https://127.3.4.5", https("127.3.4.5", None)),
            ("https://[::1]:8092", https("::1", Some(8092))),
            ("https://[2001:DB8::1]", https("2001:db8::1", None)),
            ("https://192.0.2.10", https("192.0.2.10", None)),
            (
                "https://xn--80ak6aa92e.com",
                https("xn--80ak6aa92e.com", None),
            ),
            ("https://docspace", https("docspace", None)),
            ("https://a-b.c-d.example", https("a-b.c-d.example", None)),
        ];
        for (input, expected) in rows {
            assert_eq!(
                parse_portal(input).as_ref(),
                Ok(expected),
                "input {input:?}"
            );
        }
    }

    #[test]
    fn parse_portal_rejects() {
        use PortalError as E;
        let rows: Vec<(&str, PortalError)> = vec![
            ("", E::Empty),
            ("   ", E::Empty),
            ("portal example.com", E::ContainsSpace),
            ("https://portal.example.com/\u{7}", E::ContainsSpace),
            (
                "http://portal.example.com",
                E::InsecureHttp {
                    host: "portal.example.com".into(),
                },
            ),
            (
                "http://192.0.2.10:8080",
                E::InsecureHttp {
                    host: "192.0.2.10:8080".into(),
                },
            ),
            (
                "http://[2001:db8::1]",
                E::InsecureHttp {
                    host: "[2001:db8::1]".into(),
                },
            ),
            (
                "http://localhost.evil.com",
                E::InsecureHttp {
                    host: "localhost.evil.com".into(),
                },
            ),
            (
                "ftp://portal.example.com",
                E::UnsupportedScheme("ftp".into()),
            ),
            (
                "javascript:alert(1)",
                E::UnsupportedScheme("javascript".into()),
            ),
            (
                "JavaScript://portal.example.com",
                E::UnsupportedScheme("javascript".into()),
            ),
            (
                "mailto:admin@example.com",
                E::UnsupportedScheme("mailto".into()),
            ),
            ("https://user@portal.example.com", E::HasUserinfo),
            ("https://user:pw@portal.example.com", E::HasUserinfo),
            ("portal.example.com@evil.com", E::HasUserinfo),
            (
                "https://portal.example.com/products/files",
                E::HasPath("/products/files".into()),
            ),
            ("https://portal.example.com//", E::HasPath("//".into())),
            ("https://portal.example.com/?a=1", E::HasQuery),
            ("https://portal.example.com?a=1", E::HasQuery),
            ("https://portal.example.com#top", E::HasFragment),
            ("https://", E::EmptyHost),
            ("https:///", E::EmptyHost),
            ("https://:8443", E::EmptyHost),
            ("//", E::EmptyHost),
            ("https://portal.example.com:", E::BadPort("".into())),
            ("https://portal.example.com:0", E::BadPort("0".into())),
            (
                "https://portal.example.com:65536",
                E::BadPort("65536".into()),
            ),
            (
                "https://portal.example.com:123456",
                E::BadPort("123456".into()),
            ),
            ("https://portal.example.com:+80", E::BadPort("+80".into())),
            ("portal.example.com:abc", E::BadPort("abc".into())),
            (
                "https://portal_1.example.com",
                E::InvalidHost("portal_1.example.com".into()),
            ),
            (
                "https://portal..example.com",
                E::InvalidHost("portal..example.com".into()),
            ),
            (
                "https://portal.example.com.",
                E::InvalidHost("portal.example.com.".into()),
            ),
            (
                "https://-portal.example.com",
                E::InvalidHost("-portal.example.com".into()),
            ),
            ("https://портал.рф", E::InvalidHost("портал.рф".into())),
            ("https://127.1", E::InvalidHost("127.1".into())),
            ("http://0x7f.1", E::InvalidHost("0x7f.1".into())),
            ("https://2130706433", E::InvalidHost("2130706433".into())),
            ("https://2001:db8::1", E::InvalidHost("2001:db8::1".into())),
            (
                "https://[fe80::1%25eth0]",
                E::InvalidHost("[fe80::1%25eth0]".into()),
            ),
            ("https://[::1", E::InvalidHost("[::1".into())),
            ("https://[::1]x", E::InvalidHost("[::1]x".into())),
            (
                "https://portal.example.com\\evil.com",
                E::InvalidHost("portal.example.com\\evil.com".into()),
            ),
            (
                "https://portal%2eexample.com",
                E::InvalidHost("portal%2eexample.com".into()),
            ),
        ];
        for (input, expected) in rows {
            assert_eq!(parse_portal(input), Err(expected), "input {input:?}");
        }
    }

    #[test]
    fn portal_error_messages() {
        let rows: Vec<(PortalError, &str)> = vec![
            (PortalError::Empty, "Type the address of your portal, such as portal.example.com."),
            (
                PortalError::InsecureHttp { host: "portal.example.com".into() },
                "“http://portal.example.com” is not encrypted, so your access token would travel over the network where others could read it. Use https://portal.example.com instead; plain http:// is only allowed for a portal on this computer, as localhost or 127.0.0.1.",
            ),
            (
                PortalError::UnsupportedScheme("ftp".into()),
                "“ftp:” addresses are not supported. Type the web address of your portal, such as https://portal.example.com.",
            ),
            (
                PortalError::HasPath("/x".into()),
                "The portal address must not include a path (“/x”). Type only the address, such as https://portal.example.com.",
            ),
            (
                PortalError::BadPort(String::new()),
                "The port after “:” is missing. Type a number from 1 to 65535, such as portal.example.com:8443, or remove the “:”.",
            ),
            (
                PortalError::HasUserinfo,
                "The portal address must not contain a user name or “@”. Type only the address, such as portal.example.com; you sign in separately.",
            ),
            (
                PortalError::BadPort("0".into()),
                "“0” is not a valid port. A port is a number from 1 to 65535, such as portal.example.com:8443.",
            ),
        ];
        for (error, expected) in rows {
            assert_eq!(error.to_string(), expected);
        }
    }

    #[test]
    fn parse_link_origin_table() {
        let rows: Vec<(&str, Option<Origin>)> = vec![
            (
                "https://portal.example.com",
                Some(https("portal.example.com", None)),
            ),
            (
                "HTTPS://Portal.Example.com/confirm/TfaActivation?type=TfaActivation&uid=x",
                Some(https("portal.example.com", None)),
            ),
            (
                "https://portal.example.com:443/x",
                Some(https("portal.example.com", None)),
            ),
            (
                "https://portal.example.com:8443#a",
                Some(https("portal.example.com", Some(8443))),
            ),
            (
                "https://portal.example.com?q",
                Some(https("portal.example.com", None)),
            ),
            (
                "http://localhost:8092/",
                Some(http("localhost", Some(8092))),
            ),
            (
                "https://[2001:DB8::1]:8443/",
                Some(https("2001:db8::1", Some(8443))),
            ),
            (
                "https://evil.com/?https://portal.example.com",
                Some(https("evil.com", None)),
            ),
            (
                "https://portal.example.com.evil.com/",
                Some(https("portal.example.com.evil.com", None)),
            ),
            ("", None),
            ("portal.example.com", None),
            ("//portal.example.com", None),
            ("javascript:alert(1)", None),
            ("ftp://portal.example.com", None),
            (" https://portal.example.com", None),
            ("https://portal.example.com ", None),
            ("https://portal.example.com/a b", None),
            ("https://portal.example.com/\n", None),
            ("https://portal.example.com\\@evil.com", None),
            ("https:\\\\evil.com", None),
            ("https://portal.example.com@evil.com", None),
            ("https://user:pw@portal.example.com/", None),
            ("https://", None),
            ("https:///x", None),
            ("https://portal.example.com:/", None),
            ("https://portal.example.com:0/", None),
            ("https://portal.example.com:99999/", None),
            ("https://portal%2eexample.com/", None),
            ("https://por_tal.example.com/", None),
            ("https://127.1/", None),
            ("https://[fe80::1%eth0]/", None),
            ("https://2001:db8::1/", None),
            ("https:portal.example.com", None),
        ];
        for (input, expected) in rows {
            assert_eq!(parse_link_origin(input), expected, "input {input:?}");
        }
    }

    #[test]
    fn classify_against_https_portal() {
        let portal = parse_portal("portal.example.com").unwrap();
        let other = |h: &str| LinkSafety::OtherOrigin {
            host: h.to_string(),
        };
        let rows: Vec<(&str, LinkSafety)> = vec![
            (
                "https://portal.example.com/confirm/TfaActivation?type=TfaActivation&uid=5b2c",
                LinkSafety::Clickable,
            ),
            ("HTTPS://PORTAL.EXAMPLE.COM/", LinkSafety::Clickable),
            ("https://portal.example.com:443/x", LinkSafety::Clickable),
            ("https://portal.example.com", LinkSafety::Clickable),
            ("javascript:alert(1)", LinkSafety::NotHttp),
            ("JaVaScRiPt:alert(1)", LinkSafety::NotHttp),
            (" javascript:alert(1)", LinkSafety::NotHttp),
            ("java\tscript:alert(1)", LinkSafety::NotHttp),
            ("\u{1}javascript:alert(1)", LinkSafety::NotHttp),
            (
                "data:text/html,<script>alert(1)</script>",
                LinkSafety::NotHttp,
            ),
            ("vbscript:msgbox(1)", LinkSafety::NotHttp),
            ("mailto:admin@example.com", LinkSafety::NotHttp),
            ("//evil.com", LinkSafety::Malformed),
            ("/confirm/TfaAuth", LinkSafety::Malformed),
            ("", LinkSafety::Malformed),
            (" https://portal.example.com/", LinkSafety::Malformed),
            ("https://portal.example.com/\t", LinkSafety::Malformed),
            ("https:portal.example.com", LinkSafety::Malformed),
            ("https:\\\\evil.com", LinkSafety::Malformed),
            ("https://portal.example.com@evil.com", LinkSafety::Malformed),
            (
                "https://evil.com/?https://portal.example.com",
                other("evil.com"),
            ),
            (
                "https://portal.example.com.evil.com/",
                other("portal.example.com.evil.com"),
            ),
            (
                "https://portal.example.com:444/",
                other("portal.example.com:444"),
            ),
            ("https://evil.com", other("evil.com")),
            ("http://evil.com", other("evil.com")),
            (
                "http://portal.example.com:8080/",
                other("portal.example.com:8080"),
            ),
            (
                "http://portal.example.com/confirm",
                LinkSafety::InsecureHttp,
            ),
            ("HTTP://portal.example.com", LinkSafety::InsecureHttp),
        ];
        for (url, expected) in rows {
            assert_eq!(classify_link(url, &portal), expected, "url {url:?}");
        }
    }

    #[test]
    fn classify_against_loopback_http_portal() {
        let portal = parse_portal("http://localhost:8092").unwrap();
        let rows: Vec<(&str, LinkSafety)> = vec![
            (
                "http://localhost:8092/confirm/TfaAuth?type=TfaAuth",
                LinkSafety::Clickable,
            ),
            ("http://LOCALHOST:8092", LinkSafety::Clickable),
            (
                "http://localhost/",
                LinkSafety::OtherOrigin {
                    host: "localhost".into(),
                },
            ),
            (
                "https://localhost:8092/",
                LinkSafety::OtherOrigin {
                    host: "localhost:8092".into(),
                },
            ),
            (
                "http://127.0.0.1:8092/",
                LinkSafety::OtherOrigin {
                    host: "127.0.0.1:8092".into(),
                },
            ),
        ];
        for (url, expected) in rows {
            assert_eq!(classify_link(url, &portal), expected, "url {url:?}");
        }
        // An http origin that is not loopback is never clickable, even when
        // built by hand rather than by parse_portal.
        let lan = http("192.0.2.10", None);
        assert_eq!(
            classify_link("http://192.0.2.10/", &lan),
            LinkSafety::InsecureHttp
        );
    }

    #[test]
    fn warnings() {
        assert_eq!(LinkSafety::Clickable.warning(), None);
        assert_eq!(
            LinkSafety::OtherOrigin { host: "evil.com".into() }.warning().unwrap(),
            "This link leads to evil.com, not to your portal, so the panel shows it as text and will not open it. Open it only if you trust that site."
        );
        assert_eq!(
            LinkSafety::NotHttp.warning().unwrap(),
            "This link is not a web address (it does not start with https://), so the panel shows it as text and will not open it."
        );
        assert_eq!(
            LinkSafety::InsecureHttp.warning().unwrap(),
            "This link uses unencrypted http:// although your portal uses https://, so the panel shows it as text and will not open it. Open the page on your portal over https:// instead."
        );
        assert_eq!(
            LinkSafety::Malformed.warning().unwrap(),
            "This link is not a complete, well-formed web address, so the panel shows it as text and will not open it."
        );
    }

    #[test]
    fn csp_allows_exactly_the_loopback_portals_the_panel_accepts() {
        let csp = include_str!("../../scripts/csp.py");
        let line = csp
            .lines()
            .find(|l| l.contains("\"connect-src "))
            .expect("csp.py has a connect-src line");
        let http: Vec<&str> = line
            .split_whitespace()
            .filter(|s| s.starts_with("http://"))
            .map(|s| s.trim_end_matches(['"', ',']))
            .collect();
        let expected: Vec<String> = LOOPBACK_HTTP_HOSTS
            .iter()
            .map(|h| format!("http://{h}:*"))
            .collect();
        assert_eq!(http, expected);
        for host in LOOPBACK_HTTP_HOSTS {
            assert!(
                parse_portal(&format!("http://{host}:8092")).is_ok(),
                "{host}"
            );
        }
        assert!(parse_portal("http://[::1]:8092").is_err());
        assert!(parse_portal("http://127.0.0.2:8092").is_err());
    }
}
