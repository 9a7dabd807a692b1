//! The privacy officer's monthly access-log review (안전성 확보조치 기준 제8조 제2항: 접속기록
//! 월 1회 이상 점검, 다운로드 사유 확인): the month's entries in the officer's scope with
//! anomaly flags, the hash-chain check, and a sign-off per unit and month. Also the reason
//! every download of personal data must carry.
//!
//! The flags' thresholds live in `rules/privacy/access_review.json`, each with where it comes
//! from: the duty is the law's, the numbers are gajok's documented reading.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::sync::OnceLock;

use chrono::{Datelike, NaiveDate, TimeZone, Timelike, Utc, Weekday};
use gajok_domain::text;
use gajok_domain::time;
use gajok_store::StoreError;
use gajok_store::access_log::{self, AccessEntry, ChainReport, NewAccess};
use gajok_store::audit::{self, LogFilter, NewEvent};
use gajok_store::privacy::access_review::{self as store, SignOff};
use gajok_store::{orgs, users};
use serde::{Deserialize, Serialize};

use crate::error::{AppError, AppResult};
use crate::principal::Principal;
use crate::{App, authz};

const RULES: &str = include_str!("../../../../rules/privacy/access_review.json");

/// Entries read for one month's review; beyond this the page says the month was cut short.
pub const MAX_ENTRIES: i64 = 50_000;
/// Longest download reason and sign-off note (characters).
pub const MAX_REASON: usize = 200;
pub const MAX_NOTE: usize = 1000;

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ReviewRules {
    pub version: String,
    pub note: String,
    pub duty: Duty,
    pub mass_views_per_day: Threshold,
    pub working_hours: WorkingHours,
    pub large_export_rows: Threshold,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Duty {
    pub text_ko: String,
    pub source: String,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Threshold {
    pub value: i64,
    pub source: String,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct WorkingHours {
    pub start_hour: u32,
    pub end_hour: u32,
    pub weekdays_only: bool,
    pub source: String,
}

/// The thresholds shipped with this binary (checked by a test).
pub fn rules() -> &'static ReviewRules {
    static R: OnceLock<ReviewRules> = OnceLock::new();
    R.get_or_init(|| serde_json::from_str(RULES).expect("rules/privacy/access_review.json is valid (tested)"))
}

/// Why an entry deserves a look.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Flag {
    /// The account read at least `mass_views_per_day` distinct records that day.
    MassViews,
    /// Outside working hours (Korean time) or on a weekend.
    OffHours,
    /// The record belongs to a unit outside every role the account holds (its caseload:
    /// gajok assigns work by center, so the center is the caseload).
    OutsideScope,
    /// A download of at least `large_export_rows` rows.
    LargeExport,
}

impl Flag {
    pub const ALL: [Flag; 4] = [Flag::MassViews, Flag::OffHours, Flag::OutsideScope, Flag::LargeExport];

    pub fn code(self) -> &'static str {
        match self {
            Flag::MassViews => "mass_views",
            Flag::OffHours => "off_hours",
            Flag::OutsideScope => "outside_scope",
            Flag::LargeExport => "large_export",
        }
    }
}

/// Rows of a download, from the detail `export` entries carry (`"{rows} rows, ..."`).
fn export_rows(e: &AccessEntry) -> Option<i64> {
    if e.action != "export" {
        return None;
    }
    e.detail.split_whitespace().next()?.parse().ok()
}

fn off_hours(r: &WorkingHours, occurred_at: &str) -> bool {
    let Some(t) = time::from_db(occurred_at) else { return false };
    let local = t.with_timezone(&time::kst());
    let weekend = matches!(local.weekday(), Weekday::Sat | Weekday::Sun);
    (r.weekdays_only && weekend) || local.hour() < r.start_hour || local.hour() >= r.end_hour
}

