//! The authorization matrix: every route (HTML and API) × every role × own scope / other
//! scope. The expectations below are written from the policy, independently of
//! `gajok_app::authz`; a route added without an entry here fails the test.
//!
//! Own scope is the world of 광진구가족센터 (Seoul); other scope is 부산광역시건강가정지원센터.
//! Every role is assigned in the own world; the agency analyst and ministry official reach
//! both. Denied means 403 or 404 and nothing else; allowed means the use case ran
//! (2xx, 303, or a 409/422 about the data).

mod authz_nts;
mod common;

use common::{Client, PW, TestServer, servers};
use gajok_domain::role::Role;
use serde_json::json;

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Who {
    Everyone,
    /// Edit a center, or create a site under it.
    CenterEditors,
    Admins,
    /// Officials and administrators (the logs).
    Overseers,
    /// Center staff and managers: the only roles that handle members' personal records.
    CenterWorkers,
    /// The center manager (submits the monthly report).
    Manager,
    /// The 시·군·구 official (first approval step; the fixture puts the report there).
    District,
    /// The approval chain 시·군·구, 시·도, 진흥원 (reopening a locked month).
    Chain,
    /// Center workers holding the sensitive-records grant for the center (the fixture grants
    /// it to the manager only: center staff without it are denied).
    SensitiveReaders,
    /// The center manager or a system administrator reaching the center (grants, officer).
    CenterAdmins,
    /// The privacy officer's pages (counts, dates, approvals; no personal data): center
    /// managers, officials and administrators — not center staff.
    PrivacyOfficers,
}

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Scope {
    Own,
    Other,
}

const ACTORS: &[(&str, Role)] = &[
    ("staff", Role::CenterStaff),
    ("manager", Role::CenterManager),
    ("gwangjin", Role::DistrictOfficial),
    ("seoul", Role::ProvinceOfficial),
    ("kihf", Role::AgencyAnalyst),
    ("mogef", Role::MinistryOfficial),
    ("seouladmin", Role::SystemAdmin),
];

fn includes(who: Who, role: Role) -> bool {
    match who {
        Who::Everyone => true,
        Who::CenterEditors => {
            matches!(role, Role::SystemAdmin | Role::ProvinceOfficial | Role::DistrictOfficial | Role::CenterManager)
        }
        Who::Admins => role == Role::SystemAdmin,
        Who::Overseers => role.is_official() || role == Role::SystemAdmin,
        Who::CenterWorkers => role.is_center_role(),
        Who::Manager => role == Role::CenterManager,
        Who::District => role == Role::DistrictOfficial,
        Who::Chain => matches!(role, Role::DistrictOfficial | Role::ProvinceOfficial | Role::AgencyAnalyst),
        Who::SensitiveReaders => role == Role::CenterManager,
        Who::CenterAdmins => matches!(role, Role::CenterManager | Role::SystemAdmin),
        Who::PrivacyOfficers => role != Role::CenterStaff,
    }
}

fn reaches(role: Role, scope: Scope) -> bool {
    scope == Scope::Own || matches!(role, Role::AgencyAnalyst | Role::MinistryOfficial)
}

