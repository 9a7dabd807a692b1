//! Storage for the privacy duties (PIPA): retention and destruction, separate storage, data
//! subjects' requests, encrypted identifiers, sensitive records, the published privacy policy and
//! the access-log review.

pub mod access_review;
pub mod identifiers;
pub mod policy;
pub mod requests;
pub mod retention;
pub mod sensitive;
pub mod separated;
