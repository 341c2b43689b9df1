//! Gatehouse's rules, written once and used by the worker and the browser alike.
//!
//! Nothing here reads a clock or a random source: `now` and random bytes are parameters, so every
//! rule is exact and testable. Nothing here does I/O.

pub mod access;
pub mod api;
pub mod audit;
pub mod breached;
pub mod hashing;
pub mod headers;
pub mod i18n;
pub mod ids;
pub mod invitation;
pub mod lifecycle;
pub mod list;
#[cfg(feature = "openapi")]
pub mod openapi;
pub mod password;
pub mod permissions;
pub mod routes;
#[cfg(any(feature = "sealing", test))]
pub mod sealed;
pub mod search;
pub mod sessions;
pub mod settings;
pub mod status;
pub mod throttle;
pub mod time;
pub mod token;
pub mod totp;
pub mod tree;
pub mod values;

pub use access::{authorize, ClientAccess, Denied, Principal, Scope, Target};
pub use ids::{AccountId, ClientId, ClientKey, InvitationId, RoleId, SessionId};
pub use invitation::{Invitation, InvitationError, InvitationState, InvitationStatus};
pub use password::{PasswordPolicy, PasswordRule};
pub use permissions::{BuiltinRole, Permission, PermissionSet, RoleName};
pub use status::{AccountStatus, Badge};
pub use time::{Timestamp, Ttl};
pub use token::{Token, TokenDigest};
pub use tree::ClientPath;
pub use values::{Email, PersonName, PersonalMessage, Username, ValueError};
