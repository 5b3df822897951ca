//! The server clock: time since the server started, which tests and the control API can
//! move forward so that the 600-second rules of `logOut` and `close` are crossed at once.
//!
//! Every time-dependent rule reads this clock; nothing in the server calls
//! `Instant::now()` on its own.

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use tokio::sync::watch;

/// A shared, cheaply cloned clock. All clones see the same time.
#[derive(Clone, Debug)]
pub struct Clock(Arc<Inner>);

#[derive(Debug)]
struct Inner {
    /// `Some(start)` for a clock that runs with real time, `None` for a manual one.
    start: Option<Instant>,
    /// Time added by [`Clock::advance`], in milliseconds.
    offset_ms: AtomicU64,
    /// Unix time (seconds) when the clock started: messages carry Unix dates.
    unix_start: i64,
    /// Bumped on every advance, so that waits on this clock notice.
    advanced: watch::Sender<u64>,
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
        let unix_start = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map_or(0, |d| i64::try_from(d.as_secs()).unwrap_or(i64::MAX));
        Clock(Arc::new(Inner {
            start,
            offset_ms: AtomicU64::new(0),
            unix_start,
            advanced: watch::Sender::new(0),
        }))
    }

    /// Time since the server started.
    pub fn now(&self) -> Duration {
        let real = self.0.start.map_or(Duration::ZERO, |start| start.elapsed());
        real.saturating_add(Duration::from_millis(
            self.0.offset_ms.load(Ordering::Relaxed),
        ))
    }

    /// Moves the clock forward by `by`. A clock never goes back: past its end (`u64::MAX`
    /// milliseconds of offset, some 584 million years) it stays at its end.
    pub fn advance(&self, by: Duration) {
        let ms = u64::try_from(by.as_millis()).unwrap_or(u64::MAX);
        // `fetch_add` would wrap around to the past; the closure never returns `None`, so
        // the update always happens (`Err` is unreachable and the value is the same anyway).
        let _ = self
            .0
            .offset_ms
            .fetch_update(Ordering::Relaxed, Ordering::Relaxed, |offset| {
                Some(offset.saturating_add(ms))
            });
        self.0.advanced.send_modify(|n| *n = n.wrapping_add(1));
    }

    /// The Unix time (seconds) of `now`: the dates messages carry.
    pub fn unix(&self, now: Duration) -> i64 {
        let secs = i64::try_from(now.as_secs()).unwrap_or(i64::MAX);
        self.0.unix_start.saturating_add(secs)
    }

    /// Waits until this clock reads `deadline`: real time moves a system clock, and
    /// [`Clock::advance`] moves any clock, so a test that advances ends the wait at once.
    pub async fn sleep_until(&self, deadline: Duration) {
        let mut advanced = self.0.advanced.subscribe();
        loop {
            let now = self.now();
            if now >= deadline {
                return;
            }
            match self.0.start {
                Some(_) => {
                    tokio::select! {
                        () = tokio::time::sleep(deadline - now) => {}
                        _ = advanced.changed() => {}
                    }
                }
                None => {
                    // The sender lives as long as the clock, which outlives this wait.
                    if advanced.changed().await.is_err() {
                        return;
                    }
                }
            }
        }
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

    #[tokio::test]
    async fn a_wait_on_a_manual_clock_ends_when_advanced_past_it() {
        let clock = Clock::manual();
        let waiting = tokio::spawn({
            let clock = clock.clone();
            async move { clock.sleep_until(Duration::from_secs(30)).await }
        });
        tokio::task::yield_now().await;
        clock.advance(Duration::from_secs(10));
        tokio::task::yield_now().await;
        assert!(!waiting.is_finished());
        clock.advance(Duration::from_secs(20));
        tokio::time::timeout(Duration::from_secs(5), waiting)
            .await
            .expect("the wait ends")
            .unwrap();
    }

    #[test]
    fn huge_advances_saturate_and_never_go_back() {
        let clock = Clock::manual();
        clock.advance(Duration::from_secs(5));
        clock.advance(Duration::MAX);
        let end = clock.now();
        assert!(end >= Duration::from_secs(500_000_000_000), "{end:?}");
        clock.advance(Duration::MAX);
        assert_eq!(
            clock.now(),
            end,
            "a second huge advance keeps the clock at its end"
        );
        clock.advance(Duration::from_secs(1));
        assert_eq!(clock.now(), end);
        // The Unix date stays a valid number too.
        assert!(clock.unix(end) > 0);
    }

    #[test]
    fn system_clock_includes_the_offset() {
        let clock = Clock::system();
        clock.advance(Duration::from_secs(3600));
        assert!(clock.now() >= Duration::from_secs(3600));
    }
}
