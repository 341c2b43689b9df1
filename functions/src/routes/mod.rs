//! The route table: every path the worker answers, each method it accepts, JSON errors for the rest.
//! Each handler reads: authorise → parse → domain → store → respond.

mod dev;
mod invitations;
mod session;
mod users;

use domain::api::{ErrorCode, BOOKMARK_HEADER};
use domain::Timestamp;
use worker::{Context, Env, Method, Request, Response};

use crate::config::Config;
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
}

impl Cx {
    /// The origin links in mail point to.
    pub fn public_origin(&self) -> &str {
        self.config.public_origin.as_deref().unwrap_or(&self.origin)
    }
}

enum Route {
    Session,
    Users,
    Invitations,
    Invitation(String),
    AcceptInvitation(String),
    DevOutbox,
    DevOutboxJson,
    DevAuditJson,
    DevBench(String),
    ApiNotFound,
    Asset,
}

impl Route {
    fn of(path: &str) -> Route {
        let parts: Vec<&str> = path.trim_end_matches('/').split('/').skip(1).collect();
        match parts.as_slice() {
            ["api", "session"] => Route::Session,
            ["api", "users"] => Route::Users,
            ["api", "invitations"] => Route::Invitations,
            ["api", "invitations", token] => Route::Invitation(token.to_string()),
            ["api", "invitations", token, "accept"] => Route::AcceptInvitation(token.to_string()),
            ["dev", "outbox"] => Route::DevOutbox,
            ["dev", "outbox.json"] => Route::DevOutboxJson,
            ["dev", "audit.json"] => Route::DevAuditJson,
            ["dev", "bench", what] => Route::DevBench(what.to_string()),
            ["api", ..] | ["dev", ..] => Route::ApiNotFound,
            _ => Route::Asset,
        }
    }
}

/// Answers one request; never fails (errors become JSON answers).
pub async fn handle(mut req: Request, env: Env, ctx: Context, now: Timestamp) -> Response {
    let route = Route::of(&req.path());
    if let Route::Asset = route {
        // only reached if the assets layer passed the request on; serve the SPA's files
        return match env.assets("ASSETS") {
            Ok(assets) => assets
                .fetch_request(req)
                .await
                .unwrap_or_else(|_| error_response(Failure::code(ErrorCode::NotFound))),
            Err(_) => error_response(Failure::code(ErrorCode::NotFound)),
        };
    }
    let bookmark = req.headers().get(BOOKMARK_HEADER).ok().flatten();
    let store = match Store::open(&env, bookmark.as_deref()) {
        Ok(s) => s,
        Err(e) => return error_response(e.into()),
    };
    let origin = match http::request_origin(&req) {
        Ok(o) => o,
        Err(f) => return error_response(f),
    };
    let cx = Cx {
        config: Config::from_env(&env),
        ip: http::client_ip(&req),
        env,
        ctx,
        store,
        now,
        origin,
    };
    let result = match http::check_csrf(
        &req,
        cx.config.public_origin.as_deref().unwrap_or(&cx.origin),
    ) {
        Ok(()) => dispatch(&cx, &mut req, route).await,
        Err(f) => Err(f),
    };
    let mut resp = result.unwrap_or_else(error_response);
    if let Some(b) = cx.store.bookmark() {
        let _ = resp.headers_mut().set(BOOKMARK_HEADER, &b);
    }
    resp
}

async fn dispatch(cx: &Cx, req: &mut Request, route: Route) -> Result<Response, Failure> {
    let method = req.method();
    match (route, method) {
        (Route::Session, Method::Get) => session::current(cx, req).await,
        (Route::Session, Method::Post) => session::sign_in(cx, req).await,
        (Route::Session, Method::Delete) => session::sign_out(cx, req).await,
        (Route::Users, Method::Get) => users::list(cx, req).await,
        (Route::Invitations, Method::Post) => invitations::create(cx, req).await,
        (Route::Invitation(token), Method::Get) => invitations::show(cx, &token).await,
        (Route::AcceptInvitation(token), Method::Post) => {
            invitations::accept(cx, req, &token).await
        }
        (Route::DevOutbox, Method::Get) => dev::outbox_page(cx, req).await,
        (Route::DevOutboxJson, Method::Get) => dev::outbox_json(cx, req).await,
        (Route::DevAuditJson, Method::Get) => dev::audit_json(cx, req).await,
        (Route::DevBench(what), Method::Get) => dev::bench(cx, req, &what),
        (Route::ApiNotFound, _) => Err(Failure::code(ErrorCode::NotFound)),
        _ => Err(Failure::code(ErrorCode::MethodNotAllowed)),
    }
}

fn error_response(f: Failure) -> Response {
    let (status, body, retry_after) = f.into_parts();
    let mut resp = http::json(status, &body)
        .unwrap_or_else(|_| Response::error("internal error", 500).expect("static response"));
    if let Some(seconds) = retry_after {
        let _ = resp.headers_mut().set("retry-after", &seconds.to_string());
    }
    resp
}
