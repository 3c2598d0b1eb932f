//! Trusted-IP matching: how each server decides that the request IP is in
//! `trustedIps` (§3, §10.1–§10.3, §10.16, §10.17).
//!
//! The real profiles imitate `IPAddressRange.MatchIPs` as DocSpace ships it,
//! bugs included:
//!
//! - the request IP loses its "port" first (`GetIpWithoutPort`): up to 3.7.0
//!   it is cut at its first `:` (so `2a02:6b8::1` becomes `2a02`); from 3.7.1
//!   `[v6]:port` and `v4:port` lose the port and a bare IPv6 stays whole;
//! - an entry with a `-` after its first character is a range: both ends and
//!   then the request IP go through .NET's `IPAddress.Parse` (octal `010`,
//!   hex `0x0a`, shorthand `10.1`), and the bytes are compared one by one;
//! - otherwise an entry with a `/` after its first character is a CIDR block:
//!   `System.Net.IPNetwork.Parse` (which throws on host bits up to .NET 9,
//!   i.e. DocSpace ≤ 3.5, and clears them from .NET 10, i.e. 3.6 on), then the
//!   request IP is parsed, and only the first four bytes of each address are
//!   compared under `-1 << (32 - prefix)`, C# masking the shift count to five
//!   bits;
//! - anything else is compared as a string with the request IP.
//!
//! A parse failure is an exception (`Err`): the callers answer 500, the
//! portal lock-out of BUG 82994. `next` treats it as "no match" instead.
//!
//! The `seed` profile keeps its own contract: entries are validated on write
//! and a CIDR block or range means exactly the addresses it names.

use std::net::{IpAddr, Ipv6Addr};

/// An address the way .NET's `IPAddress` holds it: family and bytes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum NetIp {
    V4([u8; 4]),
    V6([u8; 16]),
}

impl NetIp {
    fn bytes(&self) -> &[u8] {
        match self {
            NetIp::V4(b) => b,
            NetIp::V6(b) => b,
        }
    }

    fn is_v4(&self) -> bool {
        matches!(self, NetIp::V4(_))
    }

    /// `BitConverter.ToInt32(GetAddressBytes(), 0)` read back in network
    /// order: the first four bytes as a big-endian number.
    fn first32(&self) -> u32 {
        let b = self.bytes();
        u32::from_be_bytes([b[0], b[1], b[2], b[3]])
    }

    /// The address with every bit after `prefix` cleared.
    fn network(&self, prefix: u32) -> NetIp {
        let clear = |bytes: &mut [u8]| {
            for (i, byte) in bytes.iter_mut().enumerate() {
                let start = i as u32 * 8;
                if prefix <= start {
                    *byte = 0;
                } else if prefix < start + 8 {
                    *byte &= 0xFFu8 << (8 - (prefix - start));
                }
            }
        };
        let mut out = *self;
        match &mut out {
            NetIp::V4(b) => clear(b),
            NetIp::V6(b) => clear(b),
        }
        out
    }
}

/// An exception `MatchIPs` lets escape on 3.x.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum MatchError {
    /// `FormatException` with this message.
    Format(&'static str),
    /// `IndexOutOfRangeException`: a range whose lower end is IPv6 and whose
    /// upper end is IPv4, compared against an IPv6 request IP.
    IndexOutOfRange,
}

/// `IPAddress.Parse`'s message.
pub const BAD_IP: &str = "An invalid IP address was specified.";
/// `IPNetwork.Parse`'s message.
pub const BAD_NETWORK: &str = "An invalid IP network was specified.";

impl MatchError {
    pub fn message(self) -> &'static str {
        match self {
            MatchError::Format(m) => m,
            MatchError::IndexOutOfRange => "Index was outside the bounds of the array.",
        }
    }
}

/// .NET's `IPAddress.Parse`: a string with a `:` is IPv6 (brackets, a port
/// after them and a `%scope` allowed), anything else IPv4 in .NET's
/// non-canonical form.
pub fn parse_ip(s: &str) -> Option<NetIp> {
    if s.contains(':') {
        parse_ipv6(s).map(NetIp::V6)
    } else {
        parse_ipv4(s).map(NetIp::V4)
    }
}

fn parse_ipv6(s: &str) -> Option<[u8; 16]> {
    let inner = match s.strip_prefix('[') {
        Some(rest) => {
            let (inner, after) = rest.split_once(']')?;
            let port_ok = after.is_empty()
                || after
                    .strip_prefix(':')
                    .is_some_and(|p| !p.is_empty() && p.bytes().all(|c| c.is_ascii_digit()));
            if !port_ok {
                return None;
            }
            inner
        }
        None => s,
    };
    let addr = match inner.split_once('%') {
        Some((a, scope)) if !scope.is_empty() => a,
        Some(_) => return None,
        None => inner,
    };
    addr.parse::<Ipv6Addr>().ok().map(|a| a.octets())
}

