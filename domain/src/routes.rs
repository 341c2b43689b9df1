//! The route table: every path the worker answers, with its method, typed path parameters and the
//! access it requires. The worker dispatches through it (a route without a handler does not
//! compile: the handler match is exhaustive over [`RouteId`]), the isolation test walks it, and a
//! route cannot be declared without an [`Access`].

use serde::{Deserialize, Serialize};

use crate::ids::{AccountId, ClientKey, RoleId};
use crate::permissions::Permission;

/// An HTTP method the API uses.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "UPPERCASE")]
pub enum Method {
    /// Read.
    Get,
    /// Create or act.
    Post,
    /// Replace.
    Put,
    /// Change some fields.
    Patch,
    /// Remove.
    Delete,
}

impl Method {
    /// The method's name as HTTP spells it.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Get => "GET",
            Self::Post => "POST",
            Self::Put => "PUT",
            Self::Patch => "PATCH",
            Self::Delete => "DELETE",
        }
    }

    /// Reads the HTTP name (`HEAD` is answered as `GET`).
    pub fn parse(text: &str) -> Option<Self> {
        match text {
            "GET" | "HEAD" => Some(Self::Get),
            "POST" => Some(Self::Post),
            "PUT" => Some(Self::Put),
            "PATCH" => Some(Self::Patch),
            "DELETE" => Some(Self::Delete),
            _ => None,
        }
    }
}

/// Which client a permission is checked on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum On {
    /// The client named by the `{client}` parameter.
    Client,
    /// The client the `{account}` parameter's account belongs to.
    AccountsClient,
    /// The caller's company (roles); a `{role}` parameter must be one of its roles.
    Company,
}

/// What a route requires before its handler runs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Access {
    /// Anyone (sign-in, invitation links); the handler guards itself (rate limits, tokens).
    Public,
    /// Any signed-in account; the handler acts on the caller's own data only.
    SignedIn,
    /// Any signed-in account, including a session that may only set up two-factor sign-in
    /// (its client requires it and the account has none yet): who am I, and the enrolment.
    Enrolling,
    /// A signed-in account holding the permission on the target.
    Permission {
        /// The permission.
        permission: Permission,
        /// The target it is checked on.
        on: On,
    },
    /// Local mode on loopback only (dev outbox, bench); 404 in production.
    LocalDev,
    /// The deployment's operator: `Authorization: Bearer` with the `OPERATOR_SECRET` Worker
    /// secret (no secret set: every call is refused).
    Operator,
}

