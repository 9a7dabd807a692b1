//! Counting at write time (DESIGN.md § Counting).
//!
//! 실인원 (real persons): a person counts once per (center, year, category), in the month of
//! their first participation; `first_participation` holds that first date and is reconciled
//! whenever one of the person's attendance records changes, so a correction (attendance
//! removed, session deleted, a session entered late with an earlier date) moves or removes the
//! count. 연인원 (cumulative persons), sessions and minutes are kept as deltas. A report reads
//! `monthly_stats` only; it never scans a year of attendance. [`recount`] rebuilds both tables
//! from the records, which the tests use to prove the incremental figures right.

use std::collections::BTreeMap;

use gajok_domain::program::Category;

use crate::db::{Store, Tx};
use crate::error::StoreResult;
use crate::row::RowExt;

/// Changes to one (center, month, category) row of `monthly_stats`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Delta {
    pub real_new: i64,
    pub cumulative: i64,
    pub open_persons: i64,
    pub sessions: i64,
    pub minutes: i64,
}

pub async fn bump(tx: &mut Tx, center_id: i64, month: &str, category: &str, d: Delta) -> StoreResult<()> {
    if d == Delta::default() {
        return Ok(());
    }
    upsert(tx, center_id, month, category, d).await
}

/// Adds `d` to the row, creating it if needed; with a zero delta it only takes the row lock.
async fn upsert(tx: &mut Tx, center_id: i64, month: &str, category: &str, d: Delta) -> StoreResult<()> {
    sqlx::query(
        "INSERT INTO monthly_stats (center_id, month, category, real_new, cumulative, open_persons, sessions, minutes) \
         VALUES ($1,$2,$3,$4,$5,$6,$7,$8) ON CONFLICT (center_id, month, category) DO UPDATE SET \
         real_new = monthly_stats.real_new + excluded.real_new, cumulative = monthly_stats.cumulative + excluded.cumulative, \
         open_persons = monthly_stats.open_persons + excluded.open_persons, sessions = monthly_stats.sessions + excluded.sessions, \
         minutes = monthly_stats.minutes + excluded.minutes",
    )
    .bind(center_id)
    .bind(month.to_string())
    .bind(category.to_string())
    .bind(d.real_new)
    .bind(d.cumulative)
    .bind(d.open_persons)
    .bind(d.sessions)
    .bind(d.minutes)
    .execute(tx.conn())
    .await?;
    Ok(())
}

/// Takes the locks of a program's month rows in a fixed order (center, area, program), so
/// concurrent writers to the same month queue instead of deadlocking.
pub async fn lock_month(
    tx: &mut Tx,
    center_id: i64,
    month: &str,
    program_id: i64,
    area: &str,
    d: Delta,
) -> StoreResult<()> {
    for c in categories(program_id, area) {
        upsert(tx, center_id, month, &c.key(), d).await?;
    }
    Ok(())
}

/// The three levels a program's participation counts at.
pub fn categories(program_id: i64, area: &str) -> [Category; 3] {
    [Category::Center, Category::Area(area.to_string()), Category::Program(program_id)]
}

/// Applies the same delta at every level of a program.
pub async fn bump_all(
    tx: &mut Tx,
    center_id: i64,
    month: &str,
    program_id: i64,
    area: &str,
    d: Delta,
) -> StoreResult<()> {
    for c in categories(program_id, area) {
        bump(tx, center_id, month, &c.key(), d).await?;
    }
    Ok(())
}

fn month_of(date: &str) -> &str {
    date.get(..7).unwrap_or(date)
}