/// The flags of each entry (same order). `scopes_by_user` holds the org paths of each
/// account's roles; an entry of an account not in it (a system job) is never outside scope.
pub fn flag_entries(
    r: &ReviewRules,
    entries: &[AccessEntry],
    scopes_by_user: &HashMap<i64, Vec<String>>,
) -> Vec<Vec<Flag>> {
    // Distinct records per account and Korean day.
    let day = |e: &AccessEntry| time::from_db(&e.occurred_at).map(time::kst_date);
    type AccountDay = (String, Option<NaiveDate>);
    type Record = (String, String);
    let mut per_day: BTreeMap<AccountDay, BTreeSet<Record>> = BTreeMap::new();
    for e in entries.iter().filter(|e| e.subject_id != "-") {
        per_day.entry((e.username.clone(), day(e))).or_default().insert((e.subject_type.clone(), e.subject_id.clone()));
    }
    entries
        .iter()
        .map(|e| {
            let mut f = Vec::new();
            let views = per_day.get(&(e.username.clone(), day(e))).map_or(0, |s| s.len() as i64);
            if views >= r.mass_views_per_day.value {
                f.push(Flag::MassViews);
            }
            if off_hours(&r.working_hours, &e.occurred_at) {
                f.push(Flag::OffHours);
            }
            if let Some(scopes) = e.user_id.and_then(|u| scopes_by_user.get(&u))
                && !scopes.iter().any(|s| e.org_path.starts_with(s.as_str()))
            {
                f.push(Flag::OutsideScope);
            }
            if export_rows(e).is_some_and(|n| n >= r.large_export_rows.value) {
                f.push(Flag::LargeExport);
            }
            f
        })
        .collect()
}

#[derive(Debug, Clone, Serialize)]
pub struct FlaggedEntry {
    pub entry: AccessEntry,
    pub flags: Vec<Flag>,
}

/// A unit the caller reviews as privacy officer.
#[derive(Debug, Clone, Serialize)]
pub struct ReviewUnit {
    pub id: i64,
    pub name: String,
    pub path: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct MonthReview {
    pub unit: ReviewUnit,
    /// Units the caller may review (to switch between).
    pub units: Vec<ReviewUnit>,
    pub month: String,
    /// Every entry of the month in the unit, newest first (at most [`MAX_ENTRIES`]).
    pub entries: Vec<FlaggedEntry>,
    pub total: i64,
    pub flagged: i64,
    pub counts: Vec<(Flag, i64)>,
    pub chain: ChainReport,
    pub sign_off: Option<SignOff>,
    pub rules_version: String,
}

/// `YYYY-MM` → the first day of the month.
fn parse_month(raw: &str) -> AppResult<NaiveDate> {
    let raw = raw.trim();
    let ok = raw.len() == 7 && raw.as_bytes()[4] == b'-';
    ok.then(|| NaiveDate::parse_from_str(&format!("{raw}-01"), "%Y-%m-%d").ok())
        .flatten()
        .filter(|d| d.year() >= 2000 && d.year() <= 9999)
        .ok_or_else(|| AppError::one_field("month", "invalid_date"))
}

/// The instant a Korean calendar day starts, as stored text.
fn kst_day_start(d: NaiveDate) -> String {
    let local = d.and_hms_opt(0, 0, 0).unwrap_or_default();
    let t = time::kst().from_local_datetime(&local).single().unwrap_or_else(|| Utc::now().fixed_offset());
    time::to_db(t.with_timezone(&Utc))
}

/// Checks the reason a download of personal data must carry (trimmed, 1–200 characters).
pub fn download_reason(raw: Option<&str>) -> AppResult<String> {
    match text::clean_opt(raw) {
        None => Err(AppError::one_field("reason", "required")),
        Some(s) if text::char_len(&s) > MAX_REASON => Err(AppError::one_field("reason", "too_long")),
        Some(s) if s.chars().any(char::is_control) => Err(AppError::one_field("reason", "invalid")),
        Some(s) => Ok(s),
    }
}

impl App {
    /// The units where the caller acts as privacy officer.
    fn review_units(&self, p: &Principal) -> Vec<ReviewUnit> {
        let scopes = authz::privacy_officer_scopes(p);
        let mut v: Vec<ReviewUnit> = p
            .roles
            .iter()
            .filter(|r| scopes.contains(&r.org_path))
            .map(|r| ReviewUnit { id: r.org_unit_id, name: r.org_name.clone(), path: r.org_path.clone() })
            .collect();
        v.sort_by(|a, b| a.path.cmp(&b.path));
        v.dedup_by_key(|u| u.id);
        v
    }

    fn review_unit(&self, p: &Principal, unit: Option<i64>) -> AppResult<(ReviewUnit, Vec<ReviewUnit>)> {
        let units = self.review_units(p);
        authz::require(!units.is_empty())?;
        let chosen = match unit {
            None => units.first().cloned(),
            Some(id) => units.iter().find(|u| u.id == id).cloned(),
        };
        Ok((chosen.ok_or(AppError::NotFound)?, units))
    }

