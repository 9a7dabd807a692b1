//! Concurrency correctness on both backends: many writers on the same session and month at
//! once lose nothing, duplicate nothing, keep counts equal to their records and never show
//! "database is locked"; month-end submissions and approvals all land exactly once.

mod common;

use common::{Client, TestServer, servers};
use gajok_domain::role::Role;
use serde_json::json;

async fn user(s: &TestServer, username: &str, role: Role, at: i64) -> Client {
    let hash = s.app.hash_password(common::PW).unwrap();
    let mut tx = s.app.store.begin().await.unwrap();
    let u = gajok_store::users::insert(
        &mut tx,
        &gajok_store::users::NewUser {
            username: username.into(),
            display_name: "동시성".into(),
            phone: None,
            home_org_id: at,
            password_hash: hash,
            must_change_password: false,
        },
    )
    .await
    .unwrap();
    gajok_store::users::add_role(&mut tx, u.id, role, at, None).await.unwrap();
    tx.commit().await.unwrap();
    common::signed_in(s, username).await
}

#[tokio::test]
async fn many_writers_on_one_session() {
    for s in servers().await {
        let b = s.backend.clone();
        let center = s.org_id("C-11215-01").await;
        let opts = gajok_app::generate::GenerateOptions {
            centers: 1,
            members_per_center: 60,
            programs_per_center: 1,
            sessions_per_program: 2,
            attendees_per_session: 40,
            year: 2026,
            seed: 7,
        };
        s.app.generate(&opts, |_, _| {}).await.unwrap();
        let gen_center = s.org_id("G-C-00001").await;
        let prog = gajok_store::programs::programs(&s.app.store, gen_center, 2026).await.unwrap().remove(0);
        let session = gajok_store::programs::sessions(&s.app.store, prog.id).await.unwrap().remove(0);
        let enrolled = gajok_store::programs::enrolled_ids(s.app.store.reader(), prog.id).await.unwrap();
        let _ = center;
        // Start from a clean sheet for this session.
        s.exec(&format!("DELETE FROM attendance WHERE session_id = {}", session.id)).await;
        let mut tx = s.app.store.begin().await.unwrap();
        gajok_store::counting::recount(&mut tx, gen_center).await.unwrap();
        tx.commit().await.unwrap();

        let writers = 8;
        let mut clients = Vec::new();
        for i in 0..writers {
            clients.push(user(&s, &format!("writer{i}"), Role::CenterStaff, gen_center).await);
        }
        let chunks: Vec<Vec<i64>> = enrolled.chunks(enrolled.len().div_ceil(writers)).map(|c| c.to_vec()).collect();
        let mut tasks = Vec::new();
        for (mut c, mine) in clients.into_iter().zip(chunks) {
            let sid = session.id;
            tasks.push(tokio::spawn(async move {
                let mut statuses = Vec::new();
                // Each writer marks its people present, absent, then present again, while the
                // others do the same to theirs in the same session and month.
                for st in ["present", "absent", "present"] {
                    let entries: Vec<_> = mine.iter().map(|m| json!({"member_id": m, "status": st})).collect();
                    let r = c
                        .json("PUT", &format!("/api/v1/sessions/{sid}/attendance"), Some(&json!({"entries": entries})))
                        .await;
                    statuses.push((r.status, r.body.contains("locked")));
                }
                statuses
            }));
        }
        for t in tasks {
            for (status, locked) in t.await.unwrap() {
                assert_eq!(status, 200, "[{b}] every write succeeds");
                assert!(!locked, "[{b}] no 'database is locked' reaches a user");
            }
        }
        let rows = gajok_store::programs::attendance(s.app.store.reader(), session.id).await.unwrap();
        assert_eq!(rows.len(), enrolled.len(), "[{b}] one record per person, none lost or duplicated");
        assert!(rows.iter().all(|(_, st)| *st == gajok_domain::program::AttendanceStatus::Present), "[{b}]");
        let live = gajok_store::counting::snapshot(&s.app.store, gen_center).await.unwrap();
        let mut tx = s.app.store.begin().await.unwrap();
        gajok_store::counting::recount(&mut tx, gen_center).await.unwrap();
        tx.commit().await.unwrap();
        assert_eq!(
            live,
            gajok_store::counting::snapshot(&s.app.store, gen_center).await.unwrap(),
            "[{b}] counts equal their records"
        );
    }
}

