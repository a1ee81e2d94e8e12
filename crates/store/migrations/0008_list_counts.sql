-- Faster lists on large books: invoice counts per stored status, so a list
-- of every invoice of a status says how many there are without counting
-- them, and unbilled time read in its display order. Shipped migrations are
-- never edited.

-- Kept by triggers on invoices: every writer updates them in its own
-- transaction, so they are never out of step with the rows.
CREATE TABLE invoice_counts (
    status    TEXT PRIMARY KEY,
    invoices  INTEGER NOT NULL CHECK (invoices >= 0)
) WITHOUT ROWID;

INSERT INTO invoice_counts (status, invoices)
SELECT status, count(*) FROM invoices GROUP BY status;

CREATE TRIGGER invoice_counts_insert AFTER INSERT ON invoices
BEGIN
    INSERT INTO invoice_counts (status, invoices) VALUES (NEW.status, 1)
    ON CONFLICT DO UPDATE SET invoices = invoices + 1;
END;

CREATE TRIGGER invoice_counts_delete AFTER DELETE ON invoices
BEGIN
    UPDATE invoice_counts SET invoices = invoices - 1 WHERE status = OLD.status;
END;

CREATE TRIGGER invoice_counts_update AFTER UPDATE OF status ON invoices
WHEN OLD.status IS NOT NEW.status
BEGIN
    UPDATE invoice_counts SET invoices = invoices - 1 WHERE status = OLD.status;
    INSERT INTO invoice_counts (status, invoices) VALUES (NEW.status, 1)
    ON CONFLICT DO UPDATE SET invoices = invoices + 1;
END;

-- Overdue invoices (open, past due, with a balance) are counted from an
-- index of open invoices alone that carries the status and the balance.
CREATE INDEX invoices_open_balance ON invoices(status, due_date, balance_minor)
    WHERE status IN ('sent','partially_paid');

-- A client's unbilled time is listed by day and start time: the partial
-- index carries the start time, so the list comes out of it in order
-- instead of being sorted day by day.
DROP INDEX time_entries_unbilled;
CREATE INDEX time_entries_unbilled ON time_entries(client_id, work_date, start_at)
    WHERE invoice_id IS NULL AND billable = 1;

ANALYZE sqlite_schema;
INSERT INTO sqlite_stat1 (tbl, idx, stat) VALUES ('invoices', 'invoices_open_balance', '5000 2500 3 2');
ANALYZE sqlite_schema;
