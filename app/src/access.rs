//! What the signed-in account may do, asked of `domain::access::authorize` (the very function the
//! worker enforces), so the app shows exactly what the worker will allow.

use domain::access::{authorize, Target};
use domain::api::Me;
use domain::{ClientPath, Permission};

/// Whether `me` may use `permission` on the client at `path`.
pub fn may(me: &Me, permission: Permission, path: &ClientPath) -> bool {
    authorize(&me.principal, permission, Target::Client(path)).is_ok()
}

/// Whether `me` may use `permission` in the active client.
pub fn may_here(me: &Me, permission: Permission) -> bool {
    may(me, permission, &me.client.path)
}

/// Whether `me` may use `permission` on company-wide things (roles).
pub fn may_in_company(me: &Me, permission: Permission) -> bool {
    authorize(
        &me.principal,
        permission,
        Target::Company(me.principal.company()),
    )
    .is_ok()
}
