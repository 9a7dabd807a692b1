//! Membership of a space: the combined 나눔터 + 품앗이 application (서식3) of a family, on
//! top of the member and family records. The privacy consent (서식12) is the member's own
//! consent record; an application without it is refused, naming the form (seed 001
//! L1848-1851: 동의를 거부할 경우 공동육아나눔터 가입 및 서비스 이용이 거부될 수 있습니다).

use std::collections::HashMap;

use gajok_domain::code_list::CodeList;
use gajok_domain::field::{FieldError, FieldErrors};
use gajok_domain::nanumteo::PumasiKind;
use gajok_domain::nanumteo_safety::{JoinMode, PartnerPref, PumasiFrequency};
use gajok_domain::people::{ConsentKind, Relation, age_on};
use gajok_domain::time::parse_date;
use gajok_domain::{mask, text};
use gajok_store::access_log::NewAccess;
use gajok_store::audit::{self, NewEvent};
use gajok_store::nanumteo::membership::{self as store, FormChild, Membership, NewMembership};
use gajok_store::nanumteo::spaces;
use gajok_store::orgs::OrgUnit;
use gajok_store::people::{self, Consent, Member};
use serde::Serialize;

use super::refusal::{NtResult, Refusal};
use super::safety::today;
use super::safety_rules::safety_rules_on;
use crate::error::{AppError, AppResult};
use crate::principal::Principal;
use crate::{App, authz};

/// Whether the member holds the required collection-and-use consent now (agreed, not withdrawn).
pub fn has_required_consent(consents: &[Consent]) -> bool {
    consents.iter().any(|c| c.kind == ConsentKind::CollectionUse && c.agreed && c.withdrawn_at.is_none())
}

/// Third-party provision (MOGEF, KIHF, other spaces) agreed: optional, shown on the form.
pub fn has_third_party(consents: &[Consent]) -> bool {
    consents.iter().any(|c| c.kind == ConsentKind::ThirdParty && c.agreed && c.withdrawn_at.is_none())
}

#[derive(Debug, Clone, Serialize)]
pub struct ChildChoice {
    pub member_id: i64,
    pub name: String,
    pub sex: String,
    pub age: i64,
}

#[derive(Debug, Clone, Serialize)]
pub struct ApplyForm {
    pub site: OrgUnit,
    pub applicant: Member,
    pub family_name: Option<String>,
    pub children: Vec<ChildChoice>,
    pub consent_ok: bool,
    pub third_party: bool,
    pub today: String,
    pub previous: Vec<Membership>,
    pub consent_rule: String,
    pub rules_rule: String,
}

/// A line of the list of a space's member families (names masked).
#[derive(Debug, Clone, Serialize)]
pub struct MemberFamilyLine {
    pub id: i64,
    pub family_id: i64,
    pub family_name: String,
    pub applicant_id: i64,
    pub applicant_name: String,
    pub applied_on: String,
    pub use_space: bool,
    pub join_pumasi: bool,
    pub children: usize,
    pub children_ages: String,
    pub kinds: Vec<&'static str>,
}

#[derive(Debug, Clone, Serialize)]
pub struct MembersView {
    pub site: OrgUnit,
    pub lines: Vec<MemberFamilyLine>,
    pub families: usize,
    pub pumasi: usize,
}

pub type ApplyInput = HashMap<String, String>;

fn on(input: &ApplyInput, k: &str) -> bool {
    matches!(input.get(k).map(|s| s.trim()), Some("on" | "true" | "1" | "yes"))
}

fn many(input: &ApplyInput, k: &str) -> Vec<String> {
    input
        .get(k)
        .map(|s| s.split(',').map(str::trim).filter(|x| !x.is_empty()).map(str::to_string).collect())
        .unwrap_or_default()
}

impl App {
    fn children_of(&self, family: &[Member], applicant: &Member) -> Vec<ChildChoice> {
        let today = today();
        family
            .iter()
            .filter(|m| m.id != applicant.id)
            .filter(|m| m.relation == Some(Relation::Child) || m.guardian_id == Some(applicant.id))
            .map(|m| ChildChoice {
                member_id: m.id,
                name: m.name.clone(),
                sex: m.sex.label_ko().to_string(),
                age: parse_date(&m.birth_date).map(|b| age_on(b, today) as i64).unwrap_or(0),
            })
            .collect()
    }

