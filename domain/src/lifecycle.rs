//! An account's whole life as pure transitions: every (state, action) pair is either allowed,
//! with the new state and what else must happen, or refused with its reason.
//!
//! The worker is to apply a transition as a compare-and-swap on the stored state (`UPDATE … WHERE`
//! the state it read), so two admins doing opposite things at once leave exactly one outcome.
//! The worker applies it to every admin action (resend, cancel, copy link, edit, deactivate,
//! activate, delete, reset account, reset password), to the operator's recovery and to the cron's
//! automatic deletion and purge (as ranges: [`Periods::deactivated_due_by`], `purge_at <= now`).

use serde::{Deserialize, Serialize};

use crate::time::{Timestamp, Ttl};

/// Where an account stands, with the data of that state.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Lifecycle {
    /// Invited; the current link works until `expires_at` (an expired invitation stays Invited:
    /// "expired" is `now >= expires_at`, never a stored state).
    Invited {
        /// The first instant the link no longer works.
        expires_at: Timestamp,
    },
    /// Invited, but an admin cancelled the link: no link works.
    Cancelled {
        /// When.
        at: Timestamp,
    },
    /// Registered and active.
    Accepted,
    /// Registered, switched off; deleted automatically after the client's period.
    Deactivated {
        /// Since when.
        since: Timestamp,
    },
    /// Cannot sign in; kept for the recovery window, then purged.
    Deleted {
        /// When it was deleted.
        since: Timestamp,
        /// The first instant it may be purged (and can no longer be recovered).
        purge_at: Timestamp,
        /// What recovering it returns to.
        was: Recovered,
    },
}

/// What a deleted account returns to when recovered.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Recovered {
    /// It had registered and was active.
    Accepted,
    /// It had registered and was deactivated (since then).
    Deactivated(Timestamp),
    /// It never registered: it comes back without a working link (an admin resends one).
    Unregistered,
}

/// Everything that can be done to an account, by an admin, by the person, or by time.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Action {
    /// Send a new invitation link (the old one dies, validity restarts).
    Resend,
    /// Cancel the pending invitation (its link dies at once).
    Cancel,
    /// The person accepts the invitation and sets a password.
    Accept,
    /// Switch the account off.
    Deactivate,
    /// Switch it back on.
    Activate,
    /// Delete it (recoverable for the recovery window).
    Delete,
    /// The operator recovers a deleted account within the window.
    Recover,
    /// Start over: new registration link; password and second factor cleared.
    ResetAccount,
    /// Send a password-reset link.
    ResetPassword,
    /// Issue a fresh invitation link to copy (companies without mail).
    CopyLink,
    /// Change names, e-mail, username.
    Edit,
    /// Change the role.
    ChangeRole,
    /// E-mail the holder their recent security events.
    SecurityReport,
    /// Time: a deactivated account past the client's period is deleted.
    AutoDelete,
    /// Time: a deleted account past the recovery window is removed for good.
    Purge,
}

impl Action {
    /// Whether an admin is refused this on their own account (switching off, deleting or
    /// resetting oneself would lock one out).
    pub fn spares_own_account(self) -> bool {
        matches!(self, Self::Deactivate | Self::Delete | Self::ResetAccount)
    }

    /// Every action, in the order the transition table lists them.
    pub const ALL: [Action; 15] = [
        Self::Resend,
        Self::Cancel,
        Self::Accept,
        Self::Deactivate,
        Self::Activate,
        Self::Delete,
        Self::Recover,
        Self::ResetAccount,
        Self::ResetPassword,
        Self::CopyLink,
        Self::Edit,
        Self::ChangeRole,
        Self::SecurityReport,
        Self::AutoDelete,
        Self::Purge,
    ];
}

/// Why an action is refused in a state.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Refusal {
    /// The person has not registered (no password to reset, nothing to switch off).
    NeverRegistered,
    /// The invitation was already accepted.
    AlreadyAccepted,
    /// There is no pending link to cancel.
    NoPendingLink,
    /// The link ran out.
    LinkExpired,
    /// The link was cancelled.
    LinkCancelled,
    /// The account is deactivated: activate it first.
    Deactivated,
    /// Already deactivated.
    AlreadyDeactivated,
    /// Not deactivated.
    NotDeactivated,
    /// The account is deleted: only recovering it is possible.
    Deleted,
    /// Only a deleted account can be recovered or purged.
    NotDeleted,
    /// The recovery window is over.
    RecoveryWindowOver,
    /// Not due yet (automatic deletion or purge before its time).
    NotYetDue,
}

