-- Billable schema: which projects each invoice bills, for the invoice
-- list's filters by billing type and budget.
--
-- An invoice bills a project when its header names the project (invoices
-- made for a project: from its time, a fixed-fee part, a retainer period)
-- or when it bills time entries of the project. invoice_projects holds one
-- row per (project, invoice) with how many of the project's entries the
-- invoice bills and whether its header names the project; triggers keep it
-- exact inside the transaction that changes an invoice or an entry, and a
-- row goes when both are gone. The list finds "invoices of these projects"
-- from its primary key instead of from a million entries.
--
-- invoices.project_kinds sums the kinds of the projects an invoice bills,
-- one bit each: 1 hourly, 2 fixed price, 4 retainer, 8 a project with a
-- budget, 16 a project without one. Triggers recompute it when the
-- invoice's projects change or a project's billing type or budget does, so
-- "invoices of hourly projects" is counted from an index instead of by
-- visiting the projects of 100,000 invoices. invoices.project_count says
-- how many projects it bills (most bill one), so the filter by budget can
-- look up the few invoices of several projects alone.
--
-- time_worked is the time of every project over all its days, summed like
-- time_daily (migration 0006) without the date: the value of the time
-- worked on a project, against its budget, comes from a few rows a project
-- instead of from every day of its history.

CREATE TABLE invoice_projects (
    project_id  INTEGER NOT NULL,
    invoice_id  INTEGER NOT NULL,
    entries     INTEGER NOT NULL DEFAULT 0,
    header      INTEGER NOT NULL DEFAULT 0 CHECK (header IN (0,1)),
    PRIMARY KEY (project_id, invoice_id)
) WITHOUT ROWID;
CREATE INDEX invoice_projects_invoice ON invoice_projects(invoice_id);

INSERT INTO invoice_projects (project_id, invoice_id, entries, header)
SELECT project_id, invoice_id, SUM(entries), MAX(header) FROM (
    SELECT project_id, id AS invoice_id, 0 AS entries, 1 AS header FROM invoices WHERE project_id IS NOT NULL
    UNION ALL
    SELECT project_id, invoice_id, COUNT(*), 0 FROM time_entries WHERE invoice_id IS NOT NULL
    GROUP BY project_id, invoice_id
) GROUP BY project_id, invoice_id;

-- The header.
CREATE TRIGGER invoice_projects_header_insert AFTER INSERT ON invoices
WHEN NEW.project_id IS NOT NULL
BEGIN
    INSERT INTO invoice_projects (project_id, invoice_id, header) VALUES (NEW.project_id, NEW.id, 1)
    ON CONFLICT DO UPDATE SET header = 1;
END;

CREATE TRIGGER invoice_projects_header_update AFTER UPDATE OF project_id ON invoices
WHEN OLD.project_id IS NOT NEW.project_id
BEGIN
    UPDATE invoice_projects SET header = 0 WHERE project_id = OLD.project_id AND invoice_id = OLD.id;
    DELETE FROM invoice_projects WHERE project_id = OLD.project_id AND invoice_id = OLD.id AND entries = 0;
    INSERT INTO invoice_projects (project_id, invoice_id, header)
    SELECT NEW.project_id, NEW.id, 1 WHERE NEW.project_id IS NOT NULL
    ON CONFLICT DO UPDATE SET header = 1;
END;

CREATE TRIGGER invoice_projects_invoice_delete AFTER DELETE ON invoices
BEGIN
    DELETE FROM invoice_projects WHERE invoice_id = OLD.id;
END;

-- The time entries an invoice bills.
CREATE TRIGGER invoice_projects_entry_insert AFTER INSERT ON time_entries
WHEN NEW.invoice_id IS NOT NULL
BEGIN
    INSERT INTO invoice_projects (project_id, invoice_id, entries) VALUES (NEW.project_id, NEW.invoice_id, 1)
    ON CONFLICT DO UPDATE SET entries = entries + 1;
END;

CREATE TRIGGER invoice_projects_entry_delete AFTER DELETE ON time_entries
WHEN OLD.invoice_id IS NOT NULL
BEGIN
    UPDATE invoice_projects SET entries = entries - 1 WHERE project_id = OLD.project_id AND invoice_id = OLD.invoice_id;
    DELETE FROM invoice_projects
    WHERE project_id = OLD.project_id AND invoice_id = OLD.invoice_id AND entries = 0 AND header = 0;
