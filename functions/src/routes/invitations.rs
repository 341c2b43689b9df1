//! Invitations: invite into a client (account + access + invitation + mail in one batch), show a
//! link, accept it once.

use domain::access::{authorize_link, check_grant, ClientAccess, GrantedAccess, Scope};
use domain::api::{
    AcceptRequest, ErrorCode, InvitationView, InviteRequest, InviteResponse, LinkTokenRequest,
    UsernameSuggestion, UsernameSuggestionQuery,
};
use domain::i18n::{invitation_mail, Lang, Mail};
use domain::ids::{AccountId, ClientKey, InvitationId};
use domain::invitation::Invitation;
use domain::password::{Password, Personal};
use domain::settings::{resolve, EffectiveSettings};
use domain::values::{Email, PersonName, PersonalMessage, Username};
use domain::{BuiltinRole, PermissionSet, Token};
use worker::{Request, Response};

use super::lifecycle::{deliver, run_planned, Place, Planned, Target};
use super::session::{limit_ip, signed_in};
use super::users::resolve_access;
use super::Cx;
use crate::auth::{self, Caller};
use crate::error::Failure;
use crate::store::accounts::search_terms_of;
use crate::store::accounts::NewAccount;
use crate::store::audit::AuditEvent;
use crate::store::invitations::{AcceptedPerson, InvitationRecord, NewInvitation};
use crate::store::is_unique_violation;
use crate::{http, mail, passwords, random};

/// A validated invitation request.
struct NewInvite {
    first_name: PersonName,
    surname: PersonName,
    email: Email,
    /// Typed by the admin (kept as is), or `None` to propose one.
    username: Option<Username>,
    message: Option<PersonalMessage>,
    language: Option<Lang>,
    access: ClientAccess,
    extra_permissions: PermissionSet,
    default_client: Option<ClientKey>,
}

impl NewInvite {
    /// Parses every field, answering the first bad one by name (in the form's order).
    fn parse(body: &InviteRequest) -> Result<Self, Failure> {
        let username = match body
            .username
            .as_deref()
            .map(str::trim)
            .filter(|u| !u.is_empty())
        {
            Some(u) => Some(Username::parse(u).map_err(|e| Failure::value("username", e))?),
            None => None,
        };
        Ok(NewInvite {
            first_name: PersonName::parse(&body.first_name)
                .map_err(|e| Failure::value("first_name", e))?,
            surname: PersonName::parse(&body.surname).map_err(|e| Failure::value("surname", e))?,
            email: Email::parse(&body.email).map_err(|e| Failure::value("email", e))?,
            username,
            message: PersonalMessage::parse(body.message.as_deref().unwrap_or_default())
                .map_err(|e| Failure::value("message", e))?,
            language: body.language,
            access: body.access.clone().unwrap_or(ClientAccess::All),
            extra_permissions: body.extra_permissions,
            default_client: body.default_client,
        })
    }
}

/// What the target client contributes to an invitation.
struct Into_ {
    name: String,
    client_id: String,
    settings: EffectiveSettings,
    role: domain::api::RoleView,
}

/// Tries to write a proposed username this often: a concurrent invitation may take it between
/// our read and our write.
const PROPOSAL_ATTEMPTS: usize = 10;

