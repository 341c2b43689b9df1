//! `/api/users`: the signed-in admin's client's accounts, newest first, keyset paginated.

use domain::api::{Cursor, ErrorCode, UserListQuery};
use domain::{AccountStatus, Permission};
use worker::{Request, Response};

use super::Cx;
use crate::error::Failure;
use crate::{auth, http};

/// `GET /api/users?status=&cursor=&limit=`.
pub async fn list(cx: &Cx, req: &Request) -> Result<Response, Failure> {
    let session = auth::permitted(req, &cx.store, cx.now, Permission::ViewAccounts).await?;
    let query = parse_query(req)?;
    let cursor = match query.cursor.as_deref() {
        Some(text) => {
            Some(Cursor::decode(text).ok_or(Failure::field(ErrorCode::FieldInvalid, "cursor"))?)
        }
        None => None,
    };
    let page = cx
        .store
        .users_page(
            &session.client_db_id,
            query.status,
            cursor,
            query.limit(),
            cx.now,
        )
        .await?;
    http::json(200, &page)
}

fn parse_query(req: &Request) -> Result<UserListQuery, Failure> {
    let url = req.url()?;
    let mut query = UserListQuery::default();
    for (key, value) in url.query_pairs() {
        match key.as_ref() {
            "status" if value.is_empty() => {}
            "status" => {
                query.status = Some(
                    AccountStatus::parse(&value)
                        .ok_or(Failure::field(ErrorCode::FieldInvalid, "status"))?,
                )
            }
            "cursor" if !value.is_empty() => query.cursor = Some(value.into_owned()),
            "limit" => {
                query.limit = Some(
                    value
                        .parse()
                        .map_err(|_| Failure::field(ErrorCode::FieldInvalid, "limit"))?,
                )
            }
            _ => {}
        }
    }
    Ok(query)
}
