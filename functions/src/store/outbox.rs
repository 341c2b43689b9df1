//! The mail outbox: written in the same batch as the change that causes the mail, delivered after.

use domain::api::OutboxMail;
use domain::i18n::MailContent;
use domain::Timestamp;
use serde::Deserialize;
use worker::Result;

use super::Stmt;

use super::{int, opt_text, text, Store};

/// A mail waiting for delivery.
#[derive(Deserialize)]
pub struct QueuedMail {
    /// Outbox row id.
    pub id: String,
    /// Recipient address.
    pub recipient: String,
    /// Subject.
    pub subject: String,
    /// Plain-text body.
    pub body_text: String,
    /// HTML body.
    pub body_html: String,
    /// Attempts so far.
    pub attempts: i64,
    /// Why its bodies did not open (then it is not sent).
    #[serde(skip)]
    pub unreadable: Option<String>,
}

#[derive(Deserialize)]
struct DevRow {
    id: String,
    recipient: String,
    subject: String,
    body_text: String,
    body_html: String,
    created_at: i64,
    status: String,
}

impl Store {
    /// The statement that queues a mail.
    pub fn enqueue_mail(
        &self,
        id: &str,
        client_db_id: Option<&str>,
        kind: &str,
        to: &str,
        mail: &MailContent,
        now: Timestamp,
    ) -> Result<Stmt> {
        self.enqueue(id, client_db_id, kind, to, mail, now, None)
    }

    /// Like [`Store::enqueue_mail`], but only written when the invitation `invitation_id` exists
    /// (a compare-and-swap in the same batch decided whether it was created).
    #[allow(clippy::too_many_arguments)]
    pub fn enqueue_mail_if_invitation(
        &self,
        id: &str,
        client_db_id: Option<&str>,
        kind: &str,
        to: &str,
        mail: &MailContent,
        now: Timestamp,
        invitation_id: &str,
    ) -> Result<Stmt> {
        self.enqueue(
            id,
            client_db_id,
            kind,
            to,
            mail,
            now,
            Some(("invitations", invitation_id)),
        )
    }

    /// Like [`Store::enqueue_mail`], but only written when the audit event `event_id` exists: the
    /// notice of a change goes out exactly when the change (and so its guarded event) happened.
    #[allow(clippy::too_many_arguments)]
    pub fn enqueue_mail_if_event(
        &self,
        id: &str,
        client_db_id: Option<&str>,
        kind: &str,
        to: &str,
        mail: &MailContent,
        now: Timestamp,
        event_id: &str,
    ) -> Result<Stmt> {
        self.enqueue(
            id,
            client_db_id,
            kind,
            to,
            mail,
            now,
            Some(("audit_events", event_id)),
        )
    }

