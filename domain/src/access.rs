//! Authorisation: one pure function decides every action, on the server and in the app alike.
//!
//! The worker turns a session into a [`Principal`] before any handler runs and calls [`authorize`] on
//! every route; a handler gets the [`Scope`] it returns, and the store's tenant queries take a
//! `Scope`, which nothing outside this module can make. Deny by default: anything not allowed here is
//! refused with the reason.

use serde::{Deserialize, Serialize};

use crate::ids::{AccountId, ClientKey};
use crate::permissions::{Permission, PermissionSet};
use crate::tree::ClientPath;

/// Which clients an account may act in.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(tag = "kind", content = "clients", rename_all = "snake_case")]
pub enum ClientAccess {
    /// The home client and every client below it (the default).
    All,
    /// Exactly these clients (each one alone, not its sub-clients).
    Only(Vec<ClientKey>),
}

impl ClientAccess {
    /// Whether an account whose own client is `home` reaches the client at `path` with this
    /// access (the company check is the caller's: see [`Principal::can_access`]).
    pub fn reaches(&self, home: &ClientPath, path: &ClientPath) -> bool {
        match self {
            ClientAccess::All => path.is_within(home),
            ClientAccess::Only(keys) => keys.contains(&path.client()),
        }
    }
}

/// Who is asking: extracted once per request from the session, before any handler runs.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Principal {
    /// The signed-in account.
    pub account: AccountId,
    /// The client the account belongs to, from its company down.
    pub home: ClientPath,
    /// The client the person is working in now (switchable among the accessible ones).
    pub active: ClientPath,
    /// The role's permissions and the account's additional ones together.
    pub permissions: PermissionSet,
    /// The clients the account may act in.
    pub access: ClientAccess,
}

impl Principal {
    /// The account's company (its tree's top client).
    pub fn company(&self) -> ClientKey {
        self.home.company_key()
    }

    /// Whether the account may act in the client at `path` at all (whatever the permission).
    pub fn can_access(&self, path: &ClientPath) -> bool {
        path.company_key() == self.company() && self.access.reaches(&self.home, path)
    }

    /// Whether the account holds `p` (wherever it may use it).
    pub fn holds(&self, p: Permission) -> bool {
        self.permissions.contains(p)
    }
}

/// A link's token is its own authorisation: a usable invitation (pending and unexpired at `now`)
/// grants access to its client's data needed to accept it (names, settings), and nothing else.
pub fn authorize_link(
    invitation: &crate::invitation::Invitation,
    client: &ClientPath,
    now: crate::time::Timestamp,
) -> Result<Scope, crate::invitation::InvitationError> {
    invitation.check_usable(now)?;
    Ok(Scope {
        company: client.company_key(),
        client: Some(client.client()),
        permission: None,
    })
}

/// The scope a secret grants instead of a principal: a password-reset link whose token was
/// checked (its account's client, for names and rules), or the operator's secret (one deleted
/// account's client, to recover it). Callers check the secret first.
pub fn secret_scope(client: &ClientPath) -> Scope {
    Scope {
        company: client.company_key(),
        client: Some(client.client()),
        permission: None,
    }
}

/// Where a person lands after sign-in: the default client if it is still accessible, else the
/// home client if accessible, else the first client of an explicit list. `None`: no client at all
/// (an empty list), so the person cannot work anywhere.
pub fn landing_client(
    home: &ClientPath,
    access: &ClientAccess,
    default: Option<&ClientPath>,
    first_listed: Option<&ClientPath>,
) -> Option<ClientPath> {
    let probe = Principal {
        account: AccountId::from_random_bytes([0; 16]),
        home: home.clone(),
        active: home.clone(),
        permissions: PermissionSet::EMPTY,
        access: access.clone(),
    };
    [default, Some(home), first_listed]
        .into_iter()
        .flatten()
        .find(|p| probe.can_access(p))
        .cloned()
}

/// What an action is done to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Target<'a> {
    /// A client, or an account, invitation or setting inside it (by the client's path).
    Client(&'a ClientPath),
    /// Something that belongs to the whole company (its roles).
    Company(ClientKey),
}

