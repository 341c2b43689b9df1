//! Password rules: one policy, checked live in the browser and enforced by the worker.

use crate::breached::BreachedPasswords;
use serde::{Deserialize, Serialize};
use std::fmt;
use unicode_normalization::UnicodeNormalization;

/// The 10,000 most common passwords (Royce Williams' list as shipped by Django, BSD licence), lowercase.
const COMMON_PASSWORDS: &str = include_str!("../data/common-passwords.txt");

/// A password as typed, normalised once to NFC; its `Debug` never shows it.
#[derive(Clone, PartialEq, Eq)]
pub struct Password(String);

impl Password {
    /// Normalises what was typed (NFC), exactly once, before any check or hash.
    pub fn new(typed: &str) -> Self {
        Self(typed.nfc().collect())
    }

    /// The normalised text, for the policy check and the hasher only.
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for Password {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Password(****)")
    }
}

/// One rule of a password policy; a check returns the rules that are not met.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(tag = "rule", content = "value", rename_all = "snake_case")]
pub enum PasswordRule {
    /// At least this many characters.
    MinLength(usize),
    /// At most this many characters.
    MaxLength(usize),
    /// At least one upper-case letter.
    Uppercase,
    /// At least one lower-case letter.
    Lowercase,
    /// At least one digit.
    Digit,
    /// At least one character that is neither a letter nor a digit.
    Special,
    /// Not one of the most common passwords.
    NotCommon,
    /// Not known from a data breach (only the worker can tell: it holds the breach filter).
    NotBreached,
    /// Does not contain the username, the e-mail's local part or the person's names.
    NotPersonal,
}

/// A client's password rules.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PasswordPolicy {
    /// Fewest characters (after NFC).
    pub min_length: usize,
    /// Most characters (after NFC).
    pub max_length: usize,
    /// Require upper case, lower case, digit and special character.
    pub composition: bool,
    /// Refuse the most common passwords.
    pub block_common: bool,
    /// Refuse passwords known from data breaches (the worker asks its filter).
    #[serde(default)]
    pub block_breached: bool,
    /// Refuse passwords containing the username or the e-mail's local part.
    pub block_personal: bool,
}

/// The personal data a password must not contain.
#[derive(Debug, Clone, Copy)]
pub struct Personal<'a> {
    /// The account's username.
    pub username: &'a str,
    /// The local part of the account's e-mail address.
    pub email_local_part: &'a str,
    /// The person's first name.
    pub first_name: &'a str,
    /// The person's surname.
    pub surname: &'a str,
}

impl Default for PasswordPolicy {
    /// The default rules: ≥ 8 characters with upper, lower, digit and special; not common, not personal; ≤ 128.
    fn default() -> Self {
        Self {
            min_length: 8,
            max_length: 128,
            composition: true,
            block_common: true,
            block_breached: false,
            block_personal: true,
        }
    }
}

impl PasswordPolicy {
    /// The stricter "NIST" preset: ≥ 15 characters, no composition rules, not common, not known
    /// from a breach, not personal.
    pub fn nist() -> Self {
        Self {
            min_length: 15,
            composition: false,
            block_breached: true,
            ..Self::default()
        }
    }

    /// Reads a client's stored preset name; unknown names fall back to the default.
    pub fn from_setting(name: &str) -> Self {
        match name {
            "nist" => Self::nist(),
            _ => Self::default(),
        }
    }

    /// Every rule of this policy, in the order a checklist shows them.
    pub fn rules(&self) -> Vec<PasswordRule> {
        let mut rules = vec![PasswordRule::MinLength(self.min_length)];
        if self.composition {
            rules.extend([
                PasswordRule::Uppercase,
                PasswordRule::Lowercase,
                PasswordRule::Digit,
                PasswordRule::Special,
            ]);
        }
        if self.block_common {
            rules.push(PasswordRule::NotCommon);
        }
        if self.block_breached {
            rules.push(PasswordRule::NotBreached);
        }
        if self.block_personal {
            rules.push(PasswordRule::NotPersonal);
        }
        rules.push(PasswordRule::MaxLength(self.max_length));
        rules
    }

    /// Every rule the password does not meet (empty when it is acceptable), as far as the browser
    /// can tell: `NotBreached` is never reported here (the live checklist shows it as checked when
    /// the password is saved). The worker enforces [`check_with_breached`](Self::check_with_breached).
    pub fn check(&self, password: &Password, personal: Personal<'_>) -> Vec<PasswordRule> {
        self.check_with_breached(password, personal, &|_: &str| false)
    }

