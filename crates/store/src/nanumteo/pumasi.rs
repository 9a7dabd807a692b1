//! 가족품앗이: groups and families, monthly plans with their signatures, activity logs with
//! attendees, and reimbursed expenses.

use chrono::Utc;
use gajok_domain::code_list::CodeList;
use gajok_domain::nanumteo::{ExpenseCategory, PumasiKind};
use gajok_domain::time;
use serde::Serialize;
use sqlx::any::AnyRow;

use crate::db::{Store, Tx};
use crate::error::StoreResult;
use crate::row::RowExt;

#[derive(Debug, Clone, Serialize)]
pub struct Group {
    pub id: i64,
    pub center_id: i64,
    pub name: String,
    pub kind: PumasiKind,
    pub theme: Option<String>,
    pub leader_member_id: Option<i64>,
    pub formed_on: String,
    pub orientation_on: Option<String>,
}

fn group_from_row(r: &AnyRow) -> StoreResult<Group> {
    Ok(Group {
        id: r.int("id")?,
        center_id: r.int("center_id")?,
        name: r.text("name")?,
        kind: r.code("kind")?,
        theme: r.text_opt("theme")?,
        leader_member_id: r.int_opt("leader_member_id")?,
        formed_on: r.text("formed_on")?,
        orientation_on: r.text_opt("orientation_on")?,
    })
}

pub struct NewGroup<'a> {
    pub name: &'a str,
    pub kind: PumasiKind,
    pub theme: Option<&'a str>,
    pub leader_member_id: Option<i64>,
    pub formed_on: &'a str,
    pub orientation_on: Option<&'a str>,
}

pub async fn insert_group(tx: &mut Tx, center_id: i64, g: &NewGroup<'_>, families: &[i64]) -> StoreResult<i64> {
    let r = sqlx::query(
        "INSERT INTO pumasi_groups (center_id, name, kind, theme, leader_member_id, formed_on, orientation_on, created_at) \
         VALUES ($1,$2,$3,$4,$5,$6,$7,$8) RETURNING id",
    )
    .bind(center_id)
    .bind(g.name.to_string())
    .bind(g.kind.code())
    .bind(g.theme.map(str::to_string))
    .bind(g.leader_member_id)
    .bind(g.formed_on.to_string())
    .bind(g.orientation_on.map(str::to_string))
    .bind(time::to_db(Utc::now()))
    .fetch_one(tx.conn())
    .await?;
    let id = r.int("id")?;
    for f in families {
        add_family(tx, center_id, id, *f, g.formed_on, g.orientation_on).await?;
    }
    Ok(id)
}

pub async fn add_family(
    tx: &mut Tx,
    center_id: i64,
    group_id: i64,
    family_id: i64,
    joined_on: &str,
    orientation_on: Option<&str>,
) -> StoreResult<()> {
    sqlx::query(
        "INSERT INTO pumasi_group_families (group_id, center_id, family_id, joined_on, orientation_on) VALUES ($1,$2,$3,$4,$5)",
    )
    .bind(group_id)
    .bind(center_id)
    .bind(family_id)
    .bind(joined_on.to_string())
    .bind(orientation_on.map(str::to_string))
    .execute(tx.conn())
    .await?;
    Ok(())
}

pub async fn group(store: &Store, id: i64) -> StoreResult<Option<Group>> {
    let r = sqlx::query("SELECT * FROM pumasi_groups WHERE id = $1").bind(id).fetch_optional(store.reader()).await?;
    r.as_ref().map(group_from_row).transpose()
}

pub async fn groups(store: &Store, center_id: i64) -> StoreResult<Vec<Group>> {
    let rows = sqlx::query("SELECT * FROM pumasi_groups WHERE center_id = $1 ORDER BY name, id")
        .bind(center_id)
        .fetch_all(store.reader())
        .await?;
    rows.iter().map(group_from_row).collect()
}

