//! The client tree as materialised paths: each client stores the keys from its company (the top
//! client) down to itself. "Is X inside Y's subtree" is a prefix test, answered from the two rows
//! alone (in SQL: a range over the `path` index), with no recursive query per request.

use serde::{Deserialize, Serialize};

use crate::ids::ClientKey;

/// The keys from the company down to a client, itself last. Never empty.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(try_from = "Vec<ClientKey>", into = "Vec<ClientKey>")]
pub struct ClientPath(Vec<ClientKey>);

/// Why a change to the tree is refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TreeError {
    /// A client cannot move into its own subtree (or under itself).
    IntoOwnSubtree,
    /// The company (top client) has no parent and cannot be moved.
    CompanyCannotMove,
    /// Parent and client belong to different companies.
    OtherCompany,
    /// Deeper than [`ClientPath::MAX_DEPTH`].
    TooDeep,
}

impl ClientPath {
    /// Deepest tree allowed (a path's keys are bound as parameters, and D1 allows 100 per query).
    pub const MAX_DEPTH: usize = 32;

    /// The path of a company (a top client).
    pub fn company(key: ClientKey) -> Self {
        Self(vec![key])
    }

    /// The path of a new child under this client.
    pub fn child(&self, key: ClientKey) -> Result<Self, TreeError> {
        if self.0.len() >= Self::MAX_DEPTH {
            return Err(TreeError::TooDeep);
        }
        let mut keys = self.0.clone();
        keys.push(key);
        Ok(Self(keys))
    }

    /// The client itself.
    pub fn client(&self) -> ClientKey {
        *self.0.last().expect("a path is never empty")
    }

    /// The company the client belongs to.
    pub fn company_key(&self) -> ClientKey {
        self.0[0]
    }

    /// The client's parent, `None` for a company.
    pub fn parent(&self) -> Option<ClientKey> {
        (self.0.len() > 1).then(|| self.0[self.0.len() - 2])
    }

    /// Every key from the company to the client itself.
    pub fn keys(&self) -> &[ClientKey] {
        &self.0
    }

    /// 0 for a company, 1 for its direct sub-clients, …
    pub fn depth(&self) -> usize {
        self.0.len() - 1
    }

    /// Whether this client is `ancestor` or lies below it.
    pub fn is_within(&self, ancestor: &ClientPath) -> bool {
        self.0.starts_with(&ancestor.0)
    }

    /// Whether `key` is this client or one of its ancestors.
    pub fn passes_through(&self, key: ClientKey) -> bool {
        self.0.contains(&key)
    }

    /// The stored form: each key followed by `/`, so a subtree is every path starting with this one.
    pub fn to_stored(&self) -> String {
        self.0.iter().map(|k| format!("{k}/")).collect()
    }

    /// Reads the stored form.
    pub fn from_stored(text: &str) -> Option<Self> {
        let keys = text
            .strip_suffix('/')?
            .split('/')
            .map(ClientKey::parse)
            .collect::<Option<Vec<_>>>()?;
        Self::try_from(keys).ok()
    }

    /// Where this client (and its subtree) would be after moving under `new_parent`.
    pub fn moved_under(&self, new_parent: &ClientPath) -> Result<ClientPath, TreeError> {
        if self.0.len() == 1 {
            return Err(TreeError::CompanyCannotMove);
        }
        if new_parent.company_key() != self.company_key() {
            return Err(TreeError::OtherCompany);
        }
        if new_parent.is_within(self) {
            return Err(TreeError::IntoOwnSubtree);
        }
        new_parent.child(self.client())
    }

    /// The path of a descendant after this client moved to `moved` (the descendant's own keys below
    /// this client stay as they are).
    pub fn rebased(&self, from: &ClientPath, to: &ClientPath) -> Option<ClientPath> {
        let rest = self.0.strip_prefix(from.0.as_slice())?;
        let mut keys = to.0.clone();
        keys.extend_from_slice(rest);
        Some(Self(keys))
    }
}

impl TryFrom<Vec<ClientKey>> for ClientPath {
    type Error = &'static str;
    fn try_from(keys: Vec<ClientKey>) -> Result<Self, Self::Error> {
        if keys.is_empty() || keys.len() > Self::MAX_DEPTH {
            return Err("a client path holds 1 to 32 keys");
        }
        Ok(Self(keys))
    }
}

impl From<ClientPath> for Vec<ClientKey> {
    fn from(p: ClientPath) -> Self {
        p.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn key(n: u8) -> ClientKey {
        ClientKey::from_random_bytes([n; 16])
    }

    #[test]
    fn stored_form_round_trips_and_prefixes() {
        let acme = ClientPath::company(key(1));
        let sales = acme.child(key(2)).unwrap();
        let north = sales.child(key(3)).unwrap();
        assert_eq!(
            ClientPath::from_stored(&north.to_stored()),
            Some(north.clone())
        );
        assert!(north.to_stored().starts_with(&sales.to_stored()));
        assert!(north.is_within(&acme) && north.is_within(&north));
        assert!(!sales.is_within(&north));
        assert_eq!(north.parent(), Some(key(2)));
        assert_eq!(acme.parent(), None);
        assert_eq!(ClientPath::from_stored("garbage"), None);
        assert_eq!(ClientPath::from_stored(""), None);
    }

    #[test]
    fn moves() {
        let acme = ClientPath::company(key(1));
        let sales = acme.child(key(2)).unwrap();
        let north = sales.child(key(3)).unwrap();
        let hr = acme.child(key(4)).unwrap();
        assert_eq!(sales.moved_under(&north), Err(TreeError::IntoOwnSubtree));
        assert_eq!(sales.moved_under(&sales), Err(TreeError::IntoOwnSubtree));
        assert_eq!(acme.moved_under(&hr), Err(TreeError::CompanyCannotMove));
        let other = ClientPath::company(key(9));
        assert_eq!(sales.moved_under(&other), Err(TreeError::OtherCompany));
        let moved = sales.moved_under(&hr).unwrap();
        assert_eq!(moved.keys(), &[key(1), key(4), key(2)]);
        assert_eq!(
            north.rebased(&sales, &moved).unwrap().keys(),
            &[key(1), key(4), key(2), key(3)]
        );
    }

    proptest! {
        /// A move never puts a client under itself, whatever the tree.
        #[test]
        fn a_move_is_never_into_the_own_subtree(depth_a in 1usize..6, depth_b in 1usize..6, shared in 0usize..6) {
            let mut a = ClientPath::company(key(0));
            for i in 0..depth_a { a = a.child(key(10 + i as u8)).unwrap(); }
            // b shares up to `shared` keys of a's path, then goes its own way
            let shared = shared.min(a.keys().len());
            let mut b = ClientPath::try_from(a.keys()[..shared.max(1)].to_vec()).unwrap();
            for i in 0..depth_b { b = b.child(key(100 + i as u8)).unwrap(); }
            match a.moved_under(&b) {
                Ok(moved) => {
                    prop_assert!(!b.is_within(&a));
                    prop_assert_eq!(moved.parent(), Some(b.client()));
                }
                Err(e) => prop_assert!(e == TreeError::IntoOwnSubtree || e == TreeError::CompanyCannotMove),
            }
        }
    }
}
