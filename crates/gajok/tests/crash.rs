//! Crash safety: the real `gajok serve` takes a steady stream of writes over HTTP (member
//! registration, enrolment, attendance) and is killed with SIGKILL in the middle of it, then
//! started again on the same database (several rounds); or it is stopped with SIGTERM and
//! must exit cleanly. Either way every write the server acknowledged (303) must be there, the
//! database must be intact, and the counts kept at write time must equal a recount from the
//! records. On SQLite and on PostgreSQL.
//!
//! The HTTP client is a few lines over `TcpStream` (one request per connection), so the test
//! needs nothing beyond the standard library to drive the server.

use std::collections::BTreeMap;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::process::{Child, Command, Stdio};
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use gajok_store::{Store, access_log, counting, testing};

const ROUNDS: usize = 4;
const CENTER: &str = "C-11215-01";

/// A running `gajok serve` and the address it listens on.
struct Server {
    child: Child,
    addr: String,
}

fn start(db: &str) -> Server {
    let mut child = Command::new(env!("CARGO_BIN_EXE_gajok"))
        .args(["serve", "--demo", "--listen", "127.0.0.1:0"])
        .env("GAJOK_DATABASE_URL", db)
        .env("GAJOK_LOG", "error")
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("start gajok serve");
    let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
    let deadline = Instant::now() + Duration::from_secs(120);
    let addr = loop {
        assert!(Instant::now() < deadline, "server did not start");
        let line = lines.next().expect("server exited before listening").unwrap();
        if let Some(rest) = line.split("gajok is running at http://").nth(1) {
            break rest.split('/').next().unwrap().to_string();
        }
    };
    // Keep reading so the server never blocks on a full pipe.
    std::thread::spawn(move || for _ in lines.by_ref() {});
    Server { child, addr }
}

struct Resp {
    status: u16,
    location: Option<String>,
}

/// One cookie-keeping client; every request on a fresh connection.
struct Http {
    addr: String,
    cookies: BTreeMap<String, String>,
}

fn enc(s: &str) -> String {
    let mut out = String::new();
    for b in s.bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' => out.push(b as char),
            _ => out.push_str(&format!("%{b:02X}")),
        }
    }
    out
}

impl Http {
    fn request(&mut self, method: &str, path: &str, form: &[(&str, &str)]) -> std::io::Result<Resp> {
        let mut fields: Vec<String> = form.iter().map(|(k, v)| format!("{}={}", enc(k), enc(v))).collect();
        if method == "POST" {
            fields.push(format!("_csrf={}", enc(self.cookies.get("gajok_csrf").map(String::as_str).unwrap_or(""))));
        }
        let body = fields.join("&");
        let cookie = self.cookies.iter().map(|(k, v)| format!("{k}={v}")).collect::<Vec<_>>().join("; ");
        let mut s = TcpStream::connect(&self.addr)?;
        s.set_read_timeout(Some(Duration::from_secs(30)))?;
        write!(
            s,
            "{method} {path} HTTP/1.1\r\nHost: {}\r\nConnection: close\r\nCookie: {cookie}\r\n\
             Content-Type: application/x-www-form-urlencoded\r\nContent-Length: {}\r\n\r\n{body}",
            self.addr,
            body.len()
        )?;
        let mut raw = Vec::new();
        s.read_to_end(&mut raw)?;
        let text = String::from_utf8_lossy(&raw);
        let head = text.split("\r\n\r\n").next().unwrap_or_default();
        let mut lines = head.lines();
        let status = lines
            .next()
            .and_then(|l| l.split(' ').nth(1))
            .and_then(|c| c.parse().ok())
            .ok_or_else(|| std::io::Error::other("no status line (connection cut)"))?;
        let mut location = None;
        for l in lines {
            let Some((name, value)) = l.split_once(':') else { continue };
            let value = value.trim();
            if name.eq_ignore_ascii_case("location") {
                location = Some(value.to_string());
            } else if name.eq_ignore_ascii_case("set-cookie") {
                let pair = value.split(';').next().unwrap_or_default();
                if let Some((k, v)) = pair.split_once('=') {
                    self.cookies.insert(k.to_string(), v.to_string());
                }
            }
        }
        Ok(Resp { status, location })
    }

    fn login(addr: &str) -> Http {
        let mut h = Http { addr: addr.to_string(), cookies: BTreeMap::new() };
        h.request("GET", "/login", &[]).unwrap();
        let r = h.request("POST", "/login", &[("username", "staff"), ("password", gajok_app::seed::DEMO_PASSWORD)]);
        assert_eq!(r.unwrap().status, 303, "staff signs in");
        h
    }
}

