//! The HTTP API as a client sees it.

use domain::api::{ErrorCode, InvitationView, Me, UserPage};
use domain::password::PasswordRule;
use domain::{AccountStatus, Badge};
use gatehouse_tests::harness::{
    outbox_link_for, outbox_mail_for, show, token_of, Answer, Api, ADMIN_PASSWORD, GOOD_PASSWORD,
};
use reqwest::Method;
use serde_json::json;
use std::time::{Duration, Instant};

/// A unique e-mail per test run and purpose, so tests can share one database.
fn email(tag: &str) -> String {
    format!("{tag}.{}@test.example", uuid::Uuid::new_v4().simple())
}

#[tokio::test]
async fn sign_in_sets_a_host_only_strict_cookie_and_sign_out_ends_the_session() {
    let mut api = Api::new();
    let a = api.sign_in("ACME", "Admin", ADMIN_PASSWORD).await;
    assert_eq!(a.status, 200, "{a:?}");
    assert_eq!(a.typed::<Me>().client.name, "Acme GmbH");
    let cookie = a.set_cookie.expect("session cookie");
    for part in [
        "__Host-gatehouse_session=",
        "Path=/",
        "HttpOnly",
        "Secure",
        "SameSite=Strict",
    ] {
        assert!(cookie.contains(part), "{cookie} lacks {part}");
    }
    assert_eq!(
        api.get("/api/session").await.typed::<Me>().username,
        "admin"
    );
    let out = api.send(Method::DELETE, "/api/session", None).await;
    assert_eq!(out.status, 204);
    assert_eq!(api.get("/api/session").await.status, 401);
}

#[tokio::test]
async fn wrong_password_unknown_user_and_unknown_client_all_look_the_same() {
    let answers = [
        Api::new()
            .sign_in("acme", "admin", "Wrong-Password-1")
            .await,
        Api::new()
            .sign_in("acme", "nobody.here", ADMIN_PASSWORD)
            .await,
        Api::new()
            .sign_in("no-such-client", "admin", ADMIN_PASSWORD)
            .await,
    ];
    for a in &answers {
        assert_eq!(a.status, 401, "{a:?}");
        assert_eq!(a.code(), ErrorCode::InvalidCredentials);
        assert!(a.set_cookie.is_none());
    }
    assert_eq!(answers[0].body, answers[1].body);
    assert_eq!(answers[1].body, answers[2].body);
}

#[tokio::test]
async fn repeated_failures_lock_the_account_key_even_for_the_right_password() {
    // a fresh invitee, so no other test's sign-ins share the key
    let mut admin = Api::admin_of("acme").await;
    let e = email("locked");
    let invited = admin.invite("Lock", "Out", &e).await;
    let token = token_of(&outbox_link_for(&e).await).to_string();
    let accepted = Api::new()
        .accept(&token, accept_body("Lock", "Out", GOOD_PASSWORD))
        .await;
    assert_eq!(accepted.status, 200, "{accepted:?}");
    let user = invited.user.username;
    for attempt in 1..=5 {
        let a = Api::new().sign_in("acme", &user, "Wrong-Password-1").await;
        assert_eq!(
            (a.status.as_u16(), a.code()),
            (401, ErrorCode::InvalidCredentials),
            "attempt {attempt}"
        );
    }
    let locked = Api::new().sign_in("acme", &user, GOOD_PASSWORD).await;
    assert_eq!(
        (locked.status.as_u16(), locked.code()),
        (429, ErrorCode::RateLimited)
    );
    // names that do not exist are throttled the same way, so the answer reveals nothing
    for _ in 1..=5 {
        assert_eq!(
            Api::new()
                .sign_in("acme", "ghost.user", "Wrong-Password-1")
                .await
                .status,
            401
        );
    }
    assert_eq!(
        Api::new()
            .sign_in("acme", "ghost.user", "Wrong-Password-1")
            .await
            .status,
        429
    );
}

#[tokio::test]
async fn parallel_guesses_are_each_counted_before_any_password_is_checked() {
    let user = format!("burst.{}", uuid::Uuid::new_v4().simple());
    let guesses: Vec<_> = (0..20)
        .map(|i| {
            let user = user.clone();
            tokio::spawn(async move {
                Api::new()
                    .sign_in("acme", &user, &format!("Guess-Number-{i}"))
                    .await
            })
        })
        .collect();
    let mut answers = Vec::new();
    for guess in guesses {
        answers.push(guess.await.expect("guess task"));
    }
    let checked = answers.iter().filter(|a| a.status == 401).count();
    let refused = answers.iter().filter(|a| a.status == 429).count();
    assert_eq!(checked + refused, 20, "{answers:?}");
    assert!(
        checked <= 5,
        "{checked} of 20 parallel guesses were checked"
    );
    let retry = answers
        .iter()
        .find(|a| a.status == 429)
        .and_then(|a| a.retry_after)
        .expect("Retry-After on 429");
    assert!((1..=900).contains(&retry), "Retry-After {retry}");
}

