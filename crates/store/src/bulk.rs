//! Multi-row inserts for generated data and imports: one statement per chunk, within the
//! caller's transaction. Counting tables are rebuilt afterwards with `counting::recount`.

use crate::db::Tx;
use crate::error::StoreResult;
use crate::sql::{Sql, Value};

/// Parameters per statement. Far below the backends' limits on purpose: binding cost grows faster
/// than linearly with the parameter count in the SQLite driver (a 30,000-parameter statement took 1.7 s; 500 parameters keep it linear).
const MAX_PARAMS_SQLITE: usize = 500;
/// PostgreSQL binds in linear time: fewer, larger statements mean fewer round trips.
const MAX_PARAMS_POSTGRES: usize = 30_000;

fn max_params(tx: &Tx) -> usize {
    if tx.backend() == crate::db::Backend::Postgres { MAX_PARAMS_POSTGRES } else { MAX_PARAMS_SQLITE }
}

pub async fn insert_rows(tx: &mut Tx, table: &str, columns: &[&str], rows: Vec<Vec<Value>>) -> StoreResult<u64> {
    if rows.is_empty() {
        return Ok(0);
    }
    let per = (max_params(tx) / columns.len().max(1)).max(1);
    let mut n = 0;
    let mut it = rows.into_iter().peekable();
    while it.peek().is_some() {
        let chunk: Vec<Vec<Value>> = it.by_ref().take(per).collect();
        let mut sql = Sql::new(&format!("INSERT INTO {table} ({}) VALUES ", columns.join(", ")));
        for (i, row) in chunk.into_iter().enumerate() {
            if i > 0 {
                sql.push(",");
            }
            sql.push("(");
            for (j, v) in row.into_iter().enumerate() {
                if j > 0 {
                    sql.push(",");
                }
                sql.bind(v);
            }
            sql.push(")");
        }
        n += sql.query().execute(tx.conn()).await?.rows_affected();
    }
    Ok(n)
}

/// Inserts and returns the generated ids in order (`RETURNING id`).
pub async fn insert_returning_ids(
    tx: &mut Tx,
    table: &str,
    columns: &[&str],
    rows: Vec<Vec<Value>>,
) -> StoreResult<Vec<i64>> {
    use crate::row::RowExt;
    let per = (max_params(tx) / columns.len().max(1)).max(1);
    let mut ids = Vec::with_capacity(rows.len());
    let mut it = rows.into_iter().peekable();
    while it.peek().is_some() {
        let chunk: Vec<Vec<Value>> = it.by_ref().take(per).collect();
        let mut sql = Sql::new(&format!("INSERT INTO {table} ({}) VALUES ", columns.join(", ")));
        for (i, row) in chunk.into_iter().enumerate() {
            if i > 0 {
                sql.push(",");
            }
            sql.push("(");
            for (j, v) in row.into_iter().enumerate() {
                if j > 0 {
                    sql.push(",");
                }
                sql.bind(v);
            }
            sql.push(")");
        }
        sql.push(" RETURNING id");
        let rows = sql.query().fetch_all(tx.conn()).await?;
        let mut chunk_ids: Vec<i64> = rows.iter().map(|r| r.int("id")).collect::<StoreResult<_>>()?;
        // Both backends return rows of a multi-row insert in insertion order for these
        // identity columns; sorting guards the assumption.
        chunk_ids.sort_unstable();
        ids.extend(chunk_ids);
    }
    Ok(ids)
}
