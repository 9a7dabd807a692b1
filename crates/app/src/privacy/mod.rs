//! The privacy duties of PIPA: retention periods and destruction (파기) with its register.

pub mod access_review;
pub mod retention;
