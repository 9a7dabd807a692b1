//! 서식13 as an XLSX laid out like the form: part 1 (공동육아나눔터: installation, usage,
//! regular programs) and part 2 (가족품앗이: activity results with the two-level header,
//! children by age as real persons, the education details). Labels come from the caller
//! (the page's language), numbers are numeric cells.

use rust_xlsxwriter::{Format, FormatAlign, FormatBorder, Workbook, Worksheet, XlsxError};

use super::report::Form13;
use crate::error::{AppError, AppResult};

/// Translates a label key with its arguments (the page's language).
pub type Translate<'a> = &'a dyn Fn(&str, &[(&str, &str)]) -> String;

struct Sheet<'a> {
    ws: &'a mut Worksheet,
    head: Format,
    cell: Format,
    bold: Format,
    row: u32,
}

impl Sheet<'_> {
    fn title(&mut self, text: &str) -> Result<(), XlsxError> {
        self.ws.write_string_with_format(self.row, 0, text, &self.bold)?;
        self.row += 1;
        Ok(())
    }

    /// A header cell spanning `cols` columns and `rows` rows at (row offset, col).
    fn head(&mut self, r: u32, c: u16, rows: u32, cols: u16, text: &str) -> Result<(), XlsxError> {
        let (r0, r1) = (self.row + r, self.row + r + rows - 1);
        if rows == 1 && cols == 1 {
            self.ws.write_string_with_format(r0, c, text, &self.head)?;
        } else {
            self.ws.merge_range(r0, c, r1, c + cols - 1, text, &self.head)?;
        }
        Ok(())
    }

    fn values(&mut self, r: u32, first: u16, cells: &[Cell]) -> Result<(), XlsxError> {
        for (i, v) in cells.iter().enumerate() {
            let c = first + i as u16;
            match v {
                Cell::N(n) => self.ws.write_number_with_format(self.row + r, c, *n as f64, &self.cell)?,
                Cell::S(s) => self.ws.write_string_with_format(self.row + r, c, s, &self.cell)?,
            };
        }
        Ok(())
    }
}

enum Cell {
    N(i64),
    S(String),
}

/// The workbook of a center's 서식13; `t` translates a label key.
pub fn form13_xlsx(f: &Form13, center: &str, month: &str, t: Translate<'_>) -> AppResult<Vec<u8>> {
    build(f, center, month, t).map_err(|e| AppError::Internal(format!("xlsx: {e}")))
}

