//! Two-factor authentication: the second step of a sign-in, and turning one's own second factor on
//! (a new secret, confirmed by its first code; ten recovery codes shown once) or off (password and
//! code again). Codes and recovery codes are each used by an atomic compare-and-swap, so neither
//! works twice, and wrong codes count against the same throttle as wrong passwords.

use domain::api::{
    ErrorCode, ReauthRequest, SecondFactorRequest, SecondFactorRequired, TwoFactorEnabled,
    TwoFactorEnrolment,
};
use domain::ids::AccountId;
use domain::password::Password;
use domain::throttle::Verdict;
use domain::totp::{RecoveryCode, SecondFactor, TotpSecret, RECOVERY_CODES};
use domain::{Token, Ttl};
use worker::{Request, Response};

use super::session::{limit_ip, signed_in};
use super::Cx;
use crate::auth::Caller;
use crate::error::Failure;
use crate::http::{self, cookie, CHALLENGE_COOKIE};
use crate::store::audit::AuditEvent;
use crate::store::Store;
use crate::{passwords, random};

/// How long the password step of a sign-in waits for its code.
const CHALLENGE_TTL: Ttl = Ttl(5 * 60);

/// After a right password on an account with a second factor: no session yet, the sign-in is
/// held for [`CHALLENGE_TTL`] in its own cookie. Answers 202.
pub async fn challenge(cx: &Cx, account: AccountId) -> Result<Response, Failure> {
    let token = Token::from_random_bytes(random::bytes());
    let expires_at = cx.now.plus(CHALLENGE_TTL);
    let primary = cx.store.primary(&cx.env)?;
    primary
        .batch(vec![primary.insert_challenge(
            &token.challenge_digest(),
            account,
            cx.now,
            expires_at,
        )?])
        .await?;
    let mut resp = http::json(
        202,
        &SecondFactorRequired {
            method: "totp".into(),
            expires_at,
        },
    )?;
    resp.headers_mut().set(
        "set-cookie",
        &http::challenge_cookie(token.expose(), CHALLENGE_TTL.0),
    )?;
    Ok(resp)
}

/// `POST /api/session/second-factor`: the code (or a recovery code) of the sign-in the challenge
/// cookie holds; a session on success.
pub async fn second_step(cx: &Cx, req: &mut Request) -> Result<Response, Failure> {
    let body: SecondFactorRequest = http::read_json(req).await?;
    limit_ip(cx, "second-factor").await?;
    let token = cookie(req, CHALLENGE_COOKIE)
        .and_then(|t| Token::parse(&t))
        .ok_or(Failure::code(ErrorCode::SignInExpired))?;
    let digest = token.challenge_digest();
    let primary = cx.store.primary(&cx.env)?;
    let (account, client) = primary
        .challenge_account(&digest, cx.now)
        .await?
        .ok_or(Failure::code(ErrorCode::SignInExpired))?;
    let who = (account, client.as_str());
    let key = throttle_key(account);
    throttled(cx, &primary, &key, who).await?;
    match use_factor(cx, &primary, account, &body.code).await? {
        Some(used) => {
            let mut statements = vec![
                primary.delete_challenge(&digest)?,
                primary.lost_swap_aborts()?,
            ];
            if used == Used::Recovery {
                statements.push(event(cx, &primary, who, "two_factor.recovery_code_used")?);
            }
            // the challenge is used once: a second request with it finds it gone
            if primary.batch(statements).await.is_err() {
                return Err(Failure::code(ErrorCode::SignInExpired));
            }
            clear_attempts(cx, &primary, account).await?;
            let mut resp = signed_in(cx, req, account, "session.signed_in").await?;
            resp.headers_mut()
                .append("set-cookie", &http::clear_challenge_cookie())?;
            Ok(resp)
        }
        None => {
            primary
                .batch(vec![event(
                    cx,
                    &primary,
                    who,
                    "session.second_factor_failed",
                )?])
                .await?;
            Err(Failure::field(ErrorCode::InvalidCode, "code"))
        }
    }
}

/// `POST /api/session/two-factor/enrolment`: a new secret for the caller's own account, after the
/// password again; it takes effect once its first code is confirmed.
pub async fn enrol(cx: &Cx, req: &mut Request, caller: Caller) -> Result<Response, Failure> {
    let body: ReauthRequest = http::read_json(req).await?;
    let account = caller.me.id;
    let client = caller.me.home_client.key.to_string();
    let primary = cx.store.primary(&cx.env)?;
    let row = reauthenticate(cx, &primary, (account, &client), &body).await?;
    if row.totp_secret.is_some() {
        return Err(Failure::code(ErrorCode::TwoFactorOn));
    }
    let secret = TotpSecret::from_random_bytes(random::bytes());
    primary
        .batch(vec![primary.set_pending_totp(
            account,
            &secret.to_base32(),
            cx.now,
        )?])
        .await?;
    let issuer = format!("Gatehouse {}", caller.me.home_client.name);
    let label = format!("{}@{}", caller.me.username, caller.me.home_client.client_id);
    let uri = secret.otpauth_uri(&issuer, &label);
    let qr = qrcode::QrCode::new(uri.as_bytes())
        .map_err(|e| Failure::Internal(format!("qr code: {e}")))?
        .render::<qrcode::render::svg::Color<'_>>()
        .min_dimensions(200, 200)
        .quiet_zone(true)
        .build();
    http::json(
        200,
        &TwoFactorEnrolment {
            key: secret.grouped(),
            otpauth_uri: uri,
            qr_svg: qr,
        },
    )
}

