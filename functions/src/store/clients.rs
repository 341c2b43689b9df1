//! Clients (the tree, as materialised paths) and their own settings rows.

use domain::api::ClientNode;
use domain::i18n::Lang;
use domain::ids::{AccountId, ClientKey, RoleId};
use domain::settings::{Layer, PasswordPreset, SettingsOverrides};
use domain::values::UsernameFormat;
use domain::{ClientPath, Scope, Timestamp, Ttl};
use serde::Deserialize;
use wasm_bindgen::JsValue;
use worker::Result;

use super::Stmt;

use super::{int, text, Store};

#[derive(Deserialize)]
struct NodeRow {
    id: String,
    client_id: String,
    name: String,
    path: String,
    is_sender: i64,
    active: i64,
}

impl NodeRow {
    fn into_node(self) -> Result<ClientNode> {
        Ok(ClientNode {
            key: ClientKey::parse(&self.id).ok_or("bad client key")?,
            client_id: self.client_id,
            name: self.name,
            path: ClientPath::from_stored(&self.path).ok_or("bad client path")?,
            is_sender: self.is_sender != 0,
            active: self.active != 0,
        })
    }
}

const NODE_COLUMNS: &str = "id, client_id, name, path, is_sender, active";

#[derive(Deserialize)]
struct SettingsRow {
    id: String,
    name: String,
    invitation_ttl_seconds: Option<i64>,
    reset_ttl_seconds: Option<i64>,
    password_preset: Option<String>,
    password_min_length: Option<i64>,
    username_format: Option<String>,
    default_role_id: Option<String>,
    language: Option<String>,
    deletion_after_days: Option<i64>,
    session_idle_minutes: Option<i64>,
    session_max_hours: Option<i64>,
    require_two_factor: Option<i64>,
}

impl SettingsRow {
    fn into_layer(self) -> Result<Layer> {
        Ok(Layer {
            client: ClientKey::parse(&self.id).ok_or("bad client key")?,
            name: self.name,
            overrides: SettingsOverrides {
                invitation_ttl: self.invitation_ttl_seconds.map(Ttl),
                reset_ttl: self.reset_ttl_seconds.map(Ttl),
                password_preset: self
                    .password_preset
                    .as_deref()
                    .and_then(PasswordPreset::parse),
                password_min_length: self.password_min_length.and_then(|n| u16::try_from(n).ok()),
                username_format: self
                    .username_format
                    .as_deref()
                    .and_then(UsernameFormat::parse),
                default_role: self.default_role_id.as_deref().and_then(RoleId::parse),
                language: self.language.as_deref().and_then(Lang::from_tag),
                deletion_after_days: self.deletion_after_days.and_then(|n| u32::try_from(n).ok()),
                session_idle_minutes: self
                    .session_idle_minutes
                    .and_then(|n| u32::try_from(n).ok()),
                session_max_hours: self.session_max_hours.and_then(|n| u32::try_from(n).ok()),
                require_two_factor: self.require_two_factor.map(|n| n != 0),
            },
        })
    }
}

/// A new client's data.
pub struct NewClient<'a> {
    /// Its key.
    pub key: ClientKey,
    /// Where it sits (its own key last).
    pub path: &'a ClientPath,
    /// What people type at sign-in.
    pub client_id: &'a str,
    /// Display name.
    pub name: &'a str,
    /// Whether it holds accounts.
    pub is_sender: bool,
    /// Creation time.
    pub now: Timestamp,
}

/// Deactivating the client would have locked out every active admin of the company (see
/// [`Store::update_client`]); the batch was rolled back.
pub fn is_last_admin_lockout(e: &worker::Error) -> bool {
    let msg = e.to_string();
    msg.contains("NOT NULL constraint failed") && msg.contains("clients.active")
}

/// A move lost a race (see [`Store::move_client`]); the batch was rolled back.
pub fn is_move_conflict(e: &worker::Error) -> bool {
    let msg = e.to_string();
    msg.contains("NOT NULL constraint failed") && msg.contains("clients.path")
}

