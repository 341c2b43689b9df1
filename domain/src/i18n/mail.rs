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
