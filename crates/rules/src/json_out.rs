//! Hand-written JSON for the results, used by `run_batch`.
//!
//! The derived `Serialize` impls remain the definition of a result (`evaluate_json`, the
//! HTTP API and the schemas use them); these functions write the same bytes as
//! `serde_json::to_writer` would from them, field by field, with the keys and punctuation as
//! literal byte strings. `tests/batch.rs` checks the two agree on every vector and on
//! generated households. Small enums go through the generic writer (`json::write`), so their
//! names come from serde.

use chrono::{Datelike, NaiveDate};
use serde::Serialize;

use crate::json::{self, Unsupported, i64_into, string_into};
use crate::params::ParameterInfo;
use crate::trace::{Trace, TraceValue};
use crate::{family_capacity, single_parent, visiting_copay};

type R = Result<(), Unsupported>;

/// A result that can write itself as compact JSON.
pub trait WriteJson {
    fn write_json(&self, out: &mut Vec<u8>) -> R;
}

#[inline]
fn lit(out: &mut Vec<u8>, bytes: &[u8]) {
    out.extend_from_slice(bytes);
}

#[inline]
fn int(out: &mut Vec<u8>, v: i64) {
    i64_into(out, v);
}

#[inline]
fn opt_int(out: &mut Vec<u8>, v: Option<i64>) {
    match v {
        Some(v) => int(out, v),
        None => lit(out, b"null"),
    }
}

#[inline]
fn boolean(out: &mut Vec<u8>, v: bool) {
    lit(out, if v { b"true" } else { b"false" });
}

/// Any serializable value through the generic writer (enums, small structs).
#[inline]
fn any<T: Serialize + ?Sized>(out: &mut Vec<u8>, v: &T) -> R {
    json::write(out, v)
}

fn two_digits(out: &mut Vec<u8>, v: u32) {
    out.push(b'0' + (v / 10) as u8);
    out.push(b'0' + (v % 10) as u8);
}

/// `"YYYY-MM-DD"`, as chrono displays a date.
fn date(out: &mut Vec<u8>, d: NaiveDate) -> R {
    let year = d.year();
    if !(0..=9999).contains(&year) {
        return any(out, &d);
    }
    let year = year as u32;
    out.push(b'"');
    two_digits(out, year / 100);
    two_digits(out, year % 100);
    out.push(b'-');
    two_digits(out, d.month());
    out.push(b'-');
    two_digits(out, d.day());
    out.push(b'"');
    Ok(())
}

fn strings<S: AsRef<str>>(out: &mut Vec<u8>, items: &[S]) {
    out.push(b'[');
    for (i, s) in items.iter().enumerate() {
        if i > 0 {
            out.push(b',');
        }
        string_into(out, s.as_ref());
    }
    out.push(b']');
}

fn list<T>(out: &mut Vec<u8>, items: &[T], mut each: impl FnMut(&mut Vec<u8>, &T) -> R) -> R {
    out.push(b'[');
    for (i, item) in items.iter().enumerate() {
        if i > 0 {
            out.push(b',');
        }
        each(out, item)?;
    }
    out.push(b']');
    Ok(())
}

fn parameters(out: &mut Vec<u8>, p: Option<&ParameterInfo>) -> R {
    let Some(p) = p else {
        lit(out, b"null");
        return Ok(());
    };
    lit(out, b"{\"edition\":");
    string_into(out, &p.edition);
    lit(out, b",\"criteria_year\":");
    opt_int(out, p.criteria_year.map(i64::from));
    lit(out, b",\"effective_from\":");
    date(out, p.effective_from)?;
    lit(out, b",\"effective_until\":");
    date(out, p.effective_until)?;
    out.push(b'}');
    Ok(())
}

impl WriteJson for Trace<'_> {
    fn write_json(&self, out: &mut Vec<u8>) -> R {
        list(out, self.entries(), |out, e| {
            lit(out, b"{\"rule\":");
            string_into(out, e.rule);
            lit(out, b",\"outcome\":");
            any(out, &e.outcome)?;
            if let Some(p) = e.parameter {
                lit(out, b",\"parameter\":");
                string_into(out, p);
            }
            if let Some(v) = e.value {
                lit(out, b",\"value\":");
                match v {
                    TraceValue::Int(v) => int(out, v),
                    TraceValue::Bool(v) => boolean(out, v),
                    TraceValue::Name(v) => string_into(out, v),
                    TraceValue::Null => lit(out, b"null"),
                }
            }
            if let Some(s) = e.source {
                lit(out, b",\"source\":");
                string_into(out, s);
            }
            lit(out, b",\"ko\":");
            string_into(out, self.ko(e));
            lit(out, b",\"en\":");
            string_into(out, self.en(e));
            out.push(b'}');
            Ok(())
        })
    }
}

fn child_id(out: &mut Vec<u8>, id: Option<&str>) {
    if let Some(id) = id {
        lit(out, b",\"child_id\":");
        string_into(out, id);
    }
}

