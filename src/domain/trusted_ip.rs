//! Trusted IP entries: what an administrator typed, and what DocSpace will
//! do with it.
//!
//! Up to DocSpace 3.7.x the server accepts any text as a trusted IP, and an
//! entry containing `-` or `/` that it cannot parse makes *every* sign-in
//! fail with 500, locking the whole portal out (BUG 82994). Worse, some
//! entries that parse do not mean what they say (API notes §10.1–§10.3,
//! §10.16): a CIDR block with host bits locks the portal out up to 3.5 and
//! is silently widened from 3.6; IPv6 blocks are compared on 32 bits at
//! most; a leading zero is octal inside ranges and blocks; a single address
//! matches only when spelled as the server spells the visitor's address.
//!
//! [`parse_entry`] is the strict syntax, the same on every version;
//! [`assess`] says what a parsed entry does on a given [`Server`], with the
//! text to send (or `None` when it must not be sent) and a one-click fix.

use std::fmt;
use std::net::{IpAddr, Ipv4Addr};
use std::str::FromStr;

use super::shorten;
use crate::t;

use super::version::{Family, Server};

/// Longest entry accepted. The longest valid entry (an IPv6 range written in
/// full with embedded IPv4) is well under this, so longer text is a paste
/// gone wrong rather than an address.
pub const MAX_ENTRY_LEN: usize = 100;

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

    /// Whether the entry is a range or CIDR block (which DocSpace parses on
    /// every sign-in) rather than a single address (compared as text).
    pub fn is_range_or_block(&self) -> bool {
        !matches!(self, IpEntry::Single(_))
    }

    /// Whether the entry is an IPv6 one.
    pub fn is_ipv6(&self) -> bool {
        match self {
            IpEntry::Single(ip) | IpEntry::Range(ip, _) | IpEntry::Cidr(ip, _) => ip.is_ipv6(),
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
    /// An IPv4 number with a leading zero inside a range or CIDR block: .NET
    /// reads it as octal (`010.0.0.1` is `8.0.0.1`, §10.3), so the entry would
    /// trust other addresses than written, or fail every sign-in.
    LeadingZeros {
        /// The entry as typed, trimmed.
        entry: String,
        /// The address with the leading zero.
        part: String,
        /// What .NET reads, when it reads it at all.
        read_as: Option<Ipv4Addr>,
        /// The address read in decimal, as people mean it.
        decimal: Option<Ipv4Addr>,
    },
    /// An IPv4 address with fewer than four numbers inside a range or CIDR
    /// block: .NET expands it (`10.1` is `10.0.0.1`, §10.3).
    Shorthand {
        /// The entry as typed, trimmed.
        entry: String,
        /// The short address.
        part: String,
        /// What .NET expands it to.
        read_as: Option<Ipv4Addr>,
    },
}

impl IpEntryError {
    /// A one-click replacement, where the meaning is clear: a range or block
    /// with leading zeros, rewritten in decimal as people read it.
    pub fn fix(&self) -> Option<String> {
        let IpEntryError::LeadingZeros { entry, .. } = self else {
            return None;
        };
        let separator = if entry.contains('/') { '/' } else { '-' };
        let (a, b) = entry.split_once(separator)?;
        let decimal = |side: &str| decimal_ipv4(side).map(|ip| ip.to_string());
        let a = decimal(a).unwrap_or_else(|| a.to_string());
        let b = if separator == '/' {
            Some(b.to_string())
        } else {
            decimal(b).or(Some(b.to_string()))
        }?;
        let fixed = format!("{a}{separator}{b}");
        parse_entry(&fixed).is_ok().then_some(fixed)
    }
}

/// A hint explaining why `part` is not an address, for the common mistakes.
fn not_an_ip_hint(part: &str) -> String {
    if part.contains('%') {
        return t!(ip_hint_zone_id);
    }
    if part.contains('[') || part.contains(']') {
        return t!(ip_hint_brackets);
    }
    if let Some((host, port)) = part.split_once(':') {
        if Ipv4Addr::from_str(host).is_ok() && port.chars().all(|c| c.is_ascii_digit()) {
            return t!(ip_hint_port);
        }
    }
    if part.contains('*') {
        return t!(ip_hint_wildcard);
    }
    if !part.is_ascii() {
        return t!(ip_hint_non_ascii);
    }
    let looks_v4 = !part.is_empty() && part.chars().all(|c| c.is_ascii_digit() || c == '.');
    if looks_v4 {
        if part.split('.').any(|n| n.len() > 1 && n.starts_with('0')) {
            return t!(ip_hint_leading_zeros);
        }
        return t!(ip_hint_ipv4_form);
    }
    if !part.contains(':') && part.starts_with(|c: char| c.is_ascii_alphabetic()) {
        return t!(ip_hint_host_name);
    }
    t!(ip_hint_ip_form)
}

impl fmt::Display for IpEntryError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let quote = |text: &str| shorten(text, 40);
        let message = match self {
            IpEntryError::Empty => t!(ip_error_empty),
            IpEntryError::ContainsWhitespace { entry } => {
                t!(ip_error_whitespace, entry = quote(entry))
            }
            IpEntryError::TooLong { entry, length } => t!(
                ip_error_too_long,
                entry = shorten(entry, 20),
                n = *length,
                max = MAX_ENTRY_LEN
            ),
            IpEntryError::NotAnIp { entry, part } if part == entry => t!(
                ip_error_not_an_ip,
                entry = quote(entry),
                hint = not_an_ip_hint(part)
            ),
            IpEntryError::NotAnIp { entry, part } => t!(
                ip_error_part_not_an_ip,
                entry = quote(entry),
                part = quote(part),
                hint = not_an_ip_hint(part)
            ),
            IpEntryError::MissingAddress { entry, separator } => t!(
                ip_error_missing_address,
                entry = quote(entry),
                separator = separator.to_string()
            ),
            IpEntryError::MixedFamilies { entry } => {
                t!(ip_error_mixed_families, entry = quote(entry))
            }
            IpEntryError::ReversedRange { entry } => {
                t!(ip_error_reversed_range, entry = quote(entry))
            }
            IpEntryError::BadPrefix { entry, prefix } if prefix.is_empty() => {
                t!(ip_error_prefix_missing, entry = quote(entry))
            }
            IpEntryError::BadPrefix { entry, .. } => {
                t!(ip_error_prefix_not_a_number, entry = quote(entry))
            }
            IpEntryError::PrefixOutOfRange { entry, max, .. } if *max == 32 => t!(
                ip_error_prefix_range_v4,
                entry = quote(entry),
                max = max.to_string()
            ),
            IpEntryError::PrefixOutOfRange { entry, max, .. } => t!(
                ip_error_prefix_range_v6,
                entry = quote(entry),
                max = max.to_string()
            ),
            IpEntryError::TooManySeparators { entry, separator } => t!(
                ip_error_too_many_separators,
                entry = quote(entry),
                separator = separator.to_string()
            ),
            IpEntryError::BothSeparators { entry } => {
                t!(ip_error_both_separators, entry = quote(entry))
            }
            IpEntryError::LeadingZeros {
                entry,
                part,
                read_as,
                decimal,
            } => {
                let (entry, part) = (quote(entry), quote(part));
                match (read_as, decimal) {
                    (Some(ip), Some(fixed)) => t!(
                        ip_error_octal_read_as_fixed,
                        entry = entry,
                        part = part,
                        read_as = ip.to_string(),
                        decimal = fixed.to_string()
                    ),
                    (Some(ip), None) => t!(
                        ip_error_octal_read_as,
                        entry = entry,
                        part = part,
                        read_as = ip.to_string()
                    ),
                    (None, Some(fixed)) => t!(
                        ip_error_octal_unreadable_fixed,
                        entry = entry,
                        part = part,
                        decimal = fixed.to_string()
                    ),
                    (None, None) => t!(ip_error_octal_unreadable, entry = entry, part = part),
                }
            }
            IpEntryError::Shorthand {
                entry,
                part,
                read_as,
            } => match read_as {
                Some(ip) => t!(
                    ip_error_shorthand_read_as,
                    entry = quote(entry),
                    part = quote(part),
                    read_as = ip.to_string()
                ),
                None => t!(ip_error_shorthand, entry = quote(entry), part = quote(part)),
            },
        };
        f.write_str(&message)
    }
}