/// Brings `first_participation` and the 실인원 counts of `member_id` in line with their
/// attendance in `year`, at each level of the program.
pub async fn reconcile_person(
    tx: &mut Tx,
    center_id: i64,
    year: i32,
    member_id: i64,
    program_id: i64,
    area: &str,
) -> StoreResult<()> {
    let (from, to) = (format!("{year:04}-01-01"), format!("{year:04}-12-31"));
    for cat in categories(program_id, area) {
        let (extra, arg): (&str, Option<String>) = match &cat {
            Category::Center => ("", None),
            Category::Area(a) => {
                (" AND s.program_id IN (SELECT id FROM programs WHERE center_id = $2 AND area = $5)", Some(a.clone()))
            }
            Category::Program(p) => (" AND s.program_id = CAST($5 AS BIGINT)", Some(p.to_string())),
        };
        let sql = format!(
            "SELECT MIN(s.date) AS first FROM attendance a JOIN program_sessions s ON s.id = a.session_id \
             WHERE a.member_id = $1 AND a.status = 'present' AND s.center_id = $2 AND s.date >= $3 AND s.date <= $4{extra}"
        );
        let mut q =
            sqlx::query(sqlx::AssertSqlSafe(sql)).bind(member_id).bind(center_id).bind(from.clone()).bind(to.clone());
        if let Some(a) = arg {
            q = q.bind(a);
        }
        let actual = q.fetch_one(tx.conn()).await?.text_opt("first")?;
        let key = cat.key();
        let stored = sqlx::query(
            "SELECT first_date FROM first_participation WHERE center_id = $1 AND year = $2 AND category = $3 AND member_id = $4",
        )
        .bind(center_id)
        .bind(i64::from(year))
        .bind(key.clone())
        .bind(member_id)
        .fetch_optional(tx.conn())
        .await?
        .map(|r| r.text("first_date"))
        .transpose()?;
        let one = Delta { real_new: 1, ..Delta::default() };
        let minus = Delta { real_new: -1, ..Delta::default() };
        match (stored, actual) {
            (None, None) => {}
            (None, Some(d)) => {
                sqlx::query("INSERT INTO first_participation (center_id, year, category, member_id, first_date) VALUES ($1,$2,$3,$4,$5)")
                    .bind(center_id)
                    .bind(i64::from(year))
                    .bind(key.clone())
                    .bind(member_id)
                    .bind(d.clone())
                    .execute(tx.conn())
                    .await?;
                bump(tx, center_id, month_of(&d), &key, one).await?;
            }
            (Some(old), None) => {
                sqlx::query("DELETE FROM first_participation WHERE center_id = $1 AND year = $2 AND category = $3 AND member_id = $4")
                    .bind(center_id)
                    .bind(i64::from(year))
                    .bind(key.clone())
                    .bind(member_id)
                    .execute(tx.conn())
                    .await?;
                bump(tx, center_id, month_of(&old), &key, minus).await?;
            }
            (Some(old), Some(d)) if old != d => {
                sqlx::query("UPDATE first_participation SET first_date = $1 WHERE center_id = $2 AND year = $3 AND category = $4 AND member_id = $5")
                    .bind(d.clone())
                    .bind(center_id)
                    .bind(i64::from(year))
                    .bind(key.clone())
                    .bind(member_id)
                    .execute(tx.conn())
                    .await?;
                if month_of(&old) != month_of(&d) {
                    bump(tx, center_id, month_of(&old), &key, minus).await?;
                    bump(tx, center_id, month_of(&d), &key, one).await?;
                }
            }
            (Some(_), Some(_)) => {}
        }
    }
    Ok(())
}

/// The first-participation rows of a member at the three levels of a program:
/// category key → first date.
async fn stored_firsts(
    tx: &mut Tx,
    center_id: i64,
    year: i32,
    member_id: i64,
    keys: &[String; 3],
) -> StoreResult<Vec<(String, String)>> {
    let rows = sqlx::query(
        "SELECT category, first_date FROM first_participation WHERE center_id = $1 AND year = $2 AND member_id = $3 \
         AND category IN ($4, $5, $6)",
    )
    .bind(center_id)
    .bind(i64::from(year))
    .bind(member_id)
    .bind(keys[0].clone())
    .bind(keys[1].clone())
    .bind(keys[2].clone())
    .fetch_all(tx.conn())
    .await?;
    rows.iter().map(|r| Ok((r.text("category")?, r.text("first_date")?))).collect()
}

