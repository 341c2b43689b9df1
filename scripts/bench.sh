#!/usr/bin/env bash
# make bench: argon2id (m=19 MiB, t=2, p=1) median hash time inside workerd vs native, one run.
set -euo pipefail
cd "$(dirname "$0")/.."
N=${N:-15}
echo "argon2id, OWASP parameters, $N hashes per side (medians)"
native=$(cargo run --release --quiet -p gatehouse-tests --bin argon2-native -- "$N")
workerd=$(node scripts/bench.mjs "$N")
node -e '
const w = JSON.parse(process.argv[1]); const native = Number(process.argv[2]);
console.log(`  workerd (Miniflare API): ${w.argon2_ms.toFixed(1)} ms per hash  (request with hash ${w.request_with_hash_ms.toFixed(1)} ms, empty request ${w.noop_ms.toFixed(1)} ms)`);
console.log(`  native (release build):  ${native.toFixed(1)} ms per hash`);
console.log(`  ratio workerd / native:  ${(w.argon2_ms / native).toFixed(2)}x`);
' "$workerd" "$native"
