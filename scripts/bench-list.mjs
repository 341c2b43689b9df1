// The users list at scale: N accounts in one client (the seed generator's bulk mode), loaded into the
// built worker's D1 through Miniflare's API; medians of the first page, a deep page (via the cursor)
// and a status-filtered page, 25 rows each. Usage: node scripts/bench-list.mjs SEED_SQL_FILE
import { readFileSync } from "node:fs";
import { localWorker, migrate } from "./miniflare.mjs";

const file = process.argv[2];
const rounds = 15;
const mf = localWorker();
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
try {
  const db = await mf.getD1Database("DB");
  await migrate(db);
  const lines = readFileSync(file, "utf8").split("\n").filter((l) => l.trim());
  const loadStart = performance.now();
  for (let i = 0; i < lines.length; i += 500) {
    await db.batch(lines.slice(i, i + 500).map((l) => db.prepare(l)));
  }
  const accounts = await db.prepare("SELECT COUNT(*) AS n FROM accounts").first("n");
  const loadSeconds = (performance.now() - loadStart) / 1000;

  const origin = "http://127.0.0.1";
  const signIn = await mf.dispatchFetch(`${origin}/api/session`, {
    method: "POST",
    headers: { "content-type": "application/json", origin },
    body: JSON.stringify({ client_id: "acme", username: "admin", password: "Gatehouse-Dev-2026!" }),
  });
  if (signIn.status !== 200) throw new Error(`sign-in answered ${signIn.status}`);
  const cookie = signIn.headers.get("set-cookie").split(";")[0];
  const get = async (path) => {
    const start = performance.now();
    const res = await mf.dispatchFetch(`${origin}${path}`, { headers: { cookie } });
    const body = await res.json();
    if (res.status !== 200) throw new Error(`${path}: ${res.status} ${JSON.stringify(body)}`);
    return { ms: performance.now() - start, body, rowsRead: Number(res.headers.get("x-gatehouse-d1-rows-read")) };
  };
  const me = (await get("/api/session")).body;
  const users = `/api/clients/${me.client.key}/users`;
  const clients = (await get("/api/clients")).body.clients.length;
  // walk 200 pages in to find a deep cursor
  let cursor = null;
  for (let i = 0; i < 200; i++) cursor = (await get(`${users}?limit=100${cursor ? `&cursor=${cursor}` : ""}`)).body.next_cursor;
  const cases = {
    first_page: `${users}?limit=25`,
    page_after_20000_rows: `${users}?limit=25&cursor=${cursor}`,
    status_deactivated: `${users}?limit=25&status=deactivated`,
  };
  const result = { accounts, clients, load_seconds: Number(loadSeconds.toFixed(1)) };
  for (const [name, path] of Object.entries(cases)) {
    const times = [];
    let last;
    for (let i = 0; i < rounds; i++) {
      last = await get(path);
      times.push(last.ms);
    }
    result[`${name}_ms`] = Number(median(times).toFixed(1));
    // D1 rows read by the request (session + target lookup + page), against the rows it returned
    result[`${name}_rows_read`] = last.rowsRead;
    result[`${name}_rows_returned`] = last.body.users.length;
  }
  console.log(JSON.stringify(result));
} finally {
  await mf.dispose();
}
