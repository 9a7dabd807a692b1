//! Domain types for gajok: ids, code lists with Korean/English labels, values that
//! cannot be invalid once parsed, masking. No I/O, no framework types.

pub mod code_list;
pub mod field;
pub mod ids;
pub mod mask;
pub mod nanumteo;
pub mod nanumteo_safety;
pub mod org;
pub mod people;
pub mod person;
pub mod program;
pub mod role;
pub mod text;
pub mod time;

pub use field::{FieldError, FieldErrors};
pub use ids::{OrgId, UserId};