macro_rules! routes {
    ($(#[doc = $doc:literal] $id:ident: $method:ident $path:literal => $access:expr;)*) => {
        /// Every route of the API.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
        #[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
        pub enum RouteId { $(#[doc = $doc] $id,)* }

        /// The table, in matching order.
        pub const ROUTES: &[Route] = &[
            $(Route { id: RouteId::$id, method: Method::$method, path: $path, access: $access, summary: $doc.trim_ascii() },)*
        ];
    };
}

const fn perm(permission: Permission, on: On) -> Access {
    Access::Permission { permission, on }
}

routes! {
    /// Who is signed in.
    SessionGet: Get "/api/session" => Access::Enrolling;
    /// Sign in.
    SessionCreate: Post "/api/session" => Access::Public;
    /// Sign out (works with an expired session too).
    SessionDelete: Delete "/api/session" => Access::Public;
    /// Switch the active client.
    SessionClient: Put "/api/session/client" => Access::SignedIn;
    /// Sign in, second step: the code of the account's authenticator app (or a recovery code).
    SessionSecondFactor: Post "/api/session/second-factor" => Access::Public;
    /// A new two-factor secret for one's own account (password again).
    TwoFactorEnrol: Post "/api/session/two-factor/enrolment" => Access::Enrolling;
    /// Confirm the new secret with a code: two-factor sign-in is on; the recovery codes, once.
    TwoFactorConfirm: Post "/api/session/two-factor" => Access::Enrolling;
    /// Turn one's own two-factor sign-in off (password and code again).
    TwoFactorDisable: Post "/api/session/two-factor/disable" => Access::SignedIn;
    /// Change one's own password (current password, and code, again): every other session ends.
    PasswordChange: Post "/api/session/password" => Access::SignedIn;
    /// Change one's own e-mail address (password, and code, again): the old and new address are told.
    EmailChange: Post "/api/session/email" => Access::SignedIn;
    /// One's own live sessions.
    SessionList: Get "/api/session/sessions" => Access::SignedIn;
    /// End one of one's own sessions, or every other one.
    SessionEnd: Post "/api/session/sessions/end" => Access::SignedIn;
    /// The clients of the caller's company that the caller may access, as a tree.
    ClientsList: Get "/api/clients" => Access::SignedIn;
    /// One client with its effective invite defaults.
    ClientGet: Get "/api/clients/{client}" => perm(Permission::ViewAccounts, On::Client);
    /// Rename, move, mark as sender, (de)activate.
    ClientUpdate: Patch "/api/clients/{client}" => perm(Permission::ManageClients, On::Client);
    /// Create a sub-client below this one.
    ClientCreateChild: Post "/api/clients/{client}/children" => perm(Permission::ManageClients, On::Client);
    /// Effective settings with their sources, and the client's own overrides.
    ClientSettingsGet: Get "/api/clients/{client}/settings" => perm(Permission::ManageSettings, On::Client);
    /// Replace the client's own overrides (`null` = inherit).
    ClientSettingsPut: Put "/api/clients/{client}/settings" => perm(Permission::ManageSettings, On::Client);
    /// The client's accounts: search, filters, sorts, keyset pages both ways, counts per filter.
    ClientUsers: Get "/api/clients/{client}/users" => perm(Permission::ViewAccounts, On::Client);
    /// The username an invitation of this person would get (the client's format, names taken).
    ClientUsernameSuggestion: Get "/api/clients/{client}/username-suggestion" => perm(Permission::ManageRolesAndRights, On::Client);
    /// Invite a person into this client.
    ClientInvite: Post "/api/clients/{client}/invitations" => perm(Permission::ManageRolesAndRights, On::Client);
    /// One action (resend, cancel, deactivate, activate, delete) over up to 1,000 listed or matching accounts, with every row's result.
    ClientBulkAction: Post "/api/clients/{client}/bulk-actions" => perm(Permission::ManageRolesAndRights, On::Client);
    /// One account with its role, additional permissions and client access.
    AccountGet: Get "/api/accounts/{account}" => perm(Permission::ViewAccounts, On::AccountsClient);
    /// Change an account's role, additional permissions, client access and default client.
    AccountAccessPut: Put "/api/accounts/{account}/access" => perm(Permission::ManageRolesAndRights, On::AccountsClient);
    /// The account's live sessions.
    AccountSessions: Get "/api/accounts/{account}/sessions" => perm(Permission::ManageRolesAndRights, On::AccountsClient);
    /// End one of the account's sessions, or all of them.
    AccountSessionsEnd: Post "/api/accounts/{account}/sessions/end" => perm(Permission::ManageRolesAndRights, On::AccountsClient);
    /// Send a new invitation link to an account that has not registered (the old link dies at once, the validity restarts).
    AccountInvitationResend: Post "/api/accounts/{account}/invitation" => perm(Permission::ManageRolesAndRights, On::AccountsClient);
    /// Cancel an account's pending invitation: its link dies at once (a resend sends a new one).
    AccountInvitationCancel: Delete "/api/accounts/{account}/invitation" => perm(Permission::ManageRolesAndRights, On::AccountsClient);
    /// Edit first name, surname, e-mail and username (an accepted account's old and new address are told).
    AccountUpdate: Patch "/api/accounts/{account}" => perm(Permission::ManageRolesAndRights, On::AccountsClient);
    /// Switch a registered account off: it cannot sign in and every session ends at once.
    AccountDeactivate: Post "/api/accounts/{account}/deactivate" => perm(Permission::ManageRolesAndRights, On::AccountsClient);
    /// Switch a deactivated account on again.
    AccountActivate: Post "/api/accounts/{account}/activate" => perm(Permission::ManageRolesAndRights, On::AccountsClient);
    /// Delete an account: it leaves every list, its sessions and links end; an operator can recover it within the recovery window.
    AccountDelete: Delete "/api/accounts/{account}" => perm(Permission::ManageRolesAndRights, On::AccountsClient);
    /// Reset the account: password cleared, sessions end, a new registration e-mail goes out.
    AccountReset: Post "/api/accounts/{account}/reset" => perm(Permission::ManageRolesAndRights, On::AccountsClient);
    /// Mail the account holder a password-reset link (valid for the client's reset validity).
    AccountPasswordReset: Post "/api/accounts/{account}/password-reset" => perm(Permission::ManageRolesAndRights, On::AccountsClient);
    /// Issue a fresh invitation link and show it once for copying (no e-mail; the old link dies).
    AccountInvitationLink: Post "/api/accounts/{account}/invitation-link" => perm(Permission::CopyInvitationLinks, On::AccountsClient);
    /// E-mail the account holder a report of the account's security events of the last 30 days (sign-ins, failed sign-ins, password and account changes, with time, client and IP).
    AccountSecurityReport: Post "/api/accounts/{account}/security-report" => perm(Permission::ManageRolesAndRights, On::AccountsClient);
    /// The account's own history (audit events about it), newest first.
    AccountAudit: Get "/api/accounts/{account}/audit" => perm(Permission::ViewAuditLog, On::AccountsClient);
    /// The client's audit log: filters by actor, account, action and date; keyset pages.
    ClientAudit: Get "/api/clients/{client}/audit" => perm(Permission::ViewAuditLog, On::Client);
    /// The company's roles.
    RolesList: Get "/api/roles" => perm(Permission::ViewAccounts, On::Company);
    /// Create a custom role.
    RoleCreate: Post "/api/roles" => perm(Permission::ManageRoles, On::Company);
    /// Rename a custom role or change its permissions.
    RoleUpdate: Put "/api/roles/{role}" => perm(Permission::ManageRoles, On::Company);
    /// Delete a custom role nobody holds.
    RoleDelete: Delete "/api/roles/{role}" => perm(Permission::ManageRoles, On::Company);
    /// What an invitation link shows (the link's token in the body, never in a URL); never consumes it.
    InvitationShow: Post "/api/invitations/lookup" => Access::Public;
    /// Accept an invitation (token in the body): set the password, sign in.
    InvitationAccept: Post "/api/invitations/accept" => Access::Public;
    /// On a dead invitation link (token in the body): ask the inviting admin for a new one (told by e-mail; at most once an hour per account).
    InvitationNewLinkRequest: Post "/api/invitations/new-link-request" => Access::Public;
    /// Forgot password: mail a reset link if the account exists (the same answer either way).
    PasswordResetRequest: Post "/api/password-resets" => Access::Public;
    /// What a password-reset link shows (whose account, the rules; the token in the body); never consumes it.
    PasswordResetShow: Post "/api/password-resets/lookup" => Access::Public;
    /// Set a new password through a reset link (token in the body): exactly once; every session of the account ends.
    PasswordResetComplete: Post "/api/password-resets/complete" => Access::Public;
    /// Operator: deleted accounts still within their recovery window, newest first.
    OperatorDeletedAccounts: Get "/api/operator/deleted-accounts" => Access::Operator;
    /// Operator: recover a deleted account within its recovery window.
    OperatorRecover: Post "/api/operator/accounts/{account}/recover" => Access::Operator;
    /// This API's OpenAPI 3.1 description.
    OpenApiJson: Get "/api/openapi.json" => Access::Public;
    /// This API's reference, as a page.
    ApiReference: Get "/api/reference" => Access::Public;
    /// The dev outbox page.
    DevOutbox: Get "/dev/outbox" => Access::LocalDev;
    /// The dev outbox as JSON.
    DevOutboxJson: Get "/dev/outbox.json" => Access::LocalDev;
    /// The newest audit events as JSON.
    DevAuditJson: Get "/dev/audit.json" => Access::LocalDev;
    /// Benchmark probes.
    DevBench: Get "/dev/bench/{what}" => Access::LocalDev;
    /// SQLite's query plan of every statement this worker prepared so far.
    DevQueryPlans: Get "/dev/query-plans" => Access::LocalDev;
}

/// Where an old-style mailed link (`/accept/{token}`, `/reset/{token}`, sent before tokens moved
/// out of paths) lives now: the same page with the token after `#` (`/accept#{token}`), which the
/// browser keeps to itself. `None` for any other path.
pub fn moved_link(path: &str) -> Option<String> {
    let (page, token) = path.strip_prefix('/')?.split_once('/')?;
    let page_ok = matches!(page, "accept" | "reset");
    let token_ok = !token.is_empty()
        && token.len() <= 64
        && token
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_');
    (page_ok && token_ok).then(|| format!("/{page}#{token}"))
}

/// One declared route.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Route {
    /// Which one.
    pub id: RouteId,
    /// Its method.
    pub method: Method,
    /// Its path, with `{client}`, `{account}`, `{role}`, `{what}` parameters. Link tokens never
    /// travel in a path (logs and Referer would hold them): they come in POST bodies.
    pub path: &'static str,
    /// What it requires.
    pub access: Access,
    /// What it does, in one line (its doc comment).
    pub summary: &'static str,
}

/// The typed path parameters of a matched route.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Args {
    /// `{client}`.
    pub client: Option<ClientKey>,
    /// `{account}`.
    pub account: Option<AccountId>,
    /// `{role}`.
    pub role: Option<RoleId>,
    /// `{what}` (dev probes).
    pub what: Option<String>,
}

/// Why no route answers a request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Miss {
    /// No route has this path (or a parameter is not of its type).
    NotFound,
    /// The path exists with these methods only.
    MethodNotAllowed(Vec<Method>),
}

