//! Secret link and session tokens: 256 random bits, base64url, stored only as a SHA-256 digest.

use base64::{engine::general_purpose::URL_SAFE_NO_PAD, Engine};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use std::fmt;
use subtle::ConstantTimeEq;

/// A secret token as handed to a person (in a mail link or a cookie); never stored, never logged.
#[derive(Clone, PartialEq, Eq)]
pub struct Token(String);

/// The SHA-256 digest of a token (lowercase hex): the only form that is stored.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(transparent)]
pub struct TokenDigest(String);

impl Token {
    /// Length of the text form: 32 bytes in unpadded base64url.
    pub const LEN: usize = 43;

    /// A fresh token from 32 bytes of the caller's cryptographic randomness.
    pub fn from_random_bytes(bytes: [u8; 32]) -> Self {
        Self(URL_SAFE_NO_PAD.encode(bytes))
    }

    /// Accepts a presented token only if it has the exact form this module issues.
    pub fn parse(text: &str) -> Option<Self> {
        let ok = text.len() == Self::LEN
            && text
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
            && URL_SAFE_NO_PAD.decode(text).is_ok_and(|b| b.len() == 32);
        ok.then(|| Self(text.to_string()))
    }

    /// The digest to store or to look the token up by.
    pub fn digest(&self) -> TokenDigest {
        TokenDigest(hex(&Sha256::digest(self.0.as_bytes())))
    }

    /// The digest a password-reset link is stored under: SHA-256 over a purpose prefix and the
    /// token, so a reset token never matches an invitation or a session (stored under
    /// [`Token::digest`]) even if it were looked up in the wrong table, and the other way round.
    pub fn reset_digest(&self) -> TokenDigest {
        let mut h = Sha256::new();
        h.update(b"gatehouse password-reset\0");
        h.update(self.0.as_bytes());
        TokenDigest(hex(&h.finalize()))
    }

    /// The digest a sign-in waiting for its second factor is stored under (its own purpose
    /// prefix, like [`Token::reset_digest`]): it is never a session, nor the other way round.
    pub fn challenge_digest(&self) -> TokenDigest {
        let mut h = Sha256::new();
        h.update(b"gatehouse sign-in-challenge\0");
        h.update(self.0.as_bytes());
        TokenDigest(hex(&h.finalize()))
    }

    /// The digest a device cookie is stored under (its own purpose prefix, like
    /// [`Token::reset_digest`]).
    pub fn device_digest(&self) -> TokenDigest {
        let mut h = Sha256::new();
        h.update(b"gatehouse device\0");
        h.update(self.0.as_bytes());
        TokenDigest(hex(&h.finalize()))
    }

    /// The secret text, for the one place that must hand it out (mail body, cookie).
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for Token {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Token(****)")
    }
}

impl TokenDigest {
    /// Wraps a digest read back from storage.
    pub fn from_stored(hex: String) -> Self {
        Self(hex)
    }

    /// The hex text, as stored.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// Compares in constant time, so timing says nothing about how much of a digest matched.
    pub fn matches(&self, other: &TokenDigest) -> bool {
        self.0.as_bytes().ct_eq(other.0.as_bytes()).into()
    }
}

/// Whether a presented secret (e.g. the operator's bearer token) equals the configured one, in
/// time that does not depend on where they differ.
pub fn same_secret(presented: &str, configured: &str) -> bool {
    presented.as_bytes().ct_eq(configured.as_bytes()).into()
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn digest_is_sha256_hex_of_the_text() {
        let t = Token::from_random_bytes([0; 32]);
        assert_eq!(t.expose(), "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA");
        // sha256("A" * 43), computed independently with coreutils sha256sum
        assert_eq!(
            t.digest().as_str(),
            "0f007385b6f9d4b7eeb2748605afe1a984a0a3bfa3f014d09e2a784ce9e5cd1a"
        );
    }

    #[test]
    fn a_reset_digest_never_equals_the_plain_digest() {
        let t = Token::from_random_bytes([7; 32]);
        assert_ne!(t.reset_digest(), t.digest());
        assert_eq!(t.reset_digest(), t.clone().reset_digest());
        assert_eq!(t.reset_digest().as_str().len(), 64);
    }

    #[test]
    fn debug_hides_the_secret() {
        let t = Token::from_random_bytes([1; 32]);
        assert_eq!(format!("{t:?}"), "Token(****)");
    }

    #[test]
    fn parse_refuses_foreign_forms() {
        assert!(Token::parse("").is_none());
        assert!(Token::parse("short").is_none());
        assert!(Token::parse(&"A".repeat(44)).is_none());
        assert!(Token::parse(&format!("{}=", "A".repeat(42))).is_none());
    }

    proptest! {
        #[test]
        fn issued_tokens_parse_and_digest_stably(bytes in proptest::array::uniform32(any::<u8>())) {
            let t = Token::from_random_bytes(bytes);
            let back = Token::parse(t.expose()).expect("issued token parses");
            prop_assert!(back.digest().matches(&t.digest()));
            prop_assert_eq!(t.digest().as_str().len(), 64);
        }

        #[test]
        fn different_bytes_give_different_digests(a in proptest::array::uniform32(any::<u8>()), b in proptest::array::uniform32(any::<u8>())) {
            prop_assume!(a != b);
            prop_assert!(!Token::from_random_bytes(a).digest().matches(&Token::from_random_bytes(b).digest()));
        }
    }
}
