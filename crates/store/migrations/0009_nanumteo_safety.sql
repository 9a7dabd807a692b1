-- 공동육아나눔터: membership applications (서식3/12), regular programs, safety (issue 5 items 2, 5, 6).
-- Checklist item texts, ranges and intervals are rules data (rules/nanumteo/safety-2018.json).

-- The combined 나눔터 + 품앗이 application (서식3) of a family, on top of members/families.
-- The privacy consent itself is the member's consent record (consents), not copied here.
CREATE TABLE nanumteo_memberships (
    id @ID@,
    center_id BIGINT NOT NULL REFERENCES org_units(id),
    space_id BIGINT NOT NULL REFERENCES org_units(id),
    family_id BIGINT NOT NULL REFERENCES families(id),
    applicant_id BIGINT NOT NULL REFERENCES members(id),
    applied_on TEXT NOT NULL,
    use_space BIGINT NOT NULL,
    join_pumasi BIGINT NOT NULL,
    -- 'new' or 'existing' (품앗이 applicants only)
    join_mode TEXT,
    pumasi_kinds TEXT NOT NULL,
    frequency TEXT,
    partner_pref TEXT NOT NULL,
    pumasi_experienced BIGINT NOT NULL DEFAULT 0,
    email_news BIGINT NOT NULL DEFAULT 0,
    occupation TEXT,
    -- JSON list of the children on the form: name, sex, age, school/grade (as written on the day).
    children_json TEXT NOT NULL,
    rules_explained BIGINT NOT NULL,
    fee_paid BIGINT NOT NULL DEFAULT 0,
    note TEXT,
    created_by BIGINT REFERENCES users(id),
    created_at TEXT NOT NULL
);
CREATE INDEX nanumteo_memberships_space ON nanumteo_memberships(space_id, applied_on);
CREATE INDEX nanumteo_memberships_family ON nanumteo_memberships(family_id);

-- A program of the center run as a regular program (상시프로그램) of a space, on a weekday.
-- Its sessions and attendance are ordinary program_sessions / attendance.
CREATE TABLE nanumteo_regular_programs (
    id @ID@,
    center_id BIGINT NOT NULL REFERENCES org_units(id),
    space_id BIGINT NOT NULL REFERENCES org_units(id),
    program_id BIGINT NOT NULL REFERENCES programs(id),
    weekday BIGINT NOT NULL,
    start_time TEXT NOT NULL,
    active BIGINT NOT NULL DEFAULT 1,
    created_at TEXT NOT NULL,
    UNIQUE (space_id, program_id, weekday)
);
CREATE INDEX nanumteo_regular_programs_program ON nanumteo_regular_programs(program_id);

-- Weekly (20 items) and quarterly (17 items) safety checklists.
CREATE TABLE nanumteo_checklists (
    id @ID@,
    center_id BIGINT NOT NULL REFERENCES org_units(id),
    space_id BIGINT NOT NULL REFERENCES org_units(id),
    kind TEXT NOT NULL,
    checked_on TEXT NOT NULL,
    rules_edition TEXT NOT NULL,
    inspector_id BIGINT NOT NULL REFERENCES users(id),
    inspector_name TEXT NOT NULL,
    confirmer_id BIGINT REFERENCES users(id),
    confirmer_name TEXT,
    confirmed_at TEXT,
    created_at TEXT NOT NULL
);
CREATE INDEX nanumteo_checklists_space ON nanumteo_checklists(space_id, checked_on);

CREATE TABLE nanumteo_checklist_items (
    checklist_id BIGINT NOT NULL REFERENCES nanumteo_checklists(id),
    center_id BIGINT NOT NULL REFERENCES org_units(id),
    item_no BIGINT NOT NULL,
    -- good / poor / not_applicable / other
    result TEXT NOT NULL,
    other_text TEXT,
    action_taken TEXT,
    followed_up_on TEXT,
    follow_up TEXT,
    PRIMARY KEY (checklist_id, item_no)
);

-- Temperature and humidity readings (tenths of a degree Celsius, whole percent).
CREATE TABLE nanumteo_readings (
    id @ID@,
    center_id BIGINT NOT NULL REFERENCES org_units(id),
    space_id BIGINT NOT NULL REFERENCES org_units(id),
    read_on TEXT NOT NULL,
    read_at TEXT NOT NULL,
    temperature_x10 BIGINT NOT NULL,
    humidity BIGINT NOT NULL,
    recorded_by BIGINT REFERENCES users(id),
    created_at TEXT NOT NULL
);
CREATE INDEX nanumteo_readings_space ON nanumteo_readings(space_id, read_on);

-- Inspections by outside agencies: electrical, gas, elevator (yearly), pest control (quarterly).
CREATE TABLE nanumteo_inspections (
    id @ID@,
    center_id BIGINT NOT NULL REFERENCES org_units(id),
    space_id BIGINT NOT NULL REFERENCES org_units(id),
    kind TEXT NOT NULL,
    done_on TEXT NOT NULL,
    agency TEXT,
    note TEXT,
    recorded_by BIGINT REFERENCES users(id),
    created_at TEXT NOT NULL
);
CREATE INDEX nanumteo_inspections_space ON nanumteo_inspections(space_id, kind, done_on);

-- CCTV viewing-request ledger (열람 관리대장), kept 3 years (rules/privacy/retention.json).
CREATE TABLE nanumteo_cctv_requests (
    id @ID@,
    center_id BIGINT NOT NULL REFERENCES org_units(id),
    space_id BIGINT NOT NULL REFERENCES org_units(id),
    requested_on TEXT NOT NULL,
    requester_kind TEXT NOT NULL,
    requester_name TEXT NOT NULL,
    requester_contact TEXT,
    purpose TEXT NOT NULL,
    file_name TEXT NOT NULL,
    footage_from TEXT NOT NULL,
    footage_to TEXT NOT NULL,
    -- requested / approved / denied
    status TEXT NOT NULL,
    decided_on TEXT,
    decided_by BIGINT REFERENCES users(id),
    decision_note TEXT,
    deletion_confirmed_on TEXT,
    deletion_confirmed_by BIGINT REFERENCES users(id),
    recorded_by BIGINT REFERENCES users(id),
    created_at TEXT NOT NULL
);
CREATE INDEX nanumteo_cctv_requests_space ON nanumteo_cctv_requests(space_id, requested_on);
CREATE INDEX nanumteo_cctv_requests_requested ON nanumteo_cctv_requests(requested_on);
