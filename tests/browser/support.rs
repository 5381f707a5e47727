//! What every browser test needs: a server, a browser, and person-like ways to find things.

use fantoccini::elements::Element;
use fantoccini::{Client, ClientBuilder, Locator};
use offboard_server::{DemoSet, GeneratedAccess, ServerConfig, TlsSetup, app, serve_on};
use serde_json::{Value, json};
use std::path::{Path, PathBuf};
use std::time::Duration;
use tempfile::TempDir;
use tokio::net::TcpListener;
use tokio::process::{Child, Command};

/// How long a person-like wait lasts before the test fails.
const PATIENCE: Duration = Duration::from_secs(15);

/// The release build the tests serve; `make test` builds it first.
pub fn dist_dir() -> PathBuf {
    let dist = Path::new(env!("CARGO_MANIFEST_DIR")).join("dist");
    assert!(
        dist.join("index.html").exists(),
        "{} has no index.html: build the app first (`make app`, i.e. `trunk build --release`)",
        dist.display()
    );
    dist
}

/// A plain HTTP client for checking a test server's state; it trusts the self-signed
/// certificate of a server started with `tls` (the connection is to this machine's loopback).
pub fn http_client() -> reqwest::Client {
    reqwest::Client::builder()
        .danger_accept_invalid_certs(true)
        .build()
        .expect("HTTP client")
}

/// Server options a test may change.
#[derive(Default)]
pub struct Setup {
    pub demo_users: Option<usize>,
    /// Keys and groups of each generated user (the demo's 2 and 1 unless set).
    pub demo_access: Option<GeneratedAccess>,
    pub chaos: Option<&'static str>,
    /// Origins the app's CSP lets the page call besides its own (`--connect-src`).
    pub connect_src: Vec<String>,
    /// HTTPS with a self-signed certificate, HTTP/2 and HTTP/1.1 by ALPN (`--tls self-signed`).
    pub tls: bool,
    /// Which demo data set (`--demo-set`): the second stands for the company's other platform.
    pub demo_set: DemoSet,
    /// Origins whose pages may call this server's API (`--cors-origin`).
    pub cors_origins: Vec<String>,
}

/// The reference server on a free port, with demo data in a fresh database.
pub struct TestServer {
    pub base: String,
    address: std::net::SocketAddr,
    setup: Setup,
    dir: TempDir,
    running: Option<Running>,
}

/// A serving server: its task, and the way to ask it to stop.
struct Running {
    task: tokio::task::JoinHandle<()>,
    stop: tokio::sync::oneshot::Sender<()>,
}

impl TestServer {
    pub async fn start(setup: Setup) -> Self {
        let dir = tempfile::tempdir().expect("temp dir");
        let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind");
        let address = listener.local_addr().expect("address");
        let scheme = if setup.tls { "https" } else { "http" };
        let mut server = TestServer {
            base: format!("{scheme}://{address}"),
            address,
            setup,
            dir,
            running: None,
        };
        server.serve(listener).await;
        server
    }

    async fn serve(&mut self, listener: TcpListener) {
        let mut config = ServerConfig::new(format!(
            "sqlite://{}",
            self.dir.path().join("test.db").display()
        ));
        // Demo data goes only into an empty database, so a restart keeps what runs changed.
        config.demo = true;
        config.demo_users = self.setup.demo_users.unwrap_or(20);
        config.demo_access = self.setup.demo_access.unwrap_or_default();
        config.static_dir = Some(dist_dir());
        config.chaos = self
            .setup
            .chaos
            .map(|spec| spec.parse().expect("chaos spec"));
        config.connect_src = self.setup.connect_src.clone();
        config.demo_set = self.setup.demo_set;
        config.cors_origins = self.setup.cors_origins.clone();
        // Built here rather than inside the spawned task: only the serving future must be Send.
        let router = app(config).await.expect("server starts");
        let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
        let tls = self.setup.tls.then_some(TlsSetup::SelfSigned);
        let task = tokio::spawn(async move {
            let stop = async {
                let _ = stopped.await;
            };
            serve_on(router, listener, tls.as_ref(), stop)
                .await
                .expect("server stopped");
        });
        self.running = Some(Running { task, stop });
        self.wait_until_healthy().await;
    }