#[tokio::test]
async fn users_list_is_newest_first_filtered_and_keyset_paginated() {
    let mut admin = Api::admin_of("acme").await;
    let mine = admin.invite("Paula", "Pager", &email("paula")).await;
    let first = admin.users("?limit=2").await;
    assert_eq!(first.status, 200, "{first:?}");
    let users = first.typed::<UserPage>().users;
    assert_eq!(users.len(), 2);
    let created: Vec<i64> = users.iter().map(|u| u.created_at.0).collect();
    assert!(created[0] >= created[1], "newest first: {created:?}");
    assert!(created[0] >= mine.user.created_at.0);
    let cursor = first.typed::<UserPage>().next_cursor.expect("more pages");
    let second = admin.users(&format!("?limit=2&cursor={cursor}")).await;
    let second_users = second.typed::<UserPage>().users;
    assert_eq!(second_users.len(), 2);
    assert!(
        second_users
            .iter()
            .all(|u| !users.iter().any(|v| v.id == u.id)),
        "pages overlap"
    );
    assert!(second_users[0].created_at <= users[1].created_at);

    // walking every page visits every account exactly once
    let mut seen = std::collections::HashSet::new();
    let mut cursor: Option<String> = None;
    loop {
        let path = match &cursor {
            Some(c) => format!("?limit=3&cursor={c}"),
            None => "?limit=3".into(),
        };
        let page: UserPage = admin.users(&path).await.typed();
        for u in &page.users {
            assert!(seen.insert(u.id), "seen twice: {u:?}");
        }
        match page.next_cursor {
            Some(c) => cursor = Some(c),
            None => break,
        }
    }
    assert!(seen.contains(&mine.user.id));

    let accepted = admin.users("?status=accepted&limit=100").await;
    let rows = accepted.typed::<UserPage>().users;
    assert!(!rows.is_empty());
    assert!(
        rows.iter().all(|u| u.status == AccountStatus::Accepted),
        "{}",
        show(&accepted.body)
    );

    let bad = admin.users("?status=pending").await;
    assert_eq!(
        (bad.status.as_u16(), bad.code(), bad.field()),
        (422, ErrorCode::FieldInvalid, "status")
    );
    let bad = admin.users("?cursor=garbage").await;
    assert_eq!((bad.status.as_u16(), bad.field()), (422, "cursor"));
}

#[tokio::test]
async fn seeded_expired_invitations_show_an_expired_badge() {
    let mut admin = Api::admin_of("acme").await;
    let badges = |page: Answer| -> Vec<Badge> {
        page.typed::<UserPage>()
            .users
            .into_iter()
            .map(|u| u.badge)
            .collect()
    };
    // "expired" and "invited" are filters of their own, each showing only its badge
    let expired = badges(admin.users("?status=expired&limit=100").await);
    assert!(!expired.is_empty());
    assert!(
        expired.iter().all(|b| matches!(b, Badge::Expired { .. })),
        "{expired:?}"
    );
    let invited = badges(admin.users("?status=invited&limit=100").await);
    assert!(!invited.is_empty());
    assert!(
        invited.iter().all(|b| matches!(b, Badge::Invited { .. })),
        "{invited:?}"
    );
}

#[tokio::test]
async fn the_list_and_other_companies_never_cross_tenants() {
    let mut acme = Api::admin_of("acme").await;
    let person = acme.invite("Tara", "Tenant", &email("tara")).await;
    let mut globex = Api::admin_of("globex").await;
    let page = globex.users("?limit=100").await;
    let body = page.body.to_string();
    assert!(!body.contains(&person.user.id.to_string()));
    assert!(!body.contains("acme.example"), "globex sees acme: {body}");
}

#[tokio::test]
async fn invite_creates_an_invited_account_proposes_a_unique_username_and_mails_a_link() {
    let mut admin = Api::admin_of("acme").await;
    let (e1, e2) = (email("ulla1"), email("ulla2"));
    let first = admin.invite("Ülla", "Über-Maß", &e1).await;
    let second = admin.invite("Ülla", "Über-Maß", &e2).await;
    assert!(
        first.user.username.starts_with("uella.ueber-mass"),
        "{}",
        first.user.username
    );
    assert_ne!(first.user.username, second.user.username);
    assert_eq!(first.user.status, domain::AccountStatus::Invited);
    let days = (first.expires_at.0 - first.user.created_at.0) / 86_400_000;
    assert_eq!(days, 21, "default validity");
    assert_eq!(
        first.user.badge,
        domain::Badge::Invited {
            expires_at: Some(first.expires_at)
        }
    );

    let link = outbox_link_for(&e1).await;
    let token = token_of(&link);
    // no answer ever carries the token: not the invite answer, not the list
    let list = admin.users("?limit=100").await;
    assert!(!list.body.to_string().contains(token));
    assert!(!serde_json::to_string(&first).unwrap().contains(token));
    let mail = outbox_mail_for(&e1).await;
    assert!(mail.subject.contains("Acme GmbH"), "{}", mail.subject);

    // an explicitly chosen username that is taken is refused by name
    let taken = admin
        .invite_raw(json!({"first_name": "A", "surname": "B", "email": email("taken"), "username": first.user.username}))
        .await;
    assert_eq!(
        (taken.status.as_u16(), taken.code(), taken.field()),
        (409, ErrorCode::UsernameTaken, "username")
    );
}

