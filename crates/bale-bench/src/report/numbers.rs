//! How numbers are written in the tables: thousands separators, milliseconds, MiB, ratios,
//! and whether a target was met.

/// A count (requests, req/s) rounded, with thousands separated by commas: `65,432`.
pub(super) fn rps(x: f64) -> String {
    let n = x.round() as u64;
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && matches!((digits.len() - i) % 3, 0) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// Microseconds as milliseconds with three decimals.
pub(super) fn ms(us: f64) -> String {
    format!("{:.3}", us / 1e3)
}

/// KiB as MiB with one decimal.
pub(super) fn mib(kib: u64) -> String {
    format!("{:.1} MiB", kib as f64 / 1024.0)
}

/// `a / b` as `0.93×`, or `21×` from 10 up.
pub(super) fn ratio(a: f64, b: f64) -> String {
    let r = a / b;
    if r >= 10.0 {
        format!("{r:.0}×")
    } else {
        format!("{r:.2}×")
    }
}

/// Whether a target was met, or `not measured` when it could not be evaluated.
pub(super) fn met(ok: Option<bool>) -> &'static str {
    match ok {
        Some(true) => "**met**",
        Some(false) => "**missed**",
        None => "not measured",
    }
}
