//! Sign-in sessions: only the token's digest is stored; a session ends at its expiry, at sign-out,
//! or as soon as its account or client may no longer sign in. Reading a session builds the
//! request's [`Principal`] in one query.

use domain::access::{ClientAccess, Principal};
use domain::api::{ClientInfo, Me, RoleSummary};
use domain::i18n::Lang;
use domain::ids::{AccountId, ClientKey, RoleId, SessionId};
use domain::{AccountStatus, BuiltinRole, ClientPath, PermissionSet, Timestamp, TokenDigest};
use serde::Deserialize;
use worker::Result;

use super::Stmt;

use super::roles::effective_permissions;
use super::{int, opt_text, text, Store};

/// The signed-in account behind a session: the principal every authorisation decision uses, and
/// the account as the app sees it.
pub struct SessionAccount {
    /// Who is asking.
    pub principal: Principal,
    /// The account, its role and clients as the app sees them.
    pub me: Me,
    /// The session's last use as stored (written at most once a minute).
    pub last_seen: Timestamp,
    /// When it ends at the latest.
    pub expires_at: Timestamp,
}

#[derive(Deserialize)]
struct Row {
    id: String,
    first_name: String,
    surname: String,
    username: String,
    email: String,
    language: String,
    status: String,
    extra_permissions: String,
    access_all: i64,
    access_list: Option<String>,
    role_id: String,
    role_name: String,
    builtin: Option<String>,
    role_permissions: String,
    home_id: String,
    home_client_id: String,
    home_name: String,
    home_path: String,
    home_is_sender: i64,
    active_id: String,
    active_client_id: String,
    active_name: String,
    active_path: String,
    active_is_sender: i64,
    blocked: i64,
    two_factor: i64,
    last_seen_at: i64,
    expires_at: i64,
    enrol_only: i64,
}

/// The account's explicit access list, as `group_concat` gives it.
pub(crate) fn access_of(access_all: i64, list: Option<&str>) -> ClientAccess {
    if access_all != 0 {
        ClientAccess::All
    } else {
        ClientAccess::Only(
            list.unwrap_or_default()
                .split_whitespace()
                .filter_map(ClientKey::parse)
                .collect(),
        )
    }
}

/// SQL: 1 when the client at `{alias}` or one above it is deactivated (a partial index holds the
/// few deactivated clients of a company).
pub(crate) fn blocked_sql(alias: &str) -> String {
    format!(
        "EXISTS (SELECT 1 FROM clients x WHERE x.company_id = {alias}.company_id AND x.active = 0 \
         AND substr({alias}.path, 1, length(x.path)) = x.path)"
    )
}

fn client_info(
    id: &str,
    client_id: String,
    name: String,
    path: &str,
    is_sender: i64,
) -> Result<ClientInfo> {
    Ok(ClientInfo {
        key: ClientKey::parse(id).ok_or("bad client key")?,
        client_id,
        name,
        path: ClientPath::from_stored(path).ok_or("bad client path")?,
        is_sender: is_sender != 0,
    })
}

impl Row {
    fn into_session(self) -> Result<Option<SessionAccount>> {
        let may_sign_in =
            AccountStatus::parse(&self.status).is_some_and(AccountStatus::may_sign_in);
        // a session ends with the account's right to sign in (deactivated, its client switched off…)
        if !may_sign_in || self.blocked != 0 {
            return Ok(None);
        }
        let builtin = self.builtin.as_deref().and_then(BuiltinRole::parse);
        let permissions = effective_permissions(builtin, &self.role_permissions)
            .union(PermissionSet::from_stored(&self.extra_permissions));
        let home = client_info(
            &self.home_id,
            self.home_client_id,
            self.home_name,
            &self.home_path,
            self.home_is_sender,
        )?;
        let mut active = client_info(
            &self.active_id,
            self.active_client_id,
            self.active_name,
            &self.active_path,
            self.active_is_sender,
        )?;
        let access = access_of(self.access_all, self.access_list.as_deref());
        let id = AccountId::parse(&self.id).ok_or("bad account id")?;
        let mut principal = Principal {
            account: id,
            home: home.path.clone(),
            active: active.path.clone(),
            permissions,
            access,
        };
        // access taken away since the switch: back to the home client
        if !principal.can_access(&principal.active) {
            principal.active = home.path.clone();
            active = home.clone();
        }
        Ok(Some(SessionAccount {
            me: Me {
                id,
                first_name: self.first_name,
                surname: self.surname,
                username: self.username,
                email: self.email,
                role: RoleSummary {
                    id: RoleId::parse(&self.role_id).ok_or("bad role id")?,
                    name: self.role_name,
                    builtin,
                },
                language: Lang::from_tag(&self.language).unwrap_or_default(),
                home_client: home,
                client: active,
                principal: principal.clone(),
                two_factor: self.two_factor != 0,
                must_enrol_two_factor: self.enrol_only != 0,
            },
            principal,
            last_seen: Timestamp(self.last_seen_at),
            expires_at: Timestamp(self.expires_at),
        }))
    }
}

