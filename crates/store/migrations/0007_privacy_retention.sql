-- Retention and destruction (PIPA Art. 21; 안전성 확보조치 기준).
-- A member whose retention period has ended is anonymised in place: the row (and its
-- attendance) stays so that 실인원/연인원 do not change, but nothing identifies the person.
ALTER TABLE members ADD COLUMN anonymised_at TEXT;

-- 파기 대장: one row per record kind and center for each destruction run.
CREATE TABLE destruction_register (
    id @ID@,
    center_id BIGINT REFERENCES org_units(id),
    -- Path of the center, for scoped lists.
    org_path TEXT NOT NULL,
    -- Record kind from rules/privacy/retention.json (e.g. 'member').
    record_kind TEXT NOT NULL,
    record_count BIGINT NOT NULL,
    -- 'anonymise' or 'destroy'
    method TEXT NOT NULL,
    legal_basis TEXT NOT NULL,
    rules_version TEXT NOT NULL,
    -- Records whose retention started on or before this date were expired.
    cutoff_date TEXT NOT NULL,
    performed_at TEXT NOT NULL,
    performed_by TEXT NOT NULL,
    approved_by TEXT NOT NULL
);
CREATE INDEX destruction_register_time ON destruction_register(performed_at);
