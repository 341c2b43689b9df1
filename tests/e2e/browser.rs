//! The invitation journey as a person does it, in headless Chromium: page objects find by label
//! and role, act, then check; every wait is for a condition, never a fixed sleep.

use fantoccini::{elements::Element, Client, Locator};
use gatehouse_tests::harness::{browser, outbox_link_for, repo_root, server, Api, ADMIN_PASSWORD};
use std::time::Duration;

const WAIT: Duration = Duration::from_secs(20);

/// axe-core's browser bundle (the npm package pinned in package.json), read once.
fn axe_source() -> &'static str {
    static SOURCE: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    SOURCE.get_or_init(|| {
        let path = repo_root().join("node_modules/axe-core/axe.min.js");
        std::fs::read_to_string(&path).unwrap_or_else(|e| {
            panic!("{}: {e} (scripts/bootstrap.sh installs it)", path.display())
        })
    })
}

/// An XPath string literal for any text.
fn lit(s: &str) -> String {
    if !s.contains('\'') {
        format!("'{s}'")
    } else {
        format!("concat('{}')", s.replace('\'', "', \"'\", '"))
    }
}

struct Page {
    c: Client,
}

impl Page {
    async fn open(&self, path: &str) {
        self.c
            .goto(&format!("{}{path}", server().base))
            .await
            .expect("navigate");
    }

    async fn find(&self, xpath: &str) -> Element {
        self.c
            .wait()
            .at_most(WAIT)
            .for_element(Locator::XPath(xpath))
            .await
            .unwrap_or_else(|e| panic!("{xpath} never appeared: {e}"))
    }

    /// The input a `<label>` starting with `text` points to.
    async fn field(&self, text: &str) -> Element {
        let label = self
            .find(&format!(
                "//label[starts-with(normalize-space(.), {})]",
                lit(text)
            ))
            .await;
        let id = label
            .attr("for")
            .await
            .expect("label attr")
            .unwrap_or_else(|| panic!("label {text} has no for="));
        self.find(&format!("//*[@id={}]", lit(&id))).await
    }

    async fn fill(&self, label: &str, value: &str) {
        let input = self.field(label).await;
        input.clear().await.expect("clear");
        input.send_keys(value).await.expect("type");
    }

    async fn click_button(&self, text: &str) {
        let button = self
            .find(&format!(
                "//button[normalize-space(.)={} and not(@disabled)]",
                lit(text)
            ))
            .await;
        button.click().await.expect("click");
    }

    async fn heading(&self, text: &str) -> Element {
        self.find(&format!(
            "//*[self::h1 or self::h2][contains(normalize-space(.), {})]",
            lit(text)
        ))
        .await
    }

    /// On *Sign-in security*: "Set up two-factor authentication", the password again, and the
    /// key as the person would type it into their app (codes are computed from it here).
    async fn start_two_factor_setup(&self, password: &str) -> domain::totp::TotpSecret {
        self.click_button("Set up two-factor authentication").await;
        self.fill("Password", password).await;
        self.click_button("Continue").await;
        let key = self
            .find("//dialog[@open]//code[@data-key]")
            .await
            .attr("data-key")
            .await
            .expect("attr")
            .expect("key");
        domain::totp::TotpSecret::from_base32(&key).expect("the shown key reads back")
    }

    async fn sees_text(&self, text: &str) -> Element {
        self.find(&format!(
            "//*[contains(normalize-space(text()), {})]",
            lit(text)
        ))
        .await
    }

    async fn alert_text(&self) -> String {
        self.find("//*[@role='alert']")
            .await
            .text()
            .await
            .expect("alert text")
    }

