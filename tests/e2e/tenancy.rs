//! Tenancy against real workerd: the client tree, roles, client access, inherited settings, and
//! isolation between companies proven route by route from the route table.

use domain::api::{
    AccountView, ClientNode, ClientTree, ErrorCode, InviteResponse, Me, RoleList, RoleView,
    SettingsView, UserPage,
};
use domain::routes::{Access, Method as RouteMethod, RouteId, ROUTES};
use domain::settings::Source;
use domain::{BuiltinRole, ClientKey, Ttl};
use gatehouse_tests::harness::{
    outbox_link_for, token_of, Answer, Api, ADMIN_PASSWORD, GOOD_PASSWORD,
};
use reqwest::Method;
use serde::de::DeserializeOwned;
use serde_json::{json, Value};

fn email(tag: &str) -> String {
    format!("{tag}.{}@test.example", uuid::Uuid::new_v4().simple())
}

fn short(tag: &str) -> String {
    format!("{tag}-{}", &uuid::Uuid::new_v4().simple().to_string()[..8])
}

fn typed<T: DeserializeOwned>(a: Answer) -> T {
    a.typed()
}

async fn signed_in(client_id: &str, username: &str) -> (Api, Me) {
    let mut api = Api::new();
    let a = api.sign_in(client_id, username, ADMIN_PASSWORD).await;
    assert_eq!(a.status, 200, "sign-in {client_id}/{username}: {a:?}");
    let me = typed(a);
    (api, me)
}

/// Creates a sub-client below `parent`; panics unless it worked.
async fn child(api: &mut Api, parent: ClientKey, name: &str, is_sender: bool) -> ClientNode {
    let a = api
        .post(
            &format!("/api/clients/{parent}/children"),
            json!({"name": name, "client_id": short("t"), "is_sender": is_sender}),
        )
        .await;
    assert_eq!(a.status, 201, "create {name}: {a:?}");
    typed(a)
}

fn method(m: RouteMethod) -> Method {
    match m {
        RouteMethod::Get => Method::GET,
        RouteMethod::Post => Method::POST,
        RouteMethod::Put => Method::PUT,
        RouteMethod::Patch => Method::PATCH,
        RouteMethod::Delete => Method::DELETE,
    }
}

/// Everything of a company that its admin can read, for "unchanged afterwards".
async fn snapshot(api: &mut Api) -> Vec<Value> {
    let mut out = vec![];
    let tree: ClientTree = typed(api.get("/api/clients").await);
    out.push(serde_json::to_value(&tree).unwrap());
    out.push(api.get("/api/roles").await.body);
    for c in &tree.clients {
        out.push(api.get(&format!("/api/clients/{}", c.key)).await.body);
        out.push(
            api.get(&format!("/api/clients/{}/settings", c.key))
                .await
                .body,
        );
        let page = api
            .get(&format!("/api/clients/{}/users?limit=100", c.key))
            .await;
        let users: UserPage = typed(page.clone());
        out.push(page.body);
        for u in users.users {
            out.push(api.get(&format!("/api/accounts/{}", u.id)).await.body);
        }
    }
    out
}

