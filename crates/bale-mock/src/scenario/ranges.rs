//! The range every number of a scenario must lie in, so that nothing the server later
//! computes from a scenario (a deadline, a delay plus its jitter, a drip's schedule, a call
//! count) can overflow. `docs/scenarios.md` states the same limits.

use std::time::Duration;

use super::model::CallRange;

/// Delays, jitter, drips, `closing_seconds` and rate-limit windows: at most a day.
pub(super) const MAX_SPAN_SECONDS: f64 = 86_400.0;
/// Said in messages next to [`MAX_SPAN_SECONDS`].
pub(super) const SPAN: &str = "from 0 to 86400 (one day)";

/// Points on the server clock (`when.time`, a bot's `since`): within a year of its start.
pub(super) const MAX_CLOCK_SECONDS: f64 = 31_536_000.0;

/// `retry_after` of a scripted error: at most a day, like the longest span.
pub(super) const MAX_RETRY_AFTER: u64 = 86_400;

/// `seconds` as a duration when it lies in `0..=max` (never for NaN or infinities).
pub(super) fn seconds_up_to(seconds: f64, max: f64) -> Option<Duration> {
    if (0.0..=max).contains(&seconds) {
        Duration::try_from_secs_f64(seconds).ok()
    } else {
        None
    }
}

/// `calls = "a..b"` (b excluded), `"a..=b"` (b included) or `"a.."` in whole numbers: the
/// calls `first..=last`, or `None` when the range is empty, backwards, starts before call 1
/// (`"..b"` starts at 0) or holds anything but whole numbers.
pub(super) fn call_range(text: &str) -> Option<CallRange> {
    let (from, rest) = text.trim().split_once("..")?;
    let first = match from.trim() {
        "" => 0,
        from => from.parse::<u64>().ok()?,
    };
    let last = match rest.trim() {
        "" => u64::MAX,
        rest => match rest.strip_prefix('=') {
            Some(last) => last.trim().parse::<u64>().ok()?,
            // `"1..0"` ends before call 0: empty, not a wrap to "every call".
            None => rest.parse::<u64>().ok()?.checked_sub(1)?,
        },
    };
    (first >= 1 && first <= last).then_some(CallRange { first, last })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn call_ranges_are_whole_non_empty_and_start_at_one() {
        let range = |first, last| Some(CallRange { first, last });
        assert_eq!(call_range("2..5"), range(2, 4));
        assert_eq!(call_range(" 2 ..= 4 "), range(2, 4));
        assert_eq!(call_range("3.."), range(3, u64::MAX));
        assert_eq!(call_range("1..=18446744073709551615"), range(1, u64::MAX));
        for empty in [
            "1..0", "..0", "..5", "0..=3", "5..5", "5..=4", "2.0..5", "x..", "..",
        ] {
            assert_eq!(call_range(empty), None, "{empty}");
        }
    }

    #[test]
    fn seconds_outside_the_range_are_none() {
        assert_eq!(seconds_up_to(1.5, 2.0), Some(Duration::from_millis(1500)));
        assert_eq!(seconds_up_to(2.0, 2.0), Some(Duration::from_secs(2)));
        for outside in [2.000_001, -0.5, f64::NAN, f64::INFINITY, 1e20] {
            assert_eq!(seconds_up_to(outside, 2.0), None, "{outside}");
        }
    }
}