#[derive(Debug, Clone, Serialize)]
pub struct GroupFamily {
    pub family_id: i64,
    pub family_name: String,
    pub joined_on: String,
    pub orientation_on: Option<String>,
}

pub async fn group_families(store: &Store, group_id: i64) -> StoreResult<Vec<GroupFamily>> {
    let rows = sqlx::query(
        "SELECT g.*, f.name AS family_name FROM pumasi_group_families g JOIN families f ON f.id = g.family_id \
         WHERE g.group_id = $1 ORDER BY g.joined_on, f.name",
    )
    .bind(group_id)
    .fetch_all(store.reader())
    .await?;
    rows.iter()
        .map(|r| {
            Ok(GroupFamily {
                family_id: r.int("family_id")?,
                family_name: r.text("family_name")?,
                joined_on: r.text("joined_on")?,
                orientation_on: r.text_opt("orientation_on")?,
            })
        })
        .collect()
}

#[derive(Debug, Clone, Serialize)]
pub struct Plan {
    pub id: i64,
    pub center_id: i64,
    pub group_id: i64,
    pub month: String,
    pub purpose: String,
    pub activities: String,
    pub materials: Option<String>,
    pub steps_done: i64,
    pub submitted_at: String,
    /// (step, signer name, signed at)
    pub signatures: Vec<(i64, String, String)>,
}

async fn plan_from_row(store: &Store, r: &AnyRow) -> StoreResult<Plan> {
    let id = r.int("id")?;
    let sigs =
        sqlx::query("SELECT step, signer_name, signed_at FROM pumasi_plan_signatures WHERE plan_id = $1 ORDER BY step")
            .bind(id)
            .fetch_all(store.reader())
            .await?
            .iter()
            .map(|s| Ok((s.int("step")?, s.text("signer_name")?, s.text("signed_at")?)))
            .collect::<StoreResult<_>>()?;
    Ok(Plan {
        id,
        center_id: r.int("center_id")?,
        group_id: r.int("group_id")?,
        month: r.text("month")?,
        purpose: r.text("purpose")?,
        activities: r.text("activities")?,
        materials: r.text_opt("materials")?,
        steps_done: r.int("steps_done")?,
        submitted_at: r.text("submitted_at")?,
        signatures: sigs,
    })
}

pub async fn plan(store: &Store, id: i64) -> StoreResult<Option<Plan>> {
    let r = sqlx::query("SELECT * FROM pumasi_plans WHERE id = $1").bind(id).fetch_optional(store.reader()).await?;
    match r {
        Some(r) => Ok(Some(plan_from_row(store, &r).await?)),
        None => Ok(None),
    }
}

pub async fn plans_of_group(store: &Store, group_id: i64) -> StoreResult<Vec<Plan>> {
    let rows = sqlx::query("SELECT * FROM pumasi_plans WHERE group_id = $1 ORDER BY month DESC")
        .bind(group_id)
        .fetch_all(store.reader())
        .await?;
    let mut out = Vec::new();
    for r in &rows {
        out.push(plan_from_row(store, r).await?);
    }
    Ok(out)
}

pub async fn plan_for(store: &Store, group_id: i64, month: &str) -> StoreResult<Option<Plan>> {
    let r = sqlx::query("SELECT * FROM pumasi_plans WHERE group_id = $1 AND month = $2")
        .bind(group_id)
        .bind(month.to_string())
        .fetch_optional(store.reader())
        .await?;
    match r {
        Some(r) => Ok(Some(plan_from_row(store, &r).await?)),
        None => Ok(None),
    }
}

pub struct NewPlan<'a> {
    pub group_id: i64,
    pub month: &'a str,
    pub purpose: &'a str,
    pub activities: &'a str,
    pub materials: Option<&'a str>,
}

