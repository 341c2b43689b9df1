//! Dispatch through the route table of `domain::routes`: match method and path (404, or 405 with
//! `Allow`), extract the principal for every non-public route, load the target and call
//! `authorize` for routes that need a permission, then run the handler with what it was granted.
//! Each handler reads: parse → domain → store → respond.

mod audit;
mod bulk;
mod clients;
mod dev;
mod invitations;
mod lifecycle;
mod own_account;
mod resets;
mod roles;
mod session;
mod sessions;
mod two_factor;
mod users;

use domain::access::{authorize, Scope, Target};
use domain::api::{ErrorCode, BOOKMARK_HEADER, CLOCK_HEADER, RECORD_HEADER};
use domain::routes::{match_route, Access, Args, Method, Miss, On, RouteId};
use domain::Timestamp;
use worker::{Context, Env, Request, Response};

use crate::auth::{self, Caller};
use crate::config::{Config, Mode};
use crate::error::Failure;
use crate::http;
use crate::store::Store;

/// What every handler gets: the request's store session, settings, clock reading and origin.
pub struct Cx {
    /// Bindings.
    pub env: Env,
    /// For work after the response (`wait_until`).
    pub ctx: Context,
    /// This request's D1 session.
    pub store: Store,
    /// Deployment settings.
    pub config: Config,
    /// The one clock reading of this request.
    pub now: Timestamp,
    /// The origin the request was addressed to.
    pub origin: String,
    /// The caller's IP, when known.
    pub ip: Option<String>,
    /// The caller's browser (for the audit log), at most 256 characters.
    pub user_agent: Option<String>,
}

impl Cx {
    /// A context for work after the answer (`wait_until`): the same request's bindings, clock,
    /// caller and settings, with a D1 session of its own on the primary (security state).
    pub fn for_later(&self) -> worker::Result<Cx> {
        use wasm_bindgen::JsCast;
        let js: &wasm_bindgen::JsValue = self.ctx.as_ref().as_ref();
        Ok(Cx {
            env: self.env.clone(),
            ctx: Context::new(js.clone().unchecked_into()),
            store: Store::open_primary(&self.env)?,
            config: self.config.clone(),
            now: self.now,
            origin: self.origin.clone(),
            ip: self.ip.clone(),
            user_agent: self.user_agent.clone(),
        })
    }

    /// The origin the service answers on (for the same-origin check): `PUBLIC_ORIGIN`, else the
    /// request's own.
    pub fn public_origin(&self) -> &str {
        self.config.public_origin.as_deref().unwrap_or(&self.origin)
    }

    /// The origin of links in mail: `PUBLIC_ORIGIN`; in local mode the request's own origin may
    /// stand in, never in production (a forged `Host` would otherwise put a stranger's address in
    /// front of a live token). Refused before anything is written.
    pub fn link_origin(&self) -> Result<&str, Failure> {
        // a link is a secret until it is delivered: its mail is sealed at rest, or not queued
        if !self.store.seals_mail() {
            worker::console_error!(
                "MAIL_KEYS is not set (or does not read): no mail with a link can be queued (set the Worker secret MAIL_KEYS = id:base64 32-byte key)"
            );
            return Err(Failure::code(ErrorCode::MailNotConfigured));
        }
        match (&self.config.public_origin, self.config.mode) {
            (Some(origin), _) => Ok(origin),
            (None, Mode::Local) => Ok(&self.origin),
            (None, Mode::Production) => {
                worker::console_error!(
                    "PUBLIC_ORIGIN is not set: no mail with a link can be queued (set it in wrangler.toml [vars])"
                );
                Err(Failure::code(ErrorCode::MailNotConfigured))
            }
        }
    }
}

/// What the route's access rule granted.
pub enum Granted {
    /// A public route: nobody in particular.
    Anyone,
    /// A signed-in caller.
    Caller(Caller),
    /// A signed-in caller authorised for one permission on one target.
    Scoped(Caller, Scope),
}

impl Granted {
    fn caller(self) -> Result<Caller, Failure> {
        match self {
            Granted::Caller(c) | Granted::Scoped(c, _) => Ok(c),
            Granted::Anyone => Err(Failure::Internal("route table: caller expected".into())),
        }
    }

