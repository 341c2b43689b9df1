//! Accounts: sign-in lookup, the keyset-paginated users list, uniqueness checks, creation, and the
//! role / permission / client-access editor.

use domain::access::ClientAccess;
use domain::api::{AccountView, RoleSummary, RoleView, UserRow};
use domain::ids::{AccountId, ClientKey, RoleId};
use domain::search;
use domain::values::{Email, PersonName, Username};
use domain::{AccountStatus, Badge, ClientPath, PermissionSet, Scope, Timestamp};
use serde::Deserialize;
use worker::Result;

use super::Stmt;

use super::sessions::{access_of, blocked_sql};
use super::{int, opt_text, text, Store};

/// Most clients an explicit access list may name.
pub const MAX_ACCESS_LIST: usize = 200;

/// What sign-in needs to know about an account.
pub struct LoginCandidate {
    /// The account.
    pub id: AccountId,
    /// Its client.
    pub client: ClientKey,
    /// PHC string, if a password was ever set.
    pub password_hash: Option<String>,
    /// Only accepted accounts of active clients may sign in.
    pub may_sign_in: bool,
    /// Sign-in asks for a code after the password.
    pub two_factor: bool,
}

#[derive(Deserialize)]
struct LoginRow {
    id: String,
    client_key: String,
    password_hash: Option<String>,
    status: String,
    blocked: i64,
    two_factor: i64,
}

/// Where an account lands after sign-in, as stored.
pub struct Landing {
    /// Its home client.
    pub home: ClientPath,
    /// Its client access.
    pub access: ClientAccess,
    /// Its default client, if one is set.
    pub default_client: Option<ClientPath>,
    /// The path of the first client of an explicit list (for accounts without access to home).
    pub first_listed: Option<ClientPath>,
    /// It signs in with a second factor.
    pub two_factor: bool,
}

/// An account as the list reads it.
#[derive(Deserialize)]
pub(super) struct ListRow {
    pub(super) id: String,
    first_name: String,
    surname: String,
    username: String,
    email: String,
    role_id: String,
    pub(super) status: String,
    pub(super) created_at: i64,
    pending_expires_at: Option<i64>,
}

