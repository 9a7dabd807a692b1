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

        let r =
            sqlx::query("SELECT record_kind, record_count, method, approved_by, legal_basis FROM destruction_register")
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
