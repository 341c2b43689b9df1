//! One message per API error code and per password rule, in each language.

use super::Lang;
use crate::api::ErrorCode;
use crate::password::PasswordRule;

impl ErrorCode {
    /// What to tell a person about this error under the field with this label: the specific
    /// rule for a malformed e-mail address or username, the general text otherwise.
    pub fn text_for_field(self, label: super::Ui, lang: Lang) -> &'static str {
        use super::Ui;
        match (self, label, lang) {
            (ErrorCode::FieldInvalid, Ui::Email, Lang::En) => {
                "An e-mail address needs one @ and a domain, like anna@example.com."
            }
            (ErrorCode::FieldInvalid, Ui::Email, Lang::De) => {
                "Eine E-Mail-Adresse braucht genau ein @ und eine Domain, etwa anna@beispiel.de."
            }
            (ErrorCode::FieldInvalid, Ui::Username, Lang::En) => {
                "Use 2–64 letters a–z, digits, dots, dashes or underscores, starting with a letter or digit."
            }
            (ErrorCode::FieldInvalid, Ui::Username, Lang::De) => {
                "Verwenden Sie 2–64 Buchstaben a–z, Ziffern, Punkte, Binde- oder Unterstriche, beginnend mit Buchstabe oder Ziffer."
            }
            _ => self.text(lang),
        }
    }

    /// What to tell a person about this error.
    pub fn text(self, lang: Lang) -> &'static str {
        use ErrorCode::*;
        match (self, lang) {
            (MalformedJson, Lang::En) => "The request could not be read.",
            (MalformedJson, Lang::De) => "Die Anfrage konnte nicht gelesen werden.",
            (LengthRequired, Lang::En) => "The request must say how long it is (Content-Length).",
            (LengthRequired, Lang::De) => "Die Anfrage muss ihre Länge angeben (Content-Length).",
            (PayloadTooLarge, Lang::En) => "The request is too large.",
            (PayloadTooLarge, Lang::De) => "Die Anfrage ist zu groß.",
            (UnsupportedMediaType, Lang::En) => "The request must be sent as JSON.",
            (UnsupportedMediaType, Lang::De) => "Die Anfrage muss als JSON gesendet werden.",
            (FieldMissing, Lang::En) => "This field is required.",
            (FieldMissing, Lang::De) => "Dieses Feld ist ein Pflichtfeld.",
            (FieldTooLong, Lang::En) => "This is too long.",
            (FieldTooLong, Lang::De) => "Die Eingabe ist zu lang.",
            (FieldInvalid, Lang::En) => "This is not valid.",
            (FieldInvalid, Lang::De) => "Die Eingabe ist ungültig.",
            (InvalidCredentials, Lang::En) => "Client ID, username or password is wrong.",
            (InvalidCredentials, Lang::De) => "Mandanten-ID, Benutzername oder Passwort ist falsch.",
            (InvalidCode, Lang::En) => "That code is not right, or was used already. Enter the code your app shows now.",
            (InvalidCode, Lang::De) => "Dieser Code stimmt nicht oder wurde schon verwendet. Geben Sie den Code ein, den Ihre App jetzt zeigt.",
            (SignInExpired, Lang::En) => "This sign-in timed out. Enter your password again.",
            (SignInExpired, Lang::De) => "Diese Anmeldung ist abgelaufen. Geben Sie Ihr Passwort erneut ein.",
            (TwoFactorOn, Lang::En) => "Two-factor authentication is on already.",
            (TwoFactorOn, Lang::De) => "Die Zwei-Faktor-Authentifizierung ist bereits eingeschaltet.",
            (NoPendingEnrolment, Lang::En) => "Start the set-up again: there is no new key waiting for its code.",
            (NoPendingEnrolment, Lang::De) => "Beginnen Sie die Einrichtung erneut: Es wartet kein neuer Schlüssel auf seinen Code.",
            (TwoFactorOff, Lang::En) => "Two-factor authentication is not on.",
            (TwoFactorOff, Lang::De) => "Die Zwei-Faktor-Authentifizierung ist nicht eingeschaltet.",
            (TwoFactorSetupRequired, Lang::En) => "Your organisation requires two-factor authentication: set it up first.",
            (TwoFactorSetupRequired, Lang::De) => "Ihre Organisation verlangt die Zwei-Faktor-Authentifizierung: Richten Sie sie zuerst ein.",
            (TwoFactorRequiredByClient, Lang::En) => "Your organisation requires two-factor authentication: it cannot be turned off.",
            (TwoFactorRequiredByClient, Lang::De) => "Ihre Organisation verlangt die Zwei-Faktor-Authentifizierung: Sie kann nicht ausgeschaltet werden.",
            (MailNotConfigured, Lang::En) => "No e-mail can be sent yet: the operator has not set the service's public address (PUBLIC_ORIGIN).",
            (MailNotConfigured, Lang::De) => "Es können noch keine E-Mails gesendet werden: Der Betreiber hat die öffentliche Adresse des Dienstes (PUBLIC_ORIGIN) nicht gesetzt.",
            (Unauthenticated, Lang::En) => "Please sign in.",
            (Unauthenticated, Lang::De) => "Bitte melden Sie sich an.",
            (Forbidden, Lang::En) => "You are not allowed to do this.",
            (Forbidden, Lang::De) => "Dazu sind Sie nicht berechtigt.",
            (CsrfRejected, Lang::En) => "The request came from another site and was refused.",
            (CsrfRejected, Lang::De) => "Die Anfrage kam von einer anderen Website und wurde abgelehnt.",
            (NotFound, Lang::En) => "Not found.",
            (NotFound, Lang::De) => "Nicht gefunden.",
            (MethodNotAllowed, Lang::En) => "This action is not supported here.",
            (MethodNotAllowed, Lang::De) => "Diese Aktion wird hier nicht unterstützt.",
            (RateLimited, Lang::En) => "Too many attempts. Please wait a minute and try again.",
            (RateLimited, Lang::De) => "Zu viele Versuche. Bitte warten Sie eine Minute und versuchen Sie es erneut.",
            (EmailTaken, Lang::En) => "An account with this e-mail address already exists in this client.",
            (EmailTaken, Lang::De) => "In diesem Mandanten gibt es bereits ein Konto mit dieser E-Mail-Adresse.",
            (UsernameTaken, Lang::En) => "This username is already taken in this client.",
            (UsernameTaken, Lang::De) => "Dieser Benutzername ist in diesem Mandanten bereits vergeben.",
            (InvitationNotFound, Lang::En) => "This invitation link is not valid. Please check that you copied the whole link.",
            (InvitationNotFound, Lang::De) => "Dieser Einladungslink ist ungültig. Bitte prüfen Sie, ob Sie den ganzen Link kopiert haben.",
            (InvitationExpired, Lang::En) => "This invitation has expired. Ask the person who invited you to send a new one.",
            (InvitationExpired, Lang::De) => "Diese Einladung ist abgelaufen. Bitten Sie die einladende Person um eine neue.",
            (InvitationCancelled, Lang::En) => "This invitation was cancelled by an administrator.",
            (InvitationCancelled, Lang::De) => "Diese Einladung wurde von einem Administrator zurückgezogen.",
            (InvitationReplaced, Lang::En) => "A newer invitation was sent to you. Please use the link in the latest e-mail.",
            (InvitationReplaced, Lang::De) => "Sie haben eine neuere Einladung erhalten. Bitte verwenden Sie den Link aus der neuesten E-Mail.",
            (InvitationUsed, Lang::En) => "This invitation has already been accepted. You can sign in.",
            (InvitationUsed, Lang::De) => "Diese Einladung wurde bereits angenommen. Sie können sich anmelden.",
            (ClientNotSender, Lang::En) => "Accounts can only be created in clients marked \u{201c}is sender\u{201d}.",
            (ClientNotSender, Lang::De) => "Konten können nur in Mandanten angelegt werden, die als \u{201e}Versender\u{201c} markiert sind.",
            (ClientIdTaken, Lang::En) => "Another client already uses this client ID.",
            (ClientIdTaken, Lang::De) => "Diese Mandanten-ID wird bereits von einem anderen Mandanten verwendet.",
            (MoveIntoOwnSubtree, Lang::En) => "A client cannot be moved below itself or one of its sub-clients.",
            (MoveIntoOwnSubtree, Lang::De) => "Ein Mandant kann nicht unter sich selbst oder einen seiner Untermandanten verschoben werden.",
            (CompanyImmutable, Lang::En) => "The company itself cannot be moved or deactivated.",
            (CompanyImmutable, Lang::De) => "Das Unternehmen selbst kann nicht verschoben oder deaktiviert werden.",
            (RoleNameTaken, Lang::En) => "Another role already has this name.",
            (RoleNameTaken, Lang::De) => "Eine andere Rolle hat bereits diesen Namen.",
            (BuiltinRole, Lang::En) => "Built-in roles cannot be changed or deleted.",
            (BuiltinRole, Lang::De) => "Integrierte Rollen können nicht geändert oder gelöscht werden.",
            (RoleInUse, Lang::En) => "This role is still assigned to accounts. Give them another role first.",
            (RoleInUse, Lang::De) => "Diese Rolle ist noch Konten zugewiesen. Weisen Sie diesen zuerst eine andere Rolle zu.",
            (LastAdmin, Lang::En) => "The company must keep at least one active admin.",
            (LastAdmin, Lang::De) => "Das Unternehmen muss mindestens einen aktiven Verwalter behalten.",
            (ExceedsOwnRights, Lang::En) => "You cannot grant permissions or client access that you do not have yourself.",
            (ExceedsOwnRights, Lang::De) => "Sie können keine Rechte oder Mandantenzugriffe vergeben, die Sie selbst nicht haben.",
            (OutsideAccess, Lang::En) => "You do not have access to this client.",
            (OutsideAccess, Lang::De) => "Sie haben keinen Zugriff auf diesen Mandanten.",
            (Conflict, Lang::En) => "Someone else changed this at the same moment. Nothing was changed; please reload and try again.",
            (AlreadyRegistered, Lang::En) => "This person has already registered: there is no invitation to resend or cancel.",
            (AlreadyRegistered, Lang::De) => "Diese Person hat sich bereits registriert: Es gibt keine Einladung, die erneut gesendet oder storniert werden könnte.",
            (NoPendingInvitation, Lang::En) => "There is no pending invitation to cancel.",
            (NoPendingInvitation, Lang::De) => "Es gibt keine offene Einladung, die storniert werden könnte.",
            (Conflict, Lang::De) => "Jemand anderes hat dies gleichzeitig geändert. Es wurde nichts geändert; bitte neu laden und erneut versuchen.",
            (NeverRegistered, Lang::En) => "This person has not registered yet, so there is no account to switch off or reset. Resend or cancel the invitation instead.",
            (NeverRegistered, Lang::De) => "Diese Person hat sich noch nicht registriert; es gibt kein Konto zum Deaktivieren oder Zurücksetzen. Senden Sie die Einladung erneut oder stornieren Sie sie.",
            (AccountDeactivated, Lang::En) => "This account is deactivated. Activate it first.",
            (AccountDeactivated, Lang::De) => "Dieses Konto ist deaktiviert. Aktivieren Sie es zuerst.",
            (AlreadyDeactivated, Lang::En) => "This account is already deactivated.",
            (AlreadyDeactivated, Lang::De) => "Dieses Konto ist bereits deaktiviert.",
            (NotDeactivated, Lang::En) => "This account is not deactivated.",
            (NotDeactivated, Lang::De) => "Dieses Konto ist nicht deaktiviert.",
            (TooManyAccounts, Lang::En) => "At most 1,000 accounts at once: narrow the filter or the search.",
            (TooManyAccounts, Lang::De) => "Höchstens 1.000 Konten auf einmal: Grenzen Sie Filter oder Suche ein.",
            (OwnAccount, Lang::En) => "Not on your own account: you cannot deactivate, delete or reset it, or change its role in bulk. Ask another admin.",
            (OwnAccount, Lang::De) => "Nicht für Ihr eigenes Konto: Sie können es nicht deaktivieren, löschen, zurücksetzen oder per Sammelaktion seine Rolle ändern. Bitten Sie einen anderen Verwalter.",
            (LinkAccountDeactivated, Lang::En) => "This link no longer works: the account was deactivated by an administrator.",
            (LinkAccountDeactivated, Lang::De) => "Dieser Link funktioniert nicht mehr: Das Konto wurde von einem Administrator deaktiviert.",
            (LinkAccountDeleted, Lang::En) => "This link no longer works: the account was deleted.",
            (LinkAccountDeleted, Lang::De) => "Dieser Link funktioniert nicht mehr: Das Konto wurde gelöscht.",
            (ResetNotFound, Lang::En) => "This password-reset link is not valid. Please check that you copied the whole link.",
            (ResetNotFound, Lang::De) => "Dieser Link zum Zurücksetzen des Passworts ist ungültig. Bitte prüfen Sie, ob Sie den ganzen Link kopiert haben.",
            (ResetExpired, Lang::En) => "This password-reset link has expired. Ask for a new one.",
            (ResetExpired, Lang::De) => "Dieser Link zum Zurücksetzen des Passworts ist abgelaufen. Fordern Sie einen neuen an.",
            (ResetUsed, Lang::En) => "This password-reset link was already used or replaced by a newer one. Use the latest e-mail, or ask for a new link.",
            (ResetUsed, Lang::De) => "Dieser Link wurde bereits verwendet oder durch einen neueren ersetzt. Verwenden Sie die neueste E-Mail oder fordern Sie einen neuen Link an.",
            (RecoveryWindowOver, Lang::En) => "The recovery window of this deleted account is over.",
            (RecoveryWindowOver, Lang::De) => "Die Frist zur Wiederherstellung dieses gelöschten Kontos ist abgelaufen.",
            (OperatorOnly, Lang::En) => "This is an operator action: the operator secret is missing or wrong.",
            (OperatorOnly, Lang::De) => "Dies ist eine Betreiber-Aktion: Das Betreiber-Geheimnis fehlt oder ist falsch.",
            (WeakPassword, Lang::En) => "The password does not meet all the rules.",
            (WeakPassword, Lang::De) => "Das Passwort erfüllt nicht alle Regeln.",
            (PasswordMismatch, Lang::En) => "The passwords do not match.",
            (PasswordMismatch, Lang::De) => "Die Passwörter stimmen nicht überein.",
            (Internal, Lang::En) => "Something went wrong on our side. Nothing was changed; please try again.",
            (Internal, Lang::De) => "Bei uns ist ein Fehler aufgetreten. Es wurde nichts geändert; bitte versuchen Sie es erneut.",
        }
    }
}