fn build(f: &Form13, center: &str, month: &str, t: Translate<'_>) -> Result<Vec<u8>, XlsxError> {
    use Cell::{N, S};
    let mut wb = Workbook::new();
    let ws = wb.add_worksheet();
    ws.set_name(month)?;
    let border = |f: Format| f.set_border(FormatBorder::Thin).set_align(FormatAlign::Center);
    let mut s = Sheet {
        head: border(Format::new().set_bold().set_background_color("#E8EEF5")),
        cell: border(Format::new()),
        bold: Format::new().set_bold(),
        ws,
        row: 0,
    };
    let mon: u32 = month.get(5..7).and_then(|m| m.parse().ok()).unwrap_or(0);
    s.ws.merge_range(0, 0, 0, 11, &t("ntp-f13-title", &[("m", &mon.to_string())]), &s.bold)?;
    s.row = 1;
    s.title(&format!("{}: {center}", t("ntp-f13-institution", &[])))?;
    s.row += 1;

    // 1. 공동육아나눔터 실적 — 가. 설치 현황
    s.title(&t("ntp-f13-part-a", &[]))?;
    s.title(&t("ntp-f13-install", &[]))?;
    for (i, k) in ["ntp-f13-no", "ntp-f13-space", "ntp-f13-size", "ntp-f13-hours", "ntp-f13-address"].iter().enumerate()
    {
        s.head(0, i as u16, 1, 1, &t(k, &[]))?;
    }
    s.row += 1;
    for (i, sp) in f.spaces.iter().enumerate() {
        s.values(
            0,
            0,
            &[
                N(i as i64 + 1),
                S(sp.name.clone()),
                S(format!("{}㎡", sp.area_m2)),
                S(sp.hours.clone()),
                S(sp.address.clone()),
            ],
        )?;
        s.row += 1;
    }
    s.row += 1;

    // 나. 이용 현황: 월 | 이용나눔터 수 | 발굴나눔터 수 | 이용자 수(부모, 자녀) | 대여건 수 | 홍보건 수 | 상시프로그램 건 수
    s.title(&t("ntp-f13-usage", &[]))?;
    s.head(0, 0, 2, 1, &t("ntp-f13-month", &[]))?;
    s.head(0, 1, 2, 1, &t("ntp-f13-spaces-used", &[]))?;
    s.head(0, 2, 2, 1, &t("ntp-f13-spaces-found", &[]))?;
    s.head(0, 3, 1, 2, &t("ntp-f13-users", &[]))?;
    s.head(1, 3, 1, 1, &t("ntp-f13-parents", &[]))?;
    s.head(1, 4, 1, 1, &t("ntp-f13-children", &[]))?;
    s.head(0, 5, 2, 1, &t("ntp-f13-loans", &[]))?;
    s.head(0, 6, 2, 1, &t("ntp-f13-publicity", &[]))?;
    s.head(0, 7, 2, 1, &t("ntp-f13-regular", &[]))?;
    s.row += 2;
    s.values(
        0,
        0,
        &[
            S(format!("{mon}{}", t("ntp-f13-month-suffix", &[]))),
            N(f.spaces_used),
            N(f.spaces_found.month),
            N(f.users_parents.month),
            N(f.users_children.month),
            N(f.loans.month),
            N(f.publicity.month),
            N(f.regular_sessions.month),
        ],
    )?;
    s.values(
        1,
        0,
        &[
            S(t("ntp-f13-ytd", &[])),
            S(String::new()),
            N(f.spaces_found.ytd),
            N(f.users_parents.ytd),
            N(f.users_children.ytd),
            N(f.loans.ytd),
            N(f.publicity.ytd),
            N(f.regular_sessions.ytd),
        ],
    )?;
    s.row += 3;

    // 다. 상시프로그램 현황: 회기 | 시간 | 참여자(부모+자녀)
    s.title(&t("ntp-f13-regular-status", &[]))?;
    for (i, k) in ["ntp-f13-month", "ntp-f13-sessions", "ntp-f13-minutes", "ntp-f13-participants"].iter().enumerate() {
        s.head(0, i as u16, 1, 1, &t(k, &[]))?;
    }
    s.row += 1;
    s.values(
        0,
        0,
        &[
            S(format!("{mon}{}", t("ntp-f13-month-suffix", &[]))),
            N(f.regular_sessions.month),
            N(f.regular_minutes.month / 60),
            N(f.regular_participants.month),
        ],
    )?;
    s.values(
        1,
        0,
        &[
            S(t("ntp-f13-ytd", &[])),
            N(f.regular_sessions.ytd),
            N(f.regular_minutes.ytd / 60),
            N(f.regular_participants.ytd),
        ],
    )?;
    s.row += 3;

    // 2. 가족품앗이 실적 — 가. 활동 실적
    s.title(&t("ntp-f13-part-b", &[]))?;
    s.title(&t("ntp-f13-activity", &[]))?;
    s.head(0, 0, 2, 1, &t("ntp-f13-month", &[]))?;
    s.head(0, 1, 1, 3, &t("ntp-f13-members", &[]))?;
    s.head(1, 1, 1, 1, &t("ntp-f13-groups", &[]))?;
    s.head(1, 2, 1, 1, &t("ntp-f13-families", &[]))?;
    s.head(1, 3, 1, 1, &t("ntp-f13-persons", &[]))?;
    s.head(0, 4, 1, 4, &t("ntp-f13-active", &[]))?;
    s.head(1, 4, 1, 1, &t("ntp-f13-families", &[]))?;
    s.head(1, 5, 1, 1, &t("ntp-f13-grandparents", &[]))?;
    s.head(1, 6, 1, 1, &t("ntp-f13-parents", &[]))?;
    s.head(1, 7, 1, 1, &t("ntp-f13-children", &[]))?;
    s.head(0, 8, 2, 1, &t("ntp-f13-whole-programs", &[]))?;
    s.head(0, 9, 2, 1, &t("ntp-f13-whole-gatherings", &[]))?;
    s.head(0, 10, 2, 1, &t("ntp-f13-leader-training", &[]))?;
    s.row += 2;
    s.values(
        0,
        0,
        &[
            S(format!("{mon}{}", t("ntp-f13-month-suffix", &[]))),
            N(f.member_groups),
            N(f.member_families),
            N(f.member_persons),
            N(f.active_families),
            N(f.active_grandparents),
            N(f.active_parents),
            N(f.active_children),
            N(f.whole_programs.month),
            N(f.whole_gatherings.month),
            N(f.leader_trainings.month),
        ],
    )?;
    s.row += 2;

    // 나. 활동아동 연령별 현황 (실인원)
    s.title(&t("ntp-f13-ages", &[]))?;
    for (i, (from, to, _)) in f.age_buckets.iter().enumerate() {
        s.head(0, i as u16, 1, 1, &age_label(*from, *to, t))?;
    }
    s.head(0, f.age_buckets.len() as u16, 1, 1, &t("ntp-f13-total", &[]))?;
    s.row += 1;
    let mut cells: Vec<Cell> = f.age_buckets.iter().map(|b| N(b.2)).collect();
    cells.push(N(f.age_total));
    s.values(0, 0, &cells)?;
    s.row += 2;

    // 다. 품앗이 교육 세부내용
    s.title(&t("ntp-f13-education", &[]))?;
    for (i, k) in
        ["ntp-f13-month", "ntp-f13-date", "ntp-f13-course", "ntp-f13-minutes", "ntp-f13-leaders"].iter().enumerate()
    {
        s.head(0, i as u16, 1, 1, &t(k, &[]))?;
    }
    s.row += 1;
    for tr in &f.trainings {
        s.values(
            0,
            0,
            &[
                S(format!("{mon}{}", t("ntp-f13-month-suffix", &[]))),
                S(tr.date.clone()),
                S(tr.title.clone()),
                N(tr.minutes / 60),
                N(tr.leaders),
            ],
        )?;
        s.row += 1;
    }
    s.ws.set_column_width(0, 10)?;
    s.ws.set_column_width(1, 22)?;
    for c in 2..12 {
        s.ws.set_column_width(c, 11)?;
    }
    s.ws.set_column_width(4, 28)?;
    wb.save_to_buffer()
}

/// "1세", "8~10세" — a bucket [0, 1] is the guide's "1세".
pub fn age_label(from: i64, to: i64, t: Translate<'_>) -> String {
    if to <= 1 || from == to {
        t("ntp-age-one", &[("n", &to.to_string())])
    } else {
        t("ntp-age-range", &[("from", &from.to_string()), ("to", &to.to_string())])
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_form_is_a_workbook() {
        let f = Form13 { age_buckets: vec![(0, 1, 2), (8, 10, 1)], age_total: 3, ..Default::default() };
        let t = |k: &str, a: &[(&str, &str)]| match k {
            "ntp-age-one" => format!("{}세", a[0].1),
            "ntp-age-range" => format!("{}~{}세", a[0].1, a[1].1),
            k => k.to_string(),
        };
        let b = form13_xlsx(&f, "광진", "2026-05", &t).unwrap();
        assert_eq!(&b[..2], b"PK");
        assert_eq!(age_label(0, 1, &t), "1세");
        assert_eq!(age_label(8, 10, &t), "8~10세");
    }
}
