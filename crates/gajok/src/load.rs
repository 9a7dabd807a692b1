//! `gajok load`: load scenarios against a running gajok over loopback, bounded in users and
//! time. Virtual staff search members, open a record, open and take attendance; virtual
//! officials open roll-ups and center reports; everyone also calls `/healthz`, the trivial
//! endpoint every figure is compared with (a ratio survives a noisy machine). `month-end`
//! has every center manager submit and officials approve at once.

use std::collections::BTreeMap;
use std::sync::Arc;
use std::time::{Duration, Instant};

use anyhow::{Context, bail};
use rand::Rng;
use serde_json::{Value, json};
use tokio::sync::Mutex;

/// A signed-in HTTP client that keeps its cookies and CSRF token.
#[derive(Clone)]
struct Client {
    http: reqwest::Client,
    base: String,
    cookie: String,
    csrf: String,
}

impl Client {
    async fn login(base: &str, username: &str, password: &str) -> anyhow::Result<Client> {
        let http =
            reqwest::Client::builder().redirect(reqwest::redirect::Policy::none()).pool_max_idle_per_host(4).build()?;
        let r = http.get(format!("{base}/login")).send().await?;
        let csrf = cookie_value(&r, "gajok_csrf").context("no CSRF cookie")?;
        let body = serde_urlencoded_form(&[("username", username), ("password", password), ("_csrf", &csrf)]);
        let r = http
            .post(format!("{base}/login"))
            .header("cookie", format!("gajok_csrf={csrf}"))
            .header("content-type", "application/x-www-form-urlencoded")
            .body(body)
            .send()
            .await?;
        let session =
            cookie_value(&r, "gajok_session").with_context(|| format!("login of {username} failed: {}", r.status()))?;
        Ok(Client { http, base: base.to_string(), cookie: format!("gajok_csrf={csrf}; gajok_session={session}"), csrf })
    }

    async fn send(&self, method: reqwest::Method, path: &str, body: Option<&Value>) -> anyhow::Result<(u16, Value)> {
        let mut rb = self
            .http
            .request(method, format!("{}{path}", self.base))
            .header("cookie", &self.cookie)
            .header("x-csrf-token", &self.csrf);
        if let Some(b) = body {
            rb = rb.header("content-type", "application/json").body(b.to_string());
        }
        let r = rb.send().await?;
        let status = r.status().as_u16();
        let text = r.text().await?;
        Ok((status, serde_json::from_str(&text).unwrap_or(Value::Null)))
    }

    async fn form(&self, path: &str, fields: &[(&str, &str)]) -> anyhow::Result<u16> {
        let mut all = fields.to_vec();
        all.push(("_csrf", &self.csrf));
        let r = self
            .http
            .post(format!("{}{path}", self.base))
            .header("cookie", &self.cookie)
            .header("content-type", "application/x-www-form-urlencoded")
            .body(serde_urlencoded_form(&all))
            .send()
            .await?;
        Ok(r.status().as_u16())
    }
}

fn serde_urlencoded_form(fields: &[(&str, &str)]) -> String {
    fields
        .iter()
        .map(|(k, v)| {
            let e = |s: &str| {
                s.bytes()
                    .map(|b| {
                        if b.is_ascii_alphanumeric() || b"-_.".contains(&b) {
                            (b as char).to_string()
                        } else {
                            format!("%{b:02X}")
                        }
                    })
                    .collect::<String>()
            };
            format!("{}={}", e(k), e(v))
        })
        .collect::<Vec<_>>()
        .join("&")
}

fn cookie_value(r: &reqwest::Response, name: &str) -> Option<String> {
    r.headers().get_all("set-cookie").iter().filter_map(|v| v.to_str().ok()).find_map(|v| {
        let pair = v.split(';').next()?;
        let (k, val) = pair.split_once('=')?;
        (k == name && !val.is_empty()).then(|| val.to_string())
    })
}

/// Latencies (ms) and outcomes per request class.
#[derive(Default)]
struct Stats {
    samples: BTreeMap<&'static str, Vec<f64>>,
    errors: BTreeMap<String, u64>,
    attendance_entries: u64,
}

impl Stats {
    fn add(&mut self, class: &'static str, ms: f64, status: u16) {
        self.samples.entry(class).or_default().push(ms);
        if status >= 400 {
            *self.errors.entry(format!("{class} {status}")).or_default() += 1;
        }
    }
}

