//! Programs, sessions, enrolment, attendance, head counts and satisfaction surveys. Every
//! write that changes a count calls into [`crate::counting`] in the same transaction.

use chrono::Utc;
use gajok_domain::code_list::CodeList;
use gajok_domain::program::{AttendanceStatus, HeadCountGroup};
use gajok_domain::time;
use serde::Serialize;
use sqlx::any::AnyRow;

use crate::counting::{self, Delta};
use crate::db::{Store, Tx};
use crate::error::{StoreError, StoreResult};
use crate::row::{RowExt, flag};

#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct Program {
    pub id: i64,
    pub center_id: i64,
    pub year: i64,
    pub area: String,
    pub common_program: Option<String>,
    pub name: String,
    pub description: Option<String>,
    pub target_real: i64,
    pub target_cumulative: i64,
    pub target_sessions: i64,
    pub target_minutes: i64,
    pub active: bool,
    pub version: i64,
}

#[derive(Debug, Clone)]
pub struct ProgramData {
    pub year: i64,
    pub area: String,
    pub common_program: Option<String>,
    pub name: String,
    pub description: Option<String>,
    pub target_real: i64,
    pub target_cumulative: i64,
    pub target_sessions: i64,
    pub target_minutes: i64,
}

fn program_from_row(r: &AnyRow) -> StoreResult<Program> {
    Ok(Program {
        id: r.int("id")?,
        center_id: r.int("center_id")?,
        year: r.int("year")?,
        area: r.text("area")?,
        common_program: r.text_opt("common_program")?,
        name: r.text("name")?,
        description: r.text_opt("description")?,
        target_real: r.int("target_real")?,
        target_cumulative: r.int("target_cumulative")?,
        target_sessions: r.int("target_sessions")?,
        target_minutes: r.int("target_minutes")?,
        active: r.flag("active")?,
        version: r.int("version")?,
    })
}

pub async fn insert_program(tx: &mut Tx, center_id: i64, d: &ProgramData) -> StoreResult<Program> {
    let now = time::to_db(Utc::now());
    let r = sqlx::query(
        "INSERT INTO programs (center_id, year, area, common_program, name, description, target_real, target_cumulative, \
         target_sessions, target_minutes, active, version, created_at, updated_at) \
         VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,1,1,$11,$11) RETURNING id",
    )
    .bind(center_id)
    .bind(d.year)
    .bind(d.area.clone())
    .bind(d.common_program.clone())
    .bind(d.name.clone())
    .bind(d.description.clone())
    .bind(d.target_real)
    .bind(d.target_cumulative)
    .bind(d.target_sessions)
    .bind(d.target_minutes)
    .bind(now)
    .fetch_one(tx.conn())
    .await?;
    let id = r.int("id")?;
    program(tx.conn(), id).await?.ok_or_else(|| StoreError::Corrupt(format!("program {id} vanished")))
}

pub async fn program<'e, E: sqlx::Executor<'e, Database = sqlx::Any>>(ex: E, id: i64) -> StoreResult<Option<Program>> {
    let r = sqlx::query("SELECT * FROM programs WHERE id = $1").bind(id).fetch_optional(ex).await?;
    r.as_ref().map(program_from_row).transpose()
}

pub async fn programs(store: &Store, center_id: i64, year: i64) -> StoreResult<Vec<Program>> {
    let rows = sqlx::query("SELECT * FROM programs WHERE center_id = $1 AND year = $2 ORDER BY area, name")
        .bind(center_id)
        .bind(year)
        .fetch_all(store.reader())
        .await?;
    rows.iter().map(program_from_row).collect()
}

#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct Session {
    pub id: i64,
    pub center_id: i64,
    pub program_id: i64,
    pub series_id: Option<String>,
    pub date: String,
    pub start_time: String,
    pub minutes: i64,
    pub place: Option<String>,
    pub instructor: Option<String>,
    pub open_event: bool,
}

#[derive(Debug, Clone)]
pub struct SessionData {
    pub series_id: Option<String>,
    pub date: String,
    pub start_time: String,
    pub minutes: i64,
    pub place: Option<String>,
    pub instructor: Option<String>,
    pub open_event: bool,
}