#[tokio::test]
async fn every_route_keeps_companies_apart_and_enforces_its_permission() {
    let mut acme = Api::admin_of("acme").await;
    let mut globex = Api::admin_of("globex").await;
    let (mut staff, _) = signed_in("acme", "staff").await;

    // company B's ids
    let g_tree: ClientTree = typed(globex.get("/api/clients").await);
    let g_client = g_tree.clients[0].key;
    let g_users: UserPage = typed(globex.get(&format!("/api/clients/{g_client}/users")).await);
    let g_account = g_users.users[0].id;
    let g_roles: RoleList = typed(globex.get("/api/roles").await);
    let g_role = g_roles.roles[0].id;
    // company A's own ids, for the user without permissions
    let a_client = acme.me().await.client.key;
    let a_users: UserPage = typed(acme.get(&format!("/api/clients/{a_client}/users")).await);
    let a_account = a_users.users[0].id;
    let a_roles: RoleList = typed(acme.get("/api/roles").await);
    let a_custom = a_roles
        .roles
        .iter()
        .find(|r| r.builtin.is_none())
        .unwrap()
        .id;

    let before = snapshot(&mut globex).await;
    let fill = |path: &str, client: ClientKey, account: domain::AccountId, role: domain::RoleId| {
        path.replace("{client}", &client.to_string())
            .replace("{account}", &account.to_string())
            .replace("{role}", &role.to_string())
            .replace("{token}", "x")
            .replace("{what}", "noop")
    };
    let body = |m: RouteMethod| (m != RouteMethod::Get).then(|| json!({}));
    for route in ROUTES {
        // an exhaustive match: a new route fails to compile here until it has a case
        let case = match route.id {
            RouteId::SessionGet
            | RouteId::SessionCreate
            | RouteId::SessionDelete
            | RouteId::SessionSecondFactor
            | RouteId::TwoFactorEnrol
            | RouteId::TwoFactorConfirm
            | RouteId::TwoFactorDisable
            | RouteId::PasswordChange
            | RouteId::EmailChange
            | RouteId::SessionList
            | RouteId::SessionEnd
            | RouteId::InvitationShow
            | RouteId::InvitationAccept
            | RouteId::InvitationNewLinkRequest
            | RouteId::PasswordResetRequest
            | RouteId::PasswordResetShow
            | RouteId::PasswordResetComplete
            | RouteId::OpenApiJson
            | RouteId::ApiReference
            | RouteId::DevOutbox
            | RouteId::DevOutboxJson
            | RouteId::DevAuditJson
            | RouteId::DevBench
            | RouteId::DevQueryPlans => {
                "own data or public: covered by the session and invitation tests"
            }
            RouteId::SessionClient => "b's client",
            RouteId::ClientsList => "lists only own",
            RouteId::ClientGet
            | RouteId::ClientUpdate
            | RouteId::ClientCreateChild
            | RouteId::ClientSettingsGet
            | RouteId::ClientSettingsPut
            | RouteId::ClientUsers
            | RouteId::ClientUsernameSuggestion
            | RouteId::ClientInvite
            | RouteId::ClientBulkAction
            | RouteId::AccountGet
            | RouteId::AccountAccessPut
            | RouteId::AccountSessions
            | RouteId::AccountSessionsEnd
            | RouteId::AccountInvitationResend
            | RouteId::AccountInvitationCancel
            | RouteId::AccountUpdate
            | RouteId::AccountDeactivate
            | RouteId::AccountActivate
            | RouteId::AccountDelete
            | RouteId::AccountReset
            | RouteId::AccountPasswordReset
            | RouteId::AccountSecurityReport
            | RouteId::AccountInvitationLink
            | RouteId::AccountAudit
            | RouteId::ClientAudit
            | RouteId::RoleUpdate
            | RouteId::RoleDelete => "b's ids",
            RouteId::RolesList | RouteId::RoleCreate => "own company only",
            RouteId::OperatorDeletedAccounts | RouteId::OperatorRecover => "operator secret",
        };
        match route.access {
            Access::Permission { .. } => {
                let m = method(route.method);
                if case == "b's ids" {
                    let path = fill(route.path, g_client, g_account, g_role);
                    let a = acme.send(m.clone(), &path, body(route.method)).await;
                    assert_eq!(
                        (a.status.as_u16(), a.code()),
                        (404, ErrorCode::NotFound),
                        "{route:?} with company B's ids: {a:?}"
                    );
                }
                let path = fill(route.path, a_client, a_account, a_custom);
                let a = staff.send(m, &path, body(route.method)).await;
                assert_eq!(
                    (a.status.as_u16(), a.code()),
                    (403, ErrorCode::Forbidden),
                    "{route:?} as a user without the permission: {a:?}"
                );
            }
            Access::SignedIn if route.id == RouteId::SessionClient => {
                let a = acme
                    .send(Method::PUT, route.path, Some(json!({"client": g_client})))
                    .await;
                assert_eq!(
                    (a.status.as_u16(), a.code()),
                    (403, ErrorCode::OutsideAccess),
                    "{a:?}"
                );
            }
            Access::SignedIn if route.id == RouteId::ClientsList => {
                let tree: ClientTree = typed(acme.get(route.path).await);
                assert!(tree
                    .clients
                    .iter()
                    .all(|c| c.path.company_key() == a_client));
            }
            Access::SignedIn | Access::Enrolling | Access::Public | Access::LocalDev => {}
            Access::Operator => {
                // a signed-in admin is no operator; neither is a wrong secret
                let path = fill(route.path, a_client, a_account, a_custom);
                let a = acme
                    .send(method(route.method), &path, body(route.method))
                    .await;
                assert_eq!(
                    (a.status.as_u16(), a.code()),
                    (401, ErrorCode::OperatorOnly),
                    "{route:?} as an admin: {a:?}"
                );
                let mut guess = Api::new();
                guess.set_bearer(Some("test-operator-secret-4f9c2a7f"));
                let a = guess
                    .send(method(route.method), &path, body(route.method))
                    .await;
                assert_eq!(
                    a.status.as_u16(),
                    401,
                    "{route:?} with a wrong secret: {a:?}"
                );
            }
        }
        // signed out: every non-public route answers 401
        if matches!(
            route.access,
            Access::Permission { .. } | Access::SignedIn | Access::Enrolling
        ) {
            let path = fill(route.path, a_client, a_account, a_custom);
            let a = Api::new()
                .send(method(route.method), &path, body(route.method))
                .await;
            assert_eq!(a.status.as_u16(), 401, "{route:?} signed out: {a:?}");
        }
    }
    assert_eq!(
        before,
        snapshot(&mut globex).await,
        "company B's data changed"
    );
}

