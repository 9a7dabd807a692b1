//! What the 나눔터 monthly report (서식13), the yearly obligations and the local-currency
//! ledger read and write: the obligation event log with leader-training attendance, the
//! ledger, and the raw rows the report counts (품앗이 attendance with who attended, group
//! membership, sessions held in a space).

use chrono::Utc;
use gajok_domain::time;
use serde::Serialize;

use crate::db::{Store, Tx};
use crate::error::StoreResult;
use crate::row::{RowExt, flag};

/// One recorded obligation event (정례회의, 전체프로그램, 전체모임, 리더양성교육, 운영위원회, 홍보행사).
#[derive(Debug, Clone, Serialize)]
pub struct Event {
    pub id: i64,
    pub center_id: i64,
    pub kind: String,
    pub held_on: String,
    pub minutes: i64,
    pub title: String,
    pub participants: i64,
    pub pumasi_briefing: bool,
    /// Leaders who attended (leader training only): (member id, name).
    pub leaders: Vec<(i64, String)>,
}

pub struct NewEvent<'a> {
    pub kind: &'a str,
    pub held_on: &'a str,
    pub minutes: i64,
    pub title: &'a str,
    pub participants: i64,
    pub pumasi_briefing: bool,
    pub leaders: &'a [i64],
    pub by: Option<i64>,
}

pub async fn insert_event(tx: &mut Tx, center_id: i64, e: &NewEvent<'_>) -> StoreResult<i64> {
    let r = sqlx::query(
        "INSERT INTO nanumteo_events (center_id, kind, held_on, minutes, title, participants, pumasi_briefing, created_by, created_at) \
         VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9) RETURNING id",
    )
    .bind(center_id)
    .bind(e.kind.to_string())
    .bind(e.held_on.to_string())
    .bind(e.minutes)
    .bind(e.title.to_string())
    .bind(e.participants)
    .bind(flag(e.pumasi_briefing))
    .bind(e.by)
    .bind(time::to_db(Utc::now()))
    .fetch_one(tx.conn())
    .await?;
    let id = r.int("id")?;
    for m in e.leaders {
        sqlx::query("INSERT INTO nanumteo_event_leaders (event_id, center_id, member_id) VALUES ($1,$2,$3)")
            .bind(id)
            .bind(center_id)
            .bind(*m)
            .execute(tx.conn())
            .await?;
    }
    Ok(id)
}

/// Events of a center held between two dates (inclusive), oldest first.
pub async fn events(store: &Store, center_id: i64, from: &str, to: &str) -> StoreResult<Vec<Event>> {
    let rows = sqlx::query(
        "SELECT * FROM nanumteo_events WHERE center_id = $1 AND held_on >= $2 AND held_on <= $3 ORDER BY held_on, id",
    )
    .bind(center_id)
    .bind(from.to_string())
    .bind(to.to_string())
    .fetch_all(store.reader())
    .await?;
    let leaders = sqlx::query(
        "SELECT l.event_id, l.member_id, m.name FROM nanumteo_event_leaders l JOIN members m ON m.id = l.member_id \
         JOIN nanumteo_events e ON e.id = l.event_id WHERE l.center_id = $1 AND e.held_on >= $2 AND e.held_on <= $3 \
         ORDER BY m.name",
    )
    .bind(center_id)
    .bind(from.to_string())
    .bind(to.to_string())
    .fetch_all(store.reader())
    .await?;
    let mut by_event: std::collections::BTreeMap<i64, Vec<(i64, String)>> = Default::default();
    for l in &leaders {
        by_event.entry(l.int("event_id")?).or_default().push((l.int("member_id")?, l.text("name")?));
    }
    rows.iter()
        .map(|r| {
            let id = r.int("id")?;
            Ok(Event {
                id,
                center_id: r.int("center_id")?,
                kind: r.text("kind")?,
                held_on: r.text("held_on")?,
                minutes: r.int("minutes")?,
                title: r.text("title")?,
                participants: r.int("participants")?,
                pumasi_briefing: r.flag("pumasi_briefing")?,
                leaders: by_event.remove(&id).unwrap_or_default(),
            })
        })
        .collect()
}

/// One line of the local-currency ledger.
#[derive(Debug, Clone, Serialize)]
pub struct CurrencyEntry {
    pub id: i64,
    pub entry_on: String,
    /// `in` or `out`
    pub direction: String,
    pub amount: i64,
    pub counterparty: String,
    pub description: String,
}

pub struct NewCurrencyEntry<'a> {
    pub entry_on: &'a str,
    pub direction: &'a str,
    pub amount: i64,
    pub counterparty: &'a str,
    pub description: &'a str,
    pub by: Option<i64>,
}

pub async fn insert_currency(tx: &mut Tx, center_id: i64, e: &NewCurrencyEntry<'_>) -> StoreResult<i64> {
    let r = sqlx::query(
        "INSERT INTO nanumteo_currency (center_id, entry_on, direction, amount, counterparty, description, created_by, created_at) \
         VALUES ($1,$2,$3,$4,$5,$6,$7,$8) RETURNING id",
    )
    .bind(center_id)
    .bind(e.entry_on.to_string())
    .bind(e.direction.to_string())
    .bind(e.amount)
    .bind(e.counterparty.to_string())
    .bind(e.description.to_string())
    .bind(e.by)
    .bind(time::to_db(Utc::now()))
    .fetch_one(tx.conn())
    .await?;
    r.int("id")
}

