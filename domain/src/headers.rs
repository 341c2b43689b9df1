//! The browser-hardening headers every answer carries: the worker's (API, errors, 404s, dev pages)
//! and the static files' (`app/_headers`, checked against this list by a test). Only the
//! Content-Security-Policy differs: the app's lets its own scripts and WebAssembly run, the API's
//! allows nothing at all.

/// On every answer, worker and static files alike.
pub const HARDENING: [(&str, &str); 6] = [
    // two years, every subdomain; browsers ignore it over plain http (local development)
    (
        "strict-transport-security",
        "max-age=63072000; includeSubDomains",
    ),
    ("x-content-type-options", "nosniff"),
    // the CSP's frame-ancestors 'none', for browsers that predate it
    ("x-frame-options", "DENY"),
    // no address, with or without a token in it, ever leaves in a Referer
    ("referrer-policy", "no-referrer"),
    ("cross-origin-opener-policy", "same-origin"),
    (
        "permissions-policy",
        "camera=(), microphone=(), geolocation=(), payment=(), usb=(), interest-cohort=()",
    ),
];

/// The worker's own answers (JSON, empty, errors): nothing may load, run or frame them.
pub const API_CSP: &str =
    "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'";

/// The app (static files): its own scripts, compiled WebAssembly (`'wasm-unsafe-eval'`), no inline
/// script, no other origin.
pub const APP_CSP: &str = "default-src 'none'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self'; img-src 'self' data:; connect-src 'self'; font-src 'self'; manifest-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";
