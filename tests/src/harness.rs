//! Spawns the real thing once per test binary: migrations applied to an empty local D1, fixtures
//! seeded, `wrangler dev` on a free port; ChromeDriver likewise. Both are killed when the tests exit.

use domain::api::{ClientTree, InviteResponse, Me, OutboxMail, BOOKMARK_HEADER, RECORD_HEADER};
use domain::ClientKey;
use domain::Timestamp;
use reqwest::{Method, StatusCode};
use serde_json::{json, Value};
use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::{Mutex, OnceLock};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use crate::seed::{self, CompanySeed};

/// The tests' admin password in every fixture client.
pub const ADMIN_PASSWORD: &str = "Fixture-Admin-2026!";
/// A password that meets the default rules.
pub const GOOD_PASSWORD: &str = "Correct-Horse-42";

/// Fixture companies: `acme` (the main one, with its client tree, roles and people; see
/// `seed::acme`), `globex` (another company), `shortlived` (1-second links).
fn fixtures() -> Vec<CompanySeed> {
    let mut short = seed::globex(ADMIN_PASSWORD);
    short.client_id = "shortlived".into();
    short.name = "Shortlived AG".into();
    short.admin_email = "admin@short.example".into();
    short.invitation_ttl = Some(1);
    short.extra_users = 0;
    short.clients.clear();
    // `fuzz` is schemathesis's to change; `fuzzwatch` must come out of that run unchanged
    let company = |client_id: &str, name: &str| {
        let mut c = seed::globex(ADMIN_PASSWORD);
        c.client_id = client_id.into();
        c.name = name.into();
        c.admin_email = format!("admin@{client_id}.example");
        c.clients.clear();
        c
    };
    vec![
        seed::acme(ADMIN_PASSWORD, 3),
        seed::globex(ADMIN_PASSWORD),
        short,
        company("fuzz", "Fuzz GmbH"),
        company("fuzzwatch", "Fuzzwatch AG"),
        // the users list's companies: `workbench` is only read (its pages are walked), the
        // counts are checked in `tally`, people are invited in `bustling`
        CompanySeed {
            extra_users: 45,
            ..company("workbench", "Workbench GmbH")
        },
        CompanySeed {
            extra_users: 30,
            ..company("tally", "Tally KG")
        },
        company("bustling", "Bustling AG"),
        // one-second links, for the browser's resend of an expired invitation
        CompanySeed {
            invitation_ttl: Some(1),
            extra_users: 0,
            ..company("renewal", "Renewal SE")
        },
        // deactivate, delete, recover, resets, edits, the cron's deletion and purge
        company("lifecycle", "Lifecycle GmbH"),
        // bulk actions: 1,000 rows and more in one, two admins racing over the same rows in the other
        CompanySeed {
            extra_users: 1010,
            ..company("bulky", "Bulky GmbH")
        },
        CompanySeed {
            extra_users: 120,
            ..company("bulkrace", "Bulkrace AG")
        },
        // bulk role changes: a second admin and a team lead who may not grant the admin role
        CompanySeed {
            extra_users: 20,
            people: vec![
                seed::person(
                    "bulkrole",
                    "second.admin",
                    ("Sofia", "Second"),
                    seed::ADMIN_ROLE,
                    None,
                    None,
                ),
                seed::person(
                    "bulkrole",
                    "team.lead",
                    ("Theo", "Lead"),
                    "Team lead",
                    None,
                    None,
                ),
            ],
            ..company("bulkrole", "Bulk Role GmbH")
        },
        // the browser's bulk cancel of a filter's page
        CompanySeed {
            extra_users: 12,
            ..company("bulkui", "Bulk UI KG")
        },
        // a hash left behind by cheaper argon2id parameters: moved to today's at sign-in
        CompanySeed {
            extra_users: 0,
            people: vec![seed::PersonSeed {
                hash_params: Some(
                    domain::hashing::HashParams::new(4 * 1024, 1, 1).expect("valid parameters"),
                ),
                ..seed::person("rehash", "old.hash", ("Olive", "Hash"), "User", None, None)
            }],
            ..company("rehash", "Rehash AG")
        },
        // one-second links, for the list's expiry counts alone
        CompanySeed {
            invitation_ttl: Some(1),
            extra_users: 0,
            ..company("blink", "Blink OHG")
        },
    ]
}