fn id_after(location: &Option<String>, prefix: &str) -> Option<i64> {
    location.as_deref()?.strip_prefix(prefix)?.split(['?', '/']).next()?.parse().ok()
}

/// A distinct Hangul name for the n-th registration.
fn name(n: usize) -> String {
    let syl = |k: usize| char::from_u32(0xAC00 + (k % 11172) as u32).unwrap();
    format!("김{}{}", syl(n * 37 + 11), syl(n / 11172 + 101))
}

/// What the server acknowledged in one round.
#[derive(Default)]
struct Acked {
    members: Vec<(i64, String)>,
    attendance: Vec<(i64, i64)>,
    writes: usize,
}

/// Registers, enrols and marks present, one person after another, until the server dies.
fn stream(addr: String, program: i64, session: i64, first: usize, progress: Arc<AtomicUsize>) -> Acked {
    let mut h = Http::login(&addr);
    let mut acked = Acked::default();
    for n in first.. {
        let nm = name(n);
        let birth = format!("19{:02}-{:02}-{:02}", 50 + n % 45, 1 + n % 12, 1 + n % 28);
        let form = [
            ("name", nm.as_str()),
            ("birth_date", birth.as_str()),
            ("sex", "female"),
            ("consent_collection", "agree"),
            ("confirm_new", "on"),
        ];
        let Ok(r) = h.request("POST", "/members", &form) else { break };
        assert_eq!(r.status, 303, "registration of {nm}");
        let member = id_after(&r.location, "/members/").expect("member id");
        acked.members.push((member, nm));
        acked.writes += 1;
        let ids = member.to_string();
        let Ok(r) = h.request("POST", &format!("/programs/{program}/enrol"), &[("member_ids", &ids)]) else { break };
        assert_eq!(r.status, 303);
        acked.writes += 1;
        let field = format!("a_{member}");
        let Ok(r) = h.request("POST", &format!("/sessions/{session}/attendance"), &[(&field, "present")]) else {
            break;
        };
        assert_eq!(r.status, 303);
        acked.attendance.push((session, member));
        acked.writes += 1;
        progress.store(acked.writes, Ordering::SeqCst);
    }
    acked
}

async fn scalar(store: &Store, sql: &str, binds: &[i64]) -> Option<String> {
    use sqlx::Row;
    let mut q = sqlx::query(sqlx::AssertSqlSafe(sql.to_string()));
    for b in binds {
        q = q.bind(*b);
    }
    q.fetch_optional(store.reader()).await.unwrap().map(|r| r.get::<String, _>(0))
}

/// After the kill: every acknowledged write is there, and the counts equal their records.
async fn check(db: &str, backend: &str, round: usize, acked: &Acked) -> usize {
    let store = Store::connect(db).await.unwrap();
    if store.backend() == gajok_store::Backend::Sqlite {
        assert_eq!(scalar(&store, "PRAGMA integrity_check", &[]).await.as_deref(), Some("ok"), "{backend}");
    }
    let mut lost = 0;
    for (id, nm) in &acked.members {
        if scalar(&store, "SELECT name FROM members WHERE id = $1", &[*id]).await.as_deref() != Some(nm) {
            lost += 1;
        }
    }
    for (s, m) in &acked.attendance {
        let sql = "SELECT status FROM attendance WHERE session_id = $1 AND member_id = $2";
        if scalar(&store, sql, &[*s, *m]).await.as_deref() != Some("present") {
            lost += 1;
        }
    }
    let center = gajok_store::orgs::by_code(&store, CENTER).await.unwrap().unwrap().id;
    let kept = counting::snapshot(&store, center).await.unwrap();
    let mut tx = store.begin().await.unwrap();
    counting::recount(&mut tx, center).await.unwrap();
    tx.commit().await.unwrap();
    assert_eq!(kept, counting::snapshot(&store, center).await.unwrap(), "{backend} round {round}: counts = recount");
    assert!(access_log::verify(&store).await.unwrap().ok(), "{backend} round {round}: access log chain");
    store.close().await;
    lost
}

fn new_program(h: &mut Http, backend: &str) -> i64 {
    let r = h
        .request(
            "POST",
            "/programs",
            &[("year", "2026"), ("area", "education"), ("name", "충돌 시험"), ("target_real", "10")],
        )
        .unwrap();
    assert_eq!(r.status, 303, "{backend}: program");
    id_after(&r.location, "/programs/").unwrap()
}

