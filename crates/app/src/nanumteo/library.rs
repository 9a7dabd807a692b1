//! The toy and book library: catalogue by barcode, loans with due dates, renewals, late fees
//! and suspensions (rules data, CS-63), and the disinfection log (CS-60, CS-61).

use chrono::{Duration, NaiveDate};
use gajok_domain::code_list::CodeList;
use gajok_domain::field::{FieldError, FieldErrors};
use gajok_domain::nanumteo::{DisinfectionKind, ItemKind, late_days, suspension_until};
use gajok_domain::text;
use gajok_domain::time::parse_date;
use gajok_store::audit::{self, NewEvent};
use gajok_store::nanumteo::library::{self, Disinfection, Item, Loan, NewDisinfection, NewItem};
use gajok_store::orgs::OrgUnit;
use gajok_store::people;
use serde::Serialize;

use super::refusal::{NtResult, Refusal, won};
use super::rules::rules_on;
use crate::App;
use crate::error::{AppError, AppResult};
use crate::org::{Page, page_offset};
use crate::principal::Principal;

#[derive(Debug, Clone, Serialize)]
pub struct DisinfectionDue {
    pub kind: DisinfectionKind,
    pub last: Option<String>,
    pub overdue: bool,
}

#[derive(Debug, Clone, Serialize)]
pub struct LibraryView {
    pub site: OrgUnit,
    pub center: OrgUnit,
    pub today: String,
    /// One page of the catalogue (searchable: a space may hold hundreds of toys and books).
    pub items: Page<Item>,
    pub item_query: String,
    pub open_loans: Vec<Loan>,
    pub returns: Vec<Loan>,
    pub disinfections: Vec<Disinfection>,
    pub schedule: Vec<DisinfectionDue>,
    pub loan_days: i64,
    pub fee_per_day: i64,
}

/// Catalogue rows per page: a screen's worth at the desk.
const CATALOGUE_PAGE: i64 = 50;

fn day(field: &'static str, v: Option<&str>, today: NaiveDate) -> Result<NaiveDate, FieldError> {
    match v.map(str::trim).filter(|s| !s.is_empty()) {
        None => Ok(today),
        Some(s) => parse_date(s).ok_or(FieldError::new(field, "invalid_date")),
    }
}

fn today() -> NaiveDate {
    gajok_domain::time::kst_date(chrono::Utc::now())
}

impl App {
    /// The library page, its catalogue narrowed to barcodes or names containing `q` and paged.
    pub async fn nanumteo_library(
        &self,
        p: &Principal,
        site_id: i64,
        q: Option<&str>,
        page: i64,
    ) -> AppResult<LibraryView> {
        let (site, center) = self.nanumteo_site(p, site_id).await?;
        let t = today();
        let r = rules_on(t);
        let item_query = text::clean(q.unwrap_or_default());
        let page = page.max(1);
        let offset = page_offset(page, CATALOGUE_PAGE);
        let (items, total) = library::items(&self.store, site_id, &item_query, CATALOGUE_PAGE, offset).await?;
        let mut schedule = Vec::new();
        for (kind, every) in [
            (DisinfectionKind::DailySpray, 1),
            (DisinfectionKind::WeeklyThorough, r.int("library", "disinfect_other_thorough_every_days").unwrap_or(7)),
            (DisinfectionKind::MonthlyFull, r.int("library", "disinfect_lendable_every_days").unwrap_or(31)),
        ] {
            let last = library::last_disinfection(&self.store, site_id, kind).await?;
            let overdue = last.as_deref().and_then(parse_date).is_none_or(|d| (t - d).num_days() >= every);
            schedule.push(DisinfectionDue { kind, last, overdue });
        }
        Ok(LibraryView {
            items: Page { items, total, page, per_page: CATALOGUE_PAGE },
            item_query,
            open_loans: library::open_loans(&self.store, site_id).await?,
            returns: library::recent_returns(&self.store, site_id, 20).await?,
            disinfections: library::disinfections(&self.store, site_id, 20).await?,
            schedule,
            loan_days: r.int("library", "loan_days").unwrap_or(14),
            fee_per_day: r.int("library", "late_fee_per_day_won").unwrap_or(0),
            today: t.to_string(),
            site,
            center,
        })
    }

