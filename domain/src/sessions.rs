//! How long a sign-in lasts: a session ends after its idle timeout without a request, or its
//! absolute lifetime after it began, whichever comes first (per client settings, [`IDLE`] and
//! [`ABSOLUTE`] by default; a session keeps the limits in force when it began); and what the
//! session list shows of the browser.

use crate::time::{Timestamp, Ttl};

/// A session unused this long has ended (the default of the client setting).
pub const IDLE: Ttl = Ttl(30 * 60);
/// No session lives longer than this (the default of the client setting).
pub const ABSOLUTE: Ttl = Ttl::SESSION;

/// The limits a session starts with.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// Ends after this long without a request.
    pub idle: Ttl,
    /// Ends this long after it began.
    pub absolute: Ttl,
}

impl Default for Limits {
    fn default() -> Self {
        Self {
            idle: IDLE,
            absolute: ABSOLUTE,
        }
    }
}
/// `last_seen_at` is written at most this often (a D1 write per request would double its cost).
pub const TOUCH_EVERY: Ttl = Ttl(60);

/// A session with this idle timeout, last used at or before the instant returned, has ended at
/// `now`: it is alive while `now < last_seen + idle` (the store's SQL says the same as
/// `last_seen_at + idle_ms > now`).
pub fn idle_cutoff(now: Timestamp, idle: Ttl) -> Timestamp {
    Timestamp(now.0 - idle.0 * 1000)
}

/// Whether a session is alive at `now`.
pub fn alive(last_seen: Timestamp, idle: Ttl, expires_at: Timestamp, now: Timestamp) -> bool {
    now < expires_at && last_seen > idle_cutoff(now, idle)
}

/// Whether this request should write `now` as the session's last use.
pub fn needs_touch(last_seen: Timestamp, now: Timestamp) -> bool {
    now.0 - last_seen.0 >= TOUCH_EVERY.0 * 1000
}

/// "Chrome on Linux" from a user agent, for the session list (never used for decisions).
pub fn device(user_agent: &str) -> String {
    let ua = user_agent;
    let browser = if ua.contains("Edg/") {
        "Edge"
    } else if ua.contains("OPR/") || ua.contains("Opera") {
        "Opera"
    } else if ua.contains("Firefox/") {
        "Firefox"
    } else if ua.contains("Chrome/") || ua.contains("Chromium/") || ua.contains("HeadlessChrome/") {
        "Chrome"
    } else if ua.contains("Safari/") {
        "Safari"
    } else if ua.contains("curl/") {
        "curl"
    } else {
        ""
    };
    let system = if ua.contains("iPhone") || ua.contains("iPad") {
        "iOS"
    } else if ua.contains("Android") {
        "Android"
    } else if ua.contains("Windows") {
        "Windows"
    } else if ua.contains("Mac OS X") || ua.contains("Macintosh") {
        "macOS"
    } else if ua.contains("CrOS") {
        "ChromeOS"
    } else if ua.contains("Linux") {
        "Linux"
    } else {
        ""
    };
    match (browser, system) {
        ("", "") => String::new(),
        (b, "") => b.to_owned(),
        ("", s) => s.to_owned(),
        (b, s) => format!("{b} on {s}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn idle_and_absolute_expiry_at_their_exact_instants() {
        let start = Timestamp(1_000_000_000);
        let expires = start.plus(ABSOLUTE);
        // used at the start: alive until the last millisecond before 30 minutes
        let idle_end = Timestamp(start.0 + IDLE.0 * 1000);
        assert!(alive(start, IDLE, expires, Timestamp(idle_end.0 - 1)));
        assert!(!alive(start, IDLE, expires, idle_end));
        // used every 20 minutes: the absolute lifetime still ends it at 12 hours
        let late_use = Timestamp(expires.0 - 60_000);
        assert!(alive(late_use, IDLE, expires, Timestamp(expires.0 - 1)));
        assert!(!alive(late_use, IDLE, expires, expires));
        // a client's own idle timeout of 5 minutes
        let five = Ttl(5 * 60);
        assert!(alive(start, five, expires, Timestamp(start.0 + 299_999)));
        assert!(!alive(start, five, expires, Timestamp(start.0 + 300_000)));
    }

    #[test]
    fn the_last_use_is_written_at_most_once_a_minute() {
        let t = Timestamp(5_000_000);
        assert!(!needs_touch(t, Timestamp(t.0 + 59_999)));
        assert!(needs_touch(t, Timestamp(t.0 + 60_000)));
    }

    #[test]
    fn browsers_and_systems_are_named() {
        let chrome = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36";
        assert_eq!(device(chrome), "Chrome on Linux");
        let safari = "Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.0 Mobile/15E148 Safari/604.1";
        assert_eq!(device(safari), "Safari on iOS");
        let edge = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36 Edg/131.0.0.0";
        assert_eq!(device(edge), "Edge on Windows");
        let firefox =
            "Mozilla/5.0 (Macintosh; Intel Mac OS X 14.1; rv:133.0) Gecko/20100101 Firefox/133.0";
        assert_eq!(device(firefox), "Firefox on macOS");
        assert_eq!(device(""), "");
    }
}
