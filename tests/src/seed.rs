//! Seed data as SQL for `wrangler d1 execute`: demo companies for `make dev`, fixtures for the
//! tests, and any number of clients and accounts, so a slow query shows up on a developer's machine.
//!
//! Deterministic for a given seed, and written with `INSERT OR IGNORE`, so applying it twice is harmless.

use argon2::password_hash::{PasswordHasher, SaltString};
use argon2::{Algorithm, Argon2, Params, Version};
use domain::ids::{AccountId, ClientKey, InvitationId, RoleId};
use domain::{ClientPath, Permission, PermissionSet, Timestamp, Token, Ttl};
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use std::collections::HashMap;
use std::fmt::Write;

/// The built-in admin role's name.
pub const ADMIN_ROLE: &str = "Admin/Verwalter";
/// The built-in user role's name.
pub const USER_ROLE: &str = "User";

/// A company to create: its top client with an admin, sub-clients, custom roles and people.
#[derive(Clone)]
pub struct CompanySeed {
    /// Client ID typed at sign-in.
    pub client_id: String,
    /// Display name.
    pub name: String,
    /// Invitation validity in seconds set on the company (`None`: the default, inherited).
    pub invitation_ttl: Option<i64>,
    /// The admin's username.
    pub admin_username: String,
    /// The admin's e-mail.
    pub admin_email: String,
    /// Password of the admin and of every person in `people`.
    pub password: String,
    /// How many other accounts to add to the company client, spread over every status.
    pub extra_users: usize,
    /// Sub-clients, parents before children.
    pub clients: Vec<SubClient>,
    /// Custom roles.
    pub roles: Vec<RoleSeed>,
    /// Accounts with a role, access list and default client.
    pub people: Vec<PersonSeed>,
}

/// A sub-client.
#[derive(Clone)]
pub struct SubClient {
    /// Client ID.
    pub client_id: String,
    /// Display name.
    pub name: String,
    /// The parent's client ID.
    pub parent: String,
    /// Whether it holds accounts.
    pub is_sender: bool,
    /// How many accounts to add, spread over every status.
    pub users: usize,
}

/// A custom role.
#[derive(Clone)]
pub struct RoleSeed {
    /// Name.
    pub name: String,
    /// Permissions.
    pub permissions: Vec<Permission>,
}

/// A signed-in-able account with particular rights.
#[derive(Clone)]
pub struct PersonSeed {
    /// Its client's ID.
    pub client: String,
    /// Username.
    pub username: String,
    /// First name.
    pub first_name: String,
    /// Surname.
    pub surname: String,
    /// Role name (built-in or custom).
    pub role: String,
    /// Client IDs it may access; `None`: all below its client.
    pub access: Option<Vec<String>>,
    /// Client ID it lands in.
    pub default_client: Option<String>,
    /// Argon2id parameters of its stored hash when not today's (`None`: the worker's own), as
    /// left behind by an earlier configuration.
    pub hash_params: Option<domain::hashing::HashParams>,
}

fn s(text: &str) -> String {
    text.to_owned()
}

fn sub(client_id: &str, name: &str, parent: &str, is_sender: bool, users: usize) -> SubClient {
    SubClient {
        client_id: s(client_id),
        name: s(name),
        parent: s(parent),
        is_sender,
        users,
    }
}

/// A person of a company seed (signs in with the company's password).
pub fn person(
    client: &str,
    username: &str,
    names: (&str, &str),
    role: &str,
    access: Option<&[&str]>,
    default_client: Option<&str>,
) -> PersonSeed {
    PersonSeed {
        client: s(client),
        username: s(username),
        first_name: s(names.0),
        surname: s(names.1),
        role: s(role),
        access: access.map(|a| a.iter().map(|c| s(c)).collect()),
        default_client: default_client.map(s),
        hash_params: None,
    }
}

