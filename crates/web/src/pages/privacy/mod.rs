//! Privacy pages (PIPA): data subjects' requests and the person's data export, the member's
//! privacy page (requests, the encrypted identifier), counseling notes behind the
//! sensitive-records grant, the grant and privacy-officer forms, and the public privacy policy.

pub mod member;
pub mod policy;
pub mod requests;

use gajok_app::privacy::requests::kind;
use gajok_domain::text::Lang;

/// The label of a request kind in the page language (from the rules data).
pub fn kind_label(lang: Lang, code: &str) -> String {
    match (kind(code), lang) {
        (Some(k), Lang::Ko) => k.label_ko.clone(),
        (Some(k), Lang::En) => k.label_en.clone(),
        (None, _) => code.to_string(),
    }
}
