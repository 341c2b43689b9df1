//! Two-factor authentication against real workerd: enrol (password again, a code confirms the
//! key), sign in with a code and with a recovery code (each once), nothing reachable before the
//! code, wrong codes throttled with Retry-After, a replayed code refused, turning it off, and
//! *Reset user account* clearing it.

use domain::api::{ErrorCode, Me, SecondFactorRequired, TwoFactorEnabled, TwoFactorEnrolment};
use domain::totp::TotpSecret;
use domain::Timestamp;
use gatehouse_tests::harness::{Api, GOOD_PASSWORD};
use reqwest::Method;
use serde_json::json;
use std::time::{SystemTime, UNIX_EPOCH};

use crate::lifecycle::person;

fn now_ms() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .expect("clock")
        .as_millis() as i64
}

fn status_code(a: &gatehouse_tests::harness::Answer) -> (u16, ErrorCode) {
    (a.status.as_u16(), a.code())
}

/// Signs in with the password: the answer of the first step.
async fn password_step(api: &mut Api, username: &str) -> gatehouse_tests::harness::Answer {
    api.sign_in("lifecycle", username, GOOD_PASSWORD).await
}

/// Waits (bounded) for a mail to `to` about `subject` (any of them: this test's clock is moved, so
/// its mails need not be the newest).
async fn told(to: &str, subject: &str) {
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(15);
    loop {
        let mails: Vec<domain::api::OutboxMail> = Api::new()
            .get(&format!("/dev/outbox.json?to={}", to.replace('+', "%2B")))
            .await
            .typed();
        if let Some(m) = mails
            .iter()
            .find(|m| m.to == to && m.subject.contains(subject))
        {
            assert!(m.text.contains("If this was not you"), "{}", m.text);
            return;
        }
        assert!(
            std::time::Instant::now() < deadline,
            "no mail {subject:?} to {to}: {:?}",
            mails.iter().map(|m| &m.subject).collect::<Vec<_>>()
        );
        tokio::time::sleep(std::time::Duration::from_millis(200)).await;
    }
}

async fn code_step(api: &mut Api, code: &str) -> gatehouse_tests::harness::Answer {
    api.post("/api/session/second-factor", json!({ "code": code }))
        .await
}

