//! The JSON contract between the worker and the app.
//!
//! Stability: internal to Gatehouse (app and worker ship together), but written as a public API would
//! be: snake_case fields, stable error codes, no secret ever in a response, so an OpenAPI description
//! can be derived later. Requests carry plain strings: the worker parses them into validated values
//! and answers each bad field by name.

use serde::{Deserialize, Serialize};

use crate::access::{ClientAccess, Denied, Principal};
use crate::i18n::Lang;
use crate::ids::{AccountId, ClientKey, RoleId};
use crate::invitation::InvitationError;
pub use crate::list::Cursor;
use crate::list::{ListCounts, ListFilter, ListSort, Order};
use crate::password::{PasswordPolicy, PasswordRule};
use crate::permissions::{BuiltinRole, PermissionSet};
use crate::search::SearchQuery;
use crate::settings::{EffectiveSettings, SettingsOverrides};
use crate::status::{AccountStatus, Badge};
use crate::time::Timestamp;
use crate::tree::ClientPath;
use crate::values::{UsernameFormat, ValueError};

/// Request and response header carrying the D1 session bookmark (read-your-writes across replicas).
pub const BOOKMARK_HEADER: &str = "x-gatehouse-bookmark";

/// Local mode only: a request header naming a record; the SQL of every statement the request
/// prepares is kept under that name for `GET /dev/query-plans?record=<name>`.
pub const RECORD_HEADER: &str = "x-gatehouse-record";

/// Largest request body the API reads, in bytes.
pub const MAX_BODY_BYTES: usize = 16 * 1024;

/// Largest request body of a bulk action (1,000 account ids are about 40 KB of JSON).
pub const MAX_BULK_BODY_BYTES: usize = 64 * 1024;

/// Whether a `Content-Type` header names JSON: the media type before any parameters is
/// `application/json`, case-insensitively (`application/json; charset=utf-8` is,
/// `application/jsonp` and `text/json` are not).
pub fn is_json_content_type(header: &str) -> bool {
    let essence = header.split(';').next().unwrap_or_default().trim();
    essence.eq_ignore_ascii_case("application/json")
}

/// `POST /api/session`: sign in.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(default)]
pub struct LoginRequest {
    /// The client ID, e.g. `acme`.
    pub client_id: String,
    /// The username within that client.
    pub username: String,
    /// The password as typed.
    pub password: String,
}

/// `POST /api/session` (202) when the account has a second factor: the password was right, no
/// session exists yet. The code goes to `POST /api/session/second-factor` before `expires_at`;
/// the sign-in in between is held by its own short-lived cookie.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SecondFactorRequired {
    /// Always `totp`: a code from an authenticator app (or a recovery code).
    pub method: String,
    /// The first instant the password step no longer counts.
    pub expires_at: Timestamp,
}

/// `POST /api/session/second-factor`: the six-digit code, or a recovery code (`xxxxx-xxxxx`).
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(default)]
pub struct SecondFactorRequest {
    /// As typed; spaces and dashes do not matter.
    pub code: String,
}

/// The password again, before a change to one's own second factor.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(default)]
pub struct ReauthRequest {
    /// The account's password.
    pub password: String,
    /// The current code (or a recovery code), when the account has a second factor already.
    pub code: Option<String>,
}

/// `POST /api/session/password`: one's own new password, with the current one (and the code when
/// two-factor sign-in is on) again.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(default)]
pub struct PasswordChangeRequest {
    /// The current password.
    pub password: String,
    /// The current code (or a recovery code), when two-factor sign-in is on.
    pub code: Option<String>,
    /// The new password (the client's rules apply).
    pub new_password: String,
    /// The new password again.
    pub new_password_confirmation: String,
}

/// `POST /api/session/email`: one's own new e-mail address, with the password (and the code when
/// two-factor sign-in is on) again. The old and the new address are told.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(default)]
pub struct EmailChangeRequest {
    /// The current password.
    pub password: String,
    /// The current code (or a recovery code), when two-factor sign-in is on.
    pub code: Option<String>,
    /// The new address.
    pub email: String,
}

/// `POST /api/session/two-factor/enrolment`: a new secret to add to an authenticator app; it
/// takes effect once a code from it is confirmed (`POST /api/session/two-factor`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct TwoFactorEnrolment {
    /// The key to type into the app, in groups of four.
    pub key: String,
    /// The `otpauth://` address the QR code holds.
    pub otpauth_uri: String,
    /// The QR code as an SVG document (drawn by the worker; no outside service sees the key).
    pub qr_svg: String,
}

/// `POST /api/session/two-factor`: the answer once the code confirmed the new secret.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct TwoFactorEnabled {
    /// Ten single-use recovery codes, shown this once (only their digests are kept).
    pub recovery_codes: Vec<String>,
}

/// One sign-in session of an account as its lists show it (never its token).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SessionView {
    /// The session's public id.
    pub id: crate::ids::SessionId,
    /// Browser and system, from the user agent ("Chrome on Linux"; empty when unknown).
    pub device: String,
    /// Where it signed in from.
    pub ip: Option<String>,
    /// When it began.
    pub created_at: Timestamp,
    /// Its last request (to the minute).
    pub last_seen_at: Timestamp,
    /// When it ends at the latest (its absolute lifetime).
    pub expires_at: Timestamp,
    /// The session this request came with.
    pub current: bool,
}