impl ListRow {
    fn into_user(self, now: Timestamp, roles: &[RoleView]) -> Result<UserRow> {
        let status = AccountStatus::parse(&self.status).ok_or("unknown account status")?;
        let role_id = RoleId::parse(&self.role_id).ok_or("bad role id")?;
        let role = roles
            .iter()
            .find(|r| r.id == role_id)
            .ok_or("account with an unknown role")?;
        Ok(UserRow {
            id: AccountId::parse(&self.id).ok_or("bad account id")?,
            role: RoleSummary {
                id: role.id,
                name: role.name.clone(),
                builtin: role.builtin,
            },
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

impl NewAccount<'_> {
    /// The row the new account shows as in the list, built from what was written instead of read
    /// back (the same conversion as the list's, so both always agree).
    pub fn invited_row(&self, role: &RoleView, expires_at: Timestamp) -> Result<UserRow> {
        ListRow {
            id: self.id.to_string(),
            first_name: self.first_name.as_str().to_owned(),
            surname: self.surname.as_str().to_owned(),
            username: self.username.as_str().to_owned(),
            email: self.email.as_str().to_owned(),
            role_id: role.id.to_string(),
            status: AccountStatus::Invited.as_str().to_owned(),
            created_at: self.now.0,
            pending_expires_at: Some(expires_at.0),
        }
        .into_user(self.now, std::slice::from_ref(role))
    }
}

/// A new invited account's data.
pub struct NewAccount<'a> {
    /// Its id.
    pub id: AccountId,
    /// Unique username in the client.
    pub username: &'a Username,
    /// Unique e-mail in the client.
    pub email: &'a Email,
    /// First name.
    pub first_name: &'a PersonName,
    /// Surname.
    pub surname: &'a PersonName,
    /// Role.
    pub role: RoleId,
    /// Permissions on top of the role's.
    pub extra_permissions: PermissionSet,
    /// Client access.
    pub access: &'a ClientAccess,
    /// Where it lands after sign-in.
    pub default_client: Option<ClientKey>,
    /// Language for mail and the accept page.
    pub language: &'a str,
    /// Creation time.
    pub now: Timestamp,
}

/// A change of role, permissions and access.
pub struct AccessChange<'a> {
    /// The account.
    pub account: AccountId,
    /// New role.
    pub role: RoleId,
    /// Whether the new role is the built-in admin.
    pub role_is_admin: bool,
    /// The company's admin role.
    pub admin_role: RoleId,
    /// New additional permissions.
    pub extra_permissions: PermissionSet,
    /// New client access.
    pub access: &'a ClientAccess,
    /// New default client.
    pub default_client: Option<ClientKey>,
    /// When.
    pub now: Timestamp,
}

// roles are read once per page for the ids on it, not joined per row (D1 bills rows read)
// the pending invitation's expiry is kept on the account row (migration 0002's triggers)
pub(super) const LIST_COLUMNS: &str =
    "a.id, a.first_name, a.surname, a.username, a.email, a.role_id, a.status, a.created_at, \
     a.invite_expires_at AS pending_expires_at";

/// What a `NOT NULL` guard failing in [`Store::access_statements`] looks like: the change would
/// have left the company without an active admin, so the whole batch was rolled back.
pub fn is_last_admin_refusal(e: &worker::Error) -> bool {
    let msg = e.to_string();
    msg.contains("NOT NULL constraint failed")
        && [
            "accounts.role_id",
            "accounts.status",
            "deleted_accounts.was",
        ]
        .iter()
        .any(|column| msg.contains(column))
}

impl Store {
    /// The account a sign-in names, by client ID and username.
    pub async fn login_candidate(
        &self,
        client_id: &str,
        username: &str,
    ) -> Result<Option<LoginCandidate>> {
        let row = self
            .prepare(&format!(
                "SELECT a.id, a.client_id AS client_key, a.password_hash, a.status, {} AS blocked, \
                 a.totp_secret IS NOT NULL AS two_factor FROM accounts a \
                 JOIN clients c ON c.id = a.client_id WHERE c.client_id = ?1 AND a.username = ?2",
                blocked_sql("c")
            ))
            .bind(&[text(client_id), text(username)])?
            .first::<LoginRow>(None)
            .await?;
        row.map(|r| {
            let status = AccountStatus::parse(&r.status).ok_or("unknown account status")?;
            Ok(LoginCandidate {
                id: AccountId::parse(&r.id).ok_or("bad account id")?,
                client: ClientKey::parse(&r.client_key).ok_or("bad client key")?,
                password_hash: r.password_hash,
                may_sign_in: status.may_sign_in() && r.blocked == 0,
                two_factor: r.two_factor != 0,
            })
        })
        .transpose()
    }

    /// What decides where an account lands after sign-in.
    pub async fn landing(&self, account: AccountId) -> Result<Option<Landing>> {
        #[derive(Deserialize)]
        struct Row {
            home_path: String,
            access_all: i64,
            access_list: Option<String>,
            default_path: Option<String>,
            first_path: Option<String>,
            two_factor: i64,
        }
        let row = self
            .prepare(
                "SELECT h.path AS home_path, a.access_all, \
                 (SELECT group_concat(ac.client_id, ' ') FROM account_clients ac WHERE ac.account_id = a.id) AS access_list, \
                 d.path AS default_path, \
                 (SELECT f.path FROM account_clients ac JOIN clients f ON f.id = ac.client_id WHERE ac.account_id = a.id ORDER BY f.path LIMIT 1) AS first_path, \
                 a.totp_secret IS NOT NULL AS two_factor \
                 FROM accounts a JOIN clients h ON h.id = a.client_id LEFT JOIN clients d ON d.id = a.default_client_id \
                 WHERE a.id = ?1",
            )
            .bind(&[text(&account.to_string())])?
            .first::<Row>(None)
            .await?;
        row.map(|r| {
            Ok(Landing {
                home: ClientPath::from_stored(&r.home_path).ok_or("bad client path")?,
                access: access_of(r.access_all, r.access_list.as_deref()),
                default_client: r.default_path.as_deref().and_then(ClientPath::from_stored),
                first_listed: r.first_path.as_deref().and_then(ClientPath::from_stored),
                two_factor: r.two_factor != 0,
            })
        })
        .transpose()
    }

