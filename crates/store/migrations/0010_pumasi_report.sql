-- Issue 5 (items 7-11): the 나눔터 monthly report (서식13) as a second kind of monthly report,
-- the yearly-obligation event log, leader-training attendance and the local-currency ledger.

-- Monthly reports get a kind ('center' = 월간사업실적, 'nanumteo' = 서식13), so both go through
-- the same workflow and lock. The unique key becomes (center_id, kind, month); neither SQLite
-- nor PostgreSQL can change a table's unique constraint in one shared statement, so the two
-- tables are rebuilt, the events remapped to the new report ids by (center_id, month).
ALTER TABLE report_events RENAME TO report_events_0010;
ALTER TABLE monthly_reports RENAME TO monthly_reports_0010;

CREATE TABLE monthly_reports (
    id @ID@,
    center_id BIGINT NOT NULL REFERENCES org_units(id),
    kind TEXT NOT NULL DEFAULT 'center',
    month TEXT NOT NULL,
    status TEXT NOT NULL,
    -- The figures as submitted (JSON), so an approver sees exactly what was sent.
    snapshot TEXT,
    version BIGINT NOT NULL DEFAULT 1,
    submitted_at TEXT,
    updated_at TEXT NOT NULL,
    UNIQUE (center_id, kind, month)
);
INSERT INTO monthly_reports (center_id, kind, month, status, snapshot, version, submitted_at, updated_at)
    SELECT center_id, 'center', month, status, snapshot, version, submitted_at, updated_at
    FROM monthly_reports_0010 ORDER BY id;

CREATE TABLE report_events (
    id @ID@,
    report_id BIGINT NOT NULL REFERENCES monthly_reports(id),
    center_id BIGINT NOT NULL REFERENCES org_units(id),
    action TEXT NOT NULL,
    from_status TEXT NOT NULL,
    to_status TEXT NOT NULL,
    comment TEXT,
    actor_id BIGINT REFERENCES users(id),
    actor_name TEXT NOT NULL,
    occurred_at TEXT NOT NULL
);
INSERT INTO report_events (report_id, center_id, action, from_status, to_status, comment, actor_id, actor_name, occurred_at)
    SELECT n.id, e.center_id, e.action, e.from_status, e.to_status, e.comment, e.actor_id, e.actor_name, e.occurred_at
    FROM report_events_0010 e
    JOIN monthly_reports_0010 o ON o.id = e.report_id
    JOIN monthly_reports n ON n.center_id = o.center_id AND n.month = o.month AND n.kind = 'center'
    ORDER BY e.id;

DROP TABLE report_events_0010;
DROP TABLE monthly_reports_0010;
CREATE INDEX report_events_report ON report_events(report_id);

-- What the yearly obligations count (PM-01..04, PM-18, CS-07, CS-11): regular meetings, whole
-- programs and gatherings, leader training, operating committee, promotion events.
CREATE TABLE nanumteo_events (
    id @ID@,
    center_id BIGINT NOT NULL REFERENCES org_units(id),
    kind TEXT NOT NULL,
    held_on TEXT NOT NULL,
    minutes BIGINT NOT NULL,
    title TEXT NOT NULL,
    participants BIGINT NOT NULL DEFAULT 0,
    -- A promotion event counts for CS-07 only with a 품앗이 briefing.
    pumasi_briefing BIGINT NOT NULL DEFAULT 0,
    created_by BIGINT REFERENCES users(id),
    created_at TEXT NOT NULL
);
CREATE INDEX nanumteo_events_center_date ON nanumteo_events(center_id, held_on);

-- Leaders who attended a leader training (4 hours per leader, PM-04).
CREATE TABLE nanumteo_event_leaders (
    event_id BIGINT NOT NULL REFERENCES nanumteo_events(id),
    center_id BIGINT NOT NULL REFERENCES org_units(id),
    member_id BIGINT NOT NULL REFERENCES members(id),
    PRIMARY KEY (event_id, member_id)
);

-- The optional local-currency ledger (PM-24: 1 unit = 1 won), per center.
CREATE TABLE nanumteo_currency (
    id @ID@,
    center_id BIGINT NOT NULL REFERENCES org_units(id),
    entry_on TEXT NOT NULL,
    -- 'in' (received) or 'out' (spent)
    direction TEXT NOT NULL,
    amount BIGINT NOT NULL,
    counterparty TEXT NOT NULL,
    description TEXT NOT NULL,
    created_by BIGINT REFERENCES users(id),
    created_at TEXT NOT NULL
);
CREATE INDEX nanumteo_currency_center ON nanumteo_currency(center_id, entry_on);