/// `POST /api/clients/{client}/invitations`: invite a person into a sender client, with a role,
/// additional permissions and client access that the admin holds themselves.
pub async fn create(
    cx: &Cx,
    req: &mut Request,
    (caller, scope): (Caller, Scope),
) -> Result<Response, Failure> {
    let body: InviteRequest = http::read_json(req).await?;
    let invite = NewInvite::parse(&body)?;
    let client = cx
        .store
        .client_node(&scope)
        .await?
        .ok_or(Failure::code(ErrorCode::NotFound))?;
    if !client.is_sender {
        return Err(Failure::code(ErrorCode::ClientNotSender));
    }
    let settings = resolve(&cx.store.settings_chain(&scope, &client.path).await?);
    let role = match body.role.or(settings.default_role.value) {
        Some(id) => cx
            .store
            .role(&scope, id)
            .await?
            .ok_or(Failure::field(ErrorCode::FieldInvalid, "role"))?,
        None => cx.store.builtin_role(&scope, BuiltinRole::User).await?,
    };
    let listed = resolve_access(
        cx,
        &scope,
        &client.path,
        &invite.access,
        invite.default_client,
    )
    .await?;
    let granted = match &invite.access {
        ClientAccess::All => GrantedAccess::All { home: &client.path },
        ClientAccess::Only(_) => GrantedAccess::Only(&listed),
    };
    check_grant(
        &caller.principal,
        role.permissions.union(invite.extra_permissions),
        &granted,
    )
    .map_err(auth::refused)?;
    // an e-mail already in the client is refused by the unique index when the batch runs
    let into = Into_ {
        name: client.name,
        client_id: client.client_id,
        settings,
        role,
    };
    for attempt in 1..=PROPOSAL_ATTEMPTS {
        let username = match &invite.username {
            Some(typed) => typed.clone(),
            None => {
                // after a lost race, read what is taken where the race was decided
                let store = if attempt == 1 {
                    None
                } else {
                    Some(cx.store.primary(&cx.env)?)
                };
                first_free_username(
                    store.as_ref().unwrap_or(&cx.store),
                    &scope,
                    invite.first_name.as_str(),
                    invite.surname.as_str(),
                    into.settings.username_format.value,
                )
                .await?
                .ok_or(Failure::field(ErrorCode::UsernameTaken, "username"))?
            }
        };
        let written = write_invitation(cx, &caller, &scope, &invite, &username, &into).await;
        if let Err(Failure::Refused {
            code: ErrorCode::EmailTaken,
            ..
        }) = &written
        {
            // inviting again is a resend: the person not yet registered gets a new link
            return reinvite(cx, &caller, &scope, &invite.email).await;
        }
        match written {
            Err(Failure::Refused {
                code: ErrorCode::UsernameTaken,
                ..
            }) if invite.username.is_none() && attempt < PROPOSAL_ATTEMPTS => continue,
            result => return result,
        }
    }
    unreachable!("the last attempt returns")
}

/// The username an invitation would be given: the client's format applied to the names, with the
/// first free number when that is taken. `Err(FieldMissing)` when the names give no username.
async fn first_free_username(
    store: &crate::store::Store,
    scope: &Scope,
    first_name: &str,
    surname: &str,
    format: domain::values::UsernameFormat,
) -> Result<Option<Username>, Failure> {
    let base = Username::propose(first_name, surname, format)
        .ok_or(Failure::field(ErrorCode::FieldMissing, "username"))?;
    let taken = store.usernames_like(scope, &base).await?;
    Ok(base.first_free(&taken))
}

/// `GET /api/clients/{client}/username-suggestion?first_name=&surname=`: what the invite form
/// proposes while the admin types; `username: null` when the names give none yet.
pub async fn suggest_username(
    cx: &Cx,
    req: &Request,
    (_, scope): (Caller, Scope),
) -> Result<Response, Failure> {
    let mut query = UsernameSuggestionQuery::default();
    for (key, value) in req.url()?.query_pairs() {
        match key.as_ref() {
            "first_name" => query.first_name = value.chars().take(PersonName::MAX).collect(),
            "surname" => query.surname = value.chars().take(PersonName::MAX).collect(),
            _ => {}
        }
    }
    let client = cx
        .store
        .client_node(&scope)
        .await?
        .ok_or(Failure::code(ErrorCode::NotFound))?;
    let settings = resolve(&cx.store.settings_chain(&scope, &client.path).await?);
    let username = match first_free_username(
        &cx.store,
        &scope,
        &query.first_name,
        &query.surname,
        settings.username_format.value,
    )
    .await
    {
        Ok(u) => u,
        Err(Failure::Refused {
            code: ErrorCode::FieldMissing,
            ..
        }) => None,
        Err(e) => return Err(e),
    };
    http::json(
        200,
        &UsernameSuggestion {
            username: username.map(|u| u.as_str().to_owned()),
        },
    )
}

/// `POST /api/accounts/{account}/invitation`: a new link for an account that has not registered.
/// The old link dies at once and the validity restarts; decided by `domain::lifecycle` on the
/// state as read, and written as a compare-and-swap on that state, so a resend racing an accept
/// or another resend leaves exactly one pending link (the loser answers 409).
pub async fn resend(
    cx: &Cx,
    (caller, scope): (Caller, Scope),
    account: Option<AccountId>,
) -> Result<Response, Failure> {
    let account = account.ok_or(Failure::code(ErrorCode::NotFound))?;
    let (row, _) = resend_account(
        cx,
        &caller,
        &scope,
        account,
        domain::lifecycle::Action::Resend,
    )
    .await?;
    http::json(200, &row)
}

