//! The invitation lifecycle: created, resent, cancelled, accepted, expired — every step takes `now`.
//!
//! Expiry is never a stored flag: a pending invitation is expired exactly when `now >= expires_at`.

use serde::{Deserialize, Serialize};

use crate::ids::{AccountId, InvitationId};
use crate::time::{Timestamp, Ttl};
use crate::token::{Token, TokenDigest};

/// What has happened to an invitation; only `Pending` links can still be accepted.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum InvitationState {
    /// Sent and waiting (it may have run out: see [`Invitation::status`]).
    Pending,
    /// Accepted at the given instant.
    Accepted(Timestamp),
    /// Cancelled by an admin at the given instant.
    Cancelled(Timestamp),
    /// Replaced by a resent invitation at the given instant.
    Replaced(Timestamp),
}

impl InvitationState {
    /// The stored form of the state's name.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Pending => "pending",
            Self::Accepted(_) => "accepted",
            Self::Cancelled(_) => "cancelled",
            Self::Replaced(_) => "replaced",
        }
    }

    /// Rebuilds a state from its stored name and the instant it ended (if it did).
    pub fn from_stored(name: &str, ended_at: Option<Timestamp>) -> Option<Self> {
        let at = ended_at.unwrap_or(Timestamp(0));
        match name {
            "pending" => Some(Self::Pending),
            "accepted" => Some(Self::Accepted(at)),
            "cancelled" => Some(Self::Cancelled(at)),
            "replaced" => Some(Self::Replaced(at)),
            _ => None,
        }
    }
}

/// What a link is worth at a given instant, as the accept page and the admin see it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum InvitationStatus {
    /// Can be accepted until `expires_at`.
    Pending {
        /// The first instant at which it no longer works.
        expires_at: Timestamp,
    },
    /// Ran out at `expired_at` without being accepted.
    Expired {
        /// When it ran out.
        expired_at: Timestamp,
    },
    /// Already accepted.
    Accepted,
    /// Cancelled by an admin.
    Cancelled,
    /// A newer link was sent; this one is dead.
    Replaced,
}

/// Why an invitation step is refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum InvitationError {
    /// The link ran out.
    Expired,
    /// The link was already used.
    AlreadyAccepted,
    /// An admin cancelled the invitation.
    Cancelled,
    /// A newer invitation replaced this one.
    Replaced,
}

/// One invitation link sent to one account.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Invitation {
    /// This invitation's id.
    pub id: InvitationId,
    /// The account it lets someone take over.
    pub account_id: AccountId,
    /// The stored digest of its token.
    pub token_digest: TokenDigest,
    /// When it was sent.
    pub created_at: Timestamp,
    /// The first instant at which it no longer works.
    pub expires_at: Timestamp,
    /// What has happened to it.
    pub state: InvitationState,
}

/// A freshly issued invitation together with the only copy of its secret token (for the e-mail).
#[derive(Debug)]
pub struct Issued {
    /// The invitation to store.
    pub invitation: Invitation,
    /// The secret for the link; never stored.
    pub token: Token,
}

impl Invitation {
    /// Issues a new invitation valid for `ttl` from `now`.
    pub fn issue(
        id: InvitationId,
        account_id: AccountId,
        token: Token,
        now: Timestamp,
        ttl: Ttl,
    ) -> Issued {
        let invitation = Invitation {
            id,
            account_id,
            token_digest: token.digest(),
            created_at: now,
            expires_at: now.plus(ttl),
            state: InvitationState::Pending,
        };
        Issued { invitation, token }
    }

    /// What the link is worth at `now`.
    pub fn status(&self, now: Timestamp) -> InvitationStatus {
        match self.state {
            InvitationState::Pending if now >= self.expires_at => InvitationStatus::Expired {
                expired_at: self.expires_at,
            },
            InvitationState::Pending => InvitationStatus::Pending {
                expires_at: self.expires_at,
            },
            InvitationState::Accepted(_) => InvitationStatus::Accepted,
            InvitationState::Cancelled(_) => InvitationStatus::Cancelled,
            InvitationState::Replaced(_) => InvitationStatus::Replaced,
        }
    }

    /// Checks the link can be used at `now`, without changing anything (what a GET may do).
    pub fn check_usable(&self, now: Timestamp) -> Result<Timestamp, InvitationError> {
        match self.status(now) {
            InvitationStatus::Pending { expires_at } => Ok(expires_at),
            InvitationStatus::Expired { .. } => Err(InvitationError::Expired),
            InvitationStatus::Accepted => Err(InvitationError::AlreadyAccepted),
            InvitationStatus::Cancelled => Err(InvitationError::Cancelled),
            InvitationStatus::Replaced => Err(InvitationError::Replaced),
        }
    }

    /// Accepts the invitation at `now`; only a pending, unexpired link can be accepted, once.
    pub fn accept(self, now: Timestamp) -> Result<Invitation, InvitationError> {
        self.check_usable(now)?;
        Ok(Invitation {
            state: InvitationState::Accepted(now),
            ..self
        })
    }

    /// Cancels a pending invitation (expired or not): its link stops working at once.
    pub fn cancel(self, now: Timestamp) -> Result<Invitation, InvitationError> {
        match self.state {
            InvitationState::Pending => Ok(Invitation {
                state: InvitationState::Cancelled(now),
                ..self
            }),
            InvitationState::Accepted(_) => Err(InvitationError::AlreadyAccepted),
            InvitationState::Cancelled(_) => Err(InvitationError::Cancelled),
            InvitationState::Replaced(_) => Err(InvitationError::Replaced),
        }
    }

