//! The users list as an admin works in it: which filter, which order, where a keyset page
//! starts, and how the per-status counts are put together from maintained counters.
//!
//! Every (filter, sort, search) combination maps to one [`Order`], and each order is served by one
//! index (see migration 0002): paging reads only the rows it shows.

use base64::{engine::general_purpose::URL_SAFE_NO_PAD, Engine};
use serde::{Deserialize, Serialize};

use crate::ids::AccountId;
use crate::status::AccountStatus;
use crate::time::Timestamp;

/// How far ahead "expiring soon" looks.
pub const EXPIRING_WITHIN_MS: i64 = 3 * 86_400_000;

/// What the list shows: every account, one stored status, or invitations by their expiry.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum ListFilter {
    /// Every account of the client.
    #[default]
    All,
    /// A pending invitation whose link still works.
    Invited,
    /// A pending invitation whose link runs out within three days.
    Expiring,
    /// A pending invitation whose link has run out.
    Expired,
    /// Accepted accounts.
    Accepted,
    /// Deactivated accounts.
    Deactivated,
}

impl ListFilter {
    /// Every filter, in the order the list offers them.
    pub const ALL: [ListFilter; 6] = [
        Self::All,
        Self::Invited,
        Self::Expiring,
        Self::Expired,
        Self::Accepted,
        Self::Deactivated,
    ];

    /// The query-string form (the same as the JSON's).
    pub fn as_str(self) -> &'static str {
        match self {
            Self::All => "all",
            Self::Invited => "invited",
            Self::Expiring => "expiring",
            Self::Expired => "expired",
            Self::Accepted => "accepted",
            Self::Deactivated => "deactivated",
        }
    }

    /// Reads the query-string form; empty means all.
    pub fn parse(text: &str) -> Option<Self> {
        if text.is_empty() {
            return Some(Self::All);
        }
        Self::ALL.into_iter().find(|f| f.as_str() == text)
    }

    /// The stored status it selects, for the filters that are one.
    pub fn status(self) -> Option<AccountStatus> {
        match self {
            Self::Accepted => Some(AccountStatus::Accepted),
            Self::Deactivated => Some(AccountStatus::Deactivated),
            _ => None,
        }
    }

    /// For the filters over pending invitations: the half-open range of expiry instants
    /// `[from, until)` it selects at `now` (a link is expired exactly when `now >= expires_at`).
    pub fn expiry_range(self, now: Timestamp) -> Option<(i64, i64)> {
        match self {
            Self::Invited => Some((now.0 + 1, i64::MAX)),
            Self::Expiring => Some((now.0 + 1, now.0 + EXPIRING_WITHIN_MS + 1)),
            Self::Expired => Some((i64::MIN, now.0 + 1)),
            _ => None,
        }
    }
}

/// How the admin asked the list to be sorted.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum ListSort {
    /// Date invited, newest first.
    #[default]
    Newest,
    /// Surname, then first name, A–Z.
    Name,
    /// Status (accepted, deactivated, invited), newest first within each.
    Status,
}

impl ListSort {
    /// Every sort, in the order the list offers them.
    pub const ALL: [ListSort; 3] = [Self::Newest, Self::Name, Self::Status];

    /// The query-string form.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Newest => "newest",
            Self::Name => "name",
            Self::Status => "status",
        }
    }

    /// Reads the query-string form.
    pub fn parse(text: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|s| s.as_str() == text)
    }
}

/// The order a page is read in; each is one index's order.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Order {
    /// Creation time, newest first, then id.
    Newest,
    /// Folded "surname first", then id.
    Name,
    /// Stored status, then newest first.
    Status,
    /// Search: matched term A–Z, then id.
    Match,
    /// Pending invitations by expiry, soonest first.
    ExpirySoonest,
    /// Pending invitations by expiry, most recently expired first.
    ExpiryLatest,
}

impl Order {
    /// The order for what the admin asked: a search lists by match; the invitation filters by
    /// expiry (soonest first, or most recently expired first); otherwise the chosen sort (by
    /// status only means something without a status filter).
    pub fn of(filter: ListFilter, sort: ListSort, searching: bool) -> Self {
        match (searching, filter, sort) {
            (true, _, _) => Self::Match,
            (_, ListFilter::Expired, _) => Self::ExpiryLatest,
            (_, ListFilter::Invited | ListFilter::Expiring, _) => Self::ExpirySoonest,
            (_, _, ListSort::Name) => Self::Name,
            (_, ListFilter::All, ListSort::Status) => Self::Status,
            _ => Self::Newest,
        }
    }

    /// Whether the sort the admin chose is the one applied (the UI says when it is not).
    pub fn follows(self, sort: ListSort) -> bool {
        matches!(
            (self, sort),
            (Self::Newest, ListSort::Newest | ListSort::Status)
                | (Self::Name, ListSort::Name)
                | (Self::Status, ListSort::Status)
        )
    }
}

