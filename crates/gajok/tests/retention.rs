//! `gajok retention run` on both backends: members whose service ended more than 5 years ago
//! are listed by a dry run (nothing changes), refused without the privacy officer's approval,
//! then anonymised irreversibly with a line in the destruction register, while every count
//! stays exactly as it was (the kept figures and a recount from the records agree).

use std::process::{Command, Output};

use gajok_domain::people::Sex;
use gajok_domain::program::AttendanceStatus;
use gajok_store::people::{self, MemberData};
use gajok_store::privacy::retention::ANONYMISED_NAME;
use gajok_store::programs::{self, ProgramData, SessionData};
use gajok_store::{Store, backup, counting, testing};
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

fn member(name: &str, birth: &str) -> MemberData {
    MemberData {
        name: name.into(),
        birth_date: birth.into(),
        sex: Sex::Female,
        phone: Some("010-1234-5678".into()),
        address: Some("서울 광진구 능동로 1".into()),
        nationality: "KR".into(),
        single_parent: true,
        grandparent: false,
        multicultural: false,
        dual_income: false,
        low_income: false,
        family_id: None,
        relation: None,
        guardian_id: None,
    }
}

/// Members served in 2019 (expired by now) and one whose service went on into 2023 (kept).
async fn old_records(store: &Store, center: i64) -> (Vec<i64>, i64) {
    let mut tx = store.begin().await.unwrap();
    let prog = |year| ProgramData {
        year,
        area: "education".into(),
        common_program: None,
        name: format!("부모교육 {year}"),
        description: None,
        target_real: 0,
        target_cumulative: 0,
        target_sessions: 0,
        target_minutes: 0,
    };
    let session = |date: &str| SessionData {
        series_id: None,
        date: date.into(),
        start_time: "10:00".into(),
        minutes: 120,
        place: None,
        instructor: None,
        open_event: false,
    };
    let p19 = programs::insert_program(&mut tx, center, &prog(2019)).await.unwrap();
    let s19 = programs::insert_session(&mut tx, &p19, &session("2019-05-10")).await.unwrap();
    let mut old = Vec::new();
    for (i, name) in ["오래된", "박옛날", "최지난", "정과거", "한이전"].iter().enumerate() {
        let m = people::insert(&mut tx, center, &member(name, &format!("198{i}-07-15")), "2019-03-01").await.unwrap();
        programs::set_attendance(&mut tx, &p19, &s19, m.id, Some(AttendanceStatus::Present), None).await.unwrap();
        old.push(m.id);
    }
    // Registered in 2019, never attended: service ended on registration.
    old.push(people::insert(&mut tx, center, &member("무참석", "1990-02-02"), "2019-04-01").await.unwrap().id);
    // Registered in 2019, attended in 2023: retention runs until 2028.
    let p23 = programs::insert_program(&mut tx, center, &prog(2023)).await.unwrap();
    let s23 = programs::insert_session(&mut tx, &p23, &session("2023-09-01")).await.unwrap();
    let kept = people::insert(&mut tx, center, &member("계속중", "1991-03-03"), "2019-03-01").await.unwrap().id;
    programs::set_attendance(&mut tx, &p19, &s19, kept, Some(AttendanceStatus::Present), None).await.unwrap();
    programs::set_attendance(&mut tx, &p23, &s23, kept, Some(AttendanceStatus::Present), None).await.unwrap();
    tx.commit().await.unwrap();
    (old, kept)
}

async fn person(store: &Store, id: i64) -> (String, String, Option<String>, Option<String>) {
    let r = sqlx::query("SELECT name, birth_date, phone, address FROM members WHERE id = $1")
        .bind(id)
        .fetch_one(store.reader())
        .await
        .unwrap();
    (r.get("name"), r.get("birth_date"), r.get("phone"), r.get("address"))
}

