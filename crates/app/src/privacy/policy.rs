//! A center's privacy policy (개인정보 처리방침, PIPA Art. 30), generated from what the center
//! actually holds (rules/privacy/register.json filtered by the center's records), the retention
//! rules, the recipients its members agreed to, the deadlines of data subjects' requests and
//! its privacy officer. Each change of those inputs publishes a new version; old versions
//! stay readable. Public: no sign-in, no personal data (counts are not shown either).

use std::sync::OnceLock;

use gajok_domain::code_list::CodeList;
use gajok_domain::people::Recipient;
use gajok_domain::person::Phone;
use gajok_domain::text;
use gajok_store::audit::{self, NewEvent};
use gajok_store::orgs::{self, OrgUnit};
use gajok_store::privacy::policy::{self as store, Officer};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::error::{AppError, AppResult};
use crate::principal::Principal;
use crate::privacy::{requests, retention};
use crate::{App, authz};

const REGISTER: &str = include_str!("../../../../rules/privacy/register.json");

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Register {
    pub version: String,
    pub note: String,
    pub files: Vec<RegisterFile>,
    pub remedies: Vec<Remedy>,
    pub remedies_source: String,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct RegisterFile {
    pub id: String,
    pub name_ko: String,
    pub purpose_ko: String,
    pub basis_ko: String,
    pub items_ko: String,
    pub retention: String,
    pub present_when: String,
    pub source: String,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct Remedy {
    pub name_ko: String,
    pub contact: String,
}

pub fn register() -> &'static Register {
    static R: OnceLock<Register> = OnceLock::new();
    R.get_or_init(|| serde_json::from_str(REGISTER).expect("rules/privacy/register.json is valid (tested)"))
}

/// One personal-data file as published.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub struct PolicyFile {
    pub name: String,
    pub purpose: String,
    pub basis: String,
    pub items: String,
    pub retention: String,
    pub retention_basis: String,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub struct RightsDeadline {
    pub kind: String,
    pub days: u64,
    pub basis: String,
}

/// The policy's content: every section PIPA Art. 30 and its decree (Art. 31) ask for.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub struct PolicyContent {
    pub center_name: String,
    pub center_address: Option<String>,
    pub center_phone: Option<String>,
    pub files: Vec<PolicyFile>,
    /// Recipients (Korean names) the center's members agreed to.
    pub recipients: Vec<String>,
    pub rights: Vec<RightsDeadline>,
    pub destruction: Vec<String>,
    pub safeguards: Vec<String>,
    pub officer: Option<Officer>,
    pub cctv: Option<(i64, i64)>,
    pub remedies: Vec<Remedy>,
    pub register_version: String,
    pub retention_version: String,
    pub requests_version: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct PublishedPolicy {
    pub center_code: String,
    pub version: i64,
    pub created_at: String,
    pub latest: i64,
    pub content: PolicyContent,
    pub versions: Vec<(i64, String)>,
}

#[derive(Debug, Default, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct OfficerInput {
    #[serde(default, deserialize_with = "crate::input::text_or_number")]
    pub center_id: Option<String>,
    pub name: Option<String>,
    pub title: Option<String>,
    pub phone: Option<String>,
    pub email: Option<String>,
    #[serde(rename = "_csrf", default)]
    pub csrf: Option<String>,
}

impl App {
    async fn policy_content(&self, center: &OrgUnit) -> AppResult<PolicyContent> {
        let facts = store::facts(&self.store, center.id).await?;
        let reg = register();
        let ret = retention::rules();
        let mut files = Vec::new();
        for f in &reg.files {
            let present = match f.present_when.as_str() {
                "always" => true,
                "foreign_ids" => facts.foreign_ids > 0,
                "counseling_notes" => facts.counseling_notes > 0,
                "nanumteo_visits" => facts.nanumteo_visits > 0,
                "separated_records" => facts.separated_records > 0,
                other => return Err(AppError::Internal(format!("register: unknown present_when {other}"))),
            };
            if !present {
                continue;
            }
            let k = ret
                .kinds
                .iter()
                .find(|k| k.kind == f.retention)
                .ok_or_else(|| AppError::Internal(format!("register: unknown retention kind {}", f.retention)))?;
            files.push(PolicyFile {
                name: f.name_ko.clone(),
                purpose: f.purpose_ko.clone(),
                basis: f.basis_ko.clone(),
                items: f.items_ko.clone(),
                retention: k.period_ko(),
                retention_basis: k.basis_ko.clone(),
            });
        }
        let recipients = facts
            .recipients
            .iter()
            .map(|c| Recipient::parse(c).map(|r| r.label_ko().to_string()).unwrap_or_else(|| c.clone()))
            .collect();
        let rights = requests::rules()
            .kinds
            .iter()
            .map(|k| RightsDeadline { kind: k.label_ko.clone(), days: k.days, basis: k.basis_ko.clone() })
            .collect();
        let destruction = vec![
            "보유기간이 지나거나 처리 목적이 달성된 개인정보는 지체 없이 파기합니다. 다른 법령에 따라 보존해야 하는 경우 별도의 저장공간으로 옮겨 보관합니다.".into(),
            "파기 계획 수립 → 파기 대상 선정 → 개인정보 보호책임자 승인 → 파기의 절차를 따르며, 파기 대장에 기록합니다.".into(),
            "전자 파일은 복구할 수 없는 방법으로 비식별 처리 또는 삭제하고(실적 통계는 보존), 종이 문서는 분쇄하거나 소각합니다.".into(),
        ];
        let safeguards = vec![
            "관리적 조치: 내부관리계획 수립·시행, 개인정보 취급자 정기 교육".into(),
            "기술적 조치: 개인정보처리시스템 접근권한 관리(센터 범위, 민감정보 별도 권한), 접속기록 보관·위변조 방지(해시 체인)·월 1회 이상 점검, 고유식별정보 암호화(AES-256-GCM), 비밀번호 일방향 암호화".into(),
            "물리적 조치: 전산실·자료보관실 출입 통제".into(),
        ];
        Ok(PolicyContent {
            center_name: center.name.clone(),
            center_address: center.address.clone(),
            center_phone: center.phone.clone(),
            files,
            recipients,
            rights,
            destruction,
            safeguards,
            officer: store::officer(self.store.reader(), center.id).await?,
            cctv: (facts.cctv_units > 0).then_some((facts.cctv_units, facts.cctv_retention_days)),
            remedies: register().remedies.clone(),
            register_version: reg.version.clone(),
            retention_version: ret.version.clone(),
            requests_version: requests::rules().version.clone(),
        })
    }