    fn scoped(self) -> Result<(Caller, Scope), Failure> {
        match self {
            Granted::Scoped(c, s) => Ok((c, s)),
            _ => Err(Failure::Internal("route table: scope expected".into())),
        }
    }
}

/// Answers one request; never fails (errors become JSON answers).
pub async fn handle(mut req: Request, env: Env, ctx: Context, mut now: Timestamp) -> Response {
    let path = req.path();
    if let Some(to) = domain::routes::moved_link(&path) {
        // an old-style link: its token moves behind `#` (never logged here, never in a Referer)
        return http::moved_to(&to);
    }
    if !(path.starts_with("/api/") || path == "/api" || path.starts_with("/dev/")) {
        // only reached if the assets layer passed the request on; serve the SPA's files
        return match env.assets("ASSETS") {
            Ok(assets) => assets
                .fetch_request(req)
                .await
                .unwrap_or_else(|_| error_response(Failure::code(ErrorCode::NotFound))),
            Err(_) => error_response(Failure::code(ErrorCode::NotFound)),
        };
    }
    let method = Method::parse(req.method().as_ref());
    let (route, args) = match match_route(method, &path) {
        Ok(found) => found,
        Err(Miss::NotFound) => return error_response(Failure::code(ErrorCode::NotFound)),
        Err(Miss::MethodNotAllowed(allowed)) => {
            let mut resp = error_response(Failure::code(ErrorCode::MethodNotAllowed));
            let allow: Vec<&str> = allowed.iter().map(|m| m.as_str()).collect();
            let _ = resp.headers_mut().set("allow", &allow.join(", "));
            return resp;
        }
    };
    let bookmark = req.headers().get(BOOKMARK_HEADER).ok().flatten();
    // the operator's few calls read and write the primary only
    let store = match if route.access == Access::Operator {
        Store::open_primary(&env)
    } else {
        Store::open(&env, bookmark.as_deref())
    } {
        Ok(s) => s,
        Err(e) => return error_response(e.into()),
    };
    let origin = match http::request_origin(&req) {
        Ok(o) => o,
        Err(f) => return error_response(f),
    };
    let config = Config::from_env(&env);
    if config.mode == Mode::Local {
        if let Some(record) = req.headers().get(RECORD_HEADER).ok().flatten() {
            store.record_statements(&record);
        }
        // the test clock: local mode only, so tests move time instead of waiting or editing rows
        if let Some(at) = req.headers().get(CLOCK_HEADER).ok().flatten() {
            match at.parse::<i64>() {
                Ok(at) => now = Timestamp(at),
                Err(_) => return error_response(Failure::code(ErrorCode::FieldInvalid)),
            }
        }
    }
    let user_agent = req
        .headers()
        .get("user-agent")
        .ok()
        .flatten()
        .map(|ua| ua.chars().take(256).collect::<String>());
    let cx = Cx {
        config,
        ip: http::client_ip(&req),
        user_agent,
        env,
        ctx,
        store,
        now,
        origin,
    };
    let result = async {
        http::check_csrf(&req, cx.public_origin())?;
        let granted = grant(&cx, &req, route.access, &args).await?;
        dispatch(&cx, &mut req, route.id, granted, args).await
    }
    .await;
    let mut resp = result.unwrap_or_else(error_response);
    if let Some(b) = cx.store.bookmark() {
        let _ = resp.headers_mut().set(BOOKMARK_HEADER, &b);
    }
    if cx.config.mode == Mode::Local {
        let headers = resp.headers_mut();
        let _ = headers.set(ROWS_READ_HEADER, &cx.store.rows_read().to_string());
        let _ = headers.set(ROWS_WRITTEN_HEADER, &cx.store.rows_written().to_string());
    }
    http::harden(resp)
}

/// Local mode only: the D1 rows this request's queries read and wrote (benchmarks show them).
const ROWS_READ_HEADER: &str = "x-gatehouse-d1-rows-read";
const ROWS_WRITTEN_HEADER: &str = "x-gatehouse-d1-rows-written";

/// The API description and its page, generated by `make openapi` from `domain::api` and the route
/// table (a test fails when they are out of step).
const OPENAPI_JSON: &str = include_str!("../../openapi.json");
const API_REFERENCE: &str = include_str!("../../api-reference.html");

