//! Deployment settings from `wrangler.toml` vars and secrets, read once per request.

use domain::hashing::HashParams;
use domain::sealed::KeyRing;
use worker::Env;

/// Where this worker runs; local mode enables the dev outbox.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    /// `wrangler dev` on a developer's machine or in tests.
    Local,
    /// Anywhere else (the safe default).
    Production,
}

/// Which mailer delivers the outbox.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MailProvider {
    /// Keep mail in the outbox table and show it at `/dev/outbox` (local mode only).
    DevOutbox,
    /// Cloudflare Email Service through the `EMAIL` send_email binding.
    Cloudflare,
    /// Resend's HTTP API with the `RESEND_API_KEY` secret.
    Resend,
}

/// The settings a request needs.
#[derive(Debug, Clone)]
pub struct Config {
    /// Local or production.
    pub mode: Mode,
    /// How mail leaves.
    pub mail_provider: MailProvider,
    /// Sender address, e.g. `Gatehouse <no-reply@example.com>`.
    pub mail_from: String,
    /// The origin links in mail point to (`PUBLIC_ORIGIN`). Required outside local mode: no link
    /// is ever built from a request's `Host`; locally the request's own origin is used.
    pub public_origin: Option<String>,
    /// How long audit events (which hold IP addresses) are kept: `AUDIT_RETENTION_DAYS`, 365 by
    /// default, at least 30.
    pub audit_retention_days: u32,
    /// Argon2id's parameters for new hashes (`ARGON2_MEMORY_KIB`, `ARGON2_ITERATIONS`,
    /// `ARGON2_PARALLELISM`; OWASP's by default). Stored hashes with other parameters still verify
    /// and are replaced at the person's next sign-in.
    pub argon2: HashParams,
}

impl Config {
    /// Reads the vars; anything unknown falls back to the safe choice (production, no dev outbox).
    pub fn from_env(env: &Env) -> Self {
        let var = |name: &str| {
            env.var(name)
                .ok()
                .map(|v| v.to_string())
                .filter(|v| !v.is_empty())
        };
        let mode = match var("GATEHOUSE_MODE").as_deref() {
            Some("local") => Mode::Local,
            _ => Mode::Production,
        };
        let mail_provider = match var("MAIL_PROVIDER").as_deref() {
            Some("dev-outbox") if mode == Mode::Local => MailProvider::DevOutbox,
            Some("resend") => MailProvider::Resend,
            _ => MailProvider::Cloudflare,
        };
        Config {
            mode,
            mail_provider,
            mail_from: var("MAIL_FROM")
                .unwrap_or_else(|| "Gatehouse <no-reply@gatehouse.invalid>".into()),
            public_origin: var("PUBLIC_ORIGIN").map(|o| o.trim_end_matches('/').to_string()),
            audit_retention_days: var("AUDIT_RETENTION_DAYS")
                .and_then(|d| d.parse().ok())
                .map_or(365, |d: u32| d.max(30)),
            argon2: HashParams::from_settings(
                var("ARGON2_MEMORY_KIB").as_deref(),
                var("ARGON2_ITERATIONS").as_deref(),
                var("ARGON2_PARALLELISM").as_deref(),
            )
            .unwrap_or_else(|e| {
                worker::console_error!(
                    "ARGON2_* settings refused ({e:?}): hashing with OWASP's parameters instead"
                );
                HashParams::OWASP
            }),
        }
    }
}

/// Local mode's key ring when `MAIL_KEYS` is not set: a fixed development key, so queued mail is
/// sealed on a developer's machine and in tests exactly as in production. Never used outside local
/// mode.
const LOCAL_MAIL_KEYS: &str = "local:Z2F0ZWhvdXNlLWxvY2FsLWRldi1rZXktdW5zZWNyZXQ";

/// The key ring that seals queued mail bodies (`domain::sealed`): the `MAIL_KEYS` secret
/// (`id:base64key,…`, the first key seals, every key opens). `None` in production without one (no
/// mail with a link is queued then) or when it does not read (logged).
pub fn mail_keys(env: &Env) -> Option<KeyRing> {
    let secret = env
        .secret("MAIL_KEYS")
        .map(|s| s.to_string())
        .or_else(|_| env.var("MAIL_KEYS").map(|v| v.to_string()))
        .ok()
        .filter(|s| !s.trim().is_empty());
    let local = env
        .var("GATEHOUSE_MODE")
        .is_ok_and(|m| m.to_string() == "local");
    let text = match (secret, local) {
        (Some(text), _) => text,
        (None, true) => LOCAL_MAIL_KEYS.to_owned(),
        (None, false) => return None,
    };
    match KeyRing::parse(&text) {
        Ok(ring) => Some(ring),
        Err(e) => {
            worker::console_error!(
                "MAIL_KEYS does not read ({e:?}): no mail with a link is queued"
            );
            None
        }
    }
}
