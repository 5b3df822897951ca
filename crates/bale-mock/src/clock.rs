//! The server clock: time since the server started, which tests and the control API can
//! move forward so that the 600-second rules of `logOut` and `close` are crossed at once.
//!
//! Every time-dependent rule reads this clock; nothing in the server calls
//! `Instant::now()` on its own.

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

/// A shared, cheaply cloned clock. All clones see the same time.
#[derive(Clone, Debug)]
pub struct Clock(Arc<Inner>);

#[derive(Debug)]
struct Inner {
    /// `Some(start)` for a clock that runs with real time, `None` for a manual one.
    start: Option<Instant>,
    /// Time added by [`Clock::advance`], in milliseconds.
    offset_ms: AtomicU64,
}

impl Clock {
    /// A clock that runs with real time from now on (what `bale-mock serve` uses).
    pub fn system() -> Clock {
        Clock::with_start(Some(Instant::now()))
    }

    /// A clock that stands still at zero until [`Clock::advance`] moves it, so a test decides
    /// exactly when time passes.
    pub fn manual() -> Clock {
        Clock::with_start(None)
    }

    fn with_start(start: Option<Instant>) -> Clock {
        Clock(Arc::new(Inner {
            start,
            offset_ms: AtomicU64::new(0),
        }))
    }

    /// Time since the server started.
    pub fn now(&self) -> Duration {
        let real = self.0.start.map_or(Duration::ZERO, |start| start.elapsed());
        real + Duration::from_millis(self.0.offset_ms.load(Ordering::Relaxed))
    }

    /// Moves the clock forward by `by`.
    pub fn advance(&self, by: Duration) {
        let ms = u64::try_from(by.as_millis()).unwrap_or(u64::MAX);
        self.0.offset_ms.fetch_add(ms, Ordering::Relaxed);
    }
}

impl Default for Clock {
    fn default() -> Clock {
        Clock::system()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn manual_clock_moves_only_when_advanced() {
        let clock = Clock::manual();
        assert_eq!(clock.now(), Duration::ZERO);
        let clone = clock.clone();
        clone.advance(Duration::from_secs(601));
        assert_eq!(clock.now(), Duration::from_secs(601));
    }

    #[test]
    fn system_clock_includes_the_offset() {
        let clock = Clock::system();
        clock.advance(Duration::from_secs(3600));
        assert!(clock.now() >= Duration::from_secs(3600));
    }
}
