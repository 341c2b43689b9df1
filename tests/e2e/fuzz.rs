//! Schemathesis (from PyPI, pinned, installed by the bootstrap) fuzzes every operation of the
//! published description against the real worker, signed in as the admin of a company of its
//! own: examples from the schema, coverage of edge values, random data and stateful sequences
//! (create → use). It fails on any 5xx, a response that does not match the schema, a status or
//! content type the description does not document, and a refused request that wrote a D1 row
//! (`tests/fuzz_hooks.py`, from the worker's local-mode rows-written header). Another company must
//! come out unchanged.

use gatehouse_tests::harness::{repo_root, server, Api};
use serde_json::Value;

/// Everything an admin can read of a company: tree, roles, settings, accounts.
async fn snapshot(api: &mut Api) -> Vec<Value> {
    let me = api.me().await;
    let key = me.client.key;
    let mut out = vec![];
    for path in [
        "/api/clients".to_owned(),
        "/api/roles".to_owned(),
        format!("/api/clients/{key}/settings"),
        format!("/api/clients/{key}/users?limit=100"),
    ] {
        let a = api.get(&path).await;
        assert_eq!(a.status, 200, "{path}: {a:?}");
        out.push(a.body);
    }
    out
}

/// One bounded schemathesis run (10 examples per operation, seed 1) with every check that
/// matters here; panics with the report on a finding.
async fn schemathesis(base: &str, config: &std::path::Path, extra: &[&str]) {
    let st = repo_root().join(".venv/bin/st");
    assert!(
        st.exists(),
        "{} missing: scripts/bootstrap.sh installs it",
        st.display()
    );
    let spec = format!("{base}/api/openapi.json");
    let origin = format!("Origin: {base}");
    let mut args = vec![
        "run", &spec, "--url", base, "-H", &origin,
        "--checks",
        "not_a_server_error,response_schema_conformance,content_type_conformance,status_code_conformance,refused_requests_write_nothing",
        "--max-examples", "10", "--seed", "1", "--request-timeout", "10",
    ];
    args.extend_from_slice(extra);
    let out = tokio::process::Command::new(&st)
        .arg("--config-file")
        .arg(config)
        .args(&args)
        // its example cache lands under target/, not in the source tree
        .current_dir(repo_root().join("target"))
        .env("NO_COLOR", "1")
        // the check that a refused request wrote no D1 row (tests/fuzz_hooks.py)
        .env("SCHEMATHESIS_HOOKS", "fuzz_hooks")
        .env("PYTHONPATH", repo_root().join("tests"))
        .output()
        .await
        .expect("run schemathesis");
    let report = String::from_utf8_lossy(&out.stdout);
    let summary: Vec<&str> = report
        .lines()
        .skip_while(|l| !l.contains("SUMMARY"))
        .collect();
    println!("{}", summary.join("\n"));
    assert!(
        out.status.success(),
        "schemathesis found problems:\n{report}\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        report.contains("passed"),
        "schemathesis ran no case:\n{report}"
    );
}

#[tokio::test]
async fn schemathesis_finds_no_server_error_and_no_answer_outside_the_contract() {
    let st = repo_root().join(".venv/bin/st");
    assert!(
        st.exists(),
        "{} missing: scripts/bootstrap.sh installs it",
        st.display()
    );
    let base = server().base.clone();
    let mut admin = Api::admin_of("fuzz").await;
    let cookie = admin.cookie().expect("signed in").to_owned();
    // real ids of the fuzzed company, so the fuzzer reaches past 404 into each operation's logic
    let company = admin.me().await.client.key;
    let users = admin.users("?limit=100").await;
    let staff = users.body["users"]
        .as_array()
        .and_then(|list| list.iter().find(|u| u["username"] != "admin"))
        .and_then(|u| u["id"].as_str())
        .expect("a non-admin account")
        .to_owned();
    let roles = admin.get("/api/roles").await;
    let custom_role = roles.body["roles"]
        .as_array()
        .and_then(|list| list.iter().find(|r| r["builtin"].is_null()))
        .and_then(|r| r["id"].as_str())
        .expect("a custom role")
        .to_owned();
    let config = std::env::temp_dir().join(format!(
        "schemathesis-{}.toml",
        uuid::Uuid::new_v4().simple()
    ));
    std::fs::write(
        &config,
        format!("[parameters]\n\"path.client\" = \"{company}\"\n\"path.account\" = \"{staff}\"\n\"path.role\" = \"{custom_role}\"\n"),
    )
    .expect("schemathesis config");
    let mut watch = Api::admin_of("fuzzwatch").await;
    let before = snapshot(&mut watch).await;

    // signing out or in would end the run's own session: those routes run apart, without one
    schemathesis(
        &base,
        &config,
        &[
            "-H",
            &format!("Cookie: {cookie}"),
            "--exclude-path",
            "/api/session",
        ],
    )
    .await;
    // sign-in with any data, sign-out, who-am-I
    schemathesis(&base, &config, &["--include-path", "/api/session"]).await;

    assert_eq!(
        snapshot(&mut watch).await,
        before,
        "another company changed while its neighbour was fuzzed"
    );
}