/// The repository's root.
pub fn repo_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("tests/ has a parent")
        .to_path_buf()
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .expect("bind a free port")
        .local_addr()
        .expect("local addr")
        .port()
}

fn now() -> Timestamp {
    Timestamp(
        SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .expect("clock")
            .as_millis() as i64,
    )
}

/// Process groups to kill at exit (wrangler starts workerd as a child).
static CHILDREN: Mutex<Vec<i32>> = Mutex::new(Vec::new());

extern "C" fn kill_children() {
    if let Ok(pids) = CHILDREN.lock() {
        for pid in pids.iter() {
            // SAFETY: signalling a process group this process created
            unsafe { libc::killpg(*pid, libc::SIGTERM) };
        }
    }
}

// the children live as long as the test process; the atexit hook kills their process groups
#[allow(clippy::zombie_processes)]
fn spawn_group(cmd: &mut Command, log: &Path) -> u32 {
    use std::os::unix::process::CommandExt;
    let file = std::fs::File::create(log).expect("create log file");
    let child = cmd
        .process_group(0)
        .stdin(Stdio::null())
        .stdout(file.try_clone().expect("log file"))
        .stderr(file)
        .spawn()
        .unwrap_or_else(|e| panic!("spawn {cmd:?}: {e}"));
    let mut pids = CHILDREN.lock().expect("children lock");
    if pids.is_empty() {
        // SAFETY: registering a plain extern "C" function
        unsafe { libc::atexit(kill_children) };
    }
    pids.push(child.id() as i32);
    child.id()
}

fn wrangler(root: &Path) -> Command {
    let mut cmd = Command::new(root.join("node_modules/.bin/wrangler"));
    cmd.current_dir(root)
        .env("WRANGLER_SEND_METRICS", "false")
        .env("CI", "1")
        .env("NO_COLOR", "1");
    cmd
}

fn run(cmd: &mut Command) {
    let out = cmd.output().unwrap_or_else(|e| panic!("run {cmd:?}: {e}"));
    assert!(
        out.status.success(),
        "{cmd:?} failed:\n{}\n{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
}

/// The running worker.
pub struct Server {
    /// `http://127.0.0.1:PORT`.
    pub base: String,
    /// wrangler's state directory (fresh for this run).
    pub state: PathBuf,
}

/// The worker for this test binary, started on first use.
pub fn server() -> &'static Server {
    static SERVER: OnceLock<Server> = OnceLock::new();
    SERVER.get_or_init(start_server)
}

fn start_server() -> Server {
    let root = repo_root();
    for built in ["functions/build/index.js", "app/dist/index.html"] {
        assert!(
            root.join(built).exists(),
            "{built} is missing: run `make build` (make test does) first"
        );
    }
    let state =
        std::env::temp_dir().join(format!("gatehouse-e2e-{}-{}", std::process::id(), now().0));
    std::fs::create_dir_all(&state).expect("state dir");
    let persist = state.to_str().expect("utf-8 path");
    upgrade_from_landed_migrations(&root, &state);
    run(wrangler(&root).args([
        "d1",
        "migrations",
        "apply",
        "DB",
        "--local",
        "--persist-to",
        persist,
    ]));
    let seed_file = state.join("seed.sql");
    std::fs::write(&seed_file, seed::sql(&fixtures(), now(), 1)).expect("write seed");
    run(wrangler(&root).args([
        "d1",
        "execute",
        "DB",
        "--local",
        "--persist-to",
        persist,
        "--file",
        seed_file.to_str().expect("utf-8"),
    ]));

    let port = free_port();
    let base = format!("http://127.0.0.1:{port}");
    let log = state.join("wrangler.log");
    spawn_group(
        wrangler(&root).args([
            "dev",
            "--ip",
            "127.0.0.1",
            "--port",
            &port.to_string(),
            "--inspector-port",
            &free_port().to_string(),
            "--persist-to",
            persist,
            "--var",
            "GATEHOUSE_MODE:local",
            "--var",
            "MAIL_PROVIDER:dev-outbox",
            "--var",
            &format!("OPERATOR_SECRET:{OPERATOR_SECRET}"),
            "--show-interactive-dev-session=false",
            "--live-reload=false",
            // GET /__scheduled runs the cron jobs (the upgrade test's search reindex)
            "--test-scheduled",
        ]),
        &log,
    );
    // wait until the worker answers (wrangler builds and starts workerd first)
    let deadline = Instant::now() + Duration::from_secs(180);
    loop {
        if probe_status(&format!("{base}/api/session")) == Some(401) {
            break;
        }
        assert!(
            Instant::now() < deadline,
            "wrangler dev did not answer within 180 s; log:\n{}",
            std::fs::read_to_string(&log).unwrap_or_default()
        );
        std::thread::sleep(Duration::from_millis(250));
    }
    Server { base, state }
}