/// Resends the invitation of an account of the scope's client (see [`resend`]) and answers its
/// row as the list now shows it.
pub(super) async fn resend_account(
    cx: &Cx,
    caller: &Caller,
    scope: &Scope,
    account: AccountId,
    action: domain::lifecycle::Action,
) -> Result<(domain::api::UserRow, NewLink), Failure> {
    use domain::lifecycle::{Action, Lifecycle, Periods, Refusal};
    let basis = cx
        .store
        .resend_basis(scope, account)
        .await?
        .ok_or(Failure::code(ErrorCode::NotFound))?;
    let place = Place::of(cx, scope).await?;
    let periods = Periods::of(&place.settings);
    Lifecycle::from_stored(basis.status, basis.pending_expires_at, basis.deactivated_at)
        .apply(action, cx.now, periods)
        .map_err(|refusal| match refusal {
            Refusal::AlreadyAccepted => Failure::code(ErrorCode::AlreadyRegistered),
            _ => Failure::code(ErrorCode::Conflict),
        })?;
    let mut link = new_link(
        cx,
        caller,
        scope,
        account,
        &basis,
        &place.client_name,
        &place.client_id,
        periods,
        basis.pending_expires_at,
        action != Action::CopyLink,
    )?;
    // the state may change between our read and our write (accepted, resent, cancelled)
    run_planned(
        cx,
        Planned {
            statements: std::mem::take(&mut link.statements),
            swap: NewLink::SWAP,
            mails: link.mail_id.clone().into_iter().collect(),
        },
    )
    .await?;
    let row = cx
        .store
        .user_row(scope, account, cx.now)
        .await?
        .ok_or(Failure::code(ErrorCode::NotFound))?;
    Ok((row, link))
}

/// A new invitation link for an account that has none working (or whose link it replaces): the
/// statements that replace the pending link as a compare-and-swap on `seen` (the insert is their
/// second), the invitation mail (unless `mailed` is false: a link to copy) and the audit event.
pub(super) struct NewLink {
    /// Replace + insert (+ mail) + audit: the insert's `RETURNING` (at [`NewLink::SWAP`]) says
    /// the compare-and-swap happened.
    pub statements: Vec<crate::store::Stmt>,
    /// The queued mail, to deliver after the batch.
    pub mail_id: Option<String>,
    /// The accept link (the only copy of the token).
    pub link: String,
    /// When it stops working.
    pub expires_at: domain::Timestamp,
}

impl NewLink {
    /// Which statement's `RETURNING` says the link was replaced.
    pub const SWAP: usize = 1;
}

/// A resend's writes for a bulk action (the account as read, its client): new link, mail, event.
pub(super) fn resend_plan(
    cx: &Cx,
    caller: &Caller,
    scope: &Scope,
    t: &Target,
    message: Option<String>,
) -> Result<Planned, Failure> {
    let basis = t.basis.resend_basis(message);
    let link = new_link(
        cx,
        caller,
        scope,
        t.account,
        &basis,
        &t.place.client_name,
        &t.place.client_id,
        t.periods(),
        basis.pending_expires_at,
        true,
    )?;
    Ok(Planned {
        statements: link.statements,
        swap: NewLink::SWAP,
        mails: link.mail_id.into_iter().collect(),
    })
}

/// A cancel's writes: the pending link ends (a compare-and-swap on its expiry `seen`), the event.
pub(super) fn cancel_plan(
    cx: &Cx,
    caller: &Caller,
    scope: &Scope,
    account: AccountId,
    seen: Option<domain::Timestamp>,
) -> Result<Planned, Failure> {
    let seen = seen.ok_or(Failure::code(ErrorCode::NoPendingInvitation))?;
    let client_key = scope.client().to_string();
    Ok(Planned {
        statements: vec![
            cx.store.cancel_statement(account, seen, cx.now)?,
            cx.store.lost_swap_aborts()?,
            cx.store.audit_where(
                &AuditEvent {
                    id: random::bytes(),
                    client: Some(&client_key),
                    actor: Some(caller.me.id),
                    action: "invitation.cancelled",
                    subject: Some(account),
                    ip: cx.ip.as_deref(),
                    at: cx.now,
                },
                "EXISTS (SELECT 1 FROM invitations WHERE account_id = ?8 AND state = 'cancelled' AND ended_at = ?9)",
                &[
                    wasm_bindgen::JsValue::from_str(&account.to_string()),
                    wasm_bindgen::JsValue::from_f64(cx.now.0 as f64),
                ],
            )?,
        ],
        swap: 0,
        mails: vec![],
    })
}

