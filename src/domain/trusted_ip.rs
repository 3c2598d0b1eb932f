//! Validation of trusted IP entries.
//!
//! Up to DocSpace 3.7.x the server accepts any text as a trusted IP, and an
//! entry containing `-` or `/` that it cannot parse makes *every* login fail
//! with 500, locking the whole portal out, web interface included. Newer
//! servers reject such lists with 400. Either way the panel must never send
//! an invalid list, so it applies the newer server's rule itself, strictly:
//! a single IP, an `ip-ip` range or an `ip/prefix` CIDR block.

use std::fmt;
use std::net::{IpAddr, Ipv4Addr};
use std::str::FromStr;

/// Longest entry accepted. The longest valid entry (an IPv6 range written in
/// full with embedded IPv4) is well under this, so longer text is a paste
/// gone wrong rather than an address.
pub const MAX_ENTRY_LEN: usize = 100;

/// Examples repeated in messages, so every message shows the accepted forms.
const FORMS: &str =
    "an IP address such as 192.0.2.10, a range such as 192.0.2.1-192.0.2.20, or a CIDR block such as 192.0.2.0/24";

/// One valid trusted IP entry, in the three forms DocSpace understands.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum IpEntry {
    /// One address; DocSpace compares it as text with the request IP.
    Single(IpAddr),
    /// An inclusive range `start-end` of one address family, start ≤ end.
    Range(IpAddr, IpAddr),
    /// A CIDR block `address/prefix`; host bits may be set, as DocSpace allows.
    Cidr(IpAddr, u8),
}

impl IpEntry {
    /// The text the panel sends: each address in std's canonical form (for
    /// example `2001:DB8::1` becomes `2001:db8::1`), no spaces. DocSpace
    /// compares single addresses as text, so one spelling matters.
    pub fn canonical(&self) -> String {
        match self {
            IpEntry::Single(ip) => ip.to_string(),
            IpEntry::Range(start, end) => format!("{start}-{end}"),
            IpEntry::Cidr(ip, prefix) => format!("{ip}/{prefix}"),
        }
    }

    /// An advisory about how DocSpace will treat a valid entry, for entries
    /// that are allowed but may not do what the administrator expects. It is
    /// not an error: the entry can still be saved.
    pub fn note(&self) -> Option<&'static str> {
        match self {
            IpEntry::Cidr(_, 0) => Some(
                "This block matches every address of its kind, so everyone signing in over it skips two-factor authentication unless they are on a mandatory list. Use a narrower block if that is not what you want.",
            ),
            IpEntry::Cidr(IpAddr::V6(_), _) => Some(
                "DocSpace matches CIDR blocks correctly only for IPv4 addresses, so this IPv6 block may not match the addresses you expect. List IPv6 addresses one by one or as a range instead.",
            ),
            IpEntry::Cidr(ip, prefix) if has_host_bits(*ip, *prefix) => Some(
                "This address has bits set after the prefix; DocSpace ignores them, so the block covers the whole network that contains this address.",
            ),
            IpEntry::Single(IpAddr::V6(_)) => Some(
                "DocSpace compares a single IPv6 address with the visitor's address as text, so it is saved in its shortest standard form and matches only if the server reports the address the same way. A range is more reliable.",
            ),
            _ => None,
        }
    }
}

impl fmt::Display for IpEntry {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.canonical())
    }
}

impl FromStr for IpEntry {
    type Err = IpEntryError;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        parse_entry(text)
    }
}

/// Whether any bit after the prefix is set (e.g. `10.1.2.3/8`).
fn has_host_bits(ip: IpAddr, prefix: u8) -> bool {
    match ip {
        IpAddr::V4(v4) => {
            let bits = u32::from(v4);
            prefix < 32 && bits & (u32::MAX >> prefix) != 0
        }
        IpAddr::V6(v6) => {
            let bits = u128::from(v6);
            prefix < 128 && bits & (u128::MAX >> prefix) != 0
        }
    }
}

