//! Sign-in sessions: only the token's digest is stored; a session ends at its expiry or sign-out.

use domain::api::{ClientInfo, Me};
use domain::i18n::Lang;
use domain::ids::AccountId;
use domain::values::UsernameFormat;
use domain::{AccountStatus, Role, Timestamp, TokenDigest};
use serde::Deserialize;
use worker::{D1PreparedStatement, Result};

use super::{int, text, Store};

/// The signed-in account behind a session.
pub struct SessionAccount {
    /// Its client's internal id.
    pub client_db_id: String,
    /// The account and client as the app sees them.
    pub me: Me,
}

#[derive(Deserialize)]
struct Row {
    id: String,
    first_name: String,
    surname: String,
    username: String,
    email: String,
    role: String,
    language: String,
    status: String,
    client_db_id: String,
    client_id: String,
    client_name: String,
    username_format: Option<String>,
}

impl Store {
    /// The statement that starts a session.
    pub fn insert_session(
        &self,
        digest: &TokenDigest,
        account: AccountId,
        now: Timestamp,
        expires_at: Timestamp,
    ) -> Result<D1PreparedStatement> {
        self.prepare("INSERT INTO sessions (token_digest, account_id, created_at, expires_at) VALUES (?1, ?2, ?3, ?4)")
            .bind(&[text(digest.as_str()), text(&account.to_string()), int(now.0), int(expires_at.0)])
    }

    /// The account behind a live session; `None` once it expired or the account may no longer sign in.
    pub async fn session_account(
        &self,
        digest: &TokenDigest,
        now: Timestamp,
    ) -> Result<Option<SessionAccount>> {
        let row = self
            .prepare(
                "SELECT a.id, a.first_name, a.surname, a.username, a.email, a.role, a.language, a.status, \
                 c.id AS client_db_id, c.client_id, c.name AS client_name, cs.username_format \
                 FROM sessions s JOIN accounts a ON a.id = s.account_id JOIN clients c ON c.id = a.client_id \
                 LEFT JOIN client_settings cs ON cs.client_id = c.id \
                 WHERE s.token_digest = ?1 AND s.expires_at > ?2",
            )
            .bind(&[text(digest.as_str()), int(now.0)])?
            .first::<Row>(None)
            .await?;
        // a session ends with the account's right to sign in (deactivated, …)
        let row =
            row.filter(|r| AccountStatus::parse(&r.status).is_some_and(AccountStatus::may_sign_in));
        row.map(|r| {
            Ok(SessionAccount {
                client_db_id: r.client_db_id,
                me: Me {
                    id: AccountId::parse(&r.id).ok_or("bad account id")?,
                    role: Role::parse(&r.role).ok_or("unknown role")?,
                    language: Lang::from_tag(&r.language).unwrap_or_default(),
                    first_name: r.first_name,
                    surname: r.surname,
                    username: r.username,
                    email: r.email,
                    client: ClientInfo {
                        client_id: r.client_id,
                        name: r.client_name,
                        username_format: r
                            .username_format
                            .as_deref()
                            .map(UsernameFormat::from_setting)
                            .unwrap_or_default(),
                    },
                },
            })
        })
        .transpose()
    }

    /// The statement that ends one session (sign-out).
    pub fn delete_session(&self, digest: &TokenDigest) -> Result<D1PreparedStatement> {
        self.prepare("DELETE FROM sessions WHERE token_digest = ?1")
            .bind(&[text(digest.as_str())])
    }

    /// Removes sessions that ran out; returns how many.
    pub async fn purge_expired_sessions(&self, now: Timestamp) -> Result<usize> {
        let r = self
            .prepare("DELETE FROM sessions WHERE expires_at <= ?1")
            .bind(&[int(now.0)])?
            .run()
            .await?;
        Ok(r.meta()?.and_then(|m| m.changes).unwrap_or(0))
    }
}
