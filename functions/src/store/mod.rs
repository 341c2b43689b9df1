//! D1 storage: one module per table, prepared statements with positional binds, private row structs
//! turned into domain types. Every request opens one D1 session, so reads follow the client's bookmark
//! (read-your-writes across replicas) and the answer carries the new bookmark back.

pub mod accounts;
pub mod audit;
pub mod clients;
pub mod invitations;
pub mod lifecycle;
pub mod outbox;
pub mod resets;
pub mod roles;
pub mod sessions;
pub mod throttle;
pub mod two_factor;
pub mod users_list;

use std::cell::{Cell, RefCell};
use std::collections::{BTreeMap, BTreeSet};
use std::rc::Rc;

use serde::de::DeserializeOwned;
use wasm_bindgen::JsValue;
use worker::{D1DatabaseSession, D1PreparedStatement, D1Result, D1SessionConstraint, Env, Result};

/// The D1 binding's name in `wrangler.toml`.
const BINDING: &str = "DB";

/// What the queries of one request cost, as D1 reports it (and bills it).
#[derive(Debug, Default)]
pub struct Usage {
    rows_read: Cell<usize>,
    rows_written: Cell<usize>,
    /// Local mode: the record each statement's SQL is kept under, so its query plan can be checked.
    record: RefCell<Option<String>>,
}

impl Usage {
    fn add(&self, result: &D1Result) -> Result<()> {
        if let Some(meta) = result.meta()? {
            self.rows_read
                .set(self.rows_read.get() + meta.rows_read.unwrap_or(0));
            self.rows_written
                .set(self.rows_written.get() + meta.rows_written.unwrap_or(0));
        }
        Ok(())
    }
}

thread_local! {
    /// Local mode: per record name, the distinct SQL texts prepared by requests that asked for it
    /// (see `GET /dev/query-plans`).
    static SEEN: RefCell<BTreeMap<String, BTreeSet<String>>> = const { RefCell::new(BTreeMap::new()) };
}

/// The distinct statements prepared under this record name so far.
pub fn seen_statements(record: &str) -> Vec<String> {
    SEEN.with(|seen| {
        seen.borrow()
            .get(record)
            .map(|set| set.iter().cloned().collect())
            .unwrap_or_default()
    })
}

/// A prepared statement whose running is counted in its request's [`Usage`]; the only way store
/// code reaches D1, so the figures cover every query.
pub struct Stmt {
    inner: D1PreparedStatement,
    usage: Rc<Usage>,
}

impl Stmt {
    /// Binds the positional parameters.
    pub fn bind(self, values: &[JsValue]) -> Result<Self> {
        Ok(Stmt {
            inner: self.inner.bind(values)?,
            usage: self.usage,
        })
    }

    /// Runs the statement and returns its result (rows and metadata).
    pub async fn all(self) -> Result<D1Result> {
        let result = self.inner.all().await?;
        self.usage.add(&result)?;
        Ok(result)
    }

    /// Runs a write.
    pub async fn run(self) -> Result<D1Result> {
        let result = self.inner.run().await?;
        self.usage.add(&result)?;
        Ok(result)
    }

    /// The first row, or one column of it.
    pub async fn first<T: DeserializeOwned>(self, column: Option<&str>) -> Result<Option<T>> {
        let rows = self.all().await?.results::<serde_json::Value>()?;
        let Some(row) = rows.into_iter().next() else {
            return Ok(None);
        };
        let value = match column {
            Some(c) => row.get(c).cloned().unwrap_or(serde_json::Value::Null),
            None => row,
        };
        serde_json::from_value(value)
            .map(Some)
            .map_err(|e| worker::Error::RustError(e.to_string()))
    }
}

/// The mail key ring of a request, read from its secret when first needed.
struct MailKeys {
    env: Env,
    ring: std::cell::OnceCell<Option<domain::sealed::KeyRing>>,
}

impl MailKeys {
    fn of(env: &Env) -> Self {
        Self {
            env: env.clone(),
            ring: std::cell::OnceCell::new(),
        }
    }
}

/// A D1 session for one request.
pub struct Store {
    db: D1DatabaseSession,
    usage: Rc<Usage>,
    /// Seals and opens queued mail bodies (`crate::config::mail_keys`), read from the secret the
    /// first time a mail needs it, not on every request.
    mail_keys: Rc<MailKeys>,
}

impl Store {
    /// Opens a session at the client's bookmark, or anywhere (`first-unconstrained`) without one.
    pub fn open(env: &Env, bookmark: Option<&str>) -> Result<Self> {
        let db = env.d1(BINDING)?;
        let session = match bookmark.filter(|b| is_plausible_bookmark(b)) {
            Some(b) => db.with_session(Some(b))?,
            None => db.with_session_constraint(D1SessionConstraint::FirstUnconstrained)?,
        };
        Ok(Store {
            db: session,
            usage: Rc::default(),
            mail_keys: Rc::new(MailKeys::of(env)),
        })
    }

    /// Opens a session on the primary, for security state that must never be read stale (jobs
    /// outside a request; a request uses [`Store::primary`]).
    pub fn open_primary(env: &Env) -> Result<Self> {
        Self::on_primary(env, Rc::default(), Rc::new(MailKeys::of(env)))
    }