    /// Waits until every checklist item's `data-met` is `want`, or fails with the list.
    async fn checklist_all(&self, want: bool) {
        let xpath = format!("//li[@data-met and @data-met!='{want}']");
        let deadline = std::time::Instant::now() + WAIT;
        loop {
            let items = self
                .c
                .find_all(Locator::XPath("//li[@data-met]"))
                .await
                .expect("checklist");
            let off = self
                .c
                .find_all(Locator::XPath(&xpath))
                .await
                .expect("checklist");
            if !items.is_empty() && off.is_empty() {
                return;
            }
            assert!(
                std::time::Instant::now() < deadline,
                "checklist never all {want}: {} of {} differ",
                off.len(),
                items.len()
            );
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }

    /// Waits until the element's `value` property is `want`.
    async fn value_becomes(&self, xpath: &str, want: &str) {
        let deadline = std::time::Instant::now() + WAIT;
        loop {
            let value = self
                .find(xpath)
                .await
                .prop("value")
                .await
                .expect("value")
                .unwrap_or_default();
            if value == want {
                return;
            }
            assert!(
                std::time::Instant::now() < deadline,
                "{xpath} stayed {value}, not {want}"
            );
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }

    /// A state worth keeping: a screenshot in `target/screenshots/`, then axe-core's check of the
    /// page as it stands (open dialogs included); a violation of impact serious or critical fails
    /// the test, naming the rule, the impact and the elements.
    async fn checkpoint(&self, name: &str) {
        let png = self.c.screenshot().await.expect("screenshot");
        let dir = repo_root().join("target/screenshots");
        std::fs::create_dir_all(&dir).expect("screenshot dir");
        std::fs::write(dir.join(name), png).expect("write screenshot");
        let found = self.axe().await;
        assert!(
            found.is_empty(),
            "{name}: accessibility violations found by axe-core:\n{}",
            found.join("\n")
        );
        // the app's Content-Security-Policy blocked nothing on this page (boot.js keeps the list)
        let blocked = self
            .c
            .execute("return window.gatehouseCspViolations || null;", vec![])
            .await
            .expect("read CSP violations");
        assert_eq!(
            blocked,
            serde_json::json!([]),
            "{name}: Content-Security-Policy violations (or boot.js did not run)"
        );
    }

    /// The serious and critical violations axe-core finds in the page now.
    async fn axe(&self) -> Vec<String> {
        let loaded = self
            .c
            .execute("return typeof window.axe === 'object';", vec![])
            .await
            .expect("probe axe");
        if loaded != serde_json::Value::Bool(true) {
            self.c
                .execute(axe_source(), vec![])
                .await
                .expect("inject axe-core");
        }
        // ChromeDriver awaits a returned promise
        let result = self
            .c
            .execute(
                r#"return axe.run(document, { resultTypes: ['violations'] }).then(r => r.violations
                   .filter(v => v.impact === 'serious' || v.impact === 'critical')
                   .map(v => `${v.impact} ${v.id}: ${v.help}\n    ${v.nodes.map(n => n.target.join(' ')).join('\n    ')}`));"#,
                vec![],
            )
            .await
            .expect("run axe-core");
        serde_json::from_value(result).expect("axe findings")
    }

    async fn sign_in(&self, client_id: &str, username: &str, password: &str) {
        self.open("/signin").await;
        self.fill("Client ID", client_id).await;
        self.fill("Username", username).await;
        self.fill("Password", password).await;
        self.click_button("Sign in").await;
    }
}

#[tokio::test]
async fn invite_accept_and_see_the_badge_turn_accepted() {
    let page = Page { c: browser().await };
    let email = format!("browser.{}@test.example", uuid::Uuid::new_v4().simple());

    // the admin signs in and lands on the users page
    page.open("/signin").await;
    page.heading("Sign in").await;
    page.checkpoint("signin.png").await;
    page.sign_in("acme", "admin", ADMIN_PASSWORD).await;
    page.heading("Users").await;
    page.find("//table//th[normalize-space(.)='Status']").await;

    // invites someone: the dialog proposes a username from the names
    page.click_button("Invite user").await;
    page.find("//dialog[@open]").await;
    // sent empty first: every missing field says so beside itself
    page.click_button("Send invitation").await;
    page.find("//dialog[@open]//*[@aria-invalid='true']").await;
    page.checkpoint("invite-dialog-errors.png").await;
    page.fill("First name", "Brigitte").await;
    page.fill("Surname", "Browser").await;
    page.fill("E-mail", &email).await;
    page.checkpoint("invite-dialog.png").await;
    let proposed = page
        .field("Username")
        .await
        .prop("value")
        .await
        .expect("value")
        .unwrap_or_default();
    assert_eq!(proposed, "brigitte.browser");
    page.click_button("Send invitation").await;
    page.sees_text(&format!("Invitation sent to {email}")).await;
    let row = page
        .find(&format!(
            "//tr[.//*[contains(normalize-space(.), {})]]",
            lit(&email)
        ))
        .await;
    let row_text = row.text().await.expect("row");
    assert!(row_text.contains("Invited"), "new row: {row_text}");
    assert!(
        row_text.contains("expires"),
        "new row shows when the link expires: {row_text}"
    );
    page.click_button("Sign out").await;
    page.heading("Sign in").await;

    // the invitee opens the link from the mail
    let link = outbox_link_for(&email).await;
    page.c.goto(&link).await.expect("open link");
    page.heading("Welcome to Acme GmbH").await;
    assert_eq!(
        page.field("First name")
            .await
            .prop("value")
            .await
            .unwrap()
            .as_deref(),
        Some("Brigitte")
    );

    // a weak password: the checklist shows what is missing, the server refuses it
    page.fill("Password", "password").await;
    page.fill("Confirm password", "password").await;
    let upper = page
        .find("//li[@data-met][contains(., 'upper-case')]")
        .await;
    assert_eq!(
        upper.attr("data-met").await.unwrap().as_deref(),
        Some("false")
    );
    page.checkpoint("accept-weak-password.png").await;
    page.click_button("Accept invitation and sign in").await;
    let alert = page.alert_text().await;
    assert!(
        alert.contains("does not meet"),
        "weak password alert: {alert}"
    );

    // a good one: every rule turns green, and the account is ready
    page.fill("Password", "Correct-Horse-42").await;
    page.fill("Confirm password", "Correct-Horse-42").await;
    page.checklist_all(true).await;
    page.click_button("Accept invitation and sign in").await;
    page.sees_text("Welcome, Brigitte").await;
    page.click_button("Sign out").await;
    page.heading("Sign in").await;

    // the admin signs back in and sees the badge say Accepted
    page.sign_in("acme", "admin", ADMIN_PASSWORD).await;
    page.heading("Users").await;
    let badge = page
        .find(&format!(
            "//tr[.//*[contains(normalize-space(.), {})]]//*[contains(@class, 'badge-accepted')]",
            lit(&email)
        ))
        .await;
    assert_eq!(badge.text().await.unwrap().trim(), "Accepted");
    page.checkpoint("users.png").await;
    // filtered to the accepted: the new person is there, the invited are not
    page.click_filter("accepted").await;
    page.gone("//*[contains(@class, 'badge-invited')]").await;
    page.find(&format!(
        "//tr[.//*[contains(normalize-space(.), {})]]",
        lit(&email)
    ))
    .await;
    page.checkpoint("users-filtered.png").await;

    // on a phone the same page shows each account as a card, status included, in German too
    page.c.set_window_size(390, 844).await.expect("resize");
    page.find("//select[@id=//label[normalize-space(.)='Language']/@for]")
        .await
        .select_by_value("de")
        .await
        .expect("switch to German");
    page.heading("Benutzer").await;
    page.sees_text("Angenommen").await;
    page.checkpoint("users-mobile-de.png").await;
    page.c.close().await.expect("close browser");
}

#[tokio::test]
async fn dead_links_say_why_before_any_password_is_typed() {
    let page = Page { c: browser().await };
    // an old-style link (token in the path) still works: the worker moves it behind `#`
    page.open(&format!("/accept/{}", "A".repeat(43))).await;
    page.heading("This invitation cannot be used").await;
    let url = page.c.current_url().await.expect("url");
    assert_eq!(
        (url.path(), url.fragment()),
        ("/accept", Some("A".repeat(43).as_str()))
    );
    let alert = page.alert_text().await;
    assert!(alert.contains("not valid"), "{alert}");
    let passwords = page
        .c
        .find_all(Locator::Css("input[type=password]"))
        .await
        .expect("query");
    assert!(passwords.is_empty(), "a dead link shows a password field");
    page.checkpoint("accept-dead-link.png").await;
    page.c.close().await.expect("close browser");
}

#[tokio::test]
async fn the_accept_page_speaks_the_invitations_language() {
    let email = format!("sprache.{}@test.example", uuid::Uuid::new_v4().simple());
    let mut admin = Api::admin_of("acme").await;
    let invited = admin
        .invite_raw(
            serde_json::json!({"first_name": "Renée", "surname": "Weiß", "email": email,
            "language": "de", "message": "Schön, dass du dabei bist!"}),
        )
        .await;
    assert_eq!(invited.status, 201, "{invited:?}");
    let link = outbox_link_for(&email).await;

    let page = Page { c: browser().await };
    page.c.goto(&link).await.expect("open link");
    page.heading("Willkommen bei Acme GmbH").await;
    page.sees_text("Schön, dass du dabei bist!").await;
    page.field("Passwort").await;
    let rule = page
        .find("//li[@data-met][contains(., 'Mindestens 8 Zeichen')]")
        .await;
    assert_eq!(
        rule.attr("data-met").await.unwrap().as_deref(),
        Some("false")
    );
    page.fill("Passwort", "Straße-am-See-7").await;
    assert_eq!(
        rule.attr("data-met").await.unwrap().as_deref(),
        Some("true")
    );
    page.checkpoint("accept-de.png").await;
    page.c.close().await.expect("close browser");
}

#[tokio::test]
async fn a_sub_client_invitation_with_two_clients_lands_in_the_default_and_switches() {
    let page = Page { c: browser().await };
    let tag = uuid::Uuid::new_v4().simple().to_string();
    let name = format!("Branch {}", &tag[..6]);
    let client_id = format!("br-{}", &tag[..6]);
    let email = format!("branch.{tag}@test.example");

    // the admin creates a sub-client and marks it as sender
    page.sign_in("acme", "admin", ADMIN_PASSWORD).await;
    page.heading("Users").await;
    page.open("/clients").await;
    page.find("//table//th[contains(normalize-space(.), 'sender')]")
        .await;
    page.checkpoint("clients.png").await;
    page.find("//button[@id='new-client']")
        .await
        .click()
        .await
        .expect("click");
    page.find("//dialog[@open]").await;
    page.find("//*[@id='client-name']")
        .await
        .send_keys(&name)
        .await
        .expect("type");
    page.find("//*[@id='client-id']")
        .await
        .send_keys(&client_id)
        .await
        .expect("type");
    let sender = page.find("//*[@id='client-is-sender']").await;
    if sender.prop("checked").await.expect("checked").as_deref() != Some("true") {
        sender.click().await.expect("check");
    }
    page.checkpoint("new-client-dialog.png").await;
    page.find("//dialog[@open]//button[@type='submit']")
        .await
        .click()
        .await
        .expect("create");

    // selects it, and invites someone there with access to it and to Acme Sales
    page.find(&format!(
        "//table//*[self::a or self::button][normalize-space(.)={}]",
        lit(&name)
    ))
    .await
    .click()
    .await
    .expect("select client");
    // its settings, each with where the value comes from
    page.find("//*[@id='tab-settings']")
        .await
        .click()
        .await
        .expect("settings tab");
    page.find("//*[@id='setting-min-length']").await;
    page.sees_text("Default").await;
    page.checkpoint("client-settings.png").await;
    // the sign-in settings at the end of the tab
    let require = page.find("//*[@id='setting-require-two-factor']").await;
    page.c
        .execute(
            "arguments[0].scrollIntoView({block: 'center'});",
            vec![serde_json::to_value(&require).expect("element reference")],
        )
        .await
        .expect("scroll");
    page.checkpoint("client-settings-sign-in.png").await;
    page.c
        .execute("window.scrollTo(0, 0);", vec![])
        .await
        .expect("scroll back");
    page.find("//*[@id='tab-users']")
        .await
        .click()
        .await
        .expect("users tab");
    page.click_button("Invite user").await;
    page.find("//dialog[@open]").await;
    page.fill("First name", "Bea").await;
    page.fill("Surname", "Branch").await;
    page.fill("E-mail", &email).await;
    page.find("//*[@id='access-chosen']")
        .await
        .click()
        .await
        .expect("chosen");
    let mut admin = Api::admin_of("acme").await;
    let new_key = admin.client_key(&client_id).await;
    let sales_key = admin.client_key("acme-sales").await;
    for key in [new_key, sales_key] {
        let boxed = page.find(&format!("//*[@id='access-client-{key}']")).await;
        if boxed.prop("checked").await.expect("checked").as_deref() != Some("true") {
            boxed.click().await.expect("check client");
        }
    }
    page.find("//select[@id='default-client']")
        .await
        .select_by_value(&new_key.to_string())
        .await
        .expect("default client");
    page.checkpoint("invite-sub-client.png").await;
    page.click_button("Send invitation").await;
    page.sees_text(&format!("Invitation sent to {email}")).await;

    // the new account's page, and the roles page with its dialog
    page.find("//a[normalize-space(.)='Bea Branch']")
        .await
        .click()
        .await
        .expect("account page");
    page.heading("Bea Branch").await;
    page.find("//*[@id='account-role']").await;
    page.checkpoint("account.png").await;
    page.open("/roles").await;
    page.heading("Roles").await;
    page.checkpoint("roles.png").await;
    page.click_button("New role").await;
    page.find("//dialog[@open]").await;
    page.checkpoint("role-dialog.png").await;
    page.find("//dialog[@open]//button[normalize-space(.)='Cancel']")
        .await
        .click()
        .await
        .expect("cancel");
    page.click_button("Sign out").await;
    page.heading("Sign in").await;

    // the person accepts, is signed in, and lands in the default client
    let link = outbox_link_for(&email).await;
    page.c.goto(&link).await.expect("open link");
    page.fill("Password", "Correct-Horse-42").await;
    page.fill("Confirm password", "Correct-Horse-42").await;
    page.click_button("Accept invitation and sign in").await;
    let switcher = "//select[@id='client-switcher']";
    page.value_becomes(switcher, &new_key.to_string()).await;
    page.checkpoint("landed-default-client.png").await;
    // and switches to the other client
    page.find(switcher)
        .await
        .select_by_value(&sales_key.to_string())
        .await
        .expect("switch");
    page.sees_text("Acme Sales").await;
    page.value_becomes(switcher, &sales_key.to_string()).await;
    page.checkpoint("switched-client.png").await;
    page.c.close().await.expect("close browser");
}

/// WebDriver key codes.
const TAB: &str = "\u{e004}";
const ENTER: &str = "\u{e007}";
const ESCAPE: &str = "\u{e00c}";

impl Page {
    /// Types into whatever has focus, as a keyboard does.
    async fn keys(&self, keys: &str) {
        self.c
            .active_element()
            .await
            .expect("focused element")
            .send_keys(keys)
            .await
            .expect("keys");
    }

