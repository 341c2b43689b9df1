//! `/api/session`: sign in, who am I, switch the active client, sign out.

use domain::access::landing_client;
use domain::api::{ErrorCode, LoginRequest, SwitchClientRequest};
use domain::ids::{ClientId, SessionId};
use domain::password::Password;
use domain::values::Username;
use domain::Token;

use super::Cx;
use crate::auth::Caller;
use crate::error::Failure;
use crate::http::{self, cookie, DEVICE_COOKIE, SESSION_COOKIE};
use crate::store::audit::AuditEvent;
use crate::store::sessions::NewSession;
use crate::{passwords, random};
use domain::throttle::Verdict;
use worker::{Request, Response};

/// `GET /api/session`: the signed-in account, or 401.
pub fn current(caller: Caller) -> Result<Response, Failure> {
    http::json(200, &caller.me)
}

/// `PUT /api/session/client`: work in another client the account may access.
pub async fn switch_client(
    cx: &Cx,
    req: &mut Request,
    caller: Caller,
) -> Result<Response, Failure> {
    let body: SwitchClientRequest = http::read_json(req).await?;
    let path = cx
        .store
        .client_path(body.client)
        .await?
        .filter(|p| caller.principal.can_access(p))
        .ok_or(Failure::field(ErrorCode::OutsideAccess, "client"))?;
    cx.store
        .batch(vec![cx
            .store
            .set_active_client(&caller.digest, path.client())?])
        .await?;
    let me = cx
        .store
        .session_account(&caller.digest, cx.now)
        .await?
        .ok_or(Failure::code(ErrorCode::Unauthenticated))?
        .me;
    http::json(200, &me)
}

/// `POST /api/session`: client ID + username + password. Every failure answers the same
/// `invalid_credentials` after the same work, so the answer never tells whether an account exists.
pub async fn sign_in(cx: &Cx, req: &mut Request) -> Result<Response, Failure> {
    let body: LoginRequest = http::read_json(req).await?;
    let client_id = ClientId::parse(&body.client_id).map_err(|e| Failure::value("client_id", e))?;
    let username = Username::parse(&body.username).map_err(|e| Failure::value("username", e))?;
    if body.password.is_empty() {
        return Err(Failure::field(ErrorCode::FieldMissing, "password"));
    }
    limit_ip(cx, "sign-in").await?;
    // counted on the primary before the password is checked, so parallel guesses are each counted:
    // per source on this account key, and, unless this browser signed in to the account before,
    // with every other stranger's (domain::throttle)
    let primary = cx.store.primary(&cx.env)?;
    let key = format!("{client_id}:{username}");
    let known_browser = match cookie(req, DEVICE_COOKIE).and_then(|t| Token::parse(&t)) {
        Some(t) => {
            primary
                .known_device(&t.device_digest(), client_id.as_str(), username.as_str())
                .await?
        }
        None => false,
    };
    let (verdict, first_refusal) = primary
        .count_attempt(&key, cx.ip.as_deref(), known_browser, cx.now)
        .await?;
    if let Verdict::Locked { until } = verdict {
        if first_refusal {
            // the first refusal of a window is a security event; later ones would only add noise
            let candidate = cx
                .store
                .login_candidate(client_id.as_str(), username.as_str())
                .await?;
            let client = candidate.as_ref().map(|c| c.client.to_string());
            let locked = primary.audit(&AuditEvent {
                id: random::bytes(),
                client: client.as_deref(),
                actor: None,
                action: "session.sign_in_locked",
                subject: candidate.as_ref().map(|c| c.id),
                ip: cx.ip.as_deref(),
                at: cx.now,
            })?;
            primary.batch(vec![locked]).await?;
        }
        return Err(Failure::rate_limited((until.0 - cx.now.0) / 1000));
    }
    let password = Password::new(&body.password);
    // on the primary: whether the account has a second factor must never be read stale
    let candidate = primary
        .login_candidate(client_id.as_str(), username.as_str())
        .await?;
    let phc = candidate
        .as_ref()
        .filter(|c| c.may_sign_in)
        .and_then(|c| c.password_hash.clone());
    let verified = match phc.as_deref() {
        Some(phc) => passwords::verify(cx.config.argon2, &password, phc),
        None => passwords::verify_nothing(cx.config.argon2, &password),
    };
    let account = match candidate {
        Some(account) if verified.ok => account,
        other => {
            // the same one write whether or not the account exists, so timing tells nothing either
            let client = other.as_ref().map(|c| c.client.to_string());
            let failed = primary.audit(&AuditEvent {
                id: random::bytes(),
                client: client.as_deref(),
                actor: None,
                action: "session.sign_in_failed",
                subject: other.as_ref().map(|c| c.id),
                ip: cx.ip.as_deref(),
                at: cx.now,
            })?;
            primary.batch(vec![failed]).await?;
            return Err(Failure::code(ErrorCode::InvalidCredentials));
        }
    };
    primary.clear_attempts(&key, cx.ip.as_deref()).await?;
    if verified.needs_rehash {
        // the operator changed the parameters: the stored hash moves to them now
        let new_phc = passwords::hash(cx.config.argon2, &password, random::bytes())
            .map_err(Failure::Internal)?;
        let old = phc.as_deref().unwrap_or_default();
        let client = account.client.to_string();
        let event = AuditEvent {
            id: random::bytes(),
            client: Some(&client),
            actor: Some(account.id),
            action: "password.rehashed",
            subject: Some(account.id),
            ip: cx.ip.as_deref(),
            at: cx.now,
        };
        cx.store
            .rehash_password(account.id, old, &new_phc, &event)
            .await?;
    }
    if account.two_factor {
        // the password was right; the code comes next, and only then a session
        return super::two_factor::challenge(cx, account.id).await;
    }
    signed_in(cx, req, account.id, "session.signed_in").await
}

