//! Invitations: created with their account and mail in one batch, looked up by token digest, and
//! accepted by one conditional batch so that exactly one of two racing requests wins.

use domain::i18n::Lang;
use domain::ids::{AccountId, InvitationId};
use domain::invitation::{Invitation, InvitationState};
use domain::values::{Email, PersonName};
use domain::{ClientPath, Scope, Timestamp, TokenDigest};
use serde::Deserialize;
use worker::Result;

use super::Stmt;

use super::audit::AuditEvent;
use super::{int, opt_text, returned_rows, text, Store};

/// An invitation with everything the accept page and the accept step need.
pub struct InvitationRecord {
    /// The lifecycle state.
    pub invitation: Invitation,
    /// The invited account's names, as the admin typed them.
    pub first_name: String,
    /// Surname.
    pub surname: String,
    /// E-mail address.
    pub email: String,
    /// Username.
    pub username: String,
    /// Client ID typed at sign-in.
    pub client_id: String,
    /// Where the client sits.
    pub client_path: ClientPath,
    /// Client's display name.
    pub client_name: String,
    /// Inviting admin's full name.
    pub invited_by: String,
    /// Personal message.
    pub message: Option<String>,
    /// Language.
    pub language: Lang,
}

#[derive(Deserialize)]
struct Row {
    id: String,
    account_id: String,
    token_digest: String,
    state: String,
    created_at: i64,
    expires_at: i64,
    ended_at: Option<i64>,
    message: Option<String>,
    language: String,
    first_name: String,
    surname: String,
    email: String,
    username: String,
    client_id: String,
    client_path: String,
    client_name: String,
    inviter_first_name: Option<String>,
    inviter_surname: Option<String>,
}

/// A new invitation's stored data.
pub struct NewInvitation<'a> {
    /// The issued invitation (pending).
    pub invitation: &'a Invitation,
    /// Invited address.
    pub email: &'a Email,
    /// The inviting admin.
    pub invited_by: AccountId,
    /// Personal message.
    pub message: Option<&'a str>,
    /// Language.
    pub language: Lang,
}

/// A new invitation's columns as `?1`–`?10`, in the order of the invitations insert.
fn invitation_binds(scope: &Scope, n: &NewInvitation<'_>) -> Vec<wasm_bindgen::JsValue> {
    let inv = n.invitation;
    vec![
        text(&inv.id.to_string()),
        text(&inv.account_id.to_string()),
        text(&scope.client().to_string()),
        text(n.email.as_str()),
        text(inv.token_digest.as_str()),
        text(&n.invited_by.to_string()),
        opt_text(n.message),
        text(n.language.code()),
        int(inv.created_at.0),
        int(inv.expires_at.0),
    ]
}

/// The person as they accepted: their (maybe corrected) names, and what the list sorts and
/// searches them by.
pub struct AcceptedPerson<'a> {
    /// First name.
    pub first_name: &'a PersonName,
    /// Surname.
    pub surname: &'a PersonName,
    /// `domain::search::sort_name` of the names.
    pub sort_name: &'a str,
    /// The search terms (`accounts::search_terms_of`).
    pub search_terms: &'a str,
}

/// What resending an account's invitation needs to know about it.
pub struct ResendBasis {
    /// Stored status.
    pub status: domain::AccountStatus,
    /// The pending invitation's expiry, if one is pending.
    pub pending_expires_at: Option<Timestamp>,
    /// Since when it is deactivated.
    pub deactivated_at: Option<Timestamp>,
    /// First name.
    pub first_name: String,
    /// Username.
    pub username: String,
    /// E-mail address.
    pub email: String,
    /// Language of its mail.
    pub language: Lang,
    /// The personal message of its latest invitation.
    pub message: Option<String>,
}

/// See [`Store::new_link_basis`].
#[derive(Deserialize)]
pub struct NewLinkBasis {
    /// The account's stored status.
    pub status: String,
    /// The inviting admin, while active.
    pub inviter_email: Option<String>,
    /// Their first name.
    pub inviter_first_name: Option<String>,
    /// Their language.
    pub inviter_language: Option<String>,
}

