//! An account's life after the invitation: deactivate, activate, delete, recover (operator),
//! reset the account, reset the password, copy a fresh link. Each handler reads the account,
//! asks `domain::lifecycle` whether the action is allowed in that state, and writes the
//! transition as a compare-and-swap on the state it read: a concurrent opposite action makes the
//! later batch change nothing, and it answers 409.

use domain::access::{secret_scope, Scope};
use domain::api::{AccountView, CopiedLink, DeletedAccounts, ErrorCode, UpdateAccountRequest};
use domain::i18n::{notice_mail, security_report_mail, Notice, ReportLine};
use domain::ids::AccountId;
use domain::lifecycle::{Action, Lifecycle, Periods, Recovered, Transition};
use domain::settings::{resolve, EffectiveSettings};
use domain::values::{Email, PersonName, Username};
use domain::{ClientPath, Timestamp, Token};
use wasm_bindgen::JsValue;
use worker::{Request, Response};

use super::invitations::{new_link, resend_account};
use super::Cx;
use crate::auth::Caller;
use crate::error::Failure;
use crate::store::accounts::is_last_admin_refusal;
use crate::store::audit::{event_id, AuditEvent};
use crate::store::lifecycle::{swapped, LifeBasis};
use crate::store::resets::NewReset;
use crate::store::{is_unique_violation, returned_rows, Stmt};
use crate::{http, mail, random};

/// The account as read, its client and the client's effective settings.
pub(super) struct Target {
    pub account: AccountId,
    pub basis: LifeBasis,
    pub place: Place,
}

/// The client an action happens in: its name and client ID (for mails) and effective settings.
#[derive(Clone)]
pub(super) struct Place {
    pub client_name: String,
    pub client_id: String,
    pub settings: EffectiveSettings,
}

impl Place {
    /// The scope's client as an action needs it.
    pub async fn of(cx: &Cx, scope: &Scope) -> Result<Self, Failure> {
        let client = cx
            .store
            .client_node(scope)
            .await?
            .ok_or(Failure::code(ErrorCode::NotFound))?;
        let settings = resolve(&cx.store.settings_chain(scope, &client.path).await?);
        Ok(Self {
            client_name: client.name,
            client_id: client.client_id,
            settings,
        })
    }
}

impl Target {
    pub fn periods(&self) -> Periods {
        Periods::of(&self.place.settings)
    }

    /// What `action` does now, or the refusal as an answer.
    pub fn decide(&self, action: Action, now: Timestamp) -> Result<Transition, Failure> {
        self.basis
            .lifecycle()
            .apply(action, now, self.periods())
            .map_err(|r| Failure::code(r.into()))
    }
}

async fn target(cx: &Cx, scope: &Scope, account: Option<AccountId>) -> Result<Target, Failure> {
    let account = account.ok_or(Failure::code(ErrorCode::NotFound))?;
    let basis = cx
        .store
        .life_basis(scope, account)
        .await?
        .ok_or(Failure::code(ErrorCode::NotFound))?;
    Ok(Target {
        account,
        basis,
        place: Place::of(cx, scope).await?,
    })
}

/// One account's writes for an action: its batch's statements, which of them says by its
/// `RETURNING` that the compare-and-swap happened, and the mails to deliver once it did. A bulk
/// action runs many plans in one batch; a single action runs one with [`run_planned`].
pub(super) struct Planned {
    pub statements: Vec<Stmt>,
    pub swap: usize,
    pub mails: Vec<String>,
}

/// Runs one account's plan as its own batch and delivers its mails: a lost compare-and-swap (or
/// a concurrent new link) answers 409 `conflict`, the last-admin guard 409 `last_admin`.
pub(super) async fn run_planned(cx: &Cx, p: Planned) -> Result<(), Failure> {
    let results = match cx.store.batch(p.statements).await {
        Ok(r) => r,
        Err(e) if is_unique_violation(&e, "invitations.") => {
            return Err(Failure::code(ErrorCode::Conflict))
        }
        Err(e) => return Err(refused_batch(e)),
    };
    if returned_rows(&results[p.swap])? != 1 {
        return Err(Failure::code(ErrorCode::Conflict));
    }
    deliver(cx, p.mails);
    Ok(())
}