/// `GET /api/session/sessions`, `GET /api/accounts/{account}/sessions`: the live sessions,
/// newest use first.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SessionList {
    /// Every live session of the account.
    pub sessions: Vec<SessionView>,
    /// Minutes without a request after which a session started now ends (the account's
    /// client's setting).
    #[serde(default)]
    pub idle_minutes: u32,
    /// Hours after which a session started now ends at the latest (the client's setting).
    #[serde(default)]
    pub max_hours: u32,
}

/// `POST /api/session/sessions/end` and `POST /api/accounts/{account}/sessions/end`: one session
/// (`session`), or every other one (`others`: on one's own account every session but this one; on
/// another account every session).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(default)]
pub struct EndSessionsRequest {
    /// This session.
    pub session: Option<crate::ids::SessionId>,
    /// Every other session.
    pub others: bool,
}

/// How many sessions a request ended.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct EndedSessions {
    /// Sessions ended.
    pub ended: u32,
}

/// The signed-in account and its client (`GET /api/session`, and the answer to sign-in and accept).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Me {
    /// Account id.
    pub id: AccountId,
    /// First name.
    pub first_name: String,
    /// Surname.
    pub surname: String,
    /// Username.
    pub username: String,
    /// E-mail address.
    pub email: String,
    /// Role.
    pub role: RoleSummary,
    /// Preferred language.
    pub language: Lang,
    /// The client the account belongs to (the one typed at sign-in).
    pub home_client: ClientInfo,
    /// The client the person is working in now.
    pub client: ClientInfo,
    /// What the account may do where: the app asks `access::authorize` with it what to show.
    pub principal: Principal,
    /// Whether sign-in asks for a code from an authenticator app.
    #[serde(default)]
    pub two_factor: bool,
    /// The client requires two-factor sign-in and this account has none yet: this session
    /// reaches only setting it up (and signing out) until the first code confirms it.
    #[serde(default)]
    pub must_enrol_two_factor: bool,
}

impl Me {
    /// The account's name as shown ("first surname").
    pub fn full_name(&self) -> String {
        crate::values::full_name(&self.first_name, &self.surname)
    }
}

/// A client as the signed-in account sees it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ClientInfo {
    /// Internal key (used in API paths).
    pub key: ClientKey,
    /// The client ID typed at sign-in.
    pub client_id: String,
    /// Display name, e.g. "Acme GmbH".
    pub name: String,
    /// From the company down to this client.
    pub path: ClientPath,
    /// Whether accounts can be created in it.
    pub is_sender: bool,
}

/// A role as lists show it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RoleSummary {
    /// Role id.
    pub id: RoleId,
    /// Name ("Admin/Verwalter", "Team lead").
    pub name: String,
    /// Which built-in role it is, if it is one.
    pub builtin: Option<BuiltinRole>,
}

/// A role with its permissions (`GET /api/roles`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RoleView {
    /// Role id.
    pub id: RoleId,
    /// Name.
    pub name: String,
    /// Which built-in role it is, if it is one (built-in roles cannot be changed or deleted).
    pub builtin: Option<BuiltinRole>,
    /// What it permits.
    pub permissions: PermissionSet,
}

/// `GET /api/roles`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RoleList {
    /// Built-in roles first, then custom ones by name.
    pub roles: Vec<RoleView>,
}

/// `POST /api/roles`, `PUT /api/roles/{role}`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(default)]
pub struct RoleRequest {
    /// Name, unique in the company.
    pub name: String,
    /// What it permits (at most what the caller holds).
    pub permissions: PermissionSet,
}

/// One client in the tree (`GET /api/clients`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ClientNode {
    /// Internal key.
    pub key: ClientKey,
    /// Client ID typed at sign-in.
    pub client_id: String,
    /// Display name.
    pub name: String,
    /// From the company down to this client.
    pub path: ClientPath,
    /// Only sender clients hold accounts.
    pub is_sender: bool,
    /// A deactivated client's accounts (and those below it) cannot sign in.
    pub active: bool,
}

/// `GET /api/clients`: the accessible clients, depth first, siblings by name.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ClientTree {
    /// The clients.
    pub clients: Vec<ClientNode>,
}

/// `GET /api/clients/{client}`: one client and what inviting into it proposes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ClientDetail {
    /// The client.
    pub client: ClientNode,
    /// The effective username format.
    pub username_format: UsernameFormat,
    /// The role new accounts get by default.
    pub default_role: RoleId,
}

/// `POST /api/clients/{parent}/children`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(default)]
pub struct CreateClientRequest {
    /// Display name.
    pub name: String,
    /// Client ID, unique across Gatehouse.
    pub client_id: String,
    /// Whether it holds accounts.
    pub is_sender: bool,
}

/// `PATCH /api/clients/{client}`: only the fields present change.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(default)]
pub struct UpdateClientRequest {
    /// New name.
    pub name: Option<String>,
    /// New parent (never inside the client's own subtree).
    pub parent: Option<ClientKey>,
    /// Whether it holds accounts.
    pub is_sender: Option<bool>,
    /// Whether its accounts may sign in.
    pub active: Option<bool>,
}

/// `GET /api/clients/{client}/settings`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SettingsView {
    /// Every setting in force and where it comes from.
    pub effective: EffectiveSettings,
    /// What this client sets itself (`PUT` the same shape back; `null` means inherit).
    pub own: SettingsOverrides,
}

/// `PUT /api/session/client`: switch the active client.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SwitchClientRequest {
    /// A client the account may access.
    pub client: ClientKey,
}

