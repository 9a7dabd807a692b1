//! Members (이용자) and families: registration with the consent actually given, duplicate
//! check, masked lists, access-logged details, corrections, consent withdrawal.

use chrono::NaiveDate;
use gajok_domain::code_list::CodeList;
use gajok_domain::field::{FieldError, FieldErrors};
use gajok_domain::mask;
use gajok_domain::org::{parse_code, parse_code_opt};
use gajok_domain::people::{ConsentKind, MemberStatus, Recipient, Relation, Sex, age_on, parse_birth_date};
use gajok_domain::person::{PersonName, Phone};
use gajok_domain::text;
use gajok_store::access_log::NewAccess;
use gajok_store::audit::{self, NewEvent};
use gajok_store::orgs;
use gajok_store::people::{self, Consent, Family, Member, MemberData, MemberFilter, NewConsent};
use serde::{Deserialize, Serialize};

use crate::error::{AppError, AppResult};
use crate::input::{flag, opt_text, past_day, text_or_number};
use crate::org::Page;
use crate::principal::Principal;
use crate::{App, authz};

/// Age below which a guardian must consent (seed 001 Ch.6 form 6, L4018-4061).
pub const GUARDIAN_CONSENT_UNDER: i32 = 14;
/// The consent form this registration records (seed 001 Ch.6 서식6).
pub const DEFAULT_FORM_VERSION: &str = "2018-가족역량강화-서식6";

/// The registration form: the person, the family, and the consent given.
#[derive(Debug, Default, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MemberInput {
    #[serde(default, deserialize_with = "text_or_number")]
    pub center_id: Option<String>,
    pub name: Option<String>,
    pub birth_date: Option<String>,
    pub sex: Option<String>,
    pub phone: Option<String>,
    pub address: Option<String>,
    pub nationality: Option<String>,
    #[serde(default, deserialize_with = "flag")]
    pub single_parent: Option<bool>,
    #[serde(default, deserialize_with = "flag")]
    pub grandparent: Option<bool>,
    #[serde(default, deserialize_with = "flag")]
    pub multicultural: Option<bool>,
    #[serde(default, deserialize_with = "flag")]
    pub dual_income: Option<bool>,
    #[serde(default, deserialize_with = "flag")]
    pub low_income: Option<bool>,
    /// Join this family...
    #[serde(default, deserialize_with = "text_or_number")]
    pub family_id: Option<String>,
    /// ...or start a new one (named after the person when blank).
    #[serde(default, deserialize_with = "flag")]
    pub new_family: Option<bool>,
    #[serde(rename = "family_relation")]
    pub relation: Option<String>,
    #[serde(default, deserialize_with = "text_or_number")]
    pub guardian_id: Option<String>,
    /// Consents (registration only): `agree` / `disagree`.
    pub consent_collection: Option<String>,
    pub consent_optional: Option<String>,
    pub consent_third_party: Option<String>,
    #[serde(default, deserialize_with = "flag")]
    pub tp_mogef: Option<bool>,
    #[serde(default, deserialize_with = "flag")]
    pub tp_kihf: Option<bool>,
    #[serde(default, deserialize_with = "flag")]
    pub tp_local_government: Option<bool>,
    #[serde(default, deserialize_with = "flag")]
    pub tp_other_centers: Option<bool>,
    pub form_version: Option<String>,
    pub signed_on: Option<String>,
    pub guardian_name: Option<String>,
    pub guardian_relation: Option<String>,
    pub guardian_phone: Option<String>,
    /// Set after the duplicate warning: register a new record anyway.
    #[serde(default, deserialize_with = "flag")]
    pub confirm_new: Option<bool>,
    #[serde(default, deserialize_with = "text_or_number")]
    pub version: Option<String>,
    #[serde(rename = "_csrf", default)]
    pub csrf: Option<String>,
}

fn opt_id(field: &str, v: &Option<String>) -> Result<Option<i64>, FieldError> {
    match v.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
        None => Ok(None),
        Some(s) => s.parse().map(Some).map_err(|_| FieldError::new(field, "invalid_number")),
    }
}

fn agree(field: &str, v: &Option<String>, required: bool) -> Result<Option<bool>, FieldError> {
    match v.as_deref().map(str::trim) {
        Some("agree") => Ok(Some(true)),
        Some("disagree") => Ok(Some(false)),
        None | Some("") if !required => Ok(None),
        None | Some("") => Err(FieldError::new(field, "required")),
        Some(_) => Err(FieldError::new(field, "unknown_value").with_allowed(vec!["agree".into(), "disagree".into()])),
    }
}