/// `IPv4AddressHelper.ParseNonCanonical` with the whole string required:
/// one to four parts separated by dots, each decimal, octal (leading `0`) or
/// hex (`0x`); the last part fills the remaining bytes, so `10.1` is
/// `10.0.0.1` and `2001` is `0.0.7.209`.
fn parse_ipv4(s: &str) -> Option<[u8; 4]> {
    let b = s.as_bytes();
    let end = b.len();
    let mut parts = [0u64; 4];
    let mut dots = 0usize;
    let mut cur = 0usize;
    let mut value = 0u64;
    let mut any = false;
    while cur < end {
        value = 0;
        let mut base = 10u64;
        if b[cur] == b'0' {
            base = 8;
            cur += 1;
            any = true;
            if cur < end && (b[cur] == b'x' || b[cur] == b'X') {
                base = 16;
                cur += 1;
                any = false;
            }
        }
        while cur < end {
            let c = b[cur];
            let digit = match c {
                b'0'..=b'7' => c - b'0',
                b'8' | b'9' if base != 8 => c - b'0',
                b'a'..=b'f' if base == 16 => c - b'a' + 10,
                b'A'..=b'F' if base == 16 => c - b'A' + 10,
                _ => break,
            };
            value = value * base + u64::from(digit);
            if value > u64::from(u32::MAX) {
                return None;
            }
            any = true;
            cur += 1;
        }
        if cur < end && b[cur] == b'.' {
            if dots >= 3 || !any || value > 0xFF {
                return None;
            }
            parts[dots] = value;
            dots += 1;
            any = false;
            cur += 1;
            continue;
        }
        break;
    }
    // .NET stops at `/`, `\`, `:`, `?` or `#` too, but `IPAddress.Parse`
    // then refuses the string because it did not reach the end.
    if !any || cur < end {
        return None;
    }
    parts[dots] = value;
    let v = match dots {
        0 => parts[0],
        1 if parts[1] <= 0xFF_FFFF => (parts[0] << 24) | parts[1],
        2 if parts[2] <= 0xFFFF => (parts[0] << 24) | (parts[1] << 16) | parts[2],
        3 if parts[3] <= 0xFF => (parts[0] << 24) | (parts[1] << 16) | (parts[2] << 8) | parts[3],
        _ => return None,
    };
    Some((v as u32).to_be_bytes())
}

/// `System.Net.IPNetwork.Parse`: `address/prefix` split at the last `/`,
/// the prefix digits only (no sign or spaces) and within the family. Up to
/// .NET 9 set host bits are an error (`host_bits_throw`); from .NET 10 they
/// are cleared. Returns the base address and the prefix.
pub fn parse_network(s: &str, host_bits_throw: bool) -> Option<(NetIp, u32)> {
    let (addr, prefix) = s.rsplit_once('/')?;
    let addr = parse_ip(addr)?;
    if prefix.is_empty() || !prefix.bytes().all(|c| c.is_ascii_digit()) {
        return None;
    }
    let prefix: i32 = prefix.parse().ok()?;
    let prefix = prefix as u32;
    if prefix > if addr.is_v4() { 32 } else { 128 } {
        return None;
    }
    let base = addr.network(prefix);
    if host_bits_throw && base != addr {
        return None;
    }
    Some((base, prefix))
}

/// The 3.x CIDR comparison (`IsInRange(string, string)`): both addresses
/// must be of one family, then only their first 32 bits are compared under
/// the mask `-1 << ((32 - prefix) & 31)`. The bits compared are therefore:
///
/// | prefix | shift | bits compared |
/// |---|---|---|
/// | 0 (IPv4 or IPv6) | 0 | 32: IPv4 `/0` matches only its base `0.0.0.0`; `::/0` is `::/32` |
/// | 1–32 | 32 − p | p (right for IPv4) |
/// | 33–63 | 64 − p | p − 32 (`2001:db8:abcd::/48` trusts `2001::/16`) |
/// | 64, 96, 128 | 0 | 32 (`::1/128` trusts `::/32`, every IPv4-mapped address) |
/// | 65–95, 97–127 | (32 − p) & 31 | p mod 32 |
pub fn cidr_3x(base: NetIp, prefix: u32, ip: NetIp) -> bool {
    // An IPv4 block never matches an IPv6 request IP and the other way
    // round: the server compares the families first and answers false.
    if base.is_v4() != ip.is_v4() {
        return false;
    }
    let shift = (32 - prefix as i32) & 31;
    let mask = u32::MAX << shift;
    (ip.first32() & mask) == (base.first32() & mask)
}