impl Store {
    /// An account of the scope's client as a resend sees it.
    pub async fn resend_basis(
        &self,
        scope: &Scope,
        account: AccountId,
    ) -> Result<Option<ResendBasis>> {
        #[derive(Deserialize)]
        struct Basis {
            status: String,
            invite_expires_at: Option<i64>,
            deactivated_at: Option<i64>,
            first_name: String,
            username: String,
            email: String,
            language: String,
            message: Option<String>,
        }
        let row = self
            .prepare(
                "SELECT a.status, a.invite_expires_at, a.deactivated_at, a.first_name, a.username, a.email, a.language, \
                 (SELECT i.message FROM invitations i WHERE i.account_id = a.id ORDER BY i.created_at DESC LIMIT 1) AS message \
                 FROM accounts a WHERE a.id = ?1 AND a.client_id = ?2",
            )
            .bind(&[text(&account.to_string()), text(&scope.client().to_string())])?
            .first::<Basis>(None)
            .await?;
        row.map(|r| {
            Ok(ResendBasis {
                status: domain::AccountStatus::parse(&r.status).ok_or("unknown account status")?,
                pending_expires_at: r.invite_expires_at.map(Timestamp),
                deactivated_at: r.deactivated_at.map(Timestamp),
                first_name: r.first_name,
                username: r.username,
                email: r.email,
                language: Lang::from_tag(&r.language).unwrap_or_default(),
                message: r.message,
            })
        })
        .transpose()
    }

    /// The statements that replace an account's pending invitation by a new one, as a
    /// compare-and-swap on the state the resend was decided on: nothing is written unless the
    /// account is still invited with the same pending link (or, `None`, still without one).
    /// The new invitation's insert is the batch's second result: one row when the swap happened.
    pub fn resend_statements(
        &self,
        scope: &Scope,
        n: &NewInvitation<'_>,
        seen_expiry: Option<Timestamp>,
        now: Timestamp,
    ) -> Result<Vec<Stmt>> {
        let inv = n.invitation;
        let account = inv.account_id.to_string();
        // -1 stands for "no pending link" (no expiry is negative)
        let seen = int(seen_expiry.map_or(-1, |t| t.0));
        let still = "EXISTS (SELECT 1 FROM accounts WHERE id = ?2 AND status = 'invited' AND coalesce(invite_expires_at, -1) = ?3)";
        Ok(vec![
            self.prepare(&format!(
                "UPDATE invitations SET state = 'replaced', ended_at = ?1 WHERE account_id = ?2 AND state = 'pending' AND {still}"
            ))
            .bind(&[int(now.0), text(&account), seen.clone()])?,
            // after the update above the account has no pending link: that is the state to find
            self.prepare(
                "INSERT INTO invitations (id, account_id, client_id, email, token_digest, state, invited_by, message, language, created_at, expires_at) \
                 SELECT ?1, ?2, ?3, ?4, ?5, 'pending', ?6, ?7, ?8, ?9, ?10 \
                 WHERE EXISTS (SELECT 1 FROM accounts WHERE id = ?2 AND status = 'invited' AND invite_expires_at IS NULL) \
                 AND (?11 = 1 OR EXISTS (SELECT 1 FROM invitations WHERE account_id = ?2 AND state = 'replaced' AND ended_at = ?9)) \
                 RETURNING id",
            )
            .bind(&{
                let mut binds = invitation_binds(scope, n);
                binds.push(int(i64::from(seen_expiry.is_none())));
                binds
            })?,
        ])
    }

    /// The statement that cancels an account's pending invitation, only while the account is still
    /// invited with the link the decision was made on (`RETURNING` one row when it happened).
    pub fn cancel_statement(
        &self,
        account: AccountId,
        seen_expiry: Timestamp,
        now: Timestamp,
    ) -> Result<Stmt> {
        self.prepare(
            "UPDATE invitations SET state = 'cancelled', ended_at = ?1 WHERE account_id = ?2 AND state = 'pending' \
             AND EXISTS (SELECT 1 FROM accounts WHERE id = ?2 AND status = 'invited' AND invite_expires_at = ?3) RETURNING id",
        )
        .bind(&[int(now.0), text(&account.to_string()), int(seen_expiry.0)])
    }

    /// The statement that stores a new invitation (pending; only its token's digest).
    pub fn insert_invitation(&self, scope: &Scope, n: &NewInvitation<'_>) -> Result<Stmt> {
        self.prepare(
            "INSERT INTO invitations (id, account_id, client_id, email, token_digest, state, invited_by, message, language, created_at, expires_at) \
             VALUES (?1, ?2, ?3, ?4, ?5, 'pending', ?6, ?7, ?8, ?9, ?10)",
        )
        .bind(&invitation_binds(scope, n))
    }

    /// Whom a dead invitation link's "ask for a new link" tells: the account's status and the
    /// inviting admin's address, first name and language while that admin is an active account,
    /// else the company's longest-standing active admin (the inviter was deactivated or deleted).
    pub async fn new_link_basis(&self, digest: &TokenDigest) -> Result<Option<NewLinkBasis>> {
        self.prepare(
            "SELECT a.status, b.email AS inviter_email, b.first_name AS inviter_first_name, b.language AS inviter_language \
             FROM invitations i JOIN accounts a ON a.id = i.account_id \
             LEFT JOIN accounts b ON b.id = COALESCE( \
               (SELECT x.id FROM accounts x WHERE x.id = i.invited_by AND x.status = 'accepted'), \
               (SELECT o.id FROM roles r JOIN accounts o ON o.company_id = r.company_id AND o.role_id = r.id AND o.status = 'accepted' \
                WHERE r.company_id = a.company_id AND r.builtin = 'admin' ORDER BY o.created_at, o.id LIMIT 1)) \
             WHERE i.token_digest = ?1",
        )
        .bind(&[text(digest.as_str())])?
        .first::<NewLinkBasis>(None)
        .await
    }

