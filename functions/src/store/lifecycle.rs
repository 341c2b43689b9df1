//! An account's lifecycle as compare-and-swap statements: each writes only while the account is
//! still in the state `domain::lifecycle` decided on, so two admins doing opposite things at once
//! leave exactly one outcome (the loser's batch changes nothing and answers 409).
//!
//! Deletion moves the account's row into `deleted_accounts` (as JSON, written and read back by the
//! one column list below) and removes it from `accounts`: every list, counter, search row, session,
//! link and the unique username and e-mail go with it. Recovery puts it back; the cron purges it
//! after the recovery window.

use domain::access::Scope;
use domain::api::DeletedAccount;
use domain::ids::{AccountId, ClientKey, RoleId};
use domain::lifecycle::Recovered;
use domain::permissions::PermissionSet;
use domain::tree::ClientPath;
use domain::{AccountStatus, Timestamp};
use serde::Deserialize;
use wasm_bindgen::JsValue;
use worker::Result;

use super::{int, opt_text, returned_rows, text, Stmt, Store};

/// Every column of `accounts`: the tombstone's JSON is built from and restored into exactly these.
const ACCOUNT_COLUMNS: [&str; 21] = [
    "id",
    "client_id",
    "company_id",
    "username",
    "email",
    "first_name",
    "surname",
    "role_id",
    "extra_permissions",
    "access_all",
    "default_client_id",
    "status",
    "password_hash",
    "language",
    "created_at",
    "updated_at",
    "deactivated_at",
    "deleted_at",
    "sort_name",
    "search_terms",
    "invite_expires_at",
];

/// SQL that is true unless the account `alias` is the company's last active admin (the guard of
/// every change that takes an account out of the active admins).
fn not_last_admin(alias: &str) -> String {
    format!(
        "({alias}.status != 'accepted' \
         OR {alias}.role_id != (SELECT r.id FROM roles r WHERE r.company_id = {alias}.company_id AND r.builtin = 'admin') \
         OR EXISTS (SELECT 1 FROM accounts o WHERE o.company_id = {alias}.company_id AND o.role_id = {alias}.role_id \
         AND o.status = 'accepted' AND o.id != {alias}.id))"
    )
}

/// Ids per statement of [`Store::bulk_bases`].
pub const BASIS_CHUNK: usize = 90;

/// The columns [`LifeBasis`] is read from (table alias `a`).
const BASIS_COLUMNS: &str =
    "a.status, a.invite_expires_at, a.deactivated_at, a.first_name, a.surname, a.username, \
     a.email, a.language, a.updated_at, a.role_id, a.extra_permissions, a.access_all";

#[derive(Deserialize)]
struct BasisRow {
    status: String,
    invite_expires_at: Option<i64>,
    deactivated_at: Option<i64>,
    first_name: String,
    surname: String,
    username: String,
    email: String,
    language: String,
    updated_at: i64,
    role_id: String,
    extra_permissions: String,
    access_all: i64,
}

impl BasisRow {
    fn into_basis(self) -> Result<LifeBasis> {
        Ok(LifeBasis {
            status: AccountStatus::parse(&self.status).ok_or("unknown account status")?,
            pending_expires_at: self.invite_expires_at.map(Timestamp),
            deactivated_at: self.deactivated_at.map(Timestamp),
            first_name: self.first_name,
            surname: self.surname,
            username: self.username,
            email: self.email,
            language: domain::i18n::Lang::from_tag(&self.language).unwrap_or_default(),
            updated_at: self.updated_at,
            role: RoleId::parse(&self.role_id).ok_or("stored role id does not parse")?,
            extra_permissions: PermissionSet::from_stored(&self.extra_permissions),
            access_all: self.access_all != 0,
        })
    }
}

