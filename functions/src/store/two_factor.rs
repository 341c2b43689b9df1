//! Two-factor state: an account's TOTP secret (and one waiting for confirmation), the last step a
//! code was accepted for, its recovery codes (digests), and sign-ins waiting for their code.
//! Every use is a compare-and-swap, so a code or a recovery code works once even when two
//! requests bring it at the same instant.

use domain::ids::AccountId;
use domain::{Timestamp, TokenDigest};
use serde::Deserialize;
use wasm_bindgen::JsValue;
use worker::Result;

use super::{int, returned_rows, text, Stmt, Store};

/// An account's second factor as stored.
#[derive(Debug, Deserialize)]
pub struct TwoFactorRow {
    /// The confirmed secret (base32), if two-factor sign-in is on.
    pub totp_secret: Option<String>,
    /// A new secret waiting for its first code.
    pub totp_pending: Option<String>,
    /// The last step a code was accepted for.
    pub totp_last_step: Option<i64>,
    /// The password hash, for re-authentication.
    pub password_hash: Option<String>,
}

impl Store {
    /// The account's second factor (and password hash).
    pub async fn two_factor(&self, account: AccountId) -> Result<Option<TwoFactorRow>> {
        self.prepare(
            "SELECT totp_secret, totp_pending, totp_last_step, password_hash FROM accounts WHERE id = ?1",
        )
        .bind(&[text(&account.to_string())])?
        .first::<TwoFactorRow>(None)
        .await
    }

    /// Keeps a new secret until a code confirms it (replacing any earlier one not confirmed).
    pub fn set_pending_totp(
        &self,
        account: AccountId,
        secret: &str,
        now: Timestamp,
    ) -> Result<Stmt> {
        self.prepare(
            "UPDATE accounts SET totp_pending = ?2, updated_at = ?3 WHERE id = ?1 AND totp_secret IS NULL",
        )
        .bind(&[text(&account.to_string()), text(secret), int(now.0)])
    }

    /// Two-factor sign-in on: the pending secret (as read) becomes the secret, the confirming
    /// code's step counts as used, and the recovery codes are replaced. The first statement is
    /// the compare-and-swap (`RETURNING` one row when it happened).
    pub fn enable_totp_statements(
        &self,
        account: AccountId,
        pending: &str,
        step: u64,
        recovery_digests: &[String],
        now: Timestamp,
    ) -> Result<Vec<Stmt>> {
        let id = account.to_string();
        let marks: Vec<String> = (0..recovery_digests.len())
            .map(|i| format!("(?1, ?{})", i + 2))
            .collect();
        let mut binds = vec![text(&id)];
        binds.extend(recovery_digests.iter().map(|d| text(d)));
        Ok(vec![
            self.prepare(
                "UPDATE accounts SET totp_secret = totp_pending, totp_pending = NULL, totp_enabled_at = ?3, \
                 totp_last_step = ?4, updated_at = ?3 WHERE id = ?1 AND totp_pending = ?2 AND totp_secret IS NULL RETURNING id",
            )
            .bind(&[text(&id), text(pending), int(now.0), int(step as i64)])?,
            self.lost_swap_aborts()?,
            self.prepare("DELETE FROM recovery_codes WHERE account_id = ?1")
                .bind(&[text(&id)])?,
            self.prepare(&format!(
                "INSERT INTO recovery_codes (account_id, digest) VALUES {}",
                marks.join(", ")
            ))
            .bind(&binds)?,
        ])
    }

    /// Two-factor sign-in off: secret, pending secret and recovery codes go.
    pub fn disable_totp_statements(&self, account: AccountId, now: Timestamp) -> Result<Vec<Stmt>> {
        let id = account.to_string();
        Ok(vec![
            self.prepare(
                "UPDATE accounts SET totp_secret = NULL, totp_pending = NULL, totp_enabled_at = NULL, \
                 totp_last_step = NULL, updated_at = ?2 WHERE id = ?1 AND totp_secret IS NOT NULL RETURNING id",
            )
            .bind(&[text(&id), int(now.0)])?,
            self.lost_swap_aborts()?,
            self.prepare("DELETE FROM recovery_codes WHERE account_id = ?1")
                .bind(&[text(&id)])?,
        ])
    }

    /// Uses a code's step: only if it is later than the last one used (the replay guard, as one
    /// atomic write). Whether it was taken.
    pub async fn use_totp_step(&self, account: AccountId, step: u64) -> Result<bool> {
        let r = self
            .prepare(
                "UPDATE accounts SET totp_last_step = ?2 WHERE id = ?1 AND totp_secret IS NOT NULL \
                 AND (totp_last_step IS NULL OR totp_last_step < ?2) RETURNING id",
            )
            .bind(&[text(&account.to_string()), int(step as i64)])?
            .all()
            .await?;
        Ok(r.results::<serde_json::Value>()?.len() == 1)
    }

