// The cron at scale: 10,000 accounts of one client deactivated longer than the client's period
// (6 months), on the built worker through Miniflare's API (no wrangler dev proxy). Two scheduled
// runs: the first deletes the due accounts, the second, scheduled past the recovery window (30
// days), purges them. For each: wall time, D1 rows read and written (the worker's own summary line,
// from D1's meta), and what it did; medians are not taken, each run changes the data.
// Usage: node scripts/bench-cron.mjs SEED_SQL_FILE
import { readFileSync } from "node:fs";
import { loadSeed, localWorker, migrate } from "./miniflare.mjs";

const DUE = 10_000;
const DAY = 86_400_000;
const lines = [];
const mf = localWorker(undefined, null, {
  handleStructuredLogs: ({ message }) => {
    lines.push(message);
  },
});
try {
  const db = await mf.getD1Database("DB");
  await migrate(db);
  const loadStart = performance.now();
  await loadSeed(db, readFileSync(process.argv[2], "utf8"));
  const loadSeconds = (performance.now() - loadStart) / 1000;
  const now = Date.now();
  // the company client's registered accounts (not its admin), deactivated 200 days ago
  const acme = await db.prepare("SELECT id FROM clients WHERE client_id = 'acme'").first("id");
  await db
    .prepare(
      "UPDATE accounts SET status = 'deactivated', deactivated_at = ?1, updated_at = ?1 \
       WHERE id IN (SELECT id FROM accounts WHERE client_id = ?2 AND status IN ('accepted', 'deactivated') \
       AND username != 'admin' ORDER BY id LIMIT ?3)",
    )
    .bind(now - 200 * DAY, acme, DUE)
    .run();
  const due = await db
    .prepare("SELECT COUNT(*) AS n FROM accounts WHERE client_id = ?1 AND status = 'deactivated' AND deactivated_at = ?2")
    .bind(acme, now - 200 * DAY)
    .first("n");
  const accounts = await db.prepare("SELECT COUNT(*) AS n FROM accounts").first("n");
  const worker = await mf.getWorker();
  const run = async (at) => {
    lines.length = 0;
    const start = performance.now();
    const result = await worker.scheduled({ cron: "*/5 * * * *", scheduledTime: new Date(at) });
    const ms = performance.now() - start;
    // the structured log may trail the handler's end by a moment
    for (let i = 0; i < 50 && !lines.some((l) => l.includes("run took")); i++) {
      await new Promise((r) => setTimeout(r, 20));
    }
    const summary = lines.find((l) => l.includes("run took")) ?? "";
    const [, inWorker, read, written] = /run took (\d+) ms, D1 rows read (\d+), rows written (\d+)/.exec(summary) ?? [];
    return {
      outcome: result.outcome,
      wall_ms: Math.round(ms),
      worker_ms: Number(inWorker),
      rows_read: Number(read),
      rows_written: Number(written),
      log: lines.filter((l) => /deleted|purged/.test(l)),
    };
  };
  const count = (sql) => db.prepare(sql).bind(acme).first("n");
  const deletion = await run(now);
  // deleted accounts wait in deleted_accounts for the recovery window
  const deleted = await count("SELECT COUNT(*) AS n FROM deleted_accounts WHERE client_id = ?1");
  const purge = await run(now + 31 * DAY);
  const left = await count("SELECT COUNT(*) AS n FROM deleted_accounts WHERE client_id = ?1");
  const tombstones = await db
    .prepare("SELECT COUNT(*) AS n FROM audit_events WHERE action = 'account.purged'")
    .first("n");
  console.log(
    JSON.stringify(
      { accounts, due, load_seconds: Number(loadSeconds.toFixed(1)), deletion, deleted, purge, deleted_left: left, purge_events: tombstones },
      null,
      2,
    ),
  );
  if (deleted !== due || left !== 0) {
    console.error(`expected ${due} deleted then 0 left, found ${deleted} and ${left}`);
    process.exitCode = 1;
  }
} finally {
  await mf.dispose();
}