    /// The statement that sets one's own new password over the hash it was checked against
    /// (`RETURNING` says whether it did; a concurrent change makes it change nothing).
    pub fn change_password(
        &self,
        id: AccountId,
        old: &str,
        phc: &str,
        now: Timestamp,
    ) -> Result<Stmt> {
        self.prepare(
            "UPDATE accounts SET password_hash = ?1, updated_at = ?2 WHERE id = ?3 AND password_hash = ?4 RETURNING id",
        )
        .bind(&[text(phc), int(now.0), text(&id.to_string()), text(old)])
    }

    /// Replaces a password hash made with old parameters, unless the password changed meanwhile.
    pub async fn rehash_password(
        &self,
        id: AccountId,
        old: &str,
        phc: &str,
        event: &crate::store::audit::AuditEvent<'_>,
    ) -> Result<()> {
        let update = self
            .prepare("UPDATE accounts SET password_hash = ?1, updated_at = ?2 WHERE id = ?3 AND password_hash = ?4")
            .bind(&[text(phc), int(event.at.0), text(&id.to_string()), text(old)])?;
        // recorded only if this hash went in (a concurrent sign-in may have upgraded it first)
        let audit = self.audit_where(
            event,
            "EXISTS (SELECT 1 FROM accounts WHERE id = ?8 AND password_hash = ?9)",
            &[text(&id.to_string()), text(phc)],
        )?;
        self.batch(vec![update, audit]).await?;
        Ok(())
    }

    /// One account of the scope's client as the list shows it.
    pub async fn user_row(
        &self,
        scope: &Scope,
        id: AccountId,
        now: Timestamp,
    ) -> Result<Option<UserRow>> {
        let row = self
            .prepare(&format!(
                "SELECT {LIST_COLUMNS} FROM accounts a WHERE a.id = ?1 AND a.client_id = ?2"
            ))
            .bind(&[text(&id.to_string()), text(&scope.client().to_string())])?
            .first::<ListRow>(None)
            .await?;
        Ok(self
            .with_roles(scope, row.into_iter().collect(), now)
            .await?
            .pop())
    }

    /// List rows with their roles, read in one query for the distinct role ids among them.
    pub(super) async fn with_roles(
        &self,
        scope: &Scope,
        rows: Vec<ListRow>,
        now: Timestamp,
    ) -> Result<Vec<UserRow>> {
        let mut ids: Vec<RoleId> = rows
            .iter()
            .filter_map(|r| RoleId::parse(&r.role_id))
            .collect();
        ids.sort();
        ids.dedup();
        let roles = self.roles_by_id(scope, &ids).await?;
        rows.into_iter().map(|r| r.into_user(now, &roles)).collect()
    }

    /// One account of the scope's client with its role, permissions and access.
    pub async fn account_view(
        &self,
        scope: &Scope,
        id: AccountId,
        now: Timestamp,
    ) -> Result<Option<AccountView>> {
        #[derive(Deserialize)]
        struct Row {
            extra_permissions: String,
            access_all: i64,
            access_list: Option<String>,
            default_client_id: Option<String>,
            two_factor: i64,
        }
        let Some(user) = self.user_row(scope, id, now).await? else {
            return Ok(None);
        };
        let row = self
            .prepare(
                "SELECT a.extra_permissions, a.access_all, a.default_client_id, a.totp_secret IS NOT NULL AS two_factor, \
                 (SELECT group_concat(ac.client_id, ' ') FROM account_clients ac WHERE ac.account_id = a.id) AS access_list \
                 FROM accounts a WHERE a.id = ?1 AND a.client_id = ?2",
            )
            .bind(&[text(&id.to_string()), text(&scope.client().to_string())])?
            .first::<Row>(None)
            .await?
            .ok_or("account vanished")?;
        Ok(Some(AccountView {
            user,
            client: scope.client(),
            extra_permissions: PermissionSet::from_stored(&row.extra_permissions),
            access: access_of(row.access_all, row.access_list.as_deref()),
            default_client: row.default_client_id.as_deref().and_then(ClientKey::parse),
            two_factor: row.two_factor != 0,
        }))
    }