    /// The focused element: its id, its text or label, and whether its focus is visible (an
    /// outline or a focus ring drawn by the page's `:focus-visible` style).
    async fn focused(&self) -> (String, String, bool) {
        let v = self
            .c
            .execute(
                r#"const e = document.activeElement; const s = getComputedStyle(e);
                   const ring = (s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) > 0) || s.boxShadow !== 'none';
                   return [e.id || '', (e.getAttribute('aria-label') || e.innerText || '').trim(), ring];"#,
                vec![],
            )
            .await
            .expect("focused element");
        (
            v[0].as_str().unwrap_or_default().to_owned(),
            v[1].as_str().unwrap_or_default().to_owned(),
            v[2].as_bool().unwrap_or(false),
        )
    }

    /// Waits until nothing matches.
    async fn gone(&self, xpath: &str) {
        let deadline = std::time::Instant::now() + WAIT;
        while !self
            .c
            .find_all(Locator::XPath(xpath))
            .await
            .expect("find")
            .is_empty()
        {
            assert!(std::time::Instant::now() < deadline, "{xpath} stayed");
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }

    /// Presses Tab until the focused element has this id or text (bounded), and checks that the
    /// focus is visible there.
    async fn tab_to(&self, target: &str) {
        for _ in 0..60 {
            let (id, text, visible) = self.focused().await;
            if id == target || text == target {
                assert!(visible, "focus on {target} is not visible");
                return;
            }
            self.keys(TAB).await;
        }
        panic!("Tab never reached {target}");
    }
}

#[tokio::test]
async fn a_person_invites_and_accepts_with_the_keyboard_alone() {
    let page = Page { c: browser().await };
    let email = format!("keys.{}@test.example", uuid::Uuid::new_v4().simple());

    // sign in: the first field has focus, Tab moves on, Enter submits
    page.open("/signin").await;
    page.heading("Sign in").await;
    page.keys("acme").await;
    page.keys(TAB).await;
    page.keys("admin").await;
    page.keys(TAB).await;
    page.keys(ADMIN_PASSWORD).await;
    page.keys(ENTER).await;
    page.heading("Users").await;

    // the invite dialog opens from the keyboard, Escape closes it and focus returns to its button
    page.tab_to("Invite user").await;
    page.keys(ENTER).await;
    page.find("//dialog[@open]").await;
    assert_eq!(
        page.focused().await.0,
        "invite-first-name",
        "focus moves into the dialog"
    );
    page.keys(ESCAPE).await;
    page.gone("//dialog[@open]").await;
    assert_eq!(
        page.focused().await.1,
        "Invite user",
        "focus returns to the button"
    );

    // again, filled and sent with Enter
    page.keys(ENTER).await;
    page.find("//dialog[@open]").await;
    page.keys("Kira").await;
    page.keys(TAB).await;
    page.keys("Keys").await;
    page.tab_to("invite-email").await;
    page.keys(&email).await;
    page.keys(ENTER).await;
    page.sees_text(&format!("Invitation sent to {email}")).await;
    page.tab_to("Sign out").await;
    page.keys(ENTER).await;
    page.heading("Sign in").await;

    // the invited person: Tab to the password, type it twice, Enter
    let link = outbox_link_for(&email).await;
    page.c.goto(&link).await.expect("open link");
    page.heading("Welcome to Acme GmbH").await;
    page.tab_to("accept-password").await;
    page.keys("Correct-Horse-42").await;
    page.keys(TAB).await;
    page.keys("Correct-Horse-42").await;
    page.keys(ENTER).await;
    page.sees_text("Signed in as Kira Keys").await;
    page.c.close().await.expect("close browser");
}

impl Page {
    /// The page's cumulative layout shift so far (PerformanceObserver's buffered entries, shifts
    /// right after input excluded, as the metric defines it), and what moved.
    async fn layout_shift(&self) -> (f64, String) {
        let v = self
            .c
            .execute_async(
                r#"const done = arguments[arguments.length - 1];
                   let sum = 0; const moved = [];
                   const name = (n) => !n ? '?' : n.nodeType === 1
                     ? `${n.tagName.toLowerCase()}${n.id ? '#' + n.id : ''}.${[...n.classList].join('.')}`
                     : `text in ${name(n.parentElement)}`;
                   new PerformanceObserver((list) => {
                     for (const e of list.getEntries()) {
                       if (e.hadRecentInput) continue;
                       sum += e.value;
                       for (const s of e.sources || []) moved.push(`${name(s.node)} ${JSON.stringify(s.previousRect)} -> ${JSON.stringify(s.currentRect)}`);
                     }
                   }).observe({ type: 'layout-shift', buffered: true });
                   setTimeout(() => done([sum, moved.join('\n')]), 300);"#,
                vec![],
            )
            .await
            .expect("layout shift");
        (
            v[0].as_f64().unwrap_or(f64::NAN),
            v[1].as_str().unwrap_or_default().to_owned(),
        )
    }