/// Why an entry cannot be sent. Each variant keeps the (trimmed) entry so the
/// message can quote it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum IpEntryError {
    /// Nothing but whitespace.
    Empty,
    /// A space or other blank character inside the entry (for example around
    /// `-` or `/`); the server would not trim it.
    ContainsWhitespace {
        /// The entry as typed, trimmed.
        entry: String,
    },
    /// Longer than [`MAX_ENTRY_LEN`] characters.
    TooLong {
        /// The entry as typed, trimmed.
        entry: String,
        /// The length in characters.
        length: usize,
    },
    /// `part` (the whole entry, or one side of `-` or `/`) is not an address.
    NotAnIp {
        /// The entry as typed, trimmed.
        entry: String,
        /// The piece that failed to parse.
        part: String,
    },
    /// One side of `-` or `/` is missing, as in `/24` or `1.2.3.4-`.
    MissingAddress {
        /// The entry as typed, trimmed.
        entry: String,
        /// The separator with nothing on one side.
        separator: char,
    },
    /// A range from an IPv4 address to an IPv6 address or back.
    MixedFamilies {
        /// The entry as typed, trimmed.
        entry: String,
    },
    /// A range whose start comes after its end.
    ReversedRange {
        /// The entry as typed, trimmed.
        entry: String,
    },
    /// The text after `/` is not a plain decimal number (or is missing).
    BadPrefix {
        /// The entry as typed, trimmed.
        entry: String,
        /// The text after `/`.
        prefix: String,
    },
    /// The prefix is a number but too large for the address family.
    PrefixOutOfRange {
        /// The entry as typed, trimmed.
        entry: String,
        /// The text after `/`.
        prefix: String,
        /// The largest prefix for this family: 32 or 128.
        max: u8,
    },
    /// More than one `-` or more than one `/`.
    TooManySeparators {
        /// The entry as typed, trimmed.
        entry: String,
        /// The repeated separator.
        separator: char,
    },
    /// Both `-` and `/`, as in `1.2.3.4-1.2.3.9/24`.
    BothSeparators {
        /// The entry as typed, trimmed.
        entry: String,
    },
}

impl IpEntryError {
    /// The user-facing message, for callers that want an owned string.
    pub fn message(&self) -> String {
        self.to_string()
    }
}

/// Cuts long text for quoting in a message.
fn shorten(text: &str, max_chars: usize) -> String {
    if text.chars().count() <= max_chars {
        text.to_string()
    } else {
        let mut cut: String = text.chars().take(max_chars).collect();
        cut.push('…');
        cut
    }
}

/// A hint explaining why `part` is not an address, for the common mistakes.
fn not_an_ip_hint(part: &str) -> &'static str {
    if part.contains('%') {
        return "Remove the zone ID (the part starting with “%”); DocSpace does not accept it.";
    }
    if part.contains('[') || part.contains(']') {
        return "Remove the square brackets and any port number.";
    }
    if let Some((host, port)) = part.split_once(':') {
        if Ipv4Addr::from_str(host).is_ok() && port.chars().all(|c| c.is_ascii_digit()) {
            return "Remove the port number; a trusted IP never includes one.";
        }
    }
    if part.contains('*') {
        return "Wildcards are not supported; use a CIDR block such as 192.0.2.0/24 instead.";
    }
    if !part.is_ascii() {
        return "Type the address using only the ordinary digits 0-9, letters a-f, dots and colons.";
    }
    let looks_v4 = !part.is_empty() && part.chars().all(|c| c.is_ascii_digit() || c == '.');
    if looks_v4 {
        if part.split('.').any(|n| n.len() > 1 && n.starts_with('0')) {
            return "Remove the leading zeros from the numbers (write 10.1.2.3, not 010.001.002.003).";
        }
        return "An IPv4 address has four numbers from 0 to 255 separated by dots, such as 192.0.2.10.";
    }
    if !part.contains(':') && part.starts_with(|c: char| c.is_ascii_alphabetic()) {
        return "Host names are not supported; type the numeric IP address instead.";
    }
    "An IP address looks like 192.0.2.10 or 2001:db8::10."
}