/// Migrations are append-only: the database starts as the previously landed migration set made it
/// (`tests/upgrade/FROM` says how many files that set had), holding that set's frozen data
/// (`tests/upgrade/NNNN-data.sql`); the current migrations are then applied on top, so every test
/// runs on an upgraded database and an upgrade is tested before it ships.
fn upgrade_from_landed_migrations(root: &Path, state: &Path) {
    let from: usize = std::fs::read_to_string(root.join("tests/upgrade/FROM"))
        .expect("tests/upgrade/FROM")
        .trim()
        .parse()
        .expect("a number of migrations");
    let mut files: Vec<PathBuf> = std::fs::read_dir(root.join("functions/migrations"))
        .expect("migrations dir")
        .map(|e| e.expect("entry").path())
        .filter(|p| p.extension().is_some_and(|x| x == "sql"))
        .collect();
    files.sort();
    assert!(
        files.len() >= from,
        "tests/upgrade/FROM names more migrations than exist"
    );
    let old = state.join("landed-migrations");
    std::fs::create_dir_all(&old).expect("dir");
    for f in &files[..from] {
        std::fs::copy(f, old.join(f.file_name().expect("name"))).expect("copy migration");
    }
    let config = state.join("wrangler-landed.toml");
    std::fs::write(
        &config,
        format!(
            "name = \"gatehouse\"\ncompatibility_date = \"2026-05-03\"\n[[d1_databases]]\nbinding = \"DB\"\n\
             database_name = \"gatehouse\"\ndatabase_id = \"00000000-0000-0000-0000-000000000000\"\nmigrations_dir = {:?}\n",
            old.to_str().expect("utf-8")
        ),
    )
    .expect("write config");
    let persist = state.to_str().expect("utf-8");
    let config = config.to_str().expect("utf-8");
    run(wrangler(root).args([
        "d1",
        "migrations",
        "apply",
        "DB",
        "--local",
        "--persist-to",
        persist,
        "--config",
        config,
    ]));
    let data = root.join(format!("tests/upgrade/{from:04}-data.sql"));
    run(wrangler(root).args([
        "d1",
        "execute",
        "DB",
        "--local",
        "--persist-to",
        persist,
        "--config",
        config,
        "--file",
        data.to_str().expect("utf-8"),
    ]));
}

/// The status of a plain blocking HTTP GET, for readiness probes outside any async runtime.
fn probe_status(url: &str) -> Option<u16> {
    use std::io::{Read, Write};
    let rest = url.strip_prefix("http://")?;
    let (host, path) = rest
        .split_once('/')
        .map(|(h, p)| (h, format!("/{p}")))
        .unwrap_or((rest, "/".into()));
    let mut s = std::net::TcpStream::connect(host).ok()?;
    s.set_read_timeout(Some(Duration::from_secs(5))).ok()?;
    write!(
        s,
        "GET {path} HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n"
    )
    .ok()?;
    let mut buf = [0u8; 32];
    let n = s.read(&mut buf).ok()?;
    std::str::from_utf8(&buf[..n])
        .ok()?
        .split_whitespace()
        .nth(1)?
        .parse()
        .ok()
}

/// A person's HTTP session against the worker: keeps the session cookie and the D1 bookmark,
/// and sends the Origin header a browser would. A clone is the same browser at that moment
/// (its cookies), going on separately.
#[derive(Clone)]
pub struct Api {
    /// The worker's base URL.
    pub base: String,
    http: reqwest::Client,
    cookie: Option<String>,
    bookmark: Option<String>,
    record: Option<String>,
    clock: Option<i64>,
    bearer: Option<String>,
    ip: Option<String>,
}

