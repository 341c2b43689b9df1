//! Validated values: once one exists, it is valid (parse, don't validate).

use serde::{Deserialize, Serialize};
use std::fmt;
use unicode_normalization::UnicodeNormalization;

/// Why a piece of input is not a valid value; one variant per rule, so the UI can say which.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum ValueError {
    /// Nothing (or only spaces) was given.
    Missing,
    /// Longer than the stated number of characters.
    TooLong {
        /// The largest length allowed.
        max: usize,
    },
    /// Present, but not of the required form.
    Invalid,
}

/// An e-mail address: trimmed, lowercased, one `@`, a dotted domain, at most 254 characters.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(transparent)]
pub struct Email(String);

impl Email {
    /// Longest address SMTP can carry.
    pub const MAX: usize = 254;

    /// Parses what a person typed.
    pub fn parse(text: &str) -> Result<Self, ValueError> {
        let value = text.trim().to_lowercase();
        if value.is_empty() {
            return Err(ValueError::Missing);
        }
        if value.chars().count() > Self::MAX {
            return Err(ValueError::TooLong { max: Self::MAX });
        }
        let (local, domain) = value.split_once('@').ok_or(ValueError::Invalid)?;
        let local_ok = !local.is_empty()
            && local.len() <= 64
            && !local.starts_with('.')
            && !local.ends_with('.')
            && !local.contains("..")
            && local
                .chars()
                .all(|c| !c.is_whitespace() && !c.is_control() && !"@<>()[]\\,;:\"".contains(c));
        let domain_ok = domain.contains('.')
            && domain.split('.').all(|label| {
                !label.is_empty()
                    && label.len() <= 63
                    && !label.starts_with('-')
                    && !label.ends_with('-')
                    && label.chars().all(|c| c.is_alphanumeric() || c == '-')
            });
        if local_ok && domain_ok {
            Ok(Self(value))
        } else {
            Err(ValueError::Invalid)
        }
    }

    /// The normalised address.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The part before the `@`, which a password must not contain.
    pub fn local_part(&self) -> &str {
        self.0.split('@').next().unwrap_or_default()
    }
}

impl fmt::Display for Email {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// A first name or surname: trimmed, NFC, 1–100 characters, no control characters.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(transparent)]
pub struct PersonName(String);

impl PersonName {
    /// Longest name accepted.
    pub const MAX: usize = 100;

    /// Parses what a person typed.
    pub fn parse(text: &str) -> Result<Self, ValueError> {
        display_text(text, Self::MAX).map(Self)
    }

    /// The normalised name.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for PersonName {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// A client's display name ("Acme GmbH", "Sales North"): trimmed, NFC, 1–100 characters, no
/// control characters.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(transparent)]
pub struct ClientName(String);

impl ClientName {
    /// Longest client name.
    pub const MAX: usize = 100;

    /// Parses what an admin typed (the same rules as a person's name).
    pub fn parse(text: &str) -> Result<Self, ValueError> {
        display_text(text, Self::MAX).map(Self)
    }

    /// The normalised name.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// How a client builds the username it proposes for a new account.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum UsernameFormat {
    /// `anna.mueller` (the default).
    #[default]
    #[serde(rename = "first.last")]
    FirstDotLast,
    /// `amueller`.
    #[serde(rename = "flast")]
    InitialLast,
    /// `mueller.anna`.
    #[serde(rename = "last.first")]
    LastDotFirst,
}

impl UsernameFormat {
    /// Every format, in the order the settings page offers them.
    pub const ALL: [UsernameFormat; 3] =
        [Self::FirstDotLast, Self::InitialLast, Self::LastDotFirst];

    /// The stored and wire form.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::FirstDotLast => "first.last",
            Self::InitialLast => "flast",
            Self::LastDotFirst => "last.first",
        }
    }

    /// Reads the stored form.
    pub fn parse(text: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|f| f.as_str() == text)
    }

    /// Reads the setting as stored; unknown text falls back to the default.
    pub fn from_setting(text: &str) -> Self {
        Self::parse(text).unwrap_or_default()
    }
}

/// A username: 2–64 of `a-z 0-9 . _ -`, starting with a letter or digit, unique within a client.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(transparent)]
pub struct Username(String);

impl Username {
    /// Longest username accepted.
    pub const MAX: usize = 64;