/// `GET /api/accounts/{account}`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AccountView {
    /// The account as the list shows it.
    pub user: UserRow,
    /// Its client.
    pub client: ClientKey,
    /// Permissions on top of the role's.
    pub extra_permissions: PermissionSet,
    /// Which clients it may access.
    pub access: ClientAccess,
    /// Where it lands after sign-in.
    pub default_client: Option<ClientKey>,
    /// Whether its sign-in asks for a second factor (*Reset user account* clears it).
    #[serde(default)]
    pub two_factor: bool,
}

/// `PUT /api/accounts/{account}/access`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AccessRequest {
    /// The role.
    pub role: RoleId,
    /// Permissions on top of the role's.
    #[serde(default)]
    pub extra_permissions: PermissionSet,
    /// Which clients it may access.
    pub access: ClientAccess,
    /// Where it lands after sign-in (one of its accessible clients).
    #[serde(default)]
    pub default_client: Option<ClientKey>,
}

/// `GET /api/clients/{client}/users` query string.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(default)]
pub struct UserListQuery {
    /// Which accounts: every one (absent), a stored status, or invitations by expiry.
    pub status: ListFilter,
    /// Search by name, username or e-mail (word prefixes, accent- and case-insensitive).
    pub q: Option<String>,
    /// Order when not searching and not filtering invitations by expiry.
    pub sort: ListSort,
    /// Continue from this cursor (a previous page's `next_cursor` or `prev_cursor`).
    pub cursor: Option<String>,
    /// Page size, 1–100 (default 25).
    pub limit: Option<u32>,
}

impl UserListQuery {
    /// Page size when none is asked for.
    pub const DEFAULT_LIMIT: u32 = 25;
    /// Largest page size.
    pub const MAX_LIMIT: u32 = 100;
    /// The page sizes the list offers.
    pub const PAGE_SIZES: [u32; 3] = [25, 50, 100];

    /// The page size to use: the asked one clamped to 1–100.
    pub fn limit(&self) -> u32 {
        self.limit
            .unwrap_or(Self::DEFAULT_LIMIT)
            .clamp(1, Self::MAX_LIMIT)
    }

    /// The search, folded; `None` when there is nothing to search for.
    pub fn search(&self) -> Option<SearchQuery> {
        self.q.as_deref().and_then(SearchQuery::parse)
    }

    /// The order the page is read in.
    pub fn order(&self) -> Order {
        Order::of(self.status, self.sort, self.search().is_some())
    }

    /// The query string for this query (without a leading `?`), the form the API and the app's
    /// address bar share; defaults are left out.
    pub fn to_query_string(&self) -> String {
        let mut parts: Vec<(&str, String)> = Vec::new();
        if self.status != ListFilter::All {
            parts.push(("status", self.status.as_str().to_owned()));
        }
        if let Some(q) = self.q.as_deref().filter(|q| !q.trim().is_empty()) {
            parts.push(("q", q.to_owned()));
        }
        if self.sort != ListSort::Newest {
            parts.push(("sort", self.sort.as_str().to_owned()));
        }
        if let Some(c) = &self.cursor {
            parts.push(("cursor", c.clone()));
        }
        if let Some(l) = self.limit.filter(|&l| l != Self::DEFAULT_LIMIT) {
            parts.push(("limit", l.to_string()));
        }
        parts
            .into_iter()
            .map(|(k, v)| format!("{k}={}", percent_encode(&v)))
            .collect::<Vec<_>>()
            .join("&")
    }
}

/// Percent-encodes a query-string value (everything but unreserved characters).
pub fn percent_encode(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for b in text.bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                out.push(b as char)
            }
            _ => out.push_str(&format!("%{b:02X}")),
        }
    }
    out
}

/// One account in the users list.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct UserRow {
    /// Account id.
    pub id: AccountId,
    /// First name.
    pub first_name: String,
    /// Surname.
    pub surname: String,
    /// Username.
    pub username: String,
    /// E-mail address.
    pub email: String,
    /// Role.
    pub role: RoleSummary,
    /// Stored status.
    pub status: AccountStatus,
    /// What the badge shows, computed by the worker at the time of the request.
    pub badge: Badge,
    /// When the account was created (invited).
    pub created_at: Timestamp,
}

impl UserRow {
    /// The account's name as shown ("first surname").
    pub fn full_name(&self) -> String {
        crate::values::full_name(&self.first_name, &self.surname)
    }
}

/// A page of the users list.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct UserPage {
    /// The accounts on this page, in the query's order.
    pub users: Vec<UserRow>,
    /// Pass as `cursor` to get the next page; `None` on the last page.
    pub next_cursor: Option<String>,
    /// Pass as `cursor` to get the previous page; `None` on the first page.
    pub prev_cursor: Option<String>,
    /// The number of accounts for each filter (exact, from maintained counters).
    pub counts: ListCounts,
    /// With a search, on its first page: how many accounts match.
    pub matches: Option<MatchCount>,
}

/// How many accounts a search matches, counted up to a cap.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct MatchCount {
    /// Accounts counted (at most [`MatchCount::CAP`]).
    pub count: u32,
    /// More match than were counted.
    pub more: bool,
}

impl MatchCount {
    /// Most matches counted: a search is for finding someone, a bigger number helps nobody and
    /// would read every matching row.
    pub const CAP: u32 = 100;
}

