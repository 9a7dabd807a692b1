//! Text at the boundary: NFC normalisation (macOS sends decomposed Hangul) and languages.

use unicode_normalization::UnicodeNormalization;

/// Trims and NFC-normalises user text and drops control characters other than tab and line
/// breaks. Every free-text input passes through here. Nobody types a control character; they
/// come from pasted binary or hostile requests, and PostgreSQL cannot store NUL in text at
/// all (a search for one was a server error there, found by Schemathesis).
pub fn clean(s: &str) -> String {
    // Controls go before normalising: one between a letter and its combining mark would
    // otherwise keep them apart, and a second clean would compose them.
    let kept: String = s.chars().filter(|c| !c.is_control() || matches!(c, '\t' | '\n' | '\r')).nfc().collect();
    kept.trim().to_string()
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
    fn control_characters_are_dropped_but_line_breaks_kept() {
        assert_eq!(clean("가\u{0}족\u{1b}[0m\u{7f}"), "가족[0m");
        assert_eq!(clean("첫 줄\r\n둘째 줄\t끝"), "첫 줄\r\n둘째 줄\t끝");
        assert_eq!(clean("\u{0} 가족 \u{0}"), "가족");
        assert_eq!(clean_opt(Some("\u{0}")), None);
        let once = clean("e\u{0}\u{301}");
        assert_eq!(once, "\u{e9}");
        assert_eq!(clean(&once), once);
    }

    #[test]
    fn blank_is_none() {
        assert_eq!(clean_opt(Some("   ")), None);
        assert_eq!(clean_opt(Some(" 가 ")), Some("가".to_string()));
    }
}
