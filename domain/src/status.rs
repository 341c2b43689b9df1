//! An account's status and the badge an admin sees for it.

use serde::{Deserialize, Serialize};

use crate::time::Timestamp;

/// Where an account stands in its life.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum AccountStatus {
    /// Invitation sent, not yet accepted.
    Invited,
    /// Invitation accepted; the account can sign in.
    Accepted,
    /// Switched off by an admin; cannot sign in.
    Deactivated,
}

impl AccountStatus {
    /// Every status, in the order the UI lists them.
    pub const ALL: [AccountStatus; 3] = [Self::Invited, Self::Accepted, Self::Deactivated];

    /// The stored and query-string form.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Invited => "invited",
            Self::Accepted => "accepted",
            Self::Deactivated => "deactivated",
        }
    }

    /// Reads the stored or query-string form.
    pub fn parse(text: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|s| s.as_str() == text)
    }

    /// Only accepted accounts may sign in (invited ones have no password yet, deactivated are off).
    pub fn may_sign_in(self) -> bool {
        self == Self::Accepted
    }
}

/// What the status badge says, computed from the status and the pending invitation's expiry at `now`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Badge {
    /// Invited and the link still works (until `expires_at`, if there is a pending link).
    Invited {
        /// When the pending link stops working.
        expires_at: Option<Timestamp>,
    },
    /// Invited, but the link has run out: the admin should resend.
    Expired {
        /// When it ran out.
        expired_at: Timestamp,
    },
    /// Invited, but the invitation was cancelled: no link works until one is resent.
    Cancelled,
    /// Active account.
    Accepted,
    /// Switched off.
    Deactivated,
}

impl Badge {
    /// The badge for an account; a link is expired exactly when `now >= expires_at`.
    pub fn of(
        status: AccountStatus,
        pending_expires_at: Option<Timestamp>,
        now: Timestamp,
    ) -> Self {
        match (status, pending_expires_at) {
            (AccountStatus::Invited, Some(at)) if now >= at => Badge::Expired { expired_at: at },
            (AccountStatus::Invited, Some(at)) => Badge::Invited {
                expires_at: Some(at),
            },
            (AccountStatus::Invited, None) => Badge::Cancelled,
            (AccountStatus::Accepted, _) => Badge::Accepted,
            (AccountStatus::Deactivated, _) => Badge::Deactivated,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn invited_turns_expired_at_the_exact_instant() {
        let at = Timestamp(1_000);
        let badge = |now| Badge::of(AccountStatus::Invited, Some(at), Timestamp(now));
        assert_eq!(
            badge(999),
            Badge::Invited {
                expires_at: Some(at)
            }
        );
        assert_eq!(badge(1_000), Badge::Expired { expired_at: at });
        assert_eq!(
            Badge::of(AccountStatus::Invited, None, Timestamp(5_000)),
            Badge::Cancelled
        );
        assert_eq!(
            Badge::of(AccountStatus::Accepted, Some(at), Timestamp(5_000)),
            Badge::Accepted
        );
    }

    #[test]
    fn status_round_trips_its_stored_form() {
        for s in AccountStatus::ALL {
            assert_eq!(AccountStatus::parse(s.as_str()), Some(s));
        }
        assert_eq!(AccountStatus::parse("pending"), None);
    }
}