impl Store {
    /// Where a client sits in its tree, by key; what authorisation checks a target against. Reads
    /// nothing else, so it needs no scope.
    pub async fn client_path(&self, key: ClientKey) -> Result<Option<ClientPath>> {
        self.path_of("SELECT path FROM clients WHERE id = ?1", &key.to_string())
            .await
    }

    /// The paths of these clients of the company, in one D1 round trip (one statement per 90 keys,
    /// below D1's limit of 100 bound parameters); unknown keys are left out.
    pub async fn client_paths(
        &self,
        company: ClientKey,
        keys: &[ClientKey],
    ) -> Result<Vec<(ClientKey, ClientPath)>> {
        #[derive(Deserialize)]
        struct Row {
            id: String,
            path: String,
        }
        const CHUNK: usize = 90;
        let statements = keys
            .chunks(CHUNK)
            .map(|chunk| {
                let marks: Vec<String> = (0..chunk.len()).map(|i| format!("?{}", i + 2)).collect();
                let sql = format!(
                    "SELECT id, path FROM clients WHERE company_id = ?1 AND id IN ({})",
                    marks.join(", ")
                );
                let mut params = vec![text(&company.to_string())];
                params.extend(chunk.iter().map(|k| text(&k.to_string())));
                self.prepare(&sql).bind(&params)
            })
            .collect::<Result<Vec<_>>>()?;
        if statements.is_empty() {
            return Ok(vec![]);
        }
        let mut found = Vec::with_capacity(keys.len());
        for result in self.batch(statements).await? {
            for r in result.results::<Row>()? {
                found.push((
                    ClientKey::parse(&r.id).ok_or("bad client key")?,
                    ClientPath::from_stored(&r.path).ok_or("bad client path")?,
                ));
            }
        }
        Ok(found)
    }

    /// Where an account's client sits, by account id (for authorising actions on the account).
    pub async fn account_client_path(&self, account: AccountId) -> Result<Option<ClientPath>> {
        self.path_of(
            "SELECT c.path FROM accounts a JOIN clients c ON c.id = a.client_id WHERE a.id = ?1",
            &account.to_string(),
        )
        .await
    }

    async fn path_of(&self, sql: &str, id: &str) -> Result<Option<ClientPath>> {
        #[derive(Deserialize)]
        struct Row {
            path: String,
        }
        let row = self
            .row::<Row>(self.prepare(sql).bind(&[text(id)])?)
            .await?;
        row.map(|r| ClientPath::from_stored(&r.path).ok_or_else(|| "bad client path".into()))
            .transpose()
    }

    /// Every client of the scope's company, in path order (a company has at most a few thousand).
    pub async fn company_clients(&self, scope: &Scope) -> Result<Vec<ClientNode>> {
        self.prepare(&format!(
            "SELECT {NODE_COLUMNS} FROM clients WHERE company_id = ?1 ORDER BY path"
        ))
        .bind(&[text(&scope.company().to_string())])?
        .all()
        .await?
        .results::<NodeRow>()?
        .into_iter()
        .map(NodeRow::into_node)
        .collect()
    }

    /// The scope's client.
    pub async fn client_node(&self, scope: &Scope) -> Result<Option<ClientNode>> {
        self.prepare(&format!(
            "SELECT {NODE_COLUMNS} FROM clients WHERE id = ?1 AND company_id = ?2"
        ))
        .bind(&[
            text(&scope.client().to_string()),
            text(&scope.company().to_string()),
        ])?
        .first::<NodeRow>(None)
        .await?
        .map(NodeRow::into_node)
        .transpose()
    }

