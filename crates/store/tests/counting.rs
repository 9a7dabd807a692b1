//! Counting at write time equals counting from the records, after any sequence of writes and
//! corrections, on both backends.

use gajok_domain::org::OrgKind;
use gajok_domain::people::Sex;
use gajok_domain::program::AttendanceStatus;
use gajok_store::counting::{self, Figures};
use gajok_store::orgs::{self, NewUnit};
use gajok_store::people::{self, MemberData};
use gajok_store::programs::{self, ProgramData, SessionData};
use gajok_store::testing;

/// A small deterministic generator (no extra dependency): xorshift.
struct Rng(u64);
impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
}

fn member(i: usize) -> MemberData {
    MemberData {
        name: format!("이용자{i}"),
        birth_date: "1990-01-01".into(),
        sex: Sex::Female,
        phone: None,
        address: None,
        nationality: "KR".into(),
        single_parent: false,
        grandparent: false,
        multicultural: false,
        dual_income: false,
        low_income: false,
        family_id: None,
        relation: None,
        guardian_id: None,
    }
}

#[tokio::test]
async fn incremental_counts_equal_a_recount() {
    for (db, store) in testing::stores().await {
        let mut tx = store.begin().await.unwrap();
        let root = orgs::insert(
            &mut tx,
            &NewUnit {
                parent_id: None,
                kind: OrgKind::Center,
                code: "C1".into(),
                name: "센터".into(),
                address: None,
                phone: None,
            },
        )
        .await
        .unwrap();
        let c = root.id;
        let mut progs = Vec::new();
        for (i, area) in ["education", "education", "culture"].iter().enumerate() {
            let d = ProgramData {
                year: 2026,
                area: area.to_string(),
                common_program: None,
                name: format!("프로그램{i}"),
                description: None,
                target_real: 0,
                target_cumulative: 0,
                target_sessions: 0,
                target_minutes: 0,
            };
            progs.push(programs::insert_program(&mut tx, c, &d).await.unwrap());
        }
        let mut members = Vec::new();
        for i in 0..12 {
            members.push(people::insert(&mut tx, c, &member(i), "2026-01-01").await.unwrap().id);
        }
        tx.commit().await.unwrap();

        let mut rng = Rng(0x9E37_79B9_7F4A_7C15);
        let mut sessions: Vec<(usize, programs::Session)> = Vec::new();
        for step in 0..400 {
            let mut tx = store.begin().await.unwrap();
            match rng.below(10) {
                0 | 1 => {
                    let pi = rng.below(3) as usize;
                    let date = format!("2026-{:02}-{:02}", 1 + rng.below(12), 1 + rng.below(28));
                    let d = SessionData {
                        series_id: None,
                        date,
                        start_time: "10:00".into(),
                        minutes: 60 + 30 * rng.below(3) as i64,
                        place: None,
                        instructor: None,
                        open_event: false,
                    };
                    let s = programs::insert_session(&mut tx, &progs[pi], &d).await.unwrap();
                    sessions.push((pi, s));
                }
                2 if !sessions.is_empty() && step % 7 == 0 => {
                    let k = rng.below(sessions.len() as u64) as usize;
                    let (pi, s) = sessions.remove(k);
                    programs::delete_session(&mut tx, &progs[pi], &s).await.unwrap();
                }
                3 if !sessions.is_empty() => {
                    let (pi, s) = &sessions[rng.below(sessions.len() as u64) as usize];
                    let grp = if rng.below(2) == 0 {
                        gajok_domain::program::HeadCountGroup::Adult
                    } else {
                        gajok_domain::program::HeadCountGroup::Child
                    };
                    programs::set_head_count(&mut tx, &progs[*pi], s, grp, rng.below(20) as i64).await.unwrap();
                }
                _ if !sessions.is_empty() => {
                    let (pi, s) = &sessions[rng.below(sessions.len() as u64) as usize];
                    let m = members[rng.below(members.len() as u64) as usize];
                    let status = match rng.below(5) {
                        0 => None,
                        1 => Some(AttendanceStatus::Absent),
                        2 => Some(AttendanceStatus::Excused),
                        _ => Some(AttendanceStatus::Present),
                    };
                    programs::set_attendance(&mut tx, &progs[*pi], s, m, status, None).await.unwrap();
                }
                _ => {}
            }
            tx.commit().await.unwrap();
        }

        let incremental = counting::snapshot(&store, c).await.unwrap();
        let mut tx = store.begin().await.unwrap();
        counting::recount(&mut tx, c).await.unwrap();
        tx.commit().await.unwrap();
        let recounted = counting::snapshot(&store, c).await.unwrap();
        assert_eq!(incremental, recounted, "{db}: incremental counts differ from a recount");
        assert!(incremental.len() > 20, "{db}: the scenario must produce figures");

        // Year totals: 실인원 of the year at the center level equals distinct present persons.
        let year_real: i64 = incremental.iter().filter(|((_, cat), _)| cat == "center").map(|(_, f)| f.real_new).sum();
        let distinct: i64 = {
            use sqlx::Row;
            sqlx::query("SELECT COUNT(DISTINCT a.member_id) AS n FROM attendance a WHERE a.status = 'present'")
                .fetch_one(store.reader())
                .await
                .unwrap()
                .get::<i64, _>("n")
        };
        assert_eq!(year_real, distinct, "{db}");
        let cum: i64 = incremental.iter().filter(|((_, cat), _)| cat == "center").map(|(_, f)| f.cumulative).sum();
        let present: i64 = {
            use sqlx::Row;
            sqlx::query("SELECT COUNT(*) AS n FROM attendance WHERE status = 'present'")
                .fetch_one(store.reader())
                .await
                .unwrap()
                .get::<i64, _>("n")
        };
        assert_eq!(cum, present, "{db}: 연인원 equals present records");
        let _ = Figures::default();
        store.close().await;
    }
}

