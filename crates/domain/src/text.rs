//! Text at the boundary: NFC normalisation (macOS sends decomposed Hangul) and languages.

use unicode_normalization::UnicodeNormalization;

/// Trims and NFC-normalises user text. Every free-text input passes through here.
pub fn clean(s: &str) -> String {
    s.trim().nfc().collect()
}

/// Like [`clean`], but an empty result is `None`.
pub fn clean_opt(s: Option<&str>) -> Option<String> {
    s.map(clean).filter(|v| !v.is_empty())
}

/// Number of user-perceived characters; Hangul syllables are one char each after NFC.
pub fn char_len(s: &str) -> usize {
    s.chars().count()
}

/// The UI languages: Korean first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Lang {
    #[default]
    Ko,
    En,
}

impl Lang {
    pub fn code(self) -> &'static str {
        match self {
            Lang::Ko => "ko",
            Lang::En => "en",
        }
    }

    pub fn parse(s: &str) -> Option<Lang> {
        match s {
            "ko" => Some(Lang::Ko),
            "en" => Some(Lang::En),
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decomposed_hangul_becomes_composed() {
        let nfd = "\u{1100}\u{1161}\u{110c}\u{1169}\u{11a8}"; // 가족 as jamo
        assert_eq!(clean(nfd), "가족");
        assert_eq!(char_len(&clean(nfd)), 2);
    }

    #[test]
    fn blank_is_none() {
        assert_eq!(clean_opt(Some("   ")), None);
        assert_eq!(clean_opt(Some(" 가 ")), Some("가".to_string()));
    }
}