/// The fast path of [`reconcile_person`] for one attendance record on `date` that became
/// present (`became_present`) or stopped being present. Adding a present record can only
/// move a first participation earlier, to `date`, so no scan is needed; removing one only
/// matters where the first participation was on `date`, and only then is the person's year
/// scanned again. Equivalent to `reconcile_person`, which the tests compare against.
pub async fn attendance_changed(
    tx: &mut Tx,
    center_id: i64,
    member_id: i64,
    program_id: i64,
    area: &str,
    date: &str,
    became_present: bool,
) -> StoreResult<()> {
    let year: i32 = date.get(..4).and_then(|y| y.parse().ok()).unwrap_or(0);
    let cats = categories(program_id, area);
    let keys = [cats[0].key(), cats[1].key(), cats[2].key()];
    let stored = stored_firsts(tx, center_id, year, member_id, &keys).await?;
    let first_of = |k: &str| stored.iter().find(|(c, _)| c == k).map(|(_, d)| d.clone());
    if became_present {
        for key in &keys {
            match first_of(key) {
                Some(old) if old.as_str() <= date => {}
                Some(old) => {
                    sqlx::query("UPDATE first_participation SET first_date = $1 WHERE center_id = $2 AND year = $3 AND category = $4 AND member_id = $5")
                        .bind(date.to_string())
                        .bind(center_id)
                        .bind(i64::from(year))
                        .bind(key.clone())
                        .bind(member_id)
                        .execute(tx.conn())
                        .await?;
                    if month_of(&old) != month_of(date) {
                        bump(tx, center_id, month_of(&old), key, Delta { real_new: -1, ..Delta::default() }).await?;
                        bump(tx, center_id, month_of(date), key, Delta { real_new: 1, ..Delta::default() }).await?;
                    }
                }
                None => {
                    sqlx::query("INSERT INTO first_participation (center_id, year, category, member_id, first_date) VALUES ($1,$2,$3,$4,$5)")
                        .bind(center_id)
                        .bind(i64::from(year))
                        .bind(key.clone())
                        .bind(member_id)
                        .bind(date.to_string())
                        .execute(tx.conn())
                        .await?;
                    bump(tx, center_id, month_of(date), key, Delta { real_new: 1, ..Delta::default() }).await?;
                }
            }
        }
        return Ok(());
    }
    if keys.iter().any(|k| first_of(k).as_deref() == Some(date)) {
        reconcile_person(tx, center_id, year, member_id, program_id, area).await?;
    }
    Ok(())
}

/// One row of month figures.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, serde::Serialize)]
pub struct Figures {
    pub real_new: i64,
    pub cumulative: i64,
    pub open_persons: i64,
    pub sessions: i64,
    pub minutes: i64,
}

impl Figures {
    pub fn add(&mut self, o: &Figures) {
        self.real_new += o.real_new;
        self.cumulative += o.cumulative;
        self.open_persons += o.open_persons;
        self.sessions += o.sessions;
        self.minutes += o.minutes;
    }
}

/// `monthly_stats` rows for some centers and a month range (inclusive, `YYYY-MM`):
/// (center, month, category) → figures.
pub async fn figures(
    store: &Store,
    center_ids: &[i64],
    from_month: &str,
    to_month: &str,
) -> StoreResult<BTreeMap<(i64, String, String), Figures>> {
    let mut out = BTreeMap::new();
    if center_ids.is_empty() {
        return Ok(out);
    }
    // Chunks keep the statement size sane for a national roll-up.
    for chunk in center_ids.chunks(500) {
        let mut sql = crate::sql::Sql::new("SELECT * FROM monthly_stats WHERE month >= ");
        sql.bind(from_month).push(" AND month <= ").bind(to_month).push(" AND center_id IN (");
        for (i, c) in chunk.iter().enumerate() {
            if i > 0 {
                sql.push(",");
            }
            sql.bind(*c);
        }
        sql.push(")");
        for r in sql.query().fetch_all(store.reader()).await? {
            out.insert(
                (r.int("center_id")?, r.text("month")?, r.text("category")?),
                Figures {
                    real_new: r.int("real_new")?,
                    cumulative: r.int("cumulative")?,
                    open_persons: r.int("open_persons")?,
                    sessions: r.int("sessions")?,
                    minutes: r.int("minutes")?,
                },
            );
        }
    }
    Ok(out)
}