#[tokio::test]
async fn a_backdated_session_moves_the_first_participation() {
    for (db, store) in testing::stores().await {
        let mut tx = store.begin().await.unwrap();
        let c = orgs::insert(
            &mut tx,
            &NewUnit {
                parent_id: None,
                kind: OrgKind::Center,
                code: "C1".into(),
                name: "센터".into(),
                address: None,
                phone: None,
            },
        )
        .await
        .unwrap()
        .id;
        let d = ProgramData {
            year: 2026,
            area: "education".into(),
            common_program: None,
            name: "부모교육".into(),
            description: None,
            target_real: 0,
            target_cumulative: 0,
            target_sessions: 0,
            target_minutes: 0,
        };
        let p = programs::insert_program(&mut tx, c, &d).await.unwrap();
        let m = people::insert(&mut tx, c, &member(1), "2026-01-01").await.unwrap().id;
        let sd = |date: &str| SessionData {
            series_id: None,
            date: date.into(),
            start_time: "10:00".into(),
            minutes: 120,
            place: None,
            instructor: None,
            open_event: false,
        };
        let may = programs::insert_session(&mut tx, &p, &sd("2026-05-06")).await.unwrap();
        programs::set_attendance(&mut tx, &p, &may, m, Some(AttendanceStatus::Present), None).await.unwrap();
        tx.commit().await.unwrap();
        let f = counting::snapshot(&store, c).await.unwrap();
        assert_eq!(f[&("2026-05".to_string(), "center".to_string())].real_new, 1, "{db}");

        // March attendance entered later: the person is new in March, not in May.
        let mut tx = store.begin().await.unwrap();
        let march = programs::insert_session(&mut tx, &p, &sd("2026-03-04")).await.unwrap();
        programs::set_attendance(&mut tx, &p, &march, m, Some(AttendanceStatus::Present), None).await.unwrap();
        tx.commit().await.unwrap();
        let f = counting::snapshot(&store, c).await.unwrap();
        assert_eq!(f[&("2026-03".to_string(), "center".to_string())].real_new, 1, "{db}");
        assert_eq!(f[&("2026-05".to_string(), "center".to_string())].real_new, 0, "{db}");
        assert_eq!(f[&("2026-05".to_string(), "center".to_string())].cumulative, 1, "{db}");

        // The March session is deleted: back to May.
        let mut tx = store.begin().await.unwrap();
        programs::delete_session(&mut tx, &p, &march).await.unwrap();
        tx.commit().await.unwrap();
        let f = counting::snapshot(&store, c).await.unwrap();
        assert_eq!(f.get(&("2026-03".to_string(), "center".to_string())), None, "{db}: March has nothing left");
        assert_eq!(f[&("2026-05".to_string(), "center".to_string())].real_new, 1, "{db}");
        store.close().await;
    }
}
