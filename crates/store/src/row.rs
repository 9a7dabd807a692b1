//! Reading columns with errors that name the column, and code-list columns.

use gajok_domain::code_list::CodeList;
use sqlx::Row;
use sqlx::any::AnyRow;

use crate::error::{StoreError, StoreResult};

pub trait RowExt {
    fn int(&self, col: &str) -> StoreResult<i64>;
    fn int_opt(&self, col: &str) -> StoreResult<Option<i64>>;
    fn text(&self, col: &str) -> StoreResult<String>;
    fn text_opt(&self, col: &str) -> StoreResult<Option<String>>;
    fn flag(&self, col: &str) -> StoreResult<bool> {
        Ok(self.int(col)? != 0)
    }
    fn code<T: CodeList>(&self, col: &str) -> StoreResult<T> {
        let v = self.text(col)?;
        T::parse(&v).ok_or_else(|| StoreError::Corrupt(format!("{col}: unknown code {v:?}")))
    }
    fn code_opt<T: CodeList>(&self, col: &str) -> StoreResult<Option<T>> {
        match self.text_opt(col)? {
            None => Ok(None),
            Some(v) => T::parse(&v).map(Some).ok_or_else(|| StoreError::Corrupt(format!("{col}: unknown code {v:?}"))),
        }
    }
}

impl RowExt for AnyRow {
    fn int(&self, col: &str) -> StoreResult<i64> {
        Ok(self.try_get::<i64, _>(col)?)
    }
    fn int_opt(&self, col: &str) -> StoreResult<Option<i64>> {
        Ok(self.try_get::<Option<i64>, _>(col)?)
    }
    fn text(&self, col: &str) -> StoreResult<String> {
        Ok(self.try_get::<String, _>(col)?)
    }
    fn text_opt(&self, col: &str) -> StoreResult<Option<String>> {
        Ok(self.try_get::<Option<String>, _>(col)?)
    }
}

pub fn flag(b: bool) -> i64 {
    i64::from(b)
}
