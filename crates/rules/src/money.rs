//! Integer won and its display. Money never touches floating point.

/// KRW amount with thousands separators, e.g. `2,073,693`.
pub fn format_won(amount: i64) -> String {
    let digits = amount.unsigned_abs().to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3 + 1);
    if amount < 0 {
        out.push('-');
    }
    let first = digits.len() % 3;
    for (i, ch) in digits.chars().enumerate() {
        if i != 0 && (i + 3 - first).is_multiple_of(3) {
            out.push(',');
        }
        out.push(ch);
    }
    out
}

/// `share_pct` percent of `amount`, rounded down to the won; the remainder goes to the
/// other part so the two parts always add up to the whole.
pub fn split_pct(amount: i64, share_pct: i64) -> (i64, i64) {
    let first = amount * share_pct / 100;
    (first, amount - first)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn separators() {
        assert_eq!(format_won(0), "0");
        assert_eq!(format_won(999), "999");
        assert_eq!(format_won(1000), "1,000");
        assert_eq!(format_won(2_073_693), "2,073,693");
        assert_eq!(format_won(123_456_789_012), "123,456,789,012");
        assert_eq!(format_won(-1_540_000), "-1,540,000");
    }

    #[test]
    fn split_keeps_total() {
        assert_eq!(split_pct(300_000, 50), (150_000, 150_000));
        assert_eq!(split_pct(200_001, 50), (100_000, 100_001));
        assert_eq!(split_pct(400_000, 0), (0, 400_000));
    }
}