#[tokio::test]
async fn two_factor_sign_in_asks_for_a_code_that_works_once_and_recovery_codes_that_work_once() {
    let mut admin = Api::admin_of("lifecycle").await;
    let (mut me, row, _) = person(&mut admin, "Tessa", "Totp").await;
    // every request of this test at one instant the test controls, 20 s into a step
    let t0 = (now_ms() / 30_000) * 30_000 + 20_000;
    me.set_clock(Some(t0));

    // enrolling wants the password again
    let wrong = me
        .post(
            "/api/session/two-factor/enrolment",
            json!({"password": "Not-The-One-1"}),
        )
        .await;
    assert_eq!(status_code(&wrong), (401, ErrorCode::InvalidCredentials));
    let a = me
        .post(
            "/api/session/two-factor/enrolment",
            json!({"password": GOOD_PASSWORD}),
        )
        .await;
    assert_eq!(a.status, 200, "{a:?}");
    let enrolment: TwoFactorEnrolment = a.typed();
    assert!(enrolment.qr_svg.starts_with("<?xml") || enrolment.qr_svg.contains("<svg"));
    assert!(enrolment.otpauth_uri.starts_with("otpauth://totp/"));
    let secret = TotpSecret::from_base32(&enrolment.key).expect("the key reads back");
    // not on until a code confirms it
    let me_now: Me = me.get("/api/session").await.typed();
    assert!(!me_now.two_factor);
    let bad = me
        .post("/api/session/two-factor", json!({"code": "000000"}))
        .await;
    assert_eq!(status_code(&bad), (401, ErrorCode::InvalidCode));
    let code = secret.code_at(Timestamp(t0));
    let a = me
        .post("/api/session/two-factor", json!({ "code": code }))
        .await;
    assert_eq!(a.status, 200, "{a:?}");
    let enabled: TwoFactorEnabled = a.typed();
    assert_eq!(enabled.recovery_codes.len(), 10);
    let me_now: Me = me.get("/api/session").await.typed();
    assert!(me_now.two_factor);
    // the person is told by e-mail
    told(&row.email, "Two-factor authentication is on").await;
    // the admin sees it on the account
    let view: domain::api::AccountView = admin
        .get(&format!("/api/accounts/{}", row.id))
        .await
        .typed();
    assert!(view.two_factor);

    // the password alone starts no session: 202, and nothing is reachable with it
    let mut fresh = Api::new();
    fresh.set_clock(Some(t0));
    let a = password_step(&mut fresh, &row.username).await;
    assert_eq!(a.status, 202, "{a:?}");
    let waiting: SecondFactorRequired = a.typed();
    assert_eq!(waiting.method, "totp");
    for path in ["/api/session", "/api/clients", "/api/roles"] {
        assert_eq!(fresh.get(path).await.status, 401, "{path} before the code");
    }
    // the code the confirmation used is spent: a replay within its window is refused
    let replay = code_step(&mut fresh, &code).await;
    assert_eq!(status_code(&replay), (401, ErrorCode::InvalidCode));
    // the next step's code signs in
    let t1 = t0 + 30_000;
    fresh.set_clock(Some(t1));
    let a = code_step(&mut fresh, &secret.code_at(Timestamp(t1))).await;
    assert_eq!(a.status, 200, "{a:?}");
    assert_eq!(a.typed::<Me>().id, row.id);
    assert_eq!(fresh.get("/api/session").await.status, 200);

    // a recovery code works once
    let recovery = enabled.recovery_codes[3].clone();
    let mut other = Api::new();
    other.set_clock(Some(t1));
    assert_eq!(password_step(&mut other, &row.username).await.status, 202);
    let a = code_step(&mut other, &recovery.to_uppercase()).await;
    assert_eq!(a.status, 200, "{a:?}");
    let mut again = Api::new();
    again.set_clock(Some(t1));
    assert_eq!(password_step(&mut again, &row.username).await.status, 202);
    let a = code_step(&mut again, &recovery).await;
    assert_eq!(status_code(&a), (401, ErrorCode::InvalidCode));

    // without the password step there is nothing to send a code to
    let a = code_step(&mut Api::new(), "123456").await;
    assert_eq!(status_code(&a), (401, ErrorCode::SignInExpired));
    // nor after it ran out (five minutes)
    let mut late = Api::new();
    late.set_clock(Some(t1));
    assert_eq!(password_step(&mut late, &row.username).await.status, 202);
    late.set_clock(Some(t1 + 5 * 60_000));
    let a = code_step(&mut late, &secret.code_at(Timestamp(t1 + 5 * 60_000))).await;
    assert_eq!(status_code(&a), (401, ErrorCode::SignInExpired));

    // turning it off wants the password and a code
    let a = me
        .post(
            "/api/session/two-factor/disable",
            json!({"password": GOOD_PASSWORD}),
        )
        .await;
    assert_eq!((a.status.as_u16(), a.field()), (422, "code"));
    let t2 = t1 + 30_000;
    me.set_clock(Some(t2));
    let a = me
        .post(
            "/api/session/two-factor/disable",
            json!({"password": GOOD_PASSWORD, "code": secret.code_at(Timestamp(t2))}),
        )
        .await;
    assert_eq!(a.status, 204, "{a:?}");
    told(&row.email, "Two-factor authentication was turned off").await;
    let mut plain = Api::new();
    assert_eq!(password_step(&mut plain, &row.username).await.status, 200);
}

