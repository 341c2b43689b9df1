//! The audit log: who did what to whom, in which client, when and from where. Never a secret.

use domain::ids::AccountId;
use domain::Timestamp;
use wasm_bindgen::JsValue;
use worker::Result;

use super::Stmt;

use super::{int, opt_text, text, Store};

/// One audit event to record, usually in the same batch as the change it describes.
pub struct AuditEvent<'a> {
    /// Random id.
    pub id: [u8; 16],
    /// The client the event happened in.
    pub client: Option<&'a str>,
    /// Who acted (none for the person themselves before sign-in).
    pub actor: Option<AccountId>,
    /// What happened, e.g. `invitation.created`.
    pub action: &'a str,
    /// Whom it concerned.
    pub subject: Option<AccountId>,
    /// From where.
    pub ip: Option<&'a str>,
    /// When.
    pub at: Timestamp,
}

impl Store {
    /// The statement that records an event.
    pub fn audit(&self, e: &AuditEvent<'_>) -> Result<Stmt> {
        self.audit_where(e, "1", &[])
    }

    /// The statement that records an event only if `condition` (SQL over `?8`, `?9`, … bound to
    /// `extra`) holds when the batch runs: for events that happen only if an earlier statement of
    /// the same batch changed something.
    pub(crate) fn audit_where(
        &self,
        e: &AuditEvent<'_>,
        condition: &str,
        extra: &[JsValue],
    ) -> Result<Stmt> {
        self.audit_detailed(e, None, None, condition, extra)
    }

    /// Like [`Store::audit_where`], with the caller's browser and what changed (JSON text).
    pub(crate) fn audit_detailed(
        &self,
        e: &AuditEvent<'_>,
        user_agent: Option<&str>,
        detail: Option<&str>,
        condition: &str,
        extra: &[JsValue],
    ) -> Result<Stmt> {
        let id = event_id(e);
        let mut binds = vec![
            text(&id),
            opt_text(e.client),
            opt_text(e.actor.map(|a| a.to_string()).as_deref()),
            text(e.action),
            opt_text(e.subject.map(|a| a.to_string()).as_deref()),
            opt_text(e.ip),
            int(e.at.0),
        ];
        // the condition's parameters start at ?8; browser and detail follow them
        let ua = binds.len() + extra.len() + 1;
        binds.extend_from_slice(extra);
        binds.extend([opt_text(user_agent), opt_text(detail)]);
        self.prepare(&format!(
            "INSERT INTO audit_events (id, client_id, actor_id, action, subject_id, ip, created_at, user_agent, detail) \
             SELECT ?1, ?2, ?3, ?4, ?5, ?6, ?7, ?{ua}, ?{} WHERE {condition}",
            ua + 1
        ))
        .bind(&binds)
    }
}

/// The stored id of an event (to guard a statement on the event having been written).
pub fn event_id(e: &AuditEvent<'_>) -> String {
    uuid::Builder::from_random_bytes(e.id)
        .into_uuid()
        .to_string()
}

impl Store {
    /// The newest events, for the local dev view (a security report for admins comes later).
    pub async fn recent_audit_events(
        &self,
        limit: u32,
        subject: Option<&str>,
    ) -> Result<Vec<serde_json::Value>> {
        self.prepare(
            "SELECT id, client_id, actor_id, action, subject_id, ip, created_at FROM audit_events \
             WHERE ?2 IS NULL OR subject_id = ?2 ORDER BY created_at DESC, id DESC LIMIT ?1",
        )
        .bind(&[int(i64::from(limit)), super::opt_text(subject)])?
        .all()
        .await?
        .results()
    }
}

/// One event of a security report.
#[derive(serde::Deserialize)]
pub struct SecurityEvent {
    /// When (ms).
    pub created_at: i64,
    /// The action's key.
    pub action: String,
    /// From where.
    pub ip: Option<String>,
}