    /// The invitation a link's token digest names.
    pub async fn invitation_by_digest(
        &self,
        digest: &TokenDigest,
    ) -> Result<Option<InvitationRecord>> {
        let row = self
            .prepare(
                "SELECT i.id, i.account_id, i.token_digest, i.state, i.created_at, i.expires_at, i.ended_at, i.message, i.language, \
                 a.first_name, a.surname, a.email, a.username, c.client_id, c.path AS client_path, c.name AS client_name, \
                 b.first_name AS inviter_first_name, b.surname AS inviter_surname \
                 FROM invitations i JOIN accounts a ON a.id = i.account_id JOIN clients c ON c.id = i.client_id \
                 LEFT JOIN accounts b ON b.id = i.invited_by \
                 WHERE i.token_digest = ?1",
            )
            .bind(&[text(digest.as_str())])?
            .first::<Row>(None)
            .await?;
        let Some(r) = row else { return Ok(None) };
        let stored = TokenDigest::from_stored(r.token_digest);
        // the index found it by equality; confirm in constant time all the same
        if !stored.matches(digest) {
            return Ok(None);
        }
        let invitation = Invitation {
            id: InvitationId::parse(&r.id).ok_or("bad invitation id")?,
            account_id: AccountId::parse(&r.account_id).ok_or("bad account id")?,
            token_digest: stored,
            created_at: Timestamp(r.created_at),
            expires_at: Timestamp(r.expires_at),
            state: InvitationState::from_stored(&r.state, r.ended_at.map(Timestamp))
                .ok_or("unknown invitation state")?,
        };
        Ok(Some(InvitationRecord {
            invitation,
            first_name: r.first_name,
            surname: r.surname,
            email: r.email,
            username: r.username,
            client_id: r.client_id,
            client_path: ClientPath::from_stored(&r.client_path).ok_or("bad client path")?,
            client_name: r.client_name,
            invited_by: match (r.inviter_first_name, r.inviter_surname) {
                (Some(first), Some(last)) => domain::values::full_name(&first, &last),
                _ => String::new(),
            },
            message: r.message,
            language: Lang::from_tag(&r.language).unwrap_or_default(),
        }))
    }

    /// Accepts an invitation: sets names and password, marks it accepted and records the event, as
    /// one transaction whose every statement re-checks the state it depends on: the link still
    /// pending and unexpired at `now`, and this very password hash (unique by its salt) stored on
    /// the account. Returns whether this call won; a concurrent or repeated accept changes nothing.
    pub async fn accept_invitation(
        &self,
        invitation: &Invitation,
        person: &AcceptedPerson<'_>,
        password_hash: &str,
        audit: &AuditEvent<'_>,
        now: Timestamp,
    ) -> Result<bool> {
        let inv_id = invitation.id.to_string();
        let account_id = invitation.account_id.to_string();
        let account = self
            .prepare(
                "UPDATE accounts SET first_name = ?1, surname = ?2, password_hash = ?3, status = 'accepted', updated_at = ?4, \
                 sort_name = ?7, search_terms = ?8 WHERE id = ?5 AND status = 'invited' \
                 AND EXISTS (SELECT 1 FROM invitations WHERE id = ?6 AND state = 'pending' AND expires_at > ?4)",
            )
            .bind(&[
                text(person.first_name.as_str()),
                text(person.surname.as_str()),
                text(password_hash),
                int(now.0),
                text(&account_id),
                text(&inv_id),
                text(person.sort_name),
                text(person.search_terms),
            ])?;
        let accepted = self
            .prepare(
                "UPDATE invitations SET state = 'accepted', ended_at = ?1 WHERE id = ?2 AND state = 'pending' AND expires_at > ?1 \
                 AND EXISTS (SELECT 1 FROM accounts WHERE id = ?3 AND status = 'accepted' AND password_hash = ?4) RETURNING id",
            )
            .bind(&[int(now.0), text(&inv_id), text(&account_id), text(password_hash)])?;
        let event = self.audit_where(
            audit,
            "EXISTS (SELECT 1 FROM accounts WHERE id = ?8 AND status = 'accepted' AND password_hash = ?9)",
            &[text(&account_id), text(password_hash)],
        )?;
        let results = self.batch(vec![account, accepted, event]).await?;
        Ok(returned_rows(&results[1])? == 1)
    }
}
