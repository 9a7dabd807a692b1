//! File downloads (the bytes come from `gajok_app::export`).

use axum::http::header;
use axum::response::{IntoResponse, Response};

/// A download response; the file name is ASCII plus an RFC 5987 UTF-8 name.
pub fn download(bytes: Vec<u8>, content_type: &'static str, ascii_name: &str, utf8_name: &str) -> Response {
    let encoded: String = form_urlencoded::byte_serialize(utf8_name.as_bytes()).collect::<String>().replace('+', "%20");
    let disposition = format!("attachment; filename=\"{ascii_name}\"; filename*=UTF-8''{encoded}");
    ([(header::CONTENT_TYPE, content_type.to_string()), (header::CONTENT_DISPOSITION, disposition)], bytes)
        .into_response()
}

/// A list as CSV (UTF-8 with BOM) or XLSX, by the `format` query value.
pub fn table(format: Option<&str>, stem: &str, title: &str, rows: &[Vec<String>]) -> crate::error::WebResult<Response> {
    use gajok_app::AppError;
    let ascii: String = stem.chars().filter(|c| c.is_ascii_alphanumeric() || *c == '-').collect();
    match format.unwrap_or("csv") {
        "csv" => Ok(download(
            gajok_app::export::csv(rows),
            "text/csv; charset=utf-8",
            &format!("{ascii}.csv"),
            &format!("{title}.csv"),
        )),
        "xlsx" => {
            let bytes = gajok_app::export::xlsx(&ascii, title, rows)?;
            let ct = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
            Ok(download(bytes, ct, &format!("{ascii}.xlsx"), &format!("{title}.xlsx")))
        }
        _ => {
            let e = gajok_domain::FieldError::new("format", "unknown_value")
                .with_allowed(vec!["csv".into(), "xlsx".into()]);
            Err(crate::error::WebError::App(AppError::Validation(gajok_domain::FieldErrors(vec![e]))))
        }
    }
}
