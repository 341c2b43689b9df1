//! Seed data as SQL for `wrangler d1 execute`: a demo company for `make dev`, fixtures for the tests,
//! and any number of accounts in one client, so a slow query shows up on a developer's machine.
//!
//! Deterministic for a given seed, and written with `INSERT OR IGNORE`, so applying it twice is harmless.

use argon2::password_hash::{PasswordHasher, SaltString};
use argon2::{Algorithm, Argon2, Params, Version};
use domain::ids::{AccountId, InvitationId};
use domain::{Timestamp, Token, Ttl};
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use std::fmt::Write;

/// A client to create, with its first admin.
pub struct ClientSeed<'a> {
    /// Client ID typed at sign-in.
    pub client_id: &'a str,
    /// Display name.
    pub name: &'a str,
    /// Invitation validity in seconds.
    pub invitation_ttl: i64,
    /// The admin's username.
    pub admin_username: &'a str,
    /// The admin's e-mail.
    pub admin_email: &'a str,
    /// The admin's password.
    pub admin_password: &'a str,
    /// How many other accounts to add, spread over every status.
    pub extra_users: usize,
}

/// The demo company `make dev` creates.
pub const DEMO: ClientSeed<'static> = ClientSeed {
    client_id: "acme",
    name: "Acme GmbH",
    invitation_ttl: Ttl::DEFAULT_INVITATION.0,
    admin_username: "admin",
    admin_email: "admin@acme.example",
    admin_password: "Gatehouse-Dev-2026!",
    extra_users: 30,
};

const FIRST: [&str; 20] = [
    "Anna", "Ben", "Clara", "David", "Elif", "Felix", "Greta", "Hannah", "Jonas", "Jörg", "Lea",
    "Lukas", "Mia", "Noah", "Sophie", "Tim", "Renée", "Yusuf", "Zoe", "Emil",
];
const LAST: [&str; 20] = [
    "Müller",
    "Schmidt",
    "Schneider",
    "Fischer",
    "Weber",
    "Meyer",
    "Wagner",
    "Becker",
    "Schulz",
    "Hoffmann",
    "Koch",
    "Richter",
    "Klein",
    "Wolf",
    "Schröder",
    "Neumann",
    "Braun",
    "Zimmermann",
    "Krüger",
    "O'Brien",
];

/// Hashes a password with Gatehouse's argon2id parameters (the same PHC format the worker writes).
pub fn hash_password(password: &str, salt: [u8; 16]) -> String {
    let params = Params::new(19 * 1024, 2, 1, None).expect("valid parameters");
    let salt = SaltString::encode_b64(&salt).expect("16-byte salt");
    let normalised = domain::password::Password::new(password);
    Argon2::new(Algorithm::Argon2id, Version::V0x13, params)
        .hash_password(normalised.expose().as_bytes(), &salt)
        .expect("hashing works")
        .to_string()
}

fn q(s: &str) -> String {
    format!("'{}'", s.replace('\'', "''"))
}

/// SQL that creates the clients with their admins and extra accounts, at `now`.
pub fn sql(clients: &[ClientSeed<'_>], now: Timestamp, seed: u64) -> String {
    let mut rng = StdRng::seed_from_u64(seed);
    let mut out = String::new();
    for c in clients {
        let client_db_id = uuid::Builder::from_random_bytes(rng.gen())
            .into_uuid()
            .to_string();
        let _ = writeln!(
            out,
            "INSERT OR IGNORE INTO clients (id, client_id, name, is_sender, created_at) VALUES ({}, {}, {}, 1, {});",
            q(&client_db_id), q(c.client_id), q(c.name), now.0
        );
        let _ = writeln!(
            out,
            "INSERT OR IGNORE INTO client_settings (client_id, invitation_ttl_seconds) VALUES ((SELECT id FROM clients WHERE client_id = {}), {});",
            q(c.client_id), c.invitation_ttl
        );
        let client_ref = format!(
            "(SELECT id FROM clients WHERE client_id = {})",
            q(c.client_id)
        );
        let admin_id = AccountId::from_random_bytes(rng.gen());
        let hash = hash_password(c.admin_password, rng.gen());
        // the admin is the oldest account
        let admin_created = now.0 - 90 * 86_400_000;
        let _ = writeln!(
            out,
            "INSERT OR IGNORE INTO accounts (id, client_id, username, email, first_name, surname, role, status, password_hash, language, created_at, updated_at) \
             VALUES ({}, {client_ref}, {}, {}, 'Ada', 'Admin', 'admin', 'accepted', {}, 'en', {admin_created}, {admin_created});",
            q(&admin_id.to_string()), q(c.admin_username), q(c.admin_email), q(&hash)
        );
        for n in 0..c.extra_users {
            let first = FIRST[n % FIRST.len()];
            let last = LAST[(n / FIRST.len() + n * 7) % LAST.len()];
            let base = domain::values::Username::propose(first, last, Default::default())
                .expect("seed names make usernames");
            // first names repeat after 20 accounts: number the rest
            let username = if n < FIRST.len() {
                base
            } else {
                base.with_suffix(n as u32)
            };
            let email = format!("{}@{}.example", username.as_str(), c.client_id);
            let id = AccountId::from_random_bytes(rng.gen());
            // spread over the last 60 days, newest first by index
            let created = now.0 - (n as i64 + 1) * 2 * 3_600_000 - rng.gen_range(0..3_600_000);
            let (status, invitation) = match n % 6 {
                0 | 1 => ("invited", Some(created + c.invitation_ttl * 1000)),
                2 => ("invited", Some(now.0 - 86_400_000)), // ran out yesterday: shows Expired
                5 => ("deactivated", None),
                _ => ("accepted", None),
            };
            let hash = if status == "invited" {
                "NULL".to_string()
            } else {
                q(&hash)
            };
            let _ = writeln!(
                out,
                "INSERT OR IGNORE INTO accounts (id, client_id, username, email, first_name, surname, role, status, password_hash, language, created_at, updated_at) \
                 VALUES ({}, {client_ref}, {}, {}, {}, {}, 'user', {}, {hash}, {}, {created}, {created});",
                q(&id.to_string()), q(username.as_str()), q(&email), q(first), q(last), q(status),
                q(if n % 4 == 0 { "de" } else { "en" })
            );
            if let Some(expires_at) = invitation {
                // a token nobody knows: seeded links cannot be opened, only their badges shown
                let digest = Token::from_random_bytes(rng.gen()).digest();
                let _ = writeln!(
                    out,
                    "INSERT OR IGNORE INTO invitations (id, account_id, client_id, email, token_digest, state, invited_by, language, created_at, expires_at) \
                     VALUES ({}, {}, {client_ref}, {}, {}, 'pending', {}, 'en', {created}, {expires_at});",
                    q(&InvitationId::from_random_bytes(rng.gen()).to_string()), q(&id.to_string()), q(&email),
                    q(digest.as_str()), q(&admin_id.to_string())
                );
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn seed_is_deterministic_and_escapes_quotes() {
        let clients = [ClientSeed {
            extra_users: 25,
            ..DEMO
        }];
        let a = sql(&clients, Timestamp(1_800_000_000_000), 7);
        assert_eq!(a, sql(&clients, Timestamp(1_800_000_000_000), 7));
        assert!(a.contains("'O''Brien'"));
        assert_eq!(a.matches("INSERT OR IGNORE INTO accounts").count(), 26);
    }
}
