//! Storage for the privacy duties (PIPA): retention and destruction, data subjects' requests,
//! encrypted identifiers, sensitive records and the published privacy policy.

pub mod identifiers;
pub mod policy;
pub mod requests;
pub mod retention;
pub mod sensitive;
