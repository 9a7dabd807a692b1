//! Domain types for gajok: ids, code lists, validated values. No I/O.