#[tokio::test]
async fn wrong_codes_are_throttled_and_a_reset_account_has_no_second_factor() {
    let mut admin = Api::admin_of("lifecycle").await;
    let (mut me, row, _) = person(&mut admin, "Wanda", "Wrongcode").await;
    let t0 = (now_ms() / 30_000) * 30_000 + 10_000;
    me.set_clock(Some(t0));
    let enrolment: TwoFactorEnrolment = me
        .post(
            "/api/session/two-factor/enrolment",
            json!({"password": GOOD_PASSWORD}),
        )
        .await
        .typed();
    let secret = TotpSecret::from_base32(&enrolment.key).expect("key");
    let a = me
        .post(
            "/api/session/two-factor",
            json!({"code": secret.code_at(Timestamp(t0))}),
        )
        .await;
    assert_eq!(a.status, 200, "{a:?}");
    let codes = a.typed::<TwoFactorEnabled>().recovery_codes;

    // switched off and on again by the admin, the account keeps its second factor and codes
    for step in ["deactivate", "activate"] {
        let a = admin
            .send(
                Method::POST,
                &format!("/api/accounts/{}/{step}", row.id),
                None,
            )
            .await;
        assert_eq!(a.status, 200, "{step}: {a:?}");
    }
    let mut back = Api::new();
    back.set_ip("198.51.100.44");
    assert_eq!(password_step(&mut back, &row.username).await.status, 202);
    let a = code_step(&mut back, &codes[0]).await;
    assert_eq!(a.status, 200, "a recovery code after reactivation: {a:?}");

    let mut guesser = Api::new();
    guesser.set_clock(Some(t0 + 30_000));
    assert_eq!(password_step(&mut guesser, &row.username).await.status, 202);
    for _ in 0..5 {
        let a = code_step(&mut guesser, "000000").await;
        assert_eq!(status_code(&a), (401, ErrorCode::InvalidCode));
    }
    let a = code_step(&mut guesser, &secret.code_at(Timestamp(t0 + 30_000))).await;
    assert_eq!(status_code(&a), (429, ErrorCode::RateLimited), "{a:?}");
    assert!(
        a.retry_after.is_some_and(|s| s > 0 && s <= 15 * 60),
        "{a:?}"
    );

    // a reset link proves the mailbox, not the second factor: the new password starts no session
    // until the code (or a recovery code) follows
    let sent = admin
        .send(
            Method::POST,
            &format!("/api/accounts/{}/password-reset", row.id),
            None,
        )
        .await;
    assert_eq!(sent.status, 200, "{sent:?}");
    let link = gatehouse_tests::harness::outbox_link_in(&row.email, "/reset#").await;
    let token = gatehouse_tests::harness::token_of(&link).to_owned();
    let mut resetter = Api::new();
    let a = resetter
        .complete_reset(&token,
            json!({"password": "Brand-New-Staple-77", "password_confirmation": "Brand-New-Staple-77"}),
        )
        .await;
    assert_eq!(a.status, 202, "{a:?}");
    assert_eq!(resetter.get("/api/session").await.status, 401);

    // the lost phone: the admin resets the account, the second factor goes with the password
    let reset = admin
        .send(
            Method::POST,
            &format!("/api/accounts/{}/reset", row.id),
            None,
        )
        .await;
    assert_eq!(reset.status, 200, "{reset:?}");
    let view: domain::api::AccountView = admin
        .get(&format!("/api/accounts/{}", row.id))
        .await
        .typed();
    assert!(!view.two_factor);
}

/// A sub-client of `lifecycle` with these own settings, and a person invited into it who has
/// accepted (the accept's answer is that person's first session).
async fn person_in_client_with(admin: &mut Api, settings: serde_json::Value, at: i64) -> (Api, Me) {
    let sub = admin
        .sub_client_with("Strict Sign-in", "strict", settings)
        .await;
    let e = format!("strict.{}@test.example", uuid::Uuid::new_v4().simple());
    let a = admin
        .post(
            &format!("/api/clients/{}/invitations", sub.key),
            json!({"first_name": "Stella", "surname": "Strict", "email": e}),
        )
        .await;
    assert_eq!(a.status, 201, "{a:?}");
    let link = gatehouse_tests::harness::outbox_link_for(&e).await;
    let token = gatehouse_tests::harness::token_of(&link).to_owned();
    let mut me = Api::new();
    me.set_clock(Some(at));
    let a = me
        .accept(
            &token,
            json!({"first_name": "Stella", "surname": "Strict", "password": GOOD_PASSWORD, "password_confirmation": GOOD_PASSWORD}),
        )
        .await;
    assert_eq!(a.status, 200, "{a:?}");
    (me, a.typed())
}

