//! D1 storage: one module per table, prepared statements with positional binds, private row structs
//! turned into domain types. Every request opens one D1 session, so reads follow the client's bookmark
//! (read-your-writes across replicas) and the answer carries the new bookmark back.

pub mod accounts;
pub mod audit;
pub mod clients;
pub mod invitations;
pub mod outbox;
pub mod roles;
pub mod sessions;
pub mod throttle;

use std::cell::Cell;

use wasm_bindgen::JsValue;
use worker::{D1DatabaseSession, D1PreparedStatement, D1Result, D1SessionConstraint, Env, Result};

/// The D1 binding's name in `wrangler.toml`.
const BINDING: &str = "DB";

/// A D1 session for one request.
pub struct Store {
    db: D1DatabaseSession,
    /// Rows D1 read for this request's queries run through [`Store::rows`] (what D1 bills), shown
    /// in local mode so a scan shows up before a customer sees it.
    rows_read: Cell<usize>,
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
            rows_read: Cell::new(0),
        })
    }

    /// Opens a session on the primary, for security state that must never be read stale.
    pub fn open_primary(env: &Env) -> Result<Self> {
        let db = env
            .d1(BINDING)?
            .with_session_constraint(D1SessionConstraint::FirstPrimary)?;
        Ok(Store {
            db,
            rows_read: Cell::new(0),
        })
    }

    /// The latest bookmark this session has seen, to hand back to the client.
    pub fn bookmark(&self) -> Option<String> {
        self.db.get_bookmark().ok().flatten()
    }

    /// Rows read so far by the queries of this request that went through [`Store::rows`].
    pub fn rows_read(&self) -> usize {
        self.rows_read.get()
    }

    /// Runs a query and returns its rows, counting the rows D1 read for them.
    pub(crate) async fn rows<T: serde::de::DeserializeOwned>(
        &self,
        statement: D1PreparedStatement,
    ) -> Result<Vec<T>> {
        let result = statement.all().await?;
        let read = result.meta()?.and_then(|m| m.rows_read).unwrap_or(0);
        self.rows_read.set(self.rows_read.get() + read);
        result.results()
    }

    /// The first row of a query (see [`Store::rows`]).
    pub(crate) async fn row<T: serde::de::DeserializeOwned>(
        &self,
        statement: D1PreparedStatement,
    ) -> Result<Option<T>> {
        Ok(self.rows(statement).await?.into_iter().next())
    }

    pub(crate) fn prepare(&self, sql: &str) -> D1PreparedStatement {
        self.db.prepare(sql)
    }

    /// Runs statements as one transaction: all stand or all fall.
    pub(crate) async fn batch(
        &self,
        statements: Vec<D1PreparedStatement>,
    ) -> Result<Vec<D1Result>> {
        self.db.batch(statements).await
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

/// How many rows a `… RETURNING` statement in a batch gave back.
pub(crate) fn returned_rows(result: &D1Result) -> Result<usize> {
    Ok(result.results::<serde_json::Value>()?.len())
}