fn pct(v: &mut [f64], p: f64) -> f64 {
    if v.is_empty() {
        return 0.0;
    }
    v.sort_by(|a, b| a.total_cmp(b));
    v[((v.len() as f64 - 1.0) * p).round() as usize]
}

async fn timed<F: std::future::Future<Output = anyhow::Result<(u16, Value)>>>(
    stats: &Mutex<Stats>,
    class: &'static str,
    f: F,
) -> Option<Value> {
    let t = Instant::now();
    let r = f.await;
    let ms = t.elapsed().as_secs_f64() * 1000.0;
    let mut s = stats.lock().await;
    match r {
        Ok((status, body)) => {
            s.add(class, ms, status);
            (status < 400).then_some(body)
        }
        Err(e) => {
            *s.errors.entry(format!("{class} transport: {e}")).or_default() += 1;
            None
        }
    }
}

fn rss_kib(pid: u32) -> Option<u64> {
    let s = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    s.lines().find(|l| l.starts_with("VmRSS:"))?.split_whitespace().nth(1)?.parse().ok()
}

pub struct LoadOptions {
    pub url: String,
    pub admin: String,
    pub password: String,
    pub users: usize,
    pub seconds: u64,
    pub scenario: String,
    pub month: String,
    pub server_pid: Option<u32>,
    /// Pause of each virtual user between actions (a person reads the screen); 0 = flat out.
    pub think_ms: u64,
}

struct Fixture {
    center: i64,
    district: i64,
    staff: Client,
    manager: Option<Client>,
    sessions: Vec<(i64, Vec<i64>)>,
    members: Vec<i64>,
}

const PASSWORD: &str = "Load-test-pass-26";

/// Creates (or reuses) an account with a role and signs it in, changing the initial password.
async fn account(admin: &Client, base: &str, username: &str, home: i64, role: &str, at: i64) -> anyhow::Result<Client> {
    if let Ok(c) = Client::login(base, username, PASSWORD).await {
        return Ok(c);
    }
    let body = json!({"username": username, "display_name": "부하시험", "home_org_id": home, "initial_password": "Initial-pass-26"});
    let (st, u) = admin.send(reqwest::Method::POST, "/api/v1/users", Some(&body)).await?;
    if st != 201 {
        bail!("creating {username}: {st} {u}");
    }
    let id = u["id"].as_i64().context("user id")?;
    let (st, r) = admin
        .send(
            reqwest::Method::POST,
            &format!("/api/v1/users/{id}/roles"),
            Some(&json!({"role": role, "org_unit_id": at})),
        )
        .await?;
    if st != 201 {
        bail!("role for {username}: {st} {r}");
    }
    let c = Client::login(base, username, "Initial-pass-26").await?;
    let st = c
        .form(
            "/account/password",
            &[("current_password", "Initial-pass-26"), ("new_password", PASSWORD), ("confirm_password", PASSWORD)],
        )
        .await?;
    if st != 303 {
        bail!("password change for {username}: {st}");
    }
    Client::login(base, username, PASSWORD).await
}

async fn fixtures(
    admin: &Client,
    o: &LoadOptions,
    centers_wanted: usize,
    with_manager: bool,
) -> anyhow::Result<Vec<Fixture>> {
    let mut centers: Vec<Value> = Vec::new();
    for page in 1.. {
        let (_, list) = admin
            .send(reqwest::Method::GET, &format!("/api/v1/orgs?kind=center&per_page=200&q=G-C-&page={page}"), None)
            .await?;
        let items = list["items"].as_array().cloned().unwrap_or_default();
        let done = items.len() < 200 || centers.len() + items.len() >= centers_wanted;
        centers.extend(items);
        if done {
            break;
        }
    }
    if centers.is_empty() {
        bail!("no generated centers (codes G-C-…): run `gajok generate --preset national` on this database first");
    }
    let year: i64 = o.month.get(..4).and_then(|y| y.parse().ok()).context("--month YYYY-MM")?;
    let mut out = Vec::new();
    for c in centers.iter().take(centers_wanted) {
        let center = c["id"].as_i64().context("center id")?;
        let district = c["parent_id"].as_i64().context("district id")?;
        let n = c["code"].as_str().unwrap_or("x").trim_start_matches("G-C-").to_string();
        let staff = account(admin, &o.url, &format!("load-staff-{n}"), center, "center_staff", center).await?;
        let manager = if with_manager {
            Some(account(admin, &o.url, &format!("load-manager-{n}"), center, "center_manager", center).await?)
        } else {
            None
        };
        let (_, progs) =
            staff.send(reqwest::Method::GET, &format!("/api/v1/programs?year={year}&center={center}"), None).await?;
        let mut sessions = Vec::new();
        for p in progs["items"].as_array().cloned().unwrap_or_default().iter().take(3) {
            let pid = p["program"]["id"].as_i64().unwrap_or(0);
            let (_, d) = staff.send(reqwest::Method::GET, &format!("/api/v1/programs/{pid}"), None).await?;
            let enrolled: Vec<i64> =
                d["enrolled"].as_array().cloned().unwrap_or_default().iter().filter_map(|e| e[0].as_i64()).collect();
            for s in d["sessions"].as_array().cloned().unwrap_or_default().iter().take(20) {
                if s["session"]["date"].as_str().is_some_and(|d| d.starts_with(&o.month)) || sessions.len() < 5 {
                    sessions.push((s["session"]["id"].as_i64().unwrap_or(0), enrolled.clone()));
                }
            }
        }
        let members = sessions.first().map(|s| s.1.clone()).unwrap_or_default();
        out.push(Fixture { center, district, staff, manager, sessions, members });
    }
    Ok(out)
}