#[tokio::test]
async fn a_client_that_requires_two_factor_lets_a_person_without_it_only_set_it_up() {
    use domain::routes::{Access, Method as RouteMethod, ROUTES};
    let mut admin = Api::admin_of("lifecycle").await;
    let t0 = (now_ms() / 30_000) * 30_000 + 10_000;
    let (mut me, first) =
        person_in_client_with(&mut admin, json!({"require_two_factor": true}), t0).await;
    assert!(first.must_enrol_two_factor, "{first:?}");
    // every route but the enrolment refuses this session, before any target is looked up
    let filled = |path: &str| {
        path.replace("{client}", &first.client.key.to_string())
            .replace("{account}", &first.id.to_string())
            .replace("{role}", &first.role.id.to_string())
            .replace("{what}", "noop")
    };
    for route in ROUTES {
        if !matches!(route.access, Access::SignedIn | Access::Permission { .. }) {
            continue;
        }
        let method = match route.method {
            RouteMethod::Get => Method::GET,
            RouteMethod::Post => Method::POST,
            RouteMethod::Put => Method::PUT,
            RouteMethod::Patch => Method::PATCH,
            RouteMethod::Delete => Method::DELETE,
        };
        let body = (route.method != RouteMethod::Get).then(|| json!({}));
        let a = me.send(method, &filled(route.path), body).await;
        assert_eq!(
            status_code(&a),
            (403, ErrorCode::TwoFactorSetupRequired),
            "{route:?}"
        );
    }
    let who: Me = me.get("/api/session").await.typed();
    assert!(who.must_enrol_two_factor);

    // setting it up: the confirming answer moves the session to a new token
    let a = me
        .post(
            "/api/session/two-factor/enrolment",
            json!({"password": GOOD_PASSWORD}),
        )
        .await;
    assert_eq!(a.status, 200, "{a:?}");
    let secret = TotpSecret::from_base32(&a.typed::<TwoFactorEnrolment>().key).expect("key");
    let before = me.clone();
    let a = me
        .post(
            "/api/session/two-factor",
            json!({ "code": secret.code_at(Timestamp(t0)) }),
        )
        .await;
    assert_eq!(a.status, 200, "{a:?}");
    assert!(a
        .set_cookie
        .is_some_and(|c| c.starts_with("__Host-gatehouse_session=")));
    let mut before = before;
    assert_eq!(
        before.get("/api/session").await.status,
        401,
        "the token from before the change is dead"
    );
    let who: Me = me.get("/api/session").await.typed();
    assert!(!who.must_enrol_two_factor && who.two_factor);
    assert_eq!(me.get("/api/session/sessions").await.status, 200);
    // and it cannot be turned off while the client requires it
    let t1 = t0 + 30_000;
    me.set_clock(Some(t1));
    let off = me
        .post(
            "/api/session/two-factor/disable",
            json!({"password": GOOD_PASSWORD, "code": secret.code_at(Timestamp(t1))}),
        )
        .await;
    assert_eq!(
        status_code(&off),
        (409, ErrorCode::TwoFactorRequiredByClient)
    );
    // that refusal used up no code: another browser signs in with it
    let mut other = Api::new();
    other.set_clock(Some(t1));
    let a = other
        .sign_in(&first.home_client.client_id, &first.username, GOOD_PASSWORD)
        .await;
    assert_eq!(a.status, 202, "{a:?}");
    let a = code_step(&mut other, &secret.code_at(Timestamp(t1))).await;
    assert_eq!(a.status, 200, "{a:?}");

    // her own new password: a refused one uses up no code either; the accepted one ends every
    // other session and moves this one to a new token
    let t2 = t1 + 30_000;
    me.set_clock(Some(t2));
    other.set_clock(Some(t2));
    let code = secret.code_at(Timestamp(t2));
    let change = |confirmation: &str| json!({"password": GOOD_PASSWORD, "code": code, "new_password": "Quiet-Harbour-Lamp-58", "new_password_confirmation": confirmation});
    let mismatch = me
        .post("/api/session/password", change("Quiet-Harbour-Lamp-59"))
        .await;
    assert_eq!(
        (mismatch.status.as_u16(), mismatch.code(), mismatch.field()),
        (
            422,
            ErrorCode::PasswordMismatch,
            "new_password_confirmation"
        )
    );
    let before = me.clone();
    let a = me
        .post("/api/session/password", change("Quiet-Harbour-Lamp-58"))
        .await;
    assert_eq!(a.status, 200, "{a:?}");
    assert_eq!(me.get("/api/session").await.status, 200);
    let mut before = before;
    assert_eq!(before.get("/api/session").await.status, 401, "old token");
    assert_eq!(other.get("/api/session").await.status, 401, "other browser");
    let a = Api::new()
        .sign_in(
            &first.home_client.client_id,
            &first.username,
            "Quiet-Harbour-Lamp-58",
        )
        .await;
    assert_eq!(a.status, 202, "the new password, then the code: {a:?}");
}

