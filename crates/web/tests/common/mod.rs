//! Test support: the real app on 127.0.0.1:0 over a fresh database (SQLite, and PostgreSQL
//! when GAJOK_TEST_POSTGRES_URL is set), and a small cookie-keeping HTTP client.
#![allow(dead_code)]

use std::collections::BTreeMap;
use std::net::SocketAddr;

use gajok_app::{App, AppConfig};
use gajok_store::{Store, migrate, testing};
use gajok_web::{AppState, RouteInfo, build_router};

pub const PW: &str = gajok_app::seed::DEMO_PASSWORD;

pub struct TestServer {
    pub backend: String,
    pub base: String,
    pub app: App,
    pub routes: Vec<RouteInfo>,
}

impl TestServer {
    pub fn client(&self) -> Client {
        Client::new(&self.base)
    }

    pub async fn org_id(&self, code: &str) -> i64 {
        gajok_store::orgs::by_code(&self.app.store, code).await.unwrap().unwrap_or_else(|| panic!("no org {code}")).id
    }

    pub async fn user_id(&self, username: &str) -> i64 {
        gajok_store::users::by_username(&self.app.store, username)
            .await
            .unwrap()
            .unwrap_or_else(|| panic!("no user {username}"))
            .id
    }

    pub async fn count(&self, table: &str) -> i64 {
        use sqlx::Row;
        let sql = format!("SELECT COUNT(*) AS n FROM {table}");
        sqlx::query(sqlx::AssertSqlSafe(sql)).fetch_one(self.app.store.reader()).await.unwrap().get::<i64, _>("n")
    }

    /// Runs a statement directly (to tamper with data in tests).
    pub async fn exec(&self, sql: &str) {
        let mut tx = self.app.store.begin().await.unwrap();
        sqlx::raw_sql(sqlx::AssertSqlSafe(sql.to_string())).execute(tx.conn()).await.unwrap();
        tx.commit().await.unwrap();
    }
}

/// One server per available backend, each on a fresh database with the demo data.
pub async fn servers() -> Vec<TestServer> {
    let mut out = Vec::new();
    for url in testing::urls().await {
        out.push(spawn(&url).await);
    }
    out
}

pub async fn spawn(url: &str) -> TestServer {
    // Server-side errors (500s) are logged; show them in the failing test's output.
    let _ = tracing_subscriber::fmt().with_test_writer().with_env_filter("gajok=debug,gajok_web=debug,warn").try_init();
    let store = Store::connect(url).await.unwrap();
    migrate::run(&store).await.unwrap();
    let app = App::new(store, AppConfig::for_tests());
    app.load_demo().await.unwrap();
    let state = AppState::new(app.clone(), false, false).unwrap();
    let (router, routes) = build_router(state);
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move {
        axum::serve(listener, router.into_make_service_with_connect_info::<SocketAddr>()).await.unwrap();
    });
    TestServer { backend: app.store.backend().name().to_string(), base: format!("http://{addr}"), app, routes }
}

#[derive(Debug)]
pub struct Resp {
    pub status: u16,
    pub location: Option<String>,
    pub headers: reqwest::header::HeaderMap,
    pub body: String,
}

impl Resp {
    pub fn json(&self) -> serde_json::Value {
        serde_json::from_str(&self.body).unwrap_or_else(|e| panic!("not json ({e}): {}", self.body))
    }
}

/// A browser-like client: keeps cookies, never follows redirects, sends the CSRF token.
pub struct Client {
    http: reqwest::Client,
    base: String,
    pub cookies: BTreeMap<String, String>,
    pub bearer: Option<String>,
}

impl Client {
    pub fn new(base: &str) -> Client {
        let http = reqwest::Client::builder().redirect(reqwest::redirect::Policy::none()).build().unwrap();
        Client { http, base: base.to_string(), cookies: BTreeMap::new(), bearer: None }
    }

    fn cookie_header(&self) -> String {
        self.cookies.iter().map(|(k, v)| format!("{k}={v}")).collect::<Vec<_>>().join("; ")
    }

    pub fn csrf(&self) -> String {
        self.cookies.get("gajok_csrf").cloned().unwrap_or_default()
    }

    async fn send(&mut self, rb: reqwest::RequestBuilder) -> Resp {
        let mut rb = rb.header("cookie", self.cookie_header());
        if let Some(b) = &self.bearer {
            rb = rb.header("authorization", format!("Bearer {b}"));
        }
        let r = rb.send().await.unwrap();
        for v in r.headers().get_all("set-cookie") {
            let s = v.to_str().unwrap();
            let pair = s.split(';').next().unwrap();
            if let Some((k, val)) = pair.split_once('=') {
                if val.is_empty() || s.contains("Max-Age=0") {
                    self.cookies.remove(k);
                } else {
                    self.cookies.insert(k.to_string(), val.to_string());
                }
            }
        }
        let status = r.status().as_u16();
        let headers = r.headers().clone();
        let location = headers.get("location").map(|v| v.to_str().unwrap().to_string());
        let body = r.text().await.unwrap();
        Resp { status, location, headers, body }
    }

    pub async fn get(&mut self, path: &str) -> Resp {
        let rb = self.http.get(format!("{}{path}", self.base));
        self.send(rb).await
    }

    /// A form post carrying the CSRF token like a page's form does.
    pub async fn post_form(&mut self, path: &str, fields: &[(&str, &str)]) -> Resp {
        let mut all: Vec<(String, String)> = fields.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect();
        all.push(("_csrf".into(), self.csrf()));
        self.post_form_raw(path, &all).await
    }

    pub async fn post_form_raw(&mut self, path: &str, fields: &[(String, String)]) -> Resp {
        let body = serde_urlencoded::to_string(fields).unwrap();
        let rb = self
            .http
            .post(format!("{}{path}", self.base))
            .header("content-type", "application/x-www-form-urlencoded")
            .body(body);
        self.send(rb).await
    }

    /// A JSON request; with a session it sends the CSRF header like a script would.
    pub async fn json(&mut self, method: &str, path: &str, body: Option<&serde_json::Value>) -> Resp {
        let m = reqwest::Method::from_bytes(method.as_bytes()).unwrap();
        let mut rb = self.http.request(m, format!("{}{path}", self.base)).header("x-csrf-token", self.csrf());
        if let Some(b) = body {
            rb = rb.header("content-type", "application/json").body(b.to_string());
        }
        self.send(rb).await
    }

    pub async fn raw(&mut self, method: &str, path: &str, content_type: &str, body: Vec<u8>) -> Resp {
        let m = reqwest::Method::from_bytes(method.as_bytes()).unwrap();
        let rb = self
            .http
            .request(m, format!("{}{path}", self.base))
            .header("x-csrf-token", self.csrf())
            .header("content-type", content_type)
            .body(body);
        self.send(rb).await
    }

    /// Opens the login page (for the CSRF cookie) and signs in.
    pub async fn login(&mut self, username: &str, password: &str) -> Resp {
        self.get("/login").await;
        self.post_form("/login", &[("username", username), ("password", password)]).await
    }
}

/// Signs in and asserts it worked.
pub async fn signed_in(s: &TestServer, username: &str) -> Client {
    let mut c = s.client();
    let r = c.login(username, PW).await;
    assert_eq!(r.status, 303, "[{}] login of {username} failed: {}", s.backend, r.body);
    c
}
