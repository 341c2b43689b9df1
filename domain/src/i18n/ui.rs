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
