//! The only module that speaks HTTP. Every call returns the domain's types or an [`ApiError`]; a
//! network failure or an unreadable answer becomes an `internal` error, never a panic.
//!
//! Read-your-writes across D1 replicas: the worker answers with a session bookmark in
//! [`BOOKMARK_HEADER`]; the latest one is kept in memory and sent back with every request, so an
//! admin always sees their own change even when the next read lands on another replica.

use std::cell::RefCell;

use domain::api::percent_encode;
use domain::api::{
    AcceptRequest, AccessRequest, AccountView, ApiError, ClientDetail, ClientNode, ClientTree,
    CreateClientRequest, ErrorBody, ErrorCode, InvitationView, InviteRequest, InviteResponse,
    LoginRequest, Me, RoleList, RoleRequest, RoleView, SettingsView, SwitchClientRequest,
    UpdateClientRequest, UserListQuery, UserPage, UserRow, UsernameSuggestion, BOOKMARK_HEADER,
};
use domain::api::{
    AuditPage, CopiedLink, ForgotPasswordRequest, LinkTokenRequest, ResetPasswordRequest,
    ResetView, UpdateAccountRequest,
};
use domain::settings::SettingsOverrides;
use domain::{AccountId, ClientKey, RoleId};
use gloo_net::http::{Request, RequestBuilder, Response};
use serde::de::DeserializeOwned;

thread_local! {
    static BOOKMARK: RefCell<Option<String>> = const { RefCell::new(None) };
}

/// `GET /api/session`: who is signed in (`unauthenticated` when nobody).
pub async fn current_session() -> Result<Me, ApiError> {
    json(send(with_bookmark(Request::get("/api/session")).build()).await?).await
}

/// What the password step of a sign-in answered.
#[derive(Debug, Clone)]
pub enum SignInAnswer {
    /// Signed in (the worker set the session cookie).
    SignedIn(Box<Me>),
    /// The password was right; the code of the second factor comes next.
    SecondFactor,
}

/// `POST /api/session`: sign in; the worker sets the session cookie, or (202) holds the sign-in
/// for its second factor.
pub async fn sign_in(request: LoginRequest) -> Result<SignInAnswer, ApiError> {
    let response = send(with_bookmark(Request::post("/api/session")).json(&request)).await?;
    if response.status() == 202 {
        json(response)
            .await
            .map(|_: domain::api::SecondFactorRequired| SignInAnswer::SecondFactor)
    } else {
        json(response).await.map(SignInAnswer::SignedIn)
    }
}

/// `POST /api/session/second-factor`: the code (or a recovery code) of the held sign-in.
pub async fn second_factor(code: String) -> Result<Me, ApiError> {
    let body = domain::api::SecondFactorRequest { code };
    json(send(with_bookmark(Request::post("/api/session/second-factor")).json(&body)).await?).await
}

/// `POST /api/session/two-factor/enrolment`: a new key for one's own account.
pub async fn two_factor_enrol(
    password: String,
) -> Result<domain::api::TwoFactorEnrolment, ApiError> {
    let body = domain::api::ReauthRequest {
        password,
        code: None,
    };
    json(send(with_bookmark(Request::post("/api/session/two-factor/enrolment")).json(&body)).await?)
        .await
}

/// `POST /api/session/two-factor`: the first code confirms the key; the recovery codes, once.
pub async fn two_factor_confirm(code: String) -> Result<domain::api::TwoFactorEnabled, ApiError> {
    let body = domain::api::SecondFactorRequest { code };
    json(send(with_bookmark(Request::post("/api/session/two-factor")).json(&body)).await?).await
}

/// `GET /api/session/sessions` (own) or `GET /api/accounts/{id}/sessions` (an admin's view).
pub async fn sessions(
    account: Option<domain::AccountId>,
) -> Result<domain::api::SessionList, ApiError> {
    let url = match account {
        Some(id) => format!("/api/accounts/{id}/sessions"),
        None => "/api/session/sessions".to_owned(),
    };
    json(send(with_bookmark(Request::get(&url)).build()).await?).await
}

/// Ends one session, or every other one (own), or all of an account's (an admin's view).
pub async fn end_sessions(
    account: Option<domain::AccountId>,
    request: domain::api::EndSessionsRequest,
) -> Result<domain::api::EndedSessions, ApiError> {
    let url = match account {
        Some(id) => format!("/api/accounts/{id}/sessions/end"),
        None => "/api/session/sessions/end".to_owned(),
    };
    json(send(with_bookmark(Request::post(&url)).json(&request)).await?).await
}