/// (method, path, who, has a target in a scope)
const MATRIX: &[(&str, &str, Who, bool)] = &[
    ("GET", "/", Who::Everyone, false),
    ("GET", "/account/password", Who::Everyone, false),
    ("POST", "/account/password", Who::Everyone, false),
    ("POST", "/logout", Who::Everyone, false),
    ("GET", "/orgs", Who::Everyone, false),
    ("GET", "/orgs/export", Who::Everyone, false),
    ("GET", "/orgs/new", Who::CenterEditors, true),
    ("POST", "/orgs", Who::CenterEditors, true),
    ("GET", "/orgs/{id}", Who::Everyone, true),
    ("GET", "/orgs/{id}/edit", Who::CenterEditors, true),
    ("POST", "/orgs/{id}", Who::CenterEditors, true),
    ("GET", "/admin/users", Who::Admins, false),
    ("GET", "/admin/users/new", Who::Admins, false),
    ("POST", "/admin/users", Who::Admins, true),
    ("GET", "/admin/users/{id}", Who::Admins, true),
    ("POST", "/admin/users/{id}", Who::Admins, true),
    ("POST", "/admin/users/{id}/password", Who::Admins, true),
    ("POST", "/admin/users/{id}/unlock", Who::Admins, true),
    ("POST", "/admin/users/{id}/roles", Who::Admins, true),
    ("POST", "/admin/users/{id}/roles/{rid}/delete", Who::Admins, true),
    ("POST", "/admin/users/{id}/tokens", Who::Admins, true),
    ("GET", "/admin/tokens", Who::Admins, false),
    ("POST", "/admin/tokens/{id}/revoke", Who::Admins, true),
    ("GET", "/audit/events", Who::Overseers, false),
    ("GET", "/audit/access", Who::Overseers, false),
    ("GET", "/audit/verify", Who::Admins, false),
    ("GET", "/members", Who::CenterWorkers, false),
    ("GET", "/members/export", Who::CenterWorkers, false),
    ("GET", "/members/new", Who::CenterWorkers, false),
    ("POST", "/members", Who::CenterWorkers, true),
    ("GET", "/members/{id}", Who::CenterWorkers, true),
    ("GET", "/members/{id}/edit", Who::CenterWorkers, true),
    ("POST", "/members/{id}", Who::CenterWorkers, true),
    ("POST", "/members/{id}/consents/{cid}/withdraw", Who::CenterWorkers, true),
    ("GET", "/programs", Who::CenterWorkers, false),
    ("GET", "/programs/new", Who::CenterWorkers, false),
    ("POST", "/programs", Who::CenterWorkers, true),
    ("GET", "/programs/{id}", Who::CenterWorkers, true),
    ("POST", "/programs/{id}/sessions", Who::CenterWorkers, true),
    ("POST", "/programs/{id}/enrol", Who::CenterWorkers, true),
    ("POST", "/programs/{id}/surveys", Who::CenterWorkers, true),
    ("GET", "/sessions/{id}", Who::CenterWorkers, true),
    ("POST", "/sessions/{id}/attendance", Who::CenterWorkers, true),
    ("POST", "/sessions/{id}/head-counts", Who::CenterWorkers, true),
    ("POST", "/sessions/{id}/delete", Who::CenterWorkers, true),
    ("POST", "/simulations", Who::CenterWorkers, true),
    ("GET", "/plans/monthly", Who::CenterWorkers, false),
    ("POST", "/plans/monthly", Who::CenterWorkers, true),
    ("GET", "/reports/monthly", Who::Everyone, true),
    ("GET", "/reports/monthly.csv", Who::Everyone, true),
    ("GET", "/reports/monthly.xlsx", Who::Everyone, true),
    ("POST", "/reports/monthly/{center}/{month}/submit", Who::Manager, true),
    ("POST", "/reports/monthly/{center}/{month}/review", Who::District, true),
    ("POST", "/reports/monthly/{center}/{month}/reopen", Who::Chain, true),
    ("GET", "/reports/rollup", Who::Everyone, true),
    // 공동육아나눔터·가족품앗이 (issue 5)
    ("GET", "/nanumteo", Who::CenterWorkers, false),
    ("GET", "/nanumteo/spaces/{id}", Who::CenterWorkers, true),
    ("POST", "/nanumteo/spaces/{id}", Who::CenterWorkers, true),
    ("GET", "/nanumteo/spaces/{id}/desk", Who::CenterWorkers, true),
    ("POST", "/nanumteo/spaces/{id}/visits", Who::CenterWorkers, true),
    ("POST", "/nanumteo/visits/{id}/checkout", Who::CenterWorkers, true),
    ("POST", "/nanumteo/members/{id}/health", Who::CenterWorkers, true),
    ("POST", "/nanumteo/flags/{id}/clear", Who::CenterWorkers, true),
    ("GET", "/nanumteo/spaces/{id}/library", Who::CenterWorkers, true),
    ("POST", "/nanumteo/spaces/{id}/items", Who::CenterWorkers, true),
    ("POST", "/nanumteo/spaces/{id}/loans", Who::CenterWorkers, true),
    ("POST", "/nanumteo/loans/{id}/return", Who::CenterWorkers, true),
    ("POST", "/nanumteo/loans/{id}/renew", Who::CenterWorkers, true),
    ("POST", "/nanumteo/spaces/{id}/disinfections", Who::CenterWorkers, true),
    ("GET", "/nanumteo/spaces/{id}/safety", Who::CenterWorkers, true),
    ("GET", "/nanumteo/spaces/{id}/checklists/new", Who::CenterWorkers, true),
    ("POST", "/nanumteo/spaces/{id}/checklists", Who::CenterWorkers, true),
    ("GET", "/nanumteo/checklists/{id}", Who::CenterWorkers, true),
    ("POST", "/nanumteo/checklists/{id}/confirm", Who::CenterWorkers, true),
    ("POST", "/nanumteo/checklists/{id}/follow-up", Who::CenterWorkers, true),
    ("GET", "/nanumteo/spaces/{id}/safety-report", Who::CenterWorkers, true),
    ("POST", "/nanumteo/spaces/{id}/readings", Who::CenterWorkers, true),
    ("POST", "/nanumteo/spaces/{id}/inspections", Who::CenterWorkers, true),
    ("POST", "/nanumteo/spaces/{id}/cctv", Who::CenterWorkers, true),
    ("POST", "/nanumteo/cctv/{id}/decide", Who::Manager, true),
    ("POST", "/nanumteo/cctv/{id}/deletion", Who::Manager, true),
    ("POST", "/nanumteo/spaces/{id}/regular", Who::CenterWorkers, true),
    ("GET", "/nanumteo/spaces/{id}/members", Who::CenterWorkers, true),
    ("GET", "/nanumteo/spaces/{id}/apply", Who::CenterWorkers, true),
    ("POST", "/nanumteo/spaces/{id}/applications", Who::CenterWorkers, true),
    ("GET", "/pumasi", Who::CenterWorkers, false),
    ("POST", "/pumasi/groups", Who::CenterWorkers, true),
    ("GET", "/pumasi/groups/{id}", Who::CenterWorkers, true),
    ("POST", "/pumasi/groups/{id}/plans", Who::CenterWorkers, true),
    ("POST", "/pumasi/plans/{id}/sign", Who::Manager, true),
    ("POST", "/pumasi/groups/{id}/activities", Who::CenterWorkers, true),
    ("POST", "/pumasi/groups/{id}/expenses", Who::CenterWorkers, true),
    ("POST", "/pumasi/groups/{id}/families", Who::CenterWorkers, true),
    ("POST", "/pumasi/groups/{id}/families/{family}/orientation", Who::CenterWorkers, true),
    ("GET", "/pumasi/status", Who::CenterWorkers, true),
    ("POST", "/pumasi/currency", Who::CenterWorkers, true),
    ("GET", "/nanumteo/obligations", Who::CenterWorkers, true),
    ("POST", "/nanumteo/events", Who::CenterWorkers, true),
    ("GET", "/nanumteo/report", Who::Everyone, true),
    ("GET", "/nanumteo/report.xlsx", Who::Everyone, true),
    ("POST", "/nanumteo/report/{center}/{month}/submit", Who::Manager, true),
    ("POST", "/nanumteo/report/{center}/{month}/review", Who::District, true),
    ("POST", "/nanumteo/report/{center}/{month}/reopen", Who::Chain, true),
    // Privacy (issue 6): data subjects' requests, identifiers, sensitive records
    ("GET", "/privacy/requests", Who::CenterWorkers, false),
    ("GET", "/privacy/requests/{id}", Who::CenterWorkers, true),
    ("POST", "/privacy/requests/{id}/decide", Who::CenterWorkers, true),
    ("GET", "/privacy/requests/{id}/export", Who::CenterWorkers, true),
    ("POST", "/privacy/grants", Who::CenterAdmins, true),
    ("POST", "/privacy/officer", Who::CenterAdmins, true),
    ("GET", "/members/{id}/privacy", Who::CenterWorkers, true),
    ("POST", "/members/{id}/privacy-requests", Who::CenterWorkers, true),
    ("POST", "/members/{id}/foreign-id", Who::CenterWorkers, true),
    ("GET", "/members/{id}/foreign-id", Who::SensitiveReaders, true),
    ("POST", "/members/foreign-id/lookup", Who::CenterWorkers, false),
    ("GET", "/members/{id}/counseling", Who::SensitiveReaders, true),
    ("POST", "/members/{id}/counseling", Who::SensitiveReaders, true),
    // The privacy officer's pages (issue 6): each acts on the officer's own units
    ("GET", "/privacy/destructions", Who::PrivacyOfficers, false),
    // Separate storage: the list masks payers; the detail read shows the full values to the
    // center's own officer only (masked for officials), both in scope only.
    ("GET", "/privacy/separated", Who::PrivacyOfficers, false),
    ("GET", "/privacy/separated/{id}", Who::PrivacyOfficers, true),
    ("GET", "/privacy/access-review", Who::PrivacyOfficers, false),
    ("POST", "/privacy/access-review/sign", Who::PrivacyOfficers, false),
    ("GET", "/api/v1/me", Who::Everyone, false),
    ("GET", "/api/v1/members", Who::CenterWorkers, false),
    ("POST", "/api/v1/members", Who::CenterWorkers, true),
    ("GET", "/api/v1/members/{id}", Who::CenterWorkers, true),
    ("GET", "/api/v1/programs", Who::CenterWorkers, true),
    ("GET", "/api/v1/programs/{id}", Who::CenterWorkers, true),
    ("GET", "/api/v1/sessions/{id}/attendance", Who::CenterWorkers, true),
    ("PUT", "/api/v1/sessions/{id}/attendance", Who::CenterWorkers, true),
    ("GET", "/api/v1/reports/monthly/{center}/{month}", Who::Everyone, true),
    ("POST", "/api/v1/reports/monthly/{center}/{month}/submit", Who::Manager, true),
    ("POST", "/api/v1/reports/monthly/{center}/{month}/review", Who::District, true),
    ("GET", "/api/v1/reports/rollup/{unit}/{month}", Who::Everyone, true),
    ("GET", "/api/v1/orgs", Who::Everyone, false),
    ("POST", "/api/v1/orgs", Who::CenterEditors, true),
    ("GET", "/api/v1/orgs/{id}", Who::Everyone, true),
    ("PUT", "/api/v1/orgs/{id}", Who::CenterEditors, true),
    ("GET", "/api/v1/users", Who::Admins, false),
    ("POST", "/api/v1/users", Who::Admins, true),
    ("GET", "/api/v1/users/{id}", Who::Admins, true),
    ("POST", "/api/v1/users/{id}/roles", Who::Admins, true),
    ("DELETE", "/api/v1/users/{id}/roles/{rid}", Who::Admins, true),
    ("POST", "/api/v1/tokens", Who::Admins, true),
    ("DELETE", "/api/v1/tokens/{id}", Who::Admins, true),
    ("GET", "/api/v1/audit/events", Who::Overseers, false),
    ("GET", "/api/v1/audit/access", Who::Overseers, false),
    ("GET", "/api/v1/audit/verify", Who::Admins, false),
];