/// `GET /api/clients/{client}/username-suggestion` query string.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(default)]
pub struct UsernameSuggestionQuery {
    /// The person's first name as typed so far.
    pub first_name: String,
    /// The person's surname as typed so far.
    pub surname: String,
}

/// `GET /api/clients/{client}/username-suggestion?first_name=&surname=`: the username an
/// invitation would get, taking the client's format and its taken names into account.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct UsernameSuggestion {
    /// The first free username, or `None` when the names give none.
    pub username: Option<String>,
}

/// `POST /api/clients/{client}/invitations`: invite a person into a (sender) client.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(default)]
pub struct InviteRequest {
    /// First name (mandatory).
    pub first_name: String,
    /// Surname (mandatory).
    pub surname: String,
    /// E-mail address (mandatory, unique in the client).
    pub email: String,
    /// Username; when absent the worker proposes one in the client's format and makes it unique.
    pub username: Option<String>,
    /// Role; the client's default role when absent.
    pub role: Option<RoleId>,
    /// Permissions on top of the role's.
    pub extra_permissions: PermissionSet,
    /// Which clients the person may access; all (below the client) when absent.
    pub access: Option<ClientAccess>,
    /// Where the person lands after sign-in.
    pub default_client: Option<ClientKey>,
    /// Optional personal text for the invitation e-mail.
    pub message: Option<String>,
    /// Language of the e-mail and the accept page; defaults to the client's.
    pub language: Option<Lang>,
}

/// The answer to an invitation: the new account and when its link runs out (never the link itself).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct InviteResponse {
    /// The invited account as the list shows it.
    pub user: UserRow,
    /// When the link stops working.
    pub expires_at: Timestamp,
    /// The address already had an account that had not registered: it got a new link (200)
    /// instead of a second account (201); its names, role and access are as they were.
    #[serde(default)]
    pub resent: bool,
}

/// `POST /api/invitations/lookup`: what the accept page shows before anyone types a password.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct InvitationView {
    /// First name as the admin entered it.
    pub first_name: String,
    /// Surname as the admin entered it.
    pub surname: String,
    /// E-mail address.
    pub email: String,
    /// The username the person will sign in with.
    pub username: String,
    /// The client's ID, for signing in later.
    pub client_id: String,
    /// The client's display name.
    pub client_name: String,
    /// Who sent the invitation.
    pub invited_by: String,
    /// The admin's personal message, if any.
    pub message: Option<String>,
    /// The invitation's language.
    pub language: Lang,
    /// When the link stops working.
    pub expires_at: Timestamp,
    /// The client's password rules, for the live checklist.
    pub password_policy: PasswordPolicy,
}

/// `POST /api/invitations/lookup`, `…/new-link-request` and `POST /api/password-resets/lookup`:
/// the token of the link the person opened. Links carry it after `#`, so it reaches the API only
/// in a body: no access log, Logpush line or Referer ever holds one.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(default)]
pub struct LinkTokenRequest {
    /// The link's token.
    pub token: String,
}

/// `POST /api/invitations/accept`: take over the account.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(default)]
pub struct AcceptRequest {
    /// The invitation link's token (from the link's `#` fragment: never in a URL the server sees).
    pub token: String,
    /// First name, possibly corrected.
    pub first_name: String,
    /// Surname, possibly corrected.
    pub surname: String,
    /// The new password.
    pub password: String,
    /// The same password again.
    pub password_confirmation: String,
}

/// Local mode only: a request header with an instant (ms since the epoch) the worker takes as
/// "now" for this request: the test clock. Production ignores it.
pub const CLOCK_HEADER: &str = "x-gatehouse-now";

/// `PATCH /api/accounts/{account}`: the fields to change (absent = unchanged).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(default)]
pub struct UpdateAccountRequest {
    /// First name.
    pub first_name: Option<String>,
    /// Surname.
    pub surname: Option<String>,
    /// E-mail address (unique in the client). For an accepted account the old and the new
    /// address are told; for an invited one the invitation goes out again to the new address.
    pub email: Option<String>,
    /// Username (unique in the client).
    pub username: Option<String>,
}

/// `POST /api/accounts/{account}/invitation-link`: a fresh invitation link, shown this once.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CopiedLink {
    /// The accept link (the only copy of its secret; not stored, not mailed).
    pub link: String,
    /// When it stops working.
    pub expires_at: Timestamp,
    /// The account's row as the list now shows it.
    pub user: UserRow,
}

/// `POST /api/password-resets`: "forgot your password?".
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(default)]
pub struct ForgotPasswordRequest {
    /// The client ID the person signs in to.
    pub client_id: String,
    /// Username or e-mail address.
    pub login: String,
}

/// `POST /api/password-resets/lookup`: what the reset page shows.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ResetView {
    /// First name.
    pub first_name: String,
    /// Surname.
    pub surname: String,
    /// Username.
    pub username: String,
    /// The client's ID, for signing in.
    pub client_id: String,
    /// The client's display name.
    pub client_name: String,
    /// The account's language.
    pub language: Lang,
    /// When the link stops working.
    pub expires_at: Timestamp,
    /// The client's password rules, for the live checklist.
    pub password_policy: PasswordPolicy,
}

/// `POST /api/password-resets/complete`: the new password.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(default)]
pub struct ResetPasswordRequest {
    /// The reset link's token (from the link's `#` fragment).
    pub token: String,
    /// The new password.
    pub password: String,
    /// The same password again.
    pub password_confirmation: String,
}

