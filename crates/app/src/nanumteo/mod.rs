//! 공동육아나눔터 and 가족품앗이 use cases: the space registry and its rule checks, the desk
//! (visits), the toy and book library, and 품앗이 groups, plans, activities and money.
//!
//! A request the guide's rules forbid is a [`Refusal`]: it names the rule (its id in the
//! rules data, e.g. `PM-06`) and carries the numbers the message shows; nothing is written.

pub mod cctv_retention;
pub mod demo;
pub mod form13_xlsx;
pub mod joining;
pub mod ledger;
pub mod library;
pub mod membership;
pub mod obligations;
pub mod pumasi;
pub mod refusal;
pub mod regular;
pub mod report;
pub mod rules;
pub mod safety;
pub mod safety_rules;
pub mod spaces;
pub mod visits;

pub use refusal::{NtError, NtResult, Refusal};