/// Admins act on others where `domain::lifecycle` says acting on oneself would lock one out.
fn not_own(caller: &Caller, account: AccountId, action: Action) -> Result<(), Failure> {
    if action.spares_own_account() && caller.me.id == account {
        Err(Failure::code(ErrorCode::OwnAccount))
    } else {
        Ok(())
    }
}

/// The audit event of an action by the caller, written only if `condition` holds after the
/// batch's compare-and-swap; with the event's id, to guard the notice mail on it.
#[allow(clippy::too_many_arguments)]
fn event(
    cx: &Cx,
    caller: Option<&Caller>,
    scope: &Scope,
    action: &'static str,
    account: AccountId,
    detail: Option<&str>,
    condition: &str,
    extra: &[JsValue],
) -> Result<(Stmt, String), Failure> {
    let client = scope.client().to_string();
    let e = AuditEvent {
        id: random::bytes(),
        client: Some(&client),
        actor: caller.map(|c| c.me.id),
        action,
        subject: Some(account),
        ip: cx.ip.as_deref(),
        at: cx.now,
    };
    let id = event_id(&e);
    let stmt = cx
        .store
        .audit_detailed(&e, cx.user_agent.as_deref(), detail, condition, extra)?;
    Ok((stmt, id))
}

/// A security notice to the account holder, queued only if the event `event_id` was written.
fn notice(
    cx: &Cx,
    scope: &Scope,
    t: &Target,
    to: &str,
    kind: &str,
    n: Notice<'_>,
    event_id: &str,
) -> Result<(Stmt, String), Failure> {
    let content = notice_mail(
        t.basis.language,
        &t.basis.first_name,
        &t.place.client_name,
        n,
    );
    let mail_id = uuid::Builder::from_random_bytes(random::bytes())
        .into_uuid()
        .to_string();
    let client = scope.client().to_string();
    let stmt = cx.store.enqueue_mail_if_event(
        &mail_id,
        Some(&client),
        kind,
        to,
        &content,
        cx.now,
        event_id,
    )?;
    Ok((stmt, mail_id))
}

/// Delivers queued mails after the answer (`wait_until`), one after another: a bulk action's
/// hundred notices must not reach D1 as a hundred requests at once.
pub(super) fn deliver(cx: &Cx, mail_ids: Vec<String>) {
    if mail_ids.is_empty() {
        return;
    }
    cx.ctx.wait_until(mail::deliver_in_turn(
        cx.env.clone(),
        cx.config.clone(),
        mail_ids,
        cx.now,
    ));
}

/// A batch failing on the last-admin guard answers 409 `last_admin`.
fn refused_batch(e: worker::Error) -> Failure {
    if is_last_admin_refusal(&e) {
        Failure::code(ErrorCode::LastAdmin)
    } else {
        e.into()
    }
}

async fn row_answer(cx: &Cx, scope: &Scope, account: AccountId) -> Result<Response, Failure> {
    let row = cx
        .store
        .user_row(scope, account, cx.now)
        .await?
        .ok_or(Failure::code(ErrorCode::NotFound))?;
    http::json(200, &row)
}

/// `POST /api/accounts/{account}/deactivate`: the account cannot sign in; every session ends
/// with this batch (and sessions are read on the primary, so in every region at once).
pub async fn deactivate(
    cx: &Cx,
    (caller, scope): (Caller, Scope),
    account: Option<AccountId>,
) -> Result<Response, Failure> {
    let t = target(cx, &scope, account).await?;
    not_own(&caller, t.account, Action::Deactivate)?;
    t.decide(Action::Deactivate, cx.now)?;
    run_planned(cx, deactivate_plan(cx, &caller, &scope, &t)?).await?;
    row_answer(cx, &scope, t.account).await
}

