//! What the audit log records: every action the worker writes, with the words the app shows for
//! it. The worker names actions by these keys; `tests` checks that every key it writes is here.

use crate::i18n::Ui;

/// Every recorded action: its key (as stored and filtered by) and its label.
pub const ACTIONS: [(&str, Ui); 39] = [
    ("invitation.created", Ui::AuditInvitationCreated),
    ("invitation.resent", Ui::AuditInvitationResent),
    ("invitation.link_copied", Ui::AuditInvitationLinkCopied),
    ("invitation.cancelled", Ui::AuditInvitationCancelled),
    ("invitation.accepted", Ui::AuditInvitationAccepted),
    ("invitation.new_link_requested", Ui::AuditNewLinkRequested),
    ("session.signed_in", Ui::AuditSignedIn),
    ("session.signed_out", Ui::AuditSignedOut),
    ("session.sign_in_failed", Ui::AuditSignInFailed),
    ("session.sign_in_locked", Ui::AuditSignInLocked),
    ("session.second_factor_failed", Ui::AuditSecondFactorFailed),
    ("session.ended", Ui::AuditSessionEnded),
    ("two_factor.enabled", Ui::AuditTwoFactorEnabled),
    ("two_factor.disabled", Ui::AuditTwoFactorDisabled),
    ("two_factor.recovery_code_used", Ui::AuditRecoveryCodeUsed),
    ("password.changed", Ui::AuditPasswordChanged),
    ("password.rehashed", Ui::AuditPasswordRehashed),
    ("password.reset_requested", Ui::AuditResetRequested),
    ("password.reset_sent", Ui::AuditResetSent),
    ("password.reset_used", Ui::AuditResetUsed),
    ("account.edited", Ui::AuditAccountEdited),
    ("account.access_changed", Ui::AuditAccessChanged),
    ("account.deactivated", Ui::AuditDeactivated),
    ("account.activated", Ui::AuditActivated),
    ("account.reset", Ui::AuditAccountReset),
    ("account.deleted", Ui::AuditDeleted),
    ("account.auto_deleted", Ui::AuditAutoDeleted),
    ("account.recovered", Ui::AuditRecovered),
    ("account.purged", Ui::AuditPurged),
    ("account.security_report", Ui::AuditSecurityReport),
    ("client.created", Ui::AuditClientCreated),
    ("client.changed", Ui::AuditClientChanged),
    ("client.moved", Ui::AuditClientMoved),
    ("client.activated", Ui::AuditClientActivated),
    ("client.deactivated", Ui::AuditClientDeactivated),
    ("client.settings_changed", Ui::AuditSettingsChanged),
    ("role.created", Ui::AuditRoleCreated),
    ("role.changed", Ui::AuditRoleChanged),
    ("role.deleted", Ui::AuditRoleDeleted),
];

/// The label of a recorded action; `None` for a key this version does not know (shown as is).
pub fn label(key: &str) -> Option<Ui> {
    ACTIONS.iter().find(|(k, _)| *k == key).map(|(_, ui)| *ui)
}

/// Whether a key is one the log records (a filter for anything else finds nothing).
pub fn is_known(key: &str) -> bool {
    label(key).is_some()
}

/// The security events a security report lists: sign-ins (and failed ones), password and
/// credential changes.
pub const SECURITY_EVENTS: [&str; 14] = [
    "session.signed_in",
    "session.sign_in_failed",
    "session.sign_in_locked",
    "session.second_factor_failed",
    "session.ended",
    "two_factor.enabled",
    "two_factor.disabled",
    "two_factor.recovery_code_used",
    "password.reset_requested",
    "password.reset_sent",
    "password.reset_used",
    "invitation.accepted",
    "account.reset",
    "account.edited",
];

#[cfg(test)]
mod tests {
    use super::*;
    use crate::i18n::Lang;

    #[test]
    fn every_action_is_listed_once_with_words_in_both_languages() {
        for (i, (key, ui)) in ACTIONS.iter().enumerate() {
            assert!(
                ACTIONS[i + 1..].iter().all(|(k, _)| k != key),
                "{key} twice"
            );
            assert!(key.contains('.'), "{key}");
            assert_ne!(ui.text(Lang::En), ui.text(Lang::De));
        }
        for key in SECURITY_EVENTS {
            assert!(is_known(key), "{key}");
        }
        assert_eq!(label("account.deactivated"), Some(Ui::AuditDeactivated));
        assert_eq!(label("nonsense"), None);
    }
}
