// The built worker (functions/build) on workerd through Miniflare's API, in local mode (unless other
// vars are given) with an in-memory D1, for `make bench` and the scheduled-handler test (no wrangler dev proxy in between).
import { Miniflare } from "miniflare";
import { readFileSync, readdirSync } from "node:fs";

// `persistTo`: keep the D1 where `wrangler dev --persist-to <dir>` finds it (same database id);
// `extra`: more Miniflare options (e.g. `handleStructuredLogs` to read the worker's console).
export function localWorker(bindings = { GATEHOUSE_MODE: "local", MAIL_PROVIDER: "dev-outbox" }, persistTo = null, extra = {}) {
  const persist = persistTo
    ? { d1Databases: { DB: "00000000-0000-0000-0000-000000000000" }, d1Persist: `${persistTo}/v3/d1` }
    : { d1Databases: { DB: "local" } };
  return new Miniflare({
    modulesRoot: "functions/build",
    modules: [
      { type: "ESModule", path: "functions/build/index.js" },
      { type: "CompiledWasm", path: "functions/build/index_bg.wasm" },
    ],
    compatibilityDate: "2026-05-03",
    ...persist,
    bindings,
    ratelimits: { IP_LIMITER: { simple: { limit: 100, period: 60 } } },
    ...extra,
  });
}

// Loads seed SQL (one statement a line, from `seed bulk N`) into D1, 2,000 lines a batch;
// consecutive single-row INSERTs into the same columns become one multi-row INSERT (up to 250
// rows, below D1's statement size limit): the same rows, loaded in a fraction of the time.
export async function loadSeed(db, sqlText) {
  const multiRow = (lines) => {
    const out = [];
    let prefix = null;
    let rows = [];
    const flush = () => {
      if (rows.length) out.push(`${prefix}${rows.join(", ")};`);
      rows = [];
    };
    for (const line of lines) {
      const m = /^(INSERT OR IGNORE INTO \w+ \([^)]*\) VALUES )(\(.*\));$/s.exec(line.trim());
      if (!m) {
        flush();
        prefix = null;
        out.push(line);
        continue;
      }
      if (m[1] !== prefix || rows.length >= 250) {
        flush();
        prefix = m[1];
      }
      rows.push(m[2]);
    }
    flush();
    return out;
  };
  const lines = sqlText.split("\n").filter((l) => l.trim());
  for (let i = 0; i < lines.length; i += 2000) {
    await db.batch(multiRow(lines.slice(i, i + 2000)).map((sql) => db.prepare(sql)));
  }
}

// Applies functions/migrations in order (what `wrangler d1 migrations apply` does).
export async function migrate(db) {
  for (const file of readdirSync("functions/migrations").sort()) {
    const sql = readFileSync(`functions/migrations/${file}`, "utf8").replace(/--.*$/gm, "");
    const statements = [];
    let trigger = null; // a trigger's body holds semicolons: keep its pieces together up to END
    for (const piece of sql.split(";").map((s) => s.trim()).filter(Boolean)) {
      if (trigger !== null) {
        trigger.push(piece);
        if (/^END$/i.test(piece)) {
          statements.push(trigger.join("; "));
          trigger = null;
        }
      } else if (/^CREATE TRIGGER/i.test(piece)) {
        trigger = [piece];
      } else {
        statements.push(piece);
      }
    }
    await db.batch(statements.map((s) => db.prepare(s)));
  }
}
