//! Storage tests, run on SQLite and (with GAJOK_TEST_POSTGRES_URL) on PostgreSQL.

use gajok_domain::org::*;
use gajok_domain::role::Role;
use gajok_store::access_log::{self, NewAccess};
use gajok_store::audit::{self, Actor, LogFilter, NewEvent};
use gajok_store::orgs::{self, CenterDetails, NewUnit, OrgFilter, UnitChanges};
use gajok_store::users::{self, NewUser};
use gajok_store::{StoreError, testing};

fn unit(parent: Option<i64>, kind: OrgKind, code: &str, name: &str) -> NewUnit {
    NewUnit { parent_id: parent, kind, code: code.into(), name: name.into(), address: None, phone: None }
}

fn actor() -> Actor {
    Actor { user_id: None, username: "tester".into(), client_addr: Some("127.0.0.1".into()) }
}

#[tokio::test]
async fn org_tree_paths_scopes_and_center_fields() {
    for (db, store) in testing::stores().await {
        let mut tx = store.begin().await.unwrap();
        let m = orgs::insert(&mut tx, &unit(None, OrgKind::Ministry, "MOGEF", "여성가족부")).await.unwrap();
        let a = orgs::insert(&mut tx, &unit(Some(m.id), OrgKind::Agency, "KIHF", "한국건강가정진흥원")).await.unwrap();
        let seoul = orgs::insert(&mut tx, &unit(Some(a.id), OrgKind::Province, "11", "서울특별시")).await.unwrap();
        let busan = orgs::insert(&mut tx, &unit(Some(a.id), OrgKind::Province, "26", "부산광역시")).await.unwrap();
        let gj = orgs::insert(&mut tx, &unit(Some(seoul.id), OrgKind::District, "11215", "광진구")).await.unwrap();
        let c =
            orgs::insert(&mut tx, &unit(Some(gj.id), OrgKind::Center, "C-11215-01", "광진구가족센터")).await.unwrap();
        let details = CenterDetails {
            center_type: CenterType::FamilyCenter,
            category: CenterCategory::General,
            parent_provincial_center: Some(ParentProvincialCenter::Seoul),
            center_form: CenterForm::Independent,
            operation_form: OperationForm::Outsourced,
            funding_form: FundingForm::National,
            head_name: Some("김센터".into()),
            head_employment: Some(Employment::FullTime),
            corporation_match: None,
            trustee_name: Some("(사)가족".into()),
            trustee_type: Some(TrusteeType::Association),
            entrustment_start: Some("2024-01-01".into()),
            entrustment_end: Some("2026-12-31".into()),
            space_ownership: Some(SpaceOwnership::LocalGovOwned),
            opened_on: Some("2010-03-02".into()),
            license_no: Some("LIC-001".into()),
            staff_count: Some(14),
            national_funding: true,
            liability_insurance: true,
            integrated_service: false,
            visitation_service: true,
        };
        orgs::put_center(&mut tx, c.id, &details).await.unwrap();
        tx.commit().await.unwrap();

        assert_eq!(c.path, format!("/{:010}/{:010}/{:010}/{:010}/{:010}/", m.id, a.id, seoul.id, gj.id, c.id), "{db}");
        assert_eq!(c.ancestor_ids(), vec![m.id, a.id, seoul.id, gj.id], "{db}");
        assert_eq!(orgs::center(store.reader(), c.id).await.unwrap(), Some(details), "{db}");

        // A Seoul scope sees Seoul's units, not Busan.
        let f = OrgFilter { scopes: vec![seoul.path.clone()], limit: 100, ..Default::default() };
        let (list, total) = orgs::list(&store, &f).await.unwrap();
        assert_eq!(total, 3, "{db}");
        assert!(list.iter().all(|u| u.id != busan.id), "{db}");
        // Search by Korean fragment and visitation flag.
        let f = OrgFilter { scopes: vec!["/".into()], q: Some("광진".into()), limit: 10, ..Default::default() };
        assert_eq!(orgs::list(&store, &f).await.unwrap().1, 2, "{db}");
        let f = OrgFilter { scopes: vec!["/".into()], visitation_service: Some(true), limit: 10, ..Default::default() };
        assert_eq!(orgs::list(&store, &f).await.unwrap().0[0].id, c.id, "{db}");
        // No scope sees nothing.
        let f = OrgFilter { limit: 10, ..Default::default() };
        assert_eq!(orgs::list(&store, &f).await.unwrap().1, 0, "{db}");

        // Duplicate code is a Duplicate error and writes nothing.
        let mut tx = store.begin().await.unwrap();
        let err =
            orgs::insert(&mut tx, &unit(Some(gj.id), OrgKind::Center, "C-11215-01", "다른센터")).await.unwrap_err();
        assert!(matches!(err, StoreError::Duplicate(_)), "{db}: {err}");
        drop(tx);

        // Optimistic locking.
        let ch = UnitChanges {
            code: c.code.clone(),
            name: "광진구 가족센터".into(),
            address: None,
            phone: None,
            active: true,
        };
        let mut tx = store.begin().await.unwrap();
        assert!(orgs::update(&mut tx, c.id, c.version, &ch).await.unwrap(), "{db}");
        assert!(!orgs::update(&mut tx, c.id, c.version, &ch).await.unwrap(), "{db}: stale version must not update");
        tx.commit().await.unwrap();
        store.close().await;
    }
}