    /// Resends: the old link dies (`Replaced`) and a new one with a fresh validity is issued.
    /// Allowed for pending (also expired) and cancelled invitations, never after acceptance.
    pub fn resend(
        self,
        new_id: InvitationId,
        token: Token,
        now: Timestamp,
        ttl: Ttl,
    ) -> Result<(Invitation, Issued), InvitationError> {
        let old = match self.state {
            InvitationState::Pending | InvitationState::Cancelled(_) => Invitation {
                state: InvitationState::Replaced(now),
                ..self
            },
            InvitationState::Accepted(_) => return Err(InvitationError::AlreadyAccepted),
            InvitationState::Replaced(_) => return Err(InvitationError::Replaced),
        };
        let issued = Invitation::issue(new_id, old.account_id, token, now, ttl);
        Ok((old, issued))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    const TTL: Ttl = Ttl(60);

    fn issued_at(now: i64) -> Issued {
        Invitation::issue(
            InvitationId::from_random_bytes([1; 16]),
            AccountId::from_random_bytes([2; 16]),
            Token::from_random_bytes([3; 32]),
            Timestamp(now),
            TTL,
        )
    }

    #[test]
    fn default_validity_is_21_days() {
        assert_eq!(Ttl::DEFAULT_INVITATION, Ttl(1_814_400));
    }

    #[test]
    fn usable_until_one_millisecond_before_expiry_and_not_at_it() {
        let inv = issued_at(0).invitation;
        assert_eq!(inv.expires_at, Timestamp(60_000));
        assert!(inv.clone().accept(Timestamp(59_999)).is_ok());
        assert_eq!(
            inv.clone().accept(Timestamp(60_000)),
            Err(InvitationError::Expired)
        );
        assert_eq!(
            inv.status(Timestamp(60_000)),
            InvitationStatus::Expired {
                expired_at: Timestamp(60_000)
            }
        );
    }

    #[test]
    fn accepted_once_only() {
        let accepted = issued_at(0).invitation.accept(Timestamp(10)).unwrap();
        assert_eq!(accepted.state, InvitationState::Accepted(Timestamp(10)));
        assert_eq!(
            accepted.clone().accept(Timestamp(11)),
            Err(InvitationError::AlreadyAccepted)
        );
        assert_eq!(accepted.status(Timestamp(11)), InvitationStatus::Accepted);
    }

    #[test]
    fn cancelled_links_die_at_once_and_can_be_resent() {
        let cancelled = issued_at(0).invitation.cancel(Timestamp(5)).unwrap();
        assert_eq!(
            cancelled.clone().accept(Timestamp(6)),
            Err(InvitationError::Cancelled)
        );
        assert_eq!(
            cancelled.clone().cancel(Timestamp(7)),
            Err(InvitationError::Cancelled)
        );
        let (old, new) = cancelled
            .resend(
                InvitationId::from_random_bytes([9; 16]),
                Token::from_random_bytes([4; 32]),
                Timestamp(8),
                TTL,
            )
            .unwrap();
        assert_eq!(old.status(Timestamp(8)), InvitationStatus::Replaced);
        assert!(new.invitation.accept(Timestamp(9)).is_ok());
    }

    #[test]
    fn resend_kills_the_old_link_and_restarts_validity() {
        let first = issued_at(0);
        let (old, new) = first
            .invitation
            .resend(
                InvitationId::from_random_bytes([9; 16]),
                Token::from_random_bytes([4; 32]),
                Timestamp(120_000),
                TTL,
            )
            .unwrap();
        assert_eq!(
            old.clone().accept(Timestamp(120_001)),
            Err(InvitationError::Replaced)
        );
        assert_eq!(new.invitation.expires_at, Timestamp(180_000));
        assert!(!new.invitation.token_digest.matches(&old.token_digest));
        assert_eq!(new.invitation.account_id, old.account_id);
    }

    #[test]
    fn accepted_invitations_cannot_be_resent_or_cancelled() {
        let accepted = issued_at(0).invitation.accept(Timestamp(1)).unwrap();
        assert_eq!(
            accepted.clone().cancel(Timestamp(2)),
            Err(InvitationError::AlreadyAccepted)
        );
        let resent = accepted.resend(
            InvitationId::from_random_bytes([9; 16]),
            Token::from_random_bytes([4; 32]),
            Timestamp(2),
            TTL,
        );
        assert_eq!(resent.err(), Some(InvitationError::AlreadyAccepted));
    }

    #[test]
    fn state_round_trips_its_stored_form() {
        for s in [
            InvitationState::Pending,
            InvitationState::Accepted(Timestamp(3)),
            InvitationState::Cancelled(Timestamp(3)),
            InvitationState::Replaced(Timestamp(3)),
        ] {
            let ended = match s {
                InvitationState::Pending => None,
                _ => Some(Timestamp(3)),
            };
            assert_eq!(InvitationState::from_stored(s.as_str(), ended), Some(s));
        }
    }

    proptest! {
        #[test]
        fn expiry_is_exactly_created_plus_ttl(created in 0i64..4_000_000_000_000, ttl in 0i64..100_000_000, offset in -5_000i64..5_000) {
            let inv = Invitation::issue(
                InvitationId::from_random_bytes([1; 16]), AccountId::from_random_bytes([2; 16]),
                Token::from_random_bytes([3; 32]), Timestamp(created), Ttl(ttl)).invitation;
            let now = Timestamp(created + ttl * 1000 + offset);
            prop_assert_eq!(inv.accept(now).is_ok(), offset < 0);
        }
    }
}