/// A deleted account as the operator sees it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct DeletedAccount {
    /// Account id (recover it by this).
    pub id: AccountId,
    /// Its client.
    pub client: ClientKey,
    /// First name.
    pub first_name: String,
    /// Surname.
    pub surname: String,
    /// Username.
    pub username: String,
    /// E-mail address.
    pub email: String,
    /// What a recovery returns it to: `accepted`, `deactivated` or `unregistered`.
    pub was: String,
    /// When it was deleted.
    pub deleted_at: Timestamp,
    /// When it is purged for good (no recovery from then on).
    pub purge_at: Timestamp,
}

/// `GET /api/operator/deleted-accounts`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct DeletedAccounts {
    /// Newest first (at most 200).
    pub accounts: Vec<DeletedAccount>,
}

/// `GET /api/clients/{client}/audit` query string.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(default)]
pub struct AuditQuery {
    /// Only events by this account.
    pub actor: Option<AccountId>,
    /// Only events about this account.
    pub account: Option<AccountId>,
    /// Only this action (e.g. `account.deactivated`).
    pub action: Option<String>,
    /// Only events at or after this instant (ms).
    pub from: Option<i64>,
    /// Only events before this instant (ms).
    pub to: Option<i64>,
    /// Continue after this cursor (a previous page's `next_cursor`).
    pub cursor: Option<String>,
    /// Page size, 1–100 (default 50).
    pub limit: Option<u32>,
}

impl AuditQuery {
    /// The query string for this query (without a leading `?`); absent fields are left out.
    pub fn to_query_string(&self) -> String {
        let mut parts: Vec<(&str, String)> = Vec::new();
        if let Some(a) = self.actor {
            parts.push(("actor", a.to_string()));
        }
        if let Some(a) = self.account {
            parts.push(("account", a.to_string()));
        }
        if let Some(a) = &self.action {
            parts.push(("action", a.clone()));
        }
        if let Some(t) = self.from {
            parts.push(("from", t.to_string()));
        }
        if let Some(t) = self.to {
            parts.push(("to", t.to_string()));
        }
        if let Some(c) = &self.cursor {
            parts.push(("cursor", c.clone()));
        }
        if let Some(l) = self.limit {
            parts.push(("limit", l.to_string()));
        }
        parts
            .into_iter()
            .map(|(k, v)| format!("{k}={}", percent_encode(&v)))
            .collect::<Vec<_>>()
            .join("&")
    }
}

/// One audit event.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AuditEventView {
    /// Event id.
    pub id: String,
    /// When.
    pub at: Timestamp,
    /// What happened, e.g. `account.deactivated`.
    pub action: String,
    /// Who did it (absent: the system, e.g. the automatic deletion).
    pub actor: Option<AccountId>,
    /// The actor's name when the account still exists.
    pub actor_name: Option<String>,
    /// Whom it was about.
    pub subject: Option<AccountId>,
    /// The subject's name when the account still exists.
    pub subject_name: Option<String>,
    /// In which client.
    pub client: Option<ClientKey>,
    /// From which IP address.
    pub ip: Option<String>,
    /// With which browser.
    pub user_agent: Option<String>,
    /// Before → after for changes, as JSON text (`{"email":["old","new"]}`).
    pub detail: Option<String>,
}

/// A page of audit events, newest first.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AuditPage {
    /// The events.
    pub events: Vec<AuditEventView>,
    /// Pass as `cursor` for older events; absent on the last page.
    pub next_cursor: Option<String>,
}

/// A sent (or, locally, captured) e-mail as `GET /dev/outbox` lists it. Local mode only.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct OutboxMail {
    /// Outbox row id.
    pub id: String,
    /// Recipient.
    pub to: String,
    /// Subject line.
    pub subject: String,
    /// Plain-text body.
    pub text: String,
    /// HTML body.
    pub html: String,
    /// When it was written to the outbox.
    pub created_at: Timestamp,
    /// `pending`, `sent` or `failed`.
    pub status: String,
}

/// The most accounts one bulk action takes (D1 allows 1,000 queries per invocation; a bulk action
/// writes its rows in batches, so it stays far below that).
pub const MAX_BULK: usize = 1000;

/// What a bulk action does to each selected account.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum BulkAction {
    /// Send a new invitation link (accounts that have not registered).
    Resend,
    /// Cancel the pending invitation.
    Cancel,
    /// Switch registered accounts off; their sessions end.
    Deactivate,
    /// Switch deactivated accounts on.
    Activate,
    /// Delete (recoverable by the operator within the recovery window).
    Delete,
    /// Give every account the request's `role` (additional permissions and client access stay).
    ChangeRole,
}

impl BulkAction {
    /// Every bulk action, in the order the app offers them.
    pub const ALL: [BulkAction; 6] = [
        Self::Resend,
        Self::Cancel,
        Self::ChangeRole,
        Self::Deactivate,
        Self::Activate,
        Self::Delete,
    ];

    /// The lifecycle action each row goes through (the same rule as the single action).
    pub fn lifecycle(self) -> crate::lifecycle::Action {
        use crate::lifecycle::Action;
        match self {
            Self::Resend => Action::Resend,
            Self::Cancel => Action::Cancel,
            Self::Deactivate => Action::Deactivate,
            Self::Activate => Action::Activate,
            Self::Delete => Action::Delete,
            Self::ChangeRole => Action::ChangeRole,
        }
    }

