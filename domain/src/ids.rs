//! Identifiers: UUIDs built from caller-supplied random bytes, and the client ID people type.

use serde::{Deserialize, Serialize};
use std::fmt;
use uuid::Uuid;

use crate::values::ValueError;

macro_rules! uuid_id {
    ($(#[$doc:meta])* $name:ident) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
        #[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
        #[serde(transparent)]
        pub struct $name(Uuid);

        impl $name {
            /// A new random (v4) id from 16 bytes of the caller's randomness.
            pub fn from_random_bytes(bytes: [u8; 16]) -> Self {
                Self(uuid::Builder::from_random_bytes(bytes).into_uuid())
            }

            /// Parses the hyphenated text form stored in D1.
            pub fn parse(text: &str) -> Option<Self> {
                Uuid::try_parse(text).ok().map(Self)
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                self.0.hyphenated().fmt(f)
            }
        }
    };
}

uuid_id!(
    /// The internal id of an account (one person in one client).
    AccountId
);
uuid_id!(
    /// The internal id of an invitation (one link ever sent).
    InvitationId
);
uuid_id!(
    /// The internal key of a client (a company is its tree's top client); never typed by people,
    /// unlike the [`ClientId`] used at sign-in.
    ClientKey
);
uuid_id!(
    /// The id of a role (built-in or custom) of one company.
    RoleId
);
uuid_id!(
    /// The id of a sign-in session (not its token: the token is only in the cookie).
    SessionId
);

/// The client ID a person types at sign-in ("acme"): 2–32 of `a-z`, `0-9` and `-`, stored lowercase.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(transparent)]
pub struct ClientId(String);

impl ClientId {
    /// Parses what a person typed: trimmed, case-insensitive.
    pub fn parse(text: &str) -> Result<Self, ValueError> {
        let value = text.trim().to_ascii_lowercase();
        if value.is_empty() {
            return Err(ValueError::Missing);
        }
        let valid_chars = value
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-');
        if !(2..=32).contains(&value.len()) || !valid_chars || value.starts_with('-') {
            return Err(ValueError::Invalid);
        }
        Ok(Self(value))
    }

    /// The normalised text form.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl<'de> Deserialize<'de> for ClientId {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let text = String::deserialize(d)?;
        ClientId::parse(&text).map_err(|_| serde::de::Error::custom("invalid client ID"))
    }
}

impl fmt::Display for ClientId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_v4_from_the_given_bytes() {
        let a = AccountId::from_random_bytes([7; 16]);
        assert_eq!(a, AccountId::from_random_bytes([7; 16]));
        assert_ne!(a, AccountId::from_random_bytes([8; 16]));
        assert_eq!(AccountId::parse(&a.to_string()), Some(a));
        assert!(a.to_string().chars().nth(14) == Some('4'));
    }

    #[test]
    fn client_id_is_normalised_and_checked() {
        assert_eq!(ClientId::parse("  ACME ").unwrap().as_str(), "acme");
        assert_eq!(ClientId::parse(""), Err(ValueError::Missing));
        assert_eq!(ClientId::parse("a"), Err(ValueError::Invalid));
        assert_eq!(ClientId::parse("ac me"), Err(ValueError::Invalid));
        assert_eq!(ClientId::parse("-acme"), Err(ValueError::Invalid));
    }
}
