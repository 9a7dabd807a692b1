-- The privacy officer's monthly access-log review (안전성 확보조치 기준 제8조: 접속기록을 월 1회
-- 이상 점검) and the per-address login limit.

-- One sign-off per org unit and month: who reviewed, when, with what note, and what the
-- hash-chain check said at that moment.
CREATE TABLE access_reviews (
    id @ID@,
    org_unit_id BIGINT NOT NULL REFERENCES org_units(id),
    org_path TEXT NOT NULL,
    -- YYYY-MM (KST calendar month)
    month TEXT NOT NULL,
    entries BIGINT NOT NULL,
    flagged BIGINT NOT NULL,
    chain_ok BIGINT NOT NULL,
    chain_entries BIGINT NOT NULL,
    signed_by_id BIGINT NOT NULL REFERENCES users(id),
    signed_by TEXT NOT NULL,
    signed_at TEXT NOT NULL,
    note TEXT NOT NULL,
    UNIQUE (org_unit_id, month)
);

-- Failed logins per client address in a window (login rate limiting).
CREATE INDEX audit_events_addr_time ON audit_events(client_addr, occurred_at);