    /// The month before the current one in Korea: what a monthly review looks at by default.
    pub fn last_month(&self) -> String {
        let today = time::kst_date(Utc::now());
        let first = today.with_day(1).unwrap_or(today);
        first.pred_opt().unwrap_or(first).format("%Y-%m").to_string()
    }

    /// One month of the access log in a unit, flagged; reading it is itself access-logged.
    pub async fn access_review(&self, p: &Principal, unit: Option<i64>, month: Option<&str>) -> AppResult<MonthReview> {
        let (unit, units) = self.review_unit(p, unit)?;
        let month_s = month.map(str::trim).filter(|s| !s.is_empty()).map_or_else(|| self.last_month(), str::to_string);
        let first = parse_month(&month_s)?;
        let next = first
            .checked_add_months(chrono::Months::new(1))
            .ok_or_else(|| AppError::one_field("month", "invalid_date"))?;
        let f = LogFilter {
            scopes: vec![unit.path.clone()],
            from: Some(kst_day_start(first)),
            to: Some(kst_day_start(next)),
            actor: None,
            action: None,
            entity_type: None,
            entity_id: None,
            limit: MAX_ENTRIES,
            offset: 0,
        };
        let (entries, total) = access_log::search(&self.store, &f).await?;
        let mut scopes_by_user: HashMap<i64, Vec<String>> = HashMap::new();
        for id in entries.iter().filter_map(|e| e.user_id).collect::<BTreeSet<_>>() {
            let roles = users::roles(self.store.reader(), id).await?;
            scopes_by_user.insert(id, roles.into_iter().map(|r| r.org_path).collect());
        }
        let flags = flag_entries(rules(), &entries, &scopes_by_user);
        let counts = Flag::ALL.iter().map(|fl| (*fl, flags.iter().filter(|f| f.contains(fl)).count() as i64)).collect();
        let flagged = flags.iter().filter(|f| !f.is_empty()).count() as i64;
        let chain = access_log::verify(&self.store).await?;
        let sign_off = store::get(&self.store, unit.id, &month_s).await?;
        self.log_access(
            p,
            NewAccess {
                action: "search",
                subject_type: "access_log",
                subject_id: "-".into(),
                org_unit_id: Some(unit.id),
                org_path: unit.path.clone(),
                detail: format!("monthly review {month_s} ({} rows)", entries.len()),
            },
        )
        .await?;
        let entries = entries.into_iter().zip(flags).map(|(entry, flags)| FlaggedEntry { entry, flags }).collect();
        Ok(MonthReview {
            unit,
            units,
            month: month_s,
            entries,
            total,
            flagged,
            counts,
            chain,
            sign_off,
            rules_version: rules().version.clone(),
        })
    }