    #[allow(clippy::too_many_arguments)]
    fn enqueue(
        &self,
        id: &str,
        client_db_id: Option<&str>,
        kind: &str,
        to: &str,
        mail: &MailContent,
        now: Timestamp,
        if_exists: Option<(&'static str, &str)>,
    ) -> Result<Stmt> {
        let (table, row) = if_exists.unzip();
        let guard = table.map_or_else(
            || "?9 IS NULL".to_owned(),
            |t| format!("EXISTS (SELECT 1 FROM {t} WHERE id = ?9)"),
        );
        self.prepare(&format!(
            "INSERT INTO outbox (id, client_id, kind, recipient, subject, body_text, body_html, next_attempt_at, created_at) \
             SELECT ?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?8 WHERE {guard}"
        ))
        .bind(&[text(id), opt_text(client_db_id), text(kind), text(to), text(&mail.subject), text(&self.seal(&mail.text, id)?), text(&self.seal(&mail.html, id)?), int(now.0), opt_text(row)])
    }

    /// A body as it is stored: sealed for its outbox row (it may carry a live link), so D1 and its
    /// backups never hold one readable. Without a key ring (production without `MAIL_KEYS`) no
    /// mail with a link gets this far (`Cx::link_origin` refuses it first), and a notice without
    /// one is stored as it is.
    fn seal(&self, body: &str, id: &str) -> Result<String> {
        Ok(match self.mail_keys() {
            Some(ring) => ring.seal(body, id, crate::random::bytes()),
            None => body.to_owned(),
        })
    }

    /// A stored body, opened for delivery or the dev outbox (a body cleared after delivery stays
    /// empty).
    pub(crate) fn open_body(&self, stored: &str, id: &str) -> std::result::Result<String, String> {
        if !domain::sealed::is_sealed(stored) {
            return Ok(stored.to_owned());
        }
        let ring = self
            .mail_keys()
            .ok_or("MAIL_KEYS is not set: a sealed body cannot be opened")?;
        ring.open(stored, id)
            .map_err(|e| format!("sealed body does not open: {e:?}"))
    }

    /// A claimed mail with its bodies opened; a body that does not open (its key left the ring)
    /// is reported, never sent.
    fn opened(&self, mut mail: QueuedMail) -> QueuedMail {
        let text = self.open_body(&mail.body_text, &mail.id);
        let html = self.open_body(&mail.body_html, &mail.id);
        match (text, html) {
            (Ok(text), Ok(html)) => {
                mail.body_text = text;
                mail.body_html = html;
            }
            (Err(e), _) | (_, Err(e)) => mail.unreadable = Some(e),
        }
        mail
    }

    /// Claims one queued mail for a delivery attempt: only if it is pending and due, and only one
    /// caller wins (the request's `wait_until` and a cron run may both try); the claim lasts until
    /// `lease_until`, after which a cron run may try again if this attempt never reported back.
    pub async fn claim_mail(
        &self,
        id: &str,
        now: Timestamp,
        lease_until: Timestamp,
    ) -> Result<Option<QueuedMail>> {
        self.prepare(
            "UPDATE outbox SET next_attempt_at = ?3 WHERE id = ?1 AND status = 'pending' AND next_attempt_at <= ?2 \
             RETURNING id, recipient, subject, body_text, body_html, attempts",
        )
        .bind(&[text(id), int(now.0), int(lease_until.0)])?
        .first::<QueuedMail>(None)
        .await
        .map(|mail| mail.map(|m| self.opened(m)))
    }

    /// Claims up to `limit` due mails at once (oldest first), as [`Store::claim_mail`] does one.
    pub async fn claim_due_mail(
        &self,
        now: Timestamp,
        lease_until: Timestamp,
        limit: u32,
    ) -> Result<Vec<QueuedMail>> {
        self.prepare(
            "UPDATE outbox SET next_attempt_at = ?2 WHERE id IN \
             (SELECT id FROM outbox WHERE status = 'pending' AND next_attempt_at <= ?1 ORDER BY next_attempt_at LIMIT ?3) \
             RETURNING id, recipient, subject, body_text, body_html, attempts",
        )
        .bind(&[int(now.0), int(lease_until.0), int(i64::from(limit))])?
        .all()
        .await?
        .results::<QueuedMail>()
        .map(|mails| mails.into_iter().map(|m| self.opened(m)).collect())
    }

    /// Marks a mail delivered. Unless `keep_body` (the local dev outbox is the mailbox itself), the
    /// bodies are cleared: they may carry a link's token, which must not outlive its delivery.
    pub async fn mark_mail_sent(&self, id: &str, now: Timestamp, keep_body: bool) -> Result<()> {
        let sql = if keep_body {
            "UPDATE outbox SET status = 'sent', sent_at = ?1, attempts = attempts + 1 WHERE id = ?2 AND status = 'pending'"
        } else {
            "UPDATE outbox SET status = 'sent', sent_at = ?1, attempts = attempts + 1, body_text = '', body_html = '' WHERE id = ?2 AND status = 'pending'"
        };
        self.prepare(sql)
            .bind(&[int(now.0), text(id)])?
            .run()
            .await?;
        Ok(())
    }

    /// Records a failed attempt: retry at `retry_at`, or give up (`failed`) when `None`.
    pub async fn mark_mail_attempt_failed(
        &self,
        id: &str,
        error: &str,
        retry_at: Option<Timestamp>,
    ) -> Result<()> {
        let stmt = match retry_at {
            Some(at) => self
                .prepare("UPDATE outbox SET attempts = attempts + 1, last_error = ?1, next_attempt_at = ?2 WHERE id = ?3 AND status = 'pending'")
                .bind(&[text(error), int(at.0), text(id)])?,
            None => self
                .prepare("UPDATE outbox SET attempts = attempts + 1, last_error = ?1, status = 'failed', body_text = '', body_html = '' WHERE id = ?2 AND status = 'pending'")
                .bind(&[text(error), text(id)])?,
        };
        stmt.run().await?;
        Ok(())
    }

    /// The newest mail, for the local dev outbox.
    pub async fn recent_mail(&self, limit: u32, to: Option<&str>) -> Result<Vec<OutboxMail>> {
        // local mode only: the recipient filter scans the (small) dev outbox
        let rows = self
            .prepare("SELECT id, recipient, subject, body_text, body_html, created_at, status FROM outbox \
                      WHERE ?2 IS NULL OR recipient = ?2 ORDER BY created_at DESC, id DESC LIMIT ?1")
            .bind(&[int(i64::from(limit)), opt_text(to)])?
            .all()
            .await?
            .results::<DevRow>()?;
        Ok(rows
            .into_iter()
            .map(|r| OutboxMail {
                text: self.open_body(&r.body_text, &r.id).unwrap_or_else(|e| e),
                html: self.open_body(&r.body_html, &r.id).unwrap_or_else(|e| e),
                id: r.id,
                to: r.recipient,
                subject: r.subject,
                created_at: Timestamp(r.created_at),
                status: r.status,
            })
            .collect())
    }
}