/// The operator secret the test worker runs with (`Authorization: Bearer` of the operator API).
pub const OPERATOR_SECRET: &str = "test-operator-secret-4f9c2a7e";

/// A response, read.
#[derive(Debug, Clone)]
pub struct Answer {
    /// HTTP status.
    pub status: StatusCode,
    /// Parsed JSON body (Null when empty or not JSON).
    pub body: Value,
    /// `Set-Cookie`, if any.
    pub set_cookie: Option<String>,
    /// `Retry-After` seconds, if any.
    pub retry_after: Option<i64>,
    /// The error, when the body is the API's error shape.
    pub error: Option<domain::api::ErrorBody>,
}

impl Answer {
    /// The body as the `domain::api` type the contract says it is: a change of the contract
    /// breaks the tests at compile time, and a body that does not match fails here.
    pub fn typed<T: serde::de::DeserializeOwned>(&self) -> T {
        serde_json::from_value(self.body.clone()).unwrap_or_else(|e| {
            panic!(
                "{} body is not a {}: {e}\n{}",
                self.status,
                std::any::type_name::<T>(),
                self.body
            )
        })
    }

    /// The `error.code` of an error answer; panics when the answer is no error.
    pub fn code(&self) -> domain::api::ErrorCode {
        match &self.error {
            Some(e) => e.code,
            None => panic!("{} is no error answer: {}", self.status, self.body),
        }
    }

    /// The `error.field` of an error answer (`""` without one).
    pub fn field(&self) -> &str {
        self.error
            .as_ref()
            .and_then(|e| e.field.as_deref())
            .unwrap_or("")
    }
}

impl Default for Api {
    fn default() -> Self {
        Self::new()
    }
}

impl Api {
    /// A fresh visitor with no session.
    pub fn new() -> Self {
        Api {
            base: server().base.clone(),
            http: reqwest::Client::new(),
            cookie: None,
            bookmark: None,
            record: None,
            clock: None,
            bearer: None,
            ip: None,
        }
    }

    /// From now on requests say they come from `ip` (`CF-Connecting-IP`, as Cloudflare sets it).
    pub fn set_ip(&mut self, ip: &str) {
        self.ip = Some(ip.to_owned());
    }

    /// From now on the worker takes `at` (ms since the epoch) as "now" for this visitor's requests
    /// (the local test clock); `None` goes back to the real clock.
    pub fn set_clock(&mut self, at: Option<i64>) {
        self.clock = at;
    }

    /// From now on requests carry `Authorization: Bearer <token>` (the operator API).
    pub fn set_bearer(&mut self, token: Option<&str>) {
        self.bearer = token.map(str::to_owned);
    }

    /// From now on requests send these cookies (as the `Cookie` header sends them).
    pub fn set_cookies(&mut self, cookies: &str) {
        self.cookie = Some(cookies.to_owned());
    }

    /// The cookies (as the `Cookie` header sends them), once signed in.
    pub fn cookie(&self) -> Option<&str> {
        self.cookie.as_deref()
    }

    /// From now on the worker keeps the SQL of every statement this visitor's requests prepare
    /// under `name` (local mode; read back at `/dev/query-plans?record=name`).
    pub fn record_statements_as(&mut self, name: &str) {
        self.record = Some(name.to_owned());
    }

    /// Sends a request; `body` as JSON when given.
    pub async fn send(&mut self, method: Method, path: &str, body: Option<Value>) -> Answer {
        let mut req = self
            .http
            .request(method, format!("{}{path}", self.base))
            .header("origin", &self.base);
        if let Some(c) = &self.cookie {
            req = req.header("cookie", c);
        }
        if let Some(b) = &self.bookmark {
            req = req.header(BOOKMARK_HEADER, b);
        }
        if let Some(r) = &self.record {
            req = req.header(RECORD_HEADER, r);
        }
        if let Some(at) = self.clock {
            req = req.header(domain::api::CLOCK_HEADER, at.to_string());
        }
        if let Some(t) = &self.bearer {
            req = req.header("authorization", format!("Bearer {t}"));
        }
        if let Some(ip) = &self.ip {
            req = req.header("cf-connecting-ip", ip);
        }
        if let Some(body) = body {
            req = req.json(&body);
        }
        let resp = req.send().await.expect("request reaches the worker");
        self.absorb(resp).await
    }