#[tokio::test]
async fn inviting_an_address_again_is_a_resend_never_a_second_account() {
    let mut admin = Api::admin_of("acme").await;
    let e = email("dup");
    let first = admin.invite("Dana", "Dup", &e).await.user;
    let old = token_of(&outbox_link_for(&e).await).to_owned();
    let again = admin
        .invite_raw(json!({"first_name": "Dana", "surname": "Dup", "email": e.to_uppercase()}))
        .await;
    assert_eq!(again.status, 200, "{again:?}");
    let resent: domain::api::InviteResponse = again.typed();
    assert!(resent.resent);
    assert_eq!(resent.user.id, first.id, "the same account, no second one");
    let dead = Api::new().invitation(&old).await;
    assert_eq!(dead.code(), ErrorCode::InvitationReplaced, "{dead:?}");
    // an address whose account has registered is taken
    let registered = admin
        .invite_raw(json!({"first_name": "Ada", "surname": "Admin", "email": "admin@acme.example"}))
        .await;
    assert_eq!(
        (
            registered.status.as_u16(),
            registered.code(),
            registered.field()
        ),
        (409, ErrorCode::EmailTaken, "email")
    );

    // two admins inviting the same new address at the same moment: one account, one link
    let race = email("race");
    let mut a = Api::admin_of("acme").await;
    let mut b = Api::admin_of("acme").await;
    let body = json!({"first_name": "Rita", "surname": "Race", "email": race});
    let (ra, rb) = tokio::join!(a.invite_raw(body.clone()), b.invite_raw(body.clone()));
    let mut statuses = [ra.status.as_u16(), rb.status.as_u16()];
    statuses.sort();
    assert!(
        statuses == [200, 201] || statuses == [201, 409],
        "one creates, the other resends (or meets the first mid-write): {ra:?} {rb:?}"
    );
    let listed: UserPage = admin.users("?q=rita%20race&limit=100").await.typed();
    assert_eq!(listed.users.iter().filter(|u| u.email == race).count(), 1);

    // another company may invite the same person
    let mut globex = Api::admin_of("globex").await;
    globex.invite("Dana", "Dup", &e).await;
}

#[tokio::test]
async fn bad_input_gets_a_4xx_naming_the_field_and_stores_nothing() {
    let mut admin = Api::admin_of("acme").await;
    let cases = [
        (
            json!({"surname": "X", "email": email("refused")}),
            ErrorCode::FieldMissing,
            "first_name",
        ),
        (
            json!({"first_name": "  ", "surname": "X", "email": email("refused")}),
            ErrorCode::FieldMissing,
            "first_name",
        ),
        (
            json!({"first_name": "X", "surname": "X", "email": "not-an-email"}),
            ErrorCode::FieldInvalid,
            "email",
        ),
        (
            json!({"first_name": "X".repeat(101), "surname": "X", "email": email("refused")}),
            ErrorCode::FieldTooLong,
            "first_name",
        ),
        (
            json!({"first_name": "X", "surname": "X", "email": email("refused"), "role": "00000000-0000-4000-8000-000000000000"}),
            ErrorCode::FieldInvalid,
            "role",
        ),
        (
            json!({"first_name": "X", "surname": "X", "email": email("refused"), "username": "no spaces"}),
            ErrorCode::FieldInvalid,
            "username",
        ),
        (
            json!({"first_name": "X", "surname": "X", "email": email("refused"), "message": "m".repeat(1001)}),
            ErrorCode::FieldTooLong,
            "message",
        ),
    ];
    for (body, code, field) in cases {
        let a = admin.invite_raw(body.clone()).await;
        assert_eq!(
            (a.status.as_u16(), a.code(), a.field()),
            (422, code, field),
            "{body}: {a:?}"
        );
    }
    let invitations = format!("/api/clients/{}/invitations", admin.me().await.client.key);
    let malformed = admin
        .send_raw(
            Method::POST,
            &invitations,
            "application/json",
            b"{\"first_name\": ".to_vec(),
        )
        .await;
    assert_eq!(
        (malformed.status.as_u16(), malformed.code()),
        (400, ErrorCode::MalformedJson)
    );
    // the media type is parsed, not prefix-matched: application/jsonp is not JSON
    for content_type in ["text/plain", "application/jsonp"] {
        let wrong_type = admin
            .send_raw(Method::POST, &invitations, content_type, b"{}".to_vec())
            .await;
        assert_eq!(
            (wrong_type.status.as_u16(), wrong_type.code()),
            (415, ErrorCode::UnsupportedMediaType),
            "{content_type}"
        );
    }
    let huge = admin
        .send_raw(
            Method::POST,
            &invitations,
            "application/json",
            vec![b' '; 20_000],
        )
        .await;
    assert_eq!(
        (huge.status.as_u16(), huge.code()),
        (413, ErrorCode::PayloadTooLarge)
    );

    let list = admin.users("?limit=100").await.body.to_string();
    assert!(
        !list.contains("refused."),
        "a refused invitation stored an account"
    );
}

#[tokio::test]
async fn routes_answer_unknown_paths_methods_and_cross_site_posts_in_json() {
    let mut api = Api::new();
    let a = api.get("/api/nothing-here").await;
    assert_eq!((a.status.as_u16(), a.code()), (404, ErrorCode::NotFound));
    let a = api.send(Method::PUT, "/api/session", None).await;
    assert_eq!(
        (a.status.as_u16(), a.code()),
        (405, ErrorCode::MethodNotAllowed)
    );

    let http = reqwest::Client::new();
    let url = format!("{}/api/session", api.base);
    let body = json!({"client_id": "acme", "username": "admin", "password": ADMIN_PASSWORD});
    for origin in [None, Some("https://evil.example")] {
        let mut req = http.post(&url).json(&body);
        if let Some(o) = origin {
            req = req.header("origin", o);
        }
        let resp = req.send().await.unwrap();
        assert_eq!(resp.status(), 403, "origin {origin:?}");
        let v: serde_json::Value = resp.json().await.unwrap();
        assert_eq!(v["error"]["code"], "csrf_rejected");
    }
    // a page on another name resolving to 127.0.0.1 (DNS rebinding) does not get the dev outbox
    let port = api.base.rsplit(':').next().unwrap();
    let rebound = http
        .get(format!("{}/dev/outbox.json", api.base))
        .header("host", format!("localhost.rebind.example:{port}"))
        .send()
        .await
        .unwrap();
    assert_eq!(rebound.status(), 404);
    let cross_site = http
        .post(&url)
        .header("sec-fetch-site", "cross-site")
        .header("origin", &api.base)
        .json(&body)
        .send()
        .await
        .unwrap();
    assert_eq!(cross_site.status(), 403);
}

