//! `/api/invitations`: invite (account + invitation + mail in one batch), show a link, accept it once.

use domain::api::{
    AcceptRequest, ErrorCode, InvitationView, InviteRequest, InviteResponse, MAX_MESSAGE_CHARS,
};
use domain::i18n::{invitation_mail, Mail};
use domain::ids::{AccountId, InvitationId};
use domain::invitation::Invitation;
use domain::password::{Password, Personal};
use domain::values::{Email, PersonName, Username, ValueError};
use domain::{Permission, Role, Token};
use worker::{Request, Response};

use super::session::signed_in;
use super::Cx;
use crate::error::Failure;
use crate::store::accounts::NewAccount;
use crate::store::audit::AuditEvent;
use crate::store::invitations::{InvitationRecord, NewInvitation};
use crate::store::is_unique_violation;
use crate::{auth, http, mail, passwords, random};

/// Usernames tried with a numeric suffix before giving up on proposing one.
const MAX_USERNAME_SUFFIX: u32 = 1000;

/// `POST /api/invitations`: invite a person into the admin's own client.
pub async fn create(cx: &Cx, req: &mut Request) -> Result<Response, Failure> {
    let admin = auth::permitted(req, &cx.store, cx.now, Permission::ManageRolesAndRights).await?;
    let body: InviteRequest = http::read_json(req).await?;
    let first_name =
        PersonName::parse(&body.first_name).map_err(|e| Failure::value("first_name", e))?;
    let surname = PersonName::parse(&body.surname).map_err(|e| Failure::value("surname", e))?;
    let email = Email::parse(&body.email).map_err(|e| Failure::value("email", e))?;
    let requested_username = match body
        .username
        .as_deref()
        .map(str::trim)
        .filter(|u| !u.is_empty())
    {
        Some(u) => Some(Username::parse(u).map_err(|e| Failure::value("username", e))?),
        None => None,
    };
    let role = Role::parse(&body.role).ok_or(Failure::field(
        if body.role.is_empty() {
            ErrorCode::FieldMissing
        } else {
            ErrorCode::FieldInvalid
        },
        "role",
    ))?;
    let message = body
        .message
        .as_deref()
        .map(str::trim)
        .filter(|m| !m.is_empty());
    if message.is_some_and(|m| m.chars().count() > MAX_MESSAGE_CHARS) {
        return Err(Failure::value(
            "message",
            ValueError::TooLong {
                max: MAX_MESSAGE_CHARS,
            },
        ));
    }

    let client = admin.client_db_id.as_str();
    let settings = cx.store.client_settings(client).await?;
    if cx.store.email_taken(client, &email).await? {
        return Err(Failure::field(ErrorCode::EmailTaken, "email"));
    }
    let username = match requested_username {
        Some(u) => u,
        None => {
            let base = Username::propose(
                first_name.as_str(),
                surname.as_str(),
                settings.username_format,
            )
            .ok_or(Failure::field(ErrorCode::FieldMissing, "username"))?;
            let taken = cx.store.usernames_like(client, &base).await?;
            std::iter::once(base.clone())
                .chain((2..MAX_USERNAME_SUFFIX).map(|n| base.with_suffix(n)))
                .find(|u| !taken.iter().any(|t| t == u.as_str()))
                .ok_or(Failure::field(ErrorCode::UsernameTaken, "username"))?
        }
    };
    let language = body.language.unwrap_or(settings.language);

    let account_id = AccountId::from_random_bytes(random::bytes());
    let issued = Invitation::issue(
        InvitationId::from_random_bytes(random::bytes()),
        account_id,
        Token::from_random_bytes(random::bytes()),
        cx.now,
        settings.invitation_ttl,
    );
    let inviter = format!("{} {}", admin.me.first_name, admin.me.surname);
    let link = format!("{}/accept/{}", cx.public_origin(), issued.token.expose());
    let content = invitation_mail(&Mail {
        lang: language,
        first_name: first_name.as_str(),
        invited_by: &inviter,
        client_name: &admin.me.client.name,
        client_id: &admin.me.client.client_id,
        username: username.as_str(),
        link: &link,
        expires_at: issued.invitation.expires_at,
        message,
    });
    let mail_id = uuid::Builder::from_random_bytes(random::bytes())
        .into_uuid()
        .to_string();
    let statements = vec![
        cx.store.insert_invited_account(&NewAccount {
            id: account_id,
            client_db_id: client,
            username: &username,
            email: &email,
            first_name: &first_name,
            surname: &surname,
            role,
            language: language.code(),
            now: cx.now,
        })?,
        cx.store.insert_invitation(&NewInvitation {
            invitation: &issued.invitation,
            client_db_id: client,
            email: &email,
            invited_by: admin.me.id,
            message,
            language,
        })?,
        cx.store.enqueue_mail(
            &mail_id,
            Some(client),
            "invitation",
            email.as_str(),
            &content,
            cx.now,
        )?,
        cx.store.audit(&AuditEvent {
            id: random::bytes(),
            client: Some(client),
            actor: Some(admin.me.id),
            action: "invitation.created",
            subject: Some(account_id),
            ip: cx.ip.as_deref(),
            at: cx.now,
        })?,
    ];
    // a second admin inviting the same person at the same moment loses here, on the unique indexes
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

    let user = cx
        .store
        .user_row(account_id, cx.now)
        .await?
        .ok_or(Failure::Internal("invited account not found".into()))?;
    http::json(
        201,
        &InviteResponse {
            user,
            expires_at: issued.invitation.expires_at,
        },
    )
}

