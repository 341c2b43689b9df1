// The users list at scale: N accounts in one client (the seed generator's bulk mode), loaded into the
// built worker's D1 through Miniflare's API; medians of the first page, a deep page and the page
// before it (via the cursors), each filter and sort, searches, 25 rows each, and of an invite into
// that client (D1 rows read and written per request, from the worker's local-mode headers; a list
// request's figure includes the session lookup, the roles and the counts). Usage: node scripts/bench-list.mjs SEED_SQL_FILE
import { readFileSync } from "node:fs";
import { loadSeed, localWorker, migrate } from "./miniflare.mjs";

const file = process.argv[2];
const rounds = 15;
// BENCH_KEEP=<dir>: keep the database, to look at it with `wrangler dev --persist-to <dir>`
const mf = localWorker(undefined, process.env.BENCH_KEEP || null);
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
try {
  const db = await mf.getD1Database("DB");
  await migrate(db);
  const loadStart = performance.now();
  await loadSeed(db, readFileSync(file, "utf8"));
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
  // the page before the deep one: a keyset read backwards
  const previous = (await get(`${users}?limit=25&cursor=${cursor}`)).body.prev_cursor;
  const cases = {
    first_page: `${users}?limit=25`,
    page_after_20000_rows: `${users}?limit=25&cursor=${cursor}`,
    previous_page_at_20000_rows: `${users}?limit=25&cursor=${previous}`,
    status_deactivated: `${users}?limit=25&status=deactivated`,
    status_invited: `${users}?limit=25&status=invited`,
    status_expired: `${users}?limit=25&status=expired`,
    status_expiring: `${users}?limit=25&status=expiring`,
    sort_name: `${users}?limit=25&sort=name`,
    sort_status: `${users}?limit=25&sort=status`,
    sort_name_accepted: `${users}?limit=25&sort=name&status=accepted`,
    // a surname thousands share (accent-free), a full name, a rare first name, within a filter
    search_muller: `${users}?limit=25&q=muller`,
    search_anna_mu: `${users}?limit=25&q=anna%20mu`,
    search_renee: `${users}?limit=25&q=renee`,
    search_muller_accepted: `${users}?limit=25&q=muller&status=accepted`,
    search_e_mail_domain: `${users}?limit=25&q=acme.example`,
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
    if (last.body.matches) result[`${name}_matches`] = `${last.body.matches.count}${last.body.matches.more ? "+" : ""}`;
  }
  result.counts = (await get(`${users}?limit=1`)).body.counts;
  // the counter rows a count reads at most: the client's expiry slots (days and hours)
  result.expiry_slot_rows = await db
    .prepare("SELECT COUNT(*) AS n FROM invitation_expiry_counts WHERE client_id = ?1")
    .bind(me.client.key)
    .first("n");
  result.search_term_rows = await db
    .prepare("SELECT COUNT(*) AS n FROM account_terms WHERE client_id = ?1")
    .bind(me.client.key)
    .first("n");
  // invites into the same 100,000-account client: rows read must not grow with the client. A name
  // nobody has yet, and a name hundreds already have (every proposal meets the ones taken before)
  const invite = async (first, last, i) => {
    const start = performance.now();
    const res = await mf.dispatchFetch(`${origin}/api/clients/${me.client.key}/invitations`, {
      method: "POST",
      headers: { cookie, origin, "content-type": "application/json" },
      body: JSON.stringify({ first_name: first, surname: last, email: `bench.${i}.${Date.now()}@bench.example` }),
    });
    const ms = performance.now() - start;
    if (res.status !== 201) throw new Error(`invite: ${res.status} ${await res.text()}`);
    await res.arrayBuffer();
    return { ms, read: Number(res.headers.get("x-gatehouse-d1-rows-read")), written: Number(res.headers.get("x-gatehouse-d1-rows-written")) };
  };
  const cases2 = {
    invite_new_name: (i) => invite("Quinn", `Benchmark${"abcdefghijklmnopqrstuvwxyz"[i]}`, i),
    invite_common_name: (i) => invite("Anna", "Müller", 100 + i),
  };
  for (const [name, run] of Object.entries(cases2)) {
    const runs = [];
    for (let i = 0; i < rounds; i++) runs.push(await run(i));
    result[`${name}_ms`] = Number(median(runs.map((x) => x.ms)).toFixed(1));
    result[`${name}_rows_read`] = median(runs.map((x) => x.read));
    result[`${name}_rows_written`] = median(runs.map((x) => x.written));
  }
  // how many usernames of that client the common-name proposal had to step over
  result.usernames_like_anna_mueller_in_client = await db
    .prepare("SELECT COUNT(*) AS n FROM accounts WHERE client_id = ?1 AND username >= 'anna.mueller' AND username < 'anna.mueller:'")
    .bind(me.client.key)
    .first("n");
  console.log(JSON.stringify(result));
} finally {
  await mf.dispose();
}