    /// The own settings of every client on `path` (which the scope authorised), company first.
    pub async fn settings_chain(&self, scope: &Scope, path: &ClientPath) -> Result<Vec<Layer>> {
        let keys = path.keys();
        let placeholders: Vec<String> = (0..keys.len()).map(|i| format!("?{}", i + 2)).collect();
        let mut binds: Vec<JsValue> = vec![text(&scope.company().to_string())];
        binds.extend(keys.iter().map(|k| text(&k.to_string())));
        let rows = self
            .prepare(&format!(
                "SELECT c.id, c.name, s.invitation_ttl_seconds, s.reset_ttl_seconds, s.password_preset, \
                 s.password_min_length, s.username_format, s.default_role_id, s.language, s.deletion_after_days, \
                 s.session_idle_minutes, s.session_max_hours, s.require_two_factor \
                 FROM clients c LEFT JOIN client_settings s ON s.client_id = c.id \
                 WHERE c.company_id = ?1 AND c.id IN ({})",
                placeholders.join(", ")
            ))
            .bind(&binds)?
            .all()
            .await?
            .results::<SettingsRow>()?;
        let mut layers = rows
            .into_iter()
            .map(SettingsRow::into_layer)
            .collect::<Result<Vec<_>>>()?;
        // company first, the client itself last
        layers.sort_by_key(|l| keys.iter().position(|k| *k == l.client));
        Ok(layers)
    }

    /// The settings in force for `client` where no caller's scope applies: a person's own
    /// sign-in and account, a checked link, a cron job (the client's company only, as always).
    pub async fn settings_in_force(
        &self,
        client: &ClientPath,
    ) -> Result<domain::settings::EffectiveSettings> {
        let scope = domain::access::secret_scope(client);
        Ok(domain::settings::resolve(
            &self.settings_chain(&scope, client).await?,
        ))
    }

    /// The statement that replaces the scope's client's own settings.
    pub fn put_settings(
        &self,
        scope: &Scope,
        o: &SettingsOverrides,
        now: Timestamp,
    ) -> Result<Stmt> {
        let opt_int = |n: Option<i64>| n.map(int).unwrap_or(JsValue::NULL);
        let opt = |s: Option<&str>| s.map(text).unwrap_or(JsValue::NULL);
        self.prepare(
            "INSERT INTO client_settings (client_id, invitation_ttl_seconds, reset_ttl_seconds, password_preset, \
             password_min_length, username_format, default_role_id, language, deletion_after_days, updated_at, \
             session_idle_minutes, session_max_hours, require_two_factor) \
             SELECT ?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?12, ?13, ?14 WHERE EXISTS (SELECT 1 FROM clients WHERE id = ?1 AND company_id = ?11) \
             ON CONFLICT (client_id) DO UPDATE SET invitation_ttl_seconds = excluded.invitation_ttl_seconds, \
             reset_ttl_seconds = excluded.reset_ttl_seconds, password_preset = excluded.password_preset, \
             password_min_length = excluded.password_min_length, username_format = excluded.username_format, \
             default_role_id = excluded.default_role_id, language = excluded.language, \
             deletion_after_days = excluded.deletion_after_days, updated_at = excluded.updated_at, \
             session_idle_minutes = excluded.session_idle_minutes, session_max_hours = excluded.session_max_hours, \
             require_two_factor = excluded.require_two_factor",
        )
        .bind(&[
            text(&scope.client().to_string()),
            opt_int(o.invitation_ttl.map(|t| t.0)),
            opt_int(o.reset_ttl.map(|t| t.0)),
            opt(o.password_preset.map(PasswordPreset::as_str)),
            opt_int(o.password_min_length.map(i64::from)),
            opt(o.username_format.map(UsernameFormat::as_str)),
            opt(o.default_role.map(|r| r.to_string()).as_deref()),
            opt(o.language.map(Lang::code)),
            opt_int(o.deletion_after_days.map(i64::from)),
            int(now.0),
            text(&scope.company().to_string()),
            opt_int(o.session_idle_minutes.map(i64::from)),
            opt_int(o.session_max_hours.map(i64::from)),
            opt_int(o.require_two_factor.map(i64::from)),
        ])
    }

