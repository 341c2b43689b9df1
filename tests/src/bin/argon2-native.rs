//! Native argon2id timing with Gatehouse's parameters: `argon2-native N` prints the median of N
//! hashes in milliseconds (the workerd side is measured by scripts/bench.mjs).

use gatehouse_tests::seed::hash_password;
use std::time::Instant;

fn main() {
    let n: usize = std::env::args()
        .nth(1)
        .and_then(|a| a.parse().ok())
        .unwrap_or(15);
    let mut times: Vec<f64> = (0..n)
        .map(|i| {
            let start = Instant::now();
            std::hint::black_box(hash_password("Bench-Password-2026!", [i as u8; 16]));
            start.elapsed().as_secs_f64() * 1000.0
        })
        .collect();
    times.sort_by(f64::total_cmp);
    println!("{:.2}", times[n / 2]);
}
