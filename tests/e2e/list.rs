//! The users list as an admin works in it: search, counts, pages both ways, sorts, filters,
//! username proposals and concurrent invitations, against real workerd. Each test has its own
//! company, so one test's invitations never shift another's pages: `workbench` (45 seeded accounts
//! over every status, only read), `tally` (counts) and `bustling` (search, concurrent invites).

use std::collections::HashSet;

use domain::api::{ErrorCode, UserPage, UserRow, UsernameSuggestion};
use domain::list::ListFilter;
use domain::{AccountStatus, Badge};
use gatehouse_tests::harness::{outbox_link_for, token_of, Api, GOOD_PASSWORD};
use serde_json::json;

fn email(tag: &str) -> String {
    format!("{tag}.{}@test.example", uuid::Uuid::new_v4().simple())
}

fn percent(text: &str) -> String {
    domain::api::percent_encode(text)
}

/// Every account the query lists, walking `next_cursor` (pages of `limit`).
async fn walk_forward(admin: &mut Api, query: &str, limit: u32) -> Vec<UserPage> {
    let mut pages = Vec::new();
    let mut cursor: Option<String> = None;
    loop {
        let mut q = format!("?limit={limit}&{query}");
        if let Some(c) = &cursor {
            q.push_str(&format!("&cursor={c}"));
        }
        let a = admin.users(&q).await;
        assert_eq!(a.status, 200, "{q}: {a:?}");
        let page: UserPage = a.typed();
        cursor = page.next_cursor.clone();
        pages.push(page);
        if cursor.is_none() {
            return pages;
        }
        assert!(pages.len() < 200, "paging does not end");
    }
}

fn ids(rows: &[UserRow]) -> Vec<String> {
    rows.iter().map(|u| u.id.to_string()).collect()
}

#[tokio::test]
async fn search_finds_by_each_field_by_word_and_by_accent_free_spelling() {
    let mut admin = Api::admin_of("bustling").await;
    let tag = uuid::Uuid::new_v4().simple().to_string();
    let lw = format!("lw.kontakt.{tag}@firma-polska.example");
    let invited = [
        admin.invite("Łukasz", "Wałęsa", &lw).await.user,
        admin
            .invite("Søren", "Ærø-Hansen", &email("soren"))
            .await
            .user,
        admin.invite("Jörg", "Strauß", &email("joerg")).await.user,
    ];
    // proposed usernames keep every letter: ł → l, ø → o, æ → ae, ß → ss, ö → oe
    assert!(
        invited[0].username.starts_with("lukasz.walesa"),
        "{}",
        invited[0].username
    );
    assert!(
        invited[1].username.starts_with("soren.aero-hansen"),
        "{}",
        invited[1].username
    );
    assert!(
        invited[2].username.starts_with("joerg.strauss"),
        "{}",
        invited[2].username
    );
    let cases: [(&str, usize); 11] = [
        ("lukasz", 0),       // first name without its accent
        ("WAŁĘSA", 0),       // surname, any case
        ("walesa luk", 0),   // surname then first name
        ("lukasz wal", 0),   // full name
        (&tag[..12], 0),     // a word inside the e-mail address
        ("firma-polska", 0), // the e-mail's domain
        ("lw.kontakt", 0),   // the start of the address
        ("soren", 1),
        ("aero", 1),      // æ → ae, ø → o
        ("strauss", 2),   // ß → ss
        ("joerg.str", 2), // the username
    ];
    for (q, who) in cases {
        let a = admin.users(&format!("?q={}", percent(q))).await;
        assert_eq!(a.status, 200, "{q}: {a:?}");
        let page: UserPage = a.typed();
        assert!(
            page.users.iter().any(|u| u.id == invited[who].id),
            "{q} finds {}: {:?}",
            invited[who].email,
            page.users.iter().map(|u| &u.email).collect::<Vec<_>>()
        );
        let matched = page
            .matches
            .expect("a search's first page counts its matches");
        assert!(matched.count as usize >= page.users.len());
        // each account is listed once, however many of its terms match
        let unique: HashSet<_> = page.users.iter().map(|u| u.id).collect();
        assert_eq!(unique.len(), page.users.len(), "{q}");
    }
    // what does not start a word finds nothing
    let none: UserPage = admin.users("?q=ukasz").await.typed();
    assert!(none.users.iter().all(|u| u.id != invited[0].id));
    // a search within a status filter
    let invited_only: UserPage = admin
        .users(&format!(
            "?q=lukasz&status={}",
            ListFilter::Accepted.as_str()
        ))
        .await
        .typed();
    assert!(invited_only.users.iter().all(|u| u.id != invited[0].id));
    let with_filter: UserPage = admin.users("?q=lukasz&status=invited").await.typed();
    assert!(with_filter.users.iter().any(|u| u.id == invited[0].id));
    // only punctuation: no search at all, the plain list
    let plain: UserPage = admin.users("?q=%20.-").await.typed();
    assert_eq!(plain.matches, None);
}