pub async fn run(o: LoadOptions) -> anyhow::Result<()> {
    let admin = Client::login(&o.url, &o.admin, &o.password)
        .await
        .context("admin login (use the demo admin or --admin/--password)")?;
    match o.scenario.as_str() {
        "mixed" | "attendance" => mixed(&admin, &o).await,
        "month-end" => month_end(&admin, &o).await,
        other => bail!("unknown scenario {other:?} (mixed, attendance, month-end)"),
    }
}

async fn mixed(admin: &Client, o: &LoadOptions) -> anyhow::Result<()> {
    let staff_users = if o.scenario == "attendance" { o.users } else { o.users * 4 / 5 };
    let official_users = o.users - staff_users;
    eprintln!("setting up {} staff and {} officials ...", staff_users, official_users);
    let fx = Arc::new(fixtures(admin, o, staff_users.max(1), false).await?);
    let officials: Vec<Client> = {
        let mut v = Vec::new();
        for (i, f) in fx.iter().enumerate().take(official_users) {
            v.push(
                account(admin, &o.url, &format!("load-official-{i}"), f.district, "district_official", f.district)
                    .await?,
            );
        }
        v
    };
    let stats = Arc::new(Mutex::new(Stats::default()));
    let deadline = Instant::now() + Duration::from_secs(o.seconds);
    let peak_rss = Arc::new(Mutex::new(0u64));
    if let Some(pid) = o.server_pid {
        let peak = peak_rss.clone();
        tokio::spawn(async move {
            while Instant::now() < deadline {
                if let Some(k) = rss_kib(pid) {
                    let mut p = peak.lock().await;
                    *p = (*p).max(k);
                }
                tokio::time::sleep(Duration::from_millis(200)).await;
            }
        });
    }
    let started = Instant::now();
    let mut tasks = Vec::new();
    for i in 0..staff_users {
        let fx = fx.clone();
        let stats = stats.clone();
        let attendance_only = o.scenario == "attendance";
        let think = Duration::from_millis(o.think_ms);
        tasks.push(tokio::spawn(async move {
            let f = &fx[i % fx.len()];
            let mut rng = rand::rngs::StdRng::seed_from_u64(i as u64);
            while Instant::now() < deadline && !f.sessions.is_empty() {
                if !think.is_zero() {
                    tokio::time::sleep(think.mul_f64(rng.gen_range(0.5..1.5))).await;
                }
                let (sid, enrolled) = &f.sessions[rng.gen_range(0..f.sessions.len())];
                let roll = if attendance_only { 99 } else { rng.gen_range(0..100) };
                match roll {
                    0..10 => {
                        timed(&stats, "trivial", async { Ok((f.staff.http.get(format!("{}/healthz", f.staff.base)).send().await?.status().as_u16(), Value::Null)) }).await;
                    }
                    10..35 => {
                        let q = ["민수", "지영", "서연", "ㄱㅁㅅ", "5678"][rng.gen_range(0..5)];
                        timed(&stats, "read", f.staff.send(reqwest::Method::GET, &format!("/api/v1/members?q={}", urlenc(q)), None)).await;
                    }
                    35..55 => {
                        if let Some(m) = f.members.get(rng.gen_range(0..f.members.len().max(1))) {
                            timed(&stats, "read", f.staff.send(reqwest::Method::GET, &format!("/api/v1/members/{m}"), None)).await;
                        }
                    }
                    55..70 => {
                        timed(&stats, "read", f.staff.send(reqwest::Method::GET, &format!("/api/v1/sessions/{sid}/attendance"), None)).await;
                    }
                    _ => {
                        let take = enrolled.len().min(20);
                        let start = rng.gen_range(0..enrolled.len().saturating_sub(take).max(1));
                        let entries: Vec<Value> = enrolled[start..start + take]
                            .iter()
                            .map(|m| json!({"member_id": m, "status": if rng.gen_range(0..10) == 0 { "absent" } else { "present" }}))
                            .collect();
                        let n = entries.len() as u64;
                        if timed(&stats, "write", f.staff.send(reqwest::Method::PUT, &format!("/api/v1/sessions/{sid}/attendance"), Some(&json!({"entries": entries})))).await.is_some() {
                            stats.lock().await.attendance_entries += n;
                        }
                    }
                }
            }
        }));
    }
    for (i, c) in officials.into_iter().enumerate() {
        let fx = fx.clone();
        let stats = stats.clone();
        let month = o.month.clone();
        let think = Duration::from_millis(o.think_ms);
        tasks.push(tokio::spawn(async move {
            let f = &fx[i % fx.len()];
            let mut rng = rand::rngs::StdRng::seed_from_u64(1000 + i as u64);
            while Instant::now() < deadline {
                if !think.is_zero() {
                    tokio::time::sleep(think.mul_f64(rng.gen_range(0.5..1.5))).await;
                }
                match rng.gen_range(0..10) {
                    0 => {
                        timed(&stats, "trivial", async {
                            Ok((c.http.get(format!("{}/healthz", c.base)).send().await?.status().as_u16(), Value::Null))
                        })
                        .await;
                    }
                    1..5 => {
                        timed(
                            &stats,
                            "read",
                            c.send(
                                reqwest::Method::GET,
                                &format!("/api/v1/reports/rollup/{}/{month}", f.district),
                                None,
                            ),
                        )
                        .await;
                    }
                    _ => {
                        timed(
                            &stats,
                            "read",
                            c.send(
                                reqwest::Method::GET,
                                &format!("/api/v1/reports/monthly/{}/{month}", f.center),
                                None,
                            ),
                        )
                        .await;
                    }
                }
            }
        }));
    }
    for t in tasks {
        t.await?;
    }
    let elapsed = started.elapsed().as_secs_f64();
    let mut s = stats.lock().await;
    let mut trivial = s.samples.remove("trivial").unwrap_or_default();
    let t99 = pct(&mut trivial, 0.99);
    println!(
        "scenario {} · {} users ({} staff, {} officials) · {:.0} s · {}",
        o.scenario, o.users, staff_users, official_users, elapsed, o.url
    );
    println!();
    println!("| class | requests | req/s | p50 ms | p95 ms | p99 ms | p99 ÷ trivial p99 |");
    println!("|---|---|---|---|---|---|---|");
    println!(
        "| trivial (/healthz) | {} | {:.0} | {:.1} | {:.1} | {:.1} | 1.0 |",
        trivial.len(),
        trivial.len() as f64 / elapsed,
        pct(&mut trivial, 0.5),
        pct(&mut trivial, 0.95),
        t99
    );
    for (class, v) in s.samples.iter_mut() {
        let p99 = pct(v, 0.99);
        println!(
            "| {class} | {} | {:.0} | {:.1} | {:.1} | {:.1} | {:.1} |",
            v.len(),
            v.len() as f64 / elapsed,
            pct(v, 0.5),
            pct(v, 0.95),
            p99,
            if t99 > 0.0 { p99 / t99 } else { 0.0 }
        );
    }
    println!();
    println!(
        "attendance records written: {} ({:.0} per second)",
        s.attendance_entries,
        s.attendance_entries as f64 / elapsed
    );
    if let Some(pid) = o.server_pid {
        println!("server peak RSS: {:.1} MB (pid {pid})", *peak_rss.lock().await as f64 / 1024.0);
    }
    let errors: u64 = s.errors.values().sum();
    println!("errors: {errors}");
    for (k, v) in &s.errors {
        println!("  {k}: {v}");
    }
    Ok(())
}