/// A link a transition issues; typed by purpose, so one can never be used as another.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum LinkPurpose {
    /// Accept an invitation (also after a reset of the account).
    Invitation,
    /// Set a new password.
    PasswordReset,
}

/// The periods transitions depend on, from the client's settings.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Periods {
    /// How long an invitation link works.
    pub invitation: Ttl,
    /// How long a deactivated account is kept before it is deleted (6 months by default).
    pub deactivated_until_deleted: Ttl,
    /// How long a deleted account can be recovered (30 days by default).
    pub recovery_window: Ttl,
}

/// How long a deleted account can be recovered.
pub const RECOVERY_WINDOW: Ttl = Ttl(30 * 86_400);

impl Default for Periods {
    fn default() -> Self {
        Self {
            invitation: Ttl::DEFAULT_INVITATION,
            deactivated_until_deleted: Ttl(
                i64::from(crate::settings::DEFAULT_DELETION_AFTER_DAYS) * 86_400
            ),
            recovery_window: RECOVERY_WINDOW,
        }
    }
}

impl Periods {
    /// The latest deactivation instant whose account is due for automatic deletion at `now`
    /// (the cron's range; [`Lifecycle::apply`] with [`Action::AutoDelete`] uses the same rule).
    pub fn deactivated_due_by(self, now: Timestamp) -> Timestamp {
        Timestamp(now.0 - self.deactivated_until_deleted.0 * 1000)
    }

    /// The periods a client's effective settings give.
    pub fn of(settings: &crate::settings::EffectiveSettings) -> Self {
        Self {
            invitation: settings.invitation_ttl.value,
            deactivated_until_deleted: Ttl(i64::from(settings.deletion_after_days.value) * 86_400),
            recovery_window: RECOVERY_WINDOW,
        }
    }
}

/// What an allowed action does.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Transition {
    /// The state afterwards; `None` when the account is purged (removed for good).
    pub next: Option<Lifecycle>,
    /// A link to issue (and mail, or show once for copying).
    pub link: Option<LinkPurpose>,
    /// Every session of the account ends.
    pub ends_sessions: bool,
    /// Password and second factor are cleared.
    pub clears_credentials: bool,
}

impl Transition {
    fn to(next: Lifecycle) -> Self {
        Self {
            next: Some(next),
            link: None,
            ends_sessions: false,
            clears_credentials: false,
        }
    }

    fn link(mut self, purpose: LinkPurpose) -> Self {
        self.link = Some(purpose);
        self
    }

    fn ending_sessions(mut self) -> Self {
        self.ends_sessions = true;
        self
    }
}

impl Lifecycle {
    /// The state as stored today: the account's status, its pending invitation's expiry, and
    /// since when it is deactivated (an invited account without a pending link is cancelled).
    pub fn from_stored(
        status: crate::AccountStatus,
        pending_expires_at: Option<Timestamp>,
        deactivated_at: Option<Timestamp>,
    ) -> Self {
        use crate::AccountStatus as S;
        match (status, pending_expires_at) {
            (S::Invited, Some(expires_at)) => Self::Invited { expires_at },
            (S::Invited, None) => Self::Cancelled { at: Timestamp(0) },
            (S::Accepted, _) => Self::Accepted,
            (S::Deactivated, _) => Self::Deactivated {
                since: deactivated_at.unwrap_or(Timestamp(0)),
            },
        }
    }

    /// The state a list row's badge stands for (as far as the badge tells: a deactivated row's
    /// date is not in it), so the app offers exactly the actions the worker will allow.
    pub fn of_badge(badge: crate::Badge) -> Self {
        use crate::Badge as B;
        match badge {
            B::Invited {
                expires_at: Some(expires_at),
            } => Self::Invited { expires_at },
            B::Expired { expired_at } => Self::Invited {
                expires_at: expired_at,
            },
            B::Invited { expires_at: None } | B::Cancelled => Self::Cancelled { at: Timestamp(0) },
            B::Accepted => Self::Accepted,
            B::Deactivated => Self::Deactivated {
                since: Timestamp(0),
            },
        }
    }

    /// Whether `action` is allowed in this state at `now` (with the default periods).
    pub fn allows(self, action: Action, now: Timestamp) -> bool {
        self.apply(action, now, Periods::default()).is_ok()
    }

    /// Whether the account may sign in.
    pub fn may_sign_in(self) -> bool {
        self == Self::Accepted
    }

