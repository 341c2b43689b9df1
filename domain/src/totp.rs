//! The second factor: time-based one-time codes (RFC 6238: HMAC-SHA1, 6 digits, 30-second steps,
//! computed by `totp-rs`) and ten single-use recovery codes.
//!
//! A code is accepted for the step of `now` and one step either side (a phone clock a little off,
//! a code typed as it changes), and only for a step after the last one the account used, so a
//! code seen over someone's shoulder cannot be replayed within its window. Recovery codes are shown
//! once and stored only as SHA-256 digests; each works once.

use sha2::{Digest, Sha256};
use subtle::ConstantTimeEq;
use totp_rs::{Algorithm, TOTP};

use crate::time::Timestamp;

/// Digits of a code.
pub const DIGITS: usize = 6;
/// Seconds a code stands for.
pub const STEP_SECONDS: u64 = 30;
/// Bytes of a secret (160 bits, the size RFC 4226 recommends for HMAC-SHA1).
pub const SECRET_BYTES: usize = 20;
/// Recovery codes issued at enrolment.
pub const RECOVERY_CODES: usize = 10;
/// Steps accepted either side of now.
const SKEW_STEPS: u64 = 1;

/// A TOTP secret: random bytes, shown to the person once as base32 and in the QR code.
#[derive(Clone, PartialEq, Eq)]
pub struct TotpSecret(Vec<u8>);

impl std::fmt::Debug for TotpSecret {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("TotpSecret(..)")
    }
}

/// Why a code was not accepted.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CodeRefusal {
    /// Not six digits (after spaces are dropped).
    Malformed,
    /// No step within the window gives this code.
    Wrong,
    /// The code is right, but its step was used already.
    Replayed,
}

impl TotpSecret {
    /// A secret from the caller's cryptographic randomness.
    pub fn from_random_bytes(bytes: [u8; SECRET_BYTES]) -> Self {
        Self(bytes.to_vec())
    }

    /// Any raw secret (the RFC's test vectors use their own).
    pub fn from_bytes(bytes: &[u8]) -> Self {
        Self(bytes.to_vec())
    }

    /// The stored and shown form: base32 (RFC 4648, no padding), as authenticator apps take it.
    pub fn to_base32(&self) -> String {
        base32::encode(base32::Alphabet::Rfc4648 { padding: false }, &self.0)
    }

    /// Reads the base32 form (spaces and case do not matter, as people type keys).
    pub fn from_base32(text: &str) -> Option<Self> {
        let clean: String = text
            .chars()
            .filter(|c| !c.is_whitespace())
            .map(|c| c.to_ascii_uppercase())
            .collect();
        base32::decode(base32::Alphabet::Rfc4648 { padding: false }, &clean)
            .filter(|b| b.len() >= 16)
            .map(Self)
    }

    /// The key as an authenticator app's "enter a key" screen shows it: groups of four.
    pub fn grouped(&self) -> String {
        let b32 = self.to_base32();
        b32.as_bytes()
            .chunks(4)
            .map(|c| String::from_utf8_lossy(c).into_owned())
            .collect::<Vec<_>>()
            .join(" ")
    }

    /// The `otpauth://` address the QR code holds (Key Uri Format): issuer and account label.
    pub fn otpauth_uri(&self, issuer: &str, account: &str) -> String {
        let issuer = percent(issuer);
        format!(
            "otpauth://totp/{issuer}:{}?secret={}&issuer={issuer}&algorithm=SHA1&digits={DIGITS}&period={STEP_SECONDS}",
            percent(account),
            self.to_base32()
        )
    }

    fn totp(&self, digits: usize) -> TOTP {
        TOTP::new_unchecked(Algorithm::SHA1, digits, 0, STEP_SECONDS, self.0.clone())
    }

    /// The code of the step `at` falls in.
    pub fn code_at(&self, at: Timestamp) -> String {
        self.totp(DIGITS).generate(seconds(at))
    }

    /// An 8-digit code at `unix_seconds` (the RFC 6238 appendix B vectors are 8 digits).
    pub fn code_with_digits(&self, digits: usize, unix_seconds: u64) -> String {
        self.totp(digits).generate(unix_seconds)
    }

