//! Password resets the person finishes: "forgot your password?" (the same answer whether or not
//! the account exists), the reset page's data, and the new password (exactly once; every session
//! of the account ends, and the person is told by e-mail).

use domain::access::secret_scope;
use domain::api::{
    ErrorCode, ForgotPasswordRequest, LinkTokenRequest, ResetPasswordRequest, ResetView,
};
use domain::i18n::{notice_mail, Notice};
use domain::ids::ClientId;
use domain::password::{Password, Personal};
use domain::values::{Email, Username};
use domain::{AccountStatus, Token};
use wasm_bindgen::JsValue;
use worker::{Request, Response};

use super::session::{limit_ip, signed_in};
use super::Cx;
use crate::error::Failure;
use crate::store::audit::{event_id, AuditEvent};
use crate::store::resets::ResetRecord;
use crate::{http, mail, passwords, random};

/// `POST /api/password-resets`: 202 whatever the input names, once the fields have a valid form.
/// The answer does the same work for known and unknown accounts (the form check and the IP
/// limit): the lookup, the link and its mail run after it (`wait_until`), so neither the status,
/// the body nor the time to answer tells whether the account exists.
pub async fn request(cx: &Cx, req: &mut Request) -> Result<Response, Failure> {
    let body: ForgotPasswordRequest = http::read_json(req).await?;
    let client_id = ClientId::parse(&body.client_id).map_err(|e| Failure::value("client_id", e))?;
    let login = body.login.trim();
    if login.is_empty() {
        return Err(Failure::field(ErrorCode::FieldMissing, "login"));
    }
    limit_ip(cx, "password-reset").await?;
    // the stored forms: e-mail addresses and usernames are compared as the invitation wrote them
    let login = if login.contains('@') {
        Email::parse(login).map(|e| e.as_str().to_owned()).ok()
    } else {
        Username::parse(login).map(|u| u.as_str().to_owned()).ok()
    };
    // the same for every account: no link could be mailed at all
    cx.link_origin()?;
    if let Some(login) = login {
        let later = cx.for_later()?;
        let client_id = client_id.as_str().to_owned();
        cx.ctx.wait_until(async move {
            // a failure here must not tell the caller the account exists: it is only logged
            if let Err(e) = reset_if_known(&later, &client_id, &login).await {
                worker::console_error!("forgot password: {e:?}");
            }
        });
    }
    let mut resp = Response::empty()?.with_status(202);
    resp.headers_mut().set("cache-control", "no-store")?;
    Ok(resp)
}

/// The account a client ID and login name, if there is one: a reset link by mail.
async fn reset_if_known(cx: &Cx, client_id: &str, login: &str) -> Result<(), Failure> {
    let Some(found) = cx.store.reset_candidate(client_id, login).await? else {
        return Ok(());
    };
    let account =
        domain::AccountId::parse(&found.id).ok_or(Failure::Internal("bad account id".into()))?;
    let key = domain::ClientKey::parse(&found.client_key)
        .ok_or(Failure::Internal("bad client key".into()))?;
    match cx.store.client_path(key).await? {
        Some(path) => super::lifecycle::reset_for(cx, account, &path).await,
        None => Ok(()),
    }
}

/// The reset a link names, if it can still be used; why not otherwise (links follow the account:
/// deleted or deactivated accounts answer so before any form is shown).
async fn usable(cx: &Cx, token: &str) -> Result<(ResetRecord, Token), Failure> {
    let token = Token::parse(token).ok_or(Failure::code(ErrorCode::ResetNotFound))?;
    let digest = token.reset_digest();
    let Some(record) = cx.store.reset_by_digest(&digest).await? else {
        return Err(match cx.store.dead_link(&digest).await? {
            Some(_) => Failure::code(ErrorCode::LinkAccountDeleted),
            None => Failure::code(ErrorCode::ResetNotFound),
        });
    };
    match (record.status, record.state.as_str()) {
        (AccountStatus::Deactivated, _) => Err(Failure::code(ErrorCode::LinkAccountDeactivated)),
        (AccountStatus::Invited, _) | (_, "used" | "replaced" | "revoked") => {
            Err(Failure::code(ErrorCode::ResetUsed))
        }
        _ if record.expires_at <= cx.now => Err(Failure::code(ErrorCode::ResetExpired)),
        _ => Ok((record, token)),
    }
}

