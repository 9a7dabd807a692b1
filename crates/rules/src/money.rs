//! Integer won and its display. Money never touches floating point.

use std::fmt;

/// KRW amount with thousands separators, e.g. `2,073,693`.
pub fn format_won(amount: i64) -> String {
    Won(amount).to_string()
}

/// Displays an amount with thousands separators (`2,073,693`) without allocating, for
/// writing straight into a sentence.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Won(pub i64);

impl fmt::Display for Won {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // i64::MIN has 19 digits, 6 separators and a sign.
        let mut buf = [0u8; 26];
        let mut at = buf.len();
        let mut rest = self.0.unsigned_abs();
        let mut in_group = 0;
        loop {
            at -= 1;
            buf[at] = b'0' + (rest % 10) as u8;
            rest /= 10;
            if rest == 0 {
                break;
            }
            in_group += 1;
            if in_group == 3 {
                in_group = 0;
                at -= 1;
                buf[at] = b',';
            }
        }
        if self.0 < 0 {
            at -= 1;
            buf[at] = b'-';
        }
        // Only ASCII digits, commas and '-' were written.
        f.write_str(std::str::from_utf8(&buf[at..]).map_err(|_| fmt::Error)?)
    }
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
        assert_eq!(format_won(100_000), "100,000");
        assert_eq!(format_won(i64::MIN), "-9,223,372,036,854,775,808");
        assert_eq!(format_won(i64::MAX), "9,223,372,036,854,775,807");
    }

    #[test]
    fn split_keeps_total() {
        assert_eq!(split_pct(300_000, 50), (150_000, 150_000));
        assert_eq!(split_pct(200_001, 50), (100_000, 100_001));
        assert_eq!(split_pct(400_000, 0), (0, 400_000));
    }
}
