//! Secrets at rest: text sealed with AES-256-GCM under a key ring that comes from a Worker secret
//! (`MAIL_KEYS`), so a queued mail's body (it carries a live link) is unreadable in D1 and in its
//! Time Travel backups. Keys are rotated by key id: the first key of the ring seals, every key of
//! the ring opens, so text sealed before a rotation still opens while its old key stays listed.
//!
//! A sealed text reads `sealed:v1:<key id>:<base64url(nonce ‖ ciphertext ‖ tag)>`. The caller's
//! `context` (the outbox row's id) is bound as associated data: a sealed body copied into another
//! row does not open there.

use aes_gcm::aead::{Aead, KeyInit, Payload};
use aes_gcm::{Aes256Gcm, Nonce};
use base64::{engine::general_purpose::URL_SAFE_NO_PAD, Engine};

const PREFIX: &str = "sealed:v1:";

/// The keys text is sealed and opened with; its `Debug` never shows them.
#[derive(Clone)]
pub struct KeyRing {
    /// `(key id, key)`, the sealing key first.
    keys: Vec<(String, [u8; 32])>,
}

impl std::fmt::Debug for KeyRing {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let ids: Vec<&str> = self.keys.iter().map(|(id, _)| id.as_str()).collect();
        write!(f, "KeyRing({ids:?}, keys ****)")
    }
}

/// Why a key ring's text was refused.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum KeyRingError {
    /// No key at all.
    Empty,
    /// An entry is not `id:key` with a key id of 1–16 letters, digits, `-` or `_`.
    BadEntry(usize),
    /// A key is not 32 bytes of base64 (standard or url-safe, padded or not).
    BadKey(usize),
    /// Two entries share a key id.
    DuplicateId(String),
}

/// Why sealed text did not open.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum OpenError {
    /// Not in the sealed form.
    Malformed,
    /// Sealed with a key id the ring no longer holds.
    UnknownKey(String),
    /// Wrong key, wrong context or altered text.
    Rejected,
}

impl KeyRing {
    /// Reads `id:base64key,id:base64key,…` (the first entry seals). Whitespace around entries is
    /// ignored.
    pub fn parse(text: &str) -> Result<Self, KeyRingError> {
        let mut keys: Vec<(String, [u8; 32])> = Vec::new();
        for (i, entry) in text.split(',').map(str::trim).enumerate() {
            if entry.is_empty() {
                continue;
            }
            let (id, key) = entry.split_once(':').ok_or(KeyRingError::BadEntry(i))?;
            let id_ok = (1..=16).contains(&id.len())
                && id
                    .bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_');
            if !id_ok {
                return Err(KeyRingError::BadEntry(i));
            }
            let bytes = decode_key(key.trim()).ok_or(KeyRingError::BadKey(i))?;
            if keys.iter().any(|(known, _)| known == id) {
                return Err(KeyRingError::DuplicateId(id.to_owned()));
            }
            keys.push((id.to_owned(), bytes));
        }
        if keys.is_empty() {
            return Err(KeyRingError::Empty);
        }
        Ok(Self { keys })
    }

    /// The id of the key that seals.
    pub fn sealing_id(&self) -> &str {
        &self.keys[0].0
    }

    /// Seals `plain` for `context` with the caller's 12 random bytes as nonce (never reuse one).
    pub fn seal(&self, plain: &str, context: &str, nonce: [u8; 12]) -> String {
        let (id, key) = &self.keys[0];
        let cipher = Aes256Gcm::new(key.into());
        let sealed = cipher
            .encrypt(
                Nonce::from_slice(&nonce),
                Payload {
                    msg: plain.as_bytes(),
                    aad: context.as_bytes(),
                },
            )
            .expect("AES-GCM seals any text that fits in memory");
        let mut out = nonce.to_vec();
        out.extend_from_slice(&sealed);
        format!("{PREFIX}{id}:{}", URL_SAFE_NO_PAD.encode(out))
    }

    /// Opens text [`KeyRing::seal`] made for `context`.
    pub fn open(&self, stored: &str, context: &str) -> Result<String, OpenError> {
        let rest = stored.strip_prefix(PREFIX).ok_or(OpenError::Malformed)?;
        let (id, data) = rest.split_once(':').ok_or(OpenError::Malformed)?;
        let (_, key) = self
            .keys
            .iter()
            .find(|(known, _)| known == id)
            .ok_or_else(|| OpenError::UnknownKey(id.to_owned()))?;
        let bytes = URL_SAFE_NO_PAD
            .decode(data)
            .map_err(|_| OpenError::Malformed)?;
        if bytes.len() < 12 + 16 {
            return Err(OpenError::Malformed);
        }
        let (nonce, sealed) = bytes.split_at(12);
        let plain = Aes256Gcm::new(key.into())
            .decrypt(
                Nonce::from_slice(nonce),
                Payload {
                    msg: sealed,
                    aad: context.as_bytes(),
                },
            )
            .map_err(|_| OpenError::Rejected)?;
        String::from_utf8(plain).map_err(|_| OpenError::Rejected)
    }
}