    /// The account of the scope's client with this e-mail address (the `accounts_email` index).
    pub async fn account_by_email(
        &self,
        scope: &Scope,
        email: &Email,
    ) -> Result<Option<AccountId>> {
        let id: Option<String> = self
            .prepare("SELECT id FROM accounts WHERE client_id = ?1 AND email = ?2")
            .bind(&[text(&scope.client().to_string()), text(email.as_str())])?
            .first(Some("id"))
            .await?;
        Ok(id.as_deref().and_then(AccountId::parse))
    }

    /// Whether the account is an active holder of the admin role, and how many other active
    /// admins the company has (at most 1 is counted: that is all the rule needs).
    pub async fn admin_standing(
        &self,
        scope: &Scope,
        account: AccountId,
        admin_role: RoleId,
    ) -> Result<(bool, u64)> {
        #[derive(Deserialize)]
        struct Row {
            is_admin: i64,
            others: i64,
        }
        let row = self
            .prepare(
                "SELECT EXISTS (SELECT 1 FROM accounts WHERE id = ?1 AND role_id = ?2 AND status = 'accepted') AS is_admin, \
                 (SELECT count(*) FROM (SELECT 1 FROM accounts WHERE company_id = ?3 AND role_id = ?2 AND status = 'accepted' AND id != ?1 LIMIT 1)) AS others",
            )
            .bind(&[text(&account.to_string()), text(&admin_role.to_string()), text(&scope.company().to_string())])?
            .first::<Row>(None)
            .await?
            .ok_or("no row")?;
        Ok((row.is_admin != 0, row.others as u64))
    }

    /// The usernames in the scope's client that are `base` or `base` followed by digits: a range
    /// on the `(client_id, username)` index from `base` up to `base:` (`:` follows `9`), so it
    /// reads only names that start alike, however large the client.
    pub async fn usernames_like(&self, scope: &Scope, base: &Username) -> Result<Vec<String>> {
        #[derive(Deserialize)]
        struct Row {
            username: String,
        }
        let base = base.as_str();
        let rows: Vec<Row> = self
            .rows(
                self.prepare(
                    "SELECT username FROM accounts WHERE client_id = ?1 AND username >= ?2 AND username < ?3",
                )
                .bind(&[text(&scope.client().to_string()), text(base), text(&format!("{base}:"))])?,
            )
            .await?;
        // also `base.x`, `base-y`: harmless, `Username::first_free` only ever picks base or base+N
        Ok(rows.into_iter().map(|r| r.username).collect())
    }

    /// Writes the folded sort name and search terms of up to `limit` accounts that have none
    /// (written before migration 0002), through the `accounts_unindexed` index; answers how many.
    pub async fn reindex_search(&self, limit: u32) -> Result<usize> {
        #[derive(Deserialize)]
        struct Row {
            id: String,
            first_name: String,
            surname: String,
            username: String,
            email: String,
        }
        let rows: Vec<Row> = self
            .rows(
                self.prepare(
                    "SELECT id, first_name, surname, username, email FROM accounts WHERE search_terms = '[]' LIMIT ?1",
                )
                .bind(&[int(i64::from(limit))])?,
            )
            .await?;
        let statements = rows
            .iter()
            .map(|r| {
                self.prepare(
                    "UPDATE accounts SET sort_name = ?1, search_terms = ?2 WHERE id = ?3 AND first_name = ?4 AND surname = ?5",
                )
                .bind(&[
                    text(&search::sort_name(&r.first_name, &r.surname)),
                    text(&search_terms_of(&r.first_name, &r.surname, &r.username, &r.email)),
                    text(&r.id),
                    text(&r.first_name),
                    text(&r.surname),
                ])
            })
            .collect::<Result<Vec<_>>>()?;
        let n = statements.len();
        if n > 0 {
            self.batch(statements).await?;
        }
        Ok(n)
    }

