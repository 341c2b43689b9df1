//! The published API contract, generated from the code (feature `openapi`, native only): every
//! route of [`crate::routes::ROUTES`] except the local-mode ones, with its access rule, path
//! parameters, request and response types from [`crate::api`], and the one error shape. The
//! route → types mapping is an exhaustive match, so a new route does not compile until it is
//! described; `tests` checks that the committed `openapi.json` equals what this generates.

use utoipa::openapi::path::{OperationBuilder, ParameterBuilder, ParameterIn};
use utoipa::openapi::request_body::RequestBodyBuilder;
use utoipa::openapi::schema::{ComponentsBuilder, ObjectBuilder, Schema, Type};
use utoipa::openapi::{
    ContentBuilder, HttpMethod, InfoBuilder, OpenApi, OpenApiBuilder, PathsBuilder, Ref, RefOr,
    Required, ResponseBuilder,
};
use utoipa::ToSchema;

use crate::api::{
    AcceptRequest, AccessRequest, AccountView, ApiError, AuditPage, AuditQuery, BulkReport,
    BulkRequest, ClientDetail, ClientNode, ClientTree, CopiedLink, CreateClientRequest,
    DeletedAccounts, ForgotPasswordRequest, InvitationView, InviteRequest, InviteResponse,
    LinkTokenRequest, LoginRequest, Me, ResetPasswordRequest, ResetView, RoleList, RoleRequest,
    RoleView, SettingsView, SwitchClientRequest, UpdateAccountRequest, UpdateClientRequest,
    UserListQuery, UserPage, UserRow, UsernameSuggestion, UsernameSuggestionQuery,
};
use crate::routes::{Access, Method, On, RouteId, ROUTES};
use crate::settings::SettingsOverrides;

type Schemas = Vec<(String, RefOr<Schema>)>;

/// A link token's shape in examples (43 base64url characters).
const EXAMPLE_TOKEN: &str = "q9JkGx0eP6Q1a4m0Yt3wZ8cR2vB5nL7sD1fH3jK5lM8";

/// A type in the description: its name, and registering it (and what it uses) as components.
#[derive(Clone, Copy)]
struct Body {
    name: fn() -> String,
    register: fn(&mut Schemas),
}

fn body<T: ToSchema>() -> Body {
    Body {
        name: || T::name().into_owned(),
        register: |schemas| {
            schemas.push((T::name().into_owned(), T::schema()));
            T::schemas(schemas);
        },
    }
}