END;

CREATE TRIGGER invoice_projects_entry_update AFTER UPDATE OF invoice_id, project_id ON time_entries
WHEN OLD.invoice_id IS NOT NEW.invoice_id OR (NEW.invoice_id IS NOT NULL AND OLD.project_id IS NOT NEW.project_id)
BEGIN
    UPDATE invoice_projects SET entries = entries - 1 WHERE project_id = OLD.project_id AND invoice_id = OLD.invoice_id;
    DELETE FROM invoice_projects
    WHERE project_id = OLD.project_id AND invoice_id = OLD.invoice_id AND entries = 0 AND header = 0;
    INSERT INTO invoice_projects (project_id, invoice_id, entries)
    SELECT NEW.project_id, NEW.invoice_id, 1 WHERE NEW.invoice_id IS NOT NULL
    ON CONFLICT DO UPDATE SET entries = entries + 1;
END;


-- The kinds of an invoice's projects.
ALTER TABLE invoices ADD COLUMN project_kinds INTEGER NOT NULL DEFAULT 0;
ALTER TABLE invoices ADD COLUMN project_count INTEGER NOT NULL DEFAULT 0;

UPDATE invoices SET project_kinds = COALESCE((
    SELECT MAX(p.billing_type = 'hourly') + 2 * MAX(p.billing_type = 'fixed_price')
         + 4 * MAX(p.billing_type = 'retainer') + 8 * MAX(p.budget IS NOT NULL) + 16 * MAX(p.budget IS NULL)
    FROM invoice_projects ip JOIN projects p ON p.id = ip.project_id
    WHERE ip.invoice_id = invoices.id), 0),
    project_count = (SELECT count(*) FROM invoice_projects ip WHERE ip.invoice_id = invoices.id)
WHERE id IN (SELECT invoice_id FROM invoice_projects);

CREATE TRIGGER invoice_kinds_link_insert AFTER INSERT ON invoice_projects
BEGIN
    UPDATE invoices SET project_kinds = COALESCE((
        SELECT MAX(p.billing_type = 'hourly') + 2 * MAX(p.billing_type = 'fixed_price')
             + 4 * MAX(p.billing_type = 'retainer') + 8 * MAX(p.budget IS NOT NULL) + 16 * MAX(p.budget IS NULL)
        FROM invoice_projects ip JOIN projects p ON p.id = ip.project_id
        WHERE ip.invoice_id = NEW.invoice_id), 0),
        project_count = (SELECT count(*) FROM invoice_projects ip WHERE ip.invoice_id = NEW.invoice_id)
    WHERE id = NEW.invoice_id;
END;

CREATE TRIGGER invoice_kinds_link_delete AFTER DELETE ON invoice_projects
BEGIN
    UPDATE invoices SET project_kinds = COALESCE((
        SELECT MAX(p.billing_type = 'hourly') + 2 * MAX(p.billing_type = 'fixed_price')
             + 4 * MAX(p.billing_type = 'retainer') + 8 * MAX(p.budget IS NOT NULL) + 16 * MAX(p.budget IS NULL)
        FROM invoice_projects ip JOIN projects p ON p.id = ip.project_id
        WHERE ip.invoice_id = OLD.invoice_id), 0),
        project_count = (SELECT count(*) FROM invoice_projects ip WHERE ip.invoice_id = OLD.invoice_id)
    WHERE id = OLD.invoice_id;
END;

CREATE TRIGGER invoice_kinds_project_update AFTER UPDATE OF billing_type, budget ON projects
WHEN OLD.billing_type IS NOT NEW.billing_type OR (OLD.budget IS NULL) <> (NEW.budget IS NULL)
BEGIN
    UPDATE invoices SET project_kinds = COALESCE((
        SELECT MAX(p.billing_type = 'hourly') + 2 * MAX(p.billing_type = 'fixed_price')
             + 4 * MAX(p.billing_type = 'retainer') + 8 * MAX(p.budget IS NOT NULL) + 16 * MAX(p.budget IS NULL)
        FROM invoice_projects ip JOIN projects p ON p.id = ip.project_id
        WHERE ip.invoice_id = invoices.id), 0)
    WHERE id IN (SELECT invoice_id FROM invoice_projects WHERE project_id = NEW.id);