    /// Whether the admin's own account is skipped (`own_account`): the single actions that would
    /// lock one out, and a role change (one's own role is changed on one's own account page,
    /// where the consequences are shown, never as a side effect of a selection).
    pub fn spares_own_account(self) -> bool {
        self == Self::ChangeRole || self.lifecycle().spares_own_account()
    }

    /// Its name in the API (`resend`, `cancel`, …).
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Resend => "resend",
            Self::Cancel => "cancel",
            Self::Deactivate => "deactivate",
            Self::Activate => "activate",
            Self::Delete => "delete",
            Self::ChangeRole => "change_role",
        }
    }
}

/// Which accounts a bulk action takes: listed ones, or everything the list shows for a filter and
/// search (at most [`MAX_BULK`]; more answers `too_many_accounts`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum BulkSelection {
    /// These accounts of the client (duplicates count once).
    Accounts(Vec<AccountId>),
    /// Every account of the client matching the list's filter and search.
    Matching(BulkFilter),
}

/// The list's filter and search, as a bulk selection.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(default)]
pub struct BulkFilter {
    /// As the list's `status`.
    pub status: ListFilter,
    /// As the list's `q`.
    pub q: Option<String>,
}

/// `POST /api/clients/{client}/bulk-actions` body.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct BulkRequest {
    /// What to do.
    pub action: BulkAction,
    /// To which accounts.
    pub selection: BulkSelection,
    /// The role `change_role` gives (required for it, ignored otherwise).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub role: Option<RoleId>,
}

/// One account's result in a bulk action.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct BulkRow {
    /// The account.
    pub account: AccountId,
    /// Its username and name (empty when the account was not found).
    pub username: String,
    /// First name and surname.
    pub name: String,
    /// `None`: done. Otherwise why this row was refused (the single action's error code).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub refused: Option<ErrorCode>,
}

/// The answer of a bulk action: every row, in the order asked (or listed), with its result.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct BulkReport {
    /// What was done.
    pub action: BulkAction,
    /// Rows done.
    pub done: u32,
    /// Rows refused.
    pub refused: u32,
    /// Every row.
    pub rows: Vec<BulkRow>,
}

impl BulkReport {
    /// The report as CSV (account, username, name, result, reason in `lang`), for download.
    /// Cells a spreadsheet would run as a formula are quoted with a leading apostrophe.
    pub fn to_csv(&self, lang: Lang) -> String {
        fn cell(s: &str) -> String {
            // a leading =, +, - or @ would be a formula in a spreadsheet
            let s = if s.starts_with(['=', '+', '-', '@']) {
                format!("'{s}")
            } else {
                s.to_owned()
            };
            if s.contains([',', '"', '\n', '\r']) {
                format!("\"{}\"", s.replace('"', "\"\""))
            } else {
                s
            }
        }
        let mut out = String::from("account,username,name,result,reason\r\n");
        for r in &self.rows {
            let (result, reason) = match r.refused {
                None => ("done", String::new()),
                Some(code) => ("refused", cell(code.text(lang))),
            };
            out.push_str(&format!(
                "{},{},{},{result},{reason}\r\n",
                r.account,
                cell(&r.username),
                cell(&r.name)
            ));
        }
        out
    }
}

/// Stable machine-readable error codes; the app shows a message per code in the viewer's language.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum ErrorCode {
    /// The body is not the JSON this route expects.
    MalformedJson,
    /// The body came without a `Content-Length`.
    LengthRequired,
    /// The body is larger than [`MAX_BODY_BYTES`].
    PayloadTooLarge,
    /// The body is not `application/json`.
    UnsupportedMediaType,
    /// A field is missing or empty (`field` names it).
    FieldMissing,
    /// A field is too long (`field` names it).
    FieldTooLong,
    /// A field is present but not valid (`field` names it).
    FieldInvalid,
    /// Client ID, username or password is wrong (never says which).
    InvalidCredentials,
    /// The second factor's code is wrong, or was used already.
    InvalidCode,
    /// The password step of this sign-in ran out (or never happened): start again.
    SignInExpired,
    /// The account has a second factor already.
    TwoFactorOn,
    /// There is no new secret waiting for its code (enrol first).
    NoPendingEnrolment,
    /// The account has no second factor to turn off.
    TwoFactorOff,
    /// The account's client requires two-factor sign-in: set it up first (this session reaches
    /// nothing else until then).
    TwoFactorSetupRequired,
    /// The account's client requires two-factor sign-in: it cannot be turned off.
    TwoFactorRequiredByClient,
    /// The operator has not configured where links in mail point (`PUBLIC_ORIGIN`).
    MailNotConfigured,
    /// Not signed in, or the session ended.
    Unauthenticated,
    /// Signed in, but not allowed to do this.
    Forbidden,
    /// A cross-site request was refused.
    CsrfRejected,
    /// No such thing (or not yours to see).
    NotFound,
    /// The route exists but not with this method.
    MethodNotAllowed,
    /// Too many attempts; try again later.
    RateLimited,
    /// Another account in this client already uses this e-mail address.
    EmailTaken,
    /// Another account in this client already uses this username.
    UsernameTaken,
    /// No invitation has this link.
    InvitationNotFound,
    /// The invitation link ran out.
    InvitationExpired,
    /// The invitation was cancelled.
    InvitationCancelled,
    /// A newer invitation replaced this link.
    InvitationReplaced,
    /// The invitation was already accepted.
    InvitationUsed,
    /// Accounts can only be created in clients marked "is sender".
    ClientNotSender,
    /// Another client already uses this client ID.
    ClientIdTaken,
    /// A client cannot move into its own subtree.
    MoveIntoOwnSubtree,
    /// The company (top client) cannot be moved or deactivated.
    CompanyImmutable,
    /// Another role of the company already has this name.
    RoleNameTaken,
    /// Built-in roles cannot be changed or deleted.
    BuiltinRole,
    /// The role is still held by accounts.
    RoleInUse,
    /// The company would be left without an active admin.
    LastAdmin,
    /// Nobody can grant a permission or client access they do not hold themselves.
    ExceedsOwnRights,
    /// The client is not one this account may access.
    OutsideAccess,
    /// Someone else changed the same thing at the same moment; nothing was changed.
    Conflict,
    /// The person has already registered: there is no invitation to resend or cancel.
    AlreadyRegistered,
    /// There is no pending invitation to cancel.
    NoPendingInvitation,
    /// The person has not registered: nothing to deactivate or reset (resend or cancel instead).
    NeverRegistered,
    /// The account is deactivated: activate it first.
    AccountDeactivated,
    /// The account is already deactivated.
    AlreadyDeactivated,
    /// The account is not deactivated.
    NotDeactivated,
    /// Admins cannot deactivate, delete or reset their own account.
    OwnAccount,
    /// A link of an account that was deactivated since: it works no more.
    LinkAccountDeactivated,
    /// A link of an account that was deleted since: it works no more.
    LinkAccountDeleted,
    /// A password-reset link that does not exist.
    ResetNotFound,
    /// A password-reset link that ran out.
    ResetExpired,
    /// A password-reset link that was used, replaced by a newer one, or revoked.
    ResetUsed,
    /// A deleted account whose recovery window is over.
    RecoveryWindowOver,
    /// The operator API: the operator secret is missing or wrong.
    OperatorOnly,
    /// The password does not meet the rules (`rules` lists each unmet one).
    WeakPassword,
    /// The two passwords differ.
    PasswordMismatch,
    /// A bulk action over more accounts than [`MAX_BULK`]: narrow the filter or the selection.
    TooManyAccounts,
    /// Something failed on our side; nothing was half-written.
    Internal,
}