    /// The application form for a member's family (an access-logged read of the family).
    pub async fn nts_apply_form(&self, p: &Principal, site_id: i64, member_id: i64) -> AppResult<ApplyForm> {
        let (site, center) = self.nanumteo_site(p, site_id).await?;
        let m = self.member_in_scope(p, member_id).await?;
        if m.center_id != center.id {
            return Err(AppError::NotFound);
        }
        let (family_name, family) = match m.family_id {
            Some(f) => (
                people::family(self.store.reader(), f).await?.map(|f| f.name),
                people::family_members(&self.store, f).await?,
            ),
            None => (None, Vec::new()),
        };
        let consents = people::consents(self.store.reader(), m.id).await?;
        let previous = match m.family_id {
            Some(f) => store::of_family(&self.store, f).await?,
            None => Vec::new(),
        };
        self.log_access(
            p,
            NewAccess {
                action: "read",
                subject_type: "member",
                subject_id: m.id.to_string(),
                org_unit_id: Some(center.id),
                org_path: center.path.clone(),
                detail: "공동육아나눔터 가입신청서 작성".into(),
            },
        )
        .await?;
        let r = safety_rules_on(today());
        Ok(ApplyForm {
            site,
            children: self.children_of(&family, &m),
            consent_ok: has_required_consent(&consents),
            third_party: has_third_party(&consents),
            applicant: m,
            family_name,
            today: today().to_string(),
            previous,
            consent_rule: r.rule("membership_consent_required").to_string(),
            rules_rule: r.rule("membership_rules_explained").to_string(),
        })
    }

    /// Records a family's application (서식3). Refused without the required consent (서식12)
    /// or without the usage rules explained (서식3, L452); nothing is written then.
    pub async fn nts_apply(&self, p: &Principal, site_id: i64, input: &ApplyInput) -> NtResult<i64> {
        let (site, center) = self.nanumteo_site(p, site_id).await?;
        let member_id: i64 = input
            .get("member_id")
            .and_then(|s| s.trim().parse().ok())
            .ok_or_else(|| AppError::one_field("member_id", "invalid_number"))?;
        let m = self.member_in_scope(p, member_id).await?;
        if m.center_id != center.id {
            return Err(AppError::NotFound.into());
        }
        let r = safety_rules_on(today());
        let mut e = FieldErrors::new();
        let applied_on = match input.get("date").map(|s| s.trim()).filter(|s| !s.is_empty()) {
            Some(d) => e.take(parse_date(d).ok_or(FieldError::new("date", "invalid_date"))),
            None => Some(today()),
        };
        let Some(family_id) = m.family_id else {
            e.push(FieldError::new("family_id", "required"));
            return Err(AppError::from(e).into());
        };
        let use_space = on(input, "use_space");
        let join_pumasi = on(input, "join_pumasi");
        if !use_space && !join_pumasi {
            e.push(FieldError::new("purpose", "required"));
        }
        let kinds = many(input, "pumasi_kinds");
        for k in &kinds {
            if PumasiKind::parse(k).is_none() {
                e.push(FieldError::new("kind", "invalid_choice"));
            }
        }
        let prefs = many(input, "partner_pref");
        for k in &prefs {
            if PartnerPref::parse(k).is_none() {
                e.push(FieldError::new("partner_pref", "invalid_choice"));
            }
        }
        let join_mode = match input.get("join_mode").map(|s| s.trim()).filter(|s| !s.is_empty()) {
            Some(s) => e.take(JoinMode::parse(s).ok_or(FieldError::new("join_mode", "invalid_choice"))),
            None => None,
        };
        if join_pumasi && join_mode.is_none() {
            e.push(FieldError::new("join_mode", "required"));
        }
        let frequency = match input.get("frequency").map(|s| s.trim()).filter(|s| !s.is_empty()) {
            Some(s) => e.take(PumasiFrequency::parse(s).ok_or(FieldError::new("frequency", "invalid_choice"))),
            None => None,
        };
        let fee = match input.get("amount").map(|s| s.trim()).filter(|s| !s.is_empty()) {
            Some(s) => e.take(
                s.parse::<i64>()
                    .ok()
                    .filter(|n| (0..=1_000_000).contains(n))
                    .ok_or(FieldError::new("amount", "invalid_number")),
            ),
            None => Some(0),
        };
        e.clone().finish().map_err(AppError::from)?;
        let family = people::family_members(&self.store, family_id).await?;
        let choices = self.children_of(&family, &m);
        let children: Vec<FormChild> = choices
            .iter()
            .filter(|c| on(input, &format!("child_{}", c.member_id)))
            .map(|c| FormChild {
                member_id: c.member_id,
                name: c.name.clone(),
                sex: c.sex.clone(),
                age: c.age,
                school: text::clean_opt(input.get(&format!("school_{}", c.member_id)).map(String::as_str)),
            })
            .collect();
        // The rules of the form, after the input is well-formed: each refusal names its rule.
        let consents = people::consents(self.store.reader(), m.id).await?;
        if !has_required_consent(&consents) {
            return Err(Refusal::new("membership-consent", r.rule("membership_consent_required"))
                .arg("name", &m.name)
                .into());
        }
        if !on(input, "rules_explained") {
            return Err(Refusal::new("membership-rules", r.rule("membership_rules_explained")).into());
        }
        let n = NewMembership {
            space_id: site_id,
            family_id,
            applicant_id: m.id,
            applied_on: applied_on.unwrap_or_else(today).to_string(),
            use_space,
            join_pumasi,
            join_mode: if join_pumasi { join_mode } else { None },
            pumasi_kinds: if join_pumasi { kinds } else { Vec::new() },
            frequency: if join_pumasi { frequency } else { None },
            partner_pref: if join_pumasi { prefs } else { Vec::new() },
            pumasi_experienced: on(input, "pumasi_experienced"),
            email_news: on(input, "email_news"),
            occupation: text::clean_opt(input.get("occupation").map(String::as_str)),
            children,
            rules_explained: true,
            fee_paid: fee.unwrap_or(0),
            note: text::clean_opt(input.get("note").map(String::as_str)),
        };
        let mut tx = self.store.begin().await?;
        let id = store::insert(&mut tx, center.id, &n, p.user.id).await?;
        audit::record(
            &mut tx,
            &p.actor(),
            NewEvent {
                action: "create",
                entity_type: "nanumteo_membership",
                entity_id: id.to_string(),
                org_unit_id: Some(site.id),
                org_path: site.path.clone(),
                summary: format!("공동육아나눔터 가입신청 (자녀 {}명)", n.children.len()),
                before: None,
                after: Some(serde_json::json!({
                    "family_id": family_id, "use_space": use_space, "join_pumasi": join_pumasi,
                })),
            },
        )
        .await?;
        tx.commit().await?;
        Ok(id)
    }

