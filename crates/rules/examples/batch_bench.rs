//! Placeholder until the batch benchmark lands (written by the rules work).
fn main() {}