impl From<ValueError> for ErrorCode {
    fn from(e: ValueError) -> Self {
        match e {
            ValueError::Missing => ErrorCode::FieldMissing,
            ValueError::TooLong { .. } => ErrorCode::FieldTooLong,
            ValueError::Invalid => ErrorCode::FieldInvalid,
        }
    }
}

impl From<Denied> for ErrorCode {
    fn from(d: Denied) -> Self {
        match d {
            Denied::MissingPermission(_) => ErrorCode::Forbidden,
            Denied::OutsideAccess => ErrorCode::OutsideAccess,
            // another company's ids do not exist for the caller
            Denied::OtherCompany => ErrorCode::NotFound,
            Denied::LastAdmin => ErrorCode::LastAdmin,
            Denied::ExceedsOwnRights => ErrorCode::ExceedsOwnRights,
        }
    }
}

impl From<crate::lifecycle::Refusal> for ErrorCode {
    fn from(r: crate::lifecycle::Refusal) -> Self {
        use crate::lifecycle::Refusal as R;
        match r {
            R::NeverRegistered => ErrorCode::NeverRegistered,
            R::AlreadyAccepted => ErrorCode::AlreadyRegistered,
            R::NoPendingLink => ErrorCode::NoPendingInvitation,
            R::LinkExpired => ErrorCode::InvitationExpired,
            R::LinkCancelled => ErrorCode::InvitationCancelled,
            R::Deactivated => ErrorCode::AccountDeactivated,
            R::AlreadyDeactivated => ErrorCode::AlreadyDeactivated,
            R::NotDeactivated => ErrorCode::NotDeactivated,
            // a deleted account is gone for admins; only the operator sees it
            R::Deleted | R::NotDeleted => ErrorCode::NotFound,
            R::RecoveryWindowOver => ErrorCode::RecoveryWindowOver,
            R::NotYetDue => ErrorCode::Conflict,
        }
    }
}

impl From<InvitationError> for ErrorCode {
    fn from(e: InvitationError) -> Self {
        match e {
            InvitationError::Expired => ErrorCode::InvitationExpired,
            InvitationError::AlreadyAccepted => ErrorCode::InvitationUsed,
            InvitationError::Cancelled => ErrorCode::InvitationCancelled,
            InvitationError::Replaced => ErrorCode::InvitationReplaced,
        }
    }
}