    /// Stops the server as a service manager does: no new connection is accepted, the calls in
    /// flight are answered, every connection is closed; the database stays.
    pub async fn stop(&mut self) {
        if let Some(Running { task, stop }) = self.running.take() {
            let _ = stop.send(());
            let _ = task.await;
        }
    }

    /// Starts the server again on the same address and the same database.
    pub async fn start_again(&mut self) {
        let mut bound = None;
        for _ in 0..100 {
            match TcpListener::bind(self.address).await {
                Ok(listener) => {
                    bound = Some(listener);
                    break;
                }
                Err(_) => tokio::time::sleep(Duration::from_millis(50)).await,
            }
        }
        let listener = bound.unwrap_or_else(|| panic!("{} stayed taken", self.address));
        self.serve(listener).await;
    }

    async fn wait_until_healthy(&self) {
        let url = format!("{}/healthz", self.base);
        for _ in 0..200 {
            if http_client()
                .get(&url)
                .send()
                .await
                .is_ok_and(|r| r.status().is_success())
            {
                return;
            }
            tokio::time::sleep(Duration::from_millis(25)).await;
        }
        panic!("server at {} never became healthy", self.base);
    }

    /// A plain HTTP client acting as the demo owner in the ADOC dialect, to check server state.
    pub fn owner(&self) -> AdocClient {
        AdocClient {
            base: self.base.clone(),
            access_key: "demo-owner-ak",
            secret_key: "demo-owner-sk",
        }
    }
}

impl Drop for TestServer {
    fn drop(&mut self) {
        if let Some(running) = self.running.take() {
            running.task.abort();
        }
    }
}

pub struct AdocClient {
    base: String,
    access_key: &'static str,
    secret_key: &'static str,
}

impl AdocClient {
    pub async fn get(&self, path: &str) -> (u16, Value) {
        let response = http_client()
            .get(format!("{}{path}", self.base))
            .header("accessKey", self.access_key)
            .header("secretKey", self.secret_key)
            .send()
            .await
            .expect("request");
        let status = response.status().as_u16();
        (status, response.json().await.unwrap_or(Value::Null))
    }

    /// A JSON `POST`, as a script or another admin would send it meanwhile.
    pub async fn post(&self, path: &str, body: Value) -> (u16, Value) {
        let response = http_client()
            .post(format!("{}{path}", self.base))
            .header("accessKey", self.access_key)
            .header("secretKey", self.secret_key)
            .json(&body)
            .send()
            .await
            .expect("request");
        let status = response.status().as_u16();
        (status, response.json().await.unwrap_or(Value::Null))
    }

    /// A `GET` asked again (up to 50 times) while a server under `--chaos` answers it with an
    /// injected fault (429, 500, 503) instead; the first other answer.
    pub async fn get_through_faults(&self, path: &str) -> (u16, Value) {
        let mut answer = (0, Value::Null);
        for _ in 0..50 {
            answer = self.get(path).await;
            if ![429, 500, 503].contains(&answer.0) {
                break;
            }
        }
        answer
    }

    /// The `api_key.delete` audit events about `target`: (key, outcome), oldest first, read
    /// through faults.
    pub async fn key_deletions(&self, target: &str) -> Vec<(String, String)> {
        let (_, body) = self
            .get_through_faults(&format!("/audit/api/v1/events?target={target}&limit=1000"))
            .await;
        body["events"]
            .as_array()
            .map(|events| {
                events
                    .iter()
                    .filter(|e| e["action"] == "api_key.delete")
                    .map(|e| {
                        (
                            e["subject"].as_str().unwrap_or_default().to_string(),
                            e["outcome"].as_str().unwrap_or_default().to_string(),
                        )
                    })
                    .collect()
            })
            .unwrap_or_default()
    }