#[tokio::test]
async fn a_clients_session_limits_end_sessions_at_their_exact_instants() {
    let mut admin = Api::admin_of("lifecycle").await;
    let t0 = now_ms();
    let minute = 60_000;
    // 5 idle minutes, 1 hour at most
    let (mut me, _) = person_in_client_with(
        &mut admin,
        json!({"session_idle_minutes": 5, "session_max_hours": 1}),
        t0,
    )
    .await;
    // the session list says which limits apply
    let listed: domain::api::SessionList = me.get("/api/session/sessions").await.typed();
    assert_eq!((listed.idle_minutes, listed.max_hours), (5, 1));
    // idle: alive until just before 5 minutes after the last use, counted from each use
    me.set_clock(Some(t0 + 5 * minute - 1));
    assert_eq!(me.get("/api/session").await.status, 200);
    // that use counts: 5 minutes after it, less a millisecond, it is alive; at 5 minutes not
    let last_use = t0 + 5 * minute - 1;
    me.set_clock(Some(last_use + 5 * minute - 1));
    assert_eq!(me.get("/api/session").await.status, 200, "used at 4:59.999");
    let last_use = last_use + 5 * minute - 1;
    me.set_clock(Some(last_use + 5 * minute));
    assert_eq!(me.get("/api/session").await.status, 401, "5 idle minutes");
    // absolute: used every four minutes, it still ends one hour after it began
    let (mut busy, _) = person_in_client_with(
        &mut admin,
        json!({"session_idle_minutes": 5, "session_max_hours": 1}),
        t0,
    )
    .await;
    let mut at = t0;
    while at < t0 + 60 * minute - 4 * minute {
        at += 4 * minute;
        busy.set_clock(Some(at));
        assert_eq!(busy.get("/api/session").await.status, 200, "at {}", at - t0);
    }
    busy.set_clock(Some(t0 + 60 * minute - 1));
    assert_eq!(busy.get("/api/session").await.status, 200);
    busy.set_clock(Some(t0 + 60 * minute));
    assert_eq!(busy.get("/api/session").await.status, 401, "one hour");
    // out-of-range settings are refused by field
    let root = admin.me().await.client.key;
    for (field, value) in [
        ("session_idle_minutes", 4),
        ("session_idle_minutes", 1441),
        ("session_max_hours", 0),
        ("session_max_hours", 721),
    ] {
        let a = admin
            .send(
                Method::PUT,
                &format!("/api/clients/{root}/settings"),
                Some(json!({ field: value })),
            )
            .await;
        assert_eq!(
            (a.status.as_u16(), a.code(), a.field()),
            (422, ErrorCode::FieldInvalid, field),
            "{field} = {value}"
        );
    }
}

#[tokio::test]
async fn a_person_changes_their_own_e_mail_address_with_the_password_again() {
    let mut admin = Api::admin_of("lifecycle").await;
    let (mut me, row, old) = person(&mut admin, "Edda", "Eigen").await;
    let new = format!("edda.new.{}@test.example", uuid::Uuid::new_v4().simple());
    let wrong = me
        .post(
            "/api/session/email",
            json!({"password": "Not-The-One-1", "email": new}),
        )
        .await;
    assert_eq!(
        (wrong.status.as_u16(), wrong.code(), wrong.field()),
        (401, ErrorCode::InvalidCredentials, "password")
    );
    let bad = me
        .post(
            "/api/session/email",
            json!({"password": GOOD_PASSWORD, "email": "not an address"}),
        )
        .await;
    assert_eq!(
        (bad.status.as_u16(), bad.field()),
        (422, "email"),
        "{bad:?}"
    );
    let a = me
        .post(
            "/api/session/email",
            json!({"password": GOOD_PASSWORD, "email": new}),
        )
        .await;
    assert_eq!(a.status, 200, "{a:?}");
    assert_eq!(a.typed::<Me>().email, new);
    // both addresses are told, and the admin's view shows the new one
    for to in [&old, &new] {
        let deadline = std::time::Instant::now() + std::time::Duration::from_secs(15);
        loop {
            let mails: Vec<domain::api::OutboxMail> = Api::new()
                .get(&format!("/dev/outbox.json?to={to}"))
                .await
                .typed();
            if mails
                .iter()
                .any(|m| m.subject.contains("e-mail address of your account"))
            {
                break;
            }
            assert!(std::time::Instant::now() < deadline, "no notice to {to}");
            tokio::time::sleep(std::time::Duration::from_millis(200)).await;
        }
    }
    let view: domain::api::AccountView = admin
        .get(&format!("/api/accounts/{}", row.id))
        .await
        .typed();
    assert_eq!(view.user.email, new);
}