/// `IPAddressRange.IsInRange(IPAddress)`: same family as the lower end, then
/// byte by byte, inclusive. The loop runs over the lower end's bytes and
/// indexes the upper end's, so an IPv6 lower end with an IPv4 upper end can
/// overrun it.
fn in_range(lower: NetIp, upper: NetIp, ip: NetIp) -> Result<bool, MatchError> {
    if ip.is_v4() != lower.is_v4() {
        return Ok(false);
    }
    let (l, u, a) = (lower.bytes(), upper.bytes(), ip.bytes());
    let (mut at_lower, mut at_upper) = (true, true);
    let mut i = 0;
    while i < l.len() && (at_lower || at_upper) {
        let upper_byte = *u.get(i).ok_or(MatchError::IndexOutOfRange)?;
        if (at_lower && a[i] < l[i]) || (at_upper && a[i] > upper_byte) {
            return Ok(false);
        }
        at_lower &= a[i] == l[i];
        at_upper &= a[i] == upper_byte;
        i += 1;
    }
    Ok(true)
}

/// How a DocSpace release evaluates trusted IPs.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Rules {
    /// `GetIpWithoutPort` before 3.7.1: the request IP is cut at its first
    /// `:` (when that is not its first character).
    pub cut_at_first_colon: bool,
    /// .NET 8/9 (DocSpace ≤ 3.5): a CIDR entry with host bits set throws.
    pub host_bits_throw: bool,
    /// `next`: what does not parse is no match instead of an exception.
    pub lenient: bool,
}

/// Which matcher a profile uses.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Matcher {
    /// The seed contract: exact ranges and blocks, entries validated on write.
    Seed,
    /// A DocSpace release.
    DotNet(Rules),
}

/// `GetIpWithoutPort`.
pub fn ip_without_port(ip: &str, cut_at_first_colon: bool) -> &str {
    if cut_at_first_colon {
        return match ip.find(':') {
            Some(i) if i > 0 => &ip[..i],
            _ => ip,
        };
    }
    if let Some(rest) = ip.strip_prefix('[') {
        return match rest.find(']') {
            Some(end) => &rest[..end],
            None => ip,
        };
    }
    if ip.matches(':').count() == 1 {
        return ip.split(':').next().unwrap_or(ip);
    }
    ip
}

/// `IPAddressRange.MatchIPs(requestIp, entry)` on 3.x: `Err` is the
/// exception it throws.
pub fn match_entry(rules: Rules, request_ip: &str, entry: &str) -> Result<bool, MatchError> {
    let ip = ip_without_port(request_ip, rules.cut_at_first_colon);
    if let Some(dash) = entry.find('-').filter(|&i| i > 0) {
        let lower = parse_ip(entry[..dash].trim()).ok_or(MatchError::Format(BAD_IP))?;
        let upper = parse_ip(entry[dash + 1..].trim()).ok_or(MatchError::Format(BAD_IP))?;
        let ip = parse_ip(ip).ok_or(MatchError::Format(BAD_IP))?;
        return in_range(lower, upper, ip);
    }
    if entry.find('/').is_some_and(|i| i > 0) {
        let (base, prefix) =
            parse_network(entry, rules.host_bits_throw).ok_or(MatchError::Format(BAD_NETWORK))?;
        let ip = parse_ip(ip).ok_or(MatchError::Format(BAD_IP))?;
        return Ok(cidr_3x(base, prefix, ip));
    }
    Ok(ip == entry)
}

impl Matcher {
    /// `trustedIps.Any(e => MatchIPs(requestIp, e))`: the first match wins,
    /// an exception on an earlier entry escapes. A blank request IP matches
    /// nothing (`IsNullOrWhiteSpace`).
    pub fn matches_any(self, request_ip: &str, entries: &[String]) -> Result<bool, MatchError> {
        let rules = match self {
            Matcher::Seed => return Ok(seed_match(request_ip, entries)),
            Matcher::DotNet(r) => r,
        };
        if request_ip.trim().is_empty() {
            return Ok(false);
        }
        for entry in entries {
            match match_entry(rules, request_ip, entry) {
                Ok(true) => return Ok(true),
                Ok(false) => {}
                Err(_) if rules.lenient => {}
                Err(e) => return Err(e),
            }
        }
        Ok(false)
    }
}

/// `next`'s `[IpAddressOrRange]` rule for one entry: after trimming, a
/// range of two addresses, a CIDR block (.NET 10: host bits allowed) or a
/// single address, each as .NET parses it.
pub fn next_valid(entry: &str) -> bool {
    let e = entry.trim();
    if e.is_empty() {
        return false;
    }
    if let Some(dash) = e.find('-') {
        return dash > 0
            && parse_ip(e[..dash].trim()).is_some()
            && parse_ip(e[dash + 1..].trim()).is_some();
    }
    if let Some(slash) = e.find('/') {
        return slash > 0 && parse_network(e, false).is_some();
    }
    parse_ip(e).is_some()
}

