//! The app's strings. Add a key with both texts; `{0}`-style places are filled with [`super::fill`].

use super::Lang;

macro_rules! catalogue {
    ($($(#[$doc:meta])* $key:ident => $en:literal, $de:literal;)*) => {
        /// A UI string key.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        pub enum Ui {
            $($(#[$doc])* #[allow(missing_docs)] $key,)*
        }

        impl Ui {
            /// The text in the given language.
            pub fn text(self, lang: Lang) -> &'static str {
                match (self, lang) {
                    $((Ui::$key, Lang::En) => $en, (Ui::$key, Lang::De) => $de,)*
                }
            }
        }
    };
}

catalogue! {
    AppName => "Gatehouse", "Gatehouse";
    Loading => "Loading…", "Wird geladen …";
    Language => "Language", "Sprache";
    SignIn => "Sign in", "Anmelden";
    SignInTitle => "Sign in to Gatehouse", "Bei Gatehouse anmelden";
    SignInLead => "Use the client ID, username and password of your account.", "Verwenden Sie Mandanten-ID, Benutzernamen und Passwort Ihres Kontos.";
    SigningIn => "Signing in…", "Anmeldung läuft …";
    SignOut => "Sign out", "Abmelden";
    ClientId => "Client ID", "Mandanten-ID";
    Username => "Username", "Benutzername";
    Password => "Password", "Passwort";
    ConfirmPassword => "Confirm password", "Passwort bestätigen";
    ShowPassword => "Show password", "Passwort anzeigen";
    Users => "Users", "Benutzer";
    UsersLead => "Everyone with an account in {0}.", "Alle Personen mit einem Konto in {0}.";
    InviteUser => "Invite user", "Benutzer einladen";
    FirstName => "First name", "Vorname";
    Surname => "Surname", "Nachname";
    Name => "Name", "Name";
    Email => "E-mail", "E-Mail";
    Role => "Role", "Rolle";
    RoleUser => "User", "Benutzer";
    RoleAdmin => "Admin", "Verwalter";
    Status => "Status", "Status";
    StatusAll => "All", "Alle";
    StatusInvited => "Invited", "Eingeladen";
    StatusExpired => "Expired", "Abgelaufen";
    StatusAccepted => "Accepted", "Angenommen";
    StatusDeactivated => "Deactivated", "Deaktiviert";
    ExpiresOn => "expires {0}", "läuft ab am {0}";
    ExpiredOn => "expired {0}", "abgelaufen am {0}";
    FilterByStatus => "Filter by status", "Nach Status filtern";
    NoUsers => "No accounts yet", "Noch keine Konten";
    NoUsersLead => "Invite the first person to your company.", "Laden Sie die erste Person in Ihr Unternehmen ein.";
    NoUsersWithStatus => "No accounts with this status.", "Keine Konten mit diesem Status.";
    NextPage => "Next page", "Nächste Seite";
    PreviousPage => "Previous page", "Vorherige Seite";
    FirstPage => "First page", "Erste Seite";
    Required => "required", "Pflichtfeld";
    UsernameHint => "Proposed from the name; you can change it.", "Aus dem Namen vorgeschlagen; Sie können ihn ändern.";
    PersonalMessage => "Personal message (optional)", "Persönliche Nachricht (optional)";
    PersonalMessageHint => "Added to the invitation e-mail.", "Wird der Einladungs-E-Mail hinzugefügt.";
    InvitationLanguage => "Language of the invitation", "Sprache der Einladung";
    SendInvitation => "Send invitation", "Einladung senden";
    Sending => "Sending…", "Wird gesendet …";
    Cancel => "Cancel", "Abbrechen";
    Close => "Close", "Schließen";
    InvitationSent => "Invitation sent to {0}.", "Einladung an {0} gesendet.";
    AcceptTitle => "Welcome to {0}", "Willkommen bei {0}";
    AcceptLead => "{0} invited you. Check your details and choose a password.", "{0} hat Sie eingeladen. Prüfen Sie Ihre Daten und wählen Sie ein Passwort.";
    AcceptExpires => "This link works until {0}.", "Dieser Link ist bis {0} gültig.";
    YourDetails => "Your details", "Ihre Daten";
    ChoosePassword => "Choose a password", "Passwort wählen";
    PasswordRules => "Your password needs:", "Ihr Passwort benötigt:";
    RuleMet => "met", "erfüllt";
    RuleNotMet => "not met yet", "noch nicht erfüllt";
    PasswordsMatch => "Both passwords match", "Beide Passwörter stimmen überein";
    AcceptInvitation => "Accept invitation and sign in", "Einladung annehmen und anmelden";
    Accepting => "Setting up your account…", "Ihr Konto wird eingerichtet …";
    InvitationProblem => "This invitation cannot be used", "Diese Einladung kann nicht verwendet werden";
    GoToSignIn => "Go to sign-in", "Zur Anmeldung";
    Welcome => "Welcome, {0}! Your account is ready.", "Willkommen, {0}! Ihr Konto ist eingerichtet.";
    NotFoundTitle => "Page not found", "Seite nicht gefunden";
    BackHome => "Back to the start page", "Zurück zur Startseite";
    TryAgain => "Try again", "Erneut versuchen";
    SignedInAs => "Signed in as {0}", "Angemeldet als {0}";
    NoPermission => "Your role does not allow you to manage accounts.", "Ihre Rolle erlaubt keine Verwaltung von Konten.";
    SkipToContent => "Skip to main content", "Zum Hauptinhalt springen";
    MainNavigation => "Main", "Hauptnavigation";
    RequiredNote => "Fields marked with * are required.", "Mit * markierte Felder sind Pflichtfelder.";
    InviteUserLead => "The person gets an e-mail with a link to set their password.", "Die Person erhält eine E-Mail mit einem Link, um ihr Passwort festzulegen.";
    Pagination => "Pages", "Seiten";
    CheckingLink => "Checking your invitation link…", "Ihr Einladungslink wird geprüft …";
    MessageFrom => "Message from {0}", "Nachricht von {0}";
    HomeTitle => "Hello, {0}", "Hallo, {0}";
    HomeLead => "You are signed in to {0}.", "Sie sind bei {0} angemeldet.";
    YourAccount => "Your account", "Ihr Konto";
    Client => "Client", "Mandant";
    CompaniesAndClients => "Companies & Clients", "Unternehmen & Mandanten";
    Roles => "Roles", "Rollen";
    ActiveClient => "Active client", "Aktiver Mandant";
    ClientSwitched => "You are now working in {0}.", "Sie arbeiten jetzt in {0}.";
    NoPermissionPage => "You do not have permission to see this page.", "Sie haben keine Berechtigung, diese Seite zu sehen.";
    NotSenderNote => "Accounts can only be created in clients marked \u{201c}is sender\u{201d}, and {0} is not one.", "Konten können nur in Mandanten angelegt werden, die als \u{201e}Versender\u{201c} markiert sind; {0} ist keiner.";
    InviteIntoClient => "The account is created in {0}; the person gets an e-mail with a link to set their password.", "Das Konto wird in {0} angelegt; die Person erhält eine E-Mail mit einem Link, um ihr Passwort festzulegen.";
    AdditionalPermissions => "Additional permissions", "Zusätzliche Berechtigungen";
    AdditionalPermissionsHint => "On top of the role's permissions. You can only grant what you hold yourself.", "Zusätzlich zu den Berechtigungen der Rolle. Sie können nur vergeben, was Sie selbst haben.";
    NoPermissionsToGrant => "You hold no permission you could grant.", "Sie haben keine Berechtigung, die Sie vergeben könnten.";
    IncludedInRole => "(included in the role)", "(in der Rolle enthalten)";
    ClientAccess => "Client access", "Mandantenzugriff";
    AccessAll => "All clients", "Alle Mandanten";
    AccessAllHint => "The account's own client and every client below it.", "Der eigene Mandant des Kontos und alle Mandanten darunter.";
    AccessAllUnavailable => "Only available to admins who may access all clients themselves.", "Nur für Verwalter, die selbst auf alle Mandanten zugreifen dürfen.";
    AccessChosen => "Chosen clients", "Ausgewählte Mandanten";
    AccessChosenHint => "Only the clients ticked here (not their sub-clients).", "Nur die hier angekreuzten Mandanten (ohne deren Untermandanten).";
    AccessNeedsOne => "Choose at least one client.", "Wählen Sie mindestens einen Mandanten.";
    ChosenClients => "Clients the account may access", "Mandanten, auf die das Konto zugreifen darf";
    DefaultClient => "Default client (optional)", "Standardmandant (optional)";
    DefaultClientHint => "Where the person lands after signing in.", "Hier landet die Person nach der Anmeldung.";
    DefaultClientNone => "The account's own client", "Der eigene Mandant des Kontos";
    PermViewAccounts => "View accounts", "Konten ansehen";
    PermManageRolesAndRights => "Manage roles and rights", "Rollen und Rechte verwalten";
    PermManageClients => "Manage clients", "Mandanten verwalten";
    PermManageRoles => "Manage custom roles", "Eigene Rollen verwalten";
    PermManageSettings => "Manage settings", "Einstellungen verwalten";
    PermViewAuditLog => "View audit log", "Protokoll einsehen";
    PermViewLicenses => "View licenses", "Lizenzen ansehen";
    PermCopyInvitationLinks => "Copy invitation links", "Einladungslinks kopieren";
    ClientsLead => "The clients of your company that you may access. Select one to see its accounts and settings.", "Die Mandanten Ihres Unternehmens, auf die Sie zugreifen dürfen. Wählen Sie einen aus, um seine Konten und Einstellungen zu sehen.";
    Clients => "Clients", "Mandanten";
    IsSender => "Is sender", "Versender";
    Active => "Active", "Aktiv";
    Inactive => "Inactive", "Inaktiv";
    Yes => "Yes", "Ja";
    No => "No", "Nein";
    NoClients => "No clients to show.", "Keine Mandanten vorhanden.";
    NewSubClient => "New sub-client", "Neuer Untermandant";
    NewSubClientLead => "It is created below {0}.", "Er wird unterhalb von {0} angelegt.";
    ClientIdHint => "2–32 lowercase letters, digits and hyphens; typed at sign-in.", "2–32 Kleinbuchstaben, Ziffern und Bindestriche; wird bei der Anmeldung eingegeben.";
    IsSenderHint => "Accounts can only be created in sender clients.", "Konten können nur in Versender-Mandanten angelegt werden.";
    Create => "Create", "Anlegen";
    Creating => "Creating…", "Wird angelegt …";
    Save => "Save", "Speichern";
    Saving => "Saving…", "Wird gespeichert …";
    Rename => "Rename", "Umbenennen";
    RenameClient => "Rename client", "Mandant umbenennen";
    Move => "Move", "Verschieben";
    MoveClient => "Move client", "Mandant verschieben";
    MoveLead => "{0} moves with all its sub-clients below the client you choose.", "{0} wird mit allen Untermandanten unter den gewählten Mandanten verschoben.";
    NewParent => "New parent client", "Neuer übergeordneter Mandant";
    NoMoveTargets => "There is no other client this one could move below.", "Es gibt keinen anderen Mandanten, unter den dieser verschoben werden könnte.";
    MarkSender => "Mark as sender", "Als Versender markieren";
    UnmarkSender => "Remove sender mark", "Versender-Markierung entfernen";
    Deactivate => "Deactivate", "Deaktivieren";
    Activate => "Activate", "Aktivieren";
    DeactivateClientTitle => "Deactivate {0}?", "{0} deaktivieren?";
    DeactivateClientText => "Accounts in this client and in every client below it can no longer sign in until it is activated again.", "Konten in diesem Mandanten und in allen Mandanten darunter können sich nicht mehr anmelden, bis er wieder aktiviert wird.";
    ActivateClientTitle => "Activate {0}?", "{0} aktivieren?";
    ActivateClientText => "Accounts in this client can sign in again.", "Konten in diesem Mandanten können sich wieder anmelden.";
    ClientCreated => "Client {0} created.", "Mandant {0} angelegt.";
    ClientSaved => "Changes to {0} saved.", "Änderungen an {0} gespeichert.";
    ParentClient => "Parent client", "Übergeordneter Mandant";
    Company => "Company", "Unternehmen";
    ClientSections => "Client sections", "Bereiche des Mandanten";
    ClientActions => "Client actions", "Aktionen für den Mandanten";
    Settings => "Settings", "Einstellungen";
    SettingsLead => "A value set here applies to this client and every client below it that does not set its own.", "Ein hier gesetzter Wert gilt für diesen Mandanten und alle Mandanten darunter, die keinen eigenen setzen.";
    SourceDefault => "Default", "Standard";
    SourceOwn => "Set for this client", "Für diesen Mandanten festgelegt";
    SourceInherited => "Inherited from {0}", "Geerbt von {0}";
    InheritedAfterSave => "Inherited once saved", "Wird nach dem Speichern geerbt";
    ResetToInherited => "Reset to inherited", "Auf geerbten Wert zurücksetzen";
    InForce => "In force: {0}", "Gültig: {0}";
    InvitationValidity => "Invitation link validity", "Gültigkeit des Einladungslinks";
    ResetValidity => "Password-reset link validity", "Gültigkeit des Links zum Zurücksetzen des Passworts";
    Unit => "Unit", "Einheit";
    Hours => "hours", "Stunden";
    Days => "days", "Tage";
    HourValue => "1 hour", "1 Stunde";
    HoursValue => "{0} hours", "{0} Stunden";
    DayValue => "1 day", "1 Tag";
    DaysValue => "{0} days", "{0} Tage";
    TtlHint => "Between 1 hour and 90 days.", "Zwischen 1 Stunde und 90 Tagen.";
    PasswordPresetLabel => "Password rules", "Passwortregeln";
    PresetDefault => "Default: 8+ characters with upper and lower case, a digit and a special character", "Standard: ab 8 Zeichen mit Groß- und Kleinbuchstaben, Ziffer und Sonderzeichen";
    PresetNist => "NIST: 15+ characters, no composition rules", "NIST: ab 15 Zeichen, ohne Zusammensetzungsregeln";
    MinPasswordLength => "Minimum password length", "Mindestlänge des Passworts";
    MinLengthHint => "8 to 128; never below the rules' own minimum.", "8 bis 128; nie unter dem Minimum der Passwortregeln.";
    PresetMinimum => "the rules' own minimum", "Minimum der Passwortregeln";
    UsernameFormatLabel => "Username format", "Format des Benutzernamens";
    FormatFirstLast => "first.last (anna.mueller)", "vorname.nachname (anna.mueller)";
    FormatInitialLast => "flast (amueller)", "vnachname (amueller)";
    FormatLastFirst => "last.first (mueller.anna)", "nachname.vorname (mueller.anna)";
    DefaultRole => "Default role", "Standardrolle";
    SettingsLanguage => "Language of e-mails and the accept page", "Sprache der E-Mails und der Annahmeseite";
    DeletionAfter => "Delete deactivated accounts after (days)", "Deaktivierte Konten löschen nach (Tagen)";
    DeletionHint => "1 to 3650 days.", "1 bis 3650 Tage.";
    SaveSettings => "Save settings", "Einstellungen speichern";
    SettingsSaved => "Settings of {0} saved.", "Einstellungen von {0} gespeichert.";
    RolesLead => "What each role of your company permits.", "Was jede Rolle Ihres Unternehmens erlaubt.";
    NewRole => "New role", "Neue Rolle";
    EditRoleNamed => "Edit {0}", "{0} bearbeiten";
    DeleteRoleNamed => "Delete {0}", "{0} löschen";
    Edit => "Edit", "Bearbeiten";
    Delete => "Delete", "Löschen";
    Deleting => "Deleting…", "Wird gelöscht …";
    DeleteRoleTitle => "Delete the role {0}?", "Die Rolle {0} löschen?";
    DeleteRoleText => "This cannot be undone. A role that accounts still hold cannot be deleted.", "Das kann nicht rückgängig gemacht werden. Eine Rolle, die noch Konten haben, kann nicht gelöscht werden.";
    RoleName => "Role name", "Name der Rolle";
    Permissions => "Permissions", "Berechtigungen";
    PermissionsHint => "You can only grant permissions you hold yourself.", "Sie können nur Berechtigungen vergeben, die Sie selbst haben.";
    BuiltinNote => "Built-in roles cannot be changed or deleted.", "Integrierte Rollen können nicht geändert oder gelöscht werden.";
    Builtin => "Built-in", "Integriert";
    RoleCreated => "Role {0} created.", "Rolle {0} angelegt.";
    RoleSaved => "Role {0} saved.", "Rolle {0} gespeichert.";
    RoleDeleted => "Role {0} deleted.", "Rolle {0} gelöscht.";
    Granted => "granted", "erteilt";
    NotGranted => "not granted", "nicht erteilt";
    Actions => "Actions", "Aktionen";
    Account => "Account", "Konto";
    RoleAndAccess => "Role and access", "Rolle und Zugriff";
    AccountSaved => "Role and access of {0} saved.", "Rolle und Zugriff von {0} gespeichert.";
    ReadOnlyAccess => "You may see this account but not change its role or access.", "Sie dürfen dieses Konto sehen, aber Rolle und Zugriff nicht ändern.";
    BackToUsers => "Back to users", "Zurück zu den Benutzern";
    EffectivePermissions => "Permissions in force", "Gültige Berechtigungen";
    NoneGranted => "none", "keine";
    ResendInvitation => "Resend invitation", "Einladung erneut senden";
    StatusCancelled => "Cancelled", "Storniert";
    CancelInvitation => "Cancel invitation", "Einladung stornieren";
    CancelInvitationOf => "Cancel invitation of {0}", "Einladung stornieren von {0}";
    CancelInvitationQuestion => "Cancel the invitation of {0}?", "Einladung von {0} stornieren?";
    CancelInvitationText => "The link in the e-mail stops working at once. You can send a new one at any time.", "Der Link in der E-Mail funktioniert sofort nicht mehr. Sie können jederzeit einen neuen senden.";
    Cancelling => "Cancelling…", "Wird storniert …";
    KeepInvitation => "Keep invitation", "Einladung behalten";
    InvitationCancelled => "The invitation of {0} was cancelled.", "Die Einladung von {0} wurde storniert.";
    ResendInvitationTo => "Resend invitation to {0}", "Einladung erneut senden an {0}";
    InvitationResent => "A new invitation went to {0}; the old link no longer works.", "Eine neue Einladung ging an {0}; der alte Link funktioniert nicht mehr.";
    InvitationSentAs => "Invitation sent to {0}, username {1}.", "Einladung an {0} gesendet, Benutzername {1}.";
    SearchUsers => "Search", "Suchen";
    SearchPlaceholder => "Name, username or e-mail", "Name, Benutzername oder E-Mail";
    ClearSearch => "Clear search", "Suche löschen";
    StatusExpiring => "Expiring in 3 days", "Läuft in 3 Tagen ab";
    SortBy => "Sort by", "Sortieren nach";
    SortNewest => "Date invited", "Einladungsdatum";
    SortName => "Name (A–Z)", "Name (A–Z)";
    SortStatus => "Status", "Status";
    SortedByMatch => "Matches A–Z", "Treffer A–Z";
    SortedByExpiry => "By expiry date", "Nach Ablaufdatum";
    PageSize => "Per page", "Pro Seite";
    MatchOne => "1 match", "1 Treffer";
    MatchMany => "{0} matches", "{0} Treffer";
    MatchMore => "More than {0} matches: type more to narrow it down", "Mehr als {0} Treffer: Geben Sie mehr ein, um einzugrenzen";
    AccountsInFilter => "{0} accounts", "{0} Konten";
    AccountsInFilterOne => "1 account", "1 Konto";
    NoMatches => "Nobody matches “{0}”.", "Niemand passt zu „{0}“.";
    NoMatchesLead => "Check the spelling, or search for the start of a name, username or e-mail address.", "Prüfen Sie die Schreibweise oder suchen Sie nach dem Anfang eines Namens, Benutzernamens oder einer E-Mail-Adresse.";
    DiscardQuestion => "Discard what you typed?", "Eingaben verwerfen?";
    KeepEditing => "Keep editing", "Weiter bearbeiten";
    Discard => "Discard", "Verwerfen";
    AccountActions => "Account actions", "Kontoaktionen";
    AccountActionsLead => "What you can do with this account now.", "Was Sie jetzt mit diesem Konto tun können.";
    Deactivating => "Deactivating…", "Wird deaktiviert …";
    DeactivateQuestion => "Deactivate {0}?", "{0} deaktivieren?";
    DeactivateText => "They can no longer sign in, and every open session ends at once. You can activate the account again later.", "Die Person kann sich nicht mehr anmelden; alle offenen Sitzungen enden sofort. Sie können das Konto später wieder aktivieren.";
    Activating => "Activating…", "Wird aktiviert …";
    ActivateQuestion => "Activate {0}?", "{0} aktivieren?";
    ActivateText => "They can sign in again with their password.", "Die Person kann sich wieder mit ihrem Passwort anmelden.";
    DeleteAccount => "Delete account", "Konto löschen";
    DeleteAccountQuestion => "Delete {0}?", "{0} löschen?";
    DeleteAccountText => "The account disappears from every list and can no longer sign in; its sessions and links end. An operator can recover it within 30 days, then it is purged for good.", "Das Konto verschwindet aus allen Listen und kann sich nicht mehr anmelden; Sitzungen und Links enden. Ein Betreiber kann es 30 Tage lang wiederherstellen, danach wird es endgültig entfernt.";
    ResetAccount => "Reset account", "Konto zurücksetzen";
    ResettingAccount => "Resetting…", "Wird zurückgesetzt …";
    ResetAccountQuestion => "Reset the account of {0}?", "Konto von {0} zurücksetzen?";
    ResetAccountText => "The password is cleared, every session ends, and a new registration e-mail goes out to set the account up again.", "Das Passwort wird gelöscht, alle Sitzungen enden, und eine neue Registrierungs-E-Mail geht hinaus, um das Konto neu einzurichten.";
    SendPasswordReset => "Send password reset", "Passwort-Reset senden";
    SendingPasswordReset => "Sending…", "Wird gesendet …";
    PasswordResetQuestion => "Send {0} a password-reset link?", "{0} einen Link zum Zurücksetzen senden?";
    PasswordResetText => "They get an e-mail with a link to choose a new password. Their current password works until the link is used; then every session ends.", "Die Person erhält eine E-Mail mit einem Link, um ein neues Passwort zu wählen. Das bisherige Passwort gilt, bis der Link benutzt wird; dann enden alle Sitzungen.";
    CopyInvitationLink => "Copy invitation link", "Einladungslink kopieren";
    CreatingLink => "Creating link…", "Link wird erstellt …";
    CopyLinkQuestion => "Create a new invitation link for {0}?", "Neuen Einladungslink für {0} erstellen?";
    CopyLinkText => "A fresh link is shown once for you to pass on; it is not e-mailed. Any earlier link stops working.", "Ein neuer Link wird einmal angezeigt, damit Sie ihn weitergeben; er wird nicht gemailt. Frühere Links funktionieren nicht mehr.";
    LinkShownOnce => "Invitation link, shown once", "Einladungslink, nur einmal angezeigt";
    LinkShownOnceHint => "Copy it now and pass it on securely. It works until {0}.", "Kopieren Sie ihn jetzt und geben Sie ihn sicher weiter. Er gilt bis {0}.";
    AccountDeactivatedToast => "{0} was deactivated; their sessions ended.", "{0} wurde deaktiviert; die Sitzungen wurden beendet.";
    AccountActivatedToast => "{0} was activated.", "{0} wurde aktiviert.";
    AccountDeletedToast => "{0} was deleted.", "{0} wurde gelöscht.";
    AccountResetToast => "{0} got a new registration e-mail.", "{0} hat eine neue Registrierungs-E-Mail erhalten.";
    PasswordResetSentToast => "A password-reset link was sent to {0}.", "Ein Link zum Zurücksetzen wurde an {0} gesendet.";
    History => "History", "Verlauf";
    HistoryEmpty => "Nothing recorded yet.", "Noch nichts aufgezeichnet.";
    HistoryBy => "by {0}", "durch {0}";
    BySystem => "automatically", "automatisch";
    EditDetails => "Edit details", "Daten bearbeiten";
    EditDetailsOf => "Edit the details of {0}", "Daten von {0} bearbeiten";
    EmailChangeNote => "A registered person is told at the old and the new address; an invitation goes out again to a new address.", "Eine registrierte Person wird an der alten und der neuen Adresse informiert; eine Einladung geht an eine neue Adresse erneut hinaus.";
    DetailsSaved => "The details of {0} were saved.", "Die Daten von {0} wurden gespeichert.";
    ForgotPassword => "Forgot your password?", "Passwort vergessen?";
    ForgotTitle => "Reset your password", "Passwort zurücksetzen";
    ForgotLead => "Enter your client ID and your username or e-mail address. If an account matches, it gets an e-mail with a link to choose a new password.", "Geben Sie Mandanten-ID und Benutzernamen oder E-Mail-Adresse ein. Passt ein Konto, erhält es eine E-Mail mit einem Link für ein neues Passwort.";
    UsernameOrEmail => "Username or e-mail address", "Benutzername oder E-Mail-Adresse";
    SendResetLink => "Send reset link", "Link senden";
    ForgotSent => "If an account matches, an e-mail with a reset link is on its way. The link works for a limited time; look in your spam folder if nothing arrives.", "Falls ein Konto passt, ist eine E-Mail mit einem Link unterwegs. Der Link gilt nur begrenzt; sehen Sie im Spam-Ordner nach, falls nichts ankommt.";
    BackToSignIn => "Back to sign-in", "Zurück zur Anmeldung";
    ResetTitle => "Choose a new password", "Neues Passwort wählen";
    ResetLead => "For {0} at {1}. Every session of the account ends when you save.", "Für {0} bei {1}. Beim Speichern enden alle Sitzungen des Kontos.";
    ResetExpiresAt => "This link works until {0}.", "Dieser Link gilt bis {0}.";
    SetNewPassword => "Set new password", "Neues Passwort setzen";
    ResetProblem => "This link cannot be used", "Dieser Link kann nicht verwendet werden";
    PasswordChangedToast => "Your password was changed; every other session was signed out.", "Ihr Passwort wurde geändert; alle anderen Sitzungen wurden abgemeldet.";
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn both_languages_have_text() {
        for key in [Ui::SignIn, Ui::StatusExpired, Ui::AcceptTitle] {
            assert!(!key.text(Lang::En).is_empty());
            assert_ne!(key.text(Lang::En), key.text(Lang::De));
        }
    }
}