/// What a lifecycle action was decided on: the account as read.
#[derive(Debug, Clone)]
pub struct LifeBasis {
    /// Stored status.
    pub status: AccountStatus,
    /// The pending invitation's expiry.
    pub pending_expires_at: Option<Timestamp>,
    /// Since when it is deactivated.
    pub deactivated_at: Option<Timestamp>,
    /// For notices.
    pub first_name: String,
    /// For notices and edits.
    pub surname: String,
    /// For edits.
    pub username: String,
    /// For notices and edits.
    pub email: String,
    /// The account's language.
    pub language: domain::i18n::Lang,
    /// The account's updated_at, the edit's compare-and-swap.
    pub updated_at: i64,
    /// Its role (a role change's compare-and-swap).
    pub role: RoleId,
    /// Permissions on top of the role's.
    pub extra_permissions: PermissionSet,
    /// Whether it may access every client below its own (else those of `account_clients`).
    pub access_all: bool,
}

impl LifeBasis {
    /// What a resend needs of the account, with its latest invitation's personal message.
    pub fn resend_basis(&self, message: Option<String>) -> super::invitations::ResendBasis {
        super::invitations::ResendBasis {
            status: self.status,
            pending_expires_at: self.pending_expires_at,
            deactivated_at: self.deactivated_at,
            first_name: self.first_name.clone(),
            username: self.username.clone(),
            email: self.email.clone(),
            language: self.language,
            message,
        }
    }

    /// The state as `domain::lifecycle` sees it.
    pub fn lifecycle(&self) -> domain::lifecycle::Lifecycle {
        domain::lifecycle::Lifecycle::from_stored(
            self.status,
            self.pending_expires_at,
            self.deactivated_at,
        )
    }
}

/// An edit's new values (already valid).
pub struct Edited<'a> {
    /// First name.
    pub first_name: &'a str,
    /// Surname.
    pub surname: &'a str,
    /// E-mail address.
    pub email: &'a str,
    /// Username.
    pub username: &'a str,
}

impl Store {
    /// The account of the scope's client as read before a lifecycle action.
    pub async fn life_basis(&self, scope: &Scope, account: AccountId) -> Result<Option<LifeBasis>> {
        let row = self
            .prepare(&format!(
                "SELECT {BASIS_COLUMNS} FROM accounts a WHERE a.id = ?1 AND a.client_id = ?2"
            ))
            .bind(&[
                text(&account.to_string()),
                text(&scope.client().to_string()),
            ])?
            .first::<BasisRow>(None)
            .await?;
        row.map(BasisRow::into_basis).transpose()
    }

    /// The accounts of the scope's client among `ids` as a bulk action reads them (with the
    /// personal message of each one's latest invitation, for a resend): one batch of index
    /// lookups, at most [`BASIS_CHUNK`] ids per statement (D1 binds at most 100 values).
    pub async fn bulk_bases(
        &self,
        scope: &Scope,
        ids: &[AccountId],
    ) -> Result<Vec<(AccountId, LifeBasis, Option<String>)>> {
        let client = text(&scope.client().to_string());
        let mut statements = Vec::new();
        for chunk in ids.chunks(BASIS_CHUNK) {
            let marks: Vec<String> = (2..chunk.len() + 2).map(|i| format!("?{i}")).collect();
            let mut binds = vec![client.clone()];
            binds.extend(chunk.iter().map(|id| text(&id.to_string())));
            statements.push(
                self.prepare(&format!(
                    "SELECT a.id, {BASIS_COLUMNS}, \
                     (SELECT i.message FROM invitations i WHERE i.account_id = a.id ORDER BY i.created_at DESC LIMIT 1) AS message \
                     FROM accounts a WHERE a.client_id = ?1 AND a.id IN ({})",
                    marks.join(", ")
                ))
                .bind(&binds)?,
            );
        }
        #[derive(Deserialize)]
        struct Row {
            id: String,
            #[serde(flatten)]
            basis: BasisRow,
            message: Option<String>,
        }
        let mut out = Vec::with_capacity(ids.len());
        if statements.is_empty() {
            return Ok(out);
        }
        for result in self.batch(statements).await? {
            for r in result.results::<Row>()? {
                let id = AccountId::parse(&r.id).ok_or("stored account id does not parse")?;
                out.push((id, r.basis.into_basis()?, r.message));
            }
        }
        Ok(out)
    }

