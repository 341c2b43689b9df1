//! E-mail texts. Every mail has a plain-text and an HTML body; values are escaped in the HTML.

use super::{fill, format_utc, Lang};
use crate::time::Timestamp;

/// A mail ready for the outbox.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MailContent {
    /// Subject line.
    pub subject: String,
    /// Plain-text body.
    pub text: String,
    /// HTML body.
    pub html: String,
}

/// The invitation e-mail's data (the link carries the only copy of the secret token).
#[derive(Debug, Clone)]
pub struct Mail<'a> {
    /// Language of the mail.
    pub lang: Lang,
    /// The invited person's first name.
    pub first_name: &'a str,
    /// Who invited them.
    pub invited_by: &'a str,
    /// The client's display name.
    pub client_name: &'a str,
    /// The client ID for signing in.
    pub client_id: &'a str,
    /// The username they will have.
    pub username: &'a str,
    /// The accept link.
    pub link: &'a str,
    /// When the link stops working.
    pub expires_at: Timestamp,
    /// The admin's personal text, if any.
    pub message: Option<&'a str>,
}

/// The invitation e-mail.
pub fn invitation_mail(m: &Mail<'_>) -> MailContent {
    let expires = format_utc(m.expires_at, m.lang);
    let (subject, greeting, body, button, details, expiry, ignore) = match m.lang {
        Lang::En => (
            "{0} invited you to {1}",
            "Hello {0},",
            "{0} invited you to join {1}. Accept the invitation to check your details and set your password.",
            "Accept invitation",
            "Client ID: {0} · Username: {1}",
            "This link works until {0}. After that, ask {1} for a new one.",
            "If you did not expect this invitation, you can ignore this e-mail.",
        ),
        Lang::De => (
            "{0} hat Sie zu {1} eingeladen",
            "Hallo {0},",
            "{0} hat Sie zu {1} eingeladen. Nehmen Sie die Einladung an, um Ihre Daten zu prüfen und Ihr Passwort festzulegen.",
            "Einladung annehmen",
            "Mandanten-ID: {0} · Benutzername: {1}",
            "Dieser Link ist bis {0} gültig. Danach bitten Sie {1} um einen neuen.",
            "Falls Sie diese Einladung nicht erwartet haben, können Sie diese E-Mail ignorieren.",
        ),
    };
    let subject = fill(subject, &[m.invited_by, m.client_name]);
    let greeting = fill(greeting, &[m.first_name]);
    let body = fill(body, &[m.invited_by, m.client_name]);
    let details = fill(details, &[m.client_id, m.username]);
    let expiry = fill(expiry, &[&expires, m.invited_by]);
    let message_text = m
        .message
        .map(|msg| format!("\n\u{201c}{msg}\u{201d}\n"))
        .unwrap_or_default();
    let text = format!(
        "{greeting}\n\n{body}\n{message_text}\n{button}: {}\n\n{details}\n{expiry}\n\n{ignore}\n",
        m.link
    );
    let message_html = m
        .message
        .map(|msg| format!("<blockquote style=\"margin:16px 0;padding:8px 16px;border-left:3px solid #c7d2fe;color:#374151\">{}</blockquote>", escape_html(msg)))
        .unwrap_or_default();
    let html = format!(
        "<!doctype html><html lang=\"{lang}\"><body style=\"font-family:system-ui,sans-serif;color:#111827;line-height:1.5\">\
<p>{greeting}</p><p>{body}</p>{message_html}\
<p><a href=\"{link}\" style=\"display:inline-block;background:#4338ca;color:#fff;padding:10px 18px;border-radius:6px;text-decoration:none\">{button}</a></p>\
<p style=\"color:#4b5563;font-size:14px\">{details}<br>{expiry}</p><p style=\"color:#6b7280;font-size:13px\">{ignore}</p></body></html>",
        lang = m.lang.code(),
        greeting = escape_html(&greeting),
        body = escape_html(&body),
        link = escape_html(m.link),
        button = escape_html(button),
        details = escape_html(&details),
        expiry = escape_html(&expiry),
        ignore = escape_html(ignore),
    );
    MailContent {
        subject,
        text,
        html,
    }
}

