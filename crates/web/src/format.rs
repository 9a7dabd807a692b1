//! How numbers, money and dates look on every page: one helper, so a figure reads the same on
//! the dashboard, the report and the desk. Korean pages use the Korean forms (`2024. 5. 3.`,
//! `1,234,000원`); English pages keep the thousands separators and show dates in ISO form
//! (`2024-05-03`), which English readers parse without ambiguity.

use gajok_domain::text::Lang;
use gajok_domain::time;

/// A whole number as templates hand it over: by value (`a + b`) or by any depth of reference.
pub trait Whole {
    fn whole(&self) -> i64;
}

impl Whole for i64 {
    fn whole(&self) -> i64 {
        *self
    }
}

impl<T: Whole + ?Sized> Whole for &T {
    fn whole(&self) -> i64 {
        (**self).whole()
    }
}

/// `1,234,000` — Korean and English group digits the same way.
pub fn num(n: i64) -> String {
    let s = n.unsigned_abs().to_string();
    let mut out = String::with_capacity(s.len() + s.len() / 3 + 1);
    if n < 0 {
        out.push('-');
    }
    for (i, c) in s.chars().enumerate() {
        if i > 0 && (s.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// A stored `YYYY-MM-DD` as a reader expects it; anything else is shown as it is.
pub fn date(lang: Lang, stored: &str) -> String {
    match time::parse_date(stored) {
        Some(d) if lang == Lang::Ko => time::display_date(d),
        Some(d) => d.format("%Y-%m-%d").to_string(),
        None if stored.trim().is_empty() => "-".into(),
        None => stored.to_string(),
    }
}

/// A stored UTC instant in Korean time: `2024. 5. 3. 14:05` (ko) or `2024-05-03 14:05` (en).
pub fn when(lang: Lang, stored: &str) -> String {
    match time::from_db(stored) {
        Some(t) if lang == Lang::Ko => time::display_kst(t),
        Some(t) => t.with_timezone(&time::kst()).format("%Y-%m-%d %H:%M").to_string(),
        None => stored.to_string(),
    }
}

/// A stored `YYYY-MM` month: `2024년 5월` (ko) or `2024-05` (en).
pub fn month(lang: Lang, stored: &str) -> String {
    let parts = stored.split_once('-').and_then(|(y, m)| Some((y.parse::<i32>().ok()?, m.parse::<u32>().ok()?)));
    match parts {
        Some((y, m)) if lang == Lang::Ko && (1..=12).contains(&m) => format!("{y}년 {m}월"),
        _ => stored.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_group_thousands() {
        assert_eq!(num(0), "0");
        assert_eq!(num(999), "999");
        assert_eq!(num(1000), "1,000");
        assert_eq!(num(1_234_000), "1,234,000");
        assert_eq!(num(-45_600), "-45,600");
        assert_eq!(num(i64::MIN), "-9,223,372,036,854,775,808");
    }

    #[test]
    fn dates_korean_and_iso() {
        assert_eq!(date(Lang::Ko, "2024-05-03"), "2024. 5. 3.");
        assert_eq!(date(Lang::En, "2024-05-03"), "2024-05-03");
        assert_eq!(date(Lang::Ko, ""), "-");
        assert_eq!(when(Lang::Ko, "2024-05-03T05:06:00.000000Z"), "2024. 5. 3. 14:06");
        assert_eq!(when(Lang::En, "2024-05-03T05:06:00.000000Z"), "2024-05-03 14:06");
        assert_eq!(month(Lang::Ko, "2026-09"), "2026년 9월");
        assert_eq!(month(Lang::En, "2026-09"), "2026-09");
    }
}