/// Deactivation's writes: the swap, sessions and reset links ended, the event, the notice.
pub(super) fn deactivate_plan(
    cx: &Cx,
    caller: &Caller,
    scope: &Scope,
    t: &Target,
) -> Result<Planned, Failure> {
    let mut statements = cx.store.deactivate_statements(scope, t.account, cx.now)?;
    let (audit, event_id) = event(
        cx,
        Some(caller),
        scope,
        "account.deactivated",
        t.account,
        None,
        "EXISTS (SELECT 1 FROM accounts WHERE id = ?8 AND status = 'deactivated' AND deactivated_at = ?9)",
        &[JsValue::from_str(&t.account.to_string()), JsValue::from_f64(cx.now.0 as f64)],
    )?;
    let (mail, mail_id) = notice(
        cx,
        scope,
        t,
        &t.basis.email,
        "account_deactivated",
        Notice::AccountDeactivated,
        &event_id,
    )?;
    statements.extend([audit, mail]);
    Ok(Planned {
        statements,
        swap: 0,
        mails: vec![mail_id],
    })
}

/// `POST /api/accounts/{account}/activate`: a deactivated account may sign in again.
pub async fn activate(
    cx: &Cx,
    (caller, scope): (Caller, Scope),
    account: Option<AccountId>,
) -> Result<Response, Failure> {
    let t = target(cx, &scope, account).await?;
    t.decide(Action::Activate, cx.now)?;
    run_planned(cx, activate_plan(cx, &caller, &scope, &t)?).await?;
    row_answer(cx, &scope, t.account).await
}

/// Activation's writes: the swap, the event, the notice.
pub(super) fn activate_plan(
    cx: &Cx,
    caller: &Caller,
    scope: &Scope,
    t: &Target,
) -> Result<Planned, Failure> {
    let (audit, event_id) = event(
        cx,
        Some(caller),
        scope,
        "account.activated",
        t.account,
        None,
        "EXISTS (SELECT 1 FROM accounts WHERE id = ?8 AND status = 'accepted' AND updated_at = ?9)",
        &[
            JsValue::from_str(&t.account.to_string()),
            JsValue::from_f64(cx.now.0 as f64),
        ],
    )?;
    let (mail, mail_id) = notice(
        cx,
        scope,
        t,
        &t.basis.email,
        "account_activated",
        Notice::AccountActivated,
        &event_id,
    )?;
    Ok(Planned {
        statements: vec![
            cx.store.activate_statement(scope, t.account, cx.now)?,
            cx.store.lost_swap_aborts()?,
            audit,
            mail,
        ],
        swap: 0,
        mails: vec![mail_id],
    })
}

/// `DELETE /api/accounts/{account}`: the account leaves every list and cannot sign in; its
/// sessions and links end. Kept for the recovery window (an operator can recover it), then purged.
pub async fn delete(
    cx: &Cx,
    (caller, scope): (Caller, Scope),
    account: Option<AccountId>,
) -> Result<Response, Failure> {
    let t = target(cx, &scope, account).await?;
    not_own(&caller, t.account, Action::Delete)?;
    let transition = t.decide(Action::Delete, cx.now)?;
    run_planned(cx, delete_plan(cx, Some(&caller), &scope, &t, &transition)?).await?;
    http::no_content()
}

/// Deletion's writes: the tombstone, the event, the row's removal (last: its `RETURNING` says
/// it happened).
pub(super) fn delete_plan(
    cx: &Cx,
    caller: Option<&Caller>,
    scope: &Scope,
    t: &Target,
    transition: &Transition,
) -> Result<Planned, Failure> {
    let (purge_at, was) = match transition.next {
        Some(Lifecycle::Deleted { purge_at, was, .. }) => (purge_at, was),
        _ => {
            return Err(Failure::Internal(
                "lifecycle: delete without a deleted state".into(),
            ))
        }
    };
    let mut statements = cx.store.delete_statements(
        scope.client(),
        t.account,
        t.basis.status,
        t.basis.pending_expires_at,
        was,
        caller.map(|c| c.me.id),
        cx.now,
        purge_at,
    )?;
    let (audit, _) = event(
        cx,
        caller,
        scope,
        "account.deleted",
        t.account,
        None,
        "EXISTS (SELECT 1 FROM deleted_accounts WHERE id = ?8 AND deleted_at = ?9)",
        &[
            JsValue::from_str(&t.account.to_string()),
            JsValue::from_f64(cx.now.0 as f64),
        ],
    )?;
    let last = statements.len() - 1;
    statements.insert(last, audit);
    Ok(Planned {
        swap: statements.len() - 1,
        statements,
        mails: vec![],
    })
}