    pub async fn nanumteo_add_item(
        &self,
        p: &Principal,
        site_id: i64,
        barcode: &str,
        kind: &str,
        name: &str,
        lendable: bool,
    ) -> AppResult<i64> {
        let (site, center) = self.nanumteo_site(p, site_id).await?;
        let mut e = FieldErrors::new();
        let barcode = text::clean(barcode);
        let name = text::clean(name);
        if barcode.is_empty() || barcode.chars().count() > 40 {
            e.push(FieldError::new("barcode", "required"));
        }
        if name.is_empty() || name.chars().count() > 100 {
            e.push(FieldError::new("name", "required"));
        }
        let kind = e.take(ItemKind::parse(kind.trim()).ok_or(FieldError::new("kind", "invalid_choice")));
        e.finish()?;
        let n = NewItem {
            space_id: site_id,
            barcode: &barcode,
            kind: kind.unwrap_or(ItemKind::Toy),
            name: &name,
            lendable,
            acquired_on: &today().to_string(),
        };
        let mut tx = self.store.begin().await?;
        let id = library::insert_item(&mut tx, center.id, &n)
            .await?
            .ok_or(AppError::Conflict { code: "nt_barcode_taken", field: "barcode" })?;
        audit::record(
            &mut tx,
            &p.actor(),
            NewEvent {
                action: "create",
                entity_type: "nanumteo_item",
                entity_id: id.to_string(),
                org_unit_id: Some(site_id),
                org_path: site.path.clone(),
                summary: format!("장난감·도서 등록 {barcode} {name}"),
                before: None,
                after: Some(serde_json::json!({ "barcode": barcode, "name": name, "lendable": lendable })),
            },
        )
        .await?;
        tx.commit().await?;
        Ok(id)
    }

    /// Lends the item with `barcode` to a member. Refused by rule when the item is already
    /// out, is not for lending, or the member is suspended for late returns.
    pub async fn nanumteo_lend(
        &self,
        p: &Principal,
        site_id: i64,
        barcode: &str,
        member_id: &str,
        on: Option<&str>,
    ) -> NtResult<i64> {
        let (site, center) = self.nanumteo_site(p, site_id).await?;
        let mut e = FieldErrors::new();
        let on = e.take(day("loaned_on", on, today()));
        let member_id = e.take(member_id.trim().parse::<i64>().map_err(|_| FieldError::new("member_id", "required")));
        e.finish()?;
        let (on, member_id) = (on.unwrap_or_default(), member_id.unwrap_or_default());
        let item = library::item_by_barcode(&self.store, center.id, text::clean(barcode).as_str())
            .await?
            .filter(|i| i.space_id == site_id)
            .ok_or_else(|| AppError::one_field("barcode", "not_found"))?;
        let member = people::get(self.store.reader(), member_id)
            .await?
            .filter(|m| m.center_id == center.id)
            .ok_or_else(|| AppError::one_field("member_id", "not_in_center"))?;
        let r = rules_on(on);
        if !item.lendable {
            return Err(Refusal::new("not-lendable", "CS-62").arg("item", &item.name).into());
        }
        if item.on_loan.is_some() {
            return Err(Refusal::new("item-on-loan", r.rule("library", "loan_days"))
                .arg("item", &item.name)
                .arg("barcode", &item.barcode)
                .into());
        }
        if let Some(until) = library::suspended_until(&self.store, member.id).await?
            && until.as_str() > on.to_string().as_str()
        {
            return Err(Refusal::new("suspended", r.rule("library", "suspension_months"))
                .arg("until", until)
                .arg("late", r.int("library", "suspension_after_late_days").unwrap_or(7))
                .arg("months", r.int("library", "suspension_months").unwrap_or(1))
                .into());
        }
        let due = on + Duration::days(r.int("library", "loan_days").unwrap_or(14));
        // A month whose 서식13 is submitted is locked (loans are one of its counts).
        let mut tx = self.store.begin().await?;
        self.ensure_nanumteo_month_open(&mut tx, center.id, &on.to_string()).await?;
        let id =
            library::insert_loan(&mut tx, center.id, site_id, item.id, member.id, &on.to_string(), &due.to_string())
                .await?
                .ok_or_else(|| {
                    Refusal::new("item-on-loan", r.rule("library", "loan_days"))
                        .arg("item", &item.name)
                        .arg("barcode", &item.barcode)
                })?;
        audit::record(
            &mut tx,
            &p.actor(),
            NewEvent {
                action: "create",
                entity_type: "nanumteo_loan",
                entity_id: id.to_string(),
                org_unit_id: Some(site_id),
                org_path: site.path.clone(),
                summary: format!("대여 {} (반납 예정 {due})", item.name),
                before: None,
                after: Some(serde_json::json!({ "item": item.id, "member": member.id, "loaned_on": on.to_string(), "due_on": due.to_string() })),
            },
        )
        .await?;
        tx.commit().await?;
        Ok(id)
    }