/// Why an action is refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(tag = "reason", content = "permission", rename_all = "snake_case")]
pub enum Denied {
    /// The account lacks this permission.
    MissingPermission(Permission),
    /// The target client is outside the clients the account may access.
    OutsideAccess,
    /// The target belongs to another company (answered as 404: it does not exist for the caller).
    OtherCompany,
    /// The change would leave the company without an active admin.
    LastAdmin,
    /// The change would grant a permission or client access the granter does not hold.
    ExceedsOwnRights,
}

/// Proof that an action on one client (or the company) was authorised; store calls on tenant data
/// take one. Only [`authorize`] makes them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Scope {
    company: ClientKey,
    client: Option<ClientKey>,
    permission: Option<Permission>,
}

impl Scope {
    /// The company the action stays in.
    pub fn company(&self) -> ClientKey {
        self.company
    }

    /// The authorised client; for company-wide targets, the company itself.
    pub fn client(&self) -> ClientKey {
        self.client.unwrap_or(self.company)
    }

    /// The permission that was checked (`None` for [`member_scope`]).
    pub fn permission(&self) -> Option<Permission> {
        self.permission
    }
}

/// What every signed-in member may read of the own company without any permission: the clients it
/// may access (to switch between them) and its own account. Handlers filter by
/// [`Principal::can_access`].
pub fn member_scope(principal: &Principal) -> Scope {
    Scope {
        company: principal.company(),
        client: Some(principal.active.client()),
        permission: None,
    }
}

/// The permission an action on `target` really needs: managing accounts in one's own client is
/// *Manage roles and rights*; in any other client it is *Manage clients*.
pub fn needed(principal: &Principal, permission: Permission, target: Target<'_>) -> Permission {
    match (permission, target) {
        (Permission::ManageRolesAndRights, Target::Client(path))
            if path.client() != principal.home.client() =>
        {
            Permission::ManageClients
        }
        _ => permission,
    }
}

/// Decides whether `principal` may use `permission` on `target`. Order of refusals: another
/// company, then a client outside the account's access, then the missing permission.
pub fn authorize(
    principal: &Principal,
    permission: Permission,
    target: Target<'_>,
) -> Result<Scope, Denied> {
    let (company, client) = match target {
        Target::Client(path) => (path.company_key(), Some(path.client())),
        Target::Company(company) => (company, None),
    };
    if company != principal.company() {
        return Err(Denied::OtherCompany);
    }
    if let Target::Client(path) = target {
        if !principal.can_access(path) {
            return Err(Denied::OutsideAccess);
        }
    }
    let need = needed(principal, permission, target);
    if !principal.holds(need) {
        return Err(Denied::MissingPermission(need));
    }
    Ok(Scope {
        company,
        client,
        permission: Some(need),
    })
}

/// Client access as granted to someone, with the path of every listed client (read by the worker).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum GrantedAccess<'a> {
    /// Everything below the grantee's home client.
    All {
        /// The grantee's home client.
        home: &'a ClientPath,
    },
    /// These clients.
    Only(&'a [ClientPath]),
}

/// Nobody grants more than they hold: every permission of `permissions` must be the granter's, and
/// every client of `access` must be one the granter may access.
pub fn check_grant(
    granter: &Principal,
    permissions: PermissionSet,
    access: &GrantedAccess<'_>,
) -> Result<(), Denied> {
    if !permissions.is_subset_of(granter.permissions) {
        return Err(Denied::ExceedsOwnRights);
    }
    let within = match access {
        // everything below the grantee's home: the granter must see that whole subtree
        GrantedAccess::All { home } => {
            matches!(granter.access, ClientAccess::All) && home.is_within(&granter.home)
        }
        GrantedAccess::Only(paths) => paths.iter().all(|p| granter.can_access(p)),
    };
    if within {
        Ok(())
    } else {
        Err(Denied::ExceedsOwnRights)
    }
}