#[tokio::test]
async fn counts_equal_a_full_count_after_invites_accepts_cancels_and_resends() {
    use rand::{Rng, SeedableRng};
    // a different sequence each run, named in every failure
    let seed: u64 = rand::random();
    let mut rng = rand::rngs::StdRng::seed_from_u64(seed);
    let mut admin = Api::admin_of("tally").await;
    let mut people = Vec::new();
    for i in 0..rng.gen_range(3..=8) {
        let e = email(&format!("count{i}"));
        people.push((
            admin.invite("Count", &format!("Person{i}"), &e).await.user,
            e,
            rng.gen_bool(0.5),
        ));
    }
    // some of them accept, in a random order (the first also tries a password with their surname)
    let mut accepting: Vec<_> = people.iter().filter(|p| p.2).collect();
    accepting.sort_by_key(|_| rng.gen::<u32>());
    for (i, (user, e, _)) in accepting.iter().enumerate() {
        let token = token_of(&outbox_link_for(e).await).to_owned();
        if i == 0 {
            let own_name = format!("Xy1!{}-secret", user.surname.to_uppercase());
            let refused = Api::new()
                .accept(&token,
                    json!({"first_name": user.first_name, "surname": user.surname, "password": own_name, "password_confirmation": own_name}),
                )
                .await;
            assert_eq!(refused.status, 422, "seed {seed}: {refused:?}");
            assert_eq!(refused.code(), ErrorCode::WeakPassword);
        }
        let accepted = Api::new()
            .accept(&token,
                json!({"first_name": user.first_name, "surname": user.surname, "password": GOOD_PASSWORD, "password_confirmation": GOOD_PASSWORD}),
            )
            .await;
        assert_eq!(accepted.status, 200, "seed {seed}: {accepted:?}");
    }
    // the others: some are cancelled, some resent, some cancelled and then resent
    for (user, _, _) in people.iter().filter(|p| !p.2) {
        let path = format!("/api/accounts/{}/invitation", user.id);
        let steps: &[reqwest::Method] = match rng.gen_range(0..4) {
            0 => &[],
            1 => &[reqwest::Method::DELETE],
            2 => &[reqwest::Method::POST],
            _ => &[reqwest::Method::DELETE, reqwest::Method::POST],
        };
        for step in steps {
            let a = admin.send(step.clone(), &path, None).await;
            assert_eq!(a.status, 200, "seed {seed}: {step} {a:?}");
        }
    }
    // every filter's count against the rows its pages list, and against the badges of all rows
    let all: Vec<UserRow> = walk_forward(&mut admin, "", 100)
        .await
        .into_iter()
        .flat_map(|p| p.users)
        .collect();
    let first: UserPage = admin.users("").await.typed();
    let counts = first.counts;
    assert_eq!(counts.all as usize, all.len());
    let by_badge = |f: &dyn Fn(&UserRow) -> bool| all.iter().filter(|u| f(u)).count() as u64;
    assert_eq!(
        counts.accepted,
        by_badge(&|u| u.status == AccountStatus::Accepted)
    );
    assert_eq!(
        counts.deactivated,
        by_badge(&|u| u.status == AccountStatus::Deactivated)
    );
    assert_eq!(
        counts.expired,
        by_badge(&|u| matches!(u.badge, Badge::Expired { .. }))
    );
    assert_eq!(
        counts.invited,
        by_badge(&|u| matches!(
            u.badge,
            Badge::Invited {
                expires_at: Some(_)
            }
        ))
    );
    assert!(counts.expired > 0 && counts.accepted > 0 && counts.deactivated > 0);
    // every account is in exactly one of the status filters, or cancelled (listed under All)
    let cancelled = by_badge(&|u| u.badge == Badge::Cancelled);
    assert_eq!(
        counts.invited + counts.expired + counts.accepted + counts.deactivated + cancelled,
        counts.all,
        "seed {seed}"
    );
    for filter in ListFilter::ALL {
        let listed: usize = walk_forward(&mut admin, &format!("status={}", filter.as_str()), 100)
            .await
            .iter()
            .map(|p| p.users.len())
            .sum();
        assert_eq!(
            counts.of(filter) as usize,
            listed,
            "seed {seed}: {filter:?}"
        );
    }
    // the people who accepted here are accepted, the others still invited
    for (user, _, accepted) in &people {
        let want = if *accepted {
            AccountStatus::Accepted
        } else {
            AccountStatus::Invited
        };
        assert!(
            all.iter().any(|u| u.id == user.id && u.status == want),
            "seed {seed}"
        );
    }
}