struct Parsed {
    data: MemberData,
    new_family: bool,
}

impl MemberInput {
    fn parse_person(&self, e: &mut FieldErrors, today: NaiveDate) -> Option<Parsed> {
        let name = e.take(PersonName::parse("name", self.name.as_deref().unwrap_or("")));
        let birth = e.take(parse_birth_date("birth_date", self.birth_date.as_deref().unwrap_or(""), today));
        let sex = e.take(parse_code::<Sex>("sex", self.sex.as_deref().unwrap_or("")));
        let phone = match self.phone.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
            None => None,
            Some(p) => e.take(Phone::parse("phone", p)).map(Phone::into_inner),
        };
        let address = e.take(opt_text("address", &self.address, 200)).flatten();
        let nationality = match text::clean_opt(self.nationality.as_deref()) {
            None => Some("KR".to_string()),
            Some(n) if n.len() == 2 && n.chars().all(|c| c.is_ascii_alphabetic()) => Some(n.to_ascii_uppercase()),
            Some(_) => {
                e.push(FieldError::new("nationality", "invalid_country"));
                None
            }
        };
        let relation = e.take(parse_code_opt::<Relation>("family_relation", self.relation.as_deref())).flatten();
        let family_id = e.take(opt_id("family_id", &self.family_id)).flatten();
        let guardian_id = e.take(opt_id("guardian_id", &self.guardian_id)).flatten();
        Some(Parsed {
            data: MemberData {
                name: name?.into_inner(),
                birth_date: birth?.format("%Y-%m-%d").to_string(),
                sex: sex?,
                phone,
                address,
                nationality: nationality?,
                single_parent: self.single_parent.unwrap_or(false),
                grandparent: self.grandparent.unwrap_or(false),
                multicultural: self.multicultural.unwrap_or(false),
                dual_income: self.dual_income.unwrap_or(false),
                low_income: self.low_income.unwrap_or(false),
                family_id,
                relation,
                guardian_id,
            },
            new_family: self.new_family.unwrap_or(false),
        })
    }

    /// The consents as given. Refusing the required one blocks registration (form 6: "센터
    /// 회원가입 및 서비스 이용이 제한될 수 있습니다").
    fn parse_consents(&self, e: &mut FieldErrors, person: Option<&MemberData>, today: NaiveDate) -> Vec<NewConsent> {
        let collection = e.take(agree("consent_collection", &self.consent_collection, true)).flatten();
        if collection == Some(false) {
            e.push(FieldError::new("consent_collection", "required_consent_refused"));
        }
        let optional = e.take(agree("consent_optional", &self.consent_optional, false)).flatten();
        let third = e.take(agree("consent_third_party", &self.consent_third_party, false)).flatten();
        let signed_on = e.take(past_day("signed_on", self.signed_on.as_deref(), today));
        let form_version =
            text::clean_opt(self.form_version.as_deref()).unwrap_or_else(|| DEFAULT_FORM_VERSION.to_string());
        // A child under 14 cannot consent alone: the guardian signs.
        let child = person
            .and_then(|p| gajok_domain::time::parse_date(&p.birth_date))
            .is_some_and(|b| age_on(b, today) < GUARDIAN_CONSENT_UNDER);
        let mut guardian: Option<(String, Option<String>, Option<String>)> = None;
        if child {
            let gname = e.take(PersonName::parse("guardian_name", self.guardian_name.as_deref().unwrap_or("")));
            let grel = e.take(opt_text("guardian_relation", &self.guardian_relation, 20)).flatten();
            if grel.is_none() {
                e.push(FieldError::new("guardian_relation", "required_for_child"));
            }
            let gphone = match self.guardian_phone.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
                None => {
                    e.push(FieldError::new("guardian_phone", "required_for_child"));
                    None
                }
                Some(p) => e.take(Phone::parse("guardian_phone", p)).map(Phone::into_inner),
            };
            if let Some(g) = gname {
                guardian = Some((g.into_inner(), grel, gphone));
            }
        }
        let (Some(collection), Some(signed_on), Some(person)) = (collection, signed_on, person) else {
            return Vec::new();
        };
        let (signer_name, signer_role, grel, gphone) = match &guardian {
            Some((n, r, p)) => (n.clone(), "guardian", r.clone(), p.clone()),
            None => (person.name.clone(), "self", None, None),
        };
        let make = |kind, agreed, recipients: Vec<String>| NewConsent {
            kind,
            recipients,
            agreed,
            form_version: form_version.clone(),
            signed_on: signed_on.format("%Y-%m-%d").to_string(),
            signer_name: signer_name.clone(),
            signer_role,
            guardian_relation: grel.clone(),
            guardian_phone: gphone.clone(),
        };
        let mut out = vec![make(ConsentKind::CollectionUse, collection, Vec::new())];
        if let Some(o) = optional {
            out.push(make(ConsentKind::OptionalItems, o, Vec::new()));
        }
        if let Some(t) = third {
            let recipients: Vec<String> = [
                (self.tp_mogef, Recipient::Mogef),
                (self.tp_kihf, Recipient::Kihf),
                (self.tp_local_government, Recipient::LocalGovernment),
                (self.tp_other_centers, Recipient::OtherCenters),
            ]
            .iter()
            .filter(|(on, _)| on.unwrap_or(false))
            .map(|(_, r)| r.code().to_string())
            .collect();
            if t && recipients.is_empty() {
                e.push(FieldError::new("consent_third_party", "recipients_required"));
            }
            out.push(make(ConsentKind::ThirdParty, t, if t { recipients } else { Vec::new() }));
        }
        out
    }
}