#[tokio::test]
async fn only_admins_may_list_and_invite() {
    let mut admin = Api::admin_of("acme").await;
    let e = email("plain");
    admin.invite("Plain", "User", &e).await;
    let link = outbox_link_for(&e).await;
    let mut person = Api::new();
    let a = person
        .accept(token_of(&link), accept_body("Plain", "User", GOOD_PASSWORD))
        .await;
    assert_eq!(a.status, 200, "{a:?}");
    assert_eq!(person.users("").await.status, 403);
    let invite = person
        .invite_raw(json!({"first_name": "X", "surname": "Y", "email": email("x")}))
        .await;
    assert_eq!(
        (invite.status.as_u16(), invite.code()),
        (403, ErrorCode::Forbidden)
    );
    let users = admin.users_path().await;
    assert_eq!(Api::new().get(&users).await.status, 401);
}

fn accept_body(first: &str, last: &str, password: &str) -> serde_json::Value {
    json!({"first_name": first, "surname": last, "password": password, "password_confirmation": password})
}

#[tokio::test]
async fn a_hash_made_with_older_parameters_moves_to_the_current_ones_at_sign_in() {
    // `old.hash` was stored with m = 4 MiB, t = 1 (see the `rehash` fixture); today's are OWASP's
    let rehashed = |me: &Me| {
        let id = me.id.to_string();
        async move {
            let log = Api::new()
                .get(&format!("/dev/audit.json?subject={id}"))
                .await;
            log.body
                .as_array()
                .expect("audit events")
                .iter()
                .filter(|r| r["subject_id"] == id.as_str() && r["action"] == "password.rehashed")
                .count()
        }
    };
    // a wrong password on the old hash upgrades nothing
    let wrong = Api::new()
        .sign_in("rehash", "old.hash", "Not-The-Password-1")
        .await;
    assert_eq!(wrong.status, 401);
    let first = Api::new()
        .sign_in("rehash", "old.hash", ADMIN_PASSWORD)
        .await;
    assert_eq!(first.status, 200, "{first:?}");
    let me: Me = first.typed();
    assert_eq!(rehashed(&me).await, 1, "the first sign-in moves the hash");
    // the new hash verifies, and is current: no second upgrade
    let again = Api::new()
        .sign_in("rehash", "old.hash", ADMIN_PASSWORD)
        .await;
    assert_eq!(again.status, 200, "{again:?}");
    assert_eq!(rehashed(&me).await, 1, "already current");
}

