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
        let id = uuid::Builder::from_random_bytes(e.id)
            .into_uuid()
            .to_string();
        let mut binds = vec![
            text(&id),
            opt_text(e.client),
            opt_text(e.actor.map(|a| a.to_string()).as_deref()),
            text(e.action),
            opt_text(e.subject.map(|a| a.to_string()).as_deref()),
            opt_text(e.ip),
            int(e.at.0),
        ];
        binds.extend_from_slice(extra);
        self.prepare(&format!(
            "INSERT INTO audit_events (id, client_id, actor_id, action, subject_id, ip, created_at) \
             SELECT ?1, ?2, ?3, ?4, ?5, ?6, ?7 WHERE {condition}"
        ))
        .bind(&binds)
    }
}

impl Store {
    /// The newest events, for the local dev view (a security report for admins comes later).
    pub async fn recent_audit_events(&self, limit: u32) -> Result<Vec<serde_json::Value>> {
        self.prepare(
            "SELECT id, client_id, actor_id, action, subject_id, ip, created_at FROM audit_events \
             ORDER BY created_at DESC, id DESC LIMIT ?1",
        )
        .bind(&[int(i64::from(limit))])?
        .all()
        .await?
        .results()
    }
}
