//! The local dev outbox: every mail the app "sent", readable in the browser and by tests.
//! Answers 404 outside local mode, and only to loopback hosts even then.

use domain::api::ErrorCode;
use domain::i18n::escape_html;
use worker::{Request, Response};

use super::Cx;
use crate::config::{MailProvider, Mode};
use crate::error::Failure;
use crate::http;

const SHOWN: u32 = 200;

/// Local mode with the dev outbox, asked for by a loopback name: the `Host` header is checked, not
/// only the URL (which `wrangler dev` rewrites to its own address), so a page on another name that
/// resolves to 127.0.0.1 (DNS rebinding) cannot read the outbox.
fn allowed(cx: &Cx, req: &Request) -> Result<(), Failure> {
    let host_header = req.headers().get("host")?;
    let url_host = cx.origin.split("://").nth(1).unwrap_or_default();
    let local = cx.config.mode == Mode::Local && cx.config.mail_provider == MailProvider::DevOutbox;
    if local && is_loopback(url_host) && host_header.as_deref().is_none_or(is_loopback) {
        Ok(())
    } else {
        Err(Failure::code(ErrorCode::NotFound))
    }
}

/// Exactly a loopback name, with or without a port: `localhost.example.com` is not.
fn is_loopback(authority: &str) -> bool {
    let host = match authority.rsplit_once(':') {
        Some((host, port)) if !port.is_empty() && port.bytes().all(|b| b.is_ascii_digit()) => host,
        _ => authority,
    };
    matches!(host, "127.0.0.1" | "localhost" | "[::1]")
}

/// One statement and SQLite's plan for it.
#[derive(serde::Serialize)]
struct QueryPlan {
    sql: String,
    /// The `detail` column of `EXPLAIN QUERY PLAN`, one line per step (`SEARCH accounts USING
    /// INDEX …`, `SCAN …`).
    plan: Vec<String>,
}

/// `GET /dev/query-plans?record=NAME`: every distinct statement prepared by requests sent with
/// `x-gatehouse-record: NAME`, with its query plan, so a test can prove that the paths it drove
/// never scan a table.
pub async fn query_plans(cx: &Cx, req: &Request) -> Result<Response, Failure> {
    allowed(cx, req)?;
    #[derive(serde::Deserialize)]
    struct Step {
        detail: String,
    }
    let mut plans = Vec::new();
    let url = req.url()?;
    let record = url
        .query_pairs()
        .find(|(k, _)| k == "record")
        .map(|(_, v)| v.into_owned())
        .unwrap_or_default();
    for sql in crate::store::seen_statements(&record) {
        // the plan does not depend on the values, so every parameter is NULL
        let params = vec![wasm_bindgen::JsValue::NULL; highest_parameter(&sql)];
        let steps: Vec<Step> = cx
            .store
            .rows(
                cx.store
                    .prepare(&format!("EXPLAIN QUERY PLAN {sql}"))
                    .bind(&params)?,
            )
            .await?;
        plans.push(QueryPlan {
            sql,
            plan: steps.into_iter().map(|s| s.detail).collect(),
        });
    }
    http::json(200, &plans)
}

/// The highest `?N` in a statement (its parameter count).
fn highest_parameter(sql: &str) -> usize {
    sql.split('?')
        .skip(1)
        .filter_map(|rest| {
            let digits: String = rest.chars().take_while(char::is_ascii_digit).collect();
            digits.parse::<usize>().ok()
        })
        .max()
        .unwrap_or(0)
}

/// A query parameter's value.
fn param(req: &Request, name: &str) -> Result<Option<String>, Failure> {
    Ok(req
        .url()?
        .query_pairs()
        .find(|(k, _)| k == name)
        .map(|(_, v)| v.into_owned()))
}

/// `GET /dev/outbox.json[?to=<address>]`: the newest mail first.
pub async fn outbox_json(cx: &Cx, req: &Request) -> Result<Response, Failure> {
    allowed(cx, req)?;
    let to = param(req, "to")?;
    http::json(200, &cx.store.recent_mail(SHOWN, to.as_deref()).await?)
}