/// The demo password `make dev` prints.
pub const DEMO_PASSWORD: &str = "Gatehouse-Dev-2026!";

/// The demo company `make dev` creates: Acme GmbH, a tree three levels deep with a non-sender
/// holding client, custom roles and people with restricted access and default clients.
pub fn acme(password: &str, extra_users: usize) -> CompanySeed {
    CompanySeed {
        client_id: s("acme"),
        name: s("Acme GmbH"),
        invitation_ttl: None,
        admin_username: s("admin"),
        admin_email: s("admin@acme.example"),
        password: s(password),
        extra_users,
        clients: vec![
            sub("acme-sales", "Acme Sales", "acme", true, 6),
            sub("acme-sales-north", "Sales North", "acme-sales", true, 4),
            sub("acme-sales-south", "Sales South", "acme-sales", true, 3),
            sub("acme-holding", "Acme Holding", "acme", false, 0),
            sub("acme-labs", "Acme Labs", "acme-holding", true, 4),
            sub("acme-labs-berlin", "Labs Berlin", "acme-labs", true, 2),
        ],
        roles: vec![
            RoleSeed {
                name: s("Team lead"),
                permissions: vec![Permission::ViewAccounts, Permission::ManageRolesAndRights],
            },
            RoleSeed {
                name: s("Client manager"),
                permissions: vec![
                    Permission::ViewAccounts,
                    Permission::ManageClients,
                    Permission::ManageSettings,
                ],
            },
        ],
        people: vec![
            // restricted to two sales clients, lands in Sales North
            person(
                "acme",
                "lena.vogel",
                ("Lena", "Vogel"),
                "Client manager",
                Some(&["acme-sales", "acme-sales-north"]),
                Some("acme-sales-north"),
            ),
            // manages the accounts of Acme Sales and sees the clients below it
            person(
                "acme-sales",
                "tom.berger",
                ("Tom", "Berger"),
                "Team lead",
                None,
                None,
            ),
            // no administrative permission at all
            person("acme", "staff", ("Sam", "Staff"), USER_ROLE, None, None),
        ],
    }
}

/// The second demo company, so isolation can be seen.
pub fn globex(password: &str) -> CompanySeed {
    CompanySeed {
        client_id: s("globex"),
        name: s("Globex Inc"),
        invitation_ttl: None,
        admin_username: s("admin"),
        admin_email: s("admin@globex.example"),
        password: s(password),
        extra_users: 4,
        clients: vec![sub("globex-eu", "Globex Europe", "globex", true, 2)],
        roles: vec![RoleSeed {
            name: s("Team lead"),
            permissions: vec![Permission::ViewAccounts, Permission::ManageRolesAndRights],
        }],
        people: vec![],
    }
}

/// Grows a company's tree to `total` clients: regions below the company, branches below them.
pub fn grow_tree(company: &mut CompanySeed, total: usize) {
    let mut n = company.clients.len() + 1;
    let mut region = 0;
    while n < total {
        region += 1;
        let region_id = format!("{}-r{region}", company.client_id);
        company.clients.push(sub(
            &region_id,
            &format!("Region {region}"),
            &company.client_id,
            false,
            0,
        ));
        n += 1;
        for branch in 1..=99 {
            if n >= total {
                break;
            }
            company.clients.push(sub(
                &format!("{region_id}-b{branch}"),
                &format!("Branch {region}.{branch}"),
                &region_id,
                true,
                1,
            ));
            n += 1;
        }
    }
}

const FIRST: [&str; 20] = [
    "Anna", "Ben", "Clara", "David", "Elif", "Felix", "Greta", "Hannah", "Jonas", "Jörg", "Lea",
    "Lukas", "Mia", "Noah", "Sophie", "Tim", "Renée", "Yusuf", "Zoe", "Emil",
];
const LAST: [&str; 20] = [
    "Müller",
    "Schmidt",
    "Schneider",
    "Fischer",
    "Weber",
    "Meyer",
    "Wagner",
    "Becker",
    "Schulz",
    "Hoffmann",
    "Koch",
    "Richter",
    "Klein",
    "Wolf",
    "Schröder",
    "Neumann",
    "Braun",
    "Zimmermann",
    "Krüger",
    "O'Brien",
];