#[tokio::test]
async fn expired_members_are_anonymised_and_counts_do_not_change() {
    for db in testing::urls().await {
        let o = gajok(&db, &["demo"]);
        assert!(o.status.success(), "{}", text(&o));
        let store = Store::connect(&db).await.unwrap();
        let center = gajok_store::orgs::by_code(&store, "C-11215-01").await.unwrap().unwrap().id;
        let (old, kept) = old_records(&store, center).await;
        let figures = counting::snapshot(&store, center).await.unwrap();
        let rows = backup::inventory(&store).await.unwrap();

        let o = gajok(&db, &["retention", "run", "--dry-run"]);
        assert!(o.status.success(), "{db}: {}", text(&o));
        assert!(text(&o).contains("C-11215-01: 6 members"), "{db}: {}", text(&o));
        assert!(text(&o).contains("dry run: 6 members would be anonymised; nothing was changed"), "{}", text(&o));
        assert_eq!(backup::inventory(&store).await.unwrap(), rows, "{db}: a dry run writes nothing");
        assert_eq!(person(&store, old[0]).await.0, "오래된");
        // Planning ahead: by 2029 the 2023 participant has expired too.
        let o = gajok(&db, &["retention", "run", "--dry-run", "--as-of", "2029-01-01"]);
        assert!(text(&o).contains("C-11215-01: 7 members"), "{db}: {}", text(&o));

        // No destruction without the privacy officer's approval, and never ahead of time.
        let o = gajok(&db, &["retention", "run", "--apply"]);
        assert_eq!(o.status.code(), Some(2), "{}", text(&o));
        assert!(text(&o).contains("--approved-by"), "{}", text(&o));
        let o = gajok(&db, &["retention", "run", "--apply", "--approved-by", "김보호", "--as-of", "2040-01-01"]);
        assert_ne!(o.status.code(), Some(0), "{}", text(&o));
        assert_eq!(backup::inventory(&store).await.unwrap(), rows, "{db}: refused runs write nothing");

        let o = gajok(&db, &["retention", "run", "--apply", "--approved-by", "김보호"]);
        assert!(o.status.success(), "{db}: {}", text(&o));
        assert!(text(&o).contains("anonymised 6 members; 1 lines written"), "{db}: {}", text(&o));

        for id in &old {
            let (name, birth, phone, address) = person(&store, *id).await;
            assert_eq!(name, ANONYMISED_NAME, "{db}");
            assert!(birth.ends_with("-01-01"), "{db}: only the birth year is left: {birth}");
            assert_eq!((phone, address), (None, None), "{db}");
        }
        assert_eq!(person(&store, old[0]).await.1, "1980-01-01");
        assert_eq!(person(&store, kept).await.0, "계속중", "{db}: still within retention");

        // Statistics intact: the same figures, which a recount from the records confirms.
        assert_eq!(counting::snapshot(&store, center).await.unwrap(), figures, "{db}: counts unchanged");
        let mut tx = store.begin().await.unwrap();
        counting::recount(&mut tx, center).await.unwrap();
        tx.commit().await.unwrap();
        assert_eq!(counting::snapshot(&store, center).await.unwrap(), figures, "{db}: recount agrees");
        let after = backup::inventory(&store).await.unwrap();
        for (t, n) in &rows {
            let expect = n + i64::from(t == "destruction_register" || t == "audit_events");
            assert_eq!(after[t], expect, "{db}: rows of {t}");
        }

        let r = sqlx::query(
            "SELECT record_kind, record_count, method, approved_by, legal_basis FROM destruction_register \
             WHERE approved_by = '김보호'",
        )
        .fetch_one(store.reader())
        .await
        .unwrap();
        assert_eq!(r.get::<String, _>("record_kind"), "member");
        assert_eq!(r.get::<i64, _>("record_count"), 6);
        assert_eq!(r.get::<String, _>("method"), "anonymise");
        assert_eq!(r.get::<String, _>("approved_by"), "김보호");
        assert!(r.get::<String, _>("legal_basis").contains("제21조"));

        // Nothing is anonymised twice.
        let o = gajok(&db, &["retention", "run", "--apply", "--approved-by", "김보호"]);
        assert!(text(&o).contains("anonymised 0 members"), "{db}: {}", text(&o));
        store.close().await;
    }
}

async fn count(store: &Store, sql: &str) -> i64 {
    sqlx::query(sqlx::AssertSqlSafe(sql.to_string())).fetch_one(store.reader()).await.unwrap().get::<i64, _>("n")
}

/// This test's separated records (the demo has its own, from a deletion request).
const OURS: &str = "SELECT COUNT(*) AS n FROM separated_records WHERE moved_by = '김보호'";

