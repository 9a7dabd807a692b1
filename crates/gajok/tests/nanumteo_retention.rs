//! `gajok retention run` covers the 공동육아나눔터 CCTV viewing ledger (3 years, CS-79 and
//! rules/privacy/retention.json): a dry run lists the expired lines and changes nothing; an
//! approved run deletes them with a line in the destruction register; younger lines stay.
//! (It starts from `gajok demo`, so it also checks that the demo fills both spaces.)

use std::process::{Command, Output};

use chrono::Months;
use gajok_domain::nanumteo_safety::CctvRequester;
use gajok_store::nanumteo::safety::{self as st, NewCctvRequest};
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

async fn n(store: &Store, sql: &str) -> i64 {
    sqlx::query(sqlx::AssertSqlSafe(sql.to_string())).fetch_one(store.reader()).await.unwrap().get::<i64, _>("n")
}

#[tokio::test]
async fn cctv_ledger_lines_older_than_three_years_are_destroyed() {
    for db in testing::urls().await {
        let o = gajok(&db, &["demo"]);
        assert!(o.status.success(), "{}", text(&o));
        let store = Store::connect(&db).await.unwrap();
        let center = gajok_store::orgs::by_code(&store, "C-11215-01").await.unwrap().unwrap().id;
        let site = gajok_store::orgs::by_code(&store, "S-11215-01-1").await.unwrap().unwrap().id;
        let today = gajok_domain::time::kst_date(chrono::Utc::now());
        let three = today.checked_sub_months(Months::new(36)).unwrap();
        let old = (three - chrono::Days::new(10)).to_string();
        let young = (three + chrono::Days::new(10)).to_string();
        // The demo filled both spaces: a year of weekly checklists, readings, applications,
        // and two regular programs each.
        assert_eq!(n(&store, "SELECT COUNT(DISTINCT space_id) AS n FROM nanumteo_checklists").await, 2, "{db}");
        assert!(n(&store, "SELECT COUNT(*) AS n FROM nanumteo_checklists WHERE kind = 'weekly'").await >= 100, "{db}");
        assert!(n(&store, "SELECT COUNT(*) AS n FROM nanumteo_readings").await >= 250, "{db}");
        assert!(n(&store, "SELECT COUNT(*) AS n FROM nanumteo_memberships").await >= 10, "{db}");
        assert_eq!(n(&store, "SELECT COUNT(*) AS n FROM nanumteo_regular_programs").await, 4, "{db}");
        let mut tx = store.begin().await.unwrap();
        for on in [&old, &young] {
            let r = NewCctvRequest {
                space_id: site,
                requested_on: on,
                requester_kind: CctvRequester::Guardian,
                requester_name: "옛보호자",
                requester_contact: Some("010-1111-2222"),
                purpose: "확인",
                file_name: "CAM1",
                footage_from: on,
                footage_to: on,
            };
            st::insert_cctv(&mut tx, center, &r, 1).await.unwrap();
        }
        tx.commit().await.unwrap();
        let lines = n(&store, "SELECT COUNT(*) AS n FROM nanumteo_cctv_requests").await;

        let o = gajok(&db, &["retention", "run", "--dry-run"]);
        assert!(o.status.success(), "{db}: {}", text(&o));
        assert!(text(&o).contains("CCTV viewing ledger (3년)"), "{db}: {}", text(&o));
        assert!(text(&o).contains("C-11215-01: 1 ledger lines"), "{db}: {}", text(&o));
        assert!(text(&o).contains("dry run: 1 CCTV ledger lines would be deleted"), "{db}: {}", text(&o));
        assert_eq!(n(&store, "SELECT COUNT(*) AS n FROM nanumteo_cctv_requests").await, lines, "{db}: dry run");

        let o = gajok(&db, &["retention", "run", "--apply", "--approved-by", "김보호"]);
        assert!(o.status.success(), "{db}: {}", text(&o));
        assert!(text(&o).contains("deleted 1 CCTV ledger lines; 1 lines written"), "{db}: {}", text(&o));
        assert_eq!(n(&store, "SELECT COUNT(*) AS n FROM nanumteo_cctv_requests").await, lines - 1, "{db}");
        let sql = format!("SELECT COUNT(*) AS n FROM nanumteo_cctv_requests WHERE requested_on = '{young}'");
        assert_eq!(n(&store, &sql).await, 1, "{db}: the younger line stays");
        let sql = "SELECT COUNT(*) AS n FROM destruction_register WHERE record_kind = 'cctv_viewing_ledger' \
                   AND record_count = 1 AND approved_by = '김보호'";
        assert_eq!(n(&store, sql).await, 1, "{db}: registered");
    }
}