#[tokio::test]
async fn the_client_tree_refuses_what_makes_no_sense() {
    let mut admin = Api::admin_of("acme").await;
    let holding = admin.client_key("acme-holding").await;
    let refused = admin
        .post(
            &format!("/api/clients/{holding}/invitations"),
            json!({"first_name": "No", "surname": "Sender", "email": email("nosender")}),
        )
        .await;
    assert_eq!(
        (refused.status.as_u16(), refused.code()),
        (422, ErrorCode::ClientNotSender),
        "{refused:?}"
    );

    let root = admin.me().await.client.key;
    let a = child(&mut admin, root, "Move A", true).await;
    let b = child(&mut admin, a.key, "Move B", true).await;
    let c = child(&mut admin, b.key, "Move C", true).await;
    let into_own = admin
        .send(
            Method::PATCH,
            &format!("/api/clients/{}", a.key),
            Some(json!({"parent": c.key})),
        )
        .await;
    assert_eq!(
        (into_own.status.as_u16(), into_own.code()),
        (422, ErrorCode::MoveIntoOwnSubtree)
    );
    let company = admin
        .send(
            Method::PATCH,
            &format!("/api/clients/{root}"),
            Some(json!({"parent": a.key})),
        )
        .await;
    assert_eq!(company.code(), ErrorCode::CompanyImmutable, "{company:?}");
    let dup = admin
        .post(
            &format!("/api/clients/{root}/children"),
            json!({"name": "Dup", "client_id": a.client_id, "is_sender": true}),
        )
        .await;
    assert_eq!(
        (dup.status.as_u16(), dup.code()),
        (409, ErrorCode::ClientIdTaken)
    );

    // moving B (with C below it) up to the company moves the whole subtree
    let moved = admin
        .send(
            Method::PATCH,
            &format!("/api/clients/{}", b.key),
            Some(json!({"parent": root, "name": "Moved B"})),
        )
        .await;
    assert_eq!(moved.status, 200, "{moved:?}");
    let tree: ClientTree = typed(admin.get("/api/clients").await);
    let find = |k: ClientKey| tree.clients.iter().find(|n| n.key == k).unwrap().clone();
    assert_eq!(find(b.key).path.keys(), &[root, b.key]);
    assert_eq!(find(b.key).name, "Moved B");
    assert_eq!(find(c.key).path.keys(), &[root, b.key, c.key]);
    assert_eq!(find(a.key).path.keys(), &[root, a.key]);
}