fn urlenc(s: &str) -> String {
    s.bytes().map(|b| if b.is_ascii_alphanumeric() { (b as char).to_string() } else { format!("%{b:02X}") }).collect()
}

/// Every center manager submits the month at once, then officials approve them all at once.
async fn month_end(admin: &Client, o: &LoadOptions) -> anyhow::Result<()> {
    eprintln!("setting up {} center managers ...", o.users);
    let fx = fixtures(admin, o, o.users, true).await?;
    let mut districts: Vec<i64> = fx.iter().map(|f| f.district).collect();
    districts.sort_unstable();
    districts.dedup();
    // 20 officials share the districts (one account may hold the role at several).
    let n_officials = 20.min(districts.len()).max(1);
    let mut officials: Vec<(Vec<i64>, Client)> = Vec::new();
    for (i, bucket) in districts.chunks(districts.len().div_ceil(n_officials)).enumerate() {
        let c =
            account(admin, &o.url, &format!("load-approver-{i}"), bucket[0], "district_official", bucket[0]).await?;
        for d in &bucket[1..] {
            let (_, me) = c.send(reqwest::Method::GET, "/api/v1/me", None).await?;
            let has = me["roles"].as_array().is_some_and(|r| r.iter().any(|x| x["org_unit_id"].as_i64() == Some(*d)));
            if !has {
                let id = me["id"].as_i64().context("id")?;
                admin
                    .send(
                        reqwest::Method::POST,
                        &format!("/api/v1/users/{id}/roles"),
                        Some(&json!({"role": "district_official", "org_unit_id": d})),
                    )
                    .await?;
            }
        }
        officials.push((bucket.to_vec(), c));
    }
    let stats = Arc::new(Mutex::new(Stats::default()));
    let started = Instant::now();
    let mut tasks = Vec::new();
    for f in &fx {
        let m = f.manager.clone().context("manager")?;
        let (stats, center, month) = (stats.clone(), f.center, o.month.clone());
        tasks.push(tokio::spawn(async move {
            timed(
                &stats,
                "submit",
                m.send(reqwest::Method::POST, &format!("/api/v1/reports/monthly/{center}/{month}/submit"), None),
            )
            .await;
        }));
    }
    for t in tasks {
        t.await?;
    }
    let submitted_in = started.elapsed().as_secs_f64();
    let t2 = Instant::now();
    let mut tasks = Vec::new();
    for (bucket, c) in &officials {
        let mine: Vec<i64> = fx.iter().filter(|f| bucket.contains(&f.district)).map(|f| f.center).collect();
        let (stats, c, month) = (stats.clone(), c.clone(), o.month.clone());
        tasks.push(tokio::spawn(async move {
            for center in mine {
                timed(
                    &stats,
                    "approve",
                    c.send(
                        reqwest::Method::POST,
                        &format!("/api/v1/reports/monthly/{center}/{month}/review"),
                        Some(&json!({"decision": "approve"})),
                    ),
                )
                .await;
            }
        }));
    }
    for t in tasks {
        t.await?;
    }
    let approved_in = t2.elapsed().as_secs_f64();
    // Every report exists once, approved, with figures equal to a fresh generation.
    let mut bad = 0;
    for f in &fx {
        let (_, r) = f
            .staff
            .send(reqwest::Method::GET, &format!("/api/v1/reports/monthly/{}/{}", f.center, o.month), None)
            .await?;
        let snapshot_total = r["snapshot"].as_array().and_then(|a| a.last()).map(|l| l["month"].clone());
        let live_total = r["lines"].as_array().and_then(|a| a.last()).map(|l| l["month"].clone());
        if r["status"] != "district_approved" || snapshot_total.is_none() || snapshot_total != live_total {
            bad += 1;
        }
    }
    let mut s = stats.lock().await;
    println!(
        "month-end · {} centers submitting, {} district officials approving · {}",
        fx.len(),
        officials.len(),
        o.url
    );
    for (class, v) in s.samples.iter_mut() {
        println!(
            "| {class} | {} | p50 {:.1} ms | p95 {:.1} ms | p99 {:.1} ms |",
            v.len(),
            pct(v, 0.5),
            pct(v, 0.95),
            pct(v, 0.99)
        );
    }
    println!("all submitted in {submitted_in:.2} s, all approved in {approved_in:.2} s");
    println!("reports wrong, lost or duplicated: {bad}");
    println!("errors: {}", s.errors.values().sum::<u64>());
    for (k, v) in &s.errors {
        println!("  {k}: {v}");
    }
    Ok(())
}

use rand::SeedableRng;
