//! The users list: one keyset page in any of the list's orders, both directions, the per-filter
//! counts from the maintained counters, and the number of search matches.
//!
//! Every order is one index's order (migration 0002), so a page reads the rows it shows plus the
//! one that says whether there are more; the counts read a handful of counter rows.

use domain::api::{MatchCount, UserPage};
use domain::list::{Cursor, ExpiryCover, ListCounts, ListFilter, Order, SortKey};
use domain::search::SearchQuery;
use domain::{AccountStatus, Scope, Timestamp};
use serde::Deserialize;
use wasm_bindgen::JsValue;
use worker::Result;

use super::accounts::{ListRow, LIST_COLUMNS};
use super::{int, text, Store};

/// What one page asks for.
pub struct PageRequest<'a> {
    /// Which accounts.
    pub filter: ListFilter,
    /// In which order (from `domain::list::Order::of`).
    pub order: Order,
    /// The search, when there is one.
    pub search: Option<&'a SearchQuery>,
    /// Where to continue; checked to fit `order` by the caller.
    pub cursor: Option<Cursor>,
    /// Page size.
    pub limit: u32,
    /// The request's time (expiry filters and badges).
    pub now: Timestamp,
}

/// Positional parameters, numbered as they are added.
struct Binds(Vec<JsValue>);

impl Binds {
    fn push(&mut self, value: JsValue) -> String {
        self.0.push(value);
        format!("?{}", self.0.len())
    }
}

/// One index range read in one direction.
struct Segment {
    from: &'static str,
    conditions: Vec<String>,
    key: &'static str,
    tie: &'static str,
    ascending: bool,
}

/// A list row with the sort key it was read by.
#[derive(Deserialize)]
struct KeyedRow {
    #[serde(flatten)]
    row: ListRow,
    sort_key: serde_json::Value,
}

impl Store {
    /// One page of the scope's client's accounts, with the counts (and, searching, the matches)
    /// read at the same time.
    pub async fn users_page(&self, scope: &Scope, req: PageRequest<'_>) -> Result<UserPage> {
        let counts = self.list_counts(scope, req.now);
        let matches = async {
            match (req.search, &req.cursor) {
                (Some(q), None) => self
                    .match_count(scope, req.filter, q, req.now)
                    .await
                    .map(Some),
                _ => Ok(None),
            }
        };
        let rows = self.page_rows(scope, &req, req.cursor.as_ref());
        let (counts, matches, rows) = futures_util::future::join3(counts, matches, rows).await;
        let (counts, matches, (mut rows, more)) = (counts?, matches?, rows?);
        let (has_next, prev) = match &req.cursor {
            None => (more, None),
            Some(c) if c.backward => {
                rows.reverse();
                if !more {
                    // back at the start: the first page, as a fresh list shows it
                    let (first, more) = self.page_rows(scope, &req, None).await?;
                    rows = first;
                    (more, None)
                } else {
                    (
                        true,
                        rows.first().and_then(|r| cursor_of(req.order, r, true)),
                    )
                }
            }
            Some(c) => (
                more,
                match rows.first() {
                    Some(first) => cursor_of(req.order, first, true),
                    // an empty page after a cursor: the rows before it
                    None => Some(Cursor {
                        backward: true,
                        ..c.clone()
                    }),
                },
            ),
        };
        let next = has_next
            .then(|| rows.last().and_then(|r| cursor_of(req.order, r, false)))
            .flatten();
        let users = self
            .with_roles(scope, rows.into_iter().map(|r| r.row).collect(), req.now)
            .await?;
        Ok(UserPage {
            users,
            next_cursor: next.map(|c| c.encode()),
            prev_cursor: prev.map(|c| c.encode()),
            counts,
            matches,
        })
    }

    /// The ids of up to `max` accounts matching a filter and search, in the list's order, and
    /// whether more match (a bulk action over "everything matching": the same query as the list).
    pub async fn matching_ids(
        &self,
        scope: &Scope,
        filter: ListFilter,
        search: Option<&SearchQuery>,
        order: Order,
        max: u32,
        now: Timestamp,
    ) -> Result<(Vec<String>, bool)> {
        let req = PageRequest {
            filter,
            order,
            search,
            cursor: None,
            limit: max,
            now,
        };
        let (rows, more) = self.page_rows(scope, &req, None).await?;
        Ok((rows.into_iter().map(|r| r.row.id).collect(), more))
    }

