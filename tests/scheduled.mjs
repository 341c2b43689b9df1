// The cron handler on real workerd, loaded through Miniflare's API: mail left pending in the outbox
// (its immediate delivery never happened) is delivered by one run, and a second run changes nothing.
// Run by `make test`. (wrangler dev's /cdn-cgi/handler/scheduled cannot call a worker-build 0.8.7
// worker: "Could not serialize object of type ScheduledController", so this uses Miniflare directly.)
import { Miniflare } from "miniflare";
import { readFileSync, readdirSync } from "node:fs";
import assert from "node:assert/strict";

const mf = new Miniflare({
  modulesRoot: "functions/build",
  modules: [
    { type: "ESModule", path: "functions/build/index.js" },
    { type: "CompiledWasm", path: "functions/build/index_bg.wasm" },
  ],
  compatibilityDate: "2026-05-03",
  d1Databases: { DB: "scheduled-test" },
  bindings: { GATEHOUSE_MODE: "local", MAIL_PROVIDER: "dev-outbox" },
});
try {
  const db = await mf.getD1Database("DB");
  for (const file of readdirSync("functions/migrations").sort()) {
    const sql = readFileSync(`functions/migrations/${file}`, "utf8").replace(/--.*$/gm, "");
    const statements = sql.split(";").map((s) => s.trim()).filter(Boolean);
    await db.batch(statements.map((s) => db.prepare(s)));
  }
  const now = Date.now();
  await db
    .prepare("INSERT INTO outbox (id, kind, recipient, subject, body_text, body_html, next_attempt_at, created_at) VALUES ('m1', 'test', 'cron@test.example', 's', 't', 'h', ?1, ?1)")
    .bind(now - 1000)
    .run();
  await db
    .prepare("INSERT INTO outbox (id, kind, recipient, subject, body_text, body_html, next_attempt_at, created_at) VALUES ('later', 'test', 'later@test.example', 's', 't', 'h', ?1, ?1)")
    .bind(now + 3_600_000)
    .run();
  const status = async (id) => (await db.prepare("SELECT status FROM outbox WHERE id = ?1").bind(id).first("status"));

  const worker = await mf.getWorker();
  const first = await worker.scheduled({ cron: "*/5 * * * *", scheduledTime: new Date(now) });
  assert.equal(first.outcome, "ok");
  assert.equal(await status("m1"), "sent", "due mail delivered");
  assert.equal(await status("later"), "pending", "mail not yet due stays queued");
  const second = await worker.scheduled({ cron: "*/5 * * * *", scheduledTime: new Date(now) });
  assert.equal(second.outcome, "ok");
  assert.equal(await status("m1"), "sent");
  console.log("scheduled handler: ok (due mail delivered once, later mail left queued)");
} finally {
  await mf.dispose();
}
