//! The breached-password check: passwords leaked in data breaches, kept as a binary fuse filter.
//!
//! The filter is built when the worker is built (`functions/build.rs`, from a public list) and
//! asked only by the worker: the app is built without the `breached-filter` feature, so it
//! carries neither the lookup code nor the data, and its live checklist says the rule is checked
//! when the password is saved.
//!
//! An entry is normalised exactly as [`PasswordPolicy::check`](crate::PasswordPolicy::check)
//! compares a password (NFC, then lower case) and keyed by the first eight bytes of its SHA-256.

use crate::password::Password;
use sha2::{Digest, Sha256};

/// Shorter entries are left out of the filter: the only preset that checks breached passwords
/// (NIST) refuses them by length already, and every entry costs space and false positives.
pub const MIN_CHARS: usize = 15;

/// Passwords known from data breaches.
pub trait BreachedPasswords {
    /// Whether `lowercase` (a password after NFC, in lower case) is known from a breach; a filter
    /// may say yes wrongly (a false positive), never no wrongly.
    fn contains(&self, lowercase: &str) -> bool;
}

/// Any `Fn(&str) -> bool` answers the question (tests, or a set other than the filter).
impl<F: Fn(&str) -> bool> BreachedPasswords for F {
    fn contains(&self, lowercase: &str) -> bool {
        self(lowercase)
    }
}

/// The filter's key for a password already normalised as the policy compares it (NFC, lower case).
pub fn key(lowercase: &str) -> u64 {
    let digest = Sha256::digest(lowercase.as_bytes());
    let mut first = [0u8; 8];
    first.copy_from_slice(&digest[..8]);
    u64::from_le_bytes(first)
}

/// An entry of a breach list as the filter holds it: `None` when it is too short to be kept.
pub fn normalise(entry: &str) -> Option<String> {
    // NFC leaves ASCII as it is: most of a breach list is dropped here without normalising
    if entry.is_ascii() && entry.trim_end_matches(['\r', '\n']).len() < MIN_CHARS {
        return None;
    }
    let password = Password::new(entry.trim_end_matches(['\r', '\n']));
    // counted as the length rule counts: characters after NFC, before lower-casing
    (password.expose().chars().count() >= MIN_CHARS).then(|| password.expose().to_lowercase())
}

#[cfg(any(test, feature = "breached-filter"))]
pub use filter::{BreachedFilter, FilterError};

#[cfg(any(test, feature = "breached-filter"))]
mod filter {
    use super::{key, normalise, BreachedPasswords, MIN_CHARS};
    use xorf::{BinaryFuse16, Descriptor, DmaSerializable, Filter};

    /// What the serialised filter starts with: a name and a format version.
    const MAGIC: &[u8; 4] = b"GHB1";
    /// Magic, entry count (u32), then xorf's descriptor; the 16-bit fingerprints follow, little-endian.
    const HEADER: usize = 4 + 4 + <BinaryFuse16 as DmaSerializable>::DESCRIPTOR_LEN;

    /// Breached passwords as a binary fuse filter with 16-bit fingerprints (about 18 bits per
    /// entry; a password that is not in the list is taken for one with probability 2⁻¹⁶).
    #[derive(Debug, Clone)]
    pub struct BreachedFilter {
        entries: u32,
        filter: BinaryFuse16,
    }

    /// Why bytes are not a filter this code wrote.
    #[derive(Debug, Clone, Copy, PartialEq, Eq)]
    pub enum FilterError {
        /// Not a Gatehouse filter, or one of another format version.
        Format,
        /// The fingerprints do not fit the descriptor (truncated or corrupt).
        Length,
        /// The list gave no entry long enough to keep.
        Empty,
        /// The filter could not be constructed (xorf's reason).
        Construction(&'static str),
    }

    impl BreachedFilter {
        /// Builds the filter from a list's entries (one password each, any case, any normal form).
        pub fn build<'a>(entries: impl IntoIterator<Item = &'a str>) -> Result<Self, FilterError> {
            let mut keys: Vec<u64> = entries
                .into_iter()
                .filter_map(normalise)
                .map(|e| key(&e))
                .collect();
            keys.sort_unstable();
            // several entries may normalise alike; the construction wants distinct keys
            keys.dedup();
            if keys.is_empty() {
                return Err(FilterError::Empty);
            }
            let filter = BinaryFuse16::try_from(&keys).map_err(FilterError::Construction)?;
            let entries = u32::try_from(keys.len()).map_err(|_| FilterError::Length)?;
            Ok(Self { entries, filter })
        }

        /// The filter as bytes, for `include_bytes!`.
        pub fn to_bytes(&self) -> Vec<u8> {
            let mut out = vec![0u8; HEADER];
            out[..4].copy_from_slice(MAGIC);
            out[4..8].copy_from_slice(&self.entries.to_le_bytes());
            self.filter.dma_copy_descriptor_to(&mut out[8..HEADER]);
            out.reserve(self.filter.fingerprints.len() * 2);
            for f in self.filter.fingerprints.iter() {
                out.extend_from_slice(&f.to_le_bytes());
            }
            out
        }