#[tokio::test]
async fn an_invitation_moves_from_invited_to_expired_in_the_counts_when_its_link_runs_out() {
    // blink's links are valid for one second
    let mut admin = Api::admin_of("blink").await;
    let before: UserPage = admin.users("").await.typed();
    admin.invite("Brief", "Link", &email("brief")).await;
    let fresh: UserPage = admin.users("").await.typed();
    assert_eq!(fresh.counts.all, before.counts.all + 1);
    tokio::time::sleep(std::time::Duration::from_millis(1300)).await;
    let later: UserPage = admin.users("").await.typed();
    assert_eq!(later.counts.expired, fresh.counts.expired + 1, "{later:?}");
    assert_eq!(later.counts.invited + 1, fresh.counts.invited);
    let expired: UserPage = admin.users("?status=expired&limit=100").await.typed();
    assert_eq!(expired.users.len() as u64, later.counts.expired);
    assert!(expired
        .users
        .iter()
        .all(|u| matches!(u.badge, Badge::Expired { .. })));
}

#[tokio::test]
async fn previous_and_next_visit_every_account_exactly_once_in_both_directions() {
    let mut admin = Api::admin_of("workbench").await;
    for query in [
        "",
        "sort=name",
        "sort=status",
        "status=accepted&sort=name",
        "status=expired",
        "status=invited",
        "q=a",
    ] {
        let pages = walk_forward(&mut admin, query, 7).await;
        let forward: Vec<String> = pages.iter().flat_map(|p| ids(&p.users)).collect();
        let unique: HashSet<&String> = forward.iter().collect();
        assert_eq!(unique.len(), forward.len(), "{query}: an account twice");
        assert!(
            pages[0].prev_cursor.is_none(),
            "{query}: the first page has no previous"
        );
        // back from the last page to the first
        let mut back: Vec<String> = ids(&pages.last().expect("a page").users);
        let mut cursor = pages.last().and_then(|p| p.prev_cursor.clone());
        while let Some(c) = cursor {
            let a = admin.users(&format!("?limit=7&{query}&cursor={c}")).await;
            assert_eq!(a.status, 200, "{query}: {a:?}");
            let page: UserPage = a.typed();
            assert!(
                page.next_cursor.is_some(),
                "{query}: a previous page has a next"
            );
            let mut ids = ids(&page.users);
            ids.extend(back);
            back = ids;
            cursor = page.prev_cursor;
            assert!(
                back.len() <= forward.len(),
                "{query}: paging back does not end"
            );
        }
        assert_eq!(
            back, forward,
            "{query}: back visits the same accounts in the same order"
        );
        if query.is_empty() {
            assert!(forward.len() > 40, "the seeded accounts are listed");
        }
    }
    // name order is A–Z by surname
    let by_name: Vec<UserRow> = walk_forward(&mut admin, "sort=name", 100)
        .await
        .into_iter()
        .flat_map(|p| p.users)
        .collect();
    let keys: Vec<String> = by_name
        .iter()
        .map(|u| domain::search::sort_name(&u.first_name, &u.surname))
        .collect();
    let mut sorted = keys.clone();
    sorted.sort();
    assert_eq!(keys, sorted);
}