    /// Clicks one of the list's filters, scrolled to the middle of the window first (ChromeDriver
    /// scrolls it to the top, under the sticky header).
    async fn click_filter(&self, filter: &str) {
        let xpath = format!(
            "//nav[contains(@class, 'filters')]//a[@data-filter={}]",
            lit(filter)
        );
        let link = self.find(&xpath).await;
        self.c
            .execute(
                "arguments[0].scrollIntoView({block: 'center'});",
                vec![serde_json::to_value(&link).expect("element")],
            )
            .await
            .expect("scroll");
        link.click().await.expect("click filter");
    }

    /// The names in the list's rows, in order.
    async fn row_names(&self) -> Vec<String> {
        let mut names = Vec::new();
        for cell in self
            .c
            .find_all(Locator::XPath(
                "//table//tbody//th[contains(@class, 'cell-name')]",
            ))
            .await
            .expect("rows")
        {
            names.push(cell.text().await.expect("name").trim().to_owned());
        }
        names
    }
}

#[tokio::test]
async fn an_admin_finds_pages_and_works_the_list_on_a_phone() {
    let page = Page { c: browser().await };
    page.open("/signin").await;
    page.sign_in("workbench", "admin", ADMIN_PASSWORD).await;
    page.heading("Users").await;
    // a fresh load of the page (the header filling in after the sign-in answer is the answer to
    // the click, however long argon2 took, so the measure starts from a reload)
    page.open("/users").await;
    page.heading("Users").await;
    page.find("//nav[contains(@class, 'filters')]//a[@data-filter='all']//span[contains(@class, 'filter-count')][normalize-space(.)!='']").await;
    // loading the session, the counts and the list moved nothing already on the screen
    let (cls, moved) = page.layout_shift().await;
    assert_eq!(
        cls, 0.0,
        "layout shift while the users page loaded:\n{moved}"
    );

    // a partial, accent-free name: the matches are marked and counted, the address keeps the search
    page.fill("Search", "mull").await;
    let mark = page.find("//tbody//mark[contains(@class, 'match')]").await;
    assert_eq!(mark.text().await.expect("mark"), "Müll");
    let summary = page
        .find("//p[@id='list-summary'][contains(., 'match')]")
        .await;
    let summary = summary.text().await.expect("summary");
    let names = page.row_names().await;
    assert!(
        !names.is_empty() && names.iter().all(|n| n.contains("Müller")),
        "{names:?}"
    );
    assert!(
        summary.starts_with(&format!("{} match", names.len())),
        "{summary}"
    );
    let url = page.c.current_url().await.expect("url");
    assert!(url.as_str().contains("q=mull"), "{url}");
    page.checkpoint("users-search.png").await;
    // Escape in the box clears the search and shows everyone again
    page.keys(ESCAPE).await;
    page.gone("//tbody//mark").await;

    // one click to a filter with its count, then pages forward and back over the keyset
    page.click_filter("all").await;
    let first = {
        let deadline = std::time::Instant::now() + WAIT;
        loop {
            let names = page.row_names().await;
            if names.len() == 25 {
                break names;
            }
            assert!(
                std::time::Instant::now() < deadline,
                "a full first page: {names:?}"
            );
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    };
    page.click_button("Next page").await;
    page.find("//button[@data-page='previous' and not(@disabled)]")
        .await;
    let second = page.row_names().await;
    assert!(
        !second.is_empty() && second.iter().all(|n| !first.contains(n) || n.is_empty()),
        "{second:?}"
    );
    page.checkpoint("users-page-2.png").await;
    page.click_button("Previous page").await;
    page.find("//button[@data-page='previous' and @disabled]")
        .await;
    assert_eq!(page.row_names().await, first);
    page.click_filter("expired").await;
    page.gone("//tbody//*[contains(@class, 'badge-accepted')]")
        .await;
    page.find("//tbody//*[contains(@class, 'badge-expired')]")
        .await;

    // the invite dialog: the hint goes once the admin types a username of their own, a malformed
    // address gets a message that says what is wrong, and typed text is not lost to Escape
    page.click_button("Invite user").await;
    page.find("//dialog[@open]").await;
    page.fill("First name", "Anna").await;
    page.fill("Surname", "Müller").await;
    // the worker's proposal: anna.mueller is taken in workbench
    page.value_becomes("//input[@id='invite-username']", "anna.mueller2")
        .await;
    page.find("//p[@id='invite-username-hint'][not(@hidden)]")
        .await;
    page.fill("Username", "anna.m").await;
    page.find("//p[@id='invite-username-hint'][@hidden]").await;
    page.fill("E-mail", "anna@").await;
    page.click_button("Send invitation").await;
    page.sees_text("An e-mail address needs one @ and a domain")
        .await;
    page.keys(ESCAPE).await;
    page.sees_text("Discard what you typed?").await;
    page.checkpoint("invite-discard.png").await;
    page.click_button("Keep editing").await;
    page.find("//dialog[@open]//input[@id='invite-first-name']")
        .await;
    page.click_button("Cancel").await;
    page.click_button("Discard").await;
    page.gone("//dialog[@open]").await;

    // a phone: compact rows (name and status on a line, the address under it), signed in as visible
    page.c.set_window_size(390, 844).await.expect("resize");
    page.click_filter("all").await;
    page.find("//tbody//*[contains(@class, 'badge-accepted')]")
        .await;
    page.checkpoint("users-mobile-rows.png").await;
    let heights = page
        .c
        .execute(
            "return [...document.querySelectorAll('tbody tr')].slice(0, 5).map(r => [r.getBoundingClientRect().height, [...r.children].map(c => c.className + ':' + Math.round(c.getBoundingClientRect().top - r.getBoundingClientRect().top) + '+' + Math.round(c.getBoundingClientRect().height)).join(' ')]);",
            vec![],
        )
        .await
        .expect("row heights");
    for h in heights.as_array().expect("heights") {
        assert!(
            h[0].as_f64().unwrap_or(999.0) < 80.0,
            "a compact row, not a tall card: {heights}"
        );
    }
    let signed_in = page.find("//*[contains(@class, 'signed-in-as')]").await;
    assert!(signed_in.is_displayed().await.expect("displayed"));
    page.checkpoint("users-phone.png").await;
    page.c.close().await.expect("close browser");
}

#[tokio::test]
async fn an_admin_resends_an_expired_invitation_and_cancels_another_from_their_rows() {
    // renewal's links are valid for one second; once this one ran out, the company's validity
    // goes back to a day, which the resend's new link gets
    let mut api = Api::admin_of("renewal").await;
    let email = format!("renew.{}@test.example", uuid::Uuid::new_v4().simple());
    api.invite("Rena", "Renewal", &email).await;
    let old = outbox_link_for(&email).await;
    tokio::time::sleep(Duration::from_millis(1100)).await;
    let key = api.me().await.client.key;
    let set = api
        .send(
            reqwest::Method::PUT,
            &format!("/api/clients/{key}/settings"),
            Some(serde_json::json!({"invitation_ttl": 86400})),
        )
        .await;
    assert_eq!(set.status, 200, "{set:?}");

    let page = Page { c: browser().await };
    page.open("/signin").await;
    page.sign_in("renewal", "admin", ADMIN_PASSWORD).await;
    page.heading("Users").await;
    page.click_filter("expired").await;
    page.find(&format!(
        "//tr[.//*[contains(normalize-space(.), {})]]//*[contains(@class, 'badge-expired')]",
        lit(&email)
    ))
    .await;
    page.checkpoint("users-expired.png").await;
    // the row menu: every action the account's state allows, resend among them
    page.find(&format!(
        "//tr[.//*[contains(normalize-space(.), {})]]//button[contains(@class, 'row-menu-button')]",
        lit(&email)
    ))
    .await
    .click()
    .await
    .expect("open the row menu");
    page.find("//div[@role='menu' and contains(@class, 'row-menu')]//*[@role='menuitem'][normalize-space(.)='Resend invitation']")
        .await;
    page.checkpoint("row-menu.png").await;
    page.find("//div[@role='menu' and contains(@class, 'row-menu')]//*[@role='menuitem'][normalize-space(.)='Resend invitation']")
        .await
        .click()
        .await
        .expect("resend");
    page.sees_text("A new invitation went to").await;
    let deadline = std::time::Instant::now() + WAIT;
    let new = loop {
        let link = outbox_link_for(&email).await;
        if link != old {
            break link;
        }
        assert!(
            std::time::Instant::now() < deadline,
            "no new invitation mail"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    };
    let token = new.rsplit('#').next().expect("token");
    // a pending invitation is cancelled from its row, after a question: its link dies at once
    let cleo = format!("cleo.{}@test.example", uuid::Uuid::new_v4().simple());
    api.invite("Cleo", "Cancel", &cleo).await;
    let cleo_link = outbox_link_for(&cleo).await;
    page.click_filter("all").await;
    page.fill("Search", "cleo cancel").await;
    page.find(&format!(
        "//tr[.//*[contains(normalize-space(.), {})]]//button[contains(@class, 'row-menu-button')]",
        lit(&cleo)
    ))
    .await
    .click()
    .await
    .expect("open the row menu");
    page.find(&format!(
        "//tr[.//*[contains(normalize-space(.), {})]]//*[@role='menuitem'][normalize-space(.)='Cancel invitation']",
        lit(&cleo)
    ))
    .await
    .click()
    .await
    .expect("cancel");
    page.sees_text("Cancel the invitation of Cleo Cancel?")
        .await;
    page.checkpoint("cancel-invitation.png").await;
    page.find("//dialog[@open]//button[@type='submit']")
        .await
        .click()
        .await
        .expect("confirm");
    page.sees_text("The invitation of Cleo Cancel was cancelled.")
        .await;
    page.find(&format!(
        "//tr[.//*[contains(normalize-space(.), {})]]//*[contains(@class, 'badge')][normalize-space(.)='Cancelled']",
        lit(&cleo)
    ))
    .await;
    let cleo_token = cleo_link.rsplit('#').next().expect("token");
    let dead = Api::new().invitation(cleo_token).await;
    assert_eq!(
        dead.code(),
        domain::api::ErrorCode::InvitationCancelled,
        "{dead:?}"
    );

    // the new link works: the person accepts through it
    page.open(&format!("/accept#{token}")).await;
    page.heading("Welcome to Renewal SE").await;
    page.fill("Password", "Correct-Horse-42").await;
    page.fill("Confirm password", "Correct-Horse-42").await;
    page.click_button("Accept invitation and sign in").await;
    page.sees_text("Welcome, Rena").await;
    let old_token = old.rsplit('#').next().expect("token");
    let dead = Api::new().invitation(old_token).await;
    assert_eq!(
        dead.code(),
        domain::api::ErrorCode::InvitationReplaced,
        "{dead:?}"
    );
    page.c.close().await.expect("close browser");
}

/// An accepted person in `lifecycle`, through the API: (username, account id, e-mail).
async fn accepted_in_lifecycle(
    admin: &mut Api,
    first: &str,
    role: Option<domain::RoleId>,
) -> (String, domain::AccountId, String) {
    let email = format!(
        "{}.{}@life.example",
        first.to_lowercase(),
        uuid::Uuid::new_v4().simple()
    );
    let key = admin.me().await.client.key;
    let mut body = serde_json::json!({"first_name": first, "surname": "Browser", "email": email});
    if let Some(role) = role {
        body["role"] = serde_json::json!(role);
    }
    let a = admin
        .post(&format!("/api/clients/{key}/invitations"), body)
        .await;
    assert_eq!(a.status, 201, "{a:?}");
    let invited: domain::api::InviteResponse = a.typed();
    let link = outbox_link_for(&email).await;
    let token = link.rsplit('#').next().expect("token");
    let accepted = Api::new()
        .accept(token,
            serde_json::json!({"first_name": first, "surname": "Browser", "password": gatehouse_tests::harness::GOOD_PASSWORD, "password_confirmation": gatehouse_tests::harness::GOOD_PASSWORD}),
        )
        .await;
    assert_eq!(accepted.status, 200, "{accepted:?}");
    (invited.user.username, invited.user.id, email)
}

#[tokio::test]
async fn an_admin_deactivates_a_person_whose_next_click_shows_the_sign_in_page() {
    let mut api = Api::admin_of("lifecycle").await;
    let roles: domain::api::RoleList = api.get("/api/roles").await.typed();
    let admin_role = roles
        .roles
        .iter()
        .find(|r| r.builtin == Some(domain::BuiltinRole::Admin))
        .expect("admin role")
        .id;
    let (username, id, _) = accepted_in_lifecycle(&mut api, "Vera", Some(admin_role)).await;
    // the person, signed in in their own browser
    let person = Page { c: browser().await };
    person
        .sign_in(
            "lifecycle",
            &username,
            gatehouse_tests::harness::GOOD_PASSWORD,
        )
        .await;
    person.heading("Users").await;
    // the admin, in another, deactivates them from the account page
    let admin = Page { c: browser().await };
    admin.sign_in("lifecycle", "admin", ADMIN_PASSWORD).await;
    admin.heading("Users").await;
    admin.open(&format!("/accounts/{id}")).await;
    admin.heading("Account actions").await;
    admin.checkpoint("account-actions.png").await;
    // where the person is signed in: the admin sees their browser's session
    let sessions = admin.heading("Where this account is signed in").await;
    admin
        .c
        .execute(
            "arguments[0].scrollIntoView({block: 'start'});",
            vec![serde_json::to_value(&sessions).expect("element")],
        )
        .await
        .expect("scroll");
    admin.find("//ul[contains(@class, 'sessions')]/li").await;
    admin.checkpoint("account-sessions.png").await;
    admin
        .c
        .execute("window.scrollTo(0, 0);", vec![])
        .await
        .expect("scroll back");
    admin.click_button("Deactivate").await;
    admin.find("//dialog[@open]").await;
    admin
        .find("//dialog//button[normalize-space(.)='Deactivate' and not(@disabled)]")
        .await
        .click()
        .await
        .expect("confirm");
    admin.sees_text("was deactivated").await;
    admin
        .find("//*[contains(@class, 'badge-deactivated')]")
        .await;
    admin.checkpoint("account-deactivated.png").await;
    // the person's very next click: the session is gone, the sign-in page shows
    person
        .find("//nav//a[normalize-space(.)='Roles']")
        .await
        .click()
        .await
        .expect("click");
    person.heading("Sign in to Gatehouse").await;
    person.checkpoint("signed-out-after-deactivation.png").await;
}

#[tokio::test]
async fn forgot_password_end_to_end_through_the_dev_outbox() {
    let mut api = Api::admin_of("lifecycle").await;
    let (username, _, email) = accepted_in_lifecycle(&mut api, "Paula", None).await;
    let page = Page { c: browser().await };
    page.open("/signin").await;
    page.find("//a[normalize-space(.)='Forgot your password?']")
        .await
        .click()
        .await
        .expect("forgot link");
    page.heading("Reset your password").await;
    page.fill("Client ID", "lifecycle").await;
    page.fill("Username or e-mail address", &email).await;
    page.click_button("Send reset link").await;
    page.sees_text("If an account matches").await;
    page.checkpoint("forgot-sent.png").await;
    let link = gatehouse_tests::harness::outbox_link_in(&email, "/reset#").await;
    let path = &link[link.find("/reset#").expect("path")..];
    page.open(path).await;
    page.heading("Choose a new password").await;
    page.fill("Password", "Neue-Tulpe-Blau-93").await;
    page.fill("Confirm password", "Neue-Tulpe-Blau-93").await;
    page.checklist_all(true).await;
    page.checkpoint("reset-form.png").await;
    page.click_button("Set new password").await;
    page.sees_text("Your password was changed").await;
    // the link is used up; the new password signs in
    page.open(path).await;
    page.heading("This link cannot be used").await;
    let signed = Api::new()
        .sign_in("lifecycle", &username, "Neue-Tulpe-Blau-93")
        .await;
    assert_eq!(signed.status, 200, "{signed:?}");
}

#[tokio::test]
async fn an_admin_cancels_every_pending_invitation_of_a_filter_at_once_and_reads_the_report() {
    let page = Page { c: browser().await };
    page.open("/signin").await;
    page.sign_in("bulkui", "admin", ADMIN_PASSWORD).await;
    page.heading("Users").await;
    page.click_filter("invited").await;
    // the filtered page, not the one it replaces
    page.find(
        "//nav[contains(@class, 'filters')]//a[@data-filter='invited'][@aria-current='page']",
    )
    .await;
    page.gone("//tbody//*[contains(@class, 'badge-accepted') or contains(@class, 'badge-deactivated') or contains(@class, 'badge-expired')]")
        .await;
    page.find("//tbody//*[contains(@class, 'badge-invited')]")
        .await;
    let pending = page
        .c
        .find_all(Locator::XPath("//tbody/tr"))
        .await
        .expect("rows")
        .len();
    assert!(pending >= 3, "the seed has pending invitations: {pending}");
    // one row ticked, then the whole page: the bar counts them
    page.find("//tbody/tr[1]//input[@type='checkbox']")
        .await
        .click()
        .await
        .expect("tick");
    page.sees_text("1 selected").await;
    page.find("//thead//input[@type='checkbox']")
        .await
        .click()
        .await
        .expect("tick page");
    page.sees_text(&format!("{pending} selected")).await;
    page.checkpoint("users-bulk-selected.png").await;
    page.find("//div[contains(@class, 'bulk-bar')]//button[@data-bulk='cancel']")
        .await
        .click()
        .await
        .expect("bulk cancel");
    page.sees_text(&format!("Cancel the invitations of {pending} accounts?"))
        .await;
    page.checkpoint("users-bulk-confirm.png").await;
    page.find("//dialog[@open]//button[normalize-space(.)='Cancel invitation']")
        .await
        .click()
        .await
        .expect("confirm");
    // the report: every row done; the list no longer shows them as invited
    page.sees_text(&format!("{pending} done, 0 skipped")).await;
    page.checkpoint("users-bulk-report.png").await;
    page.click_button("Close").await;
    page.gone("//dialog[@open]").await;
    page.find("//nav[contains(@class, 'filters')]//a[@data-filter='invited']//span[contains(@class, 'filter-count')][normalize-space(.)='0']")
        .await;
    page.gone("//div[contains(@class, 'bulk-bar')]").await;

    // everyone on the page gets another role at once: a role dialog, then the report (the
    // admin's own account is skipped)
    page.click_filter("all").await;
    page.find("//nav[contains(@class, 'filters')]//a[@data-filter='all'][@aria-current='page']")
        .await;
    page.find("//tbody//*[contains(@class, 'badge-accepted')]")
        .await;
    let total = page
        .c
        .find_all(Locator::XPath("//tbody/tr"))
        .await
        .expect("rows")
        .len();
    page.find("//thead//input[@type='checkbox']")
        .await
        .click()
        .await
        .expect("tick page");
    page.find("//div[contains(@class, 'bulk-bar')]//button[@data-bulk='change_role']")
        .await
        .click()
        .await
        .expect("bulk change role");
    page.sees_text(&format!("Change the role of {total} accounts"))
        .await;
    page.find(
        "//dialog[@open]//select[@id='bulk-role-select']/option[normalize-space(.)='Team lead']",
    )
    .await
    .click()
    .await
    .expect("pick the role");
    page.checkpoint("users-bulk-role.png").await;
    page.find("//dialog[@open]//button[@type='submit'][normalize-space(.)='Change role']")
        .await
        .click()
        .await
        .expect("confirm");
    page.sees_text(&format!("{} done, 1 skipped", total - 1))
        .await;
    page.sees_text("Not on your own account").await;
    page.click_button("Close").await;
    page.gone("//dialog[@open]").await;
    let roles = page
        .c
        .find_all(Locator::XPath(
            "//tbody//td[contains(@class, 'cell-role')][normalize-space(.)='Team lead']",
        ))
        .await
        .expect("rows")
        .len();
    assert_eq!(
        roles,
        total - 1,
        "everyone but the admin is a team lead now"
    );
    page.c.close().await.expect("close browser");
}

#[tokio::test]
async fn an_admin_reads_and_filters_the_audit_log() {
    let page = Page { c: browser().await };
    page.open("/signin").await;
    page.sign_in("globex", "admin", ADMIN_PASSWORD).await;
    page.heading("Users").await;
    page.find("//nav[contains(@class, 'topnav')]//a[normalize-space(.)='Audit log']")
        .await
        .click()
        .await
        .expect("audit link");
    page.heading("Audit log").await;
    // this very sign-in is there, with its words, its time and its browser
    page.find("//table[contains(@class, 'table-audit')]//th[normalize-space(.)='Signed in']")
        .await;
    page.checkpoint("audit-log.png").await;
    let select = page.field("Action").await;
    select
        .select_by_value("session.signed_in")
        .await
        .expect("filter by action");
    page.gone(
        "//table[contains(@class, 'table-audit')]//tbody//th[normalize-space(.)!='Signed in']",
    )
    .await;
    page.find("//table[contains(@class, 'table-audit')]//th[normalize-space(.)='Signed in']")
        .await;
    // who acted: a click on the name keeps only what they did
    page.find("//table[contains(@class, 'table-audit')]//button[contains(@class, 'audit-actor')][normalize-space(.)='Ada Admin']")
        .await
        .click()
        .await
        .expect("filter by actor");
    page.sees_text("Only what Ada Admin did").await;
    page.gone("//table[contains(@class, 'table-audit')]//tbody//td[2][not(.//button[normalize-space(.)='Ada Admin'])]")
        .await;
    page.c.close().await.expect("close browser");
}

#[tokio::test]
async fn a_person_with_an_expired_link_asks_for_a_new_one() {
    // shortlived's links run out after one second
    let mut api = Api::admin_of("shortlived").await;
    let email = format!("late.{}@test.example", uuid::Uuid::new_v4().simple());
    api.invite("Lena", "Late", &email).await;
    let link = outbox_link_for(&email).await;
    tokio::time::sleep(Duration::from_millis(1100)).await;
    let page = Page { c: browser().await };
    let path = link
        .split_once("/accept#")
        .map(|(_, t)| format!("/accept#{t}"))
        .expect("accept link");
    page.open(&path).await;
    page.heading("This invitation cannot be used").await;
    page.click_button("Ask for a new link").await;
    page.sees_text("Your administrator was asked to send you a new link")
        .await;
    page.checkpoint("accept-asked-new-link.png").await;
    let mail = gatehouse_tests::harness::outbox_mail_for("admin@short.example").await;
    assert!(mail.text.contains(&email), "{}", mail.text);
    page.c.close().await.expect("close browser");
}

/// The wall clock, as the worker reads it (authenticator codes are computed for it).
fn now() -> domain::Timestamp {
    domain::Timestamp(
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .expect("clock")
            .as_millis() as i64,
    )
}

#[tokio::test]
async fn a_person_sets_up_two_factor_and_signs_in_with_a_code_and_with_a_recovery_code() {
    let mut api = Api::admin_of("lifecycle").await;
    let roles: domain::api::RoleList = api.get("/api/roles").await.typed();
    let admin_role = roles
        .roles
        .iter()
        .find(|r| r.builtin == Some(domain::BuiltinRole::Admin))
        .expect("admin role")
        .id;
    let (username, _, _) = accepted_in_lifecycle(&mut api, "Otto", Some(admin_role)).await;
    let password = gatehouse_tests::harness::GOOD_PASSWORD;
    let page = Page { c: browser().await };
    page.sign_in("lifecycle", &username, password).await;
    page.heading("Users").await;
    // the name in the header leads to one's own sign-in security
    page.find("//header//a[contains(@class, 'signed-in-as')]")
        .await
        .click()
        .await
        .expect("security link");
    page.heading("Sign-in security").await;
    page.find("//*[@data-two-factor='off']").await;
    page.checkpoint("security-off.png").await;
    let secret = page.start_two_factor_setup(password).await;
    page.find("//dialog[@open]//img[contains(@class, 'enrol-qr')]")
        .await;
    page.checkpoint("two-factor-scan.png").await;
    page.fill("Code", &secret.code_at(now())).await;
    page.click_button("Turn on").await;
    page.heading("Save your recovery codes").await;
    let codes: Vec<String> = {
        let mut out = vec![];
        for e in page
            .c
            .find_all(Locator::XPath(
                "//ol[contains(@class, 'recovery-codes')]//code",
            ))
            .await
            .expect("codes")
        {
            out.push(e.text().await.expect("text"));
        }
        out
    };
    assert_eq!(codes.len(), 10, "{codes:?}");
    page.checkpoint("recovery-codes.png").await;
    page.click_button("I have saved them").await;
    page.find("//*[@data-two-factor='on']").await;

    // signed out and in again: the password, then the app's code (the next step's: the step
    // that confirmed the key counts as used)
    page.click_button("Sign out").await;
    page.heading("Sign in to Gatehouse").await;
    page.sign_in("lifecycle", &username, password).await;
    page.heading("Two-step verification").await;
    page.checkpoint("two-step.png").await;
    page.fill("Code", &secret.code_at(domain::Timestamp(now().0 + 30_000)))
        .await;
    page.click_button("Verify").await;
    page.heading("Users").await;

    // and once more with a recovery code instead of the app
    page.click_button("Sign out").await;
    page.heading("Sign in to Gatehouse").await;
    page.sign_in("lifecycle", &username, password).await;
    page.heading("Two-step verification").await;
    page.click_button("Use a recovery code instead").await;
    page.sees_text("Enter one of the recovery codes").await;
    page.fill("Code", &codes[0]).await;
    page.click_button("Verify").await;
    page.heading("Users").await;
    // the security page says it is on, and lists where the person is signed in
    page.open("/security").await;
    page.find("//*[@data-two-factor='on']").await;
    page.heading("Where you are signed in").await;
    page.find("//li[contains(@class, 'session-current')]//*[normalize-space(.)='This browser']")
        .await;
    page.checkpoint("security-on.png").await;
    page.c.close().await.expect("close browser");
}

#[tokio::test]
async fn a_client_requiring_two_factor_sends_a_new_person_to_set_it_up_before_anything_else() {
    // a sub-client of `lifecycle` that requires two-factor sign-in, and a person invited into it
    let mut api = Api::admin_of("lifecycle").await;
    let sub = api
        .sub_client_with(
            "Strict Browser",
            "strictb",
            serde_json::json!({"require_two_factor": true}),
        )
        .await;
    let email = format!("vera.{}@strict.example", uuid::Uuid::new_v4().simple());
    let invited = api
        .post(
            &format!("/api/clients/{}/invitations", sub.key),
            serde_json::json!({"first_name": "Vera", "surname": "Vorsicht", "email": email}),
        )
        .await;
    assert_eq!(invited.status, 201, "{invited:?}");
    let link = outbox_link_for(&email).await;
    let path = &link[link.find("/accept#").expect("accept link")..];

    // accepting signs her in, straight to setting up two-factor authentication: nothing else
    let page = Page { c: browser().await };
    page.open(path).await;
    page.heading("Welcome to Strict Browser").await;
    let password = "Correct-Horse-42";
    page.fill("Password", password).await;
    page.fill("Confirm password", password).await;
    page.click_button("Accept invitation and sign in").await;
    page.heading("Sign-in security").await;
    page.sees_text("Set up two-factor authentication to continue")
        .await;
    let nav = page
        .c
        .find_all(Locator::XPath("//nav[contains(@class, 'topnav')]"))
        .await
        .expect("nav lookup");
    assert!(nav.is_empty(), "no navigation before the second factor");
    page.checkpoint("must-enrol.png").await;
    // a page she opens sends her back
    page.open("/users").await;
    page.heading("Sign-in security").await;
    let secret = page.start_two_factor_setup(password).await;
    page.fill("Code", &secret.code_at(now())).await;
    page.click_button("Turn on").await;
    page.heading("Save your recovery codes").await;
    page.click_button("I have saved them").await;
    page.find("//*[@data-two-factor='on']").await;
    // the banner is gone and the rest of the app is hers
    page.find("//nav[contains(@class, 'topnav')]").await;
    page.heading("Where you are signed in").await;

    // her own password, with the current one and the next code again
    page.click_button("Change password").await;
    page.fill("Current password", password).await;
    page.fill("Code", &secret.code_at(domain::Timestamp(now().0 + 30_000)))
        .await;
    page.fill("New password", "Quiet-Harbour-Lamp-58").await;
    page.fill("Confirm new password", "Quiet-Harbour-Lamp-58")
        .await;
    page.checkpoint("own-password.png").await;
    page.click_button("Save").await;
    page.sees_text("Your password was changed").await;
    page.checkpoint("security-strict.png").await;
    page.c.close().await.expect("close browser");
}
