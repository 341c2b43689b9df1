// Enumeration by timing: does the time to answer tell whether an account exists? On the built
// worker through Miniflare's API (no wrangler dev proxy): 50 wrong-password sign-ins on known
// accounts (each a different one, so none is throttled) against 50 on unknown usernames, the same
// on 50 accounts whose hash was made with cheaper argon2id parameters (topped up), and 50
// "forgot password" requests for known against 50 for unknown accounts, interleaved, each from its
// own address (so no per-IP limit is reached), with a pause after each for the work after the answer.
// Prints the status and body each gave and the medians.
// Usage: node scripts/bench-enum.mjs SEED_SQL_FILE
import { readFileSync } from "node:fs";
import { loadSeed, localWorker, migrate } from "./miniflare.mjs";

const TRIES = 50;
const origin = "http://127.0.0.1";
const mf = localWorker();
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
try {
  const db = await mf.getD1Database("DB");
  await migrate(db);
  await loadSeed(db, readFileSync(process.argv[2], "utf8"));
  const known = (
    await db
      .prepare(
        "SELECT a.username FROM accounts a JOIN clients c ON c.id = a.client_id \
         WHERE c.client_id = 'acme' AND a.status = 'accepted' AND a.password_hash IS NOT NULL ORDER BY a.id LIMIT ?1",
      )
      .bind(TRIES)
      .all()
  ).results.map((r) => r.username);
  if (known.length < TRIES) throw new Error(`only ${known.length} accepted accounts in the seed`);
  const unknown = known.map((_, i) => `nobody.${i}x${Math.random().toString(36).slice(2, 8)}`);
  // accounts whose stored hash was made with cheaper parameters (argon2id m = 4 MiB, t = 1, as an
  // earlier configuration left them): a wrong password must cost today's work on them too
  const older = (
    await db
      .prepare(
        "SELECT a.id, a.username FROM accounts a JOIN clients c ON c.id = a.client_id \
         WHERE c.client_id = 'acme' AND a.status = 'accepted' AND a.password_hash IS NOT NULL \
         ORDER BY a.id DESC LIMIT ?1",
      )
      .bind(TRIES)
      .all()
  ).results;
  if (older.some((r) => known.includes(r.username))) throw new Error("need 100 accepted accounts in the seed");
  const OLD_HASH = "$argon2id$v=19$m=4096,t=1,p=1$c2FsdHNhbHRzYWx0c2FsdA$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA";
  for (const r of older) {
    await db.prepare("UPDATE accounts SET password_hash = ?1 WHERE id = ?2").bind(OLD_HASH, r.id).run();
  }
  let n = 0;
  const post = async (path, body) => {
    n += 1;
    const start = performance.now();
    const res = await mf.dispatchFetch(`${origin}${path}`, {
      method: "POST",
      headers: {
        "content-type": "application/json",
        origin,
        "cf-connecting-ip": `198.51.100.${n % 250}`,
        "x-forwarded-for": `198.51.${Math.floor(n / 250)}.${n % 250}`,
      },
      body: JSON.stringify(body),
    });
    const text = await res.text();
    return { ms: performance.now() - start, status: res.status, body: text };
  };
  // warm-up: the first requests compile the module and open the database
  for (let i = 0; i < 3; i++) await post("/api/session", { client_id: "acme", username: "warm.up", password: "x" });
  const signIn = (username) => post("/api/session", { client_id: "acme", username, password: "Wrong-Password-1" });
  const cases = {
    sign_in: [signIn, known],
    sign_in_older_hash: [signIn, older.map((r) => r.username)],
    forgot_password: [(login) => post("/api/password-resets", { client_id: "acme", login }), known],
  };
  const result = {};
  for (const [name, [run, knownNames]] of Object.entries(cases)) {
    const times = { known: [], unknown: [] };
    const answers = { known: new Set(), unknown: new Set() };
    for (let i = 0; i < TRIES; i++) {
      for (const [kind, names] of [["known", knownNames], ["unknown", unknown]]) {
        const r = await run(names[i]);
        times[kind].push(r.ms);
        answers[kind].add(`${r.status} ${r.body}`);
        // let work after the answer (a reset link and its mail) finish before the next request,
        // so it does not slow the next one down
        await new Promise((resolve) => setTimeout(resolve, 60));
      }
    }
    const k = median(times.known);
    const u = median(times.unknown);
    result[name] = {
      answers_known: [...answers.known],
      answers_unknown: [...answers.unknown],
      same_answers: answers.known.size === 1 && [...answers.known][0] === [...answers.unknown][0],
      median_known_ms: Number(k.toFixed(1)),
      median_unknown_ms: Number(u.toFixed(1)),
      difference_ms: Number(Math.abs(k - u).toFixed(1)),
    };
  }
  console.log(JSON.stringify(result, null, 2));
} finally {
  await mf.dispose();
}