/// Checks the route's access rule; deny by default.
async fn grant(cx: &Cx, req: &Request, access: Access, args: &Args) -> Result<Granted, Failure> {
    match access {
        Access::Public | Access::LocalDev => Ok(Granted::Anyone),
        Access::Operator => {
            auth::operator(req, &cx.env)?;
            Ok(Granted::Anyone)
        }
        // sessions are read on the primary: a session ended by a deactivation, deletion or
        // password reset is refused on its next request in every region, never by a stale replica
        Access::Enrolling => Ok(Granted::Caller(
            auth::signed_in(req, &cx.store.primary(&cx.env)?, cx.now).await?,
        )),
        Access::SignedIn => Ok(Granted::Caller(auth::fully(
            auth::signed_in(req, &cx.store.primary(&cx.env)?, cx.now).await?,
        )?)),
        Access::Permission { permission, on } => {
            let caller =
                auth::fully(auth::signed_in(req, &cx.store.primary(&cx.env)?, cx.now).await?)?;
            let not_found = || Failure::code(ErrorCode::NotFound);
            let scope = match on {
                On::Company => authorize(
                    &caller.principal,
                    permission,
                    Target::Company(caller.principal.company()),
                ),
                On::Client | On::AccountsClient => {
                    let path = match on {
                        On::Client => {
                            let key = args.client.ok_or_else(not_found)?;
                            // the active and home clients came with the session: no query
                            let p = &caller.principal;
                            match [&p.active, &p.home].into_iter().find(|c| c.client() == key) {
                                Some(known) => Some(known.clone()),
                                None => cx.store.client_path(key).await?,
                            }
                        }
                        _ => {
                            let account = args.account.ok_or_else(not_found)?;
                            cx.store.account_client_path(account).await?
                        }
                    }
                    .ok_or_else(not_found)?;
                    authorize(&caller.principal, permission, Target::Client(&path))
                }
            }
            .map_err(auth::refused)?;
            Ok(Granted::Scoped(caller, scope))
        }
    }
}

