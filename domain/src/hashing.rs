//! Password-hashing cost: argon2id's parameters as the operator configures them, and the rule that
//! keeps every sign-in equally expensive while older hashes with other parameters exist.
//!
//! Argon2's work is the number of 1 KiB memory blocks it fills: `memory_kib × iterations` (lanes
//! split the memory, they do not add to it). A stored hash made with cheaper parameters is topped up
//! with a throw-away hash of the missing blocks, so a wrong password on an old hash, on a current one
//! and on an account that does not exist all cost the configured work.

/// Argon2id parameters (the PHC string's `m`, `t`, `p`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct HashParams {
    /// Memory in KiB (`m`).
    pub memory_kib: u32,
    /// Passes over the memory (`t`).
    pub iterations: u32,
    /// Lanes (`p`).
    pub parallelism: u32,
}

/// Why configured parameters were refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum HashParamsError {
    /// Memory outside 8 × lanes KiB ..= [`HashParams::MAX_MEMORY_KIB`].
    Memory,
    /// Iterations outside 1 ..= 10.
    Iterations,
    /// Lanes outside 1 ..= 4.
    Parallelism,
}

impl HashParams {
    /// OWASP's recommendation for argon2id: m = 19 MiB, t = 2, p = 1.
    pub const OWASP: Self = Self {
        memory_kib: 19 * 1024,
        iterations: 2,
        parallelism: 1,
    };

    /// The most memory a hash may take: a Worker has 128 MB in all.
    pub const MAX_MEMORY_KIB: u32 = 64 * 1024;

    /// Checks configured parameters against what argon2 and a Worker can run.
    pub fn new(
        memory_kib: u32,
        iterations: u32,
        parallelism: u32,
    ) -> Result<Self, HashParamsError> {
        if !(1..=4).contains(&parallelism) {
            return Err(HashParamsError::Parallelism);
        }
        if memory_kib < 8 * parallelism || memory_kib > Self::MAX_MEMORY_KIB {
            return Err(HashParamsError::Memory);
        }
        if !(1..=10).contains(&iterations) {
            return Err(HashParamsError::Iterations);
        }
        Ok(Self {
            memory_kib,
            iterations,
            parallelism,
        })
    }

    /// Reads the operator's settings (`ARGON2_MEMORY_KIB`, `ARGON2_ITERATIONS`,
    /// `ARGON2_PARALLELISM`); an unset one keeps OWASP's value, an unreadable one is an error.
    pub fn from_settings(
        memory_kib: Option<&str>,
        iterations: Option<&str>,
        parallelism: Option<&str>,
    ) -> Result<Self, HashParamsError> {
        let read = |v: Option<&str>, default: u32, e: HashParamsError| match v {
            None => Ok(default),
            Some(text) => text.trim().parse::<u32>().map_err(|_| e),
        };
        Self::new(
            read(memory_kib, Self::OWASP.memory_kib, HashParamsError::Memory)?,
            read(
                iterations,
                Self::OWASP.iterations,
                HashParamsError::Iterations,
            )?,
            read(
                parallelism,
                Self::OWASP.parallelism,
                HashParamsError::Parallelism,
            )?,
        )
    }

    /// The blocks a hash with these parameters fills.
    pub fn work(&self) -> u64 {
        u64::from(self.memory_kib) * u64::from(self.iterations)
    }

    /// What a check against a stored hash with these parameters must add so that it costs the
    /// `current` work: a one-lane hash over the missing blocks (one pass, or as few as fit the
    /// memory cap), or nothing when the stored hash costs as much or more (or the gap is below
    /// argon2's smallest memory).
    pub fn top_up_to(&self, current: &HashParams) -> Option<HashParams> {
        let missing = current.work().saturating_sub(self.work());
        let passes = missing.div_ceil(u64::from(Self::MAX_MEMORY_KIB)).max(1);
        let memory_kib = u32::try_from(missing.div_ceil(passes)).ok()?;
        HashParams::new(memory_kib, u32::try_from(passes).ok()?, 1).ok()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn the_defaults_are_owasps() {
        assert_eq!(
            HashParams::from_settings(None, None, None),
            Ok(HashParams::OWASP)
        );
        assert_eq!(
            HashParams::from_settings(Some("65536"), Some(" 3 "), Some("2")),
            Ok(HashParams {
                memory_kib: 65536,
                iterations: 3,
                parallelism: 2
            })
        );
    }

    #[test]
    fn what_a_worker_cannot_run_is_refused() {
        use HashParamsError::*;
        for (m, t, p, e) in [
            ("7", "2", "1", Memory),
            ("65537", "2", "1", Memory),
            ("lots", "2", "1", Memory),
            ("19456", "0", "1", Iterations),
            ("19456", "11", "1", Iterations),
            ("19456", "2", "0", Parallelism),
            ("19456", "2", "5", Parallelism),
            ("16", "2", "4", Memory),
        ] {
            assert_eq!(
                HashParams::from_settings(Some(m), Some(t), Some(p)),
                Err(e),
                "{m} {t} {p}"
            );
        }
    }

    #[test]
    fn an_older_cheaper_hash_is_topped_up_to_the_current_work() {
        let old = HashParams::new(12 * 1024, 3, 1).unwrap();
        let pad = old.top_up_to(&HashParams::OWASP).unwrap();
        assert_eq!(pad, HashParams::new(2 * 1024, 1, 1).unwrap());
        assert_eq!(old.work() + pad.work(), HashParams::OWASP.work());
        assert_eq!(HashParams::OWASP.top_up_to(&HashParams::OWASP), None);
        let dearer = HashParams::new(64 * 1024, 3, 4).unwrap();
        assert_eq!(dearer.top_up_to(&HashParams::OWASP), None);
    }

    proptest! {
        #[test]
        fn a_check_costs_the_current_work_within_a_few_blocks(
            m in 8u32..=65536, t in 1u32..=10, cm in 8u32..=65536, ct in 1u32..=10,
        ) {
            let stored = HashParams::new(m, t, 1).unwrap();
            let current = HashParams::new(cm, ct, 1).unwrap();
            let total = stored.work() + stored.top_up_to(&current).map_or(0, |p| p.work());
            if stored.work() <= current.work() {
                prop_assert!(total.abs_diff(current.work()) < 16, "{} vs {}", total, current.work());
            } else {
                prop_assert_eq!(total, stored.work());
            }
        }
    }
}
