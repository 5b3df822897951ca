//! [`RetryPolicy`]: opt-in, bounded retrying of rate-limited calls.

use std::time::Duration;

use crate::Error;

/// When to repeat a rate-limited call. The default never retries.
///
/// A call is repeated only when it failed with [`Error::is_rate_limited`], the server said
/// how long to wait ([`Error::retry_after`], from `parameters.retry_after` or the
/// `Retry-After` header), that wait is at most `max_wait`, and fewer than `max_retries`
/// retries were made. The client then sleeps exactly the requested time. A rate limit
/// without a wait is returned at once: the client does not guess. The timeouts apply to
/// each attempt on its own; the waits between attempts are not counted in them.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct RetryPolicy {
    /// How many times one call may be repeated (0: never).
    pub max_retries: u32,
    /// The longest single wait the client accepts; a longer `retry_after` ends the call
    /// with the error.
    pub max_wait: Duration,
}

impl RetryPolicy {
    /// Never retry.
    pub const NONE: RetryPolicy = RetryPolicy {
        max_retries: 0,
        max_wait: Duration::ZERO,
    };

    /// Up to `max_retries` retries, each waiting at most `max_wait`.
    pub fn new(max_retries: u32, max_wait: Duration) -> RetryPolicy {
        RetryPolicy {
            max_retries,
            max_wait,
        }
    }

    /// How long to wait before retry number `retries_done + 1` after `error`, or `None` to
    /// give up and return the error.
    pub fn wait_before_retry(&self, error: &Error, retries_done: u32) -> Option<Duration> {
        if retries_done >= self.max_retries || !error.is_rate_limited() {
            return None;
        }
        let wait = Duration::from_secs(error.retry_after()?);
        (wait <= self.max_wait).then_some(wait)
    }
}

#[cfg(test)]
mod tests {
    use bale_api::ApiError;

    use super::*;

    #[test]
    fn retries_only_rate_limits_with_an_acceptable_wait() {
        let policy = RetryPolicy::new(2, Duration::from_secs(10));
        let limited = Error::Api(ApiError::too_many_requests(3));
        assert_eq!(
            policy.wait_before_retry(&limited, 0),
            Some(Duration::from_secs(3))
        );
        assert_eq!(
            policy.wait_before_retry(&limited, 1),
            Some(Duration::from_secs(3))
        );
        assert_eq!(policy.wait_before_retry(&limited, 2), None);
        let too_long = Error::Api(ApiError::too_many_requests(11));
        assert_eq!(policy.wait_before_retry(&too_long, 0), None);
        let no_wait = Error::RateLimited {
            retry_after: None,
            body_excerpt: String::new(),
        };
        assert_eq!(policy.wait_before_retry(&no_wait, 0), None);
        let other = Error::Api(ApiError::logged_out());
        assert_eq!(policy.wait_before_retry(&other, 0), None);
    }

    #[test]
    fn the_default_never_retries() {
        let limited = Error::Api(ApiError::too_many_requests(0));
        assert_eq!(RetryPolicy::default(), RetryPolicy::NONE);
        assert_eq!(RetryPolicy::default().wait_before_retry(&limited, 0), None);
    }
}