    /// The statements that create an invited account in the scope's client, with its access list.
    pub fn insert_invited_account(&self, scope: &Scope, a: &NewAccount<'_>) -> Result<Vec<Stmt>> {
        let (all, list) = split_access(a.access);
        let id = a.id.to_string();
        let mut statements = vec![self
            .prepare(
                "INSERT INTO accounts (id, client_id, company_id, username, email, first_name, surname, role_id, extra_permissions, \
                 access_all, default_client_id, status, language, created_at, updated_at, sort_name, search_terms) \
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, 'invited', ?12, ?13, ?13, ?14, ?15)",
            )
            .bind(&[
                text(&id),
                text(&scope.client().to_string()),
                text(&scope.company().to_string()),
                text(a.username.as_str()),
                text(a.email.as_str()),
                text(a.first_name.as_str()),
                text(a.surname.as_str()),
                text(&a.role.to_string()),
                text(&a.extra_permissions.to_stored()),
                int(i64::from(all)),
                opt_text(a.default_client.map(|c| c.to_string()).as_deref()),
                text(a.language),
                int(a.now.0),
                text(&search::sort_name(a.first_name.as_str(), a.surname.as_str())),
                text(&search_terms_of(a.first_name.as_str(), a.surname.as_str(), a.username.as_str(), a.email.as_str())),
            ])?];
        statements.extend(self.access_rows(&id, list)?);
        Ok(statements)
    }

    /// The statements that change an account's role, additional permissions, client access and
    /// default client, as one batch. The role is written through a guard: if the change would
    /// take the last active admin's admin role, it writes NULL into the NOT NULL column, which
    /// fails the whole batch (see [`is_last_admin_refusal`]), so two admins demoting each other at
    /// once leave exactly one of them admin.
    pub fn access_statements(&self, scope: &Scope, c: &AccessChange<'_>) -> Result<Vec<Stmt>> {
        let (all, list) = split_access(c.access);
        let id = c.account.to_string();
        let mut statements = vec![
            self.prepare(
                "UPDATE accounts SET role_id = CASE WHEN ?2 = 1 OR status != 'accepted' OR role_id != ?3 \
                 OR EXISTS (SELECT 1 FROM accounts o WHERE o.company_id = ?4 AND o.role_id = ?3 AND o.status = 'accepted' AND o.id != ?1) \
                 THEN ?5 ELSE NULL END, extra_permissions = ?6, access_all = ?7, default_client_id = ?8, updated_at = ?9 \
                 WHERE id = ?1 AND client_id = ?10",
            )
            .bind(&[
                text(&id),
                int(i64::from(c.role_is_admin)),
                text(&c.admin_role.to_string()),
                text(&scope.company().to_string()),
                text(&c.role.to_string()),
                text(&c.extra_permissions.to_stored()),
                int(i64::from(all)),
                opt_text(c.default_client.map(|k| k.to_string()).as_deref()),
                int(c.now.0),
                text(&scope.client().to_string()),
            ])?,
            self.prepare("DELETE FROM account_clients WHERE account_id = ?1")
                .bind(&[text(&id)])?,
        ];
        statements.extend(self.access_rows(&id, list)?);
        Ok(statements)
    }

    fn access_rows(&self, account: &str, list: &[ClientKey]) -> Result<Vec<Stmt>> {
        // 2 parameters a row; D1 allows 100 a statement
        list.chunks(45)
            .map(|chunk| {
                let values: Vec<String> = (0..chunk.len())
                    .map(|i| format!("(?1, ?{})", i + 2))
                    .collect();
                let mut binds = vec![text(account)];
                binds.extend(chunk.iter().map(|k| text(&k.to_string())));
                self.prepare(&format!(
                    "INSERT OR IGNORE INTO account_clients (account_id, client_id) VALUES {}",
                    values.join(", ")
                ))
                .bind(&binds)
            })
            .collect()
    }
}

/// The search terms stored with an account (`accounts.search_terms`).
pub fn search_terms_of(first_name: &str, surname: &str, username: &str, email: &str) -> String {
    search::terms_json(&search::terms(first_name, surname, username, email))
}

fn split_access(access: &ClientAccess) -> (bool, &[ClientKey]) {
    match access {
        ClientAccess::All => (true, &[]),
        ClientAccess::Only(list) => (false, list),
    }
}