struct World {
    center: i64,
    user: i64,
    member: i64,
    program: i64,
}

async fn setup(s: &TestServer) -> (World, World) {
    let hash = s.app.hash_password(PW).unwrap();
    let mut tx = s.app.store.begin().await.unwrap();
    let seoul = gajok_store::orgs::by_code_tx(&mut tx, "11").await.unwrap().unwrap();
    let own_center = gajok_store::orgs::by_code_tx(&mut tx, "C-11215-01").await.unwrap().unwrap();
    let other_center = gajok_store::orgs::by_code_tx(&mut tx, "C-26320-01").await.unwrap().unwrap();
    let mk = |username: &str, home: i64| gajok_store::users::NewUser {
        username: username.into(),
        display_name: "테스트".into(),
        phone: None,
        home_org_id: home,
        password_hash: hash.clone(),
        must_change_password: false,
    };
    let admin = gajok_store::users::insert(&mut tx, &mk("seouladmin", seoul.id)).await.unwrap();
    gajok_store::users::add_role(&mut tx, admin.id, Role::SystemAdmin, seoul.id, None).await.unwrap();
    let own_user = gajok_store::users::insert(&mut tx, &mk("target-own", own_center.id)).await.unwrap();
    gajok_store::users::add_role(&mut tx, own_user.id, Role::CenterStaff, own_center.id, None).await.unwrap();
    let other_user = gajok_store::users::insert(&mut tx, &mk("target-other", other_center.id)).await.unwrap();
    gajok_store::users::add_role(&mut tx, other_user.id, Role::CenterStaff, other_center.id, None).await.unwrap();
    let mut worlds = Vec::new();
    for (center, user) in [(own_center.id, own_user.id), (other_center.id, other_user.id)] {
        let d = gajok_store::people::MemberData {
            name: "홍길동".into(),
            birth_date: "1985-03-04".into(),
            sex: gajok_domain::people::Sex::Male,
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
        };
        let member = gajok_store::people::insert(&mut tx, center, &d, "2026-01-05").await.unwrap();
        let pd = gajok_store::programs::ProgramData {
            year: 2026,
            area: "education".into(),
            common_program: None,
            name: "부모교육".into(),
            description: None,
            target_real: 10,
            target_cumulative: 50,
            target_sessions: 5,
            target_minutes: 600,
        };
        let program = gajok_store::programs::insert_program(&mut tx, center, &pd).await.unwrap();
        gajok_store::programs::enrol(&mut tx, &program, member.id, "2026-01-05").await.unwrap();
        worlds.push(World { center, user, member: member.id, program: program.id });
    }
    // Sensitive records: the manager holds the grant (in both centers, so only the center
    // scope stops them in the other one); the staff account does not. Each member has an
    // encrypted identifier to reveal.
    let manager = gajok_store::users::by_username(&s.app.store, "manager").await.unwrap().unwrap();
    let keys = s.app.config.keys.clone().expect("test servers have identifier keys");
    for w in &worlds {
        gajok_store::privacy::sensitive::grant(&mut tx, manager.id, w.center, admin.id).await.unwrap();
        let sealed = gajok_app::privacy::identifiers::seal(&keys, w.member, "9001015123456").unwrap();
        gajok_store::privacy::identifiers::put(&mut tx, &sealed).await.unwrap();
    }
    tx.commit().await.unwrap();
    let other = worlds.pop().unwrap();
    let own = worlds.pop().unwrap();
    (own, other)
}

/// A fresh pending 열람 request on the world's member (so each decision has one to decide).
async fn fresh_request(s: &TestServer, w: &World) -> i64 {
    let mut tx = s.app.store.begin().await.unwrap();
    let n = gajok_store::privacy::requests::NewRequest {
        center_id: w.center,
        member_id: w.member,
        kind: "access",
        received_on: "2026-11-02",
        due_on: "2026-11-12",
        requester: "self",
        details: "열람 요청",
    };
    let id = gajok_store::privacy::requests::insert(&mut tx, &n, w.user).await.unwrap();
    tx.commit().await.unwrap();
    id
}

/// A fresh record in separate storage in the world's center (a late-fee receipt).
async fn fresh_separated(s: &TestServer, w: &World) -> i64 {
    use gajok_store::privacy::separated::{self as sep, FeeReceipt, NewSeparated};
    let center = gajok_store::orgs::get(s.app.store.reader(), w.center).await.unwrap().unwrap();
    let source_id = uniq() as i64;
    let mut tx = s.app.store.begin().await.unwrap();
    let n = NewSeparated {
        center_id: w.center,
        org_path: &center.path,
        record_kind: "fee_receipt",
        source_table: sep::LOANS,
        source_id,
        keep_until: "2031-12-31",
        legal_basis: "회계 증빙 5년",
        moved_at: "2026-11-01T00:00:00.000000Z",
        moved_by: "김보호",
    };
    let r = FeeReceipt {
        payer_name: "홍길동".into(),
        received_on: "2026-03-10".into(),
        late_days: 3,
        amount_won: 1500,
        item_barcode: "T-1".into(),
        item_name: "블록".into(),
    };
    sep::insert_receipt(&mut tx, &n, &r).await.unwrap();
    tx.commit().await.unwrap();
    let row = sqlx::query("SELECT id FROM separated_records WHERE source_id = $1")
        .bind(source_id)
        .fetch_one(s.app.store.reader())
        .await
        .unwrap();
    sqlx::Row::get::<i64, _>(&row, "id")
}

/// A fresh session of the world's program (so each delete has something to delete).
async fn fresh_session(s: &TestServer, w: &World) -> i64 {
    let prog = gajok_store::programs::program(s.app.store.reader(), w.program).await.unwrap().unwrap();
    let mut tx = s.app.store.begin().await.unwrap();
    let d = gajok_store::programs::SessionData {
        series_id: None,
        date: "2026-04-07".into(),
        start_time: "10:00".into(),
        minutes: 120,
        place: None,
        instructor: None,
        open_event: false,
    };
    let id = gajok_store::programs::insert_session(&mut tx, &prog, &d).await.unwrap().id;
    tx.commit().await.unwrap();
    id
}

async fn fresh_consent(s: &TestServer, w: &World) -> i64 {
    let mut tx = s.app.store.begin().await.unwrap();
    let c = gajok_store::people::NewConsent {
        kind: gajok_domain::people::ConsentKind::OptionalItems,
        recipients: vec![],
        agreed: true,
        form_version: "test".into(),
        signed_on: "2026-01-05".into(),
        signer_name: "홍길동".into(),
        signer_role: "self",
        guardian_relation: None,
        guardian_phone: None,
    };
    let id = gajok_store::people::insert_consent(&mut tx, w.center, w.member, &c, 1).await.unwrap();
    tx.commit().await.unwrap();
    id
}