/// Hashes a password with Gatehouse's argon2id parameters (the same PHC format the worker writes).
pub fn hash_password(password: &str, salt: [u8; 16]) -> String {
    hash_password_with(domain::hashing::HashParams::OWASP, password, salt)
}

/// Hashes a password with the given argon2id parameters.
pub fn hash_password_with(
    p: domain::hashing::HashParams,
    password: &str,
    salt: [u8; 16],
) -> String {
    let params =
        Params::new(p.memory_kib, p.iterations, p.parallelism, None).expect("valid parameters");
    let salt = SaltString::encode_b64(&salt).expect("16-byte salt");
    let normalised = domain::password::Password::new(password);
    Argon2::new(Algorithm::Argon2id, Version::V0x13, params)
        .hash_password(normalised.expose().as_bytes(), &salt)
        .expect("hashing works")
        .to_string()
}

fn q(s: &str) -> String {
    format!("'{}'", s.replace('\'', "''"))
}

/// One client as the generator tracks it.
struct Placed {
    key: ClientKey,
    path: ClientPath,
}

/// What one account row needs.
struct Row<'a> {
    id: AccountId,
    client: &'a Placed,
    company: ClientKey,
    username: &'a str,
    email: &'a str,
    names: (&'a str, &'a str),
    role: RoleId,
    status: &'a str,
    hash: Option<&'a str>,
    language: &'a str,
    access_all: bool,
    default_client: Option<ClientKey>,
    created: i64,
}

fn account(out: &mut String, r: &Row<'_>) {
    let hash = r.hash.map(q).unwrap_or_else(|| "NULL".into());
    let default = r
        .default_client
        .map(|k| q(&k.to_string()))
        .unwrap_or_else(|| "NULL".into());
    let _ = writeln!(
        out,
        "INSERT OR IGNORE INTO accounts (id, client_id, company_id, username, email, first_name, surname, role_id, extra_permissions, access_all, default_client_id, status, password_hash, language, created_at, updated_at, deactivated_at, sort_name, search_terms) \
         VALUES ({}, {}, {}, {}, {}, {}, {}, {}, '', {}, {default}, {}, {hash}, {}, {c}, {c}, {}, {}, {});",
        q(&r.id.to_string()),
        q(&r.client.key.to_string()),
        q(&r.company.to_string()),
        q(r.username),
        q(r.email),
        q(r.names.0),
        q(r.names.1),
        q(&r.role.to_string()),
        i64::from(r.access_all),
        q(r.status),
        q(r.language),
        if r.status == "deactivated" { r.created.to_string() } else { "NULL".into() },
        q(&domain::search::sort_name(r.names.0, r.names.1)),
        q(&domain::search::terms_json(&domain::search::terms(r.names.0, r.names.1, r.username, r.email))),
        c = r.created,
    );
}

