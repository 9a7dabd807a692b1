//! Storage for the privacy duties (PIPA): retention and destruction, access-log review.

pub mod access_review;
pub mod retention;
