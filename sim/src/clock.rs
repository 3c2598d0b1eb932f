//! Time: the wall clock in milliseconds and the date shapes DocSpace writes
//! (`ApiDateTime`, RFC 3339, the e-mail key timestamp).

use std::time::{SystemTime, UNIX_EPOCH};

pub fn now_ms() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_millis() as u64)
        .unwrap_or(0)
}

/// Days since 1970-01-01 to (year, month, day).
fn civil_from_days(z: i64) -> (i64, u32, u32) {
    let z = z + 719_468;
    let era = if z >= 0 { z } else { z - 146_096 } / 146_097;
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let y = yoe + era * 400;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    (if m <= 2 { y + 1 } else { y }, m, d)
}

fn split_ms(ms: u64) -> (i64, u32, u32, u64, u64, u64, u64) {
    let secs = ms / 1000;
    let (y, mo, d) = civil_from_days((secs / 86_400) as i64);
    let rem = secs % 86_400;
    (y, mo, d, rem / 3600, (rem / 60) % 60, rem % 60, ms % 1000)
}

/// `2026-07-01T12:00:00.0000000+00:00`, the shape of DocSpace's ApiDateTime.
pub fn api_datetime(ms: u64) -> String {
    let (y, mo, d, h, mi, s, milli) = split_ms(ms);
    format!("{y:04}-{mo:02}-{d:02}T{h:02}:{mi:02}:{s:02}.{milli:03}0000+00:00")
}

/// RFC 3339 in UTC with milliseconds.
pub fn rfc3339(ms: u64) -> String {
    let (y, mo, d, h, mi, s, milli) = split_ms(ms);
    format!("{y:04}-{mo:02}-{d:02}T{h:02}:{mi:02}:{s:02}.{milli:03}Z")
}

/// Days since 1970-01-01 of a civil date (proleptic Gregorian).
fn days_from_civil(y: i64, m: u32, d: u32) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = if y >= 0 { y } else { y - 399 } / 400;
    let yoe = y - era * 400;
    let mp = (m as i64 + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d as i64 - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// Reads an ISO 8601 date or date-time the way the API's date parameters
/// (`ApiDateTime`) take them: `2026-07-01`, `2026-07-01T12:00`,
/// `2026-07-01T12:00:00.123`, a space for the `T`, then `Z`, `+03:00` or
/// `+0300` (no zone: UTC). Milliseconds since 1970 (UTC), or None.
pub fn parse_iso_datetime(s: &str) -> Option<u64> {
    let s = s.trim();
    let num = |t: &str| -> Option<u32> {
        (!t.is_empty() && t.bytes().all(|b| b.is_ascii_digit()))
            .then(|| t.parse().ok())
            .flatten()
    };
    let (date, rest) = match s.find(['T', 't', ' ']) {
        Some(i) => (&s[..i], &s[i + 1..]),
        None => (s, ""),
    };
    let mut dp = date.split('-');
    let (y, mo, d) = (dp.next()?, dp.next()?, dp.next()?);
    if dp.next().is_some() || y.len() != 4 || mo.len() != 2 || d.len() != 2 {
        return None;
    }
    let (y, mo, d) = (num(y)? as i64, num(mo)?, num(d)?);
    let month_days = [
        31,
        28 + u32::from(y % 4 == 0 && (y % 100 != 0 || y % 400 == 0)),
        31,
        30,
        31,
        30,
        31,
        31,
        30,
        31,
        30,
        31,
    ];
    if !(1..=12).contains(&mo) || d == 0 || d > month_days[mo as usize - 1] {
        return None;
    }
    // The time, then the zone.
    let (time, zone) = match rest.find(['Z', 'z', '+', '-']) {
        Some(i) => (&rest[..i], &rest[i..]),
        None => (rest, ""),
    };
    let mut ms: i64 = 0;
    if !time.is_empty() {
        let (hms, frac) = match time.split_once('.') {
            Some((a, f)) => (a, Some(f)),
            None => (time, None),
        };
        let mut tp = hms.split(':');
        let h = num(tp.next()?)?;
        let mi = num(tp.next()?)?;
        let sec = match tp.next() {
            Some(x) => num(x)?,
            None => 0,
        };
        if tp.next().is_some() || h > 23 || mi > 59 || sec > 59 {
            return None;
        }
        let milli = match frac {
            Some(f) => {
                if f.is_empty() || !f.bytes().all(|b| b.is_ascii_digit()) {
                    return None;
                }
                let digits: String = f.chars().chain("000".chars()).take(3).collect();
                digits.parse::<i64>().ok()?
            }
            None => 0,
        };
        ms = ((h as i64 * 60 + mi as i64) * 60 + sec as i64) * 1000 + milli;
    } else if !zone.is_empty() {
        return None;
    }
    let offset_ms: i64 = match zone {
        "" | "Z" | "z" => 0,
        z => {
            let sign = if z.starts_with('-') { -1 } else { 1 };
            let body = z[1..].replace(':', "");
            if body.len() != 4 {
                return None;
            }
            let hh = num(&body[..2])? as i64;
            let mm = num(&body[2..])? as i64;
            if hh > 14 || mm > 59 {
                return None;
            }
            sign * (hh * 60 + mm) * 60_000
        }
    };
    let total = days_from_civil(y, mo, d) * 86_400_000 + ms - offset_ms;
    u64::try_from(total).ok()
}

/// Milliseconds since 2010-01-01, the timestamp part of DocSpace e-mail keys.
pub fn ms_since_2010(ms: u64) -> u64 {
    ms.saturating_sub(1_262_304_000_000)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates() {
        assert_eq!(api_datetime(0), "1970-01-01T00:00:00.0000000+00:00");
        assert_eq!(rfc3339(1_782_907_200_123), "2026-07-01T12:00:00.123Z");
    }

    #[test]
    fn iso_dates_parse() {
        let noon = 1_782_907_200_000;
        for s in [
            "2026-07-01T12:00:00Z",
            "2026-07-01T12:00",
            "2026-07-01 12:00:00.000",
            "2026-07-01T14:00:00+02:00",
            "2026-07-01T09:30:00-0230",
            "2026-07-01T12:00:00.0000000+00:00",
        ] {
            assert_eq!(parse_iso_datetime(s), Some(noon), "{s}");
        }
        assert_eq!(
            parse_iso_datetime("2026-07-01"),
            Some(noon - 12 * 3_600_000)
        );
        assert_eq!(
            parse_iso_datetime("2026-07-01T12:00:00.5Z"),
            Some(noon + 500)
        );
        assert_eq!(parse_iso_datetime("2024-02-29"), Some(1_709_164_800_000));
        for bad in [
            "",
            "yesterday",
            "2026-13-01",
            "2025-02-29",
            "2026-07-01T25:00",
            "2026-7-1",
            "2026-07-01Z",
            "2026-07-01T12:00+5",
        ] {
            assert_eq!(parse_iso_datetime(bad), None, "{bad}");
        }
        assert_eq!(
            api_datetime(parse_iso_datetime("1999-12-31T23:59:59.999Z").unwrap()),
            "1999-12-31T23:59:59.9990000+00:00"
        );
    }
}