impl PasswordRule {
    /// The checklist line for this rule.
    pub fn text(self, lang: Lang) -> String {
        use PasswordRule::*;
        match (self, lang) {
            (MinLength(n), Lang::En) => format!("At least {n} characters"),
            (MinLength(n), Lang::De) => format!("Mindestens {n} Zeichen"),
            (MaxLength(n), Lang::En) => format!("At most {n} characters"),
            (MaxLength(n), Lang::De) => format!("Höchstens {n} Zeichen"),
            (Uppercase, Lang::En) => "An upper-case letter".into(),
            (Uppercase, Lang::De) => "Ein Großbuchstabe".into(),
            (Lowercase, Lang::En) => "A lower-case letter".into(),
            (Lowercase, Lang::De) => "Ein Kleinbuchstabe".into(),
            (Digit, Lang::En) => "A digit".into(),
            (Digit, Lang::De) => "Eine Ziffer".into(),
            (Special, Lang::En) => "A special character (e.g. ! ? # %)".into(),
            (Special, Lang::De) => "Ein Sonderzeichen (z. B. ! ? # %)".into(),
            (NotCommon, Lang::En) => "Not a commonly used password".into(),
            (NotCommon, Lang::De) => "Kein häufig verwendetes Passwort".into(),
            (NotBreached, Lang::En) => "Not found in a known data breach".into(),
            (NotBreached, Lang::De) => "Nicht in einem bekannten Datenleck enthalten".into(),
            (NotPersonal, Lang::En) => "Does not contain your name, username or e-mail".into(),
            (NotPersonal, Lang::De) => {
                "Enthält weder Namen, Benutzernamen noch E-Mail-Adresse".into()
            }
        }
    }
}