/// A row of the member list: personal data masked.
#[derive(Debug, Clone, Serialize)]
pub struct MemberSummary {
    pub id: i64,
    pub center_id: i64,
    pub name_masked: String,
    pub birth_year: String,
    pub sex: Sex,
    pub phone_masked: Option<String>,
    pub family_id: Option<i64>,
    pub status: MemberStatus,
    pub flags: Vec<&'static str>,
}

fn summary(m: &Member) -> MemberSummary {
    let mut flags = Vec::new();
    for (on, f) in [
        (m.single_parent, "single_parent"),
        (m.grandparent, "grandparent"),
        (m.multicultural, "multicultural"),
        (m.dual_income, "dual_income"),
        (m.low_income, "low_income"),
    ] {
        if on {
            flags.push(f);
        }
    }
    MemberSummary {
        id: m.id,
        center_id: m.center_id,
        name_masked: mask::name(&m.name),
        birth_year: m.birth_date.get(..4).unwrap_or("").to_string(),
        sex: m.sex,
        phone_masked: m.phone.as_deref().map(mask::phone),
        family_id: m.family_id,
        status: m.status,
        flags,
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct MemberDetail {
    pub member: Member,
    pub age: i32,
    pub family: Option<Family>,
    pub family_members: Vec<MemberSummary>,
    pub consents: Vec<Consent>,
    pub programs: Vec<(i64, String)>,
}

/// What a registration produced.
#[derive(Debug, Clone, Serialize)]
pub enum Registered {
    Created(Box<Member>),
    /// Same name, birth date and phone already registered in the center: the caller chooses
    /// to open one of these or to confirm a new record.
    PossibleDuplicates(Vec<MemberSummary>),
}

impl App {
    /// Today in Korea: the service date of anything recorded now.
    pub(crate) fn today(&self) -> NaiveDate {
        gajok_domain::time::kst_date(chrono::Utc::now())
    }

    /// The center a write happens in: the one named, else the caller's only center.
    pub fn resolve_center(&self, p: &Principal, given: Option<&str>) -> AppResult<i64> {
        let mine = authz::member_centers(p);
        match given.map(str::trim).filter(|s| !s.is_empty()) {
            Some(s) => {
                let id: i64 = s.parse().map_err(|_| AppError::one_field("center_id", "invalid_number"))?;
                if mine.contains(&id) { Ok(id) } else { Err(AppError::Forbidden) }
            }
            None => mine.first().copied().ok_or(AppError::Forbidden),
        }
    }

    /// Records a download of personal data (a masked list) in the access log, with the reason
    /// the downloader gave (안전성 확보조치 기준 제8조: 다운로드 사유 확인).
    pub async fn log_export(&self, p: &Principal, what: &'static str, rows: usize, reason: &str) -> AppResult<()> {
        let center = authz::member_centers(p).first().copied().ok_or(AppError::Forbidden)?;
        let unit = orgs::get(self.store.reader(), center).await?.ok_or(AppError::NotFound)?;
        self.log_access(
            p,
            NewAccess {
                action: "export",
                subject_type: what,
                subject_id: "-".into(),
                org_unit_id: Some(unit.id),
                org_path: unit.path,
                detail: format!("{rows} rows, masked; reason: {reason}"),
            },
        )
        .await?;
        Ok(())
    }

    pub async fn list_members(
        &self,
        p: &Principal,
        q: Option<&str>,
        family_id: Option<i64>,
        page: i64,
    ) -> AppResult<Page<MemberSummary>> {
        let centers = authz::member_centers(p);
        authz::require(!centers.is_empty())?;
        let per_page = 50;
        let page = page.max(1);
        let f = MemberFilter {
            center_ids: centers,
            q: q.map(text::clean).filter(|s| !s.is_empty()),
            family_id,
            limit: per_page,
            offset: crate::org::page_offset(page, per_page),
        };
        let (list, total) = people::search(&self.store, &f).await?;
        Ok(Page { items: list.iter().map(summary).collect(), total, page, per_page })
    }

    /// A member the caller may work with, or NotFound.
    pub async fn member_in_scope(&self, p: &Principal, id: i64) -> AppResult<Member> {
        let m = people::get(self.store.reader(), id).await?.ok_or(AppError::NotFound)?;
        if !authz::can_work_in_center(p, m.center_id) {
            return Err(AppError::NotFound);
        }
        Ok(m)
    }

    /// Opens a member's record: an access-logged read.
    pub async fn member_detail(&self, p: &Principal, id: i64) -> AppResult<MemberDetail> {
        let member = self.member_in_scope(p, id).await?;
        let family = match member.family_id {
            Some(f) => people::family(self.store.reader(), f).await?,
            None => None,
        };
        let family_members = match &family {
            Some(f) => {
                people::family_members(&self.store, f.id).await?.iter().filter(|m| m.id != id).map(summary).collect()
            }
            None => Vec::new(),
        };
        let consents = people::consents(self.store.reader(), id).await?;
        let programs = gajok_store::programs::member_programs(&self.store, id).await?;
        let center = orgs::get(self.store.reader(), member.center_id).await?.ok_or(AppError::NotFound)?;
        self.log_access(
            p,
            NewAccess {
                action: "view",
                subject_type: "member",
                subject_id: id.to_string(),
                org_unit_id: Some(center.id),
                org_path: center.path.clone(),
                detail: "member detail".into(),
            },
        )
        .await?;
        let age = gajok_domain::time::parse_date(&member.birth_date).map(|b| age_on(b, self.today())).unwrap_or(0);
        Ok(MemberDetail { member, age, family, family_members, consents, programs })
    }

    pub async fn register_member(&self, p: &Principal, input: &MemberInput) -> AppResult<Registered> {
        let center_id = self.resolve_center(p, input.center_id.as_deref())?;
        let center = orgs::get(self.store.reader(), center_id).await?.ok_or(AppError::NotFound)?;
        let today = self.today();
        let mut e = FieldErrors::new();
        let parsed = input.parse_person(&mut e, today);
        let consents = input.parse_consents(&mut e, parsed.as_ref().map(|p| &p.data), today);
        if let Some(pd) = &parsed {
            self.check_links(&mut e, center_id, &pd.data).await?;
        }
        e.finish()?;
        let Some(Parsed { mut data, new_family }) = parsed else {
            return Err(AppError::Internal("validated input incomplete".into()));
        };
        if !input.confirm_new.unwrap_or(false) {
            let dups =
                people::duplicates(&self.store, center_id, &data.name, &data.birth_date, data.phone.as_deref()).await?;
            if !dups.is_empty() {
                return Ok(Registered::PossibleDuplicates(dups.iter().map(summary).collect()));
            }
        }
        let mut tx = self.store.begin().await?;
        if new_family && data.family_id.is_none() {
            let fam = people::insert_family(&mut tx, center_id, &format!("{} 가족", data.name)).await?;
            data.family_id = Some(fam.id);
            if data.relation.is_none() {
                data.relation = Some(Relation::Reference);
            }
        }
        let member = people::insert(&mut tx, center_id, &data, &today.format("%Y-%m-%d").to_string()).await?;
        for c in &consents {
            people::insert_consent(&mut tx, center_id, member.id, c, p.user.id).await?;
        }
        let consent_json: Vec<_> = consents.iter().map(|c| serde_json::json!({ "kind": c.kind, "agreed": c.agreed, "recipients": c.recipients, "form_version": c.form_version, "signer_role": c.signer_role })).collect();
        audit::record(
            &mut tx,
            &p.actor(),
            NewEvent {
                action: "create",
                entity_type: "member",
                entity_id: member.id.to_string(),
                org_unit_id: Some(center_id),
                org_path: center.path.clone(),
                // No personal data in the summary: the audit log is searched by officials.
                summary: format!("이용자 등록 #{}", member.id),
                before: None,
                after: Some(serde_json::json!({ "member_id": member.id, "consents": consent_json })),
            },
        )
        .await?;
        tx.commit().await?;
        Ok(Registered::Created(Box::new(member)))
    }

    /// A family, guardian or center named in the input must be in the same center.
    async fn check_links(&self, e: &mut FieldErrors, center_id: i64, d: &MemberData) -> AppResult<()> {
        if let Some(f) = d.family_id {
            match people::family(self.store.reader(), f).await? {
                Some(fam) if fam.center_id == center_id => {}
                _ => e.push(FieldError::new("family_id", "not_in_center")),
            }
        }
        if let Some(g) = d.guardian_id {
            match people::get(self.store.reader(), g).await? {
                Some(m) if m.center_id == center_id => {}
                _ => e.push(FieldError::new("guardian_id", "not_in_center")),
            }
        }
        Ok(())
    }

    pub async fn update_member(&self, p: &Principal, id: i64, input: &MemberInput) -> AppResult<Member> {
        let before = self.member_in_scope(p, id).await?;
        let today = self.today();
        let mut e = FieldErrors::new();
        let parsed = input.parse_person(&mut e, today);
        if let Some(pd) = &parsed {
            self.check_links(&mut e, before.center_id, &pd.data).await?;
        }
        let version = e.take(
            input
                .version
                .as_deref()
                .and_then(|v| v.trim().parse::<i64>().ok())
                .ok_or_else(|| FieldError::new("version", "required")),
        );
        e.finish()?;
        let (Some(Parsed { data, .. }), Some(version)) = (parsed, version) else {
            return Err(AppError::Internal("validated input incomplete".into()));
        };
        let center = orgs::get(self.store.reader(), before.center_id).await?.ok_or(AppError::NotFound)?;
        let mut tx = self.store.begin().await?;
        // A pending correction or deletion request freezes the record (model policy, PIPA Art. 36).
        self.ensure_not_frozen(&mut tx, id, "version").await?;
        if !people::update(&mut tx, id, version, &data).await? {
            return Err(AppError::Conflict { code: "stale_version", field: "version" });
        }
        let after = people::get(tx.conn(), id).await?.ok_or(AppError::NotFound)?;
        audit::record(
            &mut tx,
            &p.actor(),
            NewEvent {
                action: "update",
                entity_type: "member",
                entity_id: id.to_string(),
                org_unit_id: Some(center.id),
                org_path: center.path.clone(),
                summary: format!("이용자 정보 수정 #{id}"),
                before: serde_json::to_value(&before).ok(),
                after: serde_json::to_value(&after).ok(),
            },
        )
        .await?;
        tx.commit().await?;
        Ok(after)
    }

    /// Records a withdrawal (never deletes). Withdrawing the required consent restricts the
    /// member: no new enrolment or attendance; past records stay, so counts do not change.
    pub async fn withdraw_consent(
        &self,
        p: &Principal,
        member_id: i64,
        consent_id: i64,
        reason: &str,
    ) -> AppResult<()> {
        let m = self.member_in_scope(p, member_id).await?;
        let all = people::consents(self.store.reader(), member_id).await?;
        let c = all.iter().find(|c| c.id == consent_id).ok_or(AppError::NotFound)?;
        let reason = text::clean(reason);
        if reason.is_empty() {
            return Err(AppError::one_field("reason", "required"));
        }
        let center = orgs::get(self.store.reader(), m.center_id).await?.ok_or(AppError::NotFound)?;
        let mut tx = self.store.begin().await?;
        if !people::withdraw_consent(&mut tx, consent_id, p.user.id, &reason).await? {
            return Err(AppError::Conflict { code: "already_withdrawn", field: "consent" });
        }
        if c.kind == ConsentKind::CollectionUse {
            people::set_status(&mut tx, member_id, MemberStatus::Restricted).await?;
        }
        audit::record(
            &mut tx,
            &p.actor(),
            NewEvent {
                action: "withdraw_consent",
                entity_type: "member",
                entity_id: member_id.to_string(),
                org_unit_id: Some(center.id),
                org_path: center.path.clone(),
                summary: format!("동의 철회: {} (이용자 #{member_id})", c.kind.label_ko()),
                before: None,
                after: Some(serde_json::json!({ "consent_id": consent_id, "kind": c.kind })),
            },
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }
}