/// A new session's data.
pub struct NewSession<'a> {
    /// Digest of the cookie's token.
    pub digest: &'a TokenDigest,
    /// Public id.
    pub id: SessionId,
    /// The account.
    pub account: AccountId,
    /// The client it starts in.
    pub active_client: ClientKey,
    /// Start.
    pub now: Timestamp,
    /// End (the absolute lifetime).
    pub expires_at: Timestamp,
    /// Ends after this long without a request.
    pub idle: domain::Ttl,
    /// Reaches only two-factor enrolment until it is confirmed.
    pub enrol_only: bool,
    /// From where.
    pub ip: Option<&'a str>,
    /// Browser.
    pub user_agent: Option<&'a str>,
}

impl Store {
    /// The statement that starts a session.
    pub fn insert_session(&self, s: &NewSession<'_>) -> Result<Stmt> {
        self.prepare(
            "INSERT INTO sessions (token_digest, id, account_id, active_client_id, created_at, last_seen_at, expires_at, ip, user_agent, idle_ms, enrol_only) \
             VALUES (?1, ?2, ?3, ?4, ?5, ?5, ?6, ?7, ?8, ?9, ?10)",
        )
        .bind(&[
            text(s.digest.as_str()),
            text(&s.id.to_string()),
            text(&s.account.to_string()),
            text(&s.active_client.to_string()),
            int(s.now.0),
            int(s.expires_at.0),
            opt_text(s.ip),
            opt_text(s.user_agent),
            int(s.idle.0 * 1000),
            int(i64::from(s.enrol_only)),
        ])
    }

    /// The account behind a live session, as a principal; `None` once it expired (its absolute
    /// lifetime, or its idle timeout without a request: `domain::sessions::alive`) or the account
    /// (or its client) may no longer sign in. One query.
    pub async fn session_account(
        &self,
        digest: &TokenDigest,
        now: Timestamp,
    ) -> Result<Option<SessionAccount>> {
        let statement = self
            .prepare(&format!(
                "SELECT a.id, a.first_name, a.surname, a.username, a.email, a.language, a.status, a.extra_permissions, a.access_all, \
                 (SELECT group_concat(ac.client_id, ' ') FROM account_clients ac WHERE ac.account_id = a.id) AS access_list, \
                 r.id AS role_id, r.name AS role_name, r.builtin, r.permissions AS role_permissions, \
                 h.id AS home_id, h.client_id AS home_client_id, h.name AS home_name, h.path AS home_path, h.is_sender AS home_is_sender, \
                 c.id AS active_id, c.client_id AS active_client_id, c.name AS active_name, c.path AS active_path, c.is_sender AS active_is_sender, \
                 {} AS blocked, a.totp_secret IS NOT NULL AS two_factor, s.last_seen_at, s.expires_at, s.enrol_only \
                 FROM sessions s JOIN accounts a ON a.id = s.account_id JOIN roles r ON r.id = a.role_id \
                 JOIN clients h ON h.id = a.client_id JOIN clients c ON c.id = s.active_client_id \
                 WHERE s.token_digest = ?1 AND s.expires_at > ?2 AND s.last_seen_at + s.idle_ms > ?2",
                blocked_sql("h")
            ))
            .bind(&[text(digest.as_str()), int(now.0)])?;
        match self.row::<Row>(statement).await? {
            Some(r) => r.into_session(),
            None => Ok(None),
        }
    }

