//! Table exports shared by the pages and the CLI, so a download and `gajok report` carry the
//! same numbers: CSV for Excel on Korean Windows (UTF-8 with a byte-order mark, without which
//! Excel reads CP949 and Hangul breaks; CRLF; formula-like cells neutralised) and XLSX.

use rust_xlsxwriter::{Format, Workbook};

use crate::error::{AppError, AppResult};

fn cell(s: &str) -> String {
    // A cell starting like a formula is prefixed so Excel shows it as text (CSV injection).
    let s = if s.starts_with(['=', '+', '-', '@', '\t', '\r']) && s.parse::<f64>().is_err() {
        format!("'{s}")
    } else {
        s.to_string()
    };
    if s.contains([',', '"', '\n', '\r']) { format!("\"{}\"", s.replace('"', "\"\"")) } else { s }
}

pub fn csv(rows: &[Vec<String>]) -> Vec<u8> {
    let mut out = vec![0xEF, 0xBB, 0xBF];
    for r in rows {
        let line: Vec<String> = r.iter().map(|c| cell(c)).collect();
        out.extend_from_slice(line.join(",").as_bytes());
        out.extend_from_slice(b"\r\n");
    }
    out
}

/// One sheet: a title row, the header row (bold), then the rows; numeric cells as numbers.
pub fn xlsx(sheet_name: &str, title: &str, rows: &[Vec<String>]) -> AppResult<Vec<u8>> {
    let err = |e: rust_xlsxwriter::XlsxError| AppError::Internal(format!("xlsx: {e}"));
    let mut wb = Workbook::new();
    let bold = Format::new().set_bold();
    let ws = wb.add_worksheet();
    ws.set_name(sheet_name).map_err(err)?;
    ws.write_string_with_format(0, 0, title, &bold).map_err(err)?;
    for (i, row) in rows.iter().enumerate() {
        let r = (i + 2) as u32;
        for (j, v) in row.iter().enumerate() {
            let c = j as u16;
            match v.replace(',', "").parse::<f64>() {
                Ok(n) if i > 0 && !v.is_empty() => ws.write_number(r, c, n).map_err(err)?,
                _ if i == 0 => ws.write_string_with_format(r, c, v, &bold).map_err(err)?,
                _ => ws.write_string(r, c, v).map_err(err)?,
            };
        }
    }
    // Korean labels are about twice as wide as the default column.
    for j in 0..rows.first().map(|r| r.len()).unwrap_or(0) {
        ws.set_column_width(j as u16, if j < 2 { 24 } else { 12 }).map_err(err)?;
    }
    wb.save_to_buffer().map_err(err)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn csv_has_bom_quotes_and_no_formulas() {
        let b = csv(&[vec!["이름".into(), "a,b".into(), "=SUM(A1)".into(), "-3".into(), "say \"hi\"".into()]]);
        assert_eq!(&b[..3], &[0xEF, 0xBB, 0xBF]);
        let s = String::from_utf8(b[3..].to_vec()).unwrap();
        assert_eq!(s, "이름,\"a,b\",'=SUM(A1),-3,\"say \"\"hi\"\"\"\r\n");
    }

    #[test]
    fn xlsx_is_a_zip() {
        let b = xlsx("월간실적", "제목", &[vec!["영역".into(), "회기".into()], vec!["가족교육".into(), "3".into()]])
            .unwrap();
        assert_eq!(&b[..2], b"PK");
    }
}