/// A row's position in its order: the sort key before the id that breaks ties.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SortKey {
    /// An instant (creation or expiry time).
    Time(Timestamp),
    /// A text key (folded name, or the matched search term).
    Text(String),
    /// Stored status, then creation time.
    StatusTime(AccountStatus, Timestamp),
}

/// Where a keyset page starts: strictly after (or, paging back, before) this row.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Cursor {
    /// Paging back: the rows before this one, nearest first.
    pub backward: bool,
    /// The row's sort key.
    pub key: SortKey,
    /// The row's id.
    pub id: AccountId,
}

impl Cursor {
    /// The opaque text form handed to the client.
    pub fn encode(&self) -> String {
        let dir = if self.backward { 'b' } else { 'f' };
        let (kind, key) = match &self.key {
            SortKey::Time(t) => ('t', t.0.to_string()),
            SortKey::Text(s) => ('s', s.clone()),
            SortKey::StatusTime(s, t) => ('u', format!("{} {}", s.as_str(), t.0)),
        };
        URL_SAFE_NO_PAD.encode(format!("{dir}{kind}.{}.{key}", self.id))
    }

    /// Reads the text form back; `None` if it was not made by [`Cursor::encode`].
    pub fn decode(text: &str) -> Option<Self> {
        let raw = String::from_utf8(URL_SAFE_NO_PAD.decode(text).ok()?).ok()?;
        let mut parts = raw.splitn(3, '.');
        let head = parts.next()?;
        let id = AccountId::parse(parts.next()?)?;
        let key = parts.next()?;
        let mut head = head.chars();
        let backward = match head.next()? {
            'b' => true,
            'f' => false,
            _ => return None,
        };
        let key = match (head.next()?, head.next()) {
            ('t', None) => SortKey::Time(Timestamp(key.parse().ok()?)),
            ('s', None) => SortKey::Text(key.to_owned()),
            ('u', None) => {
                let (s, t) = key.split_once(' ')?;
                SortKey::StatusTime(AccountStatus::parse(s)?, Timestamp(t.parse().ok()?))
            }
            _ => return None,
        };
        Some(Self { backward, key, id })
    }

    /// Whether this cursor can continue a list read in `order`.
    pub fn fits(&self, order: Order) -> bool {
        matches!(
            (&self.key, order),
            (
                SortKey::Time(_),
                Order::Newest | Order::ExpirySoonest | Order::ExpiryLatest
            ) | (SortKey::Text(_), Order::Name | Order::Match)
                | (SortKey::StatusTime(..), Order::Status)
        )
    }
}

/// Counts shown in the filter, exact at the time of the request.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ListCounts {
    /// Every account of the client.
    pub all: u64,
    /// Pending invitations whose link still works.
    pub invited: u64,
    /// Of those, the ones running out within three days.
    pub expiring: u64,
    /// Pending invitations whose link has run out.
    pub expired: u64,
    /// Accepted accounts.
    pub accepted: u64,
    /// Deactivated accounts.
    pub deactivated: u64,
}

impl ListCounts {
    /// The count for one filter.
    pub fn of(&self, filter: ListFilter) -> u64 {
        match filter {
            ListFilter::All => self.all,
            ListFilter::Invited => self.invited,
            ListFilter::Expiring => self.expiring,
            ListFilter::Expired => self.expired,
            ListFilter::Accepted => self.accepted,
            ListFilter::Deactivated => self.deactivated,
        }
    }
}

/// One hour, the finer counter slot.
pub const HOUR_MS: i64 = 3_600_000;
/// Hours in a day, the coarser slot.
const HOURS_A_DAY: i64 = 24;

/// How a count of pending invitations expiring in `[from, until)` is put together: whole days
/// from the day counters, whole hours at the edges from the hour counters, and the minutes at
/// each end counted from the expiry index (at most two partial hours of invitations).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ExpiryCover {
    /// Day slots `[from, until)` (days since the epoch).
    pub days: Option<(i64, i64)>,
    /// Hour slots `[from, until)` (hours since the epoch), at most two ranges.
    pub hours: Vec<(i64, i64)>,
    /// Instants `[from, until)` in milliseconds counted row by row, at most two ranges.
    pub instants: Vec<(i64, i64)>,
}

impl ExpiryCover {
    /// The cover of `[from, until)`; both ends are clamped to ±2^50 ms (beyond year 30,000).
    pub fn of(from: i64, until: i64) -> Self {
        const LIMIT: i64 = 1 << 50;
        let (from, until) = (from.clamp(-LIMIT, LIMIT), until.clamp(-LIMIT, LIMIT));
        let mut cover = Self::default();
        if from >= until {
            return cover;
        }
        let h_from = from.div_euclid(HOUR_MS) + i64::from(from.rem_euclid(HOUR_MS) != 0);
        let h_until = until.div_euclid(HOUR_MS);
        if h_from >= h_until {
            cover.instants.push((from, until));
            return cover;
        }
        push_range(&mut cover.instants, from, h_from * HOUR_MS);
        push_range(&mut cover.instants, h_until * HOUR_MS, until);
        let d_from =
            h_from.div_euclid(HOURS_A_DAY) + i64::from(h_from.rem_euclid(HOURS_A_DAY) != 0);
        let d_until = h_until.div_euclid(HOURS_A_DAY);
        if d_from >= d_until {
            cover.hours.push((h_from, h_until));
            return cover;
        }
        push_range(&mut cover.hours, h_from, d_from * HOURS_A_DAY);
        push_range(&mut cover.hours, d_until * HOURS_A_DAY, h_until);
        cover.days = Some((d_from, d_until));
        cover
    }
}

