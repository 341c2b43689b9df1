//! Sign-in throttling: after too many failures in a window, an account key is locked for the rest of
//! the window. The counter lives on the D1 primary; this module only decides.

use crate::time::{Timestamp, Ttl};

/// Failed attempts allowed per window before the key is locked.
pub const MAX_FAILURES: u32 = 5;
/// The window (and so the longest lock).
pub const WINDOW: Ttl = Ttl(15 * 60);

/// The stored failure count of one key.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Failures {
    /// When the current window began.
    pub window_start: Timestamp,
    /// Failures in it.
    pub count: u32,
}

/// Whether an attempt may go ahead.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Verdict {
    /// Check the password.
    Allowed,
    /// Refuse without checking, until the given instant.
    Locked {
        /// When attempts are allowed again.
        until: Timestamp,
    },
}

impl Failures {
    /// Decides an attempt at `now`; a window that has passed no longer counts.
    pub fn verdict(this: Option<Failures>, now: Timestamp) -> Verdict {
        match this {
            Some(f) if now < f.window_start.plus(WINDOW) && f.count >= MAX_FAILURES => {
                Verdict::Locked {
                    until: f.window_start.plus(WINDOW),
                }
            }
            _ => Verdict::Allowed,
        }
    }

    /// The count after one more failure at `now` (a new window if the old one has passed).
    pub fn record(this: Option<Failures>, now: Timestamp) -> Failures {
        match this {
            Some(f) if now < f.window_start.plus(WINDOW) => Failures {
                count: f.count.saturating_add(1),
                ..f
            },
            _ => Failures {
                window_start: now,
                count: 1,
            },
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn locks_after_the_fifth_failure_until_the_window_ends() {
        let t0 = Timestamp(1_000_000);
        let mut f = None;
        for _ in 0..MAX_FAILURES {
            assert_eq!(Failures::verdict(f, t0), Verdict::Allowed);
            f = Some(Failures::record(f, t0));
        }
        let end = t0.plus(WINDOW);
        assert_eq!(Failures::verdict(f, t0), Verdict::Locked { until: end });
        assert_eq!(
            Failures::verdict(f, Timestamp(end.0 - 1)),
            Verdict::Locked { until: end }
        );
        assert_eq!(Failures::verdict(f, end), Verdict::Allowed);
        assert_eq!(
            Failures::record(f, end),
            Failures {
                window_start: end,
                count: 1
            }
        );
    }

    proptest! {
        #[test]
        fn fewer_failures_than_the_limit_never_lock(n in 0u32..MAX_FAILURES, gaps in proptest::collection::vec(0i64..2_000_000, 5)) {
            let mut now = Timestamp(0);
            let mut f = None;
            for gap in gaps.iter().take(n as usize) {
                now = Timestamp(now.0 + gap);
                f = Some(Failures::record(f, now));
            }
            prop_assert_eq!(Failures::verdict(f, now), Verdict::Allowed);
        }
    }
}
