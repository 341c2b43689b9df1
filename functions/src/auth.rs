//! Who is asking: the session behind the cookie, and what their role permits. Deny by default.

use domain::api::ErrorCode;
use domain::{Permission, Timestamp, Token};
use worker::Request;

use crate::error::Failure;
use crate::http::{cookie, SESSION_COOKIE};
use crate::store::sessions::SessionAccount;
use crate::store::Store;

/// The signed-in account, or 401.
pub async fn signed_in(
    req: &Request,
    store: &Store,
    now: Timestamp,
) -> Result<SessionAccount, Failure> {
    let token = cookie(req, SESSION_COOKIE)
        .and_then(|t| Token::parse(&t))
        .ok_or(Failure::code(ErrorCode::Unauthenticated))?;
    store
        .session_account(&token.digest(), now)
        .await?
        .ok_or(Failure::code(ErrorCode::Unauthenticated))
}

/// The signed-in account if its role has the permission; 401 or 403 otherwise.
pub async fn permitted(
    req: &Request,
    store: &Store,
    now: Timestamp,
    permission: Permission,
) -> Result<SessionAccount, Failure> {
    let session = signed_in(req, store, now).await?;
    if session.me.role.can(permission) {
        Ok(session)
    } else {
        Err(Failure::code(ErrorCode::Forbidden))
    }
}
