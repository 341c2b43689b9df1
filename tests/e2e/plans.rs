//! The structure that keeps the hot paths fast, not a time: every statement the users list and the
//! invite ran (session lookup included) is served by an index: `EXPLAIN QUERY PLAN` of each, from
//! the worker's own record of what these requests prepared, against the local D1. So no request
//! reads a whole client, whatever its size.

use domain::AccountStatus;
use gatehouse_tests::harness::Api;
use serde::Deserialize;

#[derive(Debug, Deserialize)]
struct QueryPlan {
    sql: String,
    plan: Vec<String>,
}

/// Tables that grow with a client's accounts: neither a scan nor a search on the tenant column
/// alone (which reads the whole client, e.g. `(client_id=?)` with a `GLOB` filter) may touch them,
/// unless a `LIMIT` bounds what is read.
const PER_CLIENT: [&str; 7] = [
    "accounts",
    "invitations",
    "sessions",
    "audit_events",
    "account_clients",
    "outbox",
    "sign_in_attempts",
];

/// Tables bounded per company (≤ 1,000 clients, a few roles): reading one company's rows is fine,
/// scanning every company's is not.
const PER_COMPANY: [&str; 2] = ["clients", "roles"];

/// The steps of one plan that read more than the request needs.
fn scans(plan: &QueryPlan) -> Vec<String> {
    let bounded = plan.sql.contains(" LIMIT ");
    plan.plan
        .iter()
        .filter(|step| {
            let mut words = step.split_whitespace();
            let (kind, target) = (words.next().unwrap_or(""), words.next().unwrap_or(""));
            let is =
                |tables: &[&str]| tables.contains(&target) || aliases(&plan.sql, target, tables);
            match kind {
                "SCAN" => is(&PER_CLIENT) || is(&PER_COMPANY),
                "SEARCH" => is(&PER_CLIENT) && !bounded && tenant_only(step),
                _ => false,
            }
        })
        .cloned()
        .collect()
}

/// Whether a `SEARCH` step is constrained by the tenant column alone: `(client_id=?)`.
fn tenant_only(step: &str) -> bool {
    let constraint = step.rsplit_once('(').map(|(_, c)| c.trim_end_matches(')'));
    matches!(constraint, Some("client_id=?" | "company_id=?"))
}

/// Whether `alias` stands for one of `tables` in `sql` (`FROM accounts a`, `JOIN sessions s`).
fn aliases(sql: &str, alias: &str, tables: &[&str]) -> bool {
    let words: Vec<&str> = sql.split_whitespace().collect();
    words
        .windows(2)
        .any(|w| tables.contains(&w[0]) && w[1].trim_end_matches(',') == alias)
}

#[tokio::test]
async fn every_statement_of_the_list_and_invite_paths_runs_on_an_index() {
    let mut admin = Api::admin_of("acme").await;
    // only this test's requests are recorded, so other tests running at once do not mix in
    let record = format!("plans-{}", uuid::Uuid::new_v4().simple());
    admin.record_statements_as(&record);
    // the list: first page, a later page by cursor, each status filter
    let first = admin.users("?limit=2").await;
    assert_eq!(first.status, 200, "{first:?}");
    let cursor = first.body["next_cursor"].as_str().expect("a second page");
    assert_eq!(
        admin
            .users(&format!("?limit=2&cursor={cursor}"))
            .await
            .status,
        200
    );
    for status in AccountStatus::ALL {
        let page = admin.users(&format!("?status={}", status.as_str())).await;
        assert_eq!(page.status, 200, "{page:?}");
    }
    // the invite, twice with the same name so the username proposal meets a taken one
    let tag = uuid::Uuid::new_v4().simple().to_string();
    admin
        .invite("Plan", "Probe", &format!("plan.{tag}@test.example"))
        .await;
    admin
        .invite("Plan", "Probe", &format!("plan2.{tag}@test.example"))
        .await;

    let answer = Api::new()
        .get(&format!("/dev/query-plans?record={record}"))
        .await;
    assert_eq!(answer.status, 200, "{answer:?}");
    let plans: Vec<QueryPlan> = serde_json::from_value(answer.body).expect("plans");
    assert!(
        plans.iter().any(|p| p.sql.contains("FROM accounts")),
        "the record holds the list's statements"
    );
    let findings: Vec<String> = plans
        .iter()
        .filter_map(|p| {
            let s = scans(p);
            (!s.is_empty()).then(|| format!("{}\n    {}", p.sql, s.join("\n    ")))
        })
        .collect();
    assert!(
        findings.is_empty(),
        "statements that scan a large table:\n{}",
        findings.join("\n")
    );
}

#[test]
fn scans_and_whole_client_searches_are_found_bounded_searches_are_not() {
    let plan = |sql: &str, steps: &[&str]| QueryPlan {
        sql: sql.into(),
        plan: steps.iter().map(|s| s.to_string()).collect(),
    };
    let join = "SELECT 1 FROM accounts a JOIN clients c ON c.id = a.client_id WHERE a.id = ?1";
    assert_eq!(scans(&plan(join, &["SCAN a"])), vec!["SCAN a".to_owned()]);
    assert_eq!(scans(&plan(join, &["SCAN c"])), vec!["SCAN c".to_owned()]);
    assert!(scans(&plan(
        join,
        &["SEARCH a USING INDEX sqlite_autoindex_accounts_1 (id=?)"]
    ))
    .is_empty());
    // the old username proposal: index-served in name, the whole client in rows
    let glob = "SELECT username FROM accounts WHERE client_id = ?1 AND (username = ?2 OR username GLOB ?3)";
    let whole = "SEARCH accounts USING INDEX accounts_username (client_id=?)";
    assert_eq!(scans(&plan(glob, &[whole])), vec![whole.to_owned()]);
    let page =
        "SELECT a.id FROM accounts a WHERE a.client_id = ?1 ORDER BY a.created_at DESC LIMIT ?2";
    assert!(scans(&plan(
        page,
        &["SEARCH a USING INDEX accounts_newest (client_id=?)"]
    ))
    .is_empty());
    let roles = "SELECT id FROM roles WHERE company_id = ?1";
    assert!(scans(&plan(
        roles,
        &["SEARCH roles USING INDEX roles_builtin (company_id=?)"]
    ))
    .is_empty());
    assert!(scans(&plan("SELECT 1 WHERE 1", &["SCAN CONSTANT ROW"])).is_empty());
}