    /// Parses what a person typed (case-insensitive).
    pub fn parse(text: &str) -> Result<Self, ValueError> {
        let value = text.trim().to_lowercase();
        if value.is_empty() {
            return Err(ValueError::Missing);
        }
        if value.chars().count() > Self::MAX {
            return Err(ValueError::TooLong { max: Self::MAX });
        }
        let starts_ok = value
            .chars()
            .next()
            .is_some_and(|c| c.is_ascii_alphanumeric());
        let chars_ok = value
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || "._-".contains(c));
        if value.len() < 2 || !starts_ok || !chars_ok {
            return Err(ValueError::Invalid);
        }
        Ok(Self(value))
    }

    /// Proposes a username from a person's names in the client's format ("Jörg Müller" → `joerg.mueller`).
    /// `None` when the names have no letters or digits a username can use.
    pub fn propose(first: &str, last: &str, format: UsernameFormat) -> Option<Self> {
        let first = ascii_slug(first);
        let last = ascii_slug(last);
        let text = match format {
            UsernameFormat::FirstDotLast => join_dot(&first, &last),
            UsernameFormat::LastDotFirst => join_dot(&last, &first),
            UsernameFormat::InitialLast => {
                let initial: String = first.chars().take(1).collect();
                format!("{initial}{last}")
            }
        };
        let text: String = text.chars().take(Self::MAX - 4).collect();
        Self::parse(text.trim_end_matches(['.', '-'])).ok()
    }

    /// The `n`th alternative when this one is taken: `anna.mueller` → `anna.mueller2`.
    pub fn with_suffix(&self, n: u32) -> Self {
        Self(format!("{}{n}", self.0))
    }

    /// The first of `base`, `base2`, `base3`, … (up to `base999`) that is not in `taken`.
    pub fn first_free(&self, taken: &[String]) -> Option<Self> {
        std::iter::once(self.clone())
            .chain((2..1000).map(|n| self.with_suffix(n)))
            .find(|u| !taken.iter().any(|t| t == u.as_str()))
    }

    /// The normalised username.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for Username {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// An admin's personal text for an invitation e-mail: trimmed, NFC, at most 1,000 characters,
/// no control characters but line breaks and tabs. Empty text means no message.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(transparent)]
pub struct PersonalMessage(String);

impl PersonalMessage {
    /// Longest message accepted.
    pub const MAX: usize = 1000;

    /// Parses what the admin typed; `Ok(None)` for nothing (or only spaces).
    pub fn parse(text: &str) -> Result<Option<Self>, ValueError> {
        let value: String = text.trim().nfc().collect();
        if value.is_empty() {
            return Ok(None);
        }
        if value.chars().count() > Self::MAX {
            return Err(ValueError::TooLong { max: Self::MAX });
        }
        if value
            .chars()
            .any(|c| c.is_control() && !matches!(c, '\n' | '\r' | '\t'))
        {
            return Err(ValueError::Invalid);
        }
        Ok(Some(Self(value)))
    }

