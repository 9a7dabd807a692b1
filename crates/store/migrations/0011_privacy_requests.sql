-- Data subjects' rights and the protection of sensitive and unique data (PIPA Art. 35–37,
-- 23, 24; 안전성 확보조치 기준 제7조), and the published privacy policy (Art. 30).

-- 열람 / 정정·삭제 / 처리정지 requests: recorded on receipt with the legal deadline, decided
-- with a reason. A pending correction or deletion freezes the member record.
CREATE TABLE privacy_requests (
    id @ID@,
    center_id BIGINT NOT NULL REFERENCES org_units(id),
    member_id BIGINT NOT NULL REFERENCES members(id),
    -- 'access', 'correction', 'deletion' or 'suspension'
    kind TEXT NOT NULL,
    received_on TEXT NOT NULL,
    due_on TEXT NOT NULL,
    -- 'self' or 'representative' (legal guardian or delegate with a power of attorney)
    requester TEXT NOT NULL,
    -- What the person asked for, in their words.
    details TEXT NOT NULL,
    -- 'pending' or 'decided'
    status TEXT NOT NULL,
    -- 'accepted', 'partly' or 'refused'
    decision TEXT,
    reason TEXT,
    decided_on TEXT,
    decided_by BIGINT REFERENCES users(id),
    recorded_by BIGINT REFERENCES users(id),
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE INDEX privacy_requests_center ON privacy_requests(center_id, status, due_on);
CREATE INDEX privacy_requests_member ON privacy_requests(member_id, status);

-- A kept unique identifier (외국인등록번호 where a program needs it): AES-256-GCM ciphertext
-- (hex of nonce || ciphertext), the id of the key that made it, an HMAC-SHA256 of the
-- normalised value under a separate key for exact lookup, and the masked form for lists.
ALTER TABLE members ADD COLUMN foreign_id_ct TEXT;
ALTER TABLE members ADD COLUMN foreign_id_key TEXT;
ALTER TABLE members ADD COLUMN foreign_id_hash TEXT;
ALTER TABLE members ADD COLUMN foreign_id_masked TEXT;
CREATE INDEX members_foreign_id_hash ON members(foreign_id_hash);

-- Who may read sensitive records (counseling notes, health, abuse, suicide risk) of a
-- center, on top of working there: granted and revoked by the center manager or an
-- administrator; rows are never deleted (the grant history is the audit trail).
CREATE TABLE sensitive_grants (
    id @ID@,
    user_id BIGINT NOT NULL REFERENCES users(id),
    center_id BIGINT NOT NULL REFERENCES org_units(id),
    granted_by BIGINT REFERENCES users(id),
    granted_at TEXT NOT NULL,
    revoked_by BIGINT REFERENCES users(id),
    revoked_at TEXT
);
CREATE INDEX sensitive_grants_user ON sensitive_grants(user_id, center_id);

-- Counseling notes on a member, with the risk flags that make them sensitive.
CREATE TABLE counseling_notes (
    id @ID@,
    center_id BIGINT NOT NULL REFERENCES org_units(id),
    member_id BIGINT NOT NULL REFERENCES members(id),
    noted_on TEXT NOT NULL,
    body TEXT NOT NULL,
    risk_abuse BIGINT NOT NULL DEFAULT 0,
    risk_suicide BIGINT NOT NULL DEFAULT 0,
    risk_health BIGINT NOT NULL DEFAULT 0,
    created_by BIGINT REFERENCES users(id),
    created_at TEXT NOT NULL
);
CREATE INDEX counseling_notes_member ON counseling_notes(member_id);

-- The privacy officer of a center (개인정보 보호책임자), published in the policy.
CREATE TABLE privacy_officers (
    center_id BIGINT PRIMARY KEY REFERENCES org_units(id),
    name TEXT NOT NULL,
    title TEXT NOT NULL,
    phone TEXT NOT NULL,
    email TEXT,
    updated_by BIGINT REFERENCES users(id),
    updated_at TEXT NOT NULL
);

-- 개인정보 처리방침 versions: a new row whenever the inputs (data register, retention rules,
-- recipients, officer) change; old versions stay viewable.
CREATE TABLE privacy_policies (
    id @ID@,
    center_id BIGINT NOT NULL REFERENCES org_units(id),
    version BIGINT NOT NULL,
    inputs_hash TEXT NOT NULL,
    content TEXT NOT NULL,
    created_at TEXT NOT NULL,
    UNIQUE (center_id, version)
);