    /// The member families of a space, masked (the list is a register, not a record).
    pub async fn nts_members(&self, p: &Principal, site_id: i64) -> AppResult<MembersView> {
        let (site, _) = self.nanumteo_site(p, site_id).await?;
        let all = store::of_space(&self.store, site_id).await?;
        let mut seen = std::collections::BTreeSet::new();
        let mut lines = Vec::new();
        for a in all {
            // The newest application of each family stands for it.
            if !seen.insert(a.family_id) {
                continue;
            }
            lines.push(MemberFamilyLine {
                id: a.id,
                family_id: a.family_id,
                family_name: mask::name(&a.family_name),
                applicant_id: a.applicant_id,
                applicant_name: mask::name(&a.applicant_name),
                applied_on: a.data.applied_on.clone(),
                use_space: a.data.use_space,
                join_pumasi: a.data.join_pumasi,
                children: a.data.children.len(),
                children_ages: a.data.children.iter().map(|c| c.age.to_string()).collect::<Vec<_>>().join(", "),
                kinds: a.data.pumasi_kinds.iter().filter_map(|k| PumasiKind::parse(k)).map(|k| k.label_ko()).collect(),
            });
        }
        let pumasi = lines.iter().filter(|l| l.join_pumasi).count();
        Ok(MembersView { families: lines.len(), pumasi, site, lines })
    }

    /// The 나눔터 part of a member's page: health flags and the family's applications; None
    /// for callers who do not run the center's spaces.
    pub async fn nts_member_panel(&self, p: &Principal, member_id: i64) -> AppResult<Option<MemberPanel>> {
        let m = self.member_in_scope(p, member_id).await?;
        if !authz::can_run_nanumteo(p, m.center_id) {
            return Ok(None);
        }
        // Health is sensitive (PIPA Art. 23): which condition and its note only with the grant;
        // without it the page says only whether entry is restricted.
        let all = spaces::open_flags(&self.store, &[m.id]).await?;
        let restricted = all.iter().any(|f| f.status.restricts_entry());
        let (flags, hidden_flags) =
            if self.can_read_sensitive(p, m.center_id).await? { (all, 0) } else { (Vec::new(), all.len()) };
        let applications = match m.family_id {
            Some(f) => store::of_family(&self.store, f).await?,
            None => Vec::new(),
        };
        let spaces =
            spaces::of_center(&self.store, m.center_id).await?.into_iter().map(|s| (s.org_unit_id, s.name)).collect();
        let rules = super::rules::rules_on(today());
        Ok(Some(MemberPanel {
            member_id: m.id,
            has_family: m.family_id.is_some(),
            flags,
            hidden_flags,
            restricted,
            applications,
            spaces,
            today: today().to_string(),
            flag_rule: rules.rule("visits", "infectious_restriction").to_string(),
        }))
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct MemberPanel {
    pub member_id: i64,
    pub has_family: bool,
    pub flags: Vec<gajok_store::nanumteo::spaces::HealthFlag>,
    /// Open flags not shown for want of the sensitive-records grant, and whether one restricts entry.
    pub hidden_flags: usize,
    pub restricted: bool,
    pub applications: Vec<Membership>,
    pub spaces: Vec<(i64, String)>,
    pub today: String,
    pub flag_rule: String,
}
