//! `/api/clients/{client}/users` and `/api/accounts/{account}`: a client's accounts (search,
//! filters, sorts, keyset pages both ways, counts); one account with its role, permissions and client access.

use domain::access::{check_grant, check_keeps_an_admin, ClientAccess, GrantedAccess, Scope};
use domain::api::{AccessRequest, Cursor, ErrorCode, UserListQuery};
use domain::ids::AccountId;
use domain::list::{ListFilter, ListSort};
use domain::{BuiltinRole, ClientPath};
use worker::{Request, Response};

use super::{audited, Cx};
use crate::auth::{self, Caller};
use crate::error::Failure;
use crate::http;
use crate::store::accounts::{is_last_admin_refusal, AccessChange, MAX_ACCESS_LIST};
use crate::store::users_list::PageRequest;

/// `GET /api/clients/{client}/users?status=&q=&sort=&cursor=&limit=`.
pub async fn list(
    cx: &Cx,
    req: &Request,
    (_, scope): (Caller, Scope),
) -> Result<Response, Failure> {
    let query = parse_query(req)?;
    let order = query.order();
    let cursor = match query.cursor.as_deref() {
        Some(text) => Some(
            Cursor::decode(text)
                .filter(|c| c.fits(order))
                .ok_or(Failure::field(ErrorCode::FieldInvalid, "cursor"))?,
        ),
        None => None,
    };
    let search = query.search();
    let page = cx
        .store
        .users_page(
            &scope,
            PageRequest {
                filter: query.status,
                order,
                search: search.as_ref(),
                cursor,
                limit: query.limit(),
                now: cx.now,
            },
        )
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

/// An access choice checked against the store, in one D1 round trip: every listed client is one of
/// the company's (at least one, at most [`MAX_ACCESS_LIST`]), and the default client is one the
/// account will reach from `home`. Answers the listed clients' paths (empty for "all").
pub async fn resolve_access(
    cx: &Cx,
    scope: &Scope,
    home: &ClientPath,
    access: &ClientAccess,
    default: Option<domain::ClientKey>,
) -> Result<Vec<ClientPath>, Failure> {
    let listed: &[domain::ClientKey] = match access {
        ClientAccess::All => &[],
        ClientAccess::Only(keys) if keys.is_empty() => {
            return Err(Failure::field(ErrorCode::FieldMissing, "access"))
        }
        ClientAccess::Only(keys) if keys.len() > MAX_ACCESS_LIST => {
            return Err(Failure::field(ErrorCode::FieldTooLong, "access"))
        }
        ClientAccess::Only(keys) => keys,
    };
    let mut wanted = listed.to_vec();
    wanted.extend(default.filter(|d| !listed.contains(d)));
    let found = cx.store.client_paths(scope.company(), &wanted).await?;
    let path_of =
        |key: &domain::ClientKey| found.iter().find(|(k, _)| k == key).map(|(_, p)| p.clone());
    let paths = listed
        .iter()
        .map(|k| path_of(k).ok_or(Failure::field(ErrorCode::FieldInvalid, "access")))
        .collect::<Result<Vec<_>, _>>()?;
    if let Some(key) = default {
        if !path_of(&key).is_some_and(|p| access.reaches(home, &p)) {
            return Err(Failure::field(ErrorCode::FieldInvalid, "default_client"));
        }
    }
    Ok(paths)
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
    let listed = resolve_access(cx, &scope, &home, &body.access, body.default_client).await?;
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
            "status" => {
                query.status = ListFilter::parse(&value)
                    .ok_or(Failure::field(ErrorCode::FieldInvalid, "status"))?
            }
            "sort" if value.is_empty() => {}
            "sort" => {
                query.sort = ListSort::parse(&value)
                    .ok_or(Failure::field(ErrorCode::FieldInvalid, "sort"))?
            }
            "q" if value.chars().count() > domain::search::MAX_QUERY => {
                return Err(Failure::field(ErrorCode::FieldTooLong, "q"))
            }
            "q" => query.q = Some(value.into_owned()),
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
