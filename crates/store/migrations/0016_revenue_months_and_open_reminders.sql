-- The revenue report by month, kept ahead: per month, currency and exchange
-- rate, what was invoiced (issued invoices: their count, totals and
-- balances, by issue month), credited (credit notes, by their issue month)
-- and paid (payments less refunds, by the day they were received). These are
-- the three sums the report asked SQLite for over a year of invoice and
-- payment rows; now a year is about a hundred rows. Triggers on invoices,
-- payments, refunds and credit notes keep it exact inside the transaction
-- of every write, so a write that is rolled back or killed leaves it as it
-- was. Shipped migrations are never edited.
--
-- `rate` is the invoice's exchange rate as stored (canonical decimal text),
-- '' for none: payments, refunds and credit notes are counted at the rate
-- of the invoice they belong to, in the currency the report has always
-- read for them (the invoice's for payments and refunds, the credit note's
-- own for credit notes). A row whose three counts are all zero is deleted,
-- so a month, currency and rate is present exactly when the report's
-- direct sums would have a group for it.
CREATE TABLE revenue_months (
    month           TEXT NOT NULL,                      -- YYYY-MM
    currency        TEXT NOT NULL,
    rate            TEXT NOT NULL,                      -- '' when the invoice has none
    invoices        INTEGER NOT NULL DEFAULT 0 CHECK (invoices >= 0),
    invoiced_minor  INTEGER NOT NULL DEFAULT 0,
    balance_minor   INTEGER NOT NULL DEFAULT 0,
    credit_notes    INTEGER NOT NULL DEFAULT 0 CHECK (credit_notes >= 0),
    credited_minor  INTEGER NOT NULL DEFAULT 0,
    payments        INTEGER NOT NULL DEFAULT 0 CHECK (payments >= 0), -- payments and refunds
    paid_minor      INTEGER NOT NULL DEFAULT 0,                       -- payments less refunds
    PRIMARY KEY (month, currency, rate)
) WITHOUT ROWID;

-- The books as they are.
INSERT INTO revenue_months (month, currency, rate, invoices, invoiced_minor, balance_minor)
SELECT substr(issue_date, 1, 7), currency, COALESCE(exchange_rate, ''), count(*), sum(total_minor), sum(balance_minor)
FROM invoices WHERE status IN ('sent','partially_paid','paid')
GROUP BY 1, 2, 3;

INSERT INTO revenue_months (month, currency, rate, credit_notes, credited_minor)
SELECT substr(n.issue_date, 1, 7), n.currency, COALESCE(i.exchange_rate, ''), count(*), sum(n.total_minor)
FROM credit_notes n JOIN invoices i ON i.id = n.invoice_id
WHERE true
GROUP BY 1, 2, 3
ON CONFLICT DO UPDATE SET credit_notes = credit_notes + excluded.credit_notes,
    credited_minor = credited_minor + excluded.credited_minor;

INSERT INTO revenue_months (month, currency, rate, payments, paid_minor)
SELECT month, currency, rate, count(*), sum(amount) FROM (
    SELECT substr(p.paid_on, 1, 7) AS month, i.currency AS currency, COALESCE(i.exchange_rate, '') AS rate,
           p.amount_minor AS amount
    FROM payments p JOIN invoices i ON i.id = p.invoice_id
    UNION ALL
    SELECT substr(r.refunded_on, 1, 7), i.currency, COALESCE(i.exchange_rate, ''), -r.amount_minor
    FROM refunds r JOIN invoices i ON i.id = r.invoice_id)
WHERE true
GROUP BY 1, 2, 3
ON CONFLICT DO UPDATE SET payments = payments + excluded.payments, paid_minor = paid_minor + excluded.paid_minor;

-- ---- invoices: issued invoices by issue month ------------------------------------