    /// The step `code` is the code of, within one step of `now` and after `last_used` (the step
    /// the account last signed in with), or why not. Every candidate step is compared in
    /// constant time.
    pub fn verify(
        &self,
        code: &str,
        now: Timestamp,
        last_used: Option<u64>,
    ) -> Result<u64, CodeRefusal> {
        let code: String = code.chars().filter(|c| !c.is_whitespace()).collect();
        if code.len() != DIGITS || !code.bytes().all(|b| b.is_ascii_digit()) {
            return Err(CodeRefusal::Malformed);
        }
        let totp = self.totp(DIGITS);
        let current = seconds(now) / STEP_SECONDS;
        let mut found = None;
        for step in current.saturating_sub(SKEW_STEPS)..=current + SKEW_STEPS {
            let expected = totp.generate(step * STEP_SECONDS);
            if bool::from(expected.as_bytes().ct_eq(code.as_bytes())) {
                found = Some(step);
            }
        }
        match found {
            None => Err(CodeRefusal::Wrong),
            Some(step) if last_used.is_some_and(|last| step <= last) => Err(CodeRefusal::Replayed),
            Some(step) => Ok(step),
        }
    }
}

fn seconds(at: Timestamp) -> u64 {
    u64::try_from(at.0.max(0)).unwrap_or(0) / 1000
}

/// Percent-encodes everything but unreserved characters (RFC 3986).
fn percent(text: &str) -> String {
    text.bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~') {
                (b as char).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect()
}

/// Letters and digits of recovery codes: no 0/o, 1/l/i, so a code read off paper is typed right.
const RECOVERY_ALPHABET: &[u8; 31] = b"23456789abcdefghjkmnpqrstuvwxyz";

/// A recovery code as shown once: `xxxxx-xxxxx`.
#[derive(Clone, PartialEq, Eq)]
pub struct RecoveryCode(String);

impl std::fmt::Debug for RecoveryCode {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("RecoveryCode(..)")
    }
}

impl RecoveryCode {
    /// A code from ten random bytes (one letter of 31 from each: about 49 bits).
    pub fn from_random_bytes(bytes: [u8; 10]) -> Self {
        let text: String = bytes
            .iter()
            .map(|b| RECOVERY_ALPHABET[usize::from(*b) % RECOVERY_ALPHABET.len()] as char)
            .collect();
        Self(format!("{}-{}", &text[..5], &text[5..]))
    }

    /// The code to show.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// What is stored: the digest of the code's letters (see [`recovery_digest`]).
    pub fn digest(&self) -> String {
        recovery_digest(&self.0).unwrap_or_default()
    }
}

/// A typed recovery code's letters (lowercase, without dashes and spaces), if it can be one.
fn recovery_letters(typed: &str) -> Option<String> {
    let letters: String = typed
        .chars()
        .filter(|c| !c.is_whitespace() && *c != '-')
        .flat_map(char::to_lowercase)
        .collect();
    let ok = letters.len() == 10 && letters.bytes().all(|b| RECOVERY_ALPHABET.contains(&b));
    ok.then_some(letters)
}

/// Six digits, spaces dropped, if that is what was typed.
fn six_digits(typed: &str) -> Option<String> {
    let digits: String = typed.chars().filter(|c| !c.is_whitespace()).collect();
    (digits.len() == DIGITS && digits.bytes().all(|b| b.is_ascii_digit())).then_some(digits)
}

/// Whether `typed` has the form of a code or of a recovery code (what the app checks before
/// sending; the worker decides whether it is right).
pub fn is_well_formed(typed: &str) -> bool {
    six_digits(typed).is_some() || recovery_letters(typed).is_some()
}

/// The digest a typed recovery code is looked up by, or `None` when it cannot be one: dashes,
/// spaces and case do not matter.
pub fn recovery_digest(typed: &str) -> Option<String> {
    recovery_letters(typed).map(|letters| {
        let mut h = Sha256::new();
        h.update(b"gatehouse recovery-code\0");
        h.update(letters.as_bytes());
        h.finalize().iter().map(|b| format!("{b:02x}")).collect()
    })
}

/// What the second step of a sign-in was given: a code from the app, or a recovery code.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SecondFactor {
    /// Six digits.
    Code(String),
    /// A recovery code's digest.
    Recovery(String),
}

