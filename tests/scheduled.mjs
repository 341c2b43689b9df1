// The cron handler on real workerd, loaded through Miniflare's API: mail left pending in the outbox
// (its immediate delivery never happened) is delivered by one run, and a second run changes nothing.
// Run by `make test`. (wrangler dev's /cdn-cgi/handler/scheduled cannot call a worker-build 0.8.7
// worker: "Could not serialize object of type ScheduledController", so this uses Miniflare directly.)
import assert from "node:assert/strict";
import { localWorker, migrate } from "../scripts/miniflare.mjs";

const mf = localWorker();
try {
  const db = await mf.getD1Database("DB");
  await migrate(db);
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
