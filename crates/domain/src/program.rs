//! Programs, sessions, attendance and reports: code lists and counting categories.

use crate::code_list;

code_list! {
    pub enum AttendanceStatus {
        Present => ("present", "출석", "Present"),
        Absent => ("absent", "결석", "Absent"),
        Excused => ("excused", "사유결석", "Excused"),
    }
}

code_list! {
    /// Groups of an open event counted without names.
    pub enum HeadCountGroup {
        Adult => ("adult", "성인", "Adults"),
        Child => ("child", "아동·청소년", "Children"),
    }
}

code_list! {
    /// Monthly report workflow: center → 시·군·구 → 시·도 → 한국건강가정진흥원.
    pub enum ReportStatus {
        Draft => ("draft", "작성 중", "Draft"),
        Submitted => ("submitted", "제출", "Submitted"),
        DistrictApproved => ("district_approved", "시·군·구 승인", "Approved by district"),
        ProvinceApproved => ("province_approved", "시·도 승인", "Approved by province"),
        Accepted => ("accepted", "진흥원 접수", "Accepted by agency"),
        Returned => ("returned", "반려", "Returned"),
    }
}

impl ReportStatus {
    /// A month is locked from submission until a return or reopening.
    pub fn locks_month(self) -> bool {
        !matches!(self, ReportStatus::Draft | ReportStatus::Returned)
    }
}

/// A counting category: the level at which a person is counted once a year.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Category {
    Center,
    Area(String),
    Program(i64),
}

impl Category {
    pub fn key(&self) -> String {
        match self {
            Category::Center => "center".to_string(),
            Category::Area(a) => format!("area:{a}"),
            Category::Program(p) => format!("program:{p}"),
        }
    }

    pub fn parse(s: &str) -> Option<Category> {
        if s == "center" {
            return Some(Category::Center);
        }
        if let Some(a) = s.strip_prefix("area:") {
            return Some(Category::Area(a.to_string()));
        }
        s.strip_prefix("program:").and_then(|p| p.parse().ok()).map(Category::Program)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn category_keys_round_trip() {
        for c in [Category::Center, Category::Area("edu".into()), Category::Program(42)] {
            assert_eq!(Category::parse(&c.key()), Some(c));
        }
    }
}