/// Puts the world's May report at `status` directly (the matrix tests who may act on it).
async fn report_at(s: &TestServer, w: &World, status: gajok_domain::program::ReportStatus) {
    let mut tx = s.app.store.begin().await.unwrap();
    sqlx::query("DELETE FROM report_events WHERE center_id = $1").bind(w.center).execute(tx.conn()).await.unwrap();
    sqlx::query("DELETE FROM monthly_reports WHERE center_id = $1").bind(w.center).execute(tx.conn()).await.unwrap();
    let actor = gajok_store::audit::Actor { user_id: None, username: "fixture".into(), client_addr: None };
    if status != gajok_domain::program::ReportStatus::Draft {
        gajok_store::reports::transition(
            &mut tx,
            &gajok_store::reports::Step {
                center_id: w.center,
                month: "2026-05",
                from: gajok_domain::program::ReportStatus::Draft,
                to: status,
                snapshot: None,
                comment: None,
            },
            &actor,
        )
        .await
        .unwrap();
    }
    tx.commit().await.unwrap();
}

/// Puts the world's May 서식13 at `status` directly.
async fn nt_report_at(s: &TestServer, w: &World, status: gajok_domain::program::ReportStatus) {
    let mut tx = s.app.store.begin().await.unwrap();
    sqlx::query("DELETE FROM report_events WHERE center_id = $1").bind(w.center).execute(tx.conn()).await.unwrap();
    sqlx::query("DELETE FROM monthly_reports WHERE center_id = $1").bind(w.center).execute(tx.conn()).await.unwrap();
    let actor = gajok_store::audit::Actor { user_id: None, username: "fixture".into(), client_addr: None };
    if status != gajok_domain::program::ReportStatus::Draft {
        let step = gajok_store::reports::Step {
            center_id: w.center,
            month: "2026-05",
            from: gajok_domain::program::ReportStatus::Draft,
            to: status,
            snapshot: None,
            comment: None,
        };
        gajok_store::reports::transition_kind(&mut tx, gajok_store::reports::NANUMTEO, &step, &actor).await.unwrap();
    }
    tx.commit().await.unwrap();
}

static SEQ: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);
fn uniq() -> u64 {
    SEQ.fetch_add(1, std::sync::atomic::Ordering::Relaxed)
}

fn center_fields(version: i64) -> Vec<(String, String)> {
    [
        ("code", "PLACEHOLDER"),
        ("name", "센터"),
        ("center_type", "family_center"),
        ("category", "general"),
        ("center_form", "independent"),
        ("operation_form", "direct"),
        ("funding_form", "national"),
        ("active", "on"),
    ]
    .iter()
    .map(|(k, v)| (k.to_string(), v.to_string()))
    .chain([("version".to_string(), version.to_string())])
    .collect()
}

/// A fresh role assignment on `user` (so each revoke has something to revoke).
async fn fresh_assignment(s: &TestServer, user: i64, center: i64) -> i64 {
    let mut tx = s.app.store.begin().await.unwrap();
    let n = uniq();
    // A site per assignment keeps (user, role, org) unique.
    let site = gajok_store::orgs::insert(
        &mut tx,
        &gajok_store::orgs::NewUnit {
            parent_id: Some(center),
            kind: gajok_domain::org::OrgKind::Site,
            code: format!("S-FIX-{n}"),
            name: "fixture".into(),
            address: None,
            phone: None,
        },
    )
    .await
    .unwrap();
    let _ = site;
    let id = gajok_store::users::add_role(&mut tx, user, Role::CenterManager, center, None).await;
    let id = match id {
        Ok(id) => id,
        Err(_) => {
            drop(tx);
            let roles = gajok_store::users::roles(s.app.store.reader(), user).await.unwrap();
            return roles.iter().find(|r| r.role == Role::CenterManager).unwrap().id;
        }
    };
    tx.commit().await.unwrap();
    id
}

async fn fresh_token(s: &TestServer, user: i64) -> i64 {
    let mut tx = s.app.store.begin().await.unwrap();
    let n = uniq();
    let id = gajok_store::tokens::insert(&mut tx, user, "fixture", &format!("hash-{n}-{}", s.backend), "gjk_fix", user)
        .await
        .unwrap();
    tx.commit().await.unwrap();
    id
}

async fn version(s: &TestServer, id: i64) -> i64 {
    gajok_store::orgs::get(s.app.store.reader(), id).await.unwrap().unwrap().version
}

async fn code_of(s: &TestServer, id: i64) -> String {
    gajok_store::orgs::get(s.app.store.reader(), id).await.unwrap().unwrap().code
}

/// Fresh 공동육아나눔터 and 품앗이 records in the world's center (a registered space, two
/// families in a group with a plan for a far month, a visit, a flag, an item on loan).
struct NtFix {
    site: i64,
    families: (i64, i64),
    group: i64,
    plan: i64,
    visit: i64,
    flag: i64,
    loan: i64,
}

async fn nt_fixture(s: &TestServer, w: &World) -> NtFix {
    use gajok_store::nanumteo::{library, pumasi, spaces, visits};
    let n = uniq();
    let mut tx = s.app.store.begin().await.unwrap();
    let site = gajok_store::orgs::insert(
        &mut tx,
        &gajok_store::orgs::NewUnit {
            parent_id: Some(w.center),
            kind: gajok_domain::org::OrgKind::Site,
            code: format!("S-NT-{n}"),
            name: "나눔터".into(),
            address: None,
            phone: None,
        },
    )
    .await
    .unwrap()
    .id;
    let sd = gajok_store::orgs::SiteDetails { site_kind: gajok_domain::org::SiteKind::Nanumteo, note: None };
    gajok_store::orgs::put_site(&mut tx, site, &sd).await.unwrap();
    let data = spaces::SpaceData {
        placement: gajok_domain::nanumteo::Placement::Inside,
        ownership: gajok_domain::nanumteo::Ownership::LocalGovernment,
        pledge_until: None,
        area_m2: 70,
        remodelled: false,
        all_day: true,
        military_housing: false,
        open_time: "10:00".into(),
        close_time: "18:00".into(),
        open_days: "12345".into(),
        saturday_open: None,
        saturday_close: None,
        saturday_approved_on: None,
        cctv_units: 1,
        cctv_megapixels_x10: 13,
        cctv_retention_days: 60,
        injury_insurance_until: None,
        fire_insurance_until: None,
        found_on: None,
    };
    spaces::put(&mut tx, site, w.center, None, &data).await.unwrap();
    let f1 = gajok_store::people::insert_family(&mut tx, w.center, "가족1").await.unwrap().id;
    let f2 = gajok_store::people::insert_family(&mut tx, w.center, "가족2").await.unwrap().id;
    let g = pumasi::NewGroup {
        name: "놀이모임",
        kind: gajok_domain::nanumteo::PumasiKind::Play,
        theme: None,
        leader_member_id: None,
        formed_on: "2026-01-05",
        orientation_on: None,
    };
    let group = pumasi::insert_group(&mut tx, w.center, &g, &[f1, f2]).await.unwrap();
    let np = pumasi::NewPlan {
        group_id: group,
        month: "2099-01",
        purpose: "놀이",
        activities: "1주 블록놀이",
        materials: None,
    };
    let plan = pumasi::insert_plan(&mut tx, w.center, &np, w.user, "담당자").await.unwrap();
    let v = visits::NewVisit {
        space_id: site,
        visit_date: "2026-03-03".into(),
        member_id: w.member,
        child_only: false,
        children: 1,
        children_ages: "3".into(),
        purpose: gajok_domain::nanumteo::VisitPurpose::Use,
        check_in: "10:30".into(),
    };
    let visit = visits::insert(&mut tx, w.center, &v).await.unwrap();
    let flag = spaces::insert_flag(
        &mut tx,
        w.center,
        w.member,
        gajok_domain::nanumteo::HealthStatus::Suspected,
        None,
        "2026-03-03",
        w.user,
    )
    .await
    .unwrap();
    let barcode = format!("T-{n}");
    let item = library::NewItem {
        space_id: site,
        barcode: &barcode,
        kind: gajok_domain::nanumteo::ItemKind::Toy,
        name: "블록",
        lendable: true,
        acquired_on: "2026-01-02",
    };
    let item = library::insert_item(&mut tx, w.center, &item).await.unwrap().unwrap();
    let loan = library::insert_loan(&mut tx, w.center, site, item, w.member, "2026-03-03", "2026-03-17")
        .await
        .unwrap()
        .unwrap();
    tx.commit().await.unwrap();
    NtFix { site, families: (f1, f2), group, plan, visit, flag, loan }
}