#[allow(clippy::too_many_arguments)]
pub(super) fn new_link(
    cx: &Cx,
    caller: &Caller,
    scope: &Scope,
    account: AccountId,
    basis: &crate::store::invitations::ResendBasis,
    client_name: &str,
    client_id: &str,
    periods: domain::lifecycle::Periods,
    seen: Option<domain::Timestamp>,
    mailed: bool,
) -> Result<NewLink, Failure> {
    let email = Email::parse(&basis.email)
        .map_err(|_| Failure::Internal("stored e-mail does not parse".into()))?;
    let issued = Invitation::issue(
        InvitationId::from_random_bytes(random::bytes()),
        account,
        Token::from_random_bytes(random::bytes()),
        cx.now,
        periods.invitation,
    );
    let inviter = caller.me.full_name();
    let link = format!("{}/accept#{}", cx.link_origin()?, issued.token.expose());
    let client_key = scope.client().to_string();
    let invitation_id = issued.invitation.id.to_string();
    let mut statements = cx.store.resend_statements(
        scope,
        &NewInvitation {
            invitation: &issued.invitation,
            email: &email,
            invited_by: caller.me.id,
            message: basis.message.as_deref(),
            language: basis.language,
        },
        seen,
        cx.now,
    )?;
    let mail_id = if mailed {
        let content = invitation_mail(&Mail {
            lang: basis.language,
            first_name: &basis.first_name,
            invited_by: &inviter,
            client_name,
            client_id,
            username: &basis.username,
            link: &link,
            expires_at: issued.invitation.expires_at,
            message: basis.message.as_deref(),
        });
        let mail_id = uuid::Builder::from_random_bytes(random::bytes())
            .into_uuid()
            .to_string();
        statements.push(cx.store.enqueue_mail_if_invitation(
            &mail_id,
            Some(&client_key),
            "invitation",
            email.as_str(),
            &content,
            cx.now,
            &invitation_id,
        )?);
        Some(mail_id)
    } else {
        None
    };
    statements.push(cx.store.audit_detailed(
        &AuditEvent {
            id: random::bytes(),
            client: Some(&client_key),
            actor: Some(caller.me.id),
            action: if mailed {
                "invitation.resent"
            } else {
                "invitation.link_copied"
            },
            subject: Some(account),
            ip: cx.ip.as_deref(),
            at: cx.now,
        },
        cx.user_agent.as_deref(),
        None,
        "EXISTS (SELECT 1 FROM invitations WHERE id = ?8)",
        &[wasm_bindgen::JsValue::from_str(&invitation_id)],
    )?);
    Ok(NewLink {
        statements,
        mail_id,
        link,
        expires_at: issued.invitation.expires_at,
    })
}

/// An invitation to an address the client already has: a resend when that account has not
/// registered (200, `resent`), `email_taken` when it has.
async fn reinvite(
    cx: &Cx,
    caller: &Caller,
    scope: &Scope,
    email: &Email,
) -> Result<Response, Failure> {
    let account = cx
        .store
        .account_by_email(scope, email)
        .await?
        .ok_or(Failure::field(ErrorCode::EmailTaken, "email"))?;
    let user = match resend_account(
        cx,
        caller,
        scope,
        account,
        domain::lifecycle::Action::Resend,
    )
    .await
    {
        Ok((user, _)) => user,
        Err(Failure::Refused {
            code: ErrorCode::AlreadyRegistered,
            ..
        }) => return Err(Failure::field(ErrorCode::EmailTaken, "email")),
        Err(e) => return Err(e),
    };
    let expires_at = match user.badge {
        domain::Badge::Invited {
            expires_at: Some(at),
        } => at,
        _ => return Err(Failure::code(ErrorCode::Conflict)),
    };
    http::json(
        200,
        &InviteResponse {
            user,
            expires_at,
            resent: true,
        },
    )
}