/// Late fees are money received: a receipt with the payer's name is kept 5 years from the end
/// of its fiscal year even after the member's own retention has ended. The run copies it to
/// separate storage before anonymising the member, leaves a fee whose 5 years are over, and a
/// later run past its keep-until day destroys the separated copy; every step is registered.
#[tokio::test]
async fn late_fee_receipts_move_to_separate_storage_and_are_destroyed_when_their_time_is_up() {
    for db in testing::urls().await {
        let o = gajok(&db, &["demo"]);
        assert!(o.status.success(), "{}", text(&o));
        let store = Store::connect(&db).await.unwrap();
        let center = gajok_store::orgs::by_code(&store, "C-11215-01").await.unwrap().unwrap().id;
        let today = gajok_domain::time::kst_date(chrono::Utc::now());
        // The run of 2025-06-01: service that ended by 2020-05-31 is past the member's 5 years.
        let as_of = "2025-06-01";
        let mut tx = store.begin().await.unwrap();
        // Registered in 2019; the last service was a toy returned late on 2020-03-10 (that fee
        // is kept through 2025-12-31 as cash-book evidence) and one returned in 2019 (kept
        // through 2024-12-31, already over).
        let payer = people::insert(&mut tx, center, &member("연체자", "1984-06-07"), "2019-03-01").await.unwrap().id;
        let fresh = testing::paid_late_fee(&mut tx, center, payer, "2020-03-10", 3, 1500).await.unwrap();
        let old = testing::paid_late_fee(&mut tx, center, payer, "2019-06-10", 1, 500).await.unwrap();
        // A member within retention keeps their receipt in the main tables.
        let kept =
            people::insert(&mut tx, center, &member("지금회원", "1990-01-01"), &today.to_string()).await.unwrap();
        testing::paid_late_fee(&mut tx, center, kept.id, &today.to_string(), 2, 1000).await.unwrap();
        // Registered as long ago, but came to the 나눔터 in 2024: still a user, not expired.
        let regular = people::insert(&mut tx, center, &member("단골", "1988-02-03"), "2019-03-01").await.unwrap().id;
        let space = gajok_store::orgs::by_code(&store, "S-11215-01-1").await.unwrap().unwrap().id;
        sqlx::query(
            "INSERT INTO nanumteo_visits (center_id, space_id, visit_date, member_id, children, children_ages, \
             purpose, check_in, created_at) VALUES ($1, $2, '2024-05-02', $3, 1, '3', 'use', '10:00', '2024-05-02T01:00:00Z')",
        )
        .bind(center)
        .bind(space)
        .bind(regular)
        .execute(tx.conn())
        .await
        .unwrap();
        // Free text and health data about the payer, which anonymising must take away.
        sqlx::query("UPDATE nanumteo_loans SET damage_note = '연체자 님 자녀가 바퀴 파손' WHERE id = $1")
            .bind(fresh)
            .execute(tx.conn())
            .await
            .unwrap();
        sqlx::query(
            "INSERT INTO nanumteo_health_flags (center_id, member_id, status, note, flagged_on) \
             VALUES ($1, $2, 'suspected', '수두 의심', '2020-03-01')",
        )
        .bind(center)
        .bind(payer)
        .execute(tx.conn())
        .await
        .unwrap();
        tx.commit().await.unwrap();
        let rows = backup::inventory(&store).await.unwrap();

        let o = gajok(&db, &["retention", "run", "--dry-run", "--as-of", as_of]);
        assert!(o.status.success(), "{db}: {}", text(&o));
        let out = text(&o);
        assert!(out.contains("C-11215-01: 1 members (1 late-fee receipts to separate storage first)"), "{db}: {out}");
        assert!(out.contains("dry run: 1 late-fee receipts would be copied to separate storage first"), "{db}: {out}");
        assert!(out.contains("dry run: 0 separated late-fee receipts would be deleted"), "{db}: {out}");
        assert_eq!(backup::inventory(&store).await.unwrap(), rows, "{db}: a dry run writes nothing");

        // The run of that day (`--apply` takes only today's date, so through the use case).
        let app = gajok_app::App::new(Store::connect(&db).await.unwrap(), gajok_app::AppConfig::default());
        let run = app.retention_run(gajok_domain::time::parse_date(as_of).unwrap(), Some("김보호")).await.unwrap();
        assert_eq!((run.total, run.separated), (1, 1), "{db}: {run:?}");
        assert_eq!(person(&store, regular).await.0, "단골", "{db}: a 나눔터 visit in 2024 keeps the service going");

        // The receipt with the payer's name is in separate storage, and only there.
        let r = sqlx::query(
            "SELECT source_table, source_id, payload_json, keep_until, legal_basis, moved_by FROM separated_records \
             WHERE moved_by = '김보호'",
        )
        .fetch_all(store.reader())
        .await
        .unwrap();
        assert_eq!(r.len(), 1, "{db}: only the receipt within its accounting retention moves");
        assert_eq!(r[0].get::<String, _>("source_table"), "nanumteo_loans");
        assert_eq!(r[0].get::<i64, _>("source_id"), fresh, "{db}: not the 2019 fee {old}");
        assert_eq!(r[0].get::<String, _>("keep_until"), "2025-12-31");
        assert!(r[0].get::<String, _>("legal_basis").contains("제21조제3항"), "{db}");
        assert_eq!(r[0].get::<String, _>("moved_by"), "김보호");
        let payload: serde_json::Value = serde_json::from_str(&r[0].get::<String, _>("payload_json")).unwrap();
        let mut keys: Vec<&str> = payload.as_object().unwrap().keys().map(String::as_str).collect();
        keys.sort();
        let want = ["amount_won", "item_barcode", "item_name", "late_days", "payer_name", "received_on"];
        assert_eq!(keys, want, "{db}: the minimum, no phone");
        assert_eq!(payload["payer_name"], "연체자");
        assert_eq!(payload["received_on"], "2020-03-10");
        assert_eq!((payload["late_days"].as_i64(), payload["amount_won"].as_i64()), (Some(3), Some(1500)));
        assert!(payload["item_barcode"].as_str().unwrap().starts_with("S-FEE"), "{db}: {payload}");
        assert_eq!(person(&store, payer).await, (ANONYMISED_NAME.to_string(), "1984-01-01".into(), None, None), "{db}");
        assert_eq!(count(&store, "SELECT COUNT(*) AS n FROM members WHERE name = '연체자'").await, 0, "{db}");
        let sql = format!("SELECT COUNT(*) AS n FROM nanumteo_loans WHERE member_id = {payer} AND damage_note IS NULL");
        assert_eq!(count(&store, &sql).await, 2, "{db}: the loans stay (counts unchanged), holding no name");
        let sql = format!("SELECT COUNT(*) AS n FROM nanumteo_health_flags WHERE member_id = {payer}");
        assert_eq!(count(&store, &sql).await, 0, "{db}: no health data left about an anonymised person");
        let sql = format!("SELECT COUNT(*) AS n FROM nanumteo_loans WHERE member_id = {payer} AND late_fee > 0");
        assert_eq!(count(&store, &sql).await, 2, "{db}: the fees stay in the loans");
        assert_eq!(person(&store, kept.id).await.0, "지금회원", "{db}");
        let lines = "SELECT COUNT(*) AS n FROM destruction_register WHERE record_kind = 'fee_receipt' \
                     AND method = 'separate' AND record_count = 1 AND approved_by = '김보호'";
        assert_eq!(count(&store, lines).await, 1, "{db}: the move is registered");
        let sql = "SELECT COUNT(*) AS n FROM audit_events WHERE action = 'separate' AND entity_type = 'destruction_register' \
             AND summary LIKE '%김보호%'";
        assert_eq!(count(&store, sql).await, 1, "{db}: and audited");

        // Planning ahead: the copy is kept through its last day and destroyed from the next.
        let last_day = "2025-12-31";
        let o = gajok(&db, &["retention", "run", "--dry-run", "--as-of", last_day]);
        assert!(text(&o).contains("dry run: 0 separated late-fee receipts would be deleted"), "{db}: {}", text(&o));
        let next_day = "2026-01-01";
        let o = gajok(&db, &["retention", "run", "--dry-run", "--as-of", next_day]);
        assert!(text(&o).contains("C-11215-01: 1 separated records"), "{db}: {}", text(&o));
        assert!(text(&o).contains("dry run: 1 separated late-fee receipts would be deleted"), "{db}: {}", text(&o));
        assert_eq!(count(&store, OURS).await, 1, "{db}: dry run");

        // The run on that day.
        let day = gajok_domain::time::parse_date(next_day).unwrap();
        let run = app.retention_run(day, Some("김보호")).await.unwrap();
        assert_eq!(run.separated_destroyed.total, 1, "{db}: {run:?}");
        assert_eq!(count(&store, OURS).await, 0, "{db}: destroyed");
        let lines = "SELECT COUNT(*) AS n FROM destruction_register WHERE record_kind = 'fee_receipt' \
                     AND method = 'destroy' AND record_count = 1";
        assert_eq!(count(&store, lines).await, 1, "{db}: the destruction is registered");
        store.close().await;
    }
}
