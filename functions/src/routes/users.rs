//! `/api/clients/{client}/users` and `/api/accounts/{account}`: a client's accounts, newest
//! first, keyset paginated; one account with its role, permissions and client access.

use domain::access::{check_grant, check_keeps_an_admin, ClientAccess, GrantedAccess, Scope};
use domain::api::{AccessRequest, Cursor, ErrorCode, UserListQuery};
use domain::ids::AccountId;
use domain::{AccountStatus, BuiltinRole, ClientPath};
use worker::{Request, Response};

use super::{audited, Cx};
use crate::auth::{self, Caller};
use crate::error::Failure;
use crate::http;
use crate::store::accounts::{is_last_admin_refusal, AccessChange, MAX_ACCESS_LIST};

/// `GET /api/clients/{client}/users?status=&cursor=&limit=`.
pub async fn list(
    cx: &Cx,
    req: &Request,
    (_, scope): (Caller, Scope),
) -> Result<Response, Failure> {
    let query = parse_query(req)?;
    let cursor = match query.cursor.as_deref() {
        Some(text) => {
            Some(Cursor::decode(text).ok_or(Failure::field(ErrorCode::FieldInvalid, "cursor"))?)
        }
        None => None,
    };
    let page = cx
        .store
        .users_page(&scope, query.status, cursor, query.limit(), cx.now)
        .await?;
    http::json(200, &page)
}

/// `GET /api/accounts/{account}`.
pub async fn show(
    cx: &Cx,
    (_, scope): (Caller, Scope),
    account: Option<AccountId>,
) -> Result<Response, Failure> {
    let account = account.ok_or(Failure::code(ErrorCode::NotFound))?;
    let view = cx
        .store
        .account_view(&scope, account, cx.now)
        .await?
        .ok_or(Failure::code(ErrorCode::NotFound))?;
    http::json(200, &view)
}

/// Paths of the listed clients, each one of the scope's company, or `field` is invalid.
pub async fn listed_paths(
    cx: &Cx,
    scope: &Scope,
    access: &ClientAccess,
    field: &'static str,
) -> Result<Vec<ClientPath>, Failure> {
    let ClientAccess::Only(keys) = access else {
        return Ok(vec![]);
    };
    if keys.is_empty() {
        return Err(Failure::field(ErrorCode::FieldMissing, field));
    }
    if keys.len() > MAX_ACCESS_LIST {
        return Err(Failure::field(ErrorCode::FieldTooLong, field));
    }
    let mut paths = Vec::with_capacity(keys.len());
    for key in keys {
        let path = cx
            .store
            .client_path(*key)
            .await?
            .filter(|p| p.company_key() == scope.company())
            .ok_or(Failure::field(ErrorCode::FieldInvalid, field))?;
        paths.push(path);
    }
    Ok(paths)
}

/// The default client must be one the account will be able to access.
pub async fn check_default_client(
    cx: &Cx,
    home: &ClientPath,
    access: &ClientAccess,
    default: Option<domain::ClientKey>,
) -> Result<(), Failure> {
    let Some(key) = default else { return Ok(()) };
    let path = cx
        .store
        .client_path(key)
        .await?
        .ok_or(Failure::field(ErrorCode::FieldInvalid, "default_client"))?;
    let reachable = match access {
        ClientAccess::All => path.is_within(home),
        ClientAccess::Only(keys) => keys.contains(&key),
    };
    if reachable {
        Ok(())
    } else {
        Err(Failure::field(ErrorCode::FieldInvalid, "default_client"))
    }
}

/// `PUT /api/accounts/{account}/access`: role, additional permissions, client access, default
/// client. Nobody grants more than they hold; the company keeps an active admin.
pub async fn put_access(
    cx: &Cx,
    req: &mut Request,
    (caller, scope): (Caller, Scope),
    account: Option<AccountId>,
) -> Result<Response, Failure> {
    let account = account.ok_or(Failure::code(ErrorCode::NotFound))?;
    let body: AccessRequest = http::read_json(req).await?;
    let role = cx
        .store
        .role(&scope, body.role)
        .await?
        .ok_or(Failure::field(ErrorCode::FieldInvalid, "role"))?;
    let home = cx
        .store
        .client_path(scope.client())
        .await?
        .ok_or(Failure::code(ErrorCode::NotFound))?;
    let listed = listed_paths(cx, &scope, &body.access, "access").await?;
    let granted = match &body.access {
        ClientAccess::All => GrantedAccess::All { home: &home },
        ClientAccess::Only(_) => GrantedAccess::Only(&listed),
    };
    check_grant(
        &caller.principal,
        role.permissions.union(body.extra_permissions),
        &granted,
    )
    .map_err(auth::refused)?;
    check_default_client(cx, &home, &body.access, body.default_client).await?;
    let admin = cx.store.builtin_role(&scope, BuiltinRole::Admin).await?;
    let is_admin = role.builtin == Some(BuiltinRole::Admin);
    let (was_admin, others) = cx.store.admin_standing(&scope, account, admin.id).await?;
    check_keeps_an_admin(was_admin, is_admin, others).map_err(auth::refused)?;
    let mut statements = cx.store.access_statements(
        &scope,
        &AccessChange {
            account,
            role: role.id,
            role_is_admin: is_admin,
            admin_role: admin.id,
            extra_permissions: body.extra_permissions,
            access: &body.access,
            default_client: body.default_client,
            now: cx.now,
        },
    )?;
    statements.push(audited(
        cx,
        &caller,
        scope.client(),
        "account.access_changed",
        Some(account),
    )?);
    if let Err(e) = cx.store.batch(statements).await {
        // another admin's change won the race for the last admin role
        return Err(if is_last_admin_refusal(&e) {
            Failure::code(ErrorCode::LastAdmin)
        } else {
            e.into()
        });
    }
    let view = cx
        .store
        .account_view(&scope, account, cx.now)
        .await?
        .ok_or(Failure::code(ErrorCode::NotFound))?;
    http::json(200, &view)
}

fn parse_query(req: &Request) -> Result<UserListQuery, Failure> {
    let url = req.url()?;
    let mut query = UserListQuery::default();
    for (key, value) in url.query_pairs() {
        match key.as_ref() {
            "status" if value.is_empty() => {}
            "status" => {
                query.status = Some(
                    AccountStatus::parse(&value)
                        .ok_or(Failure::field(ErrorCode::FieldInvalid, "status"))?,
                )
            }
            "cursor" if !value.is_empty() => query.cursor = Some(value.into_owned()),
            "limit" => {
                query.limit = Some(
                    value
                        .parse()
                        .map_err(|_| Failure::field(ErrorCode::FieldInvalid, "limit"))?,
                )
            }
            _ => {}
        }
    }
    Ok(query)
}