/// What one route takes and answers on success.
struct Contract {
    /// The JSON request body.
    request: Option<Body>,
    /// Query parameters, as the fields of this type.
    query: Option<Body>,
    /// Success status and its body.
    ok: (u16, Answer),
    /// Another success status with the same body, and what it means.
    also: Option<(u16, &'static str)>,
    /// Another success status with a body of its own, and what it means.
    other: Option<(u16, Body, &'static str)>,
}

/// A success answer's body.
enum Answer {
    /// JSON of this type.
    Json(Body),
    /// None (204).
    Empty,
    /// A document of this media type that is not an API type (this description, its page).
    Document(&'static str),
}

fn answer<T: ToSchema>() -> Answer {
    Answer::Json(body::<T>())
}

const fn contract(request: Option<Body>, ok: (u16, Answer)) -> Contract {
    Contract {
        request,
        query: None,
        ok,
        also: None,
        other: None,
    }
}

/// The contract of each published route; `None` for the local-mode routes that production
/// answers with 404. Exhaustive: a new route must be described here.
fn contract_of(id: RouteId) -> Option<Contract> {
    use RouteId::*;
    Some(match id {
        SessionGet => contract(None, (200, answer::<Me>())),
        SessionCreate => Contract {
            other: Some((
                202,
                body::<crate::api::SecondFactorRequired>(),
                "The password was right and the account has a second factor: no session yet; send the code to `POST /api/session/second-factor`",
            )),
            ..contract(Some(body::<LoginRequest>()), (200, answer::<Me>()))
        },
        SessionSecondFactor => contract(
            Some(body::<crate::api::SecondFactorRequest>()),
            (200, answer::<Me>()),
        ),
        TwoFactorEnrol => contract(
            Some(body::<crate::api::ReauthRequest>()),
            (200, answer::<crate::api::TwoFactorEnrolment>()),
        ),
        TwoFactorConfirm => contract(
            Some(body::<crate::api::SecondFactorRequest>()),
            (200, answer::<crate::api::TwoFactorEnabled>()),
        ),
        TwoFactorDisable => contract(
            Some(body::<crate::api::ReauthRequest>()),
            (204, Answer::Empty),
        ),
        PasswordChange => contract(
            Some(body::<crate::api::PasswordChangeRequest>()),
            (200, answer::<Me>()),
        ),
        EmailChange => contract(
            Some(body::<crate::api::EmailChangeRequest>()),
            (200, answer::<Me>()),
        ),
        SessionList | AccountSessions => {
            contract(None, (200, answer::<crate::api::SessionList>()))
        }
        SessionEnd | AccountSessionsEnd => contract(
            Some(body::<crate::api::EndSessionsRequest>()),
            (200, answer::<crate::api::EndedSessions>()),
        ),
        SessionDelete => contract(None, (204, Answer::Empty)),
        SessionClient => contract(Some(body::<SwitchClientRequest>()), (200, answer::<Me>())),
        ClientsList => contract(None, (200, answer::<ClientTree>())),
        ClientGet => contract(None, (200, answer::<ClientDetail>())),
        ClientUpdate => contract(
            Some(body::<UpdateClientRequest>()),
            (200, answer::<ClientNode>()),
        ),
        ClientCreateChild => contract(
            Some(body::<CreateClientRequest>()),
            (201, answer::<ClientNode>()),
        ),
        ClientSettingsGet => contract(None, (200, answer::<SettingsView>())),
        ClientSettingsPut => contract(
            Some(body::<SettingsOverrides>()),
            (200, answer::<SettingsView>()),
        ),
        ClientUsers => Contract {
            request: None,
            query: Some(body::<UserListQuery>()),
            ok: (200, answer::<UserPage>()),
            also: None,
            other: None,
        },
        ClientUsernameSuggestion => Contract {
            request: None,
            query: Some(body::<UsernameSuggestionQuery>()),
            ok: (200, answer::<UsernameSuggestion>()),
            also: None,
            other: None,
        },
        ClientInvite => Contract {
            also: Some((
                200,
                "The address already had an account that had not registered: a new link went out (`resent: true`)",
            )),
            ..contract(
                Some(body::<InviteRequest>()),
                (201, answer::<InviteResponse>()),
            )
        },
        AccountGet => contract(None, (200, answer::<AccountView>())),
        AccountAccessPut => contract(
            Some(body::<AccessRequest>()),
            (200, answer::<AccountView>()),
        ),
        AccountInvitationResend | AccountInvitationCancel => {
            contract(None, (200, answer::<UserRow>()))
        }
        AccountUpdate => contract(
            Some(body::<UpdateAccountRequest>()),
            (200, answer::<AccountView>()),
        ),
        AccountDeactivate | AccountActivate | AccountReset | AccountPasswordReset
        | AccountSecurityReport => {
            contract(None, (200, answer::<UserRow>()))
        }
        AccountDelete => contract(None, (204, Answer::Empty)),
        AccountInvitationLink => contract(None, (200, answer::<CopiedLink>())),
        AccountAudit => contract(None, (200, answer::<AuditPage>())),
        ClientBulkAction => contract(
            Some(body::<BulkRequest>()),
            (200, answer::<BulkReport>()),
        ),
        ClientAudit => Contract {
            request: None,
            query: Some(body::<AuditQuery>()),
            ok: (200, answer::<AuditPage>()),
            also: None,
            other: None,
        },
        InvitationNewLinkRequest => contract(Some(body::<LinkTokenRequest>()), (202, Answer::Empty)),
        PasswordResetRequest => contract(
            Some(body::<ForgotPasswordRequest>()),
            (202, Answer::Empty),
        ),
        PasswordResetShow => contract(Some(body::<LinkTokenRequest>()), (200, answer::<ResetView>())),
        PasswordResetComplete => contract(
            Some(body::<ResetPasswordRequest>()),
            (200, answer::<Me>()),
        ),
        OperatorDeletedAccounts => contract(None, (200, answer::<DeletedAccounts>())),
        OperatorRecover => contract(None, (200, answer::<AccountView>())),
        RolesList => contract(None, (200, answer::<RoleList>())),
        RoleCreate => contract(Some(body::<RoleRequest>()), (201, answer::<RoleView>())),
        RoleUpdate => contract(Some(body::<RoleRequest>()), (200, answer::<RoleView>())),
        RoleDelete => contract(None, (204, Answer::Empty)),
        InvitationShow => contract(
            Some(body::<LinkTokenRequest>()),
            (200, answer::<InvitationView>()),
        ),
        InvitationAccept => contract(Some(body::<AcceptRequest>()), (200, answer::<Me>())),
        OpenApiJson => contract(None, (200, Answer::Document("application/json"))),
        ApiReference => contract(None, (200, Answer::Document("text/html"))),
        DevOutbox | DevOutboxJson | DevAuditJson | DevBench | DevQueryPlans => return None,
    })
}

/// Every error code, from its schema (the enum's values), with its HTTP status.
fn error_codes() -> Vec<(String, u16)> {
    use crate::api::ErrorCode;
    let schema = serde_json::to_value(<ErrorCode as utoipa::PartialSchema>::schema())
        .expect("schema serialises");
    schema["enum"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|v| {
            let code: ErrorCode = serde_json::from_value(v.clone()).ok()?;
            Some((v.as_str()?.to_owned(), code.status()))
        })
        .collect()
}

/// A request body as a person would send it, built from the API types themselves (so an example
/// cannot drift from the contract).
fn example_of(id: RouteId) -> Option<serde_json::Value> {
    use crate::access::ClientAccess;
    use crate::i18n::Lang;
    use crate::ids::{ClientKey, RoleId};
    use crate::permissions::{Permission, PermissionSet};
    use crate::time::Ttl;
    use RouteId::*;
    let client = || ClientKey::parse("0b9a3c1e-5f2d-4c7a-9e8b-1d2c3b4a5f60").expect("uuid");
    let other = || ClientKey::parse("7c6d5e4f-3a2b-4c1d-8e9f-0a1b2c3d4e5f").expect("uuid");
    let role = || RoleId::parse("5e4d3c2b-1a09-4f8e-9d7c-6b5a4f3e2d1c").expect("uuid");
    fn value<T: serde::Serialize>(v: &T) -> Option<serde_json::Value> {
        serde_json::to_value(v).ok()
    }
    match id {
        SessionCreate => value(&LoginRequest {
            client_id: "acme".into(),
            username: "anna.mueller".into(),
            password: "Correct-Horse-42".into(),
        }),
        SessionClient => value(&SwitchClientRequest { client: client() }),
        SessionSecondFactor | TwoFactorConfirm => value(&crate::api::SecondFactorRequest {
            code: "492039".into(),
        }),
        SessionEnd | AccountSessionsEnd => value(&crate::api::EndSessionsRequest {
            session: None,
            others: true,
        }),
        TwoFactorEnrol => value(&crate::api::ReauthRequest {
            password: "Correct-Horse-42".into(),
            code: None,
        }),
        TwoFactorDisable => value(&crate::api::ReauthRequest {
            password: "Correct-Horse-42".into(),
            code: Some("492039".into()),
        }),
        PasswordChange => value(&crate::api::PasswordChangeRequest {
            password: "Correct-Horse-42".into(),
            code: Some("492039".into()),
            new_password: "Quiet-Harbour-Lamp-58".into(),
            new_password_confirmation: "Quiet-Harbour-Lamp-58".into(),
        }),
        EmailChange => value(&crate::api::EmailChangeRequest {
            password: "Correct-Horse-42".into(),
            code: None,
            email: "anna.mueller@example.com".into(),
        }),
        ClientUpdate => value(&UpdateClientRequest {
            name: Some("Acme Sales Europe".into()),
            ..Default::default()
        }),
        ClientCreateChild => value(&CreateClientRequest {
            name: "Sales North".into(),
            client_id: "acme-sales-north".into(),
            is_sender: true,
        }),
        ClientSettingsPut => value(&SettingsOverrides {
            invitation_ttl: Some(Ttl(14 * 24 * 3600)),
            language: Some(Lang::De),
            ..Default::default()
        }),
        ClientInvite => value(&InviteRequest {
            first_name: "Anna".into(),
            surname: "Müller".into(),
            email: "anna.mueller@example.com".into(),
            username: None,
            role: Some(role()),
            extra_permissions: PermissionSet::EMPTY,
            access: Some(ClientAccess::Only(vec![client(), other()])),
            default_client: Some(client()),
            message: Some("Welcome to the sales team!".into()),
            language: Some(Lang::De),
        }),
        AccountAccessPut => value(&AccessRequest {
            role: role(),
            extra_permissions: [Permission::ViewAccounts].into_iter().collect(),
            access: ClientAccess::All,
            default_client: None,
        }),
        RoleCreate | RoleUpdate => value(&RoleRequest {
            name: "Team lead".into(),
            permissions: [Permission::ViewAccounts, Permission::ManageRolesAndRights]
                .into_iter()
                .collect(),
        }),
        AccountUpdate => value(&UpdateAccountRequest {
            email: Some("anna.schmidt@example.com".into()),
            surname: Some("Schmidt".into()),
            ..Default::default()
        }),
        ClientBulkAction => value(&crate::api::BulkRequest {
            action: crate::api::BulkAction::Deactivate,
            selection: crate::api::BulkSelection::Matching(crate::api::BulkFilter {
                status: crate::list::ListFilter::Accepted,
                q: Some("müller".into()),
            }),
            role: None,
        }),
        PasswordResetRequest => value(&ForgotPasswordRequest {
            client_id: "acme".into(),
            login: "anna.mueller".into(),
        }),
        PasswordResetComplete => value(&ResetPasswordRequest {
            token: EXAMPLE_TOKEN.into(),
            password: "Correct-Horse-42".into(),
            password_confirmation: "Correct-Horse-42".into(),
        }),
        InvitationShow | InvitationNewLinkRequest | PasswordResetShow => value(&LinkTokenRequest {
            token: EXAMPLE_TOKEN.into(),
        }),
        InvitationAccept => value(&AcceptRequest {
            token: EXAMPLE_TOKEN.into(),
            first_name: "Anna".into(),
            surname: "Müller".into(),
            password: "Correct-Horse-42".into(),
            password_confirmation: "Correct-Horse-42".into(),
        }),
        _ => None,
    }
}

/// The refusal statuses a route can answer: by its access rule, whether it changes state, takes
/// a body or a link token.
fn refusals(route: &crate::routes::Route, has_body: bool) -> Vec<u16> {
    let signed_in = matches!(
        route.access,
        Access::SignedIn | Access::Enrolling | Access::Permission { .. } | Access::Operator
    );
    let changes = route.method != Method::Get;
    let mut out = vec![];
    if has_body {
        out.push(400);
    }
    if signed_in || changes {
        // not signed in; or, for sign-in, wrong credentials
        out.push(401);
        // missing permission or access; a cross-site state change
        out.push(403);
    }
    out.push(404);
    if changes {
        out.push(409);
    }
    if matches!(
        route.id,
        RouteId::InvitationShow
            | RouteId::InvitationAccept
            | RouteId::InvitationNewLinkRequest
            | RouteId::PasswordResetShow
            | RouteId::PasswordResetComplete
    ) {
        out.push(410);
    }
    if has_body {
        out.extend([411, 413, 415]);
    }
    out.extend([422, 429]);
    // routes whose answer builds a link for mail (or for copying): refused while the operator
    // has not set PUBLIC_ORIGIN (production)
    if matches!(
        route.id,
        RouteId::ClientInvite
            | RouteId::ClientBulkAction
            | RouteId::AccountInvitationResend
            | RouteId::AccountReset
            | RouteId::AccountPasswordReset
            | RouteId::AccountInvitationLink
            | RouteId::InvitationNewLinkRequest
    ) {
        out.push(503);
    }
    out
}

fn refusal_text(status: u16, codes: &[(String, u16)]) -> String {
    let what = match status {
        400 => "The body is not JSON",
        401 => "Not signed in (or the session ended), or wrong credentials",
        403 => "Missing permission, a client outside the caller's access, a grant beyond the caller's own rights, or a cross-site request",
        404 => "No such resource for this caller (another company's ids answer 404 too)",
        409 => "Conflicts with the stored state or a concurrent change",
        410 => "The link is no longer usable",
        411 => "A body without Content-Length",
        413 => "A body larger than 16 KiB (64 KiB for bulk actions)",
        415 => "Content-Type is not application/json",
        422 => "A field is missing, too long or not valid here (`error.field` names it)",
        429 => "Too many requests; `Retry-After` says when to retry",
        _ => "Refused",
    };
    let names: Vec<String> = codes
        .iter()
        .filter(|(_, s)| *s == status)
        .map(|(c, _)| format!("`{c}`"))
        .collect();
    format!("{what}. Codes: {}.", names.join(", "))
}

fn access_text(access: Access) -> String {
    match access {
        Access::Public => "Access: public.".into(),
        Access::SignedIn => "Access: any signed-in account (acts on its own data).".into(),
        Access::Enrolling => "Access: any signed-in account, also one whose client requires two-factor sign-in before it is set up (acts on its own data).".into(),
        Access::Permission { permission, on } => {
            let target = match on {
                On::Client => "the `{client}` of the path",
                On::AccountsClient => "the client of the `{account}` in the path",
                On::Company => "the caller's company",
            };
            format!("Access: permission `{}` on {target}.", permission.as_str())
        }
        Access::LocalDev => "Access: local mode only.".into(),
        Access::Operator => {
            "Access: the operator (`Authorization: Bearer <OPERATOR_SECRET>`).".into()
        }
    }
}

fn http_method(m: Method) -> HttpMethod {
    match m {
        Method::Get => HttpMethod::Get,
        Method::Post => HttpMethod::Post,
        Method::Put => HttpMethod::Put,
        Method::Patch => HttpMethod::Patch,
        Method::Delete => HttpMethod::Delete,
    }
}

fn json_ref(name: &str) -> utoipa::openapi::Content {
    ContentBuilder::new()
        .schema(Some(Ref::from_schema_name(name)))
        .build()
}

/// The path parameters of a route path, with their formats.
fn path_parameters(path: &str) -> Vec<utoipa::openapi::path::Parameter> {
    path.split('/')
        .filter_map(|seg| seg.strip_prefix('{').and_then(|s| s.strip_suffix('}')))
        .map(|name| {
            let (format, description) = match name {
                "client" => (Some("uuid"), "A client's key"),
                "account" => (Some("uuid"), "An account's id"),
                "role" => (Some("uuid"), "A role's id"),
                _ => (None, "A parameter"),
            };
            let mut schema = ObjectBuilder::new().schema_type(Type::String);
            if let Some(f) = format {
                schema = schema.format(Some(utoipa::openapi::SchemaFormat::Custom(f.into())));
            }
            ParameterBuilder::new()
                .name(name)
                .parameter_in(ParameterIn::Path)
                .required(Required::True)
                .description(Some(description))
                .schema(Some(schema))
                .build()
        })
        .collect()
}

/// Query parameters from the fields of a query type's object schema.
fn query_parameters(query: Body) -> Vec<utoipa::openapi::path::Parameter> {
    let mut schemas = Schemas::new();
    (query.register)(&mut schemas);
    let Some((_, RefOr::T(Schema::Object(object)))) = schemas.first() else {
        return vec![];
    };
    object
        .properties
        .iter()
        .map(|(name, schema)| {
            ParameterBuilder::new()
                .name(name)
                .parameter_in(ParameterIn::Query)
                .required(Required::False)
                .schema(Some(schema.clone()))
                .build()
        })
        .collect()
}

/// The whole description.
pub fn document() -> OpenApi {
    let mut schemas = Schemas::new();
    (body::<ApiError>().register)(&mut schemas);
    let codes = error_codes();
    let mut paths = PathsBuilder::new().build();
    for route in ROUTES {
        let Some(c) = contract_of(route.id) else {
            continue;
        };
        let mut op = OperationBuilder::new()
            .operation_id(Some(format!("{:?}", route.id)))
            .summary(Some(route.summary))
            .description(Some(access_text(route.access)))
            .tag(route.path.split('/').nth(2).unwrap_or("api"));
        for p in path_parameters(route.path) {
            op = op.parameter(p);
        }
        if let Some(q) = c.query {
            // the parameters' schemas may name other types (an enum of filters)
            (q.register)(&mut schemas);
            for p in query_parameters(q) {
                op = op.parameter(p);
            }
        }
        if let Some(req) = c.request {
            (req.register)(&mut schemas);
            let mut content =
                ContentBuilder::new().schema(Some(Ref::from_schema_name((req.name)())));
            if let Some(example) = example_of(route.id) {
                content = content.example(Some(example));
            }
            op = op.request_body(Some(
                RequestBodyBuilder::new()
                    .content("application/json", content.build())
                    .required(Some(Required::True))
                    .build(),
            ));
        }
        let (status, ok) = c.ok;
        let body_name = match &ok {
            Answer::Json(b) => Some((b.name)()),
            _ => None,
        };
        let response = match ok {
            Answer::Json(b) => {
                (b.register)(&mut schemas);
                ResponseBuilder::new()
                    .description("Done")
                    .content("application/json", json_ref(&(b.name)()))
            }
            Answer::Empty => ResponseBuilder::new().description("Done, no body"),
            Answer::Document(media) => ResponseBuilder::new()
                .description("The document")
                .content(media, ContentBuilder::new().build()),
        };
        op = op.response(status.to_string(), response.build());
        if let Some((other, b, meaning)) = c.other {
            (b.register)(&mut schemas);
            op = op.response(
                other.to_string(),
                ResponseBuilder::new()
                    .description(meaning)
                    .content("application/json", json_ref(&(b.name)()))
                    .build(),
            );
        }
        if let (Some((also, meaning)), Some(name)) = (c.also, &body_name) {
            op = op.response(
                also.to_string(),
                ResponseBuilder::new()
                    .description(meaning)
                    .content("application/json", json_ref(name))
                    .build(),
            );
        }
        for status in refusals(route, c.request.is_some()) {
            op = op.response(
                status.to_string(),
                ResponseBuilder::new()
                    .description(refusal_text(status, &codes))
                    .content("application/json", json_ref(&ApiError::name()))
                    .build(),
            );
        }
        paths.add_path_operation(route.path, vec![http_method(route.method)], op.build());
    }
    schemas.sort_by(|a, b| a.0.cmp(&b.0));
    schemas.dedup_by(|a, b| a.0 == b.0);
    let mut components = ComponentsBuilder::new();
    for (name, schema) in schemas {
        components = components.schema(name, schema);
    }
    OpenApiBuilder::new()
        .info(
            InfoBuilder::new()
                .title("Gatehouse API")
                .version(env!("CARGO_PKG_VERSION"))
                .description(Some(
                    "Multi-tenant user administration. Sign in with `POST /api/session` (sets a `__Host-` session cookie); \
                     state-changing requests must come from the same origin (`Origin` or `Sec-Fetch-Site`). Errors share one \
                     shape: `{\"error\": {\"code\", \"message\", \"field\"?}}` with stable codes.",
                ))
                .build(),
        )
        .paths(paths)
        .components(Some(components.build()))
        .build()
}

/// The limits the API enforces on request strings, from the validated types that enforce them (so
/// the description and the validation cannot disagree): schema, field, max characters, format.
fn string_limits() -> Vec<(&'static str, &'static str, usize, Option<&'static str>)> {
    use crate::permissions::RoleName;
    use crate::values::{ClientName, Email, PersonName, PersonalMessage, Username};
    vec![
        ("InviteRequest", "first_name", PersonName::MAX, None),
        ("InviteRequest", "surname", PersonName::MAX, None),
        ("InviteRequest", "email", Email::MAX, Some("email")),
        ("InviteRequest", "username", Username::MAX, None),
        ("InviteRequest", "message", PersonalMessage::MAX, None),
        ("AcceptRequest", "first_name", PersonName::MAX, None),
        ("AcceptRequest", "surname", PersonName::MAX, None),
        ("LoginRequest", "username", Username::MAX, None),
        ("CreateClientRequest", "name", ClientName::MAX, None),
        ("UpdateClientRequest", "name", ClientName::MAX, None),
        ("RoleRequest", "name", RoleName::MAX, None),
    ]
}

/// Sets `maxLength` (and `format`) on the string schema of a property, also inside `oneOf`
/// (optional fields are `null` or a string).
fn limit_string(property: &mut serde_json::Value, max: usize, format: Option<&str>) {
    if property["type"] == "string" {
        property["maxLength"] = max.into();
        if let Some(f) = format {
            property["format"] = f.into();
        }
    } else if let Some(variants) = property.get_mut("oneOf").and_then(|v| v.as_array_mut()) {
        for v in variants {
            limit_string(v, max, format);
        }
    }
}

/// The description as the JSON the worker serves at `/api/openapi.json`.
pub fn json() -> String {
    let mut doc = serde_json::to_value(document()).expect("the description serialises");
    for (schema, field, max, format) in string_limits() {
        let property = &mut doc["components"]["schemas"][schema]["properties"][field];
        assert!(
            property.is_object(),
            "{schema}.{field} is not in the description"
        );
        limit_string(property, max, format);
    }
    let mut text = serde_json::to_string_pretty(&doc).expect("the description serialises");
    text.push('\n');
    text
}

/// The published routes the description holds, as `METHOD path` (for the sync check).
pub fn described() -> Vec<String> {
    ROUTES
        .iter()
        .filter(|r| contract_of(r.id).is_some())
        .map(|r| format!("{} {}", r.method.as_str(), r.path))
        .collect()
}

/// The reference page the worker serves at `/api/reference`: the same description as static HTML
/// (no script, no CDN), one section per operation and one per schema.
pub fn reference_html() -> String {
    use serde_json::Value;
    let doc: Value = serde_json::from_str(&json()).expect("the description parses");
    let esc = |s: &str| crate::i18n::escape_html(s);
    // descriptions use `code` spans: escaped, then the back-ticked parts set as code
    let md = |s: &str| {
        esc(s)
            .split('`')
            .enumerate()
            .map(|(i, part)| {
                if i % 2 == 1 {
                    format!("<code>{part}</code>")
                } else {
                    part.to_owned()
                }
            })
            .collect::<String>()
    };
    let type_of = |schema: &Value| -> String {
        fn describe(v: &Value) -> String {
            if let Some(r) = v.get("$ref").and_then(Value::as_str) {
                let name = r.rsplit('/').next().unwrap_or(r);
                return format!("<a href=\"#schema-{name}\">{name}</a>");
            }
            if let Some(items) = v.get("items") {
                return format!("list of {}", describe(items));
            }
            for key in ["oneOf", "anyOf", "allOf"] {
                if let Some(list) = v.get(key).and_then(Value::as_array) {
                    return list.iter().map(describe).collect::<Vec<_>>().join(" or ");
                }
            }
            if let Some(values) = v.get("enum").and_then(Value::as_array) {
                let names: Vec<String> = values
                    .iter()
                    .map(|x| format!("<code>{}</code>", x))
                    .collect();
                return format!("one of {}", names.join(", "));
            }
            match v.get("type") {
                Some(Value::String(t)) => t.clone(),
                Some(Value::Array(ts)) => ts
                    .iter()
                    .filter_map(Value::as_str)
                    .collect::<Vec<_>>()
                    .join(" | "),
                _ => "object".into(),
            }
        }
        describe(schema)
    };
    let mut ops = String::new();
    let mut index = String::new();
    if let Some(paths) = doc["paths"].as_object() {
        for (path, item) in paths {
            for (method, op) in item.as_object().into_iter().flatten() {
                let id = op["operationId"].as_str().unwrap_or_default();
                index.push_str(&format!(
                    "<li><a href=\"#op-{id}\"><code>{} {}</code></a> {}</li>",
                    method.to_uppercase(),
                    esc(path),
                    md(op["summary"].as_str().unwrap_or_default())
                ));
                let mut params = String::new();
                for p in op["parameters"].as_array().into_iter().flatten() {
                    params.push_str(&format!(
                        "<tr><td><code>{}</code></td><td>{}</td><td>{}</td><td>{}</td></tr>",
                        esc(p["name"].as_str().unwrap_or_default()),
                        esc(p["in"].as_str().unwrap_or_default()),
                        type_of(&p["schema"]),
                        esc(p["description"].as_str().unwrap_or_default())
                    ));
                }
                let request = op["requestBody"]["content"]["application/json"]["schema"].clone();
                let mut responses = String::new();
                for (code, r) in op["responses"].as_object().into_iter().flatten() {
                    let body = r["content"]
                        .as_object()
                        .and_then(|c| c.values().next())
                        .map(|c| {
                            if c["schema"].is_null() {
                                "document".to_owned()
                            } else {
                                type_of(&c["schema"])
                            }
                        })
                        .unwrap_or_else(|| "no body".into());
                    responses.push_str(&format!(
                        "<tr><td><code>{code}</code></td><td>{body}</td><td>{}</td></tr>",
                        md(r["description"].as_str().unwrap_or_default())
                    ));
                }
                ops.push_str(&format!(
                    "<section id=\"op-{id}\"><h3><code>{} {}</code></h3><p>{}</p><p>{}</p>{}{}<table><thead><tr><th>Status</th><th>Body</th><th>When</th></tr></thead><tbody>{responses}</tbody></table></section>",
                    method.to_uppercase(),
                    esc(path),
                    md(op["summary"].as_str().unwrap_or_default()),
                    md(op["description"].as_str().unwrap_or_default()),
                    if params.is_empty() { String::new() } else { format!("<table><thead><tr><th>Parameter</th><th>In</th><th>Type</th><th>Meaning</th></tr></thead><tbody>{params}</tbody></table>") },
                    if request.is_null() {
                        String::new()
                    } else {
                        let example = &op["requestBody"]["content"]["application/json"]["example"];
                        let shown = serde_json::to_string_pretty(example).unwrap_or_default();
                        format!(
                            "<p>Request body: {}</p>{}",
                            type_of(&request),
                            if example.is_null() { String::new() } else { format!("<p>For example:</p><pre><code>{}</code></pre>", esc(&shown)) }
                        )
                    },
                ));
            }
        }
    }
    let mut types = String::new();
    if let Some(schemas) = doc["components"]["schemas"].as_object() {
        for (name, schema) in schemas {
            let mut rows = String::new();
            let required: Vec<&str> = schema["required"]
                .as_array()
                .into_iter()
                .flatten()
                .filter_map(Value::as_str)
                .collect();
            for (field, f) in schema["properties"].as_object().into_iter().flatten() {
                rows.push_str(&format!(
                    "<tr><td><code>{}</code>{}</td><td>{}</td><td>{}</td></tr>",
                    esc(field),
                    if required.contains(&field.as_str()) {
                        ""
                    } else {
                        " (optional)"
                    },
                    type_of(f),
                    md(f["description"].as_str().unwrap_or_default())
                ));
            }
            let shape = if rows.is_empty() {
                format!("<p>{}</p>", type_of(schema))
            } else {
                format!("<table><thead><tr><th>Field</th><th>Type</th><th>Meaning</th></tr></thead><tbody>{rows}</tbody></table>")
            };
            types.push_str(&format!(
                "<section id=\"schema-{name}\"><h3>{name}</h3><p>{}</p>{shape}</section>",
                md(schema["description"].as_str().unwrap_or_default())
            ));
        }
    }
    format!(
        "<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\
         <title>Gatehouse API reference</title><style>\
         body{{font:16px/1.5 system-ui,sans-serif;color:#111827;max-width:60rem;margin:0 auto;padding:1.5rem}}\
         code{{font:0.9em ui-monospace,monospace}}table{{border-collapse:collapse;width:100%;margin:0.5rem 0 1rem}}\
         th,td{{text-align:left;vertical-align:top;border-bottom:1px solid #e5e7eb;padding:0.35rem 0.5rem}}\
         section{{border-top:1px solid #d1d5db;padding-top:0.5rem}}pre{{background:#f3f4f6;padding:0.75rem;overflow:auto}}a{{color:#3730a3}}</style></head>\
         <body><main><h1>Gatehouse API reference</h1><p>{}</p><p>Machine-readable: <a href=\"/api/openapi.json\">/api/openapi.json</a> (OpenAPI {}).</p>\
         <h2>Operations</h2><ul>{index}</ul>{ops}<h2>Types</h2>{types}</main></body></html>\n",
        md(doc["info"]["description"].as_str().unwrap_or_default()),
        esc(doc["openapi"].as_str().unwrap_or_default()),
    )
}