/// Sends the request for `(method, path)` against the world `w`; returns the status.
async fn request(s: &TestServer, c: &mut Client, method: &str, path: &str, w: &World) -> u16 {
    let n = uniq();
    let center = w.center;
    let user = w.user;
    let r = match (method, path) {
        ("GET", "/orgs/new") => c.get(&format!("/orgs/new?parent={center}")).await,
        ("POST", "/orgs") => {
            let code = format!("S-M-{n}");
            c.post_form("/orgs", &[("parent_id", &center.to_string()), ("kind", "site"), ("code", &code), ("name", "공간"), ("site_kind", "other")]).await
        }
        ("POST", "/api/v1/orgs") => {
            c.json("POST", "/api/v1/orgs", Some(&json!({"parent_id": center, "kind": "site", "code": format!("S-A-{n}"), "name": "공간", "site_kind": "other"}))).await
        }
        ("POST", "/orgs/{id}") => {
            let mut f = center_fields(version(s, center).await);
            f[0].1 = code_of(s, center).await;
            f.push(("_csrf".into(), c.csrf()));
            c.post_form_raw(&format!("/orgs/{center}"), &f).await
        }
        ("PUT", "/api/v1/orgs/{id}") => {
            let f = center_fields(version(s, center).await);
            let mut body = serde_json::Map::new();
            for (k, v) in f {
                body.insert(k, json!(v));
            }
            body.insert("code".into(), json!(code_of(s, center).await));
            c.json("PUT", &format!("/api/v1/orgs/{center}"), Some(&serde_json::Value::Object(body))).await
        }
        ("POST", "/admin/users") => {
            let u = format!("made{n}");
            c.post_form("/admin/users", &[("username", &u), ("display_name", "새사람"), ("home_org_id", &center.to_string()), ("initial_password", "Initial-pass-1")]).await
        }
        ("POST", "/api/v1/users") => {
            c.json("POST", "/api/v1/users", Some(&json!({"username": format!("api{n}"), "display_name": "새사람", "home_org_id": center, "initial_password": "Initial-pass-1"}))).await
        }
        ("POST", "/admin/users/{id}") => c.post_form(&format!("/admin/users/{user}"), &[("display_name", "테스트"), ("active", "on")]).await,
        ("POST", "/admin/users/{id}/password") => c.post_form(&format!("/admin/users/{user}/password"), &[("initial_password", "Reset-pass-2026")]).await,
        ("POST", "/admin/users/{id}/unlock") => c.post_form(&format!("/admin/users/{user}/unlock"), &[]).await,
        ("POST", "/admin/users/{id}/roles") => {
            c.post_form(&format!("/admin/users/{user}/roles"), &[("role", "center_staff"), ("org_unit_id", &center.to_string())]).await
        }
        ("POST", "/api/v1/users/{id}/roles") => {
            c.json("POST", &format!("/api/v1/users/{user}/roles"), Some(&json!({"role": "center_staff", "org_unit_id": center}))).await
        }
        ("POST", "/admin/users/{id}/roles/{rid}/delete") => {
            let rid = fresh_assignment(s, user, center).await;
            c.post_form(&format!("/admin/users/{user}/roles/{rid}/delete"), &[]).await
        }
        ("DELETE", "/api/v1/users/{id}/roles/{rid}") => {
            let rid = fresh_assignment(s, user, center).await;
            c.json("DELETE", &format!("/api/v1/users/{user}/roles/{rid}"), None).await
        }
        ("POST", "/admin/users/{id}/tokens") => c.post_form(&format!("/admin/users/{user}/tokens"), &[("name", "t")]).await,
        ("POST", "/api/v1/tokens") => c.json("POST", "/api/v1/tokens", Some(&json!({"user_id": user, "name": "t"}))).await,
        ("POST", "/admin/tokens/{id}/revoke") => {
            let t = fresh_token(s, user).await;
            c.post_form(&format!("/admin/tokens/{t}/revoke"), &[]).await
        }
        ("DELETE", "/api/v1/tokens/{id}") => {
            let t = fresh_token(s, user).await;
            c.json("DELETE", &format!("/api/v1/tokens/{t}"), None).await
        }
        ("POST", "/members") => {
            let name = format!("새이용자{n}");
            c.post_form(
                "/members",
                &[("center_id", &center.to_string()), ("name", &name), ("birth_date", "1990-02-03"), ("sex", "female"), ("consent_collection", "agree"), ("confirm_new", "on")],
            )
            .await
        }
        ("POST", "/members/{id}") => {
            let m = gajok_store::people::get(s.app.store.reader(), w.member).await.unwrap().unwrap();
            c.post_form(
                &format!("/members/{}", w.member),
                &[("name", "홍길동"), ("birth_date", "1985-03-04"), ("sex", "male"), ("version", &m.version.to_string())],
            )
            .await
        }
        ("POST", "/members/{id}/consents/{cid}/withdraw") => {
            let cid = fresh_consent(s, w).await;
            c.post_form(&format!("/members/{}/consents/{cid}/withdraw", w.member), &[("reason", "본인 요청")]).await
        }
        ("POST", "/programs") => {
            c.post_form("/programs", &[("center_id", &center.to_string()), ("year", "2026"), ("area", "culture"), ("name", "가족캠프")]).await
        }
        ("POST", "/programs/{id}/sessions") => {
            c.post_form(&format!("/programs/{}/sessions", w.program), &[("date", "2026-03-04"), ("start_time", "10:00"), ("hours", "2")]).await
        }
        ("POST", "/programs/{id}/enrol") => c.post_form(&format!("/programs/{}/enrol", w.program), &[("member_ids", &w.member.to_string())]).await,
        ("POST", "/programs/{id}/surveys") => {
            let q: Vec<(String, String)> = (1..=7).map(|i| (format!("q{i}"), "4".to_string())).chain([("_csrf".to_string(), c.csrf())]).collect();
            c.post_form_raw(&format!("/programs/{}/surveys", w.program), &q).await
        }
        ("GET", "/sessions/{id}") => {
            let sid = fresh_session(s, w).await;
            c.get(&format!("/sessions/{sid}")).await
        }
        ("POST", "/sessions/{id}/attendance") => {
            let sid = fresh_session(s, w).await;
            c.post_form(&format!("/sessions/{sid}/attendance"), &[(&format!("a_{}", w.member), "present")]).await
        }
        ("POST", "/sessions/{id}/head-counts") => {
            let sid = fresh_session(s, w).await;
            c.post_form(&format!("/sessions/{sid}/head-counts"), &[("head_adult", "3"), ("head_child", "2")]).await
        }
        ("POST", "/sessions/{id}/delete") => {
            let sid = fresh_session(s, w).await;
            c.post_form(&format!("/sessions/{sid}/delete"), &[]).await
        }
        ("POST", "/simulations") => {
            let input = r#"{"evaluation_date":"2023-06-01","family_type":"single_parent","household_size":2,"recognized_income_month":1000000}"#;
            c.post_form("/simulations", &[("member_id", &w.member.to_string()), ("calculator", "visiting-copay"), ("request_json", input)]).await
        }
        ("GET", "/plans/monthly") => c.get("/plans/monthly?month=2026-06").await,
        ("POST", "/plans/monthly") => {
            c.post_form("/plans/monthly", &[("month", "2026-06"), ("center", &center.to_string()), (&format!("s_{}", w.program), "2"), (&format!("n_{}", w.program), "10")]).await
        }
        ("GET", "/reports/monthly") => c.get(&format!("/reports/monthly?center={center}&month=2026-05")).await,
        ("GET", "/reports/monthly.csv") => c.get(&format!("/reports/monthly.csv?center={center}&month=2026-05")).await,
        ("GET", "/reports/monthly.xlsx") => c.get(&format!("/reports/monthly.xlsx?center={center}&month=2026-05")).await,
        ("GET", "/reports/rollup") => c.get(&format!("/reports/rollup?unit={center}&month=2026-05")).await,
        ("POST", "/reports/monthly/{center}/{month}/submit") => {
            report_at(s, w, gajok_domain::program::ReportStatus::Draft).await;
            c.post_form(&format!("/reports/monthly/{center}/2026-05/submit"), &[]).await
        }
        ("POST", "/reports/monthly/{center}/{month}/review") => {
            report_at(s, w, gajok_domain::program::ReportStatus::Submitted).await;
            c.post_form(&format!("/reports/monthly/{center}/2026-05/review"), &[("decision", "approve"), ("comment", "확인")]).await
        }
        ("POST", "/reports/monthly/{center}/{month}/reopen") => {
            report_at(s, w, gajok_domain::program::ReportStatus::Submitted).await;
            c.post_form(&format!("/reports/monthly/{center}/2026-05/reopen"), &[("comment", "정정 필요")]).await
        }
        ("POST", "/api/v1/members") => {
            let body = json!({"center_id": center, "name": format!("API이용자{n}"), "birth_date": "1991-01-01", "sex": "male", "consent_collection": "agree", "confirm_new": true});
            c.json("POST", "/api/v1/members", Some(&body)).await
        }
        ("GET", "/api/v1/programs") => c.json("GET", &format!("/api/v1/programs?year=2026&center={center}"), None).await,
        ("GET", "/api/v1/sessions/{id}/attendance") => {
            let sid = fresh_session(s, w).await;
            c.json("GET", &format!("/api/v1/sessions/{sid}/attendance"), None).await
        }
        ("PUT", "/api/v1/sessions/{id}/attendance") => {
            let sid = fresh_session(s, w).await;
            let body = json!({"entries": [{"member_id": w.member, "status": "present"}]});
            c.json("PUT", &format!("/api/v1/sessions/{sid}/attendance"), Some(&body)).await
        }
        ("GET", "/api/v1/reports/monthly/{center}/{month}") => c.json("GET", &format!("/api/v1/reports/monthly/{center}/2026-05"), None).await,
        ("GET", "/api/v1/reports/rollup/{unit}/{month}") => c.json("GET", &format!("/api/v1/reports/rollup/{center}/2026-05"), None).await,
        ("POST", "/api/v1/reports/monthly/{center}/{month}/submit") => {
            report_at(s, w, gajok_domain::program::ReportStatus::Draft).await;
            c.json("POST", &format!("/api/v1/reports/monthly/{center}/2026-05/submit"), None).await
        }
        ("POST", "/api/v1/reports/monthly/{center}/{month}/review") => {
            report_at(s, w, gajok_domain::program::ReportStatus::Submitted).await;
            c.json("POST", &format!("/api/v1/reports/monthly/{center}/2026-05/review"), Some(&json!({"decision": "approve"}))).await
        }
        (m, p) if authz_nts::handles(p) => authz_nts::request(s, c, m, p, w).await,
        (m, p) if p.starts_with("/nanumteo") || p.starts_with("/pumasi/") => {
            let f = nt_fixture(s, w).await;
            let (site, member) = (f.site.to_string(), w.member.to_string());
            let barcode = format!("B-{n}");
            match (m, p) {
                ("GET", "/nanumteo/spaces/{id}") => c.get(&format!("/nanumteo/spaces/{site}")).await,
                ("GET", "/nanumteo/spaces/{id}/desk") => c.get(&format!("/nanumteo/spaces/{site}/desk?q=홍길")).await,
                ("GET", "/nanumteo/spaces/{id}/library") => c.get(&format!("/nanumteo/spaces/{site}/library")).await,
                ("POST", "/nanumteo/spaces/{id}") => {
                    let fields = [("placement", "inside"), ("ownership", "local_government"), ("area_m2", "66"), ("open_time", "10:00"), ("close_time", "18:00"), ("cctv_units", "1"), ("cctv_megapixels", "1.3"), ("cctv_retention_days", "60"), ("version", "1")];
                    c.post_form(&format!("/nanumteo/spaces/{site}"), &fields).await
                }
                ("POST", "/nanumteo/spaces/{id}/visits") => {
                    c.post_form(&format!("/nanumteo/spaces/{site}/visits"), &[("member_id", &member), ("date", "2026-03-03"), ("time", "11:00"), ("children_ages", "3")]).await
                }
                ("POST", "/nanumteo/visits/{id}/checkout") => c.post_form(&format!("/nanumteo/visits/{}/checkout", f.visit), &[("time", "12:00")]).await,
                ("POST", "/nanumteo/members/{id}/health") => c.post_form(&format!("/nanumteo/members/{member}/health"), &[("status", "suspected")]).await,
                ("POST", "/nanumteo/flags/{id}/clear") => c.post_form(&format!("/nanumteo/flags/{}/clear", f.flag), &[]).await,
                ("POST", "/nanumteo/spaces/{id}/items") => {
                    c.post_form(&format!("/nanumteo/spaces/{site}/items"), &[("barcode", &barcode), ("kind", "book"), ("name", "그림책"), ("lendable", "on")]).await
                }
                ("POST", "/nanumteo/spaces/{id}/loans") => {
                    c.post_form(&format!("/nanumteo/spaces/{site}/loans"), &[("barcode", &barcode), ("member_id", &member)]).await
                }
                ("POST", "/nanumteo/loans/{id}/return") => c.post_form(&format!("/nanumteo/loans/{}/return", f.loan), &[("on", "2026-03-10")]).await,
                ("POST", "/nanumteo/loans/{id}/renew") => c.post_form(&format!("/nanumteo/loans/{}/renew", f.loan), &[("on", "2026-03-10")]).await,
                ("POST", "/nanumteo/spaces/{id}/disinfections") => {
                    c.post_form(&format!("/nanumteo/spaces/{site}/disinfections"), &[("kind", "daily_spray"), ("done_on", "2026-03-03")]).await
                }
                ("POST", "/pumasi/groups") => {
                    let fams = format!("{},{}", f.families.0, f.families.1);
                    c.post_form("/pumasi/groups", &[("center", &center.to_string()), ("name", "새 그룹"), ("kind", "learning"), ("families", &fams)]).await
                }
                ("GET", "/pumasi/groups/{id}") => c.get(&format!("/pumasi/groups/{}", f.group)).await,
                ("POST", "/pumasi/groups/{id}/plans") => {
                    c.post_form(&format!("/pumasi/groups/{}/plans", f.group), &[("month", "2099-02"), ("purpose", "학습"), ("activities", "1주 받아쓰기")]).await
                }
                ("POST", "/pumasi/plans/{id}/sign") => c.post_form(&format!("/pumasi/plans/{}/sign", f.plan), &[]).await,
                ("POST", "/pumasi/groups/{id}/activities") => {
                    c.post_form(&format!("/pumasi/groups/{}/activities", f.group), &[("date", "2026-03-04"), ("start_time", "10:00"), ("end_time", "12:00"), ("place", "나눔터"), ("content", "블록놀이"), ("attendees", &member)]).await
                }
                ("POST", "/pumasi/groups/{id}/expenses") => {
                    c.post_form(&format!("/pumasi/groups/{}/expenses", f.group), &[("spent_on", "2026-03-04"), ("category", "materials"), ("amount", "10000"), ("receipt_no", "R-1"), ("description", "색종이")]).await
                }
                ("POST", "/pumasi/groups/{id}/families") => {
                    let mut tx = s.app.store.begin().await.unwrap();
                    let fam = gajok_store::people::insert_family(&mut tx, center, "가족3").await.unwrap().id;
                    tx.commit().await.unwrap();
                    c.post_form(&format!("/pumasi/groups/{}/families", f.group), &[("family_id", &fam.to_string()), ("date", "2026-03-02"), ("consent", "on")]).await
                }
                ("POST", "/pumasi/groups/{id}/families/{family}/orientation") => {
                    c.post_form(&format!("/pumasi/groups/{}/families/{}/orientation", f.group, f.families.0), &[("orientation_on", "2026-03-05")]).await
                }
                ("GET", "/pumasi/status") => c.get(&format!("/pumasi/status?center={center}&month=2026-03")).await,
                ("POST", "/pumasi/currency") => {
                    c.post_form("/pumasi/currency", &[("center", &center.to_string()), ("date", "2026-03-04"), ("kind", "in"), ("amount", "5000"), ("name", "나눔장터"), ("description", "장터 적립")]).await
                }
                ("GET", "/nanumteo/obligations") => c.get(&format!("/nanumteo/obligations?center={center}")).await,
                ("POST", "/nanumteo/events") => {
                    c.post_form("/nanumteo/events", &[("center", &center.to_string()), ("kind", "committee"), ("date", "2026-03-04"), ("hours", "2"), ("content", "운영위원회")]).await
                }
                ("GET", "/nanumteo/report") => c.get(&format!("/nanumteo/report?center={center}&month=2026-05")).await,
                ("GET", "/nanumteo/report.xlsx") => c.get(&format!("/nanumteo/report.xlsx?center={center}&month=2026-05")).await,
                ("POST", "/nanumteo/report/{center}/{month}/submit") => {
                    nt_report_at(s, w, gajok_domain::program::ReportStatus::Draft).await;
                    c.post_form(&format!("/nanumteo/report/{center}/2026-05/submit"), &[]).await
                }
                ("POST", "/nanumteo/report/{center}/{month}/review") => {
                    nt_report_at(s, w, gajok_domain::program::ReportStatus::Submitted).await;
                    c.post_form(&format!("/nanumteo/report/{center}/2026-05/review"), &[("decision", "approve"), ("comment", "확인")]).await
                }
                ("POST", "/nanumteo/report/{center}/{month}/reopen") => {
                    nt_report_at(s, w, gajok_domain::program::ReportStatus::Submitted).await;
                    c.post_form(&format!("/nanumteo/report/{center}/2026-05/reopen"), &[("comment", "정정 필요")]).await
                }
                _ => c.get(p).await,
            }
        }
        ("GET", "/privacy/requests/{id}") => {
            let id = fresh_request(s, w).await;
            c.get(&format!("/privacy/requests/{id}")).await
        }
        ("GET", "/privacy/requests/{id}/export") => {
            let id = fresh_request(s, w).await;
            c.get(&format!("/privacy/requests/{id}/export")).await
        }
        ("POST", "/privacy/requests/{id}/decide") => {
            let id = fresh_request(s, w).await;
            c.post_form(&format!("/privacy/requests/{id}/decide"), &[("decision", "accepted"), ("reason", "자료 제공")]).await
        }
        ("POST", "/privacy/grants") => {
            // The world's own staff account (never one of the actors, so no grant leaks into
            // the later checks).
            let who = gajok_store::users::get(s.app.store.reader(), user).await.unwrap().unwrap().username;
            c.post_form("/privacy/grants", &[("username", &who), ("center_id", &center.to_string())]).await
        }
        ("POST", "/privacy/officer") => {
            c.post_form("/privacy/officer", &[("center_id", &center.to_string()), ("name", "김보호"), ("title", "팀장"), ("phone", "02-123-4567")]).await
        }
        ("POST", "/members/{id}/privacy-requests") => {
            c.post_form(&format!("/members/{}/privacy-requests", w.member), &[("kind", "access"), ("details", "열람 요청")]).await
        }
        ("POST", "/members/{id}/foreign-id") => {
            c.post_form(&format!("/members/{}/foreign-id", w.member), &[("foreign_id", "900101-5123456")]).await
        }
        ("POST", "/members/foreign-id/lookup") => c.post_form("/members/foreign-id/lookup", &[("foreign_id", "900101-5123456")]).await,
        ("POST", "/members/{id}/counseling") => {
            c.post_form(&format!("/members/{}/counseling", w.member), &[("body", "상담 내용"), ("risk_health", "on")]).await
        }
        ("GET", "/privacy/separated/{id}") => {
            let id = fresh_separated(s, w).await;
            c.get(&format!("/privacy/separated/{id}")).await
        }
        ("POST", "/privacy/access-review/sign") => {
            c.post_form("/privacy/access-review/sign", &[("month", "2026-05"), ("note", "점검 완료")]).await
        }
        ("POST", "/account/password") => {
            c.post_form("/account/password", &[("current_password", "not-my-password"), ("new_password", "Another-pass-9"), ("confirm_password", "Another-pass-9")]).await
        }
        ("POST", "/logout") => c.post_form("/logout", &[]).await,
        (m, p) => {
            let id = if p.contains("/users/") {
                user
            } else if p.starts_with("/members/") || p.starts_with("/api/v1/members/") {
                w.member
            } else if p.starts_with("/programs/") || p.starts_with("/api/v1/programs/") {
                w.program
            } else {
                center
            };
            let concrete = p.replace("{id}", &id.to_string());
            if p.starts_with("/api/") {
                c.json(m, &concrete, None).await
            } else {
                assert_eq!(m, "GET", "no request builder for {m} {p}");
                c.get(&concrete).await
            }
        }
    };
    assert!(
        ![500, 400, 401, 415].contains(&r.status),
        "[{}] {method} {path}: unexpected {}: {}",
        s.backend,
        r.status,
        r.body
    );
    r.status
}

