-- Members, families and consent; programs, sessions, attendance; counting; monthly reports.
-- Every tenant-owned table carries center_id (the org unit of the center).

CREATE TABLE families (
    id @ID@,
    center_id BIGINT NOT NULL REFERENCES org_units(id),
    name TEXT NOT NULL,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE INDEX families_center ON families(center_id);

CREATE TABLE members (
    id @ID@,
    center_id BIGINT NOT NULL REFERENCES org_units(id),
    name TEXT NOT NULL,
    -- 초성 of the name (ㄱㅁㅅ for 김민수), for initial-consonant search on both backends.
    name_initials TEXT NOT NULL,
    birth_date TEXT NOT NULL,
    sex TEXT NOT NULL,
    phone TEXT,
    address TEXT,
    nationality TEXT NOT NULL,
    -- Family-type flags (0/1), seed 002 L1003/L1007/L1110.
    single_parent BIGINT NOT NULL DEFAULT 0,
    grandparent BIGINT NOT NULL DEFAULT 0,
    multicultural BIGINT NOT NULL DEFAULT 0,
    dual_income BIGINT NOT NULL DEFAULT 0,
    low_income BIGINT NOT NULL DEFAULT 0,
    family_id BIGINT REFERENCES families(id),
    relation TEXT,
    guardian_id BIGINT REFERENCES members(id),
    status TEXT NOT NULL DEFAULT 'active',
    version BIGINT NOT NULL DEFAULT 1,
    registered_on TEXT NOT NULL,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE INDEX members_center_name ON members(center_id, name);
CREATE INDEX members_center_birth ON members(center_id, birth_date);
CREATE INDEX members_family ON members(family_id);

-- Consent as given: one row per consent kind, never deleted; withdrawal is recorded.
CREATE TABLE consents (
    id @ID@,
    center_id BIGINT NOT NULL REFERENCES org_units(id),
    member_id BIGINT NOT NULL REFERENCES members(id),
    kind TEXT NOT NULL,
    -- For third-party provision: the recipients agreed to, comma-separated codes.
    recipients TEXT,
    agreed BIGINT NOT NULL,
    form_version TEXT NOT NULL,
    signed_on TEXT NOT NULL,
    signer_name TEXT NOT NULL,
    -- 'self' or 'guardian'
    signer_role TEXT NOT NULL,
    guardian_relation TEXT,
    guardian_phone TEXT,
    recorded_by BIGINT REFERENCES users(id),
    recorded_at TEXT NOT NULL,
    withdrawn_at TEXT,
    withdrawn_by BIGINT REFERENCES users(id),
    withdrawal_reason TEXT
);
CREATE INDEX consents_member ON consents(member_id);

CREATE TABLE programs (
    id @ID@,
    center_id BIGINT NOT NULL REFERENCES org_units(id),
    year BIGINT NOT NULL,
    area TEXT NOT NULL,
    common_program TEXT,
    name TEXT NOT NULL,
    description TEXT,
    target_real BIGINT NOT NULL DEFAULT 0,
    target_cumulative BIGINT NOT NULL DEFAULT 0,
    target_sessions BIGINT NOT NULL DEFAULT 0,
    target_minutes BIGINT NOT NULL DEFAULT 0,
    active BIGINT NOT NULL DEFAULT 1,
    version BIGINT NOT NULL DEFAULT 1,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE INDEX programs_center_year ON programs(center_id, year);

CREATE TABLE program_sessions (
    id @ID@,
    center_id BIGINT NOT NULL REFERENCES org_units(id),
    program_id BIGINT NOT NULL REFERENCES programs(id),
    -- Recurring sessions made together share a series id.
    series_id TEXT,
    date TEXT NOT NULL,
    start_time TEXT NOT NULL,
    minutes BIGINT NOT NULL,
    place TEXT,
    instructor TEXT,
    -- 1 = open event counted by head count only (names not taken).
    open_event BIGINT NOT NULL DEFAULT 0,
    created_at TEXT NOT NULL
);
CREATE INDEX program_sessions_program ON program_sessions(program_id, date);
CREATE INDEX program_sessions_center_date ON program_sessions(center_id, date);

CREATE TABLE enrolments (
    center_id BIGINT NOT NULL REFERENCES org_units(id),
    program_id BIGINT NOT NULL REFERENCES programs(id),
    member_id BIGINT NOT NULL REFERENCES members(id),
    enrolled_on TEXT NOT NULL,
    PRIMARY KEY (program_id, member_id)
);

CREATE TABLE attendance (
    center_id BIGINT NOT NULL REFERENCES org_units(id),
    session_id BIGINT NOT NULL REFERENCES program_sessions(id),
    member_id BIGINT NOT NULL REFERENCES members(id),
    status TEXT NOT NULL,
    recorded_at TEXT NOT NULL,
    recorded_by BIGINT REFERENCES users(id),
    PRIMARY KEY (session_id, member_id)
);
CREATE INDEX attendance_member ON attendance(member_id);

-- Open events: persons counted by group without names (연인원 only).
CREATE TABLE head_counts (
    center_id BIGINT NOT NULL REFERENCES org_units(id),
    session_id BIGINT NOT NULL REFERENCES program_sessions(id),
    grp TEXT NOT NULL,
    persons BIGINT NOT NULL,
    PRIMARY KEY (session_id, grp)
);

-- Counting (DESIGN.md § Counting): the first participation of a person per
-- (center, year, category), kept at write time. category: 'center', 'area:<code>',
-- 'program:<id>'.
CREATE TABLE first_participation (
    center_id BIGINT NOT NULL REFERENCES org_units(id),
    year BIGINT NOT NULL,
    category TEXT NOT NULL,
    member_id BIGINT NOT NULL REFERENCES members(id),
    first_date TEXT NOT NULL,
    PRIMARY KEY (center_id, year, category, member_id)
);

-- Month figures per category, kept at write time: real_new (실인원, new this month),
-- cumulative (연인원, named attendance), open_persons (연인원 from head counts),
-- sessions (회기), minutes.
CREATE TABLE monthly_stats (
    center_id BIGINT NOT NULL REFERENCES org_units(id),
    month TEXT NOT NULL,
    category TEXT NOT NULL,
    real_new BIGINT NOT NULL DEFAULT 0,
    cumulative BIGINT NOT NULL DEFAULT 0,
    open_persons BIGINT NOT NULL DEFAULT 0,
    sessions BIGINT NOT NULL DEFAULT 0,
    minutes BIGINT NOT NULL DEFAULT 0,
    PRIMARY KEY (center_id, month, category)
);

CREATE TABLE survey_responses (
    id @ID@,
    center_id BIGINT NOT NULL REFERENCES org_units(id),
    program_id BIGINT NOT NULL REFERENCES programs(id),
    answered_on TEXT NOT NULL,
    q1 BIGINT NOT NULL, q2 BIGINT NOT NULL, q3 BIGINT NOT NULL, q4 BIGINT NOT NULL,
    q5 BIGINT NOT NULL, q6 BIGINT NOT NULL, q7 BIGINT NOT NULL,
    sex TEXT,
    age BIGINT,
    helped TEXT,
    improve TEXT,
    created_at TEXT NOT NULL
);
CREATE INDEX survey_responses_program ON survey_responses(program_id);

CREATE TABLE monthly_reports (
    id @ID@,
    center_id BIGINT NOT NULL REFERENCES org_units(id),
    month TEXT NOT NULL,
    status TEXT NOT NULL,
    -- The figures as submitted (JSON), so an approver sees exactly what was sent.
    snapshot TEXT,
    version BIGINT NOT NULL DEFAULT 1,
    submitted_at TEXT,
    updated_at TEXT NOT NULL,
    UNIQUE (center_id, month)
);

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
CREATE INDEX report_events_report ON report_events(report_id);
