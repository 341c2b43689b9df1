//! Sign-in throttling: each attempt is counted *before* its password is checked, so parallel
//! guesses cannot all slip under the limit; a success clears the counts. The counters live on the
//! D1 primary; this module holds the rule.
//!
//! The penalty lands on the guesser, not on the person: an account key (typed client ID +
//! username) is counted per source (client IP), and [`MAX_ATTEMPTS`] wrong tries lock out only
//! that source for the rest of its window. Across sources the account key has a much higher
//! ceiling, [`MAX_ACCOUNT_ATTEMPTS`], which only binds browsers that never signed in to the
//! account: a browser that did carries the account's device cookie and is never held up by
//! guesses from elsewhere (OWASP's "device cookies"). So a botnet rotating addresses gets at most
//! 50 guesses a window, and the real person, from their own browser, still gets in.

use crate::time::{Timestamp, Ttl};

/// Attempts one source may make on one account key per window without a success; the next one
/// is refused unchecked.
pub const MAX_ATTEMPTS: u32 = 5;
/// Attempts on one account key per window from every browser without its device cookie together.
pub const MAX_ACCOUNT_ATTEMPTS: u32 = 50;
/// The window (and so the longest lock).
pub const WINDOW: Ttl = Ttl(15 * 60);

/// The attempts counted on one key, the current one included.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Attempts {
    /// When the current window began.
    pub window_start: Timestamp,
    /// Attempts in it, this one included.
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

impl Attempts {
    /// A stored window that began at or before this instant has ended at `now`: the next attempt
    /// starts a new window. (A window beginning at `s` is live while `now < s + WINDOW`.)
    pub fn window_cutoff(now: Timestamp) -> Timestamp {
        Timestamp(now.0.saturating_sub(WINDOW.0 * 1000))
    }

    /// The count after one more attempt at `now`, from the stored one (what the store's upsert does).
    pub fn next(stored: Option<Attempts>, now: Timestamp) -> Attempts {
        match stored {
            Some(a) if a.window_start > Self::window_cutoff(now) => Attempts {
                count: a.count.saturating_add(1),
                ..a
            },
            _ => Attempts {
                window_start: now,
                count: 1,
            },
        }
    }

    /// Decides the attempt this count includes (at most [`MAX_ATTEMPTS`]).
    pub fn verdict(self) -> Verdict {
        self.verdict_within(MAX_ATTEMPTS)
    }

    /// Decides the attempt this count includes, with `max` attempts allowed per window.
    pub fn verdict_within(self, max: u32) -> Verdict {
        if self.count > max {
            Verdict::Locked {
                until: self.window_start.plus(WINDOW),
            }
        } else {
            Verdict::Allowed
        }
    }
}

/// The counter key of one source (client IP) on an account key.
pub fn source_key(account_key: &str, ip: Option<&str>) -> String {
    format!("{account_key}@{}", ip.unwrap_or("no-ip"))
}

/// Whether an attempt also counts on the account key across sources: not from a browser with the
/// account's device cookie, and not from a source already locked out (one address alone can never
/// lock strangers out).
pub fn counts_for_account(source: Attempts, known_browser: bool) -> bool {
    !known_browser && source.verdict() == Verdict::Allowed
}

/// Whether a refusal is the first of its window: a security event (later ones would only add
/// noise).
pub fn is_first_refusal(source: Attempts, account: Option<Attempts>) -> bool {
    source.count == MAX_ATTEMPTS + 1 || account.is_some_and(|a| a.count == MAX_ACCOUNT_ATTEMPTS + 1)
}

/// A sign-in attempt's verdict from its counts: the source's on this account key, and, for a
/// browser without the account's device cookie, the account key's from all such browsers.
pub fn sign_in_verdict(source: Attempts, account: Option<Attempts>) -> Verdict {
    match (
        source.verdict(),
        account.map(|a| a.verdict_within(MAX_ACCOUNT_ATTEMPTS)),
    ) {
        (Verdict::Locked { until }, _) | (_, Some(Verdict::Locked { until })) => {
            Verdict::Locked { until }
        }
        _ => Verdict::Allowed,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn guesses_lock_out_their_source_and_strangers_but_never_a_known_browser() {
        let t0 = Timestamp(50_000_000);
        let at = |count| Attempts {
            window_start: t0,
            count,
        };
        let end = t0.plus(WINDOW);
        // one source's sixth try is refused, whatever the account's count
        assert_eq!(
            sign_in_verdict(at(6), Some(at(6))),
            Verdict::Locked { until: end }
        );
        assert_eq!(sign_in_verdict(at(6), None), Verdict::Locked { until: end });
        // a fresh source gets in while the account has had fewer than 50 tries from strangers
        assert_eq!(sign_in_verdict(at(1), Some(at(50))), Verdict::Allowed);
        assert_eq!(
            sign_in_verdict(at(1), Some(at(51))),
            Verdict::Locked { until: end }
        );
        // a browser with the account's device cookie is not counted with the strangers
        assert_eq!(sign_in_verdict(at(1), None), Verdict::Allowed);
        assert!(!counts_for_account(at(1), true));
        // a locked-out source adds nothing to the account's count
        assert!(!counts_for_account(at(6), false));
        assert!(counts_for_account(at(5), false));
        // the first refusal of a window, and only that one, is an event
        assert!(is_first_refusal(at(6), None));
        assert!(!is_first_refusal(at(7), Some(at(3))));
        assert!(is_first_refusal(at(1), Some(at(51))));
    }

    #[test]
    fn the_sixth_attempt_in_a_window_is_refused_until_the_window_ends() {
        let t0 = Timestamp(10_000_000);
        let mut a = None;
        for n in 1..=MAX_ATTEMPTS {
            let next = Attempts::next(a, t0);
            assert_eq!(next.count, n);
            assert_eq!(next.verdict(), Verdict::Allowed);
            a = Some(next);
        }
        let end = t0.plus(WINDOW);
        let sixth = Attempts::next(a, Timestamp(end.0 - 1));
        assert_eq!(sixth.verdict(), Verdict::Locked { until: end });
        // at the window's end a new one begins
        assert_eq!(
            Attempts::next(Some(sixth), end),
            Attempts {
                window_start: end,
                count: 1
            }
        );
    }

    proptest! {
        #[test]
        fn cutoff_matches_the_window(start in 0i64..4_000_000_000_000, offset in -2_000_000i64..2_000_000) {
            let now = Timestamp(start + WINDOW.0 * 1000 + offset);
            let live = now < Timestamp(start).plus(WINDOW);
            prop_assert_eq!(Timestamp(start) > Attempts::window_cutoff(now), live);
        }

        #[test]
        fn counts_never_skip(gaps in proptest::collection::vec(0i64..400_000, 1..20)) {
            let mut now = Timestamp(0);
            let mut a: Option<Attempts> = None;
            for gap in gaps {
                now = Timestamp(now.0 + gap);
                let next = Attempts::next(a, now);
                prop_assert!(next.count == 1 || next.count == a.unwrap().count + 1);
                a = Some(next);
            }
        }
    }
}