#[tokio::test]
async fn every_route_every_role_every_scope() {
    for s in servers().await {
        let (own, other) = setup(&s).await;

        // The table covers exactly the routes the server has.
        let served: Vec<(String, String)> =
            s.routes.iter().filter(|r| !r.public).map(|r| (r.method.to_string(), r.path.to_string())).collect();
        for (m, p) in &served {
            assert!(
                MATRIX.iter().any(|(mm, pp, _, _)| mm == m && pp == p),
                "route {m} {p} has no entry in the authorization matrix"
            );
        }
        for (m, p, _, _) in MATRIX {
            assert!(served.iter().any(|(mm, pp)| mm == m && pp == p), "matrix entry {m} {p} is not a served route");
        }

        let mut checked = 0;
        let mut leaks = Vec::new();
        for (username, role) in ACTORS {
            let mut c = s.client();
            let r = c.login(username, PW).await;
            assert_eq!(r.status, 303, "[{}] login {username}", s.backend);
            for (method, path, who, targeted) in MATRIX.iter().filter(|e| e.1 != "/logout") {
                let scopes: &[Scope] = if *targeted { &[Scope::Own, Scope::Other] } else { &[Scope::Own] };
                for scope in scopes {
                    let w = if *scope == Scope::Own { &own } else { &other };
                    let status = request(&s, &mut c, method, path, w).await;
                    let allowed = includes(*who, *role) && (!targeted || reaches(*role, *scope));
                    let denied = status == 403 || status == 404;
                    if allowed == denied {
                        leaks.push(format!(
                            "{username} ({role:?}) {method} {path} {scope:?}: got {status}, expected {}",
                            if allowed { "allowed" } else { "403/404" }
                        ));
                    }
                    checked += 1;
                }
            }
            let r = request(&s, &mut c, "POST", "/logout", &own).await;
            assert_eq!(r, 303, "[{}] logout {username}", s.backend);
            assert_eq!(c.get("/").await.status, 303, "[{}] signed out {username}", s.backend);
            checked += 1;
        }
        assert!(leaks.is_empty(), "[{}] {} wrong answers:\n{}", s.backend, leaks.len(), leaks.join("\n"));
        println!(
            "[{}] authorization matrix: {} routes x {} roles x scopes = {} checks, 0 wrong",
            s.backend,
            MATRIX.len(),
            ACTORS.len(),
            checked
        );

        // Anonymous: pages send to the login page, the API answers 401.
        let mut anon = s.client();
        anon.get("/login").await;
        let empty = json!({});
        for (method, path, _, _) in MATRIX {
            let concrete = path.replace("{id}", &own.center.to_string()).replace("{rid}", "1");
            let r = if path.starts_with("/api/") {
                anon.json(method, &concrete, if *method == "GET" || *method == "DELETE" { None } else { Some(&empty) })
                    .await
            } else if *method == "GET" {
                anon.get(&concrete).await
            } else {
                anon.post_form(&concrete, &[]).await
            };
            if path.starts_with("/api/") {
                assert_eq!(r.status, 401, "[{}] anonymous {method} {path}", s.backend);
            } else {
                assert_eq!(r.status, 303, "[{}] anonymous {method} {path}", s.backend);
                assert!(
                    r.location.as_deref().unwrap_or("").starts_with("/login"),
                    "[{}] anonymous {method} {path}",
                    s.backend
                );
            }
        }
    }
}