/// `POST /api/session/two-factor/disable`: off, with the password and a code.
pub async fn two_factor_disable(password: String, code: String) -> Result<(), ApiError> {
    let body = domain::api::ReauthRequest {
        password,
        code: Some(code),
    };
    send(with_bookmark(Request::post("/api/session/two-factor/disable")).json(&body))
        .await
        .map(drop)
}

/// `POST /api/session/password`: one's own new password (every other session ends).
pub async fn change_own_password(
    request: domain::api::PasswordChangeRequest,
) -> Result<Me, ApiError> {
    json(send(with_bookmark(Request::post("/api/session/password")).json(&request)).await?).await
}

/// `POST /api/session/email`: one's own new e-mail address.
pub async fn change_own_email(request: domain::api::EmailChangeRequest) -> Result<Me, ApiError> {
    json(send(with_bookmark(Request::post("/api/session/email")).json(&request)).await?).await
}

/// `DELETE /api/session`: sign out.
pub async fn sign_out() -> Result<(), ApiError> {
    send(with_bookmark(Request::delete("/api/session")).build())
        .await
        .map(drop)
}

/// `PUT /api/session/client`: work in another client.
pub async fn switch_client(client: ClientKey) -> Result<Me, ApiError> {
    let body = SwitchClientRequest { client };
    json(send(with_bookmark(Request::put("/api/session/client")).json(&body)).await?).await
}

/// `GET /api/clients`: the accessible clients, depth first.
pub async fn clients() -> Result<ClientTree, ApiError> {
    json(send(with_bookmark(Request::get("/api/clients")).build()).await?).await
}

/// `GET /api/clients/{key}`: one client and its invite defaults.
pub async fn client(key: ClientKey) -> Result<ClientDetail, ApiError> {
    let url = format!("/api/clients/{key}");
    json(send(with_bookmark(Request::get(&url)).build()).await?).await
}

/// `POST /api/clients/{parent}/children`: a new sub-client.
pub async fn create_client(
    parent: ClientKey,
    request: CreateClientRequest,
) -> Result<ClientNode, ApiError> {
    let url = format!("/api/clients/{parent}/children");
    json(send(with_bookmark(Request::post(&url)).json(&request)).await?).await
}

/// `PATCH /api/clients/{key}`: rename, move, mark as sender, (de)activate.
pub async fn update_client(
    key: ClientKey,
    request: UpdateClientRequest,
) -> Result<ClientNode, ApiError> {
    let url = format!("/api/clients/{key}");
    json(send(with_bookmark(Request::patch(&url)).json(&request)).await?).await
}

/// `GET /api/clients/{key}/settings`.
pub async fn settings(key: ClientKey) -> Result<SettingsView, ApiError> {
    let url = format!("/api/clients/{key}/settings");
    json(send(with_bookmark(Request::get(&url)).build()).await?).await
}

/// `PUT /api/clients/{key}/settings`: the client's own overrides.
pub async fn put_settings(
    key: ClientKey,
    own: SettingsOverrides,
) -> Result<SettingsView, ApiError> {
    let url = format!("/api/clients/{key}/settings");
    json(send(with_bookmark(Request::put(&url)).json(&own)).await?).await
}

/// `GET /api/roles`.
pub async fn roles() -> Result<RoleList, ApiError> {
    json(send(with_bookmark(Request::get("/api/roles")).build()).await?).await
}

/// `POST /api/roles`.
pub async fn create_role(request: RoleRequest) -> Result<RoleView, ApiError> {
    json(send(with_bookmark(Request::post("/api/roles")).json(&request)).await?).await
}

/// `PUT /api/roles/{id}`: rename a custom role or change its permissions.
pub async fn update_role(id: RoleId, request: RoleRequest) -> Result<RoleView, ApiError> {
    let url = format!("/api/roles/{id}");
    json(send(with_bookmark(Request::put(&url)).json(&request)).await?).await
}

/// `GET /api/accounts/{id}`: one account with its role, additional permissions and client access.
pub async fn account(id: AccountId) -> Result<AccountView, ApiError> {
    let url = format!("/api/accounts/{id}");
    json(send(with_bookmark(Request::get(&url)).build()).await?).await
}