impl fmt::Display for IpEntryError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            IpEntryError::Empty => write!(
                f,
                "An entry is empty. Type {FORMS}, or remove the empty entry."
            ),
            IpEntryError::ContainsWhitespace { entry } => write!(
                f,
                "“{}” contains a space. Remove it: ranges and CIDR blocks are written without spaces, such as 192.0.2.1-192.0.2.20 or 192.0.2.0/24.",
                shorten(entry, 40)
            ),
            IpEntryError::TooLong { entry, length } => write!(
                f,
                "“{}” is {length} characters long, but an entry can have at most {MAX_ENTRY_LEN}. Type {FORMS}.",
                shorten(entry, 20)
            ),
            IpEntryError::NotAnIp { entry, part } if part == entry => write!(
                f,
                "“{}” is not an IP address. {}",
                shorten(entry, 40),
                not_an_ip_hint(part)
            ),
            IpEntryError::NotAnIp { entry, part } => write!(
                f,
                "“{}”: “{}” is not an IP address. {}",
                shorten(entry, 40),
                shorten(part, 40),
                not_an_ip_hint(part)
            ),
            IpEntryError::MissingAddress { entry, separator } => write!(
                f,
                "“{}” is missing an address on one side of “{separator}”. Type a complete range such as 192.0.2.1-192.0.2.20 or a CIDR block such as 192.0.2.0/24.",
                shorten(entry, 40)
            ),
            IpEntryError::MixedFamilies { entry } => write!(
                f,
                "“{}”: a range must start and end with the same kind of address, both IPv4 or both IPv6. Split it into one IPv4 range and one IPv6 range.",
                shorten(entry, 40)
            ),
            IpEntryError::ReversedRange { entry } => write!(
                f,
                "“{}”: the start of the range is after its end. Put the lower address first.",
                shorten(entry, 40)
            ),
            IpEntryError::BadPrefix { entry, prefix } if prefix.is_empty() => write!(
                f,
                "“{}” has nothing after “/”. Add the prefix length, such as 192.0.2.0/24, or remove the “/”.",
                shorten(entry, 40)
            ),
            IpEntryError::BadPrefix { entry, .. } => write!(
                f,
                "“{}”: the prefix after “/” must be a whole number written with the digits 0-9, such as 192.0.2.0/24.",
                shorten(entry, 40)
            ),
            IpEntryError::PrefixOutOfRange { entry, max, .. } => write!(
                f,
                "“{}”: an {} prefix must be between 0 and {max}.",
                shorten(entry, 40),
                if *max == 32 { "IPv4" } else { "IPv6" }
            ),
            IpEntryError::TooManySeparators { entry, separator } => write!(
                f,
                "“{}” contains more than one “{separator}”. Type {FORMS}, one per entry.",
                shorten(entry, 40)
            ),
            IpEntryError::BothSeparators { entry } => write!(
                f,
                "“{}” mixes a range (“-”) and a CIDR block (“/”). Use one or the other, such as 192.0.2.1-192.0.2.20 or 192.0.2.0/24.",
                shorten(entry, 40)
            ),
        }
    }
}

impl std::error::Error for IpEntryError {}

/// Parses one address strictly with std's parsers: no leading zeros, no
/// non-ASCII digits, no zone IDs, brackets or ports.
fn parse_ip(entry: &str, part: &str, separator: char) -> Result<IpAddr, IpEntryError> {
    if part.is_empty() {
        return Err(IpEntryError::MissingAddress {
            entry: entry.to_string(),
            separator,
        });
    }
    IpAddr::from_str(part).map_err(|_| IpEntryError::NotAnIp {
        entry: entry.to_string(),
        part: part.to_string(),
    })
}

/// Parses one trusted IP entry as an administrator typed it, so that only
/// entries DocSpace can match are ever sent. ASCII whitespace at the ends is
/// trimmed; everything else is strict (see [`IpEntryError`]).
pub fn parse_entry(text: &str) -> Result<IpEntry, IpEntryError> {
    let entry = text.trim_matches(|c: char| c.is_ascii_whitespace());
    if entry.is_empty() {
        return Err(IpEntryError::Empty);
    }
    let owned = || entry.to_string();
    let length = entry.chars().count();
    if length > MAX_ENTRY_LEN {
        return Err(IpEntryError::TooLong {
            entry: owned(),
            length,
        });
    }
    if entry.chars().any(char::is_whitespace) {
        return Err(IpEntryError::ContainsWhitespace { entry: owned() });
    }
    let dashes = entry.matches('-').count();
    let slashes = entry.matches('/').count();
    if slashes > 1 {
        return Err(IpEntryError::TooManySeparators {
            entry: owned(),
            separator: '/',
        });
    }
    if slashes == 1 {
        let (address, prefix) = entry.split_once('/').unwrap_or((entry, ""));
        if dashes > 0 && !address.contains('-') {
            // A "-" only after the "/" is a bad prefix such as "/-1".
            return Err(IpEntryError::BadPrefix {
                entry: owned(),
                prefix: prefix.to_string(),
            });
        }
        if dashes > 0 {
            return Err(IpEntryError::BothSeparators { entry: owned() });
        }
        let ip = parse_ip(entry, address, '/')?;
        if prefix.is_empty() || !prefix.chars().all(|c| c.is_ascii_digit()) {
            return Err(IpEntryError::BadPrefix {
                entry: owned(),
                prefix: prefix.to_string(),
            });
        }
        let max: u8 = if ip.is_ipv4() { 32 } else { 128 };
        // At most three digits can be in range; longer text cannot overflow.
        let value = if prefix.len() <= 4 {
            prefix.parse::<u32>().ok()
        } else {
            None
        };
        return match value {
            Some(n) if n <= u32::from(max) => Ok(IpEntry::Cidr(ip, n as u8)),
            _ => Err(IpEntryError::PrefixOutOfRange {
                entry: owned(),
                prefix: prefix.to_string(),
                max,
            }),
        };
    }
    if dashes > 1 {
        return Err(IpEntryError::TooManySeparators {
            entry: owned(),
            separator: '-',
        });
    }
    if let Some((start, end)) = entry.split_once('-') {
        let start = parse_ip(entry, start, '-')?;
        let end = parse_ip(entry, end, '-')?;
        return match (start, end) {
            (IpAddr::V4(a), IpAddr::V4(b)) if a > b => {
                Err(IpEntryError::ReversedRange { entry: owned() })
            }
            (IpAddr::V6(a), IpAddr::V6(b)) if a > b => {
                Err(IpEntryError::ReversedRange { entry: owned() })
            }
            (IpAddr::V4(_), IpAddr::V4(_)) | (IpAddr::V6(_), IpAddr::V6(_)) => {
                Ok(IpEntry::Range(start, end))
            }
            _ => Err(IpEntryError::MixedFamilies { entry: owned() }),
        };
    }
    Ok(IpEntry::Single(parse_ip(entry, entry, ' ')?))
}

