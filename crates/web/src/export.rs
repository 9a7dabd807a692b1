//! CSV for Excel on Korean Windows: UTF-8 with a byte-order mark (without it Excel reads
//! CP949 and Hangul turns to mojibake), CRLF line ends, and cells that would start a formula
//! prefixed with an apostrophe (CSV injection).

use axum::http::header;
use axum::response::{IntoResponse, Response};

fn cell(s: &str) -> String {
    let s = if s.starts_with(['=', '+', '-', '@', '\t', '\r']) && s.parse::<f64>().is_err() {
        format!("'{s}")
    } else {
        s.to_string()
    };
    if s.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s
    }
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

/// A download response; the file name is ASCII plus an RFC 5987 UTF-8 name.
pub fn download(
    bytes: Vec<u8>,
    content_type: &'static str,
    ascii_name: &str,
    utf8_name: &str,
) -> Response {
    let encoded: String = form_urlencoded::byte_serialize(utf8_name.as_bytes())
        .collect::<String>()
        .replace('+', "%20");
    let disposition = format!("attachment; filename=\"{ascii_name}\"; filename*=UTF-8''{encoded}");
    (
        [
            (header::CONTENT_TYPE, content_type.to_string()),
            (header::CONTENT_DISPOSITION, disposition),
        ],
        bytes,
    )
        .into_response()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bom_quotes_and_formulas() {
        let b = csv(&[vec![
            "이름".into(),
            "a,b".into(),
            "=SUM(A1)".into(),
            "-3".into(),
            "say \"hi\"".into(),
        ]]);
        assert_eq!(&b[..3], &[0xEF, 0xBB, 0xBF]);
        let s = String::from_utf8(b[3..].to_vec()).unwrap();
        assert_eq!(s, "이름,\"a,b\",'=SUM(A1),-3,\"say \"\"hi\"\"\"\r\n");
    }
}
