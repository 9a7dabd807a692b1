-- Separate storage (별도 보관, 개인정보 보호법 제21조제3항): records another law requires to keep
-- after the person's own retention has ended (e.g. late-fee receipts, kept 5 years as cash-book
-- evidence) are copied here before the person is anonymised, and deleted from here when their
-- own period ends. Only the privacy officer's pages read this table; no ordinary query joins it.
CREATE TABLE separated_records (
    id @ID@,
    center_id BIGINT NOT NULL REFERENCES org_units(id),
    -- Path of the center, for scoped lists.
    org_path TEXT NOT NULL,
    -- Record kind from rules/privacy/retention.json (e.g. 'fee_receipt').
    record_kind TEXT NOT NULL,
    -- Where the record came from (e.g. 'nanumteo_loans' and the loan id); no foreign key, so
    -- that the main tables and this one stay independent.
    source_table TEXT NOT NULL,
    source_id BIGINT NOT NULL,
    -- The minimum the record is kept for, as JSON (for a fee receipt: payer name, date
    -- received, days late, amount, item barcode and name).
    payload_json TEXT NOT NULL,
    -- Kept through this day (YYYY-MM-DD); deleted by the first retention run after it.
    keep_until TEXT NOT NULL,
    legal_basis TEXT NOT NULL,
    moved_at TEXT NOT NULL,
    -- The privacy officer who approved the run that moved it.
    moved_by TEXT NOT NULL,
    UNIQUE (source_table, source_id)
);
CREATE INDEX separated_records_path ON separated_records(org_path);
CREATE INDEX separated_records_keep ON separated_records(keep_until);