CREATE TRIGGER revenue_months_invoice_insert AFTER INSERT ON invoices
WHEN NEW.status IN ('sent','partially_paid','paid')
BEGIN
    INSERT INTO revenue_months (month, currency, rate, invoices, invoiced_minor, balance_minor)
    VALUES (substr(NEW.issue_date, 1, 7), NEW.currency, COALESCE(NEW.exchange_rate, ''), 1, NEW.total_minor,
            NEW.balance_minor)
    ON CONFLICT DO UPDATE SET invoices = invoices + 1, invoiced_minor = invoiced_minor + excluded.invoiced_minor,
        balance_minor = balance_minor + excluded.balance_minor;
END;

CREATE TRIGGER revenue_months_invoice_delete AFTER DELETE ON invoices
WHEN OLD.status IN ('sent','partially_paid','paid')
BEGIN
    UPDATE revenue_months SET invoices = invoices - 1, invoiced_minor = invoiced_minor - OLD.total_minor,
        balance_minor = balance_minor - OLD.balance_minor
    WHERE month = substr(OLD.issue_date, 1, 7) AND currency = OLD.currency
      AND rate = COALESCE(OLD.exchange_rate, '');
    DELETE FROM revenue_months
    WHERE month = substr(OLD.issue_date, 1, 7) AND currency = OLD.currency
      AND rate = COALESCE(OLD.exchange_rate, '') AND invoices = 0 AND credit_notes = 0 AND payments = 0;
END;

-- A change of status (issuing, a payment, cancelling), issue date, currency,
-- exchange rate, total or balance: the old figures out, the new ones in.
CREATE TRIGGER revenue_months_invoice_update
AFTER UPDATE OF status, issue_date, currency, exchange_rate, total_minor, balance_minor ON invoices
WHEN (OLD.status IN ('sent','partially_paid','paid') OR NEW.status IN ('sent','partially_paid','paid'))
  AND (OLD.status IS NOT NEW.status OR OLD.issue_date IS NOT NEW.issue_date OR OLD.currency IS NOT NEW.currency
    OR OLD.exchange_rate IS NOT NEW.exchange_rate OR OLD.total_minor IS NOT NEW.total_minor
    OR OLD.balance_minor IS NOT NEW.balance_minor)
BEGIN
    UPDATE revenue_months SET invoices = invoices - 1, invoiced_minor = invoiced_minor - OLD.total_minor,
        balance_minor = balance_minor - OLD.balance_minor
    WHERE OLD.status IN ('sent','partially_paid','paid')
      AND month = substr(OLD.issue_date, 1, 7) AND currency = OLD.currency
      AND rate = COALESCE(OLD.exchange_rate, '');
    INSERT INTO revenue_months (month, currency, rate, invoices, invoiced_minor, balance_minor)
    SELECT substr(NEW.issue_date, 1, 7), NEW.currency, COALESCE(NEW.exchange_rate, ''), 1, NEW.total_minor,
           NEW.balance_minor
    WHERE NEW.status IN ('sent','partially_paid','paid')
    ON CONFLICT DO UPDATE SET invoices = invoices + 1, invoiced_minor = invoiced_minor + excluded.invoiced_minor,
        balance_minor = balance_minor + excluded.balance_minor;
    DELETE FROM revenue_months
    WHERE OLD.status IN ('sent','partially_paid','paid')
      AND month = substr(OLD.issue_date, 1, 7) AND currency = OLD.currency
      AND rate = COALESCE(OLD.exchange_rate, '') AND invoices = 0 AND credit_notes = 0 AND payments = 0;
END;