#[tokio::test]
async fn a_restricted_account_lands_in_its_default_client_and_sees_only_its_clients() {
    let (mut lena, me) = signed_in("acme", "lena.vogel").await;
    assert_eq!(me.client.client_id, "acme-sales-north");
    assert_eq!(me.home_client.client_id, "acme");
    let tree: ClientTree = typed(lena.get("/api/clients").await);
    let mut ids: Vec<_> = tree.clients.iter().map(|c| c.client_id.as_str()).collect();
    ids.sort();
    assert_eq!(ids, ["acme-sales", "acme-sales-north"]);
    let home = me.home_client.key;
    let a = lena.get(&format!("/api/clients/{home}/users")).await;
    assert_eq!(
        (a.status.as_u16(), a.code()),
        (403, ErrorCode::OutsideAccess)
    );
    let sales = tree
        .clients
        .iter()
        .find(|c| c.client_id == "acme-sales")
        .unwrap()
        .key;
    let switched = lena
        .send(
            Method::PUT,
            "/api/session/client",
            Some(json!({"client": sales})),
        )
        .await;
    let switched: Me = typed(switched);
    assert_eq!(switched.client.client_id, "acme-sales");
    assert_eq!(lena.me().await.client.key, sales);
    let refused = lena
        .send(
            Method::PUT,
            "/api/session/client",
            Some(json!({"client": home})),
        )
        .await;
    assert_eq!(refused.code(), ErrorCode::OutsideAccess);
    let page = lena.get(&format!("/api/clients/{sales}/users")).await;
    assert_eq!(page.status, 200, "{page:?}");
}

#[tokio::test]
async fn settings_are_inherited_overridden_and_reset() {
    let mut admin = Api::admin_of("acme").await;
    let root = admin.me().await.client.key;
    let parent = child(&mut admin, root, "Settings parent", false).await;
    let leaf = child(&mut admin, parent.key, "Settings leaf", true).await;
    let settings = |k: ClientKey| format!("/api/clients/{k}/settings");
    let v: SettingsView = typed(admin.get(&settings(leaf.key)).await);
    assert_eq!(v.effective.invitation_ttl.value, Ttl::DEFAULT_INVITATION);
    assert_eq!(v.effective.invitation_ttl.source, Source::Default);

    let set = admin
        .send(
            Method::PUT,
            &settings(parent.key),
            Some(json!({"invitation_ttl": 7 * 86400, "language": "de"})),
        )
        .await;
    assert_eq!(set.status, 200, "{set:?}");
    let v: SettingsView = typed(admin.get(&settings(leaf.key)).await);
    assert_eq!(v.effective.invitation_ttl.value, Ttl(7 * 86400));
    assert_eq!(
        v.effective.invitation_ttl.source,
        Source::Inherited {
            client: parent.key,
            name: "Settings parent".into()
        }
    );
    let own = admin
        .send(
            Method::PUT,
            &settings(leaf.key),
            Some(json!({"invitation_ttl": 2 * 3600})),
        )
        .await;
    let v: SettingsView = typed(own);
    assert_eq!(
        (
            v.effective.invitation_ttl.value,
            v.effective.invitation_ttl.source
        ),
        (Ttl(7200), Source::Own)
    );
    assert_eq!(v.effective.language.value, domain::i18n::Lang::De);
    // an invitation into the leaf uses its own validity
    let e = email("ttl");
    let invited = admin
        .post(
            &format!("/api/clients/{}/invitations", leaf.key),
            json!({"first_name": "Tia", "surname": "Ttl", "email": e}),
        )
        .await;
    assert_eq!(invited.status, 201, "{invited:?}");
    let invited: InviteResponse = invited.typed();
    assert_eq!(
        invited.expires_at.0 - invited.user.created_at.0,
        7200 * 1000
    );
    // reset to inherited
    let reset = admin
        .send(Method::PUT, &settings(leaf.key), Some(json!({})))
        .await;
    let v: SettingsView = typed(reset);
    assert_eq!(v.effective.invitation_ttl.value, Ttl(7 * 86400));
    assert!(matches!(
        v.effective.invitation_ttl.source,
        Source::Inherited { .. }
    ));
    // out of range: 4xx naming the field, nothing stored
    let bad = admin
        .send(
            Method::PUT,
            &settings(leaf.key),
            Some(json!({"reset_ttl": 60})),
        )
        .await;
    assert_eq!(
        (bad.status.as_u16(), bad.code(), bad.field()),
        (422, ErrorCode::FieldInvalid, "reset_ttl")
    );
    let v: SettingsView = typed(admin.get(&settings(leaf.key)).await);
    assert_eq!(v.own, Default::default());
}