fn session_from_row(r: &AnyRow) -> StoreResult<Session> {
    Ok(Session {
        id: r.int("id")?,
        center_id: r.int("center_id")?,
        program_id: r.int("program_id")?,
        series_id: r.text_opt("series_id")?,
        date: r.text("date")?,
        start_time: r.text("start_time")?,
        minutes: r.int("minutes")?,
        place: r.text_opt("place")?,
        instructor: r.text_opt("instructor")?,
        open_event: r.flag("open_event")?,
    })
}

/// Adds a session and counts it (회기, minutes) in its month.
pub async fn insert_session(tx: &mut Tx, p: &Program, d: &SessionData) -> StoreResult<Session> {
    let r = sqlx::query(
        "INSERT INTO program_sessions (center_id, program_id, series_id, date, start_time, minutes, place, instructor, \
         open_event, created_at) VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10) RETURNING id",
    )
    .bind(p.center_id)
    .bind(p.id)
    .bind(d.series_id.clone())
    .bind(d.date.clone())
    .bind(d.start_time.clone())
    .bind(d.minutes)
    .bind(d.place.clone())
    .bind(d.instructor.clone())
    .bind(flag(d.open_event))
    .bind(time::to_db(Utc::now()))
    .fetch_one(tx.conn())
    .await?;
    let id = r.int("id")?;
    counting::bump_all(
        tx,
        p.center_id,
        &d.date[..7],
        p.id,
        &p.area,
        Delta { sessions: 1, minutes: d.minutes, ..Delta::default() },
    )
    .await?;
    session(tx.conn(), id).await?.ok_or_else(|| StoreError::Corrupt(format!("session {id} vanished")))
}

pub async fn session<'e, E: sqlx::Executor<'e, Database = sqlx::Any>>(ex: E, id: i64) -> StoreResult<Option<Session>> {
    let r = sqlx::query("SELECT * FROM program_sessions WHERE id = $1").bind(id).fetch_optional(ex).await?;
    r.as_ref().map(session_from_row).transpose()
}

pub async fn sessions(store: &Store, program_id: i64) -> StoreResult<Vec<Session>> {
    let rows = sqlx::query("SELECT * FROM program_sessions WHERE program_id = $1 ORDER BY date, start_time, id")
        .bind(program_id)
        .fetch_all(store.reader())
        .await?;
    rows.iter().map(session_from_row).collect()
}

/// Deletes a session with its attendance and head counts, correcting every count.
pub async fn delete_session(tx: &mut Tx, p: &Program, s: &Session) -> StoreResult<()> {
    let rows = sqlx::query("SELECT member_id, status FROM attendance WHERE session_id = $1")
        .bind(s.id)
        .fetch_all(tx.conn())
        .await?;
    let present: Vec<i64> = rows
        .iter()
        .filter(|r| r.text("status").is_ok_and(|v| v == "present"))
        .map(|r| r.int("member_id"))
        .collect::<StoreResult<_>>()?;
    let open: i64 =
        sqlx::query("SELECT CAST(COALESCE(SUM(persons), 0) AS BIGINT) AS n FROM head_counts WHERE session_id = $1")
            .bind(s.id)
            .fetch_one(tx.conn())
            .await?
            .int("n")?;
    sqlx::query("DELETE FROM attendance WHERE session_id = $1").bind(s.id).execute(tx.conn()).await?;
    sqlx::query("DELETE FROM head_counts WHERE session_id = $1").bind(s.id).execute(tx.conn()).await?;
    sqlx::query("DELETE FROM program_sessions WHERE id = $1").bind(s.id).execute(tx.conn()).await?;
    let d = Delta {
        sessions: -1,
        minutes: -s.minutes,
        cumulative: -(present.len() as i64),
        open_persons: -open,
        real_new: 0,
    };
    counting::bump_all(tx, p.center_id, &s.date[..7], p.id, &p.area, d).await?;
    let year: i32 = s.date[..4].parse().unwrap_or(0);
    for m in present {
        counting::reconcile_person(tx, p.center_id, year, m, p.id, &p.area).await?;
    }
    Ok(())
}

