//! Roles and what they permit; the worker checks these on every route, the app hides what they forbid.

use serde::{Deserialize, Serialize};

/// An account's role inside its client.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    /// "Admin/Verwalter": manages the client's accounts.
    Admin,
    /// A member of staff without administrative rights.
    User,
}

/// Something an account may be allowed to do.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Permission {
    /// See the accounts of the client.
    ViewAccounts,
    /// Create (invite) and change accounts in the main client ("Manage roles and rights").
    ManageRolesAndRights,
    /// Manage sub-clients and their accounts ("Manage clients").
    ManageClients,
}

impl Role {
    /// Every role, in the order the invite form offers them.
    pub const ALL: [Role; 2] = [Role::User, Role::Admin];

    /// Deny by default: a role has exactly the permissions listed here.
    pub fn can(self, permission: Permission) -> bool {
        match self {
            Role::Admin => true,
            Role::User => match permission {
                Permission::ViewAccounts
                | Permission::ManageRolesAndRights
                | Permission::ManageClients => false,
            },
        }
    }

    /// The stored form.
    pub fn as_str(self) -> &'static str {
        match self {
            Role::Admin => "admin",
            Role::User => "user",
        }
    }

    /// Reads the stored form.
    pub fn parse(text: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|r| r.as_str() == text)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn users_may_not_administer() {
        assert!(Role::Admin.can(Permission::ManageRolesAndRights));
        assert!(!Role::User.can(Permission::ViewAccounts));
        assert!(!Role::User.can(Permission::ManageRolesAndRights));
        assert_eq!(Role::parse("admin"), Some(Role::Admin));
        assert_eq!(Role::parse("root"), None);
    }
}
