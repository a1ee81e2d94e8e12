-- Billable schema, version 14: time approval for time-and-materials projects.
--
-- A time entry's approval: NULL (not submitted), 'submitted' (for a week,
-- waiting for the owner), 'approved' or 'rejected' (with the owner's reason
-- in approval_reason). Only entries of hourly projects that are not billed
-- yet are submitted. Editing a submitted or approved entry sends it back to
-- NULL; a rejected entry keeps its state and reason until it is submitted
-- again.
--
-- projects.approval_required: the project bills only approved time.
-- Invoicing from time offers, and bills, only its approved entries.

ALTER TABLE projects ADD COLUMN approval_required INTEGER NOT NULL DEFAULT 0
    CHECK (approval_required IN (0,1));

ALTER TABLE time_entries ADD COLUMN approval TEXT
    CHECK (approval IS NULL OR approval IN ('submitted','approved','rejected'));
ALTER TABLE time_entries ADD COLUMN approval_reason TEXT NOT NULL DEFAULT ''
    CHECK (length(approval_reason) <= 500);

-- The owner's approval screen lists what waits, per member and week: a few
-- hundred rows out of a million entries.
CREATE INDEX time_entries_approval ON time_entries(approval, member_id, work_date)
    WHERE approval IS NOT NULL;

ANALYZE sqlite_schema;
