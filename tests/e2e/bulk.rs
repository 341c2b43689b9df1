//! Bulk actions against real workerd: every row of a 1,000-account action reported with the single
//! action's answer, "everything matching" bounded at 1,000, and two admins racing over the same
//! accounts leaving each account changed exactly once.

use std::collections::HashMap;
use std::time::Instant;

use domain::api::{AuditPage, BulkReport, ErrorCode, UserPage, MAX_BULK};
use domain::{AccountId, Badge};
use gatehouse_tests::harness::Api;
use serde_json::json;

/// Every account of the admin's client with its badge, walking the list's pages.
async fn everyone(admin: &mut Api) -> Vec<(AccountId, Badge)> {
    let mut out = Vec::new();
    let mut query = "?limit=100".to_owned();
    loop {
        let page: UserPage = admin.users(&query).await.typed();
        out.extend(page.users.iter().map(|u| (u.id, u.badge)));
        match page.next_cursor {
            Some(c) => query = format!("?limit=100&cursor={c}"),
            None => return out,
        }
    }
}

async fn bulk(admin: &mut Api, body: serde_json::Value) -> gatehouse_tests::harness::Answer {
    let key = admin.me().await.client.key;
    admin
        .post(&format!("/api/clients/{key}/bulk-actions"), body)
        .await
}

async fn counts(admin: &mut Api) -> domain::list::ListCounts {
    admin.users("?limit=1").await.typed::<UserPage>().counts
}

/// What the single deactivation answers for an account with this badge.
fn deactivation_of(badge: Badge) -> Option<ErrorCode> {
    match badge {
        Badge::Accepted => None,
        Badge::Deactivated => Some(ErrorCode::AlreadyDeactivated),
        Badge::Invited { .. } | Badge::Expired { .. } | Badge::Cancelled => {
            Some(ErrorCode::NeverRegistered)
        }
    }
}

#[tokio::test]
async fn a_bulk_action_over_1000_accounts_reports_every_row_as_the_single_action_would() {
    let mut admin = Api::admin_of("bulky").await;
    let me = admin.me().await;
    let all = everyone(&mut admin).await;
    assert!(
        all.len() > MAX_BULK,
        "the seed has more than 1,000 accounts"
    );

    // everything matching a filter of more than 1,000 accounts is refused, and nothing changes
    let before = counts(&mut admin).await;
    let a = bulk(
        &mut admin,
        json!({"action": "deactivate", "selection": {"matching": {"status": "all"}}}),
    )
    .await;
    assert_eq!(
        (a.status.as_u16(), a.code()),
        (422, ErrorCode::TooManyAccounts),
        "{a:?}"
    );
    assert_eq!(counts(&mut admin).await, before);
    // so is a list of more than 1,000
    let many: Vec<AccountId> = all.iter().take(MAX_BULK + 1).map(|(id, _)| *id).collect();
    let a = bulk(
        &mut admin,
        json!({"action": "deactivate", "selection": {"accounts": many}}),
    )
    .await;
    assert_eq!(
        (a.status.as_u16(), a.code()),
        (422, ErrorCode::TooManyAccounts),
        "{a:?}"
    );

    // 1,000 rows: the admin's own account, one that does not exist, and 998 of every status
    let unknown = AccountId::from_random_bytes([7; 16]);
    let others: Vec<(AccountId, Badge)> = all
        .iter()
        .filter(|(id, _)| *id != me.id)
        .take(MAX_BULK - 2)
        .copied()
        .collect();
    let mut ids = vec![me.id, unknown];
    ids.extend(others.iter().map(|(id, _)| *id));
    let started = Instant::now();
    let a = bulk(
        &mut admin,
        json!({"action": "deactivate", "selection": {"accounts": ids}}),
    )
    .await;
    let took = started.elapsed();
    assert_eq!(a.status, 200, "{a:?}");
    let report: BulkReport = a.typed();
    println!(
        "bulk deactivate of {} rows took {took:?}",
        report.rows.len()
    );
    assert_eq!(report.rows.len(), MAX_BULK);
    let order: Vec<AccountId> = report.rows.iter().map(|r| r.account).collect();
    assert_eq!(order, ids, "every row, in the order asked");
    assert_eq!(report.rows[0].refused, Some(ErrorCode::OwnAccount));
    assert_eq!(report.rows[1].refused, Some(ErrorCode::NotFound));
    let mut done = 0;
    for (row, (id, badge)) in report.rows[2..].iter().zip(&others) {
        assert_eq!(row.account, *id);
        assert!(!row.username.is_empty(), "{row:?}");
        assert_eq!(
            row.refused,
            deactivation_of(*badge),
            "{row:?} was {badge:?}"
        );
        done += u32::from(row.refused.is_none());
    }
    assert!(done > 300, "a third of the seed is accepted: {done}");
    assert_eq!(report.done, done);
    assert_eq!(report.refused, MAX_BULK as u32 - done);
    let after = counts(&mut admin).await;
    assert_eq!(after.deactivated, before.deactivated + u64::from(done));
    assert_eq!(after.accepted, before.accepted - u64::from(done));

    // everything deactivated, activated again by filter: the matching ones, each done
    let a = bulk(
        &mut admin,
        json!({"action": "activate", "selection": {"matching": {"status": "deactivated"}}}),
    )
    .await;
    assert_eq!(a.status, 200, "{a:?}");
    let report: BulkReport = a.typed();
    assert_eq!(u64::from(report.done), after.deactivated);
    assert_eq!(
        report.refused,
        0,
        "{:?}",
        report.rows.iter().find(|r| r.refused.is_some())
    );
    assert_eq!(counts(&mut admin).await.deactivated, 0);

    // an empty selection and an unknown action are refused
    let a = bulk(
        &mut admin,
        json!({"action": "activate", "selection": {"accounts": []}}),
    )
    .await;
    assert_eq!(
        (a.status.as_u16(), a.code()),
        (422, ErrorCode::FieldMissing),
        "{a:?}"
    );
    let a = bulk(
        &mut admin,
        json!({"action": "explode", "selection": {"accounts": [me.id]}}),
    )
    .await;
    assert_eq!(a.status, 400, "{a:?}");
}