    /// The statement that creates a sub-client below the scope's client.
    pub fn insert_child_client(&self, parent: &Scope, c: &NewClient<'_>) -> Result<Stmt> {
        self.prepare(
            "INSERT INTO clients (id, company_id, client_id, name, parent_id, path, is_sender, active, created_at, updated_at) \
             SELECT ?1, ?2, ?3, ?4, ?5, ?6, ?7, 1, ?8, ?8 WHERE EXISTS (SELECT 1 FROM clients WHERE id = ?5 AND company_id = ?2)",
        )
        .bind(&[
            text(&c.key.to_string()),
            text(&parent.company().to_string()),
            text(c.client_id),
            text(c.name),
            text(&parent.client().to_string()),
            text(&c.path.to_stored()),
            int(i64::from(c.is_sender)),
            int(c.now.0),
        ])
    }

    /// The statement that renames the scope's client, marks it as sender or not, or (de)activates it.
    pub fn update_client(
        &self,
        scope: &Scope,
        name: Option<&str>,
        is_sender: Option<bool>,
        active: Option<bool>,
        now: Timestamp,
    ) -> Result<Stmt> {
        let flag = |b: Option<bool>| b.map(|b| int(i64::from(b))).unwrap_or(JsValue::NULL);
        self.prepare(
            // deactivating writes NULL (failing the batch, see `is_last_admin_lockout`) when no
            // active admin of the company would be left outside the deactivated subtree
            "UPDATE clients SET name = coalesce(?1, name), is_sender = coalesce(?2, is_sender), \
             active = CASE WHEN ?3 IS NULL THEN active WHEN ?3 = 1 OR EXISTS (SELECT 1 FROM accounts o \
               JOIN clients oc ON oc.id = o.client_id WHERE o.company_id = ?6 AND o.status = 'accepted' \
               AND o.role_id = (SELECT r.id FROM roles r WHERE r.company_id = ?6 AND r.builtin = 'admin') \
               AND substr(oc.path, 1, length(clients.path)) != clients.path) THEN ?3 ELSE NULL END, \
             updated_at = ?4 WHERE id = ?5 AND company_id = ?6",
        )
        .bind(&[
            name.map(text).unwrap_or(JsValue::NULL),
            flag(is_sender),
            flag(active),
            int(now.0),
            text(&scope.client().to_string()),
            text(&scope.company().to_string()),
        ])
    }

    /// The statements that move the scope's client (at `from`) and its whole subtree to `to`, as
    /// one compare-and-swap: the batch fails unless the client is still at `from` and the new
    /// parent still at its path (see [`is_move_conflict`]).
    pub fn move_client(
        &self,
        scope: &Scope,
        from: &ClientPath,
        to: &ClientPath,
        now: Timestamp,
    ) -> Result<Vec<Stmt>> {
        let parent = to.parent().ok_or("a moved client has a parent")?;
        let parent_path = ClientPath::try_from(to.keys()[..to.keys().len() - 1].to_vec())
            .map_err(|e| worker::Error::RustError(e.into()))?;
        let company = scope.company().to_string();
        let old = from.to_stored();
        let guard = "EXISTS (SELECT 1 FROM clients WHERE id = ?4 AND path = ?5 AND company_id = ?3) \
                     AND EXISTS (SELECT 1 FROM clients WHERE id = ?6 AND path = ?1 AND company_id = ?3)";
        Ok(vec![
            // the subtree first (its rows still have the old prefix), the client itself with them
            self.prepare(&format!(
                "UPDATE clients SET path = ?2 || substr(path, length(?1) + 1), updated_at = ?7 \
                 WHERE company_id = ?3 AND path >= ?1 AND path < ?1 || '~' AND {guard}"
            ))
            .bind(&[
                text(&old),
                text(&to.to_stored()),
                text(&company),
                text(&parent.to_string()),
                text(&parent_path.to_stored()),
                text(&scope.client().to_string()),
                int(now.0),
            ])?,
            // fails the whole batch (NOT NULL) when the first statement did not move the client
            self.prepare(
                "UPDATE clients SET parent_id = ?1, path = CASE WHEN path = ?4 THEN path ELSE NULL END \
                 WHERE id = ?2 AND company_id = ?3",
            )
            .bind(&[
                text(&parent.to_string()),
                text(&scope.client().to_string()),
                text(&company),
                text(&to.to_stored()),
            ])?,
        ])
    }
}