#[tokio::test]
async fn nobody_grants_more_than_they_hold_and_a_company_keeps_its_admin() {
    let (mut tom, me) = signed_in("acme-sales", "tom.berger").await;
    let sales = me.client.key;
    let admin_role = {
        let roles: RoleList = typed(tom.get("/api/roles").await);
        roles
            .roles
            .into_iter()
            .find(|r| r.builtin == Some(BuiltinRole::Admin))
            .unwrap()
            .id
    };
    let invite = |body: Value| (format!("/api/clients/{sales}/invitations"), body);
    let (path, body) = invite(
        json!({"first_name": "Ad", "surname": "Min", "email": email("grant"), "role": admin_role}),
    );
    let a = tom.post(&path, body).await;
    assert_eq!(
        (a.status.as_u16(), a.code()),
        (403, ErrorCode::ExceedsOwnRights),
        "{a:?}"
    );
    let mut acme = Api::admin_of("acme").await;
    let root = acme.me().await.client.key;
    let (path, body) = invite(
        json!({"first_name": "Wide", "surname": "Access", "email": email("grant"),
        "access": {"kind": "only", "clients": [root]}}),
    );
    let a = tom.post(&path, body).await;
    assert_eq!(a.code(), ErrorCode::ExceedsOwnRights, "{a:?}");
    let (path, body) = invite(
        json!({"first_name": "Extra", "surname": "Perm", "email": email("grant"),
        "extra_permissions": ["manage_roles"]}),
    );
    assert_eq!(
        tom.post(&path, body).await.code(),
        ErrorCode::ExceedsOwnRights
    );
    // a sub-client's accounts need "Manage clients", which a team lead does not hold
    let north = tom.client_key("acme-sales-north").await;
    let a = tom
        .post(
            &format!("/api/clients/{north}/invitations"),
            json!({"first_name": "N", "surname": "O", "email": email("north")}),
        )
        .await;
    assert_eq!((a.status.as_u16(), a.code()), (403, ErrorCode::Forbidden));
    // what he holds he may grant: an invitation with access to his client and its sub-client
    let (path, body) = invite(
        json!({"first_name": "Fine", "surname": "Grant", "email": email("grant"),
        "access": {"kind": "only", "clients": [sales, north]}, "default_client": north}),
    );
    let ok = tom.post(&path, body).await;
    assert_eq!(ok.status, 201, "{ok:?}");
    let view: AccountView = typed(
        tom.get(&format!(
            "/api/accounts/{}",
            ok.typed::<InviteResponse>().user.id
        ))
        .await,
    );
    assert_eq!(view.default_client, Some(north));

    // globex has one active admin: demoting them is refused and changes nothing
    let mut globex = Api::admin_of("globex").await;
    let gme = globex.me().await;
    let roles: RoleList = typed(globex.get("/api/roles").await);
    let user_role = roles
        .roles
        .iter()
        .find(|r| r.builtin == Some(BuiltinRole::User))
        .unwrap()
        .id;
    let a = globex
        .send(
            Method::PUT,
            &format!("/api/accounts/{}/access", gme.id),
            Some(json!({"role": user_role, "access": {"kind": "all"}})),
        )
        .await;
    assert_eq!(
        (a.status.as_u16(), a.code()),
        (409, ErrorCode::LastAdmin),
        "{a:?}"
    );
    assert_eq!(globex.me().await.role.builtin, Some(BuiltinRole::Admin));
}

