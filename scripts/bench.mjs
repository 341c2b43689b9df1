// argon2id inside workerd, through Miniflare's API (no wrangler dev proxy): the median time of
// GET /dev/bench/argon2 (one hash) minus the median of GET /dev/bench/noop, both measured here.
// Usage: node scripts/bench.mjs [N]   (prints JSON)
import { localWorker } from "./miniflare.mjs";

const n = Number(process.argv[2] ?? 15);
const mf = localWorker();

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
async function time(path) {
  const out = [];
  for (let i = 0; i < n + 2; i++) {
    const start = performance.now();
    const res = await mf.dispatchFetch(`http://127.0.0.1${path}`);
    await res.arrayBuffer();
    if (res.status !== 204) throw new Error(`${path} answered ${res.status}`);
    if (i >= 2) out.push(performance.now() - start); // two warm-up runs
  }
  return out;
}

try {
  // interleave so machine noise hits both alike
  const noop = [], argon = [];
  for (let round = 0; round < 3; round++) {
    noop.push(...(await time("/dev/bench/noop")));
    argon.push(...(await time("/dev/bench/argon2")));
  }
  const result = { samples: argon.length, noop_ms: median(noop), request_with_hash_ms: median(argon) };
  result.argon2_ms = result.request_with_hash_ms - result.noop_ms;
  console.log(JSON.stringify(result));
} finally {
  await mf.dispose();
}
