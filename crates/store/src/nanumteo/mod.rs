//! 공동육아나눔터 and 가족품앗이 persistence: the space registry, visits, the toy and book
//! library, and 품앗이 groups with their plans, activities and expenses.

pub mod joining;
pub mod library;
pub mod membership;
pub mod pumasi;
pub mod regular;
pub mod report;
pub mod safety;
pub mod spaces;
pub mod visits;
