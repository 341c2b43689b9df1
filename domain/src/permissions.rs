//! What an account may be allowed to do, and the roles that bundle permissions.
//!
//! Roles are rows of a company (two built in, any number custom); an account holds one role plus
//! additional permissions. Whether an action is allowed is decided by [`crate::access::authorize`] alone.

use serde::{Deserialize, Serialize};

/// Something an account may be allowed to do.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Permission {
    /// See the accounts of the clients one may access.
    ViewAccounts,
    /// Invite and change accounts in one's own (home) client ("Manage roles and rights").
    ManageRolesAndRights,
    /// Manage sub-clients and their accounts ("Manage clients").
    ManageClients,
    /// Create, change and delete the company's custom roles.
    ManageRoles,
    /// Change per-client settings.
    ManageSettings,
    /// Read the audit log.
    ViewAuditLog,
    /// See licenses and seats.
    ViewLicenses,
    /// Copy a fresh invitation link instead of mailing it.
    CopyInvitationLinks,
}

impl Permission {
    /// Every permission, in the order the permission matrix shows them.
    pub const ALL: [Permission; 8] = [
        Self::ViewAccounts,
        Self::ManageRolesAndRights,
        Self::ManageClients,
        Self::ManageRoles,
        Self::ManageSettings,
        Self::ViewAuditLog,
        Self::ViewLicenses,
        Self::CopyInvitationLinks,
    ];

    /// The stored and wire form.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::ViewAccounts => "view_accounts",
            Self::ManageRolesAndRights => "manage_roles_and_rights",
            Self::ManageClients => "manage_clients",
            Self::ManageRoles => "manage_roles",
            Self::ManageSettings => "manage_settings",
            Self::ViewAuditLog => "view_audit_log",
            Self::ViewLicenses => "view_licenses",
            Self::CopyInvitationLinks => "copy_invitation_links",
        }
    }

    /// Reads the stored form.
    pub fn parse(text: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|p| p.as_str() == text)
    }

    fn bit(self) -> u16 {
        1 << (self as u16)
    }
}

/// A set of permissions (a role's, an account's additional ones, or the effective union).
/// On the wire a list of names; stored as space-separated names, unknown names ignored on read.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub struct PermissionSet(u16);

impl PermissionSet {
    /// No permission at all.
    pub const EMPTY: PermissionSet = PermissionSet(0);

    /// Every permission there is.
    pub fn all() -> Self {
        Permission::ALL.into_iter().collect()
    }

    /// Whether the set holds `p`.
    pub fn contains(self, p: Permission) -> bool {
        self.0 & p.bit() != 0
    }

    /// This set with `p` added.
    pub fn with(self, p: Permission) -> Self {
        Self(self.0 | p.bit())
    }

    /// Both sets together.
    pub fn union(self, other: Self) -> Self {
        Self(self.0 | other.0)
    }

    /// Whether every permission of `self` is also in `other`.
    pub fn is_subset_of(self, other: Self) -> bool {
        self.0 & !other.0 == 0
    }

    /// Whether the set is empty.
    pub fn is_empty(self) -> bool {
        self.0 == 0
    }

    /// The permissions in the set, in [`Permission::ALL`] order.
    pub fn iter(self) -> impl Iterator<Item = Permission> {
        Permission::ALL
            .into_iter()
            .filter(move |p| self.contains(*p))
    }

    /// The stored form: names separated by spaces.
    pub fn to_stored(self) -> String {
        self.iter()
            .map(Permission::as_str)
            .collect::<Vec<_>>()
            .join(" ")
    }

    /// Reads the stored form; names this version does not know are ignored (deny by default).
    pub fn from_stored(text: &str) -> Self {
        text.split_whitespace()
            .filter_map(Permission::parse)
            .collect()
    }
}

impl FromIterator<Permission> for PermissionSet {
    fn from_iter<I: IntoIterator<Item = Permission>>(iter: I) -> Self {
        iter.into_iter().fold(Self::EMPTY, Self::with)
    }
}

impl Serialize for PermissionSet {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_seq(self.iter())
    }
}

