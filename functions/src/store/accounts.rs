//! Accounts: sign-in lookup, the keyset-paginated users list, uniqueness checks, creation.

use domain::api::{Cursor, UserPage, UserRow};
use domain::ids::AccountId;
use domain::values::{Email, PersonName, Username};
use domain::{AccountStatus, Badge, Role, Timestamp};
use serde::Deserialize;
use worker::{D1PreparedStatement, Result};

use super::{int, text, Store};

/// What sign-in needs to know about an account.
pub struct LoginCandidate {
    /// The account.
    pub id: AccountId,
    /// Its client's internal id.
    pub client_db_id: String,
    /// PHC string, if a password was ever set.
    pub password_hash: Option<String>,
    /// Only accepted accounts may sign in.
    pub status: AccountStatus,
}

#[derive(Deserialize)]
struct LoginRow {
    id: String,
    client_db_id: String,
    password_hash: Option<String>,
    status: String,
}

#[derive(Deserialize)]
struct ListRow {
    id: String,
    first_name: String,
    surname: String,
    username: String,
    email: String,
    role: String,
    status: String,
    created_at: i64,
    pending_expires_at: Option<i64>,
}

impl ListRow {
    fn into_user(self, now: Timestamp) -> Result<UserRow> {
        let status = AccountStatus::parse(&self.status).ok_or("unknown account status")?;
        Ok(UserRow {
            id: AccountId::parse(&self.id).ok_or("bad account id")?,
            role: Role::parse(&self.role).ok_or("unknown role")?,
            badge: Badge::of(status, self.pending_expires_at.map(Timestamp), now),
            status,
            first_name: self.first_name,
            surname: self.surname,
            username: self.username,
            email: self.email,
            created_at: Timestamp(self.created_at),
        })
    }
}

/// A new invited account's data.
pub struct NewAccount<'a> {
    /// Its id.
    pub id: AccountId,
    /// The client it belongs to (internal id).
    pub client_db_id: &'a str,
    /// Unique username in the client.
    pub username: &'a Username,
    /// Unique e-mail in the client.
    pub email: &'a Email,
    /// First name.
    pub first_name: &'a PersonName,
    /// Surname.
    pub surname: &'a PersonName,
    /// Role.
    pub role: Role,
    /// Language for mail and the accept page.
    pub language: &'a str,
    /// Creation time.
    pub now: Timestamp,
}

const LIST_COLUMNS: &str = "a.id, a.first_name, a.surname, a.username, a.email, a.role, a.status, a.created_at, \
     (SELECT i.expires_at FROM invitations i WHERE i.account_id = a.id AND i.state = 'pending') AS pending_expires_at";

impl Store {
    /// The account a sign-in names, by client ID and username.
    pub async fn login_candidate(
        &self,
        client_id: &str,
        username: &str,
    ) -> Result<Option<LoginCandidate>> {
        let row = self
            .prepare(
                "SELECT a.id, a.client_id AS client_db_id, a.password_hash, a.status FROM accounts a \
                 JOIN clients c ON c.id = a.client_id WHERE c.client_id = ?1 AND a.username = ?2",
            )
            .bind(&[text(client_id), text(username)])?
            .first::<LoginRow>(None)
            .await?;
        row.map(|r| {
            Ok(LoginCandidate {
                id: AccountId::parse(&r.id).ok_or("bad account id")?,
                client_db_id: r.client_db_id,
                password_hash: r.password_hash,
                status: AccountStatus::parse(&r.status).ok_or("unknown account status")?,
            })
        })
        .transpose()
    }

    /// Replaces a password hash made with old parameters, unless the password changed meanwhile.
    pub async fn rehash_password(
        &self,
        id: AccountId,
        old: &str,
        phc: &str,
        now: Timestamp,
    ) -> Result<()> {
        self.prepare("UPDATE accounts SET password_hash = ?1, updated_at = ?2 WHERE id = ?3 AND password_hash = ?4")
            .bind(&[text(phc), int(now.0), text(&id.to_string()), text(old)])?
            .run()
            .await?;
        Ok(())
    }