/// `POST /api/accounts/{account}/reset`: a fresh start. A registered account goes back to
/// invited: its password is cleared, every session and reset link ends, and a new registration
/// e-mail goes out. For the never-registered (and the expired) it is a resend.
pub async fn reset_account(
    cx: &Cx,
    (caller, scope): (Caller, Scope),
    account: Option<AccountId>,
) -> Result<Response, Failure> {
    let t = target(cx, &scope, account).await?;
    not_own(&caller, t.account, Action::ResetAccount)?;
    let transition = t.decide(Action::ResetAccount, cx.now)?;
    if !transition.clears_credentials {
        let (row, _) = resend_account(cx, &caller, &scope, t.account, Action::ResetAccount).await?;
        return http::json(200, &row);
    }
    let basis = cx
        .store
        .resend_basis(&scope, t.account)
        .await?
        .ok_or(Failure::code(ErrorCode::NotFound))?;
    let mut statements = cx
        .store
        .reset_account_statements(&scope, t.account, cx.now)?;
    let link = new_link(
        cx,
        &caller,
        &scope,
        t.account,
        &basis,
        &t.place.client_name,
        &t.place.client_id,
        t.periods(),
        None,
        true,
    )?;
    statements.extend(link.statements);
    let (audit, _) = event(
        cx,
        Some(&caller),
        &scope,
        "account.reset",
        t.account,
        None,
        "EXISTS (SELECT 1 FROM accounts WHERE id = ?8 AND status = 'invited' AND updated_at = ?9)",
        &[
            JsValue::from_str(&t.account.to_string()),
            JsValue::from_f64(cx.now.0 as f64),
        ],
    )?;
    statements.push(audit);
    let results = match cx.store.batch(statements).await {
        Ok(r) => r,
        Err(e) if is_unique_violation(&e, "invitations.") => {
            return Err(Failure::code(ErrorCode::Conflict))
        }
        Err(e) => return Err(refused_batch(e)),
    };
    if returned_rows(&results[0])? != 1 {
        return Err(Failure::code(ErrorCode::Conflict));
    }
    deliver(cx, link.mail_id.into_iter().collect());
    row_answer(cx, &scope, t.account).await
}

/// `POST /api/accounts/{account}/password-reset`: mails the holder a reset link (valid for the
/// client's reset validity); a newer one replaces it. Sessions end when it is used.
pub async fn password_reset(
    cx: &Cx,
    (caller, scope): (Caller, Scope),
    account: Option<AccountId>,
) -> Result<Response, Failure> {
    let t = target(cx, &scope, account).await?;
    t.decide(Action::ResetPassword, cx.now)?;
    let mail_id = issue_reset(cx, Some(&caller), &scope, &t).await?;
    deliver(cx, vec![mail_id]);
    row_answer(cx, &scope, t.account).await
}

/// How far back a security report looks, and how many events it lists at most.
const REPORT_DAYS: u32 = 30;
const REPORT_EVENTS: u32 = 100;