-- Payments, refunds and credit notes are counted at their invoice's
-- currency and exchange rate: when those change, they move with them (out
-- of the old currency and rate by an UPDATE, so no row is ever proposed
-- with a negative count, then into the new).
CREATE TRIGGER revenue_months_invoice_rate
AFTER UPDATE OF currency, exchange_rate ON invoices
WHEN OLD.currency IS NOT NEW.currency OR OLD.exchange_rate IS NOT NEW.exchange_rate
BEGIN
    UPDATE revenue_months SET payments = payments - d.n, paid_minor = paid_minor - d.amount
    FROM (SELECT month, count(*) AS n, sum(amount) AS amount FROM (
              SELECT substr(p.paid_on, 1, 7) AS month, p.amount_minor AS amount
              FROM payments p WHERE p.invoice_id = OLD.id
              UNION ALL
              SELECT substr(r.refunded_on, 1, 7), -r.amount_minor FROM refunds r WHERE r.invoice_id = OLD.id)
          GROUP BY month) AS d
    WHERE revenue_months.month = d.month AND revenue_months.currency = OLD.currency
      AND revenue_months.rate = COALESCE(OLD.exchange_rate, '');
    INSERT INTO revenue_months (month, currency, rate, payments, paid_minor)
    SELECT month, NEW.currency, COALESCE(NEW.exchange_rate, ''), count(*), sum(amount) FROM (
        SELECT substr(p.paid_on, 1, 7) AS month, p.amount_minor AS amount
        FROM payments p WHERE p.invoice_id = NEW.id
        UNION ALL
        SELECT substr(r.refunded_on, 1, 7), -r.amount_minor FROM refunds r WHERE r.invoice_id = NEW.id)
    WHERE true
    GROUP BY month
    ON CONFLICT DO UPDATE SET payments = payments + excluded.payments, paid_minor = paid_minor + excluded.paid_minor;
    UPDATE revenue_months SET credit_notes = credit_notes - d.n, credited_minor = credited_minor - d.amount
    FROM (SELECT substr(c.issue_date, 1, 7) AS month, c.currency AS currency, count(*) AS n,
                 sum(c.total_minor) AS amount
          FROM credit_notes c WHERE c.invoice_id = OLD.id
          GROUP BY 1, 2) AS d
    WHERE revenue_months.month = d.month AND revenue_months.currency = d.currency
      AND revenue_months.rate = COALESCE(OLD.exchange_rate, '');
    INSERT INTO revenue_months (month, currency, rate, credit_notes, credited_minor)
    SELECT substr(c.issue_date, 1, 7), c.currency, COALESCE(NEW.exchange_rate, ''), count(*), sum(c.total_minor)
    FROM credit_notes c WHERE c.invoice_id = NEW.id
    GROUP BY 1, 2
    ON CONFLICT DO UPDATE SET credit_notes = credit_notes + excluded.credit_notes,
        credited_minor = credited_minor + excluded.credited_minor;
    DELETE FROM revenue_months WHERE invoices = 0 AND credit_notes = 0 AND payments = 0;
END;

-- ---- payments and refunds: by the day received, at the invoice's currency and rate

CREATE TRIGGER revenue_months_payment_insert AFTER INSERT ON payments
BEGIN
    INSERT INTO revenue_months (month, currency, rate, payments, paid_minor)
    SELECT substr(NEW.paid_on, 1, 7), i.currency, COALESCE(i.exchange_rate, ''), 1, NEW.amount_minor
    FROM invoices i WHERE i.id = NEW.invoice_id
    ON CONFLICT DO UPDATE SET payments = payments + 1, paid_minor = paid_minor + excluded.paid_minor;
END;

CREATE TRIGGER revenue_months_payment_delete AFTER DELETE ON payments
BEGIN
    UPDATE revenue_months SET payments = payments - 1, paid_minor = paid_minor - OLD.amount_minor
    WHERE (month, currency, rate) IN (
        SELECT substr(OLD.paid_on, 1, 7), i.currency, COALESCE(i.exchange_rate, '')
        FROM invoices i WHERE i.id = OLD.invoice_id);
    DELETE FROM revenue_months
    WHERE (month, currency, rate) IN (
        SELECT substr(OLD.paid_on, 1, 7), i.currency, COALESCE(i.exchange_rate, '')
        FROM invoices i WHERE i.id = OLD.invoice_id)
      AND invoices = 0 AND credit_notes = 0 AND payments = 0;
