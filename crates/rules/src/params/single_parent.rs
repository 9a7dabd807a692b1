//! Parameters of the 한부모가족 calculator (domain note §4.1.3, §4.1.5).

use serde::{Deserialize, Serialize};

use super::BySize;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Y01Basis {
    PerChild,
    PerHousehold,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum AgePoint {
    FirstDayOfPaymentMonth,
    PaymentDay,
}

impl AgePoint {
    /// The name as in the parameter files (its serialized form).
    pub fn as_str(self) -> &'static str {
        match self {
            Self::FirstDayOfPaymentMonth => "first_day_of_payment_month",
            Self::PaymentDay => "payment_day",
        }
    }
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SchoolAmounts {
    pub elementary: i64,
    pub middle: i64,
    pub high: i64,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NonCashBenefit {
    pub code: String,
    pub name_ko: String,
    pub name_en: String,
    pub contact: Option<String>,
    pub source: String,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Params {
    pub income_threshold_general: BySize<i64>,
    pub income_threshold_general_pct: i64,
    pub income_threshold_youth: BySize<i64>,
    pub income_threshold_youth_pct: i64,
    pub child_age_limit: u32,
    pub school_child_age_limit: u32,
    pub youth_parent_max_age: u32,
    pub young_adult_parent_min_age: u32,
    pub young_adult_parent_max_age: u32,
    pub unmarried_extra_parent_min_age: u32,
    pub extra_infant_max_age: u32,
    pub extra_child_min_age: u32,
    pub sp04_min_incapacity_months: u32,
    pub b01_amount: i64,
    pub b02a_amount: i64,
    pub b02b_amount: i64,
    pub b02c_amount: i64,
    pub monthly_payment_day: u32,
    pub b03_amount: i64,
    pub b03_payment_month: u32,
    pub b04_amount: SchoolAmounts,
    pub b04_payment_months: [u32; 2],
    pub b05_amount: i64,
    pub b05_school_levels: Vec<crate::single_parent::input::SchoolLevel>,
    pub y01_amount: i64,
    pub y02_annual_cap: i64,
    pub y03_amount: i64,
    pub i1_y01_basis: Y01Basis,
    pub i2_y01_replaces_b01: bool,
    pub i3_youth_gets_general_extras: bool,
    pub i4_b04_first_instalment_pct: i64,
    pub i5_b05_payment_month: u32,
    pub i6_age_point: AgePoint,
    pub i7_general_threshold_inclusive: bool,
    pub i8_grandparent_must_be_household_head: bool,
    pub i9_absent_spouse_counted: bool,
    pub i10_violence_exempt_from_litigation: bool,
    pub i11_y02_cap_cumulative: bool,
    pub non_cash_benefits: Vec<NonCashBenefit>,
}