/// Whether stored text is in the sealed form (an empty or plain body is not).
pub fn is_sealed(stored: &str) -> bool {
    stored.starts_with(PREFIX)
}

fn decode_key(text: &str) -> Option<[u8; 32]> {
    use base64::engine::general_purpose::{STANDARD, STANDARD_NO_PAD, URL_SAFE};
    [&STANDARD, &STANDARD_NO_PAD, &URL_SAFE, &URL_SAFE_NO_PAD]
        .iter()
        .find_map(|engine| engine.decode(text).ok())
        .and_then(|bytes| <[u8; 32]>::try_from(bytes).ok())
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    const K1: &str = "AQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQE="; // 32 × 0x01
    const K2: &str = "AgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgI="; // 32 × 0x02

    #[test]
    fn sealed_text_holds_nothing_readable_and_opens_for_its_context_only() {
        let ring = KeyRing::parse(&format!("k1:{K1}")).unwrap();
        let link =
            "Accept: https://gatehouse.example/accept#q9JkGx0eP6Q1a4m0Yt3wZ8cR2vB5nL7sD1fH3jK5lM8";
        let sealed = ring.seal(link, "mail-1", [7; 12]);
        assert!(is_sealed(&sealed));
        assert!(!sealed.contains("accept") && !sealed.contains("q9JkGx0e"));
        assert_eq!(ring.open(&sealed, "mail-1").as_deref(), Ok(link));
        assert_eq!(ring.open(&sealed, "mail-2"), Err(OpenError::Rejected));
        let mut altered = sealed.clone();
        altered.pop();
        altered.push(if sealed.ends_with('A') { 'B' } else { 'A' });
        assert_eq!(ring.open(&altered, "mail-1"), Err(OpenError::Rejected));
        assert_eq!(ring.open(link, "mail-1"), Err(OpenError::Malformed));
    }

    #[test]
    fn rotation_seals_with_the_new_key_and_still_opens_the_old() {
        let old = KeyRing::parse(&format!("k1:{K1}")).unwrap();
        let before = old.seal("body", "m", [1; 12]);
        let rotated = KeyRing::parse(&format!("k2:{K2}, k1:{K1}")).unwrap();
        assert_eq!(rotated.sealing_id(), "k2");
        let after = rotated.seal("body", "m", [2; 12]);
        assert!(after.starts_with("sealed:v1:k2:"));
        assert_eq!(rotated.open(&before, "m").as_deref(), Ok("body"));
        assert_eq!(rotated.open(&after, "m").as_deref(), Ok("body"));
        // once k1 is dropped from the ring, what it sealed no longer opens
        let later = KeyRing::parse(&format!("k2:{K2}")).unwrap();
        assert_eq!(
            later.open(&before, "m"),
            Err(OpenError::UnknownKey("k1".into()))
        );
    }

    #[test]
    fn a_ring_is_read_strictly_and_never_shows_its_keys() {
        assert_eq!(KeyRing::parse("").err(), Some(KeyRingError::Empty));
        assert_eq!(
            KeyRing::parse("nokey").err(),
            Some(KeyRingError::BadEntry(0))
        );
        assert_eq!(
            KeyRing::parse("k1:c2hvcnQ=").err(),
            Some(KeyRingError::BadKey(0))
        );
        assert_eq!(
            KeyRing::parse(&format!("k1:{K1},k1:{K2}")).err(),
            Some(KeyRingError::DuplicateId("k1".into()))
        );
        assert_eq!(
            KeyRing::parse(&format!("bad id:{K1}")).err(),
            Some(KeyRingError::BadEntry(0))
        );
        let ring = KeyRing::parse(&format!("k1:{}", K1.trim_end_matches('='))).unwrap();
        assert!(!format!("{ring:?}").contains(K1.trim_end_matches('=')));
    }

    proptest! {
        #[test]
        fn whatever_is_sealed_opens_to_itself(text in ".{0,400}", nonce in any::<[u8; 12]>()) {
            let ring = KeyRing::parse(&format!("k1:{K1}")).unwrap();
            let sealed = ring.seal(&text, "ctx", nonce);
            prop_assert_eq!(ring.open(&sealed, "ctx"), Ok(text));
        }
    }
}