    /// The paths of the clients each of these accounts may access by list (`account_clients`),
    /// in one batch of index lookups ([`BASIS_CHUNK`] ids per statement).
    pub async fn listed_access(
        &self,
        ids: &[AccountId],
    ) -> Result<std::collections::HashMap<AccountId, Vec<ClientPath>>> {
        #[derive(Deserialize)]
        struct Row {
            account_id: String,
            path: String,
        }
        let statements = ids
            .chunks(BASIS_CHUNK)
            .map(|chunk| {
                let marks: Vec<String> = (1..=chunk.len()).map(|i| format!("?{i}")).collect();
                let binds: Vec<JsValue> = chunk.iter().map(|id| text(&id.to_string())).collect();
                self.prepare(&format!(
                    "SELECT ac.account_id, c.path FROM account_clients ac JOIN clients c ON c.id = ac.client_id \
                     WHERE ac.account_id IN ({})",
                    marks.join(", ")
                ))
                .bind(&binds)
            })
            .collect::<Result<Vec<_>>>()?;
        let mut out = std::collections::HashMap::<AccountId, Vec<ClientPath>>::new();
        if statements.is_empty() {
            return Ok(out);
        }
        for result in self.batch(statements).await? {
            for r in result.results::<Row>()? {
                let id =
                    AccountId::parse(&r.account_id).ok_or("stored account id does not parse")?;
                let path = ClientPath::from_stored(&r.path).ok_or("bad client path")?;
                out.entry(id).or_default().push(path);
            }
        }
        Ok(out)
    }

    /// A role change as a compare-and-swap on the account as read, its role and `updated_at` (a
    /// concurrent change of the access the grant check read wins; `RETURNING` one row when it
    /// happened), through the last-admin guard of [`Store::access_statements`]: taking the last
    /// active admin's admin role writes NULL into the NOT NULL column and fails the batch.
    #[allow(clippy::too_many_arguments)]
    pub fn role_statement(
        &self,
        scope: &Scope,
        account: AccountId,
        seen_role: RoleId,
        seen_updated_at: i64,
        role: RoleId,
        role_is_admin: bool,
        admin_role: RoleId,
        now: Timestamp,
    ) -> Result<Stmt> {
        self.prepare(
            "UPDATE accounts SET role_id = CASE WHEN ?2 = 1 OR status != 'accepted' OR role_id != ?3 \
             OR EXISTS (SELECT 1 FROM accounts o WHERE o.company_id = ?4 AND o.role_id = ?3 AND o.status = 'accepted' AND o.id != ?1) \
             THEN ?5 ELSE NULL END, updated_at = ?6 \
             WHERE id = ?1 AND client_id = ?7 AND role_id = ?8 AND updated_at = ?9 AND status != 'deleted' RETURNING id",
        )
        .bind(&[
            text(&account.to_string()),
            int(i64::from(role_is_admin)),
            text(&admin_role.to_string()),
            text(&scope.company().to_string()),
            text(&role.to_string()),
            int(now.0),
            text(&scope.client().to_string()),
            text(&seen_role.to_string()),
            int(seen_updated_at),
        ])
    }

    /// An edit as a compare-and-swap on `updated_at` (`RETURNING` one row when it happened); a
    /// pending invitation moves to the new address with it, and the search rows follow (trigger).
    pub fn edit_statement(
        &self,
        scope: &Scope,
        account: AccountId,
        seen_updated_at: i64,
        e: &Edited<'_>,
        now: Timestamp,
    ) -> Result<Stmt> {
        let sort_name = domain::search::sort_name(e.first_name, e.surname);
        let terms = super::accounts::search_terms_of(e.first_name, e.surname, e.username, e.email);
        self.prepare(
            "UPDATE accounts SET first_name = ?1, surname = ?2, email = ?3, username = ?4, sort_name = ?5, search_terms = ?6, \
             updated_at = ?7 WHERE id = ?8 AND client_id = ?9 AND updated_at = ?10 RETURNING id",
        )
        .bind(&[
            text(e.first_name),
            text(e.surname),
            text(e.email),
            text(e.username),
            text(&sort_name),
            text(&terms),
            int(now.0),
            text(&account.to_string()),
            text(&scope.client().to_string()),
            int(seen_updated_at),
        ])
    }