impl std::error::Error for IpEntryError {}

/// Parses one side of a range or CIDR block strictly with std's parsers: no
/// leading zeros, no shorthand, no non-ASCII digits, no zone IDs, brackets or
/// ports. The IPv4 forms that .NET reads differently from people (octal,
/// shorthand) get their own error, saying what .NET would read.
fn parse_ip(entry: &str, part: &str, separator: char) -> Result<IpAddr, IpEntryError> {
    if part.is_empty() {
        return Err(IpEntryError::MissingAddress {
            entry: entry.to_string(),
            separator,
        });
    }
    if let Ok(ip) = IpAddr::from_str(part) {
        return Ok(ip);
    }
    let numbers: Vec<&str> = part.split('.').collect();
    let all_digits = numbers
        .iter()
        .all(|n| !n.is_empty() && n.chars().all(|c| c.is_ascii_digit()));
    if all_digits && numbers.len() == 4 && numbers.iter().any(|n| n.len() > 1 && n.starts_with('0'))
    {
        return Err(IpEntryError::LeadingZeros {
            entry: entry.to_string(),
            part: part.to_string(),
            read_as: dotnet_ipv4(part),
            decimal: decimal_ipv4(part),
        });
    }
    if all_digits && (1..4).contains(&numbers.len()) {
        return Err(IpEntryError::Shorthand {
            entry: entry.to_string(),
            part: part.to_string(),
            read_as: dotnet_ipv4(part),
        });
    }
    Err(IpEntryError::NotAnIp {
        entry: entry.to_string(),
        part: part.to_string(),
    })
}

/// A single address: as [`parse_ip`], but four decimal numbers with leading
/// zeros (`010.0.0.1`) are read as people mean them. DocSpace compares a
/// single address as text, so it is sent in the form the server compares
/// ([`IpEntry::canonical`]) and the row says so.
fn parse_single(entry: &str) -> Result<IpAddr, IpEntryError> {
    match parse_ip(entry, entry, ' ') {
        Err(IpEntryError::LeadingZeros {
            decimal: Some(ip), ..
        }) => Ok(IpAddr::V4(ip)),
        Err(IpEntryError::LeadingZeros { .. } | IpEntryError::Shorthand { .. }) => {
            Err(IpEntryError::NotAnIp {
                entry: entry.to_string(),
                part: entry.to_string(),
            })
        }
        other => other,
    }
}

/// Four decimal numbers, leading zeros allowed, each 0–255.
fn decimal_ipv4(text: &str) -> Option<Ipv4Addr> {
    let numbers: Vec<u8> = text
        .split('.')
        .map(|n| if n.len() <= 3 { n.parse().ok() } else { None })
        .collect::<Option<_>>()?;
    let [a, b, c, d] = numbers[..] else {
        return None;
    };
    Some(Ipv4Addr::new(a, b, c, d))
}