/// What a security e-mail to the account holder is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Notice<'a> {
    /// An admin or the person asked for a password reset: the link, and when it stops working.
    PasswordResetLink {
        /// The reset page's link.
        link: &'a str,
        /// The first instant it no longer works.
        expires_at: Timestamp,
    },
    /// The password was just changed through a reset link; every session ended.
    PasswordChanged,
    /// An admin switched the account off.
    AccountDeactivated,
    /// An admin switched the account on again.
    AccountActivated,
    /// The person turned two-factor authentication on (`true`) or off.
    TwoFactorChanged {
        /// On now.
        on: bool,
    },
    /// The account's e-mail address changed (sent to the old and the new address).
    EmailChanged {
        /// The old address.
        old: &'a str,
        /// The new address.
        new: &'a str,
    },
    /// To the inviting admin: a person opened a dead invitation link and asks for a new one.
    NewLinkRequested {
        /// The person's name.
        person: &'a str,
        /// Their address.
        email: &'a str,
        /// The account's page, to resend from.
        link: &'a str,
    },
}

/// A security e-mail to the account holder (the person is told after every security change).
pub fn notice_mail(
    lang: Lang,
    first_name: &str,
    client_name: &str,
    notice: Notice<'_>,
) -> MailContent {
    let en = lang == Lang::En;
    let (subject, body, button, after): (&str, String, Option<(&str, &str)>, String) = match notice
    {
        Notice::PasswordResetLink { link, expires_at } => (
            if en { "Reset your password for {0}" } else { "Passwort für {0} zurücksetzen" },
            if en {
                "Someone asked to reset the password of your account at {0}. Choose a new password with the link below."
            } else {
                "Für Ihr Konto bei {0} wurde das Zurücksetzen des Passworts angefordert. Wählen Sie über den folgenden Link ein neues Passwort."
            }
            .to_owned(),
            Some((if en { "Choose a new password" } else { "Neues Passwort wählen" }, link)),
            fill(
                if en {
                    "This link works until {0}. If you did not ask for it, ignore this e-mail: your password stays as it is."
                } else {
                    "Dieser Link ist bis {0} gültig. Falls Sie das nicht angefordert haben, ignorieren Sie diese E-Mail: Ihr Passwort bleibt unverändert."
                },
                &[&format_utc(expires_at, lang)],
            ),
        ),
        Notice::PasswordChanged => (
            if en { "Your password for {0} was changed" } else { "Ihr Passwort für {0} wurde geändert" },
            if en {
                "The password of your account at {0} was just changed, and every session of the account was signed out."
            } else {
                "Das Passwort Ihres Kontos bei {0} wurde soeben geändert; alle Sitzungen des Kontos wurden abgemeldet."
            }
            .to_owned(),
            None,
            (if en { "If this was not you, contact your administrator at once." } else { "Falls Sie das nicht waren, wenden Sie sich sofort an Ihren Administrator." }).to_owned(),
        ),
        Notice::AccountDeactivated => (
            if en { "Your account at {0} was deactivated" } else { "Ihr Konto bei {0} wurde deaktiviert" },
            if en {
                "An administrator deactivated your account at {0}. You can no longer sign in, and every session was signed out."
            } else {
                "Ein Administrator hat Ihr Konto bei {0} deaktiviert. Sie können sich nicht mehr anmelden; alle Sitzungen wurden abgemeldet."
            }
            .to_owned(),
            None,
            (if en { "If you think this is a mistake, contact your administrator." } else { "Falls das ein Irrtum ist, wenden Sie sich an Ihren Administrator." }).to_owned(),
        ),
        Notice::AccountActivated => (
            if en { "Your account at {0} is active again" } else { "Ihr Konto bei {0} ist wieder aktiv" },
            if en {
                "An administrator activated your account at {0} again. You can sign in with your password."
            } else {
                "Ein Administrator hat Ihr Konto bei {0} wieder aktiviert. Sie können sich mit Ihrem Passwort anmelden."
            }
            .to_owned(),
            None,
            String::new(),
        ),
        Notice::TwoFactorChanged { on } => (
            match (on, en) {
                (true, true) => "Two-factor authentication is on for {0}",
                (true, false) => "Zwei-Faktor-Authentifizierung für {0} eingeschaltet",
                (false, true) => "Two-factor authentication was turned off for {0}",
                (false, false) => "Zwei-Faktor-Authentifizierung für {0} ausgeschaltet",
            },
            match (on, en) {
                (true, true) => "Signing in to your account at {0} now asks for a code from your authenticator app after your password. Keep your recovery codes somewhere safe.",
                (true, false) => "Die Anmeldung bei Ihrem Konto bei {0} fragt jetzt nach dem Passwort einen Code aus Ihrer Authenticator-App ab. Bewahren Sie Ihre Wiederherstellungscodes sicher auf.",
                (false, true) => "Two-factor authentication was turned off for your account at {0}: from now on only your password protects it.",
                (false, false) => "Für Ihr Konto bei {0} wurde die Zwei-Faktor-Authentifizierung ausgeschaltet: Ab jetzt schützt es nur noch Ihr Passwort.",
            }
            .to_owned(),
            None,
            (if en { "If this was not you, contact your administrator at once." } else { "Falls Sie das nicht waren, wenden Sie sich sofort an Ihren Administrator." }).to_owned(),
        ),
        Notice::EmailChanged { old, new } => (
            if en { "The e-mail address of your account at {0} changed" } else { "Die E-Mail-Adresse Ihres Kontos bei {0} wurde geändert" },
            fill(
                if en {
                    "The e-mail address of your account at {0} was changed from {1} to {2}."
                } else {
                    "Die E-Mail-Adresse Ihres Kontos bei {0} wurde von {1} in {2} geändert."
                },
                &[client_name, old, new],
            ),
            None,
            (if en { "If you did not expect this, contact your administrator at once." } else { "Falls Sie das nicht erwartet haben, wenden Sie sich sofort an Ihren Administrator." }).to_owned(),
        ),
        Notice::NewLinkRequested { person, email, link } => (
            if en { "A new invitation link is requested at {0}" } else { "Neuer Einladungslink angefordert bei {0}" },
            fill(
                if en {
                    "{1} ({2}) opened an invitation link to {0} that no longer works and asks for a new one. You can resend the invitation from the account's page."
                } else {
                    "{1} ({2}) hat einen Einladungslink zu {0} geöffnet, der nicht mehr funktioniert, und bittet um einen neuen. Sie können die Einladung auf der Seite des Kontos erneut senden."
                },
                &[client_name, person, email],
            ),
            Some((if en { "Open the account" } else { "Konto öffnen" }, link)),
            (if en { "You get this e-mail because you sent the invitation." } else { "Sie erhalten diese E-Mail, weil Sie die Einladung gesendet haben." }).to_owned(),
        ),
    };
    let subject = fill(subject, &[client_name]);
    let greeting = fill(if en { "Hello {0}," } else { "Hallo {0}," }, &[first_name]);
    let body = fill(&body, &[client_name]);
    let button_text = button
        .map(|(label, link)| format!("\n{label}: {link}\n"))
        .unwrap_or_default();
    let text = format!("{greeting}\n\n{body}\n{button_text}\n{after}\n");
    let button_html = button
        .map(|(label, link)| format!(
            "<p><a href=\"{}\" style=\"display:inline-block;background:#4338ca;color:#fff;padding:10px 18px;border-radius:6px;text-decoration:none\">{}</a></p>",
            escape_html(link),
            escape_html(label)
        ))
        .unwrap_or_default();
    let html = format!(
        "<!doctype html><html lang=\"{}\"><body style=\"font-family:system-ui,sans-serif;color:#111827;line-height:1.5\">\
<p>{}</p><p>{}</p>{button_html}<p style=\"color:#4b5563;font-size:14px\">{}</p></body></html>",
        lang.code(),
        escape_html(&greeting),
        escape_html(&body),
        escape_html(&after),
    );
    MailContent {
        subject,
        text,
        html,
    }
}