#[tokio::test]
async fn custom_roles_are_created_changed_and_deleted_built_in_ones_stay() {
    let mut admin = Api::admin_of("acme").await;
    let name = short("Auditor");
    let created = admin
        .post(
            "/api/roles",
            json!({"name": name, "permissions": ["view_audit_log"]}),
        )
        .await;
    assert_eq!(created.status, 201, "{created:?}");
    let role: RoleView = typed(created);
    let dup = admin
        .post(
            "/api/roles",
            json!({"name": name.to_uppercase(), "permissions": []}),
        )
        .await;
    assert_eq!(
        (dup.status.as_u16(), dup.code()),
        (409, ErrorCode::RoleNameTaken)
    );
    let changed = admin
        .send(
            Method::PUT,
            &format!("/api/roles/{}", role.id),
            Some(json!({"name": name, "permissions": ["view_audit_log", "view_licenses"]})),
        )
        .await;
    assert_eq!(changed.status, 200, "{changed:?}");
    let roles: RoleList = typed(admin.get("/api/roles").await);
    let listed = roles.roles.iter().find(|r| r.id == role.id).unwrap();
    assert_eq!(listed.permissions.iter().count(), 2);
    let builtin = roles
        .roles
        .iter()
        .find(|r| r.builtin == Some(BuiltinRole::User))
        .unwrap()
        .id;
    let b = admin
        .send(Method::DELETE, &format!("/api/roles/{builtin}"), None)
        .await;
    assert_eq!((b.status.as_u16(), b.code()), (409, ErrorCode::BuiltinRole));
    let d = admin
        .send(Method::DELETE, &format!("/api/roles/{}", role.id), None)
        .await;
    assert_eq!(d.status, 204, "{d:?}");
    let (mut tom, _) = signed_in("acme-sales", "tom.berger").await;
    let t = tom
        .post(
            "/api/roles",
            json!({"name": short("Mine"), "permissions": []}),
        )
        .await;
    assert_eq!((t.status.as_u16(), t.code()), (403, ErrorCode::Forbidden));
}

#[tokio::test]
async fn a_deactivated_clients_accounts_cannot_sign_in() {
    let mut admin = Api::admin_of("acme").await;
    let root = admin.me().await.client.key;
    let client = child(&mut admin, root, "Soon off", true).await;
    let e = email("off");
    let invited = admin
        .post(
            &format!("/api/clients/{}/invitations", client.key),
            json!({"first_name": "Otto", "surname": "Off", "email": e}),
        )
        .await;
    assert_eq!(invited.status, 201, "{invited:?}");
    let username = invited.typed::<InviteResponse>().user.username;
    let link = outbox_link_for(&e).await;
    let mut person = Api::new();
    let accepted = person
        .accept(token_of(&link),
            json!({"first_name": "Otto", "surname": "Off", "password": GOOD_PASSWORD, "password_confirmation": GOOD_PASSWORD}),
        )
        .await;
    assert_eq!(accepted.status, 200, "{accepted:?}");
    let off = admin
        .send(
            Method::PATCH,
            &format!("/api/clients/{}", client.key),
            Some(json!({"active": false})),
        )
        .await;
    assert_eq!(off.status, 200, "{off:?}");
    // the running session ends at once, and signing in again is refused
    assert_eq!(person.get("/api/session").await.status, 401);
    let again = Api::new()
        .sign_in(&client.client_id, &username, GOOD_PASSWORD)
        .await;
    assert_eq!(again.code(), ErrorCode::InvalidCredentials);
    let on = admin
        .send(
            Method::PATCH,
            &format!("/api/clients/{}", client.key),
            Some(json!({"active": true})),
        )
        .await;
    assert_eq!(on.status, 200);
    let back = Api::new()
        .sign_in(&client.client_id, &username, GOOD_PASSWORD)
        .await;
    assert_eq!(back.status, 200, "{back:?}");
}