#[tokio::test]
async fn lists_never_show_other_scopes() {
    for s in servers().await {
        let b = &s.backend;
        let mut staff = common::signed_in(&s, "staff").await;
        let list = staff.json("GET", "/api/v1/orgs?per_page=200", None).await.json();
        let codes: Vec<&str> = list["items"].as_array().unwrap().iter().map(|u| u["code"].as_str().unwrap()).collect();
        assert!(codes.contains(&"C-11215-01"), "[{b}] own center listed");
        assert!(
            codes.iter().all(|c| c.starts_with("C-11215-01") || c.starts_with("S-11215-01")),
            "[{b}] only own center and its sites: {codes:?}"
        );
        let mut seoul = common::signed_in(&s, "seoul").await;
        let list = seoul.json("GET", "/api/v1/orgs?kind=center&per_page=200", None).await.json();
        let codes: Vec<&str> = list["items"].as_array().unwrap().iter().map(|u| u["code"].as_str().unwrap()).collect();
        assert!(codes.iter().all(|c| c.starts_with("C-11")), "[{b}] Seoul sees Seoul centers only: {codes:?}");
        assert_eq!(codes.len(), 6, "[{b}] {codes:?}");
        // The Seoul official's audit search never returns Busan events.
        let mut busan = common::signed_in(&s, "busan").await;
        busan.get("/").await;
        let log = seoul.json("GET", "/api/v1/audit/events?actor=busan", None).await.json();
        assert_eq!(log["total"], 0, "[{b}] {log}");
    }
}