/// The error body of every 4xx/5xx answer: `{ "error": { "code", "message", "field"?, "rules"? } }`.
impl ErrorCode {
    /// The HTTP status each code is answered with: the only place this mapping is written.
    pub fn status(self) -> u16 {
        use ErrorCode::*;
        match self {
            MalformedJson => 400,
            Unauthenticated | InvalidCredentials | OperatorOnly | InvalidCode | SignInExpired => {
                401
            }
            Forbidden
            | CsrfRejected
            | ExceedsOwnRights
            | OutsideAccess
            | TwoFactorSetupRequired => 403,
            NotFound | InvitationNotFound | ResetNotFound => 404,
            MethodNotAllowed => 405,
            LengthRequired => 411,
            EmailTaken
            | UsernameTaken
            | InvitationUsed
            | ClientIdTaken
            | RoleNameTaken
            | BuiltinRole
            | RoleInUse
            | LastAdmin
            | Conflict
            | AlreadyRegistered
            | NoPendingInvitation
            | NeverRegistered
            | AccountDeactivated
            | AlreadyDeactivated
            | NotDeactivated
            | OwnAccount
            | TwoFactorOn
            | NoPendingEnrolment
            | TwoFactorOff
            | TwoFactorRequiredByClient => 409,
            InvitationExpired
            | InvitationCancelled
            | InvitationReplaced
            | LinkAccountDeactivated
            | LinkAccountDeleted
            | ResetExpired
            | ResetUsed
            | RecoveryWindowOver => 410,
            PayloadTooLarge => 413,
            UnsupportedMediaType => 415,
            FieldMissing | FieldTooLong | FieldInvalid | WeakPassword | PasswordMismatch
            | ClientNotSender | MoveIntoOwnSubtree | CompanyImmutable | TooManyAccounts => 422,
            RateLimited => 429,
            MailNotConfigured => 503,
            Internal => 500,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ApiError {
    /// The error.
    pub error: ErrorBody,
}

/// What went wrong.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ErrorBody {
    /// Stable code.
    pub code: ErrorCode,
    /// English explanation for people reading raw responses; the app uses `code`.
    pub message: String,
    /// The request field at fault, if one is.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub field: Option<String>,
    /// For `weak_password`: every unmet rule.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub rules: Vec<PasswordRule>,
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn only_the_json_media_type_is_json() {
        for yes in [
            "application/json",
            "Application/JSON",
            "application/json; charset=utf-8",
            " application/json ;x=y",
        ] {
            assert!(is_json_content_type(yes), "{yes}");
        }
        for no in [
            "",
            "application/jsonp",
            "application/json-seq",
            "text/json",
            "text/plain",
            "application/x-www-form-urlencoded",
        ] {
            assert!(!is_json_content_type(no), "{no}");
        }
    }

    #[test]
    fn error_shape_is_the_documented_one() {
        let e = ApiError {
            error: ErrorBody {
                code: ErrorCode::FieldMissing,
                message: "first_name is required".into(),
                field: Some("first_name".into()),
                rules: vec![],
            },
        };
        assert_eq!(
            serde_json::to_value(&e).unwrap(),
            serde_json::json!({"error": {"code": "field_missing", "message": "first_name is required", "field": "first_name"}})
        );
        let weak = ErrorBody {
            code: ErrorCode::WeakPassword,
            message: String::new(),
            field: None,
            rules: vec![PasswordRule::MinLength(8)],
        };
        assert_eq!(
            serde_json::to_value(&weak).unwrap()["rules"],
            serde_json::json!([{"rule": "min_length", "value": 8}])
        );
    }

    #[test]
    fn missing_request_fields_deserialise_as_empty() {
        let r: InviteRequest = serde_json::from_str("{}").unwrap();
        assert_eq!(r.first_name, "");
        assert_eq!(r.username, None);
    }

    #[test]
    fn list_queries_write_their_query_string_without_defaults() {
        let q = UserListQuery {
            status: ListFilter::Expiring,
            q: Some("Müller & co".into()),
            sort: ListSort::Name,
            cursor: None,
            limit: Some(50),
        };
        assert_eq!(
            q.to_query_string(),
            "status=expiring&q=M%C3%BCller%20%26%20co&sort=name&limit=50"
        );
        assert_eq!(UserListQuery::default().to_query_string(), "");
        assert_eq!(q.order(), crate::list::Order::Match);
    }

    #[test]
    fn a_bulk_report_downloads_as_csv_a_spreadsheet_reads_as_text() {
        let row = |n: u8, username: &str, name: &str, refused| BulkRow {
            account: AccountId::from_random_bytes([n; 16]),
            username: username.into(),
            name: name.into(),
            refused,
        };
        let report = BulkReport {
            action: BulkAction::Deactivate,
            done: 1,
            refused: 1,
            rows: vec![
                row(1, "jo.mueller", "Jo \"JM\" Müller, jr.", None),
                row(
                    2,
                    "=HYPERLINK(1)",
                    "line\nbreak",
                    Some(ErrorCode::LastAdmin),
                ),
            ],
        };
        let text = report.to_csv(Lang::De);
        let mut reader = csv::Reader::from_reader(text.as_bytes());
        assert_eq!(
            reader.headers().unwrap(),
            vec!["account", "username", "name", "result", "reason"]
        );
        let rows: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
        assert_eq!(rows.len(), 2);
        assert_eq!(&rows[0][0], report.rows[0].account.to_string());
        assert_eq!(&rows[0][2], "Jo \"JM\" Müller, jr.");
        assert_eq!((&rows[0][3], &rows[0][4]), ("done", ""));
        // a formula stays text
        assert_eq!(&rows[1][1], "'=HYPERLINK(1)");
        assert_eq!(&rows[1][2], "line\nbreak");
        assert_eq!(&rows[1][3], "refused");
        assert_eq!(&rows[1][4], ErrorCode::LastAdmin.text(Lang::De));
    }

    proptest! {
        #[test]
        fn cursor_round_trips(at in any::<i64>(), key in "\\PC{0,20}", bytes in proptest::array::uniform16(any::<u8>()), back in any::<bool>()) {
            use crate::list::SortKey;
            for key in [SortKey::Time(Timestamp(at)), SortKey::Text(key.clone())] {
                let c = Cursor { backward: back, key, id: AccountId::from_random_bytes(bytes) };
                prop_assert_eq!(Cursor::decode(&c.encode()), Some(c));
            }
        }
    }
}
