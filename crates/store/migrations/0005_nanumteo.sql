-- 공동육아나눔터 (co-parenting sharing spaces) and 가족품앗이 (care-swapping groups), issue 5.
-- Rules (sizes, hours, fees, caps) are in rules/nanumteo/*.json, not here.

-- The registry of a space: extends the site (org unit of kind 'site', site_kind 'nanumteo').
CREATE TABLE nanumteo_spaces (
    org_unit_id BIGINT PRIMARY KEY REFERENCES org_units(id),
    center_id BIGINT NOT NULL REFERENCES org_units(id),
    placement TEXT NOT NULL,
    ownership TEXT NOT NULL,
    pledge_until TEXT,
    area_m2 BIGINT NOT NULL,
    remodelled BIGINT NOT NULL DEFAULT 0,
    all_day BIGINT NOT NULL DEFAULT 1,
    military_housing BIGINT NOT NULL DEFAULT 0,
    open_time TEXT NOT NULL,
    close_time TEXT NOT NULL,
    -- Weekdays open, ISO numbers '12345' (Mon..Fri); '6' added with an approved Saturday extension.
    open_days TEXT NOT NULL,
    saturday_open TEXT,
    saturday_close TEXT,
    saturday_approved_on TEXT,
    cctv_units BIGINT NOT NULL DEFAULT 0,
    cctv_megapixels_x10 BIGINT NOT NULL DEFAULT 0,
    cctv_retention_days BIGINT NOT NULL DEFAULT 0,
    injury_insurance_until TEXT,
    fire_insurance_until TEXT,
    found_on TEXT,
    version BIGINT NOT NULL DEFAULT 1,
    updated_at TEXT NOT NULL
);
CREATE INDEX nanumteo_spaces_center ON nanumteo_spaces(center_id);

-- Infectious-disease flags (CS-71). A hepatitis B carrier is recorded but never refused.
CREATE TABLE nanumteo_health_flags (
    id @ID@,
    center_id BIGINT NOT NULL REFERENCES org_units(id),
    member_id BIGINT NOT NULL REFERENCES members(id),
    status TEXT NOT NULL,
    note TEXT,
    flagged_on TEXT NOT NULL,
    cleared_on TEXT,
    created_by BIGINT REFERENCES users(id)
);
CREATE INDEX nanumteo_health_flags_member ON nanumteo_health_flags(member_id);

-- The visit log (서식8): one row per entry.
CREATE TABLE nanumteo_visits (
    id @ID@,
    center_id BIGINT NOT NULL REFERENCES org_units(id),
    space_id BIGINT NOT NULL REFERENCES org_units(id),
    visit_date TEXT NOT NULL,
    member_id BIGINT NOT NULL REFERENCES members(id),
    -- 1 when a child came without a guardian (the child's own name is the member).
    child_only BIGINT NOT NULL DEFAULT 0,
    children BIGINT NOT NULL,
    children_ages TEXT NOT NULL,
    -- 'use' or 'loan' (came only to borrow or return: a user only when staying >= 30 min).
    purpose TEXT NOT NULL,
    check_in TEXT NOT NULL,
    check_out TEXT,
    created_at TEXT NOT NULL
);
CREATE INDEX nanumteo_visits_space_date ON nanumteo_visits(space_id, visit_date);
CREATE INDEX nanumteo_visits_center_date ON nanumteo_visits(center_id, visit_date);

-- Toy and book library.
CREATE TABLE nanumteo_items (
    id @ID@,
    center_id BIGINT NOT NULL REFERENCES org_units(id),
    space_id BIGINT NOT NULL REFERENCES org_units(id),
    barcode TEXT NOT NULL,
    kind TEXT NOT NULL,
    name TEXT NOT NULL,
    lendable BIGINT NOT NULL DEFAULT 1,
    acquired_on TEXT NOT NULL,
    active BIGINT NOT NULL DEFAULT 1,
    UNIQUE (center_id, barcode)
);

CREATE TABLE nanumteo_loans (
    id @ID@,
    center_id BIGINT NOT NULL REFERENCES org_units(id),
    space_id BIGINT NOT NULL REFERENCES org_units(id),
    item_id BIGINT NOT NULL REFERENCES nanumteo_items(id),
    member_id BIGINT NOT NULL REFERENCES members(id),
    loaned_on TEXT NOT NULL,
    due_on TEXT NOT NULL,
    renewals BIGINT NOT NULL DEFAULT 0,
    returned_on TEXT,
    late_days BIGINT NOT NULL DEFAULT 0,
    late_fee BIGINT NOT NULL DEFAULT 0,
    suspended_until TEXT,
    damage_note TEXT
);
CREATE INDEX nanumteo_loans_item ON nanumteo_loans(item_id, returned_on);
CREATE INDEX nanumteo_loans_member ON nanumteo_loans(member_id);
CREATE INDEX nanumteo_loans_center_date ON nanumteo_loans(center_id, loaned_on);

-- Disinfection log: on return, daily spray, weekly thorough, monthly full (CS-60, CS-61).
CREATE TABLE nanumteo_disinfections (
    id @ID@,
    center_id BIGINT NOT NULL REFERENCES org_units(id),
    space_id BIGINT NOT NULL REFERENCES org_units(id),
    done_on TEXT NOT NULL,
    kind TEXT NOT NULL,
    item_id BIGINT REFERENCES nanumteo_items(id),
    note TEXT,
    done_by BIGINT REFERENCES users(id)
);
CREATE INDEX nanumteo_disinfections_space ON nanumteo_disinfections(space_id, done_on);

-- 품앗이 groups and their families.
CREATE TABLE pumasi_groups (
    id @ID@,
    center_id BIGINT NOT NULL REFERENCES org_units(id),
    name TEXT NOT NULL,
    kind TEXT NOT NULL,
    theme TEXT,
    leader_member_id BIGINT REFERENCES members(id),
    formed_on TEXT NOT NULL,
    orientation_on TEXT,
    created_at TEXT NOT NULL
);
CREATE INDEX pumasi_groups_center ON pumasi_groups(center_id);

CREATE TABLE pumasi_group_families (
    group_id BIGINT NOT NULL REFERENCES pumasi_groups(id),
    center_id BIGINT NOT NULL REFERENCES org_units(id),
    family_id BIGINT NOT NULL REFERENCES families(id),
    joined_on TEXT NOT NULL,
    orientation_on TEXT,
    PRIMARY KEY (group_id, family_id)
);

-- Monthly plans (서식7) and their 4-step approval (담당자 → 팀장 → 사무국장 → 센터장).
CREATE TABLE pumasi_plans (
    id @ID@,
    center_id BIGINT NOT NULL REFERENCES org_units(id),
    group_id BIGINT NOT NULL REFERENCES pumasi_groups(id),
    month TEXT NOT NULL,
    purpose TEXT NOT NULL,
    activities TEXT NOT NULL,
    materials TEXT,
    -- Steps signed so far (1 = submitted by staff, 4 = approved by the head).
    steps_done BIGINT NOT NULL,
    submitted_at TEXT NOT NULL,
    UNIQUE (group_id, month)
);
CREATE INDEX pumasi_plans_center_month ON pumasi_plans(center_id, month);

CREATE TABLE pumasi_plan_signatures (
    plan_id BIGINT NOT NULL REFERENCES pumasi_plans(id),
    center_id BIGINT NOT NULL REFERENCES org_units(id),
    step BIGINT NOT NULL,
    signed_by BIGINT NOT NULL REFERENCES users(id),
    signer_name TEXT NOT NULL,
    signed_at TEXT NOT NULL,
    PRIMARY KEY (plan_id, step)
);

-- Activity logs (서식5) with real-name attendees.
CREATE TABLE pumasi_activities (
    id @ID@,
    center_id BIGINT NOT NULL REFERENCES org_units(id),
    group_id BIGINT NOT NULL REFERENCES pumasi_groups(id),
    activity_date TEXT NOT NULL,
    start_time TEXT NOT NULL,
    end_time TEXT NOT NULL,
    place TEXT NOT NULL,
    content TEXT NOT NULL,
    created_at TEXT NOT NULL
);
CREATE INDEX pumasi_activities_group ON pumasi_activities(group_id, activity_date);

CREATE TABLE pumasi_attendees (
    activity_id BIGINT NOT NULL REFERENCES pumasi_activities(id),
    center_id BIGINT NOT NULL REFERENCES org_units(id),
    member_id BIGINT NOT NULL REFERENCES members(id),
    PRIMARY KEY (activity_id, member_id)
);

-- Reimbursed expenses (선 사용·후 지급) with receipts.
CREATE TABLE pumasi_expenses (
    id @ID@,
    center_id BIGINT NOT NULL REFERENCES org_units(id),
    group_id BIGINT NOT NULL REFERENCES pumasi_groups(id),
    month TEXT NOT NULL,
    spent_on TEXT NOT NULL,
    category TEXT NOT NULL,
    amount BIGINT NOT NULL,
    receipt_no TEXT NOT NULL,
    description TEXT NOT NULL,
    created_at TEXT NOT NULL
);
CREATE INDEX pumasi_expenses_center_month ON pumasi_expenses(center_id, month);
