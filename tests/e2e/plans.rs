//! The structure that keeps the hot paths fast, not a time: every statement the users list and the
//! invite ran (session lookup included) is served by an index: `EXPLAIN QUERY PLAN` of each, from
//! the worker's own record of what these requests prepared, against the local D1. So no request
//! reads a whole client, whatever its size.

use domain::list::{ListFilter, ListSort};
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
const PER_CLIENT: [&str; 8] = [
    "accounts",
    "account_terms",
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
                // sorting rows of a large table means reading all of them before the first
                "USE" => {
                    step.contains("TEMP B-TREE")
                        && PER_CLIENT.iter().any(|t| mentions(&plan.sql, t))
                }
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

/// Whether the statement reads the table (`FROM t` or `JOIN t`).
fn mentions(sql: &str, table: &str) -> bool {
    let words: Vec<&str> = sql.split_whitespace().collect();
    words
        .windows(2)
        .any(|w| matches!(w[0], "FROM" | "JOIN") && w[1].trim_end_matches(',') == table)
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
    // every filter, sort and search the list offers, and a page back
    let mut queries: Vec<String> = Vec::new();
    for filter in ListFilter::ALL {
        for sort in ListSort::ALL {
            queries.push(format!(
                "?status={}&sort={}",
                filter.as_str(),
                sort.as_str()
            ));
        }
        queries.push(format!("?status={}&q=anna", filter.as_str()));
    }
    queries.push("?q=anna%20mu&limit=2".into());
    for query in &queries {
        let page = admin.users(query).await;
        assert_eq!(page.status, 200, "{query}: {page:?}");
        for cursor in ["next_cursor", "prev_cursor"] {
            if let Some(c) = page.body[cursor].as_str() {
                let more = admin.users(&format!("{query}&cursor={c}")).await;
                assert_eq!(more.status, 200, "{query} {cursor}: {more:?}");
                if let Some(back) = more.body["prev_cursor"].as_str() {
                    let a = admin.users(&format!("{query}&cursor={back}")).await;
                    assert_eq!(a.status, 200, "{query} back: {a:?}");
                }
            }
        }
    }
    let key = admin.me().await.client.key;
    let suggestion = admin
        .get(&format!(
            "/api/clients/{key}/username-suggestion?first_name=Plan&surname=Probe"
        ))
        .await;
    assert_eq!(suggestion.status, 200, "{suggestion:?}");
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
    // sorted outside an index: every matching row is read before the first is returned
    let sorted = "SELECT a.id FROM accounts a WHERE a.client_id = ?1 ORDER BY a.email LIMIT ?2";
    let temp = "USE TEMP B-TREE FOR ORDER BY";
    assert_eq!(
        scans(&plan(
            sorted,
            &["SEARCH a USING INDEX accounts_newest (client_id=?)", temp]
        )),
        vec![temp.to_owned()]
    );
    let roles = "SELECT id FROM roles WHERE company_id = ?1";
    assert!(scans(&plan(
        roles,
        &["SEARCH roles USING INDEX roles_builtin (company_id=?)"]
    ))
    .is_empty());
    assert!(scans(&plan("SELECT 1 WHERE 1", &["SCAN CONSTANT ROW"])).is_empty());
}