/// What .NET's `IPAddress.Parse` makes of an all-digit IPv4 text (the
/// inet_aton rules): one to four numbers, a leading 0 means octal, the last
/// number fills the remaining bytes. `None` when .NET refuses it.
fn dotnet_ipv4(text: &str) -> Option<Ipv4Addr> {
    let numbers: Vec<u32> = text
        .split('.')
        .map(|n| {
            if n.len() > 1 && n.starts_with('0') {
                u32::from_str_radix(&n[1..], 8).ok()
            } else {
                n.parse().ok()
            }
        })
        .collect::<Option<_>>()?;
    let (last, head) = numbers.split_last()?;
    if head.len() > 3 || head.iter().any(|&n| n > 255) {
        return None;
    }
    let rest_bits = 8 * (4 - head.len() as u32);
    if rest_bits < 32 && *last >= 1 << rest_bits {
        return None;
    }
    let value = head
        .iter()
        .fold(0u32, |acc, &n| (acc << 8) | n)
        .checked_shl(rest_bits)
        .unwrap_or(0)
        | last;
    Some(Ipv4Addr::from(value))
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
    Ok(IpEntry::Single(parse_single(entry)?))
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

/// What an entry does on a given server, beyond its syntax: DocSpace may
/// compare it differently from how it reads (API notes §10.1–§10.3, §10.16).
#[derive(Clone, PartialEq, Eq, Debug)]
pub enum Finding {
    /// A single address typed in a form the server never compares (it
    /// compares text): it is sent as `to`.
    Rewritten {
        /// The form the server compares.
        to: String,
    },
    /// Bits set after the prefix. Up to 3.5 every sign-in that evaluates the
    /// entry fails with 500 (`locks_out`); from 3.6 the server silently uses
    /// the network `network`, which covers `first`–`last`.
    HostBits {
        /// The network form, `192.0.2.0/24`.
        network: String,
        /// The first address the block covers.
        first: IpAddr,
        /// The last address the block covers.
        last: IpAddr,
        /// The number of free bits: the block holds 2^free_bits addresses.
        free_bits: u8,
        /// This server fails every sign-in with such an entry.
        locks_out: bool,
    },
    /// The server compares this block wrongly (§10.2): it trusts `trusts`
    /// instead. The range `first`–`last` is exactly the block as written.
    Miscompared {
        /// What the server really trusts.
        trusts: Trusted,
        /// The first address of the block as written.
        first: IpAddr,
        /// The last address of the block as written.
        last: IpAddr,
    },
    /// The entry covers every address of its kind: everyone signing in over
    /// it skips two-factor authentication unless they are mandatory.
    Everyone,
    /// IPv6 entries match almost nobody on this server: it cuts the
    /// visitor's address at the first colon (≤ 3.7.0, §10.16). `certain`:
    /// the portal said its version; otherwise it may.
    Ipv6NeverMatches {
        /// The portal reported a version that does this.
        certain: bool,
    },
    /// The fix starts at 1.0.0.0, not 0.0.0.0: a server that cuts IPv6
    /// visitors' addresses reads `2001:…` as `2001`, the IPv4 address
    /// 0.0.7.209, so a range from 0.0.0.0 would trust them too.
    SkipsZeroNetwork,
    /// A single IPv6 address matches only the visitor's address written
    /// exactly the same way (advice, §10.3).
    Ipv6SingleAsText,
}

/// What a 3.x server really trusts for a block it compares wrongly (§10.2).
#[derive(Clone, PartialEq, Eq, Debug)]
pub enum Trusted {
    /// Only this one IPv4 address.
    OnlyAddress(Ipv4Addr),
    /// A much larger IPv6 network, as a CIDR block such as `2001::/16`.
    LargerNetwork(String),
}

impl Finding {
    /// Whether the entry may not be sent while this holds.
    pub fn blocks(&self) -> bool {
        match self {
            Finding::HostBits { locks_out, .. } => *locks_out,
            Finding::Miscompared { .. } => true,
            _ => false,
        }
    }
}

/// The number of addresses in a block with `free_bits` free bits, when it
/// is small enough to write out; `None` above 2^40 (the message says 2^n).
fn address_count(free_bits: u8) -> Option<u64> {
    (free_bits <= 40).then(|| 1u64 << free_bits)
}

impl fmt::Display for Finding {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let message = match self {
            Finding::Rewritten { to } => t!(ip_finding_rewritten, to = to),
            Finding::HostBits {
                network,
                first,
                last,
                free_bits,
                locks_out,
            } => {
                let (first, last) = (first.to_string(), last.to_string());
                match (locks_out, address_count(*free_bits)) {
                    (true, Some(count)) => t!(
                        ip_finding_host_bits_lockout,
                        network = network,
                        first = first,
                        last = last,
                        n = count
                    ),
                    (true, None) => t!(
                        ip_finding_host_bits_lockout_power,
                        network = network,
                        first = first,
                        last = last,
                        bits = *free_bits
                    ),
                    (false, Some(count)) => t!(
                        ip_finding_host_bits_widened,
                        network = network,
                        first = first,
                        last = last,
                        n = count
                    ),
                    (false, None) => t!(
                        ip_finding_host_bits_widened_power,
                        network = network,
                        first = first,
                        last = last,
                        bits = *free_bits
                    ),
                }
            }
            Finding::Miscompared {
                trusts,
                first,
                last,
            } => {
                let (first, last) = (first.to_string(), last.to_string());
                match trusts {
                    Trusted::OnlyAddress(address) => t!(
                        ip_finding_miscompared_address,
                        address = address.to_string(),
                        first = first,
                        last = last
                    ),
                    Trusted::LargerNetwork(network) => t!(
                        ip_finding_miscompared_network,
                        network = network,
                        first = first,
                        last = last
                    ),
                }
            }
            Finding::Everyone => t!(ip_finding_everyone),
            Finding::Ipv6NeverMatches { certain: true } => t!(ip_finding_ipv6_never_matches),
            Finding::Ipv6NeverMatches { certain: false } => t!(ip_finding_ipv6_may_never_match),
            Finding::SkipsZeroNetwork => t!(ip_finding_skips_zero_network),
            Finding::Ipv6SingleAsText => t!(ip_finding_ipv6_single_as_text),
        };
        f.write_str(&message)
    }
}

