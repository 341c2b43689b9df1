//! Password-reset links: stored as their purpose-separated digest (`Token::reset_digest`), at most
//! one pending per account (a new one replaces it); used exactly once.

use domain::i18n::Lang;
use domain::ids::AccountId;
use domain::{AccountStatus, ClientPath, Timestamp, TokenDigest};
use serde::Deserialize;
use worker::Result;

use super::{int, opt_text, returned_rows, text, Stmt, Store};

/// A reset link as its page needs it.
pub struct ResetRecord {
    /// The reset's id.
    pub id: String,
    /// Its account.
    pub account: AccountId,
    /// pending | used | replaced | revoked.
    pub state: String,
    /// When it stops working.
    pub expires_at: Timestamp,
    /// The account's status now.
    pub status: AccountStatus,
    /// For the page and the rules.
    pub first_name: String,
    /// For the page and the rules.
    pub surname: String,
    /// For the page and the rules.
    pub username: String,
    /// For the rules.
    pub email: String,
    /// The account's language.
    pub language: Lang,
    /// The client's ID.
    pub client_id: String,
    /// The client's name.
    pub client_name: String,
    /// The client (for its settings).
    pub client_path: ClientPath,
}

/// A new reset link.
pub struct NewReset<'a> {
    /// Random id.
    pub id: &'a str,
    /// Whose.
    pub account: AccountId,
    /// `Token::reset_digest` of the link's token.
    pub digest: &'a TokenDigest,
    /// The admin who asked; `None` when the person did.
    pub requested_by: Option<AccountId>,
    /// Now.
    pub now: Timestamp,
    /// When it stops working.
    pub expires_at: Timestamp,
}

impl Store {
    /// The statements that replace the account's pending reset by a new one, only while the
    /// account is accepted (the insert, second, `RETURNING` one row when it happened).
    pub fn reset_statements(&self, r: &NewReset<'_>) -> Result<Vec<Stmt>> {
        let account = r.account.to_string();
        Ok(vec![
            self.prepare(
                "UPDATE password_resets SET state = 'replaced', ended_at = ?2 WHERE account_id = ?1 AND state = 'pending'",
            )
            .bind(&[text(&account), int(r.now.0)])?,
            self.prepare(
                "INSERT INTO password_resets (id, account_id, token_digest, state, requested_by, created_at, expires_at) \
                 SELECT ?1, ?2, ?3, 'pending', ?4, ?5, ?6 WHERE EXISTS (SELECT 1 FROM accounts WHERE id = ?2 AND status = 'accepted') \
                 RETURNING id",
            )
            .bind(&[
                text(r.id),
                text(&account),
                text(r.digest.as_str()),
                opt_text(r.requested_by.map(|a| a.to_string()).as_deref()),
                int(r.now.0),
                int(r.expires_at.0),
            ])?,
        ])
    }

    /// The reset a link's digest names, with its account and client.
    pub async fn reset_by_digest(&self, digest: &TokenDigest) -> Result<Option<ResetRecord>> {
        #[derive(Deserialize)]
        struct Row {
            id: String,
            account_id: String,
            token_digest: String,
            state: String,
            expires_at: i64,
            status: String,
            first_name: String,
            surname: String,
            username: String,
            email: String,
            language: String,
            client_id: String,
            client_name: String,
            client_path: String,
        }
        let row = self
            .prepare(
                "SELECT p.id, p.account_id, p.token_digest, p.state, p.expires_at, a.status, a.first_name, a.surname, a.username, \
                 a.email, a.language, c.client_id, c.name AS client_name, c.path AS client_path \
                 FROM password_resets p JOIN accounts a ON a.id = p.account_id JOIN clients c ON c.id = a.client_id \
                 WHERE p.token_digest = ?1",
            )
            .bind(&[text(digest.as_str())])?
            .first::<Row>(None)
            .await?;
        let Some(r) = row else { return Ok(None) };
        if !TokenDigest::from_stored(r.token_digest).matches(digest) {
            return Ok(None);
        }
        Ok(Some(ResetRecord {
            id: r.id,
            account: AccountId::parse(&r.account_id).ok_or("bad account id")?,
            state: r.state,
            expires_at: Timestamp(r.expires_at),
            status: AccountStatus::parse(&r.status).ok_or("unknown account status")?,
            first_name: r.first_name,
            surname: r.surname,
            username: r.username,
            email: r.email,
            language: Lang::from_tag(&r.language).unwrap_or_default(),
            client_id: r.client_id,
            client_name: r.client_name,
            client_path: ClientPath::from_stored(&r.client_path).ok_or("bad client path")?,
        }))
    }

    /// Uses a reset: the new password, exactly once (the link still pending and unexpired, the
    /// account still accepted), and every session of the account ends. The first statement
    /// `RETURNING` one row says this call won.
    pub async fn complete_reset(
        &self,
        reset_id: &str,
        account: AccountId,
        password_hash: &str,
        now: Timestamp,
        after: Vec<Stmt>,
    ) -> Result<bool> {
        let account = account.to_string();
        let mut statements = vec![
            self.prepare(
                "UPDATE password_resets SET state = 'used', ended_at = ?2 WHERE id = ?1 AND state = 'pending' AND expires_at > ?2 \
                 AND EXISTS (SELECT 1 FROM accounts WHERE id = ?3 AND status = 'accepted') RETURNING id",
            )
            .bind(&[text(reset_id), int(now.0), text(&account)])?,
            self.prepare(
                "UPDATE accounts SET password_hash = ?1, updated_at = ?2 WHERE id = ?3 \
                 AND EXISTS (SELECT 1 FROM password_resets WHERE id = ?4 AND state = 'used' AND ended_at = ?2)",
            )
            .bind(&[text(password_hash), int(now.0), text(&account), text(reset_id)])?,
            self.prepare(
                "DELETE FROM sessions WHERE account_id = ?1 \
                 AND EXISTS (SELECT 1 FROM password_resets WHERE id = ?2 AND state = 'used' AND ended_at = ?3)",
            )
            .bind(&[text(&account), text(reset_id), int(now.0)])?,
            // a sign-in that passed the old password waits for its code no longer
            self.prepare(
                "DELETE FROM sign_in_challenges WHERE account_id = ?1 \
                 AND EXISTS (SELECT 1 FROM password_resets WHERE id = ?2 AND state = 'used' AND ended_at = ?3)",
            )
            .bind(&[text(&account), text(reset_id), int(now.0)])?,
        ];
        statements.extend(after);
        let results = self.batch(statements).await?;
        Ok(returned_rows(&results[0])? == 1)
    }

    /// An accepted account by client ID and username or e-mail (forgot password).
    pub async fn reset_candidate(
        &self,
        client_id: &str,
        login: &str,
    ) -> Result<Option<ResetCandidate>> {
        let column = if login.contains('@') {
            "email"
        } else {
            "username"
        };
        let row = self
            .prepare(&format!(
                "SELECT a.id, a.client_id AS client_key FROM accounts a \
                 JOIN clients c ON c.id = a.client_id WHERE c.client_id = ?1 AND a.{column} = ?2 \
                 AND a.status = 'accepted' AND NOT {}",
                super::sessions::blocked_sql("c")
            ))
            .bind(&[text(client_id), text(login)])?
            .first::<ResetCandidate>(None)
            .await?;
        Ok(row)
    }
}

/// The account a "forgot password" names.
#[derive(Deserialize)]
pub struct ResetCandidate {
    /// Account id.
    pub id: String,
    /// Its client's key.
    pub client_key: String,
}