/// Splits a pasted block (one per line, or separated by commas, semicolons,
/// tabs or spaces) into entries, in order, dropping empty pieces, so an
/// administrator can paste a list from a firewall rule or a spreadsheet.
pub fn split_pasted(text: &str) -> Vec<String> {
    text.split(['\n', '\r', ',', ';', '\t', ' '])
        .filter(|piece| !piece.is_empty())
        .map(str::to_string)
        .collect()
}

/// The verdict on one entry of a list: whether it parses, and whether an
/// earlier entry already says the same thing.
#[derive(Clone, PartialEq, Eq, Debug)]
pub struct EntryCheck {
    /// The parsed entry, or why it cannot be sent.
    pub result: Result<IpEntry, IpEntryError>,
    /// Index of the first entry with the same canonical form, if this one
    /// repeats it (only for entries that parse).
    pub duplicate_of: Option<usize>,
}

impl EntryCheck {
    /// Whether this entry can be sent as it is.
    pub fn is_ok(&self) -> bool {
        self.result.is_ok() && self.duplicate_of.is_none()
    }
}

/// Checks every entry of a list, one check per entry in the same order, so
/// the page can mark each bad row. Duplicates are found on the canonical
/// form, so `2001:DB8::1` repeats `2001:db8::1`.
pub fn check_list(entries: &[String]) -> Vec<EntryCheck> {
    let mut seen: Vec<(String, usize)> = Vec::new();
    entries
        .iter()
        .enumerate()
        .map(|(index, text)| {
            let result = parse_entry(text);
            let duplicate_of = match &result {
                Ok(entry) => {
                    let canonical = entry.canonical();
                    match seen.iter().find(|(c, _)| *c == canonical) {
                        Some((_, first)) => Some(*first),
                        None => {
                            seen.push((canonical, index));
                            None
                        }
                    }
                }
                Err(_) => None,
            };
            EntryCheck {
                result,
                duplicate_of,
            }
        })
        .collect()
}

/// Whether a checked list may be sent: every entry parses and none repeats.
/// An empty list is sendable (it means "no trusted IPs").
pub fn list_is_sendable(checks: &[EntryCheck]) -> bool {
    checks.iter().all(EntryCheck::is_ok)
}

/// The message for an entry that repeats an earlier one (indexes 0-based;
/// the message counts from 1 as people do).
pub fn duplicate_message(entry: &str, first_index: usize) -> String {
    format!(
        "“{}” is the same as entry {}. Remove one of them.",
        shorten(entry.trim(), 40),
        first_index + 1
    )
}

