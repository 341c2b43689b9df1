//! `/api/clients`: the company's client tree, one client, creating, renaming, moving, marking as
//! sender, (de)activating, and the per-client settings with their inheritance.

use std::collections::HashMap;

use domain::access::{authorize, member_scope, Scope, Target};
use domain::api::{
    ClientDetail, ClientNode, ClientTree, CreateClientRequest, ErrorCode, SettingsView,
    UpdateClientRequest,
};
use domain::ids::{ClientId, ClientKey};
use domain::settings::{resolve, SettingError, SettingsOverrides};
use domain::tree::TreeError;
use domain::values::ClientName;
use domain::{BuiltinRole, Permission};
use worker::{Request, Response};

use super::{audited, Cx};
use crate::auth::{self, Caller};
use crate::error::Failure;
use crate::http;
use crate::random;
use crate::store::clients::NewClient;
use crate::store::clients::{is_last_admin_lockout, is_move_conflict};
use crate::store::is_unique_violation;

/// `GET /api/clients`: the clients the caller may access, depth first, siblings by name.
pub async fn tree(cx: &Cx, caller: Caller) -> Result<Response, Failure> {
    let all = cx
        .store
        .company_clients(&member_scope(&caller.principal))
        .await?;
    let clients = depth_first(all)
        .into_iter()
        .filter(|c| caller.principal.can_access(&c.path))
        .collect();
    http::json(200, &ClientTree { clients })
}

/// Orders clients depth first with siblings by name (case-insensitive), from any order.
pub fn depth_first(mut clients: Vec<ClientNode>) -> Vec<ClientNode> {
    clients.sort_by_cached_key(|c| c.name.to_lowercase());
    let mut children: HashMap<Option<ClientKey>, Vec<usize>> = HashMap::new();
    for (i, c) in clients.iter().enumerate() {
        children.entry(c.path.parent()).or_default().push(i);
    }
    let mut order = Vec::with_capacity(clients.len());
    let mut stack: Vec<usize> = children.get(&None).cloned().unwrap_or_default();
    stack.reverse();
    while let Some(i) = stack.pop() {
        order.push(i);
        if let Some(kids) = children.get(&Some(clients[i].key)) {
            stack.extend(kids.iter().rev());
        }
    }
    let mut slots: Vec<Option<ClientNode>> = clients.into_iter().map(Some).collect();
    order.into_iter().filter_map(|i| slots[i].take()).collect()
}

/// `GET /api/clients/{client}`: the client and what inviting into it proposes.
pub async fn show(cx: &Cx, (_, scope): (Caller, Scope)) -> Result<Response, Failure> {
    let client = node(cx, &scope).await?;
    let settings = resolve(&cx.store.settings_chain(&scope, &client.path).await?);
    let default_role = match settings.default_role.value {
        Some(role) => role,
        None => cx.store.builtin_role(&scope, BuiltinRole::User).await?.id,
    };
    http::json(
        200,
        &ClientDetail {
            client,
            username_format: settings.username_format.value,
            default_role,
        },
    )
}

async fn node(cx: &Cx, scope: &Scope) -> Result<ClientNode, Failure> {
    cx.store
        .client_node(scope)
        .await?
        .ok_or(Failure::code(ErrorCode::NotFound))
}

/// `POST /api/clients/{client}/children`: a new sub-client below this one.
pub async fn create_child(
    cx: &Cx,
    req: &mut Request,
    (caller, scope): (Caller, Scope),
) -> Result<Response, Failure> {
    let body: CreateClientRequest = http::read_json(req).await?;
    let name = ClientName::parse(&body.name).map_err(|e| Failure::value("name", e))?;
    let client_id = ClientId::parse(&body.client_id).map_err(|e| Failure::value("client_id", e))?;
    let parent = node(cx, &scope).await?;
    let key = ClientKey::from_random_bytes(random::bytes());
    let path = parent
        .path
        .child(key)
        .map_err(|_| Failure::field(ErrorCode::FieldInvalid, "parent"))?;
    let statements = vec![
        cx.store.insert_child_client(
            &scope,
            &NewClient {
                key,
                path: &path,
                client_id: client_id.as_str(),
                name: name.as_str(),
                is_sender: body.is_sender,
                now: cx.now,
            },
        )?,
        audited(cx, &caller, key, "client.created", None)?,
    ];
    if let Err(e) = cx.store.batch(statements).await {
        return Err(if is_unique_violation(&e, "clients.client_id") {
            Failure::field(ErrorCode::ClientIdTaken, "client_id")
        } else {
            e.into()
        });
    }
    let created = ClientNode {
        key,
        client_id: client_id.as_str().to_owned(),
        name: name.as_str().to_owned(),
        path,
        is_sender: body.is_sender,
        active: true,
    };
    http::json(201, &created)
}

