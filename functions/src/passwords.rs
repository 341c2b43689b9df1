//! Argon2id hashing with OWASP's parameters (m = 19 MiB, t = 2, p = 1), PHC strings, rehash on change.

use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::{Algorithm, Argon2, Params, Version};
use domain::password::Password;

/// OWASP's recommended argon2id settings.
pub const MEMORY_KIB: u32 = 19 * 1024;
/// Iterations.
pub const ITERATIONS: u32 = 2;
/// Lanes.
pub const PARALLELISM: u32 = 1;

fn hasher() -> Argon2<'static> {
    let params =
        Params::new(MEMORY_KIB, ITERATIONS, PARALLELISM, None).expect("valid argon2 parameters");
    Argon2::new(Algorithm::Argon2id, Version::V0x13, params)
}

/// Hashes a (normalised) password with a caller-supplied random salt into a PHC string.
pub fn hash(password: &Password, salt: [u8; 16]) -> Result<String, String> {
    let salt = SaltString::encode_b64(&salt).map_err(|e| e.to_string())?;
    hasher()
        .hash_password(password.expose().as_bytes(), &salt)
        .map(|h| h.to_string())
        .map_err(|e| e.to_string())
}

/// The outcome of checking a password against a stored hash.
pub struct Verified {
    /// The password matches.
    pub ok: bool,
    /// The stored hash uses other parameters than today's: store a fresh one.
    pub needs_rehash: bool,
}

/// Checks a password against a PHC string; a malformed stored hash never matches.
pub fn verify(password: &Password, phc: &str) -> Verified {
    let Ok(parsed) = PasswordHash::new(phc) else {
        return Verified {
            ok: false,
            needs_rehash: false,
        };
    };
    let ok = hasher()
        .verify_password(password.expose().as_bytes(), &parsed)
        .is_ok();
    let current = parsed.algorithm.as_str() == "argon2id"
        && Params::try_from(&parsed).is_ok_and(|p| {
            p.m_cost() == MEMORY_KIB && p.t_cost() == ITERATIONS && p.p_cost() == PARALLELISM
        });
    Verified {
        ok,
        needs_rehash: ok && !current,
    }
}

/// Spends the same work as a real verification and never matches, so an unknown username takes as
/// long as a wrong password.
pub fn verify_nothing(password: &Password) -> Verified {
    let _ = hash(password, [0x5a; 16]);
    Verified {
        ok: false,
        needs_rehash: false,
    }
}