pub async fn enrol(tx: &mut Tx, p: &Program, member_id: i64, on: &str) -> StoreResult<bool> {
    let res = sqlx::query(
        "INSERT INTO enrolments (center_id, program_id, member_id, enrolled_on) VALUES ($1,$2,$3,$4) \
         ON CONFLICT (program_id, member_id) DO NOTHING",
    )
    .bind(p.center_id)
    .bind(p.id)
    .bind(member_id)
    .bind(on.to_string())
    .execute(tx.conn())
    .await?;
    Ok(res.rows_affected() == 1)
}

pub async fn enrolled_ids<'e, E: sqlx::Executor<'e, Database = sqlx::Any>>(
    ex: E,
    program_id: i64,
) -> StoreResult<Vec<i64>> {
    let rows =
        sqlx::query("SELECT member_id FROM enrolments WHERE program_id = $1").bind(program_id).fetch_all(ex).await?;
    rows.iter().map(|r| r.int("member_id")).collect()
}

/// Attendance of a session: member id → status.
pub async fn attendance<'e, E: sqlx::Executor<'e, Database = sqlx::Any>>(
    ex: E,
    session_id: i64,
) -> StoreResult<Vec<(i64, AttendanceStatus)>> {
    let rows = sqlx::query("SELECT member_id, status FROM attendance WHERE session_id = $1")
        .bind(session_id)
        .fetch_all(ex)
        .await?;
    rows.iter().map(|r| Ok((r.int("member_id")?, r.code("status")?))).collect()
}

/// Sets (or with `None` removes) one person's attendance and corrects the counts.
/// Returns whether anything changed.
pub async fn set_attendance(
    tx: &mut Tx,
    p: &Program,
    s: &Session,
    member_id: i64,
    status: Option<AttendanceStatus>,
    by: Option<i64>,
) -> StoreResult<bool> {
    Ok(set_attendance_many(tx, p, s, &[(member_id, status)], by).await? == 1)
}

/// Sets the attendance of several people in one session and corrects the counts; returns
/// how many records changed. Reads the session's statuses once and adds 연인원 once per
/// level, so a room of 30 costs a few dozen statements, not hundreds.
pub async fn set_attendance_many(
    tx: &mut Tx,
    p: &Program,
    s: &Session,
    entries: &[(i64, Option<AttendanceStatus>)],
    by: Option<i64>,
) -> StoreResult<usize> {
    // The month rows of this session are locked first, always in the same order (center,
    // area, program): concurrent writers on the same session then queue here instead of
    // locking rows in different orders later (a deadlock on PostgreSQL). The session's
    // statuses are read only once the lock is held: read before it, two writers marking the
    // same person present at once both saw "absent" and both added to 연인원.
    let month = &s.date[..7];
    counting::lock_month(tx, p.center_id, month, p.id, &p.area, Delta::default()).await?;
    let current: std::collections::HashMap<i64, AttendanceStatus> =
        attendance(tx.conn(), s.id).await?.into_iter().collect();
    let now = time::to_db(Utc::now());
    let present = |st: Option<AttendanceStatus>| st == Some(AttendanceStatus::Present);
    let cumulative: i64 =
        entries.iter().map(|(m, st)| i64::from(present(*st)) - i64::from(present(current.get(m).copied()))).sum();
    if cumulative != 0 {
        counting::bump_all(tx, p.center_id, month, p.id, &p.area, Delta { cumulative, ..Delta::default() }).await?;
    }
    let mut changed = 0;
    for (member_id, status) in entries {
        let old = current.get(member_id).copied();
        if old == *status {
            continue;
        }
        match status {
            Some(st) => {
                sqlx::query(
                    "INSERT INTO attendance (center_id, session_id, member_id, status, recorded_at, recorded_by) VALUES ($1,$2,$3,$4,$5,$6) \
                     ON CONFLICT (session_id, member_id) DO UPDATE SET status = excluded.status, recorded_at = excluded.recorded_at, \
                     recorded_by = excluded.recorded_by",
                )
                .bind(p.center_id)
                .bind(s.id)
                .bind(*member_id)
                .bind(st.code())
                .bind(now.clone())
                .bind(by)
                .execute(tx.conn())
                .await?;
            }
            None => {
                sqlx::query("DELETE FROM attendance WHERE session_id = $1 AND member_id = $2")
                    .bind(s.id)
                    .bind(*member_id)
                    .execute(tx.conn())
                    .await?;
            }
        }
        changed += 1;
        let was = old == Some(AttendanceStatus::Present);
        let is = *status == Some(AttendanceStatus::Present);
        if was != is {
            counting::attendance_changed(tx, p.center_id, *member_id, p.id, &p.area, &s.date, is).await?;
        }
    }
    Ok(changed)
}

