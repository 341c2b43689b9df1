//! The breached-password filter (built by `build.rs` from a public breach list), for the
//! `NotBreached` rule of the NIST preset. Read from the worker's own binary: no network, no D1.

use domain::breached::BreachedFilter;
use std::sync::OnceLock;

static BYTES: &[u8] = include_bytes!(concat!(env!("OUT_DIR"), "/breached-passwords.bin"));

/// The filter, decoded once per isolate on first use (build.rs has read these very bytes back).
pub fn passwords() -> &'static BreachedFilter {
    static FILTER: OnceLock<BreachedFilter> = OnceLock::new();
    FILTER.get_or_init(|| {
        BreachedFilter::from_bytes(BYTES).expect("build.rs checked that the filter reads back")
    })
}