/// `POST /api/accounts/{account}/security-report`: mails the holder the account's security events
/// of the last 30 days (sign-ins, failed sign-ins, password and account changes, with time,
/// client and IP); logged.
pub async fn security_report(
    cx: &Cx,
    (caller, scope): (Caller, Scope),
    account: Option<AccountId>,
) -> Result<Response, Failure> {
    let t = target(cx, &scope, account).await?;
    t.decide(Action::SecurityReport, cx.now)?;
    let since = Timestamp(cx.now.0 - i64::from(REPORT_DAYS) * 86_400_000);
    let events = cx
        .store
        .security_events(t.account, since, REPORT_EVENTS)
        .await?;
    let lines: Vec<ReportLine<'_>> = events
        .iter()
        .map(|e| ReportLine {
            at: Timestamp(e.created_at),
            action: &e.action,
            ip: e.ip.as_deref(),
        })
        .collect();
    let content = security_report_mail(
        t.basis.language,
        &t.basis.first_name,
        &t.place.client_name,
        REPORT_DAYS,
        &lines,
    );
    let (audit, event_id) = event(
        cx,
        Some(&caller),
        &scope,
        "account.security_report",
        t.account,
        None,
        "1",
        &[],
    )?;
    let mail_id = uuid::Builder::from_random_bytes(random::bytes())
        .into_uuid()
        .to_string();
    let client = scope.client().to_string();
    let mail = cx.store.enqueue_mail_if_event(
        &mail_id,
        Some(&client),
        "security_report",
        &t.basis.email,
        &content,
        cx.now,
        &event_id,
    )?;
    cx.store.batch(vec![audit, mail]).await?;
    deliver(cx, vec![mail_id]);
    row_answer(cx, &scope, t.account).await
}

/// Writes a new reset link for an accepted account with its mail and event; the mail's id.
async fn issue_reset(
    cx: &Cx,
    caller: Option<&Caller>,
    scope: &Scope,
    t: &Target,
) -> Result<String, Failure> {
    let token = Token::from_random_bytes(random::bytes());
    let reset_id = uuid::Builder::from_random_bytes(random::bytes())
        .into_uuid()
        .to_string();
    let expires_at = cx.now.plus(t.place.settings.reset_ttl.value);
    let mut statements = cx.store.reset_statements(&NewReset {
        id: &reset_id,
        account: t.account,
        digest: &token.reset_digest(),
        requested_by: caller.map(|c| c.me.id),
        now: cx.now,
        expires_at,
    })?;
    let (audit, event_id) = event(
        cx,
        caller,
        scope,
        if caller.is_some() {
            "password.reset_sent"
        } else {
            "password.reset_requested"
        },
        t.account,
        None,
        "EXISTS (SELECT 1 FROM password_resets WHERE id = ?8)",
        &[JsValue::from_str(&reset_id)],
    )?;
    let link = format!("{}/reset#{}", cx.link_origin()?, token.expose());
    let (mail, mail_id) = notice(
        cx,
        scope,
        t,
        &t.basis.email,
        "password_reset",
        Notice::PasswordResetLink {
            link: &link,
            expires_at,
        },
        &event_id,
    )?;
    statements.extend([audit, mail]);
    let results = cx.store.batch(statements).await?;
    if returned_rows(&results[1])? != 1 {
        return Err(Failure::code(ErrorCode::Conflict));
    }
    Ok(mail_id)
}

/// "Forgot password": the reset of the account a client ID and login name, with no caller.
pub async fn reset_for(cx: &Cx, account: AccountId, client: &ClientPath) -> Result<(), Failure> {
    let scope = secret_scope(client);
    let t = target(cx, &scope, Some(account)).await?;
    if t.decide(Action::ResetPassword, cx.now).is_err() {
        return Ok(());
    }
    let mail_id = issue_reset(cx, None, &scope, &t).await?;
    deliver(cx, vec![mail_id]);
    Ok(())
}

/// `POST /api/accounts/{account}/invitation-link`: a fresh invitation link shown once for copying
/// (companies without mail); the old link dies; logged, never mailed.
pub async fn copy_link(
    cx: &Cx,
    (caller, scope): (Caller, Scope),
    account: Option<AccountId>,
) -> Result<Response, Failure> {
    let account = account.ok_or(Failure::code(ErrorCode::NotFound))?;
    let (user, link) = resend_account(cx, &caller, &scope, account, Action::CopyLink).await?;
    http::json(
        200,
        &CopiedLink {
            link: link.link,
            expires_at: link.expires_at,
            user,
        },
    )
}

