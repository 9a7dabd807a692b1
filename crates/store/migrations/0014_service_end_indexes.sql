-- The retention run's service end (rules/privacy/retention.json, interpretation 'service-end')
-- looks at a member's latest 나눔터 visit, membership application and 품앗이 activity too: one
-- index each, so the run reads them by member instead of scanning a year of visits per person.
CREATE INDEX nanumteo_visits_member ON nanumteo_visits(member_id, visit_date);
CREATE INDEX nanumteo_memberships_applicant ON nanumteo_memberships(applicant_id, applied_on);
CREATE INDEX pumasi_attendees_member ON pumasi_attendees(member_id);