/// `GET /dev/audit.json[?subject=<account id>]`: the newest audit events, so a developer (and the tests) can see what
/// was recorded; never outside local mode.
pub async fn audit_json(cx: &Cx, req: &Request) -> Result<Response, Failure> {
    allowed(cx, req)?;
    let subject = param(req, "subject")?;
    http::json(
        200,
        &cx.store
            .recent_audit_events(SHOWN * 5, subject.as_deref())
            .await?,
    )
}

/// `GET /dev/outbox`: the same as a page, each mail's HTML body in a sandboxed frame.
pub async fn outbox_page(cx: &Cx, req: &Request) -> Result<Response, Failure> {
    allowed(cx, req)?;
    let to = param(req, "to")?;
    let mails = cx.store.recent_mail(SHOWN, to.as_deref()).await?;
    let mut items = String::new();
    for m in &mails {
        items.push_str(&format!(
            "<article><header><h2>{subject}</h2><p>To <b>{to}</b> · {status} · <time data-ms=\"{at}\"></time></p></header>\
             <iframe sandbox=\"allow-popups allow-popups-to-escape-sandbox allow-top-navigation-by-user-activation\" srcdoc=\"{html}\" title=\"{subject}\"></iframe>\
             <details><summary>Plain text</summary><pre>{text}</pre></details></article>",
            subject = escape_html(&m.subject),
            to = escape_html(&m.to),
            status = escape_html(&m.status),
            at = m.created_at.0,
            html = escape_html(&m.html),
            text = escape_html(&m.text),
        ));
    }
    if mails.is_empty() {
        items.push_str("<p class=\"empty\">No mail yet. Invite someone and it shows up here.</p>");
    }
    let page = format!(
        "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width\">\
<title>Dev outbox · Gatehouse</title><style>\
body{{font-family:system-ui,sans-serif;margin:0;background:#f3f4f6;color:#111827}}\
main{{max-width:860px;margin:0 auto;padding:24px}}h1{{font-size:22px}}\
article{{background:#fff;border:1px solid #e5e7eb;border-radius:10px;margin:16px 0;padding:16px}}\
article h2{{font-size:17px;margin:0}}article p{{margin:4px 0 12px;color:#4b5563;font-size:14px}}\
iframe{{width:100%;height:340px;border:1px solid #e5e7eb;border-radius:6px}}pre{{white-space:pre-wrap}}\
.note{{color:#6b7280;font-size:14px}}</style></head><body><main><h1>Dev outbox</h1>\
<p class=\"note\">Local mode only: mail Gatehouse would have sent, newest first ({count}).</p>{items}</main>\
<script>for(const t of document.querySelectorAll('time[data-ms]'))t.textContent=new Date(+t.dataset.ms).toLocaleString();</script></body></html>",
        count = mails.len(),
    );
    let mut resp = http::secured(Response::from_html(page)?);
    // this page needs its own inline style and script, and frames for the mails
    resp.headers_mut().set(
        "content-security-policy",
        "default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; frame-src 'self'; img-src data:; frame-ancestors 'none'",
    )?;
    Ok(resp)
}

/// `GET /dev/bench/argon2` hashes one password as sign-in and accept do; `GET /dev/bench/noop` does
/// nothing. `make bench` times both from outside workerd: the difference is argon2id's cost in the
/// worker (workerd's clock does not advance during synchronous work, so the worker cannot time it).
pub fn bench(cx: &Cx, req: &Request, what: &str) -> Result<Response, Failure> {
    allowed(cx, req)?;
    match what {
        "argon2" => {
            let password = domain::password::Password::new("Bench-Password-2026!");
            crate::passwords::hash(cx.config.argon2, &password, crate::random::bytes())
                .map_err(Failure::Internal)?;
            http::no_content()
        }
        "noop" => http::no_content(),
        _ => Err(Failure::code(ErrorCode::NotFound)),
    }
}
