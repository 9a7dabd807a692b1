//! Parameters of the 가족역량강화지원 calculator.

use serde::{Deserialize, Serialize};

use super::{BySize, PremiumRow};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Measure {
    Premium,
    Income,
}

impl Measure {
    /// The name as in the parameter files (its serialized form).
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Premium => "premium",
            Self::Income => "income",
        }
    }
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Params {
    pub income_threshold_pct: i64,
    pub income_threshold: BySize<i64>,
    pub premium_threshold: BySize<PremiumRow>,
    pub premium_threshold_with_ltc: BySize<PremiumRow>,
    pub family_happiness_dream_child_age_limit: u32,
    pub multi_child_min_children: u32,
    pub family_happiness_dream_available: bool,
    pub fc_i1_measure_precedence: Measure,
    pub fc_i2_requires_listed_family_type: bool,
}