pub async fn head_counts<'e, E: sqlx::Executor<'e, Database = sqlx::Any>>(
    ex: E,
    session_id: i64,
) -> StoreResult<Vec<(HeadCountGroup, i64)>> {
    let rows = sqlx::query("SELECT grp, persons FROM head_counts WHERE session_id = $1")
        .bind(session_id)
        .fetch_all(ex)
        .await?;
    rows.iter().map(|r| Ok((r.code("grp")?, r.int("persons")?))).collect()
}

pub async fn set_head_count(
    tx: &mut Tx,
    p: &Program,
    s: &Session,
    grp: HeadCountGroup,
    persons: i64,
) -> StoreResult<()> {
    let old = sqlx::query("SELECT persons FROM head_counts WHERE session_id = $1 AND grp = $2")
        .bind(s.id)
        .bind(grp.code())
        .fetch_optional(tx.conn())
        .await?
        .map(|r| r.int("persons"))
        .transpose()?
        .unwrap_or(0);
    sqlx::query(
        "INSERT INTO head_counts (center_id, session_id, grp, persons) VALUES ($1,$2,$3,$4) \
         ON CONFLICT (session_id, grp) DO UPDATE SET persons = excluded.persons",
    )
    .bind(p.center_id)
    .bind(s.id)
    .bind(grp.code())
    .bind(persons)
    .execute(tx.conn())
    .await?;
    counting::bump_all(
        tx,
        p.center_id,
        &s.date[..7],
        p.id,
        &p.area,
        Delta { open_persons: persons - old, ..Delta::default() },
    )
    .await?;
    Ok(())
}

/// One answer sheet of the 7-item satisfaction survey (form 5), scores 1–5.
#[derive(Debug, Clone)]
pub struct SurveyAnswer {
    pub answered_on: String,
    pub scores: [i64; 7],
    pub sex: Option<String>,
    pub age: Option<i64>,
    pub helped: Option<String>,
    pub improve: Option<String>,
}

pub async fn insert_survey(tx: &mut Tx, p: &Program, a: &SurveyAnswer) -> StoreResult<i64> {
    let r = sqlx::query(
        "INSERT INTO survey_responses (center_id, program_id, answered_on, q1, q2, q3, q4, q5, q6, q7, sex, age, helped, improve, created_at) \
         VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$12,$13,$14,$15) RETURNING id",
    )
    .bind(p.center_id)
    .bind(p.id)
    .bind(a.answered_on.clone())
    .bind(a.scores[0])
    .bind(a.scores[1])
    .bind(a.scores[2])
    .bind(a.scores[3])
    .bind(a.scores[4])
    .bind(a.scores[5])
    .bind(a.scores[6])
    .bind(a.sex.clone())
    .bind(a.age)
    .bind(a.helped.clone())
    .bind(a.improve.clone())
    .bind(time::to_db(Utc::now()))
    .fetch_one(tx.conn())
    .await?;
    r.int("id")
}