/// `POST /api/password-resets/lookup`: what the reset page shows; never consumes the link.
pub async fn show(cx: &Cx, req: &mut Request) -> Result<Response, Failure> {
    let LinkTokenRequest { token } = http::read_json(req).await?;
    let (r, _) = usable(cx, &token).await?;
    let settings = cx.store.settings_in_force(&r.client_path).await?;
    http::json(
        200,
        &ResetView {
            first_name: r.first_name,
            surname: r.surname,
            username: r.username,
            client_id: r.client_id,
            client_name: r.client_name,
            language: r.language,
            expires_at: r.expires_at,
            password_policy: settings.password_policy(),
        },
    )
}

/// `POST /api/password-resets/complete`: the link's token and a password that meets the client's rules; exactly once,
/// even when two requests race. Every session of the account ends, the person is told by
/// e-mail, and this browser is signed in afresh.
pub async fn complete(cx: &Cx, req: &mut Request) -> Result<Response, Failure> {
    limit_ip(cx, "password-reset").await?;
    let body: ResetPasswordRequest = http::read_json(req).await?;
    let token = body.token.as_str();
    let (r, _) = usable(cx, token).await?;
    let scope = secret_scope(&r.client_path);
    let settings = cx.store.settings_in_force(&r.client_path).await?;
    let password = Password::new(&body.password);
    let email = Email::parse(&r.email)
        .map_err(|_| Failure::Internal("stored e-mail does not parse".into()))?;
    passwords::check_new(
        &settings.password_policy(),
        &password,
        &body.password_confirmation,
        Personal {
            username: &r.username,
            email_local_part: email.local_part(),
            first_name: &r.first_name,
            surname: &r.surname,
        },
        ("password", "password_confirmation"),
    )?;
    let phc =
        passwords::hash(cx.config.argon2, &password, random::bytes()).map_err(Failure::Internal)?;
    let client = scope.client().to_string();
    let event = AuditEvent {
        id: random::bytes(),
        client: Some(&client),
        actor: Some(r.account),
        action: "password.reset_used",
        subject: Some(r.account),
        ip: cx.ip.as_deref(),
        at: cx.now,
    };
    let guard =
        "EXISTS (SELECT 1 FROM password_resets WHERE id = ?8 AND state = 'used' AND ended_at = ?9)";
    let audit = cx.store.audit_detailed(
        &event,
        cx.user_agent.as_deref(),
        None,
        guard,
        &[JsValue::from_str(&r.id), JsValue::from_f64(cx.now.0 as f64)],
    )?;
    let content = notice_mail(
        r.language,
        &r.first_name,
        &r.client_name,
        Notice::PasswordChanged,
    );
    let mail_id = uuid::Builder::from_random_bytes(random::bytes())
        .into_uuid()
        .to_string();
    let mail = cx.store.enqueue_mail_if_event(
        &mail_id,
        Some(&client),
        "password_changed",
        email.as_str(),
        &content,
        cx.now,
        &event_id(&event),
    )?;
    let won = cx
        .store
        .complete_reset(&r.id, r.account, &phc, cx.now, vec![audit, mail])
        .await?;
    if !won {
        // used, replaced, or the account changed between our read and our write: say which
        return Err(usable(cx, token)
            .await
            .err()
            .unwrap_or(Failure::code(ErrorCode::ResetUsed)));
    }
    cx.ctx.wait_until(mail::deliver_now(
        cx.env.clone(),
        cx.config.clone(),
        mail_id,
        cx.now,
    ));
    // a reset link proves the mailbox, not the second factor: with one, its code comes next
    let primary = cx.store.primary(&cx.env)?;
    if primary
        .two_factor(r.account)
        .await?
        .is_some_and(|t| t.totp_secret.is_some())
    {
        return super::two_factor::challenge(cx, r.account).await;
    }
    signed_in(cx, req, r.account, "session.signed_in").await
}