impl SecondFactor {
    /// Reads what was typed; `None` when it is neither form.
    pub fn parse(typed: &str) -> Option<Self> {
        six_digits(typed)
            .map(Self::Code)
            .or_else(|| recovery_digest(typed).map(Self::Recovery))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// RFC 6238 appendix B, SHA-1 rows: the ASCII secret "12345678901234567890", 8 digits.
    #[test]
    fn the_rfc_6238_test_vectors() {
        let secret = TotpSecret::from_bytes(b"12345678901234567890");
        for (time, code) in [
            (59, "94287082"),
            (1_111_111_109, "07081804"),
            (1_111_111_111, "14050471"),
            (1_234_567_890, "89005924"),
            (2_000_000_000, "69279037"),
            (20_000_000_000, "65353130"),
        ] {
            assert_eq!(secret.code_with_digits(8, time), code, "t = {time}");
        }
    }

    fn at(seconds: i64) -> Timestamp {
        Timestamp(seconds * 1000)
    }

    #[test]
    fn a_code_works_one_step_either_side_and_not_two() {
        let secret = TotpSecret::from_random_bytes([7; SECRET_BYTES]);
        let now = at(1_700_000_015); // step 56,666,667, 15 s into it
        let step = 1_700_000_015 / 30;
        for (offset, ok) in [
            (-60, false),
            (-30, true),
            (0, true),
            (30, true),
            (60, false),
        ] {
            let code = secret.code_at(at(1_700_000_015 + offset));
            let got = secret.verify(&code, now, None);
            if ok {
                assert_eq!(got, Ok((1_700_000_015 + offset) as u64 / 30), "{offset}");
            } else {
                assert_eq!(got, Err(CodeRefusal::Wrong), "{offset}");
            }
        }
        // the exact edge: the last instant of a step and the first of the next
        let edge = at((step + 1) * 30 - 1);
        let next = at((step + 1) * 30);
        assert_ne!(secret.code_at(edge), secret.code_at(next));
        assert_eq!(
            secret.verify(&secret.code_at(edge), next, None),
            Ok(step as u64)
        );
    }

    #[test]
    fn a_used_step_cannot_be_replayed_but_a_later_one_works() {
        let secret = TotpSecret::from_random_bytes([9; SECRET_BYTES]);
        let now = at(1_800_000_000);
        let code = secret.code_at(now);
        let step = secret.verify(&code, now, None).expect("first use");
        assert_eq!(
            secret.verify(&code, now, Some(step)),
            Err(CodeRefusal::Replayed)
        );
        // an older step inside the window is a replay too
        let older = secret.code_at(at(1_800_000_000 - 30));
        assert_eq!(
            secret.verify(&older, now, Some(step)),
            Err(CodeRefusal::Replayed)
        );
        let later = at(1_800_000_030);
        assert_eq!(
            secret.verify(&secret.code_at(later), later, Some(step)),
            Ok(step + 1)
        );
    }

    #[test]
    fn codes_are_six_digits_and_spaces_do_not_matter() {
        let secret = TotpSecret::from_random_bytes([3; SECRET_BYTES]);
        let now = at(1_900_000_000);
        let code = secret.code_at(now);
        assert_eq!(code.len(), 6);
        let spaced = format!("{} {}", &code[..3], &code[3..]);
        assert!(secret.verify(&spaced, now, None).is_ok());
        for bad in ["", "12345", "1234567", "12a456"] {
            assert_eq!(
                secret.verify(bad, now, None),
                Err(CodeRefusal::Malformed),
                "{bad}"
            );
        }
    }

    #[test]
    fn the_key_reads_back_from_what_the_person_sees() {
        let secret = TotpSecret::from_random_bytes([0xA5; SECRET_BYTES]);
        assert_eq!(
            TotpSecret::from_base32(&secret.to_base32()),
            Some(secret.clone())
        );
        assert_eq!(
            TotpSecret::from_base32(&secret.grouped().to_lowercase()),
            Some(secret.clone())
        );
        let uri = secret.otpauth_uri("Acme GmbH", "anna.mueller");
        assert!(
            uri.starts_with("otpauth://totp/Acme%20GmbH:anna.mueller?secret="),
            "{uri}"
        );
        assert!(uri.contains("&issuer=Acme%20GmbH&"), "{uri}");
    }

    #[test]
    fn a_recovery_code_reads_back_however_it_is_typed_and_nothing_else_does() {
        let code = RecoveryCode::from_random_bytes([1, 2, 3, 4, 5, 6, 7, 8, 9, 250]);
        assert_eq!(code.as_str().len(), 11);
        assert_eq!(&code.as_str()[5..6], "-");
        let typed = code.as_str().to_uppercase().replace('-', " ");
        assert_eq!(recovery_digest(&typed), Some(code.digest()));
        assert_eq!(
            SecondFactor::parse(code.as_str()),
            Some(SecondFactor::Recovery(code.digest()))
        );
        assert_eq!(
            SecondFactor::parse("123 456"),
            Some(SecondFactor::Code("123456".into()))
        );
        for bad in ["", "abcde-fghi", "abcde-fghi0", "0000000000"] {
            assert_eq!(recovery_digest(bad), None, "{bad}");
            assert!(!is_well_formed(bad), "{bad}");
        }
        assert!(is_well_formed(code.as_str()) && is_well_formed("123 456"));
        // different codes, different digests
        let other = RecoveryCode::from_random_bytes([2; 10]);
        assert_ne!(other.digest(), code.digest());
    }
}