    /// Deactivation as one batch's statements: the status swap (first; `RETURNING` one row when
    /// it happened; NULL, failing the batch, when it would switch off the last active admin), then
    /// every session and pending password reset of the account ends. Sessions are read on the
    /// primary, so the next request of any of them is refused in every region.
    pub fn deactivate_statements(
        &self,
        scope: &Scope,
        account: AccountId,
        now: Timestamp,
    ) -> Result<Vec<Stmt>> {
        let id = account.to_string();
        let done = "EXISTS (SELECT 1 FROM accounts WHERE id = ?1 AND status = 'deactivated' AND deactivated_at = ?2)";
        let mut statements = vec![
            self.prepare(&format!(
                "UPDATE accounts SET status = CASE WHEN {} THEN 'deactivated' ELSE NULL END, deactivated_at = ?2, updated_at = ?2 \
                 WHERE id = ?1 AND client_id = ?3 AND status = 'accepted' RETURNING id",
                not_last_admin("accounts")
            ))
            .bind(&[text(&id), int(now.0), text(&scope.client().to_string())])?,
            self.lost_swap_aborts()?,
        ];
        // every session ends, and any sign-in still waiting for its code (the second factor
        // itself stays: the account keeps it when it is switched on again)
        for table in ["sessions", "sign_in_challenges"] {
            statements.push(
                self.prepare(&format!(
                    "DELETE FROM {table} WHERE account_id = ?1 AND {done}"
                ))
                .bind(&[text(&id), int(now.0)])?,
            );
        }
        statements.push(self.revoke_resets_where(&id, now, done)?);
        Ok(statements)
    }

    /// The statement that switches a deactivated account on again (`RETURNING` one row when it
    /// happened).
    pub fn activate_statement(
        &self,
        scope: &Scope,
        account: AccountId,
        now: Timestamp,
    ) -> Result<Stmt> {
        self.prepare(
            "UPDATE accounts SET status = 'accepted', deactivated_at = NULL, updated_at = ?2 \
             WHERE id = ?1 AND client_id = ?3 AND status = 'deactivated' RETURNING id",
        )
        .bind(&[
            text(&account.to_string()),
            int(now.0),
            text(&scope.client().to_string()),
        ])
    }

    /// Reset of a registered account: back to invited without a password (first; `RETURNING` one
    /// row when it happened), second factor cleared, every session and pending reset ends. The caller adds the new
    /// invitation with [`Store::resend_statements`] (`seen` = none).
    pub fn reset_account_statements(
        &self,
        scope: &Scope,
        account: AccountId,
        now: Timestamp,
    ) -> Result<Vec<Stmt>> {
        let id = account.to_string();
        let done = "EXISTS (SELECT 1 FROM accounts WHERE id = ?1 AND status = 'invited' AND password_hash IS NULL AND updated_at = ?2)";
        let mut statements = vec![
            self.prepare(&format!(
                "UPDATE accounts SET status = CASE WHEN {} THEN 'invited' ELSE NULL END, password_hash = NULL, \
                 totp_secret = NULL, totp_pending = NULL, totp_enabled_at = NULL, totp_last_step = NULL, updated_at = ?2 \
                 WHERE id = ?1 AND client_id = ?3 AND status = 'accepted' RETURNING id",
                not_last_admin("accounts")
            ))
            .bind(&[text(&id), int(now.0), text(&scope.client().to_string())])?,
            self.lost_swap_aborts()?,
        ];
        // every session ends, and the second factor goes with the password (the lost phone's
        // way back): its recovery codes and any sign-in waiting for a code
        for table in ["sessions", "recovery_codes", "sign_in_challenges"] {
            statements.push(
                self.prepare(&format!(
                    "DELETE FROM {table} WHERE account_id = ?1 AND {done}"
                ))
                .bind(&[text(&id), int(now.0)])?,
            );
        }
        statements.push(self.revoke_resets_where(&id, now, done)?);
        Ok(statements)
    }

