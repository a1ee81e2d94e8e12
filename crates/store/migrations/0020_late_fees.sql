-- Billable schema: late fees on reminders.
--
-- A reminder schedule's step after the due date may add a late fee: a fixed
-- amount or a percentage of the open balance, both as exact decimal text
-- (the amount is rounded to the reminded invoice's currency when the fee is
-- invoiced, so one business schedule serves every currency). A step is its
-- number of days after the due date.

CREATE TABLE reminder_late_fees (
    scope        TEXT NOT NULL,
    scope_id     INTEGER NOT NULL,
    days_after   INTEGER NOT NULL CHECK (days_after BETWEEN 1 AND 365),
    amount       TEXT,     -- a fixed fee, e.g. '5.00'
    percent      TEXT,     -- a percentage of the open balance, e.g. '1.5'
    CHECK ((amount IS NULL) <> (percent IS NULL)),
    PRIMARY KEY (scope, scope_id, days_after),
    FOREIGN KEY (scope, scope_id) REFERENCES reminder_schedules(scope, scope_id) ON DELETE CASCADE
) WITHOUT ROWID;

-- Issued invoices are frozen, so a late fee is its own invoice, linked to
-- the invoice reminded and the step: one fee per (invoice, step), however
-- often or in however many processes the reminders run.
CREATE TABLE late_fee_invoices (
    invoice_id      INTEGER NOT NULL REFERENCES invoices(id) ON DELETE CASCADE,
    days_after      INTEGER NOT NULL,
    fee_invoice_id  INTEGER NOT NULL UNIQUE REFERENCES invoices(id) ON DELETE CASCADE,
    created_at      INTEGER NOT NULL,
    PRIMARY KEY (invoice_id, days_after)
) WITHOUT ROWID;