async fn new_session(h: &mut Http, db: &str, program: i64, date: &str) -> i64 {
    let r = h.request("POST", &format!("/programs/{program}/sessions"), &[("date", date), ("hours", "2")]);
    assert!(matches!(r.unwrap().status, 200 | 303), "{db}: session");
    let store = Store::connect(db).await.unwrap();
    let sessions = gajok_store::programs::sessions(&store, program).await.unwrap();
    store.close().await;
    sessions.iter().find(|s| s.date == date).expect("session created").id
}

/// Waits until the stream has made `n` acknowledged writes (a loaded machine may be slow to
/// start it), at most a minute.
async fn until_under_way(progress: &AtomicUsize, n: usize) {
    let started = Instant::now();
    while progress.load(Ordering::SeqCst) < n && started.elapsed() < Duration::from_secs(60) {
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

/// SIGTERM, as systemd and container runtimes stop a service, in the middle of a stream of
/// writes: the server stops accepting, finishes what is in flight, closes its pools and exits
/// with 0 within 10 s, and every write it acknowledged is there. On SQLite and PostgreSQL.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sigterm_during_writes_loses_nothing_and_exits_cleanly() {
    for db in testing::urls().await {
        let mut server = start(&db);
        let backend = if db.starts_with("sqlite") { "sqlite" } else { "postgres" };
        let mut h = Http::login(&server.addr);
        let program = new_program(&mut h, backend);
        let session = new_session(&mut h, &db, program, "2026-12-07").await;
        let (addr, progress) = (server.addr.clone(), Arc::new(AtomicUsize::new(0)));
        let seen = progress.clone();
        let writer = std::thread::spawn(move || stream(addr, program, session, 0, seen));
        until_under_way(&progress, 12).await;

        let signalled = Instant::now();
        let pid = server.child.id().to_string();
        assert!(Command::new("kill").args(["-TERM", &pid]).status().unwrap().success(), "{backend}: kill -TERM");
        let status = loop {
            if let Some(st) = server.child.try_wait().unwrap() {
                break st;
            }
            if signalled.elapsed() > Duration::from_secs(10) {
                server.child.kill().unwrap();
                panic!("{backend}: the server did not exit within 10 s of SIGTERM");
            }
            tokio::time::sleep(Duration::from_millis(20)).await;
        };
        println!("[{backend}] exited {status} {} ms after SIGTERM", signalled.elapsed().as_millis());
        assert!(status.success(), "{backend}: exit status after SIGTERM is 0, got {status}");
        let acked = writer.join().unwrap();
        assert!(acked.writes > 10, "{backend}: the stream was running ({} writes)", acked.writes);
        assert_eq!(check(&db, backend, 0, &acked).await, 0, "{backend}: acknowledged writes lost after SIGTERM");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn acknowledged_writes_survive_sigkill_on_every_backend() {
    for db in testing::urls().await {
        let mut server = start(&db);
        let backend = if db.starts_with("sqlite") { "sqlite" } else { "postgres" };
        let mut h = Http::login(&server.addr);
        let program = new_program(&mut h, backend);

        let (mut total_writes, mut total_lost, mut next) = (0, 0, 0);
        for round in 0..ROUNDS {
            let session = new_session(&mut h, &db, program, &format!("2026-12-{:02}", 1 + round)).await;

            let addr = server.addr.clone();
            let progress = Arc::new(AtomicUsize::new(0));
            let seen = progress.clone();
            let writer = std::thread::spawn(move || stream(addr, program, session, next, seen));
            // Kill once the stream is well under way, at a different point of it every round.
            until_under_way(&progress, 12).await;
            tokio::time::sleep(Duration::from_millis(300 + 450 * round as u64)).await;
            server.child.kill().unwrap(); // SIGKILL
            server.child.wait().unwrap();
            let acked = writer.join().unwrap();
            assert!(acked.writes > 10, "{backend} round {round}: the stream was running ({} writes)", acked.writes);
            next += acked.members.len() + 1;

            let lost = check(&db, backend, round, &acked).await;
            println!("[{backend}] round {round}: {} acknowledged writes, {lost} lost", acked.writes);
            total_writes += acked.writes;
            total_lost += lost;

            server = start(&db);
            h = Http::login(&server.addr);
        }
        server.child.kill().unwrap();
        server.child.wait().unwrap();
        println!("[{backend}] {ROUNDS} SIGKILL rounds: {total_writes} acknowledged writes, {total_lost} lost");
        assert_eq!(total_lost, 0, "{backend}: acknowledged writes lost");
    }
}