    /// The normalised text.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// A one-line name as shown to people (a person's, a client's, a role's): trimmed, NFC, 1–`max`
/// characters, no control characters.
pub fn display_text(text: &str, max: usize) -> Result<String, ValueError> {
    let value: String = text.trim().nfc().collect();
    if value.is_empty() {
        return Err(ValueError::Missing);
    }
    if value.chars().count() > max {
        return Err(ValueError::TooLong { max });
    }
    if value.chars().any(char::is_control) {
        return Err(ValueError::Invalid);
    }
    Ok(value)
}

/// How a person's name is shown and written in mail: "first surname".
pub fn full_name(first_name: &str, surname: &str) -> String {
    format!("{first_name} {surname}")
}

fn join_dot(a: &str, b: &str) -> String {
    match (a.is_empty(), b.is_empty()) {
        (false, false) => format!("{a}.{b}"),
        _ => format!("{a}{b}"),
    }
}

/// Lowercase ASCII for a username: German umlauts spelled out, other letters transliterated
/// (`crate::search::ascii_words`), words joined by `-`.
fn ascii_slug(name: &str) -> String {
    crate::search::ascii_words(name).join("-")
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn email_is_normalised() {
        let e = Email::parse("  Anna.Mueller@Example.COM ").unwrap();
        assert_eq!(e.as_str(), "anna.mueller@example.com");
        assert_eq!(e.local_part(), "anna.mueller");
    }

    #[test]
    fn email_rules() {
        assert_eq!(Email::parse(" "), Err(ValueError::Missing));
        for bad in [
            "anna",
            "anna@",
            "@example.com",
            "anna@example",
            "an na@example.com",
            "a@b..com",
            ".a@b.com",
            "a@-b.com",
        ] {
            assert_eq!(Email::parse(bad), Err(ValueError::Invalid), "{bad}");
        }
        let long = format!("{}@example.com", "a".repeat(250));
        assert_eq!(Email::parse(&long), Err(ValueError::TooLong { max: 254 }));
    }

    #[test]
    fn names_are_trimmed_nfc_and_bounded() {
        assert_eq!(
            PersonName::parse(" Jo\u{0308}rg ").unwrap().as_str(),
            "Jörg"
        );
        assert_eq!(PersonName::parse(""), Err(ValueError::Missing));
        assert_eq!(
            PersonName::parse(&"x".repeat(101)),
            Err(ValueError::TooLong { max: 100 })
        );
        assert_eq!(PersonName::parse("a\u{0007}b"), Err(ValueError::Invalid));
    }

    #[test]
    fn usernames_are_proposed_in_each_format() {
        let p = |f, l, fmt| Username::propose(f, l, fmt).map(|u| u.to_string());
        assert_eq!(
            p("Jörg", "Müller", UsernameFormat::FirstDotLast).as_deref(),
            Some("joerg.mueller")
        );
        assert_eq!(
            p("Renée", "O'Brien", UsernameFormat::FirstDotLast).as_deref(),
            Some("renee.o-brien")
        );
        assert_eq!(
            p("Anna Maria", "Schmidt", UsernameFormat::InitialLast).as_deref(),
            Some("aschmidt")
        );
        assert_eq!(
            p("Anna", "Schmidt", UsernameFormat::LastDotFirst).as_deref(),
            Some("schmidt.anna")
        );
        assert_eq!(p("李", "王", UsernameFormat::FirstDotLast), None);
        assert_eq!(
            Username::parse("joerg.mueller")
                .unwrap()
                .with_suffix(2)
                .as_str(),
            "joerg.mueller2"
        );
    }

    #[test]
    fn the_first_free_username_skips_taken_ones() {
        let base = Username::parse("anna.mueller").unwrap();
        let taken = |names: &[&str]| names.iter().map(|n| n.to_string()).collect::<Vec<_>>();
        assert_eq!(
            base.first_free(&taken(&[])).unwrap().as_str(),
            "anna.mueller"
        );
        assert_eq!(
            base.first_free(&taken(&["anna.mueller", "anna.mueller2"]))
                .unwrap()
                .as_str(),
            "anna.mueller3"
        );
        assert_eq!(
            base.first_free(&taken(&["anna.mueller", "anna.mueller3"]))
                .unwrap()
                .as_str(),
            "anna.mueller2"
        );
        let all: Vec<String> = std::iter::once("anna.mueller".to_string())
            .chain((2..1000).map(|n| format!("anna.mueller{n}")))
            .collect();
        assert_eq!(base.first_free(&all), None);
    }

    #[test]
    fn personal_messages() {
        assert_eq!(PersonalMessage::parse("   "), Ok(None));
        assert_eq!(
            PersonalMessage::parse(" Hi!\nWelcome. ")
                .unwrap()
                .unwrap()
                .as_str(),
            "Hi!\nWelcome."
        );
        assert_eq!(
            PersonalMessage::parse(&"m".repeat(1001)),
            Err(ValueError::TooLong { max: 1000 })
        );
        assert_eq!(
            PersonalMessage::parse(&format!("  {}  ", "m".repeat(1000)))
                .unwrap()
                .unwrap()
                .as_str()
                .len(),
            1000
        );
        assert_eq!(
            PersonalMessage::parse("a\u{0000}b"),
            Err(ValueError::Invalid)
        );
    }

    #[test]
    fn username_rules() {
        assert_eq!(Username::parse("J.Doe").unwrap().as_str(), "j.doe");
        assert_eq!(Username::parse(".doe"), Err(ValueError::Invalid));
        assert_eq!(Username::parse("jo doe"), Err(ValueError::Invalid));
        assert_eq!(Username::parse("x"), Err(ValueError::Invalid));
    }

    proptest! {
        #[test]
        fn a_proposed_username_always_parses(first in "\\PC{0,40}", last in "\\PC{0,40}") {
            for format in [UsernameFormat::FirstDotLast, UsernameFormat::InitialLast, UsernameFormat::LastDotFirst] {
                if let Some(u) = Username::propose(&first, &last, format) {
                    prop_assert_eq!(Username::parse(u.as_str()), Ok(u.clone()));
                    prop_assert!(u.with_suffix(99).as_str().len() <= Username::MAX);
                }
            }
        }

        #[test]
        fn parsed_emails_parse_again_unchanged(s in "[a-zA-Z0-9._%+-]{1,20}@[a-z0-9-]{1,10}\\.[a-z]{2,6}") {
            if let Ok(e) = Email::parse(&s) {
                prop_assert_eq!(Email::parse(e.as_str()), Ok(e.clone()));
            }
        }
    }
}
