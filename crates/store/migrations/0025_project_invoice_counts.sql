-- The invoice list's filter by budget, counted without visiting invoices.
--
-- project_invoice_counts holds, per project and invoice status, how many
-- invoices bill the project (its rows of invoice_projects, migration 0015).
-- The number of invoices that bill any of a set of projects is then the sum
-- of a few rows, less the invoices of several projects of the set counted
-- more than once (invoices.project_count says which those can be; they are
-- few, and looked up alone). Kept by triggers on invoice_projects and on
-- the invoices' status, in the transaction of every writer.

CREATE TABLE project_invoice_counts (
    project_id  INTEGER NOT NULL,
    status      TEXT NOT NULL,
    invoices    INTEGER NOT NULL CHECK (invoices >= 0),
    PRIMARY KEY (project_id, status)
) WITHOUT ROWID;

INSERT INTO project_invoice_counts (project_id, status, invoices)
SELECT ip.project_id, i.status, count(*)
FROM invoice_projects ip JOIN invoices i ON i.id = ip.invoice_id
GROUP BY ip.project_id, i.status;

CREATE TRIGGER project_invoice_counts_link_insert AFTER INSERT ON invoice_projects
WHEN EXISTS (SELECT 1 FROM invoices WHERE id = NEW.invoice_id)
BEGIN
    INSERT INTO project_invoice_counts (project_id, status, invoices)
    SELECT NEW.project_id, status, 1 FROM invoices WHERE id = NEW.invoice_id
    ON CONFLICT DO UPDATE SET invoices = invoices + 1;
END;

-- An invoice being deleted takes its counts away first (its links go after
-- it, when its status can no longer be read).
CREATE TRIGGER project_invoice_counts_link_delete AFTER DELETE ON invoice_projects
WHEN EXISTS (SELECT 1 FROM invoices WHERE id = OLD.invoice_id)
BEGIN
    UPDATE project_invoice_counts SET invoices = invoices - 1
    WHERE project_id = OLD.project_id
      AND status = (SELECT status FROM invoices WHERE id = OLD.invoice_id);
END;

CREATE TRIGGER project_invoice_counts_invoice_delete BEFORE DELETE ON invoices
BEGIN
    UPDATE project_invoice_counts SET invoices = invoices - 1
    WHERE status = OLD.status
      AND project_id IN (SELECT project_id FROM invoice_projects WHERE invoice_id = OLD.id);
END;

CREATE TRIGGER project_invoice_counts_status AFTER UPDATE OF status ON invoices
WHEN OLD.status IS NOT NEW.status
BEGIN
    UPDATE project_invoice_counts SET invoices = invoices - 1
    WHERE status = OLD.status
      AND project_id IN (SELECT project_id FROM invoice_projects WHERE invoice_id = NEW.id);
    INSERT INTO project_invoice_counts (project_id, status, invoices)
    SELECT project_id, NEW.status, 1 FROM invoice_projects WHERE invoice_id = NEW.id AND true
    ON CONFLICT DO UPDATE SET invoices = invoices + 1;
END;

-- The few invoices of several projects, found without reading the others.
CREATE INDEX invoices_multi_project ON invoices(status) WHERE project_count > 1;