    /// Up to `limit` rows after (or before) `cursor` in the request's order, and whether more follow.
    async fn page_rows(
        &self,
        scope: &Scope,
        req: &PageRequest<'_>,
        cursor: Option<&Cursor>,
    ) -> Result<(Vec<KeyedRow>, bool)> {
        let backward = cursor.is_some_and(|c| c.backward);
        let want = req.limit as usize + 1;
        let mut rows: Vec<KeyedRow> = Vec::new();
        match req.order {
            Order::Status => {
                // one index range per status, in the order the statuses sort
                let mut statuses: Vec<AccountStatus> = AccountStatus::ALL.to_vec();
                statuses.sort_by_key(|s| s.as_str());
                if backward {
                    statuses.reverse();
                }
                let at = match cursor.map(|c| &c.key) {
                    Some(SortKey::StatusTime(s, _)) => Some(*s),
                    _ => None,
                };
                let start = at
                    .and_then(|s| statuses.iter().position(|x| *x == s))
                    .unwrap_or(0);
                for (i, status) in statuses[start..].iter().enumerate() {
                    let mut binds = Binds(vec![text(&scope.client().to_string())]);
                    let condition = format!("a.status = {}", binds.push(text(status.as_str())));
                    let segment = Segment {
                        from: "accounts a",
                        conditions: vec!["a.client_id = ?1".into(), condition],
                        key: "a.created_at",
                        tie: "a.id",
                        ascending: false,
                    };
                    let after = if i == 0 { cursor } else { None };
                    let got = self
                        .segment_rows(&segment, binds, after, backward, want - rows.len())
                        .await?;
                    rows.extend(got);
                    if rows.len() >= want {
                        break;
                    }
                }
            }
            order => {
                let mut binds = Binds(vec![text(&scope.client().to_string())]);
                let segment = segment_of(order, req, &mut binds);
                rows = self
                    .segment_rows(&segment, binds, cursor, backward, want)
                    .await?;
            }
        }
        let more = rows.len() > req.limit as usize;
        rows.truncate(req.limit as usize);
        Ok((rows, more))
    }

    async fn segment_rows(
        &self,
        s: &Segment,
        mut binds: Binds,
        cursor: Option<&Cursor>,
        backward: bool,
        limit: usize,
    ) -> Result<Vec<KeyedRow>> {
        let ascending = s.ascending != backward;
        let mut conditions = s.conditions.clone();
        if let Some(c) = cursor {
            let key = match &c.key {
                SortKey::Time(t) | SortKey::StatusTime(_, t) => int(t.0),
                SortKey::Text(t) => text(t),
            };
            let (k, id) = (binds.push(key), binds.push(text(&c.id.to_string())));
            let op = if ascending { ">" } else { "<" };
            conditions.push(format!("({}, {}) {op} ({k}, {id})", s.key, s.tie));
        }
        let dir = if ascending { "ASC" } else { "DESC" };
        let limit = binds.push(int(limit as i64));
        let sql = format!(
            "SELECT {LIST_COLUMNS}, {key} AS sort_key FROM {from} WHERE {conditions} \
             ORDER BY {key} {dir}, {tie} {dir} LIMIT {limit}",
            key = s.key,
            from = s.from,
            conditions = conditions.join(" AND "),
            tie = s.tie,
        );
        self.rows(self.prepare(&sql).bind(&binds.0)?).await
    }