/// The verdict on a parsed entry for one server.
#[derive(Clone, PartialEq, Eq, Debug)]
pub struct Assessment {
    /// What the row says, dangers first.
    pub findings: Vec<Finding>,
    /// The text sent for this entry; `None` while it blocks the save.
    pub send: Option<String>,
    /// A one-click replacement for the typed text, when it should change.
    pub fix: Option<String>,
}

/// The first and last address of the block `ip/prefix`.
fn block_bounds(ip: IpAddr, prefix: u8) -> (IpAddr, IpAddr) {
    match ip {
        IpAddr::V4(v4) => {
            let mask = u32::MAX.checked_shl(32 - u32::from(prefix)).unwrap_or(0);
            let first = u32::from(v4) & mask;
            (IpAddr::V4(first.into()), IpAddr::V4((first | !mask).into()))
        }
        IpAddr::V6(v6) => {
            let mask = u128::MAX.checked_shl(128 - u32::from(prefix)).unwrap_or(0);
            let first = u128::from(v6) & mask;
            (IpAddr::V6(first.into()), IpAddr::V6((first | !mask).into()))
        }
    }
}

/// The number of leading bits DocSpace 3.x really compares for a CIDR
/// prefix: it compares the first 32 bits under `-1 << (32 - prefix)`, and C#
/// masks the shift count to 5 bits (§10.2).
fn compared_bits(prefix: u8) -> u8 {
    32 - ((32 - i32::from(prefix)) & 31) as u8
}

/// Whether a 3.x server compares `ip/prefix` as written.
fn compared_correctly(prefix: u8) -> bool {
    (1..=32).contains(&prefix)
}

/// What a 3.x server trusts for the block whose network is `network/prefix`.
fn really_trusted(network: IpAddr, prefix: u8) -> Trusted {
    let bits = compared_bits(prefix);
    match network {
        IpAddr::V4(v4) => Trusted::OnlyAddress(v4),
        IpAddr::V6(_) => {
            let (first, _) = block_bounds(network, bits);
            Trusted::LargerNetwork(format!("{first}/{bits}"))
        }
    }
}

/// Assesses a parsed entry, typed as `typed`, for `server`.
pub fn assess(entry: &IpEntry, typed: &str, server: &Server) -> Assessment {
    let typed = typed.trim_matches(|c: char| c.is_ascii_whitespace());
    let mut findings = Vec::new();
    let mut send = Some(entry.canonical());
    let mut fix = None;
    match *entry {
        IpEntry::Single(ip) => {
            if typed != entry.canonical() {
                findings.push(Finding::Rewritten {
                    to: entry.canonical(),
                });
                fix = Some(entry.canonical());
            }
            if ip.is_ipv6() && !server.truncates_ipv6_visitors() && fix.is_none() {
                findings.push(Finding::Ipv6SingleAsText);
            }
        }
        IpEntry::Range(start, end) => {
            let full = match (start, end) {
                (IpAddr::V4(a), IpAddr::V4(b)) => u32::from(a) == 0 && u32::from(b) == u32::MAX,
                (IpAddr::V6(a), IpAddr::V6(b)) => u128::from(a) == 0 && u128::from(b) == u128::MAX,
                _ => false,
            };
            if full {
                findings.push(Finding::Everyone);
            }
        }
        IpEntry::Cidr(ip, prefix) => {
            let (first, last) = block_bounds(ip, prefix);
            let network = format!("{first}/{prefix}");
            let max: u8 = if ip.is_ipv4() { 32 } else { 128 };
            if server.miscompares_cidr() && !compared_correctly(prefix) {
                // A cut IPv6 visitor ("2001") reads as an address in 0.0.0.0/16.
                let from = match first {
                    IpAddr::V4(v4) if server.truncates_ipv6_visitors() && v4.octets()[0] == 0 => {
                        findings.push(Finding::SkipsZeroNetwork);
                        IpAddr::V4(Ipv4Addr::new(1, 0, 0, 0))
                    }
                    _ => first,
                };
                findings.push(Finding::Miscompared {
                    trusts: really_trusted(first, prefix),
                    first: from,
                    last,
                });
                fix = Some(format!("{from}-{last}"));
                send = None;
            } else if has_host_bits(ip, prefix) {
                let locks_out = server.host_bits_lock_out();
                findings.push(Finding::HostBits {
                    network: network.clone(),
                    first,
                    last,
                    free_bits: max - prefix,
                    locks_out,
                });
                fix = Some(network.clone());
                send = (!locks_out).then_some(network);
            }
            if prefix == 0 {
                findings.push(Finding::Everyone);
            }
        }
    }
    if entry.is_ipv6() && server.truncates_ipv6_visitors() {
        findings.push(Finding::Ipv6NeverMatches {
            certain: server.family != Family::Unknown,
        });
    }
    crate::domain::order::sort_by(&mut findings, |a, b| b.blocks().cmp(&a.blocks()));
    Assessment {
        findings,
        send,
        fix,
    }
}