fn push_range(ranges: &mut Vec<(i64, i64)>, from: i64, until: i64) {
    if from < until {
        ranges.push((from, until));
    }
}

/// The day slot an expiry instant is counted in.
pub fn day_slot(at: i64) -> i64 {
    at.div_euclid(HOUR_MS * HOURS_A_DAY)
}

/// The hour slot an expiry instant is counted in.
pub fn hour_slot(at: i64) -> i64 {
    at.div_euclid(HOUR_MS)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn id(n: u8) -> AccountId {
        AccountId::from_random_bytes([n; 16])
    }

    #[test]
    fn cursors_round_trip_and_refuse_foreign_text() {
        for key in [
            SortKey::Time(Timestamp(1_700_000_000_000)),
            SortKey::Text("muller anna. x".into()),
            SortKey::StatusTime(AccountStatus::Accepted, Timestamp(-5)),
        ] {
            for backward in [false, true] {
                let c = Cursor {
                    backward,
                    key: key.clone(),
                    id: id(7),
                };
                assert_eq!(Cursor::decode(&c.encode()), Some(c));
            }
        }
        assert_eq!(Cursor::decode("not a cursor"), None);
        assert_eq!(Cursor::decode(""), None);
        assert_eq!(Cursor::decode(&URL_SAFE_NO_PAD.encode("xt.abc.5")), None);
    }

    #[test]
    fn each_request_has_one_order_and_cursors_fit_only_theirs() {
        use ListFilter as F;
        use ListSort as S;
        assert_eq!(Order::of(F::All, S::Name, true), Order::Match);
        assert_eq!(Order::of(F::Expired, S::Name, false), Order::ExpiryLatest);
        assert_eq!(
            Order::of(F::Expiring, S::Newest, false),
            Order::ExpirySoonest
        );
        assert_eq!(Order::of(F::Accepted, S::Status, false), Order::Newest);
        assert_eq!(Order::of(F::All, S::Status, false), Order::Status);
        assert_eq!(Order::of(F::Deactivated, S::Name, false), Order::Name);
        assert!(Order::Newest.follows(S::Status));
        assert!(!Order::Match.follows(S::Name));
        let text = Cursor {
            backward: false,
            key: SortKey::Text("a".into()),
            id: id(1),
        };
        assert!(text.fits(Order::Name) && !text.fits(Order::Newest));
    }

    #[test]
    fn filters_select_expiry_ranges_exactly() {
        let now = Timestamp(1_000_000);
        let (from, until) = ListFilter::Expired.expiry_range(now).unwrap();
        assert!(from <= now.0 && now.0 < until, "expired at now exactly");
        let (from, _) = ListFilter::Invited.expiry_range(now).unwrap();
        assert_eq!(from, now.0 + 1);
        let (_, until) = ListFilter::Expiring.expiry_range(now).unwrap();
        assert_eq!(until, now.0 + EXPIRING_WITHIN_MS + 1);
        assert_eq!(ListFilter::Accepted.expiry_range(now), None);
        for f in ListFilter::ALL {
            assert_eq!(ListFilter::parse(f.as_str()), Some(f));
        }
    }

    proptest! {
        /// The counters the cover names add up to exactly the number of instants in the range.
        #[test]
        fn an_expiry_cover_counts_exactly(
            instants in proptest::collection::vec(-400_000_000i64..400_000_000, 0..60),
            from in -500_000_000i64..500_000_000,
            len in 0i64..600_000_000,
        ) {
            let until = from + len;
            let cover = ExpiryCover::of(from, until);
            prop_assert!(cover.instants.len() <= 2 && cover.hours.len() <= 2);
            let counted = instants.iter().filter(|&&at| {
                cover.days.is_some_and(|(a, b)| (a..b).contains(&day_slot(at)))
                    || cover.hours.iter().any(|&(a, b)| (a..b).contains(&hour_slot(at)))
                    || cover.instants.iter().any(|&(a, b)| (a..b).contains(&at))
            }).count();
            let double = instants.iter().filter(|&&at| {
                let n = usize::from(cover.days.is_some_and(|(a, b)| (a..b).contains(&day_slot(at))))
                    + cover.hours.iter().filter(|&&(a, b)| (a..b).contains(&hour_slot(at))).count()
                    + cover.instants.iter().filter(|&&(a, b)| (a..b).contains(&at)).count();
                n > 1
            }).count();
            let truth = instants.iter().filter(|&&at| from <= at && at < until).count();
            prop_assert_eq!(counted, truth);
            prop_assert_eq!(double, 0);
        }
    }
}
