//! Writes seed SQL to stdout.
//!
//! `seed demo` — the demo companies for `make dev` (Acme GmbH with its client tree, and Globex);
//! `seed bulk N` — the same, with Acme's tree grown to 1,000 clients and N extra accounts in the
//! company client (try 100000).

use domain::Timestamp;
use gatehouse_tests::seed::{self, DEMO_PASSWORD};
use std::time::{SystemTime, UNIX_EPOCH};

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let now = Timestamp(
        SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .expect("clock after 1970")
            .as_millis() as i64,
    );
    let companies = match args
        .iter()
        .map(String::as_str)
        .collect::<Vec<_>>()
        .as_slice()
    {
        ["demo"] | [] => vec![seed::acme(DEMO_PASSWORD, 30), seed::globex(DEMO_PASSWORD)],
        ["bulk", n] => {
            let mut acme = seed::acme(DEMO_PASSWORD, n.parse().expect("a number of accounts"));
            seed::grow_tree(&mut acme, 1000);
            vec![acme, seed::globex(DEMO_PASSWORD)]
        }
        _ => {
            eprintln!("usage: seed [demo | bulk N]");
            std::process::exit(2);
        }
    };
    print!("{}", seed::sql(&companies, now, 2026));
}
