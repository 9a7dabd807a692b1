//! Requests of the 나눔터 safety, membership and regular-program routes for the authorization
//! matrix (kept apart from the matrix file so parallel work on other routes does not collide).

use super::common::{Client, Resp, TestServer};
use super::{World, nt_fixture};

/// Whether `path` is one of these routes.
pub fn handles(path: &str) -> bool {
    [
        "/nanumteo/spaces/{id}/safety",
        "/nanumteo/spaces/{id}/checklists/new",
        "/nanumteo/spaces/{id}/checklists",
        "/nanumteo/checklists/{id}",
        "/nanumteo/checklists/{id}/confirm",
        "/nanumteo/checklists/{id}/follow-up",
        "/nanumteo/spaces/{id}/safety-report",
        "/nanumteo/spaces/{id}/readings",
        "/nanumteo/spaces/{id}/inspections",
        "/nanumteo/spaces/{id}/cctv",
        "/nanumteo/cctv/{id}/decide",
        "/nanumteo/cctv/{id}/deletion",
        "/nanumteo/spaces/{id}/regular",
        "/nanumteo/spaces/{id}/members",
        "/nanumteo/spaces/{id}/apply",
        "/nanumteo/spaces/{id}/applications",
    ]
    .contains(&path)
}

/// A checklist inspected by the world's own user (so the actors may confirm it) with a 불량
/// item, and two CCTV requests: one pending, one approved.
async fn records(s: &TestServer, w: &World, site: i64) -> (i64, i64, i64) {
    use gajok_domain::nanumteo_safety::{CctvRequester, CctvStatus, ChecklistKind, ItemResult};
    use gajok_store::nanumteo::safety as st;
    let mut tx = s.app.store.begin().await.unwrap();
    let items: Vec<st::ItemEntry> = (1..=20)
        .map(|n| st::ItemEntry {
            item_no: n,
            result: if n == 8 { ItemResult::Poor } else { ItemResult::Good },
            other_text: None,
            action_taken: None,
            followed_up_on: None,
            follow_up: None,
        })
        .collect();
    let nc = st::NewChecklist {
        space_id: site,
        kind: ChecklistKind::Weekly,
        checked_on: "2026-03-02",
        rules_edition: "nanumteo-safety-2018",
        inspector_id: w.user,
        inspector_name: "테스트",
    };
    let checklist = st::insert_checklist(&mut tx, w.center, &nc, &items).await.unwrap();
    let req = |on: &'static str| st::NewCctvRequest {
        space_id: site,
        requested_on: on,
        requester_kind: CctvRequester::Guardian,
        requester_name: "보호자",
        requester_contact: None,
        purpose: "확인",
        file_name: "CAM1",
        footage_from: "2026-03-01",
        footage_to: "2026-03-01",
    };
    let pending = st::insert_cctv(&mut tx, w.center, &req("2026-03-02"), w.user).await.unwrap();
    let decided = st::insert_cctv(&mut tx, w.center, &req("2026-03-03"), w.user).await.unwrap();
    st::decide_cctv(&mut tx, decided, CctvStatus::Approved, "2026-03-03", None, w.user).await.unwrap();
    tx.commit().await.unwrap();
    (checklist, pending, decided)
}

pub async fn request(s: &TestServer, c: &mut Client, method: &str, path: &str, w: &World) -> Resp {
    let f = nt_fixture(s, w).await;
    let site = f.site;
    let (checklist, pending, decided) = records(s, w, site).await;
    let member = w.member.to_string();
    match (method, path) {
        ("GET", "/nanumteo/spaces/{id}/safety") => c.get(&format!("/nanumteo/spaces/{site}/safety")).await,
        ("GET", "/nanumteo/spaces/{id}/checklists/new") => {
            c.get(&format!("/nanumteo/spaces/{site}/checklists/new?kind=quarterly")).await
        }
        ("POST", "/nanumteo/spaces/{id}/checklists") => {
            let mut fields: Vec<(String, String)> = (1..=17).map(|n| (format!("r_{n}"), "good".to_string())).collect();
            fields.push(("kind".into(), "quarterly".into()));
            fields.push(("date".into(), "2026-03-31".into()));
            fields.push(("_csrf".into(), c.csrf()));
            c.post_form_raw(&format!("/nanumteo/spaces/{site}/checklists"), &fields).await
        }
        ("GET", "/nanumteo/checklists/{id}") => c.get(&format!("/nanumteo/checklists/{checklist}")).await,
        ("POST", "/nanumteo/checklists/{id}/confirm") => {
            c.post_form(&format!("/nanumteo/checklists/{checklist}/confirm"), &[]).await
        }
        ("POST", "/nanumteo/checklists/{id}/follow-up") => {
            c.post_form(&format!("/nanumteo/checklists/{checklist}/follow-up"), &[("item", "8"), ("content", "수리")])
                .await
        }
        ("GET", "/nanumteo/spaces/{id}/safety-report") => {
            c.get(&format!("/nanumteo/spaces/{site}/safety-report?half=2026-H1")).await
        }
        ("POST", "/nanumteo/spaces/{id}/readings") => {
            c.post_form(
                &format!("/nanumteo/spaces/{site}/readings"),
                &[("date", "2026-03-03"), ("temperature", "29.5"), ("humidity", "50")],
            )
            .await
        }
        ("POST", "/nanumteo/spaces/{id}/inspections") => {
            c.post_form(&format!("/nanumteo/spaces/{site}/inspections"), &[("kind", "gas"), ("date", "2026-03-03")])
                .await
        }
        ("POST", "/nanumteo/spaces/{id}/cctv") => {
            c.post_form(
                &format!("/nanumteo/spaces/{site}/cctv"),
                &[
                    ("requester_kind", "official"),
                    ("requester_name", "담당공무원"),
                    ("purpose", "확인"),
                    ("file_name", "CAM1"),
                    ("footage_from", "2026-03-01"),
                    ("footage_to", "2026-03-02"),
                ],
            )
            .await
        }
        ("POST", "/nanumteo/cctv/{id}/decide") => {
            c.post_form(&format!("/nanumteo/cctv/{pending}/decide"), &[("decision", "approve")]).await
        }
        ("POST", "/nanumteo/cctv/{id}/deletion") => {
            c.post_form(&format!("/nanumteo/cctv/{decided}/deletion"), &[]).await
        }
        ("POST", "/nanumteo/spaces/{id}/regular") => {
            c.post_form(
                &format!("/nanumteo/spaces/{site}/regular"),
                &[("program_id", &w.program.to_string()), ("weekday", "1"), ("start_time", "14:00")],
            )
            .await
        }
        ("GET", "/nanumteo/spaces/{id}/members") => c.get(&format!("/nanumteo/spaces/{site}/members?q=홍길")).await,
        ("GET", "/nanumteo/spaces/{id}/apply") => {
            c.get(&format!("/nanumteo/spaces/{site}/apply?member={member}")).await
        }
        ("POST", "/nanumteo/spaces/{id}/applications") => {
            c.post_form(
                &format!("/nanumteo/spaces/{site}/applications"),
                &[("member_id", &member), ("use_space", "on"), ("rules_explained", "on")],
            )
            .await
        }
        _ => panic!("no request for {method} {path}"),
    }
}
