//! The health-insurance premium as an income measure, shared by the calculators whose
//! guides give premium equivalents of their income limits.

use serde::{Deserialize, Serialize};

use crate::error::InputError;
pub use crate::params::InsuranceType;
use crate::params::{BySize, PremiumRow};

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct HealthInsurance {
    pub subscriber_type: InsuranceType,
    /// Monthly premium the household pays (본인부담 부과액), won.
    pub monthly_premium: i64,
    /// Whether `monthly_premium` includes the long-term-care premium (노인장기요양보험료).
    #[serde(default)]
    pub includes_long_term_care: bool,
}

impl HealthInsurance {
    pub fn validate(&self, path: &str) -> Result<(), InputError> {
        if self.monthly_premium < 0 {
            return Err(InputError::negative(format!("{path}.monthly_premium"), self.monthly_premium));
        }
        Ok(())
    }

    /// The premium limit for this subscriber type in the matching table (with or without
    /// the long-term-care premium), if the table has a row for `size`.
    pub fn limit(&self, plain: &BySize<PremiumRow>, with_ltc: &BySize<PremiumRow>, size: u32) -> Option<i64> {
        let table = if self.includes_long_term_care { with_ltc } else { plain };
        table.get(&size).map(|row| row.get(self.subscriber_type))
    }

    pub fn label_ko(&self) -> String {
        format!(
            "건강보험료({}, 장기요양보험료 {})",
            self.subscriber_type.ko(),
            if self.includes_long_term_care { "포함" } else { "제외" }
        )
    }

    pub fn label_en(&self) -> String {
        format!(
            "health-insurance premium ({}, long-term-care premium {})",
            self.subscriber_type.en(),
            if self.includes_long_term_care { "included" } else { "excluded" }
        )
    }
}

/// Which measure an income test compared.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum MeasureUsed {
    HealthInsurancePremium,
    MonthlyIncome,
}