/// `DELETE /api/accounts/{account}/invitation`: the pending link dies at once; the row shows
/// Cancelled (and Resend). A compare-and-swap on the link read: a cancel racing an accept leaves
/// exactly one of them done (the loser answers 409).
pub async fn cancel(
    cx: &Cx,
    (caller, scope): (Caller, Scope),
    account: Option<AccountId>,
) -> Result<Response, Failure> {
    use domain::lifecycle::{Action, Lifecycle, Periods, Refusal};
    let account = account.ok_or(Failure::code(ErrorCode::NotFound))?;
    let basis = cx
        .store
        .resend_basis(&scope, account)
        .await?
        .ok_or(Failure::code(ErrorCode::NotFound))?;
    Lifecycle::from_stored(basis.status, basis.pending_expires_at, basis.deactivated_at)
        .apply(Action::Cancel, cx.now, Periods::default())
        .map_err(|refusal| match refusal {
            Refusal::AlreadyAccepted => Failure::code(ErrorCode::AlreadyRegistered),
            Refusal::NoPendingLink => Failure::code(ErrorCode::NoPendingInvitation),
            _ => Failure::code(ErrorCode::Conflict),
        })?;
    run_planned(
        cx,
        cancel_plan(cx, &caller, &scope, account, basis.pending_expires_at)?,
    )
    .await?;
    let row = cx
        .store
        .user_row(&scope, account, cx.now)
        .await?
        .ok_or(Failure::code(ErrorCode::NotFound))?;
    http::json(200, &row)
}

/// Writes account, access list, invitation, mail and audit event as one batch and answers 201; a
/// unique index refusing the batch (a second admin inviting the same person at the same moment)
/// answers 409.
async fn write_invitation(
    cx: &Cx,
    admin: &Caller,
    scope: &Scope,
    invite: &NewInvite,
    username: &Username,
    into: &Into_,
) -> Result<Response, Failure> {
    let client = scope.client().to_string();
    let language = invite.language.unwrap_or(into.settings.language.value);
    let message = invite.message.as_ref().map(PersonalMessage::as_str);
    let account_id = AccountId::from_random_bytes(random::bytes());
    let issued = Invitation::issue(
        InvitationId::from_random_bytes(random::bytes()),
        account_id,
        Token::from_random_bytes(random::bytes()),
        cx.now,
        into.settings.invitation_ttl.value,
    );
    let inviter = admin.me.full_name();
    let link = format!("{}/accept#{}", cx.link_origin()?, issued.token.expose());
    let content = invitation_mail(&Mail {
        lang: language,
        first_name: invite.first_name.as_str(),
        invited_by: &inviter,
        client_name: &into.name,
        client_id: &into.client_id,
        username: username.as_str(),
        link: &link,
        expires_at: issued.invitation.expires_at,
        message,
    });
    let mail_id = uuid::Builder::from_random_bytes(random::bytes())
        .into_uuid()
        .to_string();
    let account = NewAccount {
        id: account_id,
        username,
        email: &invite.email,
        first_name: &invite.first_name,
        surname: &invite.surname,
        role: into.role.id,
        extra_permissions: invite.extra_permissions,
        access: &invite.access,
        default_client: invite.default_client,
        language: language.code(),
        now: cx.now,
    };
    let mut statements = cx.store.insert_invited_account(scope, &account)?;
    statements.extend([
        cx.store.insert_invitation(
            scope,
            &NewInvitation {
                invitation: &issued.invitation,
                email: &invite.email,
                invited_by: admin.me.id,
                message,
                language,
            },
        )?,
        cx.store.enqueue_mail(
            &mail_id,
            Some(&client),
            "invitation",
            invite.email.as_str(),
            &content,
            cx.now,
        )?,
        cx.store.audit(&AuditEvent {
            id: random::bytes(),
            client: Some(&client),
            actor: Some(admin.me.id),
            action: "invitation.created",
            subject: Some(account_id),
            ip: cx.ip.as_deref(),
            at: cx.now,
        })?,
    ]);
    if let Err(e) = cx.store.batch(statements).await {
        return Err(
            if is_unique_violation(&e, "accounts.email")
                || is_unique_violation(&e, "invitations.email")
            {
                Failure::field(ErrorCode::EmailTaken, "email")
            } else if is_unique_violation(&e, "accounts.username") {
                Failure::field(ErrorCode::UsernameTaken, "username")
            } else {
                e.into()
            },
        );
    }
    cx.ctx.wait_until(mail::deliver_now(
        cx.env.clone(),
        cx.config.clone(),
        mail_id,
        cx.now,
    ));
    let user = account.invited_row(&into.role, issued.invitation.expires_at)?;
    http::json(
        201,
        &InviteResponse {
            user,
            expires_at: issued.invitation.expires_at,
            resent: false,
        },
    )
}