#[tokio::test]
async fn users_roles_lockout_counter() {
    for (db, store) in testing::stores().await {
        let mut tx = store.begin().await.unwrap();
        let m = orgs::insert(&mut tx, &unit(None, OrgKind::Ministry, "MOGEF", "여성가족부")).await.unwrap();
        let u = users::insert(
            &mut tx,
            &NewUser {
                username: "kim".into(),
                display_name: "김민수".into(),
                phone: None,
                home_org_id: m.id,
                password_hash: "x".into(),
                must_change_password: true,
            },
        )
        .await
        .unwrap();
        users::add_role(&mut tx, u.id, Role::MinistryOfficial, m.id, None).await.unwrap();
        tx.commit().await.unwrap();
        // On PostgreSQL a failed statement aborts its transaction, so a duplicate always
        // means "nothing of this transaction is written"; the app relies on that.
        let mut tx = store.begin().await.unwrap();
        let dup = users::add_role(&mut tx, u.id, Role::MinistryOfficial, m.id, None).await;
        assert!(matches!(dup, Err(StoreError::Duplicate(_))), "{db}");
        drop(tx);

        let roles = users::roles(store.reader(), u.id).await.unwrap();
        assert_eq!(roles.len(), 1, "{db}");
        assert_eq!(roles[0].role, Role::MinistryOfficial);
        assert_eq!(roles[0].org_path, m.path);

        let until = chrono::Utc::now() + chrono::Duration::minutes(10);
        let mut tx = store.begin().await.unwrap();
        for i in 1..5 {
            assert_eq!(users::record_failure(&mut tx, u.id, 5, until).await.unwrap(), (i, false), "{db}");
        }
        assert_eq!(users::record_failure(&mut tx, u.id, 5, until).await.unwrap(), (5, true), "{db}");
        tx.commit().await.unwrap();
        let u = users::get(store.reader(), u.id).await.unwrap().unwrap();
        assert!(u.locked_at(chrono::Utc::now()), "{db}");
        assert!(!u.locked_at(until + chrono::Duration::seconds(1)), "{db}");
        store.close().await;
    }
}