// ------------------------------------------------------------------- seed

fn ip_bits(ip: IpAddr) -> (bool, u128) {
    match ip {
        IpAddr::V4(v4) => (true, u128::from(u32::from(v4))),
        IpAddr::V6(v6) => (false, u128::from(v6)),
    }
}

/// The seed contract: entries (validated and trimmed on write) are a single
/// address compared as a string, an `a-b` range or an exact CIDR block (the
/// simulator's matching before the real servers were imitated; unchanged).
fn seed_match(request_ip: &str, entries: &[String]) -> bool {
    let req = request_ip.parse::<IpAddr>().ok();
    entries.iter().any(|entry| {
        if entry.find('-').is_some_and(|p| p > 0) {
            let mut parts = entry.split('-');
            let lo = parts.next().unwrap_or("").parse::<IpAddr>();
            let hi = parts.next().unwrap_or("").parse::<IpAddr>();
            let (Ok(lo), Ok(hi), Some(req)) = (lo, hi, req) else {
                return false;
            };
            let ((f, r), (fl, l), (fh, h)) = (ip_bits(req), ip_bits(lo), ip_bits(hi));
            f == fl && f == fh && l <= r && r <= h
        } else if entry.find('/').is_some_and(|p| p > 0) {
            let (addr, prefix) = entry.split_once('/').unwrap_or((entry, ""));
            let (Ok(net), Ok(prefix), Some(req)) =
                (addr.parse::<IpAddr>(), prefix.trim().parse::<u32>(), req)
            else {
                return false;
            };
            let ((fnet, n), (fip, i)) = (ip_bits(net), ip_bits(req));
            if fnet != fip {
                return false;
            }
            let width = if fnet { 32 } else { 128 };
            let prefix = prefix.min(width);
            prefix == 0 || (n >> (width - prefix)) == (i >> (width - prefix))
        } else {
            entry == request_ip
        }
    })
}