/// `GET /api/invitations/{token}`: what the accept page shows. Never changes anything: mail
/// scanners open every link.
pub async fn show(cx: &Cx, token: &str) -> Result<Response, Failure> {
    let record = usable_invitation(cx, token).await?;
    let settings = cx.store.client_settings(&record.client_db_id).await?;
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
            password_policy: settings.password_policy,
        },
    )
}

/// `POST /api/invitations/{token}/accept`: names (maybe corrected) and a password that meets the
/// client's rules; exactly once, even when two requests race; signs the person in.
pub async fn accept(cx: &Cx, req: &mut Request, token: &str) -> Result<Response, Failure> {
    let record = usable_invitation(cx, token).await?;
    let body: AcceptRequest = http::read_json(req).await?;
    let first_name =
        PersonName::parse(&body.first_name).map_err(|e| Failure::value("first_name", e))?;
    let surname = PersonName::parse(&body.surname).map_err(|e| Failure::value("surname", e))?;
    let password = Password::new(&body.password);
    let settings = cx.store.client_settings(&record.client_db_id).await?;
    let email = Email::parse(&record.email)
        .map_err(|_| Failure::Internal("stored e-mail does not parse".into()))?;
    let unmet = settings.password_policy.check(
        &password,
        Personal {
            username: &record.username,
            email_local_part: email.local_part(),
        },
    );
    if !unmet.is_empty() {
        return Err(Failure::weak_password(unmet));
    }
    if password != Password::new(&body.password_confirmation) {
        return Err(Failure::field(
            ErrorCode::PasswordMismatch,
            "password_confirmation",
        ));
    }
    let phc = passwords::hash(&password, random::bytes()).map_err(Failure::Internal)?;
    let won = cx
        .store
        .accept_invitation(&record.invitation, &first_name, &surname, &phc, cx.now)
        .await?;
    if !won {
        // someone else accepted (or cancelled) it between our read and our write: say what happened
        let now_record = usable_invitation(cx, token).await;
        return Err(now_record
            .err()
            .unwrap_or(Failure::code(ErrorCode::InvitationUsed)));
    }
    signed_in(
        cx,
        record.invitation.account_id,
        &record.client_db_id,
        "invitation.accepted",
    )
    .await
}

/// The invitation a link names, if it can still be used at `now`; a distinct error otherwise.
async fn usable_invitation(cx: &Cx, token: &str) -> Result<InvitationRecord, Failure> {
    let token = Token::parse(token).ok_or(Failure::code(ErrorCode::InvitationNotFound))?;
    let record = cx
        .store
        .invitation_by_digest(&token.digest())
        .await?
        .ok_or(Failure::code(ErrorCode::InvitationNotFound))?;
    record
        .invitation
        .check_usable(cx.now)
        .map_err(|e| Failure::code(e.into()))?;
    Ok(record)
}