/// The verdict on one entry of a list: whether it parses, what it does on
/// this server, and whether an earlier entry already says the same thing.
#[derive(Clone, PartialEq, Eq, Debug)]
pub struct EntryCheck {
    /// The parsed entry, or why it cannot be sent.
    pub result: Result<IpEntry, IpEntryError>,
    /// What the parsed entry does on this server (`None` when it did not parse).
    pub assessment: Option<Assessment>,
    /// Index of the first entry that sends the same text, if this one
    /// repeats it (only for entries that parse).
    pub duplicate_of: Option<usize>,
}

impl EntryCheck {
    /// The text this entry sends, when it can be sent as it is.
    pub fn send(&self) -> Option<&str> {
        if self.duplicate_of.is_some() {
            return None;
        }
        self.assessment.as_ref()?.send.as_deref()
    }

    /// Whether this entry can be sent.
    pub fn is_ok(&self) -> bool {
        self.send().is_some()
    }

    /// Whether this entry blocks the save because of what it would do on
    /// the server (it parses, but sending it would lock out or widen).
    pub fn is_dangerous(&self) -> bool {
        self.assessment.as_ref().is_some_and(|a| a.send.is_none())
    }
}

/// Checks every entry of a list for `server`, one check per entry in the
/// same order, so the page can mark each row. Repeats are found on the text
/// each entry sends, so `2001:DB8::1` repeats `2001:db8::1`, and
/// `192.0.2.10/24` repeats `192.0.2.0/24` where the server reads it so.
pub fn check_list(entries: &[String], server: &Server) -> Vec<EntryCheck> {
    let mut seen: Vec<(String, usize)> = Vec::new();
    entries
        .iter()
        .enumerate()
        .map(|(index, text)| {
            let result = parse_entry(text);
            let assessment = result.as_ref().ok().map(|e| assess(e, text, server));
            let key = match (&result, &assessment) {
                (Ok(entry), Some(a)) => Some(a.send.clone().unwrap_or_else(|| entry.canonical())),
                _ => None,
            };
            let duplicate_of = key.and_then(|key| match seen.iter().find(|(k, _)| *k == key) {
                Some((_, first)) => Some(*first),
                None => {
                    seen.push((key, index));
                    None
                }
            });
            EntryCheck {
                result,
                assessment,
                duplicate_of,
            }
        })
        .collect()
}

/// Whether a checked list may be sent: every entry parses, none repeats,
/// none would lock out or widen. An empty list is sendable.
pub fn list_is_sendable(checks: &[EntryCheck]) -> bool {
    checks.iter().all(EntryCheck::is_ok)
}

/// The texts to send for a checked list, in order, leaving out entries that
/// cannot be sent (callers block such lists; this is the last safeguard).
pub fn texts_to_send(checks: &[EntryCheck]) -> Vec<String> {
    checks
        .iter()
        .filter_map(|c| c.send().map(str::to_string))
        .collect()
}