    /// Every rule the password does not meet, asking `breached` (the worker's filter) for
    /// `NotBreached` with the NFC, lower-case password.
    pub fn check_with_breached(
        &self,
        password: &Password,
        personal: Personal<'_>,
        breached: &dyn BreachedPasswords,
    ) -> Vec<PasswordRule> {
        let text = password.expose();
        let lower = text.to_lowercase();
        let chars = text.chars().count();
        self.rules()
            .into_iter()
            .filter(|rule| match *rule {
                PasswordRule::MinLength(n) => chars < n,
                PasswordRule::MaxLength(n) => chars > n,
                PasswordRule::Uppercase => !text.chars().any(char::is_uppercase),
                PasswordRule::Lowercase => !text.chars().any(char::is_lowercase),
                PasswordRule::Digit => !text.chars().any(char::is_numeric),
                PasswordRule::Special => !text.chars().any(|c| !c.is_alphanumeric()),
                PasswordRule::NotCommon => is_common(&lower),
                PasswordRule::NotBreached => !lower.is_empty() && breached.contains(&lower),
                PasswordRule::NotPersonal => [
                    personal.username,
                    personal.email_local_part,
                    personal.first_name,
                    personal.surname,
                ]
                .iter()
                // a two-letter username would forbid too much to be a useful rule
                .filter(|part| part.chars().count() >= 3)
                .any(|part| lower.contains(&part.to_lowercase())),
            })
            .collect()
    }
}