    /// The counts for every filter: status counters, and pending invitations by expiry slot (the
    /// expired ones are all pending minus the valid ones, so no past slot is ever read).
    pub async fn list_counts(&self, scope: &Scope, now: Timestamp) -> Result<ListCounts> {
        #[derive(Deserialize)]
        struct Row {
            all: i64,
            accepted: i64,
            deactivated: i64,
            pending: i64,
            valid: i64,
            expiring: i64,
        }
        let mut binds = Binds(vec![text(&scope.client().to_string())]);
        let cover_sql = |binds: &mut Binds, filter: ListFilter| {
            let (from, until) = filter.expiry_range(now).expect("an expiry filter");
            let cover = ExpiryCover::of(from, until);
            let mut parts = vec!["0".to_owned()];
            let slots = cover
                .days
                .iter()
                .map(|r| ("d", r))
                .chain(cover.hours.iter().map(|r| ("h", r)));
            for (unit, &(a, b)) in slots {
                parts.push(format!(
                    "(SELECT coalesce(sum(n), 0) FROM invitation_expiry_counts WHERE client_id = ?1 AND unit = '{unit}' \
                     AND slot >= {} AND slot < {})",
                    binds.push(int(a)),
                    binds.push(int(b))
                ));
            }
            for &(a, b) in &cover.instants {
                parts.push(format!(
                    "(SELECT count(*) FROM accounts WHERE client_id = ?1 AND invite_expires_at IS NOT NULL \
                     AND invite_expires_at >= {} AND invite_expires_at < {})",
                    binds.push(int(a)),
                    binds.push(int(b))
                ));
            }
            parts.join(" + ")
        };
        // only slots from now on are read: the valid ones, and of those the ones running out soon
        let valid = cover_sql(&mut binds, ListFilter::Invited);
        let expiring = cover_sql(&mut binds, ListFilter::Expiring);
        let sql = format!(
            "SELECT (SELECT coalesce(sum(n), 0) FROM account_counts WHERE client_id = ?1) AS \"all\", \
             (SELECT coalesce(sum(n), 0) FROM account_counts WHERE client_id = ?1 AND status = 'accepted') AS accepted, \
             (SELECT coalesce(sum(n), 0) FROM account_counts WHERE client_id = ?1 AND status = 'deactivated') AS deactivated, \
             (SELECT coalesce(sum(n), 0) FROM invitation_expiry_counts WHERE client_id = ?1 AND unit = 'p' AND slot = 0) AS pending, \
             {valid} AS valid, {expiring} AS expiring"
        );
        let row: Row = self
            .prepare(&sql)
            .bind(&binds.0)?
            .first(None)
            .await?
            .ok_or("no counts row")?;
        let n = |v: i64| v.max(0) as u64;
        Ok(ListCounts {
            all: n(row.all),
            invited: n(row.valid),
            expiring: n(row.expiring),
            expired: n(row.pending - row.valid),
            accepted: n(row.accepted),
            deactivated: n(row.deactivated),
        })
    }

    /// Drops up to `limit` invitation-expiry counter slots that lie in the past (before yesterday,
    /// before the previous hour): counts read only slots from now on. Answers how many.
    pub async fn drop_past_expiry_slots(&self, now: Timestamp, limit: u32) -> Result<usize> {
        let mut dropped = 0;
        let cutoffs = [
            ("d", domain::list::day_slot(now.0) - 1),
            ("h", domain::list::hour_slot(now.0) - 1),
        ];
        for (unit, before) in cutoffs {
            let result = self
                .prepare(
                    "DELETE FROM invitation_expiry_counts WHERE (client_id, unit, slot) IN \
                     (SELECT client_id, unit, slot FROM invitation_expiry_counts WHERE unit = ?1 AND slot < ?2 LIMIT ?3)",
                )
                .bind(&[text(unit), int(before), int(i64::from(limit))])?
                .run()
                .await?;
            dropped += result.meta()?.and_then(|m| m.changes).unwrap_or(0);
        }
        Ok(dropped)
    }

    /// How many accounts a search matches within the filter, counted up to [`MatchCount::CAP`].
    async fn match_count(
        &self,
        scope: &Scope,
        filter: ListFilter,
        q: &SearchQuery,
        now: Timestamp,
    ) -> Result<MatchCount> {
        let mut binds = Binds(vec![text(&scope.client().to_string())]);
        let (from, conditions) = match_from(filter, q, now, &mut binds);
        let cap = binds.push(int(i64::from(MatchCount::CAP) + 1));
        let sql = format!(
            "SELECT count(*) AS n FROM (SELECT 1 FROM {from} WHERE {} LIMIT {cap})",
            conditions.join(" AND ")
        );
        let n: i64 = self
            .prepare(&sql)
            .bind(&binds.0)?
            .first(Some("n"))
            .await?
            .unwrap_or(0);
        let n = n.max(0) as u32;
        Ok(MatchCount {
            count: n.min(MatchCount::CAP),
            more: n > MatchCount::CAP,
        })
    }
}