END;

-- The time worked on each project, all days together.
CREATE TABLE time_worked (
    project_id  INTEGER NOT NULL,
    client_id   INTEGER NOT NULL,
    member_id   INTEGER NOT NULL,
    task_id     INTEGER NOT NULL,
    rate        TEXT NOT NULL,
    billable    INTEGER NOT NULL,
    seconds     INTEGER NOT NULL,
    entries     INTEGER NOT NULL CHECK (entries > 0),
    PRIMARY KEY (project_id, client_id, member_id, task_id, rate, billable)
) WITHOUT ROWID;

INSERT INTO time_worked (project_id, client_id, member_id, task_id, rate, billable, seconds, entries)
SELECT project_id, client_id, member_id, task_id, rate, billable, SUM(seconds), SUM(entries)
FROM time_daily
GROUP BY project_id, client_id, member_id, task_id, rate, billable;

CREATE TRIGGER time_worked_insert AFTER INSERT ON time_entries
BEGIN
    INSERT INTO time_worked (project_id, client_id, member_id, task_id, rate, billable, seconds, entries)
    VALUES (NEW.project_id, NEW.client_id, NEW.member_id, COALESCE(NEW.task_id, 0), COALESCE(NEW.rate, ''),
            NEW.billable, NEW.seconds, 1)
    ON CONFLICT DO UPDATE SET seconds = seconds + excluded.seconds, entries = entries + 1;
END;

CREATE TRIGGER time_worked_delete AFTER DELETE ON time_entries
BEGIN
    DELETE FROM time_worked
    WHERE project_id = OLD.project_id AND client_id = OLD.client_id AND member_id = OLD.member_id
      AND task_id = COALESCE(OLD.task_id, 0) AND rate = COALESCE(OLD.rate, '') AND billable = OLD.billable
      AND entries = 1;
    UPDATE time_worked SET seconds = seconds - OLD.seconds, entries = entries - 1
    WHERE project_id = OLD.project_id AND client_id = OLD.client_id AND member_id = OLD.member_id
      AND task_id = COALESCE(OLD.task_id, 0) AND rate = COALESCE(OLD.rate, '') AND billable = OLD.billable
      AND entries > 1;
END;

CREATE TRIGGER time_worked_update
AFTER UPDATE OF project_id, client_id, member_id, task_id, rate, billable, seconds ON time_entries
WHEN OLD.project_id IS NOT NEW.project_id OR OLD.client_id IS NOT NEW.client_id
  OR OLD.member_id IS NOT NEW.member_id OR OLD.task_id IS NOT NEW.task_id OR OLD.rate IS NOT NEW.rate
  OR OLD.billable IS NOT NEW.billable OR OLD.seconds IS NOT NEW.seconds
BEGIN
    DELETE FROM time_worked
    WHERE project_id = OLD.project_id AND client_id = OLD.client_id AND member_id = OLD.member_id
      AND task_id = COALESCE(OLD.task_id, 0) AND rate = COALESCE(OLD.rate, '') AND billable = OLD.billable
      AND entries = 1;
    UPDATE time_worked SET seconds = seconds - OLD.seconds, entries = entries - 1
    WHERE project_id = OLD.project_id AND client_id = OLD.client_id AND member_id = OLD.member_id
      AND task_id = COALESCE(OLD.task_id, 0) AND rate = COALESCE(OLD.rate, '') AND billable = OLD.billable
      AND entries > 1;
    INSERT INTO time_worked (project_id, client_id, member_id, task_id, rate, billable, seconds, entries)
    VALUES (NEW.project_id, NEW.client_id, NEW.member_id, COALESCE(NEW.task_id, 0), COALESCE(NEW.rate, ''),
            NEW.billable, NEW.seconds, 1)
    ON CONFLICT DO UPDATE SET seconds = seconds + excluded.seconds, entries = entries + 1;
END;

-- Counts and pages by kind read this index (with the status, for a list
-- filtered by both, and the number of projects, for the filter by budget).
CREATE INDEX invoices_project_kinds ON invoices(project_kinds, status, project_count);

ANALYZE sqlite_schema;