#[tokio::test]
async fn five_admins_inviting_people_of_the_same_name_at_once_all_succeed() {
    let admin = Api::admin_of("bustling").await;
    let surname = format!("Gleich{}", &uuid::Uuid::new_v4().simple().to_string()[..6]);
    let path = {
        let mut a = Api::admin_of("bustling").await;
        format!("/api/clients/{}/invitations", a.me().await.client.key)
    };
    drop(admin);
    let tasks: Vec<_> = (0..5)
        .map(|i| {
            let path = path.clone();
            let surname = surname.clone();
            tokio::spawn(async move {
                let mut api = Api::admin_of("bustling").await;
                api.post(
                    &path,
                    json!({"first_name": "Anna", "surname": surname, "email": email(&format!("same{i}"))}),
                )
                .await
            })
        })
        .collect();
    let mut usernames = HashSet::new();
    for t in tasks {
        let a = t.await.expect("task");
        assert_eq!(a.status, 201, "{a:?}");
        usernames.insert(
            a.body["user"]["username"]
                .as_str()
                .expect("username")
                .to_owned(),
        );
    }
    assert_eq!(usernames.len(), 5, "{usernames:?}");
    // and the next proposal already knows all five are taken
    let mut api = Api::admin_of("bustling").await;
    let key = api.me().await.client.key;
    let s: UsernameSuggestion = api
        .get(&format!(
            "/api/clients/{key}/username-suggestion?first_name=Anna&surname={surname}"
        ))
        .await
        .typed();
    let base = format!("anna.{}", surname.to_lowercase());
    assert_eq!(s.username.as_deref(), Some(format!("{base}6").as_str()));
    assert!(usernames.contains(&base) && usernames.contains(&format!("{base}5")));
    let empty: UsernameSuggestion = api
        .get(&format!(
            "/api/clients/{key}/username-suggestion?first_name=%E6%9D%8E"
        ))
        .await
        .typed();
    assert_eq!(empty.username, None);
}

#[tokio::test]
async fn bad_list_queries_are_refused_by_field() {
    let mut admin = Api::admin_of("workbench").await;
    let first: UserPage = admin.users("?limit=2").await.typed();
    let newest_cursor = first.next_cursor.expect("a second page");
    let long = "x".repeat(domain::search::MAX_QUERY + 1);
    for (query, field, code) in [
        (
            "?status=bogus".to_owned(),
            "status",
            ErrorCode::FieldInvalid,
        ),
        ("?sort=bogus".to_owned(), "sort", ErrorCode::FieldInvalid),
        ("?limit=many".to_owned(), "limit", ErrorCode::FieldInvalid),
        (
            "?cursor=garbage".to_owned(),
            "cursor",
            ErrorCode::FieldInvalid,
        ),
        // a cursor of the newest-first order cannot continue the name order
        (
            format!("?sort=name&cursor={newest_cursor}"),
            "cursor",
            ErrorCode::FieldInvalid,
        ),
        (format!("?q={long}"), "q", ErrorCode::FieldTooLong),
    ] {
        let a = admin.users(&query).await;
        assert_eq!(
            (a.status.as_u16(), a.code(), a.field()),
            (422, code, field),
            "{query}: {a:?}"
        );
    }
}