/// `GET /api/operator/deleted-accounts`.
pub async fn deleted_accounts(cx: &Cx) -> Result<Response, Failure> {
    // operator routes run on the primary (see `routes::handle`)
    http::json(
        200,
        &DeletedAccounts {
            accounts: cx.store.deleted_accounts(200).await?,
        },
    )
}

/// `POST /api/operator/accounts/{account}/recover`: back as it was (an account that never
/// registered comes back without a working link), within the recovery window.
pub async fn recover(cx: &Cx, account: Option<AccountId>) -> Result<Response, Failure> {
    let account = account.ok_or(Failure::code(ErrorCode::NotFound))?;
    let primary = &cx.store;
    let deleted = primary
        .deleted_account(account)
        .await?
        .ok_or(Failure::code(ErrorCode::NotFound))?;
    let was = match deleted.was.as_str() {
        "accepted" => Recovered::Accepted,
        "deactivated" => Recovered::Deactivated(Timestamp(0)),
        _ => Recovered::Unregistered,
    };
    Lifecycle::Deleted {
        since: deleted.deleted_at,
        purge_at: deleted.purge_at,
        was,
    }
    .apply(Action::Recover, cx.now, Periods::default())
    .map_err(|r| Failure::code(r.into()))?;
    let path = primary
        .client_path(deleted.client)
        .await?
        .ok_or(Failure::code(ErrorCode::NotFound))?;
    let scope = secret_scope(&path);
    let mut statements = primary.recover_statements(account, cx.now)?;
    let (audit, _) = event(
        cx,
        None,
        &scope,
        "account.recovered",
        account,
        None,
        "EXISTS (SELECT 1 FROM accounts WHERE id = ?8 AND updated_at = ?9)",
        &[
            JsValue::from_str(&account.to_string()),
            JsValue::from_f64(cx.now.0 as f64),
        ],
    )?;
    let last = statements.len() - 1;
    statements.insert(last, audit);
    let results = match primary.batch(statements).await {
        Ok(r) => r,
        Err(e) if is_unique_violation(&e, "accounts.username") => {
            return Err(Failure::field(ErrorCode::UsernameTaken, "username"))
        }
        Err(e) if is_unique_violation(&e, "accounts.email") => {
            return Err(Failure::field(ErrorCode::EmailTaken, "email"))
        }
        Err(e) => return Err(e.into()),
    };
    if !swapped(&results)? {
        return Err(Failure::code(ErrorCode::Conflict));
    }
    let view: AccountView = primary
        .account_view(&scope, account, cx.now)
        .await?
        .ok_or(Failure::code(ErrorCode::NotFound))?;
    http::json(200, &view)
}

/// `PATCH /api/accounts/{account}`: first name, surname, e-mail, username. A compare-and-swap on
/// the account's `updated_at`, so a concurrent edit answers 409 instead of being overwritten.
/// A new e-mail of a registered account notifies the old and the new address; an invited
/// account's invitation goes out again to the new address (the old link dies).
pub async fn edit(
    cx: &Cx,
    req: &mut Request,
    (caller, scope): (Caller, Scope),
    account: Option<AccountId>,
) -> Result<Response, Failure> {
    let t = target(cx, &scope, account).await?;
    t.decide(Action::Edit, cx.now)?;
    let body: UpdateAccountRequest = http::read_json(req).await?;
    apply_edit(cx, &caller, &scope, &t, &body).await?;
    let view = cx
        .store
        .account_view(&scope, t.account, cx.now)
        .await?
        .ok_or(Failure::code(ErrorCode::NotFound))?;
    http::json(200, &view)
}

/// The signed-in person changes their own e-mail address (after signing in again): the same
/// change as an admin's edit, so the old and the new address are told.
pub(super) async fn change_own_email(cx: &Cx, caller: &Caller, email: &str) -> Result<(), Failure> {
    let scope = domain::access::secret_scope(&caller.principal.home);
    let t = target(cx, &scope, Some(caller.me.id)).await?;
    t.decide(Action::Edit, cx.now)?;
    let body = UpdateAccountRequest {
        email: Some(email.to_owned()),
        ..UpdateAccountRequest::default()
    };
    apply_edit(cx, caller, &scope, &t, &body).await
}

