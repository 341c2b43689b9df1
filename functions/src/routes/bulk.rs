//! `POST /api/clients/{client}/bulk-actions`: one action over up to 1,000 accounts of a client,
//! listed or "everything matching this filter", with a result for every row.
//!
//! Each row goes through exactly what the single action does: `domain::lifecycle` decides on the
//! account as read, and the row's writes are the single action's plan (its compare-and-swap, its
//! audit event, its notice). Rows are written [`CHUNK`] plans to a batch, so 1,000 accounts are
//! about 20 D1 calls, far inside the 1,000 queries an invocation may make. When a batch is
//! refused (one row lost its compare-and-swap to another admin, or would remove the last admin),
//! that chunk's rows run one batch each, so only the row at fault is refused; at most
//! [`ALONE_BUDGET`] rows run alone per request, and any beyond are reported as `conflict` (try
//! again) rather than exceeding the invocation's limits.

use std::collections::{HashMap, HashSet};

use domain::access::{check_grant, GrantedAccess, Scope};
use domain::api::{
    BulkAction, BulkReport, BulkRequest, BulkRow, BulkSelection, ErrorCode, RoleView,
    UserListQuery, MAX_BULK, MAX_BULK_BODY_BYTES,
};
use domain::ids::{AccountId, RoleId};
use domain::lifecycle::Transition;
use domain::permissions::BuiltinRole;
use domain::tree::ClientPath;
use wasm_bindgen::JsValue;
use worker::{Request, Response};

use super::invitations::{cancel_plan, resend_plan};
use super::lifecycle::{
    activate_plan, deactivate_plan, delete_plan, deliver, run_planned, Place, Planned, Target,
};
use super::Cx;
use crate::auth::Caller;
use crate::error::Failure;
use crate::http;
use crate::store::returned_rows;

/// Rows per batch.
const CHUNK: usize = 50;

/// Most rows of one request that run in a batch of their own (after their chunk was refused).
const ALONE_BUDGET: usize = 200;

/// Most notice and invitation mails delivered while answering; the rest wait, queued, for the
/// cron's delivery (each delivery is a few D1 calls and a provider call of this invocation).
const INLINE_MAILS: usize = 100;

/// A row that may go ahead, with what was decided for it.
struct Ready {
    index: usize,
    target: Target,
    message: Option<String>,
    transition: Transition,
}