fn is_common(lowercase: &str) -> bool {
    !lowercase.is_empty() && COMMON_PASSWORDS.lines().any(|line| line == lowercase)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    const ANNA: Personal<'static> = Personal {
        username: "anna.mueller",
        email_local_part: "anna",
        first_name: "Anna",
        surname: "Müller",
    };

    fn unmet(p: &str) -> Vec<PasswordRule> {
        PasswordPolicy::default().check(&Password::new(p), ANNA)
    }

    #[test]
    fn a_good_password_meets_every_rule() {
        assert_eq!(unmet("Tr0ub4dor&3x"), vec![]);
    }

    #[test]
    fn every_unmet_rule_is_reported() {
        assert_eq!(
            unmet("abc"),
            vec![
                PasswordRule::MinLength(8),
                PasswordRule::Uppercase,
                PasswordRule::Digit,
                PasswordRule::Special,
                PasswordRule::NotCommon
            ]
        );
        assert_eq!(
            unmet(""),
            vec![
                PasswordRule::MinLength(8),
                PasswordRule::Uppercase,
                PasswordRule::Lowercase,
                PasswordRule::Digit,
                PasswordRule::Special
            ]
        );
    }

    #[test]
    fn length_is_counted_in_characters_after_nfc() {
        // "Äb1!xyzw" typed as A + combining diaeresis is 9 code points but 8 characters after NFC
        assert_eq!(unmet("A\u{0308}b1!xyzw"), vec![]);
        assert_eq!(Password::new("A\u{0308}").expose(), "Ä");
        let long = format!("Aa1!{}", "x".repeat(125));
        assert_eq!(unmet(&long), vec![PasswordRule::MaxLength(128)]);
        assert_eq!(unmet(&long[..128]), vec![]);
    }

    #[test]
    fn common_passwords_are_refused_case_insensitively() {
        assert!(is_common("password1"));
        assert_eq!(
            unmet("ILoveYou1"),
            vec![PasswordRule::Special, PasswordRule::NotCommon]
        );
        assert!(unmet("Qwertyuiop").contains(&PasswordRule::NotCommon));
        assert_eq!(COMMON_PASSWORDS.lines().count(), 10_000);
    }

    #[test]
    fn personal_data_is_refused() {
        assert_eq!(unmet("Xx1!anna.mueller"), vec![PasswordRule::NotPersonal]);
        assert_eq!(unmet("Xx1!ANNA-secret"), vec![PasswordRule::NotPersonal]);
        // the person's own names count like the username
        assert_eq!(unmet("Xx1!MÜLLER-geheim"), vec![PasswordRule::NotPersonal]);
        let short = Personal {
            username: "al",
            email_local_part: "al",
            first_name: "Al",
            surname: "Wu",
        };
        assert_eq!(
            PasswordPolicy::default().check(&Password::new("Xx1!al-secret"), short),
            vec![]
        );
    }

    #[test]
    fn nist_preset_wants_length_not_composition() {
        let nist = PasswordPolicy::nist();
        assert_eq!(
            nist.check(&Password::new("correct horse battery"), ANNA),
            vec![]
        );
        assert_eq!(
            nist.check(&Password::new("Sh0rt!pw"), ANNA),
            vec![PasswordRule::MinLength(15)]
        );
        assert_eq!(PasswordPolicy::from_setting("nist"), nist);
        assert_eq!(PasswordPolicy::from_setting("?"), PasswordPolicy::default());
    }

    #[test]
    fn breached_passwords_are_refused_under_nist_only() {
        // two entries of the breach list the worker's filter is built from, neither among the
        // 10,000 common passwords
        let (walk, composed) = ("1qaz2wsx3edc4rfv", "!QAZxsw2#EDCvfr4");
        assert!(!is_common(walk) && !is_common(&composed.to_lowercase()));
        let filter = crate::breached::BreachedFilter::build([walk, composed]).expect("filter");
        let nist = PasswordPolicy::nist();
        assert!(nist.rules().contains(&PasswordRule::NotBreached));
        for leaked in [walk, composed, "1QAZ2wsx3EDC4rfv", "!qazXSW2#edcVFR4"] {
            // compared in lower case after NFC, as the list was normalised
            assert_eq!(
                nist.check_with_breached(&Password::new(leaked), ANNA, &filter),
                vec![PasswordRule::NotBreached],
                "{leaked}"
            );
            // the browser cannot tell: its checklist never reports the rule
            assert_eq!(nist.check(&Password::new(leaked), ANNA), vec![], "{leaked}");
        }
        // the default preset does not ask: the composed one meets all of its rules
        let default = PasswordPolicy::default();
        assert!(!default.rules().contains(&PasswordRule::NotBreached));
        assert_eq!(
            default.check_with_breached(&Password::new(composed), ANNA, &filter),
            vec![]
        );
        // a strong passphrase passes
        assert_eq!(
            nist.check_with_breached(
                &Password::new("violet kettle drums at midnight"),
                ANNA,
                &filter
            ),
            vec![]
        );
    }

    #[test]
    fn the_breached_filter_covers_every_length_a_checking_policy_admits() {
        // entries shorter than breached::MIN_CHARS are left out of the filter; that is only sound
        // while every preset that asks refuses such passwords by length
        use crate::settings::PasswordPreset;
        for preset in [PasswordPreset::Default, PasswordPreset::Nist] {
            // a new preset must be listed here: this match stops compiling until it is
            match preset {
                PasswordPreset::Default | PasswordPreset::Nist => {}
            }
            let policy = preset.policy();
            if policy.block_breached {
                assert!(
                    policy.min_length >= crate::breached::MIN_CHARS,
                    "{policy:?}"
                );
            }
        }
    }

    #[test]
    fn a_policy_without_the_breached_flag_still_reads() {
        // a policy serialised before the rule existed
        let old: PasswordPolicy = serde_json::from_str(
            r#"{"min_length":15,"max_length":128,"composition":false,"block_common":true,"block_personal":true}"#,
        )
        .expect("reads");
        assert!(!old.block_breached);
    }

    #[test]
    fn debug_hides_the_password() {
        assert_eq!(format!("{:?}", Password::new("secret")), "Password(****)");
    }

    proptest! {
        #[test]
        fn unmet_rules_are_a_subset_of_the_policy_in_its_order(p in "\\PC{0,140}") {
            let policy = PasswordPolicy::default();
            let rules = policy.rules();
            let unmet = policy.check(&Password::new(&p), ANNA);
            let positions: Vec<usize> = unmet.iter().map(|r| rules.iter().position(|x| x == r).unwrap()).collect();
            prop_assert!(positions.windows(2).all(|w| w[0] < w[1]));
        }

        #[test]
        fn composed_passwords_of_good_length_pass(core in "[a-z]{4,20}", up in "[A-Z]", d in "[0-9]", s in "[!#%&*+?@^~]") {
            let candidate = format!("{up}{core}{d}{s}zq");
            let unmet = unmet(&candidate);
            prop_assert!(unmet.iter().all(|r| matches!(r, PasswordRule::NotCommon | PasswordRule::NotPersonal)), "{:?}", unmet);
        }

        #[test]
        fn nfc_normalisation_is_idempotent(p in "\\PC{0,40}") {
            let once = Password::new(&p);
            prop_assert_eq!(Password::new(once.expose()), once);
        }
    }
}