/// An edit's change, its event and (for a changed address of a registered account) the notices
/// to the old and new address, as one compare-and-swap batch; an invited person's link goes out
/// again to a new address.
async fn apply_edit(
    cx: &Cx,
    caller: &Caller,
    scope: &Scope,
    t: &Target,
    body: &UpdateAccountRequest,
) -> Result<(), Failure> {
    let b = &t.basis;
    let first_name = match &body.first_name {
        Some(v) => PersonName::parse(v)
            .map_err(|e| Failure::value("first_name", e))?
            .as_str()
            .to_owned(),
        None => b.first_name.clone(),
    };
    let surname = match &body.surname {
        Some(v) => PersonName::parse(v)
            .map_err(|e| Failure::value("surname", e))?
            .as_str()
            .to_owned(),
        None => b.surname.clone(),
    };
    let email = match &body.email {
        Some(v) => Email::parse(v)
            .map_err(|e| Failure::value("email", e))?
            .as_str()
            .to_owned(),
        None => b.email.clone(),
    };
    let username = match &body.username {
        Some(v) => Username::parse(v)
            .map_err(|e| Failure::value("username", e))?
            .as_str()
            .to_owned(),
        None => b.username.clone(),
    };
    let mut changed = serde_json::Map::new();
    for (field, old, new) in [
        ("first_name", &b.first_name, &first_name),
        ("surname", &b.surname, &surname),
        ("email", &b.email, &email),
        ("username", &b.username, &username),
    ] {
        if old != new {
            changed.insert(field.into(), serde_json::json!([old, new]));
        }
    }
    if !changed.is_empty() {
        let email_changed = changed.contains_key("email");
        let detail = serde_json::Value::Object(changed).to_string();
        let mut statements = vec![
            cx.store.edit_statement(
                scope,
                t.account,
                b.updated_at,
                &crate::store::lifecycle::Edited {
                    first_name: &first_name,
                    surname: &surname,
                    email: &email,
                    username: &username,
                },
                cx.now,
            )?,
            cx.store.lost_swap_aborts()?,
        ];
        let (audit, event_id) = event(
            cx,
            Some(caller),
            scope,
            "account.edited",
            t.account,
            Some(&detail),
            "EXISTS (SELECT 1 FROM accounts WHERE id = ?8 AND updated_at = ?9)",
            &[
                JsValue::from_str(&t.account.to_string()),
                JsValue::from_f64(cx.now.0 as f64),
            ],
        )?;
        statements.push(audit);
        let mut mails = vec![];
        let registered = b.status != domain::AccountStatus::Invited;
        if email_changed && registered {
            for to in [&b.email, &email] {
                let (mail, id) = notice(
                    cx,
                    scope,
                    t,
                    to,
                    "email_changed",
                    Notice::EmailChanged {
                        old: &b.email,
                        new: &email,
                    },
                    &event_id,
                )?;
                statements.push(mail);
                mails.push(id);
            }
        }
        let results = match cx.store.batch(statements).await {
            Ok(r) => r,
            Err(e) if is_unique_violation(&e, "accounts.username") => {
                return Err(Failure::field(ErrorCode::UsernameTaken, "username"))
            }
            Err(e)
                if is_unique_violation(&e, "accounts.email")
                    || is_unique_violation(&e, "invitations.") =>
            {
                return Err(Failure::field(ErrorCode::EmailTaken, "email"))
            }
            Err(e) => return Err(e.into()),
        };
        if returned_rows(&results[0])? != 1 {
            return Err(Failure::code(ErrorCode::Conflict));
        }
        deliver(cx, mails);
        if email_changed && !registered {
            // the link went to the old address: a new one goes to the new address
            resend_account(cx, caller, scope, t.account, Action::Resend).await?;
        }
    }
    Ok(())
}