/// Number of answers and the sum of each item's scores (averages are computed by the caller,
/// so integer sums stay exact across backends).
pub async fn survey_sums(store: &Store, program_id: i64) -> StoreResult<(i64, [i64; 7])> {
    let r = sqlx::query(
        "SELECT COUNT(*) AS n, CAST(COALESCE(SUM(q1),0) AS BIGINT) AS s1, CAST(COALESCE(SUM(q2),0) AS BIGINT) AS s2, \
         CAST(COALESCE(SUM(q3),0) AS BIGINT) AS s3, CAST(COALESCE(SUM(q4),0) AS BIGINT) AS s4, CAST(COALESCE(SUM(q5),0) AS BIGINT) AS s5, \
         CAST(COALESCE(SUM(q6),0) AS BIGINT) AS s6, CAST(COALESCE(SUM(q7),0) AS BIGINT) AS s7 FROM survey_responses WHERE program_id = $1",
    )
    .bind(program_id)
    .fetch_one(store.reader())
    .await?;
    let mut s = [0i64; 7];
    for (i, v) in s.iter_mut().enumerate() {
        *v = r.int(&format!("s{}", i + 1))?;
    }
    Ok((r.int("n")?, s))
}

/// Programs a member is enrolled in: (program id, "name (year)").
pub async fn member_programs(store: &Store, member_id: i64) -> StoreResult<Vec<(i64, String)>> {
    let rows = sqlx::query(
        "SELECT p.id, p.name, p.year FROM enrolments e JOIN programs p ON p.id = e.program_id WHERE e.member_id = $1 \
         ORDER BY p.year DESC, p.name",
    )
    .bind(member_id)
    .fetch_all(store.reader())
    .await?;
    rows.iter().map(|r| Ok((r.int("id")?, format!("{} ({})", r.text("name")?, r.int("year")?)))).collect()
}

/// For a center's year and one common program: (programs, sessions up to `today`, their
/// minutes, sessions after `today`, their minutes).
pub async fn common_program_usage(
    store: &Store,
    center_id: i64,
    year: i64,
    common: &str,
    today: &str,
) -> StoreResult<(i64, i64, i64, i64, i64)> {
    let r = sqlx::query(
        "SELECT (SELECT COUNT(*) FROM programs WHERE center_id = $1 AND year = $2 AND common_program = $3) AS programs, \
         CAST(COALESCE(SUM(CASE WHEN s.date <= $4 THEN 1 ELSE 0 END), 0) AS BIGINT) AS done_s, \
         CAST(COALESCE(SUM(CASE WHEN s.date <= $4 THEN s.minutes ELSE 0 END), 0) AS BIGINT) AS done_m, \
         CAST(COALESCE(SUM(CASE WHEN s.date > $4 THEN 1 ELSE 0 END), 0) AS BIGINT) AS later_s, \
         CAST(COALESCE(SUM(CASE WHEN s.date > $4 THEN s.minutes ELSE 0 END), 0) AS BIGINT) AS later_m \
         FROM program_sessions s JOIN programs p ON p.id = s.program_id \
         WHERE p.center_id = $1 AND p.year = $2 AND p.common_program = $3",
    )
    .bind(center_id)
    .bind(year)
    .bind(common.to_string())
    .bind(today.to_string())
    .fetch_one(store.reader())
    .await?;
    Ok((r.int("programs")?, r.int("done_s")?, r.int("done_m")?, r.int("later_s")?, r.int("later_m")?))
}

/// The areas in which a center has programs in a year.
pub async fn areas_with_programs(store: &Store, center_id: i64, year: i64) -> StoreResult<Vec<String>> {
    let rows = sqlx::query("SELECT DISTINCT area FROM programs WHERE center_id = $1 AND year = $2")
        .bind(center_id)
        .bind(year)
        .fetch_all(store.reader())
        .await?;
    rows.iter().map(|r| r.text("area")).collect()
}

/// Sessions scheduled in a month per program of a center: program id → count.
pub async fn sessions_in_month(store: &Store, center_id: i64, month: &str) -> StoreResult<Vec<(i64, i64)>> {
    let rows = sqlx::query(
        "SELECT program_id, COUNT(*) AS n FROM program_sessions WHERE center_id = $1 AND date >= $2 AND date <= $3 GROUP BY program_id",
    )
    .bind(center_id)
    .bind(format!("{month}-01"))
    .bind(format!("{month}-31"))
    .fetch_all(store.reader())
    .await?;
    rows.iter().map(|r| Ok((r.int("program_id")?, r.int("n")?))).collect()
}