/// `POST /api/clients/{client}/bulk-actions`.
pub async fn run(
    cx: &Cx,
    req: &mut Request,
    (caller, scope): (Caller, Scope),
) -> Result<Response, Failure> {
    let body: BulkRequest = http::read_json_up_to(req, MAX_BULK_BODY_BYTES).await?;
    let action = body.action;
    let new_role = match action {
        BulkAction::ChangeRole => Some(NewRole::read(cx, &caller, &scope, body.role).await?),
        _ => None,
    };
    let ids = selected(cx, &scope, body.selection).await?;
    let place = Place::of(cx, &scope).await?;
    let mut bases: HashMap<AccountId, _> = cx
        .store
        .bulk_bases(&scope, &ids)
        .await?
        .into_iter()
        .map(|(id, basis, message)| (id, (basis, message)))
        .collect();
    // a role change grants the role's permissions wherever each account reaches
    let listed_access = match &new_role {
        Some(_) => {
            let by_list: Vec<AccountId> = bases
                .iter()
                .filter(|(_, (b, _))| !b.access_all)
                .map(|(id, _)| *id)
                .collect();
            cx.store.listed_access(&by_list).await?
        }
        None => HashMap::new(),
    };
    let mut rows: Vec<BulkRow> = Vec::with_capacity(ids.len());
    let mut ready = Vec::new();
    for (index, account) in ids.into_iter().enumerate() {
        let mut row = BulkRow {
            account,
            username: String::new(),
            name: String::new(),
            refused: None,
        };
        match bases.remove(&account) {
            // not in this client (or deleted, or another company's): as the single action answers
            None => row.refused = Some(ErrorCode::NotFound),
            Some((basis, message)) => {
                row.username.clone_from(&basis.username);
                row.name = format!("{} {}", basis.first_name, basis.surname);
                let target = Target {
                    account,
                    basis,
                    place: place.clone(),
                };
                if action.spares_own_account() && account == caller.me.id {
                    row.refused = Some(ErrorCode::OwnAccount);
                } else {
                    match target.decide(action.lifecycle(), cx.now) {
                        // already has the role: nothing to write, and done
                        Ok(_)
                            if new_role
                                .as_ref()
                                .is_some_and(|n| n.role.id == target.basis.role) => {}
                        Ok(_)
                            if new_role.as_ref().is_some_and(|n| {
                                !n.grantable(&caller, &target, listed_access.get(&account))
                            }) =>
                        {
                            row.refused = Some(ErrorCode::ExceedsOwnRights)
                        }
                        Ok(transition) => ready.push(Ready {
                            index,
                            target,
                            message,
                            transition,
                        }),
                        Err(Failure::Refused { code, .. }) => row.refused = Some(code),
                        Err(e) => return Err(e),
                    }
                }
            }
        }
        rows.push(row);
    }

    let mut mails = Vec::new();
    let mut alone = 0;
    for chunk in ready.chunks(CHUNK) {
        let mut statements = Vec::new();
        let mut swaps = Vec::with_capacity(chunk.len());
        let mut chunk_mails = Vec::with_capacity(chunk.len());
        for r in chunk {
            let p = plan(cx, &caller, &scope, action, new_role.as_ref(), r)?;
            swaps.push(statements.len() + p.swap);
            statements.extend(p.statements);
            chunk_mails.push(p.mails);
        }
        match cx.store.batch(statements).await {
            Ok(results) => {
                for ((r, swap), m) in chunk.iter().zip(swaps).zip(chunk_mails) {
                    if returned_rows(&results[swap])? == 1 {
                        mails.extend(m);
                    } else {
                        rows[r.index].refused = Some(ErrorCode::Conflict);
                    }
                }
            }
            // one row refused the whole batch: every row of the chunk on its own
            Err(_) => {
                for r in chunk {
                    if alone == ALONE_BUDGET {
                        rows[r.index].refused = Some(ErrorCode::Conflict);
                        continue;
                    }
                    alone += 1;
                    let mut p = plan(cx, &caller, &scope, action, new_role.as_ref(), r)?;
                    let m = std::mem::take(&mut p.mails);
                    match run_planned(cx, p).await {
                        Ok(()) => mails.extend(m),
                        Err(Failure::Refused { code, .. }) => rows[r.index].refused = Some(code),
                        Err(e) => return Err(e),
                    }
                }
            }
        }
    }
    // run_planned delivered the mails of the rows that ran alone; these are the batched rows'
    mails.truncate(INLINE_MAILS);
    deliver(cx, mails);

    let refused = rows.iter().filter(|r| r.refused.is_some()).count() as u32;
    http::json(
        200,
        &BulkReport {
            action,
            done: rows.len() as u32 - refused,
            refused,
            rows,
        },
    )
}

/// The accounts a selection names: listed ones once each, or those the list shows for the
/// filter; more than [`MAX_BULK`] answers `too_many_accounts`, none `field_missing`.
async fn selected(
    cx: &Cx,
    scope: &Scope,
    selection: BulkSelection,
) -> Result<Vec<AccountId>, Failure> {
    let ids = match selection {
        BulkSelection::Accounts(listed) => {
            let mut seen = HashSet::with_capacity(listed.len());
            let ids: Vec<AccountId> = listed.into_iter().filter(|id| seen.insert(*id)).collect();
            if ids.len() > MAX_BULK {
                return Err(Failure::code(ErrorCode::TooManyAccounts));
            }
            ids
        }
        BulkSelection::Matching(filter) => {
            if filter
                .q
                .as_deref()
                .is_some_and(|q| q.chars().count() > domain::search::MAX_QUERY)
            {
                return Err(Failure::field(ErrorCode::FieldTooLong, "q"));
            }
            let query = UserListQuery {
                status: filter.status,
                q: filter.q,
                ..UserListQuery::default()
            };
            let search = query.search();
            let (found, more) = cx
                .store
                .matching_ids(
                    scope,
                    query.status,
                    search.as_ref(),
                    query.order(),
                    MAX_BULK as u32,
                    cx.now,
                )
                .await?;
            if more {
                return Err(Failure::code(ErrorCode::TooManyAccounts));
            }
            let mut seen = HashSet::with_capacity(found.len());
            found
                .iter()
                .filter_map(|id| AccountId::parse(id))
                .filter(|id| seen.insert(*id))
                .collect()
        }
    };
    if ids.is_empty() {
        return Err(Failure::field(ErrorCode::FieldMissing, "selection"));
    }
    Ok(ids)
}

/// The role a `change_role` gives, checked once for the request.
struct NewRole {
    role: RoleView,
    is_admin: bool,
    admin_role: RoleId,
    /// Where accounts with access to every client below their own reach: the scope's client.
    home: ClientPath,
    /// Role names by id, for the audit event's before → after.
    names: HashMap<RoleId, String>,
}