/// The ledger of a center in entry order (date, then as entered).
pub async fn currency(store: &Store, center_id: i64) -> StoreResult<Vec<CurrencyEntry>> {
    let rows = sqlx::query("SELECT * FROM nanumteo_currency WHERE center_id = $1 ORDER BY entry_on, id")
        .bind(center_id)
        .fetch_all(store.reader())
        .await?;
    rows.iter()
        .map(|r| {
            Ok(CurrencyEntry {
                id: r.int("id")?,
                entry_on: r.text("entry_on")?,
                direction: r.text("direction")?,
                amount: r.int("amount")?,
                counterparty: r.text("counterparty")?,
                description: r.text("description")?,
            })
        })
        .collect()
}

/// The current balance (received minus spent), read inside the writing transaction.
pub async fn currency_balance(tx: &mut Tx, center_id: i64) -> StoreResult<i64> {
    let r = sqlx::query(
        "SELECT CAST(COALESCE(SUM(CASE WHEN direction = 'in' THEN amount ELSE -amount END), 0) AS BIGINT) AS n \
         FROM nanumteo_currency WHERE center_id = $1",
    )
    .bind(center_id)
    .fetch_one(tx.conn())
    .await?;
    r.int("n")
}

/// One attendee of one 품앗이 activity, with what the counting rules need to know of them.
#[derive(Debug, Clone, Serialize)]
pub struct Attendance {
    pub activity_id: i64,
    pub group_id: i64,
    pub activity_date: String,
    pub member_id: i64,
    pub family_id: Option<i64>,
    pub relation: Option<String>,
    pub sex: String,
    pub birth_date: String,
    pub grandparent: bool,
}

/// Attendees of the center's 품앗이 activities between two dates (inclusive).
pub async fn attendance(store: &Store, center_id: i64, from: &str, to: &str) -> StoreResult<Vec<Attendance>> {
    let rows = sqlx::query(
        "SELECT a.id AS activity_id, a.group_id, a.activity_date, m.id AS member_id, m.family_id, m.relation, m.sex, \
         m.birth_date, m.grandparent FROM pumasi_activities a JOIN pumasi_attendees t ON t.activity_id = a.id \
         JOIN members m ON m.id = t.member_id \
         WHERE a.center_id = $1 AND a.activity_date >= $2 AND a.activity_date <= $3 ORDER BY a.activity_date, a.id, m.id",
    )
    .bind(center_id)
    .bind(from.to_string())
    .bind(to.to_string())
    .fetch_all(store.reader())
    .await?;
    rows.iter()
        .map(|r| {
            Ok(Attendance {
                activity_id: r.int("activity_id")?,
                group_id: r.int("group_id")?,
                activity_date: r.text("activity_date")?,
                member_id: r.int("member_id")?,
                family_id: r.int_opt("family_id")?,
                relation: r.text_opt("relation")?,
                sex: r.text("sex")?,
                birth_date: r.text("birth_date")?,
                grandparent: r.flag("grandparent")?,
            })
        })
        .collect()
}

/// (group id, family id, joined on) of every family of the center's groups.
pub async fn memberships(store: &Store, center_id: i64) -> StoreResult<Vec<(i64, i64, String)>> {
    let rows = sqlx::query(
        "SELECT group_id, family_id, joined_on FROM pumasi_group_families WHERE center_id = $1 ORDER BY group_id, joined_on",
    )
    .bind(center_id)
    .fetch_all(store.reader())
    .await?;
    rows.iter().map(|r| Ok((r.int("group_id")?, r.int("family_id")?, r.text("joined_on")?))).collect()
}

/// A session of a regular program (상시프로그램) of the 나눔터: minutes and participants.
#[derive(Debug, Clone, Serialize)]
pub struct SpaceSession {
    pub session_id: i64,
    pub program_name: String,
    pub date: String,
    pub start_time: String,
    pub minutes: i64,
    pub participants: i64,
}

/// Sessions between two dates of the center's programs linked to a space as regular programs
/// (`nanumteo_regular_programs`); participants = those marked present plus head counts.
pub async fn space_sessions(store: &Store, center_id: i64, from: &str, to: &str) -> StoreResult<Vec<SpaceSession>> {
    let rows = sqlx::query(
        "SELECT s.id, s.date, s.start_time, s.minutes, p.name AS program_name, \
         (SELECT COUNT(*) FROM attendance a WHERE a.session_id = s.id AND a.status = 'present') AS present, \
         (SELECT CAST(COALESCE(SUM(h.persons), 0) AS BIGINT) FROM head_counts h WHERE h.session_id = s.id) AS counted \
         FROM program_sessions s JOIN programs p ON p.id = s.program_id \
         WHERE s.center_id = $1 AND s.date >= $2 AND s.date <= $3 AND s.program_id IN \
         (SELECT r.program_id FROM nanumteo_regular_programs r WHERE r.center_id = $1 AND r.active = 1) \
         ORDER BY s.date, s.start_time",
    )
    .bind(center_id)
    .bind(from.to_string())
    .bind(to.to_string())
    .fetch_all(store.reader())
    .await?;
    rows.iter()
        .map(|r| {
            Ok(SpaceSession {
                session_id: r.int("id")?,
                program_name: r.text("program_name")?,
                date: r.text("date")?,
                start_time: r.text("start_time")?,
                minutes: r.int("minutes")?,
                participants: r.int("present")? + r.int("counted")?,
            })
        })
        .collect()
}