/// The route for a method and path, with its typed parameters.
pub fn match_route(method: Option<Method>, path: &str) -> Result<(&'static Route, Args), Miss> {
    let parts: Vec<&str> = path.trim_end_matches('/').split('/').skip(1).collect();
    let mut allowed = Vec::new();
    for route in ROUTES {
        let Some(args) = match_path(route.path, &parts) else {
            continue;
        };
        if Some(route.method) == method {
            return Ok((route, args));
        }
        allowed.push(route.method);
    }
    if allowed.is_empty() {
        Err(Miss::NotFound)
    } else {
        Err(Miss::MethodNotAllowed(allowed))
    }
}

fn match_path(pattern: &str, parts: &[&str]) -> Option<Args> {
    let pattern: Vec<&str> = pattern.split('/').skip(1).collect();
    if pattern.len() != parts.len() {
        return None;
    }
    let mut args = Args::default();
    for (p, part) in pattern.iter().zip(parts) {
        match *p {
            "{client}" => args.client = Some(ClientKey::parse(part)?),
            "{account}" => args.account = Some(AccountId::parse(part)?),
            "{role}" => args.role = Some(RoleId::parse(part)?),
            "{what}" => args.what = Some((*part).to_owned()),
            literal if literal == *part => {}
            _ => return None,
        }
    }
    Some(args)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn matches_with_typed_parameters() {
        let key = ClientKey::from_random_bytes([1; 16]);
        let (route, args) =
            match_route(Some(Method::Get), &format!("/api/clients/{key}/users")).unwrap();
        assert_eq!(route.id, RouteId::ClientUsers);
        assert_eq!(args.client, Some(key));
        assert_eq!(
            match_route(Some(Method::Get), "/api/clients/not-a-key/users"),
            Err(Miss::NotFound)
        );
        assert_eq!(
            match_route(Some(Method::Put), "/api/session"),
            Err(Miss::MethodNotAllowed(vec![
                Method::Get,
                Method::Post,
                Method::Delete
            ]))
        );
        let (route, _) = match_route(Some(Method::Post), "/api/invitations/accept").unwrap();
        assert_eq!(route.id, RouteId::InvitationAccept);
        assert_eq!(
            match_route(Some(Method::Get), "/api/invitations/abc"),
            Err(Miss::NotFound)
        );
    }

    #[test]
    fn old_links_move_their_token_behind_the_hash() {
        assert_eq!(
            moved_link("/accept/abc_-9").as_deref(),
            Some("/accept#abc_-9")
        );
        assert_eq!(moved_link("/reset/xyz").as_deref(), Some("/reset#xyz"));
        for other in [
            "/accept",
            "/accept/",
            "/users/abc",
            "/accept/a/b",
            "/reset/a%2Fb",
            "/",
        ] {
            assert_eq!(moved_link(other), None, "{other}");
        }
    }

    #[test]
    fn every_route_is_declared_once_with_parameters_its_access_can_use() {
        for (i, a) in ROUTES.iter().enumerate() {
            for b in &ROUTES[i + 1..] {
                assert!(
                    a.id != b.id && !(a.method == b.method && a.path == b.path),
                    "{a:?} twice"
                );
            }
            if let Access::Permission { on, .. } = a.access {
                let needs = match on {
                    On::Client => Some("{client}"),
                    On::AccountsClient => Some("{account}"),
                    On::Company => None,
                };
                if let Some(param) = needs {
                    assert!(a.path.contains(param), "{a:?} checks a target it lacks");
                }
            }
            assert!(a.path.starts_with("/api/") || a.access == Access::LocalDev);
            assert!(
                !a.path.contains("{token}"),
                "{a:?} takes a secret in its path"
            );
        }
    }
}