/// `PATCH /api/clients/{client}`: rename, move, mark as sender, (de)activate.
pub async fn update(
    cx: &Cx,
    req: &mut Request,
    (caller, scope): (Caller, Scope),
) -> Result<Response, Failure> {
    let body: UpdateClientRequest = http::read_json(req).await?;
    let name = body
        .name
        .as_deref()
        .map(ClientName::parse)
        .transpose()
        .map_err(|e| Failure::value("name", e))?;
    let current = node(cx, &scope).await?;
    let is_company = current.path.parent().is_none();
    if is_company && (body.active == Some(false) || body.parent.is_some()) {
        return Err(Failure::code(ErrorCode::CompanyImmutable));
    }
    let mut statements = vec![cx.store.update_client(
        &scope,
        name.as_ref().map(ClientName::as_str),
        body.is_sender,
        body.active,
        cx.now,
    )?];
    let moves = body.parent.filter(|p| Some(*p) != current.path.parent());
    if let Some(parent) = moves {
        let parent_path = cx
            .store
            .client_path(parent)
            .await?
            .ok_or(Failure::field(ErrorCode::FieldInvalid, "parent"))?;
        // moving under a client needs the same right there
        authorize(
            &caller.principal,
            Permission::ManageClients,
            Target::Client(&parent_path),
        )
        .map_err(auth::refused)?;
        let to = current
            .path
            .moved_under(&parent_path)
            .map_err(|e| match e {
                TreeError::IntoOwnSubtree => {
                    Failure::field(ErrorCode::MoveIntoOwnSubtree, "parent")
                }
                TreeError::CompanyCannotMove => Failure::code(ErrorCode::CompanyImmutable),
                TreeError::OtherCompany => Failure::field(ErrorCode::NotFound, "parent"),
                TreeError::TooDeep => Failure::field(ErrorCode::FieldInvalid, "parent"),
            })?;
        statements.extend(cx.store.move_client(&scope, &current.path, &to, cx.now)?);
    }
    let action = match (body.active, moves.is_some()) {
        (Some(false), _) => "client.deactivated",
        (Some(true), _) if !current.active => "client.activated",
        (_, true) => "client.moved",
        _ => "client.changed",
    };
    statements.push(audited(cx, &caller, current.key, action, None)?);
    if let Err(e) = cx.store.batch(statements).await {
        // the client or its new parent moved meanwhile: the whole batch was rolled back
        return Err(if is_move_conflict(&e) {
            Failure::code(ErrorCode::Conflict)
        } else if is_last_admin_lockout(&e) {
            Failure::code(ErrorCode::LastAdmin)
        } else {
            e.into()
        });
    }
    http::json(200, &node(cx, &scope).await?)
}

/// `GET /api/clients/{client}/settings`.
pub async fn settings(cx: &Cx, (_, scope): (Caller, Scope)) -> Result<Response, Failure> {
    http::json(200, &settings_view(cx, &scope).await?)
}

async fn settings_view(cx: &Cx, scope: &Scope) -> Result<SettingsView, Failure> {
    let path = node(cx, scope).await?.path;
    let chain = cx.store.settings_chain(scope, &path).await?;
    let own = chain
        .last()
        .map(|l| l.overrides.clone())
        .unwrap_or_default();
    Ok(SettingsView {
        effective: resolve(&chain),
        own,
    })
}

/// `PUT /api/clients/{client}/settings`: the client's own overrides (`null` inherits).
pub async fn put_settings(
    cx: &Cx,
    req: &mut Request,
    (caller, scope): (Caller, Scope),
) -> Result<Response, Failure> {
    let body: SettingsOverrides = http::read_json(req).await?;
    body.check()
        .map_err(|e: SettingError| Failure::field(ErrorCode::FieldInvalid, e.field()))?;
    if let Some(role) = body.default_role {
        cx.store
            .role(&scope, role)
            .await?
            .ok_or(Failure::field(ErrorCode::FieldInvalid, "default_role"))?;
    }
    let key = scope.client();
    cx.store
        .batch(vec![
            cx.store.put_settings(&scope, &body, cx.now)?,
            audited(cx, &caller, key, "client.settings_changed", None)?,
        ])
        .await?;
    http::json(200, &settings_view(cx, &scope).await?)
}
