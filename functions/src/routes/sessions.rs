//! Sessions people can see and end: one's own (`/api/session/sessions`: "sign out this session",
//! "sign out everywhere else") and, for an admin, an account's (`/api/accounts/{account}/sessions`).
//! Ending is a delete on the primary: the next request of that session, in any region, finds no
//! session (sessions are always read on the primary).

use domain::access::Scope;
use domain::api::{EndSessionsRequest, EndedSessions, ErrorCode, SessionList};
use domain::ids::AccountId;
use worker::{Request, Response};

use super::Cx;
use crate::auth::Caller;
use crate::error::Failure;
use crate::http;
use crate::random;
use crate::store::audit::AuditEvent;
use crate::store::returned_rows;

/// `GET /api/session/sessions`.
pub async fn own(cx: &Cx, caller: Caller) -> Result<Response, Failure> {
    let sessions = cx
        .store
        .sessions_of(caller.me.id, Some(&caller.digest), cx.now)
        .await?;
    listed(cx, sessions, &caller.principal.home).await
}

/// The list with the limits a session of an account in `client` starts with now.
async fn listed(
    cx: &Cx,
    sessions: Vec<domain::api::SessionView>,
    client: &domain::ClientPath,
) -> Result<Response, Failure> {
    let settings = cx.store.settings_in_force(client).await?;
    http::json(
        200,
        &SessionList {
            sessions,
            idle_minutes: settings.session_idle_minutes.value,
            max_hours: settings.session_max_hours.value,
        },
    )
}

/// `POST /api/session/sessions/end`: one of one's sessions, or every other one (never this one:
/// that is signing out).
pub async fn end_own(cx: &Cx, req: &mut Request, caller: Caller) -> Result<Response, Failure> {
    let body: EndSessionsRequest = http::read_json(req).await?;
    let account = caller.me.id;
    let client = caller.me.home_client.key.to_string();
    end(cx, &caller, account, &client, body, true).await
}

/// `GET /api/accounts/{account}/sessions`.
pub async fn of_account(
    cx: &Cx,
    (_, scope): (Caller, Scope),
    account: Option<AccountId>,
) -> Result<Response, Failure> {
    let account = in_scope(cx, &scope, account).await?;
    let sessions = cx.store.sessions_of(account, None, cx.now).await?;
    let client = cx
        .store
        .account_client_path(account)
        .await?
        .ok_or(Failure::code(ErrorCode::NotFound))?;
    listed(cx, sessions, &client).await
}

/// `POST /api/accounts/{account}/sessions/end`: one of the account's sessions, or all of them.
pub async fn end_of_account(
    cx: &Cx,
    req: &mut Request,
    (caller, scope): (Caller, Scope),
    account: Option<AccountId>,
) -> Result<Response, Failure> {
    let body: EndSessionsRequest = http::read_json(req).await?;
    let account = in_scope(cx, &scope, account).await?;
    let client = scope.client().to_string();
    // the admin's own current session is kept when it is their own account
    let own = account == caller.me.id;
    end(cx, &caller, account, &client, body, own).await
}

async fn in_scope(
    cx: &Cx,
    scope: &Scope,
    account: Option<AccountId>,
) -> Result<AccountId, Failure> {
    let account = account.ok_or(Failure::code(ErrorCode::NotFound))?;
    cx.store
        .life_basis(scope, account)
        .await?
        .ok_or(Failure::code(ErrorCode::NotFound))?;
    Ok(account)
}

async fn end(
    cx: &Cx,
    caller: &Caller,
    account: AccountId,
    client: &str,
    body: EndSessionsRequest,
    keep_current: bool,
) -> Result<Response, Failure> {
    if body.session.is_none() && !body.others {
        return Err(Failure::field(ErrorCode::FieldMissing, "session"));
    }
    let keep = keep_current.then_some(&caller.digest);
    let primary = cx.store.primary(&cx.env)?;
    let mut statements = vec![
        primary.end_sessions(account, body.session, keep)?,
        primary.audit_where(
            &AuditEvent {
                id: random::bytes(),
                client: Some(client),
                actor: Some(caller.me.id),
                action: "session.ended",
                subject: Some(account),
                ip: cx.ip.as_deref(),
                at: cx.now,
            },
            "changes() > 0",
            &[],
        )?,
    ];
    if body.others {
        // "everywhere": a sign-in still waiting for its code ends too
        statements.push(primary.delete_challenges_of(account)?);
    }
    let results = primary.batch(statements).await?;
    let ended = returned_rows(&results[0])? as u32;
    if body.session.is_some() && ended == 0 {
        // not one of the account's live sessions (or the current one, which signing out ends)
        return Err(Failure::field(ErrorCode::NotFound, "session"));
    }
    http::json(200, &EndedSessions { ended })
}
