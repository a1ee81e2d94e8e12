-- Billable schema, version 10: what the home view, the client list and the
-- aging and unbilled reports read, kept small enough to answer in a frame
-- on books of a million entries and a hundred thousand invoices.
--
-- time_unbilled holds, per client × project × member × task × entry rate,
-- the seconds and the number of billable entries not invoiced yet.
-- Triggers on time_entries keep it exact in the transaction that changes an
-- entry, bills it (invoice_id set) or releases it again (a deleted draft, a
-- cancelled invoice). No task is task_id 0 and no entry rate is rate ''.
-- The unbilled value up to a date still reads the entries themselves.

CREATE TABLE time_unbilled (
    client_id   INTEGER NOT NULL,
    project_id  INTEGER NOT NULL,
    member_id   INTEGER NOT NULL,
    task_id     INTEGER NOT NULL,
    rate        TEXT NOT NULL,
    seconds     INTEGER NOT NULL,
    entries     INTEGER NOT NULL CHECK (entries > 0),
    PRIMARY KEY (client_id, project_id, member_id, task_id, rate)
) WITHOUT ROWID;

INSERT INTO time_unbilled (client_id, project_id, member_id, task_id, rate, seconds, entries)
SELECT client_id, project_id, member_id, COALESCE(task_id, 0), COALESCE(rate, ''), SUM(seconds), COUNT(*)
FROM time_entries
WHERE invoice_id IS NULL AND billable = 1
GROUP BY client_id, project_id, member_id, COALESCE(task_id, 0), COALESCE(rate, '');

CREATE TRIGGER time_unbilled_insert AFTER INSERT ON time_entries
WHEN NEW.invoice_id IS NULL AND NEW.billable = 1
BEGIN
    INSERT INTO time_unbilled (client_id, project_id, member_id, task_id, rate, seconds, entries)
    VALUES (NEW.client_id, NEW.project_id, NEW.member_id, COALESCE(NEW.task_id, 0), COALESCE(NEW.rate, ''),
            NEW.seconds, 1)
    ON CONFLICT DO UPDATE SET seconds = seconds + excluded.seconds, entries = entries + 1;
END;

-- The last entry of a row takes the row with it; otherwise the row shrinks.
CREATE TRIGGER time_unbilled_delete AFTER DELETE ON time_entries
WHEN OLD.invoice_id IS NULL AND OLD.billable = 1
BEGIN
    DELETE FROM time_unbilled
    WHERE client_id = OLD.client_id AND project_id = OLD.project_id AND member_id = OLD.member_id
      AND task_id = COALESCE(OLD.task_id, 0) AND rate = COALESCE(OLD.rate, '') AND entries = 1;
    UPDATE time_unbilled SET seconds = seconds - OLD.seconds, entries = entries - 1
    WHERE client_id = OLD.client_id AND project_id = OLD.project_id AND member_id = OLD.member_id
      AND task_id = COALESCE(OLD.task_id, 0) AND rate = COALESCE(OLD.rate, '') AND entries > 1;
END;

-- A change that matters takes the entry out as it was (when it was
-- unbilled) and puts it in as it is (when it is unbilled now).
CREATE TRIGGER time_unbilled_update_out
AFTER UPDATE OF invoice_id, billable, client_id, project_id, member_id, task_id, rate, seconds ON time_entries
WHEN OLD.invoice_id IS NULL AND OLD.billable = 1
  AND (NEW.invoice_id IS NOT NULL OR NEW.billable IS NOT 1 OR OLD.client_id IS NOT NEW.client_id
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
AFTER UPDATE OF invoice_id, billable, client_id, project_id, member_id, task_id, rate, seconds ON time_entries
WHEN NEW.invoice_id IS NULL AND NEW.billable = 1
  AND (OLD.invoice_id IS NOT NULL OR OLD.billable IS NOT 1 OR OLD.client_id IS NOT NEW.client_id
    OR OLD.project_id IS NOT NEW.project_id OR OLD.member_id IS NOT NEW.member_id
    OR OLD.task_id IS NOT NEW.task_id OR OLD.rate IS NOT NEW.rate OR OLD.seconds IS NOT NEW.seconds)
BEGIN
    INSERT INTO time_unbilled (client_id, project_id, member_id, task_id, rate, seconds, entries)
    VALUES (NEW.client_id, NEW.project_id, NEW.member_id, COALESCE(NEW.task_id, 0), COALESCE(NEW.rate, ''),
            NEW.seconds, 1)
    ON CONFLICT DO UPDATE SET seconds = seconds + excluded.seconds, entries = entries + 1;
END;

-- The open invoices with everything the aging report reads, so it reads
-- this index alone (a few thousand entries) instead of the invoices' rows.
CREATE INDEX invoices_open_aging
    ON invoices(issue_date, client_id, due_date, number, currency, balance_minor, exchange_rate, status)
    WHERE status IN ('sent','partially_paid');

-- The invoice list's search (number or client) and its count read this
-- index alone, in the list's order (newest first), not the invoices' rows.
CREATE INDEX invoices_issue_search ON invoices(issue_date, id, number, client_id);

-- The revenue report sums a year of invoices and payments per month and
-- currency: from these indexes alone (the payment's invoice gives only its
-- currency and exchange rate), not from the rows.
CREATE INDEX invoices_month_sums ON invoices(issue_date, status, currency, exchange_rate, total_minor, balance_minor);
CREATE INDEX payments_month ON payments(paid_on, invoice_id, amount_minor);
CREATE INDEX invoices_currency ON invoices(id, currency, exchange_rate);

ANALYZE sqlite_schema;