END;

CREATE TRIGGER revenue_months_payment_update AFTER UPDATE OF invoice_id, paid_on, amount_minor ON payments
WHEN OLD.invoice_id IS NOT NEW.invoice_id OR OLD.paid_on IS NOT NEW.paid_on
  OR OLD.amount_minor IS NOT NEW.amount_minor
BEGIN
    UPDATE revenue_months SET payments = payments - 1, paid_minor = paid_minor - OLD.amount_minor
    WHERE (month, currency, rate) IN (
        SELECT substr(OLD.paid_on, 1, 7), i.currency, COALESCE(i.exchange_rate, '')
        FROM invoices i WHERE i.id = OLD.invoice_id);
    INSERT INTO revenue_months (month, currency, rate, payments, paid_minor)
    SELECT substr(NEW.paid_on, 1, 7), i.currency, COALESCE(i.exchange_rate, ''), 1, NEW.amount_minor
    FROM invoices i WHERE i.id = NEW.invoice_id
    ON CONFLICT DO UPDATE SET payments = payments + 1, paid_minor = paid_minor + excluded.paid_minor;
    DELETE FROM revenue_months
    WHERE (month, currency, rate) IN (
        SELECT substr(OLD.paid_on, 1, 7), i.currency, COALESCE(i.exchange_rate, '')
        FROM invoices i WHERE i.id = OLD.invoice_id)
      AND invoices = 0 AND credit_notes = 0 AND payments = 0;
END;

CREATE TRIGGER revenue_months_refund_insert AFTER INSERT ON refunds
BEGIN
    INSERT INTO revenue_months (month, currency, rate, payments, paid_minor)
    SELECT substr(NEW.refunded_on, 1, 7), i.currency, COALESCE(i.exchange_rate, ''), 1, -NEW.amount_minor
    FROM invoices i WHERE i.id = NEW.invoice_id
    ON CONFLICT DO UPDATE SET payments = payments + 1, paid_minor = paid_minor + excluded.paid_minor;
END;

CREATE TRIGGER revenue_months_refund_delete AFTER DELETE ON refunds
BEGIN
    UPDATE revenue_months SET payments = payments - 1, paid_minor = paid_minor + OLD.amount_minor
    WHERE (month, currency, rate) IN (
        SELECT substr(OLD.refunded_on, 1, 7), i.currency, COALESCE(i.exchange_rate, '')
        FROM invoices i WHERE i.id = OLD.invoice_id);
    DELETE FROM revenue_months
    WHERE (month, currency, rate) IN (
        SELECT substr(OLD.refunded_on, 1, 7), i.currency, COALESCE(i.exchange_rate, '')
        FROM invoices i WHERE i.id = OLD.invoice_id)
      AND invoices = 0 AND credit_notes = 0 AND payments = 0;
END;

CREATE TRIGGER revenue_months_refund_update AFTER UPDATE OF invoice_id, refunded_on, amount_minor ON refunds
WHEN OLD.invoice_id IS NOT NEW.invoice_id OR OLD.refunded_on IS NOT NEW.refunded_on
  OR OLD.amount_minor IS NOT NEW.amount_minor
BEGIN
    UPDATE revenue_months SET payments = payments - 1, paid_minor = paid_minor + OLD.amount_minor
    WHERE (month, currency, rate) IN (
        SELECT substr(OLD.refunded_on, 1, 7), i.currency, COALESCE(i.exchange_rate, '')
        FROM invoices i WHERE i.id = OLD.invoice_id);
    INSERT INTO revenue_months (month, currency, rate, payments, paid_minor)
    SELECT substr(NEW.refunded_on, 1, 7), i.currency, COALESCE(i.exchange_rate, ''), 1, -NEW.amount_minor
    FROM invoices i WHERE i.id = NEW.invoice_id
    ON CONFLICT DO UPDATE SET payments = payments + 1, paid_minor = paid_minor + excluded.paid_minor;
    DELETE FROM revenue_months
    WHERE (month, currency, rate) IN (
        SELECT substr(OLD.refunded_on, 1, 7), i.currency, COALESCE(i.exchange_rate, '')
        FROM invoices i WHERE i.id = OLD.invoice_id)
      AND invoices = 0 AND credit_notes = 0 AND payments = 0;