/// SQL that creates the companies with their trees, roles, admins, people and extra accounts, at `now`.
pub fn sql(companies: &[CompanySeed], now: Timestamp, seed: u64) -> String {
    let mut rng = StdRng::seed_from_u64(seed);
    let mut out = String::new();
    for c in companies {
        let mut placed: HashMap<String, Placed> = HashMap::new();
        let company = ClientKey::from_random_bytes(rng.gen());
        let company_path = ClientPath::company(company);
        let client_row = |out: &mut String,
                          id: &str,
                          name: &str,
                          parent: Option<ClientKey>,
                          path: &ClientPath,
                          sender: bool| {
            let _ = writeln!(
                out,
                "INSERT OR IGNORE INTO clients (id, company_id, client_id, name, parent_id, path, is_sender, active, created_at, updated_at) \
                 VALUES ({}, {}, {}, {}, {}, {}, {}, 1, {n}, {n});",
                q(&path.client().to_string()),
                q(&company.to_string()),
                q(id),
                q(name),
                parent.map(|p| q(&p.to_string())).unwrap_or_else(|| "NULL".into()),
                q(&path.to_stored()),
                i64::from(sender),
                n = now.0
            );
        };
        client_row(&mut out, &c.client_id, &c.name, None, &company_path, true);
        placed.insert(
            c.client_id.clone(),
            Placed {
                key: company,
                path: company_path,
            },
        );
        for sc in &c.clients {
            let parent = placed
                .get(&sc.parent)
                .expect("parents come first")
                .path
                .clone();
            let key = ClientKey::from_random_bytes(rng.gen());
            let path = parent.child(key).expect("seed trees are shallow");
            client_row(
                &mut out,
                &sc.client_id,
                &sc.name,
                Some(parent.client()),
                &path,
                sc.is_sender,
            );
            placed.insert(sc.client_id.clone(), Placed { key, path });
        }
        if let Some(ttl) = c.invitation_ttl {
            let _ = writeln!(
                out,
                "INSERT OR IGNORE INTO client_settings (client_id, invitation_ttl_seconds, updated_at) VALUES ({}, {ttl}, {});",
                q(&company.to_string()),
                now.0
            );
        }
        let mut roles: HashMap<String, RoleId> = HashMap::new();
        for (name, builtin, perms) in [
            (ADMIN_ROLE, "'admin'", PermissionSet::EMPTY),
            (USER_ROLE, "'user'", PermissionSet::EMPTY),
        ]
        .into_iter()
        .map(|(n, b, p)| (n.to_owned(), b.to_owned(), p))
        .chain(c.roles.iter().map(|r| {
            (
                r.name.clone(),
                "NULL".to_owned(),
                r.permissions.iter().copied().collect(),
            )
        })) {
            let id = RoleId::from_random_bytes(rng.gen());
            let _ = writeln!(
                out,
                "INSERT OR IGNORE INTO roles (id, company_id, name, builtin, permissions, created_at, updated_at) VALUES ({}, {}, {}, {builtin}, {}, {n}, {n});",
                q(&id.to_string()),
                q(&company.to_string()),
                q(&name),
                q(&perms.to_stored()),
                n = now.0
            );
            roles.insert(name, id);
        }
        let hash = hash_password(&c.password, rng.gen());
        let admin_id = AccountId::from_random_bytes(rng.gen());
        // the admin is the oldest account
        account(
            &mut out,
            &Row {
                id: admin_id,
                client: &placed[&c.client_id],
                company,
                username: &c.admin_username,
                email: &c.admin_email,
                names: ("Ada", "Admin"),
                role: roles[ADMIN_ROLE],
                status: "accepted",
                hash: Some(&hash),
                language: "en",
                access_all: true,
                default_client: None,
                created: now.0 - 90 * 86_400_000,
            },
        );
        for p in &c.people {
            let id = AccountId::from_random_bytes(rng.gen());
            let own_hash = p
                .hash_params
                .map(|params| hash_password_with(params, &c.password, rng.gen()));
            let email = format!("{}@{}.example", p.username, c.client_id);
            account(
                &mut out,
                &Row {
                    id,
                    client: &placed[&p.client],
                    company,
                    username: &p.username,
                    email: &email,
                    names: (&p.first_name, &p.surname),
                    role: roles[&p.role],
                    status: "accepted",
                    hash: Some(own_hash.as_deref().unwrap_or(&hash)),
                    language: "en",
                    access_all: p.access.is_none(),
                    default_client: p.default_client.as_ref().map(|d| placed[d].key),
                    created: now.0 - 80 * 86_400_000,
                },
            );
            for listed in p.access.iter().flatten() {
                let _ = writeln!(
                    out,
                    "INSERT OR IGNORE INTO account_clients (account_id, client_id) VALUES ({}, {});",
                    q(&id.to_string()),
                    q(&placed[listed].key.to_string())
                );
            }
        }
        let ttl = c.invitation_ttl.unwrap_or(Ttl::DEFAULT_INVITATION.0);
        let populated = std::iter::once((c.client_id.as_str(), c.extra_users))
            .chain(c.clients.iter().map(|sc| (sc.client_id.as_str(), sc.users)));
        for (client_id, users) in populated {
            let client = &placed[client_id];
            for n in 0..users {
                let first = FIRST[n % FIRST.len()];
                let last = LAST[(n / FIRST.len() + n * 7) % LAST.len()];
                let base = domain::values::Username::propose(first, last, Default::default())
                    .expect("seed names make usernames");
                // first names repeat after 20 accounts: number the rest
                let username = if n < FIRST.len() {
                    base
                } else {
                    base.with_suffix(n as u32)
                };
                let email = format!("{}@{}.example", username.as_str(), client_id);
                let id = AccountId::from_random_bytes(rng.gen());
                // spread over the last weeks, newest first by index
                let created = now.0 - (n as i64 + 1) * 2 * 3_600_000 - rng.gen_range(0..3_600_000);
                let (status, invitation) = match n % 6 {
                    0 | 1 => ("invited", Some(created + ttl * 1000)),
                    2 => ("invited", Some(now.0 - 86_400_000)), // ran out yesterday: shows Expired
                    5 => ("deactivated", None),
                    _ => ("accepted", None),
                };
                account(
                    &mut out,
                    &Row {
                        id,
                        client,
                        company,
                        username: username.as_str(),
                        email: &email,
                        names: (first, last),
                        role: roles[USER_ROLE],
                        status,
                        hash: (status != "invited").then_some(hash.as_str()),
                        language: if n % 4 == 0 { "de" } else { "en" },
                        access_all: true,
                        default_client: None,
                        created,
                    },
                );
                if let Some(expires_at) = invitation {
                    // a token nobody knows: seeded links cannot be opened, only their badges shown
                    let digest = Token::from_random_bytes(rng.gen()).digest();
                    let _ = writeln!(
                        out,
                        "INSERT OR IGNORE INTO invitations (id, account_id, client_id, email, token_digest, state, invited_by, language, created_at, expires_at) \
                         VALUES ({}, {}, {}, {}, {}, 'pending', {}, 'en', {created}, {expires_at});",
                        q(&InvitationId::from_random_bytes(rng.gen()).to_string()),
                        q(&id.to_string()),
                        q(&client.key.to_string()),
                        q(&email),
                        q(digest.as_str()),
                        q(&admin_id.to_string())
                    );
                }
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn seed_is_deterministic_and_escapes_quotes() {
        let companies = [acme("pw", 25), globex("pw")];
        let a = sql(&companies, Timestamp(1_800_000_000_000), 7);
        assert_eq!(a, sql(&companies, Timestamp(1_800_000_000_000), 7));
        assert!(a.contains("'O''Brien'"));
        // acme: admin + 3 people + 25 + 19 in sub-clients; globex: admin + 4 + 2
        assert_eq!(a.matches("INSERT OR IGNORE INTO accounts").count(), 48 + 7);
        assert_eq!(a.matches("INSERT OR IGNORE INTO clients").count(), 7 + 2);
    }

    #[test]
    fn trees_grow_to_the_asked_size() {
        let mut company = acme("pw", 0);
        grow_tree(&mut company, 1000);
        assert_eq!(company.clients.len() + 1, 1000);
        let text = sql(&[company], Timestamp(1_800_000_000_000), 1);
        assert_eq!(text.matches("INSERT OR IGNORE INTO clients").count(), 1000);
    }
}