    async fn loan_in_scope(&self, p: &Principal, loan_id: i64) -> AppResult<(Loan, OrgUnit)> {
        let loan = library::loan(&self.store, loan_id).await?.ok_or(AppError::NotFound)?;
        let (site, _) = self.nanumteo_site(p, loan.space_id).await?;
        Ok((loan, site))
    }

    /// Takes an item back: late days, the fee and a suspension by the rules in force on the
    /// return day; the on-return disinfection is logged with it (CS-60).
    pub async fn nanumteo_return(
        &self,
        p: &Principal,
        loan_id: i64,
        on: Option<&str>,
        damage: Option<&str>,
    ) -> AppResult<Loan> {
        let (loan, site) = self.loan_in_scope(p, loan_id).await?;
        let on = day("returned_on", on, today()).map_err(|e| AppError::Validation(FieldErrors(vec![e])))?;
        let loaned = parse_date(&loan.loaned_on).unwrap_or(on);
        if on < loaned {
            return Err(AppError::one_field("returned_on", "invalid_date"));
        }
        let r = rules_on(on);
        let due = parse_date(&loan.due_on).unwrap_or(on);
        let late = late_days(due, on);
        let fee = late * r.int("library", "late_fee_per_day_won").unwrap_or(0);
        let months = r.int("library", "suspension_months").unwrap_or(0) as u32;
        let susp = suspension_until(late, r.int("library", "suspension_after_late_days").unwrap_or(0), months, on);
        let damage = text::clean_opt(damage);
        let mut tx = self.store.begin().await?;
        let susp_s = susp.map(|d| d.to_string());
        if !library::close_loan(&mut tx, loan.id, &on.to_string(), late, fee, susp_s.as_deref(), damage.as_deref())
            .await?
        {
            return Err(AppError::Conflict { code: "nt_already_returned", field: "loan" });
        }
        let d = NewDisinfection {
            space_id: loan.space_id,
            done_on: &on.to_string(),
            kind: DisinfectionKind::OnReturn,
            item_id: Some(loan.item_id),
            note: None,
            by: Some(p.user.id),
        };
        library::insert_disinfection(&mut tx, loan.center_id, &d).await?;
        audit::record(
            &mut tx,
            &p.actor(),
            NewEvent {
                action: "update",
                entity_type: "nanumteo_loan",
                entity_id: loan.id.to_string(),
                org_unit_id: Some(loan.space_id),
                org_path: site.path.clone(),
                summary: format!("반납 {} (연체 {late}일, 연체료 {}원)", loan.item_name, won(fee)),
                before: None,
                after: Some(serde_json::json!({ "returned_on": on.to_string(), "late_days": late, "late_fee": fee, "suspended_until": susp_s })),
            },
        )
        .await?;
        tx.commit().await?;
        library::loan(&self.store, loan.id).await?.ok_or(AppError::NotFound)
    }

