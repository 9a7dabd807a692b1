//! Storage for the privacy duties (PIPA): retention and destruction.

pub mod retention;