/// The list to send, in canonical form, or every problem as
/// `(index, message)` so nothing invalid can reach the server.
pub fn canonical_list(entries: &[String]) -> Result<Vec<String>, Vec<(usize, String)>> {
    let checks = check_list(entries);
    let mut list = Vec::with_capacity(checks.len());
    let mut problems = Vec::new();
    for (index, check) in checks.iter().enumerate() {
        match (&check.result, check.duplicate_of) {
            (Err(error), _) => problems.push((index, error.message())),
            (Ok(_), Some(first)) => {
                problems.push((index, duplicate_message(&entries[index], first)))
            }
            (Ok(entry), None) => list.push(entry.canonical()),
        }
    }
    if problems.is_empty() {
        Ok(list)
    } else {
        Err(problems)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Expected outcome of a table row: the canonical text, or the error kind.
    #[derive(Debug)]
    enum Want<'a> {
        Ok(&'a str),
        Empty,
        Space,
        TooLong,
        NotIp(&'a str),
        Missing(char),
        Mixed,
        Reversed,
        BadPrefix,
        PrefixRange(u8),
        TooMany(char),
        Both,
    }

    fn matches(want: &Want<'_>, got: &Result<IpEntry, IpEntryError>) -> bool {
        use IpEntryError as E;
        match (want, got) {
            (Want::Ok(text), Ok(entry)) => entry.canonical() == *text,
            (Want::Empty, Err(E::Empty)) => true,
            (Want::Space, Err(E::ContainsWhitespace { .. })) => true,
            (Want::TooLong, Err(E::TooLong { .. })) => true,
            (Want::NotIp(p), Err(E::NotAnIp { part, .. })) => part == p,
            (Want::Missing(s), Err(E::MissingAddress { separator, .. })) => separator == s,
            (Want::Mixed, Err(E::MixedFamilies { .. })) => true,
            (Want::Reversed, Err(E::ReversedRange { .. })) => true,
            (Want::BadPrefix, Err(E::BadPrefix { .. })) => true,
            (Want::PrefixRange(m), Err(E::PrefixOutOfRange { max, .. })) => max == m,
            (Want::TooMany(s), Err(E::TooManySeparators { separator, .. })) => separator == s,
            (Want::Both, Err(E::BothSeparators { .. })) => true,
            _ => false,
        }
    }

    #[test]
    fn parse_entry_table() {
        let long = "1".repeat(500);
        let exactly_100 = format!("{}1", "0".repeat(99));
        let rows: Vec<(&str, Want)> = vec![
            // Valid single addresses.
            ("192.0.2.10", Want::Ok("192.0.2.10")),
            (" 192.0.2.1 ", Want::Ok("192.0.2.1")),
            ("\t192.0.2.1\r\n", Want::Ok("192.0.2.1")),
            ("0.0.0.0", Want::Ok("0.0.0.0")),
            ("255.255.255.255", Want::Ok("255.255.255.255")),
            ("::1", Want::Ok("::1")),
            ("::", Want::Ok("::")),
            ("2001:DB8::1", Want::Ok("2001:db8::1")),
            (
                "2001:0db8:0000:0000:0000:0000:0000:0001",
                Want::Ok("2001:db8::1"),
            ),
            ("::ffff:192.0.2.1", Want::Ok("::ffff:192.0.2.1")),
            ("fe80::1", Want::Ok("fe80::1")),
            // Valid CIDR blocks.
            ("10.0.0.0/8", Want::Ok("10.0.0.0/8")),
            ("0.0.0.0/0", Want::Ok("0.0.0.0/0")),
            ("203.0.113.0/24", Want::Ok("203.0.113.0/24")),
            ("192.0.2.1/32", Want::Ok("192.0.2.1/32")),
            ("10.1.2.3/8", Want::Ok("10.1.2.3/8")),
            ("10.0.0.0/08", Want::Ok("10.0.0.0/8")),
            ("2001:db8::/32", Want::Ok("2001:db8::/32")),
            ("2001:DB8::/128", Want::Ok("2001:db8::/128")),
            ("::/0", Want::Ok("::/0")),
            // Valid ranges.
            (
                "198.51.100.1-198.51.100.20",
                Want::Ok("198.51.100.1-198.51.100.20"),
            ),
            ("192.0.2.5-192.0.2.5", Want::Ok("192.0.2.5-192.0.2.5")),
            (
                "2001:db8::1-2001:db8::ff",
                Want::Ok("2001:db8::1-2001:db8::ff"),
            ),
            (
                "2001:DB8::1-2001:db8:0::FF",
                Want::Ok("2001:db8::1-2001:db8::ff"),
            ),
            ("9.255.255.255-10.0.0.0", Want::Ok("9.255.255.255-10.0.0.0")),
            // Empty and whitespace.
            ("", Want::Empty),
            ("   ", Want::Empty),
            ("\n\t", Want::Empty),
            ("1.2.3.4 /24", Want::Space),
            ("1.2.3.4/ 24", Want::Space),
            ("1.2.3.4 - 1.2.3.9", Want::Space),
            ("1.2.3.4 1.2.3.5", Want::Space),
            ("\u{a0}1.2.3.4", Want::Space),
            ("1.2.3.4\u{3000}", Want::Space),
            // Length.
            (long.as_str(), Want::TooLong),
            (exactly_100.as_str(), Want::NotIp(exactly_100.as_str())),
            // Not an address.
            ("999.999.999.999", Want::NotIp("999.999.999.999")),
            ("256.0.0.1", Want::NotIp("256.0.0.1")),
            ("1.2.3", Want::NotIp("1.2.3")),
            ("1.2.3.4.5", Want::NotIp("1.2.3.4.5")),
            ("01.2.3.4", Want::NotIp("01.2.3.4")),
            ("1.2.3.4:80", Want::NotIp("1.2.3.4:80")),
            ("[::1]", Want::NotIp("[::1]")),
            ("[::1]:443", Want::NotIp("[::1]:443")),
            ("fe80::1%eth0", Want::NotIp("fe80::1%eth0")),
            ("fe80::1%2", Want::NotIp("fe80::1%2")),
            ("１.２.３.４", Want::NotIp("１.２.３.４")),
            ("١٢٣.1.1.1", Want::NotIp("١٢٣.1.1.1")),
            ("localhost", Want::NotIp("localhost")),
            ("*", Want::NotIp("*")),
            ("1.2.3.*", Want::NotIp("1.2.3.*")),
            ("0x7f.0.0.1", Want::NotIp("0x7f.0.0.1")),
            ("2130706433", Want::NotIp("2130706433")),
            ("1:2:3:4:5:6:7:8:9", Want::NotIp("1:2:3:4:5:6:7:8:9")),
            ("2001:db8:::1", Want::NotIp("2001:db8:::1")),
            ("gggg::1", Want::NotIp("gggg::1")),
            ("1.2.3.4\u{0}", Want::NotIp("1.2.3.4\u{0}")),
            ("a.b.c.d/24", Want::NotIp("a.b.c.d")),
            ("1.2.3/24", Want::NotIp("1.2.3")),
            ("1.2.3.4-1.2.3.x", Want::NotIp("1.2.3.x")),
            ("[::1]-[::2]", Want::NotIp("[::1]")),
            // Missing address next to a separator.
            ("/24", Want::Missing('/')),
            ("1.2.3.4-", Want::Missing('-')),
            ("-1.2.3.4", Want::Missing('-')),
            ("-", Want::Missing('-')),
            // Ranges.
            ("1.2.3.4-1.2.3.1", Want::Reversed),
            ("2001:db8::ff-2001:db8::1", Want::Reversed),
            ("1.2.3.4-::1", Want::Mixed),
            ("::1-1.2.3.4", Want::Mixed),
            ("::ffff:1.2.3.4-1.2.3.5", Want::Mixed),
            // Prefixes.
            ("1.2.3.4/33", Want::PrefixRange(32)),
            ("1.2.3.4/99999999999", Want::PrefixRange(32)),
            ("2001:db8::/129", Want::PrefixRange(128)),
            ("1.2.3.4/-1", Want::BadPrefix),
            ("1.2.3.4/", Want::BadPrefix),
            ("1.2.3.4/0x10", Want::BadPrefix),
            ("1.2.3.4/+8", Want::BadPrefix),
            ("1.2.3.4/２４", Want::BadPrefix),
            ("1.2.3.4/24.0", Want::BadPrefix),
            ("/", Want::Missing('/')),
            // Separators.
            ("1.2.3.4/24/8", Want::TooMany('/')),
            ("1.2.3.4-5.6.7.8-9.9.9.9", Want::TooMany('-')),
            ("not-an-ip", Want::TooMany('-')),
            ("1.2.3.4-1.2.3.9/24", Want::Both),
            ("1.2.3.0/24-1.2.4.0", Want::BadPrefix),
        ];
        assert!(rows.len() >= 60, "only {} rows", rows.len());
        for (input, want) in &rows {
            let got = parse_entry(input);
            assert!(
                matches(want, &got),
                "{input:?}: wanted {want:?}, got {got:?}"
            );
        }
    }

    #[test]
    fn parsed_variants() {
        let v4 = |s: &str| IpAddr::from_str(s).unwrap();
        assert_eq!(
            parse_entry("192.0.2.10"),
            Ok(IpEntry::Single(v4("192.0.2.10")))
        );
        assert_eq!(
            parse_entry("10.0.0.0/8"),
            Ok(IpEntry::Cidr(v4("10.0.0.0"), 8))
        );
        assert_eq!(
            parse_entry("1.1.1.1-1.1.1.9"),
            Ok(IpEntry::Range(v4("1.1.1.1"), v4("1.1.1.9")))
        );
        assert_eq!(
            "::1".parse::<IpEntry>().unwrap().to_string(),
            "::1".to_string()
        );
    }

    #[test]
    fn error_messages() {
        let msg = |s: &str| parse_entry(s).unwrap_err().message();
        let rows: &[(&str, &str)] = &[
            ("1.2.3.4/33", "“1.2.3.4/33”: an IPv4 prefix must be between 0 and 32."),
            ("2001:db8::/129", "“2001:db8::/129”: an IPv6 prefix must be between 0 and 128."),
            ("  ", "An entry is empty. Type an IP address such as 192.0.2.10, a range such as 192.0.2.1-192.0.2.20, or a CIDR block such as 192.0.2.0/24, or remove the empty entry."),
            ("1.2.3.4 /24", "“1.2.3.4 /24” contains a space. Remove it: ranges and CIDR blocks are written without spaces, such as 192.0.2.1-192.0.2.20 or 192.0.2.0/24."),
            ("999.999.999.999", "“999.999.999.999” is not an IP address. An IPv4 address has four numbers from 0 to 255 separated by dots, such as 192.0.2.10."),
            ("01.2.3.4", "“01.2.3.4” is not an IP address. Remove the leading zeros from the numbers (write 10.1.2.3, not 010.001.002.003)."),
            ("1.2.3.4:80", "“1.2.3.4:80” is not an IP address. Remove the port number; a trusted IP never includes one."),
            ("[::1]", "“[::1]” is not an IP address. Remove the square brackets and any port number."),
            ("fe80::1%eth0", "“fe80::1%eth0” is not an IP address. Remove the zone ID (the part starting with “%”); DocSpace does not accept it."),
            ("１.２.３.４", "“１.２.３.４” is not an IP address. Type the address using only the ordinary digits 0-9, letters a-f, dots and colons."),
            ("1.2.3.*", "“1.2.3.*” is not an IP address. Wildcards are not supported; use a CIDR block such as 192.0.2.0/24 instead."),
            ("localhost", "“localhost” is not an IP address. Host names are not supported; type the numeric IP address instead."),
            ("gggg::1", "“gggg::1” is not an IP address. An IP address looks like 192.0.2.10 or 2001:db8::10."),
            ("1.2.3.4-1.2.3.x", "“1.2.3.4-1.2.3.x”: “1.2.3.x” is not an IP address. An IP address looks like 192.0.2.10 or 2001:db8::10."),
            ("a.b.c.d/24", "“a.b.c.d/24”: “a.b.c.d” is not an IP address. Host names are not supported; type the numeric IP address instead."),
            ("/24", "“/24” is missing an address on one side of “/”. Type a complete range such as 192.0.2.1-192.0.2.20 or a CIDR block such as 192.0.2.0/24."),
            ("1.2.3.4-::1", "“1.2.3.4-::1”: a range must start and end with the same kind of address, both IPv4 or both IPv6. Split it into one IPv4 range and one IPv6 range."),
            ("1.2.3.4-1.2.3.1", "“1.2.3.4-1.2.3.1”: the start of the range is after its end. Put the lower address first."),
            ("1.2.3.4/", "“1.2.3.4/” has nothing after “/”. Add the prefix length, such as 192.0.2.0/24, or remove the “/”."),
            ("1.2.3.4/0x10", "“1.2.3.4/0x10”: the prefix after “/” must be a whole number written with the digits 0-9, such as 192.0.2.0/24."),
            ("not-an-ip", "“not-an-ip” contains more than one “-”. Type an IP address such as 192.0.2.10, a range such as 192.0.2.1-192.0.2.20, or a CIDR block such as 192.0.2.0/24, one per entry."),
            ("1.2.3.4-1.2.3.9/24", "“1.2.3.4-1.2.3.9/24” mixes a range (“-”) and a CIDR block (“/”). Use one or the other, such as 192.0.2.1-192.0.2.20 or 192.0.2.0/24."),
        ];
        for (input, expected) in rows {
            assert_eq!(msg(input), *expected, "input {input:?}");
        }
        let long = "1".repeat(500);
        assert_eq!(
            msg(&long),
            "“11111111111111111111…” is 500 characters long, but an entry can have at most 100. Type an IP address such as 192.0.2.10, a range such as 192.0.2.1-192.0.2.20, or a CIDR block such as 192.0.2.0/24."
        );
        // Display and message() agree.
        let err = parse_entry("*").unwrap_err();
        assert_eq!(err.to_string(), err.message());
    }

    #[test]
    fn notes() {
        let note = |s: &str| parse_entry(s).unwrap().note();
        assert_eq!(note("192.0.2.10"), None);
        assert_eq!(note("10.0.0.0/8"), None);
        assert_eq!(note("1.1.1.1-1.1.1.9"), None);
        assert_eq!(note("2001:db8::1-2001:db8::ff"), None);
        assert!(note("0.0.0.0/0")
            .unwrap()
            .starts_with("This block matches every address"));
        assert!(note("::/0")
            .unwrap()
            .starts_with("This block matches every address"));
        assert!(note("2001:db8::/32")
            .unwrap()
            .starts_with("DocSpace matches CIDR blocks correctly only for IPv4"));
        assert!(note("10.1.2.3/8")
            .unwrap()
            .starts_with("This address has bits set after the prefix"));
        assert_eq!(note("10.1.2.3/32"), None);
        assert!(note("2001:DB8::1")
            .unwrap()
            .starts_with("DocSpace compares a single IPv6 address"));
        assert!(note("::ffff:192.0.2.1").is_some());
    }

    #[test]
    fn host_bits() {
        let ip = |s: &str| IpAddr::from_str(s).unwrap();
        assert!(!has_host_bits(ip("10.0.0.0"), 8));
        assert!(has_host_bits(ip("10.0.0.1"), 8));
        assert!(!has_host_bits(ip("10.0.0.1"), 32));
        assert!(has_host_bits(ip("0.0.0.1"), 0));
        assert!(!has_host_bits(ip("2001:db8::"), 32));
        assert!(has_host_bits(ip("2001:db8::1"), 127));
        assert!(!has_host_bits(ip("2001:db8::1"), 128));
    }

    #[test]
    fn split_pasted_table() {
        let rows: &[(&str, &[&str])] = &[
            ("", &[]),
            ("  \n\n ,;", &[]),
            ("192.0.2.1", &["192.0.2.1"]),
            (
                "192.0.2.1\n192.0.2.2\r\n10.0.0.0/8",
                &["192.0.2.1", "192.0.2.2", "10.0.0.0/8"],
            ),
            ("a, b;c\td e", &["a", "b", "c", "d", "e"]),
            (",,a,,b,,", &["a", "b"]),
            ("1.2.3.4 /24", &["1.2.3.4", "/24"]),
            ("b\na\nb", &["b", "a", "b"]),
        ];
        for (input, expected) in rows {
            assert_eq!(split_pasted(input), *expected, "input {input:?}");
        }
    }

    fn strings(items: &[&str]) -> Vec<String> {
        items.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn check_list_finds_duplicates_on_canonical_form() {
        let list = strings(&[
            "2001:db8::1",
            "10.0.0.0/8",
            "2001:DB8::1",
            "bad",
            " 10.0.0.0/8 ",
            "bad",
            "2001:db8::1",
        ]);
        let checks = check_list(&list);
        assert_eq!(checks.len(), 7);
        let dups: Vec<Option<usize>> = checks.iter().map(|c| c.duplicate_of).collect();
        assert_eq!(
            dups,
            vec![None, None, Some(0), None, Some(1), None, Some(0)]
        );
        let oks: Vec<bool> = checks.iter().map(|c| c.result.is_ok()).collect();
        assert_eq!(oks, vec![true, true, true, false, true, false, true]);
        assert!(!list_is_sendable(&checks));
    }

    #[test]
    fn sendable() {
        assert!(list_is_sendable(&check_list(&[])));
        assert!(list_is_sendable(&check_list(&strings(&[
            "192.0.2.1",
            "::1"
        ]))));
        assert!(!list_is_sendable(&check_list(&strings(&[
            "192.0.2.1",
            "192.0.2.1"
        ]))));
        assert!(!list_is_sendable(&check_list(&strings(&[
            "192.0.2.1",
            "not-an-ip"
        ]))));
    }

    #[test]
    fn canonical_list_ok_and_errors() {
        assert_eq!(
            canonical_list(&strings(&[
                " 2001:DB8::1 ",
                "10.0.0.0/08",
                "1.1.1.1-1.1.1.2"
            ])),
            Ok(strings(&["2001:db8::1", "10.0.0.0/8", "1.1.1.1-1.1.1.2"]))
        );
        assert_eq!(canonical_list(&[]), Ok(vec![]));
        assert_eq!(
            canonical_list(&strings(&["192.0.2.1", "", "192.0.2.1", "1.2.3.4/33"])),
            Err(vec![
                (1, "An entry is empty. Type an IP address such as 192.0.2.10, a range such as 192.0.2.1-192.0.2.20, or a CIDR block such as 192.0.2.0/24, or remove the empty entry.".to_string()),
                (2, "“192.0.2.1” is the same as entry 1. Remove one of them.".to_string()),
                (3, "“1.2.3.4/33”: an IPv4 prefix must be between 0 and 32.".to_string()),
            ])
        );
    }
}