/// `DELETE /api/session`: ends this session.
pub async fn sign_out(cx: &Cx, req: &Request) -> Result<Response, Failure> {
    if let Some(token) = cookie(req, SESSION_COOKIE).and_then(|t| Token::parse(&t)) {
        let digest = token.digest();
        let mut statements = vec![cx.store.delete_session(&digest)?];
        if let Some(session) = cx.store.session_account(&digest, cx.now).await? {
            let client = session.me.home_client.key.to_string();
            statements.push(cx.store.audit(&AuditEvent {
                id: random::bytes(),
                client: Some(&client),
                actor: Some(session.me.id),
                action: "session.signed_out",
                subject: Some(session.me.id),
                ip: cx.ip.as_deref(),
                at: cx.now,
            })?);
        }
        cx.store.batch(statements).await?;
    }
    let mut resp = http::no_content()?;
    resp.headers_mut()
        .set("set-cookie", &http::clear_session_cookie())?;
    Ok(resp)
}

/// Starts a session for the account (with an audit event `action`) in the client it lands in
/// (its default client, else its home client, else its first listed client) and answers 200 with
/// the account, setting the session cookie. Sign-in and accepting an invitation both end here.
pub async fn signed_in(
    cx: &Cx,
    req: &Request,
    account: domain::AccountId,
    action: &str,
) -> Result<Response, Failure> {
    // on the primary: whether the account has a second factor and what its client requires
    // must never be read stale (a requirement just switched on applies to this very sign-in)
    let primary = cx.store.primary(&cx.env)?;
    let landing = primary
        .landing(account)
        .await?
        .ok_or(Failure::Internal("signed-in account not found".into()))?;
    // an account whose access list names no client cannot work anywhere: like a wrong password
    let active = landing_client(
        &landing.home,
        &landing.access,
        landing.default_client.as_ref(),
        landing.first_listed.as_ref(),
    )
    .ok_or(Failure::code(ErrorCode::InvalidCredentials))?;
    // the home client's sign-in settings: how long this session may last, and whether it may
    // only set up two-factor sign-in first
    let settings = primary.settings_in_force(&landing.home).await?;
    let limits = settings.session_limits();
    let token = Token::from_random_bytes(random::bytes());
    let user_agent = req.headers().get("user-agent").ok().flatten();
    let user_agent = user_agent.map(|ua| ua.chars().take(256).collect::<String>());
    let session = cx.store.insert_session(&NewSession {
        digest: &token.digest(),
        id: SessionId::from_random_bytes(random::bytes()),
        account,
        active_client: active.client(),
        now: cx.now,
        expires_at: cx.now.plus(limits.absolute),
        idle: limits.idle,
        enrol_only: settings.require_two_factor.value && !landing.two_factor,
        ip: cx.ip.as_deref(),
        user_agent: user_agent.as_deref(),
    })?;
    let home = landing.home.client().to_string();
    let audit = cx.store.audit(&AuditEvent {
        id: random::bytes(),
        client: Some(&home),
        actor: Some(account),
        action,
        subject: Some(account),
        ip: cx.ip.as_deref(),
        at: cx.now,
    })?;
    // the browser is known to the account from now on (a device cookie; see domain::throttle):
    // its cookie if it has one (one browser may know several accounts), else a new one
    let (device, new_device) = match cookie(req, DEVICE_COOKIE).and_then(|t| Token::parse(&t)) {
        Some(t) => (t, false),
        None => (Token::from_random_bytes(random::bytes()), true),
    };
    let statements = vec![
        session,
        audit,
        cx.store
            .insert_known_device(&device.device_digest(), account, cx.now)?,
    ];
    cx.store.batch(statements).await?;
    let me = cx
        .store
        .session_account(&token.digest(), cx.now)
        .await?
        .ok_or(Failure::Internal("new session not found".into()))?
        .me;
    let mut resp = http::json(200, &me)?;
    resp.headers_mut().set(
        "set-cookie",
        &http::session_cookie(token.expose(), limits.absolute.0),
    )?;
    if new_device {
        resp.headers_mut()
            .append("set-cookie", &http::device_cookie(device.expose()))?;
    }
    Ok(resp)
}

/// The rate-limit binding for unauthenticated, argon2-costly requests, keyed by purpose and IP.
const IP_LIMITER: &str = "IP_LIMITER";

/// Refuses a caller that sent too many costly requests of this purpose from its IP in the last
/// minute (a spray of one password over many names, or argon2 as a denial of service).
pub async fn limit_ip(cx: &Cx, purpose: &str) -> Result<(), Failure> {
    // never one shared bucket for every caller without an address: Cloudflare always sends
    // CF-Connecting-IP (so do wrangler dev and Miniflare, which is why no test reaches this), so
    // in production a request without one is refused; locally it is the loopback bucket
    let ip = match (cx.ip.as_deref(), cx.config.mode) {
        (Some(ip), _) => ip,
        (None, crate::config::Mode::Local) => "loopback",
        (None, crate::config::Mode::Production) => {
            return Err(Failure::code(ErrorCode::Forbidden));
        }
    };
    let outcome = cx
        .env
        .rate_limiter(IP_LIMITER)?
        .limit(format!("{purpose}:{ip}"))
        .await?;
    if outcome.success {
        Ok(())
    } else {
        Err(Failure::rate_limited(60))
    }
}
