//! How often and how long the client retries: [`RetryPolicy`].

use std::hash::{BuildHasher, Hasher};
use std::time::Duration;

/// When and how long to retry: throttled requests (`429`, `503`, `504`), and requests whose
/// connection failed where sending them again is safe (see [`Client`](super::Client)).
///
/// Start from the default and change what you need; the fields can be read but, so that a
/// setting can be added without breaking your code, not set with a struct literal:
///
/// ```
/// use std::time::Duration;
/// use msgraph_work::RetryPolicy;
///
/// let patient = RetryPolicy::default()
///     .with_max_attempts(8)
///     .with_max_elapsed(Duration::from_secs(300));
/// assert_eq!(patient.max_attempts, 8);
/// assert_eq!(patient.initial_backoff, Duration::from_secs(1)); // the default
/// assert_eq!(RetryPolicy::never().max_attempts, 1);
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct RetryPolicy {
    /// Attempts in all, the first included. `1` disables retries.
    pub max_attempts: u32,
    /// The longest the client keeps retrying one request, waits included. A `Retry-After`
    /// that would go past it ends the retries: the throttling error is returned instead.
    pub max_elapsed: Duration,
    /// The first backoff when Graph gives no `Retry-After`; it doubles on each attempt.
    pub initial_backoff: Duration,
    /// The longest single backoff.
    pub max_backoff: Duration,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        RetryPolicy {
            max_attempts: 5,
            max_elapsed: Duration::from_secs(120),
            initial_backoff: Duration::from_secs(1),
            max_backoff: Duration::from_secs(30),
        }
    }
}

impl RetryPolicy {
    /// No retries: every answer, throttling included, is returned as it comes.
    pub fn never() -> RetryPolicy {
        RetryPolicy::default().with_max_attempts(1)
    }

    /// Attempts in all, the first included (default 5). `1` disables retries; `0` counts as `1`.
    #[must_use]
    pub fn with_max_attempts(mut self, attempts: u32) -> Self {
        self.max_attempts = attempts;
        self
    }

    /// The longest the client keeps retrying one request, waits included (default 120 s).
    #[must_use]
    pub fn with_max_elapsed(mut self, max_elapsed: Duration) -> Self {
        self.max_elapsed = max_elapsed;
        self
    }

    /// The first backoff when Graph gives no `Retry-After` (default 1 s); it doubles on each
    /// attempt.
    #[must_use]
    pub fn with_initial_backoff(mut self, backoff: Duration) -> Self {
        self.initial_backoff = backoff;
        self
    }

    /// The longest single backoff (default 30 s).
    #[must_use]
    pub fn with_max_backoff(mut self, backoff: Duration) -> Self {
        self.max_backoff = backoff;
        self
    }

    /// The backoff before attempt `attempt + 1` when Graph says nothing: exponential, with
    /// jitter ("equal jitter": half fixed, half random) so that clients do not retry in step.
    pub(super) fn backoff(&self, attempt: u32) -> Duration {
        let exponential = self
            .initial_backoff
            .saturating_mul(1u32 << attempt.saturating_sub(1).min(16));
        let capped = exponential.min(self.max_backoff);
        let half = capped / 2;
        let random = std::collections::hash_map::RandomState::new()
            .build_hasher()
            .finish();
        half + half.mul_f64((random % 10_000) as f64 / 10_000.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_grows_is_capped_and_jittered() {
        let policy = RetryPolicy::default()
            .with_initial_backoff(Duration::from_millis(100))
            .with_max_backoff(Duration::from_secs(1));
        for attempt in 1..10 {
            let b = policy.backoff(attempt);
            let full =
                Duration::from_millis(100 * (1 << (attempt - 1))).min(Duration::from_secs(1));
            assert!(
                b >= full / 2 && b <= full,
                "attempt {attempt}: {b:?} not in [{:?}, {full:?}]",
                full / 2
            );
        }
    }
}
