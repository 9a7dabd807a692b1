//! Parameters of the 다문화 방문교육(자녀생활) 본인부담금 calculator.

use serde::Deserialize;

use super::family_capacity::Measure;
use super::{BySize, PremiumRow};

/// A value per income type 가/나/다 (라 has no upper limit).
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PerBoundedType<T> {
    pub ga: T,
    pub na: T,
    pub da: T,
}

/// A value per income type 가/나/다/라.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PerType<T> {
    pub ga: T,
    pub na: T,
    pub da: T,
    pub ra: T,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Params {
    pub hourly_rate: i64,
    pub sessions_per_block: i64,
    pub hours_per_session: i64,
    pub median_pct: PerBoundedType<i64>,
    pub copay_per_hour: PerType<i64>,
    pub government_support_per_hour: PerType<i64>,
    pub income_threshold: PerBoundedType<BySize<i64>>,
    pub premium_threshold: PerBoundedType<BySize<PremiumRow>>,
    pub premium_threshold_with_ltc: PerBoundedType<BySize<PremiumRow>>,
    pub child_min_age: u32,
    pub child_max_age: u32,
    pub elementary_pupil_beyond_age: bool,
    pub vc_i1_measure_precedence: Measure,
}