impl NewRole {
    /// The request's role: `field_missing` without one, `field_invalid` if it is not one of the
    /// company's, `exceeds_own_rights` (for the whole request) if it holds a permission the admin
    /// does not.
    async fn read(
        cx: &Cx,
        caller: &Caller,
        scope: &Scope,
        role: Option<RoleId>,
    ) -> Result<Self, Failure> {
        let id = role.ok_or(Failure::field(ErrorCode::FieldMissing, "role"))?;
        let roles = cx.store.roles(scope).await?;
        let role = roles
            .iter()
            .find(|r| r.id == id)
            .cloned()
            .ok_or(Failure::field(ErrorCode::FieldInvalid, "role"))?;
        // the role alone, on no client yet (each row's reach is checked per row)
        check_grant(
            &caller.principal,
            role.permissions,
            &GrantedAccess::Only(&[]),
        )
        .map_err(crate::auth::refused)?;
        let admin_role = roles
            .iter()
            .find(|r| r.builtin == Some(BuiltinRole::Admin))
            .map(|r| r.id)
            .ok_or(Failure::code(ErrorCode::Internal))?;
        let home = cx
            .store
            .client_path(scope.client())
            .await?
            .ok_or(Failure::code(ErrorCode::NotFound))?;
        Ok(Self {
            is_admin: role.builtin == Some(BuiltinRole::Admin),
            role,
            admin_role,
            home,
            names: roles.into_iter().map(|r| (r.id, r.name)).collect(),
        })
    }

    /// Nobody grants more than they hold: the role's permissions with the account's additional
    /// ones, on every client the account reaches (as the single access change checks).
    fn grantable(&self, caller: &Caller, t: &Target, listed: Option<&Vec<ClientPath>>) -> bool {
        let access = if t.basis.access_all {
            GrantedAccess::All { home: &self.home }
        } else {
            GrantedAccess::Only(listed.map_or(&[][..], |l| l.as_slice()))
        };
        let permissions = self.role.permissions.union(t.basis.extra_permissions);
        check_grant(&caller.principal, permissions, &access).is_ok()
    }

    /// The role change's writes: the swap on the role read, the event with before → after.
    fn plan(
        &self,
        cx: &Cx,
        caller: &Caller,
        scope: &Scope,
        t: &Target,
    ) -> Result<Planned, Failure> {
        let name = |id: &RoleId| self.names.get(id).cloned().unwrap_or_default();
        let detail =
            serde_json::json!({ "role": [name(&t.basis.role), self.role.name] }).to_string();
        let client = scope.client().to_string();
        let e = crate::store::audit::AuditEvent {
            id: crate::random::bytes(),
            client: Some(&client),
            actor: Some(caller.me.id),
            action: "account.access_changed",
            subject: Some(t.account),
            ip: cx.ip.as_deref(),
            at: cx.now,
        };
        Ok(Planned {
            statements: vec![
                cx.store.role_statement(
                    scope,
                    t.account,
                    t.basis.role,
                    t.basis.updated_at,
                    self.role.id,
                    self.is_admin,
                    self.admin_role,
                    cx.now,
                )?,
                cx.store.lost_swap_aborts()?,
                cx.store.audit_detailed(
                    &e,
                    cx.user_agent.as_deref(),
                    Some(&detail),
                    "EXISTS (SELECT 1 FROM accounts WHERE id = ?8 AND role_id = ?9 AND updated_at = ?10)",
                    &[
                        JsValue::from_str(&t.account.to_string()),
                        JsValue::from_str(&self.role.id.to_string()),
                        JsValue::from_f64(cx.now.0 as f64),
                    ],
                )?,
            ],
            swap: 0,
            mails: vec![],
        })
    }
}

/// The single action's writes for one row.
fn plan(
    cx: &Cx,
    caller: &Caller,
    scope: &Scope,
    action: BulkAction,
    new_role: Option<&NewRole>,
    r: &Ready,
) -> Result<Planned, Failure> {
    let t = &r.target;
    match action {
        BulkAction::ChangeRole => new_role
            .ok_or(Failure::code(ErrorCode::Internal))?
            .plan(cx, caller, scope, t),
        BulkAction::Resend => resend_plan(cx, caller, scope, t, r.message.clone()),
        BulkAction::Cancel => cancel_plan(cx, caller, scope, t.account, t.basis.pending_expires_at),
        BulkAction::Deactivate => deactivate_plan(cx, caller, scope, t),
        BulkAction::Activate => activate_plan(cx, caller, scope, t),
        BulkAction::Delete => delete_plan(cx, Some(caller), scope, t, &r.transition),
    }
}
