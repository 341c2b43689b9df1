//! The audit log as pages: a client's log with filters, and one account's history.

use domain::access::Scope;
use domain::api::{AuditPage, AuditQuery, ErrorCode};
use domain::ids::AccountId;
use worker::{Request, Response};

use super::Cx;
use crate::auth::Caller;
use crate::error::Failure;
use crate::http;
use crate::store::audit::AuditFilter;

/// A page's cursor: the last event's `created_at` and id.
fn parse_cursor(c: &str) -> Result<(i64, String), Failure> {
    let bad = || Failure::field(ErrorCode::FieldInvalid, "cursor");
    let (at, id) = c.split_once('.').ok_or_else(bad)?;
    if id.is_empty() || id.len() > 100 {
        return Err(bad());
    }
    Ok((at.parse().map_err(|_| bad())?, id.to_owned()))
}

fn audit_query(req: &Request) -> Result<AuditQuery, Failure> {
    let url = req.url()?;
    let mut q = AuditQuery::default();
    let invalid = |field| Failure::field(ErrorCode::FieldInvalid, field);
    for (key, value) in url.query_pairs() {
        if value.is_empty() {
            continue;
        }
        match key.as_ref() {
            "actor" => q.actor = Some(AccountId::parse(&value).ok_or(invalid("actor"))?),
            "account" => q.account = Some(AccountId::parse(&value).ok_or(invalid("account"))?),
            "action" if value.len() > 64 => {
                return Err(Failure::field(ErrorCode::FieldTooLong, "action"))
            }
            "action" => q.action = Some(value.into_owned()),
            "from" => q.from = Some(value.parse().map_err(|_| invalid("from"))?),
            "to" => q.to = Some(value.parse().map_err(|_| invalid("to"))?),
            "cursor" => q.cursor = Some(value.into_owned()),
            "limit" => q.limit = Some(value.parse().map_err(|_| invalid("limit"))?),
            _ => {}
        }
    }
    Ok(q)
}

async fn page(cx: &Cx, mut f: AuditFilter<'_>, q: &AuditQuery) -> Result<Response, Failure> {
    f.limit = q.limit.unwrap_or(50).clamp(1, 100);
    f.from = q.from;
    f.to = q.to;
    f.after = q.cursor.as_deref().map(parse_cursor).transpose()?;
    let mut events = cx.store.audit_page(&f).await?;
    let next_cursor = if events.len() > f.limit as usize {
        events.truncate(f.limit as usize);
        events.last().map(|e| format!("{}.{}", e.at.0, e.id))
    } else {
        None
    };
    http::json(
        200,
        &AuditPage {
            events,
            next_cursor,
        },
    )
}

/// `GET /api/clients/{client}/audit`.
pub async fn client_log(
    cx: &Cx,
    req: &Request,
    (_, scope): (Caller, Scope),
) -> Result<Response, Failure> {
    let q: AuditQuery = audit_query(req)?;
    let client = scope.client().to_string();
    let actor = q.actor.map(|a| a.to_string());
    let subject = q.account.map(|a| a.to_string());
    let f = AuditFilter {
        client: Some(&client),
        subject: subject.as_deref(),
        actor: actor.as_deref(),
        action: q.action.as_deref().filter(|a| !a.is_empty()),
        from: None,
        to: None,
        after: None,
        limit: 50,
    };
    page(cx, f, &q).await
}

/// `GET /api/accounts/{account}/audit`.
pub async fn account_history(
    cx: &Cx,
    req: &Request,
    _granted: (Caller, Scope),
    account: Option<AccountId>,
) -> Result<Response, Failure> {
    let account = account.ok_or(Failure::code(ErrorCode::NotFound))?;
    let q: AuditQuery = audit_query(req)?;
    let subject = account.to_string();
    let f = AuditFilter {
        client: None,
        subject: Some(&subject),
        actor: None,
        action: None,
        from: None,
        to: None,
        after: None,
        limit: 50,
    };
    page(cx, f, &q).await
}
