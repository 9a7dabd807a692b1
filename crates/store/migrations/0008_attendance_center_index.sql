-- A center's attendance, for recounts and center-wide statistics: without it PostgreSQL
-- scanned the whole table once per center.
CREATE INDEX attendance_center ON attendance(center_id, session_id);
