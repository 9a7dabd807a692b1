-- Foundation: institutions, accounts, sessions, API tokens, audit events, access log.
-- One file for both backends: @ID@ becomes the backend's auto-increment primary key.
-- Types are BIGINT/TEXT only (see lib.rs): dates 'YYYY-MM-DD', instants canonical UTC text,
-- flags 0/1.

CREATE TABLE org_units (
    id @ID@,
    parent_id BIGINT REFERENCES org_units(id),
    kind TEXT NOT NULL,
    code TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL,
    -- '/0000000001/0000000004/': ancestor ids and own id, zero-padded; a scope is a prefix of it.
    path TEXT NOT NULL,
    address TEXT,
    phone TEXT,
    active BIGINT NOT NULL DEFAULT 1,
    version BIGINT NOT NULL DEFAULT 1,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE INDEX org_units_parent ON org_units(parent_id);
CREATE INDEX org_units_path ON org_units(path);

-- The center registry's master fields (seed 002 L1399-1417).
CREATE TABLE centers (
    org_unit_id BIGINT PRIMARY KEY REFERENCES org_units(id),
    center_type TEXT NOT NULL,
    category TEXT NOT NULL,
    parent_provincial_center TEXT,
    center_form TEXT NOT NULL,
    operation_form TEXT NOT NULL,
    funding_form TEXT NOT NULL,
    head_name TEXT,
    head_employment TEXT,
    corporation_match TEXT,
    trustee_name TEXT,
    trustee_type TEXT,
    entrustment_start TEXT,
    entrustment_end TEXT,
    space_ownership TEXT,
    opened_on TEXT,
    license_no TEXT,
    staff_count BIGINT,
    national_funding BIGINT NOT NULL DEFAULT 0,
    liability_insurance BIGINT NOT NULL DEFAULT 0,
    integrated_service BIGINT NOT NULL DEFAULT 0,
    visitation_service BIGINT NOT NULL DEFAULT 0
);

CREATE TABLE sites (
    org_unit_id BIGINT PRIMARY KEY REFERENCES org_units(id),
    site_kind TEXT NOT NULL,
    note TEXT
);

CREATE TABLE users (
    id @ID@,
    username TEXT NOT NULL UNIQUE,
    display_name TEXT NOT NULL,
    phone TEXT,
    home_org_id BIGINT NOT NULL REFERENCES org_units(id),
    password_hash TEXT NOT NULL,
    must_change_password BIGINT NOT NULL DEFAULT 1,
    failed_attempts BIGINT NOT NULL DEFAULT 0,
    locked_until TEXT,
    active BIGINT NOT NULL DEFAULT 1,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    password_changed_at TEXT,
    last_login_at TEXT
);
CREATE INDEX users_home_org ON users(home_org_id);

CREATE TABLE role_assignments (
    id @ID@,
    user_id BIGINT NOT NULL REFERENCES users(id),
    role TEXT NOT NULL,
    org_unit_id BIGINT NOT NULL REFERENCES org_units(id),
    created_at TEXT NOT NULL,
    created_by BIGINT REFERENCES users(id),
    UNIQUE (user_id, role, org_unit_id)
);
CREATE INDEX role_assignments_org ON role_assignments(org_unit_id);

-- Server-side sessions; the cookie holds a random token, the table only its SHA-256.
CREATE TABLE sessions (
    token_hash TEXT PRIMARY KEY,
    user_id BIGINT NOT NULL REFERENCES users(id),
    created_at TEXT NOT NULL,
    last_seen_at TEXT NOT NULL,
    client_addr TEXT,
    user_agent TEXT
);
CREATE INDEX sessions_user ON sessions(user_id);

CREATE TABLE api_tokens (
    id @ID@,
    user_id BIGINT NOT NULL REFERENCES users(id),
    name TEXT NOT NULL,
    token_hash TEXT NOT NULL UNIQUE,
    token_prefix TEXT NOT NULL,
    created_by BIGINT NOT NULL REFERENCES users(id),
    created_at TEXT NOT NULL,
    last_used_at TEXT,
    revoked_at TEXT
);

-- Every write, in the same transaction as the write.
CREATE TABLE audit_events (
    id @ID@,
    occurred_at TEXT NOT NULL,
    actor_id BIGINT,
    actor_name TEXT NOT NULL,
    client_addr TEXT,
    action TEXT NOT NULL,
    entity_type TEXT NOT NULL,
    entity_id TEXT NOT NULL,
    org_unit_id BIGINT,
    -- Path of the org unit the entity belongs to, for scoped search.
    org_path TEXT NOT NULL,
    summary TEXT NOT NULL,
    before_json TEXT,
    after_json TEXT
);
CREATE INDEX audit_events_time ON audit_events(occurred_at);
CREATE INDEX audit_events_entity ON audit_events(entity_type, entity_id);

-- Every read of personal data; each row carries the hash of the previous one.
CREATE TABLE access_log (
    id @ID@,
    seq BIGINT NOT NULL UNIQUE,
    occurred_at TEXT NOT NULL,
    user_id BIGINT,
    username TEXT NOT NULL,
    client_addr TEXT,
    action TEXT NOT NULL,
    subject_type TEXT NOT NULL,
    subject_id TEXT NOT NULL,
    org_unit_id BIGINT,
    org_path TEXT NOT NULL,
    detail TEXT NOT NULL,
    prev_hash TEXT NOT NULL,
    hash TEXT NOT NULL
);
CREATE INDEX access_log_time ON access_log(occurred_at);
CREATE INDEX access_log_subject ON access_log(subject_type, subject_id);

-- Head of each hash chain: updating it first serialises appenders on both backends.
CREATE TABLE chain_heads (
    name TEXT PRIMARY KEY,
    seq BIGINT NOT NULL,
    hash TEXT NOT NULL
);
INSERT INTO chain_heads (name, seq, hash) VALUES ('access_log', 0, '0000000000000000000000000000000000000000000000000000000000000000');