END;

-- ---- credit notes: by their issue month, in their currency at the invoice's rate

CREATE TRIGGER revenue_months_credit_note_insert AFTER INSERT ON credit_notes
BEGIN
    INSERT INTO revenue_months (month, currency, rate, credit_notes, credited_minor)
    SELECT substr(NEW.issue_date, 1, 7), NEW.currency, COALESCE(i.exchange_rate, ''), 1, NEW.total_minor
    FROM invoices i WHERE i.id = NEW.invoice_id
    ON CONFLICT DO UPDATE SET credit_notes = credit_notes + 1,
        credited_minor = credited_minor + excluded.credited_minor;
END;

CREATE TRIGGER revenue_months_credit_note_delete AFTER DELETE ON credit_notes
BEGIN
    UPDATE revenue_months SET credit_notes = credit_notes - 1, credited_minor = credited_minor - OLD.total_minor
    WHERE (month, currency, rate) IN (
        SELECT substr(OLD.issue_date, 1, 7), OLD.currency, COALESCE(i.exchange_rate, '')
        FROM invoices i WHERE i.id = OLD.invoice_id);
    DELETE FROM revenue_months
    WHERE (month, currency, rate) IN (
        SELECT substr(OLD.issue_date, 1, 7), OLD.currency, COALESCE(i.exchange_rate, '')
        FROM invoices i WHERE i.id = OLD.invoice_id)
      AND invoices = 0 AND credit_notes = 0 AND payments = 0;
END;

CREATE TRIGGER revenue_months_credit_note_update
AFTER UPDATE OF invoice_id, issue_date, currency, total_minor ON credit_notes
WHEN OLD.invoice_id IS NOT NEW.invoice_id OR OLD.issue_date IS NOT NEW.issue_date
  OR OLD.currency IS NOT NEW.currency OR OLD.total_minor IS NOT NEW.total_minor
BEGIN
    UPDATE revenue_months SET credit_notes = credit_notes - 1, credited_minor = credited_minor - OLD.total_minor
    WHERE (month, currency, rate) IN (
        SELECT substr(OLD.issue_date, 1, 7), OLD.currency, COALESCE(i.exchange_rate, '')
        FROM invoices i WHERE i.id = OLD.invoice_id);
    INSERT INTO revenue_months (month, currency, rate, credit_notes, credited_minor)
    SELECT substr(NEW.issue_date, 1, 7), NEW.currency, COALESCE(i.exchange_rate, ''), 1, NEW.total_minor
    FROM invoices i WHERE i.id = NEW.invoice_id
    ON CONFLICT DO UPDATE SET credit_notes = credit_notes + 1,
        credited_minor = credited_minor + excluded.credited_minor;
    DELETE FROM revenue_months
    WHERE (month, currency, rate) IN (
        SELECT substr(OLD.issue_date, 1, 7), OLD.currency, COALESCE(i.exchange_rate, '')
        FROM invoices i WHERE i.id = OLD.invoice_id)
      AND invoices = 0 AND credit_notes = 0 AND payments = 0;
END;

-- ---- reminders: the open invoices with what a reminder says about them ----------

-- A reminder run reads every open invoice by due date with the facts its
-- words name (number, dates, currency, total, paid, balance): from this
-- index alone, in its order, instead of looking each invoice's row up.
CREATE INDEX invoices_open_reminders
    ON invoices(due_date, id, client_id, issue_date, number, currency, total_minor, paid_minor, balance_minor, status)
    WHERE status IN ('sent','partially_paid');