    /// Extends the due date once (by the rules' renewal days); refused when overdue or when
    /// the renewals are used up.
    pub async fn nanumteo_renew(&self, p: &Principal, loan_id: i64, on: Option<&str>) -> NtResult<String> {
        let (loan, site) = self.loan_in_scope(p, loan_id).await?;
        let on = day("renewed_on", on, today()).map_err(|e| AppError::Validation(FieldErrors(vec![e])))?;
        if loan.returned_on.is_some() {
            return Err(AppError::Conflict { code: "nt_already_returned", field: "loan" }.into());
        }
        let r = rules_on(on);
        let max = r.int("library", "max_renewals").unwrap_or(0);
        if loan.renewals >= max {
            return Err(Refusal::new("renewals-used", r.rule("library", "max_renewals")).arg("max", max).into());
        }
        if on.to_string() > loan.due_on {
            return Err(Refusal::new("renew-overdue", r.rule("library", "loan_days")).arg("due", &loan.due_on).into());
        }
        let due =
            parse_date(&loan.due_on).unwrap_or(on) + Duration::days(r.int("library", "renewal_days").unwrap_or(7));
        let mut tx = self.store.begin().await?;
        if !library::renew(&mut tx, loan.id, &due.to_string(), loan.renewals).await? {
            return Err(AppError::Conflict { code: "stale_version", field: "loan" }.into());
        }
        audit::record(
            &mut tx,
            &p.actor(),
            NewEvent {
                action: "update",
                entity_type: "nanumteo_loan",
                entity_id: loan.id.to_string(),
                org_unit_id: Some(loan.space_id),
                org_path: site.path.clone(),
                summary: format!("대여 연장 {} → {due}", loan.item_name),
                before: Some(serde_json::json!({ "due_on": loan.due_on })),
                after: Some(serde_json::json!({ "due_on": due.to_string() })),
            },
        )
        .await?;
        tx.commit().await?;
        Ok(due.to_string())
    }

    pub async fn nanumteo_log_disinfection(
        &self,
        p: &Principal,
        site_id: i64,
        kind: &str,
        on: Option<&str>,
        note: Option<&str>,
    ) -> AppResult<i64> {
        let (site, center) = self.nanumteo_site(p, site_id).await?;
        let mut e = FieldErrors::new();
        let kind = e.take(DisinfectionKind::parse(kind.trim()).ok_or(FieldError::new("kind", "invalid_choice")));
        let on = e.take(day("done_on", on, today()));
        e.finish()?;
        let (kind, on) = (kind.unwrap_or(DisinfectionKind::DailySpray), on.unwrap_or_default());
        let note = text::clean_opt(note);
        let mut tx = self.store.begin().await?;
        let on_s = on.to_string();
        let d = NewDisinfection {
            space_id: site_id,
            done_on: &on_s,
            kind,
            item_id: None,
            note: note.as_deref(),
            by: Some(p.user.id),
        };
        let id = library::insert_disinfection(&mut tx, center.id, &d).await?;
        audit::record(
            &mut tx,
            &p.actor(),
            NewEvent {
                action: "create",
                entity_type: "nanumteo_disinfection",
                entity_id: id.to_string(),
                org_unit_id: Some(site_id),
                org_path: site.path.clone(),
                summary: format!("소독 기록 {on} {}", kind.label_ko()),
                before: None,
                after: Some(serde_json::json!({ "kind": kind.code(), "on": on.to_string() })),
            },
        )
        .await?;
        tx.commit().await?;
        Ok(id)
    }
}