    fn revoke_resets_where(&self, id: &str, now: Timestamp, condition: &str) -> Result<Stmt> {
        self.prepare(&format!(
            "UPDATE password_resets SET state = 'revoked', ended_at = ?2 WHERE account_id = ?1 AND state = 'pending' AND {condition}"
        ))
        .bind(&[text(id), int(now.0)])
    }

    /// Deletion as one batch's statements, a compare-and-swap on the state read (`status` and the
    /// pending link's expiry): the row goes to `deleted_accounts` (NULL `was`, failing the batch,
    /// when it is the last active admin), the pending links are remembered as dead links, and the
    /// account row is removed (its sessions, links and access rows cascade; triggers fix the
    /// counters and search rows). The last statement `RETURNING` one row says it happened.
    #[allow(clippy::too_many_arguments)]
    pub fn delete_statements(
        &self,
        client: ClientKey,
        account: AccountId,
        seen_status: AccountStatus,
        seen_expiry: Option<Timestamp>,
        was: Recovered,
        deleted_by: Option<AccountId>,
        now: Timestamp,
        purge_at: Timestamp,
    ) -> Result<Vec<Stmt>> {
        let id = account.to_string();
        let json = ACCOUNT_COLUMNS
            .iter()
            .map(|c| format!("'{c}', a.{c}"))
            .collect::<Vec<_>>()
            .join(", ");
        let was_text = match was {
            Recovered::Accepted => "accepted",
            Recovered::Deactivated(_) => "deactivated",
            Recovered::Unregistered => "unregistered",
        };
        let tomb = "EXISTS (SELECT 1 FROM deleted_accounts WHERE id = ?1 AND deleted_at = ?2)";
        Ok(vec![
            self.prepare(&format!(
                "INSERT INTO deleted_accounts (id, client_id, company_id, was, account, access_list, deleted_at, purge_at, deleted_by) \
                 SELECT a.id, a.client_id, a.company_id, CASE WHEN {guard} THEN ?5 ELSE NULL END, json_object({json}), \
                 (SELECT json_group_array(ac.client_id) FROM account_clients ac WHERE ac.account_id = a.id), ?2, ?6, ?7 \
                 FROM accounts a WHERE a.id = ?1 AND a.client_id = ?3 AND a.status = ?4 AND coalesce(a.invite_expires_at, -1) = ?8",
                guard = not_last_admin("a")
            ))
            .bind(&[
                text(&id),
                int(now.0),
                text(&client.to_string()),
                text(seen_status.as_str()),
                text(was_text),
                int(purge_at.0),
                opt_text(deleted_by.map(|d| d.to_string()).as_deref()),
                int(seen_expiry.map_or(-1, |t| t.0)),
            ])?,
            self.lost_swap_aborts()?,
            self.prepare(&format!(
                "INSERT OR IGNORE INTO dead_links (token_digest, account_id, reason, expires_at) \
                 SELECT token_digest, account_id, 'account_deleted', expires_at FROM invitations \
                 WHERE account_id = ?1 AND state = 'pending' AND {tomb} \
                 UNION ALL SELECT token_digest, account_id, 'account_deleted', expires_at FROM password_resets \
                 WHERE account_id = ?1 AND state = 'pending' AND {tomb}"
            ))
            .bind(&[text(&id), int(now.0)])?,
            // invitations this account sent stay, without their sender
            self.prepare(&format!(
                "UPDATE invitations SET invited_by = NULL WHERE invited_by = ?1 AND {tomb}"
            ))
            .bind(&[text(&id), int(now.0)])?,
            self.prepare(&format!(
                "DELETE FROM accounts WHERE id = ?1 AND {tomb} RETURNING id"
            ))
            .bind(&[text(&id), int(now.0)])?,
        ])
    }

