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