/// Whether saving this list exposes IPv6 visitors to failed sign-ins: up to
/// 3.6, once the list holds any range or CIDR entry, every sign-in from an
/// IPv6 address such as `2a02:…` fails with 500 (§10.16). The panel cannot
/// prevent it; the administrator must confirm it knowingly.
pub fn breaks_ipv6_visitors(checks: &[EntryCheck], server: &Server) -> bool {
    server.truncates_ipv6_visitors()
        && checks
            .iter()
            .any(|c| c.result.as_ref().is_ok_and(IpEntry::is_range_or_block))
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
        LeadingZeros(&'a str),
        Shorthand(&'a str),
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
            (Want::LeadingZeros(p), Err(E::LeadingZeros { part, .. })) => part == p,
            (Want::Shorthand(p), Err(E::Shorthand { part, .. })) => part == p,
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
            // A single address with leading zeros is read in decimal (and
            // the row says it is sent rewritten); inside ranges and blocks
            // .NET would read it as octal, so it is refused there.
            ("01.2.3.4", Want::Ok("1.2.3.4")),
            ("010.000.000.001", Want::Ok("10.0.0.1")),
            ("0300.0.0.1", Want::NotIp("0300.0.0.1")),
            ("10.1", Want::NotIp("10.1")),
            ("010.0.0.1-010.0.0.9", Want::LeadingZeros("010.0.0.1")),
            ("10.0.0.1-10.0.0.09", Want::LeadingZeros("10.0.0.09")),
            ("010.0.0.0/8", Want::LeadingZeros("010.0.0.0")),
            ("10.1-10.9", Want::Shorthand("10.1")),
            ("10.0.0.0/8-x", Want::BadPrefix),
            ("10/8", Want::Shorthand("10")),
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
            ("1.2.3/24", Want::Shorthand("1.2.3")),
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
        let msg = |s: &str| parse_entry(s).unwrap_err().to_string();
        let rows: &[(&str, &str)] = &[
            ("1.2.3.4/33", "“1.2.3.4/33”: an IPv4 prefix must be between 0 and 32."),
            ("2001:db8::/129", "“2001:db8::/129”: an IPv6 prefix must be between 0 and 128."),
            ("  ", "An entry is empty. Type an IP address such as 192.0.2.10, a range such as 192.0.2.1-192.0.2.20, or a CIDR block such as 192.0.2.0/24, or remove the empty entry."),
            ("1.2.3.4 /24", "“1.2.3.4 /24” contains a space. Remove it: ranges and CIDR blocks are written without spaces, such as 192.0.2.1-192.0.2.20 or 192.0.2.0/24."),
            ("999.999.999.999", "“999.999.999.999” is not an IP address. An IPv4 address has four numbers from 0 to 255 separated by dots, such as 192.0.2.10."),
            ("0300.0.0.1", "“0300.0.0.1” is not an IP address. Remove the leading zeros from the numbers (write 10.1.2.3, not 010.001.002.003)."),
            ("010.0.0.1-010.0.0.9", "“010.0.0.1-010.0.0.9”: DocSpace reads a number that starts with 0 as octal, so “010.0.0.1” would mean 8.0.0.1. Write it without leading zeros: 10.0.0.1."),
            ("10.0.0.0-10.0.0.09", "“10.0.0.0-10.0.0.09”: DocSpace reads a number that starts with 0 as octal and cannot read “10.0.0.09” at all, which would make every sign-in fail. Write it without leading zeros: 10.0.0.9."),
            ("10.1-10.0.0.9", "“10.1-10.0.0.9”: “10.1” has fewer than four numbers, and DocSpace would read it as 10.0.0.1. Write all four numbers, such as 192.0.2.10."),
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

    fn server(version: &str) -> Server {
        Server::from_reported(Some(version))
    }

    /// The servers the rules tell apart: a pretended 3.5, 3.6, 3.7, next,
    /// the seed contract and an unknown version.
    fn servers() -> Vec<(&'static str, Server)> {
        vec![
            ("3.5", server("3.5.2")),
            ("3.6", server("3.6.1")),
            ("3.7", server("3.7.2")),
            ("next", server("3.9.0")),
            ("seed", server("seed")),
            ("unknown", Server::unknown()),
        ]
    }

    #[test]
    fn check_list_finds_duplicates_on_the_text_sent() {
        let list = strings(&[
            "2001:db8::1",
            "10.0.0.0/8",
            "2001:DB8::1",
            "bad",
            " 10.0.0.0/8 ",
            "bad",
            "2001:db8::1",
            "10.1.2.3/8",
        ]);
        let checks = check_list(&list, &server("3.7.2"));
        assert_eq!(checks.len(), 8);
        let dups: Vec<Option<usize>> = checks.iter().map(|c| c.duplicate_of).collect();
        // 3.7 reads 10.1.2.3/8 as 10.0.0.0/8, and it is sent so.
        assert_eq!(
            dups,
            vec![None, None, Some(0), None, Some(1), None, Some(0), Some(1)]
        );
        let oks: Vec<bool> = checks.iter().map(|c| c.is_ok()).collect();
        assert_eq!(
            oks,
            vec![true, true, false, false, false, false, false, false]
        );
        assert!(!list_is_sendable(&checks));
        // On 3.5 the same entry blocks, so it is no repeat but a danger.
        let checks = check_list(&strings(&["10.0.0.0/8", "10.1.2.3/8"]), &server("3.5.2"));
        assert_eq!(checks[1].duplicate_of, None);
        assert!(checks[1].is_dangerous());
    }

    #[test]
    fn sendable() {
        let s37 = server("3.7.2");
        assert!(list_is_sendable(&check_list(&[], &s37)));
        assert!(list_is_sendable(&check_list(
            &strings(&["192.0.2.1", "::1"]),
            &s37
        )));
        assert!(!list_is_sendable(&check_list(
            &strings(&["192.0.2.1", "192.0.2.1"]),
            &s37
        )));
        assert!(!list_is_sendable(&check_list(
            &strings(&["192.0.2.1", "not-an-ip"]),
            &s37
        )));
        assert!(!list_is_sendable(&check_list(
            &strings(&["2001:db8::/48"]),
            &s37
        )));
        assert!(list_is_sendable(&check_list(
            &strings(&["2001:db8::/48"]),
            &server("seed")
        )));
    }

    /// What a row of the assessment table expects on one server.
    #[derive(Debug, PartialEq)]
    enum Verdict<'a> {
        /// Sent as this text, without a fix.
        Sent(&'a str),
        /// Sent as this text; the row offers this fix.
        SentFixable(&'a str, &'a str),
        /// Blocked until the row's fix (this text) is applied.
        Blocked(&'a str),
    }

    fn verdict(a: &Assessment) -> String {
        match (&a.send, &a.fix) {
            (Some(s), None) => format!("{:?}", Verdict::Sent(s)),
            (Some(s), Some(f)) => format!("{:?}", Verdict::SentFixable(s, f)),
            (None, Some(f)) => format!("{:?}", Verdict::Blocked(f)),
            (None, None) => "blocked without a fix".into(),
        }
    }

    #[test]
    fn assessment_table_by_server() {
        use Verdict::*;
        const V6_48: &str = "2001:db8:abcd::-2001:db8:abcd:ffff:ffff:ffff:ffff:ffff";
        const V6_ALL: &str = "::-ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff";
        const V4_ALL: &str = "0.0.0.0-255.255.255.255";
        // Where IPv6 visitors' addresses are cut, "2001:…" reads as 0.0.7.209.
        const V4_FROM_1: &str = "1.0.0.0-255.255.255.255";
        // (entry, [3.5, 3.6, 3.7, next, seed, unknown])
        let rows: Vec<(&str, [Verdict; 6])> = vec![
            (
                "192.0.2.10",
                [
                    Sent("192.0.2.10"),
                    Sent("192.0.2.10"),
                    Sent("192.0.2.10"),
                    Sent("192.0.2.10"),
                    Sent("192.0.2.10"),
                    Sent("192.0.2.10"),
                ],
            ),
            (
                "192.0.2.0/24",
                [
                    Sent("192.0.2.0/24"),
                    Sent("192.0.2.0/24"),
                    Sent("192.0.2.0/24"),
                    Sent("192.0.2.0/24"),
                    Sent("192.0.2.0/24"),
                    Sent("192.0.2.0/24"),
                ],
            ),
            // Host bits: a lock-out up to 3.5 (and when unknown), widened from 3.6.
            (
                "192.0.2.10/24",
                [
                    Blocked("192.0.2.0/24"),
                    SentFixable("192.0.2.0/24", "192.0.2.0/24"),
                    SentFixable("192.0.2.0/24", "192.0.2.0/24"),
                    SentFixable("192.0.2.0/24", "192.0.2.0/24"),
                    SentFixable("192.0.2.0/24", "192.0.2.0/24"),
                    Blocked("192.0.2.0/24"),
                ],
            ),
            // IPv6 blocks longer than /32 are compared on fewer bits by every release.
            (
                "2001:db8:abcd::/48",
                [
                    Blocked(V6_48),
                    Blocked(V6_48),
                    Blocked(V6_48),
                    Blocked(V6_48),
                    Sent("2001:db8:abcd::/48"),
                    Blocked(V6_48),
                ],
            ),
            (
                "2001:db8:abcd:12::/48",
                [
                    Blocked(V6_48),
                    Blocked(V6_48),
                    Blocked(V6_48),
                    Blocked(V6_48),
                    SentFixable("2001:db8:abcd::/48", "2001:db8:abcd::/48"),
                    Blocked(V6_48),
                ],
            ),
            (
                "2001:db8::/32",
                [
                    Sent("2001:db8::/32"),
                    Sent("2001:db8::/32"),
                    Sent("2001:db8::/32"),
                    Sent("2001:db8::/32"),
                    Sent("2001:db8::/32"),
                    Sent("2001:db8::/32"),
                ],
            ),
            (
                "::1/128",
                [
                    Blocked("::1-::1"),
                    Blocked("::1-::1"),
                    Blocked("::1-::1"),
                    Blocked("::1-::1"),
                    Sent("::1/128"),
                    Blocked("::1-::1"),
                ],
            ),
            // /0 is compared as "exactly 0.0.0.0" (IPv4) or "::/32" (IPv6).
            (
                "0.0.0.0/0",
                [
                    Blocked(V4_FROM_1),
                    Blocked(V4_FROM_1),
                    Blocked(V4_ALL),
                    Blocked(V4_ALL),
                    Sent("0.0.0.0/0"),
                    Blocked(V4_FROM_1),
                ],
            ),
            (
                "::/0",
                [
                    Blocked(V6_ALL),
                    Blocked(V6_ALL),
                    Blocked(V6_ALL),
                    Blocked(V6_ALL),
                    Sent("::/0"),
                    Blocked(V6_ALL),
                ],
            ),
            (
                "192.0.2.1/32",
                [
                    Sent("192.0.2.1/32"),
                    Sent("192.0.2.1/32"),
                    Sent("192.0.2.1/32"),
                    Sent("192.0.2.1/32"),
                    Sent("192.0.2.1/32"),
                    Sent("192.0.2.1/32"),
                ],
            ),
            // Single addresses in a form the server never compares are rewritten.
            (
                "2001:0DB8::1",
                [
                    SentFixable("2001:db8::1", "2001:db8::1"),
                    SentFixable("2001:db8::1", "2001:db8::1"),
                    SentFixable("2001:db8::1", "2001:db8::1"),
                    SentFixable("2001:db8::1", "2001:db8::1"),
                    SentFixable("2001:db8::1", "2001:db8::1"),
                    SentFixable("2001:db8::1", "2001:db8::1"),
                ],
            ),
            (
                "010.0.0.1",
                [
                    SentFixable("10.0.0.1", "10.0.0.1"),
                    SentFixable("10.0.0.1", "10.0.0.1"),
                    SentFixable("10.0.0.1", "10.0.0.1"),
                    SentFixable("10.0.0.1", "10.0.0.1"),
                    SentFixable("10.0.0.1", "10.0.0.1"),
                    SentFixable("10.0.0.1", "10.0.0.1"),
                ],
            ),
            // Ranges are compared byte by byte: sent in canonical form.
            (
                "2001:DB8::1-2001:db8::ff",
                [
                    Sent("2001:db8::1-2001:db8::ff"),
                    Sent("2001:db8::1-2001:db8::ff"),
                    Sent("2001:db8::1-2001:db8::ff"),
                    Sent("2001:db8::1-2001:db8::ff"),
                    Sent("2001:db8::1-2001:db8::ff"),
                    Sent("2001:db8::1-2001:db8::ff"),
                ],
            ),
        ];
        let servers = servers();
        for (entry, verdicts) in &rows {
            let parsed = parse_entry(entry).unwrap();
            for ((name, server), want) in servers.iter().zip(verdicts) {
                let got = assess(&parsed, entry, server);
                assert_eq!(verdict(&got), format!("{want:?}"), "{entry} on {name}");
            }
        }
    }

    #[test]
    fn every_fix_is_accepted_as_typed_on_its_server() {
        for entry in [
            "192.0.2.10/24",
            "2001:db8:abcd::/48",
            "::1/128",
            "0.0.0.0/0",
            "::/0",
            "2001:0DB8::1",
            "010.0.0.1",
            "10.9.8.7/0",
            "2001:db8::1/64",
        ] {
            for (name, server) in servers() {
                let a = assess(&parse_entry(entry).unwrap(), entry, &server);
                let Some(fix) = a.fix else { continue };
                let fixed = check_list(std::slice::from_ref(&fix), &server);
                assert!(fixed[0].is_ok(), "{entry} → {fix} on {name}: {fixed:?}");
                assert_eq!(fixed[0].send(), Some(fix.as_str()), "{entry} on {name}");
                assert!(fixed[0].assessment.as_ref().unwrap().fix.is_none());
            }
        }
    }

    #[test]
    fn what_the_findings_say() {
        let says = |entry: &str, version: &str| -> Vec<String> {
            assess(&parse_entry(entry).unwrap(), entry, &server(version))
                .findings
                .iter()
                .map(ToString::to_string)
                .collect()
        };
        assert_eq!(
            says("192.0.2.10/24", "3.7.2"),
            ["This address has bits set after the prefix, so DocSpace trusts the whole network 192.0.2.0/24: 192.0.2.0 to 192.0.2.255, 256 addresses. It is saved in that form."]
        );
        assert!(says("192.0.2.10/24", "3.5.2")[0].contains("every sign-in would fail"));
        assert!(
            says("192.0.2.10/24", "3.5.2")[0].contains("192.0.2.0 to 192.0.2.255, 256 addresses")
        );
        assert!(says("2001:db8:abcd::/48", "3.7.2")[0]
            .contains("would trust the much larger network 2001::/16 instead"));
        assert!(says("::/0", "3.7.2")[0].contains("::/32"));
        assert!(says("0.0.0.0/0", "3.7.2")[0].contains("only the address 0.0.0.0"));
        assert!(says("0.0.0.0/0", "3.7.2")[1].contains("covers every address"));
        assert!(says("2001:db8::1/64", "3.7.2")[0].contains("2001:db8::/32"));
        assert!(says("2001:db8::1/65", "3.7.2")[0].contains("::/1"));
        assert!(says("2001:db8::1", "3.6.1")
            .iter()
            .any(|s| s.contains("match almost nobody")));
        assert!(says("0.0.0.0/0", "3.6.1")
            .iter()
            .any(|s| s.starts_with("The fix starts at 1.0.0.0")));
        let unknown = assess(&parse_entry("::1").unwrap(), "::1", &Server::unknown());
        assert!(unknown.findings[0]
            .to_string()
            .starts_with("The portal did not say its version"));
        assert!(says("2001:db8::1", "3.7.2")
            .iter()
            .any(|s| s.contains("as text")));
        assert!(says("2001:0db8::1", "3.7.2")[0].starts_with("Saved as 2001:db8::1"));
        assert!(says("192.0.2.1-192.0.2.9", "3.7.2").is_empty());
    }

    #[test]
    fn compared_bits_follow_the_masked_shift() {
        let rows: &[(u8, u8)] = &[
            (0, 32),
            (1, 1),
            (24, 24),
            (32, 32),
            (33, 1),
            (48, 16),
            (63, 31),
            (64, 32),
            (65, 1),
            (96, 32),
            (127, 31),
            (128, 32),
        ];
        for (prefix, bits) in rows {
            assert_eq!(compared_bits(*prefix), *bits, "/{prefix}");
        }
    }

    #[test]
    fn dotnet_reads_octal_and_shorthand() {
        let rows: &[(&str, Option<&str>)] = &[
            ("010.0.0.1", Some("8.0.0.1")),
            ("10.1", Some("10.0.0.1")),
            ("10", Some("0.0.0.10")),
            ("10.1.2", Some("10.1.0.2")),
            ("010.0.0.09", None),
            ("1.2.3.256", None),
            ("1.65536", Some("1.1.0.0")),
            ("1.16777216", None),
            ("1.65535", Some("1.0.255.255")),
        ];
        for (text, want) in rows {
            assert_eq!(
                dotnet_ipv4(text).map(|ip| ip.to_string()).as_deref(),
                *want,
                "{text}"
            );
        }
    }

    #[test]
    fn ipv6_visitors_warning_needs_a_range_or_block_on_36_or_older() {
        let ranges = check_list(&strings(&["192.0.2.1", "192.0.2.0/24"]), &server("3.6.1"));
        assert!(breaks_ipv6_visitors(&ranges, &server("3.6.1")));
        assert!(breaks_ipv6_visitors(&ranges, &Server::unknown()));
        assert!(!breaks_ipv6_visitors(&ranges, &server("3.7.1")));
        let singles = check_list(&strings(&["192.0.2.1"]), &server("3.6.1"));
        assert!(!breaks_ipv6_visitors(&singles, &server("3.6.1")));
    }

    #[test]
    fn leading_zeros_in_ranges_and_blocks_offer_the_decimal_reading() {
        let fix = |s: &str| parse_entry(s).unwrap_err().fix();
        assert_eq!(
            fix("010.0.0.1-010.0.0.9").as_deref(),
            Some("10.0.0.1-10.0.0.9")
        );
        assert_eq!(
            fix("10.0.0.1-10.0.0.09").as_deref(),
            Some("10.0.0.1-10.0.0.9")
        );
        assert_eq!(fix("010.0.0.0/8").as_deref(), Some("10.0.0.0/8"));
        assert_eq!(fix("10.1-10.9"), None);
        assert_eq!(fix("0300.0.0.1-0300.0.0.2"), None);
    }

    #[test]
    fn texts_to_send_skip_what_cannot_be_sent() {
        let checks = check_list(
            &strings(&[
                "2001:DB8::1",
                "bad",
                "192.0.2.10/24",
                "2001:db8::/48",
                "2001:db8::1",
            ]),
            &server("3.7.2"),
        );
        assert_eq!(
            texts_to_send(&checks),
            strings(&["2001:db8::1", "192.0.2.0/24"])
        );
    }
}
