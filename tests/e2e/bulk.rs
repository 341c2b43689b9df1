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

#[tokio::test]
async fn a_bulk_role_change_gives_each_account_the_role_and_never_more_than_the_admin_holds() {
    use domain::api::{RoleList, UserRow};
    use domain::permissions::BuiltinRole;
    let mut admin = Api::admin_of("bulkrole").await;
    let me = admin.me().await;
    let roles: RoleList = admin.get("/api/roles").await.typed();
    let builtin = |b: BuiltinRole| {
        roles
            .roles
            .iter()
            .find(|r| r.builtin == Some(b))
            .expect("built-in role")
            .id
    };
    let (admin_role, user_role) = (builtin(BuiltinRole::Admin), builtin(BuiltinRole::User));
    let lead_role = roles
        .roles
        .iter()
        .find(|r| r.name == "Team lead")
        .expect("custom role")
        .id;
    let users_path = format!("/api/clients/{}/users?limit=100", me.client.key);
    let all: Vec<UserRow> = admin.get(&users_path).await.typed::<UserPage>().users;
    let ids: Vec<AccountId> = all.iter().map(|u| u.id).collect();
    let by_name = |name: &str| all.iter().find(|u| u.username == name).expect(name).id;
    let (second, lead) = (by_name("second.admin"), by_name("team.lead"));

    // without a role, or with one of no company's, nothing happens
    for (role, code) in [
        (json!(null), ErrorCode::FieldMissing),
        (
            json!("00000000-0000-4000-8000-000000000000"),
            ErrorCode::FieldInvalid,
        ),
    ] {
        let a = bulk(
            &mut admin,
            json!({"action": "change_role", "role": role, "selection": {"accounts": ids}}),
        )
        .await;
        assert_eq!((a.status.as_u16(), a.code()), (422, code), "{a:?}");
    }

    // everyone gets the team lead role: the admin's own account is skipped, the lead already has it
    let a = bulk(
        &mut admin,
        json!({"action": "change_role", "role": lead_role, "selection": {"accounts": ids}}),
    )
    .await;
    assert_eq!(a.status, 200, "{a:?}");
    let report: BulkReport = a.typed();
    for row in &report.rows {
        let expected = (row.account == me.id).then_some(ErrorCode::OwnAccount);
        assert_eq!(row.refused, expected, "{row:?}");
    }
    assert_eq!(report.done as usize, ids.len() - 1);
    for u in admin.get(&users_path).await.typed::<UserPage>().users {
        let expected = if u.id == me.id { admin_role } else { lead_role };
        assert_eq!(u.role.id, expected, "{}", u.username);
    }
    // one event with before → after for each account that changed (not for the lead, who had it)
    let key = me.client.key;
    let page: AuditPage = admin
        .get(&format!(
            "/api/clients/{key}/audit?action=account.access_changed&limit=100"
        ))
        .await
        .typed();
    let changed: Vec<_> = page.events.iter().filter_map(|e| e.subject).collect();
    assert_eq!(changed.len(), ids.len() - 2, "{changed:?}");
    assert!(!changed.contains(&lead) && !changed.contains(&me.id));
    let second_event = page
        .events
        .iter()
        .find(|e| e.subject == Some(second))
        .expect("event");
    let detail: serde_json::Value =
        serde_json::from_str(second_event.detail.as_deref().expect("before → after"))
            .expect("detail is JSON");
    assert_eq!(detail["role"][1], "Team lead", "{detail}");

    // the team lead may not hand out the admin role (it holds permissions the lead does not)
    let mut lead_api = Api::new();
    let a = lead_api
        .sign_in(
            "bulkrole",
            "team.lead",
            gatehouse_tests::harness::ADMIN_PASSWORD,
        )
        .await;
    assert_eq!(a.status, 200, "{a:?}");
    let a = bulk(
        &mut lead_api,
        json!({"action": "change_role", "role": admin_role, "selection": {"accounts": [second]}}),
    )
    .await;
    assert_eq!(
        (a.status.as_u16(), a.code()),
        (403, ErrorCode::ExceedsOwnRights),
        "{a:?}"
    );
    // nor demote the only admin: the company keeps one
    let a = bulk(
        &mut lead_api,
        json!({"action": "change_role", "role": user_role, "selection": {"accounts": [me.id]}}),
    )
    .await;
    assert_eq!(a.status, 200, "{a:?}");
    assert_eq!(
        a.typed::<BulkReport>().rows[0].refused,
        Some(ErrorCode::LastAdmin)
    );

    // two admins demoting each other at the same moment leave exactly one admin
    let a = bulk(
        &mut admin,
        json!({"action": "change_role", "role": admin_role, "selection": {"accounts": [second]}}),
    )
    .await;
    assert_eq!(a.typed::<BulkReport>().done, 1);
    let mut second_api = Api::new();
    let a = second_api
        .sign_in(
            "bulkrole",
            "second.admin",
            gatehouse_tests::harness::ADMIN_PASSWORD,
        )
        .await;
    assert_eq!(a.status, 200, "{a:?}");
    let demote = |who: AccountId| json!({"action": "change_role", "role": user_role, "selection": {"accounts": [who]}});
    let (a, b) = tokio::join!(
        bulk(&mut admin, demote(second)),
        bulk(&mut second_api, demote(me.id))
    );
    let done = |a: &gatehouse_tests::harness::Answer| {
        a.status == 200 && a.clone().typed::<BulkReport>().done == 1
    };
    assert_eq!(
        u8::from(done(&a)) + u8::from(done(&b)),
        1,
        "exactly one demotion: {a:?} {b:?}"
    );
    let admins = lead_api
        .get(&users_path)
        .await
        .typed::<UserPage>()
        .users
        .iter()
        .filter(|u| u.role.id == admin_role && u.status == domain::AccountStatus::Accepted)
        .count();
    assert_eq!(admins, 1);
}