impl WriteJson for single_parent::Output<'_> {
    fn write_json(&self, out: &mut Vec<u8>) -> R {
        lit(out, b"{\"status\":");
        any(out, &self.status)?;
        lit(out, b",\"evaluation_date\":");
        date(out, self.evaluation_date)?;
        lit(out, b",\"age_evaluation_date\":");
        date(out, self.age_evaluation_date)?;
        lit(out, b",\"family_type\":");
        any(out, &self.family_type)?;
        lit(out, b",\"household_size\":");
        int(out, self.household_size);
        lit(out, b",\"recognized_income_month\":");
        int(out, self.recognized_income_month);
        lit(out, b",\"reasons\":");
        strings(out, &self.reasons);
        lit(out, b",\"threshold\":");
        opt_int(out, self.threshold);
        lit(out, b",\"threshold_pct\":");
        opt_int(out, self.threshold_pct);
        lit(out, b",\"qualifying_children\":");
        strings(out, &self.qualifying_children);
        lit(out, b",\"monthly\":");
        list(out, &self.monthly, |out, m| {
            lit(out, b"{\"benefit_code\":");
            any(out, &m.benefit_code)?;
            child_id(out, m.child_id);
            lit(out, b",\"amount\":");
            int(out, m.amount);
            out.push(b'}');
            Ok(())
        })?;
        lit(out, b",\"monthly_total\":");
        opt_int(out, self.monthly_total);
        lit(out, b",\"annual\":");
        list(out, &self.annual, |out, a| {
            lit(out, b"{\"benefit_code\":");
            any(out, &a.benefit_code)?;
            child_id(out, a.child_id);
            lit(out, b",\"amount\":");
            int(out, a.amount);
            lit(out, b",\"schedule\":");
            any(out, &a.schedule)?;
            lit(out, b",\"payments\":");
            list(out, &a.payments, |out, p| {
                lit(out, b"{\"month\":");
                int(out, p.month.into());
                lit(out, b",\"amount\":");
                int(out, p.amount);
                out.push(b'}');
                Ok(())
            })?;
            out.push(b'}');
            Ok(())
        })?;
        lit(out, b",\"annual_total\":");
        opt_int(out, self.annual_total);
        lit(out, b",\"calendar_year\":");
        int(out, self.calendar_year.into());
        lit(out, b",\"calendar\":");
        list(out, &self.calendar, |out, m| {
            lit(out, b"{\"month\":");
            int(out, m.month.into());
            lit(out, b",\"items\":");
            list(out, &m.items, |out, item| {
                lit(out, b"{\"benefit_code\":");
                any(out, &item.benefit_code)?;
                child_id(out, item.child_id);
                lit(out, b",\"amount\":");
                int(out, item.amount);
                out.push(b'}');
                Ok(())
            })?;
            lit(out, b",\"total\":");
            int(out, m.total);
            out.push(b'}');
            Ok(())
        })?;
        lit(out, b",\"non_cash_benefits\":");
        strings(out, &self.non_cash_benefits);
        lit(out, b",\"interpretations_applied\":");
        strings(out, &self.interpretations_applied);
        lit(out, b",\"parameters\":");
        parameters(out, self.parameters)?;
        lit(out, b",\"trace\":");
        self.trace.write_json(out)?;
        out.push(b'}');
        Ok(())
    }
}

impl WriteJson for visiting_copay::Output<'_> {
    fn write_json(&self, out: &mut Vec<u8>) -> R {
        lit(out, b"{\"status\":");
        any(out, &self.status)?;
        lit(out, b",\"evaluation_date\":");
        date(out, self.evaluation_date)?;
        lit(out, b",\"household_size\":");
        int(out, self.household_size);
        lit(out, b",\"reasons\":");
        strings(out, &self.reasons);
        lit(out, b",\"copay_type\":");
        any(out, &self.copay_type)?;
        lit(out, b",\"copay_type_ko\":");
        any(out, &self.copay_type_ko)?;
        lit(out, b",\"free\":");
        boolean(out, self.free);
        lit(out, b",\"free_reasons\":");
        any(out, &self.free_reasons)?;
        lit(out, b",\"measure\":");
        any(out, &self.measure)?;
        lit(out, b",\"measure_value\":");
        opt_int(out, self.measure_value);
        lit(out, b",\"child_in_target_group\":");
        any(out, &self.child_in_target_group)?;
        for (key, v) in [
            (&b",\"hourly_rate\":"[..], self.hourly_rate),
            (b",\"government_support_per_hour\":", self.government_support_per_hour),
            (b",\"copay_per_hour\":", self.copay_per_hour),
            (b",\"sessions_per_4_weeks\":", self.sessions_per_4_weeks),
            (b",\"hours_per_4_weeks\":", self.hours_per_4_weeks),
            (b",\"government_support_per_4_weeks\":", self.government_support_per_4_weeks),
            (b",\"copay_per_4_weeks\":", self.copay_per_4_weeks),
        ] {
            lit(out, key);
            opt_int(out, v);
        }
        lit(out, b",\"interpretations_applied\":");
        strings(out, &self.interpretations_applied);
        lit(out, b",\"parameters\":");
        parameters(out, self.parameters)?;
        lit(out, b",\"trace\":");
        self.trace.write_json(out)?;
        out.push(b'}');
        Ok(())
    }
}

impl WriteJson for family_capacity::Output<'_> {
    fn write_json(&self, out: &mut Vec<u8>) -> R {
        lit(out, b"{\"status\":");
        any(out, &self.status)?;
        lit(out, b",\"evaluation_date\":");
        date(out, self.evaluation_date)?;
        lit(out, b",\"household_size\":");
        int(out, self.household_size);
        lit(out, b",\"reasons\":");
        strings(out, &self.reasons);
        lit(out, b",\"income_test\":");
        any(out, &self.income_test)?;
        lit(out, b",\"categories\":");
        any(out, &self.categories)?;
        lit(out, b",\"excluded_services\":");
        any(out, &self.excluded_services)?;
        lit(out, b",\"interpretations_applied\":");
        strings(out, &self.interpretations_applied);
        lit(out, b",\"parameters\":");
        parameters(out, self.parameters)?;
        lit(out, b",\"trace\":");
        self.trace.write_json(out)?;
        out.push(b'}');
        Ok(())
    }
}