/// `POST /api/session/two-factor`: the first code from the app confirms the new secret; the
/// answer holds the ten recovery codes, this once.
pub async fn confirm(cx: &Cx, req: &mut Request, caller: Caller) -> Result<Response, Failure> {
    let body: SecondFactorRequest = http::read_json(req).await?;
    let account = caller.me.id;
    let client = caller.me.home_client.key.to_string();
    let who = (account, client.as_str());
    let primary = cx.store.primary(&cx.env)?;
    let row = primary
        .two_factor(account)
        .await?
        .ok_or(Failure::code(ErrorCode::Unauthenticated))?;
    if row.totp_secret.is_some() {
        return Err(Failure::code(ErrorCode::TwoFactorOn));
    }
    let pending = row
        .totp_pending
        .ok_or(Failure::code(ErrorCode::NoPendingEnrolment))?;
    // only a code that is checked counts against the throttle
    let key = throttle_key(account);
    throttled(cx, &primary, &key, who).await?;
    let secret = TotpSecret::from_base32(&pending)
        .ok_or(Failure::Internal("stored secret does not read back".into()))?;
    let step = secret
        .verify(&body.code, cx.now, None)
        .map_err(|_| Failure::field(ErrorCode::InvalidCode, "code"))?;
    clear_attempts(cx, &primary, account).await?;
    let codes: Vec<RecoveryCode> = (0..RECOVERY_CODES)
        .map(|_| RecoveryCode::from_random_bytes(random::bytes()))
        .collect();
    let digests: Vec<String> = codes.iter().map(RecoveryCode::digest).collect();
    let statements = primary.enable_totp_statements(account, &pending, step, &digests, cx.now)?;
    let rotated = changed(cx, &primary, &caller, statements, true).await?;
    let resp = http::json(
        200,
        &TwoFactorEnabled {
            recovery_codes: codes.iter().map(|c| c.as_str().to_owned()).collect(),
        },
    )?;
    with_session_cookie(resp, &rotated, &caller, cx)
}

/// The answer with the rotated session's cookie (same lifetime as before).
pub(super) fn with_session_cookie(
    mut resp: Response,
    token: &Token,
    caller: &Caller,
    cx: &Cx,
) -> Result<Response, Failure> {
    let left = (caller.expires_at.0 - cx.now.0).max(0) / 1000;
    resp.headers_mut()
        .set("set-cookie", &http::session_cookie(token.expose(), left))?;
    Ok(resp)
}

/// `POST /api/session/two-factor/disable`: two-factor sign-in off, after the password and a code
/// (or a recovery code) again.
pub async fn disable(cx: &Cx, req: &mut Request, caller: Caller) -> Result<Response, Failure> {
    let body: ReauthRequest = http::read_json(req).await?;
    let account = caller.me.id;
    let client = caller.me.home_client.key.to_string();
    let who = (account, client.as_str());
    let primary = cx.store.primary(&cx.env)?;
    // refused before the code is checked: a refusal must not use up a code or a recovery code
    let home = &caller.principal.home;
    let settings = primary.settings_in_force(home).await?;
    if settings.require_two_factor.value {
        return Err(Failure::code(ErrorCode::TwoFactorRequiredByClient));
    }
    let row = reauthenticate(cx, &primary, who, &body).await?;
    if row.totp_secret.is_none() {
        return Err(Failure::code(ErrorCode::TwoFactorOff));
    }
    let statements = primary.disable_totp_statements(account, cx.now)?;
    let rotated = changed(cx, &primary, &caller, statements, false).await?;
    with_session_cookie(http::no_content()?, &rotated, &caller, cx)
}

/// Two-factor sign-in on or off: the change's statements with its event, the person's notice
/// mail and this session under a new token (a change of what the session proves: a token seen
/// before it is worth nothing after), as one batch (a lost compare-and-swap answers 409), then
/// the mail goes out. Returns the session's new token.
async fn changed(
    cx: &Cx,
    primary: &Store,
    caller: &Caller,
    mut statements: Vec<crate::store::Stmt>,
    on: bool,
) -> Result<Token, Failure> {
    let rotated = Token::from_random_bytes(random::bytes());
    statements.push(primary.rotate_session(&caller.digest, &rotated.digest())?);
    if on {
        // the account's other sessions that were waiting to set it up would be stuck: they end
        statements.push(primary.end_enrolment_sessions(caller.me.id, &caller.digest)?);
    }
    let me = &caller.me;
    let client = me.home_client.key.to_string();
    let action = if on {
        "two_factor.enabled"
    } else {
        "two_factor.disabled"
    };
    statements.push(event(cx, primary, (me.id, &client), action)?);
    let content = domain::i18n::notice_mail(
        me.language,
        &me.first_name,
        &me.home_client.name,
        domain::i18n::Notice::TwoFactorChanged { on },
    );
    let mail_id = uuid::Builder::from_random_bytes(random::bytes())
        .into_uuid()
        .to_string();
    statements.push(primary.enqueue_mail(
        &mail_id,
        Some(&client),
        "two_factor_changed",
        &me.email,
        &content,
        cx.now,
    )?);
    primary
        .batch(statements)
        .await
        .map_err(|_| Failure::code(ErrorCode::Conflict))?;
    super::lifecycle::deliver(cx, vec![mail_id]);
    Ok(rotated)
}

