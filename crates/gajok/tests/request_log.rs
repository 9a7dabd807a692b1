//! The operator's view of requests: every response carries a request id (the caller's when
//! it is a plain token), and `--log-format json` writes one JSON line per request with the
//! route template, status, duration and request id, but never the query string or a name.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

fn get(addr: &str, path: &str, request_id: Option<&str>) -> String {
    let mut s = TcpStream::connect(addr).unwrap();
    s.set_read_timeout(Some(Duration::from_secs(30))).unwrap();
    let rid = request_id.map(|r| format!("X-Request-Id: {r}\r\n")).unwrap_or_default();
    write!(s, "GET {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n{rid}\r\n").unwrap();
    let mut raw = Vec::new();
    s.read_to_end(&mut raw).unwrap();
    String::from_utf8_lossy(&raw).split("\r\n\r\n").next().unwrap_or_default().to_ascii_lowercase()
}

/// Kills the server if the test fails before stopping it (an orphan would keep its port and
/// whatever its parent held open).
struct Reap(u32);

impl Drop for Reap {
    fn drop(&mut self) {
        let _ = Command::new("kill").args(["-KILL", &self.0.to_string()]).status();
    }
}

#[test]
fn request_ids_and_one_json_log_line_per_request_without_personal_data() {
    let db = gajok_store::testing::sqlite_url();
    let mut child = Command::new(env!("CARGO_BIN_EXE_gajok"))
        .args(["serve", "--listen", "127.0.0.1:0", "--log-format", "json"])
        .env("GAJOK_DATABASE_URL", &db)
        .env("GAJOK_LOG", "info")
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("start gajok serve");
    let _reap = Reap(child.id());
    let mut out = BufReader::new(child.stdout.take().unwrap()).lines();
    let deadline = Instant::now() + Duration::from_secs(60);
    let addr = loop {
        assert!(Instant::now() < deadline, "server did not start");
        let line = out.next().expect("server exited before listening").unwrap();
        if let Some(rest) = line.split("gajok is running at http://").nth(1) {
            break rest.split('/').next().unwrap().to_string();
        }
    };
    let head = get(&addr, "/members?q=%EA%B9%80%EB%AF%BC%EC%88%98", Some("proxy-id-42"));
    assert!(head.contains("x-request-id: proxy-id-42"), "the caller's id is echoed: {head}");
    let head = get(&addr, "/login", Some("bad id;drop"));
    let generated = head.lines().find_map(|l| l.strip_prefix("x-request-id: ")).expect("an id is generated");
    assert_eq!(generated.len(), 24, "a generated id replaces one that is not a plain token");

    let pid = child.id().to_string();
    Command::new("kill").args(["-TERM", &pid]).status().unwrap();
    assert!(child.wait().unwrap().success(), "clean exit on SIGTERM");
    let mut logs = String::new();
    child.stderr.take().unwrap().read_to_string(&mut logs).unwrap();
    let lines: Vec<serde_json::Value> = logs.lines().filter_map(|l| serde_json::from_str(l).ok()).collect();
    let requests: Vec<_> = lines.iter().filter(|l| l["fields"]["message"] == "request").collect();
    assert_eq!(requests.len(), 2, "one line per request: {logs}");
    let members = requests[0];
    assert_eq!(members["fields"]["route"], "/members", "the route template, not the path with its query");
    assert_eq!(members["fields"]["method"], "GET");
    assert_eq!(members["fields"]["status"], 303, "signed out: sent to the login page");
    assert!(members["fields"]["ms"].as_f64().is_some(), "the duration");
    assert_eq!(members["span"]["request_id"], "proxy-id-42", "the request id is in the line");
    assert_eq!(requests[1]["span"]["request_id"], generated);
    assert!(!logs.contains("김민수") && !logs.contains("%EA%B9%80"), "no searched name in the logs: {logs}");
}