/// The index range of a single-range order.
fn segment_of(order: Order, req: &PageRequest<'_>, binds: &mut Binds) -> Segment {
    let mut conditions = vec!["a.client_id = ?1".to_owned()];
    if let Some(status) = req.filter.status() {
        conditions.push(format!("a.status = {}", binds.push(text(status.as_str()))));
    }
    match order {
        Order::Match => {
            let q = req.search.expect("a match order has a search");
            let (_, conditions) = match_from(req.filter, q, req.now, binds);
            Segment {
                from: MATCH_FROM,
                conditions,
                key: "t.term",
                tie: "t.account_id",
                ascending: true,
            }
        }
        Order::Newest | Order::Status => Segment {
            from: "accounts a",
            conditions,
            key: "a.created_at",
            tie: "a.id",
            ascending: false,
        },
        Order::Name => Segment {
            from: "accounts a",
            conditions,
            key: "a.sort_name",
            tie: "a.id",
            ascending: true,
        },
        Order::ExpirySoonest | Order::ExpiryLatest => {
            conditions.extend(expiry_conditions(req.filter, req.now, binds));
            Segment {
                from: "accounts a",
                conditions,
                key: "a.invite_expires_at",
                tie: "a.id",
                ascending: order == Order::ExpirySoonest,
            }
        }
    }
}

const MATCH_FROM: &str = "account_terms t JOIN accounts a ON a.id = t.account_id";

/// A search's tables and conditions: the term range, each account once (`shared`), the filter.
fn match_from(
    filter: ListFilter,
    q: &SearchQuery,
    now: Timestamp,
    binds: &mut Binds,
) -> (&'static str, Vec<String>) {
    let mut conditions = vec![
        "t.client_id = ?1".to_owned(),
        format!("t.term >= {}", binds.push(text(q.as_str()))),
        format!("t.term < {}", binds.push(text(&q.range_end()))),
        format!("t.shared < {}", binds.push(int(q.len() as i64))),
    ];
    if let Some(status) = filter.status() {
        conditions.push(format!("t.status = {}", binds.push(text(status.as_str()))));
    }
    conditions.extend(expiry_conditions(filter, now, binds));
    (MATCH_FROM, conditions)
}

/// For the filters over pending invitations: the expiry range on the account rows (served by
/// `accounts_invite_expiry`); none for the others.
fn expiry_conditions(filter: ListFilter, now: Timestamp, binds: &mut Binds) -> Vec<String> {
    // far beyond any real instant, and exact as a JavaScript number
    const LIMIT: i64 = 1 << 50;
    let Some((from, until)) = filter.expiry_range(now) else {
        return Vec::new();
    };
    vec![
        "a.invite_expires_at IS NOT NULL".into(),
        format!(
            "a.invite_expires_at >= {}",
            binds.push(int(from.max(-LIMIT)))
        ),
        format!(
            "a.invite_expires_at < {}",
            binds.push(int(until.min(LIMIT)))
        ),
    ]
}

/// The cursor just after (or, `backward`, just before) a row in `order`.
fn cursor_of(order: Order, row: &KeyedRow, backward: bool) -> Option<Cursor> {
    let id = domain::AccountId::parse(&row.row.id)?;
    let key = match order {
        Order::Status => SortKey::StatusTime(
            AccountStatus::parse(&row.row.status)?,
            Timestamp(row.row.created_at),
        ),
        Order::Name | Order::Match => SortKey::Text(row.sort_key.as_str()?.to_owned()),
        Order::Newest | Order::ExpirySoonest | Order::ExpiryLatest => {
            SortKey::Time(Timestamp(row.sort_key.as_i64()?))
        }
    };
    Some(Cursor { backward, key, id })
}
