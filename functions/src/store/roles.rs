//! Roles: rows of a company; the built-in two are found by their `builtin` name.

use domain::api::RoleView;
use domain::ids::RoleId;
use domain::{BuiltinRole, PermissionSet, RoleName, Scope, Timestamp};
use serde::Deserialize;
use worker::Result;

use super::Stmt;

use super::{int, text, Store};

#[derive(Deserialize)]
struct Row {
    id: String,
    name: String,
    builtin: Option<String>,
    permissions: String,
}

/// A role's permissions as stored: built-in roles take theirs from the code, so the admin role
/// holds every permission added later without a data migration.
pub fn effective_permissions(builtin: Option<BuiltinRole>, stored: &str) -> PermissionSet {
    match builtin {
        Some(b) => b.permissions(),
        None => PermissionSet::from_stored(stored),
    }
}

impl Row {
    fn into_view(self) -> Result<RoleView> {
        let builtin = self.builtin.as_deref().and_then(BuiltinRole::parse);
        Ok(RoleView {
            id: RoleId::parse(&self.id).ok_or("bad role id")?,
            permissions: effective_permissions(builtin, &self.permissions),
            name: self.name,
            builtin,
        })
    }
}

impl Store {
    /// The scope's company's roles: built-in first, then by name.
    pub async fn roles(&self, scope: &Scope) -> Result<Vec<RoleView>> {
        self.prepare(
            "SELECT id, name, builtin, permissions FROM roles WHERE company_id = ?1 \
             ORDER BY builtin IS NULL, builtin, name COLLATE NOCASE",
        )
        .bind(&[text(&scope.company().to_string())])?
        .all()
        .await?
        .results::<Row>()?
        .into_iter()
        .map(Row::into_view)
        .collect()
    }

    /// The roles of the scope's company with these ids.
    pub async fn roles_by_id(&self, scope: &Scope, ids: &[RoleId]) -> Result<Vec<RoleView>> {
        let mut roles = Vec::with_capacity(ids.len());
        // one query per 99 ids: D1 binds at most 100 parameters
        for chunk in ids.chunks(99) {
            let placeholders: Vec<String> =
                (0..chunk.len()).map(|i| format!("?{}", i + 2)).collect();
            let mut binds = vec![text(&scope.company().to_string())];
            binds.extend(chunk.iter().map(|id| text(&id.to_string())));
            let statement = self
                .prepare(&format!(
                    "SELECT id, name, builtin, permissions FROM roles WHERE company_id = ?1 AND id IN ({})",
                    placeholders.join(", ")
                ))
                .bind(&binds)?;
            for row in self.rows::<Row>(statement).await? {
                roles.push(row.into_view()?);
            }
        }
        Ok(roles)
    }

    /// One role of the scope's company (`None` for another company's id).
    pub async fn role(&self, scope: &Scope, id: RoleId) -> Result<Option<RoleView>> {
        self.prepare(
            "SELECT id, name, builtin, permissions FROM roles WHERE id = ?1 AND company_id = ?2",
        )
        .bind(&[text(&id.to_string()), text(&scope.company().to_string())])?
        .first::<Row>(None)
        .await?
        .map(Row::into_view)
        .transpose()
    }

    /// A built-in role of the scope's company.
    pub async fn builtin_role(&self, scope: &Scope, which: BuiltinRole) -> Result<RoleView> {
        self.prepare(
            "SELECT id, name, builtin, permissions FROM roles WHERE company_id = ?1 AND builtin = ?2",
        )
        .bind(&[text(&scope.company().to_string()), text(which.as_str())])?
        .first::<Row>(None)
        .await?
        .ok_or("company without built-in role")?
        .into_view()
    }

    /// The statement that creates a custom role.
    pub fn insert_role(
        &self,
        scope: &Scope,
        id: RoleId,
        name: &RoleName,
        permissions: PermissionSet,
        now: Timestamp,
    ) -> Result<Stmt> {
        self.prepare(
            "INSERT INTO roles (id, company_id, name, builtin, permissions, created_at, updated_at) \
             VALUES (?1, ?2, ?3, NULL, ?4, ?5, ?5)",
        )
        .bind(&[
            text(&id.to_string()),
            text(&scope.company().to_string()),
            text(name.as_str()),
            text(&permissions.to_stored()),
            int(now.0),
        ])
    }

    /// The statement that renames a custom role and sets its permissions (never a built-in one).
    pub fn update_role(
        &self,
        scope: &Scope,
        id: RoleId,
        name: &RoleName,
        permissions: PermissionSet,
        now: Timestamp,
    ) -> Result<Stmt> {
        self.prepare(
            "UPDATE roles SET name = ?1, permissions = ?2, updated_at = ?3 \
             WHERE id = ?4 AND company_id = ?5 AND builtin IS NULL RETURNING id",
        )
        .bind(&[
            text(name.as_str()),
            text(&permissions.to_stored()),
            int(now.0),
            text(&id.to_string()),
            text(&scope.company().to_string()),
        ])
    }

    /// The statement that deletes a custom role nobody holds (checked when it runs, so an account
    /// given the role at the same moment keeps it and the delete changes nothing).
    pub fn delete_role(&self, scope: &Scope, id: RoleId) -> Result<Stmt> {
        self.prepare(
            "DELETE FROM roles WHERE id = ?1 AND company_id = ?2 AND builtin IS NULL \
             AND NOT EXISTS (SELECT 1 FROM accounts WHERE company_id = ?2 AND role_id = ?1) \
             AND NOT EXISTS (SELECT 1 FROM client_settings WHERE default_role_id = ?1) RETURNING id",
        )
        .bind(&[text(&id.to_string()), text(&scope.company().to_string())])
    }
}