    /// What `action` does to an account in this state at `now`, or why it cannot be done.
    pub fn apply(
        self,
        action: Action,
        now: Timestamp,
        periods: Periods,
    ) -> Result<Transition, Refusal> {
        use Action as A;
        use Lifecycle as L;
        let invited = || L::Invited {
            expires_at: now.plus(periods.invitation),
        };
        let deleted = |was| L::Deleted {
            since: now,
            purge_at: now.plus(periods.recovery_window),
            was,
        };
        let stay = Transition::to(self);
        match (self, action) {
            // time and the operator act on deleted accounts only, and nothing else does
            (L::Deleted { purge_at, was, .. }, A::Recover) => {
                if now < purge_at {
                    Ok(Transition::to(match was {
                        Recovered::Accepted => L::Accepted,
                        Recovered::Deactivated(since) => L::Deactivated { since },
                        Recovered::Unregistered => L::Cancelled { at: now },
                    }))
                } else {
                    Err(Refusal::RecoveryWindowOver)
                }
            }
            (L::Deleted { purge_at, .. }, A::Purge) => {
                if now >= purge_at {
                    Ok(Transition { next: None, ..stay })
                } else {
                    Err(Refusal::NotYetDue)
                }
            }
            (L::Deleted { .. }, _) => Err(Refusal::Deleted),
            (_, A::Recover | A::Purge) => Err(Refusal::NotDeleted),

            // never registered: invited (maybe expired) or cancelled
            (
                L::Invited { .. } | L::Cancelled { .. },
                A::Resend | A::ResetAccount | A::CopyLink,
            ) => Ok(Transition::to(invited()).link(LinkPurpose::Invitation)),
            (L::Invited { .. }, A::Cancel) => Ok(Transition::to(L::Cancelled { at: now })),
            (L::Cancelled { .. }, A::Cancel) => Err(Refusal::NoPendingLink),
            (L::Invited { expires_at }, A::Accept) => {
                if now < expires_at {
                    Ok(Transition::to(L::Accepted))
                } else {
                    Err(Refusal::LinkExpired)
                }
            }
            (L::Cancelled { .. }, A::Accept) => Err(Refusal::LinkCancelled),
            (
                L::Invited { .. } | L::Cancelled { .. },
                A::Deactivate | A::Activate | A::ResetPassword,
            ) => Err(Refusal::NeverRegistered),
            (L::Invited { .. } | L::Cancelled { .. }, A::Delete) => {
                Ok(Transition::to(deleted(Recovered::Unregistered)).ending_sessions())
            }

            // registered and active
            (L::Accepted, A::Resend | A::Cancel | A::Accept | A::CopyLink) => {
                Err(Refusal::AlreadyAccepted)
            }
            (L::Accepted, A::Deactivate) => {
                Ok(Transition::to(L::Deactivated { since: now }).ending_sessions())
            }
            (L::Accepted, A::Activate) => Err(Refusal::NotDeactivated),
            (L::Accepted, A::Delete) => {
                Ok(Transition::to(deleted(Recovered::Accepted)).ending_sessions())
            }
            (L::Accepted, A::ResetAccount) => Ok(Transition {
                clears_credentials: true,
                ..Transition::to(invited())
                    .link(LinkPurpose::Invitation)
                    .ending_sessions()
            }),
            // the sessions end when the link is used, not when it is sent
            (L::Accepted, A::ResetPassword) => Ok(stay.link(LinkPurpose::PasswordReset)),

            // registered and switched off
            (L::Deactivated { .. }, A::Resend | A::Cancel | A::Accept | A::CopyLink) => {
                Err(Refusal::AlreadyAccepted)
            }
            (L::Deactivated { .. }, A::Deactivate) => Err(Refusal::AlreadyDeactivated),
            (L::Deactivated { .. }, A::Activate) => Ok(Transition::to(L::Accepted)),
            (L::Deactivated { since }, A::Delete) => {
                Ok(Transition::to(deleted(Recovered::Deactivated(since))).ending_sessions())
            }
            (L::Deactivated { .. }, A::ResetAccount | A::ResetPassword) => {
                Err(Refusal::Deactivated)
            }
            (L::Deactivated { since }, A::AutoDelete) => {
                if since <= periods.deactivated_due_by(now) {
                    Ok(Transition::to(deleted(Recovered::Deactivated(since))).ending_sessions())
                } else {
                    Err(Refusal::NotYetDue)
                }
            }

            // the same in every state that is not deleted
            (_, A::Edit | A::ChangeRole | A::SecurityReport) => Ok(stay),
            (_, A::AutoDelete) => Err(Refusal::NotDeactivated),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const DAY: i64 = 86_400_000;
    const NOW: Timestamp = Timestamp(1_800_000_000_000);

    fn states() -> [(&'static str, Lifecycle); 6] {
        [
            (
                "invited",
                Lifecycle::Invited {
                    expires_at: Timestamp(NOW.0 + DAY),
                },
            ),
            ("expired", Lifecycle::Invited { expires_at: NOW }),
            (
                "cancelled",
                Lifecycle::Cancelled {
                    at: Timestamp(NOW.0 - DAY),
                },
            ),
            ("accepted", Lifecycle::Accepted),
            (
                "deactivated",
                Lifecycle::Deactivated {
                    since: Timestamp(NOW.0 - 200 * DAY),
                },
            ),
            (
                "deleted",
                Lifecycle::Deleted {
                    since: Timestamp(NOW.0 - DAY),
                    purge_at: Timestamp(NOW.0 + 29 * DAY),
                    was: Recovered::Accepted,
                },
            ),
        ]
    }

    /// The outcome as the table writes it: the next state's name (with `+link`, `+end` for ended
    /// sessions, `+clear` for cleared credentials), `gone`, or the refusal.
    fn outcome(r: Result<Transition, Refusal>) -> String {
        match r {
            Err(refusal) => format!("{refusal:?}"),
            Ok(t) => {
                let mut s = match t.next {
                    None => "gone".to_owned(),
                    Some(Lifecycle::Invited { .. }) => "invited".to_owned(),
                    Some(Lifecycle::Cancelled { .. }) => "cancelled".to_owned(),
                    Some(Lifecycle::Accepted) => "accepted".to_owned(),
                    Some(Lifecycle::Deactivated { .. }) => "deactivated".to_owned(),
                    Some(Lifecycle::Deleted { .. }) => "deleted".to_owned(),
                };
                match t.link {
                    Some(LinkPurpose::Invitation) => s.push_str("+invitation"),
                    Some(LinkPurpose::PasswordReset) => s.push_str("+reset"),
                    None => {}
                }
                if t.ends_sessions {
                    s.push_str("+end");
                }
                if t.clears_credentials {
                    s.push_str("+clear");
                }
                s
            }
        }
    }

    /// Every (state, action) pair, written out: a change to a rule changes this table.
    #[test]
    fn the_transition_table() {
        let table: [(&str, [&str; 15]); 6] = [
            (
                "invited",
                [
                    "invited+invitation",
                    "cancelled",
                    "accepted",
                    "NeverRegistered",
                    "NeverRegistered",
                    "deleted+end",
                    "NotDeleted",
                    "invited+invitation",
                    "NeverRegistered",
                    "invited+invitation",
                    "invited",
                    "invited",
                    "invited",
                    "NotDeactivated",
                    "NotDeleted",
                ],
            ),
            (
                "expired",
                [
                    "invited+invitation",
                    "cancelled",
                    "LinkExpired",
                    "NeverRegistered",
                    "NeverRegistered",
                    "deleted+end",
                    "NotDeleted",
                    "invited+invitation",
                    "NeverRegistered",
                    "invited+invitation",
                    "invited",
                    "invited",
                    "invited",
                    "NotDeactivated",
                    "NotDeleted",
                ],
            ),
            (
                "cancelled",
                [
                    "invited+invitation",
                    "NoPendingLink",
                    "LinkCancelled",
                    "NeverRegistered",
                    "NeverRegistered",
                    "deleted+end",
                    "NotDeleted",
                    "invited+invitation",
                    "NeverRegistered",
                    "invited+invitation",
                    "cancelled",
                    "cancelled",
                    "cancelled",
                    "NotDeactivated",
                    "NotDeleted",
                ],
            ),
            (
                "accepted",
                [
                    "AlreadyAccepted",
                    "AlreadyAccepted",
                    "AlreadyAccepted",
                    "deactivated+end",
                    "NotDeactivated",
                    "deleted+end",
                    "NotDeleted",
                    "invited+invitation+end+clear",
                    "accepted+reset",
                    "AlreadyAccepted",
                    "accepted",
                    "accepted",
                    "accepted",
                    "NotDeactivated",
                    "NotDeleted",
                ],
            ),
            (
                "deactivated",
                [
                    "AlreadyAccepted",
                    "AlreadyAccepted",
                    "AlreadyAccepted",
                    "AlreadyDeactivated",
                    "accepted",
                    "deleted+end",
                    "NotDeleted",
                    "Deactivated",
                    "Deactivated",
                    "AlreadyAccepted",
                    "deactivated",
                    "deactivated",
                    "deactivated",
                    "deleted+end",
                    "NotDeleted",
                ],
            ),
            (
                "deleted",
                [
                    "Deleted",
                    "Deleted",
                    "Deleted",
                    "Deleted",
                    "Deleted",
                    "Deleted",
                    "accepted",
                    "Deleted",
                    "Deleted",
                    "Deleted",
                    "Deleted",
                    "Deleted",
                    "Deleted",
                    "Deleted",
                    "NotYetDue",
                ],
            ),
        ];
        for ((name, state), (row_name, row)) in states().into_iter().zip(table) {
            assert_eq!(name, row_name);
            for (action, want) in Action::ALL.into_iter().zip(row) {
                let got = outcome(state.apply(action, NOW, Periods::default()));
                assert_eq!(got, want, "{name} × {action:?}");
            }
        }
    }

    #[test]
    fn periods_end_at_exact_instants() {
        let p = Periods::default();
        // an invitation accepted at its last millisecond works, at its expiry it does not
        let invited = Lifecycle::Invited { expires_at: NOW };
        assert!(invited
            .apply(Action::Accept, Timestamp(NOW.0 - 1), p)
            .is_ok());
        assert_eq!(
            invited.apply(Action::Accept, NOW, p),
            Err(Refusal::LinkExpired)
        );
        // a deactivated account is deleted exactly when its period is over
        let since = NOW;
        let due = since.plus(p.deactivated_until_deleted);
        let off = Lifecycle::Deactivated { since };
        assert_eq!(
            off.apply(Action::AutoDelete, Timestamp(due.0 - 1), p),
            Err(Refusal::NotYetDue)
        );
        // the cron's range holds exactly the accounts apply() deletes
        assert_eq!(p.deactivated_due_by(due), since);
        assert!(p.deactivated_due_by(Timestamp(due.0 - 1)) < since);
        let deleted = off.apply(Action::AutoDelete, due, p).unwrap().next.unwrap();
        let Lifecycle::Deleted { purge_at, was, .. } = deleted else {
            panic!("{deleted:?}")
        };
        assert_eq!(was, Recovered::Deactivated(since));
        assert_eq!(purge_at, due.plus(p.recovery_window));
        // recoverable until the window ends, purged from then on
        assert_eq!(
            deleted
                .apply(Action::Recover, Timestamp(purge_at.0 - 1), p)
                .unwrap()
                .next,
            Some(Lifecycle::Deactivated { since })
        );
        assert_eq!(
            deleted.apply(Action::Recover, purge_at, p),
            Err(Refusal::RecoveryWindowOver)
        );
        assert_eq!(
            deleted.apply(Action::Purge, Timestamp(purge_at.0 - 1), p),
            Err(Refusal::NotYetDue)
        );
        assert_eq!(
            deleted.apply(Action::Purge, purge_at, p).unwrap().next,
            None
        );
    }

    #[test]
    fn a_resend_restarts_the_validity() {
        let p = Periods::default();
        let expired = Lifecycle::Invited {
            expires_at: Timestamp(NOW.0 - DAY),
        };
        let next = expired.apply(Action::Resend, NOW, p).unwrap().next;
        assert_eq!(
            next,
            Some(Lifecycle::Invited {
                expires_at: NOW.plus(p.invitation)
            })
        );
        // an unregistered account comes back from deletion without a working link
        let gone = Lifecycle::Invited { expires_at: NOW }
            .apply(Action::Delete, NOW, p)
            .unwrap()
            .next
            .unwrap();
        assert_eq!(
            gone.apply(Action::Recover, NOW, p).unwrap().next,
            Some(Lifecycle::Cancelled { at: NOW })
        );
        assert!(!Lifecycle::Deactivated { since: NOW }.may_sign_in());
        // what a row offers follows from its badge
        let offers = |badge, action| Lifecycle::of_badge(badge).allows(action, NOW);
        let expired = crate::Badge::Expired { expired_at: NOW };
        assert!(offers(expired, Action::Resend) && offers(expired, Action::Cancel));
        assert!(offers(crate::Badge::Cancelled, Action::Resend));
        assert!(!offers(crate::Badge::Cancelled, Action::Cancel));
        assert!(!offers(crate::Badge::Accepted, Action::Resend));
        assert!(Lifecycle::Accepted.may_sign_in());
    }
}