    /// Sends exactly these bytes with this content type (for malformed-input tests).
    pub async fn send_raw(
        &mut self,
        method: Method,
        path: &str,
        content_type: &str,
        body: Vec<u8>,
    ) -> Answer {
        let mut req = self
            .http
            .request(method, format!("{}{path}", self.base))
            .header("origin", &self.base)
            .header("content-type", content_type)
            .body(body);
        if let Some(c) = &self.cookie {
            req = req.header("cookie", c);
        }
        let resp = req.send().await.expect("request reaches the worker");
        self.absorb(resp).await
    }

    async fn absorb(&mut self, resp: reqwest::Response) -> Answer {
        let status = resp.status();
        let set_cookie = resp
            .headers()
            .get("set-cookie")
            .and_then(|v| v.to_str().ok())
            .map(str::to_string);
        // a cookie jar in the `Cookie` header's own form: each Set-Cookie replaces (or, empty,
        // removes) its cookie, as a browser does
        for sc in resp.headers().get_all("set-cookie") {
            let Some(pair) = sc.to_str().ok().and_then(|v| v.split(';').next()) else {
                continue;
            };
            let Some((name, value)) = pair.split_once('=') else {
                continue;
            };
            let mut jar: Vec<(String, String)> = self
                .cookie
                .as_deref()
                .unwrap_or_default()
                .split("; ")
                .filter_map(|c| c.split_once('='))
                .filter(|(n, _)| *n != name)
                .map(|(n, v)| (n.to_owned(), v.to_owned()))
                .collect();
            if !value.is_empty() {
                jar.push((name.to_owned(), value.to_owned()));
            }
            self.cookie = (!jar.is_empty()).then(|| {
                jar.iter()
                    .map(|(n, v)| format!("{n}={v}"))
                    .collect::<Vec<_>>()
                    .join("; ")
            });
        }
        if let Some(b) = resp
            .headers()
            .get(BOOKMARK_HEADER)
            .and_then(|v| v.to_str().ok())
        {
            self.bookmark = Some(b.to_string());
        }
        let retry_after = resp
            .headers()
            .get("retry-after")
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.parse().ok());
        let text = resp.text().await.unwrap_or_default();
        let body: Value = serde_json::from_str(&text).unwrap_or(Value::Null);
        let error = serde_json::from_value::<domain::api::ApiError>(body.clone())
            .ok()
            .map(|e| e.error);
        Answer {
            status,
            body,
            set_cookie,
            retry_after,
            error,
        }
    }

    /// `GET`.
    pub async fn get(&mut self, path: &str) -> Answer {
        self.send(Method::GET, path, None).await
    }

    /// `POST` with a JSON body.
    pub async fn post(&mut self, path: &str, body: Value) -> Answer {
        self.send(Method::POST, path, Some(body)).await
    }

    /// `POST /api/invitations/lookup`: what an invitation link shows (the token in the body).
    pub async fn invitation(&mut self, token: &str) -> Answer {
        self.post("/api/invitations/lookup", json!({ "token": token }))
            .await
    }

    /// `POST /api/invitations/accept` with the link's token added to `body`.
    pub async fn accept(&mut self, token: &str, body: Value) -> Answer {
        self.post("/api/invitations/accept", with_token(token, body))
            .await
    }

    /// `POST /api/invitations/new-link-request`: a dead link asks for a new one.
    pub async fn new_link_request(&mut self, token: &str) -> Answer {
        self.post(
            "/api/invitations/new-link-request",
            json!({ "token": token }),
        )
        .await
    }

    /// `POST /api/password-resets/lookup`: what a reset link shows.
    pub async fn reset_link(&mut self, token: &str) -> Answer {
        self.post("/api/password-resets/lookup", json!({ "token": token }))
            .await
    }

    /// `POST /api/password-resets/complete` with the link's token added to `body`.
    pub async fn complete_reset(&mut self, token: &str, body: Value) -> Answer {
        self.post("/api/password-resets/complete", with_token(token, body))
            .await
    }

    /// A new sender sub-client of the caller's client, named `name` (its client ID `prefix-…`),
    /// with these own settings.
    pub async fn sub_client_with(
        &mut self,
        name: &str,
        prefix: &str,
        settings: Value,
    ) -> domain::api::ClientNode {
        let root = self.me().await.client.key;
        let client_id = format!(
            "{prefix}-{}",
            &uuid::Uuid::new_v4().simple().to_string()[..8]
        );
        let sub = self
            .post(
                &format!("/api/clients/{root}/children"),
                json!({"name": name, "client_id": client_id, "is_sender": true}),
            )
            .await;
        assert_eq!(sub.status, 201, "{sub:?}");
        let sub: domain::api::ClientNode = sub.typed();
        let put = self
            .send(
                Method::PUT,
                &format!("/api/clients/{}/settings", sub.key),
                Some(settings),
            )
            .await;
        assert_eq!(put.status, 200, "{put:?}");
        sub
    }

    /// Signs in; returns the answer.
    pub async fn sign_in(&mut self, client_id: &str, username: &str, password: &str) -> Answer {
        self.post(
            "/api/session",
            json!({"client_id": client_id, "username": username, "password": password}),
        )
        .await
    }

    /// A visitor signed in as the admin of a fixture client.
    /// (One sign-in per client and test binary, shared: sign-ins are rate limited per IP.)
    pub async fn admin_of(client_id: &str) -> Api {
        static SESSIONS: Mutex<Vec<(String, String)>> = Mutex::new(Vec::new());
        let known = SESSIONS
            .lock()
            .expect("sessions")
            .iter()
            .find(|(c, _)| c == client_id)
            .map(|(_, cookie)| cookie.clone());
        let mut api = Api::new();
        match known {
            Some(cookie) => api.cookie = Some(cookie),
            None => {
                let a = api.sign_in(client_id, "admin", ADMIN_PASSWORD).await;
                assert_eq!(a.status, 200, "admin sign-in: {a:?}");
                let cookie = api.cookie.clone().expect("session cookie");
                SESSIONS
                    .lock()
                    .expect("sessions")
                    .push((client_id.to_string(), cookie));
            }
        }
        api
    }

    /// The signed-in account; panics unless signed in.
    pub async fn me(&mut self) -> Me {
        let a = self.get("/api/session").await;
        assert_eq!(a.status, 200, "session: {a:?}");
        serde_json::from_value(a.body).expect("Me")
    }

    /// The key of the caller's client with this client ID (from the accessible tree).
    pub async fn client_key(&mut self, client_id: &str) -> ClientKey {
        let a = self.get("/api/clients").await;
        assert_eq!(a.status, 200, "clients: {a:?}");
        let tree: ClientTree = serde_json::from_value(a.body).expect("ClientTree");
        tree.clients
            .into_iter()
            .find(|c| c.client_id == client_id)
            .unwrap_or_else(|| panic!("no accessible client {client_id}"))
            .key
    }

    /// The users list path of the active client.
    pub async fn users_path(&mut self) -> String {
        format!("/api/clients/{}/users", self.me().await.client.key)
    }

    /// `GET` the active client's users list with this query string (`""` or `"?limit=3"`).
    pub async fn users(&mut self, query: &str) -> Answer {
        let path = format!("{}{query}", self.users_path().await);
        self.get(&path).await
    }

    /// `POST` an invitation body into the active client, whatever it holds.
    pub async fn invite_raw(&mut self, body: Value) -> Answer {
        let path = format!("/api/clients/{}/invitations", self.me().await.client.key);
        self.post(&path, body).await
    }

    /// Invites someone into the active client with its default role; panics unless it worked.
    pub async fn invite(&mut self, first: &str, last: &str, email: &str) -> InviteResponse {
        let path = format!("/api/clients/{}/invitations", self.me().await.client.key);
        let a = self
            .post(
                &path,
                json!({"first_name": first, "surname": last, "email": email}),
            )
            .await;
        assert_eq!(a.status, 201, "invite {email}: {a:?}");
        serde_json::from_value(a.body).expect("InviteResponse")
    }
}