/// Sensitive records: the same center staff account is denied every sensitive route without
/// the grant and allowed with it (given by the manager), each read is access-logged, and a
/// grant in one center opens nothing in another.
#[tokio::test]
async fn sensitive_routes_follow_the_grant_and_reads_are_logged() {
    for s in servers().await {
        let b = &s.backend;
        let (own, other) = setup(&s).await;
        let mut staff = common::signed_in(&s, "staff").await;
        let reads = [format!("/members/{}/counseling", own.member), format!("/members/{}/foreign-id", own.member)];
        let note = format!("/members/{}/counseling", own.member);
        for p in &reads {
            assert_eq!(staff.get(p).await.status, 403, "[{b}] {p} without the grant");
        }
        assert_eq!(staff.post_form(&note, &[("body", "상담")]).await.status, 403, "[{b}]");
        let mut manager = common::signed_in(&s, "manager").await;
        assert_eq!(manager.post_form("/privacy/grants", &[("username", "staff")]).await.status, 303, "[{b}]");
        let logged = |s: &TestServer| {
            let store = s.app.store.clone();
            let member = own.member.to_string();
            async move {
                use sqlx::Row;
                sqlx::query("SELECT COUNT(*) AS n FROM access_log WHERE username = 'staff' AND subject_id = $1")
                    .bind(member)
                    .fetch_one(store.reader())
                    .await
                    .unwrap()
                    .get::<i64, _>("n")
            }
        };
        let before = logged(&s).await;
        for p in &reads {
            assert_eq!(staff.get(p).await.status, 200, "[{b}] {p} with the grant");
        }
        assert_eq!(logged(&s).await, before + 2, "[{b}] each sensitive read access-logged");
        assert_eq!(staff.post_form(&note, &[("body", "상담")]).await.status, 303, "[{b}]");
        // The grant is per center: the other center's records stay out of reach.
        assert_eq!(staff.get(&format!("/members/{}/counseling", other.member)).await.status, 404, "[{b}]");
    }
}