    /// Writes the session's last use (see [`domain::sessions::needs_touch`]).
    pub async fn touch_session(&self, digest: &TokenDigest, now: Timestamp) -> Result<()> {
        self.prepare("UPDATE sessions SET last_seen_at = ?2 WHERE token_digest = ?1")
            .bind(&[text(digest.as_str()), int(now.0)])?
            .run()
            .await?;
        Ok(())
    }

    /// The account's live sessions, last used first, with whether each is `current`'s.
    pub async fn sessions_of(
        &self,
        account: AccountId,
        current: Option<&TokenDigest>,
        now: Timestamp,
    ) -> Result<Vec<domain::api::SessionView>> {
        #[derive(Deserialize)]
        struct Row {
            id: String,
            ip: Option<String>,
            user_agent: Option<String>,
            created_at: i64,
            last_seen_at: i64,
            expires_at: i64,
            current: i64,
        }
        let rows: Vec<Row> = self
            .rows(
                self.prepare(
                    "SELECT id, ip, user_agent, created_at, last_seen_at, expires_at, token_digest = ?3 AS current \
                     FROM sessions WHERE account_id = ?1 AND expires_at > ?2 AND last_seen_at + idle_ms > ?2 \
                     ORDER BY last_seen_at DESC LIMIT 100",
                )
                .bind(&[
                    text(&account.to_string()),
                    int(now.0),
                    text(current.map(TokenDigest::as_str).unwrap_or_default()),
                ])?,
            )
            .await?;
        rows.into_iter()
            .map(|r| {
                Ok(domain::api::SessionView {
                    id: SessionId::parse(&r.id).ok_or("bad session id")?,
                    device: domain::sessions::device(r.user_agent.as_deref().unwrap_or_default()),
                    ip: r.ip,
                    created_at: Timestamp(r.created_at),
                    last_seen_at: Timestamp(r.last_seen_at),
                    expires_at: Timestamp(r.expires_at),
                    current: r.current != 0,
                })
            })
            .collect()
    }

    /// The statement that ends sessions of the account: one (`only`), or all but `keep`.
    pub fn end_sessions(
        &self,
        account: AccountId,
        only: Option<SessionId>,
        keep: Option<&TokenDigest>,
    ) -> Result<Stmt> {
        self.prepare(
            "DELETE FROM sessions WHERE account_id = ?1 AND (?2 = '' OR id = ?2) AND token_digest != ?3 RETURNING id",
        )
        .bind(&[
            text(&account.to_string()),
            text(&only.map(|s| s.to_string()).unwrap_or_default()),
            text(keep.map(TokenDigest::as_str).unwrap_or_default()),
        ])
    }

    /// The statement that gives a session a new token (the old one stops working at once) and
    /// lifts an enrolment-only session to a full one.
    pub fn rotate_session(&self, old: &TokenDigest, new: &TokenDigest) -> Result<Stmt> {
        self.prepare(
            "UPDATE sessions SET token_digest = ?2, enrol_only = 0 WHERE token_digest = ?1",
        )
        .bind(&[text(old.as_str()), text(new.as_str())])
    }

    /// The statement that ends the account's enrolment-only sessions but `keep`.
    pub fn end_enrolment_sessions(&self, account: AccountId, keep: &TokenDigest) -> Result<Stmt> {
        self.prepare(
            "DELETE FROM sessions WHERE account_id = ?1 AND enrol_only = 1 AND token_digest != ?2",
        )
        .bind(&[text(&account.to_string()), text(keep.as_str())])
    }

    /// The statement that makes `client` the session's active client.
    pub fn set_active_client(&self, digest: &TokenDigest, client: ClientKey) -> Result<Stmt> {
        self.prepare("UPDATE sessions SET active_client_id = ?1 WHERE token_digest = ?2")
            .bind(&[text(&client.to_string()), text(digest.as_str())])
    }

    /// The statement that ends one session (sign-out).
    pub fn delete_session(&self, digest: &TokenDigest) -> Result<Stmt> {
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
