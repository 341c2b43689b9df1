//! Writes seed SQL to stdout.
//!
//! `seed demo` — the demo company for `make dev` (its sign-in is printed to stderr);
//! `seed bulk N` — the demo company with N extra accounts (try 100000).

use domain::Timestamp;
use gatehouse_tests::seed::{self, ClientSeed, DEMO};
use std::time::{SystemTime, UNIX_EPOCH};

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let now = Timestamp(
        SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .expect("clock after 1970")
            .as_millis() as i64,
    );
    let clients = match args
        .iter()
        .map(String::as_str)
        .collect::<Vec<_>>()
        .as_slice()
    {
        ["demo"] | [] => vec![DEMO],
        ["bulk", n] => vec![ClientSeed {
            extra_users: n.parse().expect("a number of accounts"),
            ..DEMO
        }],
        _ => {
            eprintln!("usage: seed [demo | bulk N]");
            std::process::exit(2);
        }
    };
    print!("{}", seed::sql(&clients, now, 2026));
}