/// `POST /api/invitations/new-link-request`: on a link that ran out, was cancelled or
/// replaced, the person asks the inviting admin for a new one. The admin is mailed at most once an
/// hour per account (the event is written only if none is that recent, and the mail only with the
/// event); the answer is 202 either way, and the IP's limit applies.
pub async fn request_new_link(cx: &Cx, req: &mut Request) -> Result<Response, Failure> {
    limit_ip(cx, "new-link").await?;
    let LinkTokenRequest { token } = http::read_json(req).await?;
    let (record, digest) = invitation_of(cx, &token).await?;
    match record.invitation.check_usable(cx.now) {
        // the link works: nothing to ask for
        Ok(_) => return Err(Failure::code(ErrorCode::Conflict)),
        Err(domain::invitation::InvitationError::AlreadyAccepted) => {
            return Err(Failure::code(ErrorCode::InvitationUsed))
        }
        Err(_) => {}
    }
    let basis = cx
        .store
        .new_link_basis(&digest)
        .await?
        .ok_or(Failure::code(ErrorCode::InvitationNotFound))?;
    match basis.status.as_str() {
        "invited" => {}
        "deactivated" => return Err(Failure::code(ErrorCode::LinkAccountDeactivated)),
        _ => return Err(Failure::code(ErrorCode::InvitationUsed)),
    }
    let account = record.invitation.account_id;
    let client_key = record.client_path.client().to_string();
    let e = AuditEvent {
        id: random::bytes(),
        client: Some(&client_key),
        actor: None,
        action: "invitation.new_link_requested",
        subject: Some(account),
        ip: cx.ip.as_deref(),
        at: cx.now,
    };
    let event_id = crate::store::audit::event_id(&e);
    let mut statements = vec![cx.store.audit_detailed(
        &e,
        cx.user_agent.as_deref(),
        None,
        "NOT EXISTS (SELECT 1 FROM audit_events WHERE subject_id = ?8 AND action = 'invitation.new_link_requested' AND created_at > ?9)",
        &[
            wasm_bindgen::JsValue::from_str(&account.to_string()),
            wasm_bindgen::JsValue::from_f64((cx.now.0 - NEW_LINK_EVERY_MS) as f64),
        ],
    )?];
    let mut mails = vec![];
    if let (Some(to), Some(first)) = (&basis.inviter_email, &basis.inviter_first_name) {
        let lang = basis
            .inviter_language
            .as_deref()
            .and_then(Lang::from_tag)
            .unwrap_or_default();
        let person = domain::values::full_name(&record.first_name, &record.surname);
        let link = format!("{}/accounts/{account}", cx.link_origin()?);
        let content = domain::i18n::notice_mail(
            lang,
            first,
            &record.client_name,
            domain::i18n::Notice::NewLinkRequested {
                person: &person,
                email: &record.email,
                link: &link,
            },
        );
        let mail_id = uuid::Builder::from_random_bytes(random::bytes())
            .into_uuid()
            .to_string();
        statements.push(cx.store.enqueue_mail_if_event(
            &mail_id,
            Some(&client_key),
            "new_link_requested",
            to,
            &content,
            cx.now,
            &event_id,
        )?);
        mails.push(mail_id);
    }
    cx.store.batch(statements).await?;
    deliver(cx, mails);
    http::accepted()
}

/// How often a person's "ask for a new link" reaches the admin.
const NEW_LINK_EVERY_MS: i64 = 3_600_000;