    /// Waits until at least `count` keys of `target` are deleted (a run is in its middle), and
    /// says how many are.
    pub async fn wait_for_key_deletions(&self, target: &str, count: usize) -> usize {
        let mut deleted = 0;
        for _ in 0..300 {
            deleted = self.key_deletions(target).await.len();
            if deleted >= count {
                break;
            }
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
        deleted
    }

    /// Asserts every key of `target` was deleted exactly once and each deletion found its key:
    /// a resumed run sent nothing twice.
    pub async fn assert_each_key_deleted_once(&self, target: &str, keys: usize) {
        let mut per_key: std::collections::BTreeMap<String, usize> = Default::default();
        for (subject, outcome) in self.key_deletions(target).await {
            assert_eq!(outcome, "ok", "{subject} deleted with outcome {outcome}");
            *per_key.entry(subject).or_default() += 1;
        }
        assert_eq!(per_key.len(), keys, "every key deleted");
        let twice: Vec<_> = per_key.iter().filter(|(_, n)| **n > 1).collect();
        assert!(twice.is_empty(), "deleted more than once: {twice:?}");
    }
}

/// A TCP proxy in front of a server that a test can cut, as a dropped network or a restarting
/// server would: while cut, every open connection is closed and new ones are closed unanswered.
pub struct Proxy {
    pub base: String,
    cut: std::sync::Arc<std::sync::atomic::AtomicBool>,
    connections: std::sync::Arc<std::sync::Mutex<Vec<tokio::task::AbortHandle>>>,
    task: tokio::task::JoinHandle<()>,
}

impl Proxy {
    pub async fn start(server: &TestServer) -> Self {
        use std::sync::atomic::Ordering;
        let target = server.base.trim_start_matches("http://").to_string();
        let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind");
        let base = format!("http://{}", listener.local_addr().expect("address"));
        let cut = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
        let connections = std::sync::Arc::new(std::sync::Mutex::new(Vec::new()));
        let (cut_flag, open) = (cut.clone(), connections.clone());
        let task = tokio::spawn(async move {
            while let Ok((mut inbound, _)) = listener.accept().await {
                if cut_flag.load(Ordering::SeqCst) {
                    drop(inbound); // closed unanswered
                    continue;
                }
                let target = target.clone();
                let forward = tokio::spawn(async move {
                    if let Ok(mut outbound) = tokio::net::TcpStream::connect(&target).await {
                        let _ = tokio::io::copy_bidirectional(&mut inbound, &mut outbound).await;
                    }
                });
                open.lock().unwrap().push(forward.abort_handle());
            }
        });
        Proxy {
            base,
            cut,
            connections,
            task,
        }
    }

    /// The network goes: open connections drop, new ones get no answer.
    pub fn cut(&self) {
        self.cut.store(true, std::sync::atomic::Ordering::SeqCst);
        for connection in self.connections.lock().unwrap().drain(..) {
            connection.abort();
        }
    }

    /// The network is back.
    pub fn restore(&self) {
        self.cut.store(false, std::sync::atomic::Ordering::SeqCst);
    }
}

impl Drop for Proxy {
    fn drop(&mut self) {
        self.task.abort();
        self.cut();
    }
}

/// A headless Chromium session driven through its own chromedriver. Dropping it ends chromedriver
/// and every Chromium process it started (they share chromedriver's process group).
pub struct Browser {
    pub client: Client,
    base: String,
    /// chromedriver's address, for the Chrome DevTools commands WebDriver has no verb for.
    webdriver: String,
    /// How long a person-like wait lasts here before the test fails ([`PATIENCE`] unless a
    /// test expects slow screens, such as runs against a faulty server).
    pub patience: Duration,
    _driver: Child,
    pub downloads: TempDir,
    profile: TempDir,
}

impl Browser {
    pub async fn open(server: &TestServer) -> Self {
        Self::open_with(&server.base, (1280, 900), None).await
    }

    /// A browser that reaches the server only through `proxy`, which a test can cut.
    pub async fn open_via(proxy: &Proxy) -> Self {
        Self::open_with(&proxy.base, (1280, 900), None).await
    }

    /// A phone: Chrome's iPhone 12 Pro emulation, 390×844 CSS pixels (a headless window cannot
    /// be made that narrow).
    pub async fn open_phone(server: &TestServer) -> Self {
        let phone = json!({"deviceName": "iPhone 12 Pro"});
        Self::open_with(&server.base, (390, 844), Some(phone)).await
    }