        /// Reads what [`to_bytes`](Self::to_bytes) wrote, checking that every lookup stays in bounds.
        pub fn from_bytes(bytes: &[u8]) -> Result<Self, FilterError> {
            if bytes.len() < HEADER || &bytes[..4] != MAGIC {
                return Err(FilterError::Format);
            }
            let u32_at =
                |i: usize| u32::from_le_bytes([bytes[i], bytes[i + 1], bytes[i + 2], bytes[i + 3]]);
            let mut seed = [0u8; 8];
            seed.copy_from_slice(&bytes[8..16]);
            let descriptor = Descriptor {
                seed: u64::from_le_bytes(seed),
                segment_length: u32_at(16),
                segment_length_mask: u32_at(20),
                segment_count_length: u32_at(24),
            };
            let body = &bytes[HEADER..];
            // a lookup reads up to two segments past `segment_count_length`
            let needed = u64::from(descriptor.segment_count_length)
                + 2 * u64::from(descriptor.segment_length);
            let shape_ok = descriptor.segment_length.is_power_of_two()
                && descriptor.segment_length_mask == descriptor.segment_length - 1;
            if !shape_ok || !body.len().is_multiple_of(2) || (body.len() / 2) as u64 != needed {
                return Err(FilterError::Length);
            }
            let fingerprints = body
                .chunks_exact(2)
                .map(|c| u16::from_le_bytes([c[0], c[1]]))
                .collect();
            Ok(Self {
                entries: u32_at(4),
                filter: BinaryFuse16 {
                    descriptor,
                    fingerprints,
                },
            })
        }

        /// How many distinct entries the filter was built from.
        pub fn entries(&self) -> usize {
            self.entries as usize
        }

        /// The serialised size in bytes.
        pub fn size(&self) -> usize {
            HEADER + self.filter.len() * 2
        }
    }

    impl BreachedPasswords for BreachedFilter {
        fn contains(&self, lowercase: &str) -> bool {
            // shorter entries were left out, so a hit there could only be a false positive
            lowercase.chars().count() >= MIN_CHARS && self.filter.contains(&key(lowercase))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const LIST: &str =
        "passwordpassword\nQwertyuiopasdfgh\n1qaz2wsx3edc4rfv\nshort\nPASSWORDPASSWORD\r\n\
                        Ünïcödé-påsswörd-leak\n";

    #[test]
    fn entries_are_normalised_like_the_policy_compares_passwords() {
        assert_eq!(
            normalise("Qwertyuiopasdfgh").as_deref(),
            Some("qwertyuiopasdfgh")
        );
        assert_eq!(
            normalise("PASSWORDPASSWORD\r").as_deref(),
            Some("passwordpassword")
        );
        // 14 characters: the NIST preset refuses it by length, the filter leaves it out
        assert_eq!(normalise("abcdefghijklmn"), None);
        // A + combining ring is one character after NFC, as the length rule counts it: 15 code
        // points typed, 14 characters
        assert_eq!(normalise("A\u{030a}bcdefghijklmn"), None);
        assert_eq!(
            normalise("A\u{030a}bcdefghijklmno").as_deref(),
            Some("åbcdefghijklmno")
        );
        assert_eq!(
            key("passwordpassword"),
            key(&normalise("PasswordPassword").unwrap())
        );
    }

    #[test]
    fn a_filter_has_no_false_negatives_and_survives_its_bytes() {
        let built = BreachedFilter::build(LIST.lines()).expect("filter");
        // the duplicate in another case and the short entry are not counted
        assert_eq!(built.entries(), 4);
        let bytes = built.to_bytes();
        assert_eq!(bytes.len(), built.size());
        let filter = BreachedFilter::from_bytes(&bytes).expect("reads back");
        for entry in LIST.lines() {
            if let Some(normal) = normalise(entry) {
                assert!(filter.contains(&normal), "{entry}");
            }
        }
        assert!(!filter.contains("short"));
        assert!(!filter.contains("a quite different passphrase"));
    }

    #[test]
    fn a_larger_filter_keeps_every_entry_and_few_strangers() {
        let entries: Vec<String> = (0..20_000)
            .map(|i| format!("leaked-password-{i:06}"))
            .collect();
        let filter = BreachedFilter::build(entries.iter().map(String::as_str)).expect("filter");
        assert!(entries.iter().all(|e| filter.contains(e)));
        // 16-bit fingerprints: about 1 in 65,536 strangers is taken for an entry
        let strangers = (0..100_000)
            .filter(|i| filter.contains(&format!("never-leaked-passphrase-{i:06}")))
            .count();
        assert!(strangers <= 10, "{strangers} false positives in 100,000");
        // about 18 bits an entry (a little more for a list this small)
        assert!(filter.size() < entries.len() * 3, "{} bytes", filter.size());
    }

    #[test]
    fn damaged_bytes_are_refused() {
        let bytes = BreachedFilter::build(LIST.lines())
            .expect("filter")
            .to_bytes();
        assert_eq!(
            BreachedFilter::from_bytes(&bytes[..bytes.len() - 2]).unwrap_err(),
            FilterError::Length
        );
        assert_eq!(
            BreachedFilter::from_bytes(b"nope").unwrap_err(),
            FilterError::Format
        );
        let mut other = bytes.clone();
        other[3] = b'9';
        assert_eq!(
            BreachedFilter::from_bytes(&other).unwrap_err(),
            FilterError::Format
        );
        assert_eq!(
            BreachedFilter::build(["short", "also short"]).unwrap_err(),
            FilterError::Empty
        );
    }
}
