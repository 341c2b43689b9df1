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
    /// The account's e-mail address changed (sent to the old and the new address).
    EmailChanged {
        /// The old address.
        old: &'a str,
        /// The new address.
        new: &'a str,
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

    fn mail(lang: Lang, message: Option<&str>) -> MailContent {
        invitation_mail(&Mail {
            lang,
            first_name: "Anna",
            invited_by: "Max <Admin>",
            client_name: "Acme GmbH",
            client_id: "acme",
            username: "anna.mueller",
            link: "http://127.0.0.1:8787/accept/abc",
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
                link: "http://127.0.0.1:8787/reset/abc",
                expires_at: Timestamp(1_797_267_600_000),
            },
        );
        assert_eq!(m.subject, "Reset your password for Acme & Co");
        assert!(m.text.contains("http://127.0.0.1:8787/reset/abc"));
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
            assert!(body.contains("http://127.0.0.1:8787/accept/abc"));
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