/// `PUT /api/accounts/{id}/access`: role, additional permissions, client access, default client.
pub async fn save_account_access(
    id: AccountId,
    request: AccessRequest,
) -> Result<AccountView, ApiError> {
    let url = format!("/api/accounts/{id}/access");
    json(send(with_bookmark(Request::put(&url)).json(&request)).await?).await
}

/// `DELETE /api/roles/{id}`.
pub async fn delete_role(id: RoleId) -> Result<(), ApiError> {
    let url = format!("/api/roles/{id}");
    send(with_bookmark(Request::delete(&url)).build())
        .await
        .map(drop)
}

/// `GET /api/clients/{key}/users`: one page of the client's accounts.
pub async fn list_users(key: ClientKey, query: UserListQuery) -> Result<UserPage, ApiError> {
    let params = query.to_query_string();
    let mut url = format!("/api/clients/{key}/users");
    if !params.is_empty() {
        url.push('?');
        url.push_str(&params);
    }
    json(send(with_bookmark(Request::get(&url)).build()).await?).await
}

/// `GET /api/clients/{key}/username-suggestion`: the username the worker would give these names.
pub async fn username_suggestion(
    key: ClientKey,
    first_name: &str,
    surname: &str,
) -> Result<UsernameSuggestion, ApiError> {
    let url = format!(
        "/api/clients/{key}/username-suggestion?first_name={}&surname={}",
        percent_encode(first_name),
        percent_encode(surname)
    );
    json(send(with_bookmark(Request::get(&url)).build()).await?).await
}

/// `POST /api/clients/{key}/invitations`: invite a person; the worker mails the link.
pub async fn invite(key: ClientKey, request: InviteRequest) -> Result<InviteResponse, ApiError> {
    let url = format!("/api/clients/{key}/invitations");
    json(send(with_bookmark(Request::post(&url)).json(&request)).await?).await
}

/// `POST /api/clients/{key}/bulk-actions`: one action over many accounts, with every row's result.
pub async fn bulk_action(
    key: ClientKey,
    request: domain::api::BulkRequest,
) -> Result<domain::api::BulkReport, ApiError> {
    let url = format!("/api/clients/{key}/bulk-actions");
    json(send(with_bookmark(Request::post(&url)).json(&request)).await?).await
}

/// `POST /api/accounts/{id}/invitation`: a new invitation link for an account not yet registered.
pub async fn resend_invitation(id: AccountId) -> Result<UserRow, ApiError> {
    let url = format!("/api/accounts/{id}/invitation");
    json(send(with_bookmark(Request::post(&url)).build()).await?).await
}

/// `DELETE /api/accounts/{id}/invitation`: the pending invitation's link dies at once.
pub async fn cancel_invitation(id: AccountId) -> Result<UserRow, ApiError> {
    let url = format!("/api/accounts/{id}/invitation");
    json(send(with_bookmark(Request::delete(&url)).build()).await?).await
}

/// `POST /api/invitations/lookup`: what an invitation link shows, checked before any password is
/// typed. Link tokens travel in bodies only, never in a URL.
pub async fn invitation(token: &str) -> Result<InvitationView, ApiError> {
    let body = LinkTokenRequest {
        token: token.to_owned(),
    };
    json(send(with_bookmark(Request::post("/api/invitations/lookup")).json(&body)).await?).await
}

/// `POST /api/invitations/accept`: set the password; the worker signs the person in.
pub async fn accept_invitation(request: AcceptRequest) -> Result<Me, ApiError> {
    json(send(with_bookmark(Request::post("/api/invitations/accept")).json(&request)).await?).await
}

/// `POST /api/accounts/{id}/{action}`: a lifecycle action answering the account's row
/// (`deactivate`, `activate`, `reset`, `password-reset`).
pub async fn account_action(id: AccountId, action: &str) -> Result<UserRow, ApiError> {
    let url = format!("/api/accounts/{id}/{action}");
    json(send(with_bookmark(Request::post(&url)).build()).await?).await
}

/// `DELETE /api/accounts/{id}`: the account is deleted (an operator can recover it for 30 days).
pub async fn delete_account(id: AccountId) -> Result<(), ApiError> {
    let url = format!("/api/accounts/{id}");
    send(with_bookmark(Request::delete(&url)).build())
        .await
        .map(drop)
}

/// `POST /api/accounts/{id}/invitation-link`: a fresh link, shown once, not mailed.
pub async fn copy_invitation_link(id: AccountId) -> Result<CopiedLink, ApiError> {
    let url = format!("/api/accounts/{id}/invitation-link");
    json(send(with_bookmark(Request::post(&url)).build()).await?).await
}