/// Inserts the plan with the staff member's signature (step 1).
pub async fn insert_plan(tx: &mut Tx, center_id: i64, p: &NewPlan<'_>, by: i64, by_name: &str) -> StoreResult<i64> {
    let now = time::to_db(Utc::now());
    let r = sqlx::query(
        "INSERT INTO pumasi_plans (center_id, group_id, month, purpose, activities, materials, steps_done, submitted_at) \
         VALUES ($1,$2,$3,$4,$5,$6,1,$7) RETURNING id",
    )
    .bind(center_id)
    .bind(p.group_id)
    .bind(p.month.to_string())
    .bind(p.purpose.to_string())
    .bind(p.activities.to_string())
    .bind(p.materials.map(str::to_string))
    .bind(now.clone())
    .fetch_one(tx.conn())
    .await?;
    let id = r.int("id")?;
    sign(tx, center_id, id, 1, by, by_name, &now).await?;
    Ok(id)
}

async fn sign(tx: &mut Tx, center_id: i64, plan_id: i64, step: i64, by: i64, name: &str, at: &str) -> StoreResult<()> {
    sqlx::query(
        "INSERT INTO pumasi_plan_signatures (plan_id, center_id, step, signed_by, signer_name, signed_at) VALUES ($1,$2,$3,$4,$5,$6)",
    )
    .bind(plan_id)
    .bind(center_id)
    .bind(step)
    .bind(by)
    .bind(name.to_string())
    .bind(at.to_string())
    .execute(tx.conn())
    .await?;
    Ok(())
}

/// Signs the next step; false when someone else signed it first.
pub async fn sign_next(tx: &mut Tx, plan: &Plan, by: i64, by_name: &str) -> StoreResult<bool> {
    let n = sqlx::query("UPDATE pumasi_plans SET steps_done = steps_done + 1 WHERE id = $1 AND steps_done = $2")
        .bind(plan.id)
        .bind(plan.steps_done)
        .execute(tx.conn())
        .await?
        .rows_affected();
    if n != 1 {
        return Ok(false);
    }
    sign(tx, plan.center_id, plan.id, plan.steps_done + 1, by, by_name, &time::to_db(Utc::now())).await?;
    Ok(true)
}

/// Groups of the center whose plan for the month carries all `steps` signatures.
pub async fn approved_groups(store: &Store, center_id: i64, month: &str, steps: i64) -> StoreResult<Vec<i64>> {
    let rows =
        sqlx::query("SELECT group_id FROM pumasi_plans WHERE center_id = $1 AND month = $2 AND steps_done >= $3")
            .bind(center_id)
            .bind(month.to_string())
            .bind(steps)
            .fetch_all(store.reader())
            .await?;
    rows.iter().map(|r| r.int("group_id")).collect()
}

#[derive(Debug, Clone, Serialize)]
pub struct Activity {
    pub id: i64,
    pub group_id: i64,
    pub activity_date: String,
    pub start_time: String,
    pub end_time: String,
    pub place: String,
    pub content: String,
    /// Real names of the attendees (서식5).
    pub attendees: Vec<String>,
}

pub struct NewActivity<'a> {
    pub group_id: i64,
    pub activity_date: &'a str,
    pub start_time: &'a str,
    pub end_time: &'a str,
    pub place: &'a str,
    pub content: &'a str,
}

pub async fn insert_activity(tx: &mut Tx, center_id: i64, a: &NewActivity<'_>, attendees: &[i64]) -> StoreResult<i64> {
    let r = sqlx::query(
        "INSERT INTO pumasi_activities (center_id, group_id, activity_date, start_time, end_time, place, content, created_at) \
         VALUES ($1,$2,$3,$4,$5,$6,$7,$8) RETURNING id",
    )
    .bind(center_id)
    .bind(a.group_id)
    .bind(a.activity_date.to_string())
    .bind(a.start_time.to_string())
    .bind(a.end_time.to_string())
    .bind(a.place.to_string())
    .bind(a.content.to_string())
    .bind(time::to_db(Utc::now()))
    .fetch_one(tx.conn())
    .await?;
    let id = r.int("id")?;
    for m in attendees {
        sqlx::query("INSERT INTO pumasi_attendees (activity_id, center_id, member_id) VALUES ($1,$2,$3)")
            .bind(id)
            .bind(center_id)
            .bind(*m)
            .execute(tx.conn())
            .await?;
    }
    Ok(id)
}

