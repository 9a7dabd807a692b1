//! The privacy duties of PIPA: retention periods and destruction (파기) with its register;
//! separate storage of records another law requires to keep; data subjects' requests; encryption of kept unique identifiers; sensitive records; the
//! published privacy policy.

pub mod access_review;
pub mod crypto;
pub mod identifiers;
pub mod policy;
pub mod requests;
pub mod retention;
pub mod sensitive;
pub mod separated;