#[tokio::test]
async fn audit_is_transactional_and_scoped() {
    for (db, store) in testing::stores().await {
        let mut tx = store.begin().await.unwrap();
        let m = orgs::insert(&mut tx, &unit(None, OrgKind::Ministry, "MOGEF", "여성가족부")).await.unwrap();
        let ev = |path: &str, id: &str| NewEvent {
            action: "update",
            entity_type: "org_unit",
            entity_id: id.into(),
            org_unit_id: None,
            org_path: path.into(),
            summary: "변경".into(),
            before: Some(serde_json::json!({"name": "전"})),
            after: Some(serde_json::json!({"name": "후"})),
        };
        audit::record(&mut tx, &actor(), ev(&m.path, "1")).await.unwrap();
        audit::record(&mut tx, &actor(), ev("/999/", "2")).await.unwrap();
        tx.commit().await.unwrap();

        // A rolled-back transaction leaves no event.
        let mut tx = store.begin().await.unwrap();
        audit::record(&mut tx, &actor(), ev(&m.path, "3")).await.unwrap();
        drop(tx);

        let f = LogFilter { scopes: vec![m.path.clone()], limit: 50, ..Default::default() };
        let (events, total) = audit::search(&store, &f).await.unwrap();
        assert_eq!(total, 1, "{db}");
        assert_eq!(events[0].entity_id, "1");
        assert_eq!(events[0].before, Some(serde_json::json!({"name": "전"})));
        store.close().await;
    }
}

#[tokio::test]
async fn access_log_chain_detects_tampering() {
    for (db, store) in testing::stores().await {
        for i in 0..5 {
            let mut tx = store.begin().await.unwrap();
            access_log::append(
                &mut tx,
                &actor(),
                NewAccess {
                    action: "view",
                    subject_type: "user",
                    subject_id: i.to_string(),
                    org_unit_id: None,
                    org_path: "/1/".into(),
                    detail: "detail".into(),
                },
            )
            .await
            .unwrap();
            tx.commit().await.unwrap();
        }
        let r = access_log::verify(&store).await.unwrap();
        assert!(r.ok(), "{db}: {r:?}");
        assert_eq!(r.entries, 5);

        // Someone edits who was looked at.
        let mut tx = store.begin().await.unwrap();
        sqlx::query("UPDATE access_log SET subject_id = '99' WHERE seq = 3").execute(tx.conn()).await.unwrap();
        tx.commit().await.unwrap();
        let r = access_log::verify(&store).await.unwrap();
        assert_eq!(r.first_break.as_ref().map(|b| (b.seq, b.reason)), Some((3, "hash_mismatch")), "{db}");

        // Put it back, then remove an entry instead.
        let mut tx = store.begin().await.unwrap();
        sqlx::query("UPDATE access_log SET subject_id = '2' WHERE seq = 3").execute(tx.conn()).await.unwrap();
        sqlx::query("DELETE FROM access_log WHERE seq = 4").execute(tx.conn()).await.unwrap();
        tx.commit().await.unwrap();
        let r = access_log::verify(&store).await.unwrap();
        assert_eq!(r.first_break.as_ref().map(|b| (b.seq, b.reason)), Some((5, "sequence_gap")), "{db}");

        // Deleting the newest entry is caught by the head.
        let mut tx = store.begin().await.unwrap();
        sqlx::query("DELETE FROM access_log WHERE seq >= 4").execute(tx.conn()).await.unwrap();
        tx.commit().await.unwrap();
        let r = access_log::verify(&store).await.unwrap();
        assert_eq!(r.first_break.as_ref().map(|b| b.reason), Some("head_mismatch"), "{db}");
        store.close().await;
    }
}

#[tokio::test]
async fn concurrent_access_log_appends_keep_one_chain() {
    for (db, store) in testing::stores().await {
        let mut handles = Vec::new();
        for w in 0..8 {
            let store = store.clone();
            handles.push(tokio::spawn(async move {
                for i in 0..10 {
                    let mut tx = store.begin().await.unwrap();
                    access_log::append(
                        &mut tx,
                        &actor(),
                        NewAccess {
                            action: "view",
                            subject_type: "user",
                            subject_id: format!("{w}-{i}"),
                            org_unit_id: None,
                            org_path: "/1/".into(),
                            detail: String::new(),
                        },
                    )
                    .await
                    .unwrap();
                    tx.commit().await.unwrap();
                }
            }));
        }
        for h in handles {
            h.await.unwrap();
        }
        let r = access_log::verify(&store).await.unwrap();
        assert!(r.ok(), "{db}: {r:?}");
        assert_eq!(r.entries, 80, "{db}");
        store.close().await;
    }
}