/// `POST /api/invitations/lookup`: what the accept page shows. Never changes anything: mail
/// scanners open every link.
pub async fn show(cx: &Cx, req: &mut Request) -> Result<Response, Failure> {
    let LinkTokenRequest { token } = http::read_json(req).await?;
    let (record, scope) = usable_invitation(cx, &token).await?;
    let settings = resolve(&cx.store.settings_chain(&scope, &record.client_path).await?);
    http::json(
        200,
        &InvitationView {
            expires_at: record.invitation.expires_at,
            first_name: record.first_name,
            surname: record.surname,
            email: record.email,
            username: record.username,
            client_id: record.client_id,
            client_name: record.client_name,
            invited_by: record.invited_by,
            message: record.message,
            language: record.language,
            password_policy: settings.password_policy(),
        },
    )
}

/// `POST /api/invitations/accept`: the link's token, names (maybe corrected) and a password that
/// meets the client's rules; exactly once, even when two requests race; signs the person in.
pub async fn accept(cx: &Cx, req: &mut Request) -> Result<Response, Failure> {
    limit_ip(cx, "accept").await?;
    let body: AcceptRequest = http::read_json(req).await?;
    let token = body.token.as_str();
    let (record, scope) = usable_invitation(cx, token).await?;
    let first_name =
        PersonName::parse(&body.first_name).map_err(|e| Failure::value("first_name", e))?;
    let surname = PersonName::parse(&body.surname).map_err(|e| Failure::value("surname", e))?;
    let password = Password::new(&body.password);
    let settings = resolve(&cx.store.settings_chain(&scope, &record.client_path).await?);
    let email = Email::parse(&record.email)
        .map_err(|_| Failure::Internal("stored e-mail does not parse".into()))?;
    passwords::check_new(
        &settings.password_policy(),
        &password,
        &body.password_confirmation,
        Personal {
            username: &record.username,
            email_local_part: email.local_part(),
            first_name: first_name.as_str(),
            surname: surname.as_str(),
        },
        ("password", "password_confirmation"),
    )?;
    let phc =
        passwords::hash(cx.config.argon2, &password, random::bytes()).map_err(Failure::Internal)?;
    let client = scope.client().to_string();
    let sort_name = domain::search::sort_name(first_name.as_str(), surname.as_str());
    let terms = search_terms_of(
        first_name.as_str(),
        surname.as_str(),
        &record.username,
        email.as_str(),
    );
    let won = cx
        .store
        .accept_invitation(
            &record.invitation,
            &AcceptedPerson {
                first_name: &first_name,
                surname: &surname,
                sort_name: &sort_name,
                search_terms: &terms,
            },
            &phc,
            &AuditEvent {
                id: random::bytes(),
                client: Some(&client),
                actor: Some(record.invitation.account_id),
                action: "invitation.accepted",
                subject: Some(record.invitation.account_id),
                ip: cx.ip.as_deref(),
                at: cx.now,
            },
            cx.now,
        )
        .await?;
    if !won {
        // someone else accepted (or cancelled) it between our read and our write: say what happened
        let now_record = usable_invitation(cx, token).await;
        return Err(now_record
            .err()
            .unwrap_or(Failure::code(ErrorCode::InvitationUsed)));
    }
    signed_in(cx, req, record.invitation.account_id, "session.signed_in").await
}

/// The invitation a link names, if it can still be used at `now`, with the scope the link grants;
/// a distinct error otherwise.
/// The invitation a link names, in whatever state, with its token's digest; a deleted account's
/// link says so (links follow the account).
async fn invitation_of(
    cx: &Cx,
    token: &str,
) -> Result<(InvitationRecord, domain::TokenDigest), Failure> {
    let token = Token::parse(token).ok_or(Failure::code(ErrorCode::InvitationNotFound))?;
    let digest = token.digest();
    match cx.store.invitation_by_digest(&digest).await? {
        Some(record) => Ok((record, digest)),
        None => Err(match cx.store.dead_link(&digest).await? {
            Some(_) => Failure::code(ErrorCode::LinkAccountDeleted),
            None => Failure::code(ErrorCode::InvitationNotFound),
        }),
    }
}

async fn usable_invitation(cx: &Cx, token: &str) -> Result<(InvitationRecord, Scope), Failure> {
    let (record, _) = invitation_of(cx, token).await?;
    let scope = authorize_link(&record.invitation, &record.client_path, cx.now)
        .map_err(|e| Failure::code(e.into()))?;
    Ok((record, scope))
}