    async fn open_with(base: &str, (width, height): (u32, u32), mobile: Option<Value>) -> Self {
        let port = free_port().await;
        let driver = Command::new("chromedriver")
            .arg(format!("--port={port}"))
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .kill_on_drop(true)
            .spawn()
            .expect("chromedriver (make install-chromium)");
        let downloads = tempfile::tempdir().expect("downloads dir");
        // A profile of its own: it names this browser's processes, so dropping it ends exactly
        // them (see `Drop`), and it is deleted with the browser.
        let profile = tempfile::tempdir().expect("profile dir");
        let capabilities = json!({
            "goog:chromeOptions": {
                "binary": "/usr/bin/chromium",
                "args": [
                    "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                    "--disable-background-networking", "--disable-component-update", "--disable-sync",
                    "--no-first-run", "--disable-extensions", format!("--window-size={width},{height}"),
                    // The test servers' self-signed certificate (`Setup::tls`); loopback only.
                    "--ignore-certificate-errors",
                    format!("--user-data-dir={}", profile.path().display()),
                ],
                "prefs": {
                    "download.default_directory": downloads.path().to_string_lossy(),
                    "download.prompt_for_download": false,
                }
            }
        });
        let mut capabilities = capabilities;
        if let Some(mobile) = mobile {
            capabilities["goog:chromeOptions"]["mobileEmulation"] = mobile;
        }
        let Value::Object(capabilities) = capabilities else {
            unreachable!()
        };
        let webdriver = format!("http://127.0.0.1:{port}");
        let mut last_error = None;
        for _ in 0..100 {
            let connector = hyper_util::client::legacy::connect::HttpConnector::new();
            match ClientBuilder::new(connector)
                .capabilities(capabilities.clone())
                .connect(&webdriver)
                .await
            {
                Ok(client) => {
                    return Browser {
                        client,
                        base: base.to_string(),
                        webdriver,
                        patience: PATIENCE,
                        _driver: driver,
                        downloads,
                        profile,
                    };
                }
                Err(error) => last_error = Some(error),
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        panic!("no WebDriver session: {last_error:?}");
    }

    /// One Chrome DevTools Protocol command through chromedriver's `goog/cdp/execute`: the
    /// DevTools features WebDriver has no verb for (scripts run before a page's own, device
    /// metrics), without switching on the Network domain, which would slow every request.
    pub async fn cdp(&self, command: &str, params: Value) -> Value {
        let session = self
            .client
            .session_id()
            .await
            .expect("session id")
            .expect("a session");
        let url = format!("{}/session/{session}/goog/cdp/execute", self.webdriver);
        let answer: Value = reqwest::Client::new()
            .post(url)
            .json(&json!({"cmd": command, "params": params}))
            .send()
            .await
            .expect("chromedriver answers")
            .json()
            .await
            .expect("chromedriver answers JSON");
        assert!(
            answer["value"].get("error").is_none(),
            "{command} failed: {answer}"
        );
        answer["value"].clone()
    }

    pub async fn visit(&self, path: &str) {
        self.client
            .goto(&format!("{}{path}", self.base))
            .await
            .expect("navigate");
    }

    pub async fn path(&self) -> String {
        let url = self.client.current_url().await.expect("url");
        match url.query() {
            Some(query) => format!("{}?{query}", url.path()),
            None => url.path().to_string(),
        }
    }

    async fn wait_for(&self, xpath: &str, what: &str) -> Element {
        match self
            .client
            .wait()
            .at_most(self.patience)
            .for_element(Locator::XPath(xpath))
            .await
        {
            Ok(element) => element,
            Err(error) => {
                self.screenshot("failure").await;
                let body = self.body_text().await;
                let errors = self.console_errors().await;
                panic!(
                    "{what} did not appear ({error}). The page said:\n{body}\nConsole errors: {errors}"
                );
            }
        }
    }

    /// The form control labelled `label`: by `<label for>`, by a wrapping `<label>`, or by
    /// `aria-label`.
    pub async fn field(&self, label: &str) -> Element {
        let text = literal(label);
        let xpath = format!(
            "//label[normalize-space()={text}] \
             | //*[(self::input or self::select or self::textarea) and @aria-label={text}]"
        );
        let found = self
            .wait_for(&xpath, &format!("a field labelled {label:?}"))
            .await;
        if found.tag_name().await.expect("tag") != "label" {
            return found;
        }
        match found.attr("for").await.expect("attr") {
            Some(id) => self
                .client
                .find(Locator::Id(&id))
                .await
                .expect("labelled control"),
            None => found
                .find(Locator::XPath(".//input | .//select | .//textarea"))
                .await
                .expect("control in label"),
        }
    }

    /// Replaces a field's text the way a person does (select all, delete, type), so the page
    /// sees real input events; WebDriver's own `clear` fires none.
    pub async fn fill(&self, label: &str, text: &str) {
        const CONTROL: char = '\u{E009}';
        const RELEASE_MODIFIERS: char = '\u{E000}';
        const BACKSPACE: char = '\u{E003}';
        let field = self.field(label).await;
        let keys = format!("{CONTROL}a{RELEASE_MODIFIERS}{BACKSPACE}{text}");
        field.send_keys(&keys).await.expect("type");
    }

    /// Puts `text` in the field labelled `label` at once, as a paste does (one input event):
    /// typing thousands of characters through WebDriver takes minutes and tests nothing more.
    pub async fn paste(&self, label: &str, text: &str) {
        let field = self.field(label).await;
        let js = "const [field, text] = arguments; field.value = text; \
                  field.dispatchEvent(new Event('input', {bubbles: true}));";
        let field = serde_json::to_value(field).expect("element reference");
        self.client
            .execute(js, vec![field, text.into()])
            .await
            .expect("paste");
    }

    pub async fn choose(&self, label: &str) {
        self.field(label).await.click().await.expect("choose");
    }

    /// The button named `name` (its text or `aria-label`).
    pub async fn button(&self, name: &str) -> Element {
        let text = literal(name);
        let xpath = format!("//button[normalize-space()={text} or @aria-label={text}]");
        self.wait_for(&xpath, &format!("a button {name:?}")).await
    }

    pub async fn press(&self, name: &str) {
        self.button(name).await.click().await.expect("press");
    }

    pub async fn link(&self, name: &str) -> Element {
        let text = literal(name);
        self.wait_for(
            &format!("//a[normalize-space()={text} or @aria-label={text}]"),
            &format!("a link {name:?}"),
        )
        .await
    }

    /// Waits for the first match of `xpath` inside `scope` (relative, e.g. `.//summary`): parts of
    /// a screen appear as the steps before them finish.
    pub async fn find_within(&self, scope: &Element, xpath: &str) -> Element {
        let deadline = std::time::Instant::now() + self.patience;
        loop {
            match scope.find(Locator::XPath(xpath)).await {
                Ok(found) => return found,
                Err(error) if std::time::Instant::now() > deadline => {
                    self.screenshot("failure").await;
                    panic!("{xpath} did not appear inside its section ({error})");
                }
                Err(_) => tokio::time::sleep(Duration::from_millis(50)).await,
            }
        }
    }

    /// Waits until some element's text contains `text`, and returns the innermost one.
    pub async fn see(&self, text: &str) -> Element {
        let text = literal(text);
        let xpath = format!(
            "//*[contains(normalize-space(), {text}) and not(*[contains(normalize-space(), {text})])]"
        );
        self.wait_for(&xpath, &format!("the text {text}")).await
    }

    /// Waits for an element with `role` whose text contains `text`.
    pub async fn see_role(&self, role: &str, text: &str) -> Element {
        let xpath = format!(
            "//*[@role={}][contains(normalize-space(), {})]",
            literal(role),
            literal(text)
        );
        self.wait_for(&xpath, &format!("a {role} saying {text:?}"))
            .await
    }

    /// Errors the page logged (a Rust panic in the app is logged by its panic hook).
    pub async fn console_errors(&self) -> String {
        let script = "return (window.__offboardErrors || []).join('\\n')";
        match self.client.execute(script, vec![]).await {
            Ok(Value::String(errors)) => errors,
            _ => String::new(),
        }
    }

    /// Starts keeping the page's console errors (call after the page has loaded).
    pub async fn capture_console(&self) {
        let script = "window.__offboardErrors = []; const log = console.error.bind(console); \
            console.error = (...args) => { window.__offboardErrors.push(args.join(' ')); log(...args); };";
        self.client
            .execute(script, vec![])
            .await
            .expect("install console capture");
    }

    /// The focused element's tag (lower case) and text, as `document.activeElement` has them.
    pub async fn focused(&self) -> (String, String) {
        let script = "const a = document.activeElement; \
            return a ? [a.tagName.toLowerCase(), a.textContent.trim()] : ['', ''];";
        let value = self.client.execute(script, vec![]).await.expect("focus");
        let part = |i: usize| value[i].as_str().unwrap_or_default().to_string();
        (part(0), part(1))
    }

    /// Waits until keyboard focus is on the page's `h1` and returns its text.
    pub async fn wait_for_heading_focus(&self, text: &str) {
        let deadline = std::time::Instant::now() + self.patience;
        loop {
            let (tag, focused) = self.focused().await;
            if tag == "h1" && focused.contains(text) {
                return;
            }
            if std::time::Instant::now() > deadline {
                self.screenshot("failure").await;
                panic!("focus never reached the heading {text:?}; it is on <{tag}> {focused:?}");
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }

    pub async fn body_text(&self) -> String {
        match self.client.find(Locator::Css("body")).await {
            Ok(body) => body.text().await.unwrap_or_default(),
            Err(_) => String::new(),
        }
    }

    /// Saves a PNG of the page to `tests/screenshots/<name>.png`.
    pub async fn screenshot(&self, name: &str) {
        let Ok(png) = self.client.screenshot().await else {
            return;
        };
        let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/screenshots");
        let _ = std::fs::create_dir_all(&dir);
        let _ = std::fs::write(dir.join(format!("{name}.png")), png);
    }

    /// Walks the ADOC wizard for `user` to its revoke step, the way a help-desk person does:
    /// start, record the access, give a reason (nobody to hand over to), disable.
    pub async fn wizard_to_the_revoke_step(&self, user: &str) {
        self.visit(&format!("/users/{user}/offboard")).await;
        self.connect_adoc("demo-owner-ak", "demo-owner-sk").await;
        self.press("Start offboarding").await;
        self.press("Record current access").await;
        self.see("Access documented").await;
        self.fill("Reason", "End of contract").await;
        self.press("Use these details").await;
        self.press("Disable the account").await;
    }

    /// From the wizard's start to its departure confirmed: access recorded, "Voluntary - New
    /// Job", Riley Replacement chosen to take over.
    pub async fn wizard_departure_to_riley(&self) {
        self.press("Start offboarding").await;
        self.press("Record current access").await;
        self.see("Access documented").await;
        self.fill("Reason", "Voluntary - New Job").await;
        self.fill("Handed off to", "riley").await;
        self.press("Choose Riley Replacement (replacement@company.com, restricted)")
            .await;
        self.press("Use these details").await;
    }

    /// Follows the link named `name`, as a click.
    pub async fn follow(&self, name: &str) {
        self.link(name)
            .await
            .click()
            .await
            .expect("follow the link");
    }

    /// Connects through the Connect screen, the way a person does.
    pub async fn connect_adoc(&self, access_key: &str, secret_key: &str) {
        self.choose("Acceldata ADOC").await;
        self.fill("Access key", access_key).await;
        self.fill("Secret key", secret_key).await;
        self.press("Connect").await;
    }

    pub async fn connect_td(&self, api_key: &str) {
        self.choose("Treasure Data").await;
        self.fill("API key", api_key).await;
        self.press("Connect").await;
    }
}

impl Drop for Browser {
    /// chromedriver dies with its handle (`kill_on_drop`), but the Chromium it started would
    /// live on; those processes are found by this browser's unique profile directory in their
    /// command line, so nothing else can be hit.
    fn drop(&mut self) {
        let marker = format!("--user-data-dir={}", self.profile.path().display());
        let Ok(entries) = std::fs::read_dir("/proc") else {
            return;
        };
        let pids: Vec<String> = entries
            .flatten()
            .filter_map(|entry| {
                let pid = entry.file_name().to_str()?.parse::<u32>().ok()?;
                let cmdline = std::fs::read(entry.path().join("cmdline")).ok()?;
                let cmdline = String::from_utf8_lossy(&cmdline);
                cmdline
                    .split('\0')
                    .any(|arg| arg == marker)
                    .then(|| pid.to_string())
            })
            .collect();
        if !pids.is_empty() {
            let _ = std::process::Command::new("kill")
                .arg("-KILL")
                .args(&pids)
                .status();
        }
    }
}

/// An XPath string literal for any text (XPath 1.0 has no escapes, hence `concat`).
fn literal(text: &str) -> String {
    if !text.contains('\'') {
        format!("'{text}'")
    } else if !text.contains('"') {
        format!("\"{text}\"")
    } else {
        let parts: Vec<String> = text.split('\'').map(|part| format!("'{part}'")).collect();
        format!("concat({})", parts.join(", \"'\", "))
    }
}

/// A port nothing listens on (bound, then released), so connecting to it is refused.
pub async fn free_port() -> u16 {
    let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind");
    listener.local_addr().expect("address").port()
}
