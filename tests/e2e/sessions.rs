//! Sessions people can see and end, against real workerd: one's own list with the current one
//! marked, "sign out this session" and "sign out everywhere else" ending the others at once, an
//! admin ending an account's sessions, and the idle timeout and absolute lifetime at their
//! instants (moved clock).

use domain::api::{EndedSessions, ErrorCode, SessionList};
use gatehouse_tests::harness::{Api, GOOD_PASSWORD};
use serde_json::json;
use std::time::{SystemTime, UNIX_EPOCH};

use crate::lifecycle::person;

fn now_ms() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .expect("clock")
        .as_millis() as i64
}

async fn signed_in(username: &str) -> Api {
    let mut api = Api::new();
    let a = api.sign_in("lifecycle", username, GOOD_PASSWORD).await;
    assert_eq!(a.status, 200, "{a:?}");
    api
}

#[tokio::test]
async fn a_person_sees_their_sessions_and_ends_one_or_every_other_at_once() {
    let mut admin = Api::admin_of("lifecycle").await;
    let (mut first, row, _) = person(&mut admin, "Sina", "Sessions").await;
    let mut second = signed_in(&row.username).await;
    let mut third = signed_in(&row.username).await;
    let list: SessionList = first.get("/api/session/sessions").await.typed();
    assert_eq!(list.sessions.len(), 3, "{list:?}");
    assert_eq!(list.sessions.iter().filter(|s| s.current).count(), 1);
    // the second browser's session, as the second browser sees it
    let own: SessionList = second.get("/api/session/sessions").await.typed();
    let second_id = own.sessions.iter().find(|s| s.current).expect("current").id;

    // "sign out this session" from the first browser: the second one is out at once
    let a = first
        .post("/api/session/sessions/end", json!({ "session": second_id }))
        .await;
    assert_eq!(a.status, 200, "{a:?}");
    assert_eq!(a.typed::<EndedSessions>().ended, 1);
    assert_eq!(second.get("/api/session").await.status, 401);
    assert_eq!(third.get("/api/session").await.status, 200);
    // a session that is not (or no longer) the person's is not found, and nothing changes
    let a = first
        .post("/api/session/sessions/end", json!({ "session": second_id }))
        .await;
    assert_eq!((a.status.as_u16(), a.code()), (404, ErrorCode::NotFound));
    let a = first.post("/api/session/sessions/end", json!({})).await;
    assert_eq!((a.status.as_u16(), a.field()), (422, "session"));

    // "sign out everywhere else": every other session ends, this one stays
    let a = first
        .post("/api/session/sessions/end", json!({ "others": true }))
        .await;
    assert_eq!(a.typed::<EndedSessions>().ended, 1);
    assert_eq!(third.get("/api/session").await.status, 401);
    assert_eq!(first.get("/api/session").await.status, 200);

    // the admin sees the account's one session and ends it
    let path = format!("/api/accounts/{}/sessions", row.id);
    let list: SessionList = admin.get(&path).await.typed();
    assert_eq!(list.sessions.len(), 1);
    assert!(!list.sessions[0].current);
    let a = admin
        .post(&format!("{path}/end"), json!({ "others": true }))
        .await;
    assert_eq!(a.typed::<EndedSessions>().ended, 1);
    assert_eq!(first.get("/api/session").await.status, 401);
    // the person's history says so
    let history: domain::api::AuditPage = admin
        .get(&format!("/api/accounts/{}/audit", row.id))
        .await
        .typed();
    assert!(history.events.iter().any(|e| e.action == "session.ended"));
}

#[tokio::test]
async fn a_session_ends_after_thirty_idle_minutes_and_after_twelve_hours_whatever_its_use() {
    let mut admin = Api::admin_of("lifecycle").await;
    let (_, row, _) = person(&mut admin, "Ida", "Idle").await;
    let t = now_ms();
    let minute = 60_000;
    // idle: alive one millisecond before thirty minutes without a request, ended at thirty
    let mut idle = Api::new();
    idle.set_clock(Some(t));
    assert_eq!(
        idle.sign_in("lifecycle", &row.username, GOOD_PASSWORD)
            .await
            .status,
        200
    );
    idle.set_clock(Some(t + 30 * minute - 1));
    assert_eq!(idle.get("/api/session").await.status, 200);
    // that request was a use: thirty more minutes from it
    idle.set_clock(Some(t + 60 * minute - 2));
    assert_eq!(idle.get("/api/session").await.status, 200);
    idle.set_clock(Some(t + 90 * minute - 2));
    let a = idle.get("/api/session").await;
    assert_eq!(
        (a.status.as_u16(), a.code()),
        (401, ErrorCode::Unauthenticated)
    );

    // absolute: used every twenty minutes, still over at twelve hours
    let mut busy = Api::new();
    busy.set_clock(Some(t));
    assert_eq!(
        busy.sign_in("lifecycle", &row.username, GOOD_PASSWORD)
            .await
            .status,
        200
    );
    let mut at = t;
    while at + 20 * minute < t + 12 * 60 * minute {
        at += 20 * minute;
        busy.set_clock(Some(at));
        assert_eq!(
            busy.get("/api/session").await.status,
            200,
            "at +{} min",
            (at - t) / minute
        );
    }
    busy.set_clock(Some(t + 12 * 60 * minute - 1));
    assert_eq!(busy.get("/api/session").await.status, 200);
    busy.set_clock(Some(t + 12 * 60 * minute));
    assert_eq!(busy.get("/api/session").await.status, 401);
}