/// A company always keeps at least one active admin: a change that takes the admin role (or the
/// ability to sign in) from `subject_is_active_admin` is refused when no other active admin remains.
pub fn check_keeps_an_admin(
    subject_is_active_admin: bool,
    still_admin_after: bool,
    other_active_admins: u64,
) -> Result<(), Denied> {
    if subject_is_active_admin && !still_admin_after && other_active_admins == 0 {
        Err(Denied::LastAdmin)
    } else {
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn key(n: u8) -> ClientKey {
        ClientKey::from_random_bytes([n; 16])
    }

    /// A random tree: node i > 0 has a parent among 0..i; two companies (roots 0 and 1).
    fn tree(parents: &[usize]) -> Vec<ClientPath> {
        let mut paths = vec![ClientPath::company(key(0)), ClientPath::company(key(1))];
        for (i, p) in parents.iter().enumerate() {
            let parent = paths[p % paths.len()].clone();
            let path = parent
                .child(key(2 + i as u8))
                .unwrap_or_else(|_| parent.clone());
            paths.push(path);
        }
        paths
    }

    fn principal(home: &ClientPath, perms: PermissionSet, access: ClientAccess) -> Principal {
        Principal {
            account: AccountId::from_random_bytes([200; 16]),
            home: home.clone(),
            active: home.clone(),
            permissions: perms,
            access,
        }
    }

    fn perms(bits: u16) -> PermissionSet {
        Permission::ALL
            .into_iter()
            .filter(|p| bits & (1 << *p as u16) != 0)
            .collect()
    }

    #[test]
    fn reasons_in_order() {
        let acme = ClientPath::company(key(0));
        let sales = acme.child(key(2)).unwrap();
        let globex = ClientPath::company(key(1));
        let admin = principal(&acme, PermissionSet::all(), ClientAccess::All);
        assert!(authorize(&admin, Permission::ManageClients, Target::Client(&sales)).is_ok());
        assert_eq!(
            authorize(&admin, Permission::ViewAccounts, Target::Client(&globex)),
            Err(Denied::OtherCompany)
        );
        let clerk = principal(
            &sales,
            PermissionSet::EMPTY.with(Permission::ManageRolesAndRights),
            ClientAccess::All,
        );
        assert_eq!(
            authorize(&clerk, Permission::ViewAccounts, Target::Client(&acme)),
            Err(Denied::OutsideAccess)
        );
        assert!(authorize(
            &clerk,
            Permission::ManageRolesAndRights,
            Target::Client(&sales)
        )
        .is_ok());
        let north = sales.child(key(3)).unwrap();
        // another client's accounts need "Manage clients"
        assert_eq!(
            authorize(
                &clerk,
                Permission::ManageRolesAndRights,
                Target::Client(&north)
            ),
            Err(Denied::MissingPermission(Permission::ManageClients))
        );
        assert_eq!(
            authorize(&clerk, Permission::ManageRoles, Target::Company(key(0))),
            Err(Denied::MissingPermission(Permission::ManageRoles))
        );
    }

    #[test]
    fn an_explicit_list_is_exactly_its_clients() {
        let acme = ClientPath::company(key(0));
        let sales = acme.child(key(2)).unwrap();
        let north = sales.child(key(3)).unwrap();
        let p = principal(
            &acme,
            PermissionSet::all(),
            ClientAccess::Only(vec![key(2)]),
        );
        assert!(p.can_access(&sales));
        assert!(!p.can_access(&north));
        assert!(!p.can_access(&acme));
    }

    #[test]
    fn landing() {
        let acme = ClientPath::company(key(0));
        let sales = acme.child(key(2)).unwrap();
        let hr = acme.child(key(3)).unwrap();
        assert_eq!(
            landing_client(&acme, &ClientAccess::All, Some(&sales), None),
            Some(sales.clone())
        );
        assert_eq!(
            landing_client(&sales, &ClientAccess::All, Some(&hr), None),
            Some(sales.clone())
        );
        let only = ClientAccess::Only(vec![key(3)]);
        assert_eq!(
            landing_client(&acme, &only, None, Some(&hr)),
            Some(hr.clone())
        );
        assert_eq!(
            landing_client(&acme, &ClientAccess::Only(vec![]), None, None),
            None
        );
    }

    #[test]
    fn last_admin() {
        assert_eq!(check_keeps_an_admin(true, false, 0), Err(Denied::LastAdmin));
        assert!(check_keeps_an_admin(true, false, 1).is_ok());
        assert!(check_keeps_an_admin(true, true, 0).is_ok());
        assert!(check_keeps_an_admin(false, false, 0).is_ok());
    }

    proptest! {
        /// Whatever the tree, role and access: an allowed action is inside the actor's company and
        /// accessible clients, and the actor holds the permission it needed.
        #[test]
        fn never_outside_the_accessible_subtree(
            parents in proptest::collection::vec(0usize..40, 0..30),
            home in 0usize..32, target in 0usize..32, bits in any::<u16>(),
            only in proptest::collection::vec(0usize..32, 0..5), use_list in any::<bool>(),
            perm in 0usize..8,
        ) {
            let paths = tree(&parents);
            let home = &paths[home % paths.len()];
            let target = &paths[target % paths.len()];
            let access = if use_list {
                ClientAccess::Only(only.iter().map(|i| paths[i % paths.len()].client()).collect())
            } else { ClientAccess::All };
            let p = principal(home, perms(bits), access.clone());
            let permission = Permission::ALL[perm];
            if let Ok(scope) = authorize(&p, permission, Target::Client(target)) {
                prop_assert_eq!(target.company_key(), home.company_key());
                prop_assert_eq!(scope.company(), home.company_key());
                prop_assert_eq!(scope.client(), target.client());
                match &access {
                    ClientAccess::All => prop_assert!(target.is_within(home)),
                    ClientAccess::Only(keys) => prop_assert!(keys.contains(&target.client())),
                }
                prop_assert!(p.holds(scope.permission().unwrap()));
            }
            if target.company_key() != home.company_key() {
                prop_assert_eq!(authorize(&p, permission, Target::Client(target)), Err(Denied::OtherCompany));
                prop_assert_eq!(authorize(&p, permission, Target::Company(target.company_key())), Err(Denied::OtherCompany));
            }
        }

        /// Granting never exceeds the granter: whatever check_grant allows is a subset of the
        /// granter's permissions, and every granted client is one the granter may access.
        #[test]
        fn granting_never_exceeds_the_granter(
            parents in proptest::collection::vec(0usize..40, 0..30),
            home in 0usize..32, grantee_home in 0usize..32, bits in any::<u16>(), granted in any::<u16>(),
            only in proptest::collection::vec(0usize..32, 0..5), granter_list in any::<bool>(), grant_all in any::<bool>(),
        ) {
            let paths = tree(&parents);
            let home = &paths[home % paths.len()];
            let grantee_home = &paths[grantee_home % paths.len()];
            let listed: Vec<ClientPath> = only.iter().map(|i| paths[i % paths.len()].clone()).collect();
            let access = if granter_list { ClientAccess::Only(listed.iter().take(2).map(ClientPath::client).collect()) } else { ClientAccess::All };
            let p = principal(home, perms(bits), access);
            let granted = perms(granted);
            let grant = if grant_all { GrantedAccess::All { home: grantee_home } } else { GrantedAccess::Only(&listed) };
            if check_grant(&p, granted, &grant).is_ok() {
                prop_assert!(granted.iter().all(|g| p.holds(g)));
                match grant {
                    GrantedAccess::All { home: h } => {
                        // every client below the grantee's home is one the granter may access
                        for c in paths.iter().filter(|c| c.is_within(h)) { prop_assert!(p.can_access(c)); }
                    }
                    GrantedAccess::Only(list) => for c in list { prop_assert!(p.can_access(c)); },
                }
            }
        }

        /// The last active admin can never be removed or demoted.
        #[test]
        fn the_last_admin_stays(admins in 0u64..3, is_admin in any::<bool>(), stays in any::<bool>()) {
            let result = check_keeps_an_admin(is_admin, stays, admins);
            let admins_after = admins + u64::from(is_admin && stays);
            let had_any = admins + u64::from(is_admin) > 0;
            if had_any { prop_assert!(result.is_err() || admins_after > 0); }
        }
    }
}
