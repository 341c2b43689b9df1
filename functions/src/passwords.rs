//! Argon2id hashing with the operator's parameters (`domain::hashing`, OWASP's by default), PHC
//! strings, rehash when the parameters change, and the same work for every sign-in whatever the
//! stored hash's parameters or whether an account exists at all.

use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::{Algorithm, Argon2, Params, Version};
use domain::api::ErrorCode;
use domain::hashing::HashParams;
use domain::password::{Password, PasswordPolicy, Personal};

use crate::error::Failure;

fn hasher(p: HashParams) -> Result<Argon2<'static>, String> {
    let params =
        Params::new(p.memory_kib, p.iterations, p.parallelism, None).map_err(|e| e.to_string())?;
    Ok(Argon2::new(Algorithm::Argon2id, Version::V0x13, params))
}

/// Hashes a (normalised) password with a caller-supplied random salt into a PHC string.
pub fn hash(params: HashParams, password: &Password, salt: [u8; 16]) -> Result<String, String> {
    let salt = SaltString::encode_b64(&salt).map_err(|e| e.to_string())?;
    hasher(params)?
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

/// Checks a password against a PHC string (with the parameters it was made with); a malformed
/// stored hash never matches. A hash made with cheaper parameters is topped up to today's work,
/// so the answer's timing tells nothing about how old the hash is.
pub fn verify(params: HashParams, password: &Password, phc: &str) -> Verified {
    let Ok(parsed) = PasswordHash::new(phc) else {
        return verify_nothing(params, password);
    };
    let stored = Params::try_from(&parsed)
        .ok()
        .and_then(|p| HashParams::new(p.m_cost(), p.t_cost(), p.p_cost()).ok());
    let ok = hasher(params).is_ok_and(|h| {
        h.verify_password(password.expose().as_bytes(), &parsed)
            .is_ok()
    });
    if let Some(pad) = stored.and_then(|s| s.top_up_to(&params)) {
        let _ = hash(pad, password, [0xa5; 16]);
    }
    let current = parsed.algorithm.as_str() == "argon2id" && stored == Some(params);
    Verified {
        ok,
        needs_rehash: ok && !current,
    }
}

/// Spends the same work as a real verification and never matches, so an unknown username takes as
/// long as a wrong password.
pub fn verify_nothing(params: HashParams, password: &Password) -> Verified {
    let _ = hash(params, password, [0x5a; 16]);
    Verified {
        ok: false,
        needs_rehash: false,
    }
}

/// A new password against the client's rules (the breached-password list included) and its
/// confirmation: every unmet rule as 422 `weak_password` on `fields.0`, a confirmation that
/// differs as 422 `password_mismatch` on `fields.1`. Accepting an invitation, completing a reset
/// and changing one's own password all check here.
pub fn check_new(
    policy: &PasswordPolicy,
    password: &Password,
    confirmation: &str,
    personal: Personal<'_>,
    fields: (&'static str, &'static str),
) -> Result<(), Failure> {
    let unmet = policy.check_with_breached(password, personal, crate::breached::passwords());
    if !unmet.is_empty() {
        return Err(Failure::weak_password(unmet).with_field(fields.0));
    }
    if *password != Password::new(confirmation) {
        return Err(Failure::field(ErrorCode::PasswordMismatch, fields.1));
    }
    Ok(())
}