    /// Uses a recovery code: only once. Whether it was there and unused.
    pub async fn use_recovery_code(
        &self,
        account: AccountId,
        digest: &str,
        now: Timestamp,
    ) -> Result<bool> {
        let results = self
            .batch(vec![self
                .prepare(
                    "UPDATE recovery_codes SET used_at = ?3 WHERE account_id = ?1 AND digest = ?2 AND used_at IS NULL RETURNING digest",
                )
                .bind(&[text(&account.to_string()), text(digest), int(now.0)])?])
            .await?;
        Ok(returned_rows(&results[0])? == 1)
    }

    /// The statement that holds a sign-in whose password was right until `expires_at`.
    pub fn insert_challenge(
        &self,
        digest: &TokenDigest,
        account: AccountId,
        now: Timestamp,
        expires_at: Timestamp,
    ) -> Result<Stmt> {
        self.prepare(
            "INSERT INTO sign_in_challenges (digest, account_id, created_at, expires_at) VALUES (?1, ?2, ?3, ?4)",
        )
        .bind(&[
            text(digest.as_str()),
            text(&account.to_string()),
            int(now.0),
            int(expires_at.0),
        ])
    }

    /// The account a live challenge holds (with its client's key), while that account may still
    /// sign in.
    pub async fn challenge_account(
        &self,
        digest: &TokenDigest,
        now: Timestamp,
    ) -> Result<Option<(AccountId, String)>> {
        #[derive(Deserialize)]
        struct Row {
            id: String,
            client_id: String,
        }
        let row = self
            .prepare(
                "SELECT a.id, a.client_id FROM sign_in_challenges s JOIN accounts a ON a.id = s.account_id \
                 WHERE s.digest = ?1 AND s.expires_at > ?2 AND a.status = 'accepted' AND a.totp_secret IS NOT NULL",
            )
            .bind(&[text(digest.as_str()), JsValue::from_f64(now.0 as f64)])?
            .first::<Row>(None)
            .await?;
        Ok(row.and_then(|r| AccountId::parse(&r.id).map(|id| (id, r.client_id))))
    }

    /// The statement that uses up a challenge (`RETURNING` it: follow it with
    /// [`Store::lost_swap_aborts`], so two requests with one challenge make one session).
    pub fn delete_challenge(&self, digest: &TokenDigest) -> Result<Stmt> {
        self.prepare("DELETE FROM sign_in_challenges WHERE digest = ?1 RETURNING digest")
            .bind(&[text(digest.as_str())])
    }

    /// The statement that ends every pending challenge of the account ("sign out everywhere").
    pub fn delete_challenges_of(&self, account: AccountId) -> Result<Stmt> {
        self.prepare("DELETE FROM sign_in_challenges WHERE account_id = ?1")
            .bind(&[text(&account.to_string())])
    }

    /// Whether this device cookie belongs to the account a client ID and username name.
    pub async fn known_device(
        &self,
        digest: &TokenDigest,
        client_id: &str,
        username: &str,
    ) -> Result<bool> {
        let found = self
            .prepare(
                "SELECT 1 AS known FROM known_devices d JOIN accounts a ON a.id = d.account_id \
                 JOIN clients c ON c.id = a.client_id WHERE d.digest = ?1 AND c.client_id = ?2 AND a.username = ?3",
            )
            .bind(&[text(digest.as_str()), text(client_id), text(username)])?
            .first::<i64>(Some("known"))
            .await?;
        Ok(found.is_some())
    }

    /// The statement that remembers a browser that signed in to the account.
    pub fn insert_known_device(
        &self,
        digest: &TokenDigest,
        account: AccountId,
        now: Timestamp,
    ) -> Result<Stmt> {
        self.prepare("INSERT OR IGNORE INTO known_devices (digest, account_id, created_at) VALUES (?1, ?2, ?3)")
            .bind(&[text(digest.as_str()), text(&account.to_string()), int(now.0)])
    }

    /// Drops challenges that ran out; returns how many.
    pub async fn purge_expired_challenges(&self, now: Timestamp) -> Result<usize> {
        let r = self
            .prepare("DELETE FROM sign_in_challenges WHERE expires_at <= ?1")
            .bind(&[int(now.0)])?
            .run()
            .await?;
        Ok(r.meta()?.and_then(|m| m.changes).unwrap_or(0))
    }
}