/// Wrong codes and passwords of one account are counted as the password step counts them
/// (`domain::throttle`): five a window from one source lock out that source; fifty from every
/// source together lock out the account's code step; then 429 with the window's end in
/// `Retry-After`. So someone who knows the password cannot keep the owner out from one address.
fn throttle_key(account: AccountId) -> String {
    format!("second-factor:{account}")
}

async fn throttled(
    cx: &Cx,
    primary: &Store,
    key: &str,
    who: (AccountId, &str),
) -> Result<(), Failure> {
    let (verdict, first_refusal) = primary
        .count_attempt(key, cx.ip.as_deref(), false, cx.now)
        .await?;
    if let Verdict::Locked { until } = verdict {
        if first_refusal {
            primary
                .batch(vec![event(cx, primary, who, "session.sign_in_locked")?])
                .await?;
        }
        return Err(Failure::rate_limited((until.0 - cx.now.0) / 1000));
    }
    Ok(())
}

/// A right code or password: this source's and the account's counts start over.
async fn clear_attempts(cx: &Cx, primary: &Store, account: AccountId) -> Result<(), Failure> {
    Ok(primary
        .clear_attempts(&throttle_key(account), cx.ip.as_deref())
        .await?)
}

/// The caller's password again, and the code when two-factor sign-in is on; throttled like a
/// sign-in. The account's second factor as read.
pub(super) async fn reauthenticate(
    cx: &Cx,
    primary: &Store,
    who: (AccountId, &str),
    body: &ReauthRequest,
) -> Result<crate::store::two_factor::TwoFactorRow, Failure> {
    if body.password.is_empty() {
        return Err(Failure::field(ErrorCode::FieldMissing, "password"));
    }
    let account = who.0;
    let key = throttle_key(account);
    throttled(cx, primary, &key, who).await?;
    let row = primary
        .two_factor(account)
        .await?
        .ok_or(Failure::code(ErrorCode::Unauthenticated))?;
    let password = Password::new(&body.password);
    let ok = match row.password_hash.as_deref() {
        Some(phc) => passwords::verify(cx.config.argon2, &password, phc).ok,
        None => passwords::verify_nothing(cx.config.argon2, &password).ok,
    };
    if !ok {
        return Err(Failure::field(ErrorCode::InvalidCredentials, "password"));
    }
    if row.totp_secret.is_some() {
        let code = body.code.as_deref().unwrap_or_default();
        if code.trim().is_empty() {
            return Err(Failure::field(ErrorCode::FieldMissing, "code"));
        }
        if use_factor(cx, primary, account, code).await?.is_none() {
            return Err(Failure::field(ErrorCode::InvalidCode, "code"));
        }
    }
    clear_attempts(cx, primary, account).await?;
    Ok(row)
}

/// Which factor a sign-in used.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Used {
    Code,
    Recovery,
}

/// Uses `typed` if it is the account's code for a step not used before, or one of its unused
/// recovery codes; `None` otherwise (wrong, malformed, replayed or used).
async fn use_factor(
    cx: &Cx,
    store: &Store,
    account: AccountId,
    typed: &str,
) -> Result<Option<Used>, Failure> {
    let Some(row) = store.two_factor(account).await? else {
        return Ok(None);
    };
    let Some(secret) = row.totp_secret.as_deref().and_then(TotpSecret::from_base32) else {
        return Ok(None);
    };
    Ok(match SecondFactor::parse(typed) {
        None => None,
        Some(SecondFactor::Code(code)) => {
            let last = row.totp_last_step.map(|s| s.max(0) as u64);
            match secret.verify(&code, cx.now, last) {
                Ok(step) if store.use_totp_step(account, step).await? => Some(Used::Code),
                _ => None,
            }
        }
        Some(SecondFactor::Recovery(digest)) => store
            .use_recovery_code(account, &digest, cx.now)
            .await?
            .then_some(Used::Recovery),
    })
}

/// A security event of the account, in its own client's log.
pub(super) fn event(
    cx: &Cx,
    store: &Store,
    (account, client): (AccountId, &str),
    action: &str,
) -> worker::Result<crate::store::Stmt> {
    store.audit(&AuditEvent {
        id: random::bytes(),
        client: Some(client),
        actor: Some(account),
        action,
        subject: Some(account),
        ip: cx.ip.as_deref(),
        at: cx.now,
    })
}