    /// Signs off a month's review of a unit: who, when, the note, and the figures and chain
    /// result the officer saw. Once per unit and month.
    pub async fn sign_access_review(
        &self,
        p: &Principal,
        unit: Option<i64>,
        month: Option<&str>,
        note: Option<&str>,
    ) -> AppResult<SignOff> {
        let (unit, _) = self.review_unit(p, unit)?;
        let month_s = month.map(str::trim).unwrap_or_default().to_string();
        let first = parse_month(&month_s)?;
        if first > time::kst_date(Utc::now()) {
            return Err(AppError::one_field("month", "invalid_date"));
        }
        let note = match text::clean_opt(note) {
            None => String::new(),
            Some(s) if text::char_len(&s) > MAX_NOTE => return Err(AppError::one_field("note", "too_long")),
            Some(s) => s,
        };
        let review = self.access_review(p, Some(unit.id), Some(&month_s)).await?;
        let org = orgs::get(self.store.reader(), unit.id).await?.ok_or(AppError::NotFound)?;
        let s = SignOff {
            id: 0,
            org_unit_id: unit.id,
            org_path: org.path.clone(),
            month: month_s.clone(),
            entries: review.total,
            flagged: review.flagged,
            chain_ok: review.chain.ok(),
            chain_entries: review.chain.entries,
            signed_by_id: p.user.id,
            signed_by: p.user.username.clone(),
            signed_at: time::to_db(Utc::now()),
            note,
        };
        let mut tx = self.store.begin().await?;
        store::sign(&mut tx, &s).await.map_err(|e| match e {
            StoreError::Duplicate(_) => AppError::Conflict { code: "already_signed", field: "month" },
            other => other.into(),
        })?;
        audit::record(
            &mut tx,
            &p.actor(),
            NewEvent {
                action: "access_review_signed",
                entity_type: "access_review",
                entity_id: format!("{}:{month_s}", unit.id),
                org_unit_id: Some(unit.id),
                org_path: org.path,
                summary: format!(
                    "접속기록 점검 {month_s}: {}건 중 {}건 표시, 위변조 검증 {}",
                    s.entries,
                    s.flagged,
                    if s.chain_ok { "정상" } else { "이상" }
                ),
                before: None,
                after: None,
            },
        )
        .await?;
        tx.commit().await?;
        Ok(store::get(&self.store, unit.id, &month_s).await?.unwrap_or(s))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry(seq: i64, at: &str, user: i64, action: &str, subject: &str, path: &str, detail: &str) -> AccessEntry {
        AccessEntry {
            seq,
            occurred_at: at.into(),
            user_id: Some(user),
            username: format!("u{user}"),
            client_addr: None,
            action: action.into(),
            subject_type: "member".into(),
            subject_id: subject.into(),
            org_unit_id: None,
            org_path: path.into(),
            detail: detail.into(),
            prev_hash: String::new(),
            hash: String::new(),
        }
    }

    #[test]
    fn the_rules_file_parses_and_names_its_sources() {
        let r = rules();
        assert!(r.duty.source.contains("제8조"));
        assert!(r.mass_views_per_day.value > 0 && !r.mass_views_per_day.source.is_empty());
        assert!(r.working_hours.start_hour < r.working_hours.end_hour && r.working_hours.end_hour <= 24);
        assert!(r.large_export_rows.value > 0 && !r.large_export_rows.source.is_empty());
    }

    #[test]
    fn each_anomaly_is_flagged_by_its_rule() {
        let r = rules();
        let mut scopes = HashMap::new();
        scopes.insert(1, vec!["/1/2/".to_string()]);
        // 2026-11-18 is a Wednesday; 01:00Z = 10:00 KST (working hours), 14:00Z = 23:00 KST.
        let e = [
            entry(1, "2026-11-18T01:00:00.000000Z", 1, "view", "7", "/1/2/", "member detail"),
            entry(2, "2026-11-18T14:00:00.000000Z", 1, "view", "8", "/1/2/", "member detail"),
            entry(3, "2026-11-18T02:00:00.000000Z", 1, "view", "9", "/1/3/", "member detail"),
            entry(4, "2026-11-18T03:00:00.000000Z", 1, "export", "-", "/1/2/", "300 rows, masked; reason: x"),
            entry(5, "2026-11-21T03:00:00.000000Z", 1, "view", "7", "/1/2/", "member detail"),
        ];
        let f = flag_entries(r, &e, &scopes);
        assert_eq!(f[0], vec![]);
        assert_eq!(f[1], vec![Flag::OffHours]);
        assert_eq!(f[2], vec![Flag::OutsideScope]);
        assert_eq!(f[3], vec![Flag::LargeExport]);
        assert_eq!(f[4], vec![Flag::OffHours], "Saturday");
    }

    #[test]
    fn mass_views_count_distinct_records_per_account_and_day() {
        let r = rules();
        let n = r.mass_views_per_day.value;
        let scopes = HashMap::new();
        let many: Vec<AccessEntry> = (0..n)
            .map(|i| entry(i + 1, "2026-11-18T01:00:00.000000Z", 1, "view", &i.to_string(), "/1/", "d"))
            .collect();
        assert!(flag_entries(r, &many, &scopes).iter().all(|f| f == &vec![Flag::MassViews]));
        // The same record opened n times is one record.
        let same: Vec<AccessEntry> =
            (0..n).map(|i| entry(i + 1, "2026-11-18T01:00:00.000000Z", 1, "view", "1", "/1/", "d")).collect();
        assert!(flag_entries(r, &same, &scopes).iter().all(Vec::is_empty));
    }

    #[test]
    fn a_download_needs_a_reason() {
        assert!(download_reason(None).is_err());
        assert!(download_reason(Some("   ")).is_err());
        assert!(download_reason(Some(&"가".repeat(MAX_REASON + 1))).is_err());
        assert_eq!(download_reason(Some(" 구청 제출용 명단 ")).unwrap(), "구청 제출용 명단");
    }
}
