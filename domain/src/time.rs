//! Instants and durations as plain numbers, so the caller owns the clock.

use serde::{Deserialize, Serialize};

/// An instant in milliseconds since the Unix epoch (UTC); the caller reads the clock once.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(transparent)]
pub struct Timestamp(pub i64);

/// A validity period in whole seconds, as stored in a client's settings row.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(transparent)]
pub struct Ttl(pub i64);

impl Timestamp {
    /// Milliseconds since the Unix epoch.
    pub fn millis(self) -> i64 {
        self.0
    }

    /// This instant moved forward by `ttl` (saturating, never wrapping).
    pub fn plus(self, ttl: Ttl) -> Timestamp {
        Timestamp(self.0.saturating_add(ttl.0.saturating_mul(1000)))
    }
}

impl Ttl {
    /// Invitation links are valid 21 days unless the client says otherwise.
    pub const DEFAULT_INVITATION: Ttl = Ttl(21 * 24 * 60 * 60);
    /// Password-reset links are valid 24 hours unless the client says otherwise.
    pub const DEFAULT_PASSWORD_RESET: Ttl = Ttl(24 * 60 * 60);
    /// A signed-in session lasts at most 12 hours.
    pub const SESSION: Ttl = Ttl(12 * 60 * 60);
}