    /// Regenerates the center's policy and publishes a new version when its inputs changed.
    async fn publish_policy(&self, center: &OrgUnit) -> AppResult<i64> {
        let content = self.policy_content(center).await?;
        let json = serde_json::to_string(&content).map_err(|e| AppError::Internal(e.to_string()))?;
        let hash = hex::encode(Sha256::digest(json.as_bytes()));
        let mut tx = self.store.begin().await?;
        match store::publish(&mut tx, center.id, &hash, &json).await {
            Ok(v) => {
                tx.commit().await?;
                Ok(v)
            }
            // Two first visits at once: the other one published this version; show it.
            Err(gajok_store::StoreError::Duplicate(_)) => {
                drop(tx);
                let v = store::latest(self.store.reader(), center.id).await?.ok_or(AppError::NotFound)?;
                Ok(v.version)
            }
            Err(e) => Err(e.into()),
        }
    }

    async fn public_center(&self, code: &str) -> AppResult<OrgUnit> {
        let u = orgs::by_code(&self.store, code).await?.ok_or(AppError::NotFound)?;
        if u.kind != gajok_domain::org::OrgKind::Center || !u.active {
            return Err(AppError::NotFound);
        }
        Ok(u)
    }

    /// The public privacy policy of a center: the current version (published now if the
    /// inputs changed since the last one) or, with `version`, an earlier one.
    pub async fn privacy_policy(&self, center_code: &str, version: Option<i64>) -> AppResult<PublishedPolicy> {
        let center = self.public_center(center_code).await?;
        let latest = match version {
            None => self.publish_policy(&center).await?,
            Some(_) => store::latest(self.store.reader(), center.id).await?.map(|v| v.version).unwrap_or(0),
        };
        let want = version.unwrap_or(latest);
        let v = store::version(&self.store, center.id, want).await?.ok_or(AppError::NotFound)?;
        let content: PolicyContent =
            serde_json::from_str(&v.content).map_err(|e| AppError::Internal(format!("policy content: {e}")))?;
        Ok(PublishedPolicy {
            center_code: center.code,
            version: v.version,
            created_at: v.created_at,
            latest,
            content,
            versions: store::versions(&self.store, center.id).await?,
        })
    }

    /// Names the center's privacy officer (published in the policy).
    pub async fn set_privacy_officer(&self, p: &Principal, input: &OfficerInput) -> AppResult<()> {
        let center_id = match input.center_id.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
            Some(s) => s.parse().map_err(|_| AppError::one_field("center_id", "invalid_number"))?,
            None => *authz::member_centers(p).first().ok_or(AppError::Forbidden)?,
        };
        let center = orgs::get(self.store.reader(), center_id).await?.ok_or(AppError::NotFound)?;
        if !authz::can_edit_privacy_policy(p, &center) {
            return Err(if authz::can_view_org(p, &center) { AppError::Forbidden } else { AppError::NotFound });
        }
        let mut e = gajok_domain::FieldErrors::new();
        let name = text::clean(input.name.as_deref().unwrap_or(""));
        if name.is_empty() {
            e.push(gajok_domain::FieldError::new("name", "required"));
        }
        let title = text::clean(input.title.as_deref().unwrap_or(""));
        if title.is_empty() {
            e.push(gajok_domain::FieldError::new("title", "required"));
        }
        let phone = e.take(Phone::parse("phone", input.phone.as_deref().unwrap_or("")));
        let email = text::clean_opt(input.email.as_deref());
        if email.as_deref().is_some_and(|m| !m.contains('@') || m.len() > 200) {
            e.push(gajok_domain::FieldError::new("email", "invalid_email"));
        }
        e.finish()?;
        let phone = phone.ok_or_else(|| AppError::Internal("validated input incomplete".into()))?.into_inner();
        let mut tx = self.store.begin().await?;
        store::put_officer(&mut tx, center.id, &Officer { name, title, phone, email }, p.user.id).await?;
        audit::record(
            &mut tx,
            &p.actor(),
            NewEvent {
                action: "update",
                entity_type: "privacy_officer",
                entity_id: center.id.to_string(),
                org_unit_id: Some(center.id),
                org_path: center.path.clone(),
                summary: format!("개인정보 보호책임자 지정: {}", center.name),
                before: None,
                after: None,
            },
        )
        .await?;
        tx.commit().await?;
        self.publish_policy(&center).await?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_register_parses_and_refers_to_known_retention_kinds() {
        let r = register();
        assert!(r.files.iter().any(|f| f.present_when == "always"));
        for f in &r.files {
            assert!(retention::rules().kinds.iter().any(|k| k.kind == f.retention), "{}", f.id);
            assert!(!f.source.is_empty() && !f.basis_ko.is_empty(), "{}", f.id);
        }
        assert!(!r.remedies.is_empty());
    }
}
