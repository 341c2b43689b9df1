//! The signed-in person's own password and e-mail address. Both ask for the password again (and
//! the code when two-factor sign-in is on), throttled like a sign-in, so a browser left signed in
//! is not enough to take the account over.

use domain::api::{EmailChangeRequest, ErrorCode, PasswordChangeRequest, ReauthRequest};
use domain::i18n::{notice_mail, Notice};
use domain::password::{Password, Personal};
use domain::{Email, Token};
use worker::{Request, Response};

use super::two_factor::{event, reauthenticate, with_session_cookie};
use super::Cx;
use crate::auth::Caller;
use crate::error::Failure;
use crate::http;
use crate::{passwords, random};

/// `POST /api/session/password`: a new password for one's own account. Every other session of
/// the account ends, this one continues under a new token, and the person is told by e-mail.
pub async fn change_password(
    cx: &Cx,
    req: &mut Request,
    caller: Caller,
) -> Result<Response, Failure> {
    let body: PasswordChangeRequest = http::read_json(req).await?;
    if body.new_password.is_empty() {
        return Err(Failure::field(ErrorCode::FieldMissing, "new_password"));
    }
    let me = &caller.me;
    let client = me.home_client.key.to_string();
    let primary = cx.store.primary(&cx.env)?;
    // the new password is checked first: a refusal must not use up the code (or a recovery code)
    let home = &caller.principal.home;
    let settings = primary.settings_in_force(home).await?;
    let password = Password::new(&body.new_password);
    let email = Email::parse(&me.email)
        .map_err(|_| Failure::Internal("stored e-mail does not parse".into()))?;
    passwords::check_new(
        &settings.password_policy(),
        &password,
        &body.new_password_confirmation,
        Personal {
            username: &me.username,
            email_local_part: email.local_part(),
            first_name: &me.first_name,
            surname: &me.surname,
        },
        ("new_password", "new_password_confirmation"),
    )?;
    let reauth = ReauthRequest {
        password: body.password.clone(),
        code: body.code.clone(),
    };
    let row = reauthenticate(cx, &primary, (me.id, &client), &reauth).await?;
    let old = row
        .password_hash
        .ok_or(Failure::code(ErrorCode::Unauthenticated))?;
    let phc =
        passwords::hash(cx.config.argon2, &password, random::bytes()).map_err(Failure::Internal)?;
    let rotated = Token::from_random_bytes(random::bytes());
    let content = notice_mail(
        me.language,
        &me.first_name,
        &me.home_client.name,
        Notice::PasswordChanged,
    );
    let mail_id = uuid::Builder::from_random_bytes(random::bytes())
        .into_uuid()
        .to_string();
    let statements = vec![
        // only over the hash the password was checked against: a concurrent change wins alone
        primary.change_password(me.id, &old, &phc, cx.now)?,
        primary.lost_swap_aborts()?,
        primary.end_sessions(me.id, None, Some(&caller.digest))?,
        primary.rotate_session(&caller.digest, &rotated.digest())?,
        event(cx, &primary, (me.id, &client), "password.changed")?,
        primary.enqueue_mail(
            &mail_id,
            Some(&client),
            "password_changed",
            email.as_str(),
            &content,
            cx.now,
        )?,
    ];
    primary
        .batch(statements)
        .await
        .map_err(|_| Failure::code(ErrorCode::Conflict))?;
    super::lifecycle::deliver(cx, vec![mail_id]);
    let me = primary
        .session_account(&rotated.digest(), cx.now)
        .await?
        .ok_or(Failure::Internal("rotated session not found".into()))?
        .me;
    with_session_cookie(http::json(200, &me)?, &rotated, &caller, cx)
}

/// `POST /api/session/email`: a new e-mail address for one's own account; the old and the new
/// address are told (the same change as an admin's edit).
pub async fn change_email(cx: &Cx, req: &mut Request, caller: Caller) -> Result<Response, Failure> {
    let body: EmailChangeRequest = http::read_json(req).await?;
    let email = Email::parse(&body.email).map_err(|e| Failure::value("email", e))?;
    let me = &caller.me;
    let client = me.home_client.key.to_string();
    let primary = cx.store.primary(&cx.env)?;
    let reauth = ReauthRequest {
        password: body.password.clone(),
        code: body.code.clone(),
    };
    reauthenticate(cx, &primary, (me.id, &client), &reauth).await?;
    super::lifecycle::change_own_email(cx, &caller, email.as_str()).await?;
    let me = primary
        .session_account(&caller.digest, cx.now)
        .await?
        .ok_or(Failure::code(ErrorCode::Unauthenticated))?
        .me;
    http::json(200, &me)
}