#[tokio::test]
async fn two_admins_bulk_deactivating_the_same_accounts_at_once_change_each_exactly_once() {
    let mut first = Api::admin_of("bulkrace").await;
    let me = first.me().await;
    // a second session, as a second admin's browser would be
    let mut second = Api::new();
    let a = second
        .sign_in(
            "bulkrace",
            "admin",
            gatehouse_tests::harness::ADMIN_PASSWORD,
        )
        .await;
    assert_eq!(a.status, 200, "{a:?}");
    let all: Vec<(AccountId, Badge)> = everyone(&mut first)
        .await
        .into_iter()
        .filter(|(id, _)| *id != me.id)
        .collect();
    let ids: Vec<AccountId> = all.iter().map(|(id, _)| *id).collect();
    let body = json!({"action": "deactivate", "selection": {"accounts": ids}});
    let (a, b) = tokio::join!(bulk(&mut first, body.clone()), bulk(&mut second, body));
    assert_eq!(
        (a.status.as_u16(), b.status.as_u16()),
        (200, 200),
        "{a:?} {b:?}"
    );
    let (a, b): (BulkReport, BulkReport) = (a.typed(), b.typed());
    let accepted: Vec<AccountId> = all
        .iter()
        .filter(|(_, badge)| *badge == Badge::Accepted)
        .map(|(id, _)| *id)
        .collect();
    assert!(accepted.len() > 30);
    let done = |r: &BulkReport| -> HashMap<AccountId, Option<ErrorCode>> {
        r.rows
            .iter()
            .map(|row| (row.account, row.refused))
            .collect()
    };
    let (da, db) = (done(&a), done(&b));
    for id in &accepted {
        let outcomes = [da[id], db[id]];
        assert_eq!(
            outcomes.iter().filter(|o| o.is_none()).count(),
            1,
            "{id} deactivated exactly once: {outcomes:?}"
        );
        assert!(
            outcomes
                .iter()
                .flatten()
                .all(|code| matches!(code, ErrorCode::Conflict | ErrorCode::AlreadyDeactivated)),
            "the loser says why: {outcomes:?}"
        );
    }
    // one event per account
    let key = me.client.key;
    let mut events: HashMap<AccountId, usize> = HashMap::new();
    let mut path = format!("/api/clients/{key}/audit?action=account.deactivated&limit=100");
    loop {
        let page: AuditPage = first.get(&path).await.typed();
        for e in &page.events {
            *events.entry(e.subject.expect("subject")).or_default() += 1;
        }
        match page.next_cursor {
            Some(c) => {
                path = format!(
                    "/api/clients/{key}/audit?action=account.deactivated&limit=100&cursor={c}"
                )
            }
            None => break,
        }
    }
    for id in &accepted {
        assert_eq!(events.get(id), Some(&1), "{id}: one deactivation event");
    }
    assert_eq!(
        events.len(),
        accepted.len(),
        "no event for an account not deactivated"
    );
}
