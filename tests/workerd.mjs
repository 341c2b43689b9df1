// Checks that need a worker configured other than the e2e harness's `wrangler dev`, on real workerd
// loaded through Miniflare's API. Run by `make test`.
// 1. The cron handler: mail left pending in the outbox (its immediate delivery never happened) is
//    delivered by one run, mail not yet due stays queued, and a second run changes nothing.
// 2. Outside local mode the dev outbox and the bench routes do not exist. (wrangler dev's /cdn-cgi/handler/scheduled cannot call a worker-build 0.8.7
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

// production mode (the wrangler.toml defaults): no dev outbox, no bench route
const prod = localWorker({ GATEHOUSE_MODE: "production", MAIL_PROVIDER: "cloudflare" });
try {
  await migrate(await prod.getD1Database("DB"));
  for (const path of ["/dev/outbox", "/dev/outbox.json", "/dev/audit.json", "/dev/bench/noop", "/dev/query-plans"]) {
    const res = await prod.dispatchFetch(`http://127.0.0.1${path}`);
    const body = await res.json();
    assert.equal(res.status, 404, `${path} in production`);
    assert.equal(body.error.code, "not_found");
  }
  console.log("production mode: ok (no dev outbox, no bench routes)");
} finally {
  await prod.dispose();
}
const sneaky = localWorker({ GATEHOUSE_MODE: "production", MAIL_PROVIDER: "dev-outbox" });
try {
  await migrate(await sneaky.getD1Database("DB"));
  const res = await sneaky.dispatchFetch("http://127.0.0.1/dev/outbox.json");
  assert.equal(res.status, 404, "MAIL_PROVIDER=dev-outbox without local mode");
  await res.arrayBuffer();
  console.log("dev-outbox provider without local mode: ok (still 404)");
} finally {
  await sneaky.dispose();
}