#[tokio::test]
async fn month_end_submissions_and_approvals_at_once() {
    for s in servers().await {
        let b = s.backend.clone();
        let opts = gajok_app::generate::GenerateOptions {
            centers: 12,
            members_per_center: 30,
            programs_per_center: 2,
            sessions_per_program: 12,
            attendees_per_session: 10,
            year: 2026,
            seed: 11,
        };
        s.app.generate(&opts, |_, _| {}).await.unwrap();
        let mut managers = Vec::new();
        let mut reviewers = Vec::new();
        for n in 1..=12 {
            let c = gajok_store::orgs::by_code(&s.app.store, &format!("G-C-{n:05}")).await.unwrap().unwrap();
            managers.push((c.id, user(&s, &format!("mgr{n}"), Role::CenterManager, c.id).await));
            let d = c.parent_id.unwrap();
            reviewers.push((c.id, user(&s, &format!("dist{n}"), Role::DistrictOfficial, d).await));
        }
        let mut tasks = Vec::new();
        for (center, mut c) in managers {
            tasks.push(tokio::spawn(async move {
                c.json("POST", &format!("/api/v1/reports/monthly/{center}/2026-06/submit"), None).await.status
            }));
        }
        for t in tasks {
            assert_eq!(t.await.unwrap(), 200, "[{b}] every submission lands");
        }
        let mut tasks = Vec::new();
        for (center, mut c) in reviewers {
            tasks.push(tokio::spawn(async move {
                c.json(
                    "POST",
                    &format!("/api/v1/reports/monthly/{center}/2026-06/review"),
                    Some(&json!({"decision": "approve"})),
                )
                .await
                .status
            }));
        }
        for t in tasks {
            assert_eq!(t.await.unwrap(), 200, "[{b}] every approval lands");
        }
        assert_eq!(s.count("monthly_reports").await, 12, "[{b}] one report per center, none duplicated");
        let approved: i64 = {
            use sqlx::Row;
            sqlx::query(
                "SELECT COUNT(*) AS n FROM monthly_reports WHERE status = 'district_approved' AND snapshot IS NOT NULL",
            )
            .fetch_one(s.app.store.reader())
            .await
            .unwrap()
            .get::<i64, _>("n")
        };
        assert_eq!(approved, 12, "[{b}] all approved with their generated figures");
        assert_eq!(s.count("report_events").await, 24, "[{b}] two steps each, none lost");
    }
}

/// The figures frozen on submission are exactly the locked month's records: attendance keeps
/// being written into the month while the manager submits it, and afterwards the snapshot
/// equals a recount of the month. (Before the submission read its figures inside its own
/// transaction, a write that had passed the month-lock check could commit after the figures
/// were read and be locked into the month without being in them.)
#[tokio::test]
async fn submission_during_attendance_writes_freezes_exactly_the_locked_month() {
    for s in servers().await {
        let b = s.backend.clone();
        let opts = gajok_app::generate::GenerateOptions {
            centers: 1,
            members_per_center: 80,
            programs_per_center: 2,
            sessions_per_program: 24,
            attendees_per_session: 30,
            year: 2026,
            seed: 23,
        };
        s.app.generate(&opts, |_, _| {}).await.unwrap();
        let center = s.org_id("G-C-00001").await;
        let mut work = Vec::new();
        for prog in gajok_store::programs::programs(&s.app.store, center, 2026).await.unwrap() {
            let enrolled = gajok_store::programs::enrolled_ids(s.app.store.reader(), prog.id).await.unwrap();
            for session in gajok_store::programs::sessions(&s.app.store, prog.id).await.unwrap() {
                work.push((session.id, session.date.get(..7).unwrap_or_default().to_string(), enrolled.clone()));
            }
        }
        // The month with the most sessions is the one written to and submitted.
        let mut per_month = std::collections::BTreeMap::<String, usize>::new();
        for (_, m, _) in &work {
            *per_month.entry(m.clone()).or_default() += 1;
        }
        let month = per_month.iter().max_by_key(|(_, n)| **n).map(|(m, _)| m.clone()).unwrap();
        let work: Vec<_> = work.into_iter().filter(|(_, m, _)| *m == month).collect();
        assert!(work.len() >= 2, "[{b}] the generated month has sessions to write to");

        let writers = 6;
        let mut tasks = Vec::new();
        for i in 0..writers {
            let mut c = user(&s, &format!("race{i}"), Role::CenterStaff, center).await;
            let work = work.clone();
            tasks.push(tokio::spawn(async move {
                let (mut accepted, mut locked) = (0, 0);
                // Bounded: at most 60 writes each; stops at the first refusal for the lock.
                for round in 0..60usize {
                    let (sid, _, enrolled) = &work[(round + i) % work.len()];
                    let st = if (round / work.len()) % 2 == 0 { "present" } else { "absent" };
                    let take = enrolled.len().min(3 + (round + i) % 7);
                    let entries: Vec<_> =
                        enrolled.iter().skip(i).take(take).map(|m| json!({"member_id": m, "status": st})).collect();
                    let r = c
                        .json("PUT", &format!("/api/v1/sessions/{sid}/attendance"), Some(&json!({"entries": entries})))
                        .await;
                    match r.status {
                        200 => accepted += 1,
                        409 if r.body.contains("month_locked") => {
                            locked += 1;
                            break;
                        }
                        other => panic!("unexpected answer {other}: {}", r.body),
                    }
                }
                (accepted, locked)
            }));
        }
        // Submit while the writers are under way.
        let mut manager = user(&s, "race-manager", Role::CenterManager, center).await;
        tokio::time::sleep(std::time::Duration::from_millis(150)).await;
        let r = manager.json("POST", &format!("/api/v1/reports/monthly/{center}/{month}/submit"), None).await;
        assert_eq!(r.status, 200, "[{b}] the submission lands: {}", r.body);
        let mut accepted = 0;
        for t in tasks {
            accepted += t.await.unwrap().0;
        }
        assert!(accepted > 0, "[{b}] writes were under way when the month was submitted");

        // Recount the month from its records, then compare with what was frozen.
        let mut tx = s.app.store.begin().await.unwrap();
        gajok_store::counting::recount(&mut tx, center).await.unwrap();
        tx.commit().await.unwrap();
        let report = manager.json("GET", &format!("/api/v1/reports/monthly/{center}/{month}"), None).await.json();
        assert_eq!(report["status"], "submitted", "[{b}]");
        assert!(report["lines"].as_array().is_some_and(|l| !l.is_empty()), "[{b}] the month has lines");
        assert_eq!(report["snapshot"], report["lines"], "[{b}] the frozen figures equal a recount of the locked month");
    }
}
