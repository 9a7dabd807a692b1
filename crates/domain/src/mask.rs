//! Masking for lists and exports: 홍*동, 010-****-1234, and addresses cut after the district.

/// Keeps the first and last character of a name: 홍길동 → 홍*동, 남궁민수 → 남**수, 이준 → 이*.
pub fn name(s: &str) -> String {
    let chars: Vec<char> = s.chars().collect();
    match chars.len() {
        0 => String::new(),
        1 => "*".to_string(),
        2 => format!("{}*", chars[0]),
        n => {
            let mut out = String::new();
            out.push(chars[0]);
            out.extend(std::iter::repeat_n('*', n - 2));
            out.push(chars[n - 1]);
            out
        }
    }
}

/// Hides the middle group: 010-1234-5678 → 010-****-5678.
pub fn phone(s: &str) -> String {
    let parts: Vec<&str> = s.split('-').collect();
    match parts.as_slice() {
        [a, b, c] => format!("{a}-{}-{c}", "*".repeat(b.chars().count())),
        _ => {
            let n = s.chars().count();
            s.chars().enumerate().map(|(i, c)| if i + 4 >= n { c } else { '*' }).collect()
        }
    }
}

/// Keeps the first two words (시·도 and 시·군·구): 서울 광진구 능동로 30길 23 → 서울 광진구 ***.
pub fn address(s: &str) -> String {
    let words: Vec<&str> = s.split_whitespace().collect();
    if words.len() <= 2 {
        return words.join(" ");
    }
    format!("{} {} ***", words[0], words[1])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn masks() {
        assert_eq!(name("홍길동"), "홍*동");
        assert_eq!(name("남궁민수"), "남**수");
        assert_eq!(name("이준"), "이*");
        assert_eq!(phone("010-1234-5678"), "010-****-5678");
        assert_eq!(
            phone("1577-9337"),
            "1577-9337".chars().enumerate().map(|(i, c)| if i + 4 >= 9 { c } else { '*' }).collect::<String>()
        );
        assert_eq!(address("서울 광진구 능동로 30길 23 2층"), "서울 광진구 ***");
    }
}