impl Store {
    /// The newest security events about an account since `since` (the actions of
    /// `domain::audit::SECURITY_EVENTS`), at most `limit`, from the subject's index.
    pub async fn security_events(
        &self,
        account: AccountId,
        since: Timestamp,
        limit: u32,
    ) -> Result<Vec<SecurityEvent>> {
        let actions = domain::audit::SECURITY_EVENTS;
        let marks: Vec<String> = (4..actions.len() + 4).map(|i| format!("?{i}")).collect();
        let mut binds = vec![
            text(&account.to_string()),
            int(since.0),
            int(i64::from(limit)),
        ];
        binds.extend(actions.iter().map(|a| text(a)));
        self.rows(
            self.prepare(&format!(
                "SELECT created_at, action, ip FROM audit_events WHERE subject_id = ?1 AND created_at >= ?2 \
                 AND action IN ({}) ORDER BY created_at DESC, id DESC LIMIT ?3",
                marks.join(", ")
            ))
            .bind(&binds)?,
        )
        .await
    }
}

/// Which events an audit page shows.
pub struct AuditFilter<'a> {
    /// Events in this client (the client's log), or
    pub client: Option<&'a str>,
    /// events about this account (its history).
    pub subject: Option<&'a str>,
    /// Only by this actor.
    pub actor: Option<&'a str>,
    /// Only this action.
    pub action: Option<&'a str>,
    /// At or after (ms).
    pub from: Option<i64>,
    /// Before (ms).
    pub to: Option<i64>,
    /// Older than this (created_at, id).
    pub after: Option<(i64, String)>,
    /// Page size.
    pub limit: u32,
}

impl Store {
    /// One page of audit events, newest first, served by the (client | subject, …, created_at,
    /// id) indexes; `limit + 1` rows, so the caller knows whether there are more.
    pub async fn audit_page(
        &self,
        f: &AuditFilter<'_>,
    ) -> Result<Vec<domain::api::AuditEventView>> {
        #[derive(serde::Deserialize)]
        struct Row {
            id: String,
            created_at: i64,
            action: String,
            actor_id: Option<String>,
            subject_id: Option<String>,
            client_id: Option<String>,
            ip: Option<String>,
            user_agent: Option<String>,
            detail: Option<String>,
            actor_name: Option<String>,
            subject_name: Option<String>,
        }
        let mut conds = vec![];
        let mut binds = vec![];
        let mut add = |sql: &str, v: JsValue| {
            binds.push(v);
            conds.push(sql.replace('?', &format!("?{}", binds.len())));
        };
        if let Some(c) = f.client {
            add("e.client_id = ?", text(c));
        }
        if let Some(s) = f.subject {
            add("e.subject_id = ?", text(s));
        }
        if let Some(a) = f.actor {
            add("e.actor_id = ?", text(a));
        }
        if let Some(a) = f.action {
            add("e.action = ?", text(a));
        }
        if let Some(t) = f.from {
            add("e.created_at >= ?", int(t));
        }
        if let Some(t) = f.to {
            add("e.created_at < ?", int(t));
        }
        if let Some((at, id)) = &f.after {
            binds.push(int(*at));
            binds.push(text(id));
            conds.push(format!(
                "(e.created_at, e.id) < (?{}, ?{})",
                binds.len() - 1,
                binds.len()
            ));
        }
        binds.push(int(i64::from(f.limit) + 1));
        let name = |col: &str| {
            format!(
                "(SELECT x.first_name || ' ' || x.surname FROM accounts x WHERE x.id = e.{col})"
            )
        };
        let sql = format!(
            "SELECT e.id, e.created_at, e.action, e.actor_id, e.subject_id, e.client_id, e.ip, e.user_agent, e.detail, \
             {} AS actor_name, {} AS subject_name FROM audit_events e WHERE {} \
             ORDER BY e.created_at DESC, e.id DESC LIMIT ?{}",
            name("actor_id"),
            name("subject_id"),
            if conds.is_empty() { "1".to_owned() } else { conds.join(" AND ") },
            binds.len()
        );
        let rows: Vec<Row> = self.rows(self.prepare(&sql).bind(&binds)?).await?;
        Ok(rows
            .into_iter()
            .map(|r| domain::api::AuditEventView {
                id: r.id,
                at: Timestamp(r.created_at),
                action: r.action,
                actor: r.actor_id.as_deref().and_then(AccountId::parse),
                actor_name: r.actor_name,
                subject: r.subject_id.as_deref().and_then(AccountId::parse),
                subject_name: r.subject_name,
                client: r.client_id.as_deref().and_then(domain::ClientKey::parse),
                ip: r.ip,
                user_agent: r.user_agent,
                detail: r.detail,
            })
            .collect())
    }
}