/// Rebuilds `first_participation` and `monthly_stats` of one center from its records.
pub async fn recount(tx: &mut Tx, center_id: i64) -> StoreResult<()> {
    sqlx::query("DELETE FROM first_participation WHERE center_id = $1").bind(center_id).execute(tx.conn()).await?;
    sqlx::query("DELETE FROM monthly_stats WHERE center_id = $1").bind(center_id).execute(tx.conn()).await?;
    // The center id is written into these statements (an integer, so safe): with a bound
    // parameter PostgreSQL may reuse a generic plan that ignores how selective it is and
    // scans every center's attendance.
    // First participation at the three levels.
    let levels = [("'center'", ""), ("'area:' || p.area", ", p.area"), ("'program:' || CAST(p.id AS TEXT)", ", p.id")];
    for (cat, group) in levels {
        let sql = format!(
            "INSERT INTO first_participation (center_id, year, category, member_id, first_date) \
             SELECT s.center_id, CAST(SUBSTR(s.date, 1, 4) AS BIGINT), {cat}, a.member_id, MIN(s.date) \
             FROM attendance a JOIN program_sessions s ON s.id = a.session_id JOIN programs p ON p.id = s.program_id \
             WHERE a.status = 'present' AND a.center_id = {center_id} AND s.center_id = {center_id} \
             GROUP BY s.center_id, SUBSTR(s.date, 1, 4), a.member_id{group}"
        );
        sqlx::query(sqlx::AssertSqlSafe(sql)).execute(tx.conn()).await?;
    }
    let mut acc: BTreeMap<(String, String), Figures> = BTreeMap::new();
    let rows = sqlx::query(
        "SELECT SUBSTR(first_date, 1, 7) AS month, category, COUNT(*) AS n FROM first_participation WHERE center_id = $1 \
         GROUP BY SUBSTR(first_date, 1, 7), category",
    )
    .bind(center_id)
    .fetch_all(tx.conn())
    .await?;
    for r in rows {
        acc.entry((r.text("month")?, r.text("category")?)).or_default().real_new += r.int("n")?;
    }
    for (cat, group) in levels {
        let sql = format!(
            "SELECT SUBSTR(s.date, 1, 7) AS month, {cat} AS category, COUNT(*) AS n \
             FROM attendance a JOIN program_sessions s ON s.id = a.session_id JOIN programs p ON p.id = s.program_id \
             WHERE a.status = 'present' AND a.center_id = {center_id} AND s.center_id = {center_id} GROUP BY SUBSTR(s.date, 1, 7){group}"
        );
        for r in sqlx::query(sqlx::AssertSqlSafe(sql)).fetch_all(tx.conn()).await? {
            acc.entry((r.text("month")?, r.text("category")?)).or_default().cumulative += r.int("n")?;
        }
        let sql = format!(
            "SELECT SUBSTR(s.date, 1, 7) AS month, {cat} AS category, COUNT(*) AS n, CAST(SUM(s.minutes) AS BIGINT) AS m \
             FROM program_sessions s JOIN programs p ON p.id = s.program_id WHERE s.center_id = {center_id} \
             GROUP BY SUBSTR(s.date, 1, 7){group}"
        );
        for r in sqlx::query(sqlx::AssertSqlSafe(sql)).fetch_all(tx.conn()).await? {
            let f = acc.entry((r.text("month")?, r.text("category")?)).or_default();
            f.sessions += r.int("n")?;
            f.minutes += r.int_opt("m")?.unwrap_or(0);
        }
        let sql = format!(
            "SELECT SUBSTR(s.date, 1, 7) AS month, {cat} AS category, CAST(SUM(h.persons) AS BIGINT) AS n \
             FROM head_counts h JOIN program_sessions s ON s.id = h.session_id JOIN programs p ON p.id = s.program_id \
             WHERE s.center_id = {center_id} GROUP BY SUBSTR(s.date, 1, 7){group}"
        );
        for r in sqlx::query(sqlx::AssertSqlSafe(sql)).fetch_all(tx.conn()).await? {
            acc.entry((r.text("month")?, r.text("category")?)).or_default().open_persons +=
                r.int_opt("n")?.unwrap_or(0);
        }
    }
    for ((month, cat), f) in acc {
        let d = Delta {
            real_new: f.real_new,
            cumulative: f.cumulative,
            open_persons: f.open_persons,
            sessions: f.sessions,
            minutes: f.minutes,
        };
        bump(tx, center_id, &month, &cat, d).await?;
    }
    Ok(())
}

/// Every row of `monthly_stats` for a center, for comparisons in tests and checks.
pub async fn snapshot(store: &Store, center_id: i64) -> StoreResult<BTreeMap<(String, String), Figures>> {
    let all = figures(store, &[center_id], "0000-00", "9999-99").await?;
    Ok(all.into_iter().map(|((_, m, c), f)| ((m, c), f)).filter(|(_, f)| *f != Figures::default()).collect())
}
