-- Billable schema, version 6: a daily rollup of time.
--
-- time_daily holds, per day × project × client × member × task × entry rate
-- × billable, the summed seconds and the number of entries. Triggers on
-- time_entries keep it exact in the transaction that changes an entry, so
-- every writer (CLI, desktop, import, generated books) leaves it right.
-- Reports over time read it instead of the entries: a year is a few
-- thousand rows, not hundreds of thousands.
--
-- No task is task_id 0 and no entry rate is rate '' (a primary key column
-- cannot be NULL); readers turn them back with NULLIF. Billing an entry
-- (invoice_id, invoice_line_id) does not touch the rollup.

CREATE TABLE time_daily (
    work_date   TEXT NOT NULL,
    project_id  INTEGER NOT NULL,
    client_id   INTEGER NOT NULL,
    member_id   INTEGER NOT NULL,
    task_id     INTEGER NOT NULL,
    rate        TEXT NOT NULL,
    billable    INTEGER NOT NULL,
    seconds     INTEGER NOT NULL,
    entries     INTEGER NOT NULL CHECK (entries > 0),
    PRIMARY KEY (work_date, project_id, client_id, member_id, task_id, rate, billable)
) WITHOUT ROWID;

INSERT INTO time_daily (work_date, project_id, client_id, member_id, task_id, rate, billable, seconds, entries)
SELECT work_date, project_id, client_id, member_id, COALESCE(task_id, 0), COALESCE(rate, ''), billable,
       SUM(seconds), COUNT(*)
FROM time_entries
GROUP BY work_date, project_id, client_id, member_id, COALESCE(task_id, 0), COALESCE(rate, ''), billable;

CREATE TRIGGER time_daily_insert AFTER INSERT ON time_entries
BEGIN
    INSERT INTO time_daily (work_date, project_id, client_id, member_id, task_id, rate, billable, seconds, entries)
    VALUES (NEW.work_date, NEW.project_id, NEW.client_id, NEW.member_id, COALESCE(NEW.task_id, 0),
            COALESCE(NEW.rate, ''), NEW.billable, NEW.seconds, 1)
    ON CONFLICT DO UPDATE SET seconds = seconds + excluded.seconds, entries = entries + 1;
END;

CREATE TRIGGER time_daily_delete AFTER DELETE ON time_entries
BEGIN
    DELETE FROM time_daily
    WHERE work_date = OLD.work_date AND project_id = OLD.project_id AND client_id = OLD.client_id
      AND member_id = OLD.member_id AND task_id = COALESCE(OLD.task_id, 0) AND rate = COALESCE(OLD.rate, '')
      AND billable = OLD.billable AND entries = 1;
    UPDATE time_daily SET seconds = seconds - OLD.seconds, entries = entries - 1
    WHERE work_date = OLD.work_date AND project_id = OLD.project_id AND client_id = OLD.client_id
      AND member_id = OLD.member_id AND task_id = COALESCE(OLD.task_id, 0) AND rate = COALESCE(OLD.rate, '')
      AND billable = OLD.billable AND entries > 1;
END;

-- The last entry of a row takes the row with it; otherwise the row shrinks.
-- Only when a counted column really changes: billing and unbilling cost nothing.
CREATE TRIGGER time_daily_update
AFTER UPDATE OF work_date, project_id, client_id, member_id, task_id, rate, billable, seconds ON time_entries
WHEN OLD.work_date IS NOT NEW.work_date OR OLD.project_id IS NOT NEW.project_id
  OR OLD.client_id IS NOT NEW.client_id OR OLD.member_id IS NOT NEW.member_id
  OR OLD.task_id IS NOT NEW.task_id OR OLD.rate IS NOT NEW.rate
  OR OLD.billable IS NOT NEW.billable OR OLD.seconds IS NOT NEW.seconds
BEGIN
    DELETE FROM time_daily
    WHERE work_date = OLD.work_date AND project_id = OLD.project_id AND client_id = OLD.client_id
      AND member_id = OLD.member_id AND task_id = COALESCE(OLD.task_id, 0) AND rate = COALESCE(OLD.rate, '')
      AND billable = OLD.billable AND entries = 1;
    UPDATE time_daily SET seconds = seconds - OLD.seconds, entries = entries - 1
    WHERE work_date = OLD.work_date AND project_id = OLD.project_id AND client_id = OLD.client_id
      AND member_id = OLD.member_id AND task_id = COALESCE(OLD.task_id, 0) AND rate = COALESCE(OLD.rate, '')
      AND billable = OLD.billable AND entries > 1;
    INSERT INTO time_daily (work_date, project_id, client_id, member_id, task_id, rate, billable, seconds, entries)
    VALUES (NEW.work_date, NEW.project_id, NEW.client_id, NEW.member_id, COALESCE(NEW.task_id, 0),
            COALESCE(NEW.rate, ''), NEW.billable, NEW.seconds, 1)
    ON CONFLICT DO UPDATE SET seconds = seconds + excluded.seconds, entries = entries + 1;
END;

-- The report reads time_daily now; entries by date need only the date.
DROP INDEX time_entries_report;
CREATE INDEX time_entries_date ON time_entries(work_date);

-- The invoice list: a page of one status sorted by total reads an index in
-- order instead of sorting every invoice of that status; one client's
-- invoices of one status are found (and counted) by both.
CREATE INDEX invoices_status_total ON invoices(status, total_minor);
CREATE INDEX invoices_client_status ON invoices(client_id, status, issue_date);

-- Fixed statistics for the invoice indexes, so the query planner picks the
-- same plans on every user's books whatever their size (SQLite's "query
-- planner stability": hand-written sqlite_stat1 rows), tuned for books of
-- many clients and five statuses: a client narrows more than a status, and
-- few invoices are open. ANALYZE sqlite_schema creates sqlite_stat1 and
-- makes the planner read it.
ANALYZE sqlite_schema;
DELETE FROM sqlite_stat1 WHERE tbl = 'invoices';
INSERT INTO sqlite_stat1 (tbl, idx, stat) VALUES
    ('invoices', 'sqlite_autoindex_invoices_1', '100000 1'),
    ('invoices', 'invoices_client', '100000 500 2'),
    ('invoices', 'invoices_issue_date', '100000 30'),
    ('invoices', 'invoices_due_open', '5000 3'),
    ('invoices', 'invoices_status_date', '100000 20000 6'),
    ('invoices', 'invoices_status_total', '100000 20000 2'),
    ('invoices', 'invoices_client_status', '100000 500 100 1');
ANALYZE sqlite_schema;
