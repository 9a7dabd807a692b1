//! The binary as an operator uses it: migrate, demo, create an administrator, verify the
//! access log (exit 1 on a broken chain), and exit 2 with the field named on bad input.

use std::process::{Command, Output};

use gajok_store::{Store, testing};
use sqlx::Row;

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

#[test]
fn help_is_english() {
    let o = Command::new(env!("CARGO_BIN_EXE_gajok")).arg("--help").output().unwrap();
    let s = text(&o);
    assert!(o.status.success());
    for word in ["serve", "migrate", "demo", "admin", "audit", "information system for Korean family support centers"] {
        assert!(s.contains(word), "{word} missing in --help: {s}");
    }
}

#[tokio::test]
async fn operator_workflow_on_every_backend() {
    for db in testing::urls().await {
        let o = gajok(&db, &["migrate"]);
        assert!(o.status.success(), "{db}: {}", text(&o));
        assert!(text(&o).contains("database is up to date"));

        let o = gajok(&db, &["demo"]);
        assert!(o.status.success(), "{db}: {}", text(&o));
        let out = text(&o);
        assert!(out.contains("gajok-demo-2026") && out.contains("admin") && out.contains("center_staff"), "{out}");
        // Loading the demo twice changes nothing.
        assert!(gajok(&db, &["demo"]).status.success());
        // The privacy demo: four requests, one accepted deletion carried out (the person
        // anonymised, the fee receipt in separate storage, both in the destruction register).
        let store = Store::connect(&db).await.unwrap();
        for (sql, want) in [
            ("SELECT COUNT(*) AS n FROM privacy_requests", 4),
            ("SELECT COUNT(*) AS n FROM privacy_requests WHERE status = 'pending'", 2),
            ("SELECT COUNT(*) AS n FROM separated_records WHERE payload_json LIKE '%윤지우%'", 1),
            ("SELECT COUNT(*) AS n FROM members WHERE name = '윤지우'", 0),
            ("SELECT COUNT(*) AS n FROM destruction_register WHERE approved_by = '김센터'", 2),
        ] {
            let n: i64 = sqlx::query(sql).fetch_one(store.reader()).await.unwrap().get("n");
            assert_eq!(n, want, "{db}: {sql}");
        }
        store.close().await;

        let o = gajok(&db, &["admin", "create-admin", "--username", "root", "--name", "관리자", "--password", "weak"]);
        assert_eq!(o.status.code(), Some(2), "{db}: {}", text(&o));
        assert!(text(&o).contains("password: weak_password"), "{}", text(&o));
        let o = gajok(
            &db,
            &["admin", "create-admin", "--username", "root", "--name", "관리자", "--password", "Strong-pass-2026"],
        );
        assert!(o.status.success(), "{db}: {}", text(&o));
        let o = gajok(
            &db,
            &["admin", "create-admin", "--username", "root", "--name", "관리자", "--password", "Strong-pass-2026"],
        );
        assert_eq!(o.status.code(), Some(2), "{db}: duplicate username: {}", text(&o));
        assert!(text(&o).contains("username: duplicate_username"));

        // Write some access-log entries through the store, verify, tamper, verify again.
        let store = Store::connect(&db).await.unwrap();
        for i in 0..3 {
            let mut tx = store.begin().await.unwrap();
            let actor = gajok_store::audit::Actor { user_id: None, username: "cli-test".into(), client_addr: None };
            let a = gajok_store::access_log::NewAccess {
                action: "view",
                subject_type: "user",
                subject_id: i.to_string(),
                org_unit_id: None,
                org_path: "/".into(),
                detail: String::new(),
            };
            gajok_store::access_log::append(&mut tx, &actor, a).await.unwrap();
            tx.commit().await.unwrap();
        }
        let o = gajok(&db, &["audit", "verify"]);
        assert!(o.status.success(), "{db}: {}", text(&o));
        assert!(text(&o).contains("access log intact: 3 entries"), "{}", text(&o));

        let mut tx = store.begin().await.unwrap();
        sqlx::query("UPDATE access_log SET action = 'edit' WHERE seq = 2").execute(tx.conn()).await.unwrap();
        tx.commit().await.unwrap();
        store.close().await;
        let o = gajok(&db, &["audit", "verify"]);
        assert_eq!(o.status.code(), Some(1), "{db}: {}", text(&o));
        assert!(text(&o).contains("BROKEN at entry 2 (hash_mismatch)"), "{}", text(&o));
    }
}

#[test]
fn unsupported_database_url_is_refused() {
    let o = gajok("mysql://localhost/x", &["migrate"]);
    assert_eq!(o.status.code(), Some(1));
    assert!(text(&o).contains("database url not supported"), "{}", text(&o));
}
