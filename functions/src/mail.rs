//! Mail delivery behind one interface with three implementations: the local dev outbox, Cloudflare
//! Email Service (`send_email` binding) and Resend's HTTP API. The outbox table is the queue; a
//! delivery attempt either marks a row sent or schedules a retry, so a provider outage loses nothing.

use domain::Timestamp;
use worker::{Env, Fetch, Headers, Method, Request, RequestInit};

use crate::config::{Config, MailProvider};
use crate::store::outbox::QueuedMail;
use crate::store::Store;

/// Attempts before a mail is given up (with backoff 1, 2, 4 … minutes, about four hours in all).
const MAX_ATTEMPTS: i64 = 8;
/// How long a claimed mail is left to its sender before a cron run may try it again.
pub const LEASE_MS: i64 = 2 * 60_000;

/// How a mail leaves.
pub enum Mailer {
    /// Local dev outbox: the row is the mail; `/dev/outbox` shows it.
    DevOutbox,
    /// Cloudflare Email Service.
    Cloudflare {
        binding: worker::SendEmail,
        from: String,
    },
    /// Resend (https://resend.com) over HTTPS.
    Resend { api_key: String, from: String },
}

impl Mailer {
    /// The mailer the configuration names; a missing binding or secret is an error at send time.
    pub fn from_env(env: &Env, config: &Config) -> Result<Self, String> {
        match config.mail_provider {
            MailProvider::DevOutbox => Ok(Mailer::DevOutbox),
            MailProvider::Cloudflare => env
                .send_email("EMAIL")
                .map(|binding| Mailer::Cloudflare {
                    binding,
                    from: config.mail_from.clone(),
                })
                .map_err(|e| format!("EMAIL binding: {e}")),
            MailProvider::Resend => env
                .secret("RESEND_API_KEY")
                .map(|k| Mailer::Resend {
                    api_key: k.to_string(),
                    from: config.mail_from.clone(),
                })
                .map_err(|e| format!("RESEND_API_KEY: {e}")),
        }
    }

    /// Whether delivered mail keeps its body (only the dev outbox, which is the mailbox).
    fn keeps_body(&self) -> bool {
        matches!(self, Mailer::DevOutbox)
    }

    async fn send(&self, mail: &QueuedMail) -> Result<(), String> {
        match self {
            Mailer::DevOutbox => Ok(()),
            Mailer::Cloudflare { binding, from } => {
                let message = worker::SendEmailBuilder::new(from, &mail.recipient, &mail.subject);
                message.set_text(&mail.body_text);
                message.set_html(&mail.body_html);
                binding
                    .send_with_builder(&message)
                    .await
                    .map(|_| ())
                    .map_err(|e| format!("{e:?}"))
            }
            Mailer::Resend { api_key, from } => {
                let body = serde_json::json!({
                    "from": from, "to": [mail.recipient], "subject": mail.subject,
                    "text": mail.body_text, "html": mail.body_html,
                });
                let headers = Headers::new();
                headers
                    .set("authorization", &format!("Bearer {api_key}"))
                    .map_err(|e| e.to_string())?;
                headers
                    .set("content-type", "application/json")
                    .map_err(|e| e.to_string())?;
                // an idempotency key makes a retry after a lost answer send nothing twice
                headers
                    .set("idempotency-key", &mail.id)
                    .map_err(|e| e.to_string())?;
                let mut init = RequestInit::new();
                init.with_method(Method::Post)
                    .with_headers(headers)
                    .with_body(Some(body.to_string().into()));
                let req = Request::new_with_init("https://api.resend.com/emails", &init)
                    .map_err(|e| e.to_string())?;
                let resp = Fetch::Request(req)
                    .send()
                    .await
                    .map_err(|e| e.to_string())?;
                match resp.status_code() {
                    200..=299 => Ok(()),
                    status => Err(format!("resend answered {status}")),
                }
            }
        }
    }
}

/// Tries to deliver one queued mail once, recording the outcome.
pub async fn deliver(
    store: &Store,
    mailer: &Mailer,
    mail: &QueuedMail,
    now: Timestamp,
) -> worker::Result<bool> {
    if let Some(why) = &mail.unreadable {
        // its key left the ring: no retry can help, and nothing readable may be sent
        worker::console_error!("mail {} not sent: {why}", mail.id);
        store.mark_mail_attempt_failed(&mail.id, why, None).await?;
        return Ok(false);
    }
    match mailer.send(mail).await {
        Ok(()) => {
            store
                .mark_mail_sent(&mail.id, now, mailer.keeps_body())
                .await?;
            Ok(true)
        }
        Err(error) => {
            let attempts = mail.attempts + 1;
            let retry_at = (attempts < MAX_ATTEMPTS)
                .then(|| Timestamp(now.0 + 60_000 * (1 << (attempts - 1))));
            // the error text comes from the provider and never contains the mail body
            worker::console_warn!("mail {} attempt {attempts} failed: {error}", mail.id);
            store
                .mark_mail_attempt_failed(&mail.id, &error, retry_at)
                .await?;
            Ok(false)
        }
    }
}

/// [`deliver_now`] for each mail, in turn.
pub async fn deliver_in_turn(env: Env, config: Config, ids: Vec<String>, now: Timestamp) {
    for id in ids {
        deliver_now(env.clone(), config.clone(), id, now).await;
    }
}

/// Delivers one mail right after the change that queued it (the request's `wait_until`).
pub async fn deliver_now(env: Env, config: Config, id: String, now: Timestamp) {
    let result: worker::Result<()> = async {
        let store = Store::open_primary(&env)?;
        let mailer = Mailer::from_env(&env, &config).map_err(worker::Error::RustError)?;
        let lease_until = Timestamp(now.0 + LEASE_MS);
        if let Some(mail) = store.claim_mail(&id, now, lease_until).await? {
            deliver(&store, &mailer, &mail, now).await?;
        }
        Ok(())
    }
    .await;
    if let Err(e) = result {
        worker::console_error!("immediate delivery of {id} failed; cron will retry: {e}");
    }
}