#[tokio::test]
async fn no_link_token_reaches_any_url_the_worker_sees() {
    // the whole journey: invite, look at the link, accept, a mailed reset, look at it, use it
    let mut admin = Api::admin_of("acme").await;
    let e = email("unlogged");
    let invited = admin.invite("Una", "Logged", &e).await;
    let link = outbox_link_for(&e).await;
    assert!(link.contains("/accept#"), "{link}");
    let invitation = token_of(&link).to_owned();
    let mut person = Api::new();
    assert_eq!(person.invitation(&invitation).await.status, 200);
    let accepted = person
        .accept(&invitation, accept_body("Una", "Logged", GOOD_PASSWORD))
        .await;
    assert_eq!(accepted.status, 200, "{accepted:?}");
    let path = format!("/api/accounts/{}/password-reset", invited.user.id);
    let sent = admin.send(Method::POST, &path, None).await;
    assert_eq!(sent.status, 200, "{sent:?}");
    let reset_link = gatehouse_tests::harness::outbox_link_in(&e, "/reset#").await;
    let reset = token_of(&reset_link).to_owned();
    assert_eq!(Api::new().reset_link(&reset).await.status, 200);
    let new_password = "Quiet-Harbour-Lamp-58";
    let done = Api::new()
        .complete_reset(
            &reset,
            json!({"password": new_password, "password_confirmation": new_password}),
        )
        .await;
    assert_eq!(done.status, 200, "{done:?}");

    // a link mailed before tokens left the path is moved behind `#`, never cached
    let old_style = "B".repeat(43);
    let direct = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .expect("client");
    for page in ["accept", "reset"] {
        let moved = direct
            .get(format!("{}/{page}/{old_style}", person.base))
            .send()
            .await
            .expect("old-style link");
        assert_eq!(moved.status(), 302);
        let header = |name: &str| {
            moved
                .headers()
                .get(name)
                .and_then(|v| v.to_str().ok())
                .map(str::to_owned)
        };
        assert_eq!(
            header("location").as_deref(),
            Some(format!("/{page}#{old_style}").as_str())
        );
        assert_eq!(header("cache-control").as_deref(), Some("no-store"));
        assert_eq!(header("referrer-policy").as_deref(), Some("no-referrer"));
    }

    // what the worker saw: wrangler's log of every request line, and the worker's own output
    let log_file = gatehouse_tests::harness::server()
        .state
        .join("wrangler.log");
    let deadline = Instant::now() + Duration::from_secs(10);
    let log = loop {
        let log = std::fs::read_to_string(&log_file).expect("wrangler log");
        // the check below only means something if request URLs are logged at all
        if log.contains("/api/password-resets/complete") && log.contains("/api/invitations/accept")
        {
            break log;
        }
        assert!(
            Instant::now() < deadline,
            "wrangler's log does not list request URLs; cannot check it"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    };
    for (what, token) in [("invitation", &invitation), ("reset", &reset)] {
        assert!(
            !log.contains(token.as_str()),
            "the {what} token is in the log"
        );
    }
}

#[tokio::test]
async fn accepting_sets_the_password_corrects_names_signs_in_and_works_only_once() {
    let mut admin = Api::admin_of("acme").await;
    let e = email("happy");
    let invited = admin.invite("Hapy", "Path", &e).await;
    let link = outbox_link_for(&e).await;
    let token = token_of(&link);

    let mut person = Api::new();
    let view = person.invitation(token).await;
    assert_eq!(view.status, 200, "{view:?}");
    let shown: InvitationView = view.typed();
    assert_eq!(shown.first_name, "Hapy");
    assert_eq!(shown.client_name, "Acme GmbH");
    assert_eq!(shown.invited_by, "Ada Admin");
    // looking twice consumes nothing (mail scanners open links)
    assert_eq!(person.invitation(token).await.status, 200);

    let mismatch = person
        .accept(token, json!({"first_name": "Happy", "surname": "Path", "password": GOOD_PASSWORD, "password_confirmation": "Other-Horse-42"}))
        .await;
    assert_eq!(
        (mismatch.status.as_u16(), mismatch.code(), mismatch.field()),
        (422, ErrorCode::PasswordMismatch, "password_confirmation")
    );

    let ok = person
        .accept(token, accept_body("Happy", "Path", GOOD_PASSWORD))
        .await;
    assert_eq!(ok.status, 200, "{ok:?}");
    assert_eq!(ok.typed::<Me>().first_name, "Happy");
    assert!(ok.set_cookie.is_some());
    assert_eq!(
        person.get("/api/session").await.typed::<Me>().email,
        e.as_str()
    );

    let again = Api::new()
        .accept(token, accept_body("Happy", "Path", "Another-Pass-43"))
        .await;
    assert_eq!(
        (again.status.as_u16(), again.code()),
        (409, ErrorCode::InvitationUsed)
    );
    assert_eq!(
        Api::new().invitation(token).await.code(),
        ErrorCode::InvitationUsed
    );

    let list = admin.users("?status=accepted&limit=100").await;
    let row = list
        .typed::<UserPage>()
        .users
        .into_iter()
        .find(|u| u.id == invited.user.id)
        .expect("accepted row");
    assert_eq!(row.badge, Badge::Accepted);
    assert_eq!(row.first_name, "Happy");

    let mut again = Api::new();
    assert_eq!(
        again
            .sign_in("acme", &invited.user.username, GOOD_PASSWORD)
            .await
            .status,
        200
    );
    assert_eq!(
        Api::new()
            .sign_in("acme", &invited.user.username, "Another-Pass-43")
            .await
            .status,
        401
    );
}

#[tokio::test]
async fn two_concurrent_accepts_leave_exactly_one_winner() {
    let mut admin = Api::admin_of("acme").await;
    let e = email("twice");
    let invited = admin.invite("Twin", "Click", &e).await;
    let token = token_of(&outbox_link_for(&e).await).to_string();
    let (mut a, mut b) = (Api::new(), Api::new());
    let (ra, rb) = tokio::join!(
        a.accept(&token, accept_body("Twin", "A", "First-Winner-11")),
        b.accept(&token, accept_body("Twin", "B", "Second-Winner-22"))
    );
    let mut statuses = [ra.status.as_u16(), rb.status.as_u16()];
    statuses.sort();
    assert_eq!(statuses, [200, 409], "{ra:?} {rb:?}");
    let (winner_password, loser_password) = if ra.status == 200 {
        ("First-Winner-11", "Second-Winner-22")
    } else {
        ("Second-Winner-22", "First-Winner-11")
    };
    assert_eq!(
        Api::new()
            .sign_in("acme", &invited.user.username, winner_password)
            .await
            .status,
        200
    );
    assert_eq!(
        Api::new()
            .sign_in("acme", &invited.user.username, loser_password)
            .await
            .status,
        401
    );
}

#[tokio::test]
async fn weak_passwords_are_refused_with_every_unmet_rule() {
    let mut admin = Api::admin_of("acme").await;
    let e = email("weakling");
    admin.invite("Weak", "Ling", &e).await;
    let token = token_of(&outbox_link_for(&e).await).to_string();
    let a = Api::new()
        .accept(&token, accept_body("Weak", "Ling", "password"))
        .await;
    assert_eq!(
        (a.status.as_u16(), a.code()),
        (422, ErrorCode::WeakPassword),
        "{a:?}"
    );
    assert_eq!(
        a.error.as_ref().expect("an error").rules,
        [
            PasswordRule::Uppercase,
            PasswordRule::Digit,
            PasswordRule::Special,
            PasswordRule::NotCommon
        ]
    );
    let personal = Api::new()
        .accept(&token, accept_body("Weak", "Ling", "Xx1!weak.ling-pw"))
        .await;
    assert_eq!(
        personal.error.as_ref().expect("an error").rules,
        [PasswordRule::NotPersonal],
        "{personal:?}"
    );
    // the link still works after refusals
    assert_eq!(Api::new().invitation(&token).await.status, 200);
}

#[tokio::test]
async fn the_nist_preset_refuses_breached_passwords_on_accept_and_reset() {
    let mut admin = Api::admin_of("acme").await;
    let sub = admin
        .sub_client_with("Breach Watch", "nist", json!({"password_preset": "nist"}))
        .await;
    let e = email("breached");
    let invited = admin
        .post(
            &format!("/api/clients/{}/invitations", sub.key),
            json!({"first_name": "Bree", "surname": "Chester", "email": e}),
        )
        .await;
    assert_eq!(invited.status, 201, "{invited:?}");
    let invited: domain::api::InviteResponse = invited.typed();
    let token = token_of(&outbox_link_for(&e).await).to_owned();
    let view: InvitationView = Api::new().invitation(&token).await.typed();
    assert!(view
        .password_policy
        .rules()
        .contains(&PasswordRule::NotBreached));
    // from the breach list the worker's filter is built from, not among the 10,000 most common,
    // long enough for NIST and free of personal data: only the breach check refuses them
    for leaked in ["1qaz2wsx3edc4rfv", "1QAZ2WSX3EDC4RFV", "passwordpassword"] {
        let refused = Api::new()
            .accept(&token, accept_body("Bree", "Chester", leaked))
            .await;
        assert_eq!(
            (refused.status.as_u16(), refused.code()),
            (422, ErrorCode::WeakPassword),
            "{leaked}: {refused:?}"
        );
        assert_eq!(
            refused.error.as_ref().expect("an error").rules,
            [PasswordRule::NotBreached],
            "{leaked}"
        );
    }
    let fresh = "violet kettle drums at midnight";
    let accepted = Api::new()
        .accept(&token, accept_body("Bree", "Chester", fresh))
        .await;
    assert_eq!(accepted.status, 200, "{accepted:?}");
    // a reset link refuses them too
    let path = format!("/api/accounts/{}/password-reset", invited.user.id);
    let sent = admin.send(Method::POST, &path, None).await;
    assert_eq!(sent.status, 200, "{sent:?}");
    let reset = token_of(&gatehouse_tests::harness::outbox_link_in(&e, "/reset#").await).to_owned();
    let leaked = "qwertyuiopasdfgh";
    let refused = Api::new()
        .complete_reset(
            &reset,
            json!({"password": leaked, "password_confirmation": leaked}),
        )
        .await;
    assert_eq!(
        (refused.status.as_u16(), refused.code()),
        (422, ErrorCode::WeakPassword),
        "{refused:?}"
    );
    assert_eq!(
        refused.error.as_ref().expect("an error").rules,
        [PasswordRule::NotBreached]
    );
}

#[tokio::test]
async fn expired_and_unknown_links_are_refused_distinctly() {
    // shortlived's settings row gives links one second
    let mut admin = Api::admin_of("shortlived").await;
    let e = email("late");
    admin.invite("Lena", "Late", &e).await;
    let token = token_of(&outbox_link_for(&e).await).to_string();
    let deadline = Instant::now() + Duration::from_secs(10);
    loop {
        let a = Api::new().invitation(&token).await;
        if a.status == 410 {
            assert_eq!(a.code(), ErrorCode::InvitationExpired);
            break;
        }
        assert!(Instant::now() < deadline, "link never expired: {a:?}");
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    let late = Api::new()
        .accept(&token, accept_body("Lena", "Late", GOOD_PASSWORD))
        .await;
    assert_eq!(
        (late.status.as_u16(), late.code()),
        (410, ErrorCode::InvitationExpired)
    );
    let badge = admin.users("?status=expired").await;
    assert!(badge
        .typed::<UserPage>()
        .users
        .iter()
        .any(|u| u.email == e.as_str() && matches!(u.badge, Badge::Expired { .. })));

    let unknown = "A".repeat(43);
    for token in [unknown.as_str(), "short"] {
        let a = Api::new().invitation(token).await;
        assert_eq!(
            (a.status.as_u16(), a.code()),
            (404, ErrorCode::InvitationNotFound)
        );
    }
    let a = Api::new()
        .accept(&unknown, accept_body("A", "B", GOOD_PASSWORD))
        .await;
    assert_eq!(
        (a.status.as_u16(), a.code()),
        (404, ErrorCode::InvitationNotFound)
    );
}

#[tokio::test]
async fn every_step_of_the_journey_lands_in_the_audit_log() {
    let mut admin = Api::admin_of("acme").await;
    let e = email("audited");
    let invited = admin.invite("Audrey", "Audit", &e).await;
    let token = token_of(&outbox_link_for(&e).await).to_string();
    let mut person = Api::new();
    let accepted = person
        .accept(&token, accept_body("Audrey", "Audit", GOOD_PASSWORD))
        .await;
    assert_eq!(accepted.status, 200, "{accepted:?}");
    assert_eq!(
        person
            .send(Method::DELETE, "/api/session", None)
            .await
            .status,
        204
    );
    for _ in 0..6 {
        Api::new()
            .sign_in("acme", &invited.user.username, "Wrong-Password-1")
            .await;
    }
    let id = invited.user.id.to_string();
    let log = Api::new()
        .get(&format!("/dev/audit.json?subject={id}"))
        .await;
    assert_eq!(log.status, 200, "{log:?}");
    let rows = log.body.as_array().expect("audit events").clone();
    let actions: Vec<&str> = rows
        .iter()
        .filter(|r| r["subject_id"] == id.as_str())
        .filter_map(|r| r["action"].as_str())
        .collect();
    for expected in [
        "invitation.created",
        "invitation.accepted",
        "session.signed_in",
        "session.signed_out",
        "session.sign_in_failed",
        "session.sign_in_locked",
    ] {
        assert!(
            actions.contains(&expected),
            "{expected} missing from {actions:?}"
        );
    }
    assert_eq!(
        actions
            .iter()
            .filter(|a| **a == "session.sign_in_locked")
            .count(),
        1,
        "{actions:?}"
    );
    // nothing secret is in the log: no token, no password, no hash
    let everything = log.body.to_string();
    for secret in [token.as_str(), GOOD_PASSWORD, "$argon2id$"] {
        assert!(!everything.contains(secret), "audit log contains {secret}");
    }
}

#[tokio::test]
async fn hashed_assets_are_cached_for_a_year_and_the_page_is_revalidated() {
    let base = &gatehouse_tests::harness::server().base;
    let get = |path: String| async move {
        let r = reqwest::get(format!("{base}{path}")).await.expect("asset");
        assert_eq!(r.status(), 200, "{path}");
        let cache = r.headers()["cache-control"]
            .to_str()
            .unwrap_or_default()
            .to_owned();
        (cache, r.text().await.unwrap_or_default())
    };
    let (page_cache, page) = get("/".into()).await;
    assert_eq!(page_cache, "no-cache");
    assert_eq!(
        get("/users".into()).await.0,
        "no-cache",
        "an SPA route is the page"
    );
    assert_eq!(
        get("/boot.js".into()).await.0,
        "no-cache",
        "boot.js keeps its name"
    );
    // the hashed files index.html names
    let hashed: Vec<String> = page
        .split('"')
        .filter(|s| {
            s.starts_with("/gatehouse-app-") || (s.starts_with("/app-") && s.ends_with(".css"))
        })
        .map(str::to_owned)
        .collect();
    assert!(hashed.len() >= 3, "js, wasm and css in {page}");
    for path in hashed {
        assert_eq!(
            get(path.clone()).await.0,
            "public, max-age=31536000, immutable",
            "{path}"
        );
    }
}

#[tokio::test]
async fn resending_an_invitation_kills_the_old_link_and_restarts_its_validity() {
    let mut admin = Api::admin_of("bustling").await;
    let e = email("resend");
    let invited = admin.invite("Rita", "Resend", &e).await.user;
    let Badge::Invited {
        expires_at: Some(first_expiry),
    } = invited.badge
    else {
        panic!("{:?}", invited.badge)
    };
    let old = token_of(&outbox_link_for(&e).await).to_owned();
    let path = format!("/api/accounts/{}/invitation", invited.id);
    tokio::time::sleep(Duration::from_millis(5)).await;
    let resent = admin.send(Method::POST, &path, None).await;
    assert_eq!(resent.status, 200, "{resent:?}");
    let row: domain::api::UserRow = resent.typed();
    let Badge::Invited {
        expires_at: Some(new_expiry),
    } = row.badge
    else {
        panic!("{:?}", row.badge)
    };
    assert!(new_expiry > first_expiry, "the validity restarts");
    // the old link is dead at once, the new one (in the newest mail) works
    let dead = Api::new().invitation(&old).await;
    assert_eq!(
        (dead.status.as_u16(), dead.code()),
        (410, ErrorCode::InvitationReplaced)
    );
    let deadline = Instant::now() + Duration::from_secs(15);
    let new = loop {
        let link = outbox_link_for(&e).await;
        if token_of(&link) != old {
            break token_of(&link).to_owned();
        }
        assert!(Instant::now() < deadline, "no new mail");
        tokio::time::sleep(Duration::from_millis(100)).await;
    };
    assert_eq!(Api::new().invitation(&new).await.status, 200);
    // two admins resending at the same moment: one pending link afterwards, whoever won
    let (a, b) = tokio::join!(
        async {
            Api::admin_of("bustling")
                .await
                .send(Method::POST, &path, None)
                .await
        },
        async {
            Api::admin_of("bustling")
                .await
                .send(Method::POST, &path, None)
                .await
        }
    );
    assert!(a.status == 200 || b.status == 200, "{a:?} {b:?}");
    for x in [&a, &b] {
        assert!(x.status == 200 || x.code() == ErrorCode::Conflict, "{x:?}");
    }
    let listed: UserPage = admin
        .users("?status=invited&q=rita%20resend&limit=100")
        .await
        .typed();
    assert_eq!(
        listed.users.iter().filter(|u| u.id == invited.id).count(),
        1
    );
    // once accepted there is nothing to resend
    let current = token_of(&outbox_link_for(&e).await).to_owned();
    let accepted = Api::new()
        .accept(&current, accept_body("Rita", "Resend", GOOD_PASSWORD))
        .await;
    assert_eq!(accepted.status, 200, "{accepted:?}");
    let again = admin.send(Method::POST, &path, None).await;
    assert_eq!(
        (again.status.as_u16(), again.code()),
        (409, ErrorCode::AlreadyRegistered)
    );
    // another company's account: 404, as for every route
    let mut globex = Api::admin_of("globex").await;
    assert_eq!(globex.send(Method::POST, &path, None).await.status, 404);
}

#[tokio::test]
async fn cancelling_kills_the_link_at_once_and_a_resend_brings_a_new_one() {
    let mut admin = Api::admin_of("bustling").await;
    let e = email("cancel");
    let invited = admin.invite("Cora", "Cancel", &e).await.user;
    let token = token_of(&outbox_link_for(&e).await).to_owned();
    let path = format!("/api/accounts/{}/invitation", invited.id);
    let cancelled = admin.send(Method::DELETE, &path, None).await;
    assert_eq!(cancelled.status, 200, "{cancelled:?}");
    assert_eq!(
        cancelled.typed::<domain::api::UserRow>().badge,
        Badge::Cancelled
    );
    let dead = Api::new().invitation(&token).await;
    assert_eq!(
        (dead.status.as_u16(), dead.code()),
        (410, ErrorCode::InvitationCancelled)
    );
    let again = admin.send(Method::DELETE, &path, None).await;
    assert_eq!(
        (again.status.as_u16(), again.code()),
        (409, ErrorCode::NoPendingInvitation)
    );
    // Cancelled is not Invited: the filter and its count leave it out, All keeps it
    let invited_list: UserPage = admin.users("?status=invited&q=cora%20cancel").await.typed();
    assert!(invited_list.users.iter().all(|u| u.id != invited.id));
    let all: UserPage = admin.users("?q=cora%20cancel").await.typed();
    assert!(all.users.iter().any(|u| u.id == invited.id));
    // a resend from Cancelled sends a link that works
    let resent = admin.send(Method::POST, &path, None).await;
    assert_eq!(resent.status, 200, "{resent:?}");
    let deadline = Instant::now() + Duration::from_secs(15);
    let fresh = loop {
        let link = outbox_link_for(&e).await;
        if token_of(&link) != token {
            break token_of(&link).to_owned();
        }
        assert!(Instant::now() < deadline, "no new mail");
        tokio::time::sleep(Duration::from_millis(100)).await;
    };
    // cancel and accept at the same moment: exactly one of them happens
    let (c, a) = tokio::join!(
        async {
            Api::admin_of("bustling")
                .await
                .send(Method::DELETE, &path, None)
                .await
        },
        async {
            Api::new()
                .accept(&fresh, accept_body("Cora", "Cancel", GOOD_PASSWORD))
                .await
        }
    );
    assert!(
        (c.status == 200) != (a.status == 200),
        "exactly one wins: cancel {c:?}, accept {a:?}"
    );
    let row: UserPage = admin.users("?q=cora%20cancel").await.typed();
    let row = row
        .users
        .iter()
        .find(|u| u.id == invited.id)
        .expect("listed");
    if a.status == 200 {
        assert_eq!(row.badge, Badge::Accepted);
    } else {
        assert_eq!(row.badge, Badge::Cancelled);
    }
}

#[tokio::test]
async fn every_answer_carries_the_hardening_headers_static_files_and_errors_included() {
    let base = Api::new().base.clone();
    let http = reqwest::Client::new();
    let get = |path: &str| http.get(format!("{base}{path}"));
    let cases = [
        ("the app", get("/"), domain::headers::APP_CSP),
        (
            "a deep link of the app",
            get("/accounts/x"),
            domain::headers::APP_CSP,
        ),
        ("a static file", get("/boot.js"), domain::headers::APP_CSP),
        (
            "an API answer",
            get("/api/session"),
            domain::headers::API_CSP,
        ),
        (
            "an API 404",
            get("/api/nothing-here"),
            domain::headers::API_CSP,
        ),
        (
            "an API error",
            http.post(format!("{base}/api/session"))
                .header("origin", &base)
                .header("content-type", "application/json")
                .body("{not json"),
            domain::headers::API_CSP,
        ),
    ];
    for (what, req, csp) in cases {
        let resp = req.send().await.expect("answer");
        let status = resp.status();
        let h = resp.headers();
        for (name, wanted) in domain::headers::HARDENING {
            assert_eq!(
                h.get(name).and_then(|v| v.to_str().ok()),
                Some(wanted),
                "{what} ({status}): {name}"
            );
        }
        assert_eq!(
            h.get("content-security-policy")
                .and_then(|v| v.to_str().ok()),
            Some(csp),
            "{what} ({status})"
        );
    }
}

#[tokio::test]
async fn guesses_lock_out_their_source_and_strangers_but_never_the_person_in_their_own_browser() {
    let mut admin = Api::admin_of("acme").await;
    let e = email("known.browser");
    let invited = admin.invite("Kim", "Known", &e).await;
    let token = token_of(&outbox_link_for(&e).await).to_string();
    // the person's own browser: accepting signed it in, and it keeps the account's device cookie
    let mut mine = Api::new();
    mine.set_ip("198.51.100.7");
    let a = mine
        .accept(&token, accept_body("Kim", "Known", GOOD_PASSWORD))
        .await;
    assert_eq!(a.status, 200, "{a:?}");
    assert!(
        mine.cookie()
            .is_some_and(|c| c.contains("__Host-gatehouse_device=")),
        "{:?}",
        mine.cookie()
    );
    let user = invited.user.username;
    let from = |ip: &str| {
        let mut api = Api::new();
        api.set_ip(ip);
        api
    };
    // one source guessing: after five wrong tries that source is refused, even the right password
    let mut guesser = from("203.0.113.1");
    for _ in 0..5 {
        assert_eq!(
            guesser
                .sign_in("acme", &user, "Wrong-Password-1")
                .await
                .status,
            401
        );
    }
    let a = guesser.sign_in("acme", &user, GOOD_PASSWORD).await;
    assert_eq!((a.status.as_u16(), a.code()), (429, ErrorCode::RateLimited));
    // … but nobody else is: the penalty is the guesser's
    assert_eq!(
        from("203.0.113.2")
            .sign_in("acme", &user, GOOD_PASSWORD)
            .await
            .status,
        200
    );
    // many sources guessing: past fifty tries in the window strangers are refused too …
    for i in 0..50 {
        let a = from(&format!("203.0.113.{}", 10 + i))
            .sign_in("acme", &user, "Wrong-Password-1")
            .await;
        assert_eq!(a.status, 401, "guess {i}: {a:?}");
    }
    let a = from("203.0.113.99")
        .sign_in("acme", &user, GOOD_PASSWORD)
        .await;
    assert_eq!((a.status.as_u16(), a.code()), (429, ErrorCode::RateLimited));
    // … never the person's own browser
    assert_eq!(
        mine.send(Method::DELETE, "/api/session", None).await.status,
        204
    );
    let a = mine.sign_in("acme", &user, GOOD_PASSWORD).await;
    assert_eq!(a.status, 200, "{a:?}");
}
