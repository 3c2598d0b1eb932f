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
}
