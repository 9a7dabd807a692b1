-- Monthly program plans (월간 사업계획), due by the 20th of the month before (seed 002 L1437).
CREATE TABLE monthly_plans (
    id @ID@,
    center_id BIGINT NOT NULL REFERENCES org_units(id),
    month TEXT NOT NULL,
    note TEXT,
    submitted_at TEXT NOT NULL,
    submitted_by BIGINT REFERENCES users(id),
    -- 1 when submitted after the due day (kept, not refused: late plans still count).
    late BIGINT NOT NULL,
    UNIQUE (center_id, month)
);

CREATE TABLE monthly_plan_items (
    plan_id BIGINT NOT NULL REFERENCES monthly_plans(id),
    center_id BIGINT NOT NULL REFERENCES org_units(id),
    program_id BIGINT NOT NULL REFERENCES programs(id),
    planned_sessions BIGINT NOT NULL,
    planned_persons BIGINT NOT NULL,
    PRIMARY KEY (plan_id, program_id)
);
