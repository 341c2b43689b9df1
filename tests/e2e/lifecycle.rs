//! An account's life after the invitation, against real workerd: deactivate and activate, delete
//! and recover, resets, edits, copy link, the audit log, and the cron's automatic deletion and
//! purge with the local test clock (acts are dated in the past, the cron runs at the real now,
//! so other tests sharing the database are never swept along).

use domain::api::{
    AccountView, AuditPage, CopiedLink, DeletedAccounts, ErrorCode, Me, ResetView, UserPage,
    UserRow,
};
use domain::{AccountId, AccountStatus, Badge};
use gatehouse_tests::harness::{
    cron_at, outbox_link_for, outbox_link_in, outbox_mail_for, token_of, Api, GOOD_PASSWORD,
    OPERATOR_SECRET,
};
use reqwest::Method;
use serde_json::json;
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

const DAY: i64 = 86_400_000;
const NEW_PASSWORD: &str = "Brand-New-Staple-77";

fn email(tag: &str) -> String {
    format!("{tag}.{}@life.example", uuid::Uuid::new_v4().simple())
}

fn now_ms() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .expect("clock")
        .as_millis() as i64
}

fn accept_body(first: &str, last: &str, password: &str) -> serde_json::Value {
    json!({"first_name": first, "surname": last, "password": password, "password_confirmation": password})
}

/// A person invited into `lifecycle` who accepted: their signed-in browser, row and address.
pub(crate) async fn person(admin: &mut Api, first: &str, last: &str) -> (Api, UserRow, String) {
    let e = email(&first.to_lowercase());
    let invited = admin.invite(first, last, &e).await.user;
    let token = token_of(&outbox_link_for(&e).await).to_owned();
    let mut me = Api::new();
    let a = me
        .accept(&token, accept_body(first, last, GOOD_PASSWORD))
        .await;
    assert_eq!(a.status, 200, "accept: {a:?}");
    (me, invited, e)
}

fn account(id: AccountId) -> String {
    format!("/api/accounts/{id}")
}

async fn post_empty(api: &mut Api, path: &str) -> gatehouse_tests::harness::Answer {
    api.send(Method::POST, path, None).await
}

fn status_code(a: &gatehouse_tests::harness::Answer) -> (u16, ErrorCode) {
    (a.status.as_u16(), a.code())
}