#[tokio::test]
async fn data_of_the_previous_migration_set_survives_the_upgrade() {
    // tests/upgrade: written by the landed migrations, then every newer migration applied on top
    let (mut admin, me) = signed_in("upgraded", "admin").await;
    assert_eq!(me.client.name, "Upgraded KG");
    let users: UserPage = typed(admin.users("?limit=100").await);
    assert_eq!(users.users.len(), 6, "{:?}", users.users);
    let tree: ClientTree = typed(admin.get("/api/clients").await);
    assert_eq!(tree.clients.len(), 2);
    // the counters (kept by triggers) took over the old rows and their pending invitations' expiry
    assert_eq!(
        (
            users.counts.all,
            users.counts.accepted,
            users.counts.deactivated
        ),
        (6, 2, 1)
    );
    assert_eq!(users.counts.invited + users.counts.expired, 3);
    assert_eq!(
        users.counts.expired, 1,
        "Clara's link ran out before the upgrade"
    );
    // their search terms are written by the cron's reindex job: run it, then search
    let cron = admin.get("/__scheduled?cron=*+*+*+*+*").await;
    assert_eq!(cron.status, 200, "{cron:?}");
    let found: UserPage = typed(admin.users("?q=muller").await);
    assert_eq!(
        found
            .users
            .iter()
            .map(|u| u.surname.as_str())
            .collect::<Vec<_>>(),
        ["Müller"],
        "the folded name of an account from before the upgrade"
    );
    let by_name: UserPage = typed(admin.users("?sort=name&limit=100").await);
    assert_eq!(by_name.users[0].surname, "Admin");
    // the same run dropped the past expiry slots: the counts never read them
    assert_eq!(by_name.counts, users.counts);
    // what 0003 wrote is still read: an edit's before → after in the account's history
    let david = users
        .users
        .iter()
        .find(|u| u.username == "david.schmidt")
        .expect("david");
    let history: domain::api::AuditPage = typed(
        admin
            .get(&format!("/api/accounts/{}/audit", david.id))
            .await,
    );
    let edit = history
        .events
        .iter()
        .find(|e| e.action == "account.edited")
        .expect("the edit from before the upgrade");
    assert_eq!(
        edit.detail.as_deref(),
        Some(r#"{"surname":["Schmid","Schmidt"]}"#)
    );
    // and the account signs in to a migration 0004 schema (second factor off)
    let (_, david_me) = signed_in("upgraded", "david.schmidt").await;
    assert!(!david_me.two_factor);
    // a session of the 0004 schema lives on with the old 30 idle minutes, as a full session
    // (tests/upgrade/0004-data.sql: started and last used at 1797000000000)
    let mut old = Api::new();
    old.set_cookies("__Host-gatehouse_session=BwgJCgsMDQ4PEBESExQVFhcYGRobHB0eHyAhIiMkJSY");
    old.set_clock(Some(1_797_000_000_000 + 30 * 60_000));
    assert_eq!(old.get("/api/session").await.status, 401, "30 idle minutes");
    old.set_clock(Some(1_797_000_000_000 + 30 * 60_000 - 1));
    let session: Me = typed(old.get("/api/session").await);
    assert_eq!(session.username, "admin");
    assert!(!session.must_enrol_two_factor);
    assert_eq!(
        typed::<ClientTree>(old.get("/api/clients").await)
            .clients
            .len(),
        2
    );
}
