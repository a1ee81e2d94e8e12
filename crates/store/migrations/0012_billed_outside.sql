-- Billable schema, version 12: time billed outside Billable.
--
-- An entry whose time was invoiced elsewhere (marked by hand, or imported
-- from a file that says so) keeps the outside invoice's reference in
-- billed_outside ('' when there is none). It still counts as tracked and
-- billable time in the reports, but it is never offered for invoicing: the
-- unbilled rollup, the unbilled index and every "not invoiced yet" query
-- leave it out, as they leave out entries billed by an invoice here.

ALTER TABLE time_entries ADD COLUMN billed_outside TEXT
    CHECK (billed_outside IS NULL OR (invoice_id IS NULL AND length(billed_outside) <= 200));

DROP INDEX time_entries_unbilled;
CREATE INDEX time_entries_unbilled ON time_entries(client_id, work_date, start_at)
    WHERE invoice_id IS NULL AND billed_outside IS NULL AND billable = 1;

DROP TRIGGER time_unbilled_insert;
DROP TRIGGER time_unbilled_delete;
DROP TRIGGER time_unbilled_update_out;
DROP TRIGGER time_unbilled_update_in;

CREATE TRIGGER time_unbilled_insert AFTER INSERT ON time_entries
WHEN NEW.invoice_id IS NULL AND NEW.billed_outside IS NULL AND NEW.billable = 1
BEGIN
    INSERT INTO time_unbilled (client_id, project_id, member_id, task_id, rate, seconds, entries)
    VALUES (NEW.client_id, NEW.project_id, NEW.member_id, COALESCE(NEW.task_id, 0), COALESCE(NEW.rate, ''),
            NEW.seconds, 1)
    ON CONFLICT DO UPDATE SET seconds = seconds + excluded.seconds, entries = entries + 1;
END;

CREATE TRIGGER time_unbilled_delete AFTER DELETE ON time_entries
WHEN OLD.invoice_id IS NULL AND OLD.billed_outside IS NULL AND OLD.billable = 1
BEGIN
    DELETE FROM time_unbilled
    WHERE client_id = OLD.client_id AND project_id = OLD.project_id AND member_id = OLD.member_id
      AND task_id = COALESCE(OLD.task_id, 0) AND rate = COALESCE(OLD.rate, '') AND entries = 1;
    UPDATE time_unbilled SET seconds = seconds - OLD.seconds, entries = entries - 1
    WHERE client_id = OLD.client_id AND project_id = OLD.project_id AND member_id = OLD.member_id
      AND task_id = COALESCE(OLD.task_id, 0) AND rate = COALESCE(OLD.rate, '') AND entries > 1;
END;

CREATE TRIGGER time_unbilled_update_out
AFTER UPDATE OF invoice_id, billed_outside, billable, client_id, project_id, member_id, task_id, rate, seconds ON time_entries
WHEN OLD.invoice_id IS NULL AND OLD.billed_outside IS NULL AND OLD.billable = 1
  AND (NEW.invoice_id IS NOT NULL OR NEW.billed_outside IS NOT NULL OR NEW.billable IS NOT 1 OR OLD.client_id IS NOT NEW.client_id
    OR OLD.project_id IS NOT NEW.project_id OR OLD.member_id IS NOT NEW.member_id
    OR OLD.task_id IS NOT NEW.task_id OR OLD.rate IS NOT NEW.rate OR OLD.seconds IS NOT NEW.seconds)
BEGIN
    DELETE FROM time_unbilled
    WHERE client_id = OLD.client_id AND project_id = OLD.project_id AND member_id = OLD.member_id
      AND task_id = COALESCE(OLD.task_id, 0) AND rate = COALESCE(OLD.rate, '') AND entries = 1;
    UPDATE time_unbilled SET seconds = seconds - OLD.seconds, entries = entries - 1
    WHERE client_id = OLD.client_id AND project_id = OLD.project_id AND member_id = OLD.member_id
      AND task_id = COALESCE(OLD.task_id, 0) AND rate = COALESCE(OLD.rate, '') AND entries > 1;
END;

CREATE TRIGGER time_unbilled_update_in
AFTER UPDATE OF invoice_id, billed_outside, billable, client_id, project_id, member_id, task_id, rate, seconds ON time_entries
WHEN NEW.invoice_id IS NULL AND NEW.billed_outside IS NULL AND NEW.billable = 1
  AND (OLD.invoice_id IS NOT NULL OR OLD.billed_outside IS NOT NULL OR OLD.billable IS NOT 1 OR OLD.client_id IS NOT NEW.client_id
    OR OLD.project_id IS NOT NEW.project_id OR OLD.member_id IS NOT NEW.member_id
    OR OLD.task_id IS NOT NEW.task_id OR OLD.rate IS NOT NEW.rate OR OLD.seconds IS NOT NEW.seconds)
BEGIN
    INSERT INTO time_unbilled (client_id, project_id, member_id, task_id, rate, seconds, entries)
    VALUES (NEW.client_id, NEW.project_id, NEW.member_id, COALESCE(NEW.task_id, 0), COALESCE(NEW.rate, ''),
            NEW.seconds, 1)
    ON CONFLICT DO UPDATE SET seconds = seconds + excluded.seconds, entries = entries + 1;
END;

ANALYZE sqlite_schema;