    /// The deleted account as the operator sees it, if it is still kept.
    pub async fn deleted_account(&self, account: AccountId) -> Result<Option<DeletedAccount>> {
        Ok(self
            .deleted_where("d.id = ?1", &[text(&account.to_string())], 1)
            .await?
            .pop())
    }

    /// Deleted accounts still kept, newest first.
    pub async fn deleted_accounts(&self, limit: u32) -> Result<Vec<DeletedAccount>> {
        self.deleted_where("1", &[], limit).await
    }

    async fn deleted_where(
        &self,
        condition: &str,
        binds: &[JsValue],
        limit: u32,
    ) -> Result<Vec<DeletedAccount>> {
        #[derive(Deserialize)]
        struct Row {
            id: String,
            client_id: String,
            first_name: Option<String>,
            surname: Option<String>,
            username: Option<String>,
            email: Option<String>,
            was: String,
            deleted_at: i64,
            purge_at: i64,
        }
        let mut all = binds.to_vec();
        all.push(int(i64::from(limit)));
        let rows: Vec<Row> = self
            .rows(
                self.prepare(&format!(
                    "SELECT d.id, d.client_id, json_extract(d.account, '$.first_name') AS first_name, \
                     json_extract(d.account, '$.surname') AS surname, json_extract(d.account, '$.username') AS username, \
                     json_extract(d.account, '$.email') AS email, d.was, d.deleted_at, d.purge_at \
                     FROM deleted_accounts d WHERE {condition} ORDER BY d.deleted_at DESC, d.id DESC LIMIT ?{}",
                    all.len()
                ))
                .bind(&all)?,
            )
            .await?;
        rows.into_iter()
            .map(|r| {
                Ok(DeletedAccount {
                    id: AccountId::parse(&r.id).ok_or("bad account id")?,
                    client: ClientKey::parse(&r.client_id).ok_or("bad client key")?,
                    first_name: r.first_name.unwrap_or_default(),
                    surname: r.surname.unwrap_or_default(),
                    username: r.username.unwrap_or_default(),
                    email: r.email.unwrap_or_default(),
                    was: r.was,
                    deleted_at: Timestamp(r.deleted_at),
                    purge_at: Timestamp(r.purge_at),
                })
            })
            .collect()
    }

    /// Recovery as one batch's statements: the row back into `accounts` (as it was, deactivated
    /// since the same instant, or invited without a link; a role deleted since becomes the built-in
    /// User role), its access rows, then the tombstone removed (`RETURNING` one row when it
    /// happened, which is the last statement). Only while `now` is inside the window.
    pub fn recover_statements(&self, account: AccountId, now: Timestamp) -> Result<Vec<Stmt>> {
        let id = account.to_string();
        let value = |c: &str| {
            match c {
            "status" => "CASE d.was WHEN 'unregistered' THEN 'invited' ELSE d.was END".to_owned(),
            "deactivated_at" => {
                "CASE d.was WHEN 'deactivated' THEN json_extract(d.account, '$.deactivated_at') END"
                    .to_owned()
            }
            "deleted_at" | "invite_expires_at" => "NULL".to_owned(),
            "updated_at" => "?2".to_owned(),
            "role_id" => "coalesce((SELECT r.id FROM roles r WHERE r.id = json_extract(d.account, '$.role_id')), \
                          (SELECT r.id FROM roles r WHERE r.company_id = d.company_id AND r.builtin = 'user'))"
                .to_owned(),
            "default_client_id" => "(SELECT c.id FROM clients c WHERE c.id = json_extract(d.account, '$.default_client_id'))".to_owned(),
            other => format!("json_extract(d.account, '$.{other}')"),
        }
        };
        let values = ACCOUNT_COLUMNS
            .iter()
            .map(|c| value(c))
            .collect::<Vec<_>>()
            .join(", ");
        let back = "EXISTS (SELECT 1 FROM accounts WHERE id = ?1 AND updated_at = ?2)";
        Ok(vec![
            self.prepare(&format!(
                "INSERT INTO accounts ({}) SELECT {values} FROM deleted_accounts d WHERE d.id = ?1 AND d.purge_at > ?2",
                ACCOUNT_COLUMNS.join(", ")
            ))
            .bind(&[text(&id), int(now.0)])?,
            self.lost_swap_aborts()?,
            self.prepare(&format!(
                "INSERT OR IGNORE INTO account_clients (account_id, client_id) \
                 SELECT ?1, j.value FROM deleted_accounts d, json_each(d.access_list) j \
                 WHERE d.id = ?1 AND j.value IN (SELECT id FROM clients) AND {back}"
            ))
            .bind(&[text(&id), int(now.0)])?,
            self.prepare(&format!("DELETE FROM dead_links WHERE account_id = ?1 AND {back}"))
                .bind(&[text(&id), int(now.0)])?,
            self.prepare(&format!(
                "DELETE FROM deleted_accounts WHERE id = ?1 AND {back} RETURNING id"
            ))
            .bind(&[text(&id), int(now.0)])?,
        ])
    }

