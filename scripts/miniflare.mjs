// The built worker (functions/build) on workerd through Miniflare's API, in local mode (unless other
// vars are given) with an in-memory D1, for `make bench` and the scheduled-handler test (no wrangler dev proxy in between).
import { Miniflare } from "miniflare";
import { readFileSync, readdirSync } from "node:fs";

export function localWorker(bindings = { GATEHOUSE_MODE: "local", MAIL_PROVIDER: "dev-outbox" }) {
  return new Miniflare({
    modulesRoot: "functions/build",
    modules: [
      { type: "ESModule", path: "functions/build/index.js" },
      { type: "CompiledWasm", path: "functions/build/index_bg.wasm" },
    ],
    compatibilityDate: "2026-05-03",
    d1Databases: { DB: "local" },
    bindings,
    ratelimits: { IP_LIMITER: { simple: { limit: 100, period: 60 } } },
  });
}

// Applies functions/migrations in order (what `wrangler d1 migrations apply` does).
export async function migrate(db) {
  for (const file of readdirSync("functions/migrations").sort()) {
    const sql = readFileSync(`functions/migrations/${file}`, "utf8").replace(/--.*$/gm, "");
    const statements = sql.split(";").map((s) => s.trim()).filter(Boolean);
    await db.batch(statements.map((s) => db.prepare(s)));
  }
}
