-- Benefit simulations (모의계산) a staff member attached to a member's family record.
CREATE TABLE simulations (
    id @ID@,
    center_id BIGINT NOT NULL REFERENCES org_units(id),
    member_id BIGINT NOT NULL REFERENCES members(id),
    family_id BIGINT REFERENCES families(id),
    calculator TEXT NOT NULL,
    -- The result as computed on the server from the input (never taken from the browser).
    status TEXT NOT NULL,
    annual_total BIGINT,
    input_json TEXT NOT NULL,
    result_json TEXT NOT NULL,
    created_by BIGINT REFERENCES users(id),
    created_at TEXT NOT NULL
);
CREATE INDEX simulations_member ON simulations(member_id);
CREATE INDEX simulations_family ON simulations(family_id);
