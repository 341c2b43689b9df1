//! `/api/roles`: the company's roles; custom ones can be created, changed and deleted. Nobody
//! gives a role a permission they do not hold themselves.

use domain::access::{check_grant, GrantedAccess, Scope};
use domain::api::{ErrorCode, RoleList, RoleRequest, RoleView};
use domain::ids::RoleId;
use domain::{PermissionSet, RoleName};
use worker::{Request, Response};

use super::{audited, Cx};
use crate::auth::{self, Caller};
use crate::error::Failure;
use crate::store::audit::AuditEvent;
use crate::store::{is_unique_violation, returned_rows};
use crate::{http, random};

/// `GET /api/roles`.
pub async fn list(cx: &Cx, (_, scope): (Caller, Scope)) -> Result<Response, Failure> {
    let roles = cx.store.roles(&scope).await?;
    http::json(200, &RoleList { roles })
}

fn parse(caller: &Caller, body: &RoleRequest) -> Result<(RoleName, PermissionSet), Failure> {
    let name = RoleName::parse(&body.name).map_err(|e| Failure::value("name", e))?;
    check_grant(
        &caller.principal,
        body.permissions,
        &GrantedAccess::Only(&[]),
    )
    .map_err(auth::refused)?;
    Ok((name, body.permissions))
}

fn name_taken(e: worker::Error) -> Failure {
    if is_unique_violation(&e, "roles.company_id") {
        Failure::field(ErrorCode::RoleNameTaken, "name")
    } else {
        e.into()
    }
}

/// `POST /api/roles`.
pub async fn create(
    cx: &Cx,
    req: &mut Request,
    (caller, scope): (Caller, Scope),
) -> Result<Response, Failure> {
    let body: RoleRequest = http::read_json(req).await?;
    let (name, permissions) = parse(&caller, &body)?;
    let id = RoleId::from_random_bytes(random::bytes());
    cx.store
        .batch(vec![
            cx.store
                .insert_role(&scope, id, &name, permissions, cx.now)?,
            audited(cx, &caller, scope.company(), "role.created", None)?,
        ])
        .await
        .map_err(name_taken)?;
    http::json(
        201,
        &RoleView {
            id,
            name: name.as_str().to_owned(),
            builtin: None,
            permissions,
        },
    )
}

async fn existing(cx: &Cx, scope: &Scope, role: Option<RoleId>) -> Result<RoleView, Failure> {
    let role = role.ok_or(Failure::code(ErrorCode::NotFound))?;
    let view = cx
        .store
        .role(scope, role)
        .await?
        .ok_or(Failure::code(ErrorCode::NotFound))?;
    if view.builtin.is_some() {
        return Err(Failure::code(ErrorCode::BuiltinRole));
    }
    Ok(view)
}

/// `PUT /api/roles/{role}`.
pub async fn update(
    cx: &Cx,
    req: &mut Request,
    (caller, scope): (Caller, Scope),
    role: Option<RoleId>,
) -> Result<Response, Failure> {
    let current = existing(cx, &scope, role).await?;
    let body: RoleRequest = http::read_json(req).await?;
    let (name, permissions) = parse(&caller, &body)?;
    let results = cx
        .store
        .batch(vec![
            cx.store
                .update_role(&scope, current.id, &name, permissions, cx.now)?,
            audited(cx, &caller, scope.company(), "role.changed", None)?,
        ])
        .await
        .map_err(name_taken)?;
    if returned_rows(&results[0])? != 1 {
        return Err(Failure::code(ErrorCode::NotFound));
    }
    http::json(
        200,
        &RoleView {
            id: current.id,
            name: name.as_str().to_owned(),
            builtin: None,
            permissions,
        },
    )
}

/// `DELETE /api/roles/{role}`: only a custom role that no account holds and no client proposes.
pub async fn delete(
    cx: &Cx,
    (caller, scope): (Caller, Scope),
    role: Option<RoleId>,
) -> Result<Response, Failure> {
    let current = existing(cx, &scope, role).await?;
    let company = scope.company().to_string();
    let deleted = cx.store.audit_where(
        &AuditEvent {
            id: random::bytes(),
            client: Some(&company),
            actor: Some(caller.principal.account),
            action: "role.deleted",
            subject: None,
            ip: cx.ip.as_deref(),
            at: cx.now,
        },
        "NOT EXISTS (SELECT 1 FROM roles WHERE id = ?8)",
        &[crate::store::text(&current.id.to_string())],
    )?;
    let results = cx
        .store
        .batch(vec![cx.store.delete_role(&scope, current.id)?, deleted])
        .await?;
    if returned_rows(&results[0])? != 1 {
        return Err(Failure::code(ErrorCode::RoleInUse));
    }
    http::no_content()
}