/// `PATCH /api/accounts/{id}`: names, e-mail, username.
pub async fn update_account(
    id: AccountId,
    request: UpdateAccountRequest,
) -> Result<AccountView, ApiError> {
    let url = format!("/api/accounts/{id}");
    json(send(with_bookmark(Request::patch(&url)).json(&request)).await?).await
}

/// `GET /api/clients/{key}/audit`: a page of the client's audit log, newest first.
pub async fn audit_log(
    key: ClientKey,
    query: &domain::api::AuditQuery,
) -> Result<AuditPage, ApiError> {
    let url = format!("/api/clients/{key}/audit?{}", query.to_query_string());
    json(send(with_bookmark(Request::get(&url)).build()).await?).await
}

/// `GET /api/accounts/{id}/audit`: the account's history, newest first.
pub async fn account_history(id: AccountId) -> Result<AuditPage, ApiError> {
    let url = format!("/api/accounts/{id}/audit?limit=20");
    json(send(with_bookmark(Request::get(&url)).build()).await?).await
}

/// `POST /api/password-resets`: "forgot your password?" (202 whatever it names).
pub async fn forgot_password(request: ForgotPasswordRequest) -> Result<(), ApiError> {
    send(with_bookmark(Request::post("/api/password-resets")).json(&request))
        .await
        .map(drop)
}

/// `POST /api/invitations/new-link-request`: on a dead link, ask the inviting admin for a new one.
pub async fn request_new_link(token: &str) -> Result<(), ApiError> {
    let body = LinkTokenRequest {
        token: token.to_owned(),
    };
    send(with_bookmark(Request::post("/api/invitations/new-link-request")).json(&body))
        .await
        .map(drop)
}

/// `POST /api/password-resets/lookup`: what a reset link shows.
pub async fn password_reset(token: &str) -> Result<ResetView, ApiError> {
    let body = LinkTokenRequest {
        token: token.to_owned(),
    };
    json(send(with_bookmark(Request::post("/api/password-resets/lookup")).json(&body)).await?).await
}

/// `POST /api/password-resets/complete`: the new password; the worker signs the person in.
pub async fn complete_password_reset(request: ResetPasswordRequest) -> Result<Me, ApiError> {
    let url = "/api/password-resets/complete";
    json(send(with_bookmark(Request::post(url)).json(&request)).await?).await
}

/// A request carrying the latest bookmark, if there is one yet.
fn with_bookmark(builder: RequestBuilder) -> RequestBuilder {
    match BOOKMARK.with_borrow(Clone::clone) {
        Some(bookmark) => builder.header(BOOKMARK_HEADER, &bookmark),
        None => builder,
    }
}

/// Sends, keeps the answer's bookmark, and turns a 4xx/5xx into its [`ApiError`].
async fn send(request: Result<Request, gloo_net::Error>) -> Result<Response, ApiError> {
    let request = request.map_err(|e| internal(&e.to_string()))?;
    let response = request.send().await.map_err(|e| internal(&e.to_string()))?;
    if let Some(bookmark) = response
        .headers()
        .get(BOOKMARK_HEADER)
        .filter(|b| !b.is_empty())
    {
        BOOKMARK.set(Some(bookmark));
    }
    if response.ok() {
        Ok(response)
    } else {
        Err(error_of(response).await)
    }
}

async fn json<T: DeserializeOwned>(response: Response) -> Result<T, ApiError> {
    response
        .json::<T>()
        .await
        .map_err(|e| internal(&e.to_string()))
}

/// The error body the worker sent, or one made from the status when the body is not the JSON shape
/// (a proxy's HTML error page, an empty 502).
async fn error_of(response: Response) -> ApiError {
    let status = response.status();
    match response.json::<ApiError>().await {
        Ok(error) => error,
        Err(_) => {
            let code = match status {
                401 => ErrorCode::Unauthenticated,
                403 => ErrorCode::Forbidden,
                404 => ErrorCode::NotFound,
                429 => ErrorCode::RateLimited,
                _ => ErrorCode::Internal,
            };
            error(code, &format!("HTTP {status}"))
        }
    }
}

fn internal(message: &str) -> ApiError {
    error(ErrorCode::Internal, message)
}

fn error(code: ErrorCode, message: &str) -> ApiError {
    ApiError {
        error: ErrorBody {
            code,
            message: message.to_owned(),
            field: None,
            rules: Vec::new(),
        },
    }
}