    /// One page of a client's accounts, newest first, after `cursor`; served by the
    /// `accounts_newest` / `accounts_status_newest` indexes, never an OFFSET scan.
    pub async fn users_page(
        &self,
        client_db_id: &str,
        status: Option<AccountStatus>,
        cursor: Option<Cursor>,
        limit: u32,
        now: Timestamp,
    ) -> Result<UserPage> {
        let (after_at, after_id) = match cursor {
            Some(c) => (c.created_at.0, c.id.to_string()),
            // every real row sorts before this
            None => (i64::MAX / 2, String::new()),
        };
        let fetch = i64::from(limit) + 1;
        let stmt = match status {
            Some(s) => self
                .prepare(&format!(
                    "SELECT {LIST_COLUMNS} FROM accounts a WHERE a.client_id = ?1 AND a.status = ?2 \
                     AND (a.created_at, a.id) < (?3, ?4) ORDER BY a.created_at DESC, a.id DESC LIMIT ?5"
                ))
                .bind(&[text(client_db_id), text(s.as_str()), int(after_at), text(&after_id), int(fetch)])?,
            None => self
                .prepare(&format!(
                    "SELECT {LIST_COLUMNS} FROM accounts a WHERE a.client_id = ?1 \
                     AND (a.created_at, a.id) < (?2, ?3) ORDER BY a.created_at DESC, a.id DESC LIMIT ?4"
                ))
                .bind(&[text(client_db_id), int(after_at), text(&after_id), int(fetch)])?,
        };
        let mut rows = stmt.all().await?.results::<ListRow>()?;
        let more = rows.len() > limit as usize;
        rows.truncate(limit as usize);
        let users = rows
            .into_iter()
            .map(|r| r.into_user(now))
            .collect::<Result<Vec<_>>>()?;
        let next_cursor = more
            .then(|| {
                users.last().map(|u| {
                    Cursor {
                        created_at: u.created_at,
                        id: u.id,
                    }
                    .encode()
                })
            })
            .flatten();
        Ok(UserPage { users, next_cursor })
    }

    /// One account as the list shows it.
    pub async fn user_row(&self, id: AccountId, now: Timestamp) -> Result<Option<UserRow>> {
        let row = self
            .prepare(&format!(
                "SELECT {LIST_COLUMNS} FROM accounts a WHERE a.id = ?1"
            ))
            .bind(&[text(&id.to_string())])?
            .first::<ListRow>(None)
            .await?;
        row.map(|r| r.into_user(now)).transpose()
    }

    /// Whether another account in the client already has this e-mail address.
    pub async fn email_taken(&self, client_db_id: &str, email: &Email) -> Result<bool> {
        let hit = self
            .prepare("SELECT 1 AS hit FROM accounts WHERE client_id = ?1 AND email = ?2")
            .bind(&[text(client_db_id), text(email.as_str())])?
            .first::<serde_json::Value>(Some("hit"))
            .await?;
        Ok(hit.is_some())
    }

    /// The usernames in the client that are `base` or `base` followed by digits.
    pub async fn usernames_like(&self, client_db_id: &str, base: &Username) -> Result<Vec<String>> {
        #[derive(Deserialize)]
        struct Row {
            username: String,
        }
        let rows = self
            .prepare("SELECT username FROM accounts WHERE client_id = ?1 AND (username = ?2 OR username GLOB ?3)")
            .bind(&[text(client_db_id), text(base.as_str()), text(&format!("{}[0-9]*", glob_escape(base.as_str())))])?
            .all()
            .await?
            .results::<Row>()?;
        Ok(rows.into_iter().map(|r| r.username).collect())
    }

    /// The statement that creates an invited account.
    pub fn insert_invited_account(&self, a: &NewAccount<'_>) -> Result<D1PreparedStatement> {
        self.prepare(
            "INSERT INTO accounts (id, client_id, username, email, first_name, surname, role, status, language, created_at, updated_at) \
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, 'invited', ?8, ?9, ?9)",
        )
        .bind(&[
            text(&a.id.to_string()),
            text(a.client_db_id),
            text(a.username.as_str()),
            text(a.email.as_str()),
            text(a.first_name.as_str()),
            text(a.surname.as_str()),
            text(a.role.as_str()),
            text(a.language),
            int(a.now.0),
        ])
    }
}

/// Usernames only hold `a-z 0-9 . _ -`, none of which GLOB treats specially; kept for safety.
fn glob_escape(s: &str) -> String {
    s.chars()
        .filter(|c| !matches!(c, '*' | '?' | '[' | ']'))
        .collect()
}
