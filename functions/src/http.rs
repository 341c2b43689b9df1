//! HTTP plumbing shared by every route: JSON in and out, CSRF, cookies, security headers.

use domain::api::{ErrorCode, MAX_BODY_BYTES};
use serde::{de::DeserializeOwned, Serialize};
use worker::{Headers, Method, Request, Response};

use crate::error::Failure;

/// The session cookie. `__Host-` makes the browser insist on Secure, Path=/ and no Domain.
pub const SESSION_COOKIE: &str = "__Host-gatehouse_session";

/// Reads a JSON body: must be `application/json`, at most [`MAX_BODY_BYTES`] long, and parse as
/// `T`.
pub async fn read_json<T: DeserializeOwned>(req: &mut Request) -> Result<T, Failure> {
    read_json_up_to(req, MAX_BODY_BYTES).await
}

/// [`read_json`] with a larger limit, for the one route that takes a long list (bulk actions).
pub async fn read_json_up_to<T: DeserializeOwned>(
    req: &mut Request,
    limit: usize,
) -> Result<T, Failure> {
    let content_type = req.headers().get("content-type")?.unwrap_or_default();
    if !domain::api::is_json_content_type(&content_type) {
        return Err(Failure::code(ErrorCode::UnsupportedMediaType));
    }
    let declared = req
        .headers()
        .get("content-length")?
        .and_then(|v| v.parse::<usize>().ok());
    if declared.is_some_and(|n| n > limit) {
        return Err(Failure::code(ErrorCode::PayloadTooLarge));
    }
    // counted while it streams in: a body past the limit (a lying or missing Content-Length
    // included) is refused at the chunk that crosses it, never buffered whole, and before any
    // handler work (argon2) starts
    let mut bytes = Vec::with_capacity(declared.unwrap_or(0).min(limit));
    if let Ok(mut stream) = req.stream() {
        use futures_util::StreamExt;
        while let Some(chunk) = stream.next().await {
            let chunk = chunk.map_err(|_| Failure::code(ErrorCode::MalformedJson))?;
            if bytes.len() + chunk.len() > limit {
                return Err(Failure::code(ErrorCode::PayloadTooLarge));
            }
            bytes.extend_from_slice(&chunk);
        }
    }
    serde_json::from_slice(&bytes).map_err(|_| Failure::code(ErrorCode::MalformedJson))
}

/// Refuses cross-site state changes: a browser must say same-origin (`Sec-Fetch-Site`), any other
/// client must send an `Origin` equal to ours. A request with neither is refused too.
pub fn check_csrf(req: &Request, own_origin: &str) -> Result<(), Failure> {
    if matches!(req.method(), Method::Get | Method::Head | Method::Options) {
        return Ok(());
    }
    let headers = req.headers();
    let site = headers.get("sec-fetch-site")?;
    let origin = headers.get("origin")?;
    let allowed = match (site.as_deref(), origin.as_deref()) {
        (Some(site), Some(origin)) => site == "same-origin" && origin == own_origin,
        (Some(site), None) => site == "same-origin",
        (None, Some(origin)) => origin == own_origin,
        (None, None) => false,
    };
    if allowed {
        Ok(())
    } else {
        Err(Failure::code(ErrorCode::CsrfRejected))
    }
}

/// The origin this request was addressed to (`http://127.0.0.1:8787`).
pub fn request_origin(req: &Request) -> Result<String, Failure> {
    let url = req.url()?;
    Ok(url.origin().ascii_serialization())
}

/// A cookie value from the request.
pub fn cookie(req: &Request, name: &str) -> Option<String> {
    let header = req.headers().get("cookie").ok().flatten()?;
    header.split(';').find_map(|pair| {
        let (k, v) = pair.trim().split_once('=')?;
        (k == name).then(|| v.to_string())
    })
}

/// `Set-Cookie` for a new session token.
pub fn session_cookie(token: &str, max_age_seconds: i64) -> String {
    format!("{SESSION_COOKIE}={token}; Path=/; HttpOnly; Secure; SameSite=Strict; Max-Age={max_age_seconds}")
}