    fn on_primary(env: &Env, usage: Rc<Usage>, mail_keys: Rc<MailKeys>) -> Result<Self> {
        let db = env
            .d1(BINDING)?
            .with_session_constraint(D1SessionConstraint::FirstPrimary)?;
        Ok(Store {
            db,
            usage,
            mail_keys,
        })
    }

    /// A session on the primary for this same request: its reads and writes count in this
    /// request's figures (and its statements in the same record).
    pub fn primary(&self, env: &Env) -> Result<Self> {
        Self::on_primary(env, self.usage.clone(), self.mail_keys.clone())
    }

    /// Whether queued mail can be sealed (a key ring is configured).
    pub fn seals_mail(&self) -> bool {
        self.mail_keys().is_some()
    }

    /// The key ring, read once per request at first use.
    pub(crate) fn mail_keys(&self) -> Option<&domain::sealed::KeyRing> {
        self.mail_keys
            .ring
            .get_or_init(|| crate::config::mail_keys(&self.mail_keys.env))
            .as_ref()
    }

    /// Local mode: keep the SQL of every statement from now on under this record name.
    pub fn record_statements(&self, record: &str) {
        *self.usage.record.borrow_mut() = Some(record.to_owned());
    }

    /// The latest bookmark this session has seen, to hand back to the client.
    pub fn bookmark(&self) -> Option<String> {
        self.db.get_bookmark().ok().flatten()
    }

    /// Rows D1 read for this request's queries so far.
    pub fn rows_read(&self) -> usize {
        self.usage.rows_read.get()
    }

    /// Rows D1 wrote for this request so far (index entries included, as D1 counts them).
    pub fn rows_written(&self) -> usize {
        self.usage.rows_written.get()
    }

    /// Runs a query and returns its rows.
    pub(crate) async fn rows<T: DeserializeOwned>(&self, statement: Stmt) -> Result<Vec<T>> {
        statement.all().await?.results()
    }

    /// The first row of a query.
    pub(crate) async fn row<T: DeserializeOwned>(&self, statement: Stmt) -> Result<Option<T>> {
        Ok(self.rows(statement).await?.into_iter().next())
    }

    pub(crate) fn prepare(&self, sql: &str) -> Stmt {
        if let Some(record) = self.usage.record.borrow().as_deref() {
            SEEN.with(|seen| {
                let mut seen = seen.borrow_mut();
                let set = seen.entry(record.to_owned()).or_default();
                if !set.contains(sql) {
                    set.insert(sql.to_owned());
                }
            });
        }
        Stmt {
            inner: self.db.prepare(sql),
            usage: self.usage.clone(),
        }
    }

    /// Runs statements as one transaction: all stand or all fall.
    pub(crate) async fn batch(&self, statements: Vec<Stmt>) -> Result<Vec<D1Result>> {
        let results = self
            .db
            .batch(statements.into_iter().map(|s| s.inner).collect())
            .await?;
        for r in &results {
            self.usage.add(r)?;
        }
        Ok(results)
    }
}

/// Bookmarks are opaque, but never long or full of strange characters; anything else is ignored
/// rather than handed to D1 (which would fail the request).
fn is_plausible_bookmark(b: &str) -> bool {
    !b.is_empty()
        && b.len() <= 256
        && !matches!(b, "first-primary" | "first-unconstrained")
        && b.bytes()
            .all(|c| c.is_ascii_alphanumeric() || c == b'-' || c == b'_')
}

/// A text parameter.
pub(crate) fn text(s: &str) -> JsValue {
    JsValue::from_str(s)
}

/// An integer parameter (times, counts); exact below 2^53.
pub(crate) fn int(n: i64) -> JsValue {
    JsValue::from_f64(n as f64)
}

/// A nullable text parameter.
pub(crate) fn opt_text(s: Option<&str>) -> JsValue {
    s.map(text).unwrap_or(JsValue::NULL)
}

/// Whether a D1 error is a violated unique index, named by its columns as SQLite reports them.
pub(crate) fn is_unique_violation(e: &worker::Error, columns: &str) -> bool {
    let msg = e.to_string();
    msg.contains("UNIQUE constraint failed") && msg.contains(columns)
}

/// What the `swap_misses` trigger raises when a compare-and-swap lost (see
/// [`Store::lost_swap_aborts`]).
const LOST_SWAP: &str = "gatehouse: compare-and-swap lost";

/// Whether a batch failed because its compare-and-swap found the state changed by someone else.
pub(crate) fn is_lost_swap(e: &worker::Error) -> bool {
    e.to_string().contains(LOST_SWAP)
}

impl Store {
    /// The statement to put right after a compare-and-swap in a batch: when the swap changed no
    /// row (`changes()` counts the statement just before), it inserts into `swap_misses`, whose
    /// trigger aborts the whole batch, so nothing that follows the swap runs for the loser.
    pub(crate) fn lost_swap_aborts(&self) -> Result<Stmt> {
        self.prepare("INSERT INTO swap_misses (reason) SELECT 'lost' WHERE changes() = 0")
            .bind(&[])
    }
}

/// How many rows a `… RETURNING` statement in a batch gave back.
pub(crate) fn returned_rows(result: &D1Result) -> Result<usize> {
    Ok(result.results::<serde_json::Value>()?.len())
}