impl<'de> Deserialize<'de> for PermissionSet {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        Ok(Vec::<Permission>::deserialize(d)?.into_iter().collect())
    }
}

/// In the API a set is a list of permission names without repeats.
#[cfg(feature = "openapi")]
impl utoipa::PartialSchema for PermissionSet {
    fn schema() -> utoipa::openapi::RefOr<utoipa::openapi::schema::Schema> {
        use utoipa::ToSchema;
        utoipa::openapi::schema::ArrayBuilder::new()
            .items(utoipa::openapi::Ref::from_schema_name(Permission::name()))
            .unique_items(true)
            .into()
    }
}

#[cfg(feature = "openapi")]
impl utoipa::ToSchema for PermissionSet {
    fn schemas(
        schemas: &mut Vec<(
            String,
            utoipa::openapi::RefOr<utoipa::openapi::schema::Schema>,
        )>,
    ) {
        use utoipa::PartialSchema;
        schemas.push((Permission::name().into_owned(), Permission::schema()));
    }
}

/// The two roles every company has; they cannot be deleted.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum BuiltinRole {
    /// "Admin/Verwalter": every permission; a company always keeps at least one active admin.
    Admin,
    /// A member of staff: no administrative permission.
    User,
}

impl BuiltinRole {
    /// Both, in the order the role pickers show them.
    pub const ALL: [BuiltinRole; 2] = [Self::User, Self::Admin];

    /// The stored form.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Admin => "admin",
            Self::User => "user",
        }
    }

    /// Reads the stored form.
    pub fn parse(text: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|r| r.as_str() == text)
    }

    /// What the role permits; the admin's set grows with every permission added later.
    pub fn permissions(self) -> PermissionSet {
        match self {
            Self::Admin => PermissionSet::all(),
            Self::User => PermissionSet::EMPTY,
        }
    }
}

/// A role name: trimmed, NFC, 1–60 characters, no control characters.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(transparent)]
pub struct RoleName(String);

impl RoleName {
    /// Longest role name.
    pub const MAX: usize = 60;

    /// Parses what an admin typed.
    pub fn parse(text: &str) -> Result<Self, crate::values::ValueError> {
        crate::values::display_text(text, Self::MAX).map(Self)
    }

    /// The name.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn builtin_roles() {
        assert!(BuiltinRole::Admin
            .permissions()
            .contains(Permission::ManageClients));
        assert!(BuiltinRole::User.permissions().is_empty());
        assert_eq!(BuiltinRole::parse("admin"), Some(BuiltinRole::Admin));
        assert_eq!(BuiltinRole::parse("root"), None);
    }

    #[test]
    fn stored_form_ignores_unknown_names() {
        let set = PermissionSet::from_stored("view_accounts  launch_missiles manage_roles");
        assert_eq!(
            set.iter().collect::<Vec<_>>(),
            vec![Permission::ViewAccounts, Permission::ManageRoles]
        );
        assert_eq!(set.to_stored(), "view_accounts manage_roles");
        assert_eq!(
            serde_json::to_value(set).unwrap(),
            serde_json::json!(["view_accounts", "manage_roles"])
        );
    }

    #[test]
    fn role_names() {
        assert_eq!(
            RoleName::parse("  Team lead ").unwrap().as_str(),
            "Team lead"
        );
        assert!(RoleName::parse(" ").is_err());
        assert!(RoleName::parse(&"x".repeat(61)).is_err());
    }

    proptest! {
        #[test]
        fn set_algebra(a in any::<u16>(), b in any::<u16>()) {
            let a: PermissionSet = Permission::ALL.into_iter().filter(|p| a & (1 << *p as u16) != 0).collect();
            let b: PermissionSet = Permission::ALL.into_iter().filter(|p| b & (1 << *p as u16) != 0).collect();
            prop_assert!(a.is_subset_of(a.union(b)));
            prop_assert_eq!(PermissionSet::from_stored(&a.to_stored()), a);
            prop_assert_eq!(a.is_subset_of(b), a.iter().all(|p| b.contains(p)));
        }
    }
}