/// The cookie that holds a sign-in waiting for its second factor (its own token, never a session).
pub const CHALLENGE_COOKIE: &str = "__Host-gatehouse_2fa";

/// `Set-Cookie` for a sign-in waiting for its code.
pub fn challenge_cookie(token: &str, max_age_seconds: i64) -> String {
    format!("{CHALLENGE_COOKIE}={token}; Path=/; HttpOnly; Secure; SameSite=Strict; Max-Age={max_age_seconds}")
}

/// The cookie of a browser that signed in to an account before (see `domain::throttle`).
pub const DEVICE_COOKIE: &str = "__Host-gatehouse_device";

/// `Set-Cookie` for a device cookie: 400 days, the longest browsers keep one.
pub fn device_cookie(token: &str) -> String {
    format!("{DEVICE_COOKIE}={token}; Path=/; HttpOnly; Secure; SameSite=Strict; Max-Age=34560000")
}

/// `Set-Cookie` that removes the challenge cookie.
pub fn clear_challenge_cookie() -> String {
    format!("{CHALLENGE_COOKIE}=; Path=/; HttpOnly; Secure; SameSite=Strict; Max-Age=0")
}

/// `Set-Cookie` that removes the session cookie.
pub fn clear_session_cookie() -> String {
    format!("{SESSION_COOKIE}=; Path=/; HttpOnly; Secure; SameSite=Strict; Max-Age=0")
}

/// The caller's IP as Cloudflare reports it (for rate limits and the audit log).
pub fn client_ip(req: &Request) -> Option<String> {
    req.headers().get("cf-connecting-ip").ok().flatten()
}

/// A JSON response with the API's standard headers.
pub fn json<T: Serialize>(status: u16, body: &T) -> Result<Response, Failure> {
    let text = serde_json::to_string(body).map_err(|e| Failure::Internal(e.to_string()))?;
    let headers = Headers::new();
    headers.set("content-type", "application/json; charset=utf-8")?;
    Ok(secured(
        Response::ok(text)?
            .with_status(status)
            .with_headers(headers),
    ))
}

/// A static document (the API description, its page): cacheable for a while, and for the page an
/// inline style but never a script.
pub fn document(content_type: &str, body: &str) -> Result<Response, Failure> {
    let mut resp = secured(Response::ok(body)?);
    let h = resp.headers_mut();
    h.set("content-type", content_type)?;
    h.set("cache-control", "public, max-age=300")?;
    h.set(
        "content-security-policy",
        "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'",
    )?;
    Ok(resp)
}

/// A `302` to a path of this origin, never cached (the old-style link redirect).
pub fn moved_to(location: &str) -> Response {
    match Response::empty() {
        Ok(resp) => {
            let mut resp = secured(resp.with_status(302));
            let _ = resp.headers_mut().set("location", location);
            resp
        }
        Err(_) => harden(Response::error("internal error", 500).expect("static response")),
    }
}

/// An empty 202 response: taken in, the outcome is not told.
pub fn accepted() -> Result<Response, Failure> {
    Ok(secured(Response::empty()?.with_status(202)))
}

/// An empty 204 response.
pub fn no_content() -> Result<Response, Failure> {
    Ok(secured(Response::empty()?.with_status(204)))
}

/// Adds the headers every API answer carries: nothing cached, and the hardening of
/// [`harden`].
pub fn secured(mut resp: Response) -> Response {
    let _ = resp.headers_mut().set("cache-control", "no-store");
    harden(resp)
}

/// The browser-hardening headers of `domain::headers` on any answer of the worker; a
/// Content-Security-Policy the answer set itself (the API page, the dev outbox) is kept.
pub fn harden(mut resp: Response) -> Response {
    let h = resp.headers_mut();
    for (name, value) in domain::headers::HARDENING {
        let _ = h.set(name, value);
    }
    if !h.has("content-security-policy").unwrap_or(false) {
        let _ = h.set("content-security-policy", domain::headers::API_CSP);
    }
    resp
}
