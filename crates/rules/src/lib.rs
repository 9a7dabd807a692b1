//! Rules as code: dated parameters, calculators and explanation traces.