pub async fn activities(store: &Store, group_id: i64) -> StoreResult<Vec<Activity>> {
    let rows = sqlx::query("SELECT * FROM pumasi_activities WHERE group_id = $1 ORDER BY activity_date DESC, id DESC")
        .bind(group_id)
        .fetch_all(store.reader())
        .await?;
    let mut out = Vec::new();
    for r in &rows {
        let id = r.int("id")?;
        let names = sqlx::query(
            "SELECT m.name FROM pumasi_attendees a JOIN members m ON m.id = a.member_id WHERE a.activity_id = $1 ORDER BY m.name",
        )
        .bind(id)
        .fetch_all(store.reader())
        .await?
        .iter()
        .map(|n| n.text("name"))
        .collect::<StoreResult<_>>()?;
        out.push(Activity {
            id,
            group_id,
            activity_date: r.text("activity_date")?,
            start_time: r.text("start_time")?,
            end_time: r.text("end_time")?,
            place: r.text("place")?,
            content: r.text("content")?,
            attendees: names,
        });
    }
    Ok(out)
}

#[derive(Debug, Clone, Serialize)]
pub struct Expense {
    pub id: i64,
    pub group_id: i64,
    pub group_name: String,
    pub month: String,
    pub spent_on: String,
    pub category: ExpenseCategory,
    pub amount: i64,
    pub receipt_no: String,
    pub description: String,
}

pub struct NewExpense<'a> {
    pub group_id: i64,
    pub month: &'a str,
    pub spent_on: &'a str,
    pub category: ExpenseCategory,
    pub amount: i64,
    pub receipt_no: &'a str,
    pub description: &'a str,
}

pub async fn insert_expense(tx: &mut Tx, center_id: i64, e: &NewExpense<'_>) -> StoreResult<i64> {
    let r = sqlx::query(
        "INSERT INTO pumasi_expenses (center_id, group_id, month, spent_on, category, amount, receipt_no, description, created_at) \
         VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9) RETURNING id",
    )
    .bind(center_id)
    .bind(e.group_id)
    .bind(e.month.to_string())
    .bind(e.spent_on.to_string())
    .bind(e.category.code())
    .bind(e.amount)
    .bind(e.receipt_no.to_string())
    .bind(e.description.to_string())
    .bind(time::to_db(Utc::now()))
    .fetch_one(tx.conn())
    .await?;
    r.int("id")
}

/// Expenses of a center, optionally for one month (`YYYY-MM`) or a date range of spending.
pub async fn expenses(store: &Store, center_id: i64, from_month: &str, to_month: &str) -> StoreResult<Vec<Expense>> {
    let rows = sqlx::query(
        "SELECT e.*, g.name AS group_name FROM pumasi_expenses e JOIN pumasi_groups g ON g.id = e.group_id \
         WHERE e.center_id = $1 AND e.month >= $2 AND e.month <= $3 ORDER BY e.spent_on, e.id",
    )
    .bind(center_id)
    .bind(from_month.to_string())
    .bind(to_month.to_string())
    .fetch_all(store.reader())
    .await?;
    rows.iter()
        .map(|r| {
            Ok(Expense {
                id: r.int("id")?,
                group_id: r.int("group_id")?,
                group_name: r.text("group_name")?,
                month: r.text("month")?,
                spent_on: r.text("spent_on")?,
                category: r.code("category")?,
                amount: r.int("amount")?,
                receipt_no: r.text("receipt_no")?,
                description: r.text("description")?,
            })
        })
        .collect()
}
