//! The restore drill an operator runs before trusting backups: back up a database with a
//! year of activity, restore it into an empty instance, and compare everything that matters
//! (rows of every table, the access-log chain, a monthly report's figures). Refusals: a
//! backup never overwrites, a restore never lands on an instance with tables, and PostgreSQL
//! gets the exact pg_dump/pg_restore commands (which the drill also runs when they are
//! installed).

use std::path::PathBuf;
use std::process::{Command, Output};

use gajok_store::{Store, backup, testing};

fn gajok(db: &str, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_gajok"))
        .args(args)
        .env("GAJOK_DATABASE_URL", db)
        .env("GAJOK_LOG", "warn")
        .output()
        .expect("run gajok")
}

fn text(o: &Output) -> String {
    format!("{}{}", String::from_utf8_lossy(&o.stdout), String::from_utf8_lossy(&o.stderr))
}

fn temp_file(name: &str) -> PathBuf {
    let url = testing::sqlite_url();
    let db = backup::sqlite_path(&url).unwrap().to_string();
    PathBuf::from(format!("{db}.{name}"))
}

async fn add_access_entries(db: &str, n: usize) {
    let store = Store::connect(db).await.unwrap();
    for i in 0..n {
        let mut tx = store.begin().await.unwrap();
        let actor = gajok_store::audit::Actor { user_id: None, username: "drill".into(), client_addr: None };
        let a = gajok_store::access_log::NewAccess {
            action: "view",
            subject_type: "member",
            subject_id: i.to_string(),
            org_unit_id: None,
            org_path: "/".into(),
            detail: String::new(),
        };
        gajok_store::access_log::append(&mut tx, &actor, a).await.unwrap();
        tx.commit().await.unwrap();
    }
    store.close().await;
}

async fn inventory(db: &str) -> backup::Inventory {
    let store = Store::connect(db).await.unwrap();
    let inv = backup::inventory(&store).await.unwrap();
    store.close().await;
    inv
}

fn this_month() -> String {
    gajok_domain::time::kst_date(chrono::Utc::now()).format("%Y-%m").to_string()
}

fn report(db: &str) -> String {
    let o = gajok(db, &["report", "monthly", "--center", "C-11215-01", "--month", &this_month()]);
    assert!(o.status.success(), "{}", text(&o));
    String::from_utf8(o.stdout).unwrap()
}

#[tokio::test]
async fn sqlite_backup_restores_into_an_empty_instance_with_the_same_data() {
    let db = testing::sqlite_url();
    let o = gajok(&db, &["demo"]);
    assert!(o.status.success(), "{}", text(&o));
    add_access_entries(&db, 5).await;
    let original = inventory(&db).await;
    assert!(original["attendance"] > 100 && original["members"] > 10, "the drill needs real data: {original:?}");
    let original_report = report(&db);
    assert!(original_report.contains("real_new") || original_report.len() > 100, "{original_report}");

    let file = temp_file("backup");
    let f = file.to_str().unwrap();
    let o = gajok(&db, &["backup", "--output", f]);
    assert!(o.status.success(), "{}", text(&o));
    assert!(text(&o).contains("backup written"), "{}", text(&o));
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        assert_eq!(std::fs::metadata(&file).unwrap().permissions().mode() & 0o777, 0o600, "owner-only file");
    }
    // A backup never overwrites.
    let o = gajok(&db, &["backup", "--output", f]);
    assert_eq!(o.status.code(), Some(2), "{}", text(&o));
    assert!(text(&o).contains("never overwrites"), "{}", text(&o));

    let restored = testing::sqlite_url();
    let o = gajok(&restored, &["restore", "--input", f]);
    assert!(o.status.success(), "{}", text(&o));
    assert!(text(&o).contains("access log intact: 5 entries"), "{}", text(&o));

    assert_eq!(inventory(&restored).await, original, "row counts per table");
    assert_eq!(report(&restored), original_report, "the monthly report's figures");
    let o = gajok(&restored, &["audit", "verify"]);
    assert!(text(&o).contains("access log intact: 5 entries"), "{}", text(&o));

    // The restored instance is not empty any more: a second restore is refused, unchanged.
    let o = gajok(&restored, &["restore", "--input", f]);
    assert_eq!(o.status.code(), Some(2), "{}", text(&o));
    assert!(text(&o).contains("restore only into a new, empty instance"), "{}", text(&o));
    assert_eq!(inventory(&restored).await, original);

    // Something that is not a backup is refused.
    let junk = temp_file("junk");
    std::fs::write(&junk, b"not a database").unwrap();
    let o = gajok(&testing::sqlite_url(), &["restore", "--input", junk.to_str().unwrap()]);
    assert_ne!(o.status.code(), Some(0), "{}", text(&o));
}

#[tokio::test]
async fn postgres_gets_the_pg_dump_commands_and_the_drill_runs_them() {
    let Some(db) = testing::postgres_url().await.unwrap() else {
        return;
    };
    let o = gajok(&db, &["demo"]);
    assert!(o.status.success(), "{}", text(&o));
    add_access_entries(&db, 3).await;

    let file = temp_file("dump");
    let f = file.to_str().unwrap();
    let o = gajok(&db, &["backup", "--output", f]);
    assert_eq!(o.status.code(), Some(2), "{}", text(&o));
    let out = text(&o);
    assert!(out.contains("pg_dump --format=custom --no-owner --no-privileges --file="), "{out}");
    assert!(out.contains("pg_restore --no-owner"), "{out}");
    let o = gajok(&db, &["restore", "--input", f]);
    assert_eq!(o.status.code(), Some(2), "{}", text(&o));

    // The documented commands, run as printed, when the client tools are installed.
    if Command::new("pg_dump").arg("--version").output().is_err() {
        eprintln!("pg_dump not installed: PostgreSQL drill skipped");
        return;
    }
    let st = Command::new("pg_dump")
        .args(["--format=custom", "--no-owner", "--no-privileges", &format!("--file={f}"), &db])
        .status()
        .unwrap();
    assert!(st.success());
    let target = testing::postgres_url().await.unwrap().unwrap();
    let st = Command::new("pg_restore")
        .args([
            "--no-owner",
            "--no-privileges",
            "--exit-on-error",
            "--single-transaction",
            &format!("--dbname={target}"),
            f,
        ])
        .status()
        .unwrap();
    assert!(st.success());
    assert_eq!(inventory(&target).await, inventory(&db).await, "row counts per table");
    assert_eq!(report(&target), report(&db), "the monthly report's figures");
    let o = gajok(&target, &["audit", "verify"]);
    assert!(text(&o).contains("access log intact: 3 entries"), "{}", text(&o));
}