    /// Why a link whose token digest no longer names a row does not work, if its account was
    /// deleted while the link was pending.
    pub async fn dead_link(&self, digest: &domain::TokenDigest) -> Result<Option<String>> {
        self.prepare("SELECT reason FROM dead_links WHERE token_digest = ?1")
            .bind(&[text(digest.as_str())])?
            .first::<String>(Some("reason"))
            .await
    }

    /// The automatic deletion of one client's accounts deactivated at or before `cutoff`, at most
    /// `limit` of them (oldest first, from the `accounts_deactivated` index), set-based: their
    /// rows move to `deleted_accounts` and leave `accounts`, each with a system audit event.
    /// Returns how many were deleted.
    pub async fn auto_delete(
        &self,
        client: &str,
        cutoff: Timestamp,
        now: Timestamp,
        purge_at: Timestamp,
        limit: u32,
    ) -> Result<usize> {
        let json = ACCOUNT_COLUMNS
            .iter()
            .map(|c| format!("'{c}', a.{c}"))
            .collect::<Vec<_>>()
            .join(", ");
        let moved = "SELECT d.id FROM deleted_accounts d WHERE d.client_id = ?1 AND d.deleted_at = ?2 AND d.deleted_by IS NULL";
        let binds = [text(client), int(now.0)];
        let results = self
            .batch(vec![
                self.prepare(&format!(
                    "INSERT INTO deleted_accounts (id, client_id, company_id, was, account, access_list, deleted_at, purge_at, deleted_by) \
                     SELECT a.id, a.client_id, a.company_id, 'deactivated', json_object({json}), \
                     (SELECT json_group_array(ac.client_id) FROM account_clients ac WHERE ac.account_id = a.id), ?2, ?3, NULL \
                     FROM accounts a WHERE a.client_id = ?1 AND a.status = 'deactivated' AND a.deactivated_at <= ?4 \
                     ORDER BY a.deactivated_at LIMIT ?5"
                ))
                .bind(&[text(client), int(now.0), int(purge_at.0), int(cutoff.0), int(i64::from(limit))])?,
                self.prepare(&format!(
                    "INSERT INTO audit_events (id, client_id, actor_id, action, subject_id, ip, created_at) \
                     SELECT 'auto-' || m.id || '-' || ?2, ?1, NULL, 'account.auto_deleted', m.id, NULL, ?2 FROM ({moved}) m \
                     WHERE m.id IN (SELECT id FROM accounts WHERE client_id = ?1 AND status = 'deactivated')"
                ))
                .bind(&binds)?,
                self.prepare(&format!(
                    "UPDATE invitations SET invited_by = NULL WHERE invited_by IN ({moved})"
                ))
                .bind(&binds)?,
                self.prepare(&format!(
                    "DELETE FROM accounts WHERE id IN ({moved}) AND status = 'deactivated' RETURNING id"
                ))
                .bind(&binds)?,
            ])
            .await?;
        returned_rows(&results[3])
    }