/// One line of a security report: when, what, from where.
#[derive(Debug, Clone, PartialEq)]
pub struct ReportLine<'a> {
    /// When it happened.
    pub at: Timestamp,
    /// The audit action's key (`session.signed_in`, …).
    pub action: &'a str,
    /// From which IP address, when known.
    pub ip: Option<&'a str>,
}

/// The security report an admin requested for the account holder: the security events of the
/// last `days` days (sign-ins, failed sign-ins, password and account changes) with time, client
/// and IP address, newest first.
pub fn security_report_mail(
    lang: Lang,
    first_name: &str,
    client_name: &str,
    days: u32,
    lines: &[ReportLine<'_>],
) -> MailContent {
    let en = lang == Lang::En;
    let subject = fill(
        if en {
            "Security report for your account at {0}"
        } else {
            "Sicherheitsbericht für Ihr Konto bei {0}"
        },
        &[client_name],
    );
    let greeting = fill(if en { "Hello {0}," } else { "Hallo {0}," }, &[first_name]);
    let intro = fill(
        if en {
            "An administrator of {0} asked for this report of the security events of your account in the last {1} days, newest first."
        } else {
            "Ein Administrator von {0} hat diesen Bericht über die Sicherheitsereignisse Ihres Kontos der letzten {1} Tage angefordert, neueste zuerst."
        },
        &[client_name, &days.to_string()],
    );
    let none = if en {
        "There were none: nobody signed in or tried to, and nothing about your sign-in changed."
    } else {
        "Es gab keine: Niemand hat sich angemeldet oder es versucht, und an Ihrer Anmeldung hat sich nichts geändert."
    };
    let after = if en {
        "If you see something you did not do, change your password and contact your administrator at once."
    } else {
        "Wenn Sie etwas sehen, das Sie nicht getan haben, ändern Sie Ihr Passwort und wenden Sie sich sofort an Ihren Administrator."
    };
    let unknown_ip = if en {
        "unknown IP address"
    } else {
        "unbekannte IP-Adresse"
    };
    let what = |key: &str| {
        crate::audit::label(key).map_or_else(|| key.to_owned(), |ui| ui.text(lang).to_owned())
    };
    let mut text = format!("{greeting}\n\n{intro}\n\n");
    let mut rows = String::new();
    if lines.is_empty() {
        text.push_str(none);
        text.push('\n');
    }
    for l in lines {
        let when = format_utc(l.at, lang);
        let ip = l.ip.unwrap_or(unknown_ip);
        text.push_str(&format!(
            "- {when}: {} ({client_name}, {ip})\n",
            what(l.action)
        ));
        rows.push_str(&format!(
            "<tr><td style=\"padding:4px 12px 4px 0\">{}</td><td style=\"padding:4px 12px 4px 0\">{}</td><td style=\"padding:4px 12px 4px 0\">{}</td><td style=\"padding:4px 0\">{}</td></tr>",
            escape_html(&when),
            escape_html(&what(l.action)),
            escape_html(client_name),
            escape_html(ip)
        ));
    }
    text.push_str(&format!("\n{after}\n"));
    let table = if lines.is_empty() {
        format!("<p>{}</p>", escape_html(none))
    } else {
        let head = if en {
            ["When", "What", "Client", "IP address"]
        } else {
            ["Wann", "Was", "Mandant", "IP-Adresse"]
        };
        format!(
            "<table style=\"border-collapse:collapse;font-size:14px\"><thead><tr>{}</tr></thead><tbody>{rows}</tbody></table>",
            head.iter()
                .map(|h| format!("<th style=\"text-align:left;padding:4px 12px 4px 0\">{h}</th>"))
                .collect::<String>()
        )
    };
    let html = format!(
        "<!doctype html><html lang=\"{}\"><body style=\"font-family:system-ui,sans-serif;color:#111827;line-height:1.5\">\
<p>{}</p><p>{}</p>{table}<p style=\"color:#4b5563;font-size:14px\">{}</p></body></html>",
        lang.code(),
        escape_html(&greeting),
        escape_html(&intro),
        escape_html(after),
    );
    MailContent {
        subject,
        text,
        html,
    }
}

/// Escapes text for HTML element content and quoted attributes.
pub fn escape_html(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            _ => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_security_report_lists_each_event_with_time_client_and_ip_in_both_languages() {
        let lines = [
            ReportLine {
                at: Timestamp(1_797_267_600_000),
                action: "session.sign_in_failed",
                ip: Some("203.0.113.9"),
            },
            ReportLine {
                at: Timestamp(1_797_264_000_000),
                action: "session.signed_in",
                ip: None,
            },
        ];
        let en = security_report_mail(Lang::En, "Anna", "Acme <GmbH>", 30, &lines);
        assert!(en.subject.contains("Acme <GmbH>"));
        assert!(
            en.text
                .contains("Sign-in failed (Acme <GmbH>, 203.0.113.9)"),
            "{}",
            en.text
        );
        assert!(en
            .text
            .contains("Signed in (Acme <GmbH>, unknown IP address)"));
        assert!(en.html.contains("Acme &lt;GmbH&gt;") && !en.html.contains("<GmbH>"));
        let de = security_report_mail(Lang::De, "Anna", "Acme", 30, &lines);
        assert!(de.text.contains("Anmeldung fehlgeschlagen"), "{}", de.text);
        assert!(de.html.starts_with("<!doctype html><html lang=\"de\">"));
        let empty = security_report_mail(Lang::En, "Anna", "Acme", 30, &[]);
        assert!(empty.text.contains("There were none"));
    }

    fn mail(lang: Lang, message: Option<&str>) -> MailContent {
        invitation_mail(&Mail {
            lang,
            first_name: "Anna",
            invited_by: "Max <Admin>",
            client_name: "Acme GmbH",
            client_id: "acme",
            username: "anna.mueller",
            link: "http://127.0.0.1:8787/accept#abc",
            expires_at: Timestamp(1_797_267_600_000),
            message,
        })
    }

    #[test]
    fn a_reset_notice_carries_its_link_and_expiry_and_escapes_values() {
        let m = notice_mail(
            Lang::En,
            "Anna <b>",
            "Acme & Co",
            Notice::PasswordResetLink {
                link: "http://127.0.0.1:8787/reset#abc",
                expires_at: Timestamp(1_797_267_600_000),
            },
        );
        assert_eq!(m.subject, "Reset your password for Acme & Co");
        assert!(m.text.contains("http://127.0.0.1:8787/reset#abc"));
        assert!(m.html.contains("Acme &amp; Co") && m.html.contains("Anna &lt;b&gt;"));
        assert!(m
            .text
            .contains(&format_utc(Timestamp(1_797_267_600_000), Lang::En)));
        let changed = notice_mail(
            Lang::De,
            "Anna",
            "Acme",
            Notice::EmailChanged {
                old: "a@old.example",
                new: "a@new.example",
            },
        );
        assert!(changed.text.contains("a@old.example") && changed.text.contains("a@new.example"));
    }

    #[test]
    fn carries_link_expiry_and_login_details_in_both_bodies() {
        let m = mail(Lang::En, Some("Welcome <b>aboard</b>"));
        assert_eq!(m.subject, "Max <Admin> invited you to Acme GmbH");
        for body in [&m.text, &m.html] {
            assert!(body.contains("http://127.0.0.1:8787/accept#abc"));
            assert!(body.contains("14 Dec 2026, 17:00 UTC"));
            assert!(body.contains("anna.mueller"));
        }
        assert!(m.text.contains("Welcome <b>aboard</b>"));
        assert!(m.html.contains("Welcome &lt;b&gt;aboard&lt;/b&gt;"));
        assert!(m.html.contains("Max &lt;Admin&gt;"));
        assert!(!m.html.contains("<b>aboard"));
    }

    #[test]
    fn german_mail_is_german() {
        let m = mail(Lang::De, None);
        assert!(m.subject.contains("eingeladen"));
        assert!(m.text.contains("14. Dez. 2026"));
        assert!(!m.text.contains('\u{201c}'));
    }
}