/// A value for a query string (percent-encoded).
fn query_value(v: &str) -> String {
    v.bytes()
        .map(|b| match b {
            b'a'..=b'z' | b'A'..=b'Z' | b'0'..=b'9' | b'.' | b'-' | b'_' | b'@' => {
                char::from(b).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}

/// The newest mail to `to` in the dev outbox, waiting for it to arrive (bounded).
pub async fn outbox_mail_for(to: &str) -> OutboxMail {
    let deadline = Instant::now() + Duration::from_secs(15);
    loop {
        let mut api = Api::new();
        let a = api
            .get(&format!("/dev/outbox.json?to={}", query_value(to)))
            .await;
        assert_eq!(a.status, 200, "dev outbox: {a:?}");
        let mails: Vec<OutboxMail> = serde_json::from_value(a.body).expect("outbox JSON");
        if let Some(m) = mails.into_iter().find(|m| m.to == to) {
            return m;
        }
        assert!(Instant::now() < deadline, "no mail to {to} within 15 s");
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
}

/// The accept link in the newest invitation mail to `to`.
pub async fn outbox_link_for(to: &str) -> String {
    outbox_link_in(to, "/accept#").await
}

/// The first link containing `part` in the newest mail to `to` that has one (waiting, bounded).
pub async fn outbox_link_in(to: &str, part: &str) -> String {
    let deadline = Instant::now() + Duration::from_secs(15);
    loop {
        let mut api = Api::new();
        let a = api
            .get(&format!("/dev/outbox.json?to={}", query_value(to)))
            .await;
        let mails: Vec<OutboxMail> = serde_json::from_value(a.body).expect("outbox JSON");
        let found = mails.iter().filter(|m| m.to == to).find_map(|m| {
            m.text
                .split_whitespace()
                .find(|w| w.contains(part))
                .map(str::to_owned)
        });
        if let Some(link) = found {
            return link;
        }
        assert!(
            Instant::now() < deadline,
            "no {part} link in mail to {to} within 15 s"
        );
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
}

/// Runs the cron jobs as if scheduled at `at` (ms since the epoch).
pub async fn cron_at(at: i64) {
    let mut api = Api::new();
    let a = api
        .get(&format!("/__scheduled?cron=*+*+*+*+*&time={at}"))
        .await;
    assert_eq!(a.status, 200, "cron: {a:?}");
}

/// The token of a mailed link: after its `#` (links never carry one in their path).
pub fn token_of(link: &str) -> &str {
    link.rsplit_once('#').expect("link has a #token").1
}

/// A JSON object body with a link's `token` added.
pub fn with_token(token: &str, mut body: Value) -> Value {
    body["token"] = Value::from(token);
    body
}

/// ChromeDriver for this test binary, started on first use; returns its URL.
pub fn chromedriver() -> &'static str {
    static DRIVER: OnceLock<String> = OnceLock::new();
    DRIVER.get_or_init(|| {
        let port = free_port();
        let log = std::env::temp_dir().join(format!("gatehouse-chromedriver-{port}.log"));
        spawn_group(
            Command::new("chromedriver").arg(format!("--port={port}")),
            &log,
        );
        let url = format!("http://127.0.0.1:{port}");
        let deadline = Instant::now() + Duration::from_secs(30);
        while probe_status(&format!("{url}/status")) != Some(200) {
            assert!(
                Instant::now() < deadline,
                "chromedriver did not start: {}",
                std::fs::read_to_string(&log).unwrap_or_default()
            );
            std::thread::sleep(Duration::from_millis(100));
        }
        url
    })
}

/// A new headless Chromium window with its own fresh profile.
pub async fn browser() -> fantoccini::Client {
    // a fresh profile per window: two tests starting in the same millisecond must not share one
    let profile = std::env::temp_dir().join(format!(
        "gatehouse-chromium-{}",
        uuid::Uuid::new_v4().simple()
    ));
    let caps = json!({
        "browserName": "chrome",
        "goog:chromeOptions": {
            "binary": "/usr/bin/chromium",
            "args": [
                "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-dev-shm-usage",
                "--window-size=1280,900", "--lang=en-US", format!("--user-data-dir={}", profile.display()),
            ],
            "prefs": {"intl.accept_languages": "en-US,en"}
        }
    });
    let caps = match caps {
        Value::Object(m) => m,
        _ => unreachable!(),
    };
    fantoccini::ClientBuilder::new(hyper_util::client::legacy::connect::HttpConnector::new())
        .capabilities(caps)
        .connect(chromedriver())
        .await
        .expect("connect to chromedriver")
}

/// Pretty JSON for assertion messages.
pub fn show(v: &Value) -> String {
    serde_json::to_string_pretty(v).unwrap_or_default()
}