/// One handler per route; the match is exhaustive, so a declared route without a handler does
/// not compile.
async fn dispatch(
    cx: &Cx,
    req: &mut Request,
    id: RouteId,
    granted: Granted,
    args: Args,
) -> Result<Response, Failure> {
    match id {
        RouteId::SessionGet => session::current(granted.caller()?),
        RouteId::SessionCreate => session::sign_in(cx, req).await,
        RouteId::SessionDelete => session::sign_out(cx, req).await,
        RouteId::SessionClient => session::switch_client(cx, req, granted.caller()?).await,
        RouteId::SessionSecondFactor => two_factor::second_step(cx, req).await,
        RouteId::TwoFactorEnrol => two_factor::enrol(cx, req, granted.caller()?).await,
        RouteId::TwoFactorConfirm => two_factor::confirm(cx, req, granted.caller()?).await,
        RouteId::TwoFactorDisable => two_factor::disable(cx, req, granted.caller()?).await,
        RouteId::PasswordChange => own_account::change_password(cx, req, granted.caller()?).await,
        RouteId::EmailChange => own_account::change_email(cx, req, granted.caller()?).await,
        RouteId::SessionList => sessions::own(cx, granted.caller()?).await,
        RouteId::SessionEnd => sessions::end_own(cx, req, granted.caller()?).await,
        RouteId::AccountSessions => sessions::of_account(cx, granted.scoped()?, args.account).await,
        RouteId::AccountSessionsEnd => {
            sessions::end_of_account(cx, req, granted.scoped()?, args.account).await
        }
        RouteId::ClientsList => clients::tree(cx, granted.caller()?).await,
        RouteId::ClientGet => clients::show(cx, granted.scoped()?).await,
        RouteId::ClientUpdate => clients::update(cx, req, granted.scoped()?).await,
        RouteId::ClientCreateChild => clients::create_child(cx, req, granted.scoped()?).await,
        RouteId::ClientSettingsGet => clients::settings(cx, granted.scoped()?).await,
        RouteId::ClientSettingsPut => clients::put_settings(cx, req, granted.scoped()?).await,
        RouteId::ClientUsers => users::list(cx, req, granted.scoped()?).await,
        RouteId::ClientUsernameSuggestion => {
            invitations::suggest_username(cx, req, granted.scoped()?).await
        }
        RouteId::ClientInvite => invitations::create(cx, req, granted.scoped()?).await,
        RouteId::ClientBulkAction => bulk::run(cx, req, granted.scoped()?).await,
        RouteId::AccountGet => users::show(cx, granted.scoped()?, args.account).await,
        RouteId::AccountAccessPut => {
            users::put_access(cx, req, granted.scoped()?, args.account).await
        }
        RouteId::AccountInvitationResend => {
            invitations::resend(cx, granted.scoped()?, args.account).await
        }
        RouteId::AccountInvitationCancel => {
            invitations::cancel(cx, granted.scoped()?, args.account).await
        }
        RouteId::AccountUpdate => lifecycle::edit(cx, req, granted.scoped()?, args.account).await,
        RouteId::AccountDeactivate => {
            lifecycle::deactivate(cx, granted.scoped()?, args.account).await
        }
        RouteId::AccountActivate => lifecycle::activate(cx, granted.scoped()?, args.account).await,
        RouteId::AccountDelete => lifecycle::delete(cx, granted.scoped()?, args.account).await,
        RouteId::AccountReset => {
            lifecycle::reset_account(cx, granted.scoped()?, args.account).await
        }
        RouteId::AccountPasswordReset => {
            lifecycle::password_reset(cx, granted.scoped()?, args.account).await
        }
        RouteId::AccountSecurityReport => {
            lifecycle::security_report(cx, granted.scoped()?, args.account).await
        }
        RouteId::AccountInvitationLink => {
            lifecycle::copy_link(cx, granted.scoped()?, args.account).await
        }
        RouteId::AccountAudit => {
            audit::account_history(cx, req, granted.scoped()?, args.account).await
        }
        RouteId::ClientAudit => audit::client_log(cx, req, granted.scoped()?).await,
        RouteId::PasswordResetRequest => resets::request(cx, req).await,
        RouteId::PasswordResetShow => resets::show(cx, req).await,
        RouteId::PasswordResetComplete => resets::complete(cx, req).await,
        RouteId::OperatorDeletedAccounts => lifecycle::deleted_accounts(cx).await,
        RouteId::OperatorRecover => lifecycle::recover(cx, args.account).await,
        RouteId::RolesList => roles::list(cx, granted.scoped()?).await,
        RouteId::RoleCreate => roles::create(cx, req, granted.scoped()?).await,
        RouteId::RoleUpdate => roles::update(cx, req, granted.scoped()?, args.role).await,
        RouteId::RoleDelete => roles::delete(cx, granted.scoped()?, args.role).await,
        RouteId::InvitationShow => invitations::show(cx, req).await,
        RouteId::InvitationAccept => invitations::accept(cx, req).await,
        RouteId::InvitationNewLinkRequest => invitations::request_new_link(cx, req).await,
        RouteId::OpenApiJson => http::document("application/json; charset=utf-8", OPENAPI_JSON),
        RouteId::ApiReference => http::document("text/html; charset=utf-8", API_REFERENCE),
        RouteId::DevOutbox => dev::outbox_page(cx, req).await,
        RouteId::DevOutboxJson => dev::outbox_json(cx, req).await,
        RouteId::DevAuditJson => dev::audit_json(cx, req).await,
        RouteId::DevBench => dev::bench(cx, req, &args.what.clone().unwrap_or_default()),
        RouteId::DevQueryPlans => dev::query_plans(cx, req).await,
    }
}

/// The audit statement for an administrative change by the caller in `client` (a client key or
/// the company's), usually batched with the change.
pub fn audited(
    cx: &Cx,
    caller: &Caller,
    client: domain::ClientKey,
    action: &'static str,
    subject: Option<domain::AccountId>,
) -> Result<crate::store::Stmt, Failure> {
    let client = client.to_string();
    Ok(cx.store.audit(&crate::store::audit::AuditEvent {
        id: crate::random::bytes(),
        client: Some(&client),
        actor: Some(caller.principal.account),
        action,
        subject,
        ip: cx.ip.as_deref(),
        at: cx.now,
    })?)
}

fn error_response(f: Failure) -> Response {
    let (status, body, retry_after) = f.into_parts();
    let mut resp = http::json(status, &body).unwrap_or_else(|_| {
        http::secured(Response::error("internal error", 500).expect("static response"))
    });
    if let Some(seconds) = retry_after {
        let _ = resp.headers_mut().set("retry-after", &seconds.to_string());
    }
    resp
}
