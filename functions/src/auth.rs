//! Who is asking: the session behind the cookie turned into a [`Principal`], once per request,
//! before any handler runs. Deny by default: a route's access rule is checked by the dispatcher
//! with `domain::access::authorize`, and only then does the handler get its `Scope`.

use domain::access::{Denied, Principal};
use domain::api::{ErrorCode, Me};
use domain::{Timestamp, Token, TokenDigest};
use worker::Request;

use crate::error::Failure;
use crate::http::{cookie, SESSION_COOKIE};
use crate::store::Store;

/// The signed-in caller of this request.
pub struct Caller {
    /// The session cookie's token digest (to change or end this session).
    pub digest: TokenDigest,
    /// What the caller may do where.
    pub principal: Principal,
    /// The account as the app sees it.
    pub me: Me,
    /// When the session ends at the latest.
    pub expires_at: Timestamp,
}

/// The signed-in caller, or 401.
pub async fn signed_in(req: &Request, store: &Store, now: Timestamp) -> Result<Caller, Failure> {
    let token = cookie(req, SESSION_COOKIE)
        .and_then(|t| Token::parse(&t))
        .ok_or(Failure::code(ErrorCode::Unauthenticated))?;
    let digest = token.digest();
    let session = store
        .session_account(&digest, now)
        .await?
        .ok_or(Failure::code(ErrorCode::Unauthenticated))?;
    // the idle timeout counts from the last use: written at most once a minute
    if domain::sessions::needs_touch(session.last_seen, now) {
        store.touch_session(&digest, now).await?;
    }
    Ok(Caller {
        digest,
        principal: session.principal,
        me: session.me,
        expires_at: session.expires_at,
    })
}

/// The caller, unless the session may only set up two-factor sign-in (its client requires it):
/// such a session reaches nothing but [`domain::routes::Access::Enrolling`] routes.
pub fn fully(caller: Caller) -> Result<Caller, Failure> {
    if caller.me.must_enrol_two_factor {
        Err(Failure::code(ErrorCode::TwoFactorSetupRequired))
    } else {
        Ok(caller)
    }
}

/// A refusal of `authorize` as an HTTP answer (another company's ids answer 404).
pub fn refused(d: Denied) -> Failure {
    Failure::code(d.into())
}

/// The operator's API: `Authorization: Bearer <OPERATOR_SECRET>`, compared in constant time; with
/// no secret configured every call is refused.
pub fn operator(req: &Request, env: &worker::Env) -> Result<(), Failure> {
    let refused = || Failure::code(ErrorCode::OperatorOnly);
    let secret = env
        .secret("OPERATOR_SECRET")
        .map(|s| s.to_string())
        .or_else(|_| env.var("OPERATOR_SECRET").map(|v| v.to_string()))
        .ok()
        .filter(|s| s.len() >= 16)
        .ok_or_else(refused)?;
    let given = req
        .headers()
        .get("authorization")
        .ok()
        .flatten()
        .and_then(|h| h.strip_prefix("Bearer ").map(str::to_owned))
        .ok_or_else(refused)?;
    if domain::token::same_secret(&given, &secret) {
        Ok(())
    } else {
        Err(refused())
    }
}