    /// Purges deleted accounts whose recovery window is over at `now`, at most `limit` (oldest
    /// first): the tombstone rows go, with their dead links and the personal detail of their audit
    /// events; the log keeps an `account.purged` event with the id only. Returns how many.
    pub async fn purge_due(&self, now: Timestamp, limit: u32) -> Result<usize> {
        let due = "SELECT id FROM deleted_accounts WHERE purge_at <= ?1 ORDER BY purge_at LIMIT ?2";
        let binds = [int(now.0), int(i64::from(limit))];
        let results = self
            .batch(vec![
                self.prepare(&format!(
                    "INSERT INTO audit_events (id, client_id, actor_id, action, subject_id, ip, created_at) \
                     SELECT 'purge-' || d.id, d.client_id, NULL, 'account.purged', d.id, NULL, ?1 \
                     FROM deleted_accounts d WHERE d.id IN ({due})"
                ))
                .bind(&binds)?,
                self.prepare(&format!(
                    "UPDATE audit_events SET detail = NULL, user_agent = NULL WHERE subject_id IN ({due}) AND detail IS NOT NULL"
                ))
                .bind(&binds)?,
                self.prepare(&format!("DELETE FROM dead_links WHERE account_id IN ({due})"))
                    .bind(&binds)?,
                self.prepare(&format!("DELETE FROM deleted_accounts WHERE id IN ({due}) RETURNING id"))
                    .bind(&binds)?,
            ])
            .await?;
        returned_rows(&results[3])
    }

    /// The clients that have deactivated accounts at all, with their path (for their settings),
    /// from the maintained counters.
    pub async fn clients_with_deactivated(&self) -> Result<Vec<(String, String)>> {
        #[derive(Deserialize)]
        struct Row {
            client_id: String,
            path: String,
        }
        let rows: Vec<Row> = self
            .rows(self.prepare(
                "SELECT n.client_id, c.path FROM account_counts n JOIN clients c ON c.id = n.client_id \
                 WHERE n.status = 'deactivated' AND n.n > 0",
            ))
            .await?;
        Ok(rows.into_iter().map(|r| (r.client_id, r.path)).collect())
    }

    /// Drops dead links that would have run out anyway; returns how many.
    pub async fn drop_expired_dead_links(&self, now: Timestamp, limit: u32) -> Result<usize> {
        let r = self
            .prepare(
                "DELETE FROM dead_links WHERE token_digest IN \
                 (SELECT token_digest FROM dead_links WHERE expires_at <= ?1 LIMIT ?2)",
            )
            .bind(&[int(now.0), int(i64::from(limit))])?
            .run()
            .await?;
        Ok(r.meta()?.and_then(|m| m.changes).unwrap_or(0))
    }

    /// Drops audit events older than `cutoff` (they hold IP addresses); returns how many.
    pub async fn drop_old_audit_events(&self, cutoff: Timestamp, limit: u32) -> Result<usize> {
        let r = self
            .prepare(
                "DELETE FROM audit_events WHERE id IN \
                 (SELECT id FROM audit_events WHERE created_at < ?1 ORDER BY created_at LIMIT ?2)",
            )
            .bind(&[int(cutoff.0), int(i64::from(limit))])?
            .run()
            .await?;
        Ok(r.meta()?.and_then(|m| m.changes).unwrap_or(0))
    }
}

/// Whether a batch's last statement returned its one row (the compare-and-swap happened).
pub fn swapped(results: &[worker::D1Result]) -> Result<bool> {
    match results.last() {
        Some(r) => Ok(returned_rows(r)? == 1),
        None => Ok(false),
    }
}
