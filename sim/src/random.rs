//! The simulator's random numbers: one lock-free generator, seeded from the
//! clock at start, for session tokens, confirm keys, trace ids and TOTP
//! secrets. Kept here so the simulator needs no extra crate for them.

use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{SystemTime, UNIX_EPOCH};

static RNG_STATE: AtomicU64 = AtomicU64::new(0x853c_49e6_748f_ea9b);

/// Mixes the clock into the generator so tokens differ between runs.
pub fn seed_rng() {
    let nanos = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_nanos() as u64)
        .unwrap_or(0);
    let mixed = splitmix(nanos ^ u64::from(std::process::id()).rotate_left(32));
    RNG_STATE.fetch_xor(mixed, Ordering::Relaxed);
}

/// SplitMix64 finaliser: a good 64-bit mixer for deterministic ids.
pub fn splitmix(mut z: u64) -> u64 {
    z = z.wrapping_add(0x9E37_79B9_7F4A_7C15);
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

pub fn random_u64() -> u64 {
    let s = RNG_STATE.fetch_add(0x9E37_79B9_7F4A_7C15, Ordering::Relaxed);
    splitmix(s)
}

const TOKEN_ALPHABET: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

/// A random alphanumeric string of `len` characters.
pub fn random_token(len: usize) -> String {
    let mut out = String::with_capacity(len);
    while out.len() < len {
        let mut r = random_u64();
        for _ in 0..8 {
            if out.len() == len {
                break;
            }
            // 62 symbols: reject the top values to stay unbiased.
            let b = (r & 0xff) as u8;
            r >>= 8;
            if b < 248 {
                out.push(TOKEN_ALPHABET[(b % 62) as usize] as char);
            }
        }
    }
    out
}

/// An 80-bit TOTP secret in base32 (16 characters).
pub fn base32_secret() -> String {
    const A: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
    let bits = (u128::from(random_u64()) << 64) | u128::from(random_u64());
    (0..16)
        .map(|i| A[((bits >> (i * 5)) & 31) as usize] as char)
        .collect()
}

/// A W3C trace id (`00-{32 hex}-{16 hex}-00`), as ASP.NET puts in a
/// problem's `traceId`.
pub fn trace_id() -> String {
    format!(
        "00-{:016x}{:016x}-{:016x}-00",
        random_u64(),
        random_u64(),
        random_u64()
    )
}