/// The newest mail to `to` whose subject contains `part`, waiting for it (bounded).
async fn mail_about(to: &str, part: &str) -> domain::api::OutboxMail {
    let deadline = Instant::now() + Duration::from_secs(15);
    loop {
        let m = outbox_mail_for(to).await;
        if m.subject.contains(part) {
            return m;
        }
        assert!(
            Instant::now() < deadline,
            "no mail about {part:?} to {to}; newest: {}",
            m.subject
        );
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
}

#[tokio::test]
async fn deactivation_ends_every_session_at_once_and_activation_lets_the_person_back() {
    let mut admin = Api::admin_of("lifecycle").await;
    let (mut dana, row, e) = person(&mut admin, "Dana", "Deaktiv").await;
    let mut second_browser = Api::new();
    let signed = second_browser
        .sign_in("lifecycle", &row.username, GOOD_PASSWORD)
        .await;
    assert_eq!(signed.status, 200, "{signed:?}");
    assert_eq!(dana.get("/api/session").await.status, 200);

    let off = post_empty(&mut admin, &format!("{}/deactivate", account(row.id))).await;
    assert_eq!(off.status, 200, "{off:?}");
    assert_eq!(off.typed::<UserRow>().badge, Badge::Deactivated);
    // both open sessions are refused on their very next request, and no new one starts
    for browser in [&mut dana, &mut second_browser] {
        let a = browser.get("/api/session").await;
        assert_eq!(status_code(&a), (401, ErrorCode::Unauthenticated), "{a:?}");
    }
    let again = Api::new()
        .sign_in("lifecycle", &row.username, GOOD_PASSWORD)
        .await;
    assert_eq!(again.status, 401, "{again:?}");
    // the person is told
    mail_about(&e, "deactivated").await;
    // refusals: twice, the never-registered, the own account
    let twice = post_empty(&mut admin, &format!("{}/deactivate", account(row.id))).await;
    assert_eq!(status_code(&twice), (409, ErrorCode::AlreadyDeactivated));
    let invited = admin.invite("Ina", "Invited", &email("ina")).await.user;
    let never = post_empty(&mut admin, &format!("{}/deactivate", account(invited.id))).await;
    assert_eq!(status_code(&never), (409, ErrorCode::NeverRegistered));
    let me: Me = admin.get("/api/session").await.typed();
    let own = post_empty(&mut admin, &format!("{}/deactivate", account(me.id))).await;
    assert_eq!(status_code(&own), (409, ErrorCode::OwnAccount));
    let not_off = post_empty(&mut admin, &format!("{}/activate", account(invited.id))).await;
    assert_eq!(status_code(&not_off), (409, ErrorCode::NeverRegistered));

    // two admins doing opposite things at once leave exactly one outcome
    let on = post_empty(&mut admin, &format!("{}/activate", account(row.id))).await;
    assert_eq!(on.typed::<UserRow>().badge, Badge::Accepted);
    let back = Api::new()
        .sign_in("lifecycle", &row.username, GOOD_PASSWORD)
        .await;
    assert_eq!(back.status, 200, "{back:?}");
    let (a, b) = tokio::join!(
        async {
            Api::admin_of("lifecycle")
                .await
                .send(
                    Method::POST,
                    &format!("{}/deactivate", account(row.id)),
                    None,
                )
                .await
        },
        async {
            Api::admin_of("lifecycle")
                .await
                .send(
                    Method::POST,
                    &format!("{}/deactivate", account(row.id)),
                    None,
                )
                .await
        }
    );
    assert!(
        (a.status == 200) != (b.status == 200),
        "exactly one: {a:?} {b:?}"
    );
    let listed: AccountView = admin.get(&account(row.id)).await.typed();
    assert_eq!(listed.user.status, AccountStatus::Deactivated);
    // the history shows who did what
    let history: AuditPage = admin
        .get(&format!("{}/audit", account(row.id)))
        .await
        .typed();
    let actions: Vec<&str> = history.events.iter().map(|e| e.action.as_str()).collect();
    assert_eq!(
        actions
            .iter()
            .filter(|a| **a == "account.deactivated")
            .count(),
        2,
        "{actions:?}"
    );
    assert!(actions.contains(&"account.activated"), "{actions:?}");
    assert!(history.events.iter().all(|e| e.subject == Some(row.id)));
}

#[tokio::test]
async fn a_deleted_account_is_gone_until_the_operator_recovers_it_within_the_window() {
    let mut admin = Api::admin_of("lifecycle").await;
    let (mut olga, row, _) = person(&mut admin, "Olga", "Geloescht").await;
    let invited_mail = email("ivo");
    let ivo = admin.invite("Ivo", "Offen", &invited_mail).await.user;
    let ivo_link = token_of(&outbox_link_for(&invited_mail).await).to_owned();

    for id in [row.id, ivo.id] {
        let gone = admin.send(Method::DELETE, &account(id), None).await;
        assert_eq!(gone.status, 204, "{gone:?}");
        let a = admin.get(&account(id)).await;
        assert_eq!(status_code(&a), (404, ErrorCode::NotFound));
        let act = post_empty(&mut admin, &format!("{}/deactivate", account(id))).await;
        assert_eq!(status_code(&act), (404, ErrorCode::NotFound));
    }
    let twice = admin.send(Method::DELETE, &account(row.id), None).await;
    assert_eq!(twice.status, 404);
    // no list shows them, the session and the link end, and the link says why
    let listed: UserPage = admin.users("?q=geloescht").await.typed();
    assert!(listed.users.iter().all(|u| u.id != row.id));
    assert_eq!(olga.get("/api/session").await.status, 401);
    let dead = Api::new().invitation(&ivo_link).await;
    assert_eq!(
        status_code(&dead),
        (410, ErrorCode::LinkAccountDeleted),
        "{dead:?}"
    );

    // the operator sees them and brings them back as they were
    let mut operator = Api::new();
    operator.set_bearer(Some(OPERATOR_SECRET));
    let kept: DeletedAccounts = operator.get("/api/operator/deleted-accounts").await.typed();
    let olga_kept = kept.accounts.iter().find(|d| d.id == row.id).expect("kept");
    assert_eq!(olga_kept.was, "accepted");
    assert_eq!(olga_kept.purge_at.0 - olga_kept.deleted_at.0, 30 * DAY);
    let back = post_empty(
        &mut operator,
        &format!("/api/operator/accounts/{}/recover", row.id),
    )
    .await;
    assert_eq!(back.status, 200, "{back:?}");
    assert_eq!(back.typed::<AccountView>().user.badge, Badge::Accepted);
    let signed = Api::new()
        .sign_in("lifecycle", &row.username, GOOD_PASSWORD)
        .await;
    assert_eq!(
        signed.status, 200,
        "the recovered account signs in: {signed:?}"
    );
    let again = post_empty(
        &mut operator,
        &format!("/api/operator/accounts/{}/recover", row.id),
    )
    .await;
    assert_eq!(again.status, 404);
    // the never-registered comes back without a working link (an admin resends one)
    let ivo_back = post_empty(
        &mut operator,
        &format!("/api/operator/accounts/{}/recover", ivo.id),
    )
    .await;
    assert_eq!(ivo_back.typed::<AccountView>().user.badge, Badge::Cancelled);

    // past the window the operator is refused (the clock moved 30 days on)
    let gone = admin.send(Method::DELETE, &account(ivo.id), None).await;
    assert_eq!(gone.status, 204);
    operator.set_clock(Some(now_ms() + 30 * DAY + 60_000));
    let late = post_empty(
        &mut operator,
        &format!("/api/operator/accounts/{}/recover", ivo.id),
    )
    .await;
    assert_eq!(
        status_code(&late),
        (410, ErrorCode::RecoveryWindowOver),
        "{late:?}"
    );
}

#[tokio::test]
async fn the_cron_deletes_exactly_the_accounts_due_and_purges_exactly_those_past_the_window() {
    let mut admin = Api::admin_of("lifecycle").await;
    let root = admin.me().await.client.key;
    let sub = admin
        .sub_client_with("Short Memory", "short", json!({"deletion_after_days": 1}))
        .await;
    let mut people = vec![];
    for (first, last) in [("Due", "Eins"), ("Due", "Zwei"), ("Fresh", "Drei")] {
        let e = email(&last.to_lowercase());
        let a = admin
            .post(
                &format!("/api/clients/{}/invitations", sub.key),
                json!({"first_name": first, "surname": last, "email": e}),
            )
            .await;
        assert_eq!(a.status, 201, "{a:?}");
        let token = token_of(&outbox_link_for(&e).await).to_owned();
        let ok = Api::new()
            .accept(&token, accept_body(first, last, GOOD_PASSWORD))
            .await;
        assert_eq!(ok.status, 200, "{ok:?}");
        people.push(a.typed::<domain::api::InviteResponse>().user);
    }
    // in the root client (default period, 6 months) a person deactivated two days ago stays
    let (_, rooted, _) = person(&mut admin, "Root", "Bleibt").await;
    let now = now_ms();
    let deactivate_at = |api: &mut Api, at: i64| api.set_clock(Some(at));
    for (who, at) in [
        (people[0].id, now - 2 * DAY),
        (people[1].id, now - DAY - 1000),
        (people[2].id, now - DAY / 2),
        (rooted.id, now - 2 * DAY),
    ] {
        deactivate_at(&mut admin, at);
        let a = post_empty(&mut admin, &format!("{}/deactivate", account(who))).await;
        assert_eq!(a.status, 200, "{a:?}");
    }
    // two deleted accounts: one past its 30-day window, one still inside it
    let (_, old, _) = person(&mut admin, "Purge", "Alt").await;
    let (_, young, _) = person(&mut admin, "Purge", "Jung").await;
    deactivate_at(&mut admin, now - 31 * DAY);
    assert_eq!(
        admin
            .send(Method::DELETE, &account(old.id), None)
            .await
            .status,
        204
    );
    deactivate_at(&mut admin, now - 29 * DAY);
    assert_eq!(
        admin
            .send(Method::DELETE, &account(young.id), None)
            .await
            .status,
        204
    );
    admin.set_clock(None);

    cron_at(now).await;

    let status_of = |v: &gatehouse_tests::harness::Answer| v.status.as_u16();
    for (id, expect) in [
        (people[0].id, 404),
        (people[1].id, 404),
        (people[2].id, 200),
        (rooted.id, 200),
    ] {
        let a = admin.get(&account(id)).await;
        assert_eq!(status_of(&a), expect, "{id}: {a:?}");
    }
    let mut operator = Api::new();
    operator.set_bearer(Some(OPERATOR_SECRET));
    let kept: DeletedAccounts = operator.get("/api/operator/deleted-accounts").await.typed();
    let ids: Vec<AccountId> = kept.accounts.iter().map(|d| d.id).collect();
    assert!(
        ids.contains(&people[0].id) && ids.contains(&people[1].id),
        "auto-deleted are kept for recovery"
    );
    assert!(!ids.contains(&old.id), "purged");
    assert!(ids.contains(&young.id), "inside the window");
    let purged = post_empty(
        &mut operator,
        &format!("/api/operator/accounts/{}/recover", old.id),
    )
    .await;
    assert_eq!(purged.status, 404);
    // the log keeps tombstones without personal data
    let log: AuditPage = admin
        .get(&format!(
            "/api/clients/{root}/audit?action=account.purged&account={}",
            old.id
        ))
        .await
        .typed();
    assert_eq!(log.events.len(), 1, "{log:?}");
    assert_eq!(log.events[0].subject_name, None);
    let auto: AuditPage = admin
        .get(&format!(
            "/api/clients/{}/audit?action=account.auto_deleted",
            sub.key
        ))
        .await
        .typed();
    assert_eq!(auto.events.len(), 2, "{auto:?}");
    // a second run finds nothing more to do (idempotent)
    cron_at(now).await;
    assert_eq!(admin.get(&account(people[2].id)).await.status, 200);
}

#[tokio::test]
async fn forgot_password_answers_the_same_for_anyone_and_the_link_works_once() {
    let mut admin = Api::admin_of("lifecycle").await;
    let (mut fritz, row, e) = person(&mut admin, "Fritz", "Vergesslich").await;
    let ask = |login: &str, client: &str| {
        let body = json!({"client_id": client, "login": login});
        async move { Api::new().post("/api/password-resets", body).await }
    };
    let known = ask(&row.username, "lifecycle").await;
    let unknown = ask("nobody.at.all", "lifecycle").await;
    let no_client = ask(&row.username, "no-such-client").await;
    for a in [&known, &unknown, &no_client] {
        assert_eq!(a.status.as_u16(), 202, "{a:?}");
    }
    assert_eq!(known.body, unknown.body);
    assert_eq!(unknown.body, no_client.body);
    let link = outbox_link_in(&e, "/reset#").await;
    let token = token_of(&link).to_owned();
    // the page shows whose account it is and the rules; an invitation token is no reset token
    let view: ResetView = Api::new().reset_link(&token).await.typed();
    assert_eq!(view.username, row.username);
    assert!(!view.password_policy.rules().is_empty());
    let foreign = Api::new().invitation(&token).await;
    assert_eq!(foreign.status, 404);
    let mut browser = Api::new();
    let weak = browser
        .complete_reset(
            &token,
            json!({"password": "short", "password_confirmation": "short"}),
        )
        .await;
    assert_eq!(status_code(&weak), (422, ErrorCode::WeakPassword));
    let done = browser
        .complete_reset(
            &token,
            json!({"password": NEW_PASSWORD, "password_confirmation": NEW_PASSWORD}),
        )
        .await;
    assert_eq!(done.status, 200, "{done:?}");
    assert_eq!(done.typed::<Me>().id, row.id);
    // the old session ended, the new password works, the old does not, the link is used up
    assert_eq!(fritz.get("/api/session").await.status, 401);
    assert_eq!(browser.get("/api/session").await.status, 200);
    assert_eq!(
        Api::new()
            .sign_in("lifecycle", &row.username, GOOD_PASSWORD)
            .await
            .status,
        401
    );
    assert_eq!(
        Api::new()
            .sign_in("lifecycle", &row.username, NEW_PASSWORD)
            .await
            .status,
        200
    );
    let reused = Api::new().reset_link(&token).await;
    assert_eq!(status_code(&reused), (410, ErrorCode::ResetUsed));
    mail_about(&e, "changed").await;
}

#[tokio::test]
async fn reset_links_run_out_on_time_and_follow_the_account() {
    let mut admin = Api::admin_of("lifecycle").await;
    let (_, row, e) = person(&mut admin, "Rena", "Reset").await;
    let sent = post_empty(&mut admin, &format!("{}/password-reset", account(row.id))).await;
    assert_eq!(sent.status, 200, "{sent:?}");
    let token = token_of(&outbox_link_in(&e, "/reset#").await).to_owned();
    // the client's reset validity (default 24 h): works at its last minute, not at its end
    let mut later = Api::new();
    later.set_clock(Some(now_ms() + DAY - 60_000));
    assert_eq!(later.reset_link(&token).await.status, 200);
    later.set_clock(Some(now_ms() + DAY + 60_000));
    assert_eq!(
        status_code(&later.reset_link(&token).await),
        (410, ErrorCode::ResetExpired)
    );
    // deactivated since: says so before any form
    let off = post_empty(&mut admin, &format!("{}/deactivate", account(row.id))).await;
    assert_eq!(off.status, 200);
    let a = Api::new().reset_link(&token).await;
    assert_eq!(
        status_code(&a),
        (410, ErrorCode::LinkAccountDeactivated),
        "{a:?}"
    );
    let refused = post_empty(&mut admin, &format!("{}/password-reset", account(row.id))).await;
    assert_eq!(status_code(&refused), (409, ErrorCode::AccountDeactivated));
    // deleted since: says so too
    let on = post_empty(&mut admin, &format!("{}/activate", account(row.id))).await;
    assert_eq!(on.status, 200);
    post_empty(&mut admin, &format!("{}/password-reset", account(row.id))).await;
    let deadline = Instant::now() + Duration::from_secs(15);
    let fresh = loop {
        let t = token_of(&outbox_link_in(&e, "/reset#").await).to_owned();
        if t != token {
            break t;
        }
        assert!(Instant::now() < deadline, "no second reset mail");
        tokio::time::sleep(Duration::from_millis(200)).await;
    };
    assert_eq!(
        admin
            .send(Method::DELETE, &account(row.id), None)
            .await
            .status,
        204
    );
    let a = Api::new().reset_link(&fresh).await;
    assert_eq!(
        status_code(&a),
        (410, ErrorCode::LinkAccountDeleted),
        "{a:?}"
    );
}

#[tokio::test]
async fn resetting_an_account_clears_the_password_and_sends_a_new_registration() {
    let mut admin = Api::admin_of("lifecycle").await;
    let (mut rolf, row, e) = person(&mut admin, "Rolf", "Neustart").await;
    let first = token_of(&outbox_link_for(&e).await).to_owned();
    let reset = post_empty(&mut admin, &format!("{}/reset", account(row.id))).await;
    assert_eq!(reset.status, 200, "{reset:?}");
    assert!(matches!(
        reset.typed::<UserRow>().badge,
        Badge::Invited {
            expires_at: Some(_)
        }
    ));
    assert_eq!(rolf.get("/api/session").await.status, 401);
    assert_eq!(
        Api::new()
            .sign_in("lifecycle", &row.username, GOOD_PASSWORD)
            .await
            .status,
        401
    );
    let deadline = Instant::now() + Duration::from_secs(15);
    let new = loop {
        let t = token_of(&outbox_link_for(&e).await).to_owned();
        if t != first {
            break t;
        }
        assert!(Instant::now() < deadline, "no new registration mail");
        tokio::time::sleep(Duration::from_millis(200)).await;
    };
    let ok = Api::new()
        .accept(&new, accept_body("Rolf", "Neustart", NEW_PASSWORD))
        .await;
    assert_eq!(ok.status, 200, "{ok:?}");
    assert_eq!(
        Api::new()
            .sign_in("lifecycle", &row.username, NEW_PASSWORD)
            .await
            .status,
        200
    );
}

#[tokio::test]
async fn a_copied_link_replaces_the_mailed_one_and_edits_are_checked_logged_and_told() {
    let mut admin = Api::admin_of("lifecycle").await;
    let e = email("cody");
    let cody = admin.invite("Cody", "Kopie", &e).await.user;
    let mailed = token_of(&outbox_link_for(&e).await).to_owned();
    let copied = post_empty(&mut admin, &format!("{}/invitation-link", account(cody.id))).await;
    assert_eq!(copied.status, 200, "{copied:?}");
    let copied: CopiedLink = copied.typed();
    assert!(copied.link.contains("/accept#"));
    let dead = Api::new().invitation(&mailed).await;
    assert_eq!(status_code(&dead), (410, ErrorCode::InvitationReplaced));
    let token = token_of(&copied.link).to_owned();
    assert_eq!(Api::new().invitation(&token).await.status, 200);
    assert_ne!(
        token_of(&outbox_link_for(&e).await),
        token,
        "a copied link is never mailed"
    );

    // edit: an accepted person's new address is told to the old and the new one
    let (_, row, old_mail) = person(&mut admin, "Edith", "Alt").await;
    let new_mail = email("edith.neu");
    let edited = admin
        .send(
            Method::PATCH,
            &account(row.id),
            Some(json!({"surname": "Neu", "email": new_mail.to_uppercase()})),
        )
        .await;
    assert_eq!(edited.status, 200, "{edited:?}");
    let view: AccountView = edited.typed();
    assert_eq!(
        (view.user.surname.as_str(), view.user.email.as_str()),
        ("Neu", new_mail.as_str())
    );
    mail_about(&old_mail, "e-mail address").await;
    mail_about(&new_mail, "e-mail address").await;
    let found: UserPage = admin.users("?q=edith%20neu").await.typed();
    assert!(
        found.users.iter().any(|u| u.id == row.id),
        "search follows the edit"
    );
    // taken username, bad e-mail: refused by field, nothing changed
    let taken = admin
        .send(
            Method::PATCH,
            &account(row.id),
            Some(json!({"username": cody.username})),
        )
        .await;
    assert_eq!(
        (status_code(&taken), taken.field()),
        ((409, ErrorCode::UsernameTaken), "username")
    );
    let bad = admin
        .send(
            Method::PATCH,
            &account(row.id),
            Some(json!({"email": "not an address"})),
        )
        .await;
    assert_eq!((bad.status.as_u16(), bad.field()), (422, "email"));
    let unchanged: AccountView = admin.get(&account(row.id)).await.typed();
    assert_eq!(unchanged.user, view.user);
    // the log says who changed what, before → after
    let history: AuditPage = admin
        .get(&format!("{}/audit", account(row.id)))
        .await
        .typed();
    let edit = history
        .events
        .iter()
        .find(|e| e.action == "account.edited")
        .expect("edit logged");
    let detail: serde_json::Value = serde_json::from_str(edit.detail.as_deref().unwrap()).unwrap();
    assert_eq!(detail["surname"], json!(["Alt", "Neu"]));
    assert_eq!(detail["email"][1], json!(new_mail));
    assert!(edit.actor_name.is_some() && edit.ip.is_some());
    // an accepted account has no invitation link to copy
    let none = post_empty(&mut admin, &format!("{}/invitation-link", account(row.id))).await;
    assert_eq!(status_code(&none), (409, ErrorCode::AlreadyRegistered));
}

#[tokio::test]
async fn a_security_report_mails_the_holder_their_recent_sign_ins_and_failures() {
    let mut admin = Api::admin_of("lifecycle").await;
    let (_, row, e) = person(&mut admin, "Report", "Empfang").await;
    // a wrong password from a known address, then a right one
    let mut stranger = Api::new();
    stranger.set_ip("203.0.113.77");
    let a = stranger
        .sign_in("lifecycle", &row.username, "Wrong-Password-9")
        .await;
    assert_eq!(a.status, 401, "{a:?}");
    let ok = Api::new()
        .sign_in("lifecycle", &row.username, GOOD_PASSWORD)
        .await;
    assert_eq!(ok.status, 200, "{ok:?}");
    let a = post_empty(&mut admin, &format!("{}/security-report", account(row.id))).await;
    assert_eq!(a.status, 200, "{a:?}");
    let mail = mail_about(&e, "Security report").await;
    assert!(
        mail.text
            .contains("Sign-in failed (Lifecycle GmbH, 203.0.113.77)"),
        "{}",
        mail.text
    );
    assert!(
        mail.text.contains("Signed in (Lifecycle GmbH"),
        "{}",
        mail.text
    );
    assert!(mail.text.contains("Invitation accepted"), "{}", mail.text);
    // logged, and refused for an account that is gone
    let history: AuditPage = admin
        .get(&format!("{}/audit", account(row.id)))
        .await
        .typed();
    assert!(history
        .events
        .iter()
        .any(|ev| ev.action == "account.security_report"));
    let gone = admin.send(Method::DELETE, &account(row.id), None).await;
    assert_eq!(gone.status, 204, "{gone:?}");
    let a = post_empty(&mut admin, &format!("{}/security-report", account(row.id))).await;
    assert_eq!(status_code(&a), (404, ErrorCode::NotFound));
}

#[tokio::test]
async fn a_dead_invitation_link_asks_the_inviting_admin_for_a_new_one_at_most_once_an_hour() {
    let mut admin = Api::admin_of("lifecycle").await;
    let e = email("renewal");
    let invited = admin.invite("Nele", "Neulink", &e).await.user;
    let token = token_of(&outbox_link_for(&e).await).to_owned();
    let ask = |token: String| async move { Api::new().new_link_request(&token).await };
    // a link that still works has nothing to ask for
    assert_eq!(
        status_code(&ask(token.clone()).await),
        (409, ErrorCode::Conflict)
    );
    let cancelled = admin
        .send(
            Method::DELETE,
            &format!("{}/invitation", account(invited.id)),
            None,
        )
        .await;
    assert_eq!(cancelled.status, 200, "{cancelled:?}");
    let a = ask(token.clone()).await;
    assert_eq!(a.status, 202, "{a:?}");
    let mail = mail_about("admin@lifecycle.example", "new invitation link").await;
    assert!(mail.text.contains(&e), "{}", mail.text);
    assert!(
        mail.text.contains(&format!("/accounts/{}", invited.id)),
        "{}",
        mail.text
    );
    // asked again: answered the same, but the admin is not mailed twice within the hour
    assert_eq!(ask(token.clone()).await.status, 202);
    tokio::time::sleep(Duration::from_millis(500)).await;
    let mut api = Api::new();
    let all: Vec<domain::api::OutboxMail> = api
        .get("/dev/outbox.json?to=admin@lifecycle.example")
        .await
        .typed();
    assert_eq!(
        all.iter().filter(|m| m.text.contains(&e)).count(),
        1,
        "one mail to the admin"
    );
    let history: AuditPage = admin
        .get(&format!("{}/audit", account(invited.id)))
        .await
        .typed();
    assert_eq!(
        history
            .events
            .iter()
            .filter(|ev| ev.action == "invitation.new_link_requested")
            .count(),
        1
    );
    // an unknown link is not found
    assert_eq!(
        status_code(&ask("x".repeat(43)).await),
        (404, ErrorCode::InvitationNotFound)
    );
}

#[tokio::test]
async fn a_new_link_request_reaches_another_admin_when_the_inviting_one_is_gone() {
    let mut admin = Api::admin_of("lifecycle").await;
    let key = admin.me().await.client.key;
    // a second admin, who invites someone and is then deactivated
    let (mut second, row, _) = person(&mut admin, "Ines", "Inviter").await;
    let roles: domain::api::RoleList = admin.get("/api/roles").await.typed();
    let admin_role = roles
        .roles
        .iter()
        .find(|r| r.builtin == Some(domain::BuiltinRole::Admin))
        .expect("admin role")
        .id;
    let promoted = admin
        .post(
            &format!("/api/clients/{key}/bulk-actions"),
            json!({"action": "change_role", "role": admin_role, "selection": {"accounts": [row.id]}}),
        )
        .await;
    assert_eq!(promoted.status, 200, "{promoted:?}");
    let e = email("fallback");
    let invited = second.invite("Fiona", "Fallback", &e).await.user;
    let token = token_of(&outbox_link_for(&e).await).to_owned();
    let cancelled = second
        .send(
            Method::DELETE,
            &format!("{}/invitation", account(invited.id)),
            None,
        )
        .await;
    assert_eq!(cancelled.status, 200, "{cancelled:?}");
    let off = post_empty(&mut admin, &format!("{}/deactivate", account(row.id))).await;
    assert_eq!(off.status, 200, "{off:?}");
    // the person asks: the company's first admin hears of it, not the deactivated inviter
    let a = Api::new().new_link_request(&token).await;
    assert_eq!(a.status, 202, "{a:?}");
    let mail = mail_about("admin@lifecycle.example", "new invitation link").await;
    assert!(mail.text.contains(&e), "{}", mail.text);
    let inviter: Vec<domain::api::OutboxMail> = Api::new()
        .get(&format!("/dev/outbox.json?to={}", row.email))
        .await
        .typed();
    assert!(
        inviter.iter().all(|m| !m.text.contains(&e)),
        "nothing to the deactivated inviter"
    );
}
