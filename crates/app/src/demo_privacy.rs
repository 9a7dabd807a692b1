//! Demo data for the privacy officer's pages: a center's data subjects' requests in every state,
//! and one person who asked to be deleted after paying a toy-library late fee — so the
//! destruction register, separate storage and the published policy show what they are for.
//!
//! Everything goes through the same use cases the pages call, as the demo center manager: the
//! registration with its consents, the late return (fee and suspension from rules data), the
//! requests and their decisions; the accepted deletion anonymises the person and moves the
//! fee's receipt to separate storage exactly as it would at the desk.

use chrono::Duration;
use gajok_store::nanumteo::library;
use gajok_store::privacy::requests as store;
use gajok_store::{orgs, users};
use serde_json::json;

use crate::App;
use crate::error::{AppError, AppResult};
use crate::people::{MemberInput, Registered};
use crate::principal::{AuthVia, Principal};
use crate::privacy::requests::{DecisionInput, RequestInput};

/// One demo person: name, birth date, phone.
const PEOPLE: [(&str, &str, &str); 4] = [
    ("윤지우", "1986-03-14", "010-4821-3307"),
    ("서민재", "1979-11-02", "010-7310-5524"),
    ("문가온", "1991-06-25", "010-2268-9140"),
    ("배하린", "1983-08-09", "010-5902-1176"),
];

fn input<T: serde::de::DeserializeOwned>(v: serde_json::Value) -> AppResult<T> {
    serde_json::from_value(v).map_err(|e| AppError::Internal(format!("demo privacy input: {e}")))
}

impl App {
    async fn demo_manager(&self) -> AppResult<Principal> {
        let user = users::by_username(&self.store, "manager")
            .await?
            .ok_or_else(|| AppError::Internal("no demo manager".into()))?;
        let roles = users::roles(self.store.reader(), user.id).await?;
        Ok(Principal { user, roles, client_addr: None, via: AuthVia::Session })
    }

    /// Loads the privacy demo into `center_code` once (nothing when it has requests already).
    pub async fn load_demo_privacy(&self, center_code: &str, space_code: &str) -> AppResult<()> {
        let center = orgs::by_code(&self.store, center_code)
            .await?
            .ok_or_else(|| AppError::Internal(format!("no center {center_code}")))?;
        if !store::list(&self.store, &[center.id], false, 1).await?.is_empty() {
            return Ok(());
        }
        let p = self.demo_manager().await?;
        let today = self.today();
        let day = |n: i64| (today - Duration::days(n)).format("%Y-%m-%d").to_string();
        let mut ids = Vec::new();
        for (name, birth, phone) in PEOPLE {
            let m: MemberInput = input(json!({
                "center_id": center.id.to_string(), "name": name, "birth_date": birth, "sex": "female",
                "phone": phone, "nationality": "KR", "new_family": "on",
                "consent_collection": "agree", "consent_third_party": "agree", "tp_mogef": "on", "tp_kihf": "on",
                "signed_on": today.format("%Y-%m-%d").to_string(), "confirm_new": "on",
            }))?;
            match self.register_member(&p, &m).await? {
                Registered::Created(m) => ids.push(m.id),
                Registered::PossibleDuplicates(_) => return Err(AppError::Internal("demo privacy: duplicate".into())),
            }
        }

        // 윤지우 kept a toy 16 days too long and paid the fee, then asked to be deleted: the
        // receipt is cash-book evidence for 5 years, so it goes to separate storage.
        let space = orgs::by_code(&self.store, space_code)
            .await?
            .ok_or_else(|| AppError::Internal(format!("no space {space_code}")))?;
        let (items, _) = library::items(&self.store, space.id, "", 500, 0).await?;
        if let Some(item) = items.iter().find(|i| i.lendable && i.on_loan.is_none()) {
            let mut tx = self.store.begin().await?;
            let loan = library::insert_loan(&mut tx, center.id, space.id, item.id, ids[0], &day(30), &day(16)).await?;
            tx.commit().await?;
            if let Some(loan) = loan {
                self.nanumteo_return(&p, loan, None, None).await?;
            }
        }
        let requests = [
            (
                ids[0],
                "deletion",
                6,
                "이용 기록과 연락처를 포함한 제 개인정보를 모두 삭제해 주세요.",
                Some((
                    "accepted",
                    "본인 확인 후 요구대로 삭제(비식별 처리). 연체료 수납 기록은 회계 증빙으로 분리 보관.",
                )),
            ),
            (ids[1], "access", 12, "지난해 참여한 프로그램과 출석 기록 열람을 요청합니다.", None),
            (ids[2], "correction", 2, "휴대전화 번호가 바뀌었습니다: 010-2268-9141", None),
            (
                ids[3],
                "suspension",
                20,
                "홍보 문자 발송을 중지해 주세요.",
                Some(("partly", "홍보 문자 발송 중지. 참여 중인 프로그램 안내는 계속함.")),
            ),
        ];
        for (member, kind, days_ago, details, decision) in requests {
            let r: RequestInput = input(json!({
                "kind": kind, "received_on": day(days_ago), "requester": "self", "details": details,
            }))?;
            let req = self.record_privacy_request(&p, member, &r).await?;
            if let Some((decision, reason)) = decision {
                let d: DecisionInput = input(json!({ "decision": decision, "reason": reason }))?;
                self.decide_privacy_request(&p, req.id, &d).await?;
            }
        }
        Ok(())
    }
}
