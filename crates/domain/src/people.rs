//! Members (이용자) and families: code lists and values (seed 002 §2.7; seed 001 forms 3, 6, 12).

use chrono::NaiveDate;

use crate::code_list;
use crate::field::FieldError;

code_list! {
    pub enum Sex {
        Female => ("female", "여", "Female"),
        Male => ("male", "남", "Male"),
    }
}

code_list! {
    /// Family-type flags used for priority and targeting (seed 002 L1003, L1007, L1110).
    pub enum FamilyFlag {
        SingleParent => ("single_parent", "한부모", "Single-parent"),
        Grandparent => ("grandparent", "조손", "Grandparent–grandchild"),
        Multicultural => ("multicultural", "다문화", "Multicultural"),
        DualIncome => ("dual_income", "맞벌이", "Dual-income"),
        LowIncome => ("low_income", "저소득", "Low-income"),
    }
}

code_list! {
    /// Relation to the family's reference person.
    pub enum Relation {
        Reference => ("reference", "본인(대표)", "Reference person"),
        Spouse => ("spouse", "배우자", "Spouse"),
        Child => ("child", "자녀", "Child"),
        Parent => ("parent", "부모", "Parent"),
        Grandparent => ("grandparent", "조부모", "Grandparent"),
        Grandchild => ("grandchild", "손자녀", "Grandchild"),
        Sibling => ("sibling", "형제자매", "Sibling"),
        Other => ("other", "기타", "Other"),
    }
}

code_list! {
    /// The consents of the registration forms (seed 001 Ch.6 form 6, Ch.5 form 12).
    pub enum ConsentKind {
        CollectionUse => ("collection_use", "개인정보 수집·이용 (필수)", "Collection and use (required)"),
        OptionalItems => ("optional_items", "선택항목 수집·이용", "Optional items"),
        ThirdParty => ("third_party", "개인정보 제3자 제공", "Third-party provision"),
    }
}

code_list! {
    /// Recipients of third-party provision named in the consent forms.
    pub enum Recipient {
        Mogef => ("mogef", "여성가족부", "Ministry (MOGEF)"),
        Kihf => ("kihf", "한국건강가정진흥원", "National agency (KIHF)"),
        LocalGovernment => ("local_government", "지방자치단체", "Local government"),
        OtherCenters => ("other_centers", "타 센터·공동육아나눔터", "Other centers"),
    }
}

code_list! {
    pub enum MemberStatus {
        Active => ("active", "이용 중", "Active"),
        /// Required consent withdrawn: the record stays (counts do not change) but is not used.
        Restricted => ("restricted", "이용 제한(동의 철회)", "Restricted (consent withdrawn)"),
    }
}

/// Age in full years (만 나이) on `on`.
pub fn age_on(birth: NaiveDate, on: NaiveDate) -> i32 {
    use chrono::Datelike;
    let mut age = on.year() - birth.year();
    if (on.month(), on.day()) < (birth.month(), birth.day()) {
        age -= 1;
    }
    age
}

/// A birth date: not in the future, not more than 120 years ago.
pub fn parse_birth_date(field: &str, raw: &str, today: NaiveDate) -> Result<NaiveDate, FieldError> {
    let v = raw.trim();
    if v.is_empty() {
        return Err(FieldError::new(field, "required"));
    }
    let d = crate::time::parse_date(v).ok_or_else(|| FieldError::new(field, "invalid_date"))?;
    if d > today {
        return Err(FieldError::new(field, "date_in_future"));
    }
    if age_on(d, today) > 120 {
        return Err(FieldError::new(field, "date_too_old"));
    }
    Ok(d)
}

const CHOSUNG: [char; 19] =
    ['ㄱ', 'ㄲ', 'ㄴ', 'ㄷ', 'ㄸ', 'ㄹ', 'ㅁ', 'ㅂ', 'ㅃ', 'ㅅ', 'ㅆ', 'ㅇ', 'ㅈ', 'ㅉ', 'ㅊ', 'ㅋ', 'ㅌ', 'ㅍ', 'ㅎ'];

/// The initial consonants (초성) of a Hangul name: 김민수 → ㄱㅁㅅ. Other characters are kept.
pub fn initials(name: &str) -> String {
    name.chars()
        .map(|c| {
            let code = c as u32;
            if (0xAC00..=0xD7A3).contains(&code) { CHOSUNG[((code - 0xAC00) / 588) as usize] } else { c }
        })
        .collect()
}

/// True when the query is made only of initial consonants (ㄱ–ㅎ), so it searches 초성.
pub fn is_initials_query(q: &str) -> bool {
    !q.is_empty() && q.chars().all(|c| CHOSUNG.contains(&c))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chosung() {
        assert_eq!(initials("김민수"), "ㄱㅁㅅ");
        assert_eq!(initials("남궁 옥분"), "ㄴㄱ ㅇㅂ");
        assert_eq!(initials("Kim"), "Kim");
        assert!(is_initials_query("ㄱㅁ"));
        assert!(!is_initials_query("김ㅁ"));
    }

    #[test]
    fn ages_and_birth_dates() {
        let d = |s| crate::time::parse_date(s).unwrap();
        assert_eq!(age_on(d("2012-05-03"), d("2026-05-02")), 13);
        assert_eq!(age_on(d("2012-05-03"), d("2026-05-03")), 14);
        assert_eq!(parse_birth_date("b", "2030-01-01", d("2026-01-01")).unwrap_err().code, "date_in_future");
        assert!(parse_birth_date("b", "1990-02-30", d("2026-01-01")).is_err());
    }
}