/// The seed contract's rule on write (like `next`'s, stricter): after
/// trimming, a single IPv4/IPv6 address, an `a-b` range of two addresses of
/// one family with a ≤ b, or `ip/prefix` with a prefix that fits the family.
pub fn seed_valid(entry: &str) -> bool {
    let e = entry.trim();
    if e.is_empty() {
        return false;
    }
    if let Some((a, b)) = e.split_once('-') {
        let (Ok(a), Ok(b)) = (a.trim().parse::<IpAddr>(), b.trim().parse::<IpAddr>()) else {
            return false;
        };
        let (fa, va) = ip_bits(a);
        let (fb, vb) = ip_bits(b);
        return fa == fb && va <= vb;
    }
    if let Some((a, p)) = e.split_once('/') {
        let Ok(a) = a.trim().parse::<IpAddr>() else {
            return false;
        };
        let p = p.trim();
        if p.is_empty() || !p.bytes().all(|c| c.is_ascii_digit()) || p.len() > 3 {
            return false;
        }
        let p: u32 = p.parse().unwrap_or(999);
        return p <= if a.is_ipv4() { 32 } else { 128 };
    }
    e.parse::<IpAddr>().is_ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    const V35: Rules = Rules {
        cut_at_first_colon: true,
        host_bits_throw: true,
        lenient: false,
    };
    const V36: Rules = Rules {
        cut_at_first_colon: true,
        host_bits_throw: false,
        lenient: false,
    };
    const V37: Rules = Rules {
        cut_at_first_colon: false,
        host_bits_throw: false,
        lenient: false,
    };
    const NEXT: Rules = Rules {
        cut_at_first_colon: false,
        host_bits_throw: false,
        lenient: true,
    };

    fn v4(s: &str) -> Option<[u8; 4]> {
        match parse_ip(s)? {
            NetIp::V4(b) => Some(b),
            NetIp::V6(_) => panic!("{s} parsed as IPv6"),
        }
    }

    fn m(rules: Rules, ip: &str, entry: &str) -> Result<bool, MatchError> {
        match_entry(rules, ip, entry)
    }

    #[test]
    fn ipv4_parsing_follows_dotnet() {
        for (s, want) in [
            ("192.0.2.10", [192, 0, 2, 10]),
            ("010.0.0.1", [8, 0, 0, 1]),
            ("0x0a.0.0.1", [10, 0, 0, 1]),
            ("0X0A.0.0.0X1", [10, 0, 0, 1]),
            ("10.1", [10, 0, 0, 1]),
            ("10.1.2", [10, 1, 0, 2]),
            ("1.2.65535", [1, 2, 255, 255]),
            ("1.16777215", [1, 255, 255, 255]),
            ("2001", [0, 0, 7, 209]),
            ("4294967295", [255, 255, 255, 255]),
            ("0", [0, 0, 0, 0]),
            ("00", [0, 0, 0, 0]),
            ("0.0.0.0", [0, 0, 0, 0]),
            ("0377.0xff.255.0", [255, 255, 255, 0]),
        ] {
            assert_eq!(v4(s), Some(want), "{s}");
        }
        for s in [
            "",
            " 1.2.3.4",
            "1.2.3.4 ",
            "1.2.3.",
            "1..2",
            ".1.2.3",
            "1.2.3.4.5",
            "999.999.999.999",
            "1.2.3.256",
            "1.256.3",
            "1.2.65536",
            "4294967296",
            "08",
            "0x",
            "0xg",
            "2a02",
            "not",
            "1.2.3.4/24",
            "-1.2.3.4",
        ] {
            assert_eq!(parse_ip(s), None, "{s:?}");
        }
    }

    #[test]
    fn ipv6_parsing_accepts_brackets_ports_and_scopes() {
        let want = NetIp::V6("2001:db8::1".parse::<Ipv6Addr>().unwrap().octets());
        for s in [
            "2001:db8::1",
            "2001:0DB8::1",
            "[2001:db8::1]",
            "[2001:db8::1]:443",
            "2001:db8::1%eth0",
        ] {
            assert_eq!(parse_ip(s), Some(want), "{s}");
        }
        for s in [
            "1.2.3.4:80",
            "[2001:db8::1]x",
            "[2001:db8::1]:",
            "2001:db8::1%",
            "2a02",
        ] {
            assert_eq!(parse_ip(s), None, "{s}");
        }
        assert!(matches!(parse_ip("::ffff:192.0.2.1"), Some(NetIp::V6(_))));
    }

    #[test]
    fn networks_throw_on_host_bits_up_to_net9_and_clear_them_from_net10() {
        let net = |s: &str, throw| parse_network(s, throw);
        assert_eq!(
            net("192.0.2.0/24", true),
            Some((NetIp::V4([192, 0, 2, 0]), 24))
        );
        assert_eq!(net("192.0.2.10/24", true), None);
        assert_eq!(
            net("192.0.2.10/24", false),
            Some((NetIp::V4([192, 0, 2, 0]), 24))
        );
        assert_eq!(net("10.0.0.0/0", true), None);
        assert_eq!(net("10.0.0.0/0", false), Some((NetIp::V4([0; 4]), 0)));
        assert_eq!(
            net("10.0.0.0/08", true),
            Some((NetIp::V4([10, 0, 0, 0]), 8))
        );
        assert_eq!(net("010.0.0.0/8", true), Some((NetIp::V4([8, 0, 0, 0]), 8)));
        for bad in [
            "10.0.0.0/33",
            "10.0.0.0/ 8",
            "10.0.0.0/8 ",
            "10.0.0.0/+8",
            "10.0.0.0/-1",
            "10.0.0.0/",
            "10.0.0.0/x",
            "10.0.0.0/8/8",
            "nonsense/24",
            "2001:db8::/129",
            "10.0.0.0/99999999999",
        ] {
            assert_eq!(net(bad, false), None, "{bad}");
        }
        let (base, p) = net("2001:db8:abcd::1/48", false).unwrap();
        assert_eq!(p, 48);
        assert_eq!(
            base,
            NetIp::V6("2001:db8:abcd::".parse::<Ipv6Addr>().unwrap().octets())
        );
        assert_eq!(net("2001:db8:abcd::1/48", true), None);
    }

    /// The bits of the request IP the 3.x comparison looks at for a prefix.
    fn cidr_3x_bits(prefix: u32) -> u32 {
        32 - ((32 - prefix as i32) & 31) as u32
    }

    #[test]
    fn the_3x_mask_compares_the_documented_number_of_bits() {
        for (p, bits) in [
            (0, 32),
            (1, 1),
            (8, 8),
            (24, 24),
            (32, 32),
            (33, 1),
            (48, 16),
            (63, 31),
            (64, 32),
            (65, 1),
            (80, 16),
            (96, 32),
            (127, 31),
            (128, 32),
        ] {
            assert_eq!(cidr_3x_bits(p), bits, "/{p}");
        }
    }

    #[test]
    fn host_bits_lock_out_up_to_3_5_and_widen_from_3_6() {
        let e = "192.0.2.10/24";
        assert_eq!(
            m(V35, "192.0.2.10", e),
            Err(MatchError::Format(BAD_NETWORK))
        );
        assert_eq!(m(V35, "192.0.2.0", "192.0.2.0/24"), Ok(true));
        for rules in [V36, V37, NEXT] {
            assert_eq!(m(rules, "192.0.2.99", e), Ok(true));
            assert_eq!(m(rules, "192.0.3.1", e), Ok(false));
        }
        // next never throws: on 3.5 arithmetic it would be no match.
        let lenient35 = Rules {
            lenient: true,
            ..V35
        };
        assert_eq!(
            Matcher::DotNet(lenient35).matches_any("192.0.2.10", &[e.to_string()]),
            Ok(false)
        );
    }

    #[test]
    fn ipv4_cidr_is_right_and_slash_zero_matches_only_zero() {
        for rules in [V36, V37, NEXT] {
            assert_eq!(m(rules, "203.0.113.9", "203.0.113.0/24"), Ok(true));
            assert_eq!(m(rules, "203.0.114.9", "203.0.113.0/24"), Ok(false));
            assert_eq!(m(rules, "10.200.1.1", "10.0.0.0/8"), Ok(true));
            assert_eq!(m(rules, "0.0.0.0", "0.0.0.0/0"), Ok(true));
            assert_eq!(m(rules, "192.0.2.10", "0.0.0.0/0"), Ok(false));
            assert_eq!(m(rules, "192.0.2.10", "192.0.2.10/32"), Ok(true));
            assert_eq!(m(rules, "192.0.2.11", "192.0.2.10/32"), Ok(false));
        }
        assert_eq!(m(V36, "1.2.3.4", "10.0.0.0/0"), Ok(false));
        assert_eq!(m(V36, "0.0.0.0", "10.0.0.0/0"), Ok(true));
        assert!(m(V35, "0.0.0.0", "10.0.0.0/0").is_err());
    }

    #[test]
    fn ipv6_cidr_compares_only_the_first_32_bits_or_fewer() {
        // 3.7 and next keep IPv6 request IPs whole.
        for rules in [V37, NEXT] {
            // p ≤ 32: right.
            assert_eq!(m(rules, "2001:db8:ffff::1", "2001:db8::/32"), Ok(true));
            assert_eq!(m(rules, "2001:db9::1", "2001:db8::/32"), Ok(false));
            assert_eq!(m(rules, "2001:dff::1", "2001:d00::/24"), Ok(true));
            // 33–63: p − 32 bits, so /48 is /16.
            let e = "2001:db8:abcd::/48";
            assert_eq!(m(rules, "2001:db8:abcd::1", e), Ok(true));
            assert_eq!(m(rules, "2001:ffff::1", e), Ok(true));
            assert_eq!(m(rules, "2002::1", e), Ok(false));
            assert_eq!(m(rules, "2001:db8::1", "2001:db8::/33"), Ok(true));
            assert_eq!(m(rules, "a001:db8::1", "2001:db8::/33"), Ok(false));
            // 64 and 128: 32 bits.
            assert_eq!(m(rules, "2001:db8:0:1::9", "2001:db8::/64"), Ok(true));
            assert_eq!(m(rules, "2001:db8:ff::9", "2001:db8::/64"), Ok(true));
            assert_eq!(m(rules, "2001:db9::", "2001:db8::/64"), Ok(false));
            assert_eq!(m(rules, "2001:db8::2", "2001:db8::1/128"), Ok(true));
            // 65: one bit.
            assert_eq!(m(rules, "7fff::", "2001:db8::/65"), Ok(true));
            assert_eq!(m(rules, "8000::", "2001:db8::/65"), Ok(false));
            // ::/0 is ::/32; ::1/128 covers ::/32, IPv4-mapped addresses too.
            assert_eq!(m(rules, "::ffff:192.0.2.1", "::/0"), Ok(true));
            assert_eq!(m(rules, "0:0:1::", "::/0"), Ok(true));
            assert_eq!(m(rules, "2001:db8::1", "::/0"), Ok(false));
            assert_eq!(m(rules, "::1", "::1/128"), Ok(true));
            assert_eq!(m(rules, "::2", "::1/128"), Ok(true));
            assert_eq!(m(rules, "::ffff:192.0.2.1", "::1/128"), Ok(true));
            assert_eq!(m(rules, "2001:db8::1", "::1/128"), Ok(false));
            // An IPv6 range is compared byte by byte: right.
            let r = "2001:db8:abcd::-2001:db8:abcd:ffff:ffff:ffff:ffff:ffff";
            assert_eq!(m(rules, "2001:db8:abcd:12::1", r), Ok(true));
            assert_eq!(m(rules, "2001:db8:abce::", r), Ok(false));
            assert_eq!(m(rules, "2001:ffff::1", r), Ok(false));
        }
    }

    #[test]
    fn families_never_cross() {
        for rules in [V37, NEXT] {
            assert_eq!(m(rules, "2001:db8::1", "0.0.0.0/0"), Ok(false));
            assert_eq!(m(rules, "192.0.2.1", "::/0"), Ok(false));
            assert_eq!(m(rules, "2001:db8::1", "192.0.2.1-192.0.2.9"), Ok(false));
            assert_eq!(
                m(rules, "192.0.2.5", "2001:db8::-2001:db8::ffff"),
                Ok(false)
            );
            // The IPv4-mapped form is IPv6 for the server.
            assert_eq!(m(rules, "::ffff:192.0.2.5", "192.0.2.0/24"), Ok(false));
        }
    }

    #[test]
    fn exact_entries_are_string_equality() {
        for rules in [V37, NEXT] {
            assert_eq!(m(rules, "2001:db8::1", "2001:db8::1"), Ok(true));
            assert_eq!(m(rules, "2001:db8::1", "2001:0DB8::1"), Ok(false));
            assert_eq!(m(rules, "2001:db8::1", "2001:db8:0::1"), Ok(false));
        }
        for rules in [V36, V37, NEXT] {
            assert_eq!(m(rules, "10.0.0.1", "010.0.0.1"), Ok(false));
            assert_eq!(m(rules, "10.0.0.1", "10.1"), Ok(false));
            assert_eq!(m(rules, "10.0.0.1", " 10.0.0.1"), Ok(false));
            assert_eq!(m(rules, "10.0.0.1", "10.0.0.1"), Ok(true));
            // Not a range or a block, so never parsed: no exception.
            assert_eq!(m(rules, "10.0.0.1", "999.999.999.999"), Ok(false));
        }
    }

    #[test]
    fn octal_and_shorthand_inside_ranges_and_blocks() {
        for rules in [V36, V37, NEXT] {
            let r = "010.0.0.1-010.0.0.9";
            assert_eq!(m(rules, "8.0.0.5", r), Ok(true));
            assert_eq!(m(rules, "10.0.0.5", r), Ok(false));
            assert_eq!(m(rules, "10.0.0.1", "10.1-10.1"), Ok(true));
            assert_eq!(m(rules, "10.0.0.1", "10.1/32"), Ok(true));
            assert_eq!(m(rules, "10.1.0.1", "10.1/32"), Ok(false));
            assert_eq!(m(rules, "8.0.0.200", "010.0.0.0/24"), Ok(true));
            assert_eq!(m(rules, "10.0.0.200", " 10.0.0.1 - 10.0.0.255 "), Ok(true));
        }
    }

    #[test]
    fn request_ip_is_cut_at_its_first_colon_up_to_3_7_0() {
        let range = "192.0.2.1-192.0.2.9";
        let block = "192.0.2.0/24";
        for rules in [V35, V36] {
            // `2a02` does not parse: any range or block throws.
            assert_eq!(
                m(rules, "2a02:6b8::1", range),
                Err(MatchError::Format(BAD_IP))
            );
            assert_eq!(m(rules, "fe80::1", block), Err(MatchError::Format(BAD_IP)));
            // An exact entry is only compared: no match, no exception.
            assert_eq!(m(rules, "2a02:6b8::1", "2a02:6b8::1"), Ok(false));
            // `2001` parses as an IPv4 number (0.0.7.209).
            assert_eq!(m(rules, "2001:db8::1", block), Ok(false));
            assert_eq!(m(rules, "2001:db8::1", "0.0.7.0/24"), Ok(true));
            // A leading `:` is not cut.
            assert_eq!(m(rules, "::1", "::1"), Ok(true));
            // IPv4 with a port works.
            assert_eq!(m(rules, "192.0.2.5:5555", range), Ok(true));
            assert_eq!(m(rules, "192.0.2.5:5555", "192.0.2.5"), Ok(true));
            assert_eq!(
                m(rules, "[2001:db8::1]:443", range),
                Err(MatchError::Format(BAD_IP))
            );
        }
        for rules in [V37, NEXT] {
            assert_eq!(m(rules, "2a02:6b8::1", range), Ok(false));
            assert_eq!(m(rules, "2a02:6b8::1", "2a02:6b8::1"), Ok(true));
            assert_eq!(m(rules, "192.0.2.5:5555", "192.0.2.5"), Ok(true));
            assert_eq!(m(rules, "[2001:db8::1]:443", "2001:db8::1"), Ok(true));
            assert_eq!(m(rules, "[2001:db8::1]:443", "2001:db8::/32"), Ok(true));
        }
        assert_eq!(ip_without_port("2a02:6b8::1", true), "2a02");
        assert_eq!(ip_without_port("[::1]:80", true), "[");
        assert_eq!(ip_without_port("[::1]:80", false), "::1");
        assert_eq!(ip_without_port("[::1", false), "[::1");
        assert_eq!(ip_without_port("1.2.3.4:80", false), "1.2.3.4");
        assert_eq!(ip_without_port("2a02:6b8::1", false), "2a02:6b8::1");
    }

    #[test]
    fn malformed_entries_throw_on_3x_and_not_on_next() {
        for (entry, msg) in [
            ("not-an-ip", BAD_IP),
            ("192.0.2.10-", BAD_IP),
            ("192.0.2.1-nonsense", BAD_IP),
            ("999.999.999.999-999.999.999.999", BAD_IP),
            ("nonsense/24", BAD_NETWORK),
            ("192.0.2.0/nonsense", BAD_NETWORK),
            ("192.0.2.0/64", BAD_NETWORK),
            ("10.0.0.0/x", BAD_NETWORK),
        ] {
            for rules in [V35, V36, V37] {
                assert_eq!(
                    m(rules, "192.0.2.10", entry),
                    Err(MatchError::Format(msg)),
                    "{entry}"
                );
            }
            assert_eq!(
                Matcher::DotNet(NEXT).matches_any("192.0.2.10", &[entry.to_string()]),
                Ok(false),
                "{entry}"
            );
        }
        // `-192.0.2.10` has its dash first: it is compared as a string.
        assert_eq!(m(V37, "192.0.2.10", "-192.0.2.10"), Ok(false));
        // An IPv6 lower end with an IPv4 upper end overruns the upper bytes.
        assert_eq!(
            m(V37, "::1", "::1-1.2.3.4"),
            Err(MatchError::IndexOutOfRange)
        );
        // An unparseable request IP throws only where it is parsed.
        assert_eq!(
            m(V37, "unknown", "192.0.2.0/24"),
            Err(MatchError::Format(BAD_IP))
        );
        assert_eq!(m(V37, "unknown", "192.0.2.10"), Ok(false));
        let next = Matcher::DotNet(NEXT);
        for ip in ["unknown", ""] {
            assert_eq!(
                next.matches_any(ip, &["192.0.2.1-192.0.2.20".into()]),
                Ok(false)
            );
        }
    }

    #[test]
    fn the_first_match_wins_and_a_blank_request_ip_matches_nothing() {
        let list = |v: &[&str]| v.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        let m37 = Matcher::DotNet(V37);
        assert_eq!(
            m37.matches_any("192.0.2.10", &list(&["192.0.2.10", "not-an-ip"])),
            Ok(true)
        );
        assert!(m37
            .matches_any("192.0.2.11", &list(&["192.0.2.10", "not-an-ip"]))
            .is_err());
        assert_eq!(m37.matches_any("  ", &list(&["not-an-ip"])), Ok(false));
    }

    #[test]
    fn next_validation_matches_the_servers_tests() {
        for bad in [
            "not-an-ip",
            "999.999.999.999",
            "192.0.2.10-",
            "-192.0.2.10",
            "192.0.2.1-nonsense",
            "nonsense/24",
            "192.0.2.0/nonsense",
            "192.0.2.0/64",
            "",
            "   ",
        ] {
            assert!(!next_valid(bad), "{bad:?}");
        }
        for ok in [
            "192.0.2.10",
            "192.0.2.1-192.0.2.20",
            " 192.0.2.1 - 192.0.2.20 ",
            "192.0.2.0/24",
            "2001:db8::1",
            "2001:db8::/32",
            // .NET 10 accepts host bits and .NET's own IPv4 forms.
            "192.0.2.10/24",
            "010.0.0.1-010.0.0.9",
            "10.1",
        ] {
            assert!(next_valid(ok), "{ok:?}");
        }
    }

    #[test]
    fn seed_matching_is_unchanged() {
        let e = |v: &[&str]| v.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        for (ip, entry, want) in [
            ("192.0.2.10", "192.0.2.10", true),
            ("192.0.2.10", "192.0.2.1-192.0.2.20", true),
            ("192.0.2.10", "192.0.2.0/24", true),
            ("192.0.3.10", "192.0.2.0/24", false),
            ("2001:db9::1", "2001:db8:abcd::/48", false),
            ("2001:db8:abcd::1", "2001:db8:abcd::/48", true),
            ("192.0.2.10", "0.0.0.0/0", true),
        ] {
            assert_eq!(
                Matcher::Seed.matches_any(ip, &e(&[entry])),
                Ok(want),
                "{ip} {entry}"
            );
        }
        for ok in [
            "192.0.2.10",
            " 192.0.2.10 ",
            "2001:db8::1",
            "192.0.2.1-192.0.2.20",
            "192.0.2.0/24",
            "2001:db8::/32",
        ] {
            assert!(seed_valid(ok), "{ok}");
        }
        for bad in [
            "",
            "  ",
            "not-an-ip",
            "999.999.999.999",
            "192.0.2.20-192.0.2.1",
            "192.0.2.0/33",
            "192.0.2.0/",
            "192.0.2.1-2001:db8::1",
            "10.0.0.1/8/8",
        ] {
            assert!(!seed_valid(bad), "{bad}");
        }
    }
}
